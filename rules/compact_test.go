package rules

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"rescreen"
)

// TestCompactForms checks that the three ways of evaluating agree: the
// Result of Evaluate, the expansion of a compact result reused from family
// to family, and the outcome alone. A compact result that kept anything of
// the family evaluated before it, or an outcome-only evaluation that took
// another path, fails here.
func TestCompactForms(t *testing.T) {
	e := mustEngine(t, nil)
	r := rand.New(rand.NewPCG(7, 7))
	var reused Compact
	n := 3000
	if testing.Short() {
		n = 500
	}
	for i := 0; i < n; i++ {
		d, asOf := genFamily(r)
		want := e.Evaluate(d, asOf)
		e.EvaluateInto(d, asOf, &reused)
		got := reused.Expand()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("family %d: the expansion of a reused compact result differs from Evaluate", i)
		}
		if o := e.Outcome(d, asOf); o != want.Outcome {
			t.Fatalf("family %d: Outcome = %s, Evaluate gives %s", i, o, want.Outcome)
		}
		if reused.Outcome() != want.Outcome || reused.AsOf() != asOf || reused.Version() != e.Version() {
			t.Fatalf("family %d: compact header %s %s %s", i, reused.Outcome(), reused.AsOf(), reused.Version())
		}
		ms := reused.Members()
		if len(ms) != len(want.Persons) {
			t.Fatalf("family %d: %d members, want %d", i, len(ms), len(want.Persons))
		}
		for k, m := range ms {
			p := want.Persons[k]
			if m.Person != p.Person || m.State != p.State || m.Held != p.Hold.Held || m.HoldRule != p.Hold.Rule {
				t.Fatalf("family %d member %d: summary %+v, result %s %s %v %s", i, k, m, p.Person, p.State, p.Hold.Held, p.Hold.Rule)
			}
		}
		if reused.MissingCount() != len(want.Missing) {
			t.Fatalf("family %d: %d missing facts, want %d", i, reused.MissingCount(), len(want.Missing))
		}
	}
}

// TestFailedEvaluationHoldsEveryone checks the result of an evaluation that
// stops on a bug: manual review, everyone held, the cause explained.
func TestFailedEvaluationHoldsEveryone(t *testing.T) {
	e := mustEngine(t, nil)
	d := &rescreen.Dataset{
		Families: []rescreen.Family{{Meta: rescreen.Meta{ID: "F1", Source: "CBP", SourceID: "fam-1"}}},
		Persons: []rescreen.Person{
			{Meta: rescreen.Meta{ID: "P1", Source: "CBP", SourceID: "p-1"}, Role: rescreen.RoleParent},
			{Meta: rescreen.Meta{ID: "P2", Source: "ORR", SourceID: "c-1"}, Role: rescreen.RoleChild},
		},
	}
	r := e.failed(d, day("2019-01-02")).Expand()
	if r.Outcome != OutcomeManualReview || r.Family != "CBP:fam-1" || r.FamilyID != "F1" || r.Version != e.Version() {
		t.Fatalf("failed result header: %s %s %s", r.Outcome, r.Family, r.FamilyID)
	}
	if len(r.Criteria) != 1 || r.Criteria[0].Rule != "H-1" || r.Criteria[0].Status != NotMet || r.Criteria[0].Detail != failedReason {
		t.Fatalf("failed result criteria: %+v", r.Criteria)
	}
	if len(r.Persons) != 2 || r.Persons[1].Person != "ORR:c-1" {
		t.Fatalf("failed result persons: %+v", r.Persons)
	}
	for _, p := range r.Persons {
		if !p.Hold.Held || p.State != StateManual || p.Hold.LiftCondition != failedLift || p.Coverage != nil {
			t.Fatalf("failed result person: %+v", p)
		}
	}
}

// TestCompactBinary round-trips compact results through their binary form
// and checks that the expansion is unchanged, that another rule-set
// version is refused, and that no truncation or corruption panics.
func TestCompactBinary(t *testing.T) {
	e := mustEngine(t, nil)
	other := mustEngine(t, Params{"cfg.partial_waiver": "HOLD_ALL"})
	r := rand.New(rand.NewPCG(11, 11))
	for i := 0; i < 1500; i++ {
		d, asOf := genFamily(r)
		c := e.EvaluateCompact(d, asOf)
		b, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back, err := e.DecodeCompact(b)
		if err != nil {
			t.Fatalf("family %d: %v", i, err)
		}
		if !reflect.DeepEqual(back.Expand(), c.Expand()) {
			t.Fatalf("family %d: the binary form does not expand to the same result", i)
		}
		if _, err := other.DecodeCompact(b); err != ErrStale {
			t.Fatalf("family %d: another rule set decoded it: %v", i, err)
		}
		if _, err := e.DecodeCompact(append([]byte("RSC1"), b[4:]...)); err != ErrStale {
			t.Fatalf("family %d: a result in the older format is not stale: %v", i, err)
		}
		if i%100 == 0 {
			for n := 0; n < len(b); n++ {
				if _, err := e.DecodeCompact(b[:n]); err == nil {
					t.Fatalf("family %d: %d of %d bytes decoded", i, n, len(b))
				}
			}
		}
	}
	failed, err := e.failed(&rescreen.Dataset{Persons: []rescreen.Person{{Meta: rescreen.Meta{Source: "CBP", SourceID: "p"}}}}, day("2019-01-01")).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.DecodeCompact(failed); err != nil || c.Outcome() != OutcomeManualReview {
		t.Fatalf("the result of a failed evaluation: %v", err)
	}
}

func FuzzDecodeCompact(f *testing.F) {
	e := mustEngine(f, nil)
	r := rand.New(rand.NewPCG(3, 3))
	for range 4 {
		d, asOf := genFamily(r)
		b, err := e.EvaluateCompact(d, asOf).MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(compactMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := e.DecodeCompact(b)
		if err == nil {
			c.Expand() // must not panic on anything DecodeCompact accepts
		}
	})
}
