package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"

	"tenken/internal/domain"
)

// seal is what an Import adds to make its batch tamper-evident: the
// running digest of the rows it stores, and, at Commit and in the same
// transaction, the file's SHA-256 and size (known only once the file has
// been read, in the one pass that parsed it), where it was read from, and
// the log.import audit entry that carries the rows digest.
type seal struct {
	rows   *rowsHash
	kind   string // the batch's kind, for rows that carry none
	file   string
	system string
	sha256 string // set by SetFile
	size   int64
	source string // set by SetSource
	user   string
	digest string // the rows digest, set at Commit
}

// canon is a batch's rows in canonical encoding (appendEventCanon), one
// after the other; ends[i] is where row i ends.
type canon struct {
	buf  []byte
	ends []int
}

func (c *canon) reset() { c.buf, c.ends = c.buf[:0], c.ends[:0] }

func (c *canon) add(e *domain.Event, kind string, fp int64) {
	c.buf = appendEventCanon(c.buf, e, kind, fp)
	c.ends = append(c.ends, len(c.buf))
}

func (c *canon) row(i int) []byte {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.buf[start:c.ends[i]]
}

func (c *canon) rows(i, n int) []byte {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.buf[start:c.ends[i+n-1]]
}

func (im *Import) startSeal(b domain.ImportBatch) {
	im.seal = seal{rows: newRowsHash(), kind: string(b.Kind), file: b.File, system: b.System, sha256: b.SHA256, size: b.Size}
}

// kindOf is the kind stored for an event: its own, else the batch's.
func (im *Import) kindOf(e *domain.Event) string {
	if e.Kind != "" {
		return string(e.Kind)
	}
	return im.seal.kind
}

// SetFile records the SHA-256 and size of the file as it was read. An
// importer that hashes the bytes it parses learns them only at the end;
// they are written at Commit. Should another batch of the same system
// hold the same SHA-256, Commit fails with *AlreadyImportedError and
// nothing is stored.
func (im *Import) SetFile(sha256 string, size int64) { im.seal.sha256, im.seal.size = sha256, size }

// SetSource records where the file was read from (an absolute path) and
// who imported it, both written with the batch in the same transaction:
// the path lets verify compare the file's SHA-256 later, and the user is
// named in the log.import audit entry.
func (im *Import) SetSource(path, user string) { im.seal.source, im.seal.user = path, user }

// RowsDigest returns the digest of the rows the batch stored, once
// committed.
func (im *Import) RowsDigest() string { return im.seal.digest }

// AlreadyImportedError is returned by Commit when the file (same SHA-256,
// same system) was imported before as batch ID.
type AlreadyImportedError struct{ ID int64 }

func (e *AlreadyImportedError) Error() string {
	return fmt.Sprintf("store: file already imported as batch %d", e.ID)
}

// hashChunk adds to the rows digest the rows b.rows[i:i+n] that were just
// stored; stored of them were (the others were already stored by an older
// batch). When some were not, the ones that were are found by reading the
// chunk back: they are the rows with ids after the last one stored before
// (new rows get max(id)+1), in the same order.
func (im *Import) hashChunk(c driverConn, b *Batch, i, n, stored int) error {
	if stored == n {
		im.seal.rows.h.Write(b.canon.rows(i, n))
		im.seal.rows.n += int64(n)
		return nil
	}
	if stored == 0 {
		return nil
	}
	last := im.firstID - 1 + int64(im.inserted-stored)
	rs, err := c.QueryContext(context.Background(), "SELECT staff, ts, fp FROM event_data WHERE id > ? ORDER BY id",
		[]driver.NamedValue{{Ordinal: 1, Value: last}})
	if err != nil {
		return err
	}
	defer rs.Close()
	dest := make([]driver.Value, 3)
	j := i
	for {
		if err := rs.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		staff, ts, fp := i64(dest[0]), i64(dest[1]), i64(dest[2])
		for j < i+n && (b.rows[j].staff != staff || b.rows[j].ts != ts || b.rows[j].fp != fp) {
			j++
		}
		if j == i+n {
			return fmt.Errorf("store: a stored row is not in the chunk it was written from")
		}
		im.seal.rows.h.Write(b.canon.row(j))
		im.seal.rows.n++
		j++
	}
}

// rehash computes the rows digest again from the stored rows of the
// batch (after a bulk load deleted rows an older batch already held).
func (im *Import) rehash(ctx context.Context, c driverConn) error {
	seq, err := hasSeqColumn(ctx, rawQuerier{c})
	if err != nil {
		return err
	}
	sums, err := batchDigests(ctx, c, seq, im.firstID)
	if err != nil {
		return err
	}
	im.seal.rows = newRowsHash()
	if r := sums[im.batchID]; r != nil {
		im.seal.rows = r
	}
	return nil
}

// logImport is the after of a log.import audit entry.
type logImport struct {
	File       string `json:"file"`
	Path       string `json:"path"`
	System     string `json:"system"`
	SHA256     string `json:"sha256"`
	Read       int    `json:"rows_read"`
	Accepted   int    `json:"accepted"`
	Rejected   int    `json:"rejected"`
	Duplicate  int    `json:"duplicate"`
	RowsDigest string `json:"rows_digest"`
	Batch      int64  `json:"batch"`
}

// finishSeal writes, inside the import's transaction, the file's SHA-256
// and size, the rows digest, the source path and the audit entry.
func (im *Import) finishSeal(ctx context.Context, c driverConn, read int) error {
	q := rawQuerier{c}
	sl := &im.seal
	if sl.rows.n != int64(im.accepted) {
		return fmt.Errorf("internal: rows digest covers %d rows, %d accepted", sl.rows.n, im.accepted)
	}
	var prev int64
	err := q.queryRow(ctx, "SELECT id FROM import_batch WHERE sha256 = ? AND system = ? AND id <> ?", []any{sl.sha256, sl.system, im.batchID}, &prev)
	if err == nil {
		return &AlreadyImportedError{ID: prev}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sl.digest = sl.rows.sum()
	if err := q.exec(ctx, "UPDATE import_batch SET sha256 = ?, size = ?, rows_digest = ? WHERE id = ?", sl.sha256, sl.size, sl.digest, im.batchID); err != nil {
		return err
	}
	if sl.source != "" {
		if err := q.exec(ctx, "INSERT INTO batch_source(batch_id, path) VALUES(?, ?) ON CONFLICT(batch_id) DO UPDATE SET path = excluded.path", im.batchID, sl.source); err != nil {
			return err
		}
	}
	_, err = appendAuditOn(ctx, q, Audit{User: sl.user, Action: "log.import", Target: sl.file, After: logImport{
		File: sl.file, Path: sl.source, System: sl.system, SHA256: sl.sha256, Read: read, Accepted: im.accepted,
		Rejected: im.rejected, Duplicate: im.dup, RowsDigest: sl.digest, Batch: im.batchID}})
	return err
}

// querier runs the few statements the audit and the digests need on
// either a database/sql handle or a raw driver connection (an Import's,
// whose transaction database/sql does not know of).
type querier interface {
	exec(ctx context.Context, query string, args ...any) error
	// queryRow scans the first row into dest (*int64, *string);
	// sql.ErrNoRows when there is none.
	queryRow(ctx context.Context, query string, args []any, dest ...any) error
}

type sqlQuerier struct{ db DBTX }

func (q sqlQuerier) exec(ctx context.Context, query string, args ...any) error {
	_, err := q.db.ExecContext(ctx, query, args...)
	return err
}

func (q sqlQuerier) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	return q.db.QueryRowContext(ctx, query, args...).Scan(dest...)
}

type rawQuerier struct{ c driverConn }

func namedValues(args []any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			a = t.Format(time.RFC3339Nano)
		}
		if n, ok := a.(int); ok {
			a = int64(n)
		}
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

func (q rawQuerier) exec(ctx context.Context, query string, args ...any) error {
	_, err := q.c.ExecContext(ctx, query, namedValues(args))
	return err
}

func (q rawQuerier) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	rows, err := q.c.QueryContext(ctx, query, namedValues(args))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		if errors.Is(err, io.EOF) {
			return sql.ErrNoRows
		}
		return err
	}
	for i, d := range dest {
		switch p := d.(type) {
		case *int64:
			*p = i64(vals[i])
		case *string:
			*p = asString(vals[i])
		default:
			return fmt.Errorf("store: cannot scan into %T", d)
		}
	}
	return nil
}
