//go:build unix

package killtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tenken/internal/cli"
	"tenken/internal/domain"
	"tenken/internal/store"
	"tenken/internal/workspace"
)

// The test binary doubles as the tenken command line: started with this
// variable set it runs cli.Main — the same function main.go hands every
// subcommand to — instead of the tests, so the process killed is the real
// CLI and not a copy of it, without linking the GUI into another binary.
const cliEnv = "TENKEN_KILLTEST_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

// kills is how many times each operation is killed; TENKEN_KILLS raises it
// for a longer run.
func kills(t *testing.T) int {
	n := 20
	if s := os.Getenv("TENKEN_KILLS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("TENKEN_KILLS=%q is not a positive number", s)
		}
		n = v
	}
	return n
}

// outcome of one run of the CLI.
type outcome struct {
	killed   bool // SIGKILL arrived before the process exited
	exitCode int
	output   string
}

// runCLI runs `tenken args...`; with after > 0 it sends SIGKILL after that
// long unless the process has finished already.
func runCLI(t *testing.T, after time.Duration, args ...string) outcome {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var o outcome
	var err error
	if after > 0 {
		select {
		case err = <-done:
		case <-time.After(after):
			_ = cmd.Process.Signal(syscall.SIGKILL)
			err = <-done
		}
	} else {
		err = <-done
	}
	o.output = out.String()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		o.killed = true
	} else {
		o.exitCode = cmd.ProcessState.ExitCode()
	}
	if err != nil && !o.killed && after == 0 {
		t.Fatalf("tenken %s: %v\n%s", strings.Join(args, " "), err, o.output)
	}
	return o
}

// timed runs the CLI to the end and returns how long it took.
func timed(t *testing.T, args ...string) time.Duration {
	t.Helper()
	start := time.Now()
	o := runCLI(t, 0, args...)
	if o.exitCode != 0 {
		t.Fatalf("tenken %s: exit %d\n%s", strings.Join(args, " "), o.exitCode, o.output)
	}
	return time.Since(start)
}

// randomMoment is a moment to kill a run that takes d when left alone:
// anywhere from process start to a little past its usual end, so kills land
// in start-up, in the work, in the commit and sometimes after it. Each test
// goes on until n runs were really killed (a run that ended first is
// checked all the same).
func randomMoment(r *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(r.Int64N(int64(d)*11/10)) + time.Millisecond
}

// state is what had been committed to a workspace, read after a kill.
type state struct {
	batches map[string]domain.ImportBatch // by file name
	events  map[int64]int                 // stored events per batch ID
	runs    []domain.Run
	latest  *domain.Run
	found   int // findings stored for the latest run
}

// check opens the workspace after a kill and reads what it holds, after
// PRAGMA integrity_check. With full it first runs every check of `tenken
// verify` (audit chain, file hashes, findings reproduced ...), which takes
// longer, so the tests do it every few kills and at the end.
func check(t *testing.T, dir string, what string, full bool) state {
	t.Helper()
	ctx := context.Background()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatalf("%s: workspace does not open: %v", what, err)
	}
	if full {
		rep, err := ws.Verify(ctx)
		if err != nil {
			ws.Close()
			t.Fatalf("%s: verify: %v", what, err)
		}
		if !rep.OK() {
			var b strings.Builder
			for _, c := range rep.Checks {
				fmt.Fprintf(&b, "\n  %v %s: %s", c.OK, c.Name, c.Detail)
			}
			ws.Close()
			t.Fatalf("%s: verify failed:%s", what, b.String())
		}
	}
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(filepath.Join(dir, workspace.DBName))
	if err != nil {
		t.Fatalf("%s: store does not open: %v", what, err)
	}
	defer st.Close()
	problems, err := st.IntegrityCheck(ctx)
	if err != nil || len(problems) > 0 {
		t.Fatalf("%s: PRAGMA integrity_check: %v %v", what, problems, err)
	}
	s := state{batches: map[string]domain.ImportBatch{}, events: map[int64]int{}}
	bs, err := st.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if _, dup := s.batches[b.File]; dup {
			t.Fatalf("%s: file %s recorded twice", what, b.File)
		}
		s.batches[b.File] = b
	}
	// Counted per batch with one GROUP BY (reading every event through
	// EachEvent sorted them all on every kill; the counts are the same).
	if s.events, err = st.BatchEventCounts(ctx); err != nil {
		t.Fatal(err)
	}
	// Events without their batch, or a batch without all its events, is a
	// half-committed import.
	ids := map[int64]bool{}
	for _, b := range bs {
		ids[b.ID] = true
		if s.events[b.ID] != b.Accepted {
			t.Fatalf("%s: batch %d (%s) records %d accepted rows but holds %d events", what, b.ID, b.File, b.Accepted, s.events[b.ID])
		}
	}
	for id, n := range s.events {
		if !ids[id] {
			t.Fatalf("%s: %d events of batch %d, which is not recorded", what, n, id)
		}
	}
	if s.runs, err = st.Runs(ctx); err != nil {
		t.Fatal(err)
	}
	if s.latest, err = st.LatestRun(ctx); err != nil {
		t.Fatal(err)
	}
	if s.latest != nil {
		fs, err := st.Findings(ctx, s.latest.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.found = len(fs)
		if s.found != s.latest.Findings {
			t.Fatalf("%s: run %d records %d findings but holds %d", what, s.latest.ID, s.latest.Findings, s.found)
		}
	}
	return s
}

// sameCommitted fails unless everything in before is still in after,
// unchanged.
func sameCommitted(t *testing.T, what string, before, after state) {
	t.Helper()
	for name, b := range before.batches {
		a, ok := after.batches[name]
		if !ok {
			t.Fatalf("%s: committed import %s is gone", what, name)
		}
		if a.ID != b.ID || a.Accepted != b.Accepted || a.SHA256 != b.SHA256 || after.events[a.ID] != before.events[b.ID] {
			t.Fatalf("%s: committed import %s changed: %+v (%d events) → %+v (%d events)", what, name, b, before.events[b.ID], a, after.events[a.ID])
		}
	}
	old := map[int64]domain.Run{}
	for _, r := range after.runs {
		old[r.ID] = r
	}
	for _, r := range before.runs {
		a, ok := old[r.ID]
		if !ok || a.Findings != r.Findings || a.Config != r.Config {
			t.Fatalf("%s: committed run %d changed or is gone", what, r.ID)
		}
	}
}

// writeLog writes an access log of n rows that no other file of the test
// repeats (seq is part of every row), so each file is a new import.
func writeLog(t *testing.T, path string, seq, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "操作日時,職員ID,氏名,端末,機能,操作,宛名番号,件数")
	base := time.Date(2025, 4, 1, 8, 30, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts := base.Add(time.Duration(i) * 7 * time.Second)
		fmt.Fprintf(w, "%s,S%04d,職員%d,PC-%03d,住民票照会,照会,%03d%07d,1\n",
			ts.Format("2006/01/02 15:04:05"), i%300, i%300, seq, seq, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the CLI dozens of times")
	}
	n := kills(t)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	logs := filepath.Join(dir, "logs")
	if err := os.Mkdir(logs, 0o700); err != nil {
		t.Fatal(err)
	}
	const rows = 20000

	first := filepath.Join(logs, "log-000.csv")
	writeLog(t, first, 0, rows)
	d := timed(t, "import", "--workspace", ws, "--system", "住民記録", first)
	before := check(t, ws, "after the first import", true)
	if b := before.batches["log-000.csv"]; b.Accepted != rows {
		t.Fatalf("first import accepted %d rows, want %d", b.Accepted, rows)
	}
	t.Logf("an uninterrupted import of %d rows takes %v", rows, d)

	var killed, committed, absent int
	runs := 0
	for i := 1; killed < n; i++ {
		runs = i
		if i > 3*n {
			t.Fatalf("only %d of %d runs were killed before they ended", killed, i-1)
		}
		name := fmt.Sprintf("log-%03d.csv", i)
		path := filepath.Join(logs, name)
		writeLog(t, path, i, rows)
		at := randomMoment(r, d)
		o := runCLI(t, at, "import", "--workspace", ws, "--system", "住民記録", path)
		if !o.killed && o.exitCode != 0 {
			t.Fatalf("kill %d: import exited %d without being killed:\n%s", i, o.exitCode, o.output)
		}
		what := fmt.Sprintf("kill %d at %v", i, at)
		after := check(t, ws, what, i%5 == 0)
		sameCommitted(t, what, before, after)
		b, ok := after.batches[name]
		switch {
		case ok && b.Accepted == rows:
			committed++
		case ok:
			t.Fatalf("%s: import of %s half there: %d of %d rows", what, name, b.Accepted, rows)
		case !o.killed:
			t.Fatalf("%s: the import finished but %s is not recorded", what, name)
		default:
			absent++
			// A file left out by a kill imports in full afterwards.
			if i%5 == 0 {
				timed(t, "import", "--workspace", ws, "--system", "住民記録", path)
				after = check(t, ws, what+", imported again", false)
				if after.batches[name].Accepted != rows {
					t.Fatalf("%s: re-import accepted %d rows, want %d", what, after.batches[name].Accepted, rows)
				}
			}
		}
		if o.killed {
			killed++
		}
		before = after
		if _, ok := after.batches[name]; !ok {
			os.Remove(path) // keep the verify of later rounds from hashing it
		}
	}
	check(t, ws, "at the end", true)
	t.Logf("import: %d runs, %d killed, %d left the import complete, %d left it absent", runs, killed, committed, absent)
}

var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoWorkspace returns a private copy of a workspace with the sample town
// imported and inspected by the CLI's demo, which runs once for all tests.
// The sample's files stay where the demo made them, so verify still finds
// the imported files it hashes.
func demoWorkspace(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		if demoDir, demoErr = os.MkdirTemp("", "tenken-killtest-"); demoErr != nil {
			return
		}
		ws := filepath.Join(demoDir, "ws")
		cmd := exec.Command(os.Args[0], "demo", "--workspace", ws, "--out", filepath.Join(demoDir, "demo.pdf"))
		cmd.Env = append(os.Environ(), cliEnv+"=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			demoErr = fmt.Errorf("demo: %v\n%s", err, out)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	ws := filepath.Join(t.TempDir(), "ws")
	if err := os.CopyFS(ws, os.DirFS(filepath.Join(demoDir, "ws"))); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestKillDuringInspect(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the CLI dozens of times")
	}
	n := kills(t)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	ws := demoWorkspace(t)
	d := timed(t, "inspect", "--workspace", ws)
	before := check(t, ws, "after an uninterrupted inspection", true)
	if before.latest == nil || before.found == 0 {
		t.Fatalf("the sample town's inspection found nothing: %+v", before.latest)
	}
	want := before.found
	t.Logf("an uninterrupted inspection takes %v and finds %d", d, want)

	var killed, newRun, kept int
	runs := 0
	for i := 1; killed < n; i++ {
		runs = i
		if i > 3*n {
			t.Fatalf("only %d of %d runs were killed before they ended", killed, i-1)
		}
		at := randomMoment(r, d)
		o := runCLI(t, at, "inspect", "--workspace", ws)
		if !o.killed && o.exitCode != 0 {
			t.Fatalf("kill %d: inspect exited %d without being killed:\n%s", i, o.exitCode, o.output)
		}
		what := fmt.Sprintf("kill %d at %v", i, at)
		after := check(t, ws, what, i%5 == 0)
		sameCommitted(t, what, before, after)
		switch {
		case after.latest.ID == before.latest.ID:
			if !o.killed {
				t.Fatalf("%s: inspect finished but stored no run", what)
			}
			kept++
		case after.latest.ID > before.latest.ID:
			// A run is stored whole or not at all.
			if after.found != want {
				t.Fatalf("%s: new run %d holds %d findings, an uninterrupted one %d", what, after.latest.ID, after.found, want)
			}
			if len(after.runs) != len(before.runs)+1 {
				t.Fatalf("%s: %d runs after one inspection, before %d", what, len(after.runs), len(before.runs))
			}
			newRun++
		default:
			t.Fatalf("%s: latest run went back from %d to %d", what, before.latest.ID, after.latest.ID)
		}
		if o.killed {
			killed++
		}
		before = after
	}
	check(t, ws, "at the end", true)
	t.Logf("inspect: %d runs, %d killed, %d stored a complete run, %d left the previous one", runs, killed, newRun, kept)
}

func TestKillDuringReport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the CLI dozens of times")
	}
	n := kills(t)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	ws := demoWorkspace(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "点検報告書.pdf")
	d := timed(t, "report", "--workspace", ws, "--out", out)
	if err := completePDF(out); err != nil {
		t.Fatalf("uninterrupted report: %v", err)
	}
	ref, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	before := check(t, ws, "after an uninterrupted report", true)
	t.Logf("an uninterrupted report takes %v", d)

	var killed, written, absent, old int
	runs := 0
	for i := 1; killed < n; i++ {
		runs = i
		if i > 3*n {
			t.Fatalf("only %d of %d runs were killed before they ended", killed, i-1)
		}
		// Every other round starts without a report, so a kill can leave
		// either nothing or the new one; the others overwrite the report
		// of the uninterrupted run, which a kill must leave whole.
		fresh := i%2 == 1
		var prev []byte
		if fresh {
			os.Remove(out)
		} else {
			prev = ref
			if err := os.WriteFile(out, ref, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		at := randomMoment(r, d)
		o := runCLI(t, at, "report", "--workspace", ws, "--out", out)
		if !o.killed && o.exitCode != 0 {
			t.Fatalf("kill %d: report exited %d without being killed:\n%s", i, o.exitCode, o.output)
		}
		what := fmt.Sprintf("kill %d at %v", i, at)
		b, err := os.ReadFile(out)
		switch {
		case os.IsNotExist(err):
			if !o.killed {
				t.Fatalf("%s: report finished but %s is missing", what, out)
			}
			if !fresh && prev != nil {
				t.Fatalf("%s: the earlier report was removed", what)
			}
			absent++
		case err != nil:
			t.Fatal(err)
		default:
			if err := completePDF(out); err != nil {
				t.Fatalf("%s: %s is not a complete PDF: %v", what, out, err)
			}
			if prev != nil && bytes.Equal(b, prev) {
				old++
			} else {
				written++
			}
			if fi, err := os.Stat(out); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: report mode %v, want 0600", what, fi.Mode().Perm())
			}
		}
		after := check(t, ws, what, i%5 == 0)
		sameCommitted(t, what, before, after)
		if o.killed {
			killed++
		}
		before = after
	}
	check(t, ws, "at the end", true)
	// A kill between creating and renaming the temporary file leaves it
	// behind (nothing can clean up after SIGKILL); it must never be taken
	// for the report, and stays private.
	tmps, _ := filepath.Glob(filepath.Join(outDir, ".*.tmp"))
	for _, p := range tmps {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("leftover %s has mode %v, readable by others", p, fi.Mode().Perm())
		}
	}
	t.Logf("report: %d runs, %d killed, %d wrote a complete new PDF, %d left the previous one, %d left none, %d temporary files left",
		runs, killed, written, old, absent, len(tmps))
}

// completePDF checks that path holds a whole PDF: the header, and at the
// end a startxref whose offset points at the cross-reference section,
// followed by %%EOF. A file cut anywhere fails one of these.
func completePDF(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return fmt.Errorf("no %%PDF- header (%d bytes)", len(b))
	}
	tail := bytes.TrimRight(b, "\r\n ")
	if !bytes.HasSuffix(tail, []byte("%%EOF")) {
		return fmt.Errorf("no %%%%EOF at the end (%d bytes)", len(b))
	}
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return fmt.Errorf("no startxref")
	}
	fields := strings.Fields(string(tail[i+len("startxref") : len(tail)-len("%%EOF")]))
	if len(fields) != 1 {
		return fmt.Errorf("startxref without an offset")
	}
	off, err := strconv.Atoi(fields[0])
	if err != nil || off <= 0 || off >= len(b) {
		return fmt.Errorf("startxref offset %q outside the file", fields[0])
	}
	rest := b[off:]
	// A classic xref table, or a cross-reference stream object "n 0 obj".
	if !bytes.HasPrefix(rest, []byte("xref")) && !bytes.Contains(rest[:min(len(rest), 32)], []byte(" obj")) {
		return fmt.Errorf("startxref %d does not point at a cross-reference section", off)
	}
	return nil
}
