package workspace

import (
	"context"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func TestExclusionConcerns(t *testing.T) {
	staff := []domain.Staff{
		{ID: "S1", Name: "山田　陽介"}, // the clerk who asked for the export
		{ID: "S2", Name: "木村 智也"}, // the colleague whose export is excluded
		{ID: "S3", Name: "佐藤 課長"}, // a clean superior
	}
	revoked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	xs := []domain.Exclusion{
		{ID: 1, Kind: domain.ExcludeStaff, StaffID: "S2", Reason: "移行作業", By: "山田 陽介"},
		{ID: 2, Kind: domain.ExcludeStaff, StaffID: "S2", Reason: "移行作業", By: "佐藤課長"},
		{ID: 3, Kind: domain.ExcludeStaff, StaffID: "S1", Reason: "本人申告", By: "山田陽介"},
		{ID: 4, Kind: domain.ExcludeStaff, StaffID: "S2", Reason: "取消済み", By: "山田 陽介", Revoked: &revoked},
		{ID: 5, Kind: domain.ExcludeFinding, Finding: &domain.FindingKey{Rule: "BULK_EXPORT", StaffID: "S2", Date: "2025-05-23"}, Reason: "確認済み", By: "佐藤 課長"},
	}
	fs := []domain.Finding{
		{Rule: "DEVICE_WRITE", StaffID: "S1", Severity: domain.High},
		{Rule: "EXPORT_THEN_DEVICE", StaffID: "S1", Severity: domain.High},
		{Rule: "BULK_EXPORT", StaffID: "S2", Severity: domain.High, Excluded: true},
		{Rule: "AFTER_HOURS", StaffID: "S2", Severity: domain.Low, Excluded: true},
	}
	got := exclusionConcerns(xs, staff, fs)

	// 1: approved by a flagged clerk, and it hides a high finding.
	if c := strings.Join(got[1], "\n"); !strings.Contains(c, "承認者 山田 陽介（S1）自身にも今回の点検で検出事項が 2 件") ||
		!strings.Contains(c, "重要度「高」の検出事項 1 件") {
		t.Errorf("exclusion 1 concerns:\n%s", c)
	}
	// 2: a clean approver: only the hidden high finding is pointed out.
	if len(got[2]) != 1 || !strings.Contains(got[2][0], "重要度「高」") {
		t.Errorf("exclusion 2 concerns: %q", got[2])
	}
	// 3: self-approval.
	if c := strings.Join(got[3], "\n"); !strings.Contains(c, "承認者が除外された本人です") {
		t.Errorf("exclusion 3 concerns:\n%s", c)
	}
	// 4: revoked exclusions are history, not a concern; 5: excluding one
	// finding by a clean approver raises nothing.
	if _, ok := got[4]; ok {
		t.Errorf("revoked exclusion has concerns: %q", got[4])
	}
	if _, ok := got[5]; ok {
		t.Errorf("finding exclusion by a clean approver has concerns: %q", got[5])
	}
}

func TestSampleExclusionIsFlaggedAsConflict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample town")
	}
	ctx := context.Background()
	w := openWS(t)
	res, err := w.LoadSample(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Inspect(ctx, res.From, res.To, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := w.ExclusionConcerns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, c := range cs {
		all = append(all, c...)
	}
	// The sample plants the 岩手 case: the clerk who had the colleague export
	// everything approves the colleague's exclusion.
	if !strings.Contains(strings.Join(all, "\n"), "自身にも今回の点検で検出事項") {
		t.Errorf("the sample's self-serving exclusion is not flagged: %q", all)
	}
}
