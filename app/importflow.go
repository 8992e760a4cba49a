package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/privacy"
	"tenken/internal/workspace"
)

// unusedField is the pick-list entry of a column that feeds no field.
const unusedField = "（使わない）"

// previewImport reads the first file of an import, shows how it was read
// and mapped, and lets the user adjust the mapping before anything is
// written. An engine without previews falls back to the plain form.
func (v *MainView) previewImport(paths []string) {
	guess := guessSystem(paths[0], systemOptions(v.summary.Batches))
	var pv *workspace.LogPreview
	var pvErr error
	v.start(job{
		title: "ログの中身を確かめています",
		fail:  "ログを読み込めませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			progress(workspace.Progress{Message: baseName(paths[0]) + " の先頭を読んでいます"})
			pv, pvErr = v.eng.PreviewLog(ctx, paths[0], workspace.ImportOptions{System: guess})
			if isNotAvailable(pvErr) {
				return nil
			}
			return pvErr
		},
		done: func() {
			if pvErr != nil || pv == nil {
				v.askImportOptions(paths)
				return
			}
			v.showLogPreview(paths, guess, pv)
		},
	})
}

// mappingChoice is the pick list of one column.
type mappingChoice struct {
	col workspace.ColumnChoice
	sel *widget.Select
}

// showLogPreview is the import dialog: system, kind, how the file was read,
// one pick list per column and the first rows.
func (v *MainView) showLogPreview(paths []string, guess string, pv *workspace.LogPreview) {
	options := systemOptions(v.summary.Batches)
	sys := widget.NewSelectEntry(options)
	sys.SetPlaceHolder("例：住民記録")
	switch {
	case pv.System != "":
		sys.SetText(pv.System)
	default:
		sys.SetText(guess)
	}
	labels := make([]string, len(logKinds))
	for i, k := range logKinds {
		labels[i] = k.Label
	}
	kind := widget.NewSelect(labels, nil)
	kind.SetSelected(labels[0])
	for _, k := range logKinds {
		if k.Kind != "" && k.Kind == pv.Kind {
			kind.SetSelected(k.Label)
		}
	}

	fieldOpts := []string{unusedField}
	for _, f := range logFields[:17] {
		fieldOpts = append(fieldOpts, f.Label)
	}
	var choices []mappingChoice
	var vals []*widget.Label
	unmask := widget.NewCheck("宛名番号をすべて表示する", nil)
	rowsBox := container.NewStack()
	rejectsBox := container.NewVBox()
	// render shows the first rows and the rejects with the residents'
	// numbers masked: the column mapped to 宛名番号 by the current choice,
	// and any 12-digit run (a 個人番号) anywhere.
	render := func() {
		subject, subjectHeader := -1, ""
		for _, c := range choices {
			if fieldFor(c.sel.Selected) == "subject_id" {
				subject, subjectHeader = c.col.Index, c.col.Header
			}
		}
		masked := make([][]string, len(pv.Rows))
		for i, r := range pv.Rows {
			masked[i] = make([]string, len(r))
			for j, cell := range r {
				masked[i][j] = maskCell(cell, j == subject, unmask.Checked)
			}
		}
		for i, c := range choices {
			first := ""
			if len(masked) > 0 && c.col.Index < len(masked[0]) {
				first = masked[0][c.col.Index]
			}
			vals[i].SetText(first)
		}
		rowsBox.Objects = nil
		if len(masked) > 0 {
			rowsBox.Objects = []fyne.CanvasObject{container.NewVBox(
				captionLabel(fmt.Sprintf("先頭の %d 行", min(len(masked), 5)), fyne.TextAlignLeading),
				previewRows(pv.Headers, masked, 5))}
		}
		rowsBox.Refresh()
		rejectsBox.Objects = nil
		if len(pv.Rejects) > 0 {
			rows := make([][]string, 0, maxRejectRows)
			for _, r := range pv.Rejects[:min(len(pv.Rejects), maxRejectRows)] {
				rows = append(rows, rejectRow("", maskReject(r, subjectHeader, unmask.Checked), false))
			}
			rejectsBox.Add(smallText("先頭の行のうち、次の行は取り込めません（取り込みは続けられます）："))
			for _, o := range rejectList(rows, len(pv.Rejects)) {
				rejectsBox.Add(o)
			}
		}
		rejectsBox.Refresh()
	}
	unmask.OnChanged = func(bool) { render() }
	grid := []fyne.CanvasObject{captionLabel("ファイルの見出し", fyne.TextAlignLeading), captionLabel("項目", fyne.TextAlignLeading), captionLabel("判定", fyne.TextAlignLeading), captionLabel("1行目の値", fyne.TextAlignLeading)}
	for _, c := range pv.Columns {
		sel := widget.NewSelect(fieldOpts, nil)
		if c.Field != "" {
			sel.SetSelected(fieldLabel(c.Field))
		} else {
			sel.SetSelected(unusedField)
		}
		sel.OnChanged = func(string) { render() }
		val := widget.NewLabel("")
		val.Truncation = fyne.TextTruncateEllipsis
		vals = append(vals, val)
		choices = append(choices, mappingChoice{c, sel})
		grid = append(grid, widget.NewLabel(c.Header), sel, widget.NewLabel(confidenceLabel(c)), val)
	}
	render()
	save := widget.NewCheck("この列の対応を、このシステムの設定として保存する（次からは自動で使います）", nil)
	save.SetChecked(true)

	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = baseName(p)
	}
	errLabel := paragraph("")
	errLabel.Importance = widget.DangerImportance
	info := fmt.Sprintf("文字コード：%s　区切り：%s　見出しの行：%d 行目", pv.Encoding, pv.Delimiter, pv.HeaderLine)
	if pv.Sheet != "" {
		info += "　シート：" + pv.Sheet
	}
	objs := []fyne.CanvasObject{
		widget.NewForm(
			&widget.FormItem{Text: "ファイル", Widget: paragraph(strings.Join(names, "\n"))},
			&widget.FormItem{Text: "システム名", Widget: sys, HintText: "一覧から選ぶか、入力してください"},
			&widget.FormItem{Text: "ログの種類", Widget: kind, HintText: "ふつうは「自動判定」のままで構いません"},
		),
		smallText(info),
		captionLabel("列の対応（違っていれば選び直してください）", fyne.TextAlignLeading),
		container.New(&columnsLayout{cols: 4, flex: 3}, grid...),
		save,
		unmask,
		rowsBox,
		rejectsBox,
		errLabel,
	}

	var d *dialog.CustomDialog
	confirm := widget.NewButton("取り込む", nil)
	confirm.Importance = widget.HighImportance
	cancel := widget.NewButton("キャンセル", func() { d.Hide() })
	missing := func() error {
		var cols []workspace.ColumnChoice
		for _, c := range choices {
			cc := c.col
			cc.Field = fieldFor(c.sel.Selected)
			cols = append(cols, cc)
		}
		return mappingProblem(cols)
	}
	confirm.OnTapped = func() {
		system := strings.TrimSpace(sys.Text)
		if system == "" {
			errLabel.SetText("システム名を選ぶか、入力してください。")
			return
		}
		if err := missing(); err != nil {
			errLabel.SetText(err.Error())
			return
		}
		changed := false
		var cols []workspace.ColumnChoice
		for _, c := range choices {
			cc := c.col
			cc.Field = fieldFor(c.sel.Selected)
			if cc.Field != c.col.Field {
				changed = true
				cc.Confidence = 1
			}
			cols = append(cols, cc)
		}
		d.Hide()
		v.subjectColumn = ""
		for _, c := range cols {
			if c.Field == "subject_id" {
				v.subjectColumn = c.Header
			}
		}
		opt := workspace.ImportOptions{System: system, Kind: logKindFor(kind.Selected)}
		if save.Checked || changed {
			v.importLogsWithMapping(paths, opt, cols)
			return
		}
		v.importLogs(paths, opt)
	}
	d = dialog.NewCustomWithoutButtons("ログを取り込む", container.NewVScroll(container.NewVBox(objs...)), v.win)
	d.SetButtons([]fyne.CanvasObject{cancel, confirm})
	d.Resize(v.dialogSize(1000, 700))
	d.Show()
}

// maskCell masks a cell of a log shown on screen: a 宛名番号 column
// (subject) as the report does, and a 12-digit 個人番号 anywhere, unless
// the user asked to see them.
func maskCell(cell string, subject, unmask bool) string {
	if unmask {
		return cell
	}
	if subject {
		return privacy.MaskID(cell)
	}
	return privacy.MaskMyNumber(cell)
}

// maskReject masks what a rejected row's reason quotes: a 個人番号
// anywhere, and the numbers of a reason about the 宛名番号 column
// (subjectHeader, the header mapped to it).
func maskReject(r domain.Reject, subjectHeader string, unmask bool) domain.Reject {
	if unmask {
		return r
	}
	r.Reason = privacy.MaskMyNumber(r.Reason)
	if r.Column != "" && (r.Column == subjectHeader || r.Column == fieldLabel("subject_id") || r.Column == "subject_id") {
		r.Reason = privacy.MaskNumbers(r.Reason)
	}
	r.Raw = privacy.MaskMyNumber(r.Raw)
	return r
}

// mappingProblem checks that the mapping has what every log needs: a time
// (or a date and a time) and a staff ID, each from one column only.
func mappingProblem(cols []workspace.ColumnChoice) error {
	seen := map[string]string{}
	for _, c := range cols {
		if c.Field == "" {
			continue
		}
		if prev, ok := seen[c.Field]; ok {
			return fmt.Errorf("「%s」に、列「%s」と「%s」の2つが選ばれています。どちらか一方にしてください。", fieldLabel(c.Field), prev, c.Header)
		}
		seen[c.Field] = c.Header
	}
	_, hasTime := seen["time"]
	_, hasDate := seen["date"]
	if !hasTime && !hasDate {
		return errors.New("「日時」（または「日付」）の列を選んでください。")
	}
	if _, ok := seen["staff_id"]; !ok {
		return errors.New("「職員ID」の列を選んでください。")
	}
	return nil
}

// importLogsWithMapping saves the mapping as the system's profile, then
// imports with it.
func (v *MainView) importLogsWithMapping(paths []string, opt workspace.ImportOptions, cols []workspace.ColumnChoice) {
	v.runImport(paths, opt, func(ctx context.Context) error {
		err := v.eng.SaveMapping(ctx, opt.System, opt.Kind, cols)
		if isNotAvailable(err) {
			return nil
		}
		return err
	})
}

// logKindLabel names a kind for the result table.
func logKindLabel(k domain.LogKind) string {
	for _, x := range logKinds {
		if x.Kind == k && k != "" {
			return x.Label
		}
	}
	return ""
}
