package linkage

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// febrl3 is the FEBRL3 benchmark file shipped beside the repository
// (../shared/data/linkage, see its README): 5,000 records of 2,000 people
// with typos, swapped fields and replaced values, and English names.
const febrl3 = "../../shared/data/linkage/dataset3.csv"

type febrlRecord struct {
	person string
	name   PersonName
	dob    Date
	ssid   string
}

func readFEBRL(t *testing.T, path string) []febrlRecord {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the shared benchmark data is not beside this checkout", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var recs []febrlRecord
	for _, r := range rows[1:] {
		for i := range r {
			r[i] = strings.TrimSpace(r[i]) // values are separated by ", "
		}
		// rec-N-org and rec-N-dup-K are the same person N.
		id := strings.Split(r[0], "-")
		var dob Date
		if s := r[9]; len(s) == 8 {
			dob = NewDate(digits(s[:4]), digits(s[4:6]), digits(s[6:]))
		}
		recs = append(recs, febrlRecord{id[1], NewPersonName(r[1], r[2], ""), dob, NormalizeANumber(r[10])})
	}
	return recs
}

func digits(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// levelShares counts, for true pairs (m) and random non-pairs (u), the
// share of pairs at each level of four comparators.
type levelShares struct {
	given, surname, dob, id [2][12]float64 // [m or u][level+1]
}

// On FEBRL3, each level above "else" of the name, date and identifier
// comparators must be far more common among true pairs than among random
// pairs; that is what makes a level worth having in a Fellegi-Sunter
// model. The bounds sit well below the measured ratios (noted beside each).
func TestComparatorsSeparateFEBRL3(t *testing.T) {
	recs := readFEBRL(t, febrl3)
	var s levelShares
	add := func(k int, x, y *febrlRecord, w float64) {
		s.given[k][CompareGivenNames(&x.name, &y.name)+1] += w
		s.surname[k][CompareSurnames(&x.name, &y.name)+1] += w
		s.dob[k][CompareDates(x.dob, y.dob)+1] += w
		s.id[k][CompareIDs(x.ssid, y.ssid)+1] += w
	}
	byPerson := map[string][]int{}
	for i, r := range recs {
		byPerson[r.person] = append(byPerson[r.person], i)
	}
	var pairs [][2]int
	for _, ix := range byPerson {
		for a := range ix {
			for b := a + 1; b < len(ix); b++ {
				pairs = append(pairs, [2]int{ix[a], ix[b]})
			}
		}
	}
	if len(pairs) != 6538 {
		t.Fatalf("found %d true pairs, the README says 6,538", len(pairs))
	}
	for _, p := range pairs {
		add(0, &recs[p[0]], &recs[p[1]], 1/float64(len(pairs)))
	}
	r := rand.New(rand.NewPCG(1, 1))
	const nonPairs = 100000
	for n := 0; n < nonPairs; {
		x, y := &recs[r.IntN(len(recs))], &recs[r.IntN(len(recs))]
		if x.person != y.person {
			add(1, x, y, 1.0/nonPairs)
			n++
		}
	}
	check := func(field string, shares [2][12]float64, level int, name string, minRatio float64) {
		m, u := shares[0][level+1], shares[1][level+1]
		if u == 0 {
			u = 1.0 / nonPairs // never seen among non-pairs
		}
		if m/u < minRatio {
			t.Errorf("%s %s: m = %.4f, u = %.5f, m/u = %.1f, want at least %.0f", field, name, m, u, m/u, minRatio)
		}
	}
	check("given", s.given, int(NameExact), "exact", 50)        // measured about 180
	check("given", s.given, int(NameClose), "close", 40)        // about 130
	check("given", s.given, int(NameSwapped), "swapped", 100)   // never among non-pairs
	check("given", s.given, int(NameFuzzy), "fuzzy", 15)        // about 57
	check("surname", s.surname, int(SurnameExact), "exact", 50) // about 200
	check("surname", s.surname, int(SurnameClose), "close", 50) // about 270
	check("surname", s.surname, int(SurnameFuzzy), "fuzzy", 20) // about 80
	check("dob", s.dob, int(DateExact), "exact", 1000)          // about 35,000
	check("dob", s.dob, int(DateTypo), "typo", 4)               // about 10
	check("id", s.id, int(IDExact), "exact", 1000)
	check("id", s.id, int(IDTransposed), "transposed", 100)
	check("id", s.id, int(IDOneDigit), "one digit", 100)
	// And the strong levels must catch most true pairs.
	if got := s.given[0][NameExact+1] + s.given[0][NameClose+1] + s.given[0][NameSwapped+1] + s.given[0][NameFuzzy+1]; got < 0.75 {
		t.Errorf("given names of true pairs at fuzzy or better: %.3f, want at least 0.75 (measured 0.80)", got)
	}
}
