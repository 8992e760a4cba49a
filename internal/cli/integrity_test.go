//go:build !windows

package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/store"
	"tenken/internal/workspace"
)

// smallLog is a log of a few rows, one of them after hours.
const smallLog = "操作日時,職員ID,端末,機能,操作,宛名番号\r\n" +
	"2025/05/07 09:00:00,S0001,PC-1,住民票照会,照会,0000001\r\n" +
	"2025/05/07 22:10:00,S0001,PC-1,住民票照会,照会,0000002\r\n" +
	"2025/05/08 10:00:00,S0002,PC-2,住民票照会,照会,0000003\r\n"

// smallWorkspace is a workspace with a small log imported and inspected.
func smallWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	logFile := filepath.Join(dir, "log.csv")
	if err := os.WriteFile(logFile, []byte(smallLog), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"hearing", "set", "--workspace", ws, "town=山里町", "person=情報 太郎"},
		{"import", "--workspace", ws, "--system", "住民記録", logFile},
		{"inspect", "--workspace", ws, "--from", "2025-05-01", "--to", "2025-05-31"},
	} {
		if _, errOut, code := run(t, args...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	return ws
}

// TestVerifyAnchorFailsOnRehashedChain: the 検証コード printed on a report
// is checked by verify --anchor; after the history is rebuilt and
// re-hashed (every row still agreeing with its entry), the exit status is
// non-zero and the message says the code no longer holds.
func TestVerifyAnchorFailsOnRehashedChain(t *testing.T) {
	ws := smallWorkspace(t)
	out, errOut, code := run(t, "verify", "--workspace", ws)
	if code != ExitOK || !strings.Contains(out, "いまの検証コード: ") {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
	anchor := strings.Fields(strings.SplitN(out, "いまの検証コード: ", 2)[1])[0]
	anchor = strings.SplitN(anchor, "（", 2)[0]
	if out, errOut, code := run(t, "verify", "--workspace", ws, "--anchor", strings.ToLower(anchor)); code != ExitOK {
		t.Fatalf("verify --anchor on the untouched workspace: exit %d\n%s\n%s", code, out, errOut)
	}

	// The insider changes who imported the log and re-hashes the chain.
	db, err := sql.Open("sqlite", filepath.Join(ws, workspace.DBName))
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("DROP TRIGGER audit_log_no_update")
	if _, err := db.Exec("UPDATE audit_log SET user_name = '別人'"); err != nil {
		t.Fatal(err)
	}
	rows, _ := db.Query("SELECT seq, at, user_name, action, target, before, after FROM audit_log ORDER BY seq")
	type entry struct {
		seq                                  int64
		at, user, action, target, bef, after string
	}
	var all []entry
	for rows.Next() {
		var e entry
		rows.Scan(&e.seq, &e.at, &e.user, &e.action, &e.target, &e.bef, &e.after)
		all = append(all, e)
	}
	rows.Close()
	prev := ""
	for _, e := range all {
		at, _ := time.Parse(time.RFC3339Nano, e.at)
		h := store.AuditHash(auditEntry(e.seq, at, e.user, e.action, e.target, e.bef, e.after, prev))
		if _, err := db.Exec("UPDATE audit_log SET prev = ?, hash = ? WHERE seq = ?", prev, h, e.seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	db.Exec("UPDATE setting SET value = ? WHERE key = 'audit.head'", fmt.Sprintf("%d %s", len(all), prev))
	db.Close()

	out, _, code = run(t, "verify", "--workspace", ws)
	if code != ExitOK {
		t.Fatalf("without the anchor, a consistent rebuilt history passes (only the anchor can tell): exit %d\n%s", code, out)
	}
	out, errOut, code = run(t, "verify", "--workspace", ws, "--anchor", anchor)
	if code == ExitOK || !strings.Contains(out, "NG  "+workspace.CheckAnchor) || !strings.Contains(out, "書き換えられ") {
		t.Errorf("verify --anchor after a re-hash: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := run(t, "verify", "--workspace", ws, "--anchor", "12-XYZ"); code == ExitOK || !strings.Contains(errOut, "形が正しくありません") {
		t.Errorf("malformed anchor: exit %d %s", code, errOut)
	}
}

// TestReadOnlyFolder: a workspace whose folder the user cannot write is
// opened read-only: verify and findings work, a change says the folder is
// read-only (never that the database is damaged), and the folder's mode
// is left as the user set it. Root may write anywhere, so as root the
// test runs itself again as nobody.
func TestReadOnlyFolder(t *testing.T) {
	if os.Getenv("TENKEN_READONLY_WS") != "" {
		readOnlyChecks(t, os.Getenv("TENKEN_READONLY_WS"))
		return
	}
	ws := smallWorkspace(t)
	if os.Getuid() != 0 {
		if err := os.Chmod(ws, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(ws, 0o700)
		readOnlyChecks(t, ws)
		return
	}
	// As nobody: the workspace and a copy of the test binary must be
	// reachable by that user.
	const nobody = 65534
	share, err := os.MkdirTemp("", "tenken-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(share)
	os.Chmod(share, 0o755)
	bin := filepath.Join(share, "cli.test")
	copyExec(t, os.Args[0], bin)
	dir := filepath.Join(share, "ws")
	if err := os.Rename(ws, dir); err != nil {
		t.Fatal(err)
	}
	filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, nobody, nobody) })
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(share, "tmp")
	os.Mkdir(tmp, 0o700)
	os.Chown(tmp, nobody, nobody)
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyFolder$", "-test.v")
	cmd.Env = append(os.Environ(), "TENKEN_READONLY_WS="+dir, "HOME="+tmp, "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadOnlyFolder") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	t.Logf("as nobody:\n%s", out)
}

func readOnlyChecks(t *testing.T, ws string) {
	out, errOut, code := run(t, "verify", "--workspace", ws)
	if code != ExitOK || !strings.Contains(out, "読み取り専用") {
		t.Errorf("verify on a read-only folder: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := run(t, "findings", "--workspace", ws, "--format", "json"); code != ExitOK || !strings.Contains(out, "AFTER_HOURS") {
		t.Errorf("findings on a read-only folder: exit %d\n%s\n%s", code, out, errOut)
	}
	logFile := filepath.Join(t.TempDir(), "more.csv")
	os.WriteFile(logFile, []byte(strings.ReplaceAll(smallLog, "2025/05/0", "2025/06/0")), 0o600)
	for _, args := range [][]string{
		{"import", "--workspace", ws, "--system", "住民記録", logFile},
		{"exclude", "--workspace", ws, "--staff", "S0001", "--reason", "テスト", "--by", "課長"},
		{"hearing", "set", "--workspace", ws, "town=川里町"},
	} {
		_, errOut, code := run(t, args...)
		if code == ExitOK || !strings.Contains(errOut, "読み取り専用") || strings.Contains(errOut, "壊れているか") || strings.Contains(errOut, "復元") {
			t.Errorf("%s on a read-only folder: exit %d: %s", args[0], code, errOut)
		}
	}
	if fi, err := os.Stat(ws); err != nil || fi.Mode().Perm() != 0o500 {
		t.Errorf("folder mode changed: %v %v", fi.Mode(), err)
	}
}

func copyExec(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

// TestImportRefusesWhatIsNotAFile: a named pipe and /dev/zero are refused
// at once with a Japanese reason, instead of an import that never ends.
func TestImportRefusesWhatIsNotAFile(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	fifo := filepath.Join(t.TempDir(), "log.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, p := range []string{fifo, "/dev/zero", filepath.Dir(fifo)} {
		done := make(chan struct{})
		var errOut string
		var code int
		go func() {
			defer close(done)
			_, errOut, code = run(t, "import", "--workspace", ws, "--system", "住民記録", p)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("import of %s does not end", p)
		}
		if code == ExitOK || !strings.Contains(errOut, "取り込みません") {
			t.Errorf("import of %s: exit %d: %s", p, code, errOut)
		}
	}
}

// TestMyNumberIsNeverStored: a row whose 宛名番号 is a 個人番号 (valid check
// digit) is refused with its line; the number is in neither the database
// nor a backup, and the other rows are imported.
func TestMyNumberIsNeverStored(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	logFile := filepath.Join(dir, "log.csv")
	const myNumber = "123456789018"
	os.WriteFile(logFile, []byte(smallLog+"2025/05/09 10:00:00,S0003,PC-3,住民票照会,照会,"+myNumber+"\r\n"+
		"2025/05/09 10:01:00,S0003,PC-3,住民票照会,照会,1234-5678-9018\r\n"), 0o600)
	out, errOut, code := run(t, "import", "--workspace", ws, "--system", "住民記録", logFile)
	if code != ExitOK || !strings.Contains(out, "取込不可 2") {
		t.Fatalf("import: exit %d %s%s", code, out, errOut)
	}
	out, _, _ = run(t, "rejects", "--workspace", ws, "--format", "json")
	if !strings.Contains(out, `"line": 5`) || !strings.Contains(out, `"line": 6`) || !strings.Contains(out, "個人番号") {
		t.Errorf("rejects: %s", out)
	}
	bak := filepath.Join(dir, "b.db")
	if _, errOut, code := run(t, "backup", "--workspace", ws, "--out", bak); code != ExitOK {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := w.Summary(ctx)
	w.Close()
	if sum.Rows != 3 {
		t.Errorf("stored %d rows, want the 3 without a 個人番号", sum.Rows)
	}
	for _, f := range []string{filepath.Join(ws, workspace.DBName), bak} {
		b, _ := os.ReadFile(f)
		for _, s := range []string{myNumber, "1234-5678-9018", "5678"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %s", filepath.Base(f), s)
			}
		}
	}
}

// TestBackupPathWithHash backs up and restores through the command line
// with # and % in the file name.
func TestBackupPathWithHash(t *testing.T) {
	ws := smallWorkspace(t)
	bak := filepath.Join(t.TempDir(), "点検#5 100%.db")
	if _, errOut, code := run(t, "backup", "--workspace", ws, "--out", bak); code != ExitOK {
		t.Fatalf("backup: %s", errOut)
	}
	other := filepath.Join(t.TempDir(), "ws#2")
	if _, errOut, code := run(t, "restore", "--workspace", other, "--from", bak); code != ExitOK {
		t.Fatalf("restore: %s", errOut)
	}
	out, errOut, code := run(t, "verify", "--workspace", other)
	if code != ExitOK {
		t.Fatalf("verify the restored workspace: %s\n%s", out, errOut)
	}
	out, _, _ = run(t, "audit", "--workspace", ws)
	if !strings.Contains(out, "backup.save") && !strings.Contains(out, "バックアップ") {
		t.Errorf("backup not audited:\n%s", out)
	}
}

func auditEntry(seq int64, at time.Time, user, action, target, before, after, prev string) domain.AuditEntry {
	return domain.AuditEntry{Seq: seq, At: at, User: user, Action: action, Target: target, Before: before, After: after, Prev: prev}
}
