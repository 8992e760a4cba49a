package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"tenken/internal/domain"
)

// Areas of a Discrepancy: which stored rows disagree with the audit log.
const (
	AreaLog        = "log"        // the audit log itself (baseline entries)
	AreaImport     = "import"     // log import batches and their events
	AreaRun        = "run"        // inspection runs and their findings
	AreaExclusion  = "exclusion"  // exclusions
	AreaReview     = "review"     // reviews of findings
	AreaMaster     = "master"     // the masters (Key = kind)
	AreaHearing    = "hearing"    // the hearing sheet's answers (Key = setting)
	AreaStaffEntry = "staff_edit" // an on-screen edit of the 職員マスタ (Key = 職員ID)
)

// Discrepancy is one way the stored rows differ from what the audit log
// says was done. Reason is Japanese and names what differs.
type Discrepancy struct {
	Area   string
	Key    string // the master kind, the setting, the 職員ID … when one applies
	Reason string
}

// Replay is the outcome of replaying the audit log against the stored
// rows.
type Replay struct {
	Problems []Discrepancy
	// What was checked: import batches and runs against their audit
	// entries, and those older than the baseline (no entry of their own).
	Batches, LegacyBatches, Runs, LegacyRuns int
	Exclusions, Reviews                      int
	Masters                                  []string // kinds checked
	Hearing                                  int      // answers stored
	Baseline                                 bool     // the log has an integrity.baseline entry
}

// entryAfter decodes an entry's after into v (false when it does not
// decode).
func entryAfter(e domain.AuditEntry, v any) bool {
	return e.After != "" && json.Unmarshal([]byte(e.After), v) == nil
}

// ReplayAudit replays the audit log and compares the result with the
// rows stored now: every import batch with its log.import entry (counts,
// SHA-256, source, and the digest of its rows recomputed from the events),
// every run with its run.inspect entry, the exclusions and reviews with
// the entries that made them, each master with the digest its last import
// recorded (rewinding on-screen edits of the 職員マスタ), and the hearing
// sheet's answers with their hearing.set entries. A row with no entry, an
// entry whose row is gone, and a row that differs from its entry are each
// a Discrepancy. Rows older than the integrity.baseline entry are checked
// against the digests it holds.
func (s *Store) ReplayAudit(ctx context.Context) (*Replay, error) {
	log, err := s.AuditLog(ctx)
	if err != nil {
		return nil, err
	}
	r := &Replay{}
	base, baseSeq := r.baseline(log)
	if err := s.replayImports(ctx, log, base, r); err != nil {
		return nil, err
	}
	if err := s.replayRuns(ctx, log, base, r); err != nil {
		return nil, err
	}
	if err := s.replayExclusions(ctx, log, r); err != nil {
		return nil, err
	}
	if err := s.replayReviews(ctx, log, r); err != nil {
		return nil, err
	}
	if err := s.replayMasters(ctx, log, base, baseSeq, r); err != nil {
		return nil, err
	}
	if err := s.replayHearing(ctx, log, base, baseSeq, r); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Replay) add(area, key, format string, a ...any) {
	r.Problems = append(r.Problems, Discrepancy{Area: area, Key: key, Reason: fmt.Sprintf(format, a...)})
}

// newEra reports whether an entry is one only a Tenken that writes the
// baseline makes: no such entry may come before the baseline.
func newEra(e domain.AuditEntry) bool {
	switch e.Action {
	case "log.import", "run.inspect", "backup.save", "report.save", "annual.save", "export.save", "notice.save":
		return true
	}
	return strings.HasPrefix(e.Action, "master.") && strings.Contains(e.After, `"rows_digest"`)
}

// baseline finds the integrity.baseline entry: there may be at most one,
// and no entry of this version may come before it (a baseline added later
// would bless whatever was changed before it).
func (r *Replay) baseline(log []domain.AuditEntry) (Baseline, int64) {
	var base Baseline
	var seq int64
	found := 0
	seenNew := false
	for _, e := range log {
		if e.Action == BaselineAction {
			found++
			if found > 1 {
				r.add(AreaLog, "", "監査ログに「検証の基準」の記録が %d 番にもあります（基準は最初に開いたときの1件だけのはずです。後から追加された疑い）。", e.Seq)
				continue
			}
			if seenNew {
				r.add(AreaLog, "", "「検証の基準」の記録（%d 番）が、この版のTenkenの記録より後にあります（後から追加された疑い）。", e.Seq)
			}
			var m map[string]any
			if entryAfter(e, &m) {
				base = parseBaseline(m)
			}
			seq = e.Seq
			continue
		}
		if newEra(e) {
			seenNew = true
		}
	}
	r.Baseline = found > 0
	if base.Masters == nil {
		base.Masters = map[string]string{}
	}
	return base, seq
}

// emptyRowsDigest is the rows digest of a batch that stored no rows.
var emptyRowsDigest = newRowsHash().sum()

func (s *Store) replayImports(ctx context.Context, log []domain.AuditEntry, base Baseline, r *Replay) error {
	type audited struct {
		a   logImport
		seq int64
	}
	byBatch := map[int64]audited{}
	for _, e := range log {
		var a logImport
		if e.Action == "log.import" && entryAfter(e, &a) {
			if x, ok := byBatch[a.Batch]; ok {
				// A batch number is used again only when the batch that
				// had it was deleted.
				r.add(AreaImport, "", "ログ「%s」（取込番号 %d、監査ログ %d 番）の取り込みが削除され、同じ番号で別の取り込み（監査ログ %d 番）が記録されています。", x.a.File, a.Batch, x.seq, e.Seq)
			}
			byBatch[a.Batch] = audited{a, e.Seq}
		}
	}
	batches, err := s.Batches(ctx)
	if err != nil {
		return err
	}
	stored := map[int64]bool{}
	for _, b := range batches {
		stored[b.ID] = true
	}
	sources, err := s.BatchSources(ctx)
	if err != nil {
		return err
	}
	rejects := map[int64]int{}
	rows, err := s.db.QueryContext(ctx, "SELECT batch_id, count(*) FROM reject GROUP BY batch_id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		rejects[id] = n
	}
	rows.Close()
	digests, err := s.BatchDigests(ctx)
	if err != nil {
		return err
	}
	for id, d := range digests {
		if !stored[id] {
			r.add(AreaImport, "", "取り込みの記録がない（削除された取り込みの）行が %s 行あります（取込番号 %d）。", digestCount(d), id)
		}
	}
	for _, b := range batches {
		x, ok := byBatch[b.ID]
		label := fmt.Sprintf("ログ「%s」（%s、取込番号 %d）", b.File, b.System, b.ID)
		if !ok {
			if b.ID <= base.Batch {
				r.LegacyBatches++
				continue
			}
			r.add(AreaImport, "", "%sの取り込みが監査ログにありません（記録の外から追加された疑い）。", label)
			continue
		}
		r.Batches++
		a := x.a
		var diff []string
		if a.File != b.File || a.System != b.System {
			diff = append(diff, fmt.Sprintf("ファイル名・システム（記録は「%s」「%s」）", a.File, a.System))
		}
		if !strings.EqualFold(a.SHA256, b.SHA256) {
			diff = append(diff, "SHA-256")
		}
		if a.Read != b.Read || a.Accepted != b.Accepted || a.Rejected != b.Rejected || a.Duplicate != b.Duplicate {
			diff = append(diff, fmt.Sprintf("件数（記録は 読込 %d・取込 %d・取込不可 %d・重複 %d、今は %d・%d・%d・%d）",
				a.Read, a.Accepted, a.Rejected, a.Duplicate, b.Read, b.Accepted, b.Rejected, b.Duplicate))
		}
		if a.Path != "" && sources[b.ID] != a.Path {
			diff = append(diff, "取込元の場所")
		}
		if d, ok := digests[b.ID]; !ok && a.RowsDigest != emptyRowsDigest {
			diff = append(diff, fmt.Sprintf("保存されている行（記録は %s 行、今は 0 行: 削除の疑い）", digestCount(a.RowsDigest)))
		} else if ok && d != a.RowsDigest {
			if digestCount(d) != digestCount(a.RowsDigest) {
				diff = append(diff, fmt.Sprintf("保存されている行の数（記録は %s 行、今は %s 行: 削除・追加の疑い）", digestCount(a.RowsDigest), digestCount(d)))
			} else {
				diff = append(diff, "保存されている行の内容（行が書き換えられた疑い）")
			}
		}
		if rejects[b.ID] != a.Rejected {
			diff = append(diff, fmt.Sprintf("取込不可の行の記録（記録は %d 行、今は %d 行）", a.Rejected, rejects[b.ID]))
		}
		if len(diff) > 0 {
			r.add(AreaImport, "", "%sが、取り込んだときの記録（監査ログ %d 番）と違います: %s。", label, x.seq, strings.Join(diff, "、"))
		}
	}
	var ids []int64
	for id := range byBatch {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if !stored[id] {
			x := byBatch[id]
			r.add(AreaImport, "", "ログ「%s」（%s、取込番号 %d、%d 行）の取り込みが削除されています（監査ログ %d 番に記録あり）。", x.a.File, x.a.System, id, x.a.Accepted, x.seq)
		}
	}
	return nil
}

// digestCount is the row count a rows or set digest carries ("r1:12:…").
func digestCount(d string) string {
	parts := strings.SplitN(d, ":", 3)
	if len(parts) == 3 {
		return parts[1]
	}
	return "?"
}

func (s *Store) replayRuns(ctx context.Context, log []domain.AuditEntry, base Baseline, r *Replay) error {
	type audited struct {
		a   RunInspect
		seq int64
	}
	byRun := map[int64]audited{}
	for _, e := range log {
		var a RunInspect
		if e.Action == "run.inspect" && entryAfter(e, &a) {
			if x, ok := byRun[a.Run]; ok {
				r.add(AreaRun, "", "点検 %d 番（%s〜%s、監査ログ %d 番）の結果が削除され、同じ番号で別の点検（監査ログ %d 番）が記録されています。", a.Run, x.a.From, x.a.To, x.seq, e.Seq)
			}
			byRun[a.Run] = audited{a, e.Seq}
		}
	}
	checks, err := s.VerifyRuns(ctx)
	if err != nil {
		return err
	}
	stored := map[int64]bool{}
	for _, c := range checks {
		run := c.Run
		stored[run.ID] = true
		x, ok := byRun[run.ID]
		label := fmt.Sprintf("点検 %d 番（%s 実施）", run.ID, run.At.Format("2006-01-02 15:04"))
		if !ok {
			if run.ID <= base.Run {
				r.LegacyRuns++
				continue
			}
			r.add(AreaRun, "", "%sが監査ログにありません（記録の外から追加された疑い）。", label)
			continue
		}
		r.Runs++
		a := x.a
		var diff []string
		if a.From != fmtDate(run.From) || a.To != fmtDate(run.To) {
			diff = append(diff, fmt.Sprintf("点検期間（記録は %s〜%s）", a.From, a.To))
		}
		if a.Findings != run.Findings || a.Findings != c.Stored {
			diff = append(diff, fmt.Sprintf("検出事項の数（記録は %d 件、今は %d 件）", a.Findings, c.Stored))
		}
		if a.FindingsDigest != c.Recomputed || !c.Matches {
			diff = append(diff, "検出事項の内容（除外の印や重要度などが書き換えられた疑い）")
		}
		if a.ConfigDigest != ConfigDigest(run.Config) {
			diff = append(diff, "点検の条件（設定の記録が書き換えられた疑い）")
		}
		if len(diff) > 0 {
			r.add(AreaRun, "", "%sが、点検したときの記録（監査ログ %d 番）と違います: %s。", label, x.seq, strings.Join(diff, "、"))
		}
	}
	var ids []int64
	for id := range byRun {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if !stored[id] {
			x := byRun[id]
			r.add(AreaRun, "", "点検 %d 番（%s〜%s、検出 %d 件）の結果が削除されています（監査ログ %d 番に記録あり）。", id, x.a.From, x.a.To, x.a.Findings, x.seq)
		}
	}
	return nil
}

// sameJSON reports whether two values marshal to the same JSON.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func (s *Store) replayExclusions(ctx context.Context, log []domain.AuditEntry, r *Replay) error {
	want := map[int64]domain.Exclusion{}
	seqOf := map[int64]int64{}
	for _, e := range log {
		if e.Action != "exclusion.add" && e.Action != "exclusion.revoke" {
			continue
		}
		var x domain.Exclusion
		if entryAfter(e, &x) && x.ID != 0 {
			if _, ok := want[x.ID]; ok && e.Action == "exclusion.add" {
				r.add(AreaExclusion, "", "除外 %d 番（監査ログ %d 番）が削除され、同じ番号で別の除外（監査ログ %d 番）が登録されています。", x.ID, seqOf[x.ID], e.Seq)
			}
			want[x.ID], seqOf[x.ID] = x, e.Seq
		}
	}
	have, err := s.Exclusions(ctx)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, x := range have {
		seen[x.ID] = true
		w, ok := want[x.ID]
		label := fmt.Sprintf("除外 %d 番（%s %s、理由「%s」）", x.ID, exclusionKind(x.Kind), x.StaffID, x.Reason)
		switch {
		case !ok:
			r.add(AreaExclusion, "", "%sが監査ログにありません（記録の外から追加された疑い）。", label)
		case !sameJSON(w, x):
			r.add(AreaExclusion, "", "%sが、監査ログ %d 番の記録と違います（書き換えられた疑い）。", label, seqOf[x.ID])
		default:
			r.Exclusions++
		}
	}
	for id, w := range want {
		if !seen[id] {
			r.add(AreaExclusion, "", "除外 %d 番（%s %s）が削除されています（監査ログ %d 番に記録あり）。", id, exclusionKind(w.Kind), w.StaffID, seqOf[id])
		}
	}
	return nil
}

// exclusionKind names the kind of an exclusion in Japanese.
func exclusionKind(k string) string {
	switch k {
	case domain.ExcludeStaff:
		return "職員"
	case domain.ExcludeAccount:
		return "アカウント"
	case domain.ExcludeFinding:
		return "検出事項"
	}
	return k
}

func (s *Store) replayReviews(ctx context.Context, log []domain.AuditEntry, r *Replay) error {
	want := map[domain.FindingKey]domain.Review{}
	seqOf := map[domain.FindingKey]int64{}
	for _, e := range log {
		if !strings.HasPrefix(e.Action, "review.") {
			continue
		}
		var v domain.Review
		if entryAfter(e, &v) && v.Key.Rule != "" {
			want[v.Key], seqOf[v.Key] = v, e.Seq
		}
	}
	have, err := s.Reviews(ctx)
	if err != nil {
		return err
	}
	seen := map[domain.FindingKey]bool{}
	for _, v := range have {
		seen[v.Key] = true
		w, ok := want[v.Key]
		label := fmt.Sprintf("検出事項 %s/%s/%s の確認結果（%s）", v.Key.Rule, v.Key.StaffID, v.Key.Date, v.Status.Label())
		switch {
		case !ok:
			r.add(AreaReview, "", "%sが監査ログにありません（記録の外から追加された疑い）。", label)
		case !sameJSON(w, v):
			r.add(AreaReview, "", "%sが、監査ログ %d 番の記録（%s）と違います（書き換えられた疑い）。", label, seqOf[v.Key], w.Status.Label())
		default:
			r.Reviews++
		}
	}
	for k, w := range want {
		if !seen[k] {
			r.add(AreaReview, "", "検出事項 %s/%s/%s の確認結果（%s）が削除されています（監査ログ %d 番に記録あり）。", k.Rule, k.StaffID, k.Date, w.Status.Label(), seqOf[k])
		}
	}
	return nil
}

// tableExists reports whether the database has the table.
func (s *Store) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	return n > 0, err
}

func (s *Store) replayMasters(ctx context.Context, log []domain.AuditEntry, base Baseline, baseSeq int64, r *Replay) error {
	for _, kind := range MasterKinds {
		if ok, err := s.tableExists(ctx, masterTables[kind]); err != nil {
			return err
		} else if !ok {
			continue
		}
		r.Masters = append(r.Masters, kind)
		// The last point where the log says what the table held: the
		// baseline, or an import (whose entry carries the digest).
		want := setDigest(nil)
		if d, ok := base.Masters[kind]; ok && r.Baseline {
			want = d
		}
		var from int64
		firstBefore := map[string][]domain.Staff{}
		lastAfter := map[string][]domain.Staff{}
		var order []string
		for _, e := range log {
			if e.Seq <= baseSeq {
				continue
			}
			switch {
			case e.Action == "master."+kind+".import":
				var a MasterAudit
				if !entryAfter(e, &a) || a.RowsDigest == "" {
					r.add(AreaMaster, kind, "取り込みの監査記録（%d 番）に、取り込んだ内容のダイジェストがありません。", e.Seq)
					continue
				}
				want, from = a.RowsDigest, e.Seq
				clear(firstBefore)
				clear(lastAfter)
				order = order[:0]
			case kind == "staff" && e.Action == "master.staff.edit":
				var before, after []domain.Staff
				if e.Before != "" && json.Unmarshal([]byte(e.Before), &before) != nil || json.Unmarshal([]byte(e.After), &after) != nil {
					r.add(AreaMaster, kind, "職員マスタの編集の監査記録（%d 番）が読めません。", e.Seq)
					continue
				}
				if _, ok := lastAfter[e.Target]; !ok {
					firstBefore[e.Target] = before
					order = append(order, e.Target)
				}
				lastAfter[e.Target] = after
			}
		}
		all, err := tableRowMaps(ctx, s.db, masterTables[kind])
		if err != nil {
			return err
		}
		var rewound []string
		edited := map[string][]string{}
		for _, m := range all {
			id, _ := m["id"].(string)
			if _, ok := lastAfter[id]; kind == "staff" && ok {
				edited[id] = append(edited[id], canonRow(m))
				continue
			}
			rewound = append(rewound, canonRow(m))
		}
		for _, id := range order {
			if setDigest(staffCanon(lastAfter[id])) != setDigest(edited[id]) {
				r.add(AreaStaffEntry, id, "職員ID「%s」の職員マスタが、画面での最後の編集の記録と違います（書き換えられた疑い）。", id)
			}
			rewound = append(rewound, staffCanon(firstBefore[id])...)
		}
		if setDigest(rewound) != want {
			at := "取り込み"
			if from == 0 {
				at = "検証の基準"
				if !r.Baseline {
					at = "（取り込みの記録がないため、空のはず）"
				}
			}
			r.add(AreaMaster, kind, "保存されている内容が、最後の%sの記録と違います（記録の外で行の追加・削除・書き換えがあった疑い）。", at)
		}
	}
	return nil
}

func staffCanon(list []domain.Staff) []string {
	out := make([]string, 0, len(list))
	for _, st := range list {
		out = append(out, canonRow(staffColumns(st)))
	}
	return out
}

// tableRowMaps reads every row of a master table as column → value
// (without the surrogate key of tables that have one).
func tableRowMaps(ctx context.Context, db DBTX, table string) ([]map[string]any, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	skipID := table != "staff"
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []map[string]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if skipID && c == "id" {
				continue
			}
			if b, ok := vals[i].([]byte); ok {
				m[c] = string(b)
			} else {
				m[c] = vals[i]
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) replayHearing(ctx context.Context, log []domain.AuditEntry, base Baseline, baseSeq int64, r *Replay) error {
	want := settingsDigest(nil)
	if r.Baseline {
		want = base.Hearing
	}
	firstBefore := map[string]string{}
	lastAfter := map[string]string{}
	lastSeq := map[string]int64{}
	for _, e := range log {
		if e.Seq <= baseSeq || e.Action != "hearing.set" {
			continue
		}
		var before, after map[string]string
		if e.Before != "" && json.Unmarshal([]byte(e.Before), &before) != nil || json.Unmarshal([]byte(e.After), &after) != nil {
			r.add(AreaHearing, "", "ヒアリングシートの変更の監査記録（%d 番）が読めません。", e.Seq)
			continue
		}
		for k, v := range after {
			if _, ok := lastAfter[k]; !ok {
				firstBefore[k] = before[k]
			}
			lastAfter[k], lastSeq[k] = v, e.Seq
		}
	}
	cur, err := hearingSettings(ctx, s.db)
	if err != nil {
		return err
	}
	for k, v := range lastAfter {
		if cur[k] != v {
			r.add(AreaHearing, k, "ヒアリングシートの回答が、最後の変更の記録（監査ログ %d 番）と違います（書き換えられた疑い）。", lastSeq[k])
		}
	}
	rewound := map[string]string{}
	for k, v := range cur {
		rewound[k] = v
	}
	for k, v := range firstBefore {
		rewound[k] = v
	}
	if settingsDigest(rewound) != want {
		r.add(AreaHearing, "", "ヒアリングシートに、監査ログに記録のない回答の追加・変更があります（勤務時間などが記録の外で変えられた疑い）。")
	}
	for _, v := range cur {
		if v != "" {
			r.Hearing++
		}
	}
	return nil
}
