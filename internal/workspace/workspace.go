// Package workspace is the engine that both faces of Tenken (the Fyne GUI in
// app/ and the command line in internal/cli) drive. A workspace is a
// directory holding tenken.db; every operation a user can ask for is a
// method here, so neither face holds domain logic.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"tenken/internal/domain"
	"tenken/internal/profile"
	"tenken/internal/store"
	"tenken/internal/table"
)

// DBName is the database file inside a workspace directory.
const DBName = "tenken.db"

// Progress reports how far a long operation has come. Done and Total are in
// the operation's own unit (bytes for an import, steps otherwise); Total is 0
// when unknown. Message is Japanese, for the user.
type Progress struct {
	Done, Total int64
	Message     string
	Rows        int64 // rows done, for operations that count rows (imports); 0 otherwise
}

// ProgressFunc receives progress reports; it may be nil. It is called from
// the goroutine doing the work, so a GUI must hand the update to fyne.Do.
type ProgressFunc func(Progress)

func (p ProgressFunc) report(done, total int64, msg string) {
	if p != nil {
		p(Progress{Done: done, Total: total, Message: msg})
	}
}

// Workspace is an open workspace directory.
type Workspace struct {
	Dir   string
	store *store.Store
}

// Summary is what the home screen shows about a workspace.
type Summary struct {
	Town           string
	Files          int       // import batches
	Rows           int64     // accepted events
	Rejected       int64     // rejected rows over all batches
	From, To       time.Time // period covered by the events; zero when empty
	Staff          int       // staff in the master
	Grants         int       // rows of the 権限マスタ
	LastRun        *domain.Run
	FindingsByRule map[string]int // of the last run
	Batches        []domain.ImportBatch
}

// ImportOptions configures a log import.
type ImportOptions struct {
	System string         // system name, e.g. 住民記録; required
	Kind   domain.LogKind // "" = detect from the columns
	// Profile maps the columns; nil = the system's saved profile, if any,
	// else auto-mapping.
	Profile *profile.Profile
	Sheet   string // xlsx: the sheet to read; "" = the first
}

// MasterKind names a master file.
type MasterKind string

// Master kinds (DOMAIN.md: tenken master import --kind).
const (
	MasterStaff     MasterKind = "staff"
	MasterGrants    MasterKind = "grants"
	MasterWatchlist MasterKind = "watchlist"
	MasterOvertime  MasterKind = "overtime"
	MasterReception MasterKind = "reception" // 受付簿
)

// MasterResult is the outcome of a master import.
type MasterResult struct {
	Kind     MasterKind
	File     string
	Read     int
	Accepted int
	Rejects  []domain.Reject
	// Replaced counts the stored rows of earlier imports that this one
	// replaced (受付簿: the rows of the 所属 and days its file covers).
	Replaced int
	// From and To are the days a 受付簿 file spans (zero otherwise).
	From, To time.Time
	// FilledDown counts 受付簿 rows whose blank 受付日 or 所属 was taken
	// from the row above (cells merged in Excel).
	FilledDown int
}

// SampleResult describes the sample town loaded by LoadSample.
type SampleResult struct {
	Town     string
	Dir      string // where the generated files are
	From, To time.Time
	Batches  []domain.ImportBatch
	Staff    int
}

// DefaultDir returns the default workspace directory: Tenken in the user's
// documents folder when there is one, else in the config directory.
func DefaultDir() (string, error) {
	if home, err := os.UserHomeDir(); err == nil {
		for _, docs := range []string{"Documents", "ドキュメント"} {
			if fi, err := os.Stat(filepath.Join(home, docs)); err == nil && fi.IsDir() {
				return filepath.Join(home, docs, "Tenken"), nil
			}
		}
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", &domain.Error{Code: "no_dir", Message: "既定のワークスペースの場所が分かりません。--workspace でフォルダを指定してください。", Err: err}
	}
	return filepath.Join(cfg, "Tenken"), nil
}

// Open opens (creating if needed) the workspace in dir. A folder Tenken
// creates is private to the user (0700) since it holds residents' access
// history; the files it writes inside are 0600 (and its temporary folder
// 0700) whatever the folder's mode. A folder that exists already keeps
// the permissions the user gave it — Tenken never changes them: one the
// user cannot write is opened read-only (verify, findings and reports
// still work; a change is refused with a message saying why).
// What a killed command left in it (temporary copies, an Excel
// workbook's unpacked sheets) is removed.
func Open(dir string) (*Workspace, error) {
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dir, DBName))
	if err != nil {
		return nil, err
	}
	w := &Workspace{Dir: dir, store: st}
	if !st.ReadOnly() {
		table.SweepTmp(w.tmpDir())
	}
	return w, nil
}

// tmpDirName is the workspace's folder for temporary files that may hold
// residents' data (an Excel workbook's copy and unpacked sheets).
const tmpDirName = "tmp"

func (w *Workspace) tmpDir() string { return filepath.Join(w.Dir, tmpDirName) }

// withTmp makes importers reached through ctx keep their temporary files
// in the workspace's own folder.
func (w *Workspace) withTmp(ctx context.Context) context.Context {
	return table.WithTmpDir(ctx, w.tmpDir())
}

// prepareDir creates the workspace folder (0700) when it does not exist,
// and checks that one that does is a folder; its permissions are left as
// they are.
func prepareDir(dir string) error {
	if dir == "" {
		return &domain.Error{Code: "no_dir", Message: "ワークスペースのフォルダを指定してください。"}
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			if e := store.Explain(err, dir); e != err {
				return e
			}
			return &domain.Error{Code: "mkdir", Message: fmt.Sprintf("ワークスペース「%s」を作成できません: %v", dir, err), Err: err}
		}
		return nil
	}
	if err != nil {
		return &domain.Error{Code: "mkdir", Message: fmt.Sprintf("ワークスペース「%s」を確認できません: %v", dir, err), Err: err}
	}
	if !fi.IsDir() {
		return &domain.Error{Code: "not_dir", Message: fmt.Sprintf("「%s」はフォルダではありません。ワークスペースにはフォルダを指定してください。", dir)}
	}
	return nil
}

// Close closes the workspace.
func (w *Workspace) Close() error { return w.store.Close() }

// ReadOnly reports whether the workspace was opened read-only (its folder
// or database cannot be written): changes are refused, reading works.
func (w *Workspace) ReadOnly() bool { return w.store.ReadOnly() }

// ExplainError turns an error of the database or the file system into a
// Japanese *domain.Error that says what happened and what to do: busy
// (another command is running: wait and run again), read-only, disk
// full, not a Tenken database, or damaged (restore a backup; only then).
// Both faces pass the errors they show through it.
func ExplainError(err error) error { return store.Explain(err, DBName) }

// explain is ExplainError naming this workspace's database.
func (w *Workspace) explain(err error) error { return w.store.Explain(err) }

// Summary returns the home-screen summary.
func (w *Workspace) Summary(ctx context.Context) (Summary, error) {
	var s Summary
	h, err := w.Hearing(ctx)
	if err != nil {
		return s, err
	}
	s.Town = h.Town
	if s.Batches, err = w.store.Batches(ctx); err != nil {
		return s, err
	}
	s.Files = len(s.Batches)
	for _, b := range s.Batches {
		s.Rejected += int64(b.Rejected)
	}
	stats, err := w.store.EventStats(ctx)
	if err != nil {
		return s, err
	}
	s.Rows, s.From, s.To = stats.Count, stats.From, stats.To
	staff, err := w.store.Staff(ctx)
	if err != nil {
		return s, err
	}
	s.Staff = len(staff)
	grants, err := w.store.Grants(ctx)
	if err != nil {
		return s, err
	}
	s.Grants = len(grants)
	if s.LastRun, err = w.store.LatestRun(ctx); err != nil {
		return s, err
	}
	s.FindingsByRule = map[string]int{}
	if s.LastRun != nil {
		fs, err := w.store.Findings(ctx, s.LastRun.ID)
		if err != nil {
			return s, err
		}
		for _, f := range fs {
			s.FindingsByRule[f.Rule]++
		}
	}
	return s, nil
}

// Batches returns the import record.
func (w *Workspace) Batches(ctx context.Context) ([]domain.ImportBatch, error) {
	return w.store.Batches(ctx)
}

// Rejects returns the rejected rows of an import batch.
func (w *Workspace) Rejects(ctx context.Context, batchID int64) ([]domain.Reject, error) {
	return w.store.Rejects(ctx, batchID)
}

// Staff returns the 職員マスタ.
func (w *Workspace) Staff(ctx context.Context) ([]domain.Staff, error) { return w.store.Staff(ctx) }

// Findings returns the findings of the latest run (nil when never run).
func (w *Workspace) Findings(ctx context.Context) ([]domain.Finding, error) {
	run, err := w.store.LatestRun(ctx)
	if err != nil || run == nil {
		return nil, err
	}
	return w.store.Findings(ctx, run.ID)
}

// LatestRun returns the latest inspection run, or nil.
func (w *Workspace) LatestRun(ctx context.Context) (*domain.Run, error) {
	return w.store.LatestRun(ctx)
}

// errNoRun is returned when an operation needs an inspection first.
var errNoRun = &domain.Error{Code: "no_run", Message: "まだ点検を実行していません。先に点検を実行してください（tenken inspect）。"}

// IsNoRun reports whether err says that no inspection has been run yet.
func IsNoRun(err error) bool { return errors.Is(err, errNoRun) }
