package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/privacy"
	"tenken/internal/workspace"
)

// radio returns the first visible radio group under o.
func radioIn(t *testing.T, o fyne.CanvasObject) *widget.RadioGroup {
	t.Helper()
	r, ok := find[*widget.RadioGroup](o)
	if !ok {
		t.Fatal("no radio group on the dialog")
	}
	return r
}

// checkLabelled returns the visible check labelled text under o.
func checkLabelled(t *testing.T, o fyne.CanvasObject, text string) *widget.Check {
	t.Helper()
	var found *widget.Check
	walk(o, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == text && found == nil {
			found = c
		}
	})
	if found == nil {
		t.Fatalf("no check %q", text)
	}
	return found
}

func TestExportWritesChosenFormat(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{exportData: "検出事項"}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.tap("エクスポート（Excel）")
	h.assertShows("エクスポート", "Excel（xlsx）：1つのファイルに「検出事項」「証跡」「職員ランキング」のシート")
	radio := radioIn(t, h.top())
	radio.SetSelected(exportFormats[1].Label)
	h.picked = filepath.Join(dir, "点検結果.csv")
	h.tap("保存先を選ぶ")
	if h.savedName != "点検結果_20240702.csv" {
		t.Errorf("proposed name = %q", h.savedName)
	}
	if got := eng.Calls(); !slices.Equal(got, []string{"Export csv " + h.picked}) {
		t.Errorf("calls = %q", got)
	}
	if b, err := os.ReadFile(h.picked); err != nil || string(b) != "検出事項" {
		t.Errorf("export file = %q (%v)", b, err)
	}
	h.assertShows("エクスポートしました", "「点検結果_証跡.csv」と「点検結果_職員ランキング.csv」")
	h.tap("フォルダを開く")
	if len(h.openedURLs) != 1 || !strings.HasSuffix(h.openedURLs[0], filepath.Base(dir)) {
		t.Errorf("opened %q, want the folder", h.openedURLs)
	}
}

func TestExportNeedsARun(t *testing.T) {
	eng := &fakeEngine{}
	s := populatedSummary()
	s.LastRun = nil
	eng.set(s, nil)
	h := newHarness(t, eng)
	for _, text := range []string{"エクスポート（Excel）", "年間総括を保存"} {
		if b := h.button(text); !b.Disabled() {
			t.Errorf("%s enabled without a run", text)
		}
	}
}

func TestAnnualReportPicksFiscalYear(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{years: []int{2025, 2024, 2019}}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.tap("年間総括を保存")
	h.assertShows("年間総括の設定", "令和7年度（2025年度）", "日付の書き方")
	h.assertHides("載せる章", "住民の宛名番号を伏せる")
	sel, _ := find[*widget.Select](h.top())
	if want := []string{"令和7年度（2025年度）", "令和6年度（2024年度）", "令和元年度（2019年度）"}; !slices.Equal(sel.Options, want) {
		t.Errorf("years = %q, want %q", sel.Options, want)
	}
	sel.SetSelected("令和6年度（2024年度）")
	h.picked = filepath.Join(dir, "年間総括.pdf")
	h.tap("保存先を選ぶ")
	if h.savedName != "年間総括_令和6年度.pdf" {
		t.Errorf("proposed name = %q", h.savedName)
	}
	want := []string{"FiscalYears", "WriteAnnualReport 2024 " + h.picked + " era=wareki"}
	if got := eng.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if b, err := os.ReadFile(h.picked); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("annual report = %q (%v)", b, err)
	}
	h.assertShows("年間総括を保存しました")
}

func TestAnnualReportWithoutRuns(t *testing.T) {
	eng := &fakeEngine{}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.tap("年間総括を保存")
	h.assertShows("まだ点検を実行していません。")
	if got := eng.Calls(); !slices.Equal(got, []string{"FiscalYears"}) {
		t.Errorf("calls = %q", got)
	}
}

func TestBackupWritesOverTheDialogsEmptyFile(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{backupData: "SQLite format 3"}
	h := newHarness(t, eng)
	// The save dialog creates the file before handing it over.
	h.picked = filepath.Join(dir, "b.db")
	writeFile(t, h.picked, "")
	h.tap("バックアップ")
	if h.savedName != "点検バックアップ_20240702.db" {
		t.Errorf("proposed name = %q", h.savedName)
	}
	if b, err := os.ReadFile(h.picked); err != nil || string(b) != "SQLite format 3" {
		t.Errorf("backup = %q (%v)", b, err)
	}
	h.assertShows("バックアップを保存しました", h.picked)
}

func TestRestoreNeedsReopenAndConfirmation(t *testing.T) {
	eng := &fakeEngine{}
	h := newHarness(t, eng)
	if !h.button("復元").Disabled() {
		t.Error("復元 enabled on a view that cannot reopen its workspace")
	}
	closed, reopened := 0, 0
	var restored []string
	h.v.SetReopen(func() error { closed++; return nil }, func() { reopened++ })
	h.v.restoreDB = func(ctx context.Context, file, dir string) error {
		restored = append(restored, file+" -> "+dir)
		return nil
	}
	h.picked = "/in/点検バックアップ_20240601.db"
	h.tap("復元")
	h.assertShows("バックアップから復元しますか？", "/in/点検バックアップ_20240601.db", testDir)
	ok := h.button("復元する")
	if !ok.Disabled() {
		t.Fatal("復元する enabled before the user ticked the warning")
	}
	h.tap("やめる")
	if closed+reopened+len(restored) != 0 {
		t.Fatalf("cancelled restore did something: %d %d %q", closed, reopened, restored)
	}
	h.tap("復元")
	checkLabelled(t, h.top(), "いまの作業フォルダのデータが、バックアップの時点の内容に置き換わることを理解しました").SetChecked(true)
	h.tap("復元する")
	if closed != 1 || reopened != 1 || !slices.Equal(restored, []string{"/in/点検バックアップ_20240601.db -> " + testDir}) {
		t.Errorf("closed %d reopened %d restored %q", closed, reopened, restored)
	}
	h.assertShows("復元しました")
}

func TestStaffVersionsDialog(t *testing.T) {
	eng := &fakeEngine{staff: sampleStaff(), versions: map[string][]domain.Staff{
		"S0012": {
			{ID: "S0012", Name: "山田 太郎", Dept: "税務課", Start: day(2015, 4, 1), End: day(2022, 3, 31)},
			{ID: "S0012", Name: "山田 太郎", Dept: "住民課", Title: "主査", Start: day(2022, 4, 1)},
		},
	}}
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.masterTab)
	mv := h.v.masters
	if !mv.historyBtn.Disabled() {
		t.Error("履歴 enabled without a selection")
	}
	row := slices.IndexFunc(mv.staffTable.shown, func(i int) bool { return mv.staffTable.rows[i][0] == "S0012" })
	mv.staffTable.table.Select(widget.TableCellID{Row: row, Col: 1})
	h.tap("有効期間の履歴")
	h.assertShows("山田 太郎（S0012）の職員マスタの版：2 件（新しい順）", "2015年4月1日", "2022年3月31日", "税務課", "2022年4月1日", "在職中", "主査")
	if got := eng.Calls(); !slices.Equal(got, []string{"StaffVersions S0012"}) {
		t.Errorf("calls = %q", got)
	}
}

func TestHearingExtendedHoursArePicked(t *testing.T) {
	eng := &fakeEngine{staff: sampleStaff(), hearing: map[string]string{
		"town": "山里町", "person": "山田 太郎", "from": "2024-04-01", "to": "2024-06-30", "systems": "住民記録",
		"extended": "住民課:木=08:30-19:00",
	}}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.hearingTab)
	hw := h.v.hearing
	for range 3 {
		test.Tap(hw.next)
	}
	if hw.step != 3 {
		t.Fatalf("step = %d (%s)", hw.step, hw.errLabel.Text)
	}
	if len(hw.extended) != 1 || hw.extended[0].dept.Selected != "住民課" || hw.extended[0].when.Selected != "毎週木曜日" ||
		hw.extended[0].end.Selected != "19:00" || hw.extended[0].dateLine.Visible() {
		t.Fatalf("stored 窓口延長 not shown: %+v", hw.extended)
	}
	// 所属 is a pick list of the staff master's departments and 全員.
	if want := []string{everyone, "住民課", "税務課"}; !slices.Equal(hw.extended[0].dept.Options, want) {
		t.Errorf("department options = %q", hw.extended[0].dept.Options)
	}
	test.Tap(h.button("窓口延長を追加"))
	r := hw.extended[1]
	r.dept.SetSelected(everyone)
	r.when.SetSelected(pickDate)
	if !r.dateLine.Visible() {
		t.Error("no date picker for 日付を指定")
	}
	test.Tap(hw.next)
	if hw.step != 3 || !strings.Contains(hw.errLabel.Text, "窓口延長の曜日") {
		t.Fatalf("no error for a missing date: %q", hw.errLabel.Text)
	}
	r.date.SetDate(day(2024, 8, 17))
	r.start.SetSelected("12:00")
	r.end.SetSelected("09:00")
	test.Tap(hw.next)
	if hw.step != 3 || !strings.Contains(hw.errLabel.Text, "窓口延長の終わり") {
		t.Fatalf("no error for reversed hours: %q", hw.errLabel.Text)
	}
	r.start.SetSelected("08:30")
	r.end.SetSelected("12:15")
	for hw.step < len(wizardSteps)-1 {
		test.Tap(hw.next)
		if hw.errLabel.Text != "" {
			t.Fatalf("step %d: %s", hw.step+1, hw.errLabel.Text)
		}
	}
	test.Tap(hw.next)
	h.wait()
	const want = "住民課:木=08:30-19:00;2024-08-17=08:30-12:15"
	if got := eng.hearing["extended"]; got != want {
		t.Errorf("extended = %q, want %q", got, want)
	}
	// The engine reads what the wizard writes as it is.
	if v, err := workspace.ValidateHearing("extended", want); err != nil || v != want {
		t.Errorf("ValidateHearing(%q) = %q, %v", want, v, err)
	}
}

func TestImportPreviewMasksResidentNumbers(t *testing.T) {
	eng := &fakeEngine{}
	eng.previewLog = func(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error) {
		return &workspace.LogPreview{File: path, Encoding: "UTF-8", Delimiter: "カンマ", HeaderLine: 1,
			Headers: []string{"日時", "職員", "宛名", "備考"},
			Columns: []workspace.ColumnChoice{{Index: 0, Header: "日時", Field: "time", Confidence: 1}, {Index: 1, Header: "職員", Field: "staff_id", Confidence: 1},
				{Index: 2, Header: "宛名", Field: "subject_id", Confidence: 1}, {Index: 3, Header: "備考"}},
			Rows:    [][]string{{"2024/04/01 09:00:00", "S0012", "20240001", "個人番号123456789012"}},
			Rejects: []domain.Reject{{Line: 3, Column: "宛名", Reason: "宛名番号「98765432」を読めません"}}}, nil
	}
	eng.importLog = func(ctx context.Context, path string, opt workspace.ImportOptions, p workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
		return domain.ImportBatch{File: path, System: opt.System, Accepted: 1, Rejected: 1},
			[]domain.Reject{{Line: 3, Column: "宛名", Reason: "宛名番号「98765432」を読めません"}}, nil
	}
	h := newHarness(t, eng)
	h.picked = "/in/住民記録_0401.csv"
	h.tap("ログを取り込む")
	h.assertShows("2024****", "個人番号************", "宛名番号「9876****」を読めません")
	h.assertHides("20240001", "123456789012", "98765432")
	unmask := checkLabelled(t, h.top(), "宛名番号をすべて表示する")
	unmask.SetChecked(true)
	h.assertShows("20240001", "個人番号123456789012", "宛名番号「98765432」を読めません")
	unmask.SetChecked(false)
	// Mapped to nothing, the column is no longer a 宛名番号; a 12-digit
	// number stays masked anyway.
	sels := buttonsSelects(h.top())
	sels[3].SetSelected(unusedField) // [0] is the kind
	h.assertShows("20240001", "個人番号************")
	sels[3].SetSelected(fieldLabel("subject_id"))

	h.tap("取り込む")
	h.assertShows("ログを取り込みました", "宛名番号「9876****」を読めません")
	h.assertHides("98765432")
	checkLabelled(t, h.top(), "宛名番号をすべて表示する").SetChecked(true)
	h.assertShows("宛名番号「98765432」を読めません")
}

func TestWithExtension(t *testing.T) {
	tests := []struct{ path, ext, want string }{
		{"/a/点検結果", ".xlsx", "/a/点検結果.xlsx"},
		{"/a/点検結果.XLSX", ".xlsx", "/a/点検結果.XLSX"},
		{"/a/点検結果.csv", ".xlsx", "/a/点検結果.csv.xlsx"},
		{"/a/backup", "", "/a/backup"},
	}
	for _, tt := range tests {
		if got := withExtension(tt.path, tt.ext); got != tt.want {
			t.Errorf("withExtension(%q, %q) = %q, want %q", tt.path, tt.ext, got, tt.want)
		}
	}
	if got := fiscalYearLabel(2009); got != "平成21年度（2009年度）" {
		t.Errorf("fiscalYearLabel(2009) = %q", got)
	}
}

func TestWatchListMasksLikeTheReport(t *testing.T) {
	eng := &fakeEngine{staff: sampleStaff(), watch: []domain.WatchEntry{
		{SubjectID: "3140000712", Category: "DV等支援措置", Depts: []string{"住民課"}},
	}}
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.masterTab)
	tabs, _ := find[*container.AppTabs](h.v.masters.content)
	tabs.SelectIndex(2)
	h.wait()
	h.assertShows(privacy.MaskID("3140000712"), "DV等支援措置")
	h.assertHides("3140000712")
	h.v.masters.unmask.SetChecked(true)
	h.wait()
	h.assertShows("3140000712")
}
