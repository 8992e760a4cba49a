package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// fakeEngine is an Engine whose answers the test sets. Its methods run on
// job goroutines, so everything it records is guarded.
type fakeEngine struct {
	mu         sync.Mutex
	summary    workspace.Summary
	summaryErr error
	findings   []domain.Finding
	calls      []string

	importLog    func(ctx context.Context, path string, opt workspace.ImportOptions, p workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error)
	importMaster func(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error)
	inspect      func(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error)
	writeReport  func(ctx context.Context, out string, p workspace.ProgressFunc) error
	loadSample   func(ctx context.Context, p workspace.ProgressFunc) (workspace.SampleResult, error)
}

var _ Engine = (*fakeEngine)(nil)

func (f *fakeEngine) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

// Calls returns the calls made so far, Summary and Findings left out.
func (f *fakeEngine) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if c != "Summary" && c != "Findings" {
			out = append(out, c)
		}
	}
	return out
}

// set replaces what Summary and Findings return.
func (f *fakeEngine) set(s workspace.Summary, fs []domain.Finding) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.summary, f.findings = s, fs
}

func (f *fakeEngine) Summary(ctx context.Context) (workspace.Summary, error) {
	f.record("Summary")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.summary, f.summaryErr
}

func (f *fakeEngine) Findings(ctx context.Context) ([]domain.Finding, error) {
	f.record("Findings")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.findings, nil
}

func (f *fakeEngine) ImportLog(ctx context.Context, path string, opt workspace.ImportOptions, p workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
	f.record("ImportLog %s system=%s kind=%s", path, opt.System, opt.Kind)
	if f.importLog == nil {
		return domain.ImportBatch{File: path, System: opt.System}, nil, nil
	}
	return f.importLog(ctx, path, opt, p)
}

func (f *fakeEngine) ImportMaster(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error) {
	f.record("ImportMaster %s %s", kind, path)
	if f.importMaster == nil {
		return workspace.MasterResult{Kind: kind, File: path}, nil
	}
	return f.importMaster(ctx, kind, path)
}

func (f *fakeEngine) Inspect(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error) {
	f.record("Inspect zero=%v", from.IsZero() && to.IsZero())
	if f.inspect == nil {
		return domain.Run{}, nil
	}
	return f.inspect(ctx, from, to, p)
}

func (f *fakeEngine) WriteReport(ctx context.Context, out string, p workspace.ProgressFunc) error {
	f.record("WriteReport %s", out)
	if f.writeReport == nil {
		return nil
	}
	return f.writeReport(ctx, out, p)
}

func (f *fakeEngine) LoadSample(ctx context.Context, p workspace.ProgressFunc) (workspace.SampleResult, error) {
	f.record("LoadSample")
	if f.loadSample == nil {
		return workspace.SampleResult{}, nil
	}
	return f.loadSample(ctx, p)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// populatedSummary is a town three months into its logs, inspected once.
func populatedSummary() workspace.Summary {
	return workspace.Summary{
		Town:     "山里町",
		Files:    3,
		Rows:     12345,
		Rejected: 12,
		From:     day(2024, 4, 1),
		To:       day(2024, 6, 30),
		Staff:    48,
		Grants:   120,
		LastRun: &domain.Run{ID: 7, From: day(2024, 4, 1), To: day(2024, 6, 30),
			At: time.Date(2024, 7, 1, 10, 23, 0, 0, time.UTC), Findings: 9},
		FindingsByRule: map[string]int{"AFTER_HOURS": 4, "HOLIDAY": 2, "RETIRED_ID": 1, "UNKNOWN_ID": 1, "BULK_EXPORT": 1},
		Batches: []domain.ImportBatch{
			{ID: 1, File: "/data/住民記録_202404.csv", System: "住民記録", Kind: domain.KindAccess, Read: 5010, Accepted: 5000, Rejected: 10,
				ImportedAt: time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)},
			{ID: 2, File: `C:\logs\税務_2024Q1.csv`, System: "税務", Kind: domain.KindAccess, Read: 4347, Accepted: 4345, Rejected: 2,
				ImportedAt: time.Date(2024, 7, 1, 9, 5, 0, 0, time.UTC)},
			{ID: 3, File: "/data/資産管理ログ.tsv", System: "資産管理", Kind: domain.KindEndpoint, Read: 3300, Accepted: 3000, Duplicate: 300,
				ImportedAt: time.Date(2024, 7, 1, 9, 10, 0, 0, time.UTC)},
		},
	}
}

// populatedFindings are the nine findings of populatedSummary's run.
func populatedFindings() []domain.Finding {
	ev := []domain.Event{{Time: time.Date(2024, 4, 6, 22, 14, 5, 0, time.UTC), StaffID: "S0012", System: "住民記録",
		Function: "住民票照会", Action: domain.ActionLookup, RawAction: "照会", SubjectID: "000123456789", Terminal: "PC-023", Records: 1}}
	return []domain.Finding{
		{ID: 1, RunID: 7, Rule: "RETIRED_ID", StaffID: "S0099", Date: "2024-05-02", Severity: domain.High, Count: 3, Detail: "離任日（2024年3月31日）の後に、このIDで3回の操作がありました。"},
		{ID: 2, RunID: 7, Rule: "UNKNOWN_ID", StaffID: "admin2", Date: "2024-05-10", Severity: domain.High, Count: 5, Detail: "職員マスタにないIDです。"},
		{ID: 3, RunID: 7, Rule: "AFTER_HOURS", StaffID: "S0012", Date: "2024-04-06", Severity: domain.Medium, Count: 12, Detail: "22時14分から勤務時間外に12回照会しました。", Evidence: ev},
		{ID: 4, RunID: 7, Rule: "AFTER_HOURS", StaffID: "S0013", Date: "2024-04-08", Severity: domain.Medium, Count: 2, Detail: "勤務時間外の照会です。"},
		{ID: 5, RunID: 7, Rule: "AFTER_HOURS", StaffID: "S0014", Date: "2024-04-09", Severity: domain.Low, Count: 1, Detail: "勤務時間外の照会です。"},
		{ID: 6, RunID: 7, Rule: "AFTER_HOURS", StaffID: "S0015", Date: "2024-04-10", Severity: domain.Low, Count: 1, Detail: "勤務時間外の照会です。", Excluded: true},
		{ID: 7, RunID: 7, Rule: "HOLIDAY", StaffID: "S0020", Date: "2024-04-29", Severity: domain.Medium, Count: 4, Detail: "祝日（昭和の日）の操作です。"},
		{ID: 8, RunID: 7, Rule: "HOLIDAY", StaffID: "S0021", Date: "2024-05-03", Severity: domain.Low, Count: 1, Detail: "祝日（憲法記念日）の操作です。"},
		{ID: 9, RunID: 7, Rule: "BULK_EXPORT", StaffID: "S0030", Date: "2024-06-12", Severity: domain.High, Count: 1, Detail: "一度に1,200件を出力しました。"},
	}
}

// harness is a MainView in a test window over a fake engine.
type harness struct {
	t   *testing.T
	eng *fakeEngine
	win fyne.Window
	v   *MainView
	// picked answers the file dialogs.
	picked     string
	savedName  string
	openedURLs []string
}

const testDir = "/home/soumu/点検"

// newHarness builds the view, loads the fake's summary and waits for it.
func newHarness(t *testing.T, eng *fakeEngine) *harness {
	t.Helper()
	h := newHarnessFor(t, eng, testDir)
	h.eng = eng
	return h
}

// newHarnessFor builds the view over any engine.
func newHarnessFor(t *testing.T, eng Engine, dir string) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	setupLanguage()
	a.Settings().SetTheme(NewTheme())
	w := a.NewWindow("点検")
	h := &harness{t: t, win: w}
	h.v = NewMainView(w, dir, eng)
	h.v.now = func() time.Time { return time.Date(2024, 7, 2, 15, 4, 0, 0, time.UTC) }
	h.v.pickFile = func(_ string, _ []string, done func(string)) { done(h.picked) }
	h.v.pickSave = func(_, name string, done func(string)) {
		h.savedName = name
		done(h.picked)
	}
	h.v.openURL = func(u *url.URL) error {
		h.openedURLs = append(h.openedURLs, u.String())
		return nil
	}
	w.SetContent(h.v.Content())
	w.Resize(fyne.NewSize(1366, 768))
	h.v.Refresh()
	h.wait()
	return h
}

// wait blocks until the running job has finished and updated the view.
func (h *harness) wait() { h.v.bg.Wait() }

// top returns the topmost overlay (a dialog), or nil.
func (h *harness) top() fyne.CanvasObject { return h.win.Canvas().Overlays().Top() }

// walk visits the visible objects under o, depth first.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walk(child, visit)
		}
	}
}

// texts returns the texts of the visible labels, rich texts, buttons,
// entries and canvas texts under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *widget.Button:
			out = append(out, w.Text)
		case *canvas.Text:
			out = append(out, w.Text)
		}
	})
	return out
}

// screenText is every text shown: the window's content and its dialogs.
func (h *harness) screenText() string {
	all := texts(h.win.Content())
	for _, o := range h.win.Canvas().Overlays().List() {
		all = append(all, texts(o)...)
	}
	return strings.Join(all, "\n")
}

// assertShows fails unless every want is on screen.
func (h *harness) assertShows(wants ...string) {
	h.t.Helper()
	screen := h.screenText()
	for _, w := range wants {
		if !strings.Contains(screen, w) {
			h.t.Errorf("screen does not show %q", w)
		}
	}
}

// assertHides fails if any of texts is on screen.
func (h *harness) assertHides(unwanted ...string) {
	h.t.Helper()
	screen := h.screenText()
	for _, u := range unwanted {
		if strings.Contains(screen, u) {
			h.t.Errorf("screen shows %q, want it absent", u)
		}
	}
}

// buttons returns the visible buttons labelled text under o.
func buttons(o fyne.CanvasObject, text string) []*widget.Button {
	var out []*widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			out = append(out, b)
		}
	})
	return out
}

// button returns the first visible button labelled text, on the topmost
// dialog when one is shown, else in the window.
func (h *harness) button(text string) *widget.Button {
	h.t.Helper()
	root := h.top()
	if root == nil {
		root = h.win.Content()
	}
	bs := buttons(root, text)
	if len(bs) == 0 {
		h.t.Fatalf("no button %q on screen:\n%s", text, h.screenText())
	}
	return bs[0]
}

// tap taps the button labelled text and waits for any job it started.
func (h *harness) tap(text string) {
	h.t.Helper()
	test.Tap(h.button(text))
	h.wait()
}

// startJob taps the button labelled text and waits until the job it
// starts has called the engine (the fake closes started). It fails rather
// than hangs when no job starts or the job ends without calling it.
func (h *harness) startJob(text string, started <-chan struct{}) {
	h.t.Helper()
	test.Tap(h.button(text))
	if !h.v.Busy() {
		h.t.Fatalf("tapping %q started no job", text)
	}
	ended := make(chan struct{})
	go func() {
		h.wait()
		close(ended)
	}()
	select {
	case <-started:
	case <-ended:
		h.t.Fatalf("the job of %q ended without reaching the engine", text)
	}
}

// find returns the first visible object of type T under o.
func find[T fyne.CanvasObject](o fyne.CanvasObject) (T, bool) {
	var found T
	ok := false
	walk(o, func(o fyne.CanvasObject) {
		if t, is := o.(T); is && !ok {
			found, ok = t, true
		}
	})
	return found, ok
}
