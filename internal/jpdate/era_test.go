package jpdate

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEraBoundaries checks each change of era on both sides, in each era's
// spelling: the last day of the old era and the first of the new one are
// accepted, the day beyond either end is refused with a reason that names
// the era the date really belongs to.
func TestEraBoundaries(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: an error is expected
		frag []string
	}{
		// 平成 → 令和 (2019-04-30 / 2019-05-01).
		{in: "平成31年4月30日", want: day(2019, 4, 30)},
		{in: "令和元年5月1日", want: day(2019, 5, 1)},
		{in: "令和元年4月30日", frag: []string{"存在しない日付です（令和は2019年5月1日から。", "2019年4月30日は平成31年4月30日です"}},
		{in: "平成31年5月1日", frag: []string{"存在しない日付です（平成は2019年4月30日まで。", "2019年5月1日は令和元年5月1日です"}},
		{in: "H31.4.30", want: day(2019, 4, 30)},
		{in: "R1.5.1", want: day(2019, 5, 1)},
		{in: "R1.4.30", frag: []string{"平成31年4月30日"}},
		{in: "H31.5.1", frag: []string{"令和元年5月1日"}},
		{in: "令和元年4月1日", frag: []string{"令和は2019年5月1日から", "平成31年4月1日"}},
		{in: "平成32年1月1日", frag: []string{"令和2年1月1日"}},
		// 昭和 → 平成 (1989-01-07 / 1989-01-08).
		{in: "昭和64年1月7日", want: day(1989, 1, 7)},
		{in: "平成元年1月8日", want: day(1989, 1, 8)},
		{in: "平成元年1月7日", frag: []string{"平成は1989年1月8日から", "昭和64年1月7日"}},
		{in: "昭和64年1月8日", frag: []string{"昭和は1989年1月7日まで", "平成元年1月8日"}},
		{in: "S64.1.7", want: day(1989, 1, 7)},
		{in: "H1.1.8", want: day(1989, 1, 8)},
		{in: "S64.1.8", frag: []string{"平成元年1月8日"}},
		{in: "昭和65年1月1日", frag: []string{"平成2年1月1日"}},
		// 大正 → 昭和 (1926-12-24 / 1926-12-25).
		{in: "大正15年12月24日", want: day(1926, 12, 24)},
		{in: "昭和元年12月25日", want: day(1926, 12, 25)},
		{in: "昭和元年12月24日", frag: []string{"昭和は1926年12月25日から", "大正15年12月24日"}},
		{in: "大正15年12月25日", frag: []string{"大正は1926年12月24日まで", "昭和元年12月25日"}},
		// 明治 → 大正 (1912-07-29 / 1912-07-30).
		{in: "明治45年7月29日", want: day(1912, 7, 29)},
		{in: "大正元年7月30日", want: day(1912, 7, 30)},
		{in: "大正元年7月29日", frag: []string{"明治45年7月29日"}},
		{in: "明治45年7月30日", frag: []string{"大正元年7月30日"}},
		// The ends of the accepted years.
		{in: "明治33年1月1日", want: day(1900, 1, 1)},
		{in: "明治32年12月31日", frag: []string{"1900年〜2100年"}},
		{in: "令和82年12月31日", want: day(2100, 12, 31)},
		{in: "令和83年1月1日", frag: []string{"1900年〜2100年"}},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.want.IsZero() {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want error", tt.in, got)
				continue
			}
			t.Run("", func(t *testing.T) { checkErr(t, err, tt.in, tt.frag...) })
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatWareki(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{day(2024, 4, 1), "令和6年4月1日"},
		{at(2024, 4, 1, 23, 59, 0, 0), "令和6年4月1日"},
		{day(2019, 5, 1), "令和元年5月1日"},
		{day(2019, 4, 30), "平成31年4月30日"},
		{day(1989, 1, 8), "平成元年1月8日"},
		{day(1989, 1, 7), "昭和64年1月7日"},
		{day(1926, 12, 25), "昭和元年12月25日"},
		{day(1926, 12, 24), "大正15年12月24日"},
		{day(1912, 7, 30), "大正元年7月30日"},
		{day(1912, 7, 29), "明治45年7月29日"},
		{day(1900, 1, 1), "明治33年1月1日"},
		{day(2100, 12, 31), "令和82年12月31日"},
		{day(1850, 1, 1), "1850年1月1日"},
	}
	for _, tt := range tests {
		if got := FormatWareki(tt.in); got != tt.want {
			t.Errorf("FormatWareki(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWarekiEveryDay walks every day of the accepted range: the 和暦 of a
// day, in its long and short spellings, must read back as that day, and the
// same era year and date under the neighbouring eras must be refused unless
// it is genuinely within them (never two readings of one spelling).
func TestWarekiEveryDay(t *testing.T) {
	for d := day(MinYear, 1, 1); d.Year() <= MaxYear; d = d.AddDate(0, 0, 1) {
		long := FormatWareki(d)
		got, err := ParseDate(long)
		if err != nil || got != d {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", long, got, err, d)
		}
		y, m, dd := d.Date()
		e := eraOf(y, int(m), dd)
		ey := y - e.sy + 1
		short := strings.ToUpper(string(e.letter)) + strconv.Itoa(ey) + "." + strconv.Itoa(int(m)) + "." + strconv.Itoa(dd)
		got, err = ParseDate(short)
		if err != nil || got != d {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", short, got, err, d)
		}
		for k := range eras {
			other := &eras[k]
			if other == e {
				continue
			}
			spelled := eraYearLabel(other, ey) + strconv.Itoa(int(m)) + "月" + strconv.Itoa(dd) + "日"
			got, err := ParseDate(spelled)
			if err != nil {
				continue
			}
			oy, om, od := got.Date()
			if !other.contains(oy, int(om), od) || FormatWareki(got) != spelled {
				t.Fatalf("ParseDate(%q) = %v outside %s", spelled, got, other.name)
			}
		}
	}
}
