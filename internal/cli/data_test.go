package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

func sjis(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

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

// A CP932 受付簿 as a town keeps it in Excel: title row, merged 受付日 and
// 窓口 cells, full-width digits, 令和 dates and a 合計 row. Preview names
// the columns; import says what it filled, rejected and replaced.
func TestMasterImportReception(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	text := strings.Join([]string{
		"令和7年5月分　窓口受付簿,,,,,",
		"受付日,受付番号,窓口,手続名,宛名番号,受付者",
		"令和７年５月１日,１０１,市民課,転入届,１０００００００１,Ｔ００１",
		",101,,転入届,1000000002,T001",
		"令和7年5月2日,102,市民課,住民票の写し交付申請,,T002",
		"令和7年5月31日,103,税務課,所得証明書交付申請,1000000004,Z001",
		"合計,,,,4件,",
	}, "\r\n") + "\r\n"
	p := filepath.Join(dir, "受付簿.csv")
	if err := os.WriteFile(p, sjis(t, text), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "master", "preview", "--workspace", ws, "--kind", "reception", p)
	if code != ExitOK || !strings.Contains(out, "受付簿.csv（受付簿、") || !strings.Contains(out, "3列目 窓口 → 所属（dept）") ||
		!strings.Contains(out, "取込予定 3 / 取込不可 2") || !strings.Contains(out, "空欄の 1 行は、上の行の値で補います") {
		t.Fatalf("preview: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = run(t, "master", "import", "--workspace", ws, "--kind", "reception", p)
	if code != ExitOK || !strings.Contains(out, "読込 5行 / 取込 3 / 取込不可 2") || !strings.Contains(out, "受付日 2025/05/01〜2025/05/31 の受付簿を追加しました") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, w := range []string{"受付簿.csv 5行目 「宛名番号」列: 宛名番号が空です", "受付簿.csv 7行目 「受付日」列: 集計行"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	out, _, code = run(t, "master", "import", "--workspace", ws, "--kind", "reception", p)
	if code != ExitOK || !strings.Contains(out, "以前に取り込んだ 3 件をこのファイルの 3 件に置き換え") {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "audit", "--workspace", ws)
	if code != ExitOK || strings.Count(out, "受付簿") < 2 {
		t.Errorf("audit: %d\n%s", code, out)
	}
	if _, errOut, code := run(t, "master", "import", "--workspace", ws, "--kind", "受付", p); code == ExitOK || !strings.Contains(errOut, "reception（受付簿）") {
		t.Errorf("unknown kind: %d %s", code, errOut)
	}
}

// tenken samplecheck: CSV for Excel (BOM, formulas escaped, columns to
// tick), JSON, residents masked unless --unmask, the same list each time.
func TestSampleCheckCommand(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	if _, errOut, code := run(t, "samplecheck", "--workspace", ws); code != ExitError || !strings.Contains(errOut, "tenken inspect") {
		t.Fatalf("before a run: %d %s", code, errOut)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, sjis(t, text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	staff := write("職員.csv", "職員ID,氏名,所属\r\nT001,山田 花子,税務課\r\n")
	var b strings.Builder
	b.WriteString("操作日時,職員ID,機能名,操作,宛名番号\r\n")
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&b, "2025/05/%02d 10:00:00,T001,=HYPERLINK(\"x\"),照会,30000000%02d\r\n", i+1, i)
	}
	log := write("税務.csv", b.String())
	for _, args := range [][]string{
		{"master", "import", "--workspace", ws, "--kind", "staff", staff},
		{"import", "--workspace", ws, "--system", "税務", log},
		{"inspect", "--workspace", ws, "--from", "2025-05-01", "--to", "2025-05-31"},
	} {
		if out, errOut, code := run(t, args...); code != ExitOK {
			t.Fatalf("%v: %d\n%s\n%s", args, code, out, errOut)
		}
	}
	out, errOut, code := run(t, "samplecheck", "--workspace", ws, "--format", "csv")
	if code != ExitOK {
		t.Fatalf("csv: %d %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\r\n")
	if !strings.HasPrefix(out, "\ufeff所属,職員ID,氏名,No.,照会件数,日時,システム,機能,操作,宛名番号,ファイル,行,通番,申請書あり,申請書なし,備考") || len(lines) != 6 {
		t.Fatalf("csv:\n%s", out)
	}
	if !strings.Contains(lines[1], "税務課,T001,山田 花子,1,9,2025-05-") || !strings.Contains(lines[1], "'=HYPERLINK") || !strings.Contains(lines[1], "3000******,税務.csv,") {
		t.Errorf("csv row: %s", lines[1])
	}
	again, _, _ := run(t, "samplecheck", "--workspace", ws)
	if again != out {
		t.Error("the same run gave another list")
	}
	out, _, code = run(t, "samplecheck", "--workspace", ws, "--format", "json", "--unmask")
	var rows []map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 5 || !strings.HasPrefix(rows[0]["subject_id"].(string), "300000") || rows[0]["of"] != float64(9) {
		t.Fatalf("json: %d %s", code, out)
	}
	if _, errOut, code := run(t, "samplecheck", "--workspace", ws, "--format", "xlsx"); code != ExitUsage || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: %d %s", code, errOut)
	}
}
