package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func box(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func TestColumnsLayout(t *testing.T) {
	tests := []struct {
		name    string
		layout  columnsLayout
		width   float32
		wantMin fyne.Size
		wantX   []float32 // x of the cells of the first row
		wantW   []float32 // widths of the columns
	}{
		{
			name:    "no flex keeps spare on the right",
			layout:  columnsLayout{cols: 3, flex: -1},
			width:   500,
			wantMin: fyne.NewSize(100, 50),
			wantX:   []float32{0, 40, 70},
			wantW:   []float32{40, 30, 30},
		},
		{
			name:    "flex takes all the spare width",
			layout:  columnsLayout{cols: 3, flex: 1},
			width:   500,
			wantMin: fyne.NewSize(100, 50),
			wantX:   []float32{0, 40, 470},
			wantW:   []float32{40, 430, 30},
		},
		{
			name:    "flex grows to its natural width only",
			layout:  columnsLayout{cols: 3, flex: 1, natural: []float32{0, 120, 80}},
			width:   500,
			wantMin: fyne.NewSize(100, 50),
			wantX:   []float32{0, 40, 160},
			wantW:   []float32{40, 120, 30},
		},
		{
			name:    "flex truncates when room is short",
			layout:  columnsLayout{cols: 3, flex: 1, natural: []float32{0, 120, 80}},
			width:   150,
			wantMin: fyne.NewSize(100, 50),
			wantX:   []float32{0, 40, 120},
			wantW:   []float32{40, 80, 30},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Two rows: the widest cell sets each column, the tallest each row.
			objs := []fyne.CanvasObject{box(40, 20), box(10, 10), box(30, 20), box(20, 30), box(30, 10), box(5, 5)}
			if got := tt.layout.MinSize(objs); got != tt.wantMin {
				t.Errorf("MinSize = %v, want %v", got, tt.wantMin)
			}
			tt.layout.Layout(objs, fyne.NewSize(tt.width, 50))
			for c := 0; c < 3; c++ {
				if got := objs[c].Position().X; got != tt.wantX[c] {
					t.Errorf("column %d x = %v, want %v", c, got, tt.wantX[c])
				}
				if got := objs[3+c].Size().Width; got != tt.wantW[c] {
					t.Errorf("column %d width = %v, want %v", c, got, tt.wantW[c])
				}
			}
			if got := objs[3].Position().Y; got != 20 {
				t.Errorf("second row y = %v, want 20", got)
			}
			if got := objs[4].Size().Height; got != 30 {
				t.Errorf("second row height = %v, want 30", got)
			}
		})
	}
}

func TestBarLayout(t *testing.T) {
	test.NewTempApp(t) // padding 4
	tests := []struct {
		n, largest int
		width      float32
		want       float32
	}{
		{4, 4, 208, 200},              // padding 4 each side
		{1, 4, 208, 50},               // a quarter
		{0, 4, 208, 0},                // nothing found: no bar
		{0, 0, 208, 0},                // nothing anywhere
		{4, 4, 2000, maxBarWidth},     // capped on wide windows
		{2, 4, 2000, maxBarWidth / 2}, // proportional to the cap
	}
	for _, tt := range tests {
		bar := countBar(tt.n, tt.largest).(*fyne.Container)
		bar.Layout.Layout(bar.Objects, fyne.NewSize(tt.width, 20))
		if got := bar.Objects[0].Size().Width; got != tt.want {
			t.Errorf("countBar(%d, %d) at %v = %v wide, want %v", tt.n, tt.largest, tt.width, got, tt.want)
		}
	}
}
