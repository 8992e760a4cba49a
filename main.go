// Command tenken is 点検 (Tenken): a desktop application with which a small
// town's IT staff inspect access logs for misuse of residents' personal data
// and produce the report they file with the 個人情報保護委員会.
//
// Without arguments it opens the GUI on the default workspace; with a
// subcommand it runs the same engine headless (tenken help).
package main

import (
	"fmt"
	"os"

	"tenken/app"
	"tenken/internal/cli"
	"tenken/internal/workspace"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "gui" {
		dir, err := guiWorkspace(args)
		if err != nil {
			fmt.Fprintf(os.Stderr, "tenken: %v\n", err)
			os.Exit(cli.ExitUsage)
		}
		app.Run(dir)
		return
	}
	fi, err := os.Stderr.Stat()
	interactive := err == nil && fi.Mode()&os.ModeCharDevice != 0
	os.Exit(cli.Main(args, &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Interactive: interactive}))
}

// guiWorkspace returns the workspace of `tenken [gui [--workspace DIR]]`.
func guiWorkspace(args []string) (string, error) {
	if len(args) >= 3 && (args[1] == "--workspace" || args[1] == "-workspace") {
		return args[2], nil
	}
	if len(args) > 1 {
		return "", fmt.Errorf("使い方: tenken gui [--workspace DIR]")
	}
	return workspace.DefaultDir()
}
