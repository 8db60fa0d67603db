package linkage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps the letters of Latin-1 Supplement and Latin Extended-A
// (U+00C0 to U+017F) to their base letters, the way a Unicode NFD
// decomposition followed by dropping the marks would, plus the ligatures and
// letters that have no decomposition (Æ, Ø, Ð, Þ, ß, Ł, Œ, Ĳ). An empty
// entry is a symbol (× and ÷), which separates words.
var foldTable = buildFoldTable()

func buildFoldTable() [0x180 - 0xC0]string {
	// One base letter per code point, in code point order; '*' marks a
	// letter that folds to two letters (foldPairs) and ' ' a symbol.
	const letters = "" +
		"aaaaaa*ceeeeiiiidnooooo ouuuuy**" + // U+00C0 À … U+00DF ß
		"aaaaaa*ceeeeiiiidnooooo ouuuuy*y" + // U+00E0 à … U+00FF ÿ
		"aaaaaaccccccccddddeeeeeeeeee" + // U+0100 Ā … U+011B ě
		"gggggggghhhhiiiiiiiiii**jjkkk" + // U+011C Ĝ … U+0138 ĸ
		"llllllllllnnnnnnnnnoooooo**" + // U+0139 Ĺ … U+0153 œ
		"rrrrrrsssssssstttttt" + // U+0154 Ŕ … U+0167 ŧ
		"uuuuuuuuuuuuwwyyyzzzzzzs" // U+0168 Ũ … U+017F ſ
	foldPairs := map[rune]string{
		'Æ': "ae", 'æ': "ae", 'Þ': "th", 'þ': "th", 'ß': "ss",
		'Ĳ': "ij", 'ĳ': "ij", 'Œ': "oe", 'œ': "oe",
	}
	var t [0x180 - 0xC0]string
	i := 0
	for _, c := range letters {
		r := rune(0xC0 + i)
		switch c {
		case '*':
			t[i] = foldPairs[r]
		case ' ':
		default:
			t[i] = string(c)
		}
		i++
	}
	if i != len(t) {
		panic("linkage: fold table has the wrong length")
	}
	return t
}

// isApostrophe reports whether r is one of the marks written for the Mayan
// glottal stop or the Spanish and English elision: the ASCII apostrophe and
// grave accent, the typographic quotes, the acute accent, the modifier
// letter apostrophe (ʼ, the official ALMG orthography of K'iche' and Mam)
// and the saltillo (ꞌ).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '´', '‘', '’', 'ʼ', 'ʻ', '′', 'ꞌ', 'Ꞌ':
		return true
	}
	return false
}

// Fold returns s in lower case with accents removed, apostrophes dropped,
// and every run of other characters that are neither letters nor digits
// turned into one space, with no space at either end: "  María-José
// DE LA O'Campo " becomes "maria jose de la ocampo".
//
// It extends rescreen.Fold, and agrees with it on every string that
// function handles correctly (a test checks this), but also:
//   - folds all of Latin Extended-A (Ł, Š, Ő, Ğ, İ…), Ð, Þ, ª and º (Mª
//     for María becomes "ma");
//   - drops combining marks, so decomposed (NFD) input folds like composed
//     input, where rescreen.Fold splits "Jose\u0301" into two words;
//   - drops the modifier letter apostrophe ʼ and the saltillo ꞌ, which
//     Mayan orthographies use for the glottal stop (Kʼicheʼ becomes
//     "kiche", as K'iche' does);
//   - reads a byte that is not valid UTF-8 as a Windows-1252 character
//     (Latin-1 plus typographic quotes, Š, Ž, Œ), so "Jos\xe9" from an
//     old spreadsheet still folds to "jose";
//   - allocates nothing when s is already folded.
//
// The apostrophe is dropped rather than kept as a letter because agencies
// write Mayan names with and without it (Q'anjob'al, Qanjobal, Kanjobal):
// it is a spelling variation, not a distinction between names.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	var buf [64]byte
	return string(AppendFold(buf[:0], s))
}

// isFolded reports whether Fold(s) == s: only a-z, 0-9 and single inner
// spaces.
func isFolded(s string) bool {
	space := true // no leading space
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			space = false
		case c == ' ' && !space:
			space = true
		default:
			return false
		}
	}
	return !space || s == ""
}

// AppendFold appends Fold(s) to dst and returns the extended buffer. It
// allocates only if dst is too small.
func AppendFold(dst []byte, s string) []byte {
	start := len(dst)
	gap := false // a separator was seen since the last letter
	emit := func(dst []byte) []byte {
		if gap && len(dst) > start {
			dst = append(dst, ' ')
		}
		gap = false
		return dst
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(emit(dst), c)
			case 'A' <= c && c <= 'Z':
				dst = append(emit(dst), c+'a'-'A')
			case c == '\'' || c == '`':
			default:
				gap = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = windows1252(c) // not UTF-8: a file in the old Windows encoding
		}
		i += size
		switch {
		case r >= 0xC0 && r < 0x180:
			if f := foldTable[r-0xC0]; f != "" {
				dst = append(emit(dst), f...)
			} else {
				gap = true
			}
		case r == 'ª':
			dst = append(emit(dst), 'a')
		case r == 'º':
			dst = append(emit(dst), 'o')
		case isApostrophe(r), unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dst = utf8.AppendRune(emit(dst), unicode.ToLower(r))
		default:
			gap = true
		}
	}
	return dst
}

// windows1252 returns the character the byte c (0x80 or above) stands for
// in Windows-1252, for the letters and quotes that matter in names, and
// the Latin-1 character otherwise.
func windows1252(c byte) rune {
	switch c {
	case 0x91, 0x92:
		return '’'
	case 0x8A:
		return 'Š'
	case 0x8C:
		return 'Œ'
	case 0x8E:
		return 'Ž'
	case 0x9A:
		return 'š'
	case 0x9C:
		return 'œ'
	case 0x9E:
		return 'ž'
	case 0x9F:
		return 'Ÿ'
	}
	return rune(c)
}

// DefaultParticles are the words dropped from names when they stand alone:
// the Spanish de, del, de la, de las, de los and the conjunction y (Ortega y
// Gasset), the articles la, las, los, and the Portuguese, Italian, Dutch
// and German da, di, van, von.
var DefaultParticles = []string{"de", "del", "la", "las", "los", "y", "da", "di", "van", "von"}

// compoundPrefixes are words that form one surname with the next word and
// are kept: San Martín, Santa Cruz, Santo Domingo.
var compoundPrefixes = []string{"san", "santa", "santo"}

// conjunction joins two surnames; it belongs to neither.
const conjunction = "y"

// A Normalizer turns name fields into the folded, tokenised features the
// comparators use. Its only setting is the list of particles; the package
// functions NameTokens, SplitSurnames, NewName and NewPersonName use
// DefaultParticles. A Normalizer is safe for concurrent use.
type Normalizer struct {
	particles []string // folded, distinct
}

// NewNormalizer returns a Normalizer that drops the given particles (they
// are folded first, so "Dé" and "de" are the same particle).
func NewNormalizer(particles ...string) *Normalizer {
	n := &Normalizer{}
	for _, p := range particles {
		p = Fold(p)
		if p != "" && !strings.Contains(p, " ") && !n.IsParticle(p) {
			n.particles = append(n.particles, p)
		}
	}
	return n
}

var defaultNormalizer = NewNormalizer(DefaultParticles...)

// IsParticle reports whether the folded word w is one of n's particles.
func (n *Normalizer) IsParticle(w string) bool {
	// A dozen short words: a scan beats hashing.
	for _, p := range n.particles {
		if p == w {
			return true
		}
	}
	return false
}

// NameTokens returns the folded words of s in their order, without
// particles ("María de los Ángeles" gives [maria angeles]). Particles are
// kept when nothing else is left, so a name that is only "De la" or "Van"
// is not lost. The words are substrings of one folded string: one
// allocation for it, one for the slice.
func (n *Normalizer) NameTokens(s string) []string {
	return n.stripParticles(strings.Fields(Fold(s)))
}

// NameTokens returns the folded words of s without particles, using
// DefaultParticles. Unlike rescreen.NameTokens, which serves search and
// returns the distinct words of several fields, it keeps order and
// repeats, because the comparators align the words of two names.
func NameTokens(s string) []string { return defaultNormalizer.NameTokens(s) }

func (n *Normalizer) stripParticles(words []string) []string {
	if len(words) == 0 {
		return nil
	}
	keep := 0
	for _, w := range words {
		if !n.IsParticle(w) {
			keep++
		}
	}
	if keep == 0 || keep == len(words) {
		return words
	}
	out := words[:0]
	for _, w := range words {
		if !n.IsParticle(w) {
			out = append(out, w)
		}
	}
	return out
}

// SplitSurnames splits a field holding both surnames into the first
// (paternal) and the second (maternal) surname, folded: "López García"
// gives ("lopez", "garcia") and "García" gives ("garcia", "").
//
// Particles stay with the surname they introduce, and San, Santa and Santo
// with the word that follows: "De la Cruz Pérez" gives ("de la cruz",
// "perez") and "Santa Cruz del Valle" gives ("santa cruz", "del valle"). The
// particles are kept here, not dropped, so that NewName can offer both
// forms agencies use: the words without particles ([cruz], so "Cruz"
// matches) and the letters glued together ("delacruz", so "DELACRUZ", as
// systems that forbid spaces write it, matches too). The conjunction y
// between two surnames is dropped: "Ortega y Gasset" gives ("ortega",
// "gasset"). A field with three or more surnames keeps the first as the
// first surname and the rest, joined by spaces, as the second; no rule can
// tell "Pérez Sánchez Ruiz" apart otherwise.
func (n *Normalizer) SplitSurnames(s string) (first, second string) {
	words := strings.Fields(Fold(s))
	// A unit is a run of particles and compound prefixes ending in one
	// other word. Particles at the very end join the last unit.
	var starts [8]int
	units := starts[:0]
	for i := 0; i < len(words); {
		if len(units) > 0 && words[i] == conjunction && i < len(words)-1 {
			i++ // "Ortega y Gasset": y separates two units
			continue
		}
		s := i
		for i < len(words)-1 && (n.IsParticle(words[i]) || isCompoundPrefix(words[i])) {
			i++
		}
		if i == len(words)-1 && n.IsParticle(words[i]) && s == i && len(units) > 0 {
			break // a trailing particle: "Pérez de"
		}
		i++
		units = append(units, s)
	}
	if len(units) < 2 {
		return strings.Join(words, " "), ""
	}
	end := units[1]
	if end > 0 && words[end-1] == conjunction && end-1 > units[0] {
		end--
	}
	return strings.Join(words[:end], " "), strings.Join(words[units[1]:], " ")
}

// SplitSurnames splits a double surname using DefaultParticles; see
// Normalizer.SplitSurnames.
func SplitSurnames(s string) (first, second string) { return defaultNormalizer.SplitSurnames(s) }

func isCompoundPrefix(w string) bool {
	for _, p := range compoundPrefixes {
		if p == w {
			return true
		}
	}
	return false
}

// isParticleRun reports whether s is one or more particles written
// together, such as "dela" or "delos": what is left when "De la Cruz" is
// typed as "Delacruz" and compared with "Cruz". The conjunction y does not
// count.
func (n *Normalizer) isParticleRun(s string) bool {
	if s == "" {
		return true
	}
	for _, p := range n.particles {
		if p != conjunction && strings.HasPrefix(s, p) && n.isParticleRun(s[len(p):]) {
			return true
		}
	}
	return false
}
