package web

import (
	"cmp"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"rescreen"
)

// The match review pages: the queue of link candidates, one candidate
// compared field by field with its history, and a reviewer's decisions and
// splits as plain HTML forms that work without JavaScript. Every decision
// goes through LinkService, which audits it; a refused form is shown again
// with the reason typed and the problem next to the field.

// maxReviewBody bounds the body of the review forms. A reason is at most 2000
// bytes, which percent-encoding can triple; the rest is a few short fields.
const maxReviewBody = 16 << 10

// linkRow is one candidate of the queue.
type linkRow struct {
	ID          string
	Kind        rescreen.LinkKind
	State       rescreen.LinkState
	Left, Right rescreen.LinkEnd
	Probability string
}

// linkQueueView is the data of the queue page.
type linkQueueView struct {
	State             string // the states shown, as the filter names them
	Family            string // the family filter, as typed
	States            []option
	Error             bool
	Problems          []rescreen.FieldError
	Links             []linkRow
	FirstURL, NextURL string
}

// uiLinkList answers GET /links: the candidates in one state, most probable
// first, waiting for review by default. Pages follow the keyset cursor
// (after: the id of the previous page's last candidate). One candidate more
// than the page holds is asked for, so the page knows whether another
// follows and never links to an empty one.
func (s *Server) uiLinkList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// Parameters the UI does not use (a tracker's, an old bookmark's) are
	// left aside rather than refused.
	known := url.Values{}
	for _, name := range linkParams {
		if vs, ok := q[name]; ok {
			known[name] = vs
		}
	}
	v := linkQueueView{Family: q.Get("family"), State: strings.ToUpper(strings.TrimSpace(q.Get("state")))}
	if v.State == "" {
		v.State = string(rescreen.LinkReview)
	}
	v.States = options(rescreen.LinkState("").Values(), v.State)
	f, err := parseLinkFilter(known)
	if err != nil {
		status, d := s.describe(r, err)
		v.Error, v.Problems = true, d.Problems
		s.render(w, r, status, "links.html", v, "links.title")
		return
	}
	size := cmp.Or(f.Limit, defaultLimit)
	f.Limit = min(size+1, maxLimit)
	cs, err := s.links.LinkQueue(r.Context(), f)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	more := len(cs) > size || (len(cs) == size && f.Limit == size)
	cs = cs[:min(len(cs), size)]
	for i := range cs {
		c := &cs[i]
		v.Links = append(v.Links, linkRow{ID: c.ID, Kind: c.Kind, State: c.State, Left: c.Left, Right: c.Right, Probability: formatProbability(c.Probability)})
	}
	keep := url.Values{}
	if len(f.States) > 0 {
		st := make([]string, len(f.States))
		for i, s := range f.States {
			st[i] = string(s)
		}
		keep.Set("state", strings.Join(st, ","))
	}
	if f.Family != "" {
		keep.Set("family", string(f.Family))
	}
	if q.Get("limit") != "" {
		keep.Set("limit", strconv.Itoa(size))
	}
	if f.After != "" {
		v.FirstURL = "/links"
		if len(keep) > 0 {
			v.FirstURL += "?" + keep.Encode()
		}
	}
	if more && len(cs) > 0 {
		keep.Set("after", cs[len(cs)-1].ID)
		v.NextURL = "/links?" + keep.Encode()
	}
	s.render(w, r, http.StatusOK, "links.html", v, "links.title")
}

// fieldRow is one field of the comparison: the two values, the level the
// engine gave and its weight, with a bar for the weight.
type fieldRow struct {
	Field       string
	Left, Right string
	Label       string // the engine's English name of the level
	Weight      string // signed: +5.20, −3.10
	Positive    bool
	Bar, BarX   int // the bar's length and left edge, in the SVG's units
}

// The weight bar is an SVG barHalf*2+4 units wide, its axis in the middle:
// evidence for a match is a solid bar to the right of the axis, evidence
// against a hollow bar to its left, so the two differ without colour.
const (
	barHalf = 50
	barAxis = barHalf + 2
)

// linkForm is one of the link page's forms: a decision on the candidate or
// a split of one of its records or families. After a refused post, the
// form that was posted carries what was typed and why it was refused.
type linkForm struct {
	ID       string // unique on the page; names the reason field
	Action   string // the address posted to
	Decision string // CONFIRM, REJECT or UNDO; empty for a split
	Link     string // the candidate, for a split to come back to
	Target   string // what a split takes out: a record's key or a family id
	Required bool   // whether a reason is required
	Lang     string // the page's language
	State    rescreen.LinkState

	Reason  string // the reason typed, kept after a refusal
	Problem string // "required", "long", "conflict", "splitConflict" or "other"; empty when not refused
	Detail  string // the service's own (English) words, for "other"
	Placed  bool   // whether the problem is shown next to a form on the page
}

// linkView is the data of the link page.
type linkView struct {
	Lang        string
	ID          string
	Kind        rescreen.LinkKind
	State       rescreen.LinkState
	Left, Right rescreen.LinkEnd
	Probability string
	Weight      string
	Model       string
	DecidedBy   string
	DecidedAt   time.Time
	Reason      string
	Fields      []fieldRow
	History     []rescreen.LinkDecision
	// InForce reports whether the link joins its two records now; only
	// then are splits offered.
	InForce                  bool
	Confirm, Reject, Undo    *linkForm
	SplitPerson, SplitFamily []*linkForm
	// Refused is the problem of the form just posted, shown at the top of
	// the page as well as next to the form.
	Refused *linkForm
}

// newLinkView arranges a candidate and its history for reading and offers
// the forms that apply to the state it is in.
func newLinkView(lang string, c *rescreen.LinkCandidate, hist []rescreen.LinkDecision) *linkView {
	v := &linkView{
		Lang: lang, ID: c.ID, Kind: c.Kind, State: c.State, Left: c.Left, Right: c.Right,
		Probability: formatProbability(c.Probability), Weight: formatWeight(c.Weight), Model: c.Model,
		DecidedBy: c.DecidedBy, DecidedAt: c.DecidedAt, Reason: c.Reason,
		History: hist, InForce: c.State.Joins(),
	}
	scale := 1.0 // bars are proportional to the largest weight of the pair
	for _, f := range c.Fields {
		scale = max(scale, math.Abs(f.Weight))
	}
	for _, f := range c.Fields {
		n := int(math.Round(barHalf * math.Abs(f.Weight) / scale))
		if n == 0 && f.Weight != 0 {
			n = 1
		}
		row := fieldRow{Field: f.Field, Left: f.Left, Right: f.Right, Label: f.Label, Weight: formatWeight(f.Weight), Positive: f.Weight >= 0, Bar: n, BarX: barAxis}
		if !row.Positive {
			row.BarX = barAxis - n
		}
		v.Fields = append(v.Fields, row)
	}
	decision := "/links/" + url.PathEscape(c.ID) + "/decision"
	form := func(id, d string, required bool) *linkForm {
		return &linkForm{ID: id, Action: decision, Decision: d, Required: required, Lang: lang, State: c.State, Link: c.ID}
	}
	if c.State != rescreen.LinkConfirmed {
		v.Confirm = form("confirm", "CONFIRM", false)
	}
	if c.State != rescreen.LinkRejected {
		v.Reject = form("reject", "REJECT", true)
	}
	if len(hist) > 0 && hist[len(hist)-1].Previous != "" {
		v.Undo = form("undo", "UNDO", true)
	}
	if v.InForce {
		ends := []struct {
			side string
			end  rescreen.LinkEnd
		}{{"left", c.Left}, {"right", c.Right}}
		for _, e := range ends {
			if c.Kind == rescreen.LinkSamePerson {
				f := form("split-person-"+e.side, "", true)
				f.Action, f.Target = "/persons/"+url.PathEscape(e.end.RecordID)+"/split", string(e.end.Key)
				v.SplitPerson = append(v.SplitPerson, f)
			}
			if c.Left.FamilyID != c.Right.FamilyID {
				f := form("split-family-"+e.side, "", true)
				f.Action, f.Target = "/families/"+url.PathEscape(string(e.end.FamilyID))+"/split", string(e.end.FamilyID)
				v.SplitFamily = append(v.SplitFamily, f)
			}
		}
	}
	return v
}

// forms lists the forms the page offers.
func (v *linkView) forms() []*linkForm {
	var out []*linkForm
	for _, f := range []*linkForm{v.Confirm, v.Reject, v.Undo} {
		if f != nil {
			out = append(out, f)
		}
	}
	return append(append(out, v.SplitPerson...), v.SplitFamily...)
}

// formatProbability shows a match probability with three decimals, never
// rounding a probability below one up to a certainty.
func formatProbability(p float64) string {
	s := strconv.FormatFloat(p, 'f', 3, 64)
	if s == "1.000" && p < 1 {
		return "> 0.999"
	}
	return s
}

// formatWeight shows a match weight with its sign, a true minus sign for
// evidence against, so the sign survives a glance.
func formatWeight(w float64) string {
	s := strconv.FormatFloat(math.Abs(w), 'f', 2, 64)
	if w < 0 && s != "0.00" {
		return "−" + s
	}
	return "+" + s
}

// uiLinkView answers GET /links/{id}. The title carries the candidate's
// id, never a name, because titles end up in browser history.
func (s *Server) uiLinkView(w http.ResponseWriter, r *http.Request) {
	c, hist, err := s.links.LinkHistory(r.Context(), r.PathValue("id"))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "link.html", newLinkView(language(r), c, hist), "link.title", c.ID)
}

// readReviewForm refuses a post from another site, bounds the body and
// parses the form. It answers the request itself when it returns false.
func (s *Server) readReviewForm(w http.ResponseWriter, r *http.Request) bool {
	// The zero CrossOriginProtection trusts no other origin: a page
	// elsewhere cannot make a reviewer's browser confirm or split a link.
	cat := s.cats[language(r)]
	var cop http.CrossOriginProtection
	if err := cop.Check(r); err != nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.EFORBIDDEN, "%s", cat.text("link.error.crossSite")))
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReviewBody)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.uiError(w, r, rescreen.Errorf(codeTooLarge, "%s", cat.text("link.error.tooLarge", maxReviewBody/1024)))
			return false
		}
		s.uiError(w, r, rescreen.Errorf(rescreen.EINVALID, "%s", cat.text("link.error.unreadable")))
		return false
	}
	return true
}

// uiLinkDecide answers POST /links/{id}/decision: CONFIRM, REJECT or UNDO
// with a reason, then back to the link page.
func (s *Server) uiLinkDecide(w http.ResponseWriter, r *http.Request) {
	if !s.readReviewForm(w, r) {
		return
	}
	id := r.PathValue("id")
	decision := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("decision")))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if _, err := s.links.DecideLink(r.Context(), id, decision, reason); err != nil {
		s.linkRefused(w, r, id, decision, reason, err)
		return
	}
	http.Redirect(w, r, "/links/"+url.PathEscape(id), http.StatusSeeOther)
}

// uiPersonSplit answers POST /persons/{id}/split: the person record leaves
// the person it was merged into.
func (s *Server) uiPersonSplit(w http.ResponseWriter, r *http.Request) {
	s.uiSplit(w, r, func(reason string) error {
		_, err := s.links.SplitPerson(r.Context(), r.PathValue("id"), reason)
		return err
	})
}

// uiFamilySplit answers POST /families/{id}/split: the family leaves the
// unit links joined it to.
func (s *Server) uiFamilySplit(w http.ResponseWriter, r *http.Request) {
	s.uiSplit(w, r, func(reason string) error {
		_, err := s.links.SplitFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")), reason)
		return err
	})
}

// uiSplit runs a split posted from a link page and goes back to that page
// (the form's link field), or to the queue when the form names none.
func (s *Server) uiSplit(w http.ResponseWriter, r *http.Request, split func(reason string) error) {
	if !s.readReviewForm(w, r) {
		return
	}
	link := strings.TrimSpace(r.PostForm.Get("link"))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if err := split(reason); err != nil {
		if link == "" {
			s.uiError(w, r, err)
			return
		}
		s.linkRefused(w, r, link, "", reason, err)
		return
	}
	back := "/links"
	if link != "" {
		back = "/links/" + url.PathEscape(link)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// linkRefused shows the link page again after the service refused a
// form: the reason typed stays in the form that was posted, and the
// problem is shown next to it. Invalid input answers 422 and a conflict
// (the link is already in that state, or no link is in force to split)
// 409; any other error, such as an unknown link, gets the error page.
func (s *Server) linkRefused(w http.ResponseWriter, r *http.Request, id, decision, reason string, err error) {
	code := rescreen.ErrorCode(err)
	if code != rescreen.EINVALID && code != rescreen.ECONFLICT {
		s.uiError(w, r, err)
		return
	}
	status, d := s.describe(r, err)
	if code == rescreen.EINVALID {
		status = http.StatusUnprocessableEntity
	}
	c, hist, lerr := s.links.LinkHistory(r.Context(), id)
	if lerr != nil {
		s.uiError(w, r, lerr)
		return
	}
	v := newLinkView(language(r), c, hist)
	refused := &linkForm{ID: "page", Lang: v.Lang, State: c.State, Reason: reason, Detail: d.Message}
	switch {
	case code == rescreen.ECONFLICT && decision == "":
		refused.Problem = "splitConflict"
	case code == rescreen.ECONFLICT:
		refused.Problem = "conflict"
	case slices.ContainsFunc(d.Problems, func(p rescreen.FieldError) bool { return p.Field == "reason" }):
		refused.Problem = "other"
		if reason == "" {
			refused.Problem = "required"
		} else if len(reason) > 2000 {
			refused.Problem = "long"
		}
	default:
		refused.Problem = "other"
	}
	for _, f := range v.forms() {
		if f.Action == r.URL.Path && f.Decision == decision {
			f.Reason, f.Problem, f.Detail = reason, refused.Problem, refused.Detail
			refused.ID, refused.Placed = f.ID, true
			break
		}
	}
	v.Refused = refused
	s.render(w, r, status, "link.html", v, "link.title", c.ID)
}
