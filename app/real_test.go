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
	"time"

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

// TestRealExportAnnualBackupRestore exports, writes the 年間総括, backs
// up and restores a real workspace through the GUI, and checks the files
// and the database afterwards.
func TestRealExportAnnualBackupRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("imports, inspects and writes files")
	}
	ctx := context.Background()
	dir := t.TempDir()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	in := t.TempDir()
	staffCSV := filepath.Join(in, "職員.csv")
	writeFile(t, staffCSV, "職員番号,氏名,所属課,採用日,退職日\nS001,山田 太郎,住民課,2015/04/01,\nS003,鈴木 一,住民課,2010/04/01,2025/03/31\n")
	logCSV := filepath.Join(in, "住民記録_0501.csv")
	writeFile(t, logCSV, "操作日時,職員ID,機能名,操作,宛名番号\n"+
		"2025/05/01 09:00:00,S001,住民票照会,照会,100001\n"+
		"2025/05/01 22:30:00,S001,住民票照会,照会,100002\n"+
		"2025/05/02 10:00:00,S003,住民票照会,照会,100003\n")
	if _, err := ws.ImportMaster(ctx, workspace.MasterStaff, staffCSV); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ws.ImportLog(ctx, logCSV, workspace.ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetHearing(ctx, map[string]string{"town": "山里町", "person": "山田 太郎"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Inspect(ctx, time.Time{}, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	h := newHarnessFor(t, NewEngine(ws), ws.Dir)
	// attach gives a view the test seams newHarnessFor gives the first.
	attach := func(v *MainView) {
		v.now = h.v.now
		v.pickFile, v.pickSave, v.openURL = h.v.pickFile, h.v.pickSave, h.v.openURL
	}
	var reopen func()
	reopen = func() {
		opened, err := workspace.Open(dir)
		if err != nil {
			t.Fatalf("reopening: %v", err)
		}
		ws = opened
		v := NewMainView(h.win, dir, NewEngine(ws))
		attach(v)
		v.SetReopen(ws.Close, reopen)
		h.v = v
		h.win.SetContent(v.Content())
		v.Refresh()
	}
	h.v.SetReopen(ws.Close, reopen)

	// Export for Excel: an xlsx workbook is a zip.
	h.picked = filepath.Join(in, "点検結果.xlsx")
	h.tap("エクスポート（Excel）")
	h.tap("保存先を選ぶ")
	h.assertShows("エクスポートしました")
	if b, err := os.ReadFile(h.picked); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("export: %v", err)
	}
	h.tap("閉じる")

	// The 年間総括 of the year of the run (May 2025 → 令和7年度).
	h.picked = filepath.Join(in, "年間総括.pdf")
	h.tap("年間総括を保存")
	h.assertShows("令和7年度（2025年度）")
	h.tap("保存先を選ぶ")
	if b, err := os.ReadFile(h.picked); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("annual report: %v", err)
	}
	h.tap("閉じる")

	// A 異動 of S001, then its history by 有効期間 in the staff tab.
	moved := domain.Staff{ID: "S001", Name: "山田 太郎", Dept: "税務課", Start: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	if err := ws.SaveStaff(ctx, moved, "テスト"); err != nil {
		t.Fatal(err)
	}
	h.v.Refresh()
	h.wait()
	h.v.tabs.Select(h.v.masterTab)
	mv := h.v.masters
	mv.staffTable.search.SetText("S001")
	mv.staffTable.table.Select(widget.TableCellID{Row: 0, Col: 1})
	h.tap("有効期間の履歴")
	h.assertShows("山田 太郎（S001）の職員マスタの版：2 件（新しい順）", "住民課", "税務課", "2025年3月31日", "2025年4月1日")
	h.tap("閉じる")
	mv.staffTable.search.SetText("")

	// A 窓口延長 picked in the hearing sheet is stored as the engine
	// reads it.
	h.v.tabs.Select(h.v.hearingTab)
	hw := h.v.hearing
	hw.show(0)
	test.Tap(hw.next)
	test.Tap(h.button("取り込んだログの期間"))
	test.Tap(hw.next)
	test.Tap(hw.next)
	test.Tap(h.button("窓口延長を追加"))
	hw.extended[0].dept.SetSelected("住民課")
	hw.extended[0].when.SetSelected("毎週水曜日")
	hw.extended[0].end.SetSelected("19:30")
	for hw.step < len(wizardSteps)-1 {
		test.Tap(hw.next)
		if hw.errLabel.Text != "" {
			t.Fatalf("hearing step %d: %s", hw.step+1, hw.errLabel.Text)
		}
	}
	test.Tap(hw.next)
	h.wait()
	h.tap("OK")
	if kv, _ := ws.HearingValues(ctx); kv["extended"] != "住民課:水=08:30-19:30" {
		t.Errorf("extended = %q", kv["extended"])
	}
	h.v.tabs.Select(h.v.dashTab)

	// A backup into the empty file the save dialog created.
	backup := filepath.Join(in, "backup.db")
	writeFile(t, backup, "")
	h.picked = backup
	h.tap("バックアップ")
	h.assertShows("バックアップを保存しました")
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Fatalf("backup: %v", err)
	}
	h.tap("閉じる")

	// A change after the backup, which the restore takes back.
	if err := ws.SetHearing(ctx, map[string]string{"town": "別の町"}); err != nil {
		t.Fatal(err)
	}
	h.tap("復元")
	checkLabelled(t, h.top(), "いまの作業フォルダのデータが、バックアップの時点の内容に置き換わることを理解しました").SetChecked(true)
	h.tap("復元する")
	h.wait() // the reopened view's first load
	h.assertShows("復元しました", "山里町")
	kv, err := ws.HearingValues(ctx)
	if err != nil || kv["town"] != "山里町" {
		t.Errorf("town after the restore = %q (%v)", kv["town"], err)
	}
	audit, err := ws.AuditLog(ctx)
	if err != nil || len(audit) == 0 || audit[len(audit)-1].Action != "backup.restore" {
		t.Errorf("last audit entry after the restore: %+v (%v)", audit[len(audit)-1:], err)
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "tenken.db.replaced-*")); len(kept) != 1 {
		t.Errorf("replaced database kept as %q", kept)
	}
	if rep, err := ws.Verify(ctx); err != nil || !rep.OK() {
		t.Errorf("verify after the restore: %+v %v", rep, err)
	}
}
