package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tenken/internal/domain"
	"tenken/internal/tmpfiles"
)

// Backup writes a consistent copy of the open database to out (VACUUM
// INTO: a snapshot of one read transaction, so imports running at the same
// time are either wholly in it or not at all). out must not exist or be
// empty. The copy is written to a temporary name in out's folder (mode
// 0600) and renamed to out only once complete, so a kill never leaves a
// partial file under the final name; a temporary file left by a kill is
// removed when the workspace opens again. Any file name works (# and %
// included). The backup is recorded in the audit log (backup.save: path,
// sha256, and the anchor — the 検証コード of the history the backup holds),
// except when the database is read-only.
func (s *Store) Backup(ctx context.Context, out, user string) error {
	if err := checkBackupTarget(out); err != nil {
		return err
	}
	if err := vacuumInto(ctx, s.db, out, s.path); err != nil {
		return err
	}
	if s.readOnly {
		return nil
	}
	sum, err := fileSHA256(out)
	if err != nil {
		return Explain(err, out)
	}
	seq, hash, err := tipOf(ctx, out)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	_, err = s.AppendAudit(ctx, Audit{User: user, Action: "backup.save", Target: abs,
		After: map[string]any{"path": abs, "sha256": sum, "anchor": FormatAnchor(seq, hash)}})
	return Explain(err, s.path)
}

// checkBackupTarget refuses a backup target that is a folder or a file
// with content (a backup never overwrites).
func checkBackupTarget(out string) error {
	if fi, err := os.Stat(out); err == nil {
		if fi.IsDir() {
			return &domain.Error{Code: "backup_exists", Message: fmt.Sprintf("「%s」はフォルダです。バックアップのファイル名を指定してください。", out)}
		}
		if fi.Size() > 0 || !fi.Mode().IsRegular() {
			return &domain.Error{Code: "backup_exists", Message: fmt.Sprintf("「%s」は既にあります。上書きはしません。別のファイル名を指定してください。", out)}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &domain.Error{Code: "backup", Message: fmt.Sprintf("バックアップ先「%s」を確認できません: %v", out, err), Err: err}
	}
	return nil
}

// vacuumInto writes a copy of db to out through a temporary file in out's
// folder, renamed over out when complete. dbPath (the workspace's
// database, "" when none) lists the temporary file as pending while it is
// written, so a later Open removes it should this process be killed.
func vacuumInto(ctx context.Context, db *sql.DB, out, dbPath string) error {
	dir := filepath.Dir(out)
	f, err := os.CreateTemp(dir, "."+filepath.Base(out)+".tenken-"+tmpfiles.Tag()+"-*"+tmpSuffix)
	if err != nil {
		return backupWriteError(out, err)
	}
	tmp := f.Name()
	f.Close()
	_ = os.Chmod(tmp, 0o600)
	if dbPath != "" {
		addPending(dbPath, tmp)
		defer donePending(dbPath, tmp)
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp)
		}
	}()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", fileURI(tmp, "")); err != nil {
		return backupWriteError(out, err)
	}
	if err := syncFile(tmp); err != nil {
		return backupWriteError(out, err)
	}
	// Checked again just before the rename: out may have appeared since.
	if fi, err := os.Stat(out); err == nil && (fi.Size() > 0 || fi.IsDir()) {
		return &domain.Error{Code: "backup_exists", Message: fmt.Sprintf("「%s」は既にあります。上書きはしません。別のファイル名を指定してください。", out)}
	}
	if err := os.Rename(tmp, out); err != nil {
		return backupWriteError(out, err)
	}
	done = true
	return nil
}

func backupWriteError(out string, err error) error {
	switch c := sqliteCode(err); {
	case c == sqliteFull || errors.Is(err, syscall.ENOSPC):
		return diskFullError(out, err)
	case c == sqliteReadOnly || c == sqliteCantOpen || c == sqlitePerm || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		return &domain.Error{Code: CodeReadOnly, Message: fmt.Sprintf("「%s」に書き込めません（フォルダが読み取り専用か、書き込みの権限がありません）。書き込めるフォルダを指定してください。", out), Err: err}
	}
	return &domain.Error{Code: "backup", Message: fmt.Sprintf("「%s」を書き出せません: %v", out, err), Err: err}
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// tipOf returns the last audit entry (number and hash) of the database
// file at path.
func tipOf(ctx context.Context, path string) (int64, string, error) {
	db, err := sql.Open("sqlite", fileURI(path, "mode=ro&immutable=1"))
	if err != nil {
		return 0, "", err
	}
	defer db.Close()
	return (&Store{db: db, path: path}).AuditTip(ctx)
}

// backupBeforeMigration copies a database that holds data to a file next
// to it before its schema is changed, so a failed or unwanted upgrade can
// be undone with restore.
func (s *Store) backupBeforeMigration(ctx context.Context, version int) error {
	var rows int64
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM setting) + (SELECT count(*) FROM import_batch)
		+ (SELECT count(*) FROM staff) + (SELECT count(*) FROM access_grant) + (SELECT count(*) FROM run)`).Scan(&rows)
	if err != nil || rows == 0 {
		return nil // nothing worth keeping, or not a schema we know: the migration reports it
	}
	out := uniquePath(fmt.Sprintf("%s.v%d-%s.bak", s.path, version, time.Now().Format("20060102-150405")))
	if err := vacuumInto(ctx, s.db, out, ""); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			de.Message = "データベースの更新前のバックアップを作れないため、更新を中止しました。" + de.Message
		}
		return err
	}
	s.migrationBackup = out
	return nil
}

// MigrationBackup returns the backup written before this Open migrated the
// schema, or "" when none was needed.
func (s *Store) MigrationBackup() string { return s.migrationBackup }

func uniquePath(p string) string {
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return p
	}
	ext := filepath.Ext(p)
	base := strings.TrimSuffix(p, ext)
	for i := 2; ; i++ {
		q := fmt.Sprintf("%s-%d%s", base, i, ext)
		if _, err := os.Stat(q); errors.Is(err, fs.ErrNotExist) {
			return q
		}
	}
}

// UserVersion returns the schema version recorded in the open database.
func (s *Store) UserVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// IntegrityCheck runs PRAGMA integrity_check and returns the problems it
// reports (nil when the database is sound).
func (s *Store) IntegrityCheck(ctx context.Context) ([]string, error) {
	return s.pragmaCheck(ctx, "integrity_check")
}

// Restore replaces the database at dbPath with the backup in from. The
// backup is checked first (a SQLite database, sound, not from a newer
// Tenken); the database it replaces, if any, is kept next to it as
// "tenken.db.replaced-YYYYMMDD-HHMMSS.bak", whose path is returned. No
// process may have dbPath open. Every copy is written under a temporary
// name and renamed when complete; a kill leaves only temporary files,
// which the next Open removes. Any file name works (# and % included).
func Restore(ctx context.Context, from, dbPath string) (replaced string, err error) {
	name := filepath.Base(from)
	if fi, err := os.Stat(from); err != nil {
		return "", &domain.Error{Code: "open", Message: fmt.Sprintf("バックアップ「%s」が見つかりません。パスを確認してください。", from), Err: err}
	} else if !fi.Mode().IsRegular() {
		return "", &domain.Error{Code: "not_file", Message: fmt.Sprintf("「%s」は通常のファイルではありません。バックアップのファイルを指定してください。", from)}
	}
	src, err := sql.Open("sqlite", fileURI(from, "mode=ro&immutable=1&_pragma=busy_timeout(5000)"))
	if err != nil {
		return "", err
	}
	defer src.Close()
	var version int
	if err := src.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return "", &domain.Error{Code: "damaged", Message: fmt.Sprintf("「%s」はTenkenのバックアップとして読めません（%v）。", name, err), Err: err}
	}
	var tables int
	if err := src.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('setting', 'import_batch', 'run')").Scan(&tables); err != nil || tables < 3 || version < 1 {
		return "", &domain.Error{Code: "not_tenken", Message: fmt.Sprintf("「%s」はTenkenのデータベースのバックアップではありません。", name), Err: err}
	}
	if version > SchemaVersion() {
		return "", &domain.Error{Code: "newer_schema", Message: fmt.Sprintf("バックアップ「%s」は新しい版のTenken（スキーマ版 %d）で作られています。この版（%d）では復元できません。Tenkenを更新してください。", name, version, SchemaVersion())}
	}
	srcStore := &Store{db: src, path: from}
	if problems, err := srcStore.IntegrityCheck(ctx); err != nil || len(problems) > 0 {
		return "", &domain.Error{Code: "damaged", Message: fmt.Sprintf("バックアップ「%s」が壊れています（%s）。別のバックアップを指定してください。", name, truncate(strings.Join(problems, " / "), 300)), Err: err}
	}
	if cur, err := currentVersion(ctx, dbPath); err == nil && cur > SchemaVersion() {
		return "", &domain.Error{Code: "newer_schema", Message: fmt.Sprintf("ワークスペースのデータベースは新しい版のTenken（スキーマ版 %d）のものです。この版では置き換えません。", cur)}
	}

	stamp := time.Now().Format("20060102-150405")
	tmp := uniquePath(fmt.Sprintf("%s.restore-%s-%s%s", dbPath, stamp, tmpfiles.Tag(), tmpSuffix))
	if err := copyDatabase(ctx, src, tmp); err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(dbPath); err == nil {
		replaced = uniquePath(dbPath + ".replaced-" + stamp + ".bak")
		cur, err := sql.Open("sqlite", fileURI(dbPath, "_pragma=busy_timeout(5000)"))
		if err != nil {
			return "", err
		}
		err = vacuumInto(ctx, cur, replaced, "")
		cur.Close()
		if err != nil {
			// A damaged database cannot be copied by SQLite: keep its files
			// as they are instead, under the replaced name.
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Rename(dbPath+suffix, replaced+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return "", &domain.Error{Code: "restore", Message: fmt.Sprintf("今のデータベース「%s」を退避できないため、復元を中止しました（Tenkenが開いていないか確認してください）: %v", dbPath+suffix, err), Err: err}
				}
			}
		}
		for _, p := range []string{dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return replaced, &domain.Error{Code: "restore", Message: fmt.Sprintf("「%s」を削除できません（Tenkenが開いていないか確認してください）: %v", p, err), Err: err}
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return replaced, &domain.Error{Code: "restore", Message: fmt.Sprintf("データベースを置き換えられません: %v", err), Err: err}
	}
	return replaced, nil
}

// copyDatabase writes a copy of db to tmp (a temporary name in the
// workspace folder, which Open sweeps after a kill).
func copyDatabase(ctx context.Context, db *sql.DB, tmp string) error {
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return Explain(err, tmp)
	}
	f.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", fileURI(tmp, "")); err != nil {
		os.Remove(tmp)
		return backupWriteError(tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return backupWriteError(tmp, err)
	}
	return nil
}

func currentVersion(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", fileURI(path, "mode=ro&_pragma=busy_timeout(5000)"))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// BatchSources returns the recorded source path of each import batch.
func (s *Store) BatchSources(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT batch_id, path FROM batch_source")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}
