package linkage

import "strings"

// Comparators return a level: a small integer, 0 when nothing agrees,
// higher when the values agree more strongly, and -1 (Missing) when either
// value is absent, which a Fellegi-Sunter model must treat as no evidence
// either way. Each comparator has its own level type, so that levels of
// different comparators cannot be mixed up, and a constant giving its
// number of non-missing levels, to size the model's tables.
//
// Where two descriptions of a level hold at once, the higher level wins.
// The order is a judgement of how strongly each kind of agreement speaks
// for a match; the model learns the actual weights, so the order matters
// only for which bucket a pair falls into.

// Jaro-Winkler thresholds shared by the name and string comparators: the
// values the Census Bureau and Splink use for "close" and "similar".
const (
	closeJW = 0.95
	fuzzyJW = 0.88
)

// NameLevel is the agreement of two name fields.
type NameLevel int8

// The levels of CompareNames and CompareGivenNames.
const (
	NameMissing NameLevel = -1 // either name is empty
	NameElse    NameLevel = 0  // none of the below
	// NameInitial: one name is an initial or a prefix of the other
	// ("J" and "Juan"; "Guad" and "Guadalupe").
	NameInitial NameLevel = 1
	// NameFuzzy: Jaro-Winkler similarity at least 0.88, or words one edit
	// apart (OSA 1: "Kai" and "Kia", too short for Jaro-Winkler to see).
	NameFuzzy NameLevel = 2
	// NamePhonetic: the same Phonetic key (Ximénez and Jiménez).
	NamePhonetic NameLevel = 3
	// NameNickname: a nickname of the other (Pepe and José).
	NameNickname NameLevel = 4
	// NamePartial: every word of the shorter name is close to a word of
	// the longer one, which has more words ("María" and "María
	// Guadalupe").
	NamePartial NameLevel = 5
	// NameSwapped: the given names do not agree, but the given name of
	// each record agrees (at NamePartial or better) with the surnames of
	// the other. Only CompareGivenNames returns it.
	NameSwapped NameLevel = 6
	// NameClose: Jaro-Winkler similarity at least 0.95 (one typo in a long
	// name), or the same words in another order ("Guadalupe María").
	NameClose NameLevel = 7
	// NameExact: the same after folding and dropping particles, or the
	// same letters with spaces and particles removed ("Juancarlos").
	NameExact NameLevel = 8
)

// NameLevels is the number of non-missing NameLevels.
const NameLevels = int(NameExact) + 1

var nameLevelNames = [...]string{"else", "initial", "fuzzy", "phonetic", "nickname", "partial", "swapped", "close", "exact"}

func (l NameLevel) String() string { return levelName(int(l), nameLevelNames[:]) }

func levelName(l int, names []string) string {
	switch {
	case l == -1:
		return "missing"
	case l >= 0 && l < len(names):
		return names[l]
	}
	return "invalid"
}

// CompareNames compares two name fields of the same kind: given names with
// given names, a surname with a surname, or full names with full names.
//
// Single words are compared directly. Names of several words are first
// compared whole (exact, glued, Jaro-Winkler ≥ 0.95), then word by word:
// the words of the shorter name are paired with distinct words of the
// longer, choosing the pairing whose weakest pair is strongest, and that
// weakest pair sets the level. So "J. Carlos" and "Carlos Juan" agree at
// NameInitial, and "Pepe Luis" and "José Luis" at NameNickname. When every
// pair agrees at NameClose or better, the names are NameClose if they have
// as many words, NamePartial if not. A whole-name Jaro-Winkler similarity
// of 0.88 or more lifts a weaker result to NameFuzzy ("Juan C." and "Juan
// Carlos"). The result is symmetric.
func CompareNames(a, b *Name) NameLevel {
	if len(a.Words) == 0 || len(b.Words) == 0 {
		return NameMissing
	}
	if a.Text == b.Text || a.Glued == b.Glued {
		return NameExact
	}
	if len(a.Words) == 1 && len(b.Words) == 1 {
		return compareWords(a, 0, b, 0)
	}
	jw := jaroWinklerOf(a.Text, b.Text, a.ascii && b.ascii)
	if jw >= closeJW {
		return NameClose
	}
	l := alignWords(a, b)
	if l >= NameClose {
		if len(a.Words) == len(b.Words) {
			return NameClose
		}
		return NamePartial
	}
	if l < NameFuzzy && jw >= fuzzyJW {
		return NameFuzzy
	}
	return l
}

// compareWords returns the level of agreement of word i of a and word j of
// b, one of NameExact, NameClose, NameNickname, NamePhonetic, NameFuzzy,
// NameInitial and NameElse.
func compareWords(a *Name, i int, b *Name, j int) NameLevel {
	wa, wb := a.Words[i], b.Words[j]
	if wa == wb {
		return NameExact
	}
	ascii := a.ascii && b.ascii
	jw := jaroWinklerOf(wa, wb, ascii)
	switch {
	case jw >= closeJW:
		return NameClose
	case i < maxWords && j < maxWords && nickMatch(a.nick[i], b.nick[j]):
		return NameNickname
	case a.Keys[i] == b.Keys[j]:
		return NamePhonetic
	case jw >= fuzzyJW || osaMaxOf(wa, wb, 1, ascii) <= 1:
		// One edit in a short word ("kai", "kia") leaves Jaro's match
		// window too narrow to see it.
		return NameFuzzy
	case strings.HasPrefix(wa, wb) || strings.HasPrefix(wb, wa):
		return NameInitial
	}
	return NameElse
}

// alignWords returns the best, over the pairings of each of the (first
// maxWords) words of the shorter name with a distinct word of the longer,
// of the weakest pair's level. With at most four words a side, trying
// every pairing costs less than a smarter assignment would.
func alignWords(a, b *Name) NameLevel {
	if len(a.Words) > len(b.Words) {
		a, b = b, a
	}
	na, nb := min(len(a.Words), maxWords), min(len(b.Words), maxWords)
	var lv [maxWords][maxWords]NameLevel
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			lv[i][j] = compareWords(a, i, b, j)
		}
	}
	return bestPairing(&lv, 0, na, nb, 0, NameExact)
}

// bestPairing pairs word i onwards of the shorter name with words of the
// longer not in used, and returns the best achievable weakest level, no
// better than floor.
func bestPairing(lv *[maxWords][maxWords]NameLevel, i, na, nb int, used uint8, floor NameLevel) NameLevel {
	if i == na {
		return floor
	}
	best := NameLevel(-1)
	for j := 0; j < nb; j++ {
		if used&(1<<j) != 0 || lv[i][j] <= best {
			continue
		}
		l := bestPairing(lv, i+1, na, nb, used|1<<j, min(floor, lv[i][j]))
		best = max(best, l)
		if best == floor {
			break // cannot do better
		}
	}
	return max(best, NameElse)
}

// CompareGivenNames compares the given names of two persons like
// CompareNames, but when they agree no better than NameInitial it also
// checks whether one record has the given names and surnames swapped
// (Given "López", surname "Juan") and returns NameSwapped if so. The
// surname comparator does not look for swaps, so a swap counts once.
func CompareGivenNames(a, b *PersonName) NameLevel {
	return compareGivenNamesWith(a, b, CompareNames)
}

// compareGivenNamesWith is CompareGivenNames with the name comparator
// given, so that the linkage engine can remember the levels of names it
// has compared before.
func compareGivenNamesWith(a, b *PersonName, compareNames func(a, b *Name) NameLevel) NameLevel {
	l := compareNames(&a.Given, &b.Given)
	if l == NameMissing || l > NameInitial {
		return l
	}
	x := compareNames(&a.Given, &b.Surnames)
	if x < NameFuzzy {
		return l
	}
	y := compareNames(&a.Surnames, &b.Given)
	if y >= NameFuzzy && max(x, y) >= NamePartial {
		return NameSwapped
	}
	return l
}

// SurnameLevel is the agreement of the surnames of two persons, taking the
// Spanish pair of paternal and maternal surnames into account.
type SurnameLevel int8

// The levels of CompareSurnames. A surname "agrees" when CompareNames
// rates it NamePartial or better (or it is the other with DefaultParticles
// glued in front: "Delacruz" and "Cruz"), and is "near" when it rates
// NameInitial to NameNickname.
const (
	SurnameMissing SurnameLevel = -1 // either person has no surname
	SurnameElse    SurnameLevel = 0  // none of the below
	// SurnameFuzzy: the surnames are near at NameFuzzy or NameInitial:
	// the first surnames when a record has only one, both pairs when both
	// records have two.
	SurnameFuzzy SurnameLevel = 1
	// SurnamePhonetic: the same, at NamePhonetic or NameNickname.
	SurnamePhonetic SurnameLevel = 2
	// SurnameOne: both records have two surnames and exactly the surnames
	// of one pair agree, in any position; the others differ. Typical of a
	// parent and child, or cousins, and of a re-married surname.
	SurnameOne SurnameLevel = 3
	// SurnameCross: one record has a single surname, which agrees with
	// the other record's second surname (the paternal surname dropped, or
	// a child recorded under the mother's surname).
	SurnameCross SurnameLevel = 4
	// SurnameFirst: the first surnames agree and exactly one record has
	// no second surname ("López" and "López García").
	SurnameFirst SurnameLevel = 5
	// SurnameSwapped: both records have two surnames, which agree in
	// reverse order ("García López" and "López García").
	SurnameSwapped SurnameLevel = 6
	// SurnameClose: every surname agrees in its place, but not all
	// exactly; or, with two surnames a side, one agrees and the other is
	// near ("Jiménez López" and "Ximénez López").
	SurnameClose SurnameLevel = 7
	// SurnameExact: the same surnames (folded, particles and spaces
	// aside), including records that both have a single surname.
	SurnameExact SurnameLevel = 8
)

// SurnameLevels is the number of non-missing SurnameLevels.
const SurnameLevels = int(SurnameExact) + 1

var surnameLevelNames = [...]string{"else", "fuzzy", "phonetic", "one", "cross", "first", "swapped", "close", "exact"}

func (l SurnameLevel) String() string { return levelName(int(l), surnameLevelNames[:]) }

// CompareSurnames compares the surnames of two persons. See the
// SurnameLevel constants for what each level means.
func CompareSurnames(a, b *PersonName) SurnameLevel {
	return compareSurnamesWith(a, b, compareSurname)
}

// compareSurnamesWith is CompareSurnames with the comparator of single
// surnames given (compareSurname, or a cache in front of it).
func compareSurnamesWith(a, b *PersonName, compareSurname func(a, b *Name) NameLevel) SurnameLevel {
	if a.Surname1.IsEmpty() || b.Surname1.IsEmpty() {
		return SurnameMissing
	}
	if a.Surnames.Glued == b.Surnames.Glued {
		return SurnameExact
	}
	l11 := compareSurname(&a.Surname1, &b.Surname1)
	has2a, has2b := !a.Surname2.IsEmpty(), !b.Surname2.IsEmpty()
	switch {
	case !has2a && !has2b:
		switch {
		case l11 == NameExact:
			return SurnameExact
		case agrees(l11):
			return SurnameClose
		}
		return nearSurname(l11)
	case has2a != has2b:
		if agrees(l11) {
			return SurnameFirst
		}
		// The lone surname against the other's second.
		var cross NameLevel
		if has2a {
			cross = compareSurname(&a.Surname2, &b.Surname1)
		} else {
			cross = compareSurname(&a.Surname1, &b.Surname2)
		}
		if agrees(cross) {
			return SurnameCross
		}
		return nearSurname(l11)
	}
	l22 := compareSurname(&a.Surname2, &b.Surname2)
	switch {
	case l11 == NameExact && l22 == NameExact:
		return SurnameExact
	case agrees(l11) && near(l22), near(l11) && agrees(l22):
		return SurnameClose
	}
	l12 := compareSurname(&a.Surname1, &b.Surname2)
	l21 := compareSurname(&a.Surname2, &b.Surname1)
	switch {
	case agrees(l12) && near(l21), near(l12) && agrees(l21):
		return SurnameSwapped
	case agrees(l11) || agrees(l22) || agrees(l12) || agrees(l21):
		return SurnameOne
	case near(l11) && near(l22):
		return nearSurname(min(l11, l22))
	}
	return SurnameElse
}

// agrees reports whether a name level counts as agreement for surnames.
func agrees(l NameLevel) bool { return l >= NamePartial }

// near reports whether a name level is at least near (agreement included).
func near(l NameLevel) bool { return l >= NameInitial }

func nearSurname(l NameLevel) SurnameLevel {
	switch {
	case l >= NamePhonetic:
		return SurnamePhonetic
	case l >= NameInitial:
		return SurnameFuzzy
	}
	return SurnameElse
}

// compareSurname is CompareNames plus one rule for surnames: a surname that
// is the other with particles glued in front ("Delacruz" and "Cruz",
// "Delossantos" and "Santos") agrees at NameClose. It is not applied to
// given names, where "Dalia" is not "Lia".
func compareSurname(a, b *Name) NameLevel {
	l := CompareNames(a, b)
	if l >= NameClose || l == NameMissing {
		return l
	}
	g, h := a.Glued, b.Glued
	if len(g) < len(h) {
		g, h = h, g
	}
	if len(h) >= 3 && len(g) > len(h) && strings.HasSuffix(g, h) && defaultNormalizer.isParticleRun(g[:len(g)-len(h)]) {
		return NameClose
	}
	return l
}

// Date is a date of birth or of an event, possibly partial. A zero Year
// means the date is missing; a zero Month or Day means that part is
// unknown. It is 4 bytes, so that millions of records stay compact.
type Date struct {
	Year  int16
	Month int8
	Day   int8
}

// NewDate returns the date year-month-day. A part out of range (month 13,
// day 32, year 0 or beyond 9999) is taken as unknown; a year out of range
// makes the whole date missing.
func NewDate(year, month, day int) Date {
	if year < 1 || year > 9999 {
		return Date{}
	}
	if month < 1 || month > 12 {
		month = 0
	}
	if day < 1 || day > 31 {
		day = 0
	}
	return Date{int16(year), int8(month), int8(day)}
}

// IsZero reports whether the date is missing.
func (d Date) IsZero() bool { return d.Year == 0 }

func (d Date) complete() bool { return d.Year != 0 && d.Month != 0 && d.Day != 0 }

// days returns the number of days from 1970-01-01 to d, by Howard
// Hinnant's days_from_civil algorithm ("chrono-Compatible Low-Level Date
// Algorithms"); d must be complete. Impossible dates such as February 30
// count as the days after February 28.
func (d Date) days() int {
	y, m, dd := int(d.Year), int(d.Month), int(d.Day)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + dd - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// DateLevel is the agreement of two dates.
type DateLevel int8

// The levels of CompareDates.
const (
	DateMissing DateLevel = -1 // either date is missing
	DateElse    DateLevel = 0  // none of the below
	// DateYear: the same year, and nothing better (the rest differs, or
	// is unknown on one side).
	DateYear DateLevel = 1
	// DateYearOff: the same month and day, the years one apart.
	DateYearOff DateLevel = 2
	// DateWithin: at most 31 days apart (±1 month); or the same year and
	// month with the day unknown on one side.
	DateWithin DateLevel = 3
	// DateTypo: only one of year, month and day differs, by one digit
	// of its written form (1987 and 1981; 06 and 09) or by two adjacent
	// digits swapped (1978 and 1987; 12 and 21; 01 and 10).
	DateTypo DateLevel = 4
	// DateSwapped: the same year, with day and month swapped (2010-03-04
	// and 2010-04-03), the commonest slip between the U.S. and the Latin
	// American order.
	DateSwapped DateLevel = 5
	// DateExact: the same complete date.
	DateExact DateLevel = 6
)

// DateLevels is the number of non-missing DateLevels.
const DateLevels = int(DateExact) + 1

var dateLevelNames = [...]string{"else", "year", "year-off", "within", "typo", "swapped", "exact"}

func (l DateLevel) String() string { return levelName(int(l), dateLevelNames[:]) }

// CompareDates compares two dates. See the DateLevel constants.
func CompareDates(a, b Date) DateLevel {
	if a.Year == 0 || b.Year == 0 {
		return DateMissing
	}
	if !a.complete() || !b.complete() {
		switch {
		case a.Year != b.Year:
			return DateElse
		case a.Month != 0 && a.Month == b.Month:
			return DateWithin
		}
		return DateYear
	}
	if a == b {
		return DateExact
	}
	if a.Year == b.Year && a.Day == b.Month && a.Month == b.Day {
		return DateSwapped
	}
	if dateTypo(a, b) {
		return DateTypo
	}
	if diff := a.days() - b.days(); diff >= -31 && diff <= 31 {
		return DateWithin
	}
	if a.Month == b.Month && a.Day == b.Day && (a.Year-b.Year == 1 || b.Year-a.Year == 1) {
		return DateYearOff
	}
	if a.Year == b.Year {
		return DateYear
	}
	return DateElse
}

// dateTypo reports whether exactly one part of a and b differs, by one
// digit or one adjacent transposition in its written form.
func dateTypo(a, b Date) bool {
	dy, dm, dd := a.Year != b.Year, a.Month != b.Month, a.Day != b.Day
	switch {
	case dy && !dm && !dd:
		return digitSlip(int(a.Year), int(b.Year), 4)
	case !dy && dm && !dd:
		return digitSlip(int(a.Month), int(b.Month), 2)
	case !dy && !dm && dd:
		return digitSlip(int(a.Day), int(b.Day), 2)
	}
	return false
}

// digitSlip reports whether x and y, written with n digits, differ in one
// digit or by two adjacent digits swapped.
func digitSlip(x, y, n int) bool {
	var dx, dy [4]byte
	for i := n - 1; i >= 0; i-- {
		dx[i], dy[i] = byte(x%10), byte(y%10)
		x, y = x/10, y/10
	}
	return slipKind(dx[:n], dy[:n]) > 0
}

// slipKind returns 1 if the equal-length a and b differ in exactly one
// position, 2 if they differ by one transposition of adjacent symbols, and
// 0 otherwise (equal, or further apart).
func slipKind[S string | []byte](a, b S) int {
	if len(a) != len(b) {
		return 0
	}
	first := -1
	for i := 0; i < len(a); i++ {
		if a[i] == b[i] {
			continue
		}
		if first >= 0 {
			// A second difference: only a transposition of the two
			// adjacent symbols is allowed, and nothing after it.
			if i != first+1 || a[first] != b[i] || a[i] != b[first] {
				return 0
			}
			for k := i + 1; k < len(a); k++ {
				if a[k] != b[k] {
					return 0
				}
			}
			return 2
		}
		first = i
	}
	if first < 0 {
		return 0
	}
	return 1
}

// NormalizeANumber returns the nine digits of an A-number as typed, for
// comparison: every character other than a digit is dropped, then leading
// zeros, and the rest is padded with zeros to nine digits, so "A-012 345
// 678", "12345678" and "a012345678" all give "012345678". Unlike
// rescreen.NormalizeANumber, it never fails: linkage must compare what was
// typed, even when it is not a valid A-number, so a string of more than
// nine significant digits is returned as those digits, and one with no
// digit other than zero as "".
func NormalizeANumber(s string) string {
	var buf [16]byte
	d := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || (c == '0' && len(d) == 0) {
			continue
		}
		d = append(d, c)
	}
	if len(d) == 0 {
		return ""
	}
	if len(d) >= 9 {
		return string(d)
	}
	var out [9]byte
	for i := range out {
		out[i] = '0'
	}
	copy(out[9-len(d):], d)
	return string(out[:])
}

// IDLevel is the agreement of two identifiers.
type IDLevel int8

// The levels of CompareIDs.
const (
	IDMissing IDLevel = -1 // either identifier is empty
	IDElse    IDLevel = 0  // none of the below
	// IDOneDigit: the same length, one character different (a mistyped
	// digit).
	IDOneDigit IDLevel = 1
	// IDTransposed: the same but for two adjacent characters swapped.
	// It ranks above IDOneDigit because an identifier has nine times as
	// many one-digit neighbours as transposition neighbours, so a chance
	// agreement is rarer.
	IDTransposed IDLevel = 2
	// IDExact: the same identifier.
	IDExact IDLevel = 3
)

// IDLevels is the number of non-missing IDLevels.
const IDLevels = int(IDExact) + 1

var idLevelNames = [...]string{"else", "one-digit", "transposed", "exact"}

func (l IDLevel) String() string { return levelName(int(l), idLevelNames[:]) }

// CompareIDs compares two identifiers already normalised by the caller
// (NormalizeANumber for A-numbers; trimming and case for others).
func CompareIDs(a, b string) IDLevel {
	if a == "" || b == "" {
		return IDMissing
	}
	if a == b {
		return IDExact
	}
	switch slipKind(a, b) {
	case 2:
		return IDTransposed
	case 1:
		return IDOneDigit
	}
	return IDElse
}

// ANumberLevel is the agreement of two A-numbers.
type ANumberLevel int8

// The levels of CompareANumbers: those of CompareIDs, with disagreement
// split in two. A-numbers are issued in sequence, so unrelated persons
// met in the same months hold numbers of one series (the same leading
// digits), while a second A-number issued to a person later, or by
// another office, is usually of another series.
const (
	ANumberMissing ANumberLevel = -1
	// ANumberElse: the same series (the first three of the nine digits
	// agree), but not one typo apart.
	ANumberElse ANumberLevel = 0
	// ANumberSeries: another series: the numbers differ in their first
	// three digits, and not by one typo.
	ANumberSeries     ANumberLevel = 1
	ANumberOneDigit   ANumberLevel = 2
	ANumberTransposed ANumberLevel = 3
	ANumberExact      ANumberLevel = 4
)

// ANumberLevels is the number of non-missing ANumberLevels.
const ANumberLevels = int(ANumberExact) + 1

var aNumberLevelNames = [...]string{"else", "other-series", "one-digit", "transposed", "exact"}

func (l ANumberLevel) String() string { return levelName(int(l), aNumberLevelNames[:]) }

// CompareANumbers compares two A-numbers normalised by NormalizeANumber.
func CompareANumbers(a, b string) ANumberLevel {
	switch l := CompareIDs(a, b); l {
	case IDMissing:
		return ANumberMissing
	case IDElse:
		if len(a) >= 3 && len(b) >= 3 && a[:3] != b[:3] {
			return ANumberSeries
		}
		return ANumberElse
	default:
		return ANumberLevel(l + 1)
	}
}

// StringLevel is the agreement of two free strings: addresses, places,
// postcodes, or any column a caller maps to "text".
type StringLevel int8

// The levels of CompareStrings.
const (
	StringMissing  StringLevel = -1 // either string is empty
	StringElse     StringLevel = 0  // none of the below
	StringFuzzy    StringLevel = 1  // Jaro-Winkler similarity at least 0.88
	StringTwoEdits StringLevel = 2  // optimal string alignment distance 2
	StringOneEdit  StringLevel = 3  // optimal string alignment distance 1
	StringExact    StringLevel = 4  // equal
)

// StringLevels is the number of non-missing StringLevels.
const StringLevels = int(StringExact) + 1

var stringLevelNames = [...]string{"else", "fuzzy", "two-edits", "one-edit", "exact"}

func (l StringLevel) String() string { return levelName(int(l), stringLevelNames[:]) }

// CompareStrings compares two strings already folded by the caller (see
// Fold), by edit distance first, then by Jaro-Winkler similarity.
func CompareStrings(a, b string) StringLevel {
	if a == "" || b == "" {
		return StringMissing
	}
	switch OSAMax(a, b, 2) {
	case 0:
		return StringExact
	case 1:
		return StringOneEdit
	case 2:
		return StringTwoEdits
	}
	if JaroWinkler(a, b) >= fuzzyJW {
		return StringFuzzy
	}
	return StringElse
}
