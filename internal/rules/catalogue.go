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
	ExportHandoff      = "EXPORT_HANDOFF"
	UnmatchedLookup    = "UNMATCHED_LOOKUP"
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
	// Actions are the recommended actions (推奨対応) for a finding of the
	// rule, most important first, in words a 課長 can assign to someone.
	Actions []string
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
		Actions:     []string{"本人へのヒアリング（時間外に操作した業務上の理由の確認）", "時間外勤務の事前申請・承認の徹底"},
		Implemented: true,
	},
	{
		ID:          Holiday,
		Name:        "閉庁日の利用",
		Description: "土曜日・日曜日・祝日・年末年始（12月29日〜1月3日）など、役場が閉まっている日の操作を示します。どの閉庁日か（例：土曜日、振替休日）も記載します。承認された休日勤務の時間帯の操作は除きます。データの出力を含む日は重要度を「高」とします。",
		Threshold:   "土曜日・日曜日・祝日・12月29日〜1月3日、町独自の閉庁日",
		Basis:       "2Fc",
		Actions:     []string{"本人へのヒアリング（閉庁日に操作した業務上の理由の確認）", "休日勤務の命令・申請との照合"},
		Implemented: true,
	},
	{
		ID:          UnauthorizedSystem,
		Name:        "権限外のシステム利用",
		Description: "権限マスタや職員マスタで利用を認められていないシステムを使った操作と、認められていない種類の操作（例：照会だけ認められている職員による出力）を示します。権限は、その日に有効なものだけを数えます。",
		Basis:       "2Fa",
		Actions:     []string{"権限の見直し（権限マスタとシステムの設定の是正）", "本人へのヒアリング"},
		Implemented: true,
	},
	{
		ID:          RetiredID,
		Name:        "離任者・着任前のIDの利用",
		Description: "退職・異動などで離任した日より後、または着任日より前に、その職員のIDで行われた操作を示します。IDの削除漏れや、他人による使用（なりすまし）のおそれがあります。",
		Basis:       "2Fb",
		Actions:     []string{"退職者IDの即時停止と棚卸し", "委託先への報告要求（委託先のIDの場合）"},
		Implemented: true,
	},
	{
		ID:          UnknownID,
		Name:        "職員マスタにないIDの利用",
		Description: "職員マスタに載っていないIDによる操作を示します（いわゆる野良アカウント）。保守業者のID、試験用のID、登録漏れなどが考えられます。だれが使ったのかを確かめてください。",
		Basis:       "2Fb",
		Actions:     []string{"IDの使用者の特定と、不要なIDの停止", "IDの棚卸し（職員マスタとシステムの照合）"},
		Implemented: true,
	},
	{
		ID:          Watchlist,
		Name:        "要注意対象者の閲覧",
		Description: "DV等支援措置の対象者など特に注意が必要な住民の情報を、閲覧を認められた所属以外の職員が照会した操作を示します。",
		Basis:       "2Fa・2Fc",
		Actions:     []string{"本人へのヒアリング", "所属長への報告", "要注意対象者の閲覧制限の設定の確認"},
		Implemented: true,
	},
	{
		ID:          SelfLookup,
		Name:        "本人・家族の情報の照会",
		Description: "職員が自分自身の（わかる場合は家族の）住民情報を業務システムで照会した操作を示します。",
		Basis:       "2Fc",
		Actions:     []string{"本人へのヒアリング", "本人・家族の情報の照会禁止の周知"},
		Implemented: true,
	},
	{
		ID:          BulkLookup,
		Name:        "大量の照会",
		Description: "1人の職員が1日に照会した住民の人数が、その職員や所属のふだんの人数、同じ日の同僚の人数よりも大幅に多い日を示します。所属全体が忙しい日（住民税決定期、転入・転出の多い時期など）は業務として除きます。1日の人数が基準に届かなくても、2週以上続けて本人のそれまでの多めの日や同僚の2倍以上に増えた場合（じわじわ増える型）と、宛名番号の順に続けて照会した場合（番号順の照会、名簿づくりの疑い）も示します。",
		Threshold:   "1日50人以上、かつふだん・所属・同じ日の同僚の3倍以上。じわじわ増える型は2倍以上が2週以上、番号順の照会は20人以上",
		Basis:       "2Fc",
		Actions:     []string{"本人へのヒアリング（照会した業務上の理由の確認）", "受付簿・申請書との照合"},
		Implemented: true,
	},
	{
		ID:          BulkExport,
		Name:        "大量の出力",
		Description: "一度に多くの件数を出力（印刷・CSV出力など）した操作や、出力の回数が多い日を示します。",
		Threshold:   "1回1,000件以上",
		Basis:       "2Fc",
		Actions:     []string{"出力したデータの所在確認と回収・廃棄", "出力権限の見直し"},
		Implemented: true,
	},
	{
		ID:          RepeatedSubject,
		Name:        "同じ住民の繰り返し照会",
		Description: "同じ住民の情報を、本人の更新などの手続きも所属の業務の記録（受付簿の受付、所属の職員による更新・交付）もないまま、何日にもわたって照会している場合を示します。照会の多い職員は偶然に同じ住民に当たることもあるため、その職員の照会の量から偶然にそうなる確率が低い場合だけを示します。5日以上は重要度「高」とします。興味本位の閲覧やつきまといの兆しであることがあります。",
		Threshold:   "点検期間中3日以上、偶然に起こる確率5%以下",
		Basis:       "2Fc",
		Actions:     []string{"本人へのヒアリング", "照会の理由の確認（受付簿・申請書との照合）"},
		Implemented: true,
	},
	{
		ID:          LoginFailure,
		Name:        "ログイン失敗の多発",
		Description: "短い時間にログインの失敗が続いた場合を示します。他人のIDやパスワードを試したおそれがあります。",
		Threshold:   "10分間に5回以上",
		Basis:       "2Fb・2Fc",
		Actions:     []string{"パスワードの変更", "不正なログインの試みの有無の確認"},
		Implemented: true,
	},
	{
		ID:          SharedID,
		Name:        "IDの共用の疑い",
		Description: "同じIDが同じ時間帯に2台以上の端末で使われた場合や、ログアウトしないまま一日中使われていた場合を示します。資産管理ログがあれば、別の職員がパソコンにログオンしている端末でIDが使われた場合（IDの持ち主と端末の利用者の両方に示します）と、本人のパソコンへのログオンが1度もない日にIDが使われた場合も示します。IDの貸し借りや共用が疑われます。",
		Threshold:   "システムと資産管理ログの時計のずれ5分まで",
		Basis:       "2Fb",
		Actions:     []string{"共用IDの廃止と個人ID化", "離席時のロック・ログオフの徹底"},
		Implemented: true,
	},
	{
		ID:          DeviceWrite,
		Name:        "外部媒体への書き込み",
		Description: "USBメモリなどの外部媒体への書き込みのうち、利用を認められていない職員によるものや、勤務時間外のものを示します。",
		Basis:       "2Fa・2Fc",
		Actions:     []string{"持ち出し媒体の回収", "外部媒体の利用許可の見直し"},
		Implemented: true,
	},
	{
		ID:          ExportThenDevice,
		Name:        "出力後の持ち出しの疑い",
		Description: "データを出力した後、短い時間のうちに同じ職員が外部媒体へ書き込んだり、添付ファイル付きのメールを外部へ送ったりした場合を示します。",
		Threshold:   "出力から60分以内",
		Basis:       "2Fc",
		Actions:     []string{"持ち出し媒体の回収", "本人へのヒアリング", "漏えいの有無の確認と、個人情報保護委員会への報告の要否の検討"},
		Implemented: true,
	},
	{
		ID:          MailExternal,
		Name:        "外部への添付メール送信",
		Description: "役場以外のアドレスへ添付ファイル付きのメールを送った場合を示します。フリーメールや個人のアドレスあては重要度を「高」とします。",
		Threshold:   "ヒアリングシートで登録した役場のドメイン以外",
		Basis:       "2Fc",
		Actions:     []string{"送信先への削除依頼と送信内容の確認", "本人へのヒアリング", "漏えいの有無の確認と、個人情報保護委員会への報告の要否の検討"},
		Implemented: true,
	},
	{
		ID:          LogGap,
		Name:        "ログの欠落・改ざんの兆し",
		Description: "開庁日なのにシステムのログが1件もない日や、記録の時刻が逆戻りしている箇所、ログの通番が飛んでいる（行の削除）・重複している箇所を示します。取込不可や重複の行で抜けた番号は除きます。ログの削除・改ざんや記録漏れのおそれがあります。",
		Basis:       "2Cb",
		Actions:     []string{"システム事業者へのログ欠落の原因照会", "ログの保全（改ざん防止の措置の確認）"},
		Implemented: true,
	},
	{
		ID:          ExportHandoff,
		Name:        "出力データの受け渡し",
		Description: "一覧表などのデータを出力した職員が、その後の短い時間のうちに、そのシステムの権限を持たない職員へ添付ファイル付きの庁内メールを送った場合を示します。受け取った職員がさらに外部媒体へ書き込んだり外部へメールしたりした場合は重要度を「高」とします（岩手県の事例）。出力した職員と受け取った職員の両方に検出事項を付けます。",
		Threshold:   "出力から60分以内",
		Basis:       "2Fa・2Fc",
		Actions:     []string{"受け渡しの経緯の双方へのヒアリング", "持ち出し媒体の回収", "権限の見直し"},
		Implemented: true,
	},
	{
		ID:          UnmatchedLookup,
		Name:        "受付簿と照合できない照会",
		Description: "住民の情報を照会した職員の所属に、その住民についての業務の記録（受付簿の受付、所属の職員による更新や証明書の交付）が前後の期間にない照会を示します。興味本位の閲覧の兆しです（ガイドライン「ログと関連する書面の記録を照合」）。",
		Threshold:   "窓口業務は受付日の前後1日、継続して扱う業務は点検期間とその前30日",
		Basis:       "2Cb・2Fc",
		Actions:     []string{"本人へのヒアリング（照会した業務上の理由の確認）", "申請書・受付簿との照合"},
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
