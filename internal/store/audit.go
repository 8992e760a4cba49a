package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"
)

// auditHeadKey is the setting that holds the audit chain's head ("count
// hash"), written in the same transaction as each entry, so that entries
// cut off the end of the chain are detected too.
const auditHeadKey = "audit.head"

// auditTimeLayout keeps sub-second precision so that hashes do not depend
// on rounding.
const auditTimeLayout = time.RFC3339Nano

// AuditHash is the hash of an audit entry: sha256 over the previous hash
// and the entry's fields in a canonical JSON array.
func AuditHash(e domain.AuditEntry) string {
	fields, _ := json.Marshal([]any{e.Seq, e.At.Format(auditTimeLayout), e.User, e.Action, e.Target, e.Before, e.After})
	h := sha256.New()
	h.Write([]byte(e.Prev))
	h.Write([]byte{0})
	h.Write(fields)
	return hex.EncodeToString(h.Sum(nil))
}

// AppendAudit appends one entry to the audit log in its own transaction
// (for changes made outside the store's own transactions, such as the
// hearing sheet's settings).
func (s *Store) AppendAudit(ctx context.Context, a Audit) (domain.AuditEntry, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return domain.AuditEntry{}, err
	}
	defer tx.Rollback()
	e, err := appendAudit(ctx, tx, a)
	if err != nil {
		return e, err
	}
	return e, tx.Commit()
}

// SetSettingsAudited stores settings and their audit entry in one
// transaction.
func (s *Store) SetSettingsAudited(ctx context.Context, kv map[string]string, a Audit) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return err
		}
	}
	if _, err := appendAudit(ctx, tx, a); err != nil {
		return err
	}
	return tx.Commit()
}

// lockWrite makes a transaction take SQLite's write lock now, before it
// reads what it is about to change: a deferred transaction that reads
// first and writes later fails with SQLITE_BUSY when another connection
// wrote in between, instead of waiting.
func lockWrite(ctx context.Context, tx DBTX) error {
	return lockWriteOn(ctx, sqlQuerier{tx})
}

func lockWriteOn(ctx context.Context, q querier) error {
	return q.exec(ctx, "INSERT INTO setting(key, value) VALUES(?, '0 ') ON CONFLICT(key) DO NOTHING", auditHeadKey)
}

func appendAudit(ctx context.Context, tx DBTX, a Audit) (domain.AuditEntry, error) {
	return appendAuditOn(ctx, sqlQuerier{tx}, a)
}

// appendAuditOn appends one entry inside the caller's transaction.
func appendAuditOn(ctx context.Context, q querier, a Audit) (domain.AuditEntry, error) {
	before, err := marshalAudit(a.Before)
	if err != nil {
		return domain.AuditEntry{}, err
	}
	after, err := marshalAudit(a.After)
	if err != nil {
		return domain.AuditEntry{}, err
	}
	// Take the write lock before reading the chain's end, so that two
	// writers cannot both extend the same entry.
	if err := lockWriteOn(ctx, q); err != nil {
		return domain.AuditEntry{}, err
	}
	e := domain.AuditEntry{At: time.Now(), User: a.User, Action: a.Action, Target: a.Target, Before: before, After: after}
	var count int64
	err = q.queryRow(ctx, "SELECT seq, hash, (SELECT count(*) FROM audit_log) FROM audit_log ORDER BY seq DESC LIMIT 1", nil, &e.Seq, &e.Prev, &count)
	if errors.Is(err, sql.ErrNoRows) {
		e.Seq, e.Prev = 0, ""
	} else if err != nil {
		return e, err
	}
	e.Seq++
	count++
	e.Hash = AuditHash(e)
	if err := q.exec(ctx, `INSERT INTO audit_log(seq, at, user_name, action, target, before, after, prev, hash)
		VALUES(?,?,?,?,?,?,?,?,?)`, e.Seq, e.At.Format(auditTimeLayout), e.User, e.Action, e.Target, e.Before, e.After, e.Prev, e.Hash); err != nil {
		return e, err
	}
	if err := q.exec(ctx, "UPDATE setting SET value = ? WHERE key = ?", fmt.Sprintf("%d %s", count, e.Hash), auditHeadKey); err != nil {
		return e, err
	}
	return e, nil
}

// AuditLog returns the audit log, oldest first.
func (s *Store) AuditLog(ctx context.Context) ([]domain.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at, user_name, action, target, before, after, prev, hash FROM audit_log ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.User, &e.Action, &e.Target, &e.Before, &e.After, &e.Prev, &e.Hash); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(auditTimeLayout, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainProblem is one break found in the audit chain.
type ChainProblem struct {
	Seq    int64
	Reason string // Japanese
}

// VerifyAudit walks the audit chain and returns every break: an entry whose
// hash does not match its fields (edited), whose previous hash is not the
// hash of the entry before it or whose number skips (deleted), and a chain
// that ends before the head recorded with the last entry (cut off).
func (s *Store) VerifyAudit(ctx context.Context) (entries int, problems []ChainProblem, err error) {
	log, err := s.AuditLog(ctx)
	if err != nil {
		return 0, nil, err
	}
	prev := ""
	var last int64
	for _, e := range log {
		if e.Seq != last+1 {
			problems = append(problems, ChainProblem{e.Seq, fmt.Sprintf("%d番の前の記録（%d〜%d番）がありません（削除の疑い）。", e.Seq, last+1, e.Seq-1)})
		}
		if e.Prev != prev {
			problems = append(problems, ChainProblem{e.Seq, fmt.Sprintf("%d番の「直前の記録のハッシュ」が一致しません（前の記録の削除・改変の疑い）。", e.Seq)})
		}
		if AuditHash(e) != e.Hash {
			problems = append(problems, ChainProblem{e.Seq, fmt.Sprintf("%d番（%s %s）の内容がハッシュと一致しません（改変の疑い）。", e.Seq, e.At.Format("2006-01-02 15:04"), e.Action)})
		}
		prev, last = e.Hash, e.Seq
	}
	head, err := s.Setting(ctx, auditHeadKey)
	if err != nil {
		return len(log), problems, err
	}
	if head == "" {
		if len(log) > 0 {
			problems = append(problems, ChainProblem{0, "監査ログの末尾の記録（件数とハッシュ）が見つかりません（改変の疑い）。"})
		}
		return len(log), problems, nil
	}
	cs, hash, _ := strings.Cut(head, " ")
	count, _ := strconv.Atoi(cs)
	switch {
	case count > len(log):
		problems = append(problems, ChainProblem{last, fmt.Sprintf("監査ログは %d 件あるはずですが、%d 件しかありません（末尾の削除の疑い）。", count, len(log))})
	case count < len(log):
		problems = append(problems, ChainProblem{last, fmt.Sprintf("監査ログは %d 件のはずですが、%d 件あります（記録の外から追加された疑い）。", count, len(log))})
	case hash != prev:
		problems = append(problems, ChainProblem{last, "監査ログの最後の記録が、記録されている末尾のハッシュと一致しません（改変の疑い）。"})
	}
	return len(log), problems, nil
}

// AuditTip returns the last entry's number and hash, (0, "") for an empty
// log. It is the chain's head that a 検証コード quotes.
func (s *Store) AuditTip(ctx context.Context) (seq int64, hash string, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return seq, hash, err
}

// AnchorHex is how many hex digits of an entry's hash a 検証コード quotes:
// 64 bits, so that an insider who rebuilds the audit log cannot grind a
// forged history to the same code.
const AnchorHex = 16

// FormatAnchor writes the 検証コード of the entry seq with the given hash:
// "128-9F3A2B7C-D41E0A55".
func FormatAnchor(seq int64, hash string) string {
	h := strings.ToUpper(hash)
	for len(h) < AnchorHex {
		h += "0"
	}
	return fmt.Sprintf("%d-%s-%s", seq, h[:AnchorHex/2], h[AnchorHex/2:AnchorHex])
}
