package rescreen

import (
	"strings"
	"testing"
)

func fieldErrs(errs []FieldError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Field + ": " + e.Msg + "\n")
	}
	return b.String()
}

func TestAppointmentChecks(t *testing.T) {
	ok := Appointment{Meta: Meta{Source: SourceUSCIS, SourceID: "A1"}, Person: "USCIS_GLOBAL:P1", Occasion: OccasionSettlement,
		On: MustDate("2018-11-20"), Time: "09:30", Mode: "PHONE", State: AppointmentScheduled, ScheduledOn: MustDate("2018-11-02")}
	if errs := Validate(KindAppointments, &ok); len(errs) != 0 {
		t.Fatalf("a good appointment: %s", fieldErrs(errs))
	}
	for _, c := range []struct {
		change func(a *Appointment)
		field  string
	}{
		{func(a *Appointment) { a.Time = "24:00" }, "time"},
		{func(a *Appointment) { a.Time = "9:30" }, "time"},
		{func(a *Appointment) { a.Time = "09:60" }, "time"},
		{func(a *Appointment) { a.ScheduledOn = MustDate("2018-11-21") }, "on"},
		{func(a *Appointment) { a.State = AppointmentHeld }, "screening"},
		{func(a *Appointment) { a.Mode = "FAX" }, "mode"},
	} {
		a := ok
		c.change(&a)
		errs := Validate(KindAppointments, &a)
		if len(errs) != 1 || errs[0].Field != c.field {
			t.Errorf("want one error on %s, got %s", c.field, fieldErrs(errs))
		}
	}
}

func TestNoticeChecks(t *testing.T) {
	ok := Notice{Meta: Meta{Source: SourceCounsel, SourceID: "N1"}, Person: "CLASS_COUNSEL:P1", Kind: NoticeElectionForm,
		Language: "es", Version: "1", Document: strings.Repeat("ab", 32), Mode: DeliveryInPerson,
		On: MustDate("2018-11-20"), Outcome: DeliveryDelivered}
	if errs := Validate(KindNotices, &ok); len(errs) != 0 {
		t.Fatalf("a good notice: %s", fieldErrs(errs))
	}
	for _, c := range []struct {
		change func(n *Notice)
		field  string
	}{
		{func(n *Notice) { n.Mode = DeliveryReadAloud }, "interpreter"},
		{func(n *Notice) { n.Document = strings.Repeat("AB", 32) }, "document_sha256"},
		{func(n *Notice) { n.Document = "abc" }, "document_sha256"},
		{func(n *Notice) { n.Language = "X1" }, "language"},
		{func(n *Notice) { n.Kind = "LETTER" }, "kind"},
		{func(n *Notice) { n.On = Date{} }, "on"},
	} {
		n := ok
		c.change(&n)
		errs := Validate(KindNotices, &n)
		if len(errs) != 1 || errs[0].Field != c.field {
			t.Errorf("want one error on %s, got %s", c.field, fieldErrs(errs))
		}
	}
}
