package csvin

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReader feeds arbitrary bytes through the Reader under several
// configurations and buffer sizes (chosen by mode) and checks that it never
// panics or loops, that its buffers stay within the limits, that the
// records' lines are consecutive and their Raw texts, joined by the
// newlines between them, rebuild the decoded input exactly (every byte
// accounted for), and that wherever encoding/csv accepts the text the
// fields agree with it.
func FuzzReader(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,2,3\n",
		"a\tb\r\n\"x\ty\"\t\"he said \"\"hi\"\"\"\r\n",
		"\"abc\"def,g\n27\"モニタ,x\n",
		"1,\"open\n2,x\n3,y\n",
		"a;b\r1;2\r\r",
		"\uFEFF職員ID,氏名\r\nS001,髙橋\r\n",
		"\xFF\xFEa\x00\t\x00b\x00\r\x00\n\x00",
		"\x8E\x52\x93\x63,\x87\x40\x81\x60\r\n\xFA\xB1,\xB1\xB2\r\n",
		"a,b\x00c\n\"\n\n\n\",x\n",
		"\"\"\"\",\"\",\n,,\n",
	}
	for _, s := range seeds {
		for mode := range 16 {
			f.Add([]byte(s), uint8(mode))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, mode uint8) {
		cfg := Config{}
		switch mode & 3 {
		case 1:
			cfg = Config{MaxFieldBytes: 16, MaxFields: 4, MaxRecordBytes: 40}
		case 2:
			cfg = Config{Comma: '\t', MaxFieldBytes: 3, MaxFields: 2}
		case 3:
			cfg = Config{Encoding: CP932, MaxFieldBytes: 1, MaxRecordBytes: 6}
		}
		sizes := [][2]int{{rawBufSize, textBufSize}, {16, 32}, {5, 33}, {1, 2}}[mode>>2&3]
		out, r := readAll(t, in, cfg, sizes[0], sizes[1])

		// With a detected encoding, no record comes back holding a byte
		// that could not be decoded: such records are rejected.
		if cfg.Encoding == "" && r.InvalidBytes() > 0 {
			for _, s := range out {
				if !strings.Contains(s, " ERR ") && strings.Contains(s, "\uFFFD") {
					t.Fatalf("record with undecodable bytes returned: %s", s)
				}
			}
		}

		// Differential check against encoding/csv on text it accepts:
		// it skips blank lines, folds CR LF and has no NUL rule, so only
		// texts without CR and NUL are compared, and only when every byte
		// decoded (records with bad bytes are rejected, checked above).
		text := decodeRef(t, in, r.Encoding())
		if mode&3 != 0 || strings.ContainsAny(text, "\r\x00") || !utf8.ValidString(text) || r.InvalidBytes() > 0 {
			return
		}
		cr := csv.NewReader(strings.NewReader(text))
		cr.Comma = r.Comma()
		cr.FieldsPerRecord = -1
		want, err := cr.ReadAll()
		if err != nil {
			return
		}
		var got []string
		for _, s := range out {
			if !strings.HasSuffix(s, " blank") {
				got = append(got, s[strings.IndexByte(s, ' ')+1:])
			}
		}
		var wantS []string
		for _, rec := range want {
			wantS = append(wantS, result(Record{Fields: rec}, nil)[len("L0-0 "):])
		}
		if !slices.Equal(got, wantS) {
			t.Fatalf("encoding/csv accepts %q:\ngot  %q\nwant %q", text, got, wantS)
		}
	})
}
