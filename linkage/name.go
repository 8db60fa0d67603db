package linkage

import (
	"unicode"
)

// maxWords is the number of leading words of a name that the comparators
// align word by word; later words still count in Text and Glued. After
// particles are dropped, names of more than four words are rare.
const maxWords = 4

// Name is one name field prepared for comparison: computed once per record
// by NewName, then compared many times. The zero Name is an empty field,
// which every comparator reports as missing. Its string fields share one
// backing array; treat a Name as read-only.
type Name struct {
	// Text is the folded words without particles, one space apart:
	// "maria angeles" for "María de los Ángeles".
	Text string
	// Words are the words of Text, in order.
	Words []string
	// Glued is every folded word, particles included (but not the
	// conjunction y), written together: "mariadelosangeles". Two spellings
	// that differ only in spaces or particles ("De la Cruz", "DELACRUZ";
	// "Juan Carlos", "Juancarlos") have the same Glued.
	Glued string
	// Keys holds the Phonetic key of each of Words.
	Keys []string

	nick [maxWords]int16 // nickname entry of each of the first Words, or -1
	// ascii reports whether Text and Glued are all ASCII, so that the
	// string comparators may skip the check.
	ascii bool
	// id numbers the distinct names of a Dataset (0: not numbered), so
	// that the levels of two names compared once can be remembered.
	id uint32
}

// IsEmpty reports whether the field held no letters or digits.
func (nm *Name) IsEmpty() bool { return len(nm.Words) == 0 }

// NewName prepares the name s for comparison: it folds it, drops
// particles, and computes the glued form, the phonetic keys and the
// nickname entries of its words. It makes two allocations.
func (n *Normalizer) NewName(s string) Name {
	var fb [128]byte
	f := AppendFold(fb[:0], s)
	type span struct{ lo, hi int }
	var sb [16]span
	spans := sb[:0]
	for i := 0; i < len(f); {
		j := i
		for j < len(f) && f[j] != ' ' {
			j++
		}
		spans = append(spans, span{i, j})
		i = j + 1
	}
	if len(spans) == 0 {
		return Name{}
	}
	particles := 0
	var isPart [16]bool
	for k, sp := range spans {
		if k < len(isPart) && n.isParticleBytes(f[sp.lo:sp.hi]) {
			isPart[k] = true
			particles++
		}
	}
	if particles == len(spans) {
		isPart = [16]bool{} // keep a name made only of particles
		particles = 0
	}
	kept := len(spans) - particles

	// One buffer holds Text, then Glued, then the keys.
	var ob [256]byte
	out := ob[:0]
	var wb, kb [16]span
	words, keys := wb[:0], kb[:0]
	for k, sp := range spans {
		if k < len(isPart) && isPart[k] {
			continue
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		words = append(words, span{len(out), len(out) + sp.hi - sp.lo})
		out = append(out, f[sp.lo:sp.hi]...)
	}
	textEnd := len(out)
	for _, sp := range spans {
		w := f[sp.lo:sp.hi]
		if len(spans) > 1 && string(w) == conjunction {
			continue
		}
		out = append(out, w...)
	}
	gluedEnd := len(out)
	for _, sp := range words {
		lo := len(out)
		out = appendWordKey(out, out[sp.lo:sp.hi])
		keys = append(keys, span{lo, len(out)})
	}

	str := string(out)
	parts := make([]string, 2*kept)
	nm := Name{Text: str[:textEnd], Glued: str[textEnd:gluedEnd], Words: parts[:kept:kept], Keys: parts[kept:], ascii: isASCII(str[:gluedEnd])}
	for k := range nm.nick {
		nm.nick[k] = -1
	}
	for k, sp := range words {
		nm.Words[k] = str[sp.lo:sp.hi]
		nm.Keys[k] = str[keys[k].lo:keys[k].hi]
		if k < maxWords {
			nm.nick[k] = nickOf(out[sp.lo:sp.hi])
		}
	}
	return nm
}

// NewName prepares s for comparison using DefaultParticles; see
// Normalizer.NewName.
func NewName(s string) Name { return defaultNormalizer.NewName(s) }

func (n *Normalizer) isParticleBytes(w []byte) bool {
	for _, p := range n.particles {
		if string(w) == p {
			return true
		}
	}
	return false
}

// PersonName is a person's name prepared for comparison, with the two
// Spanish surnames apart. For a name with a single surname (most English
// names, and Spanish names recorded with the paternal surname only)
// Surname2 is empty.
type PersonName struct {
	Given    Name // given names, in the order recorded
	Surname1 Name // first (paternal) surname
	Surname2 Name // second (maternal) surname, or empty
	Surnames Name // both surnames as one name, to detect fields swapped
}

// NewPersonName prepares a person's name. When surname2 is blank, surname1
// is split with SplitSurnames, so records that keep both surnames in one
// field ("López García") and records that keep them apart compare alike.
// When only surname2 is filled in, it is taken as the only surname: a
// record cannot tell whether a lone surname is paternal or maternal, and
// the surname comparator checks both positions.
func (n *Normalizer) NewPersonName(given, surname1, surname2 string) PersonName {
	s1, s2 := surname1, surname2
	switch {
	case blank(s2):
		s1, s2 = n.SplitSurnames(s1)
	case blank(s1):
		s1, s2 = n.SplitSurnames(s2)
	}
	p := PersonName{Given: n.NewName(given), Surname1: n.NewName(s1), Surname2: n.NewName(s2)}
	if p.Surname2.IsEmpty() {
		p.Surnames = p.Surname1
	} else {
		p.Surnames = n.NewName(s1 + " " + s2)
	}
	return p
}

// NewPersonName prepares a person's name using DefaultParticles; see
// Normalizer.NewPersonName.
func NewPersonName(given, surname1, surname2 string) PersonName {
	return defaultNormalizer.NewPersonName(given, surname1, surname2)
}

// blank reports whether s holds no letter or digit.
func blank(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
