package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// Engine is what the GUI needs from a workspace. *workspace.Workspace
// satisfies it through wsEngine; tests drive the view with a fake. Every
// method may be slow and is called off the UI goroutine, except User.
type Engine interface {
	Summary(ctx context.Context) (workspace.Summary, error)
	ImportLog(ctx context.Context, path string, opt workspace.ImportOptions, progress workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error)
	ImportMaster(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error)
	Inspect(ctx context.Context, from, to time.Time, progress workspace.ProgressFunc) (domain.Run, error)
	Findings(ctx context.Context) ([]domain.Finding, error)
	WriteReport(ctx context.Context, out string, progress workspace.ProgressFunc) error
	WriteReportWith(ctx context.Context, out string, opt workspace.ReportOptions, progress workspace.ProgressFunc) error
	LoadSample(ctx context.Context, progress workspace.ProgressFunc) (workspace.SampleResult, error)

	// The hearing sheet.
	HearingValues(ctx context.Context) (map[string]string, error)
	SetHearing(ctx context.Context, kv map[string]string) error

	// Import previews and the mapping saved per system.
	PreviewLog(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error)
	SaveMapping(ctx context.Context, system string, kind domain.LogKind, cols []workspace.ColumnChoice) error
	PreviewMaster(ctx context.Context, kind workspace.MasterKind, path string) (*workspace.MasterPreview, error)

	// Masters.
	Staff(ctx context.Context) ([]domain.Staff, error)
	SaveStaff(ctx context.Context, s domain.Staff, by string) error
	Grants(ctx context.Context) ([]domain.Grant, error)
	Watchlist(ctx context.Context) ([]domain.WatchEntry, error)
	Overtime(ctx context.Context) ([]domain.Overtime, error)

	// Review.
	Ranking(ctx context.Context) ([]domain.RankEntry, error)
	Heatmap(ctx context.Context, staffID string, from, to time.Time) ([7][24]int, error)
	Reviews(ctx context.Context) (map[domain.FindingKey]domain.Review, error)
	SetReview(ctx context.Context, key domain.FindingKey, status domain.ReviewStatus, comment, by string) error
	Exclusions(ctx context.Context) ([]domain.Exclusion, error)
	ExclusionConcerns(ctx context.Context) (map[int64][]string, error)
	Exclude(ctx context.Context, x domain.Exclusion) (domain.Exclusion, error)
	RevokeExclusion(ctx context.Context, id int64, reason, by string) error

	// Coverage is, per system, the period its logs cover and the working
	// days without any.
	Coverage(ctx context.Context) ([]workspace.SystemCoverage, error)

	// Audit trail.
	AuditLog(ctx context.Context) ([]domain.AuditEntry, error)
	Verify(ctx context.Context) (*workspace.VerifyReport, error)

	// Exports, the 年間総括 and backups.
	Export(ctx context.Context, format, out string) error
	FiscalYears(ctx context.Context) ([]int, error)
	WriteAnnualReport(ctx context.Context, fiscalYear int, out string, opt workspace.ReportOptions, progress workspace.ProgressFunc) error
	Backup(ctx context.Context, out string) error

	// StaffVersions is the history of one staff ID by 有効期間.
	StaffVersions(ctx context.Context, id string) ([]domain.Staff, error)

	// User names who is acting, for the audit log.
	User() string

	// Rules lists the inspection rules for the hearing sheet.
	Rules() []RuleInfo
	// ReportSections lists the report's sections for the report dialog.
	ReportSections() []ReportSection
}

// RuleInfo describes an inspection rule for the hearing sheet, in words
// for a town clerk.
type RuleInfo struct {
	ID, Name, Description string
	Threshold             string // the default condition, in words
	Implemented           bool
	Params                []RuleParam
}

// RuleParam is one number of a rule's threshold the hearing sheet lets the
// user change; stored as thresholds "RULE.key=value".
type RuleParam struct {
	Key, Label, Default string
}

// errNotAvailable is what an engine answers for a method it does not
// offer (the test fakes leave previews out this way); screens that need
// the method fall back or say so instead of failing.
var errNotAvailable = &domain.Error{Code: "not_available", Message: "この版のTenkenでは、まだこの機能を使えません。"}

// isNotAvailable reports whether err says the engine lacks the method.
func isNotAvailable(err error) bool { return errors.Is(err, errNotAvailable) }

// wsEngine binds the GUI to a *workspace.Workspace: every method is the
// workspace's own, but for the few that translate between the screens'
// terms and the engine's (the mapping as a profile, the rule and report
// catalogues).
type wsEngine struct {
	*workspace.Workspace
}

// NewEngine returns the Engine of an open workspace.
func NewEngine(ws *workspace.Workspace) Engine { return wsEngine{ws} }

var _ Engine = wsEngine{}

// SaveMapping saves the mapping the user confirmed as the system's
// profile; columns left unused are listed with "" so the next import of
// the system ignores them too.
func (e wsEngine) SaveMapping(ctx context.Context, system string, kind domain.LogKind, cols []workspace.ColumnChoice) error {
	p := &workspace.Profile{Version: workspace.ProfileVersion, System: system, Kind: kind, Columns: map[string]string{}}
	for _, c := range cols {
		p.Columns[c.Header] = c.Field
	}
	return e.SaveProfile(ctx, p)
}

// Rules returns the rule catalogue with the threshold numbers the hearing
// sheet edits.
func (e wsEngine) Rules() []RuleInfo {
	params := map[string][]RuleParam{}
	for _, t := range workspace.RuleThresholds() {
		id, key, _ := strings.Cut(t.Key, ".")
		label := t.Label
		if _, after, ok := strings.Cut(label, "："); ok {
			label = after
		}
		params[id] = append(params[id], RuleParam{Key: key, Label: label, Default: strconv.FormatFloat(t.Default, 'f', -1, 64)})
	}
	var out []RuleInfo
	for _, r := range workspace.RuleCatalogue() {
		out = append(out, RuleInfo{ID: r.ID, Name: r.Name, Description: r.Description, Threshold: r.Threshold,
			Implemented: r.Implemented, Params: params[r.ID]})
	}
	return out
}

// ReportSections lists the sections of the report the user may leave out.
func (e wsEngine) ReportSections() []ReportSection {
	var out []ReportSection
	for _, s := range workspace.ReportSections() {
		out = append(out, ReportSection{Key: s.Key, Title: s.Title})
	}
	return out
}

// reportOptions turns the report dialog's answers into the engine's
// options.
func reportOptions(c reportChoices) workspace.ReportOptions {
	opt := workspace.ReportOptions{Unmask: c.Unmask, Logo: c.Logo, Era: workspace.EraSeireki}
	if c.Wareki {
		opt.Era = workspace.EraWareki
	}
	if len(c.Omit) > 0 {
		opt.Sections = map[string]bool{}
		for _, k := range c.Omit {
			opt.Sections[k] = false
		}
	}
	return opt
}
