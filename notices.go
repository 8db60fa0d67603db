package rescreen

import (
	"context"
	"time"
)

// NoticeRequest asks for a notice or form to be given to a member of a
// family. The service fills the document from the family's records (the
// member's name, A-number and birth date; the appointment of a scheduling
// notice; the screening of a determination notice; class counsel),
// renders it in the language asked for, stores its bytes and records the
// delivery as a Notice record. A language with no written text is read
// aloud by a named interpreter and has no document.
type NoticeRequest struct {
	Person   Ref          `json:"person"`   // the member, by key (SOURCE:SOURCE_ID)
	Kind     NoticeKind   `json:"kind"`     // which notice or form
	Language string       `json:"language"` // ISO 639 code of the language it is given in
	Mode     DeliveryMode `json:"mode"`     // how it is delivered
	// Recipient is to whom it went when not to the member (counsel, a
	// parent).
	Recipient   string `json:"recipient,omitempty"`
	Interpreter string `json:"interpreter,omitempty"` // required to read aloud
	Signer      string `json:"signer,omitempty"`      // who signed for it
	On          Date   `json:"on"`                    // the day it was delivered, sent or attempted
	// Outcome is what came of the delivery; PENDING when empty (a notice
	// mailed and not yet known to have arrived).
	Outcome DeliveryOutcome `json:"outcome,omitempty"`
	// Appointment is required for an INTERVIEW_SCHEDULING notice, and
	// Screening (a decided one) for a DETERMINATION_NOTICE.
	Appointment Ref    `json:"appointment,omitempty"`
	Screening   Ref    `json:"screening,omitempty"`
	Notes       string `json:"notes,omitempty"`
}

// DeliveryUpdate records what came of a notice's delivery after it was
// issued: a mailed notice returned, a person not reached, a delivery
// confirmed. Only the outcome, the signer and the notes change; the
// document, its language and its date stay as issued.
type DeliveryUpdate struct {
	Notice  string          `json:"notice"` // the notice record's id
	Outcome DeliveryOutcome `json:"outcome"`
	Signer  string          `json:"signer,omitempty"` // kept as it was when empty
	Notes   string          `json:"notes,omitempty"`  // kept as it was when empty
}

// Document is a stored rendered document, addressed by the SHA-256 of its
// bytes.
type Document struct {
	SHA256    string    `json:"sha256"`
	MediaType string    `json:"media_type"`
	Bytes     []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// Name is a file name for the download: the notice's kind, language
	// and id, never a person's name.
	Name string `json:"name"`
}

// OutreachReason is why a person is on the outreach queue.
type OutreachReason string

// Outreach reasons.
const (
	// OutreachRemoved is a parent whose latest custody episode is a
	// removal, who has not returned, and whom no contact attempt has
	// reached since the removal.
	OutreachRemoved OutreachReason = "REMOVED"
	// OutreachNoticeFailed is a person whose latest notice came back
	// RETURNED, NOT_REACHED or REFUSED.
	OutreachNoticeFailed OutreachReason = "NOTICE_FAILED"
)

var outreachReasonValues = []string{"REMOVED", "NOTICE_FAILED"}

// Values lists the outreach reasons.
func (OutreachReason) Values() []string { return outreachReasonValues }

// OutreachItem is one person of the outreach queue.
type OutreachItem struct {
	FamilyID FamilyID         `json:"family_id"`
	Person   Ref              `json:"person"`
	PersonID PersonID         `json:"person_id"`
	Name     string           `json:"name"`
	Role     Role             `json:"role"`
	Language string           `json:"language,omitempty"` // preferred language, ISO 639
	Reasons  []OutreachReason `json:"reasons"`
	// Since is the day from which the person has been unreached: the
	// removal, or the failed notice's date, whichever is earlier; Days
	// counts the days from it to the page's date.
	Since    Date `json:"since"`
	Days     int  `json:"days"`
	Attempts int  `json:"attempts"` // contact attempts on record for the person
	// The last contact attempt; zero without one.
	LastOn      Date           `json:"last_on,omitzero"`
	LastChannel Channel        `json:"last_channel,omitempty"`
	LastOutcome ContactOutcome `json:"last_outcome,omitempty"`
	// The failed notice, for NOTICE_FAILED.
	NoticeID      string          `json:"notice_id,omitempty"`
	NoticeKind    NoticeKind      `json:"notice_kind,omitempty"`
	NoticeOutcome DeliveryOutcome `json:"notice_outcome,omitempty"`
}

// OutreachPage is a page of the outreach queue.
type OutreachPage struct {
	AsOf  Date           `json:"as_of"`
	Total int            `json:"total"` // persons on the queue within the caller's reach
	Items []OutreachItem `json:"items"`
	Next  string         `json:"next,omitempty"` // the cursor of the next page; empty on the last
}

// NoticeService issues notices, records what came of their delivery,
// gives their documents back, and keeps the outreach queue.
type NoticeService interface {
	// IssueNotice renders the notice, stores its document and records
	// the delivery, with its audit event, in one transaction, and returns
	// the Notice record. version is the family version the caller saw (0
	// skips the check; a stale one is ECONFLICT). Bad requests are
	// EINVALID with a problem per field of the request (person, kind,
	// language, mode, interpreter, on, appointment, screening, ...),
	// and change nothing; a caller who may not change the family's
	// CONTACT group gets EFORBIDDEN.
	IssueNotice(ctx context.Context, family FamilyID, version int64, req NoticeRequest) (*Notice, error)
	// RecordDelivery changes the outcome of a notice of the family (and
	// its signer and notes), through the same path as any change.
	RecordDelivery(ctx context.Context, family FamilyID, version int64, u DeliveryUpdate) (*Notice, error)
	// NoticeDocument returns a document of the family: the hash must be
	// named by one of the family's Notice records, and the caller must
	// be able to read the family's CONTACT group; anything else is
	// ENOTFOUND or EFORBIDDEN, so the call never tells whether another
	// family's document exists.
	NoticeDocument(ctx context.Context, family FamilyID, sha256 string) (*Document, error)
	// NoticeLanguages returns, for each kind of notice, the languages it
	// is written in; a notice in any other language is read aloud.
	NoticeLanguages(ctx context.Context) map[NoticeKind][]string
	// Outreach returns a page of the outreach queue as of today, the
	// longest unreached first, within the caller's reach (CONTACT read).
	// after is the cursor of a previous page ("" for the first); limit
	// 0 means 50, and at most 500.
	Outreach(ctx context.Context, after string, limit int) (OutreachPage, error)
}
