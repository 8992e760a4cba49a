package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"tenken/internal/domain"
)

// TestSeqRoundTrip stores events with and without a 通番 through every
// insert statement (a chunk of narrow rows with 通番, one without, a wide
// chunk of mail rows, and single trailing rows) and reads them back
// through EachEvent and event_v: Seq as stored, NULL in the view when the
// log had none.
func TestSeqRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "a.csv", SHA256: "a", System: "住民記録", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 5, 7, 9, 0, 0, 0, time.UTC)
	b := im.NewBatch()
	var want []int64
	n := 0
	add := func(e domain.Event) {
		e.Time = start.Add(time.Duration(n) * time.Second)
		e.StaffID, e.System, e.Line = "A1", "住民記録", n+2
		b.Add(&e, int64(n))
		want = append(want, e.Seq)
		n++
	}
	for i := 0; i < rowsPerInsert; i++ { // narrow, with 通番
		add(domain.Event{Action: domain.ActionLookup, Seq: int64(1000 + i)})
	}
	for i := 0; i < rowsPerInsert; i++ { // narrow, without
		add(domain.Event{Action: domain.ActionLookup})
	}
	for i := 0; i < rowsPerInsert; i++ { // wide (mail), every other with 通番
		add(domain.Event{Action: domain.ActionMailSend, MailTo: "x@example.jp", Seq: int64(i % 2 * (5000 + i))})
	}
	add(domain.Event{Action: domain.ActionLookup, Seq: 77}) // single rows
	add(domain.Event{Action: domain.ActionLookup})
	if err := im.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(ctx, n); err != nil {
		t.Fatal(err)
	}
	var got []int64
	err = s.EachEvent(ctx, start, start.Add(time.Hour), func(e *domain.Event) error {
		got = append(got, e.Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("EachEvent 通番:\n%v\nwant\n%v", got, want)
	}
	var nulls, withSeq int
	var maxSeq sql.NullInt64
	if err := s.db.QueryRow(`SELECT count(*) - count(seq), count(seq), max(seq) FROM event_v`).Scan(&nulls, &withSeq, &maxSeq); err != nil {
		t.Fatal(err)
	}
	wantWith := 0
	for _, v := range want {
		if v != 0 {
			wantWith++
		}
	}
	if withSeq != wantWith || nulls != n-wantWith || maxSeq.Int64 != 5127 {
		t.Fatalf("event_v: %d with 通番, %d NULL, max %v; want %d, %d, 5127", withSeq, nulls, maxSeq, wantWith, n-wantWith)
	}
}

// TestStaffEmailRoundTrip: the staff master's mail addresses survive an
// import, a merge of a transfer and a single-row edit.
func TestStaffEmailRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	staff := []domain.Staff{
		{ID: "T001", Name: "山田 花子", Dept: "税務課", Email: []string{"yamada@town.example.lg.jp", "h.yamada@town.example.lg.jp"}},
		{ID: "T002", Name: "佐藤 一郎", Dept: "住民課"},
	}
	if err := s.ReplaceStaff(ctx, staff, MasterImport{Kind: "staff", File: "staff.csv"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Staff(ctx)
	if err != nil || len(got) != 2 || fmt.Sprint(got[0].Email) != "[yamada@town.example.lg.jp h.yamada@town.example.lg.jp]" || got[1].Email != nil {
		t.Fatalf("staff %+v %v", got, err)
	}
	moved := domain.Staff{ID: "T001", Name: "山田 花子", Dept: "住民課", Start: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Email: []string{"yamada@town.example.lg.jp"}}
	if _, after, err := s.SaveStaff(ctx, moved, "点検 太郎"); err != nil || len(after) != 2 {
		t.Fatalf("save: %+v %v", after, err)
	}
	vs, err := s.StaffVersions(ctx, "T001")
	if err != nil || len(vs) != 2 || len(vs[0].Email) != 2 || fmt.Sprint(vs[1].Email) != "[yamada@town.example.lg.jp]" {
		t.Fatalf("versions %+v %v", vs, err)
	}
}
