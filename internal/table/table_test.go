package table

import (
	"errors"
	"io"
	"os"
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
