// Package tmpfiles names the temporary files Tenken writes (a backup being
// written, a restore's copy, an Excel workbook's unpacked sheets) so that
// the ones a killed process left behind can be told from the ones a
// running process is still writing: every name carries the writer's
// process id, and a file is stale once that process is gone. Such files
// may hold residents' data, so they are removed when a workspace opens.
package tmpfiles

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Tag is the part of a temporary file's name that names this process,
// "p1234"; put it between dots or dashes.
func Tag() string { return fmt.Sprintf("p%d", os.Getpid()) }

// Stale reports whether the temporary file or folder named name was left
// by a process that no longer runs: the name's first "p<digits>" part
// (between '.', '-' or the ends) names the process. A name without one
// is stale (nothing can be writing it that Tenken knows of).
func Stale(name string) bool {
	pid, ok := pidOf(name)
	if !ok {
		return true
	}
	return pid != os.Getpid() && !alive(pid)
}

func pidOf(name string) (int, bool) {
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' }) {
		if len(part) > 1 && part[0] == 'p' {
			if n, err := strconv.Atoi(part[1:]); err == nil && n > 0 {
				return n, true
			}
		}
	}
	return 0, false
}
