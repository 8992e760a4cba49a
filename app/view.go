package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/assets"
	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// MainView is the content of Tenken's window: a sidebar with the steps of
// the work, a dashboard and the findings of the latest run. All its methods
// run on the UI goroutine; the engine is only called from jobs (see start).
type MainView struct {
	win fyne.Window
	dir string
	eng Engine

	// Seams for tests: the file dialogs, the clock and opening a folder
	// cannot be driven by the test driver.
	pickFile func(title string, exts []string, done func(path string))
	pickSave func(title, name string, done func(path string))
	openURL  func(*url.URL) error
	now      func() time.Time
	// The restore closes the workspace, replaces its database and opens
	// it again (a new view); Run sets closeWorkspace and reopen through
	// SetReopen, a view without them offers no restore.
	closeWorkspace func() error
	reopen         func()
	restoreDB      func(ctx context.Context, backupFile, dir string) error

	content    fyne.CanvasObject
	tabs       *container.AppTabs
	dashTab    *container.TabItem
	hearingTab *container.TabItem
	masterTab  *container.TabItem
	reviewTab  *container.TabItem
	findTab    *container.TabItem
	auditTab   *container.TabItem
	dash       *fyne.Container
	status     *widget.Label
	findings   *findingsView
	hearing    *hearingWizard
	masters    *mastersView
	review     *reviewView
	audit      *auditView

	snap         snapshot
	hearingSeen  map[string]string // the stored answers the wizard was last filled from
	hearingBasis string            // imports and staff it was filled with
	hearingStale bool              // the wizard must be filled again before it is shown

	sideButtons []actionButton
	dashButtons []actionButton
	tabButtons  []actionButton // buttons on the tabs, built once

	loaded         bool
	summary        workspace.Summary
	summaryErr     error
	reportSavedRun int64  // ID of the run whose report was saved in this session
	subjectColumn  string // header of the log column mapped to 宛名番号 in the last import

	busy          bool
	cancel        context.CancelFunc
	closeWhenIdle bool
	bg            sync.WaitGroup // running jobs; tests wait on it
}

// actionButton ties a button to the action it runs, so the view can enable
// it by the state of the workspace.
type actionButton struct {
	act action
	btn *widget.Button
}

// NewMainView builds the view of the workspace in dir driven by eng (a
// *workspace.Workspace outside tests). It says it is loading until
// Refresh has loaded the workspace.
func NewMainView(w fyne.Window, dir string, eng Engine) *MainView {
	v := &MainView{win: w, dir: dir, eng: eng, now: time.Now, restoreDB: workspace.Restore}
	v.pickFile = v.showOpenDialog
	v.pickSave = v.showSaveDialog
	v.openURL = func(u *url.URL) error { return fyne.CurrentApp().OpenURL(u) }
	v.build()
	return v
}

// SetReopen lets the view restore a backup: closeWS closes the workspace
// the view shows, reopen opens it again and shows a new view of it.
func (v *MainView) SetReopen(closeWS func() error, reopen func()) {
	v.closeWorkspace, v.reopen = closeWS, reopen
	v.updateButtons()
}

// Content returns the view's root object, for Window.SetContent.
func (v *MainView) Content() fyne.CanvasObject { return v.content }

// Refresh reloads the workspace's summary and findings in the background.
func (v *MainView) Refresh() { v.start(job{}) }

// Busy reports whether a job is running.
func (v *MainView) Busy() bool { return v.busy }

// RequestClose closes the window; while a job runs it first asks whether to
// cancel it, and closes once the job has stopped, so the workspace is never
// closed under a running import.
func (v *MainView) RequestClose() {
	if !v.busy {
		v.win.Close()
		return
	}
	d := dialog.NewConfirm("処理中です", "実行中の処理を中止して終了しますか？", func(ok bool) {
		if !ok {
			return
		}
		v.closeWhenIdle = true
		if v.cancel != nil {
			v.cancel()
		}
	}, v.win)
	d.SetConfirmText("中止して終了")
	d.SetDismissText("続ける")
	d.Show()
}

// HandleDrop imports log files dropped on the window.
func (v *MainView) HandleDrop(uris []fyne.URI) {
	if v.busy {
		v.setStatus("処理中です。終わってから、もう一度ファイルをドロップしてください。")
		return
	}
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" && hasExtension(u.Path(), logExtensions) {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) == 0 {
		dialog.ShowInformation("取り込めないファイルです", "ログとして取り込めるのは、CSV・TXT・TSV・Excel（xlsx）のファイルです。", v.win)
		return
	}
	v.previewImport(paths)
}

func (v *MainView) build() {
	v.status = widget.NewLabel("ログファイルは、このウィンドウにドラッグ＆ドロップしても取り込めます。")
	v.status.Truncation = fyne.TextTruncateEllipsis
	v.dash = container.NewVBox(paragraph("作業フォルダを読み込んでいます…"))
	v.findings = newFindingsView()

	v.hearing = newHearingWizard(v)
	v.masters = newMastersView(v)
	v.review = newReviewView(v)
	v.audit = newAuditView(v)

	v.dashTab = container.NewTabItemWithIcon("ダッシュボード", theme.HomeIcon(), container.NewVScroll(v.dash))
	v.hearingTab = container.NewTabItemWithIcon("ヒアリングシート", theme.DocumentCreateIcon(), v.hearing.content)
	v.masterTab = container.NewTabItemWithIcon("マスタ", theme.AccountIcon(), v.masters.content)
	v.reviewTab = container.NewTabItemWithIcon("職員別の確認", theme.VisibilityIcon(), v.review.content)
	v.findTab = container.NewTabItemWithIcon("検出事項", theme.WarningIcon(), v.findings.content)
	v.auditTab = container.NewTabItemWithIcon("監査ログ", theme.HistoryIcon(), v.audit.content)
	v.tabs = container.NewAppTabs(v.dashTab, v.hearingTab, v.masterTab, v.reviewTab, v.findTab, v.auditTab)
	v.tabs.OnSelected = func(t *container.TabItem) {
		if t == v.hearingTab {
			v.refreshHearing()
		}
	}

	statusBar := container.NewVBox(widget.NewSeparator(), v.status)
	v.content = container.NewBorder(nil, statusBar, v.buildSidebar(), nil, v.tabs)
	v.updateButtons()
}

func (v *MainView) buildSidebar() fyne.CanvasObject {
	icon := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(40))
	title := container.NewHBox(icon, container.NewVBox(
		heading("点検", theme.SizeNameSubHeadingText),
		captionLabel("アクセスログの点検", fyne.TextAlignLeading),
	))

	side := func(act action, text string, icon fyne.Resource) *widget.Button {
		b := v.newActionButton(act, text, icon, widget.MediumImportance)
		b.Alignment = widget.ButtonAlignLeading
		v.sideButtons = append(v.sideButtons, actionButton{act, b})
		return b
	}
	steps := container.NewVBox(
		title,
		widget.NewSeparator(),
		captionLabel("1　準備する", fyne.TextAlignLeading),
		side(actHearing, "ヒアリングシート", theme.DocumentCreateIcon()),
		side(actImportLog, "ログを取り込む", theme.FolderOpenIcon()),
		side(actImportStaff, "職員マスタを取り込む", theme.AccountIcon()),
		side(actImportGrants, "権限マスタを取り込む", theme.ListIcon()),
		side(actImportWatch, "要注意対象を取り込む", theme.WarningIcon()),
		captionLabel("2　点検する", fyne.TextAlignLeading),
		side(actInspect, "点検を実行", theme.SearchIcon()),
		side(actReview, "職員別に確認する", theme.VisibilityIcon()),
		captionLabel("3　報告する", fyne.TextAlignLeading),
		side(actReport, "報告書を保存", theme.DocumentSaveIcon()),
		side(actExport, "エクスポート（Excel）", theme.DownloadIcon()),
		side(actAnnual, "年間総括を保存", theme.DocumentIcon()),
		side(actAudit, "監査ログを検証", theme.HistoryIcon()),
	)
	bottom := container.NewVBox(
		widget.NewSeparator(),
		container.NewGridWithColumns(2,
			side(actBackup, "バックアップ", theme.UploadIcon()),
			side(actRestore, "復元", theme.ContentUndoIcon())),
		side(actSample, "サンプルデータで試す", theme.MediaPlayIcon()),
	)
	bg := canvas.NewRectangle(theme.Color(colorNameSidebar))
	return container.NewStack(bg, container.NewPadded(container.NewBorder(steps, bottom, nil, nil)))
}

// newActionButton makes a button that runs act.
func (v *MainView) newActionButton(act action, text string, icon fyne.Resource, imp widget.Importance) *widget.Button {
	b := widget.NewButtonWithIcon(text, icon, func() { v.run(act) })
	b.Importance = imp
	return b
}

// run starts the flow of an action.
func (v *MainView) run(act action) {
	if v.busy {
		return
	}
	switch act {
	case actImportLog:
		v.importLog()
	case actImportStaff:
		v.importMaster(workspace.MasterStaff)
	case actImportGrants:
		v.importMaster(workspace.MasterGrants)
	case actImportWatch:
		v.importMaster(workspace.MasterWatchlist)
	case actImportOvertime:
		v.importMaster(workspace.MasterOvertime)
	case actHearing:
		v.tabs.Select(v.hearingTab)
	case actReview:
		v.tabs.Select(v.reviewTab)
	case actAudit:
		v.tabs.Select(v.auditTab)
		v.audit.verify()
	case actInspect:
		v.inspect()
	case actReport:
		v.saveReport()
	case actSample:
		v.trySample()
	case actExport:
		v.exportFindings()
	case actAnnual:
		v.annualReport()
	case actBackup:
		v.backup()
	case actRestore:
		v.restore()
	}
}

// allowed says whether act makes sense in the current state: no inspection
// without logs, no report without a run. When the summary could not be
// loaded everything stays allowed and the engine explains what is wrong.
func (v *MainView) allowed(act action) bool {
	if act == actRestore && !v.canRestore() {
		return false
	}
	if v.summaryErr != nil || !v.loaded {
		return act != actNone
	}
	switch act {
	case actInspect:
		return v.summary.Files > 0
	case actReport, actReview, actExport, actAnnual:
		return v.summary.LastRun != nil
	}
	return true
}

func (v *MainView) updateButtons() {
	for _, list := range [][]actionButton{v.sideButtons, v.dashButtons, v.tabButtons} {
		for _, b := range list {
			if v.busy || !v.allowed(b.act) {
				b.btn.Disable()
			} else {
				b.btn.Enable()
			}
		}
	}
}

// apply shows a freshly loaded snapshot.
func (v *MainView) apply(s snapshot) {
	v.loaded = true
	v.snap = s
	// The wizard offers the imported systems and the staff's names: it is
	// filled again when they or the stored answers change, not on every
	// reload, so that a reload does not wipe what is being typed.
	basis := fmt.Sprintf("%d/%d", s.summary.Files, len(s.staff))
	if s.hearingErr != nil || !sameMap(s.hearing, v.hearingSeen) || basis != v.hearingBasis {
		v.hearingBasis = basis
		v.hearingSeen = s.hearing
		v.summary = s.summary
		// Building the six steps takes a while; a wizard nobody looks at
		// is built when its tab is opened.
		v.hearingStale = true
		if v.tabs != nil && v.tabs.Selected() == v.hearingTab {
			v.refreshHearing()
		}
	} else {
		v.hearing.renderExclusions()
	}
	v.masters.set(s)
	v.review.set(s)
	v.audit.set(s)
	v.reviewTab.Text = "職員別の確認"
	if n := len(v.waitingStaff()); n > 0 {
		v.reviewTab.Text = "職員別の確認（" + formatInt(n) + "）"
	}
	v.summary, v.summaryErr = s.summary, s.summaryErr
	v.findings.set(s.summary.LastRun, s.findings, s.findErr)
	if s.summary.LastRun != nil {
		v.findTab.Text = "検出事項（" + formatInt(len(s.findings)) + "）"
	} else {
		v.findTab.Text = "検出事項"
	}
	v.tabs.Refresh()
	v.renderDashboard()
}

// renderDashboard rebuilds the dashboard from the current summary.
func (v *MainView) renderDashboard() {
	v.dashButtons = nil
	v.dash.Objects = []fyne.CanvasObject{v.buildDashboard()}
	v.dash.Refresh()
	v.updateButtons()
}

func (v *MainView) setStatus(text string) {
	v.status.SetText(text)
}

// reportSaved reports whether the latest run's report was saved in this
// session.
func (v *MainView) reportSaved() bool {
	return v.summary.LastRun != nil && v.summary.LastRun.ID == v.reportSavedRun
}

// isEmpty reports whether nothing was ever put in the workspace.
func isEmpty(s workspace.Summary) bool {
	return s.Files == 0 && s.Staff == 0 && s.LastRun == nil
}

// dashboard builds the home screen.
func (v *MainView) buildDashboard() fyne.CanvasObject {
	s := v.summary
	title := "点検の状況"
	if s.Town != "" {
		title = s.Town
	}
	items := []fyne.CanvasObject{
		heading(title, theme.SizeNameHeadingText),
		smallText("作業フォルダ：" + v.dir),
	}
	if v.summaryErr != nil {
		items = append(items, panel(colorNamePanel, container.NewBorder(nil, nil,
			widget.NewIcon(theme.ErrorIcon()), nil,
			paragraph("作業フォルダの情報を読み込めませんでした。"+v.summaryErr.Error()))))
	}
	if isEmpty(s) {
		items = append(items, v.welcome())
		return container.NewPadded(container.NewVBox(items...))
	}
	step := nextStepFor(s, v.reportSaved())
	waiting := v.waitingStaff()
	if step.Act == actReport && len(waiting) > 0 {
		step = nextStep{"確認待ちの職員が " + formatInt(len(waiting)) + " 人います。「職員別の確認」で、検出事項ごとに確認結果を記録してください。", actReview}
	}
	items = append(items, v.nextStepPanel(step))
	if s.Town == "" && v.snap.hearingErr == nil {
		items = append(items, v.hearingHint())
	}
	items = append(items, v.statCards())
	if len(waiting) > 0 {
		items = append(items, sectionTitle("確認待ちの職員（点数の高い順）"), v.waitingTable(waiting))
	}
	items = append(items,
		sectionTitle("規則別の検出件数"),
		v.ruleTable(),
		sectionTitle("システム別の取り込み状況"),
		v.systemTable(),
		sectionTitle("取り込んだファイル"),
		v.fileTable(),
	)
	return container.NewPadded(container.NewVBox(items...))
}

func sectionTitle(text string) fyne.CanvasObject {
	return heading(text, theme.SizeNameSubHeadingText)
}

// welcome is the first-run screen of an empty workspace.
func (v *MainView) welcome() fyne.CanvasObject {
	sample := v.newActionButton(actSample, "サンプルデータで試す", theme.MediaPlayIcon(), widget.HighImportance)
	logs := v.newActionButton(actImportLog, "ログを取り込む", theme.FolderOpenIcon(), widget.MediumImportance)
	staff := v.newActionButton(actImportStaff, "職員マスタを取り込む", theme.AccountIcon(), widget.MediumImportance)
	v.dashButtons = append(v.dashButtons, actionButton{actSample, sample}, actionButton{actImportLog, logs}, actionButton{actImportStaff, staff})

	steps := container.NewVBox(
		paragraph("1.　システムのアクセスログ（CSV）と、職員マスタ・権限マスタを取り込みます。"),
		paragraph("2.　点検を実行すると、勤務時間外や閉庁日の利用、権限外の利用、離任者や未登録のIDの利用を洗い出します。"),
		paragraph("3.　検出事項を確認し、報告書（PDF）を保存します。"),
	)
	return panel(colorNameHint, container.NewVBox(
		heading("点検へようこそ", theme.SizeNameSubHeadingText),
		paragraph("住民記録や税務などのシステムのアクセスログを点検し、個人情報の不適切な利用がないかを確かめて、報告書にまとめるアプリです。"),
		steps,
		container.NewHBox(sample, logs, staff),
		smallText("はじめての方は「サンプルデータで試す」で、架空の町のデータを使って一通りの流れを試せます。ログファイルは、このウィンドウにドラッグ＆ドロップしても取り込めます。"),
	))
}

// nextStepPanel shows 「次にすること」 with the button that does it.
func (v *MainView) nextStepPanel(step nextStep) fyne.CanvasObject {
	text := container.NewVBox(
		captionLabel("次にすること", fyne.TextAlignLeading),
		heading(step.Text, theme.SizeNameText),
	)
	var btn fyne.CanvasObject = layout.NewSpacer()
	if step.Act != actNone {
		label, icon := actionLabel(step.Act)
		b := v.newActionButton(step.Act, label, icon, widget.HighImportance)
		v.dashButtons = append(v.dashButtons, actionButton{step.Act, b})
		btn = container.NewCenter(b)
	}
	return panel(colorNameHint, container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), btn, text))
}

// actionLabel returns the button text and icon of an action.
func actionLabel(act action) (string, fyne.Resource) {
	switch act {
	case actImportLog:
		return "ログを取り込む", theme.FolderOpenIcon()
	case actImportStaff:
		return "職員マスタを取り込む", theme.AccountIcon()
	case actImportGrants:
		return "権限マスタを取り込む", theme.ListIcon()
	case actInspect:
		return "点検を実行", theme.SearchIcon()
	case actReport:
		return "報告書を保存", theme.DocumentSaveIcon()
	case actSample:
		return "サンプルデータで試す", theme.MediaPlayIcon()
	case actHearing:
		return "ヒアリングシート", theme.DocumentCreateIcon()
	case actImportWatch:
		return "要注意対象を取り込む", theme.WarningIcon()
	case actImportOvertime:
		return "時間外申請を取り込む", theme.HistoryIcon()
	case actReview:
		return "職員別に確認する", theme.VisibilityIcon()
	case actAudit:
		return "監査ログを検証", theme.HistoryIcon()
	case actExport:
		return "エクスポート（Excel）", theme.DownloadIcon()
	case actAnnual:
		return "年間総括を保存", theme.DocumentIcon()
	case actBackup:
		return "バックアップ", theme.UploadIcon()
	case actRestore:
		return "復元", theme.ContentUndoIcon()
	}
	return "", nil
}

// statCards are the figures of the dashboard.
func (v *MainView) statCards() fyne.CanvasObject {
	s := v.summary
	rows := statCard("取込行数", formatInt(s.Rows)+" 行", "")
	if s.Rejected > 0 {
		rows = statCard("取込行数", formatInt(s.Rows)+" 行", "取り込めなかった行 "+formatInt(s.Rejected)+" 行")
	}
	grants := "権限マスタ 未取込"
	if s.Grants > 0 {
		grants = "権限マスタ " + formatInt(s.Grants) + " 行"
	}
	staff := statCard("職員マスタ", formatInt(s.Staff)+" 人", grants)
	if s.Staff == 0 {
		staff = statCard("職員マスタ", "未取込", grants)
	}
	last := statCard("最新の点検", "未実施", "")
	found := statCard("検出事項", "―", "")
	if r := s.LastRun; r != nil {
		last = statCard("最新の点検", formatDateTime(r.At), "対象 "+formatPeriod(r.From, r.To))
		total := 0
		for _, n := range s.FindingsByRule {
			total += n
		}
		found = statCard("検出事項", formatInt(total)+" 件", v.findings.severityLine())
	}
	return container.NewGridWithColumns(3,
		statCard("取込済みファイル", formatInt(s.Files)+" 件", ""),
		rows,
		statCard("ログの期間", formatPeriod(s.From, s.To), v.plannedPeriod()),
		staff,
		last,
		found,
	)
}

// statCard is one figure: a caption, the value large, and a note.
func statCard(caption, value, note string) fyne.CanvasObject {
	val := heading(value, theme.SizeNameSubHeadingText)
	val.Truncation = fyne.TextTruncateEllipsis
	noteText := captionLabel(note, fyne.TextAlignLeading)
	noteText.Truncation = fyne.TextTruncateEllipsis
	return panel(colorNamePanel, container.NewVBox(captionLabel(caption, fyne.TextAlignLeading), val, noteText))
}

// ruleTable lists the findings of the latest run by rule.
func (v *MainView) ruleTable() fyne.CanvasObject {
	s := v.summary
	if s.LastRun == nil {
		return panel(colorNamePanel, paragraph("まだ点検を実行していません。"))
	}
	counts := ruleCounts(s.FindingsByRule)
	largest := 0
	for _, rc := range counts {
		largest = max(largest, rc.Count)
	}
	rows := make([][]fyne.CanvasObject, 0, len(counts))
	for _, rc := range counts {
		rows = append(rows, []fyne.CanvasObject{
			widget.NewLabel(rc.Name),
			widget.NewLabelWithStyle(formatInt(rc.Count)+" 件", fyne.TextAlignTrailing, fyne.TextStyle{}),
			countBar(rc.Count, largest),
		})
	}
	return panel(colorNamePanel, objectTable([]column{
		{"点検項目", fyne.TextAlignLeading},
		{"検出件数", fyne.TextAlignTrailing},
		{"", fyne.TextAlignLeading},
	}, rows, 2))
}

// fileTable lists the imported files.
func (v *MainView) fileTable() fyne.CanvasObject {
	s := v.summary
	if len(s.Batches) == 0 {
		return panel(colorNamePanel, paragraph("まだログを取り込んでいません。"))
	}
	rows := make([][]string, 0, len(s.Batches))
	for _, b := range s.Batches {
		rows = append(rows, []string{
			baseName(b.File), b.System,
			formatInt(b.Accepted), formatInt(b.Rejected), formatInt(b.Duplicate),
			importedAt(b.ImportedAt),
		})
	}
	return panel(colorNamePanel, simpleTable([]column{
		{"ファイル名", fyne.TextAlignLeading},
		{"システム", fyne.TextAlignLeading},
		{"取込", fyne.TextAlignTrailing},
		{"取込不可", fyne.TextAlignTrailing},
		{"重複", fyne.TextAlignTrailing},
		{"取込日時", fyne.TextAlignLeading},
	}, rows, 0))
}

func importedAt(t time.Time) string {
	if t.IsZero() {
		return "―"
	}
	return formatDateTime(t)
}

// severityCounts counts findings by severity, for the dashboard's note.
func severityCounts(fs []domain.Finding) map[domain.Severity]int {
	m := map[domain.Severity]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// waitingStaff are the ranked staff with findings not reviewed yet.
func (v *MainView) waitingStaff() []domain.RankEntry {
	var out []domain.RankEntry
	for _, e := range v.review.entries {
		if !e.Excluded && v.review.openCount(e.StaffID) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// waitingTable lists the first staff waiting for review.
func (v *MainView) waitingTable(list []domain.RankEntry) fyne.CanvasObject {
	const shown = 5
	var rows [][]string
	for _, e := range list[:min(len(list), shown)] {
		rows = append(rows, []string{e.StaffID, e.Name, formatInt(v.review.openCount(e.StaffID)) + " 件", strings.Join(e.Reasons, "、")})
	}
	objs := []fyne.CanvasObject{simpleTable([]column{
		{"職員ID", fyne.TextAlignLeading}, {"氏名", fyne.TextAlignLeading}, {"未確認", fyne.TextAlignTrailing}, {"主な理由", fyne.TextAlignLeading},
	}, rows, 3)}
	if len(list) > shown {
		objs = append(objs, smallText("ほか "+formatInt(len(list)-shown)+" 人。すべては「職員別の確認」にあります。"))
	}
	return panel(colorNamePanel, container.NewVBox(objs...))
}

// hearingHint asks for the hearing sheet when the town's name is missing.
func (v *MainView) hearingHint() fyne.CanvasObject {
	b := v.newActionButton(actHearing, "ヒアリングシートを開く", theme.DocumentCreateIcon(), widget.MediumImportance)
	v.dashButtons = append(v.dashButtons, actionButton{actHearing, b})
	return panel(colorNamePanel, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), container.NewCenter(b),
		paragraph("ヒアリングシート（団体名・担当者・点検期間・勤務時間など）がまだです。報告書の表紙と点検の条件になります。")))
}

// systemTable sums the imports per system: files, rows, period, and from
// the engine's coverage the working days without any log (a gap is a
// finding of its own: a log deleted or never exported).
func (v *MainView) systemTable() fyne.CanvasObject {
	rows := systemRows(v.summary.Batches)
	if len(rows) == 0 {
		return panel(colorNamePanel, paragraph("まだログを取り込んでいません。"))
	}
	cov := map[string]workspace.SystemCoverage{}
	for _, c := range v.snap.coverage {
		cov[c.System] = c
	}
	for i, r := range rows {
		gaps, retention := "―", "―"
		if c, ok := cov[r[0]]; ok {
			gaps = gapText(c.MissingDays)
			if !c.RetentionDue.IsZero() {
				retention = "足りない（" + formatDate(c.RetentionDue) + " 以降が必要）"
				if c.MeetsRetention() {
					retention = "足りている"
				}
			}
		}
		rows[i] = append(r, gaps, retention)
	}
	objs := []fyne.CanvasObject{simpleTable([]column{
		{"システム", fyne.TextAlignLeading}, {"ファイル", fyne.TextAlignTrailing}, {"行数", fyne.TextAlignTrailing}, {"ログの期間", fyne.TextAlignLeading},
		{"ログのない開庁日", fyne.TextAlignLeading}, {"保存年限", fyne.TextAlignLeading},
	}, rows, 4)}
	if v.snap.covErr != nil {
		objs = append(objs, smallText("ログの網羅性を調べられませんでした。"+v.snap.covErr.Error()))
	}
	return panel(colorNamePanel, container.NewVBox(objs...))
}

// gapText lists the first days without a log: なし, or 5月3日・5月7日 ほか2日.
func gapText(days []time.Time) string {
	if len(days) == 0 {
		return "なし"
	}
	const shown = 3
	var parts []string
	for _, d := range days[:min(len(days), shown)] {
		parts = append(parts, fmt.Sprintf("%d月%d日", int(d.Month()), d.Day()))
	}
	text := strings.Join(parts, "・")
	if len(days) > shown {
		text += fmt.Sprintf(" ほか%d日", len(days)-shown)
	}
	return formatInt(len(days)) + " 日（" + text + "）"
}

// plannedPeriod is the hearing sheet's 点検期間, for the period card.
func (v *MainView) plannedPeriod() string {
	from, err1 := time.Parse(time.DateOnly, v.snap.hearing["from"])
	to, err2 := time.Parse(time.DateOnly, v.snap.hearing["to"])
	if err1 != nil || err2 != nil {
		return ""
	}
	return "点検期間 " + formatPeriod(from, to)
}

// refreshHearing fills the wizard from the stored answers when they or
// the data it offers changed since it was last filled.
func (v *MainView) refreshHearing() {
	if !v.hearingStale {
		return
	}
	v.hearingStale = false
	v.hearing.load(v.snap.hearing, v.snap.hearingErr)
}
