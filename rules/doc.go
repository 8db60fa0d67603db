// Package rules is the settlement as code: who is covered, what each person
// is owed, the family outcome, the removal hold, the validity of elections,
// and the deadlines that follow, each with the rule, its sources, its
// status and its dates of effect, and every criterion explained.
//
// The package is pure: it reads a family's records and an as-of date and
// returns a Result. It does no I/O and never reads the clock.
//
// # Safety
//
// A Result has Outcome REMOVAL_MAY_PROCEED only when every member of the
// family unit has a final, compliant negative determination (or counts as
// finished under the parameters) or a valid waiver, and no hold applies. A
// missing fact is UNKNOWN, and UNKNOWN never permits removal: a Result with
// any missing fact, any contradiction in the records, or any member whose
// state is not finished never has Outcome REMOVAL_MAY_PROCEED. The same
// holds for NOT_COVERED, which also lets removal go ahead as far as the
// settlement is concerned. An undated record may postdate the as-of date,
// so it is a missing fact as well; a record dated after the as-of date is
// not yet on record at all. The property test of this package checks these
// rules on random families, and that taking a single fact away never
// releases a family.
//
// # Stages
//
// Evaluation runs in stages over one family: index the records by person
// once, check them for contradictions, find where each person is, evaluate
// membership per rule set (V-1), check the election forms (W1 to W7),
// derive each member's state from the screenings, proceedings and
// elections, decide the remedies, combine the states into the family
// outcome (settlement.md 4.3) and the holds (4.4), and compute the clocks
// (section 5). Explanations are appended to one text buffer and cut into
// strings at the end, and the criteria are written straight into the
// result's own slab, so that a full explanation costs a handful of
// allocations per family (see BenchmarkEvaluate).
//
// # Decisions where settlement.md is silent or ambiguous
//
// Each is the reading that can never wrongly permit removal; where it is an
// interpretation of the settlement it is a parameter (ParamDefs), and the
// rule book (WriteBook) gives every parameter's default and source.
//
//   - V-1, COV-2018-S: the 2018 settlement's procedures are in force from
//     final approval, 2018-11-15 (cfg.cov2018s.in_force_from; the table in
//     3.5 gives preliminary approval). Before that date a family within the
//     June 2018 class is held under H-1 (the injunction of 2018-06-26 and
//     the July 2018 stay) and is PENDING; determinations made under early
//     implementation count from that date.
//   - COV-5: all three exclusions, interior apprehension included, are
//     personal to the parent: the child of an excluded parent goes to
//     manual review, as under COV-3 (SC-13). An interior apprehension is
//     otherwise taken as an entry between ports (COV-2).
//   - COV-7: the time scope is tested over every separated child of the
//     family, not one parent's; a separation record missing between a
//     parent and one child cannot move a family out of the class.
//   - COV-9a, COV-12, COV-17: a parent with neither a negative screening
//     nor a removal order on record has an unknown class status (absence
//     of a record is not proof); a parent with an earlier positive is
//     unaffected and counts as positive for the family (F-3).
//   - COV-10: a negative made while not separated sends the parent to
//     manual review (cfg.cov2018s.negative_not_while_separated).
//   - COV-14: the child test takes the adult's June 2018 class elements;
//     the child's own minority at separation and presence in the U.S.
//     decide the rest. COV-18: a child of the expanded class is tested on
//     the child's own entry date, the date the family entered.
//   - COV-15: the Dora flag never excludes anyone, so an unrecorded flag
//     is not a missing fact.
//   - COV-21: identification is the government's task with its own
//     deadline (T-5), not a condition of membership.
//   - COV-22 to COV-24: a person within the 2023 class definition with no
//     Task Force claim goes to manual review (cfg.cov2023.unclaimed). A
//     family with a member in the 2023 class is never released by the 2018
//     procedures alone: it goes to manual review, with the members held
//     (cfg.cov2023.removal_bar), because the 2023 settlement's parole and
//     asylum window are not encoded as a removal bar.
//   - COV-23: the presumptive exclusion reads the separation's reason code;
//     the active_warrant flag alone does not trigger it.
//   - R-P2: under ALL_ELIGIBLE a negative re-determination without an
//     interview date is incomplete (UNKNOWN); under IF_WARRANTED the review
//     decides whether an interview is held.
//   - R-P3: VIDEO is taken like PHONE; every recorded presence is valid.
//   - R-P8: cfg.ij_review_available=UNKNOWN leaves the question to counsel
//     and lets a final negative count; YES makes a negative final only once
//     an immigration judge's order dated on or after it is on record.
//   - A determination that reverses an earlier positive (positive, then
//     negative or no claim) goes to manual review. An earlier positive, a
//     positive determination, or an open section 240 proceeding (or one of
//     unrecorded status) makes the member positive whatever else is on
//     record.
//   - A positive screening of a member is never ignored, whatever its
//     occasion: one under an occasion the procedures do not read for the
//     member's role (a parent's CHILD_INTERVIEW, an ON_RETURN screening of
//     a member never removed or of a child) makes the member positive when
//     no other screening of the member is dated after it, and sends the
//     member to manual review otherwise.
//   - A negative SETTLEMENT_REVIEW dated before the agreement was lodged
//     (2018-09-12) or before the negative first screening it reviews, and
//     a negative CHILD_INTERVIEW dated before the child's entry or
//     separation, do not finish the member: manual review. The child's
//     determination is cited under R-C2, the parent's under R-P8.
//   - D-7, D-8: a parent removed and returned is finished only by a
//     determination made after the removal; until one is on record the
//     parent is PENDING. A positive made before the removal still counts.
//   - F-2, H-4: an asylum application that has not concluded
//     (cfg.case_concluded_at) holds the member like section 240
//     proceedings (IN_240), and with it the family.
//   - R-P8: with cfg.ij_review_available=YES, a judge's order that is
//     VACATED or SUPERSEDED_BY_NTA is not the record of a review.
//   - F-10: the unit is the parents, guardians and children linked by
//     separation events; one not linked has unknown membership, which
//     blocks REMOVAL_MAY_PROCEED (cfg.family_unit_scope). A member not
//     covered by any rule set counts only if positive, and only if another
//     member is covered or under review.
//   - F-10, D-1, H-1 (SC-10): a member removed from the U.S. and not
//     returned never finished the process, so the family goes to manual
//     review (cfg.removed_member_counts_as=MANUAL_REVIEW); the removed
//     member is not held, being outside the U.S. A return with no arrival
//     date cannot be placed after the removal, so the location is unknown.
//   - Outcome precedence, extending 4.3: contradictions, then positive
//     (STAYS), then manual review, then PENDING, then NEEDS_INFORMATION,
//     then NOT_COVERED or REMOVAL_MAY_PROCEED, which a missing fact turns
//     into NEEDS_INFORMATION and a 2023 class member into MANUAL_REVIEW.
//   - F-12: once every positive child an F-2 parent stays for has concluded
//     the asylum case (cfg.case_concluded_at), the parent goes to manual
//     review and stays held; the family outcome stays STAYS while a member
//     is positive.
//   - F-10: with cfg.any_positive_keeps_all=false, members not linked by
//     a separation event to a positive member go to manual review.
//   - F-9: in a partial waiver the waiving member goes to manual review
//     and stays held (cfg.partial_waiver); a valid waiver and a positive
//     determination of the same member leave the member positive.
//   - H-3: a member in section 240 proceedings is reported as held under
//     H-3, with the proceedings as the reason, so that no reader takes the
//     member as removable.
//   - W3: the form must be read aloud (read_aloud=false is a breach); a
//     form a parent signed for a child must be in a language a linked
//     adult understands; an interpreter is recognized only by a language
//     code the member understands.
//   - W3: the member's own understanding is always checked: a form a legal
//     representative signed must be in a language the member understands
//     (or interpreted into one); a form a parent signed must be in a
//     language the signing parent understands and the member too (the
//     member's unrecorded languages are a missing fact, B4).
//   - W4: the age is taken on the signing date (cfg.w4_age_on); a member
//     signing for themselves must have capacity recorded. A parent or
//     legal representative may sign only for a child under 14 or a member
//     who lacks capacity; a capable member 14 or older must sign for
//     themselves (INVALID otherwise; unknown age or capacity is a missing
//     fact). A signing parent must be named (NEEDS_INFORMATION otherwise)
//     and the name must match the full name or a recorded name variant of
//     a parent or guardian of the member linked by a separation or a
//     relationship (MANUAL_REVIEW otherwise; the form is never VALID on an
//     unmatched name).
//   - W1, W7: a form signed before the settlement's election form existed
//     is INVALID (cfg.election_form_from, default 2018-10-09, preliminary
//     approval of the notice and form, ECF 256: forms were being signed in
//     October 2018 (W9), though the form is on the docket only from
//     2018-11-02, ECF 302-309).
//   - W5: an election needs a sheet id (form_ref) to show it is the
//     member's own; a shared sheet is at most valid for the one member who
//     signed it for themselves (SC-08).
//   - W6: W7 does not make a breach of W6 INVALID; an Option B not sent by
//     mail or email goes to manual review (cfg.w6_breach_action). A form
//     counts once counsel received it.
//   - W10: several forms with the same option: one valid Option B
//     suffices; forms with both options go to manual review.
//   - D-4, SC-11: a request after T-1 is LATE and adds a manual-review
//     remedy; it does not change the family outcome.
//   - T-2: "within days" has no number; without cfg.t2_days the elapsed
//     days are reported. W9 reports calendar days from the election to the
//     decision.
//   - T-15, T-17: the 2025 order's date is a parameter
//     (cfg.t17_order_date). Unset, both dates are reported, and a filing
//     or a deadline that is late only against the unextended date is
//     NEEDS_INFORMATION, never MISSED. The one-year extension moves the
//     asylum and termination dates (2026-12-11, 2030-12-11); the six-month
//     one the benefit periods (cfg.t17_six_month_scope).
//   - T-10 to T-14, T-18: parole and work permits run from the grant,
//     services from their start; a parole granted before 2023-12-11 is
//     Together.gov parole (T-18).
//
// The second safety review (cases B1 to B18 in review2_cases_test.go)
// added these readings; each is conservative, and each case failed
// before its fix:
//   - A2, R-P8, R-C2 (B1, B2, B15): a settlement review or child interview
//     must follow the agreement's lodging, the member's entry and first
//     separation and every negative first screening it reviews (a child's
//     interview also 2018-09-12); too early is MANUAL_REVIEW, and a missing
//     date to compare with, or a negative with no decision date, is a
//     missing fact.
//   - B3: two determinations of one member on one day: the record that
//     keeps the member governs (positive, then an unlisted result, then
//     pending, then a parent's NO_CLAIM, then negative), so the outcome
//     never turns on the order of the records.
//   - W3 (B4): for a form a parent signed, the member and the signing
//     parent must both understand it, directly or through the interpreter;
//     the member's unrecorded languages are a missing fact.
//   - W4 (B5, B7): a signing parent's name may match a recorded name
//     variant; a name matching several people, or no linked parent, is
//     MANUAL_REVIEW; a parent found unfit or a danger (COV-3) cannot sign
//     the child's waiver, and an unrecorded unfit flag is a missing fact.
//   - D-7, W1 (B6, B14): for a member who returned, determinations and
//     elections dated before the return do not count; an Option B signed
//     before the member's entry or separation is INVALID.
//   - F-9 (B8): under cfg.partial_waiver=REMOVE_WAIVER_ONLY a 2018 Option B
//     does not lift the hold of a member of the 2023 class.
//   - D-1 (B9): with cfg.removed_member_counts_as=OUTSIDE_UNIT, a return
//     the government approved or a court ordered keeps the parent in the
//     unit (MANUAL_REVIEW); a return request with no state is a missing
//     fact.
//   - F-2, H-4 (B10, B11): a section 240 case or asylum application was
//     open before its decision date; an undated end is a missing fact
//     where a positive would keep the family; a judge's order with no
//     status is a missing fact under cfg.ij_review_available=YES.
//   - B12, B18: an executed removal order with no removal in the custody
//     timeline is MANUAL_REVIEW; a return with no recorded removal is a
//     missing fact.
//   - B13: two person records sharing a person-specific identifier
//     (A-number, EID, ORR, FBI, passport, national id) are a contradiction.
//   - COV-7 (B16): under cfg.family_unit_scope=ALL_MEMBERS the custody
//     timeline of every child is read, separated or not.
//   - F-1 (B17): a screening still awaiting its decision, on any occasion,
//     keeps the member PENDING until a later decided record of the same
//     kind and occasion supersedes it.
//
// logicRevision (engine.go) is part of the rule-set version, so a change
// of the logic, like a change of the book or the parameters, makes the
// server evaluate every stored family again.
package rules
