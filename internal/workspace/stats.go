package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/report"
)

// DayCount is the number of log events on one day, with whether the day
// is a 閉庁日 (the daily trend chart).
type DayCount = report.DayCount

// SystemCoverage is how completely one system's logs cover the inspection
// period and how far back they reach (ログの網羅性).
type SystemCoverage = report.SystemCoverage

// Heatmap counts the events of one staff member ("" = everyone) by
// weekday (Sunday = 0) and hour over the days from..to (inclusive; zero =
// open).
func (w *Workspace) Heatmap(ctx context.Context, staffID string, from, to time.Time) ([7][24]int, error) {
	return w.store.HourWeekday(ctx, staffID, from, to)
}

// DailyCounts returns every day of from..to (inclusive) with its number
// of events and whether it is a 閉庁日 by the hearing sheet's calendar.
// Zero from or to means the first or last day of the logs.
func (w *Workspace) DailyCounts(ctx context.Context, from, to time.Time) ([]DayCount, error) {
	cal, err := w.currentCalendar(ctx)
	if err != nil {
		return nil, err
	}
	return w.dailyCounts(ctx, from, to, cal)
}

// maxChartDays caps the trend chart: a period longer than this (a
// workspace holding years of logs) is charted from its last days.
const maxChartDays = 400

func (w *Workspace) dailyCounts(ctx context.Context, from, to time.Time, cal *calendar.Calendar) ([]DayCount, error) {
	if from.IsZero() || to.IsZero() {
		st, err := w.store.EventStats(ctx)
		if err != nil {
			return nil, err
		}
		if st.Count == 0 {
			return nil, nil
		}
		if from.IsZero() {
			from = st.From
		}
		if to.IsZero() {
			to = st.To
		}
	}
	from, to = domain.DateOf(from), domain.DateOf(to)
	if to.Before(from) {
		return nil, nil
	}
	if to.Sub(from) > maxChartDays*24*time.Hour {
		from = to.AddDate(0, 0, -maxChartDays+1)
	}
	counts, err := w.store.DailyCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	byDay := make(map[int64]int, len(counts))
	for _, c := range counts {
		byDay[c.Day.Unix()] = c.Count
	}
	var out []DayCount
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		c := DayCount{Day: d, Count: byDay[d.Unix()]}
		if cal.IsClosed(d) {
			c.Closed = true
			c.Reason = cal.ClosedReason(d)
		}
		out = append(out, c)
	}
	return out, nil
}

// Coverage returns, per system, the period its logs cover, the working
// days of the inspection period (the latest run's, else the logs' own
// span) without any log, and the oldest log against the retention rule
// (hearing retention_years, 7 by default).
func (w *Workspace) Coverage(ctx context.Context) ([]SystemCoverage, error) {
	h, err := w.Hearing(ctx)
	if err != nil {
		return nil, err
	}
	var from, to time.Time
	run, err := w.store.LatestRun(ctx)
	if err != nil {
		return nil, err
	}
	if run != nil {
		from, to = run.From, run.To
		if snap, ok := runSnapshot(run); ok {
			if sh, err := snap.sheet(); err == nil {
				h = sh
			}
		}
	}
	return w.coverage(ctx, from, to, h.Calendar(), h.RetentionYears, time.Now())
}

// coverage computes the ログの網羅性 over from..to (zero = each system's
// own span) as of the day now.
func (w *Workspace) coverage(ctx context.Context, from, to time.Time, cal *calendar.Calendar, years int, now time.Time) ([]SystemCoverage, error) {
	sys, err := w.store.SystemDays(ctx)
	if err != nil {
		return nil, err
	}
	due := domain.DateOf(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).AddDate(-years, 0, 0)
	out := make([]SystemCoverage, 0, len(sys))
	for _, s := range sys {
		c := SystemCoverage{System: s.System, First: s.First, Last: s.Last, Events: s.Events, RetentionDue: due}
		pf, pt := from, to
		if pf.IsZero() || pt.IsZero() {
			pf, pt = domain.DateOf(s.First), domain.DateOf(s.Last)
		}
		c.PeriodFrom, c.PeriodTo = pf, pt
		has := make(map[int64]bool, len(s.Days))
		for _, d := range s.Days {
			if !d.Day.Before(pf) && !d.Day.After(pt) {
				has[d.Day.Unix()] = true
				c.DaysWithLog++
			}
		}
		for d := pf; !d.After(pt); d = d.AddDate(0, 0, 1) {
			if cal.IsClosed(d) {
				continue
			}
			c.WorkingDays++
			if !has[d.Unix()] {
				c.MissingDays = append(c.MissingDays, d)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// runSnapshot reads the configuration a run stored.
func runSnapshot(run *domain.Run) (runConfig, bool) {
	var snap runConfig
	if run == nil || strings.TrimSpace(run.Config) == "" {
		return snap, false
	}
	if err := json.Unmarshal([]byte(run.Config), &snap); err != nil {
		return snap, false
	}
	return snap, true
}

// currentCalendar is the calendar of the hearing sheet as it is now.
func (w *Workspace) currentCalendar(ctx context.Context) (*calendar.Calendar, error) {
	h, err := w.Hearing(ctx)
	if err != nil {
		return nil, err
	}
	return h.Calendar(), nil
}
