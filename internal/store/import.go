package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tenken/internal/domain"
	"tenken/internal/privacy"
)

// Dictionary fields: event_data stores these columns as keys into dict
// (migration 002). The numbers are stored in dict.field; never renumber.
const (
	dictStaff = 1 + iota
	dictName
	dictTerminal
	dictSystem
	dictFunction
	dictAction
	dictRawAction
	dictResult
	dictDevice
	dictKind
	dictSubject
	dictFields = dictSubject + 1
)

// dictCacheMax bounds the importer's in-memory dictionary per field, so a
// column that is distinct on every row (a log whose 機能 holds free text)
// cannot make memory grow with the file: past the bound the cache starts
// over and a string may get a second key (dict allows that).
const dictCacheMax = 1 << 17

// rowsPerInsert is how many rows one multi-row INSERT carries. The driver's
// cost is per statement execution and per bound value; beyond ~100 rows a
// statement, the per-statement part no longer shows.
const rowsPerInsert = 128

// colsPerRow is the number of bound values per event row in the wide
// statement; the narrow ones bind colsNarrow (attachment size, file,
// recipients and attachment written as constants) or colsNarrow+1 (with
// the 通番).
const (
	colsPerRow = 12
	colsNarrow = 7
)

// bulkMinRows is the estimated file size (rows) from which an import runs
// under a rollback journal rather than WAL (see begin) and, into a table
// holding no more rows than the file, drops the key index and builds it
// again at the end (sorting once is cheaper than inserting every key into
// the B-tree).
const bulkMinRows = 50_000

// estBytesPerRow turns a file's size into a row estimate for that choice.
const estBytesPerRow = 90

// Import is one file's import transaction: everything added through it
// becomes visible at Commit, or not at all. It holds one connection of the
// pool for its whole life and talks to the driver directly (the
// database/sql layer would cost a third of the time of a bulk load).
//
// The rows of a file are added either one by one (Add, which reports a
// duplicate at once) or, much faster, in batches: NewBatch and Batch.Add
// may run on a producer goroutine (they touch only the importer's
// dictionary cache) while Write runs on another; one producer and one
// writer at a time.
type Import struct {
	conn    *sql.Conn
	batchID int64
	kindID  int64
	system  string
	bulk    bool  // the key index was dropped and is rebuilt at Commit
	firstID int64 // the first event id this import uses

	// producer side
	cache     [dictFields]map[string]int64
	last      [dictFields]lastKey
	lastCtx   ctxKey
	lastCtxID int64
	lastCtxOK bool
	nextID    int64
	ctxCache  map[ctxKey]int64
	nextCtxID int64

	// writer side
	ins1, insN, insNarrow, insNarrowSeq driver.Stmt
	insDict, insCtx, insRej             driver.Stmt
	args                                []driver.NamedValue
	inserted, accepted, dup, rejected   int
	min, max                            int64
	seen                                bool // min and max hold a row
	encoding                            string
	journal                             string // journal mode set for a bulk load ("delete"), to undo
	finished                            bool

	seal // the rows digest and the audit entry (import_audit.go)
}

// row is one event in stored form.
type row struct {
	ts, staff, ctx, subject       int64
	records, attachSize, line, fp int64
	seq                           int64 // 0 = none, stored as NULL
	file, mailTo, attachment      string
}

// lastKey is the last string looked up in one dictionary field. It may
// point into a record that is otherwise garbage: one record per field.
type lastKey struct {
	s  string
	id int64
	ok bool
}

// ctxKey is a row's context (event_ctx): the dictionary keys of name,
// terminal, system, function, action, raw action, result, device, kind.
type ctxKey [9]int64

type dictEntry struct {
	id    int64
	field int
	s     string
}

// Batch is a group of rows and rejects written together by Import.Write.
// It is filled by one goroutine and handed to the writer; after Write it
// may be Reset and filled again.
type Batch struct {
	im      *Import
	rows    []row
	dict    []dictEntry
	ctxs    []ctxEntry
	rejects []domain.Reject
	canon   // the rows' canonical encoding, for the rows digest
}

type ctxEntry struct {
	id  int64
	key ctxKey
}

// BeginImport starts the transaction for one file. The batch's counts are
// filled in by Commit. b.Size (bytes) estimates how many rows will come,
// which decides whether the key index is rebuilt at the end (see
// bulkMinRows).
func (s *Store) BeginImport(ctx context.Context, b domain.ImportBatch) (im *Import, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	im = &Import{conn: conn, system: b.System}
	im.startSeal(b)
	if err := im.raw(func(c driverConn) error { return im.begin(ctx, c, b) }); err != nil {
		im.abandon()
		return nil, err
	}
	return im, nil
}

// driverConn is what modernc.org/sqlite's connection offers.
type driverConn interface {
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
}

// debugf prints timings of an import's phases on stderr when TENKEN_DEBUG
// is set, for measuring.
func debugf(format string, a ...any) {
	if os.Getenv("TENKEN_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, format+"\n", a...)
	}
}

func (im *Import) raw(fn func(c driverConn) error) error {
	return im.conn.Raw(func(dc any) error {
		c, ok := dc.(driverConn)
		if !ok {
			return fmt.Errorf("store: unexpected driver connection %T", dc)
		}
		return fn(c)
	})
}

// exec runs a statement without a context: the driver watches a context
// with a goroutine per call, too dear per row; cancellation is checked
// between batches instead.
func exec(c driverConn, query string, args ...any) (driver.Result, error) {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return c.ExecContext(context.Background(), query, nv)
}

func queryString(c driverConn, query string, dst *string) error {
	rows, err := c.QueryContext(context.Background(), query, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return err
	}
	*dst = asString(dest[0])
	return nil
}

// restoreWAL switches the database back to WAL after a bulk load.
func (im *Import) restoreWAL(c driverConn) {
	if im.journal == "delete" {
		var mode string
		_ = queryString(c, "PRAGMA journal_mode=WAL", &mode)
		im.journal = ""
	}
}

func queryInts(c driverConn, query string, args ...any) ([]int64, error) {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := c.QueryContext(context.Background(), query, nv)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dest); err != nil {
		return nil, err
	}
	out := make([]int64, len(dest))
	for i, v := range dest {
		out[i], _ = v.(int64)
	}
	return out, nil
}

func (im *Import) begin(ctx context.Context, c driverConn, b domain.ImportBatch) error {
	if b.Size/estBytesPerRow >= bulkMinRows {
		// A large file is loaded under a rollback journal: in WAL mode
		// every page would be written twice (to the WAL, then by the
		// checkpoint), and pages appended to the file need no journal at
		// all. This only works when no other connection has the database
		// open; otherwise SQLite keeps WAL, which is merely slower.
		// Commit and abandon switch back.
		if err := queryString(c, "PRAGMA journal_mode=DELETE", &im.journal); err != nil {
			im.journal = "" // busy: another connection reads; stay in WAL
		}
	}
	if _, err := exec(c, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	res, err := exec(c, `INSERT INTO import_batch(file, size, sha256, encoding, system, kind, mapping,
		rows_read, accepted, rejected, duplicate, imported_at) VALUES(?,?,?,?,?,?,?,0,0,0,0,?)`,
		b.File, b.Size, b.SHA256, b.Encoding, b.System, string(b.Kind), b.Mapping, time.Now().Format(stampLayout))
	if err != nil {
		return err
	}
	if im.batchID, err = res.LastInsertId(); err != nil {
		return err
	}
	v, err := queryInts(c, `SELECT coalesce((SELECT max(id) FROM dict), 0), coalesce((SELECT max(id) FROM event_data), 0),
		(SELECT coalesce(sum(accepted), 0) FROM import_batch), coalesce((SELECT max(id) FROM event_ctx), 0)`)
	if err != nil {
		return err
	}
	im.nextID, im.firstID, im.nextCtxID = v[0]+1, v[1]+1, v[3]+1
	existing := v[2]
	if err := im.loadDict(ctx, c); err != nil {
		return err
	}
	est := b.Size / estBytesPerRow
	if est >= bulkMinRows && existing <= est {
		if _, err := exec(c, "DROP INDEX IF EXISTS event_key"); err != nil {
			return err
		}
		im.bulk = true
	}
	for _, p := range []struct {
		st *driver.Stmt
		q  string
	}{
		{&im.insDict, "INSERT INTO dict(id, field, s) VALUES(?,?,?)"},
		{&im.insCtx, `INSERT INTO event_ctx(id, name, terminal, system, function, action, raw_action,
			result, device, kind) VALUES(?,?,?,?,?,?,?,?,?,?)`},
		{&im.insRej, "INSERT INTO reject(batch_id, line, col, reason, raw) VALUES(?,?,?,?,?)"},
	} {
		// Assigned only on success: a failed Prepare returns a typed nil.
		st, err := c.PrepareContext(ctx, p.q)
		if err != nil {
			return err
		}
		*p.st = st
	}
	// The batch's kind is a dictionary string like the others.
	first := im.NewBatch()
	im.kindID = im.key(dictKind, string(b.Kind), first)
	if err := im.writeBatch(c, first); err != nil {
		return err
	}
	for _, p := range []struct {
		st *driver.Stmt
		q  string
	}{
		{&im.ins1, insertEventSQL(1, im.batchID, true, true)},
		{&im.insN, insertEventSQL(rowsPerInsert, im.batchID, true, true)},
		{&im.insNarrow, insertEventSQL(rowsPerInsert, im.batchID, false, false)},
		{&im.insNarrowSeq, insertEventSQL(rowsPerInsert, im.batchID, false, true)},
	} {
		st, err := c.PrepareContext(ctx, p.q)
		if err != nil {
			return err
		}
		*p.st = st
	}
	return nil
}

// insertEventSQL is a multi-row INSERT of n rows. The batch is the same
// on every row of a file, so it is written into the statement rather than
// bound; so are the columns only mail and endpoint logs fill (attachment
// size, file, recipients, attachment) when !wide, for a chunk of rows that
// all lack them, and the 通番 when !seq, for a chunk from a log without
// one: every bound value costs the driver a call and a mutex. A wide
// statement binds every column.
func insertEventSQL(n int, batchID int64, wide, seq bool) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO event_data(batch_id, ts, staff, ctx, subject_id, records, attach_size, line, fp,
		file, mail_to, attachment, seq) VALUES`)
	// Columns: ts, staff, ctx, subject_id, records, attach_size, line, fp,
	// file, mail_to, attachment, seq.
	tuple := fmt.Sprintf("(%d%s)", batchID, strings.Repeat(",?", colsPerRow))
	switch {
	case !wide && seq:
		tuple = fmt.Sprintf("(%d,?,?,?,?,?,0,?,?,NULL,NULL,NULL,?)", batchID)
	case !wide:
		tuple = fmt.Sprintf("(%d,?,?,?,?,?,0,?,?,NULL,NULL,NULL,NULL)", batchID)
	}
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(tuple)
	}
	// A row whose key (staff, ts, fp) is stored already is a duplicate.
	// Without the key index (bulk mode) nothing conflicts here; duplicates
	// are then found when the index is built again.
	sb.WriteString(" ON CONFLICT DO NOTHING")
	return sb.String()
}

// loadDict fills the importer's dictionary cache from the stored
// dictionary, so the same strings keep their keys across files.
func (im *Import) loadDict(ctx context.Context, c driverConn) error {
	for i := range im.cache {
		im.cache[i] = map[string]int64{}
	}
	im.ctxCache = map[ctxKey]int64{}
	crows, err := c.QueryContext(ctx, `SELECT id, name, terminal, system, function, action, raw_action, result, device, kind
		FROM event_ctx ORDER BY id DESC LIMIT ?`, []driver.NamedValue{{Ordinal: 1, Value: int64(dictCacheMax)}})
	if err != nil {
		return err
	}
	cdest := make([]driver.Value, 10)
	for {
		if err := crows.Next(cdest); err != nil {
			crows.Close()
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		var k ctxKey
		for i := range k {
			k[i] = i64(cdest[i+1])
		}
		im.ctxCache[k] = i64(cdest[0])
	}
	rows, err := c.QueryContext(ctx, "SELECT id, field, s FROM dict", nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]driver.Value, 3)
	for {
		err := rows.Next(dest)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		id, _ := dest[0].(int64)
		field, _ := dest[1].(int64)
		s := asString(dest[2])
		if field > 0 && field < dictFields && len(im.cache[field]) < dictCacheMax {
			im.cache[field][s] = id
		}
	}
}

func asString(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// BatchID returns the id of the batch being imported.
func (im *Import) BatchID() int64 { return im.batchID }

// SetEncoding records the file's encoding as finally detected (a file whose
// first block is ASCII is only known to be CP932 once a kanji appears).
func (im *Import) SetEncoding(label string) { im.encoding = label }

// NewBatch returns an empty batch.
func (im *Import) NewBatch() *Batch {
	return &Batch{im: im, rows: make([]row, 0, 1024)}
}

// Reset empties the batch for reuse.
func (b *Batch) Reset() {
	b.rows, b.dict, b.ctxs, b.rejects = b.rows[:0], b.dict[:0], b.ctxs[:0], b.rejects[:0]
	b.canon.reset()
}

// Len returns the number of rows and rejects in the batch.
func (b *Batch) Len() int { return len(b.rows) + len(b.rejects) }

// Add appends one event with its fingerprint (see Import.Add). The event's
// strings are not kept beyond the batch except those that enter the
// dictionary, which are copied.
func (b *Batch) Add(e *domain.Event, fp int64) {
	im := b.im
	k := ctxKey{
		im.key(dictName, e.StaffName, b),
		im.key(dictTerminal, e.Terminal, b),
		im.key(dictSystem, e.System, b),
		im.key(dictFunction, e.Function, b),
		im.key(dictAction, string(e.Action), b),
		im.key(dictRawAction, e.RawAction, b),
		im.key(dictResult, e.Result, b),
		im.key(dictDevice, e.Device, b),
		im.kindID,
	}
	if e.Kind != "" {
		k[8] = im.key(dictKind, string(e.Kind), b)
	}
	cid, ok := im.lastCtxID, im.lastCtxOK && k == im.lastCtx
	if !ok {
		cid, ok = im.ctxCache[k]
	}
	if !ok {
		if len(im.ctxCache) >= dictCacheMax {
			clear(im.ctxCache)
		}
		cid = im.nextCtxID
		im.nextCtxID++
		im.ctxCache[k] = cid
		b.ctxs = append(b.ctxs, ctxEntry{id: cid, key: k})
	}
	im.lastCtx, im.lastCtxID, im.lastCtxOK = k, cid, true
	b.rows = append(b.rows, row{ts: e.Time.Unix(), staff: im.key(dictStaff, e.StaffID, b), ctx: cid,
		subject: im.key(dictSubject, e.SubjectID, b), records: e.Records, attachSize: e.AttachSize,
		line: int64(e.Line), fp: fp, seq: e.Seq, file: e.File, mailTo: e.MailTo, attachment: e.Attachment})
	b.canon.add(e, im.kindOf(e), fp)
}

// Reject appends one rejected input row.
func (b *Batch) Reject(r domain.Reject) { b.rejects = append(b.rejects, r) }

// key returns the dictionary key of s, assigning a new one (recorded in b,
// to be stored by Write before b's rows) when s is not cached. The last
// key of each field is checked first: many columns (system, function,
// result, device) hold the same value row after row.
func (im *Import) key(field int, s string, b *Batch) int64 {
	if last := &im.last[field]; last.ok && last.s == s {
		return last.id
	}
	id := im.lookup(field, s, b)
	im.last[field] = lastKey{s: s, id: id, ok: true}
	return id
}

func (im *Import) lookup(field int, s string, b *Batch) int64 {
	m := im.cache[field]
	if id, ok := m[s]; ok {
		return id
	}
	if len(m) >= dictCacheMax {
		clear(m)
	}
	// The cache outlives the record s was cut from: copy it, so the map
	// does not pin whole records in memory.
	s = strings.Clone(s)
	id := im.nextID
	im.nextID++
	m[s] = id
	b.dict = append(b.dict, dictEntry{id: id, field: field, s: s})
	return id
}

// Write stores a batch: its new dictionary strings, its rows (multi-row
// INSERTs) and its rejects.
func (im *Import) Write(ctx context.Context, b *Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return im.raw(func(c driverConn) error { return im.writeBatch(c, b) })
}

func (im *Import) writeBatch(c driverConn, b *Batch) error {
	for _, d := range b.dict {
		if _, err := execStmt(im.insDict, d.id, int64(d.field), d.s); err != nil {
			return err
		}
	}
	for _, x := range b.ctxs {
		k := x.key
		if _, err := execStmt(im.insCtx, x.id, k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8]); err != nil {
			return err
		}
	}
	rows := b.rows
	for len(rows) >= rowsPerInsert {
		chunk := rows[:rowsPerInsert]
		wide, seq := false, false
		for i := range chunk {
			if chunk[i].file != "" || chunk[i].mailTo != "" || chunk[i].attachment != "" || chunk[i].attachSize != 0 {
				wide = true
				break
			}
			seq = seq || chunk[i].seq != 0
		}
		st := im.insNarrow
		switch {
		case wide:
			st, seq = im.insN, true
		case seq:
			st = im.insNarrowSeq
		}
		before := im.inserted
		if err := im.insertRows(st, chunk, wide, seq); err != nil {
			return err
		}
		if err := im.hashChunk(c, b, len(b.rows)-len(rows), len(chunk), im.inserted-before); err != nil {
			return err
		}
		rows = rows[rowsPerInsert:]
	}
	for i := range rows {
		before := im.inserted
		if err := im.insertRows(im.ins1, rows[i:i+1], true, true); err != nil {
			return err
		}
		if err := im.hashChunk(c, b, len(b.rows)-len(rows)+i, 1, im.inserted-before); err != nil {
			return err
		}
	}
	for _, r := range b.rejects {
		if err := im.insertReject(r); err != nil {
			return err
		}
	}
	return nil
}

func execStmt(st driver.Stmt, args ...any) (driver.Result, error) {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return st.(driver.StmtExecContext).ExecContext(context.Background(), nv)
}

func nullIfZero(n int64) driver.Value {
	if n == 0 {
		return nil
	}
	return n
}

func nullIfEmpty(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

// insertRows binds rows to st, a statement of insertEventSQL with the
// same wide and seq.
func (im *Import) insertRows(st driver.Stmt, rows []row, wide, seq bool) error {
	per := colsPerRow
	if !wide {
		per = colsNarrow
		if seq {
			per++
		}
	}
	n := len(rows) * per
	if cap(im.args) < n {
		im.args = make([]driver.NamedValue, n)
		for i := range im.args {
			im.args[i].Ordinal = i + 1
		}
	}
	a := im.args[:n]
	k := 0
	put := func(v driver.Value) { a[k].Value = v; k++ }
	for i := range rows {
		r := &rows[i]
		put(r.ts)
		put(r.staff)
		put(r.ctx)
		put(r.subject)
		put(r.records)
		if wide {
			put(r.attachSize)
		}
		put(r.line)
		put(r.fp)
		if wide {
			put(nullIfEmpty(r.file))
			put(nullIfEmpty(r.mailTo))
			put(nullIfEmpty(r.attachment))
		}
		if seq {
			put(nullIfZero(r.seq))
		}
	}
	res, err := st.(driver.StmtExecContext).ExecContext(context.Background(), a)
	if err != nil {
		return err
	}
	n64, err := res.RowsAffected()
	if err != nil {
		return err
	}
	im.inserted += int(n64)
	im.dup += len(rows) - int(n64)
	// Duplicates may widen the period here; Commit recomputes it when
	// there were any.
	for i := range rows {
		ts := rows[i].ts
		if !im.seen || ts < im.min {
			im.min = ts
		}
		if !im.seen || ts > im.max {
			im.max = ts
		}
		im.seen = true
	}
	return nil
}

func (im *Import) insertReject(r domain.Reject) error {
	im.rejected++
	_, err := execStmt(im.insRej, im.batchID, int64(r.Line), r.Column, privacy.MaskMyNumber(r.Reason), privacy.MaskMyNumber(strings.ReplaceAll(r.Raw, "\x00", "\\0")))
	return err
}

// Add stores one event with its fingerprint at once. It reports false
// when an identical event (same staff, second and fingerprint) is already
// stored, e.g. from an overlapping export; such a row is counted as a
// duplicate. In a bulk import (a large file into a small table)
// duplicates are only found at Commit and Add reports true.
func (im *Import) Add(ctx context.Context, e *domain.Event, fp int64) (bool, error) {
	b := im.NewBatch()
	b.Add(e, fp)
	dup := im.dup
	if err := im.Write(ctx, b); err != nil {
		return false, err
	}
	return im.dup == dup, nil
}

// Reject records an input row that was not accepted.
func (im *Import) Reject(ctx context.Context, r domain.Reject) error {
	return im.raw(func(c driverConn) error { return im.insertReject(r) })
}

// Commit writes the batch's counts and commits. read must equal accepted +
// rejected + duplicate; otherwise nothing is committed.
func (im *Import) Commit(ctx context.Context, read int) (domain.ImportBatch, error) {
	var out domain.ImportBatch
	err := im.raw(func(c driverConn) error {
		var err error
		out, err = im.commit(ctx, c, read)
		return err
	})
	if err != nil {
		im.abandon()
		return domain.ImportBatch{}, err
	}
	im.release()
	return out, nil
}

func (im *Import) commit(ctx context.Context, c driverConn, read int) (domain.ImportBatch, error) {
	if im.bulk {
		t0 := time.Now()
		dup := im.dup
		if err := im.rebuildKey(ctx, c); err != nil {
			return domain.ImportBatch{}, err
		}
		debugf("index %v", time.Since(t0))
		if im.dup != dup {
			// Rows already stored by an older batch were deleted after
			// they were hashed: hash what is stored instead.
			if err := im.rehash(ctx, c); err != nil {
				return domain.ImportBatch{}, err
			}
		}
	}
	im.accepted = im.inserted
	if read != im.accepted+im.rejected+im.dup {
		return domain.ImportBatch{}, fmt.Errorf("internal: rows read %d != accepted %d + rejected %d + duplicate %d", read, im.accepted, im.rejected, im.dup)
	}
	if im.dup > 0 && im.accepted > 0 {
		v, err := queryInts(c, "SELECT min(ts), max(ts) FROM event_data WHERE batch_id = ?", im.batchID)
		if err != nil {
			return domain.ImportBatch{}, err
		}
		im.min, im.max = v[0], v[1]
	}
	var minTS, maxTS any
	if im.accepted > 0 {
		minTS, maxTS = im.min, im.max
	}
	if _, err := exec(c, `UPDATE import_batch SET rows_read = ?, accepted = ?, rejected = ?, duplicate = ?,
		min_ts = ?, max_ts = ?, encoding = coalesce(nullif(?, ''), encoding) WHERE id = ?`,
		int64(read), int64(im.accepted), int64(im.rejected), int64(im.dup), minTS, maxTS, im.encoding, im.batchID); err != nil {
		return domain.ImportBatch{}, err
	}
	if err := ctx.Err(); err != nil {
		return domain.ImportBatch{}, err
	}
	if err := im.finishSeal(ctx, c, read); err != nil {
		return domain.ImportBatch{}, err
	}
	im.closeStmts()
	t0 := time.Now()
	if _, err := exec(c, "COMMIT"); err != nil {
		return domain.ImportBatch{}, err
	}
	debugf("COMMIT %v", time.Since(t0))
	im.restoreWAL(c)
	im.finished = true
	return domain.ImportBatch{ID: im.batchID, Read: read, Accepted: im.accepted, Rejected: im.rejected, Duplicate: im.dup,
		MinTime: unixOrZero(sql.NullInt64{Int64: im.min, Valid: im.accepted > 0}),
		MaxTime: unixOrZero(sql.NullInt64{Int64: im.max, Valid: im.accepted > 0})}, nil
}

// rebuildKey builds the key index again after a bulk load. Building it
// UNIQUE fails exactly when the file repeated rows already stored (an
// overlapping export); those rows are then deleted, keeping the older
// copy, and counted as duplicates.
func (im *Import) rebuildKey(ctx context.Context, c driverConn) error {
	const create = "CREATE UNIQUE INDEX event_key ON event_data (staff, ts, fp)"
	_, err := exec(c, create)
	if err == nil {
		return nil
	}
	if !strings.Contains(err.Error(), "UNIQUE") {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := exec(c, "CREATE INDEX event_dedup ON event_data (staff, ts, fp)"); err != nil {
		return err
	}
	res, err := exec(c, `DELETE FROM event_data AS n WHERE n.id >= ? AND EXISTS (
		SELECT 1 FROM event_data o WHERE o.staff = n.staff AND o.ts = n.ts AND o.fp = n.fp AND o.id < n.id)`, im.firstID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	im.inserted -= int(n)
	im.dup += int(n)
	if _, err := exec(c, "DROP INDEX event_dedup"); err != nil {
		return err
	}
	_, err = exec(c, create)
	return err
}

// Rollback abandons the import; the database is as before BeginImport.
func (im *Import) Rollback() error {
	if im.finished {
		return nil
	}
	im.abandon()
	return nil
}

func (im *Import) closeStmts() {
	for _, st := range []driver.Stmt{im.ins1, im.insN, im.insNarrow, im.insNarrowSeq, im.insDict, im.insCtx, im.insRej} {
		if st != nil {
			st.Close()
		}
	}
	im.ins1, im.insN, im.insNarrow, im.insNarrowSeq, im.insDict, im.insCtx, im.insRej = nil, nil, nil, nil, nil, nil, nil
}

// abandon rolls back and gives the connection back. Should the rollback
// fail, the connection is discarded rather than returned to the pool with
// a transaction open.
func (im *Import) abandon() {
	if im.finished {
		return
	}
	im.finished = true
	// Returning driver.ErrBadConn from Raw makes database/sql discard the
	// connection; nothing else is to be done about a failed rollback.
	_ = im.raw(func(c driverConn) error {
		im.closeStmts()
		_, err := exec(c, "ROLLBACK")
		if err != nil && !strings.Contains(err.Error(), "no transaction") {
			return driver.ErrBadConn
		}
		im.restoreWAL(c)
		return nil
	})
	im.conn.Close()
}

func (im *Import) release() {
	im.finished = true
	im.conn.Close()
}
