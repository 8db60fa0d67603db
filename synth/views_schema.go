package synth

import (
	"encoding/json"
	"fmt"
	"strings"

	"rescreen"
)

// FieldKind says how the linkage command should compare a column: the
// field kinds of its column mapping.
type FieldKind string

// Field kinds.
const (
	FieldID         FieldKind = "id"         // the record's id in its source
	FieldGivenName  FieldKind = "given_name" // given names; several such columns are joined in order
	FieldSurname    FieldKind = "surname"    // surnames; several such columns are joined in order
	FieldFullName   FieldKind = "full_name"  // given names and surnames in one field, in the column's layout
	FieldDate       FieldKind = "date"       // a date in the column's layout (a Go reference layout)
	FieldIdentifier FieldKind = "identifier" // an identifier: only its letters and digits count
	FieldANumber    FieldKind = "anumber"    // an A-number, whatever its punctuation
	FieldPlace      FieldKind = "place"      // a facility, town or border sector
	FieldText       FieldKind = "text"       // a short free or coded value (sex, country, language)
	FieldIgnore     FieldKind = "ignore"     // not for comparison
)

// Scopes say whom a column describes. A person-matching model compares the
// person-scoped columns; the family and parent scopes are evidence for the
// parent-child model.
const (
	ScopePerson = ""       // the record's own person
	ScopeFamily = "family" // shared by the persons apprehended together
	ScopeParent = "parent" // another person: the child's parent or sponsor
	ScopeEvent  = "event"  // the event the record stands for (a booking, a hearing), not the person
)

// ViewColumn is one column of an agency view, with the suggested mapping
// for the linkage command.
type ViewColumn struct {
	Name   string    `json:"column"`
	Kind   FieldKind `json:"kind"`
	Layout string    `json:"layout,omitempty"`
	Scope  string    `json:"scope,omitempty"`
	Doc    string    `json:"doc,omitempty"`
}

// ViewSchema describes one agency view: its file, its columns in order and
// what it holds.
type ViewSchema struct {
	Source  rescreen.Source `json:"source"`
	File    string          `json:"file"`
	Doc     string          `json:"doc"`
	Columns []ViewColumn    `json:"columns"`
}

// Mapping returns the suggested column mapping as indented JSON, the form
// WriteViews writes beside each view.
func (s ViewSchema) Mapping() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // a ViewSchema always encodes
	}
	return append(b, '\n')
}

// LinkMapping returns the suggested mapping for the linkage command in its
// text form, one "column=kind" entry per line (dates as date:LAYOUT). The
// columns of the record's own person are matched across views; the
// columns of other scopes carry their scope (event_id=identifier@family,
// parent_name=fullname@parent, facility=place@event), so that the person
// model leaves them out and the family model reads them. Text columns of
// the person (sex and language), whose codes differ from one view to the
// next (M, MALE, Male), are left out, and so is any column of kind ignore;
// comment lines say which and why. Every view maps its one country column
// to place, its date of birth to its only date and its A-number to
// anumber, so that the n-th column of a kind means the same in every view.
func (s ViewSchema) LinkMapping() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (%s): suggested mapping for matching persons and families\n", s.File, s.Source)
	for _, c := range s.Columns {
		kind := ""
		switch c.Kind {
		case FieldID:
			kind = "id"
		case FieldGivenName:
			kind = "given"
		case FieldSurname:
			kind = "surname"
		case FieldFullName:
			kind = "fullname"
		case FieldDate:
			kind = "date:" + c.Layout
		case FieldIdentifier:
			kind = "identifier"
		case FieldANumber:
			kind = "anumber"
		case FieldPlace:
			kind = "place"
		case FieldText:
			if c.Scope == ScopeParent {
				kind = "text" // the relationship of the parent named before it
			}
		}
		if kind == "" {
			// One comment line per column, without commas or semicolons,
			// which the command's parser takes for separators.
			why := c.Scope
			if why == "" {
				why = string(c.Kind)
			}
			fmt.Fprintf(&b, "# left out: %s (%s)\n", c.Name, why)
			continue
		}
		if c.Scope != ScopePerson {
			kind += "@" + c.Scope
		}
		fmt.Fprintf(&b, "%s=%s\n", c.Name, kind)
	}
	return b.String()
}

// Header returns the names of the columns.
func (s ViewSchema) Header() []string {
	h := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		h[i] = c.Name
	}
	return h
}

// Column indices of each view, in the order of its schema.
const (
	cbpSubject = iota
	cbpEvent
	cbpEventDate
	cbpEventPlace
	cbpLast
	cbpFirst
	cbpMiddle
	cbpBirth
	cbpSex
	cbpCitizenship
	cbpANumber
	cbpFamilyUnit
	cbpColumns
)

const (
	iceSubject = iota
	iceANumber
	iceLast
	iceFirst
	iceBirth
	iceSex
	iceCountry
	iceFacility
	iceBookIn
	iceColumns
)

const (
	orrCase = iota
	orrFirst
	orrLast1
	orrLast2
	orrBirth
	orrSex
	orrCountry
	orrParent
	orrParentRel
	orrSponsor
	orrSponsorRel
	orrReferral
	orrProgram
	orrColumns
)

const (
	uscisCase = iota
	uscisANumber
	uscisFamily
	uscisGiven
	uscisBirth
	uscisSex
	uscisCountry
	uscisLanguage
	uscisInterview
	uscisOffice
	uscisColumns
)

const (
	eoirHearing = iota
	eoirANumber
	eoirName
	eoirNationality
	eoirDate
	eoirType
	eoirCourt
	eoirColumns
)

// Date layouts of the views. They differ on purpose: each agency kept its
// own.
const (
	cbpDateLayout   = "01/02/2006"
	iceDateLayout   = "2006-01-02"
	orrDateLayout   = "1/2/2006"
	uscisDateLayout = "20060102"
	eoirDateLayout  = "01/02/2006"
)

// viewSpecs are the five views, in the order of ViewSources.
var viewSpecs = [...]ViewSchema{
	{
		Source: rescreen.SourceCBP, File: "cbp_e3.csv",
		Doc: "Border agency apprehension records (e3-like): one row per person per apprehension event, names typed " +
			"in capitals at the border. Persons apprehended together share the event id and, when it was recorded, " +
			"the family unit id.",
		Columns: []ViewColumn{
			{Name: "subject_id", Kind: FieldID},
			{Name: "event_id", Kind: FieldIdentifier, Scope: ScopeFamily, Doc: "apprehension event, shared by the persons apprehended together"},
			{Name: "event_date", Kind: FieldDate, Layout: cbpDateLayout, Scope: ScopeFamily, Doc: "date of apprehension"},
			{Name: "event_place", Kind: FieldPlace, Scope: ScopeFamily, Doc: "Border Patrol sector or port of entry"},
			{Name: "last_name", Kind: FieldSurname, Doc: "surnames, paternal first, as typed"},
			{Name: "first_name", Kind: FieldGivenName},
			{Name: "middle_name", Kind: FieldGivenName, Doc: "further given names; sometimes the first surname"},
			{Name: "dob", Kind: FieldDate, Layout: cbpDateLayout},
			{Name: "sex", Kind: FieldText, Doc: "M or F"},
			{Name: "citizenship", Kind: FieldPlace, Doc: "country"},
			{Name: "a_number", Kind: FieldANumber, Layout: "A#########", Doc: "alien registration number"},
			{Name: "family_unit_id", Kind: FieldIdentifier, Scope: ScopeFamily, Doc: "family unit, shared by a parent and the children apprehended with them; often not recorded"},
		},
	},
	{
		Source: rescreen.SourceICE, File: "ice_earm.csv",
		Doc: "Detention agency bookings (EARM-like): one row per booking of an adult, or of a child held in family " +
			"detention; capitals without accents; a transfer or re-booking makes a second row.",
		Columns: []ViewColumn{
			{Name: "subject_id", Kind: FieldID},
			{Name: "a_number", Kind: FieldANumber, Layout: "#########"},
			{Name: "last_name", Kind: FieldSurname},
			{Name: "first_name", Kind: FieldGivenName, Doc: "all given names; sometimes the first surname as a middle name"},
			{Name: "dob", Kind: FieldDate, Layout: iceDateLayout},
			{Name: "sex", Kind: FieldText, Doc: "MALE or FEMALE"},
			{Name: "country_of_citizenship", Kind: FieldPlace, Doc: "country"},
			{Name: "facility", Kind: FieldPlace, Scope: ScopeEvent},
			{Name: "book_in_date", Kind: FieldDate, Layout: iceDateLayout, Scope: ScopeEvent},
		},
	},
	{
		Source: rescreen.SourceORR, File: "orr_ucportal.csv",
		Doc: "Shelter agency referrals (UC Portal-like): one row per referral of a child; the parent the child was " +
			"separated from and the sponsor as the child or the case manager reported them.",
		Columns: []ViewColumn{
			{Name: "child_case_id", Kind: FieldID},
			{Name: "child_first_name", Kind: FieldGivenName},
			{Name: "child_last_name_1", Kind: FieldSurname, Doc: "first (paternal) surname"},
			{Name: "child_last_name_2", Kind: FieldSurname, Doc: "second (maternal) surname"},
			{Name: "dob", Kind: FieldDate, Layout: orrDateLayout},
			{Name: "sex", Kind: FieldText, Doc: "Male or Female"},
			{Name: "country_of_birth", Kind: FieldPlace, Doc: "country"},
			{Name: "parent_name", Kind: FieldFullName, Layout: "given surnames", Scope: ScopeParent, Doc: "the parent or guardian the child was separated from, as reported"},
			{Name: "parent_relationship", Kind: FieldText, Scope: ScopeParent, Doc: "MOTHER, FATHER, GRANDMOTHER, AUNT or UNCLE"},
			{Name: "sponsor_name", Kind: FieldFullName, Layout: "given surnames", Scope: ScopeParent, Doc: "the adult the child was released to; a parent of the class or a relative who is not"},
			{Name: "sponsor_relationship", Kind: FieldText, Scope: ScopeParent},
			{Name: "referral_date", Kind: FieldDate, Layout: orrDateLayout, Scope: ScopeEvent},
			{Name: "program", Kind: FieldPlace, Scope: ScopeEvent, Doc: "shelter or foster program"},
		},
	},
	{
		Source: rescreen.SourceUSCIS, File: "uscis_global.csv",
		Doc: "Asylum office credible- and reasonable-fear cases (Global-like): one row per screening, names checked " +
			"with an interpreter.",
		Columns: []ViewColumn{
			{Name: "cf_case_id", Kind: FieldID},
			{Name: "a_number", Kind: FieldANumber, Layout: "A-###-###-###"},
			{Name: "family_name", Kind: FieldSurname},
			{Name: "given_name", Kind: FieldGivenName},
			{Name: "dob", Kind: FieldDate, Layout: uscisDateLayout},
			{Name: "sex", Kind: FieldText, Doc: "M or F"},
			{Name: "country_of_nationality", Kind: FieldPlace, Doc: "country"},
			{Name: "language", Kind: FieldText, Doc: "language of the interview, spelled as the officer wrote it"},
			{Name: "interview_date", Kind: FieldDate, Layout: uscisDateLayout, Scope: ScopeEvent},
			{Name: "asylum_office", Kind: FieldPlace, Scope: ScopeEvent},
		},
	},
	{
		Source: rescreen.SourceEOIR, File: "eoir.csv",
		Doc: "Immigration court hearing lists: one row per hearing, keyed by A-number, the name in one " +
			"\"LAST, FIRST\" field in capitals, no date of birth.",
		Columns: []ViewColumn{
			{Name: "hearing_id", Kind: FieldID},
			{Name: "a_number", Kind: FieldANumber, Layout: "###-###-###"},
			{Name: "name", Kind: FieldFullName, Layout: "SURNAMES, GIVEN"},
			{Name: "nationality", Kind: FieldPlace, Doc: "country"},
			{Name: "hearing_date", Kind: FieldDate, Layout: eoirDateLayout, Scope: ScopeEvent},
			{Name: "hearing_type", Kind: FieldIgnore, Scope: ScopeEvent, Doc: "CFR (review of a negative fear finding), MASTER or MERITS"},
			{Name: "court", Kind: FieldPlace, Scope: ScopeEvent},
		},
	},
}

// viewIndex returns the index of src in ViewSources, or -1.
func viewIndex(src rescreen.Source) int {
	for i := range viewSpecs {
		if viewSpecs[i].Source == src {
			return i
		}
	}
	return -1
}

// ViewSchemas returns the schemas of the five views, in the order of
// ViewSources. The slices are copies.
func ViewSchemas() []ViewSchema {
	out := make([]ViewSchema, len(viewSpecs))
	for i, s := range viewSpecs {
		s.Columns = append([]ViewColumn(nil), s.Columns...)
		out[i] = s
	}
	return out
}

// ViewSchemaOf returns the schema of the view of src.
func ViewSchemaOf(src rescreen.Source) (ViewSchema, bool) {
	i := viewIndex(src)
	if i < 0 {
		return ViewSchema{}, false
	}
	return ViewSchemas()[i], true
}
