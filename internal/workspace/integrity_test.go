package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/store"
)

// insiderBase is a small town's workspace (masters, a month of one
// system's log, the hearing sheet), inspected once, with a review and an
// exclusion: the state an insider starts from. It is built once and
// copied for each attack.
var insiderBase struct {
	once   sync.Once
	dir    string
	anchor string // the 検証コード after setup, as printed on a report
	staff  string // a staff member with findings: "the insider"
	err    error
}

func insiderWorkspace(t *testing.T) (*Workspace, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the sample town")
	}
	b := &insiderBase
	b.once.Do(func() {
		ctx := context.Background()
		b.dir, b.err = os.MkdirTemp("", "tenken-insider-")
		if b.err != nil {
			return
		}
		w, err := Open(b.dir)
		if err != nil {
			b.err = err
			return
		}
		defer w.Close()
		b.err = insiderTown(ctx, w, filepath.Join(b.dir, "files"))
		if b.err != nil {
			return
		}
		if _, err := w.Inspect(ctx, day(2025, 5, 1), day(2025, 5, 31), nil); err != nil {
			b.err = err
			return
		}
		fs, err := w.Findings(ctx)
		if err != nil || len(fs) == 0 {
			b.err = fmt.Errorf("findings %d %v", len(fs), err)
			return
		}
		b.staff = "S0001"
		k := domain.FindingKey{Rule: fs[0].Rule, StaffID: fs[0].StaffID, Date: fs[0].Date}
		if b.err = w.SetReview(ctx, k, domain.StatusInterview, "確認する", "担当"); b.err != nil {
			return
		}
		if _, b.err = w.Exclude(ctx, domain.Exclusion{Kind: domain.ExcludeAccount, StaffID: "BATCH01", Reason: "夜間バッチ", By: "課長"}); b.err != nil {
			return
		}
		b.anchor, b.err = w.Anchor(ctx)
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	dir := t.TempDir()
	copyFile(t, filepath.Join(b.dir, DBName), filepath.Join(dir, DBName))
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, b.anchor
}

// insiderTown writes and imports the small town of the insider tests:
// S0001 ("the insider") looks up residents after hours and a watch-listed
// resident; the others work in hours; BATCH01 is a night batch account.
func insiderTown(ctx context.Context, w *Workspace, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	write := func(name, text string) (string, error) {
		p := filepath.Join(dir, name)
		return p, os.WriteFile(p, []byte(text), 0o600)
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "山里町", "person": "情報 太郎"}); err != nil {
		return err
	}
	masters := []struct {
		kind MasterKind
		name string
		text string
	}{
		{MasterStaff, "staff.csv", "職員ID,氏名,所属,着任日\r\nS0001,山田 一郎,住民課,2020/04/01\r\nS0002,佐藤 花子,住民課,2020/04/01\r\nS0003,鈴木 次郎,税務課,2020/04/01\r\n"},
		{MasterGrants, "grants.csv", "所属,システム\r\n住民課,住民記録\r\n"},
		{MasterWatchlist, "watch.csv", "宛名番号,区分,閲覧可能所属\r\n0009999,DV等支援措置,福祉課\r\n"},
	}
	for _, m := range masters {
		p, err := write(m.name, m.text)
		if err != nil {
			return err
		}
		if _, err := w.ImportMaster(ctx, m.kind, p); err != nil {
			return err
		}
	}
	var log strings.Builder
	log.WriteString("操作日時,職員ID,端末,機能,操作,宛名番号\r\n")
	for d := 1; d <= 30; d++ {
		if time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC).Weekday()%6 == 0 {
			continue
		}
		for i, staff := range []string{"S0001", "S0002", "S0003"} {
			fmt.Fprintf(&log, "2025/05/%02d 10:%02d:00,%s,PC-%d,住民票照会,照会,%07d\r\n", d, i, staff, i, d*10+i)
		}
		fmt.Fprintf(&log, "2025/05/%02d 02:00:00,BATCH01,SV-1,夜間処理,更新,\r\n", d)
	}
	for _, d := range []int{7, 14, 21} {
		fmt.Fprintf(&log, "2025/05/%02d 22:30:00,S0001,PC-0,住民票照会,照会,0009999\r\n", d)
	}
	p, err := write("住民記録.csv", log.String())
	if err != nil {
		return err
	}
	_, _, err = w.ImportLog(ctx, p, ImportOptions{System: "住民記録"}, nil)
	return err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if insiderBase.dir != "" {
		os.RemoveAll(insiderBase.dir)
	}
	os.Exit(code)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// sqlite runs statements on the workspace's database as an insider with
// sqlite3 would, beside the engine.
func sqlite(t *testing.T, w *Workspace, stmts ...string) {
	t.Helper()
	db := rawDB(t, w)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rehash recomputes the hash chain of the audit log from the first entry
// and the head the store keeps, as an insider who knows the algorithm
// (it is in the source) would after editing or deleting entries.
func rehash(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, trg := range []string{"audit_log_no_update", "audit_log_no_delete"} {
		db.Exec("DROP TRIGGER IF EXISTS " + trg)
	}
	rows, err := db.Query("SELECT seq, at, user_name, action, target, before, after FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	var log []domain.AuditEntry
	var ats []string
	for rows.Next() {
		var e domain.AuditEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.User, &e.Action, &e.Target, &e.Before, &e.After); err != nil {
			t.Fatal(err)
		}
		log = append(log, e)
		ats = append(ats, at)
	}
	rows.Close()
	if _, err := db.Exec("DELETE FROM audit_log"); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i, e := range log {
		e.Seq = int64(i + 1)
		e.At = parseAt(t, ats[i])
		e.Prev = prev
		e.Hash = store.AuditHash(e)
		if _, err := db.Exec("INSERT INTO audit_log(seq, at, user_name, action, target, before, after, prev, hash) VALUES(?,?,?,?,?,?,?,?,?)",
			e.Seq, ats[i], e.User, e.Action, e.Target, e.Before, e.After, e.Prev, e.Hash); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	if _, err := db.Exec("UPDATE setting SET value = ? WHERE key = 'audit.head'", fmt.Sprintf("%d %s", len(log), prev)); err != nil {
		t.Fatal(err)
	}
}

func parseAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// failing returns the names of the checks that failed.
func failing(r *VerifyReport) []string {
	var out []string
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

func verifyNow(t *testing.T, w *Workspace, anchors ...string) *VerifyReport {
	t.Helper()
	r, err := w.VerifyWith(context.Background(), VerifyOptions{Anchors: anchors})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestInsiderEditsFailVerify replays, each on its own copy of an
// inspected workspace, the insider edits of issue 15 that verify used to
// let through, and checks that verify now fails on the check that should
// catch each (and on the 検証コード for rebuilt histories).
func TestInsiderEditsFailVerify(t *testing.T) {
	ctx := context.Background()
	w, anchor := insiderWorkspace(t)
	if r := verifyNow(t, w, anchor); !r.OK() {
		t.Fatalf("the untouched workspace fails verify: %+v", r.Checks)
	}
	me := insiderBase.staff
	for _, c := range []struct {
		name   string
		attack func(t *testing.T, w *Workspace)
		fail   []string // checks that must fail
		anchor bool     // the 検証コード taken before must fail too
	}{
		{"delete own events and re-inspect", func(t *testing.T, w *Workspace) {
			sqlite(t, w, fmt.Sprintf("DELETE FROM event_data WHERE staff IN (SELECT id FROM dict WHERE field = 1 AND s = '%s')", me))
			reinspect(t, w)
		}, []string{CheckImports, CheckReproduce}, false},
		{"erase a whole import", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "DELETE FROM event_data WHERE batch_id = 1", "DELETE FROM reject WHERE batch_id = 1",
				"DELETE FROM batch_source WHERE batch_id = 1", "DELETE FROM import_batch WHERE id = 1")
		}, []string{CheckImports, CheckReproduce}, false},
		{"delete the latest run", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "DELETE FROM finding WHERE run_id = (SELECT max(id) FROM run)", "DELETE FROM run WHERE id = (SELECT max(id) FROM run)")
		}, []string{CheckFindings}, false},
		{"insert an exclusion and re-inspect", func(t *testing.T, w *Workspace) {
			sqlite(t, w, fmt.Sprintf("INSERT INTO exclusion(kind, staff_id, rule, date, reason, by_name, at) VALUES('staff', '%s', '', '', '人事異動のため', '課長', '2025-06-01 09:00:00')", me))
			reinspect(t, w)
		}, []string{CheckChanges}, false},
		{"insert a grant and re-inspect", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "INSERT INTO access_grant(staff_id, dept, system, permission, from_date, to_date) VALUES('S0003', '', '住民記録', '', '', '')")
			reinspect(t, w)
		}, []string{CheckChanges}, false},
		{"insert a closed review", func(t *testing.T, w *Workspace) {
			res, err := rawDB(t, w).Exec(`INSERT INTO review(rule, staff_id, date, status, comment, by_name, at)
				SELECT rule, staff_id, date, 'no_issue', '業務上の照会', '課長', '2025-06-01 09:00:00' FROM finding f
				WHERE NOT EXISTS (SELECT 1 FROM review r WHERE r.rule = f.rule AND r.staff_id = f.staff_id AND r.date = f.date) LIMIT 1`)
			if n, _ := res.RowsAffected(); err != nil || n != 1 {
				t.Fatalf("insert review: %d %v", n, err)
			}
		}, []string{CheckChanges}, false},
		{"new office hours and re-inspect", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "INSERT INTO setting(key, value) VALUES('hearing.hours', '07:00-22:00') ON CONFLICT(key) DO UPDATE SET value = excluded.value")
			reinspect(t, w)
		}, []string{CheckChanges}, false},
		{"mark a finding excluded and recompute its digest", func(t *testing.T, w *Workspace) {
			sqlite(t, w, fmt.Sprintf("UPDATE finding SET excluded = 1 WHERE staff_id = '%s'", me))
			recomputeRunDigests(t, w)
		}, []string{CheckFindings}, false},
		{"delete the latest import and import a doctored file under its number", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "DELETE FROM event_data WHERE batch_id = (SELECT max(id) FROM import_batch)", "DELETE FROM reject WHERE batch_id = (SELECT max(id) FROM import_batch)",
				"DELETE FROM batch_source WHERE batch_id = (SELECT max(id) FROM import_batch)", "DELETE FROM import_batch WHERE id = (SELECT max(id) FROM import_batch)")
			p := writeSJIS(t, t.TempDir(), "差し替え.csv", "操作日時,職員ID,端末,機能,操作,宛名番号\r\n2025/05/07 10:00:00,S0002,PC-1,住民票照会,照会,0000001\r\n")
			if _, _, err := w.ImportLog(context.Background(), p, ImportOptions{System: "住民記録"}, nil); err != nil {
				t.Fatal(err)
			}
		}, []string{CheckImports}, false},
		{"delete the latest run and inspect again under its number", func(t *testing.T, w *Workspace) {
			sqlite(t, w, fmt.Sprintf("DELETE FROM event_data WHERE staff IN (SELECT id FROM dict WHERE field = 1 AND s = '%s')", me),
				"DELETE FROM finding WHERE run_id = (SELECT max(id) FROM run)", "DELETE FROM run WHERE id = (SELECT max(id) FROM run)")
			reinspect(t, w)
		}, []string{CheckFindings}, false},
		{"edit an event's time", func(t *testing.T, w *Workspace) {
			sqlite(t, w, "UPDATE event_data SET ts = ts - 3600 WHERE id = (SELECT min(id) FROM event_data)")
		}, []string{CheckImports}, false},
		{"rename a staff ID in the dictionary", func(t *testing.T, w *Workspace) {
			sqlite(t, w, fmt.Sprintf("UPDATE dict SET s = 'X%s' WHERE field = 1 AND s = '%s'", me, me))
		}, []string{CheckImports}, false},
		{"delete the exclusion's audit entry and re-hash the chain", func(t *testing.T, w *Workspace) {
			db := rawDB(t, w)
			db.Exec("DROP TRIGGER audit_log_no_delete")
			if _, err := db.Exec("DELETE FROM audit_log WHERE action = 'exclusion.add'"); err != nil {
				t.Fatal(err)
			}
			rehash(t, db)
		}, []string{CheckChanges, CheckAnchor}, true},
		{"rebuild the whole history", func(t *testing.T, w *Workspace) {
			// Every row and its entry agree, but the history differs from
			// the one a report was printed from: only the anchor can tell.
			db := rawDB(t, w)
			db.Exec("DROP TRIGGER audit_log_no_update")
			if _, err := db.Exec("UPDATE audit_log SET user_name = '別人' WHERE action = 'review.set'"); err != nil {
				t.Fatal(err)
			}
			rehash(t, db)
		}, []string{CheckAnchor}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, anchor := insiderWorkspace(t)
			c.attack(t, w)
			// The checks that must fail, and those that cost little; the
			// full verify is run on the untouched workspace above.
			only := append([]string{CheckIntegrity, CheckAudit, CheckImports, CheckChanges, CheckFindings, CheckAnchor}, c.fail...)
			r, err := w.VerifyWith(ctx, VerifyOptions{Anchors: []string{anchor}, only: only})
			if err != nil {
				t.Fatal(err)
			}
			got := failing(r)
			for _, want := range c.fail {
				if !contains(got, want) {
					t.Errorf("%s passed; failing: %v\n%+v", want, got, r.Checks)
				}
			}
			if c.anchor {
				if ok, detail, err := w.CheckAnchor(ctx, anchor); err != nil || ok {
					t.Errorf("anchor %s still holds: %s %v", anchor, detail, err)
				}
			} else if contains(got, CheckAnchor) {
				t.Errorf("the anchor failed though the history before it is intact: %+v", r.Checks)
			}
			for _, ch := range r.Checks {
				if !ch.OK {
					t.Logf("%s: %s", ch.Name, ch.Detail)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func reinspect(t *testing.T, w *Workspace) {
	t.Helper()
	if _, err := w.Inspect(context.Background(), domain.DateOf(day(2025, 5, 1)), domain.DateOf(day(2025, 5, 31)), nil); err != nil {
		t.Fatal(err)
	}
}

// recomputeRunDigests rewrites each run's findings digest from its rows
// as stored, the way an insider who read store/runs.go would.
func recomputeRunDigests(t *testing.T, w *Workspace) {
	t.Helper()
	checks, err := w.store.VerifyRuns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, w)
	for _, c := range checks {
		if _, err := db.Exec("UPDATE run SET digest = ? WHERE id = ?", c.Recomputed, c.Run.ID); err != nil {
			t.Fatal(err)
		}
	}
	if again, _ := w.store.VerifyRuns(context.Background()); len(again) == 0 || !again[0].Matches {
		t.Fatalf("the recomputed digest does not match: %+v", again)
	}
}

// TestImportAfterInspectionIsNoFalseAlarm: a log imported after a run is
// not in the batches the run read, so reproducing the run still gives
// its findings, and verify passes.
func TestImportAfterInspectionIsNoFalseAlarm(t *testing.T) {
	ctx := context.Background()
	w, anchor := insiderWorkspace(t)
	me := insiderBase.staff
	p := writeSJIS(t, t.TempDir(), "追加.csv", "操作日時,職員ID,端末,機能,操作,宛名番号\r\n"+
		fmt.Sprintf("2025/05/10 23:30:00,%s,PC-1,住民票照会,照会,0000001\r\n", me)+
		fmt.Sprintf("2025/05/11 23:31:00,%s,PC-1,住民票照会,照会,0000002\r\n", me))
	if _, _, err := w.ImportLog(ctx, p, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	r := verifyNow(t, w, anchor)
	if !r.OK() {
		t.Fatalf("a legitimate import after the inspection fails verify: %v\n%+v", failing(r), r.Checks)
	}
	if c := checkOf(t, r, CheckReproduce); !strings.Contains(c.Detail, "後から取り込んだログは含めていません") {
		t.Errorf("reproduction: %+v", c)
	}
}

// TestUpgradedWorkspaceStartsFromABaseline: a workspace made by a Tenken
// that did not audit imports (simulated: no audit log, the schema one step
// back) is upgraded on open, which records its state in one
// integrity.baseline entry; verify then passes, counting the old imports
// as older than the baseline, and still catches a row added afterwards
// outside the log, and a second baseline.
func TestUpgradedWorkspaceStartsFromABaseline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := writeSJIS(t, t.TempDir(), "log.csv", "操作日時,職員ID,端末,機能,操作,宛名番号\r\n2025/05/07 09:00:00,S1,PC-1,住民票照会,照会,0000001\r\n")
	if _, _, err := w.ImportLog(ctx, p, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.SetHearing(ctx, map[string]string{"town": "山里町"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log", "DELETE FROM setting WHERE key = 'audit.head'",
		"ALTER TABLE import_batch DROP COLUMN rows_digest", fmt.Sprintf("PRAGMA user_version = %d", store.SchemaVersion()-1)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	w, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	log, _ := w.AuditLog(ctx)
	if len(log) != 1 || log[0].Action != store.BaselineAction || !strings.Contains(log[0].After, `"batch":1`) {
		t.Fatalf("audit log after the upgrade: %+v", log)
	}
	r := verifyNow(t, w)
	if !r.OK() {
		t.Fatalf("upgraded workspace fails verify: %+v", r.Checks)
	}
	if c := checkOf(t, r, CheckImports); !strings.Contains(c.Detail, "1 件は監査を記録する前の版で取り込まれた") {
		t.Errorf("imports: %+v", c)
	}
	sqlite(t, w, "INSERT INTO setting(key, value) VALUES('hearing.hours', '07:00-22:00')")
	if r := verifyNow(t, w); contains(failing(r), CheckChanges) == false {
		t.Errorf("an answer added after the baseline passes: %+v", r.Checks)
	}
	sqlite(t, w, "DELETE FROM setting WHERE key = 'hearing.hours'")
	if _, err := w.store.AppendAudit(ctx, store.Audit{User: "x", Action: store.BaselineAction, After: map[string]any{"batch": 9}}); err != nil {
		t.Fatal(err)
	}
	if r := verifyNow(t, w); contains(failing(r), CheckChanges) == false {
		t.Errorf("a second baseline passes: %+v", r.Checks)
	}
}
