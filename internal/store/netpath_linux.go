package store

import "golang.org/x/sys/unix"

// Magic numbers of network file systems (statfs(2)).
var networkFS = map[int64]bool{
	0x6969:     true, // NFS
	0xFF534D42: true, // CIFS
	0xFE534D42: true, // SMB2
	0x517B:     true, // SMB
	0x65735546: true, // FUSE (sshfs and similar)
}

// isRemote reports whether dir lies on a network file system.
func isRemote(dir string) (bool, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false, err
	}
	return networkFS[int64(st.Type)], nil
}
