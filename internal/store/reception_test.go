package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func rcpt(day int, dept, no, subject string) domain.Reception {
	return domain.Reception{Time: time.Date(2025, 5, day, 0, 0, 0, 0, time.UTC), Dept: dept, No: no, Procedure: "転入届", SubjectID: subject, SourceLine: day + 1}
}

func receptionRows(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.AllReception(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s %s %s %s", r.Time.Format("01/02"), r.Dept, r.No, r.SubjectID))
	}
	return strings.Join(out, ", ")
}

// TestReceptionVersions: an import replaces, for each 所属 of its file,
// the stored rows of the days the file spans; the same file again adds
// nothing; another 所属's or month's rows stay; --replace starts over.
// Every import is recorded in master_import with its audit entry.
func TestReceptionVersions(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	imp := func(rows []domain.Reception, file string, replace bool) ReceptionImport {
		t.Helper()
		ri, err := s.ImportReception(ctx, rows, MasterImport{Kind: "reception", File: file, SHA256: file, Read: len(rows), Accepted: len(rows)}, replace,
			func(ri ReceptionImport) *Audit {
				return &Audit{User: "点検 太郎", Action: "master.reception.import", Target: file, After: map[string]any{"file": file, "replaced": ri.Replaced}}
			})
		if err != nil {
			t.Fatal(err)
		}
		return ri
	}
	may := []domain.Reception{rcpt(1, "市民課", "1", "A"), rcpt(1, "市民課", "1", "B"), rcpt(2, "税務課", "7", "C"), rcpt(30, "市民課", "2", "D")}
	if ri := imp(may, "5月.csv", false); ri.Replaced != 0 || ri.From.Day() != 1 || ri.To.Day() != 30 {
		t.Fatalf("first import %+v", ri)
	}
	want := "05/01 市民課 1 A, 05/01 市民課 1 B, 05/02 税務課 7 C, 05/30 市民課 2 D"
	if got := receptionRows(t, s); got != want {
		t.Fatalf("rows %s", got)
	}
	// The same file again: replaced by itself, nothing added.
	if ri := imp(may, "5月.csv", false); ri.Replaced != 4 {
		t.Fatalf("re-import replaced %d, want 4", ri.Replaced)
	}
	if got := receptionRows(t, s); got != want {
		t.Fatalf("rows after re-import %s", got)
	}
	// 市民課's corrected May (row B removed, D's number fixed; written
	// with a full-width space in the 所属): 税務課 stays.
	fixed := []domain.Reception{rcpt(1, "市民課", "1", "A"), rcpt(30, "市民　課", "3", "D")}
	if ri := imp(fixed, "5月訂正.csv", false); ri.Replaced != 3 {
		t.Fatalf("correction replaced %d, want 3", ri.Replaced)
	}
	if got := receptionRows(t, s); got != "05/01 市民課 1 A, 05/02 税務課 7 C, 05/30 市民　課 3 D" {
		t.Fatalf("rows after correction %s", got)
	}
	// June is added beside May.
	june := []domain.Reception{{Time: time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC), HasClock: true, Dept: "市民課", SubjectID: "E", StaffID: "T1"}}
	if ri := imp(june, "6月.csv", false); ri.Replaced != 0 {
		t.Fatalf("June replaced %d", ri.Replaced)
	}
	// A bounded read: June only, with its clock.
	got, err := s.Reception(ctx, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(got) != 1 || !got[0].HasClock || got[0].Time.Hour() != 9 || got[0].StaffID != "T1" {
		t.Fatalf("June %+v %v", got, err)
	}
	got, err = s.Reception(ctx, time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC))
	if err != nil || len(got) != 1 || got[0].SubjectID != "C" {
		t.Fatalf("2 May %+v %v", got, err)
	}
	// Starting over.
	if ri := imp(june, "6月.csv", true); ri.Replaced != 4 {
		t.Fatalf("replace removed %d, want 4", ri.Replaced)
	}
	if got := receptionRows(t, s); got != "06/02 市民課  E" {
		t.Fatalf("rows after replace %s", got)
	}

	imports, err := s.AllMasterImports(ctx)
	if err != nil || len(imports) != 5 || imports[4].Mode != "replace" || imports[3].Mode != "merge" {
		t.Fatalf("master imports %+v %v", imports, err)
	}
	log, err := s.AuditLog(ctx)
	if err != nil || len(log) != 5 {
		t.Fatalf("audit %+v %v", log, err)
	}
	var after map[string]any
	if err := json.Unmarshal([]byte(log[2].After), &after); err != nil || after["replaced"] != float64(3) || log[2].Action != "master.reception.import" {
		t.Errorf("audit of the correction %+v", log[2])
	}
	mv, err := s.MasterVersions(ctx)
	if err != nil || mv[4].Kind != "reception" || mv[4].Rows != 1 || mv[4].Import == nil || mv[4].Import.File != "6月.csv" {
		t.Errorf("master versions %+v %v", mv, err)
	}
}

func TestDeptKey(t *testing.T) {
	for _, c := range [][2]string{{"市民課", "市民課"}, {" 市民 課　", "市民課"}, {"ＩＴ推進課", "it推進課"}} {
		if got := DeptKey(c[0]); got != c[1] {
			t.Errorf("DeptKey(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}
