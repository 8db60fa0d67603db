package linkage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The parent-child model scores one person as the parent (or guardian) of
// another. A person is a cluster of the person model: the records linked
// as one person, so that the evidence spread over several agencies'
// records counts together (the border agency's event, the shelter's named
// parent, a date of birth from any of them). Each field compares every
// record of the one person with every record of the other and keeps the
// level most telling of a family.
//
// The model is two Fellegi-Sunter models in a row, each trained without
// labels. The first asks whether two persons are of one family: they
// share a family group, A-numbers issued together, surnames, a named
// parent, an event. The second asks, of two persons of one family,
// whether the one is the parent of the other: the age gap, who names
// whom, and the Spanish surname convention. One model with all the fields
// would not do: among the candidates, what most sets pairs apart is
// being of one family at all, so expectation-maximisation would find
// families, and take siblings and the two parents for parent and child.
// The probability of a parent and child is the product of the two.

// The fields of both models, in order: the family model's, then the
// role model's.
const (
	// famGroup: a family-scope identifier shared (the same apprehension
	// event or family unit), or the same family-scope date and place.
	famGroup = iota
	// famANumber: A-numbers issued together: a family's are often
	// consecutive.
	famANumber
	// famNamed: one person's record names the other as a parent (a
	// shelter's parent_name), in either direction.
	famNamed
	// famShared: surnames in common.
	famShared
	// famEvent: the same event (booking, hearing) in one file: families
	// are booked into family detention together.
	famEvent
	// famCountry: the same country.
	famCountry
	// famAge: the years from the parent's birth to the child's.
	famAge
	// famNamedBy: who names whom: the child names the parent, or the
	// other way round, or the would-be parent names a parent of its own.
	famNamedBy
	// famSurnames: the Spanish convention: a child's first surname is
	// its father's first surname, its second the mother's first; a child
	// recorded under a parent's surnames has both.
	famSurnames
	numFamFields
)

// numFamilyFields is the number of the family model's fields, which come
// first.
const numFamilyFields = famAge

var famFieldNames = [numFamFields]string{"family_group", "a_number_group", "named_parent", "shared_surnames", "event", "country",
	"age_gap", "named_by", "surname_convention"}

// The levels of each field, from the least to the most telling; a
// person pair takes the highest level any pair of their records reaches.
var famLevelNames = [numFamFields][]string{
	famGroup:    {"else", "date-place", "shared"},
	famANumber:  {"else", "same", "near", "adjacent"},
	famNamed:    {"else", "surnames", "given", "given-surname", "full"},
	famShared:   {"else", "one", "both"},
	famEvent:    {"else", "same"},
	famCountry:  {"else", "same"},
	famAge:      {"else", "far", "plausible", "typical"},
	famNamedBy:  {"reversed", "parent-named", "else", "child-names"},
	famSurnames: {"else", "other", "first", "same", "mother", "father"},
}

// Levels of the fields, named where the code uses them.
const (
	surnOther, surnFirst, surnSame, surnMother, surnFather = 1, 2, 3, 4, 5
	ageFar, agePlausible, ageTypical                       = 1, 2, 3
	groupDatePlace, groupShared                            = 1, 2
	anumSame, anumNear, anumAdjacent                       = 1, 2, 3
	byReversed, byParentNamed, byElse, byChild             = 0, 1, 2, 3
)

// ParentModel is the parent-child model: the family model's fields
// (Fields[:numFamilyFields]) with their prior FamilyLambda, and the role
// model's with RoleLambda.
type ParentModel struct {
	// FamilyLambda is the share of pairs of one family among all pairs
	// of persons; RoleLambda the share of parent-child pairs among the
	// ordered pairs of one family.
	FamilyLambda, RoleLambda float64
	Fields                   []ParentField
	// Candidates is the number of candidate pairs of persons, and
	// Iterations the expectation-maximisation iterations of each model.
	Candidates int
	Iterations [2]int
	// USamples is the number of random pairs of persons that gave the
	// family model's starting u.
	USamples int
}

// ParentField holds one field's parameters: M[l] is the probability of
// level l among the pairs the model looks for (of one family; parent and
// child) where the field is present, U[l] among the others.
type ParentField struct {
	Name   string
	Levels []string
	M, U   []float64
}

// Weight returns log2(M[l]/U[l]), and 0 for a missing level.
func (f *ParentField) Weight(l int) float64 {
	if l < 0 || l >= len(f.M) {
		return 0
	}
	return math.Log2(f.M[l] / f.U[l])
}

// PriorWeights returns log2(λ/(1−λ)) of the family and the role model.
func (m *ParentModel) PriorWeights() (float64, float64) {
	return MatchWeight(m.FamilyLambda), MatchWeight(m.RoleLambda)
}

// weights returns the family and the role weight of a comparison.
func (m *ParentModel) weights(g gamma) (float64, float64) {
	fw, rw := m.PriorWeights()
	for k := range m.Fields {
		w := m.Fields[k].Weight(g.level(k))
		if k < numFamilyFields {
			fw += w
		} else {
			rw += w
		}
	}
	return fw, rw
}

// String summarises the model.
func (m *ParentModel) String() string {
	fw, rw := m.PriorWeights()
	s := fmt.Sprintf("family: λ = %.3g (prior weight %.2f), %d candidate pairs of persons, %d iterations, u from %d random pairs\n",
		m.FamilyLambda, fw, m.Candidates, m.Iterations[0], m.USamples)
	for k, f := range m.Fields {
		if k == numFamilyFields {
			s += fmt.Sprintf("parent and child: λ = %.3g of the ordered pairs of one family (prior weight %.2f), %d iterations\n", m.RoleLambda, rw, m.Iterations[1])
		}
		s += f.Name + "\n"
		for l := len(f.M) - 1; l >= 0; l-- {
			s += fmt.Sprintf("  %-12s m %.5f  u %.5f  weight %+6.2f\n", f.Levels[l], f.M[l], f.U[l], f.Weight(l))
		}
	}
	return s
}

// ParentPair is a pair of persons, one the parent of the other. A person
// is named by its cluster: the smallest record number in it.
type ParentPair struct {
	Parent, Child int32
	// Weight is the match weight of the pair's probability; Family and
	// Role the weights of the two models.
	Weight, Family, Role float32
	g                    gamma
}

// Probability returns the pair's parent-child probability.
func (p ParentPair) Probability() float64 { return Probability(float64(p.Weight)) }

// Level returns the pair's level on field k (−1: missing).
func (p ParentPair) Level(k int) int { return p.g.level(k) }

// Families is the outcome of the parent-child model.
type Families struct {
	Model *ParentModel
	// Pairs are the person pairs at or above the threshold, by parent
	// then child; of the two orders of two persons, only the likelier.
	Pairs []ParentPair

	d       *Dataset
	f       *famFeatures
	members map[int32][]int32
}

// FieldNames returns the names of the model's fields, in order.
func (fs *Families) FieldNames() []string { return famFieldNames[:] }

// Members returns the records of a person, in order.
func (fs *Families) Members(person int32) []int32 { return fs.members[person] }

// FieldWeights returns each field's weight in the pair's score.
func (fs *Families) FieldWeights(p ParentPair, dst []float64) []float64 {
	dst = dst[:0]
	for k := range fs.Model.Fields {
		dst = append(dst, fs.Model.Fields[k].Weight(p.g.level(k)))
	}
	return dst
}

// famCache remembers comparisons for one goroutine: surnames through a
// nameCache, and named parents against names by their numbers.
type famCache struct {
	names *nameCache
	keys  []uint64
	vals  []int8
}

func newFamCache() *famCache {
	return &famCache{names: newNameCache(), keys: make([]uint64, 1<<cacheBits), vals: make([]int8, 1<<cacheBits)}
}

// surname compares two surnames through the cache.
func (c *famCache) surname(a, b *Name) NameLevel {
	if c == nil {
		return compareSurname(a, b)
	}
	return c.names.surname(a, b)
}

// named returns namedMatch of a named parent and a record's name, through
// the cache when both are numbered.
func (c *famCache) named(nm *Name, p *PersonName, full *Name) int {
	if c == nil || nm.id == 0 || full.id == 0 {
		return namedMatch(nm, p, full)
	}
	key := uint64(nm.id)<<32 | uint64(full.id)
	slot := int(mix64(key) >> (64 - cacheBits))
	if c.keys[slot] == key {
		return int(c.vals[slot])
	}
	l := namedMatch(nm, p, full)
	c.keys[slot], c.vals[slot] = key, int8(l)
	return l
}

// famFeatures are the record values the parent-child fields compare.
type famFeatures struct {
	d       *Dataset
	persons []PersonName // nil without given-name and surname fields
	full    []Name       // each record's whole name, for the named parent
	dob     []Date
	anum    []int64 // -1: none
	country []uint32
	rel     *relations
}

func newFamFeatures(d *Dataset) *famFeatures {
	n := d.Len()
	f := &famFeatures{d: d, persons: d.persons, rel: d.rel}
	if d.firstDate >= 0 {
		f.dob = d.Fields[d.firstDate].dates
	}
	full := -1
	for k := range d.Fields {
		fd := &d.Fields[k]
		switch {
		case fd.Kind == KindANumber && f.anum == nil:
			f.anum = make([]int64, n)
			for r, s := range fd.strs {
				f.anum[r] = -1
				if v, err := strconv.ParseInt(s, 10, 64); err == nil && s != "" {
					f.anum[r] = v
				}
			}
		case fd.Kind == KindPlace && f.country == nil:
			f.country = fd.val
		case fd.Kind == KindFullName && full < 0:
			full = k
		}
	}
	// Each record's whole name, numbered apart from the dataset's names
	// (a structured record's is given names and surnames, and numbered
	// by them), for the cache of named parents.
	f.full = make([]Name, n)
	ids := map[string]uint32{}
	for r := 0; r < n; r++ {
		var key string
		switch {
		case f.persons != nil && !f.persons[r].Given.IsEmpty() && !f.persons[r].Surname1.IsEmpty():
			p := &f.persons[r]
			key = "p\x00" + p.Given.Text + "\x00" + p.Surnames.Text
			f.full[r] = NewName(p.Given.Text + " " + p.Surnames.Text)
		case full >= 0 && (d.Fields[full].synthOf == nil || !d.Fields[full].synthOf[d.src[r]]):
			f.full[r] = d.Fields[full].names[r]
			key = "f\x00" + f.full[r].Text + "\x00" + f.full[r].Glued
		default:
			continue
		}
		id, ok := ids[key]
		if !ok && len(ids) < 1<<31-1 {
			id = uint32(len(ids) + 1)
			ids[key] = id
		}
		f.full[r].id = id
	}
	return f
}

// person returns record r's structured name, or nil.
func (f *famFeatures) person(r int) *PersonName {
	if f.persons == nil {
		return nil
	}
	return &f.persons[r]
}

// compare returns the record-level levels of record p as the parent of
// record c; the named-parent fields are compared per person (see
// comparePersons) and left missing.
func (f *famFeatures) compare(p, c int, fc *famCache) [numFamFields]int8 {
	var out [numFamFields]int8
	for k := range out {
		out[k] = -1
	}
	if f.persons != nil {
		out[famSurnames] = int8(surnameConvention(&f.persons[p], &f.persons[c], fc))
		out[famShared] = int8(sharedSurnames(&f.persons[p], &f.persons[c], fc))
	}
	if f.dob != nil {
		out[famAge] = int8(ageLevel(f.dob[p], f.dob[c]))
	}
	if f.rel != nil {
		out[famGroup] = int8(f.rel.groupLevel(p, c))
		if ev := f.rel.events; ev != nil && ev[p] != 0 && ev[c] != 0 && f.d.src[p] == f.d.src[c] {
			out[famEvent] = 0
			if ev[p] == ev[c] {
				out[famEvent] = 1
			}
		}
	}
	if f.anum != nil && f.anum[p] >= 0 && f.anum[c] >= 0 {
		out[famANumber] = 0
		switch d := f.anum[p] - f.anum[c]; {
		case d == 0:
			out[famANumber] = anumSame
		case d >= -9 && d <= 9:
			out[famANumber] = anumAdjacent
		case d >= -99 && d <= 99:
			out[famANumber] = anumNear
		}
	}
	if f.country != nil && f.country[p] != 0 && f.country[c] != 0 {
		out[famCountry] = 0
		if f.country[p] == f.country[c] {
			out[famCountry] = 1
		}
	}
	return out
}

// sharedSurnames returns the famShared level of two persons: how many of
// their surnames agree, in any position.
func sharedSurnames(a, b *PersonName, fc *famCache) int {
	if a.Surname1.IsEmpty() || b.Surname1.IsEmpty() {
		return -1
	}
	ag := func(x, y *Name) bool { return !x.IsEmpty() && !y.IsEmpty() && agrees(fc.surname(x, y)) }
	n := 0
	var used [2]bool
	for _, x := range []*Name{&a.Surname1, &a.Surname2} {
		for j, y := range []*Name{&b.Surname1, &b.Surname2} {
			if !used[j] && ag(x, y) {
				used[j] = true
				n++
				break
			}
		}
	}
	return min(n, 2)
}

// surnameConvention returns the famSurnames level of p as the parent of
// c.
func surnameConvention(p, c *PersonName, fc *famCache) int {
	if p.Surname1.IsEmpty() || c.Surname1.IsEmpty() {
		return -1
	}
	ag := func(a, b *Name) bool { return !a.IsEmpty() && !b.IsEmpty() && agrees(fc.surname(a, b)) }
	c1p1, c2p2 := ag(&c.Surname1, &p.Surname1), ag(&c.Surname2, &p.Surname2)
	c2p1, c1p2 := ag(&c.Surname2, &p.Surname1), ag(&c.Surname1, &p.Surname2)
	both := !c.Surname2.IsEmpty() && !p.Surname2.IsEmpty()
	switch {
	case c1p1 && both && c2p2:
		return surnSame
	case c1p1 && both:
		return surnFather
	case c2p1 && !c1p1:
		return surnMother
	case c1p1:
		return surnFirst
	case c2p2 || c1p2:
		return surnOther
	}
	return 0
}

// ageLevel returns the famAge level of a parent born on p and a child
// born on c.
func ageLevel(p, c Date) int {
	if p.IsZero() || c.IsZero() {
		return -1
	}
	gap := float64(c.Year - p.Year)
	if p.complete() && c.complete() {
		gap = float64(c.days()-p.days()) / 365.25
	}
	switch {
	case gap >= 18 && gap <= 40:
		return ageTypical
	case gap >= 15 && gap <= 45:
		return agePlausible
	case gap >= 12 && gap <= 60:
		return ageFar
	}
	return 0
}

// groupLevel returns the famGroup level of records i and j.
func (r *relations) groupLevel(i, j int) int {
	l := -1
	for k := range r.groups {
		v := r.groups[k].val
		if v[i] == 0 || v[j] == 0 {
			continue
		}
		if v[i] == v[j] {
			return groupShared
		}
		l = 0
	}
	// The same family-scope dates and places, when neither shares an
	// identifier.
	have, same := false, true
	for k := range r.dates {
		a, b := r.dates[k].dates[i], r.dates[k].dates[j]
		if a.IsZero() || b.IsZero() {
			continue
		}
		have = true
		same = same && a == b
	}
	for k := range r.places {
		a, b := r.places[k].val[i], r.places[k].val[j]
		if a == 0 || b == 0 {
			continue
		}
		have = true
		same = same && a == b
	}
	switch {
	case have && same && len(r.dates) > 0 && len(r.places) > 0:
		return max(l, groupDatePlace)
	case have:
		return max(l, 0)
	}
	return l
}

// namedLevel returns how well a parent named in record c agrees with a
// person (see namedMatch), the best of c's named parents; -1 when c
// names no one or the person has no name.
func (r *relations) namedLevel(c int, p *PersonName, full *Name, fc *famCache) int {
	if full.IsEmpty() {
		return -1
	}
	l := -1
	for k := range r.parents {
		if nm := &r.parents[k].names[c]; !nm.IsEmpty() {
			l = max(l, fc.named(nm, p, full))
		}
	}
	return l
}

// The levels of namedMatch.
const (
	namedSurnames    = 1
	namedGiven       = 2
	namedGivenSurn   = 3
	namedFull        = 4
	namedLevelsCount = 5
)

// namedMatch returns how well a named parent, written given name first
// ("Marisol Argueta Lovo"), agrees with a person's name: namedFull when
// the given name and every other word agree, namedGivenSurn when the
// given name and a surname do, namedGiven for the given name alone,
// namedSurnames for surnames alone (as a sibling's would), 0 for none. A
// word agrees at NamePhonetic or better (nicknames included). p may be
// nil or empty, for a record with a full name only: its words then all
// count as both given names and surnames.
func namedMatch(named *Name, p *PersonName, full *Name) int {
	structured := p != nil && !p.Given.IsEmpty() && !p.Surname1.IsEmpty()
	agreesAny := func(i int, nm *Name) bool {
		for j := 0; j < min(len(nm.Words), maxWords); j++ {
			if compareWords(named, i, nm, j) >= NamePhonetic {
				return true
			}
		}
		return false
	}
	givenOf, surnOf := full, full
	if structured {
		givenOf, surnOf = &p.Given, &p.Surnames
	}
	given := agreesAny(0, givenOf)
	surn, all := 0, true
	for i := 1; i < min(len(named.Words), maxWords); i++ {
		switch {
		case agreesAny(i, surnOf):
			surn++
		case structured && agreesAny(i, &p.Given):
		default:
			all = false
		}
	}
	switch {
	case given && surn > 0 && all:
		return namedFull
	case given && surn > 0:
		return namedGivenSurn
	case given:
		return namedGiven
	case surn > 0:
		return namedSurnames
	}
	return 0
}

// names reports whether record c names a parent.
func (r *relations) names(c int) bool {
	for k := range r.parents {
		if !r.parents[k].names[c].IsEmpty() {
			return true
		}
	}
	return false
}

// comparePersons returns the levels of person P as the parent of person
// C: each record-level field's highest level over their records' pairs,
// the named-parent fields from all their records, and for each field the
// two records that reached its level.
func (f *famFeatures) comparePersons(P, C []int32, fc *famCache) (gamma, [numFamFields][2]int32) {
	var best [numFamFields]int8
	var ev [numFamFields][2]int32
	for k := range best {
		best[k] = -1
		ev[k] = [2]int32{-1, -1}
	}
	for _, p := range P {
		for _, c := range C {
			ls := f.compare(int(p), int(c), fc)
			for k, l := range ls {
				if l > best[k] {
					best[k], ev[k] = l, [2]int32{p, c}
				}
			}
		}
	}
	if f.rel != nil && len(f.rel.parents) > 0 {
		// cp: the child names the parent; pc: the other way round.
		cp, pc := -1, -1
		var cpEv, pcEv [2]int32
		pNames, cNames := false, false
		for _, p := range P {
			pNames = pNames || f.rel.names(int(p))
			for _, c := range C {
				cNames = cNames || f.rel.names(int(c))
				if l := f.rel.namedLevel(int(c), f.person(int(p)), &f.full[p], fc); l > cp {
					cp, cpEv = l, [2]int32{p, c}
				}
				if l := f.rel.namedLevel(int(p), f.person(int(c)), &f.full[c], fc); l > pc {
					pc, pcEv = l, [2]int32{p, c}
				}
			}
		}
		if cp >= 0 || pc >= 0 {
			best[famNamed], ev[famNamed] = int8(cp), cpEv
			if pc > cp {
				best[famNamed], ev[famNamed] = int8(pc), pcEv
			}
		}
		const named = namedGivenSurn
		switch {
		case cp >= named:
			best[famNamedBy], ev[famNamedBy] = byChild, cpEv
		case pc >= named:
			best[famNamedBy], ev[famNamedBy] = byReversed, pcEv
		case pNames:
			best[famNamedBy] = byParentNamed
		case cNames:
			best[famNamedBy] = byElse
		}
	}
	var g gamma
	for k, l := range best {
		g |= gamma(l+1) << (4 * k)
	}
	return g, ev
}

// FamilyOptions are the settings of ParentChild.
type FamilyOptions struct {
	// Threshold is the probability at or above which a pair of persons is
	// taken as parent and child (default 0.5).
	Threshold float64
	// Seed makes the sampling of random pairs reproducible.
	Seed uint64
	// MaxBlock caps the persons sharing one candidate key (default 60).
	MaxBlock int
	// Workers is the number of goroutines (0: one per CPU).
	Workers int
}

// ParentChild finds, among the persons of a linkage result (its
// clusters), the pairs of a parent or guardian and a child. The
// candidates are the pairs of persons that share a family identifier,
// whose A-numbers are at most five apart, or of whom one names a parent
// whose name shares the keys of its first word and another with the
// other's name. Both models are trained on the candidates without labels,
// by expectation-maximisation of m, u and λ together: the family model
// from u of random pairs of persons, over the candidates; the role model
// over the candidates in both orders, each counted by its probability of
// being of one family. Each pair of persons is then scored in the order
// the role model finds likelier.
func ParentChild(res *Result, opt FamilyOptions) *Families {
	if opt.Threshold <= 0 {
		opt.Threshold = 0.5
	}
	if opt.MaxBlock <= 0 {
		opt.MaxBlock = 60
	}
	d := res.Data
	fs := &Families{d: d, f: newFamFeatures(d), members: map[int32][]int32{}}
	var persons []int32
	for r, c := range res.Cluster {
		if _, ok := fs.members[c]; !ok {
			persons = append(persons, c)
		}
		fs.members[c] = append(fs.members[c], int32(r))
	}
	m := &ParentModel{}
	fs.Model = m
	if len(persons) < 2 {
		m.FamilyLambda, m.RoleLambda = 0.5, 0.5
		for k := range numFamFields {
			n := len(famLevelNames[k])
			m.Fields = append(m.Fields, ParentField{Name: famFieldNames[k], Levels: famLevelNames[k], M: initialM(n), U: initialM(n)})
		}
		return fs
	}
	familyActive, roleActive := make([]bool, numFamFields), make([]bool, numFamFields)
	for k := range familyActive {
		familyActive[k], roleActive[k] = k < numFamilyFields, k >= numFamilyFields
	}

	// Random ordered pairs of persons: the family model's starting u.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x66616d696c79))
	m.USamples = min(200_000, len(persons)*(len(persons)-1))
	sample := make([][2]int32, 0, m.USamples)
	for len(sample) < m.USamples {
		x, y := persons[rng.IntN(len(persons))], persons[rng.IntN(len(persons))]
		if x != y {
			sample = append(sample, [2]int32{x, y})
		}
	}
	ugs := make([]gamma, len(sample))
	fs.parallel(len(sample), opt.Workers, func(i int, fc *famCache) {
		ugs[i], _ = fs.f.comparePersons(fs.members[sample[i][0]], fs.members[sample[i][1]], fc)
	})
	counts := map[gamma]float64{}
	for _, g := range ugs {
		counts[g]++
	}
	upats := mergePatterns([]map[gamma]float64{counts})

	// The candidates, in both orders.
	cands := fs.candidates(persons, opt.MaxBlock)
	m.Candidates = len(cands)
	gs := make([][2]gamma, len(cands))
	fs.parallel(len(cands), opt.Workers, func(i int, fc *famCache) {
		c := cands[i]
		gs[i][0], _ = fs.f.comparePersons(fs.members[c.x], fs.members[c.y], fc)
		gs[i][1], _ = fs.f.comparePersons(fs.members[c.y], fs.members[c.x], fc)
	})
	ms := make([][]float64, numFamFields)
	us := make([][]float64, numFamFields)
	for k := range ms {
		levels := len(famLevelNames[k])
		ms[k] = initialM(levels)
		us[k] = levelShare(upats, k, levels, nil)
	}

	// The family model: u from random pairs; m by expectation-
	// maximisation in rounds, one per candidate rule, over the pairs it
	// found, each round estimating the fields its rule does not force;
	// then λ among the candidates, m and u held.
	sums := make([][]float64, numFamFields)
	seenW := make([]float64, numFamFields)
	for k := range sums {
		sums[k] = make([]float64, len(famLevelNames[k]))
	}
	for rule := range numCandRules {
		counts := map[gamma]float64{}
		for i, c := range cands {
			if c.rules&(1<<rule) != 0 {
				counts[gs[i][0]]++
			}
		}
		if len(counts) == 0 {
			continue
		}
		active := slices.Clone(familyActive)
		for _, k := range candRuleFields[rule] {
			active[k] = false
		}
		rms := make([][]float64, numFamFields)
		for k := range rms {
			rms[k] = initialM(len(famLevelNames[k]))
		}
		_, iters, seen := em(mergePatterns([]map[gamma]float64{counts}), active, rms, us, 0.1)
		m.Iterations[0] += iters
		for k := range active {
			if !active[k] || seen[k] < 1 {
				continue
			}
			for l := range rms[k] {
				sums[k][l] += seen[k] * rms[k][l]
			}
			seenW[k] += seen[k]
		}
	}
	for k := range ms {
		if seenW[k] > 0 {
			for l := range ms[k] {
				ms[k][l] = sums[k][l] / seenW[k]
			}
		}
	}
	famCounts := map[gamma]float64{}
	for i := range cands {
		famCounts[gs[i][0]]++
	}
	total := float64(len(persons)) * float64(len(persons)-1) / 2
	m.FamilyLambda = emLambda(mergePatterns([]map[gamma]float64{famCounts}), familyActive, ms, us, total)
	for k := range ms {
		m.Fields = append(m.Fields, ParentField{Name: famFieldNames[k], Levels: famLevelNames[k], M: slices.Clone(ms[k]), U: slices.Clone(us[k])})
	}
	// The role model, over the ordered candidates of one family.
	roleCounts := map[gamma]float64{}
	for i := range cands {
		fw, _ := m.weights(gs[i][0])
		pf := Probability(fw)
		roleCounts[gs[i][0]] += pf
		roleCounts[gs[i][1]] += pf
	}
	rpats := mergePatterns([]map[gamma]float64{roleCounts})
	for k := range ms {
		if roleActive[k] {
			us[k] = levelShare(rpats, k, len(famLevelNames[k]), nil)
		}
	}
	m.RoleLambda, m.Iterations[1] = emFree(rpats, roleActive, ms, us, 0.3)
	for k := range ms {
		if roleActive[k] {
			m.Fields[k].M, m.Fields[k].U = ms[k], us[k]
		}
	}

	// Score each pair in its likelier order.
	tw := MatchWeight(opt.Threshold)
	for i, c := range cands {
		fw, rw0 := m.weights(gs[i][0])
		_, rw1 := m.weights(gs[i][1])
		p := ParentPair{Parent: c.x, Child: c.y, Family: float32(fw), Role: float32(rw0), g: gs[i][0]}
		if rw1 > rw0 {
			p = ParentPair{Parent: c.y, Child: c.x, Family: float32(fw), Role: float32(rw1), g: gs[i][1]}
		}
		w := MatchWeight(Probability(float64(p.Family)) * Probability(float64(p.Role)))
		if w >= tw {
			p.Weight = float32(w)
			fs.Pairs = append(fs.Pairs, p)
		}
	}
	slices.SortFunc(fs.Pairs, func(x, y ParentPair) int {
		if x.Parent != y.Parent {
			return int(x.Parent - y.Parent)
		}
		return int(x.Child - y.Child)
	})
	return fs
}

// parallel calls fn(i, cache) for i in [0, n) from workers goroutines,
// each with its own cache, in chunks taken in turn.
func (fs *Families) parallel(n, workers int, fn func(i int, fc *famCache)) {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fc := newFamCache()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i, fc)
				}
			}
		}()
	}
	wg.Wait()
}

// The candidate rules of the family model, as bits.
const (
	candGroup    = 1 << iota // a family identifier in common
	candANumber              // A-numbers at most five apart
	candNamed                // one names the other as a parent
	numCandRules = 3
)

// candRuleFields are the fields each candidate rule forces to agree: a
// named parent's name key has a surname of the candidate parent, which is
// often the child's own.
var candRuleFields = [numCandRules][]int{{famGroup}, {famANumber}, {famNamed, famShared}}

// famCand is a candidate pair of persons, x < y, with the rules that
// found it.
type famCand struct {
	x, y  int32
	rules uint8
}

// candidates returns the unordered pairs of persons that share a family
// identifier or an A-number neighbourhood, or of whom one names a parent
// whose name shares the keys of its first word and another with the
// other's name, ordered by persons. A key shared by more than maxBlock
// persons is skipped.
func (fs *Families) candidates(persons []int32, maxBlock int) []famCand {
	f := fs.f
	var keys [2]map[uint64][]int32 // by rule: group, A-number
	for i := range keys {
		keys[i] = map[uint64][]int32{}
	}
	add := func(rule int, k uint64, p int32) {
		b := keys[rule][k]
		if len(b) > 0 && b[len(b)-1] == p {
			return
		}
		keys[rule][k] = append(b, p)
	}
	named := map[uint64][]int32{} // name keys of the parents records name
	for _, p := range persons {
		for _, r := range fs.members[p] {
			if rel := f.rel; rel != nil {
				for k := range rel.groups {
					if v := rel.groups[k].val[r]; v != 0 {
						add(0, hashSeed.u64(uint64(k)).u64(uint64(v)).sum(), p)
					}
				}
				for k := range rel.parents {
					for _, key := range firstWordKeys(&rel.parents[k].names[r], nil) {
						named[key] = append(named[key], p)
					}
				}
			}
			if f.anum != nil && f.anum[r] >= 0 {
				a := uint64(f.anum[r])
				add(1, hashSeed.str("a").u64(a/10).sum(), p)
				add(1, hashSeed.str("b").u64((a+5)/10).sum(), p)
			}
		}
	}
	found := map[uint64]uint8{}
	pair := func(x, y int32, rule uint8) {
		if x == y {
			return
		}
		if x > y {
			x, y = y, x
		}
		found[uint64(x)<<32|uint64(uint32(y))] |= rule
	}
	for i, rule := range []uint8{candGroup, candANumber} {
		for _, b := range keys[i] {
			b = slices.Compact(slices.Sorted(slices.Values(b)))
			if len(b) > maxBlock {
				continue
			}
			for i := range b {
				for j := i + 1; j < len(b); j++ {
					pair(b[i], b[j], rule)
				}
			}
		}
	}
	// A named parent meets the persons whose names share two words' keys
	// with it.
	if len(named) > 0 {
		byName := map[uint64][]int32{}
		for _, p := range persons {
			var ks []uint64
			for _, r := range fs.members[p] {
				ks = twoWordKeys(&f.full[r], ks)
			}
			for _, k := range slices.Compact(slices.Sorted(slices.Values(ks))) {
				if _, ok := named[k]; ok {
					byName[k] = append(byName[k], p)
				}
			}
		}
		for k, children := range named {
			parents := byName[k]
			if len(parents) > maxBlock {
				continue
			}
			for _, c := range children {
				for _, p := range parents {
					pair(c, p, candNamed)
				}
			}
		}
	}
	out := make([]famCand, 0, len(found))
	for k, rules := range found {
		out = append(out, famCand{int32(k >> 32), int32(uint32(k)), rules})
	}
	slices.SortFunc(out, func(a, b famCand) int {
		if a.x != b.x {
			return int(a.x - b.x)
		}
		return int(a.y - b.y)
	})
	return out
}

// firstWordKeys appends the keys of a name's first word with each other
// word: a named parent is written given name first.
func firstWordKeys(nm *Name, dst []uint64) []uint64 {
	keys := nm.Keys
	for y := 1; y < min(len(keys), maxWords); y++ {
		a, b := keys[0], keys[y]
		if a > b {
			a, b = b, a
		}
		dst = append(dst, hashSeed.str("n").str(a).str(b).sum())
	}
	return dst
}

// twoWordKeys appends the keys of every two words of a name, in either
// order.
func twoWordKeys(nm *Name, dst []uint64) []uint64 {
	keys := nm.Keys
	for x := 0; x < min(len(keys), maxWords); x++ {
		for y := x + 1; y < min(len(keys), maxWords); y++ {
			a, b := keys[x], keys[y]
			if a > b {
				a, b = b, a
			}
			dst = append(dst, hashSeed.str("n").str(a).str(b).sum())
		}
	}
	return dst
}

// emLambda estimates λ, the share of matches among all total pairs, by
// expectation-maximisation with m and u held, from the patterns of the
// candidate pairs: a pair no candidate rule finds is taken not to match.
// u comes from random pairs and counts the evidence that made a pair a
// candidate, so λ must be the prior of any pair, not of a candidate.
func emLambda(pats []pattern, active []bool, ms, us [][]float64, total float64) float64 {
	lw := make([][]float64, len(ms))
	for k := range ms {
		lw[k] = make([]float64, len(ms[k]))
		for l := range ms[k] {
			lw[k][l] = math.Log(ms[k][l] / us[k][l])
		}
	}
	var n float64
	for _, p := range pats {
		n += p.n
	}
	lambda := min(0.5, n/total/2)
	for range 1000 {
		prior := math.Log(lambda / (1 - lambda))
		var sp float64
		for _, p := range pats {
			s := prior
			for k := range ms {
				if l := p.g.level(k); l >= 0 && active[k] {
					s += lw[k][l]
				}
			}
			sp += p.n / (1 + math.Exp(-s))
		}
		nl := min(max(sp/total, 1e-12), 0.5)
		if math.Abs(nl-lambda) < 1e-6*lambda {
			return nl
		}
		lambda = nl
	}
	return lambda
}

// emFree runs expectation-maximisation on candidate patterns, estimating
// m, u and λ together, each with a small prior centred on its start; the
// fields not active take no part and keep their parameters.
func emFree(pats []pattern, active []bool, ms, us [][]float64, lambda float64) (float64, int) {
	const maxIter, tol = 1000, 1e-7
	nf := len(ms)
	m0 := make([][]float64, nf)
	u0 := make([][]float64, nf)
	for k := range ms {
		m0[k] = slices.Clone(ms[k])
		u0[k] = slices.Clone(us[k])
	}
	lm := make([][]float64, nf)
	nm := make([][]float64, nf)
	nu := make([][]float64, nf)
	for k := range ms {
		lm[k] = make([]float64, len(ms[k]))
		nm[k] = make([]float64, len(ms[k]))
		nu[k] = make([]float64, len(ms[k]))
	}
	iter := 1
	for ; iter <= maxIter; iter++ {
		for k := range ms {
			for l := range ms[k] {
				lm[k][l] = math.Log(ms[k][l] / us[k][l])
				nm[k][l], nu[k][l] = 0, 0
			}
		}
		prior := math.Log(lambda / (1 - lambda))
		var sp, sn float64
		for _, p := range pats {
			s := prior
			for k := 0; k < nf; k++ {
				if l := p.g.level(k); l >= 0 && active[k] {
					s += lm[k][l]
				}
			}
			pr := 1 / (1 + math.Exp(-s))
			sp += p.n * pr
			sn += p.n
			for k := 0; k < nf; k++ {
				if l := p.g.level(k); l >= 0 && active[k] {
					nm[k][l] += p.n * pr
					nu[k][l] += p.n * (1 - pr)
				}
			}
		}
		change := 0.0
		for k := range ms {
			if !active[k] {
				continue
			}
			var dm, du float64
			for l := range ms[k] {
				dm += nm[k][l]
				du += nu[k][l]
			}
			for l := range ms[k] {
				vm := (nm[k][l] + emPrior*m0[k][l]) / (dm + emPrior)
				vu := (nu[k][l] + emPrior*u0[k][l]) / (du + emPrior)
				change = max(change, math.Abs(vm-ms[k][l]), math.Abs(vu-us[k][l]))
				ms[k][l], us[k][l] = vm, vu
			}
		}
		nl := min(max(sp/sn, 1e-9), 1-1e-9)
		change = max(change, math.Abs(nl-lambda))
		lambda = nl
		if change < tol {
			break
		}
	}
	return lambda, min(iter, maxIter)
}

// ParentExplanation says why one person scored as the parent of another.
type ParentExplanation struct {
	ParentID, ChildID string   // the records explained, as "id (file)"
	Parent, Child     []string // the persons' records
	// SamePerson: the records are one person, who is not their own
	// parent.
	SamePerson bool
	// FamilyPrior and RolePrior are the two models' prior weights, Family
	// and Role their weights with the fields', and Weight and Probability
	// those of the product of their probabilities.
	FamilyPrior, RolePrior float64
	Fields                 []ParentFieldExplanation
	Family, Role           float64
	Weight, Probability    float64
	// Candidate reports whether a candidate rule puts the persons
	// together; if not, the pair was never scored.
	Candidate bool
}

// ParentFieldExplanation is one field's part in a parent-child score.
type ParentFieldExplanation struct {
	Field string
	// Role is set for the role model's fields.
	Role bool
	// Parent and Child are the values compared, each with its record's
	// id: those of the pair of records that reached the level.
	Parent, Child string
	Level         int
	LevelName     string
	M, U          float64
	Weight        float64
}

// Explain scores the person of record a as the parent of the person of
// record b, field by field.
func (fs *Families) Explain(res *Result, a, b int) *ParentExplanation {
	pa, pb := res.Cluster[a], res.Cluster[b]
	m := fs.Model
	e := &ParentExplanation{ParentID: fs.d.describe(a), ChildID: fs.d.describe(b)}
	e.FamilyPrior, e.RolePrior = m.PriorWeights()
	for _, r := range fs.members[pa] {
		e.Parent = append(e.Parent, fs.d.describe(int(r)))
	}
	for _, r := range fs.members[pb] {
		e.Child = append(e.Child, fs.d.describe(int(r)))
	}
	if pa == pb {
		e.SamePerson = true
		return e
	}
	g, ev := fs.f.comparePersons(fs.members[pa], fs.members[pb], nil)
	e.Family, e.Role = e.FamilyPrior, e.RolePrior
	for k := range m.Fields {
		f := &m.Fields[k]
		l := g.level(k)
		fe := ParentFieldExplanation{Field: f.Name, Role: k >= numFamilyFields, Level: l, LevelName: levelName(l, f.Levels), Weight: f.Weight(l)}
		if l >= 0 {
			fe.M, fe.U = f.M[l], f.U[l]
			if ev[k][0] >= 0 {
				fe.Parent, fe.Child = fs.f.values(k, int(ev[k][0]), int(ev[k][1]))
			}
		}
		e.Fields = append(e.Fields, fe)
		if fe.Role {
			e.Role += fe.Weight
		} else {
			e.Family += fe.Weight
		}
	}
	e.Probability = Probability(e.Family) * Probability(e.Role)
	e.Weight = MatchWeight(e.Probability)
	x, y := min(pa, pb), max(pa, pb)
	for _, c := range fs.candidates([]int32{x, y}, math.MaxInt32) {
		if c.x == x && c.y == y {
			e.Candidate = true
		}
	}
	return e
}

// values returns what field k compared in records p and c, each with its
// record's id.
func (f *famFeatures) values(k, p, c int) (string, string) {
	var a, b string
	switch k {
	case famSurnames, famShared:
		a, b = surnamesText(&f.persons[p]), surnamesText(&f.persons[c])
	case famAge:
		a, b = dateText(f.dob[p]), dateText(f.dob[c])
	case famGroup:
		a, b = f.rel.groupText(p), f.rel.groupText(c)
	case famNamed, famNamedBy:
		a, b = f.full[p].Text+f.rel.namedText(p), f.full[c].Text+f.rel.namedText(c)
	case famANumber:
		a, b = strconv.FormatInt(f.anum[p], 10), strconv.FormatInt(f.anum[c], 10)
	case famEvent:
		a, b = "same file", "same file"
	case famCountry:
		fd := &f.d.Fields[f.countryField()]
		a, b = fd.strs[p], fd.strs[c]
	}
	return a + " [" + f.d.ID(p) + "]", b + " [" + f.d.ID(c) + "]"
}

// namedText writes the parents record c names, with their relationship.
func (r *relations) namedText(c int) string {
	var named []string
	for q := range r.parents {
		if nm := &r.parents[q].names[c]; !nm.IsEmpty() {
			s := nm.Text
			if rel := r.parents[q].rel[c]; rel != "" {
				s += " (" + rel + ")"
			}
			named = append(named, s)
		}
	}
	if len(named) == 0 {
		return ""
	}
	return " naming " + strings.Join(named, "; ")
}

func (f *famFeatures) countryField() int {
	for k := range f.d.Fields {
		if f.d.Fields[k].Kind == KindPlace {
			return k
		}
	}
	return -1
}

func surnamesText(p *PersonName) string {
	if p.Surname2.IsEmpty() {
		return p.Surname1.Text
	}
	return p.Surname1.Text + " / " + p.Surname2.Text
}

func dateText(d Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// groupText writes a record's family identifiers, dates and places.
func (r *relations) groupText(i int) string {
	var parts []string
	for k := range r.groups {
		if v := r.groups[k].val[i]; v != 0 {
			parts = append(parts, r.groups[k].text[v])
		}
	}
	for k := range r.dates {
		if dt := r.dates[k].dates[i]; !dt.IsZero() {
			parts = append(parts, dateText(dt))
		}
	}
	for k := range r.places {
		if v := r.places[k].val[i]; v != 0 {
			parts = append(parts, r.places[k].text[v])
		}
	}
	return strings.Join(parts, " ")
}

// String writes the explanation as a table.
func (e *ParentExplanation) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "the person of %s as the parent of the person of %s\n", e.ParentID, e.ChildID)
	fmt.Fprintf(&s, "parent's records: %s\nchild's records:  %s\n", strings.Join(e.Parent, ", "), strings.Join(e.Child, ", "))
	if e.SamePerson {
		s.WriteString("the two records are one person, who is not their own parent\n")
		return s.String()
	}
	row := func(field, parent, child, level, m, u string, w float64) {
		fmt.Fprintf(&s, "%-18s %-30s %-30s %-12s %8s %8s %+8.2f\n", field, clip(parent, 30), clip(child, 30), level, m, u, w)
	}
	fmt.Fprintf(&s, "%-18s %-30s %-30s %-12s %8s %8s %8s\n", "field", "parent", "child", "level", "m", "u", "weight")
	row("(family prior)", "", "", "", "", "", e.FamilyPrior)
	for i, f := range e.Fields {
		if f.Role && (i == 0 || !e.Fields[i-1].Role) {
			fmt.Fprintf(&s, "one family: weight %.2f, probability %.6f\n", e.Family, Probability(e.Family))
			row("(role prior)", "", "", "", "", "", e.RolePrior)
		}
		m, u := "", ""
		if f.Level >= 0 {
			m, u = fmt.Sprintf("%.4f", f.M), fmt.Sprintf("%.4f", f.U)
		}
		row(f.Field, f.Parent, f.Child, f.LevelName, m, u, f.Weight)
	}
	fmt.Fprintf(&s, "parent and child within the family: weight %.2f, probability %.6f\n", e.Role, Probability(e.Role))
	fmt.Fprintf(&s, "parent-child probability %.6f (weight %.2f)\n", e.Probability, e.Weight)
	if !e.Candidate {
		s.WriteString("no candidate rule puts these persons together: the pair was not scored\n")
	}
	return s.String()
}
