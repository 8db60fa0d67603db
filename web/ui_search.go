package web

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"rescreen"
)

// The longest query the page accepts, in characters, and the most words
// of a name; the service has the same bounds.
const (
	searchMaxLen   = 200
	searchMaxWords = 8
)

// searchView is the data of the search page.
type searchView struct {
	Query    string // as typed, echoed into the box
	Searched bool
	// Problem is the catalogue key of what is wrong with the query, shown
	// next to the box; Detail is the service's own words, if it refused.
	Problem string
	Detail  string
	Result  *rescreen.SearchResult
}

// uiSearch answers GET /search?q=: one box for a name, an A-number or an
// agency's id. The query is a GET parameter so that a search can be
// bookmarked; the page's referrer policy keeps it from leaving the site.
func (s *Server) uiSearch(w http.ResponseWriter, r *http.Request) {
	// The query is a name or an A-number: it is posted, never put in the
	// address, where browsers' histories and proxies' logs would keep it.
	// GET shows the empty form.
	var v searchView
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			v.Problem = "search.problem.invalid"
			s.render(w, r, http.StatusBadRequest, "search.html", v, "search.title")
			return
		}
		v.Query, v.Searched = r.PostForm.Get("q"), true
	}
	if !v.Searched {
		s.render(w, r, http.StatusOK, "search.html", v, "search.title")
		return
	}
	// The service refuses these too, in English; the page says why in
	// the reader's language.
	isID := strings.ContainsFunc(v.Query, unicode.IsDigit)
	switch words := rescreen.NameTokens(v.Query); {
	case strings.TrimSpace(v.Query) == "":
		v.Problem = "search.problem.empty"
	case utf8.RuneCountInString(v.Query) > searchMaxLen:
		v.Problem = "search.problem.long"
	case !utf8.ValidString(v.Query):
		v.Problem = "search.problem.invalid"
	case !isID && len(words) == 0:
		v.Problem = "search.problem.noLetters"
	case !isID && len(words) > searchMaxWords:
		v.Problem = "search.problem.words"
	}
	if v.Problem != "" {
		s.render(w, r, http.StatusBadRequest, "search.html", v, "search.title")
		return
	}
	res, err := s.families.Search(r.Context(), v.Query, 0)
	if rescreen.ErrorCode(err) == rescreen.EINVALID {
		status, d := s.describe(r, err)
		v.Problem = "search.problem.invalid"
		for _, p := range d.Problems {
			v.Detail = p.Msg
		}
		s.render(w, r, status, "search.html", v, "search.title")
		return
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v.Result = res
	s.render(w, r, http.StatusOK, "search.html", v, "search.title")
}
