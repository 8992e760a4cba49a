package jpdate

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// toFullWidth spells the ASCII digits, letters and punctuation of s in
// full width, and spaces as the ideographic space, as Japanese spreadsheets
// often do.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '\u3000'
		case r > ' ' && r < 0x7f:
			return r - 0x21 + 0xff01
		}
		return r
	}, s)
}

// excelSerial spells t (at millisecond precision) as an Excel serial with
// fifteen decimals, as Excel writes it.
func excelSerial(t time.Time) string {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if t.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		base = base.AddDate(0, 0, 1)
	}
	d := t.Sub(base)
	days := int64(d / (24 * time.Hour))
	ms := int64(d%(24*time.Hour)) / 1e6
	// ms/86400000 to 15 decimals, truncated: off by < 1e-15 day, far less
	// than the half millisecond that rounding forgives.
	var frac [15]byte
	for i := range frac {
		ms *= 10
		frac[i] = byte('0' + ms/86400000)
		ms %= 86400000
	}
	return strconv.FormatInt(days, 10) + "." + string(frac[:])
}

// TestRoundTrip formats random instants of the accepted range in every
// layout a log may use and checks that each reads back exactly.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lo := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	seconds := []string{
		"2006/01/02 15:04:05",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"20060102 150405",
		"20060102T150405",
		"20060102150405",
		"2006/1/2 15:04:05",
		"2006.1.2 15:04:05",
		"2006-01-02T15:04:05+09:00",
		"2006年1月2日 15時4分5秒",
		"2006年01月02日 15:04:05",
		"2006/01/02(Mon) 3:04:05 PM",
		"2006/01/02 3:04:05PM",
	}
	for i := 0; i < 5000; i++ {
		tm := time.Unix(lo+rng.Int64N(hi-lo), 0).UTC()
		for _, layout := range seconds {
			s := tm.Format(layout)
			s = strings.Replace(s, "("+tm.Weekday().String()[:3]+")", "("+weekdayNames[tm.Weekday()]+")", 1)
			check(t, s, tm)
			check(t, toFullWidth(s), tm)
		}
		// 午前/午後 as Japanese Excel writes them (午前12:30 is 0:30).
		ampm := strings.NewReplacer("AM", "午前", "PM", "午後").Replace(tm.Format("2006/01/02 PM3:04:05"))
		check(t, ampm, tm)
		// 和暦, long and short.
		y, m, d := tm.Date()
		e := eraOf(y, int(m), d)
		clock := tm.Format(" 15:04:05")
		check(t, FormatWareki(tm)+clock, tm)
		check(t, toFullWidth(FormatWareki(tm)+clock), tm)
		short := string(e.letter-'a'+'A') + strconv.Itoa(y-e.sy+1) + "." + strconv.Itoa(int(m)) + "." + strconv.Itoa(d)
		check(t, short+clock, tm)
		check(t, e.short+strconv.Itoa(y-e.sy+1)+tm.Format("/01/02 15:04:05"), tm)
		// Sub-seconds are kept.
		ns := tm.Add(time.Duration(rng.Int64N(1e9)))
		check(t, ns.Format("2006-01-02 15:04:05.000000000"), ns)
		check(t, ns.Format("2006-01-02T15:04:05.999999999+09:00"), ns)
		// Split columns.
		got, err := Combine(tm.Format("2006/1/2"), tm.Format("15:04:05"))
		if err != nil || got != tm {
			t.Fatalf("Combine(%q, %q) = %v, %v; want %v", tm.Format("2006/1/2"), tm.Format("15:04:05"), got, err, tm)
		}
		h, mi, sec, err := ParseClock(tm.Format("150405"))
		if err != nil || h != tm.Hour() || mi != tm.Minute() || sec != tm.Second() {
			t.Fatalf("ParseClock(%q) = %d:%d:%d, %v", tm.Format("150405"), h, mi, sec, err)
		}
		// Excel serials at millisecond precision, where the serial is in
		// the range ParseDateTime takes for one (1927-05-18 on).
		ms := tm.Add(time.Duration(rng.Int64N(1000)) * time.Millisecond)
		serial := excelSerial(ms)
		got, err = ParseExcelSerial(serial)
		if err != nil || got != ms {
			t.Fatalf("ParseExcelSerial(%q) = %v, %v; want %v", serial, got, err, ms)
		}
		if ms.Year() >= 1928 {
			check(t, serial, ms)
		}
	}
}

func check(t *testing.T, s string, want time.Time) {
	t.Helper()
	got, err := ParseDateTime(s)
	if err != nil || got != want {
		t.Fatalf("ParseDateTime(%q) = %v, %v; want %v", s, got, err, want)
	}
}
