package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/rules"
)

func TestStaffDayCounts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "a.csv", SHA256: "ref", System: "住民記録", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 5, 7, 23, 59, 0, 0, time.UTC)
	for i, e := range []struct {
		staff string
		min   int
	}{{"A", 0}, {"A", 1}, {"A", 2}, {"B", 0}, {"A", 24 * 60}} {
		ev := &domain.Event{Time: at.Add(time.Duration(e.min) * time.Minute), StaffID: e.staff, System: "住民記録", Action: domain.ActionLookup, Line: i + 2}
		if _, err := im.Add(ctx, ev, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx, 5); err != nil {
		t.Fatal(err)
	}
	// A: 5/7 (23:59), 5/8 (00:00, 00:01), 5/8 23:59 → 3 groups with B's.
	groups, events, err := s.StaffDayCounts(ctx, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || groups != 3 || events != 5 {
		t.Errorf("StaffDayCounts = %d groups, %d events, %v; want 3, 5", groups, events, err)
	}
	groups, events, err = s.StaffDayCounts(ctx, time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 9, 0, 0, 0, 0, time.UTC))
	if err != nil || groups != 1 || events != 3 {
		t.Errorf("one day: %d groups, %d events, %v; want 1, 3", groups, events, err)
	}
}

// benchTown writes a month of a town's access logs — staffN staff in eight
// departments, n events over April 2025: logins, lookups of residents,
// updates and a few list exports from each member's own terminal in office
// hours, with a stray evening now and then — and returns the rules'
// configuration for it.
func benchTown(b *testing.B, s *Store, n int) rules.Config {
	ctx := context.Background()
	const staffN = 400
	depts := []string{"住民課", "税務課", "福祉課", "保険課", "子育て課", "総務課", "選挙管理委員会", "情報政策課"}
	systems := []string{"住民記録", "住民税", "固定資産税", "国保", "介護", "福祉", "子育て", "選挙"}
	cal := calendar.Default()
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	cfg := rules.Config{From: day(1), To: day(30), Calendar: cal, OwnDomains: []string{"town.example.lg.jp"}}
	for i := range staffN {
		cfg.Staff = append(cfg.Staff, domain.Staff{ID: fmt.Sprintf("K%05d", i), Dept: depts[i%8], Start: day(1).AddDate(-10, 0, 0),
			SubjectID: fmt.Sprint(100000 + i*7), Accounts: []string{fmt.Sprintf("win%05d", i)}})
	}
	for i, d := range depts {
		cfg.Grants = append(cfg.Grants, domain.Grant{Dept: d, System: systems[i]}, domain.Grant{Dept: d, System: "住民記録", Permission: "照会"})
	}
	var days []int
	for d := 1; d <= 30; d++ {
		if !cal.IsClosed(day(d)) {
			days = append(days, d)
		}
	}
	perDay := n / len(days) / staffN // events of one member on one day
	actions := []domain.Action{domain.ActionLookup, domain.ActionLookup, domain.ActionLookup, domain.ActionUpdate, domain.ActionLookup, domain.ActionLookup}
	// One file for the month, its rows in time order like a real export
	// (the importer rebuilds its key index once per file).
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "bench.csv", SHA256: "bench", System: "業務", Kind: domain.KindAccess})
	if err != nil {
		b.Fatal(err)
	}
	line, total := 1, 0
	dayEvents := make([]domain.Event, 0, perDay*staffN)
	for di, d := range days {
		dayEvents = dayEvents[:0]
		for i := range staffN {
			for k := range perDay {
				j := di*perDay + k
				sec := 8*3600 + 45*60 + k*(8*3600)/perDay + i%60
				if j%1500 == 0 {
					sec = 19*3600 + i%3600 // a stray evening now and then
				}
				e := domain.Event{Time: day(d).Add(time.Duration(sec) * time.Second), StaffID: fmt.Sprintf("K%05d", i), StaffName: "職員",
					Terminal: fmt.Sprintf("PC%03d", i), System: systems[i%8], Function: "宛名照会", Action: actions[j%len(actions)],
					Kind: domain.KindAccess, SubjectID: fmt.Sprint(200000 + (i*131+j*17)%12000)}
				switch {
				case k == 0:
					e.Action, e.SubjectID = domain.ActionLogin, ""
				case j%997 == 0:
					e.Action, e.SubjectID, e.Records = domain.ActionExport, "", int64(20+j%300)
				}
				dayEvents = append(dayEvents, e)
			}
		}
		slices.SortStableFunc(dayEvents, func(a, b domain.Event) int { return a.Time.Compare(b.Time) })
		for i := range dayEvents {
			line++
			dayEvents[i].Line = line
			if _, err := im.Add(ctx, &dayEvents[i], int64(line)); err != nil {
				b.Fatal(err)
			}
			total++
		}
	}
	if _, err := im.Commit(ctx, total); err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkRulesVsReference is the speed target of issue 5: every rule
// over a month of a million stored events, against one GROUP BY of the
// same events through event_v, measured in the same run. It reports both
// times and their ratio (target ≤ 2).
func BenchmarkRulesVsReference(b *testing.B) {
	ctx := context.Background()
	s, err := Open(filepath.Join(b.TempDir(), "tenken.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 1_000_000
	cfg := benchTown(b, s, n)
	from, to := cfg.From, cfg.To.AddDate(0, 0, 1)
	var ref, all, stream time.Duration
	var findings int
	for b.Loop() {
		t0 := time.Now()
		_, events, err := s.StaffDayCounts(ctx, from, to)
		if err != nil || events < n*99/100 {
			b.Fatalf("reference: %d events, %v", events, err)
		}
		t1 := time.Now()
		got, err := rules.Run(ctx, s, cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		// The stream alone: what reading the events costs the rules.
		if err := s.EachEvent(ctx, from, to, func(*domain.Event) error { return nil }); err != nil {
			b.Fatal(err)
		}
		ref += t1.Sub(t0)
		all += t2.Sub(t1)
		stream += time.Since(t2)
		findings = len(got)
	}
	b.ReportMetric(float64(ref.Milliseconds())/float64(b.N), "ref-ms")
	b.ReportMetric(float64(all.Milliseconds())/float64(b.N), "rules-ms")
	b.ReportMetric(float64(stream.Milliseconds())/float64(b.N), "stream-ms")
	b.ReportMetric(float64(all)/float64(ref), "ratio")
	b.ReportMetric(float64(findings), "findings")
}
