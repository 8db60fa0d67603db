package rescreen

import (
	"fmt"
	"sort"
)

// Kind names one kind of record. It is the name of the JSON array in the
// exchange format, of the CSV file that holds the kind, and of the records'
// kind in the store.
type Kind string

// The kinds, in dependency order: a record may only refer to kinds listed
// before it (evidence refers to screenings, everything to persons).
const (
	KindFamilies       Kind = "families"
	KindPersons        Kind = "persons"
	KindNames          Kind = "names"
	KindIdentifiers    Kind = "identifiers"
	KindRelationships  Kind = "relationships"
	KindSeparations    Kind = "separations"
	KindCustody        Kind = "custody"
	KindProceedings    Kind = "proceedings"
	KindScreenings     Kind = "screenings"
	KindEvidence       Kind = "evidence"
	KindElections      Kind = "elections"
	KindCounsel        Kind = "counsel"
	KindContacts       Kind = "contacts"
	KindPreferences    Kind = "preferences"
	KindReturnRequests Kind = "return_requests"
	KindBenefits       Kind = "benefits"
	KindAppointments   Kind = "appointments"
	KindNotices        Kind = "notices"
)

// Kinds lists every kind in dependency order.
var Kinds = []Kind{
	KindFamilies, KindPersons, KindNames, KindIdentifiers, KindRelationships,
	KindSeparations, KindCustody, KindProceedings, KindScreenings, KindEvidence,
	KindElections, KindCounsel, KindContacts, KindPreferences, KindReturnRequests,
	KindBenefits, KindAppointments, KindNotices,
}

// KindDocs describes each kind in a sentence, for the format's documentation.
var KindDocs = map[Kind]string{
	KindFamilies:       "Family units. A family's id is permanent.",
	KindPersons:        "Parents, legal guardians and children, each in one family with a role.",
	KindNames:          "Name variants: aliases, spellings in other agencies' records, birth names.",
	KindIdentifiers:    "A-numbers and agency ids; a person may have several of each.",
	KindRelationships:  "Parent-child and other relationships, with their evidence.",
	KindSeparations:    "Separation events: who was separated from whom, when, where, by whom and why.",
	KindCustody:        "The custody timeline: detention, shelter, foster care, release, removal, reunification.",
	KindProceedings:    "Removal orders and proceedings: expedited removal, reinstatement, section 240, asylum.",
	KindScreenings:     "Credible-fear and reasonable-fear screenings and their compliance facts.",
	KindEvidence:       "New information, evidence and testimony added to a screening.",
	KindElections:      "Election forms, one per member: Option A (remain) or Option B (return).",
	KindCounsel:        "Counsel for a family or a member.",
	KindContacts:       "Attempts to contact a person, and their outcomes.",
	KindPreferences:    "Parents' declared preferences, including reunification waivers.",
	KindReturnRequests: "Requests that a removed parent be allowed to return, and their states.",
	KindBenefits:       "Benefits granted under the 2023 settlement, with their dates.",
	KindAppointments:   "Reviews and interviews scheduled: date, officer, place or phone line, interpreter, counsel told.",
	KindNotices:        "Notices and forms given to a person, with their document's hash and how they were delivered.",
}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// NewRecord returns a new empty record of the kind.
func NewRecord(k Kind) Record {
	switch k {
	case KindFamilies:
		return &Family{}
	case KindPersons:
		return &Person{}
	case KindNames:
		return &NameVariant{}
	case KindIdentifiers:
		return &Identifier{}
	case KindRelationships:
		return &Relationship{}
	case KindSeparations:
		return &Separation{}
	case KindCustody:
		return &Custody{}
	case KindProceedings:
		return &Proceeding{}
	case KindScreenings:
		return &Screening{}
	case KindEvidence:
		return &EvidenceItem{}
	case KindElections:
		return &Election{}
	case KindCounsel:
		return &Counsel{}
	case KindContacts:
		return &ContactAttempt{}
	case KindPreferences:
		return &Preference{}
	case KindReturnRequests:
		return &ReturnRequest{}
	case KindBenefits:
		return &Benefit{}
	case KindAppointments:
		return &Appointment{}
	case KindNotices:
		return &Notice{}
	}
	panic(fmt.Sprintf("rescreen: unknown kind %q", k))
}

// KindOf returns the kind of a record.
func KindOf(r Record) Kind {
	switch r.(type) {
	case *Family:
		return KindFamilies
	case *Person:
		return KindPersons
	case *NameVariant:
		return KindNames
	case *Identifier:
		return KindIdentifiers
	case *Relationship:
		return KindRelationships
	case *Separation:
		return KindSeparations
	case *Custody:
		return KindCustody
	case *Proceeding:
		return KindProceedings
	case *Screening:
		return KindScreenings
	case *EvidenceItem:
		return KindEvidence
	case *Election:
		return KindElections
	case *Counsel:
		return KindCounsel
	case *ContactAttempt:
		return KindContacts
	case *Preference:
		return KindPreferences
	case *ReturnRequest:
		return KindReturnRequests
	case *Benefit:
		return KindBenefits
	case *Appointment:
		return KindAppointments
	case *Notice:
		return KindNotices
	}
	panic(fmt.Sprintf("rescreen: unknown record type %T", r))
}

// Dataset is a set of records of every kind: the content of an exchange file,
// or everything on record about one family (a dossier). The JSON form of a
// Dataset is the body of the exchange format.
type Dataset struct {
	Families       []Family         `json:"families,omitempty"`
	Persons        []Person         `json:"persons,omitempty"`
	Names          []NameVariant    `json:"names,omitempty"`
	Identifiers    []Identifier     `json:"identifiers,omitempty"`
	Relationships  []Relationship   `json:"relationships,omitempty"`
	Separations    []Separation     `json:"separations,omitempty"`
	Custody        []Custody        `json:"custody,omitempty"`
	Proceedings    []Proceeding     `json:"proceedings,omitempty"`
	Screenings     []Screening      `json:"screenings,omitempty"`
	Evidence       []EvidenceItem   `json:"evidence,omitempty"`
	Elections      []Election       `json:"elections,omitempty"`
	Counsel        []Counsel        `json:"counsel,omitempty"`
	Contacts       []ContactAttempt `json:"contacts,omitempty"`
	Preferences    []Preference     `json:"preferences,omitempty"`
	ReturnRequests []ReturnRequest  `json:"return_requests,omitempty"`
	Benefits       []Benefit        `json:"benefits,omitempty"`
	Appointments   []Appointment    `json:"appointments,omitempty"`
	Notices        []Notice         `json:"notices,omitempty"`
}

// Add appends a copy of the record to the dataset.
func (d *Dataset) Add(r Record) {
	switch v := r.(type) {
	case *Family:
		d.Families = append(d.Families, *v)
	case *Person:
		d.Persons = append(d.Persons, *v)
	case *NameVariant:
		d.Names = append(d.Names, *v)
	case *Identifier:
		d.Identifiers = append(d.Identifiers, *v)
	case *Relationship:
		d.Relationships = append(d.Relationships, *v)
	case *Separation:
		d.Separations = append(d.Separations, *v)
	case *Custody:
		d.Custody = append(d.Custody, *v)
	case *Proceeding:
		d.Proceedings = append(d.Proceedings, *v)
	case *Screening:
		d.Screenings = append(d.Screenings, *v)
	case *EvidenceItem:
		d.Evidence = append(d.Evidence, *v)
	case *Election:
		d.Elections = append(d.Elections, *v)
	case *Counsel:
		d.Counsel = append(d.Counsel, *v)
	case *ContactAttempt:
		d.Contacts = append(d.Contacts, *v)
	case *Preference:
		d.Preferences = append(d.Preferences, *v)
	case *ReturnRequest:
		d.ReturnRequests = append(d.ReturnRequests, *v)
	case *Benefit:
		d.Benefits = append(d.Benefits, *v)
	case *Appointment:
		d.Appointments = append(d.Appointments, *v)
	case *Notice:
		d.Notices = append(d.Notices, *v)
	default:
		panic(fmt.Sprintf("rescreen: unknown record type %T", r))
	}
}

// Each calls fn for every record of the kind, in order, with a pointer into
// the dataset. It stops at the first error.
func (d *Dataset) Each(k Kind, fn func(Record) error) error {
	switch k {
	case KindFamilies:
		return each(d.Families, fn)
	case KindPersons:
		return each(d.Persons, fn)
	case KindNames:
		return each(d.Names, fn)
	case KindIdentifiers:
		return each(d.Identifiers, fn)
	case KindRelationships:
		return each(d.Relationships, fn)
	case KindSeparations:
		return each(d.Separations, fn)
	case KindCustody:
		return each(d.Custody, fn)
	case KindProceedings:
		return each(d.Proceedings, fn)
	case KindScreenings:
		return each(d.Screenings, fn)
	case KindEvidence:
		return each(d.Evidence, fn)
	case KindElections:
		return each(d.Elections, fn)
	case KindCounsel:
		return each(d.Counsel, fn)
	case KindContacts:
		return each(d.Contacts, fn)
	case KindPreferences:
		return each(d.Preferences, fn)
	case KindReturnRequests:
		return each(d.ReturnRequests, fn)
	case KindBenefits:
		return each(d.Benefits, fn)
	case KindAppointments:
		return each(d.Appointments, fn)
	case KindNotices:
		return each(d.Notices, fn)
	}
	return fmt.Errorf("rescreen: unknown kind %q", k)
}

// EachRecord calls fn for every record of every kind, kinds in dependency order.
func (d *Dataset) EachRecord(fn func(Kind, Record) error) error {
	for _, k := range Kinds {
		if err := d.Each(k, func(r Record) error { return fn(k, r) }); err != nil {
			return err
		}
	}
	return nil
}

// Count returns the number of records of the kind.
func (d *Dataset) Count(k Kind) int {
	n := 0
	_ = d.Each(k, func(Record) error { n++; return nil })
	return n
}

// Len returns the number of records of every kind.
func (d *Dataset) Len() int {
	n := 0
	for _, k := range Kinds {
		n += d.Count(k)
	}
	return n
}

// Sort puts the records of every kind in a canonical order (by natural key),
// so that exports are byte-for-byte reproducible.
func (d *Dataset) Sort() {
	sortByKey(d.Families)
	sortByKey(d.Persons)
	sortByKey(d.Names)
	sortByKey(d.Identifiers)
	sortByKey(d.Relationships)
	sortByKey(d.Separations)
	sortByKey(d.Custody)
	sortByKey(d.Proceedings)
	sortByKey(d.Screenings)
	sortByKey(d.Evidence)
	sortByKey(d.Elections)
	sortByKey(d.Counsel)
	sortByKey(d.Contacts)
	sortByKey(d.Preferences)
	sortByKey(d.ReturnRequests)
	sortByKey(d.Benefits)
}

// recordPtr constrains a pointer type to a record type.
type recordPtr[T any] interface {
	*T
	Record
}

func each[T any, P recordPtr[T]](s []T, fn func(Record) error) error {
	for i := range s {
		if err := fn(P(&s[i])); err != nil {
			return err
		}
	}
	return nil
}

func sortByKey[T any, P recordPtr[T]](s []T) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := P(&s[i]).Header(), P(&s[j]).Header()
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.SourceID < b.SourceID
	})
}
