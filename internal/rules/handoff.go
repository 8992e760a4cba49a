package rules

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"tenken/internal/domain"
)

var idxHandoff = int32(ruleIndex[ExportHandoff])

// EXPORT_HANDOFF: the 岩手 chain across two people. A data export (a list,
// not a one-resident certificate) is followed within HandoffMinutes by an
// internal mail from the exporter with a data file attached (csv, xlsx,
// zip …; not the pdf or docx of meeting papers) to staff who hold no grant
// for the exported system that day. Both people get a finding on the
// mail's day: the exporter for passing the data on, the receiver for
// receiving data they may not hold. Severity is high when the receiver
// then, within HandoffMinutes of the mail, writes to removable media or
// mails attachments outside the town — the data left the office — and
// medium otherwise.
//
// Mail addresses resolve to staff through the master (メールアドレス and
// the other accounts), else through the local part of an address of the
// town's own domains (addressPerson). EXPORT_THEN_DEVICE keeps its
// one-person meaning: it joins a person's export with the same person's
// write or mail.

// dataExtensions are the attachments that look like data rather than
// papers.
var dataExtensions = []string{
	".csv", ".tsv", ".txt", ".dat", ".prn", ".xlsx", ".xls", ".xlsm", ".xlsb", ".ods",
	".zip", ".lzh", ".7z", ".rar", ".gz", ".tgz", ".tar", ".json", ".xml", ".mdb", ".accdb", ".sqlite", ".db", ".sql",
}

// dataAttachment reports whether a mail's attachment names include a data
// file. Several names may be listed in one cell (; , 、 | or line breaks).
func dataAttachment(names string) bool {
	for _, n := range strings.FieldsFunc(names, func(r rune) bool { return strings.ContainsRune(";,、|\n\r", r) }) {
		ext := strings.ToLower(path.Ext(strings.TrimSpace(strings.ReplaceAll(n, `\`, "/"))))
		if slices.Contains(dataExtensions, ext) {
			return true
		}
	}
	return false
}

// listExport reports whether an export event is a list (many records, or
// an unknown count) rather than a print about one resident.
func listExport(ev *domain.Event) bool {
	return ev.SubjectID == "" && ev.Records != 1
}

// permsOn returns the permissions person pi holds on system sys on day,
// worked out as switchDay does for the cursor; 0 when not in post.
func (e *engine) permsOn(pi, day, sys int32) uint8 {
	p := &e.people[pi]
	var m uint8
	add := func(list []int32) {
		for _, gi := range list {
			g := &e.grants[gi]
			if g.sys == sys && g.from <= day && day <= g.to {
				m |= g.mask
			}
		}
	}
	active := false
	for ri := range p.rows {
		r := &p.rows[ri]
		if r.start > day || day > r.end {
			continue
		}
		active = true
		add(r.deptGrants)
		if slices.Contains(r.systems, sys) && !e.namedByGrants(p, sys) {
			m = permAll
		}
	}
	if !active {
		return 0
	}
	add(p.grants)
	return m
}

// handoffNote is what a handoff finding's detail says.
type handoffNote struct {
	exporter    bool
	system      string
	records     int64
	files       []string
	counterpart []string // receivers (exporter's finding) or the exporter (receiver's)
	exportGap   int32    // minutes from the export to the mail
	carried     []string // how the receiver took the data out
	carryGap    int32    // minutes from the mail to the first of them
}

func (c *takeout) finishHandoff(e *engine) {
	win := int64(e.th.HandoffMinutes) * 60
	slices.SortStableFunc(c.mails, func(a, b stamped) int { return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.pi, b.pi)) })
	notes := map[*draft]*handoffNote{}
	note := func(d *draft) *handoffNote {
		n := notes[d]
		if n == nil {
			n = &handoffNote{exportGap: -1, carryGap: -1}
			notes[d] = n
		}
		return n
	}
	for i := range c.mails {
		m := &c.mails[i]
		x := lastListExport(e, c.exports[m.pi], m.sec, win)
		if x == nil {
			continue
		}
		xe, me := e.expand(&x.c), e.expand(&m.c)
		sys := e.systemOf(xe.System)
		if sys < 0 {
			continue // a system the masters do not control: no grant to miss
		}
		day := int32(floorDiv(m.sec, secondsPerDay))
		for _, addr := range recipients(me.MailTo) {
			y, ok := e.recipient(addr)
			if !ok || y == m.pi || e.permsOn(y, day, sys)&permUse != 0 {
				continue
			}
			follow := firstWithin(c.outs[y], m.sec, win)
			dx := e.hitAt(c.handoff, m.pi, day, nil, 0)
			addOnce(e, dx, &xe)
			addOnce(e, dx, &me)
			dy := e.hitAt(c.handoff, y, day, nil, 0)
			addOnce(e, dy, &me)
			nx, ny := note(dx), note(dy)
			nx.exporter = true
			for _, n := range []*handoffNote{nx, ny} {
				n.system = e.sysNames[sys]
				n.records = max(n.records, xe.Records)
				for _, f := range strings.FieldsFunc(me.Attachment, func(r rune) bool { return strings.ContainsRune(";,、|\n\r", r) }) {
					if f = strings.TrimSpace(f); f != "" && !slices.Contains(n.files, f) {
						n.files = append(n.files, f)
					}
				}
				if g := int32((m.sec - x.sec) / 60); n.exportGap < 0 || g < n.exportGap {
					n.exportGap = g
				}
			}
			if who := e.staffLabel(y); !slices.Contains(nx.counterpart, who) {
				nx.counterpart = append(nx.counterpart, who)
			}
			if who := e.staffLabel(m.pi); !slices.Contains(ny.counterpart, who) {
				ny.counterpart = append(ny.counterpart, who)
			}
			if follow == nil {
				continue
			}
			fe := e.expand(&follow.c)
			addOnce(e, dy, &fe)
			how := "外部へ添付ファイル付きのメールを送った"
			if fe.Action == domain.ActionDeviceWrite {
				how = "外部媒体へ書き込んだ"
				if dev := strings.TrimSpace(fe.Device); dev != "" {
					how = "外部媒体（" + dev + "）へ書き込んだ"
				}
			}
			g := int32((follow.sec - m.sec) / 60)
			for _, n := range []*handoffNote{nx, ny} {
				if !slices.Contains(n.carried, how) {
					n.carried = append(n.carried, how)
				}
				if n.carryGap < 0 || g < n.carryGap {
					n.carryGap = g
				}
			}
			dx.flag, dy.flag = true, true
		}
	}
	for d, n := range notes {
		d.note = n.text(e, d)
	}
}

// text writes the detail of a handoff finding.
func (n *handoffNote) text(e *engine, d *draft) string {
	what := "一覧"
	if n.records > 1 {
		what = fmt.Sprintf("一覧（%s件）", groupDigits(n.records))
	}
	files := strings.Join(n.files, "、")
	var b strings.Builder
	if n.exporter {
		fmt.Fprintf(&b, "「%s」から出力した%sを、%d分後に「%s」の権限のない職員 %sへ添付ファイル（%s）付きの庁内メールで渡した",
			n.system, what, n.exportGap, n.system, strings.Join(n.counterpart, "、"), files)
		if len(n.carried) > 0 {
			fmt.Fprintf(&b, "。受け取った職員はその%d分後に%s", n.carryGap, strings.Join(n.carried, "、"))
		}
	} else {
		fmt.Fprintf(&b, "「%s」の権限がないのに、%sが「%s」から出力した%sを添付ファイル（%s）付きの庁内メールで受け取った", n.system, strings.Join(n.counterpart, "、"), n.system, what, files)
		if len(n.carried) > 0 {
			fmt.Fprintf(&b, "。その%d分後に%s", n.carryGap, strings.Join(n.carried, "、"))
		}
	}
	fmt.Fprintf(&b, "（%s）", timeRange(d.all))
	return b.String()
}

func (c *takeout) renderHandoff(e *engine, d *draft) (domain.Severity, string) {
	if d.flag {
		return domain.High, d.note
	}
	return domain.Medium, d.note
}

// lastListExport returns the last list export of exps (sorted by time) at
// or before sec and at most win seconds before it.
func lastListExport(e *engine, exps []stamped, sec, win int64) *stamped {
	j, _ := slices.BinarySearchFunc(exps, sec+1, func(s stamped, t int64) int { return cmp.Compare(s.sec, t) })
	for j--; j >= 0 && sec-exps[j].sec <= win; j-- {
		if x := e.expand(&exps[j].c); listExport(&x) {
			return &exps[j]
		}
	}
	return nil
}

// firstWithin returns the first of list (sorted by time) in [sec, sec+win].
func firstWithin(list []stamped, sec, win int64) *stamped {
	j, _ := slices.BinarySearchFunc(list, sec, func(s stamped, t int64) int { return cmp.Compare(s.sec, t) })
	if j < len(list) && list[j].sec-sec <= win {
		return &list[j]
	}
	return nil
}

// addOnce adds ev to d's evidence unless it is there already.
func addOnce(e *engine, d *draft, ev *domain.Event) {
	c := e.compact(ev)
	for i := range d.evidence {
		if d.evidence[i].same(&c) {
			return
		}
	}
	d.add(e, ev, todOf(ev))
}

// staffLabel names a person for a detail: 職員ID（氏名）.
func (e *engine) staffLabel(pi int32) string {
	p := &e.people[pi]
	if p.name != "" {
		return p.id + "（" + p.name + "）"
	}
	return p.id
}
