package tmpfiles

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

func TestStale(t *testing.T) {
	// A process that has ended: run one and wait for it.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	for _, c := range []struct {
		name  string
		stale bool
	}{
		{"tenken.db.restore-20250101-p" + fmt.Sprint(os.Getpid()) + ".tmp", false},
		{"excel-" + Tag(), false},
		{fmt.Sprintf("tenken.db.restore-20250101-p%d.tmp", dead), true},
		{"tenken.db.restore-20250101.tmp", true},
		{"p", true},
	} {
		if got := Stale(c.name); got != c.stale {
			t.Errorf("Stale(%q) = %v, want %v", c.name, got, c.stale)
		}
	}
}
