package profile

import (
	"reflect"
	"testing"

	"tenken/internal/domain"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, every
// error must be a *domain.Error with a Japanese message, and whatever it
// accepts must validate and survive Marshal and Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"system":"住民記録","columns":{"操作日時":"time","職員ID":"staff_id"}}`,
		`{"version":1,"system":"税務","kind":"access","columns":{"日付":"date","時刻":"clock","担当":"staff_id","備考":""},"actions":{"一括印刷":"EXPORT"}}`,
		`{"version":2}`, `[]`, `{"version":1,"system":"x","columns":{"a":"time","b":"time"}}`, "\ufeff{}", `{"version":1,"system":"x","columns":{}} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := Parse(in, "fuzz.json")
		if err != nil {
			de, ok := err.(*domain.Error)
			if !ok || de.Message == "" {
				t.Fatalf("error %T %v, want *domain.Error", err, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted profile does not validate: %v", err)
		}
		b, err := p.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(b, "again.json")
		if err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		if !reflect.DeepEqual(normalize(p), normalize(q)) {
			t.Fatalf("round trip changed the profile:\n%+v\n%+v", p, q)
		}
	})
}

// normalize treats a nil and an empty map alike.
func normalize(p *Profile) Profile {
	c := *p
	if len(c.Columns) == 0 {
		c.Columns = nil
	}
	if len(c.Actions) == 0 {
		c.Actions = nil
	}
	return c
}
