package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"tenken/internal/domain"
)

// Story IDs (domain.Case.Story). They are stable: case keys, and through
// them the follow-up of a case across runs, start with them.
const (
	StoryHandoff  = "HANDOFF_CHAIN"
	StoryTakeout  = "EXPORT_TAKEOUT"
	StoryBorrowed = "BORROWED_ID"
	StoryCurious  = "CURIOSITY"
)

// Story is one kind of case: findings of one or more people that belong to
// one chain of events, named and acted on as one.
type Story struct {
	ID          string
	Name        string // Japanese, for the 総括 and the ranking
	Description string // Japanese: what the story is and how its findings are joined
	// Seeds are the rules a case of the story starts from; Rules are every
	// rule whose findings it may take in.
	Seeds, Rules []string
	// CrossPeople is true when the story joins findings of different
	// people (a handoff, a borrowed ID); otherwise one person's.
	CrossPeople bool
	// MinPeople is how many people a case needs to be this story (a
	// borrowed ID needs its owner and its user); 0 or 1 for any.
	MinPeople int
	// BySubject joins findings about the same residents rather than the
	// same log rows.
	BySubject bool
	// CarriedOut is true when every case of the story took data out of the
	// office; HANDOFF_CHAIN decides per case.
	CarriedOut bool
	// Weight multiplies the case's score: a chain weighs more than its
	// findings one by one.
	Weight float64
	// Actions are the recommended actions (推奨対応), most important first.
	Actions []string
}

// stories is THE story catalogue, in the order cases are formed (a finding
// joins the first story that takes it).
var stories = []Story{
	{
		ID:          StoryHandoff,
		Name:        "出力データの受け渡し",
		Description: "一覧などのデータを出力した職員が、そのシステムの権限のない職員へ庁内メールで渡した一連の出来事です。受け取った職員がUSBメモリへの書き込みや外部へのメールで持ち出した場合は、その記録も同じ事案にまとめます（岩手県の事例）。同じログの行を根拠とする検出事項を、出力した職員と受け取った職員にまたがってまとめます。",
		Seeds:       []string{ExportHandoff},
		Rules:       []string{ExportHandoff, BulkExport, UnauthorizedSystem, DeviceWrite, MailExternal, ExportThenDevice},
		CrossPeople: true,
		Weight:      1.5,
		Actions:     []string{"受け渡しの経緯の双方へのヒアリング", "持ち出し媒体・送信先の確認と回収", "漏えいの有無の確認と、個人情報保護委員会への報告の要否の検討", "出力・メール添付の権限の見直し"},
	},
	{
		ID:          StoryTakeout,
		Name:        "出力データの持ち出し",
		Description: "データを出力した職員が、その後すぐにUSBメモリへ書き込んだり外部へメールで送ったりした一連の出来事です（釜石市の事例）。同じ職員の、同じログの行を根拠とする検出事項をまとめます。",
		Seeds:       []string{ExportThenDevice},
		Rules:       []string{ExportThenDevice, BulkExport, UnauthorizedSystem, DeviceWrite, MailExternal},
		CarriedOut:  true,
		Weight:      1.5,
		Actions:     []string{"持ち出し媒体の回収・送信先への削除依頼", "本人へのヒアリング", "漏えいの有無の確認と、個人情報保護委員会への報告の要否の検討"},
	},
	{
		ID:          StoryBorrowed,
		Name:        "IDの貸し借り",
		Description: "ある職員のIDが、別の職員がログオンしている端末で使われた出来事です。IDの持ち主と、その端末にいた職員の両方をまとめて示します。",
		Seeds:       []string{SharedID},
		Rules:       []string{SharedID},
		CrossPeople: true,
		MinPeople:   2,
		Weight:      1.3,
		Actions:     []string{"IDの持ち主と端末の利用者の双方へのヒアリング", "ID・パスワードの貸し借りの禁止の周知とパスワードの変更", "離席時のロック・ログオフの徹底"},
	},
	{
		ID:          StoryCurious,
		Name:        "興味本位の閲覧の疑い",
		Description: "業務の記録（受付簿の受付、所属の更新・交付）のない住民の照会や、同じ住民の繰り返しの照会、要注意対象者の照会など、同じ職員が同じ住民を業務と関係なく見ていた疑いのある出来事です（兵庫県の事例）。同じ職員の、同じ住民についての検出事項をまとめます。",
		Seeds:       []string{UnmatchedLookup, RepeatedSubject},
		Rules:       []string{UnmatchedLookup, RepeatedSubject, Watchlist, SelfLookup},
		BySubject:   true,
		Weight:      1.2,
		Actions:     []string{"本人へのヒアリング（照会した業務上の理由の確認）", "申請書・受付簿との照合", "所属長への報告と、閲覧制限の設定の確認"},
	},
}

// Stories returns the story catalogue. The slice is a copy.
func Stories() []Story { return append([]Story(nil), stories...) }

// FindStory returns the catalogue entry of a story ID.
func FindStory(id string) (Story, bool) {
	for _, s := range stories {
		if s.ID == id {
			return s, true
		}
	}
	return Story{}, false
}

// carriesOut lists the rules whose findings mean data left the office
// (removable media, external mail).
var carriesOut = map[string]bool{ExportThenDevice: true, MailExternal: true, DeviceWrite: true}

// carriedOutWeight multiplies the score of a case that took data out of
// the office, so that such a chain ranks above isolated lookups out of
// hours however many of those there are in a month.
const carriedOutWeight = 3

// findingScore is one finding's share of a risk score: its severity weight,
// growing slowly with its event count (see Rank).
func findingScore(f *domain.Finding) float64 {
	w := severityWeight[f.Severity]
	return w*(1+math.Log2(float64(max(f.Count, 1))))/2 + w/2
}

// rowKey identifies a log row across findings.
type rowKey struct {
	batch int64
	line  int
	sec   int64
	staff string
	sys   string
}

func keyOf(e *domain.Event) rowKey {
	return rowKey{e.Batch, e.Line, e.Time.Unix(), e.StaffID, e.System}
}

// Cases groups findings into cases, worst first: cases that carried data
// out, then by severity and score. Findings that belong to one story of
// the catalogue (Stories) form one case: they share a log row of their
// evidence (the export, the mail and the USB write of a handoff; the
// rows of a borrowed ID), or for CURIOSITY a resident, and their rules
// are the story's; a case starts from a finding of one of the story's
// seed rules. Every other finding joins the case of its person and rule
// over the period. Each case is named in one plain Japanese sentence with
// the recommended actions of its story or rule. staff supplies names
// (the first row of an ID wins).
//
// A case's key is its story (or "RULE") and the key of its leading
// finding — the seed finding whose evidence starts first — so it stays the
// same across runs that find the same things.
func Cases(findings []domain.Finding, staff []domain.Staff) []domain.Case {
	names := map[string]string{}
	for _, s := range staff {
		if _, ok := names[s.ID]; !ok {
			names[s.ID] = s.Name
		}
	}
	assigned := make([]bool, len(findings))
	var out []domain.Case
	rows := make([]map[rowKey]bool, len(findings))
	subjects := make([]map[string]bool, len(findings))
	for i := range findings {
		rows[i] = map[rowKey]bool{}
		subjects[i] = map[string]bool{}
		for j := range findings[i].Evidence {
			ev := &findings[i].Evidence[j]
			rows[i][keyOf(ev)] = true
			if ev.SubjectID != "" {
				subjects[i][ev.SubjectID] = true
			}
		}
	}
	linked := func(st *Story, a, b int) bool {
		fa, fb := &findings[a], &findings[b]
		if !st.CrossPeople && fa.StaffID != fb.StaffID {
			return false
		}
		small, large := rows[a], rows[b]
		if st.BySubject {
			small, large := subjects[a], subjects[b]
			if len(small) > len(large) {
				small, large = large, small
			}
			for s := range small {
				if large[s] {
					return true
				}
			}
			return false
		}
		if len(small) > len(large) {
			small, large = large, small
		}
		for k := range small {
			if large[k] {
				return true
			}
		}
		return false
	}
	order := make([]int, len(findings))
	for i := range order {
		order[i] = i
	}
	// Seeds in a stable order: by the time their evidence starts, then by
	// key, so the same findings lead their case in every run.
	start := func(i int) int64 {
		if len(findings[i].Evidence) == 0 {
			return math.MaxInt64
		}
		return findings[i].Evidence[0].Time.Unix()
	}
	// A finding whose evidence starts with its own person's row (the
	// exporter's export, the borrowed ID's owner) leads one whose evidence
	// starts with someone else's (the receiver's mail, the colleague at
	// the terminal).
	foreign := func(i int) int {
		f := &findings[i]
		if len(f.Evidence) > 0 && idKey(strings.TrimSpace(f.Evidence[0].StaffID)) != idKey(f.StaffID) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := &findings[a], &findings[b]
		return cmp.Or(strings.Compare(fa.Date, fb.Date), cmp.Compare(start(a), start(b)), cmp.Compare(foreign(a), foreign(b)),
			strings.Compare(fa.StaffID, fb.StaffID), strings.Compare(fa.Rule, fb.Rule))
	})
	for si := range stories {
		st := &stories[si]
		for _, seed := range order {
			if assigned[seed] || !slices.Contains(st.Seeds, findings[seed].Rule) {
				continue
			}
			members := []int{seed}
			in := map[int]bool{seed: true}
			for q := 0; q < len(members); q++ {
				for _, j := range order {
					if in[j] || assigned[j] || !slices.Contains(st.Rules, findings[j].Rule) || !linked(st, members[q], j) {
						continue
					}
					in[j] = true
					members = append(members, j)
				}
			}
			people := map[string]bool{}
			for _, m := range members {
				people[findings[m].StaffID] = true
			}
			if len(people) < st.MinPeople {
				continue
			}
			for _, m := range members {
				assigned[m] = true
			}
			out = append(out, storyCase(st, findings, members, names))
		}
	}
	// The rest: one case per person and rule.
	type key struct{ staff, rule string }
	groups := map[key][]int{}
	var keys []key
	for _, i := range order {
		if assigned[i] {
			continue
		}
		k := key{findings[i].StaffID, findings[i].Rule}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range keys {
		out = append(out, oneRuleCase(findings, groups[k], names))
	}
	slices.SortFunc(out, func(a, b domain.Case) int {
		if a.Excluded != b.Excluded {
			if a.Excluded {
				return 1
			}
			return -1
		}
		if a.CarriedOut != b.CarriedOut {
			if a.CarriedOut {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(b.Score, a.Score), strings.Compare(a.Key, b.Key))
	})
	return out
}

// fill sets the fields every case computes the same way from its findings.
func fill(c *domain.Case, findings []domain.Finding, members []int) {
	included := 0
	c.Severity = domain.Low
	for n, i := range members {
		f := &findings[i]
		if n == 0 {
			c.From, c.To = f.Date, f.Date
		}
		c.Findings = append(c.Findings, domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date})
		c.Events += f.Count
		c.Score += findingScore(f)
		c.From, c.To = min(c.From, f.Date), max(c.To, f.Date)
		if f.Severity.Rank() < c.Severity.Rank() {
			c.Severity = f.Severity
		}
		if !slices.Contains(c.Staff, f.StaffID) {
			c.Staff = append(c.Staff, f.StaffID)
		}
		if !f.Excluded {
			included++
		}
	}
	slices.SortStableFunc(c.Findings, func(a, b domain.FindingKey) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.StaffID, b.StaffID), strings.Compare(a.Rule, b.Rule))
	})
	c.Score *= 1 + 0.1*float64(len(members)-1)
	c.Excluded = included == 0
}

// oneRuleCase is one person's findings of one rule.
func oneRuleCase(findings []domain.Finding, members []int, names map[string]string) domain.Case {
	f0 := &findings[members[0]]
	c := domain.Case{CarriedOut: carriesOut[f0.Rule]}
	fill(&c, findings, members)
	c.Key = "RULE:" + f0.Rule + "/" + f0.StaffID + "/" + c.Findings[0].Date
	if c.CarriedOut {
		c.Score *= carriedOutWeight
	}
	c.Score = math.Round(c.Score*10) / 10
	info, _ := Find(f0.Rule)
	c.Actions = slices.Clone(info.Actions)
	c.Summary = caseSentence(info, f0.StaffID, names[f0.StaffID], &c)
	return c
}

// storyCase is a case of story st made of members, the seed first.
func storyCase(st *Story, findings []domain.Finding, members []int, names map[string]string) domain.Case {
	lead := &findings[members[0]]
	c := domain.Case{Story: st.ID, CarriedOut: st.CarriedOut}
	c.Staff = []string{lead.StaffID}
	fill(&c, findings, members)
	c.Key = st.ID + ":" + lead.Rule + "/" + lead.StaffID + "/" + lead.Date
	var evs []domain.Event
	seen := map[rowKey]bool{}
	for _, i := range members {
		f := &findings[i]
		for _, e := range f.Evidence {
			if k := keyOf(&e); !seen[k] {
				seen[k] = true
				evs = append(evs, e)
			} else {
				c.Events-- // one row behind two findings (the mail of a handoff) counts once
			}
		}
		if st.ID == StoryHandoff && (carriesOut[f.Rule] || f.Rule == ExportHandoff && f.Severity == domain.High) {
			c.CarriedOut = true
		}
	}
	slices.SortStableFunc(evs, func(a, b domain.Event) int { return a.Time.Compare(b.Time) })
	score := c.Score * st.Weight
	if c.CarriedOut {
		score *= carriedOutWeight
	}
	c.Score = math.Round(score*10) / 10
	c.Actions = slices.Clone(st.Actions)
	c.Summary = storySentence(st, &c, findings, members, evs, names)
	return c
}

// who names a staff member: 氏名（職員ID）, or the ID alone.
func who(id string, names map[string]string) string {
	if n := names[id]; n != "" {
		return fmt.Sprintf("%s（%s）", n, id)
	}
	return id
}

// storySentence names a story case in one plain sentence: who did what,
// when.
func storySentence(st *Story, c *domain.Case, findings []domain.Finding, members []int, evs []domain.Event, names map[string]string) string {
	when := shortDate(c.From)
	if c.To != c.From {
		when += "〜" + shortDate(c.To)
	}
	hm := func(t time.Time) string { return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute()) }
	lead := findings[members[0]].StaffID
	switch st.ID {
	case StoryHandoff, StoryTakeout:
		var export, pass, out *domain.Event
		for i := range evs {
			e := &evs[i]
			switch {
			case export == nil && e.Action == domain.ActionExport && e.Kind != domain.KindEndpoint && e.Kind != domain.KindMail:
				export = e
			case export == nil:
			case pass == nil && st.ID == StoryHandoff && isMail(e) && dataAttachment(e.Attachment):
				pass = e
			case out == nil && (pass != nil || st.ID == StoryTakeout) && (e.Action == domain.ActionDeviceWrite || isMail(e) && e != pass):
				out = e
			}
		}
		var receivers []string
		for _, id := range c.Staff[1:] {
			receivers = append(receivers, who(id, names))
		}
		// Clauses joined by their continuative form (出力し、渡し、…), the
		// last one in the past (書き込んだ).
		type clause struct{ cont, past string }
		var cl []clause
		if export != nil {
			what := "データ"
			if export.Records > 1 {
				what = fmt.Sprintf("住民%s人分のデータ", groupDigits(export.Records))
			}
			at := fmt.Sprintf("（%s %s）", shortDate(export.Time.Format(time.DateOnly)), hm(export.Time))
			cl = append(cl, clause{fmt.Sprintf("「%s」から%sを出力し%s", export.System, what, at), fmt.Sprintf("「%s」から%sを出力した%s", export.System, what, at)})
		} else {
			cl = append(cl, clause{"データを出力し", "データを出力した"})
		}
		if st.ID == StoryHandoff {
			at := ""
			if pass != nil {
				at = "（" + hm(pass.Time) + "）"
			}
			to := strings.Join(receivers, "・")
			cl = append(cl, clause{"庁内メールで権限のない" + to + "に渡し" + at, "庁内メールで権限のない" + to + "に渡した" + at})
		}
		if out != nil {
			actor := ""
			if st.ID == StoryHandoff && len(receivers) > 0 {
				actor = strings.Join(receivers, "・") + "が"
			}
			if out.Action == domain.ActionDeviceWrite {
				dev := "外部媒体"
				if d := strings.TrimSpace(out.Device); d != "" {
					dev = d
				}
				cl = append(cl, clause{"", fmt.Sprintf("%s%sに書き込んだ（%s）", actor, dev, hm(out.Time))})
			} else {
				cl = append(cl, clause{"", fmt.Sprintf("%s外部（%s）へメールで送った（%s）", actor, strings.Join(recipientDomains(out.MailTo), "、"), hm(out.Time))})
			}
		}
		parts := make([]string, len(cl))
		for i, x := range cl {
			parts[i] = x.cont
			if i == len(cl)-1 {
				parts[i] = x.past
			}
		}
		return who(lead, names) + "が" + strings.Join(parts, "、")
	case StoryBorrowed:
		owner, users := lead, []string{}
		for _, i := range members {
			f := &findings[i]
			if len(f.Evidence) > 0 && idKey(strings.TrimSpace(f.Evidence[0].StaffID)) == idKey(f.StaffID) {
				owner = f.StaffID
			}
		}
		for _, id := range c.Staff {
			if id != owner {
				users = append(users, who(id, names))
			}
		}
		terms := map[string]bool{}
		for _, e := range evs {
			if e.Terminal != "" {
				terms[e.Terminal] = true
			}
		}
		var tl []string
		for t := range terms {
			tl = append(tl, t)
		}
		slices.Sort(tl)
		return fmt.Sprintf("%sのIDが、%sがログオンしている端末（%s）で使われた（%s、操作%d件）", who(owner, names), strings.Join(users, "・"), strings.Join(tl, "、"), when, c.Events)
	case StoryCurious:
		subj := map[string]bool{}
		days := map[string]bool{}
		watch := false
		for _, i := range members {
			f := &findings[i]
			if f.Rule == Watchlist {
				watch = true
			}
			for _, e := range f.Evidence {
				if e.SubjectID != "" && e.Action == domain.ActionLookup {
					subj[e.SubjectID] = true
					days[e.Time.Format(time.DateOnly)] = true
				}
			}
		}
		extra := ""
		if watch {
			extra = "（要注意対象者を含む）"
		}
		var dl []string
		for d := range days {
			dl = append(dl, d)
		}
		slices.Sort(dl)
		if len(dl) > 0 {
			when = shortDate(dl[0])
			if len(dl) > 1 {
				when += "〜" + shortDate(dl[len(dl)-1])
			}
		}
		return fmt.Sprintf("%sが、業務の記録のない住民%d人を%d日にわたって照会した%s（%s）", who(lead, names), len(subj), len(dl), extra, when)
	}
	return fmt.Sprintf("%sほか：「%s」（%s）", who(lead, names), st.Name, when)
}

// caseSentence names a one-rule case: who, what, how often, when.
func caseSentence(info Info, id, name string, c *domain.Case) string {
	w := id
	if name != "" {
		w = fmt.Sprintf("%s（%s）", name, id)
	}
	if info.ID == LogGap {
		w = "システム「" + id + "」"
	}
	when := shortDate(c.From)
	if c.To != c.From {
		when += "〜" + shortDate(c.To)
	}
	days := ""
	if len(c.Findings) > 1 {
		days = fmt.Sprintf("、%d日", len(c.Findings))
	}
	return fmt.Sprintf("%sに「%s」（%s%s、操作%d件）", w, info.Name, when, days, c.Events)
}

// shortDate writes YYYY-MM-DD as 5月23日.
func shortDate(s string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d); err != nil {
		return s
	}
	return fmt.Sprintf("%d月%d日", m, d)
}
