package sqlstore

import (
	"context"

	"rescreen"
)

// Prefetching. Storing a family's derivation compares what the family has
// (its row, units, determination, work rows, queue and outreach rows)
// with what it gets, so that what did not change is not written: six or
// seven reads per family, each a round trip on PostgreSQL while the write
// lock is held. A transaction that stores many families (a chunk of
// DeriveDirty) reads all of that first, for all of them, in a few queries
// (Prefetch). A read of the transaction then takes the prefetched rows
// while they are still what the database has: every write of the
// transaction to one of these tables either sets the family's prefetched
// rows of that table to the rows it wrote, when it replaced them all, or
// forgets them (and a write it cannot place forgets everything), so that
// the next read asks the database again.

// prefetched are the rows of one table prefetched for some families; a
// family in has with no row in val has none.
type prefetched[T any] struct {
	has map[rescreen.FamilyID]bool
	val map[rescreen.FamilyID]T
}

func (p *prefetched[T]) get(id rescreen.FamilyID) (T, bool) {
	v := p.val[id]
	return v, p.has[id]
}

func (p *prefetched[T]) forget(id rescreen.FamilyID) {
	delete(p.has, id)
	delete(p.val, id)
}

// put sets the family's rows after a write of the transaction that
// replaced them, when the family is prefetched: the rows written are what
// the database has now, and the next read of them needs no round trip.
func (p *prefetched[T]) put(id rescreen.FamilyID, v T) {
	if p.has[id] {
		p.val[id] = v
	}
}

func (p *prefetched[T]) mark(ids []rescreen.FamilyID) {
	if p.has == nil {
		p.has, p.val = map[rescreen.FamilyID]bool{}, map[rescreen.FamilyID]T{}
	}
	for _, id := range ids {
		p.has[id] = true
	}
}

// familyState is what a transaction has prefetched.
type familyState struct {
	families  prefetched[FamilyRow]
	units     prefetched[[]string]
	dets      prefetched[DeterminationRow]
	holds     prefetched[map[string]bool]
	deadlines prefetched[[]DeadlineRow]
	queue     prefetched[[]QueueRow]
	outreach  prefetched[[]OutreachRow]
	persons   prefetched[map[string]bool] // the ids of the family's own person records
}

// forgetAll drops everything prefetched: after a write the transaction
// cannot place.
func (tx *Tx) forgetAll() { tx.pre = familyState{} }

// prefetchChunk is the number of families one prefetch query asks about.
const prefetchChunk = 500

// Prefetch reads, for the families, the rows that storing their
// derivations compares against, in a few queries per table; see above.
func (tx *Tx) Prefetch(ctx context.Context, ids []rescreen.FamilyID) error {
	for start := 0; start < len(ids); start += prefetchChunk {
		chunk := ids[start:min(start+prefetchChunk, len(ids))]
		if err := tx.prefetch(ctx, chunk); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) prefetch(ctx context.Context, ids []rescreen.FamilyID) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := `(` + placeholders(len(ids)) + `)`
	p := &tx.pre
	each := func(op, q string, scan func(rowScanner) error) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return translate(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return translate(op, err)
			}
		}
		return translate(op, rows.Err())
	}

	p.families.mark(ids)
	err := each("prefetch families", familySelect+` WHERE id IN `+in, func(r rowScanner) error {
		f, _, err := scanFamily(r)
		p.families.val[f.ID] = f
		return err
	})
	if err != nil {
		return err
	}
	p.units.mark(ids)
	err = each("prefetch family units", `SELECT family_id, unit FROM family_units WHERE family_id IN `+in+` ORDER BY family_id, unit`, func(r rowScanner) error {
		var id rescreen.FamilyID
		var u string
		err := r.Scan(&id, &u)
		p.units.val[id] = append(p.units.val[id], u)
		return err
	})
	if err != nil {
		return err
	}
	p.dets.mark(ids)
	err = each("prefetch determinations", `SELECT family_id, version, as_of, outcome, result_hash, format, result FROM determinations WHERE family_id IN `+in, func(r rowScanner) error {
		var d DeterminationRow
		err := r.Scan(&d.FamilyID, &d.Version, &d.AsOf, &d.Outcome, &d.ResultHash, &d.Format, &d.Result)
		p.dets.val[d.FamilyID] = d
		return err
	})
	if err != nil {
		return err
	}
	p.holds.mark(ids)
	err = each("prefetch work", `SELECT family_id, person FROM work_holds WHERE family_id IN `+in, intoSets(&p.holds))
	if err != nil {
		return err
	}
	p.deadlines.mark(ids)
	err = each("prefetch work", `SELECT family_id, person, clock, title, due, status FROM work_deadlines WHERE family_id IN `+in, func(r rowScanner) error {
		var id rescreen.FamilyID
		var d DeadlineRow
		err := r.Scan(&id, &d.Person, &d.Clock, &d.Title, &d.Due, &d.Status)
		p.deadlines.val[id] = append(p.deadlines.val[id], d)
		return err
	})
	if err != nil {
		return err
	}
	p.queue.mark(ids)
	err = each("prefetch queue", `SELECT `+queueColumns+` FROM schedule_queue WHERE family_id IN `+in+` ORDER BY family_id, person, remedy`, func(r rowScanner) error {
		var q QueueRow
		err := scanQueue(r, &q)
		p.queue.val[q.FamilyID] = append(p.queue.val[q.FamilyID], q)
		return err
	})
	if err != nil {
		return err
	}
	p.persons.mark(ids)
	err = each("prefetch persons", `SELECT family_id, id FROM persons WHERE family_id IN `+in, intoSets(&p.persons))
	if err != nil {
		return err
	}
	p.outreach.mark(ids)
	return each("prefetch outreach", `SELECT `+outreachColumns+` FROM outreach o WHERE o.family_id IN `+in+` ORDER BY o.family_id, o.person`, func(r rowScanner) error {
		o, err := scanOutreach(r)
		p.outreach.val[o.FamilyID] = append(p.outreach.val[o.FamilyID], o)
		return err
	})
}

// intoSets scans a (family, value) row into the family's set of values.
func intoSets(p *prefetched[map[string]bool]) func(rowScanner) error {
	return func(r rowScanner) error {
		var id rescreen.FamilyID
		var v string
		err := r.Scan(&id, &v)
		if p.val[id] == nil {
			p.val[id] = map[string]bool{}
		}
		p.val[id][v] = true
		return err
	}
}
