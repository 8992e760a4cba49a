package workspace

import (
	"testing"

	"tenken/internal/profile"
)

// TestOneFieldCatalogue: the labels the app shows, the profiles validate
// against and the importer maps by are the same list.
func TestOneFieldCatalogue(t *testing.T) {
	choices := LogFieldChoices()
	if len(choices) != len(profile.Fields) || len(choices) < 17 {
		t.Fatalf("%d choices, %d profile fields", len(choices), len(profile.Fields))
	}
	for i, c := range choices {
		if profile.Fields[i].Name != c.Field || profile.Fields[i].Label != c.Label || profile.FieldLabel(c.Field) != c.Label || FieldLabel(c.Field) != c.Label {
			t.Errorf("field %d: %+v vs profile %+v", i, c, profile.Fields[i])
		}
	}
	for _, c := range []struct {
		kind        MasterKind
		field, want string
	}{
		{MasterStaff, "start", "着任日"}, {MasterStaff, "end", "離任日"}, {MasterStaff, "subject", "本人宛名番号"},
		{MasterGrants, "from", "開始日"}, {MasterWatchlist, "depts", "閲覧可能所属"}, {MasterOvertime, "start", "開始"},
		{MasterOvertime, "span", "時間帯"}, {MasterStaff, "mail", "メールアドレス"}, {MasterGrants, "nosuch", "nosuch"},
	} {
		if got := MasterFieldLabel(c.kind, c.field); got != c.want {
			t.Errorf("MasterFieldLabel(%s, %s) = %q, want %q", c.kind, c.field, got, c.want)
		}
	}
	if FieldLabel("function") != "機能・画面" || FieldLabel("nosuch") != "nosuch" {
		t.Errorf("FieldLabel: %q %q", FieldLabel("function"), FieldLabel("nosuch"))
	}
}
