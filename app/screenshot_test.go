package app

import (
	"context"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// screenshots names a directory to render the main screens into, at
// 1366×768, for people to look at: go test ./app -run Screenshots -screenshots DIR
var screenshots = flag.String("screenshots", "", "write PNG screenshots of the main screens into this directory")

func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("-screenshots not set")
	}
	if err := os.MkdirAll(*screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	shoot := func(h *harness, name string) {
		t.Helper()
		img := h.win.Canvas().Capture()
		f, err := os.Create(filepath.Join(*screenshots, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("empty", func(t *testing.T) {
		h := newHarness(t, &fakeEngine{})
		shoot(h, "home_empty")
	})
	t.Run("populated", func(t *testing.T) {
		eng := &fakeEngine{}
		eng.set(populatedSummary(), populatedFindings())
		h := newHarness(t, eng)
		shoot(h, "home_populated")
		h.win.Resize(fyne.NewSize(1366, 1000))
		shoot(h, "home_populated_tall")
		h.win.Resize(fyne.NewSize(1100, 700))
		shoot(h, "home_populated_1100")
		h.win.Resize(fyne.NewSize(1366, 768))
		h.v.tabs.Select(h.v.findTab)
		h.v.findings.table.Select(widget.TableCellID{Row: 2})
		shoot(h, "findings")
	})
	t.Run("real", func(t *testing.T) {
		ws, err := workspace.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		h := newHarnessFor(t, NewEngine(ws), ws.Dir)
		shoot(h, "01_first_run")
		h.tap("サンプルデータで試す")
		shoot(h, "02_home")
		h.win.Resize(fyne.NewSize(1366, 1400))
		shoot(h, "02_home_full")
		h.win.Resize(fyne.NewSize(1366, 768))

		h.v.tabs.Select(h.v.hearingTab)
		for i := range wizardSteps {
			h.v.hearing.show(i)
			shoot(h, fmt.Sprintf("03_hearing_%d", i+1))
		}

		h.v.tabs.Select(h.v.masterTab)
		shoot(h, "04_masters_staff")
		tabs, _ := find[*container.AppTabs](h.v.masters.content)
		tabs.SelectIndex(1)
		shoot(h, "04_masters_grants")
		tabs.SelectIndex(2)
		shoot(h, "04_masters_watchlist")
		tabs.SelectIndex(3)
		shoot(h, "04_masters_overtime")
		tabs.SelectIndex(0)
		h.v.masters.staffTable.table.Select(widget.TableCellID{Row: 0, Col: 1})
		test.Tap(h.button("選んだ職員を編集"))
		shoot(h, "05_staff_edit")
		h.tap("キャンセル")

		sampleDir := filepath.Join(ws.Dir, "sample")
		if files, _ := filepath.Glob(filepath.Join(sampleDir, "staff.csv")); len(files) > 0 {
			h.picked = files[0]
			h.tap("職員マスタを取り込む")
			shoot(h, "06_master_preview")
			for h.top() != nil {
				if bs := buttons(h.top(), "キャンセル"); len(bs) > 0 {
					test.Tap(bs[0])
				} else if bs := buttons(h.top(), "閉じる"); len(bs) > 0 {
					test.Tap(bs[0])
				} else {
					break
				}
				h.wait()
			}
		}

		if len(h.v.summary.Batches) > 0 {
			h.picked = filepath.Join(sampleDir, baseName(h.v.summary.Batches[0].File))
			h.tap("ログを取り込む")
			shoot(h, "07_import_preview")
			if sc, ok := find[*container.Scroll](h.top()); ok {
				sc.ScrollToBottom()
				shoot(h, "07_import_preview_rows")
			}
			if bs := buttons(h.top(), "取り込む"); len(bs) > 0 {
				h.tap("取り込む")
				shoot(h, "08_import_result")
				if h.top() != nil {
					h.tap("閉じる")
				}
			}
		}

		h.v.tabs.Select(h.v.reviewTab)
		h.v.review.list.table.Select(widget.TableCellID{Row: 0, Col: 1})
		h.wait()
		shoot(h, "09_review")
		h.win.Resize(fyne.NewSize(1920, 1080))
		shoot(h, "09_review_1920")
		h.win.Resize(fyne.NewSize(1366, 768))
		test.Tap(h.button("この職員を除外…"))
		shoot(h, "10_exclusion")
		h.tap("キャンセル")

		h.v.tabs.Select(h.v.findTab)
		h.v.findings.table.Select(widget.TableCellID{Row: 0})
		shoot(h, "11_findings")

		h.v.tabs.Select(h.v.dashTab)
		test.Tap(h.button("報告書を保存"))
		shoot(h, "12_report_options")
		h.picked = filepath.Join(t.TempDir(), "点検報告書.pdf")
		h.tap("保存先を選ぶ")
		shoot(h, "13_report_saved")
		h.tap("閉じる")

		h.tap("監査ログを検証")
		shoot(h, "14_audit")
		h.v.tabs.Select(h.v.dashTab)

		out := t.TempDir()
		test.Tap(h.button("エクスポート（Excel）"))
		shoot(h, "15_export_options")
		h.picked = filepath.Join(out, "点検結果.xlsx")
		h.tap("保存先を選ぶ")
		shoot(h, "16_export_saved")
		h.tap("閉じる")

		h.tap("年間総括を保存")
		shoot(h, "17_annual_options")
		h.picked = filepath.Join(out, "年間総括.pdf")
		h.tap("保存先を選ぶ")
		shoot(h, "18_annual_saved")
		h.tap("閉じる")

		h.picked = filepath.Join(out, "点検バックアップ.db")
		h.tap("バックアップ")
		shoot(h, "19_backup_saved")
		h.tap("閉じる")
		// The restore is only shown: confirming would replace the database
		// under the rest of this test.
		h.v.SetReopen(func() error { return nil }, func() {})
		h.tap("復元")
		checkLabelled(t, h.top(), "いまの作業フォルダのデータが、バックアップの時点の内容に置き換わることを理解しました").SetChecked(true)
		shoot(h, "20_restore_confirm")
		h.tap("やめる")

		h.v.tabs.Select(h.v.masterTab)
		h.v.masters.staffTable.table.Select(widget.TableCellID{Row: 0, Col: 1})
		h.tap("有効期間の履歴")
		shoot(h, "21_staff_history")
		h.tap("閉じる")

		h.v.tabs.Select(h.v.hearingTab)
		h.v.hearing.show(3)
		if len(h.v.hearing.extended) == 0 {
			h.v.hearing.addExtended("住民課:木=08:30-19:00")
			h.v.hearing.addExtended("2025-05-25=08:30-12:00")
		}
		shoot(h, "22_hearing_extended")
	})
	t.Run("progress", func(t *testing.T) {
		eng := &fakeEngine{}
		started := make(chan struct{})
		eng.loadSample = func(ctx context.Context, p workspace.ProgressFunc) (workspace.SampleResult, error) {
			p(workspace.Progress{Done: 37, Total: 100, Message: "（2/5）住民記録_202404.csv を取り込んでいます"})
			close(started)
			<-ctx.Done()
			return workspace.SampleResult{}, ctx.Err()
		}
		h := newHarness(t, eng)
		h.startJob("サンプルデータで試す", started)
		shoot(h, "progress")
		h.button("キャンセル").OnTapped()
		h.wait()
	})
	t.Run("masked", func(t *testing.T) {
		eng := &fakeEngine{}
		eng.previewLog = func(ctx context.Context, path string, opt workspace.ImportOptions) (*workspace.LogPreview, error) {
			return &workspace.LogPreview{File: path, Encoding: "Shift_JIS (CP932)", Delimiter: "カンマ", HeaderLine: 1,
				Headers: []string{"日時", "職員", "宛名", "備考"},
				Columns: []workspace.ColumnChoice{{Index: 0, Header: "日時", Field: "time", Confidence: 1}, {Index: 1, Header: "職員", Field: "staff_id", Confidence: 1},
					{Index: 2, Header: "宛名", Field: "subject_id", Confidence: 0.6}, {Index: 3, Header: "備考"}},
				Rows:    [][]string{{"2024/04/01 09:00:00", "S0012", "20240001", "個人番号123456789012で照会"}, {"2024/04/01 09:05:00", "S0012", "20240117", ""}},
				Rejects: []domain.Reject{{Line: 3, Column: "宛名", Reason: "宛名番号「98765432」を読めません"}}}, nil
		}
		h := newHarness(t, eng)
		h.picked = "/in/住民記録_0401.csv"
		h.tap("ログを取り込む")
		if sc, ok := find[*container.Scroll](h.top()); ok {
			sc.ScrollToBottom()
		}
		shoot(h, "import_preview_masked")
	})
	t.Run("import", func(t *testing.T) {
		eng := &fakeEngine{}
		eng.set(populatedSummary(), populatedFindings())
		eng.importLog = func(ctx context.Context, path string, opt workspace.ImportOptions, p workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error) {
			return domain.ImportBatch{File: path, System: opt.System, Accepted: 4980, Rejected: 3, Duplicate: 17},
				[]domain.Reject{{Line: 12, Column: "日時", Reason: "日時を読み取れません（「2024/13/01」）"}, {Line: 345, Reason: "列の数が足りません"}, {Line: 2001, Column: "職員ID", Reason: "職員IDが空です"}}, nil
		}
		h := newHarness(t, eng)
		h.picked = "/in/住民記録_202404.csv"
		h.button("ログを取り込む").OnTapped()
		shoot(h, "import_form")
		h.tap("取り込む")
		shoot(h, "import_result")
	})
}
