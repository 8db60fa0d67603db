package rules

import (
	"time"

	"rescreen"
)

// Rule sets (settlement.md 3.5). Each has a date from which it is in force;
// none has ended: later orders add rule sets and never overwrite earlier
// ones (V-2).
const (
	RS2018June = "COV-2018-06"
	RS2018S    = "COV-2018-S"
	RS2019     = "COV-2019-03"
	RS2023     = "COV-2023"
	RSAll      = "ALL"
	RSTF2021   = "TASK_FORCE_2021"
)

// Key dates (settlement.md section 6).
var (
	dateClassOrder       = rescreen.NewDate(2018, time.June, 26) // ECF 82, 83
	dateLodged           = rescreen.NewDate(2018, time.September, 12)
	datePrelimApproval   = rescreen.NewDate(2018, time.October, 9)  // ECF 256
	dateImplementation   = rescreen.NewDate(2018, time.October, 18) // M.M.M. ECF 87
	dateFinalApproval    = rescreen.NewDate(2018, time.November, 15)
	dateExpansion        = rescreen.NewDate(2019, time.March, 8)  // ECF 386
	dateExpansionEntry   = rescreen.NewDate(2017, time.July, 1)   // COV-18
	dateT5Start          = rescreen.NewDate(2019, time.April, 25) // COV-21
	dateTaskForce        = rescreen.NewDate(2021, time.February, 2)
	date2023Effective    = rescreen.NewDate(2023, time.December, 11)
	date2023WindowStart  = rescreen.NewDate(2017, time.January, 20)
	date2023WindowEnd    = rescreen.NewDate(2021, time.January, 20)
	date2023ExclusionCut = rescreen.NewDate(2018, time.June, 26) // COV-23(b)
)

// ruleText is one row of the rule book before the engine's parameters
// supply its dates.
type ruleText struct {
	id, set, title, status, text string
	cites                        []string
	notEncoded                   string
}

// book is every rule id of settlement.md sections 3 to 5, with the rule
// sets of 3.5 as rules of their own so that their dates of effect are part
// of the book and of its version. Status is CONFIRMED, REPORTED or
// INTERPRETATION (settlement.md's UNCONFIRMED, and design rules); where the
// specification confirms a rule but not a detail of it, the detail is a
// parameter and the text says so.
var book = []ruleText{
	// Rule sets.
	{id: RS2018June, set: RS2018June, title: "Ms. L. class (June 2018)", status: "CONFIRMED",
		text:  "The parent class certified on 2018-06-26 with the classwide injunction: separated parents held in DHS detention whose children were held by ORR or DHS.",
		cites: []string{"ECF 82", "ECF 83", "class order 2018-06-26"}},
	{id: RS2018S, set: RS2018S, title: "2018 settlement classes and procedures", status: "CONFIRMED",
		text:  "The settlement lodged on 2018-09-12 (preliminary approval 2018-10-09, implementation ordered 2018-10-18, final approval 2018-11-15): review and new interviews for parents, children's own claims, the family outcome and the removal hold. In force from the date chosen by cfg.cov2018s.in_force_from.",
		cites: []string{"ECF 256", "M.M.M. ECF 87", "KQED 2018-11-15", "003_e4f5b4da1af4086b.txt"}},
	{id: RS2019, set: RS2019, title: "Expanded class (March 2019)", status: "CONFIRMED",
		text:  "The class expansion of 2019-03-08: parents who entered with their children on or after 2017-07-01, without the custody date limit.",
		cites: []string{"ECF 386", "ECF 456 (AP)"}},
	{id: RS2023, set: RS2023, title: "2023 settlement class", status: "CONFIRMED",
		text:  "The 2023 settlement, effective 2023-12-11: parents or legal guardians and their children separated at the U.S.-Mexico border between 2017-01-20 and 2021-01-20, with parole, work permits, services and an asylum filing window, extended in 2025.",
		cites: []string{"DHS fact sheet 2023-10-16", "LexisNexis 2023-12-09"}},

	// 3.1 COV-2018-06.
	{id: "COV-1", set: RS2018June, title: "Ms. L. class definition", status: "CONFIRMED",
		text:  "An adult parent who entered at or between designated ports of entry, has been, is or will be in DHS immigration detention, and whose minor child DHS separated (or will separate) and holds in ORR custody, ORR foster care or DHS custody.",
		cites: []string{"class order 2018-06-26 (via CIS.org, PrawfsBlawg)"}},
	{id: "COV-2", set: RS2018June, title: "Port and between-port entries", status: "CONFIRMED",
		text:  "Entries at a port of entry and between ports both qualify. An apprehension in the interior is taken as an entry between ports; COV-5 may exclude it.",
		cites: []string{"class order 2018-06-26", "002_15b8f1cfedaf05c2.txt"}},
	{id: "COV-3", set: RS2018June, title: "Unfit or dangerous parent excluded", status: "CONFIRMED",
		text:  "A parent found unfit or a danger to the child is not in the class. The child's own coverage then goes to manual review (SC-13).",
		cites: []string{"class order 2018-06-26", "Vox, Sept 2018"}},
	{id: "COV-4", set: RS2018June, title: "EO 13841 exclusion", status: "CONFIRMED",
		text:  "Parents subject to Executive Order 13841 (2018-06-20) are excluded. The test is unknown, so it is an input flag; an unrecorded flag is a missing fact.",
		cites: []string{"CIS.org summary"}},
	{id: "COV-5", set: RS2018June, title: "Criminal history, disease, interior apprehension", status: "REPORTED",
		text:  "Parents with a criminal history or a communicable disease, or apprehended in the interior, were treated as outside the class in July 2018; each exclusion is a parameter. The exclusions are personal to the parent: the child of an excluded parent goes to manual review (as under COV-3).",
		cites: []string{"EFE, July 2018"}},
	{id: "COV-6", set: RS2018June, title: "Reunification waiver keeps membership", status: "REPORTED",
		text:  "A parent who waived reunification with the child stays a class member.",
		cites: []string{"BusinessLIVE 2018-09-26"}},
	{id: "COV-7", set: RS2018June, title: "Time scope of the 2018 class", status: "CONFIRMED",
		text:  "The class reaches a family only if a separated child was in ORR or DHS custody on or after 2018-06-26 (cfg.cov2018.custody_on_or_after); children released earlier are outside. The test runs over every separated child of the family.",
		cites: []string{"ECF 335"}},
	{id: "COV-8", set: RS2018S, title: "Settlement reaches the June 2018 families", status: "CONFIRMED",
		text:  "The 2018 settlement applies only to families covered by the June 2018 reunification ruling.",
		cites: []string{"003_e4f5b4da1af4086b.txt"}},

	// 3.2 COV-2018-S.
	{id: "COV-9", set: RS2018S, title: "Parent Settlement Class", status: "CONFIRMED",
		text:  "An adult non-citizen parent who entered at or between designated ports with the child, was detained by DHS, and whose child was separated and held in DHS or ORR custody or ORR foster care.",
		cites: []string{"Spanish class notice", "ECF 308", "ECF 309"}},
	{id: "COV-9a", set: RS2018S, title: "Presence and a negative screening or order", status: "INTERPRETATION",
		text:  "The rest of the class definition very likely requires presence in the U.S. and a negative credible or reasonable fear determination or a removal order (cfg.cov2018s.require_in_us, cfg.cov2018s.require_negative_or_order).",
		cites: []string{"report's inference"}},
	{id: "COV-10", set: RS2018S, title: "Screened after separation and rejected", status: "CONFIRMED",
		text:  "The target group is parents still in the U.S. who were screened after separation and rejected. A negative made while not separated is unresolved (cfg.cov2018s.negative_not_while_separated).",
		cites: []string{"Muslim Advocates, Nov 2018", "000_09e151171269c68e.txt"}},
	{id: "COV-11", set: RS2018S, title: "Negative RF counts as negative CF", status: "CONFIRMED",
		text:  "A negative reasonable fear determination on a reinstated order counts like a negative credible fear determination.",
		cites: []string{"CLINIC webinar, 2018"}},
	{id: "COV-12", set: RS2018S, title: "Earlier positive CF unaffected", status: "CONFIRMED",
		text:  "A parent who already had a positive credible fear determination is unaffected: no review, no new interview; the parent stays in proceedings and counts as positive for the family.",
		cites: []string{"Vox, Sept 2018"}},
	{id: "COV-13", set: RS2018S, title: "Removed parents: D rules only", status: "CONFIRMED",
		text:  "A parent already removed gets no credible fear review; only the D rules apply.",
		cites: []string{"USA Today 2018-09-14", "NPR 2018-09-13", "003_e4f5b4da1af4086b.txt"}},
	{id: "COV-14", set: RS2018S, title: "Child Settlement Class", status: "CONFIRMED",
		text:  "Children separated shortly after crossing, at or between ports, reunified in the U.S. or with deported parents. Test (cfg.cov2018s.child_test): separated from a parent class member, a minor when separated, and in the U.S.",
		cites: []string{"M.M.M. TRO 2018-08-16", "NPR 2018-09-13"}},
	{id: "COV-15", set: RS2018S, title: "Dora plaintiffs", status: "CONFIRMED",
		text:  "The 29 named Dora parents; their claims were added to Ms. L. The flag records them; it never excludes anyone.",
		cites: []string{"Clearinghouse", "Muslim Advocates"}},
	{id: "COV-16", set: RS2018S, title: "Non-parent legal guardians", status: "INTERPRETATION",
		text:  "Whether non-parent legal guardians are covered was unresolved in 2018 (cfg.cov2018s.guardians, default manual review).",
		cites: []string{"KQED 2018-11-15"}},
	{id: "COV-17", set: RS2018S, title: "Removal order without a prior interview", status: "INTERPRETATION",
		text:  "A separated parent in the U.S. with a removal order but no prior credible or reasonable fear determination (cfg.cov2018s.no_prior_interview, default manual review).",
		cites: []string{"001_b9785a4cd5c48d70.txt"}},

	// 3.3 COV-2019-03.
	{id: "COV-18", set: RS2019, title: "Expansion to entries from 2017-07-01", status: "CONFIRMED",
		text:  "Adds parents who entered with their children on or after 2017-07-01, and drops the custody limit of COV-7.",
		cites: []string{"ECF 386", "ECF 456 (AP)"}},
	{id: "COV-19", set: RS2019, title: "Other 2018 elements still apply", status: "INTERPRETATION",
		text:  "The other elements of COV-1 and the exclusions of COV-3 to COV-5 still apply to the expanded class.",
		cites: []string{"natural reading"}},
	{id: "COV-20", set: RS2019, title: "2018 procedures for the expanded class", status: "INTERPRETATION",
		text:  "Whether members who are in the class only through the expansion get the 2018 procedures (R-P, R-C, F, H): cfg.cov2019.gets_2018_procedures, default manual review.",
		cites: []string{"settlement.md COV-20"}},
	{id: "COV-21", set: RS2019, title: "Identification of expanded-class children", status: "CONFIRMED",
		text:  "The government had 6 months from 2019-04-25 (to 2019-10-25, T-5) to identify these children; the identification date and source are recorded.",
		cites: []string{"KQED, Apr 2019", "Reuters, Apr 2019"}},

	// 3.4 COV-2023.
	{id: "COV-22", set: RS2023, title: "2023 settlement class", status: "CONFIRMED",
		text:  "Parents or legal guardians, and their children, separated at the U.S.-Mexico border between 2017-01-20 and 2021-01-20 (end date included under cfg.cov2023.window_inclusive).",
		cites: []string{"DHS fact sheet 2023-10-16"}},
	{id: "COV-23", set: RS2023, title: "Presumptive exclusions (2023)", status: "CONFIRMED",
		text:  "Presumptively excluded: (a) parents with specified criminal histories; (b) people separated after 2018-06-26 for a medical condition, parental-fitness concerns or active warrants. The rebuttal procedure is unknown, so a presumptive exclusion goes to a rebuttal review (manual).",
		cites: []string{"DHS fact sheet 2023-10-16"}},
	{id: "COV-24", set: RS2023, title: "Membership claimed through the Task Force", status: "CONFIRMED",
		text:  "Membership is claimed through the Task Force portal (Together.gov / Juntos.gov); the claim date, decision and decision date are recorded. A denied claim is not covered; no claim yet goes to cfg.cov2023.unclaimed.",
		cites: []string{"DHS fact sheet 2023-10-16"}},
	{id: "COV-25", set: RS2023, title: "Additional family members", status: "CONFIRMED",
		text:  "EO 14011 asks the Task Force to consider reuniting additional family members such as siblings; parents may bring dependants (REPORTED). Such persons are reported, not class members.",
		cites: []string{"EO 14011", "NBC Spanish summary"}},

	// 3.5 Versioning.
	{id: "V-1", set: RSAll, title: "Membership per rule set, as of a date", status: "INTERPRETATION",
		text:  "Membership is evaluated per rule set as of a date; a rule set not yet in force on that date yields NOT_IN_FORCE. One person can be out under one rule set and in under another.",
		cites: []string{"settlement.md 3.5"}},
	{id: "V-2", set: RSAll, title: "New orders add versions", status: "INTERPRETATION",
		text:  "A new court order adds a rule-set version; past evaluations are never overwritten and re-evaluation is a logged event. The engine names its rules and parameters by a version hash; storing evaluations is the service layer's part.",
		cites: []string{"settlement.md 3.5"}},

	// 4.1 Parents.
	{id: "R-P1", set: RS2018S, title: "Review of the negative", status: "CONFIRMED",
		text:  "A settlement-class parent in the U.S. with a negative credible or reasonable fear determination and a removal order is owed a good-faith review of the negative by USCIS. Whether it is sua sponte is unknown.",
		cites: []string{"Courthouse News, Sept 2018", "ACLU 2018-09-13"}},
	{id: "R-P2", set: RS2018S, title: "Second interview", status: "CONFIRMED",
		text:  "The review leads to a second interview: for every eligible parent (ALL_ELIGIBLE, default) or only where reconsideration is warranted (IF_WARRANTED), per cfg.interview_trigger.",
		cites: []string{"001_b9785a4cd5c48d70.txt", "Courthouse News, Sept 2018"}},
	{id: "R-P3", set: RS2018S, title: "Counsel at the interview", status: "CONFIRMED",
		text:  "Counsel may attend in person or by phone, or not at all; every one of these is valid. The parent may consult lawyers.",
		cites: []string{"Vox, Sept 2018", "USA Today 2018-09-14", "001_b9785a4cd5c48d70.txt"}},
	{id: "R-P4", set: RS2018S, title: "New information and evidence", status: "CONFIRMED",
		text:  "The parent may add new information, evidence and testimony; each item is recorded with its type, date, language and submitter.",
		cites: []string{"000_09e151171269c68e.txt", "ACLU 2018-09-13"}},
	{id: "R-P5", set: RS2018S, title: "Psychological state at the first interview", status: "CONFIRMED",
		text:  "A decision that relies on inconsistencies between the first interview and the new one must give due consideration to the parent's psychological state at the first interview. Relying on inconsistencies without that consideration is NONCOMPLIANT; its consequence is cfg.r_p5_action (BLOCK: not final).",
		cites: []string{"001_b9785a4cd5c48d70.txt", "003_e4f5b4da1af4086b.txt", "Courthouse News", "Slate", "NBC"}},
	{id: "R-P6", set: RS2018S, title: "Screening standards unchanged", status: "INTERPRETATION",
		text:  "The credible and reasonable fear standards themselves are unchanged.",
		cites: []string{"report's reading"}, notEncoded: "The standard is applied by the asylum officer; no record fact tests it."},
	{id: "R-P7", set: RS2018S, title: "Positive leads to section 240", status: "CONFIRMED",
		text:  "A positive determination leads to a Notice to Appear and section 240 proceedings before an immigration judge. The effect on the earlier order is unknown and is recorded as the order's status.",
		cites: []string{"001_b9785a4cd5c48d70.txt"}},
	{id: "R-P8", set: RS2018S, title: "Negative re-determination", status: "INTERPRETATION",
		text:  "A final, compliant negative re-determination makes the parent NEGATIVE; removal still depends on the F and H rules. Whether an immigration judge may review it is cfg.ij_review_available.",
		cites: []string{"settlement.md R-P8"}},
	{id: "R-P9", set: RS2018S, title: "Orientation within days", status: "CONFIRMED",
		text:  "Orientation and interview begin \"within days\" of the member confirming the election; the number of days is cfg.t2_days (T-2).",
		cites: []string{"SD Union-Tribune 2018-10-18"}},

	// 4.2 Children.
	{id: "R-C1", set: RS2018S, title: "Child's independent right", status: "CONFIRMED",
		text:  "A child reunited with the parent may still claim credible fear in the child's own right.",
		cites: []string{"003_e4f5b4da1af4086b.txt"}},
	{id: "R-C2", set: RS2018S, title: "Child's own interview", status: "CONFIRMED",
		text:  "A child with an independent claim gets an interview: a re-interview after an earlier negative, or a first one (most children had never been screened).",
		cites: []string{"001_b9785a4cd5c48d70.txt", "002_15b8f1cfedaf05c2.txt", "SD Union-Tribune 2018-10-18"}},
	{id: "R-C3", set: RS2018S, title: "Removed parent's testimony", status: "CONFIRMED",
		text:  "A removed parent may testify by phone and send documents from home for the child's claim.",
		cites: []string{"USA Today (A. Gomez), Sept 2018"}},
	{id: "R-C4", set: RS2018S, title: "Child's own form", status: "CONFIRMED",
		text:  "The child has an own election form, signed by a parent or legal representative if the child is under 14 or lacks capacity (W4, W5).",
		cites: []string{"election form"}},
	{id: "R-C5", set: RS2018S, title: "Child who claims no fear", status: "INTERPRETATION",
		text:  "A child who claims no fear is NO_CLAIM: finished and not positive for the F rules, counted as negative or left out of the unit per cfg.child_no_claim_as.",
		cites: []string{"settlement.md R-C5"}},
	{id: "R-C6", set: RS2018S, title: "Child interview procedure", status: "INTERPRETATION",
		text:  "The procedure of a child's interview is unknown; everyone present is recorded.",
		cites: []string{"settlement.md R-C6"}, notEncoded: "The records hold no list of the persons present at an interview, so there is nothing to test; the interview's result is used as recorded."},
	{id: "R-C7", set: RS2018S, title: "Positive child to section 240", status: "CONFIRMED",
		text:  "A positive child gets a Notice to Appear and section 240 proceedings, as R-P7.",
		cites: []string{"001_b9785a4cd5c48d70.txt"}},

	// 4.3 Family outcome.
	{id: "F-1", set: RS2018S, title: "Any positive keeps the family", status: "CONFIRMED",
		text:  "If any member is POSITIVE (or in section 240), the whole family stays while that claim is pursued: STAYS.",
		cites: []string{"Fronteras Desk 2018-09-13", "002_15b8f1cfedaf05c2.txt"}},
	{id: "F-2", set: RS2018S, title: "Negative parent of a positive child", status: "CONFIRMED",
		text:  "A NEGATIVE parent of a POSITIVE child stays until the child's asylum case concludes.",
		cites: []string{"ACLU 2018-09-13", "USA Today, Sept 2018", "VOA, Sept 2018"}},
	{id: "F-3", set: RS2018S, title: "Negative child of a positive parent", status: "CONFIRMED",
		text:  "A NEGATIVE child of a POSITIVE parent stays with the parent (the source text is truncated).",
		cites: []string{"ACLU 2018-09-13", "Fronteras Desk 2018-09-13"}},
	{id: "F-4", set: RS2018S, title: "Both negative", status: "CONFIRMED",
		text:  "If every member is finally NEGATIVE, removal may proceed.",
		cites: []string{"003_e4f5b4da1af4086b.txt"}},
	{id: "F-5", set: RS2018S, title: "Family waiver", status: "CONFIRMED",
		text:  "If every member has validly waived (Option B), removal may proceed.",
		cites: []string{"003_e4f5b4da1af4086b.txt", "election form"}},
	{id: "F-6", set: RS2018S, title: "Stay until every member has finished", status: "CONFIRMED",
		text:  "The unit stays until every member has finished, even if some fail: any PENDING member makes the family PENDING.",
		cites: []string{"SD Union-Tribune 2018-10-18", "KPBS 2018-10-18"}},
	{id: "F-7", set: RS2018S, title: "Only the settlement's bar is lifted", status: "INTERPRETATION",
		text:  "REMOVAL_MAY_PROCEED only lifts the settlement's bar; actual removal follows ordinary law and any other stay.",
		cites: []string{"settlement.md F-7"}},
	{id: "F-8", set: RS2018S, title: "Mixed negative and waived", status: "INTERPRETATION",
		text:  "A mix of NEGATIVE or NO_CLAIM with WAIVED, and nobody POSITIVE or PENDING: REMOVAL_MAY_PROCEED, or manual review under cfg.f8_mixed_fail_waive.",
		cites: []string{"settlement.md F-8"}},
	{id: "F-9", set: RS2018S, title: "Partial waiver", status: "INTERPRETATION",
		text:  "A waiver by some members while others are PENDING or POSITIVE is not a family waiver: the others keep process and hold, and the waiving member is handled per cfg.partial_waiver (default manual review).",
		cites: []string{"settlement.md F-9"}},
	{id: "F-10", set: RS2018S, title: "Any number of members", status: "INTERPRETATION",
		text:  "With several children or two parents, F-1, F-6 and F-8 apply over every member of the unit (the separated parents and children linked by separation events, cfg.family_unit_scope): the first of positive (STAYS), pending (PENDING), all waived, all finished (REMOVAL_MAY_PROCEED) that matches decides; any positive keeps everyone (cfg.any_positive_keeps_all).",
		cites: []string{"report's reading"}},
	{id: "F-11", set: RS2018S, title: "Detention while waiting", status: "INTERPRETATION",
		text:  "No rule decides detention or release while the family waits; custody is recorded and nothing is derived from it.",
		cites: []string{"LA Times 2018-07-25"}, notEncoded: "The rule is that nothing is derived: the engine reads custody only for presence in the U.S. and the class definitions."},
	{id: "F-12", set: RS2018S, title: "F-2 parent after the child's case", status: "INTERPRETATION",
		text:  "Once the positive child's asylum case has concluded, the F-2 parent goes to manual review.",
		cites: []string{"settlement.md F-12"}},

	// 4.4 Removal hold.
	{id: "H-1", set: RS2018S, title: "Hold on every member in the U.S.", status: "CONFIRMED",
		text:  "When a covered family is identified, every member in the U.S. is held. Before the settlement's procedures are in force the hold rests on the injunction of 2018-06-26 and the July 2018 stay of removals of covered families.",
		cites: []string{"Politico 2018-07-16", "M.M.M. TRO 2018-08-16", "003_e4f5b4da1af4086b.txt"}},
	{id: "H-2", set: RS2018S, title: "Lift only at REMOVAL_MAY_PROCEED", status: "CONFIRMED",
		text:  "The hold on all members is lifted only when the family outcome is REMOVAL_MAY_PROCEED: every member finally negative, or every member validly waived.",
		cites: []string{"003_e4f5b4da1af4086b.txt"}},
	{id: "H-3", set: RS2018S, title: "Section 240 replaces the hold", status: "INTERPRETATION",
		text:  "For a member in section 240 proceedings the settlement's hold is replaced by the proceedings, and ordinary law applies. The member is reported as held, with the proceedings as the reason, so that no reader takes the member as removable.",
		cites: []string{"report's encoding"}},
	{id: "H-4", set: RS2018S, title: "F-2 parent held until the child's case concludes", status: "CONFIRMED",
		text:  "An F-2 parent is held until the child's asylum case concludes; when it concludes is cfg.case_concluded_at.",
		cites: []string{"ACLU 2018-09-13", "USA Today, Sept 2018", "VOA, Sept 2018"}},
	{id: "H-5", set: RS2018S, title: "Missing or invalid form never lifts a hold", status: "CONFIRMED",
		text:  "A missing or invalid election form never lifts a hold; it creates an outreach task.",
		cites: []string{"election form"}},
	{id: "H-6", set: RS2018S, title: "Recompute after every event", status: "INTERPRETATION",
		text:  "Recompute after every member event (election, decision, NTA, removal, custody change) and log the actor, time, rule and parameters.",
		cites: []string{"settlement.md section 8"}, notEncoded: "The engine is pure and evaluates on demand; the service layer re-evaluates after every event and logs the result with its version."},

	// 4.5 Elections.
	{id: "W1", set: RS2018S, title: "Affirmative, knowing and voluntary", status: "CONFIRMED",
		text:  "A decision to return must be affirmative (an option marked and signed), knowing and voluntary.",
		cites: []string{"election form", "ECF 302", "ECF 304", "ECF 308", "ECF 309"}},
	{id: "W2", set: RS2018S, title: "No form is not a waiver", status: "CONFIRMED",
		text:  "Not returning the form is not a waiver.",
		cites: []string{"election form", "ECF 308"}},
	{id: "W3", set: RS2018S, title: "Read in a language understood", status: "CONFIRMED",
		text:  "The form must be read to the member in a language the member understands, directly or through an interpreter.",
		cites: []string{"election form", "ECF 308"}},
	{id: "W4", set: RS2018S, title: "Children under 14 and members without capacity", status: "CONFIRMED",
		text:  "For a child under 14, or a member who lacks capacity, a parent or legal representative signs. The age is taken on the day cfg.w4_age_on names.",
		cites: []string{"election form", "ECF 308"}},
	{id: "W5", set: RS2018S, title: "A separate form per member", status: "CONFIRMED",
		text:  "Each family member has a separate form. A sheet shared by several members is at most valid for the one member who signed it for themselves.",
		cites: []string{"election form", "ECF 308"}},
	{id: "W6", set: RS2018S, title: "Sent to class counsel by mail or email", status: "CONFIRMED",
		text:  "Forms go by mail or email to the appropriate class counsel. W7 does not make a breach INVALID; an Option B so sent goes to manual review (cfg.w6_breach_action).",
		cites: []string{"election form", "ECF 308"}},
	{id: "W7", set: RS2018S, title: "Invalid forms", status: "INTERPRETATION",
		text:  "A form that breaks W3, W4 or W5, or is unsigned, is INVALID: treated as not returned, the member stays PENDING and outreach follows (cfg.invalid_form_action).",
		cites: []string{"settlement.md W7"}},
	{id: "W8", set: RS2018S, title: "Reunification waiver is not a settlement waiver", status: "REPORTED",
		text:  "A 2018 waiver of reunification is a separate record; it waives no settlement rights and does not touch the hold.",
		cites: []string{"BusinessLIVE 2018-09-26"}},
	{id: "W9", set: RS2018S, title: "Waiting times", status: "CONFIRMED",
		text:  "The wait from election to interview and decision is measured (in October 2018 about 60 had signed with nothing started, and more than 40 detained families chose removal rather than wait).",
		cites: []string{"Courthouse News, Oct 2018"}},
	{id: "W10", set: RS2018S, title: "Changed elections", status: "INTERPRETATION",
		text:  "No rule governs changing or withdrawing an election: the history is kept, the latest form governs, and a change of option goes to manual review.",
		cites: []string{"settlement.md W10"}},

	// 4.6 Deported parents.
	{id: "D-1", set: RS2018S, title: "No review for removed parents", status: "CONFIRMED",
		text:  "A parent removed before the settlement gets no credible fear review or interview under it.",
		cites: []string{"USA Today 2018-09-14", "NPR 2018-09-13", "003_e4f5b4da1af4086b.txt"}},
	{id: "D-2", set: RS2018S, title: "No promise of return", status: "CONFIRMED",
		text:  "The government does not intend or agree to return any removed parent or to facilitate a return; exceptions only for rare and unusual cases, case by case.",
		cites: []string{"USA Today (quoting the Agreement)", "000_09e151171269c68e.txt", "003_e4f5b4da1af4086b.txt"}},
	{id: "D-3", set: RS2018S, title: "Counsel brings individual cases", status: "CONFIRMED",
		text:  "Class counsel brings individual cases to the government, which must review them in good faith.",
		cites: []string{"KQED 2018-11-15", "001_b9785a4cd5c48d70.txt"}},
	{id: "D-4", set: RS2018S, title: "30 days to choose cases", status: "CONFIRMED",
		text:  "Class counsel had 30 days to choose which cases to bring (T-1); a later request is flagged LATE and goes to manual review, the court route (D-6) remaining.",
		cites: []string{"KQED 2018-11-15"}},
	{id: "D-5", set: RS2018S, title: "Testimony for the child", status: "CONFIRMED",
		text:  "A removed parent may testify by phone and send documents for the child's claim (R-C3).",
		cites: []string{"USA Today, Sept 2018"}},
	{id: "D-6", set: RS2018S, title: "Court route", status: "CONFIRMED",
		text:  "In practice parents who had applied under the Agreement moved the court for return; on 2019-09-04 the court ordered 11 returned and refused 7.",
		cites: []string{"ECF 418-1", "ECF 456 (AP)"}},
	{id: "D-7", set: RS2018S, title: "Return request record", status: "INTERPRETATION",
		text:  "A return request records the parent, children, counsel, submission date, whether it fell in the T-1 window, the government's decision, court orders, travel, arrival and any later screening; its states run from DRAFT to RETURNED.",
		cites: []string{"settlement.md D-7"}},
	{id: "D-8", set: RS2018S, title: "Self-presented returns", status: "CONFIRMED",
		text:  "A parent who came back alone and was screened at the border returned by the SELF_PRESENTED channel; that screening (occasion ON_RETURN) is the parent's determination.",
		cites: []string{"Law&Crime 2019", "KFF 2019-03-02"}},

	// Section 8 requirements the evaluation rests on.
	{id: "R-SYS-5", set: RSAll, title: "Conflicting facts kept side by side", status: "INTERPRETATION",
		text:  "Each fact carries its source; conflicting values are kept side by side. Records that contradict each other (opposite final results on one day, custody in the U.S. after a removal with no return, dates out of order, a record about someone outside the family) never permit removal: the family goes to manual review with the contradiction explained.",
		cites: []string{"OIG-20-06", "OIG 2022 follow-up"}},
	{id: "R-SYS-8", set: RSAll, title: "Family-level outcome recording", status: "INTERPRETATION",
		text:  "Each outcome stores the member states, the rule ids, the parameter values and the rule book's version.",
		cites: []string{"GAO-20-250"}},

	// 5. Clocks.
	{id: "T-1", set: RS2018S, title: "Counsel picks deported parents' cases", status: "CONFIRMED",
		text:  "30 days from final approval (cfg.t1_anchor), in calendar or business days (cfg.day_type), with weekend roll cfg.weekend_roll: Saturday 2018-12-15 by default.",
		cites: []string{"KQED 2018-11-15"}},
	{id: "T-2", set: RS2018S, title: "Orientation and interviews start", status: "CONFIRMED",
		text:  "\"Within days\" of the election; the number is cfg.t2_days, and without it only the elapsed time is reported.",
		cites: []string{"SD Union-Tribune 2018-10-18"}},
	{id: "T-3", set: RS2018S, title: "Processing time", status: "CONFIRMED",
		text:  "DOJ expected processing to take \"weeks, or even months\": an expectation, not a deadline.",
		cites: []string{"Courthouse News, Sept 2018"}, notEncoded: "An expectation, not a deadline; the waits are measured by W9."},
	{id: "T-4", set: RS2018S, title: "Reflection period", status: "INTERPRETATION",
		text:  "A 7-day reflection period after reunification was requested by the ACLU; its adoption was not found.",
		cites: []string{"Courthouse News, Aug 2018"}, notEncoded: "Only requested; no adopted rule to encode."},
	{id: "T-5", set: RS2019, title: "Identify expanded-class children", status: "CONFIRMED",
		text:  "6 months from 2019-04-25, to 2019-10-25.",
		cites: []string{"KQED, Apr 2019"}},
	{id: "T-10", set: RS2023, title: "2023 parole", status: "CONFIRMED",
		text:  "Parole for 3 years from the grant (anchor UNCONFIRMED); +6 months under T-17.",
		cites: []string{"Palmer Polaski", "KQED/AP, Oct 2023"}},
	{id: "T-11", set: RS2023, title: "2023 work permit", status: "CONFIRMED",
		text:  "Employment authorization for 3 years from the grant, renewable; +6 months under T-17.",
		cites: []string{"Palmer Polaski", "KQED/AP, Oct 2023"}},
	{id: "T-12", set: RS2023, title: "2023 housing assistance", status: "CONFIRMED",
		text:  "Housing assistance for up to 12 months from the service start; +6 months under T-17.",
		cites: []string{"Palmer Polaski", "KQED/AP, Oct 2023"}},
	{id: "T-13", set: RS2023, title: "2023 medical assistance", status: "CONFIRMED",
		text:  "Medical assistance for 12 months from the service start; +6 months under T-17.",
		cites: []string{"Palmer Polaski", "KQED/AP, Oct 2023"}},
	{id: "T-14", set: RS2023, title: "2023 behavioral health", status: "CONFIRMED",
		text:  "Behavioral health services for 3 years from the service start; +6 months under T-17.",
		cites: []string{"Palmer Polaski", "KQED/AP, Oct 2023"}},
	{id: "T-15", set: RS2023, title: "2023 asylum filing", status: "CONFIRMED",
		text:  "2 years from the effective date 2023-12-11, so 2025-12-11 for families in the class on the effective date; later members per cfg.t15_anchor_late_members; the usual one-year bar is not applied (REPORTED). +1 year under T-17.",
		cites: []string{"ACLU motion, 2025", "Washington Post, Oct 2023"}},
	{id: "T-16", set: RS2023, title: "2023 settlement term", status: "CONFIRMED",
		text:  "6 years from 2023-12-11 (2029-12-11, derived); limits on separations 8 years (2031-12-11, derived). Termination +1 year under T-17.",
		cites: []string{"DHS fact sheet 2023-10-16"}},
	{id: "T-17", set: RS2023, title: "2025 extensions", status: "CONFIRMED",
		text:  "After breaches were found in 2025: +1 year for the asylum-claim, class-registration and termination dates (asylum 2026-12-11, termination 2030-12-11, derived); +6 months for services, parole and work authorization (scope cfg.t17_six_month_scope). The order date is not in the sources: cfg.t17_order_date.",
		cites: []string{"SD Union-Tribune, 2025", "Here San Diego, 2025"}},
	{id: "T-18", set: RSTF2021, title: "Together.gov parole", status: "CONFIRMED",
		text:  "Parole through the Task Force for at least three years from arrival (anchor UNCONFIRMED).",
		cites: []string{"KQED, Sept 2021"}},
}

// ruleFrom returns the first day a rule is in force under the parameters.
func ruleFrom(set string, c *config) rescreen.Date {
	switch set {
	case RS2018June:
		return dateClassOrder
	case RS2018S:
		return c.inForce
	case RS2019:
		return dateExpansion
	case RS2023:
		return date2023Effective
	case RSTF2021:
		return dateTaskForce
	}
	return rescreen.Date{}
}

// buildRules returns the rule book under the parameters: the dates of the
// 2018 settlement's rules and of T-17 follow them.
func buildRules(c *config) []Rule {
	params := map[string][]string{}
	for _, p := range paramDefs {
		for _, id := range p.Rules {
			params[id] = append(params[id], p.Name)
		}
	}
	rs := make([]Rule, len(book))
	for i, t := range book {
		r := Rule{
			ID: t.id, RuleSet: t.set, Title: t.title, Text: t.text, Status: t.status,
			Citations: citationsOf(t), From: ruleFrom(t.set, c), Params: params[t.id],
			Encoded: t.notEncoded == "", NotEncodedReason: t.notEncoded,
		}
		if t.id == "T-17" {
			r.From = c.t17Order
		}
		rs[i] = r
	}
	return rs
}

func citationsOf(t ruleText) []string {
	cs := make([]string, 0, len(t.cites)+1)
	cs = append(cs, "settlement.md "+t.id)
	return append(cs, t.cites...)
}

// ruleIndex finds a rule text by id.
var ruleIndex = func() map[string]*ruleText {
	m := make(map[string]*ruleText, len(book))
	for i := range book {
		m[book[i].id] = &book[i]
	}
	return m
}()

// cite returns the citations of the rules named, in order and without
// repeats, for a criterion that rests on them.
func cite(ids ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		t, ok := ruleIndex[id]
		if !ok {
			panic("rules: cite of unknown rule " + id)
		}
		for _, c := range citationsOf(*t) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}
