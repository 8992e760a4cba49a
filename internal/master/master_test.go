package master

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

func writeCP932(t *testing.T, name, text string) string {
	t.Helper()
	s, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestReadStaff(t *testing.T) {
	p := writeCP932(t, "職員.csv", strings.Join([]string{
		"職員マスタ（令和7年5月1日現在）",
		"職員番号,氏名,所属課,役職,雇用区分,採用日,退職日,USB利用,本人宛名番号,利用可能システム",
		"T001,山田 花子,税務課,主事,正規,2019/04/01,,○,1000000001,税務・住民記録",
		"K900,委託 太郎,住民課,,委託,令和6年4月1日,令和7年4月30日,×,,住民記録",
		",名無し,税務課,,正規,,,,,",
		"T001,重複,税務課,,正規,,,,,",
		"T002,日付違い,税務課,,正規,2025/02/30,,,,",
		"T003,逆転,税務課,,正規,2025/04/01,2025/03/31,,,",
		"T004,USB不明,税務課,,正規,,,たぶん,,",
		"Ｔ００５,全角,福祉課,,会計年度任用,R06.04.01,,1,,福祉、介護",
		"",
	}, "\r\n"))
	res, err := ReadStaff(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 8 || res.Accepted != 3 || len(res.Rejects) != 5 {
		t.Fatalf("read %d accepted %d rejects %+v", res.Read, res.Accepted, res.Rejects)
	}
	wantReasons := []string{"職員IDが空", "重複", "存在しない", "離任日", "可・不可"}
	for i, w := range wantReasons {
		if !strings.Contains(res.Rejects[i].Reason, w) {
			t.Errorf("reject %d = %+v, want %q", i, res.Rejects[i], w)
		}
	}
	if res.Rejects[2].Column != "採用日" || res.Rejects[2].Line != 7 {
		t.Errorf("date reject at %d/%s, want line 7 column 採用日", res.Rejects[2].Line, res.Rejects[2].Column)
	}
	s := res.Staff
	if s[0].ID != "T001" || s[0].Dept != "税務課" || !s[0].USBAllowed || len(s[0].Systems) != 2 || s[0].Systems[1] != "住民記録" || !s[0].Start.Equal(day(2019, 4, 1)) {
		t.Errorf("staff 0 %+v", s[0])
	}
	if !s[1].End.Equal(day(2025, 4, 30)) || s[1].USBAllowed || s[1].Employment != "委託" {
		t.Errorf("staff 1 %+v", s[1])
	}
	if s[2].ID != "T005" || !s[2].USBAllowed || len(s[2].Systems) != 2 || !s[2].Start.Equal(day(2024, 4, 1)) {
		t.Errorf("staff 2 %+v", s[2])
	}
}

func TestReadGrants(t *testing.T) {
	p := writeCP932(t, "権限.csv", strings.Join([]string{
		"所属,職員ID,システム,権限,開始日,終了日",
		"住民課,,住民記録,照会・更新・出力,令和5年4月1日,",
		"税務課,,住民記録,照会,2023/04/01,",
		",T009,税務,,2025/05/01,2025/05/31",
		"税務課,,税務,閲覧,,",
		",,福祉,照会,,",
		"福祉課,,,照会,,",
	}, "\r\n"))
	res, err := ReadGrants(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Grants) != 5 || res.Accepted != 3 || len(res.Rejects) != 3 {
		t.Fatalf("grants %+v rejects %+v", res.Grants, res.Rejects)
	}
	if res.Grants[2].Permission != "出力" || !res.Grants[0].From.Equal(day(2023, 4, 1)) {
		t.Errorf("expanded grants %+v", res.Grants[:3])
	}
	if g := res.Grants[4]; g.StaffID != "T009" || g.Permission != "" || !g.To.Equal(day(2025, 5, 31)) {
		t.Errorf("staff grant %+v", g)
	}
	for i, w := range []string{"権限「閲覧」", "どちらも空", "システムが空"} {
		if !strings.Contains(res.Rejects[i].Reason, w) {
			t.Errorf("reject %d = %+v, want %q", i, res.Rejects[i], w)
		}
	}
}

func TestParseBoolAndSplitList(t *testing.T) {
	for in, want := range map[string]bool{"○": true, "〇": true, "可": true, "1": true, "有": true, "はい": true, "×": false, "不可": false, "0": false, "": false, "無": false, "１": true} {
		got, ok := ParseBool(in)
		if !ok || got != want {
			t.Errorf("ParseBool(%q) = %v,%v want %v", in, got, ok, want)
		}
	}
	if _, ok := ParseBool("たぶん"); ok {
		t.Error("ParseBool accepted たぶん")
	}
	for in, want := range map[string]string{"税務・住民記録": "税務|住民記録", "A、B": "A|B", "A,B;C/D": "A|B|C|D", " 福祉　介護 ": "福祉|介護", "": ""} {
		if got := strings.Join(SplitList(in), "|"); got != want {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}
