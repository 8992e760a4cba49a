package master

import (
	"context"
	"strings"
	"testing"
)

func TestParseEmail(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"tanaka@town.example.lg.jp", "tanaka@town.example.lg.jp", true},
		{"Tanaka.H@Town.Example.LG.JP", "tanaka.h@town.example.lg.jp", true},
		{"ｔａｎａｋａ＠ｔｏｗｎ．ｅｘａｍｐｌｅ．ｊｐ", "tanaka@town.example.jp", true}, // full width
		{"mailto:a-b_c+d@x.example.jp", "a-b_c+d@x.example.jp", true},
		{"<a@x.example.jp>", "a@x.example.jp", true},
		{" a@x.example.jp ", "a@x.example.jp", true},
		{"tanaka", "", false},
		{"tanaka@", "", false},
		{"@town.example.jp", "", false},
		{"tanaka@town", "", false}, // one label: not an Internet address
		{"tanaka@@town.example.jp", "", false},
		{"a@b@town.example.jp", "", false},
		{".tanaka@town.example.jp", "", false},
		{"tanaka.@town.example.jp", "", false},
		{"ta..naka@town.example.jp", "", false},
		{"田中@town.example.jp", "", false},
		{"tanaka@town..example.jp", "", false},
		{"tanaka@-town.example.jp", "", false},
		{"tanaka@town_1.example.jp", "", false},
		{"tanaka@town.example.jp.", "", false},
		{"山田 花子", "", false},
		{strings.Repeat("a", 65) + "@x.example.jp", "", false},
	}
	for _, c := range cases {
		got, ok := ParseEmail(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseEmails(t *testing.T) {
	cases := []struct {
		cell string
		want string // addresses joined by |
		bad  string
	}{
		{"", "", ""},
		{"a@x.example.jp", "a@x.example.jp", ""},
		{"a@x.example.jp、b@x.example.jp", "a@x.example.jp|b@x.example.jp", ""},
		{"a@x.example.jp; b@x.example.jp ,c@x.example.jp", "a@x.example.jp|b@x.example.jp|c@x.example.jp", ""},
		{"a@x.example.jp／b@x.example.jp・A@X.example.jp", "a@x.example.jp|b@x.example.jp", ""}, // repeats dropped
		{"a@x.example.jp\nb@x.example.jp", "a@x.example.jp|b@x.example.jp", ""},
		{"a@x.example.jp、なし", "", "なし"},
		{"a@x.example.jp、b@", "", "b@"},
	}
	for _, c := range cases {
		got, bad := ParseEmails(c.cell)
		if strings.Join(got, "|") != c.want || bad != c.bad {
			t.Errorf("ParseEmails(%q) = %q, bad %q; want %q, bad %q", c.cell, strings.Join(got, "|"), bad, c.want, c.bad)
		}
	}
}

// TestReadStaffEmail reads the メールアドレス column under each of its
// headers; an address that is not one rejects its row with line and
// column.
func TestReadStaffEmail(t *testing.T) {
	for _, h := range []string{"メールアドレス", "メール", "E-mail", "mail", "Ｅ－ｍａｉｌ", "Eメール", "メールアドレス（庁内）"} {
		t.Run(h, func(t *testing.T) {
			p := writeCP932(t, "職員.csv", strings.Join([]string{
				"職員マスタ",
				"職員ID,氏名,所属," + h,
				"T001,山田 花子,税務課,yamada@town.example.lg.jp、h.yamada@town.example.lg.jp",
				"T002,佐藤 一郎,住民課,",
				"T003,鈴木 次郎,住民課,suzuki＠town.example.lg.jp",
				"T004,高橋 三郎,住民課,takahashi@town",
				"T005,田中 四郎,福祉課,内線1234",
			}, "\r\n"))
			res, err := ReadStaff(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Mapping.Header("mail") != h {
				t.Fatalf("mail column = %q, want %q", res.Mapping.Header("mail"), h)
			}
			if res.Accepted != 3 || len(res.Rejects) != 2 {
				t.Fatalf("accepted %d rejects %+v", res.Accepted, res.Rejects)
			}
			for i, w := range []struct {
				line int
				bad  string
			}{{6, "takahashi@town"}, {7, "内線1234"}} {
				r := res.Rejects[i]
				if r.Line != w.line || r.Column != h || !strings.Contains(r.Reason, "メールアドレス「"+w.bad+"」が読めません") {
					t.Errorf("reject %d = %+v; want line %d, column %s, the value named", i, r, w.line, h)
				}
			}
			if got := strings.Join(res.Staff[0].Email, "|"); got != "yamada@town.example.lg.jp|h.yamada@town.example.lg.jp" {
				t.Errorf("T001 email %q", got)
			}
			if len(res.Staff[1].Email) != 0 {
				t.Errorf("T002 email %q, want none", res.Staff[1].Email)
			}
			if got := strings.Join(res.Staff[2].Email, "|"); got != "suzuki@town.example.lg.jp" {
				t.Errorf("T003 email %q (full-width ＠ folded)", got)
			}
			// The rules still find a mail log's sender among the accounts.
			if got := strings.Join(res.Staff[0].Accounts, "|"); got != "yamada@town.example.lg.jp|h.yamada@town.example.lg.jp" {
				t.Errorf("T001 accounts %q", got)
			}
		})
	}
}
