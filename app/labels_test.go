package app

import (
	"slices"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

func TestRuleName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"AFTER_HOURS", "勤務時間外アクセス"},
		{"HOLIDAY", "閉庁日アクセス"},
		{"UNAUTHORIZED_SYSTEM", "権限外システム利用"},
		{"RETIRED_ID", "離任者IDの利用"},
		{"UNKNOWN_ID", "未登録IDの利用"},
		{"NEW_RULE", "NEW_RULE"},
	}
	for _, tt := range tests {
		if got := ruleName(tt.id); got != tt.want {
			t.Errorf("ruleName(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestRuleCounts(t *testing.T) {
	got := ruleCounts(map[string]int{"HOLIDAY": 2, "SHARED_ID": 1, "BULK_EXPORT": 3})
	want := []ruleCount{
		{"AFTER_HOURS", "勤務時間外アクセス", 0},
		{"HOLIDAY", "閉庁日アクセス", 2},
		{"UNAUTHORIZED_SYSTEM", "権限外システム利用", 0},
		{"RETIRED_ID", "離任者IDの利用", 0},
		{"UNKNOWN_ID", "未登録IDの利用", 0},
		{"BULK_EXPORT", "大量出力", 3},
		{"SHARED_ID", "IDの共用", 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ruleCounts = %v\nwant %v", got, want)
	}
}

func TestFormatting(t *testing.T) {
	at := time.Date(2024, 7, 1, 9, 5, 0, 0, time.UTC)
	tests := []struct{ got, want string }{
		{formatDate(day(2024, 4, 1)), "2024年4月1日"},
		{formatDateTime(at), "2024年7月1日 9:05"},
		{formatPeriod(day(2024, 4, 1), day(2024, 6, 30)), "2024年4月1日〜6月30日"},
		{formatPeriod(day(2024, 4, 1), day(2025, 3, 31)), "2024年4月1日〜2025年3月31日"},
		{formatPeriod(day(2024, 4, 1), time.Time{}), "2024年4月1日〜"},
		{formatPeriod(time.Time{}, day(2024, 4, 1)), "〜2024年4月1日"},
		{formatPeriod(time.Time{}, time.Time{}), "―"},
		{formatInt(0), "0"},
		{formatInt(999), "999"},
		{formatInt(1000), "1,000"},
		{formatInt(int64(1234567)), "1,234,567"},
		{formatInt(-12345), "-12,345"},
		{formatFindingDate("2024-05-02"), "2024年5月2日"},
		{formatFindingDate("不明"), "不明"},
		{reportFileName(at), "点検報告書_20240701.pdf"},
		{withPDFExtension("/a/報告書"), "/a/報告書.pdf"},
		{withPDFExtension("/a/報告書.PDF"), "/a/報告書.PDF"},
		{baseName(`C:\logs\税務.csv`), "税務.csv"},
		{baseName("/data/住民記録.csv"), "住民記録.csv"},
		{baseName("福祉.csv"), "福祉.csv"},
		{masterTitle(workspace.MasterStaff), "職員マスタ"},
		{masterTitle(workspace.MasterGrants), "権限マスタ"},
		{flatten("一行目\n二行目  です"), "一行目 二行目 です"},
		{recordsText(0), ""},
		{recordsText(1200), "1,200"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestNextStep(t *testing.T) {
	run := &domain.Run{ID: 3, At: time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)}
	before := domain.ImportBatch{ImportedAt: time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)}
	after := domain.ImportBatch{ImportedAt: time.Date(2024, 7, 1, 11, 0, 0, 0, time.UTC)}
	tests := []struct {
		name  string
		s     workspace.Summary
		saved bool
		want  action
		text  string
	}{
		{"empty", workspace.Summary{}, false, actImportLog, "まずはログを取り込んでください。"},
		{"no staff", workspace.Summary{Files: 1}, false, actImportStaff, "職員マスタを取り込んでください。離任者IDや未登録IDの点検に使います。"},
		{"not inspected", workspace.Summary{Files: 1, Staff: 5}, false, actInspect, "点検を実行してください。"},
		{"imported after the run", workspace.Summary{Files: 2, Staff: 5, LastRun: run, Batches: []domain.ImportBatch{before, after}}, false, actInspect, "前回の点検の後にログを取り込みました。点検を実行してください。"},
		{"inspected", workspace.Summary{Files: 1, Staff: 5, LastRun: run, Batches: []domain.ImportBatch{before}}, false, actReport, "検出事項を確認して、報告書を保存してください。"},
		{"reported", workspace.Summary{Files: 1, Staff: 5, LastRun: run, Batches: []domain.ImportBatch{before}}, true, actImportLog, "報告書を保存しました。次の期間のログが届いたら、取り込んで点検してください。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nextStepFor(tt.s, tt.saved)
			if got.Act != tt.want || got.Text != tt.text {
				t.Errorf("nextStepFor = %+v, want %v %q", got, tt.want, tt.text)
			}
		})
	}
}

func TestGuessSystem(t *testing.T) {
	options := systemOptions([]domain.ImportBatch{{System: "住民記録"}, {System: "住民記録照会"}, {System: "防災"}})
	if want := []string{"住民記録", "税務", "福祉", "国保", "介護", "住民記録照会", "防災"}; !slices.Equal(options, want) {
		t.Fatalf("systemOptions = %q, want %q", options, want)
	}
	tests := []struct{ file, want string }{
		{"/in/住民記録_202404.csv", "住民記録"},
		{"/in/住民記録照会ログ.csv", "住民記録照会"},
		{`C:\in\防災メール.csv`, "防災"},
		{"/in/住民税_2024.csv", "税務"},
		{"/in/固定資産税.csv", "税務"},
		{"/in/住基_04.txt", "住民記録"},
		{"/in/国民健康保険.tsv", "国保"},
		{"/in/access_log.csv", ""},
		{"/住民記録/access_log.csv", ""},
	}
	for _, tt := range tests {
		if got := guessSystem(tt.file, options); got != tt.want {
			t.Errorf("guessSystem(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

func TestLogKindAndExtensions(t *testing.T) {
	kinds := []struct {
		label string
		want  domain.LogKind
	}{
		{"自動判定", ""},
		{"業務システムのアクセスログ", domain.KindAccess},
		{"資産管理（端末）のログ", domain.KindEndpoint},
		{"不明", ""},
	}
	for _, k := range kinds {
		if got := logKindFor(k.label); got != k.want {
			t.Errorf("logKindFor(%q) = %q, want %q", k.label, got, k.want)
		}
	}
	exts := []struct {
		path string
		want bool
	}{
		{"a.csv", true}, {"a.CSV", true}, {"a.tsv", true}, {"a.txt", true}, {"a.pdf", false}, {"csv", false},
	}
	for _, e := range exts {
		if got := hasExtension(e.path, logExtensions); got != e.want {
			t.Errorf("hasExtension(%q) = %v", e.path, got)
		}
	}
}

func TestProgressSinkDropsRepeats(t *testing.T) {
	var got []workspace.Progress
	s := &progressSink{forward: func(p workspace.Progress) { got = append(got, p) }}
	in := []workspace.Progress{
		{Message: "読み込んでいます", Done: 0, Total: 10000},
		{Message: "読み込んでいます", Done: 5, Total: 10000},    // same 0.0%: dropped
		{Message: "読み込んでいます", Done: 10, Total: 10000},   // 0.1%: shown
		{Message: "読み込んでいます", Done: 10, Total: 10000},   // repeat: dropped
		{Message: "点検しています", Done: 10, Total: 10000},    // new message: shown
		{Message: "点検しています"},                            // total unknown now: shown
		{Message: "点検しています", Done: 99},                  // still unknown: dropped
		{Message: "点検しています", Done: 20000, Total: 10000}, // overshoot counts as done: shown
	}
	for _, p := range in {
		s.report(p)
	}
	want := []workspace.Progress{in[0], in[2], in[4], in[5], in[7]}
	if !slices.Equal(got, want) {
		t.Errorf("forwarded %v\nwant %v", got, want)
	}
}
