package web

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"rescreen"
)

// schedEnv is a server over fakes whose sample family has counsel of
// record, and the ids of its members.
func schedEnv(t *testing.T) (env *testEnv, parent, child string) {
	t.Helper()
	env = newEnv(t)
	d := env.fam.dossiers[env.family]
	d.Records.Counsel = append(d.Records.Counsel, rescreen.Counsel{Meta: rescreen.Meta{Source: rescreen.SourceManual, SourceID: "L1"},
		Family: d.Records.Families[0].Key(), Role: "CLASS_COUNSEL", Name: "Ana Ruiz", Organization: "ACLU"})
	for _, p := range d.Records.Persons {
		if p.Role == rescreen.RoleChild {
			child = p.ID
		} else {
			parent = p.ID
		}
	}
	return env, parent, child
}

// booking is a valid booking of the parent: in person on the next
// business day.
func booking(parent string) url.Values {
	return url.Values{
		"version": {"1"}, "person": {parent}, "occasion": {"SETTLEMENT_REVIEW"},
		"on": {nextBusinessDay(rescreen.DateOf(time.Now().UTC())).String()}, "time": {"09:30"},
		"officer": {"J. Ortiz"}, "office": {"ZHN"}, "mode": {"IN_PERSON"}, "place": {"Houston asylum office, room 4"},
		"interpreter_language": {"mam"}, "interpreter": {"K. Ixcoy"}, "notify_counsel": {"yes"},
	}
}

func TestQueuePage(t *testing.T) {
	env, parent, child := schedEnv(t)
	wait := 72
	past := rescreen.DateOf(time.Now().UTC()).AddDays(-3)
	env.fam.sched.queue = []rescreen.QueueItem{
		{FamilyID: env.family, PersonID: rescreen.PersonID(parent), Person: parentRef, Name: "María José Pérez", Role: rescreen.RoleParent,
			Remedy: rescreen.RemedyParentReview, State: "INTERVIEW_OWED", Occasion: rescreen.OccasionSettlement, ElectedOn: rescreen.MustDate("2018-09-15"),
			WaitDays: &wait, Language: "mam", Location: "IN_US", Custody: rescreen.CustodyICE, Facility: "Otero", Detained: true,
			Counsel: "Ana Ruiz (ACLU)", HasCounsel: true,
			Appointment: &rescreen.QueueAppointment{ID: "R-APPT-9", On: past, Time: "10:00", Mode: "PHONE", Past: true}},
		{FamilyID: env.family, PersonID: rescreen.PersonID(child), Person: childRef, Name: "A. P.", Role: rescreen.RoleChild,
			Remedy: rescreen.RemedyChildInterview, State: "OWED", Occasion: rescreen.OccasionChildOwn, Location: "IN_US", Reinterview: true},
	}
	w := env.getIn(t, "/schedule", "en")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /schedule: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"72 days", "since 2018-09-15", "María José Pérez", "Settlement review", "Detained", "Otero", "Ana Ruiz (ACLU)", "mam",
		past.String() + " 10:00", "Its day has passed", `href="/families/` + string(env.family) + `/appointments/R-APPT-9"`,
		`href="/families/` + string(env.family) + `/appointments/new?person=` + child + `"`, "Re-interview", "No counsel on record",
	} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if strings.Index(body, "María José Pérez") > strings.Index(body, "A. P.") {
		t.Error("the queue's order is not kept")
	}
	// The filter reaches the service, and the page says it in Spanish.
	w = env.getIn(t, "/schedule?scheduled=no", "es")
	if w.Code != http.StatusOK || env.fam.sched.lastQueue.Scheduled != rescreen.QueueUnscheduled {
		t.Fatalf("filter: %d, %+v", w.Code, env.fam.sched.lastQueue)
	}
	if b := w.Body.String(); !strings.Contains(b, "Cola de citas") || !strings.Contains(b, `id="scheduled-no" name="scheduled" value="no" checked`) {
		t.Errorf("the Spanish queue:\n%.2000s", b)
	}
	// Paging: a next page, and from it the way back to the first.
	env.fam.sched.queue = nil
	for i := range 60 {
		env.fam.sched.queue = append(env.fam.sched.queue, rescreen.QueueItem{FamilyID: env.family, PersonID: rescreen.PersonID(parent),
			Person: parentRef, Name: "Persona " + strconv.Itoa(i), Role: rescreen.RoleParent, Occasion: rescreen.OccasionSettlement, State: "OWED"})
	}
	body = env.getIn(t, "/schedule?scheduled=no", "en").Body.String()
	if !strings.Contains(body, `href="/schedule?after=50&amp;scheduled=no" rel="next"`) {
		t.Fatalf("no next page:\n%s", body[strings.Index(body, "<main"):])
	}
	body = env.getIn(t, "/schedule?scheduled=no&after=50", "en").Body.String()
	if !strings.Contains(body, "Persona 59") || strings.Contains(body, "Persona 49<") || !strings.Contains(body, `href="/schedule?scheduled=no"`) {
		t.Errorf("the second page:\n%s", body[strings.Index(body, "<main"):])
	}
	// A cursor the list never gave is a clear error, not a failure.
	if w := env.getIn(t, "/schedule?after=x", "en"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "is not a cursor") {
		t.Errorf("a bad cursor: %d\n%s", w.Code, w.Body)
	}
}

func TestBookingFormRenders(t *testing.T) {
	env, parent, _ := schedEnv(t)
	fam := string(env.family)
	for _, lang := range []string{"en", "es"} {
		w := env.getIn(t, "/families/"+fam+"/appointments/new?person="+parent, lang)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d\n%s", lang, w.Code, w.Body)
		}
		body := w.Body.String()
		assertLabelled(t, body)
		for _, want := range []string{
			`name="interpreter_language" type="text" value="es"`, // the first language on record
			`id="notify_counsel" name="notify_counsel" value="yes" checked`,
			`<option value="SETTLEMENT_REVIEW" selected>`, `name="person" value="` + parent + `"`, "Founders&#39; Day",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the form lacks %q", lang, want)
			}
		}
	}
	// Without a person, the form asks for one.
	w := env.getIn(t, "/families/"+fam+"/appointments/new", "en")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<option value="`+parent+`">`) {
		t.Errorf("the member choice: %d\n%s", w.Code, w.Body)
	}
	// A person of no such family is not found.
	if w := env.getIn(t, "/families/"+fam+"/appointments/new?person=P-NOBODY", "en"); w.Code != http.StatusNotFound {
		t.Errorf("an unknown person: %d", w.Code)
	}
}

func TestBookingFormChecks(t *testing.T) {
	env, parent, _ := schedEnv(t)
	target := "/families/" + string(env.family) + "/appointments"
	today := rescreen.DateOf(time.Now().UTC())
	saturday := today.AddDays(1)
	for saturday.Time().Weekday() != time.Saturday {
		saturday = saturday.AddDays(1)
	}
	cases := []struct {
		name, field, key string
		edit             func(url.Values)
	}{
		{"no officer", "officer", "forms.err.required", func(v url.Values) { v.Set("officer", " ") }},
		{"in person with no place", "place", "appt.err.place", func(v url.Values) { v.Del("place") }},
		{"by phone with no line", "phone_line", "appt.err.phone", func(v url.Values) { v.Set("mode", "PHONE") }},
		{"a past day", "on", "appt.err.past", func(v url.Values) { v.Set("on", today.AddDays(-1).String()) }},
		{"a Saturday", "on", "appt.err.saturday", func(v url.Values) { v.Set("on", saturday.String()) }},
		{"a federal holiday", "on", "appt.err.holiday", func(v url.Values) { v.Set("on", fakeHoliday(today).String()) }},
		{"a day that does not exist", "on", "forms.err.date", func(v url.Values) { v.Set("on", "2026-02-30") }},
		{"a bad time", "time", "appt.err.time", func(v url.Values) { v.Set("time", "9.30") }},
		{"no mode", "mode", "forms.err.choose", func(v url.Values) { v.Del("mode") }},
		{"markup in the office", "office", "forms.err.markup", func(v url.Values) { v.Set("office", "<script>x</script>") }},
		{"a language not on record", "interpreter_language", "appt.err.languageNotOnRecord", func(v url.Values) { v.Set("interpreter_language", "kjb") }},
	}
	for _, tc := range cases {
		for _, lang := range []string{"en", "es"} {
			v := booking(parent)
			tc.edit(v)
			w := env.postForm(t, target, v, lang)
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s (%s): %d, want 422", tc.name, lang, w.Code)
			}
			if msg := fieldMessage(t, w.Body.String(), tc.field); !strings.Contains(msg, msgText(t, env, lang, tc.key)) {
				t.Errorf("%s (%s): the message next to %s is %q", tc.name, lang, tc.field, msg)
			}
			if env.fam.sched.books != 0 || env.fam.sched.lastBook.PersonID != "" {
				t.Fatalf("%s: the service was asked to book", tc.name)
			}
		}
	}
	// A language not on record offers the box that confirms it; ticked,
	// the booking goes through.
	v := booking(parent)
	v.Set("interpreter_language", "kjb")
	if body := env.postForm(t, target, v, "en").Body.String(); !strings.Contains(body, `id="language_confirmed"`) {
		t.Error("no box to confirm the language")
	}
	v.Set("language_confirmed", "yes")
	w := env.postForm(t, target, v, "en")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/families/"+string(env.family)+"#appointments" {
		t.Fatalf("confirmed: %d %s\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	got := env.fam.sched.lastBook
	if !got.LanguageConfirmed || got.Interpreter != "kjb" || got.Officer != "J. Ortiz" || !got.NotifyCounsel || got.Mode != "IN_PERSON" ||
		got.Version != 1 || string(got.PersonID) != parent || got.Occasion != rescreen.OccasionSettlement || got.Time != "09:30" {
		t.Errorf("the request: %+v", got)
	}
}

func TestBookingServiceProblems(t *testing.T) {
	env, parent, _ := schedEnv(t)
	target := "/families/" + string(env.family) + "/appointments"
	env.fam.sched.bookFail = (&rescreen.ValidationError{Problems: []rescreen.FieldError{
		{Field: "on", Msg: "CBP_E3:FAM-1-P1 already has a SETTLEMENT_REVIEW booked on 2026-12-01 (R-1); reschedule or cancel it instead"},
		{Field: "notify_counsel", Msg: "the notice to Ana Ruiz cannot be issued (person: no A-number in use is on record)"},
	}}).AsError("schedule")
	w := env.postForm(t, target, booking(parent), "en")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("%d, want 422", w.Code)
	}
	body := w.Body.String()
	if msg := fieldMessage(t, body, "on"); !strings.Contains(msg, "already has a SETTLEMENT_REVIEW booked") {
		t.Errorf("next to on: %q", msg)
	}
	if msg := fieldMessage(t, body, "notify_counsel"); !strings.Contains(msg, "no A-number in use") {
		t.Errorf("next to notify_counsel: %q", msg)
	}
	env.fam.sched.bookFail = rescreen.Errorf(rescreen.ECONFLICT, "family changed")
	env.fam.dossiers[env.family].Version = 4
	w = env.postForm(t, target, booking(parent), "en")
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `name="version" value="4"`) {
		t.Errorf("a stale form: %d\n%s", w.Code, w.Body)
	}
	env.fam.sched.bookFail = rescreen.Errorf(rescreen.EFORBIDDEN, "You may not book interviews for this family.")
	if w := env.postForm(t, target, booking(parent), "en"); w.Code != http.StatusForbidden {
		t.Errorf("refused by the service: %d", w.Code)
	}
}

func TestAppointmentChangePage(t *testing.T) {
	env, parent, _ := schedEnv(t)
	fam := string(env.family)
	if w := env.postForm(t, "/families/"+fam+"/appointments", booking(parent), "en"); w.Code != http.StatusSeeOther {
		t.Fatalf("booking: %d\n%s", w.Code, w.Body)
	}
	target := "/families/" + fam + "/appointments/R-APPT-1"
	w := env.getIn(t, target, "en")
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", target, w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{`value="RESCHEDULE"`, `value="CANCEL"`, "Houston asylum office, room 4", `name="officer" type="text" value="J. Ortiz"`,
		msgText(t, env, "en", "appt.noShowLater")} {
		if !strings.Contains(html.UnescapeString(body), html.UnescapeString(want)) {
			t.Errorf("the change page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="NO_SHOW"`) {
		t.Error("a future appointment can be marked as not attended")
	}
	// Cancelling needs a reason, shown next to its field.
	w = env.postForm(t, target, url.Values{"version": {"2"}, "action": {"CANCEL"}, "cancel_notify": {"yes"}}, "es")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("cancel without a reason: %d", w.Code)
	}
	if msg := fieldMessage(t, w.Body.String(), "cancel_reason"); msg != msgText(t, env, "es", "forms.err.required") {
		t.Errorf("next to the reason: %q", msg)
	}
	if env.fam.sched.lastChange.Action != "" {
		t.Fatal("the service was asked to change the appointment")
	}
	w = env.postForm(t, target, url.Values{"version": {"2"}, "action": {"CANCEL"}, "cancel_reason": {"released"}, "cancel_notify": {"yes"}}, "en")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("cancel: %d\n%s", w.Code, w.Body)
	}
	c := env.fam.sched.lastChange
	if c.Action != rescreen.ActionCancel || c.Reason != "released" || !c.Booking.NotifyCounsel || c.Booking.Version != 2 || c.Appointment != "R-APPT-1" {
		t.Errorf("the change: %+v", c)
	}
	// Cancelled, it can no longer be changed.
	if body := env.getIn(t, target, "en").Body.String(); strings.Contains(body, `value="RESCHEDULE"`) {
		t.Error("a cancelled appointment offers to be rescheduled")
	}
	// A no-show before the day is refused on the page; an unknown action
	// and an unknown appointment are clear errors.
	w = env.postForm(t, target, url.Values{"version": {"3"}, "action": {"NO_SHOW"}}, "en")
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("a no-show: %d", w.Code)
	}
	if w := env.getIn(t, "/families/"+fam+"/appointments/R-NONE", "en"); w.Code != http.StatusNotFound {
		t.Errorf("an unknown appointment: %d", w.Code)
	}
}

func TestFamilyPageSchedule(t *testing.T) {
	env, parent, _ := schedEnv(t)
	fam := string(env.family)
	if w := env.postForm(t, "/families/"+fam+"/appointments", booking(parent), "en"); w.Code != http.StatusSeeOther {
		t.Fatalf("booking: %d\n%s", w.Code, w.Body)
	}
	d := env.fam.dossiers[env.family]
	d.Waits = []rescreen.ElectionWait{
		{Person: parentRef, Election: "CBP_E3:FAM-1-E1", ReceivedOn: rescreen.MustDate("2018-09-12"), State: rescreen.WaitWaiting, Days: 41},
		{Person: childRef, Election: "CBP_E3:FAM-1-E2", ReceivedOn: rescreen.MustDate("2018-09-12"), State: rescreen.WaitInterviewed,
			InterviewedOn: rescreen.MustDate("2018-10-01"), Days: 19},
	}
	for lang, want := range map[string][]string{
		"en": {"Wait since the election (W9)", "Still waiting", "41 days", "19 days", "2018-10-01", "Scheduled", "J. Ortiz (ZHN)", "Told on", `href="/families/` + fam + `/appointments/R-APPT-1"`},
		"es": {"Espera desde la elección (W9)", "Sigue esperando", "41 días", "Programada", "Avisado el"},
	} {
		body := html.UnescapeString(env.getIn(t, "/families/"+fam, lang).Body.String())
		for _, x := range want {
			if !strings.Contains(body, x) {
				t.Errorf("%s: the family page lacks %q", lang, x)
			}
		}
	}
}
