package store

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/tmpfiles"
)

// tmpSuffix ends the name of every temporary file the store writes next
// to the database or a backup (a restore's copy, a backup being written,
// the safety copy of a replaced database): each is renamed to its final
// name once complete, so a kill leaves only *.tmp files, which Open
// removes (they may hold residents' data).
const tmpSuffix = ".tmp"

// probePrefix names the file Open creates to learn whether the folder can
// be written.
const probePrefix = ".tenken-probe-"

// writable reports whether the database at path can be written: its
// folder accepts a new file (SQLite needs one for its journal) and the
// file, when it exists, opens for writing. Trying is the only test that
// holds everywhere (permissions, read-only mounts, Windows attributes,
// an administrator).
func writable(path string) bool {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, probePrefix+"*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		g, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return false
		}
		g.Close()
	}
	return true
}

// checkRegular refuses a database path that is not a regular file (a
// folder, a named pipe, a device).
func checkRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if !fi.Mode().IsRegular() {
		return &domain.Error{Code: CodeNotTenken, Message: fmt.Sprintf("「%s」は通常のファイルではないため、Tenkenのデータベースとして開けません。ワークスペースのフォルダの指定を確認してください。", path)}
	}
	return nil
}

// pendingName is the list, next to the database, of temporary files the
// store is writing elsewhere (a backup in the folder the user chose), so
// that Open can remove them after a kill.
func pendingName(dbPath string) string { return dbPath + ".pending" }

// addPending records a temporary file being written outside the
// workspace folder.
func addPending(dbPath, tmp string) {
	f, err := os.OpenFile(pendingName(dbPath), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	fmt.Fprintln(f, tmp)
	f.Close()
}

// donePending forgets a temporary file that was renamed or removed.
func donePending(dbPath, tmp string) {
	list := readPending(dbPath)
	var keep []string
	for _, p := range list {
		if p != tmp {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		os.Remove(pendingName(dbPath))
		return
	}
	os.WriteFile(pendingName(dbPath), []byte(strings.Join(keep, "\n")+"\n"), 0o600)
}

func readPending(dbPath string) []string {
	f, err := os.Open(pendingName(dbPath))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p := strings.TrimSpace(sc.Text()); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sweepLeftovers removes what a killed command left beside the database
// at dbPath: temporary copies (a restore's, a migration backup's, a
// replaced database's) and write probes, and the temporary backups listed
// as pending. Only names the store itself makes are touched, and only
// those of processes that no longer run (tmpfiles.Stale).
func sweepLeftovers(dbPath string) {
	dir, base := filepath.Dir(dbPath), filepath.Base(dbPath)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		ours := ((strings.HasPrefix(n, base+".") || strings.HasPrefix(n, "."+base+".")) && strings.HasSuffix(n, tmpSuffix)) || strings.HasPrefix(n, probePrefix)
		if ours && e.Type().IsRegular() && tmpfiles.Stale(n) {
			os.Remove(filepath.Join(dir, n))
		}
	}
	for _, p := range readPending(dbPath) {
		// Only a temporary backup of ours: never a file the user named.
		if !strings.HasSuffix(p, tmpSuffix) || !strings.Contains(filepath.Base(p), ".tenken-") || !tmpfiles.Stale(filepath.Base(p)) {
			continue
		}
		if err := os.Remove(p); err == nil || errors.Is(err, fs.ErrNotExist) {
			donePending(dbPath, p)
		}
	}
}
