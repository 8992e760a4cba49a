// Package jpdate parses the date and time cells of Japanese municipal CSV
// logs and masters: Western dates in the usual separators, compact digit
// forms, 和暦 (令和6年4月1日, R6.4.1, H31.4.30 …), 午前/午後 clocks, full-width
// characters and Excel serial numbers.
//
// Every result is the wall clock written in the cell, carried in time.UTC:
// the logs are local Japanese time and Tenken never converts zones. Nothing
// is guessed: a cell that could be read two ways (01/04/2024, 24/04/01), a
// date that does not exist (2024/02/30, 令和元年4月1日) or a time in another
// zone is refused with an *Error whose message says, in Japanese, what is
// wrong and which form is expected.
//
// The importer calls ParseDateTime once per log row, so the fixed-width
// ASCII layouts (2024/04/01 09:03:07, 2024-04-01T09:03:07, 20240401 090307)
// take a fast path, and no ASCII cell allocates. Width folding (NFKC) runs
// only on cells with non-ASCII bytes; full-width digits, the ideographic
// space and kanji are mapped directly, at the cost of one allocation.
//
// 午前12時 is read as 0時 and 午後12時 as 12時, the convention of Excel and
// Windows, which are what write 午前/午後 into logs (the older statutory
// reading of 午前12時 as noon is not used by any software that exports logs).
//
// Sub-seconds written in a cell (09:03:07.123) are kept to the nanosecond
// (digits beyond the ninth are dropped, i.e. rounded down); the fraction of
// an Excel serial is rounded to the nearest millisecond, Excel's own
// resolution, so that 45383.3771643518 reads back as 09:03:07 exactly.
// ParseClock returns whole seconds and drops any fraction.
package jpdate

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// MinYear and MaxYear bound the years accepted anywhere in this package. A
// year outside them in a municipal log or master is a data error, not a date.
const (
	MinYear = 1900
	MaxYear = 2100
)

// maxCellLen bounds the cell length (in bytes, after trimming) that is worth
// parsing: the longest sensible form, fully written in full-width characters
// with era, weekday, 午前/午後, nanoseconds and an offset, stays well below it.
// Longer cells are refused before any normalisation work is done.
const maxCellLen = 256

// ErrEmpty matches, with errors.Is, the error for an empty cell, so that a
// caller can treat a blank optional cell (離任日 of staff still in post)
// differently from a malformed one.
var ErrEmpty = errors.New("欄が空です")

// Error is a cell that could not be read as a date or time. Its message is
// a complete Japanese sentence meant for the user (rejected-row lists, the
// import record of the report).
type Error struct {
	// Input is the cell as given, with surrounding white space removed.
	// It is empty when the cell was empty.
	Input string
	// Reason says what is wrong and, where useful, which form is expected,
	// e.g. "存在しない日付です（2024年2月は29日まで）". When Input is not
	// empty it completes the sentence 「Input」は…; when Input is empty it
	// is a sentence of its own.
	Reason string

	// generic marks the catch-all "cannot be read" reason, which the parser
	// may replace with a more precise one (a clock in a date cell …).
	generic bool
}

// Error returns the message as one Japanese sentence, e.g.
// 「2024/02/30」は存在しない日付です（2024年2月は29日まで）。
func (e *Error) Error() string {
	if e.Input == "" {
		return e.Reason + "。"
	}
	return "「" + displayInput(e.Input) + "」は" + e.Reason + "。"
}

// Is reports whether target is ErrEmpty and the cell was empty.
func (e *Error) Is(target error) bool { return target == ErrEmpty && e.Input == "" }

// displayInput makes a cell printable inside a message: control characters
// and invalid UTF-8 would corrupt a report line, and a cell of several
// kilobytes of garbage must not become a several-kilobyte message.
func displayInput(s string) string {
	const maxRunes = 40
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxRunes {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Example forms quoted in messages, one per kind of cell.
const (
	exampleDateTime = "例: 2024/04/01 09:03:07、2024-04-01T09:03:07、令和6年4月1日 9:03"
	exampleDate     = "例: 2024/04/01、20240401、令和6年4月1日、R6.4.1"
	exampleClock    = "例: 9:03、09:03:07、090307、9時3分、午後3:05"
)

// ParseDateTime reads one cell that holds a date and a time of day, or a
// date alone (which yields midnight). Accepted, after NFKC width folding:
//
//	2024/04/01 09:03:07   2024/4/1 9:03        2024-04-01T09:03:07
//	2024-04-01 09:03:07.123                    2024-04-01T09:03:07+09:00
//	20240401 090307       20240401090307       202404010903   20240401
//	2024年4月1日 9時3分7秒                      2024.4.1       2024/04/01(月) 午後3:05
//	令和6年4月1日 9:03:07  令和元年5月1日  R6.4.1  R06/04/01  令6.4.1  H31.4.30  S64.1.7
//	45383, 45383.5 (Excel serials: a bare number from 10000 to 99999,
//	optionally with a fraction; see ParseExcelSerial)
//
// An offset is accepted only if it is +09:00 (it is then dropped); Z or any
// other offset is an error, since converting would change the wall clock.
// A weekday in brackets must match the date. 午前12時 is read as 0時 and
// 午後12時 as 12時, as Excel and Windows write them.
func ParseDateTime(s string) (time.Time, error) {
	t := trim(s)
	if len(t) == 19 {
		if v, ok := fast19(t); ok {
			return v, nil
		}
	} else if len(t) == 15 || len(t) == 14 {
		if v, ok := fastCompact(t); ok {
			return v, nil
		}
	}
	f, err := parseCell(t, modeDateTime)
	if err != nil {
		return time.Time{}, err
	}
	return f.time(), nil
}

// ParseDate reads a date-only cell (着任日, 日付 column …) in any of the date
// forms ParseDateTime accepts, including an Excel serial. A time part is
// tolerated only when it is exactly midnight (2024/04/01 0:00:00, 45383.0),
// because spreadsheet exports often append one to pure dates; any other time
// is an error, as the cell is then not a date.
func ParseDate(s string) (time.Time, error) {
	t := trim(s)
	if len(t) == 10 {
		if v, ok := fast10(t); ok {
			return v, nil
		}
	}
	f, err := parseCell(t, modeDate)
	if err != nil {
		return time.Time{}, err
	}
	return f.time(), nil
}

// ParseClock reads a time-of-day cell: 9:03, 09:03:07, 09:03:07.5, 0903,
// 090307, 90307 (hhmmss whose leading zero a spreadsheet dropped; five
// digits starting with 0 are refused), 9時3分, 9時3分7秒,
// 午前9時3分, 午後3:05 (15:05), 3:05 PM, or an Excel time fraction such as
// 0.375 (09:00). Hours run 0–23 (0–12 with 午前/午後); 24:00 is refused.
// Any fraction of a second is dropped.
func ParseClock(s string) (h, m, sec int, err error) {
	t := trim(s)
	if len(t) == 8 {
		if h, m, sec, ok := fastClock8(t); ok {
			return h, m, sec, nil
		}
	}
	f, e := parseCell(t, modeClock)
	if e != nil {
		return 0, 0, 0, e
	}
	return f.h, f.mi, f.sec, nil
}

// Combine joins a 日付 cell and a 時刻 cell of logs that split them into two
// columns. The date cell is read as by ParseDate, the clock cell as by
// ParseClock, except that a fraction of a second is kept. The error, if any,
// names the offending cell.
func Combine(dateCell, clockCell string) (time.Time, error) {
	dc, cc := trim(dateCell), trim(clockCell)
	if len(dc) == 10 && len(cc) == 8 {
		if d, ok := fast10(dc); ok {
			if h, m, sec, ok := fastClock8(cc); ok {
				return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second), nil
			}
		}
	}
	df, err := parseCell(dc, modeDate)
	if err != nil {
		return time.Time{}, err
	}
	cf, err := parseCell(cc, modeClock)
	if err != nil {
		return time.Time{}, err
	}
	df.h, df.mi, df.sec, df.nsec = cf.h, cf.mi, cf.sec, cf.nsec
	return df.time(), nil
}

// ParseExcelSerial reads an Excel serial date of the 1900 date system: a
// plain decimal number of days, with an optional fraction for the time of
// day (45383 = 2024-04-01, 45383.5 = 2024-04-01 12:00:00). Excel counts the
// non-existent 1900-02-29 as serial 60, so serials from 61 on are shifted by
// one day; 60 itself is an error. The fraction is rounded to the nearest
// millisecond. Serials below 1, at or above 2958466 (beyond 9999-12-31), or
// outside the years 1900–2100 are errors.
//
// Only the caller knows whether a number is meant as a serial: ParseDateTime
// and ParseDate treat a bare number as one only if its integer part is
// 10000–99999 written without leading zeros (1927-05-18 onwards; no log or
// master holds an earlier date), so that 20240401 stays YYYYMMDD and a stray
// 2024 or 60 is refused rather than read as 1905 or 1900. A caller that
// knows a column holds serials calls ParseExcelSerial, which takes the whole
// range.
func ParseExcelSerial(s string) (time.Time, error) {
	t := trim(s)
	f, err := parseCell(t, modeSerial)
	if err != nil {
		return time.Time{}, err
	}
	return f.time(), nil
}

// trim removes surrounding white space. ASCII cells, the common case, are
// handled without the Unicode tables; strings.TrimSpace also removes the
// ideographic space U+3000 that Japanese spreadsheets pad cells with.
func trim(s string) string {
	start, end := 0, len(s)
	for start < end && isASCIISpace(s[start]) {
		start++
	}
	for end > start && isASCIISpace(s[end-1]) {
		end--
	}
	s = s[start:end]
	if s != "" && (s[0] >= utf8.RuneSelf || s[len(s)-1] >= utf8.RuneSelf) {
		s = strings.TrimSpace(s)
	}
	return s
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return c-'0' < 10 }
