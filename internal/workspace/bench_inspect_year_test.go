package workspace

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"tenken/internal/benchtown"
	"tenken/internal/domain"
)

// inspectChildEnv names the workspace the child process inspects.
const inspectChildEnv = "TENKEN_BENCH_INSPECT_CHILD"

// BenchmarkInspectYear is issue 12's year-scale target: inspecting a year
// of 10M rows whose hearing sheet sets office hours so narrow that nearly
// every staff-day is a finding (about 100k findings) stays within 500 MB
// resident. The town is generated at bench time (internal/benchtown, the
// generator the report's year benchmark uses too) and imported; the
// inspection — every rule over the year and the findings stored — then
// runs in a child process, so that its peak resident memory is its own.
// TENKEN_BENCH_YEAR_ROWS makes the year smaller for a quick look.
//
//	go test -run '^$' -bench InspectYear -benchtime 1x -timeout 3h ./internal/workspace
func BenchmarkInspectYear(b *testing.B) {
	ctx := context.Background()
	rows := 10_000_000
	if n, err := strconv.Atoi(os.Getenv("TENKEN_BENCH_YEAR_ROWS")); err == nil && n > 0 {
		rows = n
	}
	// TENKEN_BENCH_DIR keeps the generated workspace (and inspects it again
	// on the next run); TENKEN_BENCH_PROFILE writes the child's profiles.
	dir := os.Getenv("TENKEN_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	_, statErr := os.Stat(filepath.Join(dir, "ws"))
	w, err := Open(filepath.Join(dir, "ws"))
	if err != nil {
		b.Fatal(err)
	}
	town := benchtown.New(benchtown.Options{Rows: rows, Staff: 400, FiscalYear: 2025, Seed: 12})
	if statErr != nil {
		start := time.Now()
		if err := loadYearTown(ctx, w, town, dir); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated and imported %d rows in %v", rows, time.Since(start).Round(time.Second))
	}
	w.Close()

	b.ResetTimer()
	var secs, rssMB float64
	var findings int
	for b.Loop() {
		args := []string{"-test.run=^TestBenchChildInspect$", "-test.count=1", "-test.v"}
		if p := os.Getenv("TENKEN_BENCH_PROFILE"); p != "" {
			args = append(args, "-test.cpuprofile="+p+".cpu", "-test.memprofile="+p+".mem", "-test.memprofilerate=65536")
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), inspectChildEnv+"="+filepath.Join(dir, "ws"))
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("inspect: %v\n%s", err, out)
		}
		secs = time.Since(t0).Seconds()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rssMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
		}
		if _, err := fmt.Sscanf(string(out[indexOf(out, "findings=")+len("findings="):]), "%d", &findings); err != nil {
			b.Fatalf("child output: %s", out)
		}
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(secs, "inspect-s")
	b.ReportMetric(rssMB, "peak-rss-MB")
	if rows >= 10_000_000 && rssMB > 500 {
		b.Errorf("inspecting the year took %.0f MB resident; the target is ≤ 500 MB", rssMB)
	}
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return len(b) - len(s)
}

// TestBenchChildInspect is the child process of BenchmarkInspectYear: it
// inspects a workspace's year and prints the number of findings. It is
// skipped unless the benchmark starts it.
func TestBenchChildInspect(t *testing.T) {
	dir := os.Getenv(inspectChildEnv)
	if dir == "" {
		t.Skip("run by BenchmarkInspectYear")
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	run, err := w.Inspect(context.Background(), time.Time{}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("findings=%d", run.Findings)
}

// loadYearTown stores the generated town in w: masters through the
// ordinary master import, the hearing sheet with the narrow hours and the
// town's period, and the events straight into the store in batches (the
// CSV reader is benchmarked elsewhere).
func loadYearTown(ctx context.Context, w *Workspace, town *benchtown.Town, dir string) error {
	staff, grants, err := town.WriteMasters(dir)
	if err != nil {
		return err
	}
	if _, err := w.ImportMaster(ctx, MasterStaff, staff); err != nil {
		return err
	}
	if _, err := w.ImportMaster(ctx, MasterGrants, grants); err != nil {
		return err
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "合成町", "department": "総務課", "person": "点検 担当", "kind": "年次",
		"hours": benchtown.NoisyHours, "from": town.From.Format(time.DateOnly), "to": town.To.Format(time.DateOnly)}); err != nil {
		return err
	}
	im, err := w.store.BeginImport(ctx, domain.ImportBatch{File: "year.csv", Size: int64(town.Rows) * 90, SHA256: fmt.Sprintf("inspect-%d", town.Rows),
		Encoding: "UTF-8", System: "住民記録", Kind: domain.KindAccess})
	if err != nil {
		return err
	}
	batch := im.NewBatch()
	n := 0
	err = town.Each(func(e *domain.Event) error {
		n++
		batch.Add(e, int64(n))
		if n%8192 == 0 {
			if err := im.Write(ctx, batch); err != nil {
				return err
			}
			batch.Reset()
		}
		return nil
	})
	if err != nil {
		_ = im.Rollback()
		return err
	}
	if err := im.Write(ctx, batch); err != nil {
		_ = im.Rollback()
		return err
	}
	_, err = im.Commit(ctx, n)
	return err
}
