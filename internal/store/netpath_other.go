//go:build !linux && !windows

package store

// isRemote cannot tell on this platform; UNC paths are still refused.
func isRemote(dir string) (bool, error) { return false, nil }
