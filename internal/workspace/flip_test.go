package workspace

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestByteFlipsInEventPages flips one random byte in a random page of the
// event table, on a copy of the workspace, again and again, and runs the
// checks of verify that read the events (integrity_check and the rows
// digests of the audit log). Each flip is either caught, or harmless: the
// events read back exactly as before (the byte was in a page's unused
// space). A flip that changes an event unnoticed fails the test. Issue 15
// found 2 of 20 flips unnoticed.
func TestByteFlipsInEventPages(t *testing.T) {
	if testing.Short() {
		t.Skip("flips bytes in many copies of a workspace")
	}
	ctx := context.Background()
	base := t.TempDir()
	w, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("操作日時,職員ID,氏名,端末,機能,操作,宛名番号,件数\r\n")
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&sb, "2025/05/%02d %02d:%02d:%02d,S%03d,職員%d,PC-%d,住民票照会,照会,%07d,1\r\n",
			1+i%28, 8+i%10, i%60, (i*7)%60, i%40, i%40, i%25, i*13%9000)
	}
	p := filepath.Join(t.TempDir(), "log.csv")
	os.WriteFile(p, []byte(sb.String()), 0o600)
	if _, _, err := w.ImportLog(ctx, p, ImportOptions{System: "住民記録"}, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	dbPath := filepath.Join(base, DBName)
	before := eventDump(t, dbPath)
	pages, pageSize := eventPages(t, dbPath)
	orig, _ := os.ReadFile(dbPath)

	flips := 30
	if n, err := strconv.Atoi(os.Getenv("TENKEN_FLIPS")); err == nil && n > 0 {
		flips = n // a longer measurement
	}
	rng := rand.New(rand.NewPCG(20250507, uint64(len(pages))))
	var caught, harmless int
	where := map[string]int{}
	for i := 0; i < flips; i++ {
		page := pages[rng.IntN(len(pages))]
		off := rng.IntN(pageSize)
		b := append([]byte(nil), orig...)
		pos := (page-1)*pageSize + off
		b[pos] ^= byte(1 + rng.IntN(255))
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, DBName), b, 0o600)
		if flipCaught(t, dir) {
			caught++
			continue
		}
		if eventDump(t, filepath.Join(dir, DBName)) != before {
			t.Errorf("flip %d (page %d, offset %d) changed the events and verify passed", i, page, off)
			continue
		}
		harmless++
		where[pageRegion(orig[(page-1)*pageSize:page*pageSize], page, off)]++
	}
	t.Logf("%d random byte flips in the %d pages of the event table: %d caught by verify, %d harmless (events read back unchanged: %v)",
		flips, len(pages), caught, harmless, where)
}

// flipCaught reports whether opening the workspace or the event checks
// of verify fail.
func flipCaught(t *testing.T, dir string) bool {
	t.Helper()
	w, err := Open(dir)
	if err != nil {
		return true
	}
	defer w.Close()
	r, err := w.VerifyWith(context.Background(), VerifyOptions{only: []string{CheckIntegrity, CheckImports}})
	return err != nil || !r.OK()
}

// eventDump is a digest of every event as the view gives it back, or of
// the error reading them.
func eventDump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT * FROM event_v ORDER BY id")
	if err != nil {
		return "error: " + err.Error()
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "error: " + err.Error()
		}
		fmt.Fprintf(h, "%v\n", vals)
	}
	if err := rows.Err(); err != nil {
		return "error: " + err.Error()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// eventPages lists the pages of the event table (dbstat).
func eventPages(t *testing.T, path string) ([]int, int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int
	db.QueryRow("PRAGMA page_size").Scan(&size)
	rows, err := db.Query("SELECT pageno FROM dbstat WHERE name = 'event_data'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		rows.Scan(&n)
		out = append(out, n)
	}
	if len(out) < 10 {
		t.Fatalf("only %d event pages", len(out))
	}
	return out, size
}

// pageRegion names the part of a b-tree page an offset falls in.
func pageRegion(page []byte, pageno, off int) string {
	h := 0
	if pageno == 1 {
		h = 100
	}
	hdr := 8
	if page[h] == 2 || page[h] == 5 {
		hdr = 12
	}
	cells := int(binary.BigEndian.Uint16(page[h+3:]))
	content := int(binary.BigEndian.Uint16(page[h+5:]))
	if content == 0 {
		content = 65536
	}
	switch {
	case off >= h+hdr+2*cells && off < content:
		return "未使用領域"
	case off < h+hdr+2*cells:
		return "ヘッダ"
	}
	return "セル領域の空き"
}
