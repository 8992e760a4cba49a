// Package rules holds the inspection rules of Tenken (DOMAIN.md, "Rules"):
// the checks that turn a period's access-log events into findings.
//
// The engine makes one pass over the events, ordered by staff ID and time,
// as the store streams them. For every staff member it keeps a small state
// (who the ID belongs to on the current day, which systems and permissions
// the masters grant that day, the approved overtime windows) and hands each
// event to the enabled rules. A rule that objects to an event adds it to the
// draft finding of (rule, staff, date); drafts become domain.Finding values
// at the end. Nothing on the per-event path allocates except the evidence
// rows a finding keeps, so a run over millions of rows costs little more
// than reading them.
//
// Rules that need more than one event keep their own small state in the
// same pass: LOGIN_FAILURE a ring of recent failures, SHARED_ID the
// terminals an account is using, BULK_EXPORT the day's list exports.
// REPEATED_SUBJECT and BULK_LOOKUP buffer one account's resident lookups
// and judge them when the stream moves to the next account; BULK_LOOKUP
// finishes after the pass, when every department's usual day (median) is
// known. EXPORT_THEN_DEVICE joins, after the pass, each person's exports
// with their removable-media writes and external mails, which arrive under
// other accounts (Windows logon, mail address) that Staff.Accounts ties to
// the same person. LOG_GAP keeps a bit per system and day and the time of
// every line of every imported file, and judges after the pass.
//
// Why one pass in Go rather than SQL per rule: each set-based rule is at
// least one scan of the period's events, as costly as the reference
// GROUP BY of the speed target, so sixteen rules would cost sixteen scans;
// and half the rules (bursts, sessions, windows, baselines, order within a
// file) are sequential by nature. The single ordered pass reads the events
// once (store.EachEvent decodes them from an in-memory dictionary) and
// costs about 1.5× one GROUP BY over a million rows (BenchmarkRulesVsReference
// in the store package).
//
// Identities. A staff ID in a log matches a 職員マスタ row when the two are
// equal after trimming surrounding white space; IDs made only of ASCII
// characters are compared case-insensitively (A001 = a001), other IDs
// exactly. System and department names are compared after NFKC folding
// (full-width letters and digits), removal of all white space and case
// folding, because they are typed by hand in masters and hearing sheets.
package rules

import (
	"context"
	"errors"
	"time"

	"tenken/internal/calendar"
	"tenken/internal/domain"
)

// Source is what the rules read. EachEvent streams the events with
// from <= Time < to, ordered by StaffID then Time. The event passed to fn
// may be reused between calls; the rules copy what they keep.
type Source interface {
	EachEvent(ctx context.Context, from, to time.Time, fn func(*domain.Event) error) error
}

// Config is one inspection run's configuration, taken from the hearing sheet
// and the masters valid for the period.
type Config struct {
	// From and To are the first and the last day of the period, inclusive;
	// only their calendar dates count.
	From, To time.Time
	// WorkStart and WorkEnd are the working hours ("08:30", "17:15"); an
	// event is inside iff WorkStart <= time of day <= WorkEnd, to the second.
	// Empty means the default of DOMAIN.md.
	WorkStart, WorkEnd string
	// Calendar says which days are 閉庁日; nil means calendar.Default().
	Calendar *calendar.Calendar
	// Staff is the 職員マスタ. A staff ID may have several rows (再任用,
	// 兼務): it is in post on a day if any of its rows is.
	Staff []domain.Staff
	// Grants is the 権限マスタ.
	Grants []domain.Grant
	// Overtime lists the approved 時間外申請; events inside an approved
	// window are neither AFTER_HOURS nor HOLIDAY (nor DEVICE_WRITE for
	// being outside hours).
	Overtime []domain.Overtime
	// DeptHours are working hours of departments that differ from
	// WorkStart–WorkEnd (24h 施設, 窓口 opening earlier), keyed by 所属 as
	// written in the 職員マスタ.
	DeptHours map[string]Hours
	// Extended lists days on which a department's (or everyone's) hours
	// differ, such as 窓口延長 every Thursday or on one date.
	Extended []HoursException
	// Watchlist is the 要注意対象 list of WATCHLIST (and, for entries of
	// category 職員・家族 that name a staff member, SELF_LOOKUP's family).
	Watchlist []domain.WatchEntry
	// Reception is the 受付簿 (UNMATCHED_LOOKUP's record of business with
	// residents): the rows of the period and of the days before it that
	// the rule's windows reach (workspace reads ReceptionLookback days
	// before From and ReceptionLookahead days after To), ordered by time.
	// nil when the town keeps none; the 抽出点検 list stands in for it.
	Reception []domain.Reception
	// Thresholds tune the rules; the zero value means the defaults of
	// DOMAIN.md.
	Thresholds Thresholds
	// OwnDomains are the town's mail domains, PartnerDomains its partners'
	// (社協, 委託先): MAIL_EXTERNAL flags mail with attachments to any other
	// domain. A domain also covers its subdomains.
	OwnDomains, PartnerDomains []string
	// FreeMail lists free-mail and carrier domains whose addresses are
	// personal (highest severity); nil means DefaultFreeMail.
	FreeMail []string
	// Enabled selects the rules to run by ID; nil runs every implemented
	// rule. An ID not in the catalogue is an error.
	Enabled map[string]bool
	// MaxEvidence is how many evidence rows a finding keeps (the earliest
	// ones); 0 means 50, a negative value keeps none. Count always counts
	// every event.
	MaxEvidence int
}

// Hours are working hours, "08:30" to "17:15".
type Hours struct {
	Start, End string
}

// HoursException gives a department (or, with Dept empty, everyone)
// different hours on one date or on every given weekday.
type HoursException struct {
	Dept    string       // 所属; "" = every department
	Date    time.Time    // a single day; zero when Weekday is used
	Weekday time.Weekday // used when Date is zero
	Hours   Hours
}

// ReceptionLookback and ReceptionLookahead bound the 受付簿 an inspection
// reads around its period: an open case within the 30 days before it
// (case work), and a 受付 the day after a lookup on the last day (窓口
// work, same day ±1).
const (
	ReceptionLookback  = 30
	ReceptionLookahead = 1
)

// DefaultMaxEvidence is the number of evidence rows a finding keeps when
// Config.MaxEvidence is 0.
const DefaultMaxEvidence = 50

// progressEvery is how many events pass between checks of the context and
// calls of the progress function: often enough for a responsive cancel
// button, rare enough to cost nothing.
const progressEvery = 4096

// errStop is returned from the event callback to make the source stop
// early; Run turns it back into the cancellation error.
var errStop = errors.New("rules: stopped")

// Run runs the enabled rules over the events of the period and returns the
// findings, sorted by severity (high first), staff ID, date and rule (in
// catalogue order). progress, which may be nil, is called every few
// thousand events with the number of events read so far, and once at the
// end. Run stops soon after ctx is cancelled and then returns an error that
// wraps ctx.Err().
//
// When the 職員マスタ is empty, the rules that depend on it (RETIRED_ID,
// UNKNOWN_ID, UNAUTHORIZED_SYSTEM) do not run; Notes says so for the report.
func Run(ctx context.Context, src Source, cfg Config, progress func(done int64)) ([]domain.Finding, error) {
	e, err := newEngine(ctx, cfg, progress)
	if err != nil {
		return nil, err
	}
	if len(e.checks) == 0 {
		return []domain.Finding{}, nil
	}
	from := dayTime(e.d0)
	to := dayTime(e.d1 + 1)
	err = src.EachEvent(ctx, from, to, e.event)
	if err == nil && ctx.Err() == nil {
		if e.haveRaw {
			for _, g := range e.groupers {
				g.endGroup(e)
			}
		}
		for _, f := range e.finishers {
			f.finish(e)
		}
	}
	if cerr := ctx.Err(); cerr != nil {
		return nil, &domain.Error{Code: "rules.canceled", Message: "点検を中止しました。", Err: cerr}
	}
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, &domain.Error{Code: "rules.source", Message: "点検のためのログを読み出せませんでした（" + err.Error() + "）。", Err: err}
	}
	if progress != nil {
		progress(e.done)
	}
	return e.findings(), nil
}

// configError builds the error for a configuration the user must correct.
func configError(msg string) error {
	return &domain.Error{Code: "rules.config", Message: msg}
}
