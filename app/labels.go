package app

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// ruleNames maps the stable rule IDs of DOMAIN.md to the names the GUI
// shows. It is the only place the GUI names rules.
var ruleNames = map[string]string{
	"AFTER_HOURS":         "勤務時間外アクセス",
	"HOLIDAY":             "閉庁日アクセス",
	"UNAUTHORIZED_SYSTEM": "権限外システム利用",
	"RETIRED_ID":          "離任者IDの利用",
	"UNKNOWN_ID":          "未登録IDの利用",
	"WATCHLIST":           "要注意対象の照会",
	"SELF_LOOKUP":         "本人・家族の情報の照会",
	"BULK_LOOKUP":         "大量照会",
	"BULK_EXPORT":         "大量出力",
	"REPEATED_SUBJECT":    "同一住民の繰り返し照会",
	"LOGIN_FAILURE":       "ログイン失敗の多発",
	"SHARED_ID":           "IDの共用",
	"DEVICE_WRITE":        "外部媒体への書込み",
	"EXPORT_THEN_DEVICE":  "出力後の持ち出し",
	"MAIL_EXTERNAL":       "外部へのメール送信",
	"LOG_GAP":             "ログの欠損・改ざんの兆候",
}

// coreRules are always listed on the dashboard, with 0 when nothing was
// found: "checked and clean" is a result the inspector wants to see.
var coreRules = []string{"AFTER_HOURS", "HOLIDAY", "UNAUTHORIZED_SYSTEM", "RETIRED_ID", "UNKNOWN_ID"}

// ruleName returns the Japanese name of a rule, or the ID itself for a rule
// this GUI does not know yet.
func ruleName(id string) string {
	if n, ok := ruleNames[id]; ok {
		return n
	}
	return id
}

// ruleCount is one line of the dashboard's findings-by-rule table.
type ruleCount struct {
	ID    string
	Name  string
	Count int
}

// ruleCounts lists the core rules first, in their fixed order, then any
// other rule that has findings, by ID.
func ruleCounts(byRule map[string]int) []ruleCount {
	out := make([]ruleCount, 0, len(coreRules)+len(byRule))
	seen := map[string]bool{}
	for _, id := range coreRules {
		out = append(out, ruleCount{ID: id, Name: ruleName(id), Count: byRule[id]})
		seen[id] = true
	}
	var rest []string
	for id := range byRule {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		out = append(out, ruleCount{ID: id, Name: ruleName(id), Count: byRule[id]})
	}
	return out
}

// formatDate writes a date the way Japanese forms do: 2024年4月1日.
func formatDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// formatDateTime writes 2024年7月1日 9:05.
func formatDateTime(t time.Time) string {
	return fmt.Sprintf("%s %d:%02d", formatDate(t), t.Hour(), t.Minute())
}

// formatPeriod writes a period, leaving out the year of its end when it is
// the same as the start's: 2024年4月1日〜6月30日.
func formatPeriod(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "―"
	case to.IsZero():
		return formatDate(from) + "〜"
	case from.IsZero():
		return "〜" + formatDate(to)
	case from.Year() == to.Year():
		return fmt.Sprintf("%s〜%d月%d日", formatDate(from), int(to.Month()), to.Day())
	}
	return formatDate(from) + "〜" + formatDate(to)
}

// formatInt writes n with thousands separators: 12,345.
func formatInt[T ~int | ~int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
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

// formatFindingDate turns a finding's YYYY-MM-DD into 2024年4月1日, leaving
// anything unparsable as it is.
func formatFindingDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return formatDate(t)
}

// action names what a button does; the view enables buttons by action.
type action int

// The user's actions.
const (
	actNone action = iota
	actImportLog
	actImportStaff
	actImportGrants
	actInspect
	actReport
	actSample
	actHearing
	actImportWatch
	actImportOvertime
	actReview
	actAudit
	actExport
	actAnnual
	actBackup
	actRestore
)

// nextStep is the dashboard's 「次にすること」: a sentence and the action
// that carries it out.
type nextStep struct {
	Text string
	Act  action
}

// nextStepFor decides what the user should do next in the order of the
// work: logs, staff master, inspection, report. reportSaved says whether the
// report of the latest run was saved in this session.
func nextStepFor(s workspace.Summary, reportSaved bool) nextStep {
	switch {
	case s.Files == 0:
		return nextStep{"まずはログを取り込んでください。", actImportLog}
	case s.Staff == 0:
		return nextStep{"職員マスタを取り込んでください。離任者IDや未登録IDの点検に使います。", actImportStaff}
	case s.LastRun == nil:
		return nextStep{"点検を実行してください。", actInspect}
	case importedAfter(s.Batches, s.LastRun.At):
		return nextStep{"前回の点検の後にログを取り込みました。点検を実行してください。", actInspect}
	case !reportSaved:
		return nextStep{"検出事項を確認して、報告書を保存してください。", actReport}
	}
	return nextStep{"報告書を保存しました。次の期間のログが届いたら、取り込んで点検してください。", actImportLog}
}

// importedAfter reports whether any batch was imported after t.
func importedAfter(batches []domain.ImportBatch, t time.Time) bool {
	for _, b := range batches {
		if b.ImportedAt.After(t) {
			return true
		}
	}
	return false
}

// defaultSystems are the systems a small town typically inspects; the
// system form offers them along with every system already imported.
var defaultSystems = []string{"住民記録", "税務", "福祉", "国保", "介護"}

// systemAliases map words seen in export file names to a system name; the
// first match wins, so 住民税 is tried before 住民.
var systemAliases = []struct{ word, system string }{
	{"住民税", "税務"},
	{"住民基本台帳", "住民記録"},
	{"住基", "住民記録"},
	{"国民健康保険", "国保"},
	{"税", "税務"},
	{"住民", "住民記録"},
}

// systemOptions returns the default systems followed by the systems found
// in earlier imports, without duplicates.
func systemOptions(batches []domain.ImportBatch) []string {
	out := append([]string(nil), defaultSystems...)
	seen := map[string]bool{}
	for _, s := range out {
		seen[s] = true
	}
	for _, b := range batches {
		if b.System != "" && !seen[b.System] {
			seen[b.System] = true
			out = append(out, b.System)
		}
	}
	return out
}

// guessSystem proposes a system name from a file name, e.g.
// 住民記録_202404.csv → 住民記録, so the usual case is one click. Longer
// names win over their prefixes; "" means no guess.
func guessSystem(path string, options []string) string {
	name := filepath.Base(path)
	best := ""
	for _, o := range options {
		if strings.Contains(name, o) && len([]rune(o)) > len([]rune(best)) {
			best = o
		}
	}
	if best != "" {
		return best
	}
	for _, a := range systemAliases {
		if strings.Contains(name, a.word) {
			return a.system
		}
	}
	return ""
}

// logKinds are the choices of the import form, in display order.
var logKinds = []struct {
	Label string
	Kind  domain.LogKind
}{
	{"自動判定", ""},
	{"業務システムのアクセスログ", domain.KindAccess},
	{"資産管理（端末）のログ", domain.KindEndpoint},
}

// logKindFor returns the kind of a label of logKinds; unknown labels detect.
func logKindFor(label string) domain.LogKind {
	for _, k := range logKinds {
		if k.Label == label {
			return k.Kind
		}
	}
	return ""
}

// logExtensions are the files the log import accepts.
var logExtensions = []string{".csv", ".txt", ".tsv", ".xlsx"}

// hasExtension reports whether path ends in one of exts, ignoring case
// (exports from Windows systems are often .CSV).
func hasExtension(path string, exts []string) bool {
	ext := filepath.Ext(path)
	for _, e := range exts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

// reportFileName is the default name of the report: 点検報告書_20240701.pdf.
func reportFileName(now time.Time) string {
	return "点検報告書_" + now.Format("20060102") + ".pdf"
}

// withPDFExtension appends .pdf when the user typed a name without it.
func withPDFExtension(path string) string { return withExtension(path, ".pdf") }

// withExtension appends ext when the user typed a name without it; an
// empty ext leaves the name alone.
func withExtension(path, ext string) string {
	if ext == "" || strings.EqualFold(filepath.Ext(path), ext) {
		return path
	}
	return path + ext
}

// masterTitle is the Japanese name of a master kind.
func masterTitle(k workspace.MasterKind) string {
	switch k {
	case workspace.MasterStaff:
		return "職員マスタ"
	case workspace.MasterGrants:
		return "権限マスタ"
	case workspace.MasterWatchlist:
		return "要注意対象リスト"
	case workspace.MasterOvertime:
		return "時間外申請"
	}
	return string(k)
}

// baseName returns the last element of a path written with either
// separator: a batch records its file as written on the PC that imported it.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// logFields are the canonical fields of DOMAIN.md with their Japanese
// names, in the order the mapping pick list offers them.
var logFields = []struct{ Field, Label string }{
	{"time", "日時"},
	{"date", "日付"},
	{"clock", "時刻"},
	{"staff_id", "職員ID"},
	{"staff_name", "氏名"},
	{"terminal", "端末"},
	{"system", "システム"},
	{"function", "機能・画面"},
	{"action", "操作"},
	{"subject_id", "宛名番号"},
	{"records", "件数"},
	{"result", "結果"},
	{"device", "デバイス・媒体"},
	{"file", "ファイル名"},
	{"mail_to", "宛先"},
	{"attachment", "添付ファイル"},
	{"attach_size", "添付サイズ"},
	{"dept", "所属"},
	{"title", "役職"},
	{"employment", "雇用区分"},
	{"start", "着任日・開始日"},
	{"end", "離任日・終了日"},
	{"usb", "外部媒体利用可"},
	{"systems", "利用可能システム"},
	{"permission", "権限"},
	{"category", "区分"},
	{"depts", "閲覧可能所属"},
}

// fieldLabel returns the Japanese name of a canonical field; an unknown
// field shows as it is.
func fieldLabel(f string) string {
	for _, x := range logFields {
		if x.Field == f {
			return x.Label
		}
	}
	return f
}

// fieldFor is the inverse of fieldLabel.
func fieldFor(label string) string {
	for _, x := range logFields {
		if x.Label == label {
			return x.Field
		}
	}
	return ""
}
