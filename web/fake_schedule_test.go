package web

import (
	"context"
	"slices"
	"strconv"
	"time"

	"rescreen"
)

// The fake registry's ScheduleService: a queue the test sets, plans made
// from the dossiers, and bookings kept in them, so that the pages are
// tested against the contract's behaviour (ENOTFOUND for a person not of
// the family, EINVALID with problems by field, ECONFLICT on a stale
// version).

// fakeSchedule is the scheduling state of fakeFamilies.
type fakeSchedule struct {
	queue      []rescreen.QueueItem
	lastQueue  rescreen.QueueFilter
	lastBook   rescreen.AppointmentRequest
	lastChange rescreen.AppointmentChange
	bookFail   error // returned by Schedule and ChangeAppointment when set
	books      int
}

func (f *fakeFamilies) SchedulingQueue(ctx context.Context, q rescreen.QueueFilter) (rescreen.Page[rescreen.QueueItem], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return rescreen.Page[rescreen.QueueItem]{}, err
	}
	f.sched.lastQueue = q
	start := 0
	if q.After != "" {
		n, err := strconv.Atoi(q.After)
		if err != nil {
			return rescreen.Page[rescreen.QueueItem]{}, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "after", Msg: "is not a cursor this list gave"}}}).AsError("queue")
		}
		start = n
	}
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	var items []rescreen.QueueItem
	for _, it := range f.sched.queue {
		switch {
		case q.Scheduled == rescreen.QueueScheduled && it.Appointment == nil:
		case q.Scheduled == rescreen.QueueUnscheduled && it.Appointment != nil:
		default:
			items = append(items, it)
		}
	}
	page := rescreen.Page[rescreen.QueueItem]{Items: []rescreen.QueueItem{}}
	if start < len(items) {
		end := min(start+limit, len(items))
		page.Items = items[start:end]
		if end < len(items) {
			page.Next = strconv.Itoa(end)
		}
	}
	return page, nil
}

func (f *fakeFamilies) person(fam rescreen.FamilyID, id rescreen.PersonID) (*rescreen.Dossier, *rescreen.Person, error) {
	d, ok := f.dossiers[fam]
	if !ok {
		return nil, nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", fam)
	}
	for i := range d.Records.Persons {
		if d.Records.Persons[i].ID == string(id) {
			return d, &d.Records.Persons[i], nil
		}
	}
	return nil, nil, rescreen.Errorf(rescreen.ENOTFOUND, "person %s is not of family %s", id, fam)
}

func (f *fakeFamilies) SchedulePlan(ctx context.Context, fam rescreen.FamilyID, id rescreen.PersonID) (*rescreen.SchedulePlan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	d, p, err := f.person(fam, id)
	if err != nil {
		return nil, err
	}
	// The forms check days against the server's clock, which is the real
	// one in these tests.
	today := rescreen.DateOf(time.Now().UTC())
	plan := &rescreen.SchedulePlan{FamilyID: fam, Version: d.Version, PersonID: id, Person: p.Key(), Name: p.FullName(), Role: p.Role,
		Languages: p.Languages, HasCounsel: len(d.Records.Counsel) > 0, Appointments: []rescreen.Appointment{}, Today: today,
		Holidays: []rescreen.Holiday{{On: fakeHoliday(today), Name: "Founders' Day"}}}
	for _, c := range d.Records.Counsel {
		plan.Counsel = append(plan.Counsel, c.Name)
	}
	if p.Role == rescreen.RoleChild {
		plan.Owed = []rescreen.OwedInterview{{Occasion: rescreen.OccasionChildOwn, Remedy: rescreen.RemedyChildInterview, State: "OWED"}}
	} else {
		plan.Owed = []rescreen.OwedInterview{{Occasion: rescreen.OccasionSettlement, Remedy: rescreen.RemedyParentReview, State: "INTERVIEW_OWED"}}
	}
	for _, a := range d.Records.Appointments {
		if a.Person == p.Key() {
			plan.Appointments = append(plan.Appointments, a)
		}
	}
	for _, w := range d.Waits {
		if w.Person == p.Key() {
			plan.Waits = append(plan.Waits, w)
		}
	}
	return plan, nil
}

func (f *fakeFamilies) Schedule(ctx context.Context, r rescreen.AppointmentRequest) (*rescreen.Booking, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	f.sched.lastBook = r
	if f.sched.bookFail != nil {
		return nil, f.sched.bookFail
	}
	d, p, err := f.person(r.FamilyID, r.PersonID)
	if err != nil {
		return nil, err
	}
	if r.Version != 0 && r.Version != d.Version {
		return nil, rescreen.Errorf(rescreen.ECONFLICT, "family %s has changed", r.FamilyID)
	}
	f.sched.books++
	id := "R-APPT-" + strconv.Itoa(f.sched.books)
	a := rescreen.Appointment{Meta: rescreen.Meta{ID: id, Source: rescreen.SourceManual, SourceID: id}, Person: p.Key(), Occasion: r.Occasion,
		On: r.On, Time: r.Time, Officer: r.Officer, Office: r.Office, Mode: r.Mode, Place: r.Place, Phone: r.Phone,
		Interpreter: r.Interpreter, InterpreterName: r.InterpreterName, State: rescreen.AppointmentScheduled, ScheduledOn: rescreen.DateOf(f.now)}
	if r.NotifyCounsel {
		a.CounselNotifiedOn = rescreen.DateOf(f.now)
	}
	d.Records.Appointments = append(d.Records.Appointments, a)
	d.Version++
	return &rescreen.Booking{Appointment: a, Notices: []rescreen.Notice{}, Version: d.Version}, nil
}

func (f *fakeFamilies) ChangeAppointment(ctx context.Context, c rescreen.AppointmentChange) (*rescreen.Booking, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	f.sched.lastChange = c
	if f.sched.bookFail != nil {
		return nil, f.sched.bookFail
	}
	d, ok := f.dossiers[c.FamilyID]
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", c.FamilyID)
	}
	i := slices.IndexFunc(d.Records.Appointments, func(a rescreen.Appointment) bool { return a.ID == c.Appointment })
	if i < 0 {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "appointment %s is not of family %s", c.Appointment, c.FamilyID)
	}
	a := &d.Records.Appointments[i]
	switch c.Action {
	case rescreen.ActionCancel:
		a.State = rescreen.AppointmentCancelled
	case rescreen.ActionNoShow:
		a.State = rescreen.AppointmentNoShow
	case rescreen.ActionReschedule:
		a.On, a.Time = c.Booking.On, c.Booking.Time
	}
	d.Version++
	return &rescreen.Booking{Appointment: *a, Notices: []rescreen.Notice{}, Version: d.Version}, nil
}

// fakeHoliday is the fake plan's federal holiday: the first Wednesday at
// least a week after today.
func fakeHoliday(today rescreen.Date) rescreen.Date {
	d := today.AddDays(7)
	for d.Time().Weekday() != time.Wednesday {
		d = d.AddDays(1)
	}
	return d
}

// nextBusinessDay is the first weekday after today that is not the fake
// holiday.
func nextBusinessDay(today rescreen.Date) rescreen.Date {
	d := today.AddDays(1)
	for d.Time().Weekday() == time.Saturday || d.Time().Weekday() == time.Sunday || d == fakeHoliday(today) {
		d = d.AddDays(1)
	}
	return d
}
