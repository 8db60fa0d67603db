package rescreen

import (
	"context"
	"time"
)

// The court's record. The settlement took effect only when the judge in
// each case approved it, after class members could object; the orders
// that followed set deadlines of their own. These are not facts about one
// family, so they are not records of the registry: the cases, their
// approvals, the objections and the deadlines entered from court orders
// are kept by the CourtService, each change audited like any other.

// The cases of the settlement, by their ids in the store.
const (
	CaseMsL  = "MS_L" // Ms. L. v. ICE, S.D. Cal.
	CaseMMM  = "MMM"  // M.M.M. v. Sessions
	CaseDora = "DORA" // Dora v. Sessions, D.D.C.
)

// CourtCase is one of the cases the settlement resolves, with the
// approvals of it on record.
type CourtCase struct {
	ID     string `json:"id"`     // MS_L, MMM, DORA
	Title  string `json:"title"`  // Ms. L. v. ICE
	Court  string `json:"court"`  // S.D. Cal.
	Docket string `json:"docket"` // 3:18-cv-00428-DMS-MDD
	// Approvals are the approvals in force, at most one of each kind,
	// preliminary first.
	Approvals []Approval `json:"approvals"`
	// Corrected are the entries a later entry corrected, oldest first:
	// kept, never deleted.
	Corrected []Approval `json:"corrected,omitempty"`
}

// Approval returns the case's approval of the kind in force, or nil.
func (c *CourtCase) Approval(kind ApprovalKind) *Approval {
	for i := range c.Approvals {
		if c.Approvals[i].Kind == kind {
			return &c.Approvals[i]
		}
	}
	return nil
}

// ApprovalKind is the stage of the court's approval of the settlement.
type ApprovalKind string

// The kinds of approval.
const (
	ApprovalPreliminary ApprovalKind = "PRELIMINARY" // notice may go to the class; objections may be filed
	ApprovalFinal       ApprovalKind = "FINAL"       // the settlement takes effect in the case
)

var approvalKindValues = []string{"PRELIMINARY", "FINAL"}

// Values lists the kinds of approval.
func (ApprovalKind) Values() []string { return approvalKindValues }

// Approval is a court's approval of the settlement in one case, as
// entered from its order. Entries are never changed: a mistake is
// corrected by a new entry of the same kind, which names the one it
// corrects and why.
type Approval struct {
	ID         string       `json:"id"`
	Case       string       `json:"case"`
	Kind       ApprovalKind `json:"kind"`
	On         Date         `json:"on"`    // the day the court approved
	Order      string       `json:"order"` // the order's reference, such as "ECF 256"
	EnteredBy  string       `json:"entered_by"`
	EnteredAt  time.Time    `json:"entered_at"`
	Corrects   string       `json:"corrects,omitempty"`   // the id of the entry this one corrects
	Correction string       `json:"correction,omitempty"` // why it was corrected
	// CorrectedBy is the id of the entry that corrected this one.
	CorrectedBy string `json:"corrected_by,omitempty"`
}

// ApprovalInput is an approval to record. When the case already has an
// approval of the kind on record, the new one corrects it and Correction
// (why) is required.
type ApprovalInput struct {
	Case       string       `json:"case"`
	Kind       ApprovalKind `json:"kind"`
	On         Date         `json:"on"`
	Order      string       `json:"order"`
	Correction string       `json:"correction,omitempty"`
}

// ObjectionChannel is how an objection reached class counsel or the court.
type ObjectionChannel string

var objectionChannelValues = []string{"MAIL", "EMAIL", "IN_PERSON", "PHONE", "FAX", "COURT_FILING", "THROUGH_COUNSEL"}

// Values lists the channels of an objection; COURT_FILING is one filed on
// the docket directly.
func (ObjectionChannel) Values() []string { return objectionChannelValues }

// Ruling is the court's ruling on an objection.
type Ruling string

// The rulings.
const (
	RulingOverruled       Ruling = "OVERRULED"
	RulingSustained       Ruling = "SUSTAINED"
	RulingSustainedInPart Ruling = "SUSTAINED_IN_PART"
	RulingWithdrawn       Ruling = "WITHDRAWN" // the objector withdrew it before a ruling
	RulingMoot            Ruling = "MOOT"
)

var rulingValues = []string{"OVERRULED", "SUSTAINED", "SUSTAINED_IN_PART", "WITHDRAWN", "MOOT"}

// Values lists the rulings.
func (Ruling) Values() []string { return rulingValues }

// Objection is a class member's objection to the settlement.
type Objection struct {
	ID   string `json:"id"`
	Case string `json:"case"`
	// Person is the objector's person record when known (PersonKey its
	// source key, as the family page shows it); Family is its family.
	// PersonName is that record's name.
	Person     PersonID `json:"person,omitempty"`
	PersonKey  Ref      `json:"person_key,omitempty"`
	Family     FamilyID `json:"family_id,omitempty"`
	PersonName string   `json:"person_name,omitempty"`
	// Name is the objector's name as the objection writes it.
	Name string `json:"name,omitempty"`
	// Masked is set when the reader may not know who objected: the names
	// are initials, and the summary and the person record are left out.
	Masked      bool             `json:"masked,omitempty"`
	ReceivedOn  Date             `json:"received_on"`
	Channel     ObjectionChannel `json:"channel"`
	Language    string           `json:"language,omitempty"` // ISO 639
	Summary     string           `json:"summary,omitempty"`
	Counsel     string           `json:"counsel,omitempty"` // the objector's counsel, if any
	ForwardedOn Date             `json:"forwarded_on,omitzero"`
	Ruling      Ruling           `json:"ruling,omitempty"`
	RulingOn    Date             `json:"ruling_on,omitzero"`
	RulingOrder string           `json:"ruling_order,omitempty"` // the order that ruled, such as "ECF 320"
	EnteredBy   string           `json:"entered_by"`
	EnteredAt   time.Time        `json:"entered_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	Version     int64            `json:"version"` // grows by one with every change
}

// ObjectionInput is an objection to record: the objector is a person
// record when known (Person: its id, such as P-…, or its source key, such
// as CBP_E3:12345), else a name as written (Name); both may be given.
type ObjectionInput struct {
	Case        string           `json:"case"`
	Person      string           `json:"person,omitempty"`
	Name        string           `json:"name,omitempty"`
	ReceivedOn  Date             `json:"received_on"`
	Channel     ObjectionChannel `json:"channel"`
	Language    string           `json:"language,omitempty"`
	Summary     string           `json:"summary"`
	Counsel     string           `json:"counsel,omitempty"`
	ForwardedOn Date             `json:"forwarded_on,omitzero"`
	Ruling      Ruling           `json:"ruling,omitempty"`
	RulingOn    Date             `json:"ruling_on,omitzero"`
	RulingOrder string           `json:"ruling_order,omitempty"`
}

// ObjectionUpdate records what happened to an objection after it was
// received: the day it was forwarded to the court and the court's ruling.
// The values replace those on record; Version is the objection's version
// the caller saw (a stale one is ECONFLICT).
type ObjectionUpdate struct {
	Version     int64  `json:"version"`
	ForwardedOn Date   `json:"forwarded_on,omitzero"`
	Ruling      Ruling `json:"ruling,omitempty"`
	RulingOn    Date   `json:"ruling_on,omitzero"`
	RulingOrder string `json:"ruling_order,omitempty"`
}

// DeadlineUnit is what a court-order deadline counts.
type DeadlineUnit string

// The units of a court-order deadline.
const (
	UnitCalendarDays DeadlineUnit = "CALENDAR_DAYS"
	UnitBusinessDays DeadlineUnit = "BUSINESS_DAYS" // weekdays that are not federal holidays
	UnitMonths       DeadlineUnit = "MONTHS"
	UnitYears        DeadlineUnit = "YEARS"
)

var deadlineUnitValues = []string{"CALENDAR_DAYS", "BUSINESS_DAYS", "MONTHS", "YEARS"}

// Values lists the units.
func (DeadlineUnit) Values() []string { return deadlineUnitValues }

// LedgerKind is the kind of an entry of a deadline's ledger.
type LedgerKind string

// The kinds of ledger entry.
const (
	LedgerHold       LedgerKind = "HOLD"       // the clock stops from From to To (To zero: until lifted)
	LedgerLift       LedgerKind = "LIFT"       // ends an open hold (Entry) after To
	LedgerExtension  LedgerKind = "EXTENSION"  // by Days or Months, or to Until, granted On
	LedgerRevocation LedgerKind = "REVOCATION" // undoes an earlier entry (Entry)
)

var ledgerKindValues = []string{"HOLD", "LIFT", "EXTENSION", "REVOCATION"}

// Values lists the kinds of ledger entry.
func (LedgerKind) Values() []string { return ledgerKindValues }

// The states of a deadline on a day (the calendar's clock states).
const (
	DeadlineOpen   = "OPEN"
	DeadlineMet    = "MET"
	DeadlineMissed = "MISSED"
	DeadlinePaused = "PAUSED"
)

// DeadlineStateValues lists the states of a deadline on a day.
var DeadlineStateValues = []string{DeadlineOpen, DeadlineMet, DeadlineMissed, DeadlinePaused}

// LedgerEntry is one line of a court-order deadline's ledger. Entries are
// numbered from 1 in the order entered and never changed or removed: a
// mistake is undone by a revocation, which stays in the ledger.
type LedgerEntry struct {
	N         int        `json:"n"`
	Kind      LedgerKind `json:"kind"`
	From      Date       `json:"from,omitzero"`   // HOLD: the first day held
	To        Date       `json:"to,omitzero"`     // HOLD: the last day held (zero: until lifted); LIFT: the last day held
	Entry     int        `json:"entry,omitempty"` // LIFT: the hold; REVOCATION: the entry revoked
	On        Date       `json:"on,omitzero"`     // EXTENSION: the day it was granted
	Days      int        `json:"days,omitempty"`  // EXTENSION: in the deadline's day unit
	Months    int        `json:"months,omitempty"`
	Until     Date       `json:"until,omitzero"` // EXTENSION: a new due date
	Reason    string     `json:"reason,omitempty"`
	Authority string     `json:"authority"` // the order, stipulation or rule
	EnteredBy string     `json:"entered_by"`
	EnteredAt time.Time  `json:"entered_at"`
	// RevokedBy and LiftedBy are the numbers of the entries that revoked
	// this one, or lifted this hold; 0 if none.
	RevokedBy int `json:"revoked_by,omitempty"`
	LiftedBy  int `json:"lifted_by,omitempty"`
}

// LedgerInput is a ledger entry to append; the fields are those of
// LedgerEntry its kind uses.
type LedgerInput struct {
	Kind      LedgerKind `json:"kind"`
	From      Date       `json:"from,omitzero"`
	To        Date       `json:"to,omitzero"`
	Entry     int        `json:"entry,omitempty"`
	On        Date       `json:"on,omitzero"`
	Days      int        `json:"days,omitempty"`
	Months    int        `json:"months,omitempty"`
	Until     Date       `json:"until,omitzero"`
	Reason    string     `json:"reason,omitempty"`
	Authority string     `json:"authority"`
}

// CourtDeadline is a deadline set by a court order and entered by hand:
// a start, a length in a unit and a ledger of holds, lifts, extensions
// and revocations, each with its authority. The due date and the state
// are computed from them as of a day.
type CourtDeadline struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Case    string `json:"case"`
	Order   string `json:"order"` // the order's reference, such as "ECF 386"
	OrderOn Date   `json:"order_on"`
	// Family and Person, when set, are who the deadline is about
	// (PersonKey is the person record's source key).
	Family      FamilyID      `json:"family_id,omitempty"`
	Person      PersonID      `json:"person,omitempty"`
	PersonKey   Ref           `json:"person_key,omitempty"`
	Start       Date          `json:"start"` // day 0, not counted
	Length      int           `json:"length"`
	Unit        DeadlineUnit  `json:"unit"`
	CompletedOn Date          `json:"completed_on,omitzero"` // the day it was met
	EnteredBy   string        `json:"entered_by"`
	EnteredAt   time.Time     `json:"entered_at"`
	Ledger      []LedgerEntry `json:"ledger"`

	// Computed as of AsOf.
	AsOf    Date `json:"as_of"`
	BaseDue Date `json:"base_due"` // the due date with an empty ledger
	// Due is the due date; while a hold with no end stops the clock,
	// DueKnown is false and Due is the date the clock would reach if the
	// hold were lifted at the end of AsOf.
	Due       Date   `json:"due"`
	DueKnown  bool   `json:"due_known"`
	State     string `json:"state"`     // OPEN, MET, MISSED or PAUSED on AsOf
	Remaining int    `json:"remaining"` // counted days left (negative: overdue)
	// Explanation says how the due date was reached, in English (the
	// record; pages build their own from the fields).
	Explanation string `json:"explanation"`
}

// CourtDeadlineInput is a deadline to enter from a court order. Person is
// a person record's id or source key; the family, if not given, is the
// person's.
type CourtDeadlineInput struct {
	Title   string       `json:"title"`
	Case    string       `json:"case"`
	Order   string       `json:"order"`
	OrderOn Date         `json:"order_on"`
	Family  FamilyID     `json:"family_id,omitempty"`
	Person  string       `json:"person,omitempty"`
	Start   Date         `json:"start"`
	Length  int          `json:"length"`
	Unit    DeadlineUnit `json:"unit"`
}

// CourtDeadlineFilter selects the day of the queues (zero: the service's
// today) and the due-soon window in business days (0 means 14).
type CourtDeadlineFilter struct {
	Today  Date
	Within int
}

// CourtDeadlineQueues are the court-order deadlines a principal may see,
// as of one day: the overdue ones (most overdue first), those due within
// the window (earliest first), and the rest (paused, met, due later),
// by due date.
type CourtDeadlineQueues struct {
	AsOf    Date            `json:"as_of"`
	Within  int             `json:"within"` // business days
	Until   Date            `json:"until"`  // the last day of the due-soon window
	Overdue []CourtDeadline `json:"overdue"`
	DueSoon []CourtDeadline `json:"due_soon"`
	Other   []CourtDeadline `json:"other"`
}

// CourtService keeps the court's record. Every change is validated (each
// problem an EINVALID field error naming its field, and nothing written),
// checked against the caller's access (COURT; and the family a deadline or
// an objector belongs to), and written with its audit event in one
// transaction.
type CourtService interface {
	// CourtCases returns the cases with their approvals.
	CourtCases(ctx context.Context) ([]CourtCase, error)
	// RecordApproval records a court's approval of the settlement in a
	// case; a second approval of the same kind corrects the first and
	// needs a reason.
	RecordApproval(ctx context.Context, in ApprovalInput) (*Approval, error)
	// Objections returns the objections, the latest received first.
	Objections(ctx context.Context) ([]Objection, error)
	// Objection returns one objection, or ENOTFOUND.
	Objection(ctx context.Context, id string) (*Objection, error)
	// RecordObjection records an objection.
	RecordObjection(ctx context.Context, in ObjectionInput) (*Objection, error)
	// UpdateObjection records the forwarding of an objection to the court
	// and the court's ruling.
	UpdateObjection(ctx context.Context, id string, in ObjectionUpdate) (*Objection, error)
	// CourtDeadlines returns the court-order deadlines the caller may see,
	// in their queues.
	CourtDeadlines(ctx context.Context, f CourtDeadlineFilter) (*CourtDeadlineQueues, error)
	// CourtDeadline returns one deadline as of the day (zero: today), or
	// ENOTFOUND (also for a deadline about a family the caller does not
	// reach).
	CourtDeadline(ctx context.Context, id string, asOf Date) (*CourtDeadline, error)
	// CreateCourtDeadline enters a deadline from a court order.
	CreateCourtDeadline(ctx context.Context, in CourtDeadlineInput) (*CourtDeadline, error)
	// AppendLedgerEntry appends an entry to a deadline's ledger.
	AppendLedgerEntry(ctx context.Context, id string, in LedgerInput) (*CourtDeadline, error)
	// CompleteCourtDeadline records the day a deadline was met; the zero
	// date clears it (a completion is a fact that may be corrected).
	CompleteCourtDeadline(ctx context.Context, id string, on Date) (*CourtDeadline, error)
}

// CheckText returns what is wrong with a text field, or "": text that is
// not UTF-8, longer than 200 characters (20,000 for long text), or with
// control characters (long text may have line breaks and tabs).
func CheckText(s string, long bool) string { return checkText(s, long) }
