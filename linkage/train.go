package linkage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
)

// TrainOptions are the settings of Train.
type TrainOptions struct {
	// LinkOnly: only pairs of records from different tables count.
	LinkOnly bool
	// USamples is the number of random pairs drawn to estimate u
	// (default five per record, at least 250,000 and at most 1,000,000;
	// all pairs when there are fewer).
	USamples int
	// EMPairs is the most pairs an expectation-maximisation round uses;
	// a round's blocks with more pairs are sampled (default 1,000,000).
	EMPairs int
	// MaxBlock is the largest block a round compares (default 5,000).
	MaxBlock int
	// Workers is the number of goroutines (0: one per CPU).
	Workers int
	// Seed makes the sampling reproducible.
	Seed uint64
	// NoURefine keeps u as the plain share of levels among random
	// pairs; by default the few matching pairs among them are taken out
	// by their posterior probability once λ and m are known.
	NoURefine bool
}

// TrainReport says how the model was trained.
type TrainReport struct {
	// USamples is the number of random pairs compared for u.
	USamples int
	// Rounds describes each expectation-maximisation round.
	Rounds []RoundReport
	// Deterministic is the number of pairs the strict rules accept, and
	// Recall their estimated share of all matching pairs; λ is
	// Deterministic / (Recall × TotalPairs).
	Deterministic int64
	Recall        float64
	TotalPairs    float64
	StrictRules   []string

	rules []BlockingRule // of the rounds
}

// RoundReport describes one expectation-maximisation round.
type RoundReport struct {
	// Rule is the training blocking rule; its fields are not estimated.
	Rule string
	// Pairs is the number of pairs the rule's blocks held, Used the
	// number compared (a sample when Pairs exceeds EMPairs).
	Pairs, Used int64
	// Lambda is the share of matches among the round's pairs, Iterations
	// the iterations until convergence.
	Lambda     float64
	Iterations int
	// Estimated names the fields whose m the round estimated.
	Estimated []string
}

func (o *TrainOptions) defaults(n int) {
	if o.USamples <= 0 {
		o.USamples = max(250_000, min(1_000_000, 5*n))
	}
	if o.EMPairs <= 0 {
		o.EMPairs = 1_000_000
	}
	if o.MaxBlock <= 0 {
		o.MaxBlock = 5000
	}
	if o.Workers <= 0 {
		o.Workers = defaultWorkers()
	}
}

// Train estimates a model for the dataset without labels, in the manner
// of Splink:
//
//  1. u, the level shares among non-matching pairs, from random pairs of
//     records (almost all of which do not match);
//  2. m, the level shares among matching pairs, by expectation-
//     maximisation in rounds, each over the pairs of one training
//     blocking rule (same date of birth; same name keys; same
//     identifier). A round does not estimate the fields its rule blocks
//     on, whose agreement the blocking forces; each field's m is the mean
//     of the rounds that estimated it;
//  3. λ, the prior, from strict deterministic rules (exact names and
//     date of birth; exact identifier and date of birth): the pairs they
//     accept, divided by the share of all matches they are expected to
//     catch, which m gives (the product of the fields' exact-agreement
//     probabilities, by inclusion and exclusion over the rules);
//  4. u again, from the same random pairs, each counted by its posterior
//     probability of not matching, so that the few matches among them
//     do not make strong agreement look common among non-matches.
func Train(d *Dataset, opt TrainOptions) (*Model, *TrainReport) {
	opt.defaults(d.Len())
	m := &Model{Fields: make([]FieldModel, len(d.Fields))}
	for k := range d.Fields {
		f := &d.Fields[k]
		m.Fields[k] = FieldModel{Name: f.Name, Kind: f.Kind, Levels: f.Levels, TF: true, M: initialM(len(f.Levels))}
	}
	rep := &TrainReport{TotalPairs: d.totalPairs(opt.LinkOnly)}

	// 1. u from random pairs.
	upats := d.randomPatterns(opt)
	for _, p := range upats {
		rep.USamples += int(p.n)
	}
	for k := range m.Fields {
		m.Fields[k].U = levelShare(upats, k, len(d.Fields[k].Levels), nil)
	}

	// 2. m by expectation-maximisation.
	sums := make([][]float64, len(d.Fields))
	for k := range sums {
		sums[k] = make([]float64, len(d.Fields[k].Levels))
	}
	weights := make([]float64, len(d.Fields))
	round := func(rule BlockingRule) {
		pats, total, used := d.rulePatterns(rule, opt)
		rr := RoundReport{Rule: rule.Name, Pairs: total, Used: used}
		rep.rules = append(rep.rules, rule)
		defer func() { rep.Rounds = append(rep.Rounds, rr) }()
		if used == 0 {
			return
		}
		active := make([]bool, len(d.Fields))
		for k := range active {
			active[k] = !containsInt(rule.Fields, k)
		}
		ms := make([][]float64, len(d.Fields))
		for k := range ms {
			ms[k] = initialM(len(d.Fields[k].Levels))
		}
		us := make([][]float64, len(d.Fields))
		for k := range us {
			us[k] = m.Fields[k].U
		}
		lambda, iters, seen := em(pats, active, ms, us, 0.1)
		rr.Lambda, rr.Iterations = lambda, iters
		for k := range active {
			// A field counts in the mean by the matching pairs in which
			// it was present: a round in which it was always missing
			// (one file lacks it) says nothing of it.
			if !active[k] || seen[k] < 1 {
				continue
			}
			rr.Estimated = append(rr.Estimated, d.Fields[k].Name)
			for l := range ms[k] {
				sums[k][l] += seen[k] * ms[k][l]
			}
			weights[k] += seen[k]
			m.Fields[k].Rounds++
		}
	}
	for _, rule := range d.trainingRules() {
		round(rule)
	}
	// A field no round could estimate (the rounds' rules found no pair,
	// or the field was missing from their pairs) gets rounds blocked on
	// the exact values of other fields, while there are any to try.
	tried := map[int]bool{}
	for k := range d.Fields {
		if d.presence([]int{k}, opt.LinkOnly) == 0 {
			continue // no pair has it: nothing to estimate, nothing it weighs
		}
		for o := range d.Fields {
			if m.Fields[k].Rounds > 0 {
				break
			}
			if o != k && !tried[o] && len(rep.Rounds) < 12 {
				tried[o] = true
				round(d.exactRule(o))
			}
		}
	}
	for k := range m.Fields {
		if weights[k] > 0 {
			for l := range sums[k] {
				m.Fields[k].M[l] = sums[k][l] / weights[k]
			}
		}
	}

	// 3. λ from the strict rules.
	m.Lambda = d.estimateLambda(m, opt, rep)

	// 4. u without the matches among the random pairs.
	if !opt.NoURefine {
		for range 2 {
			m.prepare(nil)
			post := make([]float64, len(upats))
			for i, p := range upats {
				w := m.PriorWeight()
				for k := range m.Fields {
					w += m.lw[k][p.g.level(k)+1]
				}
				post[i] = 1 - Probability(w)
			}
			for k := range m.Fields {
				m.Fields[k].U = levelShare(upats, k, len(d.Fields[k].Levels), post)
			}
		}
	}
	m.prepare(d)
	return m, rep
}

// initialM is the starting guess for m: each level twice as likely among
// matches as the one below it, so that expectation-maximisation starts on
// the side of the matches.
func initialM(levels int) []float64 {
	m := make([]float64, levels)
	sum := 0.0
	for l := range m {
		m[l] = math.Exp2(float64(l))
		sum += m[l]
	}
	for l := range m {
		m[l] /= sum
	}
	return m
}

// pattern is a comparison vector and the number (or weight) of pairs
// compared so.
type pattern struct {
	g gamma
	n float64
}

// levelShare returns the smoothed share of each level of field k among
// the patterns where it is present, each pattern counted n times its
// weight (or n times when weights is nil).
func levelShare(pats []pattern, k, levels int, weights []float64) []float64 {
	c := make([]float64, levels)
	total := 0.0
	for i, p := range pats {
		l := p.g.level(k)
		if l < 0 {
			continue
		}
		n := p.n
		if weights != nil {
			n *= weights[i]
		}
		c[l] += n
		total += n
	}
	// Half a pair spread over the levels keeps an unseen level's share
	// above zero without moving the others.
	for l := range c {
		c[l] = (c[l] + 0.5/float64(levels)) / (total + 0.5)
	}
	return c
}

// emPrior is the weight, in matching pairs, of the prior on m.
const emPrior = 2.0

// em runs expectation-maximisation on the patterns of one round: fields
// not active keep their m and take no part. It updates ms in place and
// returns the round's λ, the iterations run, and for each field the
// expected number of matching pairs in which it was present.
func em(pats []pattern, active []bool, ms, us [][]float64, lambda float64) (float64, int, []float64) {
	const maxIter, tol = 500, 1e-7
	nf := len(ms)
	lw := make([][]float64, nf)
	num := make([][]float64, nf)
	for k := range lw {
		lw[k] = make([]float64, len(ms[k]))
		num[k] = make([]float64, len(ms[k]))
	}
	den := make([]float64, nf)
	prior0 := make([][]float64, nf)
	for k := range prior0 {
		prior0[k] = initialM(len(ms[k]))
	}
	iter := 0
	for iter = 1; iter <= maxIter; iter++ {
		for k := range ms {
			for l := range ms[k] {
				lw[k][l] = math.Log(ms[k][l] / us[k][l])
				num[k][l] = 0
			}
			den[k] = 0
		}
		prior := math.Log(lambda / (1 - lambda))
		var sp, sn float64
		for _, p := range pats {
			s := prior
			for k := 0; k < nf; k++ {
				if l := p.g.level(k); l >= 0 && active[k] {
					s += lw[k][l]
				}
			}
			pr := 1 / (1 + math.Exp(-s))
			w := p.n * pr
			sp += w
			sn += p.n
			for k := 0; k < nf; k++ {
				if l := p.g.level(k); l >= 0 && active[k] {
					num[k][l] += w
					den[k] += w
				}
			}
		}
		change := 0.0
		for k := range ms {
			if !active[k] {
				continue
			}
			for l := range ms[k] {
				// A Dirichlet prior worth two matching pairs, centred on
				// the starting guess, keeps every m above zero and a
				// small file's estimates sensible; on thousands of
				// pairs it is lost in the data.
				v := (num[k][l] + emPrior*prior0[k][l]) / (den[k] + emPrior)
				change = max(change, math.Abs(v-ms[k][l]))
				ms[k][l] = v
			}
		}
		nl := min(max(sp/sn, 1e-9), 1-1e-9)
		change = max(change, math.Abs(nl-lambda))
		lambda = nl
		if change < tol {
			break
		}
	}
	return lambda, min(iter, maxIter), den
}

// totalPairs returns the number of pairs of records: all of them, or those
// across tables.
func (d *Dataset) totalPairs(linkOnly bool) float64 {
	n := float64(d.Len())
	all := n * (n - 1) / 2
	if !linkOnly {
		return all
	}
	for _, t := range d.Tables {
		k := float64(t.Len())
		all -= k * (k - 1) / 2
	}
	return all
}

// randomPatterns compares random pairs of records and returns their
// comparison vectors with counts. With fewer pairs than USamples, every
// pair is compared once.
func (d *Dataset) randomPatterns(opt TrainOptions) []pattern {
	n := d.Len()
	total := d.totalPairs(opt.LinkOnly)
	workers := opt.Workers
	counts := make([]map[gamma]float64, workers)
	var wg sync.WaitGroup
	if total <= float64(opt.USamples) {
		// Every pair, split by first record.
		for w := 0; w < workers; w++ {
			counts[w] = map[gamma]float64{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := newNameCache()
				for i := w; i < n; i += workers {
					for j := i + 1; j < n; j++ {
						if opt.LinkOnly && d.src[i] == d.src[j] {
							continue
						}
						counts[w][d.compare(i, j, c)]++
					}
				}
			}()
		}
	} else {
		// Chunks of samples, each with its own random stream, so that
		// the sample does not depend on the number of goroutines.
		const chunk = 8192
		chunks := (opt.USamples + chunk - 1) / chunk
		var next atomic.Int64
		for w := 0; w < workers; w++ {
			counts[w] = map[gamma]float64{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := newNameCache()
				for {
					k := int(next.Add(1)) - 1
					if k >= chunks {
						return
					}
					rng := rand.New(rand.NewPCG(opt.Seed, uint64(k)+1))
					for s := 0; s < min(chunk, opt.USamples-k*chunk); {
						i, j := rng.IntN(n), rng.IntN(n)
						if i == j || (opt.LinkOnly && d.src[i] == d.src[j]) {
							continue
						}
						counts[w][d.compare(i, j, c)]++
						s++
					}
				}
			}()
		}
	}
	wg.Wait()
	return mergePatterns(counts)
}

func mergePatterns(counts []map[gamma]float64) []pattern {
	all := counts[0]
	for _, c := range counts[1:] {
		for g, n := range c {
			all[g] += n
		}
	}
	pats := make([]pattern, 0, len(all))
	for g, n := range all {
		pats = append(pats, pattern{g, n})
	}
	// A fixed order makes the sums, and so the model, reproducible.
	sort.Slice(pats, func(a, b int) bool { return pats[a].g < pats[b].g })
	return pats
}

// trainingRules returns the blocking rules of the EM rounds: the same
// first date; the same given-name and surname keys (or full-name keys);
// the same identifier. Every field must be estimated by some round, so a
// field that every rule blocks on gets a round blocked on another field's
// exact value.
func (d *Dataset) trainingRules() []BlockingRule {
	var rules []BlockingRule
	if d.firstDate >= 0 {
		rules = append(rules, d.exactRule(d.firstDate))
	}
	given, surname := d.fieldOf(KindGiven), d.fieldOf(KindSurname)
	ps := d.persons
	switch {
	case given >= 0 && surname >= 0:
		rules = append(rules, BlockingRule{Name: "given and surname keys", Fields: []int{given, surname}, Key: func(r int) uint64 {
			a, b := firstKey(&ps[r].Given), firstKey(&ps[r].Surname1)
			if a == "" || b == "" {
				return 0
			}
			return hashSeed.str(a).str(b).sum()
		}})
	case d.fieldOf(KindFullName) >= 0:
		fn := d.fieldOf(KindFullName)
		names := d.Fields[fn].names
		rules = append(rules, BlockingRule{Name: d.Fields[fn].Name + " first and last keys", Fields: []int{fn}, Key: func(r int) uint64 {
			a, b := firstKey(&names[r]), lastKey(&names[r])
			if a == "" {
				return 0
			}
			return hashSeed.str(a).str(b).sum()
		}})
	}
	for i := range d.Fields {
		if k := d.Fields[i].Kind; k == KindIdentifier || k == KindANumber {
			rules = append(rules, d.exactRule(i))
		}
	}
	for k := range d.Fields {
		estimated := false
		for _, r := range rules {
			if !containsInt(r.Fields, k) {
				estimated = true
			}
		}
		if estimated {
			continue
		}
		// Block on the exact value of the first other field.
		for o := range d.Fields {
			if o != k {
				rules = append(rules, d.exactRule(o))
				break
			}
		}
	}
	return rules
}

// rulePatterns compares the pairs of a training rule's blocks, a random
// sample of them when there are more than EMPairs, and returns their
// patterns, the number of pairs the blocks held and the number compared.
func (d *Dataset) rulePatterns(rule BlockingRule, opt TrainOptions) ([]pattern, int64, int64) {
	b := newBlocking(d, []BlockingRule{rule}, opt.LinkOnly, opt.MaxBlock, 0, opt.Workers)
	total := b.Stats[0].Raw
	if total == 0 {
		return nil, 0, 0
	}
	counts := make([]map[gamma]float64, opt.Workers)
	caches := make([]*nameCache, opt.Workers)
	for w := range counts {
		counts[w] = map[gamma]float64{}
		caches[w] = newNameCache()
	}
	used := make([]int64, opt.Workers)
	rate := float64(opt.EMPairs) / float64(total)
	if rate >= 1 {
		b.pairs(opt.Workers, func(w, i, j int) {
			counts[w][d.compare(i, j, caches[w])]++
			used[w]++
		})
	} else {
		// Draw each block's share of the sample at random within the
		// block, so that the work follows the sample, not the blocks'
		// pairs (a rule on a value shared by thousands of records holds
		// billions of pairs).
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < opt.Workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k := int(next.Add(1)) - 1
					if k >= len(b.blocks) {
						return
					}
					bs := b.blocks[k]
					ents := b.idx[0].ents[bs.lo:bs.hi]
					rng := rand.New(rand.NewPCG(opt.Seed, uint64(k)+1<<40))
					want := float64(b.blockPairs(ents, rule.needs)) * rate
					draws := int(want)
					if rng.Float64() < want-float64(draws) {
						draws++
					}
					for drawn := 0; drawn < draws; {
						i, j := int(ents[rng.IntN(len(ents))].rec), int(ents[rng.IntN(len(ents))].rec)
						if i == j || (opt.LinkOnly && d.src[i] == d.src[j]) || (rule.needs != nil && !rule.needs(i) && !rule.needs(j)) {
							continue
						}
						counts[w][d.compare(i, j, caches[w])]++
						used[w]++
						drawn++
					}
				}
			}()
		}
		wg.Wait()
	}
	var u int64
	for _, x := range used {
		u += x
	}
	return mergePatterns(counts), total, u
}

// strictRules returns the deterministic rules that estimate λ: exact
// names (given and surname, or the first full name) and exact first date;
// and each identifier exact with the first date (or, with no date, with
// the names). With neither, every field exact.
func (d *Dataset) strictRules() []BlockingRule {
	var names []int
	for _, k := range []Kind{KindGiven, KindSurname} {
		if i := d.fieldOf(k); i >= 0 {
			names = append(names, i)
		}
	}
	if len(names) == 0 {
		if i := d.fieldOf(KindFullName); i >= 0 {
			names = []int{i}
		}
	}
	var rules []BlockingRule
	if len(names) > 0 && d.firstDate >= 0 {
		rules = append(rules, d.exactRuleOf("exact names and date", append(append([]int(nil), names...), d.firstDate)))
	}
	for i := range d.Fields {
		if k := d.Fields[i].Kind; k != KindIdentifier && k != KindANumber {
			continue
		}
		switch {
		case d.firstDate >= 0:
			rules = append(rules, d.exactRuleOf("exact "+d.Fields[i].Name+" and date", []int{i, d.firstDate}))
		case len(names) > 0:
			rules = append(rules, d.exactRuleOf("exact "+d.Fields[i].Name+" and names", append([]int{i}, names...)))
		}
	}
	if len(rules) == 0 {
		all := make([]int, len(d.Fields))
		for i := range all {
			all[i] = i
		}
		rules = append(rules, d.exactRuleOf("every field exact", all))
	}
	if len(rules) > 6 {
		rules = rules[:6] // inclusion-exclusion runs over their subsets
	}
	return rules
}

// estimateLambda counts the pairs the strict rules accept and divides by
// the share of matches they should catch.
func (d *Dataset) estimateLambda(m *Model, opt TrainOptions, rep *TrainReport) float64 {
	rules := d.strictRules()
	b := newBlocking(d, rules, opt.LinkOnly, opt.MaxBlock, 0, opt.Workers)
	b.pairs(opt.Workers, func(w, i, j int) {})
	for _, st := range b.Stats {
		rep.Deterministic += st.Pairs
	}
	for _, r := range rules {
		rep.StrictRules = append(rep.StrictRules, r.Name)
	}
	// The share of matches a set of fields' exact agreement catches:
	// the share of pairs in which both records have every one of the
	// fields (matches taken to lack values as other pairs do), times the
	// fields' m at the exact level (taken as independent among matches).
	catches := func(fields []int) float64 {
		p := d.presence(fields, opt.LinkOnly)
		for _, k := range fields {
			p *= m.Fields[k].M[len(d.Fields[k].Levels)-1]
		}
		return p
	}
	recall := 0.0
	for set := 1; set < 1<<len(rules); set++ {
		var fields []int
		bits := 0
		for q := range rules {
			if set&(1<<q) == 0 {
				continue
			}
			bits++
			for _, k := range rules[q].Fields {
				if !containsInt(fields, k) {
					fields = append(fields, k)
				}
			}
		}
		if bits%2 == 1 {
			recall += catches(fields)
		} else {
			recall -= catches(fields)
		}
	}
	rep.Recall = recall
	total := rep.TotalPairs
	if total < 1 {
		return 0.5
	}
	matches := float64(rep.Deterministic) / recall
	if rep.Deterministic == 0 || recall < 0.01 {
		// The strict rules cannot see the matches (a file lacks the
		// fields they need): take the matches found by a training round
		// blocked on an exact value instead, or, failing that, guess
		// that one record in two has a match.
		matches = float64(d.Len()) / 2
		for k, rr := range rep.Rounds {
			rule := rep.rules[k]
			if c := catches(rule.Fields); rule.exact && c >= 0.01 && rr.Lambda*float64(rr.Pairs) >= 1 {
				matches = rr.Lambda * float64(rr.Pairs) / c
				rep.Recall, rep.Deterministic = c, int64(rr.Lambda*float64(rr.Pairs))
				rep.StrictRules = []string{rule.Name + " (training round)"}
				break
			}
		}
	}
	return min(max(matches/total, 1/total), 0.5)
}

// presence returns the share of pairs (across tables, with linkOnly) in
// which both records have a value for every one of the fields.
func (d *Dataset) presence(fields []int, linkOnly bool) float64 {
	have := make([]float64, len(d.Tables))
	for r := range d.src {
		all := true
		for _, k := range fields {
			if d.Fields[k].val[r] == 0 {
				all = false
				break
			}
		}
		if all {
			have[d.src[r]]++
		}
	}
	var both, pairs float64
	if !linkOnly {
		h, n := 0.0, float64(d.Len())
		for _, x := range have {
			h += x
		}
		return h * h / (n * n)
	}
	for a := range d.Tables {
		for b := a + 1; b < len(d.Tables); b++ {
			both += have[a] * have[b]
			pairs += float64(d.Tables[a].Len()) * float64(d.Tables[b].Len())
		}
	}
	if pairs == 0 {
		return 0
	}
	return both / pairs
}

// String summarises the training.
func (r *TrainReport) String() string {
	s := fmt.Sprintf("u from %d random pairs\n", r.USamples)
	for _, rr := range r.Rounds {
		s += fmt.Sprintf("round blocked on %s: %d pairs, %d compared, λ %.4f after %d iterations; estimated %v\n",
			rr.Rule, rr.Pairs, rr.Used, rr.Lambda, rr.Iterations, rr.Estimated)
	}
	s += fmt.Sprintf("strict rules %v: %d pairs, estimated recall %.3f of %.0f pairs\n", r.StrictRules, r.Deterministic, r.Recall, r.TotalPairs)
	return s
}
