package workspace

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
)

func writeSJIS(t *testing.T, dir, name, text string) string {
	t.Helper()
	s, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func openWS(t *testing.T) *Workspace {
	t.Helper()
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func domainCode(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func TestMasterPreviewImportAndEdit(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	dir := t.TempDir()
	staffCSV := writeSJIS(t, dir, "職員.csv", strings.Join([]string{
		"職員番号,氏名,所属課,採用日,退職日,ログオンID",
		"T001,山田 花子,税務課,2019/04/01,2025/03/31,yamada-h",
		"T001,山田 花子,住民課,2025/04/01,,yamada-h",
		"T002,佐藤 一郎,税務課,2025/04/01,2025/03/01,",
	}, "\r\n"))

	p, err := w.PreviewMaster(ctx, MasterStaff, staffCSV)
	if err != nil {
		t.Fatal(err)
	}
	if p.Read != 3 || p.Accepted != 2 || len(p.Rejects) != 1 || p.Rejects[0].Line != 4 || p.Rejects[0].Column != "退職日" || len(p.Rows) != 3 {
		t.Fatalf("preview %+v", p)
	}
	if p.Columns[0].Field != "id" || p.Columns[5].Field != "logon" || p.Encoding == "" {
		t.Errorf("preview columns %+v encoding %q", p.Columns, p.Encoding)
	}
	if st, _ := w.Staff(ctx); len(st) != 0 {
		t.Fatalf("preview wrote %d staff rows", len(st))
	}
	// A file without the ID column previews with Missing, not an error.
	bad := writeSJIS(t, dir, "bad.csv", "氏名,所属\r\n山田,税務課\r\n")
	if p, err := w.PreviewMaster(ctx, MasterStaff, bad); err != nil || len(p.Missing) != 1 || p.Missing[0] != "職員ID" {
		t.Fatalf("preview without ID column: %+v %v", p, err)
	}

	if err := w.SetHearing(ctx, map[string]string{"person": "情報 太郎"}); err != nil {
		t.Fatal(err)
	}
	res, err := w.ImportMaster(ctx, MasterStaff, staffCSV)
	if err != nil || res.Accepted != 2 || len(res.Rejects) != 1 {
		t.Fatalf("import %+v %v", res, err)
	}
	march, err := w.StaffAt(ctx, day(2025, 3, 15))
	if err != nil || len(march) != 1 || march[0].Dept != "税務課" || len(march[0].Accounts) != 1 {
		t.Fatalf("staff in March %+v %v", march, err)
	}
	april, _ := w.StaffAt(ctx, day(2025, 4, 15))
	if len(april) != 1 || april[0].Dept != "住民課" {
		t.Fatalf("staff in April %+v", april)
	}

	// Edits are validated, versioned and audited.
	for _, bad := range []domain.Staff{{ID: " "}, {ID: "T003", Start: day(2025, 4, 1), End: day(2025, 3, 1)}, {ID: "T 3"}, {ID: "T003", Name: "改行\n入り"}} {
		if err := w.SaveStaff(ctx, bad, ""); domainCode(err) != "invalid" {
			t.Errorf("SaveStaff(%+v) = %v, want invalid", bad, err)
		}
	}
	transfer := domain.Staff{ID: "T001", Name: "山田 花子", Dept: "福祉課", Start: day(2025, 10, 1), Systems: []string{"福祉・介護"}}
	if err := w.SaveStaff(ctx, transfer, ""); err != nil {
		t.Fatal(err)
	}
	all, _ := w.Staff(ctx)
	if len(all) != 3 || !all[1].End.Equal(day(2025, 9, 30)) || all[2].Dept != "福祉課" || len(all[2].Systems) != 2 {
		t.Fatalf("versions after transfer %+v", all)
	}

	ot := writeSJIS(t, dir, "時間外.csv", "職員ID,日付,開始,終了\r\nT001,令和7年5月7日,17:15,21:00\r\nT001,2025/05/08,22:00,1:30\r\n")
	if r, err := w.ImportMaster(ctx, MasterOvertime, ot); err != nil || r.Accepted != 2 {
		t.Fatalf("overtime %+v %v", r, err)
	}
	ot2 := writeSJIS(t, dir, "時間外6月.csv", "職員ID,日付,開始,終了\r\nT001,2025/06/02,17:15,19:00\r\n")
	if _, err := w.ImportMaster(ctx, MasterOvertime, ot2); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.Overtime(ctx); len(list) != 3 || list[1].To != 25*time.Hour+30*time.Minute {
		t.Errorf("overtime merged by month: %+v", list)
	}
	wl := writeSJIS(t, dir, "要注意.csv", "宛名番号,区分,閲覧可能所属\r\n1000000123,DV,住民課\r\n")
	if _, err := w.ImportMaster(ctx, MasterWatchlist, wl); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.Watchlist(ctx); len(list) != 1 || list[0].Category != "DV等支援措置" {
		t.Errorf("watchlist %+v", list)
	}
	if _, err := w.ImportMaster(ctx, "people", wl); domainCode(err) != "bad_kind" {
		t.Errorf("unknown kind: %v", err)
	}

	log, err := w.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if e.Action != "hearing.set" {
			actions = append(actions, e.Action)
		}
		if e.Action != "hearing.set" && e.User != "情報 太郎" {
			t.Errorf("audit user %q, want the hearing person", e.User)
		}
	}
	if got := strings.Join(actions, ","); got != "master.staff.import,master.staff.edit,master.overtime.import,master.overtime.import,master.watchlist.import" {
		t.Errorf("audit actions %s", got)
	}
	vs, err := w.MasterVersions(ctx)
	if err != nil || vs[0].Import == nil || vs[0].Import.SHA256 == "" || !filepath.IsAbs(vs[0].Import.Path) {
		t.Errorf("master versions %+v %v", vs, err)
	}
}

// saveRun stores a run with the given findings directly, for tests that
// need findings without logs.
func saveRun(t *testing.T, w *Workspace, fs ...domain.Finding) domain.Run {
	t.Helper()
	run, err := w.store.SaveRun(context.Background(), domain.Run{From: day(2025, 5, 1), To: day(2025, 5, 31), Config: "{}"}, fs)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestExclusionsAndReviews(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	k := domain.FindingKey{Rule: "AFTER_HOURS", StaffID: "T001", Date: "2025-05-07"}
	saveRun(t, w, domain.Finding{Rule: k.Rule, StaffID: k.StaffID, Date: k.Date, Severity: domain.Medium, Count: 3})

	for _, bad := range []domain.Exclusion{
		{Kind: domain.ExcludeStaff, StaffID: "T002", By: "課長"},
		{Kind: domain.ExcludeStaff, StaffID: "T002", Reason: "保守用"},
		{Kind: domain.ExcludeStaff, Reason: "保守用", By: "課長"},
		{Kind: "everyone", StaffID: "T002", Reason: "保守用", By: "課長"},
		{Kind: domain.ExcludeFinding, Finding: &domain.FindingKey{Rule: "X", StaffID: "T1", Date: "2025-02-30"}, Reason: "r", By: "b"},
	} {
		if _, err := w.Exclude(ctx, bad); domainCode(err) != "invalid" || !strings.ContainsAny(err.Error(), "理由承認職員種類日付") {
			t.Errorf("Exclude(%+v) = %v", bad, err)
		}
	}
	x, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeStaff, StaffID: "T002", Reason: "システム保守用ID", By: "総務課長"})
	if err != nil || x.ID == 0 {
		t.Fatalf("exclude %+v %v", x, err)
	}
	if _, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeStaff, StaffID: "T002", Reason: "again", By: "課長"}); domainCode(err) != "already_excluded" {
		t.Errorf("duplicate exclusion: %v", err)
	}
	if _, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeFinding, Finding: &k, Reason: "時間外申請の提出漏れ", By: "総務課長"}); err != nil {
		t.Fatal(err)
	}
	if err := w.RevokeExclusion(ctx, x.ID, "", "課長"); domainCode(err) != "invalid" {
		t.Errorf("revoke without reason: %v", err)
	}
	if err := w.RevokeExclusion(ctx, 42, "誤り", "課長"); domainCode(err) != "not_found" {
		t.Errorf("revoke unknown: %v", err)
	}
	if err := w.RevokeExclusion(ctx, x.ID, "保守終了", "総務課長"); err != nil {
		t.Fatal(err)
	}
	ex, err := w.Exclusions(ctx)
	if err != nil || len(ex) != 2 || ex[0].Revoked == nil || ex[1].Finding == nil || ex[1].StaffID != "T001" {
		t.Fatalf("exclusions %+v %v", ex, err)
	}
	// Re-excluding after a revoke is allowed: the old one is no longer in force.
	if _, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeStaff, StaffID: "T002", Reason: "保守再開", By: "総務課長"}); err != nil {
		t.Errorf("re-exclude after revoke: %v", err)
	}

	if err := w.SetReview(ctx, k, domain.StatusNoIssue, "  ", "担当"); domainCode(err) != "invalid" || !strings.Contains(err.Error(), "問題なし") {
		t.Errorf("closing without comment: %v", err)
	}
	if err := w.SetReview(ctx, domain.FindingKey{Rule: "HOLIDAY", StaffID: "T001", Date: "2025-05-07"}, domain.StatusInterview, "", ""); domainCode(err) != "no_finding" {
		t.Errorf("review of an unknown finding: %v", err)
	}
	if err := w.SetReview(ctx, k, "maybe", "", ""); domainCode(err) != "invalid" {
		t.Errorf("unknown status: %v", err)
	}
	if err := w.SetReview(ctx, k, domain.StatusInterview, "本人に確認する", ""); err != nil {
		t.Fatal(err)
	}
	// A later run with the same finding keeps the review.
	saveRun(t, w, domain.Finding{Rule: k.Rule, StaffID: k.StaffID, Date: k.Date, Severity: domain.Medium, Count: 3})
	if err := w.SetReview(ctx, k, domain.StatusConfirmed, "私用の閲覧を本人が認めた", "総務課長"); err != nil {
		t.Fatal(err)
	}
	rs, err := w.Reviews(ctx)
	if err != nil || rs[k].Status != domain.StatusConfirmed || rs[k].By != "総務課長" || rs[k].Comment != "私用の閲覧を本人が認めた" {
		t.Fatalf("reviews %+v %v", rs, err)
	}
	key, err := ParseFindingKey("REPEATED_SUBJECT/K/9/2025-05-07")
	if err != nil || key.StaffID != "K/9" {
		t.Errorf("ParseFindingKey with a slash in the ID: %+v %v", key, err)
	}
	// The history of exclusions and reviews (the two runs saved above
	// have their own run.inspect entries).
	all, _ := w.AuditLog(ctx)
	var log []domain.AuditEntry
	runs := 0
	for _, e := range all {
		if e.Action == "run.inspect" {
			runs++
			continue
		}
		log = append(log, e)
	}
	if runs != 2 || len(log) != 6 || log[5].Action != "review.set" || !strings.Contains(log[5].Before, "interview") {
		t.Errorf("audit log (%d runs) %+v", runs, log)
	}
}

// rawDB opens the workspace's database beside the engine, as someone
// tampering with the file would.
func rawDB(t *testing.T, w *Workspace) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(w.Dir, DBName)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func checkOf(t *testing.T, r *VerifyReport, name string) VerifyCheck {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, r.Checks)
	return VerifyCheck{}
}

func TestVerifyDetectsTampering(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample town")
	}
	ctx := context.Background()
	w := openWS(t)
	res, err := w.LoadSample(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Inspect(ctx, res.From, res.To, nil); err != nil {
		t.Fatal(err)
	}
	fs, err := w.Findings(ctx)
	if err != nil || len(fs) < 3 {
		t.Fatalf("findings %d %v", len(fs), err)
	}
	k := domain.FindingKey{Rule: fs[0].Rule, StaffID: fs[0].StaffID, Date: fs[0].Date}
	if err := w.SetReview(ctx, k, domain.StatusInterview, "確認する", "担当"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeAccount, StaffID: "BATCH01", Reason: "夜間バッチ", By: "課長"}); err != nil {
		t.Fatal(err)
	}
	rep, err := w.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("clean workspace fails verify: %+v", rep.Checks)
	}
	if c := checkOf(t, rep, CheckFiles); !strings.Contains(c.Detail, "一致しました") || strings.Contains(c.Detail, "記録されていない") {
		t.Errorf("files check (every log's source must be recorded and match) %+v", c)
	}

	db := rawDB(t, w)
	// An edited audit entry.
	if _, err := db.Exec("DROP TRIGGER audit_log_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_log SET user_name = '別人' WHERE seq = (SELECT min(seq) FROM audit_log WHERE action = 'review.set')"); err != nil {
		t.Fatal(err)
	}
	rep, _ = w.Verify(ctx)
	if c := checkOf(t, rep, CheckAudit); c.OK || !strings.Contains(c.Detail, "改変") {
		t.Errorf("edited audit entry: %+v", c)
	}
	if rep.OK() {
		t.Error("report OK with an edited audit entry")
	}

	// A deleted finding.
	run, _ := w.LatestRun(ctx)
	if _, err := db.Exec("DELETE FROM finding WHERE id = (SELECT max(id) FROM finding WHERE run_id = ?)", run.ID); err != nil {
		t.Fatal(err)
	}
	rep, _ = w.Verify(ctx)
	if c := checkOf(t, rep, CheckFindings); c.OK || !strings.Contains(c.Detail, "しかありません") {
		t.Errorf("deleted finding (digest): %+v", c)
	}
	if c := checkOf(t, rep, CheckReproduce); c.OK || !strings.Contains(c.Detail, "保存されていない検出事項 1 件") {
		t.Errorf("deleted finding (reproduction): %+v", c)
	}

	// A log file changed after its import.
	logFile := filepath.Join(res.Dir, res.Batches[0].File)
	lf, err := os.OpenFile(logFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	lf.WriteString("\r\n")
	lf.Close()
	rep, _ = w.Verify(ctx)
	if c := checkOf(t, rep, CheckFiles); c.OK || !strings.Contains(c.Detail, res.Batches[0].File) {
		t.Errorf("changed log file: %+v", c)
	}

	// A master file changed after its import.
	f, err := os.OpenFile(filepath.Join(res.Dir, filepath.Base(mustMasterPath(t, w))), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\r\n")
	f.Close()
	rep, _ = w.Verify(ctx)
	if c := checkOf(t, rep, CheckFiles); c.OK || !strings.Contains(c.Detail, "内容が変わっています") {
		t.Errorf("changed master file: %+v", c)
	}
}

func mustMasterPath(t *testing.T, w *Workspace) string {
	t.Helper()
	vs, err := w.MasterVersions(context.Background())
	if err != nil || vs[0].Import == nil {
		t.Fatalf("versions %+v %v", vs, err)
	}
	return vs[0].Import.Path
}

func TestVerifyTruncatedDatabaseAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 150 {
		if err := w.audit(ctx, "test", strings.Repeat("長い対象", 60), nil, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "山里町"}); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(t.TempDir(), "b.db")
	if err := w.Backup(ctx, bak); err != nil {
		t.Fatal(err)
	}
	w.Close()
	db := filepath.Join(dir, DBName)
	fi, _ := os.Stat(db)
	if err := os.Truncate(db, fi.Size()/3); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); domainCode(err) != "damaged" || !strings.Contains(err.Error(), "tenken restore") {
		t.Fatalf("open truncated: %v", err)
	}
	replaced, err := RestoreWorkspace(ctx, bak, dir)
	if err != nil {
		t.Fatalf("restore over a damaged database: %v", err)
	}
	if fi, err := os.Stat(replaced); err != nil || fi.Size() == 0 {
		t.Errorf("damaged database not kept: %v", err)
	}
	w, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if h, _ := w.Hearing(ctx); h.Town != "山里町" {
		t.Errorf("restored town %q", h.Town)
	}
	rep, err := w.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("restored workspace does not verify: %+v %v", rep, err)
	}
	log, _ := w.AuditLog(ctx)
	if last := log[len(log)-1]; last.Action != "backup.restore" {
		t.Errorf("restore not audited: %+v", last)
	}
}

func TestHearingChangesAreAudited(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	if err := w.SetHearing(ctx, map[string]string{"town": "山里町", "person": "情報 太郎"}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "山里町"}); err != nil {
		t.Fatal(err)
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "川里町"}); err != nil {
		t.Fatal(err)
	}
	log, err := w.AuditLog(ctx)
	if err != nil || len(log) != 2 {
		t.Fatalf("audit log %+v %v", log, err)
	}
	if log[0].Target != "hearing.person,hearing.town" || log[1].Target != "hearing.town" || log[1].User != "情報 太郎" ||
		!strings.Contains(log[1].Before, "山里町") || !strings.Contains(log[1].After, "川里町") {
		t.Errorf("hearing audit %+v", log)
	}
	if w.User() != "情報 太郎" {
		t.Errorf("User() = %q", w.User())
	}
}

func TestPreviewMasterMissingColumns(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		kind MasterKind
		text string
		want string
	}{
		{MasterGrants, "システム,権限\r\n税務,照会\r\n", "職員IDまたは所属"},
		{MasterOvertime, "職員ID,日付\r\nT1,2025/05/07\r\n", "開始・終了（または時間帯）"},
		{MasterWatchlist, "区分,閲覧可能所属\r\nDV,住民課\r\n", "宛名番号"},
	} {
		p, err := w.PreviewMaster(ctx, tc.kind, writeSJIS(t, dir, string(tc.kind)+".csv", tc.text))
		if err != nil || len(p.Missing) != 1 || p.Missing[0] != tc.want || len(p.Columns) != 2 {
			t.Errorf("%s: preview %+v %v", tc.kind, p, err)
		}
	}
}
