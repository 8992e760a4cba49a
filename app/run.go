// Package app is the Fyne face of Tenken: a window that drives the engine in
// tenken/internal/workspace. It holds no domain logic; every figure it shows
// comes from the workspace, and every long operation runs off the UI
// goroutine with a progress dialog that can cancel it.
//
// Only this file imports fyne.io/fyne/v2/app (the real driver); the rest of
// the package runs under Fyne's test driver.
package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/assets"
	"tenken/internal/workspace"
)

// AppID is the application's unique ID (preferences, storage).
const AppID = "jp.lg.tenken"

// Run opens the workspace in dir (the default workspace when dir is empty)
// and shows Tenken's window until the user closes it. When the workspace
// cannot be opened, the window says why and offers to choose another folder.
func Run(dir string) {
	a := fyneapp.NewWithID(AppID)
	setupLanguage()
	a.Settings().SetTheme(NewTheme())
	icon := fyne.NewStaticResource("icon.png", assets.Icon)
	a.SetIcon(icon)

	w := a.NewWindow("点検")
	w.SetIcon(icon)
	// Fits a 1366×768 screen with the Windows taskbar; larger screens get
	// the same size, centred, and the user may maximise.
	w.Resize(fyne.NewSize(1320, 700))
	w.CenterOnScreen()
	w.SetMaster()

	var ws *workspace.Workspace
	defer func() {
		if ws != nil {
			if err := ws.Close(); err != nil {
				fyne.LogError("closing the workspace", err)
			}
		}
	}()
	var show func(dir string)
	show = func(dir string) {
		opened, err := openWorkspace(dir)
		if err != nil {
			w.SetContent(openFailed(err, w, func() { chooseFolder(w, show) }))
			dialog.ShowError(fmt.Errorf("作業フォルダを開けませんでした。\n%w", err), w)
			return
		}
		ws = opened
		v := NewMainView(w, ws.Dir, NewEngine(ws))
		v.SetReopen(func() error {
			err := ws.Close()
			ws = nil
			return err
		}, func() { show(opened.Dir) })
		w.SetContent(v.Content())
		w.SetCloseIntercept(v.RequestClose)
		w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { v.HandleDrop(uris) })
		v.Refresh()
	}
	show(dir)
	w.ShowAndRun()
}

// openWorkspace opens dir, or the default workspace when dir is empty.
func openWorkspace(dir string) (*workspace.Workspace, error) {
	if dir == "" {
		d, err := workspace.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return workspace.Open(dir)
}

// openFailed is the window's content when there is no workspace to show.
func openFailed(err error, w fyne.Window, choose func()) fyne.CanvasObject {
	return container.NewPadded(container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.ErrorIcon()), heading("作業フォルダを開けませんでした", theme.SizeNameSubHeadingText)),
		paragraph(err.Error()),
		paragraph("別の作業フォルダを選ぶか、いったん終了してください。"),
		container.NewHBox(
			widget.NewButtonWithIcon("別のフォルダを選ぶ", theme.FolderOpenIcon(), choose),
			widget.NewButton("終了", w.Close),
		),
	))
}

// chooseFolder asks for a workspace folder and hands it to open.
func chooseFolder(w fyne.Window, open func(dir string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("フォルダを開けませんでした。\n%w", err), w)
			return
		}
		if u != nil {
			open(u.Path())
		}
	}, w)
	d.SetTitleText("作業フォルダを選ぶ")
	d.SetConfirmText("選択")
	d.SetDismissText("キャンセル")
	d.Resize(fyne.NewSize(860, 560))
	d.Show()
}
