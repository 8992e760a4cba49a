package sample

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"tenken/internal/domain"
)

// Rule IDs of DOMAIN.md that the planted incidents target.
const (
	ruleAfterHours      = "AFTER_HOURS"
	ruleHoliday         = "HOLIDAY"
	ruleUnauthorized    = "UNAUTHORIZED_SYSTEM"
	ruleRetiredID       = "RETIRED_ID"
	ruleUnknownID       = "UNKNOWN_ID"
	ruleBulkExport      = "BULK_EXPORT"
	ruleRepeatedSubject = "REPEATED_SUBJECT"
	ruleWatchlist       = "WATCHLIST"
	ruleSelfLookup      = "SELF_LOOKUP"
	ruleBulkLookup      = "BULK_LOOKUP"
	ruleLoginFailure    = "LOGIN_FAILURE"
	ruleSharedID        = "SHARED_ID"
	ruleDeviceWrite     = "DEVICE_WRITE"
	ruleTakeout         = "EXPORT_THEN_DEVICE"
	ruleMailExternal    = "MAIL_EXTERNAL"
	ruleLogGap          = "LOG_GAP"
)

// Accounts absent from the master and terminals nobody owns.
const (
	unknownTemp    = "tmp_user01" // left behind by a vendor's data migration
	unknownAdmin   = "admin2"     // a maintenance administrator nobody registered
	spareCounterPC = "YMZ-PC201"  // the 住民課 counter's spare terminal
	maintenancePC  = "FKS-MNT01"  // the welfare vendor's maintenance PC
)

// Days of May 2025 the incidents happen on.
const (
	dayFurikae       = 6  // 振替休日 (Tue)
	daySaturday      = 10 // Sat
	dayAfterHoursTax = 21 // Wed, 21:40
	dayEarlyWelfare  = 27 // Tue, 07:52
	dayUnauthTax     = 15 // Thu: 福祉課 in 税務
	dayUnauthExport  = 12 // Mon: 税務課 exports from 住民記録
	dayRetired       = 13 // Tue
	dayUnknownTemp   = 20 // Tue
	dayUnknownAdmin  = 27 // Tue
	dayBulkExport    = 23 // Fri
	daySelfLookup    = 14 // Wed
	dayBulkLookup    = 29 // Thu
	dayLoginFailure  = 16 // Fri
	daySharedID      = 28 // Wed
	dayMailHome      = 26 // Mon: the 釜石 case
	dayLogGap        = 19 // Mon: the welfare log is missing
	dayTransfer      = 16 // Fri: 異動 from 税務課 to 福祉課
)

// curiosityDays are the days the 税務課 clerk browses the same four
// residents (兵庫県の事例: 興味本位で市民4名の住所や課税情報を閲覧).
var curiosityDays = []int{8, 15, 22}

// cast names the staff members the incidents happen to.
type cast struct {
	afterTax, earlyWelfare        *member // AFTER_HOURS
	saturday, furikae             *member // HOLIDAY
	unauthTax, unauthExport       *member // UNAUTHORIZED_SYSTEM
	retired                       *member // RETIRED_ID
	curious, bulkExport, self     *member // future: REPEATED_SUBJECT/WATCHLIST, BULK_EXPORT, SELF_LOOKUP
	bulkLookup, loginFail, shared *member // future: BULK_LOOKUP, LOGIN_FAILURE, SHARED_ID
	curiousSubjects               []string

	asker, mailer *member // the 岩手 case's unpermitted clerk A; the 釜石 case's clerk

	stories *storyCast // issue 12's stories and their near misses

	holidayResidents []string // looked up on the 振替休日, by nobody else
}

// castIncidents chooses, at random, who does what, and marks the days they
// must be at work.
func (w *world) castIncidents() (*cast, error) {
	var err error
	take := func(dept string, r role, need func(*member) bool) *member {
		var cands []*member
		for _, m := range w.staff {
			if m.dept == dept && m.role == r && m.tag == "" && !m.planted && m.activeAllMonth() && (need == nil || need(m)) {
				cands = append(cands, m)
			}
		}
		if len(cands) == 0 {
			err = errors.Join(err, fmt.Errorf("sample: no candidate in %s", dept))
			return &member{off: map[int]bool{}, mustWork: map[int]bool{}, noSecondary: map[int]bool{}, seen: map[string]uint32{}}
		}
		m := cands[w.rng.IntN(len(cands))]
		m.planted = true
		return m
	}
	c := &cast{}
	c.afterTax = take("税務課", roleClerk, nil)
	c.unauthExport = take("税務課", roleClerk, nil)
	c.curious = take("税務課", roleClerk, nil)
	c.loginFail = take("税務課", roleClerk, nil)
	c.earlyWelfare = take("福祉課", roleClerk, nil)
	c.saturday = take("福祉課", roleClerk, nil)
	c.unauthTax = take("福祉課", roleClerk, nil)
	c.bulkLookup = take("福祉課", roleClerk, nil)
	c.furikae = take("住民課", roleClerk, nil)
	c.bulkExport = take("住民課", roleClerk, nil)
	c.shared = take("住民課", roleWindow, func(m *member) bool { return m.emp == empRegular || m.emp == empFiscal })
	c.self = take("健康保険課", roleClerk, nil)
	c.mailer = take("税務課", roleClerk, nil)
	c.asker = take("企画課", roleNone, func(m *member) bool { return m.emp == empRegular && m.title == "主事" })
	c.stories = w.castStories(c, take)
	for _, m := range w.staff {
		if m.tag == tagItakuEnded {
			c.retired = m
			m.planted = true
		}
	}
	if c.retired == nil {
		err = errors.Join(err, errors.New("sample: no ended contractor"))
	}
	if err != nil {
		return nil, &domain.Error{Code: "sample_internal", Message: "サンプルデータの職員構成が不正です", Err: err}
	}
	for range 8 {
		c.holidayResidents = append(c.holidayResidents, w.freshResident())
	}
	if c.self.subject == "" {
		c.self.subject = w.freshResident() // SELF_LOOKUP needs a resident
	}
	c.afterTax.mustWork[dayAfterHoursTax] = true
	c.earlyWelfare.mustWork[dayEarlyWelfare] = true
	c.unauthTax.mustWork[dayUnauthTax] = true
	c.unauthExport.mustWork[dayUnauthExport] = true
	c.unauthExport.noSecondary[dayUnauthExport] = true
	for _, d := range curiosityDays {
		c.curious.mustWork[d] = true
		c.curious.noSecondary[d] = true
	}
	c.bulkExport.mustWork[dayBulkExport] = true
	c.self.mustWork[daySelfLookup] = true
	c.bulkLookup.mustWork[dayBulkLookup] = true
	c.bulkLookup.noSecondary[dayBulkLookup] = true
	c.loginFail.mustWork[dayLoginFailure] = true
	c.loginFail.failBurst = dayLoginFailure
	c.shared.mustWork[daySharedID] = true
	c.mailer.mustWork[dayMailHome] = true
	w.castClean()
	w.castNearMisses(c.stories)
	return c, nil
}

// makeWatchlist writes the 要注意対象: residents under DV support measures,
// a public figure, staff members' own records and one other case. None of
// them is touched by ordinary work; the curious clerk's first resident is
// under DV support measures.
func (w *world) makeWatchlist(c *cast) {
	add := func(subject, kind string, since time.Time, depts ...string) {
		w.watch = append(w.watch, watchEntry{subject: subject, kind: kind, depts: depts, since: since})
	}
	dv := w.freshResident()
	add(dv, "DV等支援措置", ymd(2024, 7, 1), "住民課", "福祉課")
	add(w.freshResident(), "DV等支援措置", ymd(2025, 2, 14), "住民課", "福祉課")
	add(w.freshResident(), "著名人", ymd(2023, 5, 1), "住民課", "税務課")
	n := 0
	for _, i := range w.rng.Perm(len(w.staff)) {
		m := w.staff[i]
		if n == 3 || m.planted || m.subject == "" {
			continue
		}
		add(m.subject, "職員・家族", ymd(2025, 4, 1), "住民課")
		w.watch[len(w.watch)-1].staff = m.id
		n++
	}
	add(w.freshResident(), "その他", ymd(2024, 12, 1), "福祉課")
	c.curiousSubjects = []string{dv, w.freshResident(), w.freshResident(), w.freshResident()}
}

// plant writes the incidents' rows and records them in the manifest.
func (w *world) plant(c *cast) {
	w.plantPresent(c)
	w.plantFuture(c)
	w.plantTakeouts(c)
	w.plantStories(c, c.stories)
	w.plantNearMisses(c.stories)
	w.incidents = append(w.incidents, w.future...)
	w.future = nil
	order := func(a, b Incident) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.StaffID, b.StaffID))
	}
	slices.SortFunc(w.incidents, order)
}

// hm writes the time of day as people write it: 9:05, 21:40.
func hm(t time.Time) string { return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute()) }

func incident(rule, staff string, day int, note string) Incident {
	return Incident{Rule: rule, StaffID: staff, Date: may(day).Format(time.DateOnly), Note: note}
}

// lookups writes a login, one lookup of each subject and a logout, one row
// every step starting at from, and returns the time of the logout.
func (w *world) lookups(id, name, terminal, sys string, from time.Time, fn op, subjects []string, step time.Duration) time.Time {
	sh := shapes[sys]
	t := from
	w.emitAs(id, name, terminal, sys, t, sh.login, "", -1)
	for _, s := range subjects {
		t = t.Add(step)
		w.emitAs(id, name, terminal, sys, t, fn, s, -1)
	}
	t = t.Add(step)
	w.emitAs(id, name, terminal, sys, t, sh.logout, "", -1)
	return t
}

// picks returns n different residents for m to look up on day in sys.
func (w *world) picks(m *member, sys string, day, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = w.pick(m, sys, day, true)
	}
	return out
}

// plantPresent plants the cases of the five rules that exist today. Each
// breaks exactly one rule: the late clerk uses a granted system on a working
// day, the holiday workers stay inside 勤務時間, the unauthorised uses happen
// inside 勤務時間 on working days, and so on.
func (w *world) plantPresent(c *cast) {
	// AFTER_HOURS: a 税務課 clerk back at the office at night.
	m := c.afterTax
	d := may(dayAfterHoursTax)
	w.emitEndpoint(m, at(d, 21, 38, 2), "ログオン", "", "")
	end := w.lookups(m.id, m.name, m.ip(), sysTax, at(d, 21, 40, 12), op{"課税台帳照会", "参照"}, w.picks(m, sysTax, d.Day(), 4), 3*time.Minute+17*time.Second)
	w.emitEndpoint(m, end.Add(2*time.Minute), "ログオフ", "", "")
	w.incidents = append(w.incidents, incident(ruleAfterHours, m.id, d.Day(), fmt.Sprintf(
		"%sが、時間外申請のないまま5月21日（水）21:40から%sまで税務システムにログインし、住民4人の課税台帳を照会した。", m.label(), hm(end))))

	// AFTER_HOURS: a 福祉課 clerk before the office opens.
	m = c.earlyWelfare
	d = may(dayEarlyWelfare)
	w.emitEndpoint(m, at(d, 7, 50, 31), "ログオン", "", "")
	end = w.lookups(m.id, m.name, m.pcName(), sysWelfare, at(d, 7, 52, 14), op{"生活保護台帳", "参照"}, w.picks(m, sysWelfare, d.Day(), 3), 3*time.Minute+31*time.Second)
	w.emitEndpoint(m, end.Add(4*time.Minute), "ログオフ", "", "")
	w.incidents = append(w.incidents, incident(ruleAfterHours, m.id, d.Day(), fmt.Sprintf(
		"%sが、始業前の5月27日（火）7:52から%sまで福祉システムにログインし、生活保護台帳を3件参照した。", m.label(), hm(end))))

	// HOLIDAY: ordinary-looking work on a Saturday.
	m = c.saturday
	d = may(daySaturday)
	w.emitEndpoint(m, at(d, 10, 10, 3), "ログオン", "", "")
	w.session(m, sysWelfare, d, []span{{at(d, 10, 12, 40), at(d, 11, 40, 5)}}, 6, false, 0)
	w.emitEndpoint(m, at(d, 11, 44, 50), "ログオフ", "", "")
	w.incidents = append(w.incidents, incident(ruleHoliday, m.id, d.Day(),
		m.label()+"が、閉庁日の5月10日（土）10:12から11:40まで福祉システムを利用し、受給者情報を参照・更新した。"))

	// HOLIDAY: the 振替休日 after こどもの日.
	m = c.furikae
	d = may(dayFurikae)
	w.emitEndpoint(m, at(d, 13, 2, 41), "ログオン", "", "")
	end = w.lookups(m.id, m.name, m.pcName(), sysResident, at(d, 13, 5, 9), op{"住民票照会", "照会"}, c.holidayResidents, 8*time.Minute+37*time.Second)
	w.emitEndpoint(m, end.Add(4*time.Minute), "ログオフ", "", "")
	w.incidents = append(w.incidents, incident(ruleHoliday, m.id, d.Day(), fmt.Sprintf(
		"%sが、閉庁日（振替休日）の5月6日（火）13:05から%sまで住民記録システムで住民8人の住民票を照会した。", m.label(), hm(end))))
	// The counter was closed: nothing in the 受付簿 explains these lookups.
	w.incidents = append(w.incidents, incident(ruleUnmatched, m.id, d.Day(),
		m.label()+"が閉庁日の5月6日に照会した住民8人には、受付簿の受付も住民課の処理もない（受付簿と照合できない照会）。"))

	// UNAUTHORIZED_SYSTEM: a 福祉課 clerk in the tax system, which 福祉課 is
	// not granted, during office hours.
	m = c.unauthTax
	d = may(dayUnauthTax)
	t := at(d, 14, 10, 3)
	tax := shapes[sysTax]
	w.emit(m, sysTax, t, tax.login, "", -1)
	t = t.Add(47 * time.Second)
	w.emit(m, sysTax, t, op{"宛名検索", "検索"}, "", -1)
	for _, s := range w.picks(m, sysTax, d.Day(), 3) {
		t = t.Add(2*time.Minute + 13*time.Second)
		w.emit(m, sysTax, t, op{"個人住民税照会", "照会"}, s, -1)
		t = t.Add(1*time.Minute + 41*time.Second)
		w.emit(m, sysTax, t, op{"納税状況照会", "照会"}, s, -1)
	}
	t = t.Add(4 * time.Minute)
	w.emit(m, sysTax, t, tax.logout, "", -1)
	w.incidents = append(w.incidents, incident(ruleUnauthorized, m.id, d.Day(),
		m.label()+"が、福祉課には権限のない税務システムに5月15日（木）14:10にログインし、住民3人の住民税・納税状況を照会した。"))

	// UNAUTHORIZED_SYSTEM: a 税務課 clerk, granted only 照会 in 住民記録,
	// exports a list from it.
	m = c.unauthExport
	d = may(dayUnauthExport)
	res := shapes[sysResident]
	t = at(d, 15, 18, 26)
	w.emit(m, sysResident, t, res.login, "", -1)
	w.emit(m, sysResident, t.Add(52*time.Second), op{"個人検索", "検索"}, "", -1)
	w.emit(m, sysResident, t.Add(3*time.Minute+8*time.Second), op{"住民票一覧出力", "CSV出力"}, "", 45)
	w.emit(m, sysResident, t.Add(7*time.Minute+40*time.Second), res.logout, "", -1)
	w.incidents = append(w.incidents, incident(ruleUnauthorized, m.id, d.Day(),
		m.label()+"が、照会権限しかない住民記録システムで5月12日（月）15:21に住民票一覧45件をCSV出力した（出力権限なし）。"))

	// RETIRED_ID: the 委託 contractor whose contract ended on 4/30; the
	// account was never removed (兵庫県の委託先の事例: 委託先の監督).
	m = c.retired
	d = may(dayRetired)
	end = w.lookups(m.id, m.name, m.pcName(), sysResident, at(d, 9, 12, 51), op{"住民票照会", "照会"}, w.picks(m, sysResident, d.Day(), 6), 6*time.Minute+11*time.Second)
	w.incidents = append(w.incidents, incident(ruleRetiredID, m.id, d.Day(), fmt.Sprintf(
		"%sは委託契約が2025年4月30日で終了しているが、そのIDで5月13日（火）9:12から%sまで住民記録システムにログインし、住民票を6件照会した。IDが削除されていない。", m.label(), hm(end))))

	// UNKNOWN_ID: accounts that are not in the 職員マスタ.
	d = may(dayUnknownTemp)
	subjects := make([]string, 5)
	for i := range subjects {
		subjects[i] = w.pools[sysResident][w.rng.IntN(len(w.pools[sysResident]))]
	}
	w.lookups(unknownTemp, "", spareCounterPC, sysResident, at(d, 10, 5, 44), op{"住民票照会", "照会"}, subjects, 5*time.Minute+2*time.Second)
	w.incidents = append(w.incidents, incident(ruleUnknownID, unknownTemp, d.Day(),
		"職員マスタにないID「"+unknownTemp+"」が、5月20日（火）10:05に住民課の予備端末（"+spareCounterPC+"）から住民記録システムにログインし、住民票を5件照会した。"))

	d = may(dayUnknownAdmin)
	t = at(d, 15, 30, 18)
	fw := shapes[sysWelfare]
	w.emitAs(unknownAdmin, "", maintenancePC, sysWelfare, t, fw.login, "", -1)
	w.emitAs(unknownAdmin, "", maintenancePC, sysWelfare, t.Add(6*time.Minute+35*time.Second), op{"受給者一覧出力", "CSV出力"}, "", -1) // the welfare log has no record count
	w.emitAs(unknownAdmin, "", maintenancePC, sysWelfare, t.Add(17*time.Minute+50*time.Second), fw.logout, "", -1)
	w.incidents = append(w.incidents, incident(ruleUnknownID, unknownAdmin, d.Day(),
		"職員マスタにない管理者ID「"+unknownAdmin+"」が、5月27日（火）15:30に保守用端末（"+maintenancePC+"）から福祉システムにログインし、受給者一覧をCSV出力した。"))
}

// plantFuture plants the cases of rules not built yet. Their rows are
// ordinary for the five present rules: granted systems, working days,
// inside 勤務時間, accounts in post.
func (w *world) plantFuture(c *cast) {
	// REPEATED_SUBJECT and WATCHLIST: the 兵庫県 case — a tax clerk looks up
	// the addresses and tax records of the same four residents out of
	// curiosity, one of them under DV support measures.
	m := c.curious
	for _, day := range curiosityDays {
		d := may(day)
		w.lookups(m.id, m.name, m.pcName(), sysResident, at(d, 10, 40, 21), op{"住民票照会", "照会"}, c.curiousSubjects, 49*time.Second)
		t := at(d, 10, 46, 2)
		for _, s := range c.curiousSubjects {
			w.emit(m, sysTax, t, op{"個人住民税照会", "照会"}, s, -1)
			t = t.Add(1*time.Minute + 53*time.Second)
		}
		w.future = append(w.future, incident(ruleWatchlist, m.id, day, fmt.Sprintf(
			"%sが、5月%d日、閲覧可能所属でない要注意対象（DV等支援措置）の住民の住民票と住民税を照会した。", m.label(), day)))
	}
	last := curiosityDays[len(curiosityDays)-1]
	w.future = append(w.future, incident(ruleRepeatedSubject, m.id, last, fmt.Sprintf(
		"%sが、業務上の必要なく同じ住民4人の住民票と住民税を5月%d日・%d日・%d日の3日にわたって照会し、更新はしていない（興味本位の閲覧の疑い）。この日に3日目となった。",
		m.label(), curiosityDays[0], curiosityDays[1], curiosityDays[2])))
	w.stories = append(w.stories, PlantedStory{Story: storyCurious, Staff: []string{m.id}, Rule: ruleRepeatedSubject, StaffID: m.id, Date: may(last).Format(time.DateOnly),
		Note: m.name + "が同じ住民4人（うち1人はDV等支援措置の対象）を3日にわたって照会した（兵庫県の事例）。"})

	// BULK_EXPORT: the 岩手県 case — a clerk granted 出力 exports every
	// resident.
	m = c.bulkExport
	d := may(dayBulkExport)
	w.emit(m, sysResident, at(d, 16, 20, 37), op{"住民基本台帳一括出力", "CSV出力"}, "", population)
	w.future = append(w.future, incident(ruleBulkExport, m.id, d.Day(), fmt.Sprintf(
		"%sが、5月23日（金）16:20に住民記録システムから全住民%d件をCSV出力した（出力権限はある）。", m.label(), population)))

	// SELF_LOOKUP: a clerk looks up their own record.
	m = c.self
	d = may(daySelfLookup)
	w.emit(m, sysResident, at(d, 11, 2, 9), op{"住民票照会", "照会"}, m.subject, -1)
	w.future = append(w.future, incident(ruleSelfLookup, m.id, d.Day(),
		m.label()+"が、5月14日（水）11:02に住民記録システムで本人の住民票を照会した。"))

	// BULK_LOOKUP: a welfare clerk who looks up a dozen residents a day
	// looks up 160 in one afternoon.
	m = c.bulkLookup
	d = may(dayBulkLookup)
	w.lookups(m.id, m.name, m.pcName(), sysResident, at(d, 13, 20, 6), op{"住民票照会", "照会"}, w.picks(m, sysResident, d.Day(), 160), 69*time.Second)
	w.future = append(w.future, incident(ruleBulkLookup, m.id, d.Day(),
		m.label()+"が、5月29日（木）13:20から約3時間で住民記録システムの住民票を160人分照会した（普段の数倍）。"),
		incident(ruleUnmatched, m.id, d.Day(),
			m.label()+"が5月29日（木）に照会した住民160人の大半は、福祉課の受付簿にもケースにもない（受付簿と照合できない照会）。"))

	// LOGIN_FAILURE: six failed logins in four minutes before the morning
	// login (written by ordinaryWork through failBurst).
	m = c.loginFail
	w.future = append(w.future, incident(ruleLoginFailure, m.id, dayLoginFailure,
		m.label()+"のIDで、5月16日（金）の朝、税務システムへのログイン失敗が約3分間に6回続いた後にログインした。"))

	// SHARED_ID: the same account in use on two terminals at once.
	m = c.shared
	d = may(daySharedID)
	served := w.picks(m, sysResident, d.Day(), 5)
	for i, s := range served {
		w.receive("住民課", at(d, 13, 28+6*i, 0), s, m.id) // the counter's 受付
	}
	w.lookups(m.id, m.name, spareCounterPC, sysResident, at(d, 13, 30, 26), op{"住民票照会", "照会"}, served, 6*time.Minute+20*time.Second)
	w.future = append(w.future, incident(ruleSharedID, m.id, d.Day(), fmt.Sprintf(
		"%sのIDが、5月28日（水）13:30から自席端末（%s）と窓口予備端末（%s）で同時に使われていた（ID共用の疑い）。", m.label(), m.pcName(), spareCounterPC)))
}
