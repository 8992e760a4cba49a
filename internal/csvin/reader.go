// Package csvin reads the CSV and TSV files that Japanese municipal systems
// and Excel export (access logs, staff and permission masters), streaming,
// tolerant of what real exports do, and with exact positions for errors.
//
// Encoding. NewReader looks at the first 64 KiB and chooses UTF-8 (with or
// without BOM), UTF-16 (Excel's 「Unicode テキスト」) or CP932 (Shift_JIS as
// Windows writes it, NEC/IBM extensions included); see DetectEncoding.
// When that head holds no complete non-ASCII character the choice between
// UTF-8 and CP932 is deferred to the first non-ASCII byte, wherever it is,
// so a 10M-row log whose first Japanese text appears late is still read
// correctly. Input is decoded to UTF-8 on the fly, block by block; invalid
// bytes become U+FFFD and are counted (InvalidBytes). When the encoding was
// detected (not forced by Config.Encoding), a record holding such bytes is
// rejected with ErrInvalidEncoding instead of being returned garbled: the
// detection follows the majority of the file, and a row saved in another
// encoding must be fixed, not imported as 文字化け.
//
// Delimiter. Unless Config.Comma is set, the delimiter is the one of
// comma, tab and semicolon that appears (outside quotes) the same number of
// times on most of the first lines; ties go to the comma, or to the tab for
// UTF-16 files.
//
// Parsing follows RFC 4180 and accepts what real exports do:
//   - newlines are LF, CRLF or a lone CR, also mixed; a physical line is
//     what ends at one of them, and line numbers count physical lines;
//   - quoted fields may hold delimiters, newlines (kept as written) and
//     doubled quotes ("" → ");
//   - a quote inside an unquoted field is kept literally (QuirkStrayQuote);
//   - text after a closing quote ("abc"def) is kept, together with that
//     quote, and the field continues unquoted up to the next delimiter:
//     the value is abc"def (QuirkTextAfterQuote). A quote inside a quoted
//     field therefore always ends the quoted part unless it is doubled, so
//     an unescaped quote cannot swallow the following lines;
//   - rows may have any number of fields; empty trailing fields are kept.
//
// Speed. Parsing works on large decoded blocks with no per-byte interface
// call; a record costs one string allocation (shared by its Fields and
// Raw) plus one more only when a quoted field held doubled quotes. The
// Fields slice itself is reused between calls.
//
// Blank lines are returned as records with no fields (Record.Blank), so the
// caller can account for every physical line: the records and errors
// returned by Read cover the lines 1..n without gap or overlap (each starts
// at the line after the previous one's EndLine).
//
// Errors in a record are returned as *ParseError together with the
// record's Line, EndLine and Raw, and reading continues with the next
// record:
//   - NUL byte: the record is parsed to its end as usual and rejected.
//   - Bytes undecodable in a detected encoding: likewise, with an
//     *EncodingError (errors.Is ErrInvalidEncoding) naming the line.
//   - Field longer than MaxFieldBytes, record longer than MaxRecordBytes,
//     or more than MaxFields fields: the rest of the physical line is
//     skipped without being stored; reading resumes on the next line.
//   - Unclosed quote: when a quoted field reaches the end of the input, or
//     grows past MaxFieldBytes (or the record past MaxRecordBytes), the
//     record is ended at the end of the line where the quote opened, and
//     reading resumes on the line after it; the text after that line is
//     parsed again, not lost. (If the opening line itself has no end within
//     the limit, the rest of that line is skipped as for an over-long
//     line.) Memory stays bounded by the limits whatever the input.
package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Defaults for the limits in Config.
const (
	DefaultMaxFieldBytes  = 1 << 20 // 1 MiB
	DefaultMaxFields      = 10000
	DefaultMaxRecordBytes = 8 << 20 // 8 MiB
)

// RawLimit caps Record.Raw, in bytes; longer records are cut at a
// character boundary and marked RawTruncated.
const RawLimit = 4096

const (
	sniffSize   = 64 << 10  // bytes looked at to detect encoding and delimiter
	rawBufSize  = 128 << 10 // undecoded input buffer
	textBufSize = 256 << 10 // decoded (UTF-8) buffer
	minRoom     = 16        // decoders need a few bytes of room to progress
)

// Config tunes a Reader. The zero value detects everything and uses the
// default limits.
type Config struct {
	// Comma is the field delimiter; 0 detects it among ',', '\t' and ';'.
	// It must be an ASCII character other than '"', CR, LF and NUL.
	Comma rune
	// Encoding forces the input encoding (for a user's override when the
	// detection is wrong); "" detects it. A BOM matching the forced
	// encoding is still removed.
	Encoding Encoding
	// MaxFieldBytes limits one field, measured in decoded UTF-8 bytes as
	// written in the file (quotes included); 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int
	// MaxFields limits the number of fields of one record; 0 means
	// DefaultMaxFields.
	MaxFields int
	// MaxRecordBytes limits one record in decoded bytes; 0 means
	// DefaultMaxRecordBytes. It is raised to MaxFieldBytes if smaller.
	MaxRecordBytes int
}

// Quirk flags how a record departed from RFC 4180 and was read anyway, so
// an importer can mention it without rejecting the row.
type Quirk uint8

// Quirks.
const (
	// QuirkStrayQuote: a quote inside an unquoted field, kept literally.
	QuirkStrayQuote Quirk = 1 << iota
	// QuirkTextAfterQuote: text between a closing quote and the next
	// delimiter ("abc"def), kept with the quote.
	QuirkTextAfterQuote
)

// Record is one record (row) of the file.
type Record struct {
	// Line is the 1-based physical line where the record starts; EndLine
	// the line where it ends (greater than Line when a quoted field holds
	// newlines, or when an unclosed quote was resynchronised).
	Line, EndLine int
	// Fields are the field values. The slice is reused by the next call to
	// Read (the strings are not): copy the slice to keep it. Nil for a blank
	// line and for a record returned with a *ParseError.
	Fields []string
	// Raw is the record's decoded text as written in the file (quotes,
	// delimiters and inner newlines included, final newline excluded), cut
	// to at most RawLimit bytes.
	Raw string
	// RawTruncated says Raw was cut.
	RawTruncated bool
	// Quirks notes tolerated irregularities.
	Quirks Quirk
}

// Blank reports whether the record is an empty physical line.
func (r Record) Blank() bool { return len(r.Fields) == 0 }

// span locates one field value in Reader.rec (or Reader.esc when esc).
type span struct {
	a, b int
	esc  bool
}

// Reader reads records from delimited text. It is not safe for concurrent
// use.
type Reader struct {
	src   io.Reader
	nread int64
	err   error // sticky read error

	enc        Encoding
	pending    bool // only ASCII seen so far: UTF-8 vs CP932 still open
	strict     bool // reject records with undecodable bytes (encoding detected)
	needDetect bool // pending decoding stopped at a non-ASCII byte
	invalid    int64

	comma                        byte
	maxField, maxFields, maxRecd int

	raw        []byte // undecoded input: raw[rawR:rawW] not yet decoded
	rawR, rawW int
	rawEOF     bool

	buf     []byte // decoded UTF-8: buf[r:w] not yet parsed
	r, w    int
	bufSize int

	line int // physical line of the next unparsed byte

	rec       []byte // the current record as written, from its first byte
	esc       []byte // unescaped values of quoted fields that held ""
	spans     []span
	fields    []string
	truncated bool // bytes of the current record were skipped, not stored

	plain  [256]bool // bytes that end a run in an unquoted field
	quoted [256]bool // bytes that end a run in a quoted field
}

// NewReader returns a Reader for src. It reads the first 64 KiB at once to
// detect the encoding and the delimiter (nothing is lost: those bytes are
// parsed like the rest). It fails on a read error, on a bad Config
// (ErrBadConfig) and on an Excel workbook (ErrExcelFile).
func NewReader(src io.Reader, cfg Config) (*Reader, error) {
	return newReader(src, cfg, rawBufSize, textBufSize)
}

// newReader is NewReader with the buffer sizes as parameters, so tests can
// push every boundary case through tiny buffers.
func newReader(src io.Reader, cfg Config, rawSize, bufSize int) (*Reader, error) {
	if cfg.Comma != 0 && (cfg.Comma >= utf8.RuneSelf || cfg.Comma == '"' || cfg.Comma == '\r' || cfg.Comma == '\n') {
		return nil, fmt.Errorf("%w区切り文字 %q は使えません。ASCII の記号（, やタブなど）を指定してください。", ErrBadConfig, cfg.Comma)
	}
	if cfg.Encoding != "" && !cfg.Encoding.valid() {
		return nil, fmt.Errorf("%w文字コード %q には対応していません。", ErrBadConfig, string(cfg.Encoding))
	}
	if cfg.MaxFieldBytes < 0 || cfg.MaxFields < 0 || cfg.MaxRecordBytes < 0 {
		return nil, fmt.Errorf("%w上限値に負の数は指定できません。", ErrBadConfig)
	}
	r := &Reader{
		src:       src,
		line:      1,
		maxField:  cfg.MaxFieldBytes,
		maxFields: cfg.MaxFields,
		maxRecd:   cfg.MaxRecordBytes,
		raw:       make([]byte, max(rawSize, minRoom)),
		buf:       make([]byte, max(bufSize, 2*minRoom)),
		bufSize:   max(bufSize, 2*minRoom),
	}
	if r.maxField == 0 {
		r.maxField = DefaultMaxFieldBytes
	}
	if r.maxFields == 0 {
		r.maxFields = DefaultMaxFields
	}
	if r.maxRecd == 0 {
		r.maxRecd = DefaultMaxRecordBytes
	}
	r.maxRecd = max(r.maxRecd, r.maxField)

	headLen := min(sniffSize, len(r.raw))
	for r.rawW < headLen && !r.rawEOF {
		r.readRaw()
	}
	if r.err != nil {
		return nil, r.err
	}
	head := r.raw[:r.rawW]
	if isExcel(head) {
		return nil, ErrExcelFile
	}

	enc := cfg.Encoding
	if enc == "" {
		r.strict = true
		enc = detect(head, r.rawEOF)
		if enc == UTF8 && !r.rawEOF {
			// Nothing but ASCII (and perhaps a character cut off at the
			// end): decide at the first non-ASCII byte instead.
			_, sure := detectText(head, false)
			r.pending = !sure
		}
	}
	switch enc {
	case UTF8, UTF8BOM:
		enc = UTF8
		if bytes.HasPrefix(head, bomUTF8) {
			enc, r.rawR = UTF8BOM, len(bomUTF8)
		}
	case UTF16LE:
		if bytes.HasPrefix(head, bomUTF16LE) {
			r.rawR = len(bomUTF16LE)
		}
	case UTF16BE:
		if bytes.HasPrefix(head, bomUTF16BE) {
			r.rawR = len(bomUTF16BE)
		}
	}
	r.enc = enc

	if cfg.Comma != 0 {
		r.comma = byte(cfg.Comma)
	} else {
		for r.w < min(sniffSize, len(r.buf)/2) && r.fill() {
		}
		if r.err != nil {
			return nil, r.err
		}
		complete := r.rawEOF && r.rawR == r.rawW
		r.comma = sniffComma(r.buf[r.r:r.w], complete, enc == UTF16LE || enc == UTF16BE)
	}
	for _, c := range []byte{r.comma, '"', '\n', '\r', 0} {
		r.plain[c] = true
	}
	for _, c := range []byte{'"', '\n', '\r', 0} {
		r.quoted[c] = true
	}
	return r, nil
}

// isExcel recognises the two Excel workbook formats by their magic numbers:
// .xlsx is a ZIP archive, .xls an OLE2 compound document.
func isExcel(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
}

// Encoding returns the detected (or configured) encoding. For a file whose
// first 64 KiB are pure ASCII it reports UTF8 until the first non-ASCII
// byte has been read, and may then change to CP932; it is final once Read
// has returned io.EOF.
func (r *Reader) Encoding() Encoding { return r.enc }

// Comma returns the delimiter in use.
func (r *Reader) Comma() rune { return rune(r.comma) }

// BytesRead returns how many bytes have been consumed from the underlying
// reader, for a progress bar against the file size. It runs up to a few
// hundred KiB ahead of the records returned, because input is read in
// large blocks.
func (r *Reader) BytesRead() int64 { return r.nread }

// InvalidBytes returns how many input bytes (or byte pairs, or UTF-16
// units) could not be decoded and were replaced by U+FFFD so far: non-zero
// means 文字化け, usually a wrong encoding or a damaged file. With a
// detected encoding the records holding them are rejected
// (ErrInvalidEncoding); with a forced one they are returned as they are.
func (r *Reader) InvalidBytes() int64 { return r.invalid }

// readRaw reads once from src into raw, after moving the undecoded bytes to
// the front.
func (r *Reader) readRaw() {
	if r.rawR > 0 {
		r.rawW = copy(r.raw, r.raw[r.rawR:r.rawW])
		r.rawR = 0
	}
	if r.rawW == len(r.raw) || r.rawEOF {
		return
	}
	for range 100 {
		n, err := r.src.Read(r.raw[r.rawW:])
		if n < 0 || n > len(r.raw)-r.rawW {
			r.err, r.rawEOF = errors.New("csvin: 入力の読み込みで不正な長さが返されました。"), true
			return
		}
		r.rawW += n
		r.nread += int64(n)
		if err == io.EOF {
			r.rawEOF = true
			return
		}
		if err != nil {
			r.err, r.rawEOF = err, true
			return
		}
		if n > 0 {
			return
		}
	}
	r.err, r.rawEOF = io.ErrNoProgress, true
}

// decode converts raw input to UTF-8 with the current encoding.
func (r *Reader) decode(dst, src []byte, atEOF bool) (nDst, nSrc, bad int) {
	if r.pending {
		n := min(len(src), len(dst))
		i := 0
		for i < n && src[i] < utf8.RuneSelf {
			i++
		}
		copy(dst, src[:i])
		if i < n {
			r.needDetect = true
		}
		return i, i, 0
	}
	switch r.enc {
	case CP932:
		return decodeCP932(dst, src, atEOF)
	case UTF16LE:
		return decodeUTF16(dst, src, atEOF, false)
	case UTF16BE:
		return decodeUTF16(dst, src, atEOF, true)
	}
	return decodeUTF8(dst, src, atEOF)
}

// resolvePending decides UTF-8 vs CP932 at the first non-ASCII byte, from
// up to 64 KiB of input starting there.
func (r *Reader) resolvePending() {
	r.needDetect = false
	for r.rawW-r.rawR < min(sniffSize, len(r.raw)) && !r.rawEOF {
		r.readRaw()
	}
	r.enc, _ = detectText(r.raw[r.rawR:r.rawW], r.rawEOF)
	r.pending = false
}

// fill decodes more input into buf, keeping buf[r:w]. It reports whether
// anything was added; false means end of input or a read error (r.err).
func (r *Reader) fill() bool {
	if r.r > 0 {
		r.w = copy(r.buf, r.buf[r.r:r.w])
		r.r = 0
	}
	if r.w == 0 && len(r.buf) > 2*r.bufSize {
		r.buf = make([]byte, r.bufSize) // give back what a pushBack grew
	}
	if len(r.buf)-r.w < minRoom {
		nb := make([]byte, r.w+r.bufSize)
		copy(nb, r.buf[:r.w])
		r.buf = nb
	}
	for r.err == nil {
		if r.rawR < r.rawW || r.rawEOF {
			nDst, nSrc, bad := r.decode(r.buf[r.w:], r.raw[r.rawR:r.rawW], r.rawEOF)
			r.w += nDst
			r.rawR += nSrc
			r.invalid += int64(bad)
			if nDst > 0 {
				return true
			}
			if r.needDetect {
				r.resolvePending()
				continue
			}
			if r.rawEOF {
				return false
			}
		}
		r.readRaw()
	}
	return false
}

// pushBack puts decoded text in front of the unparsed input, to parse it
// again after an unclosed quote. p must not alias buf.
func (r *Reader) pushBack(p []byte) {
	if len(p) == 0 {
		return
	}
	if r.r >= len(p) {
		r.r -= len(p)
		copy(r.buf[r.r:], p)
		return
	}
	unread := r.w - r.r
	if need := len(p) + unread + minRoom; need > len(r.buf) {
		nb := make([]byte, need+r.bufSize)
		copy(nb[len(p):], r.buf[r.r:r.w])
		r.buf = nb
	} else {
		copy(r.buf[len(p):], r.buf[r.r:r.w])
	}
	copy(r.buf, p)
	r.r, r.w = 0, len(p)+unread
}

// Parser states.
const (
	stField  = iota // at the first byte of a field
	stPlain         // in an unquoted field, or after text following a closing quote
	stQuoted        // inside quotes
	stSkip          // discarding the rest of a physical line after an error
)

// Read returns the next record. At the end of the input it returns io.EOF.
// A record that cannot be read is returned with a *ParseError (the Record
// then carries Line, EndLine and Raw but no Fields) and the next call
// continues after it. Any other error comes from the underlying reader and
// is returned again by every later call; a record cut short by it is not
// returned.
func (r *Reader) Read() (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	if r.r >= r.w && !r.fill() {
		if r.err != nil {
			return Record{}, r.err
		}
		return Record{}, io.EOF
	}
	return r.readRecord()
}

// readRecord parses one record; buf holds at least one byte.
func (r *Reader) readRecord() (Record, error) {
	if cap(r.rec) > 4*r.bufSize || cap(r.esc) > 4*r.bufSize {
		r.rec, r.esc = nil, nil // give back what an over-long record grew
	}
	r.rec, r.esc, r.spans, r.truncated = r.rec[:0], r.esc[:0], r.spans[:0], false
	start := r.line
	var (
		perr      *ParseError
		quirks    Quirk
		state     = stField
		cStart    int  // current field's content in rec
		eStart    int  // ... and in esc, when fieldEsc
		fieldEsc  bool // the current field's value is built in esc
		openPos   int  // the opening quote's offset in rec
		openLine  int  // ... and its line
		plainSet  = &r.plain
		quotedSet = &r.quoted
	)
	for {
		if r.r >= r.w && !r.fill() {
			if r.err != nil {
				return Record{}, r.err
			}
			switch state {
			case stQuoted:
				perr = r.errAt(r.before(perr, openLine), start, openLine, ErrUnclosedQuote)
				end := r.line
				if r.resync(openPos, openLine) {
					end = openLine
				}
				return r.failed(start, end, perr)
			case stSkip:
				return r.failed(start, r.line, perr)
			}
			if !r.addField(cStart, len(r.rec), fieldEsc, eStart) {
				perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
			}
			return r.finish(start, r.line, quirks, perr)
		}

		switch state {
		case stField:
			if r.buf[r.r] == '"' {
				openPos, openLine = len(r.rec), r.line
				r.rec = append(r.rec, '"')
				r.r++
				cStart = len(r.rec)
				state = stQuoted
			} else {
				state = stPlain
			}

		case stPlain:
			b := r.buf[r.r:r.w]
			i := 0
			for i < len(b) && !plainSet[b[i]] {
				i++
			}
			if i > 0 {
				r.rec = append(r.rec, b[:i]...)
				if fieldEsc {
					r.esc = append(r.esc, b[:i]...)
				}
				r.r += i
			}
			// Checked on every pass, not only after a run: stray quotes
			// and NULs are appended one by one below.
			if len(r.rec)-cStart > r.maxField || len(r.rec) > r.maxRecd {
				perr = r.errAt(perr, start, r.line, r.sizeError(len(r.rec)-cStart > r.maxField, false))
				state = stSkip
				continue
			}
			if i == len(b) {
				continue
			}
			switch c := b[i]; c {
			case '\n', '\r':
				if !r.addField(cStart, len(r.rec), fieldEsc, eStart) {
					perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
				}
				end := r.line
				r.consumeNewline()
				return r.finish(start, end, quirks, perr)
			case '"', 0:
				if c == '"' {
					quirks |= QuirkStrayQuote
				} else {
					perr = r.errAt(perr, start, r.line, ErrNUL)
				}
				r.rec = append(r.rec, c)
				if fieldEsc {
					r.esc = append(r.esc, c)
				}
				r.r++
			default: // the delimiter
				if !r.addField(cStart, len(r.rec), fieldEsc, eStart) {
					perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
					state = stSkip
					continue
				}
				r.rec = append(r.rec, c)
				r.r++
				cStart, fieldEsc, state = len(r.rec), false, stField
			}

		case stQuoted:
			b := r.buf[r.r:r.w]
			i := 0
			for i < len(b) && !quotedSet[b[i]] {
				i++
			}
			if i > 0 {
				r.rec = append(r.rec, b[:i]...)
				if fieldEsc {
					r.esc = append(r.esc, b[:i]...)
				}
				r.r += i
			}
			// Checked on every pass: newlines and doubled quotes are
			// appended one by one below.
			if len(r.rec)-cStart > r.maxField || len(r.rec) > r.maxRecd {
				perr = r.errAt(r.before(perr, openLine), start, openLine, r.sizeError(len(r.rec)-cStart > r.maxField, true))
				if r.resync(openPos, openLine) {
					return r.failed(start, openLine, perr)
				}
				state = stSkip
				continue
			}
			if i == len(b) {
				continue
			}
			switch c := b[i]; c {
			case '\n', '\r':
				r.rec = append(r.rec, c)
				if fieldEsc {
					r.esc = append(r.esc, c)
				}
				r.r++
				r.line++
				if c == '\r' && (r.r < r.w || r.fill()) && r.buf[r.r] == '\n' {
					r.rec = append(r.rec, '\n')
					if fieldEsc {
						r.esc = append(r.esc, '\n')
					}
					r.r++
				}
			case 0:
				perr = r.errAt(perr, start, r.line, ErrNUL)
				r.rec = append(r.rec, c)
				if fieldEsc {
					r.esc = append(r.esc, c)
				}
				r.r++
			default: // '"'
				q := len(r.rec)
				r.rec = append(r.rec, '"')
				r.r++
				if r.r >= r.w && !r.fill() {
					if r.err != nil {
						return Record{}, r.err
					}
					if !r.addField(cStart, q, fieldEsc, eStart) {
						perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
					}
					return r.finish(start, r.line, quirks, perr)
				}
				switch c := r.buf[r.r]; c {
				case '"': // doubled quote: a literal "
					if !fieldEsc {
						eStart = len(r.esc)
						r.esc = append(r.esc, r.rec[cStart:q]...)
						fieldEsc = true
					}
					r.esc = append(r.esc, '"')
					r.rec = append(r.rec, '"')
					r.r++
				case '\n', '\r':
					if !r.addField(cStart, q, fieldEsc, eStart) {
						perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
					}
					end := r.line
					r.consumeNewline()
					return r.finish(start, end, quirks, perr)
				case r.comma:
					if !r.addField(cStart, q, fieldEsc, eStart) {
						perr = r.errAt(perr, start, r.line, &limitError{err: ErrTooManyFields, limit: r.maxFields, unit: "列"})
						state = stSkip
						continue
					}
					r.rec = append(r.rec, c)
					r.r++
					cStart, fieldEsc, state = len(r.rec), false, stField
				default: // text after the closing quote: keep both
					quirks |= QuirkTextAfterQuote
					if fieldEsc {
						r.esc = append(r.esc, '"')
					}
					state = stPlain
				}
			}

		case stSkip:
			b := r.buf[r.r:r.w]
			i := indexNewline(b)
			n := i
			if i < 0 {
				n = len(b)
			}
			keep := min(n, max(RawLimit-len(r.rec), 0))
			r.rec = append(r.rec, b[:keep]...)
			if keep < n {
				r.truncated = true
			}
			r.r += n
			if i < 0 {
				continue
			}
			end := r.line
			r.consumeNewline()
			return r.failed(start, end, perr)
		}
	}
}

// addField appends the current field's span: rec[cStart:end], or
// esc[eStart:] when the value was unescaped. It reports false, storing
// nothing, when the record already has MaxFields fields.
func (r *Reader) addField(cStart, end int, fieldEsc bool, eStart int) bool {
	if len(r.spans) >= r.maxFields {
		return false
	}
	if fieldEsc {
		r.spans = append(r.spans, span{eStart, len(r.esc), true})
	} else {
		r.spans = append(r.spans, span{cStart, end, false})
	}
	return true
}

// errAt returns prev if set (the first problem of a record is reported),
// else a new ParseError at the current field.
func (r *Reader) errAt(prev *ParseError, start, line int, err error) *ParseError {
	if prev != nil {
		return prev
	}
	return &ParseError{StartLine: start, Line: line, Column: len(r.spans) + 1, Err: err}
}

// before drops an error found after line: when an unclosed quote is
// resynchronised, the lines after the one where it opened are parsed again
// and report their own problems.
func (r *Reader) before(perr *ParseError, line int) *ParseError {
	if perr != nil && perr.Line > line {
		return nil
	}
	return perr
}

// sizeError describes an exceeded size limit.
func (r *Reader) sizeError(field, quoted bool) error {
	e := &limitError{err: ErrRecordTooLong, limit: r.maxRecd, unit: "バイト"}
	if field {
		e.err, e.limit = ErrFieldTooLong, r.maxField
	}
	if quoted {
		e.hint = "引用符（\"）が閉じられていない可能性があります。"
	}
	return e
}

// consumeNewline consumes the LF, CR or CRLF at buf[r] and counts the line.
func (r *Reader) consumeNewline() {
	c := r.buf[r.r]
	r.r++
	r.line++
	if c == '\r' && (r.r < r.w || r.fill()) && r.buf[r.r] == '\n' {
		r.r++
	}
}

// indexNewline returns the index of the first CR or LF in b, or -1.
func indexNewline(b []byte) int {
	i := bytes.IndexByte(b, '\n')
	head := b
	if i >= 0 {
		head = b[:i]
	}
	if j := bytes.IndexByte(head, '\r'); j >= 0 {
		return j
	}
	return i
}

// resync ends a record with an unclosed quote at the end of the line where
// the quote opened and pushes the rest back to be parsed again. It reports
// false when that line has not ended within what was read.
func (r *Reader) resync(openPos, openLine int) bool {
	k := indexNewline(r.rec[openPos:])
	if k < 0 {
		return false
	}
	k += openPos
	next := k + 1
	if r.rec[k] == '\r' {
		switch {
		case next < len(r.rec):
			if r.rec[next] == '\n' {
				next++
			}
		case r.r < r.w || r.fill():
			if r.buf[r.r] == '\n' { // CR LF split between rec and buf
				r.r++
			}
		}
	}
	r.pushBack(r.rec[next:])
	r.rec = r.rec[:k]
	r.line = openLine + 1
	return true
}

// failed returns the record that perr rejects.
func (r *Reader) failed(start, end int, perr *ParseError) (Record, error) {
	rec := Record{Line: start, EndLine: end}
	cut := min(len(r.rec), RawLimit)
	for cut < len(r.rec) && cut > 0 && !utf8.RuneStart(r.rec[cut]) {
		cut--
	}
	rec.Raw = string(r.rec[:cut])
	rec.RawTruncated = cut < len(r.rec) || r.truncated
	return rec, perr
}

var replacement = []byte(string(utf8.RuneError))

// encodingError locates the first undecodable byte of the record in rec:
// its physical line and its field. A U+FFFD written in the file itself is
// indistinguishable from one the decoder put there, so it is taken for a
// bad byte too, but only in a file that has bad bytes: such a character is
// itself the trace of an earlier garbled conversion.
func (r *Reader) encodingError(start int) *ParseError {
	at := bytes.Index(r.rec, replacement)
	line := start
	for i := 0; i < at; i++ {
		switch r.rec[i] {
		case '\n':
			line++
		case '\r':
			line++
			if i+1 < at && r.rec[i+1] == '\n' {
				i++
			}
		}
	}
	col := 0
	for i, sp := range r.spans {
		v := r.rec[sp.a:sp.b]
		if sp.esc {
			v = r.esc[sp.a:sp.b]
		}
		if bytes.Contains(v, replacement) {
			col = i + 1
			break
		}
	}
	return &ParseError{StartLine: start, Line: line, Column: col, Err: &EncodingError{Line: line, Encoding: r.enc}}
}

// finish builds the record from rec, esc and spans.
func (r *Reader) finish(start, end int, quirks Quirk, perr *ParseError) (Record, error) {
	// The decoder runs ahead of the parser, so a record's bad bytes are
	// counted before it ends; the check costs nothing until there is one.
	if perr == nil && r.invalid > 0 && r.strict && bytes.Contains(r.rec, replacement) {
		perr = r.encodingError(start)
	}
	if perr != nil {
		return r.failed(start, end, perr)
	}
	rec := Record{Line: start, EndLine: end, Quirks: quirks}
	if len(r.rec) == 0 {
		return rec, nil // blank line
	}
	s := string(r.rec) // one allocation holds every plain field and Raw
	var e string
	if len(r.esc) > 0 {
		e = string(r.esc)
	}
	fields := r.fields[:0]
	for _, sp := range r.spans {
		if sp.esc {
			fields = append(fields, e[sp.a:sp.b])
		} else {
			fields = append(fields, s[sp.a:sp.b])
		}
	}
	r.fields = fields
	rec.Fields = fields
	rec.Raw = s
	if len(s) > RawLimit {
		cut := RawLimit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		rec.Raw, rec.RawTruncated = strings.Clone(s[:cut]), true
	}
	return rec, nil
}
