package calendar

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
)

// ErrCodeSyukujitsu is the domain.Error code of every error about a holiday
// file.
const ErrCodeSyukujitsu = "CALENDAR_SYUKUJITSU"

// DefaultSyukujitsuName is the file name used in messages when the caller
// gives none: the name under which the Cabinet Office publishes the list.
const DefaultSyukujitsuName = "syukujitsu.csv"

// maxSyukujitsuSize bounds what is read: the official file is about 20 KB,
// so anything far larger is the wrong file, and reading it whole would waste
// memory.
const maxSyukujitsuSize = 4 << 20

// Overrides is an official list of holidays, as published by the Cabinet
// Office (内閣府「国民の祝日について」syukujitsu.csv). For every year it
// covers, it replaces the computed holidays: it is how a town follows a change
// of the law, or the officially announced equinoxes, without a new program.
// An Overrides is immutable once parsed and safe for concurrent use.
type Overrides struct {
	source string
	years  map[int][]Holiday // sorted by date
	names  map[int]string    // dayKey → name
}

// Source returns the file name the list was read from (for messages and the
// report's 点検条件).
func (o *Overrides) Source() string { return o.source }

// Years returns the years the list covers (those with at least one holiday),
// ascending.
func (o *Overrides) Years() []int {
	ys := make([]int, 0, len(o.years))
	for y := range o.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Holidays returns the listed holidays of year, sorted, and whether the list
// covers that year at all. Names are as in the file ("休日" for 振替休日 and
// 国民の休日).
func (o *Overrides) Holidays(year int) ([]Holiday, bool) {
	hs, ok := o.years[year]
	return slices.Clone(hs), ok
}

// Covers reports whether the list covers year.
func (o *Overrides) Covers(year int) bool {
	_, ok := o.years[year]
	return ok
}

// LoadSyukujitsu reads a holiday file from disk; see ParseSyukujitsu. Messages
// name the file by its base name.
func LoadSyukujitsu(path string) (*Overrides, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &domain.Error{
			Code:    ErrCodeSyukujitsu,
			Message: fmt.Sprintf("祝日ファイル「%s」を開けません。ファイルの場所と名前を確かめてください。", path),
			Err:     err,
		}
	}
	defer f.Close()
	return ParseSyukujitsuNamed(filepath.Base(path), f)
}

// ParseSyukujitsu reads a holiday list in the Cabinet Office's format; errors
// name the file "syukujitsu.csv". See ParseSyukujitsuNamed.
func ParseSyukujitsu(r io.Reader) (*Overrides, error) {
	return ParseSyukujitsuNamed(DefaultSyukujitsuName, r)
}

// ParseSyukujitsuNamed reads a holiday list in the Cabinet Office's format:
// rows of date,name ("2027/11/23,勤労感謝の日"), with or without the header
// row 国民の祝日・休日月日,国民の祝日・休日名称, encoded in CP932 as published
// or in UTF-8 with or without a BOM, lines ending in CRLF or LF. Dates may
// also be written 2027-11-23 or with full-width digits (as Excel and people
// produce them); columns after the second are ignored.
//
// Errors are *domain.Error with a Japanese message naming name and the line,
// e.g. 「syukujitsu.csv 12行目: 日付「2027/13/01」を読めません。YYYY/M/D の形式にしてください。」
func ParseSyukujitsuNamed(name string, r io.Reader) (*Overrides, error) {
	if name == "" {
		name = DefaultSyukujitsuName
	}
	fail := func(line int, format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		if line > 0 {
			return &domain.Error{Code: ErrCodeSyukujitsu, Message: fmt.Sprintf("%s %d行目: %s", name, line, msg)}
		}
		return &domain.Error{Code: ErrCodeSyukujitsu, Message: fmt.Sprintf("%s: %s", name, msg)}
	}

	raw, err := io.ReadAll(io.LimitReader(r, maxSyukujitsuSize+1))
	if err != nil {
		e := fail(0, "ファイルを読めません。").(*domain.Error)
		e.Err = err
		return nil, e
	}
	if len(raw) > maxSyukujitsuSize {
		return nil, fail(0, "ファイルが大きすぎます（%d MB まで）。内閣府の祝日一覧（syukujitsu.csv）を指定してください。", maxSyukujitsuSize>>20)
	}
	text, err := decodeSyukujitsu(raw)
	if err != nil {
		return nil, fail(0, "%s", err.Error())
	}

	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1 // checked per row, with a Japanese message
	o := &Overrides{source: name, years: map[int][]Holiday{}, names: map[int]string{}}
	firstLine := map[int]int{} // dayKey → line, to report duplicates
	seenRow := false
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fail(pe.StartLine, "CSV の形式が正しくありません（引用符「\"」の使い方など）。")
			}
			return nil, fail(0, "CSV を読めません。")
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimFunc(rec[i], unicode.IsSpace)
		}
		if blank(rec) {
			continue
		}
		first := !seenRow
		seenRow = true
		if first && isHeader(rec[0]) {
			continue
		}
		if len(rec) < 2 {
			return nil, fail(line, "列が足りません。「日付,名称」の2列にしてください（例: 2027/11/23,勤労感謝の日）。")
		}
		d, err := parseSlashDate(rec[0])
		if err != nil {
			return nil, fail(line, "%s", err.Error())
		}
		hname := rec[1]
		switch {
		case hname == "":
			return nil, fail(line, "日付「%s」の祝日名が空です。名称を入れてください。", rec[0])
		case strings.ContainsRune(hname, utf8.RuneError):
			return nil, fail(line, "祝日名に読めない文字があります。文字コードは CP932（Shift_JIS）か UTF-8 にしてください。")
		}
		k := keyOf(d)
		if prev, dup := firstLine[k]; dup {
			return nil, fail(line, "日付「%s」が重複しています（%d行目と同じ日です）。1日1行にしてください。", rec[0], prev)
		}
		firstLine[k] = line
		o.names[k] = hname
		o.years[d.Year()] = append(o.years[d.Year()], Holiday{Date: d, Name: hname})
	}
	if len(o.years) == 0 {
		return nil, fail(0, "祝日が1件もありません。内閣府の祝日一覧（syukujitsu.csv）を指定してください。")
	}
	for _, hs := range o.years {
		slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	}
	return o, nil
}

// decodeSyukujitsu returns the file's text: UTF-8 (a BOM is dropped) when the
// bytes are valid UTF-8, else CP932. A CP932 file of Japanese text is
// practically never valid UTF-8, so the test decides reliably.
func decodeSyukujitsu(raw []byte) (string, error) {
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return "", errors.New("UTF-16 のファイルは読めません。CP932（Shift_JIS）か UTF-8 で保存し直してください。")
	}
	if b, ok := bytes.CutPrefix(raw, []byte{0xEF, 0xBB, 0xBF}); ok {
		if !utf8.Valid(b) {
			return "", errors.New("UTF-8 の印（BOM）がありますが、UTF-8 として読めない文字があります。保存し直してください。")
		}
		return string(b), nil
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	// Invalid CP932 bytes become U+FFFD, caught per row with its line.
	b, err := japanese.ShiftJIS.NewDecoder().Bytes(raw)
	if err != nil {
		return "", errors.New("文字コードを判別できません。CP932（Shift_JIS）か UTF-8 で保存してください。")
	}
	return string(b), nil
}

// isHeader reports whether the first row's first cell is a header rather
// than a date: the official header 国民の祝日・休日月日 or any label without
// digits (日付, date …). A date mistyped in the first row still has digits
// and so is reported, not skipped.
func isHeader(cell string) bool {
	return !strings.ContainsFunc(cell, func(r rune) bool {
		return ('0' <= r && r <= '9') || ('０' <= r && r <= '９')
	})
}

func blank(rec []string) bool {
	for _, f := range rec {
		if f != "" {
			return false
		}
	}
	return true
}

// parseSlashDate parses YYYY/M/D (also with '-' or '.', zero-padded or not,
// full-width digits allowed) into midnight UTC.
func parseSlashDate(s string) (time.Time, error) {
	unreadable := fmt.Errorf("日付「%s」を読めません。YYYY/M/D の形式にしてください。", s)
	folded := strings.Map(func(r rune) rune {
		switch {
		case '０' <= r && r <= '９':
			return r - '０' + '0'
		case r == '／' || r == '－' || r == '-' || r == '.' || r == '．':
			return '/'
		}
		return r
	}, s)
	parts := strings.Split(folded, "/")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return time.Time{}, unreadable
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] == '+' || p[0] == '-' {
			return time.Time{}, unreadable
		}
		n[i] = v
	}
	y, m, d := n[0], n[1], n[2]
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, unreadable
	}
	t := date(y, time.Month(m), d)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("日付「%s」は存在しない日です（%d年%d月は%d日までです）。", s, y, m, daysInMonth(y, time.Month(m)))
	}
	return t, nil
}

func daysInMonth(year int, m time.Month) int {
	return date(year, m+1, 0).Day()
}
