package csvin

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold normalises s with Unicode NFKC for matching headers, IDs and codes:
// full-width digits, letters and spaces become ASCII, half-width katakana
// become full-width (ｶﾞ → ガ), circled digits become digits (① → 1) and
// era ligatures are spelled out (㍻ → 平成). Name variants such as 髙 and
// 﨑 are kept: 髙 is an ordinary unified ideograph and 﨑 (U+FA11) one of
// the compatibility-block characters without a decomposition, so NFKC
// leaves both alone. NFKC also maps the full-width tilde ～ to ~: Fold is
// for comparing, not for storing what the user wrote.
//
// Pure ASCII strings (the common case for IDs) are returned unchanged
// without allocating; so are strings already in NFKC.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFKC.String(s)
		}
	}
	return s
}
