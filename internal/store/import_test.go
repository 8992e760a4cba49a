package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

// A workspace written by schema version 1 (plain text columns) is
// converted by migration 002: its events read back the same through
// EachEvent and event_v, and new imports still find them as duplicates.
func TestMigrateV1Events(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenken.db")
	v1, err := migrationFS.ReadFile("migrations/001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1),
		`INSERT INTO import_batch VALUES (1,'a.csv',10,'aa','utf-8','住民記録','access','m',2,2,0,0,'2025-05-08 10:00:00',1746608587,1746608647)`,
		`INSERT INTO event VALUES (1,1,1746608587,'S002','佐藤','PC2','住民記録','住民票','LOOKUP','照会','100','0','','','','',2,11)`,
		`INSERT INTO event VALUES (2,1,1746608647,'S001','山田','PC1','住民記録','住民票','EXPORT','CSV出力','','25','成功','','out.csv','',3,12)`,
		"PRAGMA user_version = 1"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []string
	err = s.EachEvent(ctx, time.Unix(0, 0), time.Unix(1<<40, 0), func(e *domain.Event) error {
		got = append(got, strings.Join([]string{e.StaffID, e.StaffName, e.Terminal, e.Function, string(e.Action), e.RawAction,
			e.SubjectID, e.Result, e.File, string(e.Kind)}, "|"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"S001|山田|PC1|住民票|EXPORT|CSV出力||成功|out.csv|access", "S002|佐藤|PC2|住民票|LOOKUP|照会|100|||access"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("migrated events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var n int
	var records int64
	if err := s.db.QueryRow(`SELECT count(*), sum(records) FROM event_v WHERE staff_id = 'S001' AND file = 'out.csv' AND mail_to = ''`).Scan(&n, &records); err != nil || n != 1 || records != 25 {
		t.Fatalf("event_v: %d rows, records %d, %v", n, records, err)
	}
	// The v1 row's key still detects the same row imported again.
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "b.csv", SHA256: "bb", System: "住民記録", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	ok, err := im.Add(ctx, &domain.Event{Time: time.Unix(1746608587, 0).UTC(), StaffID: "S002", System: "住民記録"}, 11)
	if err != nil || ok {
		t.Fatalf("re-added v1 row: new=%v %v", ok, err)
	}
	if _, err := im.Commit(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

// A bulk import (large file into a small table) that repeats stored rows
// finds them when the key index is rebuilt and counts them as duplicates.
func TestBulkImportFindsDuplicatesAtCommit(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2025, 5, 7, 9, 0, 0, 0, time.UTC)
	add := func(b domain.ImportBatch, from, to int) domain.ImportBatch {
		im, err := s.BeginImport(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		batch := im.NewBatch()
		for i := from; i < to; i++ {
			batch.Add(&domain.Event{Time: at.Add(time.Duration(i) * time.Second), StaffID: "A", System: "住民記録", Action: domain.ActionLookup}, int64(i))
		}
		if err := im.Write(ctx, batch); err != nil {
			t.Fatal(err)
		}
		got, err := im.Commit(ctx, to-from)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := add(domain.ImportBatch{File: "a.csv", SHA256: "a", System: "住民記録", Size: 100}, 0, 10)
	if first.Accepted != 10 {
		t.Fatalf("first %+v", first)
	}
	// Size claims a big file: bulk mode (index dropped and rebuilt).
	second := add(domain.ImportBatch{File: "b.csv", SHA256: "b", System: "住民記録", Size: 90 * 100_000}, 5, 20)
	if second.Accepted != 10 || second.Duplicate != 5 || !second.MinTime.Equal(at.Add(10*time.Second)) || !second.MaxTime.Equal(at.Add(19*time.Second)) {
		t.Fatalf("second %+v", second)
	}
	var idx int
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'event_key'").Scan(&idx); err != nil || idx != 1 {
		t.Fatalf("key index after bulk import: %d %v", idx, err)
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode after bulk import %q %v, want wal", mode, err)
	}
}

// While another connection reads (the GUI showing a list), a large import
// cannot leave WAL; it still imports, in WAL.
func TestBulkImportBesideAReader(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM event_v").Scan(&n); err != nil {
		t.Fatal(err)
	}
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "a.csv", SHA256: "a", System: "住民記録", Size: 90 * 100_000})
	if err != nil {
		t.Fatalf("import beside a reader: %v", err)
	}
	b := im.NewBatch()
	b.Add(&domain.Event{Time: time.Date(2025, 5, 7, 9, 0, 0, 0, time.UTC), StaffID: "A", System: "住民記録"}, 1)
	if err := im.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q %v", mode, err)
	}
}
