package rules

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

// Tests of the rules of issue 12: UNMATCHED_LOOKUP, EXPORT_HANDOFF, the
// extended SHARED_ID, LOG_GAP, BULK_LOOKUP and REPEATED_SUBJECT.

func lookup(staff, when, subject string) domain.Event {
	return evx(staff, when, "住民記録", domain.ActionLookup, func(e *domain.Event) { e.SubjectID, e.Function = subject, "住民票照会" })
}

func update(staff, when, subject string) domain.Event {
	return evx(staff, when, "住民記録", domain.ActionUpdate, func(e *domain.Event) { e.SubjectID, e.Function = subject, "異動届入力" })
}

func reception(dept, date, subject string) domain.Reception {
	return domain.Reception{Time: day(date), Dept: dept, SubjectID: subject, Procedure: "住民票の写し交付申請", No: "R-" + subject}
}

// withReception gives 住民課 and 福祉課 a 受付簿 (so both are reconciled by
// default) and a 住民課 colleague of S007.
func withReception(extra ...domain.Reception) func(*Config) {
	return func(c *Config) {
		c.Reception = append([]domain.Reception{reception("住民課", "2025-04-07", "1000"), reception("福祉課", "2025-04-07", "1001")}, extra...)
		c.Staff = append(c.Staff, domain.Staff{ID: "S020", Name: "中村", Dept: "住民課"}, domain.Staff{ID: "S021", Name: "小川", Dept: "住民課"})
	}
}

func TestUnmatchedLookupRule(t *testing.T) {
	twice := []domain.Event{lookup("S020", "2025-04-07 10:00:00", "9001"), lookup("S020", "2025-04-09 14:00:00", "9001")}
	weekly := []domain.Event{
		evx("S002", "2025-04-07 10:00:00", "福祉", domain.ActionLookup, subj("9002")),
		evx("S002", "2025-04-14 10:00:00", "福祉", domain.ActionLookup, subj("9002")),
		evx("S002", "2025-04-21 10:00:00", "福祉", domain.ActionLookup, subj("9002")),
	}
	var browsing, phone []domain.Event
	for i := range 6 {
		browsing = append(browsing, lookup("S020", fmt.Sprintf("2025-04-08 10:%02d:00", i), fmt.Sprint(9100+i)))
		phone = append(phone, lookup("S020", fmt.Sprintf("2025-04-%02d 10:00:00", 7+i), fmt.Sprint(9100+i)))
	}
	var browsing250 []domain.Event
	for i := range 250 {
		browsing250 = append(browsing250, lookup("S020", fmt.Sprintf("2025-04-08 %02d:%02d:%02d", 9+i/60, i%60, i%7), fmt.Sprint(30000+i*7)))
	}
	// A busy day of unmatched lookups every day: a two-day repeat is chance.
	var busy []domain.Event
	for d := range 10 {
		for i := range 100 {
			busy = append(busy, lookup("S020", fmt.Sprintf("2025-05-%02d %02d:%02d:00", 7+d, 9+i/60, i%60), fmt.Sprint(20000+d*100+i)))
		}
	}
	busy = append(busy, lookup("S020", "2025-05-07 16:30:00", "20950"))
	runMore(t, UnmatchedLookup, []moreCase{
		{name: "one resident on two days, no business", config: withReception(), events: twice,
			want: []got{{UnmatchedLookup, "S020", "2025-04-09", domain.Medium, 2}}, detail: []string{"業務の記録のない同じ住民1人を2日にわたって照会", "4/7、4/9", "住民票照会", "受付日の前後1日"}},
		{name: "a 受付 the day before and the same day", config: withReception(reception("住民課", "2025-04-06", "9001"), reception("住民課", "2025-04-09", "9001")), events: twice},
		{name: "a 受付 two days before is too early", config: withReception(reception("住民課", "2025-04-05", "9001"), reception("住民課", "2025-04-09", "9001")), events: twice},
		{name: "a colleague's update is business", config: withReception(), events: append(twice, update("S021", "2025-04-08 11:00:00", "9001"))},
		{name: "own update is business", config: withReception(), events: append(twice, update("S020", "2025-04-09 14:05:00", "9001"))},
		{name: "another department's update is not", config: withReception(), events: append(twice, update("S001", "2025-04-08 11:00:00", "9001")),
			want: []got{{UnmatchedLookup, "S020", "2025-04-09", domain.Medium, 2}}},
		{name: "a one-resident print is business", config: withReception(), events: append(twice, evx("S021", "2025-04-09 09:00:00", "住民記録", domain.ActionExport, func(e *domain.Event) { e.SubjectID, e.Records = "9001", 1 }))},
		{name: "case work: a case received before the period", config: func(c *Config) {
			withReception(reception("福祉課", "2025-03-15", "9002"))(c)
			c.CaseDepts = []string{"福祉課"}
		}, events: weekly},
		{name: "the same weekly lookups without case work", config: withReception(reception("福祉課", "2025-03-15", "9002")), events: weekly,
			want: []got{{UnmatchedLookup, "S002", "2025-04-21", domain.High, 3}}},
		{name: "telephone enquiries: one lookup of each resident", config: withReception(), events: phone},
		{name: "browsing six residents in a day", config: withReception(), events: browsing,
			want: []got{{UnmatchedLookup, "S020", "2025-04-08", domain.Medium, 6}}, detail: []string{"この日に業務の記録のない住民6人を照会（基準5人以上）"}},
		{name: "browsing 250 residents in a day (kept up to a bound, all counted)", config: withReception(), events: browsing250,
			want: []got{{UnmatchedLookup, "S020", "2025-04-08", domain.Medium, 250}}, detail: []string{"住民250人"}},
		{name: "five in a day is the limit", config: func(c *Config) { withReception()(c); c.Thresholds.UnmatchedDaily = 7 }, events: browsing},
		{name: "a watch-list resident once", config: func(c *Config) {
			withReception()(c)
			c.Watchlist = []domain.WatchEntry{{SubjectID: "9001", Category: "DV等支援措置", Depts: []string{"住民課"}}}
		}, events: twice[:1], want: []got{{UnmatchedLookup, "S020", "2025-04-07", domain.High, 1}}, detail: []string{"要注意対象者を含む"}},
		{name: "a department not reconciled", config: func(c *Config) { withReception()(c); c.Reconciled = []string{"税務課"} }, events: twice},
		{name: "reconciled by the hearing sheet though absent from the 受付簿", config: func(c *Config) {
			withReception()(c)
			c.Reconciled = []string{"住民課"}
			c.Reception = c.Reception[1:]
		}, events: twice, want: []got{{UnmatchedLookup, "S020", "2025-04-09", domain.Medium, 2}}},
		{name: "no 受付簿, no rule", events: twice},
		{name: "a busy clerk's chance repeat", config: func(c *Config) { withReception()(c); c.Thresholds.UnmatchedDaily = 1000 }, events: busy},
	})
}

func TestUnmatchedLookupNotes(t *testing.T) {
	cfg := baseConfig()
	notes := strings.Join(Notes(cfg), "\n")
	if !strings.Contains(notes, "受付簿") || !strings.Contains(notes, "抽出点検") {
		t.Errorf("notes without a 受付簿 do not say UNMATCHED_LOOKUP did not run:\n%s", notes)
	}
	withReception()(&cfg)
	if notes := strings.Join(Notes(cfg), "\n"); strings.Contains(notes, "抽出点検") {
		t.Errorf("notes with a 受付簿 still offer the 抽出点検 list:\n%s", notes)
	}
}

// TestChanceRepeats checks the chance model against the hand computations
// of chance.go's comment and against a simulation.
func TestChanceRepeats(t *testing.T) {
	days := func(n int32, d int) []int32 {
		out := make([]int32, d)
		for i := range out {
			out[i] = n
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		counts []int32
		k      int
		lo, hi float64
	}{
		{"tax clerk, three days", days(10, 19), 3, 0.004, 0.01},
		{"counter clerk, three days", days(150, 19), 3, 15, 30},
		{"counter clerk, five days", days(150, 19), 5, 0.02, 0.05},
		{"nobody", nil, 2, 0, 0},
	} {
		if got := chanceRepeats(tc.counts, 12480, tc.k); got < tc.lo || got > tc.hi {
			t.Errorf("%s: E_%d = %g, want %g–%g", tc.name, tc.k, got, tc.lo, tc.hi)
		}
	}
	for _, tc := range []struct {
		mean   float64
		m      int
		lo, hi float64
	}{{0.04, 1, 0.039, 0.0393}, {0.04, 4, 1e-7, 1.2e-7}, {20, 1, 0.999, 1}, {1, 0, 1, 1}} {
		if got := poissonTail(tc.mean, tc.m); got < tc.lo || got > tc.hi {
			t.Errorf("P(Poisson(%g) ≥ %d) = %g, want %g–%g", tc.mean, tc.m, got, tc.lo, tc.hi)
		}
	}
	// Simulation: 40 residents a day for 19 days among 2,000 residents.
	r := rand.New(rand.NewPCG(1, 2))
	const trials, N, k = 400, 2000, 3
	total := 0
	for range trials {
		hits := make([]int, N)
		for range 19 {
			for _, s := range r.Perm(N)[:40] {
				hits[s]++
			}
		}
		for _, h := range hits {
			if h >= k {
				total++
			}
		}
	}
	sim := float64(total) / trials
	model := chanceRepeats(days(40, 19), N, k)
	if math.Abs(sim-model) > 0.15*model {
		t.Errorf("simulated %g residents on %d days or more, the model says %g", sim, k, model)
	}
}

func TestRepeatedSubjectAgainstChanceAndBusiness(t *testing.T) {
	lk := domain.ActionLookup
	on := func(staff, subject string, ds ...string) []domain.Event {
		var out []domain.Event
		for _, d := range ds {
			out = append(out, evx(staff, d+" 10:40:00", "住民記録", lk, subj(subject)))
		}
		return out
	}
	three := on("S001", "7001", "2025-04-07", "2025-04-14", "2025-04-21")
	five := on("S001", "7001", "2025-04-07", "2025-04-08", "2025-04-09", "2025-04-10", "2025-04-11")
	// A 窓口 clerk serving 150 residents a day for 19 days in a town of
	// 12,000 residents meets one of them on three days.
	var counter []domain.Event
	r := rand.New(rand.NewPCG(7, 7))
	var workDays []string
	for d := 1; len(workDays) < 19; d++ {
		t := time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC)
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && d != 29 {
			workDays = append(workDays, t.Format(time.DateOnly))
		}
	}
	for _, d := range workDays {
		for i, s := range r.Perm(12000)[:150] {
			if s == 7 {
				continue
			}
			counter = append(counter, evx("S008", fmt.Sprintf("%s %02d:%02d:%02d", d, 9+i/30, i%30*2, i%60), "住民記録", lk, subj(fmt.Sprint(10000+s))))
		}
	}
	counterRepeat := append(counter, on("S008", "10007", workDays[2], workDays[9], workDays[15])...)
	// A clerk with 30 residents a day: one resident on three days could be
	// chance (E_3 ≈ 0.2), four residents together on the same three days
	// cannot.
	var busy []domain.Event
	for _, d := range workDays {
		for i, s := range r.Perm(12000)[:30] {
			if s < 10 {
				continue
			}
			busy = append(busy, evx("S003", fmt.Sprintf("%s %02d:%02d:%02d", d, 9+i/10, i%10*5, i), "住民記録", lk, subj(fmt.Sprint(20000+s))))
		}
	}
	busyOne := append(slices3(busy), on("S003", "20001", workDays[3], workDays[8], workDays[14])...)
	busyFour := slices3(busyOne)
	for _, x := range []string{"20002", "20003", "20004"} {
		busyFour = append(busyFour, on("S003", x, workDays[3], workDays[8], workDays[14])...)
	}
	counterFixation := append(counter, on("S008", "10007", workDays[1], workDays[4], workDays[7], workDays[10], workDays[13], workDays[16])...)
	runMore(t, RepeatedSubject, []moreCase{
		{name: "three days beyond chance", events: three, want: []got{{RepeatedSubject, "S001", "2025-04-21", domain.Medium, 3}}, detail: []string{"偶然にこうなる確率は0.001未満"}},
		{name: "five days is a fixation", events: five, want: []got{{RepeatedSubject, "S001", "2025-04-11", domain.High, 5}}},
		{name: "a colleague of the department updated the resident", events: append(slices3(three), evx("S003", "2025-04-14 15:00:00", "住民記録", domain.ActionUpdate, subj("7001")))},
		{name: "another department's update is no business of the clerk's", events: append(slices3(three), evx("S002", "2025-04-14 15:00:00", "住民記録", domain.ActionUpdate, subj("7001"))),
			want: []got{{RepeatedSubject, "S001", "2025-04-21", domain.Medium, 3}}},
		{name: "a 受付 of the department", config: func(c *Config) { c.Reception = []domain.Reception{reception("税務課", "2025-04-14", "7001")} }, events: three},
		{name: "a busy counter clerk's chance repeat", events: counterRepeat},
		{name: "one resident on three days at 30 a day", events: busyOne},
		{name: "four residents together on the same three days", events: busyFour,
			want: []got{{RepeatedSubject, "S003", workDays[14], domain.Medium, 12}}, detail: []string{"同じ住民4人"}},
		{name: "the busy counter clerk's six-day fixation", events: counterFixation,
			want: []got{{RepeatedSubject, "S008", workDays[16], domain.High, 6}}},
	})
}

func slices3(e []domain.Event) []domain.Event { return append([]domain.Event(nil), e...) }

func TestBulkLookupAgainstCalendarAndHistory(t *testing.T) {
	var workDays []string
	for d := 1; d <= 30; d++ {
		t := time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC)
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && (d < 3 || d > 6) {
			workDays = append(workDays, t.Format(time.DateOnly))
		}
	}
	r := rand.New(rand.NewPCG(3, 3))
	dayOf := func(staff, d string, n int) []domain.Event {
		var out []domain.Event
		for i, s := range r.Perm(12000)[:n] {
			out = append(out, evx(staff, fmt.Sprintf("%s %02d:%02d:%02d", d, 9+i/60%8, i%60, i/480), "税", domain.ActionLookup, subj(fmt.Sprint(500000+s))))
		}
		return out
	}
	tax := func(c *Config) {
		c.From, c.To = day("2025-05-01"), day("2025-05-31")
		c.Staff = append(c.Staff, domain.Staff{ID: "S010", Dept: "税務課"}, domain.Staff{ID: "S011", Dept: "税務課"}, domain.Staff{ID: "S012", Dept: "税務課"})
	}
	// Four tax clerks on ten to fourteen residents a day.
	var normal []domain.Event
	for i, d := range workDays {
		for j, s := range []string{"S001", "S010", "S011", "S012"} {
			normal = append(normal, dayOf(s, d, 10+(i+j)%5)...)
		}
	}
	// 住民税決定期: on 5/19 and 5/20 every tax clerk looks up 70–90.
	surge := append([]domain.Event(nil), normal...)
	for _, d := range []string{"2025-05-19", "2025-05-20"} {
		for j, s := range []string{"S001", "S010", "S011", "S012"} {
			surge = append(surge, dayOf(s, d, 60+10*j)...)
		}
	}
	alone := append([]domain.Event(nil), normal...)
	alone = append(alone, dayOf("S001", "2025-05-20", 90)...)
	// A slow rise: S001 looks up 30 more a day from 5/12 on.
	slow := append([]domain.Event(nil), normal...)
	for _, d := range workDays {
		if d >= "2025-05-12" {
			slow = append(slow, dayOf("S001", d, 30)...)
		}
	}
	// Everyone rises together: the peers explain it.
	slowAll := append([]domain.Event(nil), normal...)
	for _, d := range workDays {
		if d >= "2025-05-12" {
			for _, s := range []string{"S001", "S010", "S011", "S012"} {
				slowAll = append(slowAll, dayOf(s, d, 30)...)
			}
		}
	}
	// Enumeration: 25 neighbours in 宛名番号 order in the afternoon.
	walk := append([]domain.Event(nil), normal...)
	for i := range 25 {
		walk = append(walk, evx("S001", fmt.Sprintf("2025-05-22 15:%02d:10", i), "税", domain.ActionLookup, subj(fmt.Sprint(500000+i))))
	}
	// A sorted work list of 25 residents spread over the town.
	list := append([]domain.Event(nil), normal...)
	for i := range 25 {
		list = append(list, evx("S001", fmt.Sprintf("2025-05-22 15:%02d:10", i), "税", domain.ActionLookup, subj(fmt.Sprint(500000+i*450))))
	}
	runMore(t, BulkLookup, []moreCase{
		{name: "ordinary month", config: tax, events: normal},
		{name: "a department-wide surge is business", config: tax, events: surge},
		{name: "the same day alone is not", config: tax, events: alone,
			want: []got{{BulkLookup, "S001", "2025-05-20", domain.High, 101}}, detail: []string{"同じ日の同僚3人の中央値"}},
		{name: "a slow rise over weeks", config: tax, events: slow,
			want: []got{{BulkLookup, "S001", "2025-05-30", domain.Medium, 630}}, detail: []string{"5/12の週から3週続けて", "同じ所属の同僚3人は同じ週に0.9倍"}},
		{name: "the whole department rising", config: tax, events: slowAll},
		{name: "walking through 宛名番号", config: tax, events: walk,
			want: []got{{BulkLookup, "S001", "2025-05-22", domain.High, 25}}, detail: []string{"宛名番号の順に続けて住民25人"}},
		{name: "a sorted work list is no walk", config: tax, events: list},
		{name: "a shorter walk", config: func(c *Config) { tax(c); c.Thresholds.BulkRun = 26 }, events: walk},
	})
}

// handoffConfig: S001 (税務課, 住民記録 through its 利用可能システム) mails
// from yamada@…; S005 (総務課) has no grant on 住民記録 and writes to USB
// as tanaka-w; S008 (福祉課) may look up 住民記録.
func handoffConfig(c *Config) {
	withAccounts(c)
	c.Staff[4].Accounts = []string{"tanaka-w"}
	c.Staff[4].USBAllowed = true
	c.Staff[10].Email = []string{"ishii@town.example.lg.jp"}
}

func TestExportHandoffRule(t *testing.T) {
	export := evx("S001", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, func(e *domain.Event) { e.Records, e.Function = 12480, "住民基本台帳一括出力" })
	cert := evx("S001", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, func(e *domain.Event) { e.Records, e.SubjectID = 1, "7001" })
	toS005 := mail("yamada@town.example.lg.jp", "2025-04-07 16:31:00", "s005@town.example.lg.jp", "住民基本台帳_全件.csv")
	usbS005 := usb("tanaka-w", "2025-04-07 16:48:00")
	runMore(t, ExportHandoff, []moreCase{
		{name: "export, mail to a colleague without the grant, USB", config: handoffConfig, events: []domain.Event{export, toS005, usbS005},
			want:   []got{{ExportHandoff, "S001", "2025-04-07", domain.High, 2}, {ExportHandoff, "S005", "2025-04-07", domain.High, 2}},
			detail: []string{"「住民記録」から出力した一覧（12,480件）を、11分後に「住民記録」の権限のない職員 S005（田中）へ", "住民基本台帳_全件.csv", "17分後に外部媒体（USBメモリ(E:)）へ書き込んだ"}},
		{name: "no USB afterwards is medium", config: handoffConfig, events: []domain.Event{export, toS005},
			want: []got{{ExportHandoff, "S001", "2025-04-07", domain.Medium, 2}, {ExportHandoff, "S005", "2025-04-07", domain.Medium, 1}}},
		{name: "the receiver mails it home", config: handoffConfig, events: []domain.Event{export, toS005, mail("tanaka-w", "2025-04-07 17:00:00", "t@gmail.com", "list.csv")},
			want: []got{{ExportHandoff, "S001", "2025-04-07", domain.High, 2}, {ExportHandoff, "S005", "2025-04-07", domain.High, 2}}},
		{name: "a colleague who holds the grant", config: handoffConfig, events: []domain.Event{export,
			mail("yamada@town.example.lg.jp", "2025-04-07 16:31:00", "ishii@town.example.lg.jp", "住民基本台帳_全件.csv")}},
		{name: "meeting papers are not data", config: handoffConfig, events: []domain.Event{export,
			mail("yamada@town.example.lg.jp", "2025-04-07 16:31:00", "s005@town.example.lg.jp", "会議資料.pdf"), usbS005}},
		{name: "a certificate print is not a list", config: handoffConfig, events: []domain.Event{cert, toS005, usbS005}},
		{name: "the mail more than an hour after the export", config: handoffConfig, events: []domain.Event{export,
			mail("yamada@town.example.lg.jp", "2025-04-07 17:21:00", "s005@town.example.lg.jp", "list.zip")}},
		{name: "the USB write more than an hour after the mail", config: handoffConfig, events: []domain.Event{export, toS005, usb("tanaka-w", "2025-04-07 17:32:00")},
			want: []got{{ExportHandoff, "S001", "2025-04-07", domain.Medium, 2}, {ExportHandoff, "S005", "2025-04-07", domain.Medium, 1}}},
		{name: "an address nobody has", config: handoffConfig, events: []domain.Event{export,
			mail("yamada@town.example.lg.jp", "2025-04-07 16:31:00", "kikaku@town.example.lg.jp", "list.csv")}},
	})
}

// endpoint returns a PC logon or logoff of a Windows account.
func endpoint(account, when, pc string, a domain.Action) domain.Event {
	return evx(account, when, "資産管理", a, func(e *domain.Event) { e.Kind, e.Terminal = domain.KindEndpoint, pc })
}

func onPC(staff, when, pc, subject string) domain.Event {
	e := lookup(staff, when, subject)
	e.Terminal = pc
	return e
}

func TestSharedIDAgainstTheEndpointLog(t *testing.T) {
	accounts := func(c *Config) {
		withReception()(c)
		c.Staff[len(c.Staff)-2].Accounts = []string{"nakamura-w"}
		c.Staff[len(c.Staff)-1].Accounts = []string{"ogawa-w"}
	}
	lo, la := domain.ActionLogin, domain.ActionLogout
	history := []domain.Event{ // both at their own PCs on Friday
		endpoint("nakamura-w", "2025-04-11 08:31:00", "PC20", lo), endpoint("nakamura-w", "2025-04-11 17:10:00", "PC20", la),
		endpoint("ogawa-w", "2025-04-11 08:32:00", "PC21", lo), endpoint("ogawa-w", "2025-04-11 17:08:00", "PC21", la),
		onPC("S020", "2025-04-11 10:00:00", "PC20", "5001"),
	}
	ogawaMonday := []domain.Event{endpoint("ogawa-w", "2025-04-14 08:30:00", "PC21", lo), endpoint("ogawa-w", "2025-04-14 17:10:00", "PC21", la)}
	borrowed := append(append(slices3(history), ogawaMonday...),
		onPC("S020", "2025-04-14 10:05:00", "PC21", "5002"), onPC("S020", "2025-04-14 10:20:00", "PC21", "5003"), onPC("S020", "2025-04-14 10:40:00", "PC21", "5004"))
	own := append(slices3(history), endpoint("nakamura-w", "2025-04-14 10:03:00", "PC20", lo), endpoint("nakamura-w", "2025-04-14 17:00:00", "PC20", la),
		onPC("S020", "2025-04-14 10:00:00", "PC20", "5002"), onPC("S020", "2025-04-14 16:30:00", "PC20", "5003"))
	handover := append(slices3(history),
		endpoint("ogawa-w", "2025-04-14 08:30:00", "PC21", lo), endpoint("ogawa-w", "2025-04-14 10:00:00", "PC21", la),
		endpoint("nakamura-w", "2025-04-14 10:02:00", "PC21", lo), endpoint("nakamura-w", "2025-04-14 17:00:00", "PC21", la),
		onPC("S020", "2025-04-14 10:04:00", "PC21", "5002"))
	noLogon := append(append(slices3(history), ogawaMonday...), onPC("S020", "2025-04-14 10:05:00", "PC20", "5002"))
	unmapped := append(append(slices3(history), ogawaMonday...), onPC("S008", "2025-04-14 10:05:00", "PC8", "5002"))
	runMore(t, SharedID, []moreCase{
		{name: "a borrowed ID on a colleague's logged-on PC", config: accounts, events: borrowed,
			want:   []got{{SharedID, "S020", "2025-04-14", domain.High, 3}, {SharedID, "S021", "2025-04-14", domain.High, 3}},
			detail: []string{"S021（小川）がパソコンにログオンしている端末（PC21）で使われた（10:05〜10:40）", "本人のパソコンへのログオンが1度もない日"}},
		{name: "at one's own logged-on PC, three minutes before the logon", config: accounts, events: own},
		{name: "a counter PC handed over", config: accounts, events: handover},
		{name: "no logon that day at one's own PC", config: accounts, events: noLogon,
			want: []got{{SharedID, "S020", "2025-04-14", domain.High, 1}}, detail: []string{"本人のパソコンへのログオンが1度もない日に端末（PC20）"}},
		{name: "no endpoint log", config: accounts, events: []domain.Event{onPC("S020", "2025-04-14 10:05:00", "PC21", "5002")}},
		{name: "an owner the endpoint log never shows", config: accounts, events: unmapped},
	})
}

// runDetails runs one rule and returns each finding's staff → detail.
func runDetails(t *testing.T, rule string, config func(*Config), events []domain.Event) map[string]string {
	t.Helper()
	cfg := baseConfig()
	cfg.Enabled = map[string]bool{rule: true}
	if config != nil {
		config(&cfg)
	}
	fs, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.StaffID] += f.Detail
	}
	return out
}

func TestSharedIDNamesBothPeople(t *testing.T) {
	accounts := func(c *Config) {
		withReception()(c)
		c.Staff[len(c.Staff)-2].Accounts = []string{"nakamura-w"}
		c.Staff[len(c.Staff)-1].Accounts = []string{"ogawa-w"}
	}
	got := runDetails(t, SharedID, accounts, []domain.Event{
		endpoint("nakamura-w", "2025-04-11 08:31:00", "PC20", domain.ActionLogin),
		endpoint("ogawa-w", "2025-04-14 08:30:00", "PC21", domain.ActionLogin),
		onPC("S020", "2025-04-14 10:05:00", "PC21", "5002"),
	})
	if !strings.Contains(got["S021"], "自分がログオンしている端末（PC21）で、ほかの職員S020（中村）のIDが使われた") {
		t.Errorf("the person at the terminal: %q", got["S021"])
	}
	if !strings.Contains(got["S020"], "S021（小川）がパソコンにログオンしている端末（PC21）") {
		t.Errorf("the owner: %q", got["S020"])
	}
}

func TestLogGapSequence(t *testing.T) {
	// Ten rows of one file, 通番 101–110 on lines 2–11, one every minute.
	file := func(edit func(i int, e *domain.Event) bool) []domain.Event {
		var out []domain.Event
		for i := range 10 {
			e := ev([]string{"S001", "S002"}[i%2], fmt.Sprintf("2025-04-07 10:%02d:00", i), "福祉", domain.ActionLookup)
			e.Batch, e.Line, e.Seq = 4, i+2, int64(101+i)
			if edit == nil || edit(i, &e) {
				out = append(out, e)
			}
		}
		return out
	}
	deleted := file(func(i int, e *domain.Event) bool {
		if i > 5 {
			e.Line -= 3 // rows 104–106 deleted from the file: the lines close up
		}
		return i < 3 || i > 5
	})
	rejected := file(func(i int, e *domain.Event) bool { return i < 3 || i > 5 }) // lines and numbers both missing
	repeated := file(func(i int, e *domain.Event) bool {
		if i == 6 {
			e.Seq = 106
		}
		return true
	})
	daily := append(file(nil), func() []domain.Event {
		var out []domain.Event
		for i := range 3 {
			e := ev("S001", fmt.Sprintf("2025-04-08 09:%02d:00", i), "福祉", domain.ActionLookup)
			e.Batch, e.Line, e.Seq = 4, 12+i, int64(1+i)
			out = append(out, e)
		}
		return out
	}()...)
	runMore(t, LogGap, []moreCase{
		{name: "rows deleted from a file with 通番", events: deleted,
			want: []got{{LogGap, "福祉", "2025-04-07", domain.High, 2}}, detail: []string{"通番103の次が107（3件欠落、4/7 10:02:00〜4/7 10:06:00の間、取込番号4の4行目と5行目）"}},
		{name: "rows not imported: lines and numbers missing together", events: rejected},
		{name: "a number altered: a repeat and a skip", events: repeated,
			want: []got{{LogGap, "福祉", "2025-04-07", domain.High, 3}}, detail: []string{"通番106の次が106（重複", "通番106の次が108（1件欠落"}},
		{name: "a 通番 that starts again each day", events: daily},
		{name: "a log without 通番", events: file(func(i int, e *domain.Event) bool { e.Seq = 0; return true })},
	})
	// The rows either side are the evidence, with their lines and numbers.
	cfg := baseConfig()
	cfg.Enabled = map[string]bool{LogGap: true}
	fs, err := Run(context.Background(), &fakeSource{events: deleted}, cfg, nil)
	if err != nil || len(fs) != 1 {
		t.Fatal(fs, err)
	}
	var lines []string
	for _, e := range fs[0].Evidence {
		lines = append(lines, fmt.Sprintf("%d:%d:%s:%s", e.Line, e.Seq, e.StaffID, e.Time.Format("15:04")))
	}
	if strings.Join(lines, " ") != "4:103:S001:10:02 5:107:S001:10:06" {
		t.Errorf("evidence %v", lines)
	}
}

// TestEvidenceBudget: a run with few findings keeps DefaultMaxEvidence rows
// each; one with more findings than the budget allows keeps the same
// smaller number of rows for every finding (the earliest), never fewer
// than MinEvidence, and still counts every event.
func TestEvidenceBudget(t *testing.T) {
	var events []domain.Event
	for d := range 30 { // thirty evenings of 25 lookups each
		for i := range 25 {
			events = append(events, lookup("S001", fmt.Sprintf("2025-05-%02d 19:%02d:00", d+1, i), fmt.Sprint(7000+i)))
		}
	}
	run := func() []domain.Finding {
		cfg := baseConfig()
		cfg.Enabled = map[string]bool{AfterHours: true, Holiday: true}
		fs, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
		if err != nil || len(fs) != 30 {
			t.Fatalf("%d findings, %v", len(fs), err)
		}
		return fs
	}
	for _, f := range run() {
		if f.Count != 25 || len(f.Evidence) != DefaultMaxEvidence {
			t.Errorf("%s %s: %d events, %d rows", f.Rule, f.Date, f.Count, len(f.Evidence))
		}
	}
	defer func(b int) { evidenceBudget = b }(evidenceBudget)
	evidenceBudget = 90 // three rows for each of thirty findings: MinEvidence then
	for _, f := range run() {
		if f.Count != 25 || len(f.Evidence) != MinEvidence || f.Evidence[0].Time.Minute() != 0 || f.Evidence[MinEvidence-1].Time.Minute() != MinEvidence-1 {
			t.Errorf("%s %s: %d events, %d rows from %v", f.Rule, f.Date, f.Count, len(f.Evidence), f.Evidence[0].Time)
		}
	}
}
