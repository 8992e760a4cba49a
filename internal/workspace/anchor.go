package workspace

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"tenken/internal/domain"
	"tenken/internal/store"
)

// anchorHex is how many hex digits of the entry's hash a 検証コード quotes
// (store.AnchorHex).
const anchorHex = store.AnchorHex

// Anchor returns the 検証コード of the audit log as it stands: the last
// entry's number and the first 64 bits of its hash, e.g.
// "128-9F3A2B7C-D41E0A55". Printed on every report and 年間総括, it ties the
// paper copy to the history: `tenken verify --anchor CODE` fails when that
// entry is no longer in the chain unchanged.
func (w *Workspace) Anchor(ctx context.Context) (string, error) {
	seq, hash, err := w.store.AuditTip(ctx)
	if err != nil {
		return "", err
	}
	return FormatAnchor(seq, hash), nil
}

// FormatAnchor writes a 検証コード for the entry seq with the given hash.
func FormatAnchor(seq int64, hash string) string { return store.FormatAnchor(seq, hash) }

// ParseAnchor reads a 検証コード as FormatAnchor writes it (case, spaces
// and full-width characters are forgiven, since it is typed from paper):
// the entry's number and the first 16 hex digits of its hash, upper case.
func ParseAnchor(code string) (seq int64, prefix string, err error) {
	c := strings.ToUpper(strings.Join(strings.Fields(norm.NFKC.String(code)), ""))
	parts := strings.Split(c, "-")
	bad := &domain.Error{Code: "bad_anchor", Message: fmt.Sprintf("検証コード「%s」の形が正しくありません。報告書に印刷された「番号-8桁-8桁」（例: 128-9F3A2B7C-D41E0A55）をそのまま指定してください。", code)}
	if len(parts) != 3 || len(parts[1]) != anchorHex/2 || len(parts[2]) != anchorHex/2 {
		return 0, "", bad
	}
	seq, perr := strconv.ParseInt(parts[0], 10, 64)
	if perr != nil || seq < 0 {
		return 0, "", bad
	}
	prefix = parts[1] + parts[2]
	if _, herr := hex.DecodeString(prefix); herr != nil {
		return 0, "", bad
	}
	return seq, prefix, nil
}

// CheckAnchor reports whether the audit log still holds, unchanged and in
// an unbroken chain, the entry a 検証コード names. A code taken from a
// report names the last entry when the report was made; since every
// entry's hash covers the one before it, the code vouches for the whole
// history up to then. ok is false with a Japanese reason when the entry
// is gone, differs, or the chain before it is broken: the history was
// edited, rebuilt or re-hashed after the report was handed out.
func (w *Workspace) CheckAnchor(ctx context.Context, code string) (ok bool, detail string, err error) {
	seq, prefix, err := ParseAnchor(code)
	if err != nil {
		return false, "", err
	}
	if seq == 0 {
		return true, fmt.Sprintf("検証コード %s は、監査ログが空のときのものです。", code), nil
	}
	log, err := w.store.AuditLog(ctx)
	if err != nil {
		return false, "", err
	}
	_, problems, err := w.store.VerifyAudit(ctx)
	if err != nil {
		return false, "", err
	}
	var entry *domain.AuditEntry
	for i := range log {
		if log[i].Seq == seq {
			entry = &log[i]
		}
	}
	if entry == nil {
		return false, fmt.Sprintf("検証コード %s の記録（%d 番）が監査ログにありません（監査ログは %d 件）。報告書を作った後で監査ログが削除・作り直されています。", code, seq, len(log)), nil
	}
	if got := FormatAnchor(entry.Seq, entry.Hash); got != FormatAnchor(seq, prefix) {
		return false, fmt.Sprintf("検証コード %s の記録（%d 番）のハッシュが、今は %s です。報告書を作った後で、それまでの監査ログが書き換えられ、ハッシュが計算し直されています。", code, seq, got), nil
	}
	for _, p := range problems {
		if p.Seq <= seq {
			return false, fmt.Sprintf("検証コード %s の記録（%d 番）までの監査ログの連鎖が切れています（%d 番: %s）。", code, seq, p.Seq, p.Reason), nil
		}
	}
	return true, fmt.Sprintf("検証コード %s の記録（%d 番、%s %s）と、それまでの監査ログは変わっていません。", code, seq, entry.At.Format("2006-01-02 15:04"), entry.Action), nil
}

func (w *Workspace) verifyAnchors(ctx context.Context, codes []string) (VerifyCheck, error) {
	c := VerifyCheck{Name: CheckAnchor, OK: true}
	var details []string
	for _, code := range codes {
		ok, detail, err := w.CheckAnchor(ctx, code)
		if err != nil {
			return c, err
		}
		c.OK = c.OK && ok
		details = append(details, detail)
	}
	c.Detail = strings.Join(details, " ")
	return c, nil
}
