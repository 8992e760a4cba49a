package workspace

import (
	"context"
	"fmt"
	"strings"
)

// anchorHex is how many hex digits of the entry's hash a 検証コード quotes:
// 64 bits, so that an insider who rebuilds the audit log cannot grind a
// forged history to the same code.
const anchorHex = 16

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
func FormatAnchor(seq int64, hash string) string {
	h := strings.ToUpper(hash)
	for len(h) < anchorHex {
		h += "0"
	}
	return fmt.Sprintf("%d-%s-%s", seq, h[:anchorHex/2], h[anchorHex/2:anchorHex])
}
