package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/store"
)

// writeBenchLog writes a CP932 access log of n rows like the sample town's
// 住民記録 export and returns its path.
func writeBenchLog(b *testing.B, n int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "住民記録.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(japanese.ShiftJIS.NewEncoder().Writer(f))
	fmt.Fprint(w, "操作日時,職員ID,氏名,端末名,機能名,操作種別,宛名番号,件数\r\n")
	start := time.Date(2025, 5, 1, 8, 30, 0, 0, time.UTC)
	actions := []string{"照会", "照会", "照会", "更新", "CSV出力", "ログイン"}
	for i := 0; i < n; i++ {
		t := start.Add(time.Duration(i) * 2 * time.Second)
		fmt.Fprintf(w, "%s,S%04d,職員%d,PC-%03d,住民票照会,%s,%010d,%d\r\n",
			t.Format("2006/01/02 15:04:05"), i%300, i%300, i%120, actions[i%len(actions)], 1000000000+i%50000, i%7)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return p
}

// BenchmarkImport measures end-to-end import (decode, parse, map,
// validate, insert with the staff/time index) of a CP932 access log.
func BenchmarkImport(b *testing.B) {
	const rows = 200_000
	p := writeBenchLog(b, rows)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "tenken.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
		if err != nil || res.Batch.Accepted != rows {
			b.Fatalf("import: %+v %v", res.Batch, err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
