package store

import (
	"fmt"
	"path/filepath"
	"strings"

	"tenken/internal/domain"
)

// checkLocalPath refuses database paths on network shares: SQLite's WAL
// needs shared memory that network file systems do not provide, and towns
// like to keep files on a 共有フォルダ. Refusing with a clear message is
// safer than silently risking a corrupted workspace.
func checkLocalPath(path string) error {
	if isUNC(path) {
		return networkError(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	if remote, _ := isRemote(filepath.Dir(abs)); remote {
		return networkError(path)
	}
	return nil
}

// isUNC reports whether p names a network share (\\server\share or //server/share).
func isUNC(p string) bool {
	return strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//")
}

func networkError(path string) error {
	return &domain.Error{
		Code:    "network_path",
		Message: fmt.Sprintf("「%s」はネットワーク上の共有フォルダにあるため、ワークスペースに使えません（データベースが壊れるおそれがあります）。このパソコンの内蔵ディスク上のフォルダ（例: ドキュメント）を指定してください。", path),
	}
}
