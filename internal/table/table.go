// Package table gives the importers (logs and masters) one row source over
// the two file types towns hand over: delimited text (CSV/TSV in any of the
// encodings csvin detects) and Excel workbooks (.xlsx, first sheet or a
// chosen one, read as a stream through github.com/xuri/excelize/v2).
package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"tenken/internal/csvin"
	"tenken/internal/domain"
)

// Row is one row of a table.
type Row struct {
	Line   int      // 1-based physical line (CSV) or row number (xlsx)
	Fields []string // reused by the next call to Next: copy to keep
	Raw    string   // the row as written (CSV) or its cells joined by commas (xlsx)
}

// Source yields the rows of one file. Next returns io.EOF at the end. A row
// that cannot be read is returned with a *csvin.ParseError (Row then
// carries Line and Raw), and the next call continues after it.
type Source interface {
	Next() (Row, error)
	// Encoding is the Japanese label of how the file was read, e.g.
	// "Shift_JIS (CP932)" or "Excel (.xlsx)"; final once Next returned io.EOF.
	Encoding() string
	// Delimiter is the Japanese label of the delimiter ("" for xlsx).
	Delimiter() string
	// Sheets lists the workbook's sheets (nil for text files); Sheet is
	// the one being read.
	Sheets() []string
	Sheet() string
	// BytesRead is how far into the file reading has come, for progress
	// against the file size (for xlsx, an estimate).
	BytesRead() int64
	Close() error
}

// Options chooses what to read.
type Options struct {
	Sheet string // xlsx: sheet name; "" = the first sheet
}

// Open opens the file at path as a Source, by its content (an .xlsx is a
// ZIP archive whatever its name).
func Open(path string, opt Options) (Source, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, OpenError(name, err)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		f.Close()
		return openXLSX(path, name, opt)
	}
	if bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		f.Close()
		return nil, &domain.Error{Code: "xls", Message: fmt.Sprintf("%s: 古い Excel 形式（.xls）には対応していません。Excel で「Excel ブック（.xlsx）」か「CSV（コンマ区切り）」形式で保存し直してください。", name)}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, OpenError(name, err)
	}
	rd, err := csvin.NewReader(f, csvin.Config{})
	if err != nil {
		f.Close()
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: ファイルを読めません: %v", name, err), Err: err}
	}
	return &csvSource{rd: rd, f: f}, nil
}

// FromCSV wraps a csvin.Reader (the caller keeps ownership of its input).
func FromCSV(rd *csvin.Reader) Source { return &csvSource{rd: rd} }

// OpenError is the Japanese error for a file that cannot be opened or read.
func OpenError(name string, err error) error {
	msg := fmt.Sprintf("%s: ファイルを開けません。", name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		msg = fmt.Sprintf("%s: ファイルが見つかりません。パスを確認してください。", name)
	case errors.Is(err, os.ErrPermission):
		msg = fmt.Sprintf("%s: ファイルを読む権限がありません。", name)
	}
	return &domain.Error{Code: "open", Message: msg, Err: err}
}

type csvSource struct {
	rd *csvin.Reader
	f  *os.File
}

func (s *csvSource) Next() (Row, error) {
	rec, err := s.rd.Read()
	return Row{Line: rec.Line, Fields: rec.Fields, Raw: rec.Raw}, err
}

func (s *csvSource) Encoding() string  { return s.rd.Encoding().Label() }
func (s *csvSource) Delimiter() string { return DelimiterLabel(s.rd.Comma()) }
func (s *csvSource) Sheets() []string  { return nil }
func (s *csvSource) Sheet() string     { return "" }
func (s *csvSource) BytesRead() int64  { return s.rd.BytesRead() }
func (s *csvSource) Close() error {
	if s.f != nil {
		return s.f.Close()
	}
	return nil
}

// DelimiterLabel names a delimiter in Japanese.
func DelimiterLabel(c rune) string {
	switch c {
	case ',':
		return "カンマ"
	case '\t':
		return "タブ"
	case ';':
		return "セミコロン"
	}
	return fmt.Sprintf("「%c」", c)
}

// XLSXLabel is the Encoding label of an Excel workbook.
const XLSXLabel = "Excel (.xlsx)"

type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	sheets []string
	sheet  string
	line   int
	width  int // cells of the widest row so far
	size   int64
	fields []string
}

func openXLSX(path, name string, opt Options) (Source, error) {
	// Raw values: a date cell then reads as its serial number (45383.5),
	// which jpdate understands, instead of a display format that depends
	// on the PC's locale.
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルを読めません（壊れているか、パスワード付きの可能性があります）: %v", name, err), Err: err}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &domain.Error{Code: "empty", Message: fmt.Sprintf("%s: シートがありません。", name)}
	}
	sheet := sheets[0]
	if opt.Sheet != "" {
		sheet = ""
		for _, s := range sheets {
			if s == opt.Sheet {
				sheet = s
			}
		}
		if sheet == "" {
			f.Close()
			return nil, &domain.Error{Code: "no_sheet", Message: fmt.Sprintf("%s: シート「%s」がありません。あるシート: %s", name, opt.Sheet, strings.Join(sheets, "、"))}
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: シート「%s」を読めません: %v", name, sheet, err), Err: err}
	}
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	return &xlsxSource{f: f, rows: rows, sheets: sheets, sheet: sheet, size: size}, nil
}

func (s *xlsxSource) Next() (Row, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return Row{}, err
		}
		return Row{}, io.EOF
	}
	s.line++
	cols, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return Row{Line: s.line}, err
	}
	// excelize drops a row's trailing empty cells; padding rows to the
	// widest row so far (the header, below any title rows) keeps a row
	// whose last cells are empty from looking short.
	s.fields = append(s.fields[:0], cols...)
	if len(cols) > 0 {
		for len(s.fields) < s.width {
			s.fields = append(s.fields, "")
		}
		s.width = max(s.width, len(cols))
	}
	return Row{Line: s.line, Fields: s.fields, Raw: strings.Join(cols, ",")}, nil
}

func (s *xlsxSource) Encoding() string  { return XLSXLabel }
func (s *xlsxSource) Delimiter() string { return "" }
func (s *xlsxSource) Sheets() []string  { return s.sheets }
func (s *xlsxSource) Sheet() string     { return s.sheet }

// BytesRead estimates progress: the workbook is compressed, so rows are
// counted against a guess of 40 bytes of file per row.
func (s *xlsxSource) BytesRead() int64 { return min(int64(s.line)*40, s.size) }

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.f.Close()
}
