package ingest

import (
	"strings"

	"tenken/internal/colmap"
	"tenken/internal/domain"
)

// Canonical log fields: the names are colmap's catalogue (colmap.LogFields).
const (
	FieldTime       = colmap.FieldTime
	FieldDate       = colmap.FieldDate
	FieldClock      = colmap.FieldClock
	FieldStaffID    = colmap.FieldStaffID
	FieldStaffName  = colmap.FieldStaffName
	FieldTerminal   = colmap.FieldTerminal
	FieldSystem     = colmap.FieldSystem
	FieldFunction   = colmap.FieldFunction
	FieldAction     = colmap.FieldAction
	FieldSubjectID  = colmap.FieldSubjectID
	FieldRecords    = colmap.FieldRecords
	FieldResult     = colmap.FieldResult
	FieldDevice     = colmap.FieldDevice
	FieldFile       = colmap.FieldFile
	FieldMailTo     = colmap.FieldMailTo
	FieldAttachment = colmap.FieldAttachment
	FieldAttachSize = colmap.FieldAttachSize
	FieldSeq        = colmap.FieldSeq
)

// LogFields is the catalogue of log fields (colmap.LogFields): time (or
// date + clock) and staff_id are required; the importer checks the time
// alternative itself.
var LogFields = colmap.LogFields

// actionWords maps action texts (after colmap.Normalize) to canonical
// actions, most specific first: ログイン失敗 must win over ログイン.
var actionWords = []struct {
	words  []string
	action domain.Action
}{
	{[]string{"ログイン失敗", "ログオン失敗", "認証失敗", "loginfailure", "loginfailed", "logonfailure"}, domain.ActionLoginFail},
	{[]string{"ログアウト", "ログオフ", "logout", "logoff"}, domain.ActionLogout},
	{[]string{"ログイン", "ログオン", "login", "logon"}, domain.ActionLogin},
	{[]string{"書込", "書き込み", "書込み", "コピー", "write", "copy"}, domain.ActionDeviceWrite},
	{[]string{"接続", "connect"}, domain.ActionDeviceConnect},
	{[]string{"出力", "印刷", "ダウンロード", "帳票", "エクスポート", "export", "download", "print"}, domain.ActionExport},
	{[]string{"更新", "登録", "修正", "削除", "変更", "update", "insert", "delete"}, domain.ActionUpdate},
	{[]string{"照会", "参照", "検索", "閲覧", "表示", "lookup", "view", "search", "select"}, domain.ActionLookup},
}

// endpointWords are checked before actionWords for 資産管理 (endpoint)
// logs, where 印刷 is a print job and ファイル操作 a file event rather than
// an export from a business system.
var endpointWords = []struct {
	words  []string
	action domain.Action
}{
	{[]string{"印刷", "プリント", "print"}, domain.ActionPrint},
	{[]string{"書込", "書き込み", "書込み", "コピー", "write", "copy"}, domain.ActionDeviceWrite},
	{[]string{"接続", "connect", "マウント"}, domain.ActionDeviceConnect},
	{[]string{"ファイル", "作成", "移動", "名前変更", "リネーム", "削除", "file"}, domain.ActionFile},
}

// mailWords are checked for mail logs.
var mailWords = []string{"送信", "転送", "返信", "send", "forward", "reply", "sent"}

// ActionFor maps an action text to its canonical action for a kind of log:
// a profile's own values first (extra, keyed by colmap.Normalize), then the
// kind's words (endpoint: 印刷 → PRINT, ファイル操作 → FILE; mail: 送信 →
// MAIL_SEND), then the table of DOMAIN.md (MapAction).
func ActionFor(raw string, kind domain.LogKind, extra map[string]domain.Action) domain.Action {
	n := colmap.Normalize(raw)
	if a, ok := extra[n]; ok {
		return a
	}
	if n == "" {
		if kind == domain.KindMail {
			return domain.ActionMailSend
		}
		return domain.ActionOther
	}
	switch kind {
	case domain.KindEndpoint:
		if a := MapAction(raw); a == domain.ActionLogin || a == domain.ActionLogout || a == domain.ActionLoginFail {
			return a
		}
		for _, aw := range endpointWords {
			for _, w := range aw.words {
				if strings.Contains(n, w) {
					return aw.action
				}
			}
		}
	case domain.KindMail:
		for _, w := range mailWords {
			if strings.Contains(n, w) {
				return domain.ActionMailSend
			}
		}
	}
	return MapAction(raw)
}

// MapAction maps an action text as written in a log (照会, CSV出力,
// ログイン失敗 …) to its canonical action (DOMAIN.md); unknown texts map to
// ActionOther.
func MapAction(raw string) domain.Action {
	n := colmap.Normalize(raw)
	if n == "" {
		return domain.ActionOther
	}
	if strings.Contains(n, "失敗") && (strings.Contains(n, "ログ") || strings.Contains(n, "認証")) {
		return domain.ActionLoginFail
	}
	for _, aw := range actionWords {
		for _, w := range aw.words {
			if strings.Contains(n, w) {
				return aw.action
			}
		}
	}
	return domain.ActionOther
}
