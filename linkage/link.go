package linkage

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Options are the settings of Link.
type Options struct {
	// Threshold is the match probability at or above which a pair joins
	// a cluster (default 0.5).
	Threshold float64
	// Keep is the least match probability of the pairs returned (default:
	// Threshold). Pairs below it are scored but not kept.
	Keep float64
	// MaxBlock is the largest block compared: a blocking key shared by
	// more records is skipped and its pairs counted as dropped (default
	// 500).
	MaxBlock int
	// MaxPairs is the comparison budget: blocking rules are kept, in
	// order, while the pairs of their blocks fit in it, and when all
	// pairs of records fit, every pair is compared (default: 2,000,000 or
	// 50 per record, whichever is more).
	MaxPairs int64
	// OneToOne links each record to at most one record of each other
	// table: pairs are taken greedily by falling probability, and a pair
	// whose records already have a partner in the other's table is left
	// out of the clusters.
	OneToOne bool
	// Pairwise clusters by connected components of the pairs at or above
	// the threshold, each pair's weight its own. By default the
	// clustering is collective: a pair joins two clusters only if their
	// records agree as a whole and include no two relatives of one family
	// group, and pairs joined through other records are added (see
	// Decision).
	Pairwise bool
	// Dedupe also compares records of the same table when several tables
	// are linked. With one table, records are always compared with each
	// other.
	Dedupe bool
	// Rules replaces the blocking rules chosen from the fields.
	Rules []BlockingRule
	// Train holds the training settings; LinkOnly is set from Dedupe.
	Train TrainOptions
	// Model, when set, is used as is instead of training one (see
	// Model.Check).
	Model *Model
	// Workers is the number of goroutines (0: one per CPU).
	Workers int
	// NoScoring trains and blocks but scores no pair, for a run that only
	// explains pairs (Result.Explain).
	NoScoring bool
	// Progress, when set, receives a line at the end of each stage.
	Progress func(string)
	// ParentChild also runs the parent-child model over the persons
	// found (see ParentChild); Family holds its settings.
	ParentChild bool
	Family      FamilyOptions
	// NoFamily keeps the family structure out of the person clustering.
	// By default, when the mappings name family or parent columns, the
	// family model runs after a first clustering, and the records of
	// persons it finds to be children of one parent (or parents of one
	// child) are scored again with the prior of such relatives and
	// clustered again (see Kin).
	NoFamily bool
}

// Result is the outcome of Link.
type Result struct {
	Data  *Dataset
	Model *Model
	Train *TrainReport
	// Pairs are the scored pairs at or above Options.Keep, ordered by
	// their records.
	Pairs []Pair
	// Cluster holds each record's cluster: the smallest record number in
	// it.
	Cluster []int32
	// Blocking counts, per blocking rule, the pairs found and dropped.
	Blocking []RuleStats
	// Comparisons is the number of candidate pairs scored.
	Comparisons int64
	// Timings holds the duration of each stage.
	Timings []Timing
	// Families holds the parent-child pairs, with Options.ParentChild.
	Families *Families

	blocking   *blocking
	clustering *clustering
	threshold  float64
	kin        *kinship
}

// Timing is the duration of one stage of Link.
type Timing struct {
	Stage string
	Took  time.Duration
}

// Pair is a scored pair of records, A < B.
type Pair struct {
	A, B int32
	// Weight is the pair's match weight: its own comparison's (Score),
	// unless the clustering decided otherwise (see Decision).
	Weight float32
	// Score is the match weight of the pair's own comparison: the prior
	// and the fields' weights.
	Score float32
	g     gamma
	// Linked reports whether the pair joined the records' cluster: its
	// probability is at or above the threshold and, with OneToOne, the
	// greedy assignment took it.
	Linked bool
	// Decision says how the clustering set Weight.
	Decision Decision
	// Kin is set when the family model found the records' persons to be
	// relatives; Score then has the prior of such relatives (see Kin).
	Kin Kin
}

// Probability returns the pair's match probability.
func (p Pair) Probability() float64 { return Probability(float64(p.Weight)) }

// Level returns the pair's comparison level on field k (−1: missing).
func (p Pair) Level(k int) int { return p.g.level(k) }

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// Link dedupes one table or links several: it prepares the records,
// trains a model unless one is given, scores the candidate pairs of the
// blocking rules and clusters the pairs above the threshold.
func Link(tables []*Table, opt Options) (*Result, error) {
	if opt.Threshold <= 0 {
		opt.Threshold = 0.5
	}
	if opt.Keep <= 0 {
		opt.Keep = opt.Threshold
	}
	if opt.MaxBlock <= 0 {
		opt.MaxBlock = 500
	}
	if opt.Workers <= 0 {
		opt.Workers = defaultWorkers()
	}
	res := &Result{threshold: opt.Threshold}
	stage := time.Now()
	mark := func(name, detail string) {
		now := time.Now()
		res.Timings = append(res.Timings, Timing{name, now.Sub(stage)})
		if opt.Progress != nil {
			opt.Progress(fmt.Sprintf("%-9s %6.2fs  %s", name, now.Sub(stage).Seconds(), detail))
		}
		stage = now
	}
	d, err := NewDataset(tables, opt.Workers)
	if err != nil {
		return nil, err
	}
	res.Data = d
	mark("prepare", fmt.Sprintf("%d records, %d fields", d.Len(), len(d.Fields)))

	linkOnly := len(tables) > 1 && !opt.Dedupe
	if opt.Model != nil {
		if err := opt.Model.Check(d); err != nil {
			return nil, err
		}
		res.Model = opt.Model
		res.Model.prepare(d)
	} else {
		to := opt.Train
		to.LinkOnly = linkOnly
		if to.Workers <= 0 {
			to.Workers = opt.Workers
		}
		res.Model, res.Train = Train(d, to)
		mark("train", fmt.Sprintf("λ = %.3g", res.Model.Lambda))
	}

	if opt.MaxPairs <= 0 {
		opt.MaxPairs = max(2_000_000, 50*int64(d.Len()))
	}
	rules, maxBlock := opt.Rules, opt.MaxBlock
	if rules == nil {
		rules = d.BlockingRules()
		if d.totalPairs(linkOnly) <= float64(opt.MaxPairs) {
			rules = []BlockingRule{{Name: "all pairs", Key: func(int) uint64 { return 1 }}}
			maxBlock = 0
		}
	}
	b := newBlocking(d, rules, linkOnly, maxBlock, opt.MaxPairs, opt.Workers)
	mark("block", fmt.Sprintf("%d rules, %d blocks", len(b.idx), len(b.blocks)))

	if opt.NoScoring {
		res.Blocking, res.blocking = b.Stats, b
		res.Cluster = cluster(d, nil, opt.Threshold, false)
		return res, nil
	}
	res.Pairs, res.Comparisons = score(d, res.Model, b, opt)
	res.Blocking = b.Stats
	for _, ri := range b.idx {
		ri.ents = nil // only the keys are needed from here on, by Explain
	}
	b.blocks = nil
	res.blocking = b
	mark("score", fmt.Sprintf("%d comparisons, %d pairs kept", res.Comparisons, len(res.Pairs)))

	if opt.OneToOne || opt.Pairwise {
		res.Cluster = cluster(d, res.Pairs, opt.Threshold, opt.OneToOne)
	} else {
		res.Pairs, res.Cluster, res.clustering = collective(d, res.Model, res.Pairs, opt.Threshold, linkOnly, nil)
		// Pairs the clustering kept apart fall below the threshold, and
		// perhaps below Keep.
		keepW := float32(MatchWeight(opt.Keep))
		res.Pairs = slices.DeleteFunc(res.Pairs, func(p Pair) bool { return p.Weight < keepW })
	}
	mark("cluster", "")
	family := d.rel != nil && (len(d.rel.groups) > 0 || len(d.rel.parents) > 0) && !opt.Pairwise && !opt.OneToOne && !opt.NoFamily
	if opt.ParentChild || family {
		fo := opt.Family
		if fo.Seed == 0 {
			fo.Seed = opt.Train.Seed
		}
		if fo.Workers <= 0 {
			fo.Workers = opt.Workers
		}
		res.Families = ParentChild(res, fo)
		mark("family", fmt.Sprintf("%d candidate pairs, %d parent-child pairs", res.Families.Model.Candidates, len(res.Families.Pairs)))
		if family {
			relink(res, res.Families, opt.Keep, opt.Threshold, linkOnly)
			keepW := float32(MatchWeight(opt.Keep))
			res.Pairs = slices.DeleteFunc(res.Pairs, func(p Pair) bool { return p.Weight < keepW })
			mark("relink", fmt.Sprintf("λ of two children of one parent %.3g, of more %.3g; of two parents of one child %.3g, of more %.3g",
				res.kin.Lambda[KinTwoChildren], res.kin.Lambda[KinChildren], res.kin.Lambda[KinTwoParents], res.kin.Lambda[KinParents]))
			res.Families = ParentChild(res, fo)
			mark("family", fmt.Sprintf("%d candidate pairs, %d parent-child pairs", res.Families.Model.Candidates, len(res.Families.Pairs)))
		}
	}
	return res, nil
}

// score compares every candidate pair of the blocking and keeps those at
// or above opt.Keep.
func score(d *Dataset, m *Model, b *blocking, opt Options) ([]Pair, int64) {
	keepW := float32(MatchWeight(opt.Keep))
	if opt.Keep >= 1 {
		keepW = float32(math.Inf(1))
	}
	kept := make([][]Pair, opt.Workers)
	count := make([]int64, opt.Workers)
	caches := make([]*nameCache, opt.Workers)
	for w := range caches {
		caches[w] = newNameCache()
	}
	b.pairs(opt.Workers, func(w, i, j int) {
		count[w]++
		g := d.compare(i, j, caches[w])
		wt := float32(m.weight(d, i, j, g))
		if wt >= keepW {
			kept[w] = append(kept[w], Pair{A: int32(i), B: int32(j), Weight: wt, Score: wt, g: g})
		}
	})
	var all []Pair
	var n int64
	for w := range kept {
		all = append(all, kept[w]...)
		n += count[w]
	}
	slices.SortFunc(all, func(x, y Pair) int {
		if x.A != y.A {
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	return all, n
}

// cluster joins the records of the pairs at or above the threshold into
// connected components (with oneToOne, only the pairs a greedy one-to-one
// assignment between tables takes), marks those pairs Linked, and returns
// each record's component as its smallest record number.
func cluster(d *Dataset, pairs []Pair, threshold float64, oneToOne bool) []int32 {
	n := d.Len()
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
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	tw := float32(MatchWeight(threshold))
	var order []int
	for k := range pairs {
		if pairs[k].Weight >= tw {
			order = append(order, k)
		}
	}
	if oneToOne {
		// Greedy by falling weight; ties by record, for a stable result.
		slices.SortStableFunc(order, func(x, y int) int {
			switch {
			case pairs[x].Weight > pairs[y].Weight:
				return -1
			case pairs[x].Weight < pairs[y].Weight:
				return 1
			}
			return 0
		})
		// taken[r] lists the tables in which record r has a partner.
		taken := map[[2]int32]bool{}
		for _, k := range order {
			p := &pairs[k]
			ta, tb := int32(d.src[p.A]), int32(d.src[p.B])
			if ta == tb || taken[[2]int32{p.A, tb}] || taken[[2]int32{p.B, ta}] {
				continue
			}
			taken[[2]int32{p.A, tb}] = true
			taken[[2]int32{p.B, ta}] = true
			p.Linked = true
			union(p.A, p.B)
		}
	} else {
		for _, k := range order {
			pairs[k].Linked = true
			union(pairs[k].A, pairs[k].B)
		}
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = find(int32(i))
	}
	return out
}

// FieldWeights returns the weight each field contributed to the pair's
// match weight, the term-frequency adjustment included, appended to
// dst[:0].
func (r *Result) FieldWeights(p Pair, dst []float64) []float64 {
	if p.Kin != NoKin && r.kin != nil {
		return r.kin.fieldWeights(p.Kin, p.g, dst)
	}
	return r.Model.fieldWeights(r.Data, int(p.A), int(p.B), p.g, dst)
}

// FieldExplanation is one field's part in a pair's score.
type FieldExplanation struct {
	Field          string
	Left, Right    string // the values as compared
	Level          int    // −1: a value is missing
	LevelName      string
	M, U           float64 // of the level; 0 when missing
	Weight         float64 // the field's contribution
	TermFrequency  bool    // the weight is adjusted for the value's frequency
	ValueFrequency float64 // with TermFrequency: the value's share of records
}

// Explanation says why a pair of records scored as it did.
type Explanation struct {
	Left, Right int // record numbers
	// Kin is set when the family model found the records' persons to be
	// relatives: the prior and the u are then those of such relatives.
	Kin         Kin
	PriorWeight float64
	Fields      []FieldExplanation
	Weight      float64
	Probability float64
	// Rules names the blocking rules that put the pair in one block; none
	// means the pair was never compared.
	Rules []string
	// Clustering: how the clustering treated the pair (ByScore when it
	// followed the pair's own weight), with Final the weight it gave the
	// pair, Via the pair of records whose match joined the records'
	// clusters (ByChain), and Apart the two records that kept them apart
	// (ApartFamily), each as "id (file)".
	Clustering Decision
	Final      float64
	Via, Apart [2]string
	// ViaWeight is the weight of the pair Via.
	ViaWeight float64
}

// Explain scores records a and b field by field.
func (r *Result) Explain(a, b int) *Explanation {
	d, m := r.Data, r.Model
	g := d.compare(a, b, nil)
	e := &Explanation{Left: a, Right: b, PriorWeight: m.PriorWeight()}
	ws := m.fieldWeights(d, a, b, g, nil)
	kin := r.kin.of(int32(a), int32(b))
	if kin != NoKin {
		e.Kin, e.PriorWeight = kin, r.kin.prior[kin]
		ws = r.kin.fieldWeights(kin, g, ws)
	}
	e.Weight = e.PriorWeight
	for k := range d.Fields {
		f := &d.Fields[k]
		fm := &m.Fields[k]
		l := g.level(k)
		fe := FieldExplanation{Field: f.Name, Left: f.Value(a), Right: f.Value(b), Level: l, LevelName: levelName(l, f.Levels), Weight: ws[k]}
		if l >= 0 {
			fe.M, fe.U = fm.M[l], fm.U[l]
			if kin != NoKin {
				fe.U = r.kin.U[kin][k][l]
			} else if m.tfOn[k] && l == f.Exact() && f.val[a] != 0 && f.val[a] == f.val[b] {
				fe.TermFrequency = true
				fe.ValueFrequency = f.freq[f.val[a]]
			}
		}
		e.Fields = append(e.Fields, fe)
		e.Weight += ws[k]
	}
	e.Probability = Probability(e.Weight)
	if r.blocking != nil {
		e.Rules = r.blocking.shared(a, b)
	}
	e.Final = e.Weight
	r.explainClustering(e)
	return e
}

// explainClustering says how the collective clustering treated the pair.
func (r *Result) explainClustering(e *Explanation) {
	cl := r.clustering
	if cl == nil || r.Cluster == nil {
		return
	}
	a, b := int32(e.Left), int32(e.Right)
	if a > b {
		a, b = b, a
	}
	if r.Cluster[a] == r.Cluster[b] {
		mg, ok := cl.joinedBy(r.Data.Len(), a, b)
		if ok && e.Weight < MatchWeight(r.threshold) {
			e.Clustering, e.Final = ByChain, float64(mg.w)
			e.Via, e.ViaWeight = [2]string{r.Data.describe(int(mg.a)), r.Data.describe(int(mg.b))}, float64(mg.w)
		}
		return
	}
	if e.Weight < MatchWeight(r.threshold) {
		return
	}
	why, ok := cl.apart[[2]int32{a, b}]
	switch {
	case ok && why[0] >= 0:
		x, y := int(why[0]), int(why[1])
		e.Clustering, e.Apart = ApartFamily, [2]string{r.Data.describe(x), r.Data.describe(y)}
		e.Final = min(e.Weight, r.Model.weight(r.Data, x, y, r.Data.compare(x, y, nil)))
	default:
		e.Clustering = ApartMean
		for _, p := range r.Pairs {
			if p.A == a && p.B == b {
				e.Final = float64(p.Weight)
			}
		}
	}
}

// joinedBy replays the merges until records a and b are in one cluster,
// and returns the merge that joined them.
func (cl *clustering) joinedBy(n int, a, b int32) (merge, bool) {
	parent := map[int32]int32{}
	find := func(x int32) int32 {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			x = p
		}
	}
	for _, mg := range cl.merges {
		ra, rb := find(mg.a), find(mg.b)
		if ra != rb {
			parent[rb] = ra
		}
		if find(a) == find(b) {
			return mg, true
		}
	}
	return merge{}, false
}

// String writes the explanation as a table.
func (e *Explanation) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%-16s %-24s %-24s %-10s %9s %11s %8s\n", "field", "left", "right", "level", "m", "u", "weight")
	if e.Kin != NoKin {
		fmt.Fprintf(&s, "the records' persons are %s: their prior and u are those of such relatives\n", e.Kin)
	}
	fmt.Fprintf(&s, "%-16s %-24s %-24s %-10s %9s %11s %+8.2f\n", "(prior)", "", "", "", "", "", e.PriorWeight)
	for _, f := range e.Fields {
		note := ""
		if f.TermFrequency {
			note = fmt.Sprintf("  (value held by %.3g%% of records)", 100*f.ValueFrequency)
		}
		m, u := "", ""
		if f.Level >= 0 {
			m, u = fmt.Sprintf("%.4f", f.M), fmt.Sprintf("%.7f", f.U)
		}
		fmt.Fprintf(&s, "%-16s %-24s %-24s %-10s %9s %11s %+8.2f%s\n", f.Field, clip(f.Left, 24), clip(f.Right, 24), f.LevelName, m, u, f.Weight, note)
	}
	fmt.Fprintf(&s, "match weight %.2f, match probability %.6f\n", e.Weight, e.Probability)
	switch e.Clustering {
	case ByChain:
		fmt.Fprintf(&s, "linked through other records: the match of %s and %s (weight %.2f) joined their persons; weight %.2f, probability %.6f\n",
			e.Via[0], e.Via[1], e.ViaWeight, e.Final, Probability(e.Final))
	case ApartFamily:
		fmt.Fprintf(&s, "kept apart: %s and %s, of one file and one family group, do not match (weight %.2f): they are relatives; probability %.6f\n",
			e.Apart[0], e.Apart[1], e.Final, Probability(e.Final))
	case ApartMean:
		fmt.Fprintf(&s, "kept apart: the records of the two persons, compared all against all, agree on average at weight %.2f, below the threshold; probability %.6f\n",
			e.Final, Probability(e.Final))
	}
	if len(e.Rules) == 0 {
		s.WriteString("no blocking rule puts these records together: the pair was not compared\n")
	} else {
		fmt.Fprintf(&s, "compared under the blocking rules: %s\n", strings.Join(e.Rules, "; "))
	}
	return s.String()
}

func clip(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
