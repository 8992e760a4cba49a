package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"tenken/internal/domain"
)

// The time rules (AFTER_HOURS, HOLIDAY) look only at the clock and the
// calendar, so they apply to every ID, including IDs unknown to the master
// or used by someone no longer in post: when an account was used is a fact
// of its own, and the hourly statistics of the report stay consistent with
// the findings. The identity rules are exclusive: an event of an unknown ID
// is UNKNOWN_ID only, an event of an ID not in post is RETIRED_ID only, and
// UNAUTHORIZED_SYSTEM judges only staff in post (one problem, one finding).

// afterHours is AFTER_HOURS: events on a working day outside the working
// hours and outside any approved overtime window.
type afterHours struct{ rule int32 }

func (c afterHours) observe(e *engine) {
	if e.closed != "" || (e.tod >= e.dws && e.tod <= e.dwe) || e.excused() {
		return
	}
	d := e.hit(c.rule)
	d.hours = [2]int32{e.dws, e.dwe}
	if e.tod < e.dws {
		d.spans[0].add(e.tod)
	} else {
		d.spans[1].add(e.tod)
	}
}

func (c afterHours) render(e *engine, d *draft) (domain.Severity, string) {
	sev := domain.Medium
	if d.exports > 0 || d.night {
		sev = domain.High
	}
	var times []string
	for _, s := range d.spans {
		if s.n > 0 {
			times = append(times, timeRange(s))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "勤務時間外（%s〜%s以外）に%d件の操作（%s）", clock(d.hours[0]), clock(d.hours[1]), d.count, strings.Join(times, "、"))
	if d.exports > 0 {
		fmt.Fprintf(&b, "、うち出力%d件", d.exports)
	}
	if d.night {
		b.WriteString("、深夜（22時〜翌5時）の操作を含む")
	}
	return sev, b.String()
}

// holiday is HOLIDAY: events on a closed day outside any approved overtime
// (休日勤務) window.
type holiday struct{ rule int32 }

func (c holiday) observe(e *engine) {
	if e.closed == "" || e.excused() {
		return
	}
	e.hit(c.rule)
}

func (c holiday) render(e *engine, d *draft) (domain.Severity, string) {
	sev := domain.Medium
	if d.exports > 0 {
		sev = domain.High
	}
	reason := e.cal.ClosedReason(dayTime(d.day))
	if reason == "" {
		reason = "閉庁日" // the calendar changed during the run
	}
	var b strings.Builder
	fmt.Fprintf(&b, "閉庁日（%s）に%d件の操作（%s）", reason, d.count, timeRange(d.all))
	if d.exports > 0 {
		fmt.Fprintf(&b, "、うち出力%d件", d.exports)
	}
	return sev, b.String()
}

// unauthorized is UNAUTHORIZED_SYSTEM. A system is granted to a staff
// member in post on a day by their 利用可能システム in the 職員マスタ (every
// permission: that column has none) or by a 権限マスタ row valid that day for
// their ID or for the department of a master row in force that day.
// Permissions add up over all of these. LOOKUP, UPDATE and EXPORT need the
// permission of the same name; other actions need only some grant for the
// system. Only systems named somewhere in the masters are judged: a system
// no master mentions (an endpoint log such as 資産管理) is not under access
// control as far as the masters tell, and Notes says so in the report.
// Removable-media events are left to DEVICE_WRITE.
type unauthorized struct{ rule int32 }

func (c unauthorized) observe(e *engine) {
	if e.status != stActive {
		return
	}
	var need uint8
	switch e.ev.Action {
	case domain.ActionLookup:
		need = permLookup
	case domain.ActionUpdate:
		need = permUpdate
	case domain.ActionExport:
		need = permExport
	case domain.ActionDeviceWrite, domain.ActionDeviceConnect:
		return
	}
	sys := e.systemOf(e.ev.System)
	if sys < 0 {
		return
	}
	have := e.allowed[sys]
	var missing uint8
	switch {
	case have&permUse == 0:
		missing = permUse
	case need != 0 && have&need == 0:
		missing = need
	default:
		return
	}
	e.hit(c.rule).addItem(sys, missing, have)
}

func (c unauthorized) render(e *engine, d *draft) (domain.Severity, string) {
	items := slices.Clone(d.items)
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(strings.Compare(e.sysNames[a.key], e.sysNames[b.key]), cmp.Compare(a.sub, b.sub))
	})
	parts := make([]string, len(items))
	for i, it := range items {
		name := e.sysNames[it.key]
		if it.sub == permUse {
			parts[i] = fmt.Sprintf("「%s」の利用権限なし（%d件）", name, it.n)
			continue
		}
		granted := ""
		if l := permissionList(it.aux); l != "" {
			granted = "、付与は" + l + "のみ"
		}
		parts[i] = fmt.Sprintf("「%s」の%s権限なし（%d件%s）", name, permissionName(it.sub), it.n, granted)
	}
	return domain.High, "権限外の利用：" + strings.Join(parts, "、")
}

// retired is RETIRED_ID: events of an ID whose master rows say it was not
// in post that day.
type retired struct{ rule int32 }

func (c retired) observe(e *engine) {
	if e.status != stRetired {
		return
	}
	d := e.hit(c.rule)
	d.ref, d.refKind = e.ref, e.refKind
}

func (c retired) render(e *engine, d *draft) (domain.Severity, string) {
	what := "離任日（" + jpDate(d.ref) + "）後"
	if d.refKind == refBeforeStart {
		what = "着任日（" + jpDate(d.ref) + "）前"
	}
	return domain.High, fmt.Sprintf("%sの利用：%d件の操作（%s）", what, d.count, timeRange(d.all))
}

// unknown is UNKNOWN_ID: events of an ID absent from the 職員マスタ,
// including rows with a blank ID.
type unknown struct{ rule int32 }

func (c unknown) observe(e *engine) {
	// Mail logs carry senders such as system notices that are nobody's
	// account; the identity of a mail's sender is MAIL_EXTERNAL's concern.
	if e.status == stUnknown && !isMail(e.ev) {
		e.hit(c.rule)
	}
}

func (c unknown) render(e *engine, d *draft) (domain.Severity, string) {
	id := e.people[d.staff].id
	if id == "" {
		return domain.High, fmt.Sprintf("職員IDが空欄の操作：%d件（%s）", d.count, timeRange(d.all))
	}
	return domain.High, fmt.Sprintf("職員マスタにないID「%s」による操作：%d件（%s）", id, d.count, timeRange(d.all))
}

// Notes returns, in Japanese for the report's 点検条件, what a run with cfg
// cannot check: rules skipped for want of a master, the limits of
// UNAUTHORIZED_SYSTEM, and enabled rules this version does not implement.
// An inspection must never look more complete than it was.
func Notes(cfg Config) []string {
	on := func(id string) bool { return cfg.Enabled == nil || cfg.Enabled[id] }
	hasStaff, hasSystems := false, false
	for _, s := range cfg.Staff {
		if strings.TrimSpace(s.ID) == "" {
			continue
		}
		hasStaff = true
		for _, sys := range s.Systems {
			if nameKey(sys) != "" {
				hasSystems = true
			}
		}
	}
	for _, g := range cfg.Grants {
		if nameKey(g.System) != "" {
			hasSystems = true
		}
	}
	var notes []string
	if !hasStaff {
		var names []string
		for _, id := range []string{RetiredID, UnknownID, UnauthorizedSystem, SelfLookup, DeviceWrite} {
			if on(id) {
				names = append(names, "「"+catalogue[ruleIndex[id]].Name+"」")
			}
		}
		if len(names) > 0 {
			notes = append(notes, "職員マスタが登録されていないため、"+strings.Join(names, "、")+"の点検は行っていません。")
		}
	} else if on(UnauthorizedSystem) {
		if !hasSystems {
			notes = append(notes, "権限マスタにも職員マスタの利用可能システムにもシステムが登録されていないため、「権限外のシステム利用」の点検は行っていません。")
		} else {
			notes = append(notes, "「権限外のシステム利用」は、権限マスタか職員マスタの利用可能システムに名前のあるシステムだけを点検しています。どちらにも名前のないシステム（資産管理ログなど）と、外部媒体への書き込み・接続は対象外です。")
		}
	}
	if on(Watchlist) && len(cfg.Watchlist) == 0 {
		notes = append(notes, "要注意対象者の一覧が登録されていないため、「"+catalogue[ruleIndex[Watchlist]].Name+"」の点検は行っていません。")
	}
	if on(UnmatchedLookup) && len(cfg.Reception) == 0 {
		notes = append(notes, "受付簿が登録されていないため、「"+catalogue[ruleIndex[UnmatchedLookup]].Name+"」の点検は行っていません。代わりに、職員ごとに抜き出した照会を申請書と照合する抽出点検の一覧を使ってください。")
	}
	if on(MailExternal) && len(domainKeys(cfg.OwnDomains)) == 0 {
		notes = append(notes, "役場のメールドメインがヒアリングシートに登録されていないため、「"+catalogue[ruleIndex[MailExternal]].Name+"」の点検は行っていません。")
	}
	var missing []string
	for _, r := range catalogue {
		if !r.Implemented && on(r.ID) {
			missing = append(missing, "「"+r.Name+"」")
		}
	}
	if len(missing) > 0 {
		notes = append(notes, "次の点検項目はこの版では未対応のため、行っていません："+strings.Join(missing, "、")+"。")
	}
	return notes
}
