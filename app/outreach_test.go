package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/synth"
)

var attemptN int

// recordAttempt records a contact attempt by phone through the service.
func recordAttempt(t *testing.T, s *app.Service, ctx context.Context, fam rescreen.FamilyID, person rescreen.Ref, on, outcome string) {
	t.Helper()
	attemptN++
	c := &rescreen.ContactAttempt{Meta: rescreen.Meta{Source: "MANUAL", SourceID: fmt.Sprintf("T-%d", attemptN)}, Person: person,
		On: rescreen.MustDate(on), Channel: "PHONE", Language: "es", Outcome: rescreen.ContactOutcome(outcome), By: "counsel-1"}
	if _, err := s.ApplyChanges(ctx, fam, 0, []rescreen.Change{{Kind: rescreen.KindContacts, Record: c}}); err != nil {
		t.Fatal(err)
	}
}

// queue returns the whole queue as ctx sees it.
func queue(t *testing.T, s *app.Service, ctx context.Context) []rescreen.OutreachItem {
	t.Helper()
	var out []rescreen.OutreachItem
	after := ""
	for {
		p, err := s.Outreach(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			if p.Total != len(out) {
				t.Fatalf("total %d, %d items in all", p.Total, len(out))
			}
			return out
		}
		after = p.Next
	}
}

// onQueue returns the person's item on the queue as ctx sees it, or nil.
func onQueue(t *testing.T, s *app.Service, ctx context.Context, person rescreen.Ref) *rescreen.OutreachItem {
	t.Helper()
	for _, it := range queue(t, s, ctx) {
		if it.Person == person {
			return &it
		}
	}
	return nil
}

// TestOutreachQueue: a removed parent stays on the queue, with the
// attempts made, until an attempt since the removal reaches him; the
// longest unreached come first; each caller sees the families in reach.
func TestOutreachQueue(t *testing.T) {
	s, fams := noticeStore(t)
	ctx := context.Background()
	// The father of OUT was removed earlier, so he has waited longer.
	k := &rescreen.Custody{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "OUT-K3"}, Person: "MANUAL:OUT-F", Kind: rescreen.CustodyRemoved,
		Start: rescreen.MustDate("2018-06-30"), State: "GT"}
	if _, err := s.ApplyChanges(ctx, fams["OUT"], 0, []rescreen.Change{{Kind: rescreen.KindCustody, Record: k}}); err != nil {
		t.Fatal(err)
	}
	q := queue(t, s, ctx)
	if len(q) != 2 || q[0].Person != "MANUAL:OUT-F" || q[1].Person != "MANUAL:IN-F" {
		t.Fatalf("queue %+v", q)
	}
	in := q[1]
	if in.Name != "José Ñúñez Pérez" || in.Role != rescreen.RoleParent || in.Language != "es" || in.Attempts != 0 ||
		!slices.Equal(in.Reasons, []rescreen.OutreachReason{rescreen.OutreachRemoved}) || in.Since != rescreen.MustDate("2018-07-10") ||
		in.Days != 133 || in.FamilyID != fams["IN"] || !in.LastOn.IsZero() {
		t.Fatalf("the removed father: %+v", in)
	}

	// Reach: counsel of IN's organisation and the ORR case manager of
	// its shelter see IN only; an ICE officer has no CONTACT at all.
	for name, c := range map[string]context.Context{"counsel": as("counsel-1", counselIN), "ORR": as("orr-1", orrIN)} {
		if q := queue(t, s, c); len(q) != 1 || q[0].FamilyID != fams["IN"] {
			t.Errorf("%s sees %+v", name, q)
		}
	}
	if _, err := s.Outreach(as("ice-1", iceIN), "", 0); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("ICE officer: %v", err)
	}

	recordAttempt(t, s, ctx, fams["IN"], "MANUAL:IN-F", "2018-08-01", "NO_ANSWER")
	recordAttempt(t, s, ctx, fams["IN"], "MANUAL:IN-F", "2018-07-01", "REACHED") // before the removal
	it := onQueue(t, s, ctx, "MANUAL:IN-F")
	if it == nil || it.Attempts != 2 || it.LastOn != rescreen.MustDate("2018-08-01") || it.LastChannel != "PHONE" || it.LastOutcome != "NO_ANSWER" {
		t.Fatalf("after two attempts: %+v", it)
	}
	recordAttempt(t, s, ctx, fams["IN"], "MANUAL:IN-F", "2018-11-19", "REACHED")
	if it := onQueue(t, s, ctx, "MANUAL:IN-F"); it != nil {
		t.Fatalf("reached, still on the queue: %+v", it)
	}
	// A parent who came back is not sought as removed.
	rr := &rescreen.ReturnRequest{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "OUT-RR"}, Parent: "MANUAL:OUT-F", State: "RETURNED",
		ArrivedOn: rescreen.MustDate("2018-11-02")}
	if _, err := s.ApplyChanges(ctx, fams["OUT"], 0, []rescreen.Change{{Kind: rescreen.KindReturnRequests, Record: rr}}); err != nil {
		t.Fatal(err)
	}
	if q := queue(t, s, ctx); len(q) != 0 {
		t.Fatalf("queue after both were reached or returned: %+v", q)
	}
	for _, bad := range []string{"x", "2018-13-01|F|P", "2018-07-10||"} {
		if _, err := s.Outreach(ctx, bad, 0); rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
	if _, err := s.Outreach(ctx, "", 501); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("limit 501: %v", err)
	}
}

// TestOutreachAgreesWithTheRecords imports a synthetic class with the
// rules in force and checks the projected queue against each family's
// records, as the derivation of an import writes it.
func TestOutreachAgreesWithTheRecords(t *testing.T) {
	s := mustService(t)
	eng, err := rules.NewEngine(rules.Params{})
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	cfg := synth.DefaultConfig()
	cfg.Families = 120
	path := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, path)
	if _, err := importPaths(t, s, app.ImportOptions{}, path); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got := map[rescreen.Ref]rescreen.OutreachItem{}
	for _, it := range queue(t, s, ctx) {
		got[it.Person] = it
	}
	want := 0
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range page.Items {
		d, err := s.GetFamily(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Records.Persons {
			removed := removedUnreached(&d.Records, p)
			it, listed := got[p.Key()]
			if removed != (listed && slices.Contains(it.Reasons, rescreen.OutreachRemoved)) {
				t.Errorf("%s (family %s): removed and unreached %v, listed %+v", p.Key(), f.ID, removed, it)
			}
			if removed {
				want++
			}
		}
	}
	if want == 0 {
		t.Fatal("the synthetic class has no removed parent left unreached: the test tests nothing")
	}
}

// removedUnreached reads the records the way a person working the queue
// would: the parent's custody episodes sorted by start, the last a removal,
// no return, and no REACHED attempt on or after that day.
func removedUnreached(d *rescreen.Dataset, p rescreen.Person) bool {
	if !p.Role.IsAdult() {
		return false
	}
	var eps []rescreen.Custody
	for _, c := range d.Custody {
		if c.Person == p.Key() {
			eps = append(eps, c)
		}
	}
	if len(eps) == 0 {
		return false
	}
	slices.SortStableFunc(eps, func(a, b rescreen.Custody) int { return a.Start.Compare(b.Start) })
	last := eps[len(eps)-1]
	for _, c := range eps {
		// On the same day, an open episode is the current one.
		if c.Start == last.Start && c.End.IsZero() && !last.End.IsZero() {
			last = c
		}
	}
	if last.Kind != rescreen.CustodyRemoved {
		return false
	}
	for _, r := range d.ReturnRequests {
		if r.Parent == p.Key() && (!r.ArrivedOn.IsZero() || r.State == "RETURNED") {
			return false
		}
	}
	for _, c := range d.Contacts {
		if c.Person == p.Key() && c.Outcome == "REACHED" && !c.On.Before(last.Start) {
			return false
		}
	}
	return true
}

func writeSynthClass(t *testing.T, cfg synth.Config, path string) {
	t.Helper()
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	if err := synth.Generate(cfg, jw.WriteDataset); err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOutreachOnlyNoticesToTheMember: whether a member's notice failed is
// decided by the notices addressed to the member, not those sent to
// counsel on the member's behalf. A parent whose class notice came back
// stays on the queue when an interview is booked with notice to counsel
// (the parent still has not been reached), and a notice to counsel that
// comes back does not put the parent on it.
func TestOutreachOnlyNoticesToTheMember(t *testing.T) {
	w := newSchedWorld(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	notice := func(name string, on, recipient string, outcome rescreen.DeliveryOutcome) *rescreen.Notice {
		t.Helper()
		n, err := w.s.IssueNotice(ctx, w.fam[name], 0, rescreen.NoticeRequest{Person: w.ref[name], Kind: rescreen.NoticeClass,
			Language: "es", Mode: rescreen.DeliveryMail, Recipient: recipient, On: rescreen.MustDate(on), Outcome: outcome})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	returned := notice("EARLY", "2018-11-20", "", rescreen.DeliveryReturned)
	it := onQueue(t, w.s, ctx, w.ref["EARLY"])
	if it == nil || it.NoticeID != returned.ID || !slices.Contains(it.Reasons, rescreen.OutreachNoticeFailed) {
		t.Fatalf("the parent whose class notice came back: %+v", it)
	}

	// Booked today (after the returned notice) with notice to counsel.
	b, err := w.s.Schedule(ctx, w.booking("EARLY"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Notices) != 1 || b.Notices[0].Recipient == "" {
		t.Fatalf("the booking's notices: %+v", b.Notices)
	}
	if it := onQueue(t, w.s, ctx, w.ref["EARLY"]); it == nil || it.NoticeID != returned.ID {
		t.Errorf("after the notice to counsel, the unreached parent's row: %+v; want the returned class notice %s", it, returned.ID)
	}
	// Counsel's notice delivered changes nothing either; the parent's
	// own notice delivered takes the parent off.
	if _, err := w.s.RecordDelivery(ctx, w.fam["EARLY"], 0, rescreen.DeliveryUpdate{Notice: b.Notices[0].ID, Outcome: rescreen.DeliveryDelivered}); err != nil {
		t.Fatal(err)
	}
	if it := onQueue(t, w.s, ctx, w.ref["EARLY"]); it == nil {
		t.Error("counsel's notice delivered took the unreached parent off the queue")
	}
	notice("EARLY", "2018-11-26", "", rescreen.DeliveryDelivered)
	if it := onQueue(t, w.s, ctx, w.ref["EARLY"]); it != nil {
		t.Errorf("the parent's own notice delivered, still on the queue: %+v", it)
	}

	// A notice to counsel that came back puts no one on the queue.
	notice("LATE", "2018-11-21", "Ana Ruiz LATE (ACLU)", rescreen.DeliveryReturned)
	if it := onQueue(t, w.s, ctx, w.ref["LATE"]); it != nil {
		t.Errorf("a returned notice to counsel put the parent on the queue: %+v", it)
	}
}
