package workspace

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"tenken/internal/domain"
)

// hearingKeys are the hearing-sheet answers that `tenken hearing set`
// accepts, with their Japanese labels. Stored as settings "hearing.<key>".
var hearingKeys = []struct{ key, label string }{
	{"town", "団体名"},
	{"department", "担当課"},
	{"person", "担当者"},
	{"hours", "勤務時間"},
	{"domains", "自団体・委託先のメールドメイン"},
}

var hoursPattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$`)

// Hearing returns the hearing-sheet answers, with defaults filled in.
func (w *Workspace) Hearing(ctx context.Context) (domain.Hearing, error) {
	h := domain.DefaultHearing()
	kv, err := w.HearingValues(ctx)
	if err != nil {
		return h, err
	}
	h.Town, h.Department, h.Person = kv["town"], kv["department"], kv["person"]
	if hrs := kv["hours"]; hrs != "" {
		h.WorkStart, h.WorkEnd, _ = strings.Cut(hrs, "-")
	}
	return h, nil
}

// HearingValues returns the stored answers as key=value (defaults included).
func (w *Workspace) HearingValues(ctx context.Context) (map[string]string, error) {
	all, err := w.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	d := domain.DefaultHearing()
	kv := map[string]string{"town": "", "department": "", "person": "", "hours": d.WorkStart + "-" + d.WorkEnd, "domains": ""}
	for k, v := range all {
		if key, ok := strings.CutPrefix(k, "hearing."); ok {
			kv[key] = v
		}
	}
	return kv, nil
}

// HearingKeys returns the keys `hearing set` accepts, in display order.
func HearingKeys() []string {
	keys := make([]string, len(hearingKeys))
	for i, k := range hearingKeys {
		keys[i] = k.key
	}
	return keys
}

// SetHearing validates and stores hearing-sheet answers (key → value).
func (w *Workspace) SetHearing(ctx context.Context, kv map[string]string) error {
	known := map[string]bool{}
	for _, k := range hearingKeys {
		known[k.key] = true
	}
	out := map[string]string{}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.TrimSpace(kv[k])
		if !known[k] {
			return &domain.Error{Code: "bad_key", Message: fmt.Sprintf("「%s」はヒアリングシートの項目ではありません。使える項目: %s", k, strings.Join(HearingKeys(), ", "))}
		}
		if k == "hours" {
			v = strings.ReplaceAll(strings.ReplaceAll(v, "〜", "-"), "~", "-")
			if !hoursPattern.MatchString(v) {
				return &domain.Error{Code: "bad_hours", Message: fmt.Sprintf("勤務時間「%s」を読めません。08:30-17:15 の形で指定してください。", kv[k])}
			}
			if start, end, _ := strings.Cut(v, "-"); start >= end {
				return &domain.Error{Code: "bad_hours", Message: fmt.Sprintf("勤務時間「%s」の終了が開始より前です。", kv[k])}
			}
		}
		out["hearing."+k] = v
	}
	return w.store.SetSettings(ctx, out)
}
