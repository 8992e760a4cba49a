package calendar

import (
	"math"
	"time"
)

// Holiday is one national holiday (国民の祝日 or 休日) on a day.
type Holiday struct {
	Date time.Time // midnight, wall-clock JST carried in time.UTC
	Name string    // e.g. "元日", "振替休日", "国民の休日"
}

// Names of the days that are 休日 without being 国民の祝日 themselves. The
// Cabinet Office's syukujitsu.csv calls both of them "休日".
const (
	NameSubstitute = "振替休日"  // 祝日法 3条2項
	NameSandwiched = "国民の休日" // 祝日法 3条3項
)

// lawStart is when the 国民の祝日に関する法律 took effect; it replaced the
// pre-war 祝祭日, so no earlier day is a national holiday under it.
var lawStart = date(1948, time.July, 20)

// Dates from which the rules on 休日 apply (the days the amendments took
// effect).
var (
	substituteStart = date(1973, time.April, 12)    // 振替休日 introduced
	substitute2007  = date(2007, time.January, 1)   // 振替 moves to the next non-holiday
	sandwichStart   = date(1985, time.December, 27) // 国民の休日 introduced
)

// oneOff holds the days made holidays by their own laws. 2019-05-01 and
// 2019-10-22 were expressly treated as 国民の祝日, which is what made
// 2019-04-30 and 2019-05-02 国民の休日; the others fell on weekdays between
// working days, so treating them all as 祝日 is exact.
var oneOff = map[int]string{
	dayKey(1959, time.April, 10):    "結婚の儀", // 皇太子明仁親王の結婚の儀
	dayKey(1989, time.February, 24): "大喪の礼",
	dayKey(1990, time.November, 12): "即位礼正殿の儀",
	dayKey(1993, time.June, 9):      "結婚の儀", // 皇太子徳仁親王の結婚の儀
	dayKey(2019, time.May, 1):       "天皇の即位の日",
	dayKey(2019, time.October, 22):  "即位礼正殿の儀",
}

// computed caches the holidays of each year, built once on first use.
var computed lazyYears[holidayYear]

// holidayYear is the computed holidays of one year, as a sorted list and as a
// table by day of the year for constant-time lookups.
type holidayYear struct {
	list  []Holiday
	names [366]string // index: day of the year - 1
}

// Holidays returns the national holidays of year computed from the 祝日法 and
// the special laws, sorted by date. Years before the law (1948-07-20) have
// none. The returned slice is the caller's to keep.
//
// The rules are those in force today, extrapolated: a future change of the
// law (or of the 天皇誕生日 with a new reign) is not known here, and 春分の日
// and 秋分の日 are officially fixed only each February for the following
// year. Use an Overrides file from the Cabinet Office for such years.
func Holidays(year int) []Holiday {
	hy := computed.get(year, buildHolidayYear)
	if len(hy.list) == 0 {
		return nil
	}
	return append([]Holiday(nil), hy.list...)
}

// HolidayName returns the Japanese name of the national holiday on d, or ""
// when d is not a national holiday. Only d's calendar date counts.
func HolidayName(d time.Time) string {
	y, yd := yearDay(d)
	return computed.get(y, buildHolidayYear).names[yd]
}

func buildHolidayYear(year int) *holidayYear {
	names := computeYear(year)
	hy := &holidayYear{}
	for i, n := range names {
		if n == "" {
			continue
		}
		hy.names[i] = n
		hy.list = append(hy.list, Holiday{Date: date(year, time.January, i+1), Name: n})
	}
	return hy
}

// computeYear returns the holiday names of year indexed by day of the year - 1
// ("" on other days).
func computeYear(year int) []string {
	if year < lawStart.Year() {
		return nil
	}
	n := daysIn(year)
	names := make([]string, n)
	// shukujitsu marks the 国民の祝日 proper: 振替休日 and 国民の休日 derive
	// from them but never count as one.
	shukujitsu := make([]bool, n)
	set := func(m time.Month, d int, name string) {
		i := date(year, m, d).YearDay() - 1
		names[i] = name
		shukujitsu[i] = true
	}
	y := year

	set(time.January, 1, "元日")
	if y >= 2000 {
		set(time.January, nthMonday(y, time.January, 2), "成人の日")
	} else {
		set(time.January, 15, "成人の日")
	}
	if y >= 1967 {
		set(time.February, 11, "建国記念の日")
	}
	if y >= 2020 {
		set(time.February, 23, "天皇誕生日")
	}
	set(time.March, vernalEquinoxDay(y), "春分の日")
	switch {
	case y >= 2007:
		set(time.April, 29, "昭和の日")
	case y >= 1989:
		set(time.April, 29, "みどりの日")
	default:
		set(time.April, 29, "天皇誕生日")
	}
	set(time.May, 3, "憲法記念日")
	if y >= 2007 {
		set(time.May, 4, "みどりの日")
	}
	set(time.May, 5, "こどもの日")
	switch {
	case y == 2020: // 東京オリンピック特措法 (2018 and 2020 amendments)
		set(time.July, 23, "海の日")
	case y == 2021:
		set(time.July, 22, "海の日")
	case y >= 2003:
		set(time.July, nthMonday(y, time.July, 3), "海の日")
	case y >= 1996:
		set(time.July, 20, "海の日")
	}
	switch {
	case y == 2020:
		set(time.August, 10, "山の日")
	case y == 2021:
		set(time.August, 8, "山の日")
	case y >= 2016:
		set(time.August, 11, "山の日")
	}
	switch {
	case y >= 2003:
		set(time.September, nthMonday(y, time.September, 3), "敬老の日")
	case y >= 1966:
		set(time.September, 15, "敬老の日")
	}
	set(time.September, autumnalEquinoxDay(y), "秋分の日")
	switch {
	case y == 2020:
		set(time.July, 24, "スポーツの日")
	case y == 2021:
		set(time.July, 23, "スポーツの日")
	case y >= 2020:
		set(time.October, nthMonday(y, time.October, 2), "スポーツの日")
	case y >= 2000:
		set(time.October, nthMonday(y, time.October, 2), "体育の日")
	case y >= 1966:
		set(time.October, 10, "体育の日")
	}
	set(time.November, 3, "文化の日")
	set(time.November, 23, "勤労感謝の日")
	if y >= 1989 && y <= 2018 {
		set(time.December, 23, "天皇誕生日")
	}
	for k, name := range oneOff {
		if k/10000 == y {
			set(time.Month(k/100%100), k%100, name)
		}
	}

	// 振替休日: a 国民の祝日 on a Sunday makes the next day a 休日; from 2007
	// the nearest following day that is not a 国民の祝日.
	jan1 := date(y, time.January, 1)
	day := func(i int) time.Time { return jan1.AddDate(0, 0, i) }
	for i := 0; i < n; i++ {
		d := day(i)
		if !shukujitsu[i] || d.Weekday() != time.Sunday || d.Before(substituteStart) {
			continue
		}
		j := i + 1
		if !d.Before(substitute2007) {
			for j < n && shukujitsu[j] {
				j++
			}
		}
		if j < n && names[j] == "" {
			names[j] = NameSubstitute
		}
	}

	// 国民の休日: a day between two 国民の祝日 that is neither a Sunday nor a
	// 休日 already.
	for i := 1; i+1 < n; i++ {
		d := day(i)
		if names[i] == "" && shukujitsu[i-1] && shukujitsu[i+1] &&
			d.Weekday() != time.Sunday && !d.Before(sandwichStart) {
			names[i] = NameSandwiched
		}
	}

	if y == lawStart.Year() {
		for i := 0; i < lawStart.YearDay()-1; i++ {
			names[i] = ""
		}
	}
	return names
}

// vernalEquinoxDay returns the day of March of 春分の日 in year by the
// approximation used for the national calendar (exact against the Cabinet
// Office's list 1955–2027 and the 国立天文台's predictions).
func vernalEquinoxDay(year int) int {
	return equinoxDay(year, 20.8357, 20.8431, 21.8510)
}

// autumnalEquinoxDay returns the day of September of 秋分の日 in year.
func autumnalEquinoxDay(year int) int {
	return equinoxDay(year, 23.2588, 23.2488, 24.2488)
}

// equinoxDay evaluates the approximation with the constant of the year's range:
// before 1980, 1980–2099, and 2100 onwards. The approximation is published for
// 1900–2150; after 2150 it keeps the Gregorian leap-year rule (2200, 2300
// have no 29 February) but ignores the slow drift of the equinox.
func equinoxDay(year int, before1980, until2099, from2100 float64) int {
	if year < 1980 {
		// Go's integer division truncates toward zero, as the formula's INT does.
		return int(math.Floor(before1980 + 0.242194*float64(year-1980) - float64((year-1983)/4)))
	}
	c := until2099
	skipped := 0
	if year >= 2100 {
		c = from2100
		for century := 2200; century <= year; century += 100 {
			if century%400 != 0 {
				skipped++
			}
		}
	}
	return int(c + 0.242194*float64(year-1980) - float64((year-1980)/4) + float64(skipped))
}

// nthMonday returns the day of the month of the nth Monday of m in year.
func nthMonday(year int, m time.Month, nth int) int {
	first := date(year, m, 1).Weekday()
	offset := (int(time.Monday) - int(first) + 7) % 7
	return 1 + offset + 7*(nth-1)
}

// date returns midnight of the day in time.UTC, the project's carrier for JST
// wall-clock times.
func date(year int, m time.Month, d int) time.Time {
	return time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
}

// dayKey packs a calendar date as YYYYMMDD, a readable map key.
func dayKey(year int, m time.Month, d int) int {
	return year*10000 + int(m)*100 + d
}

// keyOf returns the dayKey of t's calendar date.
func keyOf(t time.Time) int {
	y, m, d := t.Date()
	return dayKey(y, m, d)
}

func isLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

func daysIn(year int) int {
	if isLeap(year) {
		return 366
	}
	return 365
}

// daysBefore[m-1] is the number of days in a common year before month m.
var daysBefore = [12]int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// yearDay returns t's year and its day of the year counted from 0. It is
// t.YearDay()-1 with a single date computation, as it sits on the hot path.
func yearDay(t time.Time) (year, yday int) {
	y, m, d := t.Date()
	yd := daysBefore[m-1] + d - 1
	if m > time.February && isLeap(y) {
		yd++
	}
	return y, yd
}
