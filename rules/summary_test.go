package rules

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestPrintSummary prints one line per scenario member, for reviewing the
// golden files: RULES_SUMMARY=1 go test -run TestPrintSummary -v ./rules
func TestPrintSummary(t *testing.T) {
	if os.Getenv("RULES_SUMMARY") == "" {
		t.Skip()
	}
	for _, sc := range scenarios {
		res, names := resultsOf(t, sc)
		sort.Strings(names)
		for _, n := range names {
			r := res[n]
			fmt.Printf("%s/%s as of %s: %s missing=%v\n", sc.id, n, r.AsOf, r.Outcome, r.Missing)
			for _, p := range r.Persons {
				fmt.Printf("   %s %s %s state=%s hold=%v/%s", p.Person, p.Role, p.Location, p.State, p.Hold.Held, p.Hold.Rule)
				for _, c := range p.Coverage {
					fmt.Printf(" %s=%s", c.RuleSet[4:], c.Status)
				}
				for _, rm := range p.Remedies {
					fmt.Printf(" | %s:%s", rm.Kind, rm.State)
				}
				for _, e := range p.Elections {
					fmt.Printf(" | el %s %s %s", e.Election, e.Choice, e.Validity)
				}
				for _, d := range p.Deadlines {
					fmt.Printf(" | %s %s %s", d.ID, d.Due, d.Status)
				}
				fmt.Println()
				if p.Hold.Held {
					fmt.Printf("      lift: %s\n", p.Hold.LiftCondition)
				}
			}
		}
	}
}
