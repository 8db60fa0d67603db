// Package rules is the settlement as code: who is covered, what each person
// is owed, the family outcome, the removal hold, the validity of elections,
// and the deadlines that follow, each with the rule, its sources, its
// status and its dates of effect, and every criterion explained.
//
// The package is pure: it reads a family's records and an as-of date and
// returns a Result. It does no I/O and never reads the clock.
//
// The safety invariant: a Result has Outcome REMOVAL_MAY_PROCEED only when
// every covered member of the family unit has a final, compliant negative
// determination (or counts as finished under the parameters) or a valid
// waiver, and no hold applies. A missing fact is UNKNOWN, and UNKNOWN never
// permits removal.
package rules

import "rescreen"

// Rule is one rule of the rule book.
type Rule struct {
	ID        string        `json:"id"`       // settlement.md id, such as "COV-1"
	RuleSet   string        `json:"rule_set"` // the rule set it belongs to
	Title     string        `json:"title"`
	Text      string        `json:"text"`   // the rule in plain English
	Status    string        `json:"status"` // CONFIRMED, REPORTED or INTERPRETATION
	Citations []string      `json:"citations"`
	From      rescreen.Date `json:"effective_from,omitzero"`
	Until     rescreen.Date `json:"effective_until,omitzero"` // last day in force; zero while in force
	Params    []string      `json:"params,omitempty"`         // parameters the rule reads
	Encoded   bool          `json:"encoded"`
	NotEncodedReason string `json:"not_encoded_reason,omitempty"`
}

// Param is an interpretation made a named parameter: every reading that
// settlement.md marks UNCONFIRMED.
type Param struct {
	Name        string   `json:"name"` // settlement.md key, such as "cfg.interview_trigger"
	Default     string   `json:"default"`
	Values      []string `json:"values,omitempty"` // allowed values; empty for a date or a number
	Kind        string   `json:"kind"`             // ENUM, BOOL, DATE, INT
	Description string   `json:"description"`
	Rules       []string `json:"rules"` // the rules it governs
	Source      string   `json:"source"`
}

// Params are parameter values by name; a missing name takes its default.
type Params map[string]string
