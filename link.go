package rescreen

import (
	"context"
	"time"
)

// LinkKind is what a link between two person records says.
type LinkKind string

// Link kinds.
const (
	LinkSamePerson  LinkKind = "SAME_PERSON"  // the two records are about one person
	LinkParentChild LinkKind = "PARENT_CHILD" // the left record's person is a parent of the right record's
)

var linkKindValues = []string{"SAME_PERSON", "PARENT_CHILD"}

// Values lists the link kinds.
func (LinkKind) Values() []string { return linkKindValues }

// LinkState is where a candidate link stands. Only LINKED and CONFIRMED
// links join records; a person's decision (CONFIRMED, REJECTED) binds every
// later scoring of the pair.
type LinkState string

// Link states.
const (
	LinkReview    LinkState = "REVIEW"    // scored between the thresholds: a person decides
	LinkLinked    LinkState = "LINKED"    // scored above the upper threshold: linked automatically
	LinkConfirmed LinkState = "CONFIRMED" // a reviewer confirmed it
	LinkRejected  LinkState = "REJECTED"  // a reviewer rejected it, or split what it joined
	LinkDropped   LinkState = "DROPPED"   // a later scoring put it below the lower threshold
)

var linkStateValues = []string{"REVIEW", "LINKED", "CONFIRMED", "REJECTED", "DROPPED"}

// Values lists the link states.
func (LinkState) Values() []string { return linkStateValues }

// Joins reports whether a link in this state joins its two records.
func (s LinkState) Joins() bool { return s == LinkLinked || s == LinkConfirmed }

// Decided reports whether a person decided the link.
func (s LinkState) Decided() bool { return s == LinkConfirmed || s == LinkRejected }

// FieldComparison is how one field of two records compared: the values,
// the comparison level and its match weight (log2 of m/u).
type FieldComparison struct {
	Field  string  `json:"field"`
	Left   string  `json:"left"`
	Right  string  `json:"right"`
	Level  int     `json:"level"` // -1 when a value is missing
	Label  string  `json:"label"` // the level's name, such as "exact" or "day and month swapped"
	Weight float64 `json:"weight"`
}

// LinkEnd is one side of a link: a person record and its family.
type LinkEnd struct {
	RecordID string   `json:"record_id"`
	Key      Ref      `json:"key"` // SOURCE:SOURCE_ID
	FamilyID FamilyID `json:"family_id"`
}

// LinkScore is one scored pair of person records, as the linkage model
// gives it.
type LinkScore struct {
	Kind        LinkKind          `json:"kind"`
	Left        LinkEnd           `json:"left"`
	Right       LinkEnd           `json:"right"`
	Probability float64           `json:"match_probability"`
	Weight      float64           `json:"match_weight"`
	Fields      []FieldComparison `json:"fields"`
	Model       string            `json:"model"` // the model's version
}

// LinkCandidate is a scored pair kept by the registry, with where it
// stands.
type LinkCandidate struct {
	ID string `json:"id"`
	LinkScore
	State     LinkState `json:"state"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// LinkDecision is one entry of a candidate's history: every change of its
// state, by whom, when and why. The history is append-only; an undo is a
// new entry.
type LinkDecision struct {
	Seq       int64     `json:"seq"`
	Candidate string    `json:"candidate"`
	State     LinkState `json:"state"`
	Previous  LinkState `json:"previous,omitempty"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
	Reason    string    `json:"reason,omitempty"`
}

// LinkThresholds are the match probabilities that decide a scored pair's
// fate: at or above Upper it is linked automatically, at or above Lower it
// waits for review, below it is not kept.
type LinkThresholds struct {
	Lower float64
	Upper float64
}

// DefaultLinkThresholds review pairs from probability 0.5 and link
// automatically from 0.99.
var DefaultLinkThresholds = LinkThresholds{Lower: 0.5, Upper: 0.99}

// LinkFilter selects link candidates: by state (those waiting for review
// when empty), by family, after a keyset cursor (the id of the last
// candidate of the previous page), up to a limit; most probable first.
type LinkFilter struct {
	States []LinkState
	Family FamilyID
	After  string
	Limit  int // 0 means the default
}

// LinkService keeps the links between person records and the reviewers'
// decisions on them.
type LinkService interface {
	LinkQueue(ctx context.Context, f LinkFilter) ([]LinkCandidate, error)
	// LinkHistory returns the candidate and its history, oldest first.
	LinkHistory(ctx context.Context, id string) (*LinkCandidate, []LinkDecision, error)
	// DecideLink records CONFIRM, REJECT or UNDO, with a reason (required
	// for REJECT and UNDO).
	DecideLink(ctx context.Context, id, decision, reason string) (*LinkCandidate, error)
	// SplitPerson rejects every same-person link in force with the person
	// record at one end; SplitFamily every link in force between a record
	// of the family and one of another family. A reason is required; the
	// links rejected are returned, each undoable on its own.
	SplitPerson(ctx context.Context, recordID, reason string) ([]LinkCandidate, error)
	SplitFamily(ctx context.Context, id FamilyID, reason string) ([]LinkCandidate, error)
}
