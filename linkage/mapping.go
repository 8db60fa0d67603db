package linkage

import (
	"fmt"
	"strings"
)

// Kind is what a column of an input file holds, and so how it is
// normalised, blocked on and compared.
type Kind uint8

// The kinds of column. A Mapping assigns one to each column it uses.
const (
	// KindIgnore: the column is read but not used.
	KindIgnore Kind = iota
	// KindKey: the record's identifier in its file, written to the output; it
	// must be unique within the file and is never compared.
	KindKey
	// KindGiven: given names. Several Given columns of one file (first and
	// middle name) are joined in order into one name.
	KindGiven
	// KindSurname: surnames. Two Surname columns of one file are the first
	// (paternal) and second (maternal) surname; one column holding both is
	// split (see SplitSurnames).
	KindSurname
	// KindFullName: a whole name in one field, compared word by word in any
	// order. When some files have given names and surnames and others a
	// full name, the full name of the former is their given names followed
	// by their surnames.
	KindFullName
	// KindDate: a date in the layout given in the mapping (date:YYYY-MM-DD).
	// The first Date field is taken as the date of birth for blocking.
	KindDate
	// KindIdentifier: a number or code such as a social security number, a
	// passport or a telephone number; only letters and digits are kept.
	KindIdentifier
	// KindANumber: an alien registration number (A-number), normalised to its
	// nine digits by NormalizeANumber.
	KindANumber
	// KindPlace: a short place value: postcode, town, district, state,
	// country.
	KindPlace
	// KindText: any other free text, such as a street address or an e-mail
	// address.
	KindText
	numKinds
)

var kindNames = [numKinds]string{"ignore", "id", "given", "surname", "fullname", "date", "identifier", "anumber", "place", "text"}

// kindAliases are the other spellings ParseMapping accepts.
var kindAliases = map[string]Kind{
	"key": KindKey, "rec_id": KindKey,
	"given_name": KindGiven, "first": KindGiven, "first_name": KindGiven, "forename": KindGiven,
	"last": KindSurname, "last_name": KindSurname, "family": KindSurname, "family_name": KindSurname,
	"full_name": KindFullName, "name": KindFullName,
	"ident": KindIdentifier, "number": KindIdentifier, "ssn": KindIdentifier, "phone": KindIdentifier,
	"a_number": KindANumber, "alien_number": KindANumber,
	"postcode": KindPlace, "zip": KindPlace, "city": KindPlace,
	"string": KindText, "address": KindText, "email": KindText,
	"skip": KindIgnore,
}

func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// MarshalText writes the kind's name, so that a saved Model reads well.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// ParseKind returns the kind named s (see the Kind constants; ParseMapping
// lists the names).
func ParseKind(s string) (Kind, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for k, n := range kindNames {
		if n == s {
			return Kind(k), nil
		}
	}
	if k, ok := kindAliases[s]; ok {
		return k, nil
	}
	return 0, fmt.Errorf("unknown kind %q (want one of %s)", s, strings.Join(kindNames[:], ", "))
}

// Scope says whom or what a column describes. The person model compares
// only the columns of the record's own person; the other scopes are the
// evidence of the family model (see ParentChild).
type Scope uint8

// The scopes of a column.
const (
	// ScopePerson: the record's own person (the default).
	ScopePerson Scope = iota
	// ScopeFamily: a value shared by the persons met together, such as
	// the border agency's apprehension event id, its family unit id, and
	// the event's date and place. Two records of one file with the same
	// family identifier are members of one group.
	ScopeFamily
	// ScopeParent: another person the record names as the person's parent
	// or guardian: a full name, or a text column giving the relationship
	// (MOTHER, FATHER…) of the full name before it.
	ScopeParent
	// ScopeEvent: the event the record stands for (a booking, a hearing),
	// not the person; read but not used by either model.
	ScopeEvent
	numScopes
)

var scopeNames = [numScopes]string{"person", "family", "parent", "event"}

func (s Scope) String() string {
	if s < numScopes {
		return scopeNames[s]
	}
	return fmt.Sprintf("scope(%d)", s)
}

// ParseScope returns the scope named s.
func ParseScope(s string) (Scope, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for k, n := range scopeNames {
		if n == s {
			return Scope(k), nil
		}
	}
	return 0, fmt.Errorf("unknown scope %q (want one of %s)", s, strings.Join(scopeNames[:], ", "))
}

// Column maps one column of an input file to a kind.
type Column struct {
	Name   string      // the column's header, as written in the file
	Kind   Kind        // what it holds
	Layout *DateLayout // for KindDate columns: how dates are written
	Scope  Scope       // whom the column describes; ScopePerson by default
}

// person reports whether the person model compares the column.
func (c Column) person() bool { return c.Scope == ScopePerson }

// A Mapping says which columns of a file are used and as what. Columns it
// does not name are ignored. The order matters when several files are
// linked: the n-th Date (or Identifier, Place…) column of one file is
// compared with the n-th of the same kind of the others.
type Mapping []Column

// ParseMapping parses a mapping written as comma-separated entries
// "column=kind" or, for dates, "column=date:LAYOUT", each optionally
// followed by @scope:
//
//	rec_id=id,given_name=given,surname=surname,date_of_birth=date:YYYYMMDD,soc_sec_id=identifier,postcode=place
//	event_id=identifier@family,event_date=date:MM/DD/YYYY@family,parent_name=fullname@parent
//
// The scopes are person (the default), family, parent and event; see
// Scope. Only full names and relationship texts take the parent scope, and
// the id has none.
// The kinds are id, given, surname, fullname, date, identifier, anumber,
// place, text and ignore (with a few aliases: first_name, last_name,
// postcode, address…). Newlines separate entries too, and a line starting
// with # is a comment, so a mapping can be kept in a file. The layout is
// written with YYYY, YY, MM, M, MMM (Jan), DD and D, as in DD/MM/YYYY, or
// as a Go reference layout (02/01/2006); it may be left out (date alone),
// in which case the layout is detected from the values.
//
// Column names are compared with the header after trimming spaces. A
// column may be named twice only if both entries agree, and at most one
// column is the id.
func ParseMapping(s string) (Mapping, error) {
	var m Mapping
	seen := map[string]int{}
	entries := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' })
	for n, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" || strings.HasPrefix(e, "#") {
			continue
		}
		col, spec, ok := strings.Cut(e, "=")
		col = strings.TrimSpace(col)
		if !ok || col == "" {
			return nil, fmt.Errorf("mapping entry %d %q: write column=kind", n+1, e)
		}
		var scope Scope
		if at := strings.LastIndexByte(spec, '@'); at >= 0 {
			sc, err := ParseScope(spec[at+1:])
			if err != nil {
				return nil, fmt.Errorf("mapping entry %d %q: %v", n+1, e, err)
			}
			spec, scope = spec[:at], sc
		}
		kindName, layout, hasLayout := strings.Cut(spec, ":")
		k, err := ParseKind(kindName)
		if err != nil {
			return nil, fmt.Errorf("mapping entry %d %q: %v", n+1, e, err)
		}
		c := Column{Name: col, Kind: k, Scope: scope}
		switch {
		case scope != ScopePerson && (k == KindKey || k == KindGiven || k == KindSurname):
			return nil, fmt.Errorf("mapping entry %d %q: a %s column describes the record's own person; it takes no scope", n+1, e, k)
		case scope == ScopeParent && k != KindFullName && k != KindText && k != KindIgnore:
			return nil, fmt.Errorf("mapping entry %d %q: a parent column is a full name (fullname@parent) or its relationship (text@parent)", n+1, e)
		case hasLayout && k != KindDate:
			return nil, fmt.Errorf("mapping entry %d %q: only a date takes a layout", n+1, e)
		case hasLayout:
			l, err := ParseDateLayout(layout)
			if err != nil {
				return nil, fmt.Errorf("mapping entry %d %q: %v", n+1, e, err)
			}
			c.Layout = l
		}
		if i, dup := seen[col]; dup {
			if m[i].Kind != c.Kind || m[i].Layout.String() != c.Layout.String() || m[i].Scope != c.Scope {
				return nil, fmt.Errorf("mapping entry %d %q: column %q is already mapped to %s", n+1, e, col, m[i].Kind)
			}
			continue
		}
		seen[col] = len(m)
		m = append(m, c)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("mapping %q names no column", s)
	}
	keys := 0
	for _, c := range m {
		if c.Kind == KindKey {
			keys++
		}
	}
	if keys > 1 {
		return nil, fmt.Errorf("mapping %q names %d id columns; at most one", s, keys)
	}
	return m, nil
}

// String writes the mapping in the form ParseMapping reads.
func (m Mapping) String() string {
	var b strings.Builder
	for i, c := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.Name)
		b.WriteByte('=')
		b.WriteString(c.Kind.String())
		if c.Layout != nil {
			b.WriteByte(':')
			b.WriteString(c.Layout.String())
		}
		if c.Scope != ScopePerson {
			b.WriteByte('@')
			b.WriteString(c.Scope.String())
		}
	}
	return b.String()
}

// compared reports whether the mapping has at least one column that the
// person model compares.
func (m Mapping) compared() bool {
	for _, c := range m {
		if c.person() && c.Kind != KindIgnore && c.Kind != KindKey {
			return true
		}
	}
	return false
}

// columnSynonyms are the column names DetectMapping recognises, folded
// with every non-letter removed ("Date of Birth", "date_of_birth" and
// "DOB" alike).
var columnSynonyms = map[Kind][]string{
	KindKey: {"id", "recid", "recordid", "uniqueid", "rowid", "key", "personid", "sourceid", "caseid"},
	KindGiven: {"given", "givenname", "givennames", "firstname", "first", "fname", "forename", "forenames",
		"middlename", "middlenames", "middle", "middleinitial", "nombre", "nombres", "primernombre", "segundonombre",
		"prenom"},
	KindSurname: {"surname", "surnames", "lastname", "last", "lname", "familyname", "apellido", "apellidos",
		"apellidopaterno", "apellidomaterno", "primerapellido", "segundoapellido", "paternalsurname",
		"maternalsurname", "surname1", "surname2", "secondsurname"},
	KindFullName: {"name", "fullname", "personname", "nombrecompleto"},
	KindDate: {"dob", "dateofbirth", "birthdate", "birthday", "fechanacimiento", "fechadenacimiento",
		"fechanac", "datenaissance", "yob", "birthyear", "yearofbirth"},
	KindIdentifier: {"socsecid", "ssn", "socialsecuritynumber", "nationalid", "passport", "passportnumber",
		"phone", "phonenumber", "telephone", "mobile", "idnumber", "documentnumber", "nin", "curp"},
	KindANumber: {"anumber", "alienumber", "aliennumber", "alienregistrationnumber", "anum"},
	KindPlace: {"postcode", "postalcode", "zip", "zipcode", "city", "town", "suburb", "state", "county",
		"district", "country", "birthplace", "placeofbirth", "municipality", "department", "province",
		"countryofbirth", "nationality"},
	KindText: {"address", "address1", "address2", "streetaddress", "street", "streetnumber", "streetname",
		"housenumber", "email", "emailaddress", "addressline1", "addressline2"},
}

// ignoredColumns are recognised so that DetectMapping never uses them:
// ground truth columns, and columns derived from others.
var ignoredColumns = []string{"cluster", "clusterid", "entityid", "truth", "label", "matchid", "trueid",
	"simulantid", "truepersonid", "groundtruth", "age", "blockingnumber", "sex", "gender"}

// DetectMapping proposes a mapping for a file from its header and a sample
// of its rows: columns whose names it recognises (given_name, first_name,
// surname, last_name, name, dob, date_of_birth, soc_sec_id, ssn, phone,
// a_number, postcode, zip, city, state, address, email, id, rec_id,
// unique_id, and their Spanish forms) are mapped to their kind, and so
// are names containing a telling part (postcode_fake, home_phone); date
// layouts are detected from the sample, and every other column is
// ignored and listed in the second result, so that the caller can report
// it. Ground truth and derived columns (cluster, label, age…) are always
// ignored, and so is a full name beside given-name or surname columns,
// which would count the same evidence twice.
//
// If no column is recognised as the id, records are identified by their
// line number.
func DetectMapping(header []string, sample [][]string) (Mapping, []string) {
	bySyn := map[string]Kind{}
	for k, names := range columnSynonyms {
		for _, n := range names {
			bySyn[n] = k
		}
	}
	kinds := make([]Kind, len(header))
	byPart := make([]bool, len(header))
	exact := map[Kind]bool{}
	for i, h := range header {
		norm := letters(h)
		k, ok := bySyn[norm]
		if ok {
			exact[k] = true
		} else {
			k, ok = kindByPart(norm)
			byPart[i] = true
		}
		if !ok || contains(ignoredColumns, norm) {
			k = KindIgnore
		}
		kinds[i] = k
	}
	split := false // given names or surnames in their own columns
	for i, k := range kinds {
		// A name column found by a part of its name beside one found by
		// its whole name is another form of it ("first_and_surname").
		if byPart[i] && (k == KindGiven || k == KindSurname) && exact[k] {
			kinds[i] = KindIgnore
		}
		split = split || kinds[i] == KindGiven || kinds[i] == KindSurname
	}
	var m Mapping
	var ignored []string
	haveKey := false
	for i, h := range header {
		k := kinds[i]
		// A full name beside given-name and surname columns repeats them,
		// and a model that counted both would count the same evidence
		// twice.
		if k == KindIgnore || (k == KindKey && haveKey) || (k == KindFullName && split) {
			ignored = append(ignored, h)
			continue
		}
		c := Column{Name: strings.TrimSpace(h), Kind: k}
		if k == KindKey {
			haveKey = true
		}
		if k == KindDate {
			var vals []string
			for _, r := range sample {
				if i < len(r) {
					vals = append(vals, r[i])
				}
			}
			c.Layout = DetectDateLayout(vals)
		}
		m = append(m, c)
	}
	return m, ignored
}

// columnParts are parts of column names that say the kind when the whole
// name is not a known one ("postcode_fake", "home_phone", "mother_dob"),
// tried in order.
var columnParts = []struct {
	part string
	kind Kind
}{
	{"firstname", KindGiven}, {"givenname", KindGiven}, {"forename", KindGiven}, {"middlename", KindGiven},
	{"surname", KindSurname}, {"lastname", KindSurname}, {"familyname", KindSurname}, {"apellido", KindSurname},
	{"dob", KindDate}, {"birthdate", KindDate}, {"dateofbirth", KindDate}, {"fechanac", KindDate},
	{"anumber", KindANumber}, {"aliennumber", KindANumber},
	{"ssn", KindIdentifier}, {"passport", KindIdentifier}, {"phone", KindIdentifier}, {"telephone", KindIdentifier},
	{"postcode", KindPlace}, {"zipcode", KindPlace}, {"postal", KindPlace}, {"city", KindPlace},
	{"birthplace", KindPlace}, {"placeofbirth", KindPlace}, {"country", KindPlace},
	{"email", KindText}, {"address", KindText}, {"street", KindText},
}

// kindByPart finds the kind of a column name from a part of it.
func kindByPart(norm string) (Kind, bool) {
	for _, p := range columnParts {
		if strings.Contains(norm, p.part) {
			return p.kind, true
		}
	}
	return KindIgnore, false
}

// letters returns s folded with everything but letters and digits removed.
func letters(s string) string {
	f := Fold(s)
	return strings.ReplaceAll(f, " ", "")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
