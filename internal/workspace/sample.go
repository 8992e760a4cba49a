package workspace

import (
	"context"
	"fmt"
	"path/filepath"

	"tenken/internal/domain"
	"tenken/internal/sample"
)

// SampleSeed is the seed of the sample town, fixed so every demo shows the
// same town.
const SampleSeed = 20250501

// LoadSample generates the sample town into the workspace (its files under
// Dir/sample), stores its hearing answers and imports its masters and logs.
func (w *Workspace) LoadSample(ctx context.Context, progress ProgressFunc) (SampleResult, error) {
	dir := filepath.Join(w.Dir, "sample")
	progress.report(0, 0, "サンプルの町のデータを作成しています")
	town, err := sample.Generate(dir, SampleSeed)
	if err != nil {
		return SampleResult{}, &domain.Error{Code: "sample", Message: fmt.Sprintf("サンプルデータを作成できません: %v", err), Err: err}
	}
	if err := w.SetHearing(ctx, map[string]string{"town": town.Name, "department": town.Department, "person": town.Person}); err != nil {
		return SampleResult{}, err
	}
	res := SampleResult{Town: town.Name, Dir: dir, From: town.From, To: town.To}
	steps := int64(2 + len(town.Logs))
	progress.report(0, steps, "職員マスタを取り込んでいます")
	mr, err := w.ImportMaster(ctx, MasterStaff, town.StaffFile)
	if err != nil {
		return res, err
	}
	res.Staff = mr.Accepted
	progress.report(1, steps, "権限マスタを取り込んでいます")
	if _, err := w.ImportMaster(ctx, MasterGrants, town.GrantsFile); err != nil {
		return res, err
	}
	for i, lf := range town.Logs {
		msg := fmt.Sprintf("ログを取り込んでいます（%s）", lf.System)
		progress.report(int64(2+i), steps, msg)
		r, err := w.ImportLogResult(ctx, lf.Path, ImportOptions{System: lf.System, Kind: lf.Kind}, nil)
		if err != nil {
			return res, err
		}
		res.Batches = append(res.Batches, r.Batch)
	}
	progress.report(steps, steps, "サンプルデータを取り込みました")
	return res, nil
}

// SampleTown regenerates the sample town's manifest (planted incidents and
// clean staff) without touching the workspace; tests use it.
func SampleTown(dir string) (*sample.Town, error) { return sample.Generate(dir, SampleSeed) }
