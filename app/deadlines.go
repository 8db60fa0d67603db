package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// Deadlines lists the deadlines of the families' current determinations
// (as each family was last evaluated; see the work projections in
// docs/design.md), by due date: the overdue ones, the open ones due within
// a window, or all. A page ends with a cursor for the next.
func (s *Service) Deadlines(ctx context.Context, f rescreen.DeadlineFilter) (rescreen.Page[rescreen.DeadlineItem], error) {
	var page rescreen.Page[rescreen.DeadlineItem]
	var probs []rescreen.FieldError
	if !slices.Contains([]string{rescreen.DeadlinesOverdue, rescreen.DeadlinesDueSoon, rescreen.DeadlinesOpen}, f.View) {
		probs = append(probs, rescreen.FieldError{Field: "view", Msg: "must be overdue, soon or open"})
	}
	if f.Whose == "" {
		f.Whose = rescreen.DeadlinesAll
	}
	if !slices.Contains([]string{rescreen.DeadlinesAll, rescreen.DeadlinesMine, rescreen.DeadlinesTeam}, f.Whose) {
		probs = append(probs, rescreen.FieldError{Field: "whose", Msg: "must be all, mine or team"})
	}
	if f.Within == 0 {
		f.Within = 14
	}
	if f.Within < 1 || f.Within > 366 {
		probs = append(probs, rescreen.FieldError{Field: "within", Msg: "must be from 1 to 366 days"})
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > maxLimit {
		probs = append(probs, rescreen.FieldError{Field: "limit", Msg: "must be from 1 to 500"})
	}
	q := sqlstore.DeadlineQuery{Limit: f.Limit + 1}
	if f.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(f.After)
		var key []string
		if err == nil {
			err = json.Unmarshal(b, &key)
		}
		if err != nil || len(key) != 4 {
			probs = append(probs, rescreen.FieldError{Field: "after", Msg: "is not a cursor this list gave"})
		} else {
			q.After, q.HasAfter = [4]string(key), true
		}
	}
	if len(probs) > 0 {
		return page, (&rescreen.ValidationError{Problems: probs}).AsError("deadlines")
	}
	need := access.Need{Group: access.Status, Level: access.Read}
	r, err := reach(ctx, need)
	if err != nil {
		return page, err
	}
	q.Reach = r
	if q.Narrow, err = whose(ctx, f.Whose, need); err != nil {
		return page, err
	}
	today := f.Today
	if today.IsZero() {
		today = rescreen.DateOf(s.Now().UTC())
	}
	q.Today = today.String()
	switch f.View {
	case rescreen.DeadlinesOverdue:
		q.Overdue = true
	case rescreen.DeadlinesDueSoon:
		q.OnlyOpen, q.Until = true, today.AddDays(f.Within).String()
	}
	items, err := s.DB.Deadlines(ctx, q)
	if err != nil {
		return page, err
	}
	if len(items) > f.Limit {
		items = items[:f.Limit]
		last := items[len(items)-1]
		b, _ := json.Marshal([]string{last.Due.String(), string(last.FamilyID), string(last.Person), last.Clock})
		page.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	if items == nil {
		items = []rescreen.DeadlineItem{}
	}
	page.Items = items
	return page, nil
}

// whose returns the narrowing of a work list to the signed-in user's own
// families ("mine": the user is named as the officer of a screening or an
// appointment, or made a contact attempt) or to the families of the
// user's units ("team"); off for "all". Both need a signed-in user, and
// "team" a role scoped to units.
func whose(ctx context.Context, w string, need access.Need) (sqlstore.Reach, error) {
	if w == rescreen.DeadlinesAll {
		return sqlstore.Reach{}, nil
	}
	p, ok := access.FromContext(ctx)
	if !ok || p.User == "" {
		return sqlstore.Reach{}, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "whose", Msg: "needs a signed-in user; choose all"}}}).AsError("deadlines")
	}
	if w == rescreen.DeadlinesMine {
		return sqlstore.Reach{On: true, Units: []string{access.OwnUnit(p.User)}}, nil
	}
	units := p.Teams(need)
	if len(units) == 0 {
		return sqlstore.Reach{}, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "whose", Msg: "none of your roles is limited to an office, facility, shelter or organisation; choose mine or all"}}}).AsError("deadlines")
	}
	return sqlstore.Reach{On: true, Units: units}, nil
}
