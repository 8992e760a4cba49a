package sample

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// The tests read the generated files back with their own small parsers and
// judge them with their own simple versions of the rules, so they check what
// an importer and a rule engine will see, not the generator's internals.

// closedMay2025 are the 閉庁日 of May 2025, written out by hand: weekends,
// 憲法記念日 (Sat 3), みどりの日 (Sun 4), こどもの日 (Mon 5), 振替休日 (Tue 6).
var closedMay2025 = map[int]bool{3: true, 4: true, 5: true, 6: true, 10: true, 11: true,
	17: true, 18: true, 24: true, 25: true, 31: true}

var testSeeds = []int64{1, 2, 20250501, -7}

func TestWorkingDaysMay2025(t *testing.T) {
	got := workingDays(calendar.Default(), monthFirst, monthLast)
	var want []string
	for d := 1; d <= 31; d++ {
		if !closedMay2025[d] {
			want = append(want, may(d).Format(time.DateOnly))
		}
	}
	var gotS []string
	for _, d := range got {
		gotS = append(gotS, d.Format(time.DateOnly))
	}
	if !slices.Equal(gotS, want) {
		t.Fatalf("working days of May 2025 (calendar %T):\n got %v\nwant %v", calendar.Default(), gotS, want)
	}
	tests := []struct {
		day    int
		closed bool
	}{
		{1, false}, {2, false}, {3, true}, {4, true}, {5, true}, {6, true}, {7, false},
		{10, true}, {12, false}, {30, false}, {31, true},
	}
	for _, tt := range tests {
		if c := calendar.Default().IsClosed(may(tt.day)); c != tt.closed {
			t.Errorf("2025-05-%02d: IsClosed = %v, want %v (reason %q)", tt.day, c, tt.closed, calendar.Default().ClosedReason(may(tt.day)))
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, seed := range []int64{1, 99} {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			ta, err := Generate(a, seed)
			if err != nil {
				t.Fatal(err)
			}
			tb, err := Generate(b, seed)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range allFiles(ta) {
				rel, _ := filepath.Rel(a, f)
				x, y := readBytes(t, f), readBytes(t, filepath.Join(b, rel))
				if !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs with seed %d", rel, seed)
				}
			}
			if fmt.Sprint(ta.Incidents, ta.Exclusions, ta.Clean, ta.Person) != fmt.Sprint(tb.Incidents, tb.Exclusions, tb.Clean, tb.Person) {
				t.Error("manifests differ between two runs with the same seed")
			}
		})
	}
	a, b := t.TempDir(), t.TempDir()
	ta, err := Generate(a, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, 2); err != nil {
		t.Fatal(err)
	}
	for _, f := range allFiles(ta) {
		rel, _ := filepath.Rel(a, f)
		if rel == grantsFileName {
			continue // the grants are the town's policy, not random
		}
		if bytes.Equal(readBytes(t, f), readBytes(t, filepath.Join(b, rel))) {
			t.Errorf("%s is identical for seeds 1 and 2", rel)
		}
	}
}

func TestFilesAreCP932WithCRLFAndPrivate(t *testing.T) {
	dir := t.TempDir()
	town, err := Generate(dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range allFiles(town) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw := readBytes(t, f)
			if utf8.Valid(raw) {
				t.Error("file is valid UTF-8; want CP932")
			}
			text := decodeCP932(t, raw)
			if !strings.ContainsAny(text, "課住民") && !strings.Contains(text, "宛名") && !strings.Contains(text, "職員") {
				t.Error("decoded text holds no Japanese")
			}
			if !strings.HasSuffix(text, "\r\n") {
				t.Error("file does not end with CRLF")
			}
			if n, crlf := strings.Count(text, "\n"), strings.Count(text, "\r\n"); n != crlf {
				t.Errorf("%d line feeds but only %d CRLF", n, crlf)
			}
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("mode %v, want 0600", perm)
			}
		})
	}
}

func TestGenerateTightensExistingFileMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, staffFileName), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	town, err := Generate(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(town.StaffFile)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode %v after overwriting a 0644 file, want 0600", perm)
	}
}

func TestGenerateReportsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Generate(file, 1)
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *domain.Error", err)
	}
	if !strings.Contains(de.Message, "サンプルデータ") {
		t.Errorf("message %q is not the Japanese one", de.Message)
	}
}

func TestHeaders(t *testing.T) {
	dir := t.TempDir()
	town, err := Generate(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	logs := map[string]string{}
	for _, l := range town.Logs {
		logs[l.System] = l.Path
	}
	tests := []struct {
		name  string
		path  string
		lines []string // the first lines, exactly as written
	}{
		{"職員マスタ", town.StaffFile, []string{"職員番号,氏名,所属課,役職,雇用区分,採用日,退職日,USB利用,本人宛名番号,利用可能システム,Windowsアカウント,メールアドレス"}},
		{"権限マスタ", town.GrantsFile, []string{"所属,システム,権限,開始日,終了日"}},
		{"要注意対象", town.WatchlistFile, []string{"宛名番号,区分,閲覧可能所属,登録日,職員ID"}},
		{"時間外申請", town.OvertimeFile, []string{"職員ID,日付,開始,終了"}},
		{"資産管理", logs["資産管理"], []string{"日時,アカウント,コンピュータ名,イベント,デバイス,ファイル名"}},
		{"メール", logs["メール"], []string{"日時,アカウント,宛先,件名,添付ファイル名,添付サイズ"}},
		{"住民記録", logs["住民記録"], []string{`"操作日時","職員ID","氏名","端末名","機能名","操作種別","宛名番号","件数","通番"`}},
		{"受付簿", town.ReceptionFile, []string{"受付日時,受付番号,所属,手続名,宛名番号,受付者ID"}},
		{"税務", logs["税務"], []string{"日付,時刻,ユーザーID,端末,画面名,処理区分,対象者番号,出力件数"}},
		{"福祉", logs["福祉"], []string{"福祉総合システム 操作ログ 出力日:2025/06/02", "", "アクセス日時,利用者ID,PC名,処理名,操作,宛名コード"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path == "" {
				t.Fatal("file missing from the manifest")
			}
			lines := strings.Split(decodeCP932(t, readBytes(t, tt.path)), "\r\n")
			if len(lines) <= len(tt.lines) {
				t.Fatalf("only %d lines", len(lines))
			}
			for i, want := range tt.lines {
				if lines[i] != want {
					t.Errorf("line %d = %q, want %q", i+1, lines[i], want)
				}
			}
		})
	}
}

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	town, err := Generate(dir, 11)
	if err != nil {
		t.Fatal(err)
	}
	if town.Name != "山里町" || town.Department != "総務課 情報政策係" {
		t.Errorf("town %q, department %q", town.Name, town.Department)
	}
	if !town.From.Equal(may(1)) || !town.To.Equal(may(31)) || town.From.Location() != time.UTC {
		t.Errorf("period %v – %v, want 2025-05-01 – 2025-05-31 in UTC", town.From, town.To)
	}
	d := load(t, 11)
	person := false
	for _, s := range d.staff {
		person = person || (s.name == town.Person && s.dept == "総務課")
	}
	if !person {
		t.Errorf("担当者 %q is not a member of 総務課 in the master", town.Person)
	}
	var systems []string
	kinds := map[string]domain.LogKind{"資産管理": domain.KindEndpoint, "メール": domain.KindMail}
	for _, l := range town.Logs {
		systems = append(systems, l.System)
		want := kinds[l.System]
		if want == "" {
			want = domain.KindAccess
		}
		if l.Kind != want {
			t.Errorf("%s: kind %q, want %q", l.System, l.Kind, want)
		}
		if filepath.Dir(l.Path) != dir || filepath.Base(l.Path) != l.System+".csv" {
			t.Errorf("%s written to %s", l.System, l.Path)
		}
	}
	if !slices.Equal(systems, []string{"住民記録", "税務", "福祉", "資産管理", "メール"}) {
		t.Errorf("systems %v", systems)
	}
	if !slices.Equal(town.Domains, []string{"town.yamazato.lg.jp"}) || len(town.PartnerDomains) != 2 {
		t.Errorf("domains %v, partners %v", town.Domains, town.PartnerDomains)
	}
	if len(town.Exclusions) != 1 || town.Exclusions[0].Reason == "" || town.Exclusions[0].By == "" {
		t.Errorf("exclusions %+v, want the 岩手 case's one, with reason and approver", town.Exclusions)
	}
}

func TestMasters(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			if n := len(d.staff); n < 90 || n > 110 {
				t.Errorf("%d staff, want about 100", n)
			}
			ids, names, depts, emps := map[string]bool{}, map[string]bool{}, map[string]int{}, map[string]int{}
			transfers := 0
			var prev *staffRow
			for _, s := range d.staff {
				if prev != nil && prev.id == s.id {
					// A 異動: the same person, the new row starting the day
					// after the old one ends, in another department.
					transfers++
					if prev.name != s.name || prev.end.AddDate(0, 0, 1) != s.start || prev.dept == s.dept {
						t.Errorf("transfer rows %+v and %+v do not follow each other", prev, s)
					}
					prev = s
					continue
				}
				prev = s
				if ids[s.id] || names[s.name] {
					t.Errorf("duplicate id %s or name %s", s.id, s.name)
				}
				if s.win == "" || !strings.HasSuffix(s.mail, "@town.yamazato.lg.jp") || ids[s.win] || ids[s.mail] {
					t.Errorf("%s: accounts %q %q", s.id, s.win, s.mail)
				}
				ids[s.win], ids[s.mail] = true, true
				ids[s.id], names[s.name] = true, true
				depts[s.dept]++
				emps[s.emp]++
				if !regexp.MustCompile(`^\p{Han}+(々\p{Han}*)?　[\p{Han}\p{Hiragana}]+$`).MatchString(s.name) {
					t.Errorf("name %q is not 姓　名", s.name)
				}
				if s.usb != "○" && s.usb != "×" {
					t.Errorf("%s: USB利用 %q", s.id, s.usb)
				}
				if s.start.IsZero() {
					t.Errorf("%s: no 採用日", s.id)
				}
				if s.subject != "" && !isSubject(s.subject) {
					t.Errorf("%s: 本人宛名番号 %q", s.id, s.subject)
				}
				// 利用可能システム agrees with the department's grants.
				var want []string
				for _, sys := range []string{"住民記録", "税務", "福祉"} {
					if len(d.perms(s.dept, sys, may(1))) > 0 {
						want = append(want, sys)
					}
				}
				got := slices.Clone(s.systems)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s (%s): 利用可能システム %v, grants give %v", s.id, s.dept, s.systems, want)
				}
			}
			for _, dept := range []string{"住民課", "税務課", "福祉課", "総務課", "健康保険課", "会計課"} {
				if depts[dept] == 0 {
					t.Errorf("no staff in %s", dept)
				}
			}
			for _, emp := range []string{"正規", "会計年度任用", "再任用", "委託", "派遣"} {
				if emps[emp] == 0 {
					t.Errorf("no staff employed as %s", emp)
				}
			}
			if len(emps) != 5 {
				t.Errorf("employment kinds %v", emps)
			}
			wareki, expired := 0, 0
			for _, g := range d.grants {
				if strings.ContainsAny(g.rawFrom, "令平R") {
					wareki++
				}
				if !g.to.IsZero() && g.to.Before(may(1)) {
					expired++
				}
			}
			if wareki == 0 || expired == 0 {
				t.Errorf("grants: %d rows in 和暦, %d expired; want some of each", wareki, expired)
			}
			if len(d.watch) == 0 {
				t.Error("empty watch list")
			}
			if transfers != 1 {
				t.Errorf("%d transfers in the master, want 1", transfers)
			}
			if len(d.overtime) < 3 {
				t.Errorf("%d approved overtime rows", len(d.overtime))
			}
		})
	}
}

func TestLogs(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			total := 0
			for _, l := range d.town.Logs {
				n := 0
				for _, e := range append(slices.Clone(d.events), d.office...) {
					if e.sys == l.System {
						n++
					}
				}
				if n != l.Rows || n == 0 {
					t.Errorf("%s: manifest says %d rows, file has %d", l.System, l.Rows, n)
				}
				total += n
			}
			if total < 20000 || total > 80000 {
				t.Errorf("%d rows in all; want a few tens of thousands", total)
			}
			last := map[string]time.Time{}
			perDay := map[string]map[int]int{}
			for _, e := range d.events {
				if e.t.Before(last[e.sys]) {
					t.Fatalf("%s line %d: time goes backwards (%v after %v)", e.sys, e.line, e.t, last[e.sys])
				}
				last[e.sys] = e.t
				if e.t.Year() != 2025 || e.t.Month() != time.May {
					t.Errorf("%s line %d: %v outside May 2025", e.sys, e.line, e.t)
				}
				if perDay[e.sys] == nil {
					perDay[e.sys] = map[int]int{}
				}
				perDay[e.sys][e.t.Day()]++
				if e.subject != "" && !isSubject(e.subject) {
					t.Errorf("%s line %d: 宛名番号 %q", e.sys, e.line, e.subject)
				}
				switch {
				case e.sys == "福祉":
					// Its layout has no record count column.
				case e.act == domain.ActionExport && e.records < 1:
					t.Errorf("%s line %d: export without a record count", e.sys, e.line)
				case e.act != domain.ActionExport && e.records >= 0:
					t.Errorf("%s line %d: %s with a record count", e.sys, e.line, e.raw)
				}
			}
			// No working day is missing from any log but the planted gap of
			// the welfare log on 5/19 (LOG_GAP).
			for _, e := range d.office {
				if perDay[e.sys] == nil {
					perDay[e.sys] = map[int]int{}
				}
				perDay[e.sys][e.t.Day()]++
			}
			for d0 := 1; d0 <= 31; d0++ {
				for _, sys := range []string{"住民記録", "税務", "福祉", "資産管理", "メール"} {
					gap := sys == "福祉" && d0 == 19
					if !closedMay2025[d0] && (perDay[sys][d0] == 0) != gap {
						t.Errorf("%s has %d rows on working day 5/%d", sys, perDay[sys][d0], d0)
					}
				}
			}
		})
	}
}

func TestSessionsAreWellFormed(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			type key struct {
				id, sys, terminal string
				day               int
			}
			open := map[key]bool{}
			for _, e := range d.events {
				k := key{e.id, e.sys, e.terminal, e.t.Day()}
				switch e.act {
				case domain.ActionLogin:
					if open[k] {
						t.Errorf("%s line %d: %s logs in twice", e.sys, e.line, e.id)
					}
					open[k] = true
				case domain.ActionLogout:
					if !open[k] {
						t.Errorf("%s line %d: %s logs out without a login", e.sys, e.line, e.id)
					}
					open[k] = false
				case domain.ActionLoginFail:
					if open[k] {
						t.Errorf("%s line %d: failed login inside a session", e.sys, e.line)
					}
				default:
					if !open[k] {
						t.Errorf("%s line %d: %s %s outside a session", e.sys, e.line, e.id, e.raw)
					}
				}
			}
			for k, o := range open {
				if o {
					t.Errorf("%v: no logout", k)
				}
			}
		})
	}
}

// TestVolumes checks the work looks like a town hall's: the counter of 住民課
// serves 100–200 residents a day, everyone else far fewer.
func TestVolumes(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			planted := d.plantedStaff()
			type key struct {
				id  string
				day int
			}
			events, subjects := map[key]int{}, map[key]map[string]bool{}
			for _, e := range d.events {
				if planted[e.id] {
					continue
				}
				k := key{e.id, e.t.Day()}
				events[k]++
				if e.act == domain.ActionLookup && e.subject != "" {
					if subjects[k] == nil {
						subjects[k] = map[string]bool{}
					}
					subjects[k][e.subject] = true
				}
			}
			counter := map[string]bool{}
			surge := 0
			for k, n := range events {
				s := len(subjects[k])
				if st := d.staffAt(k.id, may(k.day)); slices.Contains(surgeDays, k.day) && st.dept == "税務課" {
					// 住民税決定期: the tax clerks' busiest days (the 課長 only
					// looks now and then).
					if st.title != "課長" && (s < 50 || s > 110) {
						t.Errorf("tax clerk %s looked up %d residents on 5/%d, want 50–110 at 住民税決定期", k.id, s, k.day)
					}
					surge++
					continue
				}
				switch {
				case s >= 90:
					counter[k.id] = true
					if s > 200 || d.staffByID[k.id].dept != "住民課" {
						t.Errorf("%s (%s) looked up %d residents on 5/%d", k.id, d.staffByID[k.id].dept, s, k.day)
					}
				case n > 4*s+12:
					// A task is at most four rows about one resident, and a
					// day has at most three sessions' logins and logouts.
					t.Errorf("%s: %d events on 5/%d, but only %d residents", k.id, n, k.day, s)
				}
			}
			if len(counter) < 5 {
				t.Errorf("%d counter clerks serving 100–200 residents a day, want at least 5", len(counter))
			}
			if surge < 10 {
				t.Errorf("only %d tax clerk-days at 住民税決定期", surge)
			}
			for k := range events {
				if s := len(subjects[k]); counter[k.id] && s < 100 {
					t.Errorf("counter clerk %s looked up only %d residents on 5/%d", k.id, s, k.day)
				}
			}
		})
	}
}

// TestInspectionFindsExactlyThePlanted is the guarantee the end-to-end test
// relies on: with simple versions of the rules, exactly the planted
// incidents are flagged; hence no clean staff member is.
func TestInspectionFindsExactlyThePlanted(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			got := d.inspect()
			want := map[finding]bool{}
			for _, i := range d.town.Incidents {
				f := finding{i.Rule, i.StaffID, i.Date}
				if want[f] {
					t.Errorf("%v listed twice", f)
				}
				want[f] = true
				if !got[f] {
					t.Errorf("planted %v is not found", f)
				}
			}
			for f := range got {
				if !want[f] {
					t.Errorf("%v is flagged but not planted", f)
				}
			}
			rules := map[string]bool{}
			excluded := 0
			for _, i := range d.town.Incidents {
				rules[i.Rule] = true
				if i.Excluded {
					excluded++
					if i.StaffID != d.town.Exclusions[0].StaffID {
						t.Errorf("incident %v is excluded but its staff is not", i)
					}
				}
			}
			for _, r := range []string{"AFTER_HOURS", "HOLIDAY", "UNAUTHORIZED_SYSTEM", "RETIRED_ID", "UNKNOWN_ID", "WATCHLIST", "SELF_LOOKUP",
				"BULK_LOOKUP", "BULK_EXPORT", "REPEATED_SUBJECT", "LOGIN_FAILURE", "SHARED_ID", "DEVICE_WRITE", "EXPORT_THEN_DEVICE", "MAIL_EXTERNAL", "LOG_GAP"} {
				if !rules[r] {
					t.Errorf("no incident planted for %s", r)
				}
			}
			if excluded != 2 {
				t.Errorf("%d excluded incidents, want the 岩手 colleague's export and handoff", excluded)
			}
			holidays := map[string]bool{}
			for _, i := range d.town.Incidents {
				if i.Rule == "HOLIDAY" {
					holidays[i.Date] = true
				}
			}
			if !holidays["2025-05-10"] || !holidays["2025-05-06"] {
				t.Errorf("HOLIDAY incidents on %v; want Saturday 5/10 and the 振替休日 5/6", holidays)
			}
		})
	}
}

// TestCleanStaff checks each clean member's rows directly against the masters
// and the hours the generator promises (08:35–17:05 in the business systems,
// inside 08:30–17:15 for PCs and mail, or inside an approved overtime
// window).
func TestCleanStaff(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			clean := map[string]bool{}
			for _, id := range d.town.Clean {
				if d.staffByID[id] == nil {
					t.Errorf("clean %s is not in the master", id)
				}
				clean[id] = true
			}
			planted := d.plantedStaff()
			for id := range planted {
				if clean[id] {
					t.Errorf("%s is both clean and planted", id)
				}
			}
			for _, s := range d.staff {
				if !clean[s.id] && !planted[s.id] {
					t.Errorf("%s is neither clean nor planted", s.id)
				}
			}
			if len(clean) < 70 {
				t.Errorf("only %d clean staff", len(clean))
			}
			working, overtime, transferred := 0, 0, 0
			for _, e := range d.events {
				if !clean[e.id] {
					continue
				}
				working++
				if d.excused(e.id, e.t) {
					overtime++
				} else {
					tod := e.t.Sub(domain.DateOf(e.t))
					if tod < 8*time.Hour+35*time.Minute || tod > 17*time.Hour+5*time.Minute {
						t.Errorf("%s line %d: clean %s at %s", e.sys, e.line, e.id, e.t.Format("15:04:05"))
					}
					if closedMay2025[e.t.Day()] {
						t.Errorf("%s line %d: clean %s on closed day %s", e.sys, e.line, e.id, e.t.Format(time.DateOnly))
					}
				}
				s := d.staffAt(e.id, e.t)
				if s == nil {
					t.Errorf("%s line %d: clean %s active outside its master rows", e.sys, e.line, e.id)
					continue
				}
				if s != d.staffByID[e.id] {
					transferred++
				}
				if !slices.Contains(s.systems, e.sys) {
					t.Errorf("%s line %d: clean %s uses %s, not in 利用可能システム %v", e.sys, e.line, e.id, e.sys, s.systems)
				}
				if need := permFor(e.act); need != "" && !d.perms(s.dept, e.sys, e.t)[need] {
					t.Errorf("%s line %d: clean %s (%s) %s without %s", e.sys, e.line, e.id, s.dept, e.raw, need)
				}
			}
			if working < 10000 || overtime == 0 || transferred == 0 {
				t.Errorf("clean staff have %d rows, %d in approved overtime, %d after a transfer", working, overtime, transferred)
			}
			usb := 0
			for _, e := range d.office {
				if !clean[e.staff] {
					continue
				}
				if e.raw == "ファイル書込" {
					usb++
					if s := d.staffAt(e.staff, e.t); s == nil || s.usb != "○" {
						t.Errorf("%s line %d: clean %s writes to USB without permission", e.sys, e.line, e.staff)
					}
				}
				tod := e.t.Sub(domain.DateOf(e.t))
				if !d.excused(e.staff, e.t) && (closedMay2025[e.t.Day()] || tod < 8*time.Hour+30*time.Minute || tod > 17*time.Hour+15*time.Minute) {
					t.Errorf("%s line %d: clean %s at %s", e.sys, e.line, e.staff, e.t.Format("2006-01-02 15:04:05"))
				}
			}
			if usb == 0 {
				t.Error("no permitted USB use by clean staff (a near miss for DEVICE_WRITE)")
			}
		})
	}
}

func TestIncidentsAppearInLogs(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			seen := map[string]bool{}
			for _, e := range d.events {
				seen[e.id+" "+e.t.Format(time.DateOnly)] = true
			}
			for _, e := range d.office {
				seen[e.staff+" "+e.t.Format(time.DateOnly)] = true
			}
			for _, i := range d.town.Incidents {
				if !seen[i.StaffID+" "+i.Date] && i.Rule != "LOG_GAP" {
					t.Errorf("%v: no row of %s on %s", i.Rule, i.StaffID, i.Date)
				}
				if !regexp.MustCompile(`^2025-05-\d\d$`).MatchString(i.Date) {
					t.Errorf("%v: date %q", i.Rule, i.Date)
				}
				if !regexp.MustCompile(`\p{Han}`).MatchString(i.Note) || !strings.Contains(i.Note, i.StaffID) {
					t.Errorf("%v: note %q does not explain in Japanese who did what", i.Rule, i.Note)
				}
			}
			for _, i := range d.town.Incidents {
				if i.Rule == "RETIRED_ID" {
					s := d.staffByID[i.StaffID]
					if s == nil || s.emp != "委託" || s.end.Format(time.DateOnly) != "2025-04-30" || i.Date != "2025-05-13" {
						t.Errorf("RETIRED_ID %v: want the 委託 contractor ended 2025/04/30, used on 2025-05-13; master %+v", i, s)
					}
				}
				if i.Rule == "UNKNOWN_ID" && d.staffByID[i.StaffID] != nil {
					t.Errorf("UNKNOWN_ID %s is in the master", i.StaffID)
				}
			}
		})
	}
}

// ---- reading the files back ----

type staffRow struct {
	id, name, dept, title, emp string
	start, end                 time.Time
	usb, subject               string
	systems                    []string
	win, mail                  string
}

func (s *staffRow) active(t time.Time) bool {
	return domain.Staff{Start: s.start, End: s.end}.Active(t)
}

type grantRow struct {
	dept, system, perm string
	from, to           time.Time
	rawFrom            string
}

type watchRow struct {
	subject, kind string
	depts         []string
}

type event struct {
	sys, raw, id, terminal, subject string
	line, records                   int
	t                               time.Time
	act                             domain.Action

	device, file, mailTo, attach string // 資産管理 and メール logs
	staff                        string // the staff ID the account belongs to ("" when none)
	seq                          int    // 通番 (住民記録), 0 when the log has none
}

// receptionRow is one 受付 of the 受付簿.
type receptionRow struct {
	t             time.Time
	dept, subject string
}

type dataset struct {
	town      *Town
	staff     []*staffRow
	staffByID map[string]*staffRow
	grants    []grantRow
	watch     []watchRow
	events    []event // the access logs, file by file, in file order
	office    []event // the 資産管理 and メール logs, likewise
	overtime  map[string]map[int][2]time.Duration
	accounts  map[string]string // Windows account or mail address → staff ID
	reception []receptionRow
}

// staffAt returns the master row of id in force at t (nil when none).
func (d *dataset) staffAt(id string, t time.Time) *staffRow {
	for _, s := range d.staff {
		if s.id == id && s.active(t) {
			return s
		}
	}
	return nil
}

// excused reports whether t lies in an approved overtime window of id.
func (d *dataset) excused(id string, t time.Time) bool {
	w, ok := d.overtime[id][t.Day()]
	tod := t.Sub(domain.DateOf(t))
	return ok && tod >= w[0] && tod <= w[1]
}

var (
	cacheMu sync.Mutex
	cache   = map[int64]*dataset{}
)

// load generates the town for seed (once per test binary) and reads it back.
func load(t *testing.T, seed int64) *dataset {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if d := cache[seed]; d != nil {
		return d
	}
	d := read(t, seed)
	cache[seed] = d
	return d
}

// read generates the town for seed into a temporary directory and reads it
// back.
func read(t *testing.T, seed int64) *dataset {
	t.Helper()
	dir, err := os.MkdirTemp("", "tenken-sample-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	town, err := Generate(dir, seed)
	if err != nil {
		t.Fatal(err)
	}
	d := &dataset{town: town, staffByID: map[string]*staffRow{}, accounts: map[string]string{}, overtime: map[string]map[int][2]time.Duration{}}
	for _, r := range readCSV(t, town.StaffFile)[1:] {
		s := &staffRow{id: r[0], name: r[1], dept: r[2], title: r[3], emp: r[4],
			start: parseSlash(t, r[5]), end: parseSlash(t, r[6]), usb: r[7], subject: r[8], win: r[10], mail: r[11]}
		if r[9] != "" {
			s.systems = strings.Split(r[9], "・")
		}
		d.staff = append(d.staff, s)
		if d.staffByID[s.id] == nil {
			d.staffByID[s.id] = s
		}
		d.accounts[s.win], d.accounts[s.mail] = s.id, s.id
	}
	for _, r := range readCSV(t, town.OvertimeFile)[1:] {
		day := parseSlash(t, r[1])
		var h1, m1, h2, m2 int
		if _, err := fmt.Sscanf(r[2]+" "+r[3], "%d:%d %d:%d", &h1, &m1, &h2, &m2); err != nil {
			t.Fatalf("overtime %v: %v", r, err)
		}
		if d.overtime[r[0]] == nil {
			d.overtime[r[0]] = map[int][2]time.Duration{}
		}
		d.overtime[r[0]][day.Day()] = [2]time.Duration{time.Duration(h1)*time.Hour + time.Duration(m1)*time.Minute, time.Duration(h2)*time.Hour + time.Duration(m2)*time.Minute}
	}
	for _, r := range readCSV(t, town.GrantsFile)[1:] {
		d.grants = append(d.grants, grantRow{dept: r[0], system: r[1], perm: r[2], from: anyDate(t, r[3]), to: anyDate(t, r[4]), rawFrom: r[3]})
	}
	for _, r := range readCSV(t, town.ReceptionFile)[1:] {
		d.reception = append(d.reception, receptionRow{t: mustParse(t, "2006/01/02 15:04", r[0]), dept: r[2], subject: r[4]})
	}
	for _, r := range readCSV(t, town.WatchlistFile)[1:] {
		d.watch = append(d.watch, watchRow{subject: r[0], kind: r[1], depts: strings.Split(r[2], "・")})
	}
	for _, l := range town.Logs {
		rows := readCSV(t, l.Path)
		if l.Kind != domain.KindAccess {
			for i, r := range rows[1:] {
				e := event{sys: l.System, line: i + 1, records: -1, t: mustParse(t, "2006/01/02 15:04:05", r[0]), id: r[1], staff: d.accounts[r[1]]}
				if l.Kind == domain.KindEndpoint {
					e.terminal, e.raw, e.device, e.file = r[2], r[3], r[4], r[5]
				} else {
					e.mailTo, e.attach = r[2], r[4]
				}
				d.office = append(d.office, e)
			}
			continue
		}
		header := 0
		if l.System == "福祉" {
			header = 1 // the title line; csv skips the blank line
		}
		for i, r := range rows[header+1:] {
			e := event{sys: l.System, line: i + 1, records: -1}
			var rec string
			switch l.System {
			case "住民記録":
				e.t = mustParse(t, "2006/01/02 15:04:05", r[0])
				e.id, e.terminal, e.raw, e.subject, rec = r[1], r[3], r[5], r[6], r[7]
				seq, err := strconv.Atoi(r[8])
				if err != nil {
					t.Fatalf("住民記録 line %d: 通番 %q", e.line, r[8])
				}
				e.seq = seq
			case "税務":
				var h, m int
				if _, err := fmt.Sscanf(r[1], "%d:%d", &h, &m); err != nil || len(r[1]) < 4 {
					t.Fatalf("税務: time %q", r[1])
				}
				e.t = at(anyDate(t, r[0]), h, m, 0)
				e.id, e.terminal, e.raw, e.subject, rec = r[2], r[3], r[5], r[6], r[7]
			case "福祉":
				e.t = mustParse(t, "2006-01-02T15:04:05", r[0])
				e.id, e.terminal, e.raw, e.subject = r[1], r[2], r[4], r[5]
			}
			if rec != "" {
				n, err := strconv.Atoi(rec)
				if err != nil {
					t.Fatalf("%s: 件数 %q", l.System, rec)
				}
				e.records = n
			}
			act, ok := actions[e.raw]
			if !ok {
				t.Fatalf("%s line %d: action %q is not in DOMAIN.md's vocabulary", l.System, e.line, e.raw)
			}
			e.act = act
			d.events = append(d.events, e)
		}
	}
	return d
}

// actions maps the action words of DOMAIN.md that the sample may use.
var actions = map[string]domain.Action{
	"照会": domain.ActionLookup, "参照": domain.ActionLookup, "検索": domain.ActionLookup,
	"更新": domain.ActionUpdate, "登録": domain.ActionUpdate,
	"CSV出力": domain.ActionExport, "帳票": domain.ActionExport, "印刷": domain.ActionExport,
	"ログイン": domain.ActionLogin, "ログアウト": domain.ActionLogout, "ログイン失敗": domain.ActionLoginFail,
}

// permFor is the 権限 an action needs; "" when any grant on the system will do.
func permFor(a domain.Action) string {
	switch a {
	case domain.ActionLookup:
		return "照会"
	case domain.ActionUpdate:
		return "更新"
	case domain.ActionExport:
		return "出力"
	}
	return ""
}

// perms returns the permissions dept holds on sys on day.
func (d *dataset) perms(dept, sys string, day time.Time) map[string]bool {
	p := map[string]bool{}
	day = domain.DateOf(day)
	for _, g := range d.grants {
		if g.dept == dept && g.system == sys && !day.Before(g.from) && (g.to.IsZero() || !day.After(g.to)) {
			p[g.perm] = true
		}
	}
	return p
}

// plantedStaff is every account named by an incident, present or future.
func (d *dataset) plantedStaff() map[string]bool {
	p := map[string]bool{}
	for _, i := range d.town.Incidents {
		p[i.StaffID] = true
	}
	return p
}

type finding struct{ rule, staff, date string }

// inspect runs simple versions of the rules of DOMAIN.md over the dataset
// and returns the findings.
func (d *dataset) inspect() map[finding]bool {
	found := map[finding]bool{}
	flag := func(rule, id string, t time.Time) {
		found[finding{rule, id, t.Format(time.DateOnly)}] = true
	}
	watch := map[string]watchRow{}
	for _, w := range d.watch {
		watch[w.subject] = w
	}
	type subjKey struct{ id, subject string }
	type dayKey struct {
		id  string
		day int
	}
	lookupDays := map[subjKey]map[int]bool{}
	updated := map[subjKey]bool{}
	distinct := map[dayKey]map[string]bool{}
	fails := map[string][]time.Time{}
	exports := map[string][]time.Time{}
	timeRules := func(id string, t time.Time) {
		tod := t.Sub(domain.DateOf(t))
		switch {
		case d.excused(id, t):
		case closedMay2025[t.Day()]:
			flag("HOLIDAY", id, t)
		case tod < 8*time.Hour+30*time.Minute || tod > 17*time.Hour+15*time.Minute:
			flag("AFTER_HOURS", id, t)
		}
	}
	for _, e := range d.events {
		s := d.staffAt(e.id, e.t)
		switch {
		case d.staffByID[e.id] == nil:
			flag("UNKNOWN_ID", e.id, e.t)
		case s == nil:
			flag("RETIRED_ID", e.id, e.t)
		default:
			p := d.perms(s.dept, e.sys, e.t)
			if need := permFor(e.act); len(p) == 0 || need != "" && !p[need] {
				flag("UNAUTHORIZED_SYSTEM", e.id, e.t)
			}
		}
		timeRules(e.id, e.t)
		k := subjKey{e.id, e.subject}
		switch e.act {
		case domain.ActionExport:
			exports[e.id] = append(exports[e.id], e.t)
			if e.records >= 1000 {
				flag("BULK_EXPORT", e.id, e.t)
			}
		case domain.ActionUpdate:
			updated[k] = true
		case domain.ActionLoginFail:
			fails[e.id] = append(fails[e.id], e.t)
		case domain.ActionLookup:
			if e.subject == "" {
				break
			}
			if s != nil && s.subject == e.subject {
				flag("SELF_LOOKUP", e.id, e.t)
			}
			if w, ok := watch[e.subject]; ok && (s == nil || !slices.Contains(w.depts, s.dept)) {
				flag("WATCHLIST", e.id, e.t)
			}
			if lookupDays[k] == nil {
				lookupDays[k] = map[int]bool{}
			}
			lookupDays[k][e.t.Day()] = true
			dk := dayKey{e.id, e.t.Day()}
			if distinct[dk] == nil {
				distinct[dk] = map[string]bool{}
			}
			distinct[dk][e.subject] = true
		}
	}
	// The office logs: time rules, removable media, mail.
	own := func(addr string) bool {
		dom := addr[strings.LastIndexByte(addr, '@')+1:]
		return dom == "town.yamazato.lg.jp" || slices.Contains(d.town.PartnerDomains, dom)
	}
	for _, e := range d.office {
		if e.staff == "" {
			flag("UNKNOWN_ID", e.id, e.t)
			continue
		}
		timeRules(e.staff, e.t)
		s := d.staffAt(e.staff, e.t)
		takeout := false
		switch {
		case e.raw == "ファイル書込":
			if s == nil || s.usb != "○" {
				flag("DEVICE_WRITE", e.staff, e.t)
			}
			takeout = true
		case e.sys == "メール" && e.attach != "":
			for _, to := range strings.Split(e.mailTo, "; ") {
				if !own(to) {
					flag("MAIL_EXTERNAL", e.staff, e.t)
					takeout = true
				}
			}
		}
		for _, x := range exports[e.staff] {
			if takeout && !x.After(e.t) && e.t.Sub(x) <= time.Hour {
				flag("EXPORT_THEN_DEVICE", e.staff, e.t)
			}
		}
	}
	// LOG_GAP: a working day without rows between a log's first and last.
	perDay := map[string]map[int]bool{}
	for _, e := range append(slices.Clone(d.events), d.office...) {
		if perDay[e.sys] == nil {
			perDay[e.sys] = map[int]bool{}
		}
		perDay[e.sys][e.t.Day()] = true
	}
	for sys, days := range perDay {
		first, last := 31, 1
		for day := range days {
			first, last = min(first, day), max(last, day)
		}
		for day := first; day <= last; day++ {
			if !days[day] && !closedMay2025[day] {
				flag("LOG_GAP", sys, may(day))
			}
		}
	}
	// REPEATED_SUBJECT: looked up on 3 or more days, never updated by the
	// staff member nor by anyone of their department, and beyond chance
	// for the staff member's daily volume: with E the expected number of
	// residents met on that many days by chance (Poisson-binomial over the
	// days with p = residents that day / population), the probability of
	// meeting as many residents on the same days, P(Poisson(E) ≥ m), is at
	// most 0.05; reported on the last day.
	deptUpdated := map[[2]string]bool{} // (dept, subject)
	for _, e := range d.events {
		if e.act == domain.ActionUpdate || e.act == domain.ActionExport && e.subject != "" {
			if s := d.staffAt(e.id, e.t); s != nil {
				deptUpdated[[2]string{s.dept, e.subject}] = true
			}
		}
	}
	perStaff := map[string][]int{}
	for k, s := range distinct {
		perStaff[k.id] = append(perStaff[k.id], len(s))
	}
	type repeat struct {
		k    subjKey
		days []int
	}
	var repeats []repeat
	together := map[string]int{} // staff and days → residents repeated on exactly those days
	for k, days := range lookupDays {
		if len(days) < 3 || updated[k] {
			continue
		}
		var list []int
		for day := range days {
			list = append(list, day)
		}
		slices.Sort(list)
		if s := d.staffAt(k.id, may(list[len(list)-1])); s != nil && deptUpdated[[2]string{s.dept, k.subject}] {
			continue
		}
		repeats = append(repeats, repeat{k, list})
		together[fmt.Sprint(k.id, list)]++
	}
	for _, r := range repeats {
		if poissonTail(chanceRepeats(perStaff[r.k.id], population, len(r.days)), together[fmt.Sprint(r.k.id, r.days)]) > 0.05 {
			continue
		}
		flag("REPEATED_SUBJECT", r.k.id, may(r.days[len(r.days)-1]))
	}
	// BULK_LOOKUP: 50 or more residents in a day, 3× the staff member's
	// median day and 3× the median of the department's colleagues who
	// looked residents up that day (a department-wide surge is business).
	deptOf := func(id string, day int) string {
		if s := d.staffAt(id, may(day)); s != nil {
			return s.dept
		}
		return ""
	}
	for k, s := range distinct {
		counts := slices.Clone(perStaff[k.id])
		slices.Sort(counts)
		median := counts[len(counts)/2]
		if len(s) < 50 || len(s) < 3*median {
			continue
		}
		var same []int
		for k2, s2 := range distinct {
			if k2.day == k.day && k2.id != k.id && deptOf(k2.id, k2.day) == deptOf(k.id, k.day) {
				same = append(same, len(s2))
			}
		}
		slices.Sort(same)
		if len(same) >= 2 && len(s) < 3*same[(len(same)-1)/2] {
			continue
		}
		flag("BULK_LOOKUP", k.id, may(k.day))
	}
	// BULK_LOOKUP, slow kind: two or more weeks (Monday to Sunday) in a
	// row whose median day is twice the staff member's busier days before
	// them (the upper quartile of at least five days in two earlier weeks), with
	// 50 residents a week or more, at twice the department's median day,
	// and growing twice as much as the department's colleagues did in the
	// same weeks (medians again); reported on the run's last day.
	weekOfDay := func(day int) int { return (day + 2) / 7 }
	dayCounts := map[string]map[int]int{} // staff → day → residents
	for k, s := range distinct {
		if dayCounts[k.id] == nil {
			dayCounts[k.id] = map[int]int{}
		}
		dayCounts[k.id][k.day] = len(s)
	}
	median := func(v []float64) float64 {
		slices.Sort(v)
		return v[(len(v)-1)/2]
	}
	usual := func(id string, beforeWeek int) (float64, bool) {
		var n []float64
		weeks := map[int]bool{}
		for day, c := range dayCounts[id] {
			if weekOfDay(day) < beforeWeek {
				n = append(n, float64(c))
				weeks[weekOfDay(day)] = true
			}
		}
		if len(weeks) < 2 || len(n) < 5 {
			return 0, false
		}
		slices.Sort(n)
		return n[(3*len(n)+3)/4-1], true // the upper quartile: the busier days
	}
	// weekMedian is the median day of a week (in dept unless ""), and the
	// residents of the week.
	weekMedian := func(id string, wk int, dept string) (float64, int, bool) {
		var n []float64
		sum := 0
		for day, c := range dayCounts[id] {
			if weekOfDay(day) == wk && (dept == "" || deptOf(id, day) == dept) {
				n = append(n, float64(c))
				sum += c
			}
		}
		if len(n) == 0 {
			return 0, 0, false
		}
		return median(n), sum, true
	}
	growthIn := func(id string, from, to int, dept string, base float64) (float64, bool) {
		var r []float64
		for wk := from; wk <= to; wk++ {
			if m, _, ok := weekMedian(id, wk, dept); ok {
				r = append(r, m)
			}
		}
		if len(r) == 0 {
			return 0, false
		}
		return median(r) / max(base, 1), true
	}
	for id := range dayCounts {
		for start := 2; start <= weekOfDay(31); start++ {
			base, ok := usual(id, start)
			if !ok {
				continue
			}
			end := start - 1
			for wk := start; wk <= weekOfDay(31); wk++ {
				m, n, any := weekMedian(id, wk, "")
				if !any || m < 2*max(base, 1) || n < 50 {
					break
				}
				end = wk
			}
			if end-start+1 < 2 {
				continue
			}
			lastDay := 0
			for day := range dayCounts[id] {
				if weekOfDay(day) <= end {
					lastDay = max(lastDay, day)
				}
			}
			dept := deptOf(id, lastDay)
			own, _ := growthIn(id, start, end, "", base)
			var growth []float64
			for id2 := range dayCounts {
				if id2 == id {
					continue
				}
				b2, ok := usual(id2, start)
				if g, any := growthIn(id2, start, end, dept, b2); any && ok {
					growth = append(growth, g)
				}
			}
			if len(growth) >= 2 && own < 2*max(median(growth), 1) {
				continue
			}
			var deptDays []float64
			for id2, days := range dayCounts {
				for day, c := range days {
					if deptOf(id2, day) == dept {
						deptDays = append(deptDays, float64(c))
					}
				}
			}
			level := true
			for wk := start; wk <= end; wk++ {
				m, _, _ := weekMedian(id, wk, "")
				level = level && m >= 2*max(median(deptDays), 1)
			}
			if !level {
				continue // still an ordinary level for the department
			}
			flag("BULK_LOOKUP", id, may(lastDay))
			break
		}
	}
	// BULK_LOOKUP, enumeration: 20 or more residents with neighbouring
	// 宛名番号 (among all residents the logs show) looked up one after the
	// other, in ascending order.
	var allSubjects []string
	seenSubject := map[string]bool{}
	for _, e := range d.events {
		if e.subject != "" && !seenSubject[e.subject] {
			seenSubject[e.subject] = true
			allSubjects = append(allSubjects, e.subject)
		}
	}
	slices.Sort(allSubjects) // ten digits each: string order is number order
	rank := map[string]int{}
	for i, s := range allSubjects {
		rank[s] = i
	}
	type walkKey struct {
		id  string
		day int
	}
	walks := map[walkKey][]string{}
	for _, e := range d.events {
		if e.act == domain.ActionLookup && e.subject != "" {
			k := walkKey{e.id, e.t.Day()}
			walks[k] = append(walks[k], e.subject)
		}
	}
	for k, subjects := range walks {
		// A chain of neighbours (rank one to three further), passing over
		// up to four other lookups in between (a telephone enquiry).
		chain, skips, longest := 1, 0, 1
		last := subjects[0]
		for _, x := range subjects[1:] {
			switch r := rank[x] - rank[last]; {
			case x == last:
			case r >= 1 && r <= 3:
				chain, skips, last = chain+1, 0, x
			case skips < 4:
				skips++
			default:
				chain, skips, last = 1, 0, x
			}
			longest = max(longest, chain)
		}
		if longest >= 20 {
			flag("BULK_LOOKUP", k.id, may(k.day))
		}
	}
	// LOGIN_FAILURE: 5 failures within 10 minutes.
	for id, ts := range fails {
		for i := 0; i+4 < len(ts); i++ {
			if ts[i+4].Sub(ts[i]) <= 10*time.Minute {
				flag("LOGIN_FAILURE", id, ts[i+4])
			}
		}
	}
	// SHARED_ID: sessions of one account on two terminals overlapping.
	type sess struct {
		terminal string
		from, to time.Time
	}
	type sessKey struct{ id, sys string }
	open := map[sessKey]map[string]time.Time{}
	sessions := map[sessKey][]sess{}
	for _, e := range d.events {
		k := sessKey{e.id, e.sys}
		switch e.act {
		case domain.ActionLogin:
			if open[k] == nil {
				open[k] = map[string]time.Time{}
			}
			open[k][e.terminal] = e.t
		case domain.ActionLogout:
			sessions[k] = append(sessions[k], sess{e.terminal, open[k][e.terminal], e.t})
		}
	}
	for k, ss := range sessions {
		for i, a := range ss {
			for _, b := range ss[i+1:] {
				if a.terminal != b.terminal && a.from.Before(b.to) && b.from.Before(a.to) {
					later := a.from
					if b.from.After(later) {
						later = b.from
					}
					flag("SHARED_ID", k.id, later)
				}
			}
		}
	}
	// EXPORT_HANDOFF: a list export (no resident, not one record) followed
	// within 60 minutes by a mail from the same person with a data file
	// attached (csv, xlsx, zip …) to staff whose department holds no grant
	// for the exported system that day; both flagged on the mail's day.
	dataFile := regexp.MustCompile(`(?i)\.(csv|tsv|txt|xlsx?|zip|lzh)$`)
	type export struct {
		sys string
		t   time.Time
	}
	lists := map[string][]export{}
	for _, e := range d.events {
		if e.act == domain.ActionExport && e.subject == "" && e.records != 1 {
			lists[e.id] = append(lists[e.id], export{e.sys, e.t})
		}
	}
	for _, e := range d.office {
		if e.sys != "メール" || !dataFile.MatchString(e.attach) {
			continue
		}
		for _, x := range lists[e.staff] {
			if x.t.After(e.t) || e.t.Sub(x.t) > time.Hour {
				continue
			}
			for _, to := range strings.Split(e.mailTo, "; ") {
				y := d.accounts[to]
				if s := d.staffAt(y, e.t); y != "" && y != e.staff && s != nil && len(d.perms(s.dept, x.sys, e.t)) == 0 {
					flag("EXPORT_HANDOFF", e.staff, e.t)
					flag("EXPORT_HANDOFF", y, e.t)
				}
			}
		}
	}
	// SHARED_ID against the endpoint log: a business account used on a PC
	// while another person is logged on to it (5 minutes of clock skew
	// allowed) and not its owner — both flagged; and an account used on a
	// day its owner, whom the endpoint log shows on other days, has no
	// PC logon.
	type logon struct {
		staff    string
		from, to time.Time
	}
	pcs := map[string][]logon{}
	logonDays := map[string]map[int]bool{}
	logonAt := map[[2]string]time.Time{}
	anyLogon := map[int]bool{} // days the endpoint log covers
	for _, e := range d.office {
		if e.sys != "資産管理" || e.staff == "" {
			continue
		}
		k := [2]string{e.staff, e.terminal}
		switch e.raw {
		case "ログオン":
			logonAt[k] = e.t
			anyLogon[e.t.Day()] = true
			if logonDays[e.staff] == nil {
				logonDays[e.staff] = map[int]bool{}
			}
			logonDays[e.staff][e.t.Day()] = true
		case "ログオフ":
			pcs[e.terminal] = append(pcs[e.terminal], logon{e.staff, logonAt[k], e.t})
		}
	}
	skew := 5 * time.Minute
	for _, e := range d.events {
		if e.sys == "税務" || d.staffByID[e.id] == nil || e.act == domain.ActionLoginFail {
			continue // the tax log names terminals by IP address
		}
		own, other := false, ""
		for _, l := range pcs[e.terminal] {
			if l.staff == e.id && !e.t.Before(l.from.Add(-skew)) && !e.t.After(l.to.Add(skew)) {
				own = true
			}
			if l.staff != e.id && !e.t.Before(l.from.Add(skew)) && !e.t.After(l.to.Add(-skew)) {
				other = l.staff
			}
		}
		if other != "" && !own {
			flag("SHARED_ID", e.id, e.t)
			flag("SHARED_ID", other, e.t)
		}
		if logonDays[e.id] != nil && !logonDays[e.id][e.t.Day()] && anyLogon[e.t.Day()] {
			flag("SHARED_ID", e.id, e.t)
		}
	}
	// LOG_GAP: a 通番 that skips (rows deleted from the file).
	lastSeq := map[string]int{}
	for _, e := range d.events {
		if e.seq == 0 {
			continue
		}
		if p, ok := lastSeq[e.sys]; ok && e.seq != p+1 {
			flag("LOG_GAP", e.sys, e.t)
		}
		lastSeq[e.sys] = e.seq
	}
	// UNMATCHED_LOOKUP: a lookup by staff of 住民課 or 福祉課 (the sample's
	// reconciled 所属) of a resident with no 受付 of the 所属 that day or
	// the day either side — for 福祉課 (case work) any 受付 since 4/1 or
	// processing in May — and no update or issue by the 所属 within a day
	// (窓口). A staff member's day is flagged with 5 residents or more
	// unmatched, or a resident unmatched on 2 days or more (reported on
	// the last; the sample's unmatched volumes are too small for chance to
	// explain a repeat).
	type recKey struct{ dept, subject string }
	received := map[recKey][]time.Time{}
	for _, r := range d.reception {
		received[recKey{r.dept, r.subject}] = append(received[recKey{r.dept, r.subject}], r.t)
	}
	processed := map[recKey][]time.Time{}
	for _, e := range d.events {
		if e.act == domain.ActionUpdate || e.act == domain.ActionExport && e.subject != "" {
			if s := d.staffAt(e.id, e.t); s != nil {
				processed[recKey{s.dept, e.subject}] = append(processed[recKey{s.dept, e.subject}], e.t)
			}
		}
	}
	near := func(ts []time.Time, t time.Time) bool {
		for _, x := range ts {
			if dd := domain.DateOf(x).Sub(domain.DateOf(t)); dd >= -24*time.Hour && dd <= 24*time.Hour {
				return true
			}
		}
		return false
	}
	unmatchedDays := map[subjKey]map[int]bool{}
	unmatchedPerDay := map[dayKey]map[string]bool{}
	for _, e := range d.events {
		s := d.staffAt(e.id, e.t)
		if e.act != domain.ActionLookup || e.subject == "" || s == nil || (s.dept != "住民課" && s.dept != "福祉課") {
			continue
		}
		k := recKey{s.dept, e.subject}
		if near(received[k], e.t) || near(processed[k], e.t) || s.dept == "福祉課" && (len(received[k]) > 0 || len(processed[k]) > 0) {
			continue
		}
		sk := subjKey{e.id, e.subject}
		if unmatchedDays[sk] == nil {
			unmatchedDays[sk] = map[int]bool{}
		}
		unmatchedDays[sk][e.t.Day()] = true
		dk := dayKey{e.id, e.t.Day()}
		if unmatchedPerDay[dk] == nil {
			unmatchedPerDay[dk] = map[string]bool{}
		}
		unmatchedPerDay[dk][e.subject] = true
	}
	for dk, subjects := range unmatchedPerDay {
		if len(subjects) >= 5 {
			flag("UNMATCHED_LOOKUP", dk.id, may(dk.day))
		}
	}
	for sk, days := range unmatchedDays {
		if len(days) >= 2 {
			last := 0
			for day := range days {
				last = max(last, day)
			}
			flag("UNMATCHED_LOOKUP", sk.id, may(last))
		}
	}
	return found
}

// chanceRepeats is the expected number of residents a clerk who looked up
// counts[i] residents on day i meets on k or more days, if each day's
// residents were drawn at random from the population.
func chanceRepeats(counts []int, population, k int) float64 {
	q := make([]float64, k+1)
	q[0] = 1
	for _, c := range counts {
		p := float64(c) / float64(population)
		q[k] += q[k-1] * p
		for j := k - 1; j > 0; j-- {
			q[j] = q[j]*(1-p) + q[j-1]*p
		}
		q[0] *= 1 - p
	}
	return float64(population) * q[k]
}

// poissonTail is P(X ≥ m) for X Poisson with mean mean.
func poissonTail(mean float64, m int) float64 {
	term, sum := math.Exp(-mean), 0.0
	for j := 0; j < m; j++ {
		sum += term
		term *= mean / float64(j+1)
	}
	return 1 - sum
}

// ---- small helpers ----

func allFiles(town *Town) []string {
	files := []string{town.StaffFile, town.GrantsFile, town.WatchlistFile, town.OvertimeFile}
	for _, l := range town.Logs {
		files = append(files, l.Path)
	}
	return files
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeCP932 decodes raw and checks it round-trips: every byte was valid
// CP932 and nothing was replaced.
func decodeCP932(t *testing.T, raw []byte) string {
	t.Helper()
	text, err := japanese.ShiftJIS.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatalf("not CP932: %v", err)
	}
	if bytes.ContainsRune(text, utf8.RuneError) {
		t.Fatal("decoding CP932 produced replacement characters")
	}
	back, err := japanese.ShiftJIS.NewEncoder().Bytes(text)
	if err != nil || !bytes.Equal(back, raw) {
		t.Fatalf("CP932 does not round-trip (err %v)", err)
	}
	return string(text)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(decodeCP932(t, readBytes(t, path))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func mustParse(t *testing.T, layout, s string) time.Time {
	t.Helper()
	v, err := time.Parse(layout, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

func parseSlash(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	return mustParse(t, "2006/01/02", s)
}

var (
	kanjiDate  = regexp.MustCompile(`^(令和|平成)(元|\d+)年(\d+)月(\d+)日$`)
	letterDate = regexp.MustCompile(`^([RH])(\d+)\.(\d+)\.(\d+)$`)
)

// anyDate reads the date formats the sample writes: 2019/04/01, 令和5年4月1日,
// 平成31年4月1日, R5.4.1.
func anyDate(t *testing.T, s string) time.Time {
	t.Helper()
	base := map[string]int{"令和": 2018, "平成": 1988, "R": 2018, "H": 1988}
	var m []string
	if m = kanjiDate.FindStringSubmatch(s); m == nil {
		m = letterDate.FindStringSubmatch(s)
	}
	if m == nil {
		return parseSlash(t, s)
	}
	y := 1
	if m[2] != "元" {
		y, _ = strconv.Atoi(m[2])
	}
	mo, _ := strconv.Atoi(m[3])
	dd, _ := strconv.Atoi(m[4])
	return ymd(base[m[1]]+y, time.Month(mo), dd)
}

func isSubject(s string) bool { return regexp.MustCompile(`^[1-9]\d{9}$`).MatchString(s) }

func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	for i := range b.N {
		if _, err := Generate(dir, int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
