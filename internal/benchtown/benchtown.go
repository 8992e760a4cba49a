// Package benchtown generates a synthetic town's year of access logs, for
// the benchmarks that must show Tenken copes with a year of a real town
// (10M rows): the inspection (rules) and the report. Nothing is committed:
// the data is generated at bench time, deterministically from a seed.
//
// The town works in office hours of 8:00 to 18:00, so that a hearing
// sheet with narrower hours (NoisyHours) makes nearly every staff-day a
// finding of 勤務時間外の利用: the "noisy year" whose report must stay
// bounded in pages, time and memory.
package benchtown

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"tenken/internal/domain"
)

// NoisyHours are working hours narrower than the town's real ones: with
// them nearly every staff-day has work outside hours.
const NoisyHours = "09:30-16:30"

// Options size the town.
type Options struct {
	Rows       int    // events in the year, e.g. 10_000_000
	Staff      int    // staff members, e.g. 400
	FiscalYear int    // the year the fiscal year (April to March) starts in
	Seed       uint64 // the same seed gives the same town
}

// Town is a generated town: its masters and the shape of its logs.
type Town struct {
	Options
	From, To time.Time // the fiscal year
	Staff    []domain.Staff
	Grants   []domain.Grant
	Systems  []string
	days     []time.Time // days the town works
	weekend  []time.Time // closed days some staff work on
}

// depts and the system each works in.
var (
	depts   = []string{"住民課", "税務課", "福祉課", "保険課", "子育て支援課", "総務課", "選挙管理委員会", "情報政策課"}
	systems = []string{"住民記録", "住民税", "福祉総合", "国保", "子育て", "財務会計", "選挙", "住民記録"}
	family  = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"}
	given   = []string{"太郎", "花子", "一郎", "美咲", "健太", "由美", "翔太", "陽子", "大輔", "恵子"}
)

// Residents is the size of the town's population the logs look up.
const Residents = 40_000

// New lays the town out.
func New(o Options) *Town {
	if o.Staff <= 0 {
		o.Staff = 400
	}
	if o.FiscalYear == 0 {
		o.FiscalYear = 2025
	}
	t := &Town{Options: o, Systems: append([]string(nil), systems[:7]...)}
	t.From = time.Date(o.FiscalYear, 4, 1, 0, 0, 0, 0, time.UTC)
	t.To = time.Date(o.FiscalYear+1, 3, 31, 0, 0, 0, 0, time.UTC)
	for d := t.From; !d.After(t.To); d = d.AddDate(0, 0, 1) {
		wd := d.Weekday()
		yearEnd := (d.Month() == 12 && d.Day() >= 29) || (d.Month() == 1 && d.Day() <= 3)
		if wd == time.Saturday || wd == time.Sunday || yearEnd {
			t.weekend = append(t.weekend, d)
			continue
		}
		t.days = append(t.days, d)
	}
	for i := range o.Staff {
		dept := depts[i%len(depts)]
		s := domain.Staff{ID: staffID(i), Name: family[i%len(family)] + " " + given[(i/len(family))%len(given)], Dept: dept,
			Employment: "正規", Start: time.Date(2010, 4, 1, 0, 0, 0, 0, time.UTC)}
		if i%40 == 39 {
			s.Employment = "委託"
			s.Start = time.Date(o.FiscalYear, 4, 1, 0, 0, 0, 0, time.UTC)
		}
		t.Staff = append(t.Staff, s)
	}
	for i, d := range depts {
		t.Grants = append(t.Grants,
			domain.Grant{Dept: d, System: systems[i]},
			domain.Grant{Dept: d, System: "住民記録", Permission: "照会"})
	}
	return t
}

// staffID is the i-th staff member's ID; IDs sort in the order of i, so
// Each streams the events ordered by staff and time, as the store does.
func staffID(i int) string { return fmt.Sprintf("K%05d", i+1) }

// Each calls fn with every event of the year, staff by staff and each
// staff member's in time order. The event is reused between calls.
func (t *Town) Each(fn func(*domain.Event) error) error {
	rng := rand.New(rand.NewPCG(t.Seed, 0x5eed))
	perStaff := t.Rows / max(len(t.Staff), 1)
	var e domain.Event
	for si, s := range t.Staff {
		system := systems[si%len(depts)]
		// Four closed days a year at work, and the working days.
		days := make([]time.Time, 0, len(t.days)+4)
		for k := range 4 {
			days = append(days, t.weekend[(si*7+k*53)%len(t.weekend)])
		}
		days = append(days, t.days...)
		sortDays(days)
		n := perStaff
		if si == len(t.Staff)-1 {
			n = t.Rows - perStaff*(len(t.Staff)-1)
		}
		line := 0
		for di, day := range days {
			// Spread n events over the days; the day's share in order.
			lo, hi := n*di/len(days), n*(di+1)/len(days)
			count := hi - lo
			if count == 0 {
				continue
			}
			start := 8 * 3600
			span := 10 * 3600 // 8:00–18:00
			for j := range count {
				sec := start + span*j/count + rng.IntN(max(1, span/count))
				a := domain.ActionLookup
				raw := "照会"
				fn2 := "住民票照会"
				var records int64
				switch {
				case j == 0:
					a, raw, fn2 = domain.ActionLogin, "ログイン", "認証"
				case j == count-1:
					a, raw, fn2 = domain.ActionLogout, "ログアウト", "認証"
				case j%23 == 7:
					a, raw, fn2 = domain.ActionUpdate, "更新", "異動入力"
				case j%97 == 11:
					a, raw, fn2 = domain.ActionExport, "CSV出力", "一覧出力"
					records = int64(20 + rng.IntN(400))
					if rng.IntN(400) == 0 {
						records = int64(1500 + rng.IntN(20000))
					}
				}
				line++
				e = domain.Event{
					Time:      day.Add(time.Duration(sec) * time.Second),
					StaffID:   s.ID,
					StaffName: s.Name,
					Terminal:  fmt.Sprintf("PC%04d", si),
					System:    system,
					Function:  fn2,
					Action:    a,
					RawAction: raw,
					Records:   records,
					Kind:      domain.KindAccess,
					Line:      line,
				}
				if a == domain.ActionLookup || a == domain.ActionUpdate {
					e.SubjectID = fmt.Sprintf("1203%06d", rng.IntN(Residents))
				}
				if err := fn(&e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// sortDays sorts a few days in place (insertion sort: the closed days
// are put in among days that are sorted already).
func sortDays(ds []time.Time) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// WriteMasters writes the 職員マスタ and 権限マスタ as UTF-8 CSV files in
// dir, in the layout the master import reads.
func (t *Town) WriteMasters(dir string) (staffPath, grantsPath string, err error) {
	staffPath = filepath.Join(dir, "staff.csv")
	grantsPath = filepath.Join(dir, "grants.csv")
	write := func(path string, rows func(w *bufio.Writer)) error {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		rows(w)
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	err = write(staffPath, func(w *bufio.Writer) {
		fmt.Fprintln(w, "職員番号,氏名,所属課,役職,雇用区分,採用日,退職日,USB利用")
		for _, s := range t.Staff {
			fmt.Fprintf(w, "%s,%s,%s,主事,%s,%s,,×\n", s.ID, s.Name, s.Dept, s.Employment, s.Start.Format("2006/01/02"))
		}
	})
	if err != nil {
		return "", "", err
	}
	err = write(grantsPath, func(w *bufio.Writer) {
		fmt.Fprintln(w, "所属,システム,権限,開始日,終了日")
		for _, g := range t.Grants {
			perm := g.Permission
			if perm == "" {
				perm = "照会・更新・出力"
			}
			fmt.Fprintf(w, "%s,%s,%s,2010/04/01,\n", g.Dept, g.System, perm)
		}
	})
	return staffPath, grantsPath, err
}
