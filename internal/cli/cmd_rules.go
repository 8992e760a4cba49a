package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"tenken/internal/domain"
)

// runRanking prints the risk ranking of the latest run, worst first:
// --format json (staff_id, score, rank, reasons …) or text.
func runRanking(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "ranking", "ranking --workspace DIR --format json|text")
	format := f.formatFlag("json", "出力形式: json または text", "json", "text")
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
	ranking, err := ws.Ranking(ctx)
	if err != nil {
		return err
	}
	if ranking == nil {
		ranking = []domain.RankEntry{}
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ranking)
	}
	for _, e := range ranking {
		mark := ""
		if e.Excluded {
			mark = "（除外）"
		}
		fmt.Fprintf(env.Stdout, "%3d位 %6.1f点 %s %s %s%s\n", e.Rank, e.Score, e.StaffID, e.Name, e.Dept, mark)
		for _, r := range e.Reasons {
			fmt.Fprintf(env.Stdout, "      %s\n", strings.TrimSpace(r))
		}
	}
	return nil
}
