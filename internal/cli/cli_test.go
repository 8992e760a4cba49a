package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	type key struct{ rule, staff, date string }
	found := map[key]map[string]any{}
	flagged := map[string]bool{}
	for _, f := range got {
		found[key{f["rule"].(string), f["staff_id"].(string), f["date"].(string)}] = f
		flagged[f["staff_id"].(string)] = true
	}
	planted := map[string]bool{}
	rulesCovered := map[string]bool{}
	for _, inc := range town.Incidents {
		planted[inc.StaffID] = true
		rulesCovered[inc.Rule] = true
		f := found[key{inc.Rule, inc.StaffID, inc.Date}]
		if f == nil {
			t.Errorf("planted incident not found: %s %s %s (%s)", inc.Rule, inc.StaffID, inc.Date, inc.Note)
			continue
		}
		if f["excluded"] != inc.Excluded {
			t.Errorf("%s %s %s: excluded = %v, want %v", inc.Rule, inc.StaffID, inc.Date, f["excluded"], inc.Excluded)
		}
	}
	for _, r := range []string{"AFTER_HOURS", "HOLIDAY", "UNAUTHORIZED_SYSTEM", "RETIRED_ID", "UNKNOWN_ID", "WATCHLIST", "SELF_LOOKUP",
		"BULK_LOOKUP", "BULK_EXPORT", "REPEATED_SUBJECT", "LOGIN_FAILURE", "SHARED_ID", "DEVICE_WRITE", "EXPORT_THEN_DEVICE", "MAIL_EXTERNAL", "LOG_GAP"} {
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

	// The 岩手 case: the colleague who made the export is excluded — listed
	// with reason and approver, their findings kept and marked excluded.
	if len(town.Exclusions) == 0 {
		t.Fatal("the sample records no exclusion")
	}
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	excl, err := w.Exclusions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range town.Exclusions {
		listed := false
		for _, x := range excl {
			listed = listed || (x.StaffID == want.StaffID && x.Reason == want.Reason && x.By == want.By && x.Revoked == nil)
		}
		if !listed {
			t.Errorf("exclusion of %s (%s, by %s) is not in the list %+v", want.StaffID, want.Reason, want.By, excl)
		}
		n := 0
		for _, f := range got {
			if f["staff_id"] == want.StaffID {
				n++
				if f["excluded"] != true {
					t.Errorf("finding of excluded %s is not marked excluded: %v", want.StaffID, f)
				}
			}
		}
		if n == 0 {
			t.Errorf("the excluded colleague %s has no findings listed: exclusion must not hide them", want.StaffID)
		}
	}
	// The run can be reproduced from its stored configuration.
	last, err := w.LatestRun(context.Background())
	if err != nil || last == nil {
		t.Fatal(last, err)
	}
	again, err := w.ReproduceRun(context.Background(), last.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(got) {
		t.Errorf("reproduced %d findings, stored %d", len(again), len(got))
	}
	for _, f := range again {
		s := found[key{f.Rule, f.StaffID, f.Date}]
		if s == nil || s["excluded"] != f.Excluded || int(s["count"].(float64)) != f.Count || s["severity"] != string(f.Severity) || s["detail"] != f.Detail {
			t.Errorf("reproduced finding %s %s %s (n=%d, excluded=%v, %s) differs from the stored one %v", f.Rule, f.StaffID, f.Date, f.Count, f.Excluded, f.Severity, s)
		}
	}

	// Every planted story is one case of its story, naming everyone in it;
	// the exclusion of the 岩手 exporter does not hide the chain.
	cases, err := w.Cases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]int{}
	for i, c := range cases {
		byKey[c.Key] = i
	}
	if len(town.Stories) < 5 {
		t.Errorf("the sample plants %d stories", len(town.Stories))
	}
	stories := map[string]bool{}
	for _, st := range town.Stories {
		stories[st.Story] = true
		i, ok := byKey[st.Key()]
		if !ok {
			t.Errorf("planted story %s is not a case (%s)", st.Key(), st.Note)
			continue
		}
		c := cases[i]
		if c.Story != st.Story || c.Excluded || c.Summary == "" || len(c.Actions) == 0 {
			t.Errorf("case %s: story %q, excluded %v, summary %q", c.Key, c.Story, c.Excluded, c.Summary)
		}
		for _, id := range st.Staff {
			if !slices.Contains(c.Staff, id) {
				t.Errorf("case %s names %v, not %s", c.Key, c.Staff, id)
			}
		}
		if c.Staff[0] != st.Staff[0] {
			t.Errorf("case %s leads with %s, want %s", c.Key, c.Staff[0], st.Staff[0])
		}
	}
	for _, s := range []string{"HANDOFF_CHAIN", "EXPORT_TAKEOUT", "BORROWED_ID", "CURIOSITY"} {
		if !stories[s] {
			t.Errorf("no %s story planted", s)
		}
	}
	// Who carried data out: everyone named by a case that did, unless
	// every finding of theirs is excluded.
	carriers := map[string]bool{}
	for _, c := range cases {
		if c.CarriedOut && !c.Excluded {
			for _, id := range c.Staff {
				carriers[id] = true
			}
		}
	}
	w.Close()

	// The ranking puts a planted staff member first and the excluded
	// colleague after everyone not excluded.
	out, errOut, code = run(t, "ranking", "--workspace", ws, "--format", "json")
	if code != ExitOK {
		t.Fatalf("ranking exit %d: %s", code, errOut)
	}
	var ranking []map[string]any
	if err := json.Unmarshal([]byte(out), &ranking); err != nil || len(ranking) == 0 {
		t.Fatalf("ranking json: %v\n%s", err, out)
	}
	for i, e := range ranking {
		for _, k := range []string{"staff_id", "score", "rank", "reasons"} {
			if _, ok := e[k]; !ok {
				t.Fatalf("ranking entry lacks %q: %v", k, e)
			}
		}
		if int(e["rank"].(float64)) != i+1 || !planted[e["staff_id"].(string)] {
			t.Errorf("ranking entry %d: %v", i, e)
		}
		if i > 0 && ranking[i-1]["excluded"] == e["excluded"] && ranking[i-1]["score"].(float64) < e["score"].(float64) {
			t.Errorf("ranking not worst first at %d", i)
		}
	}
	if last := ranking[len(ranking)-1]; last["staff_id"] != town.Exclusions[0].StaffID || last["excluded"] != true {
		t.Errorf("last ranking entry %v, want the excluded colleague", last)
	}
	// The people who carried data out rank above every staff member whose
	// findings are of a single rule; each entry's first reason names its
	// worst case in a sentence, and lists its case keys.
	rulesOf := map[string]map[string]bool{}
	for _, f := range got {
		id := f["staff_id"].(string)
		if rulesOf[id] == nil {
			rulesOf[id] = map[string]bool{}
		}
		rulesOf[id][f["rule"].(string)] = true
	}
	worstCarrier, bestSingle := 0, len(ranking)+1
	for _, e := range ranking {
		id, rank := e["staff_id"].(string), int(e["rank"].(float64))
		if e["excluded"] == true {
			continue
		}
		if carriers[id] {
			worstCarrier = max(worstCarrier, rank)
		} else if len(rulesOf[id]) == 1 {
			bestSingle = min(bestSingle, rank)
		}
		reasons, _ := e["reasons"].([]any)
		keys, _ := e["cases"].([]any)
		if len(reasons) < 2 || !strings.HasSuffix(reasons[0].(string), "。") || len(keys) == 0 {
			t.Errorf("ranking entry %s: reasons %v, cases %v", id, reasons, keys)
		}
	}
	if len(carriers) < 2 || worstCarrier == 0 || worstCarrier >= bestSingle {
		t.Errorf("people who carried data out (%v) rank down to %d, a single-rule staff member ranks %d", carriers, worstCarrier, bestSingle)
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
		{[]string{"ranking", "--workspace", dir}, ExitError, "点検を実行していません"},
		{[]string{"ranking", "--workspace", dir, "--format", "xml"}, ExitUsage, "json か text"},
		{[]string{"hearing", "set", "--workspace", dir, "thresholds=BULK_EXPORT.records=-5"}, ExitError, "正の数"},
		{[]string{"hearing", "set", "--workspace", dir, "extended=住民課:祝=08:30-19:00"}, ExitError, "曜日"},
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

func TestDemoRefusesAWorkspaceWithTheTownsData(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := run(t, "hearing", "set", "--workspace", dir, "town=川上村"); code != ExitOK {
		t.Fatalf("hearing set: %d %s", code, stderr)
	}
	_, stderr, code := run(t, "demo", "--workspace", dir, "--out", filepath.Join(dir, "r.pdf"))
	if code != ExitError || !strings.Contains(stderr, "町のデータがあります") || !strings.Contains(stderr, "--add") {
		t.Fatalf("demo on a real town's workspace: code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "sample")); err == nil {
		t.Error("sample files were written although the demo was refused")
	}
}
