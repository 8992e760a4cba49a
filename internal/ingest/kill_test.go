package ingest

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tenken/internal/store"
)

// killChildEnv makes the test binary, re-executed by TestKillDuringImport,
// import one file and exit.
const killChildEnv = "TENKEN_KILL_CHILD"

func init() {
	if os.Getenv(killChildEnv) == "" {
		return
	}
	// The child: TENKEN_KILL_CHILD=<db>|<file>. It never returns to the
	// test framework; the parent kills it or waits for it.
	arg := os.Getenv(killChildEnv)
	db, file := arg, ""
	for i := len(arg) - 1; i >= 0; i-- {
		if arg[i] == '|' {
			db, file = arg[:i], arg[i+1:]
			break
		}
	}
	st, err := store.Open(db)
	if err != nil {
		os.Exit(3)
	}
	if _, err := ImportFile(context.Background(), st, file, Options{System: "住民記録"}); err != nil {
		os.Exit(4)
	}
	st.Close()
	os.Exit(0)
}

// TestKillDuringImport kills a child process importing a large file with
// SIGKILL at random moments, 20 times, and checks after each that the
// database opens, passes PRAGMA integrity_check, and holds either all of
// the file's rows (with its batch) or none of them.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("時間のかかる試験です（-short では省略）")
	}
	const rows = 80_000
	dir := t.TempDir()
	log := writeBenchLog(t, dir, rows, true)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(db string) *exec.Cmd {
		cmd := exec.Command(self, "-test.run=^$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+db+"|"+log)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	// One import to the end: how long it takes, and that it succeeds.
	full := filepath.Join(dir, "full.db")
	t0 := time.Now()
	if err := run(full).Wait(); err != nil {
		t.Fatalf("child import: %v", err)
	}
	took := time.Since(t0)
	if n, b := checkDB(t, full); n != rows || b != 1 {
		t.Fatalf("complete import: %d events in %d batches, want %d in 1", n, b, rows)
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 4))
	const kills = 20
	var all, none int
	for i := 0; i < kills; i++ {
		db := filepath.Join(dir, "kill"+string(rune('a'+i))+".db")
		cmd := run(db)
		// Random moments over the whole import, including opening the
		// database and the final commit.
		time.Sleep(time.Duration(rng.Int64N(int64(took) * 11 / 10)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if _, err := os.Stat(db); err != nil {
			none++ // killed before the database was created
			continue
		}
		switch n, b := checkDB(t, db); {
		case n == 0 && b == 0:
			none++
		case n == rows && b == 1:
			all++
		default:
			t.Fatalf("kill %d: %d events in %d batches, want all %d rows or none", i, n, b, rows)
		}
	}
	t.Logf("%d kills: %d left nothing, %d left the whole file (one import takes %v)", kills, none, all, took)
}

// checkDB opens the database the way Tenken does (recovering a hot
// journal), runs PRAGMA integrity_check, and counts events and batches.
func checkDB(t *testing.T, path string) (events, batches int) {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM event_v").Scan(&events); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT count(*) FROM import_batch").Scan(&batches); err != nil {
		t.Fatal(err)
	}
	var accepted int
	if batches == 1 {
		if err := db.QueryRow("SELECT accepted FROM import_batch").Scan(&accepted); err != nil || accepted != events {
			t.Fatalf("batch says %d accepted, %d stored (%v)", accepted, events, err)
		}
	}
	return events, batches
}
