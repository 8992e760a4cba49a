package workspace

import (
	"context"
	"path/filepath"

	"tenken/internal/ingest"
	"tenken/internal/store"
)

// Backup writes a consistent copy of the workspace's database to out
// (0600), while the workspace stays usable. out must not exist yet.
func (w *Workspace) Backup(ctx context.Context, out string) error {
	if out == "" {
		return invalid("バックアップの書き出し先を指定してください（--out）。")
	}
	return w.explain(w.store.Backup(ctx, out, w.User()))
}

// MigrationBackup returns the backup Open wrote before it upgraded the
// database to this version's schema ("" when no upgrade was needed).
func (w *Workspace) MigrationBackup() string { return w.store.MigrationBackup() }

// Restore replaces the database of the workspace in dir with the backup
// file. The backup is checked first (sound, a Tenken database, not from a
// newer version); the database it replaces is kept next to it as
// tenken.db.replaced-….bak. The workspace must not be open. The restore is
// then recorded in the restored database's audit log.
func Restore(ctx context.Context, backupFile, dir string) error {
	_, err := RestoreWorkspace(ctx, backupFile, dir)
	return err
}

// RestoreWorkspace is Restore that also returns where the replaced
// database was kept ("" when the workspace had none).
func RestoreWorkspace(ctx context.Context, backupFile, dir string) (replaced string, err error) {
	if dir == "" {
		return "", invalid("復元先のワークスペースのフォルダを指定してください（--workspace）。")
	}
	if err := prepareDir(dir); err != nil {
		return "", err
	}
	replaced, err = store.Restore(ctx, backupFile, filepath.Join(dir, DBName))
	if err != nil {
		return replaced, err
	}
	w, err := Open(dir)
	if err != nil {
		return replaced, err
	}
	defer w.Close()
	abs, _ := filepath.Abs(backupFile)
	after := map[string]any{"from": abs, "replaced": replaced}
	if sum, _, err := ingest.HashFile(backupFile); err == nil {
		after["sha256"] = sum
	}
	if seq, hash, err := w.store.AuditTip(ctx); err == nil {
		// The 検証コード of the history the backup brought back.
		after["anchor"] = FormatAnchor(seq, hash)
	}
	err = w.audit(ctx, "backup.restore", abs, nil, after)
	return replaced, w.explain(err)
}
