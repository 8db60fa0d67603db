package linkage

import (
	"math"
	"strings"
	"testing"
)

// handModel is a model of given name, surname and date of birth with
// round weights, so that a test can say what each pair scores.
func handModel(t *testing.T, d *Dataset, weights map[Kind]map[int]float64, lambda float64) *Model {
	t.Helper()
	m := &Model{Lambda: lambda}
	for _, f := range d.Fields {
		fm := FieldModel{Name: f.Name, Kind: f.Kind, Levels: f.Levels}
		for l := range f.Levels {
			w, ok := weights[f.Kind][l]
			if !ok {
				w = -8
			}
			// m/u = 2^w with u small enough that m stays a probability.
			u := 1e-6
			fm.M = append(fm.M, u*math.Exp2(w))
			fm.U = append(fm.U, u)
		}
		m.Fields = append(m.Fields, fm)
	}
	return m
}

func readTestTable(t *testing.T, name, mapping, body string) *Table {
	t.Helper()
	m, err := ParseMapping(mapping)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ReadCSV(strings.NewReader(body), name, m, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// The collective clustering: two children of one apprehension event
// (twins, one Ana María, one Ana Lucía) and a shelter record of "Ana"
// that matches both. Connected components would make the twins one
// person through the shelter record; the family group keeps them apart,
// and the pair of the shelter record with the second twin is kept apart
// with the weight of the twins' own pair.
func TestCollectiveFamilyGroup(t *testing.T) {
	border := readTestTable(t, "border.csv", "id=id,first=given,last=surname,dob=date:YYYY-MM-DD,event=identifier@family",
		"id,first,last,dob,event\nb1,Ana María,López,2010-01-01,E1\nb2,Ana Lucía,López,2010-01-01,E1\n")
	shelter := readTestTable(t, "shelter.csv", "id=id,first=given,last=surname,dob=date:YYYY-MM-DD",
		"id,first,last,dob\ns1,Ana,López,2010-01-01\n")
	d, err := NewDataset([]*Table{border, shelter}, 1)
	if err != nil {
		t.Fatal(err)
	}
	weights := map[Kind]map[int]float64{
		KindGiven:   {int(NameExact): 8, int(NamePartial): 4, int(NameElse): -12},
		KindSurname: {int(SurnameExact): 10},
		KindDate:    {int(DateExact): 13},
	}
	model := handModel(t, d, weights, 1.0/16385) // prior weight -14
	for _, c := range []struct {
		name     string
		opt      Options
		twinsOne bool
	}{
		{"collective", Options{Dedupe: true, Model: model}, false},
		{"pairwise", Options{Dedupe: true, Model: model, Pairwise: true}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Link([]*Table{border, shelter}, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Cluster[0] == res.Cluster[1]; got != c.twinsOne {
				t.Errorf("twins in one cluster: %v, want %v (clusters %v)", got, c.twinsOne, res.Cluster)
			}
			if c.twinsOne {
				return
			}
			linked := 0
			for _, p := range res.Pairs {
				if p.Linked {
					linked++
				}
			}
			if linked != 1 || res.Cluster[2] != res.Cluster[0] {
				t.Errorf("want s1 with b1 only: %+v, clusters %v", res.Pairs, res.Cluster)
			}
			e := res.Explain(1, 2)
			if e.Clustering != ApartFamily || e.Final >= 0 || !strings.Contains(e.String(), "kept apart: b2 (border.csv) and b1 (border.csv)") {
				t.Errorf("explanation of b2 and s1:\n%s", e)
			}
		})
	}
}

// A pair the model alone would not link is linked through a third
// record, with the weight of the weaker link, and its explanation says
// so.
func TestCollectiveChain(t *testing.T) {
	a := readTestTable(t, "a.csv", "id=id,first=given,last=surname,dob=date:YYYY-MM-DD",
		"id,first,last,dob\na1,José Luis,Pérez,1980-05-06\n")
	b := readTestTable(t, "b.csv", "id=id,first=given,last=surname,dob=date:YYYY-MM-DD",
		"id,first,last,dob\nb1,José,Pérez,1980-05-06\n")
	c := readTestTable(t, "c.csv", "id=id,first=given,last=surname,dob=date:YYYY-MM-DD",
		"id,first,last,dob\nc1,José,Pérez,\n")
	tables := []*Table{a, b, c}
	d, err := NewDataset(tables, 1)
	if err != nil {
		t.Fatal(err)
	}
	weights := map[Kind]map[int]float64{
		KindGiven:   {int(NameExact): 8, int(NamePartial): 2},
		KindSurname: {int(SurnameExact): 10},
		KindDate:    {int(DateExact): 13},
	}
	res, err := Link(tables, Options{Model: handModel(t, d, weights, 1.0/16385)})
	if err != nil {
		t.Fatal(err)
	}
	// a1-b1 +11, b1-c1 +4, a1-c1 -2: a1 and c1 through b1, at +4.
	var ac *Pair
	for k := range res.Pairs {
		if p := &res.Pairs[k]; p.A == 0 && p.B == 2 {
			ac = p
		}
	}
	if ac == nil || !ac.Linked || ac.Decision != ByChain || ac.Weight != 4 || ac.Score != -2 {
		t.Fatalf("a1-c1: %+v in %+v", ac, res.Pairs)
	}
	if e := res.Explain(0, 2); e.Clustering != ByChain || !strings.Contains(e.String(), "linked through other records: the match of b1 (b.csv) and c1 (c.csv) (weight 4.00)") {
		t.Errorf("explanation:\n%s", e)
	}
}
