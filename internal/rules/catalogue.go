package rules

// Rule IDs (DOMAIN.md, "Rules"). They are stable: tests, exports and saved
// configurations refer to them.
const (
	AfterHours         = "AFTER_HOURS"
	Holiday            = "HOLIDAY"
	UnauthorizedSystem = "UNAUTHORIZED_SYSTEM"
	RetiredID          = "RETIRED_ID"
	UnknownID          = "UNKNOWN_ID"
	Watchlist          = "WATCHLIST"
	SelfLookup         = "SELF_LOOKUP"
	BulkLookup         = "BULK_LOOKUP"
	BulkExport         = "BULK_EXPORT"
	RepeatedSubject    = "REPEATED_SUBJECT"
	LoginFailure       = "LOGIN_FAILURE"
	SharedID           = "SHARED_ID"
	DeviceWrite        = "DEVICE_WRITE"
	ExportThenDevice   = "EXPORT_THEN_DEVICE"
	MailExternal       = "MAIL_EXTERNAL"
	LogGap             = "LOG_GAP"
)

// Info describes a rule for the hearing sheet, the report's rule
// explanations and the command line. Name, Description and Threshold are
// Japanese and written for a town clerk, not a security specialist.
type Info struct {
	ID          string
	Name        string
	Description string
	// Threshold is the default limit or condition, "" when the rule has none.
	Threshold string
	// Basis names the clauses of 別添1 of the PPC guideline the rule serves
	// (e.g. "2Fa"), so an inspector sees what the check answers.
	Basis string
	// Implemented is false for rules of the catalogue this version does not
	// run yet; the report must not claim they were checked.
	Implemented bool
}

// catalogue lists every rule of DOMAIN.md in the order findings of the same
// severity, staff and date are sorted, and the report presents them.
var catalogue = []Info{
	{
		ID:          AfterHours,
		Name:        "勤務時間外の利用",
		Description: "勤務時間（始業から終業まで）の外に行われた操作を、職員ごと・日ごとにまとめて示します。承認された時間外勤務の申請の時間帯に入る操作は除きます。データの出力（印刷・CSV出力など）を含む日や、深夜（22時から翌朝5時まで）の操作がある日は重要度を「高」とします。",
		Threshold:   "勤務時間 8:30〜17:15（ヒアリングシートで変更できます）",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          Holiday,
		Name:        "閉庁日の利用",
		Description: "土曜日・日曜日・祝日・年末年始（12月29日〜1月3日）など、役場が閉まっている日の操作を示します。どの閉庁日か（例：土曜日、振替休日）も記載します。承認された休日勤務の時間帯の操作は除きます。データの出力を含む日は重要度を「高」とします。",
		Threshold:   "土曜日・日曜日・祝日・12月29日〜1月3日、町独自の閉庁日",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          UnauthorizedSystem,
		Name:        "権限外のシステム利用",
		Description: "権限マスタや職員マスタで利用を認められていないシステムを使った操作と、認められていない種類の操作（例：照会だけ認められている職員による出力）を示します。権限は、その日に有効なものだけを数えます。",
		Basis:       "2Fa",
		Implemented: true,
	},
	{
		ID:          RetiredID,
		Name:        "離任者・着任前のIDの利用",
		Description: "退職・異動などで離任した日より後、または着任日より前に、その職員のIDで行われた操作を示します。IDの削除漏れや、他人による使用（なりすまし）のおそれがあります。",
		Basis:       "2Fb",
		Implemented: true,
	},
	{
		ID:          UnknownID,
		Name:        "職員マスタにないIDの利用",
		Description: "職員マスタに載っていないIDによる操作を示します（いわゆる野良アカウント）。保守業者のID、試験用のID、登録漏れなどが考えられます。だれが使ったのかを確かめてください。",
		Basis:       "2Fb",
		Implemented: true,
	},
	{
		ID:          Watchlist,
		Name:        "要注意対象者の閲覧",
		Description: "DV等支援措置の対象者など特に注意が必要な住民の情報を、閲覧を認められた所属以外の職員が照会した操作を示します。",
		Basis:       "2Fa・2Fc",
		Implemented: true,
	},
	{
		ID:          SelfLookup,
		Name:        "本人・家族の情報の照会",
		Description: "職員が自分自身の（わかる場合は家族の）住民情報を業務システムで照会した操作を示します。",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          BulkLookup,
		Name:        "大量の照会",
		Description: "1人の職員が1日に照会した住民の人数が、その職員や所属のふだんの人数よりも大幅に多い日を示します。",
		Threshold:   "1日50人以上、かつふだんの3倍以上",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          BulkExport,
		Name:        "大量の出力",
		Description: "一度に多くの件数を出力（印刷・CSV出力など）した操作や、出力の回数が多い日を示します。",
		Threshold:   "1回1,000件以上",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          RepeatedSubject,
		Name:        "同じ住民の繰り返し照会",
		Description: "同じ住民の情報を、更新などの手続きがないまま何日にもわたって照会している場合を示します。興味本位の閲覧やつきまといの兆しであることがあります。",
		Threshold:   "点検期間中3日以上",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          LoginFailure,
		Name:        "ログイン失敗の多発",
		Description: "短い時間にログインの失敗が続いた場合を示します。他人のIDやパスワードを試したおそれがあります。",
		Threshold:   "10分間に5回以上",
		Basis:       "2Fb・2Fc",
		Implemented: true,
	},
	{
		ID:          SharedID,
		Name:        "IDの共用の疑い",
		Description: "同じIDが同じ時間帯に2台以上の端末で使われた場合や、ログアウトしないまま一日中使われていた場合を示します。IDの貸し借りや共用が疑われます。",
		Basis:       "2Fb",
		Implemented: true,
	},
	{
		ID:          DeviceWrite,
		Name:        "外部媒体への書き込み",
		Description: "USBメモリなどの外部媒体への書き込みのうち、利用を認められていない職員によるものや、勤務時間外のものを示します。",
		Basis:       "2Fa・2Fc",
		Implemented: true,
	},
	{
		ID:          ExportThenDevice,
		Name:        "出力後の持ち出しの疑い",
		Description: "データを出力した後、短い時間のうちに同じ職員が外部媒体へ書き込んだり、添付ファイル付きのメールを外部へ送ったりした場合を示します。",
		Threshold:   "出力から60分以内",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          MailExternal,
		Name:        "外部への添付メール送信",
		Description: "役場以外のアドレスへ添付ファイル付きのメールを送った場合を示します。フリーメールや個人のアドレスあては重要度を「高」とします。",
		Threshold:   "ヒアリングシートで登録した役場のドメイン以外",
		Basis:       "2Fc",
		Implemented: true,
	},
	{
		ID:          LogGap,
		Name:        "ログの欠落・改ざんの兆し",
		Description: "開庁日なのにシステムのログが1件もない日や、記録の順番・時刻が逆戻りしている箇所を示します。ログの削除・改ざんや記録漏れのおそれがあります。",
		Basis:       "2Cb",
		Implemented: true,
	},
}

// ruleIndex maps a rule ID to its position in the catalogue.
var ruleIndex = func() map[string]int {
	m := make(map[string]int, len(catalogue))
	for i, r := range catalogue {
		m[r.ID] = i
	}
	return m
}()

// Catalogue returns every rule of DOMAIN.md, implemented or not, in the
// order the report presents them. The slice is a copy.
func Catalogue() []Info {
	return append([]Info(nil), catalogue...)
}

// Find returns the catalogue entry of a rule ID.
func Find(id string) (Info, bool) {
	i, ok := ruleIndex[id]
	if !ok {
		return Info{}, false
	}
	return catalogue[i], true
}
