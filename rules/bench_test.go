package rules

import (
	"math/rand/v2"
	"testing"

	"rescreen"
)

// benchFamilies is a fixed mix of realistic families: the worked scenarios
// of settlement.md section 9 at their as-of dates, and generated families
// of one to five members, complete or with the noise of agency data, at
// as-of dates from 2018 to 2027.
func benchFamilies(tb testing.TB) ([]*rescreen.Dataset, []rescreen.Date) {
	var ds []*rescreen.Dataset
	var dates []rescreen.Date
	for _, sc := range scenarios {
		for _, v := range sc.variants() {
			if v.params == nil {
				ds = append(ds, v.f.dataset())
				dates = append(dates, day(v.asOf))
			}
		}
	}
	r := rand.New(rand.NewPCG(42, 42))
	for len(ds) < 512 {
		d, asOf := genFamily(r)
		ds = append(ds, d)
		dates = append(dates, asOf)
	}
	return ds, dates
}

// BenchmarkEvaluate measures full evaluations, explanations included:
// go test -run '^$' -bench Evaluate -cpu 1 ./rules
func BenchmarkEvaluate(b *testing.B) {
	e := mustEngine(b, nil)
	ds, dates := benchFamilies(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(ds)
		if r := e.Evaluate(ds[k], dates[k]); r == nil {
			b.Fatal("no result")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "families/s")
}
