// Package colmap maps the column headers that municipal systems write
// (操作日時, 職員番号, 宛名コード …) to Tenken's canonical fields, for logs and
// masters alike: headers are compared after NFKC folding with spaces and
// brackets removed, each column gets a confidence, and a missing or
// ambiguous required field is an error that says which columns were seen.
package colmap

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"tenken/internal/privacy"
)

// Field describes one canonical field and the headers that mean it.
type Field struct {
	Name     string   // canonical name, e.g. "staff_id"
	Label    string   // Japanese label for messages, e.g. "職員ID"
	Headers  []string // synonyms as written in DOMAIN.md
	Required bool
}

// Column is one mapped column.
type Column struct {
	Index      int     // 0-based column index in the record
	Header     string  // the header as written in the file
	Field      string  // canonical field name
	Confidence float64 // 1 = exact synonym; lower = partial match
}

// Mapping is the result of mapping a header row.
type Mapping struct {
	Columns []Column       // mapped columns, in column order
	byField map[string]int // field → index into Columns
	Headers []string       // every header of the row, as written
}

// Index returns the column index of field, or -1 when it is not mapped.
func (m *Mapping) Index(field string) int {
	if i, ok := m.byField[field]; ok {
		return m.Columns[i].Index
	}
	return -1
}

// Has reports whether field is mapped.
func (m *Mapping) Has(field string) bool { return m.Index(field) >= 0 }

// Header returns the header text of the column mapped to field ("" if none).
func (m *Mapping) Header(field string) string {
	if i, ok := m.byField[field]; ok {
		return m.Columns[i].Header
	}
	return ""
}

// String describes the mapping for the import record, e.g.
// "操作日時→time, 職員ID→staff_id".
func (m *Mapping) String() string {
	parts := make([]string, 0, len(m.Columns))
	for _, c := range m.Columns {
		s := c.Header + "→" + c.Field
		if c.Confidence < 1 {
			s += fmt.Sprintf("(%.0f%%)", c.Confidence*100)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// Normalize folds a header for comparison: NFKC (full-width → ASCII,
// half-width kana → full-width), lower case, and spaces, brackets, quotes
// and underscores removed. Bracketed text is kept (日時(JST) → 日時jst);
// Map also tries it with bracketed text removed.
func Normalize(h string) string {
	h = norm.NFKC.String(h)
	var b strings.Builder
	for _, r := range h {
		switch {
		case unicode.IsSpace(r), strings.ContainsRune("()[]{}<>「」『』【】〔〕〈〉《》\"'_・:：", r):
			continue
		case r == '\ufeff':
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// stripBracketed removes bracketed parts: 日時(JST) → 日時.
func stripBracketed(h string) string {
	h = norm.NFKC.String(h)
	var b strings.Builder
	depth := 0
	for _, r := range h {
		switch r {
		case '(', '[', '【', '「', '〔', '<', '〈':
			depth++
			continue
		case ')', ']', '】', '」', '〕', '>', '〉':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return Normalize(b.String())
}

// MissingError says that a required field has no column, or that several
// columns claim it.
type MissingError struct {
	Missing   []Field  // required fields with no column
	Ambiguous []string // messages about fields claimed by several columns
	Headers   []string // the headers seen
}

func (e *MissingError) Error() string {
	var b strings.Builder
	if len(e.Missing) > 0 {
		var names []string
		for _, f := range e.Missing {
			names = append(names, fmt.Sprintf("%s（例: %s）", f.Label, strings.Join(firstN(f.Headers, 3), "・")))
		}
		fmt.Fprintf(&b, "必要な列が見つかりません: %s。", strings.Join(names, "、"))
	}
	for _, a := range e.Ambiguous {
		b.WriteString(a)
	}
	fmt.Fprintf(&b, "見つかった見出し: %s。見出し行の名前を直すか、取り込み設定（プロファイル）で列を指定してください。", quoteList(e.Headers))
	return b.String()
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// QuoteHeaders lists headers for a message: 「日時」「職員ID」…, numbers
// that could identify a resident masked.
func QuoteHeaders(hs []string) string { return quoteList(hs) }

func quoteList(hs []string) string {
	if len(hs) == 0 {
		return "（なし）"
	}
	q := make([]string, len(hs))
	for i, h := range hs {
		// The row taken for headers may be a data row: mask numbers that
		// could identify a resident.
		q[i] = "「" + privacy.MaskNumbers(h) + "」"
	}
	return strings.Join(q, "")
}

// Map maps a header row onto fields. Each column goes to at most one field
// and each field to at most one column, best confidence first; ties go to
// the leftmost column. A required field that is missing, or claimed by two
// columns with the same best confidence, is a *MissingError.
func Map(headers []string, fields []Field) (*Mapping, error) {
	type cand struct {
		col   int
		field int
		conf  float64
	}
	var cands []cand
	for ci, h := range headers {
		n, s := Normalize(h), stripBracketed(h)
		if n == "" || isMyNumber(n) {
			continue
		}
		for fi, f := range fields {
			best := 0.0
			for _, syn := range f.Headers {
				ns := Normalize(syn)
				switch {
				case n == ns:
					best = max(best, 1)
				case s == ns:
					best = max(best, 0.9)
				case len([]rune(ns)) >= 2 && strings.HasSuffix(n, ns):
					// e.g. 最終操作日時 ends with 操作日時
					best = max(best, 0.6)
				}
			}
			if best > 0 {
				cands = append(cands, cand{ci, fi, best})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].conf != cands[j].conf {
			return cands[i].conf > cands[j].conf
		}
		return cands[i].col < cands[j].col
	})
	m := &Mapping{byField: map[string]int{}, Headers: headers}
	usedCol := map[int]bool{}
	chosen := map[int]cand{}
	var ambiguous []string
	for _, c := range cands {
		if usedCol[c.col] {
			continue
		}
		if prev, ok := chosen[c.field]; ok {
			if prev.conf == c.conf && fields[c.field].Required && c.conf == 1 {
				ambiguous = append(ambiguous, fmt.Sprintf("%sの列が複数あります（「%s」と「%s」）。", fields[c.field].Label, headers[prev.col], headers[c.col]))
			}
			continue
		}
		chosen[c.field] = c
		usedCol[c.col] = true
	}
	var missing []Field
	for fi, f := range fields {
		if _, ok := chosen[fi]; !ok && f.Required {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 || len(ambiguous) > 0 {
		return nil, &MissingError{Missing: missing, Ambiguous: ambiguous, Headers: headers}
	}
	cols := make([]cand, 0, len(chosen))
	for _, c := range chosen {
		cols = append(cols, c)
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].col < cols[j].col })
	for _, c := range cols {
		m.byField[fields[c.field].Name] = len(m.Columns)
		m.Columns = append(m.Columns, Column{Index: c.col, Header: headers[c.col], Field: fields[c.field].Name, Confidence: c.conf})
	}
	return m, nil
}

// Score counts how many of fields a header row maps (used to find the
// header row below title rows).
func Score(headers []string, fields []Field) int {
	m, err := Map(headers, withoutRequired(fields))
	if err != nil {
		return 0
	}
	n := 0
	for _, c := range m.Columns {
		if c.Confidence >= 0.9 {
			n++
		}
	}
	return n
}

func withoutRequired(fields []Field) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		f.Required = false
		out[i] = f
	}
	return out
}

// isMyNumber reports whether a normalized header names the 個人番号 (My
// Number). Such a column is never mapped, so Tenken never stores it: the
// PPC guideline forbids keeping 特定個人情報 in the records used to check
// its handling.
func isMyNumber(n string) bool {
	if n == Normalize("個人番号以外の識別子") {
		return false
	}
	return strings.Contains(n, "個人番号") || strings.Contains(n, "マイナンバー") || n == "mynumber"
}

// MapAll maps what it can and never fails: required fields are treated as
// optional. Previews use it to show a partial mapping with its gaps.
func MapAll(headers []string, fields []Field) *Mapping {
	m, err := Map(headers, withoutRequired(fields))
	if err != nil {
		return &Mapping{byField: map[string]int{}, Headers: headers}
	}
	return m
}

// FromColumns builds a Mapping from columns chosen elsewhere (a saved
// profile). Each field must appear at most once; the columns are kept in
// column order.
func FromColumns(headers []string, cols []Column) *Mapping {
	cs := append([]Column(nil), cols...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Index < cs[j].Index })
	m := &Mapping{Columns: cs, byField: map[string]int{}, Headers: headers}
	for i, c := range cs {
		m.byField[c.Field] = i
	}
	return m
}
