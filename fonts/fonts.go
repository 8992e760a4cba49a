// Package fonts embeds the Japanese font shared by the GUI theme and the PDF
// report: IPAex Gothic (ipaexg.ttf, TrueType outlines, IPA Font License v1.0,
// see LICENSE-IPAexfont.txt).
package fonts

import _ "embed"

// IPAexGothic is the TrueType file of IPAex Gothic.
//
//go:embed ipaexg.ttf
var IPAexGothic []byte

// License is the licence text that must ship with the font.
//
//go:embed LICENSE-IPAexfont.txt
var License string
