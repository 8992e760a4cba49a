package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/workspace"
)

// exportFormats are the choices of the export dialog.
var exportFormats = []struct{ Label, Format string }{
	{"Excel（xlsx）：1つのファイルに「検出事項」「証跡」「職員ランキング」のシート", workspace.ExportXLSX},
	{"CSV：表ごとに1つ、あわせて3つのファイル", workspace.ExportCSV},
}

// exportFindings asks for the format, then where to save, and exports
// the latest run for Excel.
func (v *MainView) exportFindings() {
	labels := make([]string, len(exportFormats))
	for i, f := range exportFormats {
		labels[i] = f.Label
	}
	choice := widget.NewRadioGroup(labels, nil)
	choice.Required = true
	choice.SetSelected(labels[0])
	items := []*widget.FormItem{
		{Text: "形式", Widget: choice, HintText: "ふつうは Excel を選びます"},
		{Text: "内容", Widget: paragraph("最新の点検の検出事項・証跡（該当した操作）・職員ランキングです。宛名番号は報告書と同じく伏せて書き出します。")},
	}
	d := dialog.NewForm("エクスポート", "保存先を選ぶ", "キャンセル", items, func(ok bool) {
		if !ok {
			return
		}
		format := workspace.ExportXLSX
		for _, f := range exportFormats {
			if f.Label == choice.Selected {
				format = f.Format
			}
		}
		v.pickSave("エクスポートの保存先", exportFileName(v.now(), format), func(path string) { v.writeExport(path, format) })
	}, v.win)
	d.Resize(v.dialogSize(760, d.MinSize().Height))
	d.Show()
}

// exportFileName is the proposed name: 点検結果_20240702.xlsx.
func exportFileName(now time.Time, format string) string {
	return "点検結果_" + now.Format("20060102") + "." + format
}

// writeExport exports in format to path.
func (v *MainView) writeExport(path, format string) {
	v.start(job{
		title: "エクスポートしています",
		fail:  "エクスポートできませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			progress(workspace.Progress{Message: baseName(path) + " に書き出しています"})
			err := v.eng.Export(ctx, format, path)
			if err != nil {
				removeIfEmpty(path)
			}
			return err
		},
		done: func() {
			v.setStatus("エクスポートしました：" + path)
			note := ""
			if format == workspace.ExportCSV {
				stem := strings.TrimSuffix(baseName(path), filepath.Ext(path))
				note = "同じフォルダに「" + stem + "_証跡.csv」と「" + stem + "_職員ランキング.csv」も保存しました。"
			}
			v.offerOpen("エクスポートしました", path, note)
		},
	})
}

// fiscalYearLabel writes a 年度 the way the town's documents do:
// 令和7年度（2025年度）.
func fiscalYearLabel(fy int) string {
	switch {
	case fy == 2019:
		return "令和元年度（2019年度）"
	case fy >= 2020:
		return fmt.Sprintf("令和%d年度（%d年度）", fy-2018, fy)
	case fy >= 1989:
		return fmt.Sprintf("平成%d年度（%d年度）", fy-1988, fy)
	}
	return fmt.Sprintf("%d年度", fy)
}

// annualReport asks for the fiscal year (among those with runs) and the
// options, then where to save the 年間総括.
func (v *MainView) annualReport() {
	v.fetch(func(ctx context.Context) func() {
		years, err := v.eng.FiscalYears(ctx)
		return func() {
			if err != nil {
				v.showError("点検の記録を読み込めませんでした。", err)
				return
			}
			if len(years) == 0 {
				dialog.ShowInformation("年間総括", "まだ点検を実行していません。年間総括は、その年度に行った点検をまとめたものです。", v.win)
				return
			}
			v.askAnnual(years)
		}
	})
}

func (v *MainView) askAnnual(years []int) {
	labels := make([]string, len(years))
	for i, y := range years {
		labels[i] = fiscalYearLabel(y)
	}
	year := widget.NewSelect(labels, nil)
	year.SetSelectedIndex(0)
	extra := []*widget.FormItem{{Text: "年度", Widget: year, HintText: "点検を行った年度だけが並びます（4月から翌年3月まで）"}}
	v.reportOptionsDialog("年間総括の設定", extra, nil, false, func(c reportChoices) {
		fy := years[max(year.SelectedIndex(), 0)]
		name := "年間総括_" + strings.SplitN(fiscalYearLabel(fy), "（", 2)[0] + ".pdf"
		v.pickSave("年間総括の保存先", name, func(path string) { v.writeAnnual(fy, path, c) })
	})
}

// writeAnnual writes the 年間総括 of fy.
func (v *MainView) writeAnnual(fy int, path string, c reportChoices) {
	v.start(job{
		title: "年間総括を作成しています",
		fail:  "年間総括を保存できませんでした。",
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			err := v.eng.WriteAnnualReport(ctx, fy, path, reportOptions(c), progress)
			if err != nil {
				removeIfEmpty(path)
			}
			return err
		},
		done: func() {
			v.setStatus("年間総括（" + fiscalYearLabel(fy) + "）を保存しました：" + path)
			v.offerOpen("年間総括を保存しました", path, "")
		},
	})
}

// backupFileName is the proposed name of a backup: 点検バックアップ_20240702.db.
func backupFileName(now time.Time) string {
	return "点検バックアップ_" + now.Format("20060102") + ".db"
}

// backup writes a copy of the workspace's database to a chosen file.
func (v *MainView) backup() {
	v.pickSave("バックアップの保存先", backupFileName(v.now()), func(path string) {
		v.start(job{
			title: "バックアップしています",
			fail:  "バックアップできませんでした。",
			work: func(ctx context.Context, progress workspace.ProgressFunc) error {
				progress(workspace.Progress{Message: baseName(path) + " に書き出しています"})
				// The save dialog created the file empty; the engine
				// refuses to write over an existing file.
				removeIfEmpty(path)
				return v.eng.Backup(ctx, path)
			},
			done: func() {
				v.setStatus("バックアップを保存しました：" + path)
				v.offerOpen("バックアップを保存しました", path,
					"取り込んだログ・マスタ・ヒアリングシート・点検結果・確認の記録・監査ログのすべてが入っています。USBメモリなどに移すときは、庁内の規程に従って保管してください。")
			},
		})
	})
}

// canRestore says whether the view can close and reopen its workspace.
func (v *MainView) canRestore() bool { return v.closeWorkspace != nil && v.reopen != nil }

// restore asks for a backup file, confirms twice over what it replaces,
// then closes the workspace, restores the backup into its folder and
// opens it again.
func (v *MainView) restore() {
	if !v.canRestore() {
		return
	}
	v.pickFile("復元するバックアップを選ぶ", nil, func(path string) {
		v.confirmRestore(path)
	})
}

// confirmRestore is the strong confirmation: the button stays disabled
// until the user ticks that the current data will be replaced.
func (v *MainView) confirmRestore(path string) {
	var d *dialog.CustomDialog
	ok := widget.NewButtonWithIcon("復元する", theme.WarningIcon(), nil)
	ok.Importance = widget.DangerImportance
	ok.Disable()
	understood := widget.NewCheck("いまの作業フォルダのデータが、バックアップの時点の内容に置き換わることを理解しました", func(on bool) {
		if on {
			ok.Enable()
		} else {
			ok.Disable()
		}
	})
	cancel := widget.NewButton("やめる", func() { d.Hide() })
	ok.OnTapped = func() {
		d.Hide()
		v.runRestore(path)
	}
	warn := paragraph("バックアップの後に取り込んだログ、編集したマスタ、記録した確認結果や除外は、復元すると作業フォルダから消えます。")
	warn.Importance = widget.DangerImportance
	body := container.NewVBox(
		widget.NewForm(
			&widget.FormItem{Text: "バックアップ", Widget: paragraph(path)},
			&widget.FormItem{Text: "復元先", Widget: paragraph(v.dir)},
		),
		warn,
		smallText("いまのデータベースは、作業フォルダに「tenken.db.replaced-（日時）.bak」として残ります。復元したことは監査ログに記録されます。"),
		understood,
	)
	d = dialog.NewCustomWithoutButtons("バックアップから復元しますか？", body, v.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(v.dialogSize(760, d.MinSize().Height))
	d.Show()
}

// runRestore closes the workspace, restores and reopens it. The view is
// replaced by the reopened workspace's; the outcome is shown on top.
func (v *MainView) runRestore(path string) {
	var restoreErr error
	v.start(job{
		title:    "バックアップから復元しています",
		noReload: true,
		work: func(ctx context.Context, progress workspace.ProgressFunc) error {
			progress(workspace.Progress{Message: "作業フォルダを閉じています"})
			if restoreErr = v.closeWorkspace(); restoreErr != nil {
				return nil
			}
			progress(workspace.Progress{Message: baseName(path) + " を確かめて復元しています"})
			restoreErr = v.restoreDB(context.WithoutCancel(ctx), path, v.dir)
			return nil
		},
		done: func() {
			win := v.win
			v.reopen()
			if restoreErr != nil {
				dialog.ShowError(fmt.Errorf("復元できませんでした。\n%w", restoreErr), win)
				return
			}
			dialog.ShowInformation("復元しました", "バックアップ「"+baseName(path)+"」の内容に戻しました。", win)
		},
	})
}
