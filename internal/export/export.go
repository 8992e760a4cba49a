// Package export writes tables (findings, evidence, the staff ranking) for
// Excel: as an .xlsx workbook with one sheet per table, or as CSV files in
// UTF-8 with a BOM. It knows nothing of the database or the domain: the
// caller (workspace) builds the sheets.
//
// Every cell a spreadsheet would run as a formula (text starting with = +
// - @, or a tab or carriage return) is written as text: an access log is
// outside input, and a log line crafted as =HYPERLINK(...) must not run on
// the clerk's PC (CSV/formula injection). In the xlsx, cells are typed,
// so text is never a formula; in the CSV, such a cell gets a leading '.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"tenken/internal/atomicfile"
	"tenken/internal/domain"
)

// Kind is the type of a column's values.
type Kind int

// Column kinds.
const (
	Text     Kind = iota // string
	Int                  // int, int64
	Float                // float64
	Date                 // time.Time, shown as a date
	DateTime             // time.Time, shown with the time of day
)

// Column is one column of a sheet.
type Column struct {
	Title string
	Width float64 // in characters, as Excel counts them; 0 = default
	Kind  Kind
}

// Sheet is one table: a sheet of the workbook, or one CSV file.
type Sheet struct {
	Name    string // sheet name (at most 31 characters), also part of the CSV file name
	Columns []Column
	Rows    [][]any // one value per column: string, int, int64, float64, bool or time.Time
}

// WriteXLSX writes the sheets as one workbook at path: the header row
// frozen and filtered, the column widths set, dates as real dates. The
// file is written through a temporary file and renamed (0600).
func WriteXLSX(path string, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border: []excelize.Border{
			{Type: "bottom", Color: "808080", Style: 1},
		},
	})
	if err != nil {
		return err
	}
	dateFmt, dateTimeFmt := "yyyy/mm/dd", "yyyy/mm/dd hh:mm:ss"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	dateTimeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateTimeFmt})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		name := sheetName(sh.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		// The plain (not streaming) API: the stream writer cannot add the
		// autofilter to a sheet it has already written.
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
			return err
		}
		hdr := make([]any, len(sh.Columns))
		for c, col := range sh.Columns {
			hdr[c] = col.Title
		}
		if err := f.SetSheetRow(name, "A1", &hdr); err != nil {
			return err
		}
		for r, values := range sh.Rows {
			cells := make([]any, len(sh.Columns))
			for c := range sh.Columns {
				if c < len(values) {
					cells[c] = values[c]
				}
				if t, ok := cells[c].(time.Time); ok && t.IsZero() {
					cells[c] = nil // an empty cell, not 1899-12-30
				}
			}
			ref, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(name, ref, &cells); err != nil {
				return err
			}
		}
		if len(sh.Columns) == 0 {
			continue
		}
		lastRow := max(1, len(sh.Rows)+1)
		for c, col := range sh.Columns {
			letter, _ := excelize.ColumnNumberToName(c + 1)
			w := col.Width
			if w <= 0 {
				w = 12
			}
			if err := f.SetColWidth(name, letter, letter, w); err != nil {
				return err
			}
			style := textStyle
			switch col.Kind {
			case Date:
				style = dateStyle
			case DateTime:
				style = dateTimeStyle
			case Int, Float:
				style = 0
			}
			if style != 0 && len(sh.Rows) > 0 {
				if err := f.SetCellStyle(name, letter+"2", fmt.Sprintf("%s%d", letter, lastRow), style); err != nil {
					return err
				}
			}
		}
		lastCol, _ := excelize.ColumnNumberToName(len(sh.Columns))
		if err := f.SetCellStyle(name, "A1", lastCol+"1", head); err != nil {
			return err
		}
		if err := f.SetRowHeight(name, 1, 20); err != nil {
			return err
		}
		if err := f.AutoFilter(name, fmt.Sprintf("A1:%s%d", lastCol, lastRow), nil); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}

// sheetName makes a valid, distinct-enough sheet name: at most 31
// characters and none of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet"
	}
	return s
}

// CSVPaths returns the files WriteCSV writes for out: one per sheet,
// named after out with the sheet's name appended (検出事項.csv →
// 検出事項_証跡.csv ...), the first sheet taking out itself.
func CSVPaths(out string, sheets []Sheet) []string {
	ext := filepath.Ext(out)
	stem := strings.TrimSuffix(out, ext)
	if ext == "" {
		ext = ".csv"
	}
	paths := make([]string, len(sheets))
	for i, sh := range sheets {
		if i == 0 {
			paths[i] = stem + ext
			continue
		}
		paths[i] = stem + "_" + fileSafe(sh.Name) + ext
	}
	return paths
}

// fileSafe replaces characters Windows does not allow in file names.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}

// WriteCSV writes each sheet as a CSV file (UTF-8 with BOM, CRLF) at the
// paths CSVPaths gives. Dates are written as 2025-06-03 and time stamps as
// 2025-06-03 18:42:11, which Excel reads as dates.
func WriteCSV(out string, sheets []Sheet) ([]string, error) {
	paths := CSVPaths(out, sheets)
	for i, sh := range sheets {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		w.UseCRLF = true
		hdr := make([]string, len(sh.Columns))
		for c, col := range sh.Columns {
			hdr[c] = Escape(col.Title)
		}
		if err := w.Write(hdr); err != nil {
			return nil, err
		}
		for _, values := range sh.Rows {
			rec := make([]string, len(sh.Columns))
			for c, col := range sh.Columns {
				var v any
				if c < len(values) {
					v = values[c]
				}
				rec[c] = Escape(CSVText(v, col.Kind))
			}
			if err := w.Write(rec); err != nil {
				return nil, err
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, err
		}
		if err := writeAtomic(paths[i], buf.Bytes()); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// CSVText is how a value is written to CSV.
func CSVText(v any, k Kind) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if k == Date {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "はい"
		}
		return ""
	}
	return fmt.Sprint(v)
}

// Escape neutralises a cell that a spreadsheet would run as a formula by
// putting a ' in front of it: text starting with = + - @, a tab or a
// carriage return. Numbers are never escaped by the callers (they are
// not text), so a negative count stays a number.
func Escape(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// EscapeRow applies Escape to every cell of row, in place, and returns it.
func EscapeRow(row []string) []string {
	for i, c := range row {
		row[i] = Escape(c)
	}
	return row
}

// writeAtomic writes b to path through a temporary file in the same
// directory, created 0600, and renames it into place.
func writeAtomic(path string, b []byte) error {
	if err := atomicfile.Write(path, b); err != nil {
		return &domain.Error{Code: "export_write", Message: fmt.Sprintf("エクスポートのファイル「%s」を保存できませんでした。保存先のフォルダと空き容量を確認してください。", path), Err: err}
	}
	return nil
}
