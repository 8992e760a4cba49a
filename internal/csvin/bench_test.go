package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// benchRows is the size of the generated benchmark log.
const benchRows = 1_000_000

var (
	benchOnce sync.Once
	benchUTF8 []byte // the log in UTF-8
	benchSJIS []byte // the same log in CP932
)

// benchData generates a realistic access log of benchRows rows × 8 columns
// (日時, 職員ID, 氏名, 端末, システム, 機能, 操作, 宛名番号), CRLF, with
// a quoted field every 16th row, once per process.
func benchData(tb testing.TB) (utf8Data, sjis []byte) {
	benchOnce.Do(func() {
		names := []string{"山田太郎", "佐藤花子", "髙橋一郎", "渡邉美咲", "ﾀﾅｶ ｼﾞﾛｳ", "山﨑健"}
		systems := []string{"住民記録", "住民税", "固定資産税", "国民健康保険", "介護保険"}
		funcs := []string{"住民票照会", "税額照会", "宛名検索", "帳票出力", "異動入力"}
		acts := []string{"照会", "更新", "出力", "ログイン", "ログアウト"}
		var b bytes.Buffer
		b.WriteString("日時,職員ID,氏名,端末,システム,機能,操作,宛名番号\r\n")
		for i := 1; i < benchRows; i++ {
			fn := funcs[i%len(funcs)]
			if i%16 == 0 {
				fn = `"` + fn + `,詳細"`
			}
			fmt.Fprintf(&b, "2024/04/%02d %02d:%02d:%02d,S%05d,%s,PC-%03d,%s,%s,%s,%010d\r\n",
				1+i%28, 8+i%10, i%60, (i*7)%60, i%3000, names[i%len(names)], i%200,
				systems[i%len(systems)], fn, acts[i%len(acts)], (i*7919)%100000000)
		}
		benchUTF8 = b.Bytes()
		var err error
		benchSJIS, _, err = transform.Bytes(japanese.ShiftJIS.NewEncoder(), benchUTF8)
		if err != nil {
			panic(err)
		}
	})
	return benchUTF8, benchSJIS
}

// benchRead parses data completely and checks the row count.
func benchRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Config{})
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(rec.Fields) != 8 {
				b.Fatalf("line %d: %d fields", rec.Line, len(rec.Fields))
			}
			rows++
		}
	}
	if rows != benchRows {
		b.Fatalf("%d rows, want %d", rows, benchRows)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadCP932 is the acceptance benchmark: 1M rows × 8 columns of
// CP932 in well under a second.
func BenchmarkReadCP932(b *testing.B) {
	_, sjis := benchData(b)
	benchRead(b, sjis)
}

// BenchmarkReadUTF8 is the same log in UTF-8.
func BenchmarkReadUTF8(b *testing.B) {
	u, _ := benchData(b)
	benchRead(b, u)
}

// BenchmarkDecodeCP932 compares the table decoder with x/text's ShiftJIS
// transformer on the same input, decoding only.
func BenchmarkDecodeCP932(b *testing.B) {
	_, sjis := benchData(b)
	dst := make([]byte, 256<<10)
	b.Run("table", func(b *testing.B) {
		b.SetBytes(int64(len(sjis)))
		for b.Loop() {
			for src := sjis; len(src) > 0; {
				_, n, _ := decodeCP932(dst, src, true)
				src = src[n:]
			}
		}
	})
	b.Run("xtext", func(b *testing.B) {
		b.SetBytes(int64(len(sjis)))
		for b.Loop() {
			n, err := io.CopyBuffer(io.Discard, transform.NewReader(bytes.NewReader(sjis), japanese.ShiftJIS.NewDecoder()), dst)
			if err != nil || n == 0 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReadUTF8OneBadRow is BenchmarkReadUTF8 with one byte of the
// second row invalid: from then on every record is searched for U+FFFD,
// the worst case of the per-record encoding check.
func BenchmarkReadUTF8OneBadRow(b *testing.B) {
	u, _ := benchData(b)
	data := bytes.Clone(u)
	at := bytes.Index(data, []byte("\r\n")) + len("\r\n2024/04/02 09:01:07,S00001,")
	data[at] = 0x82 // the first byte of the name becomes a CP932 lead byte
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows, bad := 0, 0
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), Config{})
		if err != nil {
			b.Fatal(err)
		}
		rows, bad = 0, 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if errors.Is(err, ErrInvalidEncoding) {
				bad++
			} else if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	if rows != benchRows || bad != 1 {
		b.Fatalf("%d rows, %d rejected; want %d, 1", rows, bad, benchRows)
	}
}
