package linkage

import (
	"math/bits"
	"unicode/utf8"
)

// The string comparators below work on runes, so that a folded name in any
// script is compared letter by letter; when both strings are ASCII, as
// folded Latin names are, they work on bytes, which is faster. Names are
// short: inputs of up to shortLen characters are copied into arrays on the
// stack and nothing is allocated; longer inputs fall back to heap buffers.

// shortLen is the length, in runes, up to which the comparators allocate
// nothing. 64 covers every name and most addresses.
const shortLen = 64

// Winkler's constants, as in his strcmp95 and in every common library: the
// prefix bonus is 0.1 per agreeing leading character, for at most four, and
// is only given when the Jaro similarity already exceeds 0.7.
const (
	winklerScale     = 0.1
	winklerMaxPrefix = 4
	winklerThreshold = 0.7
)

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// bytesOf copies s into buf when it fits, else into a new slice.
func bytesOf(buf *[shortLen]byte, s string) []byte {
	if len(s) > shortLen {
		return []byte(s)
	}
	return buf[:copy(buf[:], s)]
}

// runesOf decodes s into buf when it fits, else into a new slice.
func runesOf(buf *[shortLen]rune, s string) []rune {
	r := buf[:0]
	if len(s) > shortLen && utf8.RuneCountInString(s) > shortLen {
		r = make([]rune, 0, utf8.RuneCountInString(s))
	}
	for _, x := range s {
		r = append(r, x)
	}
	return r
}

// Jaro returns the Jaro similarity of a and b, from 0 (nothing in common) to
// 1 (equal). Two empty strings are equal (1); one empty string against a
// non-empty one scores 0. Half the count of out-of-order matches is rounded
// down, as in Winkler's strcmp95 and the Python jellyfish library.
func Jaro(a, b string) float64 {
	if a == b {
		return 1
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [shortLen]byte
		return jaroASCII(bytesOf(&ba, a), bytesOf(&bb, b))
	}
	var ba, bb [shortLen]rune
	return jaro(runesOf(&ba, a), runesOf(&bb, b))
}

// JaroWinkler returns the Jaro-Winkler similarity of a and b: the Jaro
// similarity raised by 0.1 × (1 − Jaro) for each of the first four
// characters the strings share, provided the Jaro similarity exceeds 0.7.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [shortLen]byte
		ra, rb := bytesOf(&ba, a), bytesOf(&bb, b)
		return winkler(jaroASCII(ra, rb), ra, rb)
	}
	var ba, bb [shortLen]rune
	ra, rb := runesOf(&ba, a), runesOf(&bb, b)
	return winkler(jaro(ra, rb), ra, rb)
}

// jaroWinklerOf is JaroWinkler, told whether both strings are known to
// be ASCII (as the words of a folded Latin name are), which spares it
// the check.
func jaroWinklerOf(a, b string, ascii bool) float64 {
	if !ascii || len(a) > shortLen || len(b) > shortLen {
		return JaroWinkler(a, b)
	}
	if a == b {
		return 1
	}
	j := jaroASCII(a, b)
	if j <= winklerThreshold {
		return j
	}
	n := min(len(a), len(b), winklerMaxPrefix)
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	return j + float64(p)*winklerScale*(1-j)
}

// osaMaxOf is OSAMax, told whether both strings are known to be ASCII.
func osaMaxOf(a, b string, max int, ascii bool) int {
	if !ascii || len(a) > shortLen || len(b) > shortLen {
		return OSAMax(a, b, max)
	}
	if a == b {
		return 0
	}
	var ba, bb [shortLen]byte
	return editTrim(ba[:copy(ba[:], a)], bb[:copy(bb[:], b)], max, true)
}

func winkler[E byte | rune](j float64, a, b []E) float64 {
	if j <= winklerThreshold {
		return j
	}
	n := min(len(a), len(b), winklerMaxPrefix)
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	return j + float64(p)*winklerScale*(1-j)
}

func jaro[E byte | rune](a, b []E) float64 {
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return 1
	}
	if la == 0 || lb == 0 {
		return 0
	}
	if la <= 64 && lb <= 64 {
		return jaroShort(a, b)
	}
	return jaroLong(a, b)
}

// jaroASCII works on bytes, held in a string or a byte slice: a string
// needs no copy.
func jaroASCII[S string | []byte](a, b S) float64 {
	if len(a) == 0 || len(b) == 0 || len(a) > 64 || len(b) > 64 {
		return jaro([]byte(a), []byte(b))
	}
	la, lb := len(a), len(b)
	window := jaroWindow(la, lb)
	// pos[c&31] has a bit for each position of b holding a character with
	// those low five bits: a through z map one to one; other characters
	// may share a slot, so a candidate is checked before it is taken.
	var pos [32]uint64
	for j := 0; j < lb; j++ {
		pos[b[j]&31] |= 1 << j
	}
	var ma, mb uint64
	m := 0
	for i := 0; i < la; i++ {
		c := a[i]
		lo, hi := max(0, i-window), min(lb-1, i+window)
		if lo > hi {
			break
		}
		win := (uint64(1)<<(hi-lo+1) - 1) << lo
		for cand := pos[c&31] &^ mb & win; cand != 0; cand &= cand - 1 {
			if j := bits.TrailingZeros64(cand); b[j] == c {
				ma |= 1 << i
				mb |= 1 << j
				m++
				break
			}
		}
	}
	return jaroScore(m, transpositionsASCII(a, b, ma, mb), la, lb)
}

// transpositionsASCII is transpositions on bytes in a string or a slice.
func transpositionsASCII[S string | []byte](a, b S, ma, mb uint64) int {
	t := 0
	for ma != 0 {
		if a[bits.TrailingZeros64(ma)] != b[bits.TrailingZeros64(mb)] {
			t++
		}
		ma &= ma - 1
		mb &= mb - 1
	}
	return t
}

// transpositions counts the positions at which the matched characters of
// a and b, each read in order, differ.
func transpositions[E byte | rune](a, b []E, ma, mb uint64) int {
	t := 0
	for ma != 0 {
		if a[bits.TrailingZeros64(ma)] != b[bits.TrailingZeros64(mb)] {
			t++
		}
		ma &= ma - 1
		mb &= mb - 1
	}
	return t
}

// jaroWindow is how far apart two equal characters may be and still match:
// half the longer length, less one.
func jaroWindow(la, lb int) int { return max(0, max(la, lb)/2-1) }

func jaroScore(m, t, la, lb int) float64 {
	if m == 0 {
		return 0
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
}

// jaroShort keeps the matched flags of strings of up to 64 characters in
// two machine words.
func jaroShort[E byte | rune](a, b []E) float64 {
	la, lb := len(a), len(b)
	window := jaroWindow(la, lb)
	var ma, mb uint64
	m := 0
	for i, c := range a {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if mb&(1<<j) == 0 && b[j] == c {
				ma |= 1 << i
				mb |= 1 << j
				m++
				break
			}
		}
	}
	return jaroScore(m, transpositions(a, b, ma, mb), la, lb)
}

func jaroLong[E byte | rune](a, b []E) float64 {
	la, lb := len(a), len(b)
	window := jaroWindow(la, lb)
	ma, mb := make([]bool, la), make([]bool, lb)
	m := 0
	for i, c := range a {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && b[j] == c {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	t, k := 0, 0
	for i := range a {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	return jaroScore(m, t, la, lb)
}

// Levenshtein returns the number of single-character insertions, deletions
// and substitutions that turn a into b.
func Levenshtein(a, b string) int {
	return editDistance(a, b, -1, false)
}

// LevenshteinMax returns Levenshtein(a, b) if it is at most max, and max+1
// otherwise. It gives up as soon as the bound is exceeded, which makes it
// several times faster than Levenshtein on dissimilar pairs.
func LevenshteinMax(a, b string, max int) int {
	return editDistance(a, b, max, false)
}

// OSA returns the optimal string alignment distance of a and b, the
// "restricted" Damerau-Levenshtein distance: insertions, deletions,
// substitutions and transpositions of two adjacent characters, with no
// substring edited twice. It is what most record-linkage software calls
// Damerau-Levenshtein. It is not a metric: OSA("ca", "abc") is 3 while
// OSA("ca", "ac") + OSA("ac", "abc") is 2.
func OSA(a, b string) int {
	return editDistance(a, b, -1, true)
}

// OSAMax returns OSA(a, b) if it is at most max, and max+1 otherwise. It
// stops as soon as the bound is exceeded; comparators that only ask "one
// edit or two?" should use it.
func OSAMax(a, b string, max int) int {
	return editDistance(a, b, max, true)
}

// editDistance computes Levenshtein (transpose false) or OSA (transpose
// true) distance. A negative bound means none.
func editDistance(a, b string, bound int, transpose bool) int {
	if a == b {
		return 0
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [shortLen]byte
		return editTrim(bytesOf(&ba, a), bytesOf(&bb, b), bound, transpose)
	}
	var ba, bb [shortLen]rune
	return editTrim(runesOf(&ba, a), runesOf(&bb, b), bound, transpose)
}

func editTrim[E byte | rune](ra, rb []E, bound int, transpose bool) int {
	// A common prefix or suffix never takes part in an optimal alignment's
	// edits, even with transpositions (swapping two equal leading
	// characters is a no-op), so it is cut off first.
	for len(ra) > 0 && len(rb) > 0 && ra[0] == rb[0] {
		ra, rb = ra[1:], rb[1:]
	}
	for len(ra) > 0 && len(rb) > 0 && ra[len(ra)-1] == rb[len(rb)-1] {
		ra, rb = ra[:len(ra)-1], rb[:len(rb)-1]
	}
	if len(ra) < len(rb) {
		ra, rb = rb, ra // the rows run over the shorter string
	}
	la, lb := len(ra), len(rb)
	if bound >= 0 && la-lb > bound {
		return bound + 1
	}
	if lb == 0 {
		return la
	}
	if bound < 0 || bound > la {
		bound = -1 // no bound, or one that cannot bind
	}
	if la <= shortLen {
		// Distances of strings of up to 64 characters fit in a byte, and
		// small rows are cheap to clear.
		var rows [3][shortLen + 1]uint8
		return editRows(ra, rb, rows[0][:lb+1], rows[1][:lb+1], rows[2][:lb+1], bound, transpose)
	}
	return editRows(ra, rb, make([]int32, lb+1), make([]int32, lb+1), make([]int32, lb+1), bound, transpose)
}

// editRows fills the dynamic-programming matrix row by row, keeping three
// rows. With a bound k only the diagonal band |i−j| ≤ k is computed, as a
// cell outside it is at least |i−j| > k; cells just outside the band are
// set to k+1, which stands for "too far".
func editRows[E byte | rune, C uint8 | int32](ra, rb []E, prev2, prev, cur []C, bound int, transpose bool) int {
	la, lb := len(ra), len(rb)
	band := la
	if bound >= 0 {
		band = bound
	}
	far := C(band + 1)
	for j := 0; j <= lb; j++ {
		prev[j] = C(min(j, band+1))
	}
	over := false // the previous row was entirely beyond the bound
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-band), min(lb, i+band)
		rowMin := far
		if lo == 1 {
			cur[0] = C(min(i, band+1))
			rowMin = cur[0]
		} else {
			cur[lo-1] = far
		}
		ca := ra[i-1]
		for j := lo; j <= hi; j++ {
			d := prev[j-1]
			if ca != rb[j-1] {
				d++
			}
			d = min(d, prev[j]+1, cur[j-1]+1)
			if transpose && i > 1 && j > 1 && ca == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if hi < lb {
			cur[hi+1] = far
		}
		if bound >= 0 && int(rowMin) > bound {
			// Every later cell derives from this row, or, by a
			// transposition, from the previous one; once two rows in a
			// row exceed the bound, so does the answer.
			if over || !transpose {
				return bound + 1
			}
			over = true
		} else {
			over = false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	d := int(prev[lb])
	if bound >= 0 && d > bound {
		return bound + 1
	}
	return d
}

// dlShort is the length up to which DamerauLevenshtein keeps its matrix on
// the stack, in bytes: (dlShort+2)² of them.
const dlShort = 24

// DamerauLevenshtein returns the true (unrestricted) Damerau-Levenshtein
// distance of a and b, in which a transposed pair may also be edited
// further: DamerauLevenshtein("ca", "abc") is 2, where OSA gives 3. It is a
// metric, and costs about twice as much as OSA.
func DamerauLevenshtein(a, b string) int {
	if a == b {
		return 0
	}
	if isASCII(a) && isASCII(b) {
		var ba, bb [shortLen]byte
		return damerauTrim(bytesOf(&ba, a), bytesOf(&bb, b))
	}
	var ba, bb [shortLen]rune
	return damerauTrim(runesOf(&ba, a), runesOf(&bb, b))
}

func damerauTrim[E byte | rune](ra, rb []E) int {
	for len(ra) > 0 && len(rb) > 0 && ra[0] == rb[0] {
		ra, rb = ra[1:], rb[1:]
	}
	for len(ra) > 0 && len(rb) > 0 && ra[len(ra)-1] == rb[len(rb)-1] {
		ra, rb = ra[:len(ra)-1], rb[:len(rb)-1]
	}
	la, lb := len(ra), len(rb)
	if la == 0 || lb == 0 {
		return la + lb
	}
	if la <= dlShort && lb <= dlShort {
		var mat [(dlShort + 2) * (dlShort + 2)]uint8
		return damerau(ra, rb, mat[:(la+2)*(lb+2)])
	}
	return damerau(ra, rb, make([]int32, (la+2)*(lb+2)))
}

// damerau is Lowrance and Wagner's algorithm, as given by Wikipedia
// ("Damerau-Levenshtein distance", distance with adjacent transpositions):
// d is (la+2)×(lb+2) with a border of "infinity", and last[c] is the last
// row in which character c occurred in a.
func damerau[E byte | rune, C uint8 | int32](ra, rb []E, d []C) int {
	la, lb := len(ra), len(rb)
	w := lb + 2
	inf := C(la + lb)
	d[0] = inf
	for i := 0; i <= la; i++ {
		d[(i+1)*w] = inf
		d[(i+1)*w+1] = C(i)
	}
	for j := 0; j <= lb; j++ {
		d[j+1] = inf
		d[w+j+1] = C(j)
	}
	var lastASCII [utf8.RuneSelf]C
	var lastOther []lastSeen // rarely used: non-ASCII letters, linear scan
	for i := 1; i <= la; i++ {
		db := 0
		ca := ra[i-1]
		for j := 1; j <= lb; j++ {
			cb := rb[j-1]
			var i1 int
			if cb < utf8.RuneSelf {
				i1 = int(lastASCII[cb])
			} else {
				i1 = lookupLast(lastOther, rune(cb))
			}
			j1 := db
			cost := C(1)
			if ca == cb {
				cost = 0
				db = j
			}
			v := min(d[i*w+j]+cost, // substitution
				d[(i+1)*w+j]+1, // insertion
				d[i*w+j+1]+1)   // deletion
			t := d[i1*w+j1] + C(i-i1-1) + 1 + C(j-j1-1) // transposition
			d[(i+1)*w+j+1] = min(v, t)
		}
		if ca < utf8.RuneSelf {
			lastASCII[ca] = C(i)
		} else {
			lastOther = setLast(lastOther, rune(ca), i)
		}
	}
	return int(d[(la+1)*w+lb+1])
}

type lastSeen struct {
	r   rune
	row int
}

func lookupLast(s []lastSeen, r rune) int {
	for _, x := range s {
		if x.r == r {
			return x.row
		}
	}
	return 0
}

func setLast(s []lastSeen, r rune, row int) []lastSeen {
	for i := range s {
		if s[i].r == r {
			s[i].row = row
			return s
		}
	}
	return append(s, lastSeen{r, row})
}
