package workspace

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestOpenEmptyWorkspace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "町", "ws")
	ws, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("workspace dir mode %v %v, want 0700", fi.Mode().Perm(), err)
		}
	}
	ctx := context.Background()
	s, err := ws.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Files != 0 || s.Rows != 0 || s.LastRun != nil || !s.From.IsZero() {
		t.Errorf("empty summary %+v", s)
	}
	if err := ws.WriteReport(ctx, filepath.Join(t.TempDir(), "r.pdf"), nil); !IsNoRun(err) {
		t.Errorf("report without run: %v", err)
	}
	if _, err := ws.Inspect(ctx, s.From, s.To, nil); err == nil || !strings.Contains(err.Error(), "ログがありません") {
		t.Errorf("inspect without logs: %v", err)
	}
}

func TestHearingValidation(t *testing.T) {
	ws, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ctx := context.Background()
	for _, bad := range []map[string]string{{"hours": "17:15-08:30"}, {"hours": "8:30-17:15"}, {"mayor": "x"}} {
		if err := ws.SetHearing(ctx, bad); err == nil {
			t.Errorf("SetHearing(%v) accepted", bad)
		}
	}
	if err := ws.SetHearing(ctx, map[string]string{"town": "山里町", "hours": "08:45〜17:30"}); err != nil {
		t.Fatal(err)
	}
	h, err := ws.Hearing(ctx)
	if err != nil || h.Town != "山里町" || h.Hours.Start != "08:45" || h.Hours.End != "17:30" {
		t.Fatalf("hearing %+v %v", h, err)
	}
}

func TestSampleSummary(t *testing.T) {
	ws, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ctx := context.Background()
	var reports int
	res, err := ws.LoadSample(ctx, func(Progress) { reports++ })
	if err != nil {
		t.Fatal(err)
	}
	if reports == 0 || len(res.Batches) < 3 || res.Staff < 90 {
		t.Fatalf("sample %+v (progress reports %d)", res, reports)
	}
	if _, err := ws.Inspect(ctx, res.From, res.To, nil); err != nil {
		t.Fatal(err)
	}
	s, err := ws.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, b := range res.Batches {
		rows += int64(b.Accepted)
		if b.Read != b.Accepted+b.Rejected+b.Duplicate {
			t.Errorf("batch %s does not account for every row: %+v", b.File, b)
		}
	}
	if s.Town != res.Town || s.Rows != rows || s.Files != len(res.Batches) || s.LastRun == nil || len(s.FindingsByRule) < 5 {
		t.Errorf("summary %+v", s)
	}
	// Loading the sample again adds nothing.
	again, err := ws.LoadSample(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := ws.Summary(ctx); s2.Rows != s.Rows || len(again.Batches) != len(res.Batches) {
		t.Errorf("second LoadSample changed the rows: %d → %d", s.Rows, s2.Rows)
	}
}
