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
// On top of them sits the engine, which links records of any CSV file:
//
//   - The record model (mapping.go, layout.go, table.go, dataset.go). A
//     Mapping assigns each used column a Kind: id, given, surname,
//     fullname, date (with its layout: YYYYMMDD, DD/MM/YYYY, a Go layout),
//     identifier, anumber, place, text or ignore. DetectMapping proposes one
//     from common column names. ReadCSV reads a file through it, reporting
//     every bad input as a rescreen.FieldError with the file, line and
//     column. NewDataset turns one or more Tables into Fields, each
//     prepared once per record: given names and surnames as PersonNames
//     (so their Spanish structure is compared), full names as Names
//     (compared by CompareFullNames, in any word order, with levels for
//     names that share only two words or one), dates
//     parsed, identifiers normalised, places and texts folded, and every
//     exact value interned with its share of the records. The n-th field
//     of a kind in one file meets the n-th of that kind in another. When
//     one file has full names and another given names and surnames, the
//     latter's full names are built from their parts, and compared only
//     with real full names: two built ones would count the name fields'
//     evidence twice.
//   - Blocking (block.go). A BlockingRule gives each record a key, or
//     several (an identifier's deletion neighbourhood: the identifier with
//     one character removed, which puts identifiers one typo apart in one
//     block). The candidates are the union of the rules' blocks: a pair is
//     scored under the first rule that finds it, and skipped by the later
//     ones. Rules are chosen from the fields (Dataset.BlockingRules: the
//     same identifier; the phonetic keys of given name and surname; surname
//     key and birth year; given-name key and birth date; birth date and
//     place…, then broader ones) and kept in order while the pairs of their
//     blocks fit in a comparison budget (50 per record by default); when
//     all pairs fit, all are compared. A block larger than the cap (500
//     records) is skipped, and its pairs counted as dropped.
//   - The model (model.go). Fellegi and Sunter: each field's comparator
//     level l has a probability m[l] among matching pairs and u[l] among
//     non-matching ones, and a pair's match weight is log2(λ/(1−λ)) plus,
//     for each field, log2(m[l]/u[l]); a missing value adds nothing. Exact
//     agreement is weighed by the value's frequency instead of the field's
//     average u (term-frequency adjustment), so that a shared rare surname
//     counts for more than a shared García. The match probability is
//     2^w/(1+2^w).
//   - Training without labels (train.go), after Splink: u from random pairs
//     of records; m by expectation-maximisation in rounds, each over the
//     pairs of one training rule (same birth date; same name keys; same
//     identifier), a round never estimating the fields its rule blocks on;
//     λ from strict deterministic rules (exact names and birth date; exact
//     identifier and birth date), the pairs they accept divided by the
//     share of matches they catch, which the trained m gives; and u once
//     more, each random pair counted by its posterior probability of not
//     matching, so that the few matches among random pairs do not make
//     strong agreement look common among non-matches.
//   - Scoring and clustering (link.go). Link scores every candidate pair,
//     keeps those above a probability, and joins the records of the pairs
//     above the threshold into connected components; with OneToOne, each
//     record joins at most one record of each other table, pairs taken
//     greedily by falling probability. Result.Explain shows a pair field by
//     field: values, level, m, u and weight.
//
// Two comparisons of the same names give the same level, so each
// goroutine keeps a small cache of name-pair levels (cache.go); within a
// block the same names meet again and again.
//
// And on top of the persons found, the family (family.go, kin.go):
//
//   - ParentChild scores one person as the parent or guardian of another
//     with two models trained without labels: whether two persons are of
//     one family (a family group or A-number series shared, a named
//     parent, surnames, an event, the country), and within a family which
//     one is the parent (the age gap, who names whom, the Spanish surname
//     convention: a child's first surname is usually the father's first,
//     the second the mother's first).
//   - Kin feeds that structure back into the person clustering: records
//     of persons found to be children of one parent, or parents of one
//     child, are scored again with the prior of such relatives, so that
//     siblings stay apart and a shelter's record of a child joins the
//     child's border record.
//
// The product uses the engine through package app (LinkPersons, Rescore):
// the engine stays pure, and the registry keeps its pairs as candidates.
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
