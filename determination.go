package rescreen

import (
	"context"
	"time"
)

// CriterionStatus is the result of checking one criterion. A missing fact makes a
// criterion UNKNOWN, never NOT_MET and never MET.
type CriterionStatus string

// Criterion statuses.
const (
	CriterionMet     CriterionStatus = "MET"
	CriterionNotMet  CriterionStatus = "NOT_MET"
	CriterionUnknown CriterionStatus = "UNKNOWN"
)

// Criterion is one test a rule made, with its result, the facts that
// decided it and, when UNKNOWN, the facts that are missing. Every criterion
// of every rule that applies is reported, never only the first failure.
type Criterion struct {
	Rule      string          `json:"rule"`             // rule id, such as "COV-1"
	Test      string          `json:"test"`             // what was checked, in plain English
	Status    CriterionStatus `json:"status"`           // MET, NOT_MET or UNKNOWN
	Detail    string          `json:"detail,omitempty"` // the facts that decided it
	Missing   []string        `json:"missing,omitempty"`
	Citations []string        `json:"citations"`
	// DetailValues marks the values in Detail (see TextValues).
	DetailValues TextValues `json:"-"`
}

// TextValues marks the values inside an explanation the rules wrote: byte
// offsets, in pairs [start, end), of the dates, record keys, names, numbers
// and codes taken from the records, between which everything is a fixed
// phrase of the rules. A translation translates the phrases and keeps the
// values. It is not part of the JSON form: the API speaks English.
type TextValues []int32

// CoverageStatus says whether a person is in a class under one rule set.
type CoverageStatus string

// Coverage statuses.
const (
	Covered              CoverageStatus = "COVERED"
	NotCovered           CoverageStatus = "NOT_COVERED"
	CoverageManualReview CoverageStatus = "MANUAL_REVIEW"
	CoverageNeedsInfo    CoverageStatus = "NEEDS_INFORMATION"
	CoverageNotInForce   CoverageStatus = "NOT_IN_FORCE" // the rule set was not in force on the as-of date
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
	RemedyParentReview   RemedyKind = "PARENT_REVIEW_AND_INTERVIEW" // R-P1, R-P2
	RemedyChildInterview RemedyKind = "CHILD_INTERVIEW"             // R-C1, R-C2
	RemedyReturnRequest  RemedyKind = "RETURN_REQUEST_CASE_BY_CASE" // D-1..D-8
	Remedy2023Benefits   RemedyKind = "BENEFITS_2023"               // T-10..T-15
	RemedyNone           RemedyKind = "NOTHING"
	RemedyManualReview   RemedyKind = "MANUAL_REVIEW"
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
	MemberPending  MemberState = "PENDING"
	MemberPositive MemberState = "POSITIVE"
	MemberIn240    MemberState = "IN_240"
	MemberNegative MemberState = "NEGATIVE" // final and compliant
	MemberWaived   MemberState = "WAIVED"   // a valid Option B
	MemberNoClaim  MemberState = "NO_CLAIM" // child only
	MemberManual   MemberState = "MANUAL_REVIEW"
	MemberUnknown  MemberState = "NEEDS_INFORMATION"
	MemberOutside  MemberState = "NOT_IN_UNIT" // not a member of the family unit the F rules combine
	MemberRemoved  MemberState = "REMOVED"     // outside the U.S. after removal; counts per cfg.removed_member_counts_as
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
	// ReasonValues and LiftValues mark the values in Reason and
	// LiftCondition (see TextValues).
	ReasonValues, LiftValues TextValues `json:"-"`
}

// ElectionCheck is the validity of one election form (W1-W7).
type ElectionCheck struct {
	Election Ref         `json:"election"`
	Choice   string      `json:"choice"`
	Validity string      `json:"validity"` // VALID, INVALID, NEEDS_INFORMATION, SUPERSEDED
	Criteria []Criterion `json:"criteria"`
}

// Deadline is a date that follows from the rules.
type Deadline struct {
	ID      string `json:"id"` // clock id, such as "T-1" or "T-15"
	Rule    string `json:"rule"`
	Title   string `json:"title"`
	Start   Date   `json:"start,omitzero"` // day 0
	Due     Date   `json:"due,omitzero"`
	DayType string `json:"day_type"` // CALENDAR_DAYS, BUSINESS_DAYS, MONTHS, YEARS
	Length  int    `json:"length"`
	Status  string `json:"status"` // OPEN, MET, MISSED, ENDED (a benefit period that ran out), NOT_APPLICABLE, NEEDS_INFORMATION
	Detail  string `json:"detail,omitempty"`
	// DetailValues marks the values in Detail (see TextValues).
	DetailValues TextValues `json:"-"`
}

// PersonDetermination is everything the rules say about one person.
type PersonDetermination struct {
	Person        Ref             `json:"person"`
	PersonID      string          `json:"person_id,omitempty"`
	Role          Role            `json:"role"`
	Location      string          `json:"location"` // IN_US, REMOVED or UNKNOWN as of the as-of date
	Coverage      []Coverage      `json:"coverage"`
	Remedies      []Remedy        `json:"remedies"`
	State         MemberState     `json:"state"`
	StateCriteria []Criterion     `json:"state_criteria"`
	Hold          Hold            `json:"hold"`
	Elections     []ElectionCheck `json:"elections,omitempty"`
	Deadlines     []Deadline      `json:"deadlines,omitempty"`
}

// Determination is the rules' result for one family as of one date.
type Determination struct {
	Family   Ref                   `json:"family"`
	FamilyID string                `json:"family_id,omitempty"`
	AsOf     Date                  `json:"as_of"`
	Version  string                `json:"rule_set_version"` // hash of the rules and the parameters in force
	Outcome  Outcome               `json:"outcome"`
	Criteria []Criterion           `json:"criteria"` // the family-level rules (F, H-2)
	Missing  []string              `json:"missing,omitempty"`
	Persons  []PersonDetermination `json:"persons"`
	Params   map[string]string     `json:"params"` // the parameter values in force (R-SYS-8)
}

// Rule is one rule of the rule book.
type Rule struct {
	ID               string   `json:"id"`       // settlement.md id, such as "COV-1"
	RuleSet          string   `json:"rule_set"` // the rule set it belongs to
	Title            string   `json:"title"`
	Text             string   `json:"text"`   // the rule in plain English
	Status           string   `json:"status"` // CONFIRMED, REPORTED or INTERPRETATION
	Citations        []string `json:"citations"`
	From             Date     `json:"effective_from,omitzero"`
	Until            Date     `json:"effective_until,omitzero"` // last day in force; zero while in force
	Params           []string `json:"params,omitempty"`         // parameters the rule reads
	Encoded          bool     `json:"encoded"`
	NotEncodedReason string   `json:"not_encoded_reason,omitempty"`
}

// RuleParam is an interpretation made a named parameter: a reading that
// settlement.md marks UNCONFIRMED, which an administrator may change per
// deployment.
type RuleParam struct {
	Name        string   `json:"name"` // settlement.md key, such as "cfg.interview_trigger"
	Default     string   `json:"default"`
	Values      []string `json:"values,omitempty"` // allowed values; empty for a date or a number
	Kind        string   `json:"kind"`             // ENUM, BOOL, DATE, INT
	Description string   `json:"description"`
	Rules       []string `json:"rules"` // the rules it governs
	Source      string   `json:"source"`
}

// RuleBook is the rule set in force: every rule, every parameter and the
// value in force of each, under one version hash.
type RuleBook struct {
	Version string            `json:"version"`
	Rules   []Rule            `json:"rules"`
	Params  []RuleParam       `json:"params"`
	Values  map[string]string `json:"values"`
}

// Decision is one entry of a family's decision log: an evaluation that
// changed the family's stored determination.
type Decision struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Cause      string    `json:"cause"`
	Version    string    `json:"rule_set_version"`
	AsOf       string    `json:"as_of"`
	AuditSeq   int64     `json:"audit_seq"`
	InputsHash string    `json:"inputs_hash"`
	Outcome    Outcome   `json:"outcome"`
	Previous   Outcome   `json:"previous,omitempty"`
}

// RulesService reads the rule book and the decision log.
type RulesService interface {
	// RuleBook returns the rule set in force.
	RuleBook(ctx context.Context) (*RuleBook, error)
	// Decisions returns the family's decision log, oldest first, or
	// ENOTFOUND if the family does not exist.
	Decisions(ctx context.Context, id FamilyID) ([]Decision, error)
}
