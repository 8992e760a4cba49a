package cli

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	pdfreport "tenken/internal/report"
	"tenken/internal/workspace"
)

// listFlag collects a flag given several times or as a comma list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '、' || r == ' ' }) {
		*l = append(*l, p)
	}
	return nil
}

// sectionKeys lists the section names for the usage text.
func sectionKeys() string {
	var ks []string
	for _, s := range pdfreport.Sections() {
		ks = append(ks, s.Key)
	}
	return strings.Join(ks, ",")
}

// passwordEnv lets a script hand over the password without showing it in
// the process list.
const passwordEnv = "TENKEN_REPORT_PASSWORD"

func runReport(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "report", "report --workspace DIR --out FILE.pdf [--annual 年度] [--unmask] [--era wareki|seireki] [--sections 節,...] [--no-section 節] [--logo FILE.png] [--form-no 番号] [--approvers 担当,係長,課長,CISO] [--password PW]")
	out := f.String("out", "", "書き出す報告書PDFのパス")
	annual := f.String("annual", "", "年間総括を書き出す年度（例: 2025 または 令和7。4月〜翌3月）")
	unmask := f.Bool("unmask", false, "宛名番号をマスクせずに印字する（庁内保管用。既定はマスク）")
	era := f.String("era", "", "日付の表記: wareki（和暦）または seireki（西暦）。省略時は保存した既定")
	var only, off listFlag
	f.Var(&only, "sections", "印字する節だけを , 区切りで（"+sectionKeys()+"）")
	f.Var(&off, "no-section", "印字しない節（繰り返し指定、または , 区切り）")
	logo := f.String("logo", "", "表紙に載せる町の紋章・ロゴ（PNG）")
	formNo := f.String("form-no", "", "帳票番号（表紙と各ページの見出しに印字）")
	approvers := f.String("approvers", "", "決裁欄の役職を , 区切りで（既定: 担当,係長,課長,CISO）")
	password := f.String("password", "", "PDFにパスワードを設定する（AES-256）。環境変数 "+passwordEnv+" でも指定可")
	limit := f.Int("evidence-limit", 0, fmt.Sprintf("検出事項ごとに印字する根拠ログの上限（既定 %d。残りはエクスポートへ）", pdfreport.DefaultEvidenceLimit))
	save := f.Bool("save-defaults", false, "--era・--approvers・--form-no・--logo をこのワークスペースの既定として保存する")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("report に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	opt := workspace.ReportOptions{Unmask: *unmask, Era: *era, Logo: *logo, FormNo: *formNo, Password: *password,
		Approvers: workspace.SplitApprovers(*approvers), EvidenceLimit: *limit}
	if opt.Password == "" {
		opt.Password = os.Getenv(passwordEnv)
	}
	if *era != "" && *era != pdfreport.EraWareki && *era != pdfreport.EraSeireki {
		return usagef("--era は wareki（和暦）か seireki（西暦）を指定してください（「%s」は使えません）。", *era)
	}
	if *limit < 0 {
		return usagef("--evidence-limit は 0 以上の数を指定してください。")
	}
	if err := workspace.CheckSections(append(append([]string{}, only...), off...)); err != nil {
		return usagef("%s", err.Error())
	}
	if len(only) > 0 || len(off) > 0 {
		opt.Sections = map[string]bool{}
		if len(only) > 0 {
			for _, s := range pdfreport.Sections() {
				opt.Sections[s.Key] = false
			}
			for _, k := range only {
				opt.Sections[k] = true
			}
		}
		for _, k := range off {
			opt.Sections[k] = false
		}
	}
	if *out == "" && !*save {
		return usagef("--out で報告書PDFのパスを指定してください。")
	}
	fy := 0
	if *annual != "" {
		y, err := parseFiscalYear(*annual)
		if err != nil {
			return err
		}
		fy = y
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if *save {
		if err := ws.SetReportDefaults(ctx, workspace.ReportOptions{Era: *era, Approvers: opt.Approvers, FormNo: *formNo, Logo: *logo}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "報告書の既定（日付の表記・決裁欄・帳票番号・ロゴ）を保存しました。")
		if *out == "" {
			return nil
		}
	}
	bar, done := progressBar(env)
	if fy > 0 {
		err = ws.WriteAnnualReport(ctx, fy, *out, opt, bar)
	} else {
		err = ws.WriteReportWith(ctx, *out, opt, bar)
	}
	done()
	if err != nil {
		return err
	}
	what := "報告書"
	if fy > 0 {
		what = fmt.Sprintf("%d年度の年間総括", fy)
	}
	fmt.Fprintf(env.Stdout, "%sを書き出しました: %s\n", what, *out)
	if opt.Password != "" {
		fmt.Fprintln(env.Stdout, "PDFにはパスワードを設定しました（AES-256）。パスワードは別の経路で伝えてください。")
	}
	return nil
}

var reiwaRe = regexp.MustCompile(`^(?:令和|R|r)\s*(\d{1,2}|元)\s*(?:年度?)?$`)

// parseFiscalYear reads a fiscal year as 2025, 2025年度, 令和7, R7 or 令和7年度.
func parseFiscalYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if m := reiwaRe.FindStringSubmatch(s); m != nil {
		n := 1
		if m[1] != "元" {
			n, _ = strconv.Atoi(m[1])
		}
		return 2018 + n, nil
	}
	t := strings.TrimSuffix(strings.TrimSuffix(s, "年度"), "年")
	y, err := strconv.Atoi(t)
	if err != nil || y < 1989 || y > 2200 {
		return 0, usagef("--annual の年度「%s」を読めません。2025 や 令和7 のように指定してください。", s)
	}
	return y, nil
}

func runExport(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "export", "export --workspace DIR --format xlsx|csv --out FILE [--unmask]")
	format := f.formatFlag(workspace.ExportXLSX, "形式: xlsx（シート 検出事項・証跡・職員ランキング）または csv（シートごとに1ファイル、UTF-8 BOM付き）", workspace.ExportXLSX, workspace.ExportCSV)
	out := f.String("out", "", "書き出すファイル。csv では証跡と職員ランキングを同じ名前に _証跡・_職員ランキング を付けたファイルに書き出す")
	unmask := f.Bool("unmask", false, "宛名番号・メールアドレスをマスクせずに書き出す（庁内保管用）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("export に余分な引数があります: %s", strings.Join(f.args, " "))
	}
	if *out == "" {
		return usagef("--out で書き出すファイルを指定してください。")
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	files, err := ws.ExportWith(ctx, *format, *out, workspace.ExportOptions{Unmask: *unmask})
	if err != nil {
		return err
	}
	for _, p := range files {
		fmt.Fprintf(env.Stdout, "書き出しました: %s\n", p)
	}
	return nil
}
