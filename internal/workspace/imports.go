package workspace

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"tenken/internal/colmap"
	"tenken/internal/domain"
	"tenken/internal/export"
	"tenken/internal/ingest"
	"tenken/internal/privacy"
	"tenken/internal/profile"
)

// previewRows is how many data rows a preview reads.
const previewRows = 20

// ImportLog imports one log file. Importing the same file again adds
// nothing: the returned batch is the earlier one and AlreadyImported is
// reported through ingest's result (see ImportLogResult).
func (w *Workspace) ImportLog(ctx context.Context, path string, opt ImportOptions, progress ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
	res, err := w.ImportLogResult(ctx, path, opt, progress)
	return res.Batch, res.Rejects, err
}

// ImportLogResult is ImportLog with the full result (header line, blank
// lines, whether the file had been imported before). Progress reports
// bytes (Done/Total) and rows (Rows).
func (w *Workspace) ImportLogResult(ctx context.Context, path string, opt ImportOptions, progress ProgressFunc) (ingest.Result, error) {
	prof, err := w.profileFor(ctx, opt)
	if err != nil {
		return ingest.Result{}, err
	}
	// Where the file was is recorded with the batch (in its transaction),
	// so that `tenken verify` can compare it with the SHA-256 recorded for
	// the batch while it is still there.
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	res, err := ingest.ImportFile(w.withTmp(ctx), w.store, path, ingest.Options{
		System:  opt.System,
		Kind:    opt.Kind,
		Profile: prof,
		Sheet:   opt.Sheet,
		Source:  abs,
		User:    w.User(),
		Report: func(p ingest.Progress) {
			if progress != nil {
				progress(Progress{Done: p.Bytes, Total: p.Total, Rows: p.Rows,
					Message: fmt.Sprintf("ログを取り込んでいます（%s）%s行", opt.System, groupDigits(p.Rows))})
			}
		},
	})
	return res, w.explain(err)
}

// profileFor is the profile an import uses: the one given, else the
// system's saved one, else none (auto-mapping).
func (w *Workspace) profileFor(ctx context.Context, opt ImportOptions) (*profile.Profile, error) {
	if opt.Profile != nil {
		return opt.Profile, nil
	}
	if strings.TrimSpace(opt.System) == "" {
		return nil, nil
	}
	return w.Profile(ctx, opt.System)
}

func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PreviewLog reads how a log file would be imported, writing nothing: its
// encoding and delimiter (or sheets), header row, the mapping of every
// column with its confidence, the required fields missing, the first rows,
// and which of those would be rejected.
func (w *Workspace) PreviewLog(ctx context.Context, path string, opt ImportOptions) (*LogPreview, error) {
	prof, err := w.profileFor(ctx, opt)
	if err != nil {
		return nil, err
	}
	p, err := ingest.PreviewFile(w.withTmp(ctx), path, ingest.Options{System: opt.System, Kind: opt.Kind, Profile: prof, Sheet: opt.Sheet}, previewRows)
	if err != nil {
		return nil, err
	}
	lp := &LogPreview{File: p.File, Encoding: p.Encoding, Delimiter: p.Delimiter, Sheets: p.Sheets, Sheet: p.Sheet,
		HeaderLine: p.HeaderLine, Headers: p.Headers, Missing: p.Missing, Kind: p.Kind, System: opt.System, Rows: p.Rows, Rejects: p.Rejects}
	mapped := map[int]ColumnChoice{}
	for _, c := range p.Columns {
		mapped[c.Index] = ColumnChoice{Index: c.Index, Header: c.Header, Field: c.Field, Confidence: c.Confidence}
	}
	for i, h := range p.Headers {
		c, ok := mapped[i]
		if !ok {
			c = ColumnChoice{Index: i, Header: h}
		}
		lp.Columns = append(lp.Columns, c)
	}
	return lp, nil
}

// profileKey is the setting under which a system's profile is kept.
func profileKey(system string) string { return "profile." + system }

// Profile returns the saved mapping profile of a system, or nil, nil when
// there is none.
func (w *Workspace) Profile(ctx context.Context, system string) (*profile.Profile, error) {
	v, err := w.store.Setting(ctx, profileKey(system))
	if err != nil || v == "" {
		return nil, err
	}
	p, err := profile.Parse([]byte(v), system)
	if err != nil {
		return nil, &domain.Error{Code: "bad_profile", Message: fmt.Sprintf("保存されている「%s」の取り込み設定が読めません。tenken profile save で作り直してください。（%v）", system, err), Err: err}
	}
	return p, nil
}

// SaveProfile validates a profile and stores it as its system's profile;
// later imports of that system use it.
func (w *Workspace) SaveProfile(ctx context.Context, p *profile.Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	return w.store.SetSettings(ctx, map[string]string{profileKey(p.System): string(b)})
}

// ProfileFromSample auto-maps a sample file of a system and applies the
// overrides (header as written → field; field "" = ignore the column),
// returning a profile ready to save. It fails, in Japanese, when the
// result still lacks a time or a staff ID, or names a column the file
// does not have.
func (w *Workspace) ProfileFromSample(ctx context.Context, system, path string, overrides map[string]string, opt ImportOptions) (*profile.Profile, error) {
	opt.System, opt.Profile = system, nil
	p, err := ingest.PreviewFile(w.withTmp(ctx), path, ingest.Options{System: system, Kind: opt.Kind, Sheet: opt.Sheet}, 0)
	if err != nil {
		return nil, err
	}
	if len(p.Headers) == 0 {
		return nil, &domain.Error{Code: "empty", Message: fmt.Sprintf("%s: 見出し行が見つかりません。", p.File)}
	}
	prof := &profile.Profile{Version: profile.Version, System: system, Kind: opt.Kind, Sheet: opt.Sheet, Columns: map[string]string{}}
	for _, c := range p.Columns {
		prof.Columns[c.Header] = c.Field
	}
	known := map[string]string{}
	for _, h := range p.Headers {
		known[h] = h
	}
	for h, f := range overrides {
		if _, ok := known[h]; !ok {
			return nil, &domain.Error{Code: "bad_override", Message: fmt.Sprintf("%s に列「%s」はありません。見つかった見出し: %s", p.File, h, colmap.QuoteHeaders(p.Headers))}
		}
		if f != "" {
			// A field moves to the column named by the user.
			for other, of := range prof.Columns {
				if of == f && other != h {
					delete(prof.Columns, other)
				}
			}
		}
		prof.Columns[h] = f
	}
	if prof.Kind == "" {
		prof.Kind = p.Kind
	}
	if err := prof.Validate(); err != nil {
		var de *domain.Error
		if ok := asDomain(err, &de); ok {
			q := make([]string, len(p.Headers))
			for i, x := range p.Headers {
				q[i] = "「" + x + "」"
			}
			de.Message += fmt.Sprintf("（%s の見出し: %s。--map 列名=項目 で指定してください）", p.File, strings.Join(q, ""))
		}
		return nil, err
	}
	return prof, nil
}

func asDomain(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	if ok {
		*de = e
	}
	return ok
}

// WriteRejects writes the rejected rows of one batch (0 = every batch) as
// csv (UTF-8 with BOM for Excel; cells that Excel would run as formulas
// are escaped) or json. 個人番号 in them are masked.
func (w *Workspace) WriteRejects(ctx context.Context, out io.Writer, batchID int64, format string) error {
	rows, err := w.store.AllRejects(ctx, batchID)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		type rejectJSON struct {
			Batch  int64  `json:"batch_id"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
			Raw    string `json:"raw"`
		}
		list := make([]rejectJSON, 0, len(rows))
		for _, r := range rows {
			list = append(list, rejectJSON{r.Batch, r.File, r.Line, r.Column, privacy.MaskMyNumber(r.Reason), privacy.MaskMyNumber(r.Raw)})
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case "csv":
		if _, err := io.WriteString(out, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(out)
		cw.UseCRLF = true
		cw.Write([]string{"取込ID", "ファイル", "行", "列", "理由", "元の行"})
		for _, r := range rows {
			cw.Write(export.EscapeRow([]string{strconv.FormatInt(r.Batch, 10), r.File, strconv.Itoa(r.Line), r.Column,
				privacy.MaskMyNumber(r.Reason), privacy.MaskMyNumber(r.Raw)}))
		}
		cw.Flush()
		return cw.Error()
	}
	return &domain.Error{Code: "bad_format", Message: fmt.Sprintf("出力形式「%s」には対応していません。csv か json を指定してください。", format)}
}
