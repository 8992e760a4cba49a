package sample

import (
	"slices"
	"time"
)

// op is one kind of log row: the function (機能名/画面名/処理名) and the
// action as the system writes it.
type op struct{ function, action string }

// shape describes the ordinary tasks of one system: a task is an optional
// search, a lookup of one resident, perhaps a second screen about them, and
// sometimes an update or a printed certificate.
type shape struct {
	login, logout, fail op
	search              []op
	searchP             float64
	lookup              []op
	extraP              float64
	update              []op
	updateP             float64
	print               []op
	printP              float64
	batch               op // a list export of a few hundred records at most
	batchMin, batchMax  int
	batchP              float64
}

// shapes holds the ordinary work of each system.
var shapes = map[string]*shape{
	sysResident: {
		login: op{"認証", "ログイン"}, logout: op{"認証", "ログアウト"}, fail: op{"認証", "ログイン失敗"},
		search: []op{{"個人検索", "検索"}, {"世帯検索", "検索"}}, searchP: 0.4,
		lookup: []op{{"住民票照会", "照会"}, {"住民票照会", "照会"}, {"世帯照会", "照会"}, {"履歴照会", "参照"}}, extraP: 0.25,
		update:  []op{{"異動届入力", "更新"}, {"転入届入力", "登録"}, {"転居届入力", "更新"}, {"記載事項修正", "更新"}},
		updateP: 0.1,
		print:   []op{{"住民票写し発行", "帳票"}, {"住民票写し発行", "帳票"}, {"印鑑登録証明書発行", "印刷"}},
		printP:  0.05,
		batch:   op{"異動者一覧出力", "CSV出力"}, batchMin: 20, batchMax: 300, batchP: 0.15,
	},
	sysTax: {
		login: op{"ログイン", "ログイン"}, logout: op{"ログイン", "ログアウト"}, fail: op{"ログイン", "ログイン失敗"},
		search: []op{{"宛名検索", "検索"}}, searchP: 0.35,
		lookup: []op{{"個人住民税照会", "照会"}, {"課税台帳照会", "参照"}, {"固定資産税照会", "照会"}, {"納税状況照会", "照会"}}, extraP: 0.3,
		update:  []op{{"課税更正入力", "更新"}, {"申告書登録", "登録"}, {"収納消込", "更新"}},
		updateP: 0.15,
		print:   []op{{"納税通知書発行", "帳票"}, {"所得証明書発行", "印刷"}},
		printP:  0.1,
		batch:   op{"滞納者一覧出力", "CSV出力"}, batchMin: 50, batchMax: 400, batchP: 0.1,
	},
	sysWelfare: {
		login: op{"システム認証", "ログイン"}, logout: op{"システム認証", "ログアウト"}, fail: op{"システム認証", "ログイン失敗"},
		search: []op{{"受給者検索", "検索"}}, searchP: 0.35,
		lookup: []op{{"生活保護台帳", "参照"}, {"障害者手帳管理", "参照"}, {"児童手当照会", "照会"}, {"介護保険資格照会", "照会"}}, extraP: 0.25,
		update:  []op{{"相談記録入力", "登録"}, {"受給者情報更新", "更新"}},
		updateP: 0.2,
		print:   []op{{"支給決定通知書", "印刷"}},
		printP:  0.08,
		batch:   op{"受給者一覧出力", "CSV出力"}, batchMin: 30, batchMax: 300, batchP: 0.1,
	},
}

// The ordinary working window: everyone logs in at 08:35 or later and out
// at 17:05 or earlier, well inside the 08:30–17:15 of the hearing sheet.
// Incidents inserted into an ordinary session use times inside
// [09:20, 11:45] or [13:15, 16:35], which every session covers.
const (
	firstLogin = 8*time.Hour + 35*time.Minute
	lastLogout = 17*time.Hour + 5*time.Minute
	failGap    = 35 * time.Second // between a failed login and the next try
)

// span is one login-to-logout session.
type span struct{ from, to time.Time }

// rangeTime returns a time between day+lo and day+hi at a whole second.
func (w *world) rangeTime(day time.Time, lo, hi time.Duration) time.Time {
	return day.Add(lo + time.Duration(w.rng.Int64N(int64((hi-lo)/time.Second)+1))*time.Second)
}

func (w *world) pickOp(ops []op) op { return ops[w.rng.IntN(len(ops))] }

// emit appends a row by member m from its own terminal.
func (w *world) emit(m *member, sys string, t time.Time, o op, subject string, records int) {
	w.emitAs(m.id, m.name, m.terminal(sys), sys, t, o, subject, records)
}

// emitAs appends a row for any account, including ones absent from the master.
func (w *world) emitAs(id, name, terminal, sys string, t time.Time, o op, subject string, records int) {
	w.seq++
	w.rows = append(w.rows, row{t: t, seq: w.seq, sys: sys, id: id, name: name, terminal: terminal,
		function: o.function, action: o.action, subject: subject, records: records})
}

// ordinaryWork generates m's normal month.
func (w *world) ordinaryWork(m *member) {
	w.holidayWork(m)
	for _, d := range w.days {
		if t := m.transfer; t != nil && !d.Before(t.day) && m.dept != t.toDept {
			// The 異動 takes effect even when the day itself is a day off.
			m.dept, m.systems, m.perms, m.subnet = t.toDept, t.systems, t.perms, t.subnet
		}
		if !m.active(d) || m.off[d.Day()] {
			continue
		}
		w.officeDay(m, d)
		if m.role == roleNone || len(m.systems) == 0 {
			continue
		}
		w.overtimeWork(m, d)
		main := m.systems[0]
		switch m.role {
		case roleWindow:
			w.mainDay(m, main, d, 100+w.rng.IntN(101), true)
		case roleClerk:
			tasks := 3 + w.rng.IntN(16)
			if m.dept == "税務課" && slices.Contains(surgeDays, d.Day()) {
				// 住民税決定期: the whole department checks 特別徴収.
				tasks += 55 + w.rng.IntN(31)
			}
			if m.tag == tagSlowRise && d.Day() >= slowFrom {
				// The slow rise: from the week of 5/12 on, 52–60 residents
				// a day — every day, but never three times the usual.
				tasks = 52 + w.rng.IntN(9)
			}
			w.mainDay(m, main, d, tasks, false)
		case roleManager:
			if w.rng.Float64() < 0.6 {
				from := w.rangeTime(d, 9*time.Hour, 15*time.Hour)
				to := from.Add(time.Duration(20+w.rng.IntN(70)) * time.Minute)
				w.session(m, main, d, []span{{from, to}}, 1+w.rng.IntN(5), false, 0)
			}
		}
		secondaryP := 0.4
		if m.role == roleManager {
			secondaryP = 0.1
		}
		for _, sys := range m.systems[1:] {
			if m.noSecondary[d.Day()] || w.rng.Float64() >= secondaryP {
				continue
			}
			from := w.rangeTime(d, 9*time.Hour+30*time.Minute, 15*time.Hour+30*time.Minute)
			to := from.Add(time.Duration(10+w.rng.IntN(51)) * time.Minute)
			w.session(m, sys, d, []span{{from, to}}, 1+w.rng.IntN(6), false, 0)
		}
	}
}

// mainDay is a full working day in m's main system: one session from the
// morning to the evening, or two with a logout over lunch.
func (w *world) mainDay(m *member, sys string, d time.Time, tasks int, window bool) {
	burst := 0
	if m.failBurst == d.Day() {
		burst = 6
	} else if w.rng.Float64() < 0.03 {
		burst = 1 // a mistyped password now and then
	}
	// Failed logins precede the login by 35 seconds each; they too stay
	// after firstLogin.
	earliest := firstLogin + time.Duration(burst)*failGap
	login := w.rangeTime(d, earliest, 9*time.Hour+15*time.Minute)
	logout := w.rangeTime(d, 16*time.Hour+40*time.Minute, lastLogout)
	spans := []span{{login, logout}}
	if w.rng.IntN(2) == 0 {
		lunchOut := w.rangeTime(d, 11*time.Hour+50*time.Minute, 12*time.Hour+10*time.Minute)
		lunchIn := w.rangeTime(d, 12*time.Hour+50*time.Minute, 13*time.Hour+10*time.Minute)
		spans = []span{{login, lunchOut}, {lunchIn, logout}}
	}
	batch := !window && m.perms[sys].output && w.rng.Float64() < shapes[sys].batchP
	w.session(m, sys, d, spans, tasks, window, burst)
	if batch {
		sh := shapes[sys]
		t := w.inside(d, spans, 10*time.Minute)
		w.emit(m, sys, t, sh.batch, "", sh.batchMin+w.rng.IntN(sh.batchMax-sh.batchMin+1))
	}
}

// inside returns a random time at least margin after a login and before
// a logout of spans, weighted by the spans' lengths, thinner over lunch.
func (w *world) inside(d time.Time, spans []span, margin time.Duration) time.Time {
	var total time.Duration
	for _, s := range spans {
		total += s.to.Sub(s.from) - 2*margin
	}
	for {
		x := time.Duration(w.rng.Int64N(int64(total/time.Second))) * time.Second
		var t time.Time
		for _, s := range spans {
			l := s.to.Sub(s.from) - 2*margin
			if x < l {
				t = s.from.Add(margin + x)
				break
			}
			x -= l
		}
		if h := t.Sub(d); h >= 12*time.Hour && h < 13*time.Hour && w.rng.Float64() < 0.7 {
			continue // most people are at lunch
		}
		return t
	}
}

// session writes login, tasks and logout for each span; burst failed logins
// precede the first login by a few seconds each.
func (w *world) session(m *member, sys string, d time.Time, spans []span, tasks int, window bool, burst int) {
	sh := shapes[sys]
	first := spans[0].from
	for i := range burst {
		w.emit(m, sys, first.Add(-time.Duration(burst-i)*failGap), sh.fail, "", -1)
	}
	for _, s := range spans {
		w.emit(m, sys, s.from, sh.login, "", -1)
		w.emit(m, sys, s.to, sh.logout, "", -1)
	}
	// A task takes at most four steps of 45 seconds, so starting it four
	// minutes inside a session (every session lasts ten minutes or more)
	// keeps all its rows between the login and the logout.
	for range tasks {
		t := w.inside(d, spans, 4*time.Minute)
		w.task(m, sys, t, d.Day(), window)
	}
}

// task is one piece of work on one resident starting at t.
func (w *world) task(m *member, sys string, t time.Time, day int, window bool) {
	sh := shapes[sys]
	p := m.perms[sys]
	step := func() { t = t.Add(time.Duration(5+w.rng.IntN(40)) * time.Second) }
	if !p.read {
		return
	}
	searchP, extraP, updateP, printP := sh.searchP, sh.extraP, sh.updateP, sh.printP
	if window {
		// The counter knows whom it serves and issues certificates all day.
		searchP, extraP, updateP, printP = 0.2, 0.15, 0.12, 0.35
	}
	if w.rng.Float64() < searchP {
		w.emit(m, sys, t, w.pickOp(sh.search), "", -1)
		step()
	}
	pool := sys
	if m.dept == "福祉課" {
		pool = sysWelfare // caseworkers look up their clients in every system
	}
	subject := w.pick(m, pool, day, window) // the counter serves a new resident each time
	start := t
	w.emit(m, sys, t, w.pickOp(sh.lookup), subject, -1)
	step()
	if w.rng.Float64() < extraP {
		w.emit(m, sys, t, w.pickOp(sh.lookup), subject, -1)
		step()
	}
	processed := false
	if p.update && w.rng.Float64() < updateP {
		w.emit(m, sys, t, w.pickOp(sh.update), subject, -1)
		step()
		processed = true
	}
	if p.output && w.rng.Float64() < printP {
		w.emit(m, sys, t, w.pickOp(sh.print), subject, 1)
		processed = true
	}
	w.business(m, start, day, subject, window, processed)
}
