package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// reviewView is the 職員別の確認 tab: the staff ranked by risk on the left,
// the page of the selected one on the right (findings with their review
// status, evidence and an hour × weekday heatmap).
type reviewView struct {
	v       *MainView
	content fyne.CanvasObject
	note    *widget.Label
	list    *dataTable
	page    *fyne.Container

	entries  []domain.RankEntry
	findings []domain.Finding
	reviews  map[domain.FindingKey]domain.Review
	current  string // staff ID of the page shown
}

func newReviewView(v *MainView) *reviewView {
	rv := &reviewView{v: v}
	rv.note = paragraph("")
	rv.list = newDataTable([]tableCol{
		{"順位", 50, fyne.TextAlignTrailing, true},
		{"職員ID", 100, fyne.TextAlignLeading, false},
		{"氏名", 130, fyne.TextAlignLeading, false},
		{"点数", 60, fyne.TextAlignTrailing, true},
		{"未確認", 70, fyne.TextAlignTrailing, true},
		{"主な理由", 260, fyne.TextAlignLeading, false},
	}, "職員ID・氏名・理由で絞り込む")
	rv.list.onSelect = func(i int) {
		if i < len(rv.entries) {
			rv.showStaff(rv.entries[i].StaffID)
		}
	}
	rv.list.importance = func(row, col int) widget.Importance {
		if col == 4 && row < len(rv.entries) && rv.openCount(rv.entries[row].StaffID) > 0 {
			return widget.WarningImportance
		}
		return widget.MediumImportance
	}
	rv.page = container.NewVBox(smallText("左の一覧から職員を選ぶと、その職員の検出事項と、操作した時間帯の分布をここに表示します。"))
	left := container.NewBorder(rv.note, nil, nil, nil, rv.list.content)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(rv.page)))
	split.Offset = 0.45
	rv.content = container.NewPadded(split)
	return rv
}

// set shows the ranking of a snapshot; the staff page shown stays.
func (rv *reviewView) set(s snapshot) {
	rv.findings = s.findings
	rv.reviews = s.reviews
	rv.entries = s.ranking
	switch {
	case s.summary.LastRun == nil:
		rv.note.SetText("まだ点検を実行していません。点検を実行すると、確認が必要な職員を点数の高い順に並べます。")
	case s.rankErr != nil && !isNotAvailable(s.rankErr):
		rv.note.SetText("順位を読み込めませんでした。" + s.rankErr.Error())
	default:
		if s.rankErr != nil {
			rv.entries = groupByStaff(s.findings)
		}
		open := 0
		for _, e := range rv.entries {
			if !e.Excluded && rv.openCount(e.StaffID) > 0 {
				open++
			}
		}
		rv.note.SetText(fmt.Sprintf("検出事項のある職員 %s 人（うち確認待ち %s 人）。点数の高い順です。行を選ぶと右に詳しく出ます。", formatInt(len(rv.entries)), formatInt(open)))
	}
	if s.reviewErr != nil && !isNotAvailable(s.reviewErr) {
		rv.note.SetText(rv.note.Text + "\n確認結果を読み込めませんでした。" + s.reviewErr.Error())
	}
	rows := make([][]string, len(rv.entries))
	for i, e := range rv.entries {
		score := "―"
		if s.rankErr == nil {
			score = fmt.Sprintf("%.1f", e.Score)
		}
		name := e.Name
		if e.Excluded {
			name += "【除外】"
		}
		rows[i] = []string{formatInt(e.Rank), e.StaffID, name, score, formatInt(rv.openCount(e.StaffID)), strings.Join(e.Reasons, "、")}
	}
	rv.list.setRows(rows)
	if rv.current != "" {
		rv.showStaff(rv.current)
	}
}

// groupByStaff lists the staff with findings when the engine has no
// ranking: in the engine's order of findings, without a score.
func groupByStaff(fs []domain.Finding) []domain.RankEntry {
	idx := map[string]int{}
	var out []domain.RankEntry
	for _, f := range fs {
		i, ok := idx[f.StaffID]
		if !ok {
			i = len(out)
			idx[f.StaffID] = i
			out = append(out, domain.RankEntry{StaffID: f.StaffID, Rank: i + 1})
		}
		out[i].Findings++
		if n := ruleName(f.Rule); !contains(out[i].Reasons, n) {
			out[i].Reasons = append(out[i].Reasons, n)
		}
	}
	return out
}

// openCount is how many findings of a staff member are still 未確認.
func (rv *reviewView) openCount(staffID string) int {
	n := 0
	for _, f := range rv.findings {
		if f.StaffID == staffID && rv.statusOf(f) == domain.StatusOpen {
			n++
		}
	}
	return n
}

func findingKey(f domain.Finding) domain.FindingKey {
	return domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date}
}

func (rv *reviewView) statusOf(f domain.Finding) domain.ReviewStatus {
	return rv.reviews[findingKey(f)].Status
}

// showStaff builds the page of one staff member; the heatmap is loaded in
// the background.
func (rv *reviewView) showStaff(id string) {
	rv.current = id
	v := rv.v
	var entry domain.RankEntry
	for _, e := range rv.entries {
		if e.StaffID == id {
			entry = e
		}
	}
	var staff domain.Staff
	for _, s := range v.snap.staff {
		if s.ID == id {
			staff = s
		}
	}
	title := id
	if staff.Name != "" {
		title = staff.Name + "（" + id + "）"
	}
	info := []string{}
	if staff.Dept != "" {
		info = append(info, "所属："+staff.Dept)
	}
	if staff.Employment != "" {
		info = append(info, "雇用区分："+staff.Employment)
	}
	if staff.ID == "" {
		info = append(info, "職員マスタにないIDです")
	}
	exclude := widget.NewButtonWithIcon("この職員を除外…", theme.ContentRemoveIcon(), func() { v.askExclusion(id, nil) })
	objs := []fyne.CanvasObject{
		container.NewBorder(nil, nil, nil, exclude, heading(title, theme.SizeNameSubHeadingText)),
		paragraph(strings.Join(info, "　")),
	}
	if len(entry.Reasons) > 0 {
		objs = append(objs, smallText("主な理由："+strings.Join(entry.Reasons, "、")))
	}
	heat := container.NewVBox(smallText("操作した時間帯を読み込んでいます…"))
	objs = append(objs, captionLabel("操作した曜日と時間帯（点検期間中の件数）", fyne.TextAlignLeading), heat)
	var mine []domain.Finding
	for _, f := range rv.findings {
		if f.StaffID == id {
			mine = append(mine, f)
		}
	}
	objs = append(objs, captionLabel(fmt.Sprintf("検出事項（%d 件）", len(mine)), fyne.TextAlignLeading))
	for _, f := range mine {
		objs = append(objs, rv.findingCard(f))
	}
	rv.page.Objects = objs
	rv.page.Refresh()

	var from, to time.Time
	if r := v.summary.LastRun; r != nil {
		from, to = r.From, r.To
	}
	v.fetch(func(ctx context.Context) func() {
		grid, err := v.eng.Heatmap(ctx, id, from, to)
		return func() {
			if rv.current != id {
				return
			}
			switch {
			case isNotAvailable(err):
				heat.Objects = []fyne.CanvasObject{smallText("この版では、時間帯の分布はまだ表示できません。")}
			case err != nil:
				heat.Objects = []fyne.CanvasObject{smallText("時間帯の分布を読み込めませんでした。" + err.Error())}
			default:
				heat.Objects = []fyne.CanvasObject{heatmap(grid, v.snap.hearing["hours"])}
			}
			// The page must lay out again: the heatmap is taller than
			// the line it replaces.
			rv.page.Refresh()
		}
	})
}

// findingCard is one finding with its review status, comment and evidence.
func (rv *reviewView) findingCard(f domain.Finding) fyne.CanvasObject {
	v := rv.v
	rev := rv.reviews[findingKey(f)]
	labels := make([]string, len(domain.ReviewStatuses))
	for i, s := range domain.ReviewStatuses {
		labels[i] = s.Label()
	}
	status := widget.NewSelect(labels, nil)
	status.SetSelected(rev.Status.Label())
	comment := widget.NewMultiLineEntry()
	comment.SetPlaceHolder("確認した内容（だれに、いつ、何を聞いたか）。「問題なし」「不適切確定」には必須です。貼り付けもできます。")
	comment.SetText(rev.Comment)
	comment.Wrapping = fyne.TextWrapBreak
	comment.SetMinRowsVisible(2)
	phrase := widget.NewSelect(reviewPhrases, func(p string) {
		if p == "" {
			return
		}
		if t := strings.TrimSpace(comment.Text); t != "" {
			comment.SetText(t + "\n" + p)
		} else {
			comment.SetText(p)
		}
	})
	phrase.PlaceHolder = "定型文を入れる"
	errLabel := paragraph("")
	errLabel.Importance = widget.DangerImportance
	errLabel.Hide()
	record := widget.NewButtonWithIcon("確認結果を記録", theme.ConfirmIcon(), func() {
		st := statusFor(status.Selected)
		text := strings.TrimSpace(comment.Text)
		if err := checkReview(st, text); err != nil {
			errLabel.SetText(err.Error())
			errLabel.Show()
			return
		}
		errLabel.Hide()
		v.start(job{
			title: "確認結果を記録しています",
			fail:  "確認結果を記録できませんでした。",
			work: func(ctx context.Context, _ workspace.ProgressFunc) error {
				return v.eng.SetReview(ctx, findingKey(f), st, text, v.user())
			},
			done: func() {
				v.setStatus(fmt.Sprintf("%s（%s・%s）を「%s」として記録しました。", f.StaffID, ruleName(f.Rule), formatFindingDate(f.Date), st.Label()))
			},
		})
	})
	record.Importance = widget.HighImportance
	title := ruleName(f.Rule) + "　" + formatFindingDate(f.Date) + "　重要度 " + domain.SeverityLabel(f.Severity) + "　" + formatInt(f.Count) + " 件"
	if f.Excluded {
		title += "【除外】"
	}
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Importance = severityImportance(f.Severity)
	lines := []fyne.CanvasObject{head, paragraph(f.Detail)}
	if !rev.At.IsZero() {
		lines = append(lines, smallText(fmt.Sprintf("最後の記録：%s　%s", formatDateTime(rev.At), rev.By)))
	}
	lines = append(lines,
		container.NewBorder(nil, nil, widget.NewLabel("確認結果"), nil, status),
		comment, phrase, errLabel,
	)
	exclude := widget.NewButtonWithIcon("この件だけ除外…", theme.ContentRemoveIcon(), func() {
		k := findingKey(f)
		v.askExclusion(f.StaffID, &k)
	})
	buttons := []fyne.CanvasObject{record, exclude}
	if len(f.Evidence) > 0 {
		evidence := container.NewVBox()
		var toggle *widget.Button
		toggle = widget.NewButtonWithIcon(fmt.Sprintf("根拠となるログ（%d 行）", len(f.Evidence)), theme.ListIcon(), func() {
			if len(evidence.Objects) > 0 {
				evidence.Objects = nil
			} else {
				evidence.Objects = []fyne.CanvasObject{evidenceTable(f.Evidence)}
			}
			evidence.Refresh()
		})
		buttons = append(buttons, toggle)
		lines = append(lines, container.NewHBox(buttons...), evidence)
	} else {
		lines = append(lines, container.NewHBox(buttons...))
	}
	return panel(colorNamePanel, container.NewVBox(lines...))
}

// statusFor maps a status label back to the status.
func statusFor(label string) domain.ReviewStatus {
	for _, s := range domain.ReviewStatuses {
		if s.Label() == label {
			return s
		}
	}
	return domain.StatusOpen
}

// checkReview is the form's check before the engine's: closing a finding
// needs a comment saying why.
func checkReview(st domain.ReviewStatus, comment string) error {
	if st.Closing() && comment == "" {
		return fmt.Errorf("「%s」にするときは、確認した内容をコメントに書いてください。", st.Label())
	}
	return nil
}

// evidenceTable lists the log rows behind a finding, residents' numbers
// left out.
func evidenceTable(evs []domain.Event) fyne.CanvasObject {
	shown := evs[:min(len(evs), maxEvidenceRows)]
	rows := make([][]string, 0, len(shown))
	for _, e := range shown {
		rows = append(rows, []string{
			formatDate(e.Time) + " " + e.Time.Format("15:04:05"),
			e.System, e.Function, actionText(e), e.Terminal, recordsText(e.Records),
		})
	}
	t := simpleTable([]column{
		{"日時", fyne.TextAlignLeading}, {"システム", fyne.TextAlignLeading}, {"機能", fyne.TextAlignLeading},
		{"操作", fyne.TextAlignLeading}, {"端末", fyne.TextAlignLeading}, {"件数", fyne.TextAlignTrailing},
	}, rows, 2)
	if len(shown) < len(evs) {
		return container.NewVBox(t, smallText(fmt.Sprintf("ほか %d 行は報告書に載ります。", len(evs)-len(shown))))
	}
	return t
}

// heatmap draws counts by weekday (rows, 日 first) and hour (columns),
// shading working hours so activity outside them stands out.
func heatmap(grid [7][24]int, hours string) fyne.CanvasObject {
	largest := 0
	for _, row := range grid {
		for _, n := range row {
			largest = max(largest, n)
		}
	}
	startH, endH := 8, 17
	if s, e, ok := strings.Cut(hours, "-"); ok {
		startH, endH = leadingInt(s), leadingInt(e)
	}
	const cw, ch = 18, 18
	cells := []fyne.CanvasObject{widget.NewLabel("")}
	for h := 0; h < 24; h++ {
		t := canvas.NewText(fmt.Sprint(h), theme.Color(colorNameCaption))
		t.TextSize = 10
		t.Alignment = fyne.TextAlignCenter
		cells = append(cells, t)
	}
	for d := 0; d < 7; d++ {
		l := canvas.NewText(weekdayJa[d], theme.Color(theme.ColorNameForeground))
		l.TextSize = 12
		l.Alignment = fyne.TextAlignCenter
		cells = append(cells, l)
		for h := 0; h < 24; h++ {
			n := grid[d][h]
			r := canvas.NewRectangle(heatColor(n, largest))
			r.SetMinSize(fyne.NewSize(cw, ch))
			working := d >= 1 && d <= 5 && h >= startH && h < endH
			if working {
				r.StrokeColor = theme.Color(colorNamePanelLine)
				r.StrokeWidth = 1
			}
			cells = append(cells, r)
		}
	}
	total := 0
	outside := 0
	for d := 0; d < 7; d++ {
		for h := 0; h < 24; h++ {
			total += grid[d][h]
			if !(d >= 1 && d <= 5 && h >= startH && h < endH) {
				outside += grid[d][h]
			}
		}
	}
	legend := smallText(fmt.Sprintf("色が濃いほど操作が多い時間帯です（最大 %s 件）。枠のある升目が平日の勤務時間です。勤務時間外・休日の操作：%s 件（全 %s 件）。",
		formatInt(largest), formatInt(outside), formatInt(total)))
	return container.NewVBox(container.New(&heatLayout{cell: fyne.NewSize(cw, ch), label: 28}, cells...), legend)
}

// heatColor shades from the panel colour to the primary blue.
func heatColor(n, largest int) color.Color {
	if n == 0 || largest == 0 {
		return color.NRGBA{R: 0xf4, G: 0xf6, B: 0xf8, A: 0xff}
	}
	f := 0.15 + 0.85*float64(n)/float64(largest)
	return color.NRGBA{R: 0x2d, G: 0x6c, B: 0xb4, A: uint8(f * 255)}
}

// heatLayout places a 25-column grid: a label column, then 24 hours.
type heatLayout struct {
	cell  fyne.Size
	label float32
}

func (l *heatLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	rows := (len(objects) + 24) / 25
	return fyne.NewSize(l.label+24*(l.cell.Width+1), float32(rows)*(l.cell.Height+1))
}

func (l *heatLayout) Layout(objects []fyne.CanvasObject, _ fyne.Size) {
	for i, o := range objects {
		r, c := i/25, i%25
		y := float32(r) * (l.cell.Height + 1)
		if c == 0 {
			o.Move(fyne.NewPos(0, y))
			o.Resize(fyne.NewSize(l.label, l.cell.Height))
			continue
		}
		o.Move(fyne.NewPos(l.label+float32(c-1)*(l.cell.Width+1), y))
		o.Resize(l.cell)
	}
}

// user is who acts, for the audit log: the engine's answer, else the
// hearing sheet's 担当者.
func (v *MainView) user() string {
	if u := v.eng.User(); u != "" {
		return u
	}
	return v.snap.hearing["person"]
}

// exclusionReasons are common reasons, offered so that recording an
// exclusion needs no typing in Japanese (Fyne's IME support is weak).
var exclusionReasons = []string{
	"システムの自動処理（バッチ）用のIDのため",
	"保守業者の作業用IDで、作業報告書で内容を確認済みのため",
	"試験用のIDで、本番の住民データを扱わないため",
	"上長の指示による業務で、記録を確認済みのため",
}

// reviewPhrases are stock sentences for the review comment.
var reviewPhrases = []string{
	"本人に確認し、業務上必要な操作であった。",
	"上長に確認し、業務上必要な操作と判断した。",
	"時間外勤務の申請漏れであり、業務上の操作であった。",
	"本人への聞き取りを予定している。",
	"業務外の閲覧であったため、所属長に報告した。",
}

// exclusionKinds are the choices of the exclusion form.
var exclusionKinds = []struct{ kind, label string }{
	{domain.ExcludeStaff, "職員（すべての検出事項）"},
	{domain.ExcludeAccount, "職員マスタにないアカウント（システム用IDなど）"},
	{domain.ExcludeFinding, "この検出事項だけ"},
}

// askExclusion asks for the reason and approver of an exclusion and
// records it. staffID presets the target; finding, when set, offers to
// exclude that finding only.
func (v *MainView) askExclusion(staffID string, finding *domain.FindingKey) {
	var ids []string
	for _, s := range v.snap.staff {
		ids = append(ids, s.ID)
	}
	for _, f := range v.snap.findings {
		if !contains(ids, f.StaffID) {
			ids = append(ids, f.StaffID)
		}
	}
	sort.Strings(ids)
	target := widget.NewSelectEntry(ids)
	target.SetText(staffID)
	target.SetPlaceHolder("職員IDまたはアカウント")
	var kindLabels []string
	for _, k := range exclusionKinds {
		if k.kind == domain.ExcludeFinding && finding == nil {
			continue
		}
		kindLabels = append(kindLabels, k.label)
	}
	kind := widget.NewRadioGroup(kindLabels, nil)
	kind.Required = true
	switch {
	case finding != nil:
		kind.SetSelected(exclusionKinds[2].label)
	case staffID != "" && !v.isStaff(staffID):
		kind.SetSelected(exclusionKinds[1].label)
	default:
		kind.SetSelected(exclusionKinds[0].label)
	}
	reason := widget.NewSelectEntry(exclusionReasons)
	reason.SetPlaceHolder("一覧から選ぶか、入力・貼り付けしてください")
	var names []string
	for _, s := range v.snap.staff {
		if s.Name != "" {
			names = append(names, s.Name)
		}
	}
	sort.Strings(names)
	approver := widget.NewSelectEntry(names)
	approver.SetPlaceHolder("承認した人（職員マスタから選べます）")
	errLabel := paragraph("")
	errLabel.Importance = widget.DangerImportance
	items := []*widget.FormItem{
		{Text: "除外するもの", Widget: kind},
		{Text: "職員ID", Widget: target},
		{Text: "理由", Widget: reason, HintText: "必須。報告書に載ります"},
		{Text: "承認者", Widget: approver, HintText: "必須"},
	}
	var d *dialog.CustomDialog
	ok := widget.NewButtonWithIcon("除外を記録", theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("キャンセル", func() { d.Hide() })
	ok.OnTapped = func() {
		x := domain.Exclusion{StaffID: strings.TrimSpace(target.Text), Reason: strings.TrimSpace(reason.Text), By: strings.TrimSpace(approver.Text)}
		for _, k := range exclusionKinds {
			if k.label == kind.Selected {
				x.Kind = k.kind
			}
		}
		if x.Kind == domain.ExcludeFinding {
			x.Finding = finding
		}
		if err := checkExclusion(x); err != nil {
			errLabel.SetText(err.Error())
			return
		}
		d.Hide()
		v.start(job{
			title: "除外を記録しています",
			fail:  "除外を記録できませんでした。",
			work: func(ctx context.Context, _ workspace.ProgressFunc) error {
				_, err := v.eng.Exclude(ctx, x)
				return err
			},
			done: func() {
				v.setStatus("「" + x.StaffID + "」の除外を記録しました。次の点検から反映され、報告書に理由とともに載ります。")
			},
		})
	}
	d = dialog.NewCustomWithoutButtons("点検から除外する", container.NewVBox(
		smallText("除外は、理由・承認者・記録した人と日時が監査ログに残り、報告書にも載ります。あとから取り消すこともできます（取り消しも記録されます）。"),
		widget.NewForm(items...), errLabel), v.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(720, d.MinSize().Height))
	d.Show()
}

func (v *MainView) isStaff(id string) bool {
	for _, s := range v.snap.staff {
		if s.ID == id {
			return true
		}
	}
	return false
}

// checkExclusion is the form's check: a target, a reason and an approver.
func checkExclusion(x domain.Exclusion) error {
	switch {
	case x.StaffID == "":
		return errors.New("除外する職員IDを選んでください。")
	case x.Reason == "":
		return errors.New("除外の理由を書いてください。理由のない除外は記録できません。")
	case x.By == "":
		return errors.New("承認者を選ぶか、入れてください。")
	}
	return nil
}

// exclusionTable lists exclusions, withdrawn ones included, each active one
// with a button to withdraw it.
func exclusionTable(v *MainView, list []domain.Exclusion, err error) fyne.CanvasObject {
	switch {
	case isNotAvailable(err):
		return smallText("この版では、まだ除外を記録できません。")
	case err != nil:
		return paragraph("除外の一覧を読み込めませんでした。" + err.Error())
	case len(list) == 0:
		return smallText("除外はありません。")
	}
	cells := []fyne.CanvasObject{}
	for _, c := range []string{"対象", "理由", "承認者", "記録日時", "状態", ""} {
		cells = append(cells, captionLabel(c, fyne.TextAlignLeading))
	}
	for _, x := range list {
		x := x
		target := x.StaffID
		if x.Kind == domain.ExcludeFinding && x.Finding != nil {
			target += "（" + ruleName(x.Finding.Rule) + " " + formatFindingDate(x.Finding.Date) + "）"
		}
		state := "有効"
		var action fyne.CanvasObject = widget.NewLabel("")
		if x.Revoked != nil {
			state = "取消（" + formatDate(*x.Revoked) + "）"
		} else {
			b := widget.NewButton("取り消す", func() { v.askRevoke(x) })
			action = b
		}
		reason := widget.NewLabel(x.Reason)
		reason.Truncation = fyne.TextTruncateEllipsis
		cells = append(cells, widget.NewLabel(target), reason, widget.NewLabel(x.By), widget.NewLabel(importedAt(x.At)), widget.NewLabel(state), action)
	}
	table := container.New(&columnsLayout{cols: 6, flex: 1}, cells...)
	// Exclusions approved by the person excluded or by someone with findings
	// of their own, or hiding high-severity findings, are pointed out.
	var warnings []fyne.CanvasObject
	for _, x := range list {
		for _, c := range v.snap.concerns[x.ID] {
			w := paragraph("注意（" + x.StaffID + " の除外）：" + c)
			w.Importance = widget.DangerImportance
			warnings = append(warnings, w)
		}
	}
	if len(warnings) == 0 {
		return table
	}
	return container.NewVBox(append([]fyne.CanvasObject{table}, warnings...)...)
}

// askRevoke withdraws an exclusion after asking why.
func (v *MainView) askRevoke(x domain.Exclusion) {
	reason := widget.NewSelectEntry([]string{"誤って除外したため", "除外の理由がなくなったため"})
	reason.SetPlaceHolder("取り消す理由（必須。一覧から選べます）")
	d := dialog.NewForm("除外を取り消す", "取り消す", "やめる", []*widget.FormItem{
		{Text: "対象", Widget: widget.NewLabel(x.StaffID)},
		{Text: "理由", Widget: reason},
	}, func(ok bool) {
		text := strings.TrimSpace(reason.Text)
		if !ok || text == "" {
			return
		}
		v.start(job{
			title: "除外を取り消しています",
			fail:  "除外を取り消せませんでした。",
			work: func(ctx context.Context, _ workspace.ProgressFunc) error {
				return v.eng.RevokeExclusion(ctx, x.ID, text, v.user())
			},
			done: func() { v.setStatus("「" + x.StaffID + "」の除外を取り消しました。") },
		})
	}, v.win)
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("理由を入れてください")
		}
		return nil
	}
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	d.Show()
}
