package rescreen

import (
	"context"
	"time"
)

// Stage is how far a family has come in the settlement's process. It is
// derived from the facts on every change (see StageOf) and stored so that
// lists can be filtered by it.
type Stage string

// Stages, in order.
const (
	StageIdentified  Stage = "IDENTIFIED"          // on record, nobody reached yet
	StageContacted   Stage = "CONTACTED"           // a member or counsel was reached
	StageElected     Stage = "ELECTED"             // every member has an election form on record
	StageScheduled   Stage = "INTERVIEW_SCHEDULED" // a settlement interview is pending
	StageInterviewed Stage = "INTERVIEWED"         // a settlement interview has a result
	StageDetermined  Stage = "DETERMINED"          // every member has a final result or a return election
)

var stageValues = []string{"IDENTIFIED", "CONTACTED", "ELECTED", "INTERVIEW_SCHEDULED", "INTERVIEWED", "DETERMINED"}

// Values lists the stages in order.
func (Stage) Values() []string { return stageValues }

// StageOf derives the stage of the family whose records d holds. It reports
// progress for lists and dashboards only; what the family is owed and
// whether removal may proceed are the rules' business, not this function's.
func StageOf(d *Dataset) Stage {
	if len(d.Persons) == 0 {
		return StageIdentified
	}
	elected := map[Ref]bool{}
	for i := range d.Elections {
		elected[d.Elections[i].Person] = true
	}
	type progress struct{ pending, result, final bool }
	settle := map[Ref]*progress{}
	for i := range d.Screenings {
		s := &d.Screenings[i]
		if s.Occasion != OccasionSettlement && s.Occasion != OccasionChildOwn {
			continue
		}
		p := settle[s.Person]
		if p == nil {
			p = &progress{}
			settle[s.Person] = p
		}
		if s.Result == ResultPending {
			p.pending = true
		} else {
			p.result = true
			if s.Final != nil && *s.Final {
				p.final = true
			}
		}
	}
	allElected, allDone, anyResult, anyPending := true, true, false, false
	for i := range d.Persons {
		key := d.Persons[i].Key()
		if !elected[key] {
			allElected = false
		}
		p := settle[key]
		returned := false
		for j := range d.Elections {
			if d.Elections[j].Person == key && d.Elections[j].Choice == ChoiceReturn {
				returned = true
			}
		}
		if p == nil || !p.final {
			if !returned {
				allDone = false
			}
		}
		if p != nil {
			anyResult = anyResult || p.result
			anyPending = anyPending || p.pending
		}
	}
	switch {
	case allDone:
		return StageDetermined
	case anyResult:
		return StageInterviewed
	case anyPending:
		return StageScheduled
	case allElected:
		return StageElected
	}
	for i := range d.Contacts {
		if d.Contacts[i].Outcome == "REACHED" {
			return StageContacted
		}
	}
	return StageIdentified
}

// Dossier is everything on record about one family.
type Dossier struct {
	FamilyID  FamilyID  `json:"id"`
	Stage     Stage     `json:"stage"`
	Version   int64     `json:"version"` // grows by one with every change to the family
	UpdatedAt time.Time `json:"updated_at"`
	Records   Dataset   `json:"records"`
	// Unit lists the families that links in force join into one for the
	// rules, this one included, when there are others; the determination
	// is the unit's.
	Unit []FamilyID `json:"unit,omitempty"`
	// Determination is the rules' current result for the family; nil
	// until the family has been evaluated.
	Determination *Determination `json:"determination,omitempty"`
	// Waits is the W9 clock of every Option A election of the family's
	// members as of today (see ElectionWait); absent for a principal who
	// may not read both the elections and the screenings.
	Waits []ElectionWait `json:"election_waits,omitempty"`
}

// FamilySummary is one line of a list of families.
type FamilySummary struct {
	ID        FamilyID  `json:"id"`
	Source    Source    `json:"source"`
	SourceID  string    `json:"source_id"`
	Stage     Stage     `json:"stage"`
	Parents   int       `json:"parents"`
	Children  int       `json:"children"`
	Names     []string  `json:"names"`
	Countries []string  `json:"countries,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PersonSummary is one line of a list of persons.
type PersonSummary struct {
	ID        PersonID    `json:"id"`
	FamilyID  FamilyID    `json:"family_id"`
	Role      Role        `json:"role"`
	Name      string      `json:"name"`
	BirthDate Date        `json:"birth_date,omitzero"`
	Country   string      `json:"country,omitempty"`
	ANumbers  []string    `json:"a_numbers,omitempty"`
	Custody   CustodyKind `json:"custody,omitempty"` // the latest custody episode
}

// Filter selects families or persons. Every set field must match. Name
// matches any name token of a member by prefix, ignoring case and accents.
type Filter struct {
	Name    string
	ANumber string
	Country string
	Custody CustodyKind
	Stage   Stage
	Role    Role
	Limit   int    // page size; 0 means the default
	After   string // the id after which the page starts (keyset pagination)
}

// Page is one page of a list; Next is the After of the next page, empty on
// the last.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// Change is one record to add or replace in a family. A record whose kind,
// source and source id are already on record replaces it; otherwise it is
// added.
type Change struct {
	Kind   Kind   `json:"kind"`
	Record Record `json:"record"`
}

// FamilyService reads and changes families. Every change passes through it:
// it validates, writes the change and its audit event in one transaction,
// and re-derives what depends on the family.
type FamilyService interface {
	// ListFamilies returns a page of families matching f.
	ListFamilies(ctx context.Context, f Filter) (Page[FamilySummary], error)
	// ListPersons returns a page of persons matching f.
	ListPersons(ctx context.Context, f Filter) (Page[PersonSummary], error)
	// GetFamily returns everything on record about the family, or ENOTFOUND.
	GetFamily(ctx context.Context, id FamilyID) (*Dossier, error)
	// GetPerson returns the person's record, or ENOTFOUND.
	GetPerson(ctx context.Context, id PersonID) (*Person, FamilyID, error)
	// CreateFamily stores a new family with the records of d (which holds
	// exactly one family). It returns EINVALID with every problem found, or
	// ECONFLICT if the family's source key is already on record.
	CreateFamily(ctx context.Context, d *Dataset) (*Dossier, error)
	// ApplyChanges adds or replaces records of an existing family. version
	// is the family version the caller saw (0 to skip the check); a stale
	// version returns ECONFLICT and changes nothing.
	ApplyChanges(ctx context.Context, id FamilyID, version int64, changes []Change) (*Dossier, error)
	// Stats returns the registry's counts as of today, for the dashboard.
	Stats(ctx context.Context) (Stats, error)
	// Search finds families by a member's name (exact, then by prefix, by
	// sound, and one or two letters off, best first, with the reason for
	// each hit), by A-number in any format, or by any agency's id. A
	// query that is empty, longer than 200 characters or more than 8
	// words, and a limit outside 1 to 200 (0 means 50), return EINVALID.
	Search(ctx context.Context, query string, limit int) (*SearchResult, error)
	// Deadlines lists the deadlines of the families' current
	// determinations (see DeadlineService).
	DeadlineService
	// The scheduling queue and the booking of reviews and interviews
	// (see ScheduleService).
	ScheduleService
}

// AuditService reads the audit chain.
type AuditService interface {
	// VerifyAudit recomputes the chain; wantHead, if set, must be in it.
	VerifyAudit(ctx context.Context, wantHead string) (ChainReport, error)
	// AuditHead returns the newest event's sequence number and hash.
	AuditHead(ctx context.Context) (int64, string, error)
}
