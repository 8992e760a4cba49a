package store

import (
	"context"
	"time"
)

// StaffDayCounts is the reference query of the rules' speed target
// (issue 5, `make bench`): one `SELECT staff_id, date(ts,'unixepoch'),
// count(*) … GROUP BY` over the events of [from, to), read through the
// view event_v like every query outside the importer. It returns how many
// (staff, day) groups there are and the events counted, so the benchmark
// can check that it read what the rules read.
func (s *Store) StaffDayCounts(ctx context.Context, from, to time.Time) (groups, events int64, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT staff_id, date(ts, 'unixepoch') AS d, count(*)
		FROM event_v WHERE ts >= ? AND ts < ? GROUP BY staff_id, d`, from.Unix(), to.Unix())
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var staff, day string
	var n int64
	for rows.Next() {
		if err := rows.Scan(&staff, &day, &n); err != nil {
			return 0, 0, err
		}
		groups++
		events += n
	}
	return groups, events, rows.Err()
}
