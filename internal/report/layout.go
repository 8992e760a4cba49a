package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/signintech/gopdf"

	"tenken/fonts"
)

// Page geometry, in points (the document unit). A4 portrait with 20 mm
// margins; the running header and the page number live inside the top and
// bottom margins.
const (
	mm       = 72.0 / 25.4
	pageW    = 595.28
	pageH    = 841.89
	left     = 20 * mm
	right    = pageW - 20*mm
	contentW = right - left
	top      = 20 * mm
	bottom   = pageH - 20*mm

	// fontFamily is also the font's name in the PDF. gopdf embeds only
	// the glyphs used, and the "XXXXXX+" tag is how PDF marks a subset.
	fontFamily = "TNKRPT+IPAexGothic"

	bodySize = 10.0 // body text, pt
	bodyLead = 17.0 // body line pitch: 1.7 em, usual for Japanese documents
)

// rgb is a colour.
type rgb struct{ r, g, b uint8 }

// The palette is greys only: the report is printed on office
// monochrome printers and photocopied.
var (
	black    = rgb{0, 0, 0}
	darkGrey = rgb{64, 64, 64}
	midGrey  = rgb{96, 96, 96}
	ruleGrey = rgb{150, 150, 150}
	headFill = rgb{230, 230, 230}
	bandFill = rgb{242, 242, 242}
)

// Horizontal alignment inside a table column.
const (
	alignLeft = iota
	alignCenter
	alignRight
)

// doc wraps gopdf with the little layout engine the report needs: a
// vertical cursor, page breaks, wrapped paragraphs and tables that split
// across pages. Drawing errors are kept in err (the first one wins) and
// checked once at the end, so the section code reads as a description of
// the page rather than as error plumbing.
type doc struct {
	pdf   *gopdf.GoPdf
	y     float64          // cursor: top of the next thing to draw
	pages int              // pages added so far
	em    map[rune]float64 // advance width of a character at 1 pt
	err   error
}

// newDoc starts an A4 document with IPAex Gothic loaded. gopdf embeds only
// the glyphs actually used (a subset), which keeps the PDF small although
// the font file is 6 MB.
func newDoc() (*doc, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	opt := gopdf.TtfOption{
		Style: gopdf.Regular,
		// A character the font lacks (a rare kanji outside JIS X 0213,
		// an emoji) is shown as 〓, the customary mark for a missing 外字,
		// instead of gopdf's default blank, which would silently hide it.
		OnGlyphNotFoundSubstitute: func(rune) rune { return '〓' },
	}
	if err := pdf.AddTTFFontDataWithOption(fontFamily, fonts.IPAexGothic, opt); err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	if err := pdf.SetFont(fontFamily, "", bodySize); err != nil {
		return nil, fmt.Errorf("set font: %w", err)
	}
	return &doc{pdf: pdf, em: make(map[rune]float64, 512)}, nil
}

// fail records the first error.
func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// runeWidth returns the advance width of r at 1 pt, measured once through
// gopdf (which also substitutes characters the font lacks, exactly as it
// will when drawing).
func (d *doc) runeWidth(r rune) float64 {
	if w, ok := d.em[r]; ok {
		return w
	}
	if err := d.pdf.SetFontSize(1); err != nil {
		d.fail(err)
	}
	w, err := d.pdf.MeasureTextWidth(string(r))
	if err != nil {
		d.fail(err)
		w = 1
	}
	d.em[r] = w
	return w
}

// width returns the width of s set at size pt. gopdf adds glyph advances
// without kerning, so the sum of the characters' widths is exact.
func (d *doc) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += d.runeWidth(r)
	}
	return w * size
}

// measure returns a measuring function for wrapLines at size pt.
func (d *doc) measure(size float64) func(string) float64 {
	return func(s string) float64 { return d.width(s, size) }
}

// wrap breaks s into lines of at most w points at size pt.
func (d *doc) wrap(s string, size, w float64) []string {
	return wrapLines(d.measure(size), clean(s), w)
}

// newPage starts a page and puts the cursor at the top margin.
func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pages++
	d.y = top
	// Give the page its content stream at once: gopdf creates it lazily,
	// and SetPage (used for the running header) counts pages by stream.
	d.pdf.SetLineWidth(0.5)
}

// freshPage starts a new page unless the cursor is already at the top of
// an empty one, so that forced breaks never leave a blank page.
func (d *doc) freshPage() {
	if d.y > top+0.01 {
		d.newPage()
	}
}

// ensure starts a new page unless h more points fit above the bottom
// margin, and reports whether it did.
func (d *doc) ensure(h float64) bool {
	if d.y+h > bottom+0.01 {
		d.newPage()
		return true
	}
	return false
}

// text draws one line of s with its box's top-left corner at (x, y),
// vertically centred in a box of height h.
func (d *doc) text(x, y, h float64, s string, size float64, c rgb) {
	if s == "" {
		return
	}
	w := d.width(s, size) // first: measuring new characters changes the font size
	d.pdf.SetXY(x, y)
	d.fail(d.pdf.SetFontSize(size))
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.fail(d.pdf.CellWithOption(&gopdf.Rect{W: w + 1, H: h}, s, gopdf.CellOption{Align: gopdf.Left | gopdf.Middle}))
}

// textIn draws one line of s aligned inside the box x..x+w.
func (d *doc) textIn(x, y, w, h float64, s string, size float64, c rgb, align int) {
	tw := d.width(s, size)
	switch align {
	case alignCenter:
		x += (w - tw) / 2
	case alignRight:
		x += w - tw
	}
	d.text(x, y, h, s, size, c)
}

// line draws a straight line.
func (d *doc) line(x1, y1, x2, y2, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.Line(x1, y1, x2, y2)
}

// fillRect paints a rectangle given by its upper-left corner.
func (d *doc) fillRect(x, y, w, h float64, c rgb) {
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// strokeRect outlines a rectangle given by its upper-left corner.
func (d *doc) strokeRect(x, y, w, h, width float64, c rgb) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// para draws a wrapped paragraph at size pt with line pitch lead, indented
// by indent from the left margin, breaking pages between lines.
func (d *doc) para(s string, size, lead, indent float64, c rgb) {
	for _, ln := range d.wrap(s, size, contentW-indent) {
		d.ensure(lead)
		d.text(left+indent, d.y, lead, ln, size, c)
		d.y += lead
	}
}

// gap moves the cursor down, but not at the top of a page where the space
// would only push the content away from the margin.
func (d *doc) gap(h float64) {
	if d.y > top+0.01 {
		d.y += h
	}
}

// heading1 draws a numbered section heading with a rule beneath it and adds
// it to the PDF outline. keep is the room wanted below the heading so that
// it is not stranded at the foot of a page.
func (d *doc) heading1(title string, keep float64) {
	const size, h = 14.0, 24.0
	d.gap(16)
	d.ensure(h + 8 + keep)
	d.text(left, d.y, h, title, size, black)
	d.line(left, d.y+h+1, right, d.y+h+1, 0.9, darkGrey)
	d.pdf.AddOutline(outlineText(title))
	d.y += h + 10
}

// heading2 draws a sub-heading with a short bar at its left.
func (d *doc) heading2(title string, keep float64) {
	const size, h = 11.5, 20.0
	d.gap(10)
	d.ensure(h + 4 + keep)
	d.fillRect(left, d.y+4, 3, h-8, darkGrey)
	for i, ln := range d.wrap(title, size, contentW-8) {
		if i > 0 {
			d.y += h
		}
		d.text(left+8, d.y, h, ln, size, black)
	}
	d.y += h + 4
}

// outlineText keeps a bookmark title within the Basic Multilingual Plane:
// gopdf writes outline titles as 4-digit UTF-16 code units.
func outlineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}

// column is one column of a table.
type column struct {
	title string
	w     float64 // width in pt; 0 means "the rest of the table's width"
	align int
	size  float64 // font size; 0 means the table's
	shade bool    // fill the column like a header (label columns)
	// maxLines cuts a cell's text after that many lines with "…"; 0
	// means no limit. The findings list uses it for explanations that are
	// printed in full on the per-staff sheets.
	maxLines int
}

// row is one row of a table body.
type row struct {
	cells []string
	shade bool // fill the row (totals, sub-headings)
}

// table is a ruled table. The header row (when the columns have titles) is
// repeated at the top of every page the table runs onto; a row taller than
// what is left of a page is split between lines, so nothing is ever drawn
// past the bottom margin.
type table struct {
	x, w  float64 // left edge and total width; 0 means the content area
	size  float64 // font size
	cols  []column
	noHdr bool // no header row even if titles are set
	// cont is printed above the repeated header when the table runs onto
	// another page, to say what the continued table belongs to.
	cont string
}

// Table metrics: padding inside cells, and the line pitch as a multiple of
// the font size.
const (
	padX      = 3.5
	padY      = 2.8
	tableLead = 1.42
)

// layoutCols returns the columns' widths and left edges.
func (t *table) layoutCols() (xs, ws []float64) {
	fixed, rest := 0.0, 0
	for _, c := range t.cols {
		if c.w == 0 {
			rest++
		}
		fixed += c.w
	}
	free := 0.0
	if rest > 0 {
		free = (t.w - fixed) / float64(rest)
	}
	x := t.x
	for _, c := range t.cols {
		w := c.w
		if w == 0 {
			w = free
		}
		xs = append(xs, x)
		ws = append(ws, w)
		x += w
	}
	return xs, ws
}

// draw renders the table at the cursor.
func (t *table) draw(d *doc, rows []row) {
	if t.x == 0 {
		t.x = left
	}
	if t.w == 0 {
		t.w = right - t.x
	}
	xs, ws := t.layoutCols()
	lead := t.size * tableLead
	sizeOf := func(i int) float64 {
		if t.cols[i].size > 0 {
			return t.cols[i].size
		}
		return t.size
	}
	wrapRow := func(cells []string) ([][]string, int) {
		out := make([][]string, len(t.cols))
		n := 1
		for i := range t.cols {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			out[i] = d.wrap(s, sizeOf(i), ws[i]-2*padX)
			if m := t.cols[i].maxLines; m > 0 && len(out[i]) > m {
				out[i] = clampLines(d.measure(sizeOf(i)), out[i], m, ws[i]-2*padX)
			}
			n = max(n, len(out[i]))
		}
		return out, n
	}

	hasHdr := !t.noHdr
	if hasHdr {
		hasHdr = false
		for _, c := range t.cols {
			if c.title != "" {
				hasHdr = true
			}
		}
	}
	var hdrLines [][]string
	hdrH := 0.0
	if hasHdr {
		n := 1
		hdrLines = make([][]string, len(t.cols))
		for i, c := range t.cols {
			// Titles are set at the table's size even where a column's
			// values are smaller (the SHA-256 column).
			hdrLines[i] = d.wrap(c.title, t.size, ws[i]-2*padX)
			n = max(n, len(hdrLines[i]))
		}
		hdrH = float64(n)*lead + 2*padY
	}
	drawHdr := func() {
		if !hasHdr {
			return
		}
		d.fillRect(t.x, d.y, t.w, hdrH, headFill)
		for i := range t.cols {
			for j, ln := range hdrLines[i] {
				d.textIn(xs[i]+padX, d.y+padY+float64(j)*lead, ws[i]-2*padX, lead, ln, t.size, black, alignCenter)
			}
		}
		t.rules(d, xs, d.y, hdrH)
		d.y += hdrH
	}
	const contH = 16.0
	nextPage := func() {
		d.newPage()
		if t.cont != "" {
			d.text(t.x, d.y, contH-4, fitText(d.measure(8.5), t.cont, t.w), 8.5, midGrey)
			d.y += contH
		}
		drawHdr()
	}
	// segment draws lines [from, to) of a row's cells as one band.
	segment := func(r row, lines [][]string, from, to int) {
		h := float64(to-from)*lead + 2*padY
		if r.shade {
			d.fillRect(t.x, d.y, t.w, h, bandFill)
		}
		for i, c := range t.cols {
			if c.shade && !r.shade {
				d.fillRect(xs[i], d.y, ws[i], h, bandFill)
			}
			for j := from; j < to && j < len(lines[i]); j++ {
				d.textIn(xs[i]+padX, d.y+padY+float64(j-from)*lead, ws[i]-2*padX, lead, lines[i][j], sizeOf(i), black, c.align)
			}
		}
		t.rules(d, xs, d.y, h)
		d.y += h
	}

	type wrapped struct {
		lines [][]string
		n     int
		h     float64
	}
	body := make([]wrapped, len(rows))
	for i, r := range rows {
		lines, n := wrapRow(r.cells)
		body[i] = wrapped{lines, n, float64(n)*lead + 2*padY}
	}

	// Keep the header with at least the first two lines of the body.
	first := 1
	if len(body) > 0 {
		first = min(body[0].n, 2)
	}
	d.ensure(hdrH + float64(first)*lead + 2*padY)
	drawHdr()
	room := bottom - top - hdrH // what a fresh page offers a row
	if t.cont != "" {
		room -= contH
	}
	onPage := 0 // body rows drawn on the current page
	for i, r := range rows {
		lines, n, h := body[i].lines, body[i].n, body[i].h
		switch {
		case d.y+h > bottom && h <= room:
			nextPage()
			onPage = 0
		case i == len(rows)-2 && len(rows) >= 3 && onPage > 0 &&
			d.y+h <= bottom && d.y+h+body[i+1].h > bottom && h+body[i+1].h <= room:
			// The last row would be alone on the next page (a widow):
			// take the one before it along.
			nextPage()
			onPage = 0
		}
		from := 0
		for from < n {
			fit := int(math.Floor((bottom - d.y - 2*padY + 0.01) / lead))
			if fit < 1 || (fit < 2 && n-from > 1) {
				nextPage()
				onPage = 0
				continue
			}
			to := min(n, from+fit)
			segment(r, lines, from, to)
			from = to
		}
		onPage++
	}
}

// rules draws the grid of one band: its top and bottom edges and the
// column boundaries.
func (t *table) rules(d *doc, xs []float64, y, h float64) {
	const lw = 0.4
	d.line(t.x, y, t.x+t.w, y, lw, ruleGrey)
	d.line(t.x, y+h, t.x+t.w, y+h, lw, ruleGrey)
	for _, x := range xs {
		d.line(x, y, x, y+h, lw, ruleGrey)
	}
	d.line(t.x+t.w, y, t.x+t.w, y+h, lw, ruleGrey)
}

// finish stamps the running header (団体名 and title) and the page number
// "n / N" on every page but the cover, now that the page count is known.
func (d *doc) finish(town, title string) {
	const size = 8.5
	for p := 2; p <= d.pages; p++ {
		if err := d.pdf.SetPage(p); err != nil {
			d.fail(err)
			return
		}
		y := 10 * mm
		h := 12.0
		tw := d.fitWidth(town, size, contentW*0.4)
		d.text(left, y, h, tw, size, midGrey)
		tt := d.fitWidth(title, size, contentW-d.width(tw, size)-24)
		d.textIn(left, y, contentW, h, tt, size, midGrey, alignRight)
		d.line(left, y+h+2, right, y+h+2, 0.5, ruleGrey)
		d.textIn(left, pageH-14*mm, contentW, h, fmt.Sprintf("%d / %d", p, d.pages), 9, darkGrey, alignCenter)
	}
}

// fitWidth shortens s to fit w at size pt.
func (d *doc) fitWidth(s string, size, w float64) string {
	return fitText(d.measure(size), oneLine(s), w)
}

// bytes returns the finished PDF.
func (d *doc) bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	return d.pdf.GetBytesPdfReturnErr()
}
