package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"

	"tenken/internal/export"
	"tenken/internal/workspace"
)

// sampleJSON is one row of `tenken samplecheck --format json`.
type sampleJSON struct {
	Dept      string `json:"dept"`
	StaffID   string `json:"staff_id"`
	StaffName string `json:"staff_name"`
	No        int    `json:"no"`
	Of        int    `json:"of"`
	Time      string `json:"time"`
	System    string `json:"system"`
	Function  string `json:"function"`
	Action    string `json:"action"`
	SubjectID string `json:"subject_id"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Seq       int64  `json:"seq,omitempty"`
}

// runSampleCheck prints the 抽出点検 list of the latest run: for the 所属
// without a 受付簿, a reproducible sample of each staff member's lookups
// to check against the paper 申請書. The CSV is for Excel (UTF-8 BOM,
// formulas escaped) with empty columns to tick.
func runSampleCheck(ctx context.Context, env *Env, args []string) error {
	f := newFlags(env, "samplecheck", "samplecheck --workspace DIR --format csv|json [--unmask]")
	format := f.formatFlag("csv", "出力形式: csv（Excel向け、UTF-8 BOM付き）または json", "csv", "json")
	unmask := f.Bool("unmask", false, "宛名番号を伏せずに出力する（申請書を探す担当者用。取り扱いに注意）")
	if err := f.parse(args); err != nil {
		return err
	}
	if len(f.args) > 0 {
		return usagef("samplecheck に余分な引数があります: %s", f.args[0])
	}
	ws, err := f.open()
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := latestRun(ctx, ws); err != nil {
		return err
	}
	list, err := ws.SampleChecksWith(ctx, workspace.SampleOptions{Unmask: *unmask})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stderr, "受付簿と照合できない所属はありません。抽出点検の対象はありません。")
	}
	out := make([]sampleJSON, 0, len(list))
	for _, s := range list {
		out = append(out, sampleJSON{Dept: s.Dept, StaffID: s.StaffID, StaffName: s.StaffName, No: s.No, Of: s.Of,
			Time: s.Time.Format("2006-01-02 15:04:05"), System: s.System, Function: s.Function, Action: s.Action,
			SubjectID: s.Subject, File: s.File, Line: s.Line, Seq: s.Seq})
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprint(env.Stdout, "\ufeff")
	w := csv.NewWriter(env.Stdout)
	w.UseCRLF = true
	w.Write([]string{"所属", "職員ID", "氏名", "No.", "照会件数", "日時", "システム", "機能", "操作", "宛名番号", "ファイル", "行", "通番", "申請書あり", "申請書なし", "備考"})
	for _, s := range out {
		seq := ""
		if s.Seq != 0 {
			seq = strconv.FormatInt(s.Seq, 10)
		}
		w.Write(export.EscapeRow([]string{s.Dept, s.StaffID, s.StaffName, strconv.Itoa(s.No), strconv.Itoa(s.Of), s.Time,
			s.System, s.Function, s.Action, s.SubjectID, s.File, strconv.Itoa(s.Line), seq, "", "", ""}))
	}
	w.Flush()
	return w.Error()
}
