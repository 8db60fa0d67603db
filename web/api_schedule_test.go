package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"rescreen"
)

func TestScheduleAPI(t *testing.T) {
	env, parent, child := schedEnv(t)
	fam := string(env.family)
	env.fam.sched.queue = []rescreen.QueueItem{
		{FamilyID: env.family, PersonID: rescreen.PersonID(parent), Person: parentRef, Occasion: rescreen.OccasionSettlement, State: "INTERVIEW_OWED"},
		{FamilyID: env.family, PersonID: rescreen.PersonID(child), Person: childRef, Occasion: rescreen.OccasionChildOwn, State: "OWED"},
	}
	var page rescreen.Page[rescreen.QueueItem]
	w := env.do(t, "GET", "/api/v1/schedule?scheduled=no&limit=1", "")
	if w.Code != http.StatusOK {
		t.Fatalf("queue: %d\n%s", w.Code, w.Body)
	}
	decode(t, w, &page)
	if len(page.Items) != 1 || page.Items[0].Person != parentRef || page.Next == "" || env.fam.sched.lastQueue.Scheduled != "no" {
		t.Errorf("queue page: %+v", page)
	}
	for _, q := range []string{"?limit=0", "?limit=x", "?name=Maria", "?after=1&after=2"} {
		d := apiErr(t, env.do(t, "GET", "/api/v1/schedule"+q, ""), http.StatusBadRequest, rescreen.EINVALID)
		if len(d.Problems) == 0 {
			t.Errorf("%s: no problem named", q)
		}
	}
	// The plan.
	if d := apiErr(t, env.do(t, "GET", "/api/v1/families/"+fam+"/schedule-plan", ""), http.StatusBadRequest, rescreen.EINVALID); !hasProblem(d, "person") {
		t.Errorf("a plan without a person: %+v", d)
	}
	var plan rescreen.SchedulePlan
	w = env.do(t, "GET", "/api/v1/families/"+fam+"/schedule-plan?person="+parent, "")
	decode(t, w, &plan)
	if w.Code != http.StatusOK || len(plan.Owed) != 1 || !plan.HasCounsel || plan.Person != parentRef {
		t.Errorf("plan: %d %+v", w.Code, plan)
	}
	apiErr(t, env.do(t, "GET", "/api/v1/families/"+fam+"/schedule-plan?person=P-NOBODY", ""), http.StatusNotFound, rescreen.ENOTFOUND)
	// A booking, then its cancellation.
	on := nextBusinessDay(rescreen.DateOf(time.Now().UTC())).String()
	body := `{"version":1,"person":"` + parent + `","occasion":"SETTLEMENT_REVIEW","on":"` + on + `","time":"09:30","officer":"J. Ortiz","office":"ZHN",` +
		`"mode":"PHONE","phone_line":"+1 202 555 0100","interpreter_language":"mam","notify_counsel":true}`
	w = env.do(t, "POST", "/api/v1/families/"+fam+"/appointments", body)
	if w.Code != http.StatusCreated {
		t.Fatalf("booking: %d\n%s", w.Code, w.Body)
	}
	var b rescreen.Booking
	decode(t, w, &b)
	got := env.fam.sched.lastBook
	if b.Appointment.ID == "" || got.FamilyID != env.family || string(got.PersonID) != parent || got.Phone != "+1 202 555 0100" || !got.NotifyCounsel || got.On.String() != on {
		t.Errorf("booking: %+v from %+v", b, got)
	}
	if d := apiErr(t, env.do(t, "POST", "/api/v1/families/"+fam+"/appointments", strings.Replace(body, `"time"`, `"hour"`, 1)), http.StatusBadRequest, rescreen.EINVALID); d.Message == "" {
		t.Error("an unknown field is not named")
	}
	w = env.do(t, "POST", "/api/v1/families/"+fam+"/appointments/"+b.Appointment.ID, `{"action":"CANCEL","reason":"released","booking":{"version":2}}`)
	if w.Code != http.StatusOK {
		t.Fatalf("cancel: %d\n%s", w.Code, w.Body)
	}
	c := env.fam.sched.lastChange
	if c.Action != rescreen.ActionCancel || c.Reason != "released" || c.Appointment != b.Appointment.ID || c.FamilyID != env.family || c.Booking.Version != 2 {
		t.Errorf("cancel: %+v", c)
	}
	// The service's problems come back by field.
	env.fam.sched.bookFail = (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "on", Msg: "2026-12-25 is a federal holiday (Christmas Day)"}}}).AsError("schedule")
	if d := apiErr(t, env.do(t, "POST", "/api/v1/families/"+fam+"/appointments", body), http.StatusBadRequest, rescreen.EINVALID); !hasProblem(d, "on") {
		t.Errorf("the service's problem: %+v", d)
	}
}
