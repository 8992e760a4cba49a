package rules

import (
	"math"
	"strings"
	"testing"

	"tenken/internal/domain"
)

func TestRank(t *testing.T) {
	f := func(rule, staff, date string, sev domain.Severity, n int, excl bool) domain.Finding {
		return domain.Finding{Rule: rule, StaffID: staff, Date: date, Severity: sev, Count: n, Excluded: excl}
	}
	findings := []domain.Finding{
		f(AfterHours, "A", "2025-05-01", domain.Medium, 3, false),
		f(BulkExport, "B", "2025-05-23", domain.High, 1, false),
		f(DeviceWrite, "B", "2025-05-23", domain.High, 2, false),
		f(ExportThenDevice, "B", "2025-05-23", domain.High, 3, false),
		f(RepeatedSubject, "C", "2025-05-22", domain.Medium, 24, false),
		f(Watchlist, "C", "2025-05-08", domain.High, 2, false),
		f(Watchlist, "C", "2025-05-15", domain.High, 2, false),
		f(BulkExport, "X", "2025-05-23", domain.High, 1, true),
		f(LogGap, "福祉", "2025-05-19", domain.Medium, 0, false),
	}
	got := Rank(findings, []domain.Staff{{ID: "B", Name: "佐藤", Dept: "総務課"}})
	var ids []string
	for i, e := range got {
		ids = append(ids, e.StaffID)
		if e.Rank != i+1 {
			t.Errorf("%s rank %d at %d", e.StaffID, e.Rank, i)
		}
		if len(e.Reasons) == 0 || !isJapanese(e.Reasons[0]) {
			t.Errorf("%s reasons %q", e.StaffID, e.Reasons)
		}
		if i > 0 && !got[i-1].Excluded && !e.Excluded && got[i-1].Score < e.Score {
			t.Errorf("not worst first: %v", got)
		}
	}
	if strings.Join(ids, ",") != "B,C,A,X" {
		t.Errorf("order %v, want B,C,A,X (LOG_GAP unranked, excluded last)", ids)
	}
	if got[0].Name != "佐藤" || got[0].Dept != "総務課" || got[0].Findings != 3 {
		t.Errorf("B entry %+v", got[0])
	}
	// The first reason is the worst case in one sentence, then the rules.
	if got[1].Reasons[0] != "Cに「要注意対象者の閲覧」（5月8日〜5月15日、2日、操作4件）。" || len(got[1].Cases) != 2 || got[1].Cases[0] != "RULE:WATCHLIST/C/2025-05-08" {
		t.Errorf("C reasons %q, cases %q", got[1].Reasons, got[1].Cases)
	}
	if !strings.Contains(got[1].Reasons[1], "「要注意対象者の閲覧」重要度高 2件（2025-05-08、2025-05-15）") {
		t.Errorf("C reasons %q", got[1].Reasons)
	}
	if !strings.Contains(strings.Join(got[1].Reasons, "/"), "2種類の点検項目・3日にわたって検出") {
		t.Errorf("C breadth reason missing: %q", got[1].Reasons)
	}
	if !got[3].Excluded || !strings.Contains(got[3].Reasons[0], "除外中") || got[3].Score <= 0 {
		t.Errorf("excluded entry %+v", got[3])
	}
	// Breadth: the same findings spread over more rules score higher.
	one := Rank([]domain.Finding{f(BulkExport, "P", "2025-05-01", domain.High, 1, false), f(BulkExport, "P", "2025-05-01", domain.High, 1, false)}, nil)
	two := Rank([]domain.Finding{f(BulkExport, "P", "2025-05-01", domain.High, 1, false), f(DeviceWrite, "P", "2025-05-01", domain.High, 1, false)}, nil)
	if two[0].Score <= one[0].Score {
		t.Errorf("breadth not rewarded: %v vs %v", two[0].Score, one[0].Score)
	}
	if len(Rank(nil, nil)) != 0 {
		t.Error("ranking of nothing")
	}
}

// TestRankPlainCasesKeepTheFindingArithmetic: for a member whose cases are
// of one rule each and carried nothing out, the score is the points of
// their findings times breadth (the arithmetic a score breakdown shows);
// a case that carried data out triples its points, a story weighs its own.
func TestRankPlainCasesKeepTheFindingArithmetic(t *testing.T) {
	fs := []domain.Finding{
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-01", Severity: domain.Medium, Count: 12},
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-02", Severity: domain.Low, Count: 1},
		{Rule: BulkExport, StaffID: "A", Date: "2025-05-02", Severity: domain.High, Count: 1},
		{Rule: MailExternal, StaffID: "B", Date: "2025-05-02", Severity: domain.High, Count: 1},
	}
	sum := 0.0
	for _, f := range fs[:3] {
		sum += findingScore(&f)
	}
	r := Rank(fs, nil)
	byID := map[string]float64{}
	for _, e := range r {
		byID[e.StaffID] = e.Score
	}
	if want := math.Round(sum*(1+0.25+0.1)*10) / 10; byID["A"] != want {
		t.Errorf("A scores %v, want %v", byID["A"], want)
	}
	if want := math.Round(findingScore(&fs[3])*carriedOutWeight*10) / 10; byID["B"] != want {
		t.Errorf("B scores %v, want %v (carried out)", byID["B"], want)
	}
}
