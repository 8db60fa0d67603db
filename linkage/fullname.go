package linkage

// FullNameLevel is the agreement of two full names: whole names, each
// written in one field in any order ("GODOY, JEFFERSON JOSUE" and
// "Jefferson Godoy Romero").
type FullNameLevel int8

// The levels of CompareFullNames: those of CompareNames, and two for
// names that agree only in some of their words, as when one record
// drops the second surname and the other the second given name.
const (
	FullNameMissing  FullNameLevel = -1
	FullNameElse     FullNameLevel = 0
	FullNameInitial  FullNameLevel = 1
	FullNameOneWord  FullNameLevel = 2 // one word agrees (at NamePhonetic or better), the others do not
	FullNameFuzzy    FullNameLevel = 3
	FullNamePhonetic FullNameLevel = 4
	FullNameNickname FullNameLevel = 5
	FullNameTwoWords FullNameLevel = 6 // two words or more agree, some others do not
	FullNamePartial  FullNameLevel = 7
	FullNameClose    FullNameLevel = 8
	FullNameExact    FullNameLevel = 9
)

var fullNameLevelNames = [...]string{"else", "initial", "one-word", "fuzzy", "phonetic", "nickname", "two-words", "partial", "close", "exact"}

func (l FullNameLevel) String() string { return levelName(int(l), fullNameLevelNames[:]) }

// fromNameLevel maps the levels of CompareNames onto FullNameLevels.
var fromNameLevel = [...]FullNameLevel{
	NameElse: FullNameElse, NameInitial: FullNameInitial, NameFuzzy: FullNameFuzzy,
	NamePhonetic: FullNamePhonetic, NameNickname: FullNameNickname, NamePartial: FullNamePartial,
	NameSwapped: FullNamePartial, NameClose: FullNameClose, NameExact: FullNameExact,
}

// CompareFullNames compares two full names. It is CompareNames, except
// that when the names do not agree word for word (some word of the
// shorter name has no counterpart), the words that do agree at
// NamePhonetic or better, each used once, still count: two or more give
// FullNameTwoWords, one gives FullNameOneWord, if that is more than
// CompareNames found.
func CompareFullNames(a, b *Name) FullNameLevel {
	return compareFullNamesWith(a, b, CompareNames)
}

func compareFullNamesWith(a, b *Name, compareNames func(a, b *Name) NameLevel) FullNameLevel {
	l := compareNames(a, b)
	if l < 0 {
		return FullNameMissing
	}
	full := fromNameLevel[l]
	if l >= NamePartial || len(a.Words) < 2 && len(b.Words) < 2 {
		return full
	}
	// Greedy: each word of a takes the first word of b not yet taken
	// that agrees with it. With four words a side, greedy and best
	// matching differ only in contrived cases.
	var taken uint8
	agree := 0
	for i := 0; i < min(len(a.Words), maxWords); i++ {
		for j := 0; j < min(len(b.Words), maxWords); j++ {
			if taken&(1<<j) == 0 && compareWords(a, i, b, j) >= NamePhonetic {
				taken |= 1 << j
				agree++
				break
			}
		}
	}
	switch {
	case agree >= 2 && full < FullNameTwoWords:
		return FullNameTwoWords
	case agree == 1 && full < FullNameOneWord:
		return FullNameOneWord
	}
	return full
}

// fullNameBit marks, in a cache key, a comparison of full names.
const fullNameBit = 1 << 62

// fullNames is CompareFullNames through the cache.
func (c *nameCache) fullNames(a, b *Name) FullNameLevel {
	if c == nil || a.id == 0 || b.id == 0 {
		return CompareFullNames(a, b)
	}
	key, slot, ok := c.lookup(a.id, b.id, fullNameBit)
	if ok {
		return FullNameLevel(c.vals[slot])
	}
	l := compareFullNamesWith(a, b, c.names)
	c.keys[slot], c.vals[slot] = key, int8(l)
	return l
}
