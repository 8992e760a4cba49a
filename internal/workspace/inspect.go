package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
	"tenken/internal/rules"
)

// runConfig is the snapshot of what an inspection run was configured by,
// stored with the run so its findings can be reproduced and explained.
type runConfig struct {
	From, To     string
	WorkStart    string
	WorkEnd      string
	Calendar     string
	Rules        []string
	Staff        int
	Grants       int
	MasterImport []string
}

// Inspect runs every rule over [from, to] (dates, inclusive) and stores the
// findings as a new run. Zero from/to means the period of the imported logs.
func (w *Workspace) Inspect(ctx context.Context, from, to time.Time, progress ProgressFunc) (domain.Run, error) {
	stats, err := w.store.EventStats(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	if stats.Count == 0 {
		return domain.Run{}, &domain.Error{Code: "no_logs", Message: "点検するログがありません。先にログを取り込んでください（tenken import）。"}
	}
	if from.IsZero() {
		from = domain.DateOf(stats.From)
	}
	if to.IsZero() {
		to = domain.DateOf(stats.To)
	}
	from, to = domain.DateOf(from), domain.DateOf(to)
	if to.Before(from) {
		return domain.Run{}, &domain.Error{Code: "bad_period", Message: fmt.Sprintf("点検期間の終わり（%s）が始まり（%s）より前です。", to.Format("2006-01-02"), from.Format("2006-01-02"))}
	}
	h, err := w.Hearing(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	grants, err := w.store.Grants(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	cal := calendar.Default()
	cfg := rules.Config{From: from, To: to, WorkStart: h.WorkStart, WorkEnd: h.WorkEnd, Calendar: cal, Staff: staff, Grants: grants}

	total := stats.Count
	progress.report(0, total, "点検しています")
	findings, err := rules.Run(ctx, w.store, cfg, func(done int64) {
		progress.report(min(done, total), total, "点検しています")
	})
	if err != nil {
		if ctx.Err() != nil {
			return domain.Run{}, &domain.Error{Code: "cancelled", Message: "点検を中止しました。前回の点検結果はそのまま残っています。", Err: err}
		}
		return domain.Run{}, err
	}
	snap := runConfig{From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), WorkStart: h.WorkStart, WorkEnd: h.WorkEnd,
		Calendar: cal.Summary(), Staff: len(staff), Grants: len(grants)}
	for _, r := range rules.Catalogue() {
		if r.Implemented {
			snap.Rules = append(snap.Rules, r.ID)
		}
	}
	masters, err := w.store.MasterImports(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	for _, m := range masters {
		snap.MasterImport = append(snap.MasterImport, fmt.Sprintf("%s: %s (%s, %d行, SHA-256 %s)", m.Kind, m.File, m.ImportedAt.Format("2006-01-02 15:04"), m.Accepted, m.SHA256))
	}
	cj, err := json.Marshal(snap)
	if err != nil {
		return domain.Run{}, err
	}
	run, err := w.store.SaveRun(ctx, domain.Run{From: from, To: to, Config: string(cj)}, findings)
	if err != nil {
		return domain.Run{}, err
	}
	progress.report(total, total, fmt.Sprintf("点検が終わりました（検出 %d 件）", len(findings)))
	return run, nil
}
