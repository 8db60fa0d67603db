package rules

// tpl is the fixed part of a criterion: its rule, its test in plain English
// and its citations. The templates are built once, so a criterion costs
// only its status, its detail and its missing facts at evaluation time.
// The citation slices are shared by every result and must not be changed.
type tpl struct {
	rule  string
	test  string
	cites []string
	id    uint16 // index in templates
}

// templates holds every template by id. A compact result names its
// criteria's templates by id, so the table is part of the rule-set version.
var templates []*tpl

// t makes a template for rule, citing it and the other rules named.
func t(rule, test string, also ...string) *tpl {
	tp := &tpl{rule: rule, test: test, cites: cite(append([]string{rule}, also...)...), id: uint16(len(templates))}
	templates = append(templates, tp)
	return tp
}

// Rule sets in force (V-1).
var (
	tInForce18June = t("V-1", "The June 2018 class (COV-2018-06) is in force on the as-of date; it is in force from 2018-06-26.", RS2018June)
	tInForce18S    = t("V-1", "The 2018 settlement (COV-2018-S) is in force on the as-of date (from the date cfg.cov2018s.in_force_from names).", RS2018S)
	tInForce19     = t("V-1", "The expanded class (COV-2019-03) is in force on the as-of date; it is in force from 2019-03-08.", RS2019)
	tInForce23     = t("V-1", "The 2023 settlement (COV-2023) is in force on the as-of date; it is in force from 2023-12-11.", RS2023)
)

// COV-2018-06.
var (
	tRole18      = t("COV-1", "The person is an adult parent; the June 2018 class is a class of parents.")
	tEntry18     = t("COV-2", "The person entered at a designated port of entry or between ports; both qualify.", "COV-1")
	tDetained18  = t("COV-1", "The person has been, is or will be in DHS immigration detention.")
	tChildHeld18 = t("COV-1", "DHS separated a minor child of the person and held the child in ORR custody, ORR foster care or DHS custody.")
	tUnfit18     = t("COV-3", "The person has not been found unfit or a danger to the child.")
	tEO18        = t("COV-4", "The person is not subject to Executive Order 13841.")
	tCriminal18  = t("COV-5", "The person has no criminal history (exclusion applied under cfg.cov2018.exclude_criminal).")
	tDisease18   = t("COV-5", "The person has no communicable disease (exclusion applied under cfg.cov2018.exclude_disease).")
	tInterior18  = t("COV-5", "The person was not apprehended in the interior (exclusion applied under cfg.cov2018.exclude_interior).")
	tReunW18     = t("COV-6", "A waiver of reunification, if any, does not end membership.", "W8")
	tCustody18   = t("COV-7", "A separated child of the family was in ORR or DHS custody on or after the cutoff date (cfg.cov2018.custody_on_or_after).")
)

// COV-2018-S.
var (
	tRoleS      = t("COV-9", "The person is a parent, a legal guardian or a child of the family.", "COV-14", "COV-25")
	tCov8       = t("COV-8", "The person's family is covered by the June 2018 reunification ruling (COV-2018-06).", "COV-1")
	tCov9       = t("COV-9", "The person entered at or between ports with the child, was detained by DHS, and the child was separated and held in DHS or ORR custody or ORR foster care.", "COV-1", "COV-2")
	tCov9aUS    = t("COV-9a", "The person is in the U.S. (cfg.cov2018s.require_in_us).", "COV-13")
	tCov9aNeg   = t("COV-9a", "The person has a negative credible or reasonable fear determination or a removal order (cfg.cov2018s.require_negative_or_order).", "COV-11")
	tCov10      = t("COV-10", "The negative determination was made while the person was separated from the child.")
	tCov11      = t("COV-11", "A negative reasonable fear determination counts like a negative credible fear determination.")
	tCov12      = t("COV-12", "The person had no earlier positive credible or reasonable fear determination (a person who did is unaffected and counts as positive).")
	tCov13      = t("COV-13", "The person is still in the U.S.; a removed parent gets only the D rules.", "D-1")
	tCov15      = t("COV-15", "Named Dora plaintiffs are class members; the flag never excludes anyone.")
	tCov16      = t("COV-16", "The person is a parent, not a non-parent legal guardian, whose coverage was unresolved in 2018 (cfg.cov2018s.guardians).")
	tCov17      = t("COV-17", "The person had a credible or reasonable fear determination, not only a removal order (cfg.cov2018s.no_prior_interview).")
	tCov14Sep   = t("COV-14", "A separation event separated the child from a parent or guardian.")
	tCov14Adult = t("COV-14", "The adult the child was separated from is a member of the June 2018 class (cfg.cov2018s.child_test).", "COV-8", "COV-3", "COV-16")
	tCov14Minor = t("COV-14", "The child was a minor when separated.")
	tCov14US    = t("COV-14", "The child is in the U.S.")
)

// COV-2019-03.
var (
	tRole19       = t("COV-18", "The person is a parent; the expanded class adds parents, and their children are identified with them.", "COV-19")
	tEntry19      = t("COV-18", "The person entered with the child on or after 2017-07-01.")
	tNoLimit19    = t("COV-18", "The custody date limit of COV-7 does not apply to the expanded class.", "COV-7")
	tOther19      = t("COV-19", "The other elements of COV-1 and the exclusions of COV-3 to COV-5 are met.", "COV-1", "COV-2", "COV-3", "COV-4", "COV-5")
	tProc19       = t("COV-20", "Whether the 2018 procedures apply to members of the expanded class (cfg.cov2019.gets_2018_procedures).")
	tIdent19      = t("COV-21", "The identification of an expanded-class member is recorded with its date and source (T-5).", "T-5")
	tChildSep19   = t("COV-18", "A separation event separated the child from a parent.")
	tChildAdult19 = t("COV-18", "The parent the child was separated from is a member of the expanded class.", "COV-19", "COV-3")
	tChildMinor19 = t("COV-18", "The child was a minor when separated.")
	tChildUS19    = t("COV-18", "The child is in the U.S.", "COV-14")
)

// COV-2023.
var (
	tRole23     = t("COV-22", "The person is a parent, a legal guardian or a child; siblings and other relatives are only considered by the Task Force (COV-25).", "COV-25")
	tWindow23   = t("COV-22", "The person was separated at the U.S.-Mexico border between 2017-01-20 and 2021-01-20 (cfg.cov2023.window_inclusive).")
	tCriminal23 = t("COV-23", "The parent has no criminal history of the specified kinds; a presumptive exclusion goes to rebuttal review.")
	tReason23   = t("COV-23", "The person was not separated after 2018-06-26 for a medical condition, parental-fitness concerns or an active warrant; a presumptive exclusion goes to rebuttal review.")
	tClaim23    = t("COV-24", "The person claimed membership through the Task Force (Together.gov / Juntos.gov) and the claim was not denied (cfg.cov2023.unclaimed).")
)

// Member state. No check uses the three templates named _ yet (tFPre
// holds the family's H-1 criterion). They keep their places because a
// template's index is part of the rule-set version, and dropping them would
// make every stored result stale: remove them with the next change of the
// book.
var (
	tStRole     = t("F-10", "The person's role in the family is recorded.")
	tStLoc      = t("COV-13", "The person is in the U.S. on the as-of date (custody timeline; a removal followed by a recorded return counts as in the U.S.).", "H-1", "D-8")
	tStProc     = t("V-1", "The 2018 procedures (R-P, R-C, F, H) apply to the person: covered under COV-2018-S, or under COV-2019-03 per cfg.cov2019.gets_2018_procedures.", "COV-20", "F-10")
	_           = t("H-1", "The 2018 settlement's procedures are in force on the as-of date; before that, covered families are held by the June 2018 injunction and the July 2018 stay.", RS2018S)
	tStScreens  = t("R-SYS-5", "Every screening of the person has its kind, occasion and result recorded.")
	tStProcs    = t("R-SYS-5", "Every proceeding of the person has its kind recorded.", "H-3")
	tStPositive = t("F-1", "The person is positive or in section 240 proceedings (an earlier positive, a positive determination or screening on any occasion, an open Notice to Appear, or an open asylum application), which counts as positive for the family; a screening still awaiting its decision, or a case that ended on an unrecorded date, may yet be positive and keeps the person pending.", "COV-12", "R-P7", "H-3", "H-4")
	tStDet      = t("R-P8", "The person's settlement determination is final and compliant (the parent's review and new interview), decided on a recorded date, and made after the agreement was lodged, after the person's entry and first separation, after every negative first screening it reviews and, for a parent who returned, after the return.", "R-P2", "R-P5", "D-7")
	tStDetChild = t("R-C2", "The child's own determination is final (the child's own interview), decided on a recorded date, and made after the child's entry and first separation, after every negative first screening of the child, on or after 2018-09-12 for a child's interview, after the agreement was lodged for a settlement review and, for a child who returned, after the return.", "R-C5", "R-C7")
	_           = t("R-P8", "No positive determination of the person was followed by a negative one; a reversal goes to manual review.")
	_           = t("R-C5", "A NO_CLAIM result is recorded only for a child.")
	tStW2       = t("W2", "A valid Option B election is on record; not returning a form is never a waiver.", "W7", "H-5")
	tStW8       = t("W8", "A waiver of reunification is not a settlement waiver and does not touch the hold.", "COV-6")
	tStW10      = t("W10", "The person's elections never changed option; the latest form governs.")
	tStUnit     = t("F-10", "The person is linked to the family unit by a separation event (cfg.family_unit_scope).")
	tStF9       = t("F-9", "The member's waiver is part of a family waiver, not a partial one (cfg.partial_waiver).")
	tStF12      = t("F-12", "The asylum case of the positive child this parent stays for has not concluded (cfg.case_concluded_at).", "H-4", "F-2")
	tStKeepAll  = t("F-10", "The member is kept in the U.S. by a positive member of the unit (cfg.any_positive_keeps_all).", "F-1", "F-3")
	tStRemoved  = t("D-1", "A member removed from the U.S. counts for the unit per cfg.removed_member_counts_as.", "D-2", "F-10")
)

// Remedies.
var (
	tRP1      = t("R-P1", "The parent is owed a review: a settlement-class parent in the U.S. with a negative credible or reasonable fear determination and a removal order.", "COV-9", "COV-11")
	tRP2      = t("R-P2", "The new interview is held (cfg.interview_trigger).")
	tRP3      = t("R-P3", "Counsel's presence at the interview is one the settlement allows (none, in person or by phone).")
	tRP4      = t("R-P4", "New information, evidence and testimony the person added are recorded.")
	tRP5      = t("R-P5", "A decision that relies on inconsistencies gave due consideration to the parent's psychological state at the first interview (cfg.r_p5_action).")
	tRP7      = t("R-P7", "A positive determination leads to a Notice to Appear and section 240 proceedings.")
	tRP8      = t("R-P8", "A final, compliant negative makes the parent NEGATIVE; immigration judge review per cfg.ij_review_available.")
	tRP12     = t("COV-12", "A parent with an earlier positive determination is unaffected: no review and no new interview.")
	tRC1      = t("R-C1", "The child may claim credible fear in the child's own right.")
	tRC2      = t("R-C2", "The child's own interview is held and decided.")
	tRC3      = t("R-C3", "A removed parent may testify by phone and send documents for the child's claim.", "D-5")
	tRC4      = t("R-C4", "The child has an own election form, signed by a parent or legal representative if under 14 or lacking capacity.", "W4", "W5")
	tRC5      = t("R-C5", "A child who claims no fear is NO_CLAIM (cfg.child_no_claim_as).")
	tRC7      = t("R-C7", "A positive child gets a Notice to Appear and section 240 proceedings.")
	tD1       = t("D-1", "A parent removed before the settlement gets no credible fear review or interview under it.", "COV-13")
	tD2       = t("D-2", "Return is not promised: only rare and unusual cases, case by case.")
	tD34      = t("D-4", "Class counsel brought the case to the government within the 30 days of T-1.", "D-3", "T-1")
	tD5       = t("D-5", "The parent may testify by phone and send documents for the child's claim.", "R-C3")
	tD6       = t("D-6", "The court route remains open.")
	tD7       = t("D-7", "The state of the return request.", "D-8")
	tBen23    = t("COV-24", "The member's claim through the Task Force, which opens the 2023 settlement's benefits.", "T-10", "T-11", "T-12", "T-13", "T-14")
	tT15      = t("T-15", "The 2023 asylum filing window (with the 2025 extension, T-17).", "T-17")
	tNone     = t("V-1", "No rule set in force owes the person a remedy.")
	tManualRm = t("V-1", "The person's coverage needs manual review before any remedy is owed.", "COV-16", "COV-17", "COV-20")
)

// Elections.
var (
	tW1 = t("W1", "The form is affirmative: an option is marked and the form is signed, not before the member's entry or separation and, for a member who returned, not before the return.")
	tW3 = t("W3", "The form was read in a language that the member and, for a form a parent signed, the signing parent both understand, directly or through an interpreter; a member's unrecorded languages are a missing fact.", "W1")
	tW4 = t("W4", "The signer may sign: a parent or legal representative for a child under 14 (age per cfg.w4_age_on) or a member lacking capacity, matched to a linked parent of the family by name or recorded name variant, and not a parent found unfit or a danger to the child (COV-3).", "R-C4", "COV-3")
	tW5 = t("W5", "The form is the member's own: no other member's election is on the same sheet, unless this is the one member who signed it for themselves.")
	tW6 = t("W6", "The form went by mail or email to class counsel and was received (cfg.w6_breach_action).")
	tW7 = t("W7", "The form is valid; an INVALID form is treated as not returned (cfg.invalid_form_action).", "W2", "H-5")
)

// Family.
var (
	tFInForce  = t("V-1", "Rule sets in force on the as-of date.", "V-2")
	tFContra   = t("R-SYS-5", "The records do not contradict each other; contradictory records never permit removal and go to manual review.")
	tFOrphan   = t("R-SYS-5", "Every record names the person or family it is about.")
	tFDates    = t("R-SYS-5", "Every record carries the date the rules need; an undated record could postdate the as-of date, so it never helps release a family.", "V-1")
	tFFamily   = t("R-SYS-5", "The family record is on file.")
	tFUnit     = t("F-10", "The family unit: the parents, guardians and children linked by separation events (cfg.family_unit_scope).")
	tFCovered  = t("V-1", "A member of the family is covered by a rule set that holds or gives the 2018 procedures.", "H-1")
	tFPositive = t("F-1", "A member of the unit is POSITIVE or in section 240 proceedings, which keeps the whole family in the U.S.", "F-2", "F-3", "F-10")
	tFManual   = t("F-10", "A member of the unit needs manual review (coverage, a changed election, a reversed determination, or removal).")
	tFPending  = t("F-6", "A member of the unit has not finished (PENDING); the unit stays until every member has finished.", "F-10", "H-5")
	tFFacts    = t("H-2", "Every fact the decision needs is on record; a missing fact never permits removal.")
	tFWaived   = t("F-5", "Every member of the unit validly waived (Option B): a family waiver.")
	tFFinished = t("F-4", "Every member of the unit is finally NEGATIVE, NO_CLAIM (R-C5) or WAIVED (F-8).", "F-8", "R-C5")
	tFPartial  = t("F-9", "Some members waived while others are pending or positive: not a family waiver (cfg.partial_waiver).")
	tFRemoved  = t("D-1", "No member of the unit was removed from the U.S. without finishing (cfg.removed_member_counts_as).", "D-2", "F-10")
	tF2023     = t("COV-22", "No member is in the 2023 class, whose parole and asylum window are not encoded as a removal bar (cfg.cov2023.removal_bar).", "COV-24", "F-7")
	tFPre      = t("H-1", "The 2018 settlement's procedures are in force; before that, covered families are held by the June 2018 injunction and the July 2018 stay (cfg.cov2018s.in_force_from).", RS2018S)
	tFH2       = t("H-2", "The holds are lifted: the family outcome is REMOVAL_MAY_PROCEED.", "H-1")
	tFF7       = t("F-7", "Only the settlement's bar is lifted; removal still follows ordinary law and any other stay.")
)
