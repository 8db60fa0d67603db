package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"rescreen"
)

// Scheduling (issue 7): the queue of everyone owed a review or an
// interview, the longest wait first; the form that books one for a
// person; the page that reschedules, cancels or marks a booking as not
// attended; and, on the family page, the appointments and the W9 clock.
// The forms check on the page what a person filling them in should hear
// about at once, in their language (the day is a business day from today
// on, the place or line fits the mode, the interpreter speaks a language
// of the person's); the service checks everything again.

// --- The queue ---

// scheduleView is the data of schedule.html.
type scheduleView struct {
	Scheduled string
	Choices   []option
	Today     rescreen.Date
	Items     []queueRow
	Problems  []rescreen.FieldError
	Error     bool
	NextURL   string
	FirstURL  string
}

// queueRow is one row of the queue, its wait as a number.
type queueRow struct {
	rescreen.QueueItem
	Wait    int
	HasWait bool
}

// uiSchedule answers GET /schedule: the scheduling queue, filtered by
// whether an appointment is booked, a page at a time. The filter is a GET
// form, so a list can be bookmarked.
func (s *Server) uiSchedule(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := scheduleView{Scheduled: q.Get("scheduled"), Today: s.today()}
	v.Choices = options([]string{rescreen.QueueAll, rescreen.QueueUnscheduled, rescreen.QueueScheduled}, v.Scheduled)
	page, err := s.families.SchedulingQueue(r.Context(), rescreen.QueueFilter{Scheduled: v.Scheduled, After: q.Get("after"), Today: v.Today})
	if err != nil {
		status, d := s.describe(r, err)
		if status != http.StatusBadRequest {
			s.uiError(w, r, err)
			return
		}
		v.Error, v.Problems = true, d.Problems
		s.render(w, r, status, "schedule.html", v, "schedule.title")
		return
	}
	for _, it := range page.Items {
		row := queueRow{QueueItem: it}
		if it.WaitDays != nil {
			row.Wait, row.HasWait = *it.WaitDays, true
		}
		v.Items = append(v.Items, row)
	}
	keep := url.Values{}
	if v.Scheduled != "" {
		keep.Set("scheduled", v.Scheduled)
	}
	if q.Get("after") != "" {
		v.FirstURL = "/schedule"
		if len(keep) > 0 {
			v.FirstURL += "?" + keep.Encode()
		}
	}
	if page.Next != "" {
		keep.Set("after", page.Next)
		v.NextURL = "/schedule?" + keep.Encode()
	}
	s.render(w, r, http.StatusOK, "schedule.html", v, "schedule.title")
}

// --- The booking form ---

// bookingFields are the booking's fields, named as the service names
// them, so that its problems land next to them.
var bookingFields = []fieldDef{
	{"version", "forms.version"},
	{"occasion", "appt.occasion"},
	{"on", "appt.on"},
	{"time", "appt.time"},
	{"officer", "appt.officer"},
	{"office", "appt.office"},
	{"mode", "appt.mode"},
	{"place", "appt.place"},
	{"phone_line", "appt.phone"},
	{"interpreter_language", "appt.interpreterLanguage"},
	{"language_confirmed", "appt.languageConfirmed"},
	{"interpreter", "appt.interpreter"},
	{"notify_counsel", "appt.notifyCounsel"},
	{"notes", "appt.notes"},
}

// changeFields are the fields of the cancellation and no-show forms.
var changeFields = []fieldDef{
	{"reason", "appt.reason"},
	{"cancel_reason", "appt.cancelReason"},
	{"cancel_notify", "appt.cancelNotify"},
	{"noshow_reason", "appt.noShowReason"},
}

// appointmentPage is the data of appointment.html: the booking form of a
// person, or, with Current set, the page that changes a booking.
type appointmentPage struct {
	Family rescreen.FamilyID
	Plan   *rescreen.SchedulePlan
	// Members is set instead of Plan when no person was chosen yet.
	Members []memberChoice
	// Current is the appointment being changed; nil on the booking form.
	Current   *rescreen.Appointment
	Occasions []string
	Modes     []string
	// AskConfirm shows the box that books an interpreter whose language
	// is none of the person's.
	AskConfirm bool
	// CanNoShow says whether the appointment's day has come.
	CanNoShow bool
	// Action is the change form that was submitted (RESCHEDULE, CANCEL,
	// NO_SHOW), whose problems are shown.
	Action string
	*form
}

func newAppointmentPage(cat catalog, plan *rescreen.SchedulePlan, vals url.Values) *appointmentPage {
	p := &appointmentPage{Family: plan.FamilyID, Plan: plan, Modes: rescreen.InterviewMode("").Values(), form: newForm(cat, vals, bookingFields...)}
	for _, d := range changeFields {
		p.add(d, vals)
	}
	for _, o := range plan.Owed {
		p.Occasions = append(p.Occasions, string(o.Occasion))
	}
	if len(p.Occasions) == 0 {
		p.Occasions = []string{string(rescreen.OccasionSettlement), string(rescreen.OccasionChildOwn)}
	}
	p.AskConfirm = vals.Get("language_confirmed") != ""
	return p
}

// defaultBooking is what a fresh booking form holds: the family version,
// the occasion owed when there is one, the person's first language for
// the interpreter (none for English), and counsel to be told when there
// is counsel of record.
func defaultBooking(plan *rescreen.SchedulePlan) url.Values {
	vals := url.Values{"version": {strconv.FormatInt(plan.Version, 10)}}
	if len(plan.Owed) == 1 {
		vals.Set("occasion", string(plan.Owed[0].Occasion))
	}
	if len(plan.Languages) > 0 && plan.Languages[0] != "en" {
		vals.Set("interpreter_language", plan.Languages[0])
	}
	if plan.HasCounsel {
		vals.Set("notify_counsel", "yes")
	}
	return vals
}

// checkBooking validates the booking fields and returns the request.
func (p *appointmentPage) checkBooking(today rescreen.Date) rescreen.AppointmentRequest {
	f := p.form
	r := rescreen.AppointmentRequest{FamilyID: p.Family, PersonID: p.Plan.PersonID}
	if p.Current == nil {
		if f.need("occasion", "forms.err.choose") {
			r.Occasion = rescreen.Occasion(f.choice("occasion", p.Occasions))
		}
	}
	if f.need("on", "forms.err.required") {
		r.On = f.date("on", today, true)
		p.checkDay("on", r.On, today)
	}
	if f.need("time", "forms.err.required") {
		r.Time = f.raw("time")
		if !validClock(r.Time) {
			f.fail("time", "appt.err.time")
		}
	}
	if f.need("officer", "forms.err.required") {
		r.Officer = f.text("officer", false)
	}
	if f.need("office", "forms.err.required") {
		r.Office = f.text("office", false)
	}
	if f.need("mode", "forms.err.choose") {
		r.Mode = rescreen.InterviewMode(f.choice("mode", p.Modes))
	}
	r.Place = f.text("place", false)
	r.Phone = f.text("phone_line", false)
	switch {
	case r.Mode == "IN_PERSON" && r.Place == "" && !f.failed("place"):
		f.fail("place", "appt.err.place")
	case (r.Mode == "PHONE" || r.Mode == "VIDEO") && r.Phone == "" && !f.failed("phone_line"):
		f.fail("phone_line", "appt.err.phone")
	}
	r.Interpreter = f.language("interpreter_language")
	r.LanguageConfirmed = f.raw("language_confirmed") == "yes"
	if langs := p.Plan.Languages; r.Interpreter != "" && !f.failed("interpreter_language") && len(langs) > 0 &&
		!slices.Contains(langs, r.Interpreter) && !r.LanguageConfirmed {
		f.fail("interpreter_language", "appt.err.languageNotOnRecord", r.Interpreter, strings.Join(langs, ", "))
		p.AskConfirm = true
	}
	r.InterpreterName = f.text("interpreter", false)
	r.NotifyCounsel = f.raw("notify_counsel") == "yes"
	if r.NotifyCounsel && !p.Plan.HasCounsel {
		f.fail("notify_counsel", "appt.err.noCounsel")
	}
	r.Notes = f.text("notes", true)
	return r
}

// checkDay fails a day that is before today, more than a year ahead, on a
// weekend or on a federal holiday (as the service's plan lists them).
func (p *appointmentPage) checkDay(field string, d, today rescreen.Date) {
	f := p.form
	switch {
	case d.IsZero() || f.failed(field):
	case d.Before(today):
		f.fail(field, "appt.err.past", today.String())
	case d.After(today.AddDays(366)):
		f.fail(field, "appt.err.tooFar", today.AddDays(366).String())
	case d.Time().Weekday() == time.Saturday:
		f.fail(field, "appt.err.saturday", d.String())
	case d.Time().Weekday() == time.Sunday:
		f.fail(field, "appt.err.sunday", d.String())
	default:
		for _, h := range p.Plan.Holidays {
			if h.On == d {
				f.fail(field, "appt.err.holiday", d.String(), h.Name)
			}
		}
	}
}

// validClock reports whether s is a time of day written HH:MM (24-hour).
func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return (s[0]-'0')*10+s[1]-'0' < 24 && s[3] < '6'
}

// serviceProblems puts the service's problems of a booking next to the
// fields they name; the fields are named as the service names them, but
// for the reason and counsel of a cancellation (by the action).
func (p *appointmentPage) serviceProblems(err error) {
	f := p.form
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) == 0 {
		f.fail("", "forms.err.service", rescreen.ErrorMessage(err))
		return
	}
	for _, pr := range ve.Problems {
		name := pr.Field
		switch {
		case p.Action == rescreen.ActionCancel && name == "reason":
			name = "cancel_reason"
		case p.Action == rescreen.ActionCancel && name == "notify_counsel":
			name = "cancel_notify"
		case p.Action == rescreen.ActionNoShow && name == "reason":
			name = "noshow_reason"
		}
		if _, ok := f.F[name]; !ok || name == "version" {
			name = ""
		}
		switch {
		case name != "" && pr.Msg == "is required":
			f.fail(name, "forms.err.required")
		case name != "":
			f.fail(name, "forms.err.service", pr.Msg)
		case pr.Field != "":
			f.fail("", "forms.err.service", pr.Field+": "+pr.Msg)
		default:
			f.fail("", "forms.err.service", pr.Msg)
		}
		if pr.Field == "interpreter_language" && strings.Contains(pr.Msg, "confirm") {
			p.AskConfirm = true
		}
	}
}

// uiAppointmentNew answers GET /families/{id}/appointments/new?person=ID:
// the booking form of the person, or, without a person, the choice of
// one of the family's members.
func (s *Server) uiAppointmentNew(w http.ResponseWriter, r *http.Request) {
	id := rescreen.FamilyID(r.PathValue("id"))
	person := r.URL.Query().Get("person")
	if person == "" {
		d, err := s.families.GetFamily(r.Context(), id)
		if err != nil {
			s.uiError(w, r, err)
			return
		}
		p := &appointmentPage{Family: id, form: newForm(s.cats[language(r)], url.Values{})}
		for i := range d.Records.Persons {
			x := &d.Records.Persons[i]
			p.Members = append(p.Members, memberChoice{Value: x.ID, Name: x.FullName(), Role: x.Role, BirthDate: x.BirthDate})
		}
		slices.SortStableFunc(p.Members, func(a, b memberChoice) int { return -cmpBool(a.Role.IsAdult(), b.Role.IsAdult()) })
		s.render(w, r, http.StatusOK, "appointment.html", p, "appt.title", id)
		return
	}
	plan, err := s.families.SchedulePlan(r.Context(), id, rescreen.PersonID(person))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	p := newAppointmentPage(s.cats[language(r)], plan, defaultBooking(plan))
	s.render(w, r, http.StatusOK, "appointment.html", p, "appt.title", id)
}

// uiAppointmentCreate answers POST /families/{id}/appointments: it books
// the appointment and sends the user to the family page (303); a refused
// form comes back with 422, a stale one with 409.
func (s *Server) uiAppointmentCreate(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	id := rescreen.FamilyID(r.PathValue("id"))
	plan, err := s.families.SchedulePlan(r.Context(), id, rescreen.PersonID(r.PostForm.Get("person")))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	p := newAppointmentPage(s.cats[language(r)], plan, r.PostForm)
	version := p.version("version")
	req := p.checkBooking(s.today())
	req.Version = version
	if p.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "appointment.html", p, "appt.titleError", id)
		return
	}
	_, err = s.families.Schedule(r.Context(), req)
	if status, ok := s.bookingOutcome(r, p, err, version); ok {
		http.Redirect(w, r, familyAnchor(id, "appointments"), http.StatusSeeOther)
	} else if status == 0 {
		s.uiError(w, r, err)
	} else {
		s.render(w, r, status, "appointment.html", p, "appt.titleError", id)
	}
}

// bookingOutcome turns the service's answer into what the user sees, as
// formOutcome does for the other forms: ok when recorded, else the
// status to show the form again with, or 0 when the error is not the
// form's to show.
func (s *Server) bookingOutcome(r *http.Request, p *appointmentPage, err error, version int64) (status int, ok bool) {
	switch rescreen.ErrorCode(err) {
	case "":
		return 0, true
	case rescreen.ECONFLICT:
		cur := version
		if plan, gerr := s.families.SchedulePlan(r.Context(), p.Family, p.Plan.PersonID); gerr == nil {
			cur = plan.Version
		}
		p.F["version"].Value = strconv.FormatInt(cur, 10)
		p.Conflict = p.cat.text("forms.err.conflict", version, cur)
		return http.StatusConflict, false
	case rescreen.EINVALID:
		p.serviceProblems(err)
		return http.StatusUnprocessableEntity, false
	}
	return 0, false
}

// --- Changing a booking ---

// changePage reads the appointment of the route and its person's plan.
func (s *Server) changePage(r *http.Request, vals url.Values) (*appointmentPage, error) {
	id := rescreen.FamilyID(r.PathValue("id"))
	d, err := s.families.GetFamily(r.Context(), id)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.Records.Appointments, func(a rescreen.Appointment) bool { return a.ID == r.PathValue("appointment") })
	if i < 0 {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "%s", s.cats[language(r)].text("appt.err.notFound"))
	}
	a := d.Records.Appointments[i]
	person := ""
	for _, x := range d.Records.Persons {
		if x.Key() == a.Person {
			person = x.ID
		}
	}
	plan, err := s.families.SchedulePlan(r.Context(), id, rescreen.PersonID(person))
	if err != nil {
		return nil, err
	}
	if vals == nil {
		vals = url.Values{"version": {strconv.FormatInt(plan.Version, 10)}, "on": {a.On.String()}, "time": {a.Time},
			"officer": {a.Officer}, "office": {a.Office}, "mode": {string(a.Mode)}, "place": {a.Place}, "phone_line": {a.Phone},
			"interpreter_language": {a.Interpreter}, "interpreter": {a.InterpreterName}}
		if plan.HasCounsel {
			vals.Set("notify_counsel", "yes")
			if !a.CounselNotifiedOn.IsZero() {
				vals.Set("cancel_notify", "yes")
			}
		}
	}
	p := newAppointmentPage(s.cats[language(r)], plan, vals)
	p.Current = &a
	p.CanNoShow = !a.On.After(s.today())
	return p, nil
}

// uiAppointmentEdit answers GET /families/{id}/appointments/{appointment}:
// the appointment, and, while it is SCHEDULED, the forms that reschedule
// it, cancel it, or record that the person did not come.
func (s *Server) uiAppointmentEdit(w http.ResponseWriter, r *http.Request) {
	p, err := s.changePage(r, nil)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "appointment.html", p, "appt.changeTitle", p.Family)
}

// uiAppointmentChange answers POST /families/{id}/appointments/{appointment}
// with action RESCHEDULE, CANCEL or NO_SHOW.
func (s *Server) uiAppointmentChange(w http.ResponseWriter, r *http.Request) {
	if !s.readForm(w, r) {
		return
	}
	p, err := s.changePage(r, r.PostForm)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	p.Action = r.PostForm.Get("action")
	version := p.version("version")
	c := rescreen.AppointmentChange{FamilyID: p.Family, Appointment: p.Current.ID, Action: p.Action}
	switch p.Action {
	case rescreen.ActionReschedule:
		c.Booking = p.checkBooking(s.today())
		c.Reason = p.text("reason", true)
	case rescreen.ActionCancel:
		if p.need("cancel_reason", "forms.err.required") {
			c.Reason = p.text("cancel_reason", true)
		}
		c.Booking.NotifyCounsel = p.raw("cancel_notify") == "yes"
		if c.Booking.NotifyCounsel && !p.Plan.HasCounsel {
			p.fail("cancel_notify", "appt.err.noCounsel")
		}
	case rescreen.ActionNoShow:
		if !p.CanNoShow {
			p.fail("", "appt.err.noShowEarly", p.Current.On.String())
		}
		c.Reason = p.text("noshow_reason", true)
	default:
		p.fail("", "appt.err.action")
	}
	c.Booking.Version = version
	if p.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "appointment.html", p, "appt.changeTitleError", p.Family)
		return
	}
	_, err = s.families.ChangeAppointment(r.Context(), c)
	if status, ok := s.bookingOutcome(r, p, err, version); ok {
		http.Redirect(w, r, familyAnchor(p.Family, "appointments"), http.StatusSeeOther)
	} else if status == 0 {
		s.uiError(w, r, err)
	} else {
		s.render(w, r, status, "appointment.html", p, "appt.changeTitleError", p.Family)
	}
}

// --- On the family page ---

// familySchedule is the family page's part about scheduling: every
// appointment, the W9 clock of every Option A election, and the members
// a booking can be made for.
type familySchedule struct {
	Family       rescreen.FamilyID
	Appointments []appointmentRow
	Waits        []waitRow
	Members      []memberChoice // Value is the person's record id
}

// appointmentRow is one appointment on the family page.
type appointmentRow struct {
	ID                string
	Person            string
	Occasion          rescreen.Occasion
	On                rescreen.Date
	Time              string
	Mode              rescreen.InterviewMode
	Where             string // the place, or the line or link
	Officer, Office   string
	Interpreter       string
	CounselNotifiedOn rescreen.Date
	State             rescreen.AppointmentState
	// Past is set for a booking still SCHEDULED whose day has passed.
	Past bool
}

// waitRow is one Option A election's wait.
type waitRow struct {
	Person string
	rescreen.ElectionWait
}

func newFamilySchedule(d *rescreen.Dossier, today rescreen.Date) familySchedule {
	v := familySchedule{Family: d.FamilyID}
	names := map[rescreen.Ref]string{}
	for i := range d.Records.Persons {
		names[d.Records.Persons[i].Key()] = d.Records.Persons[i].FullName()
	}
	name := func(r rescreen.Ref) string {
		if n := names[r]; n != "" {
			return n
		}
		return string(r) // a member recorded in another family of the unit
	}
	for _, a := range d.Records.Appointments {
		where := a.Place
		if a.Mode != "IN_PERSON" && a.Phone != "" {
			where = a.Phone
		}
		v.Appointments = append(v.Appointments, appointmentRow{
			ID: a.ID, Person: name(a.Person), Occasion: a.Occasion, On: a.On, Time: a.Time, Mode: a.Mode, Where: where,
			Officer: a.Officer, Office: a.Office, Interpreter: a.Interpreter, CounselNotifiedOn: a.CounselNotifiedOn, State: a.State,
			Past: a.State == rescreen.AppointmentScheduled && a.On.Before(today),
		})
	}
	slices.SortStableFunc(v.Appointments, func(a, b appointmentRow) int {
		if c := b.On.Compare(a.On); c != 0 {
			return c
		}
		return strings.Compare(b.Time, a.Time)
	})
	for _, x := range d.Waits {
		v.Waits = append(v.Waits, waitRow{Person: name(x.Person), ElectionWait: x})
	}
	for i := range d.Records.Persons {
		p := &d.Records.Persons[i]
		v.Members = append(v.Members, memberChoice{Value: p.ID, Name: p.FullName(), Role: p.Role, BirthDate: p.BirthDate})
	}
	slices.SortStableFunc(v.Members, func(a, b memberChoice) int { return -cmpBool(a.Role.IsAdult(), b.Role.IsAdult()) })
	return v
}
