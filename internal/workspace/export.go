package workspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/export"
	"tenken/internal/privacy"
	"tenken/internal/rules"
)

// Export formats.
const (
	ExportXLSX = "xlsx"
	ExportCSV  = "csv"
)

// ExportOptions configures Export.
type ExportOptions struct {
	// Unmask writes resident identifiers and mail addresses in full; by
	// default they are masked as in the report.
	Unmask bool
}

// Export writes the latest run's findings, their evidence and the staff
// ranking for Excel: format "xlsx" writes one workbook with the sheets
// 検出事項, 証跡 and 職員ランキング; "csv" writes one CSV file per sheet,
// out itself holding the findings and out's name with _証跡 and
// _職員ランキング appended holding the others.
func (w *Workspace) Export(ctx context.Context, format, out string) error {
	_, err := w.ExportWith(ctx, format, out, ExportOptions{})
	return err
}

// ExportWith is Export with options; it returns the files written.
func (w *Workspace) ExportWith(ctx context.Context, format, out string, opt ExportOptions) ([]string, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format != ExportXLSX && format != ExportCSV {
		return nil, &domain.Error{Code: "bad_format", Message: fmt.Sprintf("エクスポートの形式「%s」は使えません。xlsx か csv を指定してください。", format)}
	}
	if strings.TrimSpace(out) == "" {
		return nil, &domain.Error{Code: "no_out", Message: "エクスポートの保存先ファイルを指定してください。"}
	}
	sheets, err := w.exportSheets(ctx, opt)
	if err != nil {
		return nil, err
	}
	if err := makeDir(out); err != nil {
		return nil, err
	}
	if format == ExportCSV {
		return export.WriteCSV(out, sheets)
	}
	if err := export.WriteXLSX(out, sheets); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, &domain.Error{Code: "export_write", Message: fmt.Sprintf("エクスポート「%s」を作成できませんでした: %v", filepath.Base(out), err), Err: err}
	}
	return []string{out}, nil
}

// exportSheets builds the three tables of the export.
func (w *Workspace) exportSheets(ctx context.Context, opt ExportOptions) ([]export.Sheet, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil {
		return nil, err
	}
	if run == nil {
		return nil, errNoRun
	}
	fs, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	reviews, err := w.Reviews(ctx)
	if err != nil {
		return nil, err
	}
	ranking, err := w.Ranking(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	names, depts := map[string]string{}, map[string]string{}
	for _, s := range staff {
		names[s.ID], depts[s.ID] = s.Name, s.Dept
	}
	subject := func(s string) string { return s }
	mail := subject
	free := subject
	if !opt.Unmask {
		ids := map[string]bool{}
		for _, f := range fs {
			for _, e := range f.Evidence {
				if e.SubjectID != "" {
					ids[e.SubjectID] = true
				}
			}
		}
		subject, mail, free = privacy.MaskID, privacy.MaskMail, privacy.NewMasker(ids).Apply
	}
	ruleName := func(id string) string {
		if r, ok := rules.Find(id); ok {
			return r.Name
		}
		return id
	}
	// The same order as the report's findings list: by rule, then by
	// severity, day and staff, so the No. columns agree.
	order := map[string]int{}
	for i, r := range rules.Catalogue() {
		order[r.ID] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if order[a.Rule] != order[b.Rule] {
			return order[a.Rule] < order[b.Rule]
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.StaffID != b.StaffID {
			return a.StaffID < b.StaffID
		}
		return a.ID < b.ID
	})

	findings := export.Sheet{Name: "検出事項", Columns: []export.Column{
		{Title: "No.", Kind: export.Int, Width: 6},
		{Title: "規則ID", Width: 20},
		{Title: "規則名", Width: 24},
		{Title: "職員ID", Width: 12},
		{Title: "氏名", Width: 14},
		{Title: "所属", Width: 16},
		{Title: "日付", Kind: export.Date, Width: 12},
		{Title: "重要度", Width: 8},
		{Title: "件数", Kind: export.Int, Width: 8},
		{Title: "確認状況", Width: 12},
		{Title: "確認コメント", Width: 40},
		{Title: "確認者", Width: 14},
		{Title: "除外", Width: 6},
		{Title: "内容", Width: 80},
	}}
	evidence := export.Sheet{Name: "証跡", Columns: []export.Column{
		{Title: "No.", Kind: export.Int, Width: 6},
		{Title: "規則ID", Width: 20},
		{Title: "職員ID", Width: 12},
		{Title: "日付", Kind: export.Date, Width: 12},
		{Title: "日時", Kind: export.DateTime, Width: 20},
		{Title: "システム", Width: 14},
		{Title: "端末", Width: 14},
		{Title: "機能", Width: 24},
		{Title: "操作", Width: 12},
		{Title: "宛名番号", Width: 12},
		{Title: "件数", Kind: export.Int, Width: 8},
		{Title: "結果", Width: 8},
		{Title: "媒体", Width: 14},
		{Title: "ファイル", Width: 30},
		{Title: "宛先", Width: 30},
		{Title: "添付", Width: 24},
		{Title: "取込番号", Kind: export.Int, Width: 8},
		{Title: "行番号", Kind: export.Int, Width: 8},
	}}
	for i, f := range fs {
		d, _ := parseDayDate(f.Date)
		rv := reviews[domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date}]
		excl := ""
		if f.Excluded {
			excl = "除外"
		}
		var day any = f.Date
		if !d.IsZero() {
			day = d
		}
		findings.Rows = append(findings.Rows, []any{
			i + 1, f.Rule, ruleName(f.Rule), f.StaffID, names[f.StaffID], depts[f.StaffID], day,
			domain.SeverityLabel(f.Severity), f.Count, rv.Status.Label(), free(rv.Comment), rv.By, excl, free(f.Detail),
		})
		for _, e := range f.Evidence {
			action := e.RawAction
			if action == "" {
				action = string(e.Action)
			}
			evidence.Rows = append(evidence.Rows, []any{
				i + 1, f.Rule, f.StaffID, day, e.Time, e.System, e.Terminal, free(e.Function), action, subject(e.SubjectID),
				e.Records, e.Result, e.Device, free(e.File), mail(e.MailTo), free(e.Attachment), e.Batch, e.Line,
			})
		}
	}
	rank := export.Sheet{Name: "職員ランキング", Columns: []export.Column{
		{Title: "順位", Kind: export.Int, Width: 6},
		{Title: "職員ID", Width: 12},
		{Title: "氏名", Width: 14},
		{Title: "所属", Width: 16},
		{Title: "点数", Kind: export.Float, Width: 8},
		{Title: "検出件数", Kind: export.Int, Width: 8},
		{Title: "除外", Width: 6},
		{Title: "理由", Width: 80},
	}}
	for _, r := range ranking {
		excl := ""
		if r.Excluded {
			excl = "除外"
		}
		name, dept := r.Name, r.Dept
		if name == "" {
			name = names[r.StaffID]
		}
		if dept == "" {
			dept = depts[r.StaffID]
		}
		rank.Rows = append(rank.Rows, []any{r.Rank, r.StaffID, name, dept, r.Score, r.Findings, excl, free(strings.Join(r.Reasons, " / "))})
	}
	return []export.Sheet{findings, evidence, rank}, nil
}

// parseDayDate reads a finding's YYYY-MM-DD.
func parseDayDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
