package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

func TestDashboard(t *testing.T) {
	logsOnly := workspace.Summary{
		Files: 1, Rows: 800, From: day(2024, 4, 1), To: day(2025, 3, 31), Staff: 20,
		Batches: []domain.ImportBatch{{File: "/x/福祉.csv", System: "福祉", Accepted: 800}},
	}
	tests := []struct {
		name      string
		summary   workspace.Summary
		findings  []domain.Finding
		shows     []string
		hides     []string
		enabled   []string
		disabled  []string
		findTitle string
	}{
		{
			name:    "empty workspace",
			summary: workspace.Summary{},
			shows: []string{"点検の状況", "作業フォルダ：" + testDir, "点検へようこそ", "サンプルデータで試す",
				"ログを取り込む", "職員マスタを取り込む", "ドラッグ＆ドロップ"},
			hides:     []string{"次にすること", "規則別の検出件数"},
			enabled:   []string{"サンプルデータで試す", "ログを取り込む", "職員マスタを取り込む", "権限マスタを取り込む"},
			disabled:  []string{"点検を実行", "報告書を保存"},
			findTitle: "検出事項",
		},
		{
			name:    "logs imported, not inspected",
			summary: logsOnly,
			shows: []string{"次にすること", "点検を実行してください。", "1 件", "800 行", "2024年4月1日〜2025年3月31日",
				"20 人", "権限マスタ 未取込", "未実施", "まだ点検を実行していません。", "福祉.csv"},
			hides:     []string{"点検へようこそ", "取り込めなかった行"},
			enabled:   []string{"点検を実行"},
			disabled:  []string{"報告書を保存"},
			findTitle: "検出事項",
		},
		{
			name:     "inspected",
			summary:  populatedSummary(),
			findings: populatedFindings(),
			shows: []string{"山里町", "検出事項を確認して、報告書を保存してください。",
				"取込済みファイル", "3 件", "取込行数", "12,345 行", "取り込めなかった行 12 行",
				"期間", "2024年4月1日〜6月30日", "職員マスタ", "48 人", "権限マスタ 120 行",
				"最新の点検", "2024年7月1日 10:23", "対象 2024年4月1日〜6月30日", "9 件", "重要度 高 3件・中 3件・低 3件",
				"勤務時間外アクセス", "4 件", "閉庁日アクセス", "2 件", "権限外システム利用", "0 件",
				"離任者IDの利用", "未登録IDの利用", "大量出力",
				"住民記録_202404.csv", "5,000", "税務_2024Q1.csv", "4,345", "資産管理ログ.tsv", "300", "2024年7月1日 9:05"},
			hides:     []string{"点検へようこそ", `C:\logs`},
			enabled:   []string{"点検を実行", "報告書を保存"},
			findTitle: "検出事項（9）",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{}
			eng.set(tt.summary, tt.findings)
			h := newHarness(t, eng)
			h.assertShows(tt.shows...)
			h.assertHides(tt.hides...)
			for _, b := range tt.enabled {
				if h.button(b).Disabled() {
					t.Errorf("button %q is disabled", b)
				}
			}
			for _, b := range tt.disabled {
				if !h.button(b).Disabled() {
					t.Errorf("button %q is enabled", b)
				}
			}
			if got := h.v.findTab.Text; got != tt.findTitle {
				t.Errorf("findings tab = %q, want %q", got, tt.findTitle)
			}
		})
	}
}

func TestSummaryErrorShowsBanner(t *testing.T) {
	eng := &fakeEngine{summaryErr: &domain.Error{Code: "db", Message: "データベースが壊れています。"}}
	h := newHarness(t, eng)
	h.assertShows("作業フォルダの情報を読み込めませんでした。データベースが壊れています。")
	// The engine explains what is wrong, so no action is blocked.
	if h.button("点検を実行").Disabled() {
		t.Error("点検を実行 disabled although the state is unknown")
	}
}

func TestSampleLoadsInspectsAndRefreshes(t *testing.T) {
	eng := &fakeEngine{}
	eng.loadSample = func(ctx context.Context, p workspace.ProgressFunc) (workspace.SampleResult, error) {
		p(workspace.Progress{Done: 1, Total: 2, Message: "サンプルの町を作っています"})
		eng.set(populatedSummary(), populatedFindings())
		return workspace.SampleResult{Town: "山里町"}, nil
	}
	eng.inspect = func(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error) {
		return *populatedSummary().LastRun, nil
	}
	h := newHarness(t, eng)
	h.assertShows("点検へようこそ")

	// The welcome panel's button, not the sidebar's.
	welcome := buttons(h.v.dash, "サンプルデータで試す")
	if len(welcome) != 1 {
		t.Fatalf("welcome panel has %d sample buttons, want 1", len(welcome))
	}
	test.Tap(welcome[0])
	h.wait()

	if got, want := eng.Calls(), []string{"LoadSample", "Inspect zero=true"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	h.assertShows("山里町", "12,345 行", "勤務時間外アクセス", "サンプルの町（山里町）のログを取り込んで点検しました。検出事項は 9 件です。")
	h.assertHides("点検へようこそ")
	if h.top() != nil {
		t.Errorf("a dialog is still shown:\n%s", strings.Join(texts(h.top()), "\n"))
	}
	if h.v.Busy() {
		t.Error("view still busy")
	}
}

func TestSampleAsksBeforeMixingWithRealData(t *testing.T) {
	tests := []struct {
		answer string
		calls  []string
	}{
		{"やめる", nil},
		{"追加する", []string{"LoadSample", "Inspect zero=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			eng := &fakeEngine{}
			eng.set(populatedSummary(), populatedFindings())
			h := newHarness(t, eng)
			h.tap("サンプルデータで試す")
			h.assertShows("サンプルデータを追加しますか？", "実際のデータと混ざります")
			h.tap(tt.answer)
			if got := eng.Calls(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls = %q, want %q", got, tt.calls)
			}
		})
	}
}

func TestProgressDialogCancel(t *testing.T) {
	eng := &fakeEngine{}
	started := make(chan struct{})
	var ctxErr error
	eng.loadSample = func(ctx context.Context, p workspace.ProgressFunc) (workspace.SampleResult, error) {
		p(workspace.Progress{Done: 1, Total: 4, Message: "ログを生成しています"})
		close(started)
		<-ctx.Done()
		ctxErr = ctx.Err()
		return workspace.SampleResult{}, &domain.Error{Code: "canceled", Message: "中断しました。", Err: ctx.Err()}
	}
	h := newHarness(t, eng)
	h.startJob("サンプルデータで試す", started)

	// The job is blocked in the engine: the dialog shows its progress and
	// every action is disabled.
	dlg := h.top()
	if dlg == nil {
		t.Fatal("no progress dialog")
	}
	h.assertShows("サンプルデータを準備しています", "ログを生成しています")
	bar, ok := find[*widget.ProgressBar](dlg)
	if !ok {
		t.Fatal("no visible progress bar")
	}
	if bar.Value != 0.25 {
		t.Errorf("progress = %v, want 0.25", bar.Value)
	}
	if !h.v.Busy() {
		t.Error("view not busy during the job")
	}
	for _, b := range buttons(h.win.Content(), "ログを取り込む") {
		if !b.Disabled() {
			t.Error("ログを取り込む enabled during the job")
		}
	}

	test.Tap(h.button("キャンセル"))
	h.wait()

	if !errors.Is(ctxErr, context.Canceled) {
		t.Errorf("engine context error = %v, want context.Canceled", ctxErr)
	}
	if h.top() != nil {
		t.Errorf("a dialog is still shown:\n%s", strings.Join(texts(h.top()), "\n"))
	}
	if got := h.v.status.Text; got != "キャンセルしました。" {
		t.Errorf("status = %q", got)
	}
	if got := eng.Calls(); !slices.Equal(got, []string{"LoadSample"}) {
		t.Errorf("calls = %q; Inspect must not run after a cancel", got)
	}
	if h.button("ログを取り込む").Disabled() {
		t.Error("buttons stay disabled after the cancel")
	}
}

func TestProgressEndlessWhenTotalUnknown(t *testing.T) {
	eng := &fakeEngine{}
	started := make(chan struct{})
	eng.inspect = func(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error) {
		p(workspace.Progress{Message: "規則を適用しています"})
		close(started)
		<-ctx.Done()
		return domain.Run{}, ctx.Err()
	}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.startJob("点検を実行", started)
	dlg := h.top()
	if _, ok := find[*widget.ProgressBarInfinite](dlg); !ok {
		t.Error("no endless progress bar for a report without total")
	}
	if _, ok := find[*widget.ProgressBar](dlg); ok {
		t.Error("a percentage bar is shown for a report without total")
	}
	h.assertShows("点検しています", "規則を適用しています")
	test.Tap(h.button("キャンセル"))
	h.wait()
}

func TestImportLog(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		guess      string // preset system name
		system     string // typed by the user; "" keeps the guess
		kind       string
		wantCall   string
		rejects    []domain.Reject
		wantShown  []string
		wantHidden []string
	}{
		{
			name:      "guessed system, detected kind",
			file:      "/in/住民記録_202404.csv",
			guess:     "住民記録",
			wantCall:  "ImportLog /in/住民記録_202404.csv system=住民記録 kind=",
			wantShown: []string{"ログを取り込みました", "住民記録_202404.csv", "5,000 行", "2 行", "40 行", "「重複」は、すでに取り込んである行です。"},
			rejects: []domain.Reject{
				{Line: 12, Column: "日時", Reason: "日時を読み取れません"},
				{Line: 345, Reason: "列の数が足りません"},
			},
		},
		{
			name:       "typed system, endpoint log",
			file:       "/in/export.TSV",
			system:     "資産管理",
			kind:       "資産管理（端末）のログ",
			wantCall:   "ImportLog /in/export.TSV system=資産管理 kind=endpoint",
			wantShown:  []string{"export.TSV", "5,000 行"},
			wantHidden: []string{"取り込めなかった行"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{}
			eng.importLog = func(ctx context.Context, path string, opt workspace.ImportOptions, p workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
				p(workspace.Progress{Done: 10, Total: 100})
				return domain.ImportBatch{File: path, System: opt.System, Accepted: 5000, Rejected: len(tt.rejects), Duplicate: 40}, tt.rejects, nil
			}
			h := newHarness(t, eng)
			h.picked = tt.file
			h.tap("ログを取り込む")

			sys, ok := find[*widget.SelectEntry](h.top())
			if !ok {
				t.Fatalf("no system form:\n%s", h.screenText())
			}
			if sys.Text != tt.guess {
				t.Errorf("system preset = %q, want %q", sys.Text, tt.guess)
			}
			if tt.system != "" {
				if tt.guess == "" && !h.button("取り込む").Disabled() {
					t.Error("取り込む enabled without a system name")
				}
				sys.SetText(tt.system)
			}
			if tt.kind != "" {
				sel, _ := find[*widget.Select](h.top())
				sel.SetSelected(tt.kind)
			}
			h.tap("取り込む")

			if got := eng.Calls(); !slices.Equal(got, []string{tt.wantCall}) {
				t.Errorf("calls = %q, want %q", got, tt.wantCall)
			}
			h.assertShows(tt.wantShown...)
			h.assertHides(tt.wantHidden...)
			for _, r := range tt.rejects {
				h.assertShows(formatInt(r.Line), r.Reason)
			}
			if !strings.Contains(h.v.status.Text, "5,000 行を取り込みました") {
				t.Errorf("status = %q", h.v.status.Text)
			}
			h.tap("閉じる")
			if h.top() != nil {
				t.Error("result dialog not closed")
			}
		})
	}
}

func TestDropImportsOnlyLogFiles(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		shows []string
	}{
		{"logs and a pdf", []string{"/in/福祉_04.csv", "/in/介護.txt", "/in/報告書.pdf"}, []string{"福祉_04.csv\n介護.txt", "取り込む"}},
		{"no log", []string{"/in/報告書.pdf"}, []string{"取り込めないファイルです", "CSV・TXT・TSV"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{}
			h := newHarness(t, eng)
			var uris []fyne.URI
			for _, f := range tt.files {
				uris = append(uris, storage.NewFileURI(f))
			}
			h.v.HandleDrop(uris)
			h.wait()
			h.assertShows(tt.shows...)
			h.assertHides("報告書.pdf")
		})
	}
}

func TestDropImportsEveryFile(t *testing.T) {
	eng := &fakeEngine{}
	h := newHarness(t, eng)
	h.v.HandleDrop([]fyne.URI{storage.NewFileURI("/in/福祉_04.csv"), storage.NewFileURI("/in/福祉_05.csv")})
	h.wait()
	h.tap("取り込む")
	want := []string{"ImportLog /in/福祉_04.csv system=福祉 kind=", "ImportLog /in/福祉_05.csv system=福祉 kind="}
	if got := eng.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestImportMaster(t *testing.T) {
	tests := []struct {
		button string
		kind   workspace.MasterKind
		title  string
	}{
		{"職員マスタを取り込む", workspace.MasterStaff, "職員マスタを取り込みました"},
		{"権限マスタを取り込む", workspace.MasterGrants, "権限マスタを取り込みました"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			eng := &fakeEngine{}
			eng.importMaster = func(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error) {
				return workspace.MasterResult{Kind: kind, File: path, Read: 50, Accepted: 48,
					Rejects: []domain.Reject{{Line: 7, Column: "着任日", Reason: "日付を読み取れません"}, {Line: 9, Reason: "職員IDが空です"}}}, nil
			}
			h := newHarness(t, eng)
			h.picked = "/in/master.csv"
			h.tap(tt.button)
			if got, want := eng.Calls(), []string{"ImportMaster " + string(tt.kind) + " /in/master.csv"}; !slices.Equal(got, want) {
				t.Errorf("calls = %q, want %q", got, want)
			}
			h.assertShows(tt.title, "master.csv", "50 行", "48 行", "取り込めなかった行（2 行）", "［着任日］日付を読み取れません", "職員IDが空です")
		})
	}
}

func TestInspectOffersFindings(t *testing.T) {
	tests := []struct {
		name     string
		findings int
		answer   string
		shows    []string
		tab      string
	}{
		{"findings, look at them", 9, "検出事項を見る", []string{"検出事項が 9 件ありました。"}, "検出事項（9）"},
		{"findings, stay", 9, "閉じる", []string{"検出事項が 9 件ありました。"}, "ダッシュボード"},
		{"nothing found", 0, "OK", []string{"検出事項はありませんでした。"}, "ダッシュボード"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{}
			s := populatedSummary()
			s.LastRun = nil
			eng.set(s, nil)
			eng.inspect = func(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error) {
				run := *populatedSummary().LastRun
				run.Findings = tt.findings
				s := populatedSummary()
				s.LastRun = &run
				fs := populatedFindings()[:tt.findings]
				eng.set(s, fs)
				return run, nil
			}
			h := newHarness(t, eng)
			h.tap("点検を実行")
			if got := eng.Calls(); !slices.Equal(got, []string{"Inspect zero=true"}) {
				t.Errorf("calls = %q", got)
			}
			h.assertShows(tt.shows...)
			h.assertShows("点検が終わりました（対象期間 2024年4月1日〜6月30日、検出事項 " + formatInt(tt.findings) + " 件）。")
			h.tap(tt.answer)
			if got := h.v.tabs.Selected().Text; got != tt.tab {
				t.Errorf("selected tab = %q, want %q", got, tt.tab)
			}
		})
	}
}

func TestFindingsTab(t *testing.T) {
	eng := &fakeEngine{}
	eng.set(populatedSummary(), populatedFindings())
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.findTab)
	h.assertShows("最新の点検（2024年7月1日 10:23、対象期間 2024年4月1日〜6月30日）の検出事項：9 件",
		"重要度", "規則名", "職員ID", "日付", "件数", "内容",
		"高", "離任者IDの利用", "S0099", "2024年5月2日", "離任日（2024年3月31日）の後に",
		"【除外】勤務時間外の照会です。")

	// Rows come in the engine's order, and the severity is coloured.
	fv := h.v.findings
	cell := widget.NewLabel("")
	fv.updateCell(widget.TableCellID{Row: 0, Col: 1}, cell)
	if cell.Text != "離任者IDの利用" {
		t.Errorf("first row rule = %q", cell.Text)
	}
	fv.updateCell(widget.TableCellID{Row: 0, Col: 0}, cell)
	if cell.Text != "高" || cell.Importance != widget.DangerImportance {
		t.Errorf("first row severity = %q (importance %v)", cell.Text, cell.Importance)
	}
	fv.updateCell(widget.TableCellID{Row: 5, Col: 5}, cell)
	if cell.Text != "【除外】勤務時間外の照会です。" {
		t.Errorf("excluded row detail = %q", cell.Text)
	}

	// Selecting a row shows its evidence without the resident's number.
	fv.table.Select(widget.TableCellID{Row: 2, Col: 0})
	h.assertShows("勤務時間外アクセス（重要度 中）", "根拠となるログ（1 行）", "2024年4月6日 22:14:05", "住民票照会", "照会", "PC-023")
	h.assertHides("000123456789")
}

func TestFindingsTabBeforeAnyRun(t *testing.T) {
	eng := &fakeEngine{}
	h := newHarness(t, eng)
	h.v.tabs.Select(h.v.findTab)
	h.assertShows("まだ点検を実行していません。", "点検を実行すると、ここに検出事項が表示されます。")
	if h.v.findings.table.Visible() {
		t.Error("empty findings table shown")
	}
}

func TestSaveReport(t *testing.T) {
	dir := t.TempDir()
	eng := &fakeEngine{}
	eng.set(populatedSummary(), populatedFindings())
	eng.writeReport = func(ctx context.Context, out string, p workspace.ProgressFunc) error {
		p(workspace.Progress{Done: 3, Total: 3, Message: "PDFを書き出しています"})
		return os.WriteFile(out, []byte("%PDF-1.7"), 0o644)
	}
	h := newHarness(t, eng)
	h.picked = filepath.Join(dir, "点検報告書_20240702.pdf")
	h.tap("報告書を保存")
	h.tap("保存先を選ぶ")

	if h.savedName != "点検報告書_20240702.pdf" {
		t.Errorf("default file name = %q", h.savedName)
	}
	if got := eng.Calls(); !slices.Equal(got, []string{"WriteReport " + h.picked}) {
		t.Errorf("calls = %q", got)
	}
	h.assertShows("報告書を保存しました", h.picked, "フォルダを開く",
		"報告書を保存しました。次の期間のログが届いたら、取り込んで点検してください。")
	h.tap("フォルダを開く")
	if want := storage.NewFileURI(dir).String(); !slices.Equal(h.openedURLs, []string{want}) {
		t.Errorf("opened %q, want %q", h.openedURLs, want)
	}
}

func TestSaveReportFailureRemovesEmptyFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "報告書.pdf")
	// The save dialog creates the file before the engine writes it.
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{}
	eng.set(populatedSummary(), populatedFindings())
	eng.writeReport = func(ctx context.Context, out string, p workspace.ProgressFunc) error {
		return &domain.Error{Code: "report", Message: "フォントを読み込めません。"}
	}
	h := newHarness(t, eng)
	h.picked = out
	h.tap("報告書を保存")
	h.tap("保存先を選ぶ")
	h.assertShows("エラー", "報告書を保存できませんでした。\nフォントを読み込めません。")
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty report file left behind: %v", err)
	}
	if h.v.status.Text != "報告書を保存できませんでした。" {
		t.Errorf("status = %q", h.v.status.Text)
	}
	// The hint still asks for the report.
	h.tap("OK")
	h.assertShows("検出事項を確認して、報告書を保存してください。")
}

func TestEngineErrorsAreShown(t *testing.T) {
	eng := &fakeEngine{}
	eng.importMaster = func(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error) {
		return workspace.MasterResult{}, &domain.Error{Code: "header", Message: "職員IDの列が見つかりません。"}
	}
	h := newHarness(t, eng)
	h.picked = "/in/staff.csv"
	h.tap("職員マスタを取り込む")
	h.assertShows("エラー", "職員マスタを取り込めませんでした。\n職員IDの列が見つかりません。")
	h.tap("OK")
	if h.v.Busy() || h.button("ログを取り込む").Disabled() {
		t.Error("view left busy after an error")
	}
}

func TestRequestClose(t *testing.T) {
	tests := []struct {
		name      string
		busy      bool
		answer    string
		wantClose bool
	}{
		{"idle", false, "", true},
		{"busy, keep working", true, "続ける", false},
		{"busy, stop", true, "中止して終了", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := &fakeEngine{}
			started := make(chan struct{})
			release := make(chan struct{})
			eng.inspect = func(ctx context.Context, from, to time.Time, p workspace.ProgressFunc) (domain.Run, error) {
				close(started)
				select {
				case <-ctx.Done():
					return domain.Run{}, ctx.Err()
				case <-release:
					return domain.Run{}, nil
				}
			}
			eng.set(populatedSummary(), nil)
			h := newHarness(t, eng)
			closed := false
			h.win.SetOnClosed(func() { closed = true })
			if tt.busy {
				h.startJob("点検を実行", started)
			}
			h.v.RequestClose()
			if tt.answer != "" {
				h.assertShows("実行中の処理を中止して終了しますか？")
				test.Tap(h.button(tt.answer))
				if !tt.wantClose {
					close(release)
				}
				h.wait()
			}
			if closed != tt.wantClose {
				t.Errorf("closed = %v, want %v", closed, tt.wantClose)
			}
		})
	}
}
