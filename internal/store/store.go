// Package store owns Tenken's SQLite database (tenken.db in a workspace):
// it opens it with the pragmas in the DSN, applies the embedded, versioned
// migrations, and offers every read and write in domain terms. No other
// package writes SQL.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"tenken/internal/domain"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// pragmas are part of the DSN so that every pooled connection gets them;
// busy_timeout comes first, so that the others (journal_mode needs a lock)
// wait for another command instead of failing at once.
func pragmas() string {
	return fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)", BusyTimeout.Milliseconds())
}

// Store is an open Tenken database.
type Store struct {
	db   *sql.DB
	path string
	// migrationBackup is the copy written before Open changed the schema.
	migrationBackup string
	// readOnly: the folder or the file cannot be written (see Open).
	readOnly bool
}

// DBTX is what *sql.DB and *sql.Tx share, so queries run inside or outside
// a transaction.
type DBTX interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Open opens the database file at path, creating it (mode 0600) and
// migrating it to the current schema as needed. Any file name works (the
// path is passed to SQLite as a URI).
//
// A database in a folder (or a file) that cannot be written is opened
// read-only: verify, the findings and the report still work, and every
// change is refused with the Japanese "read-only" message. Errors tell
// apart a database that is busy (another command holds it: Open waits
// BusyTimeout first), read-only, on a full disk, not a Tenken database,
// and really damaged; only the last suggests a restore.
func Open(path string) (*Store, error) {
	if err := checkLocalPath(path); err != nil {
		return nil, err
	}
	readOnly := !writable(path)
	unclean := leftoverJournal(path)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if readOnly {
			return nil, readOnlyError(path, err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, fs.ErrExist) {
			f, err = os.Open(path) // created by another process just now
		}
		if err != nil {
			return nil, Explain(fmt.Errorf("データベース「%s」を作成できません: %w", path, err), path)
		}
		f.Close()
	} else if err != nil {
		return nil, Explain(err, path)
	} else if err := checkRegular(path); err != nil {
		return nil, err
	}
	// A command started while another holds the database (an import)
	// waits for it: SQLite's busy timeout does not cover every step of
	// opening (changing the journal mode back to WAL returns at once), so
	// opening is tried again until BusyTimeout has passed.
	deadline := time.Now().Add(BusyTimeout)
	for {
		s, err := open(path, readOnly, unclean)
		if err == nil || domainCode(err) != CodeBusy || time.Now().After(deadline) {
			return s, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func domainCode(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

// open is one attempt of Open.
func open(path string, readOnly, unclean bool) (*Store, error) {
	dsn := fileURI(path, pragmas())
	if readOnly {
		dsn = fileURI(path, readOnlyQuery(path))
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, Explain(err, path)
	}
	s := &Store{db: db, path: path, readOnly: readOnly}
	ctx := context.Background()
	if err := s.checkTenken(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// quick_check reads every page: about 1 s per 150 MB, too slow to pay
	// on every command of a year's workspace. It runs when the last session
	// did not end cleanly (a journal or WAL file was left behind) or when the
	// file's size does not match its page count (truncated or padded); a
	// full check is `tenken verify`. A journal that belongs to a command
	// still running (an import) is no sign of damage: then the check is
	// skipped.
	if (unclean || !s.sizeMatches(ctx)) && !s.othersWriting(ctx) {
		if err := s.quickCheck(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, Explain(err, path)
	}
	if !readOnly {
		sweepLeftovers(path)
	}
	return s, nil
}

// ReadOnly reports whether the database was opened read-only because its
// folder or file cannot be written.
func (s *Store) ReadOnly() bool { return s.readOnly }

// readOnlyQuery is the URI query of a read-only connection. A WAL
// database needs its -shm file; in a folder that cannot be written it
// cannot be created, so a database without a WAL to read is opened as
// immutable (nobody can change it while the folder is read-only).
func readOnlyQuery(path string) string {
	q := fmt.Sprintf("mode=ro&_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds())
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		q += "&immutable=1"
	}
	return q
}

// checkTenken refuses a file that is not a Tenken database: not SQLite at
// all, or another program's SQLite database (tables, but none of ours), so
// that Open never adds Tenken's tables to someone else's file.
func (s *Store) checkTenken(ctx context.Context) error {
	var version, tables, ours int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(name IN ('setting', 'import_batch', 'run')), 0)
			FROM sqlite_master WHERE type = 'table'`).Scan(&tables, &ours)
	}
	if err != nil {
		if sqliteCode(err) == sqliteCorrupt {
			return damagedError(s.path, err.Error(), err)
		}
		return Explain(err, s.path)
	}
	if tables > 0 && (ours < 3 || version == 0) {
		return notTenkenError(s.path, nil)
	}
	return nil
}

// othersWriting reports whether another connection is writing the
// database right now: its journal is then in use, not left behind.
func (s *Store) othersWriting(ctx context.Context) bool {
	if s.readOnly {
		return false
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return false
	}
	defer conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", BusyTimeout.Milliseconds()))
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		c := sqliteCode(err)
		return c == sqliteBusy || c == sqliteLocked
	}
	conn.ExecContext(ctx, "ROLLBACK")
	return false
}

// leftoverJournal reports whether a WAL or rollback journal of the database
// at path is present before it is opened: SQLite removes both when the last
// connection closes cleanly, so one left behind means a crash or a kill.
func leftoverJournal(path string) bool {
	for _, suffix := range []string{"-wal", "-journal"} {
		if fi, err := os.Stat(path + suffix); err == nil && fi.Size() > 0 {
			return true
		}
	}
	return false
}

// sizeMatches reports whether the database file is exactly page_count pages
// long. A file cut short (a failed copy, a full disk) or padded does not
// match; any error counts as a mismatch so that quick_check then explains.
func (s *Store) sizeMatches(ctx context.Context) bool {
	var pages, size int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return false
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return false
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return false
	}
	return fi.Size() == pages*size || (pages == 0 && fi.Size() == 0)
}

// quickCheck runs PRAGMA quick_check, which reads every page (but skips the
// index/table cross-checks of integrity_check), so a damaged or truncated
// file is refused with a clear message before anything is written to it.
func (s *Store) quickCheck(ctx context.Context) error {
	problems, err := s.pragmaCheck(ctx, "quick_check")
	if err != nil {
		if c := sqliteCode(err); c != sqliteCorrupt && c != sqliteNotADB {
			return Explain(err, s.path) // busy, read-only, I/O: not damage
		}
		return damagedError(s.path, err.Error(), err)
	}
	if len(problems) > 0 {
		return damagedError(s.path, strings.Join(problems, " / "), nil)
	}
	return nil
}

// pragmaCheck runs quick_check or integrity_check and returns the problems
// reported (none when the result is "ok").
func (s *Store) pragmaCheck(ctx context.Context, pragma string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "PRAGMA "+pragma+"(20)")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	return out, rows.Err()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the schema version this build writes.
func SchemaVersion() int {
	n, _ := migrations()
	return len(n)
}

func migrations() ([]string, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return Explain(err, s.path)
	}
	if version > len(names) {
		return &domain.Error{Code: "newer_schema", Message: fmt.Sprintf("データベース「%s」は新しい版のTenken（スキーマ版 %d）で作られています。この版（%d）では開けません。Tenkenを更新してください。", s.path, version, len(names))}
	}
	if version == len(names) {
		return nil
	}
	if s.readOnly {
		return &domain.Error{Code: CodeReadOnly, Message: fmt.Sprintf("データベース「%s」は古い版のTenken（スキーマ版 %d）のものです。新しい版に更新するには書き込みが必要ですが、フォルダかファイルが読み取り専用です。書き込める場所にコピーしてから開いてください。", s.path, version)}
	}
	if version > 0 {
		if err := s.backupBeforeMigration(ctx, version); err != nil {
			return err
		}
	}
	// Each step runs in a BEGIN IMMEDIATE transaction on one connection
	// and re-reads the version under the write lock, so two processes
	// opening the same old database at once do not both apply a step.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for {
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return Explain(err, s.path)
		}
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
		if version >= len(names) {
			_, err := conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
		body, err := migrationFS.ReadFile("migrations/" + names[version])
		if err == nil {
			_, err = conn.ExecContext(ctx, string(body))
			if err != nil {
				err = fmt.Errorf("migration %s: %w", names[version], err)
			}
		}
		if err == nil && strings.HasSuffix(names[version], baselineFile) {
			err = writeBaseline(ctx, conn)
		}
		if err == nil {
			_, err = conn.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(version+1))
		}
		if err == nil {
			_, err = conn.ExecContext(ctx, "COMMIT")
		}
		if err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
	}
}

// Setting returns the value stored under key, or "" when absent.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM setting WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// Settings returns every stored setting.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM setting")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// SetSettings stores the given key/value pairs in one transaction.
func (s *Store) SetSettings(ctx context.Context, kv map[string]string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO setting(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return err
		}
	}
	return tx.Commit()
}

const dateLayout = "2006-01-02"
const stampLayout = "2006-01-02 15:04:05"

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func parseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(dateLayout, s)
	return t
}

func parseStamp(s string) time.Time {
	t, _ := time.Parse(stampLayout, s)
	return t
}

func unixOrZero(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}
