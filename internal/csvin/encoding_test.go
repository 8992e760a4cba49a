package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// decodeRef decodes a whole file with golang.org/x/text (or, for UTF-8,
// Go's own per-byte replacement), independently of the package's
// decoders, after removing the BOM the Reader removes.
func decodeRef(t testing.TB, in []byte, enc Encoding) string {
	t.Helper()
	var dec *encoding.Decoder
	switch enc {
	case UTF8, UTF8BOM:
		return string([]rune(string(bytes.TrimPrefix(in, bomUTF8))))
	case CP932:
		dec = japanese.ShiftJIS.NewDecoder()
	case UTF16LE:
		return refUTF16(bytes.TrimPrefix(in, bomUTF16LE), false)
	case UTF16BE:
		return refUTF16(bytes.TrimPrefix(in, bomUTF16BE), true)
	default:
		t.Fatalf("unknown encoding %q", enc)
	}
	out, err := dec.Bytes(in)
	if err != nil {
		t.Fatalf("reference decoder: %v", err)
	}
	return string(out)
}

// refUTF16 decodes UTF-16 with the standard library: each unpaired
// surrogate and a final odd byte become U+FFFD. (x/text's decoder merges a
// lone low surrogate with a following one into a single U+FFFD, so it is
// not used as the reference.)
func refUTF16(b []byte, bigEndian bool) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := string(utf16.Decode(units))
	if len(b)%2 == 1 {
		s += "\uFFFD"
	}
	return s
}

// encodeAs encodes UTF-8 text the way a system exporting enc would,
// including the BOM.
func encodeAs(t testing.TB, s string, enc Encoding) []byte {
	t.Helper()
	var e *encoding.Encoder
	switch enc {
	case UTF8:
		return []byte(s)
	case UTF8BOM:
		return append(slices.Clone(bomUTF8), s...)
	case CP932:
		e = japanese.ShiftJIS.NewEncoder()
	case UTF16LE:
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	case UTF16BE:
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder()
	}
	b, err := e.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %s: %v", enc, err)
	}
	return b
}

func TestDetectEncoding(t *testing.T) {
	sjis := encodeAs(t, "職員ID,氏名,所属\r\nS001,山田太郎,住民課\r\n", CP932)
	utf := []byte("職員ID,氏名,所属\r\nS001,山田太郎,住民課\r\n")
	cases := []struct {
		name string
		in   []byte
		want Encoding
	}{
		{"empty", nil, UTF8},
		{"ASCII", []byte("a,b\r\n1,2\r\n"), UTF8},
		{"UTF-8", utf, UTF8},
		{"UTF-8 BOM", append(slices.Clone(bomUTF8), utf...), UTF8BOM},
		{"UTF-8 BOM only", bomUTF8, UTF8BOM},
		{"UTF-16LE BOM", encodeAs(t, "a\tb\r\n", UTF16LE), UTF16LE},
		{"UTF-16BE BOM", encodeAs(t, "a\tb\r\n", UTF16BE), UTF16BE},
		{"UTF-16LE without BOM", encodeAs(t, "日時\t職員ID\r\n2024/04/01\tS001\r\n", UTF16LE)[2:], UTF16LE},
		{"UTF-16BE without BOM", encodeAs(t, "日時\t職員ID\r\n2024/04/01\tS001\r\n", UTF16BE)[2:], UTF16BE},
		{"CP932", sjis, CP932},
		{"CP932 half-width kana", encodeAs(t, "ｼｮｸｲﾝ,ｺｰﾄﾞ\r\n", CP932), CP932},
		{"CP932 cut after a lead byte", sjis[:bytes.IndexByte(sjis, ',')-1], CP932},
		{"UTF-8 cut inside the last character", utf[:len("職員ID,氏")+1], UTF8},
		{"UTF-8 cut one byte into the last character", utf[:len("職員ID,氏")+2], UTF8},
		{"UTF-8 with a stray invalid byte", append(bytes.Repeat(utf, 3), 0x81, 'x'), UTF8},
		{"mostly invalid is CP932", append([]byte("山田"), 0x82, 0xA0, 0x82, 0xA2, 0x82, 0xA4), CP932},
		{"NUL padding is not UTF-16", append([]byte("a,b\r\n"), make([]byte, 64)...), UTF8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectEncoding(tc.in); got != tc.want {
				t.Fatalf("DetectEncoding = %s, want %s", got, tc.want)
			}
		})
	}
	// A sample cut inside a character is invalid only if it is the whole file.
	if got := detect(utf[:len("職員ID,氏")+1], true); got != CP932 {
		t.Errorf("complete file ending in a broken character: %s, want CP932", got)
	}
}

func TestLabel(t *testing.T) {
	cases := map[Encoding]string{
		UTF8:    "UTF-8",
		UTF8BOM: "UTF-8 (BOM付き)",
		UTF16LE: "UTF-16LE (Unicode テキスト)",
		UTF16BE: "UTF-16BE",
		CP932:   "Shift_JIS (CP932)",
		"x":     "不明な文字コード (x)",
	}
	for e, want := range cases {
		if got := e.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", e, got, want)
		}
	}
}

// sample is a small access log with the characters that break naive
// Shift_JIS handling: ～ (CP932 maps 0x8160 to U+FF5E, not U+301C), －
// (0x817C, U+FF0D), NEC row 13 (①, ㈱, ㍻), NEC-selected IBM and IBM
// extensions (髙, 﨑, 纊, ⅰ), half-width kana, a quoted newline, a quoted
// delimiter and doubled quotes.
const sample = "日時,職員ID,氏名,所属,操作,備考\r\n" +
	"2024/04/01 09:00:00,S001,髙橋 一郎,住民課,照会,\"①～③を確認\"\r\n" +
	"2024/04/01 09:05:10,S002,山﨑 花子,税務課,出力,\"㈱山田商店－支店\r\n纊 ⅰ ㍻\"\r\n" +
	"2024/04/01 10:00:00,S003,ﾀﾅｶ ｼﾞﾛｳ,福祉課,\"照会,更新\",\"\"\"至急\"\"\"\r\n"

var sampleWant = [][]string{
	{"日時", "職員ID", "氏名", "所属", "操作", "備考"},
	{"2024/04/01 09:00:00", "S001", "髙橋 一郎", "住民課", "照会", "①～③を確認"},
	{"2024/04/01 09:05:10", "S002", "山﨑 花子", "税務課", "出力", "㈱山田商店－支店\r\n纊 ⅰ ㍻"},
	{"2024/04/01 10:00:00", "S003", "ﾀﾅｶ ｼﾞﾛｳ", "福祉課", "照会,更新", "\"至急\""},
}

func TestReadEachEncoding(t *testing.T) {
	for _, enc := range []Encoding{UTF8, UTF8BOM, CP932, UTF16LE, UTF16BE} {
		for _, comma := range []string{",", "\t"} {
			t.Run(string(enc)+"/"+map[string]string{",": "comma", "\t": "tab"}[comma], func(t *testing.T) {
				text := strings.ReplaceAll(sample, ",", comma)
				want := sampleWant
				if comma == "\t" {
					text = strings.ReplaceAll(strings.ReplaceAll(sample, ",", "\t"), "照会\t更新", "照会,更新")
				}
				in := encodeAs(t, text, enc)
				for _, sz := range bufSizes {
					cfg := Config{}
					if sz[0] < sniffSize {
						cfg.Encoding, cfg.Comma = enc, rune(comma[0])
					}
					r, err := newReader(bytes.NewReader(in), cfg, sz[0], sz[1])
					if err != nil {
						t.Fatal(err)
					}
					if r.Encoding() != enc {
						t.Fatalf("Encoding = %s, want %s", r.Encoding(), enc)
					}
					if sz[0] >= sniffSize && r.Comma() != rune(comma[0]) {
						t.Fatalf("Comma = %q, want %q", r.Comma(), comma)
					}
					var got [][]string
					lines := []int{}
					for {
						rec, err := r.Read()
						if err == io.EOF {
							break
						}
						if err != nil {
							t.Fatalf("buffers %v: %v", sz, err)
						}
						got = append(got, slices.Clone(rec.Fields))
						lines = append(lines, rec.Line)
					}
					if !slices.EqualFunc(got, want, slices.Equal) {
						t.Fatalf("buffers %v: got %q\nwant %q", sz, got, want)
					}
					if !slices.Equal(lines, []int{1, 2, 3, 5}) {
						t.Errorf("lines %v", lines)
					}
					if r.InvalidBytes() != 0 {
						t.Errorf("InvalidBytes = %d", r.InvalidBytes())
					}
				}
			})
		}
	}
}

// TestCP932Characters pins the mapping of the characters that differ
// between JIS and Microsoft's CP932 tables, independently of x/text.
func TestCP932Characters(t *testing.T) {
	cases := []struct {
		sjis []byte
		want rune
	}{
		{[]byte{0x81, 0x60}, '～'}, // U+FF5E, not the WAVE DASH U+301C
		{[]byte{0x81, 0x7C}, '－'}, // U+FF0D
		{[]byte{0x81, 0x5F}, '＼'}, // U+FF3C
		{[]byte{0x81, 0x91}, '￠'}, // U+FFE0
		{[]byte{0x81, 0xCA}, '￢'}, // U+FFE2
		{[]byte{0x87, 0x40}, '①'}, // NEC row 13
		{[]byte{0x87, 0x8A}, '㈱'},
		{[]byte{0x87, 0x8D}, '㍾'},
		{[]byte{0x87, 0x7E}, '㍻'},
		{[]byte{0xFB, 0xFC}, '髙'}, // IBM extension
		{[]byte{0xFA, 0xB1}, '﨑'}, // IBM extension, U+FA11
		{[]byte{0xFA, 0x5C}, '纊'},
		{[]byte{0xED, 0x40}, '纊'}, // NEC-selected IBM extension, same character
		{[]byte{0xEE, 0xEF}, 'ⅰ'},
		{[]byte{0xFA, 0x40}, 'ⅰ'},
		{[]byte{0x88, 0x9F}, '亜'},
		{[]byte{0xEA, 0xA4}, '熙'}, // last JIS X 0208 kanji
		{[]byte{0xB1}, 'ｱ'},
		{[]byte{0x5C}, '\\'}, // ASCII, not ¥
	}
	for _, tc := range cases {
		dst := make([]byte, 8)
		n, m, bad := decodeCP932(dst, tc.sjis, true)
		if r, _ := utf8.DecodeRune(dst[:n]); r != tc.want || m != len(tc.sjis) || bad != 0 {
			t.Errorf("% X → %q (%d bytes read, %d bad), want %q", tc.sjis, dst[:n], m, bad, tc.want)
		}
	}
}

// decodeChunked runs a decoder over src in pieces of the given sizes, with
// a dst of dstSize, as the Reader does.
func decodeChunked(dec func(dst, src []byte, atEOF bool) (int, int, int), src []byte, srcChunk, dstSize int) (string, int) {
	var out []byte
	dst := make([]byte, dstSize)
	bad := 0
	pending := []byte{}
	for len(src) > 0 || len(pending) > 0 {
		k := min(srcChunk, len(src))
		pending = append(pending, src[:k]...)
		src = src[k:]
		atEOF := len(src) == 0
		for {
			nDst, nSrc, b := dec(dst, pending, atEOF)
			out = append(out, dst[:nDst]...)
			pending = pending[nSrc:]
			bad += b
			if nDst == 0 && nSrc == 0 {
				break
			}
		}
		if atEOF {
			if len(pending) > 0 {
				panic("decoder left input at EOF")
			}
			break
		}
	}
	return string(out), bad
}

// TestCP932MatchesXText compares the table decoder with x/text's ShiftJIS
// decoder on every one- and two-byte sequence, each alone, followed by an
// ASCII byte and followed by a lead byte, then on random text cut into
// random chunks.
func TestCP932MatchesXText(t *testing.T) {
	ref := japanese.ShiftJIS.NewDecoder()
	dst := make([]byte, 32)
	for b0 := range 256 {
		for b1 := -1; b1 < 256; b1++ {
			seqs := [][]byte{{byte(b0)}}
			if b1 >= 0 {
				seqs = [][]byte{{byte(b0), byte(b1)}, {byte(b0), byte(b1), 'A'}, {byte(b0), byte(b1), 0x88}}
			}
			for _, seq := range seqs {
				want, err := ref.Bytes(seq)
				if err != nil {
					t.Fatal(err)
				}
				n, m, _ := decodeCP932(dst, seq, true)
				if m != len(seq) || string(dst[:n]) != string(want) {
					t.Fatalf("% X: got %q (%d of %d bytes), x/text %q", seq, dst[:n], m, len(seq), want)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		src := make([]byte, rng.IntN(400))
		for i := range src {
			switch rng.IntN(3) {
			case 0:
				src[i] = byte(rng.IntN(128))
			case 1:
				src[i] = byte(0x81 + rng.IntN(0x7C))
			default:
				src[i] = byte(rng.IntN(256))
			}
		}
		want, _ := ref.Bytes(src)
		got, bad := decodeChunked(decodeCP932, src, 1+rng.IntN(9), minRoom+rng.IntN(10))
		if got != string(want) {
			t.Fatalf("% X:\ngot  %q\nwant %q", src, got, want)
		}
		if wantBad := strings.Count(string(want), "\uFFFD"); bad != wantBad {
			t.Fatalf("bad = %d, want %d", bad, wantBad)
		}
	}
}

// TestUTF16MatchesStdlib compares the UTF-16 decoder with unicode/utf16
// on random input rich in surrogates and NULs, cut into random chunks.
func TestUTF16MatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, be := range []bool{false, true} {
		for range 2000 {
			src := make([]byte, rng.IntN(60))
			for i := range src {
				switch rng.IntN(4) {
				case 0:
					src[i] = byte(0xD8 + rng.IntN(8)) // surrogates
				case 1:
					src[i] = 0
				default:
					src[i] = byte(rng.IntN(256))
				}
			}
			want := refUTF16(src, be)
			dec := func(dst, src []byte, atEOF bool) (int, int, int) { return decodeUTF16(dst, src, atEOF, be) }
			got, bad := decodeChunked(dec, src, 1+rng.IntN(7), minRoom+rng.IntN(5))
			if got != want || bad != strings.Count(want, "\uFFFD") {
				t.Fatalf("big-endian %v, % X:\ngot  %q\nwant %q", be, src, got, want)
			}
		}
	}
}

func TestUTF8Sanitize(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", ",", "あ", "𠮷", "é", "\xE3\x81", "\xF0\x9F", "\x80", "\xFF", "\xED\xA0\x80", "abcdefghij"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(b.String())
		want := string([]rune(string(src)))
		got, bad := decodeChunked(decodeUTF8, src, 1+rng.IntN(20), minRoom+rng.IntN(20))
		if got != want {
			t.Fatalf("%q:\ngot  %q\nwant %q", src, got, want)
		}
		if utf8.ValidString(string(src)) != (bad == 0) {
			t.Fatalf("%q: bad = %d", src, bad)
		}
	}
}

// TestLateNonASCII reads files whose first 64 KiB are ASCII and whose
// Japanese text comes later, in UTF-8 and in CP932: the encoding decision
// waits for the first non-ASCII byte.
func TestLateNonASCII(t *testing.T) {
	var b strings.Builder
	b.WriteString("time,id,name\r\n")
	n := 1
	for b.Len() < rawBufSize+1000 { // NewReader's first read fills the raw buffer
		b.WriteString("2024/04/01 09:00:00,S001,yamada\r\n")
		n++
	}
	b.WriteString("2024/04/01 09:00:01,S002,髙橋～①\r\n2024/04/01 09:00:02,S003,ｱｲｳ\r\n")
	text := b.String()
	for _, enc := range []Encoding{UTF8, CP932} {
		t.Run(string(enc), func(t *testing.T) {
			in := encodeAs(t, text, enc)
			if !isASCII(in[:rawBufSize]) {
				t.Fatal("test data: head is not ASCII")
			}
			r, err := NewReader(bytes.NewReader(in), Config{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding() != UTF8 {
				t.Fatalf("before the first non-ASCII byte: %s", r.Encoding())
			}
			var last []string
			rows := 0
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				if rows == n+1 {
					last = slices.Clone(rec.Fields)
				}
			}
			if r.Encoding() != enc {
				t.Errorf("Encoding = %s, want %s", r.Encoding(), enc)
			}
			if want := []string{"2024/04/01 09:00:01", "S002", "髙橋～①"}; !slices.Equal(last, want) {
				t.Errorf("row %d = %q, want %q", n+1, last, want)
			}
			if rows != n+2 || r.InvalidBytes() != 0 {
				t.Errorf("%d rows (want %d), %d invalid bytes", rows, n+2, r.InvalidBytes())
			}
		})
	}
}

// isASCII reports whether b holds only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestHeadCutAtLeadByte: the sniffed head is ASCII up to a CP932 lead byte
// that could also start a UTF-8 sequence (ED), cut off by the buffer. That
// is no evidence for UTF-8; the decision must wait for the full character.
func TestHeadCutAtLeadByte(t *testing.T) {
	var b strings.Builder
	for b.Len() < rawBufSize-100 {
		b.WriteString("2024/04/01,S001\r\n")
	}
	b.WriteString(strings.Repeat("x", rawBufSize-1-b.Len()))
	b.WriteString("纊,髙\r\nS002,﨑\r\n")
	in := encodeAs(t, b.String(), CP932)
	if in[rawBufSize-1] != 0xED {
		t.Fatalf("test data: byte at the buffer end is %X", in[rawBufSize-1])
	}
	got, r := readAll(t, in, Config{}, rawBufSize, textBufSize)
	if r.Encoding() != CP932 || r.InvalidBytes() != 0 {
		t.Fatalf("Encoding %s, %d invalid bytes", r.Encoding(), r.InvalidBytes())
	}
	if last := got[len(got)-2:]; !slices.Equal(last, []string{
		fmt.Sprintf("L%d-%d %q", len(got)-1, len(got)-1, []string{strings.Repeat("x", rawBufSize-1-(len(got)-2)*len("2024/04/01,S001\r\n")) + "纊", "髙"}),
		fmt.Sprintf("L%d-%d %q", len(got), len(got), []string{"S002", "﨑"}),
	}) {
		t.Fatalf("last records %q", last)
	}
}

// TestForcedEncoding checks the user's override, including BOM removal.
func TestForcedEncoding(t *testing.T) {
	cases := []struct {
		name    string
		in      []byte
		force   Encoding
		want    Encoding
		field   string
		invalid int64
	}{
		{"CP932 read as UTF-8 counts invalid bytes", encodeAs(t, "山田\n", CP932), UTF8, UTF8, "\uFFFDR\uFFFDc", 2},
		{"UTF-8 forced keeps BOM detection", encodeAs(t, "山田\n", UTF8BOM), UTF8, UTF8BOM, "山田", 0},
		{"UTF-16LE forced strips its BOM", encodeAs(t, "山田\n", UTF16LE), UTF16LE, UTF16LE, "山田", 0},
		{"CP932 forced on ASCII", []byte("abc\n"), CP932, CP932, "abc", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tc.in), Config{Encoding: tc.force})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.Read()
			if err != nil || len(rec.Fields) != 1 || rec.Fields[0] != tc.field {
				t.Fatalf("got %q, %v; want %q", rec.Fields, err, tc.field)
			}
			if r.Encoding() != tc.want || r.InvalidBytes() != tc.invalid {
				t.Errorf("Encoding %s, invalid %d; want %s, %d", r.Encoding(), r.InvalidBytes(), tc.want, tc.invalid)
			}
		})
	}
}

// TestUTF16NUL: U+0000 in a UTF-16 file is a NUL byte after decoding and
// rejects its record like any NUL.
func TestUTF16NUL(t *testing.T) {
	in := encodeAs(t, "a\tb\r\nc\x00\td\r\ne\tf\r\n", UTF16LE)
	got, _ := readAll(t, in, Config{}, rawBufSize, textBufSize)
	want := []string{`L1-1 ["a" "b"]`, `L2-2 ERR 2:2:1 nul raw="c\x00\td"`, `L3-3 ["e" "f"]`}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	var pe *ParseError
	r, _ := NewReader(bytes.NewReader(in), Config{})
	r.Read()
	if _, err := r.Read(); !errors.As(err, &pe) || !errors.Is(err, ErrNUL) {
		t.Fatalf("got %v", err)
	}
}
