package rules

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// checker is one rule at work. observe sees every event of the period in
// the order of the stream, with the engine's cursor describing it; it calls
// engine.hit for the events it objects to. render turns a completed draft
// into the finding's severity and Japanese detail.
type checker interface {
	observe(e *engine)
	render(e *engine, d *draft) (domain.Severity, string)
}

// grouper is a checker that judges a whole stream group (one staff ID as
// written in the log) when the stream moves on to the next ID.
type grouper interface {
	endGroup(e *engine)
}

// finisher is a checker that judges after the whole stream, comparing
// people with each other or joining one person's accounts.
type finisher interface {
	finish(e *engine)
}

// status is who an ID is on the cursor's day, according to the 職員マスタ.
type status uint8

const (
	stActive  status = iota // in post
	stRetired               // in the master, but not in post that day
	stUnknown               // not in the master
)

// Reference kinds of a RETIRED_ID finding.
const (
	refAfterEnd    uint8 = iota + 1 // the day is after the 離任日
	refBeforeStart                  // the day is before the 着任日
)

// Permission bits of a system on a day. permUse alone lets a staff member
// log in to the system; the others are needed for the actions they name.
const (
	permUse uint8 = 1 << iota
	permLookup
	permUpdate
	permExport
	permAll = permUse | permLookup | permUpdate | permExport
)

// Day numbers are days since 1970-01-01 of the wall-clock date; these
// sentinels stand for open ends of validity periods.
const (
	minDay int32 = math.MinInt32 + 1
	maxDay int32 = math.MaxInt32 - 1
	noDay  int32 = math.MinInt32
)

// Night hours, used for severity: 22:00:00 to 04:59:59.
const (
	nightStart int32 = 22 * 3600
	nightEnd   int32 = 5 * 3600
)

// period is one 職員マスタ row reduced to what the rules need.
type period struct {
	start, end int32   // day numbers, inclusive
	dept       string  // nameKey of 所属
	deptName   string  // 所属 as written
	usb        bool    // 外部媒体利用可
	subject    string  // 本人宛名番号
	systems    []int32 // 利用可能システム: every permission
	deptGrants []int32 // grants of the row's department (indices in engine.grants)
}

// person is one staff ID (after matching) seen in the masters or the log.
type person struct {
	id       string // as shown in findings: the master's spelling, else the log's
	name     string // 氏名 of the first master row, "" when unknown
	known    bool   // has at least one 職員マスタ row
	seen     bool   // met in the log
	rows     []period
	grants   []int32  // grants naming this ID
	overtime []window // approved 時間外申請, sorted by day
	family   []string // 宛名番号 of the watch list's 職員・家族 entries naming this ID
	lookDays []dayCount
	logon    []uint64 // SHARED_ID: bit per day of the period with a PC logon (endpoint log)
}

// dayCount is how many distinct residents a person looked up on a day, and
// the department they belonged to that day (BULK_LOOKUP's baselines).
type dayCount struct {
	day  int32
	n    int32
	dept string
}

// window is an approved overtime window on one day, in seconds of the day.
type window struct {
	day    int32
	lo, hi int32
}

// grantDef is one 権限マスタ row, resolved.
type grantDef struct {
	sys      int32
	mask     uint8
	from, to int32
}

// draftKey identifies a finding under construction.
type draftKey struct {
	rule, staff, day int32
}

// span is a range of times of day.
type span struct {
	lo, hi int32
	n      int
}

func (s *span) add(tod int32) {
	if s.n == 0 || tod < s.lo {
		s.lo = tod
	}
	if s.n == 0 || tod > s.hi {
		s.hi = tod
	}
	s.n++
}

// item is a labelled count inside a draft (e.g. one system and the
// permission it lacked), for rules whose finding lists several things.
type item struct {
	key  int32
	sub  uint8
	aux  uint8
	n    int
	name string
}

// draft is a finding under construction: one rule, one person, one day.
// The generic fields serve every rule; spans, items and ref are for the
// rules that need them.
type draft struct {
	rule, staff, day int32
	count            int
	evidence         []cev // the earliest events, sorted by time, at most the cap when the draft was made
	keep             int   // that cap (evidenceCap)
	all              span  // times of day of all events
	exports          int   // events with action EXPORT
	night            bool  // an event between 22:00 and 5:00
	spans            [2]span
	items            []item
	ref              int32
	refKind          uint8
	hours            [2]int32 // working hours that applied (AFTER_HOURS)
	note             string   // detail prepared by a grouper or finisher
	flag             bool     // rule-specific (e.g. free-mail recipient)
	names            []string // rule-specific labels (systems, domains)
}

// add counts ev and keeps it as evidence if it is among the d.keep
// earliest.
func (d *draft) add(e *engine, ev *domain.Event, tod int32) {
	d.count++
	d.all.add(tod)
	if ev.Action == domain.ActionExport {
		d.exports++
	}
	if tod >= nightStart || tod < nightEnd {
		d.night = true
	}
	keep := d.keep
	if keep <= 0 {
		return
	}
	sec := wallSec(ev.Time)
	n := len(d.evidence)
	i := n
	if n > 0 && sec < d.evidence[n-1].sec {
		// Out of order (the stream met this person under another spelling
		// of the ID, or a grouper adds rows of several days): insert
		// after the events not later than ev.
		i, _ = slices.BinarySearchFunc(d.evidence, sec, func(x cev, t int64) int {
			if x.sec > t {
				return 1
			}
			return -1
		})
	}
	if i >= keep {
		return
	}
	if n < keep {
		if n == cap(d.evidence) {
			// Grow by doubling from 4, never past keep: most findings
			// hold a few events, and the copies are the run's only
			// per-event allocations.
			grown := make([]cev, n, min(keep, max(4, 2*n)))
			copy(grown, d.evidence)
			d.evidence = grown
		}
		d.evidence = d.evidence[:n+1]
	}
	l := len(d.evidence)
	copy(d.evidence[i+1:l], d.evidence[i:l-1])
	d.evidence[i] = e.compact(ev)
}

// addItem counts one more event under (key, sub).
func (d *draft) addItem(key int32, sub, aux uint8) {
	for i := range d.items {
		if d.items[i].key == key && d.items[i].sub == sub {
			d.items[i].n++
			return
		}
	}
	d.items = append(d.items, item{key: key, sub: sub, aux: aux, n: 1})
}

// engine runs the rules over one stream of events.
type engine struct {
	ctx      context.Context
	progress func(int64)
	done     int64

	d0, d1     int32 // the period, as day numbers
	ws, we     int32 // default working hours, seconds of the day
	deptHours  map[string][2]int32
	extended   []hoursRule
	th         Thresholds
	ownDomains []string
	partners   []string
	freeMail   []string
	watch      map[string][]watchDef
	// Residents and departments as numbers, the 受付簿 and the business
	// traces (index.go).
	residentIdx map[string]int32
	residentIDs []string
	// residentSeen counts, per resident, the staff-days with a lookup of
	// them; popN is the population estimated from it (chance.go).
	residentSeen []int32
	popN         int
	// The range and count of the numeric 宛名番号 seen so far, for a first
	// judgement of enumerations before the ranks are known.
	idMin, idMax int64
	idCount      int64
	// The tables of compact events (compact.go).
	strIdx   map[string]uint32
	strs     []string
	ctxIdx   map[evCtx]uint32
	ctxs     []evCtx
	extraIdx map[evExtra]uint32
	extras   []evExtra
	// endpointDays has a bit per day of the period on which the endpoint
	// log shows any PC logon (SHARED_ID).
	endpointDays []uint64
	deptIdx      map[string]int32
	deptNames    []string
	reconciled   []bool // by department number: UNMATCHED_LOOKUP checks its lookups
	caseDept     []bool // by department number: case work (hearing case_depts)
	recept       traces // the 受付簿
	work         traces // updates and one-resident issues, by department
	traceWork    bool   // collect work (UNMATCHED_LOOKUP or REPEATED_SUBJECT runs)
	groupers     []grouper
	finishers    []finisher
	cal          *calendar.Calendar
	maxEvidence  int

	checks []checker // enabled and implemented, in catalogue order
	byRule []checker // by catalogue index
	cur    []*draft  // by catalogue index: the draft last hit, a cache for drafts
	drafts map[draftKey]*draft
	order  []*draft // drafts in creation order

	people []person
	byKey  map[string]int32 // idKey → index in people

	sysNames []string         // display names of the systems named in the masters
	sysByKey map[string]int32 // nameKey → system number
	sysRaw   map[string]int32 // system as written in the log → number, or -1
	grants   []grantDef
	sysCheck bool // UNAUTHORIZED_SYSTEM runs

	// The cursor: the event being observed and what is known about it.
	haveRaw    bool
	curRaw     string // staff ID of the current stream group, as written
	pi         int32  // index of the current person
	p          *person
	day        int32  // current day number, noDay before the first event
	closed     string // ClosedReason of day, "" on a working day
	status     status
	ref        int32
	refKind    uint8
	allowed    []uint8  // by system number: permissions on day
	windows    []window // approved overtime windows on day
	haveSys    bool
	lastSysRaw string
	lastSys    int32
	ev         *domain.Event
	tod        int32 // seconds since midnight of ev
	sec        int64 // wall-clock seconds of ev
	dws, dwe   int32 // working hours of the person on day
	deptKey    string
	deptI      int32 // number of deptKey, -1 when none
	usb        bool
	selfSubj   []string // the person's own 本人宛名番号 on day
}

// hoursRule is a resolved HoursException.
type hoursRule struct {
	dept    string // nameKey, "" = all
	day     int32  // noDay when by weekday
	weekday time.Weekday
	lo, hi  int32
}

// watchDef is a resolved watch-list entry.
type watchDef struct {
	category string
	depts    []string // nameKeys
	staff    string   // idKey of the staff member for 職員・家族, or ""
	from, to int32
}

// Catalogue indices of the implemented rules.
var (
	idxAfterHours   = int32(ruleIndex[AfterHours])
	idxHoliday      = int32(ruleIndex[Holiday])
	idxUnauthorized = int32(ruleIndex[UnauthorizedSystem])
	idxRetired      = int32(ruleIndex[RetiredID])
	idxUnknown      = int32(ruleIndex[UnknownID])
)

// newEngine validates cfg and prepares the per-person tables.
func newEngine(ctx context.Context, cfg Config, progress func(int64)) (*engine, error) {
	if cfg.From.IsZero() || cfg.To.IsZero() {
		return nil, configError("点検期間（開始日と終了日）を指定してください。")
	}
	e := &engine{
		ctx:         ctx,
		progress:    progress,
		d0:          dayOf(cfg.From),
		d1:          dayOf(cfg.To),
		cal:         cfg.Calendar,
		drafts:      make(map[draftKey]*draft),
		byKey:       make(map[string]int32),
		deptIdx:     make(map[string]int32),
		residentIdx: make(map[string]int32),
		strIdx:      make(map[string]uint32),
		ctxIdx:      make(map[evCtx]uint32),
		extraIdx:    map[evExtra]uint32{{}: 0},
		extras:      []evExtra{{}},
		sysByKey:    make(map[string]int32),
		sysRaw:      make(map[string]int32),
		byRule:      make([]checker, len(catalogue)),
		cur:         make([]*draft, len(catalogue)),
		day:         noDay,
	}
	if e.d1 < e.d0 {
		return nil, configError("点検期間の終了日が開始日より前になっています。")
	}
	if e.cal == nil {
		e.cal = calendar.Default()
	}
	var err error
	if e.ws, e.we, err = workHours(cfg.WorkStart, cfg.WorkEnd); err != nil {
		return nil, err
	}
	switch {
	case cfg.MaxEvidence == 0:
		e.maxEvidence = DefaultMaxEvidence
	case cfg.MaxEvidence > 0:
		e.maxEvidence = cfg.MaxEvidence
	}
	for id := range cfg.Enabled {
		if _, ok := ruleIndex[id]; !ok {
			return nil, configError(fmt.Sprintf("点検項目「%s」はありません。", id))
		}
	}
	hasStaff := e.loadStaff(cfg.Staff)
	e.loadGrants(cfg.Grants)
	if err := e.loadOvertime(cfg.Overtime); err != nil {
		return nil, err
	}
	if err := e.loadHours(cfg); err != nil {
		return nil, err
	}
	e.loadWatchlist(cfg.Watchlist)
	e.th = cfg.Thresholds.withDefaults()
	hasReception := e.loadReception(cfg)
	e.ownDomains = domainKeys(cfg.OwnDomains)
	e.partners = domainKeys(cfg.PartnerDomains)
	e.freeMail = domainKeys(cfg.FreeMail)
	if cfg.FreeMail == nil {
		e.freeMail = domainKeys(DefaultFreeMail)
	}
	e.allowed = make([]uint8, len(e.sysNames))

	on := func(id string) bool { return cfg.Enabled == nil || cfg.Enabled[id] }
	e.sysCheck = hasStaff && len(e.sysNames) > 0 && on(UnauthorizedSystem)
	add := func(idx int32, c checker, run bool) {
		if run && on(catalogue[idx].ID) {
			e.checks = append(e.checks, c)
			e.byRule[idx] = c
		}
	}
	add(idxAfterHours, afterHours{idxAfterHours}, true)
	add(idxHoliday, holiday{idxHoliday}, true)
	add(idxUnauthorized, unauthorized{idxUnauthorized}, e.sysCheck)
	add(idxRetired, retired{idxRetired}, hasStaff)
	add(idxUnknown, unknown{idxUnknown}, hasStaff)
	add(idxWatchlist, watchlist{idxWatchlist}, len(e.watch) > 0)
	add(idxSelf, selfLookup{idxSelf}, hasStaff)
	add(idxBulkExport, &bulkExport{rule: idxBulkExport}, true)
	add(idxLoginFailure, &loginFailure{rule: idxLoginFailure}, true)
	add(idxShared, &sharedID{rule: idxShared}, true)
	add(idxDevice, deviceWrite{idxDevice}, hasStaff)
	add(idxMail, mailExternal{idxMail}, len(e.ownDomains) > 0)
	// EXPORT_THEN_DEVICE and EXPORT_HANDOFF share the exports, the writes
	// and the mails they join.
	carry := &takeout{rule: -1, handoff: -1}
	if on(ExportThenDevice) {
		carry.rule = idxTakeout
		e.byRule[idxTakeout] = carry
	}
	if on(ExportHandoff) {
		carry.handoff = idxHandoff
		e.byRule[idxHandoff] = carry
	}
	if carry.rule >= 0 || carry.handoff >= 0 {
		e.checks = append(e.checks, carry)
	}
	add(idxLogGap, newLogGap(idxLogGap), true)
	add(idxUnmatched, &unmatched{rule: idxUnmatched}, hasReception)
	// The departments' processing of residents, for UNMATCHED_LOOKUP and
	// REPEATED_SUBJECT.
	e.traceWork = e.byRule[idxUnmatched] != nil || on(RepeatedSubject)
	if e.traceWork {
		e.checks = append(e.checks, businessTrace{})
	}
	// REPEATED_SUBJECT and BULK_LOOKUP share one buffer of a group's
	// resident lookups.
	subj := &subjects{repeat: -1, bulk: -1}
	if on(RepeatedSubject) {
		subj.repeat = idxRepeated
		e.byRule[idxRepeated] = subj
	}
	if on(BulkLookup) {
		subj.bulk = idxBulkLookup
		e.byRule[idxBulkLookup] = subj
	}
	if subj.repeat >= 0 || subj.bulk >= 0 {
		e.checks = append(e.checks, subj)
	}
	for _, c := range e.checks {
		if g, ok := c.(grouper); ok {
			e.groupers = append(e.groupers, g)
		}
		if f, ok := c.(finisher); ok {
			e.finishers = append(e.finishers, f)
		}
	}
	return e, nil
}

// workHours parses the working hours, applying the defaults.
func workHours(start, end string) (int32, int32, error) {
	if strings.TrimSpace(start) == "" {
		start = domain.DefaultWorkStart
	}
	if strings.TrimSpace(end) == "" {
		end = domain.DefaultWorkEnd
	}
	ws, ok := parseClock(start)
	if !ok {
		return 0, 0, configError(fmt.Sprintf("始業時刻「%s」を読み取れません（例：08:30）。", start))
	}
	we, ok := parseClock(end)
	if !ok {
		return 0, 0, configError(fmt.Sprintf("終業時刻「%s」を読み取れません（例：17:15）。", end))
	}
	if ws >= we {
		return 0, 0, configError(fmt.Sprintf("終業時刻（%s）が始業時刻（%s）より後になっていません。", end, start))
	}
	return ws, we, nil
}

// addPerson registers a person under key and returns its index.
func (e *engine) addPerson(key, id string) int32 {
	i := int32(len(e.people))
	e.people = append(e.people, person{id: id})
	e.byKey[key] = i
	return i
}

// system returns the number of a system named in a master, registering it;
// -1 for a blank name.
func (e *engine) system(name string) int32 {
	k := nameKey(name)
	if k == "" {
		return -1
	}
	if i, ok := e.sysByKey[k]; ok {
		return i
	}
	i := int32(len(e.sysNames))
	e.sysNames = append(e.sysNames, strings.TrimSpace(name))
	e.sysByKey[k] = i
	return i
}

// loadStaff builds the people of the 職員マスタ and reports whether there
// was any. Rows without an ID cannot match a log and are skipped.
func (e *engine) loadStaff(staff []domain.Staff) bool {
	found := false
	for i := range staff {
		s := &staff[i]
		id := strings.TrimSpace(s.ID)
		if id == "" {
			continue
		}
		found = true
		k := idKey(id)
		pi, ok := e.byKey[k]
		if !ok {
			pi = e.addPerson(k, id)
		}
		r := period{start: minDay, end: maxDay}
		if !s.Start.IsZero() {
			r.start = dayOf(s.Start)
		}
		if !s.End.IsZero() {
			r.end = dayOf(s.End)
		}
		for _, name := range s.Systems {
			if sys := e.system(name); sys >= 0 {
				r.systems = append(r.systems, sys)
			}
		}
		r.dept = nameKey(s.Dept)
		r.deptName = strings.TrimSpace(s.Dept)
		r.usb = s.USBAllowed
		r.subject = strings.TrimSpace(s.SubjectID)
		p := &e.people[pi]
		if !p.known {
			p.name = strings.TrimSpace(s.Name)
		}
		p.known = true
		p.rows = append(p.rows, r)
	}
	// Other accounts (Windows logon names, mail addresses) lead to the same
	// person, so endpoint and mail events are judged as theirs. An account
	// that is itself a staff ID stays with that staff member.
	for i := range staff {
		s := &staff[i]
		pi, ok := e.byKey[idKey(strings.TrimSpace(s.ID))]
		if !ok {
			continue
		}
		for _, list := range [][]string{s.Accounts, s.Email} {
			for _, a := range list {
				a = strings.TrimSpace(a)
				if a == "" {
					continue
				}
				if _, taken := e.byKey[idKey(a)]; !taken {
					e.byKey[idKey(a)] = pi
				}
			}
		}
	}
	return found
}

// loadGrants resolves the 権限マスタ. A grant names either a staff ID or a
// department (when both are set, the ID wins); grants for IDs absent from
// the 職員マスタ are dropped, since such IDs are UNKNOWN_ID and their
// systems are not checked. Every grant's system counts as named in the
// masters, and so as a system under access control.
func (e *engine) loadGrants(grants []domain.Grant) {
	byDept := make(map[string][]int32)
	for i := range grants {
		g := &grants[i]
		sys := e.system(g.System)
		if sys < 0 {
			continue
		}
		def := grantDef{sys: sys, mask: permissionMask(g.Permission), from: minDay, to: maxDay}
		if !g.From.IsZero() {
			def.from = dayOf(g.From)
		}
		if !g.To.IsZero() {
			def.to = dayOf(g.To)
		}
		gi := int32(len(e.grants))
		if id := strings.TrimSpace(g.StaffID); id != "" {
			pi, ok := e.byKey[idKey(id)]
			if !ok {
				continue
			}
			e.grants = append(e.grants, def)
			e.people[pi].grants = append(e.people[pi].grants, gi)
			continue
		}
		dk := nameKey(g.Dept)
		if dk == "" {
			continue
		}
		e.grants = append(e.grants, def)
		byDept[dk] = append(byDept[dk], gi)
	}
	for pi := range e.people {
		rows := e.people[pi].rows
		for ri := range rows {
			if rows[ri].dept != "" {
				rows[ri].deptGrants = byDept[rows[ri].dept]
			}
		}
	}
}

// loadOvertime attaches the approved 時間外申請 to their people. An ID
// absent from the 職員マスタ still gets its windows: the time rules do not
// depend on the master.
func (e *engine) loadOvertime(list []domain.Overtime) error {
	for i := range list {
		o := &list[i]
		id := strings.TrimSpace(o.StaffID)
		if id == "" {
			return configError(fmt.Sprintf("時間外申請の%d件目に職員IDがありません。", i+1))
		}
		if o.Date.IsZero() {
			return configError(fmt.Sprintf("時間外申請（職員ID %s）に日付がありません。", id))
		}
		d := dayOf(o.Date)
		lo, hi := int32(o.From/time.Second), int32(o.To/time.Second)
		if o.From < 0 || lo >= secondsPerDay || hi <= lo || hi > 2*secondsPerDay {
			return configError(fmt.Sprintf("時間外申請（職員ID %s、%s）の時間帯「%s〜%s」が正しくありません（開始は終了より前、終了は翌日の24時まで）。", id, jpDate(d), clock(lo), clock(hi)))
		}
		k := idKey(id)
		pi, ok := e.byKey[k]
		if !ok {
			pi = e.addPerson(k, id)
		}
		p := &e.people[pi]
		if hi < secondsPerDay {
			p.overtime = append(p.overtime, window{d, lo, hi})
		} else {
			// Past midnight: the rest of the day, then the next morning.
			p.overtime = append(p.overtime, window{d, lo, secondsPerDay - 1}, window{d + 1, 0, hi - secondsPerDay})
		}
	}
	for pi := range e.people {
		slices.SortStableFunc(e.people[pi].overtime, func(a, b window) int { return cmp.Compare(a.day, b.day) })
	}
	return nil
}

// loadHours resolves the departments' hours and the exceptions.
func (e *engine) loadHours(cfg Config) error {
	for dept, h := range cfg.DeptHours {
		lo, hi, err := workHours(h.Start, h.End)
		if err != nil {
			return configError("「" + dept + "」の勤務時間：" + err.(*domain.Error).Message)
		}
		if e.deptHours == nil {
			e.deptHours = map[string][2]int32{}
		}
		e.deptHours[nameKey(dept)] = [2]int32{lo, hi}
	}
	for _, x := range cfg.Extended {
		lo, hi, err := workHours(x.Hours.Start, x.Hours.End)
		if err != nil {
			return configError("窓口延長などの勤務時間：" + err.(*domain.Error).Message)
		}
		r := hoursRule{dept: nameKey(x.Dept), day: noDay, weekday: x.Weekday, lo: lo, hi: hi}
		if !x.Date.IsZero() {
			r.day = dayOf(x.Date)
		}
		e.extended = append(e.extended, r)
	}
	return nil
}

// loadWatchlist indexes the watch list by 宛名番号 and gives staff members
// the 職員・家族 entries that name them.
func (e *engine) loadWatchlist(list []domain.WatchEntry) {
	for _, w := range list {
		subj := strings.TrimSpace(w.SubjectID)
		if subj == "" {
			continue
		}
		def := watchDef{category: strings.TrimSpace(w.Category), from: minDay, to: maxDay}
		for _, d := range w.Depts {
			if k := nameKey(d); k != "" {
				def.depts = append(def.depts, k)
			}
		}
		if !w.From.IsZero() {
			def.from = dayOf(w.From)
		}
		if !w.To.IsZero() {
			def.to = dayOf(w.To)
		}
		if id := strings.TrimSpace(w.StaffID); id != "" {
			def.staff = idKey(id)
			if pi, ok := e.byKey[def.staff]; ok {
				e.people[pi].family = append(e.people[pi].family, subj)
			}
		}
		if e.watch == nil {
			e.watch = map[string][]watchDef{}
		}
		e.watch[subj] = append(e.watch[subj], def)
	}
}

// event is the Source callback: it advances the cursor and lets every
// enabled rule observe the event. It must not allocate except through
// engine.hit.
func (e *engine) event(ev *domain.Event) error {
	e.done++
	if e.done%progressEvery == 0 {
		if e.ctx.Err() != nil {
			return errStop
		}
		if e.progress != nil {
			e.progress(e.done)
		}
	}
	if !e.haveRaw || ev.StaffID != e.curRaw {
		e.switchStaff(ev.StaffID)
	}
	sec := wallSec(ev.Time)
	day64 := floorDiv(sec, secondsPerDay)
	if day64 < int64(e.d0) || day64 > int64(e.d1) {
		return nil // outside the period: the source should not send it
	}
	day := int32(day64)
	if day != e.day {
		e.switchDay(day)
	}
	e.ev = ev
	e.sec = sec
	e.tod = int32(sec - day64*secondsPerDay)
	for _, c := range e.checks {
		c.observe(e)
	}
	e.ev = nil
	return nil
}

// switchStaff moves the cursor to the person of a new stream group.
func (e *engine) switchStaff(raw string) {
	if e.haveRaw {
		for _, g := range e.groupers {
			g.endGroup(e)
		}
	}
	e.haveRaw = true
	e.curRaw = raw
	id := strings.TrimSpace(raw)
	k := idKey(id)
	pi, ok := e.byKey[k]
	if !ok {
		if pi, ok = e.addressPerson(id); ok {
			e.byKey[k] = pi
		} else {
			pi = e.addPerson(k, id)
		}
	}
	e.pi = pi
	e.p = &e.people[pi]
	if !e.p.known && !e.p.seen {
		e.p.id = id
	}
	e.p.seen = true
	e.day = noDay
}

// switchDay moves the cursor to a new day of the current person and works
// out what the rules need to know about that person on that day, so that
// per-event checks are table look-ups.
func (e *engine) switchDay(day int32) {
	e.day = day
	e.closed = e.cal.ClosedReason(dayTime(day))
	p := e.p

	e.windows = e.windows[:0]
	i, _ := slices.BinarySearchFunc(p.overtime, day, func(w window, d int32) int { return cmp.Compare(w.day, d) })
	for ; i < len(p.overtime) && p.overtime[i].day == day; i++ {
		e.windows = append(e.windows, p.overtime[i])
	}

	e.dws, e.dwe = e.ws, e.we
	e.deptKey, e.deptI, e.usb = "", -1, false
	e.selfSubj = e.selfSubj[:0]
	if !p.known {
		e.status = stUnknown
		e.applyExtended(day)
		return
	}
	if e.sysCheck {
		clear(e.allowed)
	}
	active := false
	lastEnd, nextStart := noDay, maxDay
	for ri := range p.rows {
		r := &p.rows[ri]
		if r.start <= day && day <= r.end {
			if !active {
				e.deptKey = r.dept
				e.deptI = e.dept(r.dept)
				if h, ok := e.deptHours[r.dept]; ok {
					e.dws, e.dwe = h[0], h[1]
				}
			}
			active = true
			e.usb = e.usb || r.usb
			if r.subject != "" {
				e.selfSubj = append(e.selfSubj, r.subject)
			}
			if e.sysCheck {
				e.grant(r.deptGrants, day)
			}
			continue
		}
		if r.end < day && r.end > lastEnd {
			lastEnd = r.end
		}
		if r.start > day && r.start < nextStart {
			nextStart = r.start
		}
	}
	e.applyExtended(day)
	switch {
	case active:
		e.status = stActive
		if e.sysCheck {
			e.grant(p.grants, day)
			// The staff master's 利用可能システム says which systems a
			// person may use, not with which permission. Where the 権限マスタ
			// names the system for the person or their department, its
			// permissions govern (照会 only means no CSV出力); the list
			// grants everything only for systems the 権限マスタ is silent on.
			for ri := range p.rows {
				r := &p.rows[ri]
				if r.start > day || day > r.end {
					continue
				}
				for _, sys := range r.systems {
					if !e.namedByGrants(p, sys) {
						e.allowed[sys] = permAll
					}
				}
			}
		}
	case lastEnd != noDay:
		e.status, e.refKind, e.ref = stRetired, refAfterEnd, lastEnd
	default:
		e.status, e.refKind, e.ref = stRetired, refBeforeStart, nextStart
	}
}

// applyExtended applies the hours exceptions of day for the cursor's
// department; a dated exception wins over a weekday one.
func (e *engine) applyExtended(day int32) {
	if len(e.extended) == 0 {
		return
	}
	wd := dayTime(day).Weekday()
	dated := false
	for _, x := range e.extended {
		if x.dept != "" && x.dept != e.deptKey {
			continue
		}
		switch {
		case x.day == day:
			e.dws, e.dwe, dated = x.lo, x.hi, true
		case x.day == noDay && x.weekday == wd && !dated:
			e.dws, e.dwe = x.lo, x.hi
		}
	}
}

// namedByGrants reports whether any 権限マスタ row for p (personal, or
// for the department of any of p's rows) names sys, whatever its dates.
func (e *engine) namedByGrants(p *person, sys int32) bool {
	for _, gi := range p.grants {
		if e.grants[gi].sys == sys {
			return true
		}
	}
	for ri := range p.rows {
		for _, gi := range p.rows[ri].deptGrants {
			if e.grants[gi].sys == sys {
				return true
			}
		}
	}
	return false
}

// grant adds the permissions of the grants valid on day.
func (e *engine) grant(list []int32, day int32) {
	for _, gi := range list {
		g := &e.grants[gi]
		if g.from <= day && day <= g.to {
			e.allowed[g.sys] |= g.mask
		}
	}
}

// excused reports whether the cursor's event lies in an approved overtime
// window.
func (e *engine) excused() bool {
	for _, w := range e.windows {
		if w.lo <= e.tod && e.tod <= w.hi {
			return true
		}
	}
	return false
}

// maxSystemSpellings bounds the cache of system names as written in logs,
// so that a log with garbage in its system column cannot grow it per row.
const maxSystemSpellings = 4096

// systemOf returns the number of the system an event names, or -1 when no
// master names it.
func (e *engine) systemOf(raw string) int32 {
	if e.haveSys && raw == e.lastSysRaw {
		return e.lastSys
	}
	id, ok := e.sysRaw[raw]
	if !ok {
		id = -1
		if v, found := e.sysByKey[nameKey(raw)]; found {
			id = v
		}
		if len(e.sysRaw) < maxSystemSpellings {
			e.sysRaw[raw] = id
		}
	}
	e.haveSys, e.lastSysRaw, e.lastSys = true, raw, id
	return id
}

// hit counts the cursor's event in the draft of (rule, person, day) and
// returns the draft for the rule to add its own facts.
func (e *engine) hit(rule int32) *draft {
	return e.hitAt(rule, e.pi, e.day, e.ev, e.tod)
}

// hitAt counts ev (nil: count nothing) in the draft of (rule, person,
// day); groupers and finishers use it for events other than the cursor's.
func (e *engine) hitAt(rule, pi, day int32, ev *domain.Event, tod int32) *draft {
	d := e.cur[rule]
	if d == nil || d.staff != pi || d.day != day {
		k := draftKey{rule, pi, day}
		d = e.drafts[k]
		if d == nil {
			d = &draft{rule: rule, staff: pi, day: day, keep: e.evidenceCap(len(e.order) + 1)}
			e.drafts[k] = d
			e.order = append(e.order, d)
		}
		e.cur[rule] = d
	}
	if ev != nil {
		d.add(e, ev, tod)
	}
	return d
}

// EvidenceBudget is how many evidence rows all the findings of a run keep
// together at most (about 85 MB as events), and MinEvidence how few a
// finding keeps at least: a run with more findings than EvidenceBudget /
// MaxEvidence keeps fewer rows per finding — the earliest ones, the same
// number for every finding — so that a year of 10M rows with a hundred
// thousand findings stays within its memory bound. Count always counts
// every event, and the detail describes them all.
const (
	EvidenceBudget = 300_000
	MinEvidence    = 3
)

// evidenceCap is the evidence rows a finding keeps when n findings exist:
// MaxEvidence while they fit the budget, fewer (not below MinEvidence)
// when they do not. While the stream runs n is the drafts so far, so an
// early draft may keep more than the end allows; findings trims them.
func (e *engine) evidenceCap(n int) int {
	if e.maxEvidence <= 0 {
		return 0
	}
	return min(e.maxEvidence, max(MinEvidence, evidenceBudget/max(n, 1)))
}

// evidenceBudget is EvidenceBudget; tests lower it.
var evidenceBudget = EvidenceBudget

// todOf returns the seconds since midnight of ev's wall clock.
func todOf(ev *domain.Event) int32 {
	sec := wallSec(ev.Time)
	return int32(sec - floorDiv(sec, secondsPerDay)*secondsPerDay)
}

// findings renders and sorts the drafts.
func (e *engine) findings() []domain.Finding {
	type rendered struct {
		d      *draft
		sev    domain.Severity
		detail string
	}
	rs := make([]rendered, len(e.order))
	for i, d := range e.order {
		sev, detail := e.byRule[d.rule].render(e, d)
		rs[i] = rendered{d, sev, detail}
	}
	// The rules' own state (a year's per-line times, terminal records,
	// candidates) is done with: let it go before the findings grow.
	e.checks, e.byRule, e.groupers, e.finishers, e.cur, e.drafts, e.order = nil, nil, nil, nil, nil, nil, nil
	slices.SortFunc(rs, func(a, b rendered) int {
		return cmp.Or(
			cmp.Compare(a.sev.Rank(), b.sev.Rank()),
			strings.Compare(e.people[a.d.staff].id, e.people[b.d.staff].id),
			cmp.Compare(a.d.day, b.d.day),
			cmp.Compare(a.d.rule, b.d.rule),
		)
	})
	keep := e.evidenceCap(len(rs))
	out := make([]domain.Finding, len(rs))
	for i, r := range rs {
		ev := r.d.evidence[:min(len(r.d.evidence), keep)]
		out[i] = domain.Finding{
			Rule:     catalogue[r.d.rule].ID,
			StaffID:  e.people[r.d.staff].id,
			Date:     dayTime(r.d.day).Format(time.DateOnly),
			Severity: r.sev,
			Count:    r.d.count,
			Detail:   r.detail,
			Evidence: make([]domain.Event, len(ev)),
		}
		for j := range ev {
			out[i].Evidence[j] = e.expand(&ev[j])
		}
		r.d.evidence = nil // the compact rows can go as the findings grow
	}
	return out
}
