package calendar

import (
	"os"
	"slices"
	"testing"
	"time"
)

// officialEditorial lists the days the Cabinet Office's file words
// differently from the laws, which this package follows: the two 2019 days
// the special law made 国民の祝日 are listed as 休日（祝日扱い）, and the last
// 体育の日 carries the coming name.
var officialEditorial = map[string]struct{ law, file string }{
	"2019-05-01": {"天皇の即位の日", "休日（祝日扱い）"},
	"2019-10-22": {"即位礼正殿の儀", "休日（祝日扱い）"},
	"2019-10-14": {"体育の日", "体育の日（スポーツの日）"},
}

// officialName maps a computed holiday to the name syukujitsu.csv gives it:
// the file calls both 振替休日 and 国民の休日 just "休日".
func officialName(h Holiday) string {
	if e, ok := officialEditorial[h.Date.Format(time.DateOnly)]; ok && e.law == h.Name {
		return e.file
	}
	if h.Name == NameSubstitute || h.Name == NameSandwiched {
		return "休日"
	}
	return h.Name
}

func loadOfficial(t testing.TB) *Overrides {
	t.Helper()
	f, err := os.Open("testdata/syukujitsu.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o, err := ParseSyukujitsu(f)
	if err != nil {
		t.Fatalf("official file does not parse: %v", err)
	}
	return o
}

// TestHolidaysMatchOfficialList requires the computed holidays to equal the
// Cabinet Office's list exactly, date by date and name by name, for every year
// it covers (1955–2027; the brief asks for 1980–2027 at least).
func TestHolidaysMatchOfficialList(t *testing.T) {
	o := loadOfficial(t)
	years := o.Years()
	if len(years) == 0 || years[0] > 1980 || years[len(years)-1] < 2027 {
		t.Fatalf("official list covers %v, want at least 1980–2027", years)
	}
	usedEditorial := map[string]bool{}
	for _, y := range years {
		official, _ := o.Holidays(y)
		got := Holidays(y)
		i, j := 0, 0
		for i < len(got) || j < len(official) {
			switch {
			case j == len(official) || i < len(got) && got[i].Date.Before(official[j].Date):
				t.Errorf("%s: computed %q, not in the official list", got[i].Date.Format(time.DateOnly), got[i].Name)
				i++
			case i == len(got) || official[j].Date.Before(got[i].Date):
				t.Errorf("%s: official %q, not computed", official[j].Date.Format(time.DateOnly), official[j].Name)
				j++
			default:
				day := got[i].Date.Format(time.DateOnly)
				if _, ok := officialEditorial[day]; ok {
					usedEditorial[day] = true
				}
				if want := official[j].Name; officialName(got[i]) != want {
					t.Errorf("%s: computed %q (as in the file: %q), official %q", day, got[i].Name, officialName(got[i]), want)
				}
				i++
				j++
			}
		}
	}
	for day := range officialEditorial {
		if !usedEditorial[day] {
			t.Errorf("editorial mapping for %s was never needed: remove it", day)
		}
	}
}

func TestHolidayNameEdgeCases(t *testing.T) {
	tests := []struct {
		day  string
		want string
	}{
		// The law itself: nothing before 1948-07-20.
		{"1947-01-01", ""},
		{"1948-04-29", ""},
		{"1948-09-23", "秋分の日"},
		{"1949-01-01", "元日"},
		// 振替休日 only from 1973-04-12.
		{"1973-02-12", ""},
		{"1973-04-30", NameSubstitute},
		// Moves of the Happy Monday laws.
		{"1999-01-15", "成人の日"},
		{"2000-01-10", "成人の日"},
		{"2000-01-15", ""},
		{"1995-07-20", ""},
		{"1996-07-20", "海の日"},
		{"2003-07-21", "海の日"},
		{"2002-09-16", NameSubstitute}, // 9/15 Sunday, old 振替
		{"2003-09-15", "敬老の日"},
		{"1999-10-11", NameSubstitute}, // 10/10 Sunday
		{"2000-10-09", "体育の日"},
		{"2019-10-14", "体育の日"},
		{"2020-10-12", ""},
		{"2022-10-10", "スポーツの日"},
		{"2015-08-11", ""},
		{"2016-08-11", "山の日"},
		// 天皇誕生日 and 4/29 through the reigns.
		{"1988-04-29", "天皇誕生日"},
		{"1989-04-29", "みどりの日"},
		{"1989-12-23", "天皇誕生日"},
		{"2018-12-23", "天皇誕生日"},
		{"2018-12-24", NameSubstitute},
		{"2019-12-23", ""},
		{"2019-02-23", ""},
		{"2020-02-23", "天皇誕生日"},
		{"2020-02-24", NameSubstitute},
		{"2006-04-29", "みどりの日"},
		{"2006-05-04", NameSandwiched},
		{"2007-04-29", "昭和の日"},
		{"2007-04-30", NameSubstitute},
		{"2007-05-04", "みどりの日"},
		// One-off days.
		{"1959-04-10", "結婚の儀"},
		{"1989-02-24", "大喪の礼"},
		{"1990-11-12", "即位礼正殿の儀"},
		{"1993-06-09", "結婚の儀"},
		// 2019 golden week: ten days off.
		{"2019-04-27", ""}, // a Saturday, not a holiday
		{"2019-04-29", "昭和の日"},
		{"2019-04-30", NameSandwiched},
		{"2019-05-01", "天皇の即位の日"},
		{"2019-05-02", NameSandwiched},
		{"2019-05-03", "憲法記念日"},
		{"2019-05-04", "みどりの日"},
		{"2019-05-05", "こどもの日"},
		{"2019-05-06", NameSubstitute},
		{"2019-05-07", ""},
		{"2019-10-22", "即位礼正殿の儀"},
		// Olympic moves.
		{"2020-07-20", ""},
		{"2020-07-23", "海の日"},
		{"2020-07-24", "スポーツの日"},
		{"2020-08-10", "山の日"},
		{"2020-08-11", ""},
		{"2021-07-19", ""},
		{"2021-07-22", "海の日"},
		{"2021-07-23", "スポーツの日"},
		{"2021-08-08", "山の日"},
		{"2021-08-09", NameSubstitute},
		{"2021-08-11", ""},
		{"2021-10-11", ""},
		{"2022-07-18", "海の日"},
		// 振替休日 after 2007: the next day that is not a 国民の祝日.
		{"2008-05-06", NameSubstitute},
		{"2009-05-06", NameSubstitute},
		{"2020-05-06", NameSubstitute},
		{"2025-05-06", NameSubstitute},
		// 国民の休日: silver weeks.
		{"2009-09-22", NameSandwiched},
		{"2015-09-22", NameSandwiched},
		{"2026-09-21", "敬老の日"},
		{"2026-09-22", NameSandwiched},
		{"2026-09-23", "秋分の日"},
		{"2032-09-20", "敬老の日"},
		{"2032-09-21", NameSandwiched},
		{"2032-09-22", "秋分の日"},
		{"2037-09-21", "敬老の日"},
		{"2037-09-22", NameSandwiched},
		{"2037-09-23", "秋分の日"},
		{"2043-09-22", NameSandwiched},
		// Equinoxes announced or predicted by the 国立天文台.
		{"2028-03-20", "春分の日"},
		{"2028-09-22", "秋分の日"},
		{"2029-03-20", "春分の日"},
		{"2029-09-23", "秋分の日"},
		{"2030-03-20", "春分の日"},
		{"2030-09-23", "秋分の日"},
		{"2050-03-20", "春分の日"},
		// Plain days.
		{"2026-06-15", ""},
		{"2026-12-29", ""}, // 年末年始 is the town's closing, not a holiday
	}
	for _, tt := range tests {
		d, err := time.Parse(time.DateOnly, tt.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := HolidayName(d); got != tt.want {
			t.Errorf("HolidayName(%s) = %q, want %q", tt.day, got, tt.want)
		}
	}
}

func TestHolidayNameUsesWallClockDate(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 1, 1, 23, 59, 59, 999, time.UTC), "元日"},
		{time.Date(2026, 1, 1, 0, 30, 0, 0, jst), "元日"}, // 2025-12-31 in UTC
		{time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		if got := HolidayName(tt.t); got != tt.want {
			t.Errorf("HolidayName(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestHolidaysOfYear(t *testing.T) {
	if got := Holidays(1947); got != nil {
		t.Errorf("Holidays(1947) = %v, want none before the law", got)
	}
	want1948 := []Holiday{
		{date(1948, time.September, 23), "秋分の日"},
		{date(1948, time.November, 3), "文化の日"},
		{date(1948, time.November, 23), "勤労感謝の日"},
	}
	if got := Holidays(1948); !slices.Equal(got, want1948) {
		t.Errorf("Holidays(1948) = %v, want %v", got, want1948)
	}
	want2026 := []string{
		"01-01 元日", "01-12 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日",
		"03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日",
		"05-05 こどもの日", "05-06 振替休日", "07-20 海の日", "08-11 山の日",
		"09-21 敬老の日", "09-22 国民の休日", "09-23 秋分の日", "10-12 スポーツの日",
		"11-03 文化の日", "11-23 勤労感謝の日",
	}
	var got2026 []string
	for _, h := range Holidays(2026) {
		got2026 = append(got2026, h.Date.Format("01-02")+" "+h.Name)
	}
	if !slices.Equal(got2026, want2026) {
		t.Errorf("Holidays(2026) =\n%v\nwant\n%v", got2026, want2026)
	}

	// The caller owns the slice.
	hs := Holidays(2026)
	hs[0].Name = "changed"
	if Holidays(2026)[0].Name != "元日" {
		t.Error("changing the returned slice changed the cache")
	}
}

// TestHolidayInvariants checks, over years far beyond the official list, the
// properties the law guarantees: sorted unique days, the fixed holidays where
// the law puts them, a 振替休日 after every Sunday 祝日, and HolidayName
// agreeing with Holidays (including years outside the fast cache's slots).
func TestHolidayInvariants(t *testing.T) {
	fixed := map[string]string{
		"01-01": "元日", "02-11": "建国記念の日", "02-23": "天皇誕生日", "04-29": "昭和の日",
		"05-03": "憲法記念日", "05-04": "みどりの日", "05-05": "こどもの日",
		"08-11": "山の日", "11-03": "文化の日", "11-23": "勤労感謝の日",
	}
	for y := 2022; y <= 2400; y++ {
		hs := Holidays(y)
		seen := map[string]bool{}
		for i, h := range hs {
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Fatalf("%d: not sorted at %v", y, h)
			}
			if h.Date.Year() != y || h.Name == "" {
				t.Fatalf("%d: bad holiday %v", y, h)
			}
			if got := HolidayName(h.Date); got != h.Name {
				t.Fatalf("HolidayName(%v) = %q, Holidays says %q", h.Date, got, h.Name)
			}
			seen[h.Date.Format("01-02")+h.Name] = true
			if h.Date.Weekday() == time.Sunday && h.Name != NameSubstitute && h.Name != NameSandwiched {
				ok := false
				for _, later := range hs[i+1:] {
					if later.Name == NameSubstitute {
						ok = later.Date.Sub(h.Date) <= 3*24*time.Hour
						break
					}
				}
				if !ok {
					t.Errorf("%v %s is on a Sunday but no 振替休日 follows", h.Date, h.Name)
				}
			}
			if h.Name == NameSandwiched && (h.Date.Weekday() == time.Sunday ||
				HolidayName(h.Date.AddDate(0, 0, -1)) == "" || HolidayName(h.Date.AddDate(0, 0, 1)) == "") {
				t.Errorf("%v is a 国民の休日 not between two holidays", h.Date)
			}
		}
		for md, name := range fixed {
			if !seen[md+name] {
				t.Errorf("%d: %s %s missing", y, md, name)
			}
		}
		if n := len(hs); n < 16 || n > 21 {
			t.Errorf("%d: %d holidays, want 16–21", y, n)
		}
		for _, eq := range []struct {
			m      time.Month
			lo, hi int
		}{{time.March, 19, 22}, {time.September, 21, 24}} {
			found := false
			for _, h := range hs {
				if h.Date.Month() == eq.m && (h.Name == "春分の日" || h.Name == "秋分の日") {
					found = h.Date.Day() >= eq.lo && h.Date.Day() <= eq.hi
				}
			}
			if !found {
				t.Errorf("%d: equinox holiday in %v missing or off", y, eq.m)
			}
		}
	}
}

func TestNthMonday(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		n    int
		want int
	}{
		{2026, time.January, 2, 12},
		{2024, time.January, 2, 8},  // Jan 1 is a Monday
		{2023, time.January, 2, 9},  // Jan 1 is a Sunday
		{2022, time.January, 2, 10}, // Jan 1 is a Saturday
		{2025, time.September, 3, 15},
		{2020, time.September, 3, 21},
	}
	for _, tt := range tests {
		if got := nthMonday(tt.y, tt.m, tt.n); got != tt.want {
			t.Errorf("nthMonday(%d, %v, %d) = %d, want %d", tt.y, tt.m, tt.n, got, tt.want)
		}
	}
}

func TestYearDay(t *testing.T) {
	for _, s := range []string{"2024-01-01", "2024-02-29", "2024-03-01", "2024-12-31", "2023-03-01", "2023-12-31", "2100-03-01", "2000-12-31"} {
		d, _ := time.Parse(time.DateOnly, s)
		y, yd := yearDay(d)
		if y != d.Year() || yd != d.YearDay()-1 {
			t.Errorf("yearDay(%s) = %d, %d; want %d, %d", s, y, yd, d.Year(), d.YearDay()-1)
		}
	}
}

func BenchmarkHolidayName(b *testing.B) {
	days := benchDays()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_ = HolidayName(days[i%len(days)])
	}
}

// benchDays returns log-like timestamps over five years.
func benchDays() []time.Time {
	var days []time.Time
	t := time.Date(2022, 4, 1, 8, 31, 0, 0, time.UTC)
	for range 1024 {
		days = append(days, t)
		t = t.Add(43*time.Hour + 17*time.Minute)
	}
	return days
}
