package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A system whose export names its columns in a way auto-mapping cannot
// read: the import stops before writing and names the columns it saw; a
// profile saved from a sample with --map then imports it, automatically
// for later files of that system; rejects come out as CSV for Excel and
// as JSON, with 個人番号 masked and formulas escaped.
func TestProfileImportAndRejects(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	log := filepath.Join(dir, "福祉.csv")
	text := "記録時刻,担当,区分,対象\n2024/04/01 09:00:00,K01,照会(詳細),100\n2024/04/01 09:01:00,K01,一括印刷,101\n=SUM(1),K01,123456789012,102\n"
	if err := os.WriteFile(log, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "import", "--workspace", ws, "--system", "福祉", log)
	if code == ExitOK || !strings.Contains(errOut, "「記録時刻」「担当」「区分」「対象」") || !strings.Contains(errOut, "職員ID") {
		t.Fatalf("auto-mapped import: exit %d, stderr %q; want a failure naming the columns seen and the field needed", code, errOut)
	}
	out, errOut, code := run(t, "rejects", "--workspace", ws, "--format", "json")
	if code != ExitOK || strings.TrimSpace(out) != "[]" {
		t.Fatalf("the failed import wrote rejects: %d %s %s", code, out, errOut)
	}

	prof := filepath.Join(dir, "福祉.json")
	out, errOut, code = run(t, "profile", "save", "--workspace", ws, "--system", "福祉", "--map", "記録時刻=time", "--map", "担当=staff_id",
		"--map", "区分=action", "--map", "対象=subject_id", "--out", prof, log)
	if code != ExitOK || !strings.Contains(out, "担当 → staff_id") {
		t.Fatalf("profile save: exit %d\n%s\n%s", code, out, errOut)
	}
	if fi, err := os.Stat(prof); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("profile file: %v %v", fi, err)
	}
	out, _, code = run(t, "profile", "show", "--workspace", ws, "--system", "福祉")
	if code != ExitOK || !strings.Contains(out, `"担当": "staff_id"`) {
		t.Fatalf("profile show: %d %s", code, out)
	}

	out, errOut, code = run(t, "import", "--workspace", ws, "--system", "福祉", log)
	if code != ExitOK || !strings.Contains(out, "取込 2 / 取込不可 1") {
		t.Fatalf("import with the saved profile: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "123456789012") {
		t.Errorf("a 個人番号 reached the terminal: %s", errOut)
	}

	out, _, code = run(t, "rejects", "--workspace", ws, "--format", "csv")
	if code != ExitOK || !strings.HasPrefix(out, "\ufeff取込ID,ファイル,行,列,理由,元の行") {
		t.Fatalf("rejects csv: %d %q", code, out)
	}
	if strings.Contains(out, "123456789012") || !strings.Contains(out, "************") {
		t.Errorf("個人番号 not masked in rejects csv:\n%s", out)
	}
	if strings.Contains(out, ",=SUM") || strings.Contains(out, "\"=SUM") || !strings.Contains(out, "'=SUM(1)") {
		t.Errorf("formula not escaped:\n%s", out)
	}
	out, _, code = run(t, "rejects", "--workspace", ws, "--format", "json", "--batch", "1")
	var rj []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &rj) != nil || len(rj) != 1 || rj[0]["line"].(float64) != 4 {
		t.Fatalf("rejects json: %d %s", code, out)
	}
	if _, errOut, code := run(t, "rejects", "--workspace", ws, "--batch", "99"); code == ExitOK || !strings.Contains(errOut, "取込ID 99") {
		t.Errorf("unknown batch: %d %s", code, errOut)
	}

	// The same profile as a file, for another workspace.
	out, errOut, code = run(t, "import", "--workspace", filepath.Join(dir, "ws2"), "--system", "福祉", "--profile", prof, log)
	if code != ExitOK || !strings.Contains(out, "取込 2") {
		t.Fatalf("import --profile: %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := run(t, "import", "--workspace", ws, "--system", "税務", "--profile", prof, log); code != ExitUsage || !strings.Contains(errOut, "福祉") {
		t.Errorf("profile of another system accepted: %d %s", code, errOut)
	}
}

// A log whose 通番 column has a name auto-mapping does not know (No) is
// mapped with --map No=seq; an unknown field name is refused with the
// list of fields, which names seq.
func TestProfileMapsSeq(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	log := filepath.Join(dir, "税務.csv")
	if err := os.WriteFile(log, []byte("No,操作日時,職員ID,操作\n17,2024/04/01 09:00:00,K01,照会\nx9,2024/04/01 09:01:00,K01,照会\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "profile", "save", "--workspace", ws, "--system", "税務", "--map", "No=sequence", log)
	if code != ExitUsage || !strings.Contains(errOut, "seq") {
		t.Fatalf("unknown field: exit %d, stderr %q; want a usage error listing seq", code, errOut)
	}
	out, errOut, code := run(t, "profile", "save", "--workspace", ws, "--system", "税務", "--map", "No=seq", log)
	if code != ExitOK || !strings.Contains(out, "No → seq（通番）") {
		t.Fatalf("profile save: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = run(t, "import", "--workspace", ws, "--system", "税務", log)
	if code != ExitOK || !strings.Contains(out, "取込 1 / 取込不可 1") || !strings.Contains(errOut, "税務.csv 3行目 「No」列: 通番「x9」が整数として読めません") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
}
