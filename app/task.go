package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// job is one piece of work the engine does off the UI goroutine.
type job struct {
	title string // title of the progress dialog; "" runs without one
	fail  string // first sentence of the error dialog, e.g. 「点検できませんでした。」
	// work runs on its own goroutine; nil only reloads the view.
	work func(ctx context.Context, progress workspace.ProgressFunc) error
	// done runs on the UI goroutine after work succeeded and the view
	// shows the new state of the workspace.
	done func()
}

// snapshot is what the view shows of the workspace, loaded off the UI
// goroutine after every job.
type snapshot struct {
	summary    workspace.Summary
	summaryErr error
	findings   []domain.Finding
	findErr    error
}

// load reads the summary and, when there was a run, its findings.
func load(ctx context.Context, eng Engine) snapshot {
	var s snapshot
	s.summary, s.summaryErr = eng.Summary(ctx)
	if s.summaryErr == nil && s.summary.LastRun != nil {
		s.findings, s.findErr = eng.Findings(ctx)
	}
	return s
}

// start runs j unless another job is running (the buttons are disabled
// then, so a second start means a double click and is ignored). While it
// runs, the buttons are disabled and, for a titled job, a modal progress
// dialog with a キャンセル button shows what the engine reports. Whatever
// the outcome, the view is reloaded afterwards: a cancelled import may
// have committed some files.
func (v *MainView) start(j job) bool {
	if v.busy {
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.busy = true
	v.cancel = cancel
	v.updateButtons()

	var pd *progressDialog
	if j.title != "" {
		pd = newProgressDialog(j.title, cancel, v.win)
		pd.show()
	}
	sink := &progressSink{forward: func(p workspace.Progress) {
		fyne.Do(func() {
			if pd != nil {
				pd.set(p)
			}
		})
	}}

	v.bg.Add(1)
	go func() {
		var err error
		if j.work != nil {
			err = j.work(ctx, sink.report)
		}
		canceled := err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil)
		// The reload must not inherit the cancellation.
		snap := load(context.Background(), v.eng)
		fyne.Do(func() {
			defer v.bg.Done()
			cancel()
			if pd != nil {
				pd.hide()
			}
			v.busy = false
			v.cancel = nil
			v.apply(snap)
			switch {
			case err == nil:
				if j.done != nil {
					j.done()
				}
			case canceled:
				v.setStatus("キャンセルしました。")
			default:
				v.showError(j.fail, err)
			}
			if v.closeWhenIdle {
				v.win.Close()
			}
		})
	}()
	return true
}

// showError shows err in a dialog after a sentence saying what failed.
func (v *MainView) showError(lead string, err error) {
	if lead != "" {
		err = fmt.Errorf("%s\n%w", lead, err)
	}
	v.setStatus(firstLine(err.Error()))
	dialog.ShowError(err, v.win)
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// progressSink forwards the engine's progress reports to the UI, dropping
// those that would not change what is shown: an import may report every
// few kilobytes, and each forwarded report costs a redraw.
type progressSink struct {
	forward func(workspace.Progress)

	mu   sync.Mutex
	last progressKey
	sent bool
}

// progressKey is what the dialog shows of a report.
type progressKey struct {
	message  string
	known    bool  // Total > 0: a bar with a percentage, else an endless bar
	permille int64 // Done/Total in tenths of a percent
}

func keyOf(p workspace.Progress) progressKey {
	k := progressKey{message: p.Message, known: p.Total > 0}
	if k.known {
		done := min(max(p.Done, 0), p.Total)
		k.permille = done * 1000 / p.Total
	}
	return k
}

// report is the workspace.ProgressFunc handed to the engine; it may be
// called from any goroutine.
func (s *progressSink) report(p workspace.Progress) {
	k := keyOf(p)
	s.mu.Lock()
	changed := !s.sent || k != s.last
	s.last, s.sent = k, true
	s.mu.Unlock()
	if changed {
		s.forward(p)
	}
}

// progressDialog is the modal dialog of a running job.
type progressDialog struct {
	dlg       *dialog.CustomDialog
	message   *widget.Label
	bar       *widget.ProgressBar
	endless   *widget.ProgressBarInfinite
	cancelBtn *widget.Button
	canceling bool
}

func newProgressDialog(title string, cancel context.CancelFunc, w fyne.Window) *progressDialog {
	pd := &progressDialog{
		message: paragraph("準備しています…"),
		bar:     widget.NewProgressBar(),
		endless: widget.NewProgressBarInfinite(),
	}
	pd.bar.Hide()
	pd.cancelBtn = widget.NewButtonWithIcon("キャンセル", theme.CancelIcon(), func() {
		// Update the dialog before cancelling: once cancelled, the job's
		// goroutine may finish and close it at any moment.
		pd.canceling = true
		pd.cancelBtn.Disable()
		pd.message.SetText("キャンセルしています…")
		cancel()
	})
	content := container.NewVBox(pd.message, container.NewStack(pd.bar, pd.endless))
	pd.dlg = dialog.NewCustomWithoutButtons(title, content, w)
	pd.dlg.SetButtons([]fyne.CanvasObject{pd.cancelBtn})
	pd.dlg.Resize(fyne.NewSize(480, pd.dlg.MinSize().Height))
	return pd
}

func (pd *progressDialog) show() {
	pd.dlg.Show()
	pd.endless.Start()
}

func (pd *progressDialog) hide() {
	pd.endless.Stop()
	pd.dlg.Hide()
}

// set shows a progress report: a percentage when the total is known, an
// endless bar otherwise.
func (pd *progressDialog) set(p workspace.Progress) {
	if p.Message != "" && !pd.canceling {
		pd.message.SetText(p.Message)
	}
	if p.Total > 0 {
		pd.endless.Stop()
		pd.endless.Hide()
		pd.bar.Show()
		pd.bar.SetValue(float64(min(max(p.Done, 0), p.Total)) / float64(p.Total))
		return
	}
	pd.bar.Hide()
	pd.endless.Show()
	pd.endless.Start()
}
