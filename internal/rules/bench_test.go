package rules

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// storeLike streams a pre-sorted slice through one reused event, as the
// store does, so the benchmark measures the rules and not a sort.
type storeLike []domain.Event

func (s storeLike) EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error {
	var buf domain.Event
	for i := range s {
		buf = s[i]
		if err := fn(&buf); err != nil {
			return err
		}
	}
	return nil
}

// syntheticTown builds a town of 400 staff in 8 departments and 1,000,000
// events over April 2025, ordered by staff and time: lookups, updates,
// logins and exports on the department's systems in office hours. In a
// quiet town about one event in a hundred is after hours, unauthorized or
// by a retired or unknown ID, and weekends are empty; in a noisy town every
// staff member works weekends and early mornings, so that nearly every
// staff-day is a finding and the evidence copies dominate.
func syntheticTown(noisy bool) (Config, storeLike) {
	const (
		staffN  = 400
		eventsN = 1_000_000
	)
	depts := []string{"住民課", "税務課", "福祉課", "保険課", "子育て課", "総務課", "選挙管理委員会", "情報政策課"}
	systems := []string{"住民記録", "住民税", "固定資産税", "国保", "介護", "福祉", "子育て", "選挙"}
	cal := calendar.Default()
	cfg := Config{From: day("2025-04-01"), To: day("2025-04-30"), Calendar: cal}
	for i := range staffN {
		s := domain.Staff{ID: fmt.Sprintf("K%05d", i), Dept: depts[i%len(depts)], Start: day("2010-04-01")}
		if i%50 == 7 {
			s.End = day("2025-04-15")
		}
		if i%3 == 0 {
			s.Systems = []string{systems[i%len(systems)]}
		}
		cfg.Staff = append(cfg.Staff, s)
	}
	for i, d := range depts {
		cfg.Grants = append(cfg.Grants,
			domain.Grant{Dept: d, System: systems[i], Permission: "照会・更新・出力"},
			domain.Grant{Dept: d, System: systems[(i+1)%len(systems)], Permission: "照会", From: day("2024-04-01"), To: day("2026-03-31")},
			domain.Grant{Dept: d, System: "住民記録", Permission: "照会"})
	}
	var days []int // days of April the town works
	for d := 1; d <= 30; d++ {
		if noisy || !cal.IsClosed(time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC)) {
			days = append(days, d)
		}
	}
	actions := []domain.Action{domain.ActionLookup, domain.ActionLookup, domain.ActionLookup, domain.ActionUpdate, domain.ActionLogin, domain.ActionLookup}
	perStaff := eventsN / (staffN + 2)
	events := make(storeLike, 0, eventsN)
	afterEvery, strayEvery := 1500, 4001
	if noisy {
		afterEvery, strayEvery = 150, 401
	}
	add := func(id string, dept int, n int) {
		for j := range n {
			dd := days[j*len(days)/n]
			sec := 8*3600 + 45*60 + (j*97)%(8*3600) // 8:45–16:45
			if noisy {
				sec = 8*3600 + (j*97)%(9*3600) // 8:00–17:00
			}
			if j%afterEvery == 0 {
				sec = 19*3600 + j%3600
			}
			sys := systems[dept]
			if j%7 == 0 && actions[j%len(actions)] == domain.ActionLookup {
				sys = systems[(dept+1)%len(systems)]
			}
			if j%strayEvery == 0 {
				sys = systems[(dept+3)%len(systems)]
			}
			events = append(events, domain.Event{
				Time:      time.Date(2025, 4, dd, 0, 0, sec, 0, time.UTC),
				StaffID:   id,
				StaffName: "職員",
				Terminal:  "PC-" + id,
				System:    sys,
				Function:  "宛名照会",
				Action:    actions[j%len(actions)],
				SubjectID: fmt.Sprint(100000 + (j*7919)%5000), // residents in no particular order (in number order they would be an enumeration)
				Line:      len(events) + 2,
			})
		}
	}
	for i := range staffN {
		add(fmt.Sprintf("K%05d", i), i%len(depts), perStaff)
	}
	add("X0001", 0, perStaff)
	add("X0002", 1, eventsN-len(events))
	return cfg, events
}

// BenchmarkRun runs every implemented rule over a million events and
// reports the cost per event.
func BenchmarkRun(b *testing.B) {
	for _, bc := range []struct {
		name  string
		noisy bool
	}{{"quiet", false}, {"noisy", true}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg, events := syntheticTown(bc.noisy)
			ctx := context.Background()
			var findings int
			b.ReportAllocs()
			for b.Loop() {
				got, err := Run(ctx, events, cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				findings = len(got)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(events)), "ns/event")
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// BenchmarkRule runs each rule alone over the quiet town, so the cost of
// a rule is its time less the stream's (reported by "stream", the cheapest
// pass: AFTER_HOURS alone with nothing to flag but the stray evenings).
func BenchmarkRule(b *testing.B) {
	cfg, events := syntheticTown(false)
	cfg.OwnDomains = []string{"town.example.lg.jp"}
	cfg.Watchlist = []domain.WatchEntry{{SubjectID: "100007", Category: "DV等支援措置", Depts: []string{"住民課"}}}
	ctx := context.Background()
	for _, r := range Catalogue() {
		b.Run(r.ID, func(b *testing.B) {
			c := cfg
			c.Enabled = map[string]bool{r.ID: true}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(ctx, events, c, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(events)), "ns/event")
		})
	}
}
