package csvin

import (
	"errors"
	"fmt"
	"strings"
)

// Errors a ParseError may wrap (test with errors.Is). Their text is the
// Japanese message shown to the user.
var (
	// ErrUnclosedQuote: a quoted field runs to the end of the file.
	ErrUnclosedQuote = errors.New("引用符（\"）が閉じられていません。")
	// ErrFieldTooLong: one field is longer than Config.MaxFieldBytes.
	ErrFieldTooLong = errors.New("項目が長すぎます。")
	// ErrRecordTooLong: one record is longer than Config.MaxRecordBytes.
	ErrRecordTooLong = errors.New("行が長すぎます。")
	// ErrTooManyFields: one record has more than Config.MaxFields fields.
	ErrTooManyFields = errors.New("項目（列）の数が多すぎます。")
	// ErrNUL: the record contains a NUL byte (binary data, or a UTF-16
	// file read as something else).
	ErrNUL = errors.New("NUL 文字（0x00）が含まれています。バイナリファイルか、文字コードの判定誤りの可能性があります。")
	// ErrInvalidEncoding: the record holds bytes that are not valid in the
	// file's detected encoding, typically one row saved in another
	// encoding (a CP932 row in a UTF-8 file). The error a ParseError
	// carries is an *EncodingError that wraps it.
	ErrInvalidEncoding = errors.New("文字コードが他の行と異なります。")
)

// EncodingError says which line of a record is not valid in the file's
// encoding. Its message names the line itself, because an importer shows
// the reason of a rejected row on its own.
type EncodingError struct {
	Line     int
	Encoding Encoding
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("%s%d行目に %s として読めないバイトがあります（この行だけ別の文字コードで保存されたか、壊れている可能性があります）。元のファイルでこの行を直すか、ファイル全体を %s で保存し直してから取り込んでください。",
		ErrInvalidEncoding.Error(), e.Line, e.Encoding.Label(), e.Encoding.Label())
}

func (e *EncodingError) Unwrap() error { return ErrInvalidEncoding }

// Errors NewReader returns for inputs that are not delimited text at all.
var (
	// ErrExcelFile: the input is an Excel workbook (.xlsx or .xls), which
	// users pick by mistake for the CSV they meant.
	ErrExcelFile = errors.New("Excel 形式（.xlsx / .xls）のファイルです。Excel で「CSV（コンマ区切り）」形式で保存し直してから取り込んでください。")
	// ErrBadConfig: the Config cannot be used.
	ErrBadConfig = errors.New("読み込み設定が正しくありません。")
)

// ParseError reports one record that could not be read. The reader has
// already moved past it: the next Read continues with the following record.
//
// StartLine is the physical line (1-based) where the record starts; Line is
// the line where the problem is (for an unclosed quote, the line where the
// quote opened). Column is the 1-based index of the field (列), not a byte
// or character offset, because that is what a user finds in Excel; 0 when
// no field applies.
type ParseError struct {
	StartLine int
	Line      int
	Column    int
	Err       error
}

// Error returns the Japanese message, e.g.
// 「3行目 2列目: 引用符（"）が閉じられていません。」.
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.StartLine != 0 && e.StartLine != e.Line {
		fmt.Fprintf(&b, "%d行目から始まる行の", e.StartLine)
	}
	fmt.Fprintf(&b, "%d行目", e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, " %d列目", e.Column)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause, one of the Err* values (possibly wrapped with
// the limit that was exceeded).
func (e *ParseError) Unwrap() error { return e.Err }

// limitError wraps one of the size errors with the limit, so the message
// tells the user what the limit was while errors.Is still works.
type limitError struct {
	err   error
	limit int
	unit  string
	hint  string
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s（上限 %d %s）。%s", strings.TrimSuffix(e.err.Error(), "。"), e.limit, e.unit, e.hint)
}

func (e *limitError) Unwrap() error { return e.err }
