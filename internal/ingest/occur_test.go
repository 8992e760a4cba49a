package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestIdenticalRowsFarApartAreBothKept: two identical rows (the same
// lookup twice in one second) on either side of more than 65,536 other
// rows are two events; the counter that told them apart used to be
// cleared after 65,536 entries, and the second became a "duplicate". An
// overlapping export with the same two rows adds nothing, one with a
// third adds one.
func TestIdenticalRowsFarApartAreBothKept(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	const twin = "2025/05/07 09:00:00,A1,照会,0000001\n"
	var sb strings.Builder
	sb.WriteString("操作日時,職員ID,操作,宛名番号\n" + twin)
	const others = 1<<16 + 1 // the old counter was cleared after 65,536 entries
	for i := 0; i < others; i++ {
		fmt.Fprintf(&sb, "2025/05/07 10:%02d:%02d,B%d,照会,%07d\n", i/60%60, i%60, i, i)
	}
	sb.WriteString(twin)
	r, err := ImportFile(ctx, st, writeFile(t, "far.csv", sb.String(), utf8Plain), Options{System: "住民記録"})
	if err != nil || r.Batch.Accepted != others+2 || r.Batch.Duplicate != 0 {
		t.Fatalf("far twins: %+v %v", r.Batch, err)
	}
	r, err = ImportFile(ctx, st, writeFile(t, "two.csv", "操作日時,職員ID,操作,宛名番号\n"+twin+twin, utf8Plain), Options{System: "住民記録"})
	if err != nil || r.Batch.Accepted != 0 || r.Batch.Duplicate != 2 {
		t.Fatalf("overlapping export with both: %+v %v", r.Batch, err)
	}
	r, err = ImportFile(ctx, st, writeFile(t, "three.csv", "操作日時,職員ID,操作,宛名番号\n"+twin+twin+twin, utf8Plain), Options{System: "住民記録"})
	if err != nil || r.Batch.Accepted != 1 || r.Batch.Duplicate != 2 {
		t.Fatalf("overlapping export with a third: %+v %v", r.Batch, err)
	}
}

func TestOccurrences(t *testing.T) {
	o := newOccurrences(0)
	for i := uint64(0); i < 200_000; i++ {
		if n := o.next(i * 0x9E3779B97F4A7C15); n != 0 {
			t.Fatalf("first sight of %d counted %d", i, n)
		}
	}
	for i := uint64(0); i < 200_000; i += 997 {
		if n := o.next(i * 0x9E3779B97F4A7C15); n != 1 {
			t.Fatalf("second sight of %d counted %d", i, n)
		}
		if n := o.next(i * 0x9E3779B97F4A7C15); n != 2 {
			t.Fatalf("third sight of %d counted %d", i, n)
		}
	}
}
