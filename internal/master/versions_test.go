package master

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestReadStaffVersionsAndAccounts(t *testing.T) {
	p := writeCP932(t, "職員.csv", strings.Join([]string{
		"職員ID,氏名,所属,着任日,離任日,Windowsアカウント,メールアドレス,他のアカウント",
		"T001,山田 花子,税務課,2019/04/01,2025/03/31,yamada-h,yamada@town.example.lg.jp,T001、yamada-h;h.yamada",
		"T001,山田 花子,住民課,2025/04/01,,yamada-h,,",
		"T001,山田 花子,福祉課,2025/03/01,,,,",
		"T002,佐藤 一郎,税務課,,,,,",
		"T002,佐藤 一郎,住民課,2024/04/01,,,,",
	}, "\r\n"))
	res, err := ReadStaff(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 3 || len(res.Rejects) != 2 {
		t.Fatalf("accepted %d rejects %+v", res.Accepted, res.Rejects)
	}
	// The 福祉課 row overlaps the 住民課 row (and the 税務課 one); the
	// second T002 row overlaps the open first one.
	for i, line := range []int{4, 6} {
		r := res.Rejects[i]
		if r.Line != line || !strings.Contains(r.Reason, "重複") || r.Column != "職員ID" {
			t.Errorf("reject %d = %+v, want an overlap at line %d", i, r, line)
		}
	}
	first := res.Staff[0]
	if got := strings.Join(first.Accounts, "|"); got != "yamada-h|h.yamada|yamada@town.example.lg.jp" {
		t.Errorf("accounts %q", got)
	}
	second := res.Staff[1]
	if second.Dept != "住民課" || !second.Start.Equal(day(2025, 4, 1)) || len(second.Accounts) != 1 {
		t.Errorf("second version %+v", second)
	}
	if res.Encoding == "" || res.Mapping == nil || len(res.Sample) != 5 || res.HeaderLine != 1 {
		t.Errorf("preview data: enc %q sample %d header %d", res.Encoding, len(res.Sample), res.HeaderLine)
	}
}

func TestReadWatchlist(t *testing.T) {
	p := writeCP932(t, "要注意.csv", strings.Join([]string{
		"要注意対象者一覧",
		"宛名コード,対象区分,閲覧可能課,関係職員ID,措置開始日,措置終了日",
		"1000000123,DV,住民課・税務課,,令和6年4月1日,",
		"1000000456,職員家族,,T001,,",
		"1000000789,,福祉課,,,",
		",著名人,,,,",
		"1000000999,要人,,,,",
		"1000000123,DV等支援措置,住民課,,2025/01/01,",
		"1000000777,著名人,,,2025/05/01,2025/04/01",
	}, "\r\n"))
	res, err := ReadWatchlist(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 3 || len(res.Rejects) != 4 {
		t.Fatalf("accepted %d rejects %+v", res.Accepted, res.Rejects)
	}
	w := res.Watch
	if w[0].Category != "DV等支援措置" || strings.Join(w[0].Depts, "|") != "住民課|税務課" || !w[0].From.Equal(day(2024, 4, 1)) {
		t.Errorf("entry 0 %+v", w[0])
	}
	if w[1].Category != "職員・家族" || w[1].StaffID != "T001" || w[2].Category != "その他" {
		t.Errorf("entries %+v", w[1:])
	}
	for i, want := range []string{"宛名番号が空", "区分「要人」", "重なって", "終了日"} {
		r := res.Rejects[i]
		if !strings.Contains(r.Reason, want) {
			t.Errorf("reject %d = %+v, want %q", i, r, want)
		}
		// Resident numbers never appear in reasons.
		if strings.Contains(r.Reason, "1000000") {
			t.Errorf("reject %d reason shows a resident number: %s", i, r.Reason)
		}
	}
	if res.Rejects[2].Line != 8 || res.Rejects[2].Column != "宛名コード" {
		t.Errorf("overlap reject at %d/%s", res.Rejects[2].Line, res.Rejects[2].Column)
	}
}

func TestReadOvertime(t *testing.T) {
	p := writeCP932(t, "時間外.csv", strings.Join([]string{
		"職員番号,勤務日,開始時刻,終了時刻,時間帯",
		"T001,2025/05/07,17:15,21:00,",
		"T002,令和7年5月8日,22:00,2:00,",
		"T003,R7.5.9,17:30,25:30,",
		"T004,2025-05-10,,,09:00～翌1:00",
		"T001,2025/05/07,17:15,21:00,",
		",2025/05/07,17:15,21:00,",
		"T005,2025/02/30,17:15,21:00,",
		"T006,2025/05/07,17:15,,",
		"T007,2025/05/07,夕方,21:00,",
		"T008,2025/05/07,24:30,25:00,",
	}, "\r\n"))
	res, err := ReadOvertime(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 4 || len(res.Rejects) != 6 {
		t.Fatalf("accepted %d rejects %+v", res.Accepted, res.Rejects)
	}
	h := func(hh, mm int) time.Duration { return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute }
	want := []struct {
		id       string
		d        time.Time
		from, to time.Duration
	}{
		{"T001", day(2025, 5, 7), h(17, 15), h(21, 0)},
		{"T002", day(2025, 5, 8), h(22, 0), h(26, 0)},
		{"T003", day(2025, 5, 9), h(17, 30), h(25, 30)},
		{"T004", day(2025, 5, 10), h(9, 0), h(25, 0)},
	}
	for i, w := range want {
		o := res.Overtime[i]
		if o.StaffID != w.id || !o.Date.Equal(w.d) || o.From != w.from || o.To != w.to {
			t.Errorf("overtime %d = %+v, want %+v", i, o, w)
		}
	}
	for i, w := range []struct {
		line   int
		col    string
		reason string
	}{{6, "職員番号", "重複"}, {7, "職員番号", "職員IDが空"}, {8, "勤務日", "存在しない"}, {9, "終了時刻", "終了時刻が空"}, {10, "開始時刻", "夕方"}, {11, "開始時刻", "0:00〜23:59"}} {
		r := res.Rejects[i]
		if r.Line != w.line || r.Column != w.col || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d = %+v, want line %d column %s reason %q", i, r, w.line, w.col, w.reason)
		}
	}
}

func TestReadOvertimeNeedsWindowColumns(t *testing.T) {
	p := writeCP932(t, "時間外.csv", "職員ID,日付,備考\r\nT001,2025/05/07,残業\r\n")
	_, err := ReadOvertime(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "開始と終了") {
		t.Fatalf("got %v, want a missing-columns error", err)
	}
}
