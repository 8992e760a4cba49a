package calendar

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSpecialYears compares whole years with the holidays as announced:
// 2019 (the enthronement: 4/30–5/2 and 10/22), 2020 and 2021 (the Olympic
// moves of 海の日・スポーツの日・山の日), and 2050, the last year the
// calendar must cover, computed by hand from the 祝日法 (春分 and 秋分 by
// the formula, the Happy Monday days from the weekdays of 2050).
func TestSpecialYears(t *testing.T) {
	years := map[int]string{
		2019: "01-01 元日, 01-14 成人の日, 02-11 建国記念の日, 03-21 春分の日, 04-29 昭和の日, 04-30 国民の休日, 05-01 天皇の即位の日, " +
			"05-02 国民の休日, 05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-15 海の日, 08-11 山の日, " +
			"08-12 振替休日, 09-16 敬老の日, 09-23 秋分の日, 10-14 体育の日, 10-22 即位礼正殿の儀, 11-03 文化の日, 11-04 振替休日, 11-23 勤労感謝の日",
		2020: "01-01 元日, 01-13 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 02-24 振替休日, 03-20 春分の日, 04-29 昭和の日, " +
			"05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日, 07-23 海の日, 07-24 スポーツの日, 08-10 山の日, " +
			"09-21 敬老の日, 09-22 秋分の日, 11-03 文化の日, 11-23 勤労感謝の日",
		2021: "01-01 元日, 01-11 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-20 春分の日, 04-29 昭和の日, 05-03 憲法記念日, " +
			"05-04 みどりの日, 05-05 こどもの日, 07-22 海の日, 07-23 スポーツの日, 08-08 山の日, 08-09 振替休日, 09-20 敬老の日, " +
			"09-23 秋分の日, 11-03 文化の日, 11-23 勤労感謝の日",
		2050: "01-01 元日, 01-10 成人の日, 02-11 建国記念の日, 02-23 天皇誕生日, 03-20 春分の日, 03-21 振替休日, 04-29 昭和の日, " +
			"05-03 憲法記念日, 05-04 みどりの日, 05-05 こどもの日, 07-18 海の日, 08-11 山の日, 09-19 敬老の日, 09-23 秋分の日, " +
			"10-10 スポーツの日, 11-03 文化の日, 11-23 勤労感謝の日",
	}
	for year, want := range years {
		var got []string
		for _, h := range Holidays(year) {
			got = append(got, h.Date.Format("01-02")+" "+h.Name)
		}
		if g := strings.Join(got, ", "); g != want {
			t.Errorf("%d:\n got %s\nwant %s", year, g, want)
		}
	}
}

// TestEquinoxesTo2050 checks 春分の日 and 秋分の日 from 2028, past the
// official list, to 2050 against the 国立天文台's predictions.
func TestEquinoxesTo2050(t *testing.T) {
	want := map[int][2]int{ // year → day of March, day of September
		2028: {20, 22}, 2029: {20, 23}, 2030: {20, 23}, 2031: {21, 23}, 2032: {20, 22}, 2033: {20, 23},
		2034: {20, 23}, 2035: {21, 23}, 2036: {20, 22}, 2037: {20, 23}, 2038: {20, 23}, 2039: {21, 23},
		2040: {20, 22}, 2041: {20, 23}, 2042: {20, 23}, 2043: {21, 23}, 2044: {20, 22}, 2045: {20, 22},
		2046: {20, 23}, 2047: {21, 23}, 2048: {20, 22}, 2049: {20, 22}, 2050: {20, 23},
	}
	for y, d := range want {
		spring := time.Date(y, time.March, d[0], 0, 0, 0, 0, time.UTC)
		autumn := time.Date(y, time.September, d[1], 0, 0, 0, 0, time.UTC)
		if HolidayName(spring) != "春分の日" || HolidayName(autumn) != "秋分の日" {
			t.Errorf("%d: %s is %q, %s is %q", y, spring.Format("01-02"), HolidayName(spring), autumn.Format("01-02"), HolidayName(autumn))
		}
		if HolidayName(spring.AddDate(0, 0, -1)) == "春分の日" || HolidayName(autumn.AddDate(0, 0, 1)) == "秋分の日" {
			t.Errorf("%d: equinox on two days", y)
		}
	}
}

// TestEveryYearTo2050 checks invariants of every year the inspections may
// meet, 1980–2050: sixteen or more holidays, each on its own day, every
// substitute the day after a Sunday holiday (or after a run of holidays).
func TestEveryYearTo2050(t *testing.T) {
	for y := 1980; y <= 2050; y++ {
		hs := Holidays(y)
		if len(hs) < 12 {
			t.Errorf("%d: only %d holidays", y, len(hs))
		}
		seen := map[string]bool{}
		for _, h := range hs {
			k := h.Date.Format(time.DateOnly)
			if seen[k] || h.Date.Year() != y {
				t.Errorf("%d: %s listed twice or in another year", y, k)
			}
			seen[k] = true
			if h.Name == NameSubstitute {
				prev := h.Date.AddDate(0, 0, -1)
				for HolidayName(prev) != "" && prev.Weekday() != time.Sunday {
					prev = prev.AddDate(0, 0, -1)
				}
				if prev.Weekday() != time.Sunday || HolidayName(prev) == "" {
					t.Errorf("%s: 振替休日 without a Sunday holiday before it", k)
				}
			}
		}
		if y >= 2000 && !seen[fmt.Sprintf("%d-01-01", y)] {
			t.Errorf("%d: no 元日", y)
		}
	}
}
