// Package atomicfile writes files the way every output of Tenken is
// written (reports, exports, profiles): to a temporary file in the same
// folder, mode 0600, synced, then renamed over the target. A crash or kill
// leaves either the old file or the complete new one, never half a file.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes b to path atomically with mode 0600. On failure the
// temporary file is removed and the target is untouched.
func Write(path string, b []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
