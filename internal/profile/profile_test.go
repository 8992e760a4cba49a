package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tenken/internal/domain"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	p := &Profile{Version: Version, System: "税務", Kind: domain.KindAccess,
		Columns: map[string]string{"処理日": "date", "処理時刻": "clock", "担当者": "staff_id", "備考": ""},
		Actions: map[string]domain.Action{"一括印刷": domain.ActionExport}}
	path := filepath.Join(t.TempDir(), "税務.json")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v, want 0600", fi.Mode(), err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.System != "税務" || q.Columns["担当者"] != "staff_id" || q.Actions["一括印刷"] != domain.ActionExport || q.Columns["備考"] != "" {
		t.Fatalf("loaded %+v", q)
	}
}

func TestValidateErrors(t *testing.T) {
	base := func() *Profile {
		return &Profile{Version: Version, System: "住民記録", Columns: map[string]string{"日時": "time", "職員ID": "staff_id"}}
	}
	cases := []struct {
		name string
		edit func(p *Profile)
		want string
	}{
		{"no system", func(p *Profile) { p.System = " " }, "システム名"},
		{"bad version", func(p *Profile) { p.Version = 9 }, "版 9"},
		{"bad kind", func(p *Profile) { p.Kind = "proxy" }, "proxy"},
		{"unknown field", func(p *Profile) { p.Columns["備考"] = "memo" }, "「memo」は分かりません"},
		{"field twice", func(p *Profile) { p.Columns["ユーザID"] = "staff_id" }, "両方"},
		{"no staff", func(p *Profile) { delete(p.Columns, "職員ID") }, "職員ID"},
		{"no time", func(p *Profile) { delete(p.Columns, "日時") }, "日時の列がありません"},
		{"clock without date", func(p *Profile) { delete(p.Columns, "日時"); p.Columns["時刻"] = "clock" }, "日付"},
		{"time and date", func(p *Profile) { p.Columns["日付"] = "date" }, "両方"},
		{"bad action", func(p *Profile) { p.Actions = map[string]domain.Action{"見る": "PEEK"} }, "PEEK"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.edit(p)
			err := p.Validate()
			var de *domain.Error
			if !errors.As(err, &de) || !strings.Contains(de.Message, c.want) {
				t.Fatalf("err = %v, want a message containing %q", err, c.want)
			}
		})
	}
	if err := base().Validate(); err != nil {
		t.Fatalf("valid profile: %v", err)
	}
}

func TestParseSyntaxErrorNamesPosition(t *testing.T) {
	_, err := Parse([]byte("{\n  \"version\": 1,\n  \"system\" \"x\"\n}"), "bad.json")
	var de *domain.Error
	if !errors.As(err, &de) || !strings.Contains(de.Message, "bad.json") || !strings.Contains(de.Message, "3行目") {
		t.Fatalf("err = %v, want file name and line 3", err)
	}
	_, err = Parse([]byte(`{"version":1,"system":"x","columns":{"a":"time","b":"staff_id"},"extra":1}`), "x.json")
	if err == nil || !strings.Contains(err.Error(), "extra") {
		t.Fatalf("unknown key accepted: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "見つかりません") {
		t.Fatalf("missing file: %v", err)
	}
}
