package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"tenken/internal/domain"
)

// SaveRun stores an inspection run and its findings in one transaction and
// returns the run with its id.
func (s *Store) SaveRun(ctx context.Context, run domain.Run, findings []domain.Finding) (domain.Run, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return run, err
	}
	defer tx.Rollback()
	if run.At.IsZero() {
		run.At = time.Now()
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO run(from_date, to_date, at, config, findings) VALUES(?,?,?,?,?)",
		fmtDate(run.From), fmtDate(run.To), run.At.Format(stampLayout), run.Config, len(findings))
	if err != nil {
		return run, err
	}
	run.ID, _ = res.LastInsertId()
	run.Findings = len(findings)
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO finding(run_id, rule, staff_id, date, severity, count, detail, evidence, excluded)
		VALUES(?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return run, err
	}
	defer stmt.Close()
	for _, f := range findings {
		ev, err := json.Marshal(f.Evidence)
		if err != nil {
			return run, err
		}
		if _, err := stmt.ExecContext(ctx, run.ID, f.Rule, f.StaffID, f.Date, string(f.Severity), f.Count, f.Detail, string(ev), f.Excluded); err != nil {
			return run, err
		}
	}
	return run, tx.Commit()
}

// LatestRun returns the most recent inspection run, or nil when none.
func (s *Store) LatestRun(ctx context.Context) (*domain.Run, error) {
	var r domain.Run
	var from, to, at string
	err := s.db.QueryRowContext(ctx, "SELECT id, from_date, to_date, at, config, findings FROM run ORDER BY id DESC LIMIT 1").
		Scan(&r.ID, &from, &to, &at, &r.Config, &r.Findings)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.From, r.To, r.At = parseDate(from), parseDate(to), parseStamp(at)
	return &r, nil
}

// Findings returns the findings of a run in the order they were stored.
func (s *Store) Findings(ctx context.Context, runID int64) ([]domain.Finding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, run_id, rule, staff_id, date, severity, count, detail, evidence, excluded
		FROM finding WHERE run_id = ? ORDER BY id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Finding
	for rows.Next() {
		var f domain.Finding
		var sev, ev string
		if err := rows.Scan(&f.ID, &f.RunID, &f.Rule, &f.StaffID, &f.Date, &sev, &f.Count, &f.Detail, &ev, &f.Excluded); err != nil {
			return nil, err
		}
		f.Severity = domain.Severity(sev)
		if err := json.Unmarshal([]byte(ev), &f.Evidence); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
