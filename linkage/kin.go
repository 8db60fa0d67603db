package linkage

import (
	"math"
	"slices"
)

// Kin says how the family model relates the persons of two records.
type Kin uint8

// Kinds of relatives. Two children of a parent with only those two are
// kept apart from two of a parent with more: a parent with one child in
// the records and that child's records split in two has two children by
// a first clustering, so the share of one person is far higher among the
// former.
const (
	// NoKin: no relation found.
	NoKin Kin = iota
	// KinTwoChildren: the two children of one parent: siblings, or one
	// child whose records the person model did not join.
	KinTwoChildren
	// KinChildren: two of three or more children of one parent.
	KinChildren
	// KinTwoParents: the two parents of one child: the father and the
	// mother, or one parent whose records were not joined.
	KinTwoParents
	// KinParents: two of three or more parents of one child.
	KinParents
	numKin
)

var kinNames = [numKin]string{"", "the two children of one parent", "children of one parent", "the two parents of one child", "parents of one child"}

func (k Kin) String() string {
	if k < numKin {
		return kinNames[k]
	}
	return "invalid"
}

// kinship holds the relatives the family model found among the persons of
// a first clustering, and a model of each kind of relatives. Among two
// children of one parent, the share that are one child is far above the
// share among any two records; and their records' surnames, country and
// A-numbers agree whether they are one child or two siblings, so that
// agreement there is no evidence. So each kind has its own λ, m and u,
// estimated without labels (see fit), and a pair of records of relatives
// is scored with its kind's model.
type kinship struct {
	person []int32 // each record's person in the first clustering
	kind   map[uint64]Kin
	// Lambda is each kind's prior, U its u by field and level.
	Lambda [numKin]float64
	M, U   [numKin][][]float64
	prior  [numKin]float64
	lw     [numKin][maxFields][16]float64
}

// of returns the kind of relatives of records x and y's persons.
func (k *kinship) of(x, y int32) Kin {
	if k == nil {
		return NoKin
	}
	a, b := k.person[x], k.person[y]
	if a > b {
		a, b = b, a
	}
	return k.kind[uint64(a)<<32|uint64(uint32(b))]
}

// weight returns the match weight of records x and y compared as g: the
// model of their persons' kind of relatives, or the person model's.
func (k *kinship) weight(d *Dataset, m *Model, x, y int32, g gamma) float64 {
	if k == nil {
		return m.weight(d, int(x), int(y), g)
	}
	if kd := k.of(x, y); kd != NoKin {
		return k.weightOf(kd, g)
	}
	return m.weight(d, int(x), int(y), g)
}

func (k *kinship) weightOf(kd Kin, g gamma) float64 {
	w := k.prior[kd]
	for f := range k.U[kd] {
		w += k.lw[kd][f][g.level(f)+1]
	}
	return w
}

// fieldWeights returns each field's weight in the pair's score under its
// kind's model.
func (k *kinship) fieldWeights(kd Kin, g gamma, dst []float64) []float64 {
	dst = dst[:0]
	for f := range k.U[kd] {
		dst = append(dst, k.lw[kd][f][g.level(f)+1])
	}
	return dst
}

// relink links the records again with the family structure: it finds the
// persons that are children of one parent or parents of one child, scores
// every pair of their records with the prior of such relatives, and
// clusters all pairs again. Two records of one child that the person
// model alone could not join (a shelter's record with an estimated date
// of birth, a border record with a nickname) are joined when each is
// found to be the child of the same parent; siblings stay apart, because
// their given names and dates of birth disagree.
func relink(res *Result, fs *Families, keep, threshold float64, linkOnly bool) {
	d, m := res.Data, res.Model
	kin := &kinship{person: slices.Clone(res.Cluster), kind: map[uint64]Kin{}}
	children := map[int32][]int32{}
	parents := map[int32][]int32{}
	for _, p := range fs.Pairs {
		children[p.Parent] = append(children[p.Parent], p.Child)
		parents[p.Child] = append(parents[p.Child], p.Parent)
	}
	type kinPair struct {
		x, y int32
		k    Kin
	}
	var pairs []kinPair
	add := func(group map[int32][]int32, two, more Kin) {
		for _, ps := range group {
			k := more
			if len(ps) == 2 {
				k = two
			}
			for i := range ps {
				for j := i + 1; j < len(ps); j++ {
					x, y := min(ps[i], ps[j]), max(ps[i], ps[j])
					if grouped(d, fs.members[x], fs.members[y]) {
						continue // members of one group: two persons
					}
					key := uint64(x)<<32 | uint64(uint32(y))
					if old, ok := kin.kind[key]; !ok {
						kin.kind[key] = k
						pairs = append(pairs, kinPair{x, y, k})
					} else if k < old {
						kin.kind[key] = k // the most telling kind
					}
				}
			}
		}
	}
	add(children, KinTwoChildren, KinChildren)
	add(parents, KinTwoParents, KinParents)
	res.kin = kin
	if len(pairs) == 0 {
		return
	}
	for i := range pairs {
		pairs[i].k = kin.kind[uint64(pairs[i].x)<<32|uint64(uint32(pairs[i].y))]
	}
	slices.SortFunc(pairs, func(a, b kinPair) int {
		if a.x != b.x {
			return int(a.x - b.x)
		}
		return int(a.y - b.y)
	})

	// Every pair of records of relatives, and each kind's model.
	type scored struct {
		a, b int32
		g    gamma
		k    Kin
	}
	var recs []scored
	cache := newNameCache()
	counts := [numKin]map[gamma]float64{}
	for _, kp := range pairs {
		if counts[kp.k] == nil {
			counts[kp.k] = map[gamma]float64{}
		}
		// Each pair of persons counts once, whatever its records: λ is
		// the share of one person among pairs of relatives.
		share := 1 / float64(len(fs.members[kp.x])*len(fs.members[kp.y]))
		for _, x := range fs.members[kp.x] {
			for _, y := range fs.members[kp.y] {
				if linkOnly && d.src[x] == d.src[y] {
					continue
				}
				a, b := min(x, y), max(x, y)
				g := d.compare(int(a), int(b), cache)
				recs = append(recs, scored{a, b, g, kp.k})
				counts[kp.k][g] += share
			}
		}
	}
	for k := NoKin + 1; k < numKin; k++ {
		kin.fit(k, m, counts[k])
	}

	// The pairs of relatives replace the first scoring's pairs of the same
	// records, and all are clustered again.
	keepW := float32(MatchWeight(keep))
	byPair := map[uint64]int{}
	for i, p := range res.Pairs {
		byPair[uint64(p.A)<<32|uint64(uint32(p.B))] = i
	}
	all := slices.Clone(res.Pairs)
	for i := range all {
		all[i].Weight, all[i].Decision, all[i].Linked = all[i].Score, ByScore, false
	}
	for _, r := range recs {
		w := float32(kin.weightOf(r.k, r.g))
		p := Pair{A: r.a, B: r.b, Weight: w, Score: w, g: r.g, Kin: r.k}
		if i, ok := byPair[uint64(r.a)<<32|uint64(uint32(r.b))]; ok {
			all[i] = p
		} else if w >= keepW {
			all = append(all, p)
		}
	}
	slices.SortFunc(all, func(x, y Pair) int {
		if x.A != y.A {
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	res.Pairs, res.Cluster, res.clustering = collective(d, m, all, threshold, linkOnly, kin)
	res.kin = kin
}

// fit estimates the model of a kind of relatives from the patterns of
// its pairs of records (each pair of persons counted once), by
// expectation-maximisation of m, u and λ together. The person model's m
// would not do: the records of one person that it left apart are the
// hard ones (an estimated date of birth, a child under another surname),
// so their agreement is not that of matching pairs at large. m starts
// from the person model's; u from the level shares among the pairs that
// disagree entirely (level 0) on some other field, which are two
// relatives rather than one person, and agree as relatives do (the same
// surnames, country and A-number series); λ from one half.
func (k *kinship) fit(kd Kin, m *Model, counts map[gamma]float64) {
	nf := len(m.Fields)
	k.M[kd], k.U[kd] = make([][]float64, nf), make([][]float64, nf)
	pats := mergePatterns([]map[gamma]float64{counts})
	active := make([]bool, nf)
	for f := range nf {
		k.M[kd][f] = slices.Clone(m.Fields[f].M)
		k.U[kd][f] = slices.Clone(m.Fields[f].U)
		active[f] = true
		var sure []pattern
		for _, p := range pats {
			for o := range nf {
				if o != f && p.g.level(o) == 0 {
					sure = append(sure, p)
					break
				}
			}
		}
		if len(sure) > 0 {
			k.U[kd][f] = levelShare(sure, f, len(m.Fields[f].M), nil)
		}
	}
	k.Lambda[kd] = m.Lambda
	if len(pats) > 0 {
		k.Lambda[kd], _ = emFree(pats, active, k.M[kd], k.U[kd], 0.5)
	}
	k.prior[kd] = MatchWeight(k.Lambda[kd])
	for f := range k.U[kd] {
		for l := range k.U[kd][f] {
			k.lw[kd][f][l+1] = math.Log2(k.M[kd][f][l] / k.U[kd][f][l])
		}
	}
}

// grouped reports whether two persons have records of one file in one
// family group: a source lists each member of a group once, so they are
// two persons, and the clustering keeps them apart anyway.
func grouped(d *Dataset, xs, ys []int32) bool {
	if d.rel == nil || len(d.rel.groups) == 0 {
		return false
	}
	for _, x := range xs {
		for _, y := range ys {
			if d.src[x] == d.src[y] && d.rel.sameGroup(int(x), int(y)) {
				return true
			}
		}
	}
	return false
}
