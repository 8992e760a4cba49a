package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/profile"
	"tenken/internal/store"
)

func TestParseSeq(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1", 1, true},
		{"0001234", 1234, true},
		{"１２３４", 1234, true},         // full-width digits
		{"1,234,567", 1234567, true}, // thousands separators
		{"１，２３４", 1234, true},        // full-width comma
		{" 42 ", 42, true},
		{"1 234", 1234, true},
		{"0", 0, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false}, // beyond int64
		{"99999999999999999999", 0, false},
		{"-5", 0, false},
		{"+5", 0, false},
		{"12.5", 0, false},
		{"No.12", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{",", 0, false},
		{"一二三", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseSeq(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseSeq(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestSeqHeaders maps every 通番 header of DOMAIN.md (and folded
// variants) to the seq field.
func TestSeqHeaders(t *testing.T) {
	for _, h := range []string{"通番", "ログ番号", "連番", "シーケンス番号", "レコード番号", "ログ通番", "[通番]", "ｼｰｹﾝｽ番号"} {
		m, err := mapLog([]string{"操作日時", "職員ID", h, "宛名番号"})
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if m.Index(FieldSeq) != 2 {
			t.Errorf("header %q maps to %v, want seq in column 3", h, m)
		}
		if m.Index(FieldSubjectID) != 3 {
			t.Errorf("header %q took 宛名番号's place: %v", h, m)
		}
	}
}

// TestProfileFieldsMatchLogFields keeps the profile's list of fields (what
// --map and saved profiles accept) in step with the importer's.
func TestProfileFieldsMatchLogFields(t *testing.T) {
	if len(profile.Fields) != len(LogFields) {
		t.Fatalf("profile has %d fields, importer %d", len(profile.Fields), len(LogFields))
	}
	for _, f := range LogFields {
		if profile.FieldLabel(f.Name) != f.Label {
			t.Errorf("field %s: profile label %q, importer %q", f.Name, profile.FieldLabel(f.Name), f.Label)
		}
	}
}

func allEvents(t *testing.T, st *store.Store) []domain.Event {
	t.Helper()
	var out []domain.Event
	err := st.EachEvent(context.Background(), time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(e *domain.Event) error {
		out = append(out, *e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSeqImport(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	// Rows 3 and 4 differ only in 通番: two rows, not a duplicate. Row 5
	// has a broken 通番, row 6 none (a login line of a log that numbers
	// only its data rows).
	p := writeFile(t, "住民記録.csv", "通番,操作日時,職員ID,操作,宛名番号\r\n"+
		"１,2025/05/07 09:00:00,A1,照会,100\r\n"+
		"2,2025/05/07 09:00:05,A1,照会,101\r\n"+
		"3,2025/05/07 09:00:05,A1,照会,101\r\n"+
		"四,2025/05/07 09:00:09,A1,照会,102\r\n"+
		",2025/05/07 09:00:10,A1,ログイン,\r\n"+
		"1,234,2025/05/07 09:00:11,A1,照会,103\r\n", cp932)
	res, err := ImportFile(ctx, st, p, Options{System: "住民記録"})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Batch
	if b.Accepted != 4 || b.Rejected != 2 || b.Duplicate != 0 {
		t.Fatalf("accepted %d rejected %d duplicate %d; rejects %+v", b.Accepted, b.Rejected, b.Duplicate, res.Rejects)
	}
	// "1,234" unquoted is two cells: a row with a column too many, not a
	// 通番 of 1234.
	if r := res.Rejects[0]; r.Line != 5 || r.Column != "通番" || !strings.Contains(r.Reason, "通番「四」が整数として読めません") {
		t.Errorf("reject 1 = %+v; want line 5, column 通番, a reason naming the value", r)
	}
	if r := res.Rejects[1]; r.Line != 7 || !strings.Contains(r.Reason, "列が多すぎます") {
		t.Errorf("reject 2 = %+v; want line 7, too many columns", r)
	}
	var seqs []int64
	for _, e := range allEvents(t, st) {
		seqs = append(seqs, e.Seq)
	}
	if fmt.Sprint(seqs) != "[1 2 3 0]" {
		t.Errorf("stored 通番 %v, want [1 2 3 0]", seqs)
	}

	// An overlapping export carrying the same 通番 adds only the new rows;
	// the same row under another 通番 is a row of its own.
	q := writeFile(t, "住民記録2.csv", "通番,操作日時,職員ID,操作,宛名番号\r\n"+
		"3,2025/05/07 09:00:05,A1,照会,101\r\n"+
		"9,2025/05/07 09:00:05,A1,照会,101\r\n"+
		"\"1,235\",2025/05/07 09:00:12,A1,照会,104\r\n", cp932)
	res2, err := ImportFile(ctx, st, q, Options{System: "住民記録"})
	if err != nil {
		t.Fatal(err)
	}
	if b := res2.Batch; b.Accepted != 2 || b.Duplicate != 1 || b.Rejected != 0 {
		t.Fatalf("overlap: accepted %d duplicate %d rejected %d; rejects %+v", b.Accepted, b.Duplicate, b.Rejected, res2.Rejects)
	}
	seqs = nil
	for _, e := range allEvents(t, st) {
		seqs = append(seqs, e.Seq)
	}
	if fmt.Sprint(seqs) != "[1 2 3 9 0 1235]" {
		t.Errorf("stored 通番 %v, want [1 2 3 9 0 1235]", seqs)
	}
}

// TestSeqFingerprintUnchangedWithoutSeq keeps the fingerprints of logs
// without a 通番 as earlier versions computed them, so a log imported
// before the field existed still meets its overlapping exports.
func TestSeqFingerprintUnchangedWithoutSeq(t *testing.T) {
	m, err := mapLog([]string{"操作日時", "職員ID", "操作"})
	if err != nil {
		t.Fatal(err)
	}
	c := newConverter(m, "住民記録", "a.csv", domain.KindAccess, nil)
	e := domain.Event{Time: time.Date(2025, 5, 7, 9, 0, 0, 0, time.UTC), StaffID: "A1", System: "住民記録", RawAction: "照会", Action: domain.ActionLookup}
	// The value of the fingerprint before 通番 existed (FNV-1a over the
	// same fields).
	h := uint64(fnvOffset)
	for _, s := range [...]string{e.System, e.StaffID, e.Terminal, e.Function, e.RawAction, e.SubjectID, e.Result, e.Device, e.File, e.MailTo} {
		h = fnvString(h, s)
	}
	h = fnvInt(h, e.Time.Unix())
	h = fnvInt(h, e.Records)
	if got := c.fingerprint(&e); got != int64(h) {
		t.Errorf("fingerprint without 通番 changed: %d, want %d", got, int64(h))
	}
	c2 := newConverter(m, "住民記録", "a.csv", domain.KindAccess, nil)
	e.Seq = 7
	if c2.fingerprint(&e) == int64(h) {
		t.Error("a 通番 does not change the fingerprint")
	}
}

// TestSeqProfileMapping: a saved profile may name the 通番 column under
// any header.
func TestSeqProfileMapping(t *testing.T) {
	st := openStore(t)
	p := writeFile(t, "x.csv", "日時,担当,No\n2025/05/07 09:00,A1,17\n", utf8Plain)
	prof := &profile.Profile{Version: profile.Version, System: "税務", Columns: map[string]string{"日時": "time", "担当": "staff_id", "No": "seq"}}
	if err := prof.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := ImportFile(context.Background(), st, p, Options{System: "税務", Profile: prof})
	if err != nil || res.Batch.Accepted != 1 {
		t.Fatalf("%+v %v", res.Batch, err)
	}
	if ev := allEvents(t, st); len(ev) != 1 || ev[0].Seq != 17 {
		t.Fatalf("events %+v, want one with 通番 17", ev)
	}
}
