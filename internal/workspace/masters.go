package workspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/master"
	"tenken/internal/store"
)

// MasterImportOptions configures a master import.
type MasterImportOptions struct {
	// Replace discards every stored row of the master first. By default
	// the 職員マスタ is merged version by version (a transfer in the file
	// closes the stored row the day before it starts; people absent from
	// the file keep their rows) and 時間外申請 are merged by (職員ID, 日付);
	// the 権限マスタ and 要注意対象, whose rows carry their own 有効期間, are
	// always replaced. A 受付簿 replaces, for each 所属 in its file, the
	// stored rows of the days the file spans (store.ImportReception).
	Replace bool
}

// receptionAudit is what the audit log records about a 受付簿 import: the
// file as for every master (with the digest of what it stored), and the
// stored rows it replaced, with the days its file spans (YYYY-MM-DD).
type receptionAudit struct {
	store.MasterAudit
	Replaced int    `json:"replaced"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
}

// WithRowsDigest returns the entry with the digest of the 受付簿 as the
// import left it (see store.RowsDigester).
func (r receptionAudit) WithRowsDigest(d string) any {
	r.RowsDigest = d
	return r
}

func readMaster(ctx context.Context, kind MasterKind, path string) (*master.Result, error) {
	switch kind {
	case MasterStaff:
		return master.ReadStaff(ctx, path)
	case MasterGrants:
		return master.ReadGrants(ctx, path)
	case MasterWatchlist:
		return master.ReadWatchlist(ctx, path)
	case MasterOvertime:
		return master.ReadOvertime(ctx, path)
	case MasterReception:
		return master.ReadReception(ctx, path)
	}
	return nil, &domain.Error{Code: "bad_kind", Message: fmt.Sprintf("マスタの種類「%s」は分かりません。staff（職員）・grants（権限）・watchlist（要注意対象）・overtime（時間外申請）・reception（受付簿）のいずれかを指定してください。", kind)}
}

func masterFields(kind MasterKind) []colmap.Field {
	switch kind {
	case MasterStaff:
		return master.StaffFields
	case MasterGrants:
		return master.GrantFields
	case MasterWatchlist:
		return master.WatchFields
	case MasterOvertime:
		return master.OvertimeFields
	case MasterReception:
		return master.ReceptionFields
	}
	return nil
}

// MasterFieldLabel returns the Japanese name of a field of a master file
// of kind (メールアドレス for the staff master's "mail"), or the field's
// name when it is unknown.
func MasterFieldLabel(kind MasterKind, field string) string {
	for _, f := range masterFields(kind) {
		if f.Name == field {
			return f.Label
		}
	}
	return field
}

// MasterLabel returns the Japanese name of a master kind.
func MasterLabel(kind MasterKind) string {
	switch kind {
	case MasterStaff:
		return "職員マスタ"
	case MasterGrants:
		return "権限マスタ"
	case MasterWatchlist:
		return "要注意対象"
	case MasterOvertime:
		return "時間外申請"
	case MasterReception:
		return "受付簿"
	}
	return string(kind)
}

// ImportMaster imports a master file with the default options (see
// MasterImportOptions); rejected rows are returned with their reasons.
func (w *Workspace) ImportMaster(ctx context.Context, kind MasterKind, path string) (MasterResult, error) {
	return w.ImportMasterWith(ctx, kind, path, MasterImportOptions{})
}

// ImportMasterWith imports a master file. The file's path, size and SHA-256
// are recorded with the counts, and the import is written to the audit log
// in the same transaction.
func (w *Workspace) ImportMasterWith(ctx context.Context, kind MasterKind, path string, opt MasterImportOptions) (MasterResult, error) {
	res, err := readMaster(w.withTmp(ctx), kind, path)
	if err != nil {
		return MasterResult{}, err
	}
	// The hash of the bytes read (the file is read once).
	sum, size := res.SHA256, res.Size
	if sum == "" {
		if sum, size, err = ingest.HashFile(path); err != nil {
			return MasterResult{}, err
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	rec := store.MasterImport{Kind: string(kind), File: res.File, Path: abs, Size: size, SHA256: sum, Read: res.Read, Accepted: res.Accepted, Rejected: len(res.Rejects)}
	mode := "replace"
	if !opt.Replace && (kind == MasterStaff || kind == MasterOvertime || kind == MasterReception) {
		mode = "merge"
	}
	var before any
	if prev, err := w.store.MasterImports(ctx); err == nil {
		for _, p := range prev {
			if p.Kind == string(kind) {
				before = store.MasterAudit{File: p.File, Path: p.Path, SHA256: p.SHA256, Read: p.Read, Accepted: p.Accepted, Rejected: p.Rejected, Mode: p.Mode}
			}
		}
	}
	after := store.MasterAudit{File: res.File, Path: abs, SHA256: sum, Read: res.Read, Accepted: res.Accepted, Rejected: len(res.Rejects), Mode: mode}
	a := &store.Audit{User: w.User(), Action: "master." + string(kind) + ".import", Target: res.File, Before: before, After: after}
	out := MasterResult{Kind: kind, File: res.File, Read: res.Read, Accepted: res.Accepted, Rejects: res.Rejects}
	switch kind {
	case MasterStaff:
		err = w.store.ImportStaff(ctx, res.Staff, rec, mode == "merge", a)
	case MasterGrants:
		err = w.store.ImportGrants(ctx, res.Grants, rec, a)
	case MasterWatchlist:
		err = w.store.ImportWatchlist(ctx, res.Watch, rec, a)
	case MasterOvertime:
		err = w.store.ImportOvertime(ctx, res.Overtime, rec, opt.Replace, a)
	case MasterReception:
		var ri store.ReceptionImport
		ri, err = w.store.ImportReception(ctx, res.Reception, rec, opt.Replace, func(ri store.ReceptionImport) *store.Audit {
			ra := receptionAudit{MasterAudit: after, Replaced: ri.Replaced}
			if !ri.From.IsZero() {
				ra.From, ra.To = ri.From.Format(time.DateOnly), ri.To.Format(time.DateOnly)
			}
			a.After = ra
			return a
		})
		out.Replaced, out.From, out.To, out.FilledDown = ri.Replaced, ri.From, ri.To, res.FilledDown
	}
	if err != nil {
		return MasterResult{}, w.explain(err)
	}
	return out, nil
}

// PreviewMaster reads a master file and reports how its columns map, its
// first rows, and which rows would be rejected and why; nothing is
// written. A file whose required columns are missing gives a preview with
// Missing filled in, not an error.
func (w *Workspace) PreviewMaster(ctx context.Context, kind MasterKind, path string) (*MasterPreview, error) {
	ctx = w.withTmp(ctx)
	fields := masterFields(kind)
	if fields == nil {
		_, err := readMaster(ctx, kind, path)
		return nil, err
	}
	res, err := readMaster(ctx, kind, path)
	p := &MasterPreview{Kind: kind, File: filepath.Base(path)}
	if err != nil {
		var me *colmap.MissingError
		if !errors.As(err, &me) {
			return nil, err
		}
		for _, f := range me.Missing {
			p.Missing = append(p.Missing, f.Label)
		}
		p.Columns = mapPreview(me.Headers, nil, fields)
		return p, nil
	}
	p.Encoding = res.Encoding
	if res.Mapping != nil {
		p.Columns = mapPreview(res.Mapping.Headers, res.Mapping, fields)
	}
	p.Rows, p.Read, p.Accepted, p.Rejects, p.FilledDown = res.Sample, res.Read, res.Accepted, res.Rejects, res.FilledDown
	return p, nil
}

// mapPreview lists every header with the field it maps to (Japanese label
// in Field's place is not used: Field is the canonical name).
func mapPreview(headers []string, m *colmap.Mapping, fields []colmap.Field) []ColumnChoice {
	out := make([]ColumnChoice, len(headers))
	for i, h := range headers {
		out[i] = ColumnChoice{Index: i, Header: h}
	}
	if m == nil {
		return out
	}
	for _, c := range m.Columns {
		if c.Index >= 0 && c.Index < len(out) {
			out[c.Index].Field, out[c.Index].Confidence = c.Field, c.Confidence
		}
	}
	return out
}

// StaffAt returns the 職員マスタ as it was on day: the version of each
// person valid that day.
func (w *Workspace) StaffAt(ctx context.Context, day time.Time) ([]domain.Staff, error) {
	return w.store.StaffAt(ctx, domain.DateOf(day))
}

// StaffVersions returns every stored version of one staff ID, oldest
// first (its history of 所属 and 有効期間).
func (w *Workspace) StaffVersions(ctx context.Context, id string) ([]domain.Staff, error) {
	return w.store.StaffVersions(ctx, csvin.Fold(strings.TrimSpace(id)))
}

// Grants returns the 権限マスタ.
func (w *Workspace) Grants(ctx context.Context) ([]domain.Grant, error) { return w.store.Grants(ctx) }

// Watchlist returns the 要注意対象 list.
func (w *Workspace) Watchlist(ctx context.Context) ([]domain.WatchEntry, error) {
	return w.store.Watchlist(ctx)
}

// Overtime returns the approved 時間外申請.
func (w *Workspace) Overtime(ctx context.Context) ([]domain.Overtime, error) {
	return w.store.Overtime(ctx)
}

// Reception returns every stored row of the 受付簿, oldest first, for
// listing the master. Inspections read only the window they need
// (ReceptionBetween).
func (w *Workspace) Reception(ctx context.Context) ([]domain.Reception, error) {
	return w.store.AllReception(ctx)
}

// ReceptionBetween returns the 受付簿 rows of the days from through to
// (inclusive), oldest first.
func (w *Workspace) ReceptionBetween(ctx context.Context, from, to time.Time) ([]domain.Reception, error) {
	return w.store.Reception(ctx, domain.DateOf(from), domain.DateOf(to).AddDate(0, 0, 1))
}

// MasterVersions returns each master's latest import, row count and last
// change, for the inspection snapshot and the report.
func (w *Workspace) MasterVersions(ctx context.Context) ([]store.MasterVersion, error) {
	return w.store.MasterVersions(ctx)
}

// SaveStaff stores one row of the 職員マスタ edited on screen, after
// checking it. The row is the version of s.ID that starts on s.Start: a
// stored version with the same start is replaced, a version still open on
// s.Start is closed the day before (異動), later overlapping versions are
// replaced. The change (all versions of the ID before and after) goes to
// the audit log; by is who made it ("" = User()).
func (w *Workspace) SaveStaff(ctx context.Context, s domain.Staff, by string) error {
	s, err := cleanStaff(s)
	if err != nil {
		return err
	}
	if strings.TrimSpace(by) == "" {
		by = w.User()
	}
	_, _, err = w.store.SaveStaff(ctx, s, strings.TrimSpace(by))
	return w.explain(err)
}

func invalid(msg string) error { return &domain.Error{Code: "invalid", Message: msg} }

func cleanStaff(s domain.Staff) (domain.Staff, error) {
	s.ID = csvin.Fold(strings.TrimSpace(s.ID))
	if s.ID == "" {
		return s, invalid("職員IDを入力してください。")
	}
	if strings.IndexFunc(s.ID, unicode.IsControl) >= 0 || strings.ContainsAny(s.ID, " \u3000") {
		return s, invalid(fmt.Sprintf("職員ID「%s」に空白や制御文字は使えません。", strings.TrimSpace(s.ID)))
	}
	for _, f := range []*string{&s.Name, &s.Dept, &s.Title, &s.Employment} {
		*f = strings.TrimSpace(*f)
		if strings.IndexFunc(*f, unicode.IsControl) >= 0 {
			return s, invalid(fmt.Sprintf("職員ID「%s」の入力に制御文字（改行など）が含まれています。", s.ID))
		}
	}
	s.SubjectID = csvin.Fold(strings.TrimSpace(s.SubjectID))
	if !s.Start.IsZero() {
		s.Start = domain.DateOf(s.Start)
	}
	if !s.End.IsZero() {
		s.End = domain.DateOf(s.End)
	}
	if !s.Start.IsZero() && !s.End.IsZero() && s.End.Before(s.Start) {
		return s, invalid(fmt.Sprintf("離任日（%s）が着任日（%s）より前です。", s.End.Format("2006/01/02"), s.Start.Format("2006/01/02")))
	}
	s.Systems = cleanList(s.Systems, master.SplitList)
	var mails []string
	for _, item := range s.Email {
		got, bad := master.ParseEmails(item)
		if bad != "" {
			return s, invalid(fmt.Sprintf("職員ID「%s」のメールアドレス「%s」が読めません。tanaka@town.example.lg.jp の形で入力してください。", s.ID, bad))
		}
		mails = append(mails, got...)
	}
	s.Email = cleanList(mails, func(v string) []string { return []string{v} })
	// As on import, the addresses are also among the other accounts,
	// where the rules look for a mail log's sender.
	s.Accounts = cleanList(append(s.Accounts, s.Email...), master.SplitAccounts)
	return s, nil
}

// cleanList splits items that hold several values and drops blanks and
// repeats.
func cleanList(in []string, split func(string) []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, item := range in {
		for _, v := range split(item) {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}
