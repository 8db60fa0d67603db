package rules

import (
	"sort"

	"rescreen"
)

// SplitFamilies returns one dataset per family of d, in family key order.
// Persons go to the family they name; every other record goes to the
// family of the person (or family) it refers to: separations and counsel
// by their family, else their persons; relationships by either end; return
// requests by the parent. Records that reach no family are dropped. Two
// family records with the same key land in one dataset, where Evaluate
// reports them as a contradiction.
func SplitFamilies(d *rescreen.Dataset) []*rescreen.Dataset {
	if d == nil || len(d.Families) == 0 {
		return nil
	}
	famIdx := map[rescreen.Ref]int{}
	var keys []rescreen.Ref
	for i := range d.Families {
		k := d.Families[i].Key()
		if _, ok := famIdx[k]; !ok {
			famIdx[k] = -1
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]*rescreen.Dataset, len(keys))
	for i, k := range keys {
		famIdx[k] = i
		out[i] = &rescreen.Dataset{}
	}
	for i := range d.Families {
		f := &d.Families[i]
		out[famIdx[f.Key()]].Families = append(out[famIdx[f.Key()]].Families, *f)
	}
	full := func(r rescreen.Ref, src rescreen.Source) rescreen.Ref {
		if r == "" || hasSourcePrefix(string(r)) {
			return r
		}
		return rescreen.NewRef(src, string(r))
	}
	family := func(r rescreen.Ref, src rescreen.Source) int {
		if i, ok := famIdx[full(r, src)]; ok {
			return i
		}
		return -1
	}
	personFam := map[rescreen.Ref]int{}
	for i := range d.Persons {
		p := &d.Persons[i]
		if f := family(p.Family, p.Source); f >= 0 {
			personFam[p.Key()] = f
			out[f].Persons = append(out[f].Persons, *p)
		}
	}
	of := func(src rescreen.Source, refs ...rescreen.Ref) int {
		for _, r := range refs {
			if f, ok := personFam[full(r, src)]; ok && r != "" {
				return f
			}
		}
		return -1
	}
	for i := range d.Names {
		x := &d.Names[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Names = append(out[f].Names, *x)
		}
	}
	for i := range d.Identifiers {
		x := &d.Identifiers[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Identifiers = append(out[f].Identifiers, *x)
		}
	}
	for i := range d.Relationships {
		x := &d.Relationships[i]
		if f := of(x.Source, x.From, x.To); f >= 0 {
			out[f].Relationships = append(out[f].Relationships, *x)
		}
	}
	for i := range d.Separations {
		x := &d.Separations[i]
		f := family(x.Family, x.Source)
		if f < 0 {
			f = of(x.Source, x.Parent, x.Child)
		}
		if f >= 0 {
			out[f].Separations = append(out[f].Separations, *x)
		}
	}
	for i := range d.Custody {
		x := &d.Custody[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Custody = append(out[f].Custody, *x)
		}
	}
	for i := range d.Proceedings {
		x := &d.Proceedings[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Proceedings = append(out[f].Proceedings, *x)
		}
	}
	for i := range d.Screenings {
		x := &d.Screenings[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Screenings = append(out[f].Screenings, *x)
		}
	}
	for i := range d.Evidence {
		x := &d.Evidence[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Evidence = append(out[f].Evidence, *x)
		}
	}
	for i := range d.Elections {
		x := &d.Elections[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Elections = append(out[f].Elections, *x)
		}
	}
	for i := range d.Counsel {
		x := &d.Counsel[i]
		f := family(x.Family, x.Source)
		if f < 0 {
			f = of(x.Source, x.Person)
		}
		if f >= 0 {
			out[f].Counsel = append(out[f].Counsel, *x)
		}
	}
	for i := range d.Contacts {
		x := &d.Contacts[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Contacts = append(out[f].Contacts, *x)
		}
	}
	for i := range d.Preferences {
		x := &d.Preferences[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Preferences = append(out[f].Preferences, *x)
		}
	}
	for i := range d.ReturnRequests {
		x := &d.ReturnRequests[i]
		if f := of(x.Source, append([]rescreen.Ref{x.Parent}, x.Children...)...); f >= 0 {
			out[f].ReturnRequests = append(out[f].ReturnRequests, *x)
		}
	}
	for i := range d.Benefits {
		x := &d.Benefits[i]
		if f := of(x.Source, x.Person); f >= 0 {
			out[f].Benefits = append(out[f].Benefits, *x)
		}
	}
	return out
}
