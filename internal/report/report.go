// Package report renders the inspection report (点検報告書) as an A4 PDF in
// Japanese, set in the embedded IPAex Gothic.
//
// The package knows nothing of the database: the caller fills a Data value
// and calls Write or WriteFile. The report is what the town hands to its
// CISO and, on request, to the 個人情報保護委員会, so it follows the habits
// of a government document: a cover with 決裁欄, numbered sections, thin
// ruled tables whose header row repeats on every page, page numbers "n / N",
// and resident identifiers masked unless the caller explicitly asks
// otherwise.
package report

import (
	"bytes"
	"errors"
	"io"
	"time"

	"tenken/internal/atomicfile"
	"tenken/internal/domain"
)

// DefaultTitle is the report title used when Data.Title is empty.
const DefaultTitle = "個人情報アクセスログ点検報告書"

// DefaultEvidenceLimit is how many evidence rows are printed per finding
// when Data.EvidenceLimit is zero; the rest are counted and referred to the
// export, so that one noisy finding cannot swell the report to hundreds of
// pages.
const DefaultEvidenceLimit = 20

// defaultCalendarNote describes the default closed days of DOMAIN.md.
const defaultCalendarNote = "土曜日・日曜日・国民の祝日・年末年始（12月29日〜1月3日）"

// unset is printed for a value the caller left empty, so that a blank in the
// report is visibly a missing answer rather than a layout accident.
const unset = "（未設定）"

// notInMaster is printed for a staff ID that has no row in the 職員マスタ.
const notInMaster = "（マスタに無し）"

// RuleInfo describes one inspection rule (点検項目) as the report prints it.
type RuleInfo struct {
	ID          string // stable rule ID, e.g. AFTER_HOURS
	Name        string // Japanese name, e.g. 時間外アクセス
	Description string // plain-Japanese explanation for the appendix
	Threshold   string // threshold in words, e.g. 8:30〜17:15 以外; may be empty
	Basis       string // guideline clause it serves, e.g. 別添1 2Cb; may be empty
	Enabled     bool   // whether the rule ran in this inspection
}

// Exclusion is one staff member or account excluded from the inspection.
// Exclusions are always printed: whoever runs the inspection must not be
// able to remove someone from its scope quietly (the 岩手 incident).
type Exclusion struct {
	StaffID string
	Reason  string
	By      string    // who registered or approved the exclusion
	At      time.Time // when; zero when unknown
	// Kind is domain.ExcludeStaff (the default), ExcludeAccount or
	// ExcludeFinding; Finding names the one finding excluded.
	Kind    string
	Finding *domain.FindingKey
	// Revoked is when the exclusion was withdrawn; zero while in force.
	// Withdrawn exclusions are printed too, so the history is complete.
	Revoked time.Time
	// Concerns say why the exclusion deserves a second look (approved by
	// the person excluded or by someone with findings of their own; hides
	// high-severity findings), in Japanese.
	Concerns []string
}

// AccountUsage is the per-account activity summary (アカウント別利用状況)
// that monitoring services deliver with their reports.
type AccountUsage struct {
	StaffID         string
	Logons          int64
	Lookups         int64
	Updates         int64
	Exports         int64
	ExportedRecords int64
	DeviceWrites    int64
	ExternalMails   int64 // external mails with attachments
}

// Data is everything the report shows. It is a plain value: the caller
// (workspace) reads the database and fills it; Write does no I/O besides
// writing the PDF.
type Data struct {
	Town       string // 団体名
	Department string // 担当課
	Author     string // 作成者
	Title      string // report title; DefaultTitle when empty
	Kind       string // 点検の種類 (月次/四半期/年次/臨時); optional

	From, To  time.Time // 点検期間 (calendar days, inclusive)
	CreatedAt time.Time // 作成日

	WorkStart, WorkEnd string // 勤務時間, "08:30" and "17:15" when empty
	CalendarNote       string // 閉庁日 in words; a default is used when empty
	MasterInfo         string // masters used, e.g. 職員マスタ 102名（staff.csv, 取込 2025-06-01）
	// Conditions are further answers of the hearing sheet printed in 点検条件
	// as label/value pairs (部署別の勤務時間, しきい値, 独自の閉庁日...).
	Conditions [][2]string

	Rules      []RuleInfo           // every rule, run or not, in display order
	Batches    []domain.ImportBatch // import record
	Findings   []domain.Finding     // with their Evidence rows
	Exclusions []Exclusion          // 除外 with reasons
	Usage      []AccountUsage       // optional アカウント別利用状況; the section is left out when empty

	StaffNames map[string]string // staff ID → 氏名
	StaffDepts map[string]string // staff ID → 所属
	// StaffOrder is the risk ranking (worst first) that orders the per-staff
	// sheets; staff missing from it follow, ordered by the severity of
	// their findings.
	StaffOrder []string

	// EvidenceLimit caps the evidence rows printed per finding;
	// DefaultEvidenceLimit when zero.
	EvidenceLimit int

	// UnmaskSubjects prints resident identifiers (宛名番号) in full. The
	// zero value masks them, which is what DOMAIN.md requires by default:
	// a record made to check the handling of personal data must not itself
	// spread it.
	UnmaskSubjects bool

	// Era chooses the calendar of the dates the report prints: EraWareki
	// (令和7年6月1日) or EraSeireki (2025年6月1日, the default). Where there
	// is room, the other calendar follows in parentheses.
	Era string
	// Approvers are the roles of the 決裁欄 on the cover, left to right;
	// DefaultApprovers when empty.
	Approvers []string
	// Logo is the town's emblem as PNG bytes, printed above the title;
	// nil for none.
	Logo []byte
	// FormNo is the 帳票番号 printed on the cover and in the page header.
	FormNo string
	// Omit switches sections off by key (SectionUsage, ...). The cover is
	// always printed.
	Omit map[string]bool

	// Reviews are the review outcomes by finding (nil when none yet).
	Reviews map[domain.FindingKey]domain.Review
	// History is the audit log; the report prints the review and exclusion
	// entries as the history of the review.
	History []domain.AuditEntry
	// Ranking is the staff risk ranking, worst first (optional).
	Ranking []domain.RankEntry
	// RankingLimit caps the ranking rows printed; DefaultRankingLimit when
	// zero. The full ranking is in the xlsx export.
	RankingLimit int

	// Heatmap counts events by weekday (Sunday = 0) and hour; nil when
	// unknown, and the chart is left out.
	Heatmap *[7][24]int
	// Daily is the number of events per day of the period, including days
	// without events; the trend chart is left out when empty.
	Daily []DayCount
	// Coverage is the ログの網羅性 per system; RetentionYears is the
	// town's retention rule it is judged against.
	Coverage       []SystemCoverage
	RetentionYears int

	// SampleChecks is the 抽出点検 list (see SampleCheck), grouped by staff
	// member in print order; the section is printed only when it is not
	// empty.
	SampleChecks []SampleCheck

	// Password, when set, encrypts the PDF (AES-256); the same password
	// opens it and allows changing it.
	Password string
}

// Era values of Data.Era.
const (
	EraSeireki = "seireki"
	EraWareki  = "wareki"
)

// DefaultApprovers are the roles of the 決裁欄 when the town has not set
// its own.
var DefaultApprovers = []string{"担当", "係長", "課長", "CISO"}

// DefaultRankingLimit is how many staff the ranking section lists.
const DefaultRankingLimit = 30

// DefaultRetentionYears is the retention rule for access logs when the
// town has not set its own (住民基本台帳 practice: 7 years).
const DefaultRetentionYears = 7

// DayCount is the number of log events on one calendar day.
type DayCount struct {
	Day    time.Time // midnight
	Count  int
	Closed bool   // a 閉庁日
	Reason string // why it is closed (土曜日, 祝日の名前, 年末年始...), "" when open
}

// SystemCoverage is how completely one system's logs cover the inspection
// period, and how far back they reach (ログの網羅性).
type SystemCoverage struct {
	System       string
	First, Last  time.Time // oldest and newest event kept
	Events       int64
	DaysWithLog  int         // days of the period with at least one event
	WorkingDays  int         // working days (開庁日) of the period
	MissingDays  []time.Time // working days of the period without any event
	PeriodFrom   time.Time   // the period the two counts above refer to
	PeriodTo     time.Time
	RetentionDue time.Time // the day the logs should reach back to (today − N years)
}

// MeetsRetention reports whether the oldest log reaches back to the day
// the retention rule requires.
func (c SystemCoverage) MeetsRetention() bool {
	return !c.First.IsZero() && !c.RetentionDue.IsZero() && !c.First.After(c.RetentionDue)
}

// Section keys of Data.Omit, for --no-section on the command line.
const (
	SectionOverview   = "overview"
	SectionUsage      = "usage"
	SectionCharts     = "charts"
	SectionFindings   = "findings"
	SectionRanking    = "ranking"
	SectionDetails    = "details"
	SectionReview     = "review"
	SectionConditions = "conditions"
	SectionImports    = "imports"
	SectionCoverage   = "coverage"
	SectionBasis      = "basis"
	SectionAppendix   = "appendix"
)

// SectionInfo names a section that can be switched off.
type SectionInfo struct {
	Key   string
	Title string
}

// Sections lists the report's sections in print order with their
// Japanese titles.
func Sections() []SectionInfo {
	return []SectionInfo{
		{SectionOverview, titleOverview},
		{SectionUsage, titleUsage},
		{SectionCharts, titleCharts},
		{SectionFindings, titleFindings},
		{SectionRanking, titleRanking},
		{SectionDetails, titleDetails},
		{SectionReview, titleReview},
		{SectionSampleCheck, titleSampleCheck},
		{SectionConditions, titleConditions},
		{SectionImports, titleImports},
		{SectionCoverage, titleCoverage},
		{SectionBasis, titleBasis},
		{SectionAppendix, titleAppendix},
	}
}

// Write renders the report for d as a PDF to w.
func Write(w io.Writer, d Data) error {
	if !d.From.IsZero() && !d.To.IsZero() && d.To.Before(d.From) {
		return &domain.Error{Code: "report_period", Message: "点検期間の終了日が開始日より前になっています。"}
	}
	b, err := render(d)
	if err != nil {
		return err
	}
	return emit(w, b, d.Password, "報告書（PDF）")
}

// emit encrypts pdf when a password is given and writes it to w; what names
// the document in the error message.
func emit(w io.Writer, pdf []byte, password, what string) error {
	if password != "" {
		var err error
		if pdf, err = encrypt(pdf, password); err != nil {
			return err
		}
	}
	if _, err := w.Write(pdf); err != nil {
		return &domain.Error{Code: "report_write", Message: what + "を書き込めませんでした。", Err: err}
	}
	return nil
}

// WriteFile renders the report for d into the file at path. It writes a
// temporary file in the same directory and renames it into place, so a
// reader never sees half a PDF and a failed run leaves any earlier report
// intact. The file is created readable by its owner only (0600): it names
// staff under suspicion.
func WriteFile(path string, d Data) error {
	return writeFile(path, func(w io.Writer) error { return Write(w, d) })
}

// writeFile renders through write into memory, then writes the file
// atomically: nothing reaches path unless rendering succeeded.
func writeFile(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}

// writeAtomic writes b to path through a temporary file in the same
// directory, created 0600, synced and renamed into place.
func writeAtomic(path string, b []byte) error {
	if err := atomicfile.Write(path, b); err != nil {
		return &domain.Error{Code: "report_write", Message: "報告書（PDF）を保存できませんでした。保存先のフォルダと空き容量を確認してください: " + path, Err: err}
	}
	return nil
}

// errRender wraps an internal rendering failure for the user.
func errRender(err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return err
	}
	return &domain.Error{Code: "report_render", Message: "報告書（PDF）の作成中にエラーが発生しました。", Err: err}
}
