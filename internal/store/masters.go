package store

import (
	"context"
	"strings"
	"time"

	"tenken/internal/domain"
)

// MasterImport records one imported master file.
type MasterImport struct {
	Kind       string
	File       string
	SHA256     string
	Read       int
	Accepted   int
	Rejected   int
	ImportedAt time.Time
}

// systemsSep joins a staff member's systems in one column; it cannot occur
// in a CSV cell's text after import.
const systemsSep = "\x1f"

// ReplaceStaff replaces the 職員マスタ with staff, recording the import, in
// one transaction.
func (s *Store) ReplaceStaff(ctx context.Context, staff []domain.Staff, rec MasterImport) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM staff"); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO staff(id, name, dept, title, employment, start_date, end_date, usb,
		subject_id, systems, line) VALUES(?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, st := range staff {
		if _, err := stmt.ExecContext(ctx, st.ID, st.Name, st.Dept, st.Title, st.Employment, fmtDate(st.Start), fmtDate(st.End),
			st.USBAllowed, st.SubjectID, strings.Join(st.Systems, systemsSep), st.SourceLine); err != nil {
			return err
		}
	}
	if err := recordMaster(ctx, tx, rec); err != nil {
		return err
	}
	return tx.Commit()
}

// ReplaceGrants replaces the 権限マスタ with grants, recording the import.
func (s *Store) ReplaceGrants(ctx context.Context, grants []domain.Grant, rec MasterImport) error {
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
	if err := recordMaster(ctx, tx, rec); err != nil {
		return err
	}
	return tx.Commit()
}

func recordMaster(ctx context.Context, db DBTX, rec MasterImport) error {
	_, err := db.ExecContext(ctx, `INSERT INTO master_import(kind, file, sha256, rows_read, accepted, rejected, imported_at)
		VALUES(?,?,?,?,?,?,?)`, rec.Kind, rec.File, rec.SHA256, rec.Read, rec.Accepted, rec.Rejected, time.Now().Format(stampLayout))
	return err
}

// MasterImports returns the latest import of each master kind.
func (s *Store) MasterImports(ctx context.Context) ([]MasterImport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, file, sha256, rows_read, accepted, rejected, imported_at
		FROM master_import WHERE id IN (SELECT max(id) FROM master_import GROUP BY kind) ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MasterImport
	for rows.Next() {
		var m MasterImport
		var at string
		if err := rows.Scan(&m.Kind, &m.File, &m.SHA256, &m.Read, &m.Accepted, &m.Rejected, &at); err != nil {
			return nil, err
		}
		m.ImportedAt = parseStamp(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Staff returns the 職員マスタ ordered by ID.
func (s *Store) Staff(ctx context.Context) ([]domain.Staff, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, dept, title, employment, start_date, end_date, usb, subject_id,
		systems, line FROM staff ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Staff
	for rows.Next() {
		var st domain.Staff
		var start, end, systems string
		if err := rows.Scan(&st.ID, &st.Name, &st.Dept, &st.Title, &st.Employment, &start, &end, &st.USBAllowed,
			&st.SubjectID, &systems, &st.SourceLine); err != nil {
			return nil, err
		}
		st.Start, st.End = parseDate(start), parseDate(end)
		if systems != "" {
			st.Systems = strings.Split(systems, systemsSep)
		}
		out = append(out, st)
	}
	return out, rows.Err()
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
