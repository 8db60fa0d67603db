package rules

import (
	"testing"
)

// TestEffectiveDates checks both sides of every date on which a rule set or
// a deadline takes effect: the day before and the day itself.
func TestEffectiveDates(t *testing.T) {
	e := mustEngine(t, nil)
	eval := func(f *fb, asOf string) *Result { return e.Evaluate(f.dataset(), day(asOf)) }

	t.Run("2018-06-26 class order", func(t *testing.T) {
		f := baseFamily()
		before, on := eval(f, "2018-06-25"), eval(f, "2018-06-26")
		wantCoverage(t, before, "P-1", RS2018June, NotInForce)
		wantOutcome(t, before, OutcomeNotCovered)
		wantHeld(t, before, "P-1", false, "")
		wantCoverage(t, on, "P-1", RS2018June, Covered)
		wantCoverage(t, on, "P-1", RS2018S, NotInForce)
		wantOutcome(t, on, OutcomePending)
		wantHeld(t, on, "P-1", true, "H-1")
		wantHeld(t, on, "P-2", true, "H-1")
	})

	t.Run("2018-11-15 final approval", func(t *testing.T) {
		// Determinations made under early implementation count from the
		// day the settlement is in force, not before.
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-01").childResult("R-2", "P-2", "NEGATIVE", "2018-11-02")
		before, on := eval(f, "2018-11-14"), eval(f, "2018-11-15")
		wantCoverage(t, before, "P-1", RS2018S, NotInForce)
		wantOutcome(t, before, OutcomePending)
		wantHeld(t, before, "P-1", true, "H-1")
		wantCoverage(t, on, "P-1", RS2018S, Covered)
		wantOutcome(t, on, OutcomeRemovalMay)
		wantHeld(t, on, "P-1", false, "H-2")
	})

	t.Run("2019-03-08 class expansion", func(t *testing.T) {
		f := sc15()
		before, on := eval(f, "2019-03-07"), eval(f, "2019-03-08")
		wantCoverage(t, before, "P-1", RS2019, NotInForce)
		wantOutcome(t, before, OutcomeNotCovered)
		wantCoverage(t, on, "P-1", RS2019, Covered)
		wantOutcome(t, on, OutcomeManualReview)
	})

	t.Run("2023-12-11 2023 settlement", func(t *testing.T) {
		f := sc15()
		f.p("P-1").EntryDate = day("2017-06-14")
		f.p("P-2").EntryDate = day("2017-06-14")
		f.sep("S-1").On = day("2017-06-15")
		f.claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-01").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-01")
		before, on := eval(f, "2023-12-10"), eval(f, "2023-12-11")
		wantCoverage(t, before, "P-1", RS2023, NotInForce)
		wantOutcome(t, before, OutcomeNotCovered)
		wantCoverage(t, on, "P-1", RS2023, Covered)
		wantOutcome(t, on, OutcomeManualReview)
		wantHeld(t, on, "P-1", true, "COV-22")
	})

	t.Run("2025-12-11 asylum filing deadline", func(t *testing.T) {
		for _, tt := range []struct {
			filed, asOf, status string
		}{
			{"2025-12-11", "2025-12-20", dlMet},
			{"2025-12-12", "2025-12-20", dlNeeds}, // late unless T-17 applies, and its date is unset
			{"", "2025-12-11", dlOpen},
			{"", "2025-12-12", dlNeeds},
		} {
			f := baseFamily().claim("P-1", "2023-10-01", "ACCEPTED", "2023-11-01")
			if tt.filed != "" {
				f.proceeding("A-1", "P-1", "ASYLUM_APPLICATION", tt.filed, "ACTIVE")
			}
			d := deadline(t, eval(f, tt.asOf), "P-1", "T-15")
			if d.Status != tt.status || d.Due != day("2025-12-11") {
				t.Errorf("filed %q as of %s: T-15 %s due %s, want %s due 2025-12-11", tt.filed, tt.asOf, d.Status, d.Due, tt.status)
			}
		}
	})

	t.Run("T-17 extension", func(t *testing.T) {
		e17 := mustEngine(t, Params{"cfg.t17_order_date": "2025-07-01"})
		f := baseFamily().claim("P-1", "2023-10-01", "ACCEPTED", "2023-11-01")
		before := e17.Evaluate(f.dataset(), day("2025-06-30"))
		on := e17.Evaluate(f.dataset(), day("2025-07-01"))
		if d := deadline(t, before, "P-1", "T-15"); d.Due != day("2025-12-11") {
			t.Errorf("the day before the order: T-15 due %s", d.Due)
		}
		if d := deadline(t, on, "P-1", "T-15"); d.Due != day("2026-12-11") {
			t.Errorf("on the order's day: T-15 due %s", d.Due)
		}
		if d := deadline(t, on, "P-1", "T-16"); d.Due != day("2030-12-11") {
			t.Errorf("on the order's day: term ends %s", d.Due)
		}
		// Both sides of the extended deadline.
		last := e17.Evaluate(f.dataset(), day("2026-12-11"))
		after := e17.Evaluate(f.dataset(), day("2026-12-12"))
		if d := deadline(t, last, "P-1", "T-15"); d.Status != dlOpen {
			t.Errorf("on 2026-12-11: T-15 %s", d.Status)
		}
		if d := deadline(t, after, "P-1", "T-15"); d.Status != dlMissed {
			t.Errorf("on 2026-12-12: T-15 %s", d.Status)
		}
	})

	t.Run("T-1 window 2018-12-15", func(t *testing.T) {
		for _, tt := range []struct {
			submitted, status string
		}{{"2018-12-15", dlMet}, {"2018-12-16", dlMissed}} {
			d := deadline(t, eval(withReturnRequest(sc10(), tt.submitted), "2019-01-15"), "P-1", "T-1")
			if d.Status != tt.status {
				t.Errorf("submitted %s: T-1 %s, want %s", tt.submitted, d.Status, tt.status)
			}
		}
	})
}
