// Package privacy holds the masking rules for residents' identifiers and
// staff mail addresses, in one place, so the report, the exports, stored
// rejects and error messages apply the same rules. It depends on nothing
// but the standard library.
package privacy

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaskID hides all but the first few characters of a resident identifier
// (宛名番号): 12345678 → 1234****. At most half of the characters are kept,
// so a short identifier does not survive masking almost whole.
func MaskID(id string) string {
	n := utf8.RuneCountInString(id)
	if n == 0 {
		return ""
	}
	keep := min(4, n/2)
	var b strings.Builder
	i := 0
	for _, r := range id {
		if i < keep {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// mailLocal matches the local part of a mail address, with its '@'.
var mailLocal = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@`)

// MaskMail hides the local part of every mail address in s but its first
// two characters: yamada.taro@example.jp → ya*********@example.jp. The
// domain stays readable because it is what the inspection is about (the
// town's own, a free-mail service, a vendor), while the person behind a
// private address need not be spread further.
func MaskMail(s string) string {
	return mailLocal.ReplaceAllStringFunc(s, func(m string) string {
		local := m[:len(m)-1]
		keep := min(2, len(local)-1) // always hide at least one character
		return local[:keep] + strings.Repeat("*", len(local)-keep) + "@"
	})
}

// Masker replaces known resident identifiers in free text (a finding's
// explanation may quote the 宛名番号 it is about) with their masked form.
type Masker struct {
	r *strings.Replacer
}

// NewMasker builds a Masker for ids; longer ids are replaced first so that
// one identifier being a prefix of another cannot leak the longer one's
// tail. Identifiers shorter than 4 characters are not searched for in free
// text: they would match ordinary numbers such as counts.
func NewMasker(ids map[string]bool) *Masker {
	list := make([]string, 0, len(ids))
	for id := range ids {
		if utf8.RuneCountInString(id) >= 4 {
			list = append(list, id)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, id := range list {
		pairs = append(pairs, id, MaskID(id))
	}
	return &Masker{r: strings.NewReplacer(pairs...)}
}

// Apply masks every known identifier in s. A nil Masker changes nothing.
func (m *Masker) Apply(s string) string {
	if m == nil {
		return s
	}
	return m.r.Replace(s)
}

// MaskMyNumber replaces every run of exactly 12 digits (a 個人番号, My
// Number; full-width digits count too), and twelve digits grouped 4-4-4,
// with asterisks, so rejected rows
// kept for the clerk, and the messages about them, never hold one. Longer
// and shorter runs (宛名番号, dates, phone numbers) are left alone.
func MaskMyNumber(s string) string {
	s = maskRuns(s, func(n int) int {
		if n == 12 {
			return 0
		}
		return n
	})
	if !strings.ContainsAny(s, " -　－") {
		return s
	}
	return myNumberGrouped.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, r := range m {
			if isDigit(r) {
				b.WriteByte('*')
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	})
}

// MaskNumbers masks every run of 5 or more digits as MaskID would (keeping
// at most 4 digits), for text quoting cells of a file whose columns are not
// understood: a row taken for a header may be a data row holding a
// 宛名番号 or 個人番号. Dates written with separators (2025/05/07 09:00)
// have no such run and stay readable.
func MaskNumbers(s string) string {
	return maskRuns(s, func(n int) int {
		if n < 5 {
			return n
		}
		return min(4, n/2)
	})
}

// maskRuns replaces the digits of each run of digits beyond the first
// keep(len) with '*'.
func maskRuns(s string, keep func(n int) int) string {
	rs := []rune(s)
	changed := false
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isDigit(rs[j]) {
			j++
		}
		for k := i + keep(j-i); k < j; k++ {
			rs[k] = '*'
			changed = true
		}
		i = j
	}
	if !changed {
		return s
	}
	return string(rs)
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

// IsMyNumber reports whether s is a 個人番号 (My Number): twelve digits
// (ASCII or full-width, optionally grouped 4-4-4 by spaces or hyphens)
// whose last digit is the check digit of the first eleven (行政手続におけ
// る特定の個人を識別するための番号の利用等に関する法律施行令 第8条). About one
// in ten twelve-digit numbers passes the check by chance, so a 12-digit
// identifier of another kind may be taken for one.
func IsMyNumber(s string) bool {
	if len(s) < 12 || len(s) > 14*3 {
		return false
	}
	var d [12]int
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if n == 12 {
				return false
			}
			d[n] = int(r - '0')
			n++
		case r >= '０' && r <= '９':
			if n == 12 {
				return false
			}
			d[n] = int(r - '０')
			n++
		case r == ' ' || r == '-' || r == '　' || r == '－' || r == 'ー':
			if n == 0 || n%4 != 0 {
				return false
			}
		default:
			return false
		}
	}
	return n == 12 && myNumberCheckDigit(d[:11]) == d[11]
}

// myNumberCheckDigit computes the check digit of the first eleven digits
// of a 個人番号: with P(n) the n-th digit counted from the right and Q(n)
// = n+1 for n ≤ 6, n−5 for n ≥ 7, it is 11 − (Σ P(n)·Q(n) mod 11), or 0
// when the remainder is 0 or 1.
func myNumberCheckDigit(d []int) int {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := d[11-n]
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	if r <= 1 {
		return 0
	}
	return 11 - r
}

// myNumberGrouped matches twelve digits grouped 4-4-4 by a space or a
// hyphen, which MaskMyNumber's runs of digits do not catch.
var myNumberGrouped = regexp.MustCompile(`(^|[^0-9０-９])([0-9０-９]{4})[ \-　－]([0-9０-９]{4})[ \-　－]([0-9０-９]{4})([^0-9０-９]|$)`)
