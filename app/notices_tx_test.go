package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/sqlstore"
)

// TestIssueNoticeInsideAChange: service code that makes a change of its
// own (an interview scheduled) issues the notice of it in the same
// transaction, through its own writer: the notice sees the appointment
// written just before, and both are in the family's one audit event. A
// refused notice leaves nothing of the change behind.
func TestIssueNoticeInsideAChange(t *testing.T) {
	ctx := rescreen.WithActor(context.Background(), "user:scheduler")
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := New(db)
	s.Now = func() time.Time { return time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC) }
	s.NewID = CounterIDs()
	s.ClassCounsel = ClassCounsel{Name: "Class counsel of the deployment", Phone: "+1 212 555 0100"}
	fam := rescreen.Ref("MANUAL:F-1")
	p := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "P-1"}, Family: fam, Role: rescreen.RoleParent,
		GivenNames: "Dulce María", FirstSurname: "Choc", BirthDate: rescreen.MustDate("1992-02-02"), Languages: []string{"kek", "es"}}
	dos, err := s.CreateFamily(ctx, &rescreen.Dataset{
		Families:    []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-1"}}},
		Persons:     []rescreen.Person{p},
		Identifiers: []rescreen.Identifier{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "A-1"}, Person: p.Key(), Kind: rescreen.IDANumber, Value: "A022222222"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := dos.FamilyID
	schedule := func(person rescreen.Ref) (*rescreen.Notice, []rescreen.FieldError, error) {
		var n *rescreen.Notice
		var probs []rescreen.FieldError
		err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
			w := s.newWriter(ctx, tx, newResolver(), "appointment.schedule", s.NewID("C"))
			a := &rescreen.Appointment{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "AP-1"}, Person: p.Key(), Occasion: rescreen.OccasionSettlement,
				On: rescreen.MustDate("2018-12-04"), Time: "14:00", Mode: "PHONE", Phone: "+1 202 555 0142", Interpreter: "kek",
				State: rescreen.AppointmentScheduled, CounselNotifiedOn: rescreen.MustDate("2018-11-20")}
			if p, err := w.put(rescreen.KindAppointments, a); err != nil || len(p) > 0 {
				t.Fatalf("appointment: %v %v", p, err)
			}
			var err error
			n, probs, err = s.issueNoticeInTx(w, id, rescreen.NoticeRequest{Person: person, Kind: rescreen.NoticeScheduling, Language: "es",
				Mode: rescreen.DeliveryEmail, Recipient: "Class counsel of the deployment", On: rescreen.MustDate("2018-11-20"), Appointment: a.Key()})
			if err != nil {
				return err
			}
			if len(probs) > 0 {
				return (&rescreen.ValidationError{Problems: probs}).AsError("schedule")
			}
			if err := w.flush(); err != nil {
				return err
			}
			return s.derive(ctx, tx, id, w.batch)
		})
		return n, probs, err
	}
	before, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, probs, err := schedule("MANUAL:P-404"); rescreen.ErrorCode(err) != rescreen.EINVALID || len(probs) != 1 || probs[0].Field != "person" {
		t.Fatalf("a notice to nobody of the family: %v %v", probs, err)
	}
	after, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after["appointments"] != before["appointments"] || after["notices"] != before["notices"] || after["audit_events"] != before["audit_events"] {
		t.Fatalf("the refused change left %v, was %v", after, before)
	}
	if n, _ := db.DocumentCount(ctx); n != 0 {
		t.Fatalf("the refused change left %d documents", n)
	}
	n, _, err := schedule(p.Key())
	if err != nil {
		t.Fatal(err)
	}
	if n.Document == "" || n.Appointment != "MANUAL:AP-1" || n.By != "scheduler" {
		t.Fatalf("notice %+v", n)
	}
	evs, err := s.AuditLog(ctx, id, 0, 10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("%d events: %v", len(evs), err)
	}
	if e := evs[0]; e.Action != "appointment.schedule" || !strings.Contains(string(e.After), `"kind":"appointments"`) ||
		!strings.Contains(string(e.After), n.Document) {
		t.Fatalf("one event for the appointment and its notice: %s %s", e.Action, e.After)
	}
	if _, err := s.NoticeDocument(ctx, id, n.Document); err != nil {
		t.Fatal(err)
	}
}
