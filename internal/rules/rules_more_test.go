package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

// got is a finding reduced to what the table tests compare.
type got struct {
	rule, staff, date string
	sev               domain.Severity
	count             int
}

// moreCase is one table row: events, an optional change of the base
// configuration, and the findings expected (in Run's order); detail holds
// substrings the first finding's detail must contain.
type moreCase struct {
	name   string
	events []domain.Event
	config func(*Config)
	want   []got
	detail []string
}

func runMore(t *testing.T, rule string, cases []moreCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Enabled = map[string]bool{rule: true}
			if tc.config != nil {
				tc.config(&cfg)
			}
			fs, err := Run(context.Background(), &fakeSource{events: tc.events}, cfg, nil)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var g []got
			for _, f := range fs {
				g = append(g, got{f.Rule, f.StaffID, f.Date, f.Severity, f.Count})
				if !isJapanese(f.Detail) {
					t.Errorf("detail %q is not Japanese", f.Detail)
				}
				if len(f.Evidence) > DefaultMaxEvidence {
					t.Errorf("%d evidence rows", len(f.Evidence))
				}
			}
			if fmt.Sprint(g) != fmt.Sprint(tc.want) {
				t.Errorf("findings\n got %v\nwant %v", g, tc.want)
				for _, f := range fs {
					t.Logf("  %s", f.Detail)
				}
			}
			for _, s := range tc.detail {
				if len(fs) == 0 || !strings.Contains(fs[0].Detail, s) {
					t.Errorf("detail lacks %q", s)
				}
			}
		})
	}
}

// sev builds an event with a subject, records, terminal or mail fields.
func evx(staff, when, system string, action domain.Action, f func(*domain.Event)) domain.Event {
	e := ev(staff, when, system, action)
	e.Kind = domain.KindAccess
	if f != nil {
		f(&e)
	}
	return e
}

func subj(id string) func(*domain.Event) { return func(e *domain.Event) { e.SubjectID = id } }

func TestWatchlistRule(t *testing.T) {
	lk := domain.ActionLookup
	watch := func(c *Config) {
		c.Watchlist = []domain.WatchEntry{
			{SubjectID: "9001", Category: "DV等支援措置", Depts: []string{"住民課", "福祉課"}},
			{SubjectID: "9002", Category: "著名人", Depts: []string{"税務課"}, From: day("2025-06-01")},
			{SubjectID: "9003", Category: "職員・家族", Depts: []string{"住民課"}, StaffID: "S001"},
		}
	}
	runMore(t, Watchlist, []moreCase{
		{name: "outside the allowed departments", config: watch, events: []domain.Event{evx("S001", "2025-04-07 10:00:00", "住民記録", lk, subj("9001"))},
			want: []got{{Watchlist, "S001", "2025-04-07", domain.High, 1}}, detail: []string{"DV等支援措置"}},
		{name: "allowed department is quiet", config: watch, events: []domain.Event{evx("S002", "2025-04-07 10:00:00", "福祉", lk, subj("9001"))}},
		{name: "entry not yet valid", config: watch, events: []domain.Event{evx("S001", "2025-04-07 10:00:00", "税", lk, subj("9002"))}},
		{name: "entry valid later", config: watch, events: []domain.Event{evx("S002", "2025-06-02 10:00:00", "税", lk, subj("9002"))},
			want: []got{{Watchlist, "S002", "2025-06-02", domain.High, 1}}},
		{name: "own family entry is not WATCHLIST", config: watch, events: []domain.Event{evx("S001", "2025-04-07 10:00:00", "住民記録", lk, subj("9003"))}},
		{name: "unknown ID has no department", config: watch, events: []domain.Event{evx("X1", "2025-04-07 10:00:00", "住民記録", lk, subj("9001"))},
			want: []got{{Watchlist, "X1", "2025-04-07", domain.High, 1}}},
		{name: "no watch list, no rule", events: []domain.Event{evx("S001", "2025-04-07 10:00:00", "住民記録", lk, subj("9001"))}},
	})
}

func TestSelfLookupRule(t *testing.T) {
	lk := domain.ActionLookup
	cfg := func(c *Config) {
		c.Staff[0].SubjectID = "5001"
		c.Watchlist = []domain.WatchEntry{{SubjectID: "5002", Category: "職員・家族", StaffID: "S001", Depts: []string{"住民課"}}}
	}
	runMore(t, SelfLookup, []moreCase{
		{name: "own record", config: cfg, events: []domain.Event{evx("S001", "2025-04-07 11:02:00", "住民記録", lk, subj("5001"))},
			want: []got{{SelfLookup, "S001", "2025-04-07", domain.Medium, 1}}, detail: []string{"本人"}},
		{name: "own record updated is high", config: cfg, events: []domain.Event{evx("S001", "2025-04-07 11:02:00", "住民記録", domain.ActionUpdate, subj("5001"))},
			want: []got{{SelfLookup, "S001", "2025-04-07", domain.High, 1}}},
		{name: "family from the watch list", config: cfg, events: []domain.Event{evx("S001", "2025-04-07 11:02:00", "住民記録", lk, subj("5002"))},
			want: []got{{SelfLookup, "S001", "2025-04-07", domain.Medium, 1}}, detail: []string{"家族"}},
		{name: "someone else's record", config: cfg, events: []domain.Event{evx("S002", "2025-04-07 11:02:00", "住民記録", lk, subj("5001"))}},
		{name: "login rows carry no subject", config: cfg, events: []domain.Event{evx("S001", "2025-04-07 11:02:00", "住民記録", domain.ActionLogin, nil)}},
	})
}

func TestBulkExportRule(t *testing.T) {
	recs := func(n int64) func(*domain.Event) { return func(e *domain.Event) { e.Records = n } }
	var many []domain.Event
	for i := range 20 {
		many = append(many, evx("S005", fmt.Sprintf("2025-04-07 10:%02d:00", i), "税", domain.ActionExport, recs(3)))
	}
	runMore(t, BulkExport, []moreCase{
		{name: "full export", events: []domain.Event{evx("S005", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, recs(12480))},
			want: []got{{BulkExport, "S005", "2025-04-07", domain.High, 1}}, detail: []string{"12,480件"}},
		{name: "999 records is a near miss", events: []domain.Event{evx("S005", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, recs(999))}},
		{name: "1,000 records", events: []domain.Event{evx("S005", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, recs(1000))},
			want: []got{{BulkExport, "S005", "2025-04-07", domain.High, 1}}},
		{name: "twenty exports in a day", events: many, want: []got{{BulkExport, "S005", "2025-04-07", domain.High, 20}}, detail: []string{"20回"}},
		{name: "nineteen exports", events: many[:19]},
		{name: "threshold from the hearing sheet", events: []domain.Event{evx("S005", "2025-04-07 16:20:00", "住民記録", domain.ActionExport, recs(600))},
			config: func(c *Config) { c.Thresholds.BulkExportRecs = 500 }, want: []got{{BulkExport, "S005", "2025-04-07", domain.High, 1}}},
	})
}

func TestRepeatedSubjectRule(t *testing.T) {
	lk := domain.ActionLookup
	days := func(staff string, subject string, ds ...string) []domain.Event {
		var out []domain.Event
		for _, d := range ds {
			out = append(out, evx(staff, d+" 10:40:00", "住民記録", lk, subj(subject)))
		}
		return out
	}
	three := days("S001", "7001", "2025-04-07", "2025-04-14", "2025-04-21")
	runMore(t, RepeatedSubject, []moreCase{
		{name: "three days", events: three, want: []got{{RepeatedSubject, "S001", "2025-04-21", domain.Medium, 3}}, detail: []string{"3日", "4/7、4/14、4/21"}},
		{name: "two days is a near miss", events: three[:2]},
		{name: "an update makes it work", events: append(three, evx("S001", "2025-04-21 10:45:00", "住民記録", domain.ActionUpdate, subj("7001")))},
		{name: "three lookups on one day", events: days("S001", "7001", "2025-04-07", "2025-04-07", "2025-04-07")},
		{name: "two residents reported together", events: append(three, days("S001", "7002", "2025-04-08", "2025-04-09", "2025-04-21")...),
			want: []got{{RepeatedSubject, "S001", "2025-04-21", domain.Medium, 6}}, detail: []string{"住民2人"}},
	})
}

func TestBulkLookupRule(t *testing.T) {
	// Ten working days of April 2025 for history.
	workDays := []string{"2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07", "2025-04-08", "2025-04-09", "2025-04-10", "2025-04-11", "2025-04-14"}
	// Residents in random order, as they come to the counter (residents
	// in 宛名番号 order would be an enumeration).
	dayOf := func(staff, d string, n, base int) []domain.Event {
		var out []domain.Event
		perm := rand.New(rand.NewPCG(uint64(base), uint64(n))).Perm(n)
		for i := range n {
			out = append(out, evx(staff, fmt.Sprintf("%s %02d:%02d:%02d", d, 9+i/60%8, i%60, i/480), "住民記録", domain.ActionLookup, subj(fmt.Sprint(base+perm[i]))))
		}
		return out
	}
	var clerk, window, newcomer []domain.Event
	for i, d := range workDays {
		clerk = append(clerk, dayOf("S001", d, 10+i%3, 100000+i*1000)...)    // 税務課: about ten a day
		window = append(window, dayOf("S007", d, 150+i*5, 200000+i*1000)...) // 住民課 窓口: 150–195 a day
	}
	window = append(window, dayOf("S007", "2025-04-15", 200, 300000)...)
	busy := append(append([]domain.Event{}, clerk...), dayOf("S001", "2025-04-15", 160, 400000)...)
	near := append(append([]domain.Event{}, clerk...), dayOf("S001", "2025-04-15", 49, 400000)...)
	// 税務課 colleagues who set the department's norm for the newcomer.
	colleague := func(c *Config) {
		c.Staff = append(c.Staff, domain.Staff{ID: "S010", Dept: "税務課"}, domain.Staff{ID: "S011", Dept: "税務課"})
	}
	var dept []domain.Event
	for i, d := range workDays {
		dept = append(dept, dayOf("S010", d, 8+i%4, 500000+i*1000)...)
		dept = append(dept, dayOf("S011", d, 12, 600000+i*1000)...)
	}
	newcomer = append(append(newcomer, dept...), dayOf("S003", "2025-04-15", 120, 700000)...)
	runMore(t, BulkLookup, []moreCase{
		{name: "tax clerk's sudden 160", events: busy, want: []got{{BulkLookup, "S001", "2025-04-15", domain.High, 160}}, detail: []string{"住民160人", "中央値"}},
		{name: "49 residents is a near miss", events: near},
		{name: "counter clerk's normal busy day", events: window},
		{name: "no history: compared with the department", config: colleague, events: newcomer,
			want: []got{{BulkLookup, "S003", "2025-04-15", domain.High, 120}}},
		{name: "factor from the hearing sheet", config: func(c *Config) { c.Thresholds.BulkLookupFactor = 20 }, events: busy},
	})
}

func TestLoginFailureRule(t *testing.T) {
	fail := func(when string) domain.Event { return evx("S001", when, "税", domain.ActionLoginFail, nil) }
	burst := []domain.Event{fail("2025-04-07 08:40:00"), fail("2025-04-07 08:41:00"), fail("2025-04-07 08:43:00"), fail("2025-04-07 08:45:00"), fail("2025-04-07 08:49:59")}
	runMore(t, LoginFailure, []moreCase{
		{name: "five within ten minutes", events: burst, want: []got{{LoginFailure, "S001", "2025-04-07", domain.Medium, 5}}, detail: []string{"5回"}},
		{name: "four is a near miss", events: burst[:4]},
		{name: "five spread over more than ten minutes", events: append(burst[:4:4], fail("2025-04-07 08:50:01"))},
		{name: "ten is high", events: append(burst, fail("2025-04-07 08:50:10"), fail("2025-04-07 08:50:20"), fail("2025-04-07 08:50:30"), fail("2025-04-07 08:50:40"), fail("2025-04-07 08:50:50")),
			want: []got{{LoginFailure, "S001", "2025-04-07", domain.High, 10}}},
	})
}

func TestSharedIDRule(t *testing.T) {
	at := func(when, term string, a domain.Action) domain.Event {
		return evx("S007", when, "住民記録", a, func(e *domain.Event) { e.Terminal = term })
	}
	own := []domain.Event{
		at("2025-04-14 08:40:00", "PC1", domain.ActionLogin),
		at("2025-04-14 13:25:00", "PC1", domain.ActionLookup),
		at("2025-04-14 13:40:00", "PC1", domain.ActionLookup),
		at("2025-04-14 17:00:00", "PC1", domain.ActionLogout),
	}
	runMore(t, SharedID, []moreCase{
		{name: "two terminals at once", events: append(own,
			at("2025-04-14 13:30:00", "PC2", domain.ActionLogin), at("2025-04-14 13:36:00", "PC2", domain.ActionLookup), at("2025-04-14 13:50:00", "PC2", domain.ActionLogout)),
			want: []got{{SharedID, "S007", "2025-04-14", domain.High, 4}}, detail: []string{"PC1", "PC2"}},
		{name: "moving after logout is a near miss", events: []domain.Event{
			at("2025-04-14 09:00:00", "PC1", domain.ActionLogin), at("2025-04-14 09:10:00", "PC1", domain.ActionLookup), at("2025-04-14 09:20:00", "PC1", domain.ActionLogout),
			at("2025-04-14 09:21:00", "PC2", domain.ActionLogin), at("2025-04-14 09:30:00", "PC2", domain.ActionLogout)}},
		{name: "no logout but idle long enough", events: []domain.Event{
			at("2025-04-14 09:00:00", "PC1", domain.ActionLookup), at("2025-04-14 09:31:00", "PC2", domain.ActionLookup)}},
		{name: "logged in all day", events: []domain.Event{
			at("2025-04-14 07:00:00", "PC1", domain.ActionLogin), at("2025-04-14 19:30:00", "PC1", domain.ActionLookup)},
			want: []got{{SharedID, "S007", "2025-04-14", domain.High, 1}}, detail: []string{"ログアウトのないまま12時間以上"}},
	})
}

// endpoint and mail events of staff S001 under their other accounts.
func withAccounts(c *Config) {
	c.Staff[0].Accounts = []string{"yamada-t", "yamada@town.example.lg.jp"}
	c.Staff[8].USBAllowed = true // abc01 may use USB
	c.OwnDomains = []string{"town.example.lg.jp"}
	c.PartnerDomains = []string{"shakyo.example.or.jp"}
}

func usb(staff, when string) domain.Event {
	return evx(staff, when, "資産管理", domain.ActionDeviceWrite, func(e *domain.Event) {
		e.Kind, e.Device, e.File, e.Terminal = domain.KindEndpoint, "USBメモリ(E:)", `E:\list.csv`, "PC1"
	})
}

func mail(staff, when, to, attachment string) domain.Event {
	return evx(staff, when, "メール", domain.ActionMailSend, func(e *domain.Event) {
		e.Kind, e.MailTo, e.Attachment = domain.KindMail, to, attachment
		if attachment != "" {
			e.AttachSize = 20480
		}
	})
}

func TestDeviceWriteRule(t *testing.T) {
	runMore(t, DeviceWrite, []moreCase{
		{name: "not permitted, through the Windows account", config: withAccounts, events: []domain.Event{usb("yamada-t", "2025-04-07 16:35:00")},
			want: []got{{DeviceWrite, "S001", "2025-04-07", domain.High, 1}}, detail: []string{"認められていない", "USBメモリ(E:)"}},
		{name: "permitted user in hours", config: withAccounts, events: []domain.Event{usb("abc01", "2025-04-07 10:00:00")}},
		{name: "permitted user after hours", config: withAccounts, events: []domain.Event{usb("abc01", "2025-04-07 19:00:00")},
			want: []got{{DeviceWrite, "abc01", "2025-04-07", domain.Medium, 1}}, detail: []string{"勤務時間外"}},
		{name: "permitted user with approved overtime", events: []domain.Event{usb("abc01", "2025-04-07 19:00:00")},
			config: func(c *Config) {
				withAccounts(c)
				c.Overtime = []domain.Overtime{{StaffID: "abc01", Date: day("2025-04-07"), From: hm(17, 15), To: hm(20, 0)}}
			}},
	})
}

func TestMailExternalRule(t *testing.T) {
	runMore(t, MailExternal, []moreCase{
		{name: "list to a free-mail address", config: withAccounts, events: []domain.Event{mail("yamada@town.example.lg.jp", "2025-04-07 16:40:00", "taro@gmail.com", "滞納者一覧.csv")},
			want: []got{{MailExternal, "S001", "2025-04-07", domain.High, 1}}, detail: []string{"gmail.com（フリーメール・個人）"}},
		{name: "to a business outside", config: withAccounts, events: []domain.Event{mail("yamada@town.example.lg.jp", "2025-04-07 16:40:00", "Sato <sato@vendor.example.co.jp>", "仕様書.pdf")},
			want: []got{{MailExternal, "S001", "2025-04-07", domain.Medium, 1}}},
		{name: "own and partner domains", config: withAccounts, events: []domain.Event{
			mail("yamada@town.example.lg.jp", "2025-04-07 10:00:00", "a@town.example.lg.jp; b@hoken.town.example.lg.jp", "a.xlsx"),
			mail("yamada@town.example.lg.jp", "2025-04-07 11:00:00", "c@shakyo.example.or.jp", "b.xlsx")}},
		{name: "external without attachment", config: withAccounts, events: []domain.Event{mail("yamada@town.example.lg.jp", "2025-04-07 16:40:00", "taro@gmail.com", "")}},
		{name: "no own domains, no rule", events: []domain.Event{mail("yamada@town.example.lg.jp", "2025-04-07 16:40:00", "taro@gmail.com", "x.csv")}},
	})
}

func TestExportThenDeviceRule(t *testing.T) {
	export := evx("S001", "2025-04-07 15:50:00", "住民記録", domain.ActionExport, func(e *domain.Event) { e.Records = 300 })
	runMore(t, ExportThenDevice, []moreCase{
		{name: "export then USB under the Windows account", config: withAccounts, events: []domain.Event{export, usb("yamada-t", "2025-04-07 16:35:00")},
			want: []got{{ExportThenDevice, "S001", "2025-04-07", domain.High, 2}}, detail: []string{"45分後に外部媒体への書き込み"}},
		{name: "export then mail home", config: withAccounts, events: []domain.Event{export, mail("yamada@town.example.lg.jp", "2025-04-07 16:40:00", "taro@gmail.com", "list.csv")},
			want: []got{{ExportThenDevice, "S001", "2025-04-07", domain.High, 2}}, detail: []string{"外部への添付メール送信"}},
		{name: "61 minutes later is a near miss", config: withAccounts, events: []domain.Event{export, usb("yamada-t", "2025-04-07 16:51:00")}},
		{name: "write before the export", config: withAccounts, events: []domain.Event{export, usb("yamada-t", "2025-04-07 15:49:00")}},
		{name: "internal mail is no takeout", config: withAccounts, events: []domain.Event{export, mail("yamada@town.example.lg.jp", "2025-04-07 16:00:00", "b@town.example.lg.jp", "list.csv")}},
	})
}

func TestLogGapRule(t *testing.T) {
	lk := domain.ActionLookup
	line := func(e domain.Event, batch int64, l int) domain.Event { e.Batch, e.Line = batch, l; return e }
	runMore(t, LogGap, []moreCase{
		{name: "a silent working day", events: []domain.Event{ev("S001", "2025-04-07 10:00:00", "福祉", lk), ev("S001", "2025-04-09 10:00:00", "福祉", lk)},
			want: []got{{LogGap, "福祉", "2025-04-08", domain.Medium, 0}}},
		{name: "a silent weekend is fine", events: []domain.Event{ev("S001", "2025-04-04 10:00:00", "福祉", lk), ev("S001", "2025-04-07 10:00:00", "福祉", lk)}},
		{name: "time goes back within a file", events: []domain.Event{
			line(ev("S001", "2025-04-07 10:00:00", "福祉", lk), 3, 2),
			line(ev("S002", "2025-04-07 10:05:00", "福祉", lk), 3, 3),
			line(ev("S001", "2025-04-07 09:10:00", "福祉", lk), 3, 4),
			line(ev("S002", "2025-04-07 10:06:00", "福祉", lk), 3, 5)},
			want: []got{{LogGap, "福祉", "2025-04-07", domain.High, 1}}, detail: []string{"取込番号3の4行目（3行目より3300秒前）"}},
		{name: "within the tolerance", config: func(c *Config) { c.Thresholds.BackwardSeconds = 3600 }, events: []domain.Event{
			line(ev("S002", "2025-04-07 10:05:00", "福祉", lk), 3, 3),
			line(ev("S001", "2025-04-07 09:10:00", "福祉", lk), 3, 4)}},
	})
}

func TestDepartmentHours(t *testing.T) {
	lk := domain.ActionLookup
	runMore(t, AfterHours, []moreCase{
		{name: "one minute inside the department's hours", events: []domain.Event{ev("S007", "2025-04-14 18:59:00", "住民記録", lk)},
			config: func(c *Config) { c.DeptHours = map[string]Hours{"住民課": {"08:30", "19:00"}} }},
		{name: "one minute outside", events: []domain.Event{ev("S007", "2025-04-14 19:01:00", "住民記録", lk)},
			config: func(c *Config) { c.DeptHours = map[string]Hours{"住民課": {"08:30", "19:00"}} },
			want:   []got{{AfterHours, "S007", "2025-04-14", domain.Medium, 1}}, detail: []string{"8:30〜19:00以外"}},
		{name: "窓口延長 on Thursdays", events: []domain.Event{ev("S007", "2025-04-17 18:30:00", "住民記録", lk), ev("S007", "2025-04-16 18:30:00", "住民記録", lk)},
			config: func(c *Config) {
				c.Extended = []HoursException{{Dept: "住民課", Weekday: time.Thursday, Hours: Hours{"08:30", "19:00"}}}
			},
			want: []got{{AfterHours, "S007", "2025-04-16", domain.Medium, 1}}},
		{name: "extension of another department does not apply", events: []domain.Event{ev("S001", "2025-04-17 18:30:00", "住民記録", lk)},
			config: func(c *Config) {
				c.Extended = []HoursException{{Dept: "住民課", Weekday: time.Thursday, Hours: Hours{"08:30", "19:00"}}}
			},
			want: []got{{AfterHours, "S001", "2025-04-17", domain.Medium, 1}}},
		{name: "dated exception for everyone", events: []domain.Event{ev("S001", "2025-04-18 20:00:00", "住民記録", lk)},
			config: func(c *Config) {
				c.Extended = []HoursException{{Date: day("2025-04-18"), Hours: Hours{"08:30", "21:00"}}}
			}},
	})
}

// TestTransfer: a transfer (異動) ends one master row and starts another in
// a new department; each day is judged by the row in force.
func TestTransfer(t *testing.T) {
	cfg := func(c *Config) {
		c.Staff = append(c.Staff,
			domain.Staff{ID: "T001", Dept: "税務課", Start: day("2020-04-01"), End: day("2025-04-15"), Systems: []string{"税"}},
			domain.Staff{ID: "T001", Dept: "福祉課", Start: day("2025-04-16")})
		c.Enabled = map[string]bool{UnauthorizedSystem: true, RetiredID: true, Watchlist: true}
		c.Watchlist = []domain.WatchEntry{{SubjectID: "9001", Category: "DV等支援措置", Depts: []string{"福祉課"}}}
	}
	events := []domain.Event{
		evx("T001", "2025-04-15 10:00:00", "税", domain.ActionLookup, nil),
		evx("T001", "2025-04-16 10:00:00", "税", domain.ActionLookup, nil),
		evx("T001", "2025-04-16 10:05:00", "福祉", domain.ActionLookup, subj("9001")),
		evx("T001", "2025-04-15 10:05:00", "福祉", domain.ActionLookup, subj("9001")),
	}
	c := baseConfig()
	cfg(&c)
	fs, err := Run(context.Background(), &fakeSource{events: events}, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	var g []string
	for _, f := range fs {
		g = append(g, f.Rule+" "+f.Date)
	}
	want := "[UNAUTHORIZED_SYSTEM 2025-04-15 WATCHLIST 2025-04-15 UNAUTHORIZED_SYSTEM 2025-04-16]"
	if fmt.Sprint(g) != want {
		t.Errorf("findings %v, want %s", g, want)
	}
}

func TestParseThresholds(t *testing.T) {
	th, err := ParseThresholds("BULK_EXPORT.records=500; login_failure.count=3，BULK_LOOKUP.factor=2.5")
	if err != nil {
		t.Fatal(err)
	}
	if th.BulkExportRecs != 500 || th.FailCount != 3 || th.BulkLookupFactor != 2.5 || th.RepeatDays != 0 {
		t.Errorf("parsed %+v", th)
	}
	d := th.withDefaults()
	if d.RepeatDays != 3 || d.BulkExportRecs != 500 || d.TakeoutMinutes != 60 {
		t.Errorf("defaults %+v", d)
	}
	if s := th.String(); !strings.Contains(s, "BULK_EXPORT.records=500") || !strings.Contains(s, "REPEATED_SUBJECT.days=3") {
		t.Errorf("String = %q", s)
	}
	back, err := ParseThresholds(th.String())
	if err != nil || back.withDefaults() != d {
		t.Errorf("round trip %+v, %v", back, err)
	}
	for _, bad := range []string{"BULK_EXPORT.records", "NOPE.x=1", "BULK_EXPORT.records=-1", "BULK_EXPORT.records=1.5", "LOGIN_FAILURE.count=abc"} {
		if _, err := ParseThresholds(bad); err == nil || !isJapanese(err.Error()) {
			t.Errorf("ParseThresholds(%q) = %v", bad, err)
		}
	}
}
