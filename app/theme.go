package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"tenken/fonts"
)

// japaneseFont is created once: Fyne caches font faces per resource, so
// handing out the same pointer for every style keeps one parsed copy of the
// 5 MB font in memory.
var japaneseFont = fyne.NewStaticResource("ipaexg.ttf", fonts.IPAexGothic)

// Colours of the theme. The primary blue matches the application icon; the
// custom names below are used by the dashboard's panels and captions.
var (
	colorPrimary   = color.NRGBA{R: 0x2d, G: 0x6c, B: 0xb4, A: 0xff}
	colorCaption   = color.NRGBA{R: 0x5a, G: 0x64, B: 0x70, A: 0xff}
	colorPanel     = color.NRGBA{R: 0xf2, G: 0xf5, B: 0xf9, A: 0xff}
	colorPanelLine = color.NRGBA{R: 0xd9, G: 0xe0, B: 0xe8, A: 0xff}
	colorHint      = color.NRGBA{R: 0xe6, G: 0xf0, B: 0xfb, A: 0xff}
	colorSidebar   = color.NRGBA{R: 0xee, G: 0xf2, B: 0xf7, A: 0xff}
	colorText      = color.NRGBA{R: 0x26, G: 0x2b, B: 0x33, A: 0xff}
)

// Theme colour names private to Tenken.
const (
	colorNameCaption   fyne.ThemeColorName = "tenkenCaption"
	colorNamePanel     fyne.ThemeColorName = "tenkenPanel"
	colorNamePanelLine fyne.ThemeColorName = "tenkenPanelLine"
	colorNameHint      fyne.ThemeColorName = "tenkenHint"
	colorNameSidebar   fyne.ThemeColorName = "tenkenSidebar"
)

// Theme is Tenken's look: Fyne's default light theme with IPAex Gothic for
// every text style, so Japanese never falls back to tofu boxes on a PC
// without Japanese system fonts, and a calm blue accent.
type Theme struct {
	fyne.Theme
}

// NewTheme returns the Tenken theme.
func NewTheme() *Theme {
	return &Theme{Theme: theme.DefaultTheme()}
}

// Font returns IPAex Gothic for every style. IPAex has a single weight, so
// bold text is set in the same face; the GUI marks emphasis by size and
// colour instead. Symbol glyphs stay with Fyne's symbol font, which IPAex
// does not cover.
func (t *Theme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Symbol {
		return t.Theme.Font(style)
	}
	return japaneseFont
}

// Color pins the light variant (the report and the screenshots in the manual
// are light too) and supplies Tenken's own colour names.
func (t *Theme) Color(name fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch name {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return colorPrimary
	case theme.ColorNameForegroundOnPrimary:
		return color.White
	case theme.ColorNameFocus:
		return withAlpha(colorPrimary, 0x7f)
	case theme.ColorNameSelection:
		return withAlpha(colorPrimary, 0x3f)
	case theme.ColorNameForeground:
		return colorText
	case colorNameCaption:
		return colorCaption
	case colorNamePanel:
		return colorPanel
	case colorNamePanelLine:
		return colorPanelLine
	case colorNameHint:
		return colorHint
	case colorNameSidebar:
		return colorSidebar
	}
	return t.Theme.Color(name, theme.VariantLight)
}

// Size opens up the line spacing: IPAex's metrics have no line gap, and
// wrapped Japanese paragraphs at Fyne's default spacing read cramped.
func (t *Theme) Size(name fyne.ThemeSizeName) float32 {
	if name == theme.SizeNameLineSpacing {
		return 7
	}
	return t.Theme.Size(name)
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}
