package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"tenken/internal/domain"
)

// Severity weights of the risk score: one high finding outweighs a few
// medium ones, and a low one barely counts.
var severityWeight = map[domain.Severity]float64{domain.High: 10, domain.Medium: 4, domain.Low: 1}

// Rank scores every staff member with findings, worst first, so the review
// starts where the risk is. A member's score adds, over the cases (Cases)
// they are part of — a chain that carried data out counts for everyone in
// it — the points of the case's findings times the case's weight, and
// multiplies the sum by breadth: 1 + 0.25 for every further rule and 0.1
// for every further day of their own findings, since a pattern across
// rules and days says more than one bad day. A finding's points are its
// severity weight times (1 + log2 of its event count) / 2 + 1/2 — many
// events make a finding weigh more, but slowly. A case's weight is its
// story's (1 for a case of one rule), tripled when the case took data out
// of the office; for a member whose cases are of one rule each and carried
// nothing out, the score is the points of their findings times breadth.
// LOG_GAP findings belong to systems and are not ranked. A member whose
// every finding is excluded is ranked after the others and marked
// Excluded; their score still shows what the exclusion hides.
//
// Reasons start with the worst case in one plain sentence, then one line
// per rule. Cases lists the keys of the member's cases, worst first.
// staff supplies names and departments (the first row of an ID wins).
func Rank(findings []domain.Finding, staff []domain.Staff) []domain.RankEntry {
	type acc struct {
		e        domain.RankEntry
		byRule   map[string][]*domain.Finding
		days     map[string]bool
		included int
		cases    float64
		first    string
	}
	people := map[string]*acc{}
	var order []string
	for i := range findings {
		f := &findings[i]
		if f.Rule == LogGap {
			continue
		}
		a := people[f.StaffID]
		if a == nil {
			a = &acc{e: domain.RankEntry{StaffID: f.StaffID}, byRule: map[string][]*domain.Finding{}, days: map[string]bool{}}
			people[f.StaffID] = a
			order = append(order, f.StaffID)
		}
		a.byRule[f.Rule] = append(a.byRule[f.Rule], f)
		a.days[f.Date] = true
		a.e.Findings++
		if !f.Excluded {
			a.included++
		}
	}
	points := map[domain.FindingKey]float64{}
	for i := range findings {
		f := &findings[i]
		points[domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date}] += findingScore(f)
	}
	for _, c := range Cases(findings, staff) {
		sum := 0.0
		for _, k := range c.Findings {
			sum += points[k]
		}
		for _, id := range c.Staff {
			a := people[id]
			if a == nil {
				continue
			}
			a.cases += sum * caseWeight(&c)
			a.e.Cases = append(a.e.Cases, c.Key)
			if a.first == "" {
				a.first = c.Summary
				if c.Excluded {
					a.first += "（除外中）"
				}
			}
		}
	}
	for _, s := range staff {
		if a := people[s.ID]; a != nil && a.e.Name == "" {
			a.e.Name, a.e.Dept = s.Name, s.Dept
		}
	}
	out := make([]domain.RankEntry, 0, len(order))
	for _, id := range order {
		a := people[id]
		breadth := 1 + 0.25*float64(len(a.byRule)-1) + 0.1*float64(len(a.days)-1)
		a.e.Score = math.Round(a.cases*breadth*10) / 10
		a.e.Excluded = a.included == 0
		a.e.Reasons = append([]string{a.first + "。"}, reasons(a.byRule, len(a.days))...)
		out = append(out, a.e)
	}
	slices.SortFunc(out, func(x, y domain.RankEntry) int {
		if x.Excluded != y.Excluded {
			if x.Excluded {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.StaffID, y.StaffID))
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// reasons explains a score in plain Japanese, the worst rule first:
// 「大量の出力」（重要度 高）1件：2025-05-23 …
func reasons(byRule map[string][]*domain.Finding, days int) []string {
	type line struct {
		sev  int
		idx  int
		text string
	}
	var lines []line
	for id, fs := range byRule {
		name := id
		idx := len(catalogue)
		if i, ok := ruleIndex[id]; ok {
			name, idx = catalogue[i].Name, i
		}
		worst := domain.Low
		events := 0
		var dates []string
		excluded := 0
		for _, f := range fs {
			if f.Severity.Rank() < worst.Rank() {
				worst = f.Severity
			}
			events += f.Count
			if !slices.Contains(dates, f.Date) {
				dates = append(dates, f.Date)
			}
			if f.Excluded {
				excluded++
			}
		}
		slices.Sort(dates)
		shown := dates
		more := ""
		if len(dates) > 3 {
			shown, more = dates[:3], fmt.Sprintf(" ほか%d日", len(dates)-3)
		}
		text := fmt.Sprintf("「%s」重要度%s %d件（%s%s）", name, domain.SeverityLabel(worst), len(fs), strings.Join(shown, "、"), more)
		if events > len(fs) {
			text += fmt.Sprintf("、操作%d件", events)
		}
		if excluded == len(fs) {
			text += "、除外中"
		} else if excluded > 0 {
			text += fmt.Sprintf("、うち%d件は除外中", excluded)
		}
		lines = append(lines, line{worst.Rank(), idx, text})
	}
	slices.SortFunc(lines, func(a, b line) int { return cmp.Or(cmp.Compare(a.sev, b.sev), cmp.Compare(a.idx, b.idx)) })
	out := make([]string, 0, len(lines)+1)
	for _, l := range lines {
		out = append(out, l.text)
	}
	if len(byRule) > 1 || days > 1 {
		out = append(out, fmt.Sprintf("%d種類の点検項目・%d日にわたって検出", len(byRule), days))
	}
	return out
}

// caseWeight is a case's weight in Rank: its story's, tripled when it took
// data out of the office.
func caseWeight(c *domain.Case) float64 {
	w := 1.0
	if st, ok := FindStory(c.Story); ok {
		w = st.Weight
	}
	if c.CarriedOut {
		w *= carriedOutWeight
	}
	return w
}
