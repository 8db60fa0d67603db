package linkage

import (
	"math/rand/v2"
	"testing"
)

func TestCompareNames(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want NameLevel
	}{
		{"accents", "José", "Jose", NameExact},
		{"particles", "María de los Ángeles", "Maria Angeles", NameExact},
		{"glued", "Juan Carlos", "Juancarlos", NameExact},
		{"typo in a long name", "Hernandez", "Hernandes", NameClose},
		{"transposition", "Garcia", "Garica", NameClose},
		{"typo in a two-word name", "Maria Guadalupe", "Maria Guadalpue", NameClose},
		{"reordered", "Guadalupe María", "María Guadalupe", NameClose},
		{"second name dropped", "María", "María Guadalupe", NamePartial},
		{"first name dropped", "Carlos", "Juan Carlos", NamePartial},
		{"nickname", "Pepe", "José", NameNickname},
		{"nickname, several groups", "Beto", "Roberto", NameNickname},
		{"abbreviation", "Fco.", "Francisco", NameNickname},
		{"nickname in a two-word name", "Pepe Luis", "José Luis", NameNickname},
		{"phonetic", "Ximena", "Jimena", NamePhonetic},
		{"phonetic Mayan", "Xuc", "Shuc", NamePhonetic},
		{"fuzzy", "Mario", "Maria", NameFuzzy},
		{"initial", "J.", "Juan", NameInitial},
		{"prefix", "Jo", "Jose", NameInitial},
		{"initial in a two-word name", "J. Carlos", "Carlos Juan", NameInitial},
		// The weakest word is an initial, but the whole names are similar.
		{"initial lifted by the whole name", "Juan C.", "Juan Carlos", NameFuzzy},
		{"different", "Pedro", "Xochitl", NameElse},
		{"two full names of one group do not meet", "Alberto", "Roberto", NameElse},
		{"different second names", "Maria Guadalupe", "Maria Jose", NameElse},
		{"missing", "", "Juan", NameMissing},
		{"only punctuation is missing", "--", "Juan", NameMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := NewName(tt.a), NewName(tt.b)
			if got := CompareNames(&a, &b); got != tt.want {
				t.Errorf("CompareNames(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := CompareNames(&b, &a); got != tt.want {
				t.Errorf("CompareNames(%q, %q) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

// A corpus of names, variants and strangers, compared every way round: the
// comparators must be symmetric and a name must agree exactly with itself.
var nameCorpus = []string{
	"José", "Jose Luis", "Pepe", "Luis José", "María Guadalupe", "Guadalupe", "Lupe", "Ma. Guadalupe",
	"Jiménez", "Ximénez", "Giménez", "Hernández", "Ernandes", "Fernández", "Xuc", "Shuc", "Chuc",
	"Quiej", "Kiej", "De la Cruz", "Delacruz", "Cruz", "Juan Carlos", "Juancarlos", "J. Carlos",
	"Beto", "Alberto", "Roberto", "Williams", "Guillermo", "Memo", "Tzul", "Tsul", "Ajanel",
	"Ana María de los Ángeles", "Maria Angeles Ana", "mitchell", "michael", "isabelle", "isabella",
	"A B C D E F", "F E D C B A", "Q'anjob'al", "Kanjobal", "",
}

func TestCompareNamesSymmetricAndReflexive(t *testing.T) {
	names := make([]Name, len(nameCorpus))
	for i, s := range nameCorpus {
		names[i] = NewName(s)
	}
	for i := range names {
		for j := range names {
			a, b := &names[i], &names[j]
			l, r := CompareNames(a, b), CompareNames(b, a)
			if l != r {
				t.Errorf("CompareNames(%q, %q) = %v but reversed %v", nameCorpus[i], nameCorpus[j], l, r)
			}
			if i == j && l != NameExact && nameCorpus[i] != "" {
				t.Errorf("CompareNames(%q, itself) = %v", nameCorpus[i], l)
			}
		}
	}
}

func TestCompareGivenNames(t *testing.T) {
	tests := []struct {
		name string
		a, b [3]string // given, first surname, second surname
		want NameLevel
	}{
		{"swapped fields", [3]string{"Juan", "López", ""}, [3]string{"López", "Juan", ""}, NameSwapped},
		{"swapped with two surnames", [3]string{"Juan Carlos", "López García", ""}, [3]string{"López García", "Juan Carlos", ""}, NameSwapped},
		{"swapped, a surname dropped", [3]string{"Juan", "López", "García"}, [3]string{"López", "Juan", ""}, NameSwapped},
		{"same given names win over a swap", [3]string{"Juan", "Juan", ""}, [3]string{"Juan", "Juan", ""}, NameExact},
		{"different given names", [3]string{"Juan", "López", ""}, [3]string{"Pedro", "López", ""}, NameElse},
		{"half a swap is not a swap", [3]string{"Juan", "López", ""}, [3]string{"López", "Pérez", ""}, NameElse},
		{"missing given name", [3]string{"", "López", ""}, [3]string{"Juan", "López", ""}, NameMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewPersonName(tt.a[0], tt.a[1], tt.a[2])
			b := NewPersonName(tt.b[0], tt.b[1], tt.b[2])
			if got := CompareGivenNames(&a, &b); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if got := CompareGivenNames(&b, &a); got != tt.want {
				t.Errorf("reversed: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompareSurnames(t *testing.T) {
	tests := []struct {
		name string
		a, b [2]string // first and second surname fields
		want SurnameLevel
	}{
		{"one field and two fields", [2]string{"López García", ""}, [2]string{"Lopez", "Garcia"}, SurnameExact},
		{"single surnames", [2]string{"Green", ""}, [2]string{"green", ""}, SurnameExact},
		{"particles glued", [2]string{"De la Cruz", ""}, [2]string{"DELACRUZ", ""}, SurnameExact},
		{"particles dropped", [2]string{"De la Cruz Pérez", ""}, [2]string{"Cruz", "Pérez"}, SurnameExact},
		{"compound glued", [2]string{"Santa Cruz", ""}, [2]string{"Santacruz", ""}, SurnameExact},
		{"glued against dropped", [2]string{"Delacruz", "Pérez"}, [2]string{"Cruz", "Pérez"}, SurnameClose},
		{"typo in the first", [2]string{"Hernández", "López"}, [2]string{"Hernandes", "López"}, SurnameClose},
		{"phonetic first, same second", [2]string{"Jiménez", "López"}, [2]string{"Ximénez", "López"}, SurnameClose},
		{"typo in a single surname", [2]string{"Martinez", ""}, [2]string{"Martines", ""}, SurnameClose},
		{"swapped", [2]string{"López García", ""}, [2]string{"García", "López"}, SurnameSwapped},
		{"swapped with a typo", [2]string{"López Garcia", ""}, [2]string{"Garica", "López"}, SurnameSwapped},
		{"second surname missing", [2]string{"López García", ""}, [2]string{"López", ""}, SurnameFirst},
		{"paternal surname dropped", [2]string{"García", ""}, [2]string{"López", "García"}, SurnameCross},
		{"same first, different second", [2]string{"López García", ""}, [2]string{"López Pérez", ""}, SurnameOne},
		{"crosswise one in common", [2]string{"López García", ""}, [2]string{"Pérez López", ""}, SurnameOne},
		{"phonetic single", [2]string{"Jiménez", ""}, [2]string{"Ximénez", ""}, SurnamePhonetic},
		{"phonetic, second missing", [2]string{"Jiménez López", ""}, [2]string{"Ximénez", ""}, SurnamePhonetic},
		{"both phonetic", [2]string{"Jiménez Vásquez", ""}, [2]string{"Ximénez Basques", ""}, SurnamePhonetic},
		{"fuzzy", [2]string{"Lopez", ""}, [2]string{"Lopex", ""}, SurnameFuzzy},
		{"initial of the second", [2]string{"Lopez G", ""}, [2]string{"Lopez Garcia", ""}, SurnameClose},
		{"different", [2]string{"Green", ""}, [2]string{"Mason", ""}, SurnameElse},
		{"first agrees, second contradicts and first differs", [2]string{"Jiménez López", ""}, [2]string{"Ximénez García", ""}, SurnameElse},
		{"missing", [2]string{"", ""}, [2]string{"López", ""}, SurnameMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewPersonName("x", tt.a[0], tt.a[1])
			b := NewPersonName("x", tt.b[0], tt.b[1])
			if got := CompareSurnames(&a, &b); got != tt.want {
				t.Errorf("CompareSurnames(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := CompareSurnames(&b, &a); got != tt.want {
				t.Errorf("CompareSurnames(%q, %q) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestCompareSurnamesSymmetric(t *testing.T) {
	var people []PersonName
	for _, s := range nameCorpus {
		for _, s2 := range []string{"", "López", "Ximénez"} {
			people = append(people, NewPersonName("x", s, s2))
		}
	}
	for i := range people {
		for j := range people {
			if l, r := CompareSurnames(&people[i], &people[j]), CompareSurnames(&people[j], &people[i]); l != r {
				t.Errorf("CompareSurnames(%q, %q) = %v but reversed %v", people[i].Surnames.Text, people[j].Surnames.Text, l, r)
			}
		}
	}
}

func TestNicknames(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"pepe", "jose", true},
		{"chepe", "jose", true},
		{"beto", "roberto", true},
		{"beto", "alberto", true},
		{"alberto", "roberto", false}, // a shared nickname does not join full names
		{"lupe", "guadalupe", true},
		{"tono", "antonio", true}, // Toño folded
		{"bill", "william", true},
		{"tony", "anthony", true},
		{"tony", "antonio", true},
		{"guillermo", "william", false}, // translations are not nicknames
		{"pedro", "pedro", false},       // not in the table
		{"pancho", "paco", true},
	}
	for _, tt := range tests {
		if got := Nicknames(tt.a, tt.b); got != tt.want {
			t.Errorf("Nicknames(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := Nicknames(tt.b, tt.a); got != tt.want {
			t.Errorf("Nicknames(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
	// Every nickname word is folded, or NewName could never find it.
	for _, g := range nicknameGroups {
		for _, w := range g {
			if Fold(w) != w || len(NameTokens(w)) != 1 {
				t.Errorf("nickname table word %q is not a single folded word", w)
			}
		}
	}
}

func TestCompareDates(t *testing.T) {
	d := NewDate
	tests := []struct {
		name string
		a, b Date
		want DateLevel
	}{
		{"exact", d(2010, 3, 4), d(2010, 3, 4), DateExact},
		{"day and month swapped", d(2010, 3, 4), d(2010, 4, 3), DateSwapped},
		{"year digit", d(1987, 5, 10), d(1981, 5, 10), DateTypo},
		{"year digits transposed", d(1978, 5, 10), d(1987, 5, 10), DateTypo},
		{"month digit", d(2010, 6, 15), d(2010, 9, 15), DateTypo},
		{"month digits transposed", d(2010, 1, 15), d(2010, 10, 15), DateTypo},
		{"day digits transposed", d(2010, 6, 12), d(2010, 6, 21), DateTypo},
		{"within a month across months", d(2010, 3, 31), d(2010, 4, 2), DateWithin},
		{"within a month across years", d(2009, 12, 31), d(2010, 1, 2), DateWithin},
		{"26 days apart", d(2010, 3, 10), d(2010, 4, 5), DateWithin},
		{"31 days apart", d(2010, 3, 5), d(2010, 4, 5), DateTypo}, // and one month digit
		{"31 days apart, two parts", d(2010, 1, 31), d(2010, 3, 3), DateWithin},
		{"35 days apart", d(2010, 3, 1), d(2010, 4, 5), DateYear},
		{"a year off", d(1989, 5, 10), d(1990, 5, 10), DateYearOff},
		{"same year only", d(2010, 1, 5), d(2010, 8, 20), DateYear},
		{"different", d(2010, 1, 5), d(2003, 8, 20), DateElse},
		{"two parts differ", d(1987, 5, 10), d(1981, 5, 11), DateElse},
		{"year and month differ", d(1987, 5, 10), d(1981, 6, 10), DateElse},
		{"missing", Date{}, d(2010, 3, 4), DateMissing},
		{"month known, day unknown", d(2010, 3, 0), d(2010, 3, 15), DateWithin},
		{"year only", d(2010, 0, 0), d(2010, 3, 15), DateYear},
		{"year only, both", d(2010, 0, 0), d(2010, 0, 0), DateYear},
		{"partial, different years", d(2010, 0, 0), d(2011, 3, 15), DateElse},
		{"partial, different months", d(2010, 3, 0), d(2010, 4, 15), DateYear},
		{"invalid month is unknown", d(2010, 13, 5), d(2010, 3, 15), DateYear},
		{"invalid year is missing", d(0, 3, 5), d(2010, 3, 15), DateMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CompareDates(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareDates(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := CompareDates(tt.b, tt.a); got != tt.want {
				t.Errorf("CompareDates(%v, %v) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestDateDays(t *testing.T) {
	tests := []struct {
		d    Date
		want int
	}{
		{NewDate(1970, 1, 1), 0},
		{NewDate(2000, 3, 1), 11017},
		{NewDate(2018, 6, 21), 17703},
		{NewDate(1969, 12, 31), -1},
		{NewDate(1900, 3, 1), -25508},
	}
	for _, tt := range tests {
		if got := tt.d.days(); got != tt.want {
			t.Errorf("%v.days() = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestCompareDatesSymmetric(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	rd := func() Date {
		return NewDate(2000+r.IntN(3), r.IntN(13), r.IntN(32))
	}
	for range 100000 {
		a, b := rd(), rd()
		if l, rr := CompareDates(a, b), CompareDates(b, a); l != rr {
			t.Fatalf("CompareDates(%v, %v) = %v but reversed %v", a, b, l, rr)
		}
		if a.complete() && CompareDates(a, a) != DateExact {
			t.Fatalf("CompareDates(%v, itself) = %v", a, CompareDates(a, a))
		}
	}
}

func TestNormalizeANumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A-012-345-678", "012345678"},
		{"a012345678", "012345678"},
		{"12345678", "012345678"},
		{"A 98 765 4321", "987654321"},
		{"0000012345678", "012345678"}, // extra leading zeros
		{"1234567890", "1234567890"},   // too long: kept as typed
		{"A000", ""},
		{"unknown", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeANumber(tt.in); got != tt.want {
			t.Errorf("NormalizeANumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompareIDs(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want IDLevel
	}{
		{"exact", "012345678", "012345678", IDExact},
		{"adjacent transposition", "012345678", "012354678", IDTransposed},
		{"transposition at the end", "012345678", "012345687", IDTransposed},
		{"one digit", "012345678", "012345978", IDOneDigit},
		{"two digits", "012345678", "012395978", IDElse},
		{"distant swap", "012345678", "082345610", IDElse},
		{"transposition and another digit", "012345678", "102345679", IDElse},
		{"different lengths", "012345678", "12345678", IDElse},
		{"missing", "", "012345678", IDMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CompareIDs(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareIDs(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := CompareIDs(tt.b, tt.a); got != tt.want {
				t.Errorf("CompareIDs(%q, %q) = %v, want %v (reversed)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestCompareStrings(t *testing.T) {
	tests := []struct {
		a, b string
		want StringLevel
	}{
		{"wallaby place", "wallaby place", StringExact},
		{"2119", "2191", StringOneEdit},
		{"wallaby place", "wallaby plac", StringOneEdit},
		{"pridham street", "pridhamstreet", StringOneEdit},
		{"wallaby place", "walaby plce", StringTwoEdits},
		{"lakefront retirement village", "lakefront retrmnt vlge", StringFuzzy},
		{"2119", "3165", StringElse},
		{"", "2119", StringMissing},
	}
	for _, tt := range tests {
		if got := CompareStrings(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareStrings(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLevelStrings(t *testing.T) {
	if NameSwapped.String() != "swapped" || SurnameCross.String() != "cross" || DateTypo.String() != "typo" ||
		IDTransposed.String() != "transposed" || StringTwoEdits.String() != "two-edits" || NameMissing.String() != "missing" ||
		NameLevel(42).String() != "invalid" {
		t.Error("level names do not match their constants")
	}
	if NameLevels != len(nameLevelNames) || SurnameLevels != len(surnameLevelNames) || DateLevels != len(dateLevelNames) ||
		IDLevels != len(idLevelNames) || StringLevels != len(stringLevelNames) {
		t.Error("a level count does not match its names")
	}
}

// Comparing prepared features must not allocate: the model calls these
// for every candidate pair.
func TestComparatorsDoNotAllocate(t *testing.T) {
	skipUnderRace(t)
	a := NewPersonName("María Guadalupe", "Jiménez López", "")
	b := NewPersonName("Lupe", "Ximénez", "Lopes")
	for name, f := range map[string]func(){
		"CompareNames":      func() { CompareNames(&a.Given, &b.Given) },
		"CompareGivenNames": func() { CompareGivenNames(&a, &b) },
		"CompareSurnames":   func() { CompareSurnames(&a, &b) },
		"CompareDates":      func() { CompareDates(NewDate(2010, 3, 4), NewDate(2010, 4, 3)) },
		"CompareIDs":        func() { CompareIDs("012345678", "012354678") },
		"CompareStrings":    func() { CompareStrings("wallaby place", "walaby plce") },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

// The examples of the package documentation must stay true.
func TestPackageDocExample(t *testing.T) {
	a := NewPersonName("María Guadalupe", "Jiménez López", "")
	b := NewPersonName("Lupe", "Ximénez", "López")
	if got := CompareGivenNames(&a, &b); got != NameNickname {
		t.Errorf("given names: %v, want nickname", got)
	}
	if got := CompareSurnames(&a, &b); got != SurnameClose {
		t.Errorf("surnames: %v, want close", got)
	}
	if got := CompareDates(NewDate(2010, 3, 4), NewDate(2010, 4, 3)); got != DateSwapped {
		t.Errorf("dates: %v, want swapped", got)
	}
	if got := CompareIDs(NormalizeANumber("A-012-345-678"), "012354678"); got != IDTransposed {
		t.Errorf("A-numbers: %v, want transposed", got)
	}
}
