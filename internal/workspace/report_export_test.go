package workspace

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"tenken/internal/calendar"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tenken/internal/domain"
	"tenken/internal/report"
)

// smallLog is an access log of one week: Monday, Tuesday, Thursday at
// night and Saturday; Wednesday and Friday have no log.
const smallLog = `日時,職員ID,端末,機能,操作,宛名番号
2025/06/02 09:05:00,S001,PC1,住民票照会,照会,31400007
2025/06/03 09:10:00,S001,PC1,住民票照会,照会,31400014
2025/06/05 20:30:00,S002,PC2,住民票照会,照会,31400021
2025/06/07 10:00:00,S002,PC2,住民票照会,照会,31400028
`

func TestStatsAndCoverage(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	path := writeSJIS(t, t.TempDir(), "log.csv", smallLog)
	if _, _, err := w.ImportLog(ctx, path, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	hm, err := w.Heatmap(ctx, "", day(2025, 6, 2), day(2025, 6, 6))
	if err != nil {
		t.Fatal(err)
	}
	var want [7][24]int
	want[1][9], want[2][9], want[4][20] = 1, 1, 1
	if hm != want {
		t.Errorf("heatmap = %v, want Mon 9h, Tue 9h, Thu 20h", hm)
	}
	if hm, _ := w.Heatmap(ctx, "S002", time.Time{}, time.Time{}); hm[4][20] != 1 || hm[6][10] != 1 || hm[1][9] != 0 {
		t.Errorf("S002's heatmap = %v", hm)
	}

	days, err := w.DailyCounts(ctx, day(2025, 6, 1), day(2025, 6, 7))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 7 {
		t.Fatalf("DailyCounts gave %d days, want 7", len(days))
	}
	wantCounts := []int{0, 1, 1, 0, 1, 0, 1}
	for i, d := range days {
		if d.Count != wantCounts[i] {
			t.Errorf("%s: count %d, want %d", d.Day.Format(time.DateOnly), d.Count, wantCounts[i])
		}
		closed := i == 0 || i == 6
		if d.Closed != closed || (closed && d.Reason == "") {
			t.Errorf("%s: closed = %v (%q), want %v", d.Day.Format(time.DateOnly), d.Closed, d.Reason, closed)
		}
	}

	cov, err := w.coverage(ctx, day(2025, 6, 2), day(2025, 6, 6), calendar.Default(), 7, day(2026, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(cov) != 1 || cov[0].System != "住民記録" {
		t.Fatalf("coverage = %+v", cov)
	}
	c := cov[0]
	if c.WorkingDays != 5 || c.DaysWithLog != 3 || len(c.MissingDays) != 2 ||
		!c.MissingDays[0].Equal(day(2025, 6, 4)) || !c.MissingDays[1].Equal(day(2025, 6, 6)) {
		t.Errorf("coverage: working %d, with log %d, missing %v", c.WorkingDays, c.DaysWithLog, c.MissingDays)
	}
	if c.Events != 4 || !c.First.Equal(time.Date(2025, 6, 2, 9, 5, 0, 0, time.UTC)) {
		t.Errorf("coverage events %d, first %v", c.Events, c.First)
	}
	if !c.RetentionDue.Equal(day(2019, 4, 1)) || c.MeetsRetention() {
		t.Errorf("retention due %v, meets %v; want 2019-04-01, false", c.RetentionDue, c.MeetsRetention())
	}
	// A log reaching back past the due day meets the rule.
	cov, _ = w.coverage(ctx, time.Time{}, time.Time{}, calendar.Default(), 1, day(2026, 6, 3))
	if !cov[0].MeetsRetention() || cov[0].PeriodFrom != day(2025, 6, 2) || cov[0].PeriodTo != day(2025, 6, 7) {
		t.Errorf("1-year retention: %+v", cov[0])
	}
}

// sampleRun loads the sample town and inspects it once.
func sampleRun(t *testing.T) (*Workspace, []domain.Finding) {
	t.Helper()
	if testing.Short() {
		t.Skip("the sample town takes a few seconds")
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
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("the sample produced no findings")
	}
	return w, fs
}

func pdfToText(t *testing.T, path string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext がインストールされていないため省略します")
	}
	out, err := exec.Command(bin, append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), "\n", "")
}

// TestSampleReportAndExport shares one inspected sample town between the
// report and the export, which takes a few seconds to build.
func TestSampleReportAndExport(t *testing.T) {
	w, fs := sampleRun(t)
	t.Run("export", func(t *testing.T) { testExport(t, w, fs) })
	t.Run("report", func(t *testing.T) { testReport(t, w, fs) })
}

func testReport(t *testing.T, w *Workspace, fs []domain.Finding) {
	ctx := context.Background()
	var target domain.Finding
	for _, f := range fs {
		if !f.Excluded {
			target = f
			break
		}
	}
	key := domain.FindingKey{Rule: target.Rule, StaffID: target.StaffID, Date: target.Date}
	if err := w.SetReview(ctx, key, domain.StatusConfirmed, "本人が業務外の閲覧を認めた。", "総務課長"); err != nil {
		t.Fatal(err)
	}
	if err := w.SetReportDefaults(ctx, ReportOptions{Era: report.EraWareki, Approvers: []string{"担当", "課長", "町長"}, FormNo: "既定-001"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sub", "report.pdf")
	if err := w.WriteReportWith(ctx, out, ReportOptions{Password: "pw-2025", Sections: map[string]bool{report.SectionAppendix: false}}, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v %v", st, err)
	}
	if bin, err := exec.LookPath("qpdf"); err == nil {
		if err := exec.Command(bin, "--requires-password", out).Run(); err != nil {
			t.Errorf("the report is not password protected: %v", err)
		}
	}
	text := pdfToText(t, out, "-upw", "pw-2025")
	h, _ := w.HearingValues(ctx)
	for _, s := range []string{h["town"], "既定-001", "町長", "令和7年", "本人が業務外の閲覧を認めた。", "不適切確定", "ログの網羅性", "曜日・時間帯別のアクセス件数", "根拠（ガイドラインとの対応）",
		// The sample's 岩手 case: the exclusion's approver has findings of his own.
		"承認に注意が必要です", "注意（No.1）", "検出事項が"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if strings.Contains(text, "付録 点検項目の説明") {
		t.Error("the switched-off appendix was printed")
	}
	for _, f := range fs {
		if !strings.Contains(text, f.StaffID) {
			t.Errorf("staff ID %s of a finding is missing", f.StaffID)
		}
		for _, e := range f.Evidence {
			if len(e.SubjectID) >= 6 && strings.Contains(text, e.SubjectID) {
				t.Errorf("resident identifier %s printed unmasked", e.SubjectID)
			}
		}
	}

	// The annual roll-up of the sample's fiscal year, and an empty year.
	ann := filepath.Join(t.TempDir(), "annual.pdf")
	if err := w.WriteAnnualReport(ctx, 2025, ann, ReportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	at := pdfToText(t, ann)
	for _, s := range []string{"令和7年度 個人情報アクセスログ点検 年間総括", "年度中の点検は 1 回", "不適切確定とした事項", "本人が業務外の閲覧を認めた。"} {
		if !strings.Contains(at, s) {
			t.Errorf("annual report lacks %q", s)
		}
	}
	if err := w.WriteAnnualReport(ctx, 2024, ann, ReportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if at := pdfToText(t, ann); !strings.Contains(at, "令和6年度に実施した点検の記録はありません") {
		t.Error("an empty year does not say so")
	}

	// Bad options are refused with a Japanese message.
	for _, opt := range []ReportOptions{{Era: "meiji"}, {Sections: map[string]bool{"nosuch": false}}, {Logo: filepath.Join(t.TempDir(), "none.png")}} {
		err := w.WriteReportWith(ctx, out, opt, nil)
		var de *domain.Error
		if !errors.As(err, &de) || !strings.ContainsAny(de.Message, "あいうえおかきくけこ") {
			t.Errorf("options %+v: err = %v, want a Japanese domain error", opt, err)
		}
	}
	notPNG := filepath.Join(t.TempDir(), "logo.png")
	_ = os.WriteFile(notPNG, []byte("GIF89a"), 0o600)
	if err := w.WriteReportWith(ctx, out, ReportOptions{Logo: notPNG}, nil); err == nil || !strings.Contains(err.Error(), "PNG") {
		t.Errorf("a non-PNG logo: %v", err)
	}
}

func testExport(t *testing.T, w *Workspace, fs []domain.Finding) {
	ctx := context.Background()
	dir := t.TempDir()
	xl := filepath.Join(dir, "export.xlsx")
	if err := w.Export(ctx, "xlsx", xl); err != nil {
		t.Fatal(err)
	}
	files, err := w.ExportWith(ctx, "csv", filepath.Join(dir, "export.csv"), ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("csv files = %v", files)
	}
	evidence := 0
	for _, f := range fs {
		evidence += len(f.Evidence)
	}
	ranking, _ := w.Ranking(ctx)
	f, err := excelize.OpenFile(xl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRows := map[string]int{"検出事項": len(fs) + 1, "証跡": evidence + 1, "職員ランキング": len(ranking) + 1}
	for i, name := range []string{"検出事項", "証跡", "職員ランキング"} {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatalf("sheet %s: %v", name, err)
		}
		if len(rows) != wantRows[name] {
			t.Errorf("sheet %s has %d rows, want %d", name, len(rows), wantRows[name])
		}
		b, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s has no BOM", files[i])
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(rows) {
			t.Errorf("%s: %d CSV rows, xlsx has %d", name, len(recs), len(rows))
		}
		if name == "証跡" {
			text := string(b)
			for _, f := range fs {
				for _, e := range f.Evidence {
					if len(e.SubjectID) >= 6 && strings.Contains(text, e.SubjectID) {
						t.Fatalf("evidence CSV holds %s unmasked", e.SubjectID)
					}
				}
			}
		}
	}
	// Dates are real dates in the xlsx.
	raw, _ := f.GetCellValue("検出事項", "G2", excelize.Options{RawCellValue: true})
	if raw == "" || strings.Contains(raw, "-") {
		t.Errorf("検出事項!G2 raw value %q is not a date serial", raw)
	}

	// Unmasked on request.
	un := filepath.Join(dir, "un.csv")
	files, err = w.ExportWith(ctx, "csv", un, ExportOptions{Unmask: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(files[1])
	found := false
	for _, f := range fs {
		for _, e := range f.Evidence {
			if e.SubjectID != "" && strings.Contains(string(b), e.SubjectID) {
				found = true
			}
		}
	}
	if !found {
		t.Error("--unmask export holds no full resident identifier")
	}
	if err := w.Export(ctx, "pdf", filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("format pdf accepted")
	}
}
