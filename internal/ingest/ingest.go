// Package ingest imports access-log files (CSV/TSV exported by a town's
// systems) into the store: encoding and delimiter detected by csvin, the
// header row found below any title rows and mapped to canonical fields by
// colmap, dates parsed by jpdate (西暦 and 和暦), and every data row either
// accepted, counted as a duplicate, or rejected with its line, column and a
// Japanese reason. One file is one transaction.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/jpdate"
	"tenken/internal/privacy"
	"tenken/internal/profile"
	"tenken/internal/store"
	"tenken/internal/table"
)

// Options configures one import.
type Options struct {
	System string         // system the log belongs to (住民記録, 税務 …); required
	Kind   domain.LogKind // "" = the profile's kind, else detected from the columns
	// Profile maps the columns (and extra action values); nil = auto-map.
	Profile *profile.Profile
	Sheet   string // xlsx: the sheet to read; "" = the profile's, else the first
	// Progress receives bytes read and the file size.
	Progress func(done, total int64)
	// Report receives bytes and rows done; both callbacks may be set.
	Report func(Progress)
	// Source is where the file was read from (an absolute path) and User
	// who imports it; both are recorded with the batch, in its
	// transaction (the log.import audit entry names them).
	Source, User string
}

// Progress is how far an import has come.
type Progress struct {
	Bytes, Total int64 // bytes of the file read, and its size
	Rows         int64 // rows read and stored (accepted, rejected or duplicate)
}

// Result is the outcome of importing one file.
type Result struct {
	Batch           domain.ImportBatch
	Rejects         []domain.Reject // the first MaxRejectsReturned rejects; all are in the store
	AlreadyImported bool            // the same file was imported before; nothing was added
	HeaderLine      int             // physical line of the header row
	Blank           int             // blank lines skipped (not counted as rows)
}

// MaxRejectsReturned caps the rejects returned in Result (all are stored).
const MaxRejectsReturned = 1000

// headerSearchRows is how many records above the header (title rows, blank
// rows) are searched for it.
const headerSearchRows = 30

// batchRows is how many rows the parser hands the writer at a time.
const batchRows = 2048

// ImportFile imports the log file (CSV/TSV in any supported encoding, or
// .xlsx) at path into st. On any error, including cancellation through
// ctx, the store is left exactly as before.
func ImportFile(ctx context.Context, st *store.Store, path string, opt Options) (Result, error) {
	res, err := importFile(ctx, st, path, opt)
	if err != nil && ctx.Err() != nil {
		return Result{}, cancelled(filepath.Base(path), ctx.Err())
	}
	return res, err
}

// plan is how a file will be read: its source positioned after the header
// row, the mapping and the kind.
type plan struct {
	src  table.Source
	hdr  table.Row
	m    *colmap.Mapping
	kind domain.LogKind
	prof *profile.Profile
}

// open opens path and locates and maps its header row. An Excel
// workbook's temporary files go to table.TmpDir(ctx).
func open(ctx context.Context, path string, opt Options) (*plan, error) {
	name := filepath.Base(path)
	sheet := opt.Sheet
	if sheet == "" && opt.Profile != nil {
		sheet = opt.Profile.Sheet
	}
	src, err := table.Open(path, table.Options{Sheet: sheet, TmpDir: table.TmpDir(ctx)})
	if err != nil {
		return nil, err
	}
	mapFn := mapLog
	if opt.Profile != nil {
		mapFn = profileMapper(opt.Profile)
	}
	hdr, m, err := FindHeaderIn(src, name, LogFields, mapFn)
	if err != nil {
		src.Close()
		return nil, err
	}
	kind := opt.Kind
	if kind == "" && opt.Profile != nil {
		kind = opt.Profile.Kind
	}
	if kind == "" {
		kind = DetectKind(m)
	}
	return &plan{src: src, hdr: hdr, m: m, kind: kind, prof: opt.Profile}, nil
}

func importFile(ctx context.Context, st *store.Store, path string, opt Options) (Result, error) {
	name := filepath.Base(path)
	if strings.TrimSpace(opt.System) == "" {
		return Result{}, &domain.Error{Code: "no_system", Message: fmt.Sprintf("%s: システム名を指定してください（例: --system 住民記録）。", name)}
	}
	// The file is read once: its SHA-256 is of the bytes parsed (a file
	// still being written gets the hash of what was imported), known at
	// the end; a file imported before is then found by its hash, and
	// nothing is stored.
	pl, err := open(ctx, path, opt)
	if err != nil {
		return Result{}, err
	}
	defer pl.src.Close()
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size() // an estimate, for progress and the bulk-load choice
	}
	mapping := fmt.Sprintf("見出し %d行目: %s", pl.hdr.Line, pl.m.Describe(LogFields))
	if pl.src.Sheet() != "" {
		mapping = fmt.Sprintf("シート「%s」 %s", pl.src.Sheet(), mapping)
	}
	if opt.Profile != nil {
		mapping += "（取り込み設定を使用）"
	}
	im, err := st.BeginImport(ctx, domain.ImportBatch{
		File: name, Size: size, SHA256: fmt.Sprintf("pending-%d", time.Now().UnixNano()), Encoding: pl.src.Encoding(),
		System: opt.System, Kind: pl.kind, Mapping: mapping,
	})
	if err != nil {
		return Result{}, st.Explain(err)
	}
	im.SetSource(opt.Source, opt.User)
	committed := false
	defer func() {
		if !committed {
			im.Rollback()
		}
	}()

	res := Result{HeaderLine: pl.hdr.Line}
	conv := newConverter(pl.m, opt.System, name, pl.kind, pl.prof)
	conv.seen = newOccurrences(size / minBytesPerRow)
	tPump := time.Now()
	read, err := pump(ctx, pl.src, conv, im, &res, size, opt)
	if err != nil {
		return Result{}, st.Explain(err)
	}
	debugf("pump %v", time.Since(tPump))
	tCommit := time.Now()
	im.SetEncoding(pl.src.Encoding())
	if h, ok := pl.src.(table.Hasher); ok {
		sum, n := h.SHA256()
		im.SetFile(sum, n)
		size = n
	}
	b, err := im.Commit(ctx, read)
	debugf("commit %v", time.Since(tCommit))
	var already *store.AlreadyImportedError
	if errors.As(err, &already) {
		batches, berr := st.Batches(ctx)
		if berr != nil {
			return Result{}, berr
		}
		for _, prev := range batches {
			if prev.ID == already.ID {
				return Result{Batch: prev, AlreadyImported: true}, nil
			}
		}
	}
	if err != nil {
		return Result{}, st.Explain(err)
	}
	committed = true
	if opt.Progress != nil {
		opt.Progress(size, size)
	}
	if opt.Report != nil {
		opt.Report(Progress{Bytes: size, Total: size, Rows: int64(read)})
	}
	batches, err := st.Batches(ctx)
	if err != nil {
		return Result{}, err
	}
	for _, full := range batches {
		if full.ID == b.ID {
			res.Batch = full
		}
	}
	return res, nil
}

// message is one batch from the parser to the writer.
type message struct {
	b     *store.Batch
	read  int   // rows read so far, this batch included
	bytes int64 // bytes read so far
	err   error
}

// pump reads the rows on a parser goroutine, which converts them and fills
// batches, while this goroutine writes the batches: decoding and parsing
// overlap with SQLite's work. It returns the number of rows read.
func pump(ctx context.Context, src table.Source, conv *converter, im *store.Import, res *Result, size int64, opt Options) (int, error) {
	const inFlight = 3
	free := make(chan *store.Batch, inFlight)
	for range inFlight {
		free <- im.NewBatch()
	}
	out := make(chan message, inFlight)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		parse(src, conv, res, free, out, stop)
	}()
	defer func() {
		close(stop)
		<-done
	}()
	read := 0
	var wait time.Duration // the writer idle, waiting for the parser
	t0 := time.Now()
	defer func() { debugf("writer waited %v for the parser", wait) }()
	for msg := range out {
		wait += time.Since(t0)
		if msg.err != nil {
			return 0, msg.err
		}
		if err := im.Write(ctx, msg.b); err != nil {
			return 0, err
		}
		read = msg.read
		if opt.Progress != nil {
			opt.Progress(msg.bytes, size)
		}
		if opt.Report != nil {
			opt.Report(Progress{Bytes: msg.bytes, Total: size, Rows: int64(read)})
		}
		msg.b.Reset()
		free <- msg.b
		t0 = time.Now()
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return read, nil
}

// parse runs on the parser goroutine. It owns res.Rejects and res.Blank
// until it returns.
func parse(src table.Source, conv *converter, res *Result, free <-chan *store.Batch, out chan<- message, stop <-chan struct{}) {
	var b *store.Batch
	select {
	case b = <-free:
	case <-stop:
		return
	}
	send := func(m message) bool {
		select {
		case out <- m:
			return true
		case <-stop:
			return false
		}
	}
	read := 0
	reject := func(r domain.Reject) {
		r.Reason = privacy.MaskMyNumber(r.Reason)
		r.Raw = maskRaw(r.Raw)
		if len(res.Rejects) < MaxRejectsReturned {
			r.Raw = strings.Clone(r.Raw)
			res.Rejects = append(res.Rejects, r)
		}
		b.Reject(r)
	}
	var ev domain.Event
	for {
		row, err := src.Next()
		if err == io.EOF {
			break
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			read++
			reject(domain.Reject{Line: pe.StartLine, Column: strconv.Itoa(pe.Column) + "列目", Reason: pe.Err.Error(), Raw: row.Raw})
		} else if err != nil {
			send(message{err: &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", conv.file, err), Err: err}})
			return
		} else if IsBlank(row.Fields) {
			res.Blank++
			continue
		} else {
			read++
			if rj := conv.event(row, &ev); rj != nil {
				reject(*rj)
			} else {
				b.Add(&ev, conv.fingerprint(&ev))
			}
		}
		if b.Len() >= batchRows {
			if !send(message{b: b, read: read, bytes: src.BytesRead()}) {
				return
			}
			select {
			case b = <-free:
			case <-stop:
				return
			}
		}
	}
	send(message{b: b, read: read, bytes: src.BytesRead()})
}

// maskRaw hides any 個人番号 in a rejected row's text before it is kept
// or shown.
func maskRaw(s string) string { return privacy.MaskMyNumber(s) }

// debugf prints timings of the import's phases on stderr when
// TENKEN_DEBUG is set, for measuring (see BenchmarkImportVsSQLite).
func debugf(format string, a ...any) {
	if os.Getenv("TENKEN_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, format+"\n", a...)
	}
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, OpenError(filepath.Base(path), err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, OpenError(filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// HashFile returns the SHA-256 (hex) and size of a file.
func HashFile(path string) (string, int64, error) { return hashFile(path) }

// OpenError is the Japanese error for a file that cannot be opened or read.
func OpenError(name string, err error) error { return table.OpenError(name, err) }

func cancelled(name string, err error) error {
	return &domain.Error{Code: "cancelled", Message: fmt.Sprintf("%s の取り込みを中止しました。データベースは取り込み前の状態のままです。", name), Err: err}
}

// IsBlank reports whether every cell of a record is empty or white space
// (",,," counts as blank, like an empty line). Logs and masters share it.
func IsBlank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// FindHeader reads records until one maps every required field (as mapFn
// decides); title rows and blank rows above it are skipped. Logs and masters
// share it.
func FindHeader(rd *csvin.Reader, name string, fields []colmap.Field, mapFn func([]string) (*colmap.Mapping, error)) (csvin.Record, *colmap.Mapping, error) {
	row, m, err := FindHeaderIn(table.FromCSV(rd), name, fields, mapFn)
	return csvin.Record{Line: row.Line, EndLine: row.Line, Fields: row.Fields, Raw: row.Raw}, m, err
}

// FindHeaderIn is FindHeader over any table source (CSV or xlsx).
func FindHeaderIn(src table.Source, name string, fields []colmap.Field, mapFn func([]string) (*colmap.Mapping, error)) (table.Row, *colmap.Mapping, error) {
	hdr, m, best, err := locateHeader(src, name, fields, mapFn)
	if err != nil {
		return table.Row{}, nil, err
	}
	if m != nil {
		return hdr, m, nil
	}
	if best == nil {
		return table.Row{}, nil, &domain.Error{Code: "empty", Message: fmt.Sprintf("%s: データがありません（空のファイルか、見出し行がありません）。", name)}
	}
	_, err = mapFn(best.Fields)
	return table.Row{}, nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 見出し行を判別できませんでした。%v", name, err), Err: err}
}

// locateHeader reads up to headerSearchRows rows for the header. It
// returns the header row and its mapping, or, when no row maps, the row
// that came closest (nil for a file without data). When no row maps and
// the first record that is not blank could not be read at all (more
// columns than the reader takes, a line longer than it takes, a NUL byte),
// that is the file's problem, and the error says so with its line and
// reason rather than "no data".
func locateHeader(src table.Source, name string, fields []colmap.Field, mapFn func([]string) (*colmap.Mapping, error)) (hdr table.Row, m *colmap.Mapping, best *table.Row, err error) {
	var first *csvin.ParseError // the first non-blank record, when unreadable
	seen := false
	defer func() {
		if err == nil && m == nil && first != nil {
			err = &domain.Error{Code: "header_unreadable", Message: fmt.Sprintf("%s: 見出しの行を読めません。%s", name, first.Error()), Err: first}
		}
	}()
	bestScore := -1
	for i := 0; i < headerSearchRows; i++ {
		row, err := src.Next()
		if err == io.EOF {
			break
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			if !seen {
				first, seen = pe, true
			}
			continue
		}
		if err != nil {
			return row, nil, nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", name, err), Err: err}
		}
		if IsBlank(row.Fields) {
			continue
		}
		seen = true
		row.Fields = append([]string(nil), row.Fields...)
		m, err := mapFn(row.Fields)
		if err == nil {
			return row, m, nil, nil
		}
		if s := colmap.Score(row.Fields, fields); s > bestScore {
			r := row
			best, bestScore = &r, s
		}
	}
	return table.Row{}, nil, best, nil
}

// mapLog maps a header row to the log fields and checks that a time is
// given either in one column or as 日付 + 時刻.
func mapLog(headers []string) (*colmap.Mapping, error) {
	m, err := colmap.Map(headers, LogFields)
	if err != nil {
		return nil, err
	}
	if !m.Has(FieldTime) && !m.Has(FieldDate) {
		return nil, &colmap.MissingError{Missing: []colmap.Field{LogFields[0]}, Headers: headers}
	}
	return m, nil
}

// profileMapper maps a header row by a saved profile: every column the
// profile names must be there (compared after the same folding as
// auto-mapping).
func profileMapper(p *profile.Profile) func([]string) (*colmap.Mapping, error) {
	return func(headers []string) (*colmap.Mapping, error) {
		byNorm := map[string]int{}
		for i, h := range headers {
			if n := colmap.Normalize(h); n != "" {
				if _, dup := byNorm[n]; !dup {
					byNorm[n] = i
				}
			}
		}
		var cols []colmap.Column
		var missing []string
		for _, h := range sortedKeys(p.Columns) {
			f := p.Columns[h]
			i, ok := byNorm[colmap.Normalize(h)]
			if !ok {
				if f != "" {
					missing = append(missing, fmt.Sprintf("「%s」（%s）", h, profile.FieldLabel(f)))
				}
				continue
			}
			if f != "" {
				cols = append(cols, colmap.Column{Index: i, Header: headers[i], Field: f, Confidence: 1})
			}
		}
		if len(missing) > 0 {
			return nil, &ProfileMismatchError{System: p.System, Missing: missing, Headers: headers}
		}
		return colmap.FromColumns(headers, cols), nil
	}
}

// ProfileMismatchError says that a file lacks columns its system's profile
// names.
type ProfileMismatchError struct {
	System  string
	Missing []string
	Headers []string
}

func (e *ProfileMismatchError) Error() string {
	return fmt.Sprintf("取り込み設定（%s）で指定した列がありません: %s。見つかった見出し: %s。ファイルの列の名前が変わった場合は、tenken profile save で取り込み設定を作り直してください。",
		e.System, strings.Join(e.Missing, "、"), colmap.QuoteHeaders(e.Headers))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DetectKind says what kind of log a mapping reads: mail logs carry 宛先 or
// attachments, 資産管理 (endpoint) logs carry イベント, デバイス or
// ファイル名 rather than residents.
func DetectKind(m *colmap.Mapping) domain.LogKind {
	switch {
	case m.Has(FieldMailTo) || m.Has(FieldAttachment) || strings.Contains(m.Header(FieldAttachSize), "添付"):
		return domain.KindMail
	case m.Has(FieldDevice):
		return domain.KindEndpoint
	case m.Has(FieldFile) && !m.Has(FieldSubjectID):
		return domain.KindEndpoint
	case m.Has(FieldAction) && colmap.Normalize(m.Header(FieldAction)) == "イベント" && !m.Has(FieldSubjectID):
		return domain.KindEndpoint
	}
	return domain.KindAccess
}

// converter turns records into events under one mapping.
type converter struct {
	m                                                          *colmap.Mapping
	system, file                                               string
	kind                                                       domain.LogKind
	actions                                                    map[string]domain.Action // profile's extra action values, normalised
	iTime, iDate, iClock, iStaff, iName, iTerm, iSys, iFunc    int
	iAct, iSubj, iRec, iRes, iDev, iFile, iMail, iAttach, need int
	iSize, iSeq                                                int
	seen                                                       *occurrences
	actionOf                                                   map[string]domain.Action // cache of ActionFor
	idCols                                                     []int                    // columns checked for a 個人番号
}

func newConverter(m *colmap.Mapping, system, file string, kind domain.LogKind, p *profile.Profile) *converter {
	c := &converter{m: m, system: system, file: file, kind: kind,
		iTime: m.Index(FieldTime), iDate: m.Index(FieldDate), iClock: m.Index(FieldClock),
		iStaff: m.Index(FieldStaffID), iName: m.Index(FieldStaffName), iTerm: m.Index(FieldTerminal),
		iSys: m.Index(FieldSystem), iFunc: m.Index(FieldFunction), iAct: m.Index(FieldAction),
		iSubj: m.Index(FieldSubjectID), iRec: m.Index(FieldRecords), iRes: m.Index(FieldResult),
		iDev: m.Index(FieldDevice), iFile: m.Index(FieldFile), iMail: m.Index(FieldMailTo), iAttach: m.Index(FieldAttachment),
		iSize: m.Index(FieldAttachSize), iSeq: m.Index(FieldSeq),
		seen: newOccurrences(0), actionOf: map[string]domain.Action{},
	}
	if p != nil && len(p.Actions) > 0 {
		c.actions = map[string]domain.Action{}
		for v, a := range p.Actions {
			c.actions[colmap.Normalize(v)] = a
		}
	}
	for _, col := range m.Columns {
		c.need = max(c.need, col.Index+1)
		switch col.Field {
		case FieldTime, FieldDate, FieldClock, FieldRecords, FieldAttachSize, FieldSeq:
		default:
			c.idCols = append(c.idCols, col.Index)
		}
	}
	return c
}

// MyNumberReason is the reject reason of a row that holds a 個人番号.
const MyNumberReason = "個人番号と思われる12桁の番号（検査用数字が合う番号）があります。Tenkenは個人番号を保存しないため、この行は取り込みません。システムの出力設定で個人番号を出力しないようにしてから、取り込み直してください（ほかの12桁の番号が偶然当てはまることもあります）。"

// myNumberColumn returns the column of the row that holds a 個人番号, -1
// when none does. Every mapped column is checked but the times and counts.
func (c *converter) myNumberColumn(f []string) int {
	for _, i := range c.idCols {
		if i < len(f) && len(f[i]) >= 12 && privacy.IsMyNumber(strings.TrimSpace(f[i])) {
			return i
		}
	}
	return -1
}

// minBytesPerRow turns a file's size into a generous row estimate (a log
// row is rarely shorter), to size the occurrence set once.
const minBytesPerRow = 50

func cell(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

// footerWords start the summary rows some systems append (合計, 以上).
var footerWords = []string{"合計", "以上", "計", "total", "end"}

func (c *converter) reject(row table.Row, col int, reason string) *domain.Reject {
	column := ""
	if col >= 0 && col < len(c.m.Headers) {
		column = c.m.Headers[col]
	}
	return &domain.Reject{Line: row.Line, Column: column, Reason: reason, Raw: row.Raw}
}

// action maps an action text. A log repeats a handful of values, so the
// answers are cached (a bounded number: free text must not grow memory).
func (c *converter) action(raw string) domain.Action {
	if a, ok := c.actionOf[raw]; ok {
		return a
	}
	a := ActionFor(raw, c.kind, c.actions)
	if len(c.actionOf) < 4096 {
		c.actionOf[strings.Clone(raw)] = a
	}
	return a
}

// event converts one row into ev, or returns why it is rejected.
func (c *converter) event(row table.Row, ev *domain.Event) *domain.Reject {
	f := row.Fields
	if len(f) < c.need && isFooter(f) {
		return c.footer(row)
	}
	if len(f) < c.need {
		return c.reject(row, len(f), fmt.Sprintf("列が足りません（%d列。見出しは%d列）。行が途中で切れていないか確認してください。", len(f), len(c.m.Headers)))
	}
	if len(f) > len(c.m.Headers) {
		for i := len(c.m.Headers); i < len(f); i++ {
			if strings.TrimSpace(f[i]) != "" {
				return c.reject(row, -1, fmt.Sprintf("列が多すぎます（%d列。見出しは%d列）。値の中の「,」が引用符（\"）で囲まれているか確認してください。", len(f), len(c.m.Headers)))
			}
		}
	}
	if col := c.myNumberColumn(f); col >= 0 {
		return c.reject(row, col, MyNumberReason)
	}
	*ev = domain.Event{}
	var err error
	switch {
	case c.iTime >= 0:
		ev.Time, err = jpdate.ParseDateTime(cell(f, c.iTime))
		if err != nil && isFooter(f) {
			return c.footer(row)
		}
		if err != nil {
			return c.reject(row, c.iTime, err.Error())
		}
	case c.iClock >= 0:
		ev.Time, err = jpdate.Combine(cell(f, c.iDate), cell(f, c.iClock))
		if err != nil && isFooter(f) {
			return c.footer(row)
		}
		if err != nil {
			col := c.iDate
			if _, derr := jpdate.ParseDate(cell(f, c.iDate)); derr == nil {
				col = c.iClock
			}
			return c.reject(row, col, err.Error())
		}
	default:
		ev.Time, err = jpdate.ParseDateTime(cell(f, c.iDate))
		if err != nil && isFooter(f) {
			return c.footer(row)
		}
		if err != nil {
			return c.reject(row, c.iDate, err.Error())
		}
	}
	ev.StaffID = csvin.Fold(cell(f, c.iStaff))
	if ev.StaffID == "" {
		return c.reject(row, c.iStaff, "職員IDが空です。")
	}
	ev.StaffName = cell(f, c.iName)
	ev.Terminal = csvin.Fold(cell(f, c.iTerm))
	ev.System = c.system
	if s := cell(f, c.iSys); s != "" && c.iSys >= 0 {
		ev.Function = s
	}
	if fn := cell(f, c.iFunc); fn != "" {
		if ev.Function != "" {
			ev.Function += " / " + fn
		} else {
			ev.Function = fn
		}
	}
	ev.RawAction = cell(f, c.iAct)
	switch {
	case c.iAct >= 0:
		ev.Action = c.action(ev.RawAction)
	case c.kind == domain.KindMail:
		ev.Action = domain.ActionMailSend
	default:
		ev.Action = c.action(ev.Function)
	}
	ev.SubjectID = csvin.Fold(cell(f, c.iSubj))
	if s := cell(f, c.iRec); s != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(csvin.Fold(s), ",", ""), 10, 64)
		if err != nil || n < 0 {
			return c.reject(row, c.iRec, fmt.Sprintf("件数「%s」が数値ではありません。", s))
		}
		ev.Records = n
	}
	ev.Result = cell(f, c.iRes)
	ev.Device = cell(f, c.iDev)
	ev.File = cell(f, c.iFile)
	ev.Attachment = cell(f, c.iAttach)
	if s := cell(f, c.iSize); s != "" {
		n, ok := ParseSize(s)
		if !ok {
			return c.reject(row, c.iSize, fmt.Sprintf("添付サイズ「%s」が読めません（例: 12345、1.5MB、300KB）。", s))
		}
		ev.AttachSize = n
	}
	ev.MailTo = cell(f, c.iMail)
	if s := cell(f, c.iSeq); s != "" {
		n, ok := ParseSeq(s)
		if !ok {
			return c.reject(row, c.iSeq, fmt.Sprintf("通番「%s」が整数として読めません。通番の列には 0 以上の整数（例: 12345、1,234）だけを入れてください。", s))
		}
		ev.Seq = n
	}
	ev.Kind = c.kind
	ev.Line = row.Line
	return nil
}

// ParseSeq reads a log's running number (通番) after NFKC folding:
// full-width digits, thousands separators (1,234 or 1 234) and leading
// zeros are accepted; a sign, a fraction, letters or a value beyond
// int64 are not. 0 is a number like any other, but an event stores it as
// "no 通番" (domain.Event.Seq).
func ParseSeq(s string) (int64, bool) {
	t := csvin.Fold(strings.TrimSpace(s))
	if strings.IndexByte(t, ',') >= 0 || strings.IndexByte(t, ' ') >= 0 {
		t = strings.NewReplacer(",", "", " ", "").Replace(t)
	}
	if t == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// ParseSize reads a size in bytes as mail logs write it: 12345, 12,345,
// 300KB, 1.5 MB, 2GB (K/M/G are powers of 1024, as Windows shows them).
func ParseSize(s string) (int64, bool) {
	t := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(csvin.Fold(s), ",", ""), " ", ""))
	t = strings.TrimSuffix(t, "バイト")
	mult := 1.0
	for _, u := range []struct {
		suffix string
		m      float64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.m
			break
		}
	}
	if t == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*mult > 1<<50 || v != v {
		return 0, false
	}
	return int64(v*mult + 0.5), true
}

// isFooter reports whether a row that is not a log row looks like the
// summary row some systems append (合計 123件, 以上).
func isFooter(f []string) bool {
	first := colmap.Normalize(firstNonEmpty(f))
	for _, w := range footerWords {
		if strings.HasPrefix(first, w) {
			return true
		}
	}
	return false
}

func (c *converter) footer(row table.Row) *domain.Reject {
	return c.reject(row, -1, "集計行（合計・以上など）のため取り込み対象外です。")
}

func firstNonEmpty(f []string) string {
	for _, s := range f {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// FNV-1a, 64 bit, written out so that hashing a row allocates nothing;
// the values equal hash/fnv's New64a over the same bytes (fingerprints
// stored by earlier versions stay comparable).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	h ^= 0 // the separator byte
	return h * fnvPrime
}

func fnvInt(h uint64, v int64) uint64 {
	for i := 0; i < 8; i++ {
		h ^= uint64(byte(v >> (8 * i)))
		h *= fnvPrime
	}
	return h
}

// fingerprint identifies an event for duplicate detection across
// overlapping exports. Identical rows within one file (two lookups of the
// same resident in the same second) are real events, so the n-th identical
// row of a file gets its own fingerprint; the same rows in an overlapping
// export then collide with the stored ones and count as duplicates.
func (c *converter) fingerprint(e *domain.Event) int64 {
	h := uint64(fnvOffset)
	for _, s := range [...]string{e.System, e.StaffID, e.Terminal, e.Function, e.RawAction, e.SubjectID, e.Result, e.Device, e.File, e.MailTo} {
		h = fnvString(h, s)
	}
	h = fnvInt(h, e.Time.Unix())
	h = fnvInt(h, e.Records)
	if e.Attachment != "" || e.AttachSize != 0 {
		// Only mail rows carry these; access-log fingerprints stay as
		// they were before the fields existed.
		h = fnvString(h, e.Attachment)
		h = fnvInt(h, e.AttachSize)
	}
	if e.Seq != 0 {
		// Two rows that differ only in 通番 are two rows (a log that
		// repeats a line under a new number is a LOG_GAP sign, not a
		// duplicate); rows without one keep their old fingerprints.
		h = fnvInt(h, e.Seq)
	}
	if n := c.seen.next(h); n > 0 {
		h = fnvInt(h, int64(n))
	}
	return int64(h)
}
