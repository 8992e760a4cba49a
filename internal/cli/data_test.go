package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The staff master's メールアドレス column shows in the preview under its
// Japanese name, and a broken address is listed with its line and column.
func TestMasterPreviewStaffEmail(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	p := filepath.Join(dir, "職員.csv")
	if err := os.WriteFile(p, []byte("職員ID,氏名,所属,メール\nT001,山田,住民課,yamada@town.example.lg.jp\nT002,佐藤,住民課,sato@\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "master", "preview", "--workspace", ws, "--kind", "staff", p)
	if code != ExitOK || !strings.Contains(out, "4列目 メール → メールアドレス（mail）") || !strings.Contains(out, "取込予定 1 / 取込不可 1") {
		t.Fatalf("preview: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "職員.csv 3行目 「メール」列: メールアドレス「sato@」が読めません") {
		t.Errorf("reject not named: %s", errOut)
	}
}
