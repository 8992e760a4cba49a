// Package hearing is the hearing sheet (ヒアリングシート): the answers a town
// gives about itself and its inspection — who inspects, which period, the
// working hours and closed days, the systems and their retention, the mail
// domains, the rules and thresholds — that configure an inspection run.
//
// Sheet is the one typed form of the answers. Its text form is one line per
// key (`tenken hearing set key=value`, the settings "hearing.<key>" of the
// workspace, the run's snapshot): Parse is the only reader of that form and
// Sheet.Values the only writer, and Parse(s.Values()) gives s back. The app,
// the command line, the run snapshot and the report all go through them.
package hearing

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/rules"
)

// Field is one answer of the sheet: its key, its Japanese label, how to
// write it in the text form, and an example. The app shows Label and Help;
// `tenken hearing set -h` prints all four.
type Field struct {
	Key, Label, Help, Example string
}

// Keys of the sheet, in the order it asks them.
const (
	KeyTown           = "town"
	KeyTownCode       = "town_code"
	KeyDepartment     = "department"
	KeyPerson         = "person"
	KeyReviewer       = "reviewer"
	KeyApprover       = "approver"
	KeyKind           = "kind"
	KeyFrom           = "from"
	KeyTo             = "to"
	KeyHours          = "hours"
	KeyDeptHours      = "dept_hours"
	KeyExtended       = "extended"
	KeyClosed         = "closed"
	KeyOpen           = "open"
	KeySystems        = "systems"
	KeyRetention      = "retention"
	KeyRules          = "rules"
	KeyThresholds     = "thresholds"
	KeyDomains        = "domains"
	KeyPartnerDomains = "partner_domains"
	KeyRetentionYears = "retention_years"
	KeyReconciled     = "reconciled"
	KeyCaseDepts      = "case_depts"
	KeySampleSize     = "sample_size"
)

var fields = []Field{
	{KeyTown, "団体名", "報告書の表紙と各ページの見出しに載ります。", "山里町"},
	{KeyTownCode, "団体コード", "全国地方公共団体コード（6桁）。団体名を一覧から選ぶと入ります。報告書の表紙に載ります。", "012345"},
	{KeyDepartment, "担当課", "点検を行う課・係。", "総務課 情報政策係"},
	{KeyPerson, "担当者", "点検を行う人。報告書の作成者になります。", "山田 太郎"},
	{KeyReviewer, "確認者", "点検の結果を確認する人（係長など）。報告書の実施体制に載ります。", "佐藤 花子"},
	{KeyApprover, "承認者", "点検の報告を受けて承認する人（課長・CISOなど）。報告書の実施体制に載ります。", "鈴木 一郎"},
	{KeyKind, "点検の種類", "月次・四半期・年次・臨時のいずれか。", "月次"},
	{KeyFrom, "点検期間（開始日）", "YYYY-MM-DD。空欄なら取り込んだログの最初の日。", "2025-05-01"},
	{KeyTo, "点検期間（終了日）", "YYYY-MM-DD。空欄なら取り込んだログの最後の日。", "2025-05-31"},
	{KeyHours, "勤務時間", "始業-終業（HH:MM-HH:MM）。", "08:30-17:15"},
	{KeyDeptHours, "所属ごとの勤務時間", "勤務時間が違う所属を「所属=HH:MM-HH:MM」で、複数は ; で区切ります。", "保育所=07:00-19:00;図書館=09:00-18:00"},
	{KeyExtended, "窓口延長など", "特定の曜日や日だけ勤務時間が違う場合。「所属:曜日=HH:MM-HH:MM」または「日付=HH:MM-HH:MM」（所属を省くと全員）、複数は ; で区切ります。", "住民課:木=08:30-19:00;2025-05-25=08:30-17:15"},
	{KeyClosed, "町独自の閉庁日", "日付（YYYY-MM-DD、理由は「:理由」で）を ; で区切ります。", "2025-05-02:創立記念日"},
	{KeyOpen, "休日の開庁日", "土日祝日でも開庁した日（休日開庁）を ; で区切ります。", "2025-05-25:休日窓口"},
	{KeySystems, "対象システム", "点検するシステムの名前を ; で区切ります（報告書の点検範囲）。", "住民記録;税務;福祉;資産管理;メール"},
	{KeyRetention, "システムごとのログの保存", "「システム=保存年数」または「システム=保存年数:保管場所」を ; で区切ります。保管場所は " + strings.Join(Storages, "・") + " のいずれか。書かないシステムは「ログの保存年限」の年数です。", "住民記録=7:システム内;税務=5:庁内で別途保管"},
	{KeyRules, "点検項目", "行う点検の規則IDを ; で区切ります。空欄ならすべて行います。", "AFTER_HOURS;HOLIDAY;BULK_EXPORT"},
	{KeyThresholds, "しきい値", "「規則.項目=値」を ; で区切ります。空欄なら標準の値。", "BULK_EXPORT.records=500;LOGIN_FAILURE.count=5"},
	{KeyDomains, "役場のメールドメイン", "役場（自団体）のメールのドメインを ; で区切ります。これ以外への添付メールを点検します。", "town.yamazato.lg.jp"},
	{KeyPartnerDomains, "委託先・関係団体のメールドメイン", "社会福祉協議会や委託先など、添付メールを送ってよい相手のドメイン。", "yamazato-shakyo.or.jp"},
	{KeyRetentionYears, "ログの保存年限", "ログを保存する年数（住基の例：7年）。", "7"},
	{KeyReconciled, "受付簿と照合する所属", "照会を受付簿と照合する所属を ; で区切ります。空欄なら受付簿に出てくるすべての所属。", "住民課;税務課"},
	{KeyCaseDepts, "継続して扱う業務の所属", "生活保護・介護など、受付の後も継続して住民を扱う所属を ; で区切ります。受付簿との照合で、受付日の前後1日ではなく点検期間とその前30日の受付を業務の記録とみなします。", "福祉課;介護保険課"},
	{KeySampleSize, "抽出点検の件数", "受付簿がない場合に、職員1人あたり申請書と照合する照会の件数（1〜50）。", "5"},
}

// Storages are where a system's older logs are kept (保管場所), as the
// sheet offers them.
var Storages = []string{"システム内", "庁内で別途保管", "委託先で保管", "不明"}

// Kinds are the kinds of inspection the sheet offers.
var Kinds = []string{"月次", "四半期", "年次", "臨時"}

// Defaults of the answers the sheet does not leave empty.
const (
	DefaultHours          = domain.DefaultWorkStart + "-" + domain.DefaultWorkEnd
	DefaultRetentionYears = 7
	DefaultSampleSize     = 5
	maxSampleSize         = 50
)

// Fields returns every field of the sheet in the order it asks them.
func Fields() []Field { return slices.Clone(fields) }

// Keys returns every key in the order of Fields.
func Keys() []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.Key
	}
	return keys
}

// Label returns the Japanese label of a key ("" when unknown).
func Label(key string) string {
	for _, f := range fields {
		if f.Key == key {
			return f.Label
		}
	}
	return ""
}

// DeptHours are the working hours of one 所属 that differ from the town's.
type DeptHours struct {
	Dept  string
	Hours rules.Hours
}

// Retention is what the sheet says about one system's logs: how many years
// the town's rule keeps them, and where the older ones are.
type Retention struct {
	System  string
	Years   int
	Storage string // one of Storages, "" when not said
}

// Sheet is the hearing sheet, answered. The zero value is an unanswered
// sheet; Default fills the defaults.
type Sheet struct {
	Town       string // 団体名
	TownCode   string // 団体コード, 6 digits, "" when not chosen from the list
	Department string // 担当課
	Person     string // 担当者: who inspects
	Reviewer   string // 確認者
	Approver   string // 承認者
	Kind       string // one of Kinds, "" when not said

	// From and To are the inspection period (days, inclusive); zero means
	// the period of the imported logs.
	From, To time.Time

	Hours     rules.Hours // 勤務時間
	DeptHours []DeptHours
	Extended  []rules.HoursException // 窓口延長 etc.
	Closed    []calendar.Exception   // the town's own closed days
	Open      []calendar.Exception   // days open although usually closed

	Systems        []string    // 対象システム
	Retention      []Retention // per system, where the sheet says
	RetentionYears int         // the retention rule for the other systems

	// Rules lists the rules to run; empty runs every rule.
	Rules      []string
	Thresholds rules.Thresholds

	Domains, PartnerDomains []string

	// Reconciled lists the 所属 whose lookups UNMATCHED_LOOKUP checks
	// against the 受付簿; empty means every 所属 that appears in it.
	Reconciled []string
	// CaseDepts are the 所属 doing case work: a case opened in the period
	// or the 30 days before it counts as business with the resident.
	CaseDepts []string
	// SampleSize is how many lookups per staff member the 抽出点検 list
	// draws when there is no 受付簿.
	SampleSize int
}

// Default returns an unanswered sheet with the defaults of DOMAIN.md.
func Default() Sheet {
	return Sheet{
		Hours:          rules.Hours{Start: domain.DefaultWorkStart, End: domain.DefaultWorkEnd},
		RetentionYears: DefaultRetentionYears,
		SampleSize:     DefaultSampleSize,
	}
}

// RetentionOf returns the retention rule of a system: the sheet's line for
// it, else RetentionYears with no storage said.
func (s Sheet) RetentionOf(system string) Retention {
	k := foldName(system)
	for _, r := range s.Retention {
		if foldName(r.System) == k {
			return r
		}
	}
	return Retention{System: system, Years: s.RetentionYears}
}

// Enabled returns the rules to run as a set, nil when every rule runs.
func (s Sheet) Enabled() map[string]bool {
	if len(s.Rules) == 0 {
		return nil
	}
	m := make(map[string]bool, len(s.Rules))
	for _, id := range s.Rules {
		m[id] = true
	}
	return m
}

// Calendar returns the 閉庁日 calendar: the default one with the town's
// own closed and open days.
func (s Sheet) Calendar() *calendar.Calendar {
	cal := calendar.Default().Clone()
	for _, x := range s.Closed {
		cal.AddClosed(x.Date, x.Reason)
	}
	for _, x := range s.Open {
		cal.AddOpen(x.Date, x.Reason)
	}
	return cal
}

// DeptHoursMap returns the departments' hours keyed by 所属, as the rules
// take them.
func (s Sheet) DeptHoursMap() map[string]rules.Hours {
	if len(s.DeptHours) == 0 {
		return nil
	}
	m := make(map[string]rules.Hours, len(s.DeptHours))
	for _, d := range s.DeptHours {
		m[d.Dept] = d.Hours
	}
	return m
}

// Error is a wrong answer: which key, and what to write instead, in
// Japanese.
func fieldError(key, format string, a ...any) error {
	return &domain.Error{Code: "bad_hearing", Message: fmt.Sprintf("「%s」（%s）：", Label(key), key) + fmt.Sprintf(format, a...)}
}

// Parse reads the text form of the sheet (key → value). Keys absent or
// empty take their defaults; an unknown key or a value that does not read
// is an error in Japanese naming the field and what to write.
func Parse(kv map[string]string) (Sheet, error) {
	s := Default()
	// Read in the sheet's order, so that the first wrong answer reported
	// is the first the user meets.
	for k := range kv {
		if Label(k) == "" {
			return s, unknownKey(k)
		}
	}
	for _, f := range fields {
		if err := s.set(f.Key, kv[f.Key]); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Set changes one answer in its text form; an empty value restores the
// default. s is unchanged on error.
func (s *Sheet) Set(key, value string) error {
	if Label(key) == "" {
		return unknownKey(key)
	}
	c := *s
	if err := c.set(key, value); err != nil {
		return err
	}
	*s = c
	return nil
}

func unknownKey(k string) error {
	return &domain.Error{Code: "bad_key", Message: fmt.Sprintf("「%s」はヒアリングシートの項目ではありません。使える項目: %s", k, strings.Join(Keys(), ", "))}
}

// Validate checks one answer and returns it in its stored form (trimmed,
// full-width folded, times as 08:30-17:15); "" for an empty answer.
func Validate(key, value string) (string, error) {
	var s Sheet
	if err := s.Set(key, value); err != nil {
		return "", err
	}
	if strings.TrimSpace(value) == "" {
		return "", nil
	}
	return s.value(key), nil
}

// Values writes the sheet in its text form, every key present ("" for an
// unanswered one).
func (s Sheet) Values() map[string]string {
	kv := make(map[string]string, len(fields))
	for _, f := range fields {
		kv[f.Key] = s.value(f.Key)
	}
	return kv
}

var (
	hoursPattern   = regexp.MustCompile(`^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$`)
	domainPattern  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	townCode       = regexp.MustCompile(`^\d{6}$`)
	weekdayByName  = map[string]time.Weekday{"日": time.Sunday, "月": time.Monday, "火": time.Tuesday, "水": time.Wednesday, "木": time.Thursday, "金": time.Friday, "土": time.Saturday}
	weekdayLetters = [7]string{"日", "月", "火", "水", "木", "金", "土"}
)

// splitItems splits a list answer on ; , 、 and line breaks.
func splitItems(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '、' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseHours folds "08:30〜17:15" (full-width too) and checks it. Hours are
// written with two digits, as the sheet shows them.
func parseHours(key, v string) (rules.Hours, error) {
	v = strings.NewReplacer("〜", "-", "~", "-", "－", "-", " ", "").Replace(norm.NFKC.String(strings.TrimSpace(v)))
	if !hoursPattern.MatchString(v) {
		return rules.Hours{}, fieldError(key, "勤務時間「%s」を読めません。08:30-17:15 の形で指定してください。", v)
	}
	start, end, _ := strings.Cut(v, "-")
	if start >= end || end > "24:00" {
		return rules.Hours{}, fieldError(key, "勤務時間「%s」の終了が開始より後になっていません。", v)
	}
	return rules.Hours{Start: start, End: end}, nil
}

func hoursText(h rules.Hours) string { return h.Start + "-" + h.End }

// ParseDay reads a day written as 2025-05-01 or 2025/5/1 (full-width
// digits folded).
func ParseDay(s string) (time.Time, bool) {
	s = strings.ReplaceAll(norm.NFKC.String(strings.TrimSpace(s)), "/", "-")
	t, err := time.Parse("2006-1-2", s)
	return t, err == nil
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// set parses one answer into s. An empty value restores the default.
func (s *Sheet) set(key, value string) error {
	v := strings.TrimSpace(value)
	def := Default()
	switch key {
	case KeyTown:
		s.Town = v
	case KeyTownCode:
		v = norm.NFKC.String(v)
		if v != "" && !townCode.MatchString(v) {
			return fieldError(key, "「%s」は6桁の数字で指定してください。", v)
		}
		s.TownCode = v
	case KeyDepartment:
		s.Department = v
	case KeyPerson:
		s.Person = v
	case KeyReviewer:
		s.Reviewer = v
	case KeyApprover:
		s.Approver = v
	case KeyKind:
		if v != "" && !slices.Contains(Kinds, v) {
			return fieldError(key, "「%s」は使えません。%sのいずれかを指定してください。", v, strings.Join(Kinds, "・"))
		}
		s.Kind = v
	case KeyFrom, KeyTo:
		var t time.Time
		if v != "" {
			var ok bool
			if t, ok = ParseDay(v); !ok {
				return fieldError(key, "日付「%s」を読めません。2025-05-01 の形で指定してください。", v)
			}
		}
		if key == KeyFrom {
			s.From = t
		} else {
			s.To = t
		}
	case KeyHours:
		if v == "" {
			s.Hours = def.Hours
			return nil
		}
		h, err := parseHours(key, v)
		if err != nil {
			return err
		}
		s.Hours = h
	case KeyDeptHours:
		s.DeptHours = nil
		for _, it := range splitItems(v) {
			dept, hrs, ok := strings.Cut(it, "=")
			if !ok || strings.TrimSpace(dept) == "" {
				return fieldError(key, "「%s」を読めません。「所属=08:30-17:15」の形で指定してください。", it)
			}
			h, err := parseHours(key, hrs)
			if err != nil {
				return err
			}
			s.DeptHours = append(s.DeptHours, DeptHours{Dept: strings.TrimSpace(dept), Hours: h})
		}
	case KeyExtended:
		s.Extended = nil
		for _, it := range splitItems(v) {
			x, err := parseExtended(it)
			if err != nil {
				return err
			}
			s.Extended = append(s.Extended, x)
		}
	case KeyClosed, KeyOpen:
		var list []calendar.Exception
		for _, it := range splitItems(v) {
			d, reason, _ := strings.Cut(it, ":")
			t, ok := ParseDay(d)
			if !ok {
				return fieldError(key, "日付「%s」を読めません。2025-05-02 または 2025-05-02:理由 の形で指定してください。", d)
			}
			list = append(list, calendar.Exception{Date: t, Closed: key == KeyClosed, Reason: strings.TrimSpace(reason)})
		}
		if key == KeyClosed {
			s.Closed = list
		} else {
			s.Open = list
		}
	case KeySystems:
		s.Systems = splitItems(v)
	case KeyRetention:
		s.Retention = nil
		for _, it := range splitItems(v) {
			sys, rest, ok := strings.Cut(it, "=")
			years, storage, _ := strings.Cut(rest, ":")
			n, err := strconv.Atoi(strings.TrimSpace(norm.NFKC.String(strings.TrimSuffix(strings.TrimSpace(years), "年"))))
			if !ok || strings.TrimSpace(sys) == "" || err != nil || n < 1 || n > 100 {
				return fieldError(key, "「%s」を読めません。「住民記録=7」または「住民記録=7:システム内」の形で指定してください（年数は1〜100）。", it)
			}
			storage = strings.TrimSpace(storage)
			if storage != "" && !slices.Contains(Storages, storage) {
				return fieldError(key, "保管場所「%s」は使えません。%sのいずれかを指定してください。", storage, strings.Join(Storages, "・"))
			}
			s.Retention = append(s.Retention, Retention{System: strings.TrimSpace(sys), Years: n, Storage: storage})
		}
	case KeyRules:
		s.Rules = nil
		for _, id := range splitItems(norm.NFKC.String(v)) {
			id = strings.ToUpper(id)
			if _, ok := rules.Find(id); !ok {
				var ids []string
				for _, r := range rules.Catalogue() {
					ids = append(ids, r.ID)
				}
				return fieldError(key, "点検項目「%s」はありません。使える項目: %s", id, strings.Join(ids, ", "))
			}
			if !slices.Contains(s.Rules, id) {
				s.Rules = append(s.Rules, id)
			}
		}
	case KeyThresholds:
		t, err := rules.ParseThresholds(v)
		if err != nil {
			return fieldError(key, "%s", err.Error())
		}
		s.Thresholds = t
	case KeyDomains, KeyPartnerDomains:
		var out []string
		for _, d := range strings.FieldsFunc(norm.NFKC.String(v), func(r rune) bool { return strings.ContainsRune(";,、 \t\n", r) }) {
			d = strings.ToLower(strings.TrimPrefix(d, "@"))
			if !domainPattern.MatchString(d) {
				return fieldError(key, "メールのドメイン「%s」を読めません。town.yamazato.lg.jp のように指定してください。", d)
			}
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
		if key == KeyDomains {
			s.Domains = out
		} else {
			s.PartnerDomains = out
		}
	case KeyRetentionYears:
		if v == "" {
			s.RetentionYears = def.RetentionYears
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSuffix(norm.NFKC.String(v), "年"))
		if err != nil || n < 1 || n > 100 {
			return fieldError(key, "「%s」は1から100までの年数で指定してください。", v)
		}
		s.RetentionYears = n
	case KeyReconciled:
		s.Reconciled = splitItems(v)
	case KeyCaseDepts:
		s.CaseDepts = splitItems(v)
	case KeySampleSize:
		if v == "" {
			s.SampleSize = def.SampleSize
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSuffix(norm.NFKC.String(v), "件"))
		if err != nil || n < 1 || n > maxSampleSize {
			return fieldError(key, "「%s」は1から%dまでの件数で指定してください。", v, maxSampleSize)
		}
		s.SampleSize = n
	default:
		return unknownKey(key)
	}
	return nil
}

// value writes one answer in its text form.
func (s Sheet) value(key string) string {
	switch key {
	case KeyTown:
		return s.Town
	case KeyTownCode:
		return s.TownCode
	case KeyDepartment:
		return s.Department
	case KeyPerson:
		return s.Person
	case KeyReviewer:
		return s.Reviewer
	case KeyApprover:
		return s.Approver
	case KeyKind:
		return s.Kind
	case KeyFrom:
		return dayText(s.From)
	case KeyTo:
		return dayText(s.To)
	case KeyHours:
		if s.Hours == (rules.Hours{}) {
			return DefaultHours
		}
		return hoursText(s.Hours)
	case KeyDeptHours:
		out := make([]string, len(s.DeptHours))
		for i, d := range s.DeptHours {
			out[i] = d.Dept + "=" + hoursText(d.Hours)
		}
		return strings.Join(out, ";")
	case KeyExtended:
		out := make([]string, len(s.Extended))
		for i, x := range s.Extended {
			out[i] = ExtendedText(x)
		}
		return strings.Join(out, ";")
	case KeyClosed:
		return exceptionsText(s.Closed)
	case KeyOpen:
		return exceptionsText(s.Open)
	case KeySystems:
		return strings.Join(s.Systems, ";")
	case KeyRetention:
		out := make([]string, len(s.Retention))
		for i, r := range s.Retention {
			out[i] = r.System + "=" + strconv.Itoa(r.Years)
			if r.Storage != "" {
				out[i] += ":" + r.Storage
			}
		}
		return strings.Join(out, ";")
	case KeyRules:
		return strings.Join(s.Rules, ";")
	case KeyThresholds:
		return s.Thresholds.Changed()
	case KeyDomains:
		return strings.Join(s.Domains, ";")
	case KeyPartnerDomains:
		return strings.Join(s.PartnerDomains, ";")
	case KeyRetentionYears:
		if s.RetentionYears == 0 {
			return strconv.Itoa(DefaultRetentionYears)
		}
		return strconv.Itoa(s.RetentionYears)
	case KeyReconciled:
		return strings.Join(s.Reconciled, ";")
	case KeyCaseDepts:
		return strings.Join(s.CaseDepts, ";")
	case KeySampleSize:
		if s.SampleSize == 0 {
			return strconv.Itoa(DefaultSampleSize)
		}
		return strconv.Itoa(s.SampleSize)
	}
	return ""
}

func exceptionsText(list []calendar.Exception) string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = dayText(x.Date)
		if x.Reason != "" {
			out[i] += ":" + x.Reason
		}
	}
	return strings.Join(out, ";")
}

// parseExtended reads "住民課:木=08:30-19:00", "2025-05-20=08:30-21:00" or
// "住民課:2025-05-20=08:30-21:00".
func parseExtended(it string) (rules.HoursException, error) {
	const key = KeyExtended
	lhs, hrs, ok := strings.Cut(norm.NFKC.String(it), "=")
	if !ok {
		return rules.HoursException{}, fieldError(key, "「%s」を読めません。「住民課:木=08:30-19:00」の形で指定してください。", it)
	}
	h, err := parseHours(key, hrs)
	if err != nil {
		return rules.HoursException{}, err
	}
	x := rules.HoursException{Hours: h}
	dept, when, found := strings.Cut(lhs, ":")
	if !found {
		dept, when = "", lhs
	}
	x.Dept, when = strings.TrimSpace(dept), strings.TrimSpace(when)
	if t, ok := ParseDay(when); ok {
		x.Date = t
		return x, nil
	}
	w := strings.TrimSuffix(strings.TrimSuffix(when, "日"), "曜")
	if w == "" {
		w = "日" // 日曜日 → 日曜 → 日
	}
	wd, ok := weekdayByName[w]
	if !ok {
		return rules.HoursException{}, fieldError(key, "「%s」の曜日または日付を読めません（例：木、2025-05-20）。", it)
	}
	x.Weekday = wd
	return x, nil
}

// ExtendedText writes one hours exception in the sheet's text form:
// 住民課:木=08:30-19:00, 2025-05-20=08:30-21:00.
func ExtendedText(x rules.HoursException) string {
	when := weekdayLetters[x.Weekday]
	if !x.Date.IsZero() {
		when = dayText(x.Date)
	}
	text := when + "=" + hoursText(x.Hours)
	if x.Dept != "" {
		text = x.Dept + ":" + text
	}
	return text
}

// foldName folds a system or department name for comparison: NFKC, no
// white space.
func foldName(s string) string {
	return strings.Join(strings.Fields(norm.NFKC.String(s)), "")
}
