package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/hearing"
	"tenken/internal/rules"
	"tenken/internal/store"
)

// runConfig is the snapshot of what an inspection run was configured by,
// stored with the run (domain.Run.Config, JSON). It holds everything the
// rules read — the hearing sheet's answers and the masters' rows as they
// were — so ReproduceRun can run the same inspection again after the
// masters or the sheet changed, and the report can state the conditions.
type runConfig struct {
	From, To   string
	WorkStart  string
	WorkEnd    string
	Calendar   string // the calendar in words, for the report
	Rules      []string
	Thresholds string
	Hearing    map[string]string // every answer of the sheet
	Staff      int
	Grants     int
	// MasterImport describes the masters' files: name, date, rows, SHA-256.
	MasterImport []string
	Notes        []string // what the run could not check (rules.Notes)

	Masters    snapshotMasters
	Exclusions []domain.Exclusion // in force when the run was made
	// LastBatch is the newest import batch when the run was made: the
	// 抽出点検 sample draws from the rows the run read, not from files
	// imported later. 0 in runs made before it was recorded.
	LastBatch int64 `json:",omitempty"`
}

// snapshotMasters are the masters' rows a run used.
type snapshotMasters struct {
	Staff     []domain.Staff
	Grants    []domain.Grant
	Watchlist []domain.WatchEntry
	Overtime  []domain.Overtime
	// Reception is the 受付簿 of the period and the days around it the
	// rules reach (rules.ReceptionWindow for the sheet's thresholds); absent
	// from runs made before the 受付簿 existed.
	Reception []domain.Reception `json:",omitempty"`
}

// configure builds the rules' configuration for [from, to] from the
// hearing sheet and the masters, and the snapshot describing it.
func (w *Workspace) configure(ctx context.Context, from, to time.Time) (rules.Config, runConfig, error) {
	kv, err := w.HearingValues(ctx)
	if err != nil {
		return rules.Config{}, runConfig{}, err
	}
	var m snapshotMasters
	if m.Staff, err = w.store.Staff(ctx); err != nil {
		return rules.Config{}, runConfig{}, err
	}
	if m.Grants, err = w.store.Grants(ctx); err != nil {
		return rules.Config{}, runConfig{}, err
	}
	if m.Watchlist, err = w.store.Watchlist(ctx); err != nil {
		return rules.Config{}, runConfig{}, err
	}
	if m.Overtime, err = w.store.Overtime(ctx); err != nil {
		return rules.Config{}, runConfig{}, err
	}
	sheet, err := hearing.Parse(kv)
	if err != nil {
		return rules.Config{}, runConfig{}, err
	}
	before, after := rules.ReceptionWindow(sheet.Thresholds)
	if m.Reception, err = w.ReceptionBetween(ctx, from.AddDate(0, 0, -before), to.AddDate(0, 0, after)); err != nil {
		return rules.Config{}, runConfig{}, err
	}
	excl, err := w.store.Exclusions(ctx)
	if err != nil {
		return rules.Config{}, runConfig{}, err
	}
	snap := runConfig{Hearing: kv, Masters: m}
	batches, err := w.store.Batches(ctx)
	if err != nil {
		return rules.Config{}, runConfig{}, err
	}
	for _, b := range batches {
		snap.LastBatch = max(snap.LastBatch, b.ID)
	}
	for _, x := range excl {
		if x.Revoked == nil {
			snap.Exclusions = append(snap.Exclusions, x)
		}
	}
	masters, err := w.store.MasterImports(ctx)
	if err != nil {
		return rules.Config{}, runConfig{}, err
	}
	for _, mi := range masters {
		snap.MasterImport = append(snap.MasterImport, fmt.Sprintf("%s: %s (%s, %d行, SHA-256 %s)", mi.Kind, mi.File, mi.ImportedAt.Format("2006-01-02 15:04"), mi.Accepted, mi.SHA256))
	}
	cfg, err := snap.config(from, to)
	return cfg, snap, err
}

// sheet reads the hearing sheet the run was made with. The answers were
// valid when stored; a snapshot that no longer reads (a database edited
// by hand) is an error rather than a silent default.
func (snap *runConfig) sheet() (hearing.Sheet, error) {
	return hearing.Parse(snap.Hearing)
}

// config turns a snapshot into the rules' configuration for [from, to]
// and fills the snapshot's descriptive fields.
func (snap *runConfig) config(from, to time.Time) (rules.Config, error) {
	h, err := snap.sheet()
	if err != nil {
		return rules.Config{}, err
	}
	cal := h.Calendar()
	enabled := h.Enabled()
	cfg := rules.Config{
		From: from, To: to,
		WorkStart: h.Hours.Start, WorkEnd: h.Hours.End,
		DeptHours: h.DeptHoursMap(), Extended: h.Extended,
		Calendar:   cal,
		Staff:      snap.Masters.Staff,
		Grants:     snap.Masters.Grants,
		Watchlist:  snap.Masters.Watchlist,
		Overtime:   snap.Masters.Overtime,
		Reception:  snap.Masters.Reception,
		Thresholds: h.Thresholds,
		OwnDomains: h.Domains, PartnerDomains: h.PartnerDomains,
		Reconciled: h.Reconciled, CaseDepts: h.CaseDepts,
		Enabled: enabled,
	}
	snap.From, snap.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	snap.WorkStart, snap.WorkEnd = h.Hours.Start, h.Hours.End
	snap.Calendar = cal.Summary()
	snap.Thresholds = h.Thresholds.String()
	snap.Staff, snap.Grants = len(cfg.Staff), len(cfg.Grants)
	snap.Rules = nil
	for _, r := range rules.Catalogue() {
		if enabled == nil || enabled[r.ID] {
			snap.Rules = append(snap.Rules, r.ID)
		}
	}
	snap.Notes = rules.Notes(cfg)
	return cfg, nil
}

// markExcluded sets Excluded on the findings the exclusions cover: every
// finding of an excluded staff member or account, and single findings.
// Excluded findings are kept (DOMAIN.md: listed, not dropped).
func markExcluded(findings []domain.Finding, excl []domain.Exclusion) {
	for i := range findings {
		f := &findings[i]
		for _, x := range excl {
			if x.Revoked != nil {
				continue
			}
			switch x.Kind {
			case domain.ExcludeStaff, domain.ExcludeAccount:
				if x.Finding == nil && strings.EqualFold(strings.TrimSpace(x.StaffID), f.StaffID) {
					f.Excluded = true
				}
			}
			if x.Finding != nil && x.Finding.Rule == f.Rule && x.Finding.Date == f.Date && strings.EqualFold(x.Finding.StaffID, f.StaffID) {
				f.Excluded = true
			}
		}
	}
}

// Inspect runs every rule over [from, to] (dates, inclusive) and stores the
// findings as a new run. Zero from/to means the hearing sheet's period,
// else the period of the imported logs.
func (w *Workspace) Inspect(ctx context.Context, from, to time.Time, progress ProgressFunc) (domain.Run, error) {
	stats, err := w.store.EventStats(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	if stats.Count == 0 {
		return domain.Run{}, &domain.Error{Code: "no_logs", Message: "点検するログがありません。先にログを取り込んでください（tenken import）。"}
	}
	h, err := w.Hearing(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	if from.IsZero() {
		from = h.From
		if from.IsZero() {
			from = domain.DateOf(stats.From)
		}
	}
	if to.IsZero() {
		to = h.To
		if to.IsZero() {
			to = domain.DateOf(stats.To)
		}
	}
	from, to = domain.DateOf(from), domain.DateOf(to)
	if to.Before(from) {
		return domain.Run{}, &domain.Error{Code: "bad_period", Message: fmt.Sprintf("点検期間の終わり（%s）が始まり（%s）より前です。", to.Format("2006-01-02"), from.Format("2006-01-02"))}
	}
	cfg, snap, err := w.configure(ctx, from, to)
	if err != nil {
		return domain.Run{}, err
	}
	// The run reads the batches stored now and no other: one an import
	// commits while the rules run is not half seen, and verify can
	// reproduce the run over exactly these later.
	batches, err := w.store.BatchIDs(ctx)
	if err != nil {
		return domain.Run{}, err
	}
	total := stats.Count
	progress.report(0, total, "点検しています")
	findings, err := rules.Run(ctx, onlyBatches(w.store, batches), cfg, func(done int64) {
		progress.report(min(done, total), total, "点検しています")
	})
	if err != nil {
		if ctx.Err() != nil {
			return domain.Run{}, &domain.Error{Code: "cancelled", Message: "点検を中止しました。前回の点検結果はそのまま残っています。", Err: err}
		}
		return domain.Run{}, err
	}
	markExcluded(findings, snap.Exclusions)
	cj, err := json.Marshal(snap)
	if err != nil {
		return domain.Run{}, err
	}
	run, err := w.store.SaveRun(ctx, domain.Run{From: from, To: to, Config: string(cj)}, findings,
		store.RunAudit{User: w.User(), Rules: snap.Rules, Batches: batches})
	if err != nil {
		return domain.Run{}, w.explain(err)
	}
	progress.report(total, total, fmt.Sprintf("点検が終わりました（検出 %d 件）", len(findings)))
	return run, nil
}

// ReproduceRun runs the rules again over the run's period with the run's
// stored configuration — hearing answers, calendar, thresholds, masters
// and exclusions as they were — and returns the findings without storing
// them. Against the same logs they equal the run's stored findings; a
// difference means the logs changed since.
func (w *Workspace) ReproduceRun(ctx context.Context, runID int64) ([]domain.Finding, error) {
	runs, err := w.store.Runs(ctx)
	if err != nil {
		return nil, err
	}
	var run *domain.Run
	for i := range runs {
		if runs[i].ID == runID {
			run = &runs[i]
		}
	}
	if run == nil {
		return nil, &domain.Error{Code: "no_run", Message: fmt.Sprintf("点検番号 %d の点検はありません。", runID)}
	}
	var snap runConfig
	if err := json.Unmarshal([]byte(run.Config), &snap); err != nil || snap.Hearing == nil {
		return nil, &domain.Error{Code: "old_run", Message: fmt.Sprintf("点検番号 %d は設定の記録がない古い形式のため、再現できません。", runID), Err: err}
	}
	cfg, err := snap.config(run.From, run.To)
	if err != nil {
		return nil, err
	}
	batches, err := w.runBatches(ctx, *run)
	if err != nil {
		return nil, err
	}
	findings, err := rules.Run(ctx, onlyBatches(w.store, batches), cfg, nil)
	if err != nil {
		return nil, err
	}
	markExcluded(findings, snap.Exclusions)
	return findings, nil
}

// runBatches returns the import batches a run read: those its run.inspect
// audit entry lists; for a run made before runs were audited, those
// imported before it.
func (w *Workspace) runBatches(ctx context.Context, run domain.Run) ([]int64, error) {
	if a, ok, err := w.store.RunAuditOf(ctx, run.ID); err != nil {
		return nil, err
	} else if ok {
		return store.ParseIDs(a.Batches)
	}
	all, err := w.store.Batches(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, b := range all {
		if !b.ImportedAt.After(run.At) {
			ids = append(ids, b.ID)
		}
	}
	return ids, nil
}

// batchSource is the store with its events narrowed to some import
// batches (the rules read nothing else of it).
type batchSource struct {
	*store.Store
	ok []bool // by batch id
}

// onlyBatches narrows the events the rules read to the given batches.
func onlyBatches(st *store.Store, ids []int64) rules.Source {
	var top int64
	for _, id := range ids {
		top = max(top, id)
	}
	b := batchSource{Store: st, ok: make([]bool, top+1)}
	for _, id := range ids {
		if id >= 0 {
			b.ok[id] = true
		}
	}
	return b
}

// EachEvent streams the events of the chosen batches only.
func (b batchSource) EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error {
	return b.Store.EachEvent(ctx, from, to, func(e *domain.Event) error {
		if e.Batch < 0 || e.Batch >= int64(len(b.ok)) || !b.ok[e.Batch] {
			return nil
		}
		return fn(e)
	})
}

// Ranking returns the risk ranking of the latest run's findings, worst
// first (nil when no run was made).
func (w *Workspace) Ranking(ctx context.Context) ([]domain.RankEntry, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil || run == nil {
		return nil, err
	}
	findings, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	staff, err := w.store.StaffAt(ctx, run.To)
	if err != nil {
		return nil, err
	}
	all, err := w.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	return rules.Rank(findings, append(staff, all...)), nil
}

// Cases returns the latest run's findings grouped into cases (stories),
// worst first (nil when no run was made).
func (w *Workspace) Cases(ctx context.Context) ([]domain.Case, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil || run == nil {
		return nil, err
	}
	findings, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	staff, err := w.store.StaffAt(ctx, run.To)
	if err != nil {
		return nil, err
	}
	all, err := w.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	return rules.Cases(findings, append(staff, all...)), nil
}
