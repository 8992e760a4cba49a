package rules

import (
	"strings"
	"testing"

	"tenken/internal/domain"
)

func TestCasesWorstFirst(t *testing.T) {
	fs := []domain.Finding{
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-02", Severity: domain.Medium, Count: 3},
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-09", Severity: domain.High, Count: 2},
		{Rule: MailExternal, StaffID: "B", Date: "2025-05-26", Severity: domain.Medium, Count: 1},
		{Rule: Holiday, StaffID: "C", Date: "2025-05-10", Severity: domain.High, Count: 40, Excluded: true},
		{Rule: LogGap, StaffID: "福祉", Date: "2025-05-19", Severity: domain.Medium, Count: 0},
	}
	cs := Cases(fs, []domain.Staff{{ID: "A", Name: "山田"}})
	if len(cs) != 4 {
		t.Fatalf("%d cases: %+v", len(cs), cs)
	}
	// Data carried out first, then by severity; the excluded case last.
	if cs[0].Staff[0] != "B" || !cs[0].CarriedOut || cs[1].Staff[0] != "A" || cs[3].Staff[0] != "C" || !cs[3].Excluded {
		t.Errorf("order %v %v %v %v", cs[0].Key, cs[1].Key, cs[2].Key, cs[3].Key)
	}
	a := cs[1]
	if a.Severity != domain.High || a.Events != 5 || a.From != "2025-05-02" || a.To != "2025-05-09" || len(a.Findings) != 2 {
		t.Errorf("case A %+v", a)
	}
	if !strings.Contains(a.Summary, "山田（A）") || !strings.Contains(a.Summary, "5月2日〜5月9日") || !strings.Contains(a.Summary, "勤務時間外の利用") {
		t.Errorf("summary %q", a.Summary)
	}
	if len(a.Actions) == 0 || a.Key == "" {
		t.Errorf("actions %v key %q", a.Actions, a.Key)
	}
	if !strings.Contains(cs[2].Summary, "システム「福祉」") {
		t.Errorf("log gap summary %q", cs[2].Summary)
	}
}
