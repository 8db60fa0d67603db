package web

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"rescreen"
	"rescreen/access"
)

// files holds the templates, the message catalogues and the static
// assets, so the binary carries its own UI and a fresh clone needs no
// build step.
//
//go:embed templates/*.html static/* locales/*/*.json locales/*/source/*.json
var files embed.FS

// pageNames returns the pages: every template but the layout and the
// partials (files named _*.html, which define blocks that several pages
// show, such as a form shown both on the family page and on its own page
// when it is refused). Each page is parsed together with layout.html and
// the partials into its own template set, because every page defines
// "content".
func pageNames() ([]string, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	var out []string
	for _, n := range names {
		if b := path.Base(n); b != "layout.html" && !strings.HasPrefix(b, "_") {
			out = append(out, b)
		}
	}
	return out, nil
}

// parseTemplates parses every page in every language at start-up, so
// that a broken template or catalogue stops the boot instead of failing a
// user's request. Each language's set has its own functions, t among
// them, bound to its catalogue, and explain bound to its source catalogue.
func parseTemplates(cats map[string]catalog, src map[string]*sourceCatalog) (map[string]map[string]*template.Template, error) {
	names, err := pageNames()
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]*template.Template, len(cats))
	for lang, c := range cats {
		pages := make(map[string]*template.Template, len(names))
		for _, name := range names {
			t, err := template.New(name).Funcs(funcsFor(c, src[lang])).ParseFS(files, "templates/layout.html", "templates/_*.html", "templates/"+name)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", name, err)
			}
			pages[name] = t
		}
		out[lang] = pages
	}
	return out, nil
}

// staticFile is an embedded asset served under a name that carries a hash
// of its content. The name changes whenever the content does, so browsers
// may cache it for a year without ever using a stale copy.
type staticFile struct {
	name        string // style.3f2a1b9c04de.css
	url         string // /static/style.3f2a1b9c04de.css
	body        []byte
	contentType string
}

func loadStatic(name, contentType string) (staticFile, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return staticFile{}, fmt.Errorf("web: %w", err)
	}
	sum := sha256.Sum256(b)
	base := path.Base(name)
	ext := path.Ext(base)
	hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	return staticFile{name: hashed, url: "/static/" + hashed, body: b, contentType: contentType}, nil
}

// uiStatic answers GET /static/{file}. Only the current hashed name is
// served; an old name is a 404 rather than today's content under
// yesterday's name, which a cache would then keep for a year.
func (s *Server) uiStatic(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("file") != s.css.name {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Type", s.css.contentType)
	_, _ = w.Write(s.css.body)
}

// view is what every page's template receives: the layout's fields and the
// page's own data.
type view struct {
	Title   string
	CSS     string
	Version string
	Lang    string     // the page's language
	Langs   []langLink // the language switcher
	Path    string     // the page's own address, to come back to
	User    string     // the signed-in user's name; empty when signed out
	Data    any
}

// langLink is one choice of the language switcher.
type langLink struct {
	Code, Name string
	Current    bool
}

// render executes a page into a buffer and only then writes it, so that a
// template error becomes a clean 500 instead of half a page. Pages show
// personal data, so nothing may cache them. The title is a catalogue key
// and its arguments.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any, title string, args ...any) {
	lang := language(r)
	v := view{Title: s.cats[lang].text(title, args...), CSS: s.css.url, Version: s.version, Lang: lang, Path: r.URL.RequestURI(), Data: data}
	csrf := ""
	if id := whoFrom(r.Context()); id != nil {
		v.User = id.principal.User
		if id.session != nil {
			csrf = id.session.CSRF
		}
	}
	for _, l := range languages {
		v.Langs = append(v.Langs, langLink{Code: l, Name: languageNames[l], Current: l == lang})
	}
	var buf bytes.Buffer
	err := s.pages[lang][page].ExecuteTemplate(&buf, "layout", v)
	if err != nil {
		s.log.ErrorContext(r.Context(), "render failed",
			slog.String("request_id", requestIDFrom(r.Context())),
			slog.String("page", page),
			slog.String("error", err.Error()))
		if page != "error.html" {
			s.uiError(w, r, rescreen.WrapError(rescreen.EINTERNAL, "web.render", err, ""))
			return
		}
		buf.Reset()
		buf.WriteString(genericMessage + "\n")
		w.Header().Set("Cache-Control", "no-store")
		writeBuffered(w, http.StatusInternalServerError, "text/plain; charset=utf-8", &buf)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", lang)
	writeBuffered(w, status, "text/html; charset=utf-8", bytes.NewBuffer(withCSRF(buf.Bytes(), csrf)))
}

// errorView is the data of the error page.
type errorView struct {
	Status    int
	Message   string
	Problems  []rescreen.FieldError
	RequestID string
}

// uiError shows err as an HTML page, with the status and safe message the
// one error table decides.
func (s *Server) uiError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.describe(r, err)
	retryLater(w, status)
	s.render(w, r, status, "error.html", errorView{Status: status, Message: d.Message, Problems: d.Problems, RequestID: d.RequestID},
		"error.title", status)
}

// option is one choice of a filter's select box.
type option struct {
	Value    string
	Selected bool
}

func options(values []string, selected string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: v, Selected: strings.EqualFold(v, selected)}
	}
	return out
}

// searchForm echoes the user's own search back into the form, as typed.
type searchForm struct {
	Country, Custody, Stage, Role string
}

// familyListView is the data of the index page.
type familyListView struct {
	Form                   searchForm
	Custody, Stages, Roles []option
	Error                  bool
	Problems               []rescreen.FieldError
	Families               []rescreen.FamilySummary
	Searched               bool
	FirstURL, NextURL      string
}

// uiFamilyList answers GET /, the index of families with its search form.
// The search is a GET form so that results can be bookmarked and paged;
// that puts the user's own query in the URL, which is why the referrer
// policy is no-referrer and the access log never records queries.
func (s *Server) uiFamilyList(w http.ResponseWriter, r *http.Request) {
	if id := whoFrom(r.Context()); id != nil && !id.principal.Reach(access.Need{Group: access.Identity, Level: access.Read}).Any {
		// A monitor or an administrator reads counts, not families.
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	v := familyListView{Form: searchForm{
		Country: q.Get("country"),
		Custody: q.Get("custody"), Stage: q.Get("stage"), Role: q.Get("role"),
	}}
	v.Custody = options(rescreen.CustodyKind("").Values(), v.Form.Custody)
	v.Stages = options(rescreen.Stage("").Values(), v.Form.Stage)
	v.Roles = options(rescreen.Role("").Values(), v.Form.Role)

	// A name or an A-number is never taken from the address (where
	// histories and logs keep it): the search page posts them.
	q.Del("name")
	q.Del("a_number")
	f, err := parseFilter(q, false)
	if err != nil {
		status, d := s.describe(r, err)
		v.Error, v.Problems = true, d.Problems
		s.render(w, r, status, "families.html", v, "families.title")
		return
	}
	page, err := s.families.ListFamilies(r.Context(), f)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v.Families = page.Items
	keep := url.Values{}
	for _, name := range filterParams {
		if val := strings.TrimSpace(q.Get(name)); val != "" && name != "after" {
			keep.Set(name, val)
		}
	}
	v.Searched = len(keep) > 0
	if f.After != "" {
		v.FirstURL = "/"
		if len(keep) > 0 {
			v.FirstURL += "?" + keep.Encode()
		}
	}
	if page.Next != "" {
		keep.Set("after", page.Next)
		v.NextURL = "/?" + keep.Encode()
	}
	s.render(w, r, http.StatusOK, "families.html", v, "families.title")
}

// Row types of the family page. They are built in Go, where references can
// be resolved to names and timelines sorted, so the template only lays out.
type (
	memberRow struct {
		Key                 rescreen.Ref
		Name                string
		Role                rescreen.Role
		Sex                 rescreen.Sex
		BirthDate           rescreen.Date
		Country             string
		ANumbers, Languages []string
	}
	separationRow struct {
		On                   rescreen.Date
		Parent, Child, Place string
		Agency               rescreen.Agency
		Reason               rescreen.SeparationReason
		ChildCustody         rescreen.CustodyKind
	}
	custodyRow struct {
		Person          string
		Kind            rescreen.CustodyKind
		Start, End      rescreen.Date
		Facility, State string
		Agency          rescreen.Agency
	}
	screeningRow struct {
		Person        string
		Kind          rescreen.ScreeningKind
		Occasion      rescreen.Occasion
		On, DecidedOn rescreen.Date
		Result        rescreen.ScreeningResult
		Final         *bool
		Counsel       rescreen.CounselPresence
	}
	electionRow struct {
		Person               string
		Choice               rescreen.Choice
		SignerRole           rescreen.SignerRole
		SignedOn, ReceivedOn rescreen.Date
		Language             string
	}
)

// familyView is the data of the family page.
type familyView struct {
	ID          rescreen.FamilyID
	Stage       rescreen.Stage
	Version     int64
	UpdatedAt   time.Time
	Members     []memberRow
	Separations []separationRow
	Custody     []custodyRow
	Screenings  []screeningRow
	Elections   []electionRow
	// Determination is the rules' current result; nil before the first
	// evaluation.
	Determination *rescreen.Determination
	Holds         []holdRow
	// Held reports whether a removal hold is in force on any member; the
	// page then shows a banner with what would lift it.
	Held        bool
	LiftSummary string
	// Unit lists the families evaluated with this one, when links join it
	// to others.
	Unit []rescreen.FamilyID
	// Timeline is every dated fact on record, oldest first.
	Timeline []timelineRow
	// FamilyCriteria are the family rules' criteria (F, H-2), and Why
	// each member's: the reasoning behind the outcome, with its sources.
	FamilyCriteria []criterionRow
	Why            []personWhy
	// Notices are the notices and contact attempts, with their forms;
	// nil when the user may not read them (ui_notices.go).
	Notices *noticesView
	// Schedule is the appointments and the W9 clock (ui_schedule.go).
	Schedule familySchedule
}

// criterionRow is one test a rule made, in the page's language: the
// rules' English translated, and member references followed by names.
type criterionRow struct {
	Rule      string
	Test      string
	Status    rescreen.CriterionStatus
	Detail    string
	Missing   []string
	Citations []string
}

// personWhy is the reasoning about one member: the member's state, each
// rule set's coverage, each remedy owed and each election form checked.
type personWhy struct {
	Name   string
	State  rescreen.MemberState
	Groups []criteriaGroup
}

// criteriaGroup is a run of criteria under one heading: Kind is
// "state", "coverage", "remedy" or "election", Of what it is about (a
// rule set, a remedy, an election form) and Status its result.
type criteriaGroup struct {
	Kind, Of, Status string
	Criteria         []criterionRow
}

// timelineRow is one dated event of the family's timeline, in the page's
// language.
type timelineRow struct {
	On   rescreen.Date
	Text string
}

// holdRow is one member's removal hold, by name.
type holdRow struct {
	Name  string
	State rescreen.MemberState
	Hold  rescreen.Hold
}

// newFamilyView arranges a dossier for reading: adults before children,
// separations and custody in date order (the timeline of the family as a
// whole, since a child's placement follows a parent's detention), screenings
// grouped by person, and references replaced by names.
func newFamilyView(d *rescreen.Dossier, c catalog, sc *sourceCatalog) familyView {
	recs := &d.Records
	v := familyView{ID: d.FamilyID, Stage: d.Stage, Version: d.Version, UpdatedAt: d.UpdatedAt, Determination: d.Determination, Unit: d.Unit}
	names := map[rescreen.Ref]string{}
	for i := range recs.Persons {
		p := &recs.Persons[i]
		names[p.Key()] = p.FullName()
		v.Members = append(v.Members, memberRow{
			Key: p.Key(), Name: p.FullName(), Role: p.Role, Sex: p.Sex, BirthDate: p.BirthDate,
			Country: p.Country, Languages: p.Languages,
		})
	}
	name := func(r rescreen.Ref) string {
		if n, ok := names[r]; ok && n != "" {
			return n
		}
		return string(r) // a dangling reference is shown as it is, not hidden
	}
	for i := range recs.Identifiers {
		id := &recs.Identifiers[i]
		if id.Kind != rescreen.IDANumber {
			continue
		}
		for j := range v.Members {
			if v.Members[j].Key == id.Person {
				v.Members[j].ANumbers = append(v.Members[j].ANumbers, id.Value)
			}
		}
	}
	slices.SortStableFunc(v.Members, func(a, b memberRow) int {
		return -cmpBool(a.Role.IsAdult(), b.Role.IsAdult())
	})
	for _, s := range recs.Separations {
		v.Separations = append(v.Separations, separationRow{
			On: s.On, Parent: name(s.Parent), Child: name(s.Child), Place: s.Place,
			Agency: s.Agency, Reason: s.Reason, ChildCustody: s.ChildCustody,
		})
	}
	slices.SortStableFunc(v.Separations, func(a, b separationRow) int { return a.On.Compare(b.On) })
	if d.Determination != nil {
		named := namesInText(names)
		rows := func(cs []rescreen.Criterion) []criterionRow {
			out := make([]criterionRow, len(cs))
			for i := range cs {
				x := &cs[i]
				out[i] = criterionRow{Rule: x.Rule, Test: sc.explain(x.Test, nil), Status: x.Status,
					Detail: named.Replace(sc.explain(x.Detail, x.DetailValues)), Missing: x.Missing, Citations: x.Citations}
			}
			return out
		}
		v.FamilyCriteria = rows(d.Determination.Criteria)
		for _, p := range d.Determination.Persons {
			h := p.Hold
			h.Reason = named.Replace(sc.explain(h.Reason, h.ReasonValues))
			h.LiftCondition = named.Replace(sc.explain(h.LiftCondition, h.LiftValues))
			v.Holds = append(v.Holds, holdRow{Name: name(p.Person), State: p.State, Hold: h})
			why := personWhy{Name: name(p.Person), State: p.State}
			if len(p.StateCriteria) > 0 {
				why.Groups = append(why.Groups, criteriaGroup{Kind: "state", Status: string(p.State), Criteria: rows(p.StateCriteria)})
			}
			for _, cv := range p.Coverage {
				why.Groups = append(why.Groups, criteriaGroup{Kind: "coverage", Of: cv.RuleSet, Status: string(cv.Status), Criteria: rows(cv.Criteria)})
			}
			for _, rm := range p.Remedies {
				why.Groups = append(why.Groups, criteriaGroup{Kind: "remedy", Of: string(rm.Kind), Status: rm.State, Criteria: rows(rm.Criteria)})
			}
			for _, el := range p.Elections {
				why.Groups = append(why.Groups, criteriaGroup{Kind: "election", Of: string(el.Election), Status: el.Validity, Criteria: rows(el.Criteria)})
			}
			v.Why = append(v.Why, why)
			if h.Held {
				v.Held = true
				if v.LiftSummary == "" {
					v.LiftSummary = h.LiftCondition
				}
			}
		}
	}
	for _, c := range recs.Custody {
		v.Custody = append(v.Custody, custodyRow{
			Person: name(c.Person), Kind: c.Kind, Start: c.Start, End: c.End,
			Facility: c.Facility, State: c.State, Agency: c.Agency,
		})
	}
	slices.SortStableFunc(v.Custody, func(a, b custodyRow) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.Person, b.Person))
	})
	for _, s := range recs.Screenings {
		v.Screenings = append(v.Screenings, screeningRow{
			Person: name(s.Person), Kind: s.Kind, Occasion: s.Occasion, On: s.On, DecidedOn: s.DecidedOn,
			Result: s.Result, Final: s.Final, Counsel: s.Counsel,
		})
	}
	slices.SortStableFunc(v.Screenings, func(a, b screeningRow) int {
		return cmp.Or(strings.Compare(a.Person, b.Person), a.On.Compare(b.On))
	})
	for _, e := range recs.Elections {
		v.Elections = append(v.Elections, electionRow{
			Person: name(e.Person), Choice: e.Choice, SignerRole: e.SignerRole,
			SignedOn: e.SignedOn, ReceivedOn: e.ReceivedOn, Language: e.Language,
		})
	}
	v.Timeline = timeline(recs, name, c)
	return v
}

// timeline puts every dated fact of the records in one list, oldest first
// (on one day, in the order of the record kinds: a separation before the
// custody it began): separations, custody, interviews and decisions,
// elections signed and received, contact attempts and return requests.
func timeline(recs *rescreen.Dataset, name func(rescreen.Ref) string, c catalog) []timelineRow {
	var out []timelineRow
	add := func(on rescreen.Date, key string, args ...any) {
		if !on.IsZero() {
			out = append(out, timelineRow{On: on, Text: c.text(key, args...)})
		}
	}
	for _, s := range recs.Separations {
		add(s.On, "timeline.separated", name(s.Parent), name(s.Child), c.enumLabel("reason", s.Reason))
	}
	for _, x := range recs.Custody {
		add(x.Start, "timeline.custodyStart", name(x.Person), c.enumLabel("custody", x.Kind))
		add(x.End, "timeline.custodyEnd", name(x.Person), c.enumLabel("custody", x.Kind))
	}
	for _, x := range recs.Screenings {
		add(x.On, "timeline.interview", name(x.Person), c.enumLabel("occasion", x.Occasion))
		add(x.DecidedOn, "timeline.decided", name(x.Person), c.enumLabel("occasion", x.Occasion), c.enumLabel("result", x.Result))
	}
	for _, x := range recs.Elections {
		add(x.SignedOn, "timeline.signed", name(x.Person), c.enumLabel("choice", x.Choice))
		add(x.ReceivedOn, "timeline.received", name(x.Person))
	}
	for _, x := range recs.Contacts {
		add(x.On, "timeline.contact", name(x.Person), c.enumLabel("channel", x.Channel), c.enumLabel("contactOutcome", x.Outcome))
	}
	for _, x := range recs.Notices {
		add(x.On, "timeline.notice", name(x.Person), c.enumLabel("noticeKind", x.Kind), c.enumLabel("deliveryMode", x.Mode), c.enumLabel("deliveryOutcome", x.Outcome))
	}
	for _, x := range recs.ReturnRequests {
		add(x.SubmittedOn, "timeline.returnSubmitted", name(x.Parent))
		add(x.DecisionOn, "timeline.returnDecided", name(x.Parent), c.enumLabel("returnState", x.State))
		add(x.ArrivedOn, "timeline.arrived", name(x.Parent))
	}
	slices.SortStableFunc(out, func(a, b timelineRow) int { return a.On.Compare(b.On) })
	return out
}

// namesInText returns a replacer that writes each member's reference in
// the rules' explanations (CBP_E3:F0000006-M2) as the member's name with
// the reference after it, so that an officer reads who is meant. Longer
// references are tried first, so that one that begins another is not
// replaced inside it.
func namesInText(names map[rescreen.Ref]string) *strings.Replacer {
	refs := make([]rescreen.Ref, 0, len(names))
	for r, n := range names {
		if n != "" {
			refs = append(refs, r)
		}
	}
	slices.SortFunc(refs, func(a, b rescreen.Ref) int { return cmp.Or(len(b)-len(a), strings.Compare(string(a), string(b))) })
	pairs := make([]string, 0, 2*len(refs))
	for _, r := range refs {
		pairs = append(pairs, string(r), names[r]+" ("+string(r)+")")
	}
	return strings.NewReplacer(pairs...)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// uiFamilyView answers GET /families/{id}. The page title carries the id,
// never a name, because titles end up in browser history.
func (s *Server) uiFamilyView(w http.ResponseWriter, r *http.Request) {
	d, err := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := newFamilyView(d, s.cats[language(r)], s.src[language(r)])
	v.Notices = s.noticesSection(r, d)
	v.Schedule = newFamilySchedule(d, s.today())
	s.render(w, r, http.StatusOK, "family.html", v, "family.title", d.FamilyID)
}
