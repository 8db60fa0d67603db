package linkage

import (
	"math"
	"slices"
)

// Decision says how the clustering treated a pair.
type Decision uint8

// The clustering's decisions. A pair's Weight is its own comparison's
// (Score) unless the clustering decided otherwise.
const (
	// ByScore: the pair's own weight decided.
	ByScore Decision = iota
	// ByChain: the pair scored below the threshold, but its records are
	// one person through others (A matches C, C matches B); the pair's
	// weight is that of the weakest link of the chain, the pair whose
	// match merged the records' clusters.
	ByChain
	// ApartFamily: kept apart although the pair scored at or above the
	// threshold: the records' persons include two records of one file and
	// one family group that the model does not match, and a source lists
	// each member of a group once, so they are relatives. The weight is
	// that of those two records.
	ApartFamily
	// ApartMean: kept apart although the pair scored at or above the
	// threshold: the records of the two persons, compared all against
	// all, agree on average below the threshold. The weight is that mean.
	ApartMean
)

var decisionNames = [...]string{"score", "chain", "apart-family", "apart-mean"}

func (c Decision) String() string {
	if int(c) < len(decisionNames) {
		return decisionNames[c]
	}
	return "invalid"
}

// clampWeight bounds each pair's weight in the clusters' mean, so that
// one exact pair cannot outvote several that disagree, nor one garbled
// record sink a person.
const clampWeight = 20

// maxCross is the most pairs across two clusters that the mean weighs;
// beyond it, an even sample of them.
const maxCross = 4096

// merge is one merge of two clusters: records a and b, whose pair merged
// them at weight w.
type merge struct {
	a, b int32
	w    float32
}

// clustering is what the collective clustering decided, for Explain.
type clustering struct {
	merges []merge
	// apart holds, for the pairs kept apart, the two records that made
	// the difference (for ApartFamily) or -1.
	apart map[[2]int32][2]int32
}

// collective clusters the pairs at or above the threshold by falling
// weight, as connected components do, but merges the clusters of a
// pair's records only if the records of the two would-be-merged persons
// agree: no two of them from one file and one family group score below
// the threshold (such records are relatives: a source lists each member
// of a group once), and their pairs, all against all, average at least
// the threshold weight, each pair's weight clamped to ±clampWeight
// (average linkage: one good pair cannot chain two persons whose other
// records disagree). A pair kept apart gets a weight below the threshold
// (see Decision); the pairs of records joined through others are added,
// each weighed by the merge that joined them.
//
// With linkOnly, pairs of records of one table are weighed in the mean
// but not added.
//
// With kin, pairs of records of relatives found by the family model are
// weighed with the prior of their kind of relatives (see kinship).
func collective(d *Dataset, m *Model, pairs []Pair, threshold float64, linkOnly bool, kin *kinship) ([]Pair, []int32, *clustering) {
	n := d.Len()
	tw := float32(MatchWeight(threshold))
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	members := map[int32][]int32{}
	membersOf := func(r int32) []int32 {
		if ms, ok := members[r]; ok {
			return ms
		}
		return []int32{r}
	}
	var order []int
	for k := range pairs {
		if pairs[k].Weight >= tw {
			order = append(order, k)
		}
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case pairs[x].Weight > pairs[y].Weight:
			return -1
		case pairs[x].Weight < pairs[y].Weight:
			return 1
		}
		return 0
	})
	cache := newNameCache()
	weigh := func(x, y int32) float32 {
		return float32(kin.weight(d, m, x, y, d.compare(int(x), int(y), cache)))
	}
	rel := d.rel
	cl := &clustering{apart: map[[2]int32][2]int32{}}
	for _, k := range order {
		p := &pairs[k]
		ra, rb := find(p.A), find(p.B)
		if ra == rb {
			continue
		}
		as, bs := membersOf(ra), membersOf(rb)
		step := 1
		if total := len(as) * len(bs); total > maxCross {
			step = total/maxCross + 1
		}
		var sum float64
		count := 0
		conflict := [2]int32{-1, -1}
		var conflictW float32
		for idx := 0; idx < len(as)*len(bs); idx++ {
			x, y := as[idx/len(bs)], bs[idx%len(bs)]
			familyCheck := rel != nil && d.src[x] == d.src[y] && rel.sameGroup(int(x), int(y))
			if idx%step != 0 && !familyCheck {
				continue
			}
			w := p.Score
			if !(x == p.A && y == p.B || x == p.B && y == p.A) {
				w = weigh(x, y)
			}
			if familyCheck && w < tw {
				conflict, conflictW = [2]int32{x, y}, w
				break
			}
			if idx%step == 0 {
				sum += math.Max(-clampWeight, math.Min(clampWeight, float64(w)))
				count++
			}
		}
		key := [2]int32{p.A, p.B}
		switch {
		case conflict[0] >= 0:
			p.Weight, p.Decision = min(p.Score, conflictW), ApartFamily
			cl.apart[key] = conflict
			continue
		case float32(sum/float64(count)) < tw:
			p.Weight, p.Decision = min(p.Score, float32(sum/float64(count))), ApartMean
			cl.apart[key] = [2]int32{-1, -1}
			continue
		}
		cl.merges = append(cl.merges, merge{p.A, p.B, p.Weight})
		// The smaller number is the root, so that a cluster is named by
		// its first record.
		if rb < ra {
			ra, rb, as, bs = rb, ra, bs, as
		}
		parent[rb] = ra
		members[ra] = append(append(make([]int32, 0, len(as)+len(bs)), as...), bs...)
		delete(members, rb)
	}

	// The pairs the merges joined, each weighed by its merge.
	joined := chainPairs(n, cl.merges)
	if linkOnly {
		joined = slices.DeleteFunc(joined, func(p Pair) bool { return d.src[p.A] == d.src[p.B] })
	}
	out := make([]Pair, 0, len(pairs)+len(joined))
	j := 0
	for k := range pairs {
		p := pairs[k]
		for j < len(joined) && pairLess(joined[j], p) {
			out = append(out, newChainPair(d, m, cache, joined[j], tw, kin))
			j++
		}
		if j < len(joined) && joined[j].A == p.A && joined[j].B == p.B {
			p.Linked = true
			if p.Score >= tw {
				p.Weight, p.Decision = p.Score, ByScore
			} else {
				p.Weight, p.Decision = joined[j].Weight, ByChain
			}
			j++
		} else if p.Weight >= tw {
			// Refused, then never joined: keep it apart.
			p.Weight, p.Decision = min(p.Score, tw-0.01), ApartMean
		}
		out = append(out, p)
	}
	for ; j < len(joined); j++ {
		out = append(out, newChainPair(d, m, cache, joined[j], tw, kin))
	}
	clusters := make([]int32, n)
	for i := range clusters {
		clusters[i] = find(int32(i))
	}
	return out, clusters, cl
}

// pairLess orders pairs by their records.
func pairLess(x, y Pair) bool {
	return x.A < y.A || x.A == y.A && x.B < y.B
}

// chainPairs replays the merges and returns every pair of records they
// join, ordered by records, each with the weight of the merge that joined
// it.
func chainPairs(n int, merges []merge) []Pair {
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	members := map[int32][]int32{}
	membersOf := func(r int32) []int32 {
		if ms, ok := members[r]; ok {
			return ms
		}
		return []int32{r}
	}
	var out []Pair
	for _, mg := range merges {
		ra, rb := find(mg.a), find(mg.b)
		as, bs := membersOf(ra), membersOf(rb)
		for _, x := range as {
			for _, y := range bs {
				a, b := min(x, y), max(x, y)
				out = append(out, Pair{A: a, B: b, Weight: mg.w})
			}
		}
		if rb < ra {
			ra, rb, as, bs = rb, ra, bs, as
		}
		parent[rb] = ra
		members[ra] = append(append(make([]int32, 0, len(as)+len(bs)), as...), bs...)
		delete(members, rb)
	}
	slices.SortFunc(out, func(x, y Pair) int {
		if x.A != y.A {
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	return out
}

// newChainPair completes a pair joined through others with its own
// comparison.
func newChainPair(d *Dataset, m *Model, c *nameCache, p Pair, tw float32, kin *kinship) Pair {
	p.g = d.compare(int(p.A), int(p.B), c)
	p.Kin = kin.of(p.A, p.B)
	p.Score = float32(kin.weight(d, m, p.A, p.B, p.g))
	p.Linked, p.Decision = true, ByChain
	if p.Score >= tw {
		p.Weight, p.Decision = p.Score, ByScore
	}
	return p
}
