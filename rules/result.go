package rules

import "rescreen"

// The result types are the root package's, so that the API, the UI and the
// store speak of determinations without importing the rules; the names below
// keep the rules' own code short.
type (
	// Status is the result of checking one criterion. A missing fact makes
	// a criterion UNKNOWN, never NOT_MET and never MET.
	Status = rescreen.CriterionStatus
	// Criterion is one test a rule made (rescreen.Criterion).
	Criterion = rescreen.Criterion
	// CoverageStatus says whether a person is in a class under one rule set.
	CoverageStatus = rescreen.CoverageStatus
	// Coverage is a person's membership under one rule set (V-1).
	Coverage = rescreen.Coverage
	// RemedyKind is what the settlement owes a person.
	RemedyKind = rescreen.RemedyKind
	// Remedy is one thing owed to a person and the state it has reached.
	Remedy = rescreen.Remedy
	// MemberState is a member's state for the family outcome (4.3).
	MemberState = rescreen.MemberState
	// Outcome is the family outcome.
	Outcome = rescreen.Outcome
	// Hold is the removal hold on one member (H rules).
	Hold = rescreen.Hold
	// ElectionCheck is the validity of one election form (W1-W7).
	ElectionCheck = rescreen.ElectionCheck
	// Deadline is a date that follows from the rules.
	Deadline = rescreen.Deadline
	// PersonResult is everything the rules say about one person.
	PersonResult = rescreen.PersonDetermination
	// Result is the determination for one family as of one date.
	Result = rescreen.Determination
)

// Criterion statuses.
const (
	Met     = rescreen.CriterionMet
	NotMet  = rescreen.CriterionNotMet
	Unknown = rescreen.CriterionUnknown
)

// Coverage statuses.
const (
	Covered      = rescreen.Covered
	NotCovered   = rescreen.NotCovered
	ManualReview = rescreen.CoverageManualReview
	CoverageUnk  = rescreen.CoverageNeedsInfo
	NotInForce   = rescreen.CoverageNotInForce
)

// Remedy kinds.
const (
	RemedyParentReview   = rescreen.RemedyParentReview
	RemedyChildInterview = rescreen.RemedyChildInterview
	RemedyReturnRequest  = rescreen.RemedyReturnRequest
	Remedy2023Benefits   = rescreen.Remedy2023Benefits
	RemedyNone           = rescreen.RemedyNone
	RemedyManualReview   = rescreen.RemedyManualReview
)

// Member states.
const (
	StatePending  = rescreen.MemberPending
	StatePositive = rescreen.MemberPositive
	StateIn240    = rescreen.MemberIn240
	StateNegative = rescreen.MemberNegative
	StateWaived   = rescreen.MemberWaived
	StateNoClaim  = rescreen.MemberNoClaim
	StateManual   = rescreen.MemberManual
	StateUnknown  = rescreen.MemberUnknown
	StateOutside  = rescreen.MemberOutside
	StateRemoved  = rescreen.MemberRemoved
)

// Family outcomes. Only REMOVAL_MAY_PROCEED lifts the settlement's bar on
// removal; every other outcome keeps every covered member in the U.S.
const (
	OutcomePending      = rescreen.OutcomePending
	OutcomeStays        = rescreen.OutcomeStays
	OutcomeRemovalMay   = rescreen.OutcomeRemovalMay
	OutcomeManualReview = rescreen.OutcomeManualReview
	OutcomeNeedsInfo    = rescreen.OutcomeNeedsInfo
	OutcomeNotCovered   = rescreen.OutcomeNotCovered
)
