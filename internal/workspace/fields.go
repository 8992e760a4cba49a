package workspace

import "tenken/internal/colmap"

// FieldChoice is one canonical field of a log with its Japanese label, as
// pick lists and mapping tables show it.
type FieldChoice struct {
	Field string // canonical name (DOMAIN.md: time, staff_id, ...)
	Label string // Japanese
}

// LogFieldChoices returns the log fields in the order they are offered to
// users, from the one field catalogue (colmap.LogFields) that the
// importer, the profiles and the command line use too.
func LogFieldChoices() []FieldChoice {
	out := make([]FieldChoice, len(colmap.LogFields))
	for i, f := range colmap.LogFields {
		out[i] = FieldChoice{Field: f.Name, Label: f.Label}
	}
	return out
}

// FieldLabel returns the Japanese label of a log field; an unknown name
// is returned as it is.
func FieldLabel(field string) string {
	if l := colmap.FieldLabel(colmap.LogFields, field); l != "" {
		return l
	}
	return field
}
