package rules

import (
	"context"
	"slices"
	"strings"
	"testing"

	"tenken/internal/domain"
)

func TestCasesWorstFirst(t *testing.T) {
	fs := []domain.Finding{
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-02", Severity: domain.Medium, Count: 3},
		{Rule: AfterHours, StaffID: "A", Date: "2025-05-09", Severity: domain.High, Count: 2},
		{Rule: MailExternal, StaffID: "B", Date: "2025-05-26", Severity: domain.Medium, Count: 1},
		{Rule: Holiday, StaffID: "C", Date: "2025-05-10", Severity: domain.High, Count: 40, Excluded: true},
		{Rule: LogGap, StaffID: "福祉", Date: "2025-05-19", Severity: domain.Medium, Count: 0},
	}
	cs := Cases(fs, []domain.Staff{{ID: "A", Name: "山田"}})
	if len(cs) != 4 {
		t.Fatalf("%d cases: %+v", len(cs), cs)
	}
	// Data carried out first, then by severity; the excluded case last.
	if cs[0].Staff[0] != "B" || !cs[0].CarriedOut || cs[1].Staff[0] != "A" || cs[3].Staff[0] != "C" || !cs[3].Excluded {
		t.Errorf("order %v %v %v %v", cs[0].Key, cs[1].Key, cs[2].Key, cs[3].Key)
	}
	a := cs[1]
	if a.Severity != domain.High || a.Events != 5 || a.From != "2025-05-02" || a.To != "2025-05-09" || len(a.Findings) != 2 {
		t.Errorf("case A %+v", a)
	}
	if !strings.Contains(a.Summary, "山田（A）") || !strings.Contains(a.Summary, "5月2日〜5月9日") || !strings.Contains(a.Summary, "勤務時間外の利用") {
		t.Errorf("summary %q", a.Summary)
	}
	if len(a.Actions) == 0 || a.Key == "" {
		t.Errorf("actions %v key %q", a.Actions, a.Key)
	}
	if !strings.Contains(cs[2].Summary, "システム「福祉」") {
		t.Errorf("log gap summary %q", cs[2].Summary)
	}
}

// storyTown runs every rule over the seed incidents in small: the 岩手 chain
// (S001 exports, mails S005, who copies to USB), the 釜石 takeout (S006
// exports and mails home), a borrowed ID (S020's ID on S021's PC), the
// curious clerk (S008 on the same resident on three days, once on the
// watch list) and a lone after-hours day (S002).
func storyTown(t *testing.T) ([]domain.Finding, []domain.Staff) {
	t.Helper()
	cfg := baseConfig()
	handoffConfig(&cfg)
	withReception()(&cfg)
	cfg.Staff[5].Accounts = []string{"ito@town.example.lg.jp"}
	cfg.Staff[len(cfg.Staff)-2].Accounts = []string{"nakamura-w"}
	cfg.Staff[len(cfg.Staff)-1].Accounts = []string{"ogawa-w"}
	cfg.Grants = append(cfg.Grants, domain.Grant{StaffID: "S006", System: "税"})
	cfg.Watchlist = []domain.WatchEntry{{SubjectID: "8001", Category: "DV等支援措置", Depts: []string{"住民課"}}}
	events := []domain.Event{
		evx("S001", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, func(e *domain.Event) { e.Records = 12480 }),
		mail("yamada@town.example.lg.jp", "2025-04-07 16:31:00", "s005@town.example.lg.jp", "住民基本台帳_全件.csv"),
		usb("tanaka-w", "2025-04-07 16:48:00"),
		evx("S006", "2025-04-08 15:42:00", "税", domain.ActionExport, func(e *domain.Event) { e.Records = 386 }),
		mail("ito@town.example.lg.jp", "2025-04-08 16:05:00", "kazu@gmail.com", "滞納者一覧.csv"),
		endpoint("nakamura-w", "2025-04-11 08:31:00", "PC20", domain.ActionLogin),
		endpoint("ogawa-w", "2025-04-14 08:30:00", "PC21", domain.ActionLogin),
		onPC("S020", "2025-04-14 10:05:00", "PC21", "5002"),
		evx("S002", "2025-04-15 21:40:00", "福祉", domain.ActionLookup, subj("6001")),
	}
	for _, d := range []string{"2025-04-08", "2025-04-15", "2025-04-22"} {
		events = append(events, evx("S008", d+" 10:40:00", "住民記録", domain.ActionLookup, subj("8001")))
	}
	fs, err := Run(context.Background(), &fakeSource{events: events}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fs, cfg.Staff
}

func TestStories(t *testing.T) {
	fs, staff := storyTown(t)
	cs := Cases(fs, staff)
	byStory := map[string]domain.Case{}
	for _, c := range cs {
		t.Logf("%s %v %s %.1f %s", c.Key, c.Staff, c.Severity, c.Score, c.Summary)
		if c.Story != "" {
			if _, dup := byStory[c.Story]; dup {
				t.Errorf("two cases of %s", c.Story)
			}
			byStory[c.Story] = c
		}
		if c.Summary == "" || !isJapanese(c.Summary) || len(c.Actions) == 0 || c.Key == "" {
			t.Errorf("case %+v", c)
		}
	}
	h := byStory[StoryHandoff]
	if h.Key != "HANDOFF_CHAIN:EXPORT_HANDOFF/S001/2025-04-07" || strings.Join(h.Staff, ",") != "S001,S005" || !h.CarriedOut || h.Severity != domain.High {
		t.Errorf("handoff case %+v", h)
	}
	// S005 may use USB, so the write is no DEVICE_WRITE of its own: the
	// chain still carried the data out.
	for _, want := range []string{"EXPORT_HANDOFF/S001", "EXPORT_HANDOFF/S005", "BULK_EXPORT/S001"} {
		found := false
		for _, k := range h.Findings {
			found = found || k.Rule+"/"+k.StaffID == want
		}
		if !found {
			t.Errorf("handoff case lacks %s: %v", want, h.Findings)
		}
	}
	if h.Summary != "山田（S001）が「住民記録」から住民12,480人分のデータを出力し（4月7日 16:20）、庁内メールで権限のない田中（S005）に渡し（16:31）、田中（S005）がUSBメモリ(E:)に書き込んだ（16:48）" {
		t.Errorf("handoff summary %q", h.Summary)
	}
	k := byStory[StoryTakeout]
	if strings.Join(k.Staff, ",") != "S006" || !k.CarriedOut || !strings.Contains(k.Summary, "外部（gmail.com）へメールで送った（16:05）") || len(k.Findings) != 2 {
		t.Errorf("takeout case %+v", k)
	}
	b := byStory[StoryBorrowed]
	if len(b.Staff) != 2 || !strings.Contains(b.Summary, "中村（S020）のIDが、小川（S021）がログオンしている端末（PC21）で使われた") {
		t.Errorf("borrowed case %+v", b)
	}
	c := byStory[StoryCurious]
	if strings.Join(c.Staff, ",") != "S008" || len(c.Findings) != 5 || !strings.Contains(c.Summary, "住民1人を3日にわたって照会した（要注意対象者を含む）") {
		t.Errorf("curiosity case %+v", c)
	}
	// Chains that carried data out first; the lone evening last of the
	// people's cases.
	if !cs[0].CarriedOut || !cs[1].CarriedOut || cs[0].Story == "" || cs[1].Story == "" {
		t.Errorf("carried-out chains are not first: %s, %s", cs[0].Key, cs[1].Key)
	}
	// Keys are stable: the same findings in another order make the same
	// cases.
	rev := slices.Clone(fs)
	slices.Reverse(rev)
	again := Cases(rev, staff)
	for i := range cs {
		if again[i].Key != cs[i].Key || again[i].Summary != cs[i].Summary {
			t.Errorf("case %d: %s / %s in reverse order", i, again[i].Key, cs[i].Key)
		}
	}
	// An excluded exporter does not hide the chain.
	for i := range fs {
		if fs[i].StaffID == "S001" {
			fs[i].Excluded = true
		}
	}
	for _, c := range Cases(fs, staff) {
		if c.Story == StoryHandoff && c.Excluded {
			t.Error("excluding the exporter hides the handoff chain")
		}
	}
}

func TestRankByStories(t *testing.T) {
	fs, staff := storyTown(t)
	r := Rank(fs, staff)
	pos := map[string]int{}
	for _, e := range r {
		pos[e.StaffID] = e.Rank
		t.Logf("%d %s %.1f %v %v", e.Rank, e.StaffID, e.Score, e.Cases, e.Reasons)
	}
	// The people who carried data out rank above the staff with findings
	// of a single rule: the lone after-hours clerk, the colleague whose PC
	// was borrowed.
	for _, carrier := range []string{"S005", "S006", "S001"} {
		for _, single := range []string{"S002", "S021"} {
			if pos[carrier] > pos[single] {
				t.Errorf("%s (carried data out) ranks %d, below %s at %d", carrier, pos[carrier], single, pos[single])
			}
		}
	}
	for _, e := range r {
		if e.StaffID == "S005" {
			if len(e.Cases) == 0 || !strings.HasPrefix(e.Cases[0], "HANDOFF_CHAIN:") || !strings.Contains(e.Reasons[0], "USBメモリ(E:)に書き込んだ") {
				t.Errorf("receiver's entry %+v", e)
			}
		}
	}
}
