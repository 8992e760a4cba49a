package report

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// gridMeasure is a fixed-pitch measure: Japanese characters are 1 wide,
// ASCII characters 0.5, like a monospaced Japanese font.
func gridMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

func TestWrapLines(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"empty keeps one line", "", 5, []string{""}},
		{"fits", "あいう", 5, []string{"あいう"}},
		{"exact fit", "あいうえお", 5, []string{"あいうえお"}},
		{"plain Japanese breaks anywhere", "あいうえおかきくけこさ", 5, []string{"あいうえお", "かきくけこ", "さ"}},
		{"period never starts a line", "あいうえお。かき", 5, []string{"あいうえ", "お。かき"}},
		{"comma never starts a line", "あいうえお、かき", 5, []string{"あいうえ", "お、かき"}},
		{"closing chain moves with its character", "あいうえ」。お", 4, []string{"あいう", "え」。お"}},
		{"closing paren never starts a line", "あいうえ）お", 4, []string{"あいう", "え）お"}},
		{"opening bracket never ends a line", "あいう「えお」", 4, []string{"あいう", "「えお」"}},
		{"opening paren never ends a line", "あいう（えお）", 4, []string{"あいう", "（えお）"}},
		{"small tsu never starts a line", "あいうえっと", 4, []string{"あいう", "えっと"}},
		{"small katakana and long vowel", "コンピューター", 4, []string{"コン", "ピュー", "ター"}},
		{"iteration mark stays", "あいう人々が", 4, []string{"あいう", "人々が"}},
		{"middle dot never starts a line", "あいう・え", 3, []string{"あい", "う・え"}},
		{"ASCII closing paren never starts a line", "あいう)え", 3, []string{"あい", "う)え"}},
		{"ASCII exclamation never starts a line", "あいう!", 3, []string{"あい", "う!"}},
		{"ellipsis is not split", "あいう……", 4, []string{"あいう", "……"}},
		{"words break at spaces", "abc defgh", 3, []string{"abc", "defgh"}},
		{"spaces vanish at the break", "ab    cd", 1, []string{"ab", "cd"}},
		{"long word is cut only when it cannot fit", "abcdefghij", 2, []string{"abcd", "efgh", "ij"}},
		{"long word starts a fresh line", "あ abcdefghij", 2, []string{"あ", "abcd", "efgh", "ij"}},
		{"word moves whole to the next line", "あいう S01001", 5, []string{"あいう", "S01001"}},
		{"Japanese then word on one line", "職員ID S01", 5, []string{"職員ID S01"}},
		{"hard line breaks", "あい\nう\n\nえ", 5, []string{"あい", "う", "", "え"}},
		{"indent is kept", "　あいうえお", 3, []string{"　あい", "うえお"}},
		{"width below one character still progresses", "あい", 0.5, []string{"あ", "い"}},
		{"trailing spaces dropped", "あい  ", 5, []string{"あい"}},
		{"cut inside a long atom respects 禁則", "（ABCDEFGH）：", 3, []string{"（ABCD", "EFG", "H）："}},
		{"hash wraps by characters", strings.Repeat("a", 12), 3, []string{"aaaaaa", "aaaaaa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapLines(gridMeasure, tt.text, tt.width)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("wrapLines(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

// TestWrapLinesInvariants checks, on realistic report text and many
// widths, what every result must satisfy: lines fit, no 禁則 violation at
// a break, and nothing but break spaces is lost.
func TestWrapLinesInvariants(t *testing.T) {
	texts := []string{
		"本人・家族情報の照会に該当します。6月1日 の 18時42分から22時10分にかけて、住民記録システムで宛名番号 3140**** を含む住民の情報を合計 46 件照会しました。業務上の必要性（窓口対応・申請審査・税額更正など）が確認できないため、所属長を通じて本人に事情を確認してください。「時間外勤務命令簿」と照合し、必要に応じて端末の利用記録（資産管理ログ）も確認すること。",
		"ログイン失敗の多発（LOGIN_FAILURE）：10分間に5回以上のログイン失敗を検出しました。アカウント t.yamada@town.yamazato.lg.jp の端末 YMZ-PC001 からのアクセスです。",
		"ファイル 住民記録_アクセスログ_202506_01.csv（Shift_JIS）を取り込みました。ハッシュ値 2fb3e06fa1a2698f5c143ef010543f1148839397 7ec0b9f170a267bf50e3b82e",
		"コンピューターのシャットダウンが行われず、ログアウトのないまま終日使われていました……。「要確認」『至急』【重要】〔参考〕",
	}
	widths := []float64{6, 7.5, 10, 13, 20, 33.5}
	for ti, text := range texts {
		for _, w := range widths {
			lines := wrapLines(gridMeasure, text, w)
			for i, ln := range lines {
				if gridMeasure(ln) > w+1e-9 && utf8.RuneCountInString(ln) > 1 {
					t.Errorf("text %d width %v: line %q is %v wide", ti, w, ln, gridMeasure(ln))
				}
				if ln == "" {
					t.Errorf("text %d width %v: empty line %d", ti, w, i)
					continue
				}
				first, _ := utf8.DecodeRuneInString(ln)
				last, _ := utf8.DecodeLastRuneInString(ln)
				if i > 0 && noStart[first] {
					t.Errorf("text %d width %v: line %q starts with %q", ti, w, ln, first)
				}
				if i < len(lines)-1 && noEnd[last] {
					t.Errorf("text %d width %v: line %q ends with %q", ti, w, ln, last)
				}
			}
			squash := func(s string) string { return strings.ReplaceAll(s, " ", "") }
			if got := squash(strings.Join(lines, "")); got != squash(text) {
				t.Errorf("text %d width %v: text changed:\n got %q\nwant %q", ti, w, got, squash(text))
			}
		}
	}
}

func TestClampLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		n     int
		width float64
		want  []string
	}{
		{"short enough", []string{"あいう", "えお"}, 3, 3, []string{"あいう", "えお"}},
		{"cut with ellipsis", []string{"あいう", "えおか", "きく"}, 2, 3, []string{"あいう", "えお…"}},
		{"room for ellipsis", []string{"あい", "うえ", "お"}, 2, 3, []string{"あい", "うえ…"}},
		{"no limit", []string{"あ", "い"}, 0, 3, []string{"あ", "い"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clampLines(gridMeasure, tt.lines, tt.n, tt.width)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("clampLines = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFitText(t *testing.T) {
	tests := []struct {
		s     string
		width float64
		want  string
	}{
		{"山里町", 5, "山里町"},
		{"個人情報アクセスログ点検報告書", 6, "個人情報ア…"},
		{"abc", 1.5, "abc"},
	}
	for _, tt := range tests {
		if got := fitText(gridMeasure, tt.s, tt.width); got != tt.want {
			t.Errorf("fitText(%q, %v) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}
