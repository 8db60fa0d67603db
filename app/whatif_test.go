package app_test

import (
	"context"
	"reflect"
	"testing"

	"rescreen"
	"rescreen/rules"
	"rescreen/sqlstore"
)

// TestWhatIfReadsFactsAndFallsBack compares two rule sets over a stored
// synthetic class. The report must count every family once, match the
// stored determinations under the rules in force, and come out the same
// when some families' facts are missing, corrupt, of another layout or
// older than the family's last change: then the records are read instead.
func TestWhatIfReadsFactsAndFallsBack(t *testing.T) {
	ctx := rescreen.WithActor(context.Background(), "test")
	s := mustService(t)
	a, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = a
	importSyntheticClass(t, s, 300)
	b, err := rules.NewEngine(rules.Params{"cfg.removed_member_counts_as": "OUTSIDE_UNIT"})
	if err != nil {
		t.Fatal(err)
	}
	asOf := rescreen.DateOf(s.Now())
	rep, err := s.WhatIf(ctx, a, b, asOf, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Families != 300 {
		t.Fatalf("what-if counted %d families, want 300", rep.Families)
	}
	if rep.Changed == 0 || rep.Changed != len(rep.Changes) {
		t.Fatalf("what-if: %d changed, %d listed; the rule sets differ on families of this class", rep.Changed, len(rep.Changes))
	}
	// Under the rules in force, as of the day the store was derived, the
	// outcomes are the stored ones.
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, f := range page.Items {
		row, ok, err := s.DB.Determination(ctx, f.ID)
		if err != nil || !ok {
			t.Fatalf("determination of %s: %v %v", f.ID, ok, err)
		}
		stored[row.Outcome]++
	}
	if !reflect.DeepEqual(stored, rep.OutcomesA) {
		t.Fatalf("what-if outcomes under the rules in force %v, stored determinations %v", rep.OutcomesA, stored)
	}
	// Spoil the facts of some families in each way; the report must not
	// change.
	facts := map[rescreen.FamilyID]sqlstore.FactsRow{}
	err = s.DB.EachFacts(ctx, 64, func(rows []sqlstore.FactsRow) error {
		for _, r := range rows {
			facts[r.FamilyID] = r
		}
		return nil
	})
	if err != nil || len(facts) != 300 {
		t.Fatalf("facts of %d families, %v", len(facts), err)
	}
	// A family whose outcome differs from the first's, under both rule sets.
	var other sqlstore.FactsRow
	for _, c := range rep.Changes {
		if c.FamilyID != page.Items[0].ID {
			other = facts[c.FamilyID]
		}
	}
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		for i, f := range page.Items[:40] {
			var err error
			switch i % 4 {
			case 0:
				err = tx.PutFacts(ctx, f.ID, "another-layout", []byte{1, 2, 3})
			case 1:
				err = tx.PutFacts(ctx, f.ID, facts[f.ID].Layout, []byte("corrupt"))
			case 2:
				// Stale: the family changed after its facts were written;
				// here they are even another family's.
				if err = tx.PutFacts(ctx, f.ID, other.Layout, []byte(other.Data)); err == nil {
					err = tx.TouchFamily(ctx, f.ID, s.Now(), false, true)
				}
			case 3:
				err = tx.PutFacts(ctx, f.ID, "", []byte{})
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := s.WhatIf(ctx, a, b, asOf, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep, rep2) {
		t.Fatalf("what-if over spoiled facts differs:\n%+v\n%+v", rep, rep2)
	}
}
