package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/report"
	"tenken/internal/rules"
)

// ReportOptions configures the PDF report.
type ReportOptions struct {
	// Unmask prints resident identifiers in full (for the internal copy
	// only); by default they are masked.
	Unmask bool
}

// WriteReport writes the PDF report of the latest run to out.
func (w *Workspace) WriteReport(ctx context.Context, out string, progress ProgressFunc) error {
	return w.WriteReportWith(ctx, out, ReportOptions{}, progress)
}

// WriteReportWith writes the PDF report of the latest run with options.
func (w *Workspace) WriteReportWith(ctx context.Context, out string, opt ReportOptions, progress ProgressFunc) error {
	progress.report(0, 3, "報告書の内容を集めています")
	d, err := w.ReportData(ctx)
	if err != nil {
		return err
	}
	d.UnmaskSubjects = opt.Unmask
	if err := ctx.Err(); err != nil {
		return err
	}
	progress.report(1, 3, "報告書を作成しています")
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return &domain.Error{Code: "write", Message: fmt.Sprintf("フォルダ「%s」を作成できません: %v", dir, err), Err: err}
		}
	}
	if err := report.WriteFile(out, d); err != nil {
		return &domain.Error{Code: "write", Message: fmt.Sprintf("報告書「%s」を書き出せません: %v", out, err), Err: err}
	}
	progress.report(3, 3, "報告書を保存しました")
	return nil
}

// ReportData gathers what the report of the latest run shows.
func (w *Workspace) ReportData(ctx context.Context) (report.Data, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil {
		return report.Data{}, err
	}
	if run == nil {
		return report.Data{}, errNoRun
	}
	h, err := w.Hearing(ctx)
	if err != nil {
		return report.Data{}, err
	}
	findings, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return report.Data{}, err
	}
	batches, err := w.store.Batches(ctx)
	if err != nil {
		return report.Data{}, err
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return report.Data{}, err
	}
	masters, err := w.store.MasterImports(ctx)
	if err != nil {
		return report.Data{}, err
	}
	d := report.Data{
		Town: h.Town, Department: h.Department, Author: h.Person,
		From: run.From, To: run.To, CreatedAt: time.Now(),
		WorkStart: h.WorkStart, WorkEnd: h.WorkEnd,
		CalendarNote: calendar.Default().Summary(),
		Batches:      batches, Findings: findings,
		StaffNames: map[string]string{}, StaffDepts: map[string]string{},
	}
	if d.Town == "" {
		d.Town = "（団体名未設定）"
	}
	for _, s := range staff {
		d.StaffNames[s.ID] = s.Name
		d.StaffDepts[s.ID] = s.Dept
	}
	var mi []string
	for _, m := range masters {
		label := map[string]string{"staff": "職員マスタ", "grants": "権限マスタ"}[m.Kind]
		if label == "" {
			label = m.Kind
		}
		mi = append(mi, fmt.Sprintf("%s %d件（%s、取込 %s）", label, m.Accepted, m.File, m.ImportedAt.Format("2006-01-02")))
	}
	d.MasterInfo = strings.Join(mi, "、")
	for _, r := range rules.Catalogue() {
		d.Rules = append(d.Rules, report.RuleInfo{ID: r.ID, Name: r.Name, Description: r.Description, Threshold: r.Threshold, Basis: r.Basis, Enabled: r.Implemented})
	}
	return d, nil
}
