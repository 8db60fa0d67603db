package app_test

import (
	"bytes"
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/synth"
)

// rescoreFixture is a synthetic class with second records of four parents,
// as the detention agency would hold them, each in a family of its own,
// linked once by LinkPersons. The first second record has another given
// name, so it is not proposed until it is corrected; the others are exact
// copies.
type rescoreFixture struct {
	s    *app.Service
	ctx  context.Context
	orig [4]rescreen.Ref // the parents' records
	dup  [4]rescreen.Ref // their second records
}

func newRescoreFixture(t *testing.T) *rescoreFixture {
	t.Helper()
	f := newRescoreStore(t)
	if _, err := f.s.LinkPersons(f.ctx, rescreen.DefaultLinkThresholds); err != nil {
		t.Fatal(err)
	}
	if stale := f.stale(t); len(stale) != 0 {
		t.Fatalf("LinkPersons left %d records stale", len(stale))
	}
	f.checkLinked(t)
	return f
}

// checkLinked checks the candidates a first scoring gives the second
// records.
func (f *rescoreFixture) checkLinked(t *testing.T) {
	t.Helper()
	if _, ok := f.candidate(t, 0); ok {
		t.Fatal("a second record with another given name was proposed")
	}
	for i := 1; i < len(f.dup); i++ {
		if c, ok := f.candidate(t, i); !ok || c.State != rescreen.LinkLinked {
			t.Fatalf("exact copy %s of %s: %+v", f.dup[i], f.orig[i], c)
		}
	}
}

// newRescoreStore is the fixture's store before any linkage.
func newRescoreStore(t *testing.T) *rescoreFixture {
	t.Helper()
	f := &rescoreFixture{s: mustService(t), ctx: rescreen.WithActor(context.Background(), "test")}
	cfg := synth.DefaultConfig()
	cfg.Families = 200
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	n, k := 0, 0
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		if err := jw.WriteDataset(d); err != nil {
			return err
		}
		if n++; n%20 != 0 || k == len(f.dup) {
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
			if k == 0 {
				dup.GivenNames = "Wilmer Ovidio"
			}
			f.orig[k], f.dup[k] = p.Key(), dup.Key()
			k++
			return jw.WriteDataset(&rescreen.Dataset{Families: []rescreen.Family{fam}, Persons: []rescreen.Person{dup}})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	if k != len(f.dup) {
		t.Fatalf("planted %d second records", k)
	}
	if _, err := importPaths(t, f.s, app.ImportOptions{}, writeFile(t, "class.json", buf.String())); err != nil {
		t.Fatal(err)
	}
	if stale := f.stale(t); len(stale) < cfg.Families {
		t.Fatalf("after the import %d person records are stale", len(stale))
	}
	return f
}

// stale returns the source keys of the stale person records.
func (f *rescoreFixture) stale(t *testing.T) []rescreen.Ref {
	t.Helper()
	marks, err := f.s.DB.StaleLinks(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []rescreen.Ref
	for id := range marks {
		row, ok, err := f.s.DB.Record(f.ctx, id)
		if err != nil || !ok {
			t.Fatalf("stale record %s: %v %v", id, ok, err)
		}
		out = append(out, rescreen.NewRef(row.Source, row.SourceID))
	}
	slices.Sort(out)
	return out
}

var allLinkStates = []rescreen.LinkState{rescreen.LinkReview, rescreen.LinkLinked, rescreen.LinkConfirmed, rescreen.LinkRejected, rescreen.LinkDropped}

// candidates returns every candidate, in any state.
func (f *rescoreFixture) candidates(t *testing.T) []rescreen.LinkCandidate {
	t.Helper()
	all, err := f.s.LinkQueue(f.ctx, rescreen.LinkFilter{States: allLinkStates, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// candidate returns the candidate between the i-th parent and its second
// record.
func (f *rescoreFixture) candidate(t *testing.T, i int) (rescreen.LinkCandidate, bool) {
	t.Helper()
	for _, c := range f.candidates(t) {
		if c.Left.Key == f.orig[i] && c.Right.Key == f.dup[i] || c.Left.Key == f.dup[i] && c.Right.Key == f.orig[i] {
			return c, true
		}
	}
	return rescreen.LinkCandidate{}, false
}

// change rewrites the person record through ApplyChanges.
func (f *rescoreFixture) change(t *testing.T, key rescreen.Ref, edit func(*rescreen.Person)) {
	t.Helper()
	src, sid := key.Split()
	row, ok, err := f.s.DB.RecordByKey(f.ctx, rescreen.KindPersons, src, sid)
	if err != nil || !ok {
		t.Fatalf("person %s: %v %v", key, ok, err)
	}
	d, err := f.s.GetFamily(f.ctx, row.FamilyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Records.Persons {
		if p.Key() == key {
			edit(&p)
			if _, err := f.s.ApplyChanges(f.ctx, row.FamilyID, d.Version, []rescreen.Change{{Kind: rescreen.KindPersons, Record: &p}}); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("person %s is not in family %s", key, row.FamilyID)
}

func (f *rescoreFixture) person(t *testing.T, key rescreen.Ref) rescreen.Person {
	t.Helper()
	src, sid := key.Split()
	row, ok, err := f.s.DB.RecordByKey(f.ctx, rescreen.KindPersons, src, sid)
	if err != nil || !ok {
		t.Fatalf("person %s: %v %v", key, ok, err)
	}
	p, _, err := f.s.GetPerson(f.ctx, rescreen.PersonID(row.ID))
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

func (f *rescoreFixture) auditHead(t *testing.T) int64 {
	t.Helper()
	rep, err := f.s.VerifyAudit(f.ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
	return rep.HeadSeq
}

// TestRescoreFollowsChangedRecords changes four person records through
// ApplyChanges and re-scores: a record corrected to match its parent's
// gets a candidate, a LINKED pair whose record no longer matches is
// DROPPED with its history, and pairs a reviewer decided stay decided.
func TestRescoreFollowsChangedRecords(t *testing.T) {
	f := newRescoreFixture(t)
	linked, _ := f.candidate(t, 1)
	confirmed, _ := f.candidate(t, 2)
	if _, err := f.s.DecideLink(f.ctx, confirmed.ID, app.LinkConfirm, ""); err != nil {
		t.Fatal(err)
	}
	rejected, _ := f.candidate(t, 3)
	if _, err := f.s.DecideLink(f.ctx, rejected.ID, app.LinkReject, "the officer knows them apart"); err != nil {
		t.Fatal(err)
	}
	confirmed, _ = f.candidate(t, 2)
	rejected, _ = f.candidate(t, 3)

	unlike := func(p *rescreen.Person) {
		p.GivenNames = "Wilmer Ovidio"
		p.BirthDate, _ = rescreen.ParseDate("1961-01-17")
	}
	orig0 := f.person(t, f.orig[0])
	f.change(t, f.dup[0], func(p *rescreen.Person) { p.GivenNames = orig0.GivenNames })
	f.change(t, f.dup[1], unlike)
	f.change(t, f.dup[2], unlike)
	f.change(t, f.dup[3], func(p *rescreen.Person) { p.Country = "" })
	want := slices.Sorted(slices.Values(f.dup[:]))
	if got := f.stale(t); !slices.Equal(got, want) {
		t.Fatalf("stale after the changes: %v, want %v", got, want)
	}

	head := f.auditHead(t)
	sum, err := f.s.Rescore(f.ctx, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", sum)
	if sum.Linked+sum.Review != 1 || sum.Dropped != 1 || sum.Kept != 1 {
		t.Errorf("summary %+v: want one new pair, one dropped, one kept as decided", sum)
	}
	if got := f.stale(t); len(got) != 0 {
		t.Errorf("still stale after Rescore: %v", got)
	}
	if after := f.auditHead(t); after != head+2 {
		t.Errorf("%d audit events, want 2: the new candidate and the drop", after-head)
	}

	c, ok := f.candidate(t, 0)
	if !ok || (c.State != rescreen.LinkLinked && c.State != rescreen.LinkReview) {
		t.Errorf("the corrected record: %+v %v, want a candidate", c, ok)
	}
	model, _, err := f.s.DB.LinkModel(f.ctx)
	if err != nil || c.Model != model || linked.Model != model {
		t.Errorf("scored by %q and %q, the stored model is %q (%v)", linked.Model, c.Model, model, err)
	}

	c, _ = f.candidate(t, 1)
	if c.State != rescreen.LinkDropped || c.ID != linked.ID {
		t.Errorf("the LINKED pair whose record changed: %s", c.State)
	}
	if c.Probability >= linked.Probability {
		t.Errorf("the dropped pair kept probability %g (was %g): its new score is not stored", c.Probability, linked.Probability)
	}
	_, hist, err := f.s.LinkHistory(f.ctx, linked.ID)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history of the dropped pair: %+v %v", hist, err)
	}
	if last := hist[1]; last.State != rescreen.LinkDropped || last.Previous != rescreen.LinkLinked || last.Actor != "test" ||
		!strings.Contains(last.Reason, "do not agree") {
		t.Errorf("history entry of the drop: %+v", last)
	}

	c, _ = f.candidate(t, 2)
	if c.State != rescreen.LinkConfirmed || c.DecidedBy != confirmed.DecidedBy || c.Probability != confirmed.Probability {
		t.Errorf("a confirmed pair whose record no longer matches: %+v", c)
	}
	c, _ = f.candidate(t, 3)
	if c.State != rescreen.LinkRejected || c.Reason != rejected.Reason {
		t.Errorf("a rejected pair scored again: %+v", c)
	}
	for _, id := range []string{confirmed.ID, rejected.ID} {
		if _, hist, _ := f.s.LinkHistory(f.ctx, id); len(hist) != 2 {
			t.Errorf("decided candidate %s has %d history entries, want 2", id, len(hist))
		}
	}
}

// TestRescoreWithNothingStale checks that a run with no stale record
// writes nothing and counts nothing.
func TestRescoreWithNothingStale(t *testing.T) {
	f := newRescoreFixture(t)
	before, head := f.candidates(t), f.auditHead(t)
	sum, err := f.s.Rescore(f.ctx, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	if sum != (app.LinkSummary{}) {
		t.Errorf("summary %+v, want zero", sum)
	}
	if !reflect.DeepEqual(f.candidates(t), before) || f.auditHead(t) != head {
		t.Error("a run with nothing stale changed candidates or the audit log")
	}
}

// TestRescoreKeepsRecordsWrittenMeanwhile writes two person records
// between a run's reads and its transaction, one already stale and one
// not: both stay stale, and the next run scores them.
func TestRescoreKeepsRecordsWrittenMeanwhile(t *testing.T) {
	f := newRescoreFixture(t)
	orig0 := f.person(t, f.orig[0])
	f.change(t, f.dup[0], func(p *rescreen.Person) { p.GivenNames = orig0.GivenNames })
	f.change(t, f.dup[3], func(p *rescreen.Person) { p.Country = "" })
	if got := f.stale(t); len(got) != 2 {
		t.Fatalf("stale: %v", got)
	}
	sum, err := f.s.RescoreAfterRead(f.ctx, rescreen.DefaultLinkThresholds, func() {
		f.change(t, f.dup[0], func(p *rescreen.Person) { p.SecondSurname = "" })
		f.change(t, f.dup[1], func(p *rescreen.Person) { p.Country = "" })
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := f.candidate(t, 0); !ok || sum.Scored != 2 {
		t.Errorf("summary %+v, candidate of the corrected record %+v %v: want it and the changed pair scored", sum, c, ok)
	}
	want := slices.Sorted(slices.Values([]rescreen.Ref{f.dup[0], f.dup[1]}))
	if got := f.stale(t); !slices.Equal(got, want) {
		t.Fatalf("stale after the run: %v, want %v (written meanwhile)", got, want)
	}
	marks, _ := f.s.DB.StaleLinks(f.ctx)
	if _, err := f.s.Rescore(f.ctx, rescreen.DefaultLinkThresholds); err != nil {
		t.Fatal(err)
	}
	if got := f.stale(t); len(got) != 0 {
		t.Errorf("the next run left %v stale (marks were %v)", got, slices.Collect(maps.Keys(marks)))
	}
}

// TestRescoreWithoutModel checks that a store never linked (imported
// without --link) is scored by a model trained as LinkPersons trains it,
// which is then stored.
func TestRescoreWithoutModel(t *testing.T) {
	f := newRescoreStore(t)
	if _, _, err := f.s.DB.LinkModel(f.ctx); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Fatalf("a model before any linkage: %v", err)
	}
	sum, err := f.s.Rescore(f.ctx, rescreen.DefaultLinkThresholds)
	if err != nil {
		t.Fatal(err)
	}
	f.checkLinked(t)
	if got := f.stale(t); len(got) != 0 {
		t.Errorf("still stale: %d records", len(got))
	}
	c, _ := f.candidate(t, 1)
	if model, _, err := f.s.DB.LinkModel(f.ctx); err != nil || model != c.Model {
		t.Errorf("stored model %q (%v), candidates scored by %q; summary %+v", model, err, c.Model, sum)
	}
}
