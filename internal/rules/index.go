package rules

import (
	"slices"
	"strings"
)

// Small indexes the rules share: residents and departments as numbers,
// and the business traces of a department with a resident.

// resident returns the number of a resident (宛名番号), registering it. The
// key is the event's string itself: the store hands out one string per
// distinct 宛名番号, so the index costs one map entry per resident, not
// per event.
func (e *engine) resident(id string) int32 {
	if i, ok := e.residentIdx[id]; ok {
		return i
	}
	i := int32(len(e.residentIDs))
	e.residentIDs = append(e.residentIDs, id)
	e.residentSeen = append(e.residentSeen, 0)
	e.residentIdx[id] = i
	if v, ok := idNumber(id); ok {
		if e.idCount == 0 || v < e.idMin {
			e.idMin = v
		}
		if e.idCount == 0 || v > e.idMax {
			e.idMax = v
		}
		e.idCount++
	}
	return i
}

// dept returns the number of a department's nameKey, registering it; -1
// for "".
func (e *engine) dept(key string) int32 {
	if key == "" {
		return -1
	}
	if i, ok := e.deptIdx[key]; ok {
		return i
	}
	i := int32(len(e.deptNames))
	e.deptNames = append(e.deptNames, key)
	e.deptIdx[key] = i
	e.reconciled = append(e.reconciled, false)
	e.caseDept = append(e.caseDept, false)
	return i
}

// traceBase is the first day a trace can be on: CaseDays before the
// period and one more, so that a 受付 the day before a window lookup on the
// first day counts.
func (e *engine) traceBase() int32 {
	return e.d0 - int32(e.th.CaseDays) - int32(e.th.UnmatchedDays) - 1
}

// traceKey packs (resident, department, day) so that the keys of one
// resident and department sort by day. Days outside what 16 bits hold
// from traceBase are not representable; ok is false for them.
func (e *engine) traceKey(subj, dept, day int32) (uint64, bool) {
	off := day - e.traceBase()
	if off < 0 || off > 0xffff || dept < 0 || dept > 0xffff {
		return 0, false
	}
	return uint64(uint32(subj))<<32 | uint64(uint16(dept))<<16 | uint64(uint16(off)), true
}

// traces is a set of business traces: the days on which a department had
// business with a resident (a 受付 in the 受付簿, an update or a
// one-resident issue in a business system). Keys are appended during the
// pass and sorted once before they are searched.
type traces struct {
	keys   []uint64
	sorted bool
}

func (t *traces) add(k uint64) {
	t.keys = append(t.keys, k)
	t.sorted = false
}

func (t *traces) sort() {
	if !t.sorted {
		slices.Sort(t.keys)
		t.keys = slices.Compact(t.keys)
		t.sorted = true
	}
}

// within reports whether the set holds a trace of (subj, dept) on a day in
// [lo, hi]. The set must be sorted.
func (e *engine) within(t *traces, subj, dept, lo, hi int32) bool {
	base := e.traceBase()
	lo = max(lo, base)
	hi = min(hi, base+0xffff)
	if dept < 0 || lo > hi {
		return false
	}
	klo, _ := e.traceKey(subj, dept, lo)
	khi, _ := e.traceKey(subj, dept, hi)
	i, _ := slices.BinarySearch(t.keys, klo)
	return i < len(t.keys) && t.keys[i] <= khi
}

// business reports whether dept had business with subj that explains a
// lookup on day: a 受付 (in t, the 受付簿) or processing (in w, updates and
// issues) within UnmatchedDays either side for 窓口 work, or, for a
// case-work department, a case received in the period or the CaseDays
// before it and processing anywhere in the period. Both sets must be
// sorted.
func (e *engine) business(t, w *traces, subj, dept, day int32) bool {
	if dept < 0 {
		return false
	}
	lo, hi := day-int32(e.th.UnmatchedDays), day+int32(e.th.UnmatchedDays)
	if e.caseDept[dept] {
		if e.within(t, subj, dept, e.d0-int32(e.th.CaseDays), e.d1) || e.within(w, subj, dept, e.d0, e.d1) {
			return true
		}
	}
	return e.within(t, subj, dept, lo, hi) || e.within(w, subj, dept, lo, hi)
}

// loadReception indexes the 受付簿 and decides which departments are
// reconciled with it. It reports whether UNMATCHED_LOOKUP can run: only
// with a 受付簿 that names at least one reconciled department.
func (e *engine) loadReception(cfg Config) bool {
	for _, d := range cfg.CaseDepts {
		if i := e.dept(nameKey(d)); i >= 0 {
			e.caseDept[i] = true
		}
	}
	any := false
	for i := range cfg.Reception {
		r := &cfg.Reception[i]
		subj := strings.TrimSpace(r.SubjectID)
		dept := e.dept(nameKey(r.Dept))
		if subj == "" || dept < 0 || r.Time.IsZero() {
			continue
		}
		k, ok := e.traceKey(e.resident(subj), dept, dayOf(r.Time))
		if !ok {
			continue
		}
		e.recept.add(k)
		if len(cfg.Reconciled) == 0 {
			e.reconciled[dept] = true
		}
		any = true
	}
	for _, d := range cfg.Reconciled {
		if i := e.dept(nameKey(d)); i >= 0 {
			e.reconciled[i] = true
		}
	}
	e.recept.sort()
	return any
}

// addressPerson resolves a mail address of the town's own domains to a
// staff member when no master lists it (メールアドレス, other accounts):
// its local part is compared with 職員ID and the other accounts
// (u012@town.example.lg.jp → account u012). ok is false for other
// addresses and for local parts nobody has.
func (e *engine) addressPerson(addr string) (int32, bool) {
	addr = strings.Trim(strings.TrimSpace(addr), "<>\"'()[] ")
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || !inDomains(strings.ToLower(addr[at+1:]), e.ownDomains) {
		return 0, false
	}
	pi, ok := e.byKey[idKey(addr[:at])]
	if !ok || !e.people[pi].known {
		return 0, false
	}
	return pi, true
}

// recipient resolves one address of a mail's recipients to a staff member:
// the address itself as listed in the master (メールアドレス or other
// accounts), else its local part for the town's own domains.
func (e *engine) recipient(addr string) (int32, bool) {
	addr = strings.Trim(strings.TrimSpace(addr), "<>\"'()[] ")
	if addr == "" {
		return 0, false
	}
	if pi, ok := e.byKey[idKey(addr)]; ok && e.people[pi].known {
		return pi, true
	}
	return e.addressPerson(addr)
}

// recipients splits a mail_to cell into addresses: separated by ; , 、 or
// spaces, with or without a display name ("山田 <a@b.jp>").
func recipients(to string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(to, func(r rune) bool { return r == ';' || r == ',' || r == '、' || r == ' ' || r == '\t' || r == '　' }) {
		f = strings.Trim(f, "<>\"'()[] ")
		if strings.IndexByte(f, '@') > 0 {
			out = append(out, f)
		}
	}
	return out
}

// idNumber reads a 宛名番号 made of digits only (at most 18) as a number.
func idNumber(id string) (int64, bool) {
	if !digitsOnly(id) || len(id) > 18 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(id); i++ {
		v = v*10 + int64(id[i]-'0')
	}
	return v, true
}

// residentGap returns the mean gap between the numbers of the residents
// seen so far, or 0 when too few are known (or the numbers are not
// numeric) to tell.
func (e *engine) residentGap() float64 {
	if e.idCount < 100 {
		return 0
	}
	return float64(e.idMax-e.idMin) / float64(e.idCount-1)
}
