package master

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReadStaffFromXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"職員マスタ（令和7年4月1日現在）"},
		{"職員番号", "氏名", "所属", "採用日", "退職日", "USB利用"},
		{"T001", "山田 花子", "税務課", "2019/04/01", "", "○"},
		{"T002", "佐藤 一郎", "住民課", "令和7年4月1日", "2025/03/31", "×"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "職員.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	res, err := ReadStaff(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Accepted != 1 || len(res.Rejects) != 1 || res.Rejects[0].Line != 4 || res.Rejects[0].Column != "退職日" {
		t.Fatalf("accepted %d rejects %+v", res.Accepted, res.Rejects)
	}
	if s := res.Staff[0]; s.ID != "T001" || !s.USBAllowed || !s.Start.Equal(day(2019, 4, 1)) {
		t.Errorf("staff %+v", s)
	}
	if res.Encoding == "" || res.HeaderLine != 2 {
		t.Errorf("encoding %q header line %d", res.Encoding, res.HeaderLine)
	}
}
