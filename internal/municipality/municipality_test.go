package municipality

import (
	"testing"
)

func TestListLoadsWhole(t *testing.T) {
	list := All()
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	// 1,916 rows including the wards of the 政令指定都市 (README of the data).
	if len(list) != 1916 {
		t.Errorf("%d municipalities, want 1916", len(list))
	}
	seen := map[string]bool{}
	for _, m := range list {
		if !ValidCode(m.Code) {
			t.Errorf("%s %s: invalid 団体コード %q", m.Prefecture, m.Name, m.Code)
		}
		if seen[m.Code] {
			t.Errorf("団体コード %s twice", m.Code)
		}
		seen[m.Code] = true
		if m.Name == "" || m.Kana == "" || m.Prefecture == "" {
			t.Errorf("incomplete row %+v", m)
		}
	}
}

func TestPrefectures(t *testing.T) {
	p := Prefectures()
	if len(p) != 47 || p[0] != "北海道" || p[12] != "東京都" || p[46] != "沖縄県" {
		t.Errorf("prefectures = %d %v", len(p), p)
	}
}

func TestLookups(t *testing.T) {
	cases := []struct {
		code, pref, name string
	}{
		{"011002", "北海道", "札幌市"},
		{"011011", "北海道", "札幌市中央区"}, // a ward, spaces dropped
		{"131016", "東京都", "千代田区"},
		{"472077", "沖縄県", "石垣市"},
	}
	for _, c := range cases {
		m, ok := ByCode(c.code)
		if !ok || m.Prefecture != c.pref || m.Name != c.name {
			t.Errorf("ByCode(%s) = %+v, %v; want %s %s", c.code, m, ok, c.pref, c.name)
		}
		found := false
		for _, x := range In(c.pref) {
			found = found || x.Code == c.code
		}
		if !found {
			t.Errorf("In(%s) lacks %s", c.pref, c.name)
		}
	}
	if _, ok := ByCode("999999"); ok {
		t.Error("ByCode(999999) found something")
	}
	if In("架空県") != nil {
		t.Error("In of an unknown prefecture is not nil")
	}
	// Two 府中市, told apart by their codes.
	fuchu := Named("府中市")
	if len(fuchu) != 2 || fuchu[0].Prefecture != "東京都" || fuchu[1].Prefecture != "広島県" {
		t.Errorf("Named(府中市) = %+v", fuchu)
	}
	if got := Named("札幌市 中央区"); len(got) != 1 || got[0].Code != "011011" {
		t.Errorf("Named(札幌市 中央区) = %+v", got)
	}
}

func TestInKeepsCodeOrder(t *testing.T) {
	for _, p := range Prefectures() {
		list := In(p)
		if len(list) == 0 {
			t.Errorf("%s has no municipalities", p)
		}
		for i := 1; i < len(list); i++ {
			if list[i-1].Code >= list[i].Code {
				t.Errorf("%s: %s before %s", p, list[i-1].Code, list[i].Code)
			}
		}
	}
}

func TestValidCode(t *testing.T) {
	for code, want := range map[string]bool{
		"011002":  true,
		"011003":  false, // wrong check digit
		"01100":   false,
		"0110021": false,
		"01100a":  false,
		"":        false,
		"131016":  true,
	} {
		if got := ValidCode(code); got != want {
			t.Errorf("ValidCode(%q) = %v, want %v", code, got, want)
		}
	}
}
