package linkage

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkLinkDedupe dedupes synthetic agency records end to end
// (prepare, train, block, score, cluster) at 10,000 and 100,000 records,
// and at 1,000,000 with -linkage.1m:
//
//	go test ./linkage -run '^$' -bench LinkDedupe -benchtime 1x [-linkage.1m]
//
// It reports the records linked per second, the candidate pairs scored
// per second per core in the scoring stage, and the F1 reached.
func BenchmarkLinkDedupe(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if *bench1M {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			tb, truth := synthTable(n, 1)
			runtime.GC()
			var res *Result
			for b.Loop() {
				var err error
				res, err = Link([]*Table{tb}, Options{})
				if err != nil {
					b.Fatal(err)
				}
			}
			cores := float64(runtime.GOMAXPROCS(0))
			for _, t := range res.Timings {
				if t.Stage == "score" {
					b.ReportMetric(float64(res.Comparisons)/t.Took.Seconds()/cores, "cmp/s/core")
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(res.Comparisons), "comparisons")
			b.ReportMetric(synthAccuracy(res, truth).f1, "F1")
		})
	}
}

// BenchmarkCompareRecords measures one full comparison of two synthetic
// records, every field, as the scoring stage makes it.
func BenchmarkCompareRecords(b *testing.B) {
	tb, _ := synthTable(10_000, 1)
	d, err := NewDataset([]*Table{tb}, 1)
	if err != nil {
		b.Fatal(err)
	}
	n := d.Len()
	var sink gamma
	c := newNameCache()
	for i := 0; b.Loop(); i++ {
		sink ^= d.compare(i%n, (i*7919+1)%n, c)
	}
	_ = sink
}
