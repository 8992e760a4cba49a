package store

import (
	"context"
	"database/sql"
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

// BatchReject is a rejected row with the batch and file it came from.
type BatchReject struct {
	domain.Reject
	Batch int64
	File  string
}

// AllRejects returns the rejected rows of one batch, or of every batch
// when batchID is 0, in batch and line order.
func (s *Store) AllRejects(ctx context.Context, batchID int64) ([]BatchReject, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.batch_id, b.file, r.line, r.col, r.reason, r.raw
		FROM reject r JOIN import_batch b ON b.id = r.batch_id WHERE ? = 0 OR r.batch_id = ? ORDER BY r.batch_id, r.line`, batchID, batchID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BatchReject
	for rows.Next() {
		var r BatchReject
		if err := rows.Scan(&r.Batch, &r.File, &r.Line, &r.Column, &r.Reason, &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BatchEventCounts returns how many events each batch id has stored
// (batch ids of events whose batch is gone included).
func (s *Store) BatchEventCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT batch_id, count(*) FROM event_data GROUP BY batch_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
