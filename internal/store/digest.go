package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"

	"tenken/internal/domain"
)

// The digests that tie the stored rows to the audit log. Each is written
// into the audit entry of the change that stored the rows (in the same
// transaction), and verify recomputes it from the rows as they are now: a
// row deleted, added or edited since, by anyone with sqlite3, no longer
// gives the digest the hash-chained log holds.

// rowsDigestVersion prefixes an import batch's rows digest.
const rowsDigestVersion = "r1"

// eventFields is how many fields an event's canonical encoding has before
// the optional 通番 (seq).
const eventFields = 19

// appendEventCanon appends the canonical encoding of one stored event: a
// field count, then every column of the event as the event_v view gives it
// back (strings length-prefixed, integers zig-zag varints), in a fixed
// order. seq (the log's own running number) is appended only when not 0,
// so batches stored before the column existed keep their digest.
func appendEventCanon(b []byte, e *domain.Event, kind string, fp int64) []byte {
	n := byte(eventFields)
	if e.Seq != 0 {
		n++
	}
	b = append(b, n)
	b = binary.AppendVarint(b, e.Time.Unix())
	for _, s := range [...]string{e.StaffID, e.StaffName, e.Terminal, e.System, e.Function, string(e.Action), e.RawAction, e.SubjectID} {
		b = appendCanonString(b, s)
	}
	b = binary.AppendVarint(b, e.Records)
	for _, s := range [...]string{e.Result, e.Device, e.File, e.MailTo, e.Attachment} {
		b = appendCanonString(b, s)
	}
	b = binary.AppendVarint(b, e.AttachSize)
	b = appendCanonString(b, kind)
	b = binary.AppendVarint(b, int64(e.Line))
	b = binary.AppendVarint(b, fp)
	if e.Seq != 0 {
		b = binary.AppendVarint(b, e.Seq)
	}
	return b
}

func appendCanonString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// rowsHash is the running digest of one batch's stored rows, in id order.
type rowsHash struct {
	h hash.Hash
	n int64
}

func newRowsHash() *rowsHash { return &rowsHash{h: sha256.New()} }

func (r *rowsHash) sum() string {
	return fmt.Sprintf("%s:%d:%s", rowsDigestVersion, r.n, hex.EncodeToString(r.h.Sum(nil)))
}

// hasSeqColumn reports whether event_data has the seq column (added by a
// later schema), so the digest reads it when it is there.
func hasSeqColumn(ctx context.Context, q querier) (bool, error) {
	var n int64
	err := q.queryRow(ctx, "SELECT count(*) FROM pragma_table_info('event_data') WHERE name = 'seq'", nil, &n)
	return n > 0, err
}

// BatchDigests recomputes the rows digest of every import batch from the
// stored events in one pass over the table (id order, the order the rows
// were written in), decoding the dictionary keys from memory. It returns
// the digest of each batch id that has events, whether or not the batch
// itself is still recorded: events whose batch is gone show up too.
func (s *Store) BatchDigests(ctx context.Context) (map[int64]string, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	seq, err := hasSeqColumn(ctx, sqlQuerier{conn})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driverConn)
		if !ok {
			return fmt.Errorf("store: unexpected driver connection %T", dc)
		}
		if _, err := exec(c, "BEGIN"); err != nil {
			return err
		}
		defer exec(c, "ROLLBACK")
		sums, err := batchDigests(ctx, c, seq, 0)
		for id, r := range sums {
			out[id] = r.sum()
		}
		return err
	})
	return out, err
}

// batchDigests hashes the events with id >= fromID, per batch.
func batchDigests(ctx context.Context, c driverConn, seq bool, fromID int64) (map[int64]*rowsHash, error) {
	d, err := loadDictionary(ctx, c)
	if err != nil {
		return nil, err
	}
	cols := "id, batch_id, ts, staff, ctx, subject_id, records, file, mail_to, attachment, attach_size, line, fp"
	if seq {
		cols += ", seq"
	}
	rows, err := c.QueryContext(ctx, "SELECT "+cols+" FROM event_data WHERE id >= ? ORDER BY id",
		[]driver.NamedValue{{Ordinal: 1, Value: fromID}})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	out := map[int64]*rowsHash{}
	var e domain.Event
	var buf []byte
	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return out, err
			}
		}
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		batch := i64(dest[1])
		e = domain.Event{Time: unixOrZero(sql.NullInt64{Int64: i64(dest[2]), Valid: true}), StaffID: d.s[i64(dest[3])],
			SubjectID: d.s[i64(dest[5])], Records: i64(dest[6]), File: asString(dest[7]), MailTo: asString(dest[8]),
			Attachment: asString(dest[9]), AttachSize: i64(dest[10]), Line: int(i64(dest[11]))}
		kind := ""
		if cx := d.ctx[i64(dest[4])]; cx != nil {
			e.StaffName, e.Terminal, e.System, e.Function = cx.name, cx.terminal, cx.system, cx.function
			e.Action, e.RawAction, e.Result, e.Device, kind = cx.action, cx.rawAction, cx.result, cx.device, string(cx.kind)
		} else {
			// An event whose context row is gone: hash what is left, so
			// that the digest cannot match.
			kind = "\x00missing"
		}
		if seq {
			e.Seq = i64(dest[13])
		}
		r := out[batch]
		if r == nil {
			r = newRowsHash()
			out[batch] = r
		}
		buf = appendEventCanon(buf[:0], &e, kind, i64(dest[12]))
		r.h.Write(buf)
		r.n++
	}
}

// digestVersion prefixes master and settings digests.
const digestVersion = "m1"

// canonRow is the canonical text of one row of a table: a JSON object of
// its columns, keys sorted, with empty values (”, 0, NULL) left out, so
// that a column added later with an empty default does not change the
// digest of rows stored before it.
func canonRow(cols map[string]any) string {
	keys := make([]string, 0, len(cols))
	for k, v := range cols {
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" {
				continue
			}
		case []byte:
			if len(x) == 0 {
				continue
			}
			cols[k] = string(x)
		case int64:
			if x == 0 {
				continue
			}
		case float64:
			if x == 0 {
				continue
			}
		case bool:
			if !x {
				continue
			}
			cols[k] = int64(1)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(cols[k])
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.String()
}

// setDigest is the digest of a set of canonical rows (order does not
// matter: they are sorted first).
func setDigest(rows []string) string {
	sort.Strings(rows)
	h := sha256.New()
	for _, r := range rows {
		io.WriteString(h, r)
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf("%s:%d:%s", digestVersion, len(rows), hex.EncodeToString(h.Sum(nil)))
}

// tableRows returns the canonical rows of a master table, every column
// but the surrogate key "id" of tables that have one (access_grant,
// watch_entry, overtime…): the key says nothing about the master. where
// filters them (with args), "" for all.
func tableRows(ctx context.Context, db DBTX, table, where string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	skipID := table != "staff" // staff.id is the 職員ID, not a surrogate
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if skipID && c == "id" {
				continue
			}
			m[c] = vals[i]
		}
		out = append(out, canonRow(m))
	}
	return out, rows.Err()
}

// MasterDigest is the digest of one master's table as stored now (kind as
// in MasterKinds).
func (s *Store) MasterDigest(ctx context.Context, kind string) (string, error) {
	return masterDigest(ctx, s.db, kind)
}

func masterDigest(ctx context.Context, db DBTX, kind string) (string, error) {
	table, ok := masterTables[kind]
	if !ok {
		return "", fmt.Errorf("store: unknown master kind %q", kind)
	}
	rows, err := tableRows(ctx, db, table, "")
	if err != nil {
		return "", err
	}
	return setDigest(rows), nil
}

// staffColumns is one 職員マスタ version as the staff table stores it
// (keep in step with insertStaff), for rewinding on-screen edits in
// verify: their audit entries hold the versions, not the table.
func staffColumns(st domain.Staff) map[string]any {
	usb := int64(0)
	if st.USBAllowed {
		usb = 1
	}
	return map[string]any{"id": st.ID, "name": st.Name, "dept": st.Dept, "title": st.Title, "employment": st.Employment,
		"start_date": fmtDate(st.Start), "end_date": fmtDate(st.End), "usb": usb, "subject_id": st.SubjectID,
		"systems": joinList(st.Systems), "accounts": joinList(st.Accounts), "line": int64(st.SourceLine)}
}

// settingsDigest is the digest of settings (the hearing sheet's answers):
// keys with an empty value count as absent.
func settingsDigest(kv map[string]string) string {
	rows := make([]string, 0, len(kv))
	for k, v := range kv {
		if v != "" {
			rows = append(rows, canonRow(map[string]any{"key": k, "value": v}))
		}
	}
	return setDigest(rows)
}

// hearingSettings returns the settings that hold the hearing sheet.
func hearingSettings(ctx context.Context, db DBTX) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT key, value FROM setting WHERE key LIKE 'hearing.%'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// ConfigDigest is the digest of a run's stored configuration snapshot.
func ConfigDigest(config string) string {
	sum := sha256.Sum256([]byte(config))
	return hex.EncodeToString(sum[:])
}
