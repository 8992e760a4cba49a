package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/width"

	"tenken/internal/domain"
	"tenken/internal/export"
	"tenken/internal/jpdate"
	"tenken/internal/rules"
	"tenken/internal/workspace"
)

func runDemo(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "demo", "demo --workspace DIR --out report.pdf")
	out := f.String("out", "点検報告書_サンプル.pdf", "書き出す報告書PDFのパス")
	add := f.Bool("add", false, "町の実データがあるワークスペースにも、サンプルデータを追加する（混ざります）")
	if err := f.parse(args); err != nil {
		return err
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if !*add {
		other, err := ws.HoldsOtherData(ctx)
		if err != nil {
			return err
		}
		if other {
			return &domain.Error{Code: "not_empty", Message: fmt.Sprintf("ワークスペース「%s」には町のデータがあります。サンプル（架空の町）のデータを追加すると実際のデータと混ざるため、中止しました。空のフォルダを --workspace に指定してください（それでも追加するときは --add）。", ws.Dir)}
		}
	}
	bar, done := progressBar(env)
	start := time.Now()
	res, err := ws.LoadSample(ctx, bar)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "サンプルの町「%s」のデータを作成しました: %s\n", res.Town, res.Dir)
	fmt.Fprintf(env.Stdout, "職員マスタ: %d名\n", res.Staff)
	for _, b := range res.Batches {
		printBatch(env, b)
	}
	run, err := ws.Inspect(ctx, res.From, res.To, bar)
	done()
	if err != nil {
		return err
	}
	printRun(ctx, env, ws, run)
	if err := ws.WriteReport(ctx, *out, bar); err != nil {
		return err
	}
	done()
	fmt.Fprintf(env.Stdout, "報告書を書き出しました: %s（%.1f秒）\n", *out, time.Since(start).Seconds())
	return nil
}

func printBatch(env *Env, b domain.ImportBatch) {
	fmt.Fprintf(env.Stdout, "取込: %s（%s, %s）読込 %d行 / 取込 %d / 取込不可 %d / 重複 %d\n",
		b.File, b.System, b.Encoding, b.Read, b.Accepted, b.Rejected, b.Duplicate)
}

func printRun(ctx context.Context, env *Env, ws *workspace.Workspace, run domain.Run) {
	fmt.Fprintf(env.Stdout, "点検しました: %s〜%s、検出 %d件\n", run.From.Format("2006-01-02"), run.To.Format("2006-01-02"), run.Findings)
	fs, err := ws.Findings(ctx)
	if err != nil {
		return
	}
	byRule := map[string]int{}
	for _, f := range fs {
		byRule[f.Rule]++
	}
	for _, r := range rules.Catalogue() {
		if n := byRule[r.ID]; n > 0 {
			fmt.Fprintf(env.Stdout, "  %-20s %s %4d件\n", r.ID, padRight(r.Name, 28), n)
		}
	}
}

// padRight pads s with spaces to w terminal columns, counting East Asian
// wide characters as two, so Japanese columns line up.
func padRight(s string, w int) string {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	if n >= w {
		return s
	}
	return s + strings.Repeat(" ", w-n)
}

func rejectLine(file string, r domain.Reject) string {
	col := ""
	if r.Column != "" {
		col = fmt.Sprintf("「%s」列: ", r.Column)
	}
	return fmt.Sprintf("%s %d行目 %s%s", file, r.Line, col, r.Reason)
}

func runHearing(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "set" && args[0] != "show") {
		return usagef("使い方: tenken hearing set --workspace DIR key=value ... / tenken hearing show --workspace DIR（項目: %s）", strings.Join(workspace.HearingKeys(), ", "))
	}
	f := newFlags(env, "hearing "+args[0], "hearing set --workspace DIR town=山里町 hours=08:30-17:15 ...")
	defaults := f.Usage
	f.Usage = func() {
		defaults()
		fmt.Fprintln(env.Stderr, "\n項目（key=value、値に空白を含むときは引用符で囲む。空の値で既定に戻す）:")
		for _, h := range workspace.HearingFields() {
			fmt.Fprintf(env.Stderr, "  %-16s %s。%s 例: %s\n", h.Key, h.Label, h.Help, h.Example)
		}
	}
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	kv := map[string]string{}
	if args[0] == "set" {
		if len(f.args) == 0 {
			return usagef("key=value の形で設定する項目を指定してください（項目: %s）。", strings.Join(workspace.HearingKeys(), ", "))
		}
		for _, a := range f.args {
			k, v, ok := strings.Cut(a, "=")
			if !ok || k == "" {
				return usagef("「%s」は key=value の形ではありません。", a)
			}
			kv[k] = v
		}
	} else if len(f.args) > 0 {
		return usagef("hearing show に引数は要りません。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if len(kv) > 0 {
		if err := ws.SetHearing(ctx, kv); err != nil {
			return err
		}
	}
	vals, err := ws.HearingValues(ctx)
	if err != nil {
		return err
	}
	if args[0] == "show" {
		for _, k := range sortedStrings(vals) {
			fmt.Fprintf(env.Stdout, "%s=%s\n", k, vals[k])
		}
	}
	return nil
}

func runInspect(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "inspect", "inspect --workspace DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]")
	fromS := f.String("from", "", "点検期間の初日（省略時はログの最初の日）")
	toS := f.String("to", "", "点検期間の最終日（省略時はログの最後の日）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("inspect に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	var from, to time.Time
	for _, p := range []struct {
		s    string
		t    *time.Time
		name string
	}{{*fromS, &from, "--from"}, {*toS, &to, "--to"}} {
		if p.s == "" {
			continue
		}
		d, err := jpdate.ParseDate(p.s)
		if err != nil {
			return usagef("%s: %v", p.name, err)
		}
		*p.t = d
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	bar, done := progressBar(env)
	run, err := ws.Inspect(ctx, from, to, bar)
	done()
	if err != nil {
		return err
	}
	printRun(ctx, env, ws, run)
	return nil
}

// findingJSON is the contract of `findings --format json` (DOMAIN.md):
// rule, staff_id, date, severity, count and excluded are always present.
type findingJSON struct {
	Rule      string `json:"rule"`
	StaffID   string `json:"staff_id"`
	Date      string `json:"date"`
	Severity  string `json:"severity"`
	Count     int    `json:"count"`
	Excluded  bool   `json:"excluded"`
	RuleName  string `json:"rule_name"`
	StaffName string `json:"staff_name"`
	Dept      string `json:"dept"`
	Detail    string `json:"detail"`
}

func runFindings(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "findings", "findings --workspace DIR --format json|csv")
	format := f.formatFlag("json", "出力形式: json または csv（Excel向け、UTF-8 BOM付き）", "json", "csv")
	if err := f.parse(args); err != nil {
		return err
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := latestRun(ctx, ws); err != nil {
		return err
	}
	fs, err := ws.Findings(ctx)
	if err != nil {
		return err
	}
	staff, err := ws.Staff(ctx)
	if err != nil {
		return err
	}
	byID := map[string]domain.Staff{}
	for _, s := range staff {
		byID[s.ID] = s
	}
	out := make([]findingJSON, 0, len(fs))
	for _, x := range fs {
		name := x.Rule
		if info, ok := rules.Find(x.Rule); ok {
			name = info.Name
		}
		out = append(out, findingJSON{Rule: x.Rule, StaffID: x.StaffID, Date: x.Date, Severity: string(x.Severity), Count: x.Count,
			Excluded: x.Excluded, RuleName: name, StaffName: byID[x.StaffID].Name, Dept: byID[x.StaffID].Dept, Detail: x.Detail})
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprint(env.Stdout, "\ufeff")
	w := csv.NewWriter(env.Stdout)
	w.UseCRLF = true
	w.Write([]string{"規則ID", "規則名", "職員ID", "氏名", "所属", "日付", "重要度", "件数", "内容", "除外"})
	for _, x := range out {
		excl := ""
		if x.Excluded {
			excl = "除外"
		}
		w.Write(export.EscapeRow([]string{x.Rule, x.RuleName, x.StaffID, x.StaffName, x.Dept, x.Date,
			domain.SeverityLabel(domain.Severity(x.Severity)), fmt.Sprint(x.Count), x.Detail, excl}))
	}
	w.Flush()
	return w.Error()
}
