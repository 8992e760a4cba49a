package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"time"

	"tenken/internal/domain"
)

// SaveRun stores an inspection run and its findings in one transaction and
// returns the run with its id. The run keeps a digest of its findings as
// stored (FindingsDigest), so a finding deleted or edited later is detected
// by VerifyRuns.
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
	d := newDigest()
	for _, f := range findings {
		ev, err := json.Marshal(f.Evidence)
		if err != nil {
			return run, err
		}
		row := storedFinding{f.Rule, f.StaffID, f.Date, string(f.Severity), int64(f.Count), f.Detail, string(ev), f.Excluded}
		d.add(row)
		if _, err := stmt.ExecContext(ctx, run.ID, row.rule, row.staff, row.date, row.severity, row.count, row.detail, row.evidence, row.excluded); err != nil {
			return run, err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE run SET digest = ? WHERE id = ?", d.sum(), run.ID); err != nil {
		return run, err
	}
	return run, tx.Commit()
}

// storedFinding is a finding's row as stored, the input of the digest.
type storedFinding struct {
	rule, staff, date, severity string
	count                       int64
	detail, evidence            string
	excluded                    bool
}

type digest struct {
	h hash.Hash
	n int
}

func newDigest() *digest { return &digest{h: sha256.New()} }

func (d *digest) add(f storedFinding) {
	b, _ := json.Marshal([]any{f.rule, f.staff, f.date, f.severity, f.count, f.detail, f.evidence, f.excluded})
	d.h.Write(b)
	d.h.Write([]byte{'\n'})
	d.n++
}

func (d *digest) sum() string {
	return fmt.Sprintf("%d:%s", d.n, hex.EncodeToString(d.h.Sum(nil)))
}

// RunCheck is the outcome of checking one run's findings against its digest.
type RunCheck struct {
	Run     domain.Run
	Stored  int  // findings stored now
	Digest  bool // the run has a digest (runs before schema 3 have none)
	Matches bool
}

// Runs returns every inspection run, oldest first.
func (s *Store) Runs(ctx context.Context) ([]domain.Run, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, from_date, to_date, at, config, findings FROM run ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Run
	for rows.Next() {
		var r domain.Run
		var from, to, at string
		if err := rows.Scan(&r.ID, &from, &to, &at, &r.Config, &r.Findings); err != nil {
			return nil, err
		}
		r.From, r.To, r.At = parseDate(from), parseDate(to), parseStamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// VerifyRuns recomputes every run's findings digest from the stored rows
// and compares it with the one stored when the run was saved.
func (s *Store) VerifyRuns(ctx context.Context) ([]RunCheck, error) {
	runs, err := s.Runs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RunCheck, 0, len(runs))
	for _, r := range runs {
		var want string
		if err := s.db.QueryRowContext(ctx, "SELECT digest FROM run WHERE id = ?", r.ID).Scan(&want); err != nil {
			return nil, err
		}
		rows, err := s.db.QueryContext(ctx, `SELECT rule, staff_id, date, severity, count, detail, evidence, excluded
			FROM finding WHERE run_id = ? ORDER BY id`, r.ID)
		if err != nil {
			return nil, err
		}
		d := newDigest()
		for rows.Next() {
			var f storedFinding
			if err := rows.Scan(&f.rule, &f.staff, &f.date, &f.severity, &f.count, &f.detail, &f.evidence, &f.excluded); err != nil {
				rows.Close()
				return nil, err
			}
			d.add(f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out = append(out, RunCheck{Run: r, Stored: d.n, Digest: want != "", Matches: want != "" && want == d.sum() && d.n == r.Findings})
	}
	return out, nil
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
