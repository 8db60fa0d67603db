package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"rescreen"
	"rescreen/access"
)

// tasksView is the data of the deadlines page.
type tasksView struct {
	View     string
	Whose    string
	Wholist  []option
	Teams    string // the user's units, for the "my team's" choice; "" hides it
	Within   int
	Today    rescreen.Date
	Until    rescreen.Date
	Items    []rescreen.DeadlineItem
	Problems []rescreen.FieldError
	Error    bool
	Views    []option
	NextURL  string
	FirstURL string
	// Court holds the court-order deadlines overdue or due soon, shown in
	// a block of their own (nil: none for this user).
	Court *rescreen.CourtDeadlineQueues
}

// uiTasks answers GET /tasks: the deadlines the rules set, overdue first
// by default, or those due soon, or all open ones, each linked to its
// family. The view is a GET form, so a list can be bookmarked.
func (s *Server) uiTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := tasksView{View: q.Get("view"), Within: 14, Today: s.today()}
	if v.View == "" {
		v.View = rescreen.DeadlinesOverdue
	}
	v.Whose = q.Get("whose")
	if v.Whose == "" {
		v.Whose = rescreen.DeadlinesAll
	}
	whose := []string{rescreen.DeadlinesAll, rescreen.DeadlinesMine}
	if p, ok := access.FromContext(r.Context()); ok {
		if teams := p.Teams(access.Need{Group: access.Status, Level: access.Read}); len(teams) > 0 {
			v.Teams = strings.Join(teams, ", ")
			whose = append(whose, rescreen.DeadlinesTeam)
		}
	}
	v.Wholist = options(whose, v.Whose)
	f := rescreen.DeadlineFilter{View: v.View, Whose: v.Whose, After: q.Get("after"), Today: v.Today}
	if w := q.Get("within"); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil {
			n = -1
		}
		v.Within, f.Within = n, n
	}
	v.Until = v.Today.AddDays(v.Within)
	v.Views = options([]string{rescreen.DeadlinesOverdue, rescreen.DeadlinesDueSoon, rescreen.DeadlinesOpen}, v.View)
	page, err := s.families.Deadlines(r.Context(), f)
	if err != nil {
		status, d := s.describe(r, err)
		if status != http.StatusBadRequest {
			s.uiError(w, r, err)
			return
		}
		v.Error, v.Problems = true, d.Problems
		s.render(w, r, status, "tasks.html", v, "tasks.title")
		return
	}
	v.Items = page.Items
	if v.Court, err = s.courtBlock(r); err != nil {
		s.uiError(w, r, err)
		return
	}
	keep := url.Values{"view": {v.View}}
	if v.Whose != rescreen.DeadlinesAll {
		keep.Set("whose", v.Whose)
	}
	if v.View == rescreen.DeadlinesDueSoon {
		keep.Set("within", strconv.Itoa(v.Within))
	}
	if f.After != "" {
		v.FirstURL = "/tasks?" + keep.Encode()
	}
	if page.Next != "" {
		keep.Set("after", page.Next)
		v.NextURL = "/tasks?" + keep.Encode()
	}
	s.render(w, r, http.StatusOK, "tasks.html", v, "tasks.title")
}
