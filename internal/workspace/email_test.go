package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"tenken/internal/domain"
)

// TestStaffEmail: the staff master's メールアドレス column is previewed
// as such, stored, validated on edit and kept in the run's snapshot.
func TestStaffEmail(t *testing.T) {
	ctx := context.Background()
	w := openWS(t)
	dir := t.TempDir()
	staffCSV := writeSJIS(t, dir, "職員.csv", strings.Join([]string{
		"職員番号,氏名,所属課,E-mail",
		"T001,山田 花子,住民課,yamada@town.example.lg.jp; h.yamada@town.example.lg.jp",
		"T002,佐藤 一郎,住民課,佐藤",
	}, "\r\n"))
	p, err := w.PreviewMaster(ctx, MasterStaff, staffCSV)
	if err != nil {
		t.Fatal(err)
	}
	if p.Columns[3].Field != "mail" || MasterFieldLabel(MasterStaff, p.Columns[3].Field) != "メールアドレス" {
		t.Errorf("E-mail column maps to %q", p.Columns[3].Field)
	}
	if p.Accepted != 1 || len(p.Rejects) != 1 || p.Rejects[0].Line != 3 || p.Rejects[0].Column != "E-mail" || !strings.Contains(p.Rejects[0].Reason, "メールアドレス「佐藤」") {
		t.Fatalf("preview %+v", p)
	}
	if _, err := w.ImportMaster(ctx, MasterStaff, staffCSV); err != nil {
		t.Fatal(err)
	}
	st, err := w.Staff(ctx)
	if err != nil || len(st) != 1 || strings.Join(st[0].Email, "|") != "yamada@town.example.lg.jp|h.yamada@town.example.lg.jp" {
		t.Fatalf("staff %+v %v", st, err)
	}

	bad := domain.Staff{ID: "T003", Name: "鈴木", Email: []string{"suzuki@town"}}
	if err := w.SaveStaff(ctx, bad, ""); domainCode(err) != "invalid" || !strings.Contains(err.Error(), "suzuki@town") {
		t.Errorf("SaveStaff with a broken address: %v", err)
	}
	good := domain.Staff{ID: "T003", Name: "鈴木", Email: []string{"Suzuki@Town.Example.lg.jp、s2@town.example.lg.jp"}}
	if err := w.SaveStaff(ctx, good, ""); err != nil {
		t.Fatal(err)
	}
	vs, err := w.StaffVersions(ctx, "T003")
	if err != nil || len(vs) != 1 || strings.Join(vs[0].Email, "|") != "suzuki@town.example.lg.jp|s2@town.example.lg.jp" ||
		strings.Join(vs[0].Accounts, "|") != "suzuki@town.example.lg.jp|s2@town.example.lg.jp" {
		t.Fatalf("edited staff %+v %v", vs, err)
	}

	log := writeSJIS(t, dir, "住民記録.csv", "操作日時,職員ID,操作,宛名番号\r\n2025/05/07 09:00:00,T001,照会,100\r\n")
	if _, _, err := w.ImportLog(ctx, log, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	run, err := w.Inspect(ctx, day(2025, 5, 1), day(2025, 5, 31), nil)
	if err != nil {
		t.Fatal(err)
	}
	var snap runConfig
	if err := json.Unmarshal([]byte(run.Config), &snap); err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.Masters.Staff {
		if s.ID == "T001" && len(s.Email) == 2 {
			return
		}
	}
	t.Errorf("the run's snapshot lost the addresses: %+v", snap.Masters.Staff)
}
