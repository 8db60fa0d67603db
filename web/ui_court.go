package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"rescreen"
	"rescreen/access"
)

// The court's record (issue 7): /court shows the cases with their
// approvals and the objections, with the forms to record them; an
// objection has its own page with the form to record its forwarding and
// ruling; /deadlines shows the deadlines entered from court orders in an
// overdue and a due-soon queue, each with its ledger and the forms to
// add to it. Like the family forms, every form is checked here in the
// page's language, then by the service, whose problems land next to the
// same fields; a refused form comes back as typed.

// courtOff answers the court's routes of a server configured without the
// court's record.
func (s *Server) courtOff(w http.ResponseWriter, r *http.Request) bool {
	if s.court != nil {
		return false
	}
	s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
	return true
}

// mayChangeCourt reports whether the request's user may change the
// court's record, so that pages offer the forms only to them (the route
// and the service check again).
func mayChangeCourt(r *http.Request) bool {
	id := whoFrom(r.Context())
	return id != nil && access.Decide(id.principal, access.Need{Group: access.Court, Level: access.Write}, nil).Allow
}

// prefixed makes the field definitions of a form whose fields carry a
// prefix, so that two forms on one page have distinct ids; each field is
// named prefix+the service's name for it.
func prefixed(prefix string, defs ...fieldDef) []fieldDef {
	out := make([]fieldDef, len(defs))
	for i, d := range defs {
		out[i] = fieldDef{prefix + d.name, d.label}
	}
	return out
}

// courtProblems puts the service's problems next to the fields they name
// (the service's field name with the form's prefix); a plain "is
// required" is said in the page's language, any other message as the
// service wrote it.
func (f *form) courtProblems(err error, prefix string) {
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 {
		f.fail("", "forms.err.service", rescreen.ErrorMessage(err))
		return
	}
	for _, p := range ve.Problems {
		name := prefix + p.Field
		if _, ok := f.F[name]; !ok || p.Field == "" {
			name = ""
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

// courtOutcome turns the service's answer to a court form into what the
// user sees: ok means recorded; otherwise the status to show the form
// again with (422 for refused values, 409 for a conflict, whose message
// goes above the form), or 0 when the error is not the form's to show.
func courtOutcome(f *form, err error, prefix string) (status int, ok bool) {
	switch rescreen.ErrorCode(err) {
	case "":
		return 0, true
	case rescreen.EINVALID:
		f.courtProblems(err, prefix)
		return http.StatusUnprocessableEntity, false
	case rescreen.ECONFLICT:
		f.Conflict = f.cat.text("court.err.conflict", rescreen.ErrorMessage(err))
		return http.StatusConflict, false
	}
	return 0, false
}

// caseChoice checks the case chosen in a form against the cases on record.
func (f *form) caseChoice(name string, cases []rescreen.CourtCase) string {
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	if f.need(name, "forms.err.choose") {
		return f.choice(name, ids)
	}
	return ""
}

// --- /court ---

// courtPage is the data of court.html: the cases and their approvals and
// the objections, with the forms for those who keep the record; or one
// objection (One) with the form to record its forwarding and ruling.
type courtPage struct {
	Today      rescreen.Date
	Cases      []rescreen.CourtCase
	Objections []rescreen.Objection
	Counts     objectionCounts
	CanWrite   bool
	Kinds      []string
	Channels   []string
	Rulings    []string
	Approval   *form
	Objection  *form
	One        *rescreen.Objection
	Update     *form
	Recorded   string // what was just recorded, after a redirect
}

// objectionCounts sum up the objections listed.
type objectionCounts struct{ Total, Forwarded, Ruled int }

var approvalFields = []fieldDef{
	{"case", "court.approval.case"}, {"kind", "court.approval.kind"}, {"on", "court.approval.on"},
	{"order", "court.approval.order"}, {"correction", "court.approval.correction"},
}

var objectionFields = []fieldDef{
	{"case", "court.objection.case"}, {"person", "court.objection.person"}, {"name", "court.objection.name"},
	{"received_on", "court.objection.receivedOn"}, {"channel", "court.objection.channel"},
	{"language", "court.objection.language"}, {"summary", "court.objection.summary"},
	{"counsel", "court.objection.counsel"}, {"forwarded_on", "court.objection.forwardedOn"},
	{"ruling", "court.objection.ruling"}, {"ruling_on", "court.objection.rulingOn"},
	{"ruling_order", "court.objection.rulingOrder"},
}

var updateFields = []fieldDef{
	{"version", "court.objection.version"}, {"forwarded_on", "court.objection.forwardedOn"},
	{"ruling", "court.objection.ruling"}, {"ruling_on", "court.objection.rulingOn"},
	{"ruling_order", "court.objection.rulingOrder"},
}

// newCourtPage reads what /court shows; approval and objection are the
// forms' values (nil: empty forms).
func (s *Server) newCourtPage(r *http.Request, approval, objection url.Values) (*courtPage, error) {
	cases, err := s.court.CourtCases(r.Context())
	if err != nil {
		return nil, err
	}
	os, err := s.court.Objections(r.Context())
	if err != nil {
		return nil, err
	}
	cat := s.cats[language(r)]
	p := &courtPage{Today: s.today(), Cases: cases, Objections: os, CanWrite: mayChangeCourt(r),
		Kinds: rescreen.ApprovalKind("").Values(), Channels: rescreen.ObjectionChannel("").Values(), Rulings: rescreen.Ruling("").Values(),
		Approval: newForm(cat, approval, prefixed("approval_", approvalFields...)...), Objection: newForm(cat, objection, prefixed("objection_", objectionFields...)...),
		Recorded: r.URL.Query().Get("recorded")}
	for _, o := range os {
		p.Counts.Total++
		if !o.ForwardedOn.IsZero() {
			p.Counts.Forwarded++
		}
		if o.Ruling != "" {
			p.Counts.Ruled++
		}
	}
	return p, nil
}

// uiCourt answers GET /court.
func (s *Server) uiCourt(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) {
		return
	}
	p, err := s.newCourtPage(r, nil, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "court.html", p, "court.title")
}

// checkApproval validates the approval form.
func (p *courtPage) checkApproval() rescreen.ApprovalInput {
	f := p.Approval
	var in rescreen.ApprovalInput
	in.Case = f.caseChoice("approval_case", p.Cases)
	if f.need("approval_kind", "forms.err.choose") {
		in.Kind = rescreen.ApprovalKind(f.choice("approval_kind", p.Kinds))
	}
	if f.need("approval_on", "forms.err.required") {
		in.On = f.date("approval_on", p.Today, false)
	}
	if f.need("approval_order", "forms.err.required") {
		in.Order = f.text("approval_order", false)
	}
	in.Correction = f.text("approval_correction", true)
	return in
}

// uiApprovalCreate answers POST /court/approvals.
func (s *Server) uiApprovalCreate(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, err := s.newCourtPage(r, r.PostForm, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	in := p.checkApproval()
	if p.Approval.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "court.html", p, "court.titleError")
		return
	}
	_, err = s.court.RecordApproval(r.Context(), in)
	status, ok := courtOutcome(p.Approval, err, "approval_")
	switch {
	case ok:
		http.Redirect(w, r, "/court?recorded=approval#approvals", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.render(w, r, status, "court.html", p, "court.titleError")
	}
}

// checkRulingFields validates the forwarding and the ruling of an
// objection received on received (zero if the form gives it).
func checkRulingFields(f *form, prefix string, received, today rescreen.Date, rulings []string) (forwarded rescreen.Date, ruling rescreen.Ruling, rulingOn rescreen.Date, order string) {
	forwarded = f.date(prefix+"forwarded_on", today, false)
	f.notBefore(prefix+"forwarded_on", forwarded, received, "court.err.beforeReceived")
	ruling = rescreen.Ruling(f.choice(prefix+"ruling", rulings))
	rulingOn = f.date(prefix+"ruling_on", today, false)
	switch {
	case ruling != "" && rulingOn.IsZero() && !f.failed(prefix+"ruling_on"):
		f.fail(prefix+"ruling_on", "court.err.rulingDate")
	case ruling == "" && !rulingOn.IsZero() && !f.failed(prefix+"ruling"):
		f.fail(prefix+"ruling", "court.err.rulingMissing")
	}
	f.notBefore(prefix+"ruling_on", rulingOn, received, "court.err.beforeReceived")
	f.notBefore(prefix+"ruling_on", rulingOn, forwarded, "court.err.beforeForwarded")
	order = f.text(prefix+"ruling_order", false)
	if order != "" && ruling == "" && !f.failed(prefix+"ruling") {
		f.fail(prefix+"ruling", "court.err.rulingMissing")
	}
	return forwarded, ruling, rulingOn, order
}

// checkObjection validates the objection form.
func (p *courtPage) checkObjection() rescreen.ObjectionInput {
	f := p.Objection
	var in rescreen.ObjectionInput
	in.Case = f.caseChoice("objection_case", p.Cases)
	in.Person = f.text("objection_person", false)
	in.Name = f.text("objection_name", false)
	if in.Person == "" && in.Name == "" && !f.failed("objection_name") && !f.failed("objection_person") {
		f.fail("objection_name", "court.err.objector")
	}
	if f.need("objection_received_on", "forms.err.required") {
		in.ReceivedOn = f.date("objection_received_on", p.Today, false)
	}
	if f.need("objection_channel", "forms.err.choose") {
		in.Channel = rescreen.ObjectionChannel(f.choice("objection_channel", p.Channels))
	}
	in.Language = f.language("objection_language")
	if f.need("objection_summary", "forms.err.required") {
		in.Summary = f.text("objection_summary", true)
	}
	in.Counsel = f.text("objection_counsel", false)
	in.ForwardedOn, in.Ruling, in.RulingOn, in.RulingOrder = checkRulingFields(f, "objection_", in.ReceivedOn, p.Today, p.Rulings)
	return in
}

// uiObjectionCreate answers POST /court/objections.
func (s *Server) uiObjectionCreate(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, err := s.newCourtPage(r, nil, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	in := p.checkObjection()
	if p.Objection.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "court.html", p, "court.titleError")
		return
	}
	o, err := s.court.RecordObjection(r.Context(), in)
	status, ok := courtOutcome(p.Objection, err, "objection_")
	switch {
	case ok:
		http.Redirect(w, r, "/court/objections/"+url.PathEscape(o.ID)+"?recorded=objection", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.render(w, r, status, "court.html", p, "court.titleError")
	}
}

// newObjectionPage reads one objection and fills the form of its
// forwarding and ruling with vals, or with what is on record.
func (s *Server) newObjectionPage(r *http.Request, vals url.Values) (*courtPage, error) {
	o, err := s.court.Objection(r.Context(), r.PathValue("objection"))
	if err != nil {
		return nil, err
	}
	cases, err := s.court.CourtCases(r.Context())
	if err != nil {
		return nil, err
	}
	if vals == nil {
		vals = url.Values{"version": {strconv.FormatInt(o.Version, 10)}, "ruling": {string(o.Ruling)}, "ruling_order": {o.RulingOrder}}
		if !o.ForwardedOn.IsZero() {
			vals.Set("forwarded_on", o.ForwardedOn.String())
		}
		if !o.RulingOn.IsZero() {
			vals.Set("ruling_on", o.RulingOn.String())
		}
	}
	return &courtPage{Today: s.today(), Cases: cases, One: o, CanWrite: mayChangeCourt(r), Rulings: rescreen.Ruling("").Values(),
		Update: newForm(s.cats[language(r)], vals, updateFields...), Recorded: r.URL.Query().Get("recorded")}, nil
}

// uiObjectionView answers GET /court/objections/{objection}.
func (s *Server) uiObjectionView(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) {
		return
	}
	p, err := s.newObjectionPage(r, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "court.html", p, "court.objection.title", p.One.ReceivedOn.String())
}

// uiObjectionUpdate answers POST /court/objections/{objection}: the
// forwarding and the ruling, checked against the version the form was
// opened at.
func (s *Server) uiObjectionUpdate(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, err := s.newObjectionPage(r, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	f := p.Update
	var in rescreen.ObjectionUpdate
	if v, err := strconv.ParseInt(f.raw("version"), 10, 64); err == nil && v > 0 {
		in.Version = v
	} else {
		f.fail("", "court.err.version")
	}
	in.ForwardedOn, in.Ruling, in.RulingOn, in.RulingOrder = checkRulingFields(f, "", p.One.ReceivedOn, p.Today, p.Rulings)
	if f.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "court.html", p, "court.objection.titleError", p.One.ReceivedOn.String())
		return
	}
	_, err = s.court.UpdateObjection(r.Context(), p.One.ID, in)
	status, ok := courtOutcome(f, err, "")
	switch {
	case ok:
		http.Redirect(w, r, "/court/objections/"+url.PathEscape(p.One.ID)+"?recorded=update", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		if status == http.StatusConflict {
			// Show what is on record now, so that submitting again after
			// a look records the form.
			if o, gerr := s.court.Objection(r.Context(), p.One.ID); gerr == nil {
				p.One = o
				f.F["version"].Value = strconv.FormatInt(o.Version, 10)
			}
		}
		s.render(w, r, status, "court.html", p, "court.objection.titleError", p.One.ReceivedOn.String())
	}
}

// --- /deadlines ---

// deadlinesPage is the data of deadlines.html: the queues of court-order
// deadlines with the form to enter one, or one deadline (One) with its
// ledger and the forms to add to it and to record it as met.
type deadlinesPage struct {
	Today    rescreen.Date
	Filter   *form
	Queues   *rescreen.CourtDeadlineQueues
	CanWrite bool
	Cases    []rescreen.CourtCase
	Units    []string
	Kinds    []string
	Create   *form
	Items    map[string]*ledgerView // each listed deadline's ledger form, empty
	One      *rescreen.CourtDeadline
	Ledger   *ledgerView
	Complete *form
	Recorded string
}

// ledgerView is the form of a ledger entry for one deadline. Prefix
// makes its ids distinct where several deadlines share a page.
type ledgerView struct {
	Deadline string
	Prefix   string
	Kinds    []string
	*form
}

var deadlineFields = []fieldDef{
	{"title", "deadlines.field.title"}, {"case", "deadlines.field.case"}, {"order", "deadlines.field.order"},
	{"order_on", "deadlines.field.orderOn"}, {"family_id", "deadlines.field.family"}, {"person", "deadlines.field.person"},
	{"start", "deadlines.field.start"}, {"length", "deadlines.field.length"}, {"unit", "deadlines.field.unit"},
}

var ledgerFields = []fieldDef{
	{"kind", "deadlines.entry.kind"}, {"from", "deadlines.entry.from"}, {"to", "deadlines.entry.to"},
	{"entry", "deadlines.entry.entry"}, {"on", "deadlines.entry.on"}, {"days", "deadlines.entry.days"},
	{"months", "deadlines.entry.months"}, {"until", "deadlines.entry.until"},
	{"reason", "deadlines.entry.reason"}, {"authority", "deadlines.entry.authority"},
}

// newDeadlinesPage reads the queues as of today for the window the query
// asks (business days, 14 by default); create holds the values of the
// form to enter a deadline (nil: empty).
func (s *Server) newDeadlinesPage(r *http.Request, create url.Values) (*deadlinesPage, int, error) {
	cat := s.cats[language(r)]
	q := r.URL.Query()
	within := q.Get("within")
	if within == "" {
		within = "14"
	}
	p := &deadlinesPage{Today: s.today(), Filter: newForm(cat, url.Values{"within": {within}}, fieldDef{"within", "deadlines.within"}),
		CanWrite: mayChangeCourt(r), Units: rescreen.DeadlineUnit("").Values(), Kinds: rescreen.LedgerKind("").Values(),
		Create: newForm(cat, create, deadlineFields...), Items: map[string]*ledgerView{}, Recorded: q.Get("recorded")}
	n, err := strconv.Atoi(strings.TrimSpace(within))
	if err != nil || n < 1 || n > 366 {
		p.Filter.fail("within", "deadlines.err.within")
	}
	cases, err := s.court.CourtCases(r.Context())
	if err != nil {
		return nil, 0, err
	}
	p.Cases = cases
	if p.Filter.HasErrors() {
		return p, http.StatusBadRequest, nil
	}
	if p.Queues, err = s.court.CourtDeadlines(r.Context(), rescreen.CourtDeadlineFilter{Today: p.Today, Within: n}); err != nil {
		return nil, 0, err
	}
	if p.CanWrite {
		for _, qu := range [][]rescreen.CourtDeadline{p.Queues.Overdue, p.Queues.DueSoon, p.Queues.Other} {
			for _, d := range qu {
				p.Items[d.ID] = &ledgerView{Deadline: d.ID, Prefix: d.ID + "-", Kinds: p.Kinds, form: newForm(cat, nil, ledgerFields...)}
			}
		}
	}
	return p, http.StatusOK, nil
}

// uiDeadlines answers GET /deadlines.
func (s *Server) uiDeadlines(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) {
		return
	}
	p, status, err := s.newDeadlinesPage(r, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, status, "deadlines.html", p, "deadlines.title")
}

// checkDeadline validates the form to enter a deadline.
func (p *deadlinesPage) checkDeadline() rescreen.CourtDeadlineInput {
	f := p.Create
	var in rescreen.CourtDeadlineInput
	if f.need("title", "forms.err.required") {
		in.Title = f.text("title", false)
	}
	in.Case = f.caseChoice("case", p.Cases)
	if f.need("order", "forms.err.required") {
		in.Order = f.text("order", false)
	}
	if f.need("order_on", "forms.err.required") {
		in.OrderOn = f.date("order_on", p.Today, false)
	}
	in.Family = rescreen.FamilyID(f.text("family_id", false))
	in.Person = f.text("person", false)
	if f.need("start", "forms.err.required") {
		in.Start = f.date("start", p.Today, true)
	}
	if f.need("length", "forms.err.required") {
		in.Length = f.count("length", 0)
	}
	if f.need("unit", "forms.err.choose") {
		in.Unit = rescreen.DeadlineUnit(f.choice("unit", p.Units))
	}
	return in
}

// count reads a whole number not below least; an empty field is 0.
func (f *form) count(name string, least int) int {
	v := f.raw(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least || n > 100000 {
		f.fail(name, "deadlines.err.number", least)
		return 0
	}
	return n
}

// uiDeadlineCreate answers POST /deadlines.
func (s *Server) uiDeadlineCreate(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, _, err := s.newDeadlinesPage(r, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	in := p.checkDeadline()
	if p.Create.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "deadlines.html", p, "deadlines.titleError")
		return
	}
	d, err := s.court.CreateCourtDeadline(r.Context(), in)
	status, ok := courtOutcome(p.Create, err, "")
	switch {
	case ok:
		http.Redirect(w, r, "/deadlines/"+url.PathEscape(d.ID)+"?recorded=deadline", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.render(w, r, status, "deadlines.html", p, "deadlines.titleError")
	}
}

// newDeadlinePage reads one deadline as of today, with the ledger form
// and the completion form filled with ledger and complete (nil: empty).
func (s *Server) newDeadlinePage(r *http.Request, ledger, complete url.Values) (*deadlinesPage, error) {
	today := s.today()
	d, err := s.court.CourtDeadline(r.Context(), r.PathValue("deadline"), today)
	if err != nil {
		return nil, err
	}
	cases, err := s.court.CourtCases(r.Context())
	if err != nil {
		return nil, err
	}
	cat := s.cats[language(r)]
	if complete == nil && !d.CompletedOn.IsZero() {
		complete = url.Values{"completed_on": {d.CompletedOn.String()}}
	}
	kinds := rescreen.LedgerKind("").Values()
	return &deadlinesPage{Today: today, One: d, CanWrite: mayChangeCourt(r), Kinds: kinds, Cases: cases,
		Ledger:   &ledgerView{Deadline: d.ID, Kinds: kinds, form: newForm(cat, ledger, ledgerFields...)},
		Complete: newForm(cat, complete, fieldDef{"completed_on", "deadlines.completedOn"}), Recorded: r.URL.Query().Get("recorded")}, nil
}

// uiDeadlineView answers GET /deadlines/{deadline}.
func (s *Server) uiDeadlineView(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) {
		return
	}
	p, err := s.newDeadlinePage(r, nil, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "deadlines.html", p, "deadlines.one.title", p.One.Title)
}

// checkEntry validates the ledger form: what each kind of entry needs,
// in the page's language; the ledger's own rules are the service's.
func (p *deadlinesPage) checkEntry() rescreen.LedgerInput {
	f := p.Ledger.form
	var in rescreen.LedgerInput
	if f.need("kind", "forms.err.choose") {
		in.Kind = rescreen.LedgerKind(f.choice("kind", p.Kinds))
	}
	in.From = f.date("from", p.Today, true)
	in.To = f.date("to", p.Today, true)
	in.Entry = f.count("entry", 1)
	in.On = f.date("on", p.Today, false)
	in.Days = f.count("days", 1)
	in.Months = f.count("months", 1)
	in.Until = f.date("until", p.Today, true)
	in.Reason = f.text("reason", true)
	if f.need("authority", "deadlines.err.authority") {
		in.Authority = f.text("authority", false)
	}
	switch in.Kind {
	case rescreen.LedgerHold:
		f.need("from", "forms.err.required")
		f.notBefore("to", in.To, in.From, "deadlines.err.toBeforeFrom")
	case rescreen.LedgerLift:
		f.need("entry", "deadlines.err.entry")
		f.need("to", "forms.err.required")
	case rescreen.LedgerRevocation:
		f.need("entry", "deadlines.err.entry")
	case rescreen.LedgerExtension:
		f.need("on", "forms.err.required")
		if f.raw("days") == "" && f.raw("months") == "" && f.raw("until") == "" {
			f.fail("days", "deadlines.err.extension")
		}
	}
	// A field the kind does not use is refused rather than dropped.
	if uses, ok := ledgerUses[in.Kind]; ok {
		for _, name := range []string{"from", "to", "entry", "on", "days", "months", "until"} {
			if f.raw(name) != "" && !strings.Contains(uses, name) && !f.failed(name) {
				f.fail(name, "deadlines.err.notUsed")
			}
		}
	}
	return in
}

// ledgerUses names the fields each kind of entry takes.
var ledgerUses = map[rescreen.LedgerKind]string{
	rescreen.LedgerHold: "from to", rescreen.LedgerLift: "entry to",
	rescreen.LedgerExtension: "on days months until", rescreen.LedgerRevocation: "entry",
}

// uiLedgerAppend answers POST /deadlines/{deadline}/ledger.
func (s *Server) uiLedgerAppend(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, err := s.newDeadlinePage(r, r.PostForm, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	in := p.checkEntry()
	if p.Ledger.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "deadlines.html", p, "deadlines.one.titleError", p.One.Title)
		return
	}
	_, err = s.court.AppendLedgerEntry(r.Context(), p.One.ID, in)
	status, ok := courtOutcome(p.Ledger.form, err, "")
	switch {
	case ok:
		http.Redirect(w, r, "/deadlines/"+url.PathEscape(p.One.ID)+"?recorded=entry#ledger", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.render(w, r, status, "deadlines.html", p, "deadlines.one.titleError", p.One.Title)
	}
}

// uiDeadlineComplete answers POST /deadlines/{deadline}/completion: the
// day the deadline was met, or (action "clear") no such day.
func (s *Server) uiDeadlineComplete(w http.ResponseWriter, r *http.Request) {
	if s.courtOff(w, r) || !s.readForm(w, r) {
		return
	}
	p, err := s.newDeadlinePage(r, nil, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	f := p.Complete
	var on rescreen.Date
	if r.PostForm.Get("action") != "clear" && f.need("completed_on", "forms.err.required") {
		on = f.date("completed_on", p.Today, false)
	}
	if f.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "deadlines.html", p, "deadlines.one.titleError", p.One.Title)
		return
	}
	_, err = s.court.CompleteCourtDeadline(r.Context(), p.One.ID, on)
	status, ok := courtOutcome(f, err, "")
	switch {
	case ok:
		http.Redirect(w, r, "/deadlines/"+url.PathEscape(p.One.ID)+"?recorded=completion", http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.render(w, r, status, "deadlines.html", p, "deadlines.one.titleError", p.One.Title)
	}
}

// rulingFieldsView is the data of the forwarding and ruling fields of a
// form, whose names carry the prefix P.
type rulingFieldsView struct {
	F       map[string]*formField
	P       string
	Rulings []string
}

// RulingFields gives the template the forwarding and ruling fields of f.
func (p *courtPage) RulingFields(f *form, prefix string) rulingFieldsView {
	return rulingFieldsView{F: f.F, P: prefix, Rulings: p.Rulings}
}

// CaseTitle names a case by its id.
func (p *courtPage) CaseTitle(id string) string { return caseTitle(p.Cases, id) }

// CaseTitle names a case by its id.
func (p *deadlinesPage) CaseTitle(id string) string { return caseTitle(p.Cases, id) }

func caseTitle(cases []rescreen.CourtCase, id string) string {
	for _, c := range cases {
		if c.ID == id {
			return c.Title + " (" + c.Court + ")"
		}
	}
	return id
}

// Paragraphs cuts a text at its line breaks, for a page that shows it as
// written.
func (p *courtPage) Paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// deadlineItem is one deadline as the page shows it.
type deadlineItem struct {
	D      rescreen.CourtDeadline
	Case   string      // the case's title
	Ledger *ledgerView // the form of a ledger entry; nil without one
	Single bool        // on the deadline's own page
}

// Business reports whether the deadline counts business days.
func (it deadlineItem) Business() bool { return it.D.Unit == rescreen.UnitBusinessDays }

// Left is the number of counted days left; Late the number overdue.
func (it deadlineItem) Left() int { return max(it.D.Remaining, 0) }

// Late is the number of counted days the deadline is overdue.
func (it deadlineItem) Late() int { return max(-it.D.Remaining, 0) }

// Item gives the template one deadline with what shows beside it.
func (p *deadlinesPage) Item(d *rescreen.CourtDeadline) deadlineItem {
	it := deadlineItem{D: *d, Case: p.CaseTitle(d.Case), Single: p.One != nil}
	if p.One == nil {
		it.Ledger = p.Items[d.ID]
	}
	return it
}

// deadlineQueue is a queue as the template walks it.
type deadlineQueue struct {
	Items []*rescreen.CourtDeadline
	Page  *deadlinesPage
}

// Queue gives the template a queue of deadlines with the page.
func (p *deadlinesPage) Queue(ds []rescreen.CourtDeadline) deadlineQueue {
	q := deadlineQueue{Page: p}
	for i := range ds {
		q.Items = append(q.Items, &ds[i])
	}
	return q
}

// courtBlock reads the court-order deadlines overdue or due within the
// default window, for the tasks page: nil when the server keeps no
// court record or the user may not read it.
func (s *Server) courtBlock(r *http.Request) (*rescreen.CourtDeadlineQueues, error) {
	if s.court == nil {
		return nil, nil
	}
	q, err := s.court.CourtDeadlines(r.Context(), rescreen.CourtDeadlineFilter{Today: s.today()})
	if rescreen.ErrorCode(err) == rescreen.EFORBIDDEN {
		return nil, nil
	}
	return q, err
}

// entryView is a ledger entry with what its words depend on.
type entryView struct {
	rescreen.LedgerEntry
	Business bool // the deadline counts business days
}

// Entries gives the template the deadline's ledger.
func (it deadlineItem) Entries() []entryView {
	out := make([]entryView, len(it.D.Ledger))
	for i, e := range it.D.Ledger {
		out[i] = entryView{LedgerEntry: e, Business: it.Business()}
	}
	return out
}
