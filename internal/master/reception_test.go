package master

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tenken/internal/domain"
)

// TestReadReceptionMessy reads a 受付簿 as a town's Excel register saves
// it to CSV: a title row, merged 受付日 and 窓口 cells (blank below the
// first row of a group), full-width digits, 和暦, a family's 転入届 under
// one 受付番号, broken rows and a 合計 row at the end.
func TestReadReceptionMessy(t *testing.T) {
	p := writeCP932(t, "受付簿.csv", strings.Join([]string{
		"令和7年5月分 窓口受付簿（市民課）,,,,,",
		",,,,,",
		"受付日,受付番号,窓口,手続名,宛名番号,受付者",
		"令和7年5月1日,１０１,市民課,転入届,1000000001,Ｔ００１",     // 4
		",101,,転入届,1000000002,T001",                // 5 family member: merged cells
		",102,,住民票の写し交付申請,１００００００００３,T002",         // 6
		"R7.5.2,103,税務課,所得証明書交付申請,1000000004,Z001", // 7
		",104,,,,Z001", // 8 no 宛名番号
		"令和7年5月32日,105,税務課,課税証明,1000000005,Z001", // 9 no such day
		",106,税務課,課税証明,1000000006,Z001",          // 10 the day above is unreadable
		"2025/05/07,107,市民課,転出届,1000000007,",     // 11
		",107,,転出届,1000000007,",                  // 12 the same 受付 again
		"令和7年5月8日,108,計画課,閲覧申請,1000000008,K001",  // 13 a 所属 starting with 計
		"合計,,,,8件,", // 14
	}, "\r\n"))
	res, err := ReadReception(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.HeaderLine != 3 || res.Read != 11 || res.Accepted != 6 || len(res.Rejects) != 5 || res.FilledDown != 2 {
		t.Fatalf("header %d read %d accepted %d filled %d rejects %+v", res.HeaderLine, res.Read, res.Accepted, res.FilledDown, res.Rejects)
	}
	wantRejects := []struct {
		line   int
		column string
		reason string
	}{
		{8, "宛名番号", "宛名番号が空です"},
		{9, "受付日", "令和7年5月32日"},
		{10, "受付日", "9行目の日付が読めないため補えません"},
		{12, "受付番号", "11行目と同じ受付です"},
		{14, "受付日", "集計行"},
	}
	for i, w := range wantRejects {
		r := res.Rejects[i]
		if r.Line != w.line || r.Column != w.column || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d = line %d column %q %q; want line %d column %q reason with %q", i, r.Line, r.Column, r.Reason, w.line, w.column, w.reason)
		}
		if strings.Contains(r.Reason, "100000000") {
			t.Errorf("a resident number in a reason: %q", r.Reason)
		}
	}
	got := make([]string, len(res.Reception))
	for i, r := range res.Reception {
		got[i] = strings.Join([]string{r.Time.Format("2006-01-02 15:04"), boolMark(r.HasClock), r.No, r.Dept, r.Procedure, r.SubjectID, r.StaffID}, "|")
	}
	want := []string{
		"2025-05-01 00:00|-|101|市民課|転入届|1000000001|T001",
		"2025-05-01 00:00|-|101|市民課|転入届|1000000002|T001",
		"2025-05-01 00:00|-|102|市民課|住民票の写し交付申請|1000000003|T002",
		"2025-05-02 00:00|-|103|税務課|所得証明書交付申請|1000000004|Z001",
		"2025-05-07 00:00|-|107|市民課|転出届|1000000007|",
		"2025-05-08 00:00|-|108|計画課|閲覧申請|1000000008|K001",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Reception[1].SourceLine != 5 {
		t.Errorf("source line %d, want 5", res.Reception[1].SourceLine)
	}
}

func boolMark(b bool) string {
	if b {
		return "時刻"
	}
	return "-"
}

// TestReadReceptionHeaders maps each header spelling of DOMAIN.md and
// reads 受付日時 with a clock, 受付日 alone, and 受付日 with 受付時刻.
func TestReadReceptionHeaders(t *testing.T) {
	cases := []struct {
		name   string
		header string
		row    string
		time   string // 2006-01-02 15:04:05
		clock  bool
	}{
		{"受付日時", "受付日時,受付番号,所属,手続名,宛名番号,受付者ID", "2025/05/07 09:03:07,1,市民課,転入届,100,T1", "2025-05-07 09:03:07", true},
		{"受付日", "受付日,受付番号,窓口,手続,宛名コード,担当者ID", "令和7年5月7日,1,市民課,転入届,100,T1", "2025-05-07 00:00:00", false},
		{"申請日", "申請日,整理番号,受付窓口,届出種別,対象者番号,受付者", "R07.05.07,1,市民課,転入届,100,T1", "2025-05-07 00:00:00", false},
		{"届出日", "届出日,受付番号,担当課,申請種別,宛名番号,受付者ID", "２０２５／５／７,1,市民課,転入届,100,T1", "2025-05-07 00:00:00", false},
		{"受付日+受付時刻", "受付日,受付時刻,所属,手続名,宛名番号", "2025/05/07,午後1時05分,市民課,転入届,100", "2025-05-07 13:05:00", true},
		{"受付日と申請日", "申請日,受付日,所属,宛名番号", "2025/04/30,2025/05/07,市民課,100", "2025-05-07 00:00:00", false},
		{"Excelシリアル", "受付日,所属,宛名番号", "45784,市民課,100", "2025-05-07 00:00:00", false},
		{"受付日時（日付のみ）", "受付日時,所属,宛名番号", "2025/05/07 0:00:00,市民課,100", "2025-05-07 00:00:00", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeCP932(t, "受付簿.csv", c.header+"\r\n"+c.row+"\r\n")
			res, err := ReadReception(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != 1 || len(res.Reception) != 1 {
				t.Fatalf("accepted %d rejects %+v mapping %v", res.Accepted, res.Rejects, res.Mapping)
			}
			r := res.Reception[0]
			if r.Time.Format("2006-01-02 15:04:05") != c.time || r.HasClock != c.clock || r.Dept != "市民課" || r.SubjectID != "100" {
				t.Errorf("row %+v, want time %s clock %v", r, c.time, c.clock)
			}
		})
	}
}

func TestReadReceptionNeedsColumns(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"受付番号,所属,宛名番号", "受付日"},
		{"受付日,所属,手続名", "宛名番号"},
		{"受付日,手続名,宛名番号", "所属"},
	} {
		p := writeCP932(t, "受付簿.csv", c.header+"\r\n1,2,3\r\n")
		_, err := ReadReception(context.Background(), p)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "受付簿.csv") {
			t.Errorf("%s: err %v, want one naming %s and the file", c.header, err, c.want)
		}
	}
}

func TestReadReceptionClockConflicts(t *testing.T) {
	p := writeCP932(t, "受付簿.csv", "受付日時,受付時刻,所属,宛名番号\r\n2025/05/07 09:00,10:00,市民課,100\r\n2025/05/07,25:00,市民課,101\r\n")
	res, err := ReadReception(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejects) != 2 || res.Rejects[0].Column != "受付時刻" || !strings.Contains(res.Rejects[0].Reason, "どちらか一方") ||
		res.Rejects[1].Line != 3 || res.Rejects[1].Column != "受付時刻" {
		t.Fatalf("rejects %+v", res.Rejects)
	}
}

func TestReadReceptionXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"受付簿"},
		{"受付日時", "受付番号", "所属", "手続名", "宛名番号"},
		{45784.375, "1", "市民課", "転入届", "100"},
		{nil, "2", nil, "転出届", "101"},
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	p := filepath.Join(t.TempDir(), "受付簿.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	res, err := ReadReception(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 2 || res.FilledDown != 1 || !strings.Contains(res.Encoding, "Excel") {
		t.Fatalf("accepted %d filled %d encoding %q rejects %+v", res.Accepted, res.FilledDown, res.Encoding, res.Rejects)
	}
	if !res.Reception[0].Time.Equal(time.Date(2025, 5, 7, 9, 0, 0, 0, time.UTC)) || !res.Reception[0].HasClock {
		t.Errorf("first %+v", res.Reception[0])
	}
	// The merged 受付日時 cell gives the day, not the clock, of the row above.
	if !res.Reception[1].Time.Equal(time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)) || res.Reception[1].HasClock || res.Reception[1].Dept != "市民課" {
		t.Errorf("second %+v", res.Reception[1])
	}
}

// TestReadReceptionHostile reads every hostile file of the corpus as a
// 受付簿: a Japanese error or rows all accounted for, never a panic, and
// no row taken from a file that is no text.
func TestReadReceptionHostile(t *testing.T) {
	files, err := filepath.Glob("../../testdata/hostile/*.csv")
	if err != nil || len(files) < 10 {
		t.Fatalf("hostile corpus: %d files, %v", len(files), err)
	}
	for _, p := range files {
		res, err := ReadReception(context.Background(), p)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Message == "" {
				t.Errorf("%s: error is not a Japanese domain error: %T %v", filepath.Base(p), err, err)
			}
			continue
		}
		if res.Accepted+len(res.Rejects) != res.Read || len(res.Reception) != res.Accepted {
			t.Errorf("%s: read %d, accepted %d, rejected %d, rows %d", filepath.Base(p), res.Read, res.Accepted, len(res.Rejects), len(res.Reception))
		}
		if strings.HasPrefix(filepath.Base(p), "binary_") && res.Accepted > 0 {
			t.Errorf("%s: %d rows taken from a binary file", filepath.Base(p), res.Accepted)
		}
	}
}
