package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"tenken/internal/domain"
)

func TestAccountCountsSystemEventsAndRuns(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := func(d, h int) time.Time { return time.Date(2025, 6, d, h, 0, 0, 0, time.UTC) }
	events := []domain.Event{
		{Time: at(2, 9), StaffID: "S1", System: "住民記録", Action: domain.ActionLogin},
		{Time: at(2, 10), StaffID: "S1", System: "住民記録", Action: domain.ActionLookup},
		{Time: at(2, 11), StaffID: "S1", System: "住民記録", Action: domain.ActionExport, Records: 1200},
		{Time: at(3, 11), StaffID: "S1", System: "住民記録", Action: domain.ActionExport, Records: 30},
		{Time: at(3, 12), StaffID: "S2", System: "メール", Action: domain.ActionMailSend, MailTo: "a@gmail.com", Attachment: "x.xlsx", Kind: domain.KindMail},
		{Time: at(3, 13), StaffID: "S2", System: "メール", Action: domain.ActionMailSend, MailTo: "b@town.lg.jp", Kind: domain.KindMail},
		{Time: at(9, 13), StaffID: "S2", System: "資産管理", Action: domain.ActionDeviceWrite, Kind: domain.KindEndpoint},
	}
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "x.csv", SHA256: "00", System: "混在", Kind: domain.KindAccess})
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if _, err := im.Add(ctx, &events[i], int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx, len(events)); err != nil {
		t.Fatal(err)
	}

	got, err := s.AccountCounts(ctx, at(2, 0), at(3, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := []AccountCounts{
		{StaffID: "S1", Events: 4, Logons: 1, Lookups: 1, Exports: 2, ExportedRecords: 1230},
		{StaffID: "S2", Events: 2, MailsWithAttachment: []string{"a@gmail.com"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AccountCounts =\n%+v\nwant\n%+v", got, want)
	}

	sys, err := s.SystemEvents(ctx, at(2, 0), at(3, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sys, map[string]int64{"住民記録": 4, "メール": 2}) {
		t.Errorf("SystemEvents = %v", sys)
	}
	days, err := s.SystemDays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 3 || days[2].System != "資産管理" || len(days[0].Days) != 1 || days[1].Events != 4 || len(days[1].Days) != 2 {
		t.Errorf("SystemDays = %+v", days)
	}

	// Runs whose period starts in fiscal year 2025 (April 2025 – March 2026).
	for _, r := range []domain.Run{
		{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)},
		{From: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := s.SaveRun(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.RunsStarting(ctx, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].From.Month() != time.April || runs[1].From.Year() != 2026 {
		t.Errorf("RunsStarting = %+v", runs)
	}
}
