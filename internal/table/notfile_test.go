//go:build !windows

package table

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"tenken/internal/domain"
)

// TestOpenRefusesWhatIsNotAFile: a named pipe, a device and a folder are
// refused before anything is read.
func TestOpenRefusesWhatIsNotAFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	for _, p := range []string{fifo, "/dev/zero", t.TempDir()} {
		_, err := Open(p, Options{})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != "not_file" {
			t.Errorf("Open(%s): %v", p, err)
		}
	}
}
