package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"tenken/internal/domain"
)

// sharedID is SHARED_ID.
//
// Within one account's log: a terminal counts as in use by the account
// from its login or any later event until its logout, or until SharedIdle
// minutes pass without an event (logs that never write a logout); an
// event of the same account and system on another terminal in use is
// flagged. A session without logout lasting SharedAllDay hours or more is
// flagged too.
//
// Against the endpoint log (資産管理: ログオン・ログオフ by Windows account,
// which the master ties to the person): a business account used on a
// terminal while the endpoint log shows another person logged on there,
// and not its owner — a borrowed ID — is flagged on the account's owner
// and on the person at the terminal; an account used on a day its owner
// has no PC logon at all, while the endpoint log covers that day and shows
// the owner on other days, is flagged on the owner. The business systems'
// clocks and the endpoint log's may differ by SharedSkew minutes: an event
// counts as inside another person's session only SharedSkew minutes after
// its logon and before its logoff, and as covered by the owner's own
// session up to SharedSkew minutes outside it. A business account's use of
// a terminal is kept per day as one record with the day's first row there
// (the evidence) and the intervals of use (a new one after SharedIdle
// minutes without an event, 12 bytes each), so a year costs a small
// record per staff-day and terminal, not per event.
type sharedID struct {
	rule  int32
	terms []termState
	notes map[*draft]*sharedNote

	// The current group's endpoint sessions by terminal, and its records
	// of the current day (indices in uses).
	open   []openSession
	cur    []int
	curDay int32

	uses     []termDay
	sessions []logonSession
}

type termState struct {
	sys, term   string
	closed      bool
	login       bool
	loginAt     int64
	last        int64
	loginDay    int32
	loginTod    int32
	loginPerson int32
	loginEv     domain.Event
}

// termDay is a business account's use of one terminal on one day: its
// first row there and the intervals of use.
type termDay struct {
	pi    int32
	term  uint32
	day   int32
	first cev
	ivs   []interval
}

// interval is a stretch of use without a pause of SharedIdle minutes, in
// seconds of the day, with its events.
type interval struct{ from, to, n int32 }

// logonSession is one person's PC logon on a terminal (endpoint log).
type logonSession struct {
	pi       int32
	term     uint32
	from, to int64
}

type openSession struct {
	term     uint32
	from     int64
	last     int64
	loggedIn bool
}

// sharedNote is what the terminal kinds of a SHARED_ID finding say.
type sharedNote struct {
	noLogon   bool     // the owner had no PC logon that day
	others    []string // owner's finding: who was logged on at the terminals
	borrowed  []string // the finding of the person at the terminal: whose IDs were used
	terminals []string
	spans     span
}

func (c *sharedID) observe(e *engine) {
	ev := e.ev
	if ev.Terminal == "" || ev.Kind == domain.KindMail {
		return
	}
	c.observeAccount(e)
	if !e.p.known {
		return
	}
	switch {
	case ev.Kind == domain.KindEndpoint:
		c.observeLogon(e)
	case ev.Action != domain.ActionLoginFail:
		c.observeRun(e)
	}
}

// observeAccount is the check within one account's log.
func (c *sharedID) observeAccount(e *engine) {
	ev := e.ev
	idle := int64(e.th.SharedIdle) * 60
	var other string
	own := -1
	for i := range c.terms {
		t := &c.terms[i]
		if t.sys != ev.System {
			continue
		}
		if t.term == ev.Terminal {
			own = i
			continue
		}
		if !t.closed && e.sec-t.last <= idle {
			other = t.term
		}
	}
	if own < 0 {
		c.terms = append(c.terms, termState{sys: ev.System, term: ev.Terminal, closed: true})
		own = len(c.terms) - 1
	}
	t := &c.terms[own]
	switch ev.Action {
	case domain.ActionLogin:
		t.closed, t.login, t.loginAt = false, true, e.sec
		t.loginDay, t.loginTod, t.loginPerson, t.loginEv = e.day, e.tod, e.pi, *ev
	case domain.ActionLogout:
		c.allDay(e, t)
		t.closed, t.login = true, false
	case domain.ActionLoginFail:
	default:
		t.closed = false
	}
	t.last = e.sec
	if other != "" {
		d := e.hit(c.rule)
		for _, n := range []string{other, ev.Terminal} {
			if !slices.Contains(d.names, n) {
				d.names = append(d.names, n)
			}
		}
	}
}

// observeLogon follows the person's PC logons in the endpoint log.
func (c *sharedID) observeLogon(e *engine) {
	ev := e.ev
	term := e.str(ev.Terminal)
	i := slices.IndexFunc(c.open, func(o openSession) bool { return o.term == term })
	switch ev.Action {
	case domain.ActionLogin:
		if i >= 0 && c.open[i].loggedIn {
			c.closeSession(e, i)
		}
		if i < 0 {
			c.open = append(c.open, openSession{term: term})
			i = len(c.open) - 1
		}
		c.open[i] = openSession{term: term, from: e.sec, last: e.sec, loggedIn: true}
		setBit(&e.people[e.pi].logon, e.day-e.d0, e.d1-e.d0+1)
		setBit(&e.endpointDays, e.day-e.d0, e.d1-e.d0+1)
	case domain.ActionLogout:
		if i >= 0 && c.open[i].loggedIn {
			c.open[i].last = e.sec
			c.closeSession(e, i)
		}
	default:
		if i >= 0 && c.open[i].loggedIn {
			c.open[i].last = e.sec
		}
	}
}

// closeSession stores the open session i, ending at its last event.
func (c *sharedID) closeSession(e *engine, i int) {
	o := &c.open[i]
	c.sessions = append(c.sessions, logonSession{pi: e.pi, term: o.term, from: o.from, to: o.last})
	o.loggedIn = false
}

// observeRun follows the account's use of terminals in business systems.
func (c *sharedID) observeRun(e *engine) {
	ev := e.ev
	term := e.str(ev.Terminal)
	if c.curDay != e.day {
		c.cur, c.curDay = c.cur[:0], e.day
	}
	k := -1
	for _, i := range c.cur {
		if c.uses[i].term == term {
			k = i
		}
	}
	if k < 0 {
		c.uses = append(c.uses, termDay{pi: e.pi, term: term, day: e.day, first: e.compact(ev)})
		k = len(c.uses) - 1
		c.cur = append(c.cur, k)
	}
	u := &c.uses[k]
	if n := len(u.ivs); n > 0 && e.tod-u.ivs[n-1].to <= int32(e.th.SharedIdle)*60 {
		u.ivs[n-1].to = e.tod
		u.ivs[n-1].n++
		return
	}
	u.ivs = append(u.ivs, interval{e.tod, e.tod, 1})
}

// allDay flags a session of t that lasted SharedAllDay hours or more
// without a logout before its last event.
func (c *sharedID) allDay(e *engine, t *termState) {
	if !t.login || t.last-t.loginAt < int64(e.th.SharedAllDay)*3600 {
		return
	}
	d := e.hitAt(c.rule, t.loginPerson, t.loginDay, &t.loginEv, t.loginTod)
	d.flag = true
	t.login = false
}

func (c *sharedID) endGroup(e *engine) {
	for i := range c.terms {
		c.allDay(e, &c.terms[i])
	}
	c.terms = c.terms[:0]
	for i := range c.open {
		if c.open[i].loggedIn {
			// No logoff: the session lasts until the person's last event
			// on the terminal, at least to the end of its day.
			day := floorDiv(c.open[i].from, secondsPerDay)
			c.open[i].last = max(c.open[i].last, (day+1)*secondsPerDay-1)
			c.closeSession(e, i)
		}
	}
	c.open = c.open[:0]
	c.cur, c.curDay = c.cur[:0], noDay
}

// setBit sets bit i of a bit set of n bits, allocating it on first use.
func setBit(bits *[]uint64, i, n int32) {
	if i < 0 || i >= n {
		return
	}
	if *bits == nil {
		*bits = make([]uint64, (n+63)/64)
	}
	(*bits)[i/64] |= 1 << (i % 64)
}

func hasBit(bits []uint64, i int32) bool {
	return i >= 0 && int(i/64) < len(bits) && bits[i/64]&(1<<(i%64)) != 0
}

// finish joins the business terminals' use with the PC logons.
func (c *sharedID) finish(e *engine) {
	if len(c.uses) == 0 || len(e.endpointDays) == 0 {
		return
	}
	skew := int64(e.th.SharedSkew) * 60
	slices.SortFunc(c.sessions, func(a, b logonSession) int { return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.from, b.from)) })
	c.notes = map[*draft]*sharedNote{}
	note := func(d *draft) *sharedNote {
		n := c.notes[d]
		if n == nil {
			n = &sharedNote{}
			c.notes[d] = n
		}
		return n
	}
	for i := range c.uses {
		u := &c.uses[i]
		base := int64(u.day) * secondsPerDay
		owner := &e.people[u.pi]
		off := u.day - e.d0
		noLogon := owner.logon != nil && hasBit(e.endpointDays, off) && !hasBit(owner.logon, off)
		var total, flagged int32
		users := map[int32]int32{} // person at the terminal → events of the intervals they saw
		var lo, hi int32 = -1, -1
		for _, iv := range u.ivs {
			total += iv.n
			from, to := base+int64(iv.from), base+int64(iv.to)
			others := c.others(u, from, to, skew)
			for _, s := range others {
				users[s] += iv.n
			}
			if len(others) > 0 || noLogon {
				if lo < 0 {
					lo = iv.from
				}
				hi = iv.to
			}
			if len(others) > 0 {
				flagged += iv.n
			}
		}
		if flagged == 0 && !noLogon {
			continue
		}
		ev := e.expand(&u.first)
		d := e.hitAt(c.rule, u.pi, u.day, nil, 0)
		before := d.count
		addOnce(e, d, &ev)
		d.count = before + int(flagged)
		if noLogon {
			d.count = before + int(total)
		}
		n := note(d)
		n.noLogon = n.noLogon || noLogon
		n.spans.add(lo)
		n.spans.add(hi)
		addName(&n.terminals, e.strs[u.term])
		for _, s := range sortedKeys(users) {
			addName(&n.others, e.staffLabel(s))
			du := e.hitAt(c.rule, s, u.day, nil, 0)
			before := du.count
			addOnce(e, du, &ev)
			du.count = before + int(users[s])
			nu := note(du)
			nu.spans.add(lo)
			nu.spans.add(hi)
			addName(&nu.borrowed, e.staffLabel(u.pi))
			addName(&nu.terminals, e.strs[u.term])
		}
	}
}

// others returns the people other than u's owner logged on to u's
// terminal from lo to hi (give or take the skew: a session counts from
// SharedSkew after its logon to SharedSkew before its logoff), while the
// owner was not logged on there themselves (give or take the skew the
// other way).
func (c *sharedID) others(u *termDay, lo, hi, skew int64) []int32 {
	// A session lasts at most a day and a half, so the sessions that may
	// overlap start at most that long before.
	const longest = 36 * 3600
	var out []int32
	j, _ := slices.BinarySearchFunc(c.sessions, logonSession{term: u.term, from: lo - longest}, func(a, b logonSession) int {
		return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.from, b.from))
	})
	for ; j < len(c.sessions) && c.sessions[j].term == u.term && c.sessions[j].from <= hi; j++ {
		s := &c.sessions[j]
		if s.pi == u.pi || slices.Contains(out, s.pi) {
			continue
		}
		a, b := max(lo, s.from+skew), min(hi, s.to-skew)
		if a > b || c.ownCovers(u, a, b, skew) {
			continue
		}
		out = append(out, s.pi)
	}
	return out
}

// ownCovers reports whether u's owner was logged on to u's terminal from
// lo to hi, give or take the skew.
func (c *sharedID) ownCovers(u *termDay, lo, hi, skew int64) bool {
	const longest = 36 * 3600
	j, _ := slices.BinarySearchFunc(c.sessions, logonSession{term: u.term, from: lo - skew - longest}, func(a, b logonSession) int {
		return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.from, b.from))
	})
	for ; j < len(c.sessions) && c.sessions[j].term == u.term && c.sessions[j].from-skew <= lo; j++ {
		if s := &c.sessions[j]; s.pi == u.pi && hi <= s.to+skew {
			return true
		}
	}
	return false
}

func addName(list *[]string, s string) {
	if !slices.Contains(*list, s) {
		*list = append(*list, s)
	}
}

func (c *sharedID) render(e *engine, d *draft) (domain.Severity, string) {
	var parts []string
	if len(d.names) > 0 {
		parts = append(parts, fmt.Sprintf("同じIDが同じ時間帯に複数の端末（%s）で使われた", strings.Join(d.names, "、")))
	}
	if d.flag {
		parts = append(parts, fmt.Sprintf("ログアウトのないまま%d時間以上使われた", e.th.SharedAllDay))
	}
	if n := c.notes[d]; n != nil {
		terms := strings.Join(n.terminals, "、")
		if len(n.others) > 0 {
			parts = append(parts, fmt.Sprintf("このIDが、%sがパソコンにログオンしている端末（%s）で使われた（%s）", strings.Join(n.others, "、"), terms, timeRange(n.spans)))
		}
		if n.noLogon {
			parts = append(parts, fmt.Sprintf("このIDが、本人のパソコンへのログオンが1度もない日に端末（%s）で使われた", terms))
		}
		if len(n.borrowed) > 0 {
			parts = append(parts, fmt.Sprintf("自分がログオンしている端末（%s）で、ほかの職員%sのIDが使われた（%s）", terms, strings.Join(n.borrowed, "、"), timeRange(n.spans)))
		}
	}
	return domain.High, fmt.Sprintf("IDの共用の疑い：%s（%d件、%s）", strings.Join(parts, "。"), d.count, timeRange(d.all))
}
