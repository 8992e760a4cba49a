package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
)

// The charts are drawn as vectors in greys, so that they print sharply
// and survive the office photocopier; every value that matters is also
// written as a number, since shades alone do not photocopy reliably.

// hasCharts reports whether there is anything to chart.
func (b *builder) hasCharts() bool {
	if b.data.Heatmap != nil || len(b.data.Daily) > 0 {
		return true
	}
	for _, n := range b.list {
		if !n.f.Excluded {
			return true
		}
	}
	return false
}

// charts is the section of charts: accesses by weekday and hour, the
// daily trend with 閉庁日 shaded, and findings by rule.
func (b *builder) charts() {
	// The heading stays with the whole of the first chart.
	keep := 120.0
	if b.data.Heatmap != nil {
		keep = heatmapH + 40
	} else if len(b.data.Daily) > 0 {
		keep = dailyH + 40
	}
	b.h1(titleCharts, keep)
	if b.data.Heatmap != nil {
		b.h2("曜日・時間帯別のアクセス件数", heatmapH)
		b.heatmap(*b.data.Heatmap)
	}
	if len(b.data.Daily) > 0 {
		b.h2("日別のアクセス件数の推移", dailyH)
		b.dailyTrend(b.data.Daily)
	}
	// The heading stays with the whole bar chart.
	keep = 40.0 // a sentence when nothing was found
	for _, n := range b.list {
		if !n.f.Excluded {
			keep = float64(len(b.data.Rules))*15 + 20
			break
		}
	}
	b.h2("点検項目別の検出件数", keep)
	b.ruleBars()
}

// Heights of the charts, legends included, for keeping headings with them.
const (
	heatmapH = 22 + 7*6.5*mm + 22
	dailyH   = 6 + 52*mm + 22 + 16
)

// shade maps a share 0..1 to a grey from white to near black.
func shade(v float64) rgb {
	g := uint8(255 - math.Round(v*195))
	return rgb{g, g, g}
}

// compact writes a count short enough for a chart cell: 987, 5801,
// 1.2万, 12万.
func compact(n int) string {
	if n >= 100000 {
		return strconv.FormatFloat(float64(n)/10000, 'f', 0, 64) + "万"
	}
	if n >= 10000 {
		return strconv.FormatFloat(float64(n)/10000, 'f', 1, 64) + "万"
	}
	// No thousands separator: a cell is narrow, and four digits read well.
	return strconv.Itoa(n)
}

// heatmap draws a 7 × 24 grid of counts, weekdays down, hours across,
// with totals per weekday and the 勤務時間 marked above the hours.
func (b *builder) heatmap(h [7][24]int) {
	d := b.d
	const (
		labelW = 10 * mm
		totalW = 17 * mm
		cellH  = 6.5 * mm
		axisH  = 22.0
	)
	cellW := (contentW - labelW - totalW) / 24
	maxN, total := 0, 0
	for _, r := range h {
		for _, n := range r {
			maxN = max(maxN, n)
			total += n
		}
	}
	d.ensure(heatmapH)
	x0, y0 := left+labelW, d.y+axisH

	// 勤務時間 as a bracket over the hour axis.
	ws, we := b.workHours()
	if we > ws {
		bx0 := x0 + ws*cellW
		bx1 := x0 + we*cellW
		d.line(bx0, d.y+5, bx1, d.y+5, 1.2, darkGrey)
		d.line(bx0, d.y+5, bx0, d.y+9, 1.2, darkGrey)
		d.line(bx1, d.y+5, bx1, d.y+9, 1.2, darkGrey)
		lbl := "勤務時間"
		lw := d.width(lbl, 7) + 6
		d.fillRect((bx0+bx1-lw)/2, d.y, lw, 10, rgb{255, 255, 255})
		d.textIn(bx0, d.y, bx1-bx0, 10, lbl, 7, darkGrey, alignCenter)
	}
	for hr := 0; hr < 24; hr++ {
		d.textIn(x0+float64(hr)*cellW, y0-11, cellW, 10, strconv.Itoa(hr), 6.5, darkGrey, alignCenter)
	}
	d.textIn(x0+24*cellW, y0-11, totalW, 10, "計", 7, darkGrey, alignCenter)
	for wd := 0; wd < 7; wd++ {
		y := y0 + float64(wd)*cellH
		fill := rgb{255, 255, 255}
		if wd == 0 || wd == 6 {
			fill = bandFill
		}
		d.fillRect(left, y, labelW, cellH, fill)
		d.textIn(left, y, labelW, cellH, weekdays[wd], 8.5, black, alignCenter)
		rowTotal := 0
		for hr := 0; hr < 24; hr++ {
			n := h[wd][hr]
			rowTotal += n
			v := 0.0
			if maxN > 0 {
				// A square root keeps the quiet hours visible next to
				// the busy ones, which is where misuse hides.
				v = math.Sqrt(float64(n) / float64(maxN))
			}
			cx := x0 + float64(hr)*cellW
			d.fillRect(cx, y, cellW, cellH, shade(v))
			if n > 0 {
				c := black
				if v > 0.6 {
					c = rgb{255, 255, 255}
				}
				s := compact(n)
				size := 5.5
				for size > 4 && d.width(s, size) > cellW-1.5 {
					size -= 0.5
				}
				d.textIn(cx, y, cellW, cellH, s, size, c, alignCenter)
			}
		}
		d.textIn(x0+24*cellW, y, totalW-3, cellH, num(int64(rowTotal)), 7.5, black, alignRight)
	}
	// Grid.
	for wd := 0; wd <= 7; wd++ {
		y := y0 + float64(wd)*cellH
		d.line(left, y, right, y, 0.3, ruleGrey)
	}
	for hr := 0; hr <= 24; hr++ {
		d.line(x0+float64(hr)*cellW, y0, x0+float64(hr)*cellW, y0+7*cellH, 0.3, ruleGrey)
	}
	d.line(left, y0, left, y0+7*cellH, 0.3, ruleGrey)
	d.line(right, y0, right, y0+7*cellH, 0.3, ruleGrey)
	d.y = y0 + 7*cellH + 4

	// Legend: the scale of shades.
	lx := left
	d.text(lx, d.y, 12, "少", 7.5, darkGrey)
	lx += d.width("少", 7.5) + 3
	for i := 0; i <= 10; i++ {
		d.fillRect(lx+float64(i)*6, d.y+2, 6, 8, shade(float64(i)/10))
	}
	d.strokeRect(lx, d.y+2, 66, 8, 0.3, ruleGrey)
	lx += 69
	d.text(lx, d.y, 12, "多", 7.5, darkGrey)
	lx += d.width("多", 7.5) + 10
	note := fmt.Sprintf("セル内の数字は件数（時台ごと）。合計 %s 件、最大 %s 件。", num(int64(total)), num(int64(maxN)))
	d.text(lx, d.y, 12, fitText(d.measure(7.5), note, right-lx), 7.5, darkGrey)
	d.y += 18
}

// workHours is the 勤務時間 as fractional hours (8.5, 17.25).
func (b *builder) workHours() (float64, float64) {
	parse := func(s, def string) float64 {
		if strings.TrimSpace(s) == "" {
			s = def
		}
		t, err := time.Parse("15:04", strings.TrimSpace(s))
		if err != nil {
			t, _ = time.Parse("15:04", def)
		}
		return float64(t.Hour()) + float64(t.Minute())/60
	}
	return parse(b.data.WorkStart, domain.DefaultWorkStart), parse(b.data.WorkEnd, domain.DefaultWorkEnd)
}

// niceStep picks a round step (1, 2, 5 × 10^k) giving about n ticks up
// to maxV.
func niceStep(maxV float64, n int) float64 {
	if maxV <= 0 {
		return 1
	}
	raw := maxV / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return math.Max(1, m*p)
		}
	}
	return math.Max(1, 10*p)
}

// dailyTrend draws the events per day as bars over a band per 閉庁日.
func (b *builder) dailyTrend(days []DayCount) {
	d := b.d
	const (
		axisW  = 16 * mm
		plotH  = 52 * mm
		labelH = 22.0
	)
	d.ensure(dailyH)
	x0, y0 := left+axisW, d.y+6
	plotW := right - x0
	n := len(days)
	bw := plotW / float64(n)
	maxN := 0
	for _, c := range days {
		maxN = max(maxN, c.Count)
	}
	step := niceStep(float64(maxN), 4)
	top := step * math.Ceil(float64(max(maxN, 1))/step)
	yOf := func(v float64) float64 { return y0 + plotH - v/top*plotH }

	// Closed days first, under everything.
	closed := 0
	for i, c := range days {
		if c.Closed {
			closed++
			d.fillRect(x0+float64(i)*bw, y0, bw, plotH, rgb{225, 225, 225})
		}
	}
	// Gridlines and their values.
	for v := 0.0; v <= top+0.01; v += step {
		y := yOf(v)
		d.line(x0, y, right, y, 0.3, ruleGrey)
		d.textIn(left, y-5, axisW-3, 10, num(int64(v)), 6.5, darkGrey, alignRight)
	}
	gap := math.Min(bw*0.2, 1.5)
	for i, c := range days {
		if c.Count == 0 {
			continue
		}
		y := yOf(float64(c.Count))
		d.fillRect(x0+float64(i)*bw+gap/2, y, bw-gap, y0+plotH-y, rgb{70, 70, 70})
	}
	d.line(x0, y0, x0, y0+plotH, 0.5, darkGrey)
	d.line(x0, y0+plotH, right, y0+plotH, 0.5, darkGrey)

	// Day labels: every day for a month, Mondays for a quarter, the first
	// of each month beyond.
	ly := y0 + plotH + 2
	for i, c := range days {
		t := c.Day
		var s string
		switch {
		case n <= 31:
			s = strconv.Itoa(t.Day())
		case n <= 100:
			if t.Weekday() == time.Monday {
				s = fmt.Sprintf("%d/%d", int(t.Month()), t.Day())
			}
		default:
			if t.Day() == 1 {
				s = fmt.Sprintf("%d月", int(t.Month()))
			}
		}
		if s == "" {
			continue
		}
		cx := x0 + (float64(i)+0.5)*bw
		w := d.width(s, 6) + 2
		d.textIn(cx-w/2, ly, w, 9, s, 6, darkGrey, alignCenter)
	}
	if n <= 31 && n > 0 {
		// The month under the first day and under each 1st.
		for i, c := range days {
			if i == 0 || c.Day.Day() == 1 {
				s := fmt.Sprintf("%d月", int(c.Day.Month()))
				d.text(x0+float64(i)*bw, ly+9, 9, s, 6, darkGrey)
			}
		}
	}
	d.y = ly + labelH

	// Legend.
	lx := left + axisW
	d.fillRect(lx, d.y+2, 10, 8, rgb{70, 70, 70})
	d.text(lx+13, d.y, 12, "アクセス件数（日計）", 7.5, darkGrey)
	lx += 13 + d.width("アクセス件数（日計）", 7.5) + 14
	d.fillRect(lx, d.y+2, 10, 8, rgb{225, 225, 225})
	d.strokeRect(lx, d.y+2, 10, 8, 0.3, ruleGrey)
	d.text(lx+13, d.y, 12, fmt.Sprintf("閉庁日（%d 日）", closed), 7.5, darkGrey)
	d.y += 16
	// Closed days with events are worth a sentence: they are what the
	// HOLIDAY rule looks at.
	var busy []string
	for _, c := range days {
		if c.Closed && c.Count > 0 {
			s := shortDate(b.data.Era, c.Day) + "（" + weekdays[c.Day.Weekday()] + "）" + num(int64(c.Count)) + "件"
			if r := strings.TrimSpace(oneLine(c.Reason)); r != "" && r != "土曜日" && r != "日曜日" {
				s += "・" + r
			}
			busy = append(busy, s)
		}
	}
	if len(busy) > 0 {
		if len(busy) > 20 {
			busy = append(busy[:20], fmt.Sprintf("ほか %d 日", len(busy)-20))
		}
		b.note("閉庁日のアクセス：" + strings.Join(busy, "、"))
	}
	d.y += 4
}

// ruleBars draws findings per rule as horizontal bars stacked by severity.
func (b *builder) ruleBars() {
	d := b.d
	type counts struct {
		id  string
		sev severityCounts
	}
	var rs []*counts
	byID := map[string]*counts{}
	for _, r := range b.data.Rules {
		if r.Enabled {
			c := &counts{id: r.ID}
			byID[r.ID] = c
			rs = append(rs, c)
		}
	}
	for _, n := range b.list {
		if n.f.Excluded {
			continue
		}
		c, ok := byID[n.f.Rule]
		if !ok {
			c = &counts{id: n.f.Rule}
			byID[n.f.Rule] = c
			rs = append(rs, c)
		}
		c.sev.add(n.f.Severity)
	}
	maxN := 0
	for _, c := range rs {
		maxN = max(maxN, c.sev.total())
	}
	if maxN == 0 {
		b.body("検出事項がないため、グラフはありません。")
		return
	}
	const (
		labelW = 52 * mm
		numW   = 14 * mm
		barH   = 11.0
		pitch  = 15.0
	)
	plotW := contentW - labelW - numW
	fills := []rgb{{60, 60, 60}, {140, 140, 140}, {205, 205, 205}, {235, 235, 235}}
	d.ensure(float64(len(rs))*pitch + 20) // the chart is never split
	for _, c := range rs {
		d.text(left, d.y, pitch, fitText(d.measure(8), b.ruleName(c.id), labelW-4), 8, black)
		x := left + labelW
		for i, v := range []int{c.sev.high, c.sev.medium, c.sev.low, c.sev.other} {
			if v == 0 {
				continue
			}
			w := float64(v) / float64(maxN) * plotW
			d.fillRect(x, d.y+(pitch-barH)/2, w, barH, fills[i])
			d.strokeRect(x, d.y+(pitch-barH)/2, w, barH, 0.3, darkGrey)
			x += w
		}
		d.text(x+3, d.y, pitch, num(int64(c.sev.total())), 8, black)
		d.y += pitch
	}
	d.line(left+labelW, d.y-float64(len(rs))*pitch, left+labelW, d.y, 0.5, darkGrey)
	d.y += 4
	lx := left + labelW
	for i, s := range []string{"高", "中", "低"} {
		d.fillRect(lx, d.y+2, 10, 8, fills[i])
		d.strokeRect(lx, d.y+2, 10, 8, 0.3, darkGrey)
		d.text(lx+13, d.y, 12, "重要度 "+s, 7.5, darkGrey)
		lx += 13 + d.width("重要度 "+s, 7.5) + 12
	}
	d.y += 16
}
