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
