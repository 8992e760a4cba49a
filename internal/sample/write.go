package sample

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
)

// Headers of the generated files. Each system spells its columns its own
// way, as real exports do, so that the importer's header mapping is
// exercised.
var (
	staffHeader     = []string{"職員番号", "氏名", "所属課", "役職", "雇用区分", "採用日", "退職日", "USB利用", "本人宛名番号", "利用可能システム", "Windowsアカウント", "メールアドレス"}
	grantsHeader    = []string{"所属", "システム", "権限", "開始日", "終了日"}
	watchlistHeader = []string{"宛名番号", "区分", "閲覧可能所属", "登録日", "職員ID"}
	overtimeHeader  = []string{"職員ID", "日付", "開始", "終了"}
	endpointHeader  = []string{"日時", "アカウント", "コンピュータ名", "イベント", "デバイス", "ファイル名"}
	mailHeader      = []string{"日時", "アカウント", "宛先", "件名", "添付ファイル名", "添付サイズ"}
	residentHeader  = []string{"操作日時", "職員ID", "氏名", "端末名", "機能名", "操作種別", "宛名番号", "件数", "通番"}
	taxHeader       = []string{"日付", "時刻", "ユーザーID", "端末", "画面名", "処理区分", "対象者番号", "出力件数"}
	welfareHeader   = []string{"アクセス日時", "利用者ID", "PC名", "処理名", "操作", "宛名コード"}
)

// welfareTitle is the title line the welfare system prints above its header.
const welfareTitle = "福祉総合システム 操作ログ 出力日:2025/06/02"

// listSep joins the systems in one cell of the staff master.
const listSep = "・"

// outFile is one rendered file.
type outFile struct {
	name   string
	system string // for logs
	rows   int
	data   []byte
}

// csvText builds CSV text with CRLF line ends.
type csvText struct {
	b        strings.Builder
	quoteAll bool // quote every field, as some host systems do
}

func (c *csvText) line(fields ...string) {
	for i, f := range fields {
		if i > 0 {
			c.b.WriteByte(',')
		}
		if c.quoteAll || strings.ContainsAny(f, ",\"\r\n") {
			c.b.WriteByte('"')
			c.b.WriteString(strings.ReplaceAll(f, `"`, `""`))
			c.b.WriteByte('"')
		} else {
			c.b.WriteString(f)
		}
	}
	c.b.WriteString("\r\n")
}

// encode converts the text to CP932 (Shift_JIS with the Windows
// extensions), the encoding of municipal exports.
func encode(name, text string) ([]byte, error) {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, &domain.Error{Code: "sample_encode", Message: "サンプルデータをShift_JISに変換できません: " + name, Err: err}
	}
	return b, nil
}

// render produces every file of the town.
func (w *world) render() ([]outFile, error) {
	texts := []struct {
		name, system string
		rows         int
		text         string
	}{
		{name: staffFileName, text: w.staffCSV()},
		{name: grantsFileName, text: grantsCSV()},
		{name: watchlistFileName, text: w.watchlistCSV()},
		{name: overtimeFileName, text: w.overtimeCSV()},
		{name: receptionFileName, text: w.receptionCSV()},
	}
	for _, sys := range append(slices.Clone(systems), sysEndpoint, sysMail) {
		text, rows := w.logCSV(sys)
		texts = append(texts, struct {
			name, system string
			rows         int
			text         string
		}{sys + ".csv", sys, rows, text})
	}
	var out []outFile
	for _, t := range texts {
		data, err := encode(t.name, t.text)
		if err != nil {
			return nil, err
		}
		out = append(out, outFile{name: t.name, system: t.system, rows: t.rows, data: data})
	}
	return out, nil
}

func slashDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006/01/02")
}

// era returns the 元号 of t with its year, and the letter abbreviation.
func era(t time.Time) (name, letter string, year int) {
	switch {
	case !t.Before(ymd(2019, 5, 1)):
		return "令和", "R", t.Year() - 2018
	case !t.Before(ymd(1989, 1, 8)):
		return "平成", "H", t.Year() - 1988
	default:
		return "昭和", "S", t.Year() - 1925
	}
}

// warekiKanji writes t as 令和5年4月1日 (令和元年 for the first year).
func warekiKanji(t time.Time) string {
	name, _, y := era(t)
	ys := strconv.Itoa(y)
	if y == 1 {
		ys = "元"
	}
	return fmt.Sprintf("%s%s年%d月%d日", name, ys, int(t.Month()), t.Day())
}

// warekiLetter writes t as R5.4.1.
func warekiLetter(t time.Time) string {
	_, l, y := era(t)
	return fmt.Sprintf("%s%d.%d.%d", l, y, int(t.Month()), t.Day())
}

func styledDate(t time.Time, s dateStyle) string {
	switch {
	case t.IsZero():
		return ""
	case s == styleKanji:
		return warekiKanji(t)
	case s == styleLetter:
		return warekiLetter(t)
	}
	return slashDate(t)
}

func (w *world) staffCSV() string {
	var c csvText
	c.line(staffHeader...)
	for _, m := range w.staff {
		usb := "×"
		if m.usb {
			usb = "○"
		}
		if t := m.transfer; t != nil {
			// 異動: the old post ends the day before, the new one starts.
			c.line(m.id, m.name, t.fromDept, m.title, m.emp, slashDate(m.start), slashDate(t.day.AddDate(0, 0, -1)), usb, m.subject, strings.Join(t.fromSystems, listSep), m.win, m.mail)
			c.line(m.id, m.name, t.toDept, m.title, m.emp, slashDate(t.day), slashDate(m.end), usb, m.subject, strings.Join(t.systems, listSep), m.win, m.mail)
			continue
		}
		c.line(m.id, m.name, m.dept, m.title, m.emp, slashDate(m.start), slashDate(m.end), usb, m.subject, strings.Join(m.systems, listSep), m.win, m.mail)
	}
	return c.b.String()
}

// overtimeCSV writes the approved 時間外申請, by date then staff.
func (w *world) overtimeCSV() string {
	var c csvText
	c.line(overtimeHeader...)
	type ot struct {
		id       string
		day      int
		from, to time.Duration
	}
	var all []ot
	for _, m := range w.staff {
		for day, win := range m.overtime {
			all = append(all, ot{m.id, day, win[0], win[1]})
		}
	}
	slices.SortFunc(all, func(a, b ot) int {
		if a.day != b.day {
			return a.day - b.day
		}
		return strings.Compare(a.id, b.id)
	})
	clk := func(d time.Duration) string { return fmt.Sprintf("%d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	for _, o := range all {
		c.line(o.id, slashDate(may(o.day)), clk(o.from), clk(o.to))
	}
	return c.b.String()
}

func grantsCSV() string {
	var c csvText
	c.line(grantsHeader...)
	for _, g := range grantTable {
		c.line(g.dept, g.system, g.perm, styledDate(g.from, g.style), styledDate(g.to, g.style))
	}
	return c.b.String()
}

func (w *world) watchlistCSV() string {
	var c csvText
	c.line(watchlistHeader...)
	for _, e := range w.watch {
		c.line(e.subject, e.kind, strings.Join(e.depts, listSep), slashDate(e.since), e.staff)
	}
	return c.b.String()
}

func records(n int) string {
	if n < 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// logCSV renders the log of sys in that system's own layout and returns the
// number of data rows.
func (w *world) logCSV(sys string) (string, int) {
	var c csvText
	c.b.Grow(len(w.rows) * 100)
	switch sys {
	case sysResident:
		c.quoteAll = true
		c.line(residentHeader...)
	case sysTax:
		c.line(taxHeader...)
	case sysWelfare:
		c.line(welfareTitle)
		c.b.WriteString("\r\n")
		c.line(welfareHeader...)
	case sysEndpoint:
		c.line(endpointHeader...)
	case sysMail:
		c.line(mailHeader...)
	}
	n, seq := 0, 0
	for _, r := range w.rows {
		if r.sys != sys {
			continue
		}
		seq++ // the 住民記録 system numbers every row it writes (通番)
		if r.deleted {
			continue
		}
		n++
		switch sys {
		case sysResident:
			c.line(r.t.Format("2006/01/02 15:04:05"), r.id, r.name, r.terminal, r.function, r.action, r.subject, records(r.records), strconv.Itoa(seq))
		case sysTax:
			c.line(warekiKanji(r.t), hm(r.t), r.id, r.terminal, r.function, r.action, r.subject, records(r.records))
		case sysWelfare:
			c.line(r.t.Format("2006-01-02T15:04:05"), r.id, r.terminal, r.function, r.action, r.subject)
		case sysEndpoint:
			c.line(r.t.Format("2006/01/02 15:04:05"), r.id, r.terminal, r.action, r.device, r.file)
		case sysMail:
			size := ""
			if r.attach != "" {
				size = strconv.Itoa(r.size)
			}
			c.line(r.t.Format("2006/01/02 15:04:05"), r.id, r.mailTo, r.function, r.attach, size)
		}
	}
	return c.b.String(), n
}
