// Package domain holds the core types of Tenken: log events, the masters,
// findings and inspection runs. Every other package (store, ingest, rules,
// report, GUI, CLI) speaks in these terms; this package depends on nothing
// but the standard library.
package domain

import "time"

// Action is the canonical kind of operation recorded in a log row.
type Action string

// Canonical actions (DOMAIN.md, "Action values map to").
const (
	ActionLookup        Action = "LOOKUP"
	ActionUpdate        Action = "UPDATE"
	ActionExport        Action = "EXPORT"
	ActionLogin         Action = "LOGIN"
	ActionLogout        Action = "LOGOUT"
	ActionLoginFail     Action = "LOGIN_FAIL"
	ActionDeviceWrite   Action = "DEVICE_WRITE"
	ActionDeviceConnect Action = "DEVICE_CONNECT"
	ActionMailSend      Action = "MAIL_SEND" // a mail sent (mail logs)
	ActionPrint         Action = "PRINT"     // a print job (endpoint logs)
	ActionFile          Action = "FILE"      // a file operation other than a device write (endpoint logs)
	ActionOther         Action = "OTHER"
)

// LogKind says what kind of log a system's export is.
type LogKind string

// Log kinds.
const (
	KindAccess   LogKind = "access"   // 業務システムのアクセスログ
	KindEndpoint LogKind = "endpoint" // 資産管理（端末）ログ: logon, USB/device, file, print
	KindMail     LogKind = "mail"     // メールログ: sender, recipients, attachments
)

// Event is one accepted log row in canonical form.
type Event struct {
	Time       time.Time // wall-clock JST, carried in time.UTC: never converted between zones
	StaffID    string
	StaffName  string
	Terminal   string
	System     string
	Function   string
	Action     Action
	RawAction  string // the action text as written in the log
	SubjectID  string // 宛名番号 etc.; never printed unmasked by default
	Records    int64
	Result     string
	Device     string
	File       string
	MailTo     string  // recipients of a mail, separated by ";" when several
	Attachment string  // attachment file names of a mail ("" when none)
	AttachSize int64   // total attachment size in bytes, 0 when unknown
	Kind       LogKind // the kind of log the row came from
	Batch      int64   // import batch the row came from (0 before it is stored)
	Line       int     // line number of the row in its source file
	// Seq is the log's own running number (通番, ログ番号), 0 when the log
	// carries none. A hole or a repeat in it is a sign of deleted or
	// altered rows (LOG_GAP).
	Seq int64
}

// Staff is one row of the 職員マスタ.
type Staff struct {
	ID         string
	Name       string
	Dept       string
	Title      string
	Employment string    // 正規/会計年度任用/再任用/委託/派遣
	Start      time.Time // 着任日; zero when unknown
	End        time.Time // 離任日; zero when still in post
	USBAllowed bool
	SubjectID  string   // 本人宛名番号
	Systems    []string // 利用可能システム (from the staff master)
	// Accounts are the person's other accounts: Windows logon names and mail
	// addresses seen in endpoint and mail logs, so that events of one person
	// in different logs can be joined (EXPORT_THEN_DEVICE).
	Accounts []string
	// Email is the person's mail address(es) from the master's
	// メールアドレス column, so mail logs resolve to the person
	// (EXPORT_HANDOFF's receiver, MAIL_EXTERNAL's sender).
	Email      []string
	SourceLine int
}

// Reception is one row of the 受付簿: the paper trail of window and case
// work. A lookup of a resident with whom the looking-up staff member's
// 所属 has no business on record (no Reception, no update or issue by the
// 所属) is UNMATCHED_LOOKUP (guideline 2Cb 「ログと関連する書面の記録を照合」).
type Reception struct {
	Time       time.Time // 受付日時, or midnight of 受付日 when only the day is known
	HasClock   bool      // whether Time carries a time of day
	No         string    // 受付番号
	Dept       string    // 所属 (窓口) that received it
	Procedure  string    // 手続名 (転入届, 住民票の写し交付申請 …)
	SubjectID  string    // 宛名番号 of the resident the procedure is about
	StaffID    string    // 受付者ID, "" when not recorded
	SourceLine int
}

// Overtime is one approved 時間外申請: the staff member may work on Date
// between From and To (durations since midnight; To may pass 24h for work
// running past midnight).
type Overtime struct {
	StaffID    string
	Date       time.Time
	From, To   time.Duration
	SourceLine int
}

// WatchEntry is one row of the 要注意対象 list: a protected resident whose
// records only the listed departments may look up.
type WatchEntry struct {
	SubjectID  string   // 宛名番号
	Category   string   // DV等支援措置 / 著名人 / 職員・家族 / その他
	Depts      []string // 閲覧可能所属
	StaffID    string   // for 職員・家族: the staff member it belongs to, if known
	From, To   time.Time
	SourceLine int
}

// Active reports whether the staff member was in post on day d.
func (s Staff) Active(d time.Time) bool {
	day := DateOf(d)
	if !s.Start.IsZero() && day.Before(DateOf(s.Start)) {
		return false
	}
	if !s.End.IsZero() && day.After(DateOf(s.End)) {
		return false
	}
	return true
}

// Grant is one row of the 権限マスタ: a staff member or a whole department
// may use a system (optionally only with one permission) during a period.
type Grant struct {
	StaffID    string // either StaffID or Dept is set
	Dept       string
	System     string
	Permission string // 照会/更新/出力 or "" for all
	From, To   time.Time
}

// Severity of a finding.
type Severity string

// Severities, highest first.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
)

// Rank orders severities for sorting, highest first: high 0, medium 1,
// low 2, anything else 3.
func (s Severity) Rank() int {
	switch s {
	case High:
		return 0
	case Medium:
		return 1
	case Low:
		return 2
	}
	return 3
}

// SeverityLabel returns the Japanese label of a severity.
func SeverityLabel(s Severity) string {
	switch s {
	case High:
		return "高"
	case Medium:
		return "中"
	case Low:
		return "低"
	}
	return string(s)
}

// Finding is one result of a rule: one staff member, one day, one rule.
type Finding struct {
	ID       int64
	RunID    int64
	Rule     string
	StaffID  string
	Date     string // YYYY-MM-DD
	Severity Severity
	Count    int
	Detail   string  // plain Japanese explanation
	Evidence []Event // the rows behind it (may be capped)
	Excluded bool
}

// ImportBatch records one imported file.
type ImportBatch struct {
	ID         int64
	File       string
	Size       int64
	SHA256     string
	Encoding   string
	System     string
	Kind       LogKind
	Mapping    string // column → field, human readable
	Read       int
	Accepted   int
	Rejected   int
	Duplicate  int
	ImportedAt time.Time
	MinTime    time.Time
	MaxTime    time.Time
}

// Reject is one input row that was not accepted, with its reason.
type Reject struct {
	Line   int
	Column string
	Reason string
	Raw    string
}

// Default working hours of DOMAIN.md (勤務時間), before the hearing sheet
// says otherwise.
const (
	DefaultWorkStart = "08:30"
	DefaultWorkEnd   = "17:15"
)

// Run is one inspection run.
type Run struct {
	ID       int64
	From, To time.Time
	At       time.Time
	Config   string // JSON snapshot of the configuration used
	Findings int
}

// DateOf truncates t to its calendar day, keeping t's location.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Error is an error whose message is meant for the user, in Japanese.
type Error struct {
	Code    string // stable, English, for programs
	Message string // Japanese, for people
	Err     error  // cause, if any
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
