package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tenken/internal/domain"
)

// ReceptionImport says what an import of a 受付簿 did to the stored rows.
type ReceptionImport struct {
	Replaced int       // stored rows of earlier imports replaced
	From, To time.Time // the days the file spans (zero when it has no rows)
}

// ImportReception stores an imported 受付簿.
//
// How versions work. A town exports its 受付簿 once a month, from one 窓口
// system or as one Excel file per 所属, and now and then corrects a month
// and imports it again. Like the 時間外申請 (merged by 職員ID and 日付), an
// import therefore replaces only what its file covers and keeps the rest:
// for each 所属 named in the file, the stored rows of the days from the
// file's first 受付日 to its last. So a corrected May replaces May, a row
// deleted in the correction disappears, the same file imported twice adds
// nothing, June is added beside May, and 市民課's file leaves 税務課's rows
// alone. With replace, every stored row goes first (a town starting over).
// Nothing goes silently: the number of rows replaced and the span are
// returned, recorded in the audit entry (built by audit from them, in the
// same transaction) and shown to the user; the rows a run used stay in its
// snapshot.
func (s *Store) ImportReception(ctx context.Context, rows []domain.Reception, rec MasterImport, replace bool, audit func(ReceptionImport) *Audit) (ReceptionImport, error) {
	var out ReceptionImport
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return out, err
	}
	rec.Mode = "merge"
	if replace {
		rec.Mode = "replace"
	}
	if err := recordMaster(ctx, tx, rec); err != nil {
		return out, err
	}
	var importID int64
	if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM master_import").Scan(&importID); err != nil {
		return out, err
	}
	depts := map[string]bool{}
	for _, r := range rows {
		d := domain.DateOf(r.Time)
		if out.From.IsZero() || d.Before(out.From) {
			out.From = d
		}
		if d.After(out.To) {
			out.To = d
		}
		depts[DeptKey(r.Dept)] = true
	}
	var res sql.Result
	if replace {
		res, err = tx.ExecContext(ctx, "DELETE FROM reception")
	} else if len(rows) > 0 {
		keys := make([]any, 0, len(depts)+2)
		keys = append(keys, fmtDate(out.From), fmtDate(out.To))
		for k := range depts {
			keys = append(keys, k)
		}
		res, err = tx.ExecContext(ctx, "DELETE FROM reception WHERE day BETWEEN ? AND ? AND dept_key IN (?"+strings.Repeat(",?", len(depts)-1)+")", keys...)
	}
	if err != nil {
		return out, err
	}
	if res != nil {
		n, err := res.RowsAffected()
		if err != nil {
			return out, err
		}
		out.Replaced = int(n)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO reception(import_id, ts, has_clock, day, no, dept, dept_key, procedure, subject_id, staff_id, line)
		VALUES(?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return out, err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, importID, r.Time.Unix(), r.HasClock, fmtDate(r.Time), r.No, r.Dept, DeptKey(r.Dept),
			r.Procedure, r.SubjectID, r.StaffID, r.SourceLine); err != nil {
			return out, err
		}
	}
	if audit != nil {
		if a := audit(out); a != nil {
			if err := auditMaster(ctx, tx, "reception", a); err != nil {
				return out, err
			}
		}
	}
	return out, tx.Commit()
}

// DeptKey folds a 所属 for comparison the way the rules compare
// department names: NFKC (full-width letters and digits), no white space,
// lower case. "市民課", "市民 課" and "市民課　" are one 所属.
func DeptKey(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsSpace(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Reception returns the 受付簿 rows whose 受付日時 falls in [from, to),
// ordered by time, 所属 and file order. The rules ask for a bounded
// window (their period and the days before it), never the whole history.
func (s *Store) Reception(ctx context.Context, from, to time.Time) ([]domain.Reception, error) {
	return s.queryReception(ctx, "WHERE ts >= ? AND ts < ?", from.Unix(), to.Unix())
}

// AllReception returns every stored 受付簿 row, for listing the master.
func (s *Store) AllReception(ctx context.Context) ([]domain.Reception, error) {
	return s.queryReception(ctx, "")
}

func (s *Store) queryReception(ctx context.Context, where string, args ...any) ([]domain.Reception, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ts, has_clock, no, dept, procedure, subject_id, staff_id, line
		FROM reception `+where+` ORDER BY ts, dept_key, import_id, line`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Reception
	for rows.Next() {
		var r domain.Reception
		var ts int64
		if err := rows.Scan(&ts, &r.HasClock, &r.No, &r.Dept, &r.Procedure, &r.SubjectID, &r.StaffID, &r.SourceLine); err != nil {
			return nil, err
		}
		r.Time = time.Unix(ts, 0).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
