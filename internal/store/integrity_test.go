package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func testDomainCode(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestBusyIsNotBroken holds the write lock from another connection, as an
// import does, while commands start: opening the database works (its
// journal belongs to a live writer: no damage is suspected), a change
// waits, then either runs once the lock is gone or says another job is
// running — never that the database is damaged.
func TestBusyIsNotBroken(t *testing.T) {
	old := BusyTimeout
	BusyTimeout = 400 * time.Millisecond
	defer func() { BusyTimeout = old }()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenken.db")
	s := openStore(t, path)
	if err := s.SetSettings(ctx, map[string]string{"hearing.town": "山里町"}); err != nil {
		t.Fatal(err)
	}

	// The "import": a write transaction held open on its own connection.
	holder, err := sql.Open("sqlite", fileURI(path, "_pragma=busy_timeout(5000)"))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES('x', 'y')"); err != nil {
		t.Fatal(err)
	}

	// A command started during it opens the database and reads.
	other, err := Open(path)
	if err != nil {
		t.Fatalf("open during a write: %v", err)
	}
	defer other.Close()
	if v, err := other.Setting(ctx, "hearing.town"); err != nil || v != "山里町" {
		t.Fatalf("read during a write: %q %v", v, err)
	}
	// A change waits BusyTimeout, then says another job is running.
	start := time.Now()
	_, err = other.AppendAudit(ctx, Audit{User: "u", Action: "test"})
	err = other.Explain(err)
	if testDomainCode(err) != CodeBusy || !strings.Contains(err.Error(), "ほかの処理") || strings.Contains(err.Error(), "壊れているか") || strings.Contains(err.Error(), "復元") {
		t.Fatalf("change during a write: %v", err)
	}
	if waited := time.Since(start); waited < BusyTimeout/2 {
		t.Errorf("gave up after %v without waiting", waited)
	}
	// Released while it waits: the change runs.
	go func() {
		time.Sleep(100 * time.Millisecond)
		conn.ExecContext(ctx, "ROLLBACK")
	}()
	if _, err := other.AppendAudit(ctx, Audit{User: "u", Action: "test"}); err != nil {
		t.Fatalf("change after the write ended: %v", err)
	}
}

// TestOpenTellsNotTenkenFromDamage: a file that is not SQLite, and another
// program's SQLite database, are "not a Tenken database" (and the other
// program's file is left as it was); a truncated Tenken database is
// damage.
func TestOpenTellsNotTenkenFromDamage(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("これはデータベースではありません。", 400)), 0o600)
	if _, err := Open(junk); testDomainCode(err) != CodeNotTenken || strings.Contains(err.Error(), "復元") {
		t.Errorf("not SQLite: %v", err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(foreign); testDomainCode(err) != CodeNotTenken {
		t.Errorf("another program's database: %v", err)
	}
	db, _ = sql.Open("sqlite", foreign)
	var n int
	db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&n)
	db.Close()
	if n != 1 {
		t.Errorf("Open added tables to another program's database: %d tables", n)
	}
}

// TestDiskFullMessage gets a real SQLITE_FULL (a connection limited to a
// few pages) and checks the Japanese message says what to do and that
// nothing is lost.
func TestDiskFullMessage(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	db.Exec("CREATE TABLE t(x)")
	db.Exec("PRAGMA max_page_count = 3")
	_, err = db.Exec("INSERT INTO t SELECT randomblob(100000)")
	if err == nil {
		t.Fatal("no error from a full database")
	}
	e := Explain(err, "tenken.db")
	if testDomainCode(e) != CodeDiskFull || !strings.Contains(e.Error(), "空き") || strings.Contains(e.Error(), "full") {
		t.Errorf("disk full: %v", e)
	}
}

// TestBackupAndRestoreTakeAnyName backs up to, and restores from, file
// names with # % ? and spaces, which an SQLite URI built by hand breaks
// on; and the backup is audited with its SHA-256.
func TestBackupAndRestoreTakeAnyName(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "tenken.db"))
	if err := s.SetSettings(ctx, map[string]string{"hearing.town": "山里町"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"バックアップ#1 100%.db", "a?b#c%20d.db", "file:x.db"} {
		out := filepath.Join(t.TempDir(), name)
		if err := s.Backup(ctx, out, "担当"); err != nil {
			t.Fatalf("backup to %q: %v", name, err)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o600 {
			t.Fatalf("backup %q: %v %v", name, fi, err)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*tmp")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
		target := filepath.Join(t.TempDir(), "ws#2%", "tenken.db")
		os.MkdirAll(filepath.Dir(target), 0o700)
		if _, err := Restore(ctx, out, target); err != nil {
			t.Fatalf("restore from %q: %v", name, err)
		}
		r := openStore(t, target)
		if v, _ := r.Setting(ctx, "hearing.town"); v != "山里町" {
			t.Errorf("restored from %q: town %q", name, v)
		}
	}
	log, _ := s.AuditLog(ctx)
	if len(log) != 3 || log[0].Action != "backup.save" || !strings.Contains(log[0].After, `"sha256":"`) {
		t.Errorf("backups not audited: %+v", log)
	}
}

// TestOpenSweepsLeftovers: temporary files a killed backup, restore or
// migration left (they hold residents' data) are removed when the
// database opens; those of a process still running are not.
func TestOpenSweepsLeftovers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tenken.db")
	openStore(t, path).Close()
	cmd := osexec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	mine := os.Getpid()
	elsewhere := t.TempDir()
	files := map[string]bool{ // path → removed
		filepath.Join(dir, fmt.Sprintf("tenken.db.restore-20250101-000000-p%d.tmp", dead)):           true,
		filepath.Join(dir, fmt.Sprintf(".tenken.db.replaced-20250101.bak.tenken-p%d-123.tmp", dead)): true,
		filepath.Join(dir, fmt.Sprintf("tenken.db.restore-20250101-000000-p%d.tmp", mine)):           false,
		filepath.Join(elsewhere, fmt.Sprintf(".backup.db.tenken-p%d-99.tmp", dead)):                  true,
		filepath.Join(elsewhere, "my-own-file.tmp"):                                                  false,
		filepath.Join(dir, "tenken.db.replaced-20250101-000000.bak"):                                 false,
	}
	for p := range files {
		os.WriteFile(p, []byte("resident data"), 0o600)
	}
	addPending(path, filepath.Join(elsewhere, fmt.Sprintf(".backup.db.tenken-p%d-99.tmp", dead)))
	addPending(path, filepath.Join(elsewhere, "my-own-file.tmp"))
	openStore(t, path)
	for p, removed := range files {
		_, err := os.Stat(p)
		if gone := errors.Is(err, os.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", filepath.Base(p), gone, removed)
		}
	}
}

// TestRowsDigestFollowsStoredRows: the rows digest an import records is
// the one recomputed from the stored events, also when part of the file
// was already stored by an older batch (an overlapping export), in both
// the row-by-row and the bulk path.
func TestRowsDigestFollowsStoredRows(t *testing.T) {
	ctx := context.Background()
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			s := openStore(t, filepath.Join(t.TempDir(), "tenken.db"))
			imp := func(name string, from, to int) string {
				size := int64(100)
				if bulk {
					size = int64(to-from) * estBytesPerRow * bulkMinRows // force the bulk path
				}
				im, err := s.BeginImport(ctx, domain.ImportBatch{File: name, SHA256: name, System: "住民記録", Kind: domain.KindAccess, Size: size})
				if err != nil {
					t.Fatal(err)
				}
				b := im.NewBatch()
				for i := from; i < to; i++ {
					e := domain.Event{Time: time.Date(2025, 5, 1, 9, 0, i%60, 0, time.UTC).Add(time.Duration(i) * time.Minute),
						StaffID: fmt.Sprintf("S%03d", i%7), Terminal: "PC-1", System: "住民記録", Function: "住民票照会",
						Action: domain.ActionLookup, RawAction: "照会", SubjectID: fmt.Sprintf("%07d", i), Records: 1, Line: i + 2}
					b.Add(&e, int64(i)*7919)
				}
				if err := im.Write(ctx, b); err != nil {
					t.Fatal(err)
				}
				im.SetSource("/x/"+name, "担当")
				if _, err := im.Commit(ctx, to-from); err != nil {
					t.Fatal(err)
				}
				return im.RowsDigest()
			}
			d1 := imp("a.csv", 0, 300)
			d2 := imp("b.csv", 200, 700) // rows 200–299 are already stored
			got, err := s.BatchDigests(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got[1] != d1 || got[2] != d2 || !strings.HasPrefix(d2, "r1:400:") {
				t.Fatalf("recorded %s %s, recomputed %v", d1, d2, got)
			}
			r, err := s.ReplayAudit(ctx)
			if err != nil || len(r.Problems) > 0 || r.Batches != 2 {
				t.Fatalf("replay %+v %v", r, err)
			}
		})
	}
}
