// Package linkage finds the same person across agency records: the border
// agency, detention, shelter, asylum office and court lists of 2018 kept no
// shared family identifier, and their clerks re-keyed names by hand. The
// package is pure: it reads no files, opens no database and never asks the
// clock; data comes in as arguments.
//
// This part holds the building blocks, meant to be computed once per
// record and compared many times:
//
//   - Normalisation (normalize.go, name.go). Fold lower-cases, strips
//     accents (a table-driven fold of Latin-1 and Latin Extended-A; the
//     standard library has no NFD), drops the apostrophes of Mayan names
//     and collapses punctuation. A Normalizer drops particles (de, del, de
//     la, y, van, von…, configurable), splits a double surname into the
//     paternal and maternal parts, and prepares a Name or PersonName: the
//     folded words, the words glued together, a phonetic key and a
//     nickname entry per word.
//   - A phonetic key for Spanish and Mayan names (phonetic.go), under
//     which Jiménez, Ximénez and Giménez, or Xuc and Shuc, or Quiej and Kiej
//     agree, but Chuc and Xuc, or Williams and Guillermo, do not. English
//     keys such as Double Metaphone merge the wrong letters for these names.
//   - String comparators (strcmp.go): Jaro, Jaro-Winkler, Levenshtein,
//     optimal string alignment (restricted Damerau-Levenshtein) with a bound
//     that stops early, and true Damerau-Levenshtein. They work on runes,
//     take a faster path for ASCII, and allocate nothing on names.
//   - Comparators with levels (compare.go): names (exact, Jaro-Winkler
//     ≥ 0.95 or ≥ 0.88, phonetic, nickname, initial, words dropped or
//     reordered, given names and surnames swapped), Spanish double surnames
//     (one missing, swapped, the other's second surname), dates (day and
//     month swapped, one digit off, within a month, a year off, the year
//     only), identifiers such as A-numbers (one digit, one transposition)
//     and free strings. Each returns a small integer: -1 for missing, 0 for
//     no agreement, higher for stronger agreement.
//
// Still to be built on top, by the model's authors: blocking (a union of
// rules, each pair scored once); the Fellegi-Sunter model, with match
// weights per comparator level and term-frequency adjustment for common
// names; unsupervised training (u from random pairs, λ from strict rules,
// m by expectation-maximisation in rounds blocked on different fields);
// clustering (connected components above a threshold, one-to-one between
// two sources); the parent-child model (a child's first surname is usually
// the father's first surname, the second the mother's first); and the
// `rescreen link` command that maps CSV columns to these comparators.
//
// A sketch of the intended use:
//
//	a := linkage.NewPersonName("María Guadalupe", "Jiménez López", "")
//	b := linkage.NewPersonName("Lupe", "Ximénez", "López")
//	linkage.CompareGivenNames(&a, &b) // NameNickname: Lupe is Guadalupe
//	linkage.CompareSurnames(&a, &b)   // SurnameClose: Jiménez ~ Ximénez, López = López
//	linkage.CompareDates(linkage.NewDate(2010, 3, 4), linkage.NewDate(2010, 4, 3)) // DateSwapped
//	linkage.CompareIDs(linkage.NormalizeANumber("A-012-345-678"), "012354678")   // IDTransposed
package linkage
