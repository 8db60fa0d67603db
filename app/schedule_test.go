package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/rules"
)

// The scheduling fixture's clock: Monday 2018-11-26, after Thanksgiving
// (2018-11-22), before Christmas (2018-12-25, a Tuesday).
var schedNow = time.Date(2018, 11, 26, 15, 0, 0, 0, time.UTC)

// schedWorld is a registry of three families of a parent and a child
// separated at the border, the parent screened negative, as the
// settlement's class was; the children are in ORR shelters:
//
//   - EARLY: the parent (Mam, then Spanish; held at EARLY-SPC) elected
//     Option A, received 2018-09-15; counsel of record with an email
//     address;
//   - LATE: the parent (Spanish) elected Option A, received 2018-10-01,
//     and the child too, received 2018-10-15; counsel for the family,
//     without email;
//   - NONE: the parent (K'iche') has no election and no counsel.
//
// Each family's records name its own asylum office, Z<NAME>.
type schedWorld struct {
	s      *app.Service
	fam    map[string]rescreen.FamilyID
	parent map[string]rescreen.PersonID
	child  rescreen.PersonID       // LATE's child
	ref    map[string]rescreen.Ref // the parents' keys, and "LATE-C"
}

func newSchedWorld(t *testing.T) *schedWorld {
	t.Helper()
	s := mustService(t)
	s.Now = func() time.Time { return schedNow }
	var err error
	if s.Rules, err = rules.NewEngine(rules.Params{}); err != nil {
		t.Fatal(err)
	}
	w := &schedWorld{s: s, fam: map[string]rescreen.FamilyID{}, parent: map[string]rescreen.PersonID{}, ref: map[string]rescreen.Ref{}}
	ctx := rescreen.WithActor(context.Background(), "test")
	type spec struct {
		langs     []string
		elected   string
		child     bool
		counsel   bool
		email     string
		childElec string
	}
	specs := map[string]spec{
		"EARLY": {langs: []string{"mam", "es"}, elected: "2018-09-15", counsel: true, email: "ana@example.org"},
		"LATE":  {langs: []string{"es"}, elected: "2018-10-01", child: true, counsel: true, childElec: "2018-10-15"},
		"NONE":  {langs: []string{"quc"}},
	}
	for _, name := range []string{"EARLY", "LATE", "NONE"} {
		sp := specs[name]
		m := func(id string) rescreen.Meta { return rescreen.Meta{Source: "MANUAL", SourceID: name + "-" + id} }
		fam := rescreen.Ref("MANUAL:F-" + name)
		no := ptr(false)
		parent := rescreen.Person{Meta: m("P"), Family: fam, Role: rescreen.RoleParent, GivenNames: "Rosa", FirstSurname: "Tzul" + name,
			BirthDate: rescreen.MustDate("1988-01-15"), Country: "GT", Languages: sp.langs,
			EntryDate: rescreen.MustDate("2018-05-19"), EntryKind: "BETWEEN_PORTS", UnfitOrDanger: no, CriminalHistory: no,
			CommunicableDisease: no, SubjectToEO13841: no}
		d := &rescreen.Dataset{
			Families:    []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-" + name}}},
			Persons:     []rescreen.Person{parent},
			Identifiers: []rescreen.Identifier{{Meta: m("PA"), Person: parent.Key(), Kind: rescreen.IDANumber, Value: "A11122233" + string(rune('0'+len(name)))}},
			Custody: []rescreen.Custody{{Meta: m("K1"), Person: parent.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"),
				Facility: name + "-SPC"}},
			Screenings: []rescreen.Screening{{Meta: m("S"), Person: parent.Key(), Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionInitial,
				On: rescreen.MustDate("2018-06-01"), Result: rescreen.ResultNegative, Final: ptr(true), WhileSeparated: ptr(true), Office: "Z" + name}},
		}
		if sp.elected != "" {
			d.Elections = append(d.Elections, rescreen.Election{Meta: m("E"), Person: parent.Key(), Choice: rescreen.ChoiceRemain,
				SignerRole: "SELF", Signer: "Rosa", SignedOn: rescreen.MustDate(sp.elected).AddDays(-3), Language: sp.langs[0], ReadAloud: ptr(true),
				ReceivedOn: rescreen.MustDate(sp.elected)})
		}
		child := rescreen.Person{Meta: m("C"), Family: fam, Role: rescreen.RoleChild, GivenNames: "Ixchel", FirstSurname: "Tzul" + name,
			BirthDate: rescreen.MustDate("2012-09-10"), Country: "GT", Languages: []string{"es"}, EntryDate: rescreen.MustDate("2018-05-19"),
			EntryKind: "BETWEEN_PORTS"}
		d.Persons = append(d.Persons, child)
		d.Relationships = append(d.Relationships, rescreen.Relationship{Meta: m("R"), From: parent.Key(), To: child.Key(), Kind: "PARENT_OF", Evidence: "DNA"})
		d.Separations = append(d.Separations, rescreen.Separation{Meta: m("SEP"), Family: fam, Parent: parent.Key(), Child: child.Key(),
			On: rescreen.MustDate("2018-05-21"), Reason: "PROSECUTION_REFERRAL", Agency: "CBP", ChildCustody: rescreen.CustodyORRShelter})
		d.Custody = append(d.Custody, rescreen.Custody{Meta: m("K2"), Person: child.Key(), Kind: rescreen.CustodyORRShelter,
			Start: rescreen.MustDate("2018-05-22"), Facility: "shelter " + name})
		if sp.child {
			d.Elections = append(d.Elections, rescreen.Election{Meta: m("EC"), Person: child.Key(), Choice: rescreen.ChoiceRemain,
				SignerRole: "PARENT", Signer: "Rosa", SignedOn: rescreen.MustDate(sp.childElec).AddDays(-3), Language: "es", ReadAloud: ptr(true),
				ReceivedOn: rescreen.MustDate(sp.childElec)})
		}
		if sp.counsel {
			d.Counsel = append(d.Counsel, rescreen.Counsel{Meta: m("L"), Family: fam, Role: "CLASS_COUNSEL", Name: "Ana Ruiz " + name,
				Organization: "ACLU", Phone: "+1 212 555 0111", Email: sp.email})
		}
		dos, err := s.CreateFamily(ctx, d)
		if err != nil {
			t.Fatalf("family %s: %v", name, err)
		}
		w.fam[name] = dos.FamilyID
		w.ref[name] = parent.Key()
		for _, p := range dos.Records.Persons {
			switch p.Role {
			case rescreen.RoleParent:
				w.parent[name] = rescreen.PersonID(p.ID)
			case rescreen.RoleChild:
				if name == "LATE" {
					w.child, w.ref["LATE-C"] = rescreen.PersonID(p.ID), p.Key()
				}
			}
		}
	}
	return w
}

func ptr[T any](v T) *T { return &v }

// schedQueue returns the whole queue as the context's principal sees it.
func schedQueue(t *testing.T, s *app.Service, ctx context.Context, f rescreen.QueueFilter) []rescreen.QueueItem {
	t.Helper()
	var out []rescreen.QueueItem
	for {
		page, err := s.SchedulingQueue(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out
		}
		f.After = page.Next
	}
}

// schedRow returns the queue row of a person, or nil.
func schedRow(items []rescreen.QueueItem, person rescreen.Ref) *rescreen.QueueItem {
	for i := range items {
		if items[i].Person == person {
			return &items[i]
		}
	}
	return nil
}

// booking is a valid request for a parent of the world: an interview in
// person on Tuesday 2018-12-04.
func (w *schedWorld) booking(name string) rescreen.AppointmentRequest {
	return rescreen.AppointmentRequest{FamilyID: w.fam[name], PersonID: w.parent[name], On: rescreen.MustDate("2018-12-04"), Time: "10:30",
		Officer: "ao-jones", Office: "Z" + name, Mode: "IN_PERSON", Place: "Asylum office, room 4", NotifyCounsel: name != "NONE"}
}

// TestQueueOrdersByWait: everyone owed a review or an interview is on the
// queue, the longest wait since the Option A election first, with the
// days waited as of today, the language, custody and counsel; those with
// no election come last.
func TestQueueOrdersByWait(t *testing.T) {
	w := newSchedWorld(t)
	items := schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{})
	var got []string
	for _, it := range items {
		got = append(got, string(it.Person)+" "+string(it.Occasion))
	}
	want := []string{
		string(w.ref["EARLY"]) + " SETTLEMENT_REVIEW",
		string(w.ref["LATE"]) + " SETTLEMENT_REVIEW",
		string(w.ref["LATE-C"]) + " CHILD_INTERVIEW",
		"MANUAL:EARLY-C CHILD_INTERVIEW",
		"MANUAL:NONE-C CHILD_INTERVIEW",
		string(w.ref["NONE"]) + " SETTLEMENT_REVIEW",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("queue:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	early := items[0]
	if early.WaitDays == nil || *early.WaitDays != 72 || early.ElectedOn != rescreen.MustDate("2018-09-15") {
		t.Errorf("EARLY waited %v days since %s, want 72 since 2018-09-15", early.WaitDays, early.ElectedOn)
	}
	if early.Language != "mam" || early.Custody != rescreen.CustodyICE || early.Facility != "EARLY-SPC" || !early.Detained {
		t.Errorf("EARLY: language %q custody %q at %q detained %v", early.Language, early.Custody, early.Facility, early.Detained)
	}
	if early.Counsel != "Ana Ruiz EARLY (ACLU)" || !early.HasCounsel || early.Appointment != nil || early.FamilyID != w.fam["EARLY"] {
		t.Errorf("EARLY: counsel %q, appointment %v, family %s", early.Counsel, early.Appointment, early.FamilyID)
	}
	if early.Name != "Rosa TzulEARLY" || early.Remedy != rescreen.RemedyParentReview || early.Location != "IN_US" {
		t.Errorf("EARLY: name %q remedy %s location %s", early.Name, early.Remedy, early.Location)
	}
	if c := items[2]; c.WaitDays == nil || *c.WaitDays != 42 || c.Detained || c.Custody != rescreen.CustodyORRShelter || c.Counsel != "Ana Ruiz LATE (ACLU)" {
		t.Errorf("LATE child: waited %v, custody %s detained %v, counsel %q", c.WaitDays, c.Custody, c.Detained, c.Counsel)
	}
	if n := items[5]; n.WaitDays != nil || !n.ElectedOn.IsZero() || n.HasCounsel || n.Language != "quc" {
		t.Errorf("NONE: waited %v since %s, counsel %v, language %q", n.WaitDays, n.ElectedOn, n.HasCounsel, n.Language)
	}
	// Paging keeps the order and loses nobody.
	paged := schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{Limit: 1})
	if len(paged) != len(items) {
		t.Fatalf("paged by one: %d rows, want %d", len(paged), len(items))
	}
	for i := range paged {
		if paged[i].Person != items[i].Person {
			t.Errorf("paged row %d: %s, want %s", i, paged[i].Person, items[i].Person)
		}
	}
	for _, f := range []rescreen.QueueFilter{{Scheduled: "maybe"}, {Limit: 501}, {After: "not-a-cursor"}} {
		if _, err := w.s.SchedulingQueue(context.Background(), f); rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("filter %+v: %v, want EINVALID", f, err)
		}
	}
}

// TestScheduleWritesOneChange: booking writes the appointment and the
// rendered scheduling notice to counsel, in one change with one audit
// event, and the queue shows the booking at once.
func TestScheduleWritesOneChange(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "user:ao-smith")
	before := schedAudit(t, w.s, w.fam["EARLY"])
	dos, err := w.s.GetFamily(ctx, w.fam["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	r := w.booking("EARLY")
	r.Version = dos.Version
	b, err := w.s.Schedule(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Appointment
	if a.State != rescreen.AppointmentScheduled || a.Occasion != rescreen.OccasionSettlement || a.On != rescreen.MustDate("2018-12-04") ||
		a.CounselNotifiedOn != rescreen.MustDate("2018-11-26") || a.ScheduledOn != rescreen.MustDate("2018-11-26") || a.ScheduledBy != "user:ao-smith" ||
		a.Interpreter != "mam" || a.Person != w.ref["EARLY"] {
		t.Errorf("appointment: %+v", a)
	}
	if len(b.Notices) != 1 {
		t.Fatalf("notices: %+v, want one to counsel", b.Notices)
	}
	n := b.Notices[0]
	if n.Kind != rescreen.NoticeScheduling || n.Recipient != "Ana Ruiz EARLY (ACLU)" || n.Mode != rescreen.DeliveryEmail || n.Appointment != a.Key() ||
		n.Language != "en" || n.On != rescreen.MustDate("2018-11-26") || n.Outcome != rescreen.DeliveryPending || len(n.Document) != 64 {
		t.Errorf("notice: %+v", n)
	}
	if b.Version != dos.Version+1 {
		t.Errorf("version %d after the booking, want %d", b.Version, dos.Version+1)
	}
	doc, err := w.s.NoticeDocument(ctx, w.fam["EARLY"], n.Document)
	if err != nil || len(doc.Bytes) == 0 {
		t.Errorf("the notice's document: %v", err)
	}
	after, err := w.s.GetFamily(ctx, w.fam["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Records.Appointments) != 1 || len(after.Records.Notices) != 1 || after.Records.Appointments[0].ID != a.ID {
		t.Errorf("records after the booking: %d appointments, %d notices", len(after.Records.Appointments), len(after.Records.Notices))
	}
	events := schedAudit(t, w.s, w.fam["EARLY"])[len(before):]
	var changes []rescreen.AuditEvent
	for _, e := range events {
		if !strings.HasPrefix(e.Action, "access.") {
			changes = append(changes, e)
		}
	}
	if len(changes) != 1 || changes[0].Action != "appointment.schedule" || changes[0].Actor != "user:ao-smith" ||
		!strings.Contains(string(changes[0].After), `"kind":"appointments"`) || !strings.Contains(string(changes[0].After), `"kind":"notices"`) {
		t.Fatalf("audit events of the booking: %+v", changes)
	}
	row := schedRow(schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{}), w.ref["EARLY"])
	if row == nil || row.Appointment == nil || row.Appointment.ID != a.ID || row.Appointment.On != a.On || row.Appointment.Time != "10:30" || row.Appointment.Past {
		t.Fatalf("queue row after the booking: %+v", row)
	}
	if un := schedRow(schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{Scheduled: rescreen.QueueUnscheduled}), w.ref["EARLY"]); un != nil {
		t.Errorf("a booked person is among the unscheduled: %+v", un)
	}
	if bk := schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{Scheduled: rescreen.QueueScheduled}); len(bk) != 1 || bk[0].Person != w.ref["EARLY"] {
		t.Errorf("the scheduled: %+v", bk)
	}
}

// schedAudit returns the family's audit events, oldest first.
func schedAudit(t *testing.T, s *app.Service, fam rescreen.FamilyID) []rescreen.AuditEvent {
	t.Helper()
	events, err := s.DB.FamilyAudit(context.Background(), fam, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
		events[i], events[j] = events[j], events[i]
	}
	return events
}

// schedState is what a refused booking must leave as it was.
type schedState struct {
	version int64
	records int
	events  int
	queue   string
}

func schedStateOf(t *testing.T, w *schedWorld, name string) schedState {
	t.Helper()
	dos, err := w.s.GetFamily(context.Background(), w.fam[name])
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = dos.Records.EachRecord(func(rescreen.Kind, rescreen.Record) error { n++; return nil })
	var q []string
	for _, it := range schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{}) {
		a := ""
		if it.Appointment != nil {
			a = it.Appointment.ID
		}
		q = append(q, string(it.Person)+"/"+a)
	}
	return schedState{version: dos.Version, records: n, events: len(schedAudit(t, w.s, w.fam[name])), queue: strings.Join(q, ",")}
}

// fieldProblem returns the message of the problem err names for field.
func fieldProblem(err error, field string) (string, bool) {
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) {
		return "", false
	}
	for _, p := range ve.Problems {
		if p.Field == field {
			return p.Msg, true
		}
	}
	return "", false
}

// TestBadBookingChangesNothing: every bad request is refused with a
// problem naming its field, and leaves the family, its audit log and the
// queue as they were.
func TestBadBookingChangesNothing(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "user:ao-smith")
	if _, err := w.s.Schedule(ctx, w.booking("LATE")); err != nil { // a booking to collide with
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		family string
		edit   func(r *rescreen.AppointmentRequest)
		field  string
		msg    string
	}{
		{"in person without a place", "EARLY", func(r *rescreen.AppointmentRequest) { r.Place = " " }, "place", "in person"},
		{"by phone without a line", "EARLY", func(r *rescreen.AppointmentRequest) { r.Mode = "PHONE" }, "phone_line", "phone or video"},
		{"on Christmas", "EARLY", func(r *rescreen.AppointmentRequest) { r.On = rescreen.MustDate("2018-12-25") }, "on", "federal holiday (Christmas Day)"},
		{"on a Saturday", "EARLY", func(r *rescreen.AppointmentRequest) { r.On = rescreen.MustDate("2018-12-01") }, "on", "Saturday"},
		{"in the past", "EARLY", func(r *rescreen.AppointmentRequest) { r.On = rescreen.MustDate("2018-11-23") }, "on", "in the past"},
		{"more than a year ahead", "EARLY", func(r *rescreen.AppointmentRequest) { r.On = rescreen.MustDate("2020-01-06") }, "on", "more than a year"},
		{"without a day", "EARLY", func(r *rescreen.AppointmentRequest) { r.On = rescreen.Date{} }, "on", "required"},
		{"without an officer", "EARLY", func(r *rescreen.AppointmentRequest) { r.Officer = "" }, "officer", "required"},
		{"without an office", "EARLY", func(r *rescreen.AppointmentRequest) { r.Office = "" }, "office", "required"},
		{"at 25:00", "EARLY", func(r *rescreen.AppointmentRequest) { r.Time = "25:00" }, "time", "HH:MM"},
		{"in no mode", "EARLY", func(r *rescreen.AppointmentRequest) { r.Mode = "CARRIER_PIGEON" }, "mode", "not one of"},
		{"a person of another family", "EARLY", func(r *rescreen.AppointmentRequest) { r.PersonID = w.parent["NONE"] }, "person", "not a member"},
		{"an interpreter in a language not on record", "EARLY", func(r *rescreen.AppointmentRequest) { r.Interpreter = "kjb" }, "interpreter_language", "none of the languages on record"},
		{"a bad language code", "EARLY", func(r *rescreen.AppointmentRequest) { r.Interpreter = "Mam!" }, "interpreter_language", "ISO 639"},
		{"a child's interview for a parent", "EARLY", func(r *rescreen.AppointmentRequest) { r.Occasion = rescreen.OccasionChildOwn }, "occasion", "owe"},
		{"counsel to notify and none on record", "NONE", func(r *rescreen.AppointmentRequest) { r.NotifyCounsel = true }, "notify_counsel", "no counsel of record"},
		{"a second booking", "LATE", func(r *rescreen.AppointmentRequest) { r.On = rescreen.MustDate("2018-12-05") }, "on", "already has"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := schedStateOf(t, w, tc.family)
			r := w.booking(tc.family)
			tc.edit(&r)
			_, err := w.s.Schedule(ctx, r)
			if rescreen.ErrorCode(err) != rescreen.EINVALID {
				t.Fatalf("%v, want EINVALID", err)
			}
			if msg, ok := fieldProblem(err, tc.field); !ok || !strings.Contains(msg, tc.msg) {
				t.Errorf("problem of %s: %q (%v), want one saying %q", tc.field, msg, err, tc.msg)
			}
			if after := schedStateOf(t, w, tc.family); after != before {
				t.Errorf("the store changed:\n%+v\n%+v", before, after)
			}
		})
	}
	// Confirmed, the interpreter's language is booked.
	r := w.booking("EARLY")
	r.Interpreter, r.LanguageConfirmed = "kjb", true
	if _, err := w.s.Schedule(ctx, r); err != nil {
		t.Fatalf("confirmed language: %v", err)
	}
	// A stale version is a conflict.
	r = w.booking("NONE")
	r.NotifyCounsel, r.Version = false, 99
	if _, err := w.s.Schedule(ctx, r); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("stale version: %v, want ECONFLICT", err)
	}
}

// TestBookingAccess: booking needs SCREENINGS write on the family; the
// queue lists only families within the principal's reach, masked.
func TestBookingAccess(t *testing.T) {
	w := newSchedWorld(t)
	ao := func(units ...string) context.Context {
		return schedAs("ao-jones", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: units})
	}
	cases := []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"an ICE officer", schedAs("ice", access.Assignment{Role: access.ICEOfficer, Scope: access.All}), rescreen.EFORBIDDEN},
		{"class counsel", schedAs("counsel", access.Assignment{Role: access.ClassCounsel, Scope: access.All}), rescreen.EFORBIDDEN},
		{"an ORR case manager", schedAs("orr", access.Assignment{Role: access.ORRCaseManager, Scope: access.All}), rescreen.EFORBIDDEN},
		{"the monitor", schedAs("monitor", access.Assignment{Role: access.Monitor, Scope: access.All}), rescreen.EFORBIDDEN},
		{"an asylum officer of another office", ao("office:ZLATE"), rescreen.EFORBIDDEN},
	}
	for _, tc := range cases {
		before := schedStateOf(t, w, "EARLY")
		if _, err := w.s.Schedule(tc.ctx, w.booking("EARLY")); rescreen.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if after := schedStateOf(t, w, "EARLY"); after != before {
			t.Errorf("%s: the store changed", tc.name)
		}
	}
	// The asylum office's officer books, though the notice to counsel is
	// a record of a group officers may not change (CONTACT).
	b, err := w.s.Schedule(ao("office:ZEARLY"), w.booking("EARLY"))
	if err != nil {
		t.Fatalf("the office's officer: %v", err)
	}
	// The answer leaves the notice out (CONTACT, which officers may not
	// read) but says counsel was notified.
	if len(b.Notices) != 0 || b.Appointment.CounselNotifiedOn.IsZero() {
		t.Errorf("the officer's answer: %d notices, counsel notified on %s; want none, and a day", len(b.Notices), b.Appointment.CounselNotifiedOn)
	}
	// And sees that family's row only, without counsel's name (CONTACT).
	items := schedQueue(t, w.s, ao("office:ZEARLY"), rescreen.QueueFilter{})
	if len(items) != 2 || items[0].Person != w.ref["EARLY"] || items[0].Counsel != "" || !items[0].HasCounsel || items[0].WaitDays == nil ||
		items[1].FamilyID != w.fam["EARLY"] {
		t.Fatalf("the officer's queue: %+v", items)
	}
	// An ICE officer at the LATE facility sees LATE, the child's name as
	// initials, and neither the election's day nor the wait (ELECTIONS).
	items = schedQueue(t, w.s, schedAs("ice", access.Assignment{Role: access.ICEOfficer, Scope: access.Unit, Units: []string{"facility:LATE-SPC"}}), rescreen.QueueFilter{})
	if len(items) != 2 {
		t.Fatalf("the ICE officer's queue: %+v", items)
	}
	for _, it := range items {
		if it.FamilyID != w.fam["LATE"] || it.WaitDays != nil || !it.ElectedOn.IsZero() {
			t.Errorf("ICE row: %+v", it)
		}
		if it.Role == rescreen.RoleChild && it.Name != "I. T." {
			t.Errorf("ICE sees the child's name %q", it.Name)
		}
	}
	// A principal who may read no screenings may not list the queue.
	if _, err := w.s.SchedulingQueue(schedAs("orr", access.Assignment{Role: access.ORRCaseManager, Scope: access.All}), rescreen.QueueFilter{}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("ORR's queue: %v, want EFORBIDDEN", err)
	}
	if _, err := w.s.SchedulePlan(schedAs("orr", access.Assignment{Role: access.ORRCaseManager, Scope: access.All}), w.fam["LATE"], w.child); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("ORR's plan: %v, want EFORBIDDEN", err)
	}
}

func schedAs(user string, roles ...access.Assignment) context.Context {
	ctx := access.NewContext(context.Background(), access.Principal{User: user, Roles: roles})
	return rescreen.WithActor(ctx, "user:"+user)
}

// TestQueueFollowsTheFamily: the queue is rewritten with every change of
// the family, and what changes with the days is read as of today.
func TestQueueFollowsTheFamily(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "user:ao-smith")
	row := func(person rescreen.Ref, today string) *rescreen.QueueItem {
		f := rescreen.QueueFilter{}
		if today != "" {
			f.Today = rescreen.MustDate(today)
		}
		return schedRow(schedQueue(t, w.s, context.Background(), f), person)
	}
	b, err := w.s.Schedule(ctx, w.booking("LATE"))
	if err != nil {
		t.Fatal(err)
	}
	id := b.Appointment.ID
	// Rescheduled: the row follows the new day.
	rs := w.booking("LATE")
	rs.On, rs.Time = rescreen.MustDate("2018-12-06"), "14:00"
	if _, err := w.s.ChangeAppointment(ctx, rescreen.AppointmentChange{FamilyID: w.fam["LATE"], Appointment: id, Action: rescreen.ActionReschedule, Booking: rs, Reason: "officer ill"}); err != nil {
		t.Fatal(err)
	}
	if r := row(w.ref["LATE"], ""); r == nil || r.Appointment == nil || r.Appointment.On != rescreen.MustDate("2018-12-06") || r.Appointment.Time != "14:00" {
		t.Fatalf("after rescheduling: %+v", r)
	}
	// Days later, the day has passed with nothing recorded.
	if r := row(w.ref["LATE"], "2018-12-07"); r == nil || r.Appointment == nil || !r.Appointment.Past || *r.WaitDays != 67 {
		t.Errorf("on 2018-12-07: %+v", r)
	}
	// A no-show before the day is refused; on the day it is recorded, and
	// the person waits unscheduled again.
	ns := rescreen.AppointmentChange{FamilyID: w.fam["LATE"], Appointment: id, Action: rescreen.ActionNoShow}
	if _, err := w.s.ChangeAppointment(ctx, ns); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("a no-show before the day: %v, want EINVALID", err)
	}
	w.s.Now = func() time.Time { return time.Date(2018, 12, 6, 18, 0, 0, 0, time.UTC) }
	if _, err := w.s.ChangeAppointment(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if r := row(w.ref["LATE"], ""); r == nil || r.Appointment != nil {
		t.Fatalf("after the no-show: %+v", r)
	}
	if _, err := w.s.ChangeAppointment(ctx, ns); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("a second change of a missed appointment: %v, want EINVALID", err)
	}
	// Booked again, then cancelled with a reason, counsel told.
	again := w.booking("LATE")
	again.On = rescreen.MustDate("2018-12-10")
	b, err = w.s.Schedule(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	cancel := rescreen.AppointmentChange{FamilyID: w.fam["LATE"], Appointment: b.Appointment.ID, Action: rescreen.ActionCancel}
	if _, err := w.s.ChangeAppointment(ctx, cancel); err == nil {
		t.Error("a cancellation without a reason was accepted")
	} else if _, ok := fieldProblem(err, "reason"); !ok {
		t.Errorf("a cancellation without a reason: %v", err)
	}
	cancel.Reason, cancel.Booking.NotifyCounsel = "the parent was released", true
	cb, err := w.s.ChangeAppointment(ctx, cancel)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Appointment.State != rescreen.AppointmentCancelled || len(cb.Notices) != 1 || !strings.Contains(cb.Notices[0].Notes, "the parent was released") ||
		!strings.Contains(cb.Appointment.Notes, "Cancelled on 2018-12-06") {
		t.Errorf("cancelled: %+v", cb)
	}
	if r := row(w.ref["LATE"], ""); r == nil || r.Appointment != nil {
		t.Fatalf("after the cancellation: %+v", r)
	}
	// An interview set as a pending screening keeps the person on the
	// queue until its day; held, the person leaves it.
	pending := &rescreen.Screening{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "LATE-S2"}, Person: w.ref["LATE"], Kind: rescreen.CredibleFear,
		Occasion: rescreen.OccasionSettlement, On: rescreen.MustDate("2018-12-12"), Result: rescreen.ResultPending, Office: "ZLATE"}
	if _, err := w.s.ApplyChanges(ctx, w.fam["LATE"], 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: pending}}); err != nil {
		t.Fatal(err)
	}
	if r := row(w.ref["LATE"], ""); r == nil || r.InterviewOn != rescreen.MustDate("2018-12-12") {
		t.Errorf("with a pending interview: %+v", r)
	}
	if r := row(w.ref["LATE"], "2018-12-12"); r != nil {
		t.Errorf("on the interview's day the person is still queued: %+v", r)
	}
	held := *pending
	held.Result, held.DecidedOn, held.Final, held.ReliesOnInconsistency = rescreen.ResultPositive, rescreen.MustDate("2018-12-06"), ptr(true), ptr(false)
	held.On = rescreen.MustDate("2018-12-06")
	if _, err := w.s.ApplyChanges(ctx, w.fam["LATE"], 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &held}}); err != nil {
		t.Fatal(err)
	}
	if r := row(w.ref["LATE"], ""); r != nil {
		t.Errorf("after the interview: %+v", r)
	}
	if r := row(w.ref["LATE-C"], ""); r == nil {
		t.Error("the child left the queue with the parent's interview")
	}
	// The family page's W9 clock: the parent interviewed 66 days after
	// the election, the child still waiting.
	dos, err := w.s.GetFamily(context.Background(), w.fam["LATE"])
	if err != nil {
		t.Fatal(err)
	}
	got := map[rescreen.Ref]rescreen.ElectionWait{}
	for _, x := range dos.Waits {
		got[x.Person] = x
	}
	if x := got[w.ref["LATE"]]; x.State != rescreen.WaitInterviewed || x.Days != 66 || x.InterviewedOn != rescreen.MustDate("2018-12-06") {
		t.Errorf("the parent's wait: %+v", x)
	}
	if x := got[w.ref["LATE-C"]]; x.State != rescreen.WaitWaiting || x.Days != 52 || x.ReceivedOn != rescreen.MustDate("2018-10-15") {
		t.Errorf("the child's wait: %+v", x)
	}
}

// TestSchedulePlan: what the form needs, masked for the principal.
func TestSchedulePlan(t *testing.T) {
	w := newSchedWorld(t)
	plan, err := w.s.SchedulePlan(context.Background(), w.fam["EARLY"], w.parent["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Owed) != 1 || plan.Owed[0].Occasion != rescreen.OccasionSettlement || !plan.HasCounsel || len(plan.Counsel) != 1 ||
		strings.Join(plan.Languages, ",") != "mam,es" || plan.Today != rescreen.MustDate("2018-11-26") || len(plan.Waits) != 1 || plan.Waits[0].Days != 72 {
		t.Errorf("plan: %+v", plan)
	}
	var christmas bool
	for _, h := range plan.Holidays {
		christmas = christmas || (h.On == rescreen.MustDate("2018-12-25") && h.Name == "Christmas Day")
		if h.On.Before(plan.Today) {
			t.Errorf("holiday %s before today", h.On)
		}
	}
	if !christmas {
		t.Errorf("holidays: %+v", plan.Holidays)
	}
	ctx := schedAs("ao-jones", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:ZEARLY"}})
	plan, err = w.s.SchedulePlan(ctx, w.fam["EARLY"], w.parent["EARLY"])
	if err != nil {
		t.Fatal(err)
	}
	if plan.Counsel != nil || !plan.HasCounsel {
		t.Errorf("the officer sees counsel %v", plan.Counsel)
	}
	if _, err := w.s.SchedulePlan(ctx, w.fam["EARLY"], w.parent["LATE"]); rescreen.ErrorCode(err) != rescreen.ENOTFOUND && rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a person of another family: %v", err)
	}
	if _, err := w.s.SchedulePlan(context.Background(), w.fam["EARLY"], w.parent["LATE"]); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Errorf("a person of another family: %v, want ENOTFOUND", err)
	}
}

// TestQueueAgreesWithTheDossiers: on an imported synthetic class (derived
// in bulk), the queue, read page by page on several days, lists exactly
// the members whose determination owes a review or an interview not held
// by that day, in the order of their first Option A election received,
// with the wait the family page's W9 clock gives.
func TestQueueAgreesWithTheDossiers(t *testing.T) {
	s := mustSyntheticClass(t, 200)
	ds := dossiers(t, s)
	waiting := map[string]bool{"OWED": true, "INTERVIEW_OWED": true, "REVIEW_OWED": true, "SCHEDULED": true, "NONCOMPLIANT": true}
	total := 0
	for _, today := range []rescreen.Date{rescreen.NewDate(2018, 11, 20), rescreen.NewDate(2018, 12, 15), rescreen.NewDate(2019, 3, 1)} {
		var want []string
		for _, d := range ds {
			if d.Determination == nil {
				continue
			}
			for _, p := range d.Determination.Persons {
				for _, rm := range p.Remedies {
					if (rm.Kind != rescreen.RemedyParentReview && rm.Kind != rescreen.RemedyChildInterview) || !waiting[rm.State] {
						continue
					}
					// A settlement interview held: by the derivation's
					// day (the row is not written), or since (it leaves
					// the queue on the pending interview's day).
					held := false
					for _, sc := range d.Records.Screenings {
						if sc.Person == p.Person && (sc.Occasion == rescreen.OccasionSettlement || sc.Occasion == rescreen.OccasionChildOwn) &&
							!sc.On.IsZero() && (!sc.On.After(d.Determination.AsOf) || (sc.Result == rescreen.ResultPending && !sc.On.After(today))) {
							held = true
						}
					}
					if held && rm.State != "NONCOMPLIANT" {
						continue
					}
					elected := "~"
					days := -1
					for _, w := range d.Waits {
						if w.Person == p.Person && !w.ReceivedOn.IsZero() && (elected == "~" || w.ReceivedOn.String() < elected) {
							elected, days = w.ReceivedOn.String(), daysFrom(w.ReceivedOn, today)
						}
					}
					want = append(want, fmt.Sprintf("%s|%s|%s|%s|%d", elected, d.FamilyID, p.Person, rm.Kind, days))
				}
			}
		}
		slices.Sort(want)
		var got []string
		for _, it := range schedQueue(t, s, context.Background(), rescreen.QueueFilter{Today: today, Limit: 9}) {
			elected, days := "~", -1
			if it.WaitDays != nil {
				elected, days = it.ElectedOn.String(), *it.WaitDays
			}
			got = append(got, fmt.Sprintf("%s|%s|%s|%s|%d", elected, it.FamilyID, it.Person, it.Remedy, days))
		}
		if !slices.IsSorted(got) {
			t.Errorf("%s: the queue is not in the order of the wait", today)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d rows on the queue, the dossiers give %d\n%s\n%s", today, len(got), len(want), strings.Join(got[:min(5, len(got))], "\n"), strings.Join(want[:min(5, len(want))], "\n"))
		}
		total += len(want)
		t.Logf("%s: %d waiting", today, len(want))
	}
	if total == 0 {
		t.Fatal("nobody waits in the synthetic class: the test compares nothing")
	}
}

func daysFrom(a, b rescreen.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

// TestQueueListsAUnitMemberOnce: families that links join are evaluated
// together, and each family stores the unit's determination; the queue
// lists a member once, under the family whose record stands for the
// person. A booking made from the family of a record merged into another
// is checked against what the unit owes the person.
func TestQueueListsAUnitMemberOnce(t *testing.T) {
	f := newUnitFixture(t)
	daughter := rescreen.Ref("ORR_UCPORTAL:UAC-91")
	rows := func() map[rescreen.Ref][]rescreen.FamilyID {
		out := map[rescreen.Ref][]rescreen.FamilyID{}
		for _, it := range schedQueue(t, f.s, f.ctx, rescreen.QueueFilter{}) {
			out[it.Person] = append(out[it.Person], it.FamilyID)
		}
		return out
	}
	if before := rows(); len(before) != 0 {
		t.Fatalf("before the link: %v, want nobody (the shelter's mother alone is not known to be in the class)", before)
	}
	f.link(t, f.mother, f.orrMother, 0.999)
	after := rows()
	if fams := after[daughter]; len(fams) != 1 || fams[0] != f.orr {
		t.Errorf("the daughter in the unit: %v, want once under the shelter's family", after)
	}
	if len(after["ORR_UCPORTAL:UAC-PARENT-88"])+len(after["CBP_E3:P-1"])+len(after["CBP_E3:P-2"]) != 0 {
		t.Errorf("the mother and son, reviewed and interviewed, are queued: %v", after)
	}
	// From the shelter's family, its record of the mother stands for the
	// border agency's, whose review was held: nothing is left to book.
	plan, err := f.s.SchedulePlan(f.ctx, f.orr, rescreen.PersonID(f.orrMother))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Owed) != 1 || !strings.HasPrefix(plan.Owed[0].State, "DETERMINED_NEGATIVE") {
		t.Errorf("what the unit owes the merged mother: %+v", plan.Owed)
	}
	r := rescreen.AppointmentRequest{FamilyID: f.orr, PersonID: rescreen.PersonID(f.orrMother), On: rescreen.MustDate("2019-01-22"), Time: "10:00",
		Officer: "ao-jones", Office: "ZHN", Mode: "PHONE", Phone: "+1 202 555 0100"}
	if _, err := f.s.Schedule(f.ctx, r); err == nil {
		t.Error("a review already held was booked again")
	} else if msg, _ := fieldProblem(err, "occasion"); !strings.Contains(msg, "nothing is left to book") {
		t.Errorf("booking the merged mother: %v", err)
	}
}

// TestQueueByUnitsAgrees: a principal whose scope is a list of units sees,
// page by page, exactly the rows of the whole queue whose family one of
// the units reaches, in the same order, a family reached by two of the
// units once.
func TestQueueByUnitsAgrees(t *testing.T) {
	s := mustSyntheticClass(t, 200)
	ctx := context.Background()
	all := schedQueue(t, s, ctx, rescreen.QueueFilter{})
	unitsOf := map[rescreen.FamilyID][]string{}
	count := map[string]int{}
	for _, it := range all {
		if _, ok := unitsOf[it.FamilyID]; ok {
			continue
		}
		res, err := s.Resource(ctx, it.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		unitsOf[it.FamilyID] = res.Units
		for _, u := range res.Units {
			count[u]++
		}
	}
	// Two units of different kinds that overlap, and one that reaches few.
	var picks []string
	for _, prefix := range []string{"office:", "facility:", "shelter:"} {
		best := ""
		for u, n := range count {
			if strings.HasPrefix(u, prefix) && (best == "" || n > count[best] || (n == count[best] && u < best)) {
				best = u
			}
		}
		if best != "" {
			picks = append(picks, best)
		}
	}
	if len(picks) < 2 {
		t.Fatalf("the synthetic class names too few units: %v", count)
	}
	for _, scheduled := range []string{rescreen.QueueAll, rescreen.QueueUnscheduled} {
		var want []string
		for _, it := range all {
			if scheduled == rescreen.QueueUnscheduled && it.Appointment != nil {
				continue
			}
			for _, u := range unitsOf[it.FamilyID] {
				if slices.Contains(picks, u) {
					want = append(want, string(it.FamilyID)+" "+string(it.Person)+" "+string(it.Remedy))
					break
				}
			}
		}
		officer := schedAs("ao", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: picks})
		var got []string
		for _, it := range schedQueue(t, s, officer, rescreen.QueueFilter{Scheduled: scheduled, Limit: 7}) {
			got = append(got, string(it.FamilyID)+" "+string(it.Person)+" "+string(it.Remedy))
		}
		if !slices.Equal(got, want) {
			t.Errorf("units %v, scheduled %q: %d rows, want %d", picks, scheduled, len(got), len(want))
		}
		if len(want) == 0 || len(want) == len(all) {
			t.Errorf("units %v reach %d of %d rows: the test compares nothing", picks, len(want), len(all))
		}
	}
}

// TestQueueFollowsTheUnits: when the units of a family change and its
// queue rows do not (its screening moves to another asylum office), the
// queue of the new office lists it, and the old office's no longer does.
func TestQueueFollowsTheUnits(t *testing.T) {
	w := newSchedWorld(t)
	officer := func(office string) context.Context {
		return schedAs("ao-"+office, access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:" + office}})
	}
	families := func(office string) []rescreen.FamilyID {
		var out []rescreen.FamilyID
		for _, it := range schedQueue(t, w.s, officer(office), rescreen.QueueFilter{}) {
			if !slices.Contains(out, it.FamilyID) {
				out = append(out, it.FamilyID)
			}
		}
		return out
	}
	if got := families("ZNONE"); len(got) != 1 || got[0] != w.fam["NONE"] {
		t.Fatalf("office ZNONE's queue: %v", got)
	}
	if got := families("ZOTHER"); len(got) != 0 {
		t.Fatalf("office ZOTHER's queue: %v", got)
	}
	before := schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{})
	dos, err := w.s.GetFamily(context.Background(), w.fam["NONE"])
	if err != nil {
		t.Fatal(err)
	}
	sc := dos.Records.Screenings[0]
	sc.Office = "ZOTHER"
	if _, err := w.s.ApplyChanges(rescreen.WithActor(context.Background(), "test"), w.fam["NONE"], 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &sc}}); err != nil {
		t.Fatal(err)
	}
	keys := func(items []rescreen.QueueItem) string {
		var out []string
		for _, it := range items {
			out = append(out, fmt.Sprintf("%s %s %s %s %v", it.FamilyID, it.Person, it.Remedy, it.State, it.Appointment))
		}
		return strings.Join(out, "\n")
	}
	if after := schedQueue(t, w.s, context.Background(), rescreen.QueueFilter{}); keys(after) != keys(before) {
		t.Fatalf("the queue changed with the office:\n%s\n%s", keys(before), keys(after))
	}
	if got := families("ZOTHER"); len(got) != 1 || got[0] != w.fam["NONE"] {
		t.Errorf("office ZOTHER's queue after the move: %v", got)
	}
	if got := families("ZNONE"); len(got) != 0 {
		t.Errorf("office ZNONE's queue after the move: %v", got)
	}
}
