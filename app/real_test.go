package app

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// TestRealWorkspace drives the real engine through the GUI: the sample
// town, its inspection and the report, as a first-time user would.
func TestRealWorkspace(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and inspects the sample town")
	}
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })

	h := newHarnessFor(t, NewEngine(ws), ws.Dir)
	h.assertShows("点検へようこそ")
	h.tap("サンプルデータで試す")
	if top := h.top(); top != nil {
		t.Fatalf("dialog after the sample:\n%s", strings.Join(texts(top), "\n"))
	}
	s := h.v.summary
	if s.Files == 0 || s.Rows == 0 || s.Staff == 0 || s.LastRun == nil {
		t.Fatalf("summary after the sample = %+v", s)
	}
	// The sample's findings wait for review before the report.
	h.assertShows(s.Town, formatInt(s.Rows)+" 行", "確認待ちの職員が", "「職員別の確認」で、検出事項ごとに確認結果を記録してください。")
	if !strings.Contains(h.v.status.Text, "サンプルの町（"+s.Town+"）") {
		t.Errorf("status = %q", h.v.status.Text)
	}
	if len(h.v.findings.list) == 0 {
		t.Error("the sample town has no findings")
	}

	h.picked = filepath.Join(t.TempDir(), reportFileName(h.v.now()))
	h.tap("報告書を保存")
	h.tap("保存先を選ぶ")
	if top := h.top(); top == nil || !strings.Contains(strings.Join(texts(top), "\n"), "報告書を保存しました") {
		t.Fatalf("no confirmation after the report:\n%s", h.screenText())
	}
	pdf, err := os.ReadFile(h.picked)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("report does not start like a PDF: %q", pdf[:min(len(pdf), 8)])
	}
}

// TestRealFlows drives every flow of the GUI against a real workspace, as
// a clerk would, and checks the database and the audit log afterwards.
func TestRealFlows(t *testing.T) {
	if testing.Short() {
		t.Skip("imports, inspects and writes a report")
	}
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ctx := context.Background()
	in := t.TempDir()
	h := newHarnessFor(t, NewEngine(ws), ws.Dir)

	// A staff master with a row whose date does not exist: the preview
	// names it before anything is written, and the import leaves it out.
	staffCSV := filepath.Join(in, "職員.csv")
	writeFile(t, staffCSV, "職員番号,氏名,所属課,採用日,退職日\n"+
		"S001,山田 太郎,住民課,2015/04/01,\n"+
		"S002,佐藤 花子,税務課,2020/02/30,\n"+
		"S003,鈴木 一,住民課,2010/04/01,2025/03/31\n")
	h.picked = staffCSV
	h.tap("職員マスタを取り込む")
	h.assertShows("職員マスタの確認", "3 行のうち 2 行を取り込みます。取り込めない行は 1 行です。", "2020/02/30")
	if st, _ := ws.Staff(ctx); len(st) != 0 {
		t.Fatalf("the preview wrote %d staff", len(st))
	}
	h.tap("取り込む")
	st, err := ws.Staff(ctx)
	if err != nil || len(st) != 2 {
		t.Fatalf("staff after the import = %d (%v), want 2", len(st), err)
	}
	h.tap("閉じる")

	// A log: the preview maps its headers; 取り込む saves the mapping as
	// the system's profile and imports.
	logCSV := filepath.Join(in, "住民記録_0501.csv")
	writeFile(t, logCSV, "操作日時,職員ID,機能名,操作,宛名番号\n"+
		"2025/05/01 09:00:00,S001,住民票照会,照会,100001\n"+
		"2025/05/01 22:30:00,S001,住民票照会,照会,100002\n"+
		"2025/05/02 10:00:00,S003,住民票照会,照会,100003\n"+
		"2025/05/02 10:05:00,S003,住民票照会,照会,100004\n")
	h.picked = logCSV
	h.tap("ログを取り込む")
	h.assertShows("列の対応", "操作日時", "日時")
	h.tap("取り込む")
	h.assertShows("ログを取り込みました", "4 行")
	h.tap("閉じる")
	if p, err := ws.Profile(ctx, "住民記録"); err != nil || p == nil || p.Columns["職員ID"] != "staff_id" {
		t.Errorf("profile of 住民記録 = %+v (%v)", p, err)
	}
	if s, _ := ws.Summary(ctx); s.Rows != 4 {
		t.Fatalf("rows after the import = %d", s.Rows)
	}

	// The hearing sheet, step by step.
	h.v.tabs.Select(h.v.hearingTab)
	hw := h.v.hearing
	hw.town.SetText("山里町")
	hw.person.SetText("山田 太郎")
	test.Tap(hw.next)
	test.Tap(h.button("取り込んだログの期間"))
	for i := 1; i < len(wizardSteps); i++ {
		test.Tap(hw.next)
		if hw.errLabel.Text != "" {
			t.Fatalf("step %d: %s", i+1, hw.errLabel.Text)
		}
	}
	h.wait()
	kv, _ := ws.HearingValues(ctx)
	if kv["town"] != "山里町" || kv["person"] != "山田 太郎" || kv["from"] != "2025-05-01" || kv["to"] != "2025-05-02" || kv["hours"] != "08:30-17:15" {
		t.Errorf("hearing after the wizard = %v", kv)
	}
	h.tap("OK")

	// The inspection, then a finding marked 要ヒアリング with a comment.
	h.v.tabs.Select(h.v.dashTab)
	h.tap("点検を実行")
	h.tap("閉じる")
	fs, _ := ws.Findings(ctx)
	if len(fs) == 0 {
		t.Fatal("no findings: the 22:30 lookup and the retired S003 should be flagged")
	}
	h.v.tabs.Select(h.v.reviewTab)
	rv := h.v.review
	row := -1
	for i, e := range rv.entries {
		if e.StaffID == "S001" {
			row = i
		}
	}
	if row < 0 {
		t.Fatalf("S001 not in the ranking %+v", rv.entries)
	}
	rv.list.table.Select(widget.TableCellID{Row: slices.Index(rv.list.shown, row), Col: 1})
	h.wait()
	card := rv.page.Objects[len(rv.page.Objects)-1]
	status, _ := find[*widget.Select](card)
	comment, _ := find[*widget.Entry](card)
	status.SetSelected("要ヒアリング")
	comment.SetText("5/1 22:30 の照会について本人に確認する")
	test.Tap(buttons(card, "確認結果を記録")[0])
	h.wait()
	reviews, err := ws.Reviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got domain.Review
	for _, r := range reviews {
		if r.Key.StaffID == "S001" {
			got = r
		}
	}
	if got.Status != domain.StatusInterview || got.Comment != "5/1 22:30 の照会について本人に確認する" {
		t.Errorf("review of S001 = %+v", got)
	}

	// The report, with its options, and the button that opens it.
	h.v.tabs.Select(h.v.dashTab)
	h.picked = filepath.Join(in, "点検報告書.pdf")
	h.tap("報告書を保存")
	h.tap("保存先を選ぶ")
	h.tap("開く")
	pdf, err := os.ReadFile(h.picked)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("report: %v", err)
	}
	want, _ := url.Parse(storage.NewFileURI(h.picked).String())
	if !slices.Equal(h.openedURLs, []string{want.String()}) {
		t.Errorf("opened %q", h.openedURLs)
	}

	// Every change is in the audit log, whose chain verifies.
	audit, err := ws.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"master.staff.import", "hearing.set", "review.set"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log %q lacks %s", actions, want)
		}
	}
	h.tap("監査ログを検証")
	h.assertShows("検証の結果：すべての項目に問題はありませんでした。")
	rep, err := ws.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Errorf("verify: %+v %v", rep, err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
