package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "tenken.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesPrivateFileAndMigrates(t *testing.T) {
	s := openTemp(t)
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion() || v < 1 {
		t.Fatalf("user_version = %d, want %d", v, SchemaVersion())
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk int
	if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
		}
	}
}

func TestOpenRefusesNewerSchemaAndNetworkPaths(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tenken.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "newer_schema" || !strings.Contains(de.Message, "新しい版") {
		t.Fatalf("newer schema: got %v", err)
	}
	for _, p := range []string{`\\fileserver\share\tenken.db`, "//fileserver/share/tenken.db"} {
		_, err := Open(p)
		if !errors.As(err, &de) || de.Code != "network_path" || !strings.Contains(de.Message, "共有フォルダ") {
			t.Errorf("%s: got %v, want network_path error", p, err)
		}
	}
}

func TestImportCommitDuplicateRejectAndRollback(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2025, 5, 7, 9, 3, 7, 0, time.UTC)
	ev := func(staff string, min int) *domain.Event {
		return &domain.Event{Time: at.Add(time.Duration(min) * time.Minute), StaffID: staff, System: "住民記録", Action: domain.ActionLookup, Line: min + 2}
	}
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "a.csv", SHA256: "aa", System: "住民記録", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range []*domain.Event{ev("B", 1), ev("A", 2), ev("A", 1)} {
		if ok, err := im.Add(ctx, e, int64(i)); err != nil || !ok {
			t.Fatalf("add %d: %v %v", i, ok, err)
		}
	}
	if ok, err := im.Add(ctx, ev("A", 1), 2); err != nil || ok {
		t.Fatalf("duplicate add: ok=%v err=%v, want false nil", ok, err)
	}
	if err := im.Reject(ctx, domain.Reject{Line: 9, Column: "操作日時", Reason: "日付がありません", Raw: "x,y"}); err != nil {
		t.Fatal(err)
	}
	b, err := im.Commit(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if b.Accepted != 3 || b.Duplicate != 1 || b.Rejected != 1 || b.Read != 5 {
		t.Fatalf("counts %+v", b)
	}
	if !b.MinTime.Equal(at.Add(time.Minute)) || !b.MaxTime.Equal(at.Add(2*time.Minute)) {
		t.Errorf("period %v–%v", b.MinTime, b.MaxTime)
	}

	// A second file rolled back leaves nothing behind.
	im2, err := s.BeginImport(ctx, domain.ImportBatch{File: "b.csv", SHA256: "bb", System: "税務", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im2.Add(ctx, ev("C", 5), 9); err != nil {
		t.Fatal(err)
	}
	if err := im2.Rollback(); err != nil {
		t.Fatal(err)
	}
	bs, err := s.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || bs[0].SHA256 != "aa" {
		t.Fatalf("batches after rollback: %+v", bs)
	}
	if found, _ := s.FindBatch(ctx, "aa", "住民記録"); found == nil {
		t.Error("FindBatch did not find the committed batch")
	}
	rej, err := s.Rejects(ctx, bs[0].ID)
	if err != nil || len(rej) != 1 || rej[0].Column != "操作日時" {
		t.Fatalf("rejects %+v %v", rej, err)
	}

	// Events stream ordered by staff then time.
	var got []string
	err = s.EachEvent(ctx, at, at.Add(time.Hour), func(e *domain.Event) error {
		got = append(got, e.StaffID+e.Time.Format("15:04"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "A09:04 A09:05 B09:04" {
		t.Errorf("order %v", got)
	}

	// A mismatched count refuses to commit.
	im3, err := s.BeginImport(ctx, domain.ImportBatch{File: "c.csv", SHA256: "cc", System: "税務"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im3.Commit(ctx, 1); err == nil {
		t.Error("commit with unaccounted rows succeeded")
	}
	if bs, _ := s.Batches(ctx); len(bs) != 1 {
		t.Errorf("unaccounted batch was committed: %d batches", len(bs))
	}
}

func TestMastersAndRunsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	end := time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC)
	staff := []domain.Staff{{ID: "T001", Name: "山田 花子", Dept: "税務課", End: end, Systems: []string{"税務", "住民記録"}, USBAllowed: true}}
	if err := s.ReplaceStaff(ctx, staff, MasterImport{Kind: "staff", File: "staff.csv", Read: 2, Accepted: 1, Rejected: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Staff(ctx)
	if err != nil || len(got) != 1 || !got[0].End.Equal(end) || len(got[0].Systems) != 2 || !got[0].USBAllowed {
		t.Fatalf("staff %+v %v", got, err)
	}
	if err := s.ReplaceGrants(ctx, []domain.Grant{{Dept: "税務課", System: "税務", Permission: "照会"}}, MasterImport{Kind: "grants"}); err != nil {
		t.Fatal(err)
	}
	gs, err := s.Grants(ctx)
	if err != nil || len(gs) != 1 || gs[0].Permission != "照会" || !gs[0].From.IsZero() {
		t.Fatalf("grants %+v %v", gs, err)
	}
	if r, err := s.LatestRun(ctx); err != nil || r != nil {
		t.Fatalf("latest run on empty db: %v %v", r, err)
	}
	f := domain.Finding{Rule: "AFTER_HOURS", StaffID: "T001", Date: "2025-05-07", Severity: domain.Medium, Count: 2,
		Evidence: []domain.Event{{StaffID: "T001", System: "税務", Time: time.Date(2025, 5, 7, 21, 40, 0, 0, time.UTC)}}}
	run, err := s.SaveRun(ctx, domain.Run{From: end, To: end.AddDate(0, 1, 0), Config: "{}"}, []domain.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	latest, err := s.LatestRun(ctx)
	if err != nil || latest == nil || latest.ID != run.ID || latest.Findings != 1 {
		t.Fatalf("latest %+v %v", latest, err)
	}
	fs, err := s.Findings(ctx, run.ID)
	if err != nil || len(fs) != 1 || fs[0].Rule != "AFTER_HOURS" || len(fs[0].Evidence) != 1 || fs[0].Evidence[0].Time.Hour() != 21 {
		t.Fatalf("findings %+v %v", fs, err)
	}
}
