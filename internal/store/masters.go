package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"tenken/internal/domain"
)

// MasterImport records one imported master file.
type MasterImport struct {
	Kind       string
	File       string // base name, for people
	Path       string // absolute path it was read from, for verify
	Size       int64
	SHA256     string
	Read       int
	Accepted   int
	Rejected   int
	Mode       string // "replace" or "merge"
	ImportedAt time.Time
}

// MasterVersion says which version of a master is in the workspace: its
// latest import and when it last changed (an import or a single-row edit).
// An inspection run snapshots these so its findings can be explained later.
type MasterVersion struct {
	Kind    string
	Import  *MasterImport // nil when the master was never imported
	Rows    int           // rows currently stored
	Changed time.Time     // last import or edit; zero when never
}

// listSep joins a list (systems, accounts, departments) in one column; it
// cannot occur in a CSV cell's text after import.
const listSep = "\x1f"

// systemsSep is the historical name of listSep.
const systemsSep = listSep

func joinList(l []string) string { return strings.Join(l, listSep) }

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, listSep)
}

// Audit describes the audit-log entry written in the same transaction as a
// change: who made it and what it was. Before and After are marshalled to
// JSON; nil means "".
type Audit struct {
	User   string
	Action string
	Target string
	Before any
	After  any
}

// ReplaceStaff replaces the whole 職員マスタ with staff, recording the
// import, in one transaction.
func (s *Store) ReplaceStaff(ctx context.Context, staff []domain.Staff, rec MasterImport) error {
	return s.ImportStaff(ctx, staff, rec, false, nil)
}

// ImportStaff stores an imported 職員マスタ. With merge false the master is
// replaced. With merge true the stored versions are kept and each ID of the
// file is merged version by version (see MergeStaffRows): a transfer in the
// new file closes the stored row the day before it starts, and stored
// people absent from the file keep their rows. The import and, when a is
// not nil, the audit entry are written in the same transaction.
func (s *Store) ImportStaff(ctx context.Context, staff []domain.Staff, rec MasterImport, merge bool, a *Audit) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return err
	}
	if !merge {
		if _, err := tx.ExecContext(ctx, "DELETE FROM staff"); err != nil {
			return err
		}
		if err := insertStaff(ctx, tx, staff); err != nil {
			return err
		}
	} else {
		byID := map[string][]domain.Staff{}
		var ids []string
		for _, st := range staff {
			if _, ok := byID[st.ID]; !ok {
				ids = append(ids, st.ID)
			}
			byID[st.ID] = append(byID[st.ID], st)
		}
		for _, id := range ids {
			if _, _, err := mergeStaffTx(ctx, tx, id, byID[id]); err != nil {
				return err
			}
		}
	}
	rec.Mode = "replace"
	if merge {
		rec.Mode = "merge"
	}
	if err := recordMaster(ctx, tx, rec); err != nil {
		return err
	}
	if err := auditMaster(ctx, tx, rec.Kind, a); err != nil {
		return err
	}
	return tx.Commit()
}

// MasterAudit is the after of a master.<kind>.import audit entry. The
// store fills in RowsDigest, the digest of the master's table as the
// import left it (MasterDigest), in the import's transaction: verify
// compares it with the table as it is now.
type MasterAudit struct {
	File       string `json:"file"`
	Path       string `json:"path"`
	SHA256     string `json:"sha256"`
	Read       int    `json:"read"`
	Accepted   int    `json:"accepted"`
	Rejected   int    `json:"rejected"`
	Mode       string `json:"mode"`
	RowsDigest string `json:"rows_digest,omitempty"`
}

// RowsDigester is the after of a master import's audit entry: the store
// fills in, in the import's transaction, the digest of the master's table
// as the import left it (MasterDigest), which verify compares with the
// table as it is later. MasterAudit is one; an entry with more to say (the
// 受付簿's) embeds it and returns itself.
type RowsDigester interface {
	WithRowsDigest(digest string) any
}

// WithRowsDigest returns the entry with its digest set.
func (m MasterAudit) WithRowsDigest(d string) any {
	m.RowsDigest = d
	return m
}

// auditMaster appends a master import's audit entry (when a is not nil)
// with the digest of what the import stored.
func auditMaster(ctx context.Context, tx DBTX, kind string, a *Audit) error {
	if a == nil {
		return nil
	}
	e := *a
	if r, ok := e.After.(RowsDigester); ok {
		d, err := masterDigest(ctx, tx, kind)
		if err != nil {
			return err
		}
		e.After = r.WithRowsDigest(d)
	}
	_, err := appendAudit(ctx, tx, e)
	return err
}

// SaveStaff stores one version of a staff member (an edit made on screen):
// it is merged with the stored versions of its ID like an imported row
// (MergeStaffRows), and the change is audited in the same transaction with
// the ID's versions before and after. It returns those versions.
func (s *Store) SaveStaff(ctx context.Context, st domain.Staff, user string) (before, after []domain.Staff, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return nil, nil, err
	}
	before, after, err = mergeStaffTx(ctx, tx, st.ID, []domain.Staff{st})
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES('master.staff.changed', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		time.Now().Format(stampLayout)); err != nil {
		return nil, nil, err
	}
	if _, err := appendAudit(ctx, tx, Audit{User: user, Action: "master.staff.edit", Target: st.ID, Before: before, After: after}); err != nil {
		return nil, nil, err
	}
	return before, after, tx.Commit()
}

// MergeStaffRows merges new versions of one person into the stored ones:
// a stored version that starts before a new one and is still open on its
// start is closed the day before (異動: the old 所属 ends, the new begins);
// a stored version that starts on or after a new one's start and overlaps
// it is replaced; stored versions that overlap no new one are kept. A zero
// start means "since always", a zero end "still in post".
func MergeStaffRows(stored, fresh []domain.Staff) []domain.Staff {
	fresh = append([]domain.Staff(nil), fresh...)
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Start.Before(fresh[j].Start) })
	var out []domain.Staff
	for _, old := range stored {
		keep := true
		for _, n := range fresh {
			if !overlaps(old.Start, old.End, n.Start, n.End) {
				continue
			}
			if !n.Start.IsZero() && (old.Start.IsZero() || old.Start.Before(n.Start)) {
				old.End = n.Start.AddDate(0, 0, -1)
				continue
			}
			keep = false
			break
		}
		if keep {
			out = append(out, old)
		}
	}
	out = append(out, fresh...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// overlaps reports whether [s1, e1] and [s2, e2] share a day; zero bounds
// are open.
func overlaps(s1, e1, s2, e2 time.Time) bool {
	if !e1.IsZero() && !s2.IsZero() && e1.Before(s2) {
		return false
	}
	if !e2.IsZero() && !s1.IsZero() && e2.Before(s1) {
		return false
	}
	return true
}

func mergeStaffTx(ctx context.Context, tx *sql.Tx, id string, fresh []domain.Staff) (before, after []domain.Staff, err error) {
	before, err = queryStaff(ctx, tx, "WHERE id = ?", id)
	if err != nil {
		return nil, nil, err
	}
	after = MergeStaffRows(before, fresh)
	if _, err := tx.ExecContext(ctx, "DELETE FROM staff WHERE id = ?", id); err != nil {
		return nil, nil, err
	}
	return before, after, insertStaff(ctx, tx, after)
}

func insertStaff(ctx context.Context, tx *sql.Tx, staff []domain.Staff) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO staff(id, name, dept, title, employment, start_date, end_date, usb,
		subject_id, systems, accounts, email, line) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, st := range staff {
		if _, err := stmt.ExecContext(ctx, st.ID, st.Name, st.Dept, st.Title, st.Employment, fmtDate(st.Start), fmtDate(st.End),
			st.USBAllowed, st.SubjectID, joinList(st.Systems), joinList(st.Accounts), joinList(st.Email), st.SourceLine); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return &domain.Error{Code: "duplicate_version", Message: fmt.Sprintf("職員ID「%s」には着任日 %s の行が2つあります。着任日を分けてください。", st.ID, fmtDate(st.Start)), Err: err}
			}
			return err
		}
	}
	return nil
}

// ReplaceGrants replaces the 権限マスタ with grants, recording the import.
func (s *Store) ReplaceGrants(ctx context.Context, grants []domain.Grant, rec MasterImport) error {
	return s.ImportGrants(ctx, grants, rec, nil)
}

// ImportGrants replaces the 権限マスタ (its rows carry their own 有効期間),
// recording the import and the audit entry a (if not nil) in one
// transaction.
func (s *Store) ImportGrants(ctx context.Context, grants []domain.Grant, rec MasterImport, a *Audit) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM access_grant"); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO access_grant(staff_id, dept, system, permission, from_date, to_date)
		VALUES(?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, g := range grants {
		if _, err := stmt.ExecContext(ctx, g.StaffID, g.Dept, g.System, g.Permission, fmtDate(g.From), fmtDate(g.To)); err != nil {
			return err
		}
	}
	rec.Mode = "replace"
	return finishMaster(ctx, tx, rec, a)
}

// ImportWatchlist replaces the 要注意対象 list (its rows carry their own
// 有効期間), recording the import and the audit entry in one transaction.
func (s *Store) ImportWatchlist(ctx context.Context, list []domain.WatchEntry, rec MasterImport, a *Audit) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM watch_entry"); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO watch_entry(subject_id, category, depts, staff_id, from_date, to_date, line)
		VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, w := range list {
		if _, err := stmt.ExecContext(ctx, w.SubjectID, w.Category, joinList(w.Depts), w.StaffID, fmtDate(w.From), fmtDate(w.To), w.SourceLine); err != nil {
			return err
		}
	}
	rec.Mode = "replace"
	return finishMaster(ctx, tx, rec, a)
}

// ImportOvertime adds approved 時間外申請 to the stored ones: lists come
// month by month, so an import replaces only the (職員ID, 日付) pairs it
// names and keeps the others; with replace every stored one goes first.
func (s *Store) ImportOvertime(ctx context.Context, list []domain.Overtime, rec MasterImport, replace bool, a *Audit) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rec.Mode = "merge"
	if replace {
		rec.Mode = "replace"
		if _, err := tx.ExecContext(ctx, "DELETE FROM overtime"); err != nil {
			return err
		}
	}
	del, err := tx.PrepareContext(ctx, "DELETE FROM overtime WHERE staff_id = ? AND date = ?")
	if err != nil {
		return err
	}
	defer del.Close()
	seen := map[[2]string]bool{}
	for _, o := range list {
		k := [2]string{o.StaffID, fmtDate(o.Date)}
		if !seen[k] {
			seen[k] = true
			if _, err := del.ExecContext(ctx, k[0], k[1]); err != nil {
				return err
			}
		}
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO overtime(staff_id, date, from_min, to_min, line) VALUES(?,?,?,?,?)")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, o := range list {
		if _, err := ins.ExecContext(ctx, o.StaffID, fmtDate(o.Date), int64(o.From/time.Minute), int64(o.To/time.Minute), o.SourceLine); err != nil {
			return err
		}
	}
	return finishMaster(ctx, tx, rec, a)
}

func finishMaster(ctx context.Context, tx *sql.Tx, rec MasterImport, a *Audit) error {
	if err := recordMaster(ctx, tx, rec); err != nil {
		return err
	}
	if err := auditMaster(ctx, tx, rec.Kind, a); err != nil {
		return err
	}
	return tx.Commit()
}

func recordMaster(ctx context.Context, db DBTX, rec MasterImport) error {
	if rec.Mode == "" {
		rec.Mode = "replace"
	}
	now := time.Now().Format(stampLayout)
	if _, err := db.ExecContext(ctx, `INSERT INTO master_import(kind, file, sha256, rows_read, accepted, rejected, imported_at, path, size, mode)
		VALUES(?,?,?,?,?,?,?,?,?,?)`, rec.Kind, rec.File, rec.SHA256, rec.Read, rec.Accepted, rec.Rejected, now, rec.Path, rec.Size, rec.Mode); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		"master."+rec.Kind+".changed", now)
	return err
}

const masterImportCols = "id, kind, file, sha256, rows_read, accepted, rejected, imported_at, path, size, mode"

func scanMasterImport(sc interface{ Scan(...any) error }) (MasterImport, int64, error) {
	var m MasterImport
	var id int64
	var at string
	err := sc.Scan(&id, &m.Kind, &m.File, &m.SHA256, &m.Read, &m.Accepted, &m.Rejected, &at, &m.Path, &m.Size, &m.Mode)
	m.ImportedAt = parseStamp(at)
	return m, id, err
}

// MasterImports returns the latest import of each master kind.
func (s *Store) MasterImports(ctx context.Context) ([]MasterImport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+masterImportCols+`
		FROM master_import WHERE id IN (SELECT max(id) FROM master_import GROUP BY kind) ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MasterImport
	for rows.Next() {
		m, _, err := scanMasterImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AllMasterImports returns every master import, oldest first.
func (s *Store) AllMasterImports(ctx context.Context) ([]MasterImport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+masterImportCols+` FROM master_import ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MasterImport
	for rows.Next() {
		m, _, err := scanMasterImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MasterKinds are the masters in display order.
var MasterKinds = []string{"staff", "grants", "watchlist", "overtime", "reception"}

var masterTables = map[string]string{"staff": "staff", "grants": "access_grant", "watchlist": "watch_entry", "overtime": "overtime", "reception": "reception"}

// MasterVersions returns, for every master kind, its latest import, its
// current row count and when it last changed. An inspection run stores
// these in its configuration snapshot.
func (s *Store) MasterVersions(ctx context.Context) ([]MasterVersion, error) {
	imports, err := s.MasterImports(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	var out []MasterVersion
	for _, k := range MasterKinds {
		v := MasterVersion{Kind: k}
		for i := range imports {
			if imports[i].Kind == k {
				v.Import = &imports[i]
			}
		}
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+masterTables[k]).Scan(&v.Rows); err != nil {
			return nil, err
		}
		v.Changed = parseStamp(settings["master."+k+".changed"])
		if v.Changed.IsZero() && v.Import != nil {
			v.Changed = v.Import.ImportedAt
		}
		out = append(out, v)
	}
	return out, nil
}

const staffCols = "id, name, dept, title, employment, start_date, end_date, usb, subject_id, systems, accounts, email, line"

func queryStaff(ctx context.Context, db DBTX, where string, args ...any) ([]domain.Staff, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+staffCols+" FROM staff "+where+" ORDER BY id, start_date", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Staff
	for rows.Next() {
		var st domain.Staff
		var start, end, systems, accounts, email string
		if err := rows.Scan(&st.ID, &st.Name, &st.Dept, &st.Title, &st.Employment, &start, &end, &st.USBAllowed,
			&st.SubjectID, &systems, &accounts, &email, &st.SourceLine); err != nil {
			return nil, err
		}
		st.Start, st.End = parseDate(start), parseDate(end)
		st.Systems, st.Accounts, st.Email = splitList(systems), splitList(accounts), splitList(email)
		out = append(out, st)
	}
	return out, rows.Err()
}

// Staff returns every version of every row of the 職員マスタ, ordered by ID
// and 着任日 (so a map keyed by ID built from it ends with the latest).
func (s *Store) Staff(ctx context.Context) ([]domain.Staff, error) {
	return queryStaff(ctx, s.db, "")
}

// StaffAt returns the versions of the 職員マスタ valid on day: those whose
// 有効期間 (着任日–離任日, either open) contains it.
func (s *Store) StaffAt(ctx context.Context, day time.Time) ([]domain.Staff, error) {
	d := day.Format(dateLayout)
	return queryStaff(ctx, s.db, "WHERE (start_date = '' OR start_date <= ?) AND (end_date = '' OR end_date >= ?)", d, d)
}

// StaffVersions returns the stored versions of one staff ID.
func (s *Store) StaffVersions(ctx context.Context, id string) ([]domain.Staff, error) {
	return queryStaff(ctx, s.db, "WHERE id = ?", id)
}

// Grants returns the 権限マスタ.
func (s *Store) Grants(ctx context.Context) ([]domain.Grant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT staff_id, dept, system, permission, from_date, to_date FROM access_grant ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Grant
	for rows.Next() {
		var g domain.Grant
		var from, to string
		if err := rows.Scan(&g.StaffID, &g.Dept, &g.System, &g.Permission, &from, &to); err != nil {
			return nil, err
		}
		g.From, g.To = parseDate(from), parseDate(to)
		out = append(out, g)
	}
	return out, rows.Err()
}

// Watchlist returns the 要注意対象 list in file order.
func (s *Store) Watchlist(ctx context.Context) ([]domain.WatchEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subject_id, category, depts, staff_id, from_date, to_date, line FROM watch_entry ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.WatchEntry
	for rows.Next() {
		var w domain.WatchEntry
		var depts, from, to string
		if err := rows.Scan(&w.SubjectID, &w.Category, &depts, &w.StaffID, &from, &to, &w.SourceLine); err != nil {
			return nil, err
		}
		w.Depts = splitList(depts)
		w.From, w.To = parseDate(from), parseDate(to)
		out = append(out, w)
	}
	return out, rows.Err()
}

// Overtime returns the approved 時間外申請 ordered by date and staff.
func (s *Store) Overtime(ctx context.Context) ([]domain.Overtime, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT staff_id, date, from_min, to_min, line FROM overtime ORDER BY date, staff_id, from_min`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Overtime
	for rows.Next() {
		var o domain.Overtime
		var date string
		var from, to int64
		if err := rows.Scan(&o.StaffID, &date, &from, &to, &o.SourceLine); err != nil {
			return nil, err
		}
		o.Date = parseDate(date)
		o.From, o.To = time.Duration(from)*time.Minute, time.Duration(to)*time.Minute
		out = append(out, o)
	}
	return out, rows.Err()
}

// marshalAudit turns a before/after value into the JSON stored in the
// audit log; nil is "" and a string is stored as it is.
func marshalAudit(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.RawMessage:
		return string(x), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "", nil
	}
	return string(b), nil
}

var errNotFound = errors.New("not found")
