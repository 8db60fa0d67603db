package linkage

import (
	"fmt"
	"math"
)

// A Model is a Fellegi-Sunter model: for each field, the probability of
// each comparison level among matching pairs (m) and among non-matching
// pairs (u), and the prior probability that two records match (Lambda).
// A pair's match weight is
//
//	log2(λ/(1−λ)) + Σ over fields of log2(m[level]/u[level])
//
// where a missing value (level −1) adds nothing, and exact agreement on a
// value uses, instead of the field's average u, the share of records
// holding that value (the term-frequency adjustment: two records sharing a
// rare surname are stronger evidence than two sharing García). The match
// probability is 2^w / (1 + 2^w).
type Model struct {
	// Lambda is the probability that two records drawn at random (from
	// different tables, when linking) are the same person.
	Lambda float64
	// Fields holds the parameters of each field of the Dataset, in order.
	Fields []FieldModel

	prior float64                // PriorWeight, kept by prepare
	lw    [maxFields][16]float64 // log2(m/u) by field and level+1
	tfw   [maxFields][]float64   // exact-level weight by interned value
	tfOn  [maxFields]bool
}

// FieldModel holds one field's parameters.
type FieldModel struct {
	Name   string
	Kind   Kind
	Levels []string
	// M[l] is the probability of level l among matching pairs where both
	// values are present, U[l] among non-matching pairs.
	M, U []float64
	// TF reports whether exact agreement is weighed by the frequency of
	// the value.
	TF bool
	// Rounds is the number of expectation-maximisation rounds that
	// estimated M; 0 means M is the starting guess.
	Rounds int
}

// Check reports whether the model fits the dataset: the same fields, of
// the same kinds, in the same order, with probabilities for every level.
// A model saved from one run (as JSON) can so score another.
func (m *Model) Check(d *Dataset) error {
	if !(m.Lambda > 0 && m.Lambda < 1) {
		return fmt.Errorf("the model's λ %v is not a probability", m.Lambda)
	}
	if len(m.Fields) != len(d.Fields) {
		return fmt.Errorf("the model has %d fields, the data %d", len(m.Fields), len(d.Fields))
	}
	for k := range m.Fields {
		f, df := &m.Fields[k], &d.Fields[k]
		if f.Kind != df.Kind {
			return fmt.Errorf("field %d is %s (%s) in the model, %s (%s) in the data", k+1, f.Name, f.Kind, df.Name, df.Kind)
		}
		if len(f.M) != len(df.Levels) || len(f.U) != len(df.Levels) {
			return fmt.Errorf("field %s: the model has %d and %d probabilities for %d levels", f.Name, len(f.M), len(f.U), len(df.Levels))
		}
		for l := range f.M {
			if !(f.M[l] > 0 && f.M[l] <= 1 && f.U[l] > 0 && f.U[l] <= 1) {
				return fmt.Errorf("field %s, level %s: m %v and u %v must be probabilities above 0", f.Name, df.Levels[l], f.M[l], f.U[l])
			}
		}
		f.Levels = df.Levels
	}
	return nil
}

// Weight returns the match weight of level l of the field without the
// term-frequency adjustment: log2(M[l]/U[l]), and 0 for a missing value.
func (f *FieldModel) Weight(l int) float64 {
	if l < 0 || l >= len(f.M) {
		return 0
	}
	return math.Log2(f.M[l] / f.U[l])
}

// PriorWeight returns log2(λ/(1−λ)), the weight of a pair before any
// field is compared.
func (m *Model) PriorWeight() float64 { return math.Log2(m.Lambda / (1 - m.Lambda)) }

// Probability turns a match weight into a match probability.
func Probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

// MatchWeight turns a match probability into a match weight, log2(p/(1−p)).
func MatchWeight(p float64) float64 { return math.Log2(p / (1 - p)) }

// prepare fills the weight tables from M, U and the dataset's value
// frequencies. It must be called after the parameters change.
func (m *Model) prepare(d *Dataset) {
	m.prior = m.PriorWeight()
	for k := range m.Fields {
		f := &m.Fields[k]
		m.lw[k] = [16]float64{}
		for l := range f.M {
			m.lw[k][l+1] = f.Weight(l)
		}
		m.tfOn[k] = f.TF && d != nil
		if !m.tfOn[k] {
			continue
		}
		df := &d.Fields[k]
		ex := len(f.M) - 1
		tw := make([]float64, len(df.freq))
		for v, fr := range df.freq {
			// A value's share is at least one record in n; an exact
			// agreement is never weaker than the field's average one by
			// more than a factor 2^8, so that a placeholder value shared
			// by a third of the records still counts a little.
			u := max(fr, 1/float64(len(df.val)))
			tw[v] = math.Log2(f.M[ex] / min(u, f.U[ex]*256))
		}
		m.tfw[k] = tw
	}
}

// gamma is a comparison vector: four bits per field holding level+1, so
// 0 is a missing value.
type gamma uint64

func (g gamma) level(k int) int { return int((g>>(4*k))&0xf) - 1 }

// compare returns the comparison vector of records i and j, through the
// cache c (which may be nil).
func (d *Dataset) compare(i, j int, c *nameCache) gamma {
	var g gamma
	swapped := false
	for k := range d.Fields {
		f := &d.Fields[k]
		var l int8
		switch {
		case f.Kind == KindSurname && swapped:
			// The given-name level already counts the surnames found in
			// the given names; their disagreement in place is no news.
			l = -1
		default:
			l = f.compare(i, j, c)
			swapped = swapped || (f.Kind == KindGiven && l == int8(NameSwapped))
		}
		g |= gamma(l+1) << (4 * k)
	}
	return g
}

// weight returns the match weight of records i and j compared as g.
func (m *Model) weight(d *Dataset, i, j int, g gamma) float64 {
	w := m.prior
	for k := range m.Fields {
		l := g.level(k)
		if m.tfOn[k] && l == len(m.Fields[k].M)-1 {
			vals := d.Fields[k].val
			if v := vals[i]; v != 0 && v == vals[j] {
				w += m.tfw[k][v]
				continue
			}
		}
		w += m.lw[k][l+1]
	}
	return w
}

// FieldWeights returns the weight each field contributed to the match
// weight of records i and j compared as g, term-frequency adjustment
// included.
func (m *Model) fieldWeights(d *Dataset, i, j int, g gamma, out []float64) []float64 {
	out = out[:0]
	for k := range m.Fields {
		l := g.level(k)
		w := m.lw[k][l+1]
		if m.tfOn[k] && l == len(m.Fields[k].M)-1 {
			vals := d.Fields[k].val
			if v := vals[i]; v != 0 && v == vals[j] {
				w = m.tfw[k][v]
			}
		}
		out = append(out, w)
	}
	return out
}

// String summarises the model: λ, and each field's m, u and weight by
// level.
func (m *Model) String() string {
	s := fmt.Sprintf("λ = %.3g (prior weight %.2f)\n", m.Lambda, m.PriorWeight())
	for _, f := range m.Fields {
		tf := ""
		if f.TF {
			tf = ", exact adjusted by frequency"
		}
		s += fmt.Sprintf("%s (%s, m estimated in %d rounds%s)\n", f.Name, f.Kind, f.Rounds, tf)
		for l := len(f.M) - 1; l >= 0; l-- {
			s += fmt.Sprintf("  %-10s m %.5f  u %.7f  weight %+6.2f\n", f.Levels[l], f.M[l], f.U[l], f.Weight(l))
		}
	}
	return s
}
