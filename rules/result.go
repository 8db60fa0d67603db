package rules

import "rescreen"

// Status is the result of checking one criterion. A missing fact makes a
// criterion UNKNOWN, never NOT_MET and never MET.
type Status string

// Criterion statuses.
const (
	Met     Status = "MET"
	NotMet  Status = "NOT_MET"
	Unknown Status = "UNKNOWN"
)

// Criterion is one test a rule made, with its result, the facts that
// decided it and, when UNKNOWN, the facts that are missing. Every criterion
// of every rule that applies is reported, never only the first failure.
type Criterion struct {
	Rule      string   `json:"rule"`             // rule id, such as "COV-1"
	Test      string   `json:"test"`             // what was checked, in plain English
	Status    Status   `json:"status"`           // MET, NOT_MET or UNKNOWN
	Detail    string   `json:"detail,omitempty"` // the facts that decided it
	Missing   []string `json:"missing,omitempty"`
	Citations []string `json:"citations"`
}

// CoverageStatus says whether a person is in a class under one rule set.
type CoverageStatus string

// Coverage statuses.
const (
	Covered      CoverageStatus = "COVERED"
	NotCovered   CoverageStatus = "NOT_COVERED"
	ManualReview CoverageStatus = "MANUAL_REVIEW"
	CoverageUnk  CoverageStatus = "NEEDS_INFORMATION"
	NotInForce   CoverageStatus = "NOT_IN_FORCE" // the rule set was not in force on the as-of date
)

// Coverage is a person's membership under one rule set (V-1).
type Coverage struct {
	RuleSet  string         `json:"rule_set"` // COV-2018-06, COV-2018-S, COV-2019-03, COV-2023
	Status   CoverageStatus `json:"status"`
	Criteria []Criterion    `json:"criteria"`
}

// RemedyKind is what the settlement owes a person.
type RemedyKind string

// Remedy kinds.
const (
	RemedyParentReview  RemedyKind = "PARENT_REVIEW_AND_INTERVIEW" // R-P1, R-P2
	RemedyChildInterview RemedyKind = "CHILD_INTERVIEW"            // R-C1, R-C2
	RemedyReturnRequest RemedyKind = "RETURN_REQUEST_CASE_BY_CASE" // D-1..D-8
	Remedy2023Benefits  RemedyKind = "BENEFITS_2023"               // T-10..T-15
	RemedyNone          RemedyKind = "NOTHING"
	RemedyManualReview  RemedyKind = "MANUAL_REVIEW"
)

// Remedy is one thing owed to a person and the state it has reached.
type Remedy struct {
	Kind     RemedyKind  `json:"kind"`
	State    string      `json:"state"` // for example OWED, SCHEDULED, DETERMINED_NEGATIVE, NONCOMPLIANT, SUBMITTED, LATE
	Criteria []Criterion `json:"criteria"`
}

// MemberState is a member's state for the family outcome (settlement.md 4.3).
type MemberState string

// Member states.
const (
	StatePending  MemberState = "PENDING"
	StatePositive MemberState = "POSITIVE"
	StateIn240    MemberState = "IN_240"
	StateNegative MemberState = "NEGATIVE" // final and compliant
	StateWaived   MemberState = "WAIVED"   // a valid Option B
	StateNoClaim  MemberState = "NO_CLAIM" // child only
	StateManual   MemberState = "MANUAL_REVIEW"
	StateUnknown  MemberState = "NEEDS_INFORMATION"
	StateOutside  MemberState = "NOT_IN_UNIT" // not a member of the family unit the F rules combine
)

// Outcome is the family outcome.
type Outcome string

// Family outcomes. Only REMOVAL_MAY_PROCEED lifts the settlement's bar on
// removal; every other outcome keeps every covered member in the U.S.
const (
	OutcomePending      Outcome = "PENDING"
	OutcomeStays        Outcome = "STAYS"
	OutcomeRemovalMay   Outcome = "REMOVAL_MAY_PROCEED"
	OutcomeManualReview Outcome = "MANUAL_REVIEW"
	OutcomeNeedsInfo    Outcome = "NEEDS_INFORMATION"
	OutcomeNotCovered   Outcome = "NOT_COVERED" // nobody in the family is covered by a rule set with procedures
)

// Hold is the removal hold on one member (H rules).
type Hold struct {
	Held          bool   `json:"held"`
	Rule          string `json:"rule"`           // the rule that holds or lifts it
	Reason        string `json:"reason"`         // why, in plain English
	LiftCondition string `json:"lift_condition"` // the exact condition that would lift it; empty when not held
}

// ElectionCheck is the validity of one election form (W1-W7).
type ElectionCheck struct {
	Election rescreen.Ref `json:"election"`
	Choice   string       `json:"choice"`
	Validity string       `json:"validity"` // VALID, INVALID, NEEDS_INFORMATION, SUPERSEDED
	Criteria []Criterion  `json:"criteria"`
}

// Deadline is a date that follows from the rules.
type Deadline struct {
	ID      string        `json:"id"` // clock id, such as "T-1" or "T-15"
	Rule    string        `json:"rule"`
	Title   string        `json:"title"`
	Start   rescreen.Date `json:"start,omitzero"` // day 0
	Due     rescreen.Date `json:"due,omitzero"`
	DayType string        `json:"day_type"` // CALENDAR_DAYS, BUSINESS_DAYS, MONTHS, YEARS
	Length  int           `json:"length"`
	Status  string        `json:"status"` // OPEN, MET, MISSED, NOT_APPLICABLE, NEEDS_INFORMATION
	Detail  string        `json:"detail,omitempty"`
}

// PersonResult is everything the rules say about one person.
type PersonResult struct {
	Person        rescreen.Ref    `json:"person"`
	PersonID      string          `json:"person_id,omitempty"`
	Role          rescreen.Role   `json:"role"`
	Coverage      []Coverage      `json:"coverage"`
	Remedies      []Remedy        `json:"remedies"`
	State         MemberState     `json:"state"`
	StateCriteria []Criterion     `json:"state_criteria"`
	Hold          Hold            `json:"hold"`
	Elections     []ElectionCheck `json:"elections,omitempty"`
	Deadlines     []Deadline      `json:"deadlines,omitempty"`
}

// Result is the determination for one family as of one date.
type Result struct {
	Family   rescreen.Ref   `json:"family"`
	FamilyID string         `json:"family_id,omitempty"`
	AsOf     rescreen.Date  `json:"as_of"`
	Version  string         `json:"rule_set_version"` // hash of the rules and the parameters in force
	Outcome  Outcome        `json:"outcome"`
	Criteria []Criterion    `json:"criteria"` // the family-level rules (F, H-2)
	Missing  []string       `json:"missing,omitempty"`
	Persons  []PersonResult `json:"persons"`
}
