package colmap

import (
	"errors"
	"strings"
	"testing"
)

var testFields = []Field{
	{Name: "time", Label: "日時", Headers: []string{"日時", "操作日時", "アクセス日時"}},
	{Name: "staff_id", Label: "職員ID", Headers: []string{"職員ID", "職員番号", "ユーザーID", "ユーザID"}, Required: true},
	{Name: "staff_name", Label: "氏名", Headers: []string{"氏名", "職員名"}},
	{Name: "subject_id", Label: "宛名番号", Headers: []string{"宛名番号", "個人番号以外の識別子"}},
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"職員ＩＤ", "職員id"},
		{" 操作 日時 ", "操作日時"},
		{"（職員番号）", "職員番号"},
		{"\ufeffユーザーID", "ユーザーid"},
		{"ﾕｰｻﾞｰID", "ユーザーid"},
		{"user_id", "userid"},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMap(t *testing.T) {
	cases := []struct {
		name    string
		headers []string
		want    map[string]int // field → column
		conf    map[string]float64
		errPart string
	}{
		{name: "exact", headers: []string{"操作日時", "職員ID", "氏名"}, want: map[string]int{"time": 0, "staff_id": 1, "staff_name": 2}},
		{name: "full width and spaces", headers: []string{"ｱ", "職員 ＩＤ", "操作日時"}, want: map[string]int{"staff_id": 1, "time": 2}},
		{name: "bracketed suffix", headers: []string{"日時（JST）", "ユーザーID"}, want: map[string]int{"time": 0, "staff_id": 1}, conf: map[string]float64{"time": 0.9}},
		{name: "partial suffix", headers: []string{"最終操作日時", "職員番号"}, want: map[string]int{"time": 0, "staff_id": 1}, conf: map[string]float64{"time": 0.6}},
		{name: "exact beats partial", headers: []string{"最終操作日時", "操作日時", "職員番号"}, want: map[string]int{"time": 1, "staff_id": 2}},
		{name: "my number never mapped", headers: []string{"個人番号", "職員ID"}, want: map[string]int{"staff_id": 1, "subject_id": -1}},
		{name: "my number exception", headers: []string{"個人番号以外の識別子", "職員ID"}, want: map[string]int{"subject_id": 0}},
		{name: "missing required", headers: []string{"操作日時", "端末"}, errPart: "職員ID"},
		{name: "ambiguous required", headers: []string{"職員ID", "職員番号"}, errPart: "複数"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Map(c.headers, testFields)
			if c.errPart != "" {
				var me *MissingError
				if !errors.As(err, &me) || !strings.Contains(err.Error(), c.errPart) || !strings.Contains(err.Error(), "見つかった見出し") {
					t.Fatalf("err = %v, want MissingError containing %q", err, c.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for f, col := range c.want {
				if got := m.Index(f); got != col {
					t.Errorf("%s → column %d, want %d (%s)", f, got, col, m)
				}
			}
			for f, conf := range c.conf {
				if got := m.Columns[m.byField[f]].Confidence; got != conf {
					t.Errorf("%s confidence %.2f, want %.2f", f, got, conf)
				}
			}
		})
	}
}

func TestScoreFindsHeaderRow(t *testing.T) {
	title := []string{"福祉総合システム 操作ログ 出力日:2025/06/02"}
	header := []string{"アクセス日時", "利用者ID", "氏名"}
	if s := Score(title, testFields); s != 0 {
		t.Errorf("title row scored %d", s)
	}
	if s := Score(header, testFields); s != 2 {
		t.Errorf("header row scored %d, want 2 (利用者ID is not a synonym in this test)", s)
	}
}
