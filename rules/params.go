package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"rescreen"
)

// Parameter kinds.
const (
	KindEnum = "ENUM"
	KindBool = "BOOL"
	KindDate = "DATE"
	KindInt  = "INT"
)

// paramDefs is every interpretation the engine makes, as a named parameter.
// The Appendix keys of settlement.md come first, with the Appendix's
// defaults; the readings this package had to add follow, each defaulting to
// the reading that can never wrongly permit removal.
var paramDefs = []Param{
	{Name: "cfg.cov2018.exclude_criminal", Default: "true", Kind: KindBool, Rules: []string{"COV-5", "COV-19"},
		Description: "Exclude from the June 2018 class a parent with a criminal history, as the government's July 2018 reunification practice did.",
		Source:      "settlement.md Appendix; COV-5 (REPORTED: EFE, July 2018)"},
	{Name: "cfg.cov2018.exclude_disease", Default: "true", Kind: KindBool, Rules: []string{"COV-5", "COV-19"},
		Description: "Exclude from the June 2018 class a parent with a communicable disease.",
		Source:      "settlement.md Appendix; COV-5 (REPORTED: EFE, July 2018)"},
	{Name: "cfg.cov2018.exclude_interior", Default: "true", Kind: KindBool, Rules: []string{"COV-5", "COV-19"},
		Description: "Exclude from the June 2018 class a parent apprehended in the interior. An interior apprehension is otherwise taken as an entry between ports (COV-2).",
		Source:      "settlement.md Appendix; COV-5 (REPORTED: EFE, July 2018)"},
	{Name: "cfg.cov2018.custody_on_or_after", Default: "2018-06-26", Kind: KindDate, Rules: []string{"COV-7"},
		Description: "The June 2018 class reaches a parent only if a separated child was in ORR or DHS custody on or after this date.",
		Source:      "settlement.md Appendix; COV-7 (ECF 335)"},
	{Name: "cfg.cov2018s.require_in_us", Default: "true", Kind: KindBool, Rules: []string{"COV-9a"},
		Description: "The Parent Settlement Class requires the parent to be in the U.S. A removed parent gets only the D rules either way (COV-13).",
		Source:      "settlement.md Appendix; COV-9a (report's inference)"},
	{Name: "cfg.cov2018s.require_negative_or_order", Default: "true", Kind: KindBool, Rules: []string{"COV-9a"},
		Description: "The Parent Settlement Class requires a negative credible or reasonable fear determination or a removal order.",
		Source:      "settlement.md Appendix; COV-9a (report's inference)"},
	{Name: "cfg.cov2018s.child_test", Default: "SEPARATED_FROM_CLASS_PARENT_IN_US", Kind: KindEnum,
		Values: []string{"SEPARATED_FROM_CLASS_PARENT_IN_US", "SEPARATED_IN_US"}, Rules: []string{"COV-14"},
		Description: "Test of the Child Settlement Class. SEPARATED_FROM_CLASS_PARENT_IN_US: separated from an adult who is in the June 2018 class, and in the U.S.; a child of an adult excluded for personal reasons (COV-3 to COV-5) or of a guardian goes to manual review (SC-13). SEPARATED_IN_US: separated from any adult of a family within the class's scope, and in the U.S.",
		Source:      "settlement.md Appendix; COV-14 (M.M.M. TRO 2018-08-16; NPR 2018-09-13)"},
	{Name: "cfg.cov2018s.guardians", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "COVERED", "NOT_COVERED"}, Rules: []string{"COV-16", "COV-14"},
		Description: "Coverage of a non-parent legal guardian under the 2018 settlement, and of a child separated from one.",
		Source:      "settlement.md Appendix; COV-16 (KQED 2018-11-15)"},
	{Name: "cfg.cov2018s.no_prior_interview", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "COVERED", "NOT_COVERED"}, Rules: []string{"COV-17"},
		Description: "Coverage of a separated parent in the U.S. with a removal order but no credible or reasonable fear determination on record.",
		Source:      "settlement.md Appendix; COV-17 (001_b9785a4cd5c48d70.txt)"},
	{Name: "cfg.cov2019.gets_2018_procedures", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "APPLY", "NONE"}, Rules: []string{"COV-20"},
		Description: "Whether members who are in the class only through the 2019 expansion get the 2018 procedures (R-P, R-C, F, H). NONE leaves them outside the family unit unless positive.",
		Source:      "settlement.md Appendix; COV-20"},
	{Name: "cfg.cov2023.window_inclusive", Default: "true", Kind: KindBool, Rules: []string{"COV-22"},
		Description: "The 2023 class window 2017-01-20 to 2021-01-20 includes its end date.",
		Source:      "settlement.md Appendix; COV-22 (DHS fact sheet 2023-10-16)"},
	{Name: "cfg.interview_trigger", Default: "ALL_ELIGIBLE", Kind: KindEnum,
		Values: []string{"ALL_ELIGIBLE", "IF_WARRANTED"}, Rules: []string{"R-P2"},
		Description: "ALL_ELIGIBLE: every reviewed parent gets a new interview, so a negative re-determination without an interview date is incomplete. IF_WARRANTED: the review decides whether an interview is held, so a review decided without one stands.",
		Source:      "settlement.md Appendix; R-P2 (001_b9785a4cd5c48d70.txt; Courthouse News)"},
	{Name: "cfg.r_p5_action", Default: "BLOCK", Kind: KindEnum,
		Values: []string{"BLOCK", "FLAG"}, Rules: []string{"R-P5"},
		Description: "A negative re-determination that relies on inconsistencies without considering the parent's psychological state is NONCOMPLIANT. BLOCK: it is not final and the parent stays PENDING. FLAG: it counts as negative and is flagged.",
		Source:      "settlement.md Appendix; R-P5"},
	{Name: "cfg.ij_review_available", Default: "UNKNOWN", Kind: KindEnum,
		Values: []string{"UNKNOWN", "YES", "NO"}, Rules: []string{"R-P8"},
		Description: "Whether an immigration judge may review a negative re-determination. UNKNOWN: the question goes to counsel by hand and a final negative counts as final. YES: a negative is final only once an immigration judge's removal order dated on or after it is on record. NO: a final negative is final.",
		Source:      "settlement.md Appendix; R-P8"},
	{Name: "cfg.child_no_claim_as", Default: "NEGATIVE", Kind: KindEnum,
		Values: []string{"NEGATIVE", "EXCLUDE"}, Rules: []string{"R-C5"},
		Description: "How a child who claims no fear (NO_CLAIM) counts in the family table: as finished and negative, or left out of the unit the F rules combine (the child keeps the family's hold until the outcome lifts it).",
		Source:      "settlement.md Appendix; R-C5"},
	{Name: "cfg.f8_mixed_fail_waive", Default: "REMOVAL_MAY_PROCEED", Kind: KindEnum,
		Values: []string{"REMOVAL_MAY_PROCEED", "MANUAL_REVIEW"}, Rules: []string{"F-8"},
		Description: "Outcome when every member has finished, some by a valid waiver and some negative or NO_CLAIM, and nobody is positive or pending.",
		Source:      "settlement.md Appendix; F-8"},
	{Name: "cfg.partial_waiver", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "REMOVE_WAIVER_ONLY", "HOLD_ALL"}, Rules: []string{"F-9"},
		Description: "A waiver by some members while others are pending or positive is never a family waiver. MANUAL_REVIEW: the waiving member goes to manual review and stays held. REMOVE_WAIVER_ONLY: the waiving member's own hold is lifted. HOLD_ALL: the waiving member stays WAIVED and held with the others.",
		Source:      "settlement.md Appendix; F-9"},
	{Name: "cfg.family_unit_scope", Default: "SEPARATED_MEMBERS", Kind: KindEnum,
		Values: []string{"SEPARATED_MEMBERS", "ALL_MEMBERS"}, Rules: []string{"F-10"},
		Description: "Who forms the family unit the F rules combine: parents, guardians and children linked by separation events (a parent, guardian or child with no separation on record has unknown membership, which blocks REMOVAL_MAY_PROCEED), or every parent, guardian and child on the family record.",
		Source:      "settlement.md Appendix; F-10"},
	{Name: "cfg.any_positive_keeps_all", Default: "true", Kind: KindBool, Rules: []string{"F-10"},
		Description: "A positive member keeps every member of the unit in the U.S. When false, members not linked by a separation event to a positive member go to manual review instead (they stay held).",
		Source:      "settlement.md Appendix; F-10"},
	{Name: "cfg.case_concluded_at", Default: "FINAL_ADMIN_DECISION", Kind: KindEnum,
		Values: []string{"FINAL_ADMIN_DECISION", "APPEALS_EXHAUSTED"}, Rules: []string{"H-4", "F-12"},
		Description: "When a positive child's asylum case has concluded, for the hold on an F-2 parent: at the final administrative decision (decided_on) or when appeals are exhausted (appeals_exhausted_on).",
		Source:      "settlement.md Appendix; H-4"},
	{Name: "cfg.invalid_form_action", Default: "TREAT_AS_NOT_RETURNED", Kind: KindEnum,
		Values: []string{"TREAT_AS_NOT_RETURNED", "MANUAL_REVIEW"}, Rules: []string{"W7"},
		Description: "What an INVALID election form does: it is treated as not returned (the member stays PENDING, outreach follows), or the member goes to manual review.",
		Source:      "settlement.md Appendix; W7"},
	{Name: "cfg.day_type", Default: "CALENDAR", Kind: KindEnum,
		Values: []string{"CALENDAR", "BUSINESS"}, Rules: []string{"T-1", "T-2"},
		Description: "Whether day counts are calendar days or federal business days. No source says; calendar days give the earlier, safer warning.",
		Source:      "settlement.md Appendix; section 5"},
	{Name: "cfg.weekend_roll", Default: "NONE", Kind: KindEnum,
		Values: []string{"NONE", "FORWARD", "BACKWARD"}, Rules: []string{"T-1", "T-2"},
		Description: "Whether a day-count deadline that falls on a weekend or federal holiday moves to the next (FORWARD) or previous (BACKWARD) business day.",
		Source:      "settlement.md Appendix; section 5"},
	{Name: "cfg.t1_anchor", Default: "2018-11-15", Kind: KindDate, Rules: []string{"T-1", "D-4"},
		Description: "Day 0 of class counsel's 30 days to choose deported parents' cases (T-1).",
		Source:      "settlement.md Appendix; T-1 (KQED 2018-11-15)"},
	{Name: "cfg.t2_days", Default: "", Kind: KindInt, Rules: []string{"T-2", "R-P9"},
		Description: "Number of days in which orientation and interviews must start after an election (\"within days\"). Unset: the elapsed time is reported and no due date.",
		Source:      "settlement.md Appendix; T-2 (SD Union-Tribune 2018-10-18)"},
	{Name: "cfg.t15_anchor_late_members", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "EFFECTIVE_DATE", "CLAIM_DATE"}, Rules: []string{"T-15"},
		Description: "Day 0 of the 2023 asylum filing window for a member who claimed after the effective date: unknown (the deadline NEEDS_INFORMATION), the effective date 2023-12-11, or the member's claim date.",
		Source:      "settlement.md Appendix; T-15"},
	{Name: "cfg.t17_six_month_scope", Default: "PER_PERSON_EXPIRY", Kind: KindEnum,
		Values: []string{"PER_PERSON_EXPIRY", "UNEXPIRED_AT_ORDER"}, Rules: []string{"T-17", "T-10", "T-11", "T-12", "T-13", "T-14"},
		Description: "Which services, parole and work permits the 2025 six-month extension reaches: every person's expiry date, or only those not yet expired on the order date.",
		Source:      "settlement.md Appendix; T-17"},
	{Name: "cfg.t17_order_date", Default: "", Kind: KindDate, Rules: []string{"T-17", "T-15", "T-16"},
		Description: "Date of the 2025 order extending the 2023 settlement's deadlines (not in the sources). Unset: the extensions are reported as dates that need this order date, and a 2023 deadline that turns on them NEEDS_INFORMATION. Set: the extensions apply from this date on.",
		Source:      "settlement.md T-17 (SD Union-Tribune, 2025; Here San Diego, 2025); this package"},
	{Name: "cfg.w4_age_on", Default: "SIGNING_DATE", Kind: KindEnum,
		Values: []string{"SIGNING_DATE", "RECEIVED_DATE"}, Rules: []string{"W4"},
		Description: "The day on which a child's age is taken for the under-14 rule of W4. The signing date is the earlier one, so it finds more children under 14 and asks for more parent signatures.",
		Source:      "settlement.md W4 (\"taking the age on the signing date is UNCONFIRMED\"); this package"},
	{Name: "cfg.w6_breach_action", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "IGNORE"}, Rules: []string{"W6"},
		Description: "What an Option B form does that did not go to class counsel by mail or email: W7 does not list W6, so the form is not INVALID, but it goes to manual review (MANUAL_REVIEW), or the breach is only reported (IGNORE).",
		Source:      "settlement.md W6, W7; this package"},
	{Name: "cfg.cov2018s.in_force_from", Default: "FINAL_APPROVAL", Kind: KindEnum,
		Values: []string{"FINAL_APPROVAL", "PRELIMINARY_APPROVAL", "IMPLEMENTATION_ORDER"}, Rules: []string{"V-1", "H-1", "COV-9"},
		Description: "The date from which the 2018 settlement's procedures are in force: final approval 2018-11-15, preliminary approval 2018-10-09 or the early-implementation order 2018-10-18. Before it, covered families are held by the July 2018 stay (H-1) and cannot reach REMOVAL_MAY_PROCEED; determinations made under early implementation count once it is in force.",
		Source:      "settlement.md 3.2 and section 6 (ECF 256; M.M.M. ECF 87; KQED 2018-11-15); this package"},
	{Name: "cfg.removed_member_counts_as", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "OUTSIDE_UNIT"}, Rules: []string{"F-10", "D-1", "D-2", "H-1"},
		Description: "How a unit member removed from the U.S. (and not returned) counts for the family outcome. MANUAL_REVIEW: the member never finished the process, so the family cannot reach REMOVAL_MAY_PROCEED and goes to manual review (returns are case by case, D-2). OUTSIDE_UNIT: the member is outside the U.S. and outside the unit; the members in the U.S. decide.",
		Source:      "settlement.md D-1, D-2, H-1, SC-10; this package"},
	{Name: "cfg.cov2023.removal_bar", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "NONE"}, Rules: []string{"COV-22", "F-7"},
		Description: "What membership in the 2023 class does to a family that the 2018 procedures would release or do not cover. MANUAL_REVIEW: such a family goes to manual review, because the 2023 settlement's parole and asylum window are not encoded as a removal bar. NONE: the 2023 class only brings benefits and deadlines.",
		Source:      "settlement.md COV-22 to COV-24, T-10 to T-17, F-7; this package"},
	{Name: "cfg.cov2023.unclaimed", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "NOT_COVERED"}, Rules: []string{"COV-24"},
		Description: "COV-2023 status of a person within the class definition with no Task Force claim on record: manual review (they may still claim), or not covered.",
		Source:      "settlement.md COV-24; this package"},
	{Name: "cfg.cov2018s.negative_not_while_separated", Default: "MANUAL_REVIEW", Kind: KindEnum,
		Values: []string{"MANUAL_REVIEW", "COVERED", "NOT_COVERED"}, Rules: []string{"COV-10"},
		Description: "Coverage of a parent whose negative determination was made while not separated from the child: the settlement's target group is parents screened after separation (COV-10), so this is unresolved.",
		Source:      "settlement.md COV-10 (Muslim Advocates, Nov 2018; 000_09e151171269c68e.txt); this package"},
	{Name: "cfg.election_form_from", Default: "2018-10-09", Kind: KindDate, Rules: []string{"W1", "W7"},
		Description: "The first day an election form can have been signed: a form signed before it predates the settlement's election form and is INVALID (not a waiver). Default: preliminary approval (ECF 256), when the court approved the notice and form; forms were being signed in October 2018 (W9), and the form itself is on the docket from 2018-11-02 (ECF 302-309), a later and stricter choice.",
		Source:      "settlement.md section 6 (ECF 256; ECF 302-309), W9; this package"},
}

// Small enumerations of the parameter values the hot path compares.
type covEffectParam uint8

const (
	peManual covEffectParam = iota
	peCovered
	peNotCovered
)

// config is the parsed form of the parameters in force.
type config struct {
	excludeCriminal, excludeDisease, excludeInterior bool
	custodyOnOrAfter                                 rescreen.Date
	requireInUS, requireNegOrOrder                   bool
	childTestAnyAdult                                bool
	guardians, noPriorInterview, notWhileSeparated   covEffectParam
	gets2018                                         string
	windowInclusive                                  bool
	interviewIfWarranted                             bool
	rp5Flag                                          bool
	ijReview                                         string
	noClaimExclude                                   bool
	f8Manual                                         bool
	partialWaiver                                    string
	unitAllMembers                                   bool
	anyPositiveKeepsAll                              bool
	concludedAtAppeals                               bool
	invalidFormManual                                bool
	businessDays                                     bool
	weekendRoll                                      string
	t1Anchor                                         rescreen.Date
	t2Days                                           int
	t2Set                                            bool
	t15Late                                          string
	t17Unexpired                                     bool
	t17Order                                         rescreen.Date
	w4AgeOnReceived                                  bool
	w6Ignore                                         bool
	inForce                                          rescreen.Date
	removedOutside                                   bool
	cov2023Bar                                       bool
	unclaimedNotCovered                              bool
	electionFormFrom                                 rescreen.Date
}

var paramIndex = func() map[string]*Param {
	m := make(map[string]*Param, len(paramDefs))
	for i := range paramDefs {
		m[paramDefs[i].Name] = &paramDefs[i]
	}
	return m
}()

// checkParams validates p and returns the value in force of every parameter.
func checkParams(p Params) (Params, error) {
	var unknown []string
	for name := range p {
		if _, ok := paramIndex[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		names := make([]string, len(paramDefs))
		for i, d := range paramDefs {
			names[i] = d.Name
		}
		sort.Strings(names)
		return nil, fmt.Errorf("rules: unknown parameter %q; the parameters are %s", unknown[0], strings.Join(names, ", "))
	}
	vals := make(Params, len(paramDefs))
	for _, d := range paramDefs {
		v, ok := p[d.Name]
		if !ok || v == "" {
			v = d.Default
		}
		if v != "" {
			if err := checkValue(&d, v); err != nil {
				return nil, err
			}
		}
		vals[d.Name] = v
	}
	return vals, nil
}

func checkValue(d *Param, v string) error {
	switch d.Kind {
	case KindEnum:
		for _, a := range d.Values {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("rules: parameter %s: %q is not allowed; allowed: %s", d.Name, v, strings.Join(d.Values, ", "))
	case KindBool:
		if v != "true" && v != "false" {
			return fmt.Errorf("rules: parameter %s: %q is not allowed; allowed: true, false", d.Name, v)
		}
	case KindDate:
		dt, err := rescreen.ParseDate(v)
		if err != nil || dt.Year < 1900 || dt.Year > 2100 {
			return fmt.Errorf("rules: parameter %s: %q is not allowed; allowed: a date written 2006-01-02 between 1900 and 2100, or empty for unset", d.Name, v)
		}
	case KindInt:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 3650 {
			return fmt.Errorf("rules: parameter %s: %q is not allowed; allowed: a whole number of days from 0 to 3650, or empty for unset", d.Name, v)
		}
	}
	return nil
}

func covEffectOf(v string) covEffectParam {
	switch v {
	case "COVERED":
		return peCovered
	case "NOT_COVERED":
		return peNotCovered
	}
	return peManual
}

// parseConfig turns checked values into the config the evaluation reads.
func parseConfig(v Params) *config {
	b := func(n string) bool { return v[n] == "true" }
	dt := func(n string) rescreen.Date {
		d, _ := rescreen.ParseDate(v[n])
		return d
	}
	c := &config{
		excludeCriminal:      b("cfg.cov2018.exclude_criminal"),
		excludeDisease:       b("cfg.cov2018.exclude_disease"),
		excludeInterior:      b("cfg.cov2018.exclude_interior"),
		custodyOnOrAfter:     dt("cfg.cov2018.custody_on_or_after"),
		requireInUS:          b("cfg.cov2018s.require_in_us"),
		requireNegOrOrder:    b("cfg.cov2018s.require_negative_or_order"),
		childTestAnyAdult:    v["cfg.cov2018s.child_test"] == "SEPARATED_IN_US",
		guardians:            covEffectOf(v["cfg.cov2018s.guardians"]),
		noPriorInterview:     covEffectOf(v["cfg.cov2018s.no_prior_interview"]),
		notWhileSeparated:    covEffectOf(v["cfg.cov2018s.negative_not_while_separated"]),
		gets2018:             v["cfg.cov2019.gets_2018_procedures"],
		windowInclusive:      b("cfg.cov2023.window_inclusive"),
		interviewIfWarranted: v["cfg.interview_trigger"] == "IF_WARRANTED",
		rp5Flag:              v["cfg.r_p5_action"] == "FLAG",
		ijReview:             v["cfg.ij_review_available"],
		noClaimExclude:       v["cfg.child_no_claim_as"] == "EXCLUDE",
		f8Manual:             v["cfg.f8_mixed_fail_waive"] == "MANUAL_REVIEW",
		partialWaiver:        v["cfg.partial_waiver"],
		unitAllMembers:       v["cfg.family_unit_scope"] == "ALL_MEMBERS",
		anyPositiveKeepsAll:  b("cfg.any_positive_keeps_all"),
		concludedAtAppeals:   v["cfg.case_concluded_at"] == "APPEALS_EXHAUSTED",
		invalidFormManual:    v["cfg.invalid_form_action"] == "MANUAL_REVIEW",
		businessDays:         v["cfg.day_type"] == "BUSINESS",
		weekendRoll:          v["cfg.weekend_roll"],
		t1Anchor:             dt("cfg.t1_anchor"),
		t15Late:              v["cfg.t15_anchor_late_members"],
		t17Unexpired:         v["cfg.t17_six_month_scope"] == "UNEXPIRED_AT_ORDER",
		t17Order:             dt("cfg.t17_order_date"),
		w4AgeOnReceived:      v["cfg.w4_age_on"] == "RECEIVED_DATE",
		w6Ignore:             v["cfg.w6_breach_action"] == "IGNORE",
		removedOutside:       v["cfg.removed_member_counts_as"] == "OUTSIDE_UNIT",
		cov2023Bar:           v["cfg.cov2023.removal_bar"] == "MANUAL_REVIEW",
		unclaimedNotCovered:  v["cfg.cov2023.unclaimed"] == "NOT_COVERED",
		electionFormFrom:     dt("cfg.election_form_from"),
	}
	if s := v["cfg.t2_days"]; s != "" {
		c.t2Days, _ = strconv.Atoi(s)
		c.t2Set = true
	}
	switch v["cfg.cov2018s.in_force_from"] {
	case "PRELIMINARY_APPROVAL":
		c.inForce = datePrelimApproval
	case "IMPLEMENTATION_ORDER":
		c.inForce = dateImplementation
	default:
		c.inForce = dateFinalApproval
	}
	return c
}
