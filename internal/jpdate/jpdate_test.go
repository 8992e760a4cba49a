package jpdate

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// at builds an expected result: wall clock in UTC.
func at(y, mo, d, h, mi, s, ns int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
}

func day(y, mo, d int) time.Time { return at(y, mo, d, 0, 0, 0, 0) }

// checkErr asserts that err is a *Error for input whose reason contains
// every fragment and whose message is a complete sentence.
func checkErr(t *testing.T, err error, input string, fragments ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if e.Input != input {
		t.Errorf("Input = %q, want %q", e.Input, input)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Reason, f) {
			t.Errorf("Reason %q does not contain %q", e.Reason, f)
		}
	}
	msg := e.Error()
	if !strings.HasSuffix(msg, "。") {
		t.Errorf("message %q is not a sentence", msg)
	}
	if input != "" && !strings.HasPrefix(msg, "「") {
		t.Errorf("message %q does not quote the cell", msg)
	}
}

func TestParseDateTimeValid(t *testing.T) {
	d0701 := at(2024, 4, 1, 9, 3, 7, 0)
	tests := []struct {
		in   string
		want time.Time
	}{
		// Western, with separators.
		{"2024/04/01 09:03:07", d0701},
		{"2024/4/1 9:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024/4/1 9:03:07", d0701},
		{"2024/4/1 9:3:7", d0701},
		{"2024-04-01T09:03:07", d0701},
		{"2024-04-01t09:03:07", d0701},
		{"2024-04-01 09:03:07", d0701},
		{"2024-04-01 09:03:07.123", at(2024, 4, 1, 9, 3, 7, 123000000)},
		{"2024-04-01T09:03:07.1234567", at(2024, 4, 1, 9, 3, 7, 123456700)},
		{"2024-04-01T09:03:07.123456789987", at(2024, 4, 1, 9, 3, 7, 123456789)},
		{"2024-04-01T09:03:07+09:00", d0701},
		{"2024-04-01T09:03:07.5+09:00", at(2024, 4, 1, 9, 3, 7, 500000000)},
		{"2024-04-01T09:03:07+0900", d0701},
		{"2024-04-01T09:03:07+09", d0701},
		{"2024-04-01 09:03:07 +09:00", d0701},
		{"2024-04-01 09:03:07 JST", d0701},
		{"2024.4.1", day(2024, 4, 1)},
		{"2024.04.01 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024/04/01", day(2024, 4, 1)},
		{"2024-04-01", day(2024, 4, 1)},
		{"2024/ 4/ 1  9:03:07", d0701},
		{"H1.1.  8", day(1989, 1, 8)},
		{"2024/04/01\t09:03:07", d0701},
		// Compact.
		{"20240401 090307", d0701},
		{"20240401T090307", d0701},
		{"20240401090307", d0701},
		{"20240401090307.25", at(2024, 4, 1, 9, 3, 7, 250000000)},
		{"20240401090307123", at(2024, 4, 1, 9, 3, 7, 123000000)},
		{"202404010903", at(2024, 4, 1, 9, 3, 0, 0)},
		{"20240401", day(2024, 4, 1)},
		{"20240401 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"20240401090307+09:00", d0701},
		// Japanese markers.
		{"2024年4月1日 9時3分7秒", d0701},
		{"2024年4月1日 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024年4月1日9時3分", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024年04月01日", day(2024, 4, 1)},
		{"2024 年 4 月 1 日 9 時 3 分 7 秒", d0701},
		{"2024年4月1日 9時", at(2024, 4, 1, 9, 0, 0, 0)},
		// 午前/午後 and AM/PM; 12 o'clock as Excel writes it.
		{"2024/04/01 午後3:05", at(2024, 4, 1, 15, 5, 0, 0)},
		{"2024/04/01 午後 3:05:09", at(2024, 4, 1, 15, 5, 9, 0)},
		{"2024/04/01 3:05 PM", at(2024, 4, 1, 15, 5, 0, 0)},
		{"2024/04/01 3:05pm", at(2024, 4, 1, 15, 5, 0, 0)},
		{"2024/04/01 3:05 p.m.", at(2024, 4, 1, 15, 5, 0, 0)},
		{"2024/04/01 9:05 AM", at(2024, 4, 1, 9, 5, 0, 0)},
		{"2024/04/01 午前0時5分", at(2024, 4, 1, 0, 5, 0, 0)},
		{"2024/04/01 午前12:30", at(2024, 4, 1, 0, 30, 0, 0)},
		{"2024/04/01 午後12:30", at(2024, 4, 1, 12, 30, 0, 0)},
		{"2024/04/01 午後0:30", at(2024, 4, 1, 12, 30, 0, 0)},
		{"2024/4/1 午後 11:59:59", at(2024, 4, 1, 23, 59, 59, 0)},
		{"2024年4月1日午後3時5分", at(2024, 4, 1, 15, 5, 0, 0)},
		// Weekdays that agree with the date.
		{"2024/04/01(月) 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024/04/01 (月) 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024年4月1日（月曜日）", day(2024, 4, 1)},
		{"2024年4月1日(月曜)9:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024/03/31(日)", day(2024, 3, 31)},
		{"1900/01/01(月)", day(1900, 1, 1)},
		// 和暦.
		{"令和6年4月1日", day(2024, 4, 1)},
		{"令和6年4月1日 9:03:07", d0701},
		{"令和6年4月1日9時3分7秒", d0701},
		{"令和 6年 4月 1日", day(2024, 4, 1)},
		{"令和元年5月1日", day(2019, 5, 1)},
		{"令和1年5月1日", day(2019, 5, 1)},
		{"R6.4.1", day(2024, 4, 1)},
		{"R06/04/01", day(2024, 4, 1)},
		{"R6/4/1 9:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"R6-4-1", day(2024, 4, 1)},
		{"r6.4.1", day(2024, 4, 1)},
		{"R元.5.1", day(2019, 5, 1)},
		{"R6年4月1日", day(2024, 4, 1)},
		{"令6.4.1", day(2024, 4, 1)},
		{"令和6.4.1", day(2024, 4, 1)},
		{"H31.4.30", day(2019, 4, 30)},
		{"h31.4.30", day(2019, 4, 30)},
		{"平成31年4月30日", day(2019, 4, 30)},
		{"平31.4.30", day(2019, 4, 30)},
		{"平成元年1月8日", day(1989, 1, 8)},
		{"S64.1.7", day(1989, 1, 7)},
		{"昭和64年1月7日", day(1989, 1, 7)},
		{"昭64.1.7", day(1989, 1, 7)},
		{"昭和元年12月25日", day(1926, 12, 25)},
		{"大正15年12月24日", day(1926, 12, 24)},
		{"T15.12.24", day(1926, 12, 24)},
		{"明治33年1月1日", day(1900, 1, 1)},
		{"M45.7.29", day(1912, 7, 29)},
		{"令和6年4月1日(月)", day(2024, 4, 1)},
		// Full-width and other non-ASCII spellings.
		{"２０２４／０４／０１　９：０３", at(2024, 4, 1, 9, 3, 0, 0)},
		{"２０２４－０４－０１Ｔ０９：０３：０７", d0701},
		{"２０２４年４月１日　９時３分７秒", d0701},
		{"令和６年４月１日", day(2024, 4, 1)},
		{"Ｒ６．４．１", day(2024, 4, 1)},
		{"ｒ６．４．１", day(2024, 4, 1)},
		{"２０２４０４０１　０９０３０７", d0701},
		{"㋿6.4.1", day(2024, 4, 1)},
		{"㋿元年5月1日", day(2019, 5, 1)},
		{"㍻31.4.30", day(2019, 4, 30)},
		{"㍼64.1.7", day(1989, 1, 7)},
		{"2024ー04ー01", day(2024, 4, 1)},
		{"2024−04−01 09:03", at(2024, 4, 1, 9, 3, 0, 0)},
		{"2024‐04‐01", day(2024, 4, 1)},
		{"2024/04/01 ㈪", day(2024, 4, 1)},
		{"２０２４／０４／０１　午後３：０５", at(2024, 4, 1, 15, 5, 0, 0)},
		// Surrounding white space.
		{"  2024/04/01 09:03:07\t", d0701},
		{"\u30002024/04/01 09:03:07\u3000", d0701},
		{"\u00a02024/04/01 09:03:07\r\n", d0701},
		// Excel serials (five integer digits).
		{"45383", day(2024, 4, 1)},
		{"45383.5", at(2024, 4, 1, 12, 0, 0, 0)},
		{"45383.3771643518", d0701},
		{"45383.37716435185", d0701},
		{"45383.0", day(2024, 4, 1)},
		{"４５３８３．５", at(2024, 4, 1, 12, 0, 0, 0)},
		// Range ends and leap days.
		{"1900/01/01 00:00:00", day(1900, 1, 1)},
		{"2100/12/31 23:59:59", at(2100, 12, 31, 23, 59, 59, 0)},
		{"2024/02/29", day(2024, 2, 29)},
		{"2000/02/29", day(2000, 2, 29)},
		{"2024/12/31 23:59:59", at(2024, 12, 31, 23, 59, 59, 0)},
		{"2024/01/01 00:00:00", day(2024, 1, 1)},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if got != tt.want {
			t.Errorf("ParseDateTime(%q) = %#v, not identical to time.Date result %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseDateTimeInvalid(t *testing.T) {
	long := strings.Repeat("2", 300)
	tests := []struct {
		in        string
		fragments []string
	}{
		{"", []string{"日時の欄が空です", "例:"}},
		{"  \u3000 ", []string{"日時の欄が空です"}},
		// Dates that do not exist.
		{"2024/02/30", []string{"存在しない日付です（2024年2月は29日まで）"}},
		{"2023/02/29", []string{"2023年2月は28日まで"}},
		{"1900/02/29", []string{"1900年2月は28日まで"}},
		{"2100/02/29", []string{"2100年2月は28日まで"}},
		{"2024/04/31", []string{"2024年4月は30日まで"}},
		{"2024/13/01", []string{"存在しない日付です", "月は1〜12"}},
		{"2024/00/10", []string{"月は1〜12"}},
		{"2024/04/00", []string{"日は1日から"}},
		{"20241301", []string{"月は1〜12"}},
		{"20240230 090000", []string{"2024年2月は29日まで"}},
		{"2024年2月30日", []string{"2024年2月は29日まで"}},
		// Times that do not exist.
		{"2024/04/01 25:00", []string{"存在しない時刻です", "時は0〜23"}},
		{"2024/04/01 24:00", []string{"時は0〜23"}},
		{"2024/04/01 9:60", []string{"分は0〜59"}},
		{"2024/04/01 9:00:60", []string{"秒は0〜59"}},
		{"20240401 250000", []string{"時は0〜23"}},
		{"20240401096000", []string{"分は0〜59"}},
		{"2024/04/01 午後13:00", []string{"0〜12"}},
		{"2024/04/01 13:00 PM", []string{"0〜12"}},
		{"2024年4月1日 9時60分", []string{"分は0〜59"}},
		// Years out of range.
		{"1899/12/31", []string{"1900年〜2100年"}},
		{"2101/01/01 00:00:00", []string{"1900年〜2100年"}},
		{"0000/01/01", []string{"1900年〜2100年"}},
		{"明治32年1月1日", []string{"1900年〜2100年", "明治32年は1899年"}},
		{"令和83年1月1日", []string{"1900年〜2100年", "令和83年は2101年"}},
		// Eras.
		{"令和元年4月1日", []string{"存在しない日付です", "令和は2019年5月1日から", "平成31年4月1日"}},
		{"平成31年5月1日", []string{"平成は2019年4月30日まで", "令和元年5月1日"}},
		{"平成32年1月1日", []string{"平成は2019年4月30日まで", "2020年1月1日は令和2年1月1日"}},
		{"H32.1.1", []string{"令和2年1月1日"}},
		{"昭和64年1月8日", []string{"昭和は1989年1月7日まで", "平成元年1月8日"}},
		{"平成元年1月7日", []string{"平成は1989年1月8日から", "昭和64年1月7日"}},
		{"令和0年5月1日", []string{"元年（1年）から"}},
		{"R0.5.1", []string{"元年（1年）から"}},
		{"令和6年2月30日", []string{"令和6年2月は29日まで"}},
		{"令和元年2月29日", []string{"令和元年2月は28日まで"}},
		// Forms that could be read more than one way.
		{"01/04/2024", []string{"年を先に"}},
		{"4/1/2024 9:03", []string{"年を先に"}},
		{"24/04/01", []string{"年が2桁", "R6.4.1"}},
		{"06.4.1", []string{"年が2桁"}},
		{"6年4月1日", []string{"元号が抜けて"}},
		// Offsets other than Japan's.
		{"2024-04-01T09:03:07Z", []string{"UTC"}},
		{"2024-04-01T00:03:07z", []string{"UTC"}},
		{"2024-04-01 09:03:07 UTC", []string{"UTC"}},
		{"2024-04-01T09:03:07+00:00", []string{"（+00:00）"}},
		{"2024-04-01T09:03:07-09:00", []string{"（-09:00）"}},
		{"2024-04-01T09:03:07+0930", []string{"（+0930）"}},
		// A clock without a date, a weekday that disagrees.
		{"9:03", []string{"時刻だけで日付がありません"}},
		{"09:03:07", []string{"時刻だけで日付がありません"}},
		{"午後3時5分", []string{"時刻だけで日付がありません"}},
		{"2024/04/02(月)", []string{"曜日が合いません", "2024年4月2日は火曜日です"}},
		{"令和6年4月1日(火)", []string{"2024年4月1日は月曜日です"}},
		// Excel serials out of range.
		{"99999", []string{"1900年〜2100年", "2173年10月13日"}},
		// Garbage and near misses.
		{"abc", []string{"日時として読めません", "例:"}},
		{"2024", []string{"日時として読めません"}},
		{"60", []string{"日時として読めません"}},
		{"2024.04", []string{"日時として読めません"}},
		{"1711929787", []string{"日時として読めません"}},
		{"2024/04/01 09:03:07 extra", []string{"日時として読めません"}},
		{"2024/04-01", []string{"日時として読めません"}},
		{"2024/04/01 9", []string{"日時として読めません"}},
		{"2024/04/01T", []string{"日時として読めません"}},
		{"2024/04/01 09:03:", []string{"日時として読めません"}},
		{"2024/04/01 09:03:07.", []string{"日時として読めません"}},
		{"2024/04/01 903", []string{"日時として読めません"}},
		{"2024/04/01 0903071", []string{"日時として読めません"}},
		{"2024/04/01 9時7秒", []string{"日時として読めません"}},
		{"2024/04/01 午前午後9:00", []string{"日時として読めません"}},
		{"2024/04/01 午前9:00 PM", []string{"日時として読めません"}},
		{"2024/04/01Z", []string{"日時として読めません"}},
		{"2024/04/01 09:03Zz", []string{"日時として読めません"}},
		{"2024/04/01 09:03+9", []string{"日時として読めません"}},
		{"2024/004/01", []string{"日時として読めません"}},
		{"02024/04/01", []string{"日時として読めません"}},
		{"2024/04/01(月", []string{"日時として読めません"}},
		{"2024/04/01(X)", []string{"日時として読めません"}},
		{"2024年4月", []string{"日時として読めません"}},
		{"R6.4", []string{"日時として読めません"}},
		{"R.6.4.1", []string{"日時として読めません"}},
		{"令和六年四月一日", []string{"日時として読めません"}},
		{"45383.5.5", []string{"日時として読めません"}},
		{"45383.", []string{"日時として読めません"}},
		{"00040", []string{"日時として読めません"}},
		{"01000.5", []string{"日時として読めません"}},
		{"000２0", []string{"日時として読めません"}},
		{"2024/4/1 01010", []string{"日時として読めません"}},
		{"H1.1.   10", []string{"日時として読めません"}},
		{"2024/   4/1", []string{"日時として読めません"}},
		{"2024040", []string{"日時として読めません"}},
		{"2024040109", []string{"日時として読めません"}},
		{"２０２４年", []string{"日時として読めません"}},
		{long, []string{"日時として読めません"}},
		{"\xff\xfe", []string{"日時として読めません"}},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if err == nil {
			t.Errorf("ParseDateTime(%q) = %v, want error", tt.in, got)
			continue
		}
		if !got.IsZero() {
			t.Errorf("ParseDateTime(%q) returned %v with its error", tt.in, got)
		}
		t.Run("", func(t *testing.T) { checkErr(t, err, trim(tt.in), tt.fragments...) })
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Input: "2024/02/30", Reason: "存在しない日付です（2024年2月は29日まで）"},
			"「2024/02/30」は存在しない日付です（2024年2月は29日まで）。"},
		{&Error{Reason: "日時の欄が空です"}, "日時の欄が空です。"},
		{&Error{Input: "a\x00b\xffc", Reason: "R"}, "「a\uFFFDb\uFFFDc」はR。"},
		{&Error{Input: strings.Repeat("あ", 50), Reason: "R"}, "「" + strings.Repeat("あ", 40) + "…」はR。"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	for _, in := range []string{"", " ", "\u3000", "\t\r\n"} {
		_, err1 := ParseDateTime(in)
		_, err2 := ParseDate(in)
		_, _, _, err3 := ParseClock(in)
		_, err4 := ParseExcelSerial(in)
		_, err5 := Combine(in, "9:00")
		_, err6 := Combine("2024/04/01", in)
		for _, err := range []error{err1, err2, err3, err4, err5, err6} {
			if !errors.Is(err, ErrEmpty) {
				t.Errorf("%q: error %v does not match ErrEmpty", in, err)
			}
		}
	}
	if _, err := ParseDateTime("x"); errors.Is(err, ErrEmpty) {
		t.Errorf("error %v for a non-empty cell matches ErrEmpty", err)
	}
	_, err := ParseDateTime("令和元年4月1日")
	const want = "「令和元年4月1日」は存在しない日付です（令和は2019年5月1日から。2019年4月1日は平成31年4月1日です）。"
	if err == nil || err.Error() != want {
		t.Errorf("ParseDateTime(令和元年4月1日) error = %v, want %s", err, want)
	}
	_, err = ParseDateTime("2024/02/30")
	if err == nil || err.Error() != "「2024/02/30」は存在しない日付です（2024年2月は29日まで）。" {
		t.Errorf("ParseDateTime(2024/02/30) error = %v", err)
	}
}

func TestParseDate(t *testing.T) {
	valid := []struct {
		in   string
		want time.Time
	}{
		{"2024/04/01", day(2024, 4, 1)},
		{"2024-04-01", day(2024, 4, 1)},
		{"2024/4/1", day(2024, 4, 1)},
		{"20240401", day(2024, 4, 1)},
		{"2024年4月1日", day(2024, 4, 1)},
		{"令和6年4月1日", day(2024, 4, 1)},
		{"R6.4.1", day(2024, 4, 1)},
		{"H31.4.30", day(2019, 4, 30)},
		{"45383", day(2024, 4, 1)},
		{"45383.0", day(2024, 4, 1)},
		{"2024/04/01 0:00:00", day(2024, 4, 1)},
		{"2024/04/01 00:00", day(2024, 4, 1)},
		{"2024-04-01T00:00:00+09:00", day(2024, 4, 1)},
		{"２０２４／４／１", day(2024, 4, 1)},
		{" 2024/04/01 ", day(2024, 4, 1)},
		{"1900-01-01", day(1900, 1, 1)},
		{"2100-12-31", day(2100, 12, 31)},
	}
	for _, tt := range valid {
		got, err := ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	invalid := []struct {
		in        string
		fragments []string
	}{
		{"", []string{"日付の欄が空です"}},
		{"2024/04/01 09:03", []string{"日付の欄に時刻が含まれています"}},
		{"2024/04/01 00:00:00.001", []string{"日付の欄に時刻が含まれています"}},
		{"20240401090307", []string{"日付の欄に時刻が含まれています"}},
		{"45383.5", []string{"日付の欄に時刻が含まれています"}},
		{"9:03", []string{"日付ではなく時刻です"}},
		{"2024/02/30", []string{"2024年2月は29日まで"}},
		{"2024/02/3O", []string{"日付として読めません"}},
		{"2099/13/01", []string{"月は1〜12"}},
		{"2101-01-01", []string{"1900年〜2100年"}},
		{"1899-12-31", []string{"1900年〜2100年"}},
		{"abc", []string{"日付として読めません", "R6.4.1"}},
	}
	for _, tt := range invalid {
		got, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", tt.in, got)
			continue
		}
		t.Run("", func(t *testing.T) { checkErr(t, err, trim(tt.in), tt.fragments...) })
	}
}

func TestParseClock(t *testing.T) {
	valid := []struct {
		in      string
		h, m, s int
	}{
		{"9:03", 9, 3, 0},
		{"09:03", 9, 3, 0},
		{"09:03:07", 9, 3, 7},
		{"9:3:7", 9, 3, 7},
		{"09:03:07.999", 9, 3, 7},
		{"090307", 9, 3, 7},
		{"0903", 9, 3, 0},
		{"90307", 9, 3, 7},
		{"235959", 23, 59, 59},
		{"000000", 0, 0, 0},
		{"0:00", 0, 0, 0},
		{"23:59:59", 23, 59, 59},
		{"9時3分", 9, 3, 0},
		{"9時3分7秒", 9, 3, 7},
		{"09時03分07秒", 9, 3, 7},
		{"9時", 9, 0, 0},
		{"9 時 3 分", 9, 3, 0},
		{"午前9時3分", 9, 3, 0},
		{"午後3:05", 15, 5, 0},
		{"午後 3:05", 15, 5, 0},
		{"午後3時5分7秒", 15, 5, 7},
		{"3:05 PM", 15, 5, 0},
		{"3:05pm", 15, 5, 0},
		{"PM 3:05", 15, 5, 0},
		{"9:05 a.m.", 9, 5, 0},
		{"3:05 午後", 15, 5, 0},
		{"午前0時", 0, 0, 0},
		{"午前12:00", 0, 0, 0},
		{"12:00 AM", 0, 0, 0},
		{"午後12:00", 12, 0, 0},
		{"12:00 PM", 12, 0, 0},
		{"午後0時", 12, 0, 0},
		{"午後11:59:59", 23, 59, 59},
		{"０９：０３", 9, 3, 0},
		{"９時３分", 9, 3, 0},
		{"午後３：０５", 15, 5, 0},
		{" 9:03 ", 9, 3, 0},
		{"\u30009:03\u3000", 9, 3, 0},
		{"0.375", 9, 0, 0},
		{"0.5", 12, 0, 0},
		{"0.0", 0, 0, 0},
		{"0.37716435185185", 9, 3, 7},
		{"0.99998842592593", 23, 59, 59},
	}
	for _, tt := range valid {
		h, m, s, err := ParseClock(tt.in)
		if err != nil || h != tt.h || m != tt.m || s != tt.s {
			t.Errorf("ParseClock(%q) = %d, %d, %d, %v; want %d, %d, %d", tt.in, h, m, s, err, tt.h, tt.m, tt.s)
		}
	}
	invalid := []struct {
		in        string
		fragments []string
	}{
		{"", []string{"時刻の欄が空です", "9:03"}},
		{"25:00", []string{"存在しない時刻です", "時は0〜23"}},
		{"24:00", []string{"時は0〜23"}},
		{"9:60", []string{"分は0〜59"}},
		{"9:03:60", []string{"秒は0〜59"}},
		{"250000", []string{"時は0〜23"}},
		{"0960", []string{"分は0〜59"}},
		{"9時60分", []string{"分は0〜59"}},
		{"午後13:00", []string{"0〜12"}},
		{"13:00 PM", []string{"0〜12"}},
		{"2024/04/01 09:03", []string{"時刻の欄に日付が含まれています"}},
		{"20240401", []string{"時刻の欄に日付が含まれています"}},
		{"令和6年4月1日", []string{"時刻の欄に日付が含まれています"}},
		{"903", []string{"時刻として読めません"}},
		{"01010", []string{"時刻として読めません"}},
		{"00000.0", []string{"時刻として読めません"}},
		{"9", []string{"時刻として読めません"}},
		{"9:", []string{"時刻として読めません"}},
		{":03", []string{"時刻として読めません"}},
		{"9:003", []string{"時刻として読めません"}},
		{"123:00", []string{"時刻として読めません"}},
		{"9時7秒", []string{"時刻として読めません"}},
		{"9:03+09:00", []string{"時刻として読めません"}},
		{"0.99999999999", []string{"時刻として読めません"}},
		{"1.5", []string{"時刻として読めません"}},
		{"0.", []string{"時刻として読めません"}},
		{"午後", []string{"時刻として読めません"}},
		{"abc", []string{"時刻として読めません"}},
	}
	for _, tt := range invalid {
		h, m, s, err := ParseClock(tt.in)
		if err == nil {
			t.Errorf("ParseClock(%q) = %d:%d:%d, want error", tt.in, h, m, s)
			continue
		}
		if h != 0 || m != 0 || s != 0 {
			t.Errorf("ParseClock(%q) returned %d:%d:%d with its error", tt.in, h, m, s)
		}
		t.Run("", func(t *testing.T) { checkErr(t, err, trim(tt.in), tt.fragments...) })
	}
}

func TestCombine(t *testing.T) {
	valid := []struct {
		date, clock string
		want        time.Time
	}{
		{"2024/04/01", "9:03:07", at(2024, 4, 1, 9, 3, 7, 0)},
		{"20240401", "090307", at(2024, 4, 1, 9, 3, 7, 0)},
		{"令和6年4月1日", "午後3時5分", at(2024, 4, 1, 15, 5, 0, 0)},
		{"R6.4.1", "23:59:59", at(2024, 4, 1, 23, 59, 59, 0)},
		{"45383", "0.5", at(2024, 4, 1, 12, 0, 0, 0)},
		{"2024/04/01 0:00:00", "09:03:07.250", at(2024, 4, 1, 9, 3, 7, 250000000)},
		{"２０２４／０４／０１", "０９：０３", at(2024, 4, 1, 9, 3, 0, 0)},
	}
	for _, tt := range valid {
		got, err := Combine(tt.date, tt.clock)
		if err != nil || got != tt.want {
			t.Errorf("Combine(%q, %q) = %v, %v; want %v", tt.date, tt.clock, got, err, tt.want)
		}
	}
	invalid := []struct {
		date, clock string
		input       string // the cell the error must name
		fragment    string
	}{
		{"2024/02/30", "9:00", "2024/02/30", "2024年2月は29日まで"},
		{"2024/04/01", "25:00", "25:00", "時は0〜23"},
		{"", "9:00", "", "日付の欄が空です"},
		{"2024/04/01", " ", "", "時刻の欄が空です"},
		{"2024/04/01 09:00", "9:00", "2024/04/01 09:00", "日付の欄に時刻が含まれています"},
		{"2024/04/01", "2024/04/01 09:00", "2024/04/01 09:00", "時刻の欄に日付が含まれています"},
		{"9:00", "2024/04/01", "9:00", "日付ではなく時刻です"},
	}
	for _, tt := range invalid {
		got, err := Combine(tt.date, tt.clock)
		if err == nil {
			t.Errorf("Combine(%q, %q) = %v, want error", tt.date, tt.clock, got)
			continue
		}
		t.Run("", func(t *testing.T) { checkErr(t, err, tt.input, tt.fragment) })
	}
}

// TestNoAllocs pins the promise made to the importer: the common ASCII
// forms are parsed without allocating. It counts allocations, not time.
func TestNoAllocs(t *testing.T) {
	for _, in := range []string{
		"2024/04/01 09:03:07",
		"2024-04-01T09:03:07",
		"20240401 090307",
		"20240401090307",
		"2024/4/1 9:03",
		"2024-04-01 09:03:07.123",
		"2024-04-01T09:03:07+09:00",
		"R6.4.1",
		"2024/04/01 午後3:05",
		"45383.3771643518",
		" 2024/04/01 09:03:07 ",
	} {
		if _, err := ParseDateTime(in); err != nil {
			t.Fatalf("ParseDateTime(%q): %v", in, err)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = ParseDateTime(in) }); n != 0 {
			t.Errorf("ParseDateTime(%q) allocates %.0f times per call", in, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _, _, _ = ParseClock("09:03:07") }); n != 0 {
		t.Errorf("ParseClock allocates %.0f times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = Combine("2024/04/01", "09:03:07") }); n != 0 {
		t.Errorf("Combine allocates %.0f times per call", n)
	}
}

// TestFastPathAgrees checks the fixed-width fast paths against the general
// parser on the layouts they serve, valid or not.
func TestFastPathAgrees(t *testing.T) {
	for _, in := range []string{
		"2024/04/01 09:03:07", "2024-04-01T09:03:07", "2024-04-01 09:03:07",
		"2024/02/29 23:59:59", "2023/02/29 00:00:00", "2024/04/01 24:00:00",
		"2024/04-01 09:03:07", "2024/04/01T09-03-07", "1899/12/31 23:59:59",
		"20240401 090307", "20240401T090307", "20240401090307", "20241301090307",
		"2024/04/01", "2024-04-01", "2024/02/30", "2101-01-01",
		"09:03:07", "23:59:59", "24:00:00", "09:60:00", "09:03:60", "09-03-07", "0a:03:07",
	} {
		if len(in) == 8 {
			h, m, s, ok := fastClock8(in)
			f, err := parseCell(in, modeClock)
			if ok != (err == nil) || ok && (h != f.h || m != f.mi || s != f.sec) {
				t.Errorf("%q: fast path %d:%d:%d %v, general %v", in, h, m, s, ok, err)
			}
			continue
		}
		var fast time.Time
		var ok bool
		switch len(in) {
		case 19:
			fast, ok = fast19(in)
		case 15, 14:
			fast, ok = fastCompact(in)
		case 10:
			fast, ok = fast10(in)
		}
		f, err := parseCell(in, modeDateTime)
		if ok != (err == nil) {
			t.Errorf("%q: fast path ok=%v, general error %v", in, ok, err)
			continue
		}
		if ok && fast != f.time() {
			t.Errorf("%q: fast path %v, general %v", in, fast, f.time())
		}
	}
}

// TestFoldMatchesNFKC checks that the direct mapping of fold gives exactly
// what full NFKC gives, for every character it maps directly.
func TestFoldMatchesNFKC(t *testing.T) {
	var runes []rune
	for r := rune(0x20); r < 0x7f; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x4e00); r <= 0x9fff; r++ {
		runes = append(runes, r)
	}
	for r := rune(0xff01); r <= 0xff5e; r++ {
		runes = append(runes, r)
	}
	runes = append(runes, '\u3000', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u30fc')
	for _, r := range runes {
		s := "1" + string(r) + "1"
		if got, want := fold(s), foldNFKC(s); got != want {
			t.Errorf("fold(%q) = %q, NFKC gives %q", s, got, want)
		}
	}
	// Characters outside the direct mapping still fold.
	for in, want := range map[string]string{
		"㋿6": "令和6", "㍻31": "平成31", "㈪": "(月)", "ｱ１": "ア1", "\u00a01\u00a0": "1",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}
