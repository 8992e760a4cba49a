package master

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tenken/internal/domain"
	"tenken/internal/table"
)

// fuzzMaster checks the invariants every master reader keeps on arbitrary
// input: it returns a result or a *domain.Error (never panics), every row
// read is either accepted or rejected, every reject names a line, accepted
// rows satisfy the reader's own validation, and resident numbers of the
// watch list never appear in reasons.
func fuzzMaster(f *testing.F, seeds []string, read func(ctx context.Context, name string, src table.Source) (*Result, error), check func(t *testing.T, res *Result)) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := readCSV(context.Background(), "fuzz.csv", bytes.NewReader(in), read)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || de.Message == "" {
				t.Fatalf("error is not a Japanese domain error: %T %v", err, err)
			}
			return
		}
		if res.Accepted+len(res.Rejects) != res.Read {
			t.Fatalf("read %d = accepted %d + rejected %d does not hold", res.Read, res.Accepted, len(res.Rejects))
		}
		for _, r := range res.Rejects {
			if r.Line <= 0 || r.Reason == "" {
				t.Fatalf("reject without line or reason: %+v", r)
			}
		}
		check(t, res)
	})
}

func checkPeriod(t *testing.T, from, to time.Time) {
	t.Helper()
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		t.Fatalf("accepted a period ending before it starts: %v–%v", from, to)
	}
}

func FuzzReadStaff(f *testing.F) {
	fuzzMaster(f, []string{
		"職員ID,氏名,所属,着任日,離任日,USB利用,他のアカウント\nT001,山田,税務課,2019/04/01,2025/03/31,○,a、b\nT001,山田,住民課,2025/04/01,,×,\n",
		"職員番号,採用日\r\nＴ００１,令和元年5月1日\r\n,\r\n\"T2\",R6.4.1\r\n",
		"\xEF\xBB\xBF職員コード,退職日\n\"x\n,2025/02/30\n",
		"職員ID,メールアドレス\nT1,a@x.example.jp、B@X.example.jp\nT2,a@\nT3,＜ｃ＠ｘ．ｊｐ＞\n",
	}, readStaff, func(t *testing.T, res *Result) {
		if len(res.Staff) != res.Accepted {
			t.Fatalf("%d staff for %d accepted rows", len(res.Staff), res.Accepted)
		}
		for _, s := range res.Staff {
			if strings.TrimSpace(s.ID) == "" {
				t.Fatalf("accepted a staff row without ID: %+v", s)
			}
			checkPeriod(t, s.Start, s.End)
			for _, m := range s.Email {
				if got, ok := ParseEmail(m); !ok || got != m {
					t.Fatalf("accepted a mail address that does not read back: %q", m)
				}
			}
		}
	})
}

func FuzzReadGrants(f *testing.F) {
	fuzzMaster(f, []string{
		"所属,職員ID,システム,権限,開始日,終了日\n住民課,,住民記録,照会・更新,令和5年4月1日,\n,T9,税務,閲覧,,\n",
		"課名,業務\n\"税務課\",税務\n",
	}, readGrants, func(t *testing.T, res *Result) {
		for _, g := range res.Grants {
			if g.System == "" || (g.StaffID == "" && g.Dept == "") {
				t.Fatalf("accepted an incomplete grant: %+v", g)
			}
		}
	})
}

func FuzzReadWatchlist(f *testing.F) {
	fuzzMaster(f, []string{
		"宛名番号,区分,閲覧可能所属,職員ID,開始日,終了日\n1000000123,DV,住民課,,令和6年4月1日,\n1000000123,著名人,,,,\n",
		"宛名コード,種別\n,要人\n",
	}, readWatchlist, func(t *testing.T, res *Result) {
		if len(res.Watch) != res.Accepted {
			t.Fatalf("%d entries for %d accepted rows", len(res.Watch), res.Accepted)
		}
		for _, w := range res.Watch {
			if w.SubjectID == "" {
				t.Fatal("accepted an entry without 宛名番号")
			}
			checkPeriod(t, w.From, w.To)
			for _, r := range res.Rejects {
				if len(w.SubjectID) >= 4 && strings.Contains(r.Reason, w.SubjectID) {
					t.Fatalf("reason shows a resident number: %s", r.Reason)
				}
			}
		}
	})
}

func FuzzReadOvertime(f *testing.F) {
	fuzzMaster(f, []string{
		"職員ID,日付,開始,終了\nT001,2025/05/07,17:15,21:00\nT002,R7.5.8,22:00,翌2:00\nT003,2025/05/09,17:30,25:30\n",
		"職員番号,勤務日,時間帯\nT1,令和7年5月1日,17:15～21:00\nT2,2025/5/1,x\n",
	}, readOvertime, func(t *testing.T, res *Result) {
		if len(res.Overtime) != res.Accepted {
			t.Fatalf("%d windows for %d accepted rows", len(res.Overtime), res.Accepted)
		}
		for _, o := range res.Overtime {
			if o.StaffID == "" || o.Date.IsZero() || o.From < 0 || o.From >= 24*time.Hour || o.To <= o.From || o.To-o.From > 24*time.Hour {
				t.Fatalf("accepted an impossible window: %+v", o)
			}
		}
	})
}

func FuzzReadReception(f *testing.F) {
	fuzzMaster(f, []string{
		"受付日,受付番号,窓口,手続名,宛名番号,受付者\n令和7年5月1日,101,市民課,転入届,1000000001,T001\n,101,,転入届,1000000002,T001\n合計,,,,2件,\n",
		"受付日時,所属,宛名コード\r\n2025/05/07 09:03,税務課,１００\r\n45784.5,税務課,101\r\n",
		"申請日,受付時刻,担当課,対象者番号\n2025/5/7,25:00,福祉課,1\n,9:00,,2\n",
	}, readReception, func(t *testing.T, res *Result) {
		if len(res.Reception) != res.Accepted || res.FilledDown > res.Accepted {
			t.Fatalf("%d rows, %d filled for %d accepted", len(res.Reception), res.FilledDown, res.Accepted)
		}
		for _, r := range res.Reception {
			if r.SubjectID == "" || strings.TrimSpace(r.Dept) == "" || r.Time.IsZero() || r.SourceLine <= 0 {
				t.Fatalf("accepted an incomplete row: %+v", r)
			}
			if !r.HasClock && !r.Time.Equal(domain.DateOf(r.Time)) {
				t.Fatalf("a row without a clock is not at midnight: %+v", r)
			}
			for _, rj := range res.Rejects {
				if len(r.SubjectID) >= 4 && strings.Contains(rj.Reason, r.SubjectID) {
					t.Fatalf("reason shows a resident number: %s", rj.Reason)
				}
			}
		}
	})
}
