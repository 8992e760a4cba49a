package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"tenken/internal/domain"
)

// dictionary is the stored dictionary in memory, for reading events: the
// strings of every event come from it, so streaming a million events
// allocates no strings.
type dictionary struct {
	s   map[int64]string
	ctx map[int64]*eventCtx
}

// eventCtx is one row of event_ctx with its strings.
type eventCtx struct {
	name, terminal, system, function string
	action                           domain.Action
	rawAction, result, device        string
	kind                             domain.LogKind
}

func loadDictionary(ctx context.Context, c driverConn) (*dictionary, error) {
	rows, err := c.QueryContext(ctx, "SELECT id, s FROM dict", nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	d := &dictionary{s: map[int64]string{}, ctx: map[int64]*eventCtx{}}
	dest := make([]driver.Value, 2)
	for {
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		d.s[i64(dest[0])] = asString(dest[1])
	}
	crows, err := c.QueryContext(ctx, "SELECT id, name, terminal, system, function, action, raw_action, result, device, kind FROM event_ctx", nil)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	cd := make([]driver.Value, 10)
	for {
		if err := crows.Next(cd); err != nil {
			if errors.Is(err, io.EOF) {
				return d, nil
			}
			return nil, err
		}
		g := func(i int) string { return d.s[i64(cd[i])] }
		d.ctx[i64(cd[0])] = &eventCtx{name: g(1), terminal: g(2), system: g(3), function: g(4), action: domain.Action(g(5)),
			rawAction: g(6), result: g(7), device: g(8), kind: domain.LogKind(g(9))}
	}
}

// EachEvent streams the events with from <= Time < to, ordered by staff ID
// and time (then by id: the order of the rows in their files). The
// *domain.Event passed to fn is reused between calls: copy what you keep.
// fn may call other methods of the Store.
//
// It reads the table in one pass and lets SQLite's external merge sort
// order it (memory stays bounded; following the key index instead would
// fetch every row from a random page); the dictionary keys are decoded
// from memory, so the strings of the events are shared, not allocated per
// row. About 3 s of CPU per million events.
func (s *Store) EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error {
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
		// One read transaction: every staff member's query sees the same
		// snapshot even while an import commits.
		if _, err := exec(c, "BEGIN"); err != nil {
			return err
		}
		defer exec(c, "ROLLBACK")
		d, err := loadDictionary(ctx, c)
		if err != nil {
			return err
		}
		// One pass over the table, sorted by SQLite's external merge sort
		// (bounded memory, temporary files): following the key index
		// instead would fetch every row from a random page of the table.
		rows, err := c.QueryContext(context.Background(), `SELECT e.ts, e.staff, e.ctx, e.subject_id, e.records, e.file,
			e.mail_to, e.attachment, e.attach_size, e.batch_id, e.line, e.seq
			FROM event_data AS e NOT INDEXED JOIN dict AS d ON d.id = e.staff
			WHERE e.ts >= ? AND e.ts < ? ORDER BY d.s, e.ts, e.id`,
			[]driver.NamedValue{{Ordinal: 1, Value: from.Unix()}, {Ordinal: 2, Value: to.Unix()}})
		if err != nil {
			return err
		}
		defer rows.Close()
		var e domain.Event
		dest := make([]driver.Value, 12)
		return scanEvents(ctx, rows, d, dest, &e, fn)
	})
}

const eventSelect = `SELECT ts, staff, ctx, subject_id, records, file, mail_to, attachment, attach_size, batch_id, line, seq
	FROM event_data`

func scanEvents(ctx context.Context, rows driver.Rows, d *dictionary, dest []driver.Value, e *domain.Event, fn func(*domain.Event) error) error {
	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		x := d.ctx[i64(dest[2])]
		if x == nil {
			x = &eventCtx{}
		}
		*e = domain.Event{
			Time:       time.Unix(i64(dest[0]), 0).UTC(),
			StaffID:    d.s[i64(dest[1])],
			StaffName:  x.name,
			Terminal:   x.terminal,
			System:     x.system,
			Function:   x.function,
			Action:     x.action,
			RawAction:  x.rawAction,
			SubjectID:  d.s[i64(dest[3])],
			Records:    i64(dest[4]),
			Result:     x.result,
			Device:     x.device,
			File:       asString(dest[5]),
			MailTo:     asString(dest[6]),
			Attachment: asString(dest[7]),
			AttachSize: i64(dest[8]),
			Kind:       x.kind,
			Batch:      i64(dest[9]),
			Line:       int(i64(dest[10])),
			Seq:        i64(dest[11]),
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

func i64(v driver.Value) int64 {
	n, _ := v.(int64)
	return n
}
