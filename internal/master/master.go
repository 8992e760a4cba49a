// Package master reads the town's masters — 職員マスタ (staff, with 着任日 /
// 離任日, USB permission, the systems each may use, their other accounts
// and mail addresses; several rows per ID, one per 有効期間), 権限マスタ
// (grants by staff or department, system, permission, validity), 要注意対象
// (watch list), 時間外申請 (approved overtime) and the 受付簿 (reception
// register) — from CSV or Excel files with the header spellings towns
// use. Every data row is accepted or rejected with its line, column and a
// Japanese reason.
package master

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/ingest"
	"tenken/internal/jpdate"
	"tenken/internal/privacy"
	"tenken/internal/table"
)

// Staff master fields.
var StaffFields = []colmap.Field{
	{Name: "id", Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "ログインID", "アカウント"}},
	{Name: "name", Label: "氏名", Headers: []string{"氏名", "職員名", "名前", "氏名漢字"}},
	{Name: "dept", Label: "所属", Headers: []string{"所属", "所属課", "課名", "部署", "所属名", "所属課名"}},
	{Name: "title", Label: "役職", Headers: []string{"役職", "職名", "役職名"}},
	{Name: "employment", Label: "雇用区分", Headers: []string{"雇用区分", "任用区分", "職員区分", "雇用形態"}},
	{Name: "start", Label: "着任日", Headers: []string{"着任日", "採用日", "開始日", "契約開始日", "任用開始日", "利用開始日", "有効開始日", "適用開始日", "異動開始日"}},
	{Name: "end", Label: "離任日", Headers: []string{"離任日", "退職日", "異動日", "終了日", "契約終了日", "任用終了日", "利用終了日", "有効終了日", "適用終了日"}},
	{Name: "usb", Label: "外部媒体利用可", Headers: []string{"外部媒体利用可", "USB利用", "USB利用可", "外部媒体", "外部媒体利用"}},
	{Name: "subject", Label: "本人宛名番号", Headers: []string{"本人宛名番号", "宛名番号"}},
	{Name: "systems", Label: "利用可能システム", Headers: []string{"利用可能システム", "利用システム", "システム", "担当システム"}},
	{Name: "accounts", Label: "他のアカウント", Headers: []string{"他のアカウント", "その他のアカウント", "その他アカウント", "他アカウント", "アカウント一覧", "関連アカウント", "別アカウント", "別名アカウント"}},
	{Name: "logon", Label: "Windowsアカウント", Headers: []string{"Windowsアカウント", "Windowsユーザ", "Windowsユーザー", "Windowsユーザ名", "ログオンID", "ログオン名", "ログオンアカウント", "端末ログオンID", "ADアカウント", "ドメインアカウント"}},
	{Name: "mail", Label: "メールアドレス", Headers: []string{"メールアドレス", "メール", "Eメール", "E-mail", "Email", "mail", "電子メール", "メールアカウント"}},
}

// Grant master fields.
var GrantFields = []colmap.Field{
	{Name: "staff", Label: "職員ID", Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "利用者ID", "ログインID"}},
	{Name: "dept", Label: "所属", Headers: []string{"所属", "所属課", "課名", "部署", "所属名"}},
	{Name: "system", Label: "システム", Required: true, Headers: []string{"システム", "システム名", "業務", "業務名"}},
	{Name: "permission", Label: "権限", Headers: []string{"権限", "権限区分", "操作権限", "権限種別"}},
	{Name: "from", Label: "開始日", Headers: []string{"開始日", "有効開始日", "適用開始日", "有効期間開始", "付与日"}},
	{Name: "to", Label: "終了日", Headers: []string{"終了日", "有効終了日", "適用終了日", "有効期間終了", "削除日"}},
}

// Watch-list (要注意対象) fields.
var WatchFields = []colmap.Field{
	{Name: "subject", Label: "宛名番号", Required: true, Headers: []string{"宛名番号", "宛名コード", "住民番号", "対象者番号", "対象者ID", "個人番号以外の識別子"}},
	{Name: "category", Label: "区分", Headers: []string{"区分", "対象区分", "要注意区分", "種別", "分類", "理由"}},
	{Name: "depts", Label: "閲覧可能所属", Headers: []string{"閲覧可能所属", "閲覧可能課", "閲覧許可所属", "閲覧可能部署", "許可所属", "担当所属"}},
	{Name: "staff", Label: "職員ID", Headers: []string{"職員ID", "職員番号", "職員コード", "関係職員ID", "関係職員"}},
	{Name: "from", Label: "開始日", Headers: []string{"開始日", "有効開始日", "措置開始日", "支援開始日", "登録日", "適用開始日"}},
	{Name: "to", Label: "終了日", Headers: []string{"終了日", "有効終了日", "措置終了日", "支援終了日", "解除日", "適用終了日"}},
}

// Overtime (時間外申請) fields. The window is either 開始 and 終了 or one
// 時間帯 cell such as 17:15-21:00.
var OvertimeFields = []colmap.Field{
	{Name: "staff", Label: "職員ID", Required: true, Headers: []string{"職員ID", "職員番号", "職員コード", "ユーザID", "ユーザーID", "申請者ID", "申請者番号"}},
	{Name: "date", Label: "日付", Required: true, Headers: []string{"日付", "勤務日", "実施日", "時間外勤務日", "対象日", "年月日", "申請日付", "従事日"}},
	{Name: "start", Label: "開始", Headers: []string{"開始", "開始時刻", "開始時間", "始業", "自", "時間外開始"}},
	{Name: "end", Label: "終了", Headers: []string{"終了", "終了時刻", "終了時間", "終業", "至", "時間外終了"}},
	{Name: "span", Label: "時間帯", Headers: []string{"時間帯", "申請時間", "時間外時間帯", "勤務時間帯"}},
}

// WatchCategories are the 区分 of the watch list (DOMAIN.md).
var WatchCategories = []string{"DV等支援措置", "著名人", "職員・家族", "その他"}

// Result is a parsed master file.
type Result struct {
	File     string
	SHA256   string // of the bytes read (set when read from a file)
	Size     int64
	Encoding string // Japanese label of the file's encoding
	Mapping  *colmap.Mapping
	// HeaderLine is the 1-based line of the header row.
	HeaderLine int
	// Sample holds the first SampleRows data rows as read, for previews.
	Sample   [][]string
	Read     int
	Accepted int
	Rejects  []domain.Reject
	Staff    []domain.Staff
	Grants   []domain.Grant
	Watch    []domain.WatchEntry
	Overtime []domain.Overtime
	// Reception holds the rows of a 受付簿; FilledDown counts those whose
	// blank 受付日 or 所属 was taken from the row above (merged cells).
	Reception  []domain.Reception
	FilledDown int
}

// SampleRows is how many data rows a Result keeps for previews.
const SampleRows = 20

// sheet is one master file being read: its rows and their mapping.
type sheet struct {
	name string
	m    *colmap.Mapping
	src  table.Source
	hdr  int
}

func openSheet(src table.Source, name string, fields []colmap.Field) (*sheet, error) {
	hdr, m, err := ingest.FindHeaderIn(src, name, fields, func(h []string) (*colmap.Mapping, error) { return colmap.Map(h, fields) })
	if err != nil {
		return nil, err
	}
	return &sheet{name: name, m: m, src: src, hdr: hdr.Line}, nil
}

// readFile opens path (CSV/TSV in any encoding csvin reads, or .xlsx: its
// first sheet) and calls read on its rows. The file is read once; the
// result carries the SHA-256 and size of the bytes read. An Excel
// workbook's temporary files go to table.TmpDir(ctx).
func readFile(ctx context.Context, path string, read func(ctx context.Context, name string, src table.Source) (*Result, error)) (*Result, error) {
	src, err := table.Open(path, table.Options{TmpDir: table.TmpDir(ctx)})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	res, err := read(ctx, filepath.Base(path), src)
	if err != nil {
		return res, err
	}
	if h, ok := src.(table.Hasher); ok {
		// Every reader reads to the end of the file, so the hash is
		// complete; drain what a reader may have left to be sure.
		for {
			if _, err := src.Next(); err == io.EOF {
				break
			} else if err != nil {
				var pe *csvin.ParseError
				if !errors.As(err, &pe) {
					return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", filepath.Base(path), err), Err: err}
				}
			}
		}
		res.SHA256, res.Size = h.SHA256()
	}
	return res, nil
}

// readCSV reads a master from text, for tests and fuzzing.
func readCSV(ctx context.Context, name string, r io.Reader, read func(ctx context.Context, name string, src table.Source) (*Result, error)) (*Result, error) {
	rd, err := csvin.NewReader(r, csvin.Config{})
	if err != nil {
		return nil, &domain.Error{Code: "read", Message: fmt.Sprintf("%s: ファイルを読めません: %v", name, err), Err: err}
	}
	return read(ctx, name, table.FromCSV(rd))
}

func (t *sheet) result() *Result {
	return &Result{File: t.name, Encoding: t.src.Encoding(), Mapping: t.m, HeaderLine: t.hdr}
}

// each calls fn for every non-blank data row; parse errors become rejects.
func (t *sheet) each(ctx context.Context, res *Result, fn func(rec table.Row, get func(string) string) *domain.Reject) error {
	defer func() { res.Encoding = t.src.Encoding() }()
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := t.src.Next()
		if err == io.EOF {
			return nil
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			res.Read++
			res.Rejects = append(res.Rejects, domain.Reject{Line: pe.StartLine, Column: fmt.Sprintf("%d列目", pe.Column), Reason: pe.Err.Error(), Raw: rec.Raw})
			continue
		}
		if err != nil {
			return &domain.Error{Code: "read", Message: fmt.Sprintf("%s: 読み込み中にエラーが発生しました: %v", t.name, err), Err: err}
		}
		if ingest.IsBlank(rec.Fields) {
			continue
		}
		res.Read++
		fields := rec.Fields
		if col := t.myNumberColumn(fields); col >= 0 {
			// Neither stored nor shown, not even in a preview.
			res.Rejects = append(res.Rejects, domain.Reject{Line: rec.Line, Column: t.m.Headers[col], Reason: ingest.MyNumberReason, Raw: privacy.MaskMyNumber(rec.Raw)})
			continue
		}
		if len(res.Sample) < SampleRows {
			res.Sample = append(res.Sample, append([]string(nil), rec.Fields...))
		}
		get := func(field string) string {
			i := t.m.Index(field)
			if i < 0 || i >= len(fields) {
				return ""
			}
			return strings.TrimSpace(fields[i])
		}
		if rj := fn(rec, get); rj != nil {
			res.Rejects = append(res.Rejects, *rj)
			continue
		}
		res.Accepted++
	}
}

// myNumberColumn returns the column of a row that holds a 個人番号 (-1
// when none): every mapped column is checked but dates and times.
func (t *sheet) myNumberColumn(fields []string) int {
	for _, c := range t.m.Columns {
		switch c.Field {
		case "start", "end", "from", "to", "date", "span", "time", "applied", "clock", "no":
			continue // dates, times and running numbers (受付番号)
		}
		if c.Index < len(fields) && privacy.IsMyNumber(strings.TrimSpace(fields[c.Index])) {
			return c.Index
		}
	}
	return -1
}

func (t *sheet) reject(rec table.Row, field, reason string) *domain.Reject {
	return &domain.Reject{Line: rec.Line, Column: t.m.Header(field), Reason: reason, Raw: rec.Raw}
}

// period is one row's 有効期間 and the line it came from, for the overlap
// check of rows with the same key.
type period struct {
	from, to time.Time
	line     int
}

func overlap(a, b period) bool {
	if !a.to.IsZero() && !b.from.IsZero() && a.to.Before(b.from) {
		return false
	}
	if !b.to.IsZero() && !a.from.IsZero() && b.to.Before(a.from) {
		return false
	}
	return true
}

func fmtPeriod(p period) string {
	f, t := "（不明）", "（現在）"
	if !p.from.IsZero() {
		f = p.from.Format("2006/01/02")
	}
	if !p.to.IsZero() {
		t = p.to.Format("2006/01/02")
	}
	return f + "〜" + t
}

// ReadStaff parses a 職員マスタ file. An ID may have several rows whose
// 有効期間 (着任日–離任日) do not overlap: a transfer (異動) ends one row and
// starts the next in another 所属.
func ReadStaff(ctx context.Context, path string) (*Result, error) {
	return readFile(ctx, path, readStaff)
}

func readStaff(ctx context.Context, name string, src table.Source) (*Result, error) {
	t, err := openSheet(src, name, StaffFields)
	if err != nil {
		return nil, err
	}
	res := t.result()
	seen := map[string][]period{}
	err = t.each(ctx, res, func(rec table.Row, get func(string) string) *domain.Reject {
		st := domain.Staff{ID: csvin.Fold(get("id")), Name: get("name"), Dept: get("dept"), Title: get("title"),
			Employment: get("employment"), SubjectID: csvin.Fold(get("subject")), SourceLine: rec.Line}
		if st.ID == "" {
			return t.reject(rec, "id", "職員IDが空です。")
		}
		var rj *domain.Reject
		if st.Start, rj = t.date(rec, get, "start"); rj != nil {
			return rj
		}
		if st.End, rj = t.date(rec, get, "end"); rj != nil {
			return rj
		}
		if !st.Start.IsZero() && !st.End.IsZero() && st.End.Before(st.Start) {
			return t.reject(rec, "end", fmt.Sprintf("離任日（%s）が着任日（%s）より前です。", st.End.Format("2006/01/02"), st.Start.Format("2006/01/02")))
		}
		p := period{st.Start, st.End, rec.Line}
		key := strings.ToLower(st.ID)
		for _, q := range seen[key] {
			if overlap(p, q) {
				return t.reject(rec, "id", fmt.Sprintf("職員ID「%s」は%d行目と有効期間（%s と %s）が重複しています。異動の行なら、前の行の離任日を異動日の前日にしてください。",
					st.ID, q.line, fmtPeriod(p), fmtPeriod(q)))
			}
		}
		usb, ok := ParseBool(get("usb"))
		if !ok {
			return t.reject(rec, "usb", fmt.Sprintf("「%s」を可・不可として読めません。可・不可、○・×、1・0、有・無のいずれかにしてください。", get("usb")))
		}
		st.USBAllowed = usb
		st.Systems = SplitList(get("systems"))
		mails, bad := ParseEmails(get("mail"))
		if bad != "" {
			return t.reject(rec, "mail", emailReason(bad))
		}
		st.Email = mails
		// The addresses stay among the other accounts too, where the
		// rules have always looked for a mail log's sender.
		st.Accounts = accounts(st.ID, get("accounts"), get("logon"), strings.Join(mails, " "))
		seen[key] = append(seen[key], p)
		res.Staff = append(res.Staff, st)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// accounts collects a person's other accounts from the list and single
// cells, folded, without repeats and without the staff ID itself.
func accounts(id string, cells ...string) []string {
	var out []string
	seen := map[string]bool{strings.ToLower(id): true}
	for _, c := range cells {
		for _, a := range SplitAccounts(c) {
			a = csvin.Fold(a)
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// ParseEmails reads the メールアドレス cell of the 職員マスタ: one address
// or several separated like the other lists (、 , ; / ・ spaces), each
// after NFKC folding (full-width ＠ and letters), with an optional
// "mailto:" or <…> around it, and lower-cased (mail systems compare
// addresses without regard to case, and so do the rules). Repeats are
// dropped. bad is the first item that is not an address; the cell is then
// to be rejected.
func ParseEmails(cell string) (addrs []string, bad string) {
	seen := map[string]bool{}
	for _, item := range SplitList(cell) {
		a, ok := ParseEmail(item)
		if !ok {
			return nil, item
		}
		if !seen[a] {
			seen[a] = true
			addrs = append(addrs, a)
		}
	}
	return addrs, ""
}

// ParseEmail reads one mail address (see ParseEmails): a local part of
// letters, digits and the usual signs (. _ % + - and the like, no leading,
// trailing or double dot), one @, and a domain of at least two labels of
// letters, digits and hyphens.
func ParseEmail(s string) (string, bool) {
	a := strings.TrimSpace(csvin.Fold(s))
	if len(a) > 7 && strings.EqualFold(a[:7], "mailto:") {
		a = a[7:]
	}
	a = strings.TrimSuffix(strings.TrimPrefix(a, "<"), ">")
	local, domainPart, ok := strings.Cut(a, "@")
	if !ok || local == "" || len(local) > 64 || domainPart == "" || len(a) > 254 || strings.Contains(domainPart, "@") {
		return "", false
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !isAlnum(c) && !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", rune(c)) {
			return "", false
		}
	}
	labels := strings.Split(domainPart, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return "", false
			}
		}
	}
	return strings.ToLower(a), true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// emailReason is the reject reason for a cell holding something that is
// not a mail address.
func emailReason(bad string) string {
	return fmt.Sprintf("メールアドレス「%s」が読めません。tanaka@town.example.lg.jp の形で書いてください（複数あるときは「、」か「;」で区切ります）。", bad)
}

// SplitAccounts splits a cell listing accounts. Unlike SplitList it keeps
// "/" and "・" inside a name (DOMAIN\user, mail addresses with dots are
// unaffected either way) and splits on commas, semicolons, 、 and spaces.
func SplitAccounts(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、,，;； 　|｜\n\r\t", r)
	})
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ReadWatchlist parses a 要注意対象 file: 宛名番号, 区分, 閲覧可能所属, an
// optional 職員ID (for 職員・家族) and 有効期間. Resident numbers never
// appear in the reasons of rejected rows.
func ReadWatchlist(ctx context.Context, path string) (*Result, error) {
	return readFile(ctx, path, readWatchlist)
}

func readWatchlist(ctx context.Context, name string, src table.Source) (*Result, error) {
	t, err := openSheet(src, name, WatchFields)
	if err != nil {
		return nil, err
	}
	res := t.result()
	seen := map[string][]period{}
	err = t.each(ctx, res, func(rec table.Row, get func(string) string) *domain.Reject {
		w := domain.WatchEntry{SubjectID: csvin.Fold(get("subject")), Depts: SplitList(get("depts")), StaffID: csvin.Fold(get("staff")), SourceLine: rec.Line}
		if w.SubjectID == "" {
			return t.reject(rec, "subject", "宛名番号が空です。")
		}
		cat, ok := WatchCategory(get("category"))
		if !ok {
			return t.reject(rec, "category", fmt.Sprintf("区分「%s」が分かりません。%sのいずれかにしてください。", get("category"), strings.Join(WatchCategories, "・")))
		}
		w.Category = cat
		var rj *domain.Reject
		if w.From, rj = t.date(rec, get, "from"); rj != nil {
			return rj
		}
		if w.To, rj = t.date(rec, get, "to"); rj != nil {
			return rj
		}
		if !w.From.IsZero() && !w.To.IsZero() && w.To.Before(w.From) {
			return t.reject(rec, "to", fmt.Sprintf("終了日（%s）が開始日（%s）より前です。", w.To.Format("2006/01/02"), w.From.Format("2006/01/02")))
		}
		p := period{w.From, w.To, rec.Line}
		for _, q := range seen[w.SubjectID] {
			if overlap(p, q) {
				return t.reject(rec, "subject", fmt.Sprintf("同じ宛名番号が%d行目にもあり、有効期間が重なっています。1行にまとめてください。", q.line))
			}
		}
		seen[w.SubjectID] = append(seen[w.SubjectID], p)
		res.Watch = append(res.Watch, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// WatchCategory reads a 区分 cell into one of WatchCategories; an empty
// cell is その他.
func WatchCategory(s string) (string, bool) {
	f := strings.ToUpper(strings.Join(strings.Fields(csvin.Fold(s)), ""))
	switch f {
	case "":
		return "その他", true
	case "DV等支援措置", "DV", "DV等", "DV等支援", "支援措置", "DV支援措置", "DV被害者", "住民票等の支援措置":
		return "DV等支援措置", true
	case "著名人", "有名人", "著名", "VIP":
		return "著名人", true
	case "職員・家族", "職員", "職員家族", "家族", "職員等", "職員及び家族", "職員の家族":
		return "職員・家族", true
	case "その他", "他":
		return "その他", true
	}
	return "", false
}

// ReadOvertime parses a 時間外申請 file: 職員ID, 日付 (西暦 or 和暦) and the
// approved window as 開始 and 終了 or one 時間帯 cell. An end before the
// start, an hour past 24 (25:30) or 翌 (翌1:30) runs past midnight.
func ReadOvertime(ctx context.Context, path string) (*Result, error) {
	return readFile(ctx, path, readOvertime)
}

func readOvertime(ctx context.Context, name string, src table.Source) (*Result, error) {
	t, err := openSheet(src, name, OvertimeFields)
	if err != nil {
		return nil, err
	}
	if !t.m.Has("span") && (!t.m.Has("start") || !t.m.Has("end")) {
		return nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 時間外の開始と終了の列（または「17:15-21:00」の形の時間帯の列）が必要です。見つかった見出し: %s", t.name, privacy.MaskNumbers(strings.Join(t.m.Headers, "、"))),
			Err: &colmap.MissingError{Missing: []colmap.Field{{Name: "start", Label: "開始・終了（または時間帯）"}}, Headers: t.m.Headers}}
	}
	res := t.result()
	seen := map[string]int{}
	err = t.each(ctx, res, func(rec table.Row, get func(string) string) *domain.Reject {
		o := domain.Overtime{StaffID: csvin.Fold(get("staff")), SourceLine: rec.Line}
		if o.StaffID == "" {
			return t.reject(rec, "staff", "職員IDが空です。")
		}
		if get("date") == "" {
			return t.reject(rec, "date", "日付が空です。")
		}
		var rj *domain.Reject
		if o.Date, rj = t.date(rec, get, "date"); rj != nil {
			return rj
		}
		startCell, endCell, startField, endField := get("start"), get("end"), "start", "end"
		if startCell == "" && endCell == "" && t.m.Has("span") {
			span := csvin.Fold(get("span"))
			a, b, ok := cutSpan(span)
			if !ok {
				return t.reject(rec, "span", fmt.Sprintf("時間帯「%s」を読めません。17:15-21:00 の形にしてください。", get("span")))
			}
			startCell, endCell, startField, endField = a, b, "span", "span"
		}
		if startCell == "" {
			return t.reject(rec, startField, "開始時刻が空です。")
		}
		if endCell == "" {
			return t.reject(rec, endField, "終了時刻が空です。")
		}
		from, err := ParseOvertimeClock(startCell)
		if err != nil {
			return t.reject(rec, startField, err.Error())
		}
		to, err := ParseOvertimeClock(endCell)
		if err != nil {
			return t.reject(rec, endField, err.Error())
		}
		if from >= 24*time.Hour {
			return t.reject(rec, startField, fmt.Sprintf("開始時刻「%s」は0:00〜23:59にしてください。", startCell))
		}
		if to <= from {
			to += 24 * time.Hour // the window runs past midnight
		}
		if to-from > 24*time.Hour || to == from {
			return t.reject(rec, endField, fmt.Sprintf("時間外の時間帯（%s〜%s）が24時間を超えています。", startCell, endCell))
		}
		o.From, o.To = from, to
		key := fmt.Sprintf("%s|%s|%d|%d", strings.ToLower(o.StaffID), o.Date.Format("20060102"), from, to)
		if prev, dup := seen[key]; dup {
			return t.reject(rec, "staff", fmt.Sprintf("%d行目と同じ申請です（重複）。", prev))
		}
		seen[key] = rec.Line
		res.Overtime = append(res.Overtime, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// cutSpan splits "17:15-21:00", "17:15〜21:00" or "17:15~翌1:00".
func cutSpan(s string) (string, string, bool) {
	for _, sep := range []string{"〜", "~", "～", "－", "-", "ー", "から"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			return a, strings.TrimSuffix(b, "まで"), a != "" && b != ""
		}
	}
	return "", "", false
}

// ParseOvertimeClock reads a clock cell of a 時間外申請 as the time since
// midnight: anything jpdate.ParseClock reads, hours 24–47 (25:30 is 1:30
// the next day) and a 翌 / 翌日 prefix (翌1:30).
func ParseOvertimeClock(s string) (time.Duration, error) {
	c := strings.TrimSpace(csvin.Fold(s))
	var next time.Duration
	for _, p := range []string{"翌日", "翌"} {
		if rest, ok := strings.CutPrefix(c, p); ok {
			c, next = strings.TrimSpace(rest), 24*time.Hour
			break
		}
	}
	if h, m, ok := lateClock(c); ok && next == 0 {
		return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
	}
	h, m, sec, err := jpdate.ParseClock(c)
	if err != nil {
		return 0, err
	}
	return next + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}

// lateClock reads "HH:MM" with HH from 24 to 47.
func lateClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(hs) != 2 || len(ms) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 24 || h > 47 || m < 0 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// ReadGrants parses a 権限マスタ file. A cell listing several permissions
// (照会・更新) gives one grant per permission.
func ReadGrants(ctx context.Context, path string) (*Result, error) {
	return readFile(ctx, path, readGrants)
}

func readGrants(ctx context.Context, name string, src table.Source) (*Result, error) {
	t, err := openSheet(src, name, GrantFields)
	if err != nil {
		return nil, err
	}
	if !t.m.Has("staff") && !t.m.Has("dept") {
		return nil, &domain.Error{Code: "mapping", Message: fmt.Sprintf("%s: 職員IDまたは所属の列が必要です（権限を誰に与えるか）。見つかった見出し: %s", t.name, privacy.MaskNumbers(strings.Join(t.m.Headers, "、"))),
			Err: &colmap.MissingError{Missing: []colmap.Field{{Name: "staff", Label: "職員IDまたは所属"}}, Headers: t.m.Headers}}
	}
	res := t.result()
	err = t.each(ctx, res, func(rec table.Row, get func(string) string) *domain.Reject {
		g := domain.Grant{StaffID: csvin.Fold(get("staff")), Dept: get("dept"), System: get("system")}
		if g.StaffID == "" && g.Dept == "" {
			return t.reject(rec, "staff", "職員IDと所属がどちらも空です。")
		}
		if g.System == "" {
			return t.reject(rec, "system", "システムが空です。")
		}
		var rj *domain.Reject
		if g.From, rj = t.date(rec, get, "from"); rj != nil {
			return rj
		}
		if g.To, rj = t.date(rec, get, "to"); rj != nil {
			return rj
		}
		perms := SplitList(get("permission"))
		for _, p := range perms {
			if _, ok := permissionActions[p]; !ok && p != "全て" && p != "すべて" {
				return t.reject(rec, "permission", fmt.Sprintf("権限「%s」が分かりません。照会・更新・出力のいずれか（複数可）にしてください。", p))
			}
		}
		if len(perms) == 0 || contains(perms, "全て") || contains(perms, "すべて") {
			res.Grants = append(res.Grants, g)
			return nil
		}
		for _, p := range perms {
			g.Permission = p
			res.Grants = append(res.Grants, g)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// permissionActions lists the permissions of the 権限マスタ and the action
// each allows.
var permissionActions = map[string]domain.Action{
	"照会": domain.ActionLookup,
	"更新": domain.ActionUpdate,
	"出力": domain.ActionExport,
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (t *sheet) date(rec table.Row, get func(string) string, field string) (time.Time, *domain.Reject) {
	s := get(field)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := jpdate.ParseDate(s)
	if err != nil {
		return time.Time{}, t.reject(rec, field, err.Error())
	}
	return d, nil
}

// ParseBool reads the yes/no cells of masters: 可・不可, ○・×, 1・0, 有・無,
// はい・いいえ, true/false, yes/no. An empty cell is false. ok is false when
// the text is none of these.
func ParseBool(s string) (value, ok bool) {
	switch strings.ToLower(csvin.Fold(strings.TrimSpace(s))) {
	case "", "不可", "×", "✕", "x", "0", "無", "なし", "いいえ", "false", "no", "n", "-", "否":
		return false, true
	case "可", "○", "〇", "◯", "1", "有", "あり", "はい", "true", "yes", "y", "許可":
		return true, true
	}
	return false, false
}

// SplitList splits a list written in one cell (税務・住民記録, "A、B", "A/B",
// "A B") into its trimmed, non-empty items.
func SplitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("・、,，;；/／ 　|｜\n", r)
	})
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
