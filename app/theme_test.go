package app

import (
	"bytes"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"tenken/fonts"
)

func TestThemeUsesIPAexForText(t *testing.T) {
	th := NewTheme()
	styles := []fyne.TextStyle{
		{},
		{Bold: true},
		{Italic: true},
		{Bold: true, Italic: true},
		{Monospace: true},
	}
	for _, s := range styles {
		f := th.Font(s)
		if !bytes.Equal(f.Content(), fonts.IPAexGothic) {
			t.Errorf("Font(%+v) = %s, want IPAex Gothic", s, f.Name())
		}
	}
	if th.Font(fyne.TextStyle{Symbol: true}) == japaneseFont {
		t.Error("symbols should stay with Fyne's symbol font")
	}
}

func TestThemeColours(t *testing.T) {
	test.NewTempApp(t)
	th := NewTheme()
	test.AssertAllColorNamesDefined(t, th, "tenken")
	tests := []struct {
		name fyne.ThemeColorName
		want color.Color
	}{
		{theme.ColorNamePrimary, colorPrimary},
		{colorNameCaption, colorCaption},
		{colorNamePanel, colorPanel},
		{colorNameHint, colorHint},
		{colorNameSidebar, colorSidebar},
		// Light whatever the system asks for.
		{theme.ColorNameBackground, theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)},
	}
	for _, tt := range tests {
		for _, variant := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			if got := th.Color(tt.name, variant); got != tt.want {
				t.Errorf("Color(%s, %d) = %v, want %v", tt.name, variant, got, tt.want)
			}
		}
	}
}

func TestThemeSizes(t *testing.T) {
	th := NewTheme()
	if got := th.Size(theme.SizeNameLineSpacing); got <= theme.DefaultTheme().Size(theme.SizeNameLineSpacing) {
		t.Errorf("line spacing = %v, want more than Fyne's default for Japanese", got)
	}
	if got, want := th.Size(theme.SizeNameText), theme.DefaultTheme().Size(theme.SizeNameText); got != want {
		t.Errorf("text size = %v, want the default %v", got, want)
	}
}
