package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

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
	// rate shows the speed (rows per second) and elapsed time.
	rate bool
	// noReload skips the reload after work: the restore closes the
	// workspace, and done replaces the view.
	noReload bool
}

// snapshot is what the view shows of the workspace, loaded off the UI
// goroutine after every job. Each part carries its own error, so one
// failing query (or an engine method not there yet) leaves the rest shown.
type snapshot struct {
	summary    workspace.Summary
	summaryErr error
	findings   []domain.Finding
	findErr    error

	hearing    map[string]string
	hearingErr error
	staff      []domain.Staff
	staffErr   error
	grants     []domain.Grant
	grantsErr  error
	watch      []domain.WatchEntry
	watchErr   error
	overtime   []domain.Overtime
	otErr      error
	ranking    []domain.RankEntry
	rankErr    error
	reviews    map[domain.FindingKey]domain.Review
	reviewErr  error
	exclusions []domain.Exclusion
	exclErr    error
	concerns   map[int64][]string // warnings per exclusion ID (the Iwate lesson)
	audit      []domain.AuditEntry
	auditErr   error
	coverage   []workspace.SystemCoverage
	covErr     error
}

// load reads everything the view shows. The masters, reviews and audit log
// of a town are small next to its logs, so they are simply read again.
func load(ctx context.Context, eng Engine) snapshot {
	var s snapshot
	s.summary, s.summaryErr = eng.Summary(ctx)
	if s.summaryErr == nil && s.summary.LastRun != nil {
		s.findings, s.findErr = eng.Findings(ctx)
		s.ranking, s.rankErr = eng.Ranking(ctx)
	}
	s.hearing, s.hearingErr = eng.HearingValues(ctx)
	s.staff, s.staffErr = eng.Staff(ctx)
	s.grants, s.grantsErr = eng.Grants(ctx)
	s.watch, s.watchErr = eng.Watchlist(ctx)
	s.overtime, s.otErr = eng.Overtime(ctx)
	s.reviews, s.reviewErr = eng.Reviews(ctx)
	s.exclusions, s.exclErr = eng.Exclusions(ctx)
	if s.exclErr == nil && len(s.exclusions) > 0 {
		// A failure here only loses the warnings; the list still shows.
		s.concerns, _ = eng.ExclusionConcerns(ctx)
	}
	s.audit, s.auditErr = eng.AuditLog(ctx)
	if s.summaryErr == nil && s.summary.Files > 0 {
		s.coverage, s.covErr = eng.Coverage(ctx)
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
		pd.rate = j.rate
		pd.started = time.Now()
		pd.show()
	}
	co := &coalescer{apply: func(p workspace.Progress) {
		if pd != nil {
			pd.set(p)
		}
	}}
	sink := &progressSink{forward: co.post}

	v.bg.Add(1)
	go func() {
		var err error
		if j.work != nil {
			err = j.work(ctx, sink.report)
		}

		canceled := err != nil && (errors.Is(err, context.Canceled) || ctx.Err() != nil)
		// The reload must not inherit the cancellation.
		var snap snapshot
		if !j.noReload {
			snap = load(context.Background(), v.eng)
		}

		fyne.Do(func() {
			defer v.bg.Done()
			cancel()
			if pd != nil {
				pd.hide()
			}
			v.busy = false
			v.cancel = nil
			if !j.noReload {
				v.apply(snap)
			}
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

// fetch reads something for the view off the UI goroutine, without the
// progress dialog or disabling the buttons: work returns what to do with
// the result on the UI goroutine.
func (v *MainView) fetch(work func(ctx context.Context) func()) {
	v.bg.Add(1)
	go func() {
		apply := work(context.Background())
		fyne.Do(func() {
			defer v.bg.Done()
			if apply != nil {
				apply()
			}
		})
	}()
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
	speed     *widget.Label
	rate      bool
	started   time.Time
	bar       *widget.ProgressBar
	endless   *widget.ProgressBarInfinite
	cancelBtn *widget.Button
	canceling bool
}

func newProgressDialog(title string, cancel context.CancelFunc, w fyne.Window) *progressDialog {
	pd := &progressDialog{
		message: paragraph("準備しています…"),
		speed:   widget.NewLabel(""),
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
	pd.speed.Importance = widget.LowImportance
	content := container.NewVBox(pd.message, container.NewStack(pd.bar, pd.endless), pd.speed)
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
	if pd.rate {
		pd.speed.SetText(speedText(p, time.Since(pd.started)))
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

// speedText writes the rows read so far, the speed and the elapsed time of
// an import: 120,000 行（毎秒 85,000 行）・経過 1 秒.
func speedText(p workspace.Progress, elapsed time.Duration) string {
	secs := int(elapsed.Seconds())
	rows, ok := rowsOf(p)
	if !ok || rows <= 0 || elapsed <= 0 {
		return fmt.Sprintf("経過 %d 秒", secs)
	}
	perSec := int64(float64(rows) / elapsed.Seconds())
	return fmt.Sprintf("%s 行（毎秒 %s 行）・経過 %d 秒", formatInt(rows), formatInt(perSec), secs)
}

// rowsOf returns the rows an import has read so far, when its progress
// report carries them.
func rowsOf(p workspace.Progress) (int64, bool) { return p.Rows, p.Rows > 0 }

// progressInterval is the least time between two updates of the progress
// dialog. Each update repaints the window; an import reporting a thousand
// steps a second would otherwise keep the UI goroutine painting.
const progressInterval = 200 * time.Millisecond

// coalescer hands progress reports to the UI goroutine at most once per
// progressInterval, always the latest one: a report that arrives while
// one is pending replaces it.
type coalescer struct {
	apply func(workspace.Progress) // runs on the UI goroutine

	mu      sync.Mutex
	latest  workspace.Progress
	pending bool
	last    time.Time
}

// post may be called from any goroutine. fyne.Do is called without the
// lock held: a driver may run the function at once (the test driver does).
func (c *coalescer) post(p workspace.Progress) {
	c.mu.Lock()
	c.latest = p
	if c.pending {
		c.mu.Unlock()
		return
	}
	c.pending = true
	wait := progressInterval - time.Since(c.last)
	c.mu.Unlock()
	if wait <= 0 {
		fyne.Do(c.flush)
		return
	}
	time.AfterFunc(wait, func() { fyne.Do(c.flush) })
}

// flush runs on the UI goroutine.
func (c *coalescer) flush() {
	c.mu.Lock()
	p := c.latest
	c.pending = false
	c.last = time.Now()
	c.mu.Unlock()
	c.apply(p)
}
