package hostile

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// TestFileLevelRefusalsSayWhy: files that cannot be imported at all are
// refused with their real reason and line, not "データがありません": a
// header of 50,000 columns (the column limit), a single line of 200 MB
// (the line limit), a NUL byte in the header.
func TestFileLevelRefusalsSayWhy(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, fill func(w *bufio.Writer)) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		fill(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	row := "2025/05/07 09:00:00,S0001,PC-1,住民票照会,照会,0000001\r\n"
	files := []struct {
		path string
		want []string
	}{
		{write("wide.csv", func(w *bufio.Writer) {
			for i := 0; i < 50_000; i++ {
				if i > 0 {
					w.WriteByte(',')
				}
				w.WriteString("列")
			}
			w.WriteString("\r\n" + row)
		}), []string{"1行目", "の数が多すぎます", "上限 10000 列"}},
		{write("nul_in_header.csv", func(w *bufio.Writer) {
			w.WriteString("操作日時,職員\x00ID,端末,機能,操作,宛名番号\r\n" + row)
		}), []string{"1行目", "NUL"}},
	}
	if !testing.Short() {
		files = append(files, struct {
			path string
			want []string
		}{write("one_line.csv", func(w *bufio.Writer) {
			mb := []byte(strings.Repeat("あいうえおかきくけこ", 1<<20/30))
			for n := 0; n < 200<<20; n += len(mb) {
				w.Write(mb)
			}
		}), []string{"1行目", "長すぎます", "上限"}})
	}
	ws, err := workspace.Open(filepath.Join(t.TempDir(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	for _, f := range files {
		start := time.Now()
		_, _, err := ws.ImportLog(context.Background(), f.path, workspace.ImportOptions{System: "住民記録"}, nil)
		var de *domain.Error
		if !errors.As(err, &de) || strings.Contains(de.Message, "データがありません") || !strings.Contains(de.Message, filepath.Base(f.path)) {
			t.Errorf("%s: %v", filepath.Base(f.path), err)
			continue
		}
		for _, w := range f.want {
			if !strings.Contains(de.Message, w) {
				t.Errorf("%s: message lacks %q: %s", filepath.Base(f.path), w, de.Message)
			}
		}
		t.Logf("%s (%v): %s", filepath.Base(f.path), time.Since(start).Round(time.Millisecond), de.Message)
	}
}
