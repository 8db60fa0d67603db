package app

import (
	"fmt"
	"slices"
	"testing"

	"rescreen"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/synth"
)

// TestWaitsAgreeWithSR11: the W9 clock the family page shows measures
// what the status report's SR-11 counts. On a synthetic class evaluated
// at several dates, the waits of the class members' Option A forms, done
// and still waiting, have the report's count, median, 90th percentile and
// maximum; a change to either definition fails here.
func TestWaitsAgreeWithSR11(t *testing.T) {
	eng, err := rules.NewEngine(rules.Params{})
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2018-11-15", "2018-12-20", "2019-06-01", "2021-01-04"} {
		asOf := rescreen.MustDate(day)
		tally := report.NewTally(asOf)
		var done, waiting []int
		states := map[string]int{}
		err := synth.Generate(synth.Config{Families: 800, Seed: synth.DefaultSeed}, func(d *rescreen.Dataset) error {
			det := eng.Evaluate(d, asOf)
			tally.Add(d, det)
			covered := map[rescreen.Ref]bool{}
			for _, p := range det.Persons {
				for _, c := range p.Coverage {
					covered[p.Person] = covered[p.Person] || c.Status == rescreen.Covered
				}
			}
			for _, w := range electionWaits(d, asOf) {
				states[w.State]++
				if w.Days < 0 {
					return fmt.Errorf("a negative wait: %+v", w)
				}
				if !covered[w.Person] {
					continue
				}
				switch w.State {
				case rescreen.WaitInterviewed:
					done = append(done, w.Days)
				case rescreen.WaitWaiting:
					waiting = append(waiting, w.Days)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rep := tally.Report("waits", report.Snapshot{}, eng.Version())
		for group, days := range map[string][]int{"done": done, "waiting": waiting} {
			slices.Sort(days)
			want := map[string]int64{"count": int64(len(days))}
			if len(days) > 0 {
				rank := func(p int) int64 { return int64(days[max((p*len(days)+99)/100, 1)-1]) }
				want["median"], want["p90"], want["max"] = rank(50), rank(90), int64(days[len(days)-1])
			}
			for stat, v := range want {
				got, ok := rep.Get("SR-11", group+" "+stat)
				if !ok || got != v {
					t.Errorf("%s: SR-11 %s %s is %d (%v), the family pages' waits give %d", day, group, stat, got, ok, v)
				}
			}
		}
		if len(done)+len(waiting) == 0 {
			t.Errorf("%s: no wait measured; the class has no Option A elections to compare", day)
		}
		t.Logf("%s: %d done, %d waiting; states %v", day, len(done), len(waiting), states)
	}
}
