package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

func sampleStaff() []domain.Staff {
	return []domain.Staff{
		{ID: "S0012", Name: "山田 太郎", Dept: "住民課", Employment: "正規", Start: day(2015, 4, 1), Systems: []string{"住民記録"}},
		{ID: "S0030", Name: "佐藤 花子", Dept: "税務課", Employment: "会計年度任用", Start: day(2023, 4, 1), USBAllowed: true},
		{ID: "S0099", Name: "鈴木 一", Dept: "住民課", Employment: "再任用", Start: day(2010, 4, 1), End: day(2024, 3, 31)},
	}
}

func TestHearingWizardValidatesAndSaves(t *testing.T) {
	eng := &fakeEngine{staff: sampleStaff(), hearing: map[string]string{"hours": "08:30-17:15", "extended": "住民課:木=08:30-19:00"}}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.hearingTab)
	hw := h.v.hearing

	// Step 1 needs the town and the person; the person is picked from
	// the staff master.
	test.Tap(hw.next)
	if hw.step != 0 || !strings.Contains(hw.errLabel.Text, "団体名") {
		t.Fatalf("step %d, error %q; want to stay on step 1 asking for the town", hw.step, hw.errLabel.Text)
	}
	hw.town.SetText("山里町")
	if names, _ := hw.staffNames(); !slices.Contains(names, "山田 太郎") {
		t.Errorf("担当者 options = %q, want the staff master's names", names)
	}
	hw.person.SetText("山田 太郎")
	hw.kind.SetSelected("四半期")
	test.Tap(hw.next)
	if hw.step != 1 {
		t.Fatalf("step = %d after a valid step 1 (%s)", hw.step, hw.errLabel.Text)
	}

	// Step 2: the period, picked; the end may not precede the start.
	test.Tap(hw.next)
	if hw.step != 1 || !strings.Contains(hw.errLabel.Text, "開始日") {
		t.Fatalf("no error for a missing period: %q", hw.errLabel.Text)
	}
	hw.from.SetDate(day(2024, 6, 30))
	hw.to.SetDate(day(2024, 4, 1))
	test.Tap(hw.next)
	if hw.step != 1 || !strings.Contains(hw.errLabel.Text, "終了日が開始日より前") {
		t.Fatalf("no error for a reversed period: %q", hw.errLabel.Text)
	}
	// 前年度 of 2024-07-02 is 2023-04-01..2024-03-31.
	test.Tap(h.button("前年度"))
	if d, _ := hw.from.Date(); !d.Equal(day(2023, 4, 1)) {
		t.Errorf("前年度 starts %v", d)
	}
	test.Tap(h.button("取り込んだログの期間"))
	test.Tap(hw.next)
	if hw.step != 2 {
		t.Fatalf("step = %d (%s)", hw.step, hw.errLabel.Text)
	}

	// Step 3: systems of the imported logs are ticked by default.
	if want := []string{"住民記録", "税務", "資産管理"}; !slices.Equal(hw.systems.Selected, want) {
		t.Errorf("systems = %q, want %q", hw.systems.Selected, want)
	}
	hw.systems.SetSelected(nil)
	test.Tap(hw.next)
	if hw.step != 2 {
		t.Fatal("moved on without a system")
	}
	hw.systems.SetSelected([]string{"住民記録", "税務"})
	hw.domains.SetText("town.yamazato.lg.jp")
	test.Tap(hw.next)

	// Step 4: hours and a department with its own.
	hw.workStart.SetSelected("18:00")
	test.Tap(hw.next)
	if hw.step != 3 || !strings.Contains(hw.errLabel.Text, "勤務時間の終わり") {
		t.Fatalf("no error for reversed hours: %q", hw.errLabel.Text)
	}
	hw.workStart.SetSelected("08:30")
	test.Tap(h.button("所属ごとの勤務時間を追加"))
	test.Tap(hw.next)
	if hw.step != 3 {
		t.Fatal("moved on with a department row without a department")
	}
	hw.deptHours[0].dept.SetText("住民課")
	hw.deptHours[0].end.SetSelected("19:00")
	hw.closed = appendDate(hw.closed, day(2024, 8, 16), "創立記念日")
	test.Tap(hw.next)
	if hw.step != 4 {
		t.Fatalf("step = %d (%s)", hw.step, hw.errLabel.Text)
	}

	// Step 5: rules and thresholds in plain words.
	h.assertShows("勤務時間外の利用", "1回の出力件数（以上）", "この版ではまだ点検できません。")
	hw.thresholds["BULK_EXPORT.records"].SetText("abc")
	test.Tap(hw.next)
	if hw.step != 4 || !strings.Contains(hw.errLabel.Text, "数字") {
		t.Fatalf("no error for a bad threshold: %q", hw.errLabel.Text)
	}
	hw.thresholds["BULK_EXPORT.records"].SetText("500")
	test.Tap(hw.next)
	if hw.step != 5 {
		t.Fatalf("step = %d (%s)", hw.step, hw.errLabel.Text)
	}
	if hw.next.Text != "保存する" {
		t.Errorf("last step button = %q", hw.next.Text)
	}
	test.Tap(hw.next)
	h.wait()

	got := eng.hearing
	want := map[string]string{
		"town": "山里町", "person": "山田 太郎", "kind": "四半期", "from": "2024-04-01", "to": "2024-06-30",
		"systems": "住民記録;税務", "domains": "town.yamazato.lg.jp", "hours": "08:30-17:15",
		"dept_hours": "住民課=08:30-19:00", "closed": "2024-08-16:創立記念日", "rules": "AFTER_HOURS;BULK_EXPORT",
		"thresholds": "BULK_EXPORT.records=500", "retention_years": "7",
		"extended": "住民課:木=08:30-19:00", // no field for it: kept as it was
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("hearing %s = %q, want %q", k, got[k], w)
		}
	}
	h.assertShows("ヒアリングシートを保存しました。")
	// Reopened, the wizard shows what was saved.
	if hw.town.Text != "山里町" || hw.deptHours[0].dept.Text != "住民課" {
		t.Errorf("after saving, town %q dept %q", hw.town.Text, hw.deptHours[0].dept.Text)
	}
}

func TestMasterImportShowsRejectsBeforeWriting(t *testing.T) {
	eng := &fakeEngine{}
	eng.previewMaster = func(ctx context.Context, kind workspace.MasterKind, path string) (*workspace.MasterPreview, error) {
		return &workspace.MasterPreview{Kind: kind, File: path, Encoding: "Shift_JIS", Read: 3, Accepted: 2,
			Columns: []workspace.ColumnChoice{{Index: 0, Header: "職員番号", Field: "id", Confidence: 1}, {Index: 1, Header: "氏名", Field: "name", Confidence: 1}, {Index: 2, Header: "備考"}},
			Rows:    [][]string{{"S0001", "山田 太郎", ""}},
			Rejects: []domain.Reject{{Line: 4, Column: "着任日", Reason: "日付「2024/02/30」はありません"}}}, nil
	}
	tests := []struct {
		answer string
		calls  []string
	}{
		{"キャンセル", nil},
		{"取り込む", []string{"ImportMaster staff /in/職員.xlsx"}},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			eng.calls = nil
			h := newHarness(t, eng)
			h.picked = "/in/職員.xlsx"
			h.tap("職員マスタを取り込む")
			h.assertShows("職員マスタの確認", "3 行のうち 2 行を取り込みます。取り込めない行は 1 行です。",
				"職員番号", "職員ID", "確実", "（使わない）", "山田 太郎", "［着任日］日付「2024/02/30」はありません")
			if got := eng.Calls(); len(got) != 0 {
				t.Fatalf("calls before confirming = %q", got)
			}
			h.tap(tt.answer)
			if got := eng.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %q, want %q", got, tt.calls)
			}
		})
	}
}

func TestMastersTabSearchSortAndEdit(t *testing.T) {
	eng := &fakeEngine{staff: sampleStaff(), grants: []domain.Grant{{Dept: "住民課", System: "住民記録", Permission: "照会", From: day(2024, 4, 1)}}}
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.masterTab)
	mv := h.v.masters
	h.assertShows("職員マスタ：3 人。", "3 件")

	mv.staffTable.search.SetText("住民課")
	if len(mv.staffTable.shown) != 2 {
		t.Errorf("search 住民課 shows %d rows, want 2", len(mv.staffTable.shown))
	}
	mv.staffTable.search.SetText("")
	mv.staffTable.sortBy(5) // 着任日
	if first := mv.staffTable.rows[mv.staffTable.shown[0]][0]; first != "S0099" {
		t.Errorf("sorted by 着任日, first = %s", first)
	}
	mv.staffTable.sortBy(5)
	if first := mv.staffTable.rows[mv.staffTable.shown[0]][0]; first != "S0030" {
		t.Errorf("sorted by 着任日 descending, first = %s", first)
	}

	// Edit 佐藤: the name may not be emptied; the end may not precede
	// the start.
	mv.staffTable.table.Select(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(h.button("選んだ職員を編集"))
	form, ok := find[*widget.Form](h.top())
	if !ok {
		t.Fatal("no edit form")
	}
	name := form.Items[1].Widget.(*widget.Entry)
	name.SetText("")
	test.Tap(h.button("保存"))
	h.assertShows("氏名を入れてください")
	name.SetText("佐藤 はな子")
	h.tap("保存")
	if got := eng.Calls(); !slices.Equal(got, []string{"SaveStaff S0030 佐藤 はな子 by=総務 一郎"}) {
		t.Errorf("calls = %q", got)
	}
	h.assertShows("職員「佐藤 はな子」（S0030）を保存しました。", "佐藤 はな子")

	// A new staff member may not reuse an ID.
	test.Tap(h.button("職員を追加"))
	form, _ = find[*widget.Form](h.top())
	form.Items[0].Widget.(*widget.Entry).SetText("S0012")
	form.Items[1].Widget.(*widget.Entry).SetText("別人")
	test.Tap(h.button("保存"))
	h.assertShows("職員ID「S0012」はすでに登録されています")
}

func TestLogPreviewAdjustsMappingAndSavesProfile(t *testing.T) {
	eng := &fakeEngine{}
	eng.previewLog = func(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error) {
		return &workspace.LogPreview{File: path, Encoding: "Shift_JIS (CP932)", Delimiter: "カンマ", HeaderLine: 1,
			Headers: []string{"日時", "利用者", "画面"},
			Columns: []workspace.ColumnChoice{{Index: 0, Header: "日時", Field: "time", Confidence: 1}, {Index: 1, Header: "利用者"}, {Index: 2, Header: "画面", Field: "function", Confidence: 1}},
			Missing: []string{"職員ID"},
			Rows:    [][]string{{"2024/04/01 09:00:00", "S0012", "住民票照会"}}}, nil
	}
	h := newHarness(t, eng)
	h.picked = "/in/住民記録_0401.csv"
	h.tap("ログを取り込む")
	h.assertShows("文字コード：Shift_JIS (CP932)", "住民票照会", "S0012")
	// Without a staff ID column the import is refused in the dialog.
	test.Tap(h.button("取り込む"))
	h.assertShows("「職員ID」の列を選んでください。")
	var sels []*widget.Select
	walk(h.top(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			sels = append(sels, s)
		}
	})
	// sels[0] is the kind; then one per column.
	sels[2].SetSelected("職員ID")
	h.tap("取り込む")
	want := []string{"SaveMapping 住民記録 日時=time,利用者=staff_id,画面=function", "ImportLog /in/住民記録_0401.csv system=住民記録 kind="}
	if got := eng.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q\nwant %q", got, want)
	}
	h.assertShows("ログを取り込みました")
}

func reviewEngine() *fakeEngine {
	eng := &fakeEngine{staff: sampleStaff(), heat: [7][24]int{6: {22: 12}}}
	eng.set(populatedSummary(), populatedFindings())
	eng.ranking = []domain.RankEntry{
		{StaffID: "S0099", Name: "鈴木 一", Score: 9.5, Rank: 1, Reasons: []string{"離任後の利用"}, Findings: 1},
		{StaffID: "S0012", Name: "山田 太郎", Score: 4, Rank: 2, Reasons: []string{"深夜の照会"}, Findings: 1},
	}
	return eng
}

func TestReviewRecordsStatusWithComment(t *testing.T) {
	eng := reviewEngine()
	h := newHarness(t, eng)
	h.assertShows("確認待ちの職員が 2 人います。")
	if h.v.reviewTab.Text != "職員別の確認（2）" {
		t.Errorf("review tab = %q", h.v.reviewTab.Text)
	}
	h.v.tabs.Select(h.v.reviewTab)
	rv := h.v.review
	rv.list.table.Select(widget.TableCellID{Row: 1, Col: 1})
	h.wait() // the heatmap
	h.assertShows("山田 太郎（S0012）", "所属：住民課", "勤務時間外アクセス　2024年4月6日　重要度 中　12 件", "勤務時間外・休日の操作：12 件")

	card := rv.page.Objects[len(rv.page.Objects)-1]
	status, _ := find[*widget.Select](card)
	comment, _ := find[*widget.Entry](card)
	status.SetSelected("問題なし")
	test.Tap(buttons(card, "確認結果を記録")[0])
	h.wait()
	h.assertShows("「問題なし」にするときは、確認した内容をコメントに書いてください。")
	if len(eng.Calls()) != 0 {
		t.Fatalf("closed without a comment: %q", eng.Calls())
	}
	// A stock phrase fills the comment without typing.
	phrases := buttonsSelects(card)
	phrases[1].SetSelected("本人への聞き取りを予定している。")
	if comment.Text != "本人への聞き取りを予定している。" {
		t.Errorf("comment after the phrase = %q", comment.Text)
	}
	status.SetSelected("要ヒアリング")
	comment.SetText("7/3 本人に聞き取り予定")
	test.Tap(buttons(card, "確認結果を記録")[0])
	h.wait()
	want := `SetReview AFTER_HOURS/S0012/2024-04-06 要ヒアリング "7/3 本人に聞き取り予定" by=総務 一郎`
	if got := eng.Calls(); !slices.Equal(got, []string{want}) {
		t.Errorf("calls = %q", got)
	}
	// The page stays on the staff member and shows the new state; the
	// audit tab shows the entry.
	h.assertShows("最後の記録：2024年7月2日 15:00　総務 一郎")
	h.v.tabs.Select(h.v.dashTab)
	h.assertShows("確認待ちの職員が 1 人います。")
	h.v.tabs.Select(h.v.auditTab)
	h.assertShows("点検結果の確認", "AFTER_HOURS/S0012/2024-04-06")
}

func TestExclusionNeedsReasonAndApprover(t *testing.T) {
	eng := reviewEngine()
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.reviewTab)
	h.v.review.list.table.Select(widget.TableCellID{Row: 0, Col: 1})
	h.wait()
	test.Tap(h.button("この職員を除外…"))
	h.assertShows("点検から除外する", "職員（すべての検出事項）")
	test.Tap(h.button("除外を記録"))
	h.assertShows("除外の理由を書いてください。")
	form, _ := find[*widget.Form](h.top())
	form.Items[2].Widget.(*widget.SelectEntry).SetText("退職後の引継ぎ作業（総務課長承認済み）")
	test.Tap(h.button("除外を記録"))
	h.assertShows("承認者を選ぶか、入れてください。")
	form.Items[3].Widget.(*widget.SelectEntry).SetText("佐藤 花子")
	h.tap("除外を記録")
	want := `Exclude staff S0099 "退職後の引継ぎ作業（総務課長承認済み）" by=佐藤 花子`
	if got := eng.Calls(); !slices.Equal(got, []string{want}) {
		t.Errorf("calls = %q", got)
	}
	h.v.tabs.Select(h.v.hearingTab)
	h.v.hearing.show(5)
	h.assertShows("退職後の引継ぎ作業", "有効")
	h.tap("取り消す")
	form, _ = find[*widget.Form](h.top())
	form.Items[1].Widget.(*widget.SelectEntry).SetText("誤って除外したため")
	h.tap("取り消す")
	if got := eng.Calls(); len(got) != 2 || got[1] != `RevokeExclusion 1 "誤って除外したため" by=総務 一郎` {
		t.Errorf("calls = %q", got)
	}
	h.assertShows("取消（2024年7月3日）")
}

func TestExclusionConcernsAreShown(t *testing.T) {
	eng := reviewEngine()
	eng.exclusions = []domain.Exclusion{{ID: 7, Kind: domain.ExcludeStaff, StaffID: "S0099", Reason: "移行作業", By: "山田 太郎"}}
	eng.concerns = map[int64][]string{7: {"承認者 山田 太郎（S0012）自身にも今回の点検で検出事項が 1 件あります（勤務時間外の利用）。"}}
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.hearingTab)
	h.v.hearing.show(5)
	h.assertShows("移行作業", "注意（S0099 の除外）：承認者 山田 太郎（S0012）自身にも今回の点検で検出事項が 1 件あります")
}

func TestVerifyShowsChecks(t *testing.T) {
	eng := &fakeEngine{verify: &workspace.VerifyReport{Checks: []workspace.VerifyCheck{
		{Name: "監査ログのハッシュ連鎖", OK: false, Detail: "12 番の記録が書き換えられています。"},
		{Name: "データベースの整合性", OK: true, Detail: "問題ありません。"},
	}}}
	h := newHarness(t, eng)
	h.tap("監査ログを検証")
	if h.v.tabs.Selected() != h.v.auditTab {
		t.Error("audit tab not shown")
	}
	h.assertShows("検証の結果：問題が見つかりました（監査ログのハッシュ連鎖）", "12 番の記録が書き換えられています。", "データベースの整合性：問題ありません。")
}

func TestReportOptions(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.tap("報告書を保存")
	h.assertShows("報告書の設定", "概要", "アカウント別利用状況", "和暦（令和7年4月1日）")
	var mask, usage *widget.Check
	walk(h.top(), func(o fyne.CanvasObject) {
		if w, ok := o.(*widget.Check); ok {
			switch {
			case strings.HasPrefix(w.Text, "住民の宛名番号を伏せる"):
				mask = w
			case w.Text == "アカウント別利用状況":
				usage = w
			}
		}
	})
	if !mask.Checked {
		t.Error("residents' numbers not masked by default")
	}
	mask.SetChecked(false)
	usage.SetChecked(false)
	h.picked = dir + "/r.pdf"
	h.tap("保存先を選ぶ")
	if got := eng.Calls(); !slices.Equal(got, []string{"WriteReport " + h.picked}) {
		t.Errorf("calls = %q", got)
	}
	if opt := eng.reportOpt; !opt.Unmask || opt.Era != workspace.EraWareki || len(opt.Sections) != 1 || opt.Sections["usage"] {
		t.Errorf("report options = %+v; want unmasked, 和暦, usage left out", opt)
	}
	h.assertShows("報告書を保存しました", "開く", "フォルダを開く")
	h.tap("開く")
	if len(h.openedURLs) != 1 || !strings.HasSuffix(h.openedURLs[0], "/r.pdf") {
		t.Errorf("opened %q", h.openedURLs)
	}
}

func TestHeatmapMarksWorkingHours(t *testing.T) {
	var g [7][24]int
	g[1][9] = 4  // Monday 9h: inside
	g[0][10] = 2 // Sunday: outside
	g[3][22] = 1 // Wednesday 22h: outside
	o := heatmap(g, "08:30-17:15")
	got := strings.Join(texts(o), "\n")
	if !strings.Contains(got, "勤務時間外・休日の操作：3 件（全 7 件）") || !strings.Contains(got, "最大 4 件") {
		t.Errorf("legend = %q", got)
	}
}

// buttonsSelects returns the visible selects under o, in order.
func buttonsSelects(o fyne.CanvasObject) []*widget.Select {
	var out []*widget.Select
	walk(o, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			out = append(out, s)
		}
	})
	return out
}
