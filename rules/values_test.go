package rules

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"rescreen"
)

// TestValueMarks checks the marks of the values in the explanations: in
// order, inside the text, and covering what the records gave: a date, a
// record's key or a number is always marked, never left in a phrase.
func TestValueMarks(t *testing.T) {
	e := mustEngine(t, nil)
	r := rand.New(rand.NewPCG(5, 5))
	dateOrKey := regexp.MustCompile(`\d{4}-\d{2}-\d{2}|\b[A-Z][A-Z0-9_]*:[A-Za-z0-9][A-Za-z0-9_-]*`)
	texts, early := 0, 0
	check := func(what, s string, vals rescreen.TextValues) {
		if s == "" {
			return
		}
		texts++
		if len(vals)%2 != 0 {
			t.Fatalf("%s %q: odd marks %v", what, s, vals)
		}
		at := int32(0)
		var phrases strings.Builder
		for i := 0; i < len(vals); i += 2 {
			if vals[i] < at || vals[i+1] <= vals[i] || int(vals[i+1]) > len(s) {
				t.Fatalf("%s %q: marks %v out of order or range", what, s, vals)
			}
			phrases.WriteString(s[at:vals[i]])
			phrases.WriteByte('|')
			at = vals[i+1]
		}
		phrases.WriteString(s[at:])
		// Rule ids, citations and parameter values are part of the
		// phrases; a date or a record's key must not be.
		if m := dateOrKey.FindString(phrases.String()); m != "" && !fixedInPhrase(m) {
			t.Errorf("%s %q: %q is not marked as a value (phrases: %q)", what, s, m, phrases.String())
		}
	}
	crit := func(cs []Criterion) {
		for _, c := range cs {
			check("detail", c.Detail, c.DetailValues)
		}
	}
	for i := 0; i < 1500 && !t.Failed(); i++ {
		d, asOf := genFamily(r)
		res := e.Evaluate(d, asOf)
		crit(res.Criteria)
		for _, p := range res.Persons {
			crit(p.StateCriteria)
			for _, c := range p.Coverage {
				crit(c.Criteria)
			}
			for _, c := range p.Remedies {
				crit(c.Criteria)
			}
			for _, c := range p.Elections {
				crit(c.Criteria)
			}
			check("reason", p.Hold.Reason, p.Hold.ReasonValues)
			check("lift", p.Hold.LiftCondition, p.Hold.LiftValues)
			for _, dl := range p.Deadlines {
				check("deadline", dl.Detail, dl.DetailValues)
				if dl.Length < 0 {
					t.Errorf("%s: a negative length %d: %s", dl.ID, dl.Length, dl.Detail)
				}
				if dl.ID == "W9" && strings.HasPrefix(dl.Detail, "Decided on ") {
					early++
				}
			}
		}
	}
	if texts < 10000 {
		t.Fatalf("only %d texts checked", texts)
	}
	t.Logf("%d texts; %d decisions before the election", texts, early)
}

// fixedInPhrase reports whether a date is one the rules' phrases name
// themselves: the settlement's own dates.
func fixedInPhrase(m string) bool {
	switch m {
	case "2017-07-01", "2018-06-26", "2018-09-12", "2019-03-08", "2019-10-25", "2023-12-11":
		return true
	}
	return false
}
