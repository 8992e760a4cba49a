package store

import (
	"path/filepath"
	"runtime"
	"strings"
)

// fileURI turns a file path into the SQLite URI filename that names it,
// so that any file name works: a path passed as it is breaks at the first
// "?" (the driver takes the rest for options), and as a URI at "#" or "%".
// Those three are percent-encoded here; SQLite decodes them. query is
// appended after "?" when not empty.
func fileURI(path, query string) string {
	p := path
	if abs, err := filepath.Abs(path); err == nil {
		p = abs
	}
	if runtime.GOOS == "windows" {
		// file:/C:/Users/... (SQLite's form for drive letters).
		p = strings.ReplaceAll(p, `\`, "/")
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%', '?', '#':
			b.WriteString("%")
			b.WriteString(strings.ToUpper(hexByte(c)))
		default:
			b.WriteByte(c)
		}
	}
	if query != "" {
		b.WriteString("?")
		b.WriteString(query)
	}
	return b.String()
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
