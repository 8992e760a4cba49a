package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"tenken/internal/sample"
)

// TestSampleTownOtherSeeds runs the real engine over sample towns of other
// seeds than the demo's, imported like LoadSample does: every planted
// incident is found, nothing else is flagged (not even for the planted
// staff), and every planted story is one case. TENKEN_SEEDS=40 sweeps seeds
// 1 to 40 instead (about three seconds a seed).
func TestSampleTownOtherSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("three sample towns")
	}
	seeds := []int64{1, 2, -7}
	if n, err := strconv.Atoi(os.Getenv("TENKEN_SEEDS")); err == nil && n > 0 {
		seeds = seeds[:0]
		for s := range n {
			seeds = append(seeds, int64(s+1))
		}
	}
	ctx := context.Background()
	for _, seed := range seeds {
		t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
			dir := t.TempDir()
			w, err := Open(filepath.Join(dir, "ws"))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			town, err := sample.Generate(filepath.Join(dir, "sample"), seed)
			if err != nil {
				t.Fatal(err)
			}
			h, err := w.Hearing(ctx)
			if err != nil {
				t.Fatal(err)
			}
			h.Town, h.Domains, h.PartnerDomains = town.Name, town.Domains, town.PartnerDomains
			h.Reconciled, h.CaseDepts = town.Reconciled, town.CaseDepts
			if err := w.SaveHearing(ctx, h); err != nil {
				t.Fatal(err)
			}
			for _, m := range []struct {
				kind MasterKind
				path string
			}{{MasterStaff, town.StaffFile}, {MasterGrants, town.GrantsFile}, {MasterWatchlist, town.WatchlistFile},
				{MasterOvertime, town.OvertimeFile}, {MasterReception, town.ReceptionFile}} {
				if _, err := w.ImportMaster(ctx, m.kind, m.path); err != nil {
					t.Fatal(err)
				}
			}
			for _, lf := range town.Logs {
				if _, err := w.ImportLogResult(ctx, lf.Path, ImportOptions{System: lf.System, Kind: lf.Kind}, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := w.Inspect(ctx, town.From, town.To, nil); err != nil {
				t.Fatal(err)
			}
			fs, err := w.Findings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found, flagged := map[string]bool{}, map[string]bool{}
			for _, f := range fs {
				found[f.Rule+" "+f.StaffID+" "+f.Date] = true
				flagged[f.StaffID] = true
			}
			planted := map[string]bool{}
			for _, i := range town.Incidents {
				k := i.Rule + " " + i.StaffID + " " + i.Date
				planted[k] = true
				if !found[k] {
					t.Errorf("planted %s is not found (%s)", k, i.Note)
				}
			}
			for _, f := range fs {
				if !planted[f.Rule+" "+f.StaffID+" "+f.Date] {
					t.Errorf("%s %s %s is flagged but not planted: %s", f.Rule, f.StaffID, f.Date, f.Detail)
				}
			}
			for _, id := range town.Clean {
				if flagged[id] {
					t.Errorf("clean staff %s is flagged", id)
				}
			}
			cases, err := w.Cases(ctx)
			if err != nil {
				t.Fatal(err)
			}
			keys := map[string]bool{}
			for _, c := range cases {
				keys[c.Key] = true
			}
			for _, s := range town.Stories {
				if !keys[s.Key()] {
					t.Errorf("planted story %s is not a case", s.Key())
				}
			}
		})
	}
}
