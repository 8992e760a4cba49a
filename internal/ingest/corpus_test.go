package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
)

// The corpus in testdata/import holds hand-made files, one per shape a
// town's export takes, each in UTF-8 and CP932 where the encoding matters.
// corpusCases is their source: `go test -run TestCorpus -update` writes the
// files and expectations.json from it; without -update the test reads the
// committed files and checks every one against expectations.json. So the
// bytes under test are the committed ones (a change to the encoder cannot
// silently change them), and the expectations are reviewed in the diff.
var update = flag.Bool("update", false, "testdata/import のファイルと期待値を書き直す")

const corpusDir = "../../testdata/import"

// corpusCase is one file and what importing it must give.
type corpusCase struct {
	File     string         `json:"file"`
	Note     string         `json:"note"`
	Kind     domain.LogKind `json:"kind,omitempty"`     // expected detected kind
	Accepted int            `json:"accepted"`           // rows accepted
	Rejected int            `json:"rejected"`           // rows rejected
	Blank    int            `json:"blank"`              // blank lines skipped
	Header   int            `json:"header,omitempty"`   // header line
	Encoding string         `json:"encoding,omitempty"` // substring of the encoding label
	Reasons  []string       `json:"reasons,omitempty"`  // substring of each reject's reason, in line order
	Lines    []int          `json:"lines,omitempty"`    // line of each reject
	Error    string         `json:"error,omitempty"`    // domain.Error code when the file cannot be imported
	// Checks on the stored events: field=value of the first event in
	// (staff, time) order, e.g. "time=2024-04-01 09:03:07", "action=LOOKUP".
	First []string `json:"first,omitempty"`

	text string // source text (UTF-8); encoded per enc by -update
	enc  encoding
	xlsx [][]string // for .xlsx cases: rows of the first sheet
}

const stdHeader = "操作日時,職員ID,氏名,端末名,機能名,操作種別,宛名番号,件数"

func corpusCases() []corpusCase {
	long := strings.Repeat("あ", 6000)
	return []corpusCase{
		{File: "01_utf8_bom.csv", Note: "UTF-8 BOM付き、標準的な8列", enc: utf8BOM, Accepted: 2, Header: 1, Encoding: "UTF-8",
			First: []string{"time=2024-04-01 09:03:07", "action=LOOKUP", "staff=S001"},
			text:  stdHeader + "\r\n2024/04/01 09:03:07,S001,山田 太郎,PC-01,住民票照会,照会,1000000001,\r\n2024/04/01 09:05:00,S001,山田 太郎,PC-01,住民票一覧,CSV出力,,1200\r\n"},
		{File: "02_utf8_nobom.csv", Note: "UTF-8 BOMなし、LF改行", enc: utf8Plain, Accepted: 2, Header: 1, Encoding: "UTF-8",
			First: []string{"time=2024-04-01 09:03:07"},
			text:  stdHeader + "\n2024/04/01 09:03:07,S001,山田,PC-01,住民票照会,照会,1000000001,\n2024/04/01 10:00:00,S002,佐藤,PC-02,住民票照会,更新,1000000002,\n"},
		{File: "03_cp932.csv", Note: "Shift_JIS (CP932)、CRLF", enc: cp932, Accepted: 2, Header: 1, Encoding: "CP932",
			First: []string{"staff=S001", "name=髙橋 﨑子"},
			text:  stdHeader + "\r\n2024/04/01 09:03:07,S001,髙橋 﨑子,PC-01,住民票照会,照会,1000000001,\r\n2024/04/01 09:04:07,S002,渡邉 一郎,PC-02,住民票照会,参照,1000000002,\r\n"},
		{File: "04_cp932_nec_ibm.csv", Note: "CP932のNEC特殊文字・IBM拡張文字・～ −", enc: cp932, Accepted: 2, Header: 1, Encoding: "CP932",
			First: []string{"function=①住民票～写し－交付"},
			text:  stdHeader + "\r\n2024/04/01 09:03:07,S001,髙木 ㈱,PC-01,①住民票～写し－交付,照会,1000000001,\r\n2024/04/01 09:04:00,S001,髙木 ㈱,PC-01,②戸籍,閲覧,1000000002,\r\n"},
		{File: "05_utf16le_tab.txt", Note: "UTF-16LE BOM付き・タブ区切り（Excel の Unicode テキスト）", enc: utf16le, Accepted: 2, Header: 1, Encoding: "UTF-16",
			First: []string{"action=LOOKUP"},
			text:  strings.ReplaceAll(stdHeader, ",", "\t") + "\r\n2024/04/01 09:03:07\tS001\t山田\tPC-01\t住民票照会\t照会\t1000000001\t\r\n2024/04/01 09:03:08\tS001\t山田\tPC-01\t住民票照会\t照会\t1000000001\t\r\n"},
		{File: "06_cp932_semicolon.csv", Note: "セミコロン区切り", enc: cp932, Accepted: 2, Header: 1,
			text: strings.ReplaceAll(stdHeader, ",", ";") + "\r\n2024/04/01 09:03:07;S001;山田;PC-01;住民票照会;照会;1000000001;\r\n2024/04/01 09:03:09;S001;山田;PC-01;住民票照会;照会;1000000003;\r\n"},
		{File: "07_utf8_tab.tsv", Note: "UTF-8 タブ区切り", enc: utf8Plain, Accepted: 1, Header: 1,
			text: strings.ReplaceAll(stdHeader, ",", "\t") + "\n2024/04/01 09:03:07\tS001\t山田\tPC-01\t住民票照会\t照会\t1000000001\t\n"},
		{File: "08_cp932_title_rows.csv", Note: "見出しの上に表題行と空行", enc: cp932, Accepted: 1, Header: 4,
			First: []string{"action=UPDATE", "terminal=PC-F1"},
			text:  "福祉総合システム 操作ログ\r\n出力日: 令和6年4月2日\r\n\r\nアクセス日時,利用者ID,PC名,処理名,操作,宛名コード\r\n2024-04-01T09:03:07,F010,PC-F1,世帯情報,更新,0000012345\r\n"},
		{File: "09_utf8_title_rows.csv", Note: "表題行（UTF-8）", enc: utf8BOM, Accepted: 1, Header: 2,
			text: "税務システム アクセス履歴,,,\r\n処理日時,ユーザーID,画面名,処理区分\r\n2024/04/01 09:00:00,Z001,課税台帳,照会\r\n"},
		{File: "10_cp932_footer_goukei.csv", Note: "末尾の合計行は集計行として除外", enc: cp932, Accepted: 2, Rejected: 1, Header: 1,
			Reasons: []string{"集計行"}, Lines: []int{4},
			text: "操作日時,職員ID,操作\r\n2024/04/01 09:00,A1,照会\r\n2024/04/01 09:01,A1,照会\r\n合計,2件\r\n"},
		{File: "11_utf8_footer_ijou.csv", Note: "末尾の「以上」行", enc: utf8Plain, Accepted: 1, Rejected: 1, Header: 1,
			Reasons: []string{"集計行"}, Lines: []int{3},
			text: "操作日時,職員ID,操作\n2024/04/01 09:00,A1,照会\n以上\n"},
		{File: "12_utf8_quoted_commas_newlines.csv", Note: "引用符内のカンマ・改行・二重引用符", enc: utf8Plain, Accepted: 2, Header: 1,
			First: []string{"function=一覧, 印刷\n2ページ目 \"控\""},
			text:  "操作日時,職員ID,機能名,操作\n2024/04/01 09:00,A1,\"一覧, 印刷\n2ページ目 \"\"控\"\"\",照会\n2024/04/01 09:01,A1,\"照会\",照会\n"},
		{File: "13_cp932_quoted_newlines.csv", Note: "引用符内の改行（CP932）", enc: cp932, Accepted: 1, Header: 1,
			First: []string{"function=住民票\r\n写し"},
			text:  "操作日時,職員ID,機能名,操作\r\n2024/04/01 09:00,A1,\"住民票\r\n写し\",照会\r\n"},
		{File: "14_utf8_stray_quotes.csv", Note: "引用符で始まらない値の中の引用符はそのまま", enc: utf8Plain, Accepted: 2, Header: 1,
			First: []string{"function=27\"モニタ"},
			text:  "操作日時,職員ID,機能名,操作\n2024/04/01 09:00,A1,27\"モニタ,照会\n2024/04/01 09:01,A1,\"abc\"def,照会\n"},
		{File: "15_utf8_unclosed_quote.csv", Note: "閉じられない引用符はその行だけ除外し、後の行は読む", enc: utf8Plain, Accepted: 2, Rejected: 1, Header: 1,
			Reasons: []string{"引用符"}, Lines: []int{3},
			text: "操作日時,職員ID,機能名,操作\n2024/04/01 09:00,A1,照会,照会\n2024/04/01 09:01,A1,\"閉じない,照会\n2024/04/01 09:02,A1,照会,照会\n"},
		{File: "16_cp932_ragged_rows.csv", Note: "列が足りない行・多すぎる行", enc: cp932, Accepted: 1, Rejected: 2, Header: 1,
			Reasons: []string{"列が足りません", "列が多すぎます"}, Lines: []int{3, 4},
			text: "操作日時,職員ID,操作\r\n2024/04/01 09:00,A1,ログイン\r\n2024/04/01 09:01\r\n2024/04/01 09:02,A1,照会,余分\r\n"},
		{File: "17_cp932_trailing_empty_columns.csv", Note: "末尾の空の列（Excel保存）", enc: cp932, Accepted: 2, Header: 1,
			text: "操作日時,職員ID,操作,,\r\n2024/04/01 09:00,A1,照会,,\r\n2024/04/01 09:01,A1,照会,\r\n"},
		{File: "18_utf8_long_field.csv", Note: "とても長い値（18KB）も取り込む", enc: utf8Plain, Accepted: 1, Header: 1,
			text: "操作日時,職員ID,機能名,操作\n2024/04/01 09:00,A1," + long + ",照会\n"},
		{File: "19_utf8_wareki_gannen.csv", Note: "和暦・元年・略号。令和元年4月1日は存在しない", enc: utf8Plain, Accepted: 4, Rejected: 1, Header: 1,
			Reasons: []string{"令和"}, Lines: []int{6},
			First: []string{"time=2019-05-01 09:00:00"},
			text:  "操作日時,職員ID,操作\n令和元年5月1日 9:00,A1,照会\n令和6年4月1日 9:03:07,A2,照会\nR6.4.1 10:00,A3,照会\nH31.4.30 10:00,A4,照会\n令和元年4月1日 10:00,A5,照会\n"},
		{File: "20_cp932_era_boundary.csv", Note: "平成31年4月30日と令和元年5月1日の境目", enc: cp932, Accepted: 2, Rejected: 1, Header: 1,
			Reasons: []string{"平成"}, Lines: []int{4},
			First: []string{"time=2019-04-30 23:59:59"},
			text:  "操作日時,職員ID,操作\r\n平成31年4月30日 23:59:59,A1,照会\r\n令和元年5月1日 0:00:00,A1,照会\r\n平成31年5月1日 0:00:00,A1,照会\r\n"},
		{File: "21_cp932_split_date_clock.csv", Note: "日付と時刻が別の列（和暦の日付）", enc: cp932, Accepted: 2, Rejected: 1, Header: 1,
			Reasons: []string{"時"}, Lines: []int{4},
			First: []string{"time=2025-05-07 09:03:00", "action=EXPORT"},
			text:  "日付,時刻,ユーザーID,処理区分,出力件数\r\n令和7年5月7日,9:03,Z001,帳票,12\r\nR07.05.08,17:10,Z001,照会,\r\n令和7年5月9日,25:00,Z001,照会,\r\n"},
		{File: "22_utf8_excel_serial.csv", Note: "Excelのシリアル値の日時", enc: utf8Plain, Accepted: 2, Header: 1,
			First: []string{"time=2024-04-01 09:00:00"},
			text:  "操作日時,職員ID,操作\n45383.375,A1,照会\n45383.5,A1,照会\n"},
		{File: "23_utf8_no_seconds.csv", Note: "秒のない時刻・ゼロ埋めなし", enc: utf8Plain, Accepted: 2, Header: 1,
			First: []string{"time=2024-04-01 09:03:00"},
			text:  "操作日時,職員ID,操作\n2024/4/1 9:03,A1,照会\n2024/4/1 9:04,A1,照会\n"},
		{File: "24_utf8_impossible_dates.csv", Note: "存在しない日付は推測せず除外", enc: utf8Plain, Accepted: 1, Rejected: 3, Header: 1,
			Reasons: []string{"存在しない", "月", "日時"}, Lines: []int{2, 3, 4},
			text: "操作日時,職員ID,操作\n2024/02/30 10:00,A1,照会\n2024/13/01 10:00,A1,照会\nきのう,A1,照会\n2024/02/29 10:00,A1,照会\n"},
		{File: "25_cp932_fullwidth.csv", Note: "全角の数字・英字・空白（NFKCで正規化）", enc: cp932, Accepted: 1, Header: 1,
			First: []string{"time=2024-04-01 09:03:00", "staff=A1", "action=LOGIN_FAIL"},
			text:  "操作日時,職員ＩＤ,操作\r\n２０２４／０４／０１　０９：０３,Ａ１,ログイン失敗\r\n"},
		{File: "26_utf8_compact_iso.csv", Note: "20240401 090307 と ISO 8601", enc: utf8Plain, Accepted: 3, Header: 1,
			text: "操作日時,職員ID,操作\n20240401 090307,A1,照会\n2024-04-01T09:03:08,A1,照会\n2024-04-01T09:03:09+09:00,A1,照会\n"},
		{File: "27_cp932_endpoint.csv", Note: "資産管理ログ（イベント・デバイス・ファイル名）", enc: cp932, Kind: domain.KindEndpoint, Accepted: 5, Header: 1,
			First: []string{"action=LOGIN", "kind=endpoint"},
			text:  "日時,コンピュータ名,ユーザID,イベント,デバイス,ファイル名\r\n2024/04/01 08:30:00,PC-01,A1,ログオン,,\r\n2024/04/01 09:00:00,PC-01,A1,USB接続,USBメモリ,\r\n2024/04/01 09:01:00,PC-01,A1,ファイルコピー,USBメモリ,E:\\名簿.xlsx\r\n2024/04/01 09:02:00,PC-01,A1,印刷,,名簿.xlsx\r\n2024/04/01 09:03:00,PC-01,A1,ファイル操作,,C:\\work\\a.txt\r\n"},
		{File: "28_utf8_endpoint.csv", Note: "資産管理ログ（UTF-8、書込）", enc: utf8BOM, Kind: domain.KindEndpoint, Accepted: 1, Header: 1,
			First: []string{"action=DEVICE_WRITE", "device=USB"},
			text:  "日時,ユーザーID,イベント,デバイス,ファイルパス\n2024/04/01 09:00:00,A1,書込,USB,E:\\x.csv\n"},
		{File: "29_utf8_mail.csv", Note: "メールログ（宛先・添付ファイル・添付サイズ）", enc: utf8Plain, Kind: domain.KindMail, Accepted: 2, Rejected: 1, Header: 1,
			Reasons: []string{"添付サイズ"}, Lines: []int{4},
			First: []string{"action=MAIL_SEND", "mail_to=someone@example.com", "attachment=名簿.xlsx", "attach_size=1572864", "kind=mail"},
			text:  "送信日時,送信者,宛先,件名,添付ファイル,添付サイズ\n2024/04/01 09:00:00,a1@town.example.lg.jp,someone@example.com,資料,名簿.xlsx,1.5MB\n2024/04/01 09:05:00,a1@town.example.lg.jp,b@town.example.lg.jp,連絡,,\n2024/04/01 09:06:00,a1@town.example.lg.jp,c@example.com,連絡,x.pdf,大きい\n"},
		{File: "30_cp932_mail.csv", Note: "メールログ（CP932）", enc: cp932, Kind: domain.KindMail, Accepted: 1, Header: 1,
			First: []string{"action=MAIL_SEND", "attach_size=300"},
			text:  "日時,差出人,送信先,添付ファイル名,添付サイズ\r\n2024/04/01 09:00:00,a1@town.example.lg.jp,x@gmail.com,a.csv,300\r\n"},
		{File: "31_utf8_mynumber_masked.csv", Note: "個人番号の列は読まない。除外行の12桁の数字は伏せて保存", enc: utf8Plain, Accepted: 1, Rejected: 1, Header: 1,
			Reasons: []string{"日時"}, Lines: []int{3},
			First: []string{"subject=1000000001"},
			text:  "操作日時,職員ID,個人番号,宛名番号,操作\n2024/04/01 09:00:00,A1,123456789012,1000000001,照会\n不明,A1,123456789018,1000000002,照会\n"},
		{File: "32_utf8_missing_staff.csv", Note: "職員IDの列がない: 何も書かずに止める", enc: utf8Plain, Error: "mapping",
			text: "日時,端末,操作\n2024/04/01 09:00,PC1,照会\n"},
		{File: "33_utf8_empty.csv", Note: "空のファイル", enc: utf8Plain, Error: "empty", text: ""},
		{File: "34_cp932_blank_lines.csv", Note: "データの間の空行は行数に数えない", enc: cp932, Accepted: 2, Blank: 2, Header: 1,
			text: "操作日時,職員ID,操作\r\n2024/04/01 09:00,A1,照会\r\n\r\n,,\r\n2024/04/01 09:01,A1,照会\r\n"},
		{File: "35_utf8_nul_byte.csv", Note: "NUL文字を含む行は除外", enc: utf8Plain, Accepted: 1, Rejected: 1, Header: 1,
			Reasons: []string{"NUL"}, Lines: []int{2},
			text: "操作日時,職員ID,操作\n2024/04/01 09:00,A\x001,照会\n2024/04/01 09:01,A1,照会\n"},
		{File: "36_utf8_bad_count_empty_staff.csv", Note: "件数が数値でない・職員IDが空", enc: utf8Plain, Rejected: 2, Header: 1,
			Reasons: []string{"職員IDが空", "件数"}, Lines: []int{2, 3},
			text: "操作日時,職員ID,操作,件数\n2024/04/01 09:00,,照会,\n2024/04/01 09:00,A1,出力,たくさん\n"},
		{File: "37_utf8_identical_rows.csv", Note: "同じ秒の同じ行は別の操作として両方取り込む", enc: utf8Plain, Accepted: 2, Header: 1,
			text: "操作日時,職員ID,操作,宛名番号\n2024/04/01 09:03:07,A1,照会,1\n2024/04/01 09:03:07,A1,照会,1\n"},
		{File: "38_xlsx_log.xlsx", Note: "Excel（.xlsx）のログ、日時はシリアル値", Accepted: 2, Rejected: 1, Header: 2, Encoding: "Excel",
			Reasons: []string{"日時"}, Lines: []int{5},
			First: []string{"time=2024-04-01 09:00:00", "action=LOOKUP"},
			xlsx: [][]string{{"住民記録システム 操作ログ"}, {"操作日時", "職員ID", "操作", "宛名番号"}, {"45383.375", "A1", "照会", "1000000001"},
				{"2024/04/01 09:05:00", "A1", "更新", "1000000001"}, {"不明", "A1", "照会", ""}}},
		{File: "39_cp932_header_synonyms.csv", Note: "見出しの別名（ログ日時・操作者コード・ホスト名・メニュー・処理種別・対象者ID・処理件数・成否）", enc: cp932, Accepted: 1, Header: 1,
			First: []string{"action=EXPORT", "terminal=HOST1", "result=成功"},
			text:  "ログ日時,操作者コード,ホスト名,メニュー,処理種別,対象者ID,処理件数,成否\r\n2024/04/01 09:00:00,A1,HOST1,一括出力,ダウンロード,,2500,成功\r\n"},
		{File: "40_utf8_one_cp932_row.csv", Note: "UTF-8 のファイルに Shift_JIS で保存された行が1行だけ混じる（その行だけ取込不可）", enc: utf8MixedCP932,
			Accepted: 4, Rejected: 1, Header: 1, Encoding: "UTF-8",
			Reasons: []string{"文字コードが他の行と異なります。4行目に UTF-8 として読めないバイト"}, Lines: []int{4},
			text: stdHeader + "\r\n2024/04/01 09:03:07,S001,山田 太郎,PC-01,住民票照会,照会,1000000001,\r\n" +
				"2024/04/01 09:05:00,S002,佐藤 花子,PC-02,住民票照会,照会,1000000002,\r\n" +
				"\x012024/04/01 09:07:00,S003,渡邉 一郎,PC-03,住民票照会,照会,1000000003,\r\n" +
				"2024/04/01 09:08:00,S004,鈴木 次郎,PC-04,住民票照会,照会,1000000004,\r\n" +
				"2024/04/01 09:09:00,S005,高橋 三郎,PC-05,住民票照会,照会,1000000005,\r\n"},
		{File: "41_cp932_seq.csv", Note: "通番の列（CP932、全角数字・桁区切り）。通番だけが違う2行は別の行", enc: cp932, Accepted: 4, Header: 1, Encoding: "CP932",
			First: []string{"seq=1001", "time=2024-04-01 09:00:00"},
			text: "通番,操作日時,職員ID,操作,宛名番号\r\n１００１,2024/04/01 09:00:00,S001,照会,1000000001\r\n1002,2024/04/01 09:00:30,S001,照会,1000000002\r\n" +
				"1003,2024/04/01 09:00:30,S001,照会,1000000002\r\n\"1,004\",2024/04/01 09:01:00,S001,更新,1000000002\r\n"},
		{File: "42_utf8_seq_broken.csv", Note: "読めない通番（文字・負の数・小数）はその行だけ取込不可", enc: utf8Plain, Accepted: 2, Rejected: 3, Header: 1,
			Reasons: []string{"通番「A-17」が整数として読めません", "通番「-3」", "通番「4.5」"}, Lines: []int{3, 4, 5},
			First: []string{"seq=1"},
			text:  "ログ番号,日時,ユーザID,操作\n1,2024/04/01 09:00:00,A1,照会\nA-17,2024/04/01 09:00:01,A1,照会\n-3,2024/04/01 09:00:02,A1,照会\n4.5,2024/04/01 09:00:03,A1,照会\n6,2024/04/01 09:00:04,A1,照会\n"},
	}
}

// TestCorpus imports every file of testdata/import into a fresh workspace
// and checks the counts, reasons, lines and first event against
// expectations.json; accepted + rejected + duplicate = read always.
func TestCorpus(t *testing.T) {
	if *update {
		writeCorpus(t)
	}
	raw, err := os.ReadFile(filepath.Join(corpusDir, "expectations.json"))
	if err != nil {
		t.Fatalf("expectations: %v (go test -run TestCorpus -update で作成)", err)
	}
	var cases []corpusCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("corpus has %d files, want at least 30", len(cases))
	}
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			st := openStore(t)
			p := filepath.Join(corpusDir, c.File)
			res, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
			if c.Error != "" {
				var de *domain.Error
				if !errors.As(err, &de) || de.Code != c.Error {
					t.Fatalf("err = %v, want code %s", err, c.Error)
				}
				if bs, _ := st.Batches(context.Background()); len(bs) != 0 {
					t.Fatalf("a failed import wrote batches: %+v", bs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b := res.Batch
			if b.Accepted != c.Accepted || b.Rejected != c.Rejected || b.Read != b.Accepted+b.Rejected+b.Duplicate || res.Blank != c.Blank {
				t.Fatalf("accepted %d rejected %d dup %d read %d blank %d; want %d/%d blank %d; rejects %+v",
					b.Accepted, b.Rejected, b.Duplicate, b.Read, res.Blank, c.Accepted, c.Rejected, c.Blank, res.Rejects)
			}
			if c.Header != 0 && res.HeaderLine != c.Header {
				t.Errorf("header line %d, want %d", res.HeaderLine, c.Header)
			}
			if c.Encoding != "" && !strings.Contains(b.Encoding, c.Encoding) {
				t.Errorf("encoding %q, want %q", b.Encoding, c.Encoding)
			}
			if c.Kind != "" && b.Kind != c.Kind {
				t.Errorf("kind %q, want %q", b.Kind, c.Kind)
			}
			stored, err := st.Rejects(context.Background(), b.ID)
			if err != nil || len(stored) != len(c.Reasons) {
				t.Fatalf("stored rejects %+v %v, want %d", stored, err, len(c.Reasons))
			}
			for i, w := range c.Reasons {
				if !strings.Contains(stored[i].Reason, w) || stored[i].Line != c.Lines[i] {
					t.Errorf("reject %d = line %d %q, want line %d reason containing %q", i, stored[i].Line, stored[i].Reason, c.Lines[i], w)
				}
				if strings.Contains(stored[i].Raw, "123456789018") {
					t.Errorf("reject %d keeps a 個人番号 in its raw text: %q", i, stored[i].Raw)
				}
			}
			if len(c.First) == 0 {
				return
			}
			var first *domain.Event
			st.EachEvent(context.Background(), time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(e *domain.Event) error {
				if first == nil {
					cp := *e
					first = &cp
				}
				return nil
			})
			if first == nil {
				t.Fatal("no event stored")
			}
			for _, kv := range c.First {
				k, want, _ := strings.Cut(kv, "=")
				if got := eventField(first, k); got != want {
					t.Errorf("first event %s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func eventField(e *domain.Event, k string) string {
	switch k {
	case "time":
		return e.Time.Format("2006-01-02 15:04:05")
	case "action":
		return string(e.Action)
	case "staff":
		return e.StaffID
	case "name":
		return e.StaffName
	case "terminal":
		return e.Terminal
	case "function":
		return e.Function
	case "device":
		return e.Device
	case "subject":
		return e.SubjectID
	case "result":
		return e.Result
	case "mail_to":
		return e.MailTo
	case "attachment":
		return e.Attachment
	case "attach_size":
		return fmt.Sprint(e.AttachSize)
	case "kind":
		return string(e.Kind)
	case "seq":
		return fmt.Sprint(e.Seq)
	}
	return "?" + k
}

func writeCorpus(t *testing.T) {
	cases := corpusCases()
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		p := filepath.Join(corpusDir, c.File)
		if c.xlsx != nil {
			f := excelize.NewFile()
			for r, row := range c.xlsx {
				for col, v := range row {
					cellName, _ := excelize.CoordinatesToCellName(col+1, r+1)
					var val any = v
					var num float64
					if _, err := fmt.Sscanf(v, "%g", &num); err == nil && fmt.Sprint(num) == v {
						val = num
					}
					f.SetCellValue("Sheet1", cellName, val)
				}
			}
			f.NewSheet("別シート")
			if err := f.SaveAs(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, encodeCorpus(t, c.text, c.enc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.MarshalIndent(cases, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "expectations.json"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func encodeCorpus(t *testing.T, text string, enc encoding) []byte {
	switch enc {
	case utf8BOM:
		return append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case cp932:
		s, err := japanese.ShiftJIS.NewEncoder().String(text)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		return []byte(s)
	case utf8MixedCP932:
		// UTF-8, but the lines marked with a leading \x01 were saved as
		// Shift_JIS (a row edited in another program).
		var b []byte
		for _, line := range strings.SplitAfter(text, "\n") {
			if rest, ok := strings.CutPrefix(line, "\x01"); ok {
				enc, err := japanese.ShiftJIS.NewEncoder().String(rest)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				line = enc
			}
			b = append(b, line...)
		}
		return b
	case utf16le:
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(text)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	return []byte(text)
}
