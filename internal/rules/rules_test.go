package rules

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// fakeSource behaves like the store: it sorts by staff ID then time, keeps
// from <= Time < to, and passes one reused *domain.Event, so a rule that
// keeps the pointer instead of a copy fails the tests.
type fakeSource struct {
	events    []domain.Event
	err       error // returned after the events
	from, to  time.Time
	delivered int
	calls     int
}

func (f *fakeSource) EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error {
	f.calls++
	f.from, f.to = from, to
	evs := slices.Clone(f.events)
	slices.SortStableFunc(evs, func(a, b domain.Event) int {
		return cmp.Or(strings.Compare(a.StaffID, b.StaffID), a.Time.Compare(b.Time))
	})
	var buf domain.Event
	for i := range evs {
		if evs[i].Time.Before(from) || !evs[i].Time.Before(to) {
			continue
		}
		buf = evs[i]
		f.delivered++
		if err := fn(&buf); err != nil {
			return err
		}
		buf = domain.Event{StaffID: "overwritten", System: "overwritten"}
	}
	return f.err
}

// hm is a time of day as a duration.
func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// day parses a YYYY-MM-DD date in the UTC carrier.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// at parses "2025-04-07 08:30:00" in the UTC carrier.
func at(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

var lineNo int

// ev builds an event; line numbers are unique so evidence can be traced.
func ev(staff, when, system string, action domain.Action) domain.Event {
	lineNo++
	return domain.Event{Time: at(when), StaffID: staff, System: system, Action: action, Line: lineNo}
}

// Test calendar dates (2025): 4/5 Sat, 4/6 Sun, 4/7 Mon, 4/10 Thu,
// 4/28 Mon, 4/29 昭和の日, 4/30 Wed, 5/1 Thu, 5/6 振替休日, 12/30 年末年始.
func baseConfig() Config {
	return Config{
		From:     day("2025-04-01"),
		To:       day("2026-03-31"),
		Calendar: calendar.Default(),
		Staff: []domain.Staff{
			{ID: "S001", Name: "山田", Dept: "税務課", Start: day("2020-04-01"), Systems: []string{"住民記録"}},
			{ID: "S002", Name: "佐藤", Dept: "福祉課"},
			{ID: "S003", Name: "鈴木", Dept: "税務課", Start: day("2015-04-01"), End: day("2025-04-30"), Systems: []string{"税"}},
			{ID: "S004", Name: "高橋", Dept: "税務課", Start: day("2025-05-01"), Systems: []string{"税"}},
			{ID: "S005", Name: "田中", Dept: "総務課"},
			{ID: "S006", Name: "伊藤", Dept: "総務課"},
			// Re-hired (再任用) after a gap: two rows for one ID.
			{ID: "S007", Name: "渡辺", Dept: "住民課", Start: day("2020-04-01"), End: day("2025-03-31"), Systems: []string{"住民記録"}},
			{ID: "S007", Name: "渡辺", Dept: "住民課", Start: day("2025-04-10"), Systems: []string{"住民記録"}},
			{ID: "abc01", Name: "小林", Dept: "情報政策課", Systems: []string{"GIS"}},
			// Lists 住民記録, but 福祉課's 権限マスタ row allows only 照会.
			{ID: "S008", Name: "石井", Dept: "福祉課", Systems: []string{"住民記録"}},
			{ID: "たなか01", Name: "田中", Dept: "福祉課"},
		},
		Grants: []domain.Grant{
			{Dept: "福祉課", System: "福祉"},
			{Dept: "福祉課", System: "住民記録", Permission: "照会"},
			{StaffID: "s005", System: "税", Permission: "出力", From: day("2025-04-01"), To: day("2025-04-09")},
			{StaffID: "S006", System: "税", From: day("2025-05-01")},
		},
	}
}

type want struct {
	rule, staff, date string
	sev               domain.Severity
	count             int
	detail            []string // substrings the detail must contain
}

type ruleCase struct {
	name   string
	events []domain.Event
	config func(*Config)
	want   []want
}

// runCases runs each case with only the given rules enabled (all when
// none) and compares the findings, in order, with want.
func runCases(t *testing.T, rules []string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			if len(rules) > 0 {
				cfg.Enabled = map[string]bool{}
				for _, r := range rules {
					cfg.Enabled[r] = true
				}
			}
			if tc.config != nil {
				tc.config(&cfg)
			}
			got, err := Run(context.Background(), &fakeSource{events: tc.events}, cfg, nil)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkFindings(t, got, tc.want)
		})
	}
}

func checkFindings(t *testing.T, got []domain.Finding, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("got %d findings, want %d:", len(got), len(wants))
		for _, f := range got {
			t.Errorf("  %s %s %s %s n=%d %s", f.Rule, f.StaffID, f.Date, f.Severity, f.Count, f.Detail)
		}
		return
	}
	for i, w := range wants {
		f := got[i]
		if f.Rule != w.rule || f.StaffID != w.staff || f.Date != w.date || f.Severity != w.sev || f.Count != w.count {
			t.Errorf("finding %d = %s %s %s %s n=%d, want %s %s %s %s n=%d", i,
				f.Rule, f.StaffID, f.Date, f.Severity, f.Count, w.rule, w.staff, w.date, w.sev, w.count)
		}
		for _, s := range w.detail {
			if !strings.Contains(f.Detail, s) {
				t.Errorf("finding %d detail %q lacks %q", i, f.Detail, s)
			}
		}
		if len(f.Evidence) != min(f.Count, DefaultMaxEvidence) {
			t.Errorf("finding %d has %d evidence rows for count %d", i, len(f.Evidence), f.Count)
		}
		for _, e := range f.Evidence {
			if idKey(strings.TrimSpace(e.StaffID)) != idKey(f.StaffID) || e.Time.Format(time.DateOnly) != f.Date {
				t.Errorf("finding %d (%s %s) has foreign evidence %+v", i, f.StaffID, f.Date, e)
			}
		}
	}
}

func TestAfterHours(t *testing.T) {
	const sys = "住民記録"
	lk := domain.ActionLookup
	many := make([]domain.Event, 0, 12)
	for i := range 12 {
		many = append(many, ev("S001", fmt.Sprintf("2025-04-07 %02d:%02d:00", 21+(40+i*2)/60, (40+i*2)%60), sys, lk))
	}
	many[11].Time = at("2025-04-07 22:05:00")
	runCases(t, []string{AfterHours}, []ruleCase{
		{name: "start and end are inside", events: []domain.Event{
			ev("S001", "2025-04-07 08:30:00", sys, lk),
			ev("S001", "2025-04-07 17:15:00", sys, lk),
			ev("S001", "2025-04-07 12:00:00", sys, lk),
		}},
		{name: "one second before start", events: []domain.Event{ev("S001", "2025-04-07 08:29:59", sys, lk)},
			want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, []string{"勤務時間外（8:30〜17:15以外）に1件の操作（8:29）"}}}},
		{name: "one second after end", events: []domain.Event{ev("S001", "2025-04-07 17:15:01", sys, lk)},
			want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, []string{"（17:15）"}}}},
		{name: "twelve events into the night", events: many,
			want: []want{{AfterHours, "S001", "2025-04-07", domain.High, 12,
				[]string{"勤務時間外（8:30〜17:15以外）に12件の操作（21:40〜22:05）", "深夜"}}}},
		{name: "21:59:59 is not yet night", events: []domain.Event{ev("S001", "2025-04-07 21:59:59", sys, lk)},
			want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, nil}}},
		{name: "04:59:59 is night", events: []domain.Event{ev("S001", "2025-04-07 04:59:59", sys, lk)},
			want: []want{{AfterHours, "S001", "2025-04-07", domain.High, 1, []string{"深夜"}}}},
		{name: "05:00:00 is no longer night", events: []domain.Event{ev("S001", "2025-04-07 05:00:00", sys, lk)},
			want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, nil}}},
		{name: "export makes it high", events: []domain.Event{
			ev("S001", "2025-04-07 18:00:00", sys, lk),
			ev("S001", "2025-04-07 18:05:00", sys, domain.ActionExport),
		}, want: []want{{AfterHours, "S001", "2025-04-07", domain.High, 2, []string{"うち出力1件"}}}},
		{name: "morning and evening in one finding", events: []domain.Event{
			ev("S001", "2025-04-07 07:50:00", sys, lk),
			ev("S001", "2025-04-07 08:10:00", sys, lk),
			ev("S001", "2025-04-07 18:10:00", sys, lk),
		}, want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 3, []string{"（7:50〜8:10、18:10）"}}}},
		{name: "one finding per staff and day", events: []domain.Event{
			ev("S001", "2025-04-07 18:00:00", sys, lk),
			ev("S001", "2025-04-08 18:00:00", sys, lk),
			ev("S002", "2025-04-07 19:00:00", sys, lk),
		}, want: []want{
			{AfterHours, "S001", "2025-04-07", domain.Medium, 1, nil},
			{AfterHours, "S001", "2025-04-08", domain.Medium, 1, nil},
			{AfterHours, "S002", "2025-04-07", domain.Medium, 1, nil},
		}},
		{name: "closed day is not after hours", events: []domain.Event{ev("S001", "2025-04-05 20:00:00", sys, lk)}},
		{name: "approved overtime covers its window only", events: []domain.Event{
			ev("S001", "2025-04-07 20:00:00", sys, lk),
			ev("S001", "2025-04-07 21:00:00", sys, lk),
			ev("S001", "2025-04-07 21:00:01", sys, lk),
		}, config: func(c *Config) {
			c.Overtime = []domain.Overtime{{StaffID: "s001", Date: day("2025-04-07"), From: hm(17, 15), To: hm(21, 0)}}
		}, want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, []string{"（21:00）"}}}},
		{name: "overtime of another staff member does not count", events: []domain.Event{ev("S001", "2025-04-07 20:00:00", sys, lk)},
			config: func(c *Config) {
				c.Overtime = []domain.Overtime{{StaffID: "S002", Date: day("2025-04-07"), From: hm(17, 15), To: hm(21, 0)}}
			}, want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, nil}}},
		{name: "overtime past midnight", events: []domain.Event{
			ev("S001", "2025-04-07 23:00:00", sys, lk),
			ev("S001", "2025-04-08 01:30:00", sys, lk),
			ev("S001", "2025-04-08 02:30:00", sys, lk),
		}, config: func(c *Config) {
			c.Overtime = []domain.Overtime{{StaffID: "S001", Date: day("2025-04-07"), From: hm(22, 0), To: hm(26, 0)}}
		}, want: []want{{AfterHours, "S001", "2025-04-08", domain.High, 1, []string{"（2:30）"}}}},
		{name: "custom working hours", events: []domain.Event{
			ev("S001", "2025-04-07 08:45:00", sys, lk),
			ev("S001", "2025-04-07 17:30:00", sys, lk),
		}, config: func(c *Config) { c.WorkStart, c.WorkEnd = "9:00", "１８:００" },
			want: []want{{AfterHours, "S001", "2025-04-07", domain.Medium, 1, []string{"勤務時間外（9:00〜18:00以外）", "（8:45）"}}}},
		{name: "unknown ID is still after hours", events: []domain.Event{ev("X999", "2025-04-07 20:00:00", sys, lk)},
			want: []want{{AfterHours, "X999", "2025-04-07", domain.Medium, 1, nil}}},
	})
}

func TestHoliday(t *testing.T) {
	const sys = "住民記録"
	lk := domain.ActionLookup
	runCases(t, []string{Holiday, AfterHours}, []ruleCase{
		{name: "saturday", events: []domain.Event{ev("S001", "2025-04-05 10:00:00", sys, lk)},
			want: []want{{Holiday, "S001", "2025-04-05", domain.Medium, 1, []string{"閉庁日（土曜日）に1件の操作（10:00）"}}}},
		{name: "sunday at night is holiday, not after hours", events: []domain.Event{ev("S001", "2025-04-06 23:00:00", sys, lk)},
			want: []want{{Holiday, "S001", "2025-04-06", domain.Medium, 1, []string{"日曜日"}}}},
		{name: "substitute holiday", events: []domain.Event{ev("S001", "2025-05-06 10:00:00", sys, lk)},
			want: []want{{Holiday, "S001", "2025-05-06", domain.Medium, 1, []string{"閉庁日（振替休日）"}}}},
		{name: "national holiday", events: []domain.Event{ev("S001", "2025-04-29 10:00:00", sys, lk)},
			want: []want{{Holiday, "S001", "2025-04-29", domain.Medium, 1, []string{"昭和の日"}}}},
		{name: "year end", events: []domain.Event{ev("S001", "2025-12-30 10:00:00", sys, lk)},
			want: []want{{Holiday, "S001", "2025-12-30", domain.Medium, 1, []string{"年末年始"}}}},
		{name: "export makes it high", events: []domain.Event{
			ev("S001", "2025-04-05 10:00:00", sys, lk),
			ev("S001", "2025-04-05 11:40:00", sys, domain.ActionExport),
		}, want: []want{{Holiday, "S001", "2025-04-05", domain.High, 2, []string{"（10:00〜11:40）", "うち出力1件"}}}},
		{name: "working day is not a holiday", events: []domain.Event{ev("S001", "2025-04-07 10:00:00", sys, lk)}},
		{name: "town's own closed day", events: []domain.Event{ev("S001", "2025-04-14 10:00:00", sys, lk)},
			config: func(c *Config) {
				c.Calendar = calendar.Default()
				c.Calendar.AddClosed(day("2025-04-14"), "庁舎停電")
			}, want: []want{{Holiday, "S001", "2025-04-14", domain.Medium, 1, []string{"閉庁日（庁舎停電）"}}}},
		{name: "approved holiday work", events: []domain.Event{
			ev("S001", "2025-04-05 10:00:00", sys, lk),
			ev("S001", "2025-04-05 13:00:00", sys, lk),
		}, config: func(c *Config) {
			c.Overtime = []domain.Overtime{{StaffID: "S001", Date: day("2025-04-05"), From: hm(9, 0), To: hm(12, 0)}}
		}, want: []want{{Holiday, "S001", "2025-04-05", domain.Medium, 1, []string{"（13:00）"}}}},
	})
}

func TestUnauthorizedSystem(t *testing.T) {
	lk, ex := domain.ActionLookup, domain.ActionExport
	runCases(t, []string{UnauthorizedSystem}, []ruleCase{
		{name: "own systems list grants everything", events: []domain.Event{
			ev("S001", "2025-04-07 10:00:00", "住民記録", lk),
			ev("S001", "2025-04-07 10:01:00", "住民記録", ex),
			ev("S001", "2025-04-07 10:02:00", "住民記録", domain.ActionUpdate),
		}},
		{name: "system not granted", events: []domain.Event{ev("S001", "2025-04-07 10:00:00", "税", lk)},
			want: []want{{UnauthorizedSystem, "S001", "2025-04-07", domain.High, 1, []string{"「税」の利用権限なし（1件）"}}}},
		{name: "department grant without permission", events: []domain.Event{
			ev("S002", "2025-04-07 10:00:00", "福祉", ex),
			ev("S002", "2025-04-07 10:01:00", "福祉", domain.ActionUpdate),
		}},
		{name: "lookup-only grant permits lookup and login", events: []domain.Event{
			ev("S002", "2025-04-07 09:00:00", "住民記録", domain.ActionLogin),
			ev("S002", "2025-04-07 10:00:00", "住民記録", lk),
			ev("S002", "2025-04-07 10:05:00", "住民記録", domain.ActionOther),
		}},
		{name: "lookup-only grant and an export", events: []domain.Event{
			ev("S002", "2025-04-07 10:00:00", "住民記録", lk),
			ev("S002", "2025-04-07 10:01:00", "住民記録", ex),
			ev("S002", "2025-04-07 10:02:00", "住民記録", domain.ActionUpdate),
		}, want: []want{{UnauthorizedSystem, "S002", "2025-04-07", domain.High, 2,
			[]string{"「住民記録」の更新権限なし（1件、付与は照会のみ）", "「住民記録」の出力権限なし（1件、付与は照会のみ）"}}}},
		{name: "staff systems list does not widen a permission the grants restrict", events: []domain.Event{
			ev("S008", "2025-04-07 10:00:00", "住民記録", lk),
			ev("S008", "2025-04-07 10:01:00", "住民記録", ex),
		}, want: []want{{UnauthorizedSystem, "S008", "2025-04-07", domain.High, 1, []string{"「住民記録」の出力権限なし（1件、付与は照会のみ）"}}}},
		{name: "grant valid on its last day", events: []domain.Event{ev("S005", "2025-04-09 10:00:00", "税", ex)}},
		{name: "grant expired the day before", events: []domain.Event{
			ev("S005", "2025-04-10 10:00:00", "税", ex),
			ev("S005", "2025-04-10 10:00:00", "税", domain.ActionLogin),
		}, want: []want{{UnauthorizedSystem, "S005", "2025-04-10", domain.High, 2, []string{"「税」の利用権限なし（2件）"}}}},
		{name: "export-only grant and a lookup", events: []domain.Event{ev("S005", "2025-04-08 10:00:00", "税", lk)},
			want: []want{{UnauthorizedSystem, "S005", "2025-04-08", domain.High, 1, []string{"「税」の照会権限なし（1件、付与は出力のみ）"}}}},
		{name: "grant not yet valid", events: []domain.Event{
			ev("S006", "2025-04-30 10:00:00", "税", lk),
			ev("S006", "2025-05-01 10:00:00", "税", lk),
		}, want: []want{{UnauthorizedSystem, "S006", "2025-04-30", domain.High, 1, nil}}},
		{name: "names are folded", events: []domain.Event{
			ev("S002", "2025-04-07 10:00:00", " 住民 記録　", lk),
			ev("abc01", "2025-04-07 10:00:00", "ｇｉｓ", ex),
		}},
		{name: "system unknown to the masters is not judged", events: []domain.Event{
			ev("S001", "2025-04-07 10:00:00", "資産管理", domain.ActionLogin),
			ev("S001", "2025-04-07 10:00:00", "", lk),
		}},
		{name: "device events are left to DEVICE_WRITE", events: []domain.Event{
			ev("S001", "2025-04-07 10:00:00", "税", domain.ActionDeviceWrite),
			ev("S001", "2025-04-07 10:00:00", "税", domain.ActionDeviceConnect),
		}},
		{name: "two systems in one finding", events: []domain.Event{
			ev("S001", "2025-04-07 10:00:00", "福祉", lk),
			ev("S001", "2025-04-07 10:30:00", "税", lk),
			ev("S001", "2025-04-07 11:00:00", "税", ex),
		}, want: []want{{UnauthorizedSystem, "S001", "2025-04-07", domain.High, 3,
			[]string{"権限外の利用：", "「税」の利用権限なし（2件）", "「福祉」の利用権限なし（1件）"}}}},
		{name: "re-hired staff gets the rows of the day", events: []domain.Event{ev("S007", "2025-04-10 10:00:00", "住民記録", ex)}},
		{name: "staff not in post is not judged", events: []domain.Event{ev("S003", "2025-05-01 10:00:00", "福祉", lk)}},
		{name: "unknown ID is not judged", events: []domain.Event{ev("X999", "2025-04-07 10:00:00", "税", lk)}},
		{name: "no master systems: rule does not run", events: []domain.Event{ev("S001", "2025-04-07 10:00:00", "税", lk)},
			config: func(c *Config) {
				c.Grants = nil
				for i := range c.Staff {
					c.Staff[i].Systems = nil
				}
			}},
	})
}

func TestRetiredID(t *testing.T) {
	lk := domain.ActionLookup
	runCases(t, []string{RetiredID}, []ruleCase{
		{name: "in post on the day of leaving", events: []domain.Event{ev("S003", "2025-04-30 16:00:00", "税", lk)}},
		{name: "the day after leaving", events: []domain.Event{
			ev("S003", "2025-05-01 09:00:00", "税", lk),
			ev("S003", "2025-05-01 09:30:00", "税", lk),
		}, want: []want{{RetiredID, "S003", "2025-05-01", domain.High, 2, []string{"離任日（2025年4月30日）後の利用：2件の操作（9:00〜9:30）"}}}},
		{name: "before starting", events: []domain.Event{ev("S004", "2025-04-28 10:00:00", "税", lk)},
			want: []want{{RetiredID, "S004", "2025-04-28", domain.High, 1, []string{"着任日（2025年5月1日）前の利用"}}}},
		{name: "on the first day", events: []domain.Event{ev("S004", "2025-05-01 08:30:00", "税", lk)}},
		{name: "between two terms", events: []domain.Event{
			ev("S007", "2025-04-07 10:00:00", "住民記録", lk),
			ev("S007", "2025-04-10 10:00:00", "住民記録", lk),
		}, want: []want{{RetiredID, "S007", "2025-04-07", domain.High, 1, []string{"離任日（2025年3月31日）後"}}}},
		{name: "case of an ASCII ID does not matter", events: []domain.Event{ev(" s003", "2025-05-02 10:00:00", "税", lk)},
			want: []want{{RetiredID, "S003", "2025-05-02", domain.High, 1, nil}}},
	})
}

func TestUnknownID(t *testing.T) {
	lk := domain.ActionLookup
	runCases(t, []string{UnknownID}, []ruleCase{
		{name: "absent from the master", events: []domain.Event{
			ev("X999", "2025-04-07 10:00:00", "税", lk),
			ev("X999", "2025-04-07 11:00:00", "税", lk),
		}, want: []want{{UnknownID, "X999", "2025-04-07", domain.High, 2, []string{"職員マスタにないID「X999」による操作：2件（10:00〜11:00）"}}}},
		{name: "case and spaces of ASCII IDs are ignored", events: []domain.Event{
			ev("s001", "2025-04-07 10:00:00", "税", lk),
			ev(" S001 ", "2025-04-07 10:00:00", "税", lk),
			ev("ABC01", "2025-04-07 10:00:00", "GIS", lk),
		}},
		{name: "non-ASCII IDs match exactly", events: []domain.Event{
			ev("たなか01", "2025-04-07 10:00:00", "福祉", lk),
			ev("タナカ01", "2025-04-07 10:00:00", "福祉", lk),
		}, want: []want{{UnknownID, "タナカ01", "2025-04-07", domain.High, 1, nil}}},
		{name: "blank ID", events: []domain.Event{ev(" ", "2025-04-07 10:00:00", "税", lk)},
			want: []want{{UnknownID, "", "2025-04-07", domain.High, 1, []string{"職員IDが空欄の操作：1件"}}}},
		{name: "spellings of one unknown ID are one finding", events: []domain.Event{
			ev("x999", "2025-04-07 10:00:00", "税", lk),
			ev("X999", "2025-04-07 09:00:00", "税", lk),
		}, want: []want{{UnknownID, "X999", "2025-04-07", domain.High, 2, []string{"（9:00〜10:00）"}}}},
		{name: "no master: rule does not run", events: []domain.Event{ev("X999", "2025-04-07 10:00:00", "税", lk)},
			config: func(c *Config) { c.Staff = nil }},
	})
}

// TestOneProblemOneFinding runs every rule together: the identity rules
// exclude each other, the time rules apply to every ID.
func TestOneProblemOneFinding(t *testing.T) {
	lk := domain.ActionLookup
	runCases(t, nil, []ruleCase{
		{name: "unknown ID on a saturday", events: []domain.Event{ev("X999", "2025-04-05 10:00:00", "税", lk)},
			want: []want{
				{UnknownID, "X999", "2025-04-05", domain.High, 1, nil},
				{Holiday, "X999", "2025-04-05", domain.Medium, 1, nil},
			}},
		{name: "retired ID at night on a system never granted", events: []domain.Event{ev("S003", "2025-05-01 20:00:00", "福祉", lk)},
			want: []want{
				{RetiredID, "S003", "2025-05-01", domain.High, 1, nil},
				{AfterHours, "S003", "2025-05-01", domain.Medium, 1, nil},
			}},
		{name: "clean staff", events: []domain.Event{
			ev("S001", "2025-04-07 08:30:00", "住民記録", lk),
			ev("S002", "2025-04-07 09:00:00", "福祉", domain.ActionExport),
			ev("S004", "2025-05-01 10:00:00", "税", lk),
		}},
		{name: "sorted by severity, staff, date, rule", events: []domain.Event{
			ev("S001", "2025-04-08 18:00:00", "住民記録", lk),
			ev("S001", "2025-04-07 18:00:00", "税", lk),
			ev("S002", "2025-04-05 10:00:00", "福祉", lk),
			ev("A000", "2025-04-09 10:00:00", "税", lk),
		}, want: []want{
			{UnknownID, "A000", "2025-04-09", domain.High, 1, nil},
			{UnauthorizedSystem, "S001", "2025-04-07", domain.High, 1, nil},
			{AfterHours, "S001", "2025-04-07", domain.Medium, 1, nil},
			{AfterHours, "S001", "2025-04-08", domain.Medium, 1, nil},
			{Holiday, "S002", "2025-04-05", domain.Medium, 1, nil},
			// 税's log has rows on 4/7 and 4/9 but none on Tuesday 4/8.
			{LogGap, "税", "2025-04-08", domain.Medium, 0, []string{"システム「税」のログが開庁日なのに1件もない"}},
		}},
	})
}

func TestEvidence(t *testing.T) {
	var events []domain.Event
	for i := range 5 {
		events = append(events, ev("X999", fmt.Sprintf("2025-04-07 10:0%d:00", 4-i), fmt.Sprintf("sys%d", 4-i), domain.ActionLookup))
	}
	tests := []struct {
		name string
		max  int
		want []string // systems of the evidence rows, in order
	}{
		{"capped to the earliest", 3, []string{"sys0", "sys1", "sys2"}},
		{"default keeps all five", 0, []string{"sys0", "sys1", "sys2", "sys3", "sys4"}},
		{"negative keeps none", -1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Enabled = map[string]bool{UnknownID: true}
			cfg.MaxEvidence = tc.max
			got, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Count != 5 {
				t.Fatalf("got %+v, want one finding of 5 events", got)
			}
			var systems []string
			for _, e := range got[0].Evidence {
				systems = append(systems, e.System)
			}
			if !slices.Equal(systems, tc.want) {
				t.Errorf("evidence systems = %v, want %v", systems, tc.want)
			}
		})
	}
}

// TestEvidenceAcrossSpellings: the store orders by the ID as written, so
// "A001" and "a001" come as two groups; their events make one finding whose
// evidence is the earliest rows of both, in time order.
func TestEvidenceAcrossSpellings(t *testing.T) {
	events := []domain.Event{
		ev("A001", "2025-04-07 10:00:00", "x", domain.ActionLookup),
		ev("A001", "2025-04-07 10:02:00", "x", domain.ActionLookup),
		ev("A001", "2025-04-07 10:04:00", "x", domain.ActionLookup),
		ev("a001", "2025-04-07 10:01:00", "x", domain.ActionLookup),
		ev("a001", "2025-04-07 10:03:00", "x", domain.ActionLookup),
		ev("a001", "2025-04-07 10:05:00", "x", domain.ActionLookup),
	}
	cfg := baseConfig()
	cfg.Enabled = map[string]bool{UnknownID: true}
	cfg.MaxEvidence = 4
	got, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Count != 6 || got[0].StaffID != "A001" {
		t.Fatalf("got %+v, want one finding for A001 with 6 events", got)
	}
	var times []string
	for _, e := range got[0].Evidence {
		times = append(times, e.Time.Format("15:04"))
	}
	if want := []string{"10:00", "10:01", "10:02", "10:03"}; !slices.Equal(times, want) {
		t.Errorf("evidence times = %v, want %v", times, want)
	}
}

func TestRunReadsThePeriod(t *testing.T) {
	src := &fakeSource{events: []domain.Event{
		ev("X999", "2025-03-31 23:59:59", "税", domain.ActionLookup),
		ev("X999", "2025-04-01 00:00:00", "税", domain.ActionLookup),
		ev("X999", "2025-04-30 23:59:59", "税", domain.ActionLookup),
		ev("X999", "2025-05-01 00:00:00", "税", domain.ActionLookup),
	}}
	cfg := baseConfig()
	cfg.From, cfg.To = at("2025-04-01 13:00:00"), at("2025-04-30 09:00:00")
	cfg.Enabled = map[string]bool{UnknownID: true}
	var last int64
	got, err := Run(context.Background(), src, cfg, func(done int64) { last = done })
	if err != nil {
		t.Fatal(err)
	}
	if !src.from.Equal(at("2025-04-01 00:00:00")) || !src.to.Equal(at("2025-05-01 00:00:00")) {
		t.Errorf("source asked for [%v, %v)", src.from, src.to)
	}
	if len(got) != 2 || got[0].Date != "2025-04-01" || got[1].Date != "2025-04-30" {
		t.Errorf("got %+v, want findings on 4/1 and 4/30", got)
	}
	if last != 2 {
		t.Errorf("final progress = %d, want 2", last)
	}
}

// TestEventsOutsideThePeriod: a source that sends more than asked must not
// produce findings outside the period.
func TestEventsOutsideThePeriod(t *testing.T) {
	src := leakySource{ev("X999", "2025-03-31 10:00:00", "税", domain.ActionLookup)}
	cfg := baseConfig()
	got, err := Run(context.Background(), src, cfg, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v; want no findings", got, err)
	}
}

type leakySource []domain.Event

func (l leakySource) EachEvent(_ context.Context, _, _ time.Time, fn func(*domain.Event) error) error {
	for i := range l {
		if err := fn(&l[i]); err != nil {
			return err
		}
	}
	return nil
}

func TestCancellationAndProgress(t *testing.T) {
	var events []domain.Event
	for i := range 5 * progressEvery {
		events = append(events, ev(fmt.Sprintf("X%04d", i%100), "2025-04-07 10:00:00", "税", domain.ActionLookup))
	}
	t.Run("progress counts up to the total", func(t *testing.T) {
		var calls []int64
		_, err := Run(context.Background(), &fakeSource{events: events}, baseConfig(), func(done int64) { calls = append(calls, done) })
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{progressEvery, 2 * progressEvery, 3 * progressEvery, 4 * progressEvery, 5 * progressEvery, 5 * progressEvery}
		if !slices.Equal(calls, want) {
			t.Errorf("progress calls = %v, want %v", calls, want)
		}
	})
	t.Run("cancel stops the stream", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		src := &fakeSource{events: events}
		_, err := Run(ctx, src, baseConfig(), func(int64) { cancel() })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != "rules.canceled" || !isJapanese(de.Message) {
			t.Errorf("err = %#v, want a Japanese domain.Error", err)
		}
		if src.delivered >= len(events) || src.delivered > 2*progressEvery+1 {
			t.Errorf("source delivered %d of %d events after cancel", src.delivered, len(events))
		}
	})
}

func TestSourceErrors(t *testing.T) {
	own := &domain.Error{Code: "store.read", Message: "データベースを読めません。"}
	tests := []struct {
		name     string
		err      error
		wantCode string
	}{
		{"plain error is wrapped", errors.New("disk I/O error"), "rules.source"},
		{"user error passes through", own, "store.read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), &fakeSource{err: tc.err}, baseConfig(), nil)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tc.wantCode || !errors.Is(err, tc.err) || !isJapanese(de.Message) {
				t.Errorf("err = %#v, want code %s wrapping %v", err, tc.wantCode, tc.err)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name   string
		config func(*Config)
	}{
		{"no period", func(c *Config) { c.From = time.Time{} }},
		{"end before start", func(c *Config) { c.From, c.To = day("2025-05-01"), day("2025-04-30") }},
		{"bad start", func(c *Config) { c.WorkStart = "8時30分" }},
		{"bad end", func(c *Config) { c.WorkEnd = "17:60" }},
		{"end not after start", func(c *Config) { c.WorkStart, c.WorkEnd = "17:15", "08:30" }},
		{"unknown rule", func(c *Config) { c.Enabled = map[string]bool{"AFTERHOURS": true} }},
		{"overtime without ID", func(c *Config) {
			c.Overtime = []domain.Overtime{{Date: day("2025-04-07"), From: hm(17, 15), To: hm(19, 0)}}
		}},
		{"overtime without date", func(c *Config) { c.Overtime = []domain.Overtime{{StaffID: "S001", From: hm(17, 15), To: hm(19, 0)}} }},
		{"overtime bad time", func(c *Config) {
			c.Overtime = []domain.Overtime{{StaffID: "S001", Date: day("2025-04-07"), From: hm(17, 15), To: hm(17, 0)}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			tc.config(&cfg)
			src := &fakeSource{}
			_, err := Run(context.Background(), src, cfg, nil)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != "rules.config" || !isJapanese(de.Message) {
				t.Fatalf("err = %#v, want a Japanese rules.config error", err)
			}
			if src.calls != 0 {
				t.Errorf("source read despite a bad configuration")
			}
		})
	}
}

func TestEnabled(t *testing.T) {
	events := []domain.Event{ev("X999", "2025-04-05 10:00:00", "税", domain.ActionLookup)}
	tests := []struct {
		name    string
		enabled map[string]bool
		want    []string
	}{
		{"all", nil, []string{UnknownID, Holiday}},
		{"only holiday", map[string]bool{Holiday: true}, []string{Holiday}},
		{"switched off", map[string]bool{Holiday: true, UnknownID: false}, []string{Holiday}},
		{"only a rule without its list", map[string]bool{Watchlist: true}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Enabled = tc.enabled
			got, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range got {
				rules = append(rules, f.Rule)
			}
			if !slices.Equal(rules, tc.want) {
				t.Errorf("rules = %v, want %v", rules, tc.want)
			}
		})
	}
}

func TestCatalogue(t *testing.T) {
	ids := []string{AfterHours, Holiday, UnauthorizedSystem, RetiredID, UnknownID, Watchlist, SelfLookup,
		BulkLookup, BulkExport, RepeatedSubject, LoginFailure, SharedID, DeviceWrite, ExportThenDevice, MailExternal, LogGap,
		ExportHandoff, UnmatchedLookup}
	cat := Catalogue()
	var got []string
	for _, r := range cat {
		got = append(got, r.ID)
		if !isJapanese(r.Name) || !isJapanese(r.Description) || r.Basis == "" {
			t.Errorf("%s: name %q, description %q, basis %q", r.ID, r.Name, r.Description, r.Basis)
		}
		if len(r.Actions) == 0 || !isJapanese(r.Actions[0]) {
			t.Errorf("%s: no recommended action (%q)", r.ID, r.Actions)
		}
		if !r.Implemented && r.ID != ExportHandoff && r.ID != UnmatchedLookup {
			t.Errorf("%s: Implemented = %v", r.ID, r.Implemented)
		}
		if f, ok := Find(r.ID); !ok || !reflect.DeepEqual(f, r) {
			t.Errorf("Find(%s) = %v, %v", r.ID, f, ok)
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("catalogue IDs = %v, want %v", got, ids)
	}
	cat[0].Name = "changed"
	if Catalogue()[0].Name == "changed" {
		t.Error("Catalogue returns its own slice")
	}
	if _, ok := Find("NOPE"); ok {
		t.Error("Find found an unknown rule")
	}
}

func TestNotes(t *testing.T) {
	tests := []struct {
		name   string
		config func(*Config)
		want   []string // substrings, one per note
	}{
		{"only implemented rules", func(c *Config) { c.Enabled = map[string]bool{AfterHours: true, RetiredID: true} }, nil},
		{"unauthorized scope", func(c *Config) { c.Enabled = map[string]bool{UnauthorizedSystem: true} },
			[]string{"名前のないシステム"}},
		{"no master", func(c *Config) {
			c.Staff = nil
			c.Enabled = map[string]bool{UnknownID: true, AfterHours: true}
		}, []string{"職員マスタが登録されていないため、「職員マスタにないIDの利用」の点検は行っていません。"}},
		{"no systems", func(c *Config) {
			c.Grants = nil
			for i := range c.Staff {
				c.Staff[i].Systems = nil
			}
			c.Enabled = map[string]bool{UnauthorizedSystem: true}
		}, []string{"「権限外のシステム利用」の点検は行っていません"}},
		{"rules without their lists", func(c *Config) { c.Enabled = map[string]bool{Watchlist: true, MailExternal: true, LogGap: true} },
			[]string{"要注意対象者の一覧が登録されていないため、「要注意対象者の閲覧」の点検は行っていません。",
				"役場のメールドメインがヒアリングシートに登録されていないため"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			tc.config(&cfg)
			got := Notes(cfg)
			if len(got) != len(tc.want) {
				t.Fatalf("notes = %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("note %q lacks %q", got[i], w)
				}
			}
		})
	}
}

func TestPermissionMask(t *testing.T) {
	tests := []struct {
		in   string
		want uint8
	}{
		{"", permAll},
		{"照会", permUse | permLookup},
		{"照会のみ", permUse | permLookup},
		{"照会権限", permUse | permLookup},
		{"照会・更新", permUse | permLookup | permUpdate},
		{"参照／ＣＳＶ出力", permUse | permLookup | permExport},
		{"UPDATE, export", permUse | permUpdate | permExport},
		{"全権限", permAll},
		{"出力不可", permUse},
		{"閲覧可", permUse | permLookup},
		{"謎", permUse},
	}
	for _, tc := range tests {
		if got := permissionMask(tc.in); got != tc.want {
			t.Errorf("permissionMask(%q) = %04b, want %04b", tc.in, got, tc.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want int32
		ok   bool
	}{
		{"08:30", 8*3600 + 30*60, true},
		{"8:30", 8*3600 + 30*60, true},
		{"17:15:01", 17*3600 + 15*60 + 1, true},
		{"０８：３０", 8*3600 + 30*60, true},
		{" 24:00 ", 24 * 3600, true},
		{"24:01", 0, false},
		{"8", 0, false},
		{"8:60", 0, false},
		{"8:30:60", 0, false},
		{"-1:00", 0, false},
		{"8:300", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseClock(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseClock(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		fn   func(string) string
		a, b string
		same bool
	}{
		{idKey, "A001", "a001", true},
		{idKey, "a001", "a001", true},
		{idKey, "Ａ001", "A001", false},
		{idKey, "職員a", "職員A", false},
		{nameKey, "住民記録", " 住民 記録　", true},
		{nameKey, "ＧＩＳ", "gis", true},
		{nameKey, "税", "住民税", false},
	}
	for _, tc := range tests {
		if got := tc.fn(tc.a) == tc.fn(tc.b); got != tc.same {
			t.Errorf("key(%q) == key(%q) is %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// TestWallClock: a time in another location is judged by its wall clock,
// never converted.
func TestWallClock(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	tests := []struct {
		t         time.Time
		day, tod  int32
		wantDate  string
		wantClock string
	}{
		{at("2025-04-07 08:29:59"), dayOf(day("2025-04-07")), 8*3600 + 29*60 + 59, "2025-04-07", "8:29:59"},
		{time.Date(2025, 4, 7, 23, 0, 0, 0, jst), dayOf(day("2025-04-07")), 23 * 3600, "2025-04-07", "23:00"},
		{time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), -1, 23 * 3600, "1969-12-31", "23:00"},
	}
	for _, tc := range tests {
		sec := wallSec(tc.t)
		d := int32(floorDiv(sec, secondsPerDay))
		tod := int32(sec - int64(d)*secondsPerDay)
		if d != tc.day || tod != tc.tod || dayTime(d).Format(time.DateOnly) != tc.wantDate || clock(tod) != tc.wantClock {
			t.Errorf("%v: day %d tod %d (%s %s)", tc.t, d, tod, dayTime(d).Format(time.DateOnly), clock(tod))
		}
	}
}

// TestNoPerEventAllocation: events that raise no finding cost no
// allocation, so a million of them cost no more memory than a thousand.
func TestNoPerEventAllocation(t *testing.T) {
	cfg := baseConfig()
	measure := func(n int) float64 {
		events := make([]domain.Event, n)
		for i := range events {
			staff := []string{"S001", "S002", "abc01"}[i*3/n]
			sys := map[string]string{"S001": "住民記録", "S002": "福祉", "abc01": "GIS"}[staff]
			events[i] = domain.Event{Time: at("2025-04-07 09:00:00").Add(time.Duration(i%20000) * time.Second), StaffID: staff, System: sys, Action: domain.ActionLookup}
		}
		slices.SortStableFunc(events, func(a, b domain.Event) int { return strings.Compare(a.StaffID, b.StaffID) })
		src := leakySource(events)
		return testing.AllocsPerRun(5, func() {
			got, err := Run(context.Background(), src, cfg, nil)
			if err != nil || len(got) != 0 {
				t.Fatalf("Run = %v, %v", got, err)
			}
		})
	}
	small, large := measure(3000), measure(30000)
	if large > small {
		t.Errorf("allocations grow with events: %v for 3,000, %v for 30,000", small, large)
	}
}

func isJapanese(s string) bool {
	for _, r := range s {
		if r >= 0x3000 && utf8.RuneLen(r) == 3 {
			return true
		}
	}
	return false
}
