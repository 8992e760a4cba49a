// Package activity turns the entries of the audit log into Japanese a town
// clerk and a 課長 read without help: one sentence per entry (「山田 が
// 職員マスタ（staff.csv、76行）を取り込みました」) and the state before and
// after as a table of named items, never raw JSON or English keys.
//
// Describe is used by the app's 監査ログ tab and by the report's review
// history, so both say the same thing about the same entry. Every action of
// the audit log has its sentence here; an action this version does not know
// (written by a newer Tenken) is still described in Japanese, generically.
package activity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/hearing"
	"tenken/internal/privacy"
	"tenken/internal/rules"
)

// Text is an audit entry in words.
type Text struct {
	// Sentence says who did what: 「山田 が 職員マスタ（staff.csv、76行）を
	// 取り込みました」.
	Sentence string
	// Action names the kind of operation for a list's column: 職員マスタの取り込み.
	Action string
	// Changes are the items the entry records, before and after, in the
	// order they read best; empty when the entry records nothing more than
	// its sentence.
	Changes []Change
}

// Change is one item of an entry: its Japanese name and its value before
// and after ("" when there was none).
type Change struct {
	Item, Before, After string
}

// unknownUser is who acted when the entry does not say.
const unknownUser = "（操作した人の記録なし）"

// Describe writes an audit entry in Japanese.
func Describe(e domain.AuditEntry) Text {
	user := strings.TrimSpace(e.User)
	if user == "" {
		user = unknownUser
	}
	before, after := decode(e.Before), decode(e.After)
	d, ok := describers[e.Action]
	if !ok {
		switch {
		case strings.HasPrefix(e.Action, "master.") && strings.HasSuffix(e.Action, ".import"):
			d = masterImport
		default:
			d = generic
		}
	}
	t := d(e, before, after)
	t.Sentence = user + " が " + t.Sentence
	if t.Action == "" {
		t.Action = ActionName(e.Action)
	}
	return t
}

// ActionName is the short Japanese name of an audit action, for lists:
// review.set → 確認結果の記録. An unknown action is named generically.
func ActionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	if k, ok := strings.CutPrefix(action, "master."); ok {
		if kind, ok := strings.CutSuffix(k, ".import"); ok {
			return MasterName(kind) + "の取り込み"
		}
	}
	return "その他の操作（" + action + "）"
}

var actionNames = map[string]string{
	"review.set":        "点検結果の確認",
	"review.action":     "対応の記録",
	"exclusion.add":     "除外の登録",
	"exclusion.revoke":  "除外の取り消し",
	"hearing.set":       "ヒアリングシートの変更",
	"master.staff.edit": "職員マスタの編集",
	"backup.save":       "バックアップの保存",
	"backup.restore":    "バックアップからの復元",
	"report.settings":   "報告書の既定の設定",
	"report.defaults":   "報告書の既定の設定",
	"log.import":        "ログの取り込み",
	"run.inspect":       "点検の実行",
	"report.save":       "報告書の保存",
	"annual.save":       "年間総括の保存",
	"export.save":       "エクスポートの保存",
	"notice.save":       "庁内周知文の保存",
}

// MasterName is the Japanese name of a master kind (staff, grants,
// watchlist, overtime, reception); the kind itself when unknown.
func MasterName(kind string) string {
	switch kind {
	case "staff":
		return "職員マスタ"
	case "grants":
		return "権限マスタ"
	case "watchlist":
		return "要注意対象"
	case "overtime":
		return "時間外申請"
	case "reception":
		return "受付簿"
	}
	return kind
}

type describer func(e domain.AuditEntry, before, after value) Text

var describers map[string]describer

func init() {
	describers = map[string]describer{
		"review.set":        reviewSet,
		"review.action":     reviewAction,
		"exclusion.add":     exclusionAdd,
		"exclusion.revoke":  exclusionRevoke,
		"hearing.set":       hearingSet,
		"master.staff.edit": staffEdit,
		"backup.save":       backupSave,
		"backup.restore":    backupRestore,
		"report.settings":   reportSettings,
		"report.defaults":   reportSettings,
		"log.import":        logImport,
		"run.inspect":       runInspect,
		"report.save":       fileSaved("点検報告書"),
		"annual.save":       fileSaved("年間総括"),
		"export.save":       fileSaved("エクスポート"),
		"notice.save":       fileSaved("庁内周知文"),
	}
}

// value is a decoded before or after: a JSON object (map), list, string,
// number or nothing.
type value struct {
	raw  string
	v    any
	obj  map[string]any
	list []any
}

func decode(s string) value {
	x := value{raw: s}
	if strings.TrimSpace(s) == "" {
		return x
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&x.v); err != nil {
		x.v = s // stored as a plain string
		return x
	}
	x.obj, _ = x.v.(map[string]any)
	x.list, _ = x.v.([]any)
	return x
}

// str returns a field of an object as text ("" when absent), looking in
// nested objects for a path "Finding.Rule".
func (x value) str(key string) string {
	if v, ok := x.obj[key]; ok {
		return scalar(v)
	}
	var cur any = x.obj
	for _, k := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[k]
	}
	return scalar(cur)
}

func (x value) num(key string) (int64, bool) {
	n, ok := x.obj[key].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func (x value) empty() bool { return x.v == nil }

// scalar writes a JSON value as text: numbers grouped, booleans as はい・
// いいえ, lists joined with 、.
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return groupDigits(n)
		}
		return t.String()
	case bool:
		if t {
			return "はい"
		}
		return "いいえ"
	case []any:
		parts := make([]string, 0, len(t))
		for _, x := range t {
			if s := scalar(x); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "、")
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if s := scalar(t[k]); s != "" {
				parts = append(parts, itemName(k)+"："+s)
			}
		}
		return strings.Join(parts, "、")
	}
	return fmt.Sprint(v)
}

func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// baseName is the file name of a path written on any PC.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// day writes 2025-05-03 (or a stored time stamp) as 2025年5月3日; anything
// else is left as it is.
func day(s string) string {
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil && !t.IsZero() {
			return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
		}
	}
	if strings.HasPrefix(s, "0001-01-01") {
		return ""
	}
	return s
}

// period writes 2025年5月1日〜5月31日.
func period(from, to string) string {
	f, t := day(from), day(to)
	switch {
	case f == "" && t == "":
		return ""
	case f == t:
		return f
	case len(from) >= 4 && len(to) >= 4 && from[:4] == to[:4]:
		if _, rest, ok := strings.Cut(t, "年"); ok {
			t = rest
		}
	}
	return f + "〜" + t
}

// ruleName is the catalogue's name of a rule, the ID for an unknown one.
func ruleName(id string) string {
	if r, ok := rules.Find(id); ok {
		return r.Name
	}
	return id
}

// findingText names a finding: 職員 S0012 の「勤務時間外の利用」（2025年5月3日）.
func findingText(rule, staff, date string) string {
	s := "職員 " + staff + " の「" + ruleName(rule) + "」"
	if d := day(date); d != "" {
		s += "（" + d + "）"
	}
	return s
}

// targetFinding reads rule/staff/date from a target.
func targetFinding(target string) (rule, staff, date string, ok bool) {
	parts := strings.Split(target, "/")
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

func reviewSet(e domain.AuditEntry, before, after value) Text {
	rule, staff, date := after.str("Key.Rule"), after.str("Key.StaffID"), after.str("Key.Date")
	if rule == "" {
		rule, staff, date, _ = targetFinding(e.Target)
	}
	status := domain.ReviewStatus(after.str("Status")).Label()
	t := Text{Sentence: findingText(rule, staff, date) + "を「" + status + "」と記録しました"}
	t.Changes = reviewChanges(before, after)
	return t
}

func reviewAction(e domain.AuditEntry, before, after value) Text {
	rule, staff, date := after.str("Key.Rule"), after.str("Key.StaffID"), after.str("Key.Date")
	if rule == "" {
		rule, staff, date, _ = targetFinding(e.Target)
	}
	st := domain.ActionStatus(after.str("ActionStatus")).Label()
	return Text{Sentence: findingText(rule, staff, date) + "の対応を「" + st + "」と記録しました", Changes: reviewChanges(before, after)}
}

// reviewChanges lists what a review entry changed: 確認結果, コメント and
// the follow-up (対応内容, 担当, 期限, 対応状況).
func reviewChanges(before, after value) []Change {
	var out []Change
	add := func(item, b, a string) {
		if b != a {
			out = append(out, Change{item, b, a})
		}
	}
	status := func(v value) string {
		if v.empty() {
			return ""
		}
		return domain.ReviewStatus(v.str("Status")).Label()
	}
	add("確認結果", status(before), status(after))
	add("コメント", before.str("Comment"), after.str("Comment"))
	add("記録した人", before.str("By"), after.str("By"))
	add("対応内容", before.str("Action"), after.str("Action"))
	add("担当", before.str("Owner"), after.str("Owner"))
	add("期限", day(before.str("Due")), day(after.str("Due")))
	actionStatus := func(v value) string {
		if v.empty() || v.str("ActionStatus") == "" && v.str("Action") == "" {
			return ""
		}
		return domain.ActionStatus(v.str("ActionStatus")).Label()
	}
	add("対応状況", actionStatus(before), actionStatus(after))
	return out
}

// exclusionKinds names what an exclusion takes out of the inspection.
var exclusionKinds = map[string]string{
	domain.ExcludeStaff:   "職員",
	domain.ExcludeAccount: "アカウント",
	domain.ExcludeFinding: "検出事項",
}

func exclusionObject(x value, target string) string {
	kind, staff := x.str("Kind"), x.str("StaffID")
	if kind == "" {
		kind, staff, _ = strings.Cut(target, ":")
	}
	if kind == domain.ExcludeFinding || x.str("Finding.Rule") != "" {
		rule, date := x.str("Finding.Rule"), x.str("Finding.Date")
		if rule == "" {
			rule, staff, date, _ = targetFinding(target)
		}
		return findingText(rule, staff, date)
	}
	name := exclusionKinds[kind]
	if name == "" {
		name = "対象"
	}
	return name + " " + staff + " "
}

func exclusionAdd(e domain.AuditEntry, _, after value) Text {
	t := Text{Sentence: exclusionObject(after, e.Target) + "を点検から除外しました"}
	t.Changes = nonEmpty([]Change{
		{"理由", "", after.str("Reason")},
		{"承認者", "", after.str("By")},
	})
	return t
}

func exclusionRevoke(e domain.AuditEntry, before, after value) Text {
	t := Text{Sentence: exclusionObject(after, e.Target) + "の除外を取り消しました"}
	t.Changes = nonEmpty([]Change{
		{"除外の理由", before.str("Reason"), ""},
		{"取り消しの理由", "", after.str("RevokeReason")},
		{"取り消した人", "", after.str("RevokedBy")},
	})
	return t
}

func nonEmpty(in []Change) []Change {
	var out []Change
	for _, c := range in {
		if c.Before != "" || c.After != "" {
			out = append(out, c)
		}
	}
	return out
}

func hearingSet(_ domain.AuditEntry, before, after value) Text {
	keys := make([]string, 0, len(after.obj))
	for k := range after.obj {
		keys = append(keys, k)
	}
	// In the order the sheet asks them; unknown keys last.
	order := map[string]int{}
	for i, k := range hearing.Keys() {
		order["hearing."+k] = i
	}
	sort.SliceStable(keys, func(i, j int) bool {
		oi, iok := order[keys[i]]
		oj, jok := order[keys[j]]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return keys[i] < keys[j]
	})
	var names []string
	var changes []Change
	for _, k := range keys {
		key := strings.TrimPrefix(k, "hearing.")
		label := hearing.Label(key)
		if label == "" {
			label = key
		}
		names = append(names, label)
		changes = append(changes, Change{label, hearingValue(key, before.str(k)), hearingValue(key, after.str(k))})
	}
	what := "ヒアリングシート"
	if len(names) > 0 {
		shown := names
		more := ""
		if len(names) > 3 {
			shown, more = names[:3], fmt.Sprintf(" ほか%d項目", len(names)-3)
		}
		what += "の「" + strings.Join(shown, "」「") + "」" + more
	}
	return Text{Sentence: what + "を変更しました", Changes: changes}
}

// hearingValue writes an answer for people: rule IDs as names, dates as
// 2025年5月1日.
func hearingValue(key, v string) string {
	switch key {
	case hearing.KeyRules:
		var names []string
		for _, id := range strings.Split(v, ";") {
			if id = strings.TrimSpace(id); id != "" {
				names = append(names, ruleName(id))
			}
		}
		return strings.Join(names, "、")
	case hearing.KeyFrom, hearing.KeyTo:
		return day(v)
	}
	return strings.ReplaceAll(v, ";", "、")
}

// staffFields are the items of a staff version compared by an edit.
var staffFields = []struct{ key, name string }{
	{"Name", "氏名"}, {"Dept", "所属"}, {"Title", "役職"}, {"Employment", "雇用区分"},
	{"Start", "着任日"}, {"End", "離任日"}, {"USBAllowed", "外部媒体の利用"}, {"SubjectID", "本人宛名番号"},
	{"Systems", "利用可能システム"}, {"Email", "メールアドレス"}, {"Accounts", "他のアカウント"},
}

// latest returns the last version of a staff list (the one in force).
func latest(v value) value {
	if len(v.list) == 0 {
		if v.obj != nil {
			return v
		}
		return value{}
	}
	m, _ := v.list[len(v.list)-1].(map[string]any)
	return value{v: m, obj: m}
}

func staffEdit(e domain.AuditEntry, before, after value) Text {
	b, a := latest(before), latest(after)
	who := "職員 " + e.Target
	if n := a.str("Name"); n != "" {
		who += "（" + n + "）"
	}
	verb := "を編集しました"
	if b.empty() {
		verb = "を追加しました"
	}
	var changes []Change
	for _, f := range staffFields {
		bv, av := b.str(f.key), a.str(f.key)
		switch f.key {
		case "Start", "End":
			bv, av = day(bv), day(av)
		case "SubjectID":
			// A resident number: masked as in every other output, and
			// a change that masking hides is still said.
			changed := bv != av
			bv, av = privacy.MaskID(bv), privacy.MaskID(av)
			if changed && bv == av {
				av += "（別の番号）"
			}
		}
		if bv != av {
			changes = append(changes, Change{f.name, bv, av})
		}
	}
	return Text{Sentence: "職員マスタの" + who + verb, Changes: changes}
}

func masterImport(e domain.AuditEntry, before, after value) Text {
	kind := strings.TrimSuffix(strings.TrimPrefix(e.Action, "master."), ".import")
	file := after.str("file")
	if file == "" {
		file = baseName(e.Target)
	}
	what := MasterName(kind)
	rows, ok := after.num("accepted")
	switch {
	case file != "" && ok:
		what += "（" + file + "、" + groupDigits(rows) + "行）"
	case file != "":
		what += "（" + file + "）"
	}
	s := what + "を取り込みました"
	if rej, ok := after.num("rejected"); ok && rej > 0 {
		s += "。取り込めなかった行は " + groupDigits(rej) + " 行です"
	}
	return Text{Sentence: s, Action: MasterName(kind) + "の取り込み", Changes: objectChanges(before, after)}
}

func logImport(e domain.AuditEntry, before, after value) Text {
	file := after.str("file")
	if file == "" {
		file = baseName(after.str("path"))
	}
	if file == "" {
		file = baseName(e.Target)
	}
	what := "ログ"
	if sys := after.str("system"); sys != "" {
		what = sys + "のログ"
	}
	rows, ok := after.num("accepted")
	switch {
	case file != "" && ok:
		what += "（" + file + "、" + groupDigits(rows) + "行）"
	case file != "":
		what += "（" + file + "）"
	}
	s := what + "を取り込みました"
	var extra []string
	if n, ok := after.num("rejected"); ok && n > 0 {
		extra = append(extra, "取り込めなかった行 "+groupDigits(n)+" 行")
	}
	if n, ok := after.num("duplicate"); ok && n > 0 {
		extra = append(extra, "取り込み済みで重複した行 "+groupDigits(n)+" 行")
	}
	if len(extra) > 0 {
		s += "。" + strings.Join(extra, "、") + "です"
	}
	return Text{Sentence: s, Changes: objectChanges(before, after)}
}

func runInspect(_ domain.AuditEntry, before, after value) Text {
	s := "点検を実行しました"
	if p := period(after.str("from"), after.str("to")); p != "" {
		s = p + "の" + s
	}
	if n, ok := after.num("findings"); ok {
		s += "（検出事項 " + groupDigits(n) + " 件）"
	}
	return Text{Sentence: s, Changes: objectChanges(before, after)}
}

func fileSaved(what string) describer {
	return func(e domain.AuditEntry, before, after value) Text {
		file := baseName(after.str("path"))
		if file == "" {
			file = baseName(after.str("file"))
		}
		if file == "" {
			file = baseName(e.Target)
		}
		s := what
		if file != "" {
			s += "（" + file + "）"
		}
		return Text{Sentence: s + "を保存しました", Changes: objectChanges(before, after)}
	}
}

func backupSave(e domain.AuditEntry, before, after value) Text {
	file := baseName(after.str("path"))
	if file == "" {
		file = baseName(after.str("out"))
	}
	if file == "" {
		file = baseName(e.Target)
	}
	s := "バックアップ"
	if file != "" {
		s += "（" + file + "）"
	}
	return Text{Sentence: s + "を保存しました", Changes: objectChanges(before, after)}
}

func backupRestore(e domain.AuditEntry, _, after value) Text {
	from := after.str("from")
	if from == "" {
		from = e.Target
	}
	s := "バックアップ"
	if file := baseName(from); file != "" {
		s += "（" + file + "）"
	}
	return Text{Sentence: s + "から復元しました", Changes: nonEmpty([]Change{
		{"復元したバックアップ", "", from},
		{"置き換えた元のデータベース", "", after.str("replaced")},
	})}
}

func reportSettings(_ domain.AuditEntry, before, after value) Text {
	return Text{Sentence: "報告書の既定の設定（日付の書き方・決裁欄・帳票番号・町章）を変更しました", Changes: objectChanges(before, after)}
}

func generic(e domain.AuditEntry, before, after value) Text {
	s := "「" + e.Action + "」の操作を行いました"
	if e.Target != "" {
		s = "「" + e.Target + "」に対して" + s
	}
	t := Text{Sentence: s, Changes: objectChanges(before, after)}
	if len(t.Changes) == 0 && (before.raw != "" || after.raw != "") {
		t.Changes = []Change{{"内容", before.raw, after.raw}}
	}
	return t
}

// itemNames name the keys of the objects the engine records.
var itemNames = map[string]string{
	"file": "ファイル", "path": "保存場所", "system": "システム", "kind": "種類", "sha256": "SHA-256",
	"rows_read": "読み込んだ行", "read": "読み込んだ行", "accepted": "取り込んだ行", "rejected": "取り込めなかった行",
	"duplicate": "重複した行", "rows_digest": "取り込んだ行のダイジェスト", "batch": "取込番号", "batches": "点検に使った取込",
	"run": "点検番号", "from": "開始日", "to": "終了日", "rules": "点検項目", "findings": "検出事項",
	"config_digest": "点検条件のダイジェスト", "findings_digest": "検出事項のダイジェスト", "anchor": "検証コード",
	"mode": "取り込み方", "replaced": "置き換えた元のデータベース", "size": "大きさ（バイト）", "digest": "ダイジェスト",
	"report.era": "日付の書き方", "report.approvers": "決裁欄", "report.form_no": "帳票番号", "report.logo": "町章",
	"out": "保存場所", "format": "形式", "fiscal_year": "年度",
}

func itemName(k string) string {
	if n, ok := itemNames[k]; ok {
		return n
	}
	return k
}

// itemOrder puts the keys the reader looks for first.
var itemOrder = []string{"file", "system", "path", "from", "to", "run", "findings", "rules", "rows_read", "read", "accepted",
	"rejected", "duplicate", "mode", "batch", "batches", "sha256", "rows_digest", "config_digest", "findings_digest", "anchor"}

// objectChanges lists the fields of a before and after object side by
// side. Values are written for people: dates in 年月日, numbers grouped,
// the 取り込み方 in words, rule IDs as names.
func objectChanges(before, after value) []Change {
	keys := map[string]bool{}
	for k := range before.obj {
		keys[k] = true
	}
	for k := range after.obj {
		keys[k] = true
	}
	var ordered []string
	for _, k := range itemOrder {
		if keys[k] {
			ordered = append(ordered, k)
			delete(keys, k)
		}
	}
	var rest []string
	for k := range keys {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	ordered = append(ordered, rest...)
	var out []Change
	for _, k := range ordered {
		b, a := itemValue(k, before.obj[k]), itemValue(k, after.obj[k])
		if b == "" && a == "" {
			continue
		}
		out = append(out, Change{itemName(k), b, a})
	}
	return out
}

func itemValue(key string, v any) string {
	s := scalar(v)
	switch key {
	case "from", "to":
		return day(s)
	case "mode":
		switch s {
		case "replace":
			return "置き換え"
		case "merge":
			return "追加・更新"
		}
	case "rules":
		var names []string
		for _, id := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '、' }) {
			names = append(names, ruleName(strings.TrimSpace(id)))
		}
		return strings.Join(names, "、")
	case "file":
		return baseName(s)
	}
	return s
}
