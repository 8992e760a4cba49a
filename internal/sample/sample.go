// Package sample generates 山里町 (やまざとちょう), a fictional small town with
// about a hundred staff, its masters (職員マスタ with Windows and mail
// accounts and one 異動, 権限マスタ, 要注意対象, 時間外申請, 受付簿) and one month
// (May 2025) of logs as the town's IT staff would receive them: three
// business systems' access logs, the 資産管理 endpoint log (logon, USB,
// files, print) and the mail gateway's log, in CP932 with CRLF, different
// header spellings and date formats per system. Into the ordinary work it
// plants known incidents — at least one for every rule of DOMAIN.md,
// including the seed cases (兵庫: curiosity browsing; 岩手: an export
// obtained through a colleague, copied to USB, the colleague excluded;
// a contractor's account used after the contract; 釜石: a list mailed to
// a free-mail address) — listed in the returned manifest, so that `tenken
// demo`, the GUI's 「サンプルデータで試す」 and the end-to-end tests can check
// that every planted incident is found and that no clean staff member is
// flagged. Clean staff include near misses: a busy 窓口, approved overtime,
// a permitted USB user, mail to partners, a transfer.
//
// Everything depends only on the seed: the same seed writes byte-identical
// files. Times are wall-clock JST carried in time.UTC.
package sample

import (
	"os"
	"path/filepath"
	"time"

	"tenken/internal/domain"
)

// LogFile describes one generated log export.
// TownName is the name of the fictional sample town.
const TownName = "山里町"

type LogFile struct {
	Path   string         // where the file was written
	System string         // system the log belongs to: 住民記録, 税務, 福祉, 資産管理 or メール
	Kind   domain.LogKind // access for the business systems, endpoint for 資産管理, mail for メール
	Rows   int            // data rows, not counting title, blank and header lines
}

// Incident is one planted irregularity and the rule that must flag it.
type Incident struct {
	Rule    string // rule ID of DOMAIN.md, e.g. AFTER_HOURS
	StaffID string // the account as written in the log
	Date    string // YYYY-MM-DD, the day the rule must report
	Note    string // what happened, in Japanese, for people reading the demo
	// Excluded is true when the staff member is excluded from the
	// inspection (Town.Exclusions): the finding must still be reported,
	// marked excluded.
	Excluded bool
}

// PlantedStory is one planted story: the case the inspection must form,
// named by its story and its leading finding (rule, staff, date), so its
// key is Story + ":" + Rule + "/" + StaffID + "/" + Date.
type PlantedStory struct {
	Story   string   // story ID of the rules package's catalogue (HANDOFF_CHAIN …)
	Staff   []string // everyone the case must name, the leading one first
	Rule    string   // the leading finding
	StaffID string
	Date    string
	Note    string // what happened, in Japanese
}

// Key is the case key the inspection gives the story.
func (s PlantedStory) Key() string { return s.Story + ":" + s.Rule + "/" + s.StaffID + "/" + s.Date }

// Exclusion is one exclusion the sample's inspector recorded: whom, why
// and who approved it. The 岩手 case: the clerk who obtained the export
// had the colleague who made it excluded.
type Exclusion struct {
	StaffID, Reason, By string
}

// Town is the manifest of a generated sample town: what was written where and
// which findings an inspection of it must (and must not) produce.
type Town struct {
	Name       string    // 団体名 (fictional): 山里町
	Department string    // 担当課 that runs the inspection
	Person     string    // 担当者, one of the staff of the 担当課
	From, To   time.Time // first and last day of the generated month (inclusive)

	StaffFile     string // 職員マスタ (with a 異動: two rows for one ID)
	GrantsFile    string // 権限マスタ (department grants)
	WatchlistFile string // 要注意対象
	OvertimeFile  string // 時間外申請 (approved overtime)
	ReceptionFile string // 受付簿 of 住民課 and 福祉課

	// Hearing-sheet answers the sample needs: the town's and its
	// partners' mail domains, the 所属 reconciled with the 受付簿 and
	// those doing case work.
	Domains, PartnerDomains []string
	Reconciled, CaseDepts   []string

	Logs []LogFile // one log per system: three access logs, 資産管理, メール

	// Incidents are the planted cases, at least one for every rule of
	// DOMAIN.md. An inspection of the whole month must report each of
	// them, and nothing else.
	Incidents []Incident

	// Exclusions are the exclusions the town's inspector recorded.
	Exclusions []Exclusion

	// Stories are the planted cases that span several findings (or
	// people): the inspection's cases (rules.Cases) must present each as
	// one case of its story.
	Stories []PlantedStory

	// Clean lists the staff IDs of the master that did nothing unusual: no
	// rule, present or future, may flag them.
	Clean []string
}

// File names inside the output directory.
const (
	staffFileName     = "staff.csv"
	grantsFileName    = "grants.csv"
	watchlistFileName = "watchlist.csv"
	overtimeFileName  = "overtime.csv"
)

// Generate builds the sample town for seed and writes its masters and logs
// into dir (created if missing; files are written with mode 0600 because
// they look like personal data even though they are invented). It returns the
// manifest of what was written and planted.
func Generate(dir string, seed int64) (*Town, error) {
	w, err := build(seed)
	if err != nil {
		return nil, err
	}
	files, err := w.render()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &domain.Error{Code: "sample_mkdir", Message: "サンプルデータの出力先フォルダを作成できません: " + dir, Err: err}
	}
	town := &Town{
		Name:       townName,
		Department: townDepartment,
		Person:     w.person,
		From:       monthFirst,
		To:         monthLast,
		Incidents:  w.incidents,
		Exclusions: w.exclusions,
		Stories:    w.stories,
		Clean:      w.clean(),

		Domains:        []string{ownDomain},
		PartnerDomains: []string{shakyoDomain, itakuDomain},
		Reconciled:     reconciledDepts,
		CaseDepts:      caseDepts,
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := writeFile(path, f.data); err != nil {
			return nil, err
		}
		switch f.name {
		case staffFileName:
			town.StaffFile = path
		case grantsFileName:
			town.GrantsFile = path
		case watchlistFileName:
			town.WatchlistFile = path
		case overtimeFileName:
			town.OvertimeFile = path
		case receptionFileName:
			town.ReceptionFile = path
		default:
			kind := domain.KindAccess
			switch f.system {
			case sysEndpoint:
				kind = domain.KindEndpoint
			case sysMail:
				kind = domain.KindMail
			}
			town.Logs = append(town.Logs, LogFile{Path: path, System: f.system, Kind: kind, Rows: f.rows})
		}
	}
	return town, nil
}

// writeFile writes data with mode 0600, also tightening the mode of a file
// left over from an earlier run (os.WriteFile keeps an existing file's mode).
func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return &domain.Error{Code: "sample_write", Message: "サンプルデータを書き込めません: " + path, Err: err}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return &domain.Error{Code: "sample_write", Message: "サンプルデータの権限を設定できません: " + path, Err: err}
	}
	return nil
}
