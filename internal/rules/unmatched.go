package rules

import (
	"fmt"
	"slices"
	"strings"

	"tenken/internal/domain"
)

var idxUnmatched = int32(ruleIndex[UnmatchedLookup])

// businessTrace collects the departments' processing of residents: an
// update or a one-resident issue (a certificate, a notice) in a business
// system by staff in post, under their department that day. Together with
// the 受付簿 these are the business traces UNMATCHED_LOOKUP and
// REPEATED_SUBJECT weigh lookups against. It raises no finding.
type businessTrace struct{}

func (businessTrace) observe(e *engine) {
	ev := e.ev
	if e.deptI < 0 || e.status != stActive || ev.Action == domain.ActionLookup || !touchesSubject(ev) {
		return
	}
	k, ok := e.traceKey(e.resident(ev.SubjectID), e.deptI, e.day)
	if ok && (len(e.work.keys) == 0 || e.work.keys[len(e.work.keys)-1] != k) {
		e.work.add(k)
	}
}

func (businessTrace) render(*engine, *draft) (domain.Severity, string) { return domain.Low, "" }

// unmatched is UNMATCHED_LOOKUP (興味本位の閲覧; guideline 2Cb 「ログと関連する
// 書面の記録を照合」). A lookup of a resident by staff of a reconciled
// 所属 is unmatched when the 所属 has no business with the resident on
// record: no 受付 in the 受付簿 and no update or issue by anyone of the
// 所属, within UnmatchedDays of the lookup for 窓口 work, or for a
// case-work 所属 a case received in the period or the CaseDays before it
// (and processing anywhere in the period).
//
// Precision. Some unmatched lookups are ordinary — a clerk answering a
// telephone enquiry looks a resident up with nothing written down — so
// one unmatched lookup is not a finding. A staff member's day is a
// finding when
//   - a resident is unmatched on two days or more and that is beyond
//     chance for the person's volume of unmatched lookups (chance.go: the
//     probability of meeting that many residents on that many days): the
//     curious clerk who comes back to the same resident;
//   - UnmatchedDaily residents or more are unmatched that day: browsing;
//   - or an unmatched resident is on the watch list.
//
// Severity is high for a watch-list resident or a resident unmatched on
// three days or more, medium otherwise. A repeat is reported on the day
// of its last lookup, with the earlier days' rows as evidence.
//
// The 受付簿 is known before the stream, so most lookups are matched (and
// forgotten) as they pass; the person's own updates clear more when the
// person's stream group ends; only lookups that could still make a
// finding are kept, until the other staff's processing is known.
type unmatched struct {
	rule     int32
	cands    []umCand // the group's lookups without a 受付, in time order
	evs      []domain.Event
	own      traces // the group's own processing
	pending  []umPending
	pendEv   []domain.Event
	volumes  map[int32][]int32 // person → unmatched residents per day, for the chance model
	overflow map[[2]int32]int  // (person, day) → unmatched lookups past umDayCap, not kept
}

// umDayCap bounds the unmatched lookups of one staff-day kept until the
// other staff's processing is known: a department reconciled with a
// 受付簿 that misses its work (or a day of browsing) would otherwise keep
// a record of every lookup of the year.
const umDayCap = 200

type umCand struct{ day, subj, dept int32 }

type umPending struct {
	pi, day, subj, dept int32
	ev                  int32 // index in pendEv, -1 when over the evidence limit
}

var noTraces = &traces{sorted: true}

func (c *unmatched) observe(e *engine) {
	ev := e.ev
	if e.status != stActive || e.deptI < 0 || !touchesSubject(ev) {
		return
	}
	if ev.Action != domain.ActionLookup {
		if k, ok := e.traceKey(e.resident(ev.SubjectID), e.deptI, e.day); ok {
			c.own.add(k)
		}
		return
	}
	if !e.reconciled[e.deptI] {
		return
	}
	subj := e.resident(ev.SubjectID)
	if e.business(&e.recept, noTraces, subj, e.deptI, e.day) {
		return
	}
	c.cands = append(c.cands, umCand{e.day, subj, e.deptI})
	c.evs = append(c.evs, *ev)
}

func (c *unmatched) endGroup(e *engine) {
	defer func() {
		c.cands, c.evs, c.own.keys = c.cands[:0], c.evs[:0], c.own.keys[:0]
	}()
	if len(c.cands) == 0 {
		return
	}
	c.own.sort()
	n := 0
	for i, x := range c.cands {
		if !e.business(noTraces, &c.own, x.subj, x.dept, x.day) {
			c.cands[n], c.evs[n] = x, c.evs[i]
			n++
		}
	}
	c.cands, c.evs = c.cands[:n], c.evs[:n]
	subjDays, perDay := umTally(c.cands)
	var kept, stored map[int32]int
	for i, x := range c.cands {
		repeat, watched := len(subjDays[x.subj]) >= 2, e.watched(e.residentIDs[x.subj], x.day)
		if !repeat && perDay[x.day] < e.th.UnmatchedDaily && !watched {
			continue
		}
		if stored == nil {
			stored = map[int32]int{}
		}
		if !repeat && !watched && stored[x.day] >= umDayCap {
			// Bounded: past umDayCap residents of one day, the rest count
			// as unmatched without waiting for the others' processing.
			if c.overflow == nil {
				c.overflow = map[[2]int32]int{}
			}
			c.overflow[[2]int32{e.pi, x.day}]++
			continue
		}
		stored[x.day]++
		if kept == nil {
			kept = map[int32]int{}
			if c.volumes == nil {
				c.volumes = map[int32][]int32{}
			}
			days := make([]int32, 0, len(perDay))
			for _, d := range sortedKeys(perDay) {
				days = append(days, int32(perDay[d]))
			}
			c.volumes[e.pi] = append(c.volumes[e.pi], days...)
		}
		p := umPending{pi: e.pi, day: x.day, subj: x.subj, dept: x.dept, ev: -1}
		if kept[x.day] < max(e.maxEvidence, 0) {
			kept[x.day]++
			p.ev = int32(len(c.pendEv))
			c.pendEv = append(c.pendEv, c.evs[i])
		}
		c.pending = append(c.pending, p)
	}
}

// umTally returns, for unmatched lookups, the days of each resident and
// the number of residents of each day.
func umTally(cands []umCand) (map[int32][]int32, map[int32]int) {
	subjDays := map[int32][]int32{}
	perDay := map[int32]int{}
	type sd struct{ subj, day int32 }
	seen := map[sd]bool{}
	for _, x := range cands {
		if seen[sd{x.subj, x.day}] {
			continue
		}
		seen[sd{x.subj, x.day}] = true
		subjDays[x.subj] = append(subjDays[x.subj], x.day)
		perDay[x.day]++
	}
	return subjDays, perDay
}

func sortedKeys[V any](m map[int32]V) []int32 {
	keys := make([]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// umNote gathers what a finding's detail says.
type umNote struct {
	repeatSubj map[int32]bool
	repeatDays []int32
	many       int
	watch      bool
	maxDays    int
	functions  []string
	chance     float64
}

func (c *unmatched) finish(e *engine) {
	if len(c.pending) == 0 {
		return
	}
	e.work.sort()
	N := e.population()
	byPerson := map[int32][]umPending{}
	var people []int32
	for _, p := range c.pending {
		if e.business(&e.recept, &e.work, p.subj, p.dept, p.day) {
			continue
		}
		if byPerson[p.pi] == nil {
			people = append(people, p.pi)
		}
		byPerson[p.pi] = append(byPerson[p.pi], p)
	}
	slices.Sort(people)
	notes := map[*draft]*umNote{}
	for _, pi := range people {
		list := byPerson[pi]
		cands := make([]umCand, len(list))
		for i, p := range list {
			cands[i] = umCand{p.day, p.subj, p.dept}
		}
		subjDays, perDay := umTally(cands)
		for k, n := range c.overflow {
			if k[0] == pi {
				perDay[k[1]] += n
			}
		}
		together := map[string]int{} // residents unmatched on the same days
		for _, days := range subjDays {
			together[fmt.Sprint(days)]++
		}
		expected := map[int]float64{}
		for _, p := range list {
			days := subjDays[p.subj]
			repeat := false
			var ek float64
			if len(days) >= 2 {
				k := len(days)
				e0, ok := expected[k]
				if !ok {
					e0 = chanceRepeats(c.volumes[pi], N, k)
					expected[k] = e0
				}
				ek = poissonTail(e0, together[fmt.Sprint(days)])
				repeat = ek <= e.th.RepeatChance
			}
			many := perDay[p.day] >= e.th.UnmatchedDaily
			watch := e.watched(e.residentIDs[p.subj], p.day)
			if !repeat && !many && !watch {
				continue
			}
			day := p.day
			if repeat {
				day = slices.Max(days)
			}
			d := e.hitAt(c.rule, pi, day, nil, 0)
			if p.ev >= 0 {
				d.add(e, &c.pendEv[p.ev], todOf(&c.pendEv[p.ev]))
			} else {
				d.count++
			}
			nt := notes[d]
			if nt == nil {
				nt = &umNote{repeatSubj: map[int32]bool{}}
				notes[d] = nt
			}
			if repeat {
				nt.repeatSubj[p.subj] = true
				nt.maxDays = max(nt.maxDays, len(days))
				nt.chance = max(nt.chance, ek)
				for _, x := range days {
					if !slices.Contains(nt.repeatDays, x) {
						nt.repeatDays = append(nt.repeatDays, x)
					}
				}
			}
			if many && p.day == day {
				if nt.many == 0 {
					d.count += c.overflow[[2]int32{pi, day}]
				}
				nt.many = perDay[p.day]
			}
			nt.watch = nt.watch || watch
			if p.ev >= 0 {
				if fn := strings.TrimSpace(c.pendEv[p.ev].Function); fn != "" && !slices.Contains(nt.functions, fn) && len(nt.functions) < 4 {
					nt.functions = append(nt.functions, fn)
				}
			}
		}
	}
	for d, nt := range notes {
		var parts []string
		if len(nt.repeatSubj) > 0 {
			slices.Sort(nt.repeatDays)
			labels := make([]string, len(nt.repeatDays))
			for i, x := range nt.repeatDays {
				t := dayTime(x)
				labels[i] = fmt.Sprintf("%d/%d", int(t.Month()), t.Day())
			}
			parts = append(parts, fmt.Sprintf("業務の記録のない同じ住民%d人を%d日にわたって照会（%s、偶然にこうなる確率は%s）",
				len(nt.repeatSubj), len(nt.repeatDays), strings.Join(labels, "、"), expectation(nt.chance)))
		}
		if nt.many > 0 {
			parts = append(parts, fmt.Sprintf("この日に業務の記録のない住民%d人を照会（基準%d人以上）", nt.many, e.th.UnmatchedDaily))
		}
		if nt.watch {
			parts = append(parts, "要注意対象者を含む")
		}
		text := strings.Join(parts, "、")
		if len(nt.functions) > 0 {
			text += "。照会した画面：" + strings.Join(nt.functions, "、")
		}
		d.note = text + fmt.Sprintf("（照会%d件、%s）。業務の記録とは、受付簿の受付と所属の職員による更新・交付です（%s）", d.count, timeRange(d.all), e.windowWords(d))
		d.flag = nt.watch || nt.maxDays >= 3
	}
}

func (c *unmatched) render(e *engine, d *draft) (domain.Severity, string) {
	if d.flag {
		return domain.High, d.note
	}
	return domain.Medium, d.note
}

// windowWords says which business window applied to a finding's person:
// 窓口 work's days either side, or case work's period.
func (e *engine) windowWords(d *draft) string {
	if dept := e.dept(e.deptOn(&e.people[d.staff], d.day)); dept >= 0 && e.caseDept[dept] {
		return fmt.Sprintf("継続して扱う業務のため、点検期間とその前%d日の受付", e.th.CaseDays)
	}
	return fmt.Sprintf("受付日の前後%d日", e.th.UnmatchedDays)
}
