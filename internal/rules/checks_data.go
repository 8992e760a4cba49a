package rules

import (
	"cmp"
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
// judges them when the group ends as far as the person's own history
// allows; what needs other people — the department's business traces,
// its usual day and its same-day volume, the peers' weeks, the town's
// population — is judged after the stream.
type subjects struct {
	repeat, bulk int32 // catalogue indices, -1 when off
	buf          []domain.Event
	tods         []int32
	days         []int32
	subj         []int32 // resident number of buf[i]
	stats        map[int32]*subjStat
	pool         []subjStat
	candidates   []bulkCandidate
	repeats      []repeatCandidate
	// Buffers of the enumeration search and the baselines, reused day
	// after day.
	enumIdx, enumLen, enumPrev []int32
	enumVal                    []int64
	scratch                    []float64
}

type subjStat struct {
	days        int
	first, last int32
	updated     bool
	seenDay     int32
}

// Kinds of BULK_LOOKUP.
const (
	bulkDaily uint8 = 1 << iota // many residents in one day
	bulkSlow                    // a sustained rise over weeks
	bulkEnum                    // lookups walking through 宛名番号 in order
)

// bulkCandidate is a day, or a run of weeks, unusual for the person,
// waiting for the department's norms.
type bulkCandidate struct {
	kind    uint8
	pi, day int32
	n       int32 // residents: of the day, of the run of weeks, or in the run of 宛名番号
	dept    string
	ev      []domain.Event
	weeks   []weekRate // bulkSlow: the elevated weeks
	base    float64    // bulkSlow: the person's rate in the weeks before
	run     []int32    // bulkEnum: the residents in the order looked up
}

// weekRate is a person's lookups in one week: residents summed over the
// days with lookups, those days, and the median day.
type weekRate struct {
	week   int32 // weekOf
	n      int32
	active int32
	median float64
}

// rate is the week's usual day: the median of its days, so that a rise
// must last most of the week (two days of a department-wide surge are not
// a sustained rise).
func (w weekRate) rate() float64 { return w.median }

// weekOf numbers the week (Monday to Sunday) of a day.
func weekOf(day int32) int32 { return int32(floorDiv(int64(day)+3, 7)) }

// repeatCandidate is a resident the person looked up on RepeatDays days or
// more without updating them, waiting for the department's traces and the
// chance model.
type repeatCandidate struct {
	pi, subj    int32
	dayList     []int32
	first, last int32
	lookups     int
	ev          []cev
}

// maxRepeatCandidates bounds the residents one stream group keeps for
// REPEATED_SUBJECT's judgement after the stream, those with the most days
// first: a busy clerk in a year meets thousands of residents on three days
// by chance, and none of them could be beyond chance while a resident of
// more days is not.
const maxRepeatCandidates = 64

func (c *subjects) observe(e *engine) {
	ev := e.ev
	if !touchesSubject(ev) {
		return
	}
	c.buf = append(c.buf, *ev)
	c.tods = append(c.tods, e.tod)
	c.days = append(c.days, e.day)
	c.subj = append(c.subj, e.resident(ev.SubjectID))
}

func (c *subjects) endGroup(e *engine) {
	if len(c.buf) == 0 {
		return
	}
	if c.stats == nil {
		c.stats = map[int32]*subjStat{}
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
	firstLook := len(p.lookDays)
	closeDay := func(end int) {
		if day == noDay || n == 0 {
			return
		}
		dept := e.deptOn(p, day)
		p.lookDays = append(p.lookDays, dayCount{day: day, n: n, dept: dept})
		if c.bulk >= 0 {
			if int(n) >= e.th.BulkLookupMin {
				busyDays = append(busyDays, busy{day, n, dept, dayStart, end})
			}
			c.enumeration(e, dayStart, end, dept)
		}
	}
	for i := range c.buf {
		ev := &c.buf[i]
		if c.days[i] != day {
			closeDay(i)
			day, n, dayStart = c.days[i], 0, i
		}
		st := c.stats[c.subj[i]]
		if st == nil {
			c.pool = append(c.pool, subjStat{seenDay: noDay})
			st = &c.pool[len(c.pool)-1]
			c.stats[c.subj[i]] = st
		}
		if ev.Action == domain.ActionUpdate {
			st.updated = true
		}
		if ev.Action != domain.ActionLookup {
			continue
		}
		if st.seenDay != day {
			if st.days == 0 {
				st.first = day
			}
			st.seenDay = day
			st.days++
			st.last = day
			e.residentSeen[c.subj[i]]++
			n++
		}
	}
	closeDay(len(c.buf))
	// A busy day that is ordinary for the person (a 窓口 clerk's) is
	// dropped here; the others keep their evidence until the departments'
	// norms are known after the stream.
	for _, b := range busyDays {
		if ownUsual(&c.scratch, p, b.day, b.n, e.th.BulkLookupFactor) {
			continue
		}
		cand := bulkCandidate{kind: bulkDaily, pi: e.pi, day: b.day, n: b.n, dept: b.dept}
		cand.ev = c.lookupsOf(e, b.start, b.end)
		c.candidates = append(c.candidates, cand)
	}
	if c.bulk >= 0 && len(p.lookDays) > firstLook {
		c.slowRise(e, p)
	}
	if c.repeat >= 0 {
		c.keepRepeated(e)
	}
	c.buf, c.tods, c.days, c.subj = c.buf[:0], c.tods[:0], c.days[:0], c.subj[:0]
}

// lookupsOf copies the lookups among buf[start:end] for evidence, at most
// the evidence limit.
func (c *subjects) lookupsOf(e *engine, start, end int) []domain.Event {
	var out []domain.Event
	for i := start; i < end && len(out) < max(e.maxEvidence, 0); i++ {
		if c.buf[i].Action == domain.ActionLookup {
			out = append(out, c.buf[i])
		}
	}
	return slices.Clip(out)
}

// compareIDs orders 宛名番号: numerically when both are digits only (so
// that 999 comes before 1000), else as strings.
func compareIDs(a, b string) int {
	if digitsOnly(a) && digitsOnly(b) {
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return cmp.Compare(len(a), len(b))
		}
	}
	return strings.Compare(a, b)
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// enumeration looks for a run of BulkRun or more lookups in buf[start:end]
// (one day) whose residents' 宛名番号 rise (or fall) one after the other —
// a walk through the register rather than residents coming to the
// counter. A few other lookups in between (a telephone enquiry) do not
// break the run: each step may pass over up to a fifth of BulkRun lookups
// (the longest such chain, by dynamic programming over the day). Random
// residents fall into such an order by chance with probability of the
// order of 1/BulkRun! (4e-19 for 20). Whether the run walks through
// neighbouring numbers or merely follows a sorted work list spread over
// the town is judged after the stream, when the ranks of all residents
// are known.
func (c *subjects) enumeration(e *engine, start, end int, dept string) {
	need := e.th.BulkRun
	gap := max(2, need/5) + 1 // how far back a step may reach
	idx := c.enumIdx[:0]      // the day's lookups, another screen of the same resident dropped
	for i := start; i < end; i++ {
		if c.buf[i].Action == domain.ActionLookup && (len(idx) == 0 || c.subj[idx[len(idx)-1]] != c.subj[i]) {
			idx = append(idx, int32(i))
		}
	}
	c.enumIdx = idx
	if len(idx) < need {
		return
	}
	// length[k] and prev[k] of the rising chains, then of the falling ones;
	// the buffers are the subjects checker's, reused day after day.
	if cap(c.enumLen) < 2*len(idx) {
		c.enumLen = make([]int32, 2*len(idx))
		c.enumPrev = make([]int32, 2*len(idx))
	}
	// The 宛名番号 as numbers when they all are (the usual case), so that
	// the search compares integers.
	vals := c.enumVal[:0]
	numeric := true
	for _, i := range idx {
		v, ok := idNumber(c.buf[i].SubjectID)
		numeric = numeric && ok
		vals = append(vals, v)
	}
	c.enumVal = vals
	cmpAt := func(k, j int) int {
		if numeric {
			return cmp.Compare(vals[k], vals[j])
		}
		return compareIDs(c.buf[idx[k]].SubjectID, c.buf[idx[j]].SubjectID)
	}
	best, bestEnd, bestDir := int32(0), -1, 0
	for di, dir := range []int{1, -1} {
		length := c.enumLen[di*len(idx) : (di+1)*len(idx)]
		prev := c.enumPrev[di*len(idx) : (di+1)*len(idx)]
		for k := range idx {
			length[k], prev[k] = 1, -1
			for j := k - 1; j >= 0 && j >= k-gap; j-- {
				if length[j]+1 > length[k] && cmpAt(k, j) == dir {
					length[k], prev[k] = length[j]+1, int32(j)
				}
			}
			if length[k] > best {
				best, bestEnd, bestDir = length[k], k, di
			}
		}
	}
	if int(best) < need {
		return
	}
	prev := c.enumPrev[bestDir*len(idx) : (bestDir+1)*len(idx)]
	chain := make([]int, 0, best)
	for k := int32(bestEnd); k >= 0; k = prev[k] {
		chain = append(chain, int(idx[k]))
	}
	slices.Reverse(chain)
	// A first look at the neighbours before the ranks are known: with the
	// residents seen so far, a step of a walk goes at most maxRankStep
	// mean gaps further in number. A chain whose steps are longer (a work
	// list sorted by number, a log that lists residents in number order)
	// is dropped here rather than kept, with its rows, until the end.
	if gap := e.residentGap(); gap > 0 {
		lo, bestLo, bestHi := 0, 0, 0
		for i := 1; i <= len(chain); i++ {
			if i < len(chain) {
				a, aok := idNumber(c.buf[chain[i-1]].SubjectID)
				b, bok := idNumber(c.buf[chain[i]].SubjectID)
				if aok && bok && math.Abs(float64(b-a)) <= maxRankStep*gap {
					continue
				}
			}
			if i-lo > bestHi-bestLo {
				bestLo, bestHi = lo, i
			}
			lo = i
		}
		if bestHi-bestLo < need {
			return
		}
		chain = chain[bestLo:bestHi]
	}
	cand := bulkCandidate{kind: bulkEnum, pi: e.pi, day: c.days[chain[0]], n: int32(len(chain)), dept: dept}
	for _, i := range chain {
		cand.run = append(cand.run, c.subj[i])
		if len(cand.ev) < max(e.maxEvidence, 0) {
			cand.ev = append(cand.ev, c.buf[i])
		}
	}
	c.candidates = append(c.candidates, cand)
}

// slowRise looks at the person's weeks (Monday to Sunday) for the slow
// kind of BULK_LOOKUP: BulkSlowWeeks weeks or more in a row whose
// residents per working day are BulkSlowFactor times the person's usual
// day before them (the median of their days in at least two earlier
// weeks), each week with BulkLookupMin residents or more. The usual day is
// a median of days, not of weeks, so that one short day (a half day, a day
// off with a few lookups) does not lower it. The peers are compared after
// the stream.
func (c *subjects) slowRise(e *engine, p *person) {
	days := slices.Clone(p.lookDays)
	slices.SortFunc(days, func(a, b dayCount) int { return cmp.Compare(a.day, b.day) })
	weeks := weeksOf(days, "")
	f := e.th.BulkSlowFactor
	prior := make([]float64, 0, len(days)) // the days of the weeks before s, sorted
	di := 0
	for s := 0; s < len(weeks); s++ {
		if s > 0 {
			for ; di < len(days) && weekOf(days[di].day) < weeks[s].week; di++ {
				v := float64(days[di].n)
				k, _ := slices.BinarySearch(prior, v)
				prior = slices.Insert(prior, k, v)
			}
		}
		if s < 2 || len(prior) < 5 {
			continue // usualBefore's conditions: two weeks, five days
		}
		base := quantile(prior, 0.75)
		end := s
		for end < len(weeks) && weeks[end].week == weeks[s].week+int32(end-s) &&
			weeks[end].rate() >= f*max(base, 1) && int(weeks[end].n) >= e.th.BulkLookupMin {
			end++
		}
		if end-s < e.th.BulkSlowWeeks {
			continue
		}
		run := slices.Clone(weeks[s:end])
		var n int32
		for _, w := range run {
			n += w.n
		}
		lastDay := noDay
		for _, d := range days {
			if weekOf(d.day) <= run[len(run)-1].week {
				lastDay = d.day
			}
		}
		cand := bulkCandidate{kind: bulkSlow, pi: e.pi, day: lastDay, n: n, dept: e.deptOn(p, lastDay), weeks: run, base: base}
		for i := range c.buf {
			if c.days[i] == lastDay && c.buf[i].Action == domain.ActionLookup && len(cand.ev) < max(e.maxEvidence, 0) {
				cand.ev = append(cand.ev, c.buf[i])
			}
		}
		c.candidates = append(c.candidates, cand)
		return
	}
}

// weeksOf groups a person's days (sorted) into weeks, only the days in
// dept unless dept is "".
func weeksOf(days []dayCount, dept string) []weekRate {
	var weeks []weekRate
	var ns []float64
	flush := func() {
		if len(weeks) > 0 {
			slices.Sort(ns)
			weeks[len(weeks)-1].median = quantile(ns, 0.5)
		}
		ns = ns[:0]
	}
	for _, d := range days {
		if dept != "" && d.dept != dept {
			continue
		}
		w := weekOf(d.day)
		if len(weeks) == 0 || weeks[len(weeks)-1].week != w {
			flush()
			weeks = append(weeks, weekRate{week: w})
		}
		weeks[len(weeks)-1].n += d.n
		weeks[len(weeks)-1].active++
		ns = append(ns, float64(d.n))
	}
	flush()
	return weeks
}

// usualBefore returns the usual busy day of a person before week: the
// upper quartile of their days (sorted) in the earlier weeks — a clerk
// whose days vary between 3 and 18 residents must double their busier
// days, not their median one, for a week to count as a rise. ok is false
// unless the days span two weeks and a working week's days (five) or
// more.
func usualBefore(days []dayCount, week int32) (float64, bool) {
	var n []float64
	weeks := map[int32]bool{}
	for _, d := range days {
		if w := weekOf(d.day); w < week {
			n = append(n, float64(d.n))
			weeks[w] = true
		}
	}
	if len(weeks) < 2 || len(n) < 5 {
		return 0, false
	}
	slices.Sort(n)
	return quantile(n, 0.75), true
}

// keepRepeated keeps the residents of the group looked up on RepeatDays
// days or more and never updated by the person, with their lookups, for
// the judgement after the stream (at most maxRepeatCandidates of them).
func (c *subjects) keepRepeated(e *engine) {
	need := e.th.RepeatDays
	// The residents with the most days first, at most maxRepeatCandidates.
	var best []int32
	for s, st := range c.stats {
		if st.days >= need && !st.updated {
			best = append(best, s)
		}
	}
	if len(best) == 0 {
		return
	}
	slices.SortFunc(best, func(a, b int32) int {
		return cmp.Or(cmp.Compare(c.stats[b].days, c.stats[a].days), cmp.Compare(a, b))
	})
	keep := map[int32]bool{}
	for _, s := range best[:min(len(best), maxRepeatCandidates)] {
		keep[s] = true
	}
	idx := map[int32]int{}
	for i := range c.buf {
		ev := &c.buf[i]
		st := c.stats[c.subj[i]]
		if !keep[c.subj[i]] || ev.Action != domain.ActionLookup {
			continue
		}
		k, ok := idx[c.subj[i]]
		if !ok {
			k = len(c.repeats)
			idx[c.subj[i]] = k
			c.repeats = append(c.repeats, repeatCandidate{pi: e.pi, subj: c.subj[i], first: st.first, last: st.last})
		}
		r := &c.repeats[k]
		r.lookups++
		if n := len(r.dayList); n == 0 || r.dayList[n-1] != c.days[i] {
			r.dayList = append(r.dayList, c.days[i])
		}
		if len(r.ev) < max(e.maxEvidence, 0) {
			r.ev = append(r.ev, e.compact(ev))
		}
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
	sev := domain.High
	if d.refKind == bulkSlow {
		sev = domain.Medium // a slow rise alone: worth a question, not an alarm
	}
	return sev, strings.Join(d.names, "。")
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

func (c *subjects) finish(e *engine) {
	c.finishBulk(e)
	c.finishRepeated(e)
}

// finishRepeated judges the repeated residents against the department's
// business and against chance (chance.go: the probability that a clerk
// with this volume meets that many residents on that many days), and
// reports the residents that remain on the day of their last lookup, one
// finding per person and day.
func (c *subjects) finishRepeated(e *engine) {
	if c.repeat < 0 || len(c.repeats) == 0 {
		return
	}
	e.work.sort()
	N := e.population()
	type group struct {
		subjects int
		days     []int32
		maxDays  int
		watched  bool
	}
	groups := map[draftKey]*group{}
	// The residents without business, and how many of the person's came
	// back together on the same days.
	var kept []*repeatCandidate
	type together struct {
		pi   int32
		days string
	}
	same := map[together]int{}
	for i := range c.repeats {
		r := &c.repeats[i]
		if c.repeatBusiness(e, &e.people[r.pi], r) {
			continue
		}
		kept = append(kept, r)
		same[together{r.pi, fmt.Sprint(r.dayList)}]++
	}
	type pk struct{ pi, k int32 }
	expected := map[pk]float64{}
	for _, r := range kept {
		p := &e.people[r.pi]
		k := len(r.dayList)
		ek, ok := expected[pk{r.pi, int32(k)}]
		if !ok {
			counts := make([]int32, 0, len(p.lookDays))
			for _, dc := range p.lookDays {
				counts = append(counts, dc.n)
			}
			ek = chanceRepeats(counts, N, k)
			expected[pk{r.pi, int32(k)}] = ek
		}
		// m residents on the same k days: at most as likely as m residents
		// on k days or more, P(Poisson(E_k) ≥ m).
		pr := poissonTail(ek, same[together{r.pi, fmt.Sprint(r.dayList)}])
		if pr > e.th.RepeatChance {
			continue // a busy clerk meets some residents again by chance
		}
		ek = pr
		d := e.hitAt(c.repeat, r.pi, r.last, nil, 0)
		for j := range r.ev {
			ev := e.expand(&r.ev[j])
			d.add(e, &ev, todOf(&ev))
		}
		d.count += r.lookups - len(r.ev)
		dk := draftKey{c.repeat, r.pi, r.last}
		g := groups[dk]
		if g == nil {
			g = &group{}
			groups[dk] = g
		}
		g.subjects++
		g.maxDays = max(g.maxDays, k)
		for _, dd := range r.dayList {
			if !slices.Contains(g.days, dd) {
				g.days = append(g.days, dd)
			}
		}
		if e.watched(e.residentIDs[r.subj], r.last) {
			g.watched = true
		}
		slices.Sort(g.days)
		labels := make([]string, len(g.days))
		for j, dd := range g.days {
			t := dayTime(dd)
			labels[j] = fmt.Sprintf("%d/%d", int(t.Month()), t.Day())
		}
		d.note = fmt.Sprintf("同じ住民%d人を、更新などの手続きも所属の業務の記録もないまま%d日にわたって照会（%s）。この職員の照会の量から偶然にこうなる確率は%s",
			g.subjects, len(g.days), strings.Join(labels, "、"), expectation(ek))
		d.flag = g.maxDays >= 5 || g.watched
	}
}

// expectation writes a small probability or expectation briefly: 0.007,
// 0.04, 0.001未満.
func expectation(x float64) string {
	switch {
	case x < 0.001:
		return "0.001未満"
	case x < 0.01:
		return fmt.Sprintf("%.3f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// repeatBusiness reports whether the person's department (on any day of
// the lookups) had business with the resident around the lookups: a 受付
// or processing between the first and the last lookup (UnmatchedDays
// either side), or for case work a case of the period.
func (c *subjects) repeatBusiness(e *engine, p *person, r *repeatCandidate) bool {
	var seen [4]int32
	n := 0
	for _, day := range r.dayList {
		dept := e.dept(e.deptOn(p, day))
		if dept < 0 || slices.Contains(seen[:n], dept) {
			continue
		}
		if n < len(seen) {
			seen[n] = dept
			n++
		}
		lo, hi := r.first-int32(e.th.UnmatchedDays), r.last+int32(e.th.UnmatchedDays)
		if e.within(&e.recept, r.subj, dept, lo, hi) || e.within(&e.work, r.subj, dept, lo, hi) {
			return true
		}
		if e.caseDept[dept] && (e.within(&e.recept, r.subj, dept, e.d0-int32(e.th.CaseDays), e.d1) || e.within(&e.work, r.subj, dept, e.d0, e.d1)) {
			return true
		}
	}
	return false
}

// watched reports whether a resident is on the watch list on day.
func (e *engine) watched(subject string, day int32) bool {
	for _, w := range e.watch[subject] {
		if w.from <= day && day <= w.to {
			return true
		}
	}
	return false
}

// finishBulk judges BULK_LOOKUP's candidates.
//
// Daily kind: the usual day of a person is the median of their other days
// with lookups (at least three of them), of a department the median of
// all its staff-days; a day is flagged when it reaches the minimum, is
// Factor times both usual days, lies beyond the person's own spread
// (median + 5 MAD), and is Factor times the median of the colleagues who
// looked residents up the same day (at least two of them): a 窓口 clerk
// who looks up 200 residents every day stays quiet, and so does a
// department-wide surge (住民税決定期, the spring moving season), while a
// tax clerk's lone 200 does not.
//
// Slow kind: each week of the run found in the person's history must also
// be BulkSlowFactor times the department's median staff-day, and the
// person's growth BulkSlowFactor times the median growth of the
// department's other staff over the same weeks (when at least two of them
// have a history): a rise shared by the department is business.
//
// Enumeration: the run of 宛名番号 must walk through neighbours: the
// residents it covers must be at least half of all residents the logs
// show between its first and last number.
func (c *subjects) finishBulk(e *engine) {
	if c.bulk < 0 || len(c.candidates) == 0 {
		return
	}
	byDept := map[string][]float64{}
	type deptDay struct {
		dept string
		day  int32
	}
	sameDay := map[deptDay][]int32{} // (dept, day) → people with lookups
	for pi := range e.people {
		for _, dc := range e.people[pi].lookDays {
			byDept[dc.dept] = append(byDept[dc.dept], float64(dc.n))
			sameDay[deptDay{dc.dept, dc.day}] = append(sameDay[deptDay{dc.dept, dc.day}], int32(pi))
		}
	}
	deptMedian := map[string]float64{}
	deptUpper := map[string]float64{}
	for k, v := range byDept {
		slices.Sort(v)
		deptMedian[k] = quantile(v, 0.5)
		deptUpper[k] = quantile(v, 0.75)
	}
	colleagues := func(pi int32, dept string, day int32) []float64 {
		var out []float64
		for _, q := range sameDay[deptDay{dept, day}] {
			if q == pi {
				continue
			}
			for _, dc := range e.people[q].lookDays {
				if dc.day == day && dc.dept == dept {
					out = append(out, float64(dc.n))
				}
			}
		}
		slices.Sort(out)
		return out
	}
	var ranks []int32
	f := e.th.BulkLookupFactor
	for _, cand := range c.candidates {
		p := &e.people[cand.pi]
		var part string
		switch cand.kind {
		case bulkDaily:
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
			same := colleagues(cand.pi, cand.dept, cand.day)
			sm := ""
			if len(same) >= 2 {
				m := quantile(same, 0.5)
				if n < f*max(m, 1) {
					continue // the whole department was busy that day
				}
				sm = fmt.Sprintf("、同じ日の同僚%d人の中央値%.0f人", len(same), m)
			}
			part = fmt.Sprintf("1日に住民%d人を照会（%s、所属の中央値%.0f人%s、いずれの%s倍以上）", cand.n, basis, dm, sm, trimFloat(f))
		case bulkSlow:
			// Over the peers: the department's other staff must not have
			// grown alike in the same weeks (their rate over their own
			// usual day, median of at least two of them).
			sf := e.th.BulkSlowFactor
			// Growth: the median of the run's weekly usual days over the
			// usual day before.
			growthOf := func(ws []weekRate, base float64) float64 {
				r := make([]float64, len(ws))
				for i, w := range ws {
					r[i] = w.rate()
				}
				slices.Sort(r)
				return quantile(r, 0.5) / max(base, 1)
			}
			// A level still ordinary for the department is no rise.
			level := true
			for _, w := range cand.weeks {
				level = level && w.rate() >= sf*max(deptMedian[cand.dept], 1)
			}
			if !level {
				continue
			}
			own := growthOf(cand.weeks, cand.base)
			var sum, act int32
			for _, w := range cand.weeks {
				sum += w.n
				act += w.active
			}
			var growth []float64
			for pi := range e.people {
				q := &e.people[pi]
				if int32(pi) == cand.pi || len(q.lookDays) == 0 {
					continue
				}
				qd := slices.Clone(q.lookDays)
				slices.SortFunc(qd, func(a, b dayCount) int { return cmp.Compare(a.day, b.day) })
				var in []weekRate
				for _, w := range weeksOf(qd, cand.dept) {
					if w.week >= cand.weeks[0].week && w.week <= cand.weeks[len(cand.weeks)-1].week {
						in = append(in, w)
					}
				}
				qb, ok := usualBefore(qd, cand.weeks[0].week)
				if len(in) == 0 || !ok {
					continue
				}
				growth = append(growth, growthOf(in, qb))
			}
			peer := ""
			if len(growth) >= 2 {
				slices.Sort(growth)
				g := quantile(growth, 0.5)
				if own < sf*max(g, 1) {
					continue // the department grew alike
				}
				peer = fmt.Sprintf("、同じ所属の同僚%d人は同じ週に%.1f倍", len(growth), g)
			}
			first := dayTime(cand.weeks[0].week*7 - 3)
			part = fmt.Sprintf("%d/%dの週から%d週続けて1日あたり平均%.0f人を照会（それまでの多めの日でも%.0f人で、その%.1f倍%s、基準は%s倍以上が%d週以上）",
				int(first.Month()), first.Day(), len(cand.weeks), float64(sum)/float64(max(act, 1)), cand.base, own, peer, trimFloat(sf), e.th.BulkSlowWeeks)
		case bulkEnum:
			if ranks == nil {
				ranks = e.residentRanks()
			}
			// The longest stretch of the run whose steps go to a neighbour:
			// at most maxRankStep residents further in 宛名番号 order among
			// all residents the logs show.
			bestLo, bestHi, lo := 0, 0, 0
			for i := 1; i <= len(cand.run); i++ {
				if i == len(cand.run) || absDiff(ranks[cand.run[i]], ranks[cand.run[i-1]]) > maxRankStep {
					if i-lo > bestHi-bestLo {
						bestLo, bestHi = lo, i
					}
					lo = i
				}
			}
			n := bestHi - bestLo
			if n < e.th.BulkRun {
				continue // a sorted work list spread over the town, not a walk
			}
			cand.n = int32(n)
			cand.ev = slices.DeleteFunc(cand.ev, func(x domain.Event) bool {
				k := slices.Index(cand.run[bestLo:bestHi], e.resident(x.SubjectID))
				return k < 0
			})
			part = fmt.Sprintf("宛名番号の順に続けて住民%d人を照会（%s〜%s、番号順の照会の基準%d人以上）",
				n, e.residentIDs[cand.run[bestLo]], e.residentIDs[cand.run[bestHi-1]], e.th.BulkRun)
		}
		d := e.hitAt(c.bulk, cand.pi, cand.day, nil, 0)
		before := d.count
		for i := range cand.ev {
			addOnce(e, d, &cand.ev[i])
		}
		d.count = max(before, int(cand.n))
		d.refKind |= cand.kind
		d.names = append(d.names, part)
	}
}

// maxRankStep is how far in 宛名番号 order one step of an enumeration may
// go: to the next resident, or past one or two the logs show (moved away,
// looked up on another day).
const maxRankStep = 3

func absDiff(a, b int32) int32 {
	if a > b {
		return a - b
	}
	return b - a
}

// residentRanks returns the rank of every resident number among all
// residents the logs show, in 宛名番号 order.
func (e *engine) residentRanks() []int32 {
	order := make([]int32, len(e.residentIDs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareIDs(e.residentIDs[a], e.residentIDs[b]) })
	ranks := make([]int32, len(order))
	for r, i := range order {
		ranks[i] = int32(r)
	}
	return ranks
}

// ownBaseline returns the median and the spread limit (median + 5 MAD) of
// p's days with lookups other than day; ok is false with fewer than three
// such days.
func ownBaseline(p *person, day int32) (usual, spread float64, ok bool) {
	return ownBaselineIn(nil, p, day)
}

// ownBaselineIn is ownBaseline working in buf (reused by the caller).
func ownBaselineIn(buf *[]float64, p *person, day int32) (usual, spread float64, ok bool) {
	var own []float64
	if buf != nil {
		own = (*buf)[:0]
		defer func() { *buf = own[:0] }()
	}
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
func ownUsual(buf *[]float64, p *person, day, n int32, factor float64) bool {
	usual, spread, ok := ownBaselineIn(buf, p, day)
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
