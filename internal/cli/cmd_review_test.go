package cli

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExcludeReviewAuditVerifyBackupRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample town")
	}
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if out, errOut, code := run(t, "demo", "--workspace", ws, "--out", filepath.Join(dir, "r.pdf")); code != ExitOK {
		t.Fatalf("demo %d\n%s\n%s", code, out, errOut)
	}
	out, _, code := run(t, "findings", "--workspace", ws, "--format", "json")
	var fs []struct {
		Rule    string `json:"rule"`
		StaffID string `json:"staff_id"`
		Date    string `json:"date"`
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &fs) != nil || len(fs) == 0 {
		t.Fatalf("findings %d %s", code, out)
	}
	key := fs[0].Rule + "/" + fs[0].StaffID + "/" + fs[0].Date

	// Exclusions need a reason and an approver.
	if _, errOut, code := run(t, "exclude", "--workspace", ws, "--staff", "T001", "--by", "課長"); code != ExitUsage || !strings.Contains(errOut, "理由") {
		t.Errorf("exclude without reason: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, "exclude", "--workspace", ws, "--staff", "T001", "--account", "X", "--reason", "r", "--by", "b"); code != ExitUsage || !strings.Contains(errOut, "1つ") {
		t.Errorf("exclude two targets: %d %s", code, errOut)
	}
	out, _, _ = run(t, "exclude", "list", "--workspace", ws, "--format", "json")
	var before []map[string]any
	if err := json.Unmarshal([]byte(out), &before); err != nil {
		t.Fatalf("exclude list: %v %s", err, out)
	}
	id := fmt.Sprint(len(before) + 1)
	out, errOut, code := run(t, "exclude", "--workspace", ws, "--staff", "T001", "--reason", "育児休業中の代理操作の確認済み", "--by", "総務課長")
	if code != ExitOK || !strings.Contains(out, "（"+id+"番）") {
		t.Fatalf("exclude staff: %d %s %s", code, out, errOut)
	}
	if _, _, code := run(t, "exclude", "--workspace", ws, "--finding", key, "--reason", "申請済み", "--by", "総務課長"); code != ExitOK {
		t.Fatalf("exclude finding: %d", code)
	}
	if _, errOut, code := run(t, "exclude", "revoke", "--workspace", ws, "--id", id, "--reason", "誤登録", "--by", "総務課長"); code != ExitOK {
		t.Fatalf("revoke: %d %s", code, errOut)
	}
	out, _, _ = run(t, "exclude", "list", "--workspace", ws, "--format", "json")
	var ex []map[string]any
	if err := json.Unmarshal([]byte(out), &ex); err != nil || len(ex) != len(before)+2 {
		t.Fatalf("exclude list %v %s", err, out)
	}
	if ex = ex[len(before):]; ex[0]["revoked"] != true || ex[1]["finding"] != key {
		t.Fatalf("exclude list %s", out)
	}
	if out, _, _ := run(t, "exclude", "list", "--workspace", ws); !strings.Contains(out, "取消済") || !strings.Contains(out, "有効") {
		t.Errorf("exclude list text:\n%s", out)
	}

	// Reviews.
	if _, errOut, code := run(t, "review", "--workspace", ws, "--finding", key, "--status", "no_issue", "--by", "担当"); code != ExitError || !strings.Contains(errOut, "コメント") {
		t.Errorf("closing review without comment: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, "review", "--workspace", ws, "--finding", key, "--status", "later"); code != ExitUsage || !strings.Contains(errOut, "interview") {
		t.Errorf("bad status: %d %s", code, errOut)
	}
	if _, errOut, code := run(t, "review", "--workspace", ws, "--finding", key, "--status", "interview", "--comment", "本人に聞く", "--by", "担当"); code != ExitOK {
		t.Fatalf("review: %d %s", code, errOut)
	}
	out, _, _ = run(t, "review", "list", "--workspace", ws, "--format", "json")
	var rs []map[string]any
	if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) != 1 || rs[0]["status"] != "interview" || rs[0]["label"] != "要ヒアリング" {
		t.Fatalf("review list %v %s", err, out)
	}
	out, _, _ = run(t, "audit", "--workspace", ws)
	for _, want := range []string{"除外の登録", "除外の取り消し", "点検結果の確認", "職員マスタの取り込み"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit lacks %q:\n%s", want, out)
		}
	}

	// verify passes, backup is taken, then tampering fails verify.
	out, errOut, code = run(t, "verify", "--workspace", ws)
	if code != ExitOK || strings.Contains(out, "NG") {
		t.Fatalf("verify clean: %d\n%s\n%s", code, out, errOut)
	}
	bak := filepath.Join(dir, "backup.db")
	if _, errOut, code := run(t, "backup", "--workspace", ws, "--out", bak); code != ExitOK {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(ws, "tenken.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET after = '{\"status\":\"no_issue\"}' WHERE action = 'review.set'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, errOut, code = run(t, "verify", "--workspace", ws)
	if code != ExitError || !strings.Contains(out, "NG  監査ログのハッシュ連鎖") || !strings.Contains(errOut, "問題が見つかりました") {
		t.Fatalf("verify tampered: %d\n%s\n%s", code, out, errOut)
	}

	// restore brings back the untampered database and keeps the other.
	out, errOut, code = run(t, "restore", "--workspace", ws, "--from", bak)
	if code != ExitOK || !strings.Contains(out, "残してあります") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if out, errOut, code := run(t, "verify", "--workspace", ws); code != ExitOK {
		t.Fatalf("verify after restore: %d\n%s\n%s", code, out, errOut)
	}
	matches, _ := filepath.Glob(filepath.Join(ws, "tenken.db.replaced-*.bak"))
	if len(matches) != 1 {
		t.Errorf("replaced database kept: %v", matches)
	}
}

func TestVerifyTruncatedWorkspaceFails(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if _, errOut, code := run(t, "hearing", "set", "--workspace", ws, "town=山里町", "person=情報 太郎"); code != ExitOK {
		t.Fatalf("hearing: %s", errOut)
	}
	for i := range 40 {
		if _, errOut, code := run(t, "exclude", "--workspace", ws, "--account", "BATCH"+strings.Repeat("X", i), "--reason", strings.Repeat("夜間バッチ処理用のアカウント", 20), "--by", "課長"); code != ExitOK {
			t.Fatalf("exclude %d: %s", i, errOut)
		}
	}
	db := filepath.Join(ws, "tenken.db")
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(db, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "verify", "--workspace", ws)
	if code != ExitError || !strings.Contains(out, "NG") || !strings.Contains(errOut, "壊れて") {
		t.Fatalf("verify truncated: %d\n%s\n%s", code, out, errOut)
	}
}
