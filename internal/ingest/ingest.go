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
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/jpdate"
	"tenken/internal/store"
)

// Options configures one import.
type Options struct {
	System   string         // system the log belongs to (住民記録, 税務 …); required
	Kind     domain.LogKind // "" = detect from the columns
	Progress func(done, total int64)
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

// ImportFile imports the log file at path into st. On any error, including
// cancellation through ctx, the store is left exactly as before.
func ImportFile(ctx context.Context, st *store.Store, path string, opt Options) (Result, error) {
	res, err := importFile(ctx, st, path, opt)
	if err != nil && ctx.Err() != nil {
		return Result{}, cancelled(filepath.Base(path), ctx.Err())
	}
	return res, err
}

func importFile(ctx context.Context, st *store.Store, path string, opt Options) (Result, error) {
	name := filepath.Base(path)
	if strings.TrimSpace(opt.System) == "" {
		return Result{}, &domain.Error{Code: "no_system", Message: fmt.Sprintf("%s: システム名を指定してください（例: --system 住民記録）。", name)}
	}
	sum, size, err := hashFile(path)
	if err != nil {
		return Result{}, err
	}
	if prev, err := st.FindBatch(ctx, sum, opt.System); err != nil {
		return Result{}, err
	} else if prev != nil {
		return Result{Batch: *prev, AlreadyImported: true}, nil
	}

	f, err := os.Open(path)
	if err != nil {
		return Result{}, OpenError(name, err)
	}
	defer f.Close()
	rd, err := csvin.NewReader(f, csvin.Config{})
	if err != nil {
		return Result{}, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: ファイルを読めません: %v", name, err), Err: err}
	}

	hdr, m, err := FindHeader(rd, name, LogFields, mapLog)
	if err != nil {
		return Result{}, err
	}
	kind := opt.Kind
	if kind == "" {
		kind = domain.KindAccess
		if m.Has(FieldDevice) || (m.Has(FieldFile) && !m.Has(FieldSubjectID)) {
			kind = domain.KindEndpoint
		}
	}

	im, err := st.BeginImport(ctx, domain.ImportBatch{
		File: name, Size: size, SHA256: sum, Encoding: rd.Encoding().Label(), System: opt.System, Kind: kind,
		Mapping: fmt.Sprintf("見出し %d行目: %s", hdr.Line, m),
	})
	if err != nil {
		return Result{}, err
	}
	committed := false
	defer func() {
		if !committed {
			im.Rollback()
		}
	}()

	res := Result{HeaderLine: hdr.Line}
	conv := newConverter(m, opt.System, name)
	read := 0
	reject := func(r domain.Reject) error {
		if len(res.Rejects) < MaxRejectsReturned {
			res.Rejects = append(res.Rejects, r)
		}
		return im.Reject(ctx, r)
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, cancelled(name, err)
			}
			if opt.Progress != nil {
				opt.Progress(rd.BytesRead(), size)
			}
		}
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			read++
			if err := reject(domain.Reject{Line: pe.StartLine, Column: strconv.Itoa(pe.Column) + "列目", Reason: pe.Err.Error(), Raw: rec.Raw}); err != nil {
				return Result{}, err
			}
			continue
		}
		if err != nil {
			return Result{}, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", name, err), Err: err}
		}
		if IsBlank(rec.Fields) {
			res.Blank++
			continue
		}
		read++
		ev, rj := conv.event(rec)
		if rj != nil {
			if err := reject(*rj); err != nil {
				return Result{}, err
			}
			continue
		}
		if _, err := im.Add(ctx, ev, conv.fingerprint(ev)); err != nil {
			return Result{}, err
		}
	}
	im.SetEncoding(rd.Encoding().Label())
	b, err := im.Commit(ctx, read)
	if err != nil {
		return Result{}, err
	}
	committed = true
	if opt.Progress != nil {
		opt.Progress(size, size)
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
	var best []string
	bestScore := -1
	for i := 0; i < headerSearchRows; i++ {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			continue
		}
		if err != nil {
			return rec, nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", name, err), Err: err}
		}
		if IsBlank(rec.Fields) {
			continue
		}
		headers := append([]string(nil), rec.Fields...)
		m, err := mapFn(headers)
		if err == nil {
			rec.Fields = headers
			return rec, m, nil
		}
		if s := colmap.Score(headers, fields); s > bestScore {
			best, bestScore = headers, s
		}
	}
	if best == nil {
		return csvin.Record{}, nil, &domain.Error{Code: "empty", Message: fmt.Sprintf("%s: データがありません（空のファイルか、見出し行がありません）。", name)}
	}
	_, err := mapFn(best)
	return csvin.Record{}, nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 見出し行を判別できませんでした。%v", name, err), Err: err}
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

// converter turns records into events under one mapping.
type converter struct {
	m                                                          *colmap.Mapping
	system, file                                               string
	iTime, iDate, iClock, iStaff, iName, iTerm, iSys, iFunc    int
	iAct, iSubj, iRec, iRes, iDev, iFile, iMail, iAttach, need int
	seen                                                       map[uint64]int
}

func newConverter(m *colmap.Mapping, system, file string) *converter {
	c := &converter{m: m, system: system, file: file,
		iTime: m.Index(FieldTime), iDate: m.Index(FieldDate), iClock: m.Index(FieldClock),
		iStaff: m.Index(FieldStaffID), iName: m.Index(FieldStaffName), iTerm: m.Index(FieldTerminal),
		iSys: m.Index(FieldSystem), iFunc: m.Index(FieldFunction), iAct: m.Index(FieldAction),
		iSubj: m.Index(FieldSubjectID), iRec: m.Index(FieldRecords), iRes: m.Index(FieldResult),
		iDev: m.Index(FieldDevice), iFile: m.Index(FieldFile), iMail: m.Index(FieldMailTo), iAttach: m.Index(FieldAttachment),
		seen: map[uint64]int{},
	}
	for _, col := range m.Columns {
		c.need = max(c.need, col.Index+1)
	}
	return c
}

func cell(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}

// footerWords start the summary rows some systems append (合計, 以上).
var footerWords = []string{"合計", "以上", "計", "total", "end"}

func (c *converter) reject(rec csvin.Record, col int, reason string) *domain.Reject {
	column := ""
	if col >= 0 && col < len(c.m.Headers) {
		column = c.m.Headers[col]
	}
	return &domain.Reject{Line: rec.Line, Column: column, Reason: reason, Raw: rec.Raw}
}

func (c *converter) event(rec csvin.Record) (*domain.Event, *domain.Reject) {
	f := rec.Fields
	if len(f) < c.need && isFooter(f) {
		return nil, c.footer(rec)
	}
	if len(f) < c.need {
		return nil, c.reject(rec, len(f), fmt.Sprintf("列が足りません（%d列。見出しは%d列）。行が途中で切れていないか確認してください。", len(f), len(c.m.Headers)))
	}
	if len(f) > len(c.m.Headers) {
		for i := len(c.m.Headers); i < len(f); i++ {
			if strings.TrimSpace(f[i]) != "" {
				return nil, c.reject(rec, -1, fmt.Sprintf("列が多すぎます（%d列。見出しは%d列）。値の中の「,」が引用符（\"）で囲まれているか確認してください。", len(f), len(c.m.Headers)))
			}
		}
	}
	var ev domain.Event
	var err error
	switch {
	case c.iTime >= 0:
		ev.Time, err = jpdate.ParseDateTime(cell(f, c.iTime))
		if err != nil && isFooter(f) {
			return nil, c.footer(rec)
		}
		if err != nil {
			return nil, c.reject(rec, c.iTime, err.Error())
		}
	case c.iClock >= 0:
		ev.Time, err = jpdate.Combine(cell(f, c.iDate), cell(f, c.iClock))
		if err != nil && isFooter(f) {
			return nil, c.footer(rec)
		}
		if err != nil {
			col := c.iDate
			if _, derr := jpdate.ParseDate(cell(f, c.iDate)); derr == nil {
				col = c.iClock
			}
			return nil, c.reject(rec, col, err.Error())
		}
	default:
		ev.Time, err = jpdate.ParseDateTime(cell(f, c.iDate))
		if err != nil && isFooter(f) {
			return nil, c.footer(rec)
		}
		if err != nil {
			return nil, c.reject(rec, c.iDate, err.Error())
		}
	}
	ev.StaffID = csvin.Fold(cell(f, c.iStaff))
	if ev.StaffID == "" {
		return nil, c.reject(rec, c.iStaff, "職員IDが空です。")
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
	if c.iAct >= 0 {
		ev.Action = MapAction(ev.RawAction)
	} else {
		ev.Action = MapAction(ev.Function)
	}
	ev.SubjectID = csvin.Fold(cell(f, c.iSubj))
	if s := cell(f, c.iRec); s != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(csvin.Fold(s), ",", ""), 10, 64)
		if err != nil || n < 0 {
			return nil, c.reject(rec, c.iRec, fmt.Sprintf("件数「%s」が数値ではありません。", s))
		}
		ev.Records = n
	}
	ev.Result = cell(f, c.iRes)
	ev.Device = cell(f, c.iDev)
	ev.File = cell(f, c.iFile)
	if a := cell(f, c.iAttach); a != "" {
		if ev.File != "" {
			ev.File += " / "
		}
		ev.File += a
	}
	ev.MailTo = cell(f, c.iMail)
	ev.Line = rec.Line
	return &ev, nil
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

func (c *converter) footer(rec csvin.Record) *domain.Reject {
	return c.reject(rec, -1, "集計行（合計・以上など）のため取り込み対象外です。")
}

func firstNonEmpty(f []string) string {
	for _, s := range f {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// fingerprint identifies an event for duplicate detection across
// overlapping exports. Identical rows within one file (two lookups of the
// same resident in the same second) are real events, so the n-th identical
// row of a file gets its own fingerprint; the same rows in an overlapping
// export then collide with the stored ones and count as duplicates.
func (c *converter) fingerprint(e *domain.Event) int64 {
	h := fnv.New64a()
	for _, s := range []string{e.System, e.StaffID, e.Terminal, e.Function, e.RawAction, e.SubjectID, e.Result, e.Device, e.File, e.MailTo} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	var buf [16]byte
	putInt(buf[:8], e.Time.Unix())
	putInt(buf[8:], e.Records)
	h.Write(buf[:])
	base := h.Sum64()
	if len(c.seen) > 1<<16 {
		clear(c.seen)
	}
	n := c.seen[base]
	c.seen[base] = n + 1
	if n > 0 {
		putInt(buf[:8], int64(n))
		h.Write(buf[:8])
	}
	return int64(h.Sum64())
}

func putInt(b []byte, v int64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}
