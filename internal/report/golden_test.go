package report

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// update regenerates the golden page images: go test ./internal/report -run TestGoldenPages -update
var update = flag.Bool("update", false, "regenerate the golden PNGs under testdata/golden/report")

// goldenDPI is low on purpose: the images catch layout changes (a moved
// table, a lost chart), not antialiasing differences between poppler
// versions.
const goldenDPI = "30"

// TestGoldenPages renders the first pages of a zero-findings and a large
// report and compares them with the reviewed images under
// testdata/golden/report, with a tolerance.
func TestGoldenPages(t *testing.T) {
	needTool(t, "pdftoppm")
	cases := []struct {
		name  string
		data  Data
		pages int
	}{
		{"zero", zeroData(), 3},
		{"big", testData(300, 40), 4},
	}
	dir := filepath.Join("testdata", "golden", "report")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			pdf := filepath.Join(tmp, "r.pdf")
			if err := WriteFile(pdf, tc.data); err != nil {
				t.Fatal(err)
			}
			run(t, "pdftoppm", "-r", goldenDPI, "-gray", "-png", "-f", "1", "-l", fmt.Sprint(tc.pages), pdf, filepath.Join(tmp, "p"))
			for p := 1; p <= tc.pages; p++ {
				got := readPNG(t, pagePNG(t, tmp, p))
				golden := filepath.Join(dir, fmt.Sprintf("%s-%d.png", tc.name, p))
				if *update {
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					b, _ := os.ReadFile(pagePNG(t, tmp, p))
					if err := os.WriteFile(golden, b, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if _, err := os.Stat(golden); err != nil {
					t.Fatalf("golden %s missing; run with -update and review the images", golden)
				}
				want := readPNG(t, golden)
				if mean, far := imageDiff(got, want); mean > 1.5 || far > 0.004 {
					out := filepath.Join(os.TempDir(), fmt.Sprintf("tenken-golden-%s-%d.png", tc.name, p))
					b, _ := os.ReadFile(pagePNG(t, tmp, p))
					_ = os.WriteFile(out, b, 0o600)
					t.Errorf("page %d differs from %s (mean %.2f, %.2f%% of pixels far off); got %s", p, golden, mean, far*100, out)
				}
			}
		})
	}
}

// pagePNG finds pdftoppm's file for page p (it pads the number to the
// width of the page count).
func pagePNG(t *testing.T, dir string, p int) string {
	t.Helper()
	for _, f := range []string{"p-%d.png", "p-%02d.png", "p-%03d.png"} {
		path := filepath.Join(dir, fmt.Sprintf(f, p))
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	t.Fatalf("pdftoppm wrote no image for page %d", p)
	return ""
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// imageDiff returns the mean absolute grey difference (0–255) and the
// share of pixels differing by more than a quarter of the scale. Images
// of different sizes differ completely.
func imageDiff(a, b image.Image) (mean, far float64) {
	if a.Bounds() != b.Bounds() {
		return 255, 1
	}
	r := a.Bounds()
	var sum, n, farN float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ga, _, _, _ := a.At(x, y).RGBA()
			gb, _, _, _ := b.At(x, y).RGBA()
			d := float64(int(ga>>8) - int(gb>>8))
			if d < 0 {
				d = -d
			}
			sum += d
			if d > 64 {
				farN++
			}
			n++
		}
	}
	return sum / n, farN / n
}

// TestGoldenToleranceCatchesLayout makes sure the tolerance is not so
// loose that a different page passes for the golden one.
func TestGoldenToleranceCatchesLayout(t *testing.T) {
	dir := filepath.Join("testdata", "golden", "report")
	a := readPNG(t, filepath.Join(dir, "zero-2.png"))
	b := readPNG(t, filepath.Join(dir, "zero-3.png"))
	if mean, far := imageDiff(a, b); mean <= 1.5 && far <= 0.004 {
		t.Errorf("two different pages pass as equal (mean %.2f, far %.4f)", mean, far)
	}
	if mean, far := imageDiff(a, a); mean != 0 || far != 0 {
		t.Errorf("a page differs from itself (mean %.2f, far %.4f)", mean, far)
	}
}
