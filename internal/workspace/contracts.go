package workspace

import (
	"time"

	"tenken/internal/domain"
)

// The types in this file are shared between the engine's areas (import,
// masters, verification) and the two faces: the GUI binds to them, so they
// change only additively.

// ColumnChoice is how one column of an input file maps to a canonical field.
type ColumnChoice struct {
	Index      int     // 0-based column index in the file
	Header     string  // the header as written in the file
	Field      string  // canonical field (DOMAIN.md: time, staff_id, ...); "" = not used
	Confidence float64 // 1 exact synonym, lower for weaker matches, 0 unmapped
}

// LogPreview is what the import screen shows before anything is written:
// how the file was read, how its columns map, its first rows and the
// rows among them that would be rejected.
type LogPreview struct {
	File       string
	Encoding   string // Japanese label, e.g. "Shift_JIS (CP932)"
	Delimiter  string // Japanese label, e.g. "カンマ"
	Sheets     []string
	Sheet      string // the sheet read (xlsx only)
	HeaderLine int    // 1-based line of the header row
	Headers    []string
	Columns    []ColumnChoice
	Missing    []string // Japanese names of required fields that no column provides
	Kind       domain.LogKind
	System     string     // the system name from the profile or a system column, if any
	Rows       [][]string // the first data rows, as read
	Rejects    []domain.Reject
}

// MasterPreview is what the master import screen shows before anything is
// written: the mapping, how many rows would be accepted, and the rows that
// would be rejected with their reasons.
type MasterPreview struct {
	Kind     MasterKind
	File     string
	Encoding string
	Columns  []ColumnChoice
	Missing  []string
	Rows     [][]string // the first data rows, as read
	Read     int
	Accepted int
	Rejects  []domain.Reject
	// FilledDown counts 受付簿 rows whose blank 受付日 or 所属 would be
	// taken from the row above (cells merged in Excel).
	FilledDown int
}

// SampleCheck is one lookup drawn for the 抽出点検 list (SampleChecks):
// where a 所属 keeps no 受付簿, the clerk finds the paper 申請書 behind it
// and ticks 申請書あり or なし.
type SampleCheck struct {
	StaffID   string
	StaffName string
	Dept      string // 所属 on the day of the lookup
	No        int    // 1, 2, … within the staff member's list, in time order
	Of        int    // the staff member's lookups in the period it was drawn from
	Time      time.Time
	System    string
	Function  string // 機能・画面 as the log wrote it
	Action    string // 操作 as the log wrote it (照会, 参照 …)
	Subject   string // 宛名番号, masked unless SampleOptions.Unmask
	File      string // the log file the row came from
	Line      int    // its line in that file
	Seq       int64  // its 通番, 0 when the log has none
}

// VerifyCheck is one check of `tenken verify`.
type VerifyCheck struct {
	Name   string // Japanese, e.g. "監査ログのハッシュ連鎖"
	OK     bool
	Detail string // Japanese explanation; on failure, what is wrong and what to do
}

// VerifyReport is the outcome of Verify.
type VerifyReport struct {
	Checks []VerifyCheck
}

// OK reports whether every check passed.
func (r *VerifyReport) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}
