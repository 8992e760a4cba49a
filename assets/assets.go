// Package assets embeds the files the GUI ships inside the binary, so the
// application runs from a single executable on an offline 基幹系 PC.
package assets

import _ "embed"

// Icon is the application icon: a 256×256 PNG of a white magnifier with a
// check mark on a calm blue rounded square.
//
//go:embed icon.png
var Icon []byte
