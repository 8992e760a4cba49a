package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/store"
)

// Names of the checks of Verify.
const (
	CheckIntegrity   = "データベースの整合性"
	CheckSchema      = "データベースの版"
	CheckAudit       = "監査ログのハッシュ連鎖"
	CheckImports     = "取り込んだログと監査ログの照合"
	CheckChanges     = "除外・確認結果・マスタ・ヒアリングシートと監査ログの照合"
	CheckFiles       = "取り込んだファイルの照合"
	CheckFindings    = "点検結果の改ざん検知"
	CheckReproduce   = "点検結果の再現"
	CheckAnchor      = "検証コードの照合"
	maxListedProblem = 5
)

// VerifyOptions configures Verify.
type VerifyOptions struct {
	// Anchors are 検証コード printed on reports handed out earlier
	// ("128-9F3A2B7C-D41E0A55"): each must still name an entry of the
	// audit log, unchanged, in an unbroken chain.
	Anchors []string
	// Progress receives the check being run (its Japanese name).
	Progress ProgressFunc

	only []string // tests: run only these checks
}

// Verify checks that the workspace can be trusted (VerifyWith without
// anchors).
func (w *Workspace) Verify(ctx context.Context) (*VerifyReport, error) {
	return w.VerifyWith(ctx, VerifyOptions{})
}

// VerifyWith checks that the workspace can be trusted: the database's
// integrity and version; the audit log's hash chain (an edited, deleted or
// cut-off entry is found); the audit log replayed against what is stored
// (every import batch and its rows, every run, exclusion, review, master
// and answer of the hearing sheet must match the entry that made it, and
// none may lack one); the imported files against their recorded SHA-256
// where they still exist; every run's findings against the digest stored
// with them and in its audit entry; that every run is reproduced by
// running its stored configuration again over the batches it read; and,
// when given, that each 検証コード still names its entry unchanged. It
// returns an error only when a check could not be run at all; failures
// are in the report.
func (w *Workspace) VerifyWith(ctx context.Context, opt VerifyOptions) (*VerifyReport, error) {
	r := &VerifyReport{}
	v := &verifier{w: w}
	checks := []struct {
		name string
		fn   func(context.Context) (VerifyCheck, error)
	}{
		{CheckIntegrity, w.verifyIntegrity}, {CheckSchema, w.verifySchema}, {CheckAudit, w.verifyAudit},
		{CheckImports, v.imports}, {CheckChanges, v.changes}, {CheckFiles, w.verifyFiles},
		{CheckFindings, v.findings}, {CheckReproduce, w.verifyReproduce},
	}
	if len(opt.Anchors) > 0 {
		checks = append(checks, struct {
			name string
			fn   func(context.Context) (VerifyCheck, error)
		}{CheckAnchor, func(ctx context.Context) (VerifyCheck, error) { return w.verifyAnchors(ctx, opt.Anchors) }})
	}
	if opt.only != nil {
		var some []struct {
			name string
			fn   func(context.Context) (VerifyCheck, error)
		}
		for _, c := range checks {
			if slices.Contains(opt.only, c.name) {
				some = append(some, c)
			}
		}
		checks = some
	}
	for i, check := range checks {
		opt.Progress.report(int64(i), int64(len(checks)), check.name+"を確認しています")
		c, err := check.fn(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return r, &domain.Error{Code: "cancelled", Message: "検証を中止しました。", Err: err}
			}
			var de *domain.Error
			msg := w.explain(err).Error()
			if errors.As(err, &de) {
				msg = de.Message
			}
			c.Name, c.OK, c.Detail = check.name, false, "検証できませんでした: "+msg
		}
		r.Checks = append(r.Checks, c)
	}
	return r, nil
}

// verifier holds what several checks share: the audit log replayed once.
type verifier struct {
	w      *Workspace
	replay *store.Replay
}

func (v *verifier) replayed(ctx context.Context) (*store.Replay, error) {
	if v.replay == nil {
		r, err := v.w.store.ReplayAudit(ctx)
		if err != nil {
			return nil, err
		}
		v.replay = r
	}
	return v.replay, nil
}

// problems lists the reasons of the discrepancies in the given areas.
func problems(r *store.Replay, areas ...string) []string {
	var out []string
	for _, p := range r.Problems {
		for _, a := range areas {
			if p.Area != a {
				continue
			}
			reason := p.Reason
			switch p.Area {
			case store.AreaMaster:
				reason = MasterLabel(MasterKind(p.Key)) + ": " + reason
			case store.AreaHearing:
				if k, ok := strings.CutPrefix(p.Key, settingPrefix); ok {
					label := HearingLabel(k)
					if label == "" {
						label = k
					}
					reason = "「" + label + "」: " + reason
				}
			}
			out = append(out, reason)
		}
	}
	return out
}

// listed joins reasons, the first maxListedProblem of them.
func listed(reasons []string) string {
	s := strings.Join(firstN(reasons, maxListedProblem), " ")
	if len(reasons) > maxListedProblem {
		s += fmt.Sprintf(" ほか %d 件。", len(reasons)-maxListedProblem)
	}
	return s
}

func (v *verifier) imports(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckImports}
	r, err := v.replayed(ctx)
	if err != nil {
		return c, err
	}
	if bad := problems(r, store.AreaImport); len(bad) > 0 {
		c.Detail = listed(bad) + " 取り込んだログの行が、取り込みの後で削除・追加・書き換えられています。元のファイルから取り込み直した別のワークスペースか、バックアップと照合してください。"
		return c, nil
	}
	c.OK = true
	var parts []string
	if r.Batches > 0 || r.LegacyBatches == 0 {
		parts = append(parts, fmt.Sprintf("%d 件の取り込みについて、保存されている行が取り込んだときの記録（件数・SHA-256・行のダイジェスト）と一致しました。", r.Batches))
	}
	if r.LegacyBatches > 0 {
		parts = append(parts, fmt.Sprintf("%d 件は監査を記録する前の版で取り込まれたため、行のダイジェストがなく照合していません。", r.LegacyBatches))
	}
	c.Detail = strings.Join(parts, " ")
	return c, nil
}

func (v *verifier) changes(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckChanges}
	r, err := v.replayed(ctx)
	if err != nil {
		return c, err
	}
	if bad := problems(r, store.AreaLog, store.AreaExclusion, store.AreaReview, store.AreaMaster, store.AreaStaffEntry, store.AreaHearing); len(bad) > 0 {
		c.Detail = listed(bad) + " 監査ログに記録のない変更があります。誰がいつ変えたかを確認し、必要ならバックアップと照合してください。"
		return c, nil
	}
	c.OK = true
	var kinds []string
	for _, k := range r.Masters {
		kinds = append(kinds, MasterLabel(MasterKind(k)))
	}
	c.Detail = fmt.Sprintf("除外 %d 件、確認結果 %d 件、マスタ（%s）、ヒアリングシートの回答 %d 件が、監査ログの記録どおりでした。",
		r.Exclusions, r.Reviews, strings.Join(kinds, "・"), r.Hearing)
	if r.Baseline {
		c.Detail += " 監査を記録する前の版から引き継いだ内容は、この版で初めて開いたときの記録（検証の基準）と照合しました。"
	}
	return c, nil
}

func (v *verifier) findings(ctx context.Context) (VerifyCheck, error) {
	c, err := v.w.verifyFindings(ctx)
	if err != nil || !c.OK {
		return c, err
	}
	r, err := v.replayed(ctx)
	if err != nil {
		return c, err
	}
	if bad := problems(r, store.AreaRun); len(bad) > 0 {
		c.OK = false
		c.Detail = listed(bad) + " 点検結果が点検の後で削除・改変されています。点検をやり直すか、バックアップと照合してください。"
		return c, nil
	}
	if r.LegacyRuns > 0 {
		c.Detail += fmt.Sprintf(" %d 回は監査を記録する前の版の点検です。", r.LegacyRuns)
	}
	return c, nil
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
	var bad, missing, unreadable []string
	matched := 0
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
			unreadable = append(unreadable, s.label)
			continue
		}
		if !strings.EqualFold(sum, s.sha) {
			bad = append(bad, fmt.Sprintf("%s（%s）は取り込んだ後に内容が変わっています", s.label, s.path))
			continue
		}
		matched++
	}
	var notes []string
	notes = append(notes, fmt.Sprintf("%d 個のファイルが取り込んだときのSHA-256と一致しました。", matched))
	if len(missing) > 0 {
		notes = append(notes, fmt.Sprintf("%d 個は元の場所にないため照合していません（%s）。", len(missing), strings.Join(firstN(missing, maxListedProblem), "、")))
	}
	if len(unreadable) > 0 {
		notes = append(notes, fmt.Sprintf("%d 個は読む権限がないため照合していません（%s）。", len(unreadable), strings.Join(firstN(unreadable, maxListedProblem), "、")))
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

// verifyReproduce runs every inspection again, each with its stored
// configuration and over the import batches it read (so that a log
// imported after a run is no false alarm), and compares the findings.
// Runs with the same period, configuration and batches are run once.
func (w *Workspace) verifyReproduce(ctx context.Context) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckReproduce}
	runs, err := w.store.Runs(ctx)
	if err != nil {
		return c, err
	}
	if len(runs) == 0 {
		c.OK, c.Detail = true, "点検がまだないため、再現の確認はしていません。"
		return c, nil
	}
	var bad, old []string
	done := map[string]bool{}
	checked := 0
	for _, run := range runs {
		batches, err := w.runBatches(ctx, run)
		if err != nil {
			return c, err
		}
		key := fmt.Sprintf("%s %s %s %s", fmtDay(run.From), fmtDay(run.To), store.ConfigDigest(run.Config), store.FormatIDs(batches))
		stored, err := w.store.Findings(ctx, run.ID)
		if err != nil {
			return c, err
		}
		if done[key] {
			continue
		}
		again, err := w.ReproduceRun(ctx, run.ID)
		if err != nil {
			var de *domain.Error
			if errors.As(err, &de) && de.Code == "old_run" {
				old = append(old, strconv.FormatInt(run.ID, 10))
				continue
			}
			return c, err
		}
		done[key] = true
		checked++
		if diff := compareFindings(stored, again); diff != "" {
			bad = append(bad, fmt.Sprintf("点検 %d 番（%s〜%s）: %s", run.ID, fmtDay(run.From), fmtDay(run.To), diff))
		}
	}
	if len(bad) > 0 {
		c.Detail = fmt.Sprintf("点検を記録された設定と取り込みで再実行すると結果が異なります: %s。点検の後でその点検が読んだログが削除・改変されたか、点検結果が改変されています。", strings.Join(firstN(bad, maxListedProblem), "。"))
		return c, nil
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%d 回の点検を、それぞれ記録された設定と、その点検が読んだ取り込みだけで再実行し、同じ結果になりました（後から取り込んだログは含めていません）。", checked)
	if len(old) > 0 {
		c.Detail += fmt.Sprintf(" 点検 %s 番は設定の記録がない古い形式のため、再現できません。", strings.Join(old, "・"))
	}
	return c, nil
}

func fmtDay(t time.Time) string { return t.Format("2006-01-02") }

// compareFindings says how the findings of a run again differ from the
// stored ones ("" when they are the same).
func compareFindings(stored, again []domain.Finding) string {
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
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, fmt.Sprintf("再実行で出なかった検出事項 %d 件（%s）", len(missing), strings.Join(firstN(missing, maxListedProblem), "、")))
	}
	if len(extra) > 0 {
		parts = append(parts, fmt.Sprintf("保存されていない検出事項 %d 件（%s）", len(extra), strings.Join(firstN(extra, maxListedProblem), "、")))
	}
	return strings.Join(parts, "、")
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
