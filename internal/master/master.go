// Package master reads the town's masters — 職員マスタ (staff, with 着任日 /
// 離任日, USB permission and the systems each may use) and 権限マスタ
// (grants by staff or department, system, permission, validity) — from CSV
// files with the header spellings towns use. Every data row is accepted or
// rejected with its line, column and a Japanese reason.
package master

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/jpdate"
)

// Staff master fields.
var StaffFields = []colmap.Field{
	{Name: "id", Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "ログインID", "アカウント"}},
	{Name: "name", Label: "氏名", Headers: []string{"氏名", "職員名", "名前", "氏名漢字"}},
	{Name: "dept", Label: "所属", Headers: []string{"所属", "所属課", "課名", "部署", "所属名", "所属課名"}},
	{Name: "title", Label: "役職", Headers: []string{"役職", "職名", "役職名"}},
	{Name: "employment", Label: "雇用区分", Headers: []string{"雇用区分", "任用区分", "職員区分", "雇用形態"}},
	{Name: "start", Label: "着任日", Headers: []string{"着任日", "採用日", "開始日", "契約開始日", "任用開始日", "利用開始日"}},
	{Name: "end", Label: "離任日", Headers: []string{"離任日", "退職日", "異動日", "終了日", "契約終了日", "任用終了日", "利用終了日"}},
	{Name: "usb", Label: "外部媒体利用可", Headers: []string{"外部媒体利用可", "USB利用", "USB利用可", "外部媒体", "外部媒体利用"}},
	{Name: "subject", Label: "本人宛名番号", Headers: []string{"本人宛名番号", "宛名番号"}},
	{Name: "systems", Label: "利用可能システム", Headers: []string{"利用可能システム", "利用システム", "システム", "担当システム"}},
}

// Grant master fields.
var GrantFields = []colmap.Field{
	{Name: "staff", Label: "職員ID", Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "ログインID"}},
	{Name: "dept", Label: "所属", Headers: []string{"所属", "所属課", "課名", "部署", "所属名"}},
	{Name: "system", Label: "システム", Required: true, Headers: []string{"システム", "システム名", "業務", "業務名"}},
	{Name: "permission", Label: "権限", Headers: []string{"権限", "権限区分", "操作権限", "権限種別"}},
	{Name: "from", Label: "開始日", Headers: []string{"開始日", "有効開始日", "適用開始日", "有効期間開始", "付与日"}},
	{Name: "to", Label: "終了日", Headers: []string{"終了日", "有効終了日", "適用終了日", "有効期間終了", "削除日"}},
}

// Result is a parsed master file.
type Result struct {
	File     string
	SHA256   string
	Read     int
	Accepted int
	Rejects  []domain.Reject
	Staff    []domain.Staff
	Grants   []domain.Grant
}

type table struct {
	name string
	m    *colmap.Mapping
	rd   *csvin.Reader
	f    *os.File
}

func openTable(path string, fields []colmap.Field) (*table, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, ingest.OpenError(name, err)
	}
	rd, err := csvin.NewReader(f, csvin.Config{})
	if err != nil {
		f.Close()
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: ファイルを読めません: %v", name, err), Err: err}
	}
	_, m, err := ingest.FindHeader(rd, name, fields, func(h []string) (*colmap.Mapping, error) { return colmap.Map(h, fields) })
	if err != nil {
		f.Close()
		return nil, err
	}
	return &table{name: name, m: m, rd: rd, f: f}, nil
}

// each calls fn for every non-blank data row; parse errors become rejects.
func (t *table) each(ctx context.Context, res *Result, fn func(rec csvin.Record, get func(string) string) *domain.Reject) error {
	defer t.f.Close()
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := t.rd.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			res.Read++
			res.Rejects = append(res.Rejects, domain.Reject{Line: pe.StartLine, Column: fmt.Sprintf("%d列目", pe.Column), Reason: pe.Err.Error(), Raw: rec.Raw})
			continue
		}
		if err != nil {
			return &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", t.name, err), Err: err}
		}
		if ingest.IsBlank(rec.Fields) {
			continue
		}
		res.Read++
		fields := rec.Fields
		get := func(field string) string {
			i := t.m.Index(field)
			if i < 0 || i >= len(fields) {
				return ""
			}
			return strings.TrimSpace(fields[i])
		}
		if rj := fn(rec, get); rj != nil {
			res.Rejects = append(res.Rejects, *rj)
			continue
		}
		res.Accepted++
	}
}

func (t *table) reject(rec csvin.Record, field, reason string) *domain.Reject {
	return &domain.Reject{Line: rec.Line, Column: t.m.Header(field), Reason: reason, Raw: rec.Raw}
}

// ReadStaff parses a 職員マスタ file.
func ReadStaff(ctx context.Context, path string) (*Result, error) {
	t, err := openTable(path, StaffFields)
	if err != nil {
		return nil, err
	}
	res := &Result{File: t.name}
	seen := map[string]int{}
	err = t.each(ctx, res, func(rec csvin.Record, get func(string) string) *domain.Reject {
		st := domain.Staff{ID: csvin.Fold(get("id")), Name: get("name"), Dept: get("dept"), Title: get("title"),
			Employment: get("employment"), SubjectID: csvin.Fold(get("subject")), SourceLine: rec.Line}
		if st.ID == "" {
			return t.reject(rec, "id", "職員IDが空です。")
		}
		if prev, dup := seen[strings.ToLower(st.ID)]; dup {
			return t.reject(rec, "id", fmt.Sprintf("職員ID「%s」は%d行目と重複しています。", st.ID, prev))
		}
		var rj *domain.Reject
		if st.Start, rj = t.date(rec, get, "start"); rj != nil {
			return rj
		}
		if st.End, rj = t.date(rec, get, "end"); rj != nil {
			return rj
		}
		if !st.Start.IsZero() && !st.End.IsZero() && st.End.Before(st.Start) {
			return t.reject(rec, "end", fmt.Sprintf("離任日（%s）が着任日（%s）より前です。", st.End.Format("2006/01/02"), st.Start.Format("2006/01/02")))
		}
		usb, ok := ParseBool(get("usb"))
		if !ok {
			return t.reject(rec, "usb", fmt.Sprintf("「%s」を可・不可として読めません。可・不可、○・×、1・0、有・無のいずれかにしてください。", get("usb")))
		}
		st.USBAllowed = usb
		st.Systems = SplitList(get("systems"))
		seen[strings.ToLower(st.ID)] = rec.Line
		res.Staff = append(res.Staff, st)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ReadGrants parses a 権限マスタ file. A cell listing several permissions
// (照会・更新) gives one grant per permission.
func ReadGrants(ctx context.Context, path string) (*Result, error) {
	t, err := openTable(path, GrantFields)
	if err != nil {
		return nil, err
	}
	if !t.m.Has("staff") && !t.m.Has("dept") {
		t.f.Close()
		return nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 職員IDまたは所属の列が必要です（権限を誰に与えるか）。見つかった見出し: %s", t.name, strings.Join(t.m.Headers, "、"))}
	}
	res := &Result{File: t.name}
	err = t.each(ctx, res, func(rec csvin.Record, get func(string) string) *domain.Reject {
		g := domain.Grant{StaffID: csvin.Fold(get("staff")), Dept: get("dept"), System: get("system")}
		if g.StaffID == "" && g.Dept == "" {
			return t.reject(rec, "staff", "職員IDと所属がどちらも空です。")
		}
		if g.System == "" {
			return t.reject(rec, "system", "システムが空です。")
		}
		var rj *domain.Reject
		if g.From, rj = t.date(rec, get, "from"); rj != nil {
			return rj
		}
		if g.To, rj = t.date(rec, get, "to"); rj != nil {
			return rj
		}
		perms := SplitList(get("permission"))
		for _, p := range perms {
			if _, ok := permissionActions[p]; !ok && p != "全て" && p != "すべて" {
				return t.reject(rec, "permission", fmt.Sprintf("権限「%s」が分かりません。照会・更新・出力のいずれか（複数可）にしてください。", p))
			}
		}
		if len(perms) == 0 || contains(perms, "全て") || contains(perms, "すべて") {
			res.Grants = append(res.Grants, g)
			return nil
		}
		for _, p := range perms {
			g.Permission = p
			res.Grants = append(res.Grants, g)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// permissionActions lists the permissions of the 権限マスタ and the action
// each allows.
var permissionActions = map[string]domain.Action{
	"照会": domain.ActionLookup,
	"更新": domain.ActionUpdate,
	"出力": domain.ActionExport,
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (t *table) date(rec csvin.Record, get func(string) string, field string) (time.Time, *domain.Reject) {
	s := get(field)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := jpdate.ParseDate(s)
	if err != nil {
		return time.Time{}, t.reject(rec, field, err.Error())
	}
	return d, nil
}

// ParseBool reads the yes/no cells of masters: 可・不可, ○・×, 1・0, 有・無,
// はい・いいえ, true/false, yes/no. An empty cell is false. ok is false when
// the text is none of these.
func ParseBool(s string) (value, ok bool) {
	switch strings.ToLower(csvin.Fold(strings.TrimSpace(s))) {
	case "", "不可", "×", "✕", "x", "0", "無", "なし", "いいえ", "false", "no", "n", "-", "否":
		return false, true
	case "可", "○", "〇", "◯", "1", "有", "あり", "はい", "true", "yes", "y", "許可":
		return true, true
	}
	return false, false
}

// SplitList splits a list written in one cell (税務・住民記録, "A、B", "A/B",
// "A B") into its trimmed, non-empty items.
func SplitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("・、,，;；/／ 　|｜\n", r)
	})
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
