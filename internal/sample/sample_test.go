package sample

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
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
			if fmt.Sprint(ta.Incidents, ta.Future, ta.Clean, ta.Person) != fmt.Sprint(tb.Incidents, tb.Future, tb.Clean, tb.Person) {
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
			if !strings.ContainsAny(text, "課住民") && !strings.Contains(text, "宛名") {
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
		{"職員マスタ", town.StaffFile, []string{"職員番号,氏名,所属課,役職,雇用区分,採用日,退職日,USB利用,本人宛名番号,利用可能システム"}},
		{"権限マスタ", town.GrantsFile, []string{"所属,システム,権限,開始日,終了日"}},
		{"要注意対象", town.WatchlistFile, []string{"宛名番号,区分,閲覧可能所属,登録日"}},
		{"住民記録", logs["住民記録"], []string{`"操作日時","職員ID","氏名","端末名","機能名","操作種別","宛名番号","件数"`}},
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
	for _, l := range town.Logs {
		systems = append(systems, l.System)
		if l.Kind != domain.KindAccess {
			t.Errorf("%s: kind %q", l.System, l.Kind)
		}
		if filepath.Dir(l.Path) != dir || filepath.Base(l.Path) != l.System+".csv" {
			t.Errorf("%s written to %s", l.System, l.Path)
		}
	}
	if !slices.Equal(systems, []string{"住民記録", "税務", "福祉"}) {
		t.Errorf("systems %v", systems)
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
			for _, s := range d.staff {
				if ids[s.id] || names[s.name] {
					t.Errorf("duplicate id %s or name %s", s.id, s.name)
				}
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
				for _, e := range d.events {
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
			// No working day is missing from any log (LOG_GAP must stay quiet).
			for d0 := 1; d0 <= 31; d0++ {
				for _, sys := range []string{"住民記録", "税務", "福祉"} {
					if !closedMay2025[d0] && perDay[sys][d0] == 0 {
						t.Errorf("%s has no rows on working day 5/%d", sys, d0)
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
			for k, n := range events {
				s := len(subjects[k])
				switch {
				case s >= 90:
					counter[k.id] = true
					if s > 200 || d.staffByID[k.id].dept != "住民課" {
						t.Errorf("%s (%s) looked up %d residents on 5/%d", k.id, d.staffByID[k.id].dept, s, k.day)
					}
				case n > 60:
					t.Errorf("%s: %d events on 5/%d, but only %d residents", k.id, n, k.day, s)
				}
			}
			if len(counter) < 5 {
				t.Errorf("%d counter clerks serving 100–200 residents a day, want at least 5", len(counter))
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
// relies on: with simple versions of the rules, the five present rules flag
// exactly the planted incidents and the future rules exactly the future
// cases; hence no clean staff member is flagged.
func TestInspectionFindsExactlyThePlanted(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			d := load(t, seed)
			present, future := d.inspect()
			compare := func(what string, got map[finding]bool, want []Incident) {
				wantSet := map[finding]bool{}
				for _, i := range want {
					f := finding{i.Rule, i.StaffID, i.Date}
					if wantSet[f] {
						t.Errorf("%s: %v listed twice", what, f)
					}
					wantSet[f] = true
					if !got[f] {
						t.Errorf("%s: planted %v is not found", what, f)
					}
				}
				for f := range got {
					if !wantSet[f] {
						t.Errorf("%s: %v is flagged but not planted", what, f)
					}
				}
			}
			compare("present rules", present, d.town.Incidents)
			compare("future rules", future, d.town.Future)
			rules := map[string]bool{}
			for _, i := range d.town.Incidents {
				rules[i.Rule] = true
			}
			for _, r := range []string{"AFTER_HOURS", "HOLIDAY", "UNAUTHORIZED_SYSTEM", "RETIRED_ID", "UNKNOWN_ID"} {
				if !rules[r] {
					t.Errorf("no incident planted for %s", r)
				}
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
// and the hours the generator promises (08:35–17:05, inside 08:30–17:15).
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
			working := 0
			for _, e := range d.events {
				if !clean[e.id] {
					continue
				}
				working++
				s := d.staffByID[e.id]
				tod := e.t.Sub(domain.DateOf(e.t))
				if tod < 8*time.Hour+35*time.Minute || tod > 17*time.Hour+5*time.Minute {
					t.Errorf("%s line %d: clean %s at %s", e.sys, e.line, e.id, e.t.Format("15:04:05"))
				}
				if closedMay2025[e.t.Day()] {
					t.Errorf("%s line %d: clean %s on closed day %s", e.sys, e.line, e.id, e.t.Format(time.DateOnly))
				}
				if !slices.Contains(s.systems, e.sys) {
					t.Errorf("%s line %d: clean %s uses %s, not in 利用可能システム %v", e.sys, e.line, e.id, e.sys, s.systems)
				}
				if need := permFor(e.act); need != "" && !d.perms(s.dept, e.sys, e.t)[need] {
					t.Errorf("%s line %d: clean %s (%s) %s without %s", e.sys, e.line, e.id, s.dept, e.raw, need)
				}
				if !s.active(e.t) {
					t.Errorf("%s line %d: clean %s active outside %v – %v", e.sys, e.line, e.id, s.start, s.end)
				}
			}
			if working < 10000 {
				t.Errorf("clean staff have only %d rows", working)
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
			for _, i := range append(slices.Clone(d.town.Incidents), d.town.Future...) {
				if !seen[i.StaffID+" "+i.Date] {
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
}

type dataset struct {
	town      *Town
	staff     []*staffRow
	staffByID map[string]*staffRow
	grants    []grantRow
	watch     []watchRow
	events    []event // file by file, in file order
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
	d := &dataset{town: town, staffByID: map[string]*staffRow{}}
	for _, r := range readCSV(t, town.StaffFile)[1:] {
		s := &staffRow{id: r[0], name: r[1], dept: r[2], title: r[3], emp: r[4],
			start: parseSlash(t, r[5]), end: parseSlash(t, r[6]), usb: r[7], subject: r[8]}
		if r[9] != "" {
			s.systems = strings.Split(r[9], "・")
		}
		d.staff = append(d.staff, s)
		d.staffByID[s.id] = s
	}
	for _, r := range readCSV(t, town.GrantsFile)[1:] {
		d.grants = append(d.grants, grantRow{dept: r[0], system: r[1], perm: r[2], from: anyDate(t, r[3]), to: anyDate(t, r[4]), rawFrom: r[3]})
	}
	for _, r := range readCSV(t, town.WatchlistFile)[1:] {
		d.watch = append(d.watch, watchRow{subject: r[0], kind: r[1], depts: strings.Split(r[2], "・")})
	}
	for _, l := range town.Logs {
		rows := readCSV(t, l.Path)
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
	for _, i := range append(slices.Clone(d.town.Incidents), d.town.Future...) {
		p[i.StaffID] = true
	}
	return p
}

type finding struct{ rule, staff, date string }

// inspect runs simple versions of the rules of DOMAIN.md over the dataset
// and returns the findings of the present and of the future rules.
func (d *dataset) inspect() (present, future map[finding]bool) {
	present, future = map[finding]bool{}, map[finding]bool{}
	flag := func(set map[finding]bool, rule, id string, t time.Time) {
		set[finding{rule, id, t.Format(time.DateOnly)}] = true
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
	for _, e := range d.events {
		s := d.staffByID[e.id]
		tod := e.t.Sub(domain.DateOf(e.t))
		// Present rules.
		switch {
		case s == nil:
			flag(present, "UNKNOWN_ID", e.id, e.t)
		default:
			if !s.active(e.t) {
				flag(present, "RETIRED_ID", e.id, e.t)
			}
			p := d.perms(s.dept, e.sys, e.t)
			if need := permFor(e.act); len(p) == 0 || need != "" && !p[need] {
				flag(present, "UNAUTHORIZED_SYSTEM", e.id, e.t)
			}
		}
		if closedMay2025[e.t.Day()] {
			flag(present, "HOLIDAY", e.id, e.t)
		} else if tod < 8*time.Hour+30*time.Minute || tod > 17*time.Hour+15*time.Minute {
			flag(present, "AFTER_HOURS", e.id, e.t)
		}
		// Future rules.
		k := subjKey{e.id, e.subject}
		switch e.act {
		case domain.ActionExport:
			if e.records >= 1000 {
				flag(future, "BULK_EXPORT", e.id, e.t)
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
				flag(future, "SELF_LOOKUP", e.id, e.t)
			}
			if w, ok := watch[e.subject]; ok && (s == nil || !slices.Contains(w.depts, s.dept)) {
				flag(future, "WATCHLIST", e.id, e.t)
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
	// REPEATED_SUBJECT: looked up on 3 or more days, never updated; reported
	// on the last day.
	for k, days := range lookupDays {
		if len(days) >= 3 && !updated[k] {
			last := 0
			for day := range days {
				last = max(last, day)
			}
			flag(future, "REPEATED_SUBJECT", k.id, may(last))
		}
	}
	// BULK_LOOKUP: 50 or more residents in a day and 3× the staff member's
	// median day.
	perStaff := map[string][]int{}
	for k, s := range distinct {
		perStaff[k.id] = append(perStaff[k.id], len(s))
	}
	for k, s := range distinct {
		counts := slices.Clone(perStaff[k.id])
		slices.Sort(counts)
		median := counts[len(counts)/2]
		if len(s) >= 50 && len(s) >= 3*median {
			flag(future, "BULK_LOOKUP", k.id, may(k.day))
		}
	}
	// LOGIN_FAILURE: 5 failures within 10 minutes.
	for id, ts := range fails {
		for i := 0; i+4 < len(ts); i++ {
			if ts[i+4].Sub(ts[i]) <= 10*time.Minute {
				flag(future, "LOGIN_FAILURE", id, ts[i+4])
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
					flag(future, "SHARED_ID", k.id, later)
				}
			}
		}
	}
	return present, future
}

// ---- small helpers ----

func allFiles(town *Town) []string {
	files := []string{town.StaffFile, town.GrantsFile, town.WatchlistFile}
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
