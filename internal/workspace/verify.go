package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/store"
)

// Names of the checks of Verify.
const (
	CheckIntegrity   = "データベースの整合性"
	CheckSchema      = "データベースの版"
	CheckAudit       = "監査ログのハッシュ連鎖"
	CheckFiles       = "取り込んだファイルの照合"
	CheckFindings    = "点検結果の改ざん検知"
	CheckReproduce   = "点検結果の再現"
	maxListedProblem = 5
)

// Verify checks that the workspace can be trusted: the database's
// integrity and version, the audit log's hash chain (an edited, deleted or
// cut-off entry is found), the imported files against their recorded
// SHA-256 where they still exist, every run's findings against the digest
// stored with them, and that the latest run's findings are reproduced by
// running its stored configuration again. It returns an error only when a
// check could not be run at all; failures are in the report.
func (w *Workspace) Verify(ctx context.Context) (*VerifyReport, error) {
	r := &VerifyReport{}
	for _, check := range []func(context.Context) (VerifyCheck, error){
		w.verifyIntegrity, w.verifySchema, w.verifyAudit, w.verifyFiles, w.verifyFindings, w.verifyReproduce,
	} {
		c, err := check(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return r, &domain.Error{Code: "cancelled", Message: "検証を中止しました。", Err: err}
			}
			var de *domain.Error
			msg := err.Error()
			if errors.As(err, &de) {
				msg = de.Message
			}
			c.OK, c.Detail = false, "検証できませんでした: "+msg
		}
		r.Checks = append(r.Checks, c)
	}
	return r, nil
}

func (w *Workspace) verifyIntegrity(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckIntegrity}
	problems, err := w.store.IntegrityCheck(ctx)
	if err != nil {
		return c, err
	}
	if len(problems) > 0 {
		c.Detail = fmt.Sprintf("データベースが壊れています（%s）。バックアップから復元してください（tenken restore）。", strings.Join(firstN(problems, maxListedProblem), " / "))
		return c, nil
	}
	c.OK, c.Detail = true, "PRAGMA integrity_check: 異常なし"
	return c, nil
}

func (w *Workspace) verifySchema(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckSchema}
	v, err := w.store.UserVersion(ctx)
	if err != nil {
		return c, err
	}
	if v != store.SchemaVersion() {
		c.Detail = fmt.Sprintf("データベースの版 %d がこのTenkenの版 %d と一致しません。", v, store.SchemaVersion())
		return c, nil
	}
	c.OK, c.Detail = true, fmt.Sprintf("スキーマ版 %d", v)
	return c, nil
}

func (w *Workspace) verifyAudit(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckAudit}
	n, problems, err := w.store.VerifyAudit(ctx)
	if err != nil {
		return c, err
	}
	if len(problems) > 0 {
		var reasons []string
		for _, p := range problems {
			reasons = append(reasons, p.Reason)
		}
		more := ""
		if len(reasons) > maxListedProblem {
			more = fmt.Sprintf("ほか %d 件。", len(reasons)-maxListedProblem)
		}
		c.Detail = fmt.Sprintf("監査ログ %d 件のうち、連鎖の切れ目が %d か所あります: %s%s 監査ログが書き換えられた可能性があります。バックアップと照合してください。",
			n, len(problems), strings.Join(firstN(reasons, maxListedProblem), " "), more)
		return c, nil
	}
	c.OK, c.Detail = true, fmt.Sprintf("%d 件の記録の連鎖を確認しました。", n)
	return c, nil
}

// verifyFiles compares each imported file that is still where it was read
// from with its recorded SHA-256. Only the latest import from each path is
// compared: a master file updated in place and imported again is not a
// mismatch of the earlier import. A file no longer there is a note.
func (w *Workspace) verifyFiles(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckFiles}
	type source struct{ label, path, sha string }
	var sources []source
	latest := map[string]int{}
	imports, err := w.store.AllMasterImports(ctx)
	if err != nil {
		return c, err
	}
	for _, m := range imports {
		if m.Path == "" {
			continue
		}
		s := source{fmt.Sprintf("%s「%s」", MasterLabel(MasterKind(m.Kind)), m.File), m.Path, m.SHA256}
		if i, ok := latest[m.Path]; ok {
			sources[i] = s
			continue
		}
		latest[m.Path] = len(sources)
		sources = append(sources, s)
	}
	batches, err := w.store.Batches(ctx)
	if err != nil {
		return c, err
	}
	paths, err := w.store.BatchSources(ctx)
	if err != nil {
		return c, err
	}
	unrecorded := 0
	for _, b := range batches {
		p := paths[b.ID]
		if p == "" {
			unrecorded++
			continue
		}
		sources = append(sources, source{fmt.Sprintf("ログ「%s」（%s）", b.File, b.System), p, b.SHA256})
	}
	var bad, missing []string
	checked := 0
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, s.label)
			continue
		}
		sum, _, err := ingest.HashFile(s.path)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%sを読めません", s.label))
			continue
		}
		checked++
		if !strings.EqualFold(sum, s.sha) {
			bad = append(bad, fmt.Sprintf("%s（%s）は取り込んだ後に内容が変わっています", s.label, s.path))
		}
	}
	var notes []string
	notes = append(notes, fmt.Sprintf("%d 個のファイルが取り込んだときのSHA-256と一致しました。", checked-len(bad)))
	if len(missing) > 0 {
		notes = append(notes, fmt.Sprintf("%d 個は元の場所にないため照合していません（%s）。", len(missing), strings.Join(firstN(missing, maxListedProblem), "、")))
	}
	if unrecorded > 0 {
		notes = append(notes, fmt.Sprintf("ログ %d 個は取込元の場所が記録されていないため照合していません。", unrecorded))
	}
	if len(bad) > 0 {
		c.Detail = strings.Join(firstN(bad, maxListedProblem), "。") + "。元のファイルが差し替えられていないか確認してください。" + strings.Join(notes, " ")
		return c, nil
	}
	c.OK, c.Detail = true, strings.Join(notes, " ")
	return c, nil
}

func (w *Workspace) verifyFindings(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckFindings}
	checks, err := w.store.VerifyRuns(ctx)
	if err != nil {
		return c, err
	}
	var bad []string
	old := 0
	for _, rc := range checks {
		switch {
		case !rc.Digest:
			old++
		case !rc.Matches:
			what := "内容が変わっています"
			if rc.Stored < rc.Run.Findings {
				what = fmt.Sprintf("%d 件あるはずの検出事項が %d 件しかありません", rc.Run.Findings, rc.Stored)
			} else if rc.Stored > rc.Run.Findings {
				what = fmt.Sprintf("%d 件のはずの検出事項が %d 件あります", rc.Run.Findings, rc.Stored)
			}
			bad = append(bad, fmt.Sprintf("点検 %d 番（%s 実施）: %s", rc.Run.ID, rc.Run.At.Format("2006-01-02 15:04"), what))
		}
	}
	if len(bad) > 0 {
		c.Detail = strings.Join(firstN(bad, maxListedProblem), "。") + "。点検結果が点検の後で削除・改変されています。点検をやり直すか、バックアップと照合してください。"
		return c, nil
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d 回の点検の検出事項が保存時のダイジェストと一致しました。", len(checks)-old)
	if old > 0 {
		c.Detail += fmt.Sprintf(" %d 回は古い版で保存されたためダイジェストがありません。", old)
	}
	return c, nil
}

// findingSig is what reproduction must give again for a finding.
func findingSig(f domain.Finding) string {
	return fmt.Sprintf("%s/%s/%s %s %d", f.Rule, f.StaffID, f.Date, f.Severity, f.Count)
}

func (w *Workspace) verifyReproduce(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckReproduce}
	run, err := w.store.LatestRun(ctx)
	if err != nil {
		return c, err
	}
	if run == nil {
		c.OK, c.Detail = true, "点検がまだないため、再現の確認はしていません。"
		return c, nil
	}
	stored, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return c, err
	}
	again, err := w.ReproduceRun(ctx, run.ID)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == "old_run" {
			c.OK, c.Detail = true, de.Message
			return c, nil
		}
		return c, err
	}
	count := map[string]int{}
	for _, f := range stored {
		count[findingSig(f)]++
	}
	for _, f := range again {
		count[findingSig(f)]--
	}
	var missing, extra []string
	for sig, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, sig)
		}
		for ; n < 0; n++ {
			extra = append(extra, sig)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		var parts []string
		if len(missing) > 0 {
			parts = append(parts, fmt.Sprintf("再実行で出なかった検出事項 %d 件（%s）", len(missing), strings.Join(firstN(missing, maxListedProblem), "、")))
		}
		if len(extra) > 0 {
			parts = append(parts, fmt.Sprintf("保存されていない検出事項 %d 件（%s）", len(extra), strings.Join(firstN(extra, maxListedProblem), "、")))
		}
		c.Detail = fmt.Sprintf("最新の点検（%d 番）を記録された設定で再実行すると結果が異なります: %s。点検の後でログが追加・削除されたか、点検結果が改変されています。",
			run.ID, strings.Join(parts, "。"))
		return c, nil
	}
	c.OK, c.Detail = true, fmt.Sprintf("最新の点検（%d 番、検出 %d 件）を記録された設定で再実行し、同じ結果になりました。", run.ID, len(stored))
	return c, nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
