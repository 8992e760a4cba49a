package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func d(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }

// A v1 database with data is upgraded: its staff survive the change of the
// staff table's key, and a 0600 backup of the v1 file is written first.
func TestMigrateV1KeepsStaffAndBacksUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tenken.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	body, err := migrationFS.ReadFile("migrations/001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(body), "PRAGMA user_version = 1",
		`INSERT INTO staff(id, name, dept, title, employment, start_date, end_date, usb, subject_id, systems, line)
		 VALUES('T001', '山田', '税務課', '', '正規', '2019-04-01', '', 1, '', 'A` + "\x1f" + `B', 2)`,
		`INSERT INTO setting(key, value) VALUES('hearing.town', '山里町')`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	staff, err := s.Staff(context.Background())
	if err != nil || len(staff) != 1 || staff[0].Dept != "税務課" || len(staff[0].Systems) != 2 || !staff[0].USBAllowed {
		t.Fatalf("staff after migration %+v %v", staff, err)
	}
	bak := s.MigrationBackup()
	if bak == "" || !strings.Contains(filepath.Base(bak), ".v1-") {
		t.Fatalf("migration backup %q", bak)
	}
	fi, err := os.Stat(bak)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
	// The backup is the v1 database as it was.
	b, err := sql.Open("sqlite", bak)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var v int
	var town string
	if err := b.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 1 {
		t.Errorf("backup version %d %v", v, err)
	}
	if err := b.QueryRow("SELECT value FROM setting WHERE key = 'hearing.town'").Scan(&town); err != nil || town != "山里町" {
		t.Errorf("backup content %q %v", town, err)
	}
	// A fresh database needs no backup.
	if s2 := openTemp(t); s2.MigrationBackup() != "" {
		t.Errorf("fresh database was backed up: %s", s2.MigrationBackup())
	}
}

func TestStaffVersions(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	first := []domain.Staff{
		{ID: "T001", Name: "山田", Dept: "税務課", Start: d(2019, 4, 1), Accounts: []string{"yamada-h", "yamada@town.lg.jp"}},
		{ID: "T002", Name: "佐藤", Dept: "住民課"},
	}
	if err := s.ImportStaff(ctx, first, MasterImport{Kind: "staff", File: "a.csv"}, true, &Audit{User: "u", Action: "master.staff.import"}); err != nil {
		t.Fatal(err)
	}
	// A later file knows of the transfer of T001 on 2025-04-01 only.
	second := []domain.Staff{{ID: "T001", Name: "山田", Dept: "住民課", Start: d(2025, 4, 1)}}
	if err := s.ImportStaff(ctx, second, MasterImport{Kind: "staff", File: "b.csv"}, true, nil); err != nil {
		t.Fatal(err)
	}
	vs, err := s.StaffVersions(ctx, "T001")
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %+v %v", vs, err)
	}
	if vs[0].Dept != "税務課" || !vs[0].End.Equal(d(2025, 3, 31)) || vs[1].Dept != "住民課" || !vs[1].End.IsZero() {
		t.Errorf("versions %+v", vs)
	}
	if len(vs[0].Accounts) != 2 || vs[0].Accounts[1] != "yamada@town.lg.jp" {
		t.Errorf("accounts %v", vs[0].Accounts)
	}
	at := func(day time.Time) map[string]string {
		got, err := s.StaffAt(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, st := range got {
			if _, dup := m[st.ID]; dup {
				t.Fatalf("two versions of %s on %v", st.ID, day)
			}
			m[st.ID] = st.Dept
		}
		return m
	}
	if m := at(d(2025, 3, 31)); m["T001"] != "税務課" || m["T002"] != "住民課" {
		t.Errorf("on 3/31: %v", m)
	}
	if m := at(d(2025, 4, 1)); m["T001"] != "住民課" {
		t.Errorf("on 4/1: %v", m)
	}
	if m := at(d(2019, 3, 31)); m["T001"] != "" || m["T002"] != "住民課" {
		t.Errorf("before T001 started: %v", m)
	}

	// An on-screen edit of the current version replaces it and is audited.
	edit := vs[1]
	edit.Title = "主査"
	before, after, err := s.SaveStaff(ctx, edit, "担当者A")
	if err != nil || len(before) != 2 || len(after) != 2 || after[1].Title != "主査" {
		t.Fatalf("SaveStaff before %+v after %+v %v", before, after, err)
	}
	log, err := s.AuditLog(ctx)
	if err != nil || len(log) != 2 || log[1].Action != "master.staff.edit" || log[1].User != "担当者A" || !strings.Contains(log[1].After, "主査") || strings.Contains(log[1].Before, "主査") {
		t.Fatalf("audit %+v %v", log, err)
	}
	// Replacing drops the history.
	if err := s.ImportStaff(ctx, second, MasterImport{Kind: "staff"}, false, nil); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Staff(ctx); len(all) != 1 {
		t.Errorf("after replace: %+v", all)
	}
	mv, err := s.MasterVersions(ctx)
	if err != nil || len(mv) != 5 || mv[4].Kind != "reception" || mv[0].Kind != "staff" || mv[0].Rows != 1 || mv[0].Import == nil || mv[0].Import.Mode != "replace" || mv[0].Changed.IsZero() {
		t.Fatalf("master versions %+v %v", mv, err)
	}
	if mv[2].Import != nil || mv[2].Rows != 0 {
		t.Errorf("watchlist never imported: %+v", mv[2])
	}
}

func TestMergeStaffRows(t *testing.T) {
	old := []domain.Staff{{ID: "X", Dept: "A", Start: d(2020, 4, 1)}, {ID: "X", Dept: "B", Start: d(2022, 4, 1), End: d(2023, 3, 31)}}
	// A row without start replaces every overlapping version.
	got := MergeStaffRows(old, []domain.Staff{{ID: "X", Dept: "C"}})
	if len(got) != 1 || got[0].Dept != "C" {
		t.Errorf("undated row: %+v", got)
	}
	// A later row closes the open one and keeps the ended one before it.
	old = []domain.Staff{{ID: "X", Dept: "A", Start: d(2020, 4, 1), End: d(2022, 3, 31)}, {ID: "X", Dept: "B", Start: d(2022, 4, 1)}}
	got = MergeStaffRows(old, []domain.Staff{{ID: "X", Dept: "C", Start: d(2024, 10, 1)}})
	if len(got) != 3 || !got[1].End.Equal(d(2024, 9, 30)) || got[2].Dept != "C" || !got[0].End.Equal(d(2022, 3, 31)) {
		t.Errorf("transfer: %+v", got)
	}
}

func TestAuditChainDetectsEditsDeletionsAndTruncation(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper []string
		want   string
	}{
		{"edited", []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET target = 'T999' WHERE seq = 2"}, "2番"},
		{"deleted", []string{"DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 2"}, "削除"},
		{"truncated", []string{"DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 3"}, "末尾"},
		{"rehashed-tail", []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET after = '{}' WHERE seq = 3"}, "3番"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			for i := range 3 {
				if _, err := s.AppendAudit(ctx, Audit{User: "u", Action: "review.set", Target: "R/T00" + string(rune('1'+i)) + "/2025-05-01", After: map[string]int{"n": i}}); err != nil {
					t.Fatal(err)
				}
			}
			n, problems, err := s.VerifyAudit(ctx)
			if err != nil || n != 3 || len(problems) != 0 {
				t.Fatalf("clean chain: %d %+v %v", n, problems, err)
			}
			// The application cannot change or remove entries.
			if _, err := s.db.Exec("UPDATE audit_log SET user_name = 'x'"); err == nil {
				t.Error("audit log entry was updated")
			}
			if _, err := s.db.Exec("DELETE FROM audit_log"); err == nil {
				t.Error("audit log entry was deleted")
			}
			for _, q := range tc.tamper {
				if _, err := s.db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			_, problems, err = s.VerifyAudit(ctx)
			if err != nil || len(problems) == 0 {
				t.Fatalf("tampering not detected: %+v %v", problems, err)
			}
			found := false
			for _, p := range problems {
				found = found || strings.Contains(p.Reason, tc.want)
			}
			if !found {
				t.Errorf("problems %+v, want one mentioning %q", problems, tc.want)
			}
		})
	}
}

func TestExclusionsAndReviews(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	x, err := s.AddExclusion(ctx, domain.Exclusion{Kind: domain.ExcludeStaff, StaffID: "T002", Reason: "システム保守用", By: "課長"}, "担当")
	if err != nil || x.ID == 0 {
		t.Fatalf("add %+v %v", x, err)
	}
	k := domain.FindingKey{Rule: "AFTER_HOURS", StaffID: "T001", Date: "2025-05-07"}
	if _, err := s.AddExclusion(ctx, domain.Exclusion{Kind: domain.ExcludeFinding, StaffID: "T001", Finding: &k, Reason: "申請漏れ", By: "課長"}, "担当"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("DELETE FROM exclusion"); err == nil {
		t.Error("an exclusion was deleted")
	}
	if _, err := s.RevokeExclusion(ctx, x.ID, "保守終了", "課長", "担当"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeExclusion(ctx, x.ID, "again", "課長", "担当"); err == nil {
		t.Error("revoked twice")
	}
	if _, err := s.RevokeExclusion(ctx, 99, "x", "y", "z"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	all, err := s.Exclusions(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("exclusions %+v %v", all, err)
	}
	if all[0].Revoked == nil || all[0].RevokeReason != "保守終了" || all[0].RevokedBy != "課長" || all[1].Revoked != nil || all[1].Finding == nil || *all[1].Finding != k {
		t.Errorf("exclusions %+v", all)
	}

	if _, err := s.SetReview(ctx, domain.Review{Key: k, Status: domain.StatusInterview, Comment: "本人に確認", By: "担当"}, "担当"); err != nil {
		t.Fatal(err)
	}
	prev, err := s.SetReview(ctx, domain.Review{Key: k, Status: domain.StatusNoIssue, Comment: "申請済みと確認", By: "課長"}, "課長")
	if err != nil || prev == nil || prev.Status != domain.StatusInterview {
		t.Fatalf("second review: prev %+v %v", prev, err)
	}
	rs, err := s.Reviews(ctx)
	if err != nil || len(rs) != 1 || rs[0].Status != domain.StatusNoIssue || rs[0].By != "課長" {
		t.Fatalf("reviews %+v %v", rs, err)
	}
	log, _ := s.AuditLog(ctx)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "exclusion.add,exclusion.add,exclusion.revoke,review.set,review.set" {
		t.Errorf("audit actions %v", actions)
	}
	if !strings.Contains(log[4].Before, "interview") || !strings.Contains(log[4].After, "no_issue") {
		t.Errorf("review audit before/after: %q → %q", log[4].Before, log[4].After)
	}
}

func TestRunDigestDetectsDeletedAndEditedFindings(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	fs := []domain.Finding{
		{Rule: "AFTER_HOURS", StaffID: "T001", Date: "2025-05-07", Severity: domain.Medium, Count: 2},
		{Rule: "HOLIDAY", StaffID: "T002", Date: "2025-05-03", Severity: domain.Low, Count: 1},
	}
	run, err := s.SaveRun(ctx, domain.Run{From: d(2025, 5, 1), To: d(2025, 5, 31), Config: "{}"}, fs)
	if err != nil {
		t.Fatal(err)
	}
	check := func() RunCheck {
		cs, err := s.VerifyRuns(ctx)
		if err != nil || len(cs) != 1 {
			t.Fatalf("verify runs %+v %v", cs, err)
		}
		return cs[0]
	}
	if c := check(); !c.Digest || !c.Matches || c.Stored != 2 {
		t.Fatalf("clean run %+v", c)
	}
	if _, err := s.db.Exec("UPDATE finding SET count = 1 WHERE rule = 'AFTER_HOURS'"); err != nil {
		t.Fatal(err)
	}
	if c := check(); c.Matches {
		t.Error("edited finding not detected")
	}
	if _, err := s.db.Exec("UPDATE finding SET count = 2 WHERE rule = 'AFTER_HOURS'"); err != nil {
		t.Fatal(err)
	}
	if c := check(); !c.Matches {
		t.Fatal("restored finding still flagged")
	}
	if _, err := s.db.Exec("DELETE FROM finding WHERE run_id = ? AND rule = 'HOLIDAY'", run.ID); err != nil {
		t.Fatal(err)
	}
	if c := check(); c.Matches || c.Stored != 1 {
		t.Errorf("deleted finding not detected: %+v", c)
	}
}

func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "tenken.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSettings(ctx, map[string]string{"hearing.town": "山里町"}); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, bak, "test"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(bak); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600) {
		t.Fatalf("backup file %v %v", fi, err)
	}
	if err := s.Backup(ctx, bak, "test"); err == nil || !strings.Contains(err.Error(), "既にあります") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if err := s.SetSettings(ctx, map[string]string{"hearing.town": "変更後"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	replaced, err := Restore(ctx, bak, path)
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if town, _ := s.Setting(ctx, "hearing.town"); town != "山里町" {
		t.Errorf("restored town %q", town)
	}
	s.Close()
	r, err := sql.Open("sqlite", replaced)
	if err != nil {
		t.Fatal(err)
	}
	var town string
	if err := r.QueryRow("SELECT value FROM setting WHERE key = 'hearing.town'").Scan(&town); err != nil || town != "変更後" {
		t.Errorf("replaced database kept %q %v", town, err)
	}
	r.Close()

	// A backup from a newer Tenken is refused, and so is a file that is
	// not a Tenken database.
	newer := filepath.Join(t.TempDir(), "newer.db")
	n, _ := sql.Open("sqlite", newer)
	n.Exec("CREATE TABLE setting(key TEXT); CREATE TABLE import_batch(id INTEGER); CREATE TABLE run(id INTEGER); PRAGMA user_version = 99")
	n.Close()
	var de *domain.Error
	if _, err := Restore(ctx, newer, path); !errors.As(err, &de) || de.Code != "newer_schema" {
		t.Errorf("restore newer: %v", err)
	}
	cur, _ := sql.Open("sqlite", path)
	if _, err := cur.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	cur.Close()
	if _, err := Restore(ctx, bak, path); !errors.As(err, &de) || de.Code != "newer_schema" || !strings.Contains(de.Message, "置き換えません") {
		t.Errorf("restore over a newer database: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just text"), 0o600)
	if _, err := Restore(ctx, junk, path); err == nil {
		t.Error("restored a junk file")
	}
}

func TestOpenRefusesTruncatedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenken.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// Enough rows to span many pages.
	big := strings.Repeat("あ", 500)
	for i := range 200 {
		if _, err := s.AppendAudit(ctx, Audit{User: "u", Action: "test", Target: big, After: i}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "damaged" || !strings.Contains(de.Message, "壊れて") {
		t.Fatalf("open truncated: %v", err)
	}
}

// Several processes opening the same new database at once all succeed and
// the migrations are applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tenken.db")
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			s, err := Open(path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.UserVersion(context.Background()); v != SchemaVersion() {
		t.Errorf("version %d", v)
	}
}
