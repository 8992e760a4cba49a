package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tenken/internal/workspace"
)

// TestRealWorkspace drives the real engine through the GUI: the sample
// town, its inspection and the report, as a first-time user would.
func TestRealWorkspace(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and inspects the sample town")
	}
	ws, err := workspace.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })

	h := newHarnessFor(t, ws, ws.Dir)
	h.assertShows("点検へようこそ")
	h.tap("サンプルデータで試す")
	if top := h.top(); top != nil {
		t.Fatalf("dialog after the sample:\n%s", strings.Join(texts(top), "\n"))
	}
	s := h.v.summary
	if s.Files == 0 || s.Rows == 0 || s.Staff == 0 || s.LastRun == nil {
		t.Fatalf("summary after the sample = %+v", s)
	}
	h.assertShows(s.Town, formatInt(s.Rows)+" 行", "検出事項を確認して、報告書を保存してください。")
	if !strings.Contains(h.v.status.Text, "サンプルの町（"+s.Town+"）") {
		t.Errorf("status = %q", h.v.status.Text)
	}
	if len(h.v.findings.list) == 0 {
		t.Error("the sample town has no findings")
	}

	h.picked = filepath.Join(t.TempDir(), reportFileName(h.v.now()))
	h.tap("報告書を保存")
	if top := h.top(); top == nil || !strings.Contains(strings.Join(texts(top), "\n"), "報告書を保存しました") {
		t.Fatalf("no confirmation after the report:\n%s", h.screenText())
	}
	pdf, err := os.ReadFile(h.picked)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("report does not start like a PDF: %q", pdf[:min(len(pdf), 8)])
	}
}
