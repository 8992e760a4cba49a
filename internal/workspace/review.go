package workspace

import (
	"errors"

	"context"
	"fmt"
	"regexp"
	"strings"
	"tenken/internal/store"
	"time"

	"tenken/internal/domain"
)

var keyDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// ParseFindingKey reads "RULE/STAFF/DATE" (DATE as YYYY-MM-DD), the form
// the command line and the audit log use.
func ParseFindingKey(s string) (domain.FindingKey, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) < 3 {
		return domain.FindingKey{}, invalid(fmt.Sprintf("検出事項「%s」は 規則ID/職員ID/日付（例: AFTER_HOURS/T001/2025-05-07）の形で指定してください。", s))
	}
	// A staff ID could contain "/": the rule is first, the date last.
	k := domain.FindingKey{Rule: parts[0], StaffID: strings.Join(parts[1:len(parts)-1], "/"), Date: parts[len(parts)-1]}
	return k, checkKey(k)
}

// FormatFindingKey writes a key as RULE/STAFF/DATE.
func FormatFindingKey(k domain.FindingKey) string {
	return k.Rule + "/" + k.StaffID + "/" + k.Date
}

func checkKey(k domain.FindingKey) error {
	if strings.TrimSpace(k.Rule) == "" || strings.TrimSpace(k.StaffID) == "" {
		return invalid("検出事項の規則IDと職員IDを指定してください（例: AFTER_HOURS/T001/2025-05-07）。")
	}
	if !keyDate.MatchString(k.Date) {
		return invalid(fmt.Sprintf("検出事項の日付「%s」は YYYY-MM-DD の形で指定してください。", k.Date))
	}
	if _, err := time.Parse("2006-01-02", k.Date); err != nil {
		return invalid(fmt.Sprintf("検出事項の日付「%s」は存在しない日付です。", k.Date))
	}
	return nil
}

// ParseReviewStatus reads a status as the command line writes it (open,
// no_issue, interview, confirmed) or as its Japanese label.
func ParseReviewStatus(s string) (domain.ReviewStatus, error) {
	s = strings.TrimSpace(s)
	for _, st := range domain.ReviewStatuses {
		if s == string(st) || s == st.Label() {
			return st, nil
		}
	}
	if s == "open" {
		return domain.StatusOpen, nil
	}
	return "", invalid(fmt.Sprintf("確認状況「%s」は使えません。open（未確認）・no_issue（問題なし）・interview（要ヒアリング）・confirmed（不適切確定）のいずれかを指定してください。", s))
}

// SetReview records where the review of a finding stands. A closing status
// (問題なし, 不適切確定) needs a comment saying why. Reviews are keyed by
// rule, staff and date, so they carry over to later runs; every change goes
// to the audit log with the review before and after. by is who reviewed
// ("" = User()).
func (w *Workspace) SetReview(ctx context.Context, key domain.FindingKey, status domain.ReviewStatus, comment, by string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	known := false
	for _, st := range domain.ReviewStatuses {
		known = known || st == status
	}
	if !known {
		st, err := ParseReviewStatus(string(status))
		if err != nil {
			return err
		}
		status = st
	}
	comment = strings.TrimSpace(comment)
	if status.Closing() && comment == "" {
		return invalid(fmt.Sprintf("「%s」にするには、そう判断した理由をコメントに書いてください。", status.Label()))
	}
	ok, err := w.store.FindingExists(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		return &domain.Error{Code: "no_finding", Message: fmt.Sprintf("検出事項 %s はどの点検結果にもありません。規則ID・職員ID・日付を確認してください。", FormatFindingKey(key))}
	}
	by = strings.TrimSpace(by)
	if by == "" {
		by = w.User()
	}
	_, err = w.store.SetReview(ctx, domain.Review{Key: key, Status: status, Comment: comment, By: by}, by)
	return w.explain(err)
}

// Reviews returns the current review of every reviewed finding.
func (w *Workspace) Reviews(ctx context.Context) (map[domain.FindingKey]domain.Review, error) {
	list, err := w.store.Reviews(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[domain.FindingKey]domain.Review, len(list))
	for _, r := range list {
		out[r.Key] = r
	}
	return out, nil
}

// Exclude records an exclusion of a staff member, an account or one
// finding. It is never silent: a reason and who approved it (By) are
// required, and it goes to the audit log. An identical exclusion still in
// force is refused.
func (w *Workspace) Exclude(ctx context.Context, x domain.Exclusion) (domain.Exclusion, error) {
	x.Reason, x.By, x.StaffID = strings.TrimSpace(x.Reason), strings.TrimSpace(x.By), strings.TrimSpace(x.StaffID)
	switch x.Kind {
	case domain.ExcludeStaff, domain.ExcludeAccount:
		x.Finding = nil
		if x.StaffID == "" {
			return x, invalid("除外する職員IDまたはアカウントを指定してください。")
		}
	case domain.ExcludeFinding:
		if x.Finding == nil {
			return x, invalid("除外する検出事項を 規則ID/職員ID/日付 で指定してください。")
		}
		if err := checkKey(*x.Finding); err != nil {
			return x, err
		}
		k := *x.Finding
		x.Finding, x.StaffID = &k, k.StaffID
	default:
		return x, invalid(fmt.Sprintf("除外の種類「%s」は使えません。staff（職員）・account（アカウント）・finding（検出事項）のいずれかです。", x.Kind))
	}
	if x.Reason == "" {
		return x, invalid("除外の理由を入力してください。理由のない除外はできません（点検の対象から黙って外すことはできません）。")
	}
	if x.By == "" {
		return x, invalid("除外を承認した人の名前を入力してください（--by）。")
	}
	all, err := w.store.Exclusions(ctx)
	if err != nil {
		return x, err
	}
	for _, e := range all {
		if e.Revoked == nil && e.Kind == x.Kind && e.StaffID == x.StaffID && sameKey(e.Finding, x.Finding) {
			return x, &domain.Error{Code: "already_excluded", Message: fmt.Sprintf("同じ除外が既に登録されています（%d番、%s、理由: %s）。", e.ID, e.At.Format("2006-01-02"), e.Reason)}
		}
	}
	x.Revoked, x.RevokeReason, x.RevokedBy = nil, "", ""
	x, err = w.store.AddExclusion(ctx, x, w.User())
	return x, w.explain(err)
}

func sameKey(a, b *domain.FindingKey) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// RevokeExclusion withdraws an exclusion. It stays stored and listed,
// marked revoked with why and by whom; the change is audited.
func (w *Workspace) RevokeExclusion(ctx context.Context, id int64, reason, by string) error {
	reason, by = strings.TrimSpace(reason), strings.TrimSpace(by)
	if reason == "" {
		return invalid("除外を取り消す理由を入力してください。")
	}
	if by == "" {
		return invalid("除外の取り消しを承認した人の名前を入力してください（--by）。")
	}
	_, err := w.store.RevokeExclusion(ctx, id, reason, by, w.User())
	if errors.Is(err, store.ErrNotFound) {
		return &domain.Error{Code: "not_found", Message: fmt.Sprintf("除外 %d 番は登録されていません（tenken exclude list で番号を確認してください）。", id)}
	}
	return w.explain(err)
}

// Exclusions returns every exclusion, including revoked ones, oldest
// first.
func (w *Workspace) Exclusions(ctx context.Context) ([]domain.Exclusion, error) {
	return w.store.Exclusions(ctx)
}

// ExclusionLabel describes what an exclusion covers, in Japanese.
func ExclusionLabel(x domain.Exclusion) string {
	switch x.Kind {
	case domain.ExcludeStaff:
		return "職員 " + x.StaffID
	case domain.ExcludeAccount:
		return "アカウント " + x.StaffID
	case domain.ExcludeFinding:
		if x.Finding != nil {
			return "検出事項 " + FormatFindingKey(*x.Finding)
		}
	}
	return x.Kind + " " + x.StaffID
}
