// Package cli is the headless face of Tenken: the subcommands of DOMAIN.md
// (demo, import, master import, hearing, inspect, findings, report) over
// the same engine the GUI drives (internal/workspace). Messages are
// Japanese on stderr; the exit status is non-zero on any error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// Env is where a command reads and writes; tests substitute buffers.
type Env struct {
	Stdout, Stderr io.Writer
	// Interactive says stderr is a terminal (progress bars are drawn).
	Interactive bool
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"demo", "サンプルの町を作って取り込み・点検し、報告書PDFを書き出す", runDemo},
		{"import", "アクセスログ（CSV・Excel）を取り込む", runImport},
		{"rejects", "取り込めなかった行を出力する（--format csv|json）", runRejects},
		{"profile", "システムごとの取り込み設定（列の対応）を保存・表示する（profile save / profile show）", runProfile},
		{"master", "マスタを取り込む・確認する（master import|preview --kind staff|grants|watchlist|overtime|reception FILE）", runMaster},
		{"hearing", "ヒアリングシートの回答を設定・表示する（hearing set key=value … / hearing show）", runHearing},
		{"inspect", "点検を実行する", runInspect},
		{"findings", "検出事項を出力する（--format json|csv）", runFindings},
		{"ranking", "職員ごとのリスクの順位を出力する（--format json|text）", runRanking},
		{"report", "報告書PDFを書き出す", runReport},
		{"export", "検出事項・証跡・職員ランキングを Excel 用に書き出す（--format xlsx|csv）", runExport},
		{"exclude", "職員・アカウント・検出事項を理由付きで除外する（exclude list / exclude revoke）", runExclude},
		{"review", "検出事項の確認状況を記録する（review list で一覧）", runReview},
		{"samplecheck", "受付簿のない所属の抽出点検リストを出力する（--format csv|json）", runSampleCheck},
		{"audit", "監査ログ（変更の記録）を表示する", runAudit},
		{"verify", "ワークスペースの完全性を検証する（整合性・監査ログとの照合・取込ファイル・点検結果、--anchor で検証コード）", runVerify},
		{"backup", "データベースのバックアップを書き出す（--out FILE）", runBackup},
		{"restore", "バックアップから復元する（--from FILE --workspace DIR）", runRestore},
	}
}

// usageError is a mistake in the command line; it exits with ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Main runs the command line args (without the program name) and returns
// the exit status.
func Main(args []string, env *Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			return report(env, err)
		}
	}
	fmt.Fprintf(env.Stderr, "tenken: 「%s」というコマンドはありません。\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func report(env *Env, err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "tenken: %s\n", ue.msg)
		return ExitUsage
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	err = workspace.ExplainError(err)
	var de *domain.Error
	if errors.As(err, &de) {
		fmt.Fprintf(env.Stderr, "tenken: %s\n", de.Message)
		return ExitError
	}
	fmt.Fprintf(env.Stderr, "tenken: エラーが発生しました: %v\n", err)
	return ExitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "使い方: tenken [コマンド] [オプション]")
	fmt.Fprintln(w, "コマンドを付けずに起動すると画面（GUI）が開きます。")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "コマンド:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "どのコマンドも --workspace DIR でワークスペースのフォルダを指定できます。")
	fmt.Fprintln(w, "各コマンドの詳細: tenken コマンド -h")
}

// flagSet is a flag.FlagSet with --workspace and Japanese usage, whose
// Parse accepts flags after positional arguments too
// (tenken import a.csv --system 税務).
type flagSet struct {
	*flag.FlagSet
	workspace *string
	args      []string
	format    *string  // set by formatFlag
	formats   []string // the values --format accepts
}

// formatFlag registers --format with its default and the accepted values;
// parse refuses any other value with a Japanese usage error.
func (f *flagSet) formatFlag(def, usage string, allowed ...string) *string {
	f.format = f.String("format", def, usage)
	f.formats = allowed
	return f.format
}

func newFlags(env *Env, name, usageLine string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	f := &flagSet{FlagSet: fs}
	f.workspace = fs.String("workspace", "", "ワークスペースのフォルダ（省略時は既定の場所）")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "使い方: tenken %s\n", usageLine)
		fs.PrintDefaults()
	}
	return f
}

func (f *flagSet) parse(args []string) error {
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usagef("%s のオプションが正しくありません: %v", f.Name(), err)
		}
		rest := f.FlagSet.Args()
		if len(rest) == 0 {
			return f.checkFormat()
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
}

func (f *flagSet) checkFormat() error {
	if f.format == nil || slices.Contains(f.formats, *f.format) {
		return nil
	}
	return usagef("--format は %s を指定してください（「%s」は使えません）。", strings.Join(f.formats, " か "), *f.format)
}

// latestRun returns the latest inspection run, or a Japanese error saying to
// run one first.
func latestRun(ctx context.Context, ws *workspace.Workspace) (*domain.Run, error) {
	run, err := ws.LatestRun(ctx)
	if err != nil {
		return nil, err
	}
	if run == nil {
		return nil, &domain.Error{Code: "no_run", Message: "まだ点検を実行していません。先に tenken inspect を実行してください。"}
	}
	return run, nil
}

func (f *flagSet) open() (*workspace.Workspace, error) {
	dir := *f.workspace
	if dir == "" {
		d, err := workspace.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return workspace.Open(dir)
}

// progressBar draws a one-line progress bar on stderr when it is a
// terminal; otherwise it prints nothing.
func progressBar(env *Env) (workspace.ProgressFunc, func()) {
	if !env.Interactive {
		return nil, func() {}
	}
	last := ""
	drawn := false
	return func(p workspace.Progress) {
			line := p.Message
			if p.Total > 0 {
				pct := int(p.Done * 100 / p.Total)
				bar := strings.Repeat("█", pct/5) + strings.Repeat("░", 20-pct/5)
				line = fmt.Sprintf("%s %3d%% %s", bar, pct, p.Message)
			}
			if line != last {
				fmt.Fprintf(env.Stderr, "\r\033[K%s", line)
				last, drawn = line, true
			}
		}, func() {
			if drawn {
				fmt.Fprint(env.Stderr, "\r\033[K")
			}
		}
}

func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
