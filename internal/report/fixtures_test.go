package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"tenken/internal/domain"
)

// testRules are the rules of DOMAIN.md with plain-Japanese explanations, as
// the rules package would describe them.
var testRules = []RuleInfo{
	{ID: "AFTER_HOURS", Name: "時間外アクセス", Threshold: "8:30〜17:15 以外（時間外申請のあるものを除く）", Basis: "別添1 2Cb・2Fc", Enabled: true,
		Description: "勤務時間外に個人情報を扱うシステムを利用した記録を抽出します。承認済みの時間外勤務申請がある時間帯の利用は対象外です。"},
	{ID: "HOLIDAY", Name: "閉庁日のアクセス", Threshold: "土日・祝日・年末年始", Basis: "別添1 2Cb・2Fc", Enabled: true,
		Description: "土曜日、日曜日、国民の祝日及び年末年始（12月29日〜1月3日）の利用を抽出します。"},
	{ID: "UNAUTHORIZED_SYSTEM", Name: "権限外システムの利用", Basis: "別添1 2Fa", Enabled: true,
		Description: "権限マスタで認められていないシステムの利用や、認められていない操作（出力など）を抽出します。"},
	{ID: "RETIRED_ID", Name: "退職・異動者IDの利用", Basis: "別添1 2Fb", Enabled: true,
		Description: "離任日より後、または着任日より前に、その職員のIDが使われた記録を抽出します。"},
	{ID: "UNKNOWN_ID", Name: "職員マスタに無いID", Basis: "別添1 2Fb", Enabled: true,
		Description: "職員マスタに登録されていないID（いわゆる野良アカウント）による利用を抽出します。"},
	{ID: "WATCHLIST", Name: "要注意対象者の照会", Basis: "別添1 2Fa", Enabled: true,
		Description: "DV等支援措置の対象者など、閲覧できる所属が限られている住民の情報を、それ以外の所属の職員が照会した記録を抽出します。"},
	{ID: "SELF_LOOKUP", Name: "本人・家族情報の照会", Enabled: true,
		Description: "職員が自分自身（または家族）の宛名番号を照会した記録を抽出します。"},
	{ID: "BULK_LOOKUP", Name: "大量照会", Threshold: "1日50人以上かつ平常時の3倍以上", Enabled: true,
		Description: "1日のうちに多数の住民を照会した記録を、その職員及び所属の平常時の件数と比べて抽出します。"},
	{ID: "BULK_EXPORT", Name: "大量出力", Threshold: "1回1,000件以上", Enabled: true,
		Description: "一度に多くの件数を出力した記録、または出力を繰り返した記録を抽出します。"},
	{ID: "REPEATED_SUBJECT", Name: "同一住民の繰り返し照会", Threshold: "期間中3日以上", Enabled: true,
		Description: "同じ住民の情報を、更新を伴わずに何日にもわたって照会した記録を抽出します。興味本位の閲覧の兆候です。"},
	{ID: "LOGIN_FAILURE", Name: "ログイン失敗の多発", Threshold: "10分間に5回以上", Enabled: true,
		Description: "短時間に繰り返されたログイン失敗を抽出します。"},
	{ID: "SHARED_ID", Name: "IDの共用の疑い", Enabled: true,
		Description: "同じIDが同時刻に複数の端末で使われた記録や、ログアウトのないまま終日使われた記録を抽出します。"},
	{ID: "DEVICE_WRITE", Name: "外部媒体への書込み", Enabled: true,
		Description: "外部媒体の利用を認められていない職員による書込み、または時間外の書込みを抽出します。"},
	{ID: "EXPORT_THEN_DEVICE", Name: "出力後の持ち出しの疑い", Threshold: "60分以内", Enabled: false,
		Description: "出力の直後に同じ職員が外部媒体へ書き込んだ、または添付ファイル付きの外部メールを送った記録を抽出します。"},
	{ID: "MAIL_EXTERNAL", Name: "外部への添付メール", Enabled: false,
		Description: "町のドメイン以外の宛先への添付ファイル付きメールを抽出します。フリーメールや個人のアドレスは重要度を高くします。"},
	{ID: "LOG_GAP", Name: "ログの欠損・改ざんの兆候", Enabled: true,
		Description: "勤務日にログが一件も無い、または時刻や連番が逆行しているなど、ログの欠損や改ざんの兆候を抽出します。"},
}

var (
	familyNames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本"}
	givenNames  = []string{"太郎", "花子", "一郎", "美咲", "健太", "由美", "翔太", "陽子", "大輔", "恵子", "直樹", "真由美"}
	depts       = []string{"住民課", "税務課", "福祉課", "健康保険課", "子育て支援課", "総務課", "選挙管理委員会事務局"}
	systems     = []string{"住民記録", "住民税", "固定資産税", "国保", "介護保険", "福祉総合", "資産管理"}
)

// testSubject is the 宛名番号 of test resident i: eight digits.
func testSubject(i int) string { return fmt.Sprintf("%08d", 31400000+i*7) }

// testData builds an inspection with nFindings findings spread over nStaff
// staff members, long Japanese explanations and evidence rows, some of
// them over the evidence cap. It is deterministic.
func testData(nFindings, nStaff int) Data {
	rng := rand.New(rand.NewPCG(7, 11))
	d := Data{
		Town:         "山里町",
		Department:   "総務課 情報政策係",
		Author:       "山田 花子",
		Kind:         "月次点検",
		From:         time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		To:           time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC),
		CreatedAt:    time.Date(2025, 7, 3, 10, 15, 0, 0, time.UTC),
		WorkStart:    "08:30",
		WorkEnd:      "17:15",
		CalendarNote: "土日・国民の祝日（祝日法により算出）・年末年始（12/29〜1/3）",
		MasterInfo:   "職員マスタ 102名（staff.csv、取込 2025-06-01）／権限マスタ 240件（grants.csv、取込 2025-06-01）",
		Rules:        testRules,
		StaffNames:   map[string]string{},
		StaffDepts:   map[string]string{},
	}
	for i := 0; i < nStaff; i++ {
		id := fmt.Sprintf("S%05d", 1001+i*13)
		if i%9 == 8 {
			continue // not in the master: shows （マスタに無し）
		}
		d.StaffNames[id] = familyNames[i%len(familyNames)] + " " + givenNames[i%len(givenNames)]
		d.StaffDepts[id] = depts[i%len(depts)]
	}
	for i := 0; i < 5; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("batch %d", i)))
		d.Batches = append(d.Batches, domain.ImportBatch{
			ID:         int64(i + 1),
			File:       fmt.Sprintf("%s_アクセスログ_202506_%02d.csv", systems[i], i+1),
			SHA256:     hex.EncodeToString(sum[:]),
			Encoding:   []string{"Shift_JIS", "UTF-8", "UTF-8 (BOM)", "CP932", "UTF-16LE"}[i],
			System:     systems[i],
			Kind:       domain.KindAccess,
			Read:       120000 + i*3,
			Accepted:   119950 + i,
			Rejected:   40 + i,
			Duplicate:  10,
			ImportedAt: time.Date(2025, 7, 1, 9, 30+i, 0, 0, time.UTC),
			MinTime:    time.Date(2025, 6, 1, 0, 2, 0, 0, time.UTC),
			MaxTime:    time.Date(2025, 6, 30, 23, 58, 0, 0, time.UTC),
		})
	}
	var enabled []RuleInfo
	for _, r := range testRules {
		if r.Enabled {
			enabled = append(enabled, r)
		}
	}
	sev := []domain.Severity{domain.High, domain.Medium, domain.Medium, domain.Low, domain.Low}
	for i := 0; i < nFindings; i++ {
		staff := fmt.Sprintf("S%05d", 1001+(i*7%nStaff)*13)
		rule := enabled[rng.IntN(len(enabled))]
		day := d.From.AddDate(0, 0, rng.IntN(30))
		subj := testSubject(i)
		nev := 1 + rng.IntN(30)
		count := nev
		if i%5 == 0 {
			count += 40 // the store capped the evidence it kept
		}
		detail := fmt.Sprintf("%sに該当します。%s の 18時42分から22時10分にかけて、%sシステムで宛名番号 %s を含む住民の情報を合計 %d 件照会しました。"+
			"業務上の必要性（窓口対応・申請審査・税額更正など）が確認できないため、所属長を通じて本人に事情を確認してください。「時間外勤務命令簿」と照合し、必要に応じて端末の利用記録（資産管理ログ）も確認すること。",
			rule.Name, day.Format("1月2日"), systems[i%len(systems)], subj, count)
		f := domain.Finding{
			ID:       int64(i + 1),
			RunID:    1,
			Rule:     rule.ID,
			StaffID:  staff,
			Date:     day.Format("2006-01-02"),
			Severity: sev[i%len(sev)],
			Count:    count,
			Detail:   detail,
			Excluded: i == 17,
		}
		for j := 0; j < nev; j++ {
			f.Evidence = append(f.Evidence, domain.Event{
				Time:      day.Add(time.Duration(18*3600+j*97) * time.Second),
				StaffID:   staff,
				Terminal:  fmt.Sprintf("YMZ-PC%03d", i%60),
				System:    systems[(i+j)%len(systems)],
				Function:  []string{"個人照会（住民票）", "課税台帳照会", "CSV出力（世帯一覧）", "資格照会", "異動入力"}[j%5],
				Action:    []domain.Action{domain.ActionLookup, domain.ActionLookup, domain.ActionExport, domain.ActionLookup, domain.ActionUpdate}[j%5],
				RawAction: []string{"照会", "参照", "CSV出力", "検索", "更新"}[j%5],
				SubjectID: testSubject(i*31 + j),
				Records:   int64([]int{0, 0, 1250, 0, 1}[j%5]),
				Line:      100 + j,
			})
		}
		for j := 6; j < len(f.Evidence); j += 7 {
			f.Evidence[j].MailTo = fmt.Sprintf("staff%02d.home@gmail.com", i%40)
		}
		if j := len(f.Evidence); j > 0 {
			f.Evidence[0].SubjectID = subj // the resident named in the Detail
		}
		d.Findings = append(d.Findings, f)
	}
	if nFindings > 0 {
		for _, id := range allStaffIDs(d) {
			d.Usage = append(d.Usage, AccountUsage{StaffID: id, Logons: 40 + rng.Int64N(20), Lookups: 900 + rng.Int64N(4000), Updates: rng.Int64N(300),
				Exports: rng.Int64N(12), ExportedRecords: rng.Int64N(25000), DeviceWrites: rng.Int64N(3), ExternalMails: rng.Int64N(2)})
		}
	}
	d.Exclusions = []Exclusion{{StaffID: fmt.Sprintf("S%05d", 1001+(17*7%nStaff)*13), Reason: "システム保守作業用のため（委託業者による定期保守。作業報告書で確認済み）", By: "総務課長 鈴木 一郎", At: time.Date(2025, 6, 30, 16, 0, 0, 0, time.UTC)}}
	addLogStats(&d, rng)
	if nFindings > 0 {
		addReview(&d)
	}
	return d
}

// addLogStats fills the charts' and the coverage's inputs as the
// workspace would from the logs of the period.
func addLogStats(d *Data, rng *rand.Rand) {
	var h [7][24]int
	for wd := 0; wd < 7; wd++ {
		for hr := 0; hr < 24; hr++ {
			base := 0
			switch {
			case wd >= 1 && wd <= 5 && hr >= 8 && hr <= 17:
				base = 3000 + rng.IntN(9000)
			case wd >= 1 && wd <= 5 && (hr == 7 || hr >= 18 && hr <= 21):
				base = 20 + rng.IntN(400)
			case rng.IntN(4) == 0:
				base = rng.IntN(30)
			}
			h[wd][hr] = base
		}
	}
	d.Heatmap = &h
	for day := d.From; !day.After(d.To); day = day.AddDate(0, 0, 1) {
		c := DayCount{Day: day}
		switch day.Weekday() {
		case time.Saturday:
			c.Closed, c.Reason, c.Count = true, "土曜日", rng.IntN(3)*40
		case time.Sunday:
			c.Closed, c.Reason = true, "日曜日"
		default:
			c.Count = 15000 + rng.IntN(9000)
		}
		d.Daily = append(d.Daily, c)
	}
	d.RetentionYears = 7
	due := d.CreatedAt.AddDate(-7, 0, 0)
	for i, sys := range systems[:5] {
		c := SystemCoverage{
			System: sys, First: time.Date(2025, 4, 1, 8, 31, 0, 0, time.UTC), Last: time.Date(2025, 6, 30, 23, 58, 0, 0, time.UTC),
			Events: 119950 + int64(i), DaysWithLog: 30 - i, WorkingDays: 21, PeriodFrom: d.From, PeriodTo: d.To, RetentionDue: due,
		}
		if i == 0 {
			c.First = time.Date(2017, 4, 1, 9, 0, 0, 0, time.UTC)
		}
		for j := 0; j < i; j++ {
			c.MissingDays = append(c.MissingDays, time.Date(2025, 6, 2+j*7, 0, 0, 0, 0, time.UTC))
		}
		d.Coverage = append(d.Coverage, c)
	}
}

// addReview records review outcomes, their audit history and a ranking
// for some of d's findings.
func addReview(d *Data) {
	d.Reviews = map[domain.FindingKey]domain.Review{}
	statuses := []domain.ReviewStatus{domain.StatusNoIssue, domain.StatusInterview, domain.StatusConfirmed, domain.StatusOpen}
	seq := int64(0)
	for i, f := range d.Findings {
		if i%3 != 0 {
			continue
		}
		st := statuses[(i/3)%len(statuses)]
		key := domain.FindingKey{Rule: f.Rule, StaffID: f.StaffID, Date: f.Date}
		at := time.Date(2025, 7, 4, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		comment := ""
		if st.Closing() {
			comment = fmt.Sprintf("所属長同席で本人に確認（宛名番号 %s の照会について説明を受けた）。", f.Evidence[0].SubjectID)
		}
		d.Reviews[key] = domain.Review{Key: key, Status: st, Comment: comment, By: "情報政策係 山田", At: at}
		if i < 60 {
			seq++
			d.History = append(d.History, domain.AuditEntry{Seq: seq, At: at, User: "情報政策係 山田", Action: "review.set",
				Target: f.Rule + "/" + f.StaffID + "/" + f.Date, Before: `{"status":""}`,
				After: fmt.Sprintf(`{"status":%q,"comment":%q}`, string(st), comment)})
		}
	}
	for i, id := range allStaffIDs(*d) {
		d.Ranking = append(d.Ranking, domain.RankEntry{StaffID: id, Score: float64(100 - i), Rank: i + 1, Findings: 3,
			Reasons: []string{"時間外の出力（高）3件", "閉庁日の利用 2件", "大量照会 1件", "同一住民の繰り返し照会 1件"}})
	}
}

// zeroData is an inspection that found nothing.
func zeroData() Data {
	d := testData(0, 10)
	d.Exclusions = nil
	return d
}

// allStaffIDs returns the staff IDs of d's findings.
func allStaffIDs(d Data) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range d.Findings {
		if !seen[f.StaffID] {
			seen[f.StaffID] = true
			out = append(out, f.StaffID)
		}
	}
	return out
}

// allSubjects returns every resident identifier in d's evidence.
func allSubjects(d Data) []string {
	var out []string
	for _, f := range d.Findings {
		for _, e := range f.Evidence {
			out = append(out, e.SubjectID)
		}
	}
	return out
}
