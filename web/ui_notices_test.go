package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/sqlstore"
	"rescreen/web"
)

// noticeWorld is one family on a real service: a mother detained at
// ELP-SPC, a father removed on 2018-07-10, a child in the TX-QUETZAL
// shelter with an interview scheduled, and class counsel of org:ACLU; and a
// user per role scoped to those units. The clock is 2018-11-20.
type noticeWorld struct {
	svc   *app.Service
	srv   *web.Server
	fam   rescreen.FamilyID
	users map[access.Role]string
}

func newNoticeWorld(t *testing.T) *noticeWorld {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "test")
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := app.New(db)
	s.Now = func() time.Time { return time.Date(2018, 11, 20, 15, 0, 0, 0, time.UTC) }
	s.NewID = app.CounterIDs()
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	m := func(id string) rescreen.Meta { return rescreen.Meta{Source: "MANUAL", SourceID: id} }
	fam := rescreen.Ref("MANUAL:F-1")
	mother := rescreen.Person{Meta: m("M"), Family: fam, Role: rescreen.RoleParent, GivenNames: "María José", FirstSurname: "López",
		BirthDate: rescreen.MustDate("1990-03-04"), Languages: []string{"es"}}
	father := rescreen.Person{Meta: m("F"), Family: fam, Role: rescreen.RoleParent, GivenNames: "José", FirstSurname: "Ñúñez",
		BirthDate: rescreen.MustDate("1985-03-04"), Languages: []string{"mam", "es"}}
	child := rescreen.Person{Meta: m("C"), Family: fam, Role: rescreen.RoleChild, GivenNames: "Ixchel", FirstSurname: "Ñúñez",
		BirthDate: rescreen.MustDate("2012-09-10"), Languages: []string{"mam"}}
	dos, err := s.CreateFamily(ctx, &rescreen.Dataset{
		Families: []rescreen.Family{{Meta: m("F-1")}},
		Persons:  []rescreen.Person{mother, father, child},
		Identifiers: []rescreen.Identifier{
			{Meta: m("MA"), Person: mother.Key(), Kind: rescreen.IDANumber, Value: "A012345678"},
			{Meta: m("FA"), Person: father.Key(), Kind: rescreen.IDANumber, Value: "A098765432"},
		},
		Custody: []rescreen.Custody{
			{Meta: m("K1"), Person: mother.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"), Facility: "ELP-SPC"},
			{Meta: m("K2"), Person: father.Key(), Kind: rescreen.CustodyRemoved, Start: rescreen.MustDate("2018-07-10"), State: "GT"},
			{Meta: m("K3"), Person: child.Key(), Kind: rescreen.CustodyORRShelter, Start: rescreen.MustDate("2018-05-22"), Facility: "TX-QUETZAL"},
		},
		Appointments: []rescreen.Appointment{{Meta: m("AP"), Person: child.Key(), Occasion: rescreen.OccasionChildOwn,
			On: rescreen.MustDate("2018-12-03"), Time: "09:30", Mode: "IN_PERSON", Place: "Oficina de Asilo", Interpreter: "mam",
			State: rescreen.AppointmentScheduled}},
		Counsel: []rescreen.Counsel{{Meta: m("L"), Family: fam, Role: "CLASS_COUNSEL", Name: "Ana Ruiz", Organization: "ACLU", Phone: "+1 212 555 0111"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &noticeWorld{svc: s, fam: dos.FamilyID, users: map[access.Role]string{}}
	for role, a := range map[access.Role]access.Assignment{
		access.ClassCounsel:   {Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:ACLU"}},
		access.ORRCaseManager: {Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:TX-QUETZAL"}},
		access.ICEOfficer:     {Role: access.ICEOfficer, Scope: access.Unit, Units: []string{"facility:ELP-SPC"}},
	} {
		name := strings.ToLower(strings.ReplaceAll(string(role), "_", "-"))
		if _, err := s.AddUser(ctx, name, "", worldPassword, []access.Assignment{a}); err != nil {
			t.Fatal(err)
		}
		w.users[role] = name
	}
	if w.srv, err = web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Notices: s, Now: s.Now}); err != nil {
		t.Fatal(err)
	}
	return w
}

// client is a signed-in user of the world, in one language.
type client struct {
	w      *noticeWorld
	cookie *http.Cookie
	csrf   string
	lang   string
}

func (w *noticeWorld) as(t *testing.T, role access.Role, lang string) *client {
	t.Helper()
	sess, err := w.svc.SignIn(context.Background(), w.users[role], worldPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return &client{w: w, cookie: &http.Cookie{Name: "rescreen_session", Value: sess.Token}, csrf: sess.CSRF, lang: lang}
}

func (c *client) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(c.cookie)
	req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	rec := httptest.NewRecorder()
	c.w.srv.ServeHTTP(rec, req)
	return rec
}

func (c *client) post(t *testing.T, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	form.Set("csrf", c.csrf)
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c.cookie)
	req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	rec := httptest.NewRecorder()
	c.w.srv.ServeHTTP(rec, req)
	return rec
}

func (w *noticeWorld) version(t *testing.T) string {
	t.Helper()
	d, err := w.svc.GetFamily(context.Background(), w.fam)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(d.Version, 10)
}

// fieldError returns the message shown next to the field with the id, or
// "" if none is.
func fieldError(body, id string) string {
	m := regexp.MustCompile(`<span class="field-msg" id="` + regexp.QuoteMeta(id) + `-error">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func mustStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) string {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d:\n%.3000s", rec.Code, want, rec.Body.String())
	}
	return rec.Body.String()
}

// TestFamilyPageNotices: counsel issues a notice from the family page,
// sees it listed with its PDF, and downloads it; the download is logged
// as a read of the family. The ORR case manager reads the notices but has
// no form; the ICE officer sees no notices at all.
func TestFamilyPageNotices(t *testing.T) {
	w := newNoticeWorld(t)
	counsel := w.as(t, access.ClassCounsel, "en")
	page := "/families/" + string(w.fam)
	body := mustStatus(t, counsel.get(t, page), http.StatusOK)
	for _, want := range []string{`<h2 id="notices">Notices</h2>`, `id="notice-person"`, `id="notice-kind"`, `id="notice-language"`,
		`id="notice-mode"`, `id="notice-recipient"`, `id="notice-interpreter"`, `id="notice-signer"`, `id="notice-on"`, `value="2018-11-20"`,
		`<h2 id="contacts">Contact attempts</h2>`, `id="contact-outcome"`, `name="csrf"`, "No notice on record."} {
		if !strings.Contains(body, want) {
			t.Errorf("the family page lacks %s", want)
		}
	}
	for _, id := range []string{"notice-person", "notice-kind", "notice-language", "notice-mode", "notice-on", "contact-person", "contact-channel"} {
		if !strings.Contains(body, `<label for="`+id+`"`) {
			t.Errorf("the field %s has no label", id)
		}
	}
	rec := counsel.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:F"}, "kind": {"ELECTION_FORM"},
		"language": {"es"}, "mode": {"IN_PERSON"}, "signer": {"José Ñúñez"}, "on": {"2018-11-19"}, "outcome": {"DELIVERED"}})
	mustStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != page+"#notices" {
		t.Fatalf("sent to %q", loc)
	}
	body = mustStatus(t, counsel.get(t, page), http.StatusOK)
	for _, want := range []string{"Election form", "In person", "Delivered", "José Ñúñez", "v1", "Download the PDF", "2018-11-19", "Record what came of a delivery", "Election form to José Ñúñez, 2018-11-19 (Delivered)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notices section lacks %q", want)
		}
	}
	link := regexp.MustCompile(`href="(/families/[^"]+/documents/([0-9a-f]{64}))"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("no link to the document")
	}
	rec = counsel.get(t, link[1])
	pdf := mustStatus(t, rec, http.StatusOK)
	sum := sha256.Sum256([]byte(pdf))
	if rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment; filename=") ||
		!strings.HasPrefix(pdf, "%PDF-") || hex.EncodeToString(sum[:]) != link[2] || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("download: %v, %d bytes", rec.Header(), len(pdf))
	}
	if strings.Contains(rec.Header().Get("Content-Disposition"), "Ñúñez") {
		t.Error("the file name carries the person's name")
	}
	evs, err := w.svc.AuditLog(context.Background(), w.fam, 0, 1)
	if err != nil || len(evs) != 1 || evs[0].Action != "access.view" || evs[0].Subject != "/families/{id}/documents/{sha256}" || evs[0].Actor != "user:class-counsel" {
		t.Fatalf("the download's access log: %+v %v", evs, err)
	}
	// Another document's hash, or a malformed one, is not found.
	mustStatus(t, counsel.get(t, page+"/documents/"+strings.Repeat("ab", 32)), http.StatusNotFound)
	mustStatus(t, counsel.get(t, page+"/documents/x"), http.StatusNotFound)

	orr := w.as(t, access.ORRCaseManager, "es")
	body = mustStatus(t, orr.get(t, page), http.StatusOK)
	if !strings.Contains(body, `<h2 id="notices">Avisos</h2>`) || !strings.Contains(body, "Formulario de elección") || !strings.Contains(body, "Descargar el PDF") {
		t.Errorf("the ORR case manager's page lacks the notices")
	}
	if strings.Contains(body, `id="notice-person"`) || strings.Contains(body, `id="contact-outcome"`) || strings.Contains(body, "delivery-") {
		t.Errorf("the ORR case manager (CONTACT read) is shown forms to change notices")
	}
	mustStatus(t, orr.get(t, link[1]), http.StatusOK)
	ice := w.as(t, access.ICEOfficer, "en")
	body = mustStatus(t, ice.get(t, page), http.StatusOK)
	if strings.Contains(body, `id="notices"`) || strings.Contains(body, "documents/") {
		t.Errorf("the ICE officer (no CONTACT) sees the notices")
	}
	mustStatus(t, ice.get(t, link[1]), http.StatusForbidden)
	mustStatus(t, ice.post(t, page+"/notices", url.Values{"person": {"MANUAL:F"}}), http.StatusForbidden)
}

// TestNoticeFormErrors: a refused notice comes back alone, as typed, each
// problem next to its field and in the summary, in the page's language;
// nothing is recorded.
func TestNoticeFormErrors(t *testing.T) {
	w := newNoticeWorld(t)
	before, err := w.svc.DB.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	page := "/families/" + string(w.fam)
	counsel := w.as(t, access.ClassCounsel, "en")
	body := mustStatus(t, counsel.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:F"},
		"kind": {"INTERVIEW_SCHEDULING"}, "language": {"Spanish"}, "mode": {"MAIL"}, "on": {"2018-12-01"}, "recipient": {"Ana <b>Ruiz</b>"}}),
		http.StatusUnprocessableEntity)
	for id, want := range map[string]string{
		"notice-language":    "ISO 639",
		"notice-on":          "after today",
		"notice-appointment": "Choose the appointment",
		"notice-recipient":   "markup",
	} {
		if msg := fieldError(body, id); !strings.Contains(msg, want) {
			t.Errorf("next to %s: %q, want %q", id, msg, want)
		}
		if !strings.Contains(body, `href="#`+id+`"`) || !strings.Contains(body, `aria-describedby="`+id+`-error"`) {
			t.Errorf("%s: no link from the summary or no aria-describedby", id)
		}
	}
	if !strings.Contains(body, `value="Spanish"`) || !strings.Contains(body, `value="2018-12-01"`) {
		t.Error("the refused form does not keep what was typed")
	}
	// A language with no written text, mailed: in Spanish, next to the
	// mode.
	counselES := w.as(t, access.ClassCounsel, "es")
	body = mustStatus(t, counselES.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:F"},
		"kind": {"CLASS_NOTICE"}, "language": {"mam"}, "mode": {"MAIL"}, "on": {"2018-11-19"}}), http.StatusUnprocessableEntity)
	if msg := fieldError(body, "notice-mode"); !strings.Contains(msg, "leerlo en voz alta") || !strings.Contains(msg, "en, es") {
		t.Errorf("mailing a notice in Mam: %q", msg)
	}
	body = mustStatus(t, counselES.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:F"},
		"kind": {"CLASS_NOTICE"}, "language": {"mam"}, "mode": {"READ_ALOUD"}, "on": {"2018-11-19"}}), http.StatusUnprocessableEntity)
	if msg := fieldError(body, "notice-interpreter"); !strings.Contains(msg, "intérprete") {
		t.Errorf("read aloud with no interpreter: %q", msg)
	}
	// What only the service knows lands next to its field too: the child
	// has no A-number on record for the form.
	body = mustStatus(t, counsel.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:C"},
		"kind": {"ELECTION_FORM"}, "language": {"es"}, "mode": {"MAIL"}, "on": {"2018-11-19"}}), http.StatusUnprocessableEntity)
	if msg := fieldError(body, "notice-person"); !strings.Contains(msg, "A-number") {
		t.Errorf("a member without an A-number: %q", msg)
	}
	// A stale version is a conflict, shown above the form.
	body = mustStatus(t, counsel.post(t, page+"/notices", url.Values{"version": {"99"}, "person": {"MANUAL:F"},
		"kind": {"ELECTION_FORM"}, "language": {"es"}, "mode": {"MAIL"}, "on": {"2018-11-19"}}), http.StatusConflict)
	if !strings.Contains(body, `id="form-errors"`) {
		t.Error("the conflict is not shown")
	}
	after, err := w.svc.DB.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after["notices"] != before["notices"] {
		t.Fatalf("refused forms recorded notices: %v, then %v", before, after)
	}
	if n, _ := w.svc.DB.DocumentCount(context.Background()); n != 0 {
		t.Fatalf("refused forms stored %d documents", n)
	}
}

// TestDeliveryAndOutreachPages: a notice that comes back puts its person on
// the outreach queue, beside the removed father; an attempt recorded from
// the queue that reaches him takes him off.
func TestDeliveryAndOutreachPages(t *testing.T) {
	w := newNoticeWorld(t)
	page := "/families/" + string(w.fam)
	counsel := w.as(t, access.ClassCounsel, "en")
	mustStatus(t, counsel.post(t, page+"/notices", url.Values{"version": {w.version(t)}, "person": {"MANUAL:M"}, "kind": {"CLASS_NOTICE"},
		"language": {"es"}, "mode": {"MAIL"}, "on": {"2018-11-01"}}), http.StatusSeeOther)
	d, err := w.svc.GetFamily(context.Background(), w.fam)
	if err != nil || len(d.Records.Notices) != 1 {
		t.Fatal(err)
	}
	nid := d.Records.Notices[0].ID
	action := page + "/notices/" + nid + "/delivery"
	body := mustStatus(t, counsel.post(t, action, url.Values{"version": {w.version(t)}, "outcome": {"LOST"}}), http.StatusUnprocessableEntity)
	if msg := fieldError(body, "delivery-"+nid+"-outcome"); msg == "" {
		t.Errorf("an unknown outcome has no message next to it:\n%.2000s", body)
	}
	mustStatus(t, counsel.post(t, action, url.Values{"version": {w.version(t)}, "outcome": {"RETURNED"}, "notes": {"no such address"}}), http.StatusSeeOther)

	body = mustStatus(t, counsel.get(t, "/outreach"), http.StatusOK)
	for _, want := range []string{"<h1>Outreach</h1>", "2 people to reach, as of 2018-11-20.", "José Ñúñez", "Removed, not reached since", "2018-07-10",
		"María José López", "Latest notice not delivered", "Class notice: Returned", "None yet", `href="/outreach"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if strings.Index(body, "José Ñúñez") > strings.Index(body, "María José López") {
		t.Error("the father, unreached since July, is not first")
	}
	if !strings.Contains(body, `name="return" value="outreach"`) || !strings.Contains(body, `name="person" value="MANUAL:F"`) {
		t.Error("the queue has no form to record an attempt")
	}
	// A refused attempt from the queue comes back alone, with the way
	// back to the queue.
	body = mustStatus(t, counsel.post(t, page+"/contacts", url.Values{"person": {"MANUAL:F"}, "return": {"outreach"}, "on": {"2018-13-01"},
		"channel": {"PHONE"}}), http.StatusUnprocessableEntity)
	if fieldError(body, "contact-on") == "" || fieldError(body, "contact-outcome") == "" || !strings.Contains(body, "Back to the outreach queue") {
		t.Errorf("the refused attempt:\n%.3000s", body)
	}
	rec := counsel.post(t, page+"/contacts", url.Values{"person": {"MANUAL:F"}, "return": {"outreach"}, "on": {"2018-11-20"},
		"channel": {"PHONE"}, "language": {"mam"}, "interpreter": {"Juana Tzoc"}, "outcome": {"REACHED"}})
	mustStatus(t, rec, http.StatusSeeOther)
	if rec.Header().Get("Location") != "/outreach" {
		t.Fatalf("sent to %q", rec.Header().Get("Location"))
	}
	body = mustStatus(t, counsel.get(t, "/outreach"), http.StatusOK)
	if strings.Contains(body, "José Ñúñez") || !strings.Contains(body, "1 people to reach") {
		t.Errorf("the reached father is still on the queue")
	}
	body = mustStatus(t, counsel.get(t, page), http.StatusOK)
	for _, want := range []string{"Returned", "Reached", "Juana Tzoc", "class-counsel"} {
		if !strings.Contains(body, want) {
			t.Errorf("the family page lacks %q after the delivery and the attempt", want)
		}
	}

	orr := w.as(t, access.ORRCaseManager, "es")
	body = mustStatus(t, orr.get(t, "/outreach"), http.StatusOK)
	if !strings.Contains(body, "<h1>Localización</h1>") || !strings.Contains(body, "María José López") || strings.Contains(body, `name="return" value="outreach"`) {
		t.Errorf("the ORR case manager's queue:\n%.2000s", body)
	}
	mustStatus(t, w.as(t, access.ICEOfficer, "en").get(t, "/outreach"), http.StatusForbidden)
	mustStatus(t, counsel.get(t, "/outreach?after=nonsense"), http.StatusBadRequest)
}

// TestContactFormOnTheFamilyPage: an attempt recorded on the family page
// needs its fields and the family's version.
func TestContactFormOnTheFamilyPage(t *testing.T) {
	w := newNoticeWorld(t)
	page := "/families/" + string(w.fam)
	counsel := w.as(t, access.ClassCounsel, "es")
	body := mustStatus(t, counsel.post(t, page+"/contacts", url.Values{"version": {w.version(t)}, "person": {"MANUAL:X"}, "on": {"2018-11-20"},
		"channel": {"CARRIER_PIGEON"}, "outcome": {"REACHED"}, "stale_contact": {"maybe"}}), http.StatusUnprocessableEntity)
	for _, id := range []string{"contact-person", "contact-channel", "contact-stale_contact"} {
		if fieldError(body, id) == "" {
			t.Errorf("no message next to %s", id)
		}
	}
	if !strings.Contains(body, "Volver a la familia") {
		t.Error("the refused form has no way back to the family")
	}
	rec := counsel.post(t, page+"/contacts", url.Values{"version": {w.version(t)}, "person": {"MANUAL:F"}, "on": {"2018-11-20"},
		"channel": {"MESSAGING_APP"}, "outcome": {"NO_ANSWER"}, "stale_contact": {"yes"}})
	mustStatus(t, rec, http.StatusSeeOther)
	if rec.Header().Get("Location") != page+"#contacts" {
		t.Fatalf("sent to %q", rec.Header().Get("Location"))
	}
	d, err := w.svc.GetFamily(context.Background(), w.fam)
	if err != nil || len(d.Records.Contacts) != 1 {
		t.Fatal(d, err)
	}
	c := d.Records.Contacts[0]
	if c.By != "class-counsel" || c.Stale == nil || !*c.Stale || c.Channel != "MESSAGING_APP" {
		t.Errorf("the attempt: %+v", c)
	}
}
