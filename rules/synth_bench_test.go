package rules

import (
	"testing"

	"rescreen"
	"rescreen/synth"
)

// BenchmarkEvaluateSynthetic evaluates families of the synthetic class (the
// first 10,000, round robin) with full explanations, as of 2018-12-01,
// and expands each result into its Go structure.
func BenchmarkEvaluateSynthetic(b *testing.B) {
	benchSynthetic(b, 0)
}

// BenchmarkEvaluateSyntheticCompact is BenchmarkEvaluateSynthetic with each
// result kept in the engine's compact form, which holds the same
// explanation: go test -run '^$' -bench EvaluateSyntheticCompact -cpu 1 ./rules
func BenchmarkEvaluateSyntheticCompact(b *testing.B) {
	benchSynthetic(b, 1)
}

// BenchmarkOutcomeSynthetic is BenchmarkEvaluateSynthetic keeping only the
// family outcome, as what-if does.
func BenchmarkOutcomeSynthetic(b *testing.B) {
	benchSynthetic(b, 2)
}

// BenchmarkEvaluateSyntheticInto is BenchmarkEvaluateSyntheticCompact
// with one compact result reused from family to family, as a stream over
// a whole class is evaluated: go test -run '^$' -bench EvaluateSyntheticInto -cpu 1 ./rules
func BenchmarkEvaluateSyntheticInto(b *testing.B) {
	benchSynthetic(b, 3)
}

func benchSynthetic(b *testing.B, mode int) {
	cfg := synth.DefaultConfig()
	cfg.Families = 10000
	var fams []*rescreen.Dataset
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		c := *d
		c.Families = append([]rescreen.Family(nil), d.Families...)
		c.Persons = append([]rescreen.Person(nil), d.Persons...)
		c.Names = append([]rescreen.NameVariant(nil), d.Names...)
		c.Identifiers = append([]rescreen.Identifier(nil), d.Identifiers...)
		c.Relationships = append([]rescreen.Relationship(nil), d.Relationships...)
		c.Separations = append([]rescreen.Separation(nil), d.Separations...)
		c.Custody = append([]rescreen.Custody(nil), d.Custody...)
		c.Proceedings = append([]rescreen.Proceeding(nil), d.Proceedings...)
		c.Screenings = append([]rescreen.Screening(nil), d.Screenings...)
		c.Evidence = append([]rescreen.EvidenceItem(nil), d.Evidence...)
		c.Elections = append([]rescreen.Election(nil), d.Elections...)
		c.Counsel = append([]rescreen.Counsel(nil), d.Counsel...)
		c.Contacts = append([]rescreen.ContactAttempt(nil), d.Contacts...)
		c.Preferences = append([]rescreen.Preference(nil), d.Preferences...)
		c.ReturnRequests = append([]rescreen.ReturnRequest(nil), d.ReturnRequests...)
		c.Benefits = append([]rescreen.Benefit(nil), d.Benefits...)
		fams = append(fams, &c)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	asOf := rescreen.NewDate(2018, 12, 1)
	var c Compact
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := fams[i%len(fams)]
		var o Outcome
		switch mode {
		case 0:
			o = e.Evaluate(d, asOf).Outcome
		case 1:
			o = e.EvaluateCompact(d, asOf).Outcome()
		case 3:
			e.EvaluateInto(d, asOf, &c)
			o = c.Outcome()
		default:
			o = e.Outcome(d, asOf)
		}
		if o == "" {
			b.Fatal("no outcome")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "families/s")
}
