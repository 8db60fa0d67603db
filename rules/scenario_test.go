package rules

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// variant is one evaluation of a scenario.
type variant struct {
	name   string
	f      *fb
	asOf   string
	params Params
}

// scenario is a worked scenario of settlement.md section 9: its families,
// and the checks of its expected results written out in Go, so that a
// wrong golden file cannot hide a bug.
type scenario struct {
	id       string
	variants func() []variant
	check    func(t *testing.T, r map[string]*Result)
}

// Helpers for the checks.

func person(t *testing.T, r *Result, id string) *PersonResult {
	t.Helper()
	for i := range r.Persons {
		if strings.HasSuffix(string(r.Persons[i].Person), ":"+id) {
			return &r.Persons[i]
		}
	}
	t.Fatalf("no person %s in result", id)
	return nil
}

func wantOutcome(t *testing.T, r *Result, o Outcome) {
	t.Helper()
	if r.Outcome != o {
		t.Errorf("outcome %s, want %s", r.Outcome, o)
	}
}

func wantState(t *testing.T, r *Result, id string, s MemberState) {
	t.Helper()
	if got := person(t, r, id).State; got != s {
		t.Errorf("%s state %s, want %s", id, got, s)
	}
}

func wantHeld(t *testing.T, r *Result, id string, held bool, rule string) {
	t.Helper()
	h := person(t, r, id).Hold
	if h.Held != held || (rule != "" && h.Rule != rule) {
		t.Errorf("%s hold %+v, want held=%v rule %s", id, h, held, rule)
	}
	if h.Held && h.LiftCondition == "" {
		t.Errorf("%s is held with no lift condition", id)
	}
}

func coverage(t *testing.T, r *Result, id, set string) CoverageStatus {
	t.Helper()
	for _, c := range person(t, r, id).Coverage {
		if c.RuleSet == set {
			return c.Status
		}
	}
	t.Fatalf("%s has no coverage under %s", id, set)
	return ""
}

func wantCoverage(t *testing.T, r *Result, id, set string, s CoverageStatus) {
	t.Helper()
	if got := coverage(t, r, id, set); got != s {
		t.Errorf("%s coverage under %s is %s, want %s", id, set, got, s)
	}
}

func remedy(r *Result, id string, k RemedyKind) *Remedy {
	for i := range r.Persons {
		if !strings.HasSuffix(string(r.Persons[i].Person), ":"+id) {
			continue
		}
		for j := range r.Persons[i].Remedies {
			if r.Persons[i].Remedies[j].Kind == k {
				return &r.Persons[i].Remedies[j]
			}
		}
	}
	return nil
}

func wantRemedy(t *testing.T, r *Result, id string, k RemedyKind, state string) {
	t.Helper()
	rm := remedy(r, id, k)
	if rm == nil {
		t.Errorf("%s has no remedy %s", id, k)
		return
	}
	if state != "" && rm.State != state {
		t.Errorf("%s remedy %s state %s, want %s", id, k, rm.State, state)
	}
}

func criterion(cs []Criterion, rule string) *Criterion {
	for i := range cs {
		if cs[i].Rule == rule {
			return &cs[i]
		}
	}
	return nil
}

func wantCriterion(t *testing.T, cs []Criterion, rule string, s Status) *Criterion {
	t.Helper()
	c := criterion(cs, rule)
	if c == nil {
		t.Errorf("no criterion %s", rule)
		return &Criterion{}
	}
	if c.Status != s {
		t.Errorf("criterion %s is %s, want %s (%s)", rule, c.Status, s, c.Detail)
	}
	return c
}

// wantAny checks that some criterion of the rule has the status.
func wantAny(t *testing.T, cs []Criterion, rule string, s Status) {
	t.Helper()
	for _, c := range cs {
		if c.Rule == rule && c.Status == s {
			return
		}
	}
	t.Errorf("no criterion %s with status %s", rule, s)
}

func election(t *testing.T, r *Result, id, el string) *ElectionCheck {
	t.Helper()
	for i := range person(t, r, id).Elections {
		e := &person(t, r, id).Elections[i]
		if strings.HasSuffix(string(e.Election), ":"+el) {
			return e
		}
	}
	t.Fatalf("%s has no election %s", id, el)
	return nil
}

func deadline(t *testing.T, r *Result, id, clock string) *Deadline {
	t.Helper()
	for i := range person(t, r, id).Deadlines {
		d := &person(t, r, id).Deadlines[i]
		if d.ID == clock {
			return d
		}
	}
	t.Fatalf("%s has no deadline %s", id, clock)
	return nil
}

func wantNoMissing(t *testing.T, r *Result) {
	t.Helper()
	if len(r.Missing) > 0 {
		t.Errorf("missing facts %v", r.Missing)
	}
}

func one(name string, f *fb, asOf string) func() []variant {
	return func() []variant { return []variant{{name: name, f: f, asOf: asOf}} }
}

const asOf2019 = "2019-01-15"

// sc15 is SC-15's family: entered in August 2017, the child released to a
// sponsor in January 2018.
func sc15() *fb {
	f := newFamily()
	f.person("P-1", rescreen.RoleParent, "1983-02-01", "2017-08-10")
	f.person("P-2", rescreen.RoleChild, "2010-09-09", "2017-08-10")
	f.separate("S-1", "P-1", "P-2", "2017-08-11", rescreen.ReasonProsecution)
	f.custody("C-1", "P-1", rescreen.CustodyICE, "2017-08-10", "2017-09-20")
	f.custody("C-2", "P-1", rescreen.CustodyReleased, "2017-09-20", "")
	f.custody("C-3", "P-2", rescreen.CustodyORRShelter, "2017-08-12", "2018-01-15")
	f.custody("C-4", "P-2", rescreen.CustodyReleased, "2018-01-15", "")
	f.proceeding("O-1", "P-1", rescreen.ProcExpedited, "2017-08-25", "ACTIVE")
	f.screen("CF-1", "P-1", rescreen.OccasionInitial, rescreen.ResultNegative, "2017-08-18", "2017-08-20")
	return f
}

// sc10 is SC-10's family: the parent removed in August 2018, the child (7)
// in ORR custody.
func sc10() *fb {
	f := newFamily()
	f.person("P-1", rescreen.RoleParent, "1985-04-12", "2018-06-02")
	f.person("P-2", rescreen.RoleChild, "2011-02-01", "2018-06-02")
	f.separate("S-1", "P-1", "P-2", "2018-06-03", rescreen.ReasonProsecution)
	f.custody("C-1", "P-1", rescreen.CustodyICE, "2018-06-02", "2018-08-03")
	f.custody("C-2", "P-1", rescreen.CustodyRemoved, "2018-08-03", "")
	f.custody("C-3", "P-2", rescreen.CustodyORRShelter, "2018-06-04", "")
	f.proceeding("O-1", "P-1", rescreen.ProcExpedited, "2018-06-20", "EXECUTED")
	f.screen("CF-1", "P-1", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-06-15", "2018-06-18")
	return f
}

func withReturnRequest(f *fb, submitted string) *fb {
	f.d.ReturnRequests = append(f.d.ReturnRequests, rescreen.ReturnRequest{
		Meta: rescreen.Meta{Source: rescreen.SourceCounsel, SourceID: "RR-1"}, Parent: pref("P-1"), Children: []rescreen.Ref{pref("P-2")},
		Counsel: "ACLU", State: "SUBMITTED", Channel: "SETTLEMENT", SubmittedOn: day(submitted),
	})
	return f
}

// sc30 is a 2023 class member on the effective date who files for asylum
// on 2026-03-01.
func sc30() *fb {
	f := baseFamily()
	f.claim("P-1", "2023-10-20", "ACCEPTED", "2023-11-15")
	f.claim("P-2", "2023-10-20", "ACCEPTED", "2023-11-15")
	f.proceeding("A-1", "P-1", rescreen.ProcAsylumAppl, "2026-03-01", "ACTIVE")
	return f
}

var scenarios = []scenario{
	{"SC-01", one("default", baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "POSITIVE", "2018-11-29"), asOf2019),
		func(t *testing.T, r map[string]*Result) {
			x := r["default"]
			wantOutcome(t, x, OutcomeStays)
			wantState(t, x, "P-2", StatePositive)
			wantState(t, x, "P-1", StateNegative)
			wantRemedy(t, x, "P-2", RemedyChildInterview, "DETERMINED_POSITIVE")
			wantCriterion(t, remedy(x, "P-2", RemedyChildInterview).Criteria, "R-C7", Met)
			wantHeld(t, x, "P-1", true, "H-4")
			if lc := person(t, x, "P-1").Hold.LiftCondition; !strings.Contains(lc, "concludes (final administrative decision, cfg.case_concluded_at)") || !strings.Contains(lc, "P-2") {
				t.Errorf("F-2 parent's lift condition %q", lc)
			}
			wantHeld(t, x, "P-2", true, "F-1")
		}},
	{"SC-02", one("default", baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29"), asOf2019),
		func(t *testing.T, r map[string]*Result) {
			x := r["default"]
			wantOutcome(t, x, OutcomeRemovalMay)
			wantNoMissing(t, x)
			wantHeld(t, x, "P-1", false, "H-2")
			wantHeld(t, x, "P-2", false, "H-2")
			wantCriterion(t, x.Criteria, "F-4", Met)
			wantCriterion(t, x.Criteria, "F-7", Met)
			wantRemedy(t, x, "P-1", RemedyParentReview, "DETERMINED_NEGATIVE_IJ_REVIEW_MANUAL")
		}},
	{"SC-03", one("default", baseFamily().screen("R-1", "P-1", rescreen.OccasionSettlement, rescreen.ResultPositive, "2018-11-25", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29"), asOf2019),
		func(t *testing.T, r map[string]*Result) {
			x := r["default"]
			wantOutcome(t, x, OutcomeStays)
			wantState(t, x, "P-1", StatePositive)
			wantRemedy(t, x, "P-1", RemedyParentReview, "DETERMINED_POSITIVE")
			wantCriterion(t, remedy(x, "P-1", RemedyParentReview).Criteria, "R-P7", Met)
			wantHeld(t, x, "P-2", true, "F-3")
			wantHeld(t, x, "P-1", true, "F-1")
		}},
	{"SC-04", func() []variant {
		f := baseFamily()
		f.p("P-2").BirthDate = day("2002-07-01")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomeRemovalMay)
		wantNoMissing(t, x)
		wantState(t, x, "P-1", StateWaived)
		wantState(t, x, "P-2", StateWaived)
		for _, p := range []string{"P-1", "P-2"} {
			e := election(t, x, p, "E-"+p[2:])
			if e.Validity != valValid {
				t.Errorf("%s election %s", p, e.Validity)
			}
			for _, w := range []string{"W1", "W3", "W4", "W5", "W6", "W7"} {
				wantCriterion(t, e.Criteria, w, Met)
			}
		}
		wantCriterion(t, x.Criteria, "F-5", Met)
	}},
	{"SC-05", func() []variant {
		f := baseFamily()
		f.p("P-2").BirthDate = day("2009-03-01")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.elect("E-2", "P-2", rescreen.ChoiceRemain, rescreen.SignerParent, "2018-11-20")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		wantState(t, x, "P-2", StatePending)
		wantHeld(t, x, "P-2", true, "")
		wantState(t, x, "P-1", StateManual)
		wantHeld(t, x, "P-1", true, "F-9")
		wantCriterion(t, x.Criteria, "F-9", NotMet)
		if v := election(t, x, "P-2", "E-2").Validity; v != valValid {
			t.Errorf("child's Option A signed by the parent: %s", v)
		}
	}},
	{"SC-06", one("default", baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29"), asOf2019),
		func(t *testing.T, r map[string]*Result) {
			x := r["default"]
			wantOutcome(t, x, OutcomePending)
			wantState(t, x, "P-1", StatePending)
			wantHeld(t, x, "P-1", true, "H-5")
			wantHeld(t, x, "P-2", true, "H-2")
			wantCriterion(t, person(t, x, "P-1").StateCriteria, "W2", NotMet)
		}},
	{"SC-07", func() []variant {
		f := baseFamily()
		f.p("P-2").BirthDate = day("2006-05-01")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		e := election(t, x, "P-2", "E-2")
		if e.Validity != valInvalid {
			t.Errorf("12-year-old's self-signed form: %s", e.Validity)
		}
		wantCriterion(t, e.Criteria, "W4", NotMet)
		if c := criterion(e.Criteria, "W7"); c == nil || !strings.Contains(c.Detail, "Ask for a form") {
			t.Errorf("W7 does not ask for a parent's or representative's signature: %+v", c)
		}
		wantState(t, x, "P-2", StatePending)
		wantHeld(t, x, "P-2", true, "")
	}},
	{"SC-08", func() []variant {
		f := baseFamily().addChild("P-3", "2011-01-05")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerParent, "2018-11-20")
		f.elect("E-3", "P-3", rescreen.ChoiceReturn, rescreen.SignerParent, "2018-11-20")
		for _, id := range []string{"E-1", "E-2", "E-3"} {
			f.el(id).FormRef = "SHEET-1"
		}
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		if v := election(t, x, "P-1", "E-1").Validity; v != valValid {
			t.Errorf("parent's part of the shared sheet: %s", v)
		}
		for _, c := range []string{"P-2", "P-3"} {
			e := election(t, x, c, "E-"+c[2:])
			if e.Validity != valInvalid {
				t.Errorf("%s on the shared sheet: %s", c, e.Validity)
			}
			wantCriterion(t, e.Criteria, "W5", NotMet)
			wantState(t, x, c, StatePending)
		}
		wantCriterion(t, x.Criteria, "F-5", NotMet)
	}},
	{"SC-09", func() []variant {
		f := baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.p("P-1").Languages = []string{"mam"}
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		e := election(t, x, "P-1", "E-1")
		if e.Validity != valInvalid {
			t.Errorf("form read in Spanish to a Mam speaker: %s", e.Validity)
		}
		wantCriterion(t, e.Criteria, "W3", NotMet)
		wantState(t, x, "P-1", StatePending)
		wantHeld(t, x, "P-1", true, "")
	}},
	{"SC-10", one("default", sc10(), asOf2019), func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomeManualReview)
		wantState(t, x, "P-1", StateRemoved)
		wantHeld(t, x, "P-1", false, "D-1")
		if remedy(x, "P-1", RemedyParentReview) != nil {
			t.Error("a removed parent got a CF review")
		}
		wantRemedy(t, x, "P-1", RemedyReturnRequest, "NO_REQUEST")
		wantCriterion(t, remedy(x, "P-1", RemedyReturnRequest).Criteria, "D-2", Met)
		wantState(t, x, "P-2", StatePending)
		wantHeld(t, x, "P-2", true, "")
		wantRemedy(t, x, "P-2", RemedyChildInterview, "OWED")
		wantCriterion(t, remedy(x, "P-2", RemedyChildInterview).Criteria, "R-C3", Met)
	}},
	{"SC-11", func() []variant {
		return []variant{
			{name: "a-2018-12-10", f: withReturnRequest(sc10(), "2018-12-10"), asOf: asOf2019},
			{name: "b-2018-12-20", f: withReturnRequest(sc10(), "2018-12-20"), asOf: asOf2019},
		}
	}, func(t *testing.T, r map[string]*Result) {
		a, b := r["a-2018-12-10"], r["b-2018-12-20"]
		wantRemedy(t, a, "P-1", RemedyReturnRequest, "SUBMITTED")
		if d := deadline(t, a, "P-1", "T-1"); d.Status != dlMet || d.Due != day("2018-12-15") || d.DayType != dtCalendar {
			t.Errorf("T-1 for a request of 2018-12-10: %+v", d)
		}
		if remedy(a, "P-1", RemedyManualReview) != nil {
			t.Error("a request inside T-1 went to manual review")
		}
		wantRemedy(t, b, "P-1", RemedyReturnRequest, "LATE")
		wantRemedy(t, b, "P-1", RemedyManualReview, "LATE_RETURN_REQUEST")
		if d := deadline(t, b, "P-1", "T-1"); d.Status != dlMissed {
			t.Errorf("T-1 for a request of 2018-12-20: %+v", d)
		}
		for _, x := range []*Result{a, b} {
			if x.Outcome == OutcomeRemovalMay {
				t.Error("a removed parent's family released")
			}
			wantHeld(t, x, "P-2", true, "")
		}
	}},
	{"SC-12", func() []variant {
		f := newFamily()
		f.person("P-1", rescreen.RoleParent, "1985-04-12", "2018-05-10")
		f.person("P-2", rescreen.RoleChild, "2008-05-10", "2018-05-10")
		f.separate("S-1", "P-1", "P-2", "2018-05-11", rescreen.ReasonProsecution)
		f.custody("C-1", "P-1", rescreen.CustodyICE, "2018-05-10", "2018-07-20")
		f.custody("C-2", "P-1", rescreen.CustodyFamily, "2018-07-20", "")
		f.custody("C-3", "P-2", rescreen.CustodyORRShelter, "2018-05-12", "2018-07-20")
		f.custody("C-4", "P-2", rescreen.CustodyFamily, "2018-07-20", "")
		f.screen("CF-1", "P-1", rescreen.OccasionInitial, rescreen.ResultPositive, "2018-05-18", "2018-05-20")
		f.proceeding("N-1", "P-1", rescreen.ProcSection240, "2018-06-01", "ACTIVE")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomeStays)
		wantState(t, x, "P-1", StateIn240)
		if remedy(x, "P-1", RemedyParentReview) != nil {
			t.Error("a parent with an earlier positive got a review")
		}
		wantRemedy(t, x, "P-1", RemedyNone, "UNAFFECTED_POSITIVE")
		wantCoverage(t, x, "P-1", RS2018S, NotCovered)
		wantCriterion(t, person(t, x, "P-1").Coverage[1].Criteria, "COV-12", NotMet)
		wantHeld(t, x, "P-1", true, "H-3")
	}},
	{"SC-13", func() []variant {
		f := baseFamily()
		f.p("P-1").UnfitOrDanger = yes()
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantCoverage(t, x, "P-1", RS2018June, NotCovered)
		wantCoverage(t, x, "P-1", RS2018S, NotCovered)
		wantCriterion(t, person(t, x, "P-1").Coverage[0].Criteria, "COV-3", NotMet)
		wantCoverage(t, x, "P-2", RS2018S, ManualReview)
		wantState(t, x, "P-1", StateOutside)
		if remedy(x, "P-1", RemedyParentReview) != nil {
			t.Error("an unfit parent got parent rights")
		}
		wantOutcome(t, x, OutcomeManualReview)
		wantHeld(t, x, "P-2", true, "")
	}},
	{"SC-14", func() []variant {
		f := baseFamily()
		f.p("P-1").EntryKind = rescreen.EntryAtPort
		f.p("P-2").EntryKind = rescreen.EntryAtPort
		f.sep("S-1").PlaceKind = rescreen.EntryAtPort
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantCoverage(t, x, "P-1", RS2018June, Covered)
		wantCoverage(t, x, "P-1", RS2018S, Covered)
		wantCriterion(t, person(t, x, "P-1").Coverage[0].Criteria, "COV-2", Met)
		wantRemedy(t, x, "P-1", RemedyParentReview, "INTERVIEW_OWED")
		wantOutcome(t, x, OutcomePending)
	}},
	{"SC-15", one("2018-12-01", sc15(), "2018-12-01"), func(t *testing.T, r map[string]*Result) {
		x := r["2018-12-01"]
		wantCoverage(t, x, "P-1", RS2018June, NotCovered)
		wantCriterion(t, person(t, x, "P-1").Coverage[0].Criteria, "COV-7", NotMet)
		wantCoverage(t, x, "P-1", RS2018S, NotCovered)
		wantCoverage(t, x, "P-2", RS2018S, NotCovered)
		wantCoverage(t, x, "P-1", RS2019, NotInForce)
		wantOutcome(t, x, OutcomeNotCovered)
		wantNoMissing(t, x)
	}},
	{"SC-16", one("2019-04-01", sc15(), "2019-04-01"), func(t *testing.T, r map[string]*Result) {
		x := r["2019-04-01"]
		wantCoverage(t, x, "P-1", RS2018June, NotCovered)
		wantCoverage(t, x, "P-1", RS2019, Covered)
		wantCoverage(t, x, "P-2", RS2019, Covered)
		wantCriterion(t, person(t, x, "P-1").Coverage[2].Criteria, "COV-20", Met)
		wantState(t, x, "P-1", StateManual)
		wantRemedy(t, x, "P-1", RemedyManualReview, "COVERAGE_MANUAL_REVIEW")
		wantOutcome(t, x, OutcomeManualReview)
	}},
	{"SC-17", func() []variant {
		f := sc15().claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-20").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-20")
		return []variant{{name: "2024-01-15", f: f, asOf: "2024-01-15"}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["2024-01-15"]
		wantCoverage(t, x, "P-1", RS2018June, NotCovered)
		wantCoverage(t, x, "P-1", RS2019, Covered)
		wantCoverage(t, x, "P-1", RS2023, Covered)
		wantCoverage(t, x, "P-2", RS2023, Covered)
		wantRemedy(t, x, "P-1", Remedy2023Benefits, "ACCEPTED")
		if x.Outcome == OutcomeRemovalMay || x.Outcome == OutcomeNotCovered {
			t.Errorf("outcome %s", x.Outcome)
		}
	}},
	{"SC-18", func() []variant {
		mk := func(claim bool) *fb {
			f := sc15()
			f.p("P-1").EntryDate = day("2017-06-14")
			f.p("P-2").EntryDate = day("2017-06-14")
			f.sep("S-1").On = day("2017-06-15")
			f.d.Custody = nil
			f.custody("C-1", "P-1", rescreen.CustodyICE, "2017-06-14", "2017-07-20")
			f.custody("C-2", "P-1", rescreen.CustodyReleased, "2017-07-20", "")
			f.custody("C-3", "P-2", rescreen.CustodyORRShelter, "2017-06-16", "2017-12-10")
			f.custody("C-4", "P-2", rescreen.CustodyReleased, "2017-12-10", "")
			f.scr("CF-1").On, f.scr("CF-1").DecidedOn = day("2017-06-20"), day("2017-06-22")
			f.proc("O-1").Opened = day("2017-06-25")
			if claim {
				f.claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-20").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-20")
			}
			return f
		}
		return []variant{{name: "2019-04-01", f: mk(false), asOf: "2019-04-01"}, {name: "2024-01-15", f: mk(true), asOf: "2024-01-15"}}
	}, func(t *testing.T, r map[string]*Result) {
		a, b := r["2019-04-01"], r["2024-01-15"]
		wantCoverage(t, a, "P-1", RS2018June, NotCovered)
		wantCoverage(t, a, "P-1", RS2019, NotCovered)
		wantAny(t, person(t, a, "P-1").Coverage[2].Criteria, "COV-18", NotMet)
		wantOutcome(t, a, OutcomeNotCovered)
		wantCoverage(t, b, "P-1", RS2018June, NotCovered)
		wantCoverage(t, b, "P-1", RS2019, NotCovered)
		wantCoverage(t, b, "P-1", RS2023, Covered)
		wantCoverage(t, b, "P-2", RS2023, Covered)
		wantOutcome(t, b, OutcomeManualReview)
		wantCriterion(t, b.Criteria, "COV-22", NotMet)
	}},
	{"SC-19", func() []variant {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.scr("R-1").ReliesOnInconsistency = yes()
		f.scr("R-1").PsychStateConsidered = no()
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		wantState(t, x, "P-1", StatePending)
		wantRemedy(t, x, "P-1", RemedyParentReview, "NONCOMPLIANT")
		wantCriterion(t, remedy(x, "P-1", RemedyParentReview).Criteria, "R-P5", NotMet)
		wantHeld(t, x, "P-1", true, "H-2")
		wantHeld(t, x, "P-2", true, "H-2")
	}},
	{"SC-20", func() []variant {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.scr("R-1").ReliesOnInconsistency = yes()
		f.scr("R-1").PsychStateConsidered = yes()
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantState(t, x, "P-1", StateNegative)
		wantCriterion(t, remedy(x, "P-1", RemedyParentReview).Criteria, "R-P5", Met)
		wantOutcome(t, x, OutcomeRemovalMay)
		wantNoMissing(t, x)
	}},
	{"SC-21", func() []variant {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.scr("R-1").Counsel = "PHONE"
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		c := wantCriterion(t, remedy(x, "P-1", RemedyParentReview).Criteria, "R-P3", Met)
		if !strings.Contains(c.Detail, "PHONE") {
			t.Errorf("R-P3 detail %q", c.Detail)
		}
		wantState(t, x, "P-1", StateNegative)
		wantOutcome(t, x, OutcomeRemovalMay)
	}},
	{"SC-22", func() []variant {
		f := baseFamily().addChild("P-3", "2011-01-05").parentNegative("R-1", "P-1", "2018-11-28").
			childResult("R-2", "P-2", "POSITIVE", "2018-11-29").childResult("R-3", "P-3", "NEGATIVE", "2018-11-29")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomeStays)
		for _, p := range []string{"P-1", "P-2", "P-3"} {
			wantHeld(t, x, p, true, "")
		}
		wantHeld(t, x, "P-3", true, "F-1")
	}},
	{"SC-23", func() []variant {
		f := baseFamily().addChild("P-3", "2011-01-05").parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomePending)
		wantState(t, x, "P-3", StatePending)
		for _, p := range []string{"P-1", "P-2", "P-3"} {
			wantHeld(t, x, p, true, "")
		}
		wantCriterion(t, x.Criteria, "F-6", Met)
	}},
	{"SC-24", func() []variant {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-12-01").childResult("R-2", "P-2", "NEGATIVE", "2018-12-20")
		return []variant{{name: "day-10", f: f, asOf: "2018-12-10"}, {name: "day-21", f: f, asOf: "2018-12-21"}}
	}, func(t *testing.T, r map[string]*Result) {
		a, b := r["day-10"], r["day-21"]
		wantOutcome(t, a, OutcomePending)
		wantHeld(t, a, "P-1", true, "H-2")
		wantHeld(t, a, "P-2", true, "")
		wantOutcome(t, b, OutcomeRemovalMay)
		wantHeld(t, b, "P-1", false, "H-2")
		wantHeld(t, b, "P-2", false, "H-2")
		if a.Version != b.Version {
			t.Error("the two recomputations used different rule books")
		}
	}},
	{"SC-25", func() []variant {
		f := baseFamily()
		f.person("P-3", rescreen.RoleParent, "1982-01-20", "2018-06-02")
		f.separate("S-3", "P-3", "P-2", "2018-06-03", rescreen.ReasonProsecution)
		f.custody("C-7", "P-3", rescreen.CustodyICE, "2018-06-02", "")
		f.proceeding("O-3", "P-3", rescreen.ProcExpedited, "2018-06-20", "ACTIVE")
		f.screen("CF-3", "P-3", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-06-15", "2018-06-18")
		f.parentNegative("R-1", "P-1", "2018-11-28")
		f.screen("R-3", "P-3", rescreen.OccasionSettlement, rescreen.ResultPositive, "2018-11-25", "2018-11-28")
		f.childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantOutcome(t, x, OutcomeStays)
		wantState(t, x, "P-3", StatePositive)
		for _, p := range []string{"P-1", "P-2", "P-3"} {
			wantHeld(t, x, p, true, "")
		}
	}},
	{"SC-26", func() []variant {
		f := baseFamily()
		f.proc("O-1").Kind = rescreen.ProcReinstated
		f.scr("CF-1").Kind = rescreen.ReasonableFear
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantCoverage(t, x, "P-1", RS2018S, Covered)
		c := wantCriterion(t, person(t, x, "P-1").Coverage[1].Criteria, "COV-11", Met)
		if !strings.Contains(c.Detail, "reasonable fear") {
			t.Errorf("COV-11 detail %q", c.Detail)
		}
		wantRemedy(t, x, "P-1", RemedyParentReview, "INTERVIEW_OWED")
		wantCriterion(t, remedy(x, "P-1", RemedyParentReview).Criteria, "R-P1", Met)
	}},
	{"SC-27", func() []variant {
		f := baseFamily()
		f.d.Preferences = append(f.d.Preferences, rescreen.Preference{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "PR-1"},
			Person: pref("P-1"), Kind: rescreen.PrefReunificationWvr, DeclaredOn: day("2018-08-10"), Language: "es"})
		return []variant{{name: "default", f: f, asOf: asOf2019}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["default"]
		wantCoverage(t, x, "P-1", RS2018S, Covered)
		c := wantCriterion(t, person(t, x, "P-1").Coverage[0].Criteria, "COV-6", Met)
		if !strings.Contains(c.Detail, "2018-08-10") {
			t.Errorf("COV-6 detail %q", c.Detail)
		}
		wantCriterion(t, person(t, x, "P-1").StateCriteria, "W8", Met)
		wantState(t, x, "P-1", StatePending)
		wantOutcome(t, x, OutcomePending)
		wantHeld(t, x, "P-1", true, "")
	}},
	{"SC-28", func() []variant {
		mk := func(claim bool) *fb {
			f := baseFamily()
			f.p("P-1").Role = rescreen.RoleGuardian
			f.p("P-1").BirthDate = day("1955-09-30")
			if claim {
				f.claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-20").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-20")
			}
			return f
		}
		return []variant{{name: "2018", f: mk(false), asOf: asOf2019}, {name: "2023", f: mk(true), asOf: "2024-01-15"}}
	}, func(t *testing.T, r map[string]*Result) {
		a, b := r["2018"], r["2023"]
		wantCoverage(t, a, "P-1", RS2018S, ManualReview)
		wantCriterion(t, person(t, a, "P-1").Coverage[1].Criteria, "COV-16", NotMet)
		wantOutcome(t, a, OutcomeManualReview)
		wantCoverage(t, b, "P-1", RS2023, Covered)
		wantCoverage(t, b, "P-2", RS2023, Covered)
	}},
	{"SC-29", func() []variant {
		f := newFamily()
		f.person("P-1", rescreen.RoleParent, "1985-04-12", "2018-09-09")
		f.person("P-2", rescreen.RoleChild, "2012-03-03", "2018-09-09")
		f.p("P-1").ActiveWarrant = yes()
		f.separate("S-1", "P-1", "P-2", "2018-09-10", rescreen.ReasonWarrant)
		f.custody("C-1", "P-1", rescreen.CustodyICE, "2018-09-09", "")
		f.custody("C-2", "P-2", rescreen.CustodyORRShelter, "2018-09-11", "")
		f.proceeding("O-1", "P-1", rescreen.ProcExpedited, "2018-09-20", "ACTIVE")
		f.screen("CF-1", "P-1", rescreen.OccasionInitial, rescreen.ResultNegative, "2018-09-15", "2018-09-17")
		f.claim("P-1", "2023-11-01", "PENDING", "").claim("P-2", "2023-11-01", "PENDING", "")
		return []variant{{name: "2024-01-15", f: f, asOf: "2024-01-15"}}
	}, func(t *testing.T, r map[string]*Result) {
		x := r["2024-01-15"]
		for _, p := range []string{"P-1", "P-2"} {
			wantCoverage(t, x, p, RS2023, ManualReview)
			var c *Criterion
			for _, cov := range person(t, x, p).Coverage {
				if cov.RuleSet == RS2023 {
					for i := range cov.Criteria {
						if cov.Criteria[i].Rule == "COV-23" && cov.Criteria[i].Status == NotMet {
							c = &cov.Criteria[i]
						}
					}
				}
			}
			if c == nil || !strings.Contains(c.Detail, "ACTIVE_WARRANT") {
				t.Errorf("%s: no COV-23 rebuttal review naming the reason: %+v", p, c)
			}
			wantRemedy(t, x, p, Remedy2023Benefits, "REBUTTAL_REVIEW")
		}
		if x.Outcome == OutcomeRemovalMay || x.Outcome == OutcomeNotCovered {
			t.Errorf("outcome %s", x.Outcome)
		}
	}},
	{"SC-30", func() []variant {
		return []variant{
			{name: "t17-unset", f: sc30(), asOf: "2026-03-15"},
			{name: "t17-in-force", f: sc30(), asOf: "2026-03-15", params: Params{"cfg.t17_order_date": "2025-07-01"}},
			{name: "t17-not-yet", f: sc30(), asOf: "2026-03-15", params: Params{"cfg.t17_order_date": "2026-06-01"}},
		}
	}, func(t *testing.T, r map[string]*Result) {
		d := deadline(t, r["t17-unset"], "P-1", "T-15")
		if d.Status != dlNeeds || d.Due != day("2025-12-11") || !strings.Contains(d.Detail, "2026-12-11") {
			t.Errorf("T-15 with T-17 unset: %+v", d)
		}
		if x := deadline(t, r["t17-unset"], "P-1", "T-17"); x.Status != dlNeeds || x.Due != day("2026-12-11") {
			t.Errorf("T-17 unset: %+v", x)
		}
		d = deadline(t, r["t17-in-force"], "P-1", "T-15")
		if d.Status != dlMet || d.Due != day("2026-12-11") {
			t.Errorf("T-15 with T-17: %+v", d)
		}
		d = deadline(t, r["t17-not-yet"], "P-1", "T-15")
		if d.Status != dlMissed || d.Due != day("2025-12-11") {
			t.Errorf("T-15 before T-17: %+v", d)
		}
	}},
}

func resultsOf(t *testing.T, sc scenario) (map[string]*Result, []string) {
	out := map[string]*Result{}
	var names []string
	for _, v := range sc.variants() {
		e := mustEngine(t, v.params)
		out[v.name] = e.Evaluate(v.f.dataset(), day(v.asOf))
		names = append(names, v.name)
	}
	return out, names
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.id, func(t *testing.T) {
			res, _ := resultsOf(t, sc)
			sc.check(t, res)
			for name, r := range res {
				checkInvariants(t, name, r)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", sc.id+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s; run go test ./rules -run TestScenarios -update and review the diff", golden)
			}
		})
	}
}

// TestScenarioCount keeps the table complete: every worked scenario of
// settlement.md section 9 has a test.
func TestScenarioCount(t *testing.T) {
	seen := map[string]bool{}
	for _, sc := range scenarios {
		seen[sc.id] = true
	}
	b, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range scenarioIDs.FindAllString(string(b), -1) {
		if !seen[id] {
			t.Errorf("settlement.md scenario %s has no test", id)
		}
	}
}
