package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func sampleList(staff, per int) []SampleCheck {
	var out []SampleCheck
	for s := 0; s < staff; s++ {
		for i := 0; i < per; i++ {
			out = append(out, SampleCheck{
				StaffID: fmt.Sprintf("T%03d", s+1), StaffName: fmt.Sprintf("職員 %d", s+1), Dept: []string{"税務課", "福祉課"}[s%2],
				No: i + 1, Of: 100 + s, Time: time.Date(2025, 6, 2+i, 9, 30, i, 0, time.UTC),
				System: "税務", Function: "個人住民税照会", Action: "照会", Subject: fmt.Sprintf("3140%04d", s*10+i),
				File: "税務.csv", Line: 1000 + s*10 + i, Seq: int64(5000 + s*10 + i),
			})
		}
	}
	return out
}

// The 抽出点検 section: one table per staff member with the boxes and a
// signature line, residents masked unless asked, switched off by its key,
// absent when there is nothing to check; the layout stays inside the page.
func TestSampleCheckSection(t *testing.T) {
	d := testData(4, 2)
	d.SampleChecks = sampleList(14, 5)
	flat, pages, path := pdfText(t, d)
	text := strings.Join(pages, "\n")
	if !strings.Contains(text, titleSampleCheck+"\n") {
		t.Fatalf("section %q missing", titleSampleCheck)
	}
	for _, s := range []string{"受付簿と照合できない所属（税務課、福祉課）", "5 件ずつを抽出", "職員ID T001", "照会 100 件から 5 件", "申請書あり", "確認者", "確認日",
		"税務.csv", "1000行目", "通番 5000", "2025/06/02", "個人住民税照会（照会）"} {
		if !strings.Contains(flat, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	if n := strings.Count(flat, "確認者"); n < 14 {
		t.Errorf("%d signature lines, want one per staff member (14)", n)
	}
	if strings.Contains(flat, "31400000") || !strings.Contains(flat, "3140****") {
		t.Error("residents not masked in the 抽出点検 list")
	}
	// Each staff member's table and signature stay on one page.
	for _, p := range pages {
		if strings.Contains(p, "抽出点検のつづき") {
			t.Errorf("a staff member's table was split across pages:\n%.300s", p)
		}
	}
	checkGeometry(t, path)

	d.UnmaskSubjects = true
	if flat, _, _ := pdfText(t, d); !strings.Contains(flat, "31400000") {
		t.Error("--unmask did not show the 宛名番号")
	}
	d.UnmaskSubjects = false
	d.Omit = map[string]bool{SectionSampleCheck: true}
	if _, pages, _ := pdfText(t, d); strings.Contains(strings.Join(pages, "\n"), titleSampleCheck+"\n") {
		t.Error("the switched-off section was printed")
	}
	d.Omit, d.SampleChecks = nil, nil
	if _, pages, _ := pdfText(t, d); strings.Contains(strings.Join(pages, "\n"), titleSampleCheck) {
		t.Error("an empty 抽出点検 list was printed")
	}
	found := false
	for _, s := range Sections() {
		found = found || s.Key == SectionSampleCheck
	}
	if !found {
		t.Error("the section is not in Sections()")
	}
}

func TestSampleGroups(t *testing.T) {
	gs := sampleGroups(sampleList(3, 2))
	if len(gs) != 3 || len(gs[1].rows) != 2 || gs[1].id != "T002" || gs[1].of != 101 || gs[1].dept != "福祉課" {
		t.Fatalf("groups %+v", gs)
	}
}
