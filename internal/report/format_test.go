package report

import (
	"tenken/internal/privacy"

	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestWarekiDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{day(2025, 6, 1), "令和7年6月1日"},
		{day(2019, 5, 1), "令和元年5月1日"},
		{day(2019, 4, 30), "平成31年4月30日"},
		{day(1989, 1, 8), "平成元年1月8日"},
		{day(1989, 1, 7), "昭和64年1月7日"},
		{day(1926, 12, 25), "昭和元年12月25日"},
		{day(1926, 12, 24), "1926年12月24日"},
		{time.Date(2020, 1, 1, 23, 59, 0, 0, time.UTC), "令和2年1月1日"},
	}
	for _, tt := range tests {
		if got := warekiDate(tt.t); got != tt.want {
			t.Errorf("warekiDate(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestPeriodText(t *testing.T) {
	tests := []struct {
		from, to time.Time
		want     string
	}{
		{day(2025, 6, 1), day(2025, 6, 30), "2025年6月1日〜2025年6月30日（令和7年6月1日〜令和7年6月30日）"},
		{day(2019, 4, 1), day(2019, 5, 31), "2019年4月1日〜2019年5月31日（平成31年4月1日〜令和元年5月31日）"},
		{time.Time{}, day(2025, 6, 30), unset},
	}
	for _, tt := range tests {
		if got := periodText(tt.from, tt.to); got != tt.want {
			t.Errorf("periodText = %q, want %q", got, tt.want)
		}
	}
}

func TestDayText(t *testing.T) {
	tests := []struct{ in, want, broken string }{
		{"2025-06-03", "2025/06/03（火）", "2025/06/03\n（火）"},
		{"2025-06-01", "2025/06/01（日）", "2025/06/01\n（日）"},
		{"不明", "不明", "不明"},
	}
	for _, tt := range tests {
		if got := dayText(tt.in); got != tt.want {
			t.Errorf("dayText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := dayTextBroken(tt.in); got != tt.broken {
			t.Errorf("dayTextBroken(%q) = %q, want %q", tt.in, got, tt.broken)
		}
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {600030, "600,030"}, {1234567, "1,234,567"}, {-1234, "-1,234"}}
	for _, tt := range tests {
		if got := num(tt.n); got != tt.want {
			t.Errorf("num(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12345678", "1234****"},
		{"123456789012", "1234********"},
		{"123456", "123***"},
		{"123", "1**"},
		{"1", "*"},
		{"", ""},
		{"ＡＢ１２３４", "ＡＢ１***"},
	}
	for _, tt := range tests {
		if got := privacy.MaskID(tt.in); got != tt.want {
			t.Errorf("privacy.MaskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMasker(t *testing.T) {
	m := privacy.NewMasker(map[string]bool{"31400007": true, "3140000712": true, "123": true})
	tests := []struct{ in, want string }{
		{"宛名番号 31400007 を照会", "宛名番号 3140**** を照会"},
		{"宛名番号 3140000712 を照会", "宛名番号 3140****** を照会"},
		{"合計 123 件", "合計 123 件"}, // too short to be searched for in free text
		{"", ""},
	}
	for _, tt := range tests {
		if got := m.Apply(tt.in); got != tt.want {
			t.Errorf("apply(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var none *privacy.Masker
	if got := none.Apply("31400007"); got != "31400007" {
		t.Errorf("nil masker changed text: %q", got)
	}
}

func TestMaskMail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"yamada.taro@gmail.com", "ya*********@gmail.com"},
		{"a@x.jp", "*@x.jp"},
		{"ab@x.jp", "a*@x.jp"},
		{"to: s1@town.lg.jp, kazoku99@yahoo.co.jp", "to: s*@town.lg.jp, ka******@yahoo.co.jp"},
		{"宛先なし", "宛先なし"},
	}
	for _, tt := range tests {
		if got := privacy.MaskMail(tt.in); got != tt.want {
			t.Errorf("privacy.MaskMail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want, one string }{
		{"a\tb", "a b", "a b"},
		{"a\r\nb", "a\nb", "a b"},
		{"a\x00b\x1bc", "abc", "abc"},
		{"あ\nい", "あ\nい", "あ い"},
		{"葛\U000E0100城", "葛城", "葛城"},
		{"a\u200bb\ufeff", "ab", "ab"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := oneLine(tt.in); got != tt.one {
			t.Errorf("oneLine(%q) = %q, want %q", tt.in, got, tt.one)
		}
	}
}
