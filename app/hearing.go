package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// inspectionKinds are the choices of 点検の種類.
var inspectionKinds = []string{"月次", "四半期", "年次", "臨時"}

// commonDepartments are offered for 担当課 besides the departments of the
// staff master, so the field is picked, not typed.
var commonDepartments = []string{"総務課", "情報政策課", "企画課", "住民課", "税務課"}

// wizardSteps are the steps of the hearing sheet (DOMAIN.md).
var wizardSteps = []string{"団体・担当", "点検期間", "対象システム", "勤務時間と閉庁日", "点検項目", "除外"}

// hearingWizard is the ヒアリングシート tab: one step at a time, 戻る/次へ
// with validation, and 保存 at the end. It edits a copy of the stored
// answers; nothing is written before 保存.
type hearingWizard struct {
	v       *MainView
	content *fyne.Container
	step    int

	stepLabels []*widget.Label
	body       *fyne.Container
	errLabel   *widget.Label
	back, next *widget.Button
	buttons    *fyne.Container

	// Answers being edited. Keys the wizard has no field for are kept and
	// written back unchanged.
	kv map[string]string

	// Step 1.
	town, person *widget.SelectEntry
	department   *widget.SelectEntry
	kind         *widget.RadioGroup
	// Step 2.
	from, to *datePicker
	// Step 3.
	systems   *widget.CheckGroup
	newSystem *widget.SelectEntry
	domains   *widget.Entry
	partners  *widget.Entry
	retention *widget.Select
	// Step 4.
	workStart, workEnd *widget.Select
	deptHours          []deptHoursRow
	deptBox            *fyne.Container
	extended           []extendedRow
	extBox             *fyne.Container
	closed, open       []string
	closedBox, openBox *fyne.Container
	// Step 5.
	ruleChecks map[string]*widget.Check
	thresholds map[string]*widget.Entry
	// Step 6.
	exclBox *fyne.Container

	steps []fyne.CanvasObject
}

// extendedRow is one 窓口延長: a department (or everyone), a weekday or
// a date, and the hours that day.
type extendedRow struct {
	dept, when *widget.Select
	date       *datePicker
	dateLine   *fyne.Container // the date's pickers, shown for 日付を指定
	start, end *widget.Select
}

// everyone is the department choice of a 窓口延長 that applies to all.
const everyone = "全員（所属を問わない）"

// pickDate is the 曜日 choice that asks for a date instead.
const pickDate = "日付を指定"

// extendedWhen are the 曜日 choices of a 窓口延長: 毎週月曜日 … and a date.
func extendedWhen() []string {
	out := make([]string, 0, 8)
	for _, d := range []int{1, 2, 3, 4, 5, 6, 0} {
		out = append(out, "毎週"+weekdayJa[d]+"曜日")
	}
	return append(out, pickDate)
}

// deptHoursRow is one department with its own working hours.
type deptHoursRow struct {
	dept       *widget.SelectEntry
	start, end *widget.Select
}

func newHearingWizard(v *MainView) *hearingWizard {
	hw := &hearingWizard{v: v, kv: map[string]string{}}
	hw.errLabel = paragraph("")
	hw.errLabel.Importance = widget.DangerImportance
	hw.back = widget.NewButtonWithIcon("戻る", theme.NavigateBackIcon(), hw.goBack)
	hw.next = widget.NewButtonWithIcon("次へ", theme.NavigateNextIcon(), hw.goNext)
	hw.next.IconPlacement = widget.ButtonIconTrailingText
	hw.next.Importance = widget.HighImportance
	var labels []fyne.CanvasObject
	for i, s := range wizardSteps {
		l := widget.NewLabel(fmt.Sprintf("%d　%s", i+1, s))
		hw.stepLabels = append(hw.stepLabels, l)
		labels = append(labels, l)
	}
	hw.body = container.NewStack()
	stepper := container.NewVBox(append([]fyne.CanvasObject{captionLabel("ヒアリングシート", fyne.TextAlignLeading)}, labels...)...)
	buttons := container.NewHBox(hw.back, layout.NewSpacer(), hw.next)
	hw.buttons = buttons
	hw.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), hw.errLabel, buttons),
		container.NewHBox(container.NewPadded(stepper), widget.NewSeparator()), nil,
		container.NewVScroll(container.NewPadded(hw.body)))
	hw.load(nil, nil)
	return hw
}

// load fills the fields from the stored answers.
func (hw *hearingWizard) load(kv map[string]string, err error) {
	hw.kv = map[string]string{}
	for k, v := range kv {
		hw.kv[k] = v
	}
	hw.steps = []fyne.CanvasObject{
		hw.buildOrganisation(), hw.buildPeriod(), hw.buildSystems(), hw.buildHours(), hw.buildRules(), hw.buildExclusions(),
	}
	if err != nil {
		hw.errLabel.SetText("ヒアリングシートを読み込めませんでした。" + err.Error())
	}
	hw.show(hw.step)
}

// show displays step i.
func (hw *hearingWizard) show(i int) {
	hw.step = i
	for j, l := range hw.stepLabels {
		l.TextStyle.Bold = j == i
		if j == i {
			l.Importance = widget.HighImportance
		} else {
			l.Importance = widget.MediumImportance
		}
		l.Refresh()
	}
	hw.body.Objects = []fyne.CanvasObject{hw.steps[i]}
	hw.body.Refresh()
	if i == 0 {
		hw.back.Disable()
	} else {
		hw.back.Enable()
	}
	if i == len(wizardSteps)-1 {
		hw.next.SetText("保存する")
		hw.next.SetIcon(theme.DocumentSaveIcon())
	} else {
		hw.next.SetText("次へ")
		hw.next.SetIcon(theme.NavigateNextIcon())
	}
	// The button's width changed with its text; the row must lay it out
	// again or the longer text is cut.
	if hw.buttons != nil {
		hw.buttons.Refresh()
	}
}

func (hw *hearingWizard) goBack() {
	if hw.step > 0 {
		hw.errLabel.SetText("")
		hw.show(hw.step - 1)
	}
}

// goNext validates the step and moves on, or saves after the last step.
func (hw *hearingWizard) goNext() {
	if err := hw.validate(hw.step); err != nil {
		hw.errLabel.SetText(err.Error())
		return
	}
	hw.errLabel.SetText("")
	if hw.step < len(wizardSteps)-1 {
		hw.show(hw.step + 1)
		return
	}
	hw.save()
}

// stepTitle heads a step with what it is for.
func stepTitle(title, explain string) fyne.CanvasObject {
	return container.NewVBox(heading(title, theme.SizeNameSubHeadingText), smallText(explain))
}

// form lays out labelled fields with the label on the left.
func form(items ...*widget.FormItem) *widget.Form {
	f := widget.NewForm(items...)
	return f
}

func (hw *hearingWizard) staffNames() (names, depts []string) {
	seenD := map[string]bool{}
	for _, s := range hw.v.snap.staff {
		if s.Name != "" {
			names = append(names, s.Name)
		}
		if s.Dept != "" && !seenD[s.Dept] {
			seenD[s.Dept] = true
			depts = append(depts, s.Dept)
		}
	}
	sort.Strings(names)
	sort.Strings(depts)
	return names, depts
}

func (hw *hearingWizard) buildOrganisation() fyne.CanvasObject {
	names, depts := hw.staffNames()
	towns := []string{}
	if t := hw.v.summary.Town; t != "" {
		towns = append(towns, t)
	}
	hw.town = widget.NewSelectEntry(towns)
	hw.town.SetPlaceHolder("例：山里町（貼り付けもできます）")
	hw.town.SetText(hw.kv["town"])
	deptOpts := append(append([]string(nil), commonDepartments...), depts...)
	hw.department = widget.NewSelectEntry(dedupe(deptOpts))
	hw.department.SetPlaceHolder("一覧から選ぶか、入力してください")
	hw.department.SetText(hw.kv["department"])
	hw.person = widget.NewSelectEntry(names)
	hw.person.SetPlaceHolder("職員マスタから選ぶか、貼り付けてください")
	hw.person.SetText(hw.kv["person"])
	hw.kind = widget.NewRadioGroup(inspectionKinds, nil)
	hw.kind.Horizontal = true
	hw.kind.Selected = hw.kv["kind"]
	if hw.kind.Selected == "" {
		hw.kind.Selected = "月次"
	}
	return container.NewVBox(
		stepTitle("1　団体・担当", "報告書の表紙に載る、団体名と点検の担当者です。担当者は職員マスタの氏名から選べます。"),
		form(
			&widget.FormItem{Text: "団体名", Widget: hw.town, HintText: "必須。ほかの文書からコピーして貼り付けられます"},
			&widget.FormItem{Text: "担当課", Widget: hw.department},
			&widget.FormItem{Text: "担当者", Widget: hw.person, HintText: "必須。監査ログに記録される操作者にもなります"},
			&widget.FormItem{Text: "点検の種類", Widget: hw.kind},
		),
	)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (hw *hearingWizard) buildPeriod() fyne.CanvasObject {
	now := hw.v.now()
	hw.from = newDatePicker(now, nil)
	hw.to = newDatePicker(now, nil)
	if t, err := time.Parse(time.DateOnly, hw.kv["from"]); err == nil {
		hw.from.SetDate(t)
	}
	if t, err := time.Parse(time.DateOnly, hw.kv["to"]); err == nil {
		hw.to.SetDate(t)
	}
	set := func(from, to time.Time) {
		hw.from.SetDate(from)
		hw.to.SetDate(to)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monthStart := today.AddDate(0, 0, 1-today.Day())
	lastMonth := widget.NewButton("先月", func() { set(monthStart.AddDate(0, -1, 0), monthStart.AddDate(0, 0, -1)) })
	qStart := time.Date(today.Year(), ((today.Month()-1)/3)*3+1, 1, 0, 0, 0, 0, time.UTC)
	lastQuarter := widget.NewButton("前の四半期", func() { set(qStart.AddDate(0, -3, 0), qStart.AddDate(0, 0, -1)) })
	fy := today.Year()
	if today.Month() < time.April {
		fy--
	}
	lastYear := widget.NewButton("前年度", func() {
		set(time.Date(fy-1, time.April, 1, 0, 0, 0, 0, time.UTC), time.Date(fy, time.March, 31, 0, 0, 0, 0, time.UTC))
	})
	logs := widget.NewButton("取り込んだログの期間", func() {
		if hw.v.summary.From.IsZero() {
			hw.errLabel.SetText("まだログを取り込んでいません。")
			return
		}
		set(hw.v.summary.From, hw.v.summary.To)
	})
	return container.NewVBox(
		stepTitle("2　点検期間", "どの期間のログを点検するかを選びます。よく使う期間はボタンひとつで入ります。"),
		form(
			&widget.FormItem{Text: "開始日", Widget: hw.from.box},
			&widget.FormItem{Text: "終了日", Widget: hw.to.box},
		),
		container.NewHBox(captionLabel("よく使う期間：", fyne.TextAlignLeading), lastMonth, lastQuarter, lastYear, logs),
	)
}

func (hw *hearingWizard) buildSystems() fyne.CanvasObject {
	opts := systemOptions(hw.v.summary.Batches)
	chosen := splitList(hw.kv["systems"])
	for _, s := range chosen {
		if !contains(opts, s) {
			opts = append(opts, s)
		}
	}
	hw.systems = widget.NewCheckGroup(opts, nil)
	hw.systems.Horizontal = true
	if len(chosen) == 0 {
		// Systems whose logs are imported are inspected unless unticked.
		for _, b := range hw.v.summary.Batches {
			if !contains(chosen, b.System) {
				chosen = append(chosen, b.System)
			}
		}
	}
	hw.systems.Selected = chosen
	hw.newSystem = widget.NewSelectEntry(nil)
	hw.newSystem.SetPlaceHolder("ほかのシステム名")
	add := widget.NewButtonWithIcon("追加", theme.ContentAddIcon(), func() {
		name := strings.TrimSpace(hw.newSystem.Text)
		if name == "" {
			return
		}
		if !contains(hw.systems.Options, name) {
			hw.systems.Options = append(hw.systems.Options, name)
		}
		hw.systems.SetSelected(append(append([]string(nil), hw.systems.Selected...), name))
		hw.newSystem.SetText("")
	})
	hw.domains = pasteEntry("例：town.yamazato.lg.jp（複数は ; で区切る。貼り付けもできます）")
	hw.domains.SetText(hw.kv["domains"])
	hw.partners = pasteEntry("例：itvendor.co.jp")
	hw.partners.SetText(hw.kv["partner_domains"])
	years := []string{"1年", "3年", "5年", "7年", "10年"}
	hw.retention = widget.NewSelect(years, nil)
	if r := hw.kv["retention_years"]; r != "" {
		hw.retention.SetSelected(r + "年")
	} else {
		hw.retention.SetSelected("7年")
	}

	rows := systemRows(hw.v.summary.Batches)
	var imported fyne.CanvasObject = smallText("まだログを取り込んでいません。ログは「ログを取り込む」で、システムごとに取り込みます。")
	if len(rows) > 0 {
		imported = simpleTable([]column{{"システム", fyne.TextAlignLeading}, {"ファイル", fyne.TextAlignTrailing},
			{"行数", fyne.TextAlignTrailing}, {"ログの期間", fyne.TextAlignLeading}}, rows, 3)
	}
	return container.NewVBox(
		stepTitle("3　対象システムとログ", "点検するシステムにチェックを入れます。メールのログを点検するときは、役場と委託先のメールドメインも登録します（それ以外のあて先への添付メールを検出します）。"),
		hw.systems,
		container.NewBorder(nil, nil, nil, add, hw.newSystem),
		captionLabel("取り込み済みのログ", fyne.TextAlignLeading),
		imported,
		form(
			&widget.FormItem{Text: "役場のメールドメイン", Widget: hw.domains},
			&widget.FormItem{Text: "委託先のメールドメイン", Widget: hw.partners},
			&widget.FormItem{Text: "ログの保存年限", Widget: hw.retention, HintText: "住民基本台帳の実務では7年"},
		),
	)
}

// systemRows sums the imported batches per system: files, rows and the
// period the logs cover.
func systemRows(batches []domain.ImportBatch) [][]string {
	type agg struct {
		files, rows int
		from, to    time.Time
	}
	m := map[string]*agg{}
	var order []string
	for _, b := range batches {
		a := m[b.System]
		if a == nil {
			a = &agg{}
			m[b.System] = a
			order = append(order, b.System)
		}
		a.files++
		a.rows += b.Accepted
		if !b.MinTime.IsZero() && (a.from.IsZero() || b.MinTime.Before(a.from)) {
			a.from = b.MinTime
		}
		if b.MaxTime.After(a.to) {
			a.to = b.MaxTime
		}
	}
	rows := make([][]string, 0, len(order))
	for _, s := range order {
		a := m[s]
		rows = append(rows, []string{s, formatInt(a.files) + " 件", formatInt(a.rows) + " 行", formatPeriod(a.from, a.to)})
	}
	return rows
}

func (hw *hearingWizard) buildHours() fyne.CanvasObject {
	start, end, _ := strings.Cut(hw.kv["hours"], "-")
	if start == "" {
		start, end = "08:30", "17:15"
	}
	hw.workStart = newTimeSelect(start, nil)
	hw.workEnd = newTimeSelect(end, nil)
	hw.deptHours = nil
	hw.deptBox = container.NewVBox()
	for _, part := range splitList(hw.kv["dept_hours"]) {
		dept, hrs, _ := strings.Cut(part, "=")
		s, e, _ := strings.Cut(hrs, "-")
		hw.addDeptHours(dept, s, e)
	}
	addDept := widget.NewButtonWithIcon("所属ごとの勤務時間を追加", theme.ContentAddIcon(), func() { hw.addDeptHours("", "08:30", "17:15") })
	hw.extended = nil
	hw.extBox = container.NewVBox()
	for _, part := range splitList(hw.kv["extended"]) {
		hw.addExtended(part)
	}
	addExt := widget.NewButtonWithIcon("窓口延長を追加", theme.ContentAddIcon(), func() { hw.addExtended("") })

	hw.closed = splitList(hw.kv["closed"])
	hw.open = splitList(hw.kv["open"])
	hw.closedBox = container.NewVBox()
	hw.openBox = container.NewVBox()
	hw.renderDates()
	closedPick := newDatePicker(hw.v.now(), nil)
	why := widget.NewSelectEntry([]string{"創立記念日", "庁舎の停電・点検", "休日窓口", "選挙事務", "災害対応"})
	why.SetPlaceHolder("理由（任意）")
	addClosed := widget.NewButtonWithIcon("閉庁日に追加", theme.ContentAddIcon(), func() {
		if d, ok := closedPick.Date(); ok {
			hw.closed = appendDate(hw.closed, d, why.Text)
			hw.renderDates()
		}
	})
	addOpen := widget.NewButtonWithIcon("開庁日に追加", theme.ContentAddIcon(), func() {
		if d, ok := closedPick.Date(); ok {
			hw.open = appendDate(hw.open, d, why.Text)
			hw.renderDates()
		}
	})
	return container.NewVBox(
		stepTitle("4　勤務時間と閉庁日", "勤務時間の外や閉庁日の操作を「時間外」「閉庁日」として検出します。土曜日・日曜日・祝日・12月29日〜1月3日は、いつも閉庁日です。承認済みの時間外申請は「時間外申請」マスタから取り込みます。"),
		form(&widget.FormItem{Text: "勤務時間", Widget: container.NewHBox(hw.workStart, widget.NewLabel("〜"), hw.workEnd)}),
		captionLabel("勤務時間が違う所属（窓口延長、24時間の施設など）", fyne.TextAlignLeading),
		hw.deptBox, container.NewHBox(addDept),
		captionLabel("窓口延長など（特定の曜日や日だけ勤務時間が違う）", fyne.TextAlignLeading),
		hw.extBox, container.NewHBox(addExt),
		widget.NewSeparator(),
		captionLabel("町独自の閉庁日・臨時の開庁日", fyne.TextAlignLeading),
		container.NewBorder(nil, nil, closedPick.sizedBox(), container.NewHBox(addClosed, addOpen), why),
		container.NewGridWithColumns(2,
			container.NewVBox(widget.NewLabel("閉庁日"), hw.closedBox),
			container.NewVBox(widget.NewLabel("開庁日（休日窓口など）"), hw.openBox)),
	)
}

// appendDate adds a day (with its reason, as 2025-05-02:創立記念日) to a
// list of days, replacing an entry of the same day.
func appendDate(list []string, d time.Time, reason string) []string {
	s := d.Format(time.DateOnly)
	out := make([]string, 0, len(list)+1)
	for _, x := range list {
		if day, _, _ := strings.Cut(x, ":"); day != s {
			out = append(out, x)
		}
	}
	if r := strings.TrimSpace(reason); r != "" {
		s += ":" + r
	}
	out = append(out, s)
	sort.Strings(out)
	return out
}

func (hw *hearingWizard) addDeptHours(dept, start, end string) {
	_, depts := hw.staffNames()
	row := deptHoursRow{dept: widget.NewSelectEntry(depts), start: newTimeSelect(start, nil), end: newTimeSelect(end, nil)}
	row.dept.SetText(dept)
	row.dept.SetPlaceHolder("所属")
	hw.deptHours = append(hw.deptHours, row)
	hw.renderDeptHours()
}

func (hw *hearingWizard) renderDeptHours() {
	hw.deptBox.Objects = nil
	for i, r := range hw.deptHours {
		i := i
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			hw.deptHours = append(hw.deptHours[:i], hw.deptHours[i+1:]...)
			hw.renderDeptHours()
		})
		hw.deptBox.Add(container.NewBorder(nil, nil, nil, container.NewHBox(r.start, widget.NewLabel("〜"), r.end, remove), r.dept))
	}
	hw.relayout(hw.deptBox)
}

// addExtended adds a 窓口延長 row filled from its stored form
// (住民課:木=08:30-19:00, 2025-05-20=08:30-21:00); "" adds an empty row
// for 毎週木曜日 until 19:00.
func (hw *hearingWizard) addExtended(stored string) {
	_, depts := hw.staffNames()
	deptOpts := append([]string{everyone}, depts...)
	dept, when, start, end := "", "木", "08:30", "19:00"
	if stored != "" {
		lhs, hrs, _ := strings.Cut(stored, "=")
		start, end, _ = strings.Cut(hrs, "-")
		var found bool
		if dept, when, found = strings.Cut(lhs, ":"); !found {
			dept, when = "", lhs
		}
	}
	row := extendedRow{date: newDatePicker(hw.v.now(), nil), dateLine: container.NewHBox()}
	if dept != "" && !contains(deptOpts, dept) {
		deptOpts = append(deptOpts, dept)
	}
	row.dept = widget.NewSelect(deptOpts, nil)
	if dept == "" {
		row.dept.SetSelected(everyone)
	} else {
		row.dept.SetSelected(dept)
	}
	row.when = widget.NewSelect(extendedWhen(), func(s string) {
		if s == pickDate {
			row.dateLine.Show()
		} else {
			row.dateLine.Hide()
		}
		if hw.extBox != nil && hw.content != nil {
			hw.relayout(hw.extBox)
		}
	})
	if t, err := time.Parse(time.DateOnly, when); err == nil {
		row.date.SetDate(t)
		row.when.SetSelected(pickDate)
	} else {
		row.dateLine.Hide()
		row.when.SetSelected("毎週" + when + "曜日")
	}
	row.start = newTimeSelect(start, nil)
	row.end = newTimeSelect(end, nil)
	hw.extended = append(hw.extended, row)
	hw.renderExtended()
}

func (hw *hearingWizard) renderExtended() {
	hw.extBox.Objects = nil
	for i, r := range hw.extended {
		i := i
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			hw.extended = append(hw.extended[:i], hw.extended[i+1:]...)
			hw.renderExtended()
		})
		sized := func(o fyne.CanvasObject, w float32) fyne.CanvasObject {
			return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
		}
		line := container.NewHBox(sized(r.dept, 220), sized(r.when, 150), sized(r.start, 100), widget.NewLabel("〜"), sized(r.end, 100), remove)
		// The date goes on a line of its own: a year with its 和暦 is
		// too wide to share the line at 1366×768.
		r.dateLine.Objects = []fyne.CanvasObject{widget.NewLabel("日付"), r.date.sizedBox()}
		r.dateLine.Refresh()
		hw.extBox.Add(container.NewVBox(line, r.dateLine))
	}
	hw.relayout(hw.extBox)
}

// relayout lays out the step again after rows were added or removed in
// box: a container does not resize its parents when its own size changes.
func (hw *hearingWizard) relayout(box *fyne.Container) {
	box.Refresh()
	if hw.step >= 0 && hw.step < len(hw.steps) {
		hw.steps[hw.step].Refresh()
	}
	hw.content.Refresh()
}

// text writes a row in the stored form; ok is false while a part
// is missing.
func (r extendedRow) text() (string, bool) {
	when := ""
	switch {
	case r.when.Selected == pickDate:
		d, ok := r.date.Date()
		if !ok {
			return "", false
		}
		when = d.Format(time.DateOnly)
	case strings.HasPrefix(r.when.Selected, "毎週"):
		when = strings.TrimSuffix(strings.TrimPrefix(r.when.Selected, "毎週"), "曜日")
	default:
		return "", false
	}
	if r.start.Selected == "" || r.end.Selected == "" {
		return "", false
	}
	s := when + "=" + r.start.Selected + "-" + r.end.Selected
	if d := r.dept.Selected; d != "" && d != everyone {
		s = d + ":" + s
	}
	return s, true
}

func (hw *hearingWizard) renderDates() {
	render := func(box *fyne.Container, list *[]string) {
		box.Objects = nil
		if len(*list) == 0 {
			box.Add(smallText("なし"))
		}
		for i, s := range *list {
			i := i
			label := s
			day, reason, _ := strings.Cut(s, ":")
			if t, err := time.Parse(time.DateOnly, day); err == nil {
				label = formatDate(t) + "（" + weekdayJa[t.Weekday()] + "）"
				if reason != "" {
					label += "　" + reason
				}
			}
			box.Add(container.NewHBox(widget.NewLabel(label), widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				*list = append((*list)[:i], (*list)[i+1:]...)
				hw.renderDates()
			})))
		}
		hw.relayout(box)
	}
	render(hw.closedBox, &hw.closed)
	render(hw.openBox, &hw.open)
}

var weekdayJa = [7]string{"日", "月", "火", "水", "木", "金", "土"}

func (hw *hearingWizard) buildRules() fyne.CanvasObject {
	enabled := splitList(hw.kv["rules"])
	th := parseThresholds(hw.kv["thresholds"])
	hw.ruleChecks = map[string]*widget.Check{}
	hw.thresholds = map[string]*widget.Entry{}
	items := []fyne.CanvasObject{
		stepTitle("5　点検項目", "点検する項目にチェックを入れます。数字は、どこからを「多い」とみなすかの基準です。分からないときは、そのままで構いません。"),
	}
	for _, r := range hw.v.eng.Rules() {
		r := r
		check := widget.NewCheck(r.Name, nil)
		check.Checked = r.Implemented && (len(enabled) == 0 || contains(enabled, r.ID))
		if !r.Implemented {
			check.Disable()
		}
		hw.ruleChecks[r.ID] = check
		lines := []fyne.CanvasObject{check, smallText(r.Description)}
		if !r.Implemented {
			lines = append(lines, smallText("この版ではまだ点検できません。"))
		}
		var params []fyne.CanvasObject
		for _, p := range r.Params {
			e := widget.NewEntry()
			e.SetText(p.Default)
			if v, ok := th[r.ID+"."+p.Key]; ok {
				e.SetText(v)
			}
			hw.thresholds[r.ID+"."+p.Key] = e
			params = append(params, container.NewHBox(container.NewGridWrap(fyne.NewSize(100, e.MinSize().Height), e), widget.NewLabel(p.Label)))
		}
		if r.Threshold != "" {
			lines = append(lines, smallText("ふつうの基準："+r.Threshold))
		}
		if len(params) > 0 {
			lines = append(lines, params...)
		}
		items = append(items, panel(colorNamePanel, container.NewVBox(lines...)))
	}
	return container.NewVBox(items...)
}

// parseThresholds reads rule.param=value;... .
func parseThresholds(s string) map[string]string {
	m := map[string]string{}
	for _, part := range splitList(s) {
		if k, v, ok := strings.Cut(part, "="); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

func (hw *hearingWizard) buildExclusions() fyne.CanvasObject {
	hw.exclBox = container.NewVBox()
	hw.renderExclusions()
	add := widget.NewButtonWithIcon("除外を追加", theme.ContentAddIcon(), func() { hw.v.askExclusion("", nil) })
	return container.NewVBox(
		stepTitle("6　除外", "点検の対象から外す職員やアカウント（システムの自動処理用IDなど）です。除外には理由と承認者が必要で、だれがいつ除外したかが記録され、報告書にも載ります。除外はすぐに記録されます。"),
		hw.exclBox,
		container.NewHBox(add),
		smallText("「保存する」を押すと、ここまでの回答をまとめて保存します。あとからいつでも直せます。"),
	)
}

// renderExclusions lists the exclusions in force.
func (hw *hearingWizard) renderExclusions() {
	if hw.exclBox == nil {
		return
	}
	hw.exclBox.Objects = []fyne.CanvasObject{exclusionTable(hw.v, hw.v.snap.exclusions, hw.v.snap.exclErr)}
	hw.exclBox.Refresh()
}

// validate checks the fields of step i.
func (hw *hearingWizard) validate(i int) error {
	switch i {
	case 0:
		if strings.TrimSpace(hw.town.Text) == "" {
			return errors.New("団体名を入れてください。")
		}
		if strings.TrimSpace(hw.person.Text) == "" {
			return errors.New("担当者を選ぶか、入れてください。")
		}
	case 1:
		from, ok1 := hw.from.Date()
		to, ok2 := hw.to.Date()
		switch {
		case !ok1:
			return errors.New("開始日を選んでください（その月にない日は選べません）。")
		case !ok2:
			return errors.New("終了日を選んでください（その月にない日は選べません）。")
		case to.Before(from):
			return errors.New("終了日が開始日より前です。")
		}
	case 2:
		if len(hw.systems.Selected) == 0 {
			return errors.New("点検するシステムを1つ以上選んでください。")
		}
	case 3:
		if hw.workStart.Selected == "" || hw.workEnd.Selected == "" || hw.workStart.Selected >= hw.workEnd.Selected {
			return errors.New("勤務時間の終わりは、始まりより後にしてください。")
		}
		for _, r := range hw.deptHours {
			if strings.TrimSpace(r.dept.Text) == "" {
				return errors.New("所属ごとの勤務時間に、所属を選んでください（不要な行は削除してください）。")
			}
			if r.start.Selected == "" || r.end.Selected == "" || r.start.Selected == r.end.Selected {
				return fmt.Errorf("「%s」の勤務時間を選んでください。", r.dept.Text)
			}
		}
		for _, r := range hw.extended {
			if _, ok := r.text(); !ok {
				return errors.New("窓口延長の曜日（または日付を最後まで）と時刻を選んでください（不要な行は削除してください）。")
			}
			if r.start.Selected >= r.end.Selected {
				return errors.New("窓口延長の終わりの時刻は、始まりより後にしてください。")
			}
		}
	case 4:
		any := false
		for _, c := range hw.ruleChecks {
			any = any || c.Checked
		}
		if !any {
			return errors.New("点検項目を1つ以上選んでください。")
		}
		for k, e := range hw.thresholds {
			n, err := strconv.ParseFloat(strings.TrimSpace(e.Text), 64)
			if err != nil || n < 0 {
				return fmt.Errorf("「%s」の基準は、0以上の数字（半角）で入れてください（いまは「%s」）。", ruleName(strings.SplitN(k, ".", 2)[0]), e.Text)
			}
		}
	}
	return nil
}

// answers collects every field into hearing keys.
func (hw *hearingWizard) answers() map[string]string {
	kv := map[string]string{}
	for k, v := range hw.kv {
		kv[k] = v
	}
	kv["town"] = strings.TrimSpace(hw.town.Text)
	kv["department"] = strings.TrimSpace(hw.department.Text)
	kv["person"] = strings.TrimSpace(hw.person.Text)
	kv["kind"] = hw.kind.Selected
	if d, ok := hw.from.Date(); ok {
		kv["from"] = d.Format(time.DateOnly)
	}
	if d, ok := hw.to.Date(); ok {
		kv["to"] = d.Format(time.DateOnly)
	}
	kv["systems"] = strings.Join(hw.systems.Selected, ";")
	kv["domains"] = strings.TrimSpace(hw.domains.Text)
	kv["partner_domains"] = strings.TrimSpace(hw.partners.Text)
	kv["retention_years"] = strings.TrimSuffix(hw.retention.Selected, "年")
	kv["hours"] = hw.workStart.Selected + "-" + hw.workEnd.Selected
	var dh []string
	for _, r := range hw.deptHours {
		dh = append(dh, strings.TrimSpace(r.dept.Text)+"="+r.start.Selected+"-"+r.end.Selected)
	}
	kv["dept_hours"] = strings.Join(dh, ";")
	var ext []string
	for _, r := range hw.extended {
		if t, ok := r.text(); ok {
			ext = append(ext, t)
		}
	}
	kv["extended"] = strings.Join(ext, ";")
	kv["closed"] = strings.Join(hw.closed, ";")
	kv["open"] = strings.Join(hw.open, ";")
	var ids []string
	for _, r := range hw.v.eng.Rules() {
		if c := hw.ruleChecks[r.ID]; c != nil && c.Checked {
			ids = append(ids, r.ID)
		}
	}
	kv["rules"] = strings.Join(ids, ";")
	var keys []string
	for k := range hw.thresholds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var th []string
	for _, k := range keys {
		th = append(th, k+"="+strings.TrimSpace(hw.thresholds[k].Text))
	}
	kv["thresholds"] = strings.Join(th, ";")
	return kv
}

// save writes the answers through the engine, which validates them again
// and records the change in the audit log.
func (hw *hearingWizard) save() {
	kv := hw.answers()
	hw.v.start(job{
		title: "ヒアリングシートを保存しています",
		fail:  "ヒアリングシートを保存できませんでした。",
		work: func(ctx context.Context, _ workspace.ProgressFunc) error {
			return hw.v.eng.SetHearing(ctx, kv)
		},
		done: func() {
			hw.v.setStatus("ヒアリングシートを保存しました。")
			dialog.ShowInformation("保存しました", "ヒアリングシートを保存しました。次の点検から、この条件で点検します。", hw.v.win)
		},
	})
}
