package cli

import (
	"context"
	"fmt"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/profile"
	"tenken/internal/workspace"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "import", "import --workspace DIR --system NAME [--kind access|endpoint|mail] [--profile FILE] [--sheet NAME] FILE...")
	system := f.String("system", "", "ログのシステム名（例: 住民記録、税務、福祉）")
	kind := f.String("kind", "", "ログの種類: access（業務システム）、endpoint（資産管理）、mail（メール）。省略時は列から判定")
	profPath := f.String("profile", "", "取り込み設定（プロファイル）のJSONファイル。省略時はそのシステムの保存済み設定、なければ自動判定")
	sheet := f.String("sheet", "", "Excel（.xlsx）の読むシート名。省略時は最初のシート")
	if err := f.parse(args); err != nil {
		return err
	}
	if *system == "" {
		return usagef("--system でシステム名を指定してください（例: --system 住民記録）。")
	}
	switch domain.LogKind(*kind) {
	case "", domain.KindAccess, domain.KindEndpoint, domain.KindMail:
	default:
		return usagef("--kind は access、endpoint、mail のいずれかを指定してください（「%s」は使えません）。", *kind)
	}
	if len(f.args) == 0 {
		return usagef("取り込むファイルを指定してください。")
	}
	opt := workspace.ImportOptions{System: *system, Kind: domain.LogKind(*kind), Sheet: *sheet}
	if *profPath != "" {
		p, err := profile.Load(*profPath)
		if err != nil {
			return err
		}
		if p.System != *system {
			return usagef("取り込み設定「%s」はシステム「%s」用です（--system は「%s」）。", *profPath, p.System, *system)
		}
		opt.Profile = p
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	failed := 0
	for _, path := range f.args {
		bar, done := progressBar(env)
		res, err := ws.ImportLogResult(ctx, path, opt, bar)
		done()
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			report(env, err)
			failed++
			continue
		}
		if res.AlreadyImported {
			fmt.Fprintf(env.Stdout, "%s は取込済みです（%s に取込、%d行）。何も追加しませんでした。\n", path, res.Batch.ImportedAt.Format("2006-01-02 15:04"), res.Batch.Accepted)
			continue
		}
		printBatch(env, res.Batch)
		for _, r := range res.Rejects {
			fmt.Fprintf(env.Stderr, "  %s\n", rejectLine(res.Batch.File, r))
		}
		if res.Batch.Rejected > len(res.Rejects) {
			fmt.Fprintf(env.Stderr, "  ほか %d 行を除外しました（一覧: tenken rejects --batch %d --format csv）。\n", res.Batch.Rejected-len(res.Rejects), res.Batch.ID)
		}
	}
	if failed > 0 {
		return &domain.Error{Code: "import_failed", Message: fmt.Sprintf("%d個のファイルを取り込めませんでした。", failed)}
	}
	return nil
}

func runRejects(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "rejects", "rejects --workspace DIR [--batch ID] --format csv|json")
	batch := f.Int64("batch", 0, "取込ID（省略時はすべての取込）")
	format := f.formatFlag("csv", "出力形式: csv（Excel向け、UTF-8 BOM付き）または json", "csv", "json")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("rejects に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	if *batch < 0 {
		return usagef("--batch には取込ID（正の数）を指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if *batch > 0 {
		bs, err := ws.Batches(ctx)
		if err != nil {
			return err
		}
		found := false
		for _, b := range bs {
			found = found || b.ID == *batch
		}
		if !found {
			return &domain.Error{Code: "no_batch", Message: fmt.Sprintf("取込ID %d はありません。tenken import の結果に表示される取込IDを指定してください。", *batch)}
		}
	}
	return ws.WriteRejects(ctx, env.Stdout, *batch, *format)
}

// mapFlags collects repeated --map 列名=field options.
type mapFlags map[string]string

func (m mapFlags) String() string { return "" }

func (m mapFlags) Set(v string) error {
	h, field, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(h) == "" {
		return fmt.Errorf("「%s」は 列名=項目 の形ではありません", v)
	}
	field = strings.TrimSpace(field)
	if field != "" && profile.FieldLabel(field) == "" {
		names := make([]string, len(profile.Fields))
		for i, f := range profile.Fields {
			names[i] = f.Name
		}
		return fmt.Errorf("項目「%s」は分かりません（使える項目: %s。空にするとその列を使いません）", field, strings.Join(names, ", "))
	}
	m[strings.TrimSpace(h)] = field
	return nil
}

func runProfile(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "save" && args[0] != "show") {
		return usagef("使い方: tenken profile save --workspace DIR --system NAME [--map 列名=項目 ...] [--out FILE] SAMPLEFILE / tenken profile show --workspace DIR --system NAME")
	}
	sub := args[0]
	f := newFlags(env, "profile "+sub, "profile save --workspace DIR --system NAME [--map 列名=項目 ...] [--out FILE] SAMPLEFILE")
	system := f.String("system", "", "システム名（例: 住民記録）")
	overrides := mapFlags{}
	var out, kind, sheet *string
	if sub == "save" {
		f.Var(overrides, "map", "列の対応を指定する（列名=項目、例: --map 担当者=staff_id。繰り返し可）")
		out = f.String("out", "", "取り込み設定をJSONファイルにも書き出す")
		kind = f.String("kind", "", "ログの種類: access、endpoint、mail（省略時は列から判定）")
		sheet = f.String("sheet", "", "Excel（.xlsx）のシート名")
	}
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if *system == "" {
		return usagef("--system でシステム名を指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if sub == "show" {
		if len(f.args) > 0 {
			return usagef("profile show に余分な引数があります: %s", strings.Join(f.args, " "))
		}
		p, err := ws.Profile(ctx, *system)
		if err != nil {
			return err
		}
		if p == nil {
			return &domain.Error{Code: "no_profile", Message: fmt.Sprintf("システム「%s」の取り込み設定は保存されていません（列は自動で判定されます）。tenken profile save で保存できます。", *system)}
		}
		b, err := p.Marshal()
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(b)
		return err
	}
	if len(f.args) != 1 {
		return usagef("見本にするログファイルを1つ指定してください。")
	}
	switch domain.LogKind(*kind) {
	case "", domain.KindAccess, domain.KindEndpoint, domain.KindMail:
	default:
		return usagef("--kind は access、endpoint、mail のいずれかを指定してください（「%s」は使えません）。", *kind)
	}
	p, err := ws.ProfileFromSample(ctx, *system, f.args[0], overrides, workspace.ImportOptions{Kind: domain.LogKind(*kind), Sheet: *sheet})
	if err != nil {
		return err
	}
	if err := ws.SaveProfile(ctx, p); err != nil {
		return err
	}
	if *out != "" {
		if err := p.Save(*out); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "システム「%s」の取り込み設定を保存しました。\n", *system)
	for _, h := range sortedStrings(p.Columns) {
		field := p.Columns[h]
		label := "（使わない）"
		if field != "" {
			label = field + "（" + profile.FieldLabel(field) + "）"
		}
		fmt.Fprintf(env.Stdout, "  %s → %s\n", h, label)
	}
	if *out != "" {
		fmt.Fprintf(env.Stdout, "ファイルにも書き出しました: %s\n", *out)
	}
	return nil
}
