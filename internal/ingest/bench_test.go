package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/store"
)

// writeBenchLog writes an access log of n rows like the sample town's
// 住民記録 export (8 columns), CP932 or UTF-8, and returns its path. With
// TENKEN_BENCH_SEQ set the log carries a 通番 column first (9 columns).
func writeBenchLog(b testing.TB, dir string, n int, cp932 bool) string {
	b.Helper()
	name := "住民記録_utf8.csv"
	if cp932 {
		name = "住民記録.csv"
	}
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	var w *bufio.Writer
	if cp932 {
		w = bufio.NewWriterSize(japanese.ShiftJIS.NewEncoder().Writer(f), 1<<16)
	} else {
		w = bufio.NewWriterSize(f, 1<<16)
	}
	seq := os.Getenv("TENKEN_BENCH_SEQ") != ""
	if seq {
		fmt.Fprint(w, "通番,")
	}
	fmt.Fprint(w, "操作日時,職員ID,氏名,端末名,機能名,操作種別,宛名番号,件数\r\n")
	start := time.Date(2025, 5, 1, 8, 30, 0, 0, time.UTC)
	actions := []string{"照会", "照会", "照会", "更新", "CSV出力", "ログイン"}
	for i := 0; i < n; i++ {
		t := start.Add(time.Duration(i) * 2 * time.Second)
		if seq {
			fmt.Fprintf(w, "%d,", i+1)
		}
		fmt.Fprintf(w, "%s,S%04d,職員%d,PC-%03d,住民票照会,%s,%010d,%d\r\n",
			t.Format("2006/01/02 15:04:05"), i%300, i%300, i%120, actions[i%len(actions)], 1000000000+i%50000, i%7)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

// benchRows is the size of the comparison benchmark: 1M rows unless
// TENKEN_BENCH_ROWS says otherwise.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("TENKEN_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

func importOnce(b *testing.B, p string, rows int) time.Duration {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "tenken.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	res, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
	d := time.Since(t0)
	if err != nil || res.Batch.Accepted != rows {
		b.Fatalf("import: %+v %v", res.Batch, err)
	}
	return d
}

// sqliteOnce is what a sqlite3 expert does by hand: .import of the UTF-8
// rows into a plain table, then the index on (staff, time).
func sqliteOnce(b *testing.B, sqlite3, utf8 string) time.Duration {
	b.Helper()
	db := filepath.Join(b.TempDir(), "plain.db")
	t0 := time.Now()
	out, err := exec.Command(sqlite3, db, ".import --csv "+utf8+" ev", `CREATE INDEX ev_staff_time ON ev("職員ID", "操作日時");`).CombinedOutput()
	d := time.Since(t0)
	if err != nil {
		b.Fatalf("sqlite3: %v %s", err, out)
	}
	return d
}

// BenchmarkImportVsSQLite imports a generated CP932 access log end to end
// (decode, parse, map, validate, insert, and the staff/time index the
// rules need) and, in the same run, times the sqlite3 command-line
// .import of the same rows as UTF-8 plus CREATE INDEX. The two are
// interleaved so that machine noise hits both alike. Metrics: rows/s of
// the import, both times, and ratio (import time / sqlite3 time; the
// target is ≤ 1.5).
func BenchmarkImportVsSQLite(b *testing.B) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("sqlite3 がありません（make deps で入ります）")
	}
	rows := benchRows()
	dir := b.TempDir()
	cp := writeBenchLog(b, dir, rows, true)
	u8 := writeBenchLog(b, dir, rows, false)
	var ours, theirs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ours += importOnce(b, cp, rows)
		b.StopTimer()
		theirs += sqliteOnce(b, sqlite3, u8)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/ours.Seconds(), "rows/s")
	b.ReportMetric(ours.Seconds()/float64(b.N), "tenken-s")
	b.ReportMetric(theirs.Seconds()/float64(b.N), "sqlite3-s")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "ratio")
}

// BenchmarkImport measures end-to-end import of a 200k-row CP932 log
// (small enough to run often).
func BenchmarkImport(b *testing.B) {
	const rows = 200_000
	p := writeBenchLog(b, b.TempDir(), rows, true)
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += importOnce(b, p, rows)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/total.Seconds(), "rows/s")
}

// TestWriteBenchLog writes the benchmark's CP932 log for measuring the
// tenken binary by hand (peak memory with /usr/bin/time -v):
//
//	TENKEN_GEN_DIR=/tmp/big TENKEN_BENCH_ROWS=10000000 go test -run TestWriteBenchLog ./internal/ingest
//
// It does nothing unless TENKEN_GEN_DIR is set.
func TestWriteBenchLog(t *testing.T) {
	dir := os.Getenv("TENKEN_GEN_DIR")
	if dir == "" {
		t.Skip("TENKEN_GEN_DIR が未設定です")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Log(writeBenchLog(t, dir, benchRows(), true))
}
