package report

import (
	"fmt"
	"time"
)

// wareki reports whether the town prints dates in the era calendar.
func wareki(era string) bool { return era == EraWareki }

// dateIn formats a calendar day in the town's calendar.
func dateIn(era string, t time.Time) string {
	if t.IsZero() {
		return unset
	}
	if wareki(era) {
		return warekiDate(t)
	}
	return seirekiDate(t)
}

// dateBoth formats a day in the town's calendar with the other one in
// parentheses: 令和7年6月1日（2025年6月1日）.
func dateBoth(era string, t time.Time) string {
	if t.IsZero() {
		return unset
	}
	if wareki(era) {
		return warekiDate(t) + "（" + seirekiDate(t) + "）"
	}
	return seirekiDate(t) + "（" + warekiDate(t) + "）"
}

// periodIn formats a period in the town's calendar, the other calendar
// following in parentheses (periodText is the 西暦 form).
func periodIn(era string, from, to time.Time) string {
	if !wareki(era) {
		return periodText(from, to)
	}
	if from.IsZero() || to.IsZero() {
		return unset
	}
	return warekiDate(from) + "〜" + warekiDate(to) +
		"（" + seirekiDate(from) + "〜" + seirekiDate(to) + "）"
}

// shortDate is a compact day for table cells: 2025/06/03 or R7.6.3.
func shortDate(era string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if wareki(era) {
		return shortWareki(t)
	}
	return t.Format("2006/01/02")
}

// shortWareki is the abbreviated era form used in forms: R7.6.3, H31.4.30.
func shortWareki(t time.Time) string {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	letters := map[string]string{"令和": "R", "平成": "H", "昭和": "S"}
	for _, e := range eras {
		if !day.Before(e.start) {
			return fmt.Sprintf("%s%d.%d.%d", letters[e.name], t.Year()-e.start.Year()+1, int(t.Month()), t.Day())
		}
	}
	return t.Format("2006/01/02")
}

// shortDateTime is a compact time stamp: 2025/06/03 18:42 or R7.6.3 18:42.
func shortDateTime(era string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return shortDate(era, t) + " " + t.Format("15:04")
}

// date formats a day in the report's calendar.
func (b *builder) date(t time.Time) string { return dateIn(b.data.Era, t) }

// period formats the inspection period in the report's calendar.
func (b *builder) period(from, to time.Time) string { return periodIn(b.data.Era, from, to) }

// dayLabel turns a finding's YYYY-MM-DD into 2025/06/03（火） or
// R7.6.3（火）; a value that does not parse is shown as it is.
func (b *builder) dayLabel(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return shortDate(b.data.Era, d) + "（" + weekdays[d.Weekday()] + "）"
}

// dayLabelBroken is dayLabel with the weekday on its own line.
func (b *builder) dayLabelBroken(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return shortDate(b.data.Era, d) + "\n（" + weekdays[d.Weekday()] + "）"
}
