package workspace

import (
	"context"
	"slices"
	"time"

	"tenken/internal/profile"
	"tenken/internal/report"
	"tenken/internal/rules"
)

// The catalogues the GUI shows (rules for the hearing sheet, report
// sections for the report dialog) belong to the rules and report
// packages; they are re-exported here so that the GUI binds to the
// workspace alone.

// RuleInfo describes an inspection rule (rules.Info).
type RuleInfo = rules.Info

// RuleThreshold is one number of a rule's threshold (rules.Threshold).
type RuleThreshold = rules.Threshold

// ReportSection is a section of the report the user may leave out
// (report.SectionInfo).
type ReportSection = report.SectionInfo

// Calendars of the dates the report prints (ReportOptions.Era).
const (
	EraWareki  = report.EraWareki
	EraSeireki = report.EraSeireki
)

// Profile is a system's saved column mapping (profile.Profile), which
// the GUI builds from the mapping the user confirmed.
type Profile = profile.Profile

// ProfileVersion is the profile format this build writes.
const ProfileVersion = profile.Version

// RuleCatalogue lists every inspection rule in catalogue order.
func RuleCatalogue() []RuleInfo { return rules.Catalogue() }

// RuleThresholds lists every threshold parameter with its default.
func RuleThresholds() []RuleThreshold { return rules.ThresholdList() }

// ReportSections lists the report's sections in print order.
func ReportSections() []ReportSection { return report.Sections() }

// FiscalYear returns the 年度 (starting in April) a day belongs to.
func FiscalYear(day time.Time) int {
	if day.Month() < time.April {
		return day.Year() - 1
	}
	return day.Year()
}

// FiscalYears lists the fiscal years in which some inspection run's
// period starts (the years WriteAnnualReport has something to sum up),
// newest first.
func (w *Workspace) FiscalYears(ctx context.Context) ([]int, error) {
	runs, err := w.store.Runs(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, r := range runs {
		if fy := FiscalYear(r.From); !slices.Contains(out, fy) {
			out = append(out, fy)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}
