package master

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/jpdate"
	"tenken/internal/privacy"
	"tenken/internal/table"
)

// ReceptionFields are the columns of the 受付簿 (DOMAIN.md "Masters"). The
// day of a 受付 comes from 受付日時 or 受付日 ("time"), or failing those
// from 申請日 or 届出日 ("applied"): a register may carry both, and then
// the day the window received it is the one that counts. A separate
// 受付時刻 column ("clock") completes a date-only 受付日.
var ReceptionFields = []colmap.Field{
	{Name: "time", Label: "受付日（日時）", Headers: []string{"受付日時", "受付日", "受付年月日", "受付日付"}},
	{Name: "applied", Label: "申請日", Headers: []string{"申請日", "届出日", "申請日時", "届出日時", "申請年月日", "届出年月日"}},
	{Name: "clock", Label: "受付時刻", Headers: []string{"受付時刻", "受付時間", "時刻"}},
	{Name: "no", Label: "受付番号", Headers: []string{"受付番号", "受付No", "受付NO", "受付№", "整理番号", "受付ID"}},
	{Name: "dept", Label: "所属", Required: true, Headers: []string{"所属", "窓口", "受付窓口", "担当課", "受付課", "所属課", "課名", "担当窓口", "部署"}},
	{Name: "procedure", Label: "手続名", Headers: []string{"手続名", "手続", "手続き", "手続き名", "届出種別", "申請種別", "申請内容", "届出内容", "手続種別"}},
	{Name: "subject", Label: "宛名番号", Required: true, Headers: []string{"宛名番号", "宛名コード", "対象者番号", "住民番号", "対象者ID", "個人番号以外の識別子"}},
	{Name: "staff", Label: "受付者ID", Headers: []string{"受付者ID", "受付者", "担当者ID", "受付職員ID", "受付者コード", "担当者", "担当職員ID"}},
}

// receptionFooterWords start the summary rows a register may end with.
var receptionFooterWords = []string{"合計", "総計", "小計", "計", "以上", "件数"}

// ReadReception parses a 受付簿 file (CSV in any encoding the importer
// reads, or .xlsx): 受付日時 or 受付日 (西暦, 和暦, Excel serials,
// full-width digits), 受付番号, 所属, 手続名, 宛名番号 and 受付者ID. Every
// data row is accepted or rejected with its line, column and reason.
//
// Registers kept in Excel often merge the 受付日 and 所属 cells of one
// day's rows; saved as CSV, only the first row of such a group carries
// them. A row whose 受付日 or 所属 is blank therefore takes it from the
// accepted row above (counted in Result.FilledDown); the first row of the
// file has nothing above it and is rejected. A summary row at the end
// (合計, 以上) is rejected as such. Resident numbers never appear in the
// reasons.
func ReadReception(ctx context.Context, path string) (*Result, error) {
	return readFile(ctx, path, readReception)
}

func readReception(ctx context.Context, name string, src table.Source) (*Result, error) {
	t, err := openSheet(src, name, ReceptionFields)
	if err != nil {
		return nil, err
	}
	if !t.m.Has("time") && !t.m.Has("applied") {
		return nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 受付日（受付日時・受付日・申請日・届出日のいずれか）の列が必要です。見つかった見出し: %s", t.name, privacy.MaskNumbers(strings.Join(t.m.Headers, "、"))),
			Err: &colmap.MissingError{Missing: []colmap.Field{ReceptionFields[0]}, Headers: t.m.Headers}}
	}
	rd := &receptionReader{sheet: t, dayField: "time", seen: map[receptionKey]int{}}
	if !t.m.Has("time") {
		rd.dayField = "applied"
	}
	res := t.result()
	err = t.each(ctx, res, func(rec table.Row, get func(string) string) *domain.Reject {
		r, filled, rj := rd.row(rec, get)
		if rj != nil {
			// A summary row (合計 25件, 以上) fails like a broken row; say
			// what it is. Only failing rows are looked at, so a 所属 such
			// as 計画課 in the first cell of a good row is never taken
			// for one.
			if receptionFooter(rec.Fields) {
				return t.reject(rec, rd.dayField, "集計行（合計・以上など）のため取り込み対象外です。")
			}
			return rj
		}
		if filled {
			res.FilledDown++
		}
		res.Reception = append(res.Reception, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// receptionReader reads the rows of one 受付簿 in order. It remembers the
// last 受付日 and 所属 written in a row (accepted or not) for the blank
// cells of merged groups below it: a group whose first row is rejected
// must not take the day of the group before.
type receptionReader struct {
	*sheet
	dayField  string // "time", or "applied" when the file has no 受付日
	seen      map[receptionKey]int
	lastDay   time.Time // midnight of the last 受付日 written
	lastDayOK bool      // lastDay holds the day above (false after an unreadable one)
	badLine   int       // the line of that unreadable 受付日, if any
	lastDept  string
}

// receptionKey identifies a 受付 for the duplicate check within a file.
// One 受付番号 may cover several residents (a family's 転入届), so the
// resident and the procedure are part of it.
type receptionKey struct{ dept, day, no, subject, procedure string }

// row reads one row; filled says whether a blank 受付日 or 所属 was taken
// from the rows above.
func (rd *receptionReader) row(rec table.Row, get func(string) string) (r domain.Reception, filled bool, rj *domain.Reject) {
	r = domain.Reception{No: csvin.Fold(get("no")), Dept: get("dept"), Procedure: get("procedure"),
		SubjectID: csvin.Fold(get("subject")), StaffID: csvin.Fold(get("staff")), SourceLine: rec.Line}
	dayCell, clockCell := get(rd.dayField), get("clock")
	var day time.Time
	switch {
	case dayCell != "":
		var withClock bool
		day, withClock, rj = rd.day(rec, dayCell, clockCell)
		if rj != nil {
			rd.lastDayOK, rd.badLine = false, rec.Line
			return r, false, rj
		}
		rd.lastDay, rd.lastDayOK, rd.badLine = domain.DateOf(day), true, 0
		if withClock {
			r.Time, r.HasClock = day, true
		}
	case rd.lastDayOK:
		day, filled = rd.lastDay, true
	case rd.badLine > 0:
		return r, false, rd.reject(rec, rd.dayField, fmt.Sprintf("「%s」が空です。結合セルとして上の行から補うところですが、%d行目の日付が読めないため補えません。%d行目を直してください。", rd.m.Header(rd.dayField), rd.badLine, rd.badLine))
	default:
		return r, false, rd.reject(rec, rd.dayField, fmt.Sprintf("「%s」が空です。", rd.m.Header(rd.dayField)))
	}
	switch {
	case r.Dept != "":
		rd.lastDept = r.Dept
	case rd.lastDept != "":
		r.Dept, filled = rd.lastDept, true
	default:
		return r, false, rd.reject(rec, "dept", "所属（窓口）が空です。")
	}
	if r.SubjectID == "" {
		return r, false, rd.reject(rec, "subject", "宛名番号が空です。照合には受付した住民の宛名番号が必要です。")
	}
	if !r.HasClock {
		r.Time = day
		if clockCell != "" {
			h, m, sec, err := jpdate.ParseClock(clockCell)
			if err != nil {
				return r, false, rd.reject(rec, "clock", err.Error())
			}
			r.Time = day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
			r.HasClock = true
		}
	}
	if r.No != "" {
		k := receptionKey{nameKey(r.Dept), r.Time.Format(time.DateOnly), r.No, r.SubjectID, r.Procedure}
		if line, dup := rd.seen[k]; dup {
			return r, false, rd.reject(rec, "no", fmt.Sprintf("%d行目と同じ受付です（所属・受付日・受付番号・宛名番号・手続名が同じ）。重複した行を削除してください。", line))
		}
		rd.seen[k] = rec.Line
	}
	return r, filled, nil
}

// day reads a 受付日 or 受付日時 cell: a date alone gives midnight and
// withClock false; a date with a time gives that time, and then a
// separate 受付時刻 must be blank.
func (rd *receptionReader) day(rec table.Row, dayCell, clockCell string) (t time.Time, withClock bool, rj *domain.Reject) {
	if d, err := jpdate.ParseDate(dayCell); err == nil {
		return d, false, nil
	}
	dt, err := jpdate.ParseDateTime(dayCell)
	if err != nil {
		return time.Time{}, false, rd.reject(rec, rd.dayField, err.Error())
	}
	if clockCell != "" {
		return time.Time{}, false, rd.reject(rec, "clock", fmt.Sprintf("「%s」の列に時刻があるのに、「%s」の列にも時刻があります。どちらか一方にしてください。", rd.m.Header(rd.dayField), rd.m.Header("clock")))
	}
	return dt, true, nil
}

// receptionFooter reports whether a row is the summary a register ends
// with: its first non-empty cell starts with 合計, 以上 and the like.
func receptionFooter(fields []string) bool {
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			n := colmap.Normalize(f)
			for _, w := range receptionFooterWords {
				if strings.HasPrefix(n, w) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// nameKey folds a department name for comparison as the rules do: NFKC,
// no white space, lower case.
func nameKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(csvin.Fold(s)), ""))
}
