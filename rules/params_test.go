package rules

import (
	"strings"
	"testing"

	"rescreen"
)

// paramCase is one non-default value of a parameter, a family, and the
// documented change it makes: check runs on the default result and on the
// result with the value.
type paramCase struct {
	param, value string
	family       func() *fb
	asOf         string
	check        func(t *testing.T, def, got *Result)
}

func negNegFamily() *fb {
	return baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
}

func waivedParent(f *fb) *fb {
	return f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
}

func outcomes(from, to Outcome) func(t *testing.T, def, got *Result) {
	return func(t *testing.T, def, got *Result) {
		t.Helper()
		if def.Outcome != from || got.Outcome != to {
			t.Errorf("outcome %s -> %s, want %s -> %s", def.Outcome, got.Outcome, from, to)
		}
	}
}

func coverages(id, set string, from, to CoverageStatus) func(t *testing.T, def, got *Result) {
	return func(t *testing.T, def, got *Result) {
		t.Helper()
		if a, b := coverage(t, def, id, set), coverage(t, got, id, set); a != from || b != to {
			t.Errorf("%s under %s: %s -> %s, want %s -> %s", id, set, a, b, from, to)
		}
	}
}

func deadlineCheck(id, clock, fromStatus, fromDue, toStatus, toDue string) func(t *testing.T, def, got *Result) {
	return func(t *testing.T, def, got *Result) {
		t.Helper()
		a, b := deadline(t, def, id, clock), deadline(t, got, id, clock)
		if a.Status != fromStatus || a.Due.String() != fromDue || b.Status != toStatus || b.Due.String() != toDue {
			t.Errorf("%s %s: %s due %s -> %s due %s, want %s due %s -> %s due %s", id, clock, a.Status, a.Due, b.Status, b.Due, fromStatus, fromDue, toStatus, toDue)
		}
	}
}

func both(fs ...func(t *testing.T, def, got *Result)) func(t *testing.T, def, got *Result) {
	return func(t *testing.T, def, got *Result) {
		t.Helper()
		for _, f := range fs {
			f(t, def, got)
		}
	}
}

var paramCases = []paramCase{
	{"cfg.cov2018.exclude_criminal", "false", func() *fb { f := baseFamily(); f.p("P-1").CriminalHistory = yes(); return f }, asOf2019,
		both(coverages("P-1", RS2018June, NotCovered, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018.exclude_disease", "false", func() *fb { f := baseFamily(); f.p("P-1").CommunicableDisease = yes(); return f }, asOf2019,
		both(coverages("P-1", RS2018June, NotCovered, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018.exclude_interior", "false", func() *fb { f := baseFamily(); f.p("P-1").EntryKind = rescreen.EntryInterior; return f }, asOf2019,
		both(coverages("P-1", RS2018June, NotCovered, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018.custody_on_or_after", "2018-01-01", sc15, "2018-12-01",
		both(coverages("P-1", RS2018June, NotCovered, Covered), outcomes(OutcomeNotCovered, OutcomePending))},
	{"cfg.cov2018s.require_in_us", "false", sc10, asOf2019,
		func(t *testing.T, def, got *Result) {
			coverages("P-1", RS2018S, NotCovered, Covered)(t, def, got)
			// The remedy of a removed parent stays the D rules (COV-13).
			wantRemedy(t, got, "P-1", RemedyReturnRequest, "NO_REQUEST")
		}},
	{"cfg.cov2018s.require_negative_or_order", "false", func() *fb {
		f := baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.d.Screenings, f.d.Proceedings = f.d.Screenings[1:], nil
		return f
	}, asOf2019,
		both(coverages("P-1", RS2018S, CoverageUnk, Covered), outcomes(OutcomeNeedsInfo, OutcomePending))},
	{"cfg.cov2018s.child_test", "SEPARATED_IN_US", func() *fb { f := baseFamily(); f.p("P-1").UnfitOrDanger = yes(); return f }, asOf2019,
		both(coverages("P-2", RS2018S, ManualReview, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018s.guardians", "COVERED", func() *fb { f := baseFamily(); f.p("P-1").Role = rescreen.RoleGuardian; return f }, asOf2019,
		both(coverages("P-1", RS2018S, ManualReview, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018s.guardians", "NOT_COVERED", func() *fb { f := baseFamily(); f.p("P-1").Role = rescreen.RoleGuardian; return f }, asOf2019,
		both(coverages("P-1", RS2018S, ManualReview, NotCovered), coverages("P-2", RS2018S, ManualReview, NotCovered), outcomes(OutcomeManualReview, OutcomeNotCovered))},
	{"cfg.cov2018s.no_prior_interview", "COVERED", func() *fb { f := baseFamily(); f.d.Screenings = nil; return f }, asOf2019,
		both(coverages("P-1", RS2018S, ManualReview, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018s.no_prior_interview", "NOT_COVERED", func() *fb { f := baseFamily(); f.d.Screenings = nil; return f }, asOf2019,
		coverages("P-1", RS2018S, ManualReview, NotCovered)},
	{"cfg.cov2018s.negative_not_while_separated", "COVERED", func() *fb { f := baseFamily(); f.scr("CF-1").WhileSeparated = no(); return f }, asOf2019,
		both(coverages("P-1", RS2018S, ManualReview, Covered), outcomes(OutcomeManualReview, OutcomePending))},
	{"cfg.cov2018s.negative_not_while_separated", "NOT_COVERED", func() *fb { f := baseFamily(); f.scr("CF-1").WhileSeparated = no(); return f }, asOf2019,
		coverages("P-1", RS2018S, ManualReview, NotCovered)},
	{"cfg.cov2019.gets_2018_procedures", "APPLY", sc15, "2019-04-01",
		func(t *testing.T, def, got *Result) {
			outcomes(OutcomeManualReview, OutcomePending)(t, def, got)
			wantRemedy(t, got, "P-1", RemedyParentReview, "INTERVIEW_OWED")
		}},
	{"cfg.cov2019.gets_2018_procedures", "NONE", sc15, "2019-04-01", outcomes(OutcomeManualReview, OutcomeNotCovered)},
	{"cfg.cov2023.window_inclusive", "false", func() *fb {
		f := baseFamily().claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-01").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-01")
		f.sep("S-1").On = day("2021-01-20")
		return f
	}, "2024-01-15", coverages("P-1", RS2023, Covered, NotCovered)},
	{"cfg.interview_trigger", "IF_WARRANTED", func() *fb { f := negNegFamily(); f.scr("R-1").On = rescreen.Date{}; return f }, asOf2019,
		both(outcomes(OutcomeNeedsInfo, OutcomeRemovalMay), func(t *testing.T, def, got *Result) {
			wantRemedy(t, def, "P-1", RemedyParentReview, "NEEDS_INFORMATION")
		})},
	{"cfg.r_p5_action", "FLAG", func() *fb {
		f := negNegFamily()
		f.scr("R-1").ReliesOnInconsistency, f.scr("R-1").PsychStateConsidered = yes(), no()
		return f
	}, asOf2019, func(t *testing.T, def, got *Result) {
		outcomes(OutcomePending, OutcomeRemovalMay)(t, def, got)
		wantState(t, got, "P-1", StateNegative)
		wantRemedy(t, got, "P-1", RemedyParentReview, "NONCOMPLIANT_FLAGGED")
	}},
	{"cfg.ij_review_available", "YES", negNegFamily, asOf2019, outcomes(OutcomeRemovalMay, OutcomePending)},
	{"cfg.ij_review_available", "YES", func() *fb {
		return negNegFamily().proceeding("IJ-1", "P-1", rescreen.ProcIJOrder, "2018-12-10", "ACTIVE")
	}, asOf2019, outcomes(OutcomeRemovalMay, OutcomeRemovalMay)},
	{"cfg.ij_review_available", "NO", negNegFamily, asOf2019, func(t *testing.T, def, got *Result) {
		wantRemedy(t, def, "P-1", RemedyParentReview, "DETERMINED_NEGATIVE_IJ_REVIEW_MANUAL")
		wantRemedy(t, got, "P-1", RemedyParentReview, "DETERMINED_NEGATIVE")
	}},
	{"cfg.child_no_claim_as", "EXCLUDE", func() *fb {
		return waivedParent(baseFamily()).childResult("R-2", "P-2", "NO_CLAIM", "2018-11-29")
	}, asOf2019, func(t *testing.T, def, got *Result) {
		// With F-8 sending a waiver mixed with a finished member to
		// manual review, leaving the NO_CLAIM child out turns the
		// parent's waiver into a family waiver (F-5).
		e := mustEngine(t, Params{"cfg.f8_mixed_fail_waive": "MANUAL_REVIEW"})
		e2 := mustEngine(t, Params{"cfg.f8_mixed_fail_waive": "MANUAL_REVIEW", "cfg.child_no_claim_as": "EXCLUDE"})
		f := waivedParent(baseFamily()).childResult("R-2", "P-2", "NO_CLAIM", "2018-11-29")
		a, b := e.Evaluate(f.dataset(), day(asOf2019)), e2.Evaluate(f.dataset(), day(asOf2019))
		outcomes(OutcomeManualReview, OutcomeRemovalMay)(t, a, b)
		wantCriterion(t, b.Criteria, "F-5", Met)
	}},
	{"cfg.f8_mixed_fail_waive", "MANUAL_REVIEW", func() *fb { return waivedParent(baseFamily()).childResult("R-2", "P-2", "NEGATIVE", "2018-11-29") }, asOf2019,
		outcomes(OutcomeRemovalMay, OutcomeManualReview)},
	{"cfg.partial_waiver", "REMOVE_WAIVER_ONLY", func() *fb { return waivedParent(baseFamily()) }, asOf2019, func(t *testing.T, def, got *Result) {
		wantHeld(t, def, "P-1", true, "F-9")
		wantState(t, def, "P-1", StateManual)
		wantHeld(t, got, "P-1", false, "F-9")
		wantState(t, got, "P-1", StateWaived)
		wantHeld(t, got, "P-2", true, "")
		outcomes(OutcomePending, OutcomePending)(t, def, got)
	}},
	{"cfg.partial_waiver", "HOLD_ALL", func() *fb { return waivedParent(baseFamily()) }, asOf2019, func(t *testing.T, def, got *Result) {
		wantState(t, got, "P-1", StateWaived)
		wantHeld(t, got, "P-1", true, "F-9")
	}},
	{"cfg.family_unit_scope", "ALL_MEMBERS", func() *fb {
		f := negNegFamily()
		f.person("P-3", rescreen.RoleChild, "2012-02-02", "2018-06-02")
		f.custody("C-9", "P-3", rescreen.CustodyFamily, "2018-07-20", "")
		f.childResult("R-3", "P-3", "NEGATIVE", "2018-11-29")
		return f
	}, asOf2019, func(t *testing.T, def, got *Result) {
		outcomes(OutcomeNeedsInfo, OutcomeRemovalMay)(t, def, got)
		wantCriterion(t, person(t, def, "P-3").StateCriteria, "F-10", Unknown)
	}},
	{"cfg.any_positive_keeps_all", "false", func() *fb {
		return baseFamily().addChild("P-3", "2011-01-05").parentNegative("R-1", "P-1", "2018-11-28").
			childResult("R-2", "P-2", "POSITIVE", "2018-11-29").childResult("R-3", "P-3", "NEGATIVE", "2018-11-29")
	}, asOf2019, func(t *testing.T, def, got *Result) {
		wantState(t, def, "P-3", StateNegative)
		wantHeld(t, def, "P-3", true, "F-1")
		wantState(t, got, "P-3", StateManual)
		wantHeld(t, got, "P-3", true, "F-10")
		outcomes(OutcomeStays, OutcomeStays)(t, def, got)
	}},
	{"cfg.case_concluded_at", "APPEALS_EXHAUSTED", func() *fb {
		f := baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "POSITIVE", "2018-11-29")
		f.proceeding("N-2", "P-2", rescreen.ProcSection240, "2018-12-10", "ACTIVE")
		f.proc("N-2").DecidedOn = day("2020-05-01")
		return f
	}, "2020-06-01", func(t *testing.T, def, got *Result) {
		// The child's case ended at the final administrative decision,
		// not yet at the end of appeals.
		wantHeld(t, def, "P-1", true, "F-12")
		wantState(t, def, "P-1", StateManual)
		wantHeld(t, got, "P-1", true, "H-4")
		wantState(t, got, "P-1", StateNegative)
		if lc := person(t, got, "P-1").Hold.LiftCondition; !strings.Contains(lc, "appeals exhausted") {
			t.Errorf("lift condition %q", lc)
		}
	}},
	{"cfg.invalid_form_action", "MANUAL_REVIEW", func() *fb {
		f := baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.p("P-1").Languages = []string{"mam"}
		return waivedParent(f)
	}, asOf2019, func(t *testing.T, def, got *Result) {
		outcomes(OutcomePending, OutcomeManualReview)(t, def, got)
		wantState(t, got, "P-1", StateManual)
	}},
	{"cfg.day_type", "BUSINESS", func() *fb { return withReturnRequest(sc10(), "2018-12-20") }, asOf2019,
		func(t *testing.T, def, got *Result) {
			deadlineCheck("P-1", "T-1", dlMissed, "2018-12-15", dlMet, "2018-12-31")(t, def, got)
			wantRemedy(t, def, "P-1", RemedyReturnRequest, "LATE")
			wantRemedy(t, got, "P-1", RemedyReturnRequest, "SUBMITTED")
		}},
	{"cfg.weekend_roll", "FORWARD", func() *fb { return withReturnRequest(sc10(), "2018-12-17") }, asOf2019,
		deadlineCheck("P-1", "T-1", dlMissed, "2018-12-15", dlMet, "2018-12-17")},
	{"cfg.weekend_roll", "BACKWARD", func() *fb { return withReturnRequest(sc10(), "2018-12-15") }, asOf2019,
		deadlineCheck("P-1", "T-1", dlMet, "2018-12-15", dlMissed, "2018-12-14")},
	{"cfg.t1_anchor", "2018-10-18", func() *fb { return withReturnRequest(sc10(), "2018-12-10") }, asOf2019,
		deadlineCheck("P-1", "T-1", dlMet, "2018-12-15", dlMissed, "2018-11-17")},
	{"cfg.t2_days", "5", func() *fb {
		return baseFamily().elect("E-2", "P-2", rescreen.ChoiceRemain, rescreen.SignerParent, "2018-11-20")
	}, asOf2019, deadlineCheck("P-2", "T-2", dlOpen, "", dlMissed, "2018-11-27")},
	{"cfg.t15_anchor_late_members", "EFFECTIVE_DATE", func() *fb { return baseFamily().claim("P-1", "2024-03-01", "ACCEPTED", "2024-04-01") }, "2024-06-01",
		deadlineCheck("P-1", "T-15", dlNeeds, "", dlOpen, "2025-12-11")},
	{"cfg.t15_anchor_late_members", "CLAIM_DATE", func() *fb { return baseFamily().claim("P-1", "2024-03-01", "ACCEPTED", "2024-04-01") }, "2024-06-01",
		deadlineCheck("P-1", "T-15", dlNeeds, "", dlOpen, "2026-03-01")},
	{"cfg.t17_six_month_scope", "UNEXPIRED_AT_ORDER", func() *fb {
		f := baseFamily().claim("P-1", "2023-10-01", "ACCEPTED", "2023-11-01")
		f.d.Benefits = append(f.d.Benefits, rescreen.Benefit{Meta: rescreen.Meta{Source: rescreen.SourceTaskForc, SourceID: "B-1"}, Person: pref("P-1"),
			Kind: "HOUSING", GrantedOn: day("2023-12-15"), StartsOn: day("2024-01-01")})
		return f
	}, "2025-08-01", func(t *testing.T, def, got *Result) {
		// Both with the order of 2025-07-01 in force.
		e := mustEngine(t, Params{"cfg.t17_order_date": "2025-07-01"})
		e2 := mustEngine(t, Params{"cfg.t17_order_date": "2025-07-01", "cfg.t17_six_month_scope": "UNEXPIRED_AT_ORDER"})
		f := baseFamily().claim("P-1", "2023-10-01", "ACCEPTED", "2023-11-01")
		f.d.Benefits = append(f.d.Benefits, rescreen.Benefit{Meta: rescreen.Meta{Source: rescreen.SourceTaskForc, SourceID: "B-1"}, Person: pref("P-1"),
			Kind: "HOUSING", GrantedOn: day("2023-12-15"), StartsOn: day("2024-01-01")})
		a, b := e.Evaluate(f.dataset(), day("2025-07-01")), e2.Evaluate(f.dataset(), day("2025-07-01"))
		deadlineCheck("P-1", "T-12", dlOpen, "2025-07-01", dlEnded, "2025-01-01")(t, a, b)
	}},
	{"cfg.t17_order_date", "2025-07-01", sc30, "2026-03-15",
		deadlineCheck("P-1", "T-15", dlNeeds, "2025-12-11", dlMet, "2026-12-11")},
	{"cfg.w4_age_on", "RECEIVED_DATE", func() *fb {
		f := baseFamily().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29")
		f.p("P-2").BirthDate = day("2004-11-21") // 14 on 2018-11-21
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		return f
	}, asOf2019, func(t *testing.T, def, got *Result) {
		if a, b := election(t, def, "P-2", "E-2").Validity, election(t, got, "P-2", "E-2").Validity; a != valInvalid || b != valValid {
			t.Errorf("validity %s -> %s", a, b)
		}
	}},
	{"cfg.w6_breach_action", "IGNORE", func() *fb {
		f := baseFamily()
		f.p("P-2").BirthDate = day("2002-07-01")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-11-20")
		f.el("E-1").Channel = "FAX"
		return f
	}, asOf2019, outcomes(OutcomeManualReview, OutcomeRemovalMay)},
	{"cfg.election_form_from", "2018-09-12", func() *fb {
		f := baseFamily()
		f.p("P-2").BirthDate = day("2002-07-01")
		f.elect("E-1", "P-1", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-09-20")
		f.elect("E-2", "P-2", rescreen.ChoiceReturn, rescreen.SignerSelf, "2018-09-20")
		return f
	}, asOf2019, outcomes(OutcomePending, OutcomeRemovalMay)},
	{"cfg.cov2018s.in_force_from", "PRELIMINARY_APPROVAL", func() *fb {
		return baseFamily().parentNegative("R-1", "P-1", "2018-10-12").childResult("R-2", "P-2", "NEGATIVE", "2018-10-13")
	}, "2018-10-15", outcomes(OutcomePending, OutcomeRemovalMay)},
	{"cfg.cov2018s.in_force_from", "IMPLEMENTATION_ORDER", func() *fb {
		return baseFamily().parentNegative("R-1", "P-1", "2018-10-12").childResult("R-2", "P-2", "NEGATIVE", "2018-10-13")
	}, "2018-10-20", outcomes(OutcomePending, OutcomeRemovalMay)},
	{"cfg.removed_member_counts_as", "OUTSIDE_UNIT", sc10, asOf2019, outcomes(OutcomeManualReview, OutcomePending)},
	{"cfg.removed_member_counts_as", "OUTSIDE_UNIT", func() *fb { return sc10().childResult("R-2", "P-2", "NEGATIVE", "2018-11-29") }, asOf2019,
		outcomes(OutcomeManualReview, OutcomeRemovalMay)},
	{"cfg.cov2023.removal_bar", "NONE", func() *fb {
		f := sc15()
		f.p("P-1").EntryDate, f.p("P-2").EntryDate, f.sep("S-1").On = day("2017-06-14"), day("2017-06-14"), day("2017-06-15")
		return f.claim("P-1", "2023-11-01", "ACCEPTED", "2023-12-01").claim("P-2", "2023-11-01", "ACCEPTED", "2023-12-01")
	}, "2024-01-15", outcomes(OutcomeManualReview, OutcomeNotCovered)},
	{"cfg.cov2023.unclaimed", "NOT_COVERED", negNegFamily, "2024-01-15",
		both(coverages("P-1", RS2023, ManualReview, NotCovered), outcomes(OutcomeManualReview, OutcomeRemovalMay))},
}

// TestParams checks that every non-default value of every parameter changes
// a scenario's result in the documented way, and that every parameter has
// such a case.
func TestParams(t *testing.T) {
	seen := map[string]bool{}
	for _, pc := range paramCases {
		seen[pc.param] = true
		t.Run(pc.param+"="+pc.value, func(t *testing.T) {
			def := mustEngine(t, nil).Evaluate(pc.family().dataset(), day(pc.asOf))
			got := mustEngine(t, Params{pc.param: pc.value}).Evaluate(pc.family().dataset(), day(pc.asOf))
			checkInvariants(t, "default", def)
			checkInvariants(t, pc.param, got)
			if def.Version == got.Version {
				t.Error("the version does not change with the parameter")
			}
			pc.check(t, def, got)
		})
	}
	for _, p := range paramDefs {
		if !seen[p.Name] {
			t.Errorf("parameter %s has no test of its non-default values", p.Name)
		}
		if p.Kind == KindEnum {
			for _, v := range p.Values {
				if v == p.Default {
					continue
				}
				found := false
				for _, pc := range paramCases {
					if pc.param == p.Name && pc.value == v {
						found = true
					}
				}
				if !found {
					t.Errorf("value %s of %s has no test", v, p.Name)
				}
			}
		}
	}
}

func TestNewEngineRejectsBadParams(t *testing.T) {
	for _, tt := range []struct {
		params Params
		want   []string
	}{
		{Params{"cfg.nonsense": "x"}, []string{`unknown parameter "cfg.nonsense"`, "cfg.r_p5_action"}},
		{Params{"cfg.r_p5_action": "IGNORE"}, []string{"cfg.r_p5_action", `"IGNORE" is not allowed`, "BLOCK, FLAG"}},
		{Params{"cfg.cov2018.exclude_criminal": "yes"}, []string{"cfg.cov2018.exclude_criminal", "true, false"}},
		{Params{"cfg.t1_anchor": "2018-11-31"}, []string{"cfg.t1_anchor", "2006-01-02"}},
		{Params{"cfg.t2_days": "-3"}, []string{"cfg.t2_days", "whole number"}},
	} {
		_, err := NewEngine(tt.params)
		if err == nil {
			t.Errorf("%v accepted", tt.params)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q does not contain %q", tt.params, err, w)
			}
		}
	}
	e := mustEngine(t, Params{"cfg.t2_days": "", "cfg.t17_order_date": "2025-09-01"})
	if v := e.Values(); v["cfg.t2_days"] != "" || v["cfg.t17_order_date"] != "2025-09-01" || v["cfg.r_p5_action"] != "BLOCK" || len(v) != len(paramDefs) {
		t.Errorf("values %v", v)
	}
}
