package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportAndExportUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"report", "--workspace", dir, "--out", "r.pdf", "--era", "meiji"}, ExitUsage, "wareki"},
		{[]string{"report", "--workspace", dir, "--out", "r.pdf", "--no-section", "nosuch"}, ExitUsage, "charts"},
		{[]string{"report", "--workspace", dir, "--out", "r.pdf", "--annual", "昭和の頃"}, ExitUsage, "令和7"},
		{[]string{"report", "--workspace", dir, "--out", "r.pdf", "--evidence-limit", "-1"}, ExitUsage, "0 以上"},
		{[]string{"report", "--workspace", dir, "--out", filepath.Join(dir, "r.pdf")}, ExitError, "点検"},
		{[]string{"export", "--workspace", dir, "--out", "x.ods", "--format", "ods"}, ExitUsage, "xlsx か csv"},
		{[]string{"export", "--workspace", dir, "--format", "csv"}, ExitUsage, "--out"},
		{[]string{"export", "--workspace", dir, "--format", "csv", "--out", filepath.Join(dir, "x.csv")}, ExitError, "点検"},
	}
	for _, tt := range tests {
		_, errOut, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

func TestParseFiscalYear(t *testing.T) {
	for in, want := range map[string]int{"2025": 2025, "2025年度": 2025, "令和7": 2025, "R7": 2025, "令和7年度": 2025, "令和元年度": 2019} {
		got, err := parseFiscalYear(in)
		if err != nil || got != want {
			t.Errorf("parseFiscalYear(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "7", "令和", "1900", "abc"} {
		if _, err := parseFiscalYear(in); err == nil {
			t.Errorf("parseFiscalYear(%q) accepted", in)
		}
	}
}

func TestReportAndExportCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sample town")
	}
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if _, errOut, code := run(t, "demo", "--workspace", ws, "--out", filepath.Join(dir, "demo.pdf")); code != ExitOK {
		t.Fatalf("demo: %s", errOut)
	}
	pdf := filepath.Join(dir, "r.pdf")
	out, errOut, code := run(t, "report", "--workspace", ws, "--out", pdf, "--era", "wareki", "--form-no", "総情-17",
		"--sections", "overview,findings,coverage", "--approvers", "担当,課長,町長", "--password", "pw")
	if code != ExitOK {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "AES-256") {
		t.Errorf("report output does not mention the password: %s", out)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		b, err := exec.Command(bin, "-enc", "UTF-8", "-upw", "pw", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, s := range []string{"1. 概要", "2. 検出事項一覧", "3. 除外", "4. ログの網羅性", "総情-17", "町長", "令和7年"} {
			if !strings.Contains(text, s) {
				t.Errorf("report lacks %q", s)
			}
		}
		if strings.Contains(text, "対象者別の詳細") {
			t.Error("a section outside --sections was printed")
		}
	}
	ann := filepath.Join(dir, "annual.pdf")
	if out, errOut, code := run(t, "report", "--workspace", ws, "--annual", "令和7", "--out", ann); code != ExitOK || !strings.Contains(out, "2025年度の年間総括") {
		t.Errorf("annual: exit %d %s %s", code, out, errOut)
	}
	out, errOut, code = run(t, "export", "--workspace", ws, "--format", "csv", "--out", filepath.Join(dir, "e.csv"))
	if code != ExitOK {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	for _, name := range []string{"e.csv", "e_証跡.csv", "e_職員ランキング.csv"} {
		if !strings.Contains(out, name) {
			t.Errorf("export output does not name %s: %s", name, out)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, errOut, code := run(t, "export", "--workspace", ws, "--out", filepath.Join(dir, "e.xlsx")); code != ExitOK {
		t.Errorf("xlsx export: %s", errOut)
	}
	// --save-defaults keeps the era for the next report.
	if _, errOut, code := run(t, "report", "--workspace", ws, "--era", "wareki", "--save-defaults"); code != ExitOK {
		t.Fatalf("save-defaults: %s", errOut)
	}
	plain := filepath.Join(dir, "p.pdf")
	if _, errOut, code := run(t, "report", "--workspace", ws, "--out", plain, "--sections", "overview"); code != ExitOK {
		t.Fatalf("report: %s", errOut)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		b, _ := exec.Command(bin, "-enc", "UTF-8", plain, "-").Output()
		if !strings.Contains(strings.ReplaceAll(string(b), "\n", ""), "点検期間令和7年") {
			t.Error("the saved era was not used")
		}
	}
}
