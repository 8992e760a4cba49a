package calendar

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// reasonCase is one expected ClosedReason answer.
type reasonCase struct {
	day  string
	want string
}

func checkReasons(t *testing.T, c *Calendar, tests []reasonCase) {
	t.Helper()
	for _, tt := range tests {
		// A log row's time of day must not matter.
		d := day(t, tt.day).Add(13*time.Hour + 7*time.Minute)
		if got := c.ClosedReason(d); got != tt.want {
			t.Errorf("ClosedReason(%s) = %q, want %q", tt.day, got, tt.want)
		}
		if got := c.IsClosed(d); got != (tt.want != "") {
			t.Errorf("IsClosed(%s) = %v, want %v", tt.day, got, tt.want != "")
		}
	}
}

func TestDefaultCalendar(t *testing.T) {
	checkReasons(t, Default(), []reasonCase{
		{"2026-06-15", ""}, // Monday
		{"2026-06-19", ""}, // Friday
		{"2026-06-20", ReasonSaturday},
		{"2026-06-21", ReasonSunday},
		{"2026-03-20", "春分の日"},
		{"2026-05-06", "振替休日"},
		{"2026-09-22", "国民の休日"},
		{"2026-05-03", "憲法記念日"}, // a Sunday: the holiday's name wins
		{"2026-05-02", ReasonSaturday},
		// 年末年始, 12/29–1/3, whatever the weekday.
		{"2026-12-28", ""},
		{"2026-12-29", ReasonYearEnd},
		{"2026-12-31", ReasonYearEnd},
		{"2027-01-01", "元日"},
		{"2027-01-02", ReasonYearEnd}, // a Saturday
		{"2027-01-03", ReasonYearEnd}, // a Sunday
		{"2027-01-04", ""},
		{"2024-02-29", ""},
		{"2024-12-31", ReasonYearEnd}, // day 366 of a leap year
		// Far outside the fast path.
		{"1850-01-07", ""},
		{"1850-01-05", ReasonSaturday},
		{"2500-01-01", "元日"},
	})
}

func TestZeroCalendarIsDefault(t *testing.T) {
	var c Calendar
	checkReasons(t, &c, []reasonCase{
		{"2026-12-30", ReasonYearEnd},
		{"2026-07-20", "海の日"},
		{"2026-07-18", ReasonSaturday},
		{"2026-07-21", ""},
	})
	if got := c.Summary(); got != "土曜日・日曜日、国民の祝日、年末年始（12月29日〜1月3日）" {
		t.Errorf("Summary() = %q", got)
	}
}

func TestSetClosings(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*Calendar)
		cases   []reasonCase
		summary string
	}{
		{
			name:  "year-end off",
			setup: func(c *Calendar) { c.SetYearEndClosing(false) },
			cases: []reasonCase{
				{"2026-12-29", ""}, {"2026-12-31", ""}, {"2027-01-01", "元日"},
				{"2027-01-02", ReasonSaturday}, {"2027-01-03", ReasonSunday}, {"2027-12-30", ""},
			},
			summary: "土曜日・日曜日、国民の祝日",
		},
		{
			name:  "weekends off",
			setup: func(c *Calendar) { c.SetWeekendClosing(false) },
			cases: []reasonCase{
				{"2026-06-20", ""}, {"2026-06-21", ""}, {"2026-05-03", "憲法記念日"},
				{"2027-01-02", ReasonYearEnd}, {"2026-05-06", "振替休日"},
			},
			summary: "国民の祝日、年末年始（12月29日〜1月3日）",
		},
		{
			name:  "holidays off",
			setup: func(c *Calendar) { c.SetHolidayClosing(false) },
			cases: []reasonCase{
				{"2026-03-20", ""}, {"2026-05-03", ReasonSunday}, {"2027-01-01", ReasonYearEnd},
			},
			summary: "土曜日・日曜日、年末年始（12月29日〜1月3日）",
		},
		{
			name: "open every day (24時間施設)",
			setup: func(c *Calendar) {
				c.SetWeekendClosing(false)
				c.SetHolidayClosing(false)
				c.SetYearEndClosing(false)
			},
			cases:   []reasonCase{{"2026-06-20", ""}, {"2027-01-01", ""}, {"2026-03-20", ""}},
			summary: "閉庁日なし",
		},
		{
			name: "switched off and on again",
			setup: func(c *Calendar) {
				c.SetYearEndClosing(false)
				c.SetYearEndClosing(true)
			},
			cases:   []reasonCase{{"2026-12-29", ReasonYearEnd}},
			summary: "土曜日・日曜日、国民の祝日、年末年始（12月29日〜1月3日）",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.setup(c)
			checkReasons(t, c, tt.cases)
			if got := c.Summary(); got != tt.summary {
				t.Errorf("Summary() = %q, want %q", got, tt.summary)
			}
			// HolidayName is about the law, not about closing.
			if got := c.HolidayName(day(t, "2026-03-20")); got != "春分の日" {
				t.Errorf("HolidayName = %q", got)
			}
		})
	}
}

func TestTownExceptions(t *testing.T) {
	c := Default()
	// Query first, so the year's table is built before the changes: they must
	// not be hidden by the cache.
	if c.IsClosed(day(t, "2026-06-15")) || !c.IsClosed(day(t, "2026-02-15")) {
		t.Fatal("unexpected default answers")
	}
	c.AddClosed(day(t, "2026-06-15").Add(10*time.Hour), "  創立記念日 ")
	c.AddOpen(day(t, "2026-02-15"), "休日開庁（確定申告）") // a Sunday
	c.AddOpen(day(t, "2026-12-29"), "")           // year-end, opened without a reason
	c.AddClosed(day(t, "2026-08-14"), "")         // a Friday, closed without a reason
	c.AddOpen(day(t, "2026-11-03"), "選挙")         // a holiday
	c.AddClosed(day(t, "2026-06-20"), "庁舎停電")     // a Saturday: the town's reason wins
	c.AddOpen(day(t, "2026-10-01"), "先に開庁")
	c.AddClosed(day(t, "2026-10-01"), "後から閉庁") // replaces the AddOpen
	c.AddClosed(day(t, "2026-10-02"), "取り消す")
	c.RemoveException(day(t, "2026-10-02"))
	c.RemoveException(day(t, "2026-10-05")) // nothing to remove

	checkReasons(t, c, []reasonCase{
		{"2026-06-15", "創立記念日"},
		{"2026-02-15", ""},
		{"2026-02-14", ReasonSaturday},
		{"2026-12-29", ""},
		{"2026-12-30", ReasonYearEnd},
		{"2026-08-14", ReasonTownClosed},
		{"2026-11-03", ""},
		{"2026-06-20", "庁舎停電"},
		{"2026-10-01", "後から閉庁"},
		{"2026-10-02", ""},
		{"2027-06-15", ""}, // one day, not every year
	})

	openReasons := []reasonCase{
		{"2026-02-15", "休日開庁（確定申告）"},
		{"2026-12-29", ReasonTownOpen},
		{"2026-11-03", "選挙"},
		{"2026-06-15", ""}, // closed by the town, not opened
		{"2026-10-01", ""},
		{"2026-06-16", ""},
	}
	for _, tt := range openReasons {
		if got := c.OpenReason(day(t, tt.day).Add(9 * time.Hour)); got != tt.want {
			t.Errorf("OpenReason(%s) = %q, want %q", tt.day, got, tt.want)
		}
	}
	if got := c.HolidayName(day(t, "2026-11-03")); got != "文化の日" {
		t.Errorf("HolidayName of an opened holiday = %q, want 文化の日", got)
	}

	var got []string
	for _, e := range c.Exceptions() {
		kind := "開"
		if e.Closed {
			kind = "閉"
		}
		got = append(got, e.Date.Format(time.DateOnly)+" "+kind+" "+e.Reason)
	}
	want := []string{
		"2026-02-15 開 休日開庁（確定申告）",
		"2026-06-15 閉 創立記念日",
		"2026-06-20 閉 庁舎停電",
		"2026-08-14 閉 独自の閉庁日",
		"2026-10-01 閉 後から閉庁",
		"2026-11-03 開 選挙",
		"2026-12-29 開 開庁日",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Exceptions() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got, want := c.Summary(), "土曜日・日曜日、国民の祝日、年末年始（12月29日〜1月3日）、独自の閉庁日4日（ただし開庁日として3日を除く）"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

func TestClone(t *testing.T) {
	town := Default()
	town.AddClosed(day(t, "2026-06-15"), "創立記念日")
	_ = town.IsClosed(day(t, "2026-06-16")) // build a table before cloning

	dept := town.Clone()
	dept.SetWeekendClosing(false)
	dept.AddOpen(day(t, "2026-06-15"), "窓口延長")
	town.AddClosed(day(t, "2026-06-17"), "町だけ")

	checkReasons(t, town, []reasonCase{{"2026-06-15", "創立記念日"}, {"2026-06-20", ReasonSaturday}, {"2026-06-17", "町だけ"}})
	checkReasons(t, dept, []reasonCase{{"2026-06-15", ""}, {"2026-06-20", ""}, {"2026-06-17", ""}, {"2026-03-20", "春分の日"}})
	if len(town.Exceptions()) != 2 || len(dept.Exceptions()) != 1 {
		t.Errorf("exceptions shared between clones: town %v, dept %v", town.Exceptions(), dept.Exceptions())
	}
}

func TestUseOverrides(t *testing.T) {
	// A file for 2027 that differs from the computed list: an extra day, a
	// renamed day and 11/23 missing (as a changed law might have it).
	o, err := ParseSyukujitsu(strings.NewReader(officialHeader + "\n2027/1/1,元日\n2027/3/22,休日\n2027/6/1,新しい祝日\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := Default()
	if !c.IsClosed(day(t, "2027-11-23")) { // build 2027 before the change
		t.Fatal("11/23 not closed by default")
	}
	c.UseOverrides(o)
	checkReasons(t, c, []reasonCase{
		{"2027-01-01", "元日"},
		{"2027-03-22", "休日"}, // computed: 振替休日; the file's name is kept
		{"2027-06-01", "新しい祝日"},
		{"2027-11-23", ""},
		{"2027-03-21", ReasonSunday}, // computed 春分の日, not in the file
		{"2027-12-30", ReasonYearEnd},
		{"2026-11-23", "勤労感謝の日"}, // 2026 is not covered: computed
		{"2028-01-01", "元日"},
	})
	if got := c.HolidayName(day(t, "2027-06-01")); got != "新しい祝日" {
		t.Errorf("HolidayName(2027-06-01) = %q", got)
	}
	if got := c.HolidayName(day(t, "2027-03-21")); got != "" {
		t.Errorf("HolidayName(2027-03-21) = %q, want none under the file", got)
	}
	if got := c.HolidayName(day(t, "2026-03-20")); got != "春分の日" {
		t.Errorf("HolidayName(2026-03-20) = %q", got)
	}
	if got := len(c.Holidays(2027)); got != 3 {
		t.Errorf("Holidays(2027) has %d days, want the file's 3", got)
	}
	if got := len(c.Holidays(2026)); got != len(Holidays(2026)) {
		t.Errorf("Holidays(2026) has %d days, want the computed %d", got, len(Holidays(2026)))
	}
	if got, want := c.Summary(), "土曜日・日曜日、国民の祝日（2027年は「syukujitsu.csv」による）、年末年始（12月29日〜1月3日）"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if HolidayName(day(t, "2027-06-01")) != "" {
		t.Error("overrides leaked into the package-level HolidayName")
	}

	c.UseOverrides(loadOfficial(t))
	if got, want := c.Summary(), "土曜日・日曜日、国民の祝日（1955年〜2027年は「syukujitsu.csv」による）、年末年始（12月29日〜1月3日）"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	c.UseOverrides(&Overrides{}) // a zero list covers nothing
	checkReasons(t, c, []reasonCase{{"2027-03-22", "振替休日"}})
	if got := c.Summary(); !strings.HasPrefix(got, "土曜日・日曜日、国民の祝日、") {
		t.Errorf("Summary() with an empty list = %q", got)
	}

	c.UseOverrides(nil)
	checkReasons(t, c, []reasonCase{{"2027-06-01", ""}, {"2027-11-23", "勤労感謝の日"}, {"2027-03-22", "振替休日"}})
}

// TestOfficialOverridesAgreeWithComputed closes the loop: the calendar using
// the official file and the calendar computing holidays close the same days.
func TestOfficialOverridesAgreeWithComputed(t *testing.T) {
	withFile := Default()
	withFile.UseOverrides(loadOfficial(t))
	computedCal := Default()
	for d := date(1980, 1, 1); d.Year() <= 2027; d = d.AddDate(0, 0, 1) {
		if a, b := withFile.IsClosed(d), computedCal.IsClosed(d); a != b {
			t.Errorf("%s: closed with file %v, computed %v", d.Format(time.DateOnly), a, b)
		}
	}
}

// TestConcurrentUse runs readers while the configuration changes; run with
// -race. Every answer must be one of the two valid ones.
func TestConcurrentUse(t *testing.T) {
	c := Default()
	target := day(t, "2026-06-15")
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				d := target.AddDate(0, 0, (i*7+g)%400)
				r := c.ClosedReason(d)
				if d.Equal(target) && r != "" && r != "創立記念日" {
					errs <- "target reason " + r
					return
				}
				if d.Weekday() == time.Saturday && r != ReasonSaturday && r != ReasonYearEnd && HolidayName(d) == "" {
					errs <- "Saturday " + d.String() + " reason " + r
					return
				}
			}
		})
	}
	for i := range 50 {
		if i%2 == 0 {
			c.AddClosed(target, "創立記念日")
		} else {
			c.RemoveException(target)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := c.ClosedReason(target); got != "" {
		t.Errorf("after the last change ClosedReason = %q, want working day", got)
	}
}

func BenchmarkIsClosed(b *testing.B) {
	c := Default()
	c.AddClosed(time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC), "創立記念日")
	days := benchDays()
	for _, d := range days {
		c.IsClosed(d) // build the tables: the benchmark measures the steady state
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = c.IsClosed(days[i%len(days)])
	}
}

func BenchmarkIsClosedParallel(b *testing.B) {
	c := Default()
	days := benchDays()
	for _, d := range days {
		c.IsClosed(d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = c.IsClosed(days[i%len(days)])
			i++
		}
	})
}

func BenchmarkClosedReason(b *testing.B) {
	c := Default()
	days := benchDays()
	for _, d := range days {
		c.ClosedReason(d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = c.ClosedReason(days[i%len(days)])
	}
}
