// Package municipality is the list of Japan's municipalities (市区町村, with
// the wards of the 政令指定都市) and their 全国地方公共団体コード, so that a
// clerk picks the town's name from 都道府県 and 市区町村 lists instead of
// typing it in kanji, and the report prints the 団体コード where a form asks
// for it.
//
// municipalities.csv is embedded as published by code4fukui/localgovjp
// (localgovjp-utf8.csv, CC0; its sources are 国土地理院 and J-LIS): one row
// per municipality with 団体コード, 都道府県, 市区町村 and よみ.
package municipality

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
)

//go:embed municipalities.csv
var data []byte

// Municipality is one entry of the list.
type Municipality struct {
	Code       string // 全国地方公共団体コード: 6 digits, the last a check digit
	Prefecture string // 都道府県, e.g. 北海道
	Name       string // 市区町村 as the town writes it, e.g. 札幌市中央区
	Kana       string // よみ in hiragana, e.g. さっぽろしちゅうおうく
}

var (
	loadOnce sync.Once
	all      []Municipality
	prefs    []string
	loadErr  error
)

// load parses the embedded list once. The list is part of the build, so a
// parse error is a defect of the build; it is kept and reported by the
// functions' tests rather than panicking in a clerk's application.
func load() {
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		loadErr = err
		return
	}
	for i, row := range rows {
		if i == 0 {
			continue // header
		}
		if len(row) != 4 {
			loadErr = fmt.Errorf("municipalities.csv line %d: %d fields, want 4", i+1, len(row))
			return
		}
		m := Municipality{Code: row[0], Prefecture: row[1], Name: strings.Join(strings.Fields(row[2]), ""), Kana: strings.Join(strings.Fields(row[3]), "")}
		all = append(all, m)
		if len(prefs) == 0 || prefs[len(prefs)-1] != m.Prefecture {
			prefs = append(prefs, m.Prefecture)
		}
	}
}

// All returns every municipality in the list's order (by 団体コード).
func All() []Municipality {
	loadOnce.Do(load)
	return append([]Municipality(nil), all...)
}

// Prefectures returns the 47 都道府県 in their 団体コード order (北海道 first,
// 沖縄県 last).
func Prefectures() []string {
	loadOnce.Do(load)
	return append([]string(nil), prefs...)
}

// In returns the municipalities of one 都道府県 in 団体コード order (its
// cities first, then towns and villages by 郡); nil for an unknown name.
func In(prefecture string) []Municipality {
	loadOnce.Do(load)
	var out []Municipality
	for _, m := range all {
		if m.Prefecture == prefecture {
			out = append(out, m)
		}
	}
	return out
}

// ByCode returns the municipality of a 団体コード.
func ByCode(code string) (Municipality, bool) {
	loadOnce.Do(load)
	for _, m := range all {
		if m.Code == code {
			return m, true
		}
	}
	return Municipality{}, false
}

// Named returns the municipalities with a name (several towns share one:
// 府中市 is in 東京都 and 広島県), spaces ignored.
func Named(name string) []Municipality {
	loadOnce.Do(load)
	name = strings.Join(strings.Fields(name), "")
	var out []Municipality
	for _, m := range all {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}

// ValidCode reports whether code is six digits whose last is the check
// digit of the first five (総務省's rule: 11 minus the weighted sum 6,5,4,3,2
// modulo 11, keeping its last digit).
func ValidCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	sum := 0
	for i := 0; i < 5; i++ {
		d := code[i]
		if d < '0' || d > '9' {
			return false
		}
		sum += int(d-'0') * (6 - i)
	}
	check := (11 - sum%11) % 10
	return code[5] >= '0' && code[5] <= '9' && int(code[5]-'0') == check
}
