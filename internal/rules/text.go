package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const secondsPerDay = 86400

// wallSec returns t's wall-clock time as seconds since 1970-01-01 00:00 of
// the same wall clock. Times arrive as JST carried in UTC, for which this is
// t.Unix(); for any other location the offset is added, so that a time is
// never converted between zones.
func wallSec(t time.Time) int64 {
	s := t.Unix()
	if t.Location() != time.UTC {
		_, off := t.Zone()
		s += int64(off)
	}
	return s
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// dayOf returns the day number of t's wall-clock date.
func dayOf(t time.Time) int32 {
	return int32(floorDiv(wallSec(t), secondsPerDay))
}

// dayTime returns midnight of a day number, in the UTC carrier.
func dayTime(day int32) time.Time {
	return time.Unix(int64(day)*secondsPerDay, 0).UTC()
}

// jpDate formats a day number as 2025年4月30日.
func jpDate(day int32) string {
	y, m, d := dayTime(day).Date()
	return fmt.Sprintf("%d年%d月%d日", y, int(m), d)
}

// clock formats seconds of the day as 8:30, or 8:30:15 when the seconds
// matter.
func clock(sec int32) string {
	h, m, s := sec/3600, sec/60%60, sec%60
	if s != 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", h, m)
}

// minuteClock formats seconds of the day as 21:40, dropping the seconds:
// event times in details are read at a glance, the evidence has the rest.
func minuteClock(sec int32) string {
	return fmt.Sprintf("%d:%02d", sec/3600, sec/60%60)
}

// timeRange formats a span of event times: 21:40〜22:05, or 21:40 alone.
func timeRange(s span) string {
	lo, hi := minuteClock(s.lo), minuteClock(s.hi)
	if lo == hi {
		return lo
	}
	return lo + "〜" + hi
}

// parseClock reads "8:30", "08:30" or "08:30:00" (full-width digits too)
// as seconds of the day; "24:00" is the end of the day.
func parseClock(s string) (int32, bool) {
	s = strings.TrimSpace(norm.NFKC.String(s))
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var v [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 {
			return 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, false
		}
		v[i] = n
	}
	h, m, sec := v[0], v[1], v[2]
	if m > 59 || sec > 59 || h > 24 || (h == 24 && (m != 0 || sec != 0)) {
		return 0, false
	}
	return int32(h*3600 + m*60 + sec), true
}

// idKey is the matching key of a trimmed staff ID: IDs made only of ASCII
// characters match case-insensitively, others exactly. Logs and masters
// disagree on the case of IDs such as "a001" / "A001" (some systems upper-
// case what was typed), while no town issues two accounts differing only in
// case.
func idKey(id string) string {
	for i := 0; i < len(id); i++ {
		if id[i] >= 0x80 {
			return id
		}
	}
	return strings.ToLower(id)
}

// nameKey is the matching key of a system or department name: NFKC-folded
// (全角 letters and digits become ASCII), without white space, lower-case.
// Such names are typed by hand in masters and hearing sheets, so "住民記録",
// "住民 記録" and "住民記録　" must be one system.
func nameKey(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// permissionWords maps a word of the 権限 column to its permission bits.
var permissionWords = map[string]uint8{
	"照会": permLookup, "参照": permLookup, "閲覧": permLookup, "検索": permLookup,
	"lookup": permLookup, "read": permLookup, "view": permLookup,
	"更新": permUpdate, "登録": permUpdate, "修正": permUpdate, "削除": permUpdate,
	"変更": permUpdate, "入力": permUpdate, "update": permUpdate, "write": permUpdate,
	"出力": permExport, "印刷": permExport, "帳票": permExport, "帳票出力": permExport,
	"csv出力": permExport, "ダウンロード": permExport, "export": permExport, "print": permExport,
	"全て": permAll, "すべて": permAll, "全部": permAll, "全権": permAll, "全権限": permAll,
	"全機能": permAll, "管理": permAll, "管理者": permAll, "all": permAll, "*": permAll,
}

// permissionMask reads the 権限 column of a 権限マスタ row. Blank means
// every permission. Otherwise the words (照会・更新, 照会/出力, …) are
// looked up one by one; a word it does not know grants nothing beyond
// the use of the system, so a typo shows up as a finding instead of
// silently widening a permission. Suffixes such as のみ and 権限 are
// ignored; a negation such as 出力不可 is an unknown word and grants nothing.
func permissionMask(s string) uint8 {
	s = strings.TrimSpace(norm.NFKC.String(s))
	if s == "" {
		return permAll
	}
	mask := permUse
	words := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("・、,;/|", r)
	})
	for _, w := range words {
		mask |= permissionWord(strings.ToLower(w))
	}
	return mask
}

// permissionWord looks a word up, then again without each known suffix in
// turn (照会権限のみ → 照会権限 → 照会).
func permissionWord(w string) uint8 {
	for {
		if bits, ok := permissionWords[w]; ok {
			return bits
		}
		trimmed := false
		for _, suffix := range []string{"のみ", "権限", "可"} {
			if len(w) > len(suffix) && strings.HasSuffix(w, suffix) {
				w = strings.TrimSuffix(w, suffix)
				trimmed = true
				break
			}
		}
		if !trimmed {
			return 0
		}
	}
}

// permissionName is the Japanese word of one permission bit.
func permissionName(bit uint8) string {
	switch bit {
	case permLookup:
		return "照会"
	case permUpdate:
		return "更新"
	case permExport:
		return "出力"
	}
	return "利用"
}

// permissionList names the data permissions in mask: "照会・更新".
func permissionList(mask uint8) string {
	var names []string
	for _, bit := range []uint8{permLookup, permUpdate, permExport} {
		if mask&bit != 0 {
			names = append(names, permissionName(bit))
		}
	}
	return strings.Join(names, "・")
}
