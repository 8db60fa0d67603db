package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// courtClient is a signed-in user of the world's server, in a language.
type courtClient struct {
	t      *testing.T
	w      *world
	cookie *http.Cookie
	csrf   string
	lang   string
}

func (w *world) client(t *testing.T, role access.Role, lang string) *courtClient {
	c, csrf := w.session(t, role)
	return &courtClient{t: t, w: w, cookie: c, csrf: csrf, lang: lang}
}

func (c *courtClient) get(path string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(c.cookie)
	req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	rec := httptest.NewRecorder()
	c.w.srv.ServeHTTP(rec, req)
	return rec
}

func (c *courtClient) post(path string, vals url.Values) *httptest.ResponseRecorder {
	c.t.Helper()
	vals.Set("csrf", c.csrf)
	req := httptest.NewRequest("POST", path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c.cookie)
	req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	rec := httptest.NewRecorder()
	c.w.srv.ServeHTTP(rec, req)
	return rec
}

// fieldError returns the message shown next to the field, or "".
func courtFieldError(body, field string) string {
	m := regexp.MustCompile(`<span class="field-msg" id="` + regexp.QuoteMeta(field) + `-error">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// wantFieldError fails unless the page shows a message next to the field
// (and marks the field invalid) containing want.
func wantFieldError(t *testing.T, rec *httptest.ResponseRecorder, status int, field, want string) {
	t.Helper()
	body := rec.Body.String()
	if rec.Code != status {
		t.Fatalf("status %d, want %d\n%.2000s", rec.Code, status, body)
	}
	msg := courtFieldError(body, field)
	if msg == "" || !strings.Contains(msg, want) {
		t.Fatalf("next to %s: %q, want %q", field, msg, want)
	}
	if !strings.Contains(body, `aria-describedby="`+field+`-error"`) {
		t.Errorf("the field %s is not marked invalid", field)
	}
	if !strings.Contains(body, `href="#`+field+`"`) {
		t.Errorf("the summary does not link to %s", field)
	}
}

func seeOther(t *testing.T, rec *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("status %d to %q, want 303 to %s…\n%.3000s", rec.Code, loc, prefix, rec.Body.String())
	}
	return loc
}

func TestCourtPageApprovals(t *testing.T) {
	w := newWorld(t) // today is 2019-06-03
	cc := w.client(t, access.ClassCounsel, "en")
	rec := cc.get("/court")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /court: %d", rec.Code)
	}
	for _, want := range []string{"Ms. L. v. ICE", "M.M.M. v. Sessions", "Dora v. Sessions", "3:18-cv-00428-DMS-MDD", "Not approved",
		`<label for="approval_on">`, `name="csrf"`, `<label for="objection_summary">`} {
		if !strings.Contains(body, want) {
			t.Errorf("/court lacks %q", want)
		}
	}
	form := url.Values{"approval_case": {"MS_L"}, "approval_kind": {"FINAL"}, "approval_on": {"2019-06-04"}, "approval_order": {"ECF 320"}}
	wantFieldError(t, cc.post("/court/approvals", form), http.StatusUnprocessableEntity, "approval_on", "cannot be after today (2019-06-03)")
	form.Set("approval_on", "2018-02-30")
	wantFieldError(t, cc.post("/court/approvals", form), http.StatusUnprocessableEntity, "approval_on", "Enter a date that exists")
	form.Set("approval_on", "2018-11-15")
	form.Set("approval_order", "<b>ECF</b>")
	rec = cc.post("/court/approvals", form)
	wantFieldError(t, rec, http.StatusUnprocessableEntity, "approval_order", "Plain text only")
	if !strings.Contains(rec.Body.String(), `value="&lt;b&gt;ECF&lt;/b&gt;"`) {
		t.Error("the refused value does not come back inert")
	}
	form.Set("approval_order", "ECF 320")
	seeOther(t, cc.post("/court/approvals", form), "/court?recorded=approval")
	// Again, without a reason: the service asks for the correction.
	form.Set("approval_on", "2018-11-16")
	wantFieldError(t, cc.post("/court/approvals", form), http.StatusUnprocessableEntity, "approval_correction", "to correct it, say why")
	body = cc.get("/court?recorded=approval").Body.String()
	if !strings.Contains(body, "2018-11-15 (ECF 320)") || !strings.Contains(body, "The approval was recorded.") {
		t.Errorf("the approval is not shown:\n%s", body)
	}
	// The same in Spanish.
	es := w.client(t, access.ClassCounsel, "es")
	form.Set("approval_on", "2030-01-01")
	rec = es.post("/court/approvals", form)
	wantFieldError(t, rec, http.StatusUnprocessableEntity, "approval_on", "no puede ser posterior a hoy")
	if !strings.Contains(rec.Body.String(), "Aprobación final") {
		t.Error("the Spanish page is not in Spanish")
	}

	// The monitor reads the record and gets no forms; a post is refused.
	mon := w.client(t, access.Monitor, "en")
	body = mon.get("/court").Body.String()
	if !strings.Contains(body, "2018-11-15 (ECF 320)") || strings.Contains(body, `name="approval_on"`) {
		t.Errorf("the monitor's /court:\n%s", body)
	}
	if rec := mon.post("/court/approvals", form); rec.Code != http.StatusForbidden {
		t.Errorf("the monitor posts an approval: %d", rec.Code)
	}
	if rec := w.client(t, access.ICEOfficer, "en").post("/court/objections", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("an ICE officer posts an objection: %d", rec.Code)
	}
}

func TestCourtPageObjections(t *testing.T) {
	w := newWorld(t)
	cc := w.client(t, access.ClassCounsel, "en")
	form := url.Values{"objection_case": {"MS_L"}, "objection_name": {""}, "objection_received_on": {"2018-11-02"},
		"objection_channel": {"MAIL"}, "objection_language": {"es"}, "objection_summary": {"Deported parents are left out.\nThey cannot come back."},
		"objection_counsel": {"Lic. Ortiz"}}
	wantFieldError(t, cc.post("/court/objections", form), http.StatusUnprocessableEntity, "objection_name", "Give the objector's name")
	// A person of a family out of counsel's reach is not on record.
	form.Set("objection_person", "MANUAL:F-OUT-P")
	wantFieldError(t, cc.post("/court/objections", form), http.StatusUnprocessableEntity, "objection_person", "is not on record")
	form.Set("objection_person", "MANUAL:F-IN-P")
	form.Set("objection_forwarded_on", "2018-11-01")
	wantFieldError(t, cc.post("/court/objections", form), http.StatusUnprocessableEntity, "objection_forwarded_on", "before the day it was received (2018-11-02)")
	form.Set("objection_forwarded_on", "2018-11-05")
	form.Set("objection_ruling", "OVERRULED")
	wantFieldError(t, cc.post("/court/objections", form), http.StatusUnprocessableEntity, "objection_ruling_on", "Give the date of the ruling")
	form.Set("objection_ruling", "")
	loc := seeOther(t, cc.post("/court/objections", form), "/court/objections/")
	page := cc.get(loc).Body.String()
	for _, want := range []string{"The objection was recorded.", "Marta QuispeIN", "MANUAL:F-IN-P", `href="/families/` + string(w.fam["in"]) + `"`,
		"<p>Deported parents are left out.</p><p>They cannot come back.</p>", "Lic. Ortiz", `name="ruling_on"`, `name="version" value="1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the objection's page lacks %q", want)
		}
	}
	path := strings.SplitN(loc, "?", 2)[0]
	upd := url.Values{"version": {"1"}, "forwarded_on": {"2018-11-05"}, "ruling": {"OVERRULED"}, "ruling_on": {"2018-11-04"}, "ruling_order": {"ECF 320"}}
	wantFieldError(t, cc.post(path, upd), http.StatusUnprocessableEntity, "ruling_on", "before the day it was forwarded (2018-11-05)")
	upd.Set("ruling_on", "2018-11-15")
	seeOther(t, cc.post(path, upd), path+"?recorded=update")
	// The same form again, at the old version: a conflict, shown above
	// the form with the version now on record.
	rec := cc.post(path, upd)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "Nothing was recorded") || !strings.Contains(rec.Body.String(), `name="version" value="2"`) {
		t.Fatalf("a stale form: %d\n%.3000s", rec.Code, rec.Body.String())
	}
	list := cc.get("/court").Body.String()
	if !strings.Contains(list, "Overruled on 2018-11-15") || !strings.Contains(list, "Objections on record: 1; forwarded to the court: 1; ruled on: 1.") {
		t.Errorf("/court does not list the ruling:\n%s", list)
	}
	// An objector named only as written, for the other readers.
	seeOther(t, cc.post("/court/objections", url.Values{"objection_case": {"DORA"}, "objection_name": {"Juana Pérez Xol"},
		"objection_received_on": {"2018-11-03"}, "objection_channel": {"EMAIL"}, "objection_summary": {"Quiero mi entrevista."}}), "/court/objections/")

	// Who objected is withheld from the monitor and the administrator; an
	// asylum officer of the family's office sees its member, but not an
	// objector named only as written, whom those who keep the objections
	// see.
	for _, role := range []access.Role{access.Monitor, access.Admin} {
		body := w.client(t, role, "en").get("/court").Body.String()
		if strings.Contains(body, "Quispe") || strings.Contains(body, "Juana") || strings.Contains(body, "F-IN-P") || !strings.Contains(body, "(withheld)") {
			t.Errorf("%s sees who objected:\n%s", role, body)
		}
	}
	body := w.client(t, access.AsylumOfficer, "en").get("/court").Body.String()
	if !strings.Contains(body, "Marta QuispeIN") || strings.Contains(body, "Juana") || !strings.Contains(body, "J. P. X. (withheld)") {
		t.Errorf("the asylum officer's /court:\n%s", body)
	}
	if body := cc.get("/court").Body.String(); !strings.Contains(body, "Juana Pérez Xol") {
		t.Errorf("counsel does not see the objector named as written")
	}
	mon := w.client(t, access.Monitor, "en").get(path).Body.String()
	if strings.Contains(mon, "Deported parents") || !strings.Contains(mon, "Withheld") || strings.Contains(mon, `name="ruling"`) {
		t.Errorf("the monitor's objection page:\n%s", mon)
	}
	if rec := cc.get("/court/objections/OB-404"); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown objection: %d", rec.Code)
	}
}

func TestDeadlinesPage(t *testing.T) {
	w := newWorld(t) // Monday 2019-06-03
	cc := w.client(t, access.ClassCounsel, "en")
	form := url.Values{"title": {"List of parents removed before the order"}, "case": {"MS_L"}, "order": {"ECF 386"},
		"order_on": {"2019-03-08"}, "start": {"2019-05-20"}, "length": {"ten"}, "unit": {""}}
	rec := cc.post("/deadlines", form)
	wantFieldError(t, rec, http.StatusUnprocessableEntity, "length", "Enter a whole number, 0 or more")
	wantFieldError(t, rec, http.StatusUnprocessableEntity, "unit", "Choose one of the options")
	// Ten business days from 2019-05-20: 21-24, (27 Memorial Day),
	// 28-31, 2019-06-03, 06-04.
	form.Set("length", "10")
	form.Set("unit", "BUSINESS_DAYS")
	form.Set("family_id", string(w.fam["out"]))
	wantFieldError(t, cc.post("/deadlines", form), http.StatusUnprocessableEntity, "family_id", "is not on record")
	form.Set("family_id", string(w.fam["in"]))
	form.Set("person", "MANUAL:F-IN-C")
	loc := seeOther(t, cc.post("/deadlines", form), "/deadlines/")
	path := strings.SplitN(loc, "?", 2)[0]
	page := cc.get(loc).Body.String()
	for _, want := range []string{"The deadline was entered.", "<strong>2019-06-04</strong>", "1 business day left", "member MANUAL:F-IN-C",
		"10 business days from 2019-05-20 (due 2019-06-04 before the ledger)", "Ledger (no entries)"} {
		if !strings.Contains(page, want) {
			t.Errorf("the deadline's page lacks %q\n", want)
		}
	}
	// A case-wide deadline, overdue: ten calendar days from 2019-05-01.
	seeOther(t, cc.post("/deadlines", url.Values{"title": {"Status report"}, "case": {"MS_L"}, "order": {"ECF 400"}, "order_on": {"2019-05-01"},
		"start": {"2019-05-01"}, "length": {"10"}, "unit": {"CALENDAR_DAYS"}}), "/deadlines/")

	list := cc.get("/deadlines").Body.String()
	over, soon := strings.Index(list, `id="overdue"`), strings.Index(list, `id="soon"`)
	if over < 0 || soon < 0 || !strings.Contains(list[over:soon], "Status report") || !strings.Contains(list[soon:], "List of parents removed") {
		t.Fatalf("the queues:\n%s", list)
	}
	if !strings.Contains(list, "Due within 14 business days, through 2019-06-21 (1)") {
		t.Error("the due-soon window is not shown")
	}
	// Each listed deadline has its ledger form, with ids of its own.
	if strings.Count(list, `name="authority"`) != 2 || !strings.Contains(list, `for="`+path[len("/deadlines/"):]+`-authority"`) {
		t.Error("the listed deadlines lack their ledger forms")
	}
	if rec := cc.get("/deadlines?within=abc"); rec.Code != http.StatusBadRequest || courtFieldError(rec.Body.String(), "within") == "" {
		t.Errorf("a bad window: %d", rec.Code)
	}
	if body := cc.get("/deadlines?within=1").Body.String(); !strings.Contains(body, "through 2019-06-04 (1)") {
		t.Error("a window of one business day")
	}

	// The ledger: an entry without an authority, a revocation of nothing,
	// a field the kind does not use; then an extension.
	entry := url.Values{"kind": {"EXTENSION"}, "on": {"2019-06-03"}, "days": {"5"}, "reason": {"joint motion"}}
	wantFieldError(t, cc.post(path+"/ledger", entry), http.StatusUnprocessableEntity, "authority", "Every entry needs its authority")
	wantFieldError(t, cc.post(path+"/ledger", url.Values{"kind": {"REVOCATION"}, "entry": {"3"}, "authority": {"ECF 1"}}),
		http.StatusUnprocessableEntity, "entry", "entry 3 does not exist")
	wantFieldError(t, cc.post(path+"/ledger", url.Values{"kind": {"HOLD"}, "from": {"2019-05-28"}, "days": {"2"}, "authority": {"ECF 1"}}),
		http.StatusUnprocessableEntity, "days", "Not part of this kind of entry")
	wantFieldError(t, cc.post(path+"/ledger", url.Values{"kind": {"EXTENSION"}, "on": {"2019-06-03"}, "months": {"1"}, "authority": {"ECF 1"}}),
		http.StatusUnprocessableEntity, "months", "months apply only to a clock counted in months or years")
	entry.Set("authority", "ECF 402")
	seeOther(t, cc.post(path+"/ledger", entry), path+"?recorded=entry")
	page = cc.get(path).Body.String()
	// 2019-06-04 plus five business days: 5, 6, 7, 10, 11.
	for _, want := range []string{"<strong>2019-06-11</strong>", "Extension of 5 business days, granted on 2019-06-03", "ECF 402", "joint motion", "Ledger (1 entry)"} {
		if !strings.Contains(page, want) {
			t.Errorf("after the extension the page lacks %q", want)
		}
	}
	seeOther(t, cc.post(path+"/ledger", url.Values{"kind": {"REVOCATION"}, "entry": {"1"}, "authority": {"ECF 403"}}), path)
	page = cc.get(path).Body.String()
	if !strings.Contains(page, "<strong>2019-06-04</strong>") || !strings.Contains(page, "Revoked by entry 2") {
		t.Errorf("after the revocation:\n%s", page)
	}
	// Met.
	wantFieldError(t, cc.post(path+"/completion", url.Values{"action": {"complete"}, "completed_on": {"2019-06-05"}}), http.StatusUnprocessableEntity, "completed_on", "cannot be after today")
	seeOther(t, cc.post(path+"/completion", url.Values{"action": {"complete"}, "completed_on": {"2019-06-03"}}), path+"?recorded=completion")
	if page = cc.get(path).Body.String(); !strings.Contains(page, "Met: met on 2019-06-03") {
		t.Errorf("met:\n%s", page)
	}

	// The tasks page shows the overdue court-order deadline in a block of
	// its own; the monitor sees no deadline about a family.
	tasks := cc.get("/tasks").Body.String()
	if i := strings.Index(tasks, `id="court-deadlines"`); i < 0 || !strings.Contains(tasks[i:], "Status report") || strings.Contains(tasks[i:], "List of parents") {
		t.Errorf("the tasks page's court block:\n%s", tasks)
	}
	mon := w.client(t, access.Monitor, "en")
	if body := mon.get("/deadlines").Body.String(); strings.Contains(body, "List of parents") || !strings.Contains(body, "Status report") || strings.Contains(body, `name="authority"`) {
		t.Errorf("the monitor's deadlines:\n%s", body)
	}
	if rec := mon.get(path); rec.Code != http.StatusNotFound {
		t.Errorf("the monitor opens a deadline about a family: %d", rec.Code)
	}
	// Spanish.
	if body := w.client(t, access.ClassCounsel, "es").get(path).Body.String(); !strings.Contains(body, "Plazo judicial") || !strings.Contains(body, "Revocada por la anotación 2") {
		t.Errorf("the Spanish page:\n%s", body)
	}
}

// TestCourtPagesInEachLanguage: no key shows in place of a message on the
// court's pages, filled, in either language.
func TestCourtPagesInEachLanguage(t *testing.T) {
	w := newWorld(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	if _, err := w.svc.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "FINAL", On: rescreen.MustDate("2018-11-14"), Order: "ECF 319"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "FINAL", On: rescreen.MustDate("2018-11-15"), Order: "ECF 320", Correction: "wrong day"}); err != nil {
		t.Fatal(err)
	}
	o, err := w.svc.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MMM", Name: "A. B.", ReceivedOn: rescreen.MustDate("2018-11-02"), Channel: "COURT_FILING", Summary: "x"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.svc.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "T", Case: "DORA", Order: "ECF 1", OrderOn: rescreen.MustDate("2019-01-02"),
		Start: rescreen.MustDate("2019-05-01"), Length: 2, Unit: "MONTHS"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []rescreen.LedgerInput{
		{Kind: "HOLD", From: rescreen.MustDate("2019-05-10"), Authority: "a"},
		{Kind: "LIFT", Entry: 1, To: rescreen.MustDate("2019-05-12"), Authority: "b"},
		{Kind: "EXTENSION", On: rescreen.MustDate("2019-05-20"), Months: 1, Authority: "c"},
		{Kind: "EXTENSION", On: rescreen.MustDate("2019-05-20"), Until: rescreen.MustDate("2019-09-01"), Authority: "d"},
		{Kind: "HOLD", From: rescreen.MustDate("2019-06-01"), To: rescreen.MustDate("2019-06-02"), Authority: "e"},
		{Kind: "HOLD", From: rescreen.MustDate("2019-06-03"), Authority: "f"},
	} {
		if _, err := w.svc.AppendLedgerEntry(ctx, d.ID, e); err != nil {
			t.Fatal(err)
		}
	}
	key := regexp.MustCompile(`\[[a-z]+\.[a-zA-Z.]+\]`)
	for _, lang := range []string{"en", "es"} {
		c := w.client(t, access.ClassCounsel, lang)
		for _, p := range []string{"/court", "/court/objections/" + o.ID, "/deadlines", "/deadlines/" + d.ID, "/tasks"} {
			rec := c.get(p)
			if rec.Code != http.StatusOK {
				t.Errorf("%s %s: %d", lang, p, rec.Code)
			}
			if m := key.FindString(rec.Body.String()); m != "" {
				t.Errorf("%s %s shows the key %s", lang, p, m)
			}
		}
	}
	body := w.client(t, access.ClassCounsel, "en").get("/deadlines/" + d.ID).Body.String()
	for _, want := range []string{"Paused by a hold", "(if the hold in force ends today", "Hold from 2019-06-03 until lifted", "Lifted by entry 2",
		"Extension to 2019-09-01, granted on 2019-05-20", "Extension of 1 month, granted on 2019-05-20", "Hold from 2019-06-01 through 2019-06-02"} {
		if !strings.Contains(body, want) {
			t.Errorf("the ledger lacks %q", want)
		}
	}
	court := w.client(t, access.ClassCounsel, "en").get("/court").Body.String()
	if !strings.Contains(court, "1 corrected entry") || !strings.Contains(court, "wrong day") {
		t.Errorf("the corrected approval is not shown")
	}
}

// addCourtRecord gives the world's court record what the access test
// tries the court's routes on: an objection by the parent of family in
// (its summary names the family, so that a reader who may not know who
// objected must not see it), one by the parent of family out, a deadline
// of the whole case (the {deadline} of the routes) and one about family
// out, which no user of the world reaches but the monitor's and the
// administrator's lists must not show either.
func (w *world) addCourtRecord(t *testing.T) {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "test")
	in, err := w.svc.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MS_L", Person: "MANUAL:F-IN-P", ReceivedOn: rescreen.MustDate("2018-11-02"),
		Channel: "MAIL", Summary: "Marta QuispeIN objects: deported parents are left out."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MS_L", Person: "MANUAL:F-OUT-P", ReceivedOn: rescreen.MustDate("2018-11-03"),
		Channel: "EMAIL", Summary: "Marta QuispeOUT objects."}); err != nil {
		t.Fatal(err)
	}
	d, err := w.svc.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "Status report to the court", Case: "MS_L", Order: "ECF 400",
		OrderOn: rescreen.MustDate("2019-05-01"), Start: rescreen.MustDate("2019-05-01"), Length: 10, Unit: "CALENDAR_DAYS"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "Interview of the out family", Case: "MS_L", Order: "ECF 401",
		OrderOn: rescreen.MustDate("2019-05-01"), Start: rescreen.MustDate("2019-05-01"), Length: 10, Unit: "CALENDAR_DAYS", Family: w.fam["out"]}); err != nil {
		t.Fatal(err)
	}
	w.court = map[string]string{"{objection}": in.ID, "{deadline}": d.ID}
}
