package app_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
)

// countingRules is an evaluator whose outcome depends on the number of
// negative screenings only, so tests can tell which changes change it.
type countingRules struct{ calls int }

func (c *countingRules) Evaluate(d *rescreen.Dataset, asOf rescreen.Date) *rules.Result {
	c.calls++
	neg := 0
	for _, s := range d.Screenings {
		if s.Result == rescreen.ResultNegative {
			neg++
		}
	}
	out := rules.OutcomePending
	if neg >= 2 {
		out = rules.OutcomeRemovalMay
	}
	return &rules.Result{Family: d.Families[0].Key(), AsOf: asOf, Version: "test-version", Outcome: out}
}
func (c *countingRules) Outcome(d *rescreen.Dataset, asOf rescreen.Date) rules.Outcome {
	return c.Evaluate(d, asOf).Outcome
}
func (c *countingRules) Version() string      { return "test-version" }
func (c *countingRules) Values() rules.Params { return rules.Params{"cfg.example": "x"} }
func (c *countingRules) Rules() []rescreen.Rule {
	return []rescreen.Rule{{ID: "F-4", Title: "Two negatives", Encoded: true}}
}
func (c *countingRules) ParamDefs() []rescreen.RuleParam {
	return []rescreen.RuleParam{{Name: "cfg.example", Default: "x", Kind: "ENUM", Values: []string{"x", "y"}}}
}

func TestEveryChangeIsEvaluatedAndLogged(t *testing.T) {
	s := mustService(t)
	ev := &countingRules{}
	s.Rules = ev
	ctx := rescreen.WithActor(context.Background(), "officer:1")
	p := writeFile(t, "class.json", sampleJSON)
	if _, err := importPaths(t, s, app.ImportOptions{}, p); err != nil {
		t.Fatal(err)
	}
	page, _ := s.ListFamilies(ctx, rescreen.Filter{})
	id := page.Items[0].ID
	decisions := func() int {
		ds, err := s.DB.Decisions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	if n := decisions(); n != 1 {
		t.Fatalf("after the import: %d decisions, want 1", n)
	}
	dos, err := s.GetFamily(ctx, id)
	if err != nil || dos.Determination == nil || dos.Determination.Outcome != rescreen.OutcomePending || dos.Determination.FamilyID != string(id) ||
		dos.Determination.AsOf != rescreen.NewDate(2018, 11, 20) {
		t.Fatalf("dossier %+v, %v", dos, err)
	}
	// Importing the same file again evaluates nothing new.
	if _, err := importPaths(t, s, app.ImportOptions{}, p); err != nil {
		t.Fatal(err)
	}
	if n := decisions(); n != 1 {
		t.Fatalf("after a re-import: %d decisions, want 1", n)
	}
	// A change that leaves the result as it was is evaluated but not logged.
	calls := ev.calls
	change := func(sid string, res rescreen.ScreeningResult) error {
		_, err := s.ApplyChanges(ctx, id, 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &rescreen.Screening{
			Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: sid}, Person: "CBP_E3:P-2", Kind: rescreen.CredibleFear,
			Occasion: rescreen.OccasionChildOwn, Result: res, On: rescreen.NewDate(2018, 11, 12)}}})
		return err
	}
	if err := change("S-9", rescreen.ResultPending); err != nil {
		t.Fatal(err)
	}
	if ev.calls != calls+1 || decisions() != 1 {
		t.Fatalf("calls %d (want %d), decisions %d (want 1)", ev.calls, calls+1, decisions())
	}
	// A change that changes the outcome is logged with what it was before.
	if err := change("S-9", rescreen.ResultNegative); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.DB.Decisions(ctx, id)
	if len(ds) != 2 {
		t.Fatalf("%d decisions, want 2", len(ds))
	}
	last := ds[1]
	if last.Outcome != string(rules.OutcomeRemovalMay) || last.Previous != string(rules.OutcomePending) || last.Actor != "officer:1" ||
		last.Version != "test-version" || last.InputsHash == ds[0].InputsHash || last.AuditSeq <= ds[0].AuditSeq {
		t.Fatalf("decision %+v", last)
	}
	var sum struct {
		Outcome    string `json:"outcome"`
		ResultHash string `json:"result_hash"`
		Members    []struct{ Person, State string }
	}
	if err := json.Unmarshal(last.Result, &sum); err != nil {
		t.Fatal(err)
	}
	cur, _, _ := s.DB.Determination(ctx, id)
	if sum.Outcome != last.Outcome || sum.ResultHash != cur.ResultHash || len(sum.ResultHash) != 64 {
		t.Fatalf("decision summary %+v does not name the stored result %s", sum, cur.ResultHash)
	}
	// A change refused by validation leaves no decision behind.
	if err := change("S-10", "MAYBE"); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("invalid change: %v", err)
	}
	// So does one refused inside the transaction (a person not on record),
	// after the rules already ran for the records before it.
	_, err = s.ApplyChanges(ctx, id, 0, []rescreen.Change{
		{Kind: rescreen.KindScreenings, Record: &rescreen.Screening{Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: "S-11"},
			Person: "CBP_E3:P-1", Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, Result: rescreen.ResultNegative}},
		{Kind: rescreen.KindScreenings, Record: &rescreen.Screening{Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: "S-12"},
			Person: "CBP_E3:NOBODY", Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, Result: rescreen.ResultNegative}},
	})
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("change naming a missing person: %v", err)
	}
	if n := decisions(); n != 2 {
		t.Fatalf("after a refused change: %d decisions, want 2", n)
	}
}

// TestChangedRulesAreAppliedOnNextStart checks that a family evaluated
// under one rule set is evaluated again, and the decision logged, once
// another rule set is in force.
func TestChangedRulesAreAppliedOnNextStart(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	a, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = a
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.MarkOutdated(ctx); err != nil || n != 0 {
		t.Fatalf("nothing changed, yet %d families marked (%v)", n, err)
	}
	b, err := rules.NewEngine(rules.Params{"cfg.partial_waiver": "HOLD_ALL"})
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = b
	if n, err := s.MarkOutdated(ctx); err != nil || n != 1 {
		t.Fatalf("another rule set: %d families marked, want 1 (%v)", n, err)
	}
	if n, err := s.DeriveDirty(ctx, "start-up"); err != nil || n != 1 {
		t.Fatalf("derived %d families, want 1 (%v)", n, err)
	}
	page, _ := s.ListFamilies(ctx, rescreen.Filter{})
	id := page.Items[0].ID
	det, ok, err := s.DB.Determination(ctx, id)
	if err != nil || !ok || det.Version != b.Version() {
		t.Fatalf("determination under %q, want %q (%v %v)", det.Version, b.Version(), ok, err)
	}
	ds, err := s.DB.Decisions(ctx, id)
	if err != nil || len(ds) != 2 || ds[1].Version != b.Version() || ds[1].Cause != "start-up" {
		t.Fatalf("decisions %+v (%v)", ds, err)
	}
	if n, err := s.MarkOutdated(ctx); err != nil || n != 0 {
		t.Fatalf("after the derivation %d families marked (%v)", n, err)
	}
	// Facts written under another layout (a record kind added since) are
	// written again on the next start.
	if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.Exec(ctx, `UPDATE family_facts SET layout = 'an older layout'`)
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.MarkOutdated(ctx); err != nil || n != 1 {
		t.Fatalf("facts of another layout: %d families marked, want 1 (%v)", n, err)
	}
	if n, err := s.DeriveDirty(ctx, "start-up"); err != nil || n != 1 {
		t.Fatalf("derived %d families, want 1 (%v)", n, err)
	}
	if n, err := s.MarkOutdated(ctx); err != nil || n != 0 {
		t.Fatalf("after the facts were written again %d families marked (%v)", n, err)
	}
}

// TestStoredDeterminationIsTheEvaluation checks that a determination kept
// in the rules' compact form reads back as the very result the rules give,
// and that one made under another rule set is evaluated again on read.
func TestStoredDeterminationIsTheEvaluation(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	a, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = a
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	page, _ := s.ListFamilies(ctx, rescreen.Filter{})
	id := page.Items[0].ID
	row, ok, err := s.DB.Determination(ctx, id)
	if err != nil || !ok || row.Format != "compact" {
		t.Fatalf("stored determination: format %q, %v %v", row.Format, ok, err)
	}
	dos, err := s.GetFamily(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := a.Evaluate(&dos.Records, rescreen.DateOf(s.Now()))
	want.FamilyID = string(id)
	if !reflect.DeepEqual(dos.Determination, want) {
		got, _ := json.Marshal(dos.Determination)
		exp, _ := json.Marshal(want)
		t.Fatalf("stored determination differs from the evaluation:\n%s\n%s", got, exp)
	}
	// Under another rule set, without the start-up re-derivation, the
	// family is evaluated on read under the rules in force.
	b, err := rules.NewEngine(rules.Params{"cfg.partial_waiver": "HOLD_ALL"})
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = b
	s.Now = func() time.Time { return time.Date(2019, 2, 1, 9, 0, 0, 0, time.UTC) }
	dos, err = s.GetFamily(ctx, id)
	if err != nil || dos.Determination == nil || dos.Determination.Version != b.Version() || dos.Determination.AsOf != rescreen.NewDate(2019, 2, 1) {
		t.Fatalf("stale determination read as %+v (%v)", dos.Determination, err)
	}
}
