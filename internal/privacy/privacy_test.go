package privacy

import "testing"

func TestMaskID(t *testing.T) {
	for in, want := range map[string]string{
		"":         "",
		"12345678": "1234****",
		"123":      "1**",
		"0000001":  "000****",
		"ＡＢ１２３４":   "ＡＢ１***",
	} {
		if got := MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskMail(t *testing.T) {
	for in, want := range map[string]string{
		"yamada.taro@example.jp":       "ya*********@example.jp",
		"a@x.jp":                       "*@x.jp",
		"宛先: ab@gmail.com; cd@town.jp": "宛先: a*@gmail.com; c*@town.jp",
		"no address":                   "no address",
	} {
		if got := MaskMail(in); got != want {
			t.Errorf("MaskMail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMasker(t *testing.T) {
	m := NewMasker(map[string]bool{"00012345": true, "000123456789": true, "12": true})
	got := m.Apply("宛名番号 000123456789 と 00012345 を 12 回照会")
	want := "宛名番号 0001******** と 0001**** を 12 回照会"
	if got != want {
		t.Errorf("Apply = %q, want %q", got, want)
	}
	var nilM *Masker
	if nilM.Apply("x") != "x" {
		t.Error("nil Masker changed text")
	}
}

func TestMaskMyNumber(t *testing.T) {
	for in, want := range map[string]string{
		"個人番号 123456789012 です": "個人番号 ************ です",
		"１２３４５６７８９０１２":         "************",
		"1234567890123 13桁は残す": "1234567890123 13桁は残す",
		"2025/05/07 09:00:00":  "2025/05/07 09:00:00",
	} {
		if got := MaskMyNumber(in); got != want {
			t.Errorf("MaskMyNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"「2025/05/07 09:00:00」「S0001」「0000001」": "「2025/05/07 09:00:00」「S0001」「000****」",
		"20250507":     "2025****",
		"職員ID 1234":    "職員ID 1234",
		"123456789012": "1234********",
	} {
		if got := MaskNumbers(in); got != want {
			t.Errorf("MaskNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsMyNumber(t *testing.T) {
	// 123456789018: the check digit of 12345678901 is 8.
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"123456789018", true},
		{"１２３４５６７８９０１８", true},
		{"1234-5678-9018", true},
		{"1234 5678 9018", true},
		{"123456789012", false},  // wrong check digit
		{"12345678901", false},   // 11 digits
		{"1234567890180", false}, // 13 digits
		{"12-3456789018", false}, // not grouped 4-4-4
		{"A23456789018", false},  // not a number
		{"000000000000", true},   // the check digit of zeros is 0
		{"", false},
	} {
		if got := IsMyNumber(c.in); got != c.want {
			t.Errorf("IsMyNumber(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := MaskMyNumber("番号 1234-5678-9018 を照会"); got != "番号 ****-****-**** を照会" {
		t.Errorf("grouped My Number not masked: %q", got)
	}
	if got := MaskMyNumber("2025-05-07 09:00"); got != "2025-05-07 09:00" {
		t.Errorf("a date was masked: %q", got)
	}
}
