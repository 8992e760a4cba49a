package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnsLayout lays cells out in rows of cols cells. Every column is as
// wide as its widest cell, except flex, whose cells truncate. Short, fully
// visible tables read better on the dashboard than a scrolling widget.Table,
// whose minimum size is a single cell.
type columnsLayout struct {
	cols int
	flex int // index of the truncating column; -1 for none
	// natural holds the untruncated widths of the flex column's cells. When
	// set, the column is as wide as its widest cell and only shrinks when
	// the table is short of room, so a long file name is cut rather than
	// pushing the counts off screen, and spare width stays on the right.
	// When nil, the flex column takes all the spare width.
	natural []float32
}

func (l *columnsLayout) sizes(objects []fyne.CanvasObject) (widths, heights []float32) {
	widths = make([]float32, l.cols)
	heights = make([]float32, (len(objects)+l.cols-1)/l.cols)
	for i, o := range objects {
		m := o.MinSize()
		c, r := i%l.cols, i/l.cols
		widths[c] = max(widths[c], m.Width)
		heights[r] = max(heights[r], m.Height)
	}
	return widths, heights
}

// MinSize is the sum of the columns' widths and the rows' heights, with the
// flex column at its truncated width.
func (l *columnsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := l.sizes(objects)
	var s fyne.Size
	for _, w := range widths {
		s.Width += w
	}
	for _, h := range heights {
		s.Height += h
	}
	return s
}

// Layout places the cells, widening the flex column into the spare width.
func (l *columnsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	widths, heights := l.sizes(objects)
	var total float32
	for _, w := range widths {
		total += w
	}
	if spare := size.Width - total; l.flex >= 0 && l.flex < l.cols && spare > 0 {
		if l.natural == nil {
			widths[l.flex] += spare
		} else {
			want := widths[l.flex]
			for _, n := range l.natural {
				want = max(want, n)
			}
			widths[l.flex] = min(want, widths[l.flex]+spare)
		}
	}
	var y float32
	for r, h := range heights {
		var x float32
		for c := 0; c < l.cols; c++ {
			i := r*l.cols + c
			if i >= len(objects) {
				break
			}
			objects[i].Move(fyne.NewPos(x, y))
			objects[i].Resize(fyne.NewSize(widths[c], h))
			x += widths[c]
		}
		y += h
	}
}

// column describes one column of a simple table.
type column struct {
	Title string
	Align fyne.TextAlign
}

// simpleTable builds a table of labels with a header row. flex names the
// column that truncates when room is short; cells of other columns never
// truncate.
func simpleTable(cols []column, rows [][]string, flex int) *fyne.Container {
	cells := make([][]fyne.CanvasObject, 0, len(rows))
	var natural []float32
	for _, row := range rows {
		line := make([]fyne.CanvasObject, len(cols))
		for i, c := range cols {
			text := ""
			if i < len(row) {
				text = row[i]
			}
			l := widget.NewLabelWithStyle(text, c.Align, fyne.TextStyle{})
			if i == flex {
				// Measured on a twin: a label caches its minimum size,
				// so measuring l itself would keep it untruncated. One
				// pixel more than measured: at exactly its minimum width
				// the truncating renderer may cut the last glyph.
				natural = append(natural, widget.NewLabelWithStyle(text, c.Align, fyne.TextStyle{}).MinSize().Width+1)
				l.Truncation = fyne.TextTruncateEllipsis
			}
			line[i] = l
		}
		cells = append(cells, line)
	}
	t := objectTable(cols, cells, flex)
	if flex >= 0 {
		t.Layout.(*columnsLayout).natural = append(natural, 0)
	}
	return t
}

// objectTable is simpleTable with arbitrary cells, every row one cell per
// column; its flex column takes all the spare width.
func objectTable(cols []column, rows [][]fyne.CanvasObject, flex int) *fyne.Container {
	cells := make([]fyne.CanvasObject, 0, len(cols)*(len(rows)+1))
	for _, c := range cols {
		cells = append(cells, captionLabel(c.Title, c.Align))
	}
	for _, row := range rows {
		cells = append(cells, row...)
	}
	return container.New(&columnsLayout{cols: len(cols), flex: flex}, cells...)
}

// maxBarWidth keeps the bars of a count column readable on a wide window.
const maxBarWidth = 420

// countBar draws n against the largest count as a horizontal bar, so the
// rules that found most stand out at a glance.
func countBar(n, largest int) fyne.CanvasObject {
	r := canvas.NewRectangle(withAlpha(colorPrimary, 0xb0))
	r.CornerRadius = 3
	frac := float32(0)
	if largest > 0 {
		frac = float32(max(n, 0)) / float32(largest)
	}
	return container.New(&barLayout{frac: frac}, r)
}

// barLayout sizes its single object to frac of the available width.
type barLayout struct{ frac float32 }

func (l *barLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func (l *barLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	width := min(size.Width-2*pad, maxBarWidth) * l.frac
	height := size.Height * 0.45
	objects[0].Move(fyne.NewPos(pad, (size.Height-height)/2))
	objects[0].Resize(fyne.NewSize(max(width, 0), height))
}

// captionLabel is a label in the muted caption colour, used for table
// headers and the small titles of panels.
func captionLabel(text string, align fyne.TextAlign) *widget.RichText {
	t := widget.NewRichText(&widget.TextSegment{
		Text: text,
		Style: widget.RichTextStyle{
			Alignment: align,
			ColorName: colorNameCaption,
			Inline:    true,
			SizeName:  theme.SizeNameText,
		},
	})
	return t
}

// smallText is a wrapped caption-coloured paragraph for explanations.
func smallText(text string) *widget.RichText {
	t := widget.NewRichText(&widget.TextSegment{
		Text: text,
		Style: widget.RichTextStyle{
			ColorName: colorNameCaption,
			Inline:    true,
			SizeName:  theme.SizeNameText,
		},
	})
	t.Wrapping = fyne.TextWrapBreak
	return t
}

// heading is a large title.
func heading(text string, size fyne.ThemeSizeName) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = size
	return l
}

// paragraph is a label that wraps Japanese text, which has no spaces to
// break at, at any character.
func paragraph(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// panel draws content on a rounded, tinted background.
func panel(fill fyne.ThemeColorName, content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(fill))
	bg.CornerRadius = theme.Padding() * 2
	bg.StrokeColor = theme.Color(colorNamePanelLine)
	bg.StrokeWidth = 1
	return container.NewStack(bg, container.NewPadded(content))
}
