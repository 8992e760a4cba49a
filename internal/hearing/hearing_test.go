package hearing

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/rules"
)

func TestValidate(t *testing.T) {
	good := []struct{ key, in, want string }{
		{"kind", "四半期", "四半期"},
		{"from", "２０２５/5/1", "2025-05-01"},
		{"hours", "08:45〜17:30", "08:45-17:30"},
		{"dept_hours", "保育所=07:00-19:00; 図書館 = 09:00-18:00", "保育所=07:00-19:00;図書館=09:00-18:00"},
		{"extended", "住民課:木曜日=08:30-19:00;2025-05-25=08:30-17:15", "住民課:木=08:30-19:00;2025-05-25=08:30-17:15"},
		{"closed", "2025/5/2:創立記念日", "2025-05-02:創立記念日"},
		{"open", "2025-05-25", "2025-05-25"},
		{"rules", "after_hours, BULK_EXPORT", "AFTER_HOURS;BULK_EXPORT"},
		{"thresholds", "BULK_EXPORT.records=500", "BULK_EXPORT.records=500"},
		{"domains", "@Town.Yamazato.LG.JP town2.example.jp", "town.yamazato.lg.jp;town2.example.jp"},
		{"retention_years", "７", "7"},
		{"town", "", ""},
		{"town_code", "０１２３４５", "012345"},
		{"retention", "住民記録=7年:システム内; 税務 = 5", "住民記録=7:システム内;税務=5"},
		{"reconciled", "住民課、税務課", "住民課;税務課"},
		{"case_depts", "福祉課", "福祉課"},
		{"sample_size", "１０", "10"},
		{"reviewer", " 佐藤 花子 ", "佐藤 花子"},
	}
	for _, g := range good {
		got, err := Validate(g.key, g.in)
		if err != nil || got != g.want {
			t.Errorf("Validate(%s, %q) = %q, %v; want %q", g.key, g.in, got, err, g.want)
		}
	}
	bad := []struct{ key, in, want string }{
		{"kind", "毎日", "月次"},
		{"from", "5月1日", "2025-05-01 の形"},
		{"hours", "8:30-17:15", "08:30-17:15"},
		{"dept_hours", "保育所 07:00-19:00", "所属="},
		{"extended", "住民課:祝=08:30-19:00", "曜日"},
		{"closed", "明日", "日付"},
		{"rules", "NO_SUCH_RULE", "NO_SUCH_RULE"},
		{"thresholds", "BULK_EXPORT.records=-1", "正の数"},
		{"domains", "not a domain!", "ドメイン"},
		{"retention_years", "0", "1から100"},
		{"mayor", "x", "ヒアリングシートの項目ではありません"},
		{"town_code", "12345", "6桁"},
		{"retention", "住民記録", "住民記録=7"},
		{"retention", "住民記録=7:金庫", "保管場所"},
		{"sample_size", "0", "1から50"},
	}
	for _, b := range bad {
		_, err := Validate(b.key, b.in)
		var de *domain.Error
		if !errors.As(err, &de) || !strings.Contains(de.Message, b.want) {
			t.Errorf("Validate(%s, %q) = %v; want a Japanese error with %q", b.key, b.in, err, b.want)
		}
	}
	for _, f := range Fields() {
		if f.Label == "" || Label(f.Key) != f.Label || f.Help == "" {
			t.Errorf("field %+v", f)
		}
		if f.Example != "" {
			if _, err := Validate(f.Key, f.Example); err != nil {
				t.Errorf("the example of %s does not validate: %v", f.Key, err)
			}
		}
	}
	for _, k := range []string{"town", "department", "person", "kind", "from", "to", "hours", "dept_hours", "extended", "closed", "open",
		"systems", "rules", "thresholds", "domains", "partner_domains", "retention_years",
		"town_code", "reviewer", "approver", "retention", "reconciled", "case_depts", "sample_size"} {
		if Label(k) == "" {
			t.Errorf("hearing key %s missing", k)
		}
	}
}

// TestRoundTrip: Parse reads what Values writes, and gives the same sheet.
func TestRoundTrip(t *testing.T) {
	kv := map[string]string{}
	for _, f := range Fields() {
		kv[f.Key] = f.Example
	}
	s, err := Parse(kv)
	if err != nil {
		t.Fatal(err)
	}
	if s.Town != "山里町" || s.TownCode != "012345" || s.Hours != (rules.Hours{Start: "08:30", End: "17:15"}) ||
		len(s.Extended) != 2 || s.Extended[0].Weekday != time.Thursday || s.Extended[1].Date.IsZero() ||
		s.RetentionOf("税務").Years != 5 || s.RetentionOf("税務").Storage != "庁内で別途保管" || s.RetentionOf("福祉").Years != 7 ||
		s.Thresholds.BulkExportRecs != 500 || s.SampleSize != 5 || len(s.CaseDepts) != 2 || !s.Enabled()[rules.AfterHours] {
		t.Errorf("parsed %+v", s)
	}
	again, err := Parse(s.Values())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Values(), s.Values()) {
		t.Errorf("round trip\n%v\n%v", again.Values(), s.Values())
	}
	// The defaults of an unanswered sheet.
	d, err := Parse(nil)
	if err != nil || d.Hours.Start != "08:30" || d.RetentionYears != 7 || d.SampleSize != 5 || d.Enabled() != nil {
		t.Errorf("defaults %+v %v", d, err)
	}
	if _, err := Parse(map[string]string{"hours": "夜"}); err == nil || !strings.Contains(err.Error(), "勤務時間") {
		t.Errorf("bad hours: %v", err)
	}
	var c Sheet
	if err := c.Set("hours", "8時"); err == nil || c.Hours != (rules.Hours{}) {
		t.Errorf("Set must leave the sheet unchanged on error: %v %+v", err, c)
	}
}
