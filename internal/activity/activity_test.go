package activity

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
)

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// englishKey matches what must never reach a reader: a JSON brace or an
// English key such as rows_read, BULK_LOOKUP or hearing.closed.
var englishKey = regexp.MustCompile(`[{}"]|\b[a-z]+_[a-z_]+\b|\b(hearing|master|review|exclusion|report|backup|log|run)\.[a-z]|\b[A-Z]{3,}_[A-Z_]+\b`)

func TestDescribeEveryAction(t *testing.T) {
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	review := domain.Review{Key: domain.FindingKey{Rule: "AFTER_HOURS", StaffID: "S0012", Date: "2025-05-03"},
		Status: domain.StatusNoIssue, Comment: "本人に確認し、業務上必要な操作であった。", By: "山田", At: at}
	followUp := review
	followUp.Action, followUp.Owner, followUp.Due, followUp.ActionStatus = "時間外勤務の申請の徹底", "総務課長", time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), domain.ActionInProgress
	excl := domain.Exclusion{ID: 3, Kind: domain.ExcludeAccount, StaffID: "batch01", Reason: "システムの自動処理（バッチ）用のIDのため", By: "総務課長", At: at}
	revoked := excl
	revoked.Revoked, revoked.RevokeReason, revoked.RevokedBy = &at, "誤って除外したため", "山田"
	staffBefore := []domain.Staff{{ID: "S0012", Name: "山田 太郎", Dept: "住民課", SubjectID: "20240001"}}
	staffAfter := []domain.Staff{{ID: "S0012", Name: "山田 太郎", Dept: "税務課", SubjectID: "20240009", End: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)}}
	master := map[string]any{"file": "staff.csv", "path": `C:\点検\staff.csv`, "sha256": "ab12cd34", "read": 78, "accepted": 76, "rejected": 2, "mode": "merge"}
	saved := map[string]any{"path": `C:\Users\soumu\Documents\Tenken\報告書\点検報告書_令和7年5月.pdf`, "sha256": "9f86d081", "anchor": "12-0a1b2c3d-4e5f6a7b", "run": 4}

	cases := []struct {
		action, target string
		before, after  any
		sentence       string   // exact sentence
		changes        []string // items that must be listed, "item:before→after"
	}{
		{"review.set", "AFTER_HOURS/S0012/2025-05-03", nil, review,
			"山田 が 職員 S0012 の「勤務時間外の利用」（2025年5月3日）を「問題なし」と記録しました",
			[]string{"確認結果:→問題なし", "コメント:→本人に確認し、業務上必要な操作であった。"}},
		{"review.action", "AFTER_HOURS/S0012/2025-05-03", review, followUp,
			"山田 が 職員 S0012 の「勤務時間外の利用」（2025年5月3日）の対応を「対応中」と記録しました",
			[]string{"対応内容:→時間外勤務の申請の徹底", "担当:→総務課長", "期限:→2025年6月30日", "対応状況:→対応中"}},
		{"exclusion.add", "account:batch01", nil, excl,
			"山田 が アカウント batch01 を点検から除外しました",
			[]string{"理由:→システムの自動処理（バッチ）用のIDのため", "承認者:→総務課長"}},
		{"exclusion.add", "BULK_LOOKUP/S0012/2025-05-08", nil,
			domain.Exclusion{Kind: domain.ExcludeFinding, StaffID: "S0012", Finding: &domain.FindingKey{Rule: "BULK_LOOKUP", StaffID: "S0012", Date: "2025-05-08"}, Reason: "上長の指示", By: "課長"},
			"山田 が 職員 S0012 の「大量の照会」（2025年5月8日）を点検から除外しました", []string{"理由:→上長の指示"}},
		{"exclusion.revoke", "account:batch01", excl, revoked,
			"山田 が アカウント batch01 の除外を取り消しました",
			[]string{"取り消しの理由:→誤って除外したため"}},
		{"hearing.set", "hearing.closed,hearing.person,hearing.rules", map[string]string{"hearing.person": "", "hearing.closed": "", "hearing.rules": ""},
			map[string]string{"hearing.person": "山田 太郎", "hearing.closed": "2025-05-02:創立記念日", "hearing.rules": "AFTER_HOURS;BULK_LOOKUP"},
			"山田 が ヒアリングシートの「担当者」「町独自の閉庁日」「点検項目」を変更しました",
			[]string{"担当者:→山田 太郎", "町独自の閉庁日:→2025-05-02:創立記念日", "点検項目:→勤務時間外の利用、大量の照会"}},
		{"master.staff.import", "staff.csv", nil, master,
			"山田 が 職員マスタ（staff.csv、76行）を取り込みました。取り込めなかった行は 2 行です",
			[]string{"ファイル:→staff.csv", "取り込んだ行:→76", "取り込み方:→追加・更新"}},
		{"master.grants.import", "grants.csv", nil, map[string]any{"file": "grants.csv", "accepted": 15, "rejected": 0, "mode": "replace"},
			"山田 が 権限マスタ（grants.csv、15行）を取り込みました", []string{"取り込み方:→置き換え"}},
		{"master.watchlist.import", "w.csv", nil, map[string]any{"file": "w.csv", "accepted": 4}, "山田 が 要注意対象（w.csv、4行）を取り込みました", nil},
		{"master.overtime.import", "ot.csv", nil, map[string]any{"file": "ot.csv", "accepted": 30}, "山田 が 時間外申請（ot.csv、30行）を取り込みました", nil},
		{"master.reception.import", "受付簿_202505.xlsx", nil, map[string]any{"file": "受付簿_202505.xlsx", "accepted": 1204, "rejected": 3},
			"山田 が 受付簿（受付簿_202505.xlsx、1,204行）を取り込みました。取り込めなかった行は 3 行です", []string{"取り込んだ行:→1,204"}},
		{"master.staff.edit", "S0012", staffBefore, staffAfter,
			"山田 が 職員マスタの職員 S0012（山田 太郎）を編集しました",
			[]string{"所属:住民課→税務課", "離任日:→2025年3月31日", "本人宛名番号:2024****→2024****（別の番号）"}},
		{"master.staff.edit", "S0099", nil, []domain.Staff{{ID: "S0099", Name: "佐藤 花子"}},
			"山田 が 職員マスタの職員 S0099（佐藤 花子）を追加しました", []string{"氏名:→佐藤 花子"}},
		{"backup.save", `C:\bk\点検バックアップ_20250602.db`, nil, map[string]any{"path": `C:\bk\点検バックアップ_20250602.db`, "sha256": "aa", "size": 123456},
			"山田 が バックアップ（点検バックアップ_20250602.db）を保存しました", []string{"大きさ（バイト）:→123,456"}},
		{"backup.restore", "/bk/old.db", nil, map[string]string{"from": "/bk/old.db", "replaced": "/ws/tenken.db.replaced-1.bak"},
			"山田 が バックアップ（old.db）から復元しました", []string{"置き換えた元のデータベース:→/ws/tenken.db.replaced-1.bak"}},
		{"report.settings", "report", nil, map[string]string{"report.era": "wareki", "report.approvers": "課長,係長"},
			"山田 が 報告書の既定の設定（日付の書き方・決裁欄・帳票番号・町章）を変更しました", []string{"決裁欄:→課長,係長"}},
		{"report.defaults", "report", nil, map[string]string{"report.form_no": "様式1"},
			"山田 が 報告書の既定の設定（日付の書き方・決裁欄・帳票番号・町章）を変更しました", []string{"帳票番号:→様式1"}},
		{"log.import", "住民記録_202505.csv", nil,
			map[string]any{"file": "住民記録_202505.csv", "path": "/in/住民記録_202505.csv", "system": "住民記録", "sha256": "e3b0c442", "rows_read": 44340,
				"accepted": 44322, "rejected": 6, "duplicate": 12, "rows_digest": "77aa", "batch": 5},
			"山田 が 住民記録のログ（住民記録_202505.csv、44,322行）を取り込みました。取り込めなかった行 6 行、取り込み済みで重複した行 12 行です",
			[]string{"システム:→住民記録", "読み込んだ行:→44,340", "SHA-256:→e3b0c442", "取込番号:→5"}},
		{"run.inspect", "run 4", nil,
			map[string]any{"run": 4, "from": "2025-05-01", "to": "2025-05-31", "rules": []string{"AFTER_HOURS", "HOLIDAY"}, "findings": 22,
				"config_digest": "c0ffee", "findings_digest": "f00d", "batches": []int{1, 2, 3}},
			"山田 が 2025年5月1日〜5月31日の点検を実行しました（検出事項 22 件）",
			[]string{"点検項目:→勤務時間外の利用、閉庁日の利用", "点検に使った取込:→1、2、3", "開始日:→2025年5月1日"}},
		{"report.save", "点検報告書_令和7年5月.pdf", nil, saved, "山田 が 点検報告書（点検報告書_令和7年5月.pdf）を保存しました", []string{"検証コード:→12-0a1b2c3d-4e5f6a7b", "点検番号:→4"}},
		{"annual.save", "年間総括_令和7年度.pdf", nil, map[string]any{"path": "/r/年間総括_令和7年度.pdf", "sha256": "01"}, "山田 が 年間総括（年間総括_令和7年度.pdf）を保存しました", nil},
		{"export.save", "点検結果.xlsx", nil, map[string]any{"path": "/r/点検結果.xlsx", "sha256": "02"}, "山田 が エクスポート（点検結果.xlsx）を保存しました", nil},
		{"notice.save", "庁内周知文.pdf", nil, map[string]any{"path": "/r/庁内周知文.pdf", "sha256": "03"}, "山田 が 庁内周知文（庁内周知文.pdf）を保存しました", nil},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.action] = true
		e := domain.AuditEntry{Seq: 1, At: at, User: "山田", Action: c.action, Target: c.target}
		if c.before != nil {
			e.Before = js(c.before)
		}
		if c.after != nil {
			e.After = js(c.after)
		}
		got := Describe(e)
		if got.Sentence != c.sentence {
			t.Errorf("%s:\n got  %s\n want %s", c.action, got.Sentence, c.sentence)
		}
		if strings.HasPrefix(got.Action, "その他") || got.Action == "" {
			t.Errorf("%s: no name of its own (%q)", c.action, got.Action)
		}
		shown := map[string]bool{}
		for _, ch := range got.Changes {
			shown[ch.Item+":"+ch.Before+"→"+ch.After] = true
			for _, s := range []string{ch.Item, ch.Before, ch.After} {
				if englishKey.MatchString(s) {
					t.Errorf("%s: change %+v shows %q", c.action, ch, englishKey.FindString(s))
				}
			}
		}
		for _, want := range c.changes {
			if !shown[want] {
				t.Errorf("%s: change %q missing from %+v", c.action, want, got.Changes)
			}
		}
		if englishKey.MatchString(got.Sentence) {
			t.Errorf("%s: sentence shows %q: %s", c.action, englishKey.FindString(got.Sentence), got.Sentence)
		}
	}
	// Every action of CONTRACTS.md has its sentence.
	for _, a := range []string{"review.set", "exclusion.add", "exclusion.revoke", "hearing.set", "master.staff.import", "master.grants.import",
		"master.watchlist.import", "master.overtime.import", "master.reception.import", "master.staff.edit", "backup.restore", "backup.save",
		"report.defaults", "report.settings", "log.import", "run.inspect", "report.save", "annual.save", "export.save", "notice.save", "review.action"} {
		if !seen[a] {
			t.Errorf("action %s is not tested", a)
		}
		if _, ok := actionNames[a]; !ok && !strings.HasPrefix(a, "master.") {
			t.Errorf("action %s has no name", a)
		}
	}
}

func TestDescribeUnknownActionInJapanese(t *testing.T) {
	e := domain.AuditEntry{User: "山田", Action: "rule.tune", Target: "BULK_EXPORT", After: `{"records":500}`}
	got := Describe(e)
	if got.Sentence != "山田 が 「BULK_EXPORT」に対して「rule.tune」の操作を行いました" {
		t.Errorf("sentence = %s", got.Sentence)
	}
	if got.Action != "その他の操作（rule.tune）" {
		t.Errorf("action = %s", got.Action)
	}
	if len(got.Changes) != 1 || got.Changes[0].After != "500" {
		t.Errorf("changes = %+v", got.Changes)
	}
	// A plain-text payload is shown as it is, not dropped.
	got = Describe(domain.AuditEntry{Action: "x.y", After: "自由な文"})
	if !strings.HasPrefix(got.Sentence, unknownUser) || len(got.Changes) != 1 || got.Changes[0].After != "自由な文" {
		t.Errorf("plain text: %+v", got)
	}
}

func TestDescribeHearingListsLongChangesShort(t *testing.T) {
	after := map[string]string{}
	for _, k := range []string{"town", "town_code", "person", "from", "to", "hours"} {
		after["hearing."+k] = "x"
	}
	after["hearing.from"] = "2025-05-01"
	got := Describe(domain.AuditEntry{User: "山田", Action: "hearing.set", After: js(after)})
	if got.Sentence != "山田 が ヒアリングシートの「団体名」「団体コード」「担当者」 ほか3項目を変更しました" {
		t.Errorf("sentence = %s", got.Sentence)
	}
	if len(got.Changes) != 6 || got.Changes[3].Item != "点検期間（開始日）" || got.Changes[3].After != "2025年5月1日" {
		t.Errorf("changes = %+v", got.Changes)
	}
}

func TestActionName(t *testing.T) {
	for action, want := range map[string]string{
		"review.set":              "点検結果の確認",
		"master.reception.import": "受付簿の取り込み",
		"log.import":              "ログの取り込み",
		"backup.save":             "バックアップの保存",
		"foo":                     "その他の操作（foo）",
	} {
		if got := ActionName(action); got != want {
			t.Errorf("ActionName(%s) = %s, want %s", action, got, want)
		}
	}
}
