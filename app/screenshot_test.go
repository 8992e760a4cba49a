package app

import (
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
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
		h := newHarnessFor(t, ws, ws.Dir)
		h.tap("サンプルデータで試す")
		shoot(h, "real_home")
		h.v.tabs.Select(h.v.findTab)
		h.v.findings.table.Select(widget.TableCellID{Row: 0})
		shoot(h, "real_findings")
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
