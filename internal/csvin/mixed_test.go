package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// mixedHeader and mixedRow build the files of TestMixedEncoding: a log
// whose rows are UTF-8 except those given in CP932, as a town's file looks
// after one row was edited in Excel and saved in another encoding.
const mixedHeader = "操作日時,職員ID,氏名,端末,機能\r\n"

func mixedRow(i int) string {
	return fmt.Sprintf("2024/04/01 09:%02d:%02d,S%03d,髙橋 一郎,PC-%02d,住民票照会\r\n", i/60%60, i%60, i, i%100)
}

// mixedFile returns header and rows 1..n, each in UTF-8 or, for the rows
// in cp932Rows, in CP932; with asciiHead the header and the first rows
// are ASCII only and fill more than the sniffed head. It returns the
// bytes and the physical line of every row, by row number.
func mixedFile(t *testing.T, n int, cp932Rows []int, allCP932, asciiHead bool) ([]byte, map[int]int) {
	t.Helper()
	var b bytes.Buffer
	enc := UTF8
	if allCP932 {
		enc = CP932
	}
	lines := map[int]int{}
	line := 1
	if asciiHead {
		b.WriteString("time,staff,name,terminal,function\r\n")
		for b.Len() < rawBufSize+100 {
			b.WriteString("2024/04/01 08:00:00,S000,yamada,PC-00,login\r\n")
			line++
		}
	} else {
		b.Write(encodeAs(t, mixedHeader, enc))
	}
	for i := 1; i <= n; i++ {
		line++
		lines[i] = line
		e := enc
		if slices.Contains(cp932Rows, i) {
			e = CP932
		}
		b.Write(encodeAs(t, mixedRow(i), e))
	}
	return b.Bytes(), lines
}

// TestMixedEncoding: the encoding follows the evidence of the whole
// sample, and a row that is not valid in the chosen encoding is rejected
// with its line and column (never returned as U+FFFD text), whatever the
// buffer sizes.
func TestMixedEncoding(t *testing.T) {
	// Rows far enough down that they lie beyond the sniffed 64 KiB.
	late := rawBufSize/len(mixedRow(999)) + 50
	cases := []struct {
		name      string
		n         int
		cp932Rows []int // rows written in CP932 in a UTF-8 file
		allCP932  bool
		asciiHead bool
		want      Encoding
		rejected  []int // rows rejected for their encoding
	}{
		{name: "pure UTF-8", n: 20, want: UTF8},
		{name: "pure CP932", n: 20, allCP932: true, want: CP932},
		{name: "UTF-8 with one CP932 row", n: 20, cp932Rows: []int{7}, want: UTF8, rejected: []int{7}},
		{name: "UTF-8 with a CP932 first row", n: 20, cp932Rows: []int{1}, want: UTF8, rejected: []int{1}},
		{name: "UTF-8 with a few CP932 rows", n: 30, cp932Rows: []int{3, 4, 17}, want: UTF8, rejected: []int{3, 4, 17}},
		{name: "UTF-8 header and a single CP932 row", n: 1, cp932Rows: []int{1}, want: UTF8, rejected: []int{1}},
		{name: "UTF-8 with a CP932 row after 64 KiB", n: late + 5, cp932Rows: []int{late}, want: UTF8, rejected: []int{late}},
		{name: "CP932 with ASCII-only first 64 KiB", n: 20, allCP932: true, asciiHead: true, want: CP932},
		{name: "UTF-8 with ASCII-only first 64 KiB and a CP932 row", n: 40, cp932Rows: []int{30}, asciiHead: true, want: UTF8, rejected: []int{30}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, lines := mixedFile(t, tc.n, tc.cp932Rows, tc.allCP932, tc.asciiHead)
			rowAt := map[int]int{}
			for row, line := range lines {
				rowAt[line] = row
			}
			r, err := NewReader(bytes.NewReader(in), Config{})
			if err != nil {
				t.Fatal(err)
			}
			var rejected []int
			rows := 0
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				var pe *ParseError
				switch {
				case errors.As(err, &pe):
					if !errors.Is(err, ErrInvalidEncoding) {
						t.Fatalf("line %d: %v", rec.Line, err)
					}
					rejected = append(rejected, rowAt[rec.Line])
					if pe.Line != rec.Line || pe.Column != 3 {
						t.Errorf("line %d: error at line %d column %d, want line %d column 3", rec.Line, pe.Line, pe.Column, rec.Line)
					}
					msg := err.Error()
					for _, want := range []string{fmt.Sprintf("%d行目", rec.Line), "文字コードが他の行と異なります", tc.want.Label()} {
						if !strings.Contains(pe.Err.Error(), want) {
							t.Errorf("line %d: reason %q does not say %q", rec.Line, pe.Err.Error(), want)
						}
					}
					if !strings.HasPrefix(msg, fmt.Sprintf("%d行目 3列目: ", rec.Line)) {
						t.Errorf("message %q", msg)
					}
					if rec.Fields != nil || !strings.Contains(rec.Raw, "\uFFFD") {
						t.Errorf("rejected record: fields %q, raw %q", rec.Fields, rec.Raw)
					}
				case err != nil:
					t.Fatal(err)
				default:
					rows++
					if strings.Contains(rec.Raw, "\uFFFD") {
						t.Errorf("line %d returned with U+FFFD: %q", rec.Line, rec.Raw)
					}
					if rec.Line >= lines[1] && rec.Fields[2] != "髙橋 一郎" {
						t.Errorf("line %d: name %q", rec.Line, rec.Fields[2])
					}
				}
			}
			if r.Encoding() != tc.want {
				t.Errorf("Encoding = %s, want %s", r.Encoding(), tc.want)
			}
			if !slices.Equal(rejected, tc.rejected) {
				t.Errorf("rejected rows %v, want %v", rejected, tc.rejected)
			}
			if want := lines[tc.n] - len(tc.rejected); rows != want {
				t.Errorf("%d records returned, want %d", rows, want)
			}
			if (r.InvalidBytes() > 0) != (len(tc.rejected) > 0) {
				t.Errorf("InvalidBytes = %d with %d rows rejected", r.InvalidBytes(), len(tc.rejected))
			}

			// The same through tiny buffers, with readAll's accounting
			// checks: every line is still covered exactly once.
			if len(in) < 8<<10 {
				small, _ := readAll(t, in, Config{}, 5, 33)
				var bad []string
				for _, s := range small {
					if strings.Contains(s, " ERR ") {
						bad = append(bad, s[:strings.IndexByte(s, ' ')])
					}
				}
				var want []string
				for _, row := range tc.rejected {
					want = append(want, fmt.Sprintf("L%d-%d", lines[row], lines[row]))
				}
				if !slices.Equal(bad, want) {
					t.Errorf("small buffers: errors at %v, want %v", bad, want)
				}
			}
		})
	}
}

// TestInvalidBytesPosition: the error names the physical line and the
// field of the first bad byte, also inside a multi-line quoted field and
// a field unescaped from doubled quotes.
func TestInvalidBytesPosition(t *testing.T) {
	head := strings.Repeat("職員ID,氏名,備考\r\nS001,山田,特になし\r\n", 20)
	base := strings.Count(head, "\r\n")
	cases := []struct {
		name string
		tail string
		want string
	}{
		{"plain field", "S002,\x8E\x52\x93\x63,x\r\n", fmt.Sprintf("L%d-%d ERR %d:%d:2 encoding", base+1, base+1, base+1, base+1)},
		{"second line of a quoted field", "S002,山田,\"一行目\r\n二行目\x82\xA0\"\r\n", fmt.Sprintf("L%d-%d ERR %d:%d:3 encoding", base+1, base+2, base+1, base+2)},
		{"doubled quotes", "S002,\"\"\"\x82\xA0\"\"\",x\r\n", fmt.Sprintf("L%d-%d ERR %d:%d:2 encoding", base+1, base+1, base+1, base+1)},
		{"cut at the end of the file", "S002,山田,\xE7\x85", fmt.Sprintf("L%d-%d ERR %d:%d:3 encoding", base+1, base+1, base+1, base+1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(head + tc.tail + "S003,佐藤,なし\r\n")
			if strings.HasPrefix(tc.name, "cut") {
				in = []byte(head + tc.tail)
			}
			for _, sz := range [][2]int{{rawBufSize, textBufSize}, {16, 32}, {1, 2}} {
				out, r := readAll(t, in, Config{}, sz[0], sz[1])
				if r.Encoding() != UTF8 {
					t.Fatalf("Encoding = %s", r.Encoding())
				}
				got := out[base]
				if !strings.HasPrefix(got, tc.want+" raw=") {
					t.Errorf("buffers %v: record %q, want %q", sz, got, tc.want)
				}
			}
		})
	}
}

// TestForcedEncodingNotRejected: a forced encoding is the user's decision;
// its undecodable bytes are counted, not rejected, so that a user can
// still look at a damaged file's rows.
func TestForcedEncodingNotRejected(t *testing.T) {
	in := []byte("職員ID,氏名\r\nS001,\x8E\x52\x93\x63\r\n")
	out, r := readAll(t, in, Config{Encoding: UTF8}, rawBufSize, textBufSize)
	if want := []string{`L1-1 ["職員ID" "氏名"]`, "L2-2 [\"S001\" \"\uFFFDR\uFFFDc\"]"}; !slices.Equal(out, want) {
		t.Errorf("got %q, want %q", out, want)
	}
	if r.InvalidBytes() != 2 {
		t.Errorf("InvalidBytes = %d", r.InvalidBytes())
	}
}

// TestDetectMixed: DetectEncoding on samples whose lines disagree, among
// them the hostile corpus's files.
func TestDetectMixed(t *testing.T) {
	utfHeader := "操作日時,職員ID,氏名,端末,機能\r\n"
	sjisRow := func(i int) []byte { return encodeAs(t, mixedRow(i), CP932) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	var manySJIS [][]byte
	for i := range 10 {
		manySJIS = append(manySJIS, sjisRow(i))
	}
	cases := []struct {
		name string
		in   []byte
		want Encoding
	}{
		{"UTF-8 header, one CP932 row", cat([]byte(utfHeader), sjisRow(1)), UTF8},
		{"UTF-8 header, CP932 row between UTF-8 rows", cat([]byte(utfHeader), []byte(mixedRow(1)), sjisRow(2), []byte(mixedRow(3))), UTF8},
		{"UTF-8 header over many CP932 rows", cat(append([][]byte{[]byte(utfHeader)}, manySJIS...)...), CP932},
		{"CP932 header, one UTF-8 row", cat(encodeAs(t, utfHeader, CP932), []byte(mixedRow(1))), CP932},
		{"CP932 with a header of one valid UTF-8 character", cat([]byte("\u00e9,x\r\n"), sjisRow(1), sjisRow(2)), CP932},
		{"half-width kana that pair into UTF-8", encodeAs(t, "ﾃｽﾄ,ﾃｽ\r\nｱｲｳ,ﾃｽﾃｽ\r\nﾃｽﾃｽ\r\n", CP932), CP932},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectEncoding(tc.in); got != tc.want {
				t.Errorf("DetectEncoding = %s, want %s", got, tc.want)
			}
		})
	}
	for file, want := range map[string]Encoding{
		"invalid_utf8.csv":    UTF8,  // UTF-8, one row of bytes valid nowhere
		"truncated_utf8.csv":  UTF8,  // UTF-8, characters cut in two rows
		"mixed_sjis_utf8.csv": CP932, // CP932 header and row, one UTF-8 row
		"truncated_sjis.csv":  CP932,
	} {
		in, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", file))
		if err != nil {
			t.Fatal(err)
		}
		if got := detect(in, true); got != want {
			t.Errorf("%s: %s, want %s", file, got, want)
		}
	}
}

// TestDetectRandomCP932: random CP932 logs, from one line up, of kanji,
// hiragana and half-width katakana (whose byte pairs are the ones most
// often valid UTF-8 by chance), are never taken for UTF-8 unless they are
// valid UTF-8 throughout; the same texts
// in UTF-8 with one line in CP932 are taken for UTF-8 when they have a
// header and at least as many good lines as bad.
func TestDetectRandomCP932(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"山田太郎佐藤花子髙橋渡邉住民票照会税額宛名検索帳票出力", "あいうえおかきくけこさしすせそ", "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾞﾟｰ", "ＡＢＣ①②③～－"}
	word := func() string {
		a := []rune(alphabets[rng.IntN(len(alphabets))])
		w := make([]rune, 1+rng.IntN(8))
		for i := range w {
			w[i] = a[rng.IntN(len(a))]
		}
		return string(w)
	}
	line := func() string {
		fields := make([]string, 1+rng.IntN(6))
		for i := range fields {
			fields[i] = word()
			if rng.IntN(3) == 0 {
				fields[i] = fmt.Sprintf("S%03d", rng.IntN(1000))
			}
		}
		return strings.Join(fields, ",") + "\r\n"
	}
	for i := range 3000 {
		var text strings.Builder
		n := 1 + rng.IntN(40)
		lines := make([]string, n)
		for j := range lines {
			lines[j] = line()
			text.WriteString(lines[j])
		}
		sjis := encodeAs(t, text.String(), CP932)
		// A text of a few half-width kana can be valid UTF-8 as a whole
		// ("ﾃｷ" is C3 B7, "÷"): nothing tells that apart.
		if got := detect(sjis, true); got != CP932 && !utf8.Valid(sjis) {
			t.Fatalf("case %d: CP932 text %q detected as %s", i, text.String(), got)
		}
		if n < 2 {
			continue
		}
		// One line of the UTF-8 version in CP932, after a header.
		header := "操作日時,職員ID,氏名,端末,機能\r\n"
		bad := rng.IntN(n)
		var mixed []byte
		mixed = append(mixed, header...)
		for j, l := range lines {
			if j == bad {
				mixed = append(mixed, encodeAs(t, l, CP932)...)
			} else {
				mixed = append(mixed, l...)
			}
		}
		if got := detect(mixed, true); got != UTF8 {
			t.Fatalf("case %d: UTF-8 text with line %d in CP932 detected as %s: %q", i, bad+2, got, mixed)
		}
	}
}
