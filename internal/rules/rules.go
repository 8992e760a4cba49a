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
// Rules that need more than one event (bursts, windows, baselines) will keep
// their own per-staff state in the same pass; rules that compare staff with
// each other or look across systems finish after the pass. The package never
// touches SQL: it reads through Source, which the store implements.
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
	// window are neither AFTER_HOURS nor HOLIDAY.
	Overtime []Overtime
	// Enabled selects the rules to run by ID; nil runs every implemented
	// rule. An ID not in the catalogue is an error.
	Enabled map[string]bool
	// MaxEvidence is how many evidence rows a finding keeps (the earliest
	// ones); 0 means 50, a negative value keeps none. Count always counts
	// every event.
	MaxEvidence int
}

// Overtime is one approved 時間外申請 (DOMAIN.md, "Masters"): the staff
// member may work on Date between Start and End ("17:15", "21:00"). An End
// earlier than Start means the window runs past midnight into the next day.
type Overtime struct {
	StaffID    string
	Date       time.Time
	Start, End string
}

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
