package store

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// isRemote reports whether dir is on a mapped network drive.
func isRemote(dir string) (bool, error) {
	vol := filepath.VolumeName(dir)
	if vol == "" {
		return false, nil
	}
	p, err := windows.UTF16PtrFromString(vol + `\`)
	if err != nil {
		return false, err
	}
	return windows.GetDriveType(p) == windows.DRIVE_REMOTE, nil
}
