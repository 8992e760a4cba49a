package workspace

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// sampleTown writes a staff master, a 受付簿 for 市民課 only and a May log:
// T001 (市民課) 20 lookups, T003 (税務課) 12 lookups and a search without
// a resident, T004 (福祉課) 3 lookups and an update, X999 (not in the
// master) 6 lookups.
func sampleTown(t *testing.T, w *Workspace) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	staff := writeSJIS(t, dir, "職員.csv", "職員ID,氏名,所属\r\nT001,山田 花子,市民課\r\nT003,佐藤 一郎,税務課\r\nT004,鈴木 次郎,福祉課\r\n")
	if _, err := w.ImportMaster(ctx, MasterStaff, staff); err != nil {
		t.Fatal(err)
	}
	rc := writeSJIS(t, dir, "受付簿.csv", "受付日,窓口,宛名番号\r\n2025/05/07,市民課,1000000001\r\n")
	if _, err := w.ImportMaster(ctx, MasterReception, rc); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("通番,操作日時,職員ID,機能名,操作,宛名番号\r\n")
	seq := 0
	add := func(staff string, n int, action, subject string) {
		for i := 0; i < n; i++ {
			seq++
			s := subject
			if s == "" {
				s = fmt.Sprintf("20000%05d", seq)
			}
			fmt.Fprintf(&b, "%d,2025/05/%02d %02d:%02d:00,%s,住民票照会,%s,%s\r\n", seq, 1+seq%28, 9+seq%8, seq%60, staff, action, s)
		}
	}
	add("T001", 20, "照会", "")
	add("T003", 12, "照会", "")
	add("T003", 1, "検索", "-")
	add("T004", 3, "照会", "")
	add("T004", 1, "更新", "")
	add("X999", 6, "照会", "")
	log := writeSJIS(t, dir, "住民記録.csv", strings.ReplaceAll(b.String(), ",-\r\n", ",\r\n"))
	if _, _, err := w.ImportLog(ctx, log, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
}

func sampleSummary(list []SampleCheck) string {
	var out []string
	for _, s := range list {
		out = append(out, fmt.Sprintf("%s/%s/%d of %d/%s", s.Dept, s.StaffID, s.No, s.Of, s.Time.Format("01-02 15:04")))
	}
	return strings.Join(out, "\n")
}

// TestSampleChecks: the 抽出点検 list samples the 所属 without a 受付簿,
// sample_size lookups of a resident per staff member of the master, the
// same list for the same run, residents masked unless asked.
func TestSampleChecks(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	if list, err := w.SampleChecks(ctx); err != nil || list != nil {
		t.Fatalf("before any run: %v %v", list, err)
	}
	sampleTown(t, w)
	if err := w.SetHearing(ctx, map[string]string{"sample_size": "4"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Inspect(ctx, day(2025, 5, 1), day(2025, 5, 31), nil); err != nil {
		t.Fatal(err)
	}
	list, err := w.SampleChecks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, s := range list {
		counts[s.Dept+"/"+s.StaffID]++
		if s.Of != map[string]int{"T003": 12, "T004": 3}[s.StaffID] {
			t.Errorf("%s drawn from %d lookups", s.StaffID, s.Of)
		}
		if s.File != "住民記録.csv" || s.Line < 2 || s.Seq == 0 || s.System != "住民記録" || s.Action != "照会" || s.StaffName == "" {
			t.Errorf("row %+v", s)
		}
		if !strings.HasSuffix(s.Subject, "******") || len(s.Subject) != 10 {
			t.Errorf("subject %q not masked", s.Subject)
		}
	}
	if fmt.Sprint(counts) != "map[福祉課/T004:3 税務課/T003:4]" {
		t.Fatalf("sampled %v, want 4 of 税務課's T003 and all 3 of 福祉課's T004; 市民課 has a 受付簿, X999 no person", counts)
	}
	for i := 1; i < len(list); i++ {
		a, b := list[i-1], list[i]
		if a.StaffID == b.StaffID && (b.No != a.No+1 || b.Time.Before(a.Time)) {
			t.Errorf("rows of %s out of order: %d %v, %d %v", a.StaffID, a.No, a.Time, b.No, b.Time)
		}
	}

	again, err := w.SampleChecks(ctx)
	if err != nil || sampleSummary(again) != sampleSummary(list) {
		t.Fatalf("the same run drew another sample:\n%s\nwant\n%s", sampleSummary(again), sampleSummary(list))
	}
	full, err := w.SampleChecksWith(ctx, SampleOptions{Unmask: true})
	if err != nil || len(full) != len(list) || !strings.HasPrefix(full[0].Subject, "20000") || strings.Contains(full[0].Subject, "*") {
		t.Fatalf("unmasked %+v %v", full, err)
	}
	// The report gets the same list, residents as stored (it masks them
	// itself unless told otherwise).
	d, err := w.ReportData(ctx)
	if err != nil || len(d.SampleChecks) != len(list) || d.SampleChecks[0].Subject != full[0].Subject || d.SampleChecks[0].Line != list[0].Line {
		t.Fatalf("report data %+v %v", d.SampleChecks, err)
	}
	// A log imported after the run does not change the run's sample.
	late := writeSJIS(t, t.TempDir(), "税務追加.csv", "操作日時,職員ID,操作,宛名番号\r\n2025/05/20 10:00:00,T003,照会,3000000001\r\n2025/05/21 10:00:00,T003,照会,3000000002\r\n")
	if _, _, err := w.ImportLog(ctx, late, ImportOptions{System: "税務"}, nil); err != nil {
		t.Fatal(err)
	}
	if after, err := w.SampleChecks(ctx); err != nil || sampleSummary(after) != sampleSummary(list) {
		t.Fatalf("a later import changed the run's sample:\n%s", sampleSummary(after))
	}

	// The hearing sheet's reconciled list: 市民課 is reconciled only if
	// it is named; naming 税務課, which has no 受付簿, reconciles nothing.
	if err := w.SetHearing(ctx, map[string]string{"reconciled": "税務課"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Inspect(ctx, day(2025, 5, 1), day(2025, 5, 31), nil); err != nil {
		t.Fatal(err)
	}
	next, err := w.SampleChecks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	staff := map[string]bool{}
	for _, s := range next {
		staff[s.StaffID] = true
	}
	if !staff["T001"] || !staff["T003"] || !staff["T004"] || staff["X999"] {
		t.Errorf("with reconciled=税務課 sampled %v, want T001, T003, T004", staff)
	}
}

// TestSampleKeysAreFair: under the draw's keys, every lookup of a person
// is equally likely to be chosen (4 of 10, over 4000 seeds).
func TestSampleKeysAreFair(t *testing.T) {
	const items, pick, seeds = 10, 4, 4000
	chosen := make([]int, items)
	for s := 0; s < seeds; s++ {
		seed := sampleSeed(int64(s), "digest")
		idx := make([]int, items)
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return sampleKey(seed, 3, 100+idx[a]) < sampleKey(seed, 3, 100+idx[b]) })
		for _, i := range idx[:pick] {
			chosen[i]++
		}
	}
	want := seeds * pick / items // 1600
	for i, n := range chosen {
		if n < want-150 || n > want+150 {
			t.Errorf("lookup %d chosen %d times of %d, want about %d", i, n, seeds, want)
		}
	}
	if sampleSeed(1, "a") == sampleSeed(2, "a") || sampleSeed(1, "a") == sampleSeed(1, "b") {
		t.Error("the seed does not depend on the run and its findings")
	}
}
