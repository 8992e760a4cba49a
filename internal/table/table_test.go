package table

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tenken/internal/domain"
)

func TestXLSXSheetsAndPadding(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"表題"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"日時", "職員ID", "備考"})
	f.SetSheetRow("Sheet1", "A3", &[]any{45383.5, "A1"})
	f.NewSheet("二月")
	f.SetSheetRow("二月", "A1", &[]any{"x"})
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	src, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Encoding() != XLSXLabel || src.Sheet() != "Sheet1" || strings.Join(src.Sheets(), ",") != "Sheet1,二月" {
		t.Fatalf("source %q %q %v", src.Encoding(), src.Sheet(), src.Sheets())
	}
	var rows [][]string
	for {
		r, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, append([]string(nil), r.Fields...))
	}
	if len(rows) != 3 || len(rows[2]) != 3 || rows[2][0] != "45383.5" || rows[2][2] != "" {
		t.Fatalf("rows %q: the data row must be padded to the header's width and keep the raw serial", rows)
	}
	other, err := Open(p, Options{Sheet: "二月"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := other.Next()
	other.Close()
	if err != nil || r.Fields[0] != "x" {
		t.Fatalf("chosen sheet: %v %v", r, err)
	}
	_, err = Open(p, Options{Sheet: "三月"})
	var de *domain.Error
	if !errors.As(err, &de) || !strings.Contains(de.Message, "二月") {
		t.Fatalf("unknown sheet: %v", err)
	}
}

func TestOpenRejectsXLSAndNamesMissingFile(t *testing.T) {
	dir := t.TempDir()
	xls := filepath.Join(dir, "old.xls")
	os.WriteFile(xls, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o600)
	if _, err := Open(xls, Options{}); err == nil || !strings.Contains(err.Error(), ".xls") {
		t.Fatalf("xls: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "none.csv"), Options{}); err == nil || !strings.Contains(err.Error(), "見つかりません") {
		t.Fatalf("missing: %v", err)
	}
	csv := filepath.Join(dir, "a.csv")
	os.WriteFile(csv, []byte("a\tb\n1\t2\n"), 0o600)
	src, err := Open(csv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Delimiter() != "タブ" || src.Sheets() != nil {
		t.Fatalf("csv source: %q %v", src.Delimiter(), src.Sheets())
	}
}

// TestXLSXTempFilesStayInTmpDir: the copy of a workbook and the sheets
// excelize unpacks (residents' data in plain text) go to the folder given,
// never to the system's temporary folder, and are gone after Close; a
// killed process's folder is swept, a running one's is not.
func TestXLSXTempFilesStayInTmpDir(t *testing.T) {
	old := unzipXMLLimit
	unzipXMLLimit = 1 << 10 // make excelize unpack the sheet to a file
	defer func() { unzipXMLLimit = old }()
	sys := t.TempDir()
	t.Setenv("TMPDIR", sys)
	p := filepath.Join(t.TempDir(), "log.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"日時", "職員ID", "宛名番号"})
	for i := 2; i < 400; i++ {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i), &[]any{45383.5, "A1", fmt.Sprintf("%07d", i)})
	}
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	src, err := Open(p, Options{TmpDir: ws})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Next(); err != nil {
		t.Fatal(err)
	}
	var inside []string
	filepath.Walk(ws, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			inside = append(inside, filepath.Base(p))
		}
		return nil
	})
	if len(inside) < 2 || !strings.Contains(strings.Join(inside, " "), "excelize-") {
		t.Errorf("files in the workspace's temporary folder while reading: %v (want the copy and excelize's sheet)", inside)
	}
	if left, _ := os.ReadDir(sys); len(left) > 0 {
		t.Errorf("files in the system's temporary folder: %v", left)
	}
	if sum, n := src.(Hasher).SHA256(); len(sum) != 64 || n == 0 {
		t.Errorf("hash %q %d", sum, n)
	}
	src.Close()
	if left, _ := os.ReadDir(ws); len(left) > 0 {
		t.Errorf("left after Close: %v", left)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(ws, fmt.Sprintf("tenken-%sp%d-1", TmpPrefix, cmd.Process.Pid))
	live := filepath.Join(ws, fmt.Sprintf("tenken-%sp%d-2", TmpPrefix, os.Getpid()))
	for _, d := range []string{stale, live} {
		os.MkdirAll(d, 0o700)
		os.WriteFile(filepath.Join(d, "excelize-1"), []byte("宛名番号"), 0o600)
	}
	SweepTmp(ws)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a killed process's folder was not swept: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a running process's folder was swept: %v", err)
	}
}
