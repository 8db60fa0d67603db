package rules

import (
	"strings"
	"testing"

	"rescreen"
)

// The reviewer's cases: each one released a family it must not release.
// reviewBase is SC-02's family, which correctly gives REMOVAL_MAY_PROCEED.
func reviewBase() *fb {
	return baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
}

func reviewEval(t *testing.T, f *fb, p Params) *Result {
	t.Helper()
	return mustEngine(t, p).Evaluate(f.dataset(), day(asOf2019))
}

func notReleased(t *testing.T, r *Result, want Outcome) {
	t.Helper()
	if r.Outcome == OutcomeRemovalMay {
		t.Fatalf("family released: outcome REMOVAL_MAY_PROCEED")
	}
	wantOutcome(t, r, want)
}

func TestReviewBaseline(t *testing.T) {
	wantOutcome(t, reviewEval(t, reviewBase(), nil), OutcomeRemovalMay)
}

// A1: a positive screening under any occasion keeps the family.
func TestReviewA1PositiveAnyOccasion(t *testing.T) {
	for _, tt := range []struct {
		name, person string
		occ          rescreen.Occasion
	}{
		{"parent CHILD_OWN", "P-1", rescreen.OccasionChildOwn},
		{"parent ON_RETURN never removed", "P-1", rescreen.OccasionReturnBorder},
		{"child ON_RETURN", "P-2", rescreen.OccasionReturnBorder},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := reviewBase().screen("X-1", tt.person, tt.occ, rescreen.ResultPositive, "2018-12-10", "2018-12-12")
			r := reviewEval(t, f, nil)
			notReleased(t, r, OutcomeStays)
			wantState(t, r, tt.person, StatePositive)
		})
	}
	t.Run("older stray positive", func(t *testing.T) {
		f := reviewBase().screen("X-1", "P-1", rescreen.OccasionChildOwn, rescreen.ResultPositive, "2018-11-01", "2018-11-02")
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-1", StateManual)
		if c := criterion(person(t, r, "P-1").StateCriteria, "F-1"); c == nil || !strings.Contains(c.Detail, "CHILD_INTERVIEW") && !strings.Contains(c.Detail, string(rescreen.OccasionChildOwn)) {
			t.Errorf("the stray positive is not explained: %+v", c)
		}
	})
}

// A2: settlement determinations dated before the settlement, the initial
// negative or the separation do not finish the member.
func TestReviewA2DatesOfDeterminations(t *testing.T) {
	t.Run("review before the agreement was lodged", func(t *testing.T) {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-09-05").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-1", StateManual)
	})
	t.Run("review before the initial negative", func(t *testing.T) {
		f := reviewBase()
		f.scr("CF-1").On, f.scr("CF-1").DecidedOn = day("2018-12-01"), day("2018-12-03")
		r := reviewEval(t, f, nil)
		if r.Outcome == OutcomeRemovalMay {
			t.Fatal("released")
		}
		wantState(t, r, "P-1", StateManual)
	})
	t.Run("child interview before entry", func(t *testing.T) {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-05-20")
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-2", StateManual)
	})
	t.Run("child interview before separation", func(t *testing.T) {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").screen("R-2", "P-2", rescreen.OccasionChildOwn, rescreen.ResultNegative, "2018-06-02", "2018-06-02")
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-2", StateManual)
	})
}

// waiverFamily has both members elect Option B; the child is born as
// given.
func waiverFamily(childBorn string, signer rescreen.SignerRole) *fb {
	f := baseFamily()
	f.p("P-2").BirthDate = day(childBorn)
	f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
	f.elect("E-2", "P-2", rescreen.ChoiceReturn, signer, "2018-11-20")
	return f
}

// A3: who may sign, W3 for a legal representative, and the signing parent.
func TestReviewA3Signers(t *testing.T) {
	t.Run("parent signs for a child under 14", func(t *testing.T) {
		r := reviewEval(t, waiverFamily("2009-03-01", rescreen.SignerParent), nil)
		wantOutcome(t, r, OutcomeRemovalMay)
		if v := election(t, r, "P-2", "E-2").Validity; v != valValid {
			t.Errorf("validity %s", v)
		}
	})
	for _, signer := range []rescreen.SignerRole{rescreen.SignerParent, rescreen.SignerLegalRep} {
		t.Run(string(signer)+" signs for a capable 16-year-old", func(t *testing.T) {
			r := reviewEval(t, waiverFamily("2002-07-01", signer), nil)
			notReleased(t, r, OutcomePending)
			e := election(t, r, "P-2", "E-2")
			if e.Validity != valInvalid {
				t.Errorf("validity %s", e.Validity)
			}
			wantCriterion(t, e.Criteria, "W4", NotMet)
			wantState(t, r, "P-2", StatePending)
		})
	}
	t.Run("legal representative signs for a child who lacks capacity", func(t *testing.T) {
		f := waiverFamily("2002-07-01", rescreen.SignerLegalRep)
		f.p("P-2").LacksCapacity = yes()
		r := reviewEval(t, f, nil)
		if v := election(t, r, "P-2", "E-2").Validity; v != valValid {
			t.Errorf("validity %s", v)
		}
	})
	t.Run("legal representative, form read in a language the member does not understand", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerLegalRep)
		f.el("E-2").Language = "en"
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomePending)
		e := election(t, r, "P-2", "E-2")
		if e.Validity != valInvalid {
			t.Errorf("validity %s", e.Validity)
		}
		wantCriterion(t, e.Criteria, "W3", NotMet)
	})
	t.Run("signing parent is not a parent of the child", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerParent)
		f.el("E-2").Signer = "Someone Else"
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		if v := election(t, r, "P-2", "E-2").Validity; v != valManual {
			t.Errorf("validity %s", v)
		}
		wantState(t, r, "P-2", StateManual)
	})
	t.Run("signing parent not named", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerParent)
		f.el("E-2").Signer = ""
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeNeedsInfo)
		if v := election(t, r, "P-2", "E-2").Validity; v != valNeeds {
			t.Errorf("validity %s", v)
		}
	})
}

// A4: an Option B signed before the election form existed.
func TestReviewA4FormBeforeItExisted(t *testing.T) {
	f := baseFamily()
	f.p("P-2").BirthDate = day("2002-07-01")
	f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-09-20")
	f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-09-20")
	r := reviewEval(t, f, nil)
	notReleased(t, r, OutcomePending)
	for _, p := range []string{"P-1", "P-2"} {
		e := election(t, r, p, "E-"+p[2:])
		if e.Validity != valInvalid {
			t.Errorf("%s validity %s", p, e.Validity)
		}
		wantCriterion(t, e.Criteria, "W1", NotMet)
		wantState(t, r, p, StatePending)
	}
	// The date is a parameter.
	r = reviewEval(t, f, Params{"cfg.election_form_from": "2018-09-12"})
	if v := election(t, r, "P-1", "E-1").Validity; v != valValid {
		t.Errorf("with the form from 2018-09-12: validity %s", v)
	}
}

// A5: a parent removed and returned needs a screening after the return.
func TestReviewA5ReturnedParent(t *testing.T) {
	f := reviewBase()
	for i := range f.d.Custody {
		if f.d.Custody[i].SourceID == "C-3" {
			f.d.Custody[i].End = day("2018-12-01")
		}
	}
	f.custody("C-9", "P-1", rescreen.CustodyRemoved, "2018-12-01", "")
	withReturnRequest(f, "2018-12-05")
	f.d.ReturnRequests[0].State = "RETURNED"
	f.d.ReturnRequests[0].ArrivedOn = day("2018-12-20")
	r := reviewEval(t, f, nil)
	if r.Outcome == OutcomeRemovalMay {
		t.Fatal("released on the negative made before the removal")
	}
	wantState(t, r, "P-1", StatePending)
}

// Lesser cases.
func TestReviewLesser(t *testing.T) {
	t.Run("vacated IJ order is no review", func(t *testing.T) {
		for _, st := range []rescreen.ProceedingStatus{"VACATED", "SUPERSEDED_BY_NTA"} {
			f := reviewBase().proceeding("IJ-1", "P-1", rescreen.ProcIJOrder, "2018-12-05", st)
			r := reviewEval(t, f, Params{"cfg.ij_review_available": "YES"})
			notReleased(t, r, OutcomePending)
			wantState(t, r, "P-1", StatePending)
		}
		f := reviewBase().proceeding("IJ-1", "P-1", rescreen.ProcIJOrder, "2018-12-05", "ACTIVE")
		wantOutcome(t, reviewEval(t, f, Params{"cfg.ij_review_available": "YES"}), OutcomeRemovalMay)
	})
	t.Run("hold text of a member out of the unit", func(t *testing.T) {
		// P-3 was an adult when separated: not covered, outside the unit.
		f := reviewBase().addChild("P-3", "1999-01-01")
		r := reviewEval(t, f, nil)
		if r.Outcome != OutcomeRemovalMay {
			t.Skipf("outcome %s", r.Outcome)
		}
		wantState(t, r, "P-3", StateOutside)
		h := person(t, r, "P-3").Hold
		if strings.Contains(h.Reason, "every member of the unit finished") {
			t.Errorf("out-of-unit member's hold reason: %q", h.Reason)
		}
	})
	t.Run("child determination cites the child rules", func(t *testing.T) {
		r := reviewEval(t, reviewBase(), nil)
		cs := person(t, r, "P-2").StateCriteria
		if criterion(cs, "R-P8") != nil {
			t.Errorf("the child's determination cites R-P8")
		}
		wantCriterion(t, cs, "R-C2", Met)
	})
	t.Run("open asylum application holds the family", func(t *testing.T) {
		f := reviewBase().proceeding("A-1", "P-2", rescreen.ProcAsylumAppl, "2018-12-20", "ACTIVE")
		r := reviewEval(t, f, nil)
		notReleased(t, r, OutcomeStays)
		wantState(t, r, "P-2", StateIn240)
		wantHeld(t, r, "P-1", true, "")
	})
}
