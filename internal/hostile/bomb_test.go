//go:build !windows

package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tenken/internal/workspace"
)

// bombChildEnv makes the test binary, run again by TestZipBomb, import
// one file into a workspace and print the outcome: "<ws>|<file>".
const bombChildEnv = "TENKEN_BOMB_CHILD"

// TestZipBombChild is the child's side of TestZipBomb.
func TestZipBombChild(t *testing.T) {
	arg := os.Getenv(bombChildEnv)
	if arg == "" {
		t.Skip("run by TestZipBomb")
	}
	ws, file, _ := strings.Cut(arg, "|")
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, _, err = w.ImportLog(context.Background(), file, workspace.ImportOptions{System: "住民記録"}, nil)
	fmt.Printf("RESULT %v\n", err)
}

// writeBomb writes a workbook of about 2 MB whose one cell unpacks to
// 2 GiB of text. The deflate stream is built from one compressed
// megabyte repeated (after a sync flush the compressor's output for the
// same input repeats), so the bomb takes a fraction of a second to make.
// With honest the zip declares the true unpacked size; otherwise it
// declares a few kilobytes (a lying header).
func writeBomb(t *testing.T, path string, chunks int, honest bool) {
	t.Helper()
	// A valid workbook to take the other parts from.
	base := excelize.NewFile()
	base.SetSheetRow("Sheet1", "A1", &[]any{"日時", "職員ID"})
	var wb bytes.Buffer
	if err := base.Write(&wb); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	zw := zip.NewWriter(bw)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	prefix := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
	suffix := []byte(`</t></is></c></row></sheetData></worksheet>`)
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	take := func() []byte { b := append([]byte(nil), buf.Bytes()...); buf.Reset(); return b }
	fw.Write(prefix)
	fw.Write(chunk)
	fw.Flush()
	first := take()
	fw.Write(chunk)
	fw.Flush()
	steady := take()
	fw.Write(chunk)
	fw.Flush()
	if again := take(); !bytes.Equal(again, steady) {
		t.Fatalf("the compressed megabyte does not repeat (%d vs %d bytes)", len(again), len(steady))
	}
	fw.Write(suffix)
	fw.Close()
	last := take()

	crc := crc32.NewIEEE()
	crc.Write(prefix)
	for i := 0; i < chunks; i++ {
		crc.Write(chunk)
	}
	crc.Write(suffix)
	size := uint64(len(prefix)) + uint64(chunks)<<20 + uint64(len(suffix))
	compressed := uint64(len(first)) + uint64(chunks-1)*uint64(len(steady)) + uint64(len(last))
	declared := size
	if !honest {
		declared = 4096
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: crc.Sum32(), CompressedSize64: compressed, UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(first)
	for i := 1; i < chunks; i++ {
		w.Write(steady)
	}
	w.Write(last)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// TestZipBomb imports a 2 MB workbook with one 2 GiB cell in a child
// process and measures it: refused with a Japanese error naming the limit,
// within seconds, the child's peak resident memory under 200 MB, and
// nothing left in the system's temporary folder or the workspace's.
func TestZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a zip bomb")
	}
	for _, c := range []struct {
		name   string
		chunks int  // MiB of the cell
		honest bool // the zip declares the true size
		limit  string
	}{
		{"2 GiB cell", 2048, true, "展開すると上限"},
		{"2 GiB cell, size lied about", 2048, false, "展開すると上限"},
		{"64 MiB cell under the size limit", 64, true, "セルの値が上限"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bomb := filepath.Join(dir, "bomb.xlsx")
			writeBomb(t, bomb, c.chunks, c.honest)
			fi, _ := os.Stat(bomb)
			if fi.Size() > 3<<20 {
				t.Fatalf("the bomb is %d bytes", fi.Size())
			}
			sys := filepath.Join(dir, "systmp")
			os.Mkdir(sys, 0o700)
			ws := filepath.Join(dir, "ws")
			cmd := exec.Command(os.Args[0], "-test.run=^TestZipBombChild$", "-test.v")
			cmd.Env = append(os.Environ(), bombChildEnv+"="+ws+"|"+bomb, "TMPDIR="+sys)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			t.Logf("bomb of %d bytes: refused in %v, peak RSS %d MB: %s", fi.Size(), took.Round(time.Millisecond), rss>>20, resultLine(out))
			if !strings.Contains(string(out), "RESULT bomb.xlsx: ") || !strings.Contains(string(out), c.limit) {
				t.Errorf("not refused with the limit named:\n%s", out)
			}
			if took > 20*time.Second {
				t.Errorf("took %v", took)
			}
			if rss > 200<<20 {
				t.Errorf("peak resident memory %d MB, want under 200 MB", rss>>20)
			}
			for _, d := range []string{sys, filepath.Join(ws, "tmp")} {
				if left, _ := os.ReadDir(d); len(left) > 0 {
					t.Errorf("left in %s: %v", d, left)
				}
			}
		})
	}
}

func resultLine(out []byte) string {
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "RESULT ") {
			return l
		}
	}
	return ""
}
