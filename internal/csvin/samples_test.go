package csvin

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestSampleFiles reads the real-looking exports in testdata/: a CP932
// access log with a title row, blank lines, quoted commas, a quoted CRLF
// and doubled quotes; an Excel 「CSV UTF-8」 staff master with BOM,
// full-width digits and trailing empty columns; and an Excel 「Unicode
// テキスト」 endpoint log (UTF-16LE, tab-separated, a tab inside quotes).
func TestSampleFiles(t *testing.T) {
	cases := []struct {
		file    string
		enc     Encoding
		comma   rune
		records int
		blank   int
		want    map[int][]string // by Line
	}{
		{
			file: "access_cp932.csv", enc: CP932, comma: ',', records: 10, blank: 2,
			want: map[int][]string{
				1:  {"住民記録システム　操作ログ（2024年4月分）"},
				3:  {"操作日時", "操作者ID", "操作者名", "端末名", "機能名", "処理区分", "宛名番号", "備考"},
				4:  {"2024/04/01 08:45:12", "00123", "髙橋　一郎", "JK-PC001", "住民票照会", "照会", "0012345678", ""},
				6:  {"2024/04/01 12:10:40", "00457", "山﨑　花子", "JK-PC014", "宛名検索", "照会", "0098765432", "検索条件：氏名＝ﾔﾏﾀﾞ ﾀﾛｳ, 生年月日＝①～③"},
				7:  {"2024/04/01 17:48:02", "00457", "山﨑　花子", "JK-PC014", "異動入力", "更新", "0098765432", "転入処理\r\n（㈱〇〇不動産 経由）"},
				9:  {"2024/04/02 22:15:33", "99999", "", "JK-PC099", "帳票出力", "出力", "", "件数 1,250件 －要確認－"},
				10: {"2024/04/03 10:00:00", "00789", "渡邉　美咲", "JK-PC020", "住民票照会", "照会", "0011112222", "\"至急\"対応"},
			},
		},
		{
			file: "staff_utf8bom.csv", enc: UTF8BOM, comma: ',', records: 5,
			want: map[int][]string{
				1: {"職員番号", "氏名", "所属", "雇用区分", "着任日", "離任日", "USB利用", "", ""},
				2: {"００１２３", "髙橋 一郎", "市民課", "正規", "2015/04/01", "", "○", "", ""},
				5: {"01001", "ｽｽﾞｷ ｹﾝ", "情報政策課", "委託", "2024-04-01", "2024-09-30", "可", "", ""},
			},
		},
		{
			file: "endpoint_utf16le.txt", enc: UTF16LE, comma: '\t', records: 4,
			want: map[int][]string{
				1: {"日時", "コンピュータ名", "ユーザID", "イベント", "デバイス", "ファイル名"},
				2: {"2024/04/01 09:10:00", "JK-PC001", "00123", "ログオン", "", ""},
				3: {"2024/04/01 09:30:15", "JK-PC014", "00457", "書込", "USB メモリ (E:)", "E:\\住民\\一覧\t2024.xlsx"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(f, Config{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding() != tc.enc || r.Comma() != tc.comma {
				t.Fatalf("detected %s %q, want %s %q", r.Encoding(), r.Comma(), tc.enc, tc.comma)
			}
			records, blank, next := 0, 0, 1
			for {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("line %d: %v", rec.Line, err)
				}
				if rec.Line != next {
					t.Fatalf("record starts at line %d, want %d", rec.Line, next)
				}
				next = rec.EndLine + 1
				records++
				if rec.Blank() {
					blank++
				}
				if want, ok := tc.want[rec.Line]; ok && !slices.Equal(rec.Fields, want) {
					t.Errorf("line %d:\ngot  %q\nwant %q", rec.Line, rec.Fields, want)
				}
			}
			if records != tc.records || blank != tc.blank {
				t.Errorf("%d records (%d blank), want %d (%d)", records, blank, tc.records, tc.blank)
			}
			if r.BytesRead() != st.Size() || r.InvalidBytes() != 0 {
				t.Errorf("BytesRead %d of %d, InvalidBytes %d", r.BytesRead(), st.Size(), r.InvalidBytes())
			}
		})
	}
	if got := Fold("００１２３"); got != "00123" {
		t.Errorf("Fold of the full-width staff ID: %q", got)
	}
}
