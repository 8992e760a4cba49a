package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestReceptionMaster: the 受付簿 previews, imports (recorded and
// audited), re-imports as a correction, and reaches the rules through
// the run's snapshot, bounded to the period and the days around it.
func TestReceptionMaster(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	dir := t.TempDir()
	if err := w.SetHearing(ctx, map[string]string{"person": "情報 太郎"}); err != nil {
		t.Fatal(err)
	}
	file := writeSJIS(t, dir, "受付簿.csv", strings.Join([]string{
		"受付簿（令和7年5月）,,,,",
		"受付日,受付番号,窓口,手続名,宛名番号",
		"令和7年3月3日,1,市民課,転入届,1000000001",  // long before the period
		"令和7年4月20日,2,市民課,転入届,1000000002", // within the 30 days before it
		"令和7年5月7日,3,市民課,転出届,1000000003",
		",4,,住民票,1000000004",
		"令和7年6月1日,5,市民課,転居届,1000000005", // the day after it
		"令和7年6月2日,6,市民課,転居届,1000000006", // beyond
		"合計,,,,6件",
	}, "\r\n"))
	p, err := w.PreviewMaster(ctx, MasterReception, file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Read != 7 || p.Accepted != 6 || len(p.Rejects) != 1 || p.FilledDown != 1 || p.Columns[2].Field != "dept" {
		t.Fatalf("preview %+v", p)
	}
	if rows, _ := w.Reception(ctx); len(rows) != 0 {
		t.Fatalf("preview wrote %d rows", len(rows))
	}
	res, err := w.ImportMaster(ctx, MasterReception, file)
	if err != nil || res.Accepted != 6 || res.Replaced != 0 || res.FilledDown != 1 || res.From != day(2025, 3, 3) || res.To != day(2025, 6, 2) {
		t.Fatalf("import %+v %v", res, err)
	}
	// The same file again replaces itself.
	res, err = w.ImportMaster(ctx, MasterReception, file)
	if err != nil || res.Replaced != 6 {
		t.Fatalf("re-import %+v %v", res, err)
	}
	if rows, _ := w.Reception(ctx); len(rows) != 6 {
		t.Fatalf("rows after re-import: %d", len(rows))
	}
	log, err := w.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	var after map[string]any
	if err := json.Unmarshal([]byte(last.After), &after); err != nil {
		t.Fatal(err)
	}
	if last.Action != "master.reception.import" || last.User != "情報 太郎" || after["replaced"] != float64(6) || after["from"] != "2025-03-03" ||
		after["to"] != "2025-06-02" || after["mode"] != "merge" || after["sha256"] == "" || after["accepted"] != float64(6) {
		t.Errorf("audit %+v", last)
	}
	if MasterLabel(MasterReception) != "受付簿" {
		t.Errorf("label %q", MasterLabel(MasterReception))
	}

	logFile := writeSJIS(t, dir, "住民記録.csv", "操作日時,職員ID,操作,宛名番号\r\n2025/05/07 09:00:00,T001,照会,1000000003\r\n")
	if _, _, err := w.ImportLog(ctx, logFile, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	run, err := w.Inspect(ctx, day(2025, 5, 1), day(2025, 5, 31), nil)
	if err != nil {
		t.Fatal(err)
	}
	var snap runConfig
	if err := json.Unmarshal([]byte(run.Config), &snap); err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, r := range snap.Masters.Reception {
		nos = append(nos, r.No)
	}
	if strings.Join(nos, ",") != "2,3,4,5" {
		t.Errorf("snapshot 受付簿 %v, want the rows from 4/1 to 6/1", nos)
	}
	// A later correction does not change what the run used.
	fixed := writeSJIS(t, dir, "受付簿訂正.csv", "受付日,窓口,宛名番号\r\n2025/05/07,市民課,1000000009\r\n")
	if _, err := w.ImportMaster(ctx, MasterReception, fixed); err != nil {
		t.Fatal(err)
	}
	if rows, _ := w.ReceptionBetween(ctx, day(2025, 5, 7), day(2025, 5, 7)); len(rows) != 1 || rows[0].SubjectID != "1000000009" {
		t.Fatalf("after the correction: %+v", rows)
	}
	cfg, err := snap.config(run.From, run.To)
	if err != nil || len(cfg.Reception) != 4 || cfg.Reception[1].SubjectID != "1000000003" || !cfg.Reception[1].Time.Equal(time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the run's configuration: %+v %v", cfg.Reception, err)
	}
	if _, err := w.ReproduceRun(ctx, run.ID); err != nil {
		t.Errorf("reproduce: %v", err)
	}
}
