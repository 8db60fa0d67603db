package linkage

import (
	"fmt"
	"slices"
	"testing"
)

// The blocking enumerates every pair of the union of its rules exactly
// once, and no other pair: checked against every pair of records, with a
// small cap so that some blocks are skipped, with the identifier rule of
// several keys per record, and with two tables linked.
func TestBlockingUnion(t *testing.T) {
	for _, linkOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("linkOnly=%v", linkOnly), func(t *testing.T) {
			tb, _ := synthTable(1500, 5)
			tables := []*Table{tb}
			if linkOnly {
				a, b := *tb, *tb
				a.IDs, a.Lines, b.IDs, b.Lines = tb.IDs[:700], tb.Lines[:700], tb.IDs[700:], tb.Lines[700:]
				a.Values, b.Values = make([][]string, len(tb.Values)), make([][]string, len(tb.Values))
				for c := range tb.Values {
					a.Values[c], b.Values[c] = tb.Values[c][:700], tb.Values[c][700:]
				}
				tables = []*Table{&a, &b}
			}
			d, err := NewDataset(tables, 2)
			if err != nil {
				t.Fatal(err)
			}
			rules := d.BlockingRules()
			const maxBlock = 8
			b := newBlocking(d, rules, linkOnly, maxBlock, 0, 3)
			seen := map[[2]int]int{}
			var mu = make(chan struct{}, 1)
			b.pairs(3, func(w, i, j int) {
				mu <- struct{}{}
				seen[[2]int{i, j}]++
				<-mu
			})
			// The blocks of each rule, by brute force.
			n := d.Len()
			keys := make([][][]uint64, len(rules))
			size := make([]map[uint64]int, len(rules))
			for q, r := range rules {
				keys[q] = make([][]uint64, n)
				size[q] = map[uint64]int{}
				for i := 0; i < n; i++ {
					if r.Keys != nil {
						keys[q][i] = sortedDistinct(r.Keys(i, nil))
					} else if k := r.Key(i); k != 0 {
						keys[q][i] = []uint64{k}
					}
					for _, k := range keys[q][i] {
						size[q][k]++
					}
				}
			}
			want := 0
			for i := 0; i < n; i++ {
				for j := i + 1; j < n; j++ {
					if linkOnly && d.Source(i) == d.Source(j) {
						continue
					}
					in := false
					for q := range rules {
						for _, k := range keys[q][i] {
							if size[q][k] <= maxBlock && slices.Contains(keys[q][j], k) {
								in = true
							}
						}
					}
					got := seen[[2]int{i, j}]
					if in {
						want++
					}
					if (in && got != 1) || (!in && got != 0) {
						t.Fatalf("pair %d %d: enumerated %d times, in the union: %v", i, j, got, in)
					}
				}
			}
			if want != len(seen) || want == 0 {
				t.Fatalf("%d pairs enumerated, %d in the union", len(seen), want)
			}
			var dropped, found int64
			for _, st := range b.Stats {
				dropped += st.Dropped
				found += st.Pairs
			}
			if found != int64(want) || dropped == 0 {
				t.Errorf("stats: %d pairs found (want %d), %d dropped (want some)", found, want, dropped)
			}
		})
	}
}

// The comparison budget keeps rules in order while their pairs fit.
func TestBlockingBudget(t *testing.T) {
	tb, _ := synthTable(3000, 6)
	d, err := NewDataset([]*Table{tb}, 2)
	if err != nil {
		t.Fatal(err)
	}
	rules := d.BlockingRules()
	all := newBlocking(d, rules, false, 0, 0, 2)
	budget := all.Stats[0].Raw + all.Stats[1].Raw
	b := newBlocking(d, rules, false, 0, budget, 2)
	if b.Stats[0].Skipped || b.Stats[1].Skipped {
		t.Fatalf("the first two rules fit exactly and were skipped: %+v", b.Stats[:2])
	}
	var kept int64
	for _, st := range b.Stats {
		if !st.Skipped {
			kept += st.Raw
		}
	}
	if kept > budget {
		t.Errorf("rules with %d pairs kept within a budget of %d", kept, budget)
	}
}

func TestOneToOne(t *testing.T) {
	// Records 0 and 1 in table 0, 2 and 3 in table 1.
	d := &Dataset{src: []uint16{0, 0, 1, 1}}
	w := func(p float64) float32 { return float32(MatchWeight(p)) }
	pairs := []Pair{
		{A: 0, B: 2, Weight: w(0.9)},
		{A: 0, B: 3, Weight: w(0.95)},
		{A: 1, B: 3, Weight: w(0.8)},
		{A: 1, B: 2, Weight: w(0.7)},
	}
	cl := cluster(d, pairs, 0.5, true)
	// Greedy: 0-3 (0.95) first, then 1-2 (0.7); 0-2 and 1-3 are left out.
	if cl[0] != cl[3] || cl[1] != cl[2] || cl[0] == cl[1] {
		t.Errorf("clusters %v", cl)
	}
	if !pairs[1].Linked || !pairs[3].Linked || pairs[0].Linked || pairs[2].Linked {
		t.Errorf("linked %+v", pairs)
	}
	cl = cluster(d, pairs, 0.5, false)
	if cl[0] != cl[1] || cl[1] != cl[2] || cl[2] != cl[3] {
		t.Errorf("connected components %v", cl)
	}
}
