package domain

import "time"

// ReviewStatus is where the review of a finding stands (DOMAIN.md, "review
// outcome"). The zero value is StatusOpen.
type ReviewStatus string

// Review statuses, in the order a review moves through them.
const (
	StatusOpen      ReviewStatus = ""          // 未確認
	StatusNoIssue   ReviewStatus = "no_issue"  // 問題なし
	StatusInterview ReviewStatus = "interview" // 要ヒアリング
	StatusConfirmed ReviewStatus = "confirmed" // 不適切確定
)

// ReviewStatuses lists every status, for pick lists.
var ReviewStatuses = []ReviewStatus{StatusOpen, StatusNoIssue, StatusInterview, StatusConfirmed}

// Label returns the Japanese label of a status.
func (s ReviewStatus) Label() string {
	switch s {
	case StatusOpen:
		return "未確認"
	case StatusNoIssue:
		return "問題なし"
	case StatusInterview:
		return "要ヒアリング"
	case StatusConfirmed:
		return "不適切確定"
	}
	return string(s)
}

// Closing reports whether moving to s closes the review; a closing status
// needs a comment.
func (s ReviewStatus) Closing() bool { return s == StatusNoIssue || s == StatusConfirmed }

// FindingKey identifies a finding across inspection runs, so that a review
// made on one run carries over to the next run of the same period.
type FindingKey struct {
	Rule    string
	StaffID string
	Date    string // YYYY-MM-DD
}

// Review is the current review state of one finding.
type Review struct {
	Key     FindingKey
	Status  ReviewStatus
	Comment string
	By      string
	At      time.Time
}

// Exclusion scope kinds.
const (
	ExcludeStaff   = "staff"   // every finding of a staff member
	ExcludeAccount = "account" // a log account that is not a staff member (system or batch accounts)
	ExcludeFinding = "finding" // one finding
)

// Exclusion removes staff, an account or one finding from the review. It
// is never silent: it carries a reason, who decided it and when, and it is
// listed in the report.
type Exclusion struct {
	ID      int64
	Kind    string // ExcludeStaff, ExcludeAccount or ExcludeFinding
	StaffID string // the staff ID or account
	Finding *FindingKey
	Reason  string
	By      string // who approved it
	At      time.Time
	Revoked *time.Time // set when the exclusion was withdrawn (kept, not deleted)
	// RevokeReason and RevokedBy say why and by whom it was withdrawn.
	RevokeReason string
	RevokedBy    string
}

// AuditEntry is one change a user made, appended to the hash-chained audit
// log. Before and After are JSON (or "" when there was nothing).
type AuditEntry struct {
	Seq    int64
	At     time.Time
	User   string
	Action string // e.g. "review.set", "exclusion.add", "master.staff.import", "hearing.set"
	Target string // what was changed, e.g. "AFTER_HOURS/S001/2025-05-03"
	Before string
	After  string
	Prev   string // hash of the previous entry (hex), "" for the first
	Hash   string // sha256 over Prev and the fields above (hex)
}

// RankEntry is one staff member's place in the risk ranking.
type RankEntry struct {
	StaffID  string   `json:"staff_id"`
	Name     string   `json:"name"`
	Dept     string   `json:"dept"`
	Score    float64  `json:"score"`
	Rank     int      `json:"rank"`
	Reasons  []string `json:"reasons"` // plain Japanese, worst first
	Findings int      `json:"findings"`
	Excluded bool     `json:"excluded"`
}
