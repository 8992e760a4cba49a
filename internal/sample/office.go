package sample

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The office side of the town: every PC logon (資産管理 log), the mail the
// staff send (mail log), the approved overtime, a 異動 in the middle of the
// month, and the incidents that need these logs.

// Days of May 2025 for the clean near misses.
const (
	dayOvertimeA  = 20 // Tue: a 住民課 clerk works until 18:40 with approval
	dayOvertimeB  = 22 // Thu: a 福祉課 clerk likewise
	daySaturdayOK = 17 // Sat: a 税務課 clerk works on a Saturday with approval
)

// usbDaysOK are the days the permitted USB user copies a file in hours.
var usbDaysOK = []int{13, 27}

// castClean chooses the clean staff whose month has something a careless
// rule would flag: approved overtime, a Saturday with approval, a
// permitted USB user and a transfer.
func (w *world) castClean() {
	pick := func(dept string, r role, need func(*member) bool) *member {
		var cands []*member
		for _, m := range w.staff {
			if m.dept == dept && m.role == r && m.tag == "" && !m.planted && m.activeAllMonth() && (need == nil || need(m)) {
				cands = append(cands, m)
			}
		}
		if len(cands) == 0 {
			return nil
		}
		return cands[w.rng.IntN(len(cands))]
	}
	if m := pick("住民課", roleClerk, nil); m != nil {
		m.tag = "overtime"
		m.overtime[dayOvertimeA] = [2]time.Duration{17*time.Hour + 15*time.Minute, 19 * time.Hour}
		m.mustWork[dayOvertimeA] = true
	}
	if m := pick("福祉課", roleClerk, nil); m != nil {
		m.tag = "overtime"
		m.overtime[dayOvertimeB] = [2]time.Duration{17*time.Hour + 15*time.Minute, 19 * time.Hour}
		m.mustWork[dayOvertimeB] = true
	}
	if m := pick("税務課", roleClerk, nil); m != nil {
		m.tag = "overtime"
		m.overtime[daySaturdayOK] = [2]time.Duration{9 * time.Hour, 12 * time.Hour}
	}
	if m := pick("会計課", roleClerk, func(m *member) bool { return m.usb }); m != nil {
		for _, d := range usbDaysOK {
			m.usbDays[d] = true
			m.mustWork[d] = true
		}
	}
	var welfare *member
	for _, m := range w.staff {
		if m.dept == "福祉課" && m.role == roleClerk {
			welfare = m
			break
		}
	}
	if m := pick("税務課", roleClerk, func(m *member) bool { return m.emp == empRegular }); m != nil && welfare != nil {
		m.tag = tagTransfer
		m.transfer = &transfer{day: may(dayTransfer), fromDept: m.dept, toDept: welfare.dept,
			fromSystems: m.systems, systems: welfare.systems, perms: welfare.perms, subnet: welfare.subnet}
	}
}

// deptOn returns m's department on day d (a 異動 changes it).
func (m *member) deptOn(d time.Time) string {
	if t := m.transfer; t != nil {
		if d.Before(t.day) {
			return t.fromDept
		}
		return t.toDept
	}
	return m.dept
}

// colleague returns another member of m's department on day d (m itself
// when alone).
func (w *world) colleague(m *member, d time.Time) *member {
	var same []*member
	for _, x := range w.staff {
		if x != m && x.deptOn(d) == m.deptOn(d) && x.activeAllMonth() {
			same = append(same, x)
		}
	}
	if len(same) == 0 {
		return m
	}
	return same[w.rng.IntN(len(same))]
}

// emitEndpoint appends a row of the 資産管理 log.
func (w *world) emitEndpoint(m *member, t time.Time, event, device, file string) {
	w.seq++
	w.rows = append(w.rows, row{t: t, seq: w.seq, sys: sysEndpoint, id: m.win, name: m.name, terminal: m.pcName(),
		action: event, device: device, file: file, records: -1})
}

// emitMail appends a row of the mail log.
func (w *world) emitMail(m *member, t time.Time, to, subject, attach string, size int) {
	w.seq++
	w.rows = append(w.rows, row{t: t, seq: w.seq, sys: sysMail, id: m.mail, name: m.name,
		function: subject, mailTo: to, attach: attach, size: size, records: -1})
}

// Ordinary files and mails.
var (
	localFiles    = []string{"起案文書.docx", "集計表.xlsx", "会議資料.pptx", "回覧.pdf", "予算要求書.xlsx", "議事録.docx"}
	mailSubjects  = []string{"会議日程の件", "資料送付", "照会への回答", "打合せの件", "ご連絡", "報告"}
	mailAttach    = []string{"会議資料.pdf", "回答書.docx", "日程表.xlsx", "報告書.pdf"}
	partnerAttach = []string{"相談記録票.pdf", "受付件数報告.xlsx", "業務日報.xlsx"}
)

// officeDay writes m's PC logon and logoff, a few local files and prints,
// permitted USB copies and the day's mail: all inside the working hours
// (or an approved overtime window), from m's own PC and account.
func (w *world) officeDay(m *member, d time.Time) {
	logon := w.rangeTime(d, 8*time.Hour+31*time.Minute, 8*time.Hour+34*time.Minute)
	if m.role == roleNone {
		logon = w.rangeTime(d, 8*time.Hour+31*time.Minute, 9*time.Hour+10*time.Minute)
	}
	logoff := w.rangeTime(d, 17*time.Hour+6*time.Minute, 17*time.Hour+14*time.Minute)
	if ot, ok := m.overtime[d.Day()]; ok {
		logoff = d.Add(ot[1] - 5*time.Minute)
	}
	w.emitEndpoint(m, logon, "ログオン", "", "")
	w.emitEndpoint(m, logoff, "ログオフ", "", "")
	for range w.rng.IntN(3) {
		t := w.rangeTime(d, 9*time.Hour+30*time.Minute, 16*time.Hour+30*time.Minute)
		f := localFiles[w.rng.IntN(len(localFiles))]
		if w.rng.IntN(3) == 0 {
			w.emitEndpoint(m, t, "印刷", "", f)
		} else {
			w.emitEndpoint(m, t, "ファイル作成", "", `C:\Users\`+m.win+`\Documents\`+f)
		}
	}
	if m.usbDays[d.Day()] {
		t := at(d, 10, 18, 12)
		w.emitEndpoint(m, t, "USB接続", "USBメモリ(E:)", "")
		w.emitEndpoint(m, t.Add(2*time.Minute+4*time.Second), "ファイル書込", "USBメモリ(E:)", `E:\会計資料\支出負担行為_5月.xlsx`)
	}
	if w.rng.Float64() >= 0.35 {
		return
	}
	for range 1 + w.rng.IntN(2) {
		t := w.rangeTime(d, 9*time.Hour+30*time.Minute, 16*time.Hour+30*time.Minute)
		subject := mailSubjects[w.rng.IntN(len(mailSubjects))]
		switch {
		case m.dept == "福祉課" && w.rng.IntN(2) == 0:
			w.emitMail(m, t, "soudan@"+shakyoDomain, "相談記録の送付", partnerAttach[w.rng.IntN(len(partnerAttach))], 20000+w.rng.IntN(200000))
		case m.dept == "住民課" && w.rng.IntN(2) == 0:
			w.emitMail(m, t, "madoguchi@"+itakuDomain, "窓口業務の連絡", partnerAttach[w.rng.IntN(len(partnerAttach))], 10000+w.rng.IntN(80000))
		case m.dept == "建設課" && w.rng.IntN(2) == 0:
			w.emitMail(m, t, "koji@"+vendorDomain, "工事打合せの日程", "", 0) // outside, but no attachment
		default:
			to := w.staff[w.rng.IntN(len(w.staff))].mail
			if w.rng.IntN(5) == 0 {
				to += "; " + w.staff[w.rng.IntN(len(w.staff))].mail
			}
			attach, size := "", 0
			if w.rng.IntN(5) < 2 {
				attach, size = mailAttach[w.rng.IntN(len(mailAttach))], 30000+w.rng.IntN(500000)
				if strings.HasSuffix(attach, ".xlsx") {
					// A spreadsheet (a team's schedule) goes to colleagues of
					// the same department; papers go anywhere.
					to = w.colleague(m, d).mail
				}
			}
			w.emitMail(m, t, to, subject, attach, size)
		}
	}
}

// overtimeWork writes an approved overtime session in m's main system on
// day d, inside the approved window.
func (w *world) overtimeWork(m *member, d time.Time) {
	ot, ok := m.overtime[d.Day()]
	if !ok || len(m.systems) == 0 {
		return
	}
	from, to := d.Add(ot[0]+10*time.Minute), d.Add(ot[1]-20*time.Minute)
	w.session(m, m.systems[0], d, []span{{from, to}}, 3+w.rng.IntN(4), false, 0)
}

// holidayWork is the approved Saturday: a short session and a PC logon.
func (w *world) holidayWork(m *member) {
	for day, ot := range m.overtime {
		d := may(day)
		if !w.cal.IsClosed(d) || len(m.systems) == 0 {
			continue
		}
		w.emitEndpoint(m, d.Add(ot[0]+5*time.Minute), "ログオン", "", "")
		w.session(m, m.systems[0], d, []span{{d.Add(ot[0] + 20*time.Minute), d.Add(ot[1] - 40*time.Minute)}}, 4, false, 0)
		w.emitEndpoint(m, d.Add(ot[1]-10*time.Minute), "ログオフ", "", "")
	}
}

// plantTakeouts plants the 岩手 and 釜石 cases.
func (w *world) plantTakeouts(c *cast) {
	// 岩手: clerk A (企画課, no right to resident data, no USB permission)
	// has colleague B export every resident (BULK_EXPORT, planted with the
	// future cases), receives the file by internal mail, copies it to a
	// USB stick, and — as the inspection's approver — has B excluded.
	a, b := c.asker, c.bulkExport
	d := may(dayBulkExport)
	w.emitMail(b, at(d, 16, 31, 12), a.mail, "住民一覧（依頼分）", "住民基本台帳_全件.csv", 3874112)
	w.emitEndpoint(a, at(d, 16, 47, 5), "USB接続", "USBメモリ(E:)", "")
	w.emitEndpoint(a, at(d, 16, 48, 30), "ファイル書込", "USBメモリ(E:)", `E:\住民基本台帳_全件.csv`)
	w.future = append(w.future, incident(ruleDeviceWrite, a.id, d.Day(), fmt.Sprintf(
		"%sが、外部媒体の利用を認められていないのに、5月23日（金）16:48に自席の端末（%s、Windowsアカウント %s）でUSBメモリへ全住民のデータ（同僚が16:20に出力し16:31にメールで送ったもの）を書き込んだ（岩手県の事例）。",
		a.label(), a.pcName(), a.win)),
		incident(ruleHandoff, a.id, d.Day(), fmt.Sprintf(
			"%sが、住民記録システムの権限がないのに、同僚%s（%s）が16:20に出力した全住民のCSVを16:31に庁内メールで受け取り、17分後にUSBメモリへ書き込んだ（岩手県の事例）。", a.label(), b.name, b.id)),
		Incident{Rule: ruleHandoff, StaffID: b.id, Date: d.Format(time.DateOnly), Excluded: true, Note: fmt.Sprintf(
			"%sが、5月23日（金）16:20に出力した全住民のCSVを、11分後に住民記録システムの権限のない%s（%s）へ庁内メールで送った（岩手県の事例、この職員は点検の対象から除外されている）。", b.label(), a.name, a.id)})
	w.stories = append(w.stories, PlantedStory{Story: storyHandoff, Staff: []string{b.id, a.id}, Rule: ruleHandoff, StaffID: b.id, Date: d.Format(time.DateOnly),
		Note: fmt.Sprintf("%sが全住民を出力し、庁内メールで%sに渡し、%sがUSBメモリに書き込んだ（岩手県の事例）。", b.name, a.name, a.name)})
	for i := range w.future {
		if w.future[i].Rule == ruleBulkExport && w.future[i].StaffID == b.id {
			w.future[i].Excluded = true
			w.future[i].Note += fmt.Sprintf("依頼した%sが、この職員を点検の対象から除外させていた（除外されても検出結果には残る）。", a.name)
		}
	}
	w.exclusions = append(w.exclusions, Exclusion{StaffID: b.id,
		Reason: "システム移行作業の担当者で、作業による大量の出力が多いため点検の対象から外す", By: a.name})
	a.planted = true

	// 釜石: a tax clerk exports the list of delinquent taxpayers and mails
	// it to a personal free-mail address 23 minutes later.
	m := c.mailer
	d = may(dayMailHome)
	w.emit(m, sysTax, at(d, 15, 42, 10), op{"滞納者一覧出力", "CSV出力"}, "", 386)
	w.emitMail(m, at(d, 16, 5, 45), "kazu.tax.home@gmail.com", "資料", "滞納者一覧_0526.csv", 48213)
	w.future = append(w.future,
		incident(ruleMailExternal, m.id, d.Day(), fmt.Sprintf(
			"%sが、5月26日（月）16:05に役場のメール（%s）から個人のフリーメール（gmail.com）へ滞納者一覧のCSVを添付して送った（釜石市の事例）。", m.label(), m.mail)),
		incident(ruleTakeout, m.id, d.Day(), fmt.Sprintf(
			"%sが、5月26日（月）15:42に税務システムから滞納者一覧386件をCSV出力し、23分後に外部のフリーメールへ添付して送った。", m.label())))
	w.stories = append(w.stories, PlantedStory{Story: storyTakeout, Staff: []string{m.id}, Rule: ruleTakeout, StaffID: m.id, Date: d.Format(time.DateOnly),
		Note: m.name + "が滞納者一覧を出力し、個人のフリーメールへ送った（釜石市の事例）。"})
}

// plantGap drops the welfare log's rows of one working day, as if that
// day's export had been lost or deleted (LOG_GAP).
func (w *world) plantGap() {
	d := may(dayLogGap)
	w.rows = slices.DeleteFunc(w.rows, func(r row) bool { return r.sys == sysWelfare && domainDay(r.t).Equal(d) })
	w.incidents = append(w.incidents, Incident{Rule: ruleLogGap, StaffID: sysWelfare, Date: d.Format(time.DateOnly),
		Note: "福祉システムのログに、開庁日の5月19日（月）の記録が1件もない（ログの欠落または削除の疑い）。"})
	slices.SortFunc(w.incidents, func(a, b Incident) int {
		if a.Date != b.Date {
			return compareStrings(a.Date, b.Date)
		}
		if a.Rule != b.Rule {
			return compareStrings(a.Rule, b.Rule)
		}
		return compareStrings(a.StaffID, b.StaffID)
	})
}

func domainDay(t time.Time) time.Time { return ymd(t.Year(), t.Month(), t.Day()) }

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
