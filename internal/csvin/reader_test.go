package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// bufSizes are the (raw, decoded) buffer sizes every parsing case is run
// with, so that each position of a quote, CR, LF or multi-byte character
// relative to a buffer boundary is exercised.
var bufSizes = [][2]int{{rawBufSize, textBufSize}, {16, 32}, {5, 33}, {7, 41}, {64, 64}, {1, 2}}

// result renders one Read result compactly for comparison.
func result(rec Record, err error) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("L%d-%d ERR %d:%d:%d %s raw=%q", rec.Line, rec.EndLine, pe.StartLine, pe.Line, pe.Column, errName(pe.Err), rec.Raw)
	}
	if err != nil {
		return "error " + err.Error()
	}
	if rec.Blank() {
		return fmt.Sprintf("L%d-%d blank", rec.Line, rec.EndLine)
	}
	s := fmt.Sprintf("L%d-%d %q", rec.Line, rec.EndLine, rec.Fields)
	if rec.Quirks != 0 {
		s += fmt.Sprintf(" q%d", rec.Quirks)
	}
	return s
}

// errName names the sentinel behind a ParseError.
func errName(err error) string {
	for name, e := range map[string]error{
		"unclosed": ErrUnclosedQuote, "fieldlen": ErrFieldTooLong, "reclen": ErrRecordTooLong,
		"fields": ErrTooManyFields, "nul": ErrNUL, "encoding": ErrInvalidEncoding,
	} {
		if errors.Is(err, e) {
			return name
		}
	}
	return "?" + err.Error()
}

// readAll reads every record of in, checking the invariants that hold for
// any input (see checkAccounting), and returns the rendered results.
func readAll(t testing.TB, in []byte, cfg Config, rawSize, bufSize int) ([]string, *Reader) {
	t.Helper()
	r, err := newReader(bytes.NewReader(in), cfg, rawSize, bufSize)
	if err != nil {
		t.Fatalf("newReader: %v", err)
	}
	var out []string
	var recs []Record
	for n := 0; ; n++ {
		if n > len(in)+2 {
			t.Fatalf("more records than input bytes: %q", out)
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("Read: %v", err)
		}
		if pe != nil && (pe.StartLine != rec.Line || pe.Line < rec.Line || pe.Line > rec.EndLine) {
			t.Errorf("error position %d:%d outside record %d-%d", pe.StartLine, pe.Line, rec.Line, rec.EndLine)
		}
		rec.Fields = slices.Clone(rec.Fields)
		recs = append(recs, rec)
		out = append(out, result(rec, err))
		checkBounded(t, r)
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("Read after EOF: %v", err)
	}
	if got := r.BytesRead(); got != int64(len(in)) {
		t.Errorf("BytesRead = %d, want %d", got, len(in))
	}
	checkAccounting(t, decodeRef(t, in, r.Encoding()), recs)
	return out, r
}

// checkBounded asserts that the reader's buffers stay within the limits.
func checkBounded(t testing.TB, r *Reader) {
	t.Helper()
	limit := r.maxRecd + 2*r.bufSize + 2*minRoom + RawLimit
	if cap(r.rec) > 2*limit || len(r.buf) > 2*limit || cap(r.esc) > 2*limit {
		t.Fatalf("buffers grew past the limits: rec %d, esc %d, buf %d (limit %d)", cap(r.rec), cap(r.esc), len(r.buf), limit)
	}
}

// checkAccounting asserts that the records cover the decoded text exactly:
// line numbers are consecutive, and each record's Raw followed by one
// newline is the next piece of the text (a truncated Raw is a prefix of it,
// and the record's line count says where the next begins).
func checkAccounting(t testing.TB, text string, recs []Record) {
	t.Helper()
	line := 1
	pos := 0
	textBytes := []byte(text)
	for i, rec := range recs {
		if rec.Line != line || rec.EndLine < rec.Line {
			t.Fatalf("record %d covers lines %d-%d, want to start at %d", i, rec.Line, rec.EndLine, line)
		}
		if !strings.HasPrefix(text[pos:], rec.Raw) {
			t.Fatalf("record %d (line %d): Raw %q is not the text at offset %d: %q", i, rec.Line, rec.Raw, pos, clip(text[pos:]))
		}
		if rec.RawTruncated {
			// Skip to the end of the record's last line.
			for l := rec.Line; l <= rec.EndLine; l++ {
				k := indexNewline(textBytes[pos:])
				if k < 0 {
					pos = len(text)
					break
				}
				pos += k
				pos += newlineLen(text[pos:])
			}
		} else {
			pos += len(rec.Raw)
			if got := strings.Count(strings.ReplaceAll(rec.Raw, "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(rec.Raw, "\r\n", "\n"), "\r"); got != rec.EndLine-rec.Line {
				t.Fatalf("record %d: Raw %q holds %d newlines, lines %d-%d", i, rec.Raw, got, rec.Line, rec.EndLine)
			}
			if pos < len(text) {
				n := newlineLen(text[pos:])
				if n == 0 {
					t.Fatalf("record %d (line %d): Raw %q is not followed by a newline but %q", i, rec.Line, rec.Raw, clip(text[pos:]))
				}
				pos += n
			}
		}
		line = rec.EndLine + 1
	}
	if pos != len(text) {
		t.Fatalf("records end at offset %d of %d; unaccounted: %q", pos, len(text), clip(text[pos:]))
	}
}

func newlineLen(s string) int {
	switch {
	case strings.HasPrefix(s, "\r\n"):
		return 2
	case strings.HasPrefix(s, "\n"), strings.HasPrefix(s, "\r"):
		return 1
	}
	return 0
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

func TestRead(t *testing.T) {
	small := Config{MaxFieldBytes: 8, MaxFields: 3, MaxRecordBytes: 20}
	cases := []struct {
		name string
		in   string
		cfg  Config
		want []string
	}{
		{"simple LF", "a,b,c\n1,2,3\n", Config{},
			[]string{`L1-1 ["a" "b" "c"]`, `L2-2 ["1" "2" "3"]`}},
		{"CRLF, no final newline", "a,b\r\n1,2", Config{},
			[]string{`L1-1 ["a" "b"]`, `L2-2 ["1" "2"]`}},
		{"CR only", "a,b\r1,2\r\r3,4\r", Config{},
			[]string{`L1-1 ["a" "b"]`, `L2-2 ["1" "2"]`, `L3-3 blank`, `L4-4 ["3" "4"]`}},
		{"mixed newlines", "a\r\nb\nc\rd\n\re", Config{Comma: ','},
			[]string{`L1-1 ["a"]`, `L2-2 ["b"]`, `L3-3 ["c"]`, `L4-4 ["d"]`, `L5-5 blank`, `L6-6 ["e"]`}},
		{"blank lines are records", "\n\na,b\n\n \nc,d\n\n", Config{},
			[]string{`L1-1 blank`, `L2-2 blank`, `L3-3 ["a" "b"]`, `L4-4 blank`, `L5-5 [" "]`, `L6-6 ["c" "d"]`, `L7-7 blank`}},
		{"quoted delimiter and newlines", "id,memo\n1,\"a,b\nc\r\nd\"\n2,\"x\"\n", Config{},
			[]string{`L1-1 ["id" "memo"]`, "L2-4 [\"1\" \"a,b\\nc\\r\\nd\"]", `L5-5 ["2" "x"]`}},
		{"doubled quotes", `"he said ""hi""","""",""` + "\n" + `"""a""b"` + "\n", Config{},
			[]string{`L1-1 ["he said \"hi\"" "\"" ""]`, `L2-2 ["\"a\"b"]`}},
		{"empty and trailing fields", "a,,c,,\n,,\n,\n\"\"\n", Config{},
			[]string{`L1-1 ["a" "" "c" "" ""]`, `L2-2 ["" "" ""]`, `L3-3 ["" ""]`, `L4-4 [""]`}},
		{"delimiter at EOF", "a,", Config{},
			[]string{`L1-1 ["a" ""]`}},
		{"ragged rows", "a,b,c\n1\n1,2,3,4\n", Config{},
			[]string{`L1-1 ["a" "b" "c"]`, `L2-2 ["1"]`, `L3-3 ["1" "2" "3" "4"]`}},
		{"stray quote kept", "27\"モニタ,x\"y\"\na,b\n", Config{},
			[]string{`L1-1 ["27\"モニタ" "x\"y\""] q1`, `L2-2 ["a" "b"]`}},
		{"text after closing quote", "\"abc\"def,g\n\"a\"\"b\"c\"d,e\n\"x\" ,y\n", Config{},
			[]string{`L1-1 ["abc\"def" "g"] q2`, `L2-2 ["a\"b\"c\"d" "e"] q3`, `L3-3 ["x\" " "y"] q2`}},
		{"unescaped quotes do not swallow lines", "1,\"He said \"hi\" ok\",z\n2,b,c\n", Config{},
			[]string{`L1-1 ["1" "He said \"hi\" ok\"" "z"] q3`, `L2-2 ["2" "b" "c"]`}},
		{"closing quote at EOF", "a,\"b\"", Config{},
			[]string{`L1-1 ["a" "b"]`}},
		{"closing quote then CR at EOF", "a,\"b\"\r", Config{},
			[]string{`L1-1 ["a" "b"]`}},
		{"closing quote then CR then text", "\"a\"\rb", Config{Comma: ','},
			[]string{`L1-1 ["a"]`, `L2-2 ["b"]`}},
		{"unclosed quote resynchronises", "a,b\n1,\"open\n2,x\n3,y\n", Config{},
			[]string{`L1-1 ["a" "b"]`, `L2-2 ERR 2:2:2 unclosed raw="1,\"open"`, `L3-3 ["2" "x"]`, `L4-4 ["3" "y"]`}},
		{"unclosed quote with CRLF", "1,\"open\r\n2,x\r\n", Config{},
			[]string{`L1-1 ERR 1:1:2 unclosed raw="1,\"open"`, `L2-2 ["2" "x"]`}},
		{"unclosed quote after a quoted newline", "1,\"a\nb\",\"c\nd\ne,f\n", Config{},
			[]string{`L1-2 ERR 1:2:3 unclosed raw="1,\"a\nb\",\"c"`, `L3-3 ["d"]`, `L4-4 ["e" "f"]`}},
		{"unclosed quote on the last line", "a\n\"open", Config{},
			[]string{`L1-1 ["a"]`, `L2-2 ERR 2:2:1 unclosed raw="\"open"`}},
		{"unclosed quote whose line ends the file", "\"open\n", Config{},
			[]string{`L1-1 ERR 1:1:1 unclosed raw="\"open"`}},
		{"problems after an unclosed quote's line are reported on their own", "\"\n\x00", small,
			[]string{`L1-1 ERR 1:1:1 unclosed raw="\""`, `L2-2 ERR 2:2:1 nul raw="\x00"`}},
		{"NUL is an error for its record only", "a,b\x00c\n\"x\x00\",y\n1,2\n", Config{},
			[]string{`L1-1 ERR 1:1:2 nul raw="a,b\x00c"`, `L2-2 ERR 2:2:1 nul raw="\"x\x00\",y"`, `L3-3 ["1" "2"]`}},
		{"too many fields", "1,2,3\n1,2,3,4,5\n\"a\",\"b\",\"c\",\"d\"\n1,2\n", small,
			[]string{`L1-1 ["1" "2" "3"]`, `L2-2 ERR 2:2:4 fields raw="1,2,3,4,5"`, `L3-3 ERR 3:3:4 fields raw="\"a\",\"b\",\"c\",\"d\""`, `L4-4 ["1" "2"]`}},
		{"too many fields at end of line", "1,2,3,\n\"1\",2,3,\"\"\nok\n", small,
			[]string{`L1-1 ERR 1:1:4 fields raw="1,2,3,"`, `L2-2 ERR 2:2:4 fields raw="\"1\",2,3,\"\""`, `L3-3 ["ok"]`}},
		{"field too long", "12345678,x\n123456789,x\nok\n", small,
			[]string{`L1-1 ["12345678" "x"]`, `L2-2 ERR 2:2:1 fieldlen raw="123456789,x"`, `L3-3 ["ok"]`}},
		{"record too long", "1234567,1234567,12\n1234567,1234567,12345\nok", small,
			[]string{`L1-1 ["1234567" "1234567" "12"]`, `L2-2 ERR 2:2:3 reclen raw="1234567,1234567,12345"`, `L3-3 ["ok"]`}},
		{"quoted field within limit spans lines", "\"12\n4\n67\",x\n", small,
			[]string{"L1-3 [\"12\\n4\\n67\" \"x\"]"}},
		{"quoted field too long resynchronises", "\"12\n456789\n1,2\n", small,
			[]string{`L1-1 ERR 1:1:1 fieldlen raw="\"12"`, `L2-2 ["456789"]`, `L3-3 ["1" "2"]`}},
		{"quoted field too long on its own line", "x,\"123456789abc\nok\n", small,
			[]string{`L1-1 ERR 1:1:2 fieldlen raw="x,\"123456789abc"`, `L2-2 ["ok"]`}},
		{"quoted newlines count against the limit", "\"" + strings.Repeat("\n", 10) + "x\n", small,
			append(append([]string{`L1-1 ERR 1:1:1 fieldlen raw="\""`}, blanks(2, 10)...), `L11-11 ["x"]`)},
		{"doubled quotes count against the limit", "\"" + strings.Repeat(`""`, 6) + "\"\nok\n", small,
			[]string{fmt.Sprintf("L1-1 ERR 1:1:1 fieldlen raw=%q", strings.Repeat(`"`, 14)), `L2-2 ["ok"]`}},
		{"stray quotes count against the limit", "a" + strings.Repeat(`"`, 10) + ",b\nok\n", small,
			[]string{`L1-1 ERR 1:1:1 fieldlen raw="a\"\"\"\"\"\"\"\"\"\",b"`, `L2-2 ["ok"]`}},
		{"tab sniffed", "a\tb,c\td\n1\t2,3\t4\n", Config{},
			[]string{`L1-1 ["a" "b,c" "d"]`, `L2-2 ["1" "2,3" "4"]`}},
		{"semicolon sniffed", "a;b;c\n\"1;2\";2,5;3\n", Config{},
			[]string{`L1-1 ["a" "b" "c"]`, `L2-2 ["1;2" "2,5" "3"]`}},
		{"configured delimiter", "a|b,c\n", Config{Comma: '|'},
			[]string{`L1-1 ["a" "b,c"]`}},
		{"UTF-8 BOM stripped", "\uFEFF職員ID,氏名\r\nS001,山田\r\n", Config{},
			[]string{`L1-1 ["職員ID" "氏名"]`, `L2-2 ["S001" "山田"]`}},
		{"empty input", "", Config{}, nil},
		{"only a newline", "\r\n", Config{}, []string{`L1-1 blank`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, r := readAll(t, []byte(tc.in), tc.cfg, rawBufSize, textBufSize)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
			// Same results whatever the buffer boundaries.
			cfg := tc.cfg
			cfg.Comma, cfg.Encoding = r.Comma(), r.Encoding()
			for _, sz := range bufSizes[1:] {
				if got, _ := readAll(t, []byte(tc.in), cfg, sz[0], sz[1]); !slices.Equal(got, tc.want) {
					t.Fatalf("buffers %v: got\n\t%s\nwant\n\t%s", sz, strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
				}
			}
		})
	}
}

// blanks renders the blank records of lines from..to.
func blanks(from, to int) []string {
	var out []string
	for l := from; l <= to; l++ {
		out = append(out, fmt.Sprintf("L%d-%d blank", l, l))
	}
	return out
}

func TestParseErrorMessage(t *testing.T) {
	cases := []struct {
		err  *ParseError
		want string
	}{
		{&ParseError{StartLine: 3, Line: 3, Column: 2, Err: ErrUnclosedQuote}, `3行目 2列目: 引用符（"）が閉じられていません。`},
		{&ParseError{StartLine: 3, Line: 5, Column: 4, Err: ErrNUL}, `3行目から始まる行の5行目 4列目: NUL 文字（0x00）が含まれています。バイナリファイルか、文字コードの判定誤りの可能性があります。`},
		{&ParseError{StartLine: 7, Line: 7, Err: ErrRecordTooLong}, `7行目: 行が長すぎます。`},
		{&ParseError{StartLine: 1, Line: 1, Column: 1, Err: &limitError{err: ErrFieldTooLong, limit: 8, unit: "バイト", hint: "引用符（\"）が閉じられていない可能性があります。"}},
			`1行目 1列目: 項目が長すぎます（上限 8 バイト）。引用符（"）が閉じられていない可能性があります。`},
		{&ParseError{StartLine: 2, Line: 2, Column: 4, Err: &limitError{err: ErrTooManyFields, limit: 3, unit: "列"}}, `2行目 4列目: 項目（列）の数が多すぎます（上限 3 列）。`},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		if !errors.Is(tc.err, errors.Unwrap(tc.err)) || errors.Unwrap(tc.err) == nil {
			t.Errorf("%v does not unwrap to its cause", tc.err)
		}
	}
	if !errors.Is(&ParseError{Err: &limitError{err: ErrFieldTooLong}}, ErrFieldTooLong) {
		t.Error("limit errors must match their sentinel")
	}
}

func TestRawTruncated(t *testing.T) {
	long := strings.Repeat("あ", RawLimit) // 3 bytes each: the cut falls inside a character
	in := "id,memo\n1," + long + "\n2,x\n"
	r, err := NewReader(strings.NewReader(in), Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.Read()
	rec, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields[1] != long {
		t.Errorf("field holds %d bytes, want %d", len(rec.Fields[1]), len(long))
	}
	if !rec.RawTruncated || len(rec.Raw) > RawLimit || len(rec.Raw) < RawLimit-3 || !strings.HasPrefix("1,"+long, rec.Raw) {
		t.Errorf("Raw: %d bytes, truncated=%v", len(rec.Raw), rec.RawTruncated)
	}
	if rec, err := r.Read(); err != nil || rec.Raw != "2,x" || rec.RawTruncated {
		t.Errorf("next record: %+v, %v", rec, err)
	}
}

// repeatReader yields n copies of b, then tail, without holding them.
type repeatReader struct {
	b    byte
	n    int64
	tail *strings.Reader
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return r.tail.Read(p)
	}
	k := int(min(int64(len(p)), r.n))
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= int64(k)
	return k, nil
}

// TestHugeLine feeds a 100 MB line (plain, and as an unclosed quote) and
// checks that it costs one error, is never held whole, and that the
// following lines are read.
func TestHugeLine(t *testing.T) {
	const size = 100 << 20
	for _, tc := range []struct {
		name, head, want string
	}{
		{"plain", "", "fieldlen"},
		{"quoted", "x,\"", "fieldlen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := io.MultiReader(strings.NewReader(tc.head), &repeatReader{b: 'a', n: size, tail: strings.NewReader("\nnext,1\n")})
			r, err := NewReader(src, Config{})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.Read()
			var pe *ParseError
			if !errors.As(err, &pe) || errName(pe.Err) != tc.want || rec.Line != 1 || rec.EndLine != 1 {
				t.Fatalf("first record: %s", result(rec, err))
			}
			if !rec.RawTruncated || len(rec.Raw) > RawLimit {
				t.Errorf("Raw not capped: %d bytes", len(rec.Raw))
			}
			checkBounded(t, r)
			if max(cap(r.rec), len(r.buf)) > 2*DefaultMaxFieldBytes+textBufSize {
				t.Errorf("held %d bytes for a %d byte line", max(cap(r.rec), len(r.buf)), size)
			}
			rec, err = r.Read()
			if got := result(rec, err); got != `L2-2 ["next" "1"]` {
				t.Fatalf("second record: %s", got)
			}
			if _, err := r.Read(); err != io.EOF {
				t.Fatalf("want EOF, got %v", err)
			}
			if r.BytesRead() != int64(len(tc.head))+size+8 {
				t.Errorf("BytesRead = %d", r.BytesRead())
			}
		})
	}
}

// errReader returns data and then a read error.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadErrorIsSticky(t *testing.T) {
	boom := errors.New("disk error")
	in := "a,b\n1,2\n3," + strings.Repeat("x", 200)
	r, err := newReader(&errReader{data: []byte(in), err: boom}, Config{Comma: ','}, 16, 32)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for range 10 {
		rec, err := r.Read()
		if err != nil {
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want the read error", err)
			}
			break
		}
		got = append(got, result(rec, nil))
	}
	if want := []string{`L1-1 ["a" "b"]`, `L2-2 ["1" "2"]`}; !slices.Equal(got, want) {
		t.Errorf("records before the error: %q, want %q", got, want)
	}
	if _, err := r.Read(); !errors.Is(err, boom) {
		t.Errorf("second Read after the error: %v", err)
	}
	if _, err := NewReader(&errReader{err: boom}, Config{}); !errors.Is(err, boom) {
		t.Errorf("NewReader on a failing reader: %v", err)
	}
}

func TestNewReaderRejects(t *testing.T) {
	cases := []struct {
		name string
		in   string
		cfg  Config
		want error
	}{
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", Config{}, ErrExcelFile},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", Config{}, ErrExcelFile},
		{"quote as delimiter", "a", Config{Comma: '"'}, ErrBadConfig},
		{"newline as delimiter", "a", Config{Comma: '\n'}, ErrBadConfig},
		{"non-ASCII delimiter", "a", Config{Comma: '、'}, ErrBadConfig},
		{"unknown encoding", "a", Config{Encoding: "euc-jp"}, ErrBadConfig},
		{"negative limit", "a", Config{MaxFields: -1}, ErrBadConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tc.in), tc.cfg)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSniffComma(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		complete  bool
		preferTab bool
		want      byte
	}{
		{"comma", "a,b,c\n1,2,3\n", true, false, ','},
		{"tab with commas in values", "a\tb\tc\n1,000\t2\t3\n4\t5,5\t6\n", true, false, '\t'},
		{"comma with one tab per line, fewer than commas", "a,b\tx,c\n1,2\t,3\n", true, false, ','},
		{"semicolon with decimal commas", "a;b;c\n1,5;2,5;3\n", true, false, ';'},
		{"quoted delimiters ignored", "\"a;b;c\",d\n\"1;2;3\",e\n", true, false, ','},
		{"quoted newline ignored", "a,b\n\"x\ny;z;w\",1\n", true, false, ','},
		{"title row without delimiter", "アクセスログ\n出力日 2024/05/01\n日時\t職員ID\t操作\n1\t2\t3\n", true, false, '\t'},
		{"single column defaults to comma", "a\nb\n", true, false, ','},
		{"single column UTF-16 defaults to tab", "a\nb\n", true, true, '\t'},
		{"tie prefers tab for UTF-16", "a,b\tc\n", true, true, '\t'},
		{"tie prefers comma otherwise", "a,b\tc\n", true, false, ','},
		{"incomplete last line ignored", "a\tb\n1\t2\nx,y,z,w,v", false, false, '\t'},
		{"ragged commas still win", "a,b,c,d\n1,2,3,4\n1,2\n1,2,3,4\n", true, false, ','},
		{"empty", "", true, false, ','},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := sniffComma([]byte(tc.in), tc.complete, tc.preferTab); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"S0012", "S0012"},
		{"Ｓ００１２", "S0012"},
		{"職員　ＩＤ", "職員 ID"},
		{"ｼｮｸｲﾝ ｺｰﾄﾞ", "ショクイン コード"},
		{"ｶﾞｯｺｳ", "ガッコウ"},
		{"①②", "12"},
		{"㍻31年", "平成31年"},
		{"髙橋 山﨑", "髙橋 山﨑"},
		{"（株）", "(株)"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	ascii := "S00123,PC-001"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(ascii) }); n != 0 {
		t.Errorf("Fold allocates %v times on ASCII", n)
	}
}

// TestFieldsReuse documents that the Fields slice is reused while the
// strings stay valid.
func TestFieldsReuse(t *testing.T) {
	r, err := NewReader(strings.NewReader("a,b\nc,d\n"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Read()
	kept := first.Fields[0]
	second, _ := r.Read()
	if kept != "a" || second.Fields[0] != "c" {
		t.Fatalf("kept %q, second %q", kept, second.Fields)
	}
}
