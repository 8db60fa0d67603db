package rescreen

import (
	"strings"
	"unicode"
)

// foldRunes maps accented Latin letters to their base letter. Spanish and
// Mayan names are written with and without accents from one agency to the
// next (José, Jose; Nayeli, Nayelí), so search folds them all alike.
var foldRunes = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ā': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ē': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ī': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'ō': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'ū': "u",
	'ñ': "n", 'ç': "c", 'ý': "y", 'ÿ': "y", 'ß': "ss", 'æ': "ae", 'œ': "oe",
}

// Fold returns s in lower case with accents removed and every run of
// characters other than letters and digits turned into one space. The
// apostrophe of Mayan names (K'iche', Q'anjob'al) is dropped, not spaced,
// so that K'iche' and Kiche fold alike.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		if f, ok := foldRunes[r]; ok {
			b.WriteString(f)
			space = false
			continue
		}
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		default:
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// NameTokens returns the distinct folded words of the names, for search.
func NameTokens(names ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		for _, t := range strings.Fields(Fold(n)) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}
