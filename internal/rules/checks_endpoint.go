package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"tenken/internal/domain"
)

// The rules about accounts, terminals, removable media, mail and the logs
// themselves.

// loginFailure is LOGIN_FAILURE: FailCount or more failed logins of one
// account within FailMinutes. The failures of a burst are all evidence.
type loginFailure struct {
	rule  int32
	ring  []domain.Event
	secs  []int64
	fired bool
}

func (c *loginFailure) observe(e *engine) {
	if e.ev.Action != domain.ActionLoginFail {
		return
	}
	win := int64(e.th.FailMinutes) * 60
	k := 0
	for k < len(c.secs) && e.sec-c.secs[k] > win {
		k++
	}
	if k > 0 {
		c.secs = c.secs[:copy(c.secs, c.secs[k:])]
		c.ring = c.ring[:copy(c.ring, c.ring[k:])]
	}
	if len(c.secs) == 0 {
		c.fired = false
	}
	c.ring = append(c.ring, *e.ev)
	c.secs = append(c.secs, e.sec)
	if len(c.ring) < e.th.FailCount {
		return
	}
	if !c.fired {
		c.fired = true
		for i := range len(c.ring) - 1 {
			day := int32(floorDiv(c.secs[i], secondsPerDay))
			e.hitAt(c.rule, e.pi, day, &c.ring[i], int32(c.secs[i]-int64(day)*secondsPerDay))
		}
	}
	e.hit(c.rule)
}

func (c *loginFailure) endGroup(*engine) {
	c.ring, c.secs, c.fired = c.ring[:0], c.secs[:0], false
}

func (c *loginFailure) render(e *engine, d *draft) (domain.Severity, string) {
	sev := domain.Medium
	if d.count >= 2*e.th.FailCount {
		sev = domain.High
	}
	return sev, fmt.Sprintf("ログインの失敗が%d回（%s、基準は%d分間に%d回以上）", d.count, timeRange(d.all), e.th.FailMinutes, e.th.FailCount)
}

// deviceWrite is DEVICE_WRITE: writes to removable media by staff whose
// master row that day does not permit them (外部媒体利用可), or outside the
// working hours or on a closed day without approved overtime. IDs unknown
// or not in post are left to UNKNOWN_ID and RETIRED_ID.
type deviceWrite struct{ rule int32 }

func (c deviceWrite) observe(e *engine) {
	ev := e.ev
	if ev.Action != domain.ActionDeviceWrite || e.status != stActive {
		return
	}
	denied := !e.usb
	outside := (e.closed != "" || e.tod < e.dws || e.tod > e.dwe) && !e.excused()
	if !denied && !outside {
		return
	}
	d := e.hit(c.rule)
	if denied {
		d.flag = true
	}
	if outside {
		d.refKind = 1
	}
	name := strings.TrimSpace(ev.Device)
	if name != "" && len(d.names) < 3 && !slices.Contains(d.names, name) {
		d.names = append(d.names, name)
	}
}

func (c deviceWrite) render(e *engine, d *draft) (domain.Severity, string) {
	var why []string
	sev := domain.Medium
	if d.flag {
		why = append(why, "外部媒体の利用を認められていない職員")
		sev = domain.High
	}
	if d.refKind == 1 {
		why = append(why, "勤務時間外・閉庁日")
	}
	dev := ""
	if len(d.names) > 0 {
		dev = "（" + strings.Join(d.names, "、") + "）"
	}
	return sev, fmt.Sprintf("外部媒体%sへの書き込み%d件：%s（%s）", dev, d.count, strings.Join(why, "、"), timeRange(d.all))
}

// DefaultFreeMail lists free-mail and mobile carrier domains: mail there
// goes to a personal mailbox (the 釜石 case).
var DefaultFreeMail = []string{
	"gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com", "outlook.com", "outlook.jp",
	"hotmail.com", "hotmail.co.jp", "live.jp", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
	"aol.com", "proton.me", "protonmail.com", "gmx.com", "zoho.com",
	"docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "ymobile.ne.jp",
	"nifty.com", "biglobe.ne.jp", "ocn.ne.jp", "so-net.ne.jp", "plala.or.jp", "excite.co.jp",
}

// domainKeys folds a list of domains for matching.
func domainKeys(list []string) []string {
	var out []string
	for _, d := range list {
		d = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d), "@")))
		if d != "" {
			out = append(out, d)
		}
	}
	return out
}

// inDomains reports whether domain is one of list or a subdomain of one.
func inDomains(domain string, list []string) bool {
	for _, d := range list {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	return false
}

// recipientDomains returns the domains of the recipients of a mail_to
// cell: addresses separated by ; , 、 or spaces, with or without a display
// name ("山田 <a@b.jp>").
func recipientDomains(to string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(to, func(r rune) bool { return r == ';' || r == ',' || r == '、' || r == ' ' || r == '\t' || r == '　' }) {
		at := strings.LastIndexByte(f, '@')
		if at < 0 {
			continue
		}
		d := strings.ToLower(strings.Trim(f[at+1:], "<>\"'()[] "))
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// isMail reports whether an event is a sent mail.
func isMail(ev *domain.Event) bool {
	return ev.Kind == domain.KindMail || ev.MailTo != "" || ev.Action == domain.ActionMailSend
}

// externalDomains returns the recipient domains of a mail with
// attachments that are neither the town's nor its partners', and whether
// one of them is a free-mail domain. Mail without attachments yields none.
func (e *engine) externalDomains(ev *domain.Event) (ext []string, free bool) {
	if !isMail(ev) || (strings.TrimSpace(ev.Attachment) == "" && ev.AttachSize <= 0) {
		return nil, false
	}
	for _, d := range recipientDomains(ev.MailTo) {
		if inDomains(d, e.ownDomains) || inDomains(d, e.partners) {
			continue
		}
		ext = append(ext, d)
		if inDomains(d, e.freeMail) {
			free = true
		}
	}
	return ext, free
}

// mailExternal is MAIL_EXTERNAL: mail with attachments to a domain that is
// neither the town's nor a partner's; free-mail recipients are high.
type mailExternal struct{ rule int32 }

func (c mailExternal) observe(e *engine) {
	ext, free := e.externalDomains(e.ev)
	if len(ext) == 0 {
		return
	}
	d := e.hit(c.rule)
	d.flag = d.flag || free
	for _, x := range ext {
		if !slices.Contains(d.names, x) {
			d.names = append(d.names, x)
		}
	}
}

func (c mailExternal) render(e *engine, d *draft) (domain.Severity, string) {
	labels := make([]string, len(d.names))
	for i, n := range d.names {
		labels[i] = n
		if inDomains(n, e.freeMail) {
			labels[i] += "（フリーメール・個人）"
		}
	}
	sev := domain.Medium
	if d.flag {
		sev = domain.High
	}
	return sev, fmt.Sprintf("役場・委託先以外のアドレスへ添付ファイル付きメールを%d通送信（宛先：%s、%s）", d.count, strings.Join(labels, "、"), timeRange(d.all))
}

// takeout is EXPORT_THEN_DEVICE and EXPORT_HANDOFF (handoff.go). It keeps
// every person's exports from business systems and their removable-media
// writes and external mails with attachments — under whichever account
// (system ID, Windows logon, mail address) the master ties to them — and,
// for EXPORT_HANDOFF, the internal mails with a data file attached. After
// the stream it joins them: for EXPORT_THEN_DEVICE a write or mail within
// TakeoutMinutes after the same person's export is flagged on the write's
// day, with the export as evidence.
type takeout struct {
	rule, handoff int32 // catalogue indices, -1 when off
	exports       map[int32][]stamped
	outs          map[int32][]stamped
	mails         []stamped // internal mails with a data attachment, any sender
}

// stamped is an event kept until after the stream, compact.
type stamped struct {
	sec int64
	pi  int32
	c   cev
}

func (c *takeout) observe(e *engine) {
	ev := e.ev
	var m *map[int32][]stamped
	switch {
	case ev.Action == domain.ActionExport && ev.Kind != domain.KindEndpoint && !isMail(ev):
		m = &c.exports
	case ev.Action == domain.ActionDeviceWrite:
		m = &c.outs
	default:
		if c.handoff >= 0 && isMail(ev) && dataAttachment(ev.Attachment) {
			c.mails = append(c.mails, stamped{e.sec, e.pi, e.compact(ev)})
		}
		if ext, _ := e.externalDomains(ev); len(ext) == 0 {
			return
		}
		m = &c.outs
	}
	if *m == nil {
		*m = map[int32][]stamped{}
	}
	(*m)[e.pi] = append((*m)[e.pi], stamped{e.sec, e.pi, e.compact(ev)})
}

func (c *takeout) finish(e *engine) {
	byTime := func(a, b stamped) int { return cmp.Compare(a.sec, b.sec) }
	for _, list := range c.exports {
		slices.SortStableFunc(list, byTime)
	}
	for _, list := range c.outs {
		slices.SortStableFunc(list, byTime)
	}
	if c.rule >= 0 {
		c.finishTakeout(e)
	}
	if c.handoff >= 0 {
		c.finishHandoff(e)
	}
}

func (c *takeout) finishTakeout(e *engine) {
	win := int64(e.th.TakeoutMinutes) * 60
	people := make([]int32, 0, len(c.outs))
	for pi := range c.outs {
		people = append(people, pi)
	}
	slices.Sort(people)
	for _, pi := range people {
		exps := c.exports[pi]
		if len(exps) == 0 {
			continue
		}
		outs := c.outs[pi]
		used := map[[2]int]bool{} // (export, day) already evidence
		for i := range outs {
			o := &outs[i]
			j, _ := slices.BinarySearchFunc(exps, o.sec+1, func(s stamped, t int64) int { return cmp.Compare(s.sec, t) })
			j-- // the last export at or before the write
			if j < 0 || o.sec-exps[j].sec > win {
				continue
			}
			day := int32(floorDiv(o.sec, secondsPerDay))
			x := &exps[j]
			xd := int32(floorDiv(x.sec, secondsPerDay))
			if !used[[2]int{j, int(day)}] {
				used[[2]int{j, int(day)}] = true
				xe := e.expand(&x.c)
				e.hitAt(c.rule, pi, day, &xe, int32(x.sec-int64(xd)*secondsPerDay)).ref++
			}
			oe := e.expand(&o.c)
			d := e.hitAt(c.rule, pi, day, &oe, int32(o.sec-int64(day)*secondsPerDay))
			if oe.Action == domain.ActionDeviceWrite {
				d.refKind |= 1
			} else {
				d.refKind |= 2
			}
			gap := int32((o.sec - x.sec) / 60)
			if !d.flag || gap < d.hours[0] {
				d.hours[0], d.flag = gap, true
			}
		}
	}
}

func (c *takeout) render(e *engine, d *draft) (domain.Severity, string) {
	if d.rule == c.handoff {
		return c.renderHandoff(e, d)
	}
	var how []string
	if d.refKind&1 != 0 {
		how = append(how, "外部媒体への書き込み")
	}
	if d.refKind&2 != 0 {
		how = append(how, "外部への添付メール送信")
	}
	return domain.High, fmt.Sprintf("データの出力%d件の%d分後に%s（基準%d分以内、%s）", d.ref, d.hours[0], strings.Join(how, "・"), e.th.TakeoutMinutes, timeRange(d.all))
}

// logGap is LOG_GAP: a system whose log has no row on a working day of the
// period; rows of one imported file whose time goes back against the row
// before (more than BackwardSeconds); and, in a log that carries its own
// running number (通番, Event.Seq), numbers that skip (rows deleted from
// the file) or repeat or go back (rows altered or inserted). Its findings
// belong to the system, not to a staff member: their staff ID is the
// system's name.
//
// The rows of a file arrive in staff order, not in file order, so the
// rule keeps, per file and line, the time (4 bytes) and, for files with a
// 通番, the number and the account (8 bytes more), and walks the lines in
// order after the stream. Lines absent from the stream (rows rejected at
// import, duplicates of an earlier file, rows outside the period) are
// absent from the 通番 too: a skip is a deletion only where the numbers
// skip more than the lines do. A log whose 通番 starts again each day
// (from 1, or from a number no larger than the lines skipped) is not
// flagged for the restart.
type logGap struct {
	rule    int32
	sysIdx  map[string]int32
	names   []string
	days    [][]uint64
	lastRaw string
	lastSys int32
	haveSys bool
	batches map[int64]*batchLines
	lastB   *batchLines
	lastBID int64
}

type batchLines struct {
	sys   string
	ts    []int32 // by line: seconds since the period's first day; noTS where no row was seen
	seq   []int64 // by line, for files with a 通番: the number, 0 where none
	staff []uint32
}

// noTS marks a line without a row.
const noTS = math.MinInt32

func newLogGap(rule int32) *logGap {
	return &logGap{rule: rule, sysIdx: map[string]int32{}, batches: map[int64]*batchLines{}}
}

func (c *logGap) observe(e *engine) {
	ev := e.ev
	if !c.haveSys || ev.System != c.lastRaw {
		i, ok := c.sysIdx[ev.System]
		if !ok {
			i = int32(len(c.names))
			c.sysIdx[ev.System] = i
			c.names = append(c.names, ev.System)
			c.days = append(c.days, make([]uint64, (e.d1-e.d0)/64+1))
		}
		c.lastRaw, c.lastSys, c.haveSys = ev.System, i, true
	}
	off := e.day - e.d0
	c.days[c.lastSys][off/64] |= 1 << (off % 64)
	if ev.Batch == 0 || ev.Line <= 0 {
		return
	}
	b := c.lastB
	if b == nil || c.lastBID != ev.Batch {
		b = c.batches[ev.Batch]
		if b == nil {
			b = &batchLines{sys: ev.System}
			c.batches[ev.Batch] = b
		}
		c.lastB, c.lastBID = b, ev.Batch
	}
	for len(b.ts) <= ev.Line {
		b.ts = append(b.ts, noTS)
	}
	b.ts[ev.Line] = int32(e.sec - int64(e.d0)*secondsPerDay)
	if ev.Seq != 0 || b.seq != nil {
		for len(b.seq) <= ev.Line {
			b.seq = append(b.seq, 0)
			b.staff = append(b.staff, 0)
		}
		b.seq[ev.Line] = ev.Seq
		b.staff[ev.Line] = e.str(ev.StaffID)
	}
}

// systemPerson returns the pseudo-person standing for a system in findings.
func (e *engine) systemPerson(name string) int32 {
	k := "\x00system\x00" + name
	if pi, ok := e.byKey[k]; ok {
		return pi
	}
	return e.addPerson(k, name)
}

// LOG_GAP's kinds, in draft.refKind.
const (
	gapSilentDay uint8 = 1 << iota
	gapBackward
	gapSeqSkip
	gapSeqRepeat
)

func (c *logGap) finish(e *engine) {
	order := make([]int, len(c.names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(c.names[a], c.names[b]) })
	for _, si := range order {
		var pi int32 = -1
		has := func(day int32) bool {
			off := day - e.d0
			return c.days[si][off/64]&(1<<(off%64)) != 0
		}
		first, last := e.d0, e.d1
		for !has(first) {
			first++
		}
		for !has(last) {
			last--
		}
		for day := first; day <= last; day++ {
			if has(day) || e.cal.IsClosed(dayTime(day)) {
				continue
			}
			if pi < 0 {
				pi = e.systemPerson(c.names[si])
			}
			e.hitAt(c.rule, pi, day, nil, 0).refKind |= gapSilentDay
		}
	}
	ids := make([]int64, 0, len(c.batches))
	for id := range c.batches {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	tol := int64(e.th.BackwardSeconds)
	base := int64(e.d0) * secondsPerDay
	for _, id := range ids {
		b := c.batches[id]
		maxTS := int64(math.MinInt64)
		maxLine := 0
		for line, t := range b.ts {
			if t == noTS {
				continue
			}
			ts := base + int64(t)
			if maxTS != math.MinInt64 && ts < maxTS-tol {
				day := int32(floorDiv(ts, secondsPerDay))
				d := e.hitAt(c.rule, e.systemPerson(b.sys), day, nil, 0)
				d.refKind |= gapBackward
				d.count++
				if len(d.names) < 3 {
					d.names = append(d.names, fmt.Sprintf("取込番号%dの%d行目（%d行目より%d秒前）", id, line, maxLine, maxTS-ts))
				}
				continue
			}
			if ts > maxTS {
				maxTS, maxLine = ts, line
			}
		}
		if b.seq != nil {
			c.seqGaps(e, id, b)
		}
	}
}

// seqGaps walks a file's 通番 in line order.
func (c *logGap) seqGaps(e *engine, id int64, b *batchLines) {
	base := int64(e.d0) * secondsPerDay
	row := func(line int) domain.Event {
		return domain.Event{Time: time.Unix(base+int64(b.ts[line]), 0).UTC(), StaffID: e.strs[b.staff[line]], System: b.sys, Batch: id, Line: line, Seq: b.seq[line]}
	}
	prev := -1
	for line := range b.seq {
		if b.seq[line] == 0 || line >= len(b.ts) || b.ts[line] == noTS {
			continue
		}
		if prev < 0 {
			prev = line
			continue
		}
		s1, s2 := b.seq[prev], b.seq[line]
		lines := int64(line - prev)
		t1, t2 := base+int64(b.ts[prev]), base+int64(b.ts[line])
		newDay := floorDiv(t2, secondsPerDay) > floorDiv(t1, secondsPerDay)
		var kind uint8
		var what string
		switch {
		case s2-s1 > lines:
			kind = gapSeqSkip
			missing := s2 - s1 - lines
			what = fmt.Sprintf("通番%dの次が%d（%d件欠落、%s〜%sの間、取込番号%dの%d行目と%d行目）", s1, s2, missing, clockAt(t1), clockAt(t2), id, prev, line)
		case s2 <= s1 && !(newDay && s2 <= lines):
			kind = gapSeqRepeat
			word := "重複"
			if s2 < s1 {
				word = "逆戻り"
			}
			what = fmt.Sprintf("通番%dの次が%d（%s、%s〜%s、取込番号%dの%d行目と%d行目）", s1, s2, word, clockAt(t1), clockAt(t2), id, prev, line)
		}
		if kind != 0 {
			day := int32(floorDiv(t2, secondsPerDay))
			d := e.hitAt(c.rule, e.systemPerson(b.sys), day, nil, 0)
			d.refKind |= kind
			before, after := row(prev), row(line)
			addOnce(e, d, &before)
			addOnce(e, d, &after)
			if kind == gapSeqSkip {
				d.ref += int32(min(s2-s1-lines, math.MaxInt32/2))
			}
			if len(d.items) < 3 {
				d.items = append(d.items, item{name: what})
			} else {
				d.items[len(d.items)-1].n++
			}
		}
		prev = line
	}
}

// clockAt formats wall-clock seconds as 5/19 10:05:11.
func clockAt(sec int64) string {
	t := time.Unix(sec, 0).UTC()
	return fmt.Sprintf("%d/%d %d:%02d:%02d", int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
}

func (c *logGap) render(e *engine, d *draft) (domain.Severity, string) {
	sys := e.people[d.staff].id
	var parts []string
	sev := domain.Medium
	if d.refKind&gapSilentDay != 0 {
		parts = append(parts, fmt.Sprintf("システム「%s」のログが開庁日なのに1件もない", sys))
	}
	if d.refKind&gapBackward != 0 {
		sev = domain.High
		parts = append(parts, fmt.Sprintf("システム「%s」のログで記録の時刻が前の行より戻っている（%d行：%s）", sys, d.count, strings.Join(d.names, "、")))
	}
	if d.refKind&(gapSeqSkip|gapSeqRepeat) != 0 {
		sev = domain.High
		var list []string
		more := 0
		for _, it := range d.items {
			list = append(list, it.name)
			more += it.n
		}
		text := fmt.Sprintf("システム「%s」のログの通番が", sys)
		switch {
		case d.refKind&gapSeqSkip != 0 && d.refKind&gapSeqRepeat != 0:
			text += fmt.Sprintf("飛び（計%d件）、重複・逆戻りもある", d.ref)
		case d.refKind&gapSeqSkip != 0:
			text += fmt.Sprintf("飛んでいる（計%d件の欠落）", d.ref)
		default:
			text += "重複・逆戻りしている"
		}
		text += "：" + strings.Join(list, "、")
		if more > 0 {
			text += fmt.Sprintf("、ほか%d箇所", more)
		}
		parts = append(parts, text)
	}
	return sev, strings.Join(parts, "。")
}
