package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"tenken/internal/domain"
)

// carriesOut lists the rules whose findings mean data left the office
// (removable media, external mail): their cases rank first.
var carriesOut = map[string]bool{ExportThenDevice: true, MailExternal: true, DeviceWrite: true}

// findingScore is one finding's share of a risk score: its severity weight,
// growing slowly with its event count (see Rank).
func findingScore(f *domain.Finding) float64 {
	w := severityWeight[f.Severity]
	return w*(1+math.Log2(float64(max(f.Count, 1))))/2 + w/2
}

// Cases groups findings into cases, worst first: cases that carried data
// out, then by severity and score. Each case is one person's findings of
// one rule over the period, named in one plain sentence with the rule's
// recommended actions. staff supplies names (the first row of an ID wins).
func Cases(findings []domain.Finding, staff []domain.Staff) []domain.Case {
	type key struct{ staff, rule string }
	byKey := map[key]*domain.Case{}
	var order []key
	included := map[key]int{}
	for i := range findings {
		f := &findings[i]
		k := key{f.StaffID, f.Rule}
		c := byKey[k]
		if c == nil {
			c = &domain.Case{Staff: []string{f.StaffID}, From: f.Date, To: f.Date, Severity: f.Severity, CarriedOut: carriesOut[f.Rule]}
			byKey[k] = c
			order = append(order, k)
		}
		c.Findings = append(c.Findings, domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date})
		c.Events += f.Count
		c.Score += findingScore(f)
		c.From, c.To = min(c.From, f.Date), max(c.To, f.Date)
		if f.Severity.Rank() < c.Severity.Rank() {
			c.Severity = f.Severity
		}
		if !f.Excluded {
			included[k]++
		}
	}
	names := map[string]string{}
	for _, s := range staff {
		if _, ok := names[s.ID]; !ok {
			names[s.ID] = s.Name
		}
	}
	out := make([]domain.Case, 0, len(order))
	for _, k := range order {
		c := byKey[k]
		slices.SortFunc(c.Findings, func(a, b domain.FindingKey) int { return strings.Compare(a.Date, b.Date) })
		c.Key = "RULE:" + k.rule + "/" + k.staff + "/" + c.Findings[0].Date
		c.Score = math.Round(c.Score*(1+0.1*float64(len(c.Findings)-1))*10) / 10
		c.Excluded = included[k] == 0
		info, _ := Find(k.rule)
		c.Actions = slices.Clone(info.Actions)
		c.Summary = caseSentence(info, k.staff, names[k.staff], c)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b domain.Case) int {
		if a.Excluded != b.Excluded {
			if a.Excluded {
				return 1
			}
			return -1
		}
		if a.CarriedOut != b.CarriedOut {
			if a.CarriedOut {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(b.Score, a.Score), strings.Compare(a.Key, b.Key))
	})
	return out
}

// caseSentence names a one-rule case: who, what, how often, when.
func caseSentence(info Info, id, name string, c *domain.Case) string {
	who := id
	if name != "" {
		who = fmt.Sprintf("%s（%s）", name, id)
	}
	if info.ID == LogGap {
		who = "システム「" + id + "」"
	}
	when := shortDate(c.From)
	if c.To != c.From {
		when += "〜" + shortDate(c.To)
	}
	days := ""
	if len(c.Findings) > 1 {
		days = fmt.Sprintf("、%d日", len(c.Findings))
	}
	return fmt.Sprintf("%sに「%s」（%s%s、操作%d件）", who, info.Name, when, days, c.Events)
}

// shortDate writes YYYY-MM-DD as 5月23日.
func shortDate(s string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d); err != nil {
		return s
	}
	return fmt.Sprintf("%d月%d日", m, d)
}
