package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"slices"
	"strings"

	"rescreen"
	"rescreen/sqlstore"
)

// maxUnit is the most families one unit joins. Links in force that would
// join more (a chain of automatic links through common names, say) are
// not followed further, and the unit is evaluated without merging
// anything, so that its several family records send it to manual review.
const maxUnit = 50

// unitReader is what building a unit reads: the store inside a
// transaction, or outside one for a page.
type unitReader interface {
	LinksInForce(ctx context.Context, family rescreen.FamilyID) ([]rescreen.LinkCandidate, error)
	FamilyRecords(ctx context.Context, id rescreen.FamilyID) ([]sqlstore.RecordRow, error)
}

// A unit is a family together with the families that links in force join
// it to: a link between records of two families (the same person recorded
// by two agencies, or a parent and a child) makes them one family for the
// rules. Records keep the family their source gave them; the unit is
// built again from the links whenever it is needed, so a split (a link
// rejected) undoes it.
type unit struct {
	families []rescreen.FamilyID      // sorted; the first is the canonical family
	links    []rescreen.LinkCandidate // the links in force among them, by id
	oversize bool                     // links reach more than maxUnit families
}

// single reports whether the unit is the family alone, with no link to
// apply.
func (u *unit) single() bool { return len(u.families) == 1 && len(u.links) == 0 }

// unitOf finds the unit of the family by following links in force.
func unitOf(ctx context.Context, r unitReader, id rescreen.FamilyID) (*unit, error) {
	u := &unit{}
	seen := map[rescreen.FamilyID]bool{id: true}
	links := map[string]rescreen.LinkCandidate{}
	queue := []rescreen.FamilyID{id}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		ls, err := r.LinksInForce(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			for _, g := range []rescreen.FamilyID{l.Left.FamilyID, l.Right.FamilyID} {
				if seen[g] {
					continue
				}
				if len(seen) >= maxUnit {
					u.oversize = true
					continue
				}
				seen[g] = true
				queue = append(queue, g)
			}
			if seen[l.Left.FamilyID] && seen[l.Right.FamilyID] {
				links[l.ID] = l
			}
		}
	}
	for f := range seen {
		u.families = append(u.families, f)
	}
	slices.Sort(u.families)
	for _, l := range links {
		u.links = append(u.links, l)
	}
	slices.SortFunc(u.links, func(a, b rescreen.LinkCandidate) int { return strings.Compare(a.ID, b.ID) })
	return u, nil
}

// unconfirmedMerge reports whether a same-person link the unit applies was
// made by the model and not confirmed by a reviewer.
func (u *unit) unconfirmedMerge() bool {
	for _, l := range u.links {
		if l.Kind == rescreen.LinkSamePerson && l.State != rescreen.LinkConfirmed {
			return true
		}
	}
	return false
}

// hashLinks folds the links the unit applies into the hash of its records,
// so that the decision log tells a change of links from a change of
// records.
func (u *unit) hashLinks(inputs string) string {
	if len(u.links) == 0 && len(u.families) == 1 {
		return inputs
	}
	h := sha256.New()
	h.Write([]byte(inputs))
	for _, f := range u.families {
		h.Write([]byte("\nfamily " + string(f)))
	}
	for _, l := range u.links {
		h.Write([]byte("\nlink " + l.ID + " " + string(l.Kind) + " " + l.Left.RecordID + " " + l.Right.RecordID + " " + string(l.State)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// unitRecords reads the records of every family of the unit.
func unitRecords(ctx context.Context, r unitReader, u *unit) (map[rescreen.FamilyID][]sqlstore.RecordRow, []sqlstore.RecordRow, error) {
	by := make(map[rescreen.FamilyID][]sqlstore.RecordRow, len(u.families))
	var all []sqlstore.RecordRow
	for _, f := range u.families {
		rows, err := r.FamilyRecords(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		by[f] = rows
		all = append(all, rows...)
	}
	return by, all, nil
}

// unitDataset presents the unit's records to the rules as one family's:
//
//   - the canonical family's record stands for the family, and every
//     reference to another family of the unit points to it;
//   - the records that same-person links join form one person: the record
//     of the canonical family (else the one with the least key) stands for
//     it, merges the others' facts (see mergeFacts: a fact they give
//     differently becomes unknown), and keeps their names as name
//     variants; every reference to the others points to it;
//   - a parent-child link joins the two families and nothing more: it is
//     the model's finding, not evidence of parentage, so it adds no
//     relationship (a parent signing for a child is checked against the
//     relationships on record).
//
// With confirmedOnly, only same-person links a reviewer confirmed merge
// persons; the families stay joined. When the unit is oversize, nothing is
// merged: the rules see several family records and send the unit to
// manual review.
func unitDataset(u *unit, all []sqlstore.RecordRow, confirmedOnly bool) (*rescreen.Dataset, error) {
	d, err := datasetOf(all)
	if err != nil || u.oversize {
		return d, err
	}
	// The families.
	canon := rescreen.Ref("")
	famMap := map[rescreen.Ref]rescreen.Ref{}
	for i := range d.Families {
		if rescreen.FamilyID(d.Families[i].ID) == u.families[0] {
			canon = d.Families[i].Key()
		}
	}
	if canon == "" && len(d.Families) > 0 {
		canon = d.Families[0].Key()
	}
	kept := d.Families[:0]
	for _, f := range d.Families {
		if f.Key() == canon {
			kept = append(kept, f)
		} else {
			famMap[f.Key()] = canon
		}
	}
	d.Families = kept

	// The persons: union-find over the same-person links.
	idx := map[rescreen.Ref]int{}
	for i := range d.Persons {
		idx[d.Persons[i].Key()] = i
	}
	parent := make([]int, len(d.Persons))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, l := range u.links {
		if l.Kind != rescreen.LinkSamePerson || (confirmedOnly && l.State != rescreen.LinkConfirmed) {
			continue
		}
		a, okA := idx[l.Left.Key]
		b, okB := idx[l.Right.Key]
		if okA && okB {
			parent[find(a)] = find(b)
		}
	}
	groups := map[int][]int{}
	for i := range d.Persons {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	personMap := map[rescreen.Ref]rescreen.Ref{}
	drop := make([]bool, len(d.Persons))
	var variants []rescreen.NameVariant
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		// The persons are in key order (datasetOf sorts them); the
		// canonical family's record stands for the person if there is one.
		best := g[0]
		for _, i := range g {
			if d.Persons[i].Family.Resolve(d.Persons[i].Source) == canon {
				best = i
				break
			}
		}
		keep := &d.Persons[best]
		for _, i := range g {
			if i == best {
				continue
			}
			o := &d.Persons[i]
			mergeFacts(keep, o)
			personMap[o.Key()] = keep.Key()
			drop[i] = true
			variants = append(variants, rescreen.NameVariant{
				Meta:   rescreen.Meta{Source: o.Source, SourceID: o.SourceID + "#linked-name"},
				Person: keep.Key(), Kind: rescreen.NameKind("AS_RECORDED"),
				GivenNames: o.GivenNames, FirstSurname: o.FirstSurname, SecondSurname: o.SecondSurname,
			})
		}
	}
	persons := d.Persons[:0]
	for i, p := range d.Persons {
		if !drop[i] {
			persons = append(persons, p)
		}
	}
	d.Persons = persons
	d.Names = append(d.Names, variants...)

	// Every reference follows.
	err = d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error {
		src := r.Header().Source
		for _, f := range rescreen.Fields(k) {
			var m map[rescreen.Ref]rescreen.Ref
			switch f.RefKind {
			case rescreen.KindPersons:
				m = personMap
			case rescreen.KindFamilies:
				m = famMap
			default:
				continue
			}
			refs := f.Refs(r)
			changed := false
			out := make([]rescreen.Ref, len(refs))
			for i, ref := range refs {
				out[i] = ref
				if to, ok := m[ref.Resolve(src)]; ok {
					out[i], changed = to, true
				}
			}
			if changed {
				f.SetRefs(r, out)
			}
		}
		return nil
	})
	return d, err
}

// mergeFacts merges into p, the record that stands for a person, the
// facts of o, another record of the same person: each fact p lacks is
// taken from o; a fact the two records give differently becomes unknown,
// so that the rules ask for it (a missing fact never permits removal)
// instead of this code choosing one agency over another. The languages
// understood are those both records list (fewer languages can only make a
// form harder to take as understood), unknown when they share none. The
// record's own keys, family, names and notes stay p's; o's names are kept
// as a name variant by the caller.
func mergeFacts(p, o *rescreen.Person) {
	pv, ov := reflect.ValueOf(p).Elem(), reflect.ValueOf(o).Elem()
	t := pv.Type()
	for i := range pv.NumField() {
		switch t.Field(i).Name {
		case "Meta", "Family", "GivenNames", "FirstSurname", "SecondSurname", "Notes":
			continue
		case "Languages":
			if len(p.Languages) > 0 && len(o.Languages) > 0 {
				var both []string
				for _, l := range p.Languages {
					if slices.Contains(o.Languages, l) {
						both = append(both, l)
					}
				}
				p.Languages = both
				continue
			}
		}
		f, g := pv.Field(i), ov.Field(i)
		switch {
		case g.IsZero():
		case f.IsZero():
			f.Set(g)
		case !sameFact(f, g):
			f.SetZero()
		}
	}
}

// sameFact reports whether two values of a person's fact agree; for a
// flag, whether both point to the same value.
func sameFact(a, b reflect.Value) bool {
	if a.Kind() == reflect.Pointer {
		return a.Elem().Interface() == b.Elem().Interface()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// lifts reports whether an outcome lets removal proceed or leaves the
// family outside the settlement's procedures.
func lifts(o rescreen.Outcome) bool {
	return o == rescreen.OutcomeRemovalMay || o == rescreen.OutcomeNotCovered
}

// unitDerivation evaluates family id of the unit: the unit's records as one
// family's (see unitDataset). A link the model made and no reviewer
// confirmed never lifts protection: when the unit's outcome would let
// removal proceed (or leave the family uncovered) and a same-person link
// not confirmed merges persons, the unit is evaluated again with only the
// confirmed merges, and that evaluation stands if it protects the family.
// The stage is the family's own records'.
func (s *Service) unitDerivation(id rescreen.FamilyID, version int64, u *unit, by map[rescreen.FamilyID][]sqlstore.RecordRow, all []sqlstore.RecordRow) (derivation, *rescreen.Dataset, error) {
	own, err := datasetOf(append([]sqlstore.RecordRow(nil), by[id]...))
	if err != nil {
		return derivation{}, nil, err
	}
	d, err := unitDataset(u, all, false)
	if err != nil {
		return derivation{}, nil, err
	}
	ev, err := s.compute(id, all, d)
	if err != nil {
		return derivation{}, nil, err
	}
	if ev != nil && lifts(ev.outcome) && u.unconfirmedMerge() {
		d2, err := unitDataset(u, all, true)
		if err != nil {
			return derivation{}, nil, err
		}
		ev2, err := s.compute(id, all, d2)
		if err != nil {
			return derivation{}, nil, err
		}
		if !lifts(ev2.outcome) {
			d, ev = d2, ev2
		}
	}
	if ev != nil {
		ev.inputs = u.hashLinks(ev.inputs)
		// A unit's members are counted once however many families it has:
		// the report evaluates its families together (report.Tally.AddUnit).
		ev.report = nil
	}
	return derivation{id: id, version: version, stage: rescreen.StageOf(own), eval: ev, facts: snapshotOf(d), units: familyUnits(d), outreach: outreachOf(own)}, d, nil
}

// deriveUnit derives, inside the transaction, every family of id's unit,
// and returns them.
func (s *Service) deriveUnit(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, cause string) ([]rescreen.FamilyID, error) {
	u, err := unitOf(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if u.single() {
		rows, err := tx.FamilyRecords(ctx, id)
		if err != nil {
			return nil, err
		}
		dv, err := s.derivation(id, 0, rows)
		if err != nil {
			return nil, err
		}
		return u.families, s.storeDerivation(ctx, tx, dv, cause)
	}
	by, all, err := unitRecords(ctx, tx, u)
	if err != nil {
		return nil, err
	}
	for _, f := range u.families {
		dv, _, err := s.unitDerivation(f, 0, u, by, all)
		if err != nil {
			return nil, err
		}
		if err := s.storeDerivation(ctx, tx, dv, cause); err != nil {
			return nil, err
		}
	}
	return u.families, nil
}

// deriveAll derives, inside the transaction, every family of the list and
// of their units, each once.
func (s *Service) deriveAll(ctx context.Context, tx *sqlstore.Tx, fams []rescreen.FamilyID, cause string) error {
	done := map[rescreen.FamilyID]bool{}
	for _, f := range fams {
		if done[f] {
			continue
		}
		got, err := s.deriveUnit(ctx, tx, f, cause)
		if err != nil {
			return err
		}
		for _, g := range got {
			done[g] = true
		}
	}
	return nil
}

// SplitPerson takes a person record out of the persons it was joined to:
// every same-person link in force with the record at one end is rejected,
// with the reason, in one transaction that evaluates the units again. It
// returns the links rejected; each can be undone on its own (DecideLink
// UNDO). A record joined to nobody is a conflict.
func (s *Service) SplitPerson(ctx context.Context, recordID, reason string) ([]rescreen.LinkCandidate, error) {
	return s.split(ctx, "split person", reason, func(tx *sqlstore.Tx) ([]rescreen.LinkCandidate, error) {
		row, ok, err := tx.RecordByID(ctx, recordID)
		if err != nil {
			return nil, err
		}
		if !ok || row.Kind != rescreen.KindPersons {
			return nil, rescreen.Errorf(rescreen.ENOTFOUND, "person record %s not found", recordID)
		}
		ls, err := tx.LinksInForce(ctx, row.FamilyID)
		if err != nil {
			return nil, err
		}
		var out []rescreen.LinkCandidate
		for _, l := range ls {
			if l.Kind == rescreen.LinkSamePerson && (l.Left.RecordID == recordID || l.Right.RecordID == recordID) {
				out = append(out, l)
			}
		}
		return out, nil
	})
}

// SplitFamily takes a family out of its unit: every link in force between
// a record of the family and a record of another family is rejected, with
// the reason, in one transaction that evaluates the units again. Links
// within the family stay. It returns the links rejected.
func (s *Service) SplitFamily(ctx context.Context, id rescreen.FamilyID, reason string) ([]rescreen.LinkCandidate, error) {
	return s.split(ctx, "split family", reason, func(tx *sqlstore.Tx) ([]rescreen.LinkCandidate, error) {
		if _, ok, err := tx.FamilyByID(ctx, id); err != nil || !ok {
			if err == nil {
				err = rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
			}
			return nil, err
		}
		ls, err := tx.LinksInForce(ctx, id)
		if err != nil {
			return nil, err
		}
		var out []rescreen.LinkCandidate
		for _, l := range ls {
			if l.Left.FamilyID != l.Right.FamilyID {
				out = append(out, l)
			}
		}
		return out, nil
	})
}

// split rejects the links pick chooses, each with its history entry and
// audit event, and evaluates the units they joined again.
func (s *Service) split(ctx context.Context, op, reason string, pick func(*sqlstore.Tx) ([]rescreen.LinkCandidate, error)) ([]rescreen.LinkCandidate, error) {
	switch {
	case reason == "":
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "a reason is required to split"}}}).AsError(op)
	case len(reason) > 2000:
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "at most 2000 characters"}}}).AsError(op)
	}
	actor := rescreen.ActorFrom(ctx)
	now := s.Now().UTC()
	var out []rescreen.LinkCandidate
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		out = nil
		ls, err := pick(tx)
		if err != nil {
			return err
		}
		if len(ls) == 0 {
			return rescreen.Errorf(rescreen.ECONFLICT, "%s: no link in force to split", op)
		}
		for _, c := range ls {
			prev := c.State
			c.State, c.DecidedBy, c.DecidedAt, c.Reason, c.UpdatedAt = rescreen.LinkRejected, actor, now, reason, now
			if err := tx.PutLinkCandidate(ctx, &c); err != nil {
				return err
			}
			if err := s.recordLinkChange(ctx, tx, &c, prev, actor, now, op+": "+reason); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
