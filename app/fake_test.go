package app

import (
	"context"
	"fmt"
	"net/url"
	"os"
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

	// State of the newer screens; the fake keeps what the view writes so
	// a flow sees its own changes after the reload.
	hearing    map[string]string
	staff      []domain.Staff
	grants     []domain.Grant
	watch      []domain.WatchEntry
	overtime   []domain.Overtime
	ranking    []domain.RankEntry
	rankErr    error
	reviews    map[domain.FindingKey]domain.Review
	exclusions []domain.Exclusion
	concerns   map[int64][]string
	audit      []domain.AuditEntry
	heat       [7][24]int
	verify     *workspace.VerifyReport
	setHearing func(kv map[string]string) error

	previewLog    func(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error)
	previewMaster func(ctx context.Context, kind workspace.MasterKind, path string) (*workspace.MasterPreview, error)
	saveMapping   func(system string, kind domain.LogKind, cols []workspace.ColumnChoice) error
	reportOpt     workspace.ReportOptions
	coverage      []workspace.SystemCoverage

	years    []int
	versions map[string][]domain.Staff
	// export and backup write these bytes to the file they are given.
	exportData, backupData string
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
		if !readCalls[strings.Fields(c)[0]] {
			out = append(out, c)
		}
	}
	return out
}

// readCalls are the engine's reads the view makes on every reload; Calls
// leaves them out so tests see what the user's actions did.
var readCalls = map[string]bool{
	"Summary": true, "Findings": true, "HearingValues": true, "Staff": true, "Grants": true, "Watchlist": true, "Overtime": true,
	"Ranking": true, "Reviews": true, "Exclusions": true, "ExclusionConcerns": true, "AuditLog": true, "Heatmap": true,
	"PreviewLog": true, "PreviewMaster": true, "Coverage": true,
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
	return f.WriteReportWith(ctx, out, workspace.ReportOptions{}, p)
}

func (f *fakeEngine) WriteReportWith(ctx context.Context, out string, opt workspace.ReportOptions, p workspace.ProgressFunc) error {
	f.record("WriteReport %s", out)
	f.mu.Lock()
	f.reportOpt = opt
	f.mu.Unlock()
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

// audited appends an audit entry, as the engine does for every change.
// The caller holds f.mu.
func (f *fakeEngine) audited(action, target, after string) {
	f.audit = append(f.audit, domain.AuditEntry{Seq: int64(len(f.audit) + 1), At: time.Date(2024, 7, 2, 15, 0, 0, 0, time.UTC),
		User: "総務 一郎", Action: action, Target: target, After: after})
}

func (f *fakeEngine) HearingValues(ctx context.Context) (map[string]string, error) {
	f.record("HearingValues")
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for k, v := range f.hearing {
		out[k] = v
	}
	return out, nil
}

func (f *fakeEngine) SetHearing(ctx context.Context, kv map[string]string) error {
	f.record("SetHearing")
	if f.setHearing != nil {
		if err := f.setHearing(kv); err != nil {
			return err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hearing = kv
	f.audited("hearing.set", "hearing", fmt.Sprint(kv))
	return nil
}

func (f *fakeEngine) PreviewLog(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error) {
	f.record("PreviewLog %s", path)
	if f.previewLog == nil {
		return nil, errNotAvailable
	}
	return f.previewLog(ctx, path, opt)
}

func (f *fakeEngine) SaveMapping(ctx context.Context, system string, kind domain.LogKind, cols []workspace.ColumnChoice) error {
	var m []string
	for _, c := range cols {
		m = append(m, c.Header+"="+c.Field)
	}
	f.record("SaveMapping %s %s", system, strings.Join(m, ","))
	if f.saveMapping != nil {
		return f.saveMapping(system, kind, cols)
	}
	return nil
}

func (f *fakeEngine) PreviewMaster(ctx context.Context, kind workspace.MasterKind, path string) (*workspace.MasterPreview, error) {
	f.record("PreviewMaster %s", path)
	if f.previewMaster == nil {
		return nil, errNotAvailable
	}
	return f.previewMaster(ctx, kind, path)
}

func (f *fakeEngine) Staff(ctx context.Context) ([]domain.Staff, error) {
	f.record("Staff")
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]domain.Staff(nil), f.staff...), nil
}

func (f *fakeEngine) SaveStaff(ctx context.Context, s domain.Staff, by string) error {
	f.record("SaveStaff %s %s by=%s", s.ID, s.Name, by)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.staff {
		if f.staff[i].ID == s.ID {
			f.staff[i] = s
			f.audited("master.staff.edit", s.ID, s.Name)
			return nil
		}
	}
	f.staff = append(f.staff, s)
	f.audited("master.staff.edit", s.ID, s.Name)
	return nil
}

func (f *fakeEngine) Grants(ctx context.Context) ([]domain.Grant, error) {
	f.record("Grants")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.grants, nil
}

func (f *fakeEngine) Watchlist(ctx context.Context) ([]domain.WatchEntry, error) {
	f.record("Watchlist")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.watch, nil
}

func (f *fakeEngine) Overtime(ctx context.Context) ([]domain.Overtime, error) {
	f.record("Overtime")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overtime, nil
}

func (f *fakeEngine) Ranking(ctx context.Context) ([]domain.RankEntry, error) {
	f.record("Ranking")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ranking, f.rankErr
}

func (f *fakeEngine) Heatmap(ctx context.Context, staffID string, from, to time.Time) ([7][24]int, error) {
	f.record("Heatmap %s", staffID)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.heat, nil
}

func (f *fakeEngine) Reviews(ctx context.Context) (map[domain.FindingKey]domain.Review, error) {
	f.record("Reviews")
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[domain.FindingKey]domain.Review{}
	for k, v := range f.reviews {
		out[k] = v
	}
	return out, nil
}

func (f *fakeEngine) SetReview(ctx context.Context, key domain.FindingKey, status domain.ReviewStatus, comment, by string) error {
	f.record("SetReview %s/%s/%s %s %q by=%s", key.Rule, key.StaffID, key.Date, status.Label(), comment, by)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reviews == nil {
		f.reviews = map[domain.FindingKey]domain.Review{}
	}
	f.reviews[key] = domain.Review{Key: key, Status: status, Comment: comment, By: by, At: time.Date(2024, 7, 2, 15, 0, 0, 0, time.UTC)}
	f.audited("review.set", key.Rule+"/"+key.StaffID+"/"+key.Date, status.Label()+" "+comment)
	return nil
}

func (f *fakeEngine) ExclusionConcerns(ctx context.Context) (map[int64][]string, error) {
	f.record("ExclusionConcerns")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.concerns, nil
}

func (f *fakeEngine) Exclusions(ctx context.Context) ([]domain.Exclusion, error) {
	f.record("Exclusions")
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]domain.Exclusion(nil), f.exclusions...), nil
}

func (f *fakeEngine) Exclude(ctx context.Context, x domain.Exclusion) (domain.Exclusion, error) {
	f.record("Exclude %s %s %q by=%s", x.Kind, x.StaffID, x.Reason, x.By)
	f.mu.Lock()
	defer f.mu.Unlock()
	x.ID = int64(len(f.exclusions) + 1)
	x.At = time.Date(2024, 7, 2, 15, 0, 0, 0, time.UTC)
	f.exclusions = append(f.exclusions, x)
	f.audited("exclusion.add", x.StaffID, x.Reason)
	return x, nil
}

func (f *fakeEngine) RevokeExclusion(ctx context.Context, id int64, reason, by string) error {
	f.record("RevokeExclusion %d %q by=%s", id, reason, by)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.exclusions {
		if f.exclusions[i].ID == id {
			t := time.Date(2024, 7, 3, 0, 0, 0, 0, time.UTC)
			f.exclusions[i].Revoked = &t
		}
	}
	f.audited("exclusion.revoke", fmt.Sprint(id), reason)
	return nil
}

func (f *fakeEngine) AuditLog(ctx context.Context) ([]domain.AuditEntry, error) {
	f.record("AuditLog")
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]domain.AuditEntry(nil), f.audit...), nil
}

func (f *fakeEngine) Verify(ctx context.Context) (*workspace.VerifyReport, error) {
	f.record("Verify")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.verify == nil {
		return &workspace.VerifyReport{Checks: []workspace.VerifyCheck{{Name: "監査ログのハッシュ連鎖", OK: true, Detail: "0 件の記録を確かめました。"}}}, nil
	}
	return f.verify, nil
}

func (f *fakeEngine) User() string { return "総務 一郎" }

func (f *fakeEngine) Export(ctx context.Context, format, out string) error {
	f.record("Export %s %s", format, out)
	return os.WriteFile(out, []byte(f.exportData), 0o600)
}

func (f *fakeEngine) FiscalYears(ctx context.Context) ([]int, error) {
	f.record("FiscalYears")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.years, nil
}

func (f *fakeEngine) WriteAnnualReport(ctx context.Context, fy int, out string, opt workspace.ReportOptions, p workspace.ProgressFunc) error {
	f.record("WriteAnnualReport %d %s era=%s", fy, out, opt.Era)
	return os.WriteFile(out, []byte("%PDF-annual"), 0o600)
}

func (f *fakeEngine) Backup(ctx context.Context, out string) error {
	f.record("Backup %s", out)
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists", out)
	}
	return os.WriteFile(out, []byte(f.backupData), 0o600)
}

func (f *fakeEngine) StaffVersions(ctx context.Context, id string) ([]domain.Staff, error) {
	f.record("StaffVersions %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.versions[id], nil
}

func (f *fakeEngine) Coverage(ctx context.Context) ([]workspace.SystemCoverage, error) {
	f.record("Coverage")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.coverage, nil
}

func (f *fakeEngine) Rules() []RuleInfo {
	return []RuleInfo{
		{ID: "AFTER_HOURS", Name: "勤務時間外の利用", Description: "勤務時間の外に行われた操作を示します。", Threshold: "勤務時間 8:30〜17:15", Implemented: true},
		{ID: "BULK_EXPORT", Name: "大量の出力", Description: "一度に多くの件数を出力した操作を示します。", Implemented: true,
			Params: []RuleParam{{Key: "records", Label: "1回の出力件数（以上）", Default: "1000"}}},
		{ID: "WATCHLIST", Name: "要注意対象者の閲覧", Description: "閲覧を認められた所属以外の照会を示します。"},
	}
}

func (f *fakeEngine) ReportSections() []ReportSection {
	return []ReportSection{{"overview", "概要"}, {"usage", "アカウント別利用状況"}, {"details", "職員別の詳細"}}
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
