package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne's IME handles Japanese poorly, and its DateEntry calendar names the
// months in English, so dates and times are picked from lists: a clerk
// never has to type to fill a required field.

// datePicker picks a calendar day from three lists: year (with its 和暦),
// month and day.
type datePicker struct {
	year, month, dayOf *widget.Select
	box                *fyne.Container
	onChanged          func()
}

// pickerYears lists the years from next year back to oldest, newest
// first: dates picked here are recent ones.
func pickerYears(now time.Time, oldest int) []string {
	var out []string
	for y := now.Year() + 1; y >= oldest; y-- {
		out = append(out, yearLabel(y))
	}
	return out
}

// logYears is how far back a period may start: logs older than ten years
// are past any retention rule.
const logYears = 10

// yearLabel writes 2024年（令和6年）; a year in which the era changed
// carries the era it ends in.
func yearLabel(y int) string {
	switch {
	case y >= 2020:
		return fmt.Sprintf("%d年（令和%d年）", y, y-2018)
	case y == 2019:
		return "2019年（平成31年・令和元年）"
	case y >= 1990:
		return fmt.Sprintf("%d年（平成%d年）", y, y-1988)
	}
	return fmt.Sprintf("%d年", y)
}

// newDatePicker picks a day in the last logYears years.
func newDatePicker(now time.Time, changed func()) *datePicker {
	return newDatePickerFrom(now, now.Year()-logYears, changed)
}

// newDatePickerFrom picks a day from the year oldest on (staff joined
// decades ago).
func newDatePickerFrom(now time.Time, oldest int, changed func()) *datePicker {
	p := &datePicker{onChanged: changed}
	fire := func(string) {
		if p.onChanged != nil {
			p.onChanged()
		}
	}
	p.year = widget.NewSelect(pickerYears(now, oldest), fire)
	p.year.PlaceHolder = "年"
	months := make([]string, 12)
	for i := range months {
		months[i] = fmt.Sprintf("%d月", i+1)
	}
	p.month = widget.NewSelect(months, fire)
	p.month.PlaceHolder = "月"
	days := make([]string, 31)
	for i := range days {
		days[i] = fmt.Sprintf("%d日", i+1)
	}
	p.dayOf = widget.NewSelect(days, fire)
	p.dayOf.PlaceHolder = "日"
	p.box = container.NewHBox(p.year, p.month, p.dayOf)
	return p
}

// sizedBox lays the three lists out wide enough for their longest
// choice (2019年（平成31年・令和元年） aside): in a row of other widgets a
// list is otherwise only as wide as its placeholder, and a picked year
// shows as 「2…」.
func (p *datePicker) sizedBox() *fyne.Container {
	sized := func(s *widget.Select, w float32) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, s.MinSize().Height), s)
	}
	return container.NewHBox(sized(p.year, 210), sized(p.month, 80), sized(p.dayOf, 80))
}

// leadingInt reads the number a label starts with: 2024年… → 2024.
func leadingInt(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// Date returns the picked day; ok is false while a part is missing or the
// day does not exist in that month (2月30日).
func (p *datePicker) Date() (t time.Time, ok bool) {
	y, m, d := leadingInt(p.year.Selected), leadingInt(p.month.Selected), leadingInt(p.dayOf.Selected)
	if y == 0 || m == 0 || d == 0 {
		return time.Time{}, false
	}
	t = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// SetDate shows t; the zero time clears the picker.
func (p *datePicker) SetDate(t time.Time) {
	if t.IsZero() {
		p.year.ClearSelected()
		p.month.ClearSelected()
		p.dayOf.ClearSelected()
		return
	}
	if y := yearLabel(t.Year()); !contains(p.year.Options, y) {
		p.year.Options = append(p.year.Options, y)
	}
	p.year.SetSelected(yearLabel(t.Year()))
	p.month.SetSelected(fmt.Sprintf("%d月", int(t.Month())))
	p.dayOf.SetSelected(fmt.Sprintf("%d日", t.Day()))
}

// timeOptions are the times of day offered, every quarter hour.
func timeOptions() []string {
	out := make([]string, 0, 96)
	for m := 0; m < 24*60; m += 15 {
		out = append(out, fmt.Sprintf("%02d:%02d", m/60, m%60))
	}
	return out
}

// newTimeSelect picks a time of day; a stored time off the quarter hours
// (08:40) is still shown, as its own option.
func newTimeSelect(value string, changed func(string)) *widget.Select {
	opts := timeOptions()
	if value != "" && !contains(opts, value) {
		opts = append(opts, value)
	}
	s := widget.NewSelect(opts, changed)
	s.PlaceHolder = "時刻"
	if value != "" {
		s.Selected = value
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitList splits a stored list the way the engine does (; , 、 or line
// breaks).
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '、' || r == ';' || r == '\n' || r == '\r'
	})
	out := make([]string, 0, len(f))
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// pasteEntry is an entry for text the user may paste rather than type (a
// town's name, a mail domain). Fyne entries paste with Ctrl+V and from the
// context menu; the placeholder says so.
func pasteEntry(placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	return e
}
