package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"rescreen"
)

// The screening and election forms (issue 5). They are plain HTML forms
// that work without JavaScript: the server checks every field, and on a
// problem shows the form again, as the user typed it, with each message
// next to its field and a summary at the top that links to the fields.
// The checks here are those a person filling in the form should hear about
// at once, in their language; the service checks again (it is the one
// place a change is made), and its problems land next to the same fields.

const (
	// maxFormBody bounds a form's body. The longest legitimate form is a
	// screening with long notes and many evidence descriptions; 256 KiB is
	// far above that and far below what would hurt the server.
	maxFormBody = 256 << 10
	// maxEvidence bounds the evidence rows of one screening form.
	maxEvidence = 20
	// Text limits, the same as the service's (validate.go).
	maxShortText = 200
	maxLongText  = 20000
)

// formField is one field as the user typed it, and its problem if any.
type formField struct {
	Name  string // the control's name and id
	Value string // as typed, so a refused form comes back unchanged
	Error string // the message shown next to the field; empty if none
	label string // the field's label, for the summary
}

// formProblem is one line of the summary at the top of a refused form.
// Field is empty for a problem that concerns the whole form.
type formProblem struct {
	Field string
	Text  string
}

// form is one submitted (or fresh) form: its fields in page order and the
// problems found. Messages come from the catalogue of the request's
// language.
type form struct {
	cat    catalog
	F      map[string]*formField
	order  []string
	others []string // problems not tied to a field
	// Conflict is shown above the form when the family changed after the
	// form was opened.
	Conflict string
}

// fieldDef names a field and the catalogue key of its label.
type fieldDef struct{ name, label string }

func newForm(cat catalog, vals url.Values, defs ...fieldDef) *form {
	f := &form{cat: cat, F: make(map[string]*formField, len(defs))}
	for _, d := range defs {
		f.add(d, vals)
	}
	return f
}

func (f *form) add(d fieldDef, vals url.Values) {
	f.F[d.name] = &formField{Name: d.name, Value: vals.Get(d.name), label: f.cat.text(d.label)}
	f.order = append(f.order, d.name)
}

// fail records a problem with a field; the first problem found stays, as
// it is usually the cause of the others.
func (f *form) fail(name, key string, args ...any) {
	fd := f.F[name]
	if fd == nil {
		f.others = append(f.others, f.cat.text(key, args...))
		return
	}
	if fd.Error == "" {
		fd.Error = f.cat.text(key, args...)
	}
}

// failed reports whether the field has a problem.
func (f *form) failed(name string) bool { return f.F[name] != nil && f.F[name].Error != "" }

// HasErrors reports whether anything was found wrong.
func (f *form) HasErrors() bool { return len(f.Problems()) > 0 }

// Problems lists the problems for the summary, in the order of the page,
// each naming its field, so that the line makes sense on its own.
func (f *form) Problems() []formProblem {
	var out []formProblem
	for _, t := range f.others {
		out = append(out, formProblem{Text: t})
	}
	for _, n := range f.order {
		if fd := f.F[n]; fd.Error != "" {
			out = append(out, formProblem{Field: n, Text: fd.label + ": " + fd.Error})
		}
	}
	return out
}

// raw returns the value as typed, trimmed.
func (f *form) raw(name string) string { return strings.TrimSpace(f.F[name].Value) }

// need fails the field if it is empty and reports whether it has a value.
func (f *form) need(name, key string) bool {
	if f.raw(name) == "" {
		f.fail(name, key)
		return false
	}
	return true
}

// markupRE finds the start of an HTML tag, comment or declaration. Names,
// offices and notes never need one, and refusing it keeps pasted markup
// out of records that other systems will display. A bare "<" (age < 14)
// is still allowed.
var markupRE = regexp.MustCompile(`<[A-Za-z!/?]`)

// text checks a free-text field: valid UTF-8, no more than the limit, no
// control characters (long text may have line breaks and tabs), and no
// markup. It returns the trimmed value.
func (f *form) text(name string, long bool) string {
	v := f.raw(name)
	limit := maxShortText
	if long {
		limit = maxLongText
	}
	switch n := utf8.RuneCountInString(v); {
	case !utf8.ValidString(v):
		f.fail(name, "forms.err.encoding")
	case n > limit:
		f.fail(name, "forms.err.tooLong", limit, n)
	case strings.IndexFunc(v, func(c rune) bool {
		return unicode.IsControl(c) && !(long && (c == '\n' || c == '\r' || c == '\t'))
	}) >= 0:
		f.fail(name, "forms.err.control")
	case markupRE.MatchString(v):
		f.fail(name, "forms.err.markup")
	}
	return v
}

// choice checks a select or radio value against the allowed values; an
// empty value passes (need checks presence).
func (f *form) choice(name string, values []string) string {
	v := f.raw(name)
	if v != "" && !slices.Contains(values, v) {
		f.fail(name, "forms.err.choose")
		return ""
	}
	return v
}

// flag reads a yes/no radio group; nil means not recorded.
func (f *form) flag(name string) *bool {
	switch f.choice(name, []string{"yes", "no"}) {
	case "yes":
		return ptrTo(true)
	case "no":
		return ptrTo(false)
	}
	return nil
}

func ptrTo[T any](v T) *T { return &v }

// date reads a date written YYYY-MM-DD that exists, lies in 1900-2100 and,
// unless future is allowed, is not after today.
func (f *form) date(name string, today rescreen.Date, future bool) rescreen.Date {
	v := f.raw(name)
	if v == "" {
		return rescreen.Date{}
	}
	d, err := rescreen.ParseDate(v)
	switch {
	case err != nil || len(v) != len(rescreen.DateLayout):
		f.fail(name, "forms.err.date")
		return rescreen.Date{}
	case d.Year < 1900 || d.Year > 2100:
		f.fail(name, "forms.err.dateRange")
		return rescreen.Date{}
	case !future && d.After(today):
		f.fail(name, "forms.err.future", today.String())
		return rescreen.Date{}
	}
	return d
}

// notBefore fails the later field if both dates are known and out of order.
func (f *form) notBefore(name string, later, earlier rescreen.Date, key string) {
	if !later.IsZero() && !earlier.IsZero() && later.Before(earlier) {
		f.fail(name, key, earlier.String())
	}
}

// language reads an ISO 639 code (2 or 3 letters), in lower case.
func (f *form) language(name string) string {
	v := strings.ToLower(f.text(name, false))
	if v != "" && !f.failed(name) && !rescreen.IsLanguage(v) {
		f.fail(name, "forms.err.language")
	}
	return v
}

// version reads the hidden family version the form was rendered from.
func (f *form) version(name string) int64 {
	v, err := strconv.ParseInt(f.raw(name), 10, 64)
	if err != nil || v < 1 {
		// A hidden field has nothing to show a message next to.
		f.fail("", "forms.err.version")
		return 0
	}
	return v
}

// changePathRE matches the field paths of ApplyChanges' problems.
var changePathRE = regexp.MustCompile(`^changes\[(\d+)\]\.record\.([a-z_]+)`)

// serviceProblems puts the service's problems next to the fields they
// name. field maps a change index and a record field to the form's field
// name ("" if the form has none). The service speaks English; a plain
// "is required" is shown in the page's language, any other message as the
// service wrote it.
func (f *form) serviceProblems(err error, field func(change int, name string) string) {
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 {
		f.fail("", "forms.err.service", rescreen.ErrorMessage(err))
		return
	}
	for _, p := range ve.Problems {
		name := ""
		if m := changePathRE.FindStringSubmatch(p.Field); m != nil {
			i, _ := strconv.Atoi(m[1])
			name = field(i, m[2])
		}
		switch {
		case name != "" && p.Msg == "is required":
			f.fail(name, "forms.err.required")
		case name != "":
			f.fail(name, "forms.err.service", p.Msg)
		case p.Field != "":
			f.fail("", "forms.err.service", p.Field+": "+p.Msg)
		default:
			f.fail("", "forms.err.service", p.Msg)
		}
	}
}

// memberChoice is one member in a form's select box.
type memberChoice struct {
	Value     string // the person's reference
	Name      string
	Role      rescreen.Role
	BirthDate rescreen.Date
}

func membersOf(d *rescreen.Dossier) []memberChoice {
	var out []memberChoice
	for i := range d.Records.Persons {
		p := &d.Records.Persons[i]
		out = append(out, memberChoice{Value: string(p.Key()), Name: p.FullName(), Role: p.Role, BirthDate: p.BirthDate})
	}
	slices.SortStableFunc(out, func(a, b memberChoice) int { return -cmpBool(a.Role.IsAdult(), b.Role.IsAdult()) })
	return out
}

// member returns the family's person with the reference, or nil.
func member(d *rescreen.Dossier, ref string) *rescreen.Person {
	for i := range d.Records.Persons {
		if string(d.Records.Persons[i].Key()) == ref {
			return &d.Records.Persons[i]
		}
	}
	return nil
}

// languagesOf lists the languages the family's members understand, as
// suggestions for the language fields.
func languagesOf(d *rescreen.Dossier) []string {
	var out []string
	for _, p := range d.Records.Persons {
		for _, l := range p.Languages {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

// newManualMeta gives a record entered in the UI its keys the way the
// service gives a MANUAL record without a source id (app prepare): a new
// id, which is also the source id. The UI chooses it itself because the
// evidence items must refer to their screening in the same change.
func newManualMeta() rescreen.Meta {
	id := "R-" + rand.Text()
	return rescreen.Meta{ID: id, Source: rescreen.SourceManual, SourceID: id}
}

// today is the date against which "not in the future" is checked, by the
// server's clock: UTC, which is ahead of every U.S. time zone, so no one's
// today is refused.
func (s *Server) today() rescreen.Date { return rescreen.DateOf(s.now().UTC()) }

// readForm limits and parses a form body. A body over the limit is
// refused as too large, in the page's language.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		cat := s.cats[language(r)]
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			// Rendered here rather than through uiError, whose safe
			// message for this code is a fixed English one.
			s.render(w, r, http.StatusRequestEntityTooLarge, "error.html",
				errorView{Status: http.StatusRequestEntityTooLarge, Message: cat.text("forms.err.tooLarge", maxFormBody/1024), RequestID: requestIDFrom(r.Context())},
				"error.title", http.StatusRequestEntityTooLarge)
		} else {
			s.uiError(w, r, rescreen.Errorf(rescreen.EINVALID, "%s", cat.text("forms.err.unreadable")))
		}
		return false
	}
	return true
}

// familyAnchor is where a recorded form sends the user back to: the
// family page, at the section the new record appears in.
func familyAnchor(id rescreen.FamilyID, section string) string {
	return "/families/" + url.PathEscape(string(id)) + "#" + section
}

// --- Screening form ---

// screeningPage is the data of screening.html.
type screeningPage struct {
	Family    rescreen.FamilyID
	Members   []memberChoice
	Languages []string
	Occasions []string
	Kinds     []string
	Results   []string
	Modes     []string
	Counsel   []string
	ItemKinds []string
	Evidence  []evidenceRow
	CanAdd    bool // another evidence row may be added
	*form
}

// evidenceRow is one evidence item's fields.
type evidenceRow struct {
	N                                                   int // 1-based, for the legend
	Kind, Description, SubmittedOn, Language, Submitter *formField
}

// evidenceField names field f of evidence row i.
func evidenceField(i int, f string) string { return fmt.Sprintf("evidence-%d-%s", i, f) }

var evidenceFields = []fieldDef{
	{"kind", "forms.evidence.kind"}, {"description", "forms.evidence.description"},
	{"submitted_on", "forms.evidence.submittedOn"}, {"language", "forms.evidence.language"},
	{"submitter", "forms.evidence.submitter"},
}

func newScreeningPage(d *rescreen.Dossier, cat catalog, vals url.Values) *screeningPage {
	f := newForm(cat, vals,
		fieldDef{"version", "forms.version"},
		fieldDef{"person", "forms.screening.person"},
		fieldDef{"occasion", "forms.screening.occasion"},
		fieldDef{"kind", "forms.screening.kind"},
		fieldDef{"on", "forms.screening.on"},
		fieldDef{"result", "forms.screening.result"},
		fieldDef{"decided_on", "forms.screening.decidedOn"},
		fieldDef{"final", "forms.screening.final"},
		fieldDef{"officer", "forms.screening.officer"},
		fieldDef{"office", "forms.screening.office"},
		fieldDef{"mode", "forms.screening.mode"},
		fieldDef{"counsel_presence", "forms.screening.counsel"},
		fieldDef{"interpreter_language", "forms.screening.interpreter"},
		fieldDef{"relies_on_inconsistency", "forms.screening.relies"},
		fieldDef{"psych_state_considered", "forms.screening.psych"},
	)
	rows, _ := strconv.Atoi(vals.Get("evidence_rows"))
	rows = min(max(rows, 1), maxEvidence)
	p := &screeningPage{
		Family: d.FamilyID, Members: membersOf(d), Languages: languagesOf(d),
		Occasions: rescreen.Occasion("").Values(), Kinds: rescreen.ScreeningKind("").Values(),
		Results: rescreen.ScreeningResult("").Values(), Modes: rescreen.InterviewMode("").Values(),
		Counsel: rescreen.CounselPresence("").Values(), ItemKinds: rescreen.EvidenceKind("").Values(),
		form: f,
	}
	for i := range rows {
		p.addEvidenceRow(i, vals)
	}
	f.add(fieldDef{"notes", "forms.screening.notes"}, vals)
	p.CanAdd = rows < maxEvidence
	return p
}

func (p *screeningPage) addEvidenceRow(i int, vals url.Values) {
	for _, d := range evidenceFields {
		name := evidenceField(i, d.name)
		p.add(fieldDef{name, d.label}, vals)
		// The summary says which item a problem is in.
		p.F[name].label = p.cat.text("forms.evidence.item", i+1) + ", " + p.F[name].label
	}
	p.Evidence = append(p.Evidence, evidenceRow{N: i + 1,
		Kind: p.F[evidenceField(i, "kind")], Description: p.F[evidenceField(i, "description")],
		SubmittedOn: p.F[evidenceField(i, "submitted_on")], Language: p.F[evidenceField(i, "language")],
		Submitter: p.F[evidenceField(i, "submitter")]})
}

// check validates the screening form and returns the records to write:
// the screening first, then its evidence items, so that the items'
// reference to the screening resolves within the one change. rowOf maps
// each change after the first to its evidence row.
func (p *screeningPage) check(d *rescreen.Dossier, today rescreen.Date) (changes []rescreen.Change, rowOf []int) {
	f := p.form
	sc := &rescreen.Screening{Meta: newManualMeta()}

	var person *rescreen.Person
	if f.need("person", "forms.err.person") {
		if person = member(d, f.raw("person")); person == nil {
			f.fail("person", "forms.err.person")
		} else {
			sc.Person = person.Key()
		}
	}
	if f.need("occasion", "forms.err.choose") {
		sc.Occasion = rescreen.Occasion(f.choice("occasion", p.Occasions))
	}
	if person != nil && person.Role.IsAdult() && sc.Occasion == rescreen.OccasionChildOwn {
		f.fail("occasion", "forms.err.childInterviewAdult")
	}
	if f.need("kind", "forms.err.choose") {
		sc.Kind = rescreen.ScreeningKind(f.choice("kind", p.Kinds))
	}
	if f.need("result", "forms.err.choose") {
		sc.Result = rescreen.ScreeningResult(f.choice("result", p.Results))
	}
	pending := sc.Result == rescreen.ResultPending
	decided := sc.Result != "" && !pending

	// A pending screening may be one scheduled for a later day.
	if f.need("on", "forms.err.required") {
		sc.On = f.date("on", today, pending)
	}
	switch {
	case pending && f.raw("decided_on") != "":
		f.fail("decided_on", "forms.err.decidedPending")
	case decided && f.need("decided_on", "forms.err.required"):
		sc.DecidedOn = f.date("decided_on", today, false)
		f.notBefore("decided_on", sc.DecidedOn, sc.On, "forms.err.decidedBeforeInterview")
	}
	sc.Final = f.flag("final")
	switch {
	case pending && sc.Final != nil && *sc.Final:
		f.fail("final", "forms.err.finalPending")
	case decided && sc.Final == nil && !f.failed("final"):
		f.fail("final", "forms.err.choose")
	}

	sc.Officer = f.text("officer", false)
	sc.Office = f.text("office", false)
	sc.Mode = rescreen.InterviewMode(f.choice("mode", p.Modes))
	settlement := sc.Occasion == rescreen.OccasionSettlement || sc.Occasion == rescreen.OccasionChildOwn
	// R-SYS-9: counsel presence is a compliance fact of every interview
	// the settlement owes.
	if !settlement || f.need("counsel_presence", "forms.err.choose") {
		sc.Counsel = rescreen.CounselPresence(f.choice("counsel_presence", p.Counsel))
	}
	sc.Interpreter = f.language("interpreter_language")

	// R-P5: a negative decision after the first interview says whether it
	// relies on inconsistencies with it; if it does, the record that the
	// psychological state at that interview was considered is required.
	sc.ReliesOnInconsistency = f.flag("relies_on_inconsistency")
	if sc.ReliesOnInconsistency == nil && !f.failed("relies_on_inconsistency") &&
		sc.Result == rescreen.ResultNegative && sc.Occasion != "" && sc.Occasion != rescreen.OccasionInitial {
		f.fail("relies_on_inconsistency", "forms.err.reliesRequired")
	}
	switch f.raw("psych_state_considered") {
	case "":
	case "yes":
		sc.PsychStateConsidered = ptrTo(true)
	default:
		f.fail("psych_state_considered", "forms.err.choose")
	}
	relies := sc.ReliesOnInconsistency != nil && *sc.ReliesOnInconsistency
	switch {
	case relies && sc.PsychStateConsidered == nil && !f.failed("psych_state_considered"):
		f.fail("psych_state_considered", "forms.err.psychRequired")
	case sc.PsychStateConsidered != nil && sc.ReliesOnInconsistency == nil && !f.failed("relies_on_inconsistency"):
		f.fail("relies_on_inconsistency", "forms.err.reliesForPsych")
	}
	sc.Notes = f.text("notes", true)

	changes = append(changes, rescreen.Change{Kind: rescreen.KindScreenings, Record: sc})
	for i := range p.Evidence {
		name := func(fd string) string { return evidenceField(i, fd) }
		blank := true
		for _, fd := range evidenceFields {
			blank = blank && f.raw(name(fd.name)) == ""
		}
		if blank {
			continue
		}
		ev := &rescreen.EvidenceItem{Meta: newManualMeta(), Person: sc.Person, Screening: sc.Key()}
		if f.need(name("kind"), "forms.err.choose") {
			ev.Kind = rescreen.EvidenceKind(f.choice(name("kind"), p.ItemKinds))
		}
		if f.need(name("description"), "forms.err.required") {
			ev.Description = f.text(name("description"), true)
		}
		ev.SubmittedOn = f.date(name("submitted_on"), today, false)
		ev.Language = f.language(name("language"))
		ev.Submitter = f.text(name("submitter"), false)
		changes = append(changes, rescreen.Change{Kind: rescreen.KindEvidence, Record: ev})
		rowOf = append(rowOf, i)
	}
	return changes, rowOf
}

// uiScreeningNew answers GET /families/{id}/screenings/new. The form
// carries the family's version, so that a change made meanwhile is caught
// when it is submitted. ?person= chooses the member in advance.
func (s *Server) uiScreeningNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	vals := url.Values{"version": {strconv.FormatInt(d.Version, 10)}, "person": {r.URL.Query().Get("person")}}
	p := newScreeningPage(d, s.cats[language(r)], vals)
	s.render(w, r, http.StatusOK, "screening.html", p, "forms.screening.title", d.FamilyID)
}

// uiScreeningCreate answers POST /families/{id}/screenings: it records the
// screening and its evidence items in one change, then sends the user to
// the family page (303). A refused form comes back with 422, a stale one
// with 409.
func (s *Server) uiScreeningCreate(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	id := rescreen.FamilyID(r.PathValue("id"))
	d, err := s.families.GetFamily(r.Context(), id)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	vals := r.PostForm
	if vals.Get("action") == "add_evidence" {
		vals.Set("evidence_rows", strconv.Itoa(atoiOr(vals.Get("evidence_rows"), 1)+1))
		p := newScreeningPage(d, s.cats[language(r)], vals)
		s.render(w, r, http.StatusOK, "screening.html", p, "forms.screening.title", d.FamilyID)
		return
	}
	p := newScreeningPage(d, s.cats[language(r)], vals)
	version := p.version("version")
	changes, rowOf := p.check(d, s.today())
	if p.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "screening.html", p, "forms.screening.titleError", d.FamilyID)
		return
	}
	_, err = s.families.ApplyChanges(r.Context(), id, version, changes)
	status, ok := s.formOutcome(r, p.form, err, version, func(i int, name string) string {
		switch {
		case i == 0:
			return knownField(p.form, name)
		case i-1 < len(rowOf):
			return knownField(p.form, evidenceField(rowOf[i-1], name))
		}
		return ""
	})
	if ok {
		http.Redirect(w, r, familyAnchor(id, "screenings"), http.StatusSeeOther)
		return
	}
	if status == 0 {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, status, "screening.html", p, "forms.screening.titleError", d.FamilyID)
}

// knownField returns name if the form has such a field, else "". The
// form's fields are named after the records' JSON fields, so that the
// service's problems find them.
func knownField(f *form, name string) string {
	if _, ok := f.F[name]; ok {
		return name
	}
	return ""
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// formOutcome turns the service's answer to a submitted form into what the
// user sees. ok means recorded. Otherwise status is the status to show the
// form again with (409 for a stale version, 422 for refused values), or 0
// when the error is not the form's to show (a missing family, a failure).
func (s *Server) formOutcome(r *http.Request, f *form, err error, version int64, field func(int, string) string) (status int, ok bool) {
	switch rescreen.ErrorCode(err) {
	case "":
		return 0, true
	case rescreen.ECONFLICT:
		// Show the family's current version, so that submitting again,
		// after a look at the family page, records the form.
		cur := version
		if d, gerr := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id"))); gerr == nil {
			cur = d.Version
		}
		f.F["version"].Value = strconv.FormatInt(cur, 10)
		f.Conflict = f.cat.text("forms.err.conflict", version, cur)
		return http.StatusConflict, false
	case rescreen.EINVALID:
		f.serviceProblems(err, field)
		return http.StatusUnprocessableEntity, false
	}
	return 0, false
}

// --- Election form ---

// electionPage is the data of election.html.
type electionPage struct {
	Family    rescreen.FamilyID
	Members   []memberChoice
	Languages []string
	Choices   []string
	Signers   []string
	Channels  []string
	*form
}

func newElectionPage(d *rescreen.Dossier, cat catalog, vals url.Values) *electionPage {
	f := newForm(cat, vals,
		fieldDef{"version", "forms.version"},
		fieldDef{"person", "forms.election.person"},
		fieldDef{"choice", "forms.election.choice"},
		fieldDef{"signer_role", "forms.election.signerRole"},
		fieldDef{"signer", "forms.election.signer"},
		fieldDef{"signed_on", "forms.election.signedOn"},
		fieldDef{"language", "forms.election.language"},
		fieldDef{"read_aloud", "forms.election.readAloud"},
		fieldDef{"interpreter", "forms.election.interpreter"},
		fieldDef{"channel", "forms.election.channel"},
		fieldDef{"sent_on", "forms.election.sentOn"},
		fieldDef{"recipient", "forms.election.recipient"},
		fieldDef{"received_on", "forms.election.receivedOn"},
		fieldDef{"form_version", "forms.election.formVersion"},
		fieldDef{"form_ref", "forms.election.formRef"},
	)
	return &electionPage{
		Family: d.FamilyID, Members: membersOf(d), Languages: languagesOf(d),
		Choices: rescreen.Choice("").Values(), Signers: rescreen.SignerRole("").Values(),
		Channels: rescreen.Channel("").Values(), form: f,
	}
}

// check validates the election form and returns the election to record.
func (p *electionPage) check(d *rescreen.Dossier, today rescreen.Date) *rescreen.Election {
	f := p.form
	e := &rescreen.Election{Meta: newManualMeta()}
	var person *rescreen.Person
	if f.need("person", "forms.err.person") {
		if person = member(d, f.raw("person")); person == nil {
			f.fail("person", "forms.err.person")
		} else {
			e.Person = person.Key()
		}
	}
	if f.need("choice", "forms.err.choose") {
		e.Choice = rescreen.Choice(f.choice("choice", p.Choices))
	}
	if f.need("signer_role", "forms.err.choose") {
		e.SignerRole = rescreen.SignerRole(f.choice("signer_role", p.Signers))
	}
	// A signed form names its signer and the day; an unsigned one (NONE)
	// may still carry what is known.
	signed := e.SignerRole != "" && e.SignerRole != rescreen.SignerNone
	if !signed || f.need("signer", "forms.err.required") {
		e.Signer = f.text("signer", false)
	}
	if !signed || f.need("signed_on", "forms.err.required") {
		e.SignedOn = f.date("signed_on", today, false)
	}
	// W4: a child under 14 on the day of signing, or a member who lacks
	// capacity, cannot sign for themselves.
	if person != nil && e.SignerRole == rescreen.SignerSelf && !f.failed("signer_role") {
		switch {
		case !person.BirthDate.IsZero() && !e.SignedOn.IsZero() && person.BirthDate.AgeOn(e.SignedOn) < 14:
			f.fail("signer_role", "forms.err.under14", person.FullName(), person.BirthDate.AgeOn(e.SignedOn), e.SignedOn.String())
		case person.LacksCapacity != nil && *person.LacksCapacity:
			f.fail("signer_role", "forms.err.lacksCapacity", person.FullName())
		}
	}
	// W3: the language the form was read in, and whether it was read.
	if f.need("language", "forms.err.required") {
		e.Language = f.language("language")
	}
	if f.need("read_aloud", "forms.err.choose") {
		e.ReadAloud = f.flag("read_aloud")
	}
	// The rules compare the interpreter with the member's languages, so it
	// is recorded as the language interpreted into.
	e.Interpreter = f.language("interpreter")
	// W6: how the form went to counsel.
	e.Channel = rescreen.Channel(f.choice("channel", p.Channels))
	e.SentOn = f.date("sent_on", today, false)
	f.notBefore("sent_on", e.SentOn, e.SignedOn, "forms.err.beforeSigned")
	e.Recipient = f.text("recipient", false)
	e.ReceivedOn = f.date("received_on", today, false)
	f.notBefore("received_on", e.ReceivedOn, e.SignedOn, "forms.err.beforeSigned")
	f.notBefore("received_on", e.ReceivedOn, e.SentOn, "forms.err.beforeSent")
	e.FormVersion = f.text("form_version", false)
	e.FormRef = f.text("form_ref", false)
	return e
}

// uiElectionNew answers GET /families/{id}/elections/new: one member's
// election form (W5: each member has a separate form).
func (s *Server) uiElectionNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	vals := url.Values{"version": {strconv.FormatInt(d.Version, 10)}, "person": {r.URL.Query().Get("person")}}
	p := newElectionPage(d, s.cats[language(r)], vals)
	s.render(w, r, http.StatusOK, "election.html", p, "forms.election.title", d.FamilyID)
}

// uiElectionCreate answers POST /families/{id}/elections.
func (s *Server) uiElectionCreate(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	id := rescreen.FamilyID(r.PathValue("id"))
	d, err := s.families.GetFamily(r.Context(), id)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	p := newElectionPage(d, s.cats[language(r)], r.PostForm)
	version := p.version("version")
	e := p.check(d, s.today())
	if p.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "election.html", p, "forms.election.titleError", d.FamilyID)
		return
	}
	_, err = s.families.ApplyChanges(r.Context(), id, version, []rescreen.Change{{Kind: rescreen.KindElections, Record: e}})
	status, ok := s.formOutcome(r, p.form, err, version, func(i int, name string) string {
		if i == 0 {
			return knownField(p.form, name)
		}
		return ""
	})
	if ok {
		http.Redirect(w, r, familyAnchor(id, "elections"), http.StatusSeeOther)
		return
	}
	if status == 0 {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, status, "election.html", p, "forms.election.titleError", d.FamilyID)
}
