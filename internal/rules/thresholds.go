package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Thresholds tune the rules that count. A zero field means its default
// (DOMAIN.md), so the zero value is the default configuration.
type Thresholds struct {
	BulkLookupMin    int     // BULK_LOOKUP: distinct residents a day, at least (50)
	BulkLookupFactor float64 // BULK_LOOKUP: times the usual day, at least (3)
	BulkSlowFactor   float64 // BULK_LOOKUP, slow kind: times the earlier weeks and the peers (2) …
	BulkSlowWeeks    int     // … for this many weeks in a row, at least (2)
	BulkRun          int     // BULK_LOOKUP, enumeration: lookups in 宛名番号 order in a row (20)
	BulkExportRecs   int     // BULK_EXPORT: records in one export (1,000)
	BulkExportTimes  int     // BULK_EXPORT: exports in one day (20)
	RepeatDays       int     // REPEATED_SUBJECT: days the same resident is looked up (3)
	RepeatChance     float64 // REPEATED_SUBJECT (and UNMATCHED_LOOKUP's repeats): probability of chance, at most (0.05)
	FailCount        int     // LOGIN_FAILURE: failed logins (5) …
	FailMinutes      int     // … within this many minutes (10)
	SharedIdle       int     // SHARED_ID: minutes a terminal counts as in use after its last event (30)
	SharedAllDay     int     // SHARED_ID: hours of one session without logout (12)
	SharedSkew       int     // SHARED_ID: minutes of clock difference between a system and the endpoint log (5)
	TakeoutMinutes   int     // EXPORT_THEN_DEVICE: window after an export (60)
	BackwardSeconds  int     // LOG_GAP: a step back in time tolerated within a file (0)
	HandoffMinutes   int     // EXPORT_HANDOFF: window after an export, and after the mail (60)
	UnmatchedDaily   int     // UNMATCHED_LOOKUP: residents without business in one day, at least (5)
	UnmatchedDays    int     // UNMATCHED_LOOKUP: days either side of a 受付 for 窓口 work (1)
	CaseDays         int     // UNMATCHED_LOOKUP: days before the period a case counts for case work (30)
}

// Threshold describes one tunable parameter for the hearing sheet.
type Threshold struct {
	Key     string // rule.param, as in `hearing set thresholds=BULK_EXPORT.records=500`
	Label   string // Japanese
	Default float64
	field   func(*Thresholds) any
}

// thresholdList is every parameter, in catalogue order.
var thresholdList = []Threshold{
	{"BULK_LOOKUP.min", "大量の照会：1日に照会した住民の人数（以上）", 50, func(t *Thresholds) any { return &t.BulkLookupMin }},
	{"BULK_LOOKUP.factor", "大量の照会：ふだんの何倍以上か", 3, func(t *Thresholds) any { return &t.BulkLookupFactor }},
	{"BULK_LOOKUP.slow_factor", "大量の照会（じわじわ増える型）：それまでの週と同僚の何倍以上か", 2, func(t *Thresholds) any { return &t.BulkSlowFactor }},
	{"BULK_LOOKUP.weeks", "大量の照会（じわじわ増える型）：続いた週の数（以上）", 2, func(t *Thresholds) any { return &t.BulkSlowWeeks }},
	{"BULK_LOOKUP.run", "大量の照会（番号順の照会）：宛名番号の順に続けて照会した件数（以上）", 20, func(t *Thresholds) any { return &t.BulkRun }},
	{"BULK_EXPORT.records", "大量の出力：1回の出力件数（以上）", 1000, func(t *Thresholds) any { return &t.BulkExportRecs }},
	{"BULK_EXPORT.times", "大量の出力：1日の出力回数（以上）", 20, func(t *Thresholds) any { return &t.BulkExportTimes }},
	{"REPEATED_SUBJECT.days", "同じ住民の繰り返し照会：照会した日数（以上）", 3, func(t *Thresholds) any { return &t.RepeatDays }},
	{"REPEATED_SUBJECT.chance", "同じ住民の繰り返し照会：偶然に起こる確率（以下）", 0.05, func(t *Thresholds) any { return &t.RepeatChance }},
	{"LOGIN_FAILURE.count", "ログイン失敗の多発：失敗の回数（以上）", 5, func(t *Thresholds) any { return &t.FailCount }},
	{"LOGIN_FAILURE.minutes", "ログイン失敗の多発：何分間のうちか", 10, func(t *Thresholds) any { return &t.FailMinutes }},
	{"SHARED_ID.idle", "IDの共用の疑い：最後の操作から端末を使用中とみなす分数", 30, func(t *Thresholds) any { return &t.SharedIdle }},
	{"SHARED_ID.hours", "IDの共用の疑い：ログアウトのないまま続く時間（以上）", 12, func(t *Thresholds) any { return &t.SharedAllDay }},
	{"SHARED_ID.skew", "IDの共用の疑い：システムと端末のログの時計のずれとして許す分数", 5, func(t *Thresholds) any { return &t.SharedSkew }},
	{"EXPORT_THEN_DEVICE.minutes", "出力後の持ち出しの疑い：出力から何分以内か", 60, func(t *Thresholds) any { return &t.TakeoutMinutes }},
	{"LOG_GAP.seconds", "ログの欠落・改ざんの兆し：時刻の逆戻りを許す秒数", 0, func(t *Thresholds) any { return &t.BackwardSeconds }},
	{"EXPORT_HANDOFF.minutes", "出力データの受け渡し：出力からメールまで、メールから持ち出しまでの分数（以内）", 60, func(t *Thresholds) any { return &t.HandoffMinutes }},
	{"UNMATCHED_LOOKUP.daily", "受付簿と照合できない照会：1日に業務の記録のない住民の人数（以上）", 5, func(t *Thresholds) any { return &t.UnmatchedDaily }},
	{"UNMATCHED_LOOKUP.days", "受付簿と照合できない照会：窓口業務で受付日の前後何日までを業務とみなすか", 1, func(t *Thresholds) any { return &t.UnmatchedDays }},
	{"UNMATCHED_LOOKUP.case_days", "受付簿と照合できない照会：継続して扱う業務で点検期間の前何日までの受付を業務とみなすか", 30, func(t *Thresholds) any { return &t.CaseDays }},
}

// ThresholdList returns the tunable parameters with their defaults.
func ThresholdList() []Threshold { return append([]Threshold(nil), thresholdList...) }

// withDefaults fills zero fields with the defaults.
func (t Thresholds) withDefaults() Thresholds {
	for _, d := range thresholdList {
		switch p := d.field(&t).(type) {
		case *int:
			if *p == 0 {
				*p = int(d.Default)
			}
		case *float64:
			if *p == 0 {
				*p = d.Default
			}
		}
	}
	return t
}

// ParseThresholds reads "BULK_EXPORT.records=500;LOGIN_FAILURE.count=3"
// (separators ; or , or spaces; full-width characters folded). Unknown
// keys and values that are not positive numbers are errors in Japanese.
func ParseThresholds(s string) (Thresholds, error) {
	var t Thresholds
	s = norm.NFKC.String(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '、' })
	for _, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return t, configError(fmt.Sprintf("しきい値「%s」を読めません。「規則.項目=値」の形で指定してください（例：BULK_EXPORT.records=500）。", part))
		}
		var def *Threshold
		for i := range thresholdList {
			if strings.EqualFold(thresholdList[i].Key, k) {
				def = &thresholdList[i]
			}
		}
		if def == nil {
			keys := make([]string, len(thresholdList))
			for i, d := range thresholdList {
				keys[i] = d.Key
			}
			sort.Strings(keys)
			return t, configError(fmt.Sprintf("しきい値の項目「%s」はありません。使える項目: %s", k, strings.Join(keys, ", ")))
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || (n == 0 && def.Key != "LOG_GAP.seconds") {
			return t, configError(fmt.Sprintf("しきい値「%s」の値「%s」は正の数で指定してください。", k, v))
		}
		switch p := def.field(&t).(type) {
		case *int:
			if n != float64(int(n)) {
				return t, configError(fmt.Sprintf("しきい値「%s」の値「%s」は整数で指定してください。", k, v))
			}
			*p = int(n)
		case *float64:
			*p = n
		}
	}
	return t, nil
}

// Changed writes the parameters set to something other than their default
// (non-zero fields), in the form ParseThresholds reads; "" when every
// parameter has its default. ParseThresholds(t.Changed()) == t.
func (t Thresholds) Changed() string {
	var parts []string
	for _, d := range thresholdList {
		switch p := d.field(&t).(type) {
		case *int:
			if *p != 0 {
				parts = append(parts, fmt.Sprintf("%s=%d", d.Key, *p))
			}
		case *float64:
			if *p != 0 {
				parts = append(parts, d.Key+"="+strconv.FormatFloat(*p, 'f', -1, 64))
			}
		}
	}
	return strings.Join(parts, ";")
}

// String writes the thresholds in the form ParseThresholds reads, every
// parameter with its effective value, for the run's configuration snapshot.
func (t Thresholds) String() string {
	t = t.withDefaults()
	parts := make([]string, len(thresholdList))
	for i, d := range thresholdList {
		switch p := d.field(&t).(type) {
		case *int:
			parts[i] = fmt.Sprintf("%s=%d", d.Key, *p)
		case *float64:
			parts[i] = d.Key + "=" + strconv.FormatFloat(*p, 'f', -1, 64)
		}
	}
	return strings.Join(parts, ";")
}
