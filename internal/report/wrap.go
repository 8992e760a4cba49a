package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line breaking for Japanese text with 禁則処理 (JIS X 4051, simplified).
//
// The text is cut into atoms that must stay on one line: a run of Latin
// letters, digits and ASCII punctuation (a "word"), or a single Japanese
// character. An atom starting with a character that may not begin a line
// (行頭禁則: closing brackets, 。、, small kana, ー …) is glued to the atom
// before it, and an atom following a character that may not end a line
// (行末禁則: opening brackets) is glued to that character, so the greedy
// filler below can only break where Japanese typesetting allows. Punctuation
// is pushed to the next line with its neighbour (追い出し) rather than hung
// into the margin (ぶら下げ), because nothing may be drawn beyond the column.

// noStart holds the characters that must not begin a line (行頭禁則).
var noStart = makeSet(
	"、。，．,.：；:;？！?!・" + // punctuation
		"）」』】〕〉》］｝〙〗〟’”)]}" + // closing brackets and quotes
		"ー－‐゠–〜～" + // long vowel mark and dashes that attach to the previous character
		"ゝゞ々〻ヽヾ" + // iteration marks
		"ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ" + // small kana
		"゛゜％%℃°′″")

// noEnd holds the characters that must not end a line (行末禁則).
var noEnd = makeSet("（「『【〔〈《［｛〘〖〝‘“([{￥＄＃＠#$")

// inseparable holds the characters that must not be split from an identical
// neighbour (分離禁止: ……, ――).
var inseparable = makeSet("…‥―—")

func makeSet(s string) map[rune]bool {
	m := make(map[rune]bool, utf8.RuneCountInString(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

// isWordRune reports whether r belongs to a Latin "word" that is only broken
// when it does not fit on a line by itself.
func isWordRune(r rune) bool {
	return r < 0x2000 && !unicode.IsSpace(r)
}

// isBreakSpace reports whether r is a space at which a line may be broken
// (and which then disappears at the line's edge). The ideographic space is
// one too: in running text it separates phrases like an ASCII space does.
func isBreakSpace(r rune) bool {
	return unicode.IsSpace(r)
}

// atom is an unbreakable piece of a paragraph; space atoms are break
// opportunities that vanish at the edges of a line.
type atom struct {
	text  string
	space bool
}

// atomize cuts one paragraph (no '\n') into atoms with 禁則 applied.
func atomize(para string) []atom {
	var atoms []atom
	runes := []rune(para)
	i := 0
	// Leading whitespace is indentation (e.g. a full-width space opening a
	// paragraph): keep it, glued to what follows, instead of dropping it.
	indent := ""
	for i < len(runes) && isBreakSpace(runes[i]) {
		indent += string(runes[i])
		i++
	}
	glueNext := indent != ""
	for i < len(runes) {
		r := runes[i]
		var tok atom
		switch {
		case isBreakSpace(r):
			j := i
			for j < len(runes) && isBreakSpace(runes[j]) {
				j++
			}
			tok = atom{text: string(runes[i:j]), space: true}
			i = j
		case isWordRune(r):
			j := i
			for j < len(runes) && isWordRune(runes[j]) {
				j++
			}
			tok = atom{text: string(runes[i:j])}
			i = j
		default:
			tok = atom{text: string(r)}
			i++
		}
		if tok.space {
			atoms = append(atoms, tok)
			glueNext = false
			continue
		}
		if n := len(atoms); n > 0 && !atoms[n-1].space {
			prev := atoms[n-1].text
			last, _ := utf8.DecodeLastRuneInString(prev)
			first, _ := utf8.DecodeRuneInString(tok.text)
			if glueNext || noStart[first] || noEnd[last] || (inseparable[first] && first == last) {
				atoms[n-1].text += tok.text
				glueNext = false
				continue
			}
		}
		if glueNext {
			tok.text = indent + tok.text
			glueNext = false
		}
		atoms = append(atoms, tok)
	}
	if glueNext { // the paragraph is nothing but whitespace
		atoms = append(atoms, atom{text: indent})
	}
	return atoms
}

// wrapLines breaks text into lines no wider than width, as measured by
// measure, following Japanese line-breaking rules (禁則処理):
//
//   - a line never starts with closing brackets, 。、，．・ー, small kana,
//     iteration marks or ASCII closing punctuation, and never ends with an
//     opening bracket; the offending character takes its neighbour with it
//     to the next line (追い出し);
//   - Japanese text may break between any two other characters;
//   - Latin words (runs of ASCII letters, digits and punctuation) break at
//     spaces, and are cut between characters only when a word is wider than
//     the whole line;
//   - '\n' forces a break; spaces at the edges of a wrapped line are dropped.
//
// measure must be additive (the width of a string is the sum of the widths
// of its characters), which holds for a font without kerning. Every line of
// the result fits in width, except that a single character wider than width
// is put on a line of its own. An empty text yields one empty line, so that
// a table cell keeps its height.
func wrapLines(measure func(string) float64, text string, width float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapParagraph(measure, para, width)...)
	}
	return out
}

// wrapParagraph wraps one paragraph (no '\n'); see wrapLines.
func wrapParagraph(measure func(string) float64, para string, width float64) []string {
	const eps = 1e-9
	atoms := atomize(para)
	var (
		lines  []string
		cur    strings.Builder
		curW   float64
		pend   string // spaces seen after the line's last atom
		pendW  float64
		inLine bool
	)
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW, pend, pendW, inLine = 0, "", 0, false
	}
	// place puts a non-space atom at the start of an empty line, cutting it
	// between characters when it is wider than the whole line. Even then
	// the cut avoids 禁則 positions where the atom leaves any choice: a
	// character that may not start a line takes its predecessor along.
	place := func(a string, w float64) {
		if w <= width+eps {
			cur.WriteString(a)
			curW, inLine = w, true
			return
		}
		var buf []rune
		var bws []float64
		sum := func() float64 {
			t := 0.0
			for _, x := range bws {
				t += x
			}
			return t
		}
		for _, r := range a {
			rw := measure(string(r))
			for len(buf) > 0 && sum()+rw > width+eps {
				k := len(buf)
				next := func(k int) rune {
					if k < len(buf) {
						return buf[k]
					}
					return r
				}
				for k > 1 && (noStart[next(k)] || noEnd[buf[k-1]]) {
					k--
				}
				lines = append(lines, string(buf[:k]))
				buf, bws = buf[k:], bws[k:]
			}
			buf = append(buf, r)
			bws = append(bws, rw)
		}
		cur.WriteString(string(buf))
		curW, inLine = sum(), true
	}
	for _, a := range atoms {
		if a.space {
			if inLine {
				pend += a.text
				pendW += measure(a.text)
			}
			continue
		}
		w := measure(a.text)
		switch {
		case !inLine:
			place(a.text, w)
		case curW+pendW+w <= width+eps:
			cur.WriteString(pend)
			cur.WriteString(a.text)
			curW += pendW + w
			pend, pendW = "", 0
		default:
			flush()
			place(a.text, w)
		}
	}
	if inLine || len(lines) == 0 {
		flush()
	}
	return lines
}

// fitText shortens s with a trailing "…" so that it is no wider than width;
// it is for single-line labels (the running header) where wrapping is not
// wanted.
func fitText(measure func(string) float64, s string, width float64) string {
	if measure(s) <= width {
		return s
	}
	ell := "…"
	budget := width - measure(ell)
	var b strings.Builder
	w := 0.0
	for _, r := range s {
		rw := measure(string(r))
		if w+rw > budget {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + ell
}

// clampLines keeps the first n of lines, ending the last kept line with
// "…" (shortened as needed to stay within width) to show that text was cut.
func clampLines(measure func(string) float64, lines []string, n int, width float64) []string {
	if n <= 0 || len(lines) <= n {
		return lines
	}
	out := append([]string(nil), lines[:n]...)
	const ell = "…"
	last := []rune(out[n-1])
	for len(last) > 0 && measure(string(last)+ell) > width {
		last = last[:len(last)-1]
	}
	out[n-1] = string(last) + ell
	return out
}
