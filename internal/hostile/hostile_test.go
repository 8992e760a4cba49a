package hostile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// corpus is testdata/hostile at the repository root: small hostile files
// committed as they are. Big ones are made by bigFiles at test time.
const corpus = "../../testdata/hostile"

// japanese matches text a Japanese user can read: at least one kana or
// kanji.
var japanese = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)

// residentIDs are the 宛名番号 written into the corpus. No message or
// reject reason may show them: they identify residents.
var residentIDs = regexp.MustCompile(`000000[1-6]`)

// Memory bounds. The CSV reader caps a field at 1 MiB and a record at
// 8 MiB, so whatever the input the import's live heap stays a small
// multiple of that; a reader that buffers a whole line or a whole file
// blows through it on the 32 MiB line.
const (
	peakBound     = 64 << 20 // live heap above the baseline during one import
	retainedBound = 16 << 20 // heap left over after all imports and a GC
)

// bigFiles writes the inputs too large to commit.
func bigFiles(t *testing.T, dir string) []string {
	t.Helper()
	header := "操作日時,職員ID,氏名,端末,機能,操作,宛名番号,件数\r\n"
	row := "2025/05/07 09:00:00,S0001,山田,PC-1,住民票照会,照会,0000001,1\r\n"
	type gen struct {
		name  string
		write func(w *bufio.Writer)
	}
	repeat := func(w *bufio.Writer, s string, n int) {
		for i := 0; i < n; i++ {
			w.WriteString(s)
		}
	}
	gens := []gen{
		// One 32 MiB line with no line break at all.
		{"huge_line.csv", func(w *bufio.Writer) {
			w.WriteString(header)
			repeat(w, "あいうえお", 32<<20/15)
		}},
		// A 3 MiB quoted field between two good rows: the good rows must
		// survive the bad one.
		{"huge_field.csv", func(w *bufio.Writer) {
			w.WriteString(header + row)
			w.WriteString(`2025/05/07 09:01:00,S0002,"`)
			repeat(w, "長", 1<<20)
			w.WriteString("\",PC-2,住民票照会,照会,0000002,1\r\n")
			w.WriteString(strings.Replace(row, "S0001", "S0003", 1))
		}},
		// A header of 10^6 columns.
		{"million_columns_header.csv", func(w *bufio.Writer) {
			for i := 0; i < 1_000_000; i++ {
				if i > 0 {
					w.WriteByte(',')
				}
				fmt.Fprintf(w, "列%d", i)
			}
			w.WriteString("\r\n" + row)
		}},
		// A good header and a data row of 10^6 columns.
		{"million_columns_row.csv", func(w *bufio.Writer) {
			w.WriteString(header)
			w.WriteString(strings.TrimSuffix(row, "\r\n"))
			repeat(w, ",x", 1_000_000)
			w.WriteString("\r\n" + row)
		}},
		// 4 MiB of doubled quotes inside one field, and a quote that opens
		// at the start of 2 MiB of rows and never closes.
		{"huge_quotes.csv", func(w *bufio.Writer) {
			w.WriteString(header + `2025/05/07 09:00:00,S0001,"`)
			repeat(w, `""`, 2<<20)
			w.WriteString("\",PC-1,住民票照会,照会,0000001,1\r\n")
			w.WriteString(`2025/05/07 09:01:00,S0002,"`)
			repeat(w, strings.Replace(row, "S0001", "S0009", 1), (2<<20)/len(row))
		}},
		// 20,000 lines of nothing but NUL bytes.
		{"nul_flood.csv", func(w *bufio.Writer) {
			w.WriteString(header)
			repeat(w, strings.Repeat("\x00", 40)+"\r\n", 20_000)
		}},
	}
	var paths []string
	for _, g := range gens {
		p := filepath.Join(dir, g.name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		g.write(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// peakHeap runs fn while sampling the live heap, and returns how far it
// rose above the heap before fn.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	p := max(peak.Load(), ms.HeapAlloc)
	if p < base {
		return 0
	}
	return p - base
}

// checkError fails unless err is a Japanese domain.Error naming the file
// and showing no resident identifier.
func checkError(t *testing.T, what, file string, err error) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Errorf("%s: error is not a domain.Error with a Japanese message: %T %v", what, err, err)
		return
	}
	if !japanese.MatchString(de.Message) {
		t.Errorf("%s: error message is not Japanese: %q", what, de.Message)
	}
	if !strings.Contains(de.Message, file) {
		t.Errorf("%s: error message does not name the file %s: %q", what, file, de.Message)
	}
	if residentIDs.MatchString(de.Message) {
		t.Errorf("%s: error message shows a resident identifier: %q", what, de.Message)
	}
}

func checkRejects(t *testing.T, what string, rejects []domain.Reject) {
	t.Helper()
	for _, r := range rejects {
		if r.Line <= 0 {
			t.Errorf("%s: reject without a line number: %+v", what, r)
		}
		if !japanese.MatchString(r.Reason) {
			t.Errorf("%s: reject reason is not Japanese: %q", what, r.Reason)
		}
		if residentIDs.MatchString(r.Reason) {
			t.Errorf("%s: reject reason shows a resident identifier: %q", what, r.Reason)
		}
		if len(r.Raw) > 64<<10 {
			t.Errorf("%s: reject keeps %d bytes of the raw row", what, len(r.Raw))
		}
	}
}

// notText are files that are no log at all: not one row of them may be
// taken as an event.
var notText = map[string]bool{
	"binary_png.csv": true, "binary_zip.csv": true, "random_bytes.csv": true,
	"empty.csv": true, "bom_only.csv": true, "delimiters_only.csv": true,
	"million_columns_header.csv": true, "nul_flood.csv": true,
}

// mustReject are files with a good header whose bad rows must each be
// rejected with their line, not the file refused.
var mustReject = map[string]int{
	"huge_line.csv": 1, "huge_field.csv": 1, "million_columns_row.csv": 1,
	"nul_flood.csv": 20_000, "bad_dates.csv": 6, "ragged.csv": 2,
}

// encodingRejects are files with a readable header in which only some
// rows are in another encoding (or cut inside a character): the header is
// recognised, and exactly the rows on these lines are rejected, each with
// a reason that names its line and says its encoding differs; every other
// row is imported.
var encodingRejects = map[string][]int{
	"invalid_utf8.csv": {2}, "truncated_utf8.csv": {2, 3}, "mixed_sjis_utf8.csv": {3},
}

// TestHostileFiles feeds every hostile file to the log import and to each
// master import. Each must end in a Japanese error or in rows accepted and
// rejected with Japanese reasons — never a panic, a hang or a heap that
// grows with the input.
func TestHostileFiles(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv") {
			files = append(files, filepath.Join(corpus, e.Name()))
		}
	}
	if len(files) < 20 {
		t.Fatalf("corpus has %d files, want at least 20", len(files))
	}
	if !testing.Short() {
		files = append(files, bigFiles(t, t.TempDir())...)
	}
	sort.Strings(files)

	ctx := context.Background()
	ws, err := workspace.Open(filepath.Join(t.TempDir(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseline := ms.HeapAlloc

	imported := 0
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			var (
				batch   domain.ImportBatch
				rejects []domain.Reject
				err     error
			)
			start := time.Now()
			grew := peakHeap(func() {
				batch, rejects, err = ws.ImportLog(ctx, path, workspace.ImportOptions{System: "住民記録"}, nil)
			})
			t.Logf("log import: %v, heap +%d MiB, accepted %d, rejected %d, err %v",
				time.Since(start).Round(time.Millisecond), grew>>20, batch.Accepted, batch.Rejected, err)
			if grew > peakBound {
				t.Errorf("log import: live heap grew by %d MiB (bound %d MiB)", grew>>20, peakBound>>20)
			}
			if err != nil {
				checkError(t, "log import", name, err)
				_, bad := mustReject[name]
				if _, enc := encodingRejects[name]; bad || enc {
					t.Errorf("log import: the file was refused as a whole; only its bad rows should be")
				}
			} else {
				imported++
				checkRejects(t, "log import", rejects)
				if got := batch.Accepted + batch.Rejected + batch.Duplicate; got != batch.Read {
					t.Errorf("log import: read %d rows but accepted %d + rejected %d + duplicate %d", batch.Read, batch.Accepted, batch.Rejected, batch.Duplicate)
				}
				if notText[name] && batch.Accepted > 0 {
					t.Errorf("log import: %d events taken from a file that is no log", batch.Accepted)
				}
				if want, ok := mustReject[name]; ok && batch.Rejected < want {
					t.Errorf("log import: %d rows rejected, want at least %d", batch.Rejected, want)
				}
				if lines, ok := encodingRejects[name]; ok {
					if batch.Rejected != len(lines) || batch.Accepted+batch.Duplicate != batch.Read-len(lines) {
						t.Errorf("log import: accepted %d, duplicate %d, rejected %d of %d rows; want only lines %v rejected", batch.Accepted, batch.Duplicate, batch.Rejected, batch.Read, lines)
					}
					for i, r := range rejects {
						if i >= len(lines) || r.Line != lines[i] || !strings.Contains(r.Reason, "文字コードが他の行と異なります") || !strings.Contains(r.Reason, fmt.Sprintf("%d行目", r.Line)) {
							t.Errorf("log import: reject %d: line %d %q; want line %v with a reason naming it and the encoding", i, r.Line, r.Reason, lines)
						}
					}
				}
				// The rows around an over-long one are read as usual (they
				// repeat rows of other files, so they may count as
				// duplicates).
				if name == "huge_field.csv" && batch.Accepted+batch.Duplicate != 2 {
					t.Errorf("log import: the two good rows around the huge field: accepted %d, duplicate %d", batch.Accepted, batch.Duplicate)
				}
			}

			for _, kind := range []workspace.MasterKind{workspace.MasterStaff, workspace.MasterGrants, workspace.MasterWatchlist, workspace.MasterOvertime} {
				var res workspace.MasterResult
				grew := peakHeap(func() { res, err = ws.ImportMaster(ctx, kind, path) })
				what := fmt.Sprintf("master import %s", kind)
				if grew > peakBound {
					t.Errorf("%s: live heap grew by %d MiB (bound %d MiB)", what, grew>>20, peakBound>>20)
				}
				if err != nil {
					checkError(t, what, name, err)
					continue
				}
				checkRejects(t, what, res.Rejects)
				if res.Accepted+len(res.Rejects) > res.Read {
					t.Errorf("%s: read %d rows but accepted %d and rejected %d", what, res.Read, res.Accepted, len(res.Rejects))
				}
				if notText[name] && res.Accepted > 0 {
					t.Errorf("%s: %d rows taken from a file that is no master", what, res.Accepted)
				}
			}
		})
	}

	// The workspace is still sound after all of it.
	rep, err := ws.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Checks {
		if c.Name == workspace.CheckIntegrity && !c.OK {
			t.Errorf("after the hostile imports: %s: %s", c.Name, c.Detail)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > baseline && ms.HeapAlloc-baseline > retainedBound {
		t.Errorf("heap after all imports and a GC is %d MiB above the start (bound %d MiB): something keeps the input", (ms.HeapAlloc-baseline)>>20, retainedBound>>20)
	}
	t.Logf("%d files, %d imported as logs (with rejects), the rest refused", len(files), imported)
}
