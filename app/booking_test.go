package app_test

import (
	"context"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// counselNotices returns the notices of the family addressed to counsel
// about the appointment, as the process sees them.
func counselNotices(t *testing.T, w *schedWorld, name, appointment string) []rescreen.Notice {
	t.Helper()
	dos, err := w.s.GetFamily(context.Background(), w.fam[name])
	if err != nil {
		t.Fatal(err)
	}
	var out []rescreen.Notice
	for _, n := range dos.Records.Notices {
		if n.Recipient != "" && n.Appointment == rescreen.NewRef(rescreen.SourceManual, appointment) {
			out = append(out, n)
		}
	}
	return out
}

// TestBookingAnswerMaskedWithoutContact: an asylum officer books, moves
// and cancels interviews with notice to counsel, but may not read CONTACT
// (counsel, notices), which the family page hides from them; the
// booking's answer, which the API returns as it is, leaves the notices
// out for them, while the notices are written all the same and the
// process's own answer carries them.
func TestBookingAnswerMaskedWithoutContact(t *testing.T) {
	w := newSchedWorld(t)
	officer := schedAs("ao-jones", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:ZEARLY"}})
	dos, err := w.s.GetFamily(officer, w.fam["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	if len(dos.Records.Counsel) != 0 || len(dos.Records.Notices) != 0 {
		t.Fatalf("the family page shows the officer %d counsel and %d notices", len(dos.Records.Counsel), len(dos.Records.Notices))
	}
	masked := func(what string, b *rescreen.Booking) {
		t.Helper()
		if b.Notices == nil || len(b.Notices) != 0 {
			t.Errorf("%s: the officer's answer carries notices %+v (nil: %v), want an empty list", what, b.Notices, b.Notices == nil)
		}
	}

	b, err := w.s.Schedule(officer, w.booking("EARLY"))
	if err != nil {
		t.Fatal(err)
	}
	masked("booking", b)
	if b.Appointment.CounselNotifiedOn != rescreen.DateOf(schedNow) {
		t.Errorf("the officer is not told counsel was notified: %s", b.Appointment.CounselNotifiedOn)
	}
	ns := counselNotices(t, w, "EARLY", b.Appointment.ID)
	if len(ns) != 1 || ns[0].Recipient != "Ana Ruiz EARLY (ACLU)" || ns[0].Document == "" {
		t.Fatalf("the booking's notice to counsel is not on record: %+v", ns)
	}

	r := w.booking("EARLY")
	r.On, r.Version = rescreen.MustDate("2018-12-05"), b.Version
	b, err = w.s.ChangeAppointment(officer, rescreen.AppointmentChange{FamilyID: w.fam["EARLY"], Appointment: b.Appointment.ID,
		Action: rescreen.ActionReschedule, Booking: r, Reason: "officer ill"})
	if err != nil {
		t.Fatal(err)
	}
	masked("rescheduling", b)
	if ns := counselNotices(t, w, "EARLY", b.Appointment.ID); len(ns) != 2 {
		t.Fatalf("after rescheduling with notice, counsel has %d notices on record, want 2", len(ns))
	}

	c := rescreen.AppointmentChange{FamilyID: w.fam["EARLY"], Appointment: b.Appointment.ID, Action: rescreen.ActionCancel,
		Reason: "the parent asked for another day", Booking: rescreen.AppointmentRequest{NotifyCounsel: true, Version: b.Version}}
	b, err = w.s.ChangeAppointment(officer, c)
	if err != nil {
		t.Fatal(err)
	}
	masked("cancellation", b)
	if ns := counselNotices(t, w, "EARLY", b.Appointment.ID); len(ns) != 3 {
		t.Fatalf("after cancelling with notice, counsel has %d notices on record, want 3", len(ns))
	}

	// The process's own call (the command line, the jobs) reads
	// everything, and so is given the notices.
	own, err := w.s.Schedule(rescreen.WithActor(context.Background(), "test"), w.booking("LATE"))
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Notices) != 1 || own.Notices[0].Recipient != "Ana Ruiz LATE (ACLU)" {
		t.Errorf("the process's answer: notices %+v, want the one to Ana Ruiz LATE (ACLU)", own.Notices)
	}
}

// TestBookingProblemHidesCounselWithoutContact: a notice to counsel that
// cannot be issued (the parent's only A-number, which it prints, is
// marked ERRONEOUS) refuses the booking with a problem of notify_counsel,
// which names counsel only to a caller who may read them.
func TestBookingProblemHidesCounselWithoutContact(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	dos, err := w.s.GetFamily(ctx, w.fam["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range dos.Records.Identifiers {
		if id.Person == w.ref["EARLY"] {
			id.Status = "ERRONEOUS"
			if _, err := w.s.ApplyChanges(ctx, w.fam["EARLY"], dos.Version, []rescreen.Change{{Kind: rescreen.KindIdentifiers, Record: &id}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	officer := schedAs("ao-jones", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:ZEARLY"}})
	_, err = w.s.Schedule(officer, w.booking("EARLY"))
	msg, ok := fieldProblem(err, "notify_counsel")
	if !ok {
		t.Fatalf("booking with a notice that cannot be issued: %v, want a problem of notify_counsel", err)
	}
	if strings.Contains(msg, "Ana Ruiz") || strings.Contains(msg, "ACLU") || !strings.Contains(msg, "A-number") {
		t.Errorf("the officer is told %q: it names counsel, or not what is missing", msg)
	}
	_, err = w.s.Schedule(ctx, w.booking("EARLY"))
	if msg, _ := fieldProblem(err, "notify_counsel"); !strings.Contains(msg, "Ana Ruiz EARLY (ACLU)") {
		t.Errorf("the process is told %q, want counsel named", msg)
	}
}

// TestRescheduleWithoutNoticeClearsCounselNotified: an appointment moved
// without notice to counsel no longer says counsel was notified, neither
// in the answer nor on record, since counsel was told of another day;
// moved with notice it says so again, and a change counsel's notice does
// not print (the officer) leaves it as it was.
func TestRescheduleWithoutNoticeClearsCounselNotified(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "user:ao-smith")
	today := rescreen.DateOf(schedNow)
	b, err := w.s.Schedule(ctx, w.booking("EARLY"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Appointment.CounselNotifiedOn != today {
		t.Fatalf("booked with notice to counsel: counsel notified on %s, want %s", b.Appointment.CounselNotifiedOn, today)
	}
	onRecord := func() rescreen.Date {
		t.Helper()
		dos, err := w.s.GetFamily(ctx, w.fam["EARLY"])
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range dos.Records.Appointments {
			if a.ID == b.Appointment.ID {
				return a.CounselNotifiedOn
			}
		}
		t.Fatalf("appointment %s is not on record", b.Appointment.ID)
		return rescreen.Date{}
	}
	move := func(change func(*rescreen.AppointmentRequest)) {
		t.Helper()
		r := w.booking("EARLY")
		r.Version = b.Version
		change(&r)
		if b, err = w.s.ChangeAppointment(ctx, rescreen.AppointmentChange{FamilyID: w.fam["EARLY"], Appointment: b.Appointment.ID,
			Action: rescreen.ActionReschedule, Booking: r}); err != nil {
			t.Fatal(err)
		}
	}

	move(func(r *rescreen.AppointmentRequest) { r.On, r.NotifyCounsel = rescreen.MustDate("2018-12-11"), false })
	if got := b.Appointment.CounselNotifiedOn; !got.IsZero() {
		t.Errorf("moved to %s without telling counsel, the appointment says counsel was notified on %s", b.Appointment.On, got)
	}
	if got := onRecord(); !got.IsZero() {
		t.Errorf("on record, counsel was notified on %s of an appointment moved without telling them", got)
	}

	move(func(r *rescreen.AppointmentRequest) { r.On, r.NotifyCounsel = rescreen.MustDate("2018-12-11"), true })
	if got := onRecord(); got != today {
		t.Errorf("moved with notice to counsel: counsel notified on %s, want %s", got, today)
	}
	move(func(r *rescreen.AppointmentRequest) {
		r.On, r.Officer, r.NotifyCounsel = rescreen.MustDate("2018-12-11"), "ao-smith", false
	})
	if got := onRecord(); got != today || b.Appointment.Officer != "ao-smith" {
		t.Errorf("another officer, the same day, time and place: counsel notified on %s (officer %s), want %s", got, b.Appointment.Officer, today)
	}
	move(func(r *rescreen.AppointmentRequest) {
		r.On, r.Time, r.Officer, r.NotifyCounsel = rescreen.MustDate("2018-12-11"), "14:00", "ao-smith", false
	})
	if got := onRecord(); !got.IsZero() {
		t.Errorf("moved to another time without telling counsel: counsel notified on %s", got)
	}
}
