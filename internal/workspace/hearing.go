package workspace

import (
	"context"
	"strings"

	"tenken/internal/hearing"
)

// The hearing sheet belongs to the hearing package (one typed Sheet, one
// reader and one writer of its text form); the workspace stores it as the
// settings "hearing.<key>" and re-exports what the two faces need.

// Hearing is the hearing sheet, typed (hearing.Sheet).
type Hearing = hearing.Sheet

// HearingField is one answer of the hearing sheet (hearing.Field).
type HearingField = hearing.Field

// HearingFields returns every hearing-sheet field in display order.
func HearingFields() []HearingField { return hearing.Fields() }

// HearingKeys returns the keys `hearing set` accepts, in display order.
func HearingKeys() []string { return hearing.Keys() }

// HearingLabel returns the Japanese label of a key ("" when unknown).
func HearingLabel(key string) string { return hearing.Label(key) }

// ValidateHearing checks one answer and returns it in its stored form. The
// error is a *domain.Error in Japanese naming the field and what to write.
func ValidateHearing(key, value string) (string, error) { return hearing.Validate(key, value) }

// settingPrefix is the prefix of the settings that hold the sheet.
const settingPrefix = "hearing."

// storedHearing returns the sheet's text form as stored (only the keys
// ever answered).
func (w *Workspace) storedHearing(ctx context.Context) (map[string]string, error) {
	all, err := w.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	kv := map[string]string{}
	for k, v := range all {
		if key, ok := strings.CutPrefix(k, settingPrefix); ok && hearing.Label(key) != "" {
			kv[key] = v
		}
	}
	return kv, nil
}

// Hearing returns the hearing sheet. A stored answer that no longer reads
// (a database edited by hand) is an error rather than a silent default.
func (w *Workspace) Hearing(ctx context.Context) (Hearing, error) {
	kv, err := w.storedHearing(ctx)
	if err != nil {
		return hearing.Default(), err
	}
	return hearing.Parse(kv)
}

// HearingValues returns the sheet in its text form, every key present
// (defaults included, "" when unanswered).
func (w *Workspace) HearingValues(ctx context.Context) (map[string]string, error) {
	h, err := w.Hearing(ctx)
	if err != nil {
		return nil, err
	}
	return h.Values(), nil
}

// SetHearing changes answers given in the text form (key → value), as
// `tenken hearing set` takes them. An empty value restores the answer's
// default. Nothing is stored when any answer is invalid.
func (w *Workspace) SetHearing(ctx context.Context, kv map[string]string) error {
	h, err := w.Hearing(ctx)
	if err != nil {
		return err
	}
	for _, k := range hearing.Keys() {
		if v, ok := kv[k]; ok {
			if err := h.Set(k, v); err != nil {
				return err
			}
		}
	}
	for k, v := range kv {
		if hearing.Label(k) == "" {
			return h.Set(k, v) // the unknown-key error
		}
	}
	return w.SaveHearing(ctx, h)
}

// SaveHearing stores the whole sheet; the change goes to the audit log with
// the answers before and after.
func (w *Workspace) SaveHearing(ctx context.Context, h Hearing) error {
	old, err := w.storedHearing(ctx)
	if err != nil {
		return err
	}
	// Answers never given that still have their default stay unstored,
	// so the audit entry names only what the user changed.
	def := hearing.Default().Values()
	out := map[string]string{}
	for k, v := range h.Values() {
		if prev, ok := old[k]; (ok && prev == v) || (!ok && v == def[k]) {
			continue
		}
		out[settingPrefix+k] = v
	}
	if len(out) == 0 {
		return nil
	}
	return w.setSettingsAudited(ctx, "hearing.set", out)
}
