package rules

import (
	"regexp"
	"testing"
)

const specPath = "../../shared/docs/settlement.md"

var scenarioIDs = regexp.MustCompile(`\bSC-\d\d\b`)

// checkInvariants asserts the safety rules every result must keep.
func checkInvariants(t *testing.T, name string, r *Result) {
	t.Helper()
	for _, msg := range violations(r) {
		t.Errorf("%s: %s", name, msg)
	}
}

// violations lists the ways a result breaks the safety invariant: a family
// released (REMOVAL_MAY_PROCEED, or NOT_COVERED which lets removal go
// ahead as far as the settlement is concerned) with a missing fact, an
// unknown criterion, a held member or an unfinished member; or a held
// member with no lift condition.
func violations(r *Result) []string {
	var out []string
	add := func(s string) { out = append(out, s) }
	walkCriteria(r, func(where string, c *Criterion) {
		if c.Status == Unknown && len(c.Missing) == 0 {
			add(where + ": criterion " + c.Rule + " is UNKNOWN without naming a missing fact")
		}
		if c.Status != Met && c.Status != NotMet && c.Status != Unknown {
			add(where + ": criterion " + c.Rule + " has status " + string(c.Status))
		}
		if c.Test == "" || len(c.Citations) == 0 {
			add(where + ": criterion " + c.Rule + " lacks a test or citations")
		}
	})
	for i := range r.Persons {
		p := &r.Persons[i]
		if p.Hold.Held && p.Hold.LiftCondition == "" {
			add(string(p.Person) + " is held with no lift condition")
		}
		if p.Hold.Rule == "" {
			add(string(p.Person) + " has a hold with no rule")
		}
	}
	if r.Outcome != OutcomeRemovalMay && r.Outcome != OutcomeNotCovered {
		return out
	}
	if len(r.Missing) > 0 {
		add(string(r.Outcome) + " with missing facts")
	}
	unknown := func(cs []Criterion) bool {
		for _, c := range cs {
			if c.Status == Unknown {
				return true
			}
		}
		return false
	}
	if unknown(r.Criteria) {
		add(string(r.Outcome) + " with an unknown family criterion")
	}
	for i := range r.Persons {
		p := &r.Persons[i]
		if p.Hold.Held {
			add(string(r.Outcome) + " with " + string(p.Person) + " held")
		}
		if unknown(p.StateCriteria) {
			add(string(r.Outcome) + " with an unknown state criterion of " + string(p.Person))
		}
		for _, c := range p.Coverage {
			if c.Status == CoverageUnk || c.Status == ManualReview || unknown(c.Criteria) {
				add(string(r.Outcome) + " with open coverage of " + string(p.Person) + " under " + c.RuleSet)
			}
		}
		for _, rm := range p.Remedies {
			if unknown(rm.Criteria) {
				add(string(r.Outcome) + " with an unknown remedy criterion of " + string(p.Person))
			}
		}
		for _, e := range p.Elections {
			if unknown(e.Criteria) {
				add(string(r.Outcome) + " with an unknown election criterion of " + string(p.Person))
			}
		}
		switch {
		case p.State == StateNegative, p.State == StateNoClaim, p.State == StateWaived, p.State == StateOutside:
		case p.State == StateRemoved && p.Location == "REMOVED" && !p.Hold.Held:
			// Outside the U.S. under cfg.removed_member_counts_as=OUTSIDE_UNIT.
		default:
			if r.Outcome == OutcomeRemovalMay {
				add("REMOVAL_MAY_PROCEED with " + string(p.Person) + " in state " + string(p.State))
			}
		}
		if p.State == StateWaived && r.Outcome == OutcomeRemovalMay {
			valid := false
			for _, e := range p.Elections {
				if e.Validity == valValid && e.Choice == "B_RETURN" {
					valid = true
				}
			}
			if !valid {
				add(string(p.Person) + " WAIVED with no valid Option B")
			}
		}
	}
	return out
}

// walkCriteria calls fn for every criterion of a result.
func walkCriteria(r *Result, fn func(where string, c *Criterion)) {
	for i := range r.Criteria {
		fn("family", &r.Criteria[i])
	}
	for i := range r.Persons {
		p := &r.Persons[i]
		w := string(p.Person)
		for j := range p.StateCriteria {
			fn(w+" state", &p.StateCriteria[j])
		}
		for _, c := range p.Coverage {
			for j := range c.Criteria {
				fn(w+" "+c.RuleSet, &c.Criteria[j])
			}
		}
		for _, rm := range p.Remedies {
			for j := range rm.Criteria {
				fn(w+" "+string(rm.Kind), &rm.Criteria[j])
			}
		}
		for _, e := range p.Elections {
			for j := range e.Criteria {
				fn(w+" "+string(e.Election), &e.Criteria[j])
			}
		}
	}
}
