package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/japanese"

	"tenken/internal/domain"
	"tenken/internal/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tenken.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type encoding int

const (
	utf8Plain encoding = iota
	utf8BOM
	cp932
	utf16le
	utf8MixedCP932 // UTF-8 with some lines in CP932 (corpus only)
)

func writeFile(t *testing.T, name, text string, enc encoding) string {
	t.Helper()
	var b []byte
	switch enc {
	case utf8Plain:
		b = []byte(text)
	case utf8BOM:
		b = append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case cp932:
		s, err := japanese.ShiftJIS.NewEncoder().String(text)
		if err != nil {
			t.Fatalf("encode %s: %v", name, err)
		}
		b = []byte(s)
	case utf16le:
		b = []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(text)) {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportShapes(t *testing.T) {
	cases := []struct {
		name     string
		enc      encoding
		text     string
		accepted int
		rejected int
		header   int
		rejWant  []string // substrings expected in the reasons, in line order
		first    string   // expected time of the first accepted event (2006-01-02 15:04:05)
		action   domain.Action
	}{
		{name: "utf8 bom standard", enc: utf8BOM, accepted: 2, header: 1, first: "2025-05-07 09:03:07", action: domain.ActionLookup,
			text: "操作日時,職員ID,氏名,端末名,機能名,操作種別,宛名番号,件数\r\n2025/05/07 09:03:07,T001,山田,PC01,住民票照会,照会,1234567890,\r\n2025/05/07 09:05:00,T001,山田,PC01,一覧,CSV出力,,1200\r\n"},
		{name: "cp932 title rows", enc: cp932, accepted: 1, header: 3, first: "2025-05-07 09:03:07", action: domain.ActionUpdate,
			text: "福祉総合システム 操作ログ 出力日:2025/06/02\r\n\r\nアクセス日時,利用者ID,PC名,処理名,操作,宛名コード\r\n2025-05-07T09:03:07,F010,PC-F1,世帯情報,更新,0000012345\r\n"},
		{name: "split wareki date and clock", enc: cp932, accepted: 2, header: 1, first: "2025-05-07 09:03:00", action: domain.ActionExport,
			text: "日付,時刻,ユーザーID,端末,画面名,処理区分,対象者番号,出力件数\r\n令和7年5月7日,9:03,Z001,T-01,課税台帳,帳票,,12\r\nR07.05.08,17:10,Z001,T-01,課税台帳,照会,123,\r\n"},
		{name: "impossible dates rejected", enc: utf8Plain, accepted: 1, rejected: 2, header: 1, first: "2025-05-07 09:00:00", action: domain.ActionLookup,
			rejWant: []string{"令和", "存在しない"},
			text:    "日時,職員ID,操作\n令和元年4月1日 10:00,A1,照会\n2025/02/30 10:00,A1,照会\n2025/05/07 09:00,A1,照会\n"},
		{name: "footer and ragged rows", enc: cp932, accepted: 1, rejected: 3, header: 1, first: "2025-05-07 09:00:00", action: domain.ActionLogin,
			rejWant: []string{"列が足りません", "列が多すぎます", "集計行"},
			text:    "操作日時,職員ID,操作\r\n2025/05/07 09:00,A1,ログイン\r\n2025/05/07 09:01\r\n2025/05/07 09:02,A1,照会,余分\r\n合計,1件\r\n"},
		{name: "empty staff and bad count", enc: utf8Plain, accepted: 0, rejected: 2, header: 1,
			rejWant: []string{"職員IDが空", "件数"},
			text:    "操作日時,職員ID,操作,件数\n2025/05/07 09:00,,照会,\n2025/05/07 09:00,A1,出力,たくさん\n"},
		{name: "trailing empty columns and full width", enc: cp932, accepted: 1, header: 1, first: "2025-05-07 09:03:00", action: domain.ActionLoginFail,
			text: "操作日時,職員ＩＤ,操作,,\r\n２０２５／０５／０７　０９：０３,Ａ１,ログイン失敗,,\r\n"},
		{name: "utf16 tab separated (Excel Unicode text)", enc: utf16le, accepted: 1, header: 1, first: "2025-05-07 09:03:07", action: domain.ActionLookup,
			text: "操作日時\t職員ID\t操作\r\n2025/05/07 09:03:07\tA1\t参照\r\n"},
		{name: "identical rows in one file are both real", enc: utf8Plain, accepted: 2, header: 1, first: "2025-05-07 09:03:07", action: domain.ActionLookup,
			text: "操作日時,職員ID,操作,宛名番号\n2025/05/07 09:03:07,A1,照会,1\n2025/05/07 09:03:07,A1,照会,1\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			p := writeFile(t, "log.csv", c.text, c.enc)
			res, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
			if err != nil {
				t.Fatal(err)
			}
			b := res.Batch
			if b.Accepted != c.accepted || b.Rejected != c.rejected || b.Read != b.Accepted+b.Rejected+b.Duplicate {
				t.Fatalf("accepted %d rejected %d dup %d read %d; want %d/%d; rejects %+v", b.Accepted, b.Rejected, b.Duplicate, b.Read, c.accepted, c.rejected, res.Rejects)
			}
			if res.HeaderLine != c.header {
				t.Errorf("header line %d, want %d", res.HeaderLine, c.header)
			}
			if len(res.Rejects) != len(c.rejWant) {
				t.Fatalf("rejects %+v, want %d", res.Rejects, len(c.rejWant))
			}
			for i, w := range c.rejWant {
				if !strings.Contains(res.Rejects[i].Reason, w) || res.Rejects[i].Line <= c.header {
					t.Errorf("reject %d = %+v, want reason containing %q", i, res.Rejects[i], w)
				}
			}
			if c.accepted == 0 {
				return
			}
			var first *domain.Event
			st.EachEvent(context.Background(), time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(e *domain.Event) error {
				if first == nil || e.Time.Before(first.Time) {
					cp := *e
					first = &cp
				}
				return nil
			})
			if first == nil || first.Time.Format("2006-01-02 15:04:05") != c.first || first.Action != c.action || first.System != "住民記録" {
				t.Errorf("first event %+v, want time %s action %s", first, c.first, c.action)
			}
		})
	}
}

func TestImportRejectNamesColumn(t *testing.T) {
	st := openStore(t)
	p := writeFile(t, "税務.csv", "日付,時刻,ユーザーID,処理区分\r\n令和7年5月7日,25:00,Z001,照会\r\n", cp932)
	res, err := ImportFile(context.Background(), st, p, Options{System: "税務"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejects) != 1 || res.Rejects[0].Line != 2 || res.Rejects[0].Column != "時刻" {
		t.Fatalf("rejects %+v, want line 2 column 時刻", res.Rejects)
	}
	stored, err := st.Rejects(context.Background(), res.Batch.ID)
	if err != nil || len(stored) != 1 || !strings.Contains(stored[0].Raw, "25:00") {
		t.Fatalf("stored rejects %+v %v", stored, err)
	}
}

func TestImportMissingColumnsWritesNothing(t *testing.T) {
	st := openStore(t)
	p := writeFile(t, "bad.csv", "日時,端末,操作\n2025/05/07 09:00,PC1,照会\n", utf8Plain)
	_, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
	var de *domain.Error
	if !errors.As(err, &de) || !strings.Contains(de.Message, "bad.csv") || !strings.Contains(de.Message, "職員ID") || !strings.Contains(de.Message, "「端末」") {
		t.Fatalf("err = %v; want a message naming the file, the missing field and the headers seen", err)
	}
	if bs, _ := st.Batches(context.Background()); len(bs) != 0 {
		t.Fatalf("a batch was written: %+v", bs)
	}
}

func TestReimportAndOverlappingExport(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	a := writeFile(t, "a.csv", "操作日時,職員ID,操作\n2025/05/07 09:00,A1,照会\n2025/05/07 09:01,A1,照会\n", utf8Plain)
	r1, err := ImportFile(ctx, st, a, Options{System: "住民記録"})
	if err != nil || r1.Batch.Accepted != 2 {
		t.Fatalf("first import: %+v %v", r1.Batch, err)
	}
	r2, err := ImportFile(ctx, st, a, Options{System: "住民記録"})
	if err != nil || !r2.AlreadyImported || r2.Batch.ID != r1.Batch.ID {
		t.Fatalf("re-import: %+v %v", r2, err)
	}
	b := writeFile(t, "b.csv", "操作日時,職員ID,操作\n2025/05/07 09:01,A1,照会\n2025/05/07 09:02,A1,照会\n", utf8Plain)
	r3, err := ImportFile(ctx, st, b, Options{System: "住民記録"})
	if err != nil || r3.Batch.Accepted != 1 || r3.Batch.Duplicate != 1 || r3.Batch.Read != 2 {
		t.Fatalf("overlap: %+v %v", r3.Batch, err)
	}
	stats, _ := st.EventStats(ctx)
	if stats.Count != 3 {
		t.Fatalf("events stored %d, want 3", stats.Count)
	}
}

func TestCancelledImportLeavesNothing(t *testing.T) {
	st := openStore(t)
	var sb strings.Builder
	sb.WriteString("操作日時,職員ID,操作\n")
	for i := 0; i < 20000; i++ {
		sb.WriteString("2025/05/07 09:00:00,A1,照会\n")
	}
	p := writeFile(t, "big.csv", sb.String(), utf8Plain)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := ImportFile(ctx, st, p, Options{System: "住民記録", Progress: func(done, total int64) {
		calls++
		if calls == 2 {
			cancel()
		}
	}})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "cancelled" {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if bs, _ := st.Batches(context.Background()); len(bs) != 0 {
		t.Fatalf("cancelled import left batches: %+v", bs)
	}
	if stats, _ := st.EventStats(context.Background()); stats.Count != 0 {
		t.Fatalf("cancelled import left %d events", stats.Count)
	}
}

func TestMapAction(t *testing.T) {
	for in, want := range map[string]domain.Action{
		"照会": domain.ActionLookup, "参照": domain.ActionLookup, "検索": domain.ActionLookup, "閲覧": domain.ActionLookup,
		"更新": domain.ActionUpdate, "登録": domain.ActionUpdate, "修正": domain.ActionUpdate, "削除": domain.ActionUpdate,
		"出力": domain.ActionExport, "印刷": domain.ActionExport, "CSV出力": domain.ActionExport, "ダウンロード": domain.ActionExport, "帳票": domain.ActionExport,
		"ログイン": domain.ActionLogin, "ログオン": domain.ActionLogin, "ログアウト": domain.ActionLogout, "ログオフ": domain.ActionLogout,
		"ログイン失敗": domain.ActionLoginFail, "認証失敗": domain.ActionLoginFail, "書込": domain.ActionDeviceWrite, "コピー": domain.ActionDeviceWrite,
		"接続": domain.ActionDeviceConnect, "ＣＳＶ出力": domain.ActionExport, "": domain.ActionOther, "メモ": domain.ActionOther,
	} {
		if got := MapAction(in); got != want {
			t.Errorf("MapAction(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEncodingDecidedLateIsRecorded(t *testing.T) {
	st := openStore(t)
	var sb strings.Builder
	sb.WriteString("timestamp,userid,memo\r\n")
	for i := 0; i < 8000; i++ { // > 128 KiB of ASCII rows before the first kanji
		sb.WriteString("2025/05/07 09:00:00,A1,login\r\n")
	}
	sb.WriteString("2025/05/07 09:00:01,A1,照会\r\n")
	p := writeFile(t, "late.csv", sb.String(), cp932)
	res, err := ImportFile(context.Background(), st, p, Options{System: "住民記録"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Batch.Encoding, "CP932") {
		t.Fatalf("encoding recorded as %q, want CP932", res.Batch.Encoding)
	}
}

func TestActionForKinds(t *testing.T) {
	cases := []struct {
		raw  string
		kind domain.LogKind
		want domain.Action
	}{
		{"書込", domain.KindEndpoint, domain.ActionDeviceWrite},
		{"ファイルコピー", domain.KindEndpoint, domain.ActionDeviceWrite},
		{"USB接続", domain.KindEndpoint, domain.ActionDeviceConnect},
		{"印刷", domain.KindEndpoint, domain.ActionPrint},
		{"ログオン", domain.KindEndpoint, domain.ActionLogin},
		{"ログオフ", domain.KindEndpoint, domain.ActionLogout},
		{"ログオン失敗", domain.KindEndpoint, domain.ActionLoginFail},
		{"ファイル操作", domain.KindEndpoint, domain.ActionFile},
		{"送信", domain.KindMail, domain.ActionMailSend},
		{"", domain.KindMail, domain.ActionMailSend},
		{"印刷", domain.KindAccess, domain.ActionExport}, // a business system's 印刷 is an export
		{"照会", domain.KindAccess, domain.ActionLookup},
	}
	for _, c := range cases {
		if got := ActionFor(c.raw, c.kind, nil); got != c.want {
			t.Errorf("ActionFor(%q, %s) = %s, want %s", c.raw, c.kind, got, c.want)
		}
	}
	extra := map[string]domain.Action{"照会詳細": domain.ActionExport}
	if got := ActionFor("照会(詳細)", domain.KindAccess, extra); got != domain.ActionExport {
		t.Errorf("profile action not applied: %s", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"12345": 12345, "12,345": 12345, "300KB": 300 << 10, "1.5 MB": 1572864, "２ＧＢ": 2 << 30, "10バイト": 10} {
		if got, ok := ParseSize(in); !ok || got != want {
			t.Errorf("ParseSize(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "大きい", "-5", "NaN", "1e400"} {
		if _, ok := ParseSize(in); ok {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
