// Package table gives the importers (logs and masters) one row source over
// the two file types towns hand over: delimited text (CSV/TSV in any of the
// encodings csvin detects) and Excel workbooks (.xlsx, first sheet or a
// chosen one, read as a stream through github.com/xuri/excelize/v2).
package table

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/tmpfiles"
)

type tmpDirKey struct{}

// WithTmpDir returns a context that carries the folder for the temporary
// files of Excel workbooks (Options.TmpDir), so that importers reached
// through several layers read workbooks inside the workspace.
func WithTmpDir(ctx context.Context, dir string) context.Context {
	return context.WithValue(ctx, tmpDirKey{}, dir)
}

// TmpDir returns the folder WithTmpDir put in ctx, "" when none.
func TmpDir(ctx context.Context) string {
	d, _ := ctx.Value(tmpDirKey{}).(string)
	return d
}

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
	// TmpDir is the folder for the temporary files of an Excel workbook
	// (its copy and the sheets excelize unpacks), which hold the file's
	// data in plain text: a workspace's own 0700 folder. "" = a private
	// folder made under the system's temporary folder. Either way the
	// files are removed by Close.
	TmpDir string
}

// Hasher is implemented by the sources Open returns: the SHA-256 (hex)
// and size of the bytes read from the file, which are the bytes parsed
// (the file is read once). For a text file they are final once Next
// returned io.EOF; for a workbook, from Open on (it is copied first).
type Hasher interface {
	SHA256() (sum string, size int64)
}

// Open opens the file at path as a Source, by its content (an .xlsx is a
// ZIP archive whatever its name). Anything that is not a regular file (a
// folder, a named pipe, a device such as /dev/zero) is refused before a
// byte is read: reading one may never end.
func Open(path string, opt Options) (Source, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return nil, OpenError(name, err)
	}
	if err := CheckRegular(name, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, OpenError(name, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, OpenError(name, err)
		}
		return nil, CheckRegular(name, fi)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		defer f.Close()
		return openXLSX(f, name, opt)
	}
	if bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		f.Close()
		return nil, &domain.Error{Code: "xls", Message: fmt.Sprintf("%s: 古い Excel 形式（.xls）には対応していません。Excel で「Excel ブック（.xlsx）」か「CSV（コンマ区切り）」形式で保存し直してください。", name)}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, OpenError(name, err)
	}
	hr := &hashingReader{r: f, h: sha256.New()}
	rd, err := csvin.NewReader(hr, csvin.Config{})
	if err != nil {
		f.Close()
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: ファイルを読めません: %v", name, err), Err: err}
	}
	return &csvSource{rd: rd, f: f, hr: hr}, nil
}

// CheckRegular refuses what is not a regular file, in Japanese naming it.
func CheckRegular(name string, fi os.FileInfo) error {
	if fi.Mode().IsRegular() {
		return nil
	}
	what := "通常のファイルではありません"
	switch {
	case fi.IsDir():
		what = "フォルダです"
	case fi.Mode()&os.ModeNamedPipe != 0:
		what = "名前付きパイプです"
	case fi.Mode()&os.ModeDevice != 0 || fi.Mode()&os.ModeCharDevice != 0:
		what = "デバイスです"
	case fi.Mode()&os.ModeSocket != 0:
		what = "ソケットです"
	}
	return &domain.Error{Code: "not_file", Message: fmt.Sprintf("%s: %s。読み込むと終わらないおそれがあるため、取り込みません。CSV か Excel のファイルを指定してください。", name, what)}
}

// hashingReader hashes and counts the bytes read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	return n, err
}

func (r *hashingReader) sum() (string, int64) { return hex.EncodeToString(r.h.Sum(nil)), r.n }

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
	hr *hashingReader // nil for FromCSV
}

func (s *csvSource) SHA256() (string, int64) {
	if s.hr == nil {
		return "", 0
	}
	return s.hr.sum()
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
	sum    string
	tmp    string // the private folder of the copy and excelize's files
}

// Limits on an Excel workbook, so that a small file that unpacks to
// gigabytes (a zip bomb) is refused in seconds instead of filling memory
// and the disk. Excel itself keeps a cell under 32,767 characters and a
// sheet under 1,048,576 rows.
const (
	// UnzipSizeLimit bounds the workbook's unpacked size (excelize's
	// Options.UnzipSizeLimit, checked here first for a Japanese message).
	UnzipSizeLimit = 1 << 30
	// UnzipXMLSizeLimit is how much of a sheet (or the shared strings)
	// excelize unpacks in memory; a larger part goes to a temporary file
	// in Options.TmpDir.
	UnzipXMLSizeLimit = 16 << 20
	// CellSizeLimit bounds one cell's text (and any other run between two
	// XML tags) in bytes.
	CellSizeLimit = 1 << 20
)

// unzipXMLLimit is UnzipXMLSizeLimit; tests lower it to make excelize
// write its temporary files.
var unzipXMLLimit int64 = UnzipXMLSizeLimit

func openXLSX(f *os.File, name string, opt Options) (src Source, err error) {
	tmp, err := privateDir(opt.TmpDir)
	if err != nil {
		return nil, &domain.Error{Code: "tmp", Message: fmt.Sprintf("%s: Excel ファイルを読むための一時フォルダを作れません: %v", name, err), Err: err}
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	// The workbook is read once, into a private copy while hashing it:
	// what is parsed is exactly what was hashed, even if the original
	// changes meanwhile.
	copyPath := filepath.Join(tmp, "book.xlsx")
	sum, size, err := copyHashed(f, copyPath)
	if err != nil {
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルを読めません: %v", name, err), Err: err}
	}
	if err := checkWorkbook(copyPath, name); err != nil {
		return nil, err
	}
	// Raw values: a date cell then reads as its serial number (45383.5),
	// which jpdate understands, instead of a display format that depends
	// on the PC's locale.
	x, err := excelize.OpenFile(copyPath, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: UnzipSizeLimit, UnzipXMLSizeLimit: unzipXMLLimit, TmpDir: tmp})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, unzipLimitError(name)
		}
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルを読めません（壊れているか、パスワード付きの可能性があります）: %v", name, err), Err: err}
	}
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		x.Close()
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
			x.Close()
			return nil, &domain.Error{Code: "no_sheet", Message: fmt.Sprintf("%s: シート「%s」がありません。あるシート: %s", name, opt.Sheet, strings.Join(sheets, "、"))}
		}
	}
	rows, err := x.Rows(sheet)
	if err != nil {
		x.Close()
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: シート「%s」を読めません: %v", name, sheet, err), Err: err}
	}
	return &xlsxSource{f: x, rows: rows, sheets: sheets, sheet: sheet, size: size, sum: sum, tmp: tmp}, nil
}

// TmpPrefix starts the name of the private folders Open makes for Excel
// workbooks (in Options.TmpDir or the system's temporary folder); it is
// followed by the process's tmpfiles.Tag, so leftovers of a killed
// process can be found and removed (SweepTmp).
const TmpPrefix = "xlsx-"

// privateDir makes a folder only this user can read (0700) under dir (""
// = the system's temporary folder).
func privateDir(dir string) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	d, err := os.MkdirTemp(dir, "tenken-"+TmpPrefix+tmpfiles.Tag()+"-")
	if err != nil {
		return "", err
	}
	return d, os.Chmod(d, 0o700)
}

// SweepTmp removes what killed processes left in dir, a workspace's
// temporary folder: the private folders of Excel workbooks they were
// reading, with the unpacked sheets (residents' data in plain text).
func SweepTmp(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "tenken-"+TmpPrefix) && tmpfiles.Stale(e.Name()) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func copyHashed(f *os.File, to string) (string, int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func unzipLimitError(name string) error {
	return &domain.Error{Code: "xlsx_too_large", Message: fmt.Sprintf("%s: Excel ファイルを展開すると上限（%d MB）を超えるため、読みません（ZIP 爆弾のおそれ）。本物のログなら、Excel で「CSV（コンマ区切り）」形式で保存し直してから取り込んでください。", name, UnzipSizeLimit>>20)}
}

// checkWorkbook looks inside the workbook before excelize does: the
// unpacked size of its parts as declared (archive/zip refuses a part that
// unpacks to more than it declares), and, unpacking the sheets and shared
// strings as a stream, that no cell's text is longer than CellSizeLimit.
// A bomb is refused after reading about a megabyte of it.
func checkWorkbook(path, name string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルを読めません（壊れている可能性があります）: %v", name, err), Err: err}
	}
	defer zr.Close()
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > UnzipSizeLimit {
			return unzipLimitError(name)
		}
	}
	buf := make([]byte, 64<<10)
	for _, zf := range zr.File {
		n := strings.ToLower(zf.Name)
		if !strings.HasPrefix(n, "xl/worksheets/") && n != "xl/sharedstrings.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルの「%s」を読めません: %v", name, zf.Name, err), Err: err}
		}
		run := 0
		for {
			k, err := rc.Read(buf)
			for _, c := range buf[:k] {
				if c == '<' || c == '>' {
					run = 0
					continue
				}
				if run++; run > CellSizeLimit {
					rc.Close()
					return &domain.Error{Code: "xlsx_cell_too_large", Message: fmt.Sprintf("%s: セルの値が上限（%d KB）より長いため、読みません（Excel のセルは 32,767 文字までです。壊れているか、細工されたファイルの可能性があります）。", name, CellSizeLimit>>10)}
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				if errors.Is(err, zip.ErrFormat) {
					return unzipLimitError(name)
				}
				return &domain.Error{Code: "read", Message: fmt.Sprintf("%s: Excel ファイルの「%s」を読めません: %v", name, zf.Name, err), Err: err}
			}
		}
		rc.Close()
	}
	return nil
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

func (s *xlsxSource) SHA256() (string, int64) { return s.sum, s.size }

// Close closes the workbook and removes its private folder (the copy
// and whatever excelize unpacked).
func (s *xlsxSource) Close() error {
	s.rows.Close()
	err := s.f.Close()
	if rerr := os.RemoveAll(s.tmp); err == nil {
		err = rerr
	}
	return err
}
