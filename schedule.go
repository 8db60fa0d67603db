package rescreen

import "context"

// Scheduling: the queue of everyone the settlement owes a review or an
// interview, the appointments that book them, and the wait that the
// settlement's W9 asks to measure.

// Scheduled filters of the scheduling queue.
const (
	QueueAll         = ""   // everyone waiting
	QueueUnscheduled = "no" // only those with no appointment booked
	QueueScheduled   = "yes"
)

// QueueFilter selects rows of the scheduling queue: whether an appointment
// is booked (QueueAll, QueueUnscheduled, QueueScheduled), today's date
// (zero: the service's today), a keyset cursor and a limit (0 means 50).
type QueueFilter struct {
	Scheduled string
	Today     Date
	After     string
	Limit     int
}

// QueueItem is one person waiting for a review or an interview the
// settlement owes, as the family was last evaluated. The queue is ordered
// by the day the person's Option A election was received, the longest
// wait first; those with no election received come last.
type QueueItem struct {
	FamilyID FamilyID `json:"family_id"`
	PersonID PersonID `json:"person_id"`
	Person   Ref      `json:"person"`
	// Name is the person's name; initials for a principal who may not
	// read the person's identity.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Remedy is what the rules owe (PARENT_REVIEW_AND_INTERVIEW or
	// CHILD_INTERVIEW), State how far it has come (such as OWED,
	// REVIEW_OWED, SCHEDULED, NONCOMPLIANT), and Occasion the screening
	// it calls for.
	Remedy   RemedyKind `json:"remedy"`
	State    string     `json:"state"`
	Occasion Occasion   `json:"occasion"`
	// Reinterview is set when an earlier decision did not stand (R-P5)
	// and the person is owed the interview again.
	Reinterview bool `json:"reinterview"`
	// ElectedOn is the day counsel received the person's first Option A
	// election form; WaitDays the days from then to today. Both are
	// absent when no such form is on record.
	ElectedOn Date `json:"election_received_on,omitzero"`
	WaitDays  *int `json:"wait_days,omitempty"`
	// InterviewOn is the day of an interview already set as a pending
	// screening, when there is one.
	InterviewOn Date `json:"interview_on,omitzero"`
	// Appointment is the earliest appointment booked (SCHEDULED) for the
	// person, if any.
	Appointment *QueueAppointment `json:"appointment,omitempty"`
	Language    string            `json:"language,omitempty"` // the person's first language
	// Location is the rules' IN_US, REMOVED or UNKNOWN; Custody and
	// Facility the latest custody episode, Detained whether it is DHS
	// detention still open. Empty for a principal who may not read
	// custody.
	Location string      `json:"location"`
	Custody  CustodyKind `json:"custody,omitempty"`
	Facility string      `json:"facility,omitempty"`
	Detained bool        `json:"detained"`
	// Counsel names the counsel of record ("name (organisation)"), empty
	// when there is none or the principal may not read contacts;
	// HasCounsel says whether there is one.
	Counsel    string `json:"counsel,omitempty"`
	HasCounsel bool   `json:"has_counsel"`
}

// QueueAppointment is the appointment a queue row has booked.
type QueueAppointment struct {
	ID   string        `json:"id"`
	On   Date          `json:"on"`
	Time string        `json:"time,omitempty"`
	Mode InterviewMode `json:"mode,omitempty"`
	// Past is set when its day has passed and it is still SCHEDULED:
	// nobody has recorded whether it was held.
	Past bool `json:"past"`
}

// SchedulePlan is what scheduling one person needs: who they are, what
// the rules owe them, their languages, whether they have counsel, and
// their appointments.
type SchedulePlan struct {
	FamilyID FamilyID `json:"family_id"`
	Version  int64    `json:"version"` // the family's version, for the change
	PersonID PersonID `json:"person_id"`
	Person   Ref      `json:"person"`
	Name     string   `json:"name"`
	Role     Role     `json:"role"`
	// Owed lists what the rules owe the person that an appointment can
	// serve, with the remedy's state; empty when nothing is owed.
	Owed      []OwedInterview `json:"owed"`
	Languages []string        `json:"languages,omitempty"`
	// HasCounsel says whether counsel of record would be notified;
	// Counsel names them for a principal who may read contacts.
	HasCounsel bool     `json:"has_counsel"`
	Counsel    []string `json:"counsel,omitempty"`
	// Appointments are the person's appointments, the latest first.
	Appointments []Appointment `json:"appointments"`
	// Waits is the W9 clock of the person's Option A elections.
	Waits []ElectionWait `json:"waits,omitempty"`
	// Today is the service's today, the earliest day to book; Holidays
	// are the federal holidays from today to the latest day to book,
	// on which, as on weekends, nothing is booked.
	Today    Date      `json:"today"`
	Holidays []Holiday `json:"holidays"`
}

// Holiday is a federal holiday as offices observe it.
type Holiday struct {
	On   Date   `json:"on"`
	Name string `json:"name"`
}

// OwedInterview is one review or interview the rules owe a person.
type OwedInterview struct {
	Occasion    Occasion   `json:"occasion"`
	Remedy      RemedyKind `json:"remedy"`
	State       string     `json:"state"`
	Reinterview bool       `json:"reinterview"`
}

// Appointment actions: what a change does to a booked appointment.
const (
	ActionReschedule = "RESCHEDULE" // a new day, time, place or officer
	ActionCancel     = "CANCEL"
	ActionNoShow     = "NO_SHOW" // the person did not come
)

// AppointmentRequest books a review or an interview for a person. The
// field names of the problems it can return are the JSON names below.
type AppointmentRequest struct {
	FamilyID FamilyID `json:"-"`
	// Version is the family version the caller saw (0 skips the check).
	Version         int64         `json:"version"`
	PersonID        PersonID      `json:"person"`
	Occasion        Occasion      `json:"occasion"`
	On              Date          `json:"on"`
	Time            string        `json:"time"`
	Officer         string        `json:"officer"`
	Office          string        `json:"office"`
	Mode            InterviewMode `json:"mode"`
	Place           string        `json:"place"`
	Phone           string        `json:"phone_line"`
	Interpreter     string        `json:"interpreter_language"`
	InterpreterName string        `json:"interpreter"`
	// LanguageConfirmed accepts an interpreter language that is none of
	// the person's languages on record, which is otherwise refused as a
	// likely mistake.
	LanguageConfirmed bool `json:"language_confirmed"`
	// NotifyCounsel records that counsel of record is told, with a
	// scheduling notice to each in the same change.
	NotifyCounsel bool   `json:"notify_counsel"`
	Notes         string `json:"notes"`
}

// AppointmentChange changes a booked appointment: RESCHEDULE (with the
// new booking's fields, as for AppointmentRequest), CANCEL (with a reason)
// or NO_SHOW (on or after its day).
type AppointmentChange struct {
	FamilyID    FamilyID           `json:"-"`
	Appointment string             `json:"-"` // the appointment record's id
	Action      string             `json:"action"`
	Booking     AppointmentRequest `json:"booking"` // RESCHEDULE's new values; Version is the change's
	Reason      string             `json:"reason"`
}

// Booking is what a scheduling change did: the appointment as stored and
// the notices written to counsel.
type Booking struct {
	Appointment Appointment `json:"appointment"`
	Notices     []Notice    `json:"notices"`
	Version     int64       `json:"version"` // the family's version after the change
}

// ElectionWait is the wait that followed one Option A election form,
// measured as the status report's SR-11 measures it
// (docs/report-definitions.md): from the day counsel received the form to
// the member's first settlement review or child's interview held, or to
// today while there has been none.
type ElectionWait struct {
	Person     Ref  `json:"person"`
	Election   Ref  `json:"election"`
	ReceivedOn Date `json:"received_on,omitzero"`
	// State is WAITING (no interview yet), INTERVIEWED, INTERVIEWED_BEFORE
	// (interviewed before the form was received: no wait to measure) or
	// NOT_RECEIVED (the form's receipt is not recorded).
	State         string `json:"state"`
	InterviewedOn Date   `json:"interviewed_on,omitzero"`
	Days          int    `json:"days"`
}

// Wait states.
const (
	WaitWaiting           = "WAITING"
	WaitInterviewed       = "INTERVIEWED"
	WaitInterviewedBefore = "INTERVIEWED_BEFORE"
	WaitNotReceived       = "NOT_RECEIVED"
)

// ScheduleService keeps the scheduling queue and books reviews and
// interviews. Every booking passes through it: it checks that the
// principal may change the family's screenings, validates, writes the
// appointment, the counsel's notices and the audit event in one
// transaction, and derives the family again.
type ScheduleService interface {
	// SchedulingQueue lists the persons owed a review or an interview,
	// the longest wait first, filtered to the principal's reach.
	SchedulingQueue(ctx context.Context, f QueueFilter) (Page[QueueItem], error)
	// SchedulePlan returns what scheduling the person needs, or ENOTFOUND
	// if the person is not of the family.
	SchedulePlan(ctx context.Context, family FamilyID, person PersonID) (*SchedulePlan, error)
	// Schedule books an appointment. It returns EINVALID with every
	// problem, field by field, EFORBIDDEN without the right to change
	// screenings, and ECONFLICT on a stale version.
	Schedule(ctx context.Context, r AppointmentRequest) (*Booking, error)
	// ChangeAppointment reschedules, cancels or marks a no-show, with the
	// same checks.
	ChangeAppointment(ctx context.Context, c AppointmentChange) (*Booking, error)
}
