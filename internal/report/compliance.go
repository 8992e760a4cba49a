package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
)

// reviewSign is "（確認者 2025/07/05）" for a review, or "".
func (b *builder) reviewSign(rv domain.Review) string {
	var parts []string
	if by := strings.TrimSpace(oneLine(rv.By)); by != "" {
		parts = append(parts, by)
	}
	if !rv.At.IsZero() {
		parts = append(parts, shortDate(b.data.Era, rv.At))
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, " ") + "）"
}

// review is the section on the review of the findings: where each stands
// (未確認 / 問題なし / 要ヒアリング / 不適切確定), the comments, and the
// history of the review from the audit log.
func (b *builder) review() {
	d := b.d
	b.h1(titleReview, 60)
	counts := map[domain.ReviewStatus]int{}
	excluded := 0
	var reviewed []numbered
	for _, n := range b.list {
		rv := b.reviewOf(n.f)
		if n.f.Excluded {
			excluded++
		} else {
			counts[rv.Status]++
		}
		if rv.Status != domain.StatusOpen || strings.TrimSpace(rv.Comment) != "" {
			reviewed = append(reviewed, n)
		}
	}
	if len(b.list) == 0 {
		b.body("検出事項がないため、確認の対象となる事項はありません。")
	} else {
		total := len(b.list) - excluded
		b.body(fmt.Sprintf("検出事項 %s 件（除外分を除く）の確認状況は、問題なし %s 件、要ヒアリング %s 件、不適切確定 %s 件、未確認 %s 件です。",
			num(int64(total)), num(int64(counts[domain.StatusNoIssue])), num(int64(counts[domain.StatusInterview])),
			num(int64(counts[domain.StatusConfirmed])), num(int64(counts[domain.StatusOpen]))))
		if counts[domain.StatusOpen] > 0 {
			b.note("※ 未確認の検出事項が残っています。確認を終えたら報告書を作り直すと、この節に結果が反映されます。")
		}
		d.y += 3
		var rows []row
		for _, st := range domain.ReviewStatuses {
			rows = append(rows, row{cells: []string{st.Label(), num(int64(counts[st]))}})
		}
		rows = append(rows, row{cells: []string{"（除外）", num(int64(excluded))}})
		rows = append(rows, row{shade: true, cells: []string{"合計", num(int64(len(b.list)))}})
		(&table{w: 80 * mm, size: 9.5, cols: []column{
			{title: "確認状況"},
			{title: "件数", w: 25 * mm, align: alignRight},
		}}).draw(d, rows)

		b.h2("確認結果とコメント", 50)
		if len(reviewed) == 0 {
			b.body("確認結果はまだ記録されていません。")
		} else {
			var rows []row
			for _, n := range reviewed {
				rv := b.reviewOf(n.f)
				who := orDash(oneLine(rv.By))
				if !rv.At.IsZero() {
					who += "\n" + shortDateTime(b.data.Era, rv.At)
				}
				rows = append(rows, row{cells: []string{
					strconv.Itoa(n.no), b.ruleName(n.f.Rule), oneLine(n.f.StaffID), b.dayLabelBroken(n.f.Date),
					rv.Status.Label(), orDash(b.free(rv.Comment)), who,
				}})
			}
			(&table{size: 8.5, cont: "確認結果とコメントのつづき", cols: []column{
				{title: "No.", w: 9 * mm, align: alignRight},
				{title: "規則", w: 24 * mm},
				{title: "職員ID", w: 18 * mm},
				{title: "日付", w: 20 * mm},
				{title: "判定", w: 17 * mm, align: alignCenter},
				{title: "コメント"},
				{title: "確認者・日時", w: 27 * mm},
			}}).draw(d, rows)
		}
	}

	b.h2("確認の経過（監査ログ）", 50)
	var hist []domain.AuditEntry
	for _, e := range b.data.History {
		if reviewAction(e.Action) {
			hist = append(hist, e)
		}
	}
	if len(hist) == 0 {
		b.body("確認結果の記録や除外の登録・取消の履歴はありません。")
		return
	}
	b.note("確認結果の記録と除外の登録・取消を、記録された順に掲載します。監査ログは改ざんを検知できる形（ハッシュ連鎖）で保存しています（tenken verify で検証できます）。")
	d.y += 3
	var rows []row
	for _, e := range hist {
		rows = append(rows, row{cells: []string{
			strconv.FormatInt(e.Seq, 10), shortDateTime(b.data.Era, e.At), orDash(oneLine(e.User)),
			auditActionLabel(e.Action), b.free(oneLine(e.Target)), b.free(auditSummary(e)),
		}})
	}
	(&table{size: 8, cont: "確認の経過のつづき", cols: []column{
		{title: "No.", w: 10 * mm, align: alignRight},
		{title: "日時", w: 25 * mm},
		{title: "操作者", w: 22 * mm},
		{title: "操作", w: 22 * mm},
		{title: "対象", w: 38 * mm},
		{title: "内容"},
	}}).draw(d, rows)
}

// reviewAction reports whether an audit entry belongs to the history of
// the review: review outcomes and exclusions.
func reviewAction(a string) bool {
	return strings.HasPrefix(a, "review") || strings.HasPrefix(a, "exclu")
}

// auditActionLabel is the Japanese name of an audit action.
func auditActionLabel(a string) string {
	switch a {
	case "review.set":
		return "確認結果の記録"
	case "exclusion.add":
		return "除外の登録"
	case "exclusion.revoke":
		return "除外の取消"
	}
	return oneLine(a)
}

// auditSummary turns an entry's After (and Before) JSON into words:
// 要ヒアリング → 問題なし「コメント」. Entries it cannot read are shown
// as stored, shortened.
func auditSummary(e domain.AuditEntry) string {
	after := readAudit(e.After)
	before := readAudit(e.Before)
	var parts []string
	if st, ok := after["status"]; ok {
		s := domain.ReviewStatus(st).Label()
		if bs, ok := before["status"]; ok && bs != st {
			s = domain.ReviewStatus(bs).Label() + " → " + s
		}
		parts = append(parts, s)
	}
	for _, k := range []string{"comment", "reason"} {
		if v := strings.TrimSpace(after[k]); v != "" {
			parts = append(parts, "「"+v+"」")
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	raw := strings.TrimSpace(e.After)
	if raw == "" {
		raw = strings.TrimSpace(e.Before)
	}
	if r := []rune(raw); len(r) > 120 {
		raw = string(r[:120]) + "…"
	}
	return raw
}

// readAudit reads the string fields of an audit JSON object with lower-case
// keys, so that "Status" and "status" are read alike.
func readAudit(s string) map[string]string {
	out := map[string]string{}
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil {
		return out
	}
	for k, v := range m {
		if str, ok := v.(string); ok {
			out[strings.ToLower(k)] = str
		}
	}
	return out
}

// ranking lists the staff by risk score, worst first.
func (b *builder) ranking() {
	d := b.d
	b.h1(titleRanking, 60)
	limit := b.data.RankingLimit
	if limit <= 0 {
		limit = DefaultRankingLimit
	}
	rs := b.data.Ranking
	rankNote := "検出事項の重要度と件数から職員ごとのリスクの点数を求め、点数の高い順に並べています。"
	if b.has(titleDetails) {
		rankNote += fmt.Sprintf("「%s」はこの順に掲載しています。", b.sectionRef(titleDetails))
	}
	b.note(rankNote)
	d.y += 3
	var rows []row
	for i, r := range rs {
		if i >= limit {
			break
		}
		reasons := make([]string, 0, 3)
		for j, s := range r.Reasons {
			if j == 3 {
				reasons = append(reasons, fmt.Sprintf("ほか %d 件", len(r.Reasons)-3))
				break
			}
			reasons = append(reasons, b.free(s))
		}
		rank := strconv.Itoa(r.Rank)
		if r.Rank == 0 {
			rank = strconv.Itoa(i + 1)
		}
		id := oneLine(r.StaffID)
		if r.Excluded {
			id += "\n【除外】"
		}
		label := b.staffLabel(r.StaffID)
		if _, ok := b.staffName(r.StaffID); !ok && strings.TrimSpace(r.Name) != "" {
			label = oneLine(r.Name)
			if dept := strings.TrimSpace(oneLine(r.Dept)); dept != "" {
				label += "\n" + dept
			}
		}
		rows = append(rows, row{cells: []string{rank, id, label, strconv.FormatFloat(r.Score, 'f', 1, 64), num(int64(r.Findings)), strings.Join(reasons, "\n")}})
	}
	(&table{size: 8.5, cont: "職員別のリスク順位のつづき", cols: []column{
		{title: "順位", w: 11 * mm, align: alignRight},
		{title: "職員ID", w: 22 * mm},
		{title: "氏名・所属", w: 30 * mm},
		{title: "点数", w: 14 * mm, align: alignRight},
		{title: "検出", w: 12 * mm, align: alignRight},
		{title: "主な理由"},
	}}).draw(d, rows)
	if len(rs) > limit {
		d.y += 3
		b.note(fmt.Sprintf("上位 %d 名を掲載しました。全 %s 名の順位はエクスポート（xlsx）の「職員ランキング」シートにあります。", limit, num(int64(len(rs)))))
	}
}

// missingRun is a stretch of working days without log, uninterrupted
// except by closed days.
type missingRun struct {
	from, to time.Time
	days     int
}

// missingRuns folds the missing working days into stretches: a day
// continues a stretch when no working day with a log lies between them,
// that is when every day in between is a closed day (the list holds
// working days only, so a gap of more than a weekend or a holiday
// block means a day with a log came between). The 14-day bound only
// keeps the check short; the longest closed spell, 年末年始 with its
// weekends, is 10 days.
func missingRuns(days []time.Time) []missingRun {
	var out []missingRun
	for _, d := range days {
		if n := len(out); n > 0 && d.Sub(out[n-1].to) <= 14*24*time.Hour && onlyClosedBetween(out[n-1].to, d) {
			out[n-1].to = d
			out[n-1].days++
			continue
		}
		out = append(out, missingRun{from: d, to: d, days: 1})
	}
	return out
}

// onlyClosedBetween reports whether every day strictly between a and b
// is a weekend day or falls in 12/29–1/3; holidays on weekdays break a
// stretch, which at worst lists one stretch as two.
func onlyClosedBetween(a, b time.Time) bool {
	for d := a.AddDate(0, 0, 1); d.Before(b); d = d.AddDate(0, 0, 1) {
		wd := d.Weekday()
		yearEnd := (d.Month() == time.December && d.Day() >= 29) || (d.Month() == time.January && d.Day() <= 3)
		if wd != time.Saturday && wd != time.Sunday && !yearEnd {
			return false
		}
	}
	return true
}

// missingListLimit caps the stretches listed per system as without log.
const missingListLimit = 40

// coverage is the ログの網羅性: for each system, the period its logs
// cover, the working days without any log, and the oldest log against the
// town's retention rule.
func (b *builder) coverage() {
	d, data := b.d, b.data
	b.h1(titleCoverage, 60)
	years := data.RetentionYears
	if years <= 0 {
		years = DefaultRetentionYears
	}
	if len(data.Coverage) == 0 {
		if len(data.Batches) == 0 {
			b.body("取り込んだログがないため、網羅性を確認できません。")
		} else {
			b.body("ログの網羅性の情報がありません。")
		}
		return
	}
	b.note(fmt.Sprintf("システムごとに、取り込んだログの期間、点検期間の勤務日（開庁日）のうちログが1件も無い日、及び最も古いログを保存期間（%d 年）と比べた結果を示します。ログの無い勤務日は、取込漏れ又はログの欠損のおそれがあります。", years))
	d.y += 3
	var rows []row
	gaps := 0
	short := 0
	for _, c := range data.Coverage {
		span := "—"
		if !c.First.IsZero() {
			span = shortDate(data.Era, c.First) + "〜\n" + shortDate(data.Era, c.Last)
		}
		missing := num(int64(len(c.MissingDays))) + " 日"
		if len(c.MissingDays) > 0 {
			gaps++
		}
		keep := "—"
		switch {
		case c.First.IsZero():
		case c.MeetsRetention():
			keep = "○ 起点以前から保存"
		default:
			keep = "△ 起点より新しい\n（起点 " + shortDate(data.Era, c.RetentionDue) + "）"
			short++
		}
		rows = append(rows, row{cells: []string{
			oneLine(c.System), span, num(c.Events), num(int64(c.DaysWithLog)), num(int64(c.WorkingDays)), missing, keep,
		}})
	}
	(&table{size: 8.5, cont: "ログの網羅性のつづき", cols: []column{
		{title: "システム"},
		{title: "ログの期間", w: 25 * mm},
		{title: "件数", w: 19 * mm, align: alignRight},
		{title: "記録のある日", w: 17 * mm, align: alignRight},
		{title: "点検期間の勤務日", w: 19 * mm, align: alignRight},
		{title: "ログの無い勤務日", w: 19 * mm, align: alignRight},
		{title: "保存期間", w: 33 * mm},
	}}).draw(d, rows)
	d.y += 3
	if short > 0 {
		b.note(fmt.Sprintf("※ 「△」は、取り込んだ最も古いログが保存期間（%d 年）の起点より新しいことを示します。元のシステムで %d 年分のログが保存されているかを確認してください。", years, years))
	}
	if gaps == 0 {
		b.body("点検期間のすべての勤務日に、各システムのログがありました。")
		return
	}
	b.h2("ログの無い勤務日", 40)
	for _, c := range data.Coverage {
		if len(c.MissingDays) == 0 {
			continue
		}
		var ds []string
		runs := missingRuns(c.MissingDays)
		for i, r := range runs {
			if i == missingListLimit {
				rest := 0
				for _, r := range runs[i:] {
					rest += r.days
				}
				ds = append(ds, fmt.Sprintf("ほか %d 日", rest))
				break
			}
			s := shortDate(data.Era, r.from) + "（" + weekdays[r.from.Weekday()] + "）"
			if r.days > 1 {
				s += "〜" + shortDate(data.Era, r.to) + "（" + weekdays[r.to.Weekday()] + "）の勤務日 " + strconv.Itoa(r.days) + " 日"
			}
			ds = append(ds, s)
		}
		d.para(oneLine(c.System)+"："+strings.Join(ds, "、"), 9, 15, 0, black)
		d.y += 3
	}
}

// clause is one item of 別添1 of the PPC's guideline that the report
// answers.
type clause struct {
	id, heading, gist string
	sections          []string // titles of the report's sections that serve it
}

// clauses are the items of 「特定個人情報の適正な取扱いに関するガイドライン
// （行政機関等編）」別添1 that DOMAIN.md maps the checks to. The gist is a
// summary, not a quotation.
var clauses = []clause{
	{"2Cb", "取扱規程等に基づく運用", "利用状況等を記録し、一定の期間保存し、定期に及び必要に応じ随時に分析する。記録の改ざん・窃取・不正な削除を防止する。",
		[]string{titleCoverage, titleImports}},
	{"2Cc", "取扱状況を確認する手段の整備", "特定個人情報等の取扱状況を確認する手段を整備する。",
		[]string{titleUsage, titleFindings, titleDetails}},
	{"2Ce", "取扱状況の把握及び安全管理措置の見直し", "取扱状況を点検・監査し、その結果を総括責任者に報告する。",
		[]string{titleOverview, titleReview, titleExclusions}},
	{"2Fa", "アクセス制御", "権限を与えられた者だけが、与えられた範囲で特定個人情報等を扱えるようにする（権限外の操作の防止）。",
		nil},
	{"2Fb", "アクセス者の識別と認証", "正当な権限を持つ本人であることを識別・認証する（IDの共用や離任者のIDの利用の防止）。",
		nil},
	{"2Fc", "不正アクセス等の防止", "ログ等の分析により、不正アクセスや不正な利用を検知する。",
		[]string{titleCharts, titleFindings}},
}

// clauseRe finds clause IDs such as 2Fc in a rule's Basis.
var clauseRe = regexp.MustCompile(`[0-9][A-Z][a-z]`)

// basis is the 根拠 section: which check and which part of the report
// serves which clause of the guideline.
func (b *builder) basis() {
	d, data := b.d, b.data
	b.h1(titleBasis, 230) // the note and the first rows of the table
	b.note("「特定個人情報の適正な取扱いに関するガイドライン（行政機関等編）」別添1（特定個人情報に関する安全管理措置）の項目ごとに、本報告書のどの点検項目・節が対応するかを示します。要旨は項目の趣旨をまとめたもので、原文の引用ではありません。")
	d.y += 3
	byClause := map[string][]string{}
	for _, r := range data.Rules {
		for _, c := range clauseRe.FindAllString(r.Basis, -1) {
			name := b.ruleName(r.ID) + "（" + r.ID + "）"
			if !r.Enabled {
				name += "［未実施］"
			}
			byClause[c] = append(byClause[c], name)
		}
	}
	var rows []row
	for _, c := range clauses {
		var secs []string
		for _, t := range c.sections {
			for i, s := range b.plan {
				if s.title == t {
					secs = append(secs, fmt.Sprintf("%d. %s", i+1, t))
				}
			}
		}
		if c.id == "2Ce" {
			secs = append(secs, "表紙の決裁欄")
		}
		rules := byClause[c.id]
		ruleText := "—"
		if len(rules) > 0 {
			ruleText = strings.Join(rules, "\n")
		}
		secText := "—"
		if len(secs) > 0 {
			secText = strings.Join(secs, "\n")
		}
		rows = append(rows, row{cells: []string{c.id, c.heading + "\n" + c.gist, ruleText, secText}})
	}
	(&table{size: 8.5, cont: "根拠のつづき", cols: []column{
		{title: "項目", w: 12 * mm, align: alignCenter},
		{title: "項目名と要旨"},
		{title: "対応する点検項目", w: 50 * mm},
		{title: "本報告書の該当箇所", w: 38 * mm},
	}}).draw(d, rows)
	// Clauses a rule names that the table above does not list, so that
	// no claim of the catalogue goes unshown.
	known := map[string]bool{}
	for _, c := range clauses {
		known[c.id] = true
	}
	var other []string
	for c := range byClause {
		if !known[c] {
			other = append(other, c)
		}
	}
	sort.Strings(other)
	for _, c := range other {
		b.note(fmt.Sprintf("別添1 %s：%s", c, strings.Join(byClause[c], "、")))
	}
	d.y += 3
	b.note("個人情報保護委員会の立入検査では、監査、ログの分析及び委託先の監督に関する不備の指摘が多いとされています。本報告書は、このうち監査及びログの分析の実施状況を示すものです。")
}
