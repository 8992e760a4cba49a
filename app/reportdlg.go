package app

import (
	"context"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/workspace"
)

// ReportSection is a section of the report the user may leave out.
type ReportSection struct {
	Key, Title string
}

// reportChoices are the answers of the report dialog.
type reportChoices struct {
	Omit   []string // section keys left out
	Unmask bool     // print residents' numbers in full
	Wareki bool     // dates in 和暦
	Logo   string   // PNG of the town's emblem, "" for none
}

// saveReport asks for the report's options, then where to save it, and
// writes it.
func (v *MainView) saveReport() {
	v.reportOptionsDialog("報告書の設定", nil, v.eng.ReportSections(), true, func(c reportChoices) {
		v.pickSave("報告書の保存先", reportFileName(v.now()), func(path string) { v.writeReport(path, c) })
	})
}

// reportOptionsDialog asks for the options of a PDF (the report, the
// 年間総括): first the extra items, then the sections to print (none for
// an empty list), the masking of residents' numbers when mask is set, the
// calendar and the town's emblem. ok receives the answers.
func (v *MainView) reportOptionsDialog(title string, extra []*widget.FormItem, sections []ReportSection, mask bool, ok func(reportChoices)) {
	// One check per section in a grid: a horizontal check group of a
	// dozen sections runs off the dialog.
	checks := make([]*widget.Check, len(sections))
	grid := container.NewGridWithColumns(3)
	for i, s := range sections {
		checks[i] = widget.NewCheck(s.Title, nil)
		checks[i].SetChecked(true)
		grid.Add(checks[i])
	}
	maskCheck := widget.NewCheck("住民の宛名番号を伏せる（ふつうは伏せます。庁内の控えだけ外してください）", nil)
	maskCheck.SetChecked(true)
	era := widget.NewRadioGroup([]string{"和暦（令和7年4月1日）", "西暦（2025年4月1日）"}, nil)
	era.Horizontal = true
	era.Required = true
	era.SetSelected("和暦（令和7年4月1日）")
	logoPath := ""
	logoLabel := widget.NewLabel("なし")
	pickLogo := widget.NewButtonWithIcon("町章の画像を選ぶ（PNG）", theme.FileImageIcon(), func() {
		v.pickFile("町章の画像を選ぶ（PNG）", []string{".png"}, func(p string) {
			logoPath = p
			logoLabel.SetText(baseName(p))
		})
	})
	clearLogo := widget.NewButton("なしにする", func() {
		logoPath = ""
		logoLabel.SetText("なし")
	})
	items := append([]*widget.FormItem(nil), extra...)
	if len(sections) > 0 {
		items = append(items, &widget.FormItem{Text: "載せる章", Widget: grid, HintText: "表紙はいつも載ります"})
	}
	if mask {
		items = append(items, &widget.FormItem{Text: "宛名番号", Widget: maskCheck})
	}
	items = append(items,
		&widget.FormItem{Text: "日付の書き方", Widget: era},
		&widget.FormItem{Text: "町章", Widget: container.NewHBox(logoLabel, pickLogo, clearLogo)},
	)
	d := dialog.NewForm(title, "保存先を選ぶ", "キャンセル", items, func(confirmed bool) {
		if !confirmed {
			return
		}
		c := reportChoices{Unmask: mask && !maskCheck.Checked, Wareki: era.Selected != "西暦（2025年4月1日）", Logo: logoPath}
		for i, s := range sections {
			if !checks[i].Checked {
				c.Omit = append(c.Omit, s.Key)
			}
		}
		ok(c)
	}, v.win)
	d.Resize(v.dialogSize(900, d.MinSize().Height))
	d.Show()
}

// writeReport writes the report with the chosen options.
func (v *MainView) writeReport(path string, c reportChoices) {
	v.start(job{
		title: "報告書を作成しています",
		fail:  "報告書を保存できませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			err := v.eng.WriteReportWith(ctx, path, reportOptions(c), progress)
			if err != nil {
				removeIfEmpty(path)
			}
			return err
		},
		done: func() {
			if v.summary.LastRun != nil {
				v.reportSavedRun = v.summary.LastRun.ID
			}
			v.renderDashboard()
			v.setStatus("報告書を保存しました：" + path)
			v.offerOpen("報告書を保存しました", path, "")
		},
	})
}

// offerOpen tells where a saved file went (with a note under it, when
// set) and offers to open it or its folder with the PC's own viewer.
func (v *MainView) offerOpen(title, path, note string) {
	var d *dialog.CustomDialog
	open := func(target string) {
		d.Hide()
		u, err := url.Parse(storage.NewFileURI(target).String())
		if err == nil {
			err = v.openURL(u)
		}
		if err != nil {
			v.showError("開けませんでした。", err)
		}
	}
	openFile := widget.NewButtonWithIcon("開く", theme.FileIcon(), func() { open(path) })
	openFile.Importance = widget.HighImportance
	openDir := widget.NewButtonWithIcon("フォルダを開く", theme.FolderOpenIcon(), func() { open(filepath.Dir(path)) })
	closeBtn := widget.NewButton("閉じる", func() { d.Hide() })
	var body fyne.CanvasObject = paragraph(path)
	if note != "" {
		body = container.NewVBox(paragraph(path), smallText(note))
	}
	d = dialog.NewCustomWithoutButtons(title, body, v.win)
	d.SetButtons([]fyne.CanvasObject{closeBtn, openDir, openFile})
	d.Resize(fyne.NewSize(640, d.MinSize().Height))
	d.Show()
}
