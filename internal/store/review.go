package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tenken/internal/domain"
)

// AddExclusion stores an exclusion and its audit entry in one transaction
// and returns it with its id and time; user is who acts in the audit log
// (x.By is who approved it). Validation is the caller's.
func (s *Store) AddExclusion(ctx context.Context, x domain.Exclusion, user string) (domain.Exclusion, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return x, err
	}
	defer tx.Rollback()
	if x.At.IsZero() {
		x.At = time.Now()
	}
	var rule, date string
	if x.Finding != nil {
		rule, date = x.Finding.Rule, x.Finding.Date
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO exclusion(kind, staff_id, rule, date, reason, by_name, at) VALUES(?,?,?,?,?,?,?)`,
		x.Kind, x.StaffID, rule, date, x.Reason, x.By, x.At.Format(stampLayout))
	if err != nil {
		return x, err
	}
	x.ID, _ = res.LastInsertId()
	x.At = parseStamp(x.At.Format(stampLayout))
	if _, err := appendAudit(ctx, tx, Audit{User: user, Action: "exclusion.add", Target: exclusionTarget(x), After: x}); err != nil {
		return x, err
	}
	return x, tx.Commit()
}

func exclusionTarget(x domain.Exclusion) string {
	if x.Finding != nil {
		return fmt.Sprintf("%s/%s/%s", x.Finding.Rule, x.Finding.StaffID, x.Finding.Date)
	}
	return x.Kind + ":" + x.StaffID
}

// ErrNotFound is returned when the record asked for does not exist.
var ErrNotFound = errNotFound

// RevokeExclusion marks an exclusion revoked (it stays stored) and audits
// it; user is who acts in the audit log. It returns the exclusion before
// and after.
func (s *Store) RevokeExclusion(ctx context.Context, id int64, reason, by, user string) (domain.Exclusion, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return domain.Exclusion{}, err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return domain.Exclusion{}, err
	}
	now := time.Now().Format(stampLayout)
	res, err := tx.ExecContext(ctx, "UPDATE exclusion SET revoked_at = ?, revoke_reason = ?, revoked_by = ? WHERE id = ? AND revoked_at = ''", now, reason, by, id)
	if err != nil {
		return domain.Exclusion{}, err
	}
	n, _ := res.RowsAffected()
	after, err := queryExclusions(ctx, tx, "WHERE id = ?", id)
	if err != nil {
		return domain.Exclusion{}, err
	}
	if len(after) == 0 {
		return domain.Exclusion{}, errNotFound
	}
	if n == 0 {
		return after[0], &domain.Error{Code: "already_revoked", Message: fmt.Sprintf("除外 %d 番は %s に取り消し済みです。", id, after[0].Revoked.Format("2006-01-02 15:04"))}
	}
	before := after[0]
	before.Revoked, before.RevokeReason, before.RevokedBy = nil, "", ""
	if _, err := appendAudit(ctx, tx, Audit{User: user, Action: "exclusion.revoke", Target: exclusionTarget(after[0]), Before: before, After: after[0]}); err != nil {
		return domain.Exclusion{}, err
	}
	return after[0], tx.Commit()
}

// Exclusions returns every exclusion, revoked ones included, oldest first.
func (s *Store) Exclusions(ctx context.Context) ([]domain.Exclusion, error) {
	return queryExclusions(ctx, s.db, "")
}

func queryExclusions(ctx context.Context, db DBTX, where string, args ...any) ([]domain.Exclusion, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, kind, staff_id, rule, date, reason, by_name, at, revoked_at, revoke_reason, revoked_by
		FROM exclusion `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Exclusion
	for rows.Next() {
		var x domain.Exclusion
		var rule, date, at, revoked string
		if err := rows.Scan(&x.ID, &x.Kind, &x.StaffID, &rule, &date, &x.Reason, &x.By, &at, &revoked, &x.RevokeReason, &x.RevokedBy); err != nil {
			return nil, err
		}
		x.At = parseStamp(at)
		if rule != "" || date != "" {
			x.Finding = &domain.FindingKey{Rule: rule, StaffID: x.StaffID, Date: date}
		}
		if revoked != "" {
			t := parseStamp(revoked)
			x.Revoked = &t
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SetReview stores the review of a finding and its audit entry (before and
// after) in one transaction.
func (s *Store) SetReview(ctx context.Context, r domain.Review, user string) (before *domain.Review, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := lockWrite(ctx, tx); err != nil {
		return nil, err
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	old, err := queryReviews(ctx, tx, "WHERE rule = ? AND staff_id = ? AND date = ?", r.Key.Rule, r.Key.StaffID, r.Key.Date)
	if err != nil {
		return nil, err
	}
	if len(old) > 0 {
		before = &old[0]
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review(rule, staff_id, date, status, comment, by_name, at) VALUES(?,?,?,?,?,?,?)
		ON CONFLICT(rule, staff_id, date) DO UPDATE SET status = excluded.status, comment = excluded.comment,
		by_name = excluded.by_name, at = excluded.at`,
		r.Key.Rule, r.Key.StaffID, r.Key.Date, string(r.Status), r.Comment, r.By, r.At.Format(stampLayout)); err != nil {
		return nil, err
	}
	r.At = parseStamp(r.At.Format(stampLayout))
	var b any
	if before != nil {
		b = before
	}
	if _, err := appendAudit(ctx, tx, Audit{User: user, Action: "review.set",
		Target: fmt.Sprintf("%s/%s/%s", r.Key.Rule, r.Key.StaffID, r.Key.Date), Before: b, After: r}); err != nil {
		return nil, err
	}
	return before, tx.Commit()
}

// Reviews returns the current review of every reviewed finding.
func (s *Store) Reviews(ctx context.Context) ([]domain.Review, error) {
	return queryReviews(ctx, s.db, "")
}

func queryReviews(ctx context.Context, db DBTX, where string, args ...any) ([]domain.Review, error) {
	rows, err := db.QueryContext(ctx, "SELECT rule, staff_id, date, status, comment, by_name, at FROM review "+where+" ORDER BY rule, staff_id, date", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Review
	for rows.Next() {
		var r domain.Review
		var status, at string
		if err := rows.Scan(&r.Key.Rule, &r.Key.StaffID, &r.Key.Date, &status, &r.Comment, &r.By, &at); err != nil {
			return nil, err
		}
		r.Status, r.At = domain.ReviewStatus(status), parseStamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindingExists reports whether any stored run has a finding with key k.
func (s *Store) FindingExists(ctx context.Context, k domain.FindingKey) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM finding WHERE rule = ? AND staff_id = ? AND date = ? LIMIT 1", k.Rule, k.StaffID, k.Date).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
