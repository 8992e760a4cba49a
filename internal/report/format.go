package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// weekdays are the Japanese one-character weekday names, Sunday first.
var weekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// era is a Japanese era (元号) and the day it began.
type era struct {
	name  string
	start time.Time
}

// eras lists the modern eras, newest first. Dates are wall-clock JST carried
// in time.UTC, so the boundaries are in UTC too.
var eras = []era{
	{"令和", time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
	{"平成", time.Date(1989, 1, 8, 0, 0, 0, 0, time.UTC)},
	{"昭和", time.Date(1926, 12, 25, 0, 0, 0, 0, time.UTC)},
}

// warekiDate formats t's calendar day in the Japanese era calendar, e.g.
// 令和7年6月1日 (令和元年5月1日 for an era's first year). Days before 昭和
// fall back to the Gregorian form, which no inspection period reaches.
func warekiDate(t time.Time) string {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for _, e := range eras {
		if !day.Before(e.start) {
			y := t.Year() - e.start.Year() + 1
			ys := strconv.Itoa(y)
			if y == 1 {
				ys = "元"
			}
			return fmt.Sprintf("%s%s年%d月%d日", e.name, ys, int(t.Month()), t.Day())
		}
	}
	return seirekiDate(t)
}

// seirekiDate formats t's day as 2025年6月1日.
func seirekiDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// periodText formats an inspection period in both calendars, e.g.
// 2025年6月1日〜2025年6月30日（令和7年6月1日〜令和7年6月30日）.
func periodText(from, to time.Time) string {
	if from.IsZero() || to.IsZero() {
		return unset
	}
	return seirekiDate(from) + "〜" + seirekiDate(to) +
		"（" + warekiDate(from) + "〜" + warekiDate(to) + "）"
}

// dayText turns a finding's YYYY-MM-DD into 2025/06/03（火）; a value that
// does not parse is shown as it is rather than hidden.
func dayText(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format("2006/01/02") + "（" + weekdays[d.Weekday()] + "）"
}

// dayTextBroken is dayText with the weekday on its own line, for narrow
// table columns.
func dayTextBroken(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return d.Format("2006/01/02") + "\n（" + weekdays[d.Weekday()] + "）"
}

// minuteText formats a time to the minute, e.g. 2025/06/01 09:03.
func minuteText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006/01/02 15:04")
}

// num formats n with thousands separators: 12,345.
func num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// clean makes text safe to draw: tabs become spaces, CR/LF pairs become one
// '\n', other control characters are dropped (they have no glyph and would
// be drawn as blanks of unknown width), and so are invisible format
// characters and variation selectors (異体字セレクタ), which would otherwise
// be drawn as a missing-glyph mark after the character they modify.
func clean(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r):
			return -1
		}
		return r
	}, s)
}

// oneLine is clean but also folds line breaks into spaces, for values that
// must stay on a single line (a file name, an identifier).
func oneLine(s string) string {
	return strings.ReplaceAll(clean(s), "\n", " ")
}
