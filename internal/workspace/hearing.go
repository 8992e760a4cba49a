package workspace

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/rules"
)

// HearingField is one answer of the hearing sheet (ヒアリングシート): its key
// (settings "hearing.<key>", `tenken hearing set key=value`), its Japanese
// label, how to write it, and an example. The GUI's wizard shows Label,
// Help and Example and checks input with ValidateHearing.
type HearingField struct {
	Key, Label, Help, Example string
}

// hearingFields lists every key in the order the sheet asks them.
var hearingFields = []HearingField{
	{"town", "団体名", "報告書の表紙と各ページの見出しに載ります。", "山里町"},
	{"department", "担当課", "点検を行う課・係。", "総務課 情報政策係"},
	{"person", "担当者", "点検を行う人。報告書の作成者になります。", "山田 太郎"},
	{"kind", "点検の種類", "月次・四半期・年次・臨時のいずれか。", "月次"},
	{"from", "点検期間（開始日）", "YYYY-MM-DD。空欄なら取り込んだログの最初の日。", "2025-05-01"},
	{"to", "点検期間（終了日）", "YYYY-MM-DD。空欄なら取り込んだログの最後の日。", "2025-05-31"},
	{"hours", "勤務時間", "始業-終業（HH:MM-HH:MM）。", "08:30-17:15"},
	{"dept_hours", "所属ごとの勤務時間", "勤務時間が違う所属を「所属=HH:MM-HH:MM」で、複数は ; で区切ります。", "保育所=07:00-19:00;図書館=09:00-18:00"},
	{"extended", "窓口延長など", "特定の曜日や日だけ勤務時間が違う場合。「所属:曜日=HH:MM-HH:MM」または「日付=HH:MM-HH:MM」（所属を省くと全員）、複数は ; で区切ります。", "住民課:木=08:30-19:00;2025-05-25=08:30-17:15"},
	{"closed", "町独自の閉庁日", "日付（YYYY-MM-DD、理由は「:理由」で）を ; で区切ります。", "2025-05-02:創立記念日"},
	{"open", "休日の開庁日", "土日祝日でも開庁した日（休日開庁）を ; で区切ります。", "2025-05-25:休日窓口"},
	{"systems", "対象システム", "点検するシステムの名前を ; で区切ります（報告書の点検範囲）。", "住民記録;税務;福祉;資産管理;メール"},
	{"rules", "点検項目", "行う点検の規則IDを ; で区切ります。空欄ならすべて行います。", "AFTER_HOURS;HOLIDAY;BULK_EXPORT"},
	{"thresholds", "しきい値", "「規則.項目=値」を ; で区切ります。空欄なら標準の値。", "BULK_EXPORT.records=500;LOGIN_FAILURE.count=5"},
	{"domains", "役場のメールドメイン", "役場（自団体）のメールのドメインを ; で区切ります。これ以外への添付メールを点検します。", "town.yamazato.lg.jp"},
	{"partner_domains", "委託先・関係団体のメールドメイン", "社会福祉協議会や委託先など、添付メールを送ってよい相手のドメイン。", "yamazato-shakyo.or.jp"},
	{"retention_years", "ログの保存年限", "ログを保存する年数（住基の例：7年）。", "7"},
}

// hearingDefaults are the answers before the user gives any.
var hearingDefaults = map[string]string{"hours": "08:30-17:15", "retention_years": "7"}

// HearingFields returns every hearing-sheet field in display order.
func HearingFields() []HearingField { return slices.Clone(hearingFields) }

// HearingKeys returns the keys `hearing set` accepts, in display order.
func HearingKeys() []string {
	keys := make([]string, len(hearingFields))
	for i, k := range hearingFields {
		keys[i] = k.Key
	}
	return keys
}

// HearingLabel returns the Japanese label of a key ("" when unknown).
func HearingLabel(key string) string {
	for _, f := range hearingFields {
		if f.Key == key {
			return f.Label
		}
	}
	return ""
}

var (
	hoursPattern  = regexp.MustCompile(`^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$`)
	domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	weekdays      = map[string]time.Weekday{"日": time.Sunday, "月": time.Monday, "火": time.Tuesday, "水": time.Wednesday, "木": time.Thursday, "金": time.Friday, "土": time.Saturday}
)

func hearingError(key, format string, a ...any) error {
	return &domain.Error{Code: "bad_hearing", Message: fmt.Sprintf("「%s」（%s）：", HearingLabel(key), key) + fmt.Sprintf(format, a...)}
}

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

// normHours folds "08:30〜17:15" (full-width too) to "08:30-17:15" and
// checks it. Hours are written with two digits, as the sheet shows them.
func normHours(key, v string) (string, error) {
	v = strings.NewReplacer("〜", "-", "~", "-", "－", "-", " ", "").Replace(norm.NFKC.String(strings.TrimSpace(v)))
	if !hoursPattern.MatchString(v) {
		return "", hearingError(key, "勤務時間「%s」を読めません。08:30-17:15 の形で指定してください。", v)
	}
	if start, end, _ := strings.Cut(v, "-"); start >= end || end > "24:00" {
		return "", hearingError(key, "勤務時間「%s」の終了が開始より後になっていません。", v)
	}
	return v, nil
}

func parseDay(s string) (time.Time, bool) {
	s = strings.ReplaceAll(norm.NFKC.String(strings.TrimSpace(s)), "/", "-")
	t, err := time.Parse("2006-1-2", s)
	return t, err == nil
}

// ValidateHearing checks one answer and returns it in its stored form
// (trimmed, full-width folded, times as 08:30-17:15). The error is a
// *domain.Error in Japanese naming the field and what to write.
func ValidateHearing(key, value string) (string, error) {
	v := strings.TrimSpace(value)
	if HearingLabel(key) == "" {
		return "", &domain.Error{Code: "bad_key", Message: fmt.Sprintf("「%s」はヒアリングシートの項目ではありません。使える項目: %s", key, strings.Join(HearingKeys(), ", "))}
	}
	if v == "" {
		return "", nil
	}
	switch key {
	case "kind":
		if !slices.Contains([]string{"月次", "四半期", "年次", "臨時"}, v) {
			return "", hearingError(key, "「%s」は使えません。月次・四半期・年次・臨時のいずれかを指定してください。", v)
		}
	case "from", "to":
		t, ok := parseDay(v)
		if !ok {
			return "", hearingError(key, "日付「%s」を読めません。2025-05-01 の形で指定してください。", v)
		}
		v = t.Format(time.DateOnly)
	case "hours":
		return normHours(key, v)
	case "dept_hours":
		var out []string
		for _, it := range splitItems(v) {
			dept, hrs, ok := strings.Cut(it, "=")
			if !ok || strings.TrimSpace(dept) == "" {
				return "", hearingError(key, "「%s」を読めません。「所属=08:30-17:15」の形で指定してください。", it)
			}
			h, err := normHours(key, hrs)
			if err != nil {
				return "", err
			}
			out = append(out, strings.TrimSpace(dept)+"="+h)
		}
		v = strings.Join(out, ";")
	case "extended":
		var out []string
		for _, it := range splitItems(v) {
			x, err := parseExtended(it)
			if err != nil {
				return "", err
			}
			out = append(out, x.text)
		}
		v = strings.Join(out, ";")
	case "closed", "open":
		var out []string
		for _, it := range splitItems(v) {
			d, reason, _ := strings.Cut(it, ":")
			t, ok := parseDay(d)
			if !ok {
				return "", hearingError(key, "日付「%s」を読めません。2025-05-02 または 2025-05-02:理由 の形で指定してください。", d)
			}
			s := t.Format(time.DateOnly)
			if r := strings.TrimSpace(reason); r != "" {
				s += ":" + r
			}
			out = append(out, s)
		}
		v = strings.Join(out, ";")
	case "systems":
		v = strings.Join(splitItems(v), ";")
	case "rules":
		var out []string
		for _, id := range splitItems(norm.NFKC.String(v)) {
			id = strings.ToUpper(id)
			if _, ok := rules.Find(id); !ok {
				var ids []string
				for _, r := range rules.Catalogue() {
					ids = append(ids, r.ID)
				}
				return "", hearingError(key, "点検項目「%s」はありません。使える項目: %s", id, strings.Join(ids, ", "))
			}
			out = append(out, id)
		}
		v = strings.Join(out, ";")
	case "thresholds":
		if _, err := rules.ParseThresholds(v); err != nil {
			return "", hearingError(key, "%s", err.Error())
		}
		v = norm.NFKC.String(v)
	case "domains", "partner_domains":
		var out []string
		for _, d := range strings.FieldsFunc(norm.NFKC.String(v), func(r rune) bool { return strings.ContainsRune(";,、 \t\n", r) }) {
			d = strings.ToLower(strings.TrimPrefix(d, "@"))
			if !domainPattern.MatchString(d) {
				return "", hearingError(key, "メールのドメイン「%s」を読めません。town.yamazato.lg.jp のように指定してください。", d)
			}
			out = append(out, d)
		}
		v = strings.Join(out, ";")
	case "retention_years":
		n, err := strconv.Atoi(norm.NFKC.String(v))
		if err != nil || n < 1 || n > 100 {
			return "", hearingError(key, "「%s」は1から100までの年数で指定してください。", v)
		}
		v = strconv.Itoa(n)
	}
	return v, nil
}

// extendedItem is one parsed 窓口延長 answer.
type extendedItem struct {
	x    rules.HoursException
	text string
}

// parseExtended reads "住民課:木=08:30-19:00", "2025-05-20=08:30-21:00" or
// "住民課:2025-05-20=08:30-21:00".
func parseExtended(it string) (extendedItem, error) {
	const key = "extended"
	lhs, hrs, ok := strings.Cut(norm.NFKC.String(it), "=")
	if !ok {
		return extendedItem{}, hearingError(key, "「%s」を読めません。「住民課:木=08:30-19:00」の形で指定してください。", it)
	}
	h, err := normHours(key, hrs)
	if err != nil {
		return extendedItem{}, err
	}
	var x rules.HoursException
	dept, when, found := strings.Cut(lhs, ":")
	if !found {
		dept, when = "", lhs
	}
	dept, when = strings.TrimSpace(dept), strings.TrimSpace(when)
	if t, ok := parseDay(when); ok {
		x.Date = t
		when = t.Format(time.DateOnly)
	} else {
		w := strings.TrimSuffix(strings.TrimSuffix(when, "日"), "曜")
		if w == "" {
			w = "日" // 日曜日 → 日曜 → 日
		}
		wd, ok := weekdays[w]
		if !ok {
			return extendedItem{}, hearingError(key, "「%s」の曜日または日付を読めません（例：木、2025-05-20）。", it)
		}
		x.Weekday = wd
		when = w
	}
	x.Dept = dept
	start, end, _ := strings.Cut(h, "-")
	x.Hours = rules.Hours{Start: start, End: end}
	text := when + "=" + h
	if dept != "" {
		text = dept + ":" + text
	}
	return extendedItem{x: x, text: text}, nil
}

// Hearing returns the hearing-sheet answers that the report and the GUI
// show, with defaults filled in.
func (w *Workspace) Hearing(ctx context.Context) (domain.Hearing, error) {
	h := domain.DefaultHearing()
	kv, err := w.HearingValues(ctx)
	if err != nil {
		return h, err
	}
	h.Town, h.Department, h.Person = kv["town"], kv["department"], kv["person"]
	if hrs := kv["hours"]; hrs != "" {
		h.WorkStart, h.WorkEnd, _ = strings.Cut(hrs, "-")
	}
	return h, nil
}

// HearingValues returns the stored answers as key=value, every key
// present (defaults included, "" when unanswered).
func (w *Workspace) HearingValues(ctx context.Context) (map[string]string, error) {
	all, err := w.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	kv := map[string]string{}
	for _, k := range HearingKeys() {
		kv[k] = hearingDefaults[k]
	}
	for k, v := range all {
		if key, ok := strings.CutPrefix(k, "hearing."); ok {
			kv[key] = v
		}
	}
	return kv, nil
}

// SetHearing validates and stores hearing-sheet answers (key → value). An
// empty value clears the answer (its default applies again). Nothing is
// stored when any answer is invalid.
func (w *Workspace) SetHearing(ctx context.Context, kv map[string]string) error {
	out := map[string]string{}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := ValidateHearing(k, kv[k])
		if err != nil {
			return err
		}
		if v == "" {
			v = hearingDefaults[k]
		}
		out["hearing."+k] = v
	}
	return w.setSettingsAudited(ctx, "hearing.set", out)
}

// inspection is the configuration the hearing sheet gives an inspection.
type inspection struct {
	hours      rules.Hours
	deptHours  map[string]rules.Hours
	extended   []rules.HoursException
	closed     []calendar.Exception
	open       []calendar.Exception
	enabled    map[string]bool
	thresholds rules.Thresholds
	domains    []string
	partners   []string
}

// inspectionFrom reads the answers that configure the rules. The answers
// were validated when stored; a value that no longer reads (a database
// edited by hand) is an error rather than a silent default.
func inspectionFrom(kv map[string]string) (inspection, error) {
	var in inspection
	check := func(key string) (string, error) { return ValidateHearing(key, kv[key]) }
	hrs, err := check("hours")
	if err != nil {
		return in, err
	}
	if hrs == "" {
		hrs = hearingDefaults["hours"]
	}
	start, end, _ := strings.Cut(hrs, "-")
	in.hours = rules.Hours{Start: start, End: end}
	dh, err := check("dept_hours")
	if err != nil {
		return in, err
	}
	for _, it := range splitItems(dh) {
		dept, h, _ := strings.Cut(it, "=")
		s, e, _ := strings.Cut(h, "-")
		if in.deptHours == nil {
			in.deptHours = map[string]rules.Hours{}
		}
		in.deptHours[dept] = rules.Hours{Start: s, End: e}
	}
	ext, err := check("extended")
	if err != nil {
		return in, err
	}
	for _, it := range splitItems(ext) {
		x, err := parseExtended(it)
		if err != nil {
			return in, err
		}
		in.extended = append(in.extended, x.x)
	}
	for _, key := range []string{"closed", "open"} {
		v, err := check(key)
		if err != nil {
			return in, err
		}
		for _, it := range splitItems(v) {
			d, reason, _ := strings.Cut(it, ":")
			t, _ := parseDay(d)
			x := calendar.Exception{Date: t, Closed: key == "closed", Reason: reason}
			if key == "closed" {
				in.closed = append(in.closed, x)
			} else {
				in.open = append(in.open, x)
			}
		}
	}
	rs, err := check("rules")
	if err != nil {
		return in, err
	}
	if ids := splitItems(rs); len(ids) > 0 {
		in.enabled = map[string]bool{}
		for _, id := range ids {
			in.enabled[id] = true
		}
	}
	th, err := check("thresholds")
	if err != nil {
		return in, err
	}
	if in.thresholds, err = rules.ParseThresholds(th); err != nil {
		return in, err
	}
	for key, dst := range map[string]*[]string{"domains": &in.domains, "partner_domains": &in.partners} {
		v, err := check(key)
		if err != nil {
			return in, err
		}
		*dst = splitItems(v)
	}
	return in, nil
}

// calendarFor builds the 閉庁日 calendar with the town's own days.
func (in inspection) calendarFor() *calendar.Calendar {
	cal := calendar.Default().Clone()
	for _, x := range in.closed {
		cal.AddClosed(x.Date, x.Reason)
	}
	for _, x := range in.open {
		cal.AddOpen(x.Date, x.Reason)
	}
	return cal
}
