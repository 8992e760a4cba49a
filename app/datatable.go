package app

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tableCol is one column of a dataTable.
type tableCol struct {
	Title string
	Width float32
	Align fyne.TextAlign
	// Numeric sorts the column by the number its cells start with.
	Numeric bool
}

// dataTable is a scrolling table with a search box and sortable columns:
// tapping a header sorts by it, tapping again reverses. Rows are strings;
// callers keep their records and get the index of the selected one.
type dataTable struct {
	cols    []tableCol
	rows    [][]string
	shown   []int // indexes into rows after filter and sort
	sortCol int
	desc    bool

	search   *widget.Entry
	count    *widget.Label
	table    *widget.Table
	content  fyne.CanvasObject
	onSelect func(row int)
	// importance colours a cell; nil leaves every cell plain.
	importance func(row, col int) widget.Importance
}

func newDataTable(cols []tableCol, placeholder string) *dataTable {
	dt := &dataTable{cols: cols, sortCol: -1}
	dt.search = widget.NewEntry()
	dt.search.SetPlaceHolder(placeholder)
	dt.search.OnChanged = func(string) { dt.apply() }
	dt.count = widget.NewLabel("")
	dt.table = widget.NewTable(
		func() (int, int) { return len(dt.shown), len(dt.cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(dt.shown) || id.Col >= len(dt.cols) {
				l.SetText("")
				return
			}
			r := dt.shown[id.Row]
			l.Alignment = dt.cols[id.Col].Align
			l.Importance = widget.MediumImportance
			if dt.importance != nil {
				l.Importance = dt.importance(r, id.Col)
			}
			text := ""
			if id.Col < len(dt.rows[r]) {
				text = dt.rows[r][id.Col]
			}
			l.SetText(text)
		},
	)
	dt.table.ShowHeaderRow = true
	dt.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	dt.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(dt.cols) {
			b.SetText("")
			return
		}
		col := id.Col
		b.SetText(dt.cols[col].Title)
		b.SetIcon(nil)
		if col == dt.sortCol {
			if dt.desc {
				b.SetIcon(theme.MenuDropDownIcon())
			} else {
				b.SetIcon(theme.MenuDropUpIcon())
			}
		}
		b.OnTapped = func() { dt.sortBy(col) }
	}
	for i, c := range cols {
		dt.table.SetColumnWidth(i, c.Width)
	}
	dt.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(dt.shown) && dt.onSelect != nil {
			dt.onSelect(dt.shown[id.Row])
		}
	}
	top := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), dt.count, dt.search)
	dt.content = container.NewBorder(top, nil, nil, nil, dt.table)
	return dt
}

// setRows replaces the rows, keeping the search and the sort.
func (dt *dataTable) setRows(rows [][]string) {
	dt.rows = rows
	dt.apply()
}

// sortBy sorts by col, reversing when it already is the sort column.
func (dt *dataTable) sortBy(col int) {
	if dt.sortCol == col {
		dt.desc = !dt.desc
	} else {
		dt.sortCol, dt.desc = col, false
	}
	dt.apply()
}

// apply filters by the search words (every word must appear in the row)
// and sorts.
func (dt *dataTable) apply() {
	words := strings.Fields(strings.ToLower(dt.search.Text))
	dt.shown = dt.shown[:0]
	for i, r := range dt.rows {
		line := strings.ToLower(strings.Join(r, "\t"))
		ok := true
		for _, w := range words {
			if !strings.Contains(line, w) {
				ok = false
				break
			}
		}
		if ok {
			dt.shown = append(dt.shown, i)
		}
	}
	if c := dt.sortCol; c >= 0 && c < len(dt.cols) {
		less := func(a, b string) bool { return a < b }
		if dt.cols[c].Numeric {
			less = func(a, b string) bool { return numericValue(a) < numericValue(b) }
		}
		sort.SliceStable(dt.shown, func(i, j int) bool {
			a, b := cell(dt.rows[dt.shown[i]], c), cell(dt.rows[dt.shown[j]], c)
			if dt.desc {
				return less(b, a)
			}
			return less(a, b)
		})
	}
	if len(words) > 0 {
		dt.count.SetText(formatInt(len(dt.shown)) + " / " + formatInt(len(dt.rows)) + " 件")
	} else {
		dt.count.SetText(formatInt(len(dt.rows)) + " 件")
	}
	dt.table.UnselectAll()
	dt.table.Refresh()
}

func cell(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// numericValue reads 1,234 or 12.5 at the start of a cell; cells without a
// number sort first.
func numericValue(s string) float64 {
	var n, frac float64
	seen, dot := false, false
	scale := 1.0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			seen = true
			if dot {
				scale /= 10
				frac += float64(r-'0') * scale
			} else {
				n = n*10 + float64(r-'0')
			}
		case r == ',' && seen:
		case r == '.' && seen && !dot:
			dot = true
		default:
			if seen {
				return n + frac
			}
			if r == '-' || r == ' ' {
				continue
			}
			return -1
		}
	}
	if !seen {
		return -1
	}
	return n + frac
}
