package sample

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// The 受付簿: the paper trail of window and case work that UNMATCHED_LOOKUP
// reconciles lookups with. 住民課 (窓口) and 福祉課 (case work) keep one;
// the hearing sheet says both are reconciled and 福祉課 does case work.

// Reconciled and case-work departments of the sample's hearing sheet.
var (
	reconciledDepts = []string{"住民課", "福祉課"}
	caseDepts       = []string{"福祉課"}
)

// procedures are the 手続 of each reconciled department.
var procedures = map[string][]string{
	"住民課": {"住民票の写し交付申請", "住民票の写し交付申請", "印鑑登録証明書交付申請", "転入届", "転居届", "転出届", "戸籍の附票の写し交付申請", "世帯変更届"},
	"福祉課": {"生活保護申請", "障害者手帳交付申請", "児童手当認定請求", "介護保険要介護認定申請", "相談受付"},
}

// reception is one row of the 受付簿.
type reception struct {
	t              time.Time
	no, dept, proc string
	subject, staff string
}

// phoneKey is a member's day, for the telephone enquiries they answer.
type phoneKey struct {
	id  string
	day int
}

// maxPhone is how many residents a back-office clerk of 住民課 looks up
// for telephone enquiries in a day at most: ordinary lookups with nothing
// in the 受付簿 and no processing.
const maxPhone = 2

// receive appends a 受付 of dept about subject at t by staff.
func (w *world) receive(dept string, t time.Time, subject, staff string) {
	w.receptNo[dept]++
	prefix := map[string]string{"住民課": "住", "福祉課": "福"}[dept]
	list := procedures[dept]
	w.receptions = append(w.receptions, reception{t: t, no: fmt.Sprintf("%s-%05d", prefix, w.receptNo[dept]), dept: dept,
		proc: list[w.rng.IntN(len(list))], subject: subject, staff: staff})
}

// business writes why m looked subject up at t on day, as the 受付簿 shows
// it, for the reconciled departments:
//   - 住民課's counter: the 受付 of the resident it serves, minutes before;
//   - 住民課's back office: a 受付 at the counter that day or the working
//     day before, unless it processed the resident itself, or — at most
//     maxPhone times a day — the lookup answered a telephone enquiry and
//     leaves no trace (a resident the clerk never looks up again);
//   - 福祉課: the resident's case, received in April or May before the
//     lookup (case work: any day of the period counts).
//
// On a closed day the counter receives nothing.
func (w *world) business(m *member, t time.Time, day int, subject string, window, processed bool) {
	switch m.dept {
	case "住民課":
		if w.cal.IsClosed(may(day)) {
			return
		}
		if window {
			w.receive("住民課", t.Add(-time.Duration(2+w.rng.IntN(7))*time.Minute), subject, m.id)
			return
		}
		k := phoneKey{m.id, day}
		if !processed && w.phone[k] < maxPhone && bits.OnesCount32(m.seen[subject]) == 1 && w.rng.IntN(8) == 0 {
			w.phone[k]++
			m.seen[subject] |= 1 // never again for this clerk (pick allows two days)
			return
		}
		if processed {
			return
		}
		when := t.Add(-time.Duration(5+w.rng.IntN(90)) * time.Minute)
		if prev := may(day).AddDate(0, 0, -1); w.rng.IntN(3) == 0 && !w.cal.IsClosed(prev) {
			when = prev.Add(time.Duration(9*60+w.rng.IntN(7*60)) * time.Minute) // received yesterday
		}
		w.receive("住民課", when, subject, w.counterClerk().id)
	case "福祉課":
		if w.caseOpened[subject] {
			return
		}
		w.caseOpened[subject] = true
		first := ymd(2025, 4, 1)
		span := int(may(day).Sub(first).Hours()/24) + 1
		d := first.AddDate(0, 0, w.rng.IntN(span))
		for w.cal.IsClosed(d) {
			d = d.AddDate(0, 0, -1)
		}
		w.receive("福祉課", d.Add(time.Duration(9*60+w.rng.IntN(7*60))*time.Minute), subject, m.id)
	}
}

// counterClerk returns one of 住民課's counter staff.
func (w *world) counterClerk() *member {
	var c []*member
	for _, m := range w.staff {
		if m.dept == "住民課" && m.role == roleWindow {
			c = append(c, m)
		}
	}
	return c[w.rng.IntN(len(c))]
}

// receptionHeader is the 受付簿's header as the town's 窓口 system writes it.
var receptionHeader = []string{"受付日時", "受付番号", "所属", "手続名", "宛名番号", "受付者ID"}

// receptionFileName is the 受付簿's file.
const receptionFileName = "reception.csv"

// receptionCSV writes the 受付簿 in time order.
func (w *world) receptionCSV() string {
	list := slices.Clone(w.receptions)
	slices.SortStableFunc(list, func(a, b reception) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return strings.Compare(a.no, b.no)
	})
	var c csvText
	c.line(receptionHeader...)
	for _, r := range list {
		c.line(r.t.Format("2006/01/02 15:04"), r.no, r.dept, r.proc, r.subject, r.staff)
	}
	return c.b.String()
}

// dayDeletion is the day rows were deleted from the 住民記録 log.
const dayDeletion = 14

// plantDeletion deletes three consecutive lookups of clean staff from the
// 住民記録 log on 5/14 around 11:00, after the system gave them their 通番:
// the file skips three numbers (LOG_GAP).
func (w *world) plantDeletion() {
	var idx []int
	for i, r := range w.rows {
		if r.sys == sysResident {
			idx = append(idx, i)
		}
	}
	planted := map[string]bool{}
	for _, m := range w.staff {
		if m.planted {
			planted[m.id] = true
		}
	}
	from := at(may(dayDeletion), 11, 0, 0)
	for k := 0; k+3 <= len(idx); k++ {
		ok := true
		for _, i := range idx[k : k+3] {
			r := &w.rows[i]
			ok = ok && !r.t.Before(from) && (r.action == "照会" || r.action == "参照") && !planted[r.id]
		}
		if !ok {
			continue
		}
		for _, i := range idx[k : k+3] {
			w.rows[i].deleted = true
		}
		before, after := w.rows[idx[k-1]], w.rows[idx[k+3]]
		w.incidents = append(w.incidents, Incident{Rule: ruleLogGap, StaffID: sysResident, Date: may(dayDeletion).Format(time.DateOnly),
			Note: fmt.Sprintf("住民記録システムのログから5月14日 %s〜%s の間の3行が削除され、通番が3つ飛んでいる（ログの削除の疑い）。", before.t.Format("15:04:05"), after.t.Format("15:04:05"))})
		slices.SortFunc(w.incidents, func(a, b Incident) int {
			return cmpIncidents(a, b)
		})
		return
	}
}

func cmpIncidents(a, b Incident) int {
	if a.Date != b.Date {
		return compareStrings(a.Date, b.Date)
	}
	if a.Rule != b.Rule {
		return compareStrings(a.Rule, b.Rule)
	}
	return compareStrings(a.StaffID, b.StaffID)
}
