package rules

import (
	"strings"
	"testing"

	"rescreen"
)

// The second review's cases. Each one released a family (or lifted a
// member's hold) that must not be released, or skipped a missing fact
// instead of reporting it. reviewBase (SC-02's family) is the released
// baseline that each case damages.

// eval2At evaluates f as of asOf and checks that the outcome-only
// evaluation (what-if) gives the same outcome.
func eval2At(t *testing.T, f *fb, p Params, asOf string) *Result {
	t.Helper()
	e := mustEngine(t, p)
	r := e.Evaluate(f.dataset(), day(asOf))
	if o := e.Outcome(f.dataset(), day(asOf)); o != r.Outcome {
		t.Errorf("Outcome gives %s, Evaluate %s", o, r.Outcome)
	}
	return r
}

// eval2 is eval2At as of asOf2019, the reviewers' date.
func eval2(t *testing.T, f *fb, p Params) *Result {
	t.Helper()
	return eval2At(t, f, p, asOf2019)
}

// notReleasedNeeds checks that the family is NEEDS_INFORMATION and names
// the missing fact.
func notReleasedNeeds(t *testing.T, r *Result, fact string) {
	t.Helper()
	notReleased(t, r, OutcomeNeedsInfo)
	for _, m := range r.Missing {
		if m == fact {
			return
		}
	}
	t.Errorf("missing facts %v do not name %s", r.Missing, fact)
}

// returnedFamily removes member id on 2018-12-01 and brings the member back
// on 2018-12-20: the parent by a return request that arrived, a child by a
// screening on return.
func returnedFamily(f *fb, id string) *fb {
	open := map[string]string{"P-1": "C-3", "P-2": "C-6"}[id]
	for i := range f.d.Custody {
		if f.d.Custody[i].SourceID == open {
			f.d.Custody[i].End = day("2018-12-01")
		}
	}
	f.custody("C-9", id, rescreen.CustodyRemoved, "2018-12-01", "")
	if id == "P-1" {
		withReturnRequest(f, "2018-12-05")
		f.d.ReturnRequests[0].State = "RETURNED"
		f.d.ReturnRequests[0].ArrivedOn = day("2018-12-20")
	} else {
		f.screen("X-9", id, rescreen.OccasionReturnBorder, rescreen.ResultNegative, "2018-12-20", "2018-12-20")
	}
	return f
}

// B1: A2's date checks were skipped when the date they compare with was
// not recorded (the child's or the parent's entry date, the separation
// date), so the family was released on a determination that could predate
// the entry. The missing date is now a missing fact.
func TestReview2B1DateChecksNeedTheDates(t *testing.T) {
	t.Run("child's entry date not recorded", func(t *testing.T) {
		f := reviewBase()
		f.p("P-2").EntryDate = rescreen.Date{}
		r := eval2(t, f, nil)
		notReleasedNeeds(t, r, "persons[CBP_E3:P-2].entry_date")
		wantState(t, r, "P-2", StateUnknown)
		wantCriterion(t, person(t, r, "P-2").StateCriteria, "R-C2", Unknown)
	})
	t.Run("parent's entry date not recorded", func(t *testing.T) {
		f := reviewBase()
		f.p("P-1").EntryDate = rescreen.Date{}
		r := eval2(t, f, nil)
		notReleasedNeeds(t, r, "persons[CBP_E3:P-1].entry_date")
		wantState(t, r, "P-1", StateUnknown)
	})
	t.Run("separation date not recorded", func(t *testing.T) {
		f := reviewBase()
		f.sep("S-1").On = rescreen.Date{}
		r := eval2(t, f, nil)
		notReleasedNeeds(t, r, "separations[CBP_E3:S-1].on")
		wantState(t, r, "P-2", StateUnknown)
	})
	t.Run("negative first screening undated", func(t *testing.T) {
		f := reviewBase()
		f.scr("CF-1").On, f.scr("CF-1").DecidedOn = rescreen.Date{}, rescreen.Date{}
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeNeedsInfo)
		wantState(t, r, "P-1", StateUnknown)
	})
}

// B2: A2 compared a parent's review only with the agreement and the first
// negative, and a child's determination only with the child's entry and
// separation by occasion, so a review dated before the parent entered, a
// child's SETTLEMENT_REVIEW before the child entered, a child interview
// held before the agreement existed (the "earlier negative" R-C2 re-
// interviews), or one before the child's own negative first screening
// finished the member.
func TestReview2B2DeterminationsTooEarly(t *testing.T) {
	t.Run("parent's review before the parent entered", func(t *testing.T) {
		f := reviewBase()
		f.p("P-1").EntryDate = day("2018-12-01")
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-1", StateManual)
	})
	t.Run("child's settlement review before the child entered", func(t *testing.T) {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").
			screen("R-2", "P-2", rescreen.OccasionSettlement, rescreen.ResultNegative, "2018-11-27", "2018-11-29")
		f.p("P-2").EntryDate = day("2018-12-01")
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-2", StateManual)
	})
	t.Run("child interview before the agreement was lodged", func(t *testing.T) {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-08-20")
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-2", StateManual)
		if c := criterion(person(t, r, "P-2").StateCriteria, "R-C2"); c == nil || !strings.Contains(c.Detail, "lodged") {
			t.Errorf("the date check is not explained: %+v", c)
		}
	})
	t.Run("child interview before the child's negative first screening", func(t *testing.T) {
		f := reviewBase().screen("CF-2", "P-2", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-12-01", "2018-12-02")
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		wantState(t, r, "P-2", StateManual)
	})
}

// B3: of several determinations on the latest day with the same rank, the
// first in the records governed: a second record of the same day that is
// not final, noncompliant, incomplete, or (for a parent) NO_CLAIM was
// skipped or not, depending on the order of the records.
func TestReview2B3SameDayDeterminations(t *testing.T) {
	damage := map[string]func(s *rescreen.Screening){
		"finality not recorded": func(s *rescreen.Screening) { s.Final = nil },
		"not final":             func(s *rescreen.Screening) { s.Final = no() },
		"noncompliant (R-P5)": func(s *rescreen.Screening) {
			s.ReliesOnInconsistency, s.PsychStateConsidered = yes(), no()
		},
		"inconsistency not recorded": func(s *rescreen.Screening) { s.ReliesOnInconsistency = nil },
		"parent NO_CLAIM":            func(s *rescreen.Screening) { s.Result = rescreen.ResultNoClaim },
	}
	for name, fn := range damage {
		for _, first := range []bool{true, false} {
			t.Run(name+map[bool]string{true: ", listed first", false: ", listed last"}[first], func(t *testing.T) {
				f := reviewBase().screen("R-1b", "P-1", rescreen.OccasionSettlement, rescreen.ResultNegative, "2018-11-25", "2018-11-28")
				fn(f.scr("R-1b"))
				if first {
					s := f.d.Screenings
					for i := range s {
						if s[i].SourceID == "R-1" {
							s[i], s[len(s)-1] = s[len(s)-1], s[i]
						}
					}
				}
				r := eval2(t, f, nil)
				if r.Outcome == OutcomeRemovalMay {
					t.Fatalf("released on the other record of the same day")
				}
				if st := person(t, r, "P-1").State; st == StateNegative {
					t.Errorf("P-1 state %s", st)
				}
			})
		}
	}
}

// B4: W3 for a form a parent signed. An interpreter was checked against
// the member's languages only, so a signing parent who understood neither
// the form's language nor the interpreter's made a "knowing" waiver; and a
// member whose languages are not recorded was taken to understand through
// the parent. The conservative reading: the signing parent and the member
// must each understand the form's language or the interpreter's, and a
// member's unrecorded languages are a missing fact.
func TestReview2B4W3ParentSigner(t *testing.T) {
	t.Run("interpreted into a language only the child understands", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerParent)
		f.p("P-1").Languages = []string{"mam"}
		f.el("E-1").Language, f.el("E-1").Interpreter = "en", "mam"
		f.el("E-2").Language, f.el("E-2").Interpreter = "en", "es"
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomePending)
		e := election(t, r, "P-2", "E-2")
		if e.Validity != valInvalid {
			t.Errorf("validity %s", e.Validity)
		}
		wantCriterion(t, e.Criteria, "W3", NotMet)
		if v := election(t, r, "P-1", "E-1").Validity; v != valValid {
			t.Errorf("the parent's own form, interpreted into Mam: %s", v)
		}
	})
	t.Run("child's languages not recorded", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerParent)
		f.p("P-2").Languages = nil
		r := eval2(t, f, nil)
		notReleasedNeeds(t, r, "persons[CBP_E3:P-2].languages")
		if v := election(t, r, "P-2", "E-2").Validity; v != valNeeds {
			t.Errorf("validity %s", v)
		}
	})
	t.Run("child understands through the interpreter, parent directly", func(t *testing.T) {
		f := waiverFamily("2009-03-01", rescreen.SignerParent)
		f.p("P-2").Languages = []string{"mam"}
		f.el("E-2").Interpreter = "mam"
		r := eval2(t, f, nil)
		wantOutcome(t, r, OutcomeRemovalMay)
		wantCriterion(t, election(t, r, "P-2", "E-2").Criteria, "W3", Met)
	})
}

// withAlias records a name variant of person id.
func withAlias(f *fb, nid, id, given, surname string) *fb {
	f.d.Names = append(f.d.Names, rescreen.NameVariant{Meta: rescreen.Meta{Source: rescreen.SourceCBP, SourceID: nid}, Person: pref(id),
		Kind: "ALIAS", GivenNames: given, FirstSurname: surname})
	return f
}

// B5 (open point 2): a parent who signed a child's form under a recorded
// name variant was not recognized as the child's parent.
func TestReview2B5SignerNameVariants(t *testing.T) {
	t.Run("alias of the parent", func(t *testing.T) {
		f := withAlias(waiverFamily("2009-03-01", rescreen.SignerParent), "N-1", "P-1", "María", "López")
		f.el("E-2").Signer = "  maría   LÓPEZ "
		r := eval2(t, f, nil)
		wantOutcome(t, r, OutcomeRemovalMay)
		if v := election(t, r, "P-2", "E-2").Validity; v != valValid {
			t.Errorf("validity %s", v)
		}
	})
	t.Run("the name matches two persons of the family", func(t *testing.T) {
		f := withAlias(waiverFamily("2009-03-01", rescreen.SignerParent), "N-1", "P-1", "María", "López")
		f.p("P-2").GivenNames, f.p("P-2").FirstSurname = "María", "López"
		f.el("E-2").Signer = "María López"
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
		if v := election(t, r, "P-2", "E-2").Validity; v != valManual {
			t.Errorf("validity %s", v)
		}
	})
	t.Run("alias of someone else", func(t *testing.T) {
		f := withAlias(waiverFamily("2009-03-01", rescreen.SignerParent), "N-1", "P-2", "María", "López")
		f.el("E-2").Signer = "María López"
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomeManualReview)
	})
}

// B6: a member removed and brought back was finished by what was on record
// before the return: an Option B signed before the removal (the waiver the
// removal carried out, which a court may have found coerced, D-6), a
// child's determination before the removal (only the parent's were set
// aside), or a settlement review dated while the parent was outside the
// U.S. (D-1: a removed parent gets no review).
func TestReview2B6ReturnedMembers(t *testing.T) {
	t.Run("parent's Option B from before the removal", func(t *testing.T) {
		r := eval2(t, returnedFamily(waiverFamily("2002-07-01", rescreen.SignerSelf), "P-1"), nil)
		notReleased(t, r, OutcomePending)
		wantState(t, r, "P-1", StatePending)
		wantHeld(t, r, "P-1", true, "")
	})
	t.Run("parent's Option B after the return", func(t *testing.T) {
		f := returnedFamily(waiverFamily("2002-07-01", rescreen.SignerSelf), "P-1")
		f.elect("E-3", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2019-01-02")
		r := eval2At(t, f, nil, "2019-02-01")
		wantOutcome(t, r, OutcomeRemovalMay)
	})
	t.Run("child's negative from before the removal", func(t *testing.T) {
		r := eval2(t, returnedFamily(reviewBase(), "P-2"), nil)
		notReleased(t, r, OutcomePending)
		wantState(t, r, "P-2", StatePending)
	})
	t.Run("parent's review while outside the U.S.", func(t *testing.T) {
		f := returnedFamily(baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29"), "P-1")
		f.parentNegative("R-1", "P-1", "2018-12-10")
		r := eval2(t, f, nil)
		notReleased(t, r, OutcomePending)
		wantState(t, r, "P-1", StatePending)
	})
}

// twoParentWaiver is a family with a mother (P-1) and a father (P-3), both
// separated from the child; every member elects Option B, the child's form
// signed by the parent named.
func twoParentWaiver(signer string) *fb {
	f := waiverFamily("2009-03-01", rescreen.SignerParent)
	f.person("P-3", rescreen.RoleParent, "1980-01-01", "2018-06-02")
	f.separate("S-3", "P-3", "P-2", "2018-06-03", rescreen.ReasonProsecution)
	f.custody("C-31", "P-3", rescreen.CustodyICE, "2018-06-02", "")
	f.proceeding("O-3", "P-3", rescreen.ProcExpedited, "2018-06-20", "ACTIVE")
	f.screen("CF-3", "P-3", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-06-15", "2018-06-18")
	f.elect("E-3", "P-3", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
	f.el("E-2").Signer = f.p(signer).FullName()
	return f
}

// B7: a parent found unfit or a danger to the child (COV-3) could waive
// the child's rights by signing the child's Option B.
func TestReview2B7UnfitParentSigns(t *testing.T) {
	if r := eval2(t, twoParentWaiver("P-3"), nil); r.Outcome != OutcomeRemovalMay {
		t.Fatalf("baseline: %s", r.Outcome)
	}
	f := twoParentWaiver("P-3")
	f.p("P-3").UnfitOrDanger = yes()
	r := eval2(t, f, nil)
	notReleased(t, r, OutcomeManualReview)
	e := election(t, r, "P-2", "E-2")
	if e.Validity != valManual {
		t.Errorf("validity %s", e.Validity)
	}
	wantCriterion(t, e.Criteria, "W4", NotMet)
	// SC-13's family under cfg.cov2018s.child_test=SEPARATED_IN_US: the
	// child is covered, and only the unfit parent signed.
	f = waiverFamily("2009-03-01", rescreen.SignerParent)
	f.p("P-1").UnfitOrDanger = yes()
	r = eval2(t, f, Params{"cfg.cov2018s.child_test": "SEPARATED_IN_US"})
	notReleased(t, r, OutcomeManualReview)
}

// B8: under cfg.partial_waiver=REMOVE_WAIVER_ONLY a 2018 Option B lifted
// the hold on a member in the 2023 class, whose rights the 2018 form
// cannot have waived (cfg.cov2023.removal_bar).
func TestReview2B8PartialWaiverIn2023Class(t *testing.T) {
	f := baseFamily()
	f.p("P-2").BirthDate = day("2002-07-01")
	f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
	f.claim("P-1", "2023-10-20", "ACCEPTED", "2023-11-15").claim("P-2", "2023-10-20", "ACCEPTED", "2023-11-15")
	r := eval2At(t, f, Params{"cfg.partial_waiver": "REMOVE_WAIVER_ONLY"}, "2024-01-15")
	wantHeld(t, r, "P-1", true, "COV-22")
	// Before the 2023 settlement, the parameter lifts the waiving member's
	// hold as documented.
	r = eval2(t, f, Params{"cfg.partial_waiver": "REMOVE_WAIVER_ONLY"})
	wantHeld(t, r, "P-1", false, "F-9")
}

// B9: under cfg.removed_member_counts_as=OUTSIDE_UNIT a child was released
// while the government had approved, or a court had ordered, the removed
// parent's return (the parent is coming back to a screening, D-7); and a
// return request whose state is not recorded was no missing fact.
func TestReview2B9RemovedParentReturning(t *testing.T) {
	p := Params{"cfg.removed_member_counts_as": "OUTSIDE_UNIT"}
	fam := func(state rescreen.ReturnState) *fb {
		f := withReturnRequest(sc10(), "2018-12-05").childResult("R-2", "P-2", "NEGATIVE", "2018-12-10")
		f.d.ReturnRequests[0].State = state
		return f
	}
	eval := func(f *fb) *Result { return eval2At(t, f, p, "2019-10-01") }
	wantOutcome(t, eval(fam("GOV_DENIED")), OutcomeRemovalMay)
	for _, st := range []rescreen.ReturnState{"GOV_APPROVED", "COURT_ORDERED_RETURN"} {
		r := eval(fam(st))
		notReleased(t, r, OutcomeManualReview)
		wantHeld(t, r, "P-2", true, "")
	}
	notReleasedNeeds(t, eval(fam("")), "return_requests[CLASS_COUNSEL:RR-1].state")
}

// B10: a section 240 proceeding or asylum application recorded as
// CONCLUDED was closed on every as-of date, even one before its decided_on
// (it was open then), and even with no decided_on at all.
func TestReview2B10ConcludedCasesNeedTheirDate(t *testing.T) {
	for _, kind := range []rescreen.ProceedingKind{rescreen.ProcSection240, rescreen.ProcAsylumAppl} {
		t.Run(string(kind)+" concluded after the as-of date", func(t *testing.T) {
			f := reviewBase().proceeding("N-1", "P-2", kind, "2018-12-01", "CONCLUDED")
			f.proc("N-1").DecidedOn = day("2019-06-01")
			r := eval2(t, f, nil)
			notReleased(t, r, OutcomeStays)
			wantState(t, r, "P-2", StateIn240)
			f.proc("N-1").DecidedOn = day("2019-01-10")
			wantOutcome(t, eval2(t, f, nil), OutcomeRemovalMay)
		})
		t.Run(string(kind)+" concluded on an unrecorded date", func(t *testing.T) {
			f := reviewBase().proceeding("N-1", "P-2", kind, "2018-12-01", "CONCLUDED")
			r := eval2(t, f, nil)
			notReleasedNeeds(t, r, "proceedings[ICE_EARM:N-1].decided_on")
			wantState(t, r, "P-2", StateUnknown)
		})
	}
}

// B11: with cfg.ij_review_available=YES, an immigration judge's order
// whose status is not recorded (it may be vacated) counted as the judge's
// review.
func TestReview2B11IJOrderStatusUnrecorded(t *testing.T) {
	f := reviewBase().proceeding("IJ-1", "P-1", rescreen.ProcIJOrder, "2018-12-05", "")
	r := eval2(t, f, Params{"cfg.ij_review_available": "YES"})
	notReleasedNeeds(t, r, "proceedings[ICE_EARM:IJ-1].status")
}

// B12: a removal order recorded as EXECUTED for a member the custody
// timeline keeps in the U.S. (no removal on record) was ignored: the member
// was taken as in the U.S. and finished, so a family with a removed member
// (manual review by default) was released.
func TestReview2B12ExecutedOrderWithoutRemoval(t *testing.T) {
	f := reviewBase()
	f.proc("O-1").Status = "EXECUTED"
	r := eval2(t, f, nil)
	notReleased(t, r, OutcomeManualReview)
	wantState(t, r, "P-1", StateManual)
	// SC-10's records (the removal on record) are consistent.
	r = eval2(t, sc10(), nil)
	wantState(t, r, "P-1", StateRemoved)
	// A removal the timeline records after the as-of date explains the
	// status: the order was executed later.
	r = eval2At(t, sc10(), nil, "2018-07-15")
	wantState(t, r, "P-1", StatePending)
}

// B13: one person recorded twice in a family (two person records with the
// same A-number), once as the child with a negative interview and once in
// a role outside the unit with a positive screening: the positive was
// ignored and the family released.
func TestReview2B13SharedIdentifier(t *testing.T) {
	f := reviewBase()
	dup := f.d.Persons[1]
	dup.Source, dup.SourceID, dup.ID, dup.Role = rescreen.SourceORR, "K-77", "", rescreen.RoleOther
	f.d.Persons = append(f.d.Persons, dup)
	f.d.Screenings = append(f.d.Screenings, rescreen.Screening{Meta: rescreen.Meta{Source: rescreen.SourceUSCIS, SourceID: "ZZ"},
		Person: ref(rescreen.SourceORR, "K-77"), Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionChildOwn,
		On: day("2018-12-01"), DecidedOn: day("2018-12-02"), Result: rescreen.ResultPositive, Final: yes()})
	id := func(sid string, p rescreen.Ref, st rescreen.IdentifierStatus) rescreen.Identifier {
		return rescreen.Identifier{Meta: rescreen.Meta{Source: rescreen.SourceCBP, SourceID: sid}, Person: p, Kind: rescreen.IDANumber, Value: "A012345678", Status: st}
	}
	f.d.Identifiers = append(f.d.Identifiers, id("I-1", pref("P-2"), "ACTIVE"), id("I-2", ref(rescreen.SourceORR, "K-77"), "ACTIVE"))
	r := eval2(t, f, nil)
	notReleased(t, r, OutcomeManualReview)
	reported := false
	for _, c := range r.Criteria {
		if c.Rule == "R-SYS-5" && c.Status == NotMet && strings.Contains(c.Detail, "A012345678") {
			reported = true
		}
	}
	if !reported {
		t.Errorf("the shared identifier is not reported as a contradiction")
	}
	wantHeld(t, r, "P-2", true, "R-SYS-5")
	// An identifier marked erroneous on one of them is no contradiction.
	f.d.Identifiers[1].Status = "ERRONEOUS"
	wantOutcome(t, eval2(t, f, nil), OutcomeRemovalMay)
}

// lateSeparation moves baseFamily's entry, separation, first screening and
// order to late October and early November 2018, after the June 2018
// injunction (settlement.md section 7: separations went on after it).
func lateSeparation(f *fb) *fb {
	f.p("P-1").EntryDate, f.p("P-2").EntryDate = day("2018-10-30"), day("2018-10-30")
	f.sep("S-1").On = day("2018-11-01")
	for i := range f.d.Custody {
		c := &f.d.Custody[i]
		switch c.SourceID {
		case "C-1", "C-4":
			c.Start, c.End = day("2018-10-30"), day("2018-11-01")
		case "C-2", "C-5":
			c.Start, c.End = day("2018-11-01"), day("2018-11-20")
		case "C-3", "C-6":
			c.Start = day("2018-11-20")
		}
	}
	f.proc("O-1").Opened = day("2018-11-05")
	f.scr("CF-1").On, f.scr("CF-1").DecidedOn = day("2018-11-03"), day("2018-11-04")
	return f
}

// B14: an Option B signed before the member entered the U.S. or was
// separated (a wrong date, or a form from another process) was a valid
// waiver; W1 checked only the date the election form came into being.
func TestReview2B14ElectionBeforeSeparation(t *testing.T) {
	f := lateSeparation(waiverFamily("2002-07-01", rescreen.SignerSelf))
	r := eval2(t, f, nil)
	wantOutcome(t, r, OutcomeRemovalMay)
	for _, id := range []string{"E-1", "E-2"} {
		x := f.el(id)
		x.SignedOn, x.SentOn, x.ReceivedOn = day("2018-10-20"), day("2018-10-20"), day("2018-10-22")
	}
	r = eval2(t, f, nil)
	notReleased(t, r, OutcomePending)
	e := election(t, r, "P-1", "E-1")
	if e.Validity != valInvalid {
		t.Errorf("validity %s", e.Validity)
	}
	wantCriterion(t, e.Criteria, "W1", NotMet)
	// With the entry date not recorded, the date cannot be checked.
	f = waiverFamily("2002-07-01", rescreen.SignerSelf)
	f.p("P-2").EntryDate = rescreen.Date{}
	notReleasedNeeds(t, eval2(t, f, nil), "persons[CBP_E3:P-2].entry_date")
}

// B15: a negative determination with an interview date and no decision
// date finished the member, though the decision may postdate the as-of
// date (it is placed by its decision, not by the interview).
func TestReview2B15NegativeWithoutDecisionDate(t *testing.T) {
	for _, id := range []string{"R-1", "R-2"} {
		f := reviewBase()
		f.scr(id).DecidedOn = rescreen.Date{}
		r := eval2(t, f, nil)
		notReleasedNeeds(t, r, "screenings[USCIS_GLOBAL:"+id+"].decided_on")
	}
}

// B16: under cfg.family_unit_scope=ALL_MEMBERS every child on the family
// record is in the unit, with or without a separation record, but COV-7's
// time scope looked only at children with one: a family whose only child
// in ORR custody after the cutoff had no separation record fell out of the
// June 2018 class, NOT_COVERED, and nobody was held.
func TestReview2B16AllMembersTimeScope(t *testing.T) {
	p := Params{"cfg.family_unit_scope": "ALL_MEMBERS"}
	// SC-15's family (the child released to a sponsor in January 2018),
	// with a second child still in ORR custody and no separation record.
	f := sc15()
	f.person("P-3", rescreen.RoleChild, "2009-01-01", "2017-08-10")
	f.custody("C-9", "P-3", rescreen.CustodyORRShelter, "2017-08-12", "")
	r := eval2At(t, f, p, "2018-12-01")
	if r.Outcome == OutcomeNotCovered || r.Outcome == OutcomeRemovalMay {
		t.Fatalf("released: %s", r.Outcome)
	}
	wantCoverage(t, r, "P-1", RS2018June, Covered)
	wantHeld(t, r, "P-3", true, "")
	// With the separation recorded, the same.
	f.separate("S-3", "P-1", "P-3", "2017-08-11", rescreen.ReasonProsecution)
	wantCoverage(t, eval2At(t, f, p, "2018-12-01"), "P-1", RS2018June, Covered)
	// Under the default scope the missing separation is a missing fact.
	f.d.Separations = f.d.Separations[:1]
	notReleased(t, eval2At(t, f, nil, "2018-12-01"), OutcomeNeedsInfo)
}

// B17: a screening awaiting its decision outside the member's governing
// determination (a first screening, or an occasion the procedures do not
// read for the role) was ignored, though it may still turn positive, and
// a positive is never ignored (A1, COV-12): the member was finished by the
// settlement determination and the family released.
func TestReview2B17PendingScreeningOutsideTheDetermination(t *testing.T) {
	cases := map[string]func() *fb{
		"parent: a new first screening (reasonable fear) awaits its decision": func() *fb {
			f := reviewBase().screen("CF-2", "P-1", rescreen.OccasionInitial, rescreen.ResultPending, "2018-12-01", "")
			f.scr("CF-2").Kind = rescreen.ReasonableFear
			return f
		},
		"child: a first screening awaits its decision": func() *fb {
			return reviewBase().screen("CF-3", "P-2", rescreen.OccasionInitial, rescreen.ResultPending, "2018-12-01", "")
		},
		"child: a first screening decided after the as-of date": func() *fb {
			return reviewBase().screen("CF-3", "P-2", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-12-01", "2019-02-01")
		},
		"parent: a screening under another occasion awaits its decision": func() *fb {
			return reviewBase().screen("X-3", "P-1", rescreen.OccasionChildOwn, rescreen.ResultPending, "2018-12-01", "")
		},
	}
	for name, fam := range cases {
		t.Run(name, func(t *testing.T) {
			r := eval2(t, fam(), nil)
			notReleased(t, r, OutcomePending)
			if len(r.Missing) == 0 {
				t.Errorf("the awaited decision is not named")
			}
		})
	}
	t.Run("a pending record superseded by a later decision of the same screening", func(t *testing.T) {
		f := reviewBase().screen("CF-0", "P-1", rescreen.OccasionInitial, rescreen.ResultPending, "2018-06-15", "")
		wantOutcome(t, eval2(t, f, nil), OutcomeRemovalMay)
	})
}

// B18: a return request naming a member as the removed parent, or a
// screening on return, says the member was removed and came back; with no
// removal in the custody timeline the member was taken as never removed,
// so what was on record before the removal (a determination, A5, or an
// Option B, B6) finished the member again. The removal is a missing fact.
func TestReview2B18ReturnWithoutRemoval(t *testing.T) {
	drop := func(f *fb) *fb {
		var keep []rescreen.Custody
		for _, c := range f.d.Custody {
			if c.Kind != rescreen.CustodyRemoved {
				keep = append(keep, c)
			}
		}
		f.d.Custody = keep
		return f
	}
	t.Run("return request, Option B from before", func(t *testing.T) {
		r := eval2(t, drop(returnedFamily(waiverFamily("2002-07-01", rescreen.SignerSelf), "P-1")), nil)
		notReleasedNeeds(t, r, "custody[person=CBP_E3:P-1]")
	})
	t.Run("return request, negative from before (A5)", func(t *testing.T) {
		r := eval2(t, drop(returnedFamily(reviewBase(), "P-1")), nil)
		notReleasedNeeds(t, r, "custody[person=CBP_E3:P-1]")
	})
	t.Run("screening on return", func(t *testing.T) {
		r := eval2(t, drop(returnedFamily(reviewBase(), "P-2")), nil)
		notReleasedNeeds(t, r, "custody[person=CBP_E3:P-2]")
	})
}
