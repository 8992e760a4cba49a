package workspace

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/sample"
)

// SampleSeed is the seed of the sample town, fixed so every demo shows the
// same town.
const SampleSeed = 20250501

// LoadSample generates the sample town into the workspace (its files under
// Dir/sample), stores its hearing answers, imports its masters (staff,
// grants, watch list, overtime, 受付簿) and its logs (three business systems, the
// 資産管理 endpoint log and the mail log), and records the exclusion the
// town's inspector made — which the inspection must still show.
func (w *Workspace) LoadSample(ctx context.Context, progress ProgressFunc) (SampleResult, error) {
	dir := filepath.Join(w.Dir, "sample")
	progress.report(0, 0, "サンプルの町のデータを作成しています")
	town, err := sample.Generate(dir, SampleSeed)
	if err != nil {
		return SampleResult{}, &domain.Error{Code: "sample", Message: fmt.Sprintf("サンプルデータを作成できません: %v", err), Err: err}
	}
	h, err := w.Hearing(ctx)
	if err != nil {
		return SampleResult{}, err
	}
	h.Town, h.Department, h.Person, h.Kind = town.Name, town.Department, town.Person, "月次"
	h.Domains, h.PartnerDomains = town.Domains, town.PartnerDomains
	h.Reconciled, h.CaseDepts = town.Reconciled, town.CaseDepts
	if err := w.SaveHearing(ctx, h); err != nil {
		return SampleResult{}, err
	}
	res := SampleResult{Town: town.Name, Dir: dir, From: town.From, To: town.To}
	masters := []struct {
		kind  MasterKind
		path  string
		label string
	}{
		{MasterStaff, town.StaffFile, "職員マスタ"},
		{MasterGrants, town.GrantsFile, "権限マスタ"},
		{MasterWatchlist, town.WatchlistFile, "要注意対象者の一覧"},
		{MasterOvertime, town.OvertimeFile, "時間外申請"},
		{MasterReception, town.ReceptionFile, "受付簿"},
	}
	steps := int64(len(masters) + len(town.Logs) + 1)
	for i, m := range masters {
		progress.report(int64(i), steps, m.label+"を取り込んでいます")
		mr, err := w.ImportMaster(ctx, m.kind, m.path)
		if err != nil {
			return res, err
		}
		if m.kind == MasterStaff {
			res.Staff = mr.Accepted
		}
	}
	for i, lf := range town.Logs {
		msg := fmt.Sprintf("ログを取り込んでいます（%s）", lf.System)
		progress.report(int64(len(masters)+i), steps, msg)
		r, err := w.ImportLogResult(ctx, lf.Path, ImportOptions{System: lf.System, Kind: lf.Kind}, nil)
		if err != nil {
			return res, err
		}
		res.Batches = append(res.Batches, r.Batch)
	}
	existing, err := w.Exclusions(ctx)
	if err != nil {
		return res, err
	}
	for _, x := range town.Exclusions {
		dup := false
		for _, e := range existing {
			dup = dup || (e.Revoked == nil && e.Kind == domain.ExcludeStaff && e.StaffID == x.StaffID)
		}
		if dup {
			continue // the sample was loaded into this workspace before
		}
		if _, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeStaff, StaffID: x.StaffID, Reason: x.Reason, By: x.By}); err != nil {
			return res, err
		}
	}
	progress.report(steps, steps, "サンプルデータを取り込みました")
	return res, nil
}

// SampleTown regenerates the sample town's manifest (planted incidents and
// clean staff) without touching the workspace; tests use it.
func SampleTown(dir string) (*sample.Town, error) { return sample.Generate(dir, SampleSeed) }

// HoldsOtherData reports whether the workspace holds data that is not the
// sample town's: a town set in the hearing sheet other than the sample's,
// or imported logs or masters with no town set. Loading the sample there
// would mix invented residents' accesses with the town's real ones, so the
// command line refuses it unless asked explicitly (the GUI asks first).
func (w *Workspace) HoldsOtherData(ctx context.Context) (bool, error) {
	h, err := w.Hearing(ctx)
	if err != nil {
		return false, err
	}
	if town := strings.TrimSpace(h.Town); town != "" {
		return town != sample.TownName, nil
	}
	sum, err := w.Summary(ctx)
	if err != nil {
		return false, err
	}
	return sum.Files > 0 || sum.Staff > 0, nil
}
