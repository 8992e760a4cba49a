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

// ActionStatus is where the follow-up of a finding (対応状況) stands: the
// action decided on (対応内容), who owns it (担当) and by when (期限). The
// zero value is ActionNone: nothing decided yet.
type ActionStatus string

// Action statuses, in the order follow-up moves through them.
const (
	ActionNone       ActionStatus = ""            // 未定
	ActionTodo       ActionStatus = "todo"        // 未着手
	ActionInProgress ActionStatus = "in_progress" // 対応中
	ActionDone       ActionStatus = "done"        // 対応済み
)

// ActionStatuses lists every action status, for pick lists.
var ActionStatuses = []ActionStatus{ActionNone, ActionTodo, ActionInProgress, ActionDone}

// Label returns the Japanese label of an action status.
func (s ActionStatus) Label() string {
	switch s {
	case ActionNone:
		return "未定"
	case ActionTodo:
		return "未着手"
	case ActionInProgress:
		return "対応中"
	case ActionDone:
		return "対応済み"
	}
	return string(s)
}

// Review is the current review state of one finding, with the follow-up
// decided for it.
type Review struct {
	Key     FindingKey
	Status  ReviewStatus
	Comment string
	By      string
	At      time.Time

	// Follow-up (推奨対応 taken up): what is to be done, by whom, by when,
	// and how far it has come. Empty until someone decides.
	Action       string
	Owner        string
	Due          time.Time // zero when no deadline
	ActionStatus ActionStatus
}

// Closed reports whether the finding needs nothing more: reviewed to a
// closing status, and any follow-up decided for it is done. A finding
// that is not closed is carried into the next report (前回までの指摘事項).
func (r Review) Closed() bool {
	if !r.Status.Closing() {
		return false
	}
	return r.ActionStatus == ActionNone || r.ActionStatus == ActionDone
}

// Case is one story: the findings of one or more people that belong to
// one chain of events (an export, the internal mail that passed it on and
// the colleague's USB copy; a borrowed ID and the person who used it), or a
// single finding that stands alone. The 総括, the ranking and the review
// present cases, worst first, so that a 課長 reads what happened rather
// than a list of events.
type Case struct {
	// Key identifies the case across runs: the story ID and the key of
	// its leading finding, e.g. "HANDOFF_CHAIN:EXPORT_HANDOFF/S012/2025-05-23".
	Key string `json:"key"`
	// Story is the story's ID in the story catalogue (rules.Stories), or
	// "" for a case made of one person's findings of one rule.
	Story string `json:"story"`
	// Summary is one plain Japanese sentence naming what happened, who
	// and when, e.g. 「住民記録から住民12,480人分を出力し、庁内メールで権限のない職員に渡し、
	// その職員がUSBメモリに書き込んだ（5月23日 16:20〜16:48）」.
	Summary  string       `json:"summary"`
	Staff    []string     `json:"staff"` // the people involved, the main actor first
	From     string       `json:"from"`  // first day, YYYY-MM-DD
	To       string       `json:"to"`    // last day, YYYY-MM-DD
	Severity Severity     `json:"severity"`
	Score    float64      `json:"score"`
	Events   int          `json:"events"` // events behind it, over all its findings
	Findings []FindingKey `json:"findings"`
	// Actions are the recommended actions (推奨対応) from the catalogue,
	// most important first.
	Actions []string `json:"actions"`
	// CarriedOut is true when the chain took data out of the office
	// (removable media, external mail): such cases rank first.
	CarriedOut bool `json:"carried_out"`
	// Excluded is true when every finding of the case is excluded: the
	// case is listed, last, and not counted as open.
	Excluded bool `json:"excluded"`
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
	// Cases are the keys of the cases (stories) this person is part of,
	// worst first; the first reason names the worst of them.
	Cases []string `json:"cases,omitempty"`
}
