package jpdate

import (
	"strconv"
	"time"
)

// era is one Japanese era name (元号) with the Gregorian dates it covers.
type era struct {
	name       string // 令和
	short      string // 令: the one-character abbreviation of forms
	letter     byte   // 'r': the lower-case letter of R6.4.1
	sy, sm, sd int    // first day
	ey, em, ed int    // last day; zero for the current era
}

// eras lists the eras from 明治 on, oldest first. Only dates from 1900 are
// ever accepted, so 明治 matters from 明治33年; its start is given as the day
// the era counts from (慶応4年1月1日 = 1868-01-25) for FormatWareki only.
var eras = [...]era{
	{name: "明治", short: "明", letter: 'm', sy: 1868, sm: 1, sd: 25, ey: 1912, em: 7, ed: 29},
	{name: "大正", short: "大", letter: 't', sy: 1912, sm: 7, sd: 30, ey: 1926, em: 12, ed: 24},
	{name: "昭和", short: "昭", letter: 's', sy: 1926, sm: 12, sd: 25, ey: 1989, em: 1, ed: 7},
	{name: "平成", short: "平", letter: 'h', sy: 1989, sm: 1, sd: 8, ey: 2019, em: 4, ed: 30},
	{name: "令和", short: "令", letter: 'r', sy: 2019, sm: 5, sd: 1},
}

// contains reports whether the Gregorian date lies within the era.
func (e *era) contains(y, m, d int) bool {
	k := dateKey(y, m, d)
	if k < dateKey(e.sy, e.sm, e.sd) {
		return false
	}
	return e.ey == 0 || k <= dateKey(e.ey, e.em, e.ed)
}

// eraOf returns the era a Gregorian date belongs to, or nil before 明治.
func eraOf(y, m, d int) *era {
	for i := len(eras) - 1; i >= 0; i-- {
		if dateKey(y, m, d) >= dateKey(eras[i].sy, eras[i].sm, eras[i].sd) {
			return &eras[i]
		}
	}
	return nil
}

// eraYearLabel spells an era year the Japanese way: 元年 for the first.
func eraYearLabel(e *era, y int) string {
	if y == 1 {
		return e.name + "元年"
	}
	return e.name + strconv.Itoa(y) + "年"
}

// warekiOf spells a Gregorian date in 和暦 (令和6年4月1日), or in Western
// form (1850年1月1日) before 明治.
func warekiOf(y, m, d int) string {
	md := strconv.Itoa(m) + "月" + strconv.Itoa(d) + "日"
	e := eraOf(y, m, d)
	if e == nil {
		return strconv.Itoa(y) + "年" + md
	}
	return eraYearLabel(e, y-e.sy+1) + md
}

// seirekiOf spells a Gregorian date as 2024年4月1日.
func seirekiOf(y, m, d int) string {
	return strconv.Itoa(y) + "年" + strconv.Itoa(m) + "月" + strconv.Itoa(d) + "日"
}

// FormatWareki spells the date of t in 和暦, e.g. 令和6年4月1日 or
// 令和元年5月1日, as Japanese official documents write dates. Dates before
// 明治 are spelled in Western form (1850年1月1日).
func FormatWareki(t time.Time) string {
	y, m, d := t.Date()
	return warekiOf(y, int(m), d)
}

// eraRangeReason explains why a 和暦 date does not exist: it lies outside
// its era, and the message names the era that the Gregorian date belongs to.
// It returns "" when the date is within the era.
func eraRangeReason(e *era, y, m, d int) string {
	if e.contains(y, m, d) {
		return ""
	}
	right := seirekiOf(y, m, d) + "は" + warekiOf(y, m, d) + "です）"
	if dateKey(y, m, d) < dateKey(e.sy, e.sm, e.sd) {
		return "存在しない日付です（" + e.name + "は" + seirekiOf(e.sy, e.sm, e.sd) + "から。" + right
	}
	return "存在しない日付です（" + e.name + "は" + seirekiOf(e.ey, e.em, e.ed) + "まで。" + right
}
