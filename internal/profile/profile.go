// Package profile holds the mapping profile of one system's log export:
// which column (by its header as written) is which canonical field, and
// which action values mean which canonical action beyond the built-in
// table of DOMAIN.md. A clerk saves one per system once (tenken profile
// save); every later import of that system uses it, so an export whose
// headers auto-mapping cannot read is imported without hand-editing.
//
// The file format is JSON, e.g.
//
//	{
//	  "version": 1,
//	  "system": "住民記録",
//	  "kind": "access",
//	  "columns": {"処理日": "date", "処理時刻": "clock", "担当者": "staff_id", "備考": ""},
//	  "actions": {"照会(詳細)": "LOOKUP", "一括印刷": "EXPORT"}
//	}
//
// A column mapped to "" is ignored; columns not listed are not read.
package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"tenken/internal/atomicfile"
	"tenken/internal/colmap"
	"tenken/internal/domain"
)

// Version is the format version this build writes and reads.
const Version = 1

// MaxSize bounds a profile file: a profile is a few hundred bytes.
const MaxSize = 1 << 20

// Profile is one system's mapping.
type Profile struct {
	Version int                      `json:"version"`
	System  string                   `json:"system"`
	Kind    domain.LogKind           `json:"kind,omitempty"`
	Sheet   string                   `json:"sheet,omitempty"` // xlsx: the sheet to read
	Columns map[string]string        `json:"columns"`
	Actions map[string]domain.Action `json:"actions,omitempty"`
}

// Field is a canonical log field a column may be mapped to.
type Field struct {
	Name  string
	Label string // Japanese
}

// Fields are the canonical log fields, in the order they are listed to
// users: colmap's catalogue (colmap.LogFields). date and clock are the two
// halves of a time split over two columns (日付 + 時刻).
var Fields = fields()

func fields() []Field {
	out := make([]Field, len(colmap.LogFields))
	for i, f := range colmap.LogFields {
		out[i] = Field{Name: f.Name, Label: f.Label}
	}
	return out
}

// Actions are the canonical actions an action value may be mapped to.
var Actions = []domain.Action{
	domain.ActionLookup, domain.ActionUpdate, domain.ActionExport, domain.ActionLogin, domain.ActionLogout,
	domain.ActionLoginFail, domain.ActionDeviceWrite, domain.ActionDeviceConnect, domain.ActionMailSend,
	domain.ActionPrint, domain.ActionFile, domain.ActionOther,
}

// FieldLabel returns the Japanese label of a field name ("" if unknown).
func FieldLabel(name string) string {
	for _, f := range Fields {
		if f.Name == name {
			return f.Label
		}
	}
	return ""
}

func fieldNames() string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Name + "（" + f.Label + "）"
	}
	return strings.Join(names, "、")
}

// Error is a profile that cannot be used; its message is Japanese.
func invalid(name, format string, a ...any) error {
	prefix := "取り込み設定（プロファイル）"
	if name != "" {
		prefix += "「" + name + "」"
	}
	return &domain.Error{Code: "bad_profile", Message: prefix + ": " + fmt.Sprintf(format, a...)}
}

// Validate checks that the profile can drive an import: a system name, a
// known kind, every column mapped to a known field and no field claimed
// twice, a time (日時, or 日付 + 時刻) and a 職員ID, and known actions.
func (p *Profile) Validate() error {
	if p == nil {
		return invalid("", "内容がありません。")
	}
	if p.Version != Version {
		return invalid("", "版 %d には対応していません（この版のTenkenは版 %d を読みます）。", p.Version, Version)
	}
	if strings.TrimSpace(p.System) == "" {
		return invalid("", "システム名（system）がありません。")
	}
	switch p.Kind {
	case "", domain.KindAccess, domain.KindEndpoint, domain.KindMail:
	default:
		return invalid(p.System, "ログの種類（kind）「%s」は分かりません。access・endpoint・mail のいずれかを指定してください。", p.Kind)
	}
	byField := map[string]string{}
	for _, h := range sortedKeys(p.Columns) {
		f := p.Columns[h]
		if strings.TrimSpace(h) == "" {
			return invalid(p.System, "見出しが空の列があります。")
		}
		if f == "" {
			continue
		}
		if FieldLabel(f) == "" {
			return invalid(p.System, "列「%s」の項目「%s」は分かりません。使える項目: %s。", h, f, fieldNames())
		}
		if prev, ok := byField[f]; ok {
			return invalid(p.System, "%s（%s）に列「%s」と「%s」の両方が指定されています。どちらか一方にしてください。", FieldLabel(f), f, prev, h)
		}
		byField[f] = h
	}
	_, hasTime := byField["time"]
	_, hasDate := byField["date"]
	_, hasClock := byField["clock"]
	switch {
	case hasTime && (hasDate || hasClock):
		return invalid(p.System, "日時（time）と 日付・時刻（date・clock）の両方が指定されています。どちらか一方にしてください。")
	case hasClock && !hasDate:
		return invalid(p.System, "時刻（clock）の列に対応する日付（date）の列がありません。")
	case !hasTime && !hasDate:
		return invalid(p.System, "日時の列がありません。日時（time）の列、または日付（date）と時刻（clock）の列を指定してください。")
	}
	if _, ok := byField["staff_id"]; !ok {
		return invalid(p.System, "職員ID（staff_id）の列がありません。")
	}
	for _, v := range sortedKeys(p.Actions) {
		a := p.Actions[v]
		if strings.TrimSpace(v) == "" {
			return invalid(p.System, "操作の値が空の対応があります。")
		}
		if !knownAction(a) {
			return invalid(p.System, "操作「%s」の対応先「%s」は分かりません。使える値: %s。", v, a, actionNames())
		}
	}
	return nil
}

func knownAction(a domain.Action) bool {
	for _, k := range Actions {
		if k == a {
			return true
		}
	}
	return false
}

func actionNames() string {
	s := make([]string, len(Actions))
	for i, a := range Actions {
		s[i] = string(a)
	}
	return strings.Join(s, "・")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Parse reads a profile from JSON and validates it. name (a file name)
// is used in messages.
func Parse(data []byte, name string) (*Profile, error) {
	if len(data) > MaxSize {
		return nil, invalid(name, "ファイルが大きすぎます（上限 %d バイト）。", MaxSize)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := position(data, se.Offset)
			return nil, invalid(name, "%d行目 %d文字目: JSON の書き方が正しくありません（%v）。", line, col, err)
		case errors.As(err, &te):
			line, col := position(data, te.Offset)
			return nil, invalid(name, "%d行目 %d文字目: 「%s」の値の型が違います。", line, col, te.Field)
		case errors.Is(err, io.EOF):
			return nil, invalid(name, "内容が空です。")
		}
		return nil, invalid(name, "読めません: %v", err)
	}
	if dec.More() {
		return nil, invalid(name, "JSON の後に余分な内容があります。")
	}
	if err := p.Validate(); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && name != "" {
			de.Message = strings.Replace(de.Message, "取り込み設定（プロファイル）", "取り込み設定（プロファイル）「"+name+"」", 1)
		}
		return nil, err
	}
	return &p, nil
}

func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data) && int64(i) < off; i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else if data[i]&0xC0 != 0x80 {
			col++
		}
	}
	return line, col
}

// Load reads and validates the profile file at path.
func Load(path string) (*Profile, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &domain.Error{Code: "open", Message: fmt.Sprintf("取り込み設定（プロファイル）「%s」が見つかりません。パスを確認してください。", path), Err: err}
		}
		return nil, &domain.Error{Code: "open", Message: fmt.Sprintf("取り込み設定（プロファイル）「%s」を開けません: %v", path, err), Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &domain.Error{Code: "open", Message: fmt.Sprintf("取り込み設定（プロファイル）「%s」を読めません: %v", path, err), Err: err}
	}
	return Parse(data, name)
}

// Marshal returns the profile as indented JSON (UTF-8, no BOM).
func (p *Profile) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Save validates the profile and writes it to path (mode 0600), replacing
// the file atomically.
func (p *Profile) Save(path string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := p.Marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, b); err != nil {
		return &domain.Error{Code: "write", Message: fmt.Sprintf("取り込み設定（プロファイル）「%s」を書き込めません: %v", path, err), Err: err}
	}
	return nil
}
