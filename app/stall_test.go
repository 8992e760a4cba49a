//go:build stall

// The stall probe runs the real (GLFW) driver, which must own the main
// goroutine, so it cannot share a test binary with the tests that use
// Fyne's test driver: run it alone, under Xvfb,
//
//	xvfb-run -a go test -tags stall -run TestUIStall -count=1 ./app -args -stall-rows=1000000
//
// It imports a generated log of stall-rows rows through the view and then
// inspects it, while a probe posts an empty function to the UI goroutine
// every 5 ms and records how long it waited: the longest wait is the
// longest time the window could not have answered the user.
package app

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tenken/internal/workspace"
)

var stallRows = flag.Int("stall-rows", 200_000, "rows of the generated log for TestUIStall")

func init() { runtime.LockOSThread() }

var stallApp fyne.App

func TestMain(m *testing.M) {
	flag.Parse()
	stallApp = fyneapp.NewWithID(AppID + ".stall")
	setupLanguage()
	stallApp.Settings().SetTheme(NewTheme())
	done := make(chan int)
	go func() {
		code := m.Run()
		stallApp.Quit()
		done <- code
	}()
	// The loop also ends when the test closes its window, before the
	// tests have finished: wait for them.
	stallApp.Run()
	os.Exit(<-done)
}

// writeBigLog writes n rows of a plausible access log: 40 staff over 60
// days, office hours with some evenings.
func writeBigLog(t *testing.T, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "操作日時,職員ID,氏名,端末名,機能名,操作,宛名番号,件数")
	start := time.Date(2024, 4, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts := start.Add(time.Duration(i) * (60 * 24 * time.Hour / time.Duration(n)))
		staff := i % 40
		op := "照会"
		if i%97 == 0 {
			op = "出力"
		}
		fmt.Fprintf(w, "%s,S%04d,職員%d,PC-%03d,住民票照会,%s,%012d,%d\n", ts.Format("2006/01/02 15:04:05"), staff, staff, staff, op, 100000+i%5000, 1+i%3)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// probe measures how long posted functions wait for the UI goroutine.
type probe struct {
	mu    sync.Mutex
	waits []time.Duration
	stop  chan struct{}
	done  sync.WaitGroup
}

func startProbe() *probe {
	p := &probe{stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				t0 := time.Now()
				fyne.DoAndWait(func() {})
				d := time.Since(t0)
				p.mu.Lock()
				p.waits = append(p.waits, d)
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// finish stops the probe and returns the longest wait and the 99th
// percentile.
func (p *probe) finish() (longest, p99 time.Duration, n int) {
	close(p.stop)
	p.done.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	w := append([]time.Duration(nil), p.waits...)
	sort.Slice(w, func(i, j int) bool { return w[i] < w[j] })
	if len(w) == 0 {
		return 0, 0, 0
	}
	return w[len(w)-1], w[len(w)*99/100], len(w)
}

func TestUIStall(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "住民記録_大量.csv")
	writeBigLog(t, logPath, *stallRows)
	ws, err := workspace.Open(filepath.Join(dir, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()

	var v *MainView
	var win fyne.Window
	fyne.DoAndWait(func() {
		win = stallApp.NewWindow("点検")
		v = NewMainView(win, ws.Dir, NewEngine(ws))
		win.SetContent(v.Content())
		win.Resize(fyne.NewSize(1366, 768))
		win.Show()
		v.Refresh()
	})
	v.bg.Wait()

	run := func(name string, act func()) {
		p := startProbe()
		t0 := time.Now()
		fyne.DoAndWait(act)
		v.bg.Wait()
		elapsed := time.Since(t0)
		longest, p99, n := p.finish()
		t.Logf("%s of %d rows: %.1f s; UI goroutine answered %d probes, longest wait %v, 99th percentile %v",
			name, *stallRows, elapsed.Seconds(), n, longest.Round(time.Millisecond), p99.Round(time.Millisecond))
	}
	run("import", func() { v.importLogs([]string{logPath}, workspace.ImportOptions{System: "住民記録"}) })
	var s workspace.Summary
	fyne.DoAndWait(func() { s = v.summary })
	if s.Rows != int64(*stallRows) {
		t.Fatalf("imported %d rows, want %d", s.Rows, *stallRows)
	}
	fyne.DoAndWait(func() {
		for _, o := range win.Canvas().Overlays().List() {
			win.Canvas().Overlays().Remove(o)
		}
	})
	run("inspection", func() { v.inspect() })
	fyne.DoAndWait(func() { s = v.summary })
	if s.LastRun == nil {
		t.Fatal("no run after the inspection")
	}
	fyne.DoAndWait(func() { win.Close() })
}
