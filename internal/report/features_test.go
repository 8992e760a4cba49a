package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/privacy"
)

// pdfText writes d and returns its text with line breaks removed, and
// the page texts.
func pdfText(t *testing.T, d Data, extra ...string) (flat string, pages []string, path string) {
	t.Helper()
	needTool(t, "pdftotext")
	path = filepath.Join(t.TempDir(), "r.pdf")
	if err := WriteFile(path, d); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	args := append(append([]string{"-enc", "UTF-8"}, extra...), path, "-")
	text := run(t, "pdftotext", args...)
	return strings.ReplaceAll(text, "\n", ""), strings.Split(strings.TrimSuffix(text, "\f"), "\f"), path
}

func TestEraSetting(t *testing.T) {
	tests := []struct {
		era      string
		want     []string
		notFirst string // must not open the period line
	}{
		{EraSeireki, []string{"2025年6月1日〜2025年6月30日（令和7年6月1日〜令和7年6月30日）", "2025/06/"}, "令和7年6月1日〜"},
		{EraWareki, []string{"令和7年6月1日〜令和7年6月30日（2025年6月1日〜2025年6月30日）", "R7.6.", "令和7年7月3日（2025年7月3日）", "和暦（括弧内に西暦）"}, "2025年6月1日〜2025"},
	}
	for _, tt := range tests {
		t.Run(tt.era, func(t *testing.T) {
			d := testData(4, 2)
			d.Era = tt.era
			flat, _, _ := pdfText(t, d)
			for _, s := range tt.want {
				if !strings.Contains(flat, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			if strings.Contains(flat, "点検期間"+tt.notFirst) {
				t.Errorf("period starts with the other calendar (%q)", tt.notFirst)
			}
		})
	}
}

func TestSectionsSwitchedOff(t *testing.T) {
	needTool(t, "pdftotext")
	d := testData(10, 4)
	d.Omit = map[string]bool{SectionUsage: true, SectionCharts: true, SectionRanking: true, SectionAppendix: true, SectionBasis: true}
	_, pages, _ := pdfText(t, d)
	text := strings.Join(pages, "\n")
	want := []string{"1. 概要", "2. 検出事項一覧", "3. 対象者別の詳細", "4. 確認結果", "5. 点検条件", "6. 除外", "7. 取込記録", "8. ログの網羅性"}
	pos := 0
	for _, s := range want {
		i := strings.Index(text[pos:], "\n"+s+"\n")
		if i < 0 {
			t.Errorf("heading %q missing or out of order", s)
			continue
		}
		pos += i + 1
	}
	for _, s := range []string{titleUsage, titleCharts, titleRanking, titleAppendix, titleBasis} {
		if strings.Contains(text, s+"\n") {
			t.Errorf("switched-off section %q printed", s)
		}
	}

	// Everything switched off: the cover and the exclusions remain.
	all := testData(3, 2)
	all.Omit = map[string]bool{}
	for _, s := range Sections() {
		all.Omit[s.Key] = true
	}
	flat, pages, _ := pdfText(t, all)
	if !strings.Contains(strings.Join(pages, "\n"), "\n1. 除外\n") {
		t.Error("the 除外 section was switched off")
	}
	if !strings.Contains(flat, "システム保守作業用のため") {
		t.Error("the exclusion's reason is missing")
	}
}

func TestCoverOptions(t *testing.T) {
	needTool(t, "pdfimages")
	d := testData(3, 2)
	d.Approvers = []string{"担当", "係長", "課長補佐", "課長", "副町長", "町長", "CISO（最高情報セキュリティ責任者）"}
	d.FormNo = "総情-2025-017"
	img := image.NewRGBA(image.Rect(0, 0, 240, 120))
	for x := 0; x < 240; x++ {
		for y := 0; y < 120; y++ {
			img.Set(x, y, color.RGBA{uint8(x), 80, uint8(y * 2), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	d.Logo = buf.Bytes()
	flat, pages, path := pdfText(t, d)
	for _, r := range d.Approvers[:6] {
		if !strings.Contains(pages[0], r) {
			t.Errorf("cover lacks approver %q", r)
		}
	}
	if !strings.Contains(pages[0], "帳票番号") || !strings.Contains(pages[0], d.FormNo) {
		t.Error("cover lacks the 帳票番号")
	}
	for i, pg := range pages[1:] {
		if !strings.Contains(pg, d.FormNo) {
			t.Errorf("page %d header lacks the 帳票番号", i+2)
		}
	}
	if !strings.Contains(flat, "宛名番号 マスク表示") {
		t.Error("cover does not state that identifiers are masked")
	}
	list := run(t, "pdfimages", "-list", path)
	if n := strings.Count(list, "\n") - 2; n != 1 {
		t.Errorf("pdfimages lists %d images, want the logo only:\n%s", n, list)
	}
	checkGeometry(t, path)

	d.UnmaskSubjects = true
	flat, _, _ = pdfText(t, d)
	if !strings.Contains(flat, "宛名番号 非マスク（庁内保管用）") {
		t.Error("cover does not state that identifiers are unmasked")
	}
}

func TestPassword(t *testing.T) {
	needTool(t, "qpdf")
	d := testData(5, 3)
	d.Password = "山里-点検2025"
	path := filepath.Join(t.TempDir(), "enc.pdf")
	if err := WriteFile(path, d); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("qpdf", "--requires-password", path).Run(); err != nil {
		t.Errorf("qpdf --requires-password: %v (want exit 0: a password is required)", err)
	}
	enc := run(t, "qpdf", "--show-encryption", "--password="+d.Password, path)
	for _, s := range []string{"R = 6", "stream encryption method: AESv3", "string encryption method: AESv3", "Supplied password is user password"} {
		if !strings.Contains(enc, s) {
			t.Errorf("qpdf --show-encryption lacks %q:\n%s", s, enc)
		}
	}
	check := run(t, "qpdf", "--check", "--password="+d.Password, path)
	if !strings.Contains(check, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", check)
	}
	if err := exec.Command("qpdf", "--check", "--password=wrong", path).Run(); err == nil {
		t.Error("qpdf opened the file with a wrong password")
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", "-upw", d.Password, path, "-")
	if !strings.Contains(text, "山里町") || !strings.Contains(text, d.Findings[0].StaffID) {
		t.Error("decrypted text lacks the town or a staff ID")
	}
	info := run(t, "pdfinfo", "-upw", d.Password, path)
	if !regexp.MustCompile(`Encrypted:\s+yes \(.*AES-256`).MatchString(info) || !strings.Contains(info, "山里町") {
		t.Errorf("pdfinfo:\n%s", info)
	}
	fonts := run(t, "pdffonts", "-upw", d.Password, path)
	if !regexp.MustCompile(`(?m)^[A-Z]{6}\+IPAexGothic\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`).MatchString(fonts) {
		t.Errorf("font after encryption:\n%s", fonts)
	}
	// The plain text must not be readable from the file itself.
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("FEFF")) || bytes.Contains(raw, []byte("(Identity)")) {
		t.Error("unencrypted strings left in the file")
	}
}

func TestReviewAndHistory(t *testing.T) {
	d := testData(12, 4)
	flat, _, _ := pdfText(t, d)
	var comment string
	for _, rv := range d.Reviews {
		if rv.Status == domain.StatusConfirmed {
			comment = rv.Comment
		}
	}
	if comment == "" {
		t.Fatal("fixture has no confirmed review")
	}
	// The comment quotes a resident's number: it is printed masked.
	masked := regexp.MustCompile(`\d{8}`).ReplaceAllStringFunc(comment, privacy.MaskID)
	for _, s := range []string{"確認結果とコメント", "確認の経過（監査ログ）", "不適切確定", "問題なし", "確認結果の記録", masked} {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	if comment != masked && strings.Contains(flat, comment) {
		t.Error("review comment printed with the resident's number unmasked")
	}
}

func TestCoverageAndBasis(t *testing.T) {
	d := testData(3, 2)
	flat, _, _ := pdfText(t, d)
	for _, s := range []string{"○ 起点以前から保存", "△ 起点より新しい", "2025/06/02（月）", "住民税：", "2Cb", "2Cc", "2Ce", "2Fa", "2Fb", "2Fc", "表紙の決裁欄", "取扱状況を確認する手段の整備"} {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	// Every rule with a basis is named under its clause.
	for _, r := range d.Rules {
		if r.Basis != "" && !strings.Contains(flat, "（"+r.ID+"）") {
			t.Errorf("rule %s not listed in the 根拠 table", r.ID)
		}
	}
}

func TestAnnual(t *testing.T) {
	needTool(t, "pdftotext")
	base := testData(30, 6)
	mk := func(from time.Time, id int64, fs []domain.Finding, superseded bool) AnnualRun {
		return AnnualRun{ID: id, From: from, To: from.AddDate(0, 1, -1), At: from.AddDate(0, 1, 3), By: "山田 花子", Kind: "月次",
			Systems: []string{"住民記録", "税務"}, Events: 120000, Findings: fs, Superseded: superseded}
	}
	a := AnnualData{
		Town: "山里町", Department: "総務課", Author: "山田 花子", FiscalYear: 2025, CreatedAt: time.Date(2026, 4, 10, 9, 0, 0, 0, time.UTC),
		Era: EraWareki, Rules: testRules, Reviews: base.Reviews, Exclusions: base.Exclusions, Coverage: base.Coverage, RetentionYears: 7,
		StaffNames: base.StaffNames, StaffDepts: base.StaffDepts,
		Runs: []AnnualRun{
			mk(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 1, base.Findings[:5], true),
			mk(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 2, base.Findings[:10], false),
			mk(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), 3, nil, false),
			mk(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), 4, base.Findings[10:30], false),
		},
	}
	path := filepath.Join(t.TempDir(), "annual.pdf")
	if err := WriteAnnualFile(path, a); err != nil {
		t.Fatal(err)
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	flat := strings.ReplaceAll(text, "\n", "")
	counted := 0
	for _, f := range base.Findings[:30] {
		if !f.Excluded {
			counted++
		}
	}
	for _, s := range []string{"令和7年度 個人情報アクセスログ点検 年間総括", "1. 年間の概要", "2. 点検の実施状況", "3. 点検項目別の検出件数",
		"4. 確認（フォローアップ）の状況", "5. 除外", "6. ログの網羅性", "7. 根拠（ガイドラインとの対応）",
		"年度中の点検は 4 回（点検期間 3 件。同じ期間の再点検 1 回を含む）", fmt.Sprintf("検出事項は合計 %d 件", counted),
		"再点検前", "管理状況の把握（監査及びログの分析）", "不適切確定とした事項", "検出なし", "R7.4.1〜"} {
		if !strings.Contains(flat, s) && !strings.Contains(text, s) {
			t.Errorf("annual text lacks %q", s)
		}
	}
	check := run(t, "qpdf", "--check", path)
	if !strings.Contains(check, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", check)
	}
	checkGeometry(t, path)

	empty := AnnualData{Town: "山里町", FiscalYear: 2024, Rules: testRules}
	var buf bytes.Buffer
	if err := WriteAnnual(&buf, empty); err != nil {
		t.Fatal(err)
	}
	p2 := filepath.Join(t.TempDir(), "empty.pdf")
	if err := os.WriteFile(p2, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := strings.ReplaceAll(run(t, "pdftotext", "-enc", "UTF-8", p2, "-"), "\n", ""); !strings.Contains(s, "2024年度に実施した点検の記録はありません") {
		t.Error("an empty year does not say that no inspection was made")
	}
}

func TestShortWareki(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{day(2025, 6, 3), "R7.6.3"},
		{day(2019, 5, 1), "R1.5.1"},
		{day(2019, 4, 30), "H31.4.30"},
		{day(1989, 1, 7), "S64.1.7"},
	} {
		if got := shortWareki(tt.t); got != tt.want {
			t.Errorf("shortWareki(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got := fiscalYearLabel(EraWareki, 2019); got != "令和元年度" {
		t.Errorf("fiscalYearLabel(2019) = %q", got)
	}
	if got := fiscalYearLabel(EraSeireki, 2025); got != "2025年度" {
		t.Errorf("fiscalYearLabel(2025) = %q", got)
	}
}

func TestEvidenceTime(t *testing.T) {
	if got := evidenceTime(time.Date(2025, 6, 3, 18, 42, 11, 0, time.UTC)); got != "06/03 18:42:11" {
		t.Errorf("evidenceTime = %q", got)
	}
	if got := evidenceTime(time.Time{}); got != "—" {
		t.Errorf("evidenceTime(zero) = %q", got)
	}
}

func TestMissingRuns(t *testing.T) {
	// Mon 6/2 to Fri 6/6, Mon 6/9 (over a weekend), then Wed 6/11 after a
	// Tuesday with a log, then 12/26 (Fri) to 1/5 (Mon) over 年末年始.
	days := []time.Time{day(2025, 6, 2), day(2025, 6, 3), day(2025, 6, 4), day(2025, 6, 5), day(2025, 6, 6), day(2025, 6, 9),
		day(2025, 6, 11), day(2025, 12, 26), day(2026, 1, 5)}
	got := missingRuns(days)
	want := []missingRun{{day(2025, 6, 2), day(2025, 6, 9), 6}, {day(2025, 6, 11), day(2025, 6, 11), 1}, {day(2025, 12, 26), day(2026, 1, 5), 2}}
	if len(got) != len(want) {
		t.Fatalf("missingRuns = %+v", got)
	}
	for i := range want {
		if !got[i].from.Equal(want[i].from) || !got[i].to.Equal(want[i].to) || got[i].days != want[i].days {
			t.Errorf("run %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
