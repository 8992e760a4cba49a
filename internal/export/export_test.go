package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func testSheets() []Sheet {
	day := time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)
	return []Sheet{
		{Name: "検出事項", Columns: []Column{{Title: "No.", Kind: Int, Width: 6}, {Title: "職員ID", Width: 12}, {Title: "日付", Kind: Date, Width: 12}, {Title: "内容", Width: 60}},
			Rows: [][]any{
				{1, "S0001", day, "時間外の照会"},
				{2, "=HYPERLINK(\"http://x\")", day.AddDate(0, 0, 1), "+81 から始まる"},
				{3, "@SUM(A1)", time.Time{}, "-1 件"},
				{4, "\tTAB", day, "改行を\n含む,カンマ\"引用符\""},
			}},
		{Name: "証跡", Columns: []Column{{Title: "日時", Kind: DateTime, Width: 20}, {Title: "件数", Kind: Int}, {Title: "点数", Kind: Float}},
			Rows: [][]any{{day.Add(18*time.Hour + 42*time.Minute + 11*time.Second), int64(1250), 12.5}}},
		{Name: "職員ランキング", Columns: []Column{{Title: "順位", Kind: Int}}},
	}
}

func TestWriteCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "export.csv")
	paths, err := WriteCSV(out, testSheets())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{out, strings.TrimSuffix(out, ".csv") + "_証跡.csv", strings.TrimSuffix(out, ".csv") + "_職員ランキング.csv"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("paths = %v, want %v", paths, want)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("no UTF-8 BOM")
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Error("lines do not end with CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRecs := [][]string{
		{"No.", "職員ID", "日付", "内容"},
		{"1", "S0001", "2025-06-03", "時間外の照会"},
		{"2", "'=HYPERLINK(\"http://x\")", "2025-06-04", "'+81 から始まる"},
		{"3", "'@SUM(A1)", "", "'-1 件"},
		{"4", "'\tTAB", "2025-06-03", "改行を\n含む,カンマ\"引用符\""},
	}
	if !reflect.DeepEqual(recs, wantRecs) {
		t.Errorf("records:\n got %q\nwant %q", recs, wantRecs)
	}
	ev, _ := os.ReadFile(paths[1])
	if !strings.Contains(string(ev), "2025-06-03 18:42:11,1250,12.5") {
		t.Errorf("evidence CSV: %q", ev)
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", p, st.Mode().Perm())
		}
	}
}

func TestWriteXLSX(t *testing.T) {
	out := filepath.Join(t.TempDir(), "export.xlsx")
	if err := WriteXLSX(out, testSheets()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"検出事項", "証跡", "職員ランキング"}) {
		t.Errorf("sheets = %v", got)
	}
	for _, name := range f.GetSheetList() {
		panes, err := f.GetPanes(name)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v", name, panes)
		}
	}
	// The formula-like text is stored as text, not as a formula.
	v, _ := f.GetCellValue("検出事項", "B3")
	if v != "=HYPERLINK(\"http://x\")" {
		t.Errorf("B3 = %q", v)
	}
	if fm, _ := f.GetCellFormula("検出事項", "B3"); fm != "" {
		t.Errorf("B3 has formula %q", fm)
	}
	// Dates are numbers (serials) with a date format, not text.
	typ, _ := f.GetCellType("検出事項", "C2")
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("date cell is text (type %v)", typ)
	}
	raw, _ := f.GetCellValue("検出事項", "C2", excelize.Options{RawCellValue: true})
	if raw != "45811" { // 2025-06-03 as an Excel serial
		t.Errorf("C2 raw = %q, want the serial 45811", raw)
	}
	shown, _ := f.GetCellValue("検出事項", "C2")
	if shown != "2025/06/03" {
		t.Errorf("C2 shown = %q, want 2025/06/03", shown)
	}
	if w, _ := f.GetColWidth("検出事項", "D"); w != 60 {
		t.Errorf("column D width = %v, want 60", w)
	}
	rows, _ := f.GetRows("検出事項")
	if len(rows) != 5 {
		t.Errorf("rows = %d, want 5", len(rows))
	}
	// The autofilter covers the header and every row.
	b, _ := os.ReadFile(out)
	if !bytes.Contains(b, []byte("PK")) {
		t.Fatal("not a zip")
	}
	if !strings.Contains(sheetXML(t, out, "xl/worksheets/sheet1.xml"), `<autoFilter ref="$A$1:$D$5"`) {
		t.Error("no autofilter over A1:D5")
	}
}

// sheetXML reads one part of the workbook.
func sheetXML(t *testing.T, path, part string) string {
	t.Helper()
	out, err := exec.Command("unzip", "-p", path, part).Output()
	if err != nil {
		t.Skipf("unzip: %v", err)
	}
	return string(out)
}

// TestXLSXMatchesCSV checks that the workbook and the CSV hold the same
// rows, read back with LibreOffice when it is installed (the round trip a
// town's PC does) and with excelize otherwise.
func TestXLSXMatchesCSV(t *testing.T) {
	dir := t.TempDir()
	sheets := testSheets()[:1]
	sheets[0].Rows = sheets[0].Rows[:2] // LibreOffice shows formula-like text as is
	xl := filepath.Join(dir, "x.xlsx")
	if err := WriteXLSX(xl, sheets); err != nil {
		t.Fatal(err)
	}
	paths, err := WriteCSV(filepath.Join(dir, "c.csv"), sheets)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(paths[0])
	want, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	// LibreOffice takes some seconds to start; -short uses excelize.
	if lo, err := exec.LookPath("libreoffice"); err == nil && !testing.Short() {
		conv := filepath.Join(dir, "lo")
		cmd := exec.Command(lo, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", conv, xl)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("libreoffice: %v\n%s", err, out)
		}
		lb, err := os.ReadFile(filepath.Join(conv, "x.csv"))
		if err != nil {
			t.Fatal(err)
		}
		got, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(lb, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// LibreOffice writes dates in the cell's format.
		for _, r := range got[1:] {
			r[2] = strings.ReplaceAll(r[2], "/", "-")
		}
		want[2][1] = strings.TrimPrefix(want[2][1], "'")
		want[2][3] = strings.TrimPrefix(want[2][3], "'")
	} else {
		f, err := excelize.OpenFile(xl)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, _ = f.GetRows("検出事項")
		for _, r := range got[1:] {
			r[2] = strings.ReplaceAll(r[2], "/", "-")
		}
		for i := range got {
			for j := range got[i] {
				got[i][j] = Escape(got[i][j])
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("xlsx rows differ from CSV:\n xlsx %q\n  csv %q", got, want)
	}
}

func TestEscapeRowIsExcelSafe(t *testing.T) {
	row := EscapeRow([]string{"=cmd|'/c calc'!A1", "+1", "-2", "@SUM(A1)", "ok", ""})
	want := []string{"'=cmd|'/c calc'!A1", "'+1", "'-2", "'@SUM(A1)", "ok", ""}
	for i := range want {
		if row[i] != want[i] {
			t.Errorf("cell %d = %q, want %q", i, row[i], want[i])
		}
	}
}
