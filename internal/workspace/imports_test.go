package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tenken/internal/domain"
	"tenken/internal/profile"
)

func TestPreviewLogShowsMappingGapsAndRejects(t *testing.T) {
	ctx := context.Background()
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("システム操作ログ\n操作日時,職員ID,備考,操作\n2024/04/01 09:00,A1,x,照会\n2024/02/30 09:00,A1,y,照会\n"), 0o600)
	p, err := w.PreviewLog(ctx, good, ImportOptions{System: "住民記録"})
	if err != nil {
		t.Fatal(err)
	}
	if p.HeaderLine != 2 || len(p.Columns) != 4 || p.Columns[2].Field != "" || p.Columns[1].Field != "staff_id" || p.Columns[1].Confidence != 1 {
		t.Fatalf("preview columns %+v header %d", p.Columns, p.HeaderLine)
	}
	if len(p.Rows) != 2 || len(p.Rejects) != 1 || p.Rejects[0].Line != 4 || len(p.Missing) != 0 || p.Kind != domain.KindAccess {
		t.Fatalf("preview rows %v rejects %+v missing %v", p.Rows, p.Rejects, p.Missing)
	}
	if bs, _ := w.Batches(ctx); len(bs) != 0 {
		t.Fatal("preview wrote a batch")
	}

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("記録時刻,担当\n2024/04/01 09:00,A1\n"), 0o600)
	p, err = w.PreviewLog(ctx, bad, ImportOptions{System: "福祉"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Missing, ",") != "職員ID" || len(p.Rows) != 1 {
		t.Fatalf("missing %v rows %v", p.Missing, p.Rows)
	}

	// Once a profile is saved for the system, the preview uses it.
	prof := &profile.Profile{Version: profile.Version, System: "福祉", Columns: map[string]string{"記録時刻": "time", "担当": "staff_id"}}
	if err := w.SaveProfile(ctx, prof); err != nil {
		t.Fatal(err)
	}
	got, err := w.Profile(ctx, "福祉")
	if err != nil || got == nil || got.Columns["担当"] != "staff_id" {
		t.Fatalf("saved profile %+v %v", got, err)
	}
	if none, err := w.Profile(ctx, "税務"); none != nil || err != nil {
		t.Fatalf("profile of a system without one: %v %v", none, err)
	}
	p, err = w.PreviewLog(ctx, bad, ImportOptions{System: "福祉"})
	if err != nil || len(p.Missing) != 0 || p.Columns[1].Field != "staff_id" {
		t.Fatalf("preview with profile: %+v %v", p, err)
	}
	var rows int64
	b, _, err := w.ImportLog(ctx, bad, ImportOptions{System: "福祉"}, func(pr Progress) { rows = pr.Rows })
	if err != nil || b.Accepted != 1 || rows != 1 {
		t.Fatalf("import with saved profile: %+v rows %d %v", b, rows, err)
	}
}

func TestPreviewAndImportXLSX(t *testing.T) {
	ctx := context.Background()
	w, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	x := filepath.Join("..", "..", "testdata", "import", "38_xlsx_log.xlsx")
	p, err := w.PreviewLog(ctx, x, ImportOptions{System: "住民記録"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Encoding != "Excel (.xlsx)" || len(p.Sheets) != 2 || p.Sheet != "Sheet1" || p.HeaderLine != 2 || len(p.Rejects) != 1 {
		t.Fatalf("xlsx preview %+v", p)
	}
	if _, err := w.PreviewLog(ctx, x, ImportOptions{System: "住民記録", Sheet: "ない"}); err == nil || !strings.Contains(err.Error(), "別シート") {
		t.Fatalf("unknown sheet: %v", err)
	}
	if _, err := w.PreviewLog(ctx, x, ImportOptions{System: "住民記録", Sheet: "別シート"}); err != nil {
		t.Fatalf("empty sheet preview: %v", err)
	}
	b, _, err := w.ImportLog(ctx, x, ImportOptions{System: "住民記録"}, nil)
	if err != nil || b.Accepted != 2 || b.Rejected != 1 || !strings.Contains(b.Mapping, "Sheet1") {
		t.Fatalf("xlsx import %+v %v", b, err)
	}
}
