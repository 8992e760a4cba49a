package jpdate

import "time"

// fields is a parsed cell before it becomes a time.Time. The date part is
// Gregorian; era and eraYear remember a 和暦 spelling for messages.
type fields struct {
	y, mo, d          int
	h, mi, sec, nsec  int
	hasDate, hasClock bool
	era               *era // nil unless the date was written in 和暦
	eraYear           int
}

// time builds the result. It is done by hand rather than with time.Date,
// which normalises out-of-range values and consults the location: all
// values are already validated and the location is always UTC, and this is
// the hot path of the importer.
func (f *fields) time() time.Time {
	days := daysFromCivil(f.y, f.mo, f.d)
	sec := days*86400 + int64(f.h*3600+f.mi*60+f.sec)
	return time.Unix(sec, int64(f.nsec)).UTC()
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (H. Hinnant's algorithm). y must be ≥ 0.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// isLeap reports whether y is a Gregorian leap year.
func isLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// daysIn returns the number of days of month m (1–12) of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateKey orders dates as a single integer, for era range checks.
func dateKey(y, m, d int) int { return y*10000 + m*100 + d }

// civilFromDays is the inverse of daysFromCivil (H. Hinnant's algorithm),
// for day counts from 0000-03-01 on.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}
