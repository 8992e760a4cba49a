package workspace

import (
	"context"
	"fmt"

	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/master"
	"tenken/internal/store"
)

// ImportLog imports one log file. Importing the same file again adds
// nothing: the returned batch is the earlier one and AlreadyImported is
// reported through ingest's result (see ImportLogResult).
func (w *Workspace) ImportLog(ctx context.Context, path string, opt ImportOptions, progress ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
	res, err := w.ImportLogResult(ctx, path, opt, progress)
	return res.Batch, res.Rejects, err
}

// ImportLogResult is ImportLog with the full result (header line, blank
// lines, whether the file had been imported before).
func (w *Workspace) ImportLogResult(ctx context.Context, path string, opt ImportOptions, progress ProgressFunc) (ingest.Result, error) {
	return ingest.ImportFile(ctx, w.store, path, ingest.Options{
		System: opt.System,
		Kind:   opt.Kind,
		Progress: func(done, total int64) {
			progress.report(done, total, fmt.Sprintf("ログを取り込んでいます（%s）", opt.System))
		},
	})
}

// ImportMaster replaces the master of the given kind with the file's
// accepted rows; rejected rows are returned with their reasons.
func (w *Workspace) ImportMaster(ctx context.Context, kind MasterKind, path string) (MasterResult, error) {
	var (
		res *master.Result
		err error
	)
	switch kind {
	case MasterStaff:
		res, err = master.ReadStaff(ctx, path)
	case MasterGrants:
		res, err = master.ReadGrants(ctx, path)
	case MasterWatchlist, MasterOvertime:
		return MasterResult{}, &domain.Error{Code: "unsupported", Message: fmt.Sprintf("マスタの種類「%s」の取り込みはこの版ではまだできません（staff と grants は取り込めます）。", kind)}
	default:
		return MasterResult{}, &domain.Error{Code: "bad_kind", Message: fmt.Sprintf("マスタの種類「%s」は分かりません。staff（職員）・grants（権限）・watchlist（要注意対象）・overtime（時間外申請）のいずれかを指定してください。", kind)}
	}
	if err != nil {
		return MasterResult{}, err
	}
	sum, _, err := ingest.HashFile(path)
	if err != nil {
		return MasterResult{}, err
	}
	rec := store.MasterImport{Kind: string(kind), File: res.File, SHA256: sum, Read: res.Read, Accepted: res.Accepted, Rejected: len(res.Rejects)}
	if kind == MasterStaff {
		err = w.store.ReplaceStaff(ctx, res.Staff, rec)
	} else {
		err = w.store.ReplaceGrants(ctx, res.Grants, rec)
	}
	if err != nil {
		return MasterResult{}, err
	}
	return MasterResult{Kind: kind, File: res.File, Read: res.Read, Accepted: res.Accepted, Rejects: res.Rejects}, nil
}
