package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/rules"
)

// ExclusionConcerns returns, for each exclusion in force (by ID), the
// reasons it deserves a second look by someone other than its approver.
// This is the lesson of the 岩手 incident: the clerk who quietly removed a
// colleague's work from the audit was the one who had misused it. An
// exclusion approved by the person excluded, or by someone who has findings
// of their own in the latest inspection, is printed with a warning, and so
// is an exclusion that hides high-severity findings.
func (w *Workspace) ExclusionConcerns(ctx context.Context) (map[int64][]string, error) {
	xs, err := w.Exclusions(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := w.Findings(ctx)
	if err != nil {
		return nil, err
	}
	return exclusionConcerns(xs, staff, fs), nil
}

// exclusionConcerns is ExclusionConcerns on given data. Approvers are
// matched to staff by name (the approver is recorded as a name), ignoring
// spaces of either width.
func exclusionConcerns(xs []domain.Exclusion, staff []domain.Staff, fs []domain.Finding) map[int64][]string {
	idsByName := map[string][]string{}
	nameOf := map[string]string{}
	for _, s := range staff {
		n := nameKey(s.Name)
		if n == "" {
			continue
		}
		if !containsString(idsByName[n], s.ID) {
			idsByName[n] = append(idsByName[n], s.ID)
		}
		nameOf[s.ID] = s.Name
	}
	type tally struct {
		n     int
		rules map[string]bool
	}
	open := map[string]*tally{}   // findings not excluded, per staff ID
	hidden := map[string]*tally{} // high-severity findings hidden by exclusion, per staff ID
	add := func(m map[string]*tally, id, rule string) {
		t := m[id]
		if t == nil {
			t = &tally{rules: map[string]bool{}}
			m[id] = t
		}
		t.n++
		t.rules[rule] = true
	}
	for _, f := range fs {
		if f.Excluded {
			if f.Severity == domain.High {
				add(hidden, f.StaffID, f.Rule)
			}
			continue
		}
		add(open, f.StaffID, f.Rule)
	}
	out := map[int64][]string{}
	for _, x := range xs {
		if x.Revoked != nil {
			continue
		}
		var c []string
		target := x.StaffID
		if target == "" && x.Finding != nil {
			target = x.Finding.StaffID
		}
		approvers := idsByName[nameKey(x.By)]
		if containsString(approvers, target) || (nameOf[target] != "" && nameKey(nameOf[target]) == nameKey(x.By)) {
			c = append(c, "承認者が除外された本人です。本人以外（上席）の承認が必要です。")
		}
		for _, id := range approvers {
			if id == target {
				continue
			}
			if t := open[id]; t != nil {
				c = append(c, fmt.Sprintf("承認者 %s（%s）自身にも今回の点検で検出事項が %d 件あります（%s）。除外の妥当性を承認者以外の上席が確認してください。",
					strings.TrimSpace(x.By), id, t.n, ruleNames(t.rules)))
			}
		}
		if x.Kind != domain.ExcludeFinding {
			if t := hidden[target]; t != nil {
				c = append(c, fmt.Sprintf("この除外により、重要度「高」の検出事項 %d 件（%s）が確認の対象から外れています。", t.n, ruleNames(t.rules)))
			}
		}
		if len(c) > 0 {
			out[x.ID] = c
		}
	}
	return out
}

func nameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '　' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ruleNames lists rules by their Japanese names, in catalogue order.
func ruleNames(ids map[string]bool) string {
	var names []string
	for _, r := range rules.Catalogue() {
		if ids[r.ID] {
			names = append(names, r.Name)
			delete(ids, r.ID)
		}
	}
	var rest []string
	for id := range ids {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	return strings.Join(append(names, rest...), "・")
}
