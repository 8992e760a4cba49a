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
	"os"
	"path/filepath"
	"time"

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
	if _, err := w.Write(b); err != nil {
		return &domain.Error{Code: "report_write", Message: "報告書（PDF）を書き込めませんでした。", Err: err}
	}
	return nil
}

// WriteFile renders the report for d into the file at path. It writes a
// temporary file in the same directory and renames it into place, so a
// reader never sees half a PDF and a failed run leaves any earlier report
// intact. The file is created readable by its owner only (0600): it names
// staff under suspicion.
func WriteFile(path string, d Data) (err error) {
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		return err
	}
	fail := func(e error) error {
		return &domain.Error{Code: "report_write", Message: "報告書（PDF）を保存できませんでした: " + path, Err: e}
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
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
