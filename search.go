package rescreen

// MatchLevel says how a search term matched what is on record. The levels
// are in rank order: a hit whose weakest term matched exactly comes before
// one that needed a phonetic match, which comes before a fuzzy one.
type MatchLevel string

// Match levels, strongest first.
const (
	MatchExact    MatchLevel = "EXACT"    // the same word, ignoring case and accents, or the same id
	MatchPrefix   MatchLevel = "PREFIX"   // a word that begins with the term
	MatchPhonetic MatchLevel = "PHONETIC" // a word that sounds the same (Ximenez, Jiménez)
	MatchFuzzy    MatchLevel = "FUZZY"    // a word one or two letters away (Lopze, López)
)

var matchLevelValues = []string{"EXACT", "PREFIX", "PHONETIC", "FUZZY"}

// Values lists the match levels, strongest first.
func (MatchLevel) Values() []string { return matchLevelValues }

// Rank orders the levels: 0 for exact, growing as the match weakens; an
// unknown level ranks last.
func (l MatchLevel) Rank() int {
	for i, v := range matchLevelValues {
		if string(l) == v {
			return i
		}
	}
	return len(matchLevelValues)
}

// MatchField is the part of a record a search term matched.
type MatchField string

// Match fields.
const (
	FieldGivenNames    MatchField = "GIVEN_NAMES"
	FieldFirstSurname  MatchField = "FIRST_SURNAME"
	FieldSecondSurname MatchField = "SECOND_SURNAME"
	FieldANumber       MatchField = "A_NUMBER"
	FieldIdentifier    MatchField = "IDENTIFIER" // an agency id of an identifier record
	FieldSourceID      MatchField = "SOURCE_ID"  // the id an agency gave one of its records
)

var matchFieldValues = []string{"GIVEN_NAMES", "FIRST_SURNAME", "SECOND_SURNAME", "A_NUMBER", "IDENTIFIER", "SOURCE_ID"}

// Values lists the match fields.
func (MatchField) Values() []string { return matchFieldValues }

// MatchReason is why one term of a search found a hit: "phonetic match on
// the first surname, Ximenez for Jiménez".
type MatchReason struct {
	Level MatchLevel `json:"level"`
	Field MatchField `json:"field"`
	Term  string     `json:"term"`  // the term as searched (folded for names)
	Found string     `json:"found"` // the word or id on record, as recorded
	// Variant is set when the name matched is a recorded name variant
	// (an alias, another agency's spelling) rather than the person's name.
	Variant bool `json:"variant,omitempty"`
	// Kind names the identifier scheme (IDENTIFIER) or the kind of
	// record (SOURCE_ID), and Source the agency system (SOURCE_ID).
	Kind   string `json:"kind,omitempty"`
	Source Source `json:"source,omitempty"`
}

// SearchHit is one person, or one family when the id found is the
// family's, that a search found.
type SearchHit struct {
	FamilyID  FamilyID      `json:"family_id"`
	PersonID  PersonID      `json:"person_id,omitempty"`
	Name      string        `json:"name,omitempty"`
	Role      Role          `json:"role,omitempty"`
	BirthDate Date          `json:"birth_date,omitzero"`
	Country   string        `json:"country,omitempty"`
	Stage     Stage         `json:"stage"`
	Level     MatchLevel    `json:"level"` // the weakest of the reasons' levels, which ranks the hit
	Reasons   []MatchReason `json:"reasons"`
}

// SearchKind says what a query was read as.
type SearchKind string

// Search kinds.
const (
	SearchByName SearchKind = "NAME"
	SearchByID   SearchKind = "ID" // an A-number or an agency's id
)

// SearchResult is the hits of one search, best first.
type SearchResult struct {
	Query string      `json:"query"`
	Kind  SearchKind  `json:"kind"`
	Hits  []SearchHit `json:"hits"`
	// More is set when there were more hits than the result holds.
	More bool `json:"more,omitempty"`
}
