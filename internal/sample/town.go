package sample

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// Fixed facts of the sample town.
const (
	townName       = TownName
	townDepartment = "総務課 情報政策係"

	sysResident = "住民記録"
	sysTax      = "税務"
	sysWelfare  = "福祉"
	sysEndpoint = "資産管理" // the asset-management (endpoint) log: logon, USB, files, print
	sysMail     = "メール"  // the mail gateway's send log

	// The town's own mail domain and its partners' (社会福祉協議会, the
	// 委託先 running the counter), for the hearing sheet.
	ownDomain    = "town.yamazato.lg.jp"
	shakyoDomain = "yamazato-shakyo.or.jp"
	itakuDomain  = "michinoku-bpo.co.jp"
	vendorDomain = "kita-kensetsu.co.jp" // a builder: 建設課 mails it, never with attachments

	permRead   = "照会"
	permUpdate = "更新"
	permOutput = "出力"

	// population is the number of residents; the planted full export
	// writes exactly this many records.
	population = 12480
)

// systems lists the systems in the order their files and cells are written.
var systems = []string{sysResident, sysTax, sysWelfare}

// The generated month is May 2025: it has national holidays on a weekend
// (5/3, 5/4), on a weekday (5/5) and a 振替休日 (5/6), so the calendar
// matters; June would have none.
var (
	monthFirst = ymd(2025, 5, 1)
	monthLast  = ymd(2025, 5, 31)
)

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at returns day at h:m:s.
func at(day time.Time, h, m, s int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}

// may returns the day d of the sample month.
func may(d int) time.Time { return ymd(2025, 5, d) }

// workingDays lists the days from..to (inclusive) that cal says are open.
func workingDays(cal *calendar.Calendar, from, to time.Time) []time.Time {
	var days []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if !cal.IsClosed(d) {
			days = append(days, d)
		}
	}
	return days
}

// role decides how much a staff member works in the systems.
type role int

const (
	roleNone    role = iota // no business system
	roleManager             // 課長 and the like: a short look now and then
	roleClerk               // back office: 5–40 events a day
	roleWindow              // 窓口 of 住民課: 100–200 residents a day
)

// Tags mark the posts the incidents and edge cases are built on.
const (
	tagInfoPolicy   = "infoPolicy"   // 情報政策係: the inspector
	tagItakuEnded   = "itakuEnded"   // 委託 contract ended 2025/04/30
	tagHakenLeaving = "hakenLeaving" // 派遣 leaving mid-month
	tagHakenJoining = "hakenJoining" // 派遣 joining mid-month
	tagRetired      = "retired"      // retired in March, still in the master
	tagTransfer     = "transfer"     // 異動 from 税務課 to 福祉課 on 5/16
)

// post is a group of identical positions in a department.
type post struct {
	title, emp string
	n          int
	role       role
	start, end time.Time // fixed dates; zero = derived from title and employment
	tag        string
}

// dept is one 所属 with its positions and the system its staff mainly use.
type dept struct {
	name   string
	subnet int    // third octet of the department's terminals' IP addresses
	main   string // main system ("" when the department uses none)
	posts  []post
}

// Employment kinds (雇用区分).
const (
	empRegular  = "正規"
	empFiscal   = "会計年度任用"
	empRehired  = "再任用"
	empContract = "委託"
	empDispatch = "派遣"
)

// organization is the town hall of 山里町: 100 people.
var organization = []dept{
	{name: "総務課", subnet: 10, posts: []post{
		{title: "課長", emp: empRegular, n: 1},
		{title: "課長補佐", emp: empRegular, n: 1},
		{title: "係長", emp: empRegular, n: 2},
		{title: "主査", emp: empRegular, n: 1, tag: tagInfoPolicy},
		{title: "主査", emp: empRegular, n: 1},
		{title: "主任", emp: empRegular, n: 2},
		{title: "主事", emp: empRegular, n: 3},
		{title: "事務補助員", emp: empFiscal, n: 1},
	}},
	{name: "企画課", subnet: 11, posts: []post{
		{title: "課長", emp: empRegular, n: 1},
		{title: "係長", emp: empRegular, n: 1},
		{title: "主査", emp: empRegular, n: 1},
		{title: "主任", emp: empRegular, n: 1},
		{title: "主事", emp: empRegular, n: 1},
		{title: "主任", emp: empRehired, n: 1},
	}},
	{name: "住民課", subnet: 20, main: sysResident, posts: []post{
		{title: "課長", emp: empRegular, n: 1, role: roleManager},
		{title: "係長", emp: empRegular, n: 2, role: roleClerk},
		{title: "主査", emp: empRegular, n: 1, role: roleClerk},
		{title: "主任", emp: empRegular, n: 2, role: roleClerk},
		{title: "主事", emp: empRegular, n: 1, role: roleClerk},
		{title: "主事", emp: empRegular, n: 2, role: roleWindow},
		{title: "主任", emp: empRehired, n: 1, role: roleClerk},
		{title: "窓口事務員", emp: empFiscal, n: 2, role: roleWindow},
		{title: "窓口業務受託者", emp: empContract, n: 2, role: roleWindow,
			start: ymd(2024, 4, 1), end: ymd(2026, 3, 31)},
		{title: "窓口業務受託者", emp: empContract, n: 1, role: roleWindow,
			start: ymd(2023, 4, 1), end: ymd(2025, 4, 30), tag: tagItakuEnded},
		{title: "派遣職員", emp: empDispatch, n: 1, role: roleWindow,
			start: ymd(2024, 10, 1), end: ymd(2025, 5, 16), tag: tagHakenLeaving},
		{title: "派遣職員", emp: empDispatch, n: 1, role: roleWindow,
			start: ymd(2025, 5, 12), end: ymd(2025, 9, 30), tag: tagHakenJoining},
	}},
	{name: "税務課", subnet: 21, main: sysTax, posts: []post{
		{title: "課長", emp: empRegular, n: 1, role: roleManager},
		{title: "課長補佐", emp: empRegular, n: 1, role: roleClerk},
		{title: "係長", emp: empRegular, n: 3, role: roleClerk},
		{title: "主査", emp: empRegular, n: 2, role: roleClerk},
		{title: "主任", emp: empRegular, n: 3, role: roleClerk},
		{title: "主事", emp: empRegular, n: 3, role: roleClerk},
		{title: "事務補助員", emp: empFiscal, n: 2, role: roleClerk},
		{title: "主任", emp: empRehired, n: 1, role: roleClerk},
		{title: "主査", emp: empRegular, n: 1, end: ymd(2025, 3, 31), tag: tagRetired},
	}},
	{name: "福祉課", subnet: 22, main: sysWelfare, posts: []post{
		{title: "課長", emp: empRegular, n: 1, role: roleManager},
		{title: "係長", emp: empRegular, n: 2, role: roleClerk},
		{title: "主査", emp: empRegular, n: 2, role: roleClerk},
		{title: "社会福祉士", emp: empRegular, n: 2, role: roleClerk},
		{title: "主事", emp: empRegular, n: 3, role: roleClerk},
		{title: "相談支援員", emp: empFiscal, n: 2, role: roleClerk},
		{title: "主任", emp: empRehired, n: 1, role: roleClerk},
		{title: "係長", emp: empRegular, n: 1, end: ymd(2025, 3, 31), tag: tagRetired},
	}},
	{name: "健康保険課", subnet: 23, main: sysResident, posts: []post{
		{title: "課長", emp: empRegular, n: 1, role: roleManager},
		{title: "係長", emp: empRegular, n: 2, role: roleClerk},
		{title: "主査", emp: empRegular, n: 1, role: roleClerk},
		{title: "保健師", emp: empRegular, n: 2, role: roleClerk},
		{title: "主事", emp: empRegular, n: 2, role: roleClerk},
		{title: "事務補助員", emp: empFiscal, n: 2, role: roleClerk},
	}},
	{name: "会計課", subnet: 24, main: sysTax, posts: []post{
		{title: "会計管理者", emp: empRegular, n: 1, role: roleManager},
		{title: "係長", emp: empRegular, n: 1, role: roleClerk},
		{title: "主査", emp: empRegular, n: 1, role: roleClerk},
		{title: "主事", emp: empRegular, n: 1, role: roleClerk},
		{title: "事務補助員", emp: empFiscal, n: 1, role: roleClerk},
	}},
	{name: "建設課", subnet: 30, posts: []post{
		{title: "課長", emp: empRegular, n: 1},
		{title: "係長", emp: empRegular, n: 2},
		{title: "技師", emp: empRegular, n: 3},
		{title: "主事", emp: empRegular, n: 1},
		{title: "主任", emp: empRehired, n: 1},
	}},
	{name: "教育総務課", subnet: 40, posts: []post{
		{title: "課長", emp: empRegular, n: 1},
		{title: "係長", emp: empRegular, n: 1},
		{title: "主査", emp: empRegular, n: 1},
		{title: "主事", emp: empRegular, n: 2},
		{title: "事務補助員", emp: empFiscal, n: 2},
	}},
	{name: "議会事務局", subnet: 50, posts: []post{
		{title: "局長", emp: empRegular, n: 1},
		{title: "主査", emp: empRegular, n: 1},
		{title: "主事", emp: empRegular, n: 1},
	}},
}

// dateStyle is how a date is written in the grants master.
type dateStyle int

const (
	styleSlash  dateStyle = iota // 2019/04/01
	styleKanji                   // 令和5年4月1日
	styleLetter                  // R5.4.1
)

// grant is one row of the department grants master.
type grant struct {
	dept, system, perm string
	from, to           time.Time // to is zero when open-ended
	style              dateStyle
}

// grantTable is the 権限マスタ: department-level grants, one permission per
// row so that no reader has to guess what an empty 権限 cell means.
var grantTable = func() []grant {
	var g []grant
	add := func(dept, system string, from, to time.Time, style dateStyle, perms ...string) {
		for _, p := range perms {
			g = append(g, grant{dept: dept, system: system, perm: p, from: from, to: to, style: style})
		}
	}
	var open time.Time
	add("住民課", sysResident, ymd(2019, 4, 1), open, styleSlash, permRead, permUpdate, permOutput)
	add("税務課", sysTax, ymd(2023, 4, 1), open, styleKanji, permRead, permUpdate, permOutput)
	add("税務課", sysResident, ymd(2023, 4, 1), open, styleKanji, permRead)
	add("福祉課", sysWelfare, ymd(2023, 4, 1), open, styleLetter, permRead, permUpdate, permOutput)
	add("福祉課", sysResident, ymd(2023, 4, 1), open, styleLetter, permRead)
	add("健康保険課", sysResident, ymd(2021, 4, 1), open, styleSlash, permRead)
	add("健康保険課", sysTax, ymd(2021, 4, 1), open, styleKanji, permRead)
	add("会計課", sysTax, ymd(2024, 4, 1), open, styleKanji, permRead)
	// Expired when 企画課's statistics work moved away: it exercises the
	// validity period (平成 and 令和 in one row) and nobody uses it in May.
	add("企画課", sysResident, ymd(2019, 4, 1), ymd(2024, 3, 31), styleKanji, permRead)
	return g
}()

// member is one staff member of the master with the state the generator
// keeps about them.
type member struct {
	id, name, dept, title, emp string
	start, end                 time.Time
	usb                        bool
	subject                    string // 本人宛名番号; "" when not a resident
	pc                         int    // terminal number
	subnet                     int
	role                       role
	tag                        string
	systems                    []string        // granted systems, main first
	perms                      map[string]perm // system → granted permissions

	win, mail string                   // Windows logon account and mail address
	transfer  *transfer                // 異動 during the month, or nil
	overtime  map[int][2]time.Duration // approved 時間外申請 by day of May
	usbDays   map[int]bool             // days a permitted USB user writes to USB in hours

	off         map[int]bool      // days of May off work
	mustWork    map[int]bool      // days an incident needs normal work on
	noSecondary map[int]bool      // days an incident brings its own session in a secondary system
	failBurst   int               // day of May with a burst of failed logins (0 = none)
	seen        map[string]uint32 // subject → bit mask of the days of May it was looked up
	planted     bool              // involved in an incident (present or future)
}

// transfer is a 異動: from day on, the member belongs to another department
// with its own systems. The master holds two rows for the member.
type transfer struct {
	day                  time.Time
	fromDept, toDept     string
	fromSystems, systems []string
	perms                map[string]perm
	subnet               int
}

// perm is the set of permissions granted on one system.
type perm struct{ read, update, output bool }

// active reports whether m is in post on day d (start and end inclusive),
// with the semantics of domain.Staff.Active.
func (m *member) active(d time.Time) bool {
	return domain.Staff{Start: m.start, End: m.end}.Active(d)
}

// activeAllMonth reports whether m is in post on every day of the month.
func (m *member) activeAllMonth() bool { return m.active(monthFirst) && m.active(monthLast) }

// pcName is m's own terminal as the 住民記録 and 福祉 logs name it.
func (m *member) pcName() string { return fmt.Sprintf("YMZ-PC%03d", m.pc) }

// ip is m's own terminal as the 税務 log names it.
func (m *member) ip() string { return fmt.Sprintf("10.1.%d.%d", m.subnet, 20+m.pc%200) }

// terminal is m's own terminal as the log of sys names it.
func (m *member) terminal(sys string) string {
	if sys == sysTax {
		return m.ip()
	}
	return m.pcName()
}

// label describes m for incident notes.
func (m *member) label() string {
	return fmt.Sprintf("%s %s %s（%s）", m.dept, m.title, m.name, m.id)
}

// row is one generated log row before formatting.
type row struct {
	t        time.Time
	seq      int // generation order, to keep the sort stable and deterministic
	sys      string
	id, name string
	terminal string
	function string
	action   string // raw action text, DOMAIN.md vocabulary
	subject  string
	records  int // -1 when the row has no record count

	device, file string // endpoint log
	mailTo       string // mail log; function holds the subject line
	attach       string
	size         int

	deleted bool // removed from the file after its 通番 was given (LOG_GAP)
}

// watchEntry is one row of the watch list.
type watchEntry struct {
	subject, kind string
	depts         []string
	since         time.Time
	staff         string // 職員ID of the staff member a 職員・家族 entry is about
}

// world is everything generated for one seed.
type world struct {
	rng        *rand.Rand
	cal        *calendar.Calendar
	days       []time.Time // working days of the month
	residents  []string
	taxpayer   map[string]bool
	welfare    map[string]bool
	used       map[string]bool // residents kept out of ordinary work
	pools      map[string][]string
	staff      []*member
	watch      []watchEntry
	rows       []row
	seq        int
	person     string
	incidents  []Incident
	future     []Incident
	exclusions []Exclusion
	stories    []PlantedStory

	// The 受付簿 (reception.go).
	receptions []reception
	caseOpened map[string]bool  // 福祉課 cases opened for a resident
	phone      map[phoneKey]int // telephone enquiries of a member on a day
	receptNo   map[string]int   // last 受付番号 by 所属
}

// build generates the whole town for seed, without writing anything.
func build(seed int64) (*world, error) {
	w := &world{
		rng:        rand.New(rand.NewPCG(uint64(seed), 0x5a6d_7a61_746f_2025)),
		cal:        calendar.Default(),
		taxpayer:   map[string]bool{},
		welfare:    map[string]bool{},
		used:       map[string]bool{},
		caseOpened: map[string]bool{},
		phone:      map[phoneKey]int{},
		receptNo:   map[string]int{},
		rows:       make([]row, 0, 80_000),
	}
	w.days = workingDays(w.cal, monthFirst, monthLast)
	w.makeResidents()
	w.makeStaff()
	c, err := w.castIncidents()
	if err != nil {
		return nil, err
	}
	w.makeWatchlist(c)
	w.makePools()
	w.chooseDaysOff()
	for _, m := range w.staff {
		w.ordinaryWork(m)
	}
	w.plant(c)
	w.plantGap()
	// (time, seq) is unique, so an unstable sort is deterministic too.
	slices.SortFunc(w.rows, func(a, b row) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	w.plantDeletion() // in file order
	return w, nil
}

// makeResidents invents the 宛名番号 of the town's residents and which of
// them the tax and welfare systems hold.
func (w *world) makeResidents() {
	n := uint64(1_203_000_000 + w.rng.IntN(100_000))
	w.residents = make([]string, population)
	for i := range w.residents {
		n += uint64(1 + w.rng.IntN(40))
		id := fmt.Sprintf("%010d", n)
		w.residents[i] = id
		if w.rng.Float64() < 0.62 {
			w.taxpayer[id] = true
		}
		if w.rng.Float64() < 0.14 {
			w.welfare[id] = true
		}
	}
}

// freshResident returns a resident not yet used for anything special and
// keeps them out of ordinary work — when called before makePools, which
// leaves the residents used by then out of the pools.
func (w *world) freshResident() string {
	for {
		id := w.residents[w.rng.IntN(len(w.residents))]
		if !w.used[id] {
			w.used[id] = true
			return id
		}
	}
}

// makeStaff fills the master from the organization table.
func (w *world) makeStaff() {
	usedIDs := map[string]bool{}
	usedNames := map[string]bool{}
	seqs := map[string]int{}
	pc := 0
	for _, d := range organization {
		perms := map[string]perm{}
		for _, g := range grantTable {
			if g.dept != d.name || !grantValid(g, monthFirst) {
				continue
			}
			p := perms[g.system]
			switch g.perm {
			case permRead:
				p.read = true
			case permUpdate:
				p.update = true
			case permOutput:
				p.output = true
			}
			perms[g.system] = p
		}
		var syss []string
		if d.main != "" {
			syss = append(syss, d.main)
		}
		for _, s := range systems {
			if _, ok := perms[s]; ok && s != d.main {
				syss = append(syss, s)
			}
		}
		for _, p := range d.posts {
			for range p.n {
				pc++
				m := &member{
					dept: d.name, title: p.title, emp: p.emp, role: p.role, tag: p.tag,
					pc: pc, subnet: d.subnet, systems: syss, perms: perms,
					off: map[int]bool{}, mustWork: map[int]bool{}, noSecondary: map[int]bool{},
					seen: map[string]uint32{}, overtime: map[int][2]time.Duration{}, usbDays: map[int]bool{},
					win: fmt.Sprintf("ymz-u%03d", pc), mail: fmt.Sprintf("u%03d@%s", pc, ownDomain),
				}
				m.id = w.staffID(p.emp, usedIDs, seqs)
				m.name = w.staffName(usedNames)
				m.start, m.end = w.tenure(p)
				m.usb = (d.name == "総務課" && (p.title == "係長" || p.tag == tagInfoPolicy)) || (d.name == "会計課" && p.title == "係長")
				resident := p.emp == empRegular || p.emp == empRehired || p.emp == empFiscal
				if resident && w.rng.Float64() < 0.75 || !resident && w.rng.Float64() < 0.2 {
					m.subject = w.freshResident()
				}
				if p.tag == tagInfoPolicy {
					w.person = m.name
				}
				w.staff = append(w.staff, m)
			}
		}
	}
}

// staffID returns a new unique account ID in the style of its employment:
// six digits for the town's own staff, itakuNN / hakenNN for outsiders.
func (w *world) staffID(emp string, used map[string]bool, seqs map[string]int) string {
	switch emp {
	case empContract:
		seqs[emp]++
		return fmt.Sprintf("itaku%02d", seqs[emp])
	case empDispatch:
		seqs[emp]++
		return fmt.Sprintf("haken%02d", seqs[emp])
	}
	lead := map[string]int{empRegular: 1 + w.rng.IntN(3), empRehired: 5, empFiscal: 8}[emp]
	for {
		id := fmt.Sprintf("%d%05d", lead, w.rng.IntN(100000))
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

// staffName returns a new unique name, surname and given name separated by
// a full-width space as Japanese masters write them.
func (w *world) staffName(used map[string]bool) string {
	for {
		given := maleNames
		if w.rng.IntN(2) == 0 {
			given = femaleNames
		}
		name := surnames[w.rng.IntN(len(surnames))] + "　" + given[w.rng.IntN(len(given))]
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// tenure returns the 採用日 and 退職日 of a new member of post p.
func (w *world) tenure(p post) (start, end time.Time) {
	if !p.start.IsZero() {
		return p.start, p.end
	}
	switch p.emp {
	case empFiscal:
		// Appointed for one fiscal year at a time.
		return ymd(2025, 4, 1), ymd(2026, 3, 31)
	case empRehired:
		return ymd(2024+w.rng.IntN(2), 4, 1), time.Time{}
	}
	first, span := 2008, 11
	switch p.title {
	case "課長", "会計管理者", "局長":
		first, span = 1988, 10
	case "課長補佐", "係長":
		first, span = 1994, 12
	case "主査", "社会福祉士", "保健師":
		first, span = 2000, 12
	case "主事", "技師":
		first, span = 2015, 11 // up to 2025: some joined last month
	}
	if p.tag == tagRetired {
		first, span = 1985, 3
	}
	y := first + w.rng.IntN(span)
	start = ymd(y, 4, 1)
	if w.rng.IntN(10) == 0 && y < 2025 {
		start = ymd(y, 10, 1) // mid-career hire
	}
	return start, p.end
}

// grantValid reports whether g is in force on day d.
func grantValid(g grant, d time.Time) bool {
	return !d.Before(g.from) && (g.to.IsZero() || !d.After(g.to))
}

// makePools sorts the residents ordinary work may touch by system.
func (w *world) makePools() {
	w.pools = map[string][]string{}
	for _, id := range w.residents {
		if w.used[id] {
			continue
		}
		w.pools[sysResident] = append(w.pools[sysResident], id)
		if w.taxpayer[id] {
			w.pools[sysTax] = append(w.pools[sysTax], id)
		}
		if w.welfare[id] {
			w.pools[sysWelfare] = append(w.pools[sysWelfare], id)
		}
	}
}

// pick returns a resident of sys's pool for m to look up on day. It never
// lets m look up one resident on more than two different days, so ordinary
// work cannot resemble the curiosity pattern of REPEATED_SUBJECT. With
// fresh, the resident is one m has not looked up yet that day.
func (w *world) pick(m *member, sys string, day int, fresh bool) string {
	pool := w.pools[sys]
	for {
		id := pool[w.rng.IntN(len(pool))]
		mask := m.seen[id]
		bit := uint32(1) << day
		if mask&bit != 0 && !fresh || mask&bit == 0 && bits.OnesCount32(mask) < 2 {
			m.seen[id] = mask | bit
			return id
		}
	}
}

// chooseDaysOff gives everyone who works in the systems up to three days of
// leave, never on a day an incident needs them at work.
func (w *world) chooseDaysOff() {
	for _, m := range w.staff {
		if m.role == roleNone {
			continue
		}
		for range w.rng.IntN(4) {
			d := w.days[w.rng.IntN(len(w.days))]
			if !m.mustWork[d.Day()] {
				m.off[d.Day()] = true
			}
		}
	}
}

// clean lists the staff of the master involved in no incident.
func (w *world) clean() []string {
	var ids []string
	for _, m := range w.staff {
		if !m.planted {
			ids = append(ids, m.id)
		}
	}
	return ids
}
