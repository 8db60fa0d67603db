package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
)

var (
	counselCourt = access.Assignment{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"facility:ELP-SPC"}}
	counselFLR   = access.Assignment{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"facility:FLR-SPC"}}
	monitorAll   = access.Assignment{Role: access.Monitor, Scope: access.All}
	adminAll     = access.Assignment{Role: access.Admin, Scope: access.All}
	asylumAll    = access.Assignment{Role: access.AsylumOfficer, Scope: access.All}
)

// at sets the service's clock to noon UTC of the day.
func at(s *app.Service, day string) {
	t := rescreen.MustDate(day).Time().Add(12 * time.Hour)
	s.Now = func() time.Time { return t }
}

// personID returns the record id of the person with the MANUAL source id.
func personID(t *testing.T, s *app.Service, sid string) rescreen.PersonID {
	t.Helper()
	row, ok, err := s.DB.RecordByKey(context.Background(), rescreen.KindPersons, "MANUAL", sid)
	if err != nil || !ok {
		t.Fatalf("person %s: %v %v", sid, ok, err)
	}
	return rescreen.PersonID(row.ID)
}

// fieldsOf returns the fields an EINVALID error names.
func fieldsOf(err error) []string {
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}

// wantField fails unless err is EINVALID naming the field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("got %v, want a problem with %s", err, field)
	}
	for _, f := range fieldsOf(err) {
		if f == field {
			return
		}
	}
	t.Fatalf("problems with %v, want %s: %v", fieldsOf(err), field, err)
}

// unchanged fails if the audit chain moved since head: a refused change
// writes nothing.
func unchanged(t *testing.T, s *app.Service, head int64) {
	t.Helper()
	seq, _, err := s.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if seq != head {
		t.Fatalf("a refused change appended %d audit events", seq-head)
	}
}

func headOf(t *testing.T, s *app.Service) int64 {
	t.Helper()
	seq, _, err := s.AuditHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// lastEvent returns the newest audit event.
func lastEvent(t *testing.T, s *app.Service) rescreen.AuditEvent {
	t.Helper()
	var ev rescreen.AuditEvent
	found := false
	err := s.DB.EachAuditEvent(context.Background(), func(e *rescreen.AuditEvent) error {
		ev, found = *e, true
		return nil
	})
	if err != nil || !found {
		t.Fatalf("no audit event: %v", err)
	}
	return ev
}

func TestCourtCasesAreSeededWithoutDates(t *testing.T) {
	s := mustService(t)
	cases, err := s.CourtCases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cases {
		got = append(got, c.ID+" "+c.Title+" "+c.Court+" "+c.Docket)
		if len(c.Approvals) != 0 {
			t.Errorf("%s has approvals before any was entered: %+v", c.ID, c.Approvals)
		}
	}
	want := []string{
		"MS_L Ms. L. v. ICE S.D. Cal. 3:18-cv-00428-DMS-MDD",
		"MMM M.M.M. v. Sessions S.D. Cal. 3:18-cv-01832",
		"DORA Dora v. Sessions D.D.C. 1:18-cv-01938",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cases:\n%s", strings.Join(got, "\n"))
	}
}

func TestRecordApproval(t *testing.T) {
	s := mustService(t) // today is 2018-11-20
	ctx := rescreen.WithActor(context.Background(), "user:cc-1")
	valid := rescreen.ApprovalInput{Case: "MS_L", Kind: "FINAL", On: rescreen.MustDate("2018-11-15"), Order: "ECF 320"}
	head := headOf(t, s)
	for _, tt := range []struct {
		name  string
		edit  func(*rescreen.ApprovalInput)
		field string
	}{
		{"no case", func(in *rescreen.ApprovalInput) { in.Case = "" }, "case"},
		{"unknown case", func(in *rescreen.ApprovalInput) { in.Case = "FLORES" }, "case"},
		{"no kind", func(in *rescreen.ApprovalInput) { in.Kind = "" }, "kind"},
		{"unknown kind", func(in *rescreen.ApprovalInput) { in.Kind = "TENTATIVE" }, "kind"},
		{"no date", func(in *rescreen.ApprovalInput) { in.On = rescreen.Date{} }, "on"},
		{"in the future", func(in *rescreen.ApprovalInput) { in.On = rescreen.MustDate("2018-11-21") }, "on"},
		{"no order", func(in *rescreen.ApprovalInput) { in.Order = "  " }, "order"},
		{"control characters", func(in *rescreen.ApprovalInput) { in.Order = "ECF\x00320" }, "order"},
		{"a correction of nothing", func(in *rescreen.ApprovalInput) { in.Correction = "typo" }, "correction"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.edit(&in)
			_, err := s.RecordApproval(ctx, in)
			wantField(t, err, tt.field)
			unchanged(t, s, head)
		})
	}
	pre, err := s.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "preliminary", On: rescreen.MustDate("2018-10-09"), Order: "ECF 256"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := lastEvent(t, s); ev.Action != "court.approval" || ev.Subject != "case:MS_L" || ev.Actor != "user:cc-1" || !strings.Contains(string(ev.After), `"ECF 256"`) {
		t.Errorf("audit event %+v", ev)
	}
	// A final approval before the preliminary one is a mistake.
	head = headOf(t, s)
	_, err = s.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "FINAL", On: rescreen.MustDate("2018-10-01"), Order: "ECF 320"})
	wantField(t, err, "on")
	unchanged(t, s, head)
	wrong, err := s.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "FINAL", On: rescreen.MustDate("2018-11-14"), Order: "ECF 320"})
	if err != nil {
		t.Fatal(err)
	}
	// A second final approval corrects the first, and must say why.
	head = headOf(t, s)
	_, err = s.RecordApproval(ctx, valid)
	wantField(t, err, "correction")
	unchanged(t, s, head)
	in := valid
	in.Correction = "The order was entered on 2018-11-15, not 2018-11-14."
	fixed, err := s.RecordApproval(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Corrects != wrong.ID {
		t.Errorf("the correction corrects %q, want %q", fixed.Corrects, wrong.ID)
	}
	if ev := lastEvent(t, s); !strings.Contains(string(ev.Before), "2018-11-14") || !strings.Contains(string(ev.After), "2018-11-15") {
		t.Errorf("the correction's audit event lacks the values before and after: %s / %s", ev.Before, ev.After)
	}
	_, err = s.RecordApproval(ctx, in)
	wantField(t, err, "on") // the same approval again
	cases, err := s.CourtCases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msl := cases[0]
	if len(msl.Approvals) != 2 || msl.Approvals[0].ID != pre.ID || msl.Approvals[1].ID != fixed.ID {
		t.Fatalf("approvals in force: %+v", msl.Approvals)
	}
	if fa := msl.Approval(rescreen.ApprovalFinal); fa == nil || fa.On != rescreen.MustDate("2018-11-15") {
		t.Errorf("final approval in force: %+v", fa)
	}
	if len(msl.Corrected) != 1 || msl.Corrected[0].ID != wrong.ID || msl.Corrected[0].CorrectedBy != fixed.ID {
		t.Errorf("corrected entries: %+v", msl.Corrected)
	}
	if len(cases[1].Approvals) != 0 || len(cases[2].Approvals) != 0 {
		t.Errorf("an approval in Ms. L. approved another case: %+v", cases)
	}
	// A preliminary approval after the final one is refused.
	_, err = s.RecordApproval(ctx, rescreen.ApprovalInput{Case: "MS_L", Kind: "PRELIMINARY", On: rescreen.MustDate("2018-11-16"), Order: "x", Correction: "y"})
	wantField(t, err, "on")
	// The store refuses to change or delete an approval.
	for _, q := range []string{`UPDATE court_approvals SET approved_on = '2018-11-01'`, `DELETE FROM court_approvals`, `DELETE FROM court_cases`} {
		err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, q) })
		if err == nil {
			t.Errorf("the store ran %s", q)
		}
	}
}

func TestRecordObjection(t *testing.T) {
	s, fams := scopedStore(t) // today is 2018-11-20
	ctx := rescreen.WithActor(context.Background(), "user:cc-1")
	parent := personID(t, s, "ELP-P")
	valid := rescreen.ObjectionInput{Case: "MS_L", Name: "Juana Pérez Xol", ReceivedOn: rescreen.MustDate("2018-11-02"), Channel: "MAIL",
		Language: "ES", Summary: "The settlement does nothing for parents deported without their children.", Counsel: "Lic. R. Ortiz"}
	head := headOf(t, s)
	for _, tt := range []struct {
		name  string
		edit  func(*rescreen.ObjectionInput)
		field string
	}{
		{"no case", func(in *rescreen.ObjectionInput) { in.Case = "" }, "case"},
		{"unknown case", func(in *rescreen.ObjectionInput) { in.Case = "X" }, "case"},
		{"no objector", func(in *rescreen.ObjectionInput) { in.Name = "" }, "name"},
		{"a person not on record", func(in *rescreen.ObjectionInput) { in.Person = "P-404" }, "person"},
		{"a record that is not a person", func(in *rescreen.ObjectionInput) { in.Person = string(fams["ELP"]) }, "person"},
		{"no date received", func(in *rescreen.ObjectionInput) { in.ReceivedOn = rescreen.Date{} }, "received_on"},
		{"received in the future", func(in *rescreen.ObjectionInput) { in.ReceivedOn = rescreen.MustDate("2018-12-01") }, "received_on"},
		{"no channel", func(in *rescreen.ObjectionInput) { in.Channel = "" }, "channel"},
		{"unknown channel", func(in *rescreen.ObjectionInput) { in.Channel = "PIGEON" }, "channel"},
		{"bad language", func(in *rescreen.ObjectionInput) { in.Language = "spanish" }, "language"},
		{"no summary", func(in *rescreen.ObjectionInput) { in.Summary = "" }, "summary"},
		{"summary too long", func(in *rescreen.ObjectionInput) { in.Summary = strings.Repeat("a", 20001) }, "summary"},
		{"forwarded before received", func(in *rescreen.ObjectionInput) { in.ForwardedOn = rescreen.MustDate("2018-11-01") }, "forwarded_on"},
		{"forwarded in the future", func(in *rescreen.ObjectionInput) { in.ForwardedOn = rescreen.MustDate("2018-11-21") }, "forwarded_on"},
		{"ruling without date", func(in *rescreen.ObjectionInput) { in.Ruling = "OVERRULED" }, "ruling_on"},
		{"ruling date without ruling", func(in *rescreen.ObjectionInput) { in.RulingOn = rescreen.MustDate("2018-11-15") }, "ruling"},
		{"unknown ruling", func(in *rescreen.ObjectionInput) { in.Ruling, in.RulingOn = "DENIED", rescreen.MustDate("2018-11-15") }, "ruling"},
		{"ruled before forwarded", func(in *rescreen.ObjectionInput) {
			in.ForwardedOn, in.Ruling, in.RulingOn = rescreen.MustDate("2018-11-09"), "OVERRULED", rescreen.MustDate("2018-11-08")
		}, "ruling_on"},
		{"ruled before received", func(in *rescreen.ObjectionInput) {
			in.Ruling, in.RulingOn = "OVERRULED", rescreen.MustDate("2018-11-01")
		}, "ruling_on"},
		{"ruling order without ruling", func(in *rescreen.ObjectionInput) { in.RulingOrder = "ECF 320" }, "ruling_order"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.edit(&in)
			_, err := s.RecordObjection(ctx, in)
			wantField(t, err, tt.field)
			unchanged(t, s, head)
		})
	}
	if os, _ := s.Objections(ctx); len(os) != 0 {
		t.Fatalf("refused objections were written: %+v", os)
	}
	o, err := s.RecordObjection(ctx, valid)
	if err != nil {
		t.Fatal(err)
	}
	if o.Language != "es" || o.Version != 1 || o.Family != "" {
		t.Errorf("recorded %+v", o)
	}
	in := valid
	in.Name, in.Person, in.ReceivedOn, in.Channel = "", string(parent), rescreen.MustDate("2018-11-05"), "COURT_FILING"
	in.ForwardedOn, in.Ruling, in.RulingOn, in.RulingOrder = rescreen.MustDate("2018-11-05"), "OVERRULED", rescreen.MustDate("2018-11-15"), "ECF 320"
	byPerson, err := s.RecordObjection(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if byPerson.Family != fams["ELP"] {
		t.Errorf("the objector's family is %q, want %q", byPerson.Family, fams["ELP"])
	}
	if ev := lastEvent(t, s); ev.Action != "court.objection.add" || ev.FamilyID != fams["ELP"] || ev.Subject != "objection:"+byPerson.ID {
		t.Errorf("audit event %+v", ev)
	}
	os, err := s.Objections(ctx)
	if err != nil || len(os) != 2 || os[0].ID != byPerson.ID || os[1].ID != o.ID {
		t.Fatalf("objections, latest received first: %+v %v", os, err)
	}
	if os[0].PersonName != "Rosa Elena TzulELP" {
		t.Errorf("the objector's name from the record: %q", os[0].PersonName)
	}

	// Forwarding and ruling, later.
	head = headOf(t, s)
	_, err = s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 1, ForwardedOn: rescreen.MustDate("2018-11-06"), Ruling: "OVERRULED", RulingOn: rescreen.MustDate("2018-11-05")})
	wantField(t, err, "ruling_on")
	unchanged(t, s, head)
	_, err = s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 1, ForwardedOn: rescreen.MustDate("2018-11-01")})
	wantField(t, err, "forwarded_on")
	if _, err := s.UpdateObjection(ctx, "OB-404", rescreen.ObjectionUpdate{Version: 1}); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Errorf("an unknown objection: %v", err)
	}
	fwd, err := s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 1, ForwardedOn: rescreen.MustDate("2018-11-06")})
	if err != nil {
		t.Fatal(err)
	}
	if fwd.Version != 2 || fwd.ForwardedOn != rescreen.MustDate("2018-11-06") || fwd.Summary != valid.Summary {
		t.Errorf("forwarded: %+v", fwd)
	}
	if _, err := s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 1, ForwardedOn: rescreen.MustDate("2018-11-07")}); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("a stale version: %v", err)
	}
	if _, err := s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 2, ForwardedOn: rescreen.MustDate("2018-11-06")}); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("a change of nothing: %v", err)
	}
	ruled, err := s.UpdateObjection(ctx, o.ID, rescreen.ObjectionUpdate{Version: 2, ForwardedOn: rescreen.MustDate("2018-11-06"), Ruling: "overruled", RulingOn: rescreen.MustDate("2018-11-15"), RulingOrder: "ECF 320"})
	if err != nil {
		t.Fatal(err)
	}
	if ruled.Ruling != rescreen.RulingOverruled || ruled.Version != 3 {
		t.Errorf("ruled: %+v", ruled)
	}
	ev := lastEvent(t, s)
	var before, after map[string]any
	_ = json.Unmarshal(ev.Before, &before)
	_ = json.Unmarshal(ev.After, &after)
	if ev.Action != "court.objection.update" || before["ruling"] != nil || after["ruling"] != "OVERRULED" || after["version"] != 3.0 {
		t.Errorf("audit of the ruling: %s %s / %s", ev.Action, ev.Before, ev.After)
	}
	// What was received is never changed, nor an objection deleted.
	for _, q := range []string{`UPDATE court_objections SET summary = 'x'`, `UPDATE court_objections SET received_on = '2018-11-03'`, `DELETE FROM court_objections`} {
		if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, q) }); err == nil {
			t.Errorf("the store ran %s", q)
		}
	}
}

// TestCourtAccess: who may change the court's record and who learns who
// objected.
func TestCourtAccess(t *testing.T) {
	s, fams := scopedStore(t)
	ctx := context.Background()
	named, err := s.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MS_L", Name: "Juana Pérez Xol", ReceivedOn: rescreen.MustDate("2018-11-02"),
		Channel: "EMAIL", Summary: "Deported parents are left out."})
	if err != nil {
		t.Fatal(err)
	}
	flrParent := personID(t, s, "FLR-P")
	flrChild := personID(t, s, "FLR-C")
	recorded, err := s.RecordObjection(ctx, rescreen.ObjectionInput{Case: "MMM", Person: "MANUAL:FLR-C", ReceivedOn: rescreen.MustDate("2018-11-03"),
		Channel: "THROUGH_COUNSEL", Summary: "My daughter wants her own interview."})
	if err != nil {
		t.Fatal(err)
	}

	if recorded.Person != flrChild || recorded.PersonKey != "MANUAL:FLR-C" || recorded.Family != fams["FLR"] {
		t.Errorf("an objector given by source key: %+v", recorded)
	}

	// Writing: class counsel and the administrator; officers and the
	// monitor may not.
	in := rescreen.ObjectionInput{Case: "MS_L", Name: "A B", ReceivedOn: rescreen.MustDate("2018-11-02"), Channel: "MAIL", Summary: "x"}
	for _, tt := range []struct {
		who  context.Context
		code string
	}{
		{as("ice-1", iceELP), rescreen.EFORBIDDEN},
		{as("mon-1", monitorAll), rescreen.EFORBIDDEN},
		{as("ao-1", asylumAll), rescreen.EFORBIDDEN},
		{as("adm-1", adminAll), ""},
		{as("cc-1", counselCourt), ""},
	} {
		p, _ := access.FromContext(tt.who)
		head := headOf(t, s)
		_, err := s.RecordObjection(tt.who, in)
		if rescreen.ErrorCode(err) != tt.code {
			t.Errorf("%s records an objection: %v, want %q", p.User, err, tt.code)
		}
		_, err = s.RecordApproval(tt.who, rescreen.ApprovalInput{Case: "DORA", Kind: "PRELIMINARY", On: rescreen.MustDate("2018-10-09"), Order: "ECF 1"})
		if tt.code != "" && rescreen.ErrorCode(err) != tt.code {
			t.Errorf("%s records an approval: %v", p.User, err)
		}
		if tt.code != "" {
			unchanged(t, s, head)
		}
	}
	// A person out of the writer's reach is not on record for them.
	_, err = s.RecordObjection(as("cc-1", counselCourt), rescreen.ObjectionInput{Case: "MS_L", Person: string(flrParent), ReceivedOn: rescreen.MustDate("2018-11-02"), Channel: "MAIL", Summary: "x"})
	wantField(t, err, "person")
	if _, err := s.RecordObjection(as("cc-2", counselFLR), rescreen.ObjectionInput{Case: "MS_L", Person: string(flrParent), ReceivedOn: rescreen.MustDate("2018-11-02"), Channel: "MAIL", Summary: "x"}); err != nil {
		t.Errorf("counsel of the family records its parent's objection: %v", err)
	}
	// An ORR case manager reads the court's record but changes nothing.
	if _, err := s.UpdateObjection(as("orr-1", orrELP), named.ID, rescreen.ObjectionUpdate{Version: 1, ForwardedOn: rescreen.MustDate("2018-11-05")}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("an ORR case manager forwards an objection: %v", err)
	}

	// Reading: the objector is shown to those who may know them.
	find := func(os []rescreen.Objection, id string) rescreen.Objection {
		for _, o := range os {
			if o.ID == id {
				return o
			}
		}
		t.Fatalf("objection %s not listed", id)
		return rescreen.Objection{}
	}
	for _, tt := range []struct {
		who                  context.Context
		namedSeen, childSeen bool
	}{
		{as("cc-1", counselCourt), true, false}, // keeps the objections; the FLR family is out of reach
		{as("cc-2", counselFLR), true, true},
		{as("mon-1", monitorAll), false, false},                                                    // no personal data
		{as("adm-1", adminAll), false, false},                                                      // enters them, reads no identities
		{as("ao-1", asylumAll), false, true},                                                       // reads the family's identities, keeps no objections
		{as("ice-1", iceELP), false, false},                                                        // out of reach, and no minors anyway
		{context.Background(), true, true},                                                         // the process itself
		{as("orr-1", orrELP), false, false},                                                        // out of reach
		{as("cc-3", counselAll), true, true},                                                       // all families
		{as("ao-2", asylumOwn), false, false},                                                      // owns no family here
		{as("ice-2", access.Assignment{Role: access.ICEOfficer, Scope: access.All}), false, false}, // reaches it, but a child's name is MINORS
	} {
		p, _ := access.FromContext(tt.who)
		os, err := s.Objections(tt.who)
		if err != nil {
			t.Fatalf("%s: %v", p.User, err)
		}
		n, c := find(os, named.ID), find(os, recorded.ID)
		if got := !n.Masked && n.Name == "Juana Pérez Xol" && n.Summary != ""; got != tt.namedSeen {
			t.Errorf("%s sees the named objector: %v, want %v (%+v)", p.User, got, tt.namedSeen, n)
		}
		if n.Masked && (n.Name != "J. P. X." || n.Summary != "") {
			t.Errorf("%s: masked objection %+v", p.User, n)
		}
		if got := !c.Masked && c.PersonName == "Yesenia TzulFLR" && c.Summary != ""; got != tt.childSeen {
			t.Errorf("%s sees the child objector: %v, want %v (%+v)", p.User, got, tt.childSeen, c)
		}
		if c.Masked && (strings.Contains(c.PersonName, "Tzul") || c.Summary != "" || c.Person != "" || c.Family != "" || c.PersonKey != "") {
			t.Errorf("%s: masked child objection %+v", p.User, c)
		}
		one, err := s.Objection(tt.who, recorded.ID)
		if err != nil || one.Masked != c.Masked {
			t.Errorf("%s: one objection %+v %v", p.User, one, err)
		}
	}
	if _, err := s.Objections(as("nobody", access.Assignment{Role: "JUDGE", Scope: access.All})); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a principal without COURT lists objections: %v", err)
	}
}

// ledger appends entries through the service, failing on an error.
func ledger(t *testing.T, s *app.Service, ctx context.Context, id string, entries ...rescreen.LedgerInput) *rescreen.CourtDeadline {
	t.Helper()
	var d *rescreen.CourtDeadline
	for _, e := range entries {
		var err error
		if d, err = s.AppendLedgerEntry(ctx, id, e); err != nil {
			t.Fatalf("entry %+v: %v", e, err)
		}
	}
	return d
}

func day(s string) rescreen.Date { return rescreen.MustDate(s) }

// TestCourtDeadlineDueDates works through ledgers by hand, around the
// federal holidays of late 2018 (Thanksgiving on 2018-11-22, Christmas
// on 2018-12-25; the closure of 2018-12-05 for President Bush's funeral
// was an executive order, not a federal holiday, and the calendar leaves
// it out).
func TestCourtDeadlineDueDates(t *testing.T) {
	s := mustService(t)
	at(s, "2018-11-28")
	ctx := context.Background()
	// Ten business days from the final approval (Thursday 2018-11-15):
	// 16, 19, 20, 21, (22 Thanksgiving), 23, 26, 27, 28, 29, 30.
	d, err := s.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "Identify parents removed without their children", Case: "MS_L",
		Order: "ECF 320", OrderOn: day("2018-11-15"), Start: day("2018-11-15"), Length: 10, Unit: "business_days"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Due != day("2018-11-30") || !d.DueKnown || d.BaseDue != day("2018-11-30") || d.State != "OPEN" || d.Remaining != 2 {
		t.Fatalf("base: due %s known %v base %s %s remaining %d", d.Due, d.DueKnown, d.BaseDue, d.State, d.Remaining)
	}
	if ev := lastEvent(t, s); ev.Action != "court.deadline.add" || !strings.Contains(string(ev.After), `"due":"2018-11-30"`) {
		t.Errorf("audit %+v %s", ev, ev.After)
	}
	steps := []struct {
		name  string
		entry rescreen.LedgerInput
		due   string
	}{
		// A stay of two business days (Monday and Tuesday) moves it two
		// business days: Monday 2018-12-03, Tuesday 12-04.
		{"hold", rescreen.LedgerInput{Kind: "HOLD", From: day("2018-11-19"), To: day("2018-11-20"), Reason: "stay pending the status conference", Authority: "ECF 325"}, "2018-12-04"},
		// Five business days more: 5, 6, 7, 10, 11.
		{"extension", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Days: 5, Reason: "joint motion", Authority: "ECF 331"}, "2018-12-11"},
		// The stay revoked: 2018-11-30 plus five business days.
		{"revocation of the hold", rescreen.LedgerInput{Kind: "REVOCATION", Entry: 1, Reason: "entered in the wrong case", Authority: "clerk's notice"}, "2018-12-07"},
		// An open hold over Christmas from 2018-12-24: paused, no due date
		// until lifted; lifted after 2018-12-26 (two business days held,
		// 24 and 26; 25 is a holiday anyway): Dec 7 is before the hold,
		// so nothing moves.
		{"open hold after the due date", rescreen.LedgerInput{Kind: "HOLD", From: day("2018-12-24"), Reason: "shutdown", Authority: "ECF 340"}, "2018-12-07"},
	}
	for i, st := range steps {
		d = ledger(t, s, ctx, d.ID, st.entry)
		if d.Due != day(st.due) || len(d.Ledger) != i+1 {
			t.Fatalf("after the %s: due %s (ledger %d), want %s\n%s", st.name, d.Due, len(d.Ledger), st.due, d.Explanation)
		}
	}
	if d.Ledger[0].RevokedBy != 3 || d.Ledger[1].RevokedBy != 0 {
		t.Errorf("revoked by: %+v", d.Ledger)
	}
	if ev := lastEvent(t, s); ev.Action != "court.deadline.entry" || !strings.Contains(string(ev.After), `"authority":"ECF 340"`) {
		t.Errorf("audit of an entry: %+v %s", ev, ev.After)
	}

	// Refused entries change nothing.
	head := headOf(t, s)
	for _, tt := range []struct {
		name  string
		entry rescreen.LedgerInput
		field string
	}{
		{"no authority", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Days: 3, Reason: "asked for"}, "authority"},
		{"revocation of an entry that does not exist", rescreen.LedgerInput{Kind: "REVOCATION", Entry: 9, Authority: "ECF 1"}, "entry"},
		{"revocation of a revoked entry", rescreen.LedgerInput{Kind: "REVOCATION", Entry: 1, Authority: "ECF 1"}, "entry"},
		{"revocation of a revocation", rescreen.LedgerInput{Kind: "REVOCATION", Entry: 3, Authority: "ECF 1"}, "entry"},
		{"revocation without an entry", rescreen.LedgerInput{Kind: "REVOCATION", Authority: "ECF 1"}, "entry"},
		{"lift of a hold with an end", rescreen.LedgerInput{Kind: "LIFT", Entry: 1, To: day("2018-11-19"), Authority: "ECF 1"}, "entry"},
		{"lift of an extension", rescreen.LedgerInput{Kind: "LIFT", Entry: 2, To: day("2018-12-01"), Authority: "ECF 1"}, "entry"},
		{"lift before the hold began", rescreen.LedgerInput{Kind: "LIFT", Entry: 4, To: day("2018-12-20"), Authority: "ECF 1"}, "to"},
		{"months on a clock of business days", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Months: 1, Authority: "ECF 1"}, "months"},
		{"extension of nothing", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Authority: "ECF 1"}, "days"},
		{"days and a new date", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Days: 2, Until: day("2019-01-10"), Authority: "ECF 1"}, "days"},
		{"extension granted in the future", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-29"), Days: 2, Authority: "ECF 1"}, "on"},
		{"negative days", rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-11-28"), Days: -2, Authority: "ECF 1"}, "days"},
		{"a hold with a revocation's field", rescreen.LedgerInput{Kind: "HOLD", From: day("2018-11-26"), Entry: 2, Authority: "ECF 1"}, "entry"},
		{"a hold without a start", rescreen.LedgerInput{Kind: "HOLD", To: day("2018-11-26"), Authority: "ECF 1"}, "from"},
		{"a hold that ends before it starts", rescreen.LedgerInput{Kind: "HOLD", From: day("2018-11-26"), To: day("2018-11-25"), Authority: "ECF 1"}, "to"},
		{"no kind", rescreen.LedgerInput{Authority: "ECF 1"}, "kind"},
		{"an unknown kind", rescreen.LedgerInput{Kind: "PAUSE", Authority: "ECF 1"}, "kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AppendLedgerEntry(ctx, d.ID, tt.entry)
			wantField(t, err, tt.field)
			unchanged(t, s, head)
		})
	}
	if _, err := s.AppendLedgerEntry(ctx, "CD-404", rescreen.LedgerInput{Kind: "HOLD", From: day("2018-11-26"), Authority: "x"}); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Errorf("an unknown deadline: %v", err)
	}
	again, err := s.CourtDeadline(ctx, d.ID, rescreen.Date{})
	if err != nil || len(again.Ledger) != 4 || again.Due != day("2018-12-07") {
		t.Fatalf("after refusals: %+v %v", again, err)
	}

	// The ledger is append-only in the store itself.
	for _, q := range []string{
		`UPDATE court_deadline_entries SET authority = 'x'`,
		`DELETE FROM court_deadline_entries WHERE n = 4`,
		`UPDATE court_deadlines SET length = 30`,
		`DELETE FROM court_deadlines`,
		`INSERT INTO court_deadline_entries (deadline_id, n, kind, authority, entered_by, entered_at) VALUES ('` + d.ID + `', 7, 'HOLD', 'x', 'x', 'x')`,
		`INSERT INTO court_deadline_entries (deadline_id, n, kind, authority, entered_by, entered_at) VALUES ('` + d.ID + `', 5, 'HOLD', '', 'x', 'x')`,
	} {
		if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, q) }); err == nil {
			t.Errorf("the store ran %s", q)
		}
	}
}

func TestCourtDeadlineClocks(t *testing.T) {
	s := mustService(t)
	ctx := context.Background()
	at(s, "2018-12-10")
	// T-1: thirty calendar days from the final approval: Saturday
	// 2018-12-15. An open hold from 2018-12-01 pauses it; as of
	// 2018-12-10 it would fall on 2018-12-25 if lifted that evening (ten
	// days held).
	t1, err := s.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "Counsel's list of removed parents (T-1)", Case: "MS_L",
		Order: "ECF 320", OrderOn: day("2018-11-15"), Start: day("2018-11-15"), Length: 30, Unit: "CALENDAR_DAYS"})
	if err != nil || t1.Due != day("2018-12-15") {
		t.Fatalf("T-1: %+v %v", t1, err)
	}
	t1 = ledger(t, s, ctx, t1.ID, rescreen.LedgerInput{Kind: "HOLD", From: day("2018-12-01"), Reason: "stay", Authority: "ECF 330"})
	if t1.DueKnown || t1.State != "PAUSED" || t1.Due != day("2018-12-25") {
		t.Fatalf("paused: %+v", t1)
	}
	// Lifted after 2018-12-05: five days held, due 2018-12-20.
	t1 = ledger(t, s, ctx, t1.ID, rescreen.LedgerInput{Kind: "LIFT", Entry: 1, To: day("2018-12-05"), Reason: "stay lifted", Authority: "ECF 333"})
	if !t1.DueKnown || t1.State != "OPEN" || t1.Due != day("2018-12-20") || t1.Ledger[0].LiftedBy != 2 {
		t.Fatalf("lifted: %+v", t1)
	}
	// Revoking the lift opens the hold again.
	t1 = ledger(t, s, ctx, t1.ID, rescreen.LedgerInput{Kind: "REVOCATION", Entry: 2, Reason: "lifted by mistake", Authority: "ECF 334"})
	if t1.DueKnown || t1.State != "PAUSED" || t1.Ledger[0].LiftedBy != 0 {
		t.Fatalf("lift revoked: %+v", t1)
	}

	// COV-21: six months from 2019-04-25 to identify the expanded class,
	// 2019-10-25; one month more, 2019-11-25; then a new date set by
	// order, 2019-12-20, which only later entries move.
	at(s, "2019-10-01")
	m, err := s.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: "Identify the expanded class (COV-21)", Case: "MS_L",
		Order: "ECF 386", OrderOn: day("2019-03-08"), Start: day("2019-04-25"), Length: 6, Unit: "MONTHS"})
	if err != nil || m.Due != day("2019-10-25") {
		t.Fatalf("six months: %+v %v", m, err)
	}
	if m = ledger(t, s, ctx, m.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2019-10-01"), Months: 1, Authority: "ECF 450"}); m.Due != day("2019-11-25") {
		t.Fatalf("a month more: %s", m.Due)
	}
	if m = ledger(t, s, ctx, m.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2019-10-01"), Until: day("2019-12-20"), Authority: "ECF 455"}); m.Due != day("2019-12-20") {
		t.Fatalf("a new date: %s", m.Due)
	}
	if m = ledger(t, s, ctx, m.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2019-10-01"), Days: 10, Authority: "ECF 460"}); m.Due != day("2019-12-30") {
		t.Fatalf("ten days after the new date: %s", m.Due)
	}
	if m = ledger(t, s, ctx, m.ID, rescreen.LedgerInput{Kind: "REVOCATION", Entry: 2, Authority: "ECF 461"}); m.Due != day("2019-12-05") {
		t.Fatalf("the new date revoked: %s (2019-11-25 plus ten days)", m.Due)
	}

	// Bad definitions.
	valid := rescreen.CourtDeadlineInput{Title: "x", Case: "MS_L", Order: "ECF 1", OrderOn: day("2019-03-08"), Start: day("2019-04-25"), Length: 6, Unit: "MONTHS"}
	head := headOf(t, s)
	for _, tt := range []struct {
		name  string
		edit  func(*rescreen.CourtDeadlineInput)
		field string
	}{
		{"no title", func(in *rescreen.CourtDeadlineInput) { in.Title = "" }, "title"},
		{"no case", func(in *rescreen.CourtDeadlineInput) { in.Case = "" }, "case"},
		{"unknown case", func(in *rescreen.CourtDeadlineInput) { in.Case = "FLORES" }, "case"},
		{"no order", func(in *rescreen.CourtDeadlineInput) { in.Order = "" }, "order"},
		{"order in the future", func(in *rescreen.CourtDeadlineInput) { in.OrderOn = day("2019-10-02") }, "order_on"},
		{"no start", func(in *rescreen.CourtDeadlineInput) { in.Start = rescreen.Date{} }, "start"},
		{"negative length", func(in *rescreen.CourtDeadlineInput) { in.Length = -1 }, "length"},
		{"too long", func(in *rescreen.CourtDeadlineInput) { in.Length = 121 }, "length"},
		{"no unit", func(in *rescreen.CourtDeadlineInput) { in.Unit = "" }, "unit"},
		{"unknown unit", func(in *rescreen.CourtDeadlineInput) { in.Unit = "WEEKS" }, "unit"},
		{"an unknown family", func(in *rescreen.CourtDeadlineInput) { in.Family = "F-404" }, "family_id"},
		{"an unknown person", func(in *rescreen.CourtDeadlineInput) { in.Person = "P-404" }, "person"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.edit(&in)
			_, err := s.CreateCourtDeadline(ctx, in)
			wantField(t, err, tt.field)
			unchanged(t, s, head)
		})
	}
}

// TestCourtDeadlineQueues: the overdue and due-soon queues, completion,
// and a deadline about a family only for those who read its status.
func TestCourtDeadlineQueues(t *testing.T) {
	s, fams := scopedStore(t)
	at(s, "2018-12-10") // a Monday
	ctx := context.Background()
	mk := func(title string, start string, n int, unit rescreen.DeadlineUnit, fam rescreen.FamilyID, person rescreen.PersonID) *rescreen.CourtDeadline {
		t.Helper()
		d, err := s.CreateCourtDeadline(ctx, rescreen.CourtDeadlineInput{Title: title, Case: "MS_L", Order: "ECF 320", OrderOn: day("2018-11-15"),
			Start: day(start), Length: n, Unit: unit, Family: fam, Person: string(person)})
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		return d
	}
	late := mk("late", "2018-11-15", 10, "BUSINESS_DAYS", "", "")     // due 2018-11-30: missed
	later := mk("later", "2018-11-20", 10, "CALENDAR_DAYS", "", "")   // due 2018-11-30 too, by id after late
	soon := mk("soon", "2018-12-03", 10, "BUSINESS_DAYS", "", "")     // due 2018-12-17
	edge := mk("edge", "2018-12-10", 14, "BUSINESS_DAYS", "", "")     // 11-14, 17-21, 24, (25), 26-28, 31: due 2018-12-31
	beyond := mk("beyond", "2018-12-10", 15, "BUSINESS_DAYS", "", "") // (2019-01-01) 2019-01-02
	today := mk("today", "2018-12-03", 7, "CALENDAR_DAYS", "", "")    // due today: due soon, not overdue
	met := mk("met", "2018-11-15", 5, "CALENDAR_DAYS", "", "")        // due 2018-11-20, met on 11-19
	paused := mk("paused", "2018-11-15", 20, "CALENDAR_DAYS", "", "") // due 2018-12-05, held since 12-01
	elp := mk("ELP family", "2018-11-15", 3, "CALENDAR_DAYS", fams["ELP"], personID(t, s, "ELP-C"))
	flr := mk("FLR family", "2018-11-15", 3, "CALENDAR_DAYS", "", personID(t, s, "FLR-P"))
	if flr.Family != fams["FLR"] || flr.PersonKey != "MANUAL:FLR-P" {
		t.Fatalf("the family of a deadline given by its person: %q %q", flr.Family, flr.PersonKey)
	}
	if _, err := s.CompleteCourtDeadline(ctx, met.ID, day("2018-11-19")); err != nil {
		t.Fatal(err)
	}
	ledger(t, s, ctx, paused.ID, rescreen.LedgerInput{Kind: "HOLD", From: day("2018-12-01"), Authority: "ECF 330"})

	ids := func(ds []rescreen.CourtDeadline) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Title)
		}
		return strings.Join(out, ", ")
	}
	q, err := s.CourtDeadlines(ctx, rescreen.CourtDeadlineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if q.AsOf != day("2018-12-10") || q.Within != 14 || q.Until != day("2018-12-31") {
		t.Errorf("window: %s + %d = %s", q.AsOf, q.Within, q.Until)
	}
	if got := ids(q.Overdue); got != "ELP family, FLR family, late, later" {
		t.Errorf("overdue: %s", got)
	}
	if got := ids(q.DueSoon); got != "today, soon, edge" {
		t.Errorf("due soon: %s", got)
	}
	if got := ids(q.Other); got != "met, paused, beyond" {
		t.Errorf("others: %s", got)
	}
	_ = late
	_ = later
	_ = soon
	_ = edge
	_ = beyond
	_ = today
	if q, err := s.CourtDeadlines(ctx, rescreen.CourtDeadlineFilter{Within: 5}); err != nil || ids(q.DueSoon) != "today, soon" {
		t.Errorf("five business days: %v %v", q, err)
	}
	for _, w := range []int{-1, 367} {
		if _, err := s.CourtDeadlines(ctx, rescreen.CourtDeadlineFilter{Within: w}); rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("within %d: %v", w, err)
		}
	}

	// Met late, the deadline stays missed but leaves the overdue queue.
	d, err := s.CompleteCourtDeadline(ctx, late.ID, day("2018-12-03"))
	if err != nil || d.State != "MISSED" {
		t.Fatalf("met late: %+v %v", d, err)
	}
	if q, err := s.CourtDeadlines(ctx, rescreen.CourtDeadlineFilter{}); err != nil || ids(q.Overdue) != "ELP family, FLR family, later" || ids(q.Other) != "met, late, paused, beyond" {
		t.Errorf("met late: overdue %s, others %s (%v)", ids(q.Overdue), ids(q.Other), err)
	}
	if _, err := s.CompleteCourtDeadline(ctx, late.ID, day("2018-12-11")); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("met in the future: %v", err)
	}
	if _, err := s.CompleteCourtDeadline(ctx, late.ID, day("2018-11-01")); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("met before the order: %v", err)
	}
	if _, err := s.CompleteCourtDeadline(ctx, late.ID, day("2018-12-03")); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("met again on the same day: %v", err)
	}
	if d, err = s.CompleteCourtDeadline(ctx, soon.ID, day("2018-12-07")); err != nil || d.State != "MET" {
		t.Fatalf("met early: %+v %v", d, err)
	}
	if ev := lastEvent(t, s); ev.Action != "court.deadline.complete" || string(ev.After) != `{"completed_on":"2018-12-07"}` {
		t.Errorf("audit of a completion: %+v %s", ev, ev.After)
	}
	if d, err = s.CompleteCourtDeadline(ctx, soon.ID, rescreen.Date{}); err != nil || d.State != "OPEN" {
		t.Fatalf("completion cleared: %+v %v", d, err)
	}
	if _, err := s.CompleteCourtDeadline(ctx, soon.ID, rescreen.Date{}); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("cleared twice: %v", err)
	}

	// Access: a deadline about a family is for those who read its status.
	for _, tt := range []struct {
		who     context.Context
		overdue string
	}{
		{as("ice-1", iceELP), "ELP family, later"},
		{as("cc-2", counselFLR), "FLR family, later"},
		{as("mon-1", monitorAll), "later"},
		{as("adm-1", adminAll), "later"},
		{as("cc-3", counselAll), "ELP family, FLR family, later"},
	} {
		p, _ := access.FromContext(tt.who)
		q, err := s.CourtDeadlines(tt.who, rescreen.CourtDeadlineFilter{})
		if err != nil {
			t.Fatalf("%s: %v", p.User, err)
		}
		if got := ids(q.Overdue); got != tt.overdue {
			t.Errorf("%s: overdue %s, want %s", p.User, got, tt.overdue)
		}
		_, err = s.CourtDeadline(tt.who, flr.ID, rescreen.Date{})
		if reached := strings.Contains(tt.overdue, "FLR"); reached != (err == nil) || (!reached && rescreen.ErrorCode(err) != rescreen.ENOTFOUND) {
			t.Errorf("%s reads the FLR deadline: %v", p.User, err)
		}
	}
	cc := as("cc-1", counselCourt)
	head := headOf(t, s)
	if _, err := s.AppendLedgerEntry(cc, flr.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-12-10"), Days: 3, Authority: "ECF 9"}); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Errorf("counsel extends a deadline of a family out of reach: %v", err)
	}
	if _, err := s.CompleteCourtDeadline(cc, flr.ID, day("2018-12-10")); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Errorf("counsel completes a deadline of a family out of reach: %v", err)
	}
	_, err = s.CreateCourtDeadline(cc, rescreen.CourtDeadlineInput{Title: "x", Case: "MS_L", Order: "ECF 1", OrderOn: day("2018-11-15"),
		Start: day("2018-11-15"), Length: 3, Unit: "CALENDAR_DAYS", Family: fams["FLR"]})
	wantField(t, err, "family_id")
	_, err = s.CreateCourtDeadline(cc, rescreen.CourtDeadlineInput{Title: "x", Case: "MS_L", Order: "ECF 1", OrderOn: day("2018-11-15"),
		Start: day("2018-11-15"), Length: 3, Unit: "CALENDAR_DAYS", Family: fams["ELP"], Person: "MANUAL:FLR-C"})
	wantField(t, err, "person")
	if _, err := s.AppendLedgerEntry(as("ice-1", iceELP), elp.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-12-10"), Days: 3, Authority: "ECF 9"}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("an ICE officer extends a court-order deadline: %v", err)
	}
	unchanged(t, s, head)
	if d, err := s.AppendLedgerEntry(cc, elp.ID, rescreen.LedgerInput{Kind: "EXTENSION", On: day("2018-12-10"), Days: 3, Authority: "ECF 9"}); err != nil || d.Due != day("2018-11-21") {
		t.Errorf("counsel extends the ELP family's deadline: %+v %v", d, err)
	}
	if ev := lastEvent(t, s); ev.FamilyID != fams["ELP"] || ev.Actor != "system" {
		t.Errorf("the audit event of a family's deadline: %+v", ev)
	}
}

// TestStatusReportCountsTheCourt: SR-17 and SR-18 of the status report
// come from the court's record, as of the report's date, on a
// hand-computed record.
func TestStatusReportCountsTheCourt(t *testing.T) {
	s, _ := scopedStore(t) // today is 2018-11-20
	ctx := context.Background()
	eng, err := rules.NewEngine(rules.Params{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []rescreen.ApprovalInput{
		{Case: "MS_L", Kind: "PRELIMINARY", On: day("2018-10-09"), Order: "ECF 256"},
		{Case: "MS_L", Kind: "FINAL", On: day("2018-11-14"), Order: "ECF 319"},
		{Case: "MS_L", Kind: "FINAL", On: day("2018-11-15"), Order: "ECF 320", Correction: "the order is of the 15th"},
		{Case: "MMM", Kind: "FINAL", On: day("2018-11-16"), Order: "Dkt. 130"},
	} {
		if _, err := s.RecordApproval(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range []rescreen.ObjectionInput{
		{Case: "MS_L", Name: "a", ReceivedOn: day("2018-11-02"), Channel: "MAIL", Summary: "x", ForwardedOn: day("2018-11-05"), Ruling: "OVERRULED", RulingOn: day("2018-11-15")},
		{Case: "MS_L", Name: "b", ReceivedOn: day("2018-11-05"), Channel: "COURT_FILING", Summary: "x", Ruling: "WITHDRAWN", RulingOn: day("2018-11-09")},
		{Case: "DORA", Name: "c", ReceivedOn: day("2018-11-06"), Channel: "EMAIL", Summary: "x", ForwardedOn: day("2018-11-16")},
		{Case: "MMM", Person: "MANUAL:ELP-C", ReceivedOn: day("2018-11-19"), Channel: "THROUGH_COUNSEL", Summary: "x"},
	} {
		if _, err := s.RecordObjection(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		asOf string
		want map[string]int64
	}{
		{"2018-11-15", map[string]int64{
			"SR-17|": 3, "SR-17|forwarded": 1, "SR-17|ruling OVERRULED": 1, "SR-17|ruling WITHDRAWN": 1, "SR-17|ruling pending": 1,
			"SR-18|": 1, "SR-18|Ms. L. v. ICE (S.D. Cal.): approved 2018-11-15": 1, "SR-18|M.M.M. v. Sessions (S.D. Cal.): not approved": 0,
			"SR-18|Dora v. Sessions (D.D.C.): not approved": 0,
		}},
		{"2018-11-20", map[string]int64{
			"SR-17|": 4, "SR-17|forwarded": 2, "SR-17|ruling OVERRULED": 1, "SR-17|ruling WITHDRAWN": 1, "SR-17|ruling pending": 2,
			"SR-18|": 2, "SR-18|M.M.M. v. Sessions (S.D. Cal.): approved 2018-11-16": 1,
		}},
		{"2018-10-01", map[string]int64{"SR-17|": 0, "SR-17|ruling pending": 0, "SR-18|": 0, "SR-18|Ms. L. v. ICE (S.D. Cal.): not approved": 0}},
	} {
		rep, err := s.StatusReport(ctx, eng, day(tt.asOf), 1)
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range tt.want {
			id, group, _ := strings.Cut(k, "|")
			if got, ok := rep.Get(id, group); !ok || got != want {
				t.Errorf("as of %s, %s [%s] = %d (%v), want %d", tt.asOf, id, group, got, ok, want)
			}
		}
		if last := rep.Rows[len(rep.Rows)-1]; last.ID != "SR-18" || last.Metric != "final approvals of the settlement" {
			t.Errorf("the report ends with %v", last)
		}
	}
}

// TestCourtDeadlineOutOfReachIsNotOnRecord: entering a court-order
// deadline about a person or a family out of the writer's reach is
// answered exactly as about one that does not exist, naming the field, so
// that the form cannot probe for persons and the families they belong
// to, as the objection's form cannot.
func TestCourtDeadlineOutOfReachIsNotOnRecord(t *testing.T) {
	s, fams := scopedStore(t)
	at(s, "2018-11-26")
	cc := as("cc-1", counselCourt) // reaches the ELP family, not FLR
	flrParent := string(personID(t, s, "FLR-P"))
	base := rescreen.CourtDeadlineInput{Title: "Report", Case: "MS_L", Order: "ECF 1", OrderOn: day("2018-11-01"),
		Start: day("2018-11-01"), Length: 10, Unit: rescreen.UnitCalendarDays}
	answer := func(who context.Context, person string, family rescreen.FamilyID) map[string]string {
		t.Helper()
		in := base
		in.Person, in.Family = person, family
		head := headOf(t, s)
		_, err := s.CreateCourtDeadline(who, in)
		if rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Fatalf("person %q family %q: %v, want a problem", person, family, err)
		}
		unchanged(t, s, head)
		var ve *rescreen.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("person %q family %q: %v is not a list of problems", person, family, err)
		}
		out := map[string]string{}
		for _, p := range ve.Problems {
			msg := p.Msg
			if person != "" {
				msg = strings.ReplaceAll(msg, person, "PERSON")
			}
			if family != "" {
				msg = strings.ReplaceAll(msg, string(family), "FAMILY")
			}
			out[p.Field] = msg
			if strings.Contains(p.Msg, string(fams["FLR"])) && family != fams["FLR"] {
				t.Errorf("person %q family %q: the answer names the family out of reach: %s", person, family, p.Msg)
			}
		}
		return out
	}
	same := func(what string, got, want map[string]string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v as for one that does not exist", what, got, want)
		}
		for f, m := range want {
			if got[f] != m {
				t.Errorf("%s: %s: %q, want %q as for one that does not exist", what, f, got[f], m)
			}
		}
	}
	notThere := answer(cc, "MANUAL:NO-SUCH", "")
	if notThere["person"] != "person PERSON is not on record" {
		t.Fatalf("a person who does not exist: %v", notThere)
	}
	same("a person out of reach, by key", answer(cc, "MANUAL:FLR-P", ""), notThere)
	same("a person out of reach, by id", answer(cc, flrParent, ""), answer(cc, "P-404", ""))
	same("a person out of reach, with a family in reach", answer(cc, "MANUAL:FLR-P", fams["ELP"]), answer(cc, "MANUAL:NO-SUCH", fams["ELP"]))
	same("a family out of reach", answer(cc, "", fams["FLR"]), answer(cc, "", "F-404"))
	same("a person in reach, with a family out of reach", answer(cc, "MANUAL:ELP-P", fams["FLR"]), answer(cc, "MANUAL:ELP-P", "F-404"))
	if got := answer(cc, "", fams["FLR"]); got["family_id"] != "family FAMILY is not on record" {
		t.Errorf("a family out of reach: %v", got)
	}

	// In reach, the answers say what is wrong, and the deadline is
	// entered with the person's family.
	if got := answer(as("cc-3", counselAll), "MANUAL:FLR-P", fams["ELP"]); got["person"] != "person PERSON is not a member of family FAMILY" {
		t.Errorf("a person of another family, both in reach: %v", got)
	}
	in := base
	in.Person = "MANUAL:ELP-P"
	d, err := s.CreateCourtDeadline(cc, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Family != fams["ELP"] || d.PersonKey != "MANUAL:ELP-P" {
		t.Errorf("a deadline about a person in reach: family %s person %s", d.Family, d.PersonKey)
	}
}
