package app_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/linkage"
	"rescreen/synth"
)

// TestLinkReviewWorkflow walks a pair of person records through the
// registry's link states: scored, linked or queued for review by its
// probability, rejected by a reviewer with a reason, kept rejected when
// scored again, undone, and every change audited in one chain.
func TestLinkReviewWorkflow(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "reviewer:7")
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	rec := func(sid string) rescreen.LinkEnd {
		row, ok, err := s.DB.RecordByKey(ctx, rescreen.KindPersons, "CBP_E3", sid)
		if err != nil || !ok {
			t.Fatalf("person %s: %v %v", sid, ok, err)
		}
		return rescreen.LinkEnd{RecordID: row.ID}
	}
	parent, child := rec("P-1"), rec("P-2")
	fields := []rescreen.FieldComparison{{Field: "surname", Left: "López", Right: "López", Level: 8, Label: "exact", Weight: 6.5}}
	scores := []rescreen.LinkScore{
		{Kind: rescreen.LinkParentChild, Left: parent, Right: child, Probability: 0.995, Weight: 7.6, Fields: fields, Model: "m1"},
		// Scored right to left: kept as one pair in canonical order.
		{Kind: rescreen.LinkSamePerson, Left: child, Right: parent, Probability: 0.7, Weight: 1.2, Fields: fields, Model: "m1"},
	}
	head := func() int64 {
		rep, err := s.VerifyAudit(ctx, "")
		if err != nil || !rep.OK() {
			t.Fatalf("audit chain: %+v %v", rep, err)
		}
		return rep.HeadSeq
	}
	before := head()
	sum, err := s.ProposeLinks(ctx, scores, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Linked != 1 || sum.Review != 1 || sum.Scored != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if head() != before+2 {
		t.Fatal("each new candidate's state is one audit event")
	}
	queue, err := s.LinkQueue(ctx, rescreen.LinkFilter{})
	if err != nil || len(queue) != 1 {
		t.Fatalf("review queue: %d, %v", len(queue), err)
	}
	c := queue[0]
	if c.Kind != rescreen.LinkSamePerson || c.State != rescreen.LinkReview || string(c.Left.Key) != "CBP_E3:"+leftKey(parent, child) ||
		c.Left.FamilyID == "" || len(c.Fields) != 1 || c.Fields[0].Label != "exact" {
		t.Fatalf("queued candidate %+v", c)
	}
	// A rejection needs a reason; without one nothing changes.
	mark := head()
	if _, err := s.DecideLink(ctx, c.ID, app.LinkReject, ""); !isCode(err, rescreen.EINVALID) || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("reject without a reason: %v", err)
	}
	if head() != mark {
		t.Fatal("a refused decision wrote to the audit log")
	}
	got, err := s.DecideLink(ctx, c.ID, app.LinkReject, "different birth dates on the ORR intake form")
	if err != nil || got.State != rescreen.LinkRejected || got.DecidedBy != "reviewer:7" {
		t.Fatalf("reject: %+v %v", got, err)
	}
	// Scored again, higher: the reviewer's decision stands.
	scores[1].Probability = 0.999
	sum, err = s.ProposeLinks(ctx, scores[1:], rescreen.DefaultLinkThresholds)
	if err != nil || sum.Kept != 1 || sum.Linked != 0 {
		t.Fatalf("re-scoring a rejected pair: %+v %v", sum, err)
	}
	if q, _ := s.LinkQueue(ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkRejected}}); len(q) != 1 || q[0].Probability != 0.999 {
		t.Fatalf("rejected candidates: %+v", q)
	}
	// Undo returns to the state before the last change.
	got, err = s.DecideLink(ctx, c.ID, app.LinkUndo, "rejected the wrong pair")
	if err != nil || got.State != rescreen.LinkReview {
		t.Fatalf("undo: %+v %v", got, err)
	}
	hist, err := s.DB.LinkDecisions(ctx, c.ID)
	if err != nil || len(hist) != 3 || hist[1].State != rescreen.LinkRejected || hist[2].Previous != rescreen.LinkRejected || hist[2].Actor != "reviewer:7" {
		t.Fatalf("history %+v %v", hist, err)
	}
	// An undecided link in force that scores below the lower threshold is dropped.
	scores[0].Probability = 0.1
	if sum, err = s.ProposeLinks(ctx, scores[:1], rescreen.DefaultLinkThresholds); err != nil || sum.Dropped != 1 {
		t.Fatalf("dropping: %+v %v", sum, err)
	}
	head()
}

// TestProposeLinksRejectsBadInput checks that every problem is named and
// that nothing is written.
func TestProposeLinksRejectsBadInput(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	row, _, _ := s.DB.RecordByKey(ctx, rescreen.KindPersons, "CBP_E3", "P-1")
	family, _, _ := s.DB.RecordByKey(ctx, rescreen.KindFamilies, "CBP_E3", "FAM-1")
	rep, _ := s.VerifyAudit(ctx, "")
	for name, tc := range map[string]struct {
		score rescreen.LinkScore
		th    rescreen.LinkThresholds
		field string
	}{
		"kind":         {rescreen.LinkScore{Kind: "COUSIN", Left: rescreen.LinkEnd{RecordID: row.ID}, Right: rescreen.LinkEnd{RecordID: "x"}, Probability: 0.9, Model: "m"}, rescreen.DefaultLinkThresholds, "scores[0].kind"},
		"probability":  {rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: row.ID}, Right: rescreen.LinkEnd{RecordID: "x"}, Probability: 1.5, Model: "m"}, rescreen.DefaultLinkThresholds, "scores[0].match_probability"},
		"same record":  {rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: row.ID}, Right: rescreen.LinkEnd{RecordID: row.ID}, Probability: 0.9, Model: "m"}, rescreen.DefaultLinkThresholds, "scores[0].right.record_id"},
		"not a person": {rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: row.ID}, Right: rescreen.LinkEnd{RecordID: family.ID}, Probability: 0.9, Model: "m"}, rescreen.DefaultLinkThresholds, ".record_id"},
		"thresholds":   {rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: row.ID}, Right: rescreen.LinkEnd{RecordID: family.ID}, Probability: 0.9, Model: "m"}, rescreen.LinkThresholds{Lower: 0.9, Upper: 0.5}, "thresholds"},
	} {
		_, err := s.ProposeLinks(ctx, []rescreen.LinkScore{tc.score}, tc.th)
		if !isCode(err, rescreen.EINVALID) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: %v (want an error naming %s)", name, err, tc.field)
		}
	}
	after, _ := s.VerifyAudit(ctx, "")
	if after.HeadSeq != rep.HeadSeq {
		t.Fatal("bad input wrote to the audit log")
	}
	if q, err := s.LinkQueue(ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkReview, rescreen.LinkLinked, rescreen.LinkConfirmed, rescreen.LinkRejected, rescreen.LinkDropped}}); err != nil || len(q) != 0 {
		t.Fatalf("bad input left candidates: %d %v", len(q), err)
	}
	if _, err := s.DecideLink(ctx, "L-none", app.LinkConfirm, ""); !isCode(err, rescreen.ENOTFOUND) {
		t.Fatalf("deciding a missing candidate: %v", err)
	}
}

// leftKey returns the source id of whichever of the two records sorts
// first by record id: the left end of a SAME_PERSON candidate.
func leftKey(a, b rescreen.LinkEnd) string {
	if a.RecordID < b.RecordID {
		return "P-1"
	}
	return "P-2"
}

func isCode(err error, code string) bool {
	var e *rescreen.Error
	return errors.As(err, &e) && e.Code == code
}

// TestLinkPersonsFindsDuplicates plants second records of some parents,
// as the detention agency would hold them (accents lost, a new family),
// in a synthetic class, and checks that linkage over the store finds every
// one of them and queues or links few other pairs.
func TestLinkPersonsFindsDuplicates(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	cfg := synth.DefaultConfig()
	cfg.Families = 300
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	planted := map[rescreen.Ref]rescreen.Ref{} // duplicate key -> original key
	n := 0
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		if err := jw.WriteDataset(d); err != nil {
			return err
		}
		if n++; n%15 != 0 {
			return nil
		}
		for _, p := range d.Persons {
			if p.Role != rescreen.RoleParent {
				continue
			}
			fam := rescreen.Family{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "FAM-" + p.SourceID}}
			dup := p
			dup.Meta = rescreen.Meta{Source: rescreen.SourceICE, SourceID: "SUBJ-" + p.SourceID}
			dup.Family = fam.Key()
			dup.GivenNames, dup.FirstSurname, dup.SecondSurname = linkage.Fold(p.GivenNames), linkage.Fold(p.FirstSurname), linkage.Fold(p.SecondSurname)
			planted[dup.Key()] = p.Key()
			extra := &rescreen.Dataset{Families: []rescreen.Family{fam}, Persons: []rescreen.Person{dup}}
			return jw.WriteDataset(extra)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", buf.String())); err != nil {
		t.Fatal(err)
	}
	sum, err := s.LinkPersons(ctx, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.LinkQueue(ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkReview, rescreen.LinkLinked}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	found, other := 0, 0
	for _, c := range all {
		if planted[c.Left.Key] == c.Right.Key || planted[c.Right.Key] == c.Left.Key {
			found++
		} else {
			other++
		}
	}
	t.Logf("%d planted, %+v, found %d, other %d", len(planted), sum, found, other)
	if len(planted) < 10 || found != len(planted) {
		t.Fatalf("found %d of %d planted duplicates", found, len(planted))
	}
	if other > len(planted)/2 {
		t.Fatalf("%d other pairs queued or linked beside %d true ones", other, found)
	}
}

// TestLinkPersonsLeavesRelativesApart runs linkage over a synthetic class
// with one record per person: parents, children and siblings share
// surnames, and none of them may be proposed as one person.
func TestLinkPersonsLeavesRelativesApart(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	cfg := synth.DefaultConfig()
	cfg.Families = 500
	class := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, class)
	if _, err := importPaths(t, s, app.ImportOptions{}, class); err != nil {
		t.Fatal(err)
	}
	sum, err := s.LinkPersons(ctx, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Linked != 0 || sum.Review > 5 {
		all, _ := s.LinkQueue(ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkReview, rescreen.LinkLinked}})
		for _, c := range all {
			t.Logf("%s %.3f %s %s", c.State, c.Probability, c.Left.Key, c.Right.Key)
		}
		t.Fatalf("a class without duplicates: %+v", sum)
	}
}
