package jpdate

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are cells of every accepted form and many near misses.
var fuzzSeeds = []string{
	"2024/04/01 09:03:07", "2024/4/1 9:03", "2024-04-01T09:03:07", "2024-04-01 09:03:07.123",
	"2024-04-01T09:03:07+09:00", "2024-04-01T09:03:07Z", "2024-04-01T09:03:07-05:00",
	"20240401 090307", "20240401090307", "20240401", "202404010903", "20240401090307123",
	"2024年4月1日 9時3分7秒", "2024年4月1日 09:03", "2024.4.1", "2024/04/01(月) 午後3:05",
	"令和6年4月1日", "令和6年4月1日 9:03:07", "令和元年5月1日", "R6.4.1", "R06/04/01", "R6/4/1 9:03",
	"H31.4.30", "平成31年4月30日", "S64.1.7", "昭和64年1月7日", "r6.4.1", "令6.4.1", "㋿元年5月1日",
	"令和元年4月1日", "平成31年5月1日", "平成32年1月1日", "昭和64年1月8日",
	"２０２４／０４／０１　９：０３", "45383", "45383.5", "45383.3771643518", "60", "61",
	"2024/02/30", "2024/13/01", "2024/04/01 25:00", "2024/04/01 9:60", "01/04/2024", "24/04/01",
	"9:03", "09:03:07", "090307", "9時3分", "9時3分7秒", "午前9時3分", "午後3:05", "3:05 PM", "0.375",
	"", " ", "abc", "2024/04/01 午前12:30", "1900/01/01 00:00:00", "2100/12/31 23:59:59",
}

// checkRejection asserts the shape of every error the package returns.
func checkRejection(t *testing.T, in string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%q: error %v (%T) is not *Error", in, err, err)
	}
	if e.Reason == "" || e.Input != trim(in) {
		t.Fatalf("%q: malformed error %#v", in, e)
	}
	msg := e.Error()
	if !utf8.ValidString(msg) || !strings.HasSuffix(msg, "。") || utf8.RuneCountInString(msg) > 300 {
		t.Fatalf("%q: bad message %q", in, msg)
	}
}

// checkInRange asserts that an accepted value is a wall clock in UTC within
// the accepted years.
func checkInRange(t *testing.T, in string, v time.Time) {
	t.Helper()
	if v.Location() != time.UTC || v.Year() < MinYear || v.Year() > MaxYear {
		t.Fatalf("%q: accepted as %v", in, v)
	}
}

func FuzzParseDateTime(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		v, err := ParseDateTime(in)
		if err != nil {
			checkRejection(t, in, err)
			if !v.IsZero() {
				t.Fatalf("%q: value %v returned with error", in, v)
			}
		} else {
			checkInRange(t, in, v)
			// The value formats back to a cell that reads as itself.
			for _, layout := range []string{"2006/01/02 15:04:05.999999999", "2006-01-02T15:04:05.999999999+09:00"} {
				back, err := ParseDateTime(v.Format(layout))
				if err != nil || back != v {
					t.Fatalf("%q = %v, but %q reads as %v, %v", in, v, v.Format(layout), back, err)
				}
			}
			// The fast path must agree with the general parser.
			if tr := trim(in); isASCII(tr) {
				f, e := parseCell(tr, modeDateTime)
				if e != nil || f.time() != v {
					t.Fatalf("%q: ParseDateTime %v, general parser %v, %v", in, v, f.time(), e)
				}
			}
		}
		// A date that ParseDate takes is the same instant for ParseDateTime.
		if d, err := ParseDate(in); err != nil {
			checkRejection(t, in, err)
		} else {
			checkInRange(t, in, d)
			if d.Hour()|d.Minute()|d.Second()|d.Nanosecond() != 0 {
				t.Fatalf("ParseDate(%q) = %v, not midnight", in, d)
			}
			if v, err := ParseDateTime(in); err != nil || v != d {
				t.Fatalf("ParseDate(%q) = %v but ParseDateTime = %v, %v", in, d, v, err)
			}
		}
	})
}

func FuzzParseClock(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, m, s, err := ParseClock(in)
		if err != nil {
			checkRejection(t, in, err)
			if h|m|s != 0 {
				t.Fatalf("%q: %d:%d:%d returned with error", in, h, m, s)
			}
			return
		}
		if h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 {
			t.Fatalf("ParseClock(%q) = %d:%d:%d", in, h, m, s)
		}
		back := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
		if h2, m2, s2, err := ParseClock(back); err != nil || h2 != h || m2 != m || s2 != s {
			t.Fatalf("%q = %s, which reads back as %d:%d:%d, %v", in, back, h2, m2, s2, err)
		}
		// With any date, the clock combines into a valid instant.
		v, err := Combine("2024/04/01", in)
		if err != nil || v.Hour() != h || v.Minute() != m || v.Second() != s || v.Day() != 1 {
			t.Fatalf("Combine(2024/04/01, %q) = %v, %v; ParseClock gave %d:%d:%d", in, v, err, h, m, s)
		}
	})
}
