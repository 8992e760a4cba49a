package jpdate

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// mode says what kind of cell is being read; it selects the accepted forms
// and the wording of messages.
type mode uint8

const (
	modeDateTime mode = iota
	modeDate
	modeClock
	modeSerial
)

// formReason is the message for a cell that matches no accepted form.
func formReason(m mode) string {
	switch m {
	case modeDate:
		return "日付として読めません（" + exampleDate + "）"
	case modeClock:
		return "時刻として読めません（" + exampleClock + "）"
	case modeSerial:
		return "Excel のシリアル値として読めません（例: 45383、45383.5）"
	}
	return "日時として読めません（" + exampleDateTime + "）"
}

// emptyReason is the message for an empty cell.
func emptyReason(m mode) string {
	switch m {
	case modeDate:
		return "日付の欄が空です（" + exampleDate + "）"
	case modeClock:
		return "時刻の欄が空です（" + exampleClock + "）"
	case modeSerial:
		return "Excel のシリアル値の欄が空です（例: 45383、45383.5）"
	}
	return "日時の欄が空です（" + exampleDateTime + "）"
}

// Messages shared by several places.
const (
	reasonYearRange   = "扱える範囲（1900年〜2100年）の外の日付です"
	reasonMonth       = "存在しない日付です（月は1〜12）"
	reasonDayZero     = "存在しない日付です（日は1日から）"
	reasonEraYearZero = "存在しない年です（元号の年は元年（1年）から）"
	reasonHour        = "存在しない時刻です（時は0〜23）"
	reasonHour12      = "存在しない時刻です（午前・午後を付けるときの時は0〜12）"
	reasonMinute      = "存在しない時刻です（分は0〜59）"
	reasonSecond      = "存在しない時刻です（秒は0〜59）"
	reasonTwoDigit    = "年が2桁のため何年か決められません（2024/04/01 のように西暦4桁か、R6.4.1 のように元号を付けて書いてください）"
	reasonNoEra       = "西暦か和暦か決められません（元号が抜けていませんか。例: 2024年4月1日、令和6年4月1日）"
	reasonYearLast    = "日・月・年の順か月・日・年の順か決められません（2024/04/01 のように年を先に書いてください）"
	reasonUTC         = "世界標準時（UTC）の時刻です（日本時間に変換せずそのまま扱うため、日本時間の時刻にしてください）"
	reasonClockOnly   = "時刻だけで日付がありません（日付と時刻が別の列なら、日付の列も指定してください）"
	reasonNotDate     = "日付ではなく時刻です（" + exampleDate + "）"
	reasonTimeInDate  = "日付の欄に時刻が含まれています（日付だけにしてください。" + exampleDate + "）"
	reasonDateInClock = "時刻の欄に日付が含まれています（時刻だけにしてください。" + exampleClock + "）"
	reasonSerialMin   = "Excel のシリアル値は1（1900年1月1日）からです"
	reasonSerialMax   = "Excel のシリアル値の範囲（1〜2958465）の外です"
	reasonSerial60    = "Excel が実在しない1900年2月29日として扱うシリアル値です"
)

// parseCell reads a trimmed cell. Only a cell with non-ASCII bytes is
// NFKC-folded, so ASCII cells are parsed in place without allocating.
func parseCell(t string, m mode) (fields, *Error) {
	if t == "" {
		return fields{}, &Error{Reason: emptyReason(m)}
	}
	p := parser{s: t, in: t, mode: m}
	if len(t) > maxCellLen {
		return fields{}, p.form()
	}
	if !isASCII(t) {
		p.s = fold(t)
	}
	return p.cell()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fold applies NFKC, which turns full-width digits, letters, colons,
// slashes, ideographic spaces and the era ligatures (㋿ ㍻ ㍼) into their
// plain forms, and then maps the dash look-alikes NFKC leaves alone
// (‐ – — ― − ー) to '-', since Japanese input methods produce them in dates.
//
// Full NFKC costs microseconds per cell, and some systems write every cell
// in full width, so the characters that actually occur in date cells are
// mapped directly: ASCII, the full-width forms U+FF01–U+FF5E, the
// ideographic space and the CJK unified ideographs (年, 令和 …), whose NFKC
// forms are fixed and simple. Any other character sends the cell through
// the general normaliser.
func fold(s string) string {
	changes := false
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0x4e00 && r <= 0x9fff: // no decomposition: kept as is
		case r >= 0xff01 && r <= 0xff5e, r == '\u3000', isDash(r):
			changes = true
		default:
			return foldNFKC(s)
		}
		i += size
	}
	if !changes {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xff01 && r <= 0xff5e:
			b.WriteByte(byte(r - 0xff01 + '!'))
		case r == '\u3000':
			b.WriteByte(' ')
		case isDash(r):
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// foldNFKC is fold for cells with characters beyond the direct mapping.
func foldNFKC(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if isDash(r) {
			return '-'
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// isDash reports whether r is a dash look-alike that NFKC does not fold.
func isDash(r rune) bool {
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u30fc':
		return true
	}
	return false
}

// parser walks a folded cell. in is the cell as given, for messages.
type parser struct {
	s    string
	i    int
	in   string
	mode mode
	// dateMarked is set when the date ended in 日 or a weekday bracket, after
	// which the clock may follow without a space (2024年4月1日9時3分).
	dateMarked bool
}

func (p *parser) fail(reason string) *Error { return &Error{Input: p.in, Reason: reason} }

func (p *parser) form() *Error { return &Error{Input: p.in, Reason: formReason(p.mode), generic: true} }

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) atEnd() bool { return p.i == len(p.s) }

// digits reads a run of ASCII digits and returns its value and length. The
// value stops growing after 18 digits; callers check the length first.
func (p *parser) digits() (v uint64, n int) {
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		if n < 18 {
			v = v*10 + uint64(p.s[p.i]-'0')
		}
		n++
		p.i++
	}
	return v, n
}

func (p *parser) spaces() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// lit consumes lit if the input continues with it.
func (p *parser) lit(lit string) bool {
	if strings.HasPrefix(p.s[p.i:], lit) {
		p.i += len(lit)
		return true
	}
	return false
}

// litFold is lit for lower-case ASCII lit, ignoring the input's case.
func (p *parser) litFold(lit string) bool {
	if len(p.s)-p.i < len(lit) {
		return false
	}
	for k := 0; k < len(lit); k++ {
		c := p.s[p.i+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lit[k] {
			return false
		}
	}
	p.i += len(lit)
	return true
}

// marker consumes optional spaces and then lit (年, 月, 時 …), or nothing.
func (p *parser) marker(lit string) bool {
	save := p.i
	p.spaces()
	if p.lit(lit) {
		return true
	}
	p.i = save
	return false
}

// num12 consumes up to two spaces and a number of one or two digits, as the
// month, day, minute or second of a padded form (2024/ 4/ 1, 4 月).
func (p *parser) num12() (int, bool) {
	save := p.i
	for k := 0; k < 2 && (p.peek() == ' ' || p.peek() == '\t'); k++ {
		p.i++
	}
	v, n := p.digits()
	if n < 1 || n > 2 {
		p.i = save
		return 0, false
	}
	return int(v), true
}

func isDateSep(c byte) bool { return c == '/' || c == '-' || c == '.' }

// cell reads the whole cell according to the mode.
func (p *parser) cell() (fields, *Error) {
	var f fields
	switch p.mode {
	case modeSerial:
		return f, p.serial(&f)
	case modeClock:
		if e := p.clockCell(&f); e != nil {
			if e.generic && p.looksLikeDate() {
				return f, p.fail(reasonDateInClock)
			}
			return f, e
		}
		return f, nil
	}
	e := p.dateTime(&f)
	if e != nil && e.generic && p.looksLikeClock() {
		if p.mode == modeDate {
			return f, p.fail(reasonNotDate)
		}
		return f, p.fail(reasonClockOnly)
	}
	return f, e
}

// looksLikeClock reports whether the whole cell is a valid time of day, to
// explain a date cell that lacks its date. Only clocks with a visible
// marker count: a bare 2024 is more likely a truncated year than 20:24.
func (p *parser) looksLikeClock() bool {
	if !strings.Contains(p.s, ":") && !strings.Contains(p.s, "時") {
		return false
	}
	q := parser{s: p.s, in: p.in, mode: modeClock}
	var f fields
	return q.clockCell(&f) == nil
}

// looksLikeDate reports whether the whole cell is a valid date or date and
// time, to explain a clock cell that holds a date.
func (p *parser) looksLikeDate() bool {
	q := parser{s: p.s, in: p.in, mode: modeDateTime}
	var f fields
	return q.dateTime(&f) == nil
}

// dateTime reads a date, then optionally a clock and an offset.
func (p *parser) dateTime(f *fields) *Error {
	if e := p.date(f); e != nil {
		return e
	}
	if !f.hasClock && !p.atEnd() {
		switch c := p.s[p.i]; {
		case c == 'T' || c == 't':
			p.i++
		case c == ' ' || c == '\t':
			p.spaces()
		case p.dateMarked:
		default:
			return p.form()
		}
		if e := p.clock(f); e != nil {
			return e
		}
	}
	if f.hasClock {
		if e := p.zone(); e != nil {
			return e
		}
	}
	if !p.atEnd() {
		return p.form()
	}
	if p.mode == modeDate && f.hasClock && f.h|f.mi|f.sec|f.nsec != 0 {
		return p.fail(reasonTimeInDate)
	}
	return nil
}

// date reads the date part of a cell: Western, compact, 和暦 or an Excel
// serial. Compact date-times (20240401090307) and serials with a fraction
// also fill the clock.
func (p *parser) date(f *fields) *Error {
	if !isDigit(p.peek()) {
		return p.eraDate(f)
	}
	start := p.i
	v, n := p.digits()
	switch {
	case n == 4 && isDateSep(p.peek()):
		sep := p.s[p.i]
		p.i++
		mo, ok := p.num12()
		if !ok || p.peek() != sep {
			return p.form()
		}
		p.i++
		d, ok := p.num12()
		if !ok {
			return p.form()
		}
		f.y, f.mo, f.d = int(v), mo, d
	case n == 4 && p.marker("年"):
		mo, ok := p.num12()
		if !ok || !p.marker("月") {
			return p.form()
		}
		d, ok := p.num12()
		if !ok || !p.marker("日") {
			return p.form()
		}
		f.y, f.mo, f.d = int(v), mo, d
		p.dateMarked = true
	case n == 8:
		f.y, f.mo, f.d = int(v/10000), int(v/100%100), int(v%100)
	case n == 12 || n == 14 || n == 17:
		// YYYYMMDDhhmm, YYYYMMDDhhmmss, YYYYMMDDhhmmssfff.
		var clock uint64
		switch n {
		case 12:
			clock = v % 10000 * 100
			v /= 10000
		case 14:
			clock = v % 1000000
			v /= 1000000
		case 17:
			f.nsec = int(v%1000) * 1e6
			clock = v / 1000 % 1000000
			v /= 1000000000
		}
		f.y, f.mo, f.d = int(v/10000), int(v/100%100), int(v%100)
		f.hasDate = true
		if e := p.checkDate(f); e != nil {
			return e
		}
		if n == 14 && p.peek() == '.' {
			p.i++
			ns, ok := p.fraction()
			if !ok {
				return p.form()
			}
			f.nsec = ns
		}
		return p.setClock(f, int(clock/10000), int(clock/100%100), int(clock%100), f.nsec)
	case n == 5 && p.s[start] != '0' && (p.atEnd() || p.peek() == '.'):
		// 10000–99999: 1927 to beyond 2100. A leading zero (00040) is not
		// a spreadsheet's spelling of a serial.
		p.i = start
		return p.serial(f)
	case n <= 2 && isDateSep(p.peek()):
		return p.orderError()
	case n <= 2 && p.marker("年"):
		return p.fail(reasonNoEra)
	default:
		return p.form()
	}
	f.hasDate = true
	if e := p.checkDate(f); e != nil {
		return e
	}
	return p.weekday(f)
}

// orderError explains a date that does not start with a four-digit year,
// such as 01/04/2024 or 24/04/01: it could be read more than one way.
func (p *parser) orderError() *Error {
	sep := p.s[p.i]
	p.i++
	if _, ok := p.num12(); !ok || p.peek() != sep {
		return p.form()
	}
	p.i++
	p.spaces()
	_, n := p.digits()
	switch {
	case n == 4:
		return p.fail(reasonYearLast)
	case n >= 1 && n <= 2:
		return p.fail(reasonTwoDigit)
	}
	return p.form()
}

// eraPrefix reads an era name: 令和, 令, R or r (and likewise for 平成, 昭和,
// 大正, 明治).
func (p *parser) eraPrefix() *era {
	for k := range eras {
		e := &eras[k]
		if p.lit(e.name) || p.lit(e.short) {
			return e
		}
	}
	if p.i < len(p.s) {
		c := p.s[p.i] | 0x20
		for k := range eras {
			if eras[k].letter == c {
				p.i++
				return &eras[k]
			}
		}
	}
	return nil
}

// eraDate reads a 和暦 date: 令和6年4月1日, 令和元年5月1日, R6.4.1, R06/04/01,
// 令6.4.1, H31.4.30 …
func (p *parser) eraDate(f *fields) *Error {
	e := p.eraPrefix()
	if e == nil {
		return p.form()
	}
	p.spaces()
	var ey int
	if p.lit("元") {
		ey = 1
	} else {
		v, n := p.digits()
		if n < 1 || n > 3 {
			return p.form()
		}
		ey = int(v)
	}
	var mo, d int
	var ok bool
	if p.marker("年") {
		if mo, ok = p.num12(); !ok || !p.marker("月") {
			return p.form()
		}
		if d, ok = p.num12(); !ok || !p.marker("日") {
			return p.form()
		}
		p.dateMarked = true
	} else if c := p.peek(); isDateSep(c) {
		p.i++
		if mo, ok = p.num12(); !ok || p.peek() != c {
			return p.form()
		}
		p.i++
		if d, ok = p.num12(); !ok {
			return p.form()
		}
	} else {
		return p.form()
	}
	if ey == 0 {
		return p.fail(reasonEraYearZero)
	}
	f.era, f.eraYear = e, ey
	f.y, f.mo, f.d = e.sy+ey-1, mo, d
	f.hasDate = true
	if err := p.checkDate(f); err != nil {
		return err
	}
	return p.weekday(f)
}

// yearLabel is the year as the cell wrote it: 2024年, 令和6年, 令和元年.
func (f *fields) yearLabel() string {
	if f.era != nil {
		return eraYearLabel(f.era, f.eraYear)
	}
	return strconv.Itoa(f.y) + "年"
}

// checkDate validates the date part: year range, month, day, era range.
func (p *parser) checkDate(f *fields) *Error {
	if f.y < MinYear || f.y > MaxYear {
		if f.era != nil {
			return p.fail(reasonYearRange + "（" + f.yearLabel() + "は" + strconv.Itoa(f.y) + "年）")
		}
		return p.fail(reasonYearRange)
	}
	if f.mo < 1 || f.mo > 12 {
		return p.fail(reasonMonth)
	}
	if f.d < 1 {
		return p.fail(reasonDayZero)
	}
	if last := daysIn(f.y, f.mo); f.d > last {
		return p.fail("存在しない日付です（" + f.yearLabel() + strconv.Itoa(f.mo) + "月は" + strconv.Itoa(last) + "日まで）")
	}
	if f.era != nil {
		if r := eraRangeReason(f.era, f.y, f.mo, f.d); r != "" {
			return p.fail(r)
		}
	}
	return nil
}

// weekdayNames are the one-character weekdays, Sunday first as time.Weekday.
var weekdayNames = [7]string{"日", "月", "火", "水", "木", "金", "土"}

// weekday reads an optional weekday in brackets after a date, (月), (月曜)
// or (月曜日), which must agree with the date: a mismatch means the cell is
// wrong somewhere and must not be guessed at.
func (p *parser) weekday(f *fields) *Error {
	save := p.i
	p.spaces()
	if !p.lit("(") {
		p.i = save
		return nil
	}
	w := -1
	for k, name := range weekdayNames {
		if p.lit(name) {
			w = k
			break
		}
	}
	if w < 0 {
		return p.form()
	}
	if p.lit("曜") {
		p.lit("日")
	}
	if !p.lit(")") {
		return p.form()
	}
	days := daysFromCivil(f.y, f.mo, f.d)
	actual := int(((days % 7) + 7 + 4) % 7) // 1970-01-01 was a Thursday
	if actual != w {
		return p.fail("曜日が合いません（" + seirekiOf(f.y, f.mo, f.d) + "は" + weekdayNames[actual] + "曜日です）")
	}
	p.dateMarked = true
	return nil
}

// clockCell reads a whole time-of-day cell: a clock, or an Excel time
// fraction such as 0.375.
func (p *parser) clockCell(f *fields) *Error {
	if strings.HasPrefix(p.s, "0.") {
		p.i = 2
		start := p.i
		if _, n := p.digits(); n == 0 || !p.atEnd() {
			return p.form()
		}
		ms := fracToMillis(p.s[start:])
		if ms >= 86400000 {
			return p.form()
		}
		return p.setClock(f, ms/3600000, ms/60000%60, ms/1000%60, ms%1000*1e6)
	}
	if e := p.clock(f); e != nil {
		return e
	}
	if !p.atEnd() {
		return p.form()
	}
	return nil
}

// Values of the 午前/午後 marker.
const (
	noMeridiem = iota
	am
	pm
)

// meridiem reads 午前/午後/AM/PM/a.m./p.m., if present.
func (p *parser) meridiem() int {
	switch {
	case p.lit("午前"), p.litFold("am"), p.litFold("a.m."):
		return am
	case p.lit("午後"), p.litFold("pm"), p.litFold("p.m."):
		return pm
	}
	return noMeridiem
}

// clock reads a time of day: 9:03, 09:03:07.123, 9時3分7秒, 0903, 090307,
// with an optional 午前/午後 before or AM/PM after.
func (p *parser) clock(f *fields) *Error {
	mer := p.meridiem()
	if mer != noMeridiem {
		p.spaces()
	}
	start := p.i
	v, n := p.digits()
	var h, mi, sec int
	switch {
	case n >= 1 && n <= 2 && p.peek() == ':':
		p.i++
		m, mn := p.digits()
		if mn < 1 || mn > 2 {
			return p.form()
		}
		h, mi = int(v), int(m)
		if p.peek() == ':' {
			p.i++
			s, sn := p.digits()
			if sn < 1 || sn > 2 {
				return p.form()
			}
			sec = int(s)
			if p.peek() == '.' {
				p.i++
				ns, ok := p.fraction()
				if !ok {
					return p.form()
				}
				f.nsec = ns
			}
		}
	case n >= 1 && n <= 2 && p.marker("時"):
		h = int(v)
		save := p.i
		if m, ok := p.num12(); ok && p.marker("分") {
			mi = m
			save = p.i
			if s, ok := p.num12(); ok && p.marker("秒") {
				sec = s
			} else {
				p.i = save
			}
		} else {
			p.i = save
		}
	case n == 4:
		h, mi = int(v/100), int(v%100)
	case n == 6 || n == 5 && p.s[start] != '0':
		// Five digits are hhmmss that a spreadsheet stored as a number,
		// losing the leading zero of 090307; they never start with 0.
		h, mi, sec = int(v/10000), int(v/100%100), int(v%100)
		if p.peek() == '.' {
			p.i++
			ns, ok := p.fraction()
			if !ok {
				return p.form()
			}
			f.nsec = ns
		}
	default:
		return p.form()
	}
	if mer == noMeridiem {
		save := p.i
		p.spaces()
		if mer = p.meridiem(); mer == noMeridiem {
			p.i = save
		}
	}
	if mer != noMeridiem {
		if h > 12 {
			return p.fail(reasonHour12)
		}
		// 12 AM is midnight and 12 PM noon, as Excel and Windows write them.
		if h == 12 {
			h = 0
		}
		if mer == pm {
			h += 12
		}
	}
	return p.setClock(f, h, mi, sec, f.nsec)
}

// setClock validates and stores a time of day.
func (p *parser) setClock(f *fields, h, mi, sec, nsec int) *Error {
	switch {
	case h > 23:
		return p.fail(reasonHour)
	case mi > 59:
		return p.fail(reasonMinute)
	case sec > 59:
		return p.fail(reasonSecond)
	}
	f.h, f.mi, f.sec, f.nsec = h, mi, sec, nsec
	f.hasClock = true
	return nil
}

// fraction reads the digits of a decimal fraction of a second and returns
// nanoseconds; digits beyond the ninth are dropped (rounded down).
func (p *parser) fraction() (int, bool) {
	ns, n := 0, 0
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		if n < 9 {
			ns = ns*10 + int(p.s[p.i]-'0')
		}
		n++
		p.i++
	}
	if n == 0 {
		return 0, false
	}
	for k := n; k < 9; k++ {
		ns *= 10
	}
	return ns, true
}

// zone reads an optional offset after the clock. +09:00 (also +0900, +09,
// JST) is Japan's own and is dropped; Z, UTC or any other offset would need
// a conversion that would change the wall clock, so it is refused.
func (p *parser) zone() *Error {
	save := p.i
	p.spaces()
	if p.atEnd() {
		p.i = save
		return nil
	}
	switch c := p.s[p.i]; {
	case c == 'Z' || c == 'z':
		p.i++
		if p.atEnd() {
			return p.fail(reasonUTC)
		}
		return p.form()
	case c == '+' || c == '-':
		start := p.i
		p.i++
		v, n := p.digits()
		var hh, mm uint64
		switch n {
		case 2:
			hh = v
			if p.peek() == ':' {
				p.i++
				m, mn := p.digits()
				if mn != 2 {
					return p.form()
				}
				mm = m
			}
		case 4:
			hh, mm = v/100, v%100
		default:
			return p.form()
		}
		if !p.atEnd() {
			return p.form()
		}
		if c == '+' && hh == 9 && mm == 0 {
			return nil
		}
		return p.fail("日本時間（+09:00）以外の時差（" + p.s[start:p.i] + "）が付いています（変換せずそのまま扱うため、日本時間の時刻にしてください）")
	case p.litFold("jst"), p.litFold("(jst)"):
		return nil
	case p.litFold("utc"), p.litFold("gmt"):
		return p.fail(reasonUTC)
	}
	p.i = save
	return nil
}

// serial reads an Excel serial date (see ParseExcelSerial) that makes up
// the rest of the cell.
func (p *parser) serial(f *fields) *Error {
	v, n := p.digits()
	if n == 0 {
		return p.form()
	}
	frac := ""
	if p.peek() == '.' {
		p.i++
		start := p.i
		if _, fn := p.digits(); fn == 0 {
			return p.form()
		}
		frac = p.s[start:p.i]
	}
	if !p.atEnd() {
		return p.form()
	}
	if n > 7 || v >= 2958466 {
		return p.fail(reasonSerialMax)
	}
	day, ms := int64(v), int64(0)
	if frac != "" {
		ms = int64(fracToMillis(frac))
		if ms == 86400000 {
			day, ms = day+1, 0
		}
	}
	switch {
	case day < 1:
		return p.fail(reasonSerialMin)
	case day == 60:
		return p.fail(reasonSerial60)
	}
	// Excel counts 1900-02-29 as serial 60: from 61 on, day n is 1899-12-30
	// plus n days; before it, 1899-12-31 plus n.
	base := daysFromCivil(1899, 12, 30)
	if day < 60 {
		base = daysFromCivil(1899, 12, 31)
	}
	y, m, d := civilFromDays(base + day)
	if y > MaxYear {
		return p.fail(reasonYearRange + "（" + seirekiOf(y, m, d) + "にあたります）")
	}
	f.y, f.mo, f.d = y, m, d
	f.hasDate = true
	if frac == "" {
		return nil
	}
	msi := int(ms)
	return p.setClock(f, msi/3600000, msi/60000%60, msi/1000%60, msi%1000*1e6)
}
