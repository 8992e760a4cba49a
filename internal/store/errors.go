package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"syscall"
	"time"

	"tenken/internal/domain"
)

// SQLite's primary result codes (https://sqlite.org/rescode.html); the
// driver reports extended codes, whose low byte is the primary one.
const (
	sqlitePerm     = 3
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// BusyTimeout is how long a command waits for another one (an import, an
// inspection) to release the database before it gives up with the
// Japanese "busy" message. It is the first pragma of every connection.
var BusyTimeout = 10 * time.Second

// sqliteCode returns the primary SQLite result code behind err, 0 when err
// does not come from SQLite.
func sqliteCode(err error) int {
	var ce interface{ Code() int }
	if errors.As(err, &ce) {
		return ce.Code() & 0xff
	}
	return 0
}

// Error codes of the *domain.Error values Explain returns; the faces may
// offer a next step by code.
const (
	CodeBusy      = "busy"       // another command holds the database; wait, then run again
	CodeReadOnly  = "readonly"   // the folder or the file cannot be written
	CodeDiskFull  = "disk_full"  // no space left
	CodeNotTenken = "not_tenken" // the file is not a (Tenken) SQLite database
	CodeDamaged   = "damaged"    // real damage: restore a backup
	CodeIO        = "io"         // the disk failed to read or write
)

// Explain turns an error from SQLite or the file system into a
// *domain.Error whose Japanese message says what happened to the database
// at path and what to do next, telling apart a database that is only busy
// (another command is running), read-only, on a full disk, not a Tenken
// database at all, or really damaged — only the last suggests a restore.
// A *domain.Error, a cancellation and an error it does not recognise are
// returned unchanged.
func Explain(err error, path string) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := sqliteCode(err)
	switch {
	case code == sqliteBusy || code == sqliteLocked:
		return busyError(path, err)
	case code == sqliteReadOnly || code == sqlitePerm || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		return readOnlyError(path, err)
	case code == sqliteFull || errors.Is(err, syscall.ENOSPC):
		return diskFullError(path, err)
	case code == sqliteNotADB:
		return notTenkenError(path, err)
	case code == sqliteCorrupt:
		return damagedError(path, err.Error(), err)
	case code == sqliteCantOpen:
		return &domain.Error{Code: CodeReadOnly, Message: fmt.Sprintf("データベース「%s」を開けません。フォルダがあるか、読み書きの権限があるかを確認してください（%s）。", path, errText(err)), Err: err}
	case code == sqliteIOErr:
		return &domain.Error{Code: CodeIO, Message: fmt.Sprintf("データベース「%s」の読み書き中にディスクのエラーが起きました（%s）。ディスクの空きと接続を確認して、もう一度実行してください。データベースは実行前の状態のままです。", path, errText(err)), Err: err}
	}
	return err
}

func errText(err error) string { return truncate(err.Error(), 200) }

func busyError(path string, err error) error {
	return &domain.Error{Code: CodeBusy, Message: fmt.Sprintf("ワークスペースのデータベース「%s」は、ほかの処理（ログの取り込み・点検など）が使用中です。%s秒待ちましたが終わりませんでした。その処理が終わってから、もう一度実行してください。データはそのままで、壊れてはいません。", path, strconv.FormatFloat(BusyTimeout.Seconds(), 'f', -1, 64)), Err: err}
}

func readOnlyError(path string, err error) error {
	return &domain.Error{Code: CodeReadOnly, Message: fmt.Sprintf("ワークスペースのデータベース「%s」に書き込めません（フォルダかファイルが読み取り専用です）。フォルダと tenken.db に書き込みの権限があるか確認してください。読み取り専用のままでも、検証（tenken verify）と結果の表示・報告書の作成はできます。データは壊れていません。", path), Err: err}
}

func diskFullError(path string, err error) error {
	return &domain.Error{Code: CodeDiskFull, Message: fmt.Sprintf("ディスクの空きが足りないため、「%s」に書き込めませんでした。不要なファイルを削除して空きを作ってから、もう一度実行してください。データベースは実行前の状態のままです。", path), Err: err}
}

func notTenkenError(path string, err error) error {
	return &domain.Error{Code: CodeNotTenken, Message: fmt.Sprintf("「%s」はTenkenのデータベースではありません（SQLite のデータベースでないか、別のソフトのものです）。ワークスペースのフォルダの指定を確認してください。このファイルには手を加えていません。", path), Err: err}
}

func damagedError(path, detail string, err error) error {
	return &domain.Error{Code: CodeDamaged, Message: fmt.Sprintf("データベース「%s」が壊れています（%s）。バックアップから復元してください（tenken restore --from バックアップ --workspace フォルダ）。", path, truncate(detail, 300)), Err: err}
}

// Explain is the package function Explain for this store's database.
func (s *Store) Explain(err error) error { return Explain(err, s.path) }
