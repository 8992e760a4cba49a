package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tenken/internal/domain"
)

// Backup writes a consistent copy of the open database to out (VACUUM
// INTO: a snapshot of one read transaction, so imports running at the same
// time are either wholly in it or not at all). out must not exist or be
// empty; it is created 0600 before SQLite writes to it.
func (s *Store) Backup(ctx context.Context, out string) error {
	return vacuumInto(ctx, s.db, out)
}

func vacuumInto(ctx context.Context, db *sql.DB, out string) error {
	if fi, err := os.Stat(out); err == nil {
		if fi.IsDir() {
			return &domain.Error{Code: "backup_exists", Message: fmt.Sprintf("「%s」はフォルダです。バックアップのファイル名を指定してください。", out)}
		}
		if fi.Size() > 0 {
			return &domain.Error{Code: "backup_exists", Message: fmt.Sprintf("「%s」は既にあります。上書きはしません。別のファイル名を指定してください。", out)}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &domain.Error{Code: "backup", Message: fmt.Sprintf("バックアップ先「%s」を確認できません: %v", out, err), Err: err}
	}
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return &domain.Error{Code: "backup", Message: fmt.Sprintf("バックアップ「%s」を作成できません: %v", out, err), Err: err}
	}
	f.Close()
	_ = os.Chmod(out, 0o600)
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		os.Remove(out)
		return &domain.Error{Code: "backup", Message: fmt.Sprintf("バックアップ「%s」を書き出せません: %v", out, err), Err: err}
	}
	return nil
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
	if err := vacuumInto(ctx, s.db, out); err != nil {
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
// process may have dbPath open.
func Restore(ctx context.Context, from, dbPath string) (replaced string, err error) {
	name := filepath.Base(from)
	if _, err := os.Stat(from); err != nil {
		return "", &domain.Error{Code: "open", Message: fmt.Sprintf("バックアップ「%s」が見つかりません。パスを確認してください。", from), Err: err}
	}
	src, err := sql.Open("sqlite", "file:"+from+"?mode=ro&_pragma=busy_timeout(5000)")
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
	tmp := uniquePath(dbPath + ".restore-" + stamp + ".tmp")
	if err := vacuumInto(ctx, src, tmp); err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(dbPath); err == nil {
		replaced = uniquePath(dbPath + ".replaced-" + stamp + ".bak")
		cur, err := sql.Open("sqlite", dbPath+"?_pragma=busy_timeout(5000)")
		if err != nil {
			return "", err
		}
		err = vacuumInto(ctx, cur, replaced)
		cur.Close()
		if err != nil {
			// A damaged database cannot be copied by SQLite: keep its files
			// as they are instead, under the replaced name.
			os.Remove(replaced)
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Rename(dbPath+suffix, replaced+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return "", &domain.Error{Code: "restore", Message: fmt.Sprintf("今のデータベース「%s」を退避できないため、復元を中止しました（Tenkenが開いていないか確認してください）: %v", dbPath+suffix, err), Err: err}
				}
			}
		}
		for _, p := range []string{dbPath + "-wal", dbPath + "-shm"} {
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

func currentVersion(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// RecordBatchSource records where the file of an import batch was read
// from (an absolute path), so verify can compare the file's SHA-256 later.
func (s *Store) RecordBatchSource(ctx context.Context, batchID int64, path string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO batch_source(batch_id, path) VALUES(?, ?) ON CONFLICT(batch_id) DO UPDATE SET path = excluded.path", batchID, path)
	return err
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
