package workspace

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/hearing"
	"tenken/internal/privacy"
	"tenken/internal/report"
	"tenken/internal/store"
)

// SampleOptions configures the 抽出点検 list.
type SampleOptions struct {
	// Unmask gives residents' 宛名番号 in full, for the clerk who pulls
	// the paper 申請書; by default they are masked (privacy.MaskID).
	Unmask bool
}

// SampleChecks returns the 抽出点検 list of the latest run, residents
// masked: for every 所属 without a 受付簿 in the run's period, a sample of
// the hearing sheet's sample_size lookups (default 5) per staff member, to
// be ticked against the paper 申請書 (issue 12: what towns do by hand in
// Excel when they keep no 受付簿). nil when no run was made or every
// 所属 is reconciled with a 受付簿.
func (w *Workspace) SampleChecks(ctx context.Context) ([]SampleCheck, error) {
	return w.SampleChecksWith(ctx, SampleOptions{})
}

// SampleChecksWith is SampleChecks with options.
//
// Which 所属 are sampled: those with no 受付簿 row in the period, and,
// when the hearing sheet lists the 所属 reconciled with the 受付簿
// (reconciled), those not listed. Which staff: everyone in the run's
// 職員マスタ whose 所属 (on the day of the lookup) is sampled; IDs not in
// the master (UNKNOWN_ID) have no person to ask and are left out. Which
// lookups: those of a resident (a search without a 宛名番号 has no
// 申請書 to look for).
//
// The sample is reproducible: each lookup gets a pseudo-random key from a
// seed fixed by the run (its number and the digest of its findings) and
// the lookup's place in its file (import batch and line), and each staff
// member's N lookups with the smallest keys are drawn. The same run
// therefore always gives the same list, whatever order the rows are read
// in and whatever was imported since (files imported after the run are
// left out, as the run never read them), and every lookup of a person
// has the same chance. The masters and the hearing answers are the run's
// snapshot, as for ReproduceRun.
func (w *Workspace) SampleChecksWith(ctx context.Context, opt SampleOptions) ([]SampleCheck, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil || run == nil {
		return nil, err
	}
	return w.sampleChecks(ctx, run, opt)
}

func (w *Workspace) sampleChecks(ctx context.Context, run *domain.Run, opt SampleOptions) ([]SampleCheck, error) {
	snap, ok := runSnapshot(run)
	sheet := hearing.Default()
	if ok && snap.Hearing != nil {
		var err error
		if sheet, err = snap.sheet(); err != nil {
			return nil, err
		}
	} else {
		// A run from before snapshots: today's masters stand in.
		var err error
		if snap.Masters.Staff, err = w.store.Staff(ctx); err != nil {
			return nil, err
		}
		if snap.Masters.Reception, err = w.ReceptionBetween(ctx, run.From, run.To); err != nil {
			return nil, err
		}
	}
	n := sheet.SampleSize
	if n <= 0 {
		n = hearing.DefaultSampleSize
	}
	covered := coveredDepts(snap.Masters.Reception, sheet.Reconciled, run)
	people := staffIndex(snap.Masters.Staff)
	if len(people) == 0 {
		return nil, nil
	}
	digest, err := w.store.RunFindingsDigest(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	seed := sampleSeed(run.ID, digest)
	// The rows the run read: files imported after it (an overlapping
	// export added later) do not change its sample.
	files := map[int64]string{}
	batches, err := w.store.Batches(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range batches {
		if (snap.LastBatch > 0 && b.ID <= snap.LastBatch) || (snap.LastBatch == 0 && !b.ImportedAt.After(run.At)) {
			files[b.ID] = b.File
		}
	}

	picks := map[string]*sampleHeap{} // staff key → its N smallest keys so far
	total := map[string]int{}
	var last struct {
		id       string
		versions []domain.Staff
	}
	err = w.store.EachAction(ctx, run.From, run.To.AddDate(0, 0, 1), domain.ActionLookup, func(e *domain.Event) error {
		if strings.TrimSpace(e.SubjectID) == "" {
			return nil // a search without a resident has no 申請書 to look for
		}
		if _, ok := files[e.Batch]; !ok {
			return nil
		}
		if e.StaffID != last.id {
			last.id, last.versions = e.StaffID, people[staffKey(e.StaffID)]
		}
		if len(last.versions) == 0 {
			return nil
		}
		st := versionOn(last.versions, e)
		if covered[store.DeptKey(st.Dept)] {
			return nil
		}
		k := staffKey(st.ID)
		total[k]++
		h := picks[k]
		if h == nil {
			h = &sampleHeap{}
			picks[k] = h
		}
		key := sampleKey(seed, e.Batch, e.Line)
		if h.Len() < n {
			heap.Push(h, sampleItem{key: key, event: *e, staff: st})
		} else if key < (*h)[0].key {
			(*h)[0] = sampleItem{key: key, event: *e, staff: st}
			heap.Fix(h, 0)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []SampleCheck
	for k, h := range picks {
		items := append([]sampleItem(nil), (*h)...)
		sort.Slice(items, func(i, j int) bool {
			a, b := items[i].event, items[j].event
			if !a.Time.Equal(b.Time) {
				return a.Time.Before(b.Time)
			}
			if a.Batch != b.Batch {
				return a.Batch < b.Batch
			}
			return a.Line < b.Line
		})
		for i, it := range items {
			e, st := it.event, it.staff
			subject := e.SubjectID
			if !opt.Unmask {
				subject = privacy.MaskID(subject)
			}
			out = append(out, SampleCheck{
				StaffID: st.ID, StaffName: st.Name, Dept: st.Dept, No: i + 1, Of: total[k],
				Time: e.Time, System: e.System, Function: e.Function, Action: e.RawAction, Subject: subject,
				File: files[e.Batch], Line: e.Line, Seq: e.Seq,
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ka, kb := store.DeptKey(a.Dept), store.DeptKey(b.Dept); ka != kb {
			return ka < kb
		}
		if a.StaffID != b.StaffID {
			return a.StaffID < b.StaffID
		}
		return a.No < b.No
	})
	return out, nil
}

// coveredDepts are the 所属 (DeptKey) reconciled with a 受付簿 in the
// run's period: those with at least one 受付 in it, narrowed to the
// hearing sheet's reconciled list when it names any.
func coveredDepts(rows []domain.Reception, reconciled []string, run *domain.Run) map[string]bool {
	from, to := run.From, run.To.AddDate(0, 0, 1)
	has := map[string]bool{}
	for _, r := range rows {
		if !r.Time.Before(from) && r.Time.Before(to) {
			has[store.DeptKey(r.Dept)] = true
		}
	}
	if len(reconciled) == 0 {
		return has
	}
	out := map[string]bool{}
	for _, d := range reconciled {
		if k := store.DeptKey(d); has[k] {
			out[k] = true
		}
	}
	return out
}

// staffKey matches staff IDs as the rules do: IDs made only of ASCII
// characters case-insensitively, others exactly, after trimming.
func staffKey(id string) string {
	id = strings.TrimSpace(id)
	for i := 0; i < len(id); i++ {
		if id[i] >= 0x80 {
			return id
		}
	}
	return strings.ToLower(id)
}

// staffIndex groups the master's versions by staff key, oldest first.
func staffIndex(staff []domain.Staff) map[string][]domain.Staff {
	out := map[string][]domain.Staff{}
	for _, s := range staff {
		k := staffKey(s.ID)
		out[k] = append(out[k], s)
	}
	for _, vs := range out {
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].Start.Before(vs[j].Start) })
	}
	return out
}

// versionOn is the staff member's version in force on the event's day;
// outside every version, the nearest one before it, else the first.
func versionOn(versions []domain.Staff, e *domain.Event) domain.Staff {
	best := versions[0]
	for _, v := range versions {
		if v.Active(e.Time) {
			return v
		}
		if !v.Start.IsZero() && !v.Start.After(e.Time) {
			best = v
		}
	}
	return best
}

// sampleSeed fixes the draw of a run.
func sampleSeed(runID int64, digest string) uint64 {
	sum := sha256.Sum256([]byte(fmt.Sprintf("tenken 抽出点検\x00%d\x00%s", runID, digest)))
	return binary.BigEndian.Uint64(sum[:8])
}

// sampleKey is a lookup's pseudo-random key under a seed: splitmix64 of
// the seed and the row's place (import batch, line), so that every row
// of a file has its own independent-looking key.
func sampleKey(seed uint64, batch int64, line int) uint64 {
	return mix64(seed ^ mix64(uint64(batch)<<32^uint64(uint32(line))))
}

func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sampleItem is a drawn lookup with its key.
type sampleItem struct {
	key   uint64
	event domain.Event
	staff domain.Staff
}

// sampleHeap keeps one staff member's drawn lookups with the largest key
// on top, so a smaller key replaces it.
type sampleHeap []sampleItem

func (h sampleHeap) Len() int           { return len(h) }
func (h sampleHeap) Less(i, j int) bool { return h[i].key > h[j].key }
func (h sampleHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sampleHeap) Push(x any)        { *h = append(*h, x.(sampleItem)) }
func (h *sampleHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// reportSampleChecks is the 抽出点検 list of run for the report, residents
// as stored (the report masks them unless told otherwise).
func (w *Workspace) reportSampleChecks(ctx context.Context, run *domain.Run) ([]report.SampleCheck, error) {
	list, err := w.sampleChecks(ctx, run, SampleOptions{Unmask: true})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]report.SampleCheck, len(list))
	for i, s := range list {
		out[i] = report.SampleCheck{StaffID: s.StaffID, StaffName: s.StaffName, Dept: s.Dept, No: s.No, Of: s.Of,
			Time: s.Time, System: s.System, Function: s.Function, Action: s.Action, Subject: s.Subject,
			File: s.File, Line: s.Line, Seq: s.Seq}
	}
	return out, nil
}
