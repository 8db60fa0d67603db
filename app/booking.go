package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"rescreen"
	"rescreen/access"
	"rescreen/calendar"
	"rescreen/sqlstore"
)

// The service is the registry's ScheduleService.
var _ rescreen.ScheduleService = (*Service)(nil)

// bookingHorizon is how far ahead an appointment may be booked: a year
// covers any interview calendar and catches a mistyped year.
const bookingHorizon = 366

// holidays returns the federal holidays observed from today to the end of
// the booking horizon, by the service's clock: the days an appointment
// cannot be booked on besides weekends.
func (s *Service) holidays(today rescreen.Date) []rescreen.Holiday {
	end := today.AddDays(bookingHorizon)
	var out []rescreen.Holiday
	for y := today.Year - 1; y <= end.Year+1; y++ {
		for _, h := range calendar.Holidays(y) {
			on := rescreen.Date(h.Observed)
			if !on.Before(today) && !on.After(end) {
				out = append(out, rescreen.Holiday{On: on, Name: h.Name})
			}
		}
	}
	slices.SortFunc(out, func(a, b rescreen.Holiday) int { return a.On.Compare(b.On) })
	return out
}

// evaluatedData returns the records the rules evaluate for the family: its
// own, or, for a family of a unit, the unit's presented as one family's
// (see unitDataset), in which a person's records that links join are one
// person.
func evaluatedData(ctx context.Context, r unitReader, id rescreen.FamilyID, own *rescreen.Dataset) (*rescreen.Dataset, error) {
	u, err := unitOf(ctx, r, id)
	if err != nil || u.single() {
		return own, err
	}
	_, all, err := unitRecords(ctx, r, u)
	if err != nil {
		return nil, err
	}
	return unitDataset(u, all, false)
}

// standsFor returns the reference under which the rules see a person
// record: its own, or, when a link merged it into another record of the
// unit, that record's (unitDataset keeps the merged record's names as a
// variant whose source id ends in "#linked-name").
func standsFor(ed *rescreen.Dataset, key rescreen.Ref) rescreen.Ref {
	for i := range ed.Persons {
		if ed.Persons[i].Key() == key {
			return key
		}
	}
	src, sid := key.Split()
	for i := range ed.Names {
		n := &ed.Names[i]
		if n.Source == src && n.SourceID == sid+"#linked-name" {
			return n.Person
		}
	}
	return key
}

// owedOf lists what the rules owe a person that an appointment serves.
func owedOf(det *rescreen.Determination, person rescreen.Ref) []rescreen.OwedInterview {
	if det == nil {
		return nil
	}
	var out []rescreen.OwedInterview
	for _, p := range det.Persons {
		if p.Person != person {
			continue
		}
		for _, rm := range p.Remedies {
			if occ, ok := occasionOf(rm.Kind); ok {
				out = append(out, rescreen.OwedInterview{Occasion: occ, Remedy: rm.Kind, State: rm.State, Reinterview: rm.State == "NONCOMPLIANT"})
			}
		}
	}
	return out
}

// bookingContext is what a booking reads of the family inside its
// transaction.
type bookingContext struct {
	family  sqlstore.FamilyRow
	own     *rescreen.Dataset // the family's own records
	ed      *rescreen.Dataset // the records the rules evaluate
	det     *rescreen.Determination
	person  *rescreen.Person // the person booked, of the family's own records
	stands  rescreen.Ref     // the person's reference in ed and det
	counsel []*rescreen.Counsel
	// lv is what the caller may read of the family (nil: the process's
	// own call), by which the booking's answer is masked.
	lv levels
}

// readBooking reads the family for a booking: its row (ENOTFOUND, or
// ECONFLICT when version is set and stale), its records, the records the
// rules evaluate and its determination.
func (s *Service) readBooking(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, version int64) (*bookingContext, error) {
	fr, ok, err := tx.FamilyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
	}
	if version != 0 && fr.Version != version {
		return nil, rescreen.Errorf(rescreen.ECONFLICT, "family %s has changed (version %d, not %d); reload it and try again", id, fr.Version, version)
	}
	rows, err := tx.FamilyRecords(ctx, id)
	if err != nil {
		return nil, err
	}
	own, err := datasetOf(rows)
	if err != nil {
		return nil, err
	}
	ed, err := evaluatedData(ctx, tx, id, own)
	if err != nil {
		return nil, err
	}
	bc := &bookingContext{family: fr, own: own, ed: ed}
	row, found, err := tx.Determination(ctx, id)
	if err != nil {
		return nil, err
	}
	if found {
		if bc.det, err = s.determination(id, row, func() (*rescreen.Dataset, error) { return ed, nil }); err != nil {
			return nil, err
		}
	}
	return bc, nil
}

// findPerson sets the person booked, by record id, among the family's own
// persons, and reports whether there is one.
func (bc *bookingContext) findPerson(id rescreen.PersonID, today rescreen.Date) bool {
	for i := range bc.own.Persons {
		if bc.own.Persons[i].ID == string(id) {
			bc.person = &bc.own.Persons[i]
			bc.stands = standsFor(bc.ed, bc.person.Key())
			bc.counsel = counselOf(bc.ed, bc.stands, today)
			return true
		}
	}
	return false
}

// mayChangeScreenings refuses, with EFORBIDDEN (or ENOTFOUND for a family
// that does not exist), a principal who may not change the family's
// screenings: booking an interview is part of the screening, and the
// notice to counsel it writes is the booking's own record of telling
// them (see docs/design.md, "Interview scheduling"). It returns what the
// principal may read of the family (nil for the process's own calls):
// the booking's answer shows no more than the family page would.
func (s *Service) mayChangeScreenings(ctx context.Context, id rescreen.FamilyID) (levels, error) {
	p, ok := access.FromContext(ctx)
	if !ok {
		return nil, nil
	}
	res, err := s.Resource(ctx, id)
	if err != nil {
		return nil, err
	}
	if d := access.Decide(p, access.Need{Group: access.Screenings, Level: access.Write}, res); !d.Allow {
		return nil, rescreen.Errorf(rescreen.EFORBIDDEN, "You may not book interviews for this family: %s.", d.Reason)
	}
	return s.levelsFor(ctx, id, res.Units), nil
}

// checkSlot checks the booking's day, time, officer, office, mode, place
// or line, and interpreter, which need nothing of the store, and returns
// the problems by field. An appointment is booked for today or later by
// the service's clock, on a business day (no weekend, no federal holiday
// as observed), at most bookingHorizon days ahead.
func checkSlot(r *rescreen.AppointmentRequest, today rescreen.Date) []rescreen.FieldError {
	var probs []rescreen.FieldError
	add := func(field, format string, args ...any) {
		probs = append(probs, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	r.Time, r.Officer, r.Office = strings.TrimSpace(r.Time), strings.TrimSpace(r.Officer), strings.TrimSpace(r.Office)
	r.Place, r.Phone = strings.TrimSpace(r.Place), strings.TrimSpace(r.Phone)
	r.Interpreter, r.InterpreterName = strings.ToLower(strings.TrimSpace(r.Interpreter)), strings.TrimSpace(r.InterpreterName)
	cd := calendar.Date(r.On)
	switch {
	case r.On.IsZero():
		add("on", "is required")
	case r.On.Before(today):
		add("on", "%s is in the past; the earliest day to book is today, %s", r.On, today)
	case r.On.After(today.AddDays(bookingHorizon)):
		add("on", "%s is more than a year ahead (the latest day is %s)", r.On, today.AddDays(bookingHorizon))
	case calendar.IsWeekend(cd):
		add("on", "%s is a %s; interviews are booked on business days", r.On, r.On.Time().Weekday())
	default:
		if name, ok := calendar.HolidayOn(cd); ok {
			add("on", "%s is a federal holiday (%s); interviews are booked on business days", r.On, name)
		}
	}
	switch {
	case r.Time == "":
		add("time", "is required")
	case !validTime(r.Time):
		add("time", "%q is not a time of day as HH:MM (24-hour)", r.Time)
	}
	if r.Officer == "" {
		add("officer", "is required: the asylum officer who holds the interview")
	}
	if r.Office == "" {
		add("office", "is required")
	}
	switch r.Mode {
	case "":
		add("mode", "is required")
	case rescreen.InterviewMode("IN_PERSON"):
		if r.Place == "" {
			add("place", "is required for an interview in person: the address or room")
		}
	case rescreen.InterviewMode("PHONE"), rescreen.InterviewMode("VIDEO"):
		if r.Phone == "" {
			add("phone_line", "is required for an interview by phone or video: the line or link")
		}
	default:
		add("mode", "%q is not one of %s", r.Mode, strings.Join(rescreen.InterviewMode("").Values(), ", "))
	}
	if r.Interpreter != "" && !rescreen.IsLanguage(r.Interpreter) {
		add("interpreter_language", "%q is not an ISO 639 language code", r.Interpreter)
	}
	return probs
}

func validTime(s string) bool {
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

// checkPerson checks what the booking asks of the person: that the rules
// owe them the review or interview (the occasion defaults to the one
// owed when there is only one), that the interpreter's language (by
// default the person's first, unless English) is one they understand
// unless the caller confirmed it, and that there is counsel to notify
// when asked.
func (bc *bookingContext) checkPerson(r *rescreen.AppointmentRequest) []rescreen.FieldError {
	var probs []rescreen.FieldError
	add := func(field, format string, args ...any) {
		probs = append(probs, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	owed := owedOf(bc.det, bc.stands)
	if r.Occasion == "" && len(owed) == 1 {
		r.Occasion = owed[0].Occasion
	}
	switch i := slices.IndexFunc(owed, func(o rescreen.OwedInterview) bool { return o.Occasion == r.Occasion }); {
	case r.Occasion == "":
		add("occasion", "is required")
	case !slices.Contains(rescreen.Occasion("").Values(), string(r.Occasion)):
		add("occasion", "%q is not one of %s", r.Occasion, strings.Join(rescreen.Occasion("").Values(), ", "))
	case bc.det == nil:
		add("occasion", "the family has not been evaluated under the rules yet, so what %s is owed is not known", bc.person.Key())
	case i < 0:
		add("occasion", "the rules owe %s no %s as the family was last evaluated", bc.person.Key(), r.Occasion)
	case finalStates[owed[i].State]:
		add("occasion", "the %s owed to %s is %s: nothing is left to book", owed[i].Remedy, bc.person.Key(), owed[i].State)
	}
	langs := bc.person.Languages
	if r.Interpreter == "" && len(langs) > 0 && langs[0] != "en" {
		r.Interpreter = langs[0]
	}
	if r.Interpreter != "" && len(langs) > 0 && !slices.Contains(langs, r.Interpreter) && !r.LanguageConfirmed {
		add("interpreter_language", "%s is none of the languages on record for %s (%s); check it, or confirm it to book it anyway",
			r.Interpreter, bc.person.Key(), strings.Join(langs, ", "))
	}
	if r.NotifyCounsel && len(bc.counsel) == 0 {
		add("notify_counsel", "no counsel of record for %s to notify", bc.person.Key())
	}
	return probs
}

// notify is how a change tells counsel of record.
type notify int

const (
	notifyNone notify = iota
	// notifyBooking issues each counsel the scheduling notice of the
	// appointment (rendered, stored, and recorded as a Notice).
	notifyBooking
	// notifyCancel records that each counsel was told of the
	// cancellation: a Notice without a document, since the scheduling
	// notice describes a booking and no written notice describes a
	// cancellation.
	notifyCancel
)

// counselRequest is the notice to one counsel of record about an
// appointment: in English, by email when an address is on record and
// otherwise by mail, sent today, its delivery pending until someone
// records it.
func counselRequest(bc *bookingContext, c *rescreen.Counsel, a *rescreen.Appointment, today rescreen.Date, note string) rescreen.NoticeRequest {
	req := rescreen.NoticeRequest{Person: bc.person.Key(), Kind: rescreen.NoticeScheduling, Language: "en", Mode: rescreen.DeliveryMail,
		Recipient: counselName(c), On: today, Outcome: rescreen.DeliveryPending, Appointment: a.Key(), Notes: note}
	if c.Email != "" {
		req.Mode = rescreen.DeliveryEmail
	}
	return req
}

// book writes the appointment, and the notices to counsel that how asks
// for, in tx through the record path (projections, one audit event of
// the action for the family) and derives the family again. A notice that
// cannot be issued (the records lack what it prints) is a problem of
// notify_counsel, and nothing is written. The booking returned is masked
// by what the caller may read (maskBooking): a caller without CONTACT
// read books with notice to counsel but is not shown the notices, nor
// counsel's name in a problem.
func (s *Service) book(ctx context.Context, tx *sqlstore.Tx, bc *bookingContext, action string, a *rescreen.Appointment, how notify, note string) (*rescreen.Booking, error) {
	id := rescreen.FamilyID(bc.family.ID)
	rescreen.Normalize(rescreen.KindAppointments, a)
	if probs := rescreen.Validate(rescreen.KindAppointments, a); len(probs) > 0 {
		return nil, (&rescreen.ValidationError{Problems: probs}).AsError(action)
	}
	w := s.newWriter(ctx, tx, newResolver(), action, s.NewID("C"))
	probs, err := w.put(rescreen.KindAppointments, a)
	if err != nil {
		return nil, err
	}
	b := &rescreen.Booking{Notices: []rescreen.Notice{}}
	today := rescreen.DateOf(w.now)
	for _, c := range bc.counsel {
		if how == notifyNone || len(probs) > 0 {
			break
		}
		req := counselRequest(bc, c, a, today, note)
		var n *rescreen.Notice
		var p []rescreen.FieldError
		if how == notifyBooking {
			n, p, err = s.issueNoticeInTx(w, id, req)
		} else {
			nid := s.NewID(idPrefix(rescreen.KindNotices))
			n = &rescreen.Notice{Meta: rescreen.Meta{ID: nid, Source: rescreen.SourceManual, SourceID: nid},
				Person: req.Person, Kind: req.Kind, Language: req.Language, Mode: req.Mode, Recipient: req.Recipient,
				On: req.On, Outcome: req.Outcome, Appointment: req.Appointment, Notes: req.Notes, By: byWhom(ctx, w.actor)}
			rescreen.Normalize(rescreen.KindNotices, n)
			if p = rescreen.Validate(rescreen.KindNotices, n); len(p) == 0 {
				p, err = w.put(rescreen.KindNotices, n)
			}
		}
		if err != nil {
			return nil, err
		}
		for _, fe := range p {
			msg := fe.Msg
			if fe.Field != "" {
				msg = fe.Field + ": " + msg
			}
			to := req.Recipient
			if !canRead(bc.lv, access.Contact) {
				to = "counsel of record"
			}
			probs = append(probs, rescreen.FieldError{Field: "notify_counsel",
				Msg: fmt.Sprintf("the notice to %s cannot be issued (%s); complete the records, or book without notifying counsel", to, msg)})
		}
		if n != nil && len(p) == 0 {
			b.Notices = append(b.Notices, *n)
		}
	}
	probs = append(probs, otherFamilies(w, id)...)
	if len(probs) > 0 {
		return nil, (&rescreen.ValidationError{Problems: probs}).AsError(action)
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	if err := s.derive(ctx, tx, id, w.batch); err != nil {
		return nil, err
	}
	fr, _, err := tx.FamilyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	b.Appointment, b.Version = *a, fr.Version
	maskBooking(b, bc.lv)
	return b, nil
}

// Schedule books a review or an interview for a person of the family, in
// one transaction: the appointment (SCHEDULED, made today by the actor),
// and, when counsel is to be notified, the day they were told and a
// scheduling notice to each counsel of record; the audit event; and the
// family derived again, so that the scheduling queue shows the booking.
// A request with any problem changes nothing.
func (s *Service) Schedule(ctx context.Context, r rescreen.AppointmentRequest) (*rescreen.Booking, error) {
	lv, err := s.mayChangeScreenings(ctx, r.FamilyID)
	if err != nil {
		return nil, err
	}
	today := rescreen.DateOf(s.Now().UTC())
	actor := rescreen.ActorFrom(ctx)
	var out *rescreen.Booking
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		bc, err := s.readBooking(ctx, tx, r.FamilyID, r.Version)
		if err != nil {
			return err
		}
		bc.lv = lv
		probs := checkSlot(&r, today)
		if !bc.findPerson(r.PersonID, today) {
			probs = append(probs, rescreen.FieldError{Field: "person", Msg: fmt.Sprintf("%s is not a member of family %s", r.PersonID, r.FamilyID)})
			return (&rescreen.ValidationError{Problems: probs}).AsError("schedule")
		}
		probs = append(probs, bc.checkPerson(&r)...)
		for i := range bc.own.Appointments {
			a := &bc.own.Appointments[i]
			if a.Person == bc.person.Key() && a.Occasion == r.Occasion && a.State == rescreen.AppointmentScheduled {
				probs = append(probs, rescreen.FieldError{Field: "on", Msg: fmt.Sprintf("%s already has a %s booked on %s (%s); reschedule or cancel it instead",
					bc.person.Key(), r.Occasion, a.On, a.ID)})
			}
		}
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError("schedule")
		}
		// The appointment's keys are chosen here, so that its notices
		// can refer to it within the one change.
		aid := s.NewID(idPrefix(rescreen.KindAppointments))
		a := &rescreen.Appointment{Meta: rescreen.Meta{ID: aid, Source: rescreen.SourceManual, SourceID: aid},
			Person: bc.person.Key(), Occasion: r.Occasion, State: rescreen.AppointmentScheduled,
			ScheduledOn: today, ScheduledBy: actor, Notes: strings.TrimSpace(r.Notes)}
		setSlot(a, &r)
		how := notifyNone
		if r.NotifyCounsel {
			a.CounselNotifiedOn, how = today, notifyBooking
		}
		out, err = s.book(ctx, tx, bc, "appointment.schedule", a, how, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sameNotice reports whether a scheduling notice of either appointment
// would tell the same: the day, time, mode, place or line, and
// interpreter's language (see noticeData). The officer and the office are
// not printed.
func sameNotice(a, b *rescreen.Appointment) bool {
	return a.On == b.On && a.Time == b.Time && a.Mode == b.Mode && a.Place == b.Place && a.Phone == b.Phone && a.Interpreter == b.Interpreter
}

// setSlot copies the booking's day, time, officer, office, mode, place or
// line and interpreter onto the appointment.
func setSlot(a *rescreen.Appointment, r *rescreen.AppointmentRequest) {
	a.On, a.Time, a.Officer, a.Office, a.Mode = r.On, r.Time, r.Officer, r.Office, r.Mode
	a.Place, a.Phone, a.Interpreter, a.InterpreterName = r.Place, r.Phone, r.Interpreter, r.InterpreterName
}

// ChangeAppointment reschedules, cancels or marks as missed an appointment
// of the family that is still SCHEDULED, in one transaction with its audit
// event and the family derived again. RESCHEDULE moves it (the booking's
// checks apply again, the day it was made becomes today) and, if asked,
// notifies counsel of the new booking; moved without notice to counsel,
// it no longer says counsel was notified; CANCEL needs a reason and may
// notify counsel; NO_SHOW is for an appointment whose day has come. The
// reason is added to the appointment's notes with the day and the action.
func (s *Service) ChangeAppointment(ctx context.Context, c rescreen.AppointmentChange) (*rescreen.Booking, error) {
	if !slices.Contains([]string{rescreen.ActionReschedule, rescreen.ActionCancel, rescreen.ActionNoShow}, c.Action) {
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "action", Msg: "must be RESCHEDULE, CANCEL or NO_SHOW"}}}).AsError("change appointment")
	}
	lv, err := s.mayChangeScreenings(ctx, c.FamilyID)
	if err != nil {
		return nil, err
	}
	today := rescreen.DateOf(s.Now().UTC())
	actor := rescreen.ActorFrom(ctx)
	op := "appointment." + strings.ToLower(c.Action)
	var out *rescreen.Booking
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		bc, err := s.readBooking(ctx, tx, c.FamilyID, c.Booking.Version)
		if err != nil {
			return err
		}
		bc.lv = lv
		i := slices.IndexFunc(bc.own.Appointments, func(a rescreen.Appointment) bool { return a.ID == c.Appointment })
		if i < 0 {
			return rescreen.Errorf(rescreen.ENOTFOUND, "appointment %s is not of family %s", c.Appointment, c.FamilyID)
		}
		a := bc.own.Appointments[i]
		var probs []rescreen.FieldError
		add := func(field, format string, args ...any) {
			probs = append(probs, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
		}
		if a.State != rescreen.AppointmentScheduled {
			add("action", "the appointment is %s; only a SCHEDULED one can be changed", a.State)
			return (&rescreen.ValidationError{Problems: probs}).AsError(op)
		}
		src, sid := a.Person.Split()
		person := slices.IndexFunc(bc.own.Persons, func(p rescreen.Person) bool { return p.Source == src && p.SourceID == sid })
		if person < 0 {
			return rescreen.Errorf(rescreen.EINTERNAL, "appointment %s names %s, who is not of family %s", a.ID, a.Person, c.FamilyID)
		}
		bc.findPerson(rescreen.PersonID(bc.own.Persons[person].ID), today)
		reason := strings.TrimSpace(c.Reason)
		how, note := notifyNone, ""
		switch c.Action {
		case rescreen.ActionReschedule:
			r := c.Booking
			r.Occasion = a.Occasion
			probs = append(probs, checkSlot(&r, today)...)
			probs = append(probs, bc.checkPerson(&r)...)
			if len(probs) > 0 {
				break
			}
			note = fmt.Sprintf("Rescheduled on %s by %s from %s %s", today, actor, a.On, a.Time)
			was := a
			setSlot(&a, &r)
			a.ScheduledOn, a.ScheduledBy = today, actor
			switch {
			case r.NotifyCounsel:
				a.CounselNotifiedOn, how = today, notifyBooking
			case !sameNotice(&was, &a):
				// Counsel was told of a day, time or place that no
				// longer holds: they have not been told of this one.
				a.CounselNotifiedOn = rescreen.Date{}
			}
			a.Notes = addNote(a.Notes, note, reason)
		case rescreen.ActionCancel:
			if reason == "" {
				add("reason", "is required to cancel")
				break
			}
			if c.Booking.NotifyCounsel && len(bc.counsel) == 0 {
				add("notify_counsel", "no counsel of record for %s to notify", bc.person.Key())
				break
			}
			note = fmt.Sprintf("Cancelled on %s by %s", today, actor)
			a.State = rescreen.AppointmentCancelled
			if c.Booking.NotifyCounsel {
				how = notifyCancel
			}
			a.Notes = addNote(a.Notes, note, reason)
			note = addNote("", note, reason)
		case rescreen.ActionNoShow:
			if a.On.After(today) {
				add("action", "the appointment is on %s; a person can be marked as not coming only from that day", a.On)
				break
			}
			a.State = rescreen.AppointmentNoShow
			a.Notes = addNote(a.Notes, fmt.Sprintf("Marked as not attended on %s by %s", today, actor), reason)
		}
		if len(probs) > 0 {
			return (&rescreen.ValidationError{Problems: probs}).AsError(op)
		}
		out, err = s.book(ctx, tx, bc, op, &a, how, note)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// addNote adds a line to an appointment's notes: what was done, and the
// reason given.
func addNote(notes, what, reason string) string {
	line := what
	if reason != "" {
		line += ": " + reason
	}
	if notes == "" {
		return line
	}
	return notes + "\n" + line
}

// SchedulePlan returns what booking the person needs: the person, what the
// rules owe them, their languages, their counsel of record, their
// appointments (the latest first), the W9 clock of their elections, and
// the holidays on which nothing can be booked. It needs SCREENINGS read,
// and masks as the family page does.
func (s *Service) SchedulePlan(ctx context.Context, id rescreen.FamilyID, person rescreen.PersonID) (*rescreen.SchedulePlan, error) {
	var lv levels
	if p, ok := access.FromContext(ctx); ok {
		res, err := s.Resource(ctx, id)
		if err != nil {
			return nil, err
		}
		if d := access.Decide(p, access.Need{Group: access.Screenings, Level: access.Read}, res); !d.Allow {
			return nil, rescreen.Errorf(rescreen.EFORBIDDEN, "You may not see this family's screenings: %s.", d.Reason)
		}
		lv = s.levelsFor(ctx, id, res.Units)
	}
	today := rescreen.DateOf(s.Now().UTC())
	fr, rows, err := s.DB.Family(ctx, id)
	if err != nil {
		return nil, err
	}
	own, err := datasetOf(rows)
	if err != nil {
		return nil, err
	}
	ed, err := evaluatedData(ctx, s.DB, id, own)
	if err != nil {
		return nil, err
	}
	bc := &bookingContext{family: fr, own: own, ed: ed}
	if !bc.findPerson(person, today) {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "person %s is not of family %s", person, id)
	}
	row, found, err := s.DB.Determination(ctx, id)
	if err != nil {
		return nil, err
	}
	if found {
		if bc.det, err = s.determination(id, row, func() (*rescreen.Dataset, error) { return ed, nil }); err != nil {
			return nil, err
		}
	}
	p := bc.person
	plan := &rescreen.SchedulePlan{FamilyID: id, Version: fr.Version, PersonID: person, Person: p.Key(), Name: p.FullName(), Role: p.Role,
		Owed: owedOf(bc.det, bc.stands), Languages: p.Languages, HasCounsel: len(bc.counsel) > 0,
		Appointments: []rescreen.Appointment{}, Holidays: s.holidays(today), Today: today}
	for _, c := range bc.counsel {
		plan.Counsel = append(plan.Counsel, counselName(c))
	}
	for _, a := range own.Appointments {
		if a.Person == p.Key() {
			plan.Appointments = append(plan.Appointments, a)
		}
	}
	slices.SortFunc(plan.Appointments, func(a, b rescreen.Appointment) int {
		return -cmp.Or(a.On.Compare(b.On), strings.Compare(a.Time, b.Time), strings.Compare(a.ID, b.ID))
	})
	for _, w := range electionWaits(ed, today) {
		if w.Person == bc.stands {
			plan.Waits = append(plan.Waits, w)
		}
	}
	if lv != nil {
		if identityHidden(lv, p.Role, p.BirthDate, today) {
			plan.Name = Initials(plan.Name)
		}
		if !canRead(lv, access.Contact) {
			plan.Counsel = nil
		}
		if !canRead(lv, access.Elections) {
			plan.Waits = nil
		}
		if !canRead(lv, access.ScreeningNotes) {
			for i := range plan.Appointments {
				plan.Appointments[i].Notes = ""
			}
		}
	}
	return plan, nil
}
