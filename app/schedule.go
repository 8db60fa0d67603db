package app

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"rescreen"
	"rescreen/access"
	"rescreen/calendar"
	"rescreen/sqlstore"
)

// Scheduling (issue 7): the queue of everyone the settlement owes a review
// or an interview, ordered by how long they have waited since their
// Option A election was received (settlement.md W9: in 2018 more than 40
// detained families gave up and accepted removal because nothing happened
// for weeks), and the booking of appointments with notice to counsel.
//
// The queue is a projection of each family's determination and records,
// written by the transaction that derives the family (putQueue, called
// from putWork), so the queue page reads a range of one index however
// large the registry. A change to a family derives it again, and so
// rewrites its rows: a person interviewed, or whose election is withdrawn,
// leaves the queue in the transaction of that change; an appointment
// booked shows at once. What changes with the mere passing of days is
// computed when the queue is read: the days waited, whether a pending
// interview's day has come (the row then leaves the queue), and whether a
// booked appointment's day has passed with nothing recorded.

// waitingStates are the states of a remedy whose review or interview has
// not been held: owed (OWED for a child; INTERVIEW_OWED or REVIEW_OWED
// for a parent, after cfg.interview_trigger), SCHEDULED (a pending
// screening), or NONCOMPLIANT (a negative decision that relied on
// inconsistencies without considering the psychological state at the
// first interview, which does not stand under cfg.r_p5_action=BLOCK: the
// interview is owed again).
var waitingStates = map[string]bool{
	"OWED": true, "INTERVIEW_OWED": true, "REVIEW_OWED": true, "SCHEDULED": true, "NONCOMPLIANT": true,
}

// finalStates are the states of a remedy that is done or no longer owed;
// booking an appointment for it is refused. Any other state (a decision
// not final, one flagged under R-P5, facts missing, a person's review)
// may still need an interview, so booking one is left to the officer.
var finalStates = map[string]bool{
	"DETERMINED_POSITIVE": true, "DETERMINED_NEGATIVE": true, "DETERMINED_NEGATIVE_IJ_REVIEW_MANUAL": true,
	"POSITIVE_EARLIER": true, "NO_CLAIM": true, "WAIVED": true,
}

// occasionOf is the screening that serves a remedy.
func occasionOf(k rescreen.RemedyKind) (rescreen.Occasion, bool) {
	switch k {
	case rescreen.RemedyParentReview:
		return rescreen.OccasionSettlement, true
	case rescreen.RemedyChildInterview:
		return rescreen.OccasionChildOwn, true
	}
	return "", false
}

// settlementInterview reports whether a screening is one the settlement
// owes: a parent's review and new interview, or a child's own interview.
// These are the interviews SR-9 and SR-11 count.
func settlementInterview(o rescreen.Occasion) bool {
	return o == rescreen.OccasionSettlement || o == rescreen.OccasionChildOwn
}

// electionWaits measures the wait after each Option A election form as
// the status report's SR-11 does (docs/report-definitions.md): a form
// received on or before asOf waited from its receipt to the member's
// first settlement interview held on or before asOf, or to asOf when
// there has been none; a member interviewed before the form was received
// had no wait to measure. A form signed but with no receipt recorded is
// listed as NOT_RECEIVED (SR-7's "receipt not recorded"). SR-11 counts
// class members only; this lists every member's forms, so that a wait is
// visible before coverage is settled.
func electionWaits(d *rescreen.Dataset, asOf rescreen.Date) []rescreen.ElectionWait {
	first := map[rescreen.Ref]rescreen.Date{}
	for i := range d.Screenings {
		s := &d.Screenings[i]
		if !settlementInterview(s.Occasion) || s.On.IsZero() || s.On.After(asOf) {
			continue
		}
		if f, ok := first[s.Person]; !ok || s.On.Before(f) {
			first[s.Person] = s.On
		}
	}
	var out []rescreen.ElectionWait
	for i := range d.Elections {
		e := &d.Elections[i]
		if e.Choice != rescreen.ChoiceRemain {
			continue
		}
		w := rescreen.ElectionWait{Person: e.Person, Election: e.Key(), ReceivedOn: e.ReceivedOn}
		switch on, ok := first[e.Person]; {
		case e.ReceivedOn.IsZero():
			if e.SignedOn.IsZero() || e.SignedOn.After(asOf) {
				continue
			}
			w.State = rescreen.WaitNotReceived
		case e.ReceivedOn.After(asOf):
			continue
		case !ok:
			w.State, w.Days = rescreen.WaitWaiting, daysBetween(e.ReceivedOn, asOf)
		case on.Before(e.ReceivedOn):
			w.State, w.InterviewedOn = rescreen.WaitInterviewedBefore, on
		default:
			w.State, w.InterviewedOn, w.Days = rescreen.WaitInterviewed, on, daysBetween(e.ReceivedOn, on)
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b rescreen.ElectionWait) int {
		return cmp.Or(strings.Compare(string(a.Person), string(b.Person)), a.ReceivedOn.Compare(b.ReceivedOn),
			strings.Compare(string(a.Election), string(b.Election)))
	})
	return out
}

func daysBetween(a, b rescreen.Date) int {
	return calendar.DaysBetween(calendar.Date(a), calendar.Date(b))
}

// counselOf returns the counsel of record of a person on a day: those who
// represent the person, else those who represent the whole family, whose
// representation has begun and not ended; in the order of their keys.
func counselOf(d *rescreen.Dataset, person rescreen.Ref, on rescreen.Date) []*rescreen.Counsel {
	var own, family []*rescreen.Counsel
	for i := range d.Counsel {
		c := &d.Counsel[i]
		if (!c.From.IsZero() && c.From.After(on)) || (!c.To.IsZero() && c.To.Before(on)) {
			continue
		}
		switch c.Person {
		case person:
			own = append(own, c)
		case "":
			family = append(family, c)
		}
	}
	if len(own) > 0 {
		return own
	}
	return family
}

// counselName is how a notice and the queue name counsel.
func counselName(c *rescreen.Counsel) string {
	if c.Organization != "" {
		return c.Name + " (" + c.Organization + ")"
	}
	return c.Name
}

// latestCustody returns the person's current custody episode, or nil.
func latestCustody(d *rescreen.Dataset, person rescreen.Ref) *rescreen.Custody {
	var best *rescreen.Custody
	for i := range d.Custody {
		c := &d.Custody[i]
		if c.Person == person && (best == nil || laterCustody(c, best)) {
			best = c
		}
	}
	return best
}

// detained reports whether a custody episode is DHS detention still open
// on the day.
func detained(c *rescreen.Custody, on rescreen.Date) bool {
	if c == nil || (!c.End.IsZero() && c.End.Before(on)) {
		return false
	}
	switch c.Kind {
	case rescreen.CustodyCBP, rescreen.CustodyICE, rescreen.CustodyFamily:
		return true
	}
	return false
}

// queueRows builds the scheduling queue's rows of family id from the
// records the rules evaluated (the unit's, for a family of a unit) and the
// members' determinations as of asOf. Only persons whose record belongs
// to the family itself (own; nil: every person) get a row, so that a
// member of a unit is listed once. A person is listed for each remedy still waiting (see
// waitingStates) unless a settlement interview has been held by asOf,
// which is when SR-11 stops counting the wait; a re-interview is listed
// although the first was held.
func queueRows(id rescreen.FamilyID, d *rescreen.Dataset, asOf rescreen.Date, persons []rescreen.PersonDetermination, own map[string]bool) []sqlstore.QueueRow {
	recs := make(map[rescreen.Ref]*rescreen.Person, len(d.Persons))
	for i := range d.Persons {
		recs[d.Persons[i].Key()] = &d.Persons[i]
	}
	var out []sqlstore.QueueRow
	for _, p := range persons {
		rec := recs[p.Person]
		if rec == nil || (own != nil && !own[rec.ID]) {
			continue
		}
		for _, rm := range p.Remedies {
			occ, ok := occasionOf(rm.Kind)
			if !ok || !waitingStates[rm.State] {
				continue
			}
			row := sqlstore.QueueRow{FamilyID: id, Person: string(p.Person), Remedy: string(rm.Kind), PersonID: rec.ID,
				State: rm.State, Occasion: string(occ), Reinterview: rm.State == "NONCOMPLIANT", Location: p.Location}
			held, next := false, rescreen.Date{}
			for i := range d.Screenings {
				s := &d.Screenings[i]
				if s.Person != p.Person || !settlementInterview(s.Occasion) || s.On.IsZero() {
					continue
				}
				switch {
				case !s.On.After(asOf):
					held = true
				case s.Result == rescreen.ResultPending && (next.IsZero() || s.On.Before(next)):
					next = s.On
				}
			}
			if held && !row.Reinterview {
				continue
			}
			if !next.IsZero() {
				row.InterviewOn = next.String()
			}
			var elected rescreen.Date
			for i := range d.Elections {
				e := &d.Elections[i]
				if e.Person == p.Person && e.Choice == rescreen.ChoiceRemain && !e.ReceivedOn.IsZero() && !e.ReceivedOn.After(asOf) &&
					(elected.IsZero() || e.ReceivedOn.Before(elected)) {
					elected = e.ReceivedOn
				}
			}
			if !elected.IsZero() {
				row.ElectedOn = elected.String()
			}
			var appt *rescreen.Appointment
			for i := range d.Appointments {
				a := &d.Appointments[i]
				if a.Person == p.Person && a.Occasion == occ && a.State == rescreen.AppointmentScheduled &&
					(appt == nil || cmp.Or(a.On.Compare(appt.On), strings.Compare(a.Time, appt.Time)) < 0) {
					appt = a
				}
			}
			if appt != nil {
				row.ApptID, row.ApptOn, row.ApptTime, row.ApptMode = appt.ID, appt.On.String(), appt.Time, string(appt.Mode)
			}
			if len(rec.Languages) > 0 {
				row.Language = rec.Languages[0]
			}
			if c := latestCustody(d, p.Person); c != nil {
				row.Custody, row.Facility, row.Detained = string(c.Kind), c.Facility, detained(c, asOf)
			}
			var names []string
			for _, c := range counselOf(d, p.Person, asOf) {
				names = append(names, counselName(c))
			}
			row.Counsel = strings.Join(names, "; ")
			out = append(out, row)
		}
	}
	slices.SortFunc(out, func(a, b sqlstore.QueueRow) int {
		return cmp.Or(strings.Compare(a.Person, b.Person), strings.Compare(a.Remedy, b.Remedy))
	})
	return out
}

// putQueue writes the family's rows of the scheduling queue inside the
// transaction that stores its evaluation (see putWork).
func (s *Service) putQueue(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, ev *evaluation, persons []rescreen.PersonDetermination) error {
	if ev == nil || ev.data == nil {
		return nil
	}
	rows := queueRows(id, ev.data, ev.asOf, persons, nil)
	if len(rows) > 0 {
		// Which persons are the family's own is read only when someone
		// waits: most families have nobody on the queue.
		own, err := tx.FamilyPersonIDs(ctx, id)
		if err != nil {
			return err
		}
		rows = slices.DeleteFunc(rows, func(r sqlstore.QueueRow) bool { return !own[r.PersonID] })
	}
	return tx.PutQueue(ctx, id, rows)
}

// SchedulingQueue lists the persons owed a review or an interview, the
// longest wait since their Option A election first, filtered to the
// families whose screenings the principal may read. Names are masked as
// on the family page, custody without CUSTODY, counsel without CONTACT,
// and the election's day and the wait without ELECTIONS (the order still
// follows the wait).
func (s *Service) SchedulingQueue(ctx context.Context, f rescreen.QueueFilter) (rescreen.Page[rescreen.QueueItem], error) {
	var page rescreen.Page[rescreen.QueueItem]
	var probs []rescreen.FieldError
	q := sqlstore.QueueQuery{}
	switch f.Scheduled {
	case rescreen.QueueAll:
	case rescreen.QueueScheduled, rescreen.QueueUnscheduled:
		b := f.Scheduled == rescreen.QueueScheduled
		q.Booked = &b
	default:
		probs = append(probs, rescreen.FieldError{Field: "scheduled", Msg: "must be yes, no or empty"})
	}
	if f.Limit == 0 {
		f.Limit = defaultLimit
	}
	if f.Limit < 1 || f.Limit > maxLimit {
		probs = append(probs, rescreen.FieldError{Field: "limit", Msg: fmt.Sprintf("must be from 1 to %d", maxLimit)})
	}
	if f.After != "" {
		b, err := base64.RawURLEncoding.DecodeString(f.After)
		var key []string
		if err == nil {
			err = json.Unmarshal(b, &key)
		}
		if err != nil || len(key) != 4 {
			probs = append(probs, rescreen.FieldError{Field: "after", Msg: "is not a cursor this list gave"})
		} else {
			q.After, q.HasAfter = [4]string(key), true
		}
	}
	if len(probs) > 0 {
		return page, (&rescreen.ValidationError{Problems: probs}).AsError("scheduling queue")
	}
	r, err := reach(ctx, access.Need{Group: access.Screenings, Level: access.Read})
	if err != nil {
		return page, err
	}
	today := f.Today
	if today.IsZero() {
		today = rescreen.DateOf(s.Now().UTC())
	}
	q.Reach, q.Today, q.Limit = r, today.String(), f.Limit+1
	rows, err := s.DB.Queue(ctx, q)
	if err != nil {
		return page, err
	}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		c := sqlstore.QueueCursor(&rows[len(rows)-1])
		b, _ := json.Marshal(c[:])
		page.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	fams := make([]rescreen.FamilyID, len(rows))
	for i := range rows {
		fams[i] = rows[i].FamilyID
	}
	lvs, err := s.levelsOf(ctx, fams)
	if err != nil {
		return page, err
	}
	page.Items = make([]rescreen.QueueItem, 0, len(rows))
	for i := range rows {
		page.Items = append(page.Items, queueItem(&rows[i], lvs[rows[i].FamilyID], today))
	}
	return page, nil
}

// queueItem turns a stored row into what lv may see of it as of today.
func queueItem(r *sqlstore.QueueRow, lv levels, today rescreen.Date) rescreen.QueueItem {
	it := rescreen.QueueItem{
		FamilyID: r.FamilyID, PersonID: rescreen.PersonID(r.PersonID), Person: rescreen.Ref(r.Person), Name: r.Name,
		Role: rescreen.Role(r.Role), Remedy: rescreen.RemedyKind(r.Remedy), State: r.State, Occasion: rescreen.Occasion(r.Occasion),
		Reinterview: r.Reinterview, Language: r.Language, Location: r.Location, Custody: rescreen.CustodyKind(r.Custody),
		Facility: r.Facility, Detained: r.Detained, Counsel: r.Counsel, HasCounsel: r.Counsel != "",
	}
	if d, err := rescreen.ParseDate(r.ElectedOn); err == nil && r.ElectedOn != "" {
		it.ElectedOn = d
		w := max(0, daysBetween(d, today))
		it.WaitDays = &w
	}
	if d, err := rescreen.ParseDate(r.InterviewOn); err == nil && r.InterviewOn != "" {
		it.InterviewOn = d
	}
	if r.ApptID != "" {
		a := &rescreen.QueueAppointment{ID: r.ApptID, Time: r.ApptTime, Mode: rescreen.InterviewMode(r.ApptMode)}
		if d, err := rescreen.ParseDate(r.ApptOn); err == nil {
			a.On, a.Past = d, d.Before(today)
		}
		it.Appointment = a
	}
	if lv == nil {
		return it
	}
	birth, _ := rescreen.ParseDate(r.BirthDate)
	if identityHidden(lv, it.Role, birth, today) {
		it.Name = Initials(it.Name)
	}
	if !canRead(lv, access.Custody) {
		it.Custody, it.Facility, it.Detained = "", "", false
	}
	if !canRead(lv, access.Status) {
		it.Location = ""
	}
	if !canRead(lv, access.Contact) {
		it.Counsel = ""
	}
	if !canRead(lv, access.Elections) {
		it.ElectedOn, it.WaitDays = rescreen.Date{}, nil
	}
	return it
}
