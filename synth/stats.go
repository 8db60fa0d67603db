package synth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"rescreen"
)

// Stats counts what a class holds, in the terms of the figures of
// settlement.md section 7, so that a generated class can be checked against
// its targets and a run can report what it produced. It works on any
// Dataset, generated or imported, as long as each family's records are added
// together.
type Stats struct {
	Families  int
	Parents   int // persons with the role PARENT
	Guardians int // persons with the role LEGAL_GUARDIAN
	Children  int // persons with the role CHILD

	// ChildrenUnderFive counts the children younger than five on the day
	// of their first separation.
	ChildrenUnderFive int
	// RemovedWithoutChildren counts the parents removed from the U.S. while
	// a child separated from them stayed: the parent has a REMOVED custody
	// episode and at least one of their separated children was not removed
	// on the same day. A parent who later came back still counts.
	RemovedWithoutChildren int
	// InitiallyScreened counts the parents with an initial credible- or
	// reasonable-fear screening, and InitialNegative those whose first
	// initial screening was negative.
	InitiallyScreened int
	InitialNegative   int

	// Countries counts the families by the country of their first adult.
	Countries map[string]int
	// Records counts the records of each kind.
	Records map[rescreen.Kind]int
}

// Summarize generates the class cfg describes and returns its Stats.
func Summarize(cfg Config) (Stats, error) {
	var s Stats
	err := Generate(cfg, func(d *rescreen.Dataset) error {
		s.Add(d)
		return nil
	})
	return s, err
}

// Add counts the records of d. The records of one family must be added in
// the same call, because the counts follow references between them.
func (s *Stats) Add(d *rescreen.Dataset) {
	if s.Countries == nil {
		s.Countries = map[string]int{}
		s.Records = map[rescreen.Kind]int{}
	}
	for _, k := range rescreen.Kinds {
		s.Records[k] += d.Count(k)
	}
	s.Families += len(d.Families)

	role := make(map[rescreen.Ref]*rescreen.Person, len(d.Persons))
	type country struct {
		code  string
		adult bool // taken from an adult, who wins over a child
	}
	famCountry := make(map[rescreen.Ref]country, len(d.Families))
	for i := range d.Persons {
		p := &d.Persons[i]
		role[p.Key()] = p
		switch p.Role {
		case rescreen.RoleParent:
			s.Parents++
		case rescreen.RoleGuardian:
			s.Guardians++
		case rescreen.RoleChild:
			s.Children++
		}
		fam := p.Family.Resolve(p.Source)
		if c, ok := famCountry[fam]; !ok || (!c.adult && p.Role.IsAdult()) {
			famCountry[fam] = country{p.Country, p.Role.IsAdult()}
		}
	}
	for _, c := range famCountry {
		s.Countries[c.code]++
	}

	// The first separation of each child, and each adult's children.
	firstSep := map[rescreen.Ref]rescreen.Date{}
	childrenOf := map[rescreen.Ref][]rescreen.Ref{}
	for i := range d.Separations {
		sp := &d.Separations[i]
		child, parent := sp.Child.Resolve(sp.Source), sp.Parent.Resolve(sp.Source)
		if on, ok := firstSep[child]; !ok || sp.On.Before(on) {
			firstSep[child] = sp.On
		}
		if !slices.Contains(childrenOf[parent], child) {
			childrenOf[parent] = append(childrenOf[parent], child)
		}
	}
	for child, on := range firstSep {
		if p := role[child]; p != nil && p.Role == rescreen.RoleChild && !p.BirthDate.IsZero() && p.BirthDate.AgeOn(on) < 5 {
			s.ChildrenUnderFive++
		}
	}

	removedOn := map[rescreen.Ref][]rescreen.Date{}
	for i := range d.Custody {
		c := &d.Custody[i]
		if c.Kind == rescreen.CustodyRemoved {
			ref := c.Person.Resolve(c.Source)
			removedOn[ref] = append(removedOn[ref], c.Start)
		}
	}
	for parent, kids := range childrenOf {
		p := role[parent]
		if p == nil || p.Role != rescreen.RoleParent || len(removedOn[parent]) == 0 {
			continue
		}
		first := slices.MinFunc(removedOn[parent], rescreen.Date.Compare)
		for _, k := range kids {
			if !slices.Contains(removedOn[k], first) {
				s.RemovedWithoutChildren++
				break
			}
		}
	}

	type initial struct {
		on     rescreen.Date
		result rescreen.ScreeningResult
	}
	first := map[rescreen.Ref]initial{}
	for i := range d.Screenings {
		sc := &d.Screenings[i]
		if sc.Occasion != rescreen.OccasionInitial {
			continue
		}
		ref := sc.Person.Resolve(sc.Source)
		if f, ok := first[ref]; !ok || sc.On.Before(f.on) {
			first[ref] = initial{sc.On, sc.Result}
		}
	}
	for ref, f := range first {
		if p := role[ref]; p != nil && p.Role == rescreen.RoleParent {
			s.InitiallyScreened++
			if f.result == rescreen.ResultNegative {
				s.InitialNegative++
			}
		}
	}
}

// NegativeShare returns the share of negative results among the parents'
// initial screenings (gen.negative_cf_share).
func (s *Stats) NegativeShare() float64 { return ratio(s.InitialNegative, s.InitiallyScreened) }

// CountryShare returns the share of the families from the country.
func (s *Stats) CountryShare(code string) float64 { return ratio(s.Countries[code], s.Families) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String reports the counts as a table, for the command line and test logs.
func (s *Stats) String() string {
	var b strings.Builder
	row := func(label string, n int, note string) {
		fmt.Fprintf(&b, "%-42s %9d  %s\n", label, n, note)
	}
	row("families", s.Families, "")
	row("parents", s.Parents, "")
	row("legal guardians", s.Guardians, "")
	row("children", s.Children, "")
	row("children under five at separation", s.ChildrenUnderFive, pct(s.ChildrenUnderFive, s.Children)+" of children")
	row("parents removed without their children", s.RemovedWithoutChildren, pct(s.RemovedWithoutChildren, s.Parents)+" of parents")
	row("parents with an initial screening", s.InitiallyScreened, pct(s.InitiallyScreened, s.Parents)+" of parents")
	row("  of which negative", s.InitialNegative, pct(s.InitialNegative, s.InitiallyScreened))
	type kv struct {
		k string
		n int
	}
	var cs []kv
	for k, n := range s.Countries {
		cs = append(cs, kv{k, n})
	}
	slices.SortFunc(cs, func(a, b kv) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.k, b.k)) })
	b.WriteString("families by country:")
	for _, c := range cs {
		fmt.Fprintf(&b, " %s %s", c.k, pct(c.n, s.Families))
	}
	b.WriteString("\nrecords:")
	for _, k := range rescreen.Kinds {
		fmt.Fprintf(&b, " %s %d", k, s.Records[k])
	}
	b.WriteString("\n")
	return b.String()
}

func pct(a, b int) string { return fmt.Sprintf("%.1f%%", 100*ratio(a, b)) }
