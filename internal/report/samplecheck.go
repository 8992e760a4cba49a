package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SectionSampleCheck is the key of the 抽出点検 section in Data.Omit.
const SectionSampleCheck = "samplecheck"

// titleSampleCheck is the 抽出点検 section's title.
const titleSampleCheck = "抽出点検（申請書との照合）"

// signH is the height of the signature line under a staff member's table.
const signH = 32.0

// SampleCheck is one lookup of the 抽出点検 list (Data.SampleChecks):
// where a 所属 keeps no 受付簿, a sample of each staff member's lookups
// that the clerk checks against the paper 申請書.
type SampleCheck struct {
	StaffID   string
	StaffName string
	Dept      string // 所属 on the day of the lookup
	No        int    // 1, 2, … within the staff member's list
	Of        int    // the staff member's lookups the sample was drawn from
	Time      time.Time
	System    string
	Function  string
	Action    string // as the log wrote it
	Subject   string // 宛名番号 as stored; masked unless Data.UnmaskSubjects
	File      string // log file
	Line      int    // line in the file
	Seq       int64  // 通番, 0 when the log has none
}

// sampleGroup is one staff member's rows of the list.
type sampleGroup struct {
	id, name, dept string
	of             int
	rows           []SampleCheck
}

// sampleGroups groups the list by staff member, keeping its order.
func sampleGroups(list []SampleCheck) []sampleGroup {
	var out []sampleGroup
	for _, s := range list {
		if n := len(out); n == 0 || out[n-1].id != s.StaffID || out[n-1].dept != s.Dept {
			out = append(out, sampleGroup{id: s.StaffID, name: s.StaffName, dept: s.Dept, of: s.Of})
		}
		g := &out[len(out)-1]
		g.rows = append(g.rows, s)
		g.of = max(g.of, s.Of)
	}
	return out
}

// sampleChecks prints the 抽出点検 list: an explanation, then for each
// staff member a table of the drawn lookups with boxes for 申請書あり /
// なし and 備考, and a line for the checker's signature. It is a work
// sheet handed to whoever pulls the paper files, so it starts on a page
// of its own, and the section after it does too.
func (b *builder) sampleChecks() {
	d := b.d
	groups := sampleGroups(b.data.SampleChecks)
	d.freshPage()
	b.h1(titleSampleCheck, 120)
	var depts []string
	seen := map[string]bool{}
	n := 0
	for _, g := range groups {
		if !seen[g.dept] {
			seen[g.dept] = true
			depts = append(depts, oneLine(orUnset(g.dept)))
		}
		n = max(n, len(g.rows))
	}
	b.body(fmt.Sprintf("受付簿と照合できない所属（%s）について、職員ごとに点検期間中の照会から %d 件ずつを抽出しました。"+
		"各行の照会の根拠となる申請書・届出書・依頼文書等を確認し、「申請書あり」「なし」のどちらかに印を付け、"+
		"なしの場合は備考に理由（電話照会・庁内照会など）を書いてください。", strings.Join(depts, "、"), n))
	b.note("抽出は点検ごとに決まる乱数によるもので、同じ点検からは何度作成しても同じ行が選ばれます（点検者が行を選ぶことはできません）。" +
		"職員の照会がこれより少ない場合は全件を載せています。ログの行番号は取り込んだファイルの行です。")
	for _, g := range groups {
		b.sampleTable(g)
	}
	d.freshPage()
}

// sampleTable prints one staff member's drawn lookups and the signature
// line, kept together on a page where they fit.
func (b *builder) sampleTable(g sampleGroup) {
	d := b.d
	name := oneLine(g.name)
	if strings.TrimSpace(name) == "" {
		name = notInMaster
	}
	head := fmt.Sprintf("職員ID %s　%s", oneLine(g.id), name)
	if dept := oneLine(g.dept); dept != "" {
		head += "（" + dept + "）"
	}
	head += fmt.Sprintf("　照会 %s 件から %d 件", num(int64(g.of)), len(g.rows))
	rows := make([]row, 0, len(g.rows))
	for _, s := range g.rows {
		what := oneLine(s.System)
		if fn := strings.TrimSpace(oneLine(s.Function)); fn != "" {
			what += "\n" + b.free(fn)
		}
		if a := strings.TrimSpace(oneLine(s.Action)); a != "" {
			what += "（" + a + "）"
		}
		where := oneLine(s.File)
		line := ""
		if s.Line > 0 {
			line = strconv.Itoa(s.Line) + "行目"
		}
		if s.Seq != 0 {
			line += "\n通番 " + strconv.FormatInt(s.Seq, 10)
		}
		if line != "" {
			where += "\n" + strings.TrimPrefix(line, "\n")
		}
		rows = append(rows, row{cells: []string{
			strconv.Itoa(s.No),
			sampleTime(b.data.Era, s.Time),
			what,
			b.subject(s.Subject),
			where,
			"□",
			"□",
			"",
		}})
	}
	t := &table{size: 8.5, cont: "抽出点検のつづき　職員ID " + oneLine(g.id), cols: []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "日時", w: 21 * mm},
		{title: "システム・機能（操作）"},
		{title: "宛名番号", w: 19 * mm},
		{title: "ファイル・行", w: 28 * mm},
		{title: "申請書あり", w: 18 * mm, align: alignCenter, size: 12},
		{title: "なし", w: 10 * mm, align: alignCenter, size: 12},
		{title: "備考", w: 26 * mm},
	}}
	// The heading, the table and the signature together, where a page
	// can hold them.
	b.h2(head, min(b.tableHeight(t, rows)+signH+8, bottom-top-60))
	t.draw(d, rows)
	b.signLine()
}

// tableHeight estimates the height t will take for rows, wrapping the
// cells as table.draw does.
func (b *builder) tableHeight(t *table, rows []row) float64 {
	w := t.w
	if w == 0 {
		w = contentW
	}
	fixed, rest := 0.0, 0
	for _, c := range t.cols {
		fixed += c.w
		if c.w == 0 {
			rest++
		}
	}
	width := func(c column) float64 {
		if c.w == 0 {
			return (w - fixed) / float64(max(rest, 1))
		}
		return c.w
	}
	lead := t.size * tableLead
	height := func(cells []string, title bool) float64 {
		n := 1
		for i, c := range t.cols {
			s, size := c.title, t.size
			if !title {
				s = ""
				if i < len(cells) {
					s = cells[i]
				}
				if c.size > 0 {
					size = c.size
				}
			}
			n = max(n, len(b.d.wrap(s, size, width(c)-2*padX)))
		}
		return float64(n)*lead + 2*padY
	}
	h := height(nil, true)
	for _, r := range rows {
		h += height(r.cells, false)
	}
	return h
}

// signLine draws 確認者 and 確認日 under a staff member's table.
func (b *builder) signLine() {
	d := b.d
	const h = signH - 8
	d.ensure(h + 4)
	x := left + padX
	y := d.y + 2
	d.text(x, y, h, "確認者", 9.5, black)
	d.line(x+36, y+h-5, x+200, y+h-5, 0.5, darkGrey)
	dx := x + 230
	d.text(dx, y, h, "確認日", 9.5, black)
	d.text(dx+44, y, h, "　　　　年　　　月　　　日", 9.5, black)
	d.line(dx+36, y+h-5, right-8, y+h-5, 0.5, darkGrey)
	d.y = y + h + 6
}

// sampleTime is a lookup's time on two lines: the day in the report's
// calendar (2025/05/07 or R7.5.7) and 09:03:07.
func sampleTime(era string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return shortDate(era, t) + "\n" + t.Format("15:04:05")
}
