package app

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// fyneJapanese translates the strings Fyne's own widgets show (file dialogs,
// entry menus, confirm buttons); Fyne 2.7 ships no Japanese catalogue.
const fyneJapanese = `{
  "Advanced": "詳細",
  "Cancel": "キャンセル",
  "Confirm": "確認",
  "Copy": "コピー",
  "Create Folder": "作成",
  "Cut": "切り取り",
  "Enter filename": "ファイル名を入力",
  "Error": "エラー",
  "Favourites": "よく使う場所",
  "File": "ファイル",
  "Folder": "フォルダ",
  "New Folder": "新しいフォルダ",
  "No": "いいえ",
  "OK": "OK",
  "Open": "開く",
  "Paste": "貼り付け",
  "Quit": "終了",
  "Redo": "やり直し",
  "Save": "保存",
  "Select all": "すべて選択",
  "Show Hidden Files": "隠しファイルを表示",
  "Undo": "元に戻す",
  "Yes": "はい",
  "file.name": {"other": "名前"},
  "file.parent": {"other": "上のフォルダ"},
  "friday": "金曜日", "friday.short": "金",
  "monday": "月曜日", "monday.short": "月",
  "saturday": "土曜日", "saturday.short": "土",
  "sunday": "日曜日", "sunday.short": "日",
  "thursday": "木曜日", "thursday.short": "木",
  "tuesday": "火曜日", "tuesday.short": "火",
  "wednesday": "水曜日", "wednesday.short": "水"
}`

var setupLanguageOnce sync.Once

// setupLanguage makes Fyne's built-in strings Japanese. They are registered
// for "ja" and also over English, the fallback Fyne picks for any locale it
// has no catalogue for: a town PC with an English Windows must still show a
// Japanese application.
func setupLanguage() {
	setupLanguageOnce.Do(func() {
		for _, l := range []fyne.Locale{"ja", "en"} {
			if err := lang.AddTranslationsForLocale([]byte(fyneJapanese), l); err != nil {
				fyne.LogError("registering Japanese translations", err)
			}
		}
	})
}
