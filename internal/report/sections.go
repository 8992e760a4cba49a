package report

import (
	"bytes"
	"fmt"
	"image/png"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"tenken/internal/domain"
	"tenken/internal/privacy"
)

// Section titles. Tests look for them in the extracted text.
const (
	titleOverview   = "概要"
	titleUsage      = "アカウント別利用状況"
	titleFindings   = "検出事項一覧"
	titleDetails    = "対象者別の詳細"
	titleConditions = "点検条件"
	titleExclusions = "除外"
	titleImports    = "取込記録"
	titleAppendix   = "付録 点検項目の説明"
	titleCharts     = "アクセスの傾向"
	titleRanking    = "職員別のリスク順位"
	titleReview     = "確認結果"
	titleCoverage   = "ログの網羅性"
	titleBasis      = "根拠（ガイドラインとの対応）"
)

// noFindingsSentence is the plain statement required when nothing was found.
const noFindingsSentence = "点検期間中、点検項目に該当するアクセスは検出されませんでした。"

// numbered is a finding with its number in the findings list, which the
// per-staff sheets refer back to.
type numbered struct {
	no int
	f  domain.Finding
}

// builder holds the data being rendered and what is derived from it.
type builder struct {
	d        *doc
	data     Data
	title    string
	rules    map[string]RuleInfo
	ruleIdx  map[string]int
	list     []numbered      // every finding, in list order
	mask     *privacy.Masker // nil when identifiers are shown in full
	limit    int             // evidence rows per finding
	sec, sub int             // section numbering
	plan     []section       // the sections printed, in order
}

// section is one numbered part of the report.
type section struct {
	title string
	draw  func()
}

// planSections decides which sections the report has. A section whose
// data is absent (no usage summary, no ranking) is left out, and so is one
// the caller switched off; the 除外 section cannot be switched off, since
// an exclusion must never be quiet.
func (b *builder) planSections() {
	data := b.data
	on := func(key string) bool { return !data.Omit[key] }
	add := func(title string, draw func()) { b.plan = append(b.plan, section{title, draw}) }
	if on(SectionOverview) {
		add(titleOverview, b.overview)
	}
	if on(SectionUsage) && len(data.Usage) > 0 {
		add(titleUsage, b.usage)
	}
	if on(SectionCharts) && b.hasCharts() {
		add(titleCharts, b.charts)
	}
	if on(SectionFindings) {
		add(titleFindings, b.findingsList)
	}
	if on(SectionRanking) && len(data.Ranking) > 0 {
		add(titleRanking, b.ranking)
	}
	if on(SectionDetails) {
		add(titleDetails, b.details)
	}
	if on(SectionReview) {
		add(titleReview, b.review)
	}
	if on(SectionSampleCheck) && len(data.SampleChecks) > 0 {
		add(titleSampleCheck, b.sampleChecks)
	}
	if on(SectionConditions) {
		add(titleConditions, b.conditions)
	}
	add(titleExclusions, b.exclusions)
	if on(SectionImports) {
		add(titleImports, b.imports)
	}
	if on(SectionCoverage) {
		add(titleCoverage, b.coverage)
	}
	if on(SectionBasis) {
		add(titleBasis, b.basis)
	}
}

// render lays out the whole report and returns the PDF bytes.
func render(data Data) ([]byte, error) {
	d, err := newDoc()
	if err != nil {
		return nil, errRender(err)
	}
	b := newBuilder(d, data)
	b.setInfo()
	b.planSections()
	b.cover()
	d.newPage()
	for _, s := range b.plan {
		s.draw()
	}
	if !data.Omit[SectionAppendix] {
		b.appendix()
	}
	return b.output()
}

// setInfo records the PDF's document information from the builder's data.
func (b *builder) setInfo() {
	data := b.data
	b.d.pdf.SetInfo(gopdf.PdfInfo{
		Title:        b.title,
		Author:       strings.TrimSpace(data.Department + " " + data.Author),
		Subject:      strings.TrimSpace(data.Town + " " + b.title),
		Creator:      "Tenken",
		Producer:     "Tenken (gopdf)",
		CreationDate: jstLabel(data.CreatedAt),
	})
}

// output finishes the document (running header with the town, footer
// "n / N") and returns its bytes.
func (b *builder) output() ([]byte, error) {
	town := b.data.Town
	if town == "" {
		town = unset
	}
	b.d.finish(town, b.headerTitle())
	out, err := b.d.bytes()
	if err != nil {
		return nil, errRender(err)
	}
	return out, nil
}

// jstLabel gives a wall-clock JST time (carried in UTC) its real zone for
// the PDF metadata, which prints an offset; the clock reading is unchanged.
func jstLabel(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("JST", 9*3600))
}

// newBuilder derives what the sections share: rule lookups, the masker
// and the numbered, sorted findings list.
func newBuilder(d *doc, data Data) *builder {
	b := &builder{
		d:       d,
		data:    data,
		title:   strings.TrimSpace(oneLine(data.Title)),
		rules:   make(map[string]RuleInfo, len(data.Rules)),
		ruleIdx: make(map[string]int, len(data.Rules)),
		limit:   data.EvidenceLimit,
	}
	if b.title == "" {
		b.title = DefaultTitle
	}
	if b.limit <= 0 {
		b.limit = DefaultEvidenceLimit
	}
	for i, r := range data.Rules {
		b.rules[r.ID] = r
		if _, ok := b.ruleIdx[r.ID]; !ok {
			b.ruleIdx[r.ID] = i
		}
	}
	if !data.UnmaskSubjects {
		ids := make(map[string]bool)
		for _, f := range data.Findings {
			for _, e := range f.Evidence {
				if e.SubjectID != "" {
					ids[e.SubjectID] = true
				}
			}
		}
		b.mask = privacy.NewMasker(ids)
	}
	// The list is grouped by rule (in catalogue order); within a rule it
	// runs from the most to the least severe, then by day, so the reader
	// meets what matters first.
	fs := append([]domain.Finding(nil), data.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, c := fs[i], fs[j]
		if ra, rc := b.ruleOrder(a.Rule), b.ruleOrder(c.Rule); ra != rc {
			return ra < rc
		}
		if a.Rule != c.Rule {
			return a.Rule < c.Rule
		}
		if sa, sc := a.Severity.Rank(), c.Severity.Rank(); sa != sc {
			return sa < sc
		}
		if a.Date != c.Date {
			return a.Date < c.Date
		}
		if a.StaffID != c.StaffID {
			return a.StaffID < c.StaffID
		}
		return a.ID < c.ID
	})
	for i, f := range fs {
		b.list = append(b.list, numbered{no: i + 1, f: f})
	}
	return b
}

// ruleOrder is a rule's position in Data.Rules; unknown rules go last.
func (b *builder) ruleOrder(id string) int {
	if i, ok := b.ruleIdx[id]; ok {
		return i
	}
	return len(b.ruleIdx)
}

// ruleName is the Japanese name of a rule, or its ID when unknown.
func (b *builder) ruleName(id string) string {
	if r, ok := b.rules[id]; ok && r.Name != "" {
		return r.Name
	}
	return id
}

// staffName looks a staff member's name up in the master; ok is false
// when the ID is not there.
func (b *builder) staffName(id string) (name string, ok bool) {
	n := strings.TrimSpace(oneLine(b.data.StaffNames[id]))
	return n, n != ""
}

// staffDept looks a staff member's department up in the master.
func (b *builder) staffDept(id string) string {
	return strings.TrimSpace(oneLine(b.data.StaffDepts[id]))
}

// staffLabel is 氏名 and 所属 on two lines, or (マスタに無し).
func (b *builder) staffLabel(id string) string {
	n, ok := b.staffName(id)
	if !ok {
		if dept := b.staffDept(id); dept != "" {
			return notInMaster + "\n" + dept
		}
		return notInMaster
	}
	if dept := b.staffDept(id); dept != "" {
		return n + "\n" + dept
	}
	return n
}

// subject shows a resident identifier, masked unless asked otherwise.
func (b *builder) subject(id string) string {
	id = oneLine(id)
	if b.mask == nil {
		return id
	}
	return privacy.MaskID(id)
}

// free masks known identifiers in free text.
func (b *builder) free(s string) string {
	return b.mask.Apply(clean(s))
}

// h1 starts a numbered section.
func (b *builder) h1(title string, keep float64) {
	b.sec++
	b.sub = 0
	b.d.heading1(fmt.Sprintf("%d. %s", b.sec, title), keep)
}

// h2 starts a numbered sub-section.
func (b *builder) h2(title string, keep float64) {
	b.sub++
	b.d.heading2(fmt.Sprintf("%d.%d %s", b.sec, b.sub, title), keep)
}

// body writes a paragraph of body text.
func (b *builder) body(s string) {
	b.d.para(s, bodySize, bodyLead, 0, black)
	b.d.y += 3 // paragraphs are set apart, not indented
}

// note writes a small grey remark.
func (b *builder) note(s string) {
	b.d.para(s, 9, 14.5, 0, midGrey)
}

// orUnset substitutes 未設定 for an empty value.
func orUnset(s string) string {
	if strings.TrimSpace(s) == "" {
		return unset
	}
	return s
}

// headerTitle is the title in the running header, with the 帳票番号.
func (b *builder) headerTitle() string {
	if no := strings.TrimSpace(oneLine(b.data.FormNo)); no != "" {
		return b.title + "　［" + no + "］"
	}
	return b.title
}

// cover draws the title page: title, the facts of the inspection, the
// masking statement and the 決裁欄.
func (b *builder) cover() {
	d, data := b.d, b.data
	d.newPage()

	// 取扱注意: the report names staff under suspicion. Beside it, whether
	// resident identifiers are masked, so that an unmasked internal copy
	// is recognised at a glance.
	const tag = "取扱注意"
	tw := d.width(tag, 10.5) + 16
	d.strokeRect(right-tw, top, tw, 20, 0.8, black)
	d.textIn(right-tw, top, tw, 20, tag, 10.5, black, alignCenter)
	maskTag := "宛名番号 マスク表示"
	if b.mask == nil {
		maskTag = "宛名番号 非マスク（庁内保管用）"
	}
	mw := d.width(maskTag, 9) + 14
	if b.mask == nil {
		d.fillRect(right-tw-6-mw, top, mw, 20, headFill)
	}
	d.strokeRect(right-tw-6-mw, top, mw, 20, 0.6, darkGrey)
	d.textIn(right-tw-6-mw, top, mw, 20, maskTag, 9, black, alignCenter)
	if no := strings.TrimSpace(oneLine(data.FormNo)); no != "" {
		d.text(left, top, 20, fitText(d.measure(9.5), "帳票番号 "+no, contentW-tw-mw-24), 9.5, black)
	}

	// Title, wrapped and centred. A title too long for three lines is set
	// smaller, and anything beyond is cut, so that the cover's contents
	// can never run into the 決裁欄 at its foot.
	d.y = 62 * mm
	if len(data.Logo) > 0 {
		b.logo(34*mm, 22*mm)
	}
	titleSize, titleLead := 24.0, 36.0
	lines := d.wrap(b.title, titleSize, contentW)
	if len(lines) == 2 {
		// A title of two lines breaks at a space if it can, so that a
		// word such as 総括 is not split.
		if ls := b.splitTitle(titleSize); ls != nil {
			lines = ls
		}
	}
	if len(lines) > 3 {
		titleSize, titleLead = 18.0, 27.0
		lines = clampLines(d.measure(titleSize), d.wrap(b.title, titleSize, contentW), 4, contentW)
	}
	for _, ln := range lines {
		d.textIn(left, d.y, contentW, titleLead, ln, titleSize, black, alignCenter)
		d.y += titleLead
	}
	d.y += 4
	d.line(left+30*mm, d.y, right-30*mm, d.y, 0.8, darkGrey)
	d.y += 14 * mm

	rows := []row{{cells: []string{"団体名", orUnset(data.Town)}}}
	if strings.TrimSpace(data.Kind) != "" {
		rows = append(rows, row{cells: []string{"点検の種類", data.Kind}})
	}
	period := unset
	if !data.From.IsZero() && !data.To.IsZero() {
		p := b.period(data.From, data.To)
		if k := strings.Index(p, "（"); k > 0 {
			p = p[:k] + "\n" + p[k:]
		}
		period = p
	}
	created := unset
	if !data.CreatedAt.IsZero() {
		created = dateBoth(data.Era, data.CreatedAt)
	}
	rows = append(rows,
		row{cells: []string{"点検期間", period}},
		row{cells: []string{"作成日", created}},
		row{cells: []string{"担当課", orUnset(data.Department)}},
		row{cells: []string{"作成者", orUnset(data.Author)}},
	)
	if no := strings.TrimSpace(oneLine(data.FormNo)); no != "" {
		rows = append(rows, row{cells: []string{"帳票番号", no}})
	}
	tx := left + 15*mm
	t := &table{x: tx, w: contentW - 30*mm, size: 11.5, noHdr: true, cols: []column{
		{w: 30 * mm, shade: true, align: alignCenter},
		{maxLines: 2},
	}}
	t.draw(d, rows)
	d.y += 8 * mm

	var maskLine string
	if b.mask != nil {
		maskLine = "※ 宛名番号はマスクして表示しています（例：1234****）。個人番号及び住民の氏名は記載していません。"
	} else {
		maskLine = "※ 宛名番号はマスクせずに表示しています。本報告書の取扱いには十分注意してください。個人番号及び住民の氏名は記載していません。"
	}
	for _, s := range []string{
		maskLine,
		"※ 本報告書は、特定個人情報等を取り扱う情報システムのアクセス記録を点検し、その結果を取りまとめたものです。",
	} {
		for _, ln := range d.wrap(s, 9.5, contentW-30*mm) {
			d.text(tx, d.y, 15, ln, 9.5, darkGrey)
			d.y += 15
		}
	}

	b.approvalBoxes()
}

// splitTitle breaks the title into two lines at the space that balances
// them best, or returns nil when no space gives two lines that fit.
func (b *builder) splitTitle(size float64) []string {
	d := b.d
	rs := []rune(b.title)
	var best []string
	bestW := 0.0
	for i, r := range rs {
		if r != ' ' && r != '　' {
			continue
		}
		l, rt := strings.TrimSpace(string(rs[:i])), strings.TrimSpace(string(rs[i+1:]))
		wl, wr := d.width(l, size), d.width(rt, size)
		if l == "" || rt == "" || wl > contentW || wr > contentW {
			continue
		}
		if w := max(wl, wr); best == nil || w < bestW {
			best, bestW = []string{l, rt}, w
		}
	}
	return best
}

// logo draws the town's emblem centred at the cursor, scaled to fit
// maxW × maxH with its proportions kept. A logo that cannot be read is
// left out rather than failing the report: the caller has validated it,
// so this only guards against a damaged file.
func (b *builder) logo(maxW, maxH float64) {
	d := b.d
	cfg, err := png.DecodeConfig(bytes.NewReader(b.data.Logo))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return
	}
	w, h := maxW, maxW*float64(cfg.Height)/float64(cfg.Width)
	if h > maxH {
		h, w = maxH, maxH*float64(cfg.Width)/float64(cfg.Height)
	}
	holder, err := gopdf.ImageHolderByBytes(b.data.Logo)
	if err != nil {
		return
	}
	x := left + (contentW-w)/2
	y := d.y - h - 6*mm
	if err := d.pdf.ImageByHolder(holder, x, y, &gopdf.Rect{W: w, H: h}); err != nil {
		d.fail(err)
	}
}

// approvers returns the roles of the 決裁欄.
func (b *builder) approvers() []string {
	var out []string
	for _, r := range b.data.Approvers {
		if r = strings.TrimSpace(oneLine(r)); r != "" {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return DefaultApprovers
	}
	return out
}

// approvalBoxes draws the 決裁欄 at the foot of the cover: a label cell
// and one column per approver, each with an empty space for the seal.
// Many approvers make the boxes narrower, never wider than the page; a
// role too long for its box is set smaller.
func (b *builder) approvalBoxes() {
	d := b.d
	roles := b.approvers()
	const (
		labelW = 9 * mm
		headH  = 7 * mm
		sealH  = 24 * mm
	)
	boxW := min(24*mm, (contentW-labelW)/float64(len(roles)))
	w := labelW + boxW*float64(len(roles))
	x := right - w
	y := bottom - headH - sealH
	d.fillRect(x, y, labelW, headH+sealH, headFill)
	d.fillRect(x+labelW, y, boxW*float64(len(roles)), headH, headFill)
	for i, r := range roles {
		bx := x + labelW + boxW*float64(i)
		size := 10.0
		for size > 6 && d.width(r, size) > boxW-4 {
			size -= 0.5
		}
		d.textIn(bx, y, boxW, headH, fitText(d.measure(size), r, boxW-4), size, black, alignCenter)
	}
	// 決裁 set vertically, one character per line, centred in its cell.
	label := []rune("決裁")
	lh := 16.0
	ly := y + (headH+sealH-lh*float64(len(label)))/2
	for i, r := range label {
		d.textIn(x, ly+lh*float64(i), labelW, lh, string(r), 11, black, alignCenter)
	}
	const lw = 0.6
	d.strokeRect(x, y, w, headH+sealH, lw, darkGrey)
	d.line(x+labelW, y+headH, x+w, y+headH, lw, darkGrey)
	for i := 0; i < len(roles); i++ {
		bx := x + labelW + boxW*float64(i)
		d.line(bx, y, bx, y+headH+sealH, lw, darkGrey)
	}
}

// severityCounts counts findings by severity; Excluded ones are skipped.
type severityCounts struct{ high, medium, low, other int }

// add counts one finding of severity s.
func (c *severityCounts) add(s domain.Severity) {
	switch s {
	case domain.High:
		c.high++
	case domain.Medium:
		c.medium++
	case domain.Low:
		c.low++
	default:
		c.other++
	}
}

// total is the number of findings counted.
func (c severityCounts) total() int { return c.high + c.medium + c.low + c.other }

// overview is section 1: scope and result.
func (b *builder) overview() {
	d, data := b.d, b.data
	b.h1(titleOverview, 60)
	b.h2("点検の範囲", 40)

	var systems []string
	seen := map[string]bool{}
	var read, acc, rej, dup int64
	for _, bt := range data.Batches {
		if s := oneLine(bt.System); s != "" && !seen[s] {
			seen[s] = true
			systems = append(systems, s)
		}
		read += int64(bt.Read)
		acc += int64(bt.Accepted)
		rej += int64(bt.Rejected)
		dup += int64(bt.Duplicate)
	}
	sysText := "（取り込んだログはありません）"
	if len(systems) > 0 {
		sysText = strings.Join(systems, "、")
	}
	filesText := "（なし）"
	if len(data.Batches) > 0 {
		filesText = fmt.Sprintf("%s ファイル（読込 %s 行、取込 %s 行、取込不可 %s 行、重複 %s 行）",
			num(int64(len(data.Batches))), num(read), num(acc), num(rej), num(dup))
	}
	enabled := 0
	for _, r := range data.Rules {
		if r.Enabled {
			enabled++
		}
	}
	rulesText := fmt.Sprintf("%d 項目を実施（全 %d 項目中）", enabled, len(data.Rules))
	exclText := "なし"
	if n := len(data.Exclusions); n > 0 {
		exclText = fmt.Sprintf("%d 件（詳細は「%s」に記載）", n, b.sectionRef(titleExclusions))
		if c := concerned(data.Exclusions); c > 0 {
			exclText += fmt.Sprintf("。うち %d 件は承認に注意が必要です", c)
		}
	}
	kv := []row{
		{cells: []string{"点検期間", b.period(data.From, data.To)}},
		{cells: []string{"対象システム", sysText}},
		{cells: []string{"取込ファイル", filesText}},
		{cells: []string{"点検項目", rulesText}},
		{cells: []string{"使用したマスタ", orUnset(data.MasterInfo)}},
		{cells: []string{"除外", exclText}},
	}
	(&table{size: bodySize, noHdr: true, cols: []column{{w: 32 * mm, shade: true}, {}}}).draw(d, kv)

	b.h2("点検の結果", 60)
	var total severityCounts
	staff := map[string]bool{}
	excluded := 0
	for _, n := range b.list {
		if n.f.Excluded {
			excluded++
			continue
		}
		total.add(n.f.Severity)
		staff[n.f.StaffID] = true
	}
	if total.total() == 0 {
		b.body(noFindingsSentence)
	} else {
		b.body(fmt.Sprintf("点検の結果、検出事項は %s 件（対象職員 %s 名）でした。重要度別の内訳は、高 %s 件、中 %s 件、低 %s 件です。",
			num(int64(total.total())), num(int64(len(staff))), num(int64(total.high)), num(int64(total.medium)), num(int64(total.low))))
		if b.has(titleFindings) && b.has(titleDetails) {
			b.body(fmt.Sprintf("検出事項の一覧を「%s」に、職員ごとの内容と根拠となるログを「%s」に示します。重要度「高」の検出事項がある職員から順にヒアリングを行い、結果を記録してください。",
				b.sectionRef(titleFindings), b.sectionRef(titleDetails)))
		}
	}
	if excluded > 0 {
		b.body(fmt.Sprintf("このほか、除外対象の職員・アカウントに係る検出事項が %s 件あります（一覧に「除外」と表示し、件数には含めていません）。", num(int64(excluded))))
	}
	d.y += 6

	// Findings by rule and severity; every rule that ran has a row, so a
	// zero is visibly "checked, nothing found" rather than "not checked".
	byRule := map[string]*severityCounts{}
	var order []string
	addRule := func(id string) {
		if _, ok := byRule[id]; !ok {
			byRule[id] = &severityCounts{}
			order = append(order, id)
		}
	}
	for _, r := range data.Rules {
		if r.Enabled {
			addRule(r.ID)
		}
	}
	var extra []string
	for _, n := range b.list {
		if n.f.Excluded {
			continue
		}
		if _, ok := byRule[n.f.Rule]; !ok {
			extra = append(extra, n.f.Rule)
			byRule[n.f.Rule] = &severityCounts{}
		}
		byRule[n.f.Rule].add(n.f.Severity)
	}
	sort.Slice(extra, func(i, j int) bool {
		return b.ruleOrder(extra[i]) < b.ruleOrder(extra[j]) || (b.ruleOrder(extra[i]) == b.ruleOrder(extra[j]) && extra[i] < extra[j])
	})
	order = append(order, extra...)
	cnt := func(n int) string { return num(int64(n)) }
	var rows []row
	for _, id := range order {
		c := byRule[id]
		rows = append(rows, row{cells: []string{b.ruleName(id), b.basisOf(id), cnt(c.high), cnt(c.medium), cnt(c.low), cnt(c.total())}})
	}
	rows = append(rows, row{shade: true, cells: []string{"合計", "", cnt(total.high), cnt(total.medium), cnt(total.low), cnt(total.total())}})
	(&table{size: 9.5, cols: []column{
		{title: "点検項目"},
		{title: "根拠", w: 22 * mm, align: alignCenter},
		{title: "高", w: 18 * mm, align: alignRight},
		{title: "中", w: 18 * mm, align: alignRight},
		{title: "低", w: 18 * mm, align: alignRight},
		{title: "計", w: 20 * mm, align: alignRight},
	}}).draw(d, rows)
	if total.other > 0 {
		b.note("※ 重要度が高・中・低のいずれでもない検出事項は「計」にのみ含めています。")
	}
}

// has reports whether the report prints the section.
func (b *builder) has(title string) bool {
	for _, sec := range b.plan {
		if sec.title == title {
			return true
		}
	}
	return false
}

// sectionRef names a section as "3. 対象者別の詳細" for cross references,
// or just its title when the section is switched off.
func (b *builder) sectionRef(title string) string {
	for i, sec := range b.plan {
		if sec.title == title {
			return fmt.Sprintf("%d. %s", i+1, title)
		}
	}
	return title
}

// usage is the optional per-account activity summary.
func (b *builder) usage() {
	b.h1(titleUsage, 60)
	b.note("点検期間中の職員ごとの操作件数です。職員マスタに登録された別のアカウント（端末のログオン名・メールアドレス）の操作は、その職員の行に合算しています。出力は出力・印刷の回数、出力件数は出力されたレコード数の合計、外部メールは役場・委託先以外への添付ファイル付きメールの数です。")
	b.d.y += 4
	us := append([]AccountUsage(nil), b.data.Usage...)
	sort.SliceStable(us, func(i, j int) bool { return us[i].StaffID < us[j].StaffID })
	var rows []row
	var t AccountUsage
	quiet := 0
	for _, u := range us {
		if u.Logons+u.Lookups+u.Updates+u.Exports+u.ExportedRecords+u.DeviceWrites+u.ExternalMails == 0 {
			quiet++
			continue
		}
		rows = append(rows, row{cells: []string{
			oneLine(u.StaffID), b.staffLabel(u.StaffID),
			num(u.Logons), num(u.Lookups), num(u.Updates), num(u.Exports), num(u.ExportedRecords), num(u.DeviceWrites), num(u.ExternalMails),
		}})
		t.Logons += u.Logons
		t.Lookups += u.Lookups
		t.Updates += u.Updates
		t.Exports += u.Exports
		t.ExportedRecords += u.ExportedRecords
		t.DeviceWrites += u.DeviceWrites
		t.ExternalMails += u.ExternalMails
	}
	rows = append(rows, row{shade: true, cells: []string{"合計", "", num(t.Logons), num(t.Lookups), num(t.Updates), num(t.Exports), num(t.ExportedRecords), num(t.DeviceWrites), num(t.ExternalMails)}})
	n := func(title string, w float64) column { return column{title: title, w: w, align: alignRight} }
	(&table{size: 8.5, cols: []column{
		{title: "職員ID", w: 22 * mm},
		{title: "氏名・所属"},
		n("ログオン", 15*mm), n("照会", 15*mm), n("更新", 15*mm), n("出力", 13*mm),
		n("出力件数", 17*mm), n("媒体書込", 15*mm), n("外部メール", 19*mm),
	}, cont: "アカウント別利用状況のつづき"}).draw(b.d, rows)
	if quiet > 0 {
		b.d.y += 3
		b.note(fmt.Sprintf("このほか、上の操作の記録がないアカウントが %d 件あります（ファイル操作・メール送信のみ等）。", quiet))
	}
}

// findingsList lists every finding, grouped by rule: a sub-heading per
// rule with its 根拠, then a table of its findings.
func (b *builder) findingsList() {
	d := b.d
	b.h1(titleFindings, 190) // with the note, the first rule's heading and rows
	if len(b.list) == 0 {
		b.body("該当なし。" + noFindingsSentence)
		return
	}
	listNote := "点検項目（規則）ごとに、重要度の高い順、同じ重要度の中では日付順に掲載しています。"
	if b.has(titleDetails) {
		listNote += fmt.Sprintf("No. は「%s」の番号と対応します。", b.sectionRef(titleDetails))
	}
	b.note(listNote)
	d.y += 2
	for start := 0; start < len(b.list); {
		rule := b.list[start].f.Rule
		end := start
		for end < len(b.list) && b.list[end].f.Rule == rule {
			end++
		}
		head := fmt.Sprintf("%s（%s）　%s 件", b.ruleName(rule), oneLine(rule), num(int64(end-start)))
		if bs := b.basisOf(rule); bs != "—" {
			head += "　根拠 " + bs
		}
		b.h2(head, 95) // the heading, the table's header and two rows
		var rows []row
		for _, n := range b.list[start:end] {
			f := n.f
			detail := b.free(f.Detail)
			if f.Excluded {
				detail = "【除外】" + detail
			}
			rows = append(rows, row{cells: []string{
				strconv.Itoa(n.no),
				oneLine(f.StaffID),
				b.staffLabel(f.StaffID),
				b.dayLabelBroken(f.Date),
				domain.SeverityLabel(f.Severity),
				num(int64(f.Count)),
				b.reviewOf(f).Status.Label(),
				detail,
			}})
		}
		(&table{size: 8.5, cont: fmt.Sprintf("%s（%s）のつづき", b.ruleName(rule), oneLine(rule)), cols: []column{
			{title: "No.", w: 9 * mm, align: alignRight},
			{title: "職員ID", w: 18 * mm},
			{title: "氏名・所属", w: 26 * mm},
			{title: "日付", w: 21 * mm},
			{title: "重要度", w: 11 * mm, align: alignCenter},
			{title: "件数", w: 11 * mm, align: alignRight},
			{title: "確認状況", w: 20 * mm, align: alignCenter},
			{title: "内容（全文は個票）", maxLines: 3},
		}}).draw(d, rows)
		start = end
	}
}

// reviewOf returns the review of a finding; the zero Review (未確認) when
// none was recorded.
func (b *builder) reviewOf(f domain.Finding) domain.Review {
	return b.data.Reviews[domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date}]
}

// basisOf is the guideline clause a rule serves, or a dash.
func (b *builder) basisOf(rule string) string {
	if r, ok := b.rules[rule]; ok {
		if bs := strings.TrimSpace(oneLine(r.Basis)); bs != "" {
			return bs
		}
	}
	return "—"
}

// staffGroup is one staff member's findings for the per-staff sheets.
type staffGroup struct {
	id    string
	items []numbered
	sev   severityCounts
	count int
}

// groups orders the staff for the per-staff sheets: the caller's ranking
// first, then the rest by the severity of their findings.
func (b *builder) groups() []*staffGroup {
	byID := map[string]*staffGroup{}
	var all []*staffGroup
	for _, n := range b.list {
		g, ok := byID[n.f.StaffID]
		if !ok {
			g = &staffGroup{id: n.f.StaffID}
			byID[n.f.StaffID] = g
			all = append(all, g)
		}
		g.items = append(g.items, n)
		if !n.f.Excluded {
			g.sev.add(n.f.Severity)
		}
		g.count += n.f.Count
	}
	rank := map[string]int{}
	for i, id := range b.data.StaffOrder {
		if _, ok := rank[id]; !ok {
			rank[id] = i
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, c := all[i], all[j]
		ra, oka := rank[a.id]
		rc, okc := rank[c.id]
		if oka != okc {
			return oka
		}
		if oka && ra != rc {
			return ra < rc
		}
		if a.sev.high != c.sev.high {
			return a.sev.high > c.sev.high
		}
		if a.sev.medium != c.sev.medium {
			return a.sev.medium > c.sev.medium
		}
		if a.sev.low != c.sev.low {
			return a.sev.low > c.sev.low
		}
		if a.count != c.count {
			return a.count > c.count
		}
		return a.id < c.id
	})
	// Within a sheet, findings run by day so the story reads in order.
	for _, g := range all {
		sort.SliceStable(g.items, func(i, j int) bool {
			if g.items[i].f.Date != g.items[j].f.Date {
				return g.items[i].f.Date < g.items[j].f.Date
			}
			return g.items[i].no < g.items[j].no
		})
	}
	return all
}

// actionLabels are the Japanese names of the canonical actions.
var actionLabels = map[domain.Action]string{
	domain.ActionLookup:        "照会",
	domain.ActionUpdate:        "更新",
	domain.ActionExport:        "出力",
	domain.ActionLogin:         "ログイン",
	domain.ActionLogout:        "ログアウト",
	domain.ActionLoginFail:     "ログイン失敗",
	domain.ActionDeviceWrite:   "媒体書込",
	domain.ActionDeviceConnect: "媒体接続",
	domain.ActionOther:         "その他",
}

// actionText shows the action as the log wrote it, else its canonical name.
func actionText(e domain.Event) string {
	if s := strings.TrimSpace(oneLine(e.RawAction)); s != "" {
		return s
	}
	if s, ok := actionLabels[e.Action]; ok {
		return s
	}
	return string(e.Action)
}

// eventWhat summarises the function and objects of an event.
func (b *builder) eventWhat(e domain.Event) string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(oneLine(s)); s != "" {
			parts = append(parts, b.mask.Apply(s))
		}
	}
	add(e.Function)
	if e.Records > 0 {
		parts = append(parts, num(e.Records)+" 件")
	}
	add(e.Device)
	add(e.File)
	if to := strings.TrimSpace(e.MailTo); to != "" {
		if b.mask != nil {
			to = privacy.MaskMail(to)
		}
		add("宛先 " + to)
	}
	add(e.Result)
	return strings.Join(parts, "／")
}

// details is the per-staff section: one sheet per staff member with
// findings, with evidence rows and space for the interview.
func (b *builder) details() {
	d := b.d
	groups := b.groups()
	if len(groups) == 0 {
		b.h1(titleDetails, 40)
		b.body("該当なし。ヒアリングの対象となる職員はいません。")
		return
	}
	// The sheets are handed to whoever holds the interviews, so each one
	// starts on a page of its own, and so does the section after them.
	d.freshPage()
	b.h1(titleDetails, 80)
	b.body(fmt.Sprintf("検出事項のあった職員ごとに、検出事項と根拠となるログ（各検出事項につき最大 %d 件）を示します。ヒアリングの結果は各票の記入欄に記録してください。", b.limit))
	for i, g := range groups {
		if i > 0 {
			d.newPage()
		}
		b.staffSheet(g)
	}
	d.freshPage()
}

// staffSheet renders one staff member's sheet.
func (b *builder) staffSheet(g *staffGroup) {
	d := b.d
	name, ok := b.staffName(g.id)
	if !ok {
		name = notInMaster
	}
	head := "職員ID " + oneLine(g.id) + "　" + oneLine(name)
	if dept := b.staffDept(g.id); dept != "" {
		head += "（" + oneLine(dept) + "）"
	}
	b.h2(head, 90)
	summary := fmt.Sprintf("検出事項 %d 件（高 %d 件・中 %d 件・低 %d 件）、該当するログ %s 件",
		g.sev.total(), g.sev.high, g.sev.medium, g.sev.low, num(int64(g.count)))
	if ex := len(g.items) - g.sev.total(); ex > 0 {
		summary += fmt.Sprintf("。このほか除外対象の検出事項 %d 件", ex)
	}
	b.d.para(summary, 9.5, 15, 0, darkGrey)
	d.y += 4

	for _, n := range g.items {
		b.findingBlock(n)
	}
	b.hearingBox(head)
}

// findingBlock renders one finding on a staff sheet: a shaded heading,
// the explanation and the evidence table.
func (b *builder) findingBlock(n numbered) {
	d, f := b.d, n.f
	head := fmt.Sprintf("No.%d　%s　%s　重要度：%s　該当 %s 件　確認：%s", n.no, b.dayLabel(f.Date), b.ruleName(f.Rule), domain.SeverityLabel(f.Severity), num(int64(f.Count)), b.reviewOf(f).Status.Label())
	if f.Excluded {
		head += "　【除外】"
	}
	detail := b.free(f.Detail)
	if strings.TrimSpace(detail) == "" {
		detail = "（説明なし）"
	}
	d.gap(8)
	d.ensure(110) // heading, explanation and the first evidence rows together
	rows0 := []row{
		{shade: true, cells: []string{head}},
		{cells: []string{detail}},
	}
	if rv := b.reviewOf(f); strings.TrimSpace(rv.Comment) != "" {
		rows0 = append(rows0, row{cells: []string{"確認結果（" + rv.Status.Label() + "）：" + b.free(rv.Comment) + b.reviewSign(rv)}})
	}
	(&table{size: 9, noHdr: true, cols: []column{{}}}).draw(d, rows0)
	d.y += 3

	ev := f.Evidence
	total := max(f.Count, len(ev))
	if len(ev) == 0 {
		b.note("（根拠となるログ行は記録されていません。エクスポート（xlsx）の「証跡」シートを参照してください。）")
		return
	}
	shown := ev[:min(len(ev), b.limit)]
	rows := make([]row, 0, len(shown))
	for _, e := range shown {
		rows = append(rows, row{cells: []string{
			// The year is in the finding's heading; month and day stay
			// because evidence can span days (繰り返し照会).
			evidenceTime(e.Time),
			oneLine(e.System),
			oneLine(e.Terminal),
			actionText(e),
			b.eventWhat(e),
			b.subject(e.SubjectID),
		}})
	}
	(&table{size: 8, cont: fmt.Sprintf("No.%d（%s）の根拠ログのつづき　職員ID %s", n.no, b.ruleName(f.Rule), oneLine(f.StaffID)), cols: []column{
		{title: "日時", w: 26 * mm},
		{title: "システム", w: 20 * mm},
		{title: "端末", w: 21 * mm},
		{title: "操作", w: 17 * mm},
		{title: "機能・内容"},
		{title: "宛名番号", w: 17 * mm},
	}}).draw(d, rows)
	if rest := total - len(shown); rest > 0 {
		d.y += 3
		b.d.para(fmt.Sprintf("ほか %s 件（エクスポートを参照）。全件はエクスポート（xlsx）の「証跡」シートにあります。", num(int64(rest))), 8.5, 13, 0, midGrey)
	}
}

// evidenceTime is an evidence row's time without the year: 06/03 18:42:11.
func evidenceTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("01/02 15:04:05")
}

// hearingBox draws the space for the interview result and the signature.
func (b *builder) hearingBox(who string) {
	d := b.d
	const (
		headH = 18.0
		boxH  = 120.0
		rowH  = 24.0
	)
	d.gap(12)
	d.ensure(headH + boxH + 2*rowH + 8)
	x, w := left, contentW
	y := d.y
	d.fillRect(x, y, w, headH, headFill)
	d.text(x+padX+2, y, headH, fitText(d.measure(10), "ヒアリング結果　"+who, w-2*padX-4), 10, black)
	// Faint guide lines to write on.
	for ly := y + headH + 24; ly < y+headH+boxH-4; ly += 24 {
		d.line(x+8, ly, x+w-8, ly, 0.3, rgb{205, 205, 205})
	}
	y += headH + boxH
	d.text(x+padX+2, y, rowH, "判定：　□ 問題なし　　□ 不適切確定　　□ 継続して確認（要ヒアリング）", 9.5, black)
	y += rowH
	lx := x + padX + 2
	d.text(lx, y, rowH, "確認者", 9.5, black)
	d.line(lx+36, y+rowH-5, lx+210, y+rowH-5, 0.5, darkGrey)
	dx := lx + 240
	d.text(dx, y, rowH, "確認日", 9.5, black)
	d.text(dx+44, y, rowH, "　　　　年　　　月　　　日", 9.5, black)
	d.line(dx+36, y+rowH-5, x+w-8, y+rowH-5, 0.5, darkGrey)
	y += rowH
	// Frame and the rule under the heading.
	d.strokeRect(x, d.y, w, y-d.y+4, 0.6, darkGrey)
	d.line(x, d.y+headH, x+w, d.y+headH, 0.4, ruleGrey)
	d.line(x, d.y+headH+boxH, x+w, d.y+headH+boxH, 0.4, ruleGrey)
	d.y = y + 4
}

// conditions is the section on how the inspection was configured.
func (b *builder) conditions() {
	d, data := b.d, b.data
	b.h1(titleConditions, 60)
	b.h2("勤務時間・閉庁日・マスタ", 40)
	ws, we := data.WorkStart, data.WorkEnd
	if ws == "" {
		ws = domain.DefaultWorkStart
	}
	if we == "" {
		we = domain.DefaultWorkEnd
	}
	cal := data.CalendarNote
	if strings.TrimSpace(cal) == "" {
		cal = defaultCalendarNote
	}
	maskText := "マスクして表示（先頭の一部のみ表示）"
	if b.mask == nil {
		maskText = "マスクせずに表示"
	}
	condRows := []row{
		{cells: []string{"点検期間", b.period(data.From, data.To)}},
		{cells: []string{"勤務時間", oneLine(ws) + "〜" + oneLine(we)}},
		{cells: []string{"閉庁日", cal}},
		{cells: []string{"使用したマスタ", orUnset(data.MasterInfo)}},
		{cells: []string{"宛名番号の表示", maskText}},
	}
	for _, kv := range data.Conditions {
		if strings.TrimSpace(kv[1]) != "" {
			condRows = append(condRows, row{cells: []string{oneLine(kv[0]), clean(kv[1])}})
		}
	}
	retention := data.RetentionYears
	if retention <= 0 {
		retention = DefaultRetentionYears
	}
	era := "西暦（括弧内に和暦）"
	if wareki(data.Era) {
		era = "和暦（括弧内に西暦）"
	}
	keep := fmt.Sprintf("%d 年", retention)
	if b.has(titleCoverage) {
		keep += fmt.Sprintf("（「%s」で確認）", b.sectionRef(titleCoverage))
	}
	condRows = append(condRows,
		row{cells: []string{"ログの保存期間", keep}},
		row{cells: []string{"日付の表記", era}},
	)
	(&table{size: bodySize, noHdr: true, cols: []column{{w: 32 * mm, shade: true}, {}}}).draw(d, condRows)

	b.h2("点検項目としきい値", 50)
	if len(data.Rules) == 0 {
		b.body("点検項目の情報がありません。")
	} else {
		var rows []row
		for i, r := range data.Rules {
			ran := "実施"
			if !r.Enabled {
				ran = "未実施"
			}
			th := strings.TrimSpace(r.Threshold)
			if th == "" {
				th = "—"
			}
			rows = append(rows, row{cells: []string{strconv.Itoa(i + 1), b.ruleName(r.ID) + "\n" + oneLine(r.ID), th, b.basisOf(r.ID), ran}})
		}
		(&table{size: 9, cont: "点検項目としきい値のつづき", cols: []column{
			{title: "No.", w: 10 * mm, align: alignRight},
			{title: "点検項目・規則ID", w: 52 * mm},
			{title: "しきい値"},
			{title: "根拠", w: 20 * mm, align: alignCenter},
			{title: "実施", w: 14 * mm, align: alignCenter},
		}}).draw(d, rows)
	}

}

// exclusions lists every exclusion with its reason, who approved it and
// when, withdrawn ones included. It cannot be switched off: whoever runs
// the inspection must not be able to remove someone from its scope
// quietly.
func (b *builder) exclusions() {
	d, data := b.d, b.data
	b.h1(titleExclusions, 50)
	if len(data.Exclusions) == 0 {
		b.body("点検の対象から除外した職員・アカウントはありません。")
		return
	}
	b.note("次の職員・アカウント・検出事項を点検の対象から除外しました。除外した職員の検出事項も一覧に「除外」と表示して掲載しています。取り消した除外も記録として掲載します。")
	d.y += 4
	var rows []row
	active := 0
	for i, e := range data.Exclusions {
		at := "—"
		if !e.At.IsZero() {
			at = shortDateTime(data.Era, e.At)
		}
		target := oneLine(e.StaffID)
		switch e.Kind {
		case domain.ExcludeAccount:
			target += "\n（アカウント）"
		case domain.ExcludeFinding:
			if e.Finding != nil {
				target = oneLine(e.Finding.StaffID) + "\n" + b.ruleName(e.Finding.Rule) + "\n" + b.dayLabel(e.Finding.Date)
			}
		}
		state := "有効"
		if !e.Revoked.IsZero() {
			state = "取消\n" + shortDate(data.Era, e.Revoked)
		} else {
			active++
		}
		rows = append(rows, row{cells: []string{strconv.Itoa(i + 1), target, b.staffLabel(e.StaffID), orUnset(b.free(e.Reason)), orUnset(oneLine(e.By)), at, state}})
	}
	(&table{size: 9, cont: "除外のつづき", cols: []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "対象", w: 26 * mm},
		{title: "氏名・所属", w: 26 * mm},
		{title: "理由"},
		{title: "承認者", w: 22 * mm},
		{title: "登録日時", w: 24 * mm},
		{title: "状態", w: 17 * mm, align: alignCenter},
	}}).draw(d, rows)
	d.y += 3
	b.note(fmt.Sprintf("有効な除外 %d 件、取り消した除外 %d 件。", active, len(data.Exclusions)-active))
	for i, e := range data.Exclusions {
		for _, c := range e.Concerns {
			d.y += 2
			b.d.para(fmt.Sprintf("注意（No.%d）：%s", i+1, b.free(c)), 9.5, 15, 0, black)
		}
	}
}

// concerned counts the exclusions with concerns.
func concerned(xs []Exclusion) int {
	n := 0
	for _, e := range xs {
		if len(e.Concerns) > 0 {
			n++
		}
	}
	return n
}

// imports is the import record: what was read from which file, with the
// files' SHA-256 so that an inspector can check the logs were not altered.
func (b *builder) imports() {
	d, data := b.d, b.data
	b.h1(titleImports, 60)
	if len(data.Batches) == 0 {
		b.body("取り込んだファイルはありません。")
		return
	}
	var rows []row
	var read, acc, rej, dup int64
	for i, bt := range data.Batches {
		rows = append(rows, row{cells: []string{
			strconv.Itoa(i + 1), oneLine(bt.File), orDash(oneLine(bt.System)), orDash(oneLine(bt.Encoding)),
			num(int64(bt.Read)), num(int64(bt.Accepted)), num(int64(bt.Rejected)), num(int64(bt.Duplicate)),
		}})
		read += int64(bt.Read)
		acc += int64(bt.Accepted)
		rej += int64(bt.Rejected)
		dup += int64(bt.Duplicate)
	}
	rows = append(rows, row{shade: true, cells: []string{"", "合計", "", "", num(read), num(acc), num(rej), num(dup)}})
	n := func(title string, w float64) column { return column{title: title, w: w, align: alignRight} }
	(&table{size: 8.5, cols: []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "ファイル名"},
		{title: "システム", w: 22 * mm},
		{title: "文字コード", w: 20 * mm},
		n("読込", 19*mm), n("取込", 19*mm), n("取込不可", 17*mm), n("重複", 14*mm),
	}}).draw(d, rows)
	d.y += 4
	b.note("読込：ファイルから読み込んだ行数、取込：点検に用いた行数、取込不可：形式の誤り等により取り込まなかった行数（理由は tenken rejects で確認できます）、重複：取込済みの行と同一のため取り込まなかった行数。")

	b.h2("ファイルのハッシュ値（SHA-256）とログの期間", 60)
	b.note("No. は上の表の番号です。ハッシュ値は取込時に計算したもので、ファイルが改変されていないことの確認に用います。")
	d.y += 4
	// The hash column is made wide enough for 64 hex digits on one line
	// at 7 pt; on a narrower page the digits would wrap, never overflow.
	hashW := 64*d.width("0", 7) + 2*padX + 1
	rows = rows[:0]
	for i, bt := range data.Batches {
		span := "—"
		if !bt.MinTime.IsZero() && !bt.MaxTime.IsZero() {
			span = minuteText(bt.MinTime) + "〜\n" + minuteText(bt.MaxTime)
		}
		at := "—"
		if !bt.ImportedAt.IsZero() {
			at = bt.ImportedAt.Format("2006/01/02") + "\n" + bt.ImportedAt.Format("15:04")
		}
		rows = append(rows, row{cells: []string{strconv.Itoa(i + 1), at, span, orDash(strings.ToLower(oneLine(bt.SHA256)))}})
	}
	(&table{size: 8.5, cols: []column{
		{title: "No.", w: 9 * mm, align: alignRight},
		{title: "取込日時"},
		{title: "ログの期間", w: 34 * mm},
		{title: "SHA-256", w: hashW, size: 7},
	}}).draw(d, rows)
}

// orDash shows an empty value as a dash.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// appendix explains every rule in plain Japanese.
func (b *builder) appendix() {
	d, data := b.d, b.data
	d.freshPage()
	d.heading1(titleAppendix, 60)
	if len(data.Rules) == 0 {
		b.body("点検項目の情報がありません。")
		return
	}
	b.body("本報告書で用いた点検項目（規則）の内容を説明します。")
	for i, r := range data.Rules {
		d.gap(8)
		d.ensure(60)
		head := fmt.Sprintf("（%d）%s（%s）", i+1, b.ruleName(r.ID), oneLine(r.ID))
		d.para(head, 10.5, 18, 0, black)
		desc := strings.TrimSpace(r.Description)
		if desc == "" {
			desc = "（説明なし）"
		}
		d.para(desc, bodySize, bodyLead, 1*bodySize, black)
		var facts []string
		if th := strings.TrimSpace(r.Threshold); th != "" {
			facts = append(facts, "しきい値："+th)
		}
		if bs := strings.TrimSpace(r.Basis); bs != "" {
			facts = append(facts, "根拠："+bs)
		}
		if r.Enabled {
			facts = append(facts, "今回の点検：実施")
		} else {
			facts = append(facts, "今回の点検：未実施")
		}
		d.para(strings.Join(facts, " ／ "), 9, 15, 1*bodySize, midGrey)
	}
}
