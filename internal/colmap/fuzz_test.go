package colmap

import (
	"errors"
	"strings"
	"testing"
)

var fuzzFields = []Field{
	{Name: "time", Label: "日時", Headers: []string{"日時", "操作日時"}},
	{Name: "staff_id", Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "ユーザID"}},
	{Name: "subject_id", Label: "宛名番号", Headers: []string{"宛名番号", "個人番号以外の識別子"}},
	{Name: "action", Label: "操作", Headers: []string{"操作", "イベント"}},
}

// FuzzMap maps arbitrary header rows (cells separated by tabs in the
// input) and checks the mapper's promises: no panic; on success every
// required field is mapped, no column and no field is used twice, indexes
// are in range and in column order, confidences lie in (0, 1], and no
// 個人番号 column is ever mapped; on failure the error is a *MissingError
// naming the headers seen.
func FuzzMap(f *testing.F) {
	for _, s := range []string{
		"操作日時\t職員ID\t氏名", "日時（JST）\t職員番号\t職員ID", "個人番号\t職員ID", "", "\t\t",
		"最終操作日時\tユーザID\t個人番号以外の識別子", "ＩＤ\t職員ＩＤ\tイベント", "【日時】\t「職員ID」",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		headers := strings.Split(in, "\t")
		m, err := Map(headers, fuzzFields)
		if err != nil {
			var me *MissingError
			if !errors.As(err, &me) {
				t.Fatalf("error %T %v, want *MissingError", err, err)
			}
			if len(me.Missing) == 0 && len(me.Ambiguous) == 0 {
				t.Fatal("MissingError with nothing missing or ambiguous")
			}
			_ = me.Error()
			return
		}
		usedCol := map[int]bool{}
		usedField := map[string]bool{}
		last := -1
		for _, c := range m.Columns {
			if c.Index < 0 || c.Index >= len(headers) || c.Index <= last {
				t.Fatalf("column index %d out of range or order (%d headers)", c.Index, len(headers))
			}
			last = c.Index
			if usedCol[c.Index] || usedField[c.Field] {
				t.Fatalf("column or field used twice: %+v", m.Columns)
			}
			usedCol[c.Index], usedField[c.Field] = true, true
			if c.Confidence <= 0 || c.Confidence > 1 {
				t.Fatalf("confidence %v", c.Confidence)
			}
			if isMyNumber(Normalize(headers[c.Index])) {
				t.Fatalf("個人番号 column %q mapped", headers[c.Index])
			}
			if m.Index(c.Field) != c.Index || m.Header(c.Field) != headers[c.Index] {
				t.Fatalf("lookup of %s disagrees", c.Field)
			}
		}
		for _, fd := range fuzzFields {
			if fd.Required && !m.Has(fd.Name) {
				t.Fatalf("required %s not mapped but no error", fd.Name)
			}
		}
		_ = m.String()
		if Score(headers, fuzzFields) < 0 {
			t.Fatal("negative score")
		}
		all := MapAll(headers, fuzzFields)
		if len(all.Columns) < len(m.Columns)-1 {
			t.Fatalf("MapAll maps fewer columns (%d) than Map (%d)", len(all.Columns), len(m.Columns))
		}
	})
}
