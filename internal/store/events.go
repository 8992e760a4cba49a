package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tenken/internal/domain"
)

// FindBatch returns the batch that imported a file with this SHA-256 into
// this system, if any.
func (s *Store) FindBatch(ctx context.Context, sha256, system string) (*domain.ImportBatch, error) {
	bs, err := s.queryBatches(ctx, "WHERE sha256 = ? AND system = ?", sha256, system)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	return &bs[0], nil
}

// Batches returns every import batch, oldest first.
func (s *Store) Batches(ctx context.Context) ([]domain.ImportBatch, error) {
	return s.queryBatches(ctx, "")
}

func (s *Store) queryBatches(ctx context.Context, where string, args ...any) ([]domain.ImportBatch, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, file, size, sha256, encoding, system, kind, mapping,
		rows_read, accepted, rejected, duplicate, imported_at, min_ts, max_ts
		FROM import_batch `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ImportBatch
	for rows.Next() {
		var b domain.ImportBatch
		var kind, at string
		var minTS, maxTS sql.NullInt64
		if err := rows.Scan(&b.ID, &b.File, &b.Size, &b.SHA256, &b.Encoding, &b.System, &kind, &b.Mapping,
			&b.Read, &b.Accepted, &b.Rejected, &b.Duplicate, &at, &minTS, &maxTS); err != nil {
			return nil, err
		}
		b.Kind = domain.LogKind(kind)
		b.ImportedAt = parseStamp(at)
		b.MinTime, b.MaxTime = unixOrZero(minTS), unixOrZero(maxTS)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Import is one file's import transaction: everything added through it
// becomes visible at Commit, or not at all.
type Import struct {
	tx       *sql.Tx
	batchID  int64
	insEvent *sql.Stmt
	insRej   *sql.Stmt
	min, max int64
	accepted int
	dup      int
	rejected int
	encoding string
}

// SetEncoding records the file's encoding as finally detected (a file whose
// first block is ASCII is only known to be CP932 once a kanji appears).
func (im *Import) SetEncoding(label string) { im.encoding = label }

// BeginImport starts the transaction for one file. The batch's counts are
// filled in by Commit.
func (s *Store) BeginImport(ctx context.Context, b domain.ImportBatch) (*Import, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO import_batch(file, size, sha256, encoding, system, kind, mapping,
		rows_read, accepted, rejected, duplicate, imported_at) VALUES(?,?,?,?,?,?,?,0,0,0,0,?)`,
		b.File, b.Size, b.SHA256, b.Encoding, b.System, string(b.Kind), b.Mapping, time.Now().Format(stampLayout))
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	id, _ := res.LastInsertId()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO event(batch_id, ts, staff_id, staff_name, terminal, system, function,
		action, raw_action, subject_id, records, result, device, file, mail_to, line, fp)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	rej, err := tx.PrepareContext(ctx, `INSERT INTO reject(batch_id, line, col, reason, raw) VALUES(?,?,?,?,?)`)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return &Import{tx: tx, batchID: id, insEvent: ins, insRej: rej}, nil
}

// BatchID returns the id of the batch being imported.
func (im *Import) BatchID() int64 { return im.batchID }

// Add stores one event with its fingerprint. It reports false when an
// identical event (same staff, second and fingerprint) is already stored,
// e.g. from an overlapping export; such a row is counted as a duplicate.
func (im *Import) Add(ctx context.Context, e *domain.Event, fp int64) (bool, error) {
	ts := e.Time.Unix()
	res, err := im.insEvent.ExecContext(ctx, im.batchID, ts, e.StaffID, e.StaffName, e.Terminal, e.System, e.Function,
		string(e.Action), e.RawAction, e.SubjectID, e.Records, e.Result, e.Device, e.File, e.MailTo, e.Line, fp)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 0 {
		im.dup++
		return false, nil
	}
	im.accepted++
	if im.accepted == 1 || ts < im.min {
		im.min = ts
	}
	if im.accepted == 1 || ts > im.max {
		im.max = ts
	}
	return true, nil
}

// Reject records an input row that was not accepted.
func (im *Import) Reject(ctx context.Context, r domain.Reject) error {
	im.rejected++
	// A NUL byte would cut the stored text short; show it instead.
	_, err := im.insRej.ExecContext(ctx, im.batchID, r.Line, r.Column, r.Reason, strings.ReplaceAll(r.Raw, "\x00", "\\0"))
	return err
}

// Commit writes the batch's counts and commits. read must equal accepted +
// rejected + duplicate; otherwise nothing is committed.
func (im *Import) Commit(ctx context.Context, read int) (domain.ImportBatch, error) {
	defer im.close()
	if read != im.accepted+im.rejected+im.dup {
		im.tx.Rollback()
		return domain.ImportBatch{}, fmt.Errorf("internal: rows read %d != accepted %d + rejected %d + duplicate %d", read, im.accepted, im.rejected, im.dup)
	}
	var minTS, maxTS any
	if im.accepted > 0 {
		minTS, maxTS = im.min, im.max
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE import_batch SET rows_read = ?, accepted = ?, rejected = ?, duplicate = ?,
		min_ts = ?, max_ts = ?, encoding = coalesce(nullif(?, ''), encoding) WHERE id = ?`,
		read, im.accepted, im.rejected, im.dup, minTS, maxTS, im.encoding, im.batchID); err != nil {
		im.tx.Rollback()
		return domain.ImportBatch{}, err
	}
	if err := im.tx.Commit(); err != nil {
		return domain.ImportBatch{}, err
	}
	return domain.ImportBatch{ID: im.batchID, Read: read, Accepted: im.accepted, Rejected: im.rejected, Duplicate: im.dup,
		MinTime: unixOrZero(sql.NullInt64{Int64: im.min, Valid: im.accepted > 0}),
		MaxTime: unixOrZero(sql.NullInt64{Int64: im.max, Valid: im.accepted > 0})}, nil
}

// Rollback abandons the import; the database is as before BeginImport.
func (im *Import) Rollback() error {
	defer im.close()
	err := im.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

func (im *Import) close() {
	im.insEvent.Close()
	im.insRej.Close()
}

// Rejects returns the rejected rows of a batch, in line order.
func (s *Store) Rejects(ctx context.Context, batchID int64) ([]domain.Reject, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT line, col, reason, raw FROM reject WHERE batch_id = ? ORDER BY line", batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Reject
	for rows.Next() {
		var r domain.Reject
		if err := rows.Scan(&r.Line, &r.Column, &r.Reason, &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// EventStats summarises the stored events.
type EventStats struct {
	Count    int64
	From, To time.Time // zero when there are no events
	Systems  []string
}

// EventStats returns the number of events and the period they cover.
func (s *Store) EventStats(ctx context.Context) (EventStats, error) {
	var st EventStats
	var minTS, maxTS sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*), min(min_ts), max(max_ts) FROM import_batch WHERE accepted > 0").Scan(new(int), &minTS, &maxTS); err != nil {
		return st, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(sum(accepted), 0) FROM import_batch").Scan(&st.Count); err != nil {
		return st, err
	}
	st.From, st.To = unixOrZero(minTS), unixOrZero(maxTS)
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT system FROM import_batch ORDER BY system")
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var sys string
		if err := rows.Scan(&sys); err != nil {
			return st, err
		}
		st.Systems = append(st.Systems, sys)
	}
	return st, rows.Err()
}

// EachEvent streams the events with from <= Time < to, ordered by staff ID
// and time. The *domain.Event passed to fn is reused between calls: copy
// what you keep.
func (s *Store) EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT ts, staff_id, staff_name, terminal, system, function, action, raw_action,
		subject_id, records, result, device, file, mail_to, line
		FROM event WHERE ts >= ? AND ts < ? ORDER BY staff_id, ts, id`, from.Unix(), to.Unix())
	if err != nil {
		return err
	}
	defer rows.Close()
	var e domain.Event
	var ts int64
	var action string
	for rows.Next() {
		if err := rows.Scan(&ts, &e.StaffID, &e.StaffName, &e.Terminal, &e.System, &e.Function, &action, &e.RawAction,
			&e.SubjectID, &e.Records, &e.Result, &e.Device, &e.File, &e.MailTo, &e.Line); err != nil {
			return err
		}
		e.Time = time.Unix(ts, 0).UTC()
		e.Action = domain.Action(action)
		if err := fn(&e); err != nil {
			return err
		}
	}
	return rows.Err()
}
