package cli

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tenken/internal/workspace"
)

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// TestDemoFindsEveryPlantedIncidentAndNothingElse is the end-to-end
// contract of the walking skeleton: the sample town's planted incidents are
// all found, no clean staff member is flagged, and the report names them.
func TestDemoFindsEveryPlantedIncidentAndNothingElse(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	pdf := filepath.Join(dir, "report.pdf")
	out, errOut, code := run(t, "demo", "--workspace", ws, "--out", pdf)
	if code != ExitOK {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"サンプルの町", "点検しました", "報告書を書き出しました"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}

	out, errOut, code = run(t, "findings", "--workspace", ws, "--format", "json")
	if code != ExitOK {
		t.Fatalf("findings exit %d: %s", code, errOut)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("findings json: %v\n%s", err, out)
	}
	for _, f := range got {
		for _, k := range []string{"rule", "staff_id", "date", "severity", "count", "excluded"} {
			if _, ok := f[k]; !ok {
				t.Fatalf("finding lacks key %q: %v", k, f)
			}
		}
	}
	town, err := workspace.SampleTown(filepath.Join(dir, "manifest"))
	if err != nil {
		t.Fatal(err)
	}
	if len(town.Incidents) < 5 {
		t.Fatalf("sample plants only %d incidents", len(town.Incidents))
	}
	type key struct{ rule, staff, date string }
	found := map[key]bool{}
	flagged := map[string]bool{}
	for _, f := range got {
		found[key{f["rule"].(string), f["staff_id"].(string), f["date"].(string)}] = true
		flagged[f["staff_id"].(string)] = true
	}
	planted := map[string]bool{}
	rulesCovered := map[string]bool{}
	for _, inc := range town.Incidents {
		planted[inc.StaffID] = true
		rulesCovered[inc.Rule] = true
		if !found[key{inc.Rule, inc.StaffID, inc.Date}] {
			t.Errorf("planted incident not found: %s %s %s (%s)", inc.Rule, inc.StaffID, inc.Date, inc.Note)
		}
	}
	for _, r := range []string{"AFTER_HOURS", "HOLIDAY", "UNAUTHORIZED_SYSTEM", "RETIRED_ID", "UNKNOWN_ID"} {
		if !rulesCovered[r] {
			t.Errorf("sample plants no incident for %s", r)
		}
	}
	for _, f := range got {
		if !planted[f["staff_id"].(string)] {
			t.Errorf("finding for staff without a planted incident: %v", f)
		}
	}
	if len(town.Clean) < 50 {
		t.Errorf("only %d clean staff", len(town.Clean))
	}
	for _, id := range town.Clean {
		if flagged[id] {
			t.Errorf("clean staff %s was flagged", id)
		}
	}

	// The report names the town and every planted incident's staff.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: make deps installs it")
	}
	txt, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(txt)
	wants := []string{"点検報告書", town.Name}
	for _, inc := range town.Incidents {
		wants = append(wants, inc.StaffID)
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
}

func TestErrorsAreJapaneseWithNonZeroExit(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"nosuch"}, ExitUsage, "コマンドはありません"},
		{[]string{"import", "--workspace", dir, "x.csv"}, ExitUsage, "--system"},
		{[]string{"import", "--workspace", dir, "--system", "税務", filepath.Join(dir, "missing.csv")}, ExitError, "見つかりません"},
		{[]string{"inspect", "--workspace", dir}, ExitError, "ログがありません"},
		{[]string{"findings", "--workspace", dir, "--format", "xml"}, ExitUsage, "json か csv"},
		{[]string{"findings", "--workspace", dir}, ExitError, "点検を実行していません"},
		{[]string{"report", "--workspace", dir}, ExitUsage, "--out"},
		{[]string{"master", "import", "--workspace", dir, "--kind", "boss", "x.csv"}, ExitError, "分かりません"},
		{[]string{"hearing", "set", "--workspace", dir, "hours=9時から"}, ExitError, "08:30-17:15"},
		{[]string{"inspect", "--workspace", dir, "--from", "2025-02-30"}, ExitUsage, "存在しない日付"},
	}
	for _, c := range cases {
		_, errOut, code := run(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d stderr %q; want exit %d containing %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

func TestHearingSetShowAndFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := run(t, "hearing", "set", "town=山里町", "--workspace", dir, "hours=08:45-17:30"); code != 0 {
		t.Fatalf("hearing set: %d %s", code, errOut)
	}
	out, _, code := run(t, "hearing", "show", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "town=山里町\n") || !strings.Contains(out, "hours=08:45-17:30\n") {
		t.Fatalf("hearing show: %d\n%s", code, out)
	}
}

func TestFindingsCSVIsExcelSafe(t *testing.T) {
	row := escapeRow([]string{"=cmd|'/c calc'!A1", "+1", "-2", "@SUM(A1)", "ok", ""})
	want := []string{"'=cmd|'/c calc'!A1", "'+1", "'-2", "'@SUM(A1)", "ok", ""}
	for i := range want {
		if row[i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, row[i], want[i])
		}
	}
}
