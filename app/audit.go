package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// auditActionLabel names an audit action in Japanese, as the engine does.
func auditActionLabel(a string) string { return workspace.AuditActionLabel(a) }

// auditView is the 監査ログ tab: every change users made, newest first,
// and the verification of the hash chain.
type auditView struct {
	v       *MainView
	content fyne.CanvasObject
	note    *widget.Label
	table   *dataTable
	detail  *widget.Label
	result  *fyne.Container
	entries []domain.AuditEntry
}

func newAuditView(v *MainView) *auditView {
	av := &auditView{v: v}
	av.note = paragraph("")
	av.table = newDataTable([]tableCol{
		{"番号", 60, fyne.TextAlignTrailing, true},
		{"日時", 200, fyne.TextAlignLeading, false},
		{"操作した人", 120, fyne.TextAlignLeading, false},
		{"操作", 180, fyne.TextAlignLeading, false},
		{"対象", 230, fyne.TextAlignLeading, false},
		{"変更後", 300, fyne.TextAlignLeading, false},
	}, "人・操作・対象で絞り込む")
	av.detail = paragraph("行を選ぶと、変更前と変更後をここに表示します。")
	av.table.onSelect = func(i int) {
		if i < len(av.entries) {
			e := av.entries[i]
			av.detail.SetText(fmt.Sprintf("番号 %d　%s　%s　%s\n対象：%s\n変更前：%s\n変更後：%s\nハッシュ：%s",
				e.Seq, formatDateTime(e.At), e.User, auditActionLabel(e.Action), e.Target, orNone(e.Before), orNone(e.After), e.Hash))
		}
	}
	av.result = container.NewVBox()
	verify := widget.NewButtonWithIcon("改ざんがないか検証する", theme.ConfirmIcon(), av.verify)
	verify.Importance = widget.HighImportance
	top := container.NewVBox(
		av.note,
		container.NewHBox(verify),
		av.result,
	)
	split := container.NewVSplit(av.table.content, container.NewVScroll(container.NewPadded(av.detail)))
	split.Offset = 0.7
	av.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, split))
	return av
}

func orNone(s string) string {
	if s == "" {
		return "（なし）"
	}
	return s
}

// set shows the audit log of a snapshot, newest first.
func (av *auditView) set(s snapshot) {
	switch {
	case isNotAvailable(s.auditErr):
		av.note.SetText("この版では、まだ監査ログを表示できません。")
	case s.auditErr != nil:
		av.note.SetText("監査ログを読み込めませんでした。" + s.auditErr.Error())
	default:
		av.note.SetText(fmt.Sprintf("マスタの編集、除外、確認結果、ヒアリングシートの変更など、記録に残る操作 %s 件です。各行は前の行のハッシュを含む鎖になっていて、書き換えや削除は「検証」で分かります。", formatInt(len(s.audit))))
	}
	av.entries = make([]domain.AuditEntry, len(s.audit))
	for i, e := range s.audit {
		av.entries[len(s.audit)-1-i] = e
	}
	rows := make([][]string, len(av.entries))
	for i, e := range av.entries {
		rows[i] = []string{formatInt(e.Seq), formatDateTime(e.At), e.User, auditActionLabel(e.Action), e.Target, flatten(e.After)}
	}
	av.table.setRows(rows)
}

// verify runs the engine's checks and lists them.
func (av *auditView) verify() {
	v := av.v
	var rep *workspace.VerifyReport
	v.start(job{
		title: "監査ログを検証しています",
		fail:  "検証できませんでした。",
		work: func(ctx context.Context, _ workspace.ProgressFunc) error {
			var err error
			rep, err = v.eng.Verify(ctx)
			return err
		},
		done: func() { av.showReport(rep) },
	})
}

func (av *auditView) showReport(rep *workspace.VerifyReport) {
	if rep == nil {
		return
	}
	objs := []fyne.CanvasObject{}
	var bad []string
	for _, c := range rep.Checks {
		icon := theme.ConfirmIcon()
		if !c.OK {
			icon = theme.ErrorIcon()
			bad = append(bad, c.Name)
		}
		text := paragraph(c.Name + "：" + c.Detail)
		if !c.OK {
			text.Importance = widget.DangerImportance
		}
		objs = append(objs, container.NewBorder(nil, nil, widget.NewIcon(icon), nil, text))
	}
	summary := "検証の結果：すべての項目に問題はありませんでした。"
	if len(bad) > 0 {
		summary = "検証の結果：問題が見つかりました（" + strings.Join(bad, "、") + "）。内容を確かめ、必要ならバックアップから復元してください。"
	}
	head := heading(summary, theme.SizeNameText)
	if len(bad) > 0 {
		head.Importance = widget.DangerImportance
	}
	av.result.Objects = []fyne.CanvasObject{panel(colorNameHint, container.NewVBox(append([]fyne.CanvasObject{head}, objs...)...))}
	// The whole tab lays out again: the result is taller than before.
	av.content.Refresh()
	av.v.setStatus(summary)
}
