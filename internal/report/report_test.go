package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

// needTool skips the test when a poppler/qpdf binary is not installed.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s がインストールされていないため省略します", name)
	}
	return p
}

// run executes a tool and returns its standard output.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(needTool(t, name), args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("%s %v: %v\n%s", name, args, err, ee.Stderr)
		}
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// pageCount reads the page count with pdfinfo.
func pageCount(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo gave no page count for %s", path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// stressData has content meant to break a layout: an explanation longer
// than a page, identifiers and file names with no break opportunity,
// characters the font lacks, control characters and a very long title.
func stressData() Data {
	d := testData(6, 3)
	d.Title = "令和7年度 第1四半期 個人情報を取り扱う情報システムのアクセスログに関する定期点検報告書（住民記録・税務・福祉・国保・介護・子育て・選挙）"
	d.Town = "山里町役場総務部総務課情報政策係及び関係各課（住民課・税務課・福祉課・健康保険課・子育て支援課・選挙管理委員会事務局・教育委員会）"
	d.Department = strings.Repeat("総務課情報政策係", 12)
	d.Author = strings.Repeat("山田 花子・", 20)
	d.Findings[0].Detail = strings.Repeat("業務上の必要性が確認できない照会が繰り返し行われました（詳細は別紙を参照）。\t制御文字\x07を含む行。\r\n", 120)
	d.Findings[1].StaffID = "VERY_LONG_ACCOUNT_NAME_WITHOUT_ANY_SPACES_0123456789"
	d.Findings[2].Evidence[0].Function = strings.Repeat("ABCDEFGHIJ", 30)
	d.Findings[3].Detail = "外字を含む氏名 𠮷野 の職員 😀 による照会。"
	d.Batches[0].File = strings.Repeat("very_long_file_name_", 12) + ".csv"
	d.Batches[1].SHA256 = strings.Repeat("0", 64)
	d.StaffNames[d.Findings[1].StaffID] = "長い氏名の職員　寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末"
	d.Exclusions = append(d.Exclusions, Exclusion{StaffID: "EXT-VENDOR-01", Reason: strings.Repeat("委託業者による保守作業のため。", 20), By: "総務課長"})
	return d
}

func TestReport(t *testing.T) {
	needTool(t, "pdftotext")
	big := testData(300, 40)
	unmasked := testData(20, 5)
	unmasked.UnmaskSubjects = true
	tests := []struct {
		name             string
		data             Data
		minPages         int
		maxPages         int
		sections         []string // numbered section headings, in order
		masked           bool
		wantText         []string
		forbidText       []string
		staffMustAppear  bool
		noFindingsPhrase bool
	}{
		{
			name: "zero findings", data: zeroData(), minPages: 4, maxPages: 11,
			sections: []string{"1. 概要", "2. アクセスの傾向", "3. 検出事項一覧", "4. 対象者別の詳細", "5. 確認結果", "6. 点検条件", "7. 除外", "8. 取込記録",
				"9. ログの網羅性", "10. 根拠（ガイドラインとの対応）", "付録 点検項目の説明"},
			masked: true, noFindingsPhrase: true,
			wantText:   []string{"宛名番号はマスクして表示しています", "令和7年6月1日", "担当", "係長", "課長", "CISO", "除外した職員・アカウントはありません"},
			forbidText: []string{"ヒアリング結果"},
		},
		{
			name: "300 findings across 40 staff", data: big, minPages: 60, maxPages: 400,
			sections: []string{"1. 概要", "2. アカウント別利用状況", "3. アクセスの傾向", "4. 検出事項一覧", "5. 職員別のリスク順位", "6. 対象者別の詳細",
				"7. 確認結果", "8. 点検条件", "9. 除外", "10. 取込記録", "11. ログの網羅性", "12. 根拠（ガイドラインとの対応）", "付録 点検項目の説明"},
			masked: true, staffMustAppear: true,
			wantText: []string{"宛名番号はマスクして表示しています", "ヒアリング結果", "確認者", "（エクスポートを参照）", "（マスタに無し）", "【除外】",
				"システム保守作業用のため", "検出事項は 299 件", "@gmail.com", big.Batches[0].SHA256, big.Batches[4].SHA256, "令和7年7月3日"},
			forbidText: []string{noFindingsSentence, ".home@gmail.com"},
		},
		{
			name: "unmasked", data: unmasked, minPages: 5, maxPages: 60,
			sections:        []string{"1. 概要", "2. アカウント別利用状況", "3. アクセスの傾向", "4. 検出事項一覧", "5. 職員別のリスク順位", "6. 対象者別の詳細", "7. 確認結果", "8. 点検条件", "9. 除外", "10. 取込記録"},
			wantText:        []string{"宛名番号はマスクせずに表示しています", unmasked.Findings[0].Evidence[0].SubjectID},
			staffMustAppear: true,
		},
		{
			name: "stress", data: stressData(), minPages: 8, maxPages: 80,
			sections: []string{"1. 概要", "3. アクセスの傾向", "4. 検出事項一覧", "6. 対象者別の詳細"},
			masked:   true, staffMustAppear: true,
			wantText: []string{"点検報告書", strings.Repeat("0", 64), "外字を含む氏名 〓野 の職員 〓 による照会"},
		},
		{
			name: "empty data", data: Data{}, minPages: 4, maxPages: 8,
			sections: []string{"1. 概要", "2. 検出事項一覧", "付録 点検項目の説明"},
			masked:   true, noFindingsPhrase: true,
			wantText: []string{DefaultTitle, unset, "取り込んだファイルはありません"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.pdf")
			if err := WriteFile(path, tt.data); err != nil {
				t.Fatalf("WriteFile: %v", err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("file mode = %v, want 0600", st.Mode().Perm())
			}
			text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
			// pdftotext puts a line break where the layout did; the
			// searches below are about content, not lines.
			flat := strings.ReplaceAll(text, "\n", "")

			mustHave := append([]string{"点検報告書"}, tt.wantText...)
			if tt.data.Town != "" {
				mustHave = append(mustHave, tt.data.Town[:len("山里町")])
			}
			for _, s := range mustHave {
				if !strings.Contains(flat, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tt.forbidText {
				if strings.Contains(flat, s) {
					t.Errorf("text contains %q", s)
				}
			}
			if tt.data.Town != "" && !strings.Contains(text, tt.data.Town[:len("山里町")]) {
				t.Errorf("town name missing")
			}
			// Section headings, each on a line of its own, in order.
			pos := 0
			for _, s := range tt.sections {
				i := strings.Index(text[pos:], "\n"+s+"\n")
				if i < 0 {
					t.Errorf("section heading %q missing or out of order", s)
					continue
				}
				pos += i + 1
			}
			if got := strings.Contains(flat, noFindingsSentence); got != tt.noFindingsPhrase {
				t.Errorf("no-findings sentence present = %v, want %v", got, tt.noFindingsPhrase)
			}
			if tt.staffMustAppear {
				for _, id := range allStaffIDs(tt.data) {
					if !strings.Contains(flat, id) {
						t.Errorf("staff ID %s missing", id)
					}
				}
			}
			if tt.masked {
				leaks := 0
				for _, id := range allSubjects(tt.data) {
					if strings.Contains(flat, id) {
						leaks++
						if leaks <= 5 {
							t.Errorf("subject ID %s appears unmasked", id)
						}
					}
				}
				if leaks > 5 {
					t.Errorf("... %d unmasked subject IDs in all", leaks)
				}
			}

			n := pageCount(t, path)
			if n < tt.minPages || n > tt.maxPages {
				t.Errorf("pages = %d, want %d..%d", n, tt.minPages, tt.maxPages)
			}
			// Every page but the cover ends with its number "n / N"
			// (pdftotext drops the narrow spaces).
			for i, pg := range strings.Split(strings.TrimSuffix(text, "\f"), "\f") {
				numRe := regexp.MustCompile(fmt.Sprintf(`(?m)^%d ?/ ?%d$`, i+1, n))
				if got := numRe.MatchString(pg); got != (i > 0) {
					t.Errorf("page %d: number %d / %d printed = %v", i+1, i+1, n, got)
				}
			}

			check := run(t, "qpdf", "--check", path)
			if !strings.Contains(check, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check:\n%s", check)
			}
			fonts := run(t, "pdffonts", path)
			if !regexp.MustCompile(`(?m)^[A-Z]{6}\+IPAexGothic\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`).MatchString(fonts) {
				t.Errorf("font not embedded as a subset with ToUnicode:\n%s", fonts)
			}
			checkGeometry(t, path)
		})
	}
}

// word is one word box from pdftotext -bbox.
type word struct {
	x0, y0, x1, y1 float64
	text           string
}

var (
	pageRe = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// checkGeometry asserts that no text is drawn outside the margins (the
// running header and page number sit inside the top and bottom margins)
// and that no two words overlap.
func checkGeometry(t *testing.T, path string) {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	pages := strings.Split(out, "</page>")
	const tol = 0.6
	problems := 0
	report := func(format string, args ...any) {
		problems++
		if problems <= 8 {
			t.Errorf(format, args...)
		}
	}
	for pi, pg := range pages {
		pm := pageRe.FindStringSubmatch(pg)
		if pm == nil {
			continue
		}
		h, _ := strconv.ParseFloat(pm[2], 64)
		var words []word
		for _, m := range wordRe.FindAllStringSubmatch(pg, -1) {
			var w word
			w.x0, _ = strconv.ParseFloat(m[1], 64)
			w.y0, _ = strconv.ParseFloat(m[2], 64)
			w.x1, _ = strconv.ParseFloat(m[3], 64)
			w.y1, _ = strconv.ParseFloat(m[4], 64)
			w.text = html.UnescapeString(m[5])
			words = append(words, w)
		}
		for _, w := range words {
			if w.x0 < left-tol || w.x1 > right+tol {
				report("page %d: %q runs outside the side margins (x %.1f–%.1f)", pi+1, w.text, w.x0, w.x1)
			}
			if w.y0 < 8*mm || w.y1 > h-8*mm {
				report("page %d: %q is off the page area (y %.1f–%.1f)", pi+1, w.text, w.y0, w.y1)
			}
			body := w.y0 > top-1 && w.y1 < bottom+1
			if !body && w.y1 > 18*mm && w.y0 < h-16*mm {
				report("page %d: %q straddles a margin (y %.1f–%.1f)", pi+1, w.text, w.y0, w.y1)
			}
		}
		// Sorted by top edge, the inner loop can stop at the first word
		// that starts below the current one's bottom: no later word can
		// overlap it vertically.
		sort.Slice(words, func(i, j int) bool { return words[i].y0 < words[j].y0 })
		for i := range words {
			for j := i + 1; j < len(words); j++ {
				a, b := words[i], words[j]
				if b.y0 >= a.y1-tol {
					break
				}
				ox := min(a.x1, b.x1) - max(a.x0, b.x0)
				oy := min(a.y1, b.y1) - max(a.y0, b.y0)
				if ox > tol && oy > tol {
					report("page %d: %q and %q overlap", pi+1, a.text, b.text)
				}
			}
		}
	}
	if problems > 8 {
		t.Errorf("... %d geometry problems in all", problems)
	}
}

func TestWriteRejectsReversedPeriod(t *testing.T) {
	d := zeroData()
	d.From, d.To = d.To, d.From
	var buf bytes.Buffer
	err := Write(&buf, d)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "report_period" {
		t.Fatalf("Write = %v, want report_period error", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes despite the error", buf.Len())
	}
}

func TestWriteFileReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "点検報告書.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, zeroData()); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-32:], []byte("%%EOF")) {
		t.Errorf("file is not a complete PDF")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the report (temp file left behind?)", len(entries))
	}

	// A failed write leaves the earlier report alone.
	bad := zeroData()
	bad.From, bad.To = bad.To, bad.From
	if err := WriteFile(path, bad); err == nil {
		t.Fatal("WriteFile with a reversed period succeeded")
	}
	if b2, _ := os.ReadFile(path); !bytes.Equal(b, b2) {
		t.Error("failed WriteFile changed the existing report")
	}
	if err := WriteFile(filepath.Join(dir, "no-such-dir", "r.pdf"), zeroData()); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

// TestEvidenceCap checks the per-finding cap and the pointer to the export.
func TestEvidenceCap(t *testing.T) {
	needTool(t, "pdftotext")
	tests := []struct {
		limit, rows, count int
		wantRest           string // "" when nothing is left out
	}{
		{limit: 5, rows: 12, count: 12, wantRest: "ほか 7 件（エクスポートを参照）"},
		{limit: 0, rows: 25, count: 130, wantRest: "ほか 110 件（エクスポートを参照）"},
		{limit: 0, rows: 3, count: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.limit, "_", tt.rows, "_", tt.count), func(t *testing.T) {
			d := testData(1, 1)
			f := &d.Findings[0]
			ev := f.Evidence[0]
			f.Evidence = nil
			for i := 0; i < tt.rows; i++ {
				e := ev
				e.Time = ev.Time.Add(time.Duration(i) * time.Minute)
				e.Terminal = fmt.Sprintf("TERM%03d", i)
				f.Evidence = append(f.Evidence, e)
			}
			f.Count = tt.count
			d.EvidenceLimit = tt.limit
			path := filepath.Join(t.TempDir(), "r.pdf")
			if err := WriteFile(path, d); err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(run(t, "pdftotext", "-enc", "UTF-8", path, "-"), "\n", "")
			limit := tt.limit
			if limit == 0 {
				limit = DefaultEvidenceLimit
			}
			shown := min(limit, tt.rows)
			for i := 0; i < tt.rows; i++ {
				term := fmt.Sprintf("TERM%03d", i)
				if got := strings.Contains(text, term); got != (i < shown) {
					t.Errorf("evidence row %s printed = %v, want %v", term, got, i < shown)
				}
			}
			if tt.wantRest != "" && !strings.Contains(text, tt.wantRest) {
				t.Errorf("text lacks %q", tt.wantRest)
			}
			if tt.wantRest == "" && strings.Contains(text, "（エクスポートを参照）") {
				t.Errorf("cap note printed although nothing was left out")
			}
		})
	}
}

// BenchmarkWrite renders a report of about 100 pages and reports the PDF
// size next to the time.
func BenchmarkWrite(b *testing.B) {
	d := testData(140, 30)
	var size, pages int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, d); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		pages = bytes.Count(buf.Bytes(), []byte("/Type /Page\n"))
	}
	b.ReportMetric(float64(size), "pdf-bytes")
	b.ReportMetric(float64(pages), "pages")
}

// BenchmarkReport renders a report of about 100 pages (the target of
// issue 6: at most 3 s) and reports its size and page count.
func BenchmarkReport(b *testing.B) {
	d := testData(105, 24)
	var size, pages int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, d); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		pages = bytes.Count(buf.Bytes(), []byte("/Type /Page\n"))
	}
	b.ReportMetric(float64(size), "pdf-bytes")
	b.ReportMetric(float64(pages), "pages")
}
