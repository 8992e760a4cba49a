package ingest

import (
	"strings"

	"tenken/internal/colmap"
	"tenken/internal/domain"
)

// Canonical log fields (DOMAIN.md "Log fields").
const (
	FieldTime       = "time"
	FieldDate       = "date"
	FieldClock      = "clock"
	FieldStaffID    = "staff_id"
	FieldStaffName  = "staff_name"
	FieldTerminal   = "terminal"
	FieldSystem     = "system"
	FieldFunction   = "function"
	FieldAction     = "action"
	FieldSubjectID  = "subject_id"
	FieldRecords    = "records"
	FieldResult     = "result"
	FieldDevice     = "device"
	FieldFile       = "file"
	FieldMailTo     = "mail_to"
	FieldAttachment = "attachment"
	FieldAttachSize = "attach_size"
	FieldSeq        = "seq"
)

// LogFields are the canonical log fields with the header synonyms seen in
// the wild. time (or date + clock) and staff_id are required; the importer
// checks the time alternative itself.
var LogFields = []colmap.Field{
	{Name: FieldTime, Label: "日時", Headers: []string{"日時", "操作日時", "アクセス日時", "処理日時", "ログ日時", "発生日時", "タイムスタンプ", "日時刻", "timestamp", "datetime"}},
	{Name: FieldDate, Label: "日付", Headers: []string{"日付", "操作日", "処理日", "アクセス日", "年月日", "date"}},
	{Name: FieldClock, Label: "時刻", Headers: []string{"時刻", "操作時刻", "処理時刻", "アクセス時刻", "時間", "time"}},
	{Name: FieldStaffID, Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "操作者ID", "操作者コード", "ログインID", "アカウント", "アカウント名", "userid", "user", "送信者", "差出人", "送信元", "送信者アドレス", "From"}},
	{Name: FieldStaffName, Label: "氏名", Headers: []string{"氏名", "職員名", "操作者名", "利用者名", "ユーザ名", "ユーザー名"}},
	{Name: FieldTerminal, Label: "端末", Headers: []string{"端末", "端末名", "端末ID", "PC名", "コンピュータ名", "コンピューター名", "ホスト名", "IPアドレス"}},
	{Name: FieldSystem, Label: "システム", Headers: []string{"システム", "システム名", "業務", "業務名", "サブシステム"}},
	{Name: FieldFunction, Label: "機能", Headers: []string{"機能", "機能名", "画面", "画面名", "処理名", "メニュー"}},
	{Name: FieldAction, Label: "操作", Headers: []string{"操作", "操作種別", "操作区分", "処理区分", "処理種別", "イベント", "操作内容"}},
	{Name: FieldSubjectID, Label: "宛名番号", Headers: []string{"宛名番号", "宛名コード", "住民番号", "個人番号以外の識別子", "対象者番号", "対象者ID"}},
	{Name: FieldRecords, Label: "件数", Headers: []string{"件数", "出力件数", "対象件数", "処理件数"}},
	{Name: FieldResult, Label: "結果", Headers: []string{"結果", "処理結果", "成否"}},
	{Name: FieldDevice, Label: "デバイス", Headers: []string{"デバイス", "媒体", "外部媒体", "ドライブ"}},
	{Name: FieldFile, Label: "ファイル名", Headers: []string{"ファイル名", "ファイルパス", "パス"}},
	{Name: FieldMailTo, Label: "宛先", Headers: []string{"宛先", "送信先", "宛先アドレス", "To"}},
	{Name: FieldAttachment, Label: "添付ファイル", Headers: []string{"添付ファイル", "添付ファイル名", "添付"}},
	{Name: FieldAttachSize, Label: "添付サイズ", Headers: []string{"添付サイズ", "添付ファイルサイズ", "サイズ"}},
	{Name: FieldSeq, Label: "通番", Headers: []string{"通番", "ログ番号", "連番", "シーケンス番号", "レコード番号", "ログ通番", "シーケンスNo", "seq", "sequence"}},
}

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
