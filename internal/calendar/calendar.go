// Package calendar decides which days are 閉庁日: weekends, national holidays
// computed from the 祝日法 rules (or taken from the Cabinet Office's
// syukujitsu.csv), the year-end closing (12/29–1/3) and the town's own closed
// and open days. The HOLIDAY rule asks it about every log row, so answers are
// served from per-year tables built once and read without locks.
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Reasons returned by ClosedReason besides holiday names and the town's own.
const (
	ReasonSaturday = "土曜日"
	ReasonSunday   = "日曜日"
	ReasonYearEnd  = "年末年始"
	// ReasonTownClosed is used by AddClosed when the town gives no reason.
	ReasonTownClosed = "独自の閉庁日"
	// ReasonTownOpen is used by AddOpen when the town gives no reason.
	ReasonTownOpen = "開庁日"
)

// Calendar answers whether a day is a 閉庁日 for a town. Configure it with
// the Set/Add/Use methods, then query it from any number of goroutines: every
// method is safe for concurrent use, and a change is atomic (a reader sees the
// calendar wholly before or wholly after it). Queries are lock-free and
// allocation-free after a year's first query. The zero value is ready to use
// and behaves like Default(). A Calendar must not be copied; use Clone.
type Calendar struct {
	mu    sync.Mutex            // serialises changes
	state atomic.Pointer[state] // nil until first use: the default calendar
}

// Exception is one of the town's own days: a day closed although it would be
// a working day (開庁日 → 閉庁日), or opened although it would be closed
// (e.g. 休日開庁).
type Exception struct {
	Date   time.Time // midnight, UTC carrier
	Closed bool      // true: AddClosed; false: AddOpen
	Reason string
}

// config is an immutable snapshot of a calendar's settings.
type config struct {
	weekends   bool
	holidays   bool
	yearEnd    bool
	overrides  *Overrides
	exceptions map[int]Exception // dayKey → exception
}

// state pairs a configuration with the tables built from it; a change of
// configuration installs a new state, so tables never go stale.
type state struct {
	cfg    config
	tables lazyYears[dayTable]
}

// dayTable holds, for one year, why each day is closed ("" = working day).
type dayTable struct {
	reasons [366]string // index: day of the year - 1
}

// Default returns the calendar of DOMAIN.md: Saturdays, Sundays, national
// holidays and 12/29–1/3 are closed.
func Default() *Calendar {
	c := &Calendar{}
	c.load()
	return c
}

func defaultConfig() config {
	return config{weekends: true, holidays: true, yearEnd: true}
}

// load returns the current state, installing the default one on first use.
func (c *Calendar) load() *state {
	if s := c.state.Load(); s != nil {
		return s
	}
	c.state.CompareAndSwap(nil, &state{cfg: defaultConfig()})
	return c.state.Load()
}

// update applies change to a copy of the configuration and installs it.
func (c *Calendar) update(change func(*config)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg := c.load().cfg
	cfg.exceptions = cloneMap(cfg.exceptions)
	change(&cfg)
	c.state.Store(&state{cfg: cfg})
}

func cloneMap(m map[int]Exception) map[int]Exception {
	out := make(map[int]Exception, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Clone returns an independent calendar with the same settings, e.g. to
// derive a department's calendar (窓口延長, 24時間施設) from the town's.
func (c *Calendar) Clone() *Calendar {
	cfg := c.load().cfg
	cfg.exceptions = cloneMap(cfg.exceptions)
	n := &Calendar{}
	n.state.Store(&state{cfg: cfg})
	return n
}

// SetYearEndClosing switches the year-end closing (年末年始, 12/29–1/3) on or
// off. It is on by default, as 地方自治法 4条の2 and most towns' 条例 have it.
func (c *Calendar) SetYearEndClosing(on bool) {
	c.update(func(cfg *config) { cfg.yearEnd = on })
}

// SetWeekendClosing switches the closing of Saturdays and Sundays on or off
// (off for a facility open every day). It is on by default.
func (c *Calendar) SetWeekendClosing(on bool) {
	c.update(func(cfg *config) { cfg.weekends = on })
}

// SetHolidayClosing switches the closing of national holidays on or off. It is
// on by default.
func (c *Calendar) SetHolidayClosing(on bool) {
	c.update(func(cfg *config) { cfg.holidays = on })
}

// UseOverrides makes the calendar take the holidays of every year o covers
// from o instead of computing them; nil goes back to computing every year.
func (c *Calendar) UseOverrides(o *Overrides) {
	c.update(func(cfg *config) { cfg.overrides = o })
}

// AddClosed makes d a closed day with the town's reason (e.g. "創立記念日"),
// whatever it would otherwise be. An empty reason reads 独自の閉庁日. It
// replaces an earlier AddClosed or AddOpen of the same day.
func (c *Calendar) AddClosed(d time.Time, reason string) {
	c.addException(d, true, reason, ReasonTownClosed)
}

// AddOpen makes d a working day although it would be closed (e.g. "休日開庁"
// on a Sunday, for 確定申告 or an election); reason is kept for OpenReason
// and the report. An empty reason reads 開庁日. It replaces an earlier
// AddClosed or AddOpen of the same day.
func (c *Calendar) AddOpen(d time.Time, reason string) {
	c.addException(d, false, reason, ReasonTownOpen)
}

func (c *Calendar) addException(d time.Time, closed bool, reason, fallback string) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = fallback
	}
	y, m, dd := d.Date()
	e := Exception{Date: date(y, m, dd), Closed: closed, Reason: reason}
	c.update(func(cfg *config) { cfg.exceptions[dayKey(y, m, dd)] = e })
}

// RemoveException drops the town's own setting for d (from AddClosed or
// AddOpen), if any.
func (c *Calendar) RemoveException(d time.Time) {
	k := keyOf(d)
	c.update(func(cfg *config) { delete(cfg.exceptions, k) })
}

// Exceptions returns the town's own closed and open days, sorted by date.
func (c *Calendar) Exceptions() []Exception {
	ex := c.load().cfg.exceptions
	out := make([]Exception, 0, len(ex))
	for _, e := range ex {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Exception) int { return a.Date.Compare(b.Date) })
	return out
}

// IsClosed reports whether d is a 閉庁日. Only d's calendar date counts.
func (c *Calendar) IsClosed(d time.Time) bool {
	return c.ClosedReason(d) != ""
}

// ClosedReason returns why d is closed, or "" when it is a working day. In
// order of precedence: the town's own reason (AddClosed; AddOpen makes it ""),
// the holiday's name ("春分の日", "振替休日", "国民の休日", or the override
// file's name such as "休日"), "年末年始", then "土曜日" or "日曜日".
func (c *Calendar) ClosedReason(d time.Time) string {
	s := c.load()
	y, yd := yearDay(d)
	return s.tables.get(y, s.build).reasons[yd]
}

// OpenReason returns the town's reason for opening d (AddOpen), or "" when
// the town did not open it.
func (c *Calendar) OpenReason(d time.Time) string {
	if e, ok := c.load().cfg.exceptions[keyOf(d)]; ok && !e.Closed {
		return e.Reason
	}
	return ""
}

// HolidayName returns the name of the national holiday on d as this calendar
// sees it (from the overrides for a year they cover, else computed), or "".
// It does not depend on SetHolidayClosing.
func (c *Calendar) HolidayName(d time.Time) string {
	cfg := &c.load().cfg
	if o := cfg.overrides; o != nil && o.Covers(d.Year()) {
		return o.names[keyOf(d)]
	}
	return HolidayName(d)
}

// Holidays returns the national holidays of year as this calendar sees them
// (from the overrides for a year they cover, else computed), sorted.
func (c *Calendar) Holidays(year int) []Holiday {
	if o := c.load().cfg.overrides; o != nil {
		if hs, ok := o.Holidays(year); ok {
			return hs
		}
	}
	return Holidays(year)
}

// build computes the closed-day table of year under the state's settings.
func (s *state) build(year int) *dayTable {
	cfg := &s.cfg
	t := &dayTable{}
	var names []string // holiday name by day of the year - 1
	if cfg.holidays {
		if o := cfg.overrides; o != nil && o.Covers(year) {
			names = make([]string, daysIn(year))
			hs, _ := o.Holidays(year)
			for _, h := range hs {
				names[h.Date.YearDay()-1] = h.Name
			}
		} else {
			names = computed.get(year, buildHolidayYear).names[:]
		}
	}
	jan1 := date(year, time.January, 1)
	for i := range daysIn(year) {
		d := jan1.AddDate(0, 0, i)
		if e, ok := cfg.exceptions[keyOf(d)]; ok {
			if e.Closed {
				t.reasons[i] = e.Reason
			}
			continue
		}
		switch m, dd := d.Month(), d.Day(); {
		case names != nil && names[i] != "":
			t.reasons[i] = names[i]
		case cfg.yearEnd && (m == time.December && dd >= 29 || m == time.January && dd <= 3):
			t.reasons[i] = ReasonYearEnd
		case cfg.weekends && d.Weekday() == time.Saturday:
			t.reasons[i] = ReasonSaturday
		case cfg.weekends && d.Weekday() == time.Sunday:
			t.reasons[i] = ReasonSunday
		}
	}
	return t
}

// Summary describes the calendar's settings in Japanese for the report's
// 点検条件, e.g. 「土曜日・日曜日、国民の祝日、年末年始（12月29日〜1月3日）」.
func (c *Calendar) Summary() string {
	cfg := c.load().cfg
	var parts []string
	if cfg.weekends {
		parts = append(parts, "土曜日・日曜日")
	}
	if cfg.holidays {
		h := "国民の祝日"
		if o := cfg.overrides; o != nil {
			switch ys := o.Years(); {
			case len(ys) == 1:
				h += fmt.Sprintf("（%d年は「%s」による）", ys[0], o.Source())
			case len(ys) > 1:
				h += fmt.Sprintf("（%d年〜%d年は「%s」による）", ys[0], ys[len(ys)-1], o.Source())
			}
		}
		parts = append(parts, h)
	}
	if cfg.yearEnd {
		parts = append(parts, "年末年始（12月29日〜1月3日）")
	}
	closed, open := 0, 0
	for _, e := range cfg.exceptions {
		if e.Closed {
			closed++
		} else {
			open++
		}
	}
	if closed > 0 {
		parts = append(parts, fmt.Sprintf("独自の閉庁日%d日", closed))
	}
	s := strings.Join(parts, "、")
	if s == "" {
		s = "閉庁日なし"
	}
	if open > 0 {
		s += fmt.Sprintf("（ただし開庁日として%d日を除く）", open)
	}
	return s
}
