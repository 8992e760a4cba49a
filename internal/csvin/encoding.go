package csvin

import (
	"bytes"
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// Encoding names a character encoding of an input file. The values are
// stable ASCII identifiers, suitable for storing in a profile; Label gives
// the Japanese display name.
type Encoding string

// Encodings that municipal systems and Excel write.
const (
	UTF8    Encoding = "utf-8"     // UTF-8 without BOM (also pure ASCII)
	UTF8BOM Encoding = "utf-8-bom" // UTF-8 with BOM, Excel's 「CSV UTF-8」
	UTF16LE Encoding = "utf-16le"  // Excel's 「Unicode テキスト」 (TSV, with BOM)
	UTF16BE Encoding = "utf-16be"  // rare; recognised so it is not misread as CP932
	CP932   Encoding = "cp932"     // Shift_JIS as Windows writes it, with NEC/IBM extensions
)

// Label returns the Japanese display name of the encoding, e.g.
// "Shift_JIS (CP932)" or "UTF-8 (BOM付き)".
func (e Encoding) Label() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8 (BOM付き)"
	case UTF16LE:
		return "UTF-16LE (Unicode テキスト)"
	case UTF16BE:
		return "UTF-16BE"
	case CP932:
		return "Shift_JIS (CP932)"
	}
	return "不明な文字コード (" + string(e) + ")"
}

// valid reports whether e is one of the known encodings.
func (e Encoding) valid() bool {
	switch e {
	case UTF8, UTF8BOM, UTF16LE, UTF16BE, CP932:
		return true
	}
	return false
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// DetectEncoding guesses the encoding of a file from its first bytes. A BOM
// decides first (EF BB BF, FF FE, FE FF); then a UTF-16 file without BOM is
// recognised by its NUL bytes; then text that is valid UTF-8 (including pure
// ASCII) is UTF8, anything else CP932.
//
// head may be cut anywhere: an incomplete UTF-8 sequence at its very end is
// ignored rather than counted as invalid. A few invalid lines in an
// otherwise clearly UTF-8 sample (a valid UTF-8 header, most lines valid)
// still give UTF8, because real CP932 text is almost never valid UTF-8 and
// reading a UTF-8 file as CP932 would garble all of it; see detectText.
func DetectEncoding(head []byte) Encoding {
	return detect(head, false)
}

// detect is DetectEncoding; complete says head is the whole file, so an
// incomplete sequence at its end is really invalid.
func detect(head []byte, complete bool) Encoding {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return UTF8BOM
	case bytes.HasPrefix(head, bomUTF16LE):
		return UTF16LE
	case bytes.HasPrefix(head, bomUTF16BE):
		return UTF16BE
	}
	if e, ok := detectUTF16(head); ok {
		return e
	}
	e, _ := detectText(head, complete)
	return e
}

// detectUTF16 recognises BOM-less UTF-16: the high (or low) byte of every
// ASCII character is NUL, so NULs cluster on odd (LE) or even (BE) offsets.
// NUL padding in a byte-oriented file is spread over both and is not taken
// for UTF-16.
func detectUTF16(b []byte) (Encoding, bool) {
	pairs := len(b) / 2
	if pairs < 2 {
		return "", false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*8 >= pairs && even*16 <= odd:
		return UTF16LE, true
	case even*8 >= pairs && odd*16 <= even:
		return UTF16BE, true
	}
	return "", false
}

// detectText decides between UTF-8 and CP932 for byte-oriented text. sure
// is false when b held no complete non-ASCII character to judge by (pure
// ASCII, or a sample whose only non-ASCII bytes are cut off at its end);
// the answer is then UTF8 by default.
//
// The evidence is weighed rather than the first invalid byte deciding,
// because towns hand in UTF-8 files in which one row was edited and saved
// in CP932 (or damaged): reading such a file as CP932 garbles the header
// and every good row, whereas reading it as UTF-8 loses only the bad rows,
// which the Reader then rejects (ErrInvalidEncoding). Real CP932 Japanese
// text is almost never valid UTF-8: nearly every character starts an
// invalid run, and the few valid sequences come by chance (mostly
// half-width kana pairs), seldom a whole line of them. So the text is UTF-8
// when it has no invalid byte; or when valid multi-byte characters
// outnumber runs of invalid bytes 16 to 1; or when the first line with
// non-ASCII text (the header, or a title above it) is entirely valid UTF-8
// with at least four multi-byte characters and either at least as many
// non-ASCII lines are valid as invalid, or valid characters outnumber
// invalid runs 4 to 1. (Fewer than four let short CP932 lines of kanji and
// half-width kana pass for UTF-8 by chance; TestDetectRandomCP932.)
func detectText(b []byte, complete bool) (e Encoding, sure bool) {
	var (
		valid, runs         int  // valid multi-byte characters; runs of invalid bytes
		goodLines, badLines int  // lines with non-ASCII text, valid or not
		lineValid           int  // valid multi-byte characters in the current line
		lineBad             bool // the current line has an invalid byte
		firstDone, firstOK  bool // the first non-ASCII line: seen, valid
		last                int  // end of the last non-ASCII byte looked at
		prevBad             bool // the byte before i was invalid (same run)
	)
	endLine := func() {
		if lineBad {
			badLines++
		} else if lineValid > 0 {
			goodLines++
		}
		if !firstDone && (lineBad || lineValid > 0) {
			firstDone, firstOK = true, !lineBad && lineValid >= 4
		}
		lineValid, lineBad = 0, false
	}
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
			continue
		}
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		// Line ends are looked for only between non-ASCII bytes, so the
		// ASCII fast path above stays a plain skip.
		if gap := b[last:i]; len(gap) > 0 {
			prevBad = false
			if indexNewline(gap) >= 0 {
				endLine()
			}
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			if !complete && !utf8.FullRune(b[i:]) {
				break // the sample was cut inside a character
			}
			if !prevBad {
				runs++
			}
			prevBad, lineBad = true, true
			i++
			last = i
			continue
		}
		prevBad = false
		valid++
		lineValid++
		i += size
		last = i
	}
	endLine()
	sure = valid+runs > 0
	switch {
	case runs == 0,
		valid >= 16 && runs*16 <= valid,
		firstOK && (goodLines >= badLines || runs*4 <= valid):
		return UTF8, sure
	}
	return CP932, sure
}

// The decoders below turn a chunk of src into UTF-8 in dst. They stop when
// dst has too little room or when the rest of src is an incomplete
// character and atEOF is false; the caller then supplies more. Each
// undecodable byte (or unmapped pair) becomes U+FFFD and is counted in bad.
// They are hand-rolled instead of going through transform.Reader because
// the x/text decoders cost an interface call and a utf8.EncodeRune per
// character; see BenchmarkDecodeCP932.

const replacementLen = 3 // len("\uFFFD")

// putRune writes a BMP rune as UTF-8; the caller guarantees 3 bytes of room.
func putRune(dst []byte, r rune) int {
	switch {
	case r < 0x80:
		dst[0] = byte(r)
		return 1
	case r < 0x800:
		dst[0] = 0xC0 | byte(r>>6)
		dst[1] = 0x80 | byte(r)&0x3F
		return 2
	default:
		dst[0] = 0xE0 | byte(r>>12)
		dst[1] = 0x80 | byte(r>>6)&0x3F
		dst[2] = 0x80 | byte(r)&0x3F
		return 3
	}
}

// decodeUTF8 copies valid UTF-8 and replaces each invalid byte by U+FFFD,
// exactly as ranging over a Go string would.
func decodeUTF8(dst, src []byte, atEOF bool) (nDst, nSrc, bad int) {
	// Fast path: the whole chunk (minus a character cut at its end) is
	// valid, which utf8.Valid checks much faster than rune by rune.
	if n := min(len(src), len(dst)); n > 0 {
		k := n
		for j := n - 1; j >= 0 && j >= n-utf8.UTFMax; j-- {
			if utf8.RuneStart(src[j]) {
				if !utf8.FullRune(src[j:n]) {
					k = j
				}
				break
			}
		}
		if utf8.Valid(src[:k]) {
			copy(dst, src[:k])
			nDst, nSrc = k, k
		}
	}
	for nSrc < len(src) {
		// Copy the longest valid run that fits.
		s := src[nSrc:]
		if room := len(dst) - nDst; len(s) > room {
			s = s[:room]
		}
		i := 0
		for i < len(s) {
			if i+8 <= len(s) && binary.LittleEndian.Uint64(s[i:])&0x8080808080808080 == 0 {
				i += 8
				continue
			}
			if s[i] < utf8.RuneSelf {
				i++
				continue
			}
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		copy(dst[nDst:], s[:i])
		nDst += i
		nSrc += i
		if nSrc == len(src) {
			return
		}
		// Either dst is (nearly) full, or src[nSrc] starts something the
		// run could not take.
		r, size := utf8.DecodeRune(src[nSrc:])
		if r != utf8.RuneError || size != 1 {
			if len(dst)-nDst < size {
				return
			}
			nDst += copy(dst[nDst:], src[nSrc:nSrc+size])
			nSrc += size
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return
		}
		if len(dst)-nDst < replacementLen {
			return
		}
		nDst += putRune(dst[nDst:], utf8.RuneError)
		nSrc++
		bad++
	}
	return
}

// decodeUTF16 decodes UTF-16 (little- or big-endian) with surrogate pairs;
// unpaired surrogates and a final odd byte become U+FFFD.
func decodeUTF16(dst, src []byte, atEOF, bigEndian bool) (nDst, nSrc, bad int) {
	unit := func(i int) rune {
		if bigEndian {
			return rune(src[i])<<8 | rune(src[i+1])
		}
		return rune(src[i+1])<<8 | rune(src[i])
	}
	for len(dst)-nDst >= 4 {
		left := len(src) - nSrc
		if left < 2 {
			if left == 1 && atEOF {
				nDst += putRune(dst[nDst:], utf8.RuneError)
				nSrc++
				bad++
			}
			return
		}
		u := unit(nSrc)
		switch {
		case u < 0x80:
			dst[nDst] = byte(u)
			nDst++
			nSrc += 2
		case u < 0xD800 || u >= 0xE000:
			nDst += putRune(dst[nDst:], u)
			nSrc += 2
		case u < 0xDC00: // high surrogate: needs a low one next
			if left < 4 {
				if !atEOF {
					return
				}
				nDst += putRune(dst[nDst:], utf8.RuneError)
				nSrc += 2
				bad++
				continue
			}
			if u2 := unit(nSrc + 2); u2 >= 0xDC00 && u2 < 0xE000 {
				nDst += utf8.EncodeRune(dst[nDst:], 0x10000+(u-0xD800)<<10+(u2-0xDC00))
				nSrc += 4
				continue
			}
			nDst += putRune(dst[nDst:], utf8.RuneError)
			nSrc += 2
			bad++
		default: // lone low surrogate
			nDst += putRune(dst[nDst:], utf8.RuneError)
			nSrc += 2
			bad++
		}
	}
	return
}

// cp932Lead maps a CP932 lead byte to its row in the table plus one; zero
// means the byte does not start a two-byte character.
var cp932Lead = func() (t [256]uint8) {
	row := uint8(1)
	for c := 0x81; c <= 0xFC; c++ {
		if c <= 0x9F || c >= 0xE0 {
			t[c] = row
			row++
		}
	}
	return t
}()

const cp932Rows = 60 // 0x81–0x9F and 0xE0–0xFC

var (
	cp932Once  sync.Once
	cp932Table *[cp932Rows][256]uint32
)

// cp932Tab returns the two-byte table, built on first use by running every
// lead/trail pair through golang.org/x/text's ShiftJIS decoder, so the two
// cannot disagree (TestCP932MatchesXText checks every one- and two-byte
// sequence anyway). An entry holds the character's UTF-8 bytes in its low
// three bytes (little-endian, so one 4-byte store writes them) and their
// count in the top byte; zero means unmapped. All CP932 characters are in
// the BMP, so they take two or three bytes.
func cp932Tab() *[cp932Rows][256]uint32 {
	cp932Once.Do(func() {
		t := new([cp932Rows][256]uint32)
		dec := japanese.ShiftJIS.NewDecoder()
		src := make([]byte, 2)
		dst := make([]byte, 8)
		for lead := 0x81; lead <= 0xFC; lead++ {
			row := cp932Lead[lead]
			if row == 0 {
				continue
			}
			for trail := 0x40; trail <= 0xFC; trail++ {
				if trail == 0x7F {
					continue
				}
				src[0], src[1] = byte(lead), byte(trail)
				dec.Reset()
				nDst, nSrc, err := dec.Transform(dst, src, true)
				if err != nil || nSrc != 2 {
					continue
				}
				r, size := utf8.DecodeRune(dst[:nDst])
				if size != nDst || r == utf8.RuneError || size > 3 {
					continue
				}
				var e [4]byte
				copy(e[:], dst[:size])
				e[3] = byte(size)
				t[row-1][trail] = binary.LittleEndian.Uint32(e[:])
			}
		}
		cp932Table = t
	})
	return cp932Table
}

// decodeCP932 decodes Windows-31J byte for byte as x/text's ShiftJIS
// decoder does (same replacement rules), from a lookup table.
func decodeCP932(dst, src []byte, atEOF bool) (nDst, nSrc, bad int) {
	t := cp932Tab()
	for nSrc < len(src) {
		// ASCII run, eight bytes at a time while both sides have room.
		for nSrc+8 <= len(src) && nDst+8 <= len(dst) {
			x := binary.LittleEndian.Uint64(src[nSrc:])
			if x&0x8080808080808080 != 0 {
				break
			}
			binary.LittleEndian.PutUint64(dst[nDst:], x)
			nSrc += 8
			nDst += 8
		}
		for nSrc < len(src) && nDst < len(dst) && src[nSrc] < utf8.RuneSelf {
			dst[nDst] = src[nSrc]
			nDst++
			nSrc++
		}
		// Two-byte characters, the common case of Japanese text.
		for nSrc+1 < len(src) && nDst+4 <= len(dst) {
			row := cp932Lead[src[nSrc]]
			if row == 0 {
				break
			}
			e := t[row-1][src[nSrc+1]]
			if e == 0 {
				break
			}
			binary.LittleEndian.PutUint32(dst[nDst:], e)
			nDst += int(e >> 24)
			nSrc += 2
		}
		if nSrc == len(src) || len(dst)-nDst < replacementLen {
			return
		}
		c0 := src[nSrc]
		if c0 < utf8.RuneSelf {
			continue
		}
		var r rune
		size := 1
		switch {
		case c0 >= 0xA1 && c0 <= 0xDF: // half-width katakana
			r = rune(c0) + (0xFF61 - 0xA1)
		case c0 == 0x80:
			r = 0x80
		case cp932Lead[c0] != 0:
			if nSrc+1 >= len(src) {
				if !atEOF {
					return
				}
				r = utf8.RuneError
				break
			}
			c1 := src[nSrc+1]
			switch {
			case c1 < 0x40 || c1 == 0x7F:
				r = utf8.RuneError // the trail is ASCII: decode it on its own
			case c1 > 0xFC:
				r, size = utf8.RuneError, 2
			default:
				// Mapped pairs were handled above unless dst was short.
				if e := t[cp932Lead[c0]-1][c1]; e != 0 {
					for j := range int(e >> 24) {
						dst[nDst+j] = byte(e >> (8 * j))
					}
					nDst += int(e >> 24)
					nSrc += 2
					continue
				}
				r, size = utf8.RuneError, 2
			}
		default:
			r = utf8.RuneError
		}
		if r == utf8.RuneError {
			bad++
		}
		nDst += putRune(dst[nDst:], r)
		nSrc += size
	}
	return
}
