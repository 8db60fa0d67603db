package web

import (
	"cmp"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"rescreen"
	"rescreen/access"
)

// The notices section of the family page, its three forms (issue a
// notice, record what came of its delivery, record a contact attempt),
// the download of a notice's document, and the outreach queue. The forms
// are the partials of templates/_notices.html: the family page shows them
// in place, and a refused form comes back alone on notice_form.html, as
// the user typed it, with each problem next to its field.

// nform is a form of the notices section. Its fields are named after the
// request's (or the record's) JSON fields, so that the service's problems
// find them; their ids carry Prefix, because the family page shows several
// such forms at once (one delivery form per notice).
type nform struct {
	*form
	Prefix string
	Action string
}

// nfield is one field as a template lays it out.
type nfield struct{ ID, Name, Value, Error string }

// Field returns the field called name, with its id.
func (f *nform) Field(name string) nfield {
	ff := f.F[name]
	if ff == nil {
		return nfield{ID: f.Prefix + name, Name: name}
	}
	return nfield{ID: f.Prefix + name, Name: name, Value: ff.Value, Error: ff.Error}
}

// Summary lists the problems, each linking to its field's id.
func (f *nform) Summary() []formProblem {
	ps := f.Problems()
	for i := range ps {
		if ps[i].Field != "" {
			ps[i].Field = f.Prefix + ps[i].Field
		}
	}
	return ps
}

// choiceItem is one choice of a select box whose labels are built in Go.
type choiceItem struct{ Value, Label string }

// noticeForm is the form that issues a notice.
type noticeForm struct {
	*nform
	Members      []memberChoice
	Languages    []string // the family's languages, as suggestions
	Written      []string // the languages a notice is written in
	Kinds        []string
	Modes        []string
	Outcomes     []string
	Appointments []choiceItem
	Screenings   []choiceItem
}

var noticeFields = []fieldDef{
	{"version", "forms.version"},
	{"person", "notices.form.person"},
	{"kind", "notices.form.kind"},
	{"language", "notices.form.language"},
	{"mode", "notices.form.mode"},
	{"recipient", "notices.form.recipient"},
	{"interpreter", "notices.form.interpreter"},
	{"signer", "notices.form.signer"},
	{"on", "notices.form.on"},
	{"outcome", "notices.form.outcome"},
	{"appointment", "notices.form.appointment"},
	{"screening", "notices.form.screening"},
	{"notes", "notices.form.notes"},
}

func (s *Server) newNoticeForm(r *http.Request, d *rescreen.Dossier, vals url.Values) *noticeForm {
	cat := s.cats[language(r)]
	p := &noticeForm{
		nform:   &nform{form: newForm(cat, vals, noticeFields...), Prefix: "notice-", Action: "/families/" + url.PathEscape(string(d.FamilyID)) + "/notices"},
		Members: membersOf(d), Languages: languagesOf(d),
		Kinds: rescreen.NoticeKind("").Values(), Modes: rescreen.DeliveryMode("").Values(), Outcomes: rescreen.DeliveryOutcome("").Values(),
	}
	if s.notices != nil {
		for _, langs := range s.notices.NoticeLanguages(r.Context()) {
			for _, l := range langs {
				if !slices.Contains(p.Written, l) {
					p.Written = append(p.Written, l)
				}
			}
		}
		slices.Sort(p.Written)
	}
	names := memberNames(d)
	for _, a := range d.Records.Appointments {
		if a.State == rescreen.AppointmentCancelled {
			continue // no notice is given of a cancelled appointment
		}
		label := names(a.Person) + " · " + a.On.String()
		if a.Time != "" {
			label += " " + a.Time
		}
		p.Appointments = append(p.Appointments, choiceItem{Value: string(a.Key()), Label: label})
	}
	for _, sc := range d.Records.Screenings {
		if sc.Occasion == rescreen.OccasionInitial || sc.Result == "" || sc.Result == rescreen.ResultPending {
			continue
		}
		p.Screenings = append(p.Screenings, choiceItem{Value: string(sc.Key()),
			Label: names(sc.Person) + " · " + cat.enumLabel("occasion", sc.Occasion) + " · " + cat.enumLabel("result", sc.Result) + " · " + sc.DecidedOn.String()})
	}
	return p
}

// memberNames returns a function naming a member by reference; a
// reference to no member is shown as it is.
func memberNames(d *rescreen.Dossier) func(rescreen.Ref) string {
	names := map[rescreen.Ref]string{}
	for i := range d.Records.Persons {
		names[d.Records.Persons[i].Key()] = d.Records.Persons[i].FullName()
	}
	return func(r rescreen.Ref) string {
		if n := names[r]; n != "" {
			return n
		}
		return string(r)
	}
}

// check validates the form and returns the request. The checks a person
// filling it in should hear about in the page's language are made here;
// the service checks everything again.
func (p *noticeForm) check(d *rescreen.Dossier, today rescreen.Date, written map[rescreen.NoticeKind][]string) rescreen.NoticeRequest {
	f := p.form
	var req rescreen.NoticeRequest
	if f.need("person", "forms.err.person") {
		if m := member(d, f.raw("person")); m == nil {
			f.fail("person", "forms.err.person")
		} else {
			req.Person = m.Key()
		}
	}
	if f.need("kind", "forms.err.choose") {
		req.Kind = rescreen.NoticeKind(f.choice("kind", p.Kinds))
	}
	if f.need("language", "forms.err.required") {
		req.Language = f.language("language")
	}
	if f.need("mode", "forms.err.choose") {
		req.Mode = rescreen.DeliveryMode(f.choice("mode", p.Modes))
	}
	req.Recipient = f.text("recipient", false)
	req.Interpreter = f.text("interpreter", false)
	req.Signer = f.text("signer", false)
	if f.need("on", "forms.err.required") {
		req.On = f.date("on", today, false)
	}
	req.Outcome = rescreen.DeliveryOutcome(f.choice("outcome", p.Outcomes))
	values := func(cs []choiceItem) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.Value
		}
		return out
	}
	req.Appointment = rescreen.Ref(f.choice("appointment", values(p.Appointments)))
	req.Screening = rescreen.Ref(f.choice("screening", values(p.Screenings)))
	req.Notes = f.text("notes", true)
	switch {
	case req.Kind == rescreen.NoticeScheduling && req.Appointment == "" && !f.failed("appointment"):
		f.fail("appointment", "notices.err.appointment")
	case req.Kind == rescreen.NoticeDetermination && req.Screening == "" && !f.failed("screening"):
		f.fail("screening", "notices.err.screening")
	}
	if req.Kind != "" && req.Language != "" && !f.failed("language") && req.Mode != "" && req.Mode != rescreen.DeliveryReadAloud &&
		!slices.Contains(written[req.Kind], req.Language) {
		f.fail("mode", "notices.err.readAloud", req.Language, strings.Join(written[req.Kind], ", "))
	}
	if req.Mode == rescreen.DeliveryReadAloud && req.Interpreter == "" && !f.failed("interpreter") {
		f.fail("interpreter", "notices.err.interpreter")
	}
	return req
}

// deliveryForm records what came of one notice's delivery.
type deliveryForm struct {
	*nform
	Outcomes []string
}

var deliveryFields = []fieldDef{
	{"version", "forms.version"},
	{"outcome", "notices.delivery.outcome"},
	{"signer", "notices.delivery.signer"},
	{"notes", "notices.delivery.notes"},
}

func (s *Server) newDeliveryForm(r *http.Request, fam rescreen.FamilyID, noticeID string, vals url.Values) *deliveryForm {
	return &deliveryForm{
		nform: &nform{form: newForm(s.cats[language(r)], vals, deliveryFields...), Prefix: "delivery-" + noticeID + "-",
			Action: "/families/" + url.PathEscape(string(fam)) + "/notices/" + url.PathEscape(noticeID) + "/delivery"},
		Outcomes: rescreen.DeliveryOutcome("").Values(),
	}
}

func (p *deliveryForm) check(noticeID string) rescreen.DeliveryUpdate {
	f := p.form
	u := rescreen.DeliveryUpdate{Notice: noticeID}
	if f.need("outcome", "forms.err.choose") {
		u.Outcome = rescreen.DeliveryOutcome(f.choice("outcome", p.Outcomes))
	}
	u.Signer = f.text("signer", false)
	u.Notes = f.text("notes", true)
	return u
}

// contactForm records a contact attempt. On the outreach queue the person
// is fixed (a hidden field) and the form goes back to the queue.
type contactForm struct {
	*nform
	Members  []memberChoice // nil when the person is fixed
	Person   string         // the fixed person's reference
	Return   string         // "outreach" to go back to the queue
	Channels []string
	Outcomes []string
}

var contactFields = []fieldDef{
	{"version", "forms.version"},
	{"person", "contacts.form.person"},
	{"on", "contacts.form.on"},
	{"channel", "contacts.form.channel"},
	{"language", "contacts.form.language"},
	{"interpreter", "contacts.form.interpreter"},
	{"outcome", "contacts.form.outcome"},
	{"stale_contact", "contacts.form.stale"},
	{"notes", "contacts.form.notes"},
}

func (s *Server) newContactForm(r *http.Request, fam rescreen.FamilyID, members []memberChoice, vals url.Values, prefix string) *contactForm {
	return &contactForm{
		nform:   &nform{form: newForm(s.cats[language(r)], vals, contactFields...), Prefix: prefix, Action: "/families/" + url.PathEscape(string(fam)) + "/contacts"},
		Members: members, Person: vals.Get("person"), Return: vals.Get("return"),
		Channels: rescreen.Channel("").Values(), Outcomes: rescreen.ContactOutcome("").Values(),
	}
}

// check validates the form and returns the contact attempt, made by user.
func (p *contactForm) check(d *rescreen.Dossier, today rescreen.Date, user string) *rescreen.ContactAttempt {
	f := p.form
	c := &rescreen.ContactAttempt{Meta: newManualMeta(), By: user}
	if f.need("person", "forms.err.person") {
		if m := member(d, f.raw("person")); m == nil {
			f.fail("person", "forms.err.person")
		} else {
			c.Person = m.Key()
		}
	}
	if f.need("on", "forms.err.required") {
		c.On = f.date("on", today, false)
	}
	if f.need("channel", "forms.err.choose") {
		c.Channel = rescreen.Channel(f.choice("channel", p.Channels))
	}
	c.Language = f.language("language")
	c.Interpreter = f.text("interpreter", false)
	if f.need("outcome", "forms.err.choose") {
		c.Outcome = rescreen.ContactOutcome(f.choice("outcome", p.Outcomes))
	}
	switch f.raw("stale_contact") {
	case "":
	case "yes":
		c.Stale = ptrTo(true)
	default:
		f.fail("stale_contact", "forms.err.choose")
	}
	c.Notes = f.text("notes", true)
	return c
}

// noticesView is the family page's notices section.
type noticesView struct {
	Family   rescreen.FamilyID
	Notices  []noticeRow
	Contacts []contactRow
	// CanWrite reports whether the user may change the family's CONTACT
	// group; the forms are shown only then.
	CanWrite bool
	Issue    *noticeForm
	Contact  *contactForm
}

// noticeRow is one notice of the section.
type noticeRow struct {
	ID, Person                    string
	Kind                          rescreen.NoticeKind
	Language, Version             string
	Mode                          rescreen.DeliveryMode
	Recipient, Interpreter, By    string
	Signer                        string
	On                            rescreen.Date
	Outcome                       rescreen.DeliveryOutcome
	Document, DocURL              string
	Delivery                      *deliveryForm
	Appointment, Screening, Notes string
}

// contactRow is one contact attempt of the section.
type contactRow struct {
	Person       string
	On           rescreen.Date
	Channel      rescreen.Channel
	Language, By string
	Interpreter  string
	Outcome      rescreen.ContactOutcome
	Stale        bool // the contact data turned out to be stale
}

// contactLevel is what the request's user may do with the family's
// CONTACT group.
func (s *Server) contactLevel(r *http.Request, fam rescreen.FamilyID) access.Level {
	id := whoFrom(r.Context())
	if id == nil || id.principal.User == "" {
		return access.None
	}
	res, err := s.access.Resource(r.Context(), fam)
	if err != nil {
		return access.None
	}
	return id.principal.Level(access.Contact, res)
}

// noticesSection builds the family page's notices section; nil when the
// server has no notice service or the user may not read the family's
// CONTACT group.
func (s *Server) noticesSection(r *http.Request, d *rescreen.Dossier) *noticesView {
	if s.notices == nil {
		return nil
	}
	lv := s.contactLevel(r, d.FamilyID)
	if lv < access.Read {
		return nil
	}
	v := &noticesView{Family: d.FamilyID, CanWrite: lv >= access.Write}
	name := memberNames(d)
	version := strconv.FormatInt(d.Version, 10)
	for _, n := range d.Records.Notices {
		row := noticeRow{ID: n.ID, Person: name(n.Person), Kind: n.Kind, Language: n.Language, Version: n.Version, Mode: n.Mode,
			Recipient: n.Recipient, Interpreter: n.Interpreter, Signer: n.Signer, By: n.By, On: n.On, Outcome: n.Outcome,
			Document: n.Document, Appointment: string(n.Appointment), Screening: string(n.Screening), Notes: n.Notes}
		if n.Document != "" {
			row.DocURL = "/families/" + url.PathEscape(string(d.FamilyID)) + "/documents/" + n.Document
		}
		if v.CanWrite && n.ID != "" {
			row.Delivery = s.newDeliveryForm(r, d.FamilyID, n.ID, url.Values{"version": {version}, "outcome": {string(n.Outcome)}})
		}
		v.Notices = append(v.Notices, row)
	}
	slices.SortStableFunc(v.Notices, func(a, b noticeRow) int { return cmp.Or(a.On.Compare(b.On), strings.Compare(a.ID, b.ID)) })
	for _, c := range d.Records.Contacts {
		v.Contacts = append(v.Contacts, contactRow{Person: name(c.Person), On: c.On, Channel: c.Channel, Language: c.Language,
			Interpreter: c.Interpreter, Outcome: c.Outcome, Stale: c.Stale != nil && *c.Stale, By: c.By})
	}
	slices.SortStableFunc(v.Contacts, func(a, b contactRow) int { return a.On.Compare(b.On) })
	if v.CanWrite {
		today := s.today().String()
		v.Issue = s.newNoticeForm(r, d, url.Values{"version": {version}, "on": {today}})
		v.Contact = s.newContactForm(r, d.FamilyID, membersOf(d), url.Values{"version": {version}, "on": {today}}, "contact-")
	}
	return v
}

// noticeFormPage is the data of notice_form.html: one refused form of the
// notices section, alone.
type noticeFormPage struct {
	Family    rescreen.FamilyID
	Back      string
	FromQueue bool   // the form was sent from the outreach queue
	Heading   string // a catalogue key
	Issue     *noticeForm
	Delivery  *deliveryForm
	Contact   *contactForm
}

func (s *Server) renderNoticeForm(w http.ResponseWriter, r *http.Request, status int, p noticeFormPage) {
	if p.Back == "" {
		p.Back = familyAnchor(p.Family, "notices")
	}
	s.render(w, r, status, "notice_form.html", p, p.Heading, p.Family)
}

// noticeOutcome turns the notice service's answer into what the user
// sees, as formOutcome does for a change: ok when recorded, else the
// status to show the form again with, or 0 for an error that is not the
// form's to show.
func (s *Server) noticeOutcome(r *http.Request, f *form, err error, version int64) (status int, ok bool) {
	switch rescreen.ErrorCode(err) {
	case "":
		return 0, true
	case rescreen.ECONFLICT:
		return s.formOutcome(r, f, err, version, nil)
	case rescreen.EINVALID:
		var ve *rescreen.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 {
			f.fail("", "forms.err.service", rescreen.ErrorMessage(err))
			return http.StatusUnprocessableEntity, false
		}
		for _, p := range ve.Problems {
			name := knownField(f, p.Field)
			switch {
			case name == "version":
				f.fail("", "forms.err.service", p.Msg)
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
		return http.StatusUnprocessableEntity, false
	}
	return 0, false
}

// noticeFamily reads the form and the family a notices form posts about;
// it answers the request itself and returns nil when it cannot go on.
func (s *Server) noticeFamily(w http.ResponseWriter, r *http.Request) *rescreen.Dossier {
	if s.notices == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
		return nil
	}
	if !s.readForm(w, r) {
		return nil
	}
	d, err := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.uiError(w, r, err)
		return nil
	}
	return d
}

// uiNoticeIssue answers POST /families/{id}/notices: it issues the notice
// and sends the user to the family's notices (303); a refused form comes
// back alone with 422, a stale one with 409.
func (s *Server) uiNoticeIssue(w http.ResponseWriter, r *http.Request) {
	d := s.noticeFamily(w, r)
	if d == nil {
		return
	}
	p := s.newNoticeForm(r, d, r.PostForm)
	version := p.version("version")
	req := p.check(d, s.today(), s.notices.NoticeLanguages(r.Context()))
	page := noticeFormPage{Family: d.FamilyID, Heading: "notices.form.titleError", Issue: p}
	if p.HasErrors() {
		s.renderNoticeForm(w, r, http.StatusUnprocessableEntity, page)
		return
	}
	_, err := s.notices.IssueNotice(r.Context(), d.FamilyID, version, req)
	status, ok := s.noticeOutcome(r, p.form, err, version)
	switch {
	case ok:
		http.Redirect(w, r, familyAnchor(d.FamilyID, "notices"), http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.renderNoticeForm(w, r, status, page)
	}
}

// uiNoticeDelivery answers POST /families/{id}/notices/{notice}/delivery.
func (s *Server) uiNoticeDelivery(w http.ResponseWriter, r *http.Request) {
	d := s.noticeFamily(w, r)
	if d == nil {
		return
	}
	nid := r.PathValue("notice")
	p := s.newDeliveryForm(r, d.FamilyID, nid, r.PostForm)
	version := p.version("version")
	u := p.check(nid)
	page := noticeFormPage{Family: d.FamilyID, Heading: "notices.delivery.titleError", Delivery: p}
	if p.HasErrors() {
		s.renderNoticeForm(w, r, http.StatusUnprocessableEntity, page)
		return
	}
	_, err := s.notices.RecordDelivery(r.Context(), d.FamilyID, version, u)
	status, ok := s.noticeOutcome(r, p.form, err, version)
	switch {
	case ok:
		http.Redirect(w, r, familyAnchor(d.FamilyID, "notices"), http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.renderNoticeForm(w, r, status, page)
	}
}

// uiContactCreate answers POST /families/{id}/contacts: it records the
// contact attempt as a change of the family, made by the signed-in user,
// and goes back to the family page or, from the queue, to the queue.
func (s *Server) uiContactCreate(w http.ResponseWriter, r *http.Request) {
	d := s.noticeFamily(w, r)
	if d == nil {
		return
	}
	vals := r.PostForm
	fromQueue := vals.Get("return") == "outreach"
	var members []memberChoice
	if !fromQueue {
		members = membersOf(d)
	}
	p := s.newContactForm(r, d.FamilyID, members, vals, "contact-")
	var version int64
	if !fromQueue {
		// The queue does not show the family, so it sends no version;
		// an attempt is a record of its own and cannot undo anything.
		version = p.version("version")
	}
	user := ""
	if id := whoFrom(r.Context()); id != nil {
		user = id.principal.User
	}
	c := p.check(d, s.today(), user)
	back := familyAnchor(d.FamilyID, "contacts")
	if fromQueue {
		back = "/outreach"
	}
	page := noticeFormPage{Family: d.FamilyID, Heading: "contacts.form.titleError", Contact: p, Back: back, FromQueue: fromQueue}
	if p.HasErrors() {
		s.renderNoticeForm(w, r, http.StatusUnprocessableEntity, page)
		return
	}
	_, err := s.families.ApplyChanges(r.Context(), d.FamilyID, version, []rescreen.Change{{Kind: rescreen.KindContacts, Record: c}})
	status, ok := s.formOutcome(r, p.form, err, version, func(i int, name string) string {
		if i == 0 {
			return knownField(p.form, name)
		}
		return ""
	})
	switch {
	case ok:
		http.Redirect(w, r, back, http.StatusSeeOther)
	case status == 0:
		s.uiError(w, r, err)
	default:
		s.renderNoticeForm(w, r, status, page)
	}
}

// uiNoticeDocument answers GET /families/{id}/documents/{sha256}: the
// document of one of the family's notices, as a download. The route's
// policy logs the read like any other read of the family.
func (s *Server) uiNoticeDocument(w http.ResponseWriter, r *http.Request) {
	if s.notices == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
		return
	}
	doc, err := s.notices.NoticeDocument(r.Context(), rescreen.FamilyID(r.PathValue("id")), r.PathValue("sha256"))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.Name}))
	h.Set("Content-Length", strconv.Itoa(len(doc.Bytes)))
	h.Set("Cache-Control", "no-store")
	h.Set("ETag", `"`+doc.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc.Bytes)
}

// outreachView is the data of outreach.html.
type outreachView struct {
	AsOf     rescreen.Date
	Total    int
	Items    []outreachRow
	CanWrite bool
	FirstURL string
	NextURL  string
}

// outreachRow is one person of the queue, with the form to record an
// attempt.
type outreachRow struct {
	rescreen.OutreachItem
	FamilyURL string
	Form      *contactForm
}

// uiOutreach answers GET /outreach: the people who must be reached and
// are not, the longest unreached first, a page at a time.
func (s *Server) uiOutreach(w http.ResponseWriter, r *http.Request) {
	if s.notices == nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
		return
	}
	after := r.URL.Query().Get("after")
	page, err := s.notices.Outreach(r.Context(), after, 0)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := outreachView{AsOf: page.AsOf, Total: page.Total}
	if id := whoFrom(r.Context()); id != nil {
		v.CanWrite = id.principal.Reach(access.Need{Group: access.Contact, Level: access.Write}).Any
	}
	today := s.today().String()
	for _, it := range page.Items {
		row := outreachRow{OutreachItem: it, FamilyURL: familyAnchor(it.FamilyID, "contacts")}
		if v.CanWrite {
			row.Form = s.newContactForm(r, it.FamilyID, nil, url.Values{"person": {string(it.Person)}, "on": {today}, "return": {"outreach"},
				"language": {it.Language}}, "contact-"+string(it.PersonID)+"-")
		}
		v.Items = append(v.Items, row)
	}
	if after != "" {
		v.FirstURL = "/outreach"
	}
	if page.Next != "" {
		v.NextURL = "/outreach?" + url.Values{"after": {page.Next}}.Encode()
	}
	s.render(w, r, http.StatusOK, "outreach.html", v, "outreach.title")
}
