package colmap

import (
	"fmt"
	"strings"
)

// The one catalogue of Tenken's canonical log fields: their names (stable,
// used by profiles and the command line), Japanese labels (what the app,
// the command line and messages show) and the header spellings towns'
// systems write (DOMAIN.md "Log fields"). The importers map by it, the
// profiles validate against it, and the faces name fields from it; the
// masters' fields are catalogued beside their readers (internal/master).

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
var LogFields = []Field{
	{Name: FieldTime, Label: "日時", Headers: []string{"日時", "操作日時", "アクセス日時", "処理日時", "ログ日時", "発生日時", "タイムスタンプ", "日時刻", "timestamp", "datetime"}},
	{Name: FieldDate, Label: "日付", Headers: []string{"日付", "操作日", "処理日", "アクセス日", "年月日", "date"}},
	{Name: FieldClock, Label: "時刻", Headers: []string{"時刻", "操作時刻", "処理時刻", "アクセス時刻", "時間", "time"}},
	{Name: FieldStaffID, Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "操作者ID", "操作者コード", "ログインID", "アカウント", "アカウント名", "userid", "user", "送信者", "差出人", "送信元", "送信者アドレス", "From"}},
	{Name: FieldStaffName, Label: "氏名", Headers: []string{"氏名", "職員名", "操作者名", "利用者名", "ユーザ名", "ユーザー名"}},
	{Name: FieldTerminal, Label: "端末", Headers: []string{"端末", "端末名", "端末ID", "PC名", "コンピュータ名", "コンピューター名", "ホスト名", "IPアドレス"}},
	{Name: FieldSystem, Label: "システム", Headers: []string{"システム", "システム名", "業務", "業務名", "サブシステム"}},
	{Name: FieldFunction, Label: "機能・画面", Headers: []string{"機能", "機能名", "画面", "画面名", "処理名", "メニュー"}},
	{Name: FieldAction, Label: "操作", Headers: []string{"操作", "操作種別", "操作区分", "処理区分", "処理種別", "イベント", "操作内容"}},
	{Name: FieldSubjectID, Label: "宛名番号", Headers: []string{"宛名番号", "宛名コード", "住民番号", "個人番号以外の識別子", "対象者番号", "対象者ID"}},
	{Name: FieldRecords, Label: "件数", Headers: []string{"件数", "出力件数", "対象件数", "処理件数"}},
	{Name: FieldResult, Label: "結果", Headers: []string{"結果", "処理結果", "成否"}},
	{Name: FieldDevice, Label: "デバイス・媒体", Headers: []string{"デバイス", "媒体", "外部媒体", "ドライブ"}},
	{Name: FieldFile, Label: "ファイル名", Headers: []string{"ファイル名", "ファイルパス", "パス"}},
	{Name: FieldMailTo, Label: "宛先", Headers: []string{"宛先", "送信先", "宛先アドレス", "To"}},
	{Name: FieldAttachment, Label: "添付ファイル", Headers: []string{"添付ファイル", "添付ファイル名", "添付"}},
	{Name: FieldAttachSize, Label: "添付サイズ", Headers: []string{"添付サイズ", "添付ファイルサイズ", "サイズ"}},
	{Name: FieldSeq, Label: "通番", Headers: []string{"通番", "ログ番号", "連番", "シーケンス番号", "レコード番号", "ログ通番", "シーケンスNo", "seq", "sequence"}},
}

// FieldLabel returns the Japanese label of the field named name in fields
// ("" when there is none).
func FieldLabel(fields []Field, name string) string {
	for _, f := range fields {
		if f.Name == name {
			return f.Label
		}
	}
	return ""
}

// Describe writes the mapping for people, with the fields' labels from
// fields: "操作日時→日時, 職員番号→職員ID".
func (m *Mapping) Describe(fields []Field) string {
	parts := make([]string, 0, len(m.Columns))
	for _, c := range m.Columns {
		label := FieldLabel(fields, c.Field)
		if label == "" {
			label = c.Field
		}
		s := c.Header + "→" + label
		if c.Confidence < 1 {
			s += fmt.Sprintf("(%.0f%%)", c.Confidence*100)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
