package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"tenken/internal/domain"
)

// The rules about residents' data: who looked up whom, how many, how often.

// Catalogue indices of the rules of this file and the ones after it.
var (
	idxWatchlist    = int32(ruleIndex[Watchlist])
	idxSelf         = int32(ruleIndex[SelfLookup])
	idxBulkLookup   = int32(ruleIndex[BulkLookup])
	idxBulkExport   = int32(ruleIndex[BulkExport])
	idxRepeated     = int32(ruleIndex[RepeatedSubject])
	idxLoginFailure = int32(ruleIndex[LoginFailure])
	idxShared       = int32(ruleIndex[SharedID])
	idxDevice       = int32(ruleIndex[DeviceWrite])
	idxTakeout      = int32(ruleIndex[ExportThenDevice])
	idxMail         = int32(ruleIndex[MailExternal])
	idxLogGap       = int32(ruleIndex[LogGap])
)

// touchesSubject reports whether the cursor's event reads or changes one
// resident's record in a business system.
func touchesSubject(ev *domain.Event) bool {
	if ev.SubjectID == "" || ev.Kind == domain.KindEndpoint || ev.Kind == domain.KindMail {
		return false
	}
	switch ev.Action {
	case domain.ActionLookup, domain.ActionUpdate, domain.ActionExport:
		return true
	}
	return false
}

// watchlist is WATCHLIST: a record of a resident on the watch list read or
// changed by staff whose 所属 that day is not among the entry's 閲覧可能所属
// (IDs unknown to the master or not in post have no 所属, so they are
// flagged too). A 職員・家族 entry never flags the staff member it names:
// that is SELF_LOOKUP's finding.
type watchlist struct{ rule int32 }

func (c watchlist) observe(e *engine) {
	ev := e.ev
	if !touchesSubject(ev) {
		return
	}
	defs, ok := e.watch[ev.SubjectID]
	if !ok {
		return
	}
	for i := range defs {
		w := &defs[i]
		if e.day < w.from || e.day > w.to {
			continue
		}
		if w.staff != "" && w.staff == idKey(e.p.id) {
			continue
		}
		if e.status == stActive && slices.Contains(w.depts, e.deptKey) {
			continue
		}
		d := e.hit(c.rule)
		if !slices.Contains(d.names, w.category) {
			d.names = append(d.names, w.category)
		}
		return
	}
}

func (c watchlist) render(e *engine, d *draft) (domain.Severity, string) {
	cats := strings.Join(d.names, "・")
	if cats == "" {
		cats = "要注意対象"
	}
	return domain.High, fmt.Sprintf("閲覧を認められた所属以外から、要注意対象者（%s）の情報を%d件操作（%s）", cats, d.count, timeRange(d.all))
}

// selfLookup is SELF_LOOKUP: staff reading or changing their own record
// (本人宛名番号 of the master row in force that day) or that of family
// named in the watch list's 職員・家族 entries.
type selfLookup struct{ rule int32 }

func (c selfLookup) observe(e *engine) {
	ev := e.ev
	if e.status != stActive || !touchesSubject(ev) {
		return
	}
	own := slices.Contains(e.selfSubj, ev.SubjectID)
	if !own && !slices.Contains(e.p.family, ev.SubjectID) {
		return
	}
	d := e.hit(c.rule)
	if !own {
		d.flag = true
	}
	if ev.Action == domain.ActionUpdate {
		d.refKind = 1
	}
}

func (c selfLookup) render(e *engine, d *draft) (domain.Severity, string) {
	whom := "本人"
	if d.flag {
		whom = "本人または家族"
	}
	sev := domain.Medium
	extra := ""
	if d.refKind == 1 || d.exports > 0 {
		sev = domain.High
		extra = "（更新・出力を含む）"
	}
	return sev, fmt.Sprintf("%sの住民情報を%d件操作%s（%s）", whom, d.count, extra, timeRange(d.all))
}

// bulkExport is BULK_EXPORT: one export of many records, or many list
// exports (exports not about one resident) in one day. The exports of a day are held back until they reach the
// count, so the finding shows all of them.
type bulkExport struct {
	rule    int32
	day     int32
	pi      int32
	pending []domain.Event // exports of the day below the record limit, until the count is reached
	over    bool           // the count was reached this day
}

func (c *bulkExport) observe(e *engine) {
	ev := e.ev
	if ev.Action != domain.ActionExport || ev.Kind == domain.KindEndpoint || ev.Kind == domain.KindMail {
		return
	}
	if c.day != e.day || c.pi != e.pi {
		c.day, c.pi, c.pending, c.over = e.day, e.pi, c.pending[:0], false
	}
	if ev.Records >= int64(e.th.BulkExportRecs) {
		d := e.hit(c.rule)
		d.ref = max(d.ref, int32(min(ev.Records, math.MaxInt32)))
		d.refKind |= 1
		return
	}
	if ev.SubjectID != "" {
		// A print about one resident (a 住民票 or a certificate at the
		// counter) is not a list: only list exports count as "many".
		return
	}
	if c.over {
		e.hit(c.rule).refKind |= 2
		return
	}
	c.pending = append(c.pending, *ev)
	if len(c.pending) >= e.th.BulkExportTimes {
		c.over = true
		for i := range c.pending {
			e.hitAt(c.rule, e.pi, e.day, &c.pending[i], todOf(&c.pending[i])).refKind |= 2
		}
		c.pending = c.pending[:0]
	}
}

func (c *bulkExport) render(e *engine, d *draft) (domain.Severity, string) {
	var parts []string
	if d.refKind&1 != 0 {
		parts = append(parts, fmt.Sprintf("1回で%s件を出力（基準%s件以上）", groupDigits(int64(d.ref)), groupDigits(int64(e.th.BulkExportRecs))))
	}
	if d.refKind&2 != 0 {
		parts = append(parts, fmt.Sprintf("1日の出力が基準（%d回）以上", e.th.BulkExportTimes))
	}
	return domain.High, fmt.Sprintf("大量の出力：%s、出力%d件（%s）", strings.Join(parts, "、"), d.count, timeRange(d.all))
}

// groupDigits writes n with thousands separators: 12,480.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// subjects serves REPEATED_SUBJECT and BULK_LOOKUP. It keeps the resident
// lookups of the current stream group (one account, in time order) and
// judges them when the group ends: the repeated residents at once, the
// busy days after the stream, against the person's and their department's
// usual days.
type subjects struct {
	repeat, bulk int32 // catalogue indices, -1 when off
	buf          []domain.Event
	tods         []int32
	days         []int32
	stats        map[string]*subjStat
	pool         []subjStat
	candidates   []bulkCandidate
}

type subjStat struct {
	days    int
	last    int32
	updated bool
	seenDay int32
}

type bulkCandidate struct {
	pi, day int32
	n       int32
	dept    string
	ev      []domain.Event
}

func (c *subjects) observe(e *engine) {
	ev := e.ev
	if !touchesSubject(ev) {
		return
	}
	c.buf = append(c.buf, *ev)
	c.tods = append(c.tods, e.tod)
	c.days = append(c.days, e.day)
}

func (c *subjects) endGroup(e *engine) {
	if len(c.buf) == 0 {
		return
	}
	if c.stats == nil {
		c.stats = map[string]*subjStat{}
	}
	clear(c.stats)
	c.pool = c.pool[:0]
	if cap(c.pool) < len(c.buf) {
		c.pool = make([]subjStat, 0, len(c.buf))
	}
	p := &e.people[e.pi]
	var day, n int32 = noDay, 0
	dayStart := 0
	type busy struct {
		day, n     int32
		dept       string
		start, end int
	}
	var busyDays []busy
	closeDay := func(end int) {
		if day == noDay || n == 0 {
			return
		}
		dept := e.deptOn(p, day)
		p.lookDays = append(p.lookDays, dayCount{day: day, n: n, dept: dept})
		if c.bulk >= 0 && int(n) >= e.th.BulkLookupMin {
			busyDays = append(busyDays, busy{day, n, dept, dayStart, end})
		}
	}
	for i := range c.buf {
		ev := &c.buf[i]
		if c.days[i] != day {
			closeDay(i)
			day, n, dayStart = c.days[i], 0, i
		}
		st := c.stats[ev.SubjectID]
		if st == nil {
			c.pool = append(c.pool, subjStat{last: noDay, seenDay: noDay})
			st = &c.pool[len(c.pool)-1]
			c.stats[ev.SubjectID] = st
		}
		if ev.Action == domain.ActionUpdate {
			st.updated = true
		}
		if ev.Action != domain.ActionLookup {
			continue
		}
		if st.seenDay != day {
			st.seenDay = day
			st.days++
			st.last = day
			n++
		}
	}
	closeDay(len(c.buf))
	// A busy day that is ordinary for the person (a 窓口 clerk's) is
	// dropped here; the others keep their evidence until the departments'
	// norms are known after the stream.
	for _, b := range busyDays {
		if ownUsual(p, b.day, b.n, e.th.BulkLookupFactor) {
			continue
		}
		cand := bulkCandidate{pi: e.pi, day: b.day, n: b.n, dept: b.dept}
		for i := b.start; i < b.end && len(cand.ev) < max(e.maxEvidence, 0); i++ {
			if c.buf[i].Action == domain.ActionLookup {
				cand.ev = append(cand.ev, c.buf[i])
			}
		}
		cand.ev = slices.Clip(cand.ev)
		c.candidates = append(c.candidates, cand)
	}
	if c.repeat >= 0 {
		c.judgeRepeated(e)
	}
	c.buf, c.tods, c.days = c.buf[:0], c.tods[:0], c.days[:0]
}

// judgeRepeated reports residents looked up on RepeatDays days or more and
// never updated, on the day of the last lookup.
func (c *subjects) judgeRepeated(e *engine) {
	need := e.th.RepeatDays
	found := false
	for _, st := range c.stats {
		if st.days >= need && !st.updated {
			found = true
			break
		}
	}
	if !found {
		return
	}
	type group struct {
		subjects map[string]bool
		days     map[int32]bool
	}
	groups := map[int32]*group{}
	for i := range c.buf {
		ev := &c.buf[i]
		st := c.stats[ev.SubjectID]
		if st.days < need || st.updated || ev.Action != domain.ActionLookup {
			continue
		}
		d := e.hitAt(c.repeat, e.pi, st.last, ev, c.tods[i])
		g := groups[st.last]
		if g == nil {
			g = &group{subjects: map[string]bool{}, days: map[int32]bool{}}
			groups[st.last] = g
		}
		g.subjects[ev.SubjectID] = true
		g.days[c.days[i]] = true
		days := make([]int32, 0, len(g.days))
		for dd := range g.days {
			days = append(days, dd)
		}
		slices.Sort(days)
		labels := make([]string, len(days))
		for j, dd := range days {
			t := dayTime(dd)
			labels[j] = fmt.Sprintf("%d/%d", int(t.Month()), t.Day())
		}
		d.note = fmt.Sprintf("同じ住民%d人を、更新などの手続きがないまま%d日にわたって照会（%s）", len(g.subjects), len(days), strings.Join(labels, "、"))
	}
}

func (c *subjects) render(e *engine, d *draft) (domain.Severity, string) {
	if d.rule == c.repeat {
		sev := domain.Medium
		if d.flag {
			sev = domain.High
		}
		return sev, d.note + fmt.Sprintf("、照会%d件", d.count)
	}
	return domain.High, d.note
}

// deptOn returns the department key of p's master row in force on day.
func (e *engine) deptOn(p *person, day int32) string {
	for i := range p.rows {
		if p.rows[i].start <= day && day <= p.rows[i].end {
			return p.rows[i].dept
		}
	}
	return ""
}

// finish judges BULK_LOOKUP's candidate days. The usual day of a person is
// the median of their other days with lookups (at least three of them),
// of a department the median of all its staff-days; a day is flagged when
// it reaches the minimum, is Factor times both usual days, and lies beyond
// the person's own spread (median + 5 MAD), so that a 窓口 clerk who looks
// up 200 residents every day stays quiet while a tax clerk's 200 does not.
func (c *subjects) finish(e *engine) {
	if c.bulk < 0 || len(c.candidates) == 0 {
		return
	}
	byDept := map[string][]float64{}
	for pi := range e.people {
		for _, dc := range e.people[pi].lookDays {
			byDept[dc.dept] = append(byDept[dc.dept], float64(dc.n))
		}
	}
	deptMedian := map[string]float64{}
	deptUpper := map[string]float64{}
	for k, v := range byDept {
		slices.Sort(v)
		deptMedian[k] = quantile(v, 0.5)
		deptUpper[k] = quantile(v, 0.75)
	}
	f := e.th.BulkLookupFactor
	for _, cand := range c.candidates {
		p := &e.people[cand.pi]
		n := float64(cand.n)
		usual, spread, ok := ownBaseline(p, cand.day)
		basis := fmt.Sprintf("本人のふだん（中央値）%.0f人", usual)
		if !ok {
			usual = deptUpper[cand.dept]
			spread = usual
			basis = fmt.Sprintf("本人の記録が少ないため所属の上位4分の1 %.0f人", usual)
		}
		dm := deptMedian[cand.dept]
		if n < f*max(usual, 1) || n < f*dm || n <= spread {
			continue
		}
		d := e.hitAt(c.bulk, cand.pi, cand.day, nil, 0)
		for i := range cand.ev {
			d.add(&cand.ev[i], todOf(&cand.ev[i]), e.maxEvidence)
		}
		d.count = int(cand.n)
		d.note = fmt.Sprintf("1日に住民%d人を照会（%s、所属の中央値%.0f人の%s倍以上、%s）", cand.n, basis, dm, trimFloat(f), timeRange(d.all))
	}
}

// ownBaseline returns the median and the spread limit (median + 5 MAD) of
// p's days with lookups other than day; ok is false with fewer than three
// such days.
func ownBaseline(p *person, day int32) (usual, spread float64, ok bool) {
	own := make([]float64, 0, len(p.lookDays))
	for _, dc := range p.lookDays {
		if dc.day != day {
			own = append(own, float64(dc.n))
		}
	}
	if len(own) < 3 {
		return 0, 0, false
	}
	slices.Sort(own)
	usual = quantile(own, 0.5)
	for i, x := range own {
		own[i] = math.Abs(x - usual)
	}
	slices.Sort(own)
	return usual, usual + 5*1.4826*quantile(own, 0.5), true
}

// ownUsual reports whether n residents on day are within p's own usual
// range (so BULK_LOOKUP need not look further).
func ownUsual(p *person, day, n int32, factor float64) bool {
	usual, spread, ok := ownBaseline(p, day)
	return ok && (float64(n) < factor*max(usual, 1) || float64(n) <= spread)
}

// quantile returns the q-quantile of sorted values (nearest rank, lower).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}
