package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// This file holds the commands of masters, exclusions, reviews, the audit
// log, verification and backups.

const masterUsage = "master import --workspace DIR --kind staff|grants|watchlist|overtime|reception [--replace] FILE / master preview --workspace DIR --kind KIND FILE"

func runMaster(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "preview") {
		return usagef("使い方: tenken %s", masterUsage)
	}
	sub := args[0]
	f := newFlags(env, "master "+sub, masterUsage)
	kind := f.String("kind", "", "マスタの種類: staff（職員）、grants（権限）、watchlist（要注意対象）、overtime（時間外申請）、reception（受付簿）")
	replace := f.Bool("replace", false, "保存済みの行をすべて消してから取り込む（既定: 職員マスタは有効期間ごとに版を重ね、時間外申請は職員・日付ごとに追加、受付簿はファイルの所属と期間の分だけ入れ替え）")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if *kind == "" {
		return usagef("--kind でマスタの種類を指定してください（staff、grants、watchlist、overtime、reception）。")
	}
	if len(f.args) != 1 {
		return usagef("取り込むファイルを1つ指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	mk := workspace.MasterKind(*kind)
	if sub == "preview" {
		p, err := ws.PreviewMaster(ctx, mk, f.args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s（%s、%s）\n", p.File, workspace.MasterLabel(mk), p.Encoding)
		for _, c := range p.Columns {
			field := "（使わない）"
			if c.Field != "" {
				field = workspace.MasterFieldLabel(mk, c.Field) + "（" + c.Field + "）"
			}
			fmt.Fprintf(env.Stdout, "  %d列目 %s → %s\n", c.Index+1, c.Header, field)
		}
		if len(p.Missing) > 0 {
			return &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 必要な列が見つかりません: %s", p.File, strings.Join(p.Missing, "、"))}
		}
		fmt.Fprintf(env.Stdout, "読込 %d行 / 取込予定 %d / 取込不可 %d（まだ何も書き込んでいません）\n", p.Read, p.Accepted, len(p.Rejects))
		if p.FilledDown > 0 {
			fmt.Fprintf(env.Stdout, "受付日・所属が空欄の %d 行は、上の行の値で補います（Excel の結合セル）。\n", p.FilledDown)
		}
		for _, r := range p.Rejects {
			fmt.Fprintf(env.Stderr, "  %s\n", rejectLine(p.File, r))
		}
		return nil
	}
	res, err := ws.ImportMasterWith(ctx, mk, f.args[0], workspace.MasterImportOptions{Replace: *replace})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "マスタを取り込みました: %s（%s）読込 %d行 / 取込 %d / 取込不可 %d\n", res.File, workspace.MasterLabel(mk), res.Read, res.Accepted, len(res.Rejects))
	if mk == workspace.MasterReception {
		if res.FilledDown > 0 {
			fmt.Fprintf(env.Stdout, "受付日・所属が空欄の %d 行は、上の行の値で補いました（Excel の結合セル）。\n", res.FilledDown)
		}
		switch {
		case *replace:
			fmt.Fprintf(env.Stdout, "保存済みの受付簿 %d 件をすべて消してから取り込みました。\n", res.Replaced)
		case res.Replaced > 0:
			fmt.Fprintf(env.Stdout, "受付日 %s〜%s の、このファイルにある所属の受付簿を入れ替えました（以前に取り込んだ %d 件をこのファイルの %d 件に置き換え）。\n",
				res.From.Format("2006/01/02"), res.To.Format("2006/01/02"), res.Replaced, res.Accepted)
		case !res.From.IsZero():
			fmt.Fprintf(env.Stdout, "受付日 %s〜%s の受付簿を追加しました（以前に取り込んだ分との重なりはありません）。\n",
				res.From.Format("2006/01/02"), res.To.Format("2006/01/02"))
		}
	}
	for _, r := range res.Rejects {
		fmt.Fprintf(env.Stderr, "  %s\n", rejectLine(res.File, r))
	}
	return nil
}

const excludeUsage = "exclude --workspace DIR (--staff ID | --account ID | --finding RULE/STAFF/DATE) --reason TEXT --by NAME / exclude list [--format text|json] / exclude revoke --id N --reason TEXT --by NAME"

func runExclude(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "list" {
		return runExcludeList(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "revoke" {
		return runExcludeRevoke(ctx, env, args[1:])
	}
	f := newFlags(env, "exclude", excludeUsage)
	staff := f.String("staff", "", "除外する職員ID")
	account := f.String("account", "", "除外するアカウント（職員マスタにないシステム用・バッチ用のIDなど）")
	finding := f.String("finding", "", "除外する検出事項（規則ID/職員ID/日付、例: AFTER_HOURS/T001/2025-05-07）")
	reason := f.String("reason", "", "除外の理由（必須）")
	by := f.String("by", "", "除外を承認した人（必須）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("exclude に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	var x domain.Exclusion
	n := 0
	if *staff != "" {
		x.Kind, x.StaffID = domain.ExcludeStaff, *staff
		n++
	}
	if *account != "" {
		x.Kind, x.StaffID = domain.ExcludeAccount, *account
		n++
	}
	if *finding != "" {
		k, err := workspace.ParseFindingKey(*finding)
		if err != nil {
			return usagef("--finding: %v", err)
		}
		x.Kind, x.Finding = domain.ExcludeFinding, &k
		n++
	}
	if n != 1 {
		return usagef("除外する対象を --staff、--account、--finding のどれか1つで指定してください。")
	}
	if strings.TrimSpace(*reason) == "" {
		return usagef("--reason で除外の理由を指定してください。理由のない除外はできません。")
	}
	if strings.TrimSpace(*by) == "" {
		return usagef("--by で除外を承認した人の名前を指定してください。")
	}
	x.Reason, x.By = *reason, *by
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	saved, err := ws.Exclude(ctx, x)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "除外を登録しました（%d番）: %s 理由: %s 承認: %s\n", saved.ID, workspace.ExclusionLabel(saved), saved.Reason, saved.By)
	fmt.Fprintln(env.Stdout, "除外は報告書の「除外」の節に載ります。次の点検から反映されます。")
	return nil
}

type exclusionJSON struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"`
	StaffID      string `json:"staff_id"`
	Finding      string `json:"finding,omitempty"`
	Reason       string `json:"reason"`
	By           string `json:"by"`
	At           string `json:"at"`
	Revoked      bool   `json:"revoked"`
	RevokedAt    string `json:"revoked_at,omitempty"`
	RevokeReason string `json:"revoke_reason,omitempty"`
	RevokedBy    string `json:"revoked_by,omitempty"`
}

func runExcludeList(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "exclude list", "exclude list --workspace DIR [--format text|json]")
	format := f.formatFlag("text", "出力形式: text または json", "text", "json")
	if err := f.parse(args); err != nil {
		return err
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	list, err := ws.Exclusions(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		out := make([]exclusionJSON, 0, len(list))
		for _, x := range list {
			j := exclusionJSON{ID: x.ID, Kind: x.Kind, StaffID: x.StaffID, Reason: x.Reason, By: x.By, At: x.At.Format("2006-01-02 15:04:05")}
			if x.Finding != nil {
				j.Finding = workspace.FormatFindingKey(*x.Finding)
			}
			if x.Revoked != nil {
				j.Revoked, j.RevokedAt, j.RevokeReason, j.RevokedBy = true, x.Revoked.Format("2006-01-02 15:04:05"), x.RevokeReason, x.RevokedBy
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "除外は登録されていません。")
		return nil
	}
	for _, x := range list {
		state := "有効"
		if x.Revoked != nil {
			state = fmt.Sprintf("取消済（%s %s、理由: %s）", x.Revoked.Format("2006-01-02"), x.RevokedBy, x.RevokeReason)
		}
		fmt.Fprintf(env.Stdout, "%d番 %s  %s  理由: %s  承認: %s  登録: %s\n", x.ID, state, workspace.ExclusionLabel(x), x.Reason, x.By, x.At.Format("2006-01-02 15:04"))
	}
	return nil
}

func runExcludeRevoke(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "exclude revoke", "exclude revoke --workspace DIR --id N --reason TEXT --by NAME")
	id := f.String("id", "", "取り消す除外の番号（exclude list で確認）")
	reason := f.String("reason", "", "取り消す理由（必須）")
	by := f.String("by", "", "取り消しを承認した人（必須）")
	if err := f.parse(args); err != nil {
		return err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(*id), 10, 64)
	if err != nil || n <= 0 {
		return usagef("--id で取り消す除外の番号を指定してください（tenken exclude list で確認できます）。")
	}
	if strings.TrimSpace(*reason) == "" || strings.TrimSpace(*by) == "" {
		return usagef("--reason（理由）と --by（承認した人）を指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.RevokeExclusion(ctx, n, *reason, *by); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "除外 %d 番を取り消しました（記録は残ります）。次の点検から対象に戻ります。\n", n)
	return nil
}

const reviewUsage = "review --workspace DIR --finding RULE/STAFF/DATE --status open|interview|no_issue|confirmed [--comment TEXT] [--by NAME] / review list [--format text|json]"

func runReview(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "list" {
		return runReviewList(ctx, env, args[1:])
	}
	f := newFlags(env, "review", reviewUsage)
	finding := f.String("finding", "", "検出事項（規則ID/職員ID/日付）")
	status := f.String("status", "", "確認状況: open（未確認）、interview（要ヒアリング）、no_issue（問題なし）、confirmed（不適切確定）")
	comment := f.String("comment", "", "コメント（問題なし・不適切確定では必須）")
	by := f.String("by", "", "確認した人（省略時はヒアリングシートの担当者）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("review に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	if *finding == "" || *status == "" {
		return usagef("--finding と --status を指定してください。使い方: tenken %s", reviewUsage)
	}
	k, err := workspace.ParseFindingKey(*finding)
	if err != nil {
		return usagef("--finding: %v", err)
	}
	st, err := workspace.ParseReviewStatus(*status)
	if err != nil {
		return usagef("--status: %v", err)
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.SetReview(ctx, k, st, *comment, *by); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s を「%s」にしました。\n", workspace.FormatFindingKey(k), st.Label())
	return nil
}

type reviewJSON struct {
	Finding string `json:"finding"`
	Rule    string `json:"rule"`
	StaffID string `json:"staff_id"`
	Date    string `json:"date"`
	Status  string `json:"status"`
	Label   string `json:"label"`
	Comment string `json:"comment"`
	By      string `json:"by"`
	At      string `json:"at"`
}

func runReviewList(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "review list", "review list --workspace DIR [--format text|json]")
	format := f.formatFlag("text", "出力形式: text または json", "text", "json")
	if err := f.parse(args); err != nil {
		return err
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	m, err := ws.Reviews(ctx)
	if err != nil {
		return err
	}
	out := make([]reviewJSON, 0, len(m))
	for _, r := range m {
		status := string(r.Status)
		if r.Status == domain.StatusOpen {
			status = "open"
		}
		out = append(out, reviewJSON{Finding: workspace.FormatFindingKey(r.Key), Rule: r.Key.Rule, StaffID: r.Key.StaffID, Date: r.Key.Date,
			Status: status, Label: r.Status.Label(), Comment: r.Comment, By: r.By, At: r.At.Format("2006-01-02 15:04:05")})
	}
	sortReviews(out)
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(env.Stdout, "確認済みの検出事項はまだありません。")
	}
	for _, r := range out {
		fmt.Fprintf(env.Stdout, "%s  %s  %s  %s  %s\n", r.Finding, padRight(r.Label, 12), r.By, r.At, r.Comment)
	}
	return nil
}

func sortReviews(rs []reviewJSON) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Finding < rs[j-1].Finding; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

type auditJSON struct {
	Seq    int64  `json:"seq"`
	At     string `json:"at"`
	User   string `json:"user"`
	Action string `json:"action"`
	Target string `json:"target"`
	Before string `json:"before"`
	After  string `json:"after"`
	Prev   string `json:"prev"`
	Hash   string `json:"hash"`
}

func runAudit(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "audit", "audit --workspace DIR [--format text|json]")
	format := f.formatFlag("text", "出力形式: text または json", "text", "json")
	if err := f.parse(args); err != nil {
		return err
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	log, err := ws.AuditLog(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		out := make([]auditJSON, 0, len(log))
		for _, e := range log {
			out = append(out, auditJSON{e.Seq, e.At.Format("2006-01-02T15:04:05.000Z07:00"), e.User, e.Action, e.Target, e.Before, e.After, e.Prev, e.Hash})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(log) == 0 {
		fmt.Fprintln(env.Stdout, "監査ログはまだありません。")
	}
	for _, e := range log {
		fmt.Fprintf(env.Stdout, "%d  %s  %s  %s  %s\n", e.Seq, e.At.Format("2006-01-02 15:04:05"), e.User, workspace.AuditActionLabel(e.Action), e.Target)
	}
	return nil
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "verify", "verify --workspace DIR [--anchor 検証コード]...")
	var anchors multiFlag
	f.Var(&anchors, "anchor", "報告書に印刷された検証コード（例: 128-9F3A2B7C-D41E0A55）。そのときまでの監査ログが変わっていないことを確かめる（何度でも指定可）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("verify に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	for _, a := range anchors {
		if _, _, err := workspace.ParseAnchor(a); err != nil {
			return err
		}
	}
	ws, err := f.open()
	if err != nil {
		fmt.Fprintln(env.Stdout, "NG  ワークスペースを開けません（理由は次の行）。")
		return err
	}
	defer ws.Close()
	progress, done := progressBar(env)
	rep, err := ws.VerifyWith(ctx, workspace.VerifyOptions{Anchors: anchors, Progress: progress})
	done()
	if err != nil {
		return err
	}
	failed := 0
	for _, c := range rep.Checks {
		mark := "OK"
		if !c.OK {
			mark = "NG"
			failed++
		}
		fmt.Fprintf(env.Stdout, "%s  %s: %s\n", mark, c.Name, c.Detail)
	}
	if ws.ReadOnly() {
		fmt.Fprintln(env.Stdout, "（ワークスペースは読み取り専用で開きました。）")
	}
	if failed > 0 {
		return &domain.Error{Code: "verify_failed", Message: fmt.Sprintf("検証で %d 項目に問題が見つかりました（上の NG の行を見てください）。", failed)}
	}
	if code, err := ws.Anchor(ctx); err == nil {
		fmt.Fprintf(env.Stdout, "いまの検証コード: %s（この時点までの記録を、後から tenken verify --anchor で確かめられます）\n", code)
	}
	fmt.Fprintln(env.Stdout, "すべての検証に合格しました。")
	return nil
}

// multiFlag is a flag that may be given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runBackup(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "backup", "backup --workspace DIR --out FILE")
	out := f.String("out", "", "バックアップの書き出し先（まだないファイル）")
	if err := f.parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out でバックアップの書き出し先を指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if err := ws.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "バックアップを書き出しました: %s\n", *out)
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "restore", "restore --from FILE --workspace DIR")
	from := f.String("from", "", "復元するバックアップのファイル")
	if err := f.parse(args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("--from で復元するバックアップのファイルを指定してください。")
	}
	if *f.workspace == "" {
		return usagef("--workspace で復元先のワークスペースのフォルダを指定してください。")
	}
	replaced, err := workspace.RestoreWorkspace(ctx, *from, *f.workspace)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "バックアップ %s から復元しました。\n", *from)
	if replaced != "" {
		fmt.Fprintf(env.Stdout, "置き換える前のデータベースは %s に残してあります。\n", replaced)
	}
	return nil
}
