package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
)

// findingColumns are the columns of the findings table.
var findingColumns = []struct {
	title string
	width float32
	align fyne.TextAlign
}{
	{"重要度", 80, fyne.TextAlignCenter},
	{"規則名", 210, fyne.TextAlignLeading},
	{"職員ID", 120, fyne.TextAlignLeading},
	{"日付", 140, fyne.TextAlignLeading},
	{"件数", 70, fyne.TextAlignTrailing},
	{"内容", 560, fyne.TextAlignLeading},
}

// maxEvidenceRows caps the rows shown under a selected finding; the report
// has them all.
const maxEvidenceRows = 50

// findingsView is the 検出事項 tab: the latest run's findings in the order
// the engine returns them, and the details of the selected one.
type findingsView struct {
	content fyne.CanvasObject
	header  *widget.Label
	table   *widget.Table
	empty   *widget.Label
	detail  *fyne.Container
	list    []domain.Finding
}

func newFindingsView() *findingsView {
	fv := &findingsView{
		header: paragraph(""),
		empty:  widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{}),
		detail: container.NewVBox(),
	}
	fv.empty.Wrapping = fyne.TextWrapBreak
	fv.table = widget.NewTable(
		func() (int, int) { return len(fv.list), len(findingColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { fv.updateCell(id, o.(*widget.Label)) },
	)
	fv.table.ShowHeaderRow = true
	fv.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	fv.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if id.Col >= 0 && id.Col < len(findingColumns) {
			l.Alignment = findingColumns[id.Col].align
			l.SetText(findingColumns[id.Col].title)
		}
	}
	for i, c := range findingColumns {
		fv.table.SetColumnWidth(i, c.width)
	}
	fv.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(fv.list) {
			fv.showDetail(fv.list[id.Row])
		}
	}
	fv.clearDetail()

	split := container.NewVSplit(
		container.NewStack(fv.table, container.NewCenter(fv.empty)),
		container.NewVScroll(container.NewPadded(fv.detail)),
	)
	split.Offset = 0.6
	fv.content = container.NewBorder(container.NewPadded(fv.header), nil, nil, nil, split)
	return fv
}

// set shows the findings of run (nil when no run yet).
func (fv *findingsView) set(run *domain.Run, list []domain.Finding, err error) {
	fv.list = list
	fv.table.UnselectAll()
	fv.clearDetail()
	switch {
	case run == nil:
		fv.header.SetText("まだ点検を実行していません。")
		fv.empty.SetText("点検を実行すると、ここに検出事項が表示されます。")
	case err != nil:
		fv.header.SetText("検出事項を読み込めませんでした。" + err.Error())
		fv.empty.SetText("")
	default:
		fv.header.SetText("最新の点検（" + formatDateTime(run.At) + "、対象期間 " + formatPeriod(run.From, run.To) +
			"）の検出事項：" + formatInt(len(list)) + " 件")
		fv.empty.SetText("検出事項はありませんでした。")
	}
	if len(list) > 0 {
		fv.empty.Hide()
		fv.table.Show()
	} else {
		fv.table.Hide()
		fv.empty.Show()
	}
	fv.table.Refresh()
}

func (fv *findingsView) updateCell(id widget.TableCellID, l *widget.Label) {
	if id.Row < 0 || id.Row >= len(fv.list) {
		l.SetText("")
		return
	}
	f := fv.list[id.Row]
	l.Alignment = findingColumns[id.Col].align
	l.Importance = widget.MediumImportance
	var text string
	switch id.Col {
	case 0:
		text = domain.SeverityLabel(f.Severity)
		l.Importance = severityImportance(f.Severity)
	case 1:
		text = ruleName(f.Rule)
	case 2:
		text = f.StaffID
	case 3:
		text = formatFindingDate(f.Date)
	case 4:
		text = formatInt(f.Count)
	case 5:
		text = flatten(f.Detail)
		if f.Excluded {
			text = "【除外】" + text
		}
	}
	l.SetText(text)
}

// severityImportance colours the severity column.
func severityImportance(s domain.Severity) widget.Importance {
	switch s {
	case domain.High:
		return widget.DangerImportance
	case domain.Medium:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// severityLine summarises the findings by severity: 高 3件・中 5件・低 4件.
func (fv *findingsView) severityLine() string {
	if len(fv.list) == 0 {
		return ""
	}
	counts := severityCounts(fv.list)
	var parts []string
	for _, s := range []domain.Severity{domain.High, domain.Medium, domain.Low} {
		if counts[s] > 0 {
			parts = append(parts, domain.SeverityLabel(s)+" "+formatInt(counts[s])+"件")
		}
	}
	return "重要度 " + strings.Join(parts, "・")
}

func (fv *findingsView) clearDetail() {
	fv.detail.Objects = []fyne.CanvasObject{smallText("表の行を選ぶと、詳しい内容と根拠となるログをここに表示します。")}
	fv.detail.Refresh()
}

// showDetail shows one finding and the log rows behind it. Residents'
// identifiers are left out on purpose: the GUI has no need to show them.
func (fv *findingsView) showDetail(f domain.Finding) {
	title := ruleName(f.Rule) + "（重要度 " + domain.SeverityLabel(f.Severity) + "）"
	if f.Excluded {
		title += "【除外】"
	}
	objs := []fyne.CanvasObject{
		heading(title, theme.SizeNameSubHeadingText),
		paragraph("職員ID：" + f.StaffID + "　日付：" + formatFindingDate(f.Date) + "　件数：" + formatInt(f.Count) + " 件"),
		paragraph(f.Detail),
	}
	if len(f.Evidence) > 0 {
		shown := f.Evidence[:min(len(f.Evidence), maxEvidenceRows)]
		label := "根拠となるログ（" + formatInt(len(f.Evidence)) + " 行）"
		if len(shown) < len(f.Evidence) {
			label = "根拠となるログ（" + formatInt(len(f.Evidence)) + " 行のうち先頭 " + formatInt(len(shown)) + " 行）"
		}
		rows := make([][]string, 0, len(shown))
		for _, e := range shown {
			rows = append(rows, []string{
				formatDate(e.Time) + " " + e.Time.Format("15:04:05"),
				e.System, e.Function, actionText(e), e.Terminal, recordsText(e.Records),
			})
		}
		objs = append(objs, captionLabel(label, fyne.TextAlignLeading), simpleTable([]column{
			{"日時", fyne.TextAlignLeading},
			{"システム", fyne.TextAlignLeading},
			{"機能", fyne.TextAlignLeading},
			{"操作", fyne.TextAlignLeading},
			{"端末", fyne.TextAlignLeading},
			{"件数", fyne.TextAlignTrailing},
		}, rows, -1))
	}
	fv.detail.Objects = objs
	fv.detail.Refresh()
}

// actionText is the action as the log wrote it, or the canonical one.
func actionText(e domain.Event) string {
	if e.RawAction != "" {
		return e.RawAction
	}
	return string(e.Action)
}

// recordsText leaves the count blank for rows that carry none (a lookup
// or a login), rather than printing a misleading 0.
func recordsText(n int64) string {
	if n <= 0 {
		return ""
	}
	return formatInt(n)
}

// flatten puts a multi-line detail on one table row.
func flatten(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
