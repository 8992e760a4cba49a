package workspace

import (
	"context"
	"os"
	"os/user"
	"sort"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/store"
)

// User returns who is acting, for the audit log: the hearing sheet's 担当者
// when set, else the operating system's user name.
func (w *Workspace) User() string {
	if p, err := w.store.Setting(context.Background(), "hearing.person"); err == nil && strings.TrimSpace(p) != "" {
		return strings.TrimSpace(p)
	}
	return osUser()
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "（不明な利用者）"
}

// audit appends one entry to the hash-chained audit log: action (e.g.
// "hearing.set"), target (what was changed) and the state before and after
// (marshalled to JSON; a string is stored as it is; nil is empty). Use it
// for changes that are not written through a store method that audits in
// its own transaction.
func (w *Workspace) audit(ctx context.Context, action, target string, before, after any) error {
	_, err := w.store.AppendAudit(ctx, store.Audit{User: w.User(), Action: action, Target: target, Before: before, After: after})
	return w.explain(err)
}

// AuditLog returns every entry of the audit log, oldest first.
func (w *Workspace) AuditLog(ctx context.Context) ([]domain.AuditEntry, error) {
	return w.store.AuditLog(ctx)
}

// AuditActionLabel returns the Japanese name of an audit action.
func AuditActionLabel(action string) string {
	switch action {
	case "review.set":
		return "点検結果の確認"
	case "exclusion.add":
		return "除外の登録"
	case "exclusion.revoke":
		return "除外の取り消し"
	case "hearing.set":
		return "ヒアリングシートの変更"
	case "master.staff.edit":
		return "職員マスタの編集"
	case "backup.restore":
		return "バックアップからの復元"
	case "backup.save":
		return "バックアップの作成"
	case "log.import":
		return "ログの取り込み"
	case "run.inspect":
		return "点検の実行"
	case store.BaselineAction:
		return "検証の基準の記録"
	}
	if k, ok := strings.CutPrefix(action, "master."); ok {
		if kind, ok := strings.CutSuffix(k, ".import"); ok {
			return MasterLabel(MasterKind(kind)) + "の取り込み"
		}
	}
	return action
}

// setSettingsAudited stores settings and, when any value changes, an audit
// entry with the changed keys' values before and after, in one
// transaction.
func (w *Workspace) setSettingsAudited(ctx context.Context, action string, kv map[string]string) error {
	cur, err := w.store.Settings(ctx)
	if err != nil {
		return err
	}
	before, after := map[string]string{}, map[string]string{}
	var keys []string
	for k, v := range kv {
		if old, ok := cur[k]; !ok || old != v {
			before[k], after[k] = cur[k], v
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return w.explain(w.store.SetSettings(ctx, kv))
	}
	sort.Strings(keys)
	return w.explain(w.store.SetSettingsAudited(ctx, kv, store.Audit{User: w.User(), Action: action, Target: strings.Join(keys, ","), Before: before, After: after}))
}
