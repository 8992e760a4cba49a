package calendar

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
)

const officialHeader = "国民の祝日・休日月日,国民の祝日・休日名称"

func toCP932(t testing.TB, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSyukujitsuOfficialFile(t *testing.T) {
	o := loadOfficial(t)
	if got := o.Source(); got != "syukujitsu.csv" {
		t.Errorf("Source() = %q", got)
	}
	years := o.Years()
	want := make([]int, 0, 2027-1955+1)
	for y := 1955; y <= 2027; y++ {
		want = append(want, y)
	}
	if !slices.Equal(years, want) {
		t.Errorf("Years() = %v, want 1955…2027", years)
	}
	total := 0
	for _, y := range years {
		hs, ok := o.Holidays(y)
		if !ok {
			t.Fatalf("Holidays(%d) not covered", y)
		}
		total += len(hs)
	}
	if total != 1067 { // lines in the file minus the header
		t.Errorf("%d holidays read, want 1067", total)
	}
	hs, _ := o.Holidays(2027)
	if last := hs[len(hs)-1]; last.Date != date(2027, 11, 23) || last.Name != "勤労感謝の日" {
		t.Errorf("last holiday of 2027 = %v", last)
	}
	if _, ok := o.Holidays(2028); ok || o.Covers(2028) {
		t.Error("2028 reported as covered")
	}
}

func TestParseSyukujitsuEncodingsAndForms(t *testing.T) {
	const body = "2027/1/1,元日\r\n2027/11/23,勤労感謝の日\r\n"
	want := []Holiday{{date(2027, 1, 1), "元日"}, {date(2027, 11, 23), "勤労感謝の日"}}
	tests := []struct {
		name string
		in   []byte
	}{
		{"CP932 as published", toCP932(t, officialHeader+"\r\n"+body)},
		{"UTF-8 with BOM", []byte("\uFEFF" + officialHeader + "\r\n" + body)},
		{"UTF-8 without BOM", []byte(officialHeader + "\r\n" + body)},
		{"no header, LF", []byte("2027/1/1,元日\n2027/11/23,勤労感謝の日\n")},
		{"other header", []byte("日付,名称\n2027/1/1,元日\n2027/11/23,勤労感謝の日")},
		{"out of order, padded, hyphens", []byte("2027-11-23,勤労感謝の日\n2027/01/01,元日\n")},
		{"full-width digits and spaces", []byte("２０２７／１／１, 元日 \n 2027/11/23 ,勤労感謝の日\n")},
		{"blank lines and extra columns", []byte("\n2027/1/1,元日,備考\n,,\n2027/11/23,勤労感謝の日,\n\n")},
		{"quoted cells", []byte("\"2027/1/1\",\"元日\"\r\n2027/11/23,\"勤労感謝の日\"\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseSyukujitsu(bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := o.Holidays(2027)
			if !ok || !slices.Equal(got, want) {
				t.Errorf("Holidays(2027) = %v, %v; want %v", got, ok, want)
			}
			if ys := o.Years(); !slices.Equal(ys, []int{2027}) {
				t.Errorf("Years() = %v", ys)
			}
		})
	}
}

// TestParseSyukujitsuCP932Extensions makes sure the Windows code page's own
// characters (NEC and IBM extensions, as typed on Windows) decode, not only
// JIS X 0208.
func TestParseSyukujitsuCP932Extensions(t *testing.T) {
	in := []byte("2027/6/1,")
	in = append(in, 0x87, 0x40, 0xFB, 0xFC, 0xFA, 0xB1) // ① (NEC), 髙 and 﨑 (IBM)
	in = append(in, toCP932(t, "の日\r\n")...)
	o, err := ParseSyukujitsu(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := o.Holidays(2027)
	if len(hs) != 1 || hs[0].Name != "①髙﨑の日" {
		t.Errorf("Holidays(2027) = %v, want ①髙﨑の日", hs)
	}
}

func TestParseSyukujitsuErrors(t *testing.T) {
	// Eleven good lines, then the bad one on line 12, as in the brief.
	var good strings.Builder
	good.WriteString(officialHeader + "\r\n")
	for _, l := range []string{"2027/1/1,元日", "2027/1/11,成人の日", "2027/2/11,建国記念の日", "2027/2/23,天皇誕生日",
		"2027/3/21,春分の日", "2027/3/22,休日", "2027/4/29,昭和の日", "2027/5/3,憲法記念日", "2027/5/4,みどりの日", "2027/5/5,こどもの日"} {
		good.WriteString(l + "\r\n")
	}
	tests := []struct {
		name string
		file string // "" = ParseSyukujitsu
		in   []byte
		want string
	}{
		{"bad month", "", toCP932(t, good.String()+"2027/13/01,海の日\r\n"),
			"syukujitsu.csv 12行目: 日付「2027/13/01」を読めません。YYYY/M/D の形式にしてください。"},
		{"named file", "祝日2027.csv", []byte("2027/1/1,元日\n2027/7/xx,海の日\n"),
			"祝日2027.csv 2行目: 日付「2027/7/xx」を読めません。YYYY/M/D の形式にしてください。"},
		{"date without year", "", []byte("1/1,元日\n"),
			"syukujitsu.csv 1行目: 日付「1/1」を読めません。YYYY/M/D の形式にしてください。"},
		{"two-digit year", "", []byte("27/1/1,元日\n"),
			"syukujitsu.csv 1行目: 日付「27/1/1」を読めません。YYYY/M/D の形式にしてください。"},
		{"signed part", "", []byte("2027/+1/1,元日\n"),
			"syukujitsu.csv 1行目: 日付「2027/+1/1」を読めません。YYYY/M/D の形式にしてください。"},
		{"no such day", "", []byte(officialHeader + "\n2027/2/29,休日\n"),
			"syukujitsu.csv 2行目: 日付「2027/2/29」は存在しない日です（2027年2月は28日までです）。"},
		{"empty name", "", []byte("2027/1/1,元日\n2027/1/11,\n"),
			"syukujitsu.csv 2行目: 日付「2027/1/11」の祝日名が空です。名称を入れてください。"},
		{"one column", "", []byte("2027/1/1,元日\n2027/1/11\n"),
			"syukujitsu.csv 2行目: 列が足りません。「日付,名称」の2列にしてください（例: 2027/11/23,勤労感謝の日）。"},
		{"duplicate", "", []byte("2027/1/1,元日\r\n2027/1/11,成人の日\r\n2027/01/01,元日\r\n"),
			"syukujitsu.csv 3行目: 日付「2027/01/01」が重複しています（1行目と同じ日です）。1日1行にしてください。"},
		{"empty file", "", nil,
			"syukujitsu.csv: 祝日が1件もありません。内閣府の祝日一覧（syukujitsu.csv）を指定してください。"},
		{"header only", "", toCP932(t, officialHeader+"\r\n"),
			"syukujitsu.csv: 祝日が1件もありません。内閣府の祝日一覧（syukujitsu.csv）を指定してください。"},
		{"UTF-16", "", []byte{0xFF, 0xFE, '2', 0, '0', 0},
			"syukujitsu.csv: UTF-16 のファイルは読めません。CP932（Shift_JIS）か UTF-8 で保存し直してください。"},
		{"BOM but not UTF-8", "", append([]byte("\uFEFF2027/1/1,"), 0x8C, 0xB3, 0x93, 0xFA),
			"syukujitsu.csv: UTF-8 の印（BOM）がありますが、UTF-8 として読めない文字があります。保存し直してください。"},
		{"broken CP932", "", append(toCP932(t, "2027/1/1,元日\r\n2027/1/11,成人"), 0x81, '\r', '\n'),
			"syukujitsu.csv 2行目: 祝日名に読めない文字があります。文字コードは CP932（Shift_JIS）か UTF-8 にしてください。"},
		{"bad quotes", "", []byte("2027/1/1,元日\n2027/1/11,\"成人の日\n"),
			"syukujitsu.csv 2行目: CSV の形式が正しくありません（引用符「\"」の使い方など）。"},
		{"too large", "", bytes.Repeat([]byte("2027/1/1,元日\n"), maxSyukujitsuSize/10),
			"syukujitsu.csv: ファイルが大きすぎます（4 MB まで）。内閣府の祝日一覧（syukujitsu.csv）を指定してください。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			var o *Overrides
			if tt.file == "" {
				o, err = ParseSyukujitsu(bytes.NewReader(tt.in))
			} else {
				o, err = ParseSyukujitsuNamed(tt.file, bytes.NewReader(tt.in))
			}
			if err == nil {
				t.Fatalf("no error; got %v", o.Years())
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != ErrCodeSyukujitsu {
				t.Errorf("error %T is not a domain.Error with code %s", err, ErrCodeSyukujitsu)
			}
		})
	}
}

func TestLoadSyukujitsu(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "令和9年.csv")
	if err := os.WriteFile(path, toCP932(t, officialHeader+"\r\n2027/1/1,元日\r\n2027/2/30,休日\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSyukujitsu(path)
	if want := "令和9年.csv 3行目: 日付「2027/2/30」は存在しない日です（2027年2月は28日までです）。"; err == nil || err.Error() != want {
		t.Errorf("LoadSyukujitsu error = %v, want %s", err, want)
	}

	good := filepath.Join(dir, "syukujitsu.csv")
	official, err := os.ReadFile("testdata/syukujitsu.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, official, 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := LoadSyukujitsu(good)
	if err != nil || o.Source() != "syukujitsu.csv" || !o.Covers(1980) {
		t.Errorf("LoadSyukujitsu(official) = %v, %v", o, err)
	}

	missing := filepath.Join(dir, "ない.csv")
	_, err = LoadSyukujitsu(missing)
	var de *domain.Error
	if !errors.As(err, &de) || de.Err == nil || !strings.Contains(de.Message, "祝日ファイル「"+missing+"」を開けません") {
		t.Errorf("missing file error = %#v", err)
	}
}

// FuzzParseSyukujitsu checks the parser never panics and that what it accepts
// is consistent: sorted unique days per year, non-empty valid names.
func FuzzParseSyukujitsu(f *testing.F) {
	official, err := os.ReadFile("testdata/syukujitsu.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(official)
	f.Add([]byte("\uFEFF" + officialHeader + "\r\n2027/1/1,元日\r\n"))
	f.Add([]byte("2027/13/01,海の日\n"))
	f.Add([]byte("２０２７／１／１,\"元\"\"日\"\n2027-2-29,x"))
	f.Add([]byte{0xFF, 0xFE, 0x00})
	f.Add([]byte("9999/12/31,a\n0000/1/1,b\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		o, err := ParseSyukujitsu(bytes.NewReader(in))
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || !strings.HasPrefix(de.Message, "syukujitsu.csv") {
				t.Fatalf("error %q is not a domain.Error naming the file", err)
			}
			return
		}
		if len(o.Years()) == 0 {
			t.Fatal("accepted a file without holidays")
		}
		for _, y := range o.Years() {
			hs, ok := o.Holidays(y)
			if !ok || len(hs) == 0 {
				t.Fatalf("year %d listed but empty", y)
			}
			for i, h := range hs {
				if h.Date.Year() != y || h.Name == "" || !utf8.ValidString(h.Name) || strings.ContainsRune(h.Name, utf8.RuneError) {
					t.Fatalf("bad holiday %v in %d", h, y)
				}
				if i > 0 && !hs[i-1].Date.Before(h.Date) {
					t.Fatalf("%d not sorted or duplicate at %v", y, h)
				}
				if h.Date.Hour() != 0 || h.Date.Location() != date(2000, 1, 1).Location() {
					t.Fatalf("date %v not midnight UTC", h.Date)
				}
			}
		}
	})
}
