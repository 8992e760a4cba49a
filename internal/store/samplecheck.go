package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"tenken/internal/domain"
)

// EachAction streams the events of one canonical action with
// from <= Time < to, in storage order (not sorted: a caller whose result
// does not depend on order, such as the 抽出点検 sample, saves the sort).
// The *domain.Event passed to fn is reused between calls.
func (s *Store) EachAction(ctx context.Context, from, to time.Time, action domain.Action, fn func(*domain.Event) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driverConn)
		if !ok {
			return fmt.Errorf("store: unexpected driver connection %T", dc)
		}
		if _, err := exec(c, "BEGIN"); err != nil {
			return err
		}
		defer exec(c, "ROLLBACK")
		d, err := loadDictionary(ctx, c)
		if err != nil {
			return err
		}
		rows, err := c.QueryContext(context.Background(), `SELECT e.ts, e.staff, e.ctx, e.subject_id, e.records, e.file,
			e.mail_to, e.attachment, e.attach_size, e.batch_id, e.line, e.seq
			FROM event_data AS e
			WHERE e.ts >= ? AND e.ts < ? AND e.ctx IN (SELECT x.id FROM event_ctx AS x JOIN dict AS a ON a.id = x.action WHERE a.s = ?)`,
			[]driver.NamedValue{{Ordinal: 1, Value: from.Unix()}, {Ordinal: 2, Value: to.Unix()}, {Ordinal: 3, Value: string(action)}})
		if err != nil {
			return err
		}
		defer rows.Close()
		var e domain.Event
		return scanEvents(ctx, rows, d, make([]driver.Value, 12), &e, fn)
	})
}

// RunFindingsDigest returns the digest of a run's findings stored when
// the run was saved ("" for runs from before digests existed).
func (s *Store) RunFindingsDigest(ctx context.Context, runID int64) (string, error) {
	var digest string
	err := s.db.QueryRowContext(ctx, "SELECT digest FROM run WHERE id = ?", runID).Scan(&digest)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &domain.Error{Code: "no_run", Message: fmt.Sprintf("点検番号 %d の点検はありません。", runID)}
	}
	return digest, err
}
