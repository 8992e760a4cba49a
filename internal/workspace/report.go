package workspace

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/report"
	"tenken/internal/rules"
	"tenken/internal/store"
)

// ReportOptions configures the PDF report. Empty fields take the
// workspace's saved defaults (SetReportDefaults), then the built-in ones.
type ReportOptions struct {
	// Unmask prints resident identifiers in full (for the internal copy
	// only); by default they are masked.
	Unmask bool
	// Sections switches sections off: a key of report.Sections() mapped
	// to false leaves that section out; keys not in the map are printed.
	// The cover and the 除外 section cannot be switched off.
	Sections map[string]bool
	// Era is report.EraWareki (令和7年) or report.EraSeireki (2025年).
	Era string
	// Logo is the path of the town's emblem (PNG) for the cover.
	Logo string
	// FormNo is the 帳票番号 printed on the cover and in the page header.
	FormNo string
	// Password, when set, encrypts the PDF with AES-256.
	Password string
	// Approvers are the roles of the 決裁欄 (担当/係長/課長/CISO by default).
	Approvers []string
	// EvidenceLimit caps the evidence rows printed per finding (the rest
	// is in the xlsx export); report.DefaultEvidenceLimit when zero.
	EvidenceLimit int
}

// Settings keys of the report defaults.
const (
	settingEra       = "report.era"
	settingApprovers = "report.approvers"
	settingFormNo    = "report.form_no"
	settingLogo      = "report.logo"
)

// ReportDefaults returns the report options saved for this workspace.
func (w *Workspace) ReportDefaults(ctx context.Context) (ReportOptions, error) {
	var o ReportOptions
	kv, err := w.store.Settings(ctx)
	if err != nil {
		return o, err
	}
	o.Era = kv[settingEra]
	o.FormNo = kv[settingFormNo]
	o.Logo = kv[settingLogo]
	o.Approvers = splitApprovers(kv[settingApprovers])
	return o, nil
}

// SetReportDefaults saves the era, approvers, 帳票番号 and logo of o as the
// workspace's defaults (an empty field clears its default). The change is
// written to the audit log.
func (w *Workspace) SetReportDefaults(ctx context.Context, o ReportOptions) error {
	if err := checkEra(o.Era); err != nil {
		return err
	}
	if o.Logo != "" {
		if _, err := readLogo(o.Logo); err != nil {
			return err
		}
		if abs, err := filepath.Abs(o.Logo); err == nil {
			o.Logo = abs
		}
	}
	kv := map[string]string{
		settingEra:       o.Era,
		settingApprovers: strings.Join(o.Approvers, ","),
		settingFormNo:    strings.TrimSpace(o.FormNo),
		settingLogo:      o.Logo,
	}
	return w.store.SetSettingsAudited(ctx, kv, store.Audit{User: w.User(), Action: "report.settings", Target: "report", After: kv})
}

// splitApprovers reads a list of roles separated by , 、 ・ ; or /.
func splitApprovers(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",、・;/", r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SplitApprovers reads the roles of the 決裁欄 from one text, e.g.
// 担当,係長,課長,CISO (separated by , 、 ・ ; or /).
func SplitApprovers(s string) []string { return splitApprovers(s) }

func checkEra(era string) error {
	switch era {
	case "", report.EraWareki, report.EraSeireki:
		return nil
	}
	return &domain.Error{Code: "bad_era", Message: fmt.Sprintf("日付の表記「%s」は使えません。wareki（和暦）か seireki（西暦）を指定してください。", era)}
}

// CheckSections validates section keys (for --sections / --no-section)
// and returns an error naming the valid ones.
func CheckSections(keys []string) error {
	valid := map[string]bool{}
	var names []string
	for _, s := range report.Sections() {
		valid[s.Key] = true
		names = append(names, s.Key+"（"+s.Title+"）")
	}
	for _, k := range keys {
		if !valid[k] {
			return &domain.Error{Code: "bad_section", Message: fmt.Sprintf("「%s」という節はありません。使える名前: %s", k, strings.Join(names, "、"))}
		}
	}
	return nil
}

// maxLogoBytes keeps a mistaken photo from bloating every report.
const maxLogoBytes = 2 << 20

// readLogo reads and checks a PNG logo.
func readLogo(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &domain.Error{Code: "logo", Message: fmt.Sprintf("ロゴの画像「%s」を読めません。ファイルの場所を確認してください。", path), Err: err}
	}
	if len(b) > maxLogoBytes {
		return nil, &domain.Error{Code: "logo", Message: fmt.Sprintf("ロゴの画像「%s」が大きすぎます（%d KB）。2 MB 以下の PNG にしてください。", path, len(b)/1024)}
	}
	if _, err := png.DecodeConfig(bytes.NewReader(b)); err != nil {
		return nil, &domain.Error{Code: "logo", Message: fmt.Sprintf("ロゴの画像「%s」は PNG 形式ではないか、壊れています。PNG 形式の画像を指定してください。", path), Err: err}
	}
	return b, nil
}

// withDefaults fills o's empty fields from the saved defaults.
func (w *Workspace) withDefaults(ctx context.Context, o ReportOptions) (ReportOptions, error) {
	def, err := w.ReportDefaults(ctx)
	if err != nil {
		return o, err
	}
	if o.Era == "" {
		o.Era = def.Era
	}
	if len(o.Approvers) == 0 {
		o.Approvers = def.Approvers
	}
	if o.FormNo == "" {
		o.FormNo = def.FormNo
	}
	if o.Logo == "" {
		o.Logo = def.Logo
	}
	if err := checkEra(o.Era); err != nil {
		return o, err
	}
	if o.Logo != "" {
		if _, err := readLogo(o.Logo); err != nil {
			return o, err
		}
	}
	var keys []string
	for k := range o.Sections {
		keys = append(keys, k)
	}
	return o, CheckSections(keys)
}

// apply copies the options into the report's data.
func (o ReportOptions) apply(d *report.Data) error {
	d.UnmaskSubjects = o.Unmask
	d.Era = o.Era
	d.Approvers = o.Approvers
	d.FormNo = o.FormNo
	d.Password = o.Password
	d.EvidenceLimit = o.EvidenceLimit
	d.Omit = map[string]bool{}
	for k, on := range o.Sections {
		if !on {
			d.Omit[k] = true
		}
	}
	if o.Logo != "" {
		b, err := readLogo(o.Logo)
		if err != nil {
			return err
		}
		d.Logo = b
	}
	return nil
}

// WriteReport writes the PDF report of the latest run to out.
func (w *Workspace) WriteReport(ctx context.Context, out string, progress ProgressFunc) error {
	return w.WriteReportWith(ctx, out, ReportOptions{}, progress)
}

// WriteReportWith writes the PDF report of the latest run with options.
func (w *Workspace) WriteReportWith(ctx context.Context, out string, opt ReportOptions, progress ProgressFunc) error {
	progress.report(0, 3, "報告書の内容を集めています")
	opt, err := w.withDefaults(ctx, opt)
	if err != nil {
		return err
	}
	d, err := w.ReportData(ctx)
	if err != nil {
		return err
	}
	if err := opt.apply(&d); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	progress.report(1, 3, "報告書を作成しています")
	if err := makeDir(out); err != nil {
		return err
	}
	if err := report.WriteFile(out, d); err != nil {
		return &domain.Error{Code: "write", Message: fmt.Sprintf("報告書「%s」を書き出せません: %v", out, err), Err: err}
	}
	progress.report(3, 3, "報告書を保存しました")
	return nil
}

// makeDir creates the folder a file is written into (0700).
func makeDir(out string) error {
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return &domain.Error{Code: "write", Message: fmt.Sprintf("フォルダ「%s」を作成できません: %v", dir, err), Err: err}
		}
	}
	return nil
}

// ReportData gathers what the report of the latest run shows, with the
// options' defaults (masked, 西暦, every section).
func (w *Workspace) ReportData(ctx context.Context) (report.Data, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil {
		return report.Data{}, err
	}
	if run == nil {
		return report.Data{}, errNoRun
	}
	findings, err := w.store.Findings(ctx, run.ID)
	if err != nil {
		return report.Data{}, err
	}
	h, err := w.Hearing(ctx)
	if err != nil {
		return report.Data{}, err
	}
	// The conditions are those the run was made with, not today's.
	snap, hasSnap := runSnapshot(run)
	if hasSnap && snap.Hearing != nil {
		if h, err = snap.sheet(); err != nil {
			return report.Data{}, err
		}
	}
	kv := h.Values()

	d := report.Data{
		Town: h.Town, Department: h.Department, Author: h.Person, Kind: h.Kind,
		From: run.From, To: run.To, CreatedAt: time.Now(),
		WorkStart: h.Hours.Start, WorkEnd: h.Hours.End,
		CalendarNote: h.Calendar().Summary(),
		Findings:     findings,
		StaffNames:   map[string]string{}, StaffDepts: map[string]string{},
		RetentionYears: h.RetentionYears,
	}
	if d.Town == "" {
		d.Town = "（団体名未設定）"
	}
	if d.Batches, err = w.store.Batches(ctx); err != nil {
		return d, err
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return d, err
	}
	// Staff rows are versioned; the one in force at the end of the period
	// names the person, an older one only when there is no newer.
	sort.SliceStable(staff, func(i, j int) bool { return staff[i].Start.Before(staff[j].Start) })
	for _, s := range staff {
		if !s.Start.IsZero() && s.Start.After(run.To) {
			if _, ok := d.StaffNames[s.ID]; ok {
				continue
			}
		}
		d.StaffNames[s.ID] = s.Name
		d.StaffDepts[s.ID] = s.Dept
	}
	masters, err := w.store.MasterImports(ctx)
	if err != nil {
		return d, err
	}
	var mi []string
	for _, m := range masters {
		mi = append(mi, fmt.Sprintf("%s %d件（%s、取込 %s）", MasterLabel(MasterKind(m.Kind)), m.Accepted, m.File, m.ImportedAt.Format("2006-01-02")))
	}
	d.MasterInfo = strings.Join(mi, "、")

	enabled := map[string]bool{}
	for _, id := range snap.Rules {
		enabled[id] = true
	}
	for _, r := range rules.Catalogue() {
		on := r.Implemented
		if hasSnap && len(snap.Rules) > 0 {
			on = on && enabled[r.ID]
		}
		d.Rules = append(d.Rules, report.RuleInfo{ID: r.ID, Name: r.Name, Description: r.Description, Threshold: r.Threshold, Basis: r.Basis, Enabled: on})
	}
	d.Conditions = conditions(kv, snap)

	if d.Exclusions, err = w.reportExclusions(ctx); err != nil {
		return d, err
	}
	if d.Reviews, err = w.Reviews(ctx); err != nil {
		return d, err
	}
	if d.History, err = w.AuditLog(ctx); err != nil {
		return d, err
	}
	if d.Ranking, err = w.Ranking(ctx); err != nil {
		return d, err
	}
	for _, r := range d.Ranking {
		d.StaffOrder = append(d.StaffOrder, r.StaffID)
	}
	hm, err := w.store.HourWeekday(ctx, "", run.From, run.To)
	if err != nil {
		return d, err
	}
	d.Heatmap = &hm
	if d.Daily, err = w.dailyCounts(ctx, run.From, run.To, h.Calendar()); err != nil {
		return d, err
	}
	if d.Coverage, err = w.coverage(ctx, run.From, run.To, h.Calendar(), d.RetentionYears, d.CreatedAt); err != nil {
		return d, err
	}
	if d.Usage, err = w.usage(ctx, run.From, run.To, append(h.Domains, h.PartnerDomains...)); err != nil {
		return d, err
	}
	if d.SampleChecks, err = w.reportSampleChecks(ctx, run); err != nil {
		return d, err
	}
	return d, nil
}

// conditions are the hearing answers and run notes printed in 点検条件
// beyond the hours, the calendar and the masters.
func conditions(kv map[string]string, snap runConfig) [][2]string {
	var out [][2]string
	for _, k := range []string{"systems", "dept_hours", "extended", "closed", "open", "domains", "partner_domains"} {
		if v := strings.TrimSpace(kv[k]); v != "" {
			out = append(out, [2]string{HearingLabel(k), v})
		}
	}
	th := strings.TrimSpace(snap.Thresholds)
	if th == "" {
		th = strings.TrimSpace(kv["thresholds"])
	}
	if th != "" {
		out = append(out, [2]string{"変更したしきい値", th})
	}
	if len(snap.Notes) > 0 {
		out = append(out, [2]string{"点検できなかった事項", strings.Join(snap.Notes, "\n")})
	}
	return out
}

// reportExclusions converts the stored exclusions for the report.
func (w *Workspace) reportExclusions(ctx context.Context) ([]report.Exclusion, error) {
	xs, err := w.Exclusions(ctx)
	if err != nil {
		return nil, err
	}
	concerns, err := w.ExclusionConcerns(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]report.Exclusion, 0, len(xs))
	for _, x := range xs {
		e := report.Exclusion{StaffID: x.StaffID, Reason: x.Reason, By: x.By, At: x.At, Kind: x.Kind, Finding: x.Finding, Concerns: concerns[x.ID]}
		if e.StaffID == "" && x.Finding != nil {
			e.StaffID = x.Finding.StaffID
		}
		if x.Revoked != nil {
			e.Revoked = *x.Revoked
		}
		out = append(out, e)
	}
	return out, nil
}

// usage is the アカウント別利用状況 over from..to; mails count as external
// when a recipient's domain is none of own (the town's and its partners').
func (w *Workspace) usage(ctx context.Context, from, to time.Time, own []string) ([]report.AccountUsage, error) {
	counts, err := w.store.AccountCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	ownSet := map[string]bool{}
	for _, d := range own {
		ownSet[strings.ToLower(strings.TrimSpace(d))] = true
	}
	external := func(to string) bool {
		for _, addr := range strings.FieldsFunc(to, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
			_, dom, ok := strings.Cut(addr, "@")
			if !ok {
				continue
			}
			dom = strings.ToLower(strings.Trim(dom, "<> "))
			internal := false
			for o := range ownSet {
				if dom == o || strings.HasSuffix(dom, "."+o) {
					internal = true
				}
			}
			if !internal {
				return true
			}
		}
		return false
	}
	// A person's Windows logon and mail address are their other accounts
	// (Staff.Accounts): their activity is summed under the staff ID, so
	// the table has one row per person rather than one per log format.
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return nil, err
	}
	owner := map[string]string{}
	for _, s := range staff {
		for _, a := range s.Accounts {
			if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
				owner[a] = s.ID
			}
		}
	}
	idx := map[string]int{}
	var out []report.AccountUsage
	for _, c := range counts {
		id := c.StaffID
		if o, ok := owner[strings.ToLower(id)]; ok {
			id = o
		}
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, report.AccountUsage{StaffID: id})
		}
		u := &out[i]
		u.Logons += c.Logons
		u.Lookups += c.Lookups
		u.Updates += c.Updates
		u.Exports += c.Exports + c.Prints
		u.ExportedRecords += c.ExportedRecords
		u.DeviceWrites += c.DeviceWrites
		for _, to := range c.MailsWithAttachment {
			if external(to) {
				u.ExternalMails++
			}
		}
	}
	return out, nil
}

// WriteAnnualReport writes the 年間総括 of the fiscal year that starts in
// April of fiscalYear: every inspection run whose period starts in that
// year, with its findings and their follow-up.
func (w *Workspace) WriteAnnualReport(ctx context.Context, fiscalYear int, out string, opt ReportOptions, progress ProgressFunc) error {
	if fiscalYear < 1989 || fiscalYear > 2200 {
		return &domain.Error{Code: "bad_year", Message: fmt.Sprintf("年度「%d」は正しくありません。2025 のように西暦で指定してください（令和7年度なら 2025）。", fiscalYear)}
	}
	progress.report(0, 3, "年間総括の内容を集めています")
	opt, err := w.withDefaults(ctx, opt)
	if err != nil {
		return err
	}
	a, err := w.annualData(ctx, fiscalYear)
	if err != nil {
		return err
	}
	var d report.Data
	if err := opt.apply(&d); err != nil {
		return err
	}
	a.Era, a.Approvers, a.FormNo, a.Password, a.Logo = d.Era, d.Approvers, d.FormNo, d.Password, d.Logo
	progress.report(1, 3, "年間総括を作成しています")
	if err := makeDir(out); err != nil {
		return err
	}
	if err := report.WriteAnnualFile(out, a); err != nil {
		return &domain.Error{Code: "write", Message: fmt.Sprintf("年間総括「%s」を書き出せません: %v", out, err), Err: err}
	}
	progress.report(3, 3, "年間総括を保存しました")
	return nil
}

// annualData gathers the runs of a fiscal year.
func (w *Workspace) annualData(ctx context.Context, fy int) (report.AnnualData, error) {
	from, to := report.FiscalYearSpan(fy)
	h, err := w.Hearing(ctx)
	if err != nil {
		return report.AnnualData{}, err
	}
	a := report.AnnualData{
		Town: h.Town, Department: h.Department, Author: h.Person,
		FiscalYear: fy, CreatedAt: time.Now(), RetentionYears: h.RetentionYears,
		StaffNames: map[string]string{}, StaffDepts: map[string]string{},
	}
	if a.Town == "" {
		a.Town = "（団体名未設定）"
	}
	for _, r := range rules.Catalogue() {
		a.Rules = append(a.Rules, report.RuleInfo{ID: r.ID, Name: r.Name, Description: r.Description, Threshold: r.Threshold, Basis: r.Basis, Enabled: r.Implemented})
	}
	runs, err := w.store.RunsStarting(ctx, from, to)
	if err != nil {
		return a, err
	}
	latest := map[string]int64{} // period → the latest run's ID
	for _, r := range runs {
		k := r.From.Format(time.DateOnly) + "/" + r.To.Format(time.DateOnly)
		latest[k] = max(latest[k], r.ID)
	}
	for _, r := range runs {
		if err := ctx.Err(); err != nil {
			return a, err
		}
		ar := report.AnnualRun{ID: r.ID, From: r.From, To: r.To, At: r.At}
		if snap, ok := runSnapshot(&r); ok && snap.Hearing != nil {
			ar.By, ar.Kind = snap.Hearing["person"], snap.Hearing["kind"]
		}
		if ar.Findings, err = w.store.Findings(ctx, r.ID); err != nil {
			return a, err
		}
		sys, err := w.store.SystemEvents(ctx, r.From, r.To)
		if err != nil {
			return a, err
		}
		for s, n := range sys {
			ar.Systems = append(ar.Systems, s)
			ar.Events += n
		}
		slices.Sort(ar.Systems)
		ar.Superseded = latest[r.From.Format(time.DateOnly)+"/"+r.To.Format(time.DateOnly)] != r.ID
		a.Runs = append(a.Runs, ar)
	}
	if a.Reviews, err = w.Reviews(ctx); err != nil {
		return a, err
	}
	// Exclusions in force at some time during the year.
	all, err := w.reportExclusions(ctx)
	if err != nil {
		return a, err
	}
	for _, x := range all {
		if !x.At.IsZero() && x.At.After(to.AddDate(0, 0, 1)) {
			continue
		}
		if !x.Revoked.IsZero() && x.Revoked.Before(from) {
			continue
		}
		a.Exclusions = append(a.Exclusions, x)
	}
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return a, err
	}
	for _, s := range staff {
		a.StaffNames[s.ID] = s.Name
		a.StaffDepts[s.ID] = s.Dept
	}
	// Coverage over the span the year's inspections covered: days before
	// the first or after the last inspected period are not "missing",
	// they were simply not inspected (yet).
	var first, last time.Time
	for _, r := range a.Runs {
		if first.IsZero() || r.From.Before(first) {
			first = r.From
		}
		if r.To.After(last) {
			last = r.To
		}
	}
	if !first.IsZero() {
		if a.Coverage, err = w.coverage(ctx, first, last, h.Calendar(), a.RetentionYears, a.CreatedAt); err != nil {
			return a, err
		}
	}
	return a, nil
}
