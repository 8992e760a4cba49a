package jpdate

import (
	"testing"
	"time"
)

func TestParseExcelSerial(t *testing.T) {
	valid := []struct {
		in   string
		want time.Time
	}{
		{"1", day(1900, 1, 1)},
		{"2", day(1900, 1, 2)},
		{"59", day(1900, 2, 28)},
		{"59.5", at(1900, 2, 28, 12, 0, 0, 0)},
		// 60 is Excel's fictitious 1900-02-29; from 61 on the count is
		// shifted by that day.
		{"61", day(1900, 3, 1)},
		{"61.25", at(1900, 3, 1, 6, 0, 0, 0)},
		{"25569", day(1970, 1, 1)},
		{"36526", day(2000, 1, 1)},
		{"43586", day(2019, 5, 1)},
		{"45383", day(2024, 4, 1)},
		{"45383.0", day(2024, 4, 1)},
		{"45383.5", at(2024, 4, 1, 12, 0, 0, 0)},
		{"45383.25", at(2024, 4, 1, 6, 0, 0, 0)},
		{"45383.3771643518", at(2024, 4, 1, 9, 3, 7, 0)},
		{"45383.377164351851851851851", at(2024, 4, 1, 9, 3, 7, 0)},
		{"45383.3771", at(2024, 4, 1, 9, 3, 1, 440000000)},
		{"45383.0000000001", day(2024, 4, 1)},
		{"45383.00000579", at(2024, 4, 1, 0, 0, 0, 500000000)},
		{"45383.999999999", day(2024, 4, 2)},
		{"73415", day(2100, 12, 31)},
		{"73415.99998842593", at(2100, 12, 31, 23, 59, 59, 0)},
		{"４５３８３", day(2024, 4, 1)},
		{" 45383 ", day(2024, 4, 1)},
		{"045383", day(2024, 4, 1)},
	}
	for _, tt := range valid {
		got, err := ParseExcelSerial(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseExcelSerial(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	invalid := []struct {
		in   string
		frag string
	}{
		{"60", "1900年2月29日"},
		{"60.5", "1900年2月29日"},
		{"59.9999999999", "1900年2月29日"},
		{"0", "1（1900年1月1日）から"},
		{"0.5", "1（1900年1月1日）から"},
		{"73416", "1900年〜2100年"},
		{"2958465", "9999年12月31日"},
		{"2958466", "1〜2958465"},
		{"20240401", "1〜2958465"},
		{"99999999999999999999999", "1〜2958465"},
		{"", "シリアル値の欄が空です"},
		{"-1", "シリアル値として読めません"},
		{"45383.", "シリアル値として読めません"},
		{".5", "シリアル値として読めません"},
		{"4.5383E+04", "シリアル値として読めません"},
		{"45,383", "シリアル値として読めません"},
		{"2024/04/01", "シリアル値として読めません"},
	}
	for _, tt := range invalid {
		got, err := ParseExcelSerial(tt.in)
		if err == nil {
			t.Errorf("ParseExcelSerial(%q) = %v, want error", tt.in, got)
			continue
		}
		t.Run("", func(t *testing.T) { checkErr(t, err, trim(tt.in), tt.frag) })
	}
}

// TestSerialOrDate pins which bare numbers ParseDateTime takes for serials.
func TestSerialOrDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"20240401", day(2024, 4, 1)}, // YYYYMMDD, never a serial
		{"45383", day(2024, 4, 1)},
		{"45383.3771643518", at(2024, 4, 1, 9, 3, 7, 0)},
		{"10000", day(1927, 5, 18)},
		{"73415", day(2100, 12, 31)},
		{"9999", time.Time{}},
		{"2024", time.Time{}},
		{"60", time.Time{}},
		{"1", time.Time{}},
		{"123456", time.Time{}},
		{"2024041", time.Time{}},
		{"73416", time.Time{}},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if tt.want.IsZero() {
			if err == nil {
				t.Errorf("ParseDateTime(%q) = %v, want error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestFracToMillis(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 0},
		{"5", 43200000},
		{"25", 21600000},
		{"0000000057870370", 0},         // 0.49999999 ms
		{"0000000057870371", 1},         // 0.50000000544 ms
		{"00000000578703703703", 0},     // 0.4999999999997 ms, 19 digits used
		{"000000005787037037037037", 0}, // more digits than a uint64 holds
		{"0000000057870370370371", 1},   // 0.50000000000000544 ms
		{"00000000578", 0},              // 0.499 ms rounds down
		{"00000000579", 1},              // 0.500 ms rounds up
		{"9999999999999999999", 86400000},
		{"99999999", 86399999},
	}
	for _, tt := range tests {
		if got := fracToMillis(tt.in); got != tt.want {
			t.Errorf("fracToMillis(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
