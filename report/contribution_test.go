package report_test

import (
	"bytes"
	"testing"

	"rescreen"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/synth"
)

// TestContributionsAddUpToTheTally checks, on synthetic families
// evaluated by the rules at three dates, that a report summed from the
// families' contributions is the report made by adding the families
// themselves, byte for byte, whichever tallies the contributions go to.
func TestContributionsAddUpToTheTally(t *testing.T) {
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2018-09-01", "2019-06-01", "2024-01-15"} {
		asOf := rescreen.MustDate(day)
		direct := report.NewTally(asOf)
		summed := []*report.Tally{report.NewTally(asOf), report.NewTally(asOf)}
		n := 0
		err := synth.Generate(synth.Config{Seed: 7, Families: 400}, func(d *rescreen.Dataset) error {
			r := eng.Evaluate(d, asOf)
			direct.Add(d, r)
			c := report.Contribution(d, r, asOf)
			if err := summed[n%2].AddContribution(c); err != nil {
				t.Fatalf("family %d: %v", n, err)
			}
			if !bytes.Equal(c, report.Contribution(d, r, asOf)) {
				t.Fatalf("family %d: the contribution is not the same twice", n)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		summed[0].Merge(summed[1])
		var a, b bytes.Buffer
		snap := report.Snapshot{AuditSeq: 1, AuditHash: "h"}
		if err := direct.Report("r", snap, eng.Version()).WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		if err := summed[0].Report("r", snap, eng.Version()).WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the summed contributions differ from the direct tally:\n%s\n---\n%s", day, a.String(), b.String())
		}
		if v, _ := direct.Report("r", snap, "").Get("SR-1", ""); v != 400 {
			t.Errorf("%s: SR-1 = %d, want 400", day, v)
		}
	}
}

func TestMalformedContributionAddsNothing(t *testing.T) {
	asOf := rescreen.MustDate("2019-06-01")
	d := &rescreen.Dataset{Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "CBP_E3", SourceID: "F1"}}}}
	r := &rescreen.Determination{Outcome: rescreen.OutcomePending}
	good := report.Contribution(d, r, asOf)
	bad := [][]byte{nil, {}, {9}, good[:len(good)-1], append(append([]byte{}, good...), 0),
		{1, 1, 3, 'S', 'R', '1', 1, 0, 0}, // a key without a group separator
		{1, 1, 200, 'x'},                  // a key longer than the bytes left
	}
	for i, b := range bad {
		tl := report.NewTally(asOf)
		if err := tl.AddContribution(b); err == nil {
			t.Errorf("case %d (% x): accepted", i, b)
		}
		if v, _ := tl.Report("r", report.Snapshot{}, "").Get("SR-1", ""); v != 0 {
			t.Errorf("case %d: a malformed contribution counted SR-1 = %d", i, v)
		}
	}
	tl := report.NewTally(asOf)
	if err := tl.AddContribution(good); err != nil {
		t.Fatal(err)
	}
	if v, _ := tl.Report("r", report.Snapshot{}, "").Get("SR-1", ""); v != 1 {
		t.Errorf("SR-1 = %d, want 1", v)
	}
}
