package store

import (
	"context"
	"time"

	"tenken/internal/domain"
)

// The queries in this file read events only through the view event_v
// (migration 002), never the physical table, so that the storage of events
// can change without touching them. ts is the JST wall clock in seconds
// counted as if it were UTC, so plain integer arithmetic gives the local
// day, hour and weekday: day = ts / 86400, hour = ts / 3600 % 24, and
// 1970-01-01 was a Thursday (weekday 4, Sunday = 0).

const secondsPerDay = 86400

// dayBounds turns an inclusive range of calendar days into the half-open
// [lo, hi) range of ts. A zero from or to leaves that side open.
func dayBounds(from, to time.Time) (lo, hi int64) {
	lo, hi = -1<<62, 1<<62
	if !from.IsZero() {
		lo = domain.DateOf(from).Unix()
	}
	if !to.IsZero() {
		hi = domain.DateOf(to).Unix() + secondsPerDay
	}
	return lo, hi
}

// HourWeekday counts events by weekday (Sunday = 0) and hour of day over
// the calendar days from..to (inclusive; zero = open). staffID "" counts
// everyone's events.
func (s *Store) HourWeekday(ctx context.Context, staffID string, from, to time.Time) ([7][24]int, error) {
	var out [7][24]int
	lo, hi := dayBounds(from, to)
	q := `SELECT ((ts / 86400) + 4) % 7 AS wd, (ts / 3600) % 24 AS hr, count(*)
		FROM event_v WHERE ts >= ? AND ts < ?`
	args := []any{lo, hi}
	if staffID != "" {
		q += " AND staff_id = ?"
		args = append(args, staffID)
	}
	q += " GROUP BY wd, hr"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var wd, hr, n int
		if err := rows.Scan(&wd, &hr, &n); err != nil {
			return out, err
		}
		// ts before 1970 would give negative remainders; such rows cannot
		// come from a log of a living system and are not counted.
		if wd >= 0 && wd < 7 && hr >= 0 && hr < 24 {
			out[wd][hr] += n
		}
	}
	return out, rows.Err()
}

// DayTotal is the number of events on one calendar day.
type DayTotal struct {
	Day   time.Time // midnight, UTC-carried wall clock
	Count int
}

// DailyCounts counts events per calendar day over from..to (inclusive;
// zero = open), in day order. Days without events are left out.
func (s *Store) DailyCounts(ctx context.Context, from, to time.Time) ([]DayTotal, error) {
	lo, hi := dayBounds(from, to)
	rows, err := s.db.QueryContext(ctx, `SELECT ts / 86400 AS d, count(*) FROM event_v
		WHERE ts >= ? AND ts < ? GROUP BY d ORDER BY d`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DayTotal
	for rows.Next() {
		var d int64
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out = append(out, DayTotal{Day: time.Unix(d*secondsPerDay, 0).UTC(), Count: n})
	}
	return out, rows.Err()
}

// SystemDays is, for one system, every calendar day its log has rows on.
type SystemDays struct {
	System string
	Days   []DayTotal // in day order
	Events int64
	First  time.Time // the oldest and newest event
	Last   time.Time
}

// SystemDays lists, per system, the days its logs cover. It is what the
// report's ログの網羅性 is computed from.
func (s *Store) SystemDays(ctx context.Context) ([]SystemDays, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT system, ts / 86400 AS d, count(*), min(ts), max(ts)
		FROM event_v GROUP BY system, d ORDER BY system, d`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SystemDays
	for rows.Next() {
		var sys string
		var d, lo, hi int64
		var n int
		if err := rows.Scan(&sys, &d, &n, &lo, &hi); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].System != sys {
			out = append(out, SystemDays{System: sys, First: time.Unix(lo, 0).UTC()})
		}
		cur := &out[len(out)-1]
		cur.Days = append(cur.Days, DayTotal{Day: time.Unix(d*secondsPerDay, 0).UTC(), Count: n})
		cur.Events += int64(n)
		cur.Last = time.Unix(hi, 0).UTC()
	}
	return out, rows.Err()
}

// AccountCounts is one account's activity over a period, by kind of
// operation (the report's アカウント別利用状況).
type AccountCounts struct {
	StaffID         string
	Events          int64
	Logons          int64
	Lookups         int64
	Updates         int64
	Exports         int64
	ExportedRecords int64
	DeviceWrites    int64
	Prints          int64
	// MailsWithAttachment lists the recipients of each mail sent with an
	// attachment; whether an address is external depends on the town's
	// domains, which the caller knows.
	MailsWithAttachment []string
}

// AccountCounts summarises every account's activity over from..to
// (inclusive; zero = open), ordered by staff ID.
func (s *Store) AccountCounts(ctx context.Context, from, to time.Time) ([]AccountCounts, error) {
	lo, hi := dayBounds(from, to)
	rows, err := s.db.QueryContext(ctx, `SELECT staff_id, action, count(*), coalesce(sum(records), 0)
		FROM event_v WHERE ts >= ? AND ts < ? GROUP BY staff_id, action ORDER BY staff_id`, lo, hi)
	if err != nil {
		return nil, err
	}
	var out []AccountCounts
	idx := map[string]int{}
	for rows.Next() {
		var id, action string
		var n, recs int64
		if err := rows.Scan(&id, &action, &n, &recs); err != nil {
			rows.Close()
			return nil, err
		}
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, AccountCounts{StaffID: id})
		}
		a := &out[i]
		a.Events += n
		switch domain.Action(action) {
		case domain.ActionLogin:
			a.Logons += n
		case domain.ActionLookup:
			a.Lookups += n
		case domain.ActionUpdate:
			a.Updates += n
		case domain.ActionExport:
			a.Exports += n
			a.ExportedRecords += recs
		case domain.ActionDeviceWrite:
			a.DeviceWrites += n
		case domain.ActionPrint:
			a.Prints += n
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mails, err := s.db.QueryContext(ctx, `SELECT staff_id, mail_to FROM event_v
		WHERE ts >= ? AND ts < ? AND action = ? AND attachment <> '' ORDER BY staff_id, ts`, lo, hi, string(domain.ActionMailSend))
	if err != nil {
		return nil, err
	}
	defer mails.Close()
	for mails.Next() {
		var id, to string
		if err := mails.Scan(&id, &to); err != nil {
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i].MailsWithAttachment = append(out[i].MailsWithAttachment, to)
		}
	}
	return out, mails.Err()
}

// SystemEvents counts events per system over from..to (inclusive; zero =
// open): which systems an inspection run covered.
func (s *Store) SystemEvents(ctx context.Context, from, to time.Time) (map[string]int64, error) {
	lo, hi := dayBounds(from, to)
	rows, err := s.db.QueryContext(ctx, `SELECT system, count(*) FROM event_v WHERE ts >= ? AND ts < ? GROUP BY system`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var sys string
		var n int64
		if err := rows.Scan(&sys, &n); err != nil {
			return nil, err
		}
		out[sys] = n
	}
	return out, rows.Err()
}

// RunsStarting returns the inspection runs whose period starts within
// from..to (inclusive), oldest first: the runs of a fiscal year for the
// 年間総括.
func (s *Store) RunsStarting(ctx context.Context, from, to time.Time) ([]domain.Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, from_date, to_date, at, config, findings FROM run
		WHERE from_date >= ? AND from_date <= ? ORDER BY from_date, id`, fmtDate(from), fmtDate(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Run
	for rows.Next() {
		var r domain.Run
		var f, t, at string
		if err := rows.Scan(&r.ID, &f, &t, &at, &r.Config, &r.Findings); err != nil {
			return nil, err
		}
		r.From, r.To, r.At = parseDate(f), parseDate(t), parseStamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
