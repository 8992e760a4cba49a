package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"tenken/internal/domain"
)

func fillBench(b *testing.B, s *Store, rows int) {
	b.Helper()
	ctx := context.Background()
	start := time.Date(2025, 5, 1, 8, 30, 0, 0, time.UTC)
	im, err := s.BeginImport(ctx, domain.ImportBatch{File: "x.csv", SHA256: "x", System: "住民記録", Kind: domain.KindAccess, Size: int64(rows) * 90})
	if err != nil {
		b.Fatal(err)
	}
	batch := im.NewBatch()
	for i := 0; i < rows; i++ {
		e := domain.Event{Time: start.Add(time.Duration(i) * 2 * time.Second), StaffID: fmt.Sprintf("S%04d", i%300), StaffName: "職員",
			Terminal: fmt.Sprintf("PC-%03d", i%120), System: "住民記録", Function: "住民票照会", Action: domain.ActionLookup, RawAction: "照会",
			SubjectID: fmt.Sprintf("%010d", 1000000000+i%50000), Records: int64(i % 7), Line: i + 2}
		batch.Add(&e, int64(i))
		if batch.Len() == 2048 {
			if err := im.Write(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch.Reset()
		}
	}
	if err := im.Write(ctx, batch); err != nil {
		b.Fatal(err)
	}
	if _, err := im.Commit(ctx, rows); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEachEvent streams 1M stored events in (staff, time) order, as
// the rules read them; BenchmarkGroupByView is the SQL alternative over
// event_v (count of lookups per staff and day) on the same data.
func BenchmarkEachEvent(b *testing.B) {
	const rows = 1_000_000
	s, err := Open(filepath.Join(b.TempDir(), "tenken.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fillBench(b, s, rows)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := s.EachEvent(context.Background(), time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(e *domain.Event) error {
			n++
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("streamed %d rows: %v", n, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkGroupByView(b *testing.B) {
	const rows = 1_000_000
	s, err := Open(filepath.Join(b.TempDir(), "tenken.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fillBench(b, s, rows)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := s.db.Query(`SELECT staff_id, ts / 86400, count(DISTINCT subject_id) FROM event_v WHERE action = 'LOOKUP' GROUP BY 1, 2`)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for r.Next() {
			n++
		}
		r.Close()
		if n == 0 {
			b.Fatal("no groups")
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWrite measures the store's side of an import alone: 1M events
// (dictionary-encoded, multi-row INSERTs, key index rebuilt at the end)
// written in batches as the importer hands them over.
func BenchmarkWrite(b *testing.B) {
	const rows = 1_000_000
	start := time.Date(2025, 5, 1, 8, 30, 0, 0, time.UTC)
	staff := make([]string, 300)
	for i := range staff {
		staff[i] = fmt.Sprintf("S%04d", i)
	}
	subjects := make([]string, 50000)
	for i := range subjects {
		subjects[i] = fmt.Sprintf("%010d", 1000000000+i)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), "tenken.db"))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.StartTimer()
		im, err := s.BeginImport(ctx, domain.ImportBatch{File: "x.csv", SHA256: "x", System: "住民記録", Kind: domain.KindAccess, Size: rows * 90})
		if err != nil {
			b.Fatal(err)
		}
		batch := im.NewBatch()
		var e domain.Event
		for i := 0; i < rows; i++ {
			e = domain.Event{Time: start.Add(time.Duration(i) * 2 * time.Second), StaffID: staff[i%300], StaffName: staff[i%300],
				Terminal: staff[i%120], System: "住民記録", Function: "住民票照会", Action: domain.ActionLookup, RawAction: "照会",
				SubjectID: subjects[i%50000], Records: int64(i % 7), Line: i + 2}
			batch.Add(&e, int64(i))
			if batch.Len() == 2048 {
				if err := im.Write(ctx, batch); err != nil {
					b.Fatal(err)
				}
				batch.Reset()
			}
		}
		if err := im.Write(ctx, batch); err != nil {
			b.Fatal(err)
		}
		if _, err := im.Commit(ctx, rows); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
