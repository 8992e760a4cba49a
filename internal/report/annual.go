package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
)

// AnnualRun is one inspection run of the fiscal year as the 年間総括 shows
// it.
type AnnualRun struct {
	ID       int64
	From, To time.Time // the period inspected
	At       time.Time // when the run was made
	By       string    // who ran it
	Kind     string    // 月次/四半期/年次/臨時, "" when unknown
	Systems  []string  // systems with logs in the period
	Events   int64     // log rows in the period
	Findings []domain.Finding
	// Superseded is set when a later run inspected the same period again;
	// such a run is listed but not counted in the totals.
	Superseded bool
}

// AnnualData is what the 年間総括 shows: every inspection run of one
// fiscal year (April to March) with its findings and follow-up.
type AnnualData struct {
	Town, Department, Author string
	FiscalYear               int // the calendar year the fiscal year starts in
	CreatedAt                time.Time
	Era                      string
	Approvers                []string
	Logo                     []byte
	FormNo                   string
	Password                 string
	Rules                    []RuleInfo
	Runs                     []AnnualRun
	Reviews                  map[domain.FindingKey]domain.Review
	Exclusions               []Exclusion
	Coverage                 []SystemCoverage
	RetentionYears           int
	StaffNames, StaffDepts   map[string]string
}

// Annual section titles.
const (
	titleAnnualSummary = "年間の概要"
	titleAnnualRuns    = "点検の実施状況"
	titleAnnualRules   = "点検項目別の検出件数"
	titleAnnualFollow  = "確認（フォローアップ）の状況"
)

// FiscalYearSpan returns the first and last day of the fiscal year that
// starts in April of year.
func FiscalYearSpan(year int) (time.Time, time.Time) {
	return time.Date(year, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 3, 31, 0, 0, 0, 0, time.UTC)
}

// fiscalYearLabel is 令和7年度 or 2025年度.
func fiscalYearLabel(era string, year int) string {
	if wareki(era) {
		// A fiscal year takes the era in force at its end, as the
		// government counted 令和元年度 from April 2019.
		end := time.Date(year+1, 3, 31, 0, 0, 0, 0, time.UTC)
		for _, e := range eras {
			if end.Before(e.start) {
				continue
			}
			n := year - e.start.Year() + 1
			if n < 1 {
				continue // the era began after this fiscal year's start
			}
			if n == 1 {
				return e.name + "元年度"
			}
			return e.name + strconv.Itoa(n) + "年度"
		}
	}
	return strconv.Itoa(year) + "年度"
}

// WriteAnnual renders the 年間総括 as a PDF to w.
func WriteAnnual(w io.Writer, a AnnualData) error {
	b, err := renderAnnual(a)
	if err != nil {
		return err
	}
	return emit(w, b, a.Password, "年間総括（PDF）")
}

// WriteAnnualFile writes the 年間総括 to path, atomically and 0600 like
// WriteFile.
func WriteAnnualFile(path string, a AnnualData) error {
	return writeFile(path, func(w io.Writer) error { return WriteAnnual(w, a) })
}

// renderAnnual lays out the 年間総括.
func renderAnnual(a AnnualData) ([]byte, error) {
	d, err := newDoc()
	if err != nil {
		return nil, errRender(err)
	}
	from, to := FiscalYearSpan(a.FiscalYear)
	data := Data{
		Town: a.Town, Department: a.Department, Author: a.Author,
		Title: fiscalYearLabel(a.Era, a.FiscalYear) + " 個人情報アクセスログ点検 年間総括",
		Kind:  "年間総括（" + fiscalYearLabel(a.Era, a.FiscalYear) + "）",
		From:  from, To: to, CreatedAt: a.CreatedAt,
		Rules: a.Rules, Exclusions: a.Exclusions, Coverage: a.Coverage, RetentionYears: a.RetentionYears,
		Era: a.Era, Approvers: a.Approvers, Logo: a.Logo, FormNo: a.FormNo, Reviews: a.Reviews,
		StaffNames: a.StaffNames, StaffDepts: a.StaffDepts,
	}
	b := newBuilder(d, data)
	b.setInfo()
	ar := &annual{b: b, a: a}
	add := func(t string, f func()) { b.plan = append(b.plan, section{t, f}) }
	add(titleAnnualSummary, ar.summary)
	add(titleAnnualRuns, ar.runs)
	add(titleAnnualRules, ar.rules)
	add(titleAnnualFollow, ar.follow)
	add(titleExclusions, b.exclusions)
	add(titleCoverage, b.coverage)
	add(titleBasis, b.basis)
	b.cover()
	d.newPage()
	for _, s := range b.plan {
		s.draw()
	}
	return b.output()
}

// annual draws the sections of the 年間総括.
type annual struct {
	b *builder
	a AnnualData
}

// counted are the runs whose findings count: the latest run of each
// period.
func (ar *annual) counted() []AnnualRun {
	var out []AnnualRun
	for _, r := range ar.a.Runs {
		if !r.Superseded {
			out = append(out, r)
		}
	}
	return out
}

// tally counts the findings of runs by severity and review status.
type tally struct {
	sev      severityCounts
	status   map[domain.ReviewStatus]int
	excluded int
	staff    map[string]bool
}

func (ar *annual) tally(runs []AnnualRun) tally {
	t := tally{status: map[domain.ReviewStatus]int{}, staff: map[string]bool{}}
	for _, r := range runs {
		for _, f := range r.Findings {
			if f.Excluded {
				t.excluded++
				continue
			}
			t.sev.add(f.Severity)
			t.staff[f.StaffID] = true
			t.status[ar.b.reviewOf(f).Status]++
		}
	}
	return t
}

func (ar *annual) summary() {
	b, a := ar.b, ar.a
	b.h1(titleAnnualSummary, 60)
	from, to := FiscalYearSpan(a.FiscalYear)
	fy := fiscalYearLabel(a.Era, a.FiscalYear)
	b.body(fmt.Sprintf("本書は、%s（%s）に実施した個人情報アクセスログの点検の結果を取りまとめたものです。個人情報保護委員会への定期的な報告の項目「管理状況の把握（監査及びログの分析）」の資料として用いることができます。",
		fy, b.period(from, to)))
	if len(a.Runs) == 0 {
		b.body(fmt.Sprintf("%sに実施した点検の記録はありません。", fy))
		return
	}
	runs := ar.counted()
	t := ar.tally(runs)
	systems := map[string]bool{}
	for _, r := range runs {
		for _, s := range r.Systems {
			systems[s] = true
		}
	}
	again := len(a.Runs) - len(runs)
	s := fmt.Sprintf("年度中の点検は %d 回（点検期間 %d 件", len(a.Runs), len(runs))
	if again > 0 {
		s += fmt.Sprintf("。同じ期間の再点検 %d 回を含む", again)
	}
	s += fmt.Sprintf("）、対象システムは %d 種類でした。", len(systems))
	b.body(s)
	if t.sev.total() == 0 {
		b.body("年度中の点検で、点検項目に該当するアクセスは検出されませんでした。")
	} else {
		b.body(fmt.Sprintf("検出事項は合計 %s 件（対象職員 %s 名。重要度 高 %s 件・中 %s 件・低 %s 件）でした。確認の状況は、問題なし %s 件、要ヒアリング %s 件、不適切確定 %s 件、未確認 %s 件です。",
			num(int64(t.sev.total())), num(int64(len(t.staff))), num(int64(t.sev.high)), num(int64(t.sev.medium)), num(int64(t.sev.low)),
			num(int64(t.status[domain.StatusNoIssue])), num(int64(t.status[domain.StatusInterview])),
			num(int64(t.status[domain.StatusConfirmed])), num(int64(t.status[domain.StatusOpen]))))
		if open := t.status[domain.StatusOpen] + t.status[domain.StatusInterview]; open > 0 {
			b.note(fmt.Sprintf("※ 確認が終わっていない検出事項が %s 件あります（未確認・要ヒアリング）。", num(int64(open))))
		}
	}
	if t.excluded > 0 {
		b.body(fmt.Sprintf("このほか、除外対象に係る検出事項が %s 件ありました（「%s」を参照）。", num(int64(t.excluded)), b.sectionRef(titleExclusions)))
	}
}

func (ar *annual) runs() {
	b, a := ar.b, ar.a
	b.h1(titleAnnualRuns, 60)
	if len(a.Runs) == 0 {
		b.body("点検の記録はありません。")
		return
	}
	b.note("点検ごとの期間、実施日、実施者、対象システム及び検出件数です。同じ期間を再点検した場合は、最後の点検を集計に用い、それより前の点検は「再点検前」と表示しています。")
	b.d.y += 3
	var rows []row
	for i, r := range a.Runs {
		var sev severityCounts
		excl := 0
		for _, f := range r.Findings {
			if f.Excluded {
				excl++
			} else {
				sev.add(f.Severity)
			}
		}
		note := orDash(oneLine(r.Kind))
		if r.Superseded {
			note = "再点検前"
		}
		if excl > 0 {
			note += fmt.Sprintf("\n除外 %d 件", excl)
		}
		period := shortDate(a.Era, r.From) + "〜\n" + shortDate(a.Era, r.To)
		rows = append(rows, row{shade: r.Superseded, cells: []string{
			strconv.Itoa(i + 1), period, shortDateTime(a.Era, r.At), orDash(oneLine(r.By)),
			orDash(strings.Join(r.Systems, "、")), num(int64(sev.total())),
			fmt.Sprintf("%d／%d／%d", sev.high, sev.medium, sev.low), note,
		}})
	}
	(&table{size: 8.5, cont: "点検の実施状況のつづき", cols: []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "点検期間", w: 22 * mm},
		{title: "実施日時", w: 25 * mm},
		{title: "実施者", w: 22 * mm},
		{title: "対象システム"},
		{title: "検出", w: 12 * mm, align: alignRight},
		{title: "高／中／低", w: 19 * mm, align: alignCenter},
		{title: "備考", w: 19 * mm},
	}}).draw(b.d, rows)
}

func (ar *annual) rules() {
	b := ar.b
	b.h1(titleAnnualRules, 60)
	byRule := map[string]*severityCounts{}
	var order []string
	for _, r := range ar.a.Rules {
		byRule[r.ID] = &severityCounts{}
		order = append(order, r.ID)
	}
	var total severityCounts
	for _, r := range ar.counted() {
		for _, f := range r.Findings {
			if f.Excluded {
				continue
			}
			c, ok := byRule[f.Rule]
			if !ok {
				c = &severityCounts{}
				byRule[f.Rule] = c
				order = append(order, f.Rule)
			}
			c.add(f.Severity)
			total.add(f.Severity)
		}
	}
	cnt := func(n int) string { return num(int64(n)) }
	var rows []row
	for _, id := range order {
		c := byRule[id]
		rows = append(rows, row{cells: []string{b.ruleName(id), b.basisOf(id), cnt(c.high), cnt(c.medium), cnt(c.low), cnt(c.total())}})
	}
	rows = append(rows, row{shade: true, cells: []string{"合計", "", cnt(total.high), cnt(total.medium), cnt(total.low), cnt(total.total())}})
	(&table{size: 9, cont: "点検項目別の検出件数のつづき", cols: []column{
		{title: "点検項目"},
		{title: "根拠", w: 22 * mm, align: alignCenter},
		{title: "高", w: 16 * mm, align: alignRight},
		{title: "中", w: 16 * mm, align: alignRight},
		{title: "低", w: 16 * mm, align: alignRight},
		{title: "計", w: 18 * mm, align: alignRight},
	}}).draw(b.d, rows)
}

func (ar *annual) follow() {
	b, a := ar.b, ar.a
	b.h1(titleAnnualFollow, 60)
	runs := ar.counted()
	if len(runs) == 0 {
		b.body("点検の記録がないため、確認の対象はありません。")
		return
	}
	b.note("点検ごとの検出事項（除外分を除く）の確認状況です。要ヒアリング・未確認が残る点検は、確認を終えてから年間総括を作り直してください。")
	b.d.y += 3
	var rows []row
	sum := map[domain.ReviewStatus]int{}
	for i, r := range runs {
		t := ar.tally([]AnnualRun{r})
		cells := []string{strconv.Itoa(i + 1), shortDate(a.Era, r.From) + "〜\n" + shortDate(a.Era, r.To)}
		for _, st := range domain.ReviewStatuses {
			cells = append(cells, num(int64(t.status[st])))
			sum[st] += t.status[st]
		}
		state := "完了"
		if t.status[domain.StatusOpen]+t.status[domain.StatusInterview] > 0 {
			state = "確認中"
		}
		if t.sev.total() == 0 {
			state = "検出なし"
		}
		rows = append(rows, row{cells: append(cells, state)})
	}
	cells := []string{"", "合計"}
	for _, st := range domain.ReviewStatuses {
		cells = append(cells, num(int64(sum[st])))
	}
	rows = append(rows, row{shade: true, cells: append(cells, "")})
	cols := []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "点検期間"},
	}
	for _, st := range domain.ReviewStatuses {
		cols = append(cols, column{title: st.Label(), w: 22 * mm, align: alignRight})
	}
	cols = append(cols, column{title: "状況", w: 18 * mm, align: alignCenter})
	(&table{size: 9, cont: "確認の状況のつづき", cols: cols}).draw(b.d, rows)

	// Confirmed misuse is what the PPC's yearly report asks about; list it.
	var confirmed []domain.Finding
	for _, r := range runs {
		for _, f := range r.Findings {
			if !f.Excluded && b.reviewOf(f).Status == domain.StatusConfirmed {
				confirmed = append(confirmed, f)
			}
		}
	}
	b.h2("不適切確定とした事項", 40)
	if len(confirmed) == 0 {
		b.body("年度中に不適切な取扱いと確定した事項はありません。")
		return
	}
	sort.SliceStable(confirmed, func(i, j int) bool { return confirmed[i].Date < confirmed[j].Date })
	var crow []row
	for _, f := range confirmed {
		rv := b.reviewOf(f)
		crow = append(crow, row{cells: []string{b.dayLabelBroken(f.Date), b.ruleName(f.Rule), oneLine(f.StaffID), b.staffLabel(f.StaffID), orDash(b.free(rv.Comment))}})
	}
	(&table{size: 8.5, cont: "不適切確定とした事項のつづき", cols: []column{
		{title: "日付", w: 21 * mm},
		{title: "規則", w: 28 * mm},
		{title: "職員ID", w: 19 * mm},
		{title: "氏名・所属", w: 28 * mm},
		{title: "確認結果のコメント"},
	}}).draw(b.d, crow)
}
