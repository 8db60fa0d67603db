package linkage

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"rescreen"
)

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"already folded", "maria jose", "maria jose"},
		{"accents and case", "José Ramírez Núñez", "jose ramirez nunez"},
		{"spaces and punctuation collapse", "  María-José,  DE LA   Cruz. ", "maria jose de la cruz"},
		{"Mayan apostrophe dropped", "K'iche' Q’anjob’al", "kiche qanjobal"},
		{"modifier letter apostrophe", "Kʼicheʼ", "kiche"},
		{"saltillo", "Qꞌeqchiꞌ", "qeqchi"},
		{"decomposed accents", "Rami\u0301rez Nu\u0303n\u0303ez", "ramirez nunez"},
		{"diaeresis", "Agüero Güicho", "aguero guicho"},
		{"German and Nordic", "Straße Ærø Þór", "strasse aero thor"},
		{"Latin Extended-A", "Łukasz Šťastný Ğül İlhan Őry Œuvre", "lukasz stastny gul ilhan ory oeuvre"},
		{"ordinal indicators", "Mª Guadalupe", "ma guadalupe"},
		{"digits kept", "Juan 2do", "juan 2do"},
		{"symbols separate", "a×b÷c", "a b c"},
		{"Windows-1252 bytes", "Jos\xe9 P\xe9rez K\x92iche\x92 \x8Aimon", "jose perez kiche simon"},
		{"other scripts lower-cased", "ΑΘΗΝΑ Москва", "αθηνα москва"},
		{"nothing left", " -.' ", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Fold(Fold(tt.in)); got != tt.want {
				t.Errorf("Fold is not idempotent on %q: %q", tt.in, got)
			}
		})
	}
}

// The fold table is written as a string of base letters in code point
// order, so a letter too many or too few would shift every later entry.
// Check each entry against Unicode's own case mapping and decomposition
// class: an upper-case letter folds like its lower case, and every entry is
// a letter (but × and ÷).
func TestFoldTableIsAligned(t *testing.T) {
	for r := rune(0xC0); r < 0x180; r++ {
		f := foldTable[r-0xC0]
		if r == '×' || r == '÷' {
			if f != "" {
				t.Errorf("%c (%U) folds to %q, want a separator", r, r, f)
			}
			continue
		}
		if !unicode.IsLetter(r) {
			t.Errorf("%c (%U) is in the table but is not a letter", r, r)
		}
		if f == "" || strings.Trim(f, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("%c (%U) folds to %q, want ASCII letters", r, r, f)
		}
		if lo := unicode.ToLower(r); lo != r && lo >= 0xC0 && lo < 0x180 && foldTable[lo-0xC0] != f {
			t.Errorf("%c folds to %q but its lower case %c to %q", r, f, lo, foldTable[lo-0xC0])
		}
		// The base letter is the first letter of the Unicode name for
		// most entries; spot-check via the upper/lower pair of plain
		// ASCII: the fold of r upper-cased must be the fold of r.
		if up := unicode.ToUpper(r); up != r && up >= 0xC0 && up < 0x180 && foldTable[up-0xC0] != f {
			t.Errorf("%c folds to %q but its upper case %c to %q", r, f, up, foldTable[up-0xC0])
		}
	}
	spot := map[rune]string{
		'À': "a", 'Ç': "c", 'Ð': "d", 'Ñ': "n", 'Ø': "o", 'Ý': "y", 'ÿ': "y",
		'Ā': "a", 'Č': "c", 'Đ': "d", 'Ě': "e", 'Ģ': "g", 'Ħ': "h", 'ı': "i",
		'Ĵ': "j", 'ĸ': "k", 'Ł': "l", 'ŉ': "n", 'Ő': "o", 'Ř': "r", 'Š': "s",
		'Ŧ': "t", 'Ų': "u", 'Ŵ': "w", 'Ÿ': "y", 'Ž': "z", 'ſ': "s",
	}
	for r, want := range spot {
		if got := foldTable[r-0xC0]; got != want {
			t.Errorf("%c (%U) folds to %q, want %q", r, r, got, want)
		}
	}
}

// Fold extends rescreen.Fold; on the names rescreen.Fold handles, the two
// must agree, or search and linkage would disagree about what a name is.
func TestFoldAgreesWithRootFold(t *testing.T) {
	names := []string{
		"José Ramírez", "MARÍA DE LOS ÁNGELES", "Nayelí Ixcoy", "K'iche'", "Q’anjob’al",
		"Bámaca Chilel", "Ordóñez", "Sapón", "Müller-Lüdenscheidt", "Françoise d'Arcy",
		"O'Brien", "  spaced   out  ", "Zoë Ærø", "Straße", "Juan 2do", "¿Quién?", "Ñandú",
		"ÁÉÍÓÚÜÑ áéíóúüñ", "Ana-María", "rec-1496-org", "", "ÿ ý ç",
	}
	for _, n := range names {
		if got, want := Fold(n), rescreen.Fold(n); got != want {
			t.Errorf("Fold(%q) = %q, rescreen.Fold gives %q", n, got, want)
		}
	}
}

func TestFoldDoesNotAllocateWhenFolded(t *testing.T) {
	skipUnderRace(t)
	s := "maria guadalupe lopez"
	if n := testing.AllocsPerRun(100, func() { Fold(s) }); n != 0 {
		t.Errorf("Fold of a folded string allocates %v times", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { AppendFold(buf[:0], "María Guadalupe López") }); n != 0 {
		t.Errorf("AppendFold into a large enough buffer allocates %v times", n)
	}
}

func TestNameTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"María de los Ángeles", []string{"maria", "angeles"}},
		{"Juan Carlos", []string{"juan", "carlos"}},
		{"José de Jesús", []string{"jose", "jesus"}},
		{"Ludwig van Beethoven", []string{"ludwig", "beethoven"}},
		{"De la", []string{"de", "la"}}, // nothing but particles: kept
		{"Van", []string{"van"}},
		{"maria maria", []string{"maria", "maria"}}, // repeats kept
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := NameTokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NameTokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitSurnames(t *testing.T) {
	tests := []struct{ in, first, second string }{
		{"López García", "lopez", "garcia"},
		{"GARCIA", "garcia", ""},
		{"De la Cruz Pérez", "de la cruz", "perez"},
		{"Pérez de la Cruz", "perez", "de la cruz"},
		{"del Valle de los Santos", "del valle", "de los santos"},
		{"Santa Cruz del Valle", "santa cruz", "del valle"},
		{"San Martín", "san martin", ""},
		{"Ortega y Gasset", "ortega", "gasset"},
		{"López y de la Cruz", "lopez", "de la cruz"},
		{"Pérez Sánchez Ruiz", "perez", "sanchez ruiz"},
		{"Pérez de", "perez de", ""},
		{"García-Márquez", "garcia", "marquez"},
		{"Xiloj Tzul", "xiloj", "tzul"},
		{"", "", ""},
	}
	for _, tt := range tests {
		first, second := SplitSurnames(tt.in)
		if first != tt.first || second != tt.second {
			t.Errorf("SplitSurnames(%q) = (%q, %q), want (%q, %q)", tt.in, first, second, tt.first, tt.second)
		}
	}
}

func TestNormalizerParticlesAreConfigurable(t *testing.T) {
	n := NewNormalizer("dos", "DAS", "dé")
	if got := n.NameTokens("Maria das Dores dos Santos"); !reflect.DeepEqual(got, []string{"maria", "dores", "santos"}) {
		t.Errorf("custom particles: got %q", got)
	}
	if got := n.NameTokens("Maria de la Cruz"); !reflect.DeepEqual(got, []string{"maria", "la", "cruz"}) {
		t.Errorf("the folded particle dé should drop de, and only the given particles count: got %q", got)
	}
	if !n.IsParticle("de") || n.IsParticle("la") {
		t.Errorf("IsParticle: de %v, la %v", n.IsParticle("de"), n.IsParticle("la"))
	}
	if first, second := n.SplitSurnames("dos Santos Silva"); first != "dos santos" || second != "silva" {
		t.Errorf("SplitSurnames with custom particles = (%q, %q)", first, second)
	}
}

func TestNewName(t *testing.T) {
	tests := []struct {
		in          string
		text, glued string
		words, keys []string
	}{
		{"María de los Ángeles", "maria angeles", "mariadelosangeles", []string{"maria", "angeles"}, []string{"MARIA", "ANJELES"}},
		{"De la Cruz", "cruz", "delacruz", []string{"cruz"}, []string{"KRUS"}},
		{"DELACRUZ", "delacruz", "delacruz", []string{"delacruz"}, []string{"DELAKRUS"}},
		{"Ortega y Gasset", "ortega gasset", "ortegagasset", []string{"ortega", "gasset"}, []string{"ORTEGA", "GASET"}},
		{"Xuc", "xuc", "xuc", []string{"xuc"}, []string{"JUK"}},
		{"", "", "", nil, nil},
	}
	for _, tt := range tests {
		n := NewName(tt.in)
		if n.Text != tt.text || n.Glued != tt.glued || !reflect.DeepEqual(n.Words, tt.words) || !reflect.DeepEqual(n.Keys, tt.keys) {
			t.Errorf("NewName(%q) = %q %q %q %q, want %q %q %q %q", tt.in, n.Text, n.Glued, n.Words, n.Keys, tt.text, tt.glued, tt.words, tt.keys)
		}
	}
	if n := testing.AllocsPerRun(100, func() { NewName("María Guadalupe") }); n > 2 && !raceEnabled {
		t.Errorf("NewName allocates %v times, want at most 2", n)
	}
}

func TestNewPersonName(t *testing.T) {
	tests := []struct {
		name          string
		given, s1, s2 string
		first, second string
		surnames      string
		givenText     string
	}{
		{"both in one field", "Juan", "López García", "", "lopez", "garcia", "lopez garcia", "juan"},
		{"two fields", "Juan", "López", "García", "lopez", "garcia", "lopez garcia", "juan"},
		{"single surname", "Mitchell", "Green", "", "green", "", "green", "mitchell"},
		{"only the second field", "Ana", "", "Pérez", "perez", "", "perez", "ana"},
		{"particles", "Ana", "de la Cruz", "Pérez", "cruz", "perez", "cruz perez", "ana"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPersonName(tt.given, tt.s1, tt.s2)
			if p.Surname1.Text != tt.first || p.Surname2.Text != tt.second || p.Surnames.Text != tt.surnames || p.Given.Text != tt.givenText {
				t.Errorf("got given %q, surnames %q / %q / %q", p.Given.Text, p.Surname1.Text, p.Surname2.Text, p.Surnames.Text)
			}
		})
	}
}
