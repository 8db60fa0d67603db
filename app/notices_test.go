package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
)

// tool returns the path of an external program. Without it the test is
// skipped on a developer's machine, but fails in CI, which installs
// poppler-utils.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s is not installed (Debian: poppler-utils); CI runs this test", name)
		}
		t.Fatalf("%s is not installed, and CI is set: %v", name, err)
	}
	return p
}

// pdfText extracts a PDF's text with pdftotext, white space collapsed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// noticeStore holds two families, IN and OUT, in places of their own: a
// mother detained in the U.S. with a positive settlement review and a held
// appointment; a father removed to Guatemala on 2018-07-10; a child in a
// shelter whose own interview is scheduled with a Mam interpreter; a baby
// with no A-number on record; and class counsel with a telephone number.
// The clock is 2018-11-20.
func noticeStore(t *testing.T) (*app.Service, map[string]rescreen.FamilyID) {
	t.Helper()
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	fams := map[string]rescreen.FamilyID{}
	orgs := map[string]string{"IN": "ACLU", "OUT": "KIND"}
	for _, place := range []string{"IN", "OUT"} {
		m := func(id string) rescreen.Meta { return rescreen.Meta{Source: "MANUAL", SourceID: place + "-" + id} }
		fam := rescreen.Ref("MANUAL:F-" + place)
		mother := rescreen.Person{Meta: m("M"), Family: fam, Role: rescreen.RoleParent, GivenNames: "María José", FirstSurname: "López",
			BirthDate: rescreen.MustDate("1990-03-04"), Languages: []string{"es"}}
		father := rescreen.Person{Meta: m("F"), Family: fam, Role: rescreen.RoleParent, GivenNames: "José", FirstSurname: "Ñúñez", SecondSurname: "Pérez",
			BirthDate: rescreen.MustDate("1985-03-04"), Languages: []string{"es", "mam"}}
		child := rescreen.Person{Meta: m("C"), Family: fam, Role: rescreen.RoleChild, GivenNames: "Ixchel", FirstSurname: "Ñúñez", SecondSurname: "López",
			BirthDate: rescreen.MustDate("2012-09-10"), Languages: []string{"mam", "es"}}
		baby := rescreen.Person{Meta: m("B"), Family: fam, Role: rescreen.RoleChild, GivenNames: "Tomás", FirstSurname: "Ñúñez",
			BirthDate: rescreen.MustDate("2017-12-01")}
		d := &rescreen.Dataset{
			Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-" + place}}},
			Persons:  []rescreen.Person{mother, father, child, baby},
			Identifiers: []rescreen.Identifier{
				{Meta: m("MA"), Person: mother.Key(), Kind: rescreen.IDANumber, Value: "A012345678"},
				{Meta: m("FA"), Person: father.Key(), Kind: rescreen.IDANumber, Value: "A098765432"},
				{Meta: m("FA2"), Person: father.Key(), Kind: rescreen.IDANumber, Value: "A011111111", Status: "ERRONEOUS"},
				{Meta: m("CA"), Person: child.Key(), Kind: rescreen.IDANumber, Value: "A055555555"},
			},
			Custody: []rescreen.Custody{
				{Meta: m("K1"), Person: mother.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"), Facility: place + "-SPC"},
				{Meta: m("K2"), Person: father.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"), End: rescreen.MustDate("2018-07-09"), Facility: place + "-SPC"},
				{Meta: m("K3"), Person: father.Key(), Kind: rescreen.CustodyRemoved, Start: rescreen.MustDate("2018-07-10"), State: "GT"},
				{Meta: m("K4"), Person: child.Key(), Kind: rescreen.CustodyORRShelter, Start: rescreen.MustDate("2018-05-22"), Facility: place + "-SHELTER"},
			},
			Screenings: []rescreen.Screening{
				{Meta: m("S1"), Person: mother.Key(), Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionInitial, On: rescreen.MustDate("2018-06-01"),
					Result: rescreen.ResultNegative, DecidedOn: rescreen.MustDate("2018-06-02"), Office: "Z" + place},
				{Meta: m("S2"), Person: mother.Key(), Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, On: rescreen.MustDate("2018-11-01"),
					Result: rescreen.ResultPositive, DecidedOn: rescreen.MustDate("2018-11-05"), Office: "Z" + place, Officer: "ao-" + strings.ToLower(place)},
				{Meta: m("S3"), Person: child.Key(), Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionChildOwn, Result: rescreen.ResultPending, Office: "Z" + place},
			},
			Appointments: []rescreen.Appointment{
				{Meta: m("AP1"), Person: mother.Key(), Occasion: rescreen.OccasionSettlement, On: rescreen.MustDate("2018-11-01"), Time: "10:00",
					Mode: "IN_PERSON", Place: "Asylum Office, room 4", Interpreter: "es", State: rescreen.AppointmentHeld, Screening: rescreen.Ref("MANUAL:" + place + "-S2")},
				{Meta: m("AP2"), Person: child.Key(), Occasion: rescreen.OccasionChildOwn, On: rescreen.MustDate("2018-12-03"), Time: "09:30",
					Mode: "IN_PERSON", Place: "Oficina de Asilo, sala 2", Interpreter: "mam", State: rescreen.AppointmentScheduled,
					CounselNotifiedOn: rescreen.MustDate("2018-11-15")},
				{Meta: m("AP3"), Person: child.Key(), Occasion: rescreen.OccasionChildOwn, On: rescreen.MustDate("2018-11-26"),
					Mode: "PHONE", Phone: "+1 202 555 0100", State: rescreen.AppointmentCancelled},
			},
			Counsel: []rescreen.Counsel{{Meta: m("L"), Family: fam, Role: "CLASS_COUNSEL", Name: "Ana Ruiz", Organization: orgs[place],
				Phone: "+1 212 555 0111", Email: "ana@example.org"}},
		}
		dos, err := s.CreateFamily(ctx, d)
		if err != nil {
			t.Fatalf("family %s: %v", place, err)
		}
		fams[place] = dos.FamilyID
	}
	return s, fams
}

var (
	counselIN = access.Assignment{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:ACLU"}}
	orrIN     = access.Assignment{Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:IN-SHELTER"}}
	iceIN     = access.Assignment{Role: access.ICEOfficer, Scope: access.Unit, Units: []string{"facility:IN-SPC"}}
)

// storeState is what a refused request must leave as it was.
type storeState struct {
	counts    map[string]int64
	documents int
	version   int64
}

func stateOf(t *testing.T, s *app.Service, fam rescreen.FamilyID) storeState {
	t.Helper()
	n, err := s.DB.DocumentCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.GetFamily(context.Background(), fam)
	if err != nil {
		t.Fatal(err)
	}
	return storeState{counts: counts(t, s), documents: n, version: d.Version}
}

func (a storeState) same(b storeState) bool {
	if a.documents != b.documents || a.version != b.version || len(a.counts) != len(b.counts) {
		return false
	}
	for k, v := range a.counts {
		if b.counts[k] != v {
			return false
		}
	}
	return true
}

// TestIssueNoticeInSpanish: a notice issued in Spanish is rendered from
// the family's records, its bytes are stored under the hash the record
// carries, with the template's version, and its text has the member's
// name with its accents; the delivery is in the family's audit chain.
func TestIssueNoticeInSpanish(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := rescreen.WithActor(as("counsel-1", counselIN), "user:counsel-1")
	before := stateOf(t, s, fams["IN"])
	n, err := s.IssueNotice(ctx, fams["IN"], before.version, rescreen.NoticeRequest{
		Person: "MANUAL:IN-F", Kind: rescreen.NoticeElectionForm, Language: "es", Mode: rescreen.DeliveryInPerson,
		Signer: "José Ñúñez Pérez", On: rescreen.MustDate("2018-11-19"), Outcome: rescreen.DeliveryDelivered,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n.Document == "" || n.Version != "1" || n.By != "counsel-1" || n.Outcome != rescreen.DeliveryDelivered {
		t.Fatalf("notice %+v", n)
	}
	doc, err := s.NoticeDocument(ctx, fams["IN"], n.Document)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(doc.Bytes)
	if hex.EncodeToString(sum[:]) != n.Document || doc.MediaType != "application/pdf" || !strings.HasPrefix(string(doc.Bytes), "%PDF-") {
		t.Fatalf("document %s (%s) does not hash to the record's %s", hex.EncodeToString(sum[:]), doc.MediaType, n.Document)
	}
	if strings.Contains(doc.Name, "Ñúñez") || !strings.HasSuffix(doc.Name, ".pdf") {
		t.Errorf("file name %q", doc.Name)
	}
	text := pdfText(t, doc.Bytes)
	for _, want := range []string{"José Ñúñez Pérez", "A098765432", "1985", "Formulario", n.ID, "Ana Ruiz, ACLU"} {
		if !strings.Contains(text, want) {
			t.Errorf("the form's text lacks %q:\n%.2000s", want, text)
		}
	}
	if strings.Contains(text, "A011111111") {
		t.Error("the form gives the A-number recorded as erroneous")
	}
	after := stateOf(t, s, fams["IN"])
	if after.documents != before.documents+1 || after.counts["notices"] != before.counts["notices"]+1 ||
		after.counts["audit_events"] != before.counts["audit_events"]+1 || after.version != before.version+1 {
		t.Errorf("before %+v, after %+v", before, after)
	}
	evs, err := s.AuditLog(context.Background(), fams["IN"], 0, 1)
	if err != nil || len(evs) != 1 {
		t.Fatal(evs, err)
	}
	if evs[0].Action != "notice.issue" || evs[0].Actor != "user:counsel-1" || !strings.Contains(string(evs[0].After), n.Document) {
		t.Errorf("audit event %s by %s: %s", evs[0].Action, evs[0].Actor, evs[0].After)
	}
	dos, err := s.GetFamily(ctx, fams["IN"])
	if err != nil {
		t.Fatal(err)
	}
	if len(dos.Records.Notices) != 1 || dos.Records.Notices[0].Document != n.Document {
		t.Errorf("the dossier's notices: %+v", dos.Records.Notices)
	}
}

// TestEveryKindIsIssued: each kind is filled from the records it needs,
// in English and Spanish.
func TestEveryKindIsIssued(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := as("counsel-1", counselIN)
	on := rescreen.MustDate("2018-11-19")
	cases := []struct {
		req  rescreen.NoticeRequest
		want []string
	}{
		{rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeClass, Language: "en", Mode: rescreen.DeliveryMail, On: on},
			[]string{"Notice to Separated Parents and Children", "María José López", "+1 212 555 0111"}},
		{rescreen.NoticeRequest{Person: "MANUAL:IN-C", Kind: rescreen.NoticeScheduling, Language: "es", Mode: rescreen.DeliveryEmail,
			Recipient: "Ana Ruiz", On: on, Appointment: "MANUAL:IN-AP2"},
			[]string{"Ixchel Ñúñez López", "3 de diciembre de 2018", "9:30", "Oficina de Asilo, sala 2", "mam"}},
		{rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeDetermination, Language: "en", Mode: rescreen.DeliveryInPerson,
			On: on, Screening: "MANUAL:IN-S2"},
			[]string{"María José López", "A012345678", "November 5, 2018"}},
	}
	for _, c := range cases {
		t.Run(string(c.req.Kind), func(t *testing.T) {
			n, err := s.IssueNotice(ctx, fams["IN"], 0, c.req)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := s.NoticeDocument(ctx, fams["IN"], n.Document)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, doc.Bytes)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q:\n%.3000s", c.req.Kind, w, text)
				}
			}
		})
	}
}

// TestLanguageWithoutWrittenText: a notice in a language with no written
// text is read aloud by a named interpreter, and recorded with no
// document; any other mode is refused, naming the field.
func TestLanguageWithoutWrittenText(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := as("counsel-1", counselIN)
	req := rescreen.NoticeRequest{Person: "MANUAL:IN-C", Kind: rescreen.NoticeClass, Language: "mam", Mode: rescreen.DeliveryMail,
		On: rescreen.MustDate("2018-11-19")}
	before := stateOf(t, s, fams["IN"])
	_, err := s.IssueNotice(ctx, fams["IN"], 0, req)
	if !hasFieldError(err, "mode", "READ_ALOUD") {
		t.Fatalf("mailed in Mam: %v", err)
	}
	req.Mode = rescreen.DeliveryReadAloud
	_, err = s.IssueNotice(ctx, fams["IN"], 0, req)
	if !hasFieldError(err, "interpreter", "required") {
		t.Fatalf("read aloud without an interpreter: %v", err)
	}
	if after := stateOf(t, s, fams["IN"]); !after.same(before) {
		t.Fatalf("refused requests changed the store: %+v, then %+v", before, after)
	}
	req.Interpreter = "Juana Tzoc (Mam)"
	n, err := s.IssueNotice(ctx, fams["IN"], 0, req)
	if err != nil {
		t.Fatal(err)
	}
	if n.Document != "" || n.Version != "" || n.Interpreter != "Juana Tzoc (Mam)" || n.Language != "mam" {
		t.Fatalf("read-aloud notice %+v", n)
	}
	after := stateOf(t, s, fams["IN"])
	if after.documents != before.documents || after.counts["notices"] != before.counts["notices"]+1 {
		t.Errorf("before %+v, after %+v", before, after)
	}
	// A written language may be read aloud too, by a named reader; it
	// keeps its document.
	req.Language, req.Interpreter = "es", "Juana Tzoc"
	if n, err := s.IssueNotice(ctx, fams["IN"], 0, req); err != nil || n.Document == "" {
		t.Fatalf("read aloud in Spanish: %+v %v", n, err)
	}
}

func hasFieldError(err error, field, msgPart string) bool {
	var ve *rescreen.ValidationError
	if rescreen.ErrorCode(err) != rescreen.EINVALID || !errors.As(err, &ve) {
		return false
	}
	for _, p := range ve.Problems {
		if p.Field == field && strings.Contains(p.Msg, msgPart) {
			return true
		}
	}
	return false
}

// TestBadNoticeRequestChangesNothing: every refused request names its
// field and leaves no record, no document and no audit event.
func TestBadNoticeRequestChangesNothing(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := as("counsel-1", counselIN)
	on := rescreen.MustDate("2018-11-19")
	good := rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeElectionForm, Language: "es", Mode: rescreen.DeliveryMail, On: on}
	cases := []struct {
		name, field, msg string
		edit             func(r *rescreen.NoticeRequest)
	}{
		{"person of another family", "person", "not a member", func(r *rescreen.NoticeRequest) { r.Person = "MANUAL:OUT-M" }},
		{"no person", "person", "required", func(r *rescreen.NoticeRequest) { r.Person = "" }},
		{"unknown kind", "kind", "", func(r *rescreen.NoticeRequest) { r.Kind = "EVICTION_NOTICE" }},
		{"language not a code", "language", "", func(r *rescreen.NoticeRequest) { r.Language = "Spanish" }},
		{"unknown mode", "mode", "", func(r *rescreen.NoticeRequest) { r.Mode = "PIGEON" }},
		{"no date", "on", "required", func(r *rescreen.NoticeRequest) { r.On = rescreen.Date{} }},
		{"future date", "on", "after today", func(r *rescreen.NoticeRequest) { r.On = rescreen.MustDate("2018-11-21") }},
		{"unknown outcome", "outcome", "", func(r *rescreen.NoticeRequest) { r.Outcome = "LOST" }},
		{"recipient with a control character", "recipient", "", func(r *rescreen.NoticeRequest) { r.Recipient = "Ana\x00Ruiz" }},
		{"signer too long", "signer", "", func(r *rescreen.NoticeRequest) { r.Signer = strings.Repeat("x", 201) }},
		{"member without an A-number", "person", "A-number", func(r *rescreen.NoticeRequest) { r.Person = "MANUAL:IN-B" }},
		{"scheduling without an appointment", "appointment", "required", func(r *rescreen.NoticeRequest) {
			r.Kind = rescreen.NoticeScheduling
		}},
		{"appointment of another person", "appointment", "not of", func(r *rescreen.NoticeRequest) {
			r.Kind, r.Appointment = rescreen.NoticeScheduling, "MANUAL:IN-AP2"
		}},
		{"appointment of another family", "appointment", "not an appointment of this family", func(r *rescreen.NoticeRequest) {
			r.Kind, r.Appointment = rescreen.NoticeScheduling, "MANUAL:OUT-AP1"
		}},
		{"cancelled appointment", "appointment", "cancelled", func(r *rescreen.NoticeRequest) {
			r.Person, r.Kind, r.Appointment = "MANUAL:IN-C", rescreen.NoticeScheduling, "MANUAL:IN-AP3"
		}},
		{"appointment without a time", "appointment", "interview_time", func(r *rescreen.NoticeRequest) {
			r.Person, r.Kind = "MANUAL:IN-C", rescreen.NoticeScheduling
			r.Appointment = "MANUAL:IN-AP3"
			r.Language = "en"
		}},
		{"determination of a pending screening", "screening", "not decided", func(r *rescreen.NoticeRequest) {
			r.Person, r.Kind, r.Screening = "MANUAL:IN-C", rescreen.NoticeDetermination, "MANUAL:IN-S3"
		}},
		{"determination of the border screening", "screening", "first screening", func(r *rescreen.NoticeRequest) {
			r.Kind, r.Screening = rescreen.NoticeDetermination, "MANUAL:IN-S1"
		}},
		{"a screening on an election form", "screening", "only a DETERMINATION_NOTICE", func(r *rescreen.NoticeRequest) {
			r.Screening = "MANUAL:IN-S2"
		}},
	}
	before := stateOf(t, s, fams["IN"])
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := good
			c.edit(&req)
			if c.name == "appointment without a time" {
				// A cancelled appointment is refused first; a scheduled
				// one without a time is refused for what it lacks.
				a := &rescreen.Appointment{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "IN-AP4"}, Person: "MANUAL:IN-C",
					Occasion: rescreen.OccasionChildOwn, On: rescreen.MustDate("2018-12-10"), Mode: "PHONE", Phone: "+1 202 555 0101",
					Interpreter: "mam", State: rescreen.AppointmentScheduled}
				if _, err := s.ApplyChanges(context.Background(), fams["IN"], 0, []rescreen.Change{{Kind: rescreen.KindAppointments, Record: a}}); err != nil {
					t.Fatal(err)
				}
				before = stateOf(t, s, fams["IN"])
				req.Appointment = a.Key()
			}
			_, err := s.IssueNotice(ctx, fams["IN"], 0, req)
			if !hasFieldError(err, c.field, c.msg) {
				t.Fatalf("want a problem with %s (%q), got %v", c.field, c.msg, err)
			}
			if after := stateOf(t, s, fams["IN"]); !after.same(before) {
				t.Fatalf("the refused request changed the store: %+v, then %+v", before, after)
			}
		})
	}
	// A stale version is a conflict, and changes nothing either.
	if _, err := s.IssueNotice(ctx, fams["IN"], before.version-1, good); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Fatalf("stale version: %v", err)
	}
	if after := stateOf(t, s, fams["IN"]); !after.same(before) {
		t.Fatalf("the stale request changed the store")
	}
}

// TestNoticeAccess: issuing needs CONTACT write on the family, reading a
// document CONTACT read; a document is found only through a notice of the
// family asked about.
func TestNoticeAccess(t *testing.T) {
	s, fams := noticeStore(t)
	req := rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeElectionForm, Language: "en", Mode: rescreen.DeliveryMail,
		On: rescreen.MustDate("2018-11-19")}
	n, err := s.IssueNotice(as("counsel-1", counselIN), fams["IN"], 0, req)
	if err != nil {
		t.Fatal(err)
	}
	before := stateOf(t, s, fams["IN"])
	for name, ctx := range map[string]context.Context{
		"ICE officer (no CONTACT)":     as("ice-1", iceIN),
		"ORR case manager (read only)": as("orr-1", orrIN),
	} {
		if _, err := s.IssueNotice(ctx, fams["IN"], 0, req); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
			t.Errorf("%s issued a notice: %v", name, err)
		}
		if _, err := s.RecordDelivery(ctx, fams["IN"], 0, rescreen.DeliveryUpdate{Notice: n.ID, Outcome: rescreen.DeliveryReturned}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
			t.Errorf("%s recorded a delivery: %v", name, err)
		}
	}
	if _, err := s.IssueNotice(as("counsel-1", counselIN), fams["OUT"], 0, rescreen.NoticeRequest{Person: "MANUAL:OUT-M",
		Kind: rescreen.NoticeElectionForm, Language: "en", Mode: rescreen.DeliveryMail, On: rescreen.MustDate("2018-11-19")}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("counsel issued a notice to a family out of scope: %v", err)
	}
	if after := stateOf(t, s, fams["IN"]); !after.same(before) {
		t.Fatal("refused requests changed the store")
	}
	if _, err := s.NoticeDocument(as("ice-1", iceIN), fams["IN"], n.Document); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("ICE officer read a notice: %v", err)
	}
	if doc, err := s.NoticeDocument(as("orr-1", orrIN), fams["IN"], n.Document); err != nil || doc.SHA256 != n.Document {
		t.Errorf("ORR case manager (CONTACT read) could not read the notice: %v", err)
	}
	// Through a family the caller may read, another family's document is
	// not found, whether it exists or not.
	wide := as("counsel-2", access.Assignment{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:KIND"}})
	_, err = s.NoticeDocument(wide, fams["OUT"], n.Document)
	_, err2 := s.NoticeDocument(wide, fams["OUT"], strings.Repeat("0", 64))
	if rescreen.ErrorCode(err) != rescreen.ENOTFOUND || rescreen.ErrorCode(err2) != rescreen.ENOTFOUND || rescreen.ErrorMessage(err) == "" {
		t.Errorf("another family's document through OUT: %v; an unknown one: %v", err, err2)
	}
	if _, err := s.NoticeDocument(wide, fams["IN"], n.Document); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("counsel out of scope read the document: %v", err)
	}
	// A token that may read contacts but not identities gets neither the
	// document, which prints the name and A-number, nor the signer's name.
	tok := access.NewContext(context.Background(), access.Principal{User: "counsel-1", Roles: []access.Assignment{counselIN},
		Limit: []access.Need{{Group: access.Contact, Level: access.Read}}})
	if _, err := s.NoticeDocument(tok, fams["IN"], n.Document); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a token without IDENTITY read the document: %v", err)
	}
	signed := rescreen.NoticeRequest{Person: "MANUAL:IN-F", Kind: rescreen.NoticeElectionForm, Language: "es", Mode: rescreen.DeliveryInPerson,
		Signer: "José Ñúñez Pérez", On: rescreen.MustDate("2018-11-19"), Outcome: rescreen.DeliveryDelivered}
	if _, err := s.IssueNotice(as("counsel-1", counselIN), fams["IN"], 0, signed); err != nil {
		t.Fatal(err)
	}
	dos, err := s.GetFamily(tok, fams["IN"])
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range dos.Records.Notices {
		if strings.Contains(x.Signer, "Ñúñez") {
			t.Errorf("a token without IDENTITY reads the signer %q", x.Signer)
		}
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.ToUpper(n.Document)} {
		if _, err := s.NoticeDocument(as("counsel-1", counselIN), fams["IN"], bad); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
			t.Errorf("document %q: %v", bad, err)
		}
	}
}

// TestRecordDelivery: a later outcome changes the notice through the one
// path, keeps its document, and puts the person on the outreach queue
// until the notice is delivered.
func TestRecordDelivery(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := as("counsel-1", counselIN)
	n, err := s.IssueNotice(ctx, fams["IN"], 0, rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeClass,
		Language: "es", Mode: rescreen.DeliveryMail, On: rescreen.MustDate("2018-11-01"), Notes: "sent to the last address"})
	if err != nil {
		t.Fatal(err)
	}
	if n.Outcome != rescreen.DeliveryPending {
		t.Fatalf("a mailed notice's first outcome is %s", n.Outcome)
	}
	if onQueue(t, s, ctx, "MANUAL:IN-M") != nil {
		t.Fatal("a pending notice put the person on the queue")
	}
	before := stateOf(t, s, fams["IN"])
	if _, err := s.RecordDelivery(ctx, fams["IN"], 0, rescreen.DeliveryUpdate{Notice: n.ID, Outcome: "LOST"}); !hasFieldError(err, "outcome", "") {
		t.Fatalf("unknown outcome: %v", err)
	}
	if _, err := s.RecordDelivery(ctx, fams["IN"], 0, rescreen.DeliveryUpdate{Notice: "R-404", Outcome: rescreen.DeliveryReturned}); !hasFieldError(err, "notice", "not a notice of this family") {
		t.Fatalf("unknown notice: %v", err)
	}
	if after := stateOf(t, s, fams["IN"]); !after.same(before) {
		t.Fatal("refused updates changed the store")
	}
	got, err := s.RecordDelivery(ctx, fams["IN"], before.version, rescreen.DeliveryUpdate{Notice: n.ID, Outcome: rescreen.DeliveryReturned, Notes: "returned: no such address"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != rescreen.DeliveryReturned || got.Document != n.Document || got.Notes != "sent to the last address\nreturned: no such address" {
		t.Fatalf("after the update: %+v", got)
	}
	evs, err := s.AuditLog(context.Background(), fams["IN"], 0, 1)
	if err != nil || len(evs) != 1 || evs[0].Action != "notice.delivery" || !strings.Contains(string(evs[0].Before), `"PENDING"`) {
		t.Fatalf("audit: %+v %v", evs, err)
	}
	it := onQueue(t, s, ctx, "MANUAL:IN-M")
	if it == nil || it.NoticeOutcome != rescreen.DeliveryReturned || it.NoticeKind != rescreen.NoticeClass ||
		it.Since != rescreen.MustDate("2018-11-01") || it.Days != 19 || it.Language != "es" {
		t.Fatalf("the returned notice's person on the queue: %+v", it)
	}
	// A contact attempt does not give the notice; its delivery does.
	recordAttempt(t, s, ctx, fams["IN"], "MANUAL:IN-M", "2018-11-19", "REACHED")
	if onQueue(t, s, ctx, "MANUAL:IN-M") == nil {
		t.Fatal("a contact attempt took the undelivered notice off the queue")
	}
	if _, err := s.RecordDelivery(ctx, fams["IN"], 0, rescreen.DeliveryUpdate{Notice: n.ID, Outcome: rescreen.DeliveryDelivered, Signer: "María José López"}); err != nil {
		t.Fatal(err)
	}
	if onQueue(t, s, ctx, "MANUAL:IN-M") != nil {
		t.Fatal("the delivered notice's person is still on the queue")
	}
}

// TestNoticesCannotBeForgedThroughChanges: a change may correct a notice's
// outcome, but never give it a document or alter an issued one.
func TestNoticesCannotBeForgedThroughChanges(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := as("counsel-1", counselIN)
	n, err := s.IssueNotice(ctx, fams["IN"], 0, rescreen.NoticeRequest{Person: "MANUAL:IN-M", Kind: rescreen.NoticeElectionForm,
		Language: "es", Mode: rescreen.DeliveryInPerson, On: rescreen.MustDate("2018-11-19"), Outcome: rescreen.DeliveryDelivered})
	if err != nil {
		t.Fatal(err)
	}
	forged := &rescreen.Notice{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "IN-N9"}, Person: "MANUAL:IN-M", Kind: rescreen.NoticeElectionForm,
		Language: "es", Mode: rescreen.DeliveryMail, On: rescreen.MustDate("2018-11-19"), Outcome: rescreen.DeliveryDelivered, Document: n.Document}
	_, err = s.ApplyChanges(ctx, fams["IN"], 0, []rescreen.Change{{Kind: rescreen.KindNotices, Record: forged}})
	if !hasFieldError(err, "changes[0].record.document_sha256", "") {
		t.Fatalf("a new notice naming a document: %v", err)
	}
	changed := *n
	changed.Language = "en"
	_, err = s.ApplyChanges(ctx, fams["IN"], 0, []rescreen.Change{{Kind: rescreen.KindNotices, Record: &changed}})
	if !hasFieldError(err, "changes[0].record.language", "record a new notice") {
		t.Fatalf("changing an issued notice's language: %v", err)
	}
	changed = *n
	changed.Outcome = rescreen.DeliveryRefused
	if _, err := s.ApplyChanges(ctx, fams["IN"], 0, []rescreen.Change{{Kind: rescreen.KindNotices, Record: &changed}}); err != nil {
		t.Fatalf("correcting an outcome: %v", err)
	}
}
