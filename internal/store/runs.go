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
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
)

// RunAudit is what the run.inspect audit entry of a run records besides
// the run itself: who ran it, the rules that ran and the import batches
// whose events it read (so that verify reproduces it over exactly those).
type RunAudit struct {
	User    string
	Rules   []string
	Batches []int64 // nil: every batch stored when the run is saved
}

// SaveRun stores an inspection run and its findings in one transaction and
// returns the run with its id. The run keeps a digest of its findings as
// stored (FindingsDigest), so a finding deleted or edited later is detected
// by VerifyRuns; the same transaction appends the run.inspect audit entry
// with that digest, the digest of the configuration snapshot and the
// batches the run saw (a, or every stored batch).
func (s *Store) SaveRun(ctx context.Context, run domain.Run, findings []domain.Finding, a ...RunAudit) (domain.Run, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return run, err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return run, err
	}
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
	var ra RunAudit
	if len(a) > 0 {
		ra = a[0]
	}
	if ra.Batches == nil {
		if ra.Batches, err = batchIDs(ctx, tx); err != nil {
			return run, err
		}
	}
	if _, err := appendAudit(ctx, tx, Audit{User: ra.User, Action: "run.inspect", Target: fmt.Sprintf("点検 %d", run.ID), After: RunInspect{
		Run: run.ID, From: fmtDate(run.From), To: fmtDate(run.To), Rules: strings.Join(ra.Rules, ","), Findings: len(findings),
		ConfigDigest: ConfigDigest(run.Config), FindingsDigest: d.sum(), Batches: FormatIDs(ra.Batches)}}); err != nil {
		return run, err
	}
	return run, tx.Commit()
}

// RunInspect is the after of a run.inspect audit entry.
type RunInspect struct {
	Run            int64  `json:"run"`
	From           string `json:"from"`
	To             string `json:"to"`
	Rules          string `json:"rules"` // rule IDs, comma-separated
	Findings       int    `json:"findings"`
	ConfigDigest   string `json:"config_digest"`
	FindingsDigest string `json:"findings_digest"`
	Batches        string `json:"batches"` // FormatIDs: "1-4,7"
}

func batchIDs(ctx context.Context, db DBTX) ([]int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM import_batch ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// BatchIDs returns the ids of the stored import batches, ascending.
func (s *Store) BatchIDs(ctx context.Context) ([]int64, error) { return batchIDs(ctx, s.db) }

// FormatIDs writes ascending ids as ranges: 1,2,3,5 → "1-3,5".
func FormatIDs(ids []int64) string {
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(ids[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(ids[j], 10))
		}
		i = j + 1
	}
	return b.String()
}

// ParseIDs reads what FormatIDs writes.
func ParseIDs(s string) ([]int64, error) {
	out := []int64{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.ParseInt(lo, 10, 64)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(hi, 10, 64); err != nil {
				return nil, err
			}
		}
		if b < a || b-a > 1<<24 {
			return nil, fmt.Errorf("bad id range %q", part)
		}
		for id := a; id <= b; id++ {
			out = append(out, id)
		}
	}
	return out, nil
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
	// Recomputed is the digest of the findings as stored now.
	Recomputed string
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
		out = append(out, RunCheck{Run: r, Stored: d.n, Digest: want != "", Matches: want != "" && want == d.sum() && d.n == r.Findings, Recomputed: d.sum()})
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

// RunAuditOf returns the run.inspect audit entry of a run (false when the
// run has none: made before runs were audited, or its entry is gone).
func (s *Store) RunAuditOf(ctx context.Context, runID int64) (RunInspect, bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT after FROM audit_log WHERE action = 'run.inspect' ORDER BY seq")
	if err != nil {
		return RunInspect{}, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var after string
		if err := rows.Scan(&after); err != nil {
			return RunInspect{}, false, err
		}
		var a RunInspect
		if json.Unmarshal([]byte(after), &a) == nil && a.Run == runID {
			return a, true, nil
		}
	}
	return RunInspect{}, false, rows.Err()
}
