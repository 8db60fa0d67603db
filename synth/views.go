package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"rescreen"
)

// Agency views. The class that Generate produces is the truth: one record
// per person, spelled correctly, with every identifier and relationship
// known. The agencies of 2018 never had that. GenerateViews writes what five
// of their systems would hold about the same persons instead: the border
// agency's apprehension records (CBP e3), the detention agency's bookings
// (ICE EARM), the shelter agency's referrals (ORR UC Portal), the asylum
// office's credible-fear cases (USCIS Global) and the immigration courts'
// hearing lists (EOIR). Each source has its own columns, conventions and
// kinds of error, holds only the persons it would have met, and holds some
// of them twice. Beside the records it writes the truth: each record's true
// person, the true parent-child pairs, and the errors put into each record,
// so that linkage can be measured against it.
//
// The views are reproducible. Each family's noise is drawn from its own PCG
// stream, seeded from ViewConfig.Seed and the family's index, apart from
// the class's stream: the same Config and ViewConfig always yield the same
// rows, and changing a rate changes only the views, never the class.
//
// Every rate is a probability per record among the records the error can
// apply to (a day/month swap needs a day of 12 or less that differs from
// the month; a nickname needs a given name that has one), so that a rate
// can be measured by comparing each record with its true person. The
// default rates are UNCONFIRMED choices: no agency published its error
// rates. They follow what the OIG and GAO reports describe qualitatively
// (names re-keyed by hand from speech, English-only systems, family unit
// ids often not recorded, A-numbers issued twice) and are stated in
// DefaultViewSources.

// ErrorKind is one kind of error an agency's record can carry.
type ErrorKind uint8

// Kinds of error. The comment says what the record holds instead of the
// truth, and which records the error can apply to.
const (
	ErrAccents           ErrorKind = iota // names without their accents and tildes; names that have some
	ErrKeyboard                           // one keyboard slip in a name field: a neighbouring key, a key doubled, dropped or two keys swapped
	ErrOCR                                // one OCR confusion in a name field (m read as rn, E as F); fields that contain a confusable letter
	ErrNoSecondSurname                    // the second surname missing
	ErrSurnamesSwapped                    // the two surnames in the wrong order
	ErrSurnameAsMiddle                    // the first surname taken for a middle name, the second recorded as the surname
	ErrNameFieldsSwapped                  // given names and surnames in each other's fields
	ErrGivenReordered                     // given names in another order; persons with two or more
	ErrGivenShortened                     // only the first given name, or it and an initial; persons with two or more
	ErrNickname                           // a nickname instead of a given name (Pepe for José); names that have one
	ErrMayanSpelling                      // a Mayan name spelled another way (Xuc as Shuc, Tz'unun as Tsunun, Quiej as Kiej); persons with one
	ErrChildSurname                       // a child recorded under the surnames of the father, the mother or a guardian; children whose surnames differ from an adult's
	ErrBirthMissing                       // no date of birth
	ErrDayMonthSwapped                    // day and month of birth swapped; dates whose day is 12 or less and differs from the month
	ErrYearOff                            // the year of birth one off
	ErrBirthEstimated                     // birth recorded as January 1 of the year, as for an age estimate; dates not on January 1
	ErrANumberMissing                     // no A-number
	ErrANumberDigit                       // one digit of the A-number mistyped (a neighbouring key of the keypad)
	ErrANumberTransposed                  // two adjacent digits of the A-number swapped
	ErrSecondANumber                      // a second A-number issued to the same person
	ErrFamilyLinkMissing                  // the link to the family not recorded: CBP's family unit id, ORR's parent name
	ErrSexFlipped                         // the other sex recorded
	NumErrorKinds                         // the number of kinds
)

var errorNames = [NumErrorKinds]string{
	"accents", "keyboard", "ocr", "no_second_surname", "surnames_swapped", "surname_as_middle",
	"name_fields_swapped", "given_reordered", "given_shortened", "nickname", "mayan_spelling",
	"child_surname", "birth_missing", "day_month_swapped", "year_off", "birth_estimated",
	"a_number_missing", "a_number_digit", "a_number_transposed", "second_a_number",
	"family_link_missing", "sex_flipped",
}

// String returns the kind's name as the truth files write it.
func (k ErrorKind) String() string {
	if k < NumErrorKinds {
		return errorNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", k)
}

// ParseErrorKind returns the kind with the name String returns.
func ParseErrorKind(s string) (ErrorKind, bool) {
	for k, n := range errorNames {
		if n == s {
			return ErrorKind(k), true
		}
	}
	return 0, false
}

// Errors is the set of error kinds put into one record.
type Errors uint32

// Has reports whether the set holds k.
func (e Errors) Has(k ErrorKind) bool { return e&(1<<k) != 0 }

func (e *Errors) add(k ErrorKind) { *e |= 1 << k }

// String returns the names of the kinds in the set, joined by semicolons in
// the order of the constants.
func (e Errors) String() string {
	var b strings.Builder
	for k := range NumErrorKinds {
		if e.Has(k) {
			if b.Len() > 0 {
				b.WriteByte(';')
			}
			b.WriteString(errorNames[k])
		}
	}
	return b.String()
}

// SourceNoise says what one agency's view holds: which share of the records
// it would have it does have, how many it holds twice, and the rate of each
// kind of error. A rate for a field the source does not have (a date of
// birth on a court list, an A-number at the shelter agency) is ignored.
type SourceNoise struct {
	Source rescreen.Source
	// Coverage is the share of the records the source would hold (a
	// booking, a referral, a screening, a hearing) that it does hold.
	Coverage float64
	// Duplicate is the share of the records held that the source holds a
	// second time, under another record id and with errors of its own.
	Duplicate float64
	// Rates is the probability of each kind of error per record it can
	// apply to; a missing kind never happens.
	Rates map[ErrorKind]float64
}

// ViewSources lists the five agency views in the order they are written.
var ViewSources = []rescreen.Source{
	rescreen.SourceCBP, rescreen.SourceICE, rescreen.SourceORR, rescreen.SourceUSCIS, rescreen.SourceEOIR,
}

// DefaultViewSources returns the default coverage and error rates of the
// five views. The choices (UNCONFIRMED, see the package's view notes):
//
//   - CBP e3: agents typed names in capitals on English keyboards from what
//     they heard, so accents are mostly lost and surnames often cut or
//     rearranged; the family unit id was missing for many separated
//     families (OIG-18-84); every apprehended person has a record.
//   - ICE EARM: capitals without accents, a US name model (a first, a
//     middle and one last name), A-numbers re-keyed and sometimes issued
//     again; transfers between facilities create second bookings.
//   - ORR UC Portal: case managers wrote what children said, with
//     nicknames, under the accompanying parent's surname, and with dates of
//     birth from foreign documents (day first) or estimated from age.
//   - USCIS Global: asylum officers checked names with an interpreter: the
//     cleanest view.
//   - EOIR: hearing lists in capitals, "LAST, FIRST", printed and scanned,
//     keyed by A-number, without dates of birth.
func DefaultViewSources() []SourceNoise {
	return []SourceNoise{
		{Source: rescreen.SourceCBP, Coverage: 0.99, Duplicate: 0.03, Rates: map[ErrorKind]float64{
			ErrAccents: 0.85, ErrKeyboard: 0.05, ErrNoSecondSurname: 0.12, ErrSurnamesSwapped: 0.03,
			ErrSurnameAsMiddle: 0.04, ErrNameFieldsSwapped: 0.02, ErrGivenReordered: 0.02, ErrGivenShortened: 0.10,
			ErrNickname: 0.03, ErrMayanSpelling: 0.35, ErrChildSurname: 0.10, ErrBirthMissing: 0.01,
			ErrDayMonthSwapped: 0.03, ErrYearOff: 0.02, ErrBirthEstimated: 0.01, ErrANumberMissing: 0.03,
			ErrANumberDigit: 0.01, ErrANumberTransposed: 0.005, ErrSecondANumber: 0.005,
			ErrFamilyLinkMissing: 0.25, ErrSexFlipped: 0.005,
		}},
		{Source: rescreen.SourceICE, Coverage: 0.97, Duplicate: 0.05, Rates: map[ErrorKind]float64{
			ErrAccents: 1, ErrKeyboard: 0.03, ErrOCR: 0.01, ErrNoSecondSurname: 0.25, ErrSurnamesSwapped: 0.02,
			ErrSurnameAsMiddle: 0.08, ErrNameFieldsSwapped: 0.02, ErrGivenReordered: 0.02, ErrGivenShortened: 0.15,
			ErrNickname: 0.02, ErrMayanSpelling: 0.40, ErrChildSurname: 0.05, ErrBirthMissing: 0.02,
			ErrDayMonthSwapped: 0.04, ErrYearOff: 0.02, ErrBirthEstimated: 0.01, ErrANumberMissing: 0.01,
			ErrANumberDigit: 0.015, ErrANumberTransposed: 0.01, ErrSecondANumber: 0.03, ErrSexFlipped: 0.005,
		}},
		{Source: rescreen.SourceORR, Coverage: 0.98, Duplicate: 0.03, Rates: map[ErrorKind]float64{
			ErrAccents: 0.30, ErrKeyboard: 0.04, ErrOCR: 0.02, ErrNoSecondSurname: 0.10, ErrSurnamesSwapped: 0.02,
			ErrNameFieldsSwapped: 0.01, ErrGivenReordered: 0.02, ErrGivenShortened: 0.08, ErrNickname: 0.08,
			ErrMayanSpelling: 0.30, ErrChildSurname: 0.12, ErrBirthMissing: 0.01, ErrDayMonthSwapped: 0.06,
			ErrYearOff: 0.05, ErrBirthEstimated: 0.04, ErrFamilyLinkMissing: 0.10, ErrSexFlipped: 0.005,
		}},
		{Source: rescreen.SourceUSCIS, Coverage: 0.98, Duplicate: 0.01, Rates: map[ErrorKind]float64{
			ErrAccents: 0.20, ErrKeyboard: 0.02, ErrNoSecondSurname: 0.05, ErrSurnamesSwapped: 0.01,
			ErrSurnameAsMiddle: 0.02, ErrNameFieldsSwapped: 0.005, ErrGivenReordered: 0.01, ErrGivenShortened: 0.04,
			ErrNickname: 0.01, ErrMayanSpelling: 0.15, ErrChildSurname: 0.03, ErrBirthMissing: 0.005,
			ErrDayMonthSwapped: 0.02, ErrYearOff: 0.01, ErrANumberMissing: 0.01, ErrANumberDigit: 0.01,
			ErrANumberTransposed: 0.005, ErrSecondANumber: 0.02, ErrSexFlipped: 0.002,
		}},
		{Source: rescreen.SourceEOIR, Coverage: 0.95, Duplicate: 0.04, Rates: map[ErrorKind]float64{
			ErrAccents: 1, ErrKeyboard: 0.02, ErrOCR: 0.03, ErrNoSecondSurname: 0.30, ErrSurnamesSwapped: 0.01,
			ErrSurnameAsMiddle: 0.05, ErrNameFieldsSwapped: 0.02, ErrGivenReordered: 0.02, ErrGivenShortened: 0.20,
			ErrNickname: 0.01, ErrMayanSpelling: 0.40, ErrChildSurname: 0.03, ErrANumberDigit: 0.02,
			ErrANumberTransposed: 0.01, ErrSecondANumber: 0.02,
		}},
	}
}

// ViewConfig says how to draw the agency views of a class. The zero value
// means the default views.
type ViewConfig struct {
	// Seed selects the noise; 0 means the class's seed. The same class
	// with another view seed gives other records of the same persons.
	Seed uint64
	// Sources lists the views to produce, each at most once, with their
	// coverage and error rates; nil means DefaultViewSources(). Views not
	// listed are not produced. For records without errors, list sources
	// with no rates.
	Sources []SourceNoise
	// Scale multiplies every error rate, capped at 1; 0 means 1. Coverage
	// and duplicates are not scaled.
	Scale float64
}

// sourceNoise is a SourceNoise ready for drawing: rates by kind, scaled.
type sourceNoise struct {
	src       rescreen.Source
	coverage  float64
	duplicate float64
	rate      [NumErrorKinds]float64
}

// prepare validates vcfg and returns the noise of each view, indexed like
// ViewSources (nil for views not produced).
func (vcfg ViewConfig) prepare() ([len(viewSpecs)]*sourceNoise, error) {
	var out [len(viewSpecs)]*sourceNoise
	scale := vcfg.Scale
	if scale == 0 {
		scale = 1
	}
	if scale < 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return out, fmt.Errorf("synth: view Scale is %v; it must be a non-negative number", vcfg.Scale)
	}
	sources := vcfg.Sources
	if sources == nil {
		sources = DefaultViewSources()
	}
	bad := func(x float64) bool { return !(x >= 0 && x <= 1) }
	for _, s := range sources {
		i := viewIndex(s.Source)
		switch {
		case i < 0:
			return out, fmt.Errorf("synth: %q is not an agency view; the views are %v", s.Source, ViewSources)
		case out[i] != nil:
			return out, fmt.Errorf("synth: view %s is listed twice", s.Source)
		case bad(s.Coverage):
			return out, fmt.Errorf("synth: coverage of %s is %v; it must be in [0, 1]", s.Source, s.Coverage)
		case bad(s.Duplicate) || s.Duplicate == 1:
			return out, fmt.Errorf("synth: duplicate share of %s is %v; it must be in [0, 1)", s.Source, s.Duplicate)
		}
		n := &sourceNoise{src: s.Source, coverage: s.Coverage, duplicate: s.Duplicate}
		for k, r := range s.Rates {
			if k >= NumErrorKinds {
				return out, fmt.Errorf("synth: %s has a rate for unknown error kind %d", s.Source, k)
			}
			if bad(r) {
				return out, fmt.Errorf("synth: rate of %s in %s is %v; it must be in [0, 1]", k, s.Source, r)
			}
			n.rate[k] = min(1, r*scale)
		}
		out[i] = n
	}
	return out, nil
}

// FamilyViews holds what the views say about one family, and the truth.
type FamilyViews struct {
	// FamilyID is the family's id in the class (FamilySourceID).
	FamilyID string
	// Persons are the family's true persons.
	Persons []TruePerson
	// ParentChild are the true pairs of an adult and a child in its care.
	ParentChild []ParentChild
	// Records are the agency records about the family's members, source by
	// source in the order of ViewSources.
	Records []ViewRecord
}

// TruePerson is a person as the class knows them.
type TruePerson struct {
	ID            string // the person's source id in the class (F0000001-M1)
	FamilyID      string
	Role          rescreen.Role
	Sex           rescreen.Sex
	GivenNames    string
	FirstSurname  string
	SecondSurname string
	BirthDate     rescreen.Date
	Country       string
	ANumber       string // the A-number issued at processing, A and nine digits
	// SecondANumber is the second A-number issued to the person, in the
	// class or in a view; "" if none was.
	SecondANumber string
}

// ParentChild is a true relationship between an adult and a child.
type ParentChild struct {
	Parent, Child string // person ids
	Kind          rescreen.RelationshipKind
}

// ViewRecord is one row of an agency's view, with its truth.
type ViewRecord struct {
	Source rescreen.Source
	// Row holds the values in the order of the source's ViewSchema columns;
	// Row[0] is the record id.
	Row []string
	// PersonID is the true person the record is about.
	PersonID string
	// NamedParent and NamedSponsor are the persons that the record's parent
	// and sponsor names refer to, when the source has them and they are
	// persons of the class.
	NamedParent, NamedSponsor string
	// Duplicate is set on the second record of a person the source holds
	// twice.
	Duplicate bool
	// Errors are the errors put into the record's own fields.
	Errors Errors
}

// ID returns the record's id in its source.
func (r *ViewRecord) ID() string { return r.Row[0] }

// GenerateViews generates the class cfg describes and, family by family,
// the agency views vcfg describes. It calls fn once per family in index
// order and stops at the first error fn returns, which it returns.
//
// The FamilyViews and its slices are reused for the next family: fn must
// not keep them after it returns, but may keep the rows and strings, which
// are never written again.
func GenerateViews(cfg Config, vcfg ViewConfig, fn func(v *FamilyViews) error) error {
	noise, err := vcfg.prepare()
	if err != nil {
		return err
	}
	seed := vcfg.Seed
	if seed == 0 {
		seed = cfg.Seed
	}
	vg := &viewGenerator{seed: seed, noise: noise, idx: cfg.First}
	vg.r = rand.New(&vg.pcg)
	return Generate(cfg, func(d *rescreen.Dataset) error {
		vg.family(d)
		vg.idx++
		return fn(&vg.fv)
	})
}
