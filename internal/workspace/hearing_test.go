package workspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"tenken/internal/rules"
)

// TestHearingConfiguresTheRules: the answers reach the rules' configuration
// and the run's snapshot.
func TestHearingConfiguresTheRules(t *testing.T) {
	ctx := context.Background()
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.SetHearing(ctx, map[string]string{
		"hours": "08:45-17:30", "dept_hours": "保育所=07:00-19:00", "extended": "住民課:木=08:30-19:00",
		"closed": "2025-05-02:創立記念日", "open": "2025-05-25:休日窓口", "rules": "AFTER_HOURS;HOLIDAY",
		"thresholds": "BULK_EXPORT.records=500", "domains": "town.example.lg.jp", "partner_domains": "shakyo.example.or.jp",
	}); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)
	cfg, snap, err := w.configure(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.WorkStart != "08:45" || cfg.WorkEnd != "17:30" || cfg.DeptHours["保育所"] != (rules.Hours{Start: "07:00", End: "19:00"}) {
		t.Errorf("hours %s-%s %v", cfg.WorkStart, cfg.WorkEnd, cfg.DeptHours)
	}
	if len(cfg.Extended) != 1 || cfg.Extended[0].Dept != "住民課" || cfg.Extended[0].Weekday != time.Thursday {
		t.Errorf("extended %+v", cfg.Extended)
	}
	if cfg.Calendar.ClosedReason(time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)) != "創立記念日" || cfg.Calendar.IsClosed(time.Date(2025, 5, 25, 0, 0, 0, 0, time.UTC)) {
		t.Error("closed/open days not in the calendar")
	}
	if !cfg.Enabled[rules.AfterHours] || cfg.Enabled[rules.BulkExport] || cfg.Thresholds.BulkExportRecs != 500 {
		t.Errorf("rules %v thresholds %+v", cfg.Enabled, cfg.Thresholds)
	}
	if strings.Join(cfg.OwnDomains, ",") != "town.example.lg.jp" || strings.Join(cfg.PartnerDomains, ",") != "shakyo.example.or.jp" {
		t.Errorf("domains %v %v", cfg.OwnDomains, cfg.PartnerDomains)
	}
	if strings.Join(snap.Rules, ",") != "AFTER_HOURS,HOLIDAY" || !strings.Contains(snap.Thresholds, "BULK_EXPORT.records=500") ||
		!strings.Contains(snap.Calendar, "独自の閉庁日1日") || snap.Hearing["extended"] != "住民課:木=08:30-19:00" {
		t.Errorf("snapshot %+v", snap)
	}
	// The snapshot alone rebuilds the same configuration (ReproduceRun).
	again, err := snap.config(from, to)
	if err != nil || again.WorkStart != cfg.WorkStart || len(again.Extended) != 1 || again.Thresholds != cfg.Thresholds {
		t.Errorf("snapshot config %+v %v", again, err)
	}
	// Clearing an answer brings back its default.
	if err := w.SetHearing(ctx, map[string]string{"hours": ""}); err != nil {
		t.Fatal(err)
	}
	if h, _ := w.Hearing(ctx); h.Hours != (rules.Hours{Start: "08:30", End: "17:15"}) {
		t.Errorf("default hours %+v", h)
	}
}
