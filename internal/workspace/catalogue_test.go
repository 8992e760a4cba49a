package workspace

import (
	"context"
	"testing"
	"time"
)

func TestCatalogueFiscalYear(t *testing.T) {
	tests := []struct {
		day  time.Time
		want int
	}{
		{time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 2025},
		{time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), 2025},
		{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 2025},
		{time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), 2024},
	}
	for _, tt := range tests {
		if got := FiscalYear(tt.day); got != tt.want {
			t.Errorf("FiscalYear(%s) = %d, want %d", tt.day.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestCatalogueFiscalYearsWithoutRuns(t *testing.T) {
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	years, err := w.FiscalYears(context.Background())
	if err != nil || len(years) != 0 {
		t.Errorf("FiscalYears of an empty workspace = %v, %v", years, err)
	}
	if len(RuleCatalogue()) == 0 || len(ReportSections()) == 0 || len(RuleThresholds()) == 0 {
		t.Error("empty catalogue")
	}
}
