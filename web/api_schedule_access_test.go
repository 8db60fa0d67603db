package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// TestBookingAPIHidesCounselFromOfficer: an asylum officer books an
// interview with notice to counsel through the API; the notice is written
// (counsel is told), but the answer carries neither it nor counsel's name
// nor the document's hash, CONTACT records the officer may not read, as
// the family's own answer does not.
func TestBookingAPIHidesCounselFromOfficer(t *testing.T) {
	w := newWorld(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	// What the scheduling notice prints: the parent's A-number, and
	// class counsel's telephone number.
	dos, err := w.svc.GetFamily(ctx, w.fam["in"])
	if err != nil {
		t.Fatal(err)
	}
	var parent, child rescreen.Person
	for _, p := range dos.Records.Persons {
		switch p.Role {
		case rescreen.RoleParent:
			parent = p
		case rescreen.RoleChild:
			child = p
		}
	}
	// And what makes the parent a class member owed a review: the
	// separation at the border.
	no := false
	parent.EntryDate, parent.EntryKind, parent.Languages = rescreen.MustDate("2018-05-19"), "BETWEEN_PORTS", []string{"es"}
	parent.UnfitOrDanger, parent.CriminalHistory, parent.CommunicableDisease, parent.SubjectToEO13841 = &no, &no, &no, &no
	lawyer := dos.Records.Counsel[0]
	lawyer.Phone, lawyer.Email = "+1 212 555 0100", "counsel-in@example.org"
	changes := []rescreen.Change{
		{Kind: rescreen.KindPersons, Record: &parent},
		{Kind: rescreen.KindIdentifiers, Record: &rescreen.Identifier{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-IN-PA"}, Person: parent.Key(),
			Kind: rescreen.IDANumber, Value: "A209876543"}},
		{Kind: rescreen.KindCounsel, Record: &lawyer},
		{Kind: rescreen.KindRelationships, Record: &rescreen.Relationship{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-IN-R"},
			From: parent.Key(), To: child.Key(), Kind: "PARENT_OF", Evidence: "DNA"}},
		{Kind: rescreen.KindSeparations, Record: &rescreen.Separation{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-IN-SEP"},
			Family: rescreen.Ref("MANUAL:F-IN"), Parent: parent.Key(), Child: child.Key(), On: rescreen.MustDate("2018-05-21"),
			Reason: "PROSECUTION_REFERRAL", Agency: "CBP", ChildCustody: rescreen.CustodyORRShelter}},
	}
	if _, err := w.svc.ApplyChanges(ctx, w.fam["in"], dos.Version, changes); err != nil {
		t.Fatal(err)
	}

	cookie, csrf := w.session(t, access.AsylumOfficer)
	body := `{"person":"` + w.person["in"] + `","on":"2019-06-04","time":"10:00","officer":"asylum-officer","office":"ZHN",` +
		`"mode":"IN_PERSON","place":"Room 4","notify_counsel":true}`
	req := httptest.NewRequest(http.MethodPost, "/api/v1/families/"+string(w.fam["in"])+"/appointments", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("booking: %d\n%s", rec.Code, rec.Body)
	}
	var b struct {
		Appointment rescreen.Appointment `json:"appointment"`
		Notices     []json.RawMessage    `json:"notices"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if b.Notices == nil || len(b.Notices) != 0 || b.Appointment.CounselNotifiedOn.IsZero() {
		t.Errorf("the officer's answer: notices %s, counsel notified on %s; want an empty list and a day", b.Notices, b.Appointment.CounselNotifiedOn)
	}
	if out := rec.Body.String(); strings.Contains(out, "Counsel in") || strings.Contains(out, "counsel-in@") || strings.Contains(out, "recipient") {
		t.Errorf("the officer's answer names counsel:\n%s", out)
	}
	after, err := w.svc.GetFamily(ctx, w.fam["in"])
	if err != nil {
		t.Fatal(err)
	}
	if n := after.Records.Notices; len(n) != 1 || n[0].Recipient != "Counsel in (ACLU)" || n[0].Document == "" {
		t.Errorf("the notice to counsel on record: %+v", n)
	}
}
