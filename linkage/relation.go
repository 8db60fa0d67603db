package linkage

import "strings"

// relations hold what the records say beyond their own person: the
// family groups they belong to and the parents they name. They come from
// the columns of the family and parent scopes (see Scope), and feed the
// clustering, which keeps apart two records of one family group in one
// file that the person model does not match, and the family model
// (ParentChild). As with the person fields, the n-th family identifier
// (date, place, named parent) of one file meets the n-th of another.
type relations struct {
	groups  []relColumn // family-scope identifiers
	dates   []relDates  // family-scope dates
	places  []relColumn // family-scope places
	parents []relNames  // parent-scope full names, each with its relationship
	// events holds each record's event: a hash of its file and all its
	// event-scope values (0: none, or one of them missing). Events are
	// compared within a file only: a booking and a hearing on the same
	// day are not one event.
	events []uint64
}

// relColumn is one family-scope identifier or place by ordinal: each
// record's interned value (0: none) and the text of each value.
type relColumn struct {
	name string
	val  []uint32
	text []string
}

type relDates struct {
	name  string
	dates []Date
}

// relNames is one parent-scope full name by ordinal: each record's named
// person and the relationship written beside it (folded: "mother").
type relNames struct {
	name  string
	names []Name
	rel   []string
}

// any reports whether the records have family or parent columns at all.
func (r *relations) any() bool {
	return r != nil && (len(r.groups)+len(r.dates)+len(r.places)+len(r.parents) > 0 || r.events != nil)
}

// sameGroup reports whether records i and j share a family identifier.
func (r *relations) sameGroup(i, j int) bool {
	for k := range r.groups {
		v := r.groups[k].val
		if v[i] != 0 && v[i] == v[j] {
			return true
		}
	}
	return false
}

// newRelations reads the family and parent columns of the tables; it
// returns nil when there are none.
func newRelations(tables []*Table, start []int, n int) *relations {
	type col struct{ t, c int }
	ordinals := func(match func(Column) bool) [][]col {
		var out [][]col
		for t, tb := range tables {
			ord := 0
			for c, mc := range tb.Mapping {
				if !match(mc) {
					continue
				}
				if ord == len(out) {
					out = append(out, nil)
				}
				out[ord] = append(out[ord], col{t, c})
				ord++
			}
		}
		return out
	}
	r := &relations{}
	intern := func(cols []col, norm func(string) string) relColumn {
		rc := relColumn{name: tables[cols[0].t].Mapping[cols[0].c].Name, val: make([]uint32, n), text: []string{""}}
		ids := map[string]uint32{}
		for _, cc := range cols {
			for k, raw := range tables[cc.t].Values[cc.c] {
				if isNull(raw) {
					continue
				}
				v := norm(raw)
				if v == "" {
					continue
				}
				id, ok := ids[v]
				if !ok {
					id = uint32(len(rc.text))
					ids[v] = id
					rc.text = append(rc.text, v)
				}
				rc.val[start[cc.t]+k] = id
			}
		}
		return rc
	}
	family := func(k Kind) func(Column) bool {
		return func(c Column) bool {
			return c.Scope == ScopeFamily && (c.Kind == k || k == KindIdentifier && c.Kind == KindANumber)
		}
	}
	for _, cols := range ordinals(family(KindIdentifier)) {
		r.groups = append(r.groups, intern(cols, normalizeIdentifier))
	}
	for _, cols := range ordinals(family(KindPlace)) {
		r.places = append(r.places, intern(cols, Fold))
	}
	for _, cols := range ordinals(family(KindDate)) {
		rd := relDates{name: tables[cols[0].t].Mapping[cols[0].c].Name, dates: make([]Date, n)}
		for _, cc := range cols {
			layout := tables[cc.t].Mapping[cc.c].Layout
			for k, raw := range tables[cc.t].Values[cc.c] {
				if !isNull(raw) {
					rd.dates[start[cc.t]+k], _ = layout.Parse(raw)
				}
			}
		}
		r.dates = append(r.dates, rd)
	}
	// A parent's relationship is the first parent-scope text column after
	// its full name and before the next one.
	isParentName := func(c Column) bool { return c.Scope == ScopeParent && c.Kind == KindFullName }
	for _, cols := range ordinals(isParentName) {
		rn := relNames{name: tables[cols[0].t].Mapping[cols[0].c].Name, names: make([]Name, n), rel: make([]string, n)}
		for _, cc := range cols {
			m := tables[cc.t].Mapping
			relCol := -1
			for c := cc.c + 1; c < len(m) && !isParentName(m[c]); c++ {
				if m[c].Scope == ScopeParent && m[c].Kind == KindText {
					relCol = c
					break
				}
			}
			for k, raw := range tables[cc.t].Values[cc.c] {
				if isNull(raw) {
					continue
				}
				rn.names[start[cc.t]+k] = NewName(raw)
				if relCol >= 0 {
					rn.rel[start[cc.t]+k] = strings.TrimSpace(Fold(tables[cc.t].Values[relCol][k]))
				}
			}
		}
		r.parents = append(r.parents, rn)
	}
	for t, tb := range tables {
		var cols []int
		for c, mc := range tb.Mapping {
			if mc.Scope == ScopeEvent && mc.Kind != KindIgnore {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		if r.events == nil {
			r.events = make([]uint64, n)
		}
	rows:
		for k := range tb.IDs {
			h := hashSeed.u64(uint64(t))
			for _, c := range cols {
				v := tb.Values[c][k]
				if isNull(v) {
					continue rows
				}
				h = h.str(Fold(v))
			}
			r.events[start[t]+k] = h.sum()
		}
	}
	if !r.any() {
		return nil
	}
	return r
}
