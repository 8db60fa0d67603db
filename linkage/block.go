package linkage

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// A BlockingRule groups records by a key: every two records with the same
// key (from different tables, when linking) are a candidate pair. The
// candidates of a blocking are the union of the pairs of its rules, each
// pair compared once.
type BlockingRule struct {
	// Name describes the rule, as in "surname key + birth year".
	Name string
	// Fields are the indices of the Dataset fields the key is built from.
	// A training round blocked on the rule does not estimate them.
	Fields []int
	// Key returns record r's key, or 0 if the record has none (a value
	// the key needs is missing).
	Key func(r int) uint64
	// Keys, when set instead of Key, appends several keys of record r to
	// dst: two records are in a block when they share any key.
	Keys func(r int, dst []uint64) []uint64

	// exact: the key is the exact values of Fields, so that two records
	// share it exactly when they agree at the fields' exact levels.
	exact bool
	// needs, when set, limits the rule to the pairs in which at least one
	// record passes it: full names built from given names and surnames
	// meet each other under the name rules already.
	needs func(r int) bool
}

// hasher is a small deterministic 64-bit hash (FNV-1a over the input,
// with a final mix), so that keys and samples are the same from run to
// run.
type hasher uint64

const hashSeed hasher = 14695981039346656037

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * 1099511628211
	}
	return (h ^ 0xff) * 1099511628211 // end of string, so ("ab","c") ≠ ("a","bc")
}

// raw hashes s without marking its end, so that two calls hash the
// concatenation.
func (h hasher) raw(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * 1099511628211
	}
	return h
}

func (h hasher) u64(x uint64) hasher {
	for i := 0; i < 8; i++ {
		h = (h ^ hasher(x&0xff)) * 1099511628211
		x >>= 8
	}
	return h
}

// sum returns the final hash, never 0 (0 means "no key").
func (h hasher) sum() uint64 {
	x := uint64(h)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	if x == 0 {
		x = 1
	}
	return x
}

// mix64 scrambles a 64-bit value (the SplitMix64 finaliser).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// firstKey returns the phonetic key of a name's first word, or "".
func firstKey(n *Name) string {
	if len(n.Keys) == 0 {
		return ""
	}
	return n.Keys[0]
}

func lastKey(n *Name) string {
	if len(n.Keys) == 0 {
		return ""
	}
	return n.Keys[len(n.Keys)-1]
}

// fieldOf returns the index of the first field of kind k, or -1.
func (d *Dataset) fieldOf(k Kind) int {
	for i := range d.Fields {
		if d.Fields[i].Kind == k {
			return i
		}
	}
	return -1
}

// BlockingRules returns the blocking rules suited to the dataset's
// fields, in order of priority (Link keeps them in this order while its
// comparison budget lasts):
//
//   - for each identifier or A-number: the same value;
//   - the phonetic keys of the first given name and the first surname, in
//     either order (so that given names and surnames swapped between
//     fields still meet);
//   - the phonetic key of the first surname and the year of the first
//     date (the date of birth);
//   - the phonetic key of the first given name and the whole first date;
//   - the first date and each place;
//   - the first three letters of the surnames and each place;
//   - for each full name: the keys of any two of its words, in any order
//     (so that "Godoy, Jefferson Josué" meets "Jefferson Godoy Romero"),
//     and the keys of its first and last words with the year of the first
//     date;
//   - for each identifier: one typo apart (a digit changed, dropped,
//     added, or two swapped), by the deletion neighbourhood;
//
// then broader rules, which a large dataset's budget leaves out: the
// first date alone; each text field's exact value (an e-mail address); the
// given-name key and each place; the surname key alone; the given-name key
// and the birth year. When no name, date or identifier is mapped, each
// field's exact value is a rule.
func (d *Dataset) BlockingRules() []BlockingRule {
	var rules, typos []BlockingRule
	given, surname := d.fieldOf(KindGiven), d.fieldOf(KindSurname)
	date := d.firstDate
	var places, texts, ids []int
	for i := range d.Fields {
		switch d.Fields[i].Kind {
		case KindPlace:
			places = append(places, i)
		case KindText:
			texts = append(texts, i)
		case KindIdentifier, KindANumber:
			ids = append(ids, i)
		}
	}
	for _, i := range ids {
		f := &d.Fields[i]
		rules = append(rules, d.exactRule(i))
		typos = append(typos, BlockingRule{Name: f.Name + " one typo apart", Fields: []int{i}, Keys: func(r int, dst []uint64) []uint64 {
			s := f.strs[r]
			if len(s) < 4 {
				return dst
			}
			for k := 0; k < len(s); k++ {
				dst = append(dst, hashSeed.raw(s[:k]).str(s[k+1:]).sum())
			}
			return dst
		}})
	}
	ps := d.persons
	givenKey := func(r int) string { return firstKey(&ps[r].Given) }
	surnameKey := func(r int) string { return firstKey(&ps[r].Surname1) }
	var dates []Date
	if date >= 0 {
		dates = d.Fields[date].dates
	}
	if given >= 0 && surname >= 0 {
		rules = append(rules, BlockingRule{Name: "given and surname keys", Fields: []int{given, surname}, Key: func(r int) uint64 {
			a, b := givenKey(r), surnameKey(r)
			if a == "" || b == "" {
				return 0
			}
			if a > b {
				a, b = b, a
			}
			return hashSeed.str(a).str(b).sum()
		}})
	}
	if surname >= 0 && date >= 0 {
		rules = append(rules, keyAndYear("surname key + birth year", []int{surname, date}, surnameKey, dates))
	}
	if given >= 0 && date >= 0 {
		rules = append(rules, BlockingRule{Name: "given key + birth date", Fields: []int{given, date}, Key: func(r int) uint64 {
			k := givenKey(r)
			if k == "" || !dates[r].complete() {
				return 0
			}
			return hashSeed.str(k).u64(dateBits(dates[r])).sum()
		}})
	}
	for _, p := range places {
		if date < 0 {
			break
		}
		strs := d.Fields[p].strs
		rules = append(rules, BlockingRule{Name: "birth date + " + d.Fields[p].Name, Fields: []int{date, p}, Key: func(r int) uint64 {
			if !dates[r].complete() || strs[r] == "" {
				return 0
			}
			return hashSeed.u64(dateBits(dates[r])).str(strs[r]).sum()
		}})
	}
	for _, p := range places {
		if surname < 0 {
			break
		}
		strs := d.Fields[p].strs
		rules = append(rules, BlockingRule{Name: "surname prefix + " + d.Fields[p].Name, Fields: []int{surname, p}, Key: func(r int) uint64 {
			g := ps[r].Surnames.Glued
			if len(g) < 3 || strs[r] == "" {
				return 0
			}
			return hashSeed.str(g[:3]).str(strs[r]).sum()
		}})
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Kind != KindFullName {
			continue
		}
		var real func(int) bool
		if f.synthOf != nil {
			real = func(r int) bool { return !f.synthOf[f.src[r]] }
		}
		rules = append(rules, BlockingRule{Name: f.Name + " two words' keys", Fields: []int{i}, needs: real, Keys: func(r int, dst []uint64) []uint64 {
			keys := f.names[r].Keys
			if len(keys) == 1 {
				return append(dst, hashSeed.str(keys[0]).sum())
			}
			for x := 0; x < min(len(keys), maxWords); x++ {
				for y := x + 1; y < min(len(keys), maxWords); y++ {
					a, b := keys[x], keys[y]
					if a > b {
						a, b = b, a
					}
					dst = append(dst, hashSeed.str(a).str(b).sum())
				}
			}
			return dst
		}})
		if date >= 0 {
			first := keyAndYear(f.Name+" first key + birth year", []int{i, date}, func(r int) string { return firstKey(&f.names[r]) }, dates)
			last := keyAndYear(f.Name+" last key + birth year", []int{i, date}, func(r int) string { return lastKey(&f.names[r]) }, dates)
			first.needs, last.needs = real, real
			rules = append(rules, first, last)
		}
	}
	rules = append(rules, typos...)

	// The broad rules.
	if date >= 0 {
		rules = append(rules, BlockingRule{Name: "same " + d.Fields[date].Name, Fields: []int{date}, Key: func(r int) uint64 {
			if !dates[r].complete() {
				return 0
			}
			return hashSeed.u64(dateBits(dates[r])).sum()
		}})
	}
	for _, t := range texts {
		rules = append(rules, d.exactRule(t))
	}
	for _, p := range places {
		if given < 0 {
			break
		}
		strs := d.Fields[p].strs
		rules = append(rules, BlockingRule{Name: "given key + " + d.Fields[p].Name, Fields: []int{given, p}, Key: func(r int) uint64 {
			k := givenKey(r)
			if k == "" || strs[r] == "" {
				return 0
			}
			return hashSeed.str(k).str(strs[r]).sum()
		}})
	}
	if surname >= 0 {
		rules = append(rules, BlockingRule{Name: "surname key", Fields: []int{surname}, Key: func(r int) uint64 {
			if k := surnameKey(r); k != "" {
				return hashSeed.str(k).sum()
			}
			return 0
		}})
	}
	if given >= 0 && date >= 0 {
		rules = append(rules, keyAndYear("given key + birth year", []int{given, date}, givenKey, dates))
	}
	if len(rules) == 0 {
		for i := range d.Fields {
			rules = append(rules, d.exactRule(i))
		}
	}
	return rules
}

// keyAndYear blocks on a name key and the year of a date.
func keyAndYear(name string, fields []int, key func(int) string, dates []Date) BlockingRule {
	return BlockingRule{Name: name, Fields: fields, Key: func(r int) uint64 {
		k := key(r)
		if k == "" || dates[r].Year == 0 {
			return 0
		}
		return hashSeed.str(k).u64(uint64(dates[r].Year)).sum()
	}}
}

// exactRule blocks on the exact value of field i.
func (d *Dataset) exactRule(i int) BlockingRule {
	f := &d.Fields[i]
	return BlockingRule{Name: "same " + f.Name, Fields: []int{i}, exact: true, Key: func(r int) uint64 {
		if f.val[r] == 0 {
			return 0
		}
		return hashSeed.u64(uint64(f.val[r])).sum()
	}}
}

// exactRuleOf blocks on the exact values of several fields at once.
func (d *Dataset) exactRuleOf(name string, fields []int) BlockingRule {
	return BlockingRule{Name: name, Fields: fields, exact: true, Key: func(r int) uint64 {
		h := hashSeed
		for _, i := range fields {
			v := d.Fields[i].val[r]
			if v == 0 {
				return 0
			}
			h = h.u64(uint64(v))
		}
		return h.sum()
	}}
}

func dateBits(d Date) uint64 {
	return uint64(uint16(d.Year))<<16 | uint64(uint8(d.Month))<<8 | uint64(uint8(d.Day))
}

// blocking enumerates the candidate pairs of a union of rules, each pair
// once.
type blocking struct {
	d        *Dataset
	linkOnly bool
	// idx holds the rules that were kept, in the order they are
	// enumerated: rules with one key per record first, then rules with
	// several, so that the check "did an earlier rule find this pair?"
	// is cheap for most rules.
	idx []*ruleIndex
	// big holds, per record, bit q set if its block under the one-key
	// rule idx[q] is over the cap.
	big    []uint32
	blocks []blockSpan
	// Stats holds every rule's counts, in the order the rules were given.
	Stats []RuleStats
}

// ruleIndex is one rule's keys and blocks.
type ruleIndex struct {
	rule  BlockingRule
	stat  int      // index in Stats
	key   []uint64 // one-key rule: each record's key
	off   []uint32 // several keys: record r's keys are keys[off[r]:off[r+1]], sorted
	keys  []uint64
	ents  []entry // (key, record) sorted by key then record
	spans []blockSpan
	// capped holds the keys of the blocks over the cap, for rules with
	// several keys.
	capped map[uint64]bool
	raw    int64 // pairs in the blocks under the cap
}

type entry struct {
	key uint64
	rec uint32
}

type blockSpan struct {
	rule   int32 // index in blocking.idx
	lo, hi int32 // in ents
}

// RuleStats counts what a blocking rule did.
type RuleStats struct {
	Rule string
	// Skipped: the rule's blocks held more pairs than the comparison
	// budget had left, so the rule was not used.
	Skipped bool
	// Blocks is the number of keys shared by two records or more.
	Blocks int
	// Largest is the size of the largest block, capped or not.
	Largest int
	// Raw is the number of pairs in the blocks under the cap.
	Raw int64
	// Pairs is the number of pairs the rule found that no earlier rule
	// had found: the pairs it added to the candidates.
	Pairs int64
	// Capped is the number of blocks over the size cap, whose pairs were
	// not compared, and Dropped the number of pairs they held (some of
	// which other rules may have found).
	Capped  int
	Dropped int64
}

// newBlocking computes the keys and blocks of the rules and keeps, in
// the order given, each rule whose blocks hold no more pairs than the
// budget has left (budget ≤ 0: no limit). With linkOnly only pairs of
// records from different tables count. Blocks of more than maxBlock
// records (maxBlock ≤ 0: no limit) are skipped, and their pairs counted
// as dropped.
func newBlocking(d *Dataset, rules []BlockingRule, linkOnly bool, maxBlock int, budget int64, workers int) *blocking {
	n := d.Len()
	b := &blocking{d: d, linkOnly: linkOnly, big: make([]uint32, n), Stats: make([]RuleStats, len(rules))}
	all := make([]*ruleIndex, len(rules))
	for q := range rules {
		all[q] = b.index(rules[q], q, maxBlock, workers)
	}
	// Keep the rules within the budget, one-key rules first, at most 32
	// of them (big has a bit per rule).
	left := budget
	var single, multi []*ruleIndex
	for _, ri := range all {
		st := &b.Stats[ri.stat]
		if (budget > 0 && ri.raw > left) || (ri.rule.Keys == nil && len(single) == 32) {
			st.Skipped = true
			continue
		}
		left -= ri.raw
		if ri.rule.Keys == nil {
			single = append(single, ri)
		} else {
			multi = append(multi, ri)
		}
	}
	b.idx = append(single, multi...)
	for q, ri := range b.idx {
		if ri.rule.Keys == nil {
			for _, sp := range ri.spans {
				if sp.rule < 0 { // over the cap
					for _, e := range ri.ents[sp.lo:sp.hi] {
						b.big[e.rec] |= 1 << q
					}
				}
			}
		}
		for _, sp := range ri.spans {
			if sp.rule >= 0 {
				b.blocks = append(b.blocks, blockSpan{int32(q), sp.lo, sp.hi})
			}
		}
		ri.spans = nil
	}
	return b
}

// index computes one rule's keys, sorts them and finds its blocks; a
// block over the cap gets rule −1.
func (b *blocking) index(rule BlockingRule, stat, maxBlock, workers int) *ruleIndex {
	d := b.d
	n := d.Len()
	ri := &ruleIndex{rule: rule, stat: stat}
	st := &b.Stats[stat]
	st.Rule = rule.Name
	if rule.Keys == nil {
		ri.key = make([]uint64, n)
		parallelRange(n, workers, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				ri.key[r] = rule.Key(r)
			}
		})
		for r, k := range ri.key {
			if k != 0 {
				ri.ents = append(ri.ents, entry{k, uint32(r)})
			}
		}
	} else {
		ri.off = make([]uint32, n+1)
		var buf []uint64
		for r := 0; r < n; r++ {
			buf = sortedDistinct(rule.Keys(r, buf[:0]))
			for _, k := range buf {
				ri.keys = append(ri.keys, k)
				ri.ents = append(ri.ents, entry{k, uint32(r)})
			}
			ri.off[r+1] = uint32(len(ri.keys))
		}
		ri.capped = map[uint64]bool{}
	}
	ri.ents = sortEntries(ri.ents)
	for lo := 0; lo < len(ri.ents); {
		hi := lo + 1
		for hi < len(ri.ents) && ri.ents[hi].key == ri.ents[lo].key {
			hi++
		}
		if hi-lo >= 2 {
			pairs := b.blockPairs(ri.ents[lo:hi], rule.needs)
			if pairs > 0 {
				st.Blocks++
				st.Largest = max(st.Largest, hi-lo)
				sp := blockSpan{0, int32(lo), int32(hi)}
				if maxBlock > 0 && hi-lo > maxBlock {
					st.Capped++
					st.Dropped += pairs
					sp.rule = -1
					if ri.capped != nil {
						ri.capped[ri.ents[lo].key] = true
					}
				} else {
					ri.raw += pairs
				}
				ri.spans = append(ri.spans, sp)
			}
		}
		lo = hi
	}
	st.Raw = ri.raw
	return ri
}

// sortedDistinct sorts keys and drops repeats and zeros.
func sortedDistinct(keys []uint64) []uint64 {
	slices.Sort(keys)
	out := keys[:0]
	for i, k := range keys {
		if k != 0 && (i == 0 || k != keys[i-1]) {
			out = append(out, k)
		}
	}
	return out
}

// blockPairs counts the pairs of a block: all of them, or those across
// tables when linking, less those the rule's needs leaves out.
func (b *blocking) blockPairs(ents []entry, needs func(int) bool) int64 {
	pairs := func(count func(e entry) bool) int64 {
		n, same := int64(0), int64(0)
		// Records are numbered table by table, and a block's entries are
		// sorted by record, so they are grouped by table.
		for lo := 0; lo < len(ents); {
			hi, k := lo, int64(0)
			for hi < len(ents) && b.d.src[ents[hi].rec] == b.d.src[ents[lo].rec] {
				if count(ents[hi]) {
					k++
				}
				hi++
			}
			n += k
			same += k * (k - 1) / 2
			lo = hi
		}
		if b.linkOnly {
			return n*(n-1)/2 - same
		}
		return n * (n - 1) / 2
	}
	all := pairs(func(entry) bool { return true })
	if needs == nil {
		return all
	}
	return all - pairs(func(e entry) bool { return !needs(int(e.rec)) })
}

// firstShared returns the smallest key records i and j share under a
// rule with several keys, leaving out the keys of blocks over the cap,
// or 0.
func (ri *ruleIndex) firstShared(i, j int) uint64 {
	a, c := ri.keys[ri.off[i]:ri.off[i+1]], ri.keys[ri.off[j]:ri.off[j+1]]
	for x, y := 0, 0; x < len(a) && y < len(c); {
		switch {
		case a[x] < c[y]:
			x++
		case a[x] > c[y]:
			y++
		default:
			if !ri.capped[a[x]] {
				return a[x]
			}
			x++
			y++
		}
	}
	return 0
}

// covered reports whether a rule enumerated before rule q puts records i
// and j in a block that was compared.
func (b *blocking) covered(q, i, j int) bool {
	for p := 0; p < q; p++ {
		ri := b.idx[p]
		if n := ri.rule.needs; n != nil && !n(i) && !n(j) {
			continue
		}
		if ri.key != nil {
			k := ri.key
			if k[i] == k[j] && k[i] != 0 && (b.big[i]>>p)&1 == 0 {
				return true
			}
		} else if ri.firstShared(i, j) != 0 {
			return true
		}
	}
	return false
}

// pairs calls visit for every candidate pair (i < j), each once, from
// workers goroutines; visit's first argument is the worker's number, so
// that it can keep per-worker state. It counts the pairs per rule in
// Stats.
func (b *blocking) pairs(workers int, visit func(w, i, j int)) {
	var next atomic.Int64
	counts := make([][]int64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		counts[w] = make([]int64, len(b.idx))
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := b.d.src
			for {
				// Take a few blocks at a time: most blocks are small.
				lo := int(next.Add(64)) - 64
				if lo >= len(b.blocks) {
					return
				}
				for _, bs := range b.blocks[lo:min(lo+64, len(b.blocks))] {
					q := int(bs.rule)
					ri := b.idx[q]
					ents := ri.ents[bs.lo:bs.hi]
					multi, needs := ri.key == nil, ri.rule.needs
					for x := 0; x < len(ents); x++ {
						i := int(ents[x].rec)
						for y := x + 1; y < len(ents); y++ {
							j := int(ents[y].rec)
							if b.linkOnly && src[i] == src[j] {
								continue
							}
							if needs != nil && !needs(i) && !needs(j) {
								continue
							}
							if multi && ri.firstShared(i, j) != ents[x].key {
								continue // the pair belongs to another block of the rule
							}
							if q > 0 && b.covered(q, i, j) {
								continue
							}
							counts[w][q]++
							visit(w, i, j)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	for q, ri := range b.idx {
		st := &b.Stats[ri.stat]
		st.Pairs = 0
		for w := range counts {
			st.Pairs += counts[w][q]
		}
	}
}

// shared names the kept rules under which records a and b share a key in
// a block that was compared.
func (b *blocking) shared(a, c int) []string {
	var out []string
	for q, ri := range b.idx {
		if n := ri.rule.needs; n != nil && !n(a) && !n(c) {
			continue
		}
		if ri.key != nil {
			if ri.key[a] == ri.key[c] && ri.key[a] != 0 && (b.big[a]>>q)&1 == 0 {
				out = append(out, ri.rule.Name)
			}
		} else if ri.firstShared(a, c) != 0 {
			out = append(out, ri.rule.Name)
		}
	}
	return out
}

// sortEntries sorts entries by key, and within a key keeps their order
// (by record, as they were made): a least-significant-digit radix sort,
// eight bits at a time, skipping the digits all keys share.
func sortEntries(ents []entry) []entry {
	if len(ents) < 2 {
		return ents
	}
	if len(ents) < 256 {
		slices.SortStableFunc(ents, func(x, y entry) int {
			switch {
			case x.key < y.key:
				return -1
			case x.key > y.key:
				return 1
			}
			return 0
		})
		return ents
	}
	tmp := make([]entry, len(ents))
	for shift := uint(0); shift < 64; shift += 8 {
		var count [257]int
		for _, e := range ents {
			count[(e.key>>shift)&0xff+1]++
		}
		if count[(ents[0].key>>shift)&0xff+1] == len(ents) {
			continue // every key has this digit
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, e := range ents {
			dg := (e.key >> shift) & 0xff
			tmp[count[dg]] = e
			count[dg]++
		}
		ents, tmp = tmp, ents
	}
	return ents
}

// parallelRange calls fn on consecutive ranges covering [0, n), from up
// to workers goroutines.
func parallelRange(n, workers int, fn func(lo, hi int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n < 4096 || workers == 1 {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(n, lo+chunk))
	}
	wg.Wait()
}
