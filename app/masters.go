package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/privacy"
	"tenken/internal/workspace"
)

// employmentKinds are the 雇用区分 of DOMAIN.md.
var employmentKinds = []string{"正規", "会計年度任用", "再任用", "委託", "派遣"}

// mastersView is the マスタ tab: 職員, 権限 and 要注意対象 as searchable,
// sortable tables, each with its import, and single-row editing of staff.
type mastersView struct {
	v       *MainView
	content fyne.CanvasObject

	staffTable *dataTable
	grantTable *dataTable
	watchTable *dataTable
	otTable    *dataTable
	otNote     *widget.Label
	staffNote  *widget.Label
	grantNote  *widget.Label
	watchNote  *widget.Label
	editBtn    *widget.Button
	historyBtn *widget.Button

	staff    []domain.Staff
	watch    []domain.WatchEntry
	unmask   *widget.Check
	selected int
}

// renderWatch fills the watch-list table, the residents' numbers masked
// unless the user asked to see them.
func (mv *mastersView) renderWatch() {
	rows := make([][]string, len(mv.watch))
	for i, w := range mv.watch {
		id := w.SubjectID
		if !mv.unmask.Checked {
			id = privacy.MaskID(id) // as the report and the exports mask it
		}
		rows[i] = []string{id, w.Category, strings.Join(w.Depts, "・"), validity(w.From, w.To)}
	}
	mv.watchTable.setRows(rows)
}

func newMastersView(v *MainView) *mastersView {
	mv := &mastersView{v: v, selected: -1}
	mv.staffTable = newDataTable([]tableCol{
		{"職員ID", 110, fyne.TextAlignLeading, false},
		{"氏名", 130, fyne.TextAlignLeading, false},
		{"所属", 130, fyne.TextAlignLeading, false},
		{"役職", 90, fyne.TextAlignLeading, false},
		{"雇用区分", 110, fyne.TextAlignLeading, false},
		{"着任日", 130, fyne.TextAlignLeading, false},
		{"離任日", 130, fyne.TextAlignLeading, false},
		{"外部媒体", 80, fyne.TextAlignCenter, false},
		{"利用可能システム", 220, fyne.TextAlignLeading, false},
	}, "氏名・職員ID・所属で絞り込む（見出しを押すと並べ替え）")
	mv.staffTable.onSelect = func(i int) {
		mv.selected = i
		mv.editBtn.Enable()
		mv.historyBtn.Enable()
	}
	mv.grantTable = newDataTable([]tableCol{
		{"職員ID", 110, fyne.TextAlignLeading, false},
		{"所属", 150, fyne.TextAlignLeading, false},
		{"システム", 150, fyne.TextAlignLeading, false},
		{"権限", 90, fyne.TextAlignLeading, false},
		{"有効期間", 300, fyne.TextAlignLeading, false},
	}, "職員ID・所属・システムで絞り込む（見出しを押すと並べ替え）")
	mv.watchTable = newDataTable([]tableCol{
		{"宛名番号", 150, fyne.TextAlignLeading, false},
		{"区分", 150, fyne.TextAlignLeading, false},
		{"閲覧可能所属", 300, fyne.TextAlignLeading, false},
		{"有効期間", 300, fyne.TextAlignLeading, false},
	}, "区分・所属で絞り込む（見出しを押すと並べ替え）")
	mv.otTable = newDataTable([]tableCol{
		{"職員ID", 110, fyne.TextAlignLeading, false},
		{"氏名", 130, fyne.TextAlignLeading, false},
		{"日付", 160, fyne.TextAlignLeading, false},
		{"時間帯", 160, fyne.TextAlignLeading, false},
	}, "職員ID・氏名・日付で絞り込む（見出しを押すと並べ替え）")
	mv.otNote = paragraph("")
	mv.staffNote, mv.grantNote, mv.watchNote = paragraph(""), paragraph(""), paragraph("")
	mv.unmask = widget.NewCheck("宛名番号をすべて表示する", func(bool) { mv.renderWatch() })

	mv.editBtn = widget.NewButtonWithIcon("選んだ職員を編集", theme.DocumentCreateIcon(), func() {
		if mv.selected >= 0 && mv.selected < len(mv.staff) {
			mv.editStaff(mv.staff[mv.selected], false)
		}
	})
	mv.editBtn.Disable()
	mv.historyBtn = widget.NewButtonWithIcon("有効期間の履歴", theme.HistoryIcon(), func() {
		if mv.selected >= 0 && mv.selected < len(mv.staff) {
			mv.showVersions(mv.staff[mv.selected])
		}
	})
	mv.historyBtn.Disable()
	addBtn := widget.NewButtonWithIcon("職員を追加", theme.ContentAddIcon(), func() { mv.editStaff(domain.Staff{}, true) })
	importBtn := func(act action, text string) *widget.Button {
		return v.newActionButton(act, text, theme.FolderOpenIcon(), widget.MediumImportance)
	}
	staffImport := importBtn(actImportStaff, "ファイルから取り込む")
	grantImport := importBtn(actImportGrants, "ファイルから取り込む")
	watchImport := importBtn(actImportWatch, "ファイルから取り込む")
	otImport := importBtn(actImportOvertime, "ファイルから取り込む")
	v.tabButtons = append(v.tabButtons, actionButton{actImportStaff, staffImport}, actionButton{actImportGrants, grantImport},
		actionButton{actImportWatch, watchImport}, actionButton{actImportOvertime, otImport})

	page := func(note *widget.Label, dt *dataTable, buttons ...fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(container.NewVBox(note, container.NewHBox(buttons...)), nil, nil, nil, dt.content)
	}
	tabs := container.NewAppTabs(
		container.NewTabItem("職員", page(mv.staffNote, mv.staffTable, staffImport, addBtn, mv.editBtn, mv.historyBtn)),
		container.NewTabItem("権限", page(mv.grantNote, mv.grantTable, grantImport)),
		container.NewTabItem("要注意対象", page(mv.watchNote, mv.watchTable, watchImport, mv.unmask)),
		container.NewTabItem("時間外申請", page(mv.otNote, mv.otTable, otImport)),
	)
	mv.content = container.NewPadded(tabs)
	return mv
}

// set shows the masters of a snapshot.
func (mv *mastersView) set(s snapshot) {
	mv.staff = s.staff
	mv.selected = -1
	mv.editBtn.Disable()
	mv.historyBtn.Disable()
	rows := make([][]string, len(s.staff))
	for i, st := range s.staff {
		usb := "不可"
		if st.USBAllowed {
			usb = "可"
		}
		rows[i] = []string{st.ID, st.Name, st.Dept, st.Title, st.Employment, dateOrDash(st.Start), dateOrDash(st.End), usb, strings.Join(st.Systems, "・")}
	}
	mv.staffTable.setRows(rows)
	mv.staffNote.SetText(masterNote("職員マスタ", len(s.staff), "人", s.staffErr,
		"職員ID（ログのアカウント）、氏名、所属、着任日・離任日です。離任者IDや未登録IDの点検に使います。行を選んで「編集」を押すと、1人分を直せます。"))

	grows := make([][]string, len(s.grants))
	for i, g := range s.grants {
		perm := g.Permission
		if perm == "" {
			perm = "すべて"
		}
		grows[i] = []string{g.StaffID, g.Dept, g.System, perm, validity(g.From, g.To)}
	}
	mv.grantTable.setRows(grows)
	mv.grantNote.SetText(masterNote("権限マスタ", len(s.grants), "行", s.grantsErr,
		"だれ（職員または所属）が、どのシステムを、どの権限（照会・更新・出力）で使えるかです。権限外のシステム利用の点検に使います。"))

	mv.watch = s.watch
	mv.renderWatch()
	mv.watchNote.SetText(masterNote("要注意対象", len(s.watch), "人", s.watchErr,
		"DV等支援措置の対象者など、閲覧できる所属が限られる住民の宛名番号です。ほかの所属の職員による照会を検出します。"))

	names := map[string]string{}
	for _, st := range s.staff {
		names[st.ID] = st.Name
	}
	orows := make([][]string, len(s.overtime))
	for i, o := range s.overtime {
		orows[i] = []string{o.StaffID, names[o.StaffID], dateOrDash(o.Date), clockText(o.From) + "〜" + clockText(o.To)}
	}
	mv.otTable.setRows(orows)
	mv.otNote.SetText(masterNote("時間外申請", len(s.overtime), "件", s.otErr,
		"承認済みの時間外勤務・休日勤務です。この時間帯の操作は、勤務時間外・閉庁日の点検から除きます。"))
}

func masterNote(title string, n int, unit string, err error, explain string) string {
	switch {
	case isNotAvailable(err):
		return title + "：この版ではまだ表示できません。"
	case err != nil:
		return title + "を読み込めませんでした。" + err.Error()
	case n == 0:
		return title + "：まだ取り込んでいません。" + explain
	}
	return title + "：" + formatInt(n) + " " + unit + "。" + explain
}

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "―"
	}
	return formatDate(t)
}

// validity writes a 有効期間; an open end reads 〜（現在も有効）.
func validity(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "期間の定めなし"
	case to.IsZero():
		return formatDate(from) + "〜（現在も有効）"
	}
	return formatPeriod(from, to)
}

// showVersions lists every version of one staff ID by 有効期間: each
// 異動 or correction of the master starts a version, and past inspections
// are judged by the version valid on the day.
func (mv *mastersView) showVersions(st domain.Staff) {
	v := mv.v
	v.fetch(func(ctx context.Context) func() {
		versions, err := v.eng.StaffVersions(ctx, st.ID)
		return func() {
			if err != nil {
				v.showError("職員「"+st.Name+"」の履歴を読み込めませんでした。", err)
				return
			}
			rows := make([][]string, 0, len(versions))
			// Newest first: the question is usually "since when".
			for i := len(versions) - 1; i >= 0; i-- {
				x := versions[i]
				rows = append(rows, []string{dateOrDash(x.Start), endText(x.End), x.Dept, x.Title, x.Employment, x.Name})
			}
			var body fyne.CanvasObject
			if len(rows) == 0 {
				body = paragraph("この職員IDの履歴はありません。")
			} else {
				body = simpleTable([]column{
					{"着任日（有効期間の始め）", fyne.TextAlignLeading}, {"離任日（終わり）", fyne.TextAlignLeading},
					{"所属", fyne.TextAlignLeading}, {"役職", fyne.TextAlignLeading}, {"雇用区分", fyne.TextAlignLeading}, {"氏名", fyne.TextAlignLeading},
				}, rows, 2)
			}
			objs := []fyne.CanvasObject{
				paragraph(fmt.Sprintf("%s（%s）の職員マスタの版：%d 件（新しい順）", st.Name, st.ID, len(rows))),
				body,
				smallText("異動や訂正のたびに、有効期間つきの版が増えます。過去の期間の点検には、その日に有効だった版（所属など）を使います。"),
			}
			d := dialog.NewCustom("有効期間の履歴", "閉じる", container.NewVBox(objs...), v.win)
			d.Resize(v.dialogSize(900, d.MinSize().Height))
			d.Show()
		}
	})
}

// endText is a version's end: 在職中 when open.
func endText(t time.Time) string {
	if t.IsZero() {
		return "在職中"
	}
	return formatDate(t)
}

// optionalDate is a datePicker with a なし box, for 離任日 and the like.
type optionalDate struct {
	picker *datePicker
	none   *widget.Check
	box    fyne.CanvasObject
}

func newOptionalDate(now time.Time, t time.Time, noneLabel string) *optionalDate {
	od := &optionalDate{picker: newDatePickerFrom(now, 1960, nil)}
	od.none = widget.NewCheck(noneLabel, func(on bool) {
		for _, s := range []*widget.Select{od.picker.year, od.picker.month, od.picker.dayOf} {
			if on {
				s.Disable()
			} else {
				s.Enable()
			}
		}
	})
	if t.IsZero() {
		od.none.SetChecked(true)
	} else {
		od.picker.SetDate(t)
	}
	od.box = container.NewHBox(od.picker.box, od.none)
	return od
}

// value returns the date, zero for なし; ok is false for an incomplete date.
func (od *optionalDate) value() (time.Time, bool) {
	if od.none.Checked {
		return time.Time{}, true
	}
	return od.picker.Date()
}

// editStaff edits one row of the 職員マスタ. The engine validates it again,
// versions the master and records the change in the audit log.
func (mv *mastersView) editStaff(st domain.Staff, isNew bool) {
	v := mv.v
	id := widget.NewEntry()
	id.SetText(st.ID)
	id.SetPlaceHolder("例：S0012（半角）")
	if !isNew {
		id.Disable()
	}
	name := pasteEntry("例：山田 太郎（貼り付けもできます）")
	name.SetText(st.Name)
	var depts, titles, systems []string
	for _, s := range mv.staff {
		depts = append(depts, s.Dept)
		titles = append(titles, s.Title)
		systems = append(systems, s.Systems...)
	}
	dept := widget.NewSelectEntry(nonEmpty(dedupe(depts)))
	dept.SetText(st.Dept)
	title := widget.NewSelectEntry(nonEmpty(dedupe(titles)))
	title.SetText(st.Title)
	emp := widget.NewSelect(employmentKinds, nil)
	if st.Employment != "" {
		emp.SetSelected(st.Employment)
	}
	start := newOptionalDate(v.now(), st.Start, "不明")
	end := newOptionalDate(v.now(), st.End, "在職中")
	usb := widget.NewCheck("外部媒体（USBメモリなど）を使ってよい", nil)
	usb.SetChecked(st.USBAllowed)
	subject := widget.NewEntry()
	subject.SetText(st.SubjectID)
	subject.SetPlaceHolder("本人の宛名番号（分かれば。本人照会の点検に使います）")
	sysOpts := dedupe(append(systemOptions(v.summary.Batches), systems...))
	sys := widget.NewCheckGroup(nonEmpty(sysOpts), nil)
	sys.Horizontal = true
	sys.Selected = append([]string(nil), st.Systems...)
	errLabel := paragraph("")
	errLabel.Importance = widget.DangerImportance

	items := []*widget.FormItem{
		{Text: "職員ID", Widget: id, HintText: "ログに記録されるアカウント"},
		{Text: "氏名", Widget: name},
		{Text: "所属", Widget: dept},
		{Text: "役職", Widget: title},
		{Text: "雇用区分", Widget: emp},
		{Text: "着任日", Widget: start.box},
		{Text: "離任日", Widget: end.box},
		{Text: "外部媒体", Widget: usb},
		{Text: "本人宛名番号", Widget: subject},
		{Text: "利用可能システム", Widget: sys},
	}
	var d *dialog.CustomDialog
	save := widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), nil)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("キャンセル", func() { d.Hide() })
	save.OnTapped = func() {
		out := st
		out.ID = strings.TrimSpace(id.Text)
		out.Name = strings.TrimSpace(name.Text)
		out.Dept = strings.TrimSpace(dept.Text)
		out.Title = strings.TrimSpace(title.Text)
		out.Employment = emp.Selected
		out.USBAllowed = usb.Checked
		out.SubjectID = strings.TrimSpace(subject.Text)
		out.Systems = append([]string(nil), sys.Selected...)
		var ok1, ok2 bool
		out.Start, ok1 = start.value()
		out.End, ok2 = end.value()
		if err := validateStaff(out, ok1, ok2, isNew, mv.staff); err != nil {
			errLabel.SetText(err.Error())
			return
		}
		d.Hide()
		v.start(job{
			title: "職員マスタを保存しています",
			fail:  "職員マスタを保存できませんでした。",
			work: func(ctx context.Context, _ workspace.ProgressFunc) error {
				return v.eng.SaveStaff(ctx, out, v.eng.User())
			},
			done: func() { v.setStatus("職員「" + out.Name + "」（" + out.ID + "）を保存しました。") },
		})
	}
	heading := "職員を編集"
	if isNew {
		heading = "職員を追加"
	}
	d = dialog.NewCustomWithoutButtons(heading, container.NewVBox(widget.NewForm(items...), errLabel), v.win)
	d.SetButtons([]fyne.CanvasObject{cancel, save})
	d.Resize(fyne.NewSize(860, d.MinSize().Height))
	d.Show()
}

// validateStaff checks what the form can check before the engine does:
// required fields, whole dates, order of dates, a new ID not yet used.
func validateStaff(s domain.Staff, startOK, endOK, isNew bool, existing []domain.Staff) error {
	switch {
	case s.ID == "":
		return errors.New("職員IDを入れてください。")
	case s.Name == "":
		return errors.New("氏名を入れてください（ほかの文書から貼り付けられます）。")
	case !startOK:
		return errors.New("着任日を最後まで選ぶか、「不明」にしてください。")
	case !endOK:
		return errors.New("離任日を最後まで選ぶか、「在職中」にしてください。")
	case !s.Start.IsZero() && !s.End.IsZero() && s.End.Before(s.Start):
		return errors.New("離任日が着任日より前です。")
	}
	if isNew {
		for _, e := range existing {
			if e.ID == s.ID {
				return fmt.Errorf("職員ID「%s」はすでに登録されています（%s）。その行を選んで編集してください。", s.ID, e.Name)
			}
		}
	}
	return nil
}

func nonEmpty(in []string) []string {
	out := in[:0:0]
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// masterExtensions are the files a master import accepts.
var masterExtensions = []string{".csv", ".txt", ".tsv", ".xlsx"}

// importMaster asks for a master file, shows what would be accepted and
// rejected, and replaces the master once the user confirms. An engine
// without previews imports at once.
func (v *MainView) importMaster(kind workspace.MasterKind) {
	title := masterTitle(kind)
	v.pickFile(title+"のファイルを選ぶ（CSV・Excel）", masterExtensions, func(path string) {
		var pv *workspace.MasterPreview
		var pvErr error
		v.start(job{
			title: title + "を読み込んでいます",
			fail:  title + "を読み込めませんでした。",
			work: func(ctx context.Context, progress workspace.ProgressFunc) error {
				progress(workspace.Progress{Message: baseName(path) + " を読み込んでいます"})
				pv, pvErr = v.eng.PreviewMaster(ctx, kind, path)
				if isNotAvailable(pvErr) {
					return nil
				}
				return pvErr
			},
			done: func() {
				if pvErr != nil {
					v.doImportMaster(kind, path)
					return
				}
				v.showMasterPreview(kind, path, pv)
			},
		})
	})
}

// showMasterPreview shows the mapping, the first rows and the rows that
// would be rejected; 取り込む replaces the master.
func (v *MainView) showMasterPreview(kind workspace.MasterKind, path string, pv *workspace.MasterPreview) {
	title := masterTitle(kind)
	rejected := max(pv.Read-pv.Accepted, len(pv.Rejects))
	objs := []fyne.CanvasObject{
		paragraph(fmt.Sprintf("%s（%s）：%s 行のうち %s 行を取り込みます。取り込めない行は %s 行です。",
			baseName(path), pv.Encoding, formatInt(pv.Read), formatInt(pv.Accepted), formatInt(rejected))),
		captionLabel("列の対応", fyne.TextAlignLeading),
		mappingTable(pv.Columns, func(f string) string { return masterFieldLabel(kind, f) }),
	}
	if len(pv.Missing) > 0 {
		warn := paragraph("見つからない列：" + strings.Join(pv.Missing, "、") + "。ファイルの見出しを確かめてください。")
		warn.Importance = widget.DangerImportance
		objs = append(objs, warn)
	}
	// Residents' numbers (the watch list's, the staff's own) are masked
	// like the log preview's until the user asks to see them.
	subject, subjectHeader := -1, ""
	for _, c := range pv.Columns {
		if c.Field == "subject" {
			subject, subjectHeader = c.Index, c.Header
		}
	}
	box := container.NewVBox()
	unmask := widget.NewCheck("宛名番号をすべて表示する", nil)
	render := func() {
		box.Objects = nil
		if len(pv.Rows) > 0 {
			masked := make([][]string, len(pv.Rows))
			for i, r := range pv.Rows {
				masked[i] = make([]string, len(r))
				for j, cell := range r {
					masked[i][j] = maskCell(cell, j == subject, unmask.Checked)
				}
			}
			box.Add(captionLabel("先頭の行", fyne.TextAlignLeading))
			box.Add(previewRows(headersOf(pv.Columns), masked, 5))
		}
		if len(pv.Rejects) > 0 {
			rows := make([][]string, 0, maxRejectRows)
			for _, r := range pv.Rejects[:min(len(pv.Rejects), maxRejectRows)] {
				rows = append(rows, rejectRow("", maskReject(r, subjectHeader, unmask.Checked), false))
			}
			for _, o := range rejectList(rows, rejected) {
				box.Add(o)
			}
		}
		box.Refresh()
	}
	unmask.OnChanged = func(bool) { render() }
	render()
	objs = append(objs, box)
	if subject >= 0 || len(pv.Rejects) > 0 {
		objs = append(objs, unmask)
	}
	objs = append(objs, smallText("「取り込む」を押すと、"+title+"をこのファイルの内容に入れ替えます。以前の内容は有効期間つきで残り、過去の期間の点検に使われます。"))
	d := dialog.NewCustomConfirm(title+"の確認", "取り込む", "キャンセル", container.NewVScroll(container.NewVBox(objs...)), func(ok bool) {
		if ok {
			v.doImportMaster(kind, path)
		}
	}, v.win)
	d.Resize(v.dialogSize(860, 600))
	d.Show()
}

// dialogSize fits a dialog of the wanted size into the window.
func (v *MainView) dialogSize(w, h float32) fyne.Size {
	s := v.win.Canvas().Size()
	if s.Width <= 0 || s.Height <= 0 {
		return fyne.NewSize(w, h)
	}
	return fyne.NewSize(min(w, s.Width*0.95), min(h, s.Height*0.9))
}

func headersOf(cols []workspace.ColumnChoice) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header
	}
	return out
}

// masterFields name the fields of the master files (internal/master).
var masterFields = map[string]string{
	"id": "職員ID", "staff": "職員ID", "name": "氏名", "dept": "所属", "title": "役職", "employment": "雇用区分",
	"usb": "外部媒体利用可", "subject": "宛名番号", "systems": "利用可能システム", "accounts": "他のアカウント",
	"logon": "Windowsアカウント", "mail": "メールアドレス", "system": "システム", "permission": "権限",
	"from": "開始日", "to": "終了日", "category": "区分", "depts": "閲覧可能所属", "date": "日付", "span": "時間帯",
}

// masterFieldLabel names a field of a master file of kind.
func masterFieldLabel(kind workspace.MasterKind, f string) string {
	switch {
	case kind == workspace.MasterStaff && f == "start":
		return "着任日"
	case kind == workspace.MasterStaff && f == "end":
		return "離任日"
	case kind == workspace.MasterStaff && f == "subject":
		return "本人宛名番号"
	case f == "start":
		return "開始"
	case f == "end":
		return "終了"
	}
	if l, ok := masterFields[f]; ok {
		return l
	}
	return f
}

// mappingTable lists which column feeds which field, named by label.
func mappingTable(cols []workspace.ColumnChoice, label func(string) string) fyne.CanvasObject {
	rows := make([][]string, 0, len(cols))
	for _, c := range cols {
		field := label(c.Field)
		if c.Field == "" {
			field = "（使わない）"
		}
		rows = append(rows, []string{c.Header, field, confidenceLabel(c)})
	}
	return simpleTable([]column{{"ファイルの見出し", fyne.TextAlignLeading}, {"項目", fyne.TextAlignLeading}, {"判定", fyne.TextAlignLeading}}, rows, 0)
}

func confidenceLabel(c workspace.ColumnChoice) string {
	switch {
	case c.Field == "":
		return ""
	case c.Confidence >= 1:
		return "確実"
	case c.Confidence >= 0.5:
		return "たぶん"
	}
	return "要確認"
}

// previewRows shows the first n rows of a file under its headers, each
// cell cut short so that a wide file still fits the dialog.
func previewRows(headers []string, rows [][]string, n int) fyne.CanvasObject {
	limit := max(6, 120/max(len(headers), 1))
	cols := make([]column, len(headers))
	for i, h := range headers {
		cols[i] = column{shorten(h, limit), fyne.TextAlignLeading}
	}
	shown := make([][]string, 0, n)
	for _, r := range rows[:min(len(rows), n)] {
		line := make([]string, len(r))
		for i, c := range r {
			line[i] = shorten(c, limit)
		}
		shown = append(shown, line)
	}
	return simpleTable(cols, shown, -1)
}

// shorten cuts s to n characters with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// doImportMaster replaces the master of kind with the file.
func (v *MainView) doImportMaster(kind workspace.MasterKind, path string) {
	title := masterTitle(kind)
	var res workspace.MasterResult
	v.start(job{
		title: title + "を取り込んでいます",
		fail:  title + "を取り込めませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			progress(workspace.Progress{Message: baseName(path) + " を読み込んでいます"})
			var err error
			res, err = v.eng.ImportMaster(ctx, kind, path)
			return err
		},
		done: func() {
			v.setStatus(fmt.Sprintf("%sを取り込みました（%s 行）。", title, formatInt(res.Accepted)))
			v.showMasterResult(title, path, res)
		},
	})
}

// clockText writes a time of day given as a duration since midnight; a
// shift past midnight reads 翌1:30.
func clockText(d time.Duration) string {
	m := int(d.Minutes())
	if m >= 24*60 {
		return fmt.Sprintf("翌%d:%02d", m/60-24, m%60)
	}
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}
