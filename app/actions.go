package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// maxRejectRows caps the rejected rows listed after an import.
const maxRejectRows = 20

// importLog asks for a log file, then for its system, then imports it.
func (v *MainView) importLog() {
	v.pickFile("ログファイルを選ぶ（CSV・TXT・TSV・Excel）", logExtensions, func(path string) {
		v.previewImport([]string{path})
	})
}

// askImportOptions asks which system the files come from and what kind of
// log they are, then imports them.
func (v *MainView) askImportOptions(paths []string) {
	options := systemOptions(v.summary.Batches)
	sys := widget.NewSelectEntry(options)
	sys.SetPlaceHolder("例：住民記録")
	sys.SetText(guessSystem(paths[0], options))
	sys.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("システム名を入力してください")
		}
		return nil
	}
	labels := make([]string, len(logKinds))
	for i, k := range logKinds {
		labels[i] = k.Label
	}
	kind := widget.NewSelect(labels, nil)
	kind.SetSelected(labels[0])

	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = baseName(p)
	}
	files := paragraph(strings.Join(names, "\n"))
	items := []*widget.FormItem{
		{Text: "ファイル", Widget: files},
		{Text: "システム名", Widget: sys, HintText: "一覧から選ぶか、入力してください"},
		{Text: "ログの種類", Widget: kind, HintText: "ふつうは「自動判定」のままで構いません"},
	}
	d := dialog.NewForm("ログを取り込む", "取り込む", "キャンセル", items, func(ok bool) {
		if !ok {
			return
		}
		v.importLogs(paths, workspace.ImportOptions{
			System: strings.TrimSpace(sys.Text),
			Kind:   logKindFor(kind.Selected),
		})
	}, v.win)
	d.Resize(fyne.NewSize(600, d.MinSize().Height))
	d.Show()
}

// importOutcome is the result of one imported file.
type importOutcome struct {
	path    string
	batch   domain.ImportBatch
	rejects []domain.Reject
}

// importLogs imports the files one after the other as one job.
func (v *MainView) importLogs(paths []string, opt workspace.ImportOptions) {
	v.runImport(paths, opt, nil)
}

// runImport imports the files one after the other as one job, after
// before (saving the mapping) when it is set.
func (v *MainView) runImport(paths []string, opt workspace.ImportOptions, before func(ctx context.Context) error) {
	var results []importOutcome
	v.start(job{
		title: "ログを取り込んでいます",
		fail:  "ログを取り込めませんでした。",
		rate:  true,
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			if before != nil {
				if err := before(ctx); err != nil {
					return err
				}
			}
			for i, p := range paths {
				prefix := ""
				if len(paths) > 1 {
					prefix = fmt.Sprintf("（%d/%d）", i+1, len(paths))
				}
				name := baseName(p)
				progress(workspace.Progress{Message: prefix + name + " を取り込んでいます"})
				b, rejects, err := v.eng.ImportLog(ctx, p, opt, func(pr workspace.Progress) {
					if pr.Message == "" {
						pr.Message = name + " を取り込んでいます"
					}
					pr.Message = prefix + pr.Message
					progress(pr)
				})
				if err != nil {
					return fmt.Errorf("%s：%w", name, err)
				}
				results = append(results, importOutcome{p, b, rejects})
			}
			return nil
		},
		done: func() {
			var accepted int
			for _, r := range results {
				accepted += r.batch.Accepted
			}
			v.setStatus(fmt.Sprintf("%d 件のファイルから %s 行を取り込みました。", len(results), formatInt(accepted)))
			v.showImportResult(results)
		},
	})
}

// showImportResult reports what an import accepted, rejected and skipped.
// The rejected rows quote the file; residents' numbers in them are masked
// unless the user ticks 宛名番号をすべて表示する.
func (v *MainView) showImportResult(results []importOutcome) {
	rows := make([][]string, 0, len(results))
	var dup int
	var rejectTotal int
	type shownReject struct {
		file string
		r    domain.Reject
	}
	var rejects []shownReject
	for _, r := range results {
		b := r.batch
		rows = append(rows, []string{
			baseName(r.path), b.System,
			formatInt(b.Accepted) + " 行", formatInt(b.Rejected) + " 行", formatInt(b.Duplicate) + " 行",
		})
		dup += b.Duplicate
		rejectTotal += max(b.Rejected, len(r.rejects))
		for _, rj := range r.rejects {
			if len(rejects) < maxRejectRows {
				rejects = append(rejects, shownReject{baseName(r.path), rj})
			}
		}
	}
	objs := []fyne.CanvasObject{simpleTable([]column{
		{"ファイル名", fyne.TextAlignLeading},
		{"システム", fyne.TextAlignLeading},
		{"取込", fyne.TextAlignTrailing},
		{"取込不可", fyne.TextAlignTrailing},
		{"重複", fyne.TextAlignTrailing},
	}, rows, 0)}
	if dup > 0 {
		objs = append(objs, smallText("「重複」は、すでに取り込んである行です。二重には数えません。"))
	}
	if len(rejects) > 0 {
		multi := len(results) > 1
		box := container.NewVBox()
		unmask := widget.NewCheck("宛名番号をすべて表示する", nil)
		render := func() {
			lines := make([][]string, len(rejects))
			for i, x := range rejects {
				lines[i] = rejectRow(x.file, maskReject(x.r, v.subjectColumn, unmask.Checked), multi)
			}
			box.Objects = rejectSection(lines, rejectTotal, multi)
			box.Refresh()
		}
		unmask.OnChanged = func(bool) { render() }
		render()
		objs = append(objs, box, unmask)
	}
	v.showResult("ログを取り込みました", objs)
}

// rejectRow is one line of the rejected-rows table.
func rejectRow(file string, r domain.Reject, withFile bool) []string {
	reason := r.Reason
	if r.Column != "" {
		reason = "［" + r.Column + "］" + reason
	}
	row := []string{formatInt(r.Line), reason}
	if withFile {
		row = append([]string{file}, row...)
	}
	return row
}

// rejectSection lists the first rejected rows with their reasons.
func rejectSection(rows [][]string, total int, withFile bool) []fyne.CanvasObject {
	label := "取り込めなかった行（" + formatInt(total) + " 行）"
	if total > len(rows) {
		label = "取り込めなかった行（" + formatInt(total) + " 行のうち先頭 " + formatInt(len(rows)) + " 行）"
	}
	cols := []column{{"行", fyne.TextAlignTrailing}, {"理由", fyne.TextAlignLeading}}
	flex := 1
	if withFile {
		cols = append([]column{{"ファイル名", fyne.TextAlignLeading}}, cols...)
		flex = 2
	}
	table := simpleTable(cols, rows, flex)
	scroll := container.NewVScroll(table)
	scroll.SetMinSize(fyne.NewSize(0, min(table.MinSize().Height, 240)))
	return []fyne.CanvasObject{captionLabel(label, fyne.TextAlignLeading), scroll}
}

// rejectList is rejectSection without its own scroll, for dialogs that
// scroll as a whole (a scroll inside a scroll is hard to use).
func rejectList(rows [][]string, total int) []fyne.CanvasObject {
	label := "取り込めない行（" + formatInt(total) + " 行）"
	if total > len(rows) {
		label = "取り込めない行（" + formatInt(total) + " 行のうち先頭 " + formatInt(len(rows)) + " 行）"
	}
	return []fyne.CanvasObject{captionLabel(label, fyne.TextAlignLeading),
		simpleTable([]column{{"行", fyne.TextAlignTrailing}, {"理由", fyne.TextAlignLeading}}, rows, 1)}
}

// showResult shows the outcome of a job in a dialog closed with 閉じる.
func (v *MainView) showResult(title string, objs []fyne.CanvasObject) {
	d := dialog.NewCustom(title, "閉じる", container.NewVBox(objs...), v.win)
	d.Resize(fyne.NewSize(680, d.MinSize().Height))
	d.Show()
}

// showMasterResult reports a master import.
func (v *MainView) showMasterResult(title, path string, res workspace.MasterResult) {
	rejected := max(res.Read-res.Accepted, len(res.Rejects))
	objs := []fyne.CanvasObject{simpleTable([]column{
		{"ファイル名", fyne.TextAlignLeading},
		{"読込", fyne.TextAlignTrailing},
		{"取込", fyne.TextAlignTrailing},
		{"取込不可", fyne.TextAlignTrailing},
	}, [][]string{{
		baseName(path), formatInt(res.Read) + " 行", formatInt(res.Accepted) + " 行", formatInt(rejected) + " 行",
	}}, 0)}
	if len(res.Rejects) > 0 {
		rows := make([][]string, 0, maxRejectRows)
		for _, r := range res.Rejects[:min(len(res.Rejects), maxRejectRows)] {
			rows = append(rows, rejectRow("", r, false))
		}
		objs = append(objs, rejectSection(rows, rejected, false)...)
	}
	v.showResult(title+"を取り込みました", objs)
}

// inspect runs every rule over the period of the imported logs.
func (v *MainView) inspect() {
	var run domain.Run
	v.start(job{
		title: "点検しています",
		fail:  "点検できませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			var err error
			run, err = v.eng.Inspect(ctx, time.Time{}, time.Time{}, progress)
			return err
		},
		done: func() {
			v.setStatus(fmt.Sprintf("点検が終わりました（対象期間 %s、検出事項 %s 件）。", formatPeriod(run.From, run.To), formatInt(run.Findings)))
			v.offerFindings(run.Findings)
		},
	})
}

// offerFindings tells the result of a run and offers to look at it.
func (v *MainView) offerFindings(n int) {
	if n == 0 {
		dialog.ShowInformation("点検が終わりました", "検出事項はありませんでした。報告書を保存してください。", v.win)
		return
	}
	d := dialog.NewConfirm("点検が終わりました", "検出事項が "+formatInt(n)+" 件ありました。内容を確認しますか？", func(ok bool) {
		if ok {
			v.tabs.Select(v.findTab)
		}
	}, v.win)
	d.SetConfirmText("検出事項を見る")
	d.SetDismissText("閉じる")
	d.Show()
}

// removeIfEmpty deletes the empty file the save dialog created when the
// report could not be written into it.
func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		_ = os.Remove(path)
	}
}

// trySample loads the sample town and inspects it. A workspace that already
// holds data is asked about first: the sample would mix with real logs.
func (v *MainView) trySample() {
	if !v.loaded || isEmpty(v.summary) {
		v.loadSample()
		return
	}
	d := dialog.NewConfirm("サンプルデータを追加しますか？",
		"この作業フォルダには、すでにデータがあります。サンプルデータ（架空の町のログ）を追加すると、実際のデータと混ざります。続けますか？",
		func(ok bool) {
			if ok {
				v.loadSample()
			}
		}, v.win)
	d.SetConfirmText("追加する")
	d.SetDismissText("やめる")
	d.Show()
}

func (v *MainView) loadSample() {
	var sample workspace.SampleResult
	var run domain.Run
	v.start(job{
		title: "サンプルデータを準備しています",
		fail:  "サンプルデータを準備できませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			var err error
			if sample, err = v.eng.LoadSample(ctx, progress); err != nil {
				return err
			}
			progress(workspace.Progress{Message: "点検しています"})
			run, err = v.eng.Inspect(ctx, time.Time{}, time.Time{}, progress)
			return err
		},
		done: func() {
			town := "サンプルの町"
			if sample.Town != "" {
				town = "サンプルの町（" + sample.Town + "）"
			}
			v.setStatus(fmt.Sprintf("%sのログを取り込んで点検しました。検出事項は %s 件です。", town, formatInt(run.Findings)))
		},
	})
}

// showOpenDialog is the default pickFile: Fyne's file dialog, filtered by
// extension, sized to the window.
func (v *MainView) showOpenDialog(title string, exts []string, done func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.showError("ファイルを開けませんでした。", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		done(path)
	}, v.win)
	d.SetTitleText(title)
	d.SetConfirmText("選択")
	d.SetDismissText("キャンセル")
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(v.fileDialogSize())
	d.Show()
}

// showSaveDialog is the default pickSave. The dialog creates the file it
// hands over; it is closed at once and the engine writes into it. The
// extension of the proposed name (.pdf, .xlsx, .csv, .db) filters the
// dialog and is appended when the user typed a name without it.
func (v *MainView) showSaveDialog(title, name string, done func(path string)) {
	ext := filepath.Ext(name)
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.showError("保存先を開けませんでした。", err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close()
		if p := withExtension(path, ext); p != path {
			removeIfEmpty(path)
			path = p
		}
		done(path)
	}, v.win)
	d.SetTitleText(title)
	d.SetConfirmText("保存")
	d.SetDismissText("キャンセル")
	d.SetFileName(name)
	if ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	}
	d.Resize(v.fileDialogSize())
	d.Show()
}

// fileDialogSize leaves a margin around the file dialogs, which Fyne
// otherwise opens small.
func (v *MainView) fileDialogSize() fyne.Size {
	s := v.win.Canvas().Size()
	return fyne.NewSize(max(s.Width*0.85, 720), max(s.Height*0.85, 480))
}
