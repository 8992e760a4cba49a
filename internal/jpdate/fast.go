package jpdate

import "time"

// The fast paths read the fixed-width ASCII layouts that make up nearly all
// rows of real logs. They only ever accept; anything unusual, including an
// invalid value, falls through to the general parser, which then produces
// the proper message. FuzzParseDateTime checks that both agree.

// fast19 reads 2024/04/01 09:03:07, 2024-04-01 09:03:07 and
// 2024-04-01T09:03:07.
func fast19(s string) (time.Time, bool) {
	sep := s[4]
	if (sep != '/' && sep != '-') || s[7] != sep || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	y, ok0 := digits4(s, 0)
	mo, ok1 := digits2(s, 5)
	d, ok2 := digits2(s, 8)
	h, ok3 := digits2(s, 11)
	mi, ok4 := digits2(s, 14)
	sec, ok5 := digits2(s, 17)
	if !(ok0 && ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, false
	}
	return fastBuild(y, mo, d, h, mi, sec)
}

// fastCompact reads 20240401 090307, 20240401T090307 and 20240401090307.
func fastCompact(s string) (time.Time, bool) {
	c := 8 // index of the clock
	if len(s) == 15 {
		if s[8] != ' ' && s[8] != 'T' {
			return time.Time{}, false
		}
		c = 9
	}
	y, ok0 := digits4(s, 0)
	mo, ok1 := digits2(s, 4)
	d, ok2 := digits2(s, 6)
	h, ok3 := digits2(s, c)
	mi, ok4 := digits2(s, c+2)
	sec, ok5 := digits2(s, c+4)
	if !(ok0 && ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, false
	}
	return fastBuild(y, mo, d, h, mi, sec)
}

// fast10 reads the date-only cells 2024/04/01 and 2024-04-01.
func fast10(s string) (time.Time, bool) {
	sep := s[4]
	if (sep != '/' && sep != '-') || s[7] != sep {
		return time.Time{}, false
	}
	y, ok0 := digits4(s, 0)
	mo, ok1 := digits2(s, 5)
	d, ok2 := digits2(s, 8)
	if !(ok0 && ok1 && ok2) {
		return time.Time{}, false
	}
	return fastBuild(y, mo, d, 0, 0, 0)
}

// fastClock8 reads the clock-only cell 09:03:07.
func fastClock8(s string) (h, mi, sec int, ok bool) {
	if s[2] != ':' || s[5] != ':' {
		return 0, 0, 0, false
	}
	h, ok0 := digits2(s, 0)
	mi, ok1 := digits2(s, 3)
	sec, ok2 := digits2(s, 6)
	if !(ok0 && ok1 && ok2) || h > 23 || mi > 59 || sec > 59 {
		return 0, 0, 0, false
	}
	return h, mi, sec, true
}

func fastBuild(y, mo, d, h, mi, sec int) (time.Time, bool) {
	if y < MinYear || y > MaxYear || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	f := fields{y: y, mo: mo, d: d, h: h, mi: mi, sec: sec}
	return f.time(), true
}

func digits2(s string, i int) (int, bool) {
	a, b := s[i]-'0', s[i+1]-'0'
	return int(a)*10 + int(b), a < 10 && b < 10
}

func digits4(s string, i int) (int, bool) {
	a, b := digits2(s, i)
	c, d := digits2(s, i+2)
	return a*100 + c, b && d
}
