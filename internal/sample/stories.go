package sample

import (
	"fmt"
	"time"
)

// The stories of issue 12 and their near misses: a borrowed ID, a five-day
// fixation on one resident, a slow rise in lookups, an enumeration of
// 宛名番号, the 岩手 handoff seen as one chain; and, for clean staff, a
// department-wide surge (住民税決定期), caseworkers' weekly lookups of
// their clients, a busy counter clerk meeting a regular three times, an
// export mailed to a colleague who holds the same grant, and a
// certificate print followed by an unrelated mail with meeting papers.

// Story IDs of the rules package (rules.Stories) the sample plants.
const (
	storyHandoff  = "HANDOFF_CHAIN"
	storyTakeout  = "EXPORT_TAKEOUT"
	storyBorrowed = "BORROWED_ID"
	storyCurious  = "CURIOSITY"
	ruleHandoff   = "EXPORT_HANDOFF"
	ruleUnmatched = "UNMATCHED_LOOKUP"
)

// Days of May 2025 of the stories and near misses.
const (
	dayBorrowed    = 9  // Fri: a counter clerk on leave, the ID used on a colleague's PC
	dayEnumeration = 28 // Wed: a tax clerk walks through 宛名番号
	dayHandoffOK   = 15 // Thu: an export mailed to a colleague with the grant
	dayCertMail    = 21 // Wed: a certificate, then meeting papers by mail
)

// fixationDays are the five days a 住民課 clerk looks up the same resident.
var fixationDays = []int{12, 13, 14, 15, 16}

// quietDays are the two days a 住民課 clerk looks up a resident with whom
// 住民課 has no business: curiosity with no other sign.
var quietDays = []int{8, 21}

// surgeDays are 住民税決定期's busiest days: every tax clerk looks up 55–85
// residents (特別徴収税額の確認).
var surgeDays = []int{19, 20}

// slowFrom is the first day of the slow rise: from the week of 5/12 on, a
// 健康保険課 clerk looks up 52–60 residents a day instead of 3–18.
const slowFrom = 12

// tagSlowRise marks the clerk of the slow rise.
const tagSlowRise = "slowRise"

// regularDays are the days a busy counter clerk serves the same regular.
var regularDays = []int{8, 19, 29}

// storyCast names the staff of the stories and of their near misses.
type storyCast struct {
	owner, user  *member // the borrowed ID and the colleague at whose PC it was used
	fixation     *member // 住民課: five days on one resident
	slow         *member // 健康保険課: the slow rise
	enumerator   *member // 税務課: walks through 宛名番号
	fixSubject   string
	quiet        *member // 住民課: looks a resident up on two days, nothing else unusual
	quietSubject string

	// Clean near misses.
	caseworkers      []*member // 福祉課: weekly lookups of their clients
	clients          map[*member][]string
	regular          *member // 住民課 counter: meets a regular three times
	regularSubject   string
	exporter, holder *member // 住民課: an export to a colleague with the grant
	certClerk, paper *member // 税務課 prints a certificate; 企画課 receives meeting papers
}

// castStories chooses who the stories happen to and the clean staff of
// their near misses.
func (w *world) castStories(c *cast, take func(dept string, r role, need func(*member) bool) *member) *storyCast {
	s := &storyCast{clients: map[*member][]string{}}
	s.owner = take("住民課", roleWindow, func(m *member) bool { return m.emp == empRegular || m.emp == empFiscal })
	s.user = take("住民課", roleWindow, nil)
	s.fixation = take("住民課", roleClerk, nil)
	s.slow = take("健康保険課", roleClerk, nil)
	s.slow.tag = tagSlowRise
	s.enumerator = take("税務課", roleClerk, nil)
	s.quiet = take("住民課", roleClerk, nil)
	for _, d := range quietDays {
		s.quiet.mustWork[d] = true
	}
	s.quietSubject = w.freshResident()
	s.owner.off[dayBorrowed] = true
	s.user.mustWork[dayBorrowed] = true
	for _, d := range fixationDays {
		s.fixation.mustWork[d] = true
	}
	s.slow.mustWork[30] = true
	for d := 1; d < slowFrom; d++ {
		s.slow.mustWork[d] = true // a history before the rise
	}
	s.enumerator.mustWork[dayEnumeration] = true
	s.fixSubject = w.freshResident()
	return s
}

// castNearMisses chooses the clean staff of the near misses; they stay
// clean (not planted) and get a tag so nothing else is built on them.
func (w *world) castNearMisses(s *storyCast) {
	pick := func(dept string, r role, need func(*member) bool) *member {
		for _, i := range w.rng.Perm(len(w.staff)) {
			m := w.staff[i]
			if m.dept == dept && m.role == r && m.tag == "" && !m.planted && m.activeAllMonth() && (need == nil || need(m)) {
				m.tag = "nearMiss"
				return m
			}
		}
		return nil
	}
	for range 2 {
		if m := pick("福祉課", roleClerk, func(m *member) bool {
			return m.title == "社会福祉士" || m.title == "相談支援員" || m.title == "主査"
		}); m != nil {
			s.caseworkers = append(s.caseworkers, m)
			for range 4 {
				s.clients[m] = append(s.clients[m], w.freshResident())
			}
		}
	}
	if s.regular = pick("住民課", roleWindow, nil); s.regular != nil {
		s.regularSubject = w.freshResident()
		for _, d := range regularDays {
			s.regular.mustWork[d] = true
		}
	}
	if s.exporter = pick("住民課", roleClerk, nil); s.exporter != nil {
		s.exporter.mustWork[dayHandoffOK] = true
	}
	s.holder = pick("住民課", roleClerk, nil)
	if s.certClerk = pick("税務課", roleClerk, nil); s.certClerk != nil {
		s.certClerk.mustWork[dayCertMail] = true
	}
	s.paper = pick("企画課", roleNone, nil)
}

// works reports whether m is at work on day d of May.
func (w *world) works(m *member, d int) bool {
	return !m.off[d] && m.active(may(d)) && !w.cal.IsClosed(may(d))
}

// plantStories writes the stories' rows and records them.
func (w *world) plantStories(c *cast, s *storyCast) {
	// BORROWED_ID: the counter clerk is on leave; a colleague serves the
	// counter from their own PC with the absent clerk's ID (their own was
	// locked after failed passwords, they say).
	o, u := s.owner, s.user
	d := may(dayBorrowed)
	served := w.picks(o, sysResident, d.Day(), 6)
	for i, r := range served {
		w.receive("住民課", at(d, 10, 3+4*i, 30), r, o.id) // at the counter, under the absent clerk's name
	}
	end := w.lookups(o.id, o.name, u.pcName(), sysResident, at(d, 10, 5, 14), op{"住民票照会", "照会"}, served, 4*time.Minute+11*time.Second)
	w.future = append(w.future,
		incident(ruleSharedID, o.id, d.Day(), fmt.Sprintf("%sは5月9日（金）に休暇でパソコンへのログオンもないのに、そのIDが同僚%sのログオン中の端末（%s）で10:05から%sまで使われ、住民票が6件照会された（IDの貸し借り）。", o.label(), u.name, u.pcName(), hm(end))),
		incident(ruleSharedID, u.id, d.Day(), fmt.Sprintf("%sが自分でログオンしている端末（%s）で、5月9日（金）10:05から%sまで、休暇中の同僚%s（%s）のIDで住民記録システムが使われた（IDの貸し借り）。", u.label(), u.pcName(), hm(end), o.name, o.id)))
	w.stories = append(w.stories, PlantedStory{Story: storyBorrowed, Staff: []string{o.id, u.id}, Rule: ruleSharedID, StaffID: o.id, Date: may(dayBorrowed).Format(time.DateOnly),
		Note: fmt.Sprintf("休暇中の%sのIDが、同僚%sの端末で使われた。", o.name, u.name)})

	// REPEATED_SUBJECT: a five-day fixation on one resident, no update.
	m := s.fixation
	for _, day := range fixationDays {
		dd := may(day)
		t := at(dd, 10, 50+day%5, 7)
		w.emit(m, sysResident, t, op{"住民票照会", "照会"}, s.fixSubject, -1)
		w.emit(m, sysResident, t.Add(48*time.Second), op{"履歴照会", "参照"}, s.fixSubject, -1)
	}
	last := fixationDays[len(fixationDays)-1]
	w.future = append(w.future, incident(ruleRepeatedSubject, m.id, last, fmt.Sprintf(
		"%sが、業務上の手続きのない同じ住民1人の住民票と履歴を、5月12日から16日まで5日続けて照会した（興味本位の閲覧の疑い、偶然ではまず起こらない）。", m.label())),
		incident(ruleUnmatched, m.id, last, fmt.Sprintf(
			"%sが5日続けて照会した住民には、受付簿の受付も住民課の処理もない（受付簿と照合できない照会）。", m.label())))
	w.stories = append(w.stories, PlantedStory{Story: storyCurious, Staff: []string{m.id}, Rule: ruleRepeatedSubject, StaffID: m.id, Date: may(last).Format(time.DateOnly),
		Note: m.name + "が同じ住民を5日続けて照会した。"})

	// UNMATCHED_LOOKUP alone: curiosity with no other sign — a resident
	// looked up twice, in office hours, with no 受付 and no processing by
	// 住民課 (the commonest real incident, 興味本位の閲覧).
	m = s.quiet
	for _, day := range quietDays {
		w.emit(m, sysResident, at(may(day), 10, 31, 44), op{"住民票照会", "照会"}, s.quietSubject, -1)
	}
	qd := quietDays[len(quietDays)-1]
	w.future = append(w.future, incident(ruleUnmatched, m.id, qd, fmt.Sprintf(
		"%sが、受付簿の受付も住民課の処理もない同じ住民1人の住民票を、5月%d日と%d日の勤務時間中に照会した（ほかの兆候のない興味本位の閲覧）。", m.label(), quietDays[0], qd)))
	w.stories = append(w.stories, PlantedStory{Story: storyCurious, Staff: []string{m.id}, Rule: ruleUnmatched, StaffID: m.id, Date: may(qd).Format(time.DateOnly),
		Note: m.name + "が業務の記録のない住民を2日照会した。"})

	// BULK_LOOKUP, slow kind: from the week of 5/12 on, 52–60 residents a
	// day (ordinaryWork): no day is three times the clerk's usual, so the
	// daily kind stays quiet.
	m = s.slow
	lastDay := 0
	for _, day := range w.days {
		if day.Day() >= slowFrom && w.works(m, day.Day()) {
			lastDay = day.Day()
		}
	}
	w.future = append(w.future, incident(ruleBulkLookup, m.id, lastDay, fmt.Sprintf(
		"%sの照会が、5月12日の週から1日あたり3〜18人から52〜60人へと3週続けて増えた。どの日もふだんの3倍には届かないが、それまでの多めの日や同じ所属の同僚の2倍を超える（じわじわ増える型の大量照会）。", m.label())))

	// BULK_LOOKUP, enumeration: 25 neighbouring 宛名番号 in a row.
	m = s.enumerator
	d = may(dayEnumeration)
	run := w.neighbours(m, 25)
	t := at(d, 14, 10, 31)
	for _, r := range run {
		w.emit(m, sysTax, t, op{"課税台帳照会", "参照"}, r, -1)
		t = t.Add(37 * time.Second)
	}
	w.future = append(w.future, incident(ruleBulkLookup, m.id, d.Day(), fmt.Sprintf(
		"%sが、5月28日（水）14:10から宛名番号%s〜%sの住民25人を番号順に続けて課税台帳照会した（番号順の照会、名簿づくりの疑い）。", m.label(), run[0], run[len(run)-1])))
}

// neighbours returns n residents with consecutive 宛名番号 that m has not
// looked up and nothing special uses, and marks them seen by m.
func (w *world) neighbours(m *member, n int) []string {
	for {
		i := w.rng.IntN(len(w.residents) - n)
		ok := true
		for _, r := range w.residents[i : i+n] {
			if w.used[r] || m.seen[r] != 0 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		out := append([]string(nil), w.residents[i:i+n]...)
		for _, r := range out {
			w.used[r] = true
			m.seen[r] = 1 << dayEnumeration
		}
		return out
	}
}

// plantNearMisses writes the clean staff's near misses.
func (w *world) plantNearMisses(s *storyCast) {
	// Caseworkers look up each client once a week and update each client
	// once in the month: repeated lookups, but with business.
	for _, m := range s.caseworkers {
		week := -1
		updated := map[string]bool{}
		for _, day := range w.days {
			wk := (day.Day() + 2) / 7 // weeks of May from Monday (5/1 is a Thursday)
			if wk == week || !w.works(m, day.Day()) {
				continue
			}
			week = wk
			t := at(day, 10, 2, 11)
			for _, cl := range s.clients[m] {
				w.emit(m, sysWelfare, t, op{"生活保護台帳", "参照"}, cl, -1)
				t = t.Add(2*time.Minute + 5*time.Second)
				if !updated[cl] && day.Day() >= 12 {
					updated[cl] = true
					w.emit(m, sysWelfare, t, op{"相談記録入力", "登録"}, cl, -1)
					t = t.Add(3 * time.Minute)
				}
			}
		}
	}
	// A regular comes to the busy counter on three days: chance for a
	// clerk who serves 150 a day.
	if m := s.regular; m != nil {
		for _, day := range regularDays {
			w.receive("住民課", at(may(day), 13, 58, 0), s.regularSubject, m.id)
			w.emit(m, sysResident, at(may(day), 14, 2, 40), op{"住民票照会", "照会"}, s.regularSubject, -1)
		}
	}
	// An export mailed to a colleague who holds the same grant.
	if a, b := s.exporter, s.holder; a != nil && b != nil {
		d := may(dayHandoffOK)
		w.emit(a, sysResident, at(d, 14, 20, 5), op{"異動者一覧出力", "CSV出力"}, "", 120)
		w.emitMail(a, at(d, 14, 32, 40), b.mail, "異動者一覧（確認依頼）", "異動者一覧_0515.csv", 18342)
	}
	// A certificate print, then meeting papers mailed to 企画課.
	if a, b := s.certClerk, s.paper; a != nil && b != nil {
		d := may(dayCertMail)
		subject := w.pick(a, sysTax, dayCertMail, true)
		w.emit(a, sysTax, at(d, 10, 15, 0), op{"課税台帳照会", "参照"}, subject, -1)
		w.emit(a, sysTax, at(d, 10, 16, 0), op{"所得証明書発行", "印刷"}, subject, 1)
		w.emitMail(a, at(d, 10, 40, 22), b.mail, "会議資料の送付", "会議資料.pdf", 412330)
	}
}
