package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rescreen"
)

// linkParams are the query parameters of GET /api/v1/links.
var linkParams = []string{"state", "family", "after", "limit"}

// parseLinkFilter reads the filter of GET /api/v1/links; unknown
// parameters are refused.
func parseLinkFilter(q url.Values) (rescreen.LinkFilter, error) {
	var p problems
	var f rescreen.LinkFilter
	for name, vs := range q {
		if !slices.Contains(linkParams, name) {
			p.add(name, "is not a known query parameter")
			continue
		}
		if name != "state" && len(vs) > 1 {
			p.add(name, "is given more than once")
		}
	}
	for _, v := range q["state"] {
		for _, st := range strings.Split(v, ",") {
			st = strings.ToUpper(strings.TrimSpace(st))
			if !slices.Contains(rescreen.LinkState("").Values(), st) {
				p.add("state", "%q is not one of %s", st, strings.Join(rescreen.LinkState("").Values(), ", "))
				continue
			}
			f.States = append(f.States, rescreen.LinkState(st))
		}
	}
	f.Family = rescreen.FamilyID(strings.TrimSpace(q.Get("family")))
	f.After = strings.TrimSpace(q.Get("after"))
	if len(f.Family) > maxQueryText || len(f.After) > maxQueryText {
		p.add("family", "must be at most %d characters", maxQueryText)
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			p.add("limit", "must be a whole number from 1 to %d", maxLimit)
		} else {
			f.Limit = n
		}
	}
	return f, p.invalid("web.parseLinkFilter")
}

// apiLinkList answers GET /api/v1/links: the review queue by default.
func (s *Server) apiLinkList(w http.ResponseWriter, r *http.Request) {
	f, err := parseLinkFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	cs, err := s.links.LinkQueue(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if cs == nil {
		cs = []rescreen.LinkCandidate{}
	}
	writeJSON(w, http.StatusOK, cs)
}

// linkResponse is the body of GET /api/v1/links/{id}: the candidate, with
// each field's comparison, and its history.
type linkResponse struct {
	Candidate *rescreen.LinkCandidate `json:"candidate"`
	History   []rescreen.LinkDecision `json:"history"`
}

// apiLinkGet answers GET /api/v1/links/{id}.
func (s *Server) apiLinkGet(w http.ResponseWriter, r *http.Request) {
	c, hist, err := s.links.LinkHistory(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if hist == nil {
		hist = []rescreen.LinkDecision{}
	}
	writeJSON(w, http.StatusOK, linkResponse{Candidate: c, History: hist})
}

// linkDecisionBody is the body of POST /api/v1/links/{id}/decision.
type linkDecisionBody struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// apiLinkDecide answers POST /api/v1/links/{id}/decision.
func (s *Server) apiLinkDecide(w http.ResponseWriter, r *http.Request) {
	var body linkDecisionBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.links.DecideLink(r.Context(), r.PathValue("id"), strings.ToUpper(strings.TrimSpace(body.Decision)), body.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// splitBody is the body of the split routes.
type splitBody struct {
	Reason string `json:"reason"`
}

// apiSplit answers a split route: the links rejected.
func (s *Server) apiSplit(w http.ResponseWriter, r *http.Request, split func(reason string) ([]rescreen.LinkCandidate, error)) {
	var body splitBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	cs, err := split(body.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}

// apiFamilySplit answers POST /api/v1/families/{id}/split: the family
// leaves the unit links joined it to.
func (s *Server) apiFamilySplit(w http.ResponseWriter, r *http.Request) {
	s.apiSplit(w, r, func(reason string) ([]rescreen.LinkCandidate, error) {
		return s.links.SplitFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")), reason)
	})
}

// apiPersonSplit answers POST /api/v1/persons/{id}/split: the person
// record leaves the person it was merged into.
func (s *Server) apiPersonSplit(w http.ResponseWriter, r *http.Request) {
	s.apiSplit(w, r, func(reason string) ([]rescreen.LinkCandidate, error) {
		return s.links.SplitPerson(r.Context(), r.PathValue("id"), reason)
	})
}
