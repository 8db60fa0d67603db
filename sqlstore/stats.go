package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"

	"rescreen"
)

// DeadlineRow is one deadline of a family's current determination that is
// overdue or may become so: OPEN or MISSED.
type DeadlineRow struct {
	Person string
	Clock  string
	Title  string
	Due    string // YYYY-MM-DD
	Status string
}

// PutWork replaces the family's removal holds in force (the references of
// the members held) and its open and missed deadlines, and keeps the
// dashboard's counters of them (migration 0009) in step. When nothing
// changed it writes nothing.
//
// The counters of the family itself (held families, first due dates) move
// here, from the family's rows before and after. A member, or a member's
// deadline, counts once while some family holds it: a member of a unit,
// whose every family carries the unit's determination, counts once. Which
// of those counts change is settled once, when the transaction commits
// (settleWork), for all the members whose rows it changed: asking here,
// family by family, would be a read between each family's inserts, and
// on PostgreSQL it made a derivation of many families send every
// family's rows alone.
func (tx *Tx) PutWork(ctx context.Context, id rescreen.FamilyID, holds []string, deadlines []DeadlineRow) error {
	oldHolds, oldDls, err := tx.work(ctx, id)
	if err != nil {
		return err
	}
	newHolds := set(holds)
	if maps.Equal(oldHolds, newHolds) && sameDeadlines(oldDls, deadlines) {
		return nil
	}
	tx.pre.holds.put(id, newHolds)
	tx.pre.deadlines.put(id, slices.Clone(deadlines))
	oldKeys, newKeys := deadlineKeys(oldDls), deadlineKeys(deadlines)
	tx.changes.note(id, oldHolds, newHolds, oldKeys, newKeys)
	// A family new to the work tables (every family of an import) has no
	// rows to delete, and a statement here would send the held rows of
	// the families before it.
	if len(oldHolds) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM work_holds WHERE family_id = ?`, id); err != nil {
			return translate("put work", err)
		}
	}
	if len(oldDls) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM work_deadlines WHERE family_id = ?`, id); err != nil {
			return translate("put work", err)
		}
	}
	for p := range newHolds {
		if err := tx.insertLater(ctx, "put work", rankOthers, `INSERT INTO work_holds (family_id, person) VALUES (?, ?)`, id, p); err != nil {
			return err
		}
	}
	clocks := map[string]bool{}
	for _, d := range oldDls {
		clocks[d.Clock] = true
	}
	for _, d := range deadlines {
		if err := tx.insertLater(ctx, "put work", rankOthers, `INSERT INTO work_deadlines (family_id, person, clock, title, due, status) VALUES (?, ?, ?, ?, ?, ?)`,
			id, d.Person, d.Clock, d.Title, d.Due, d.Status); err != nil {
			return err
		}
		if !clocks[d.Clock] {
			clocks[d.Clock] = true
			if err := tx.insertLater(ctx, "put work", rankOthers, `INSERT INTO work_clocks (clock, title) VALUES (?, ?) ON CONFLICT DO NOTHING`, d.Clock, d.Title); err != nil {
				return err
			}
		}
	}
	if was, is := len(oldHolds) > 0, len(newHolds) > 0; was != is {
		delta := 1
		if was {
			delta = -1
		}
		tx.count("held_families", "", delta)
	}
	oldFirst, hadOld := firstDue(oldDls)
	newFirst, hasNew := firstDue(deadlines)
	if hadOld != hasNew || oldFirst != newFirst {
		if hadOld {
			tx.count("first_due", oldFirst, -1)
		}
		if hasNew {
			tx.count("first_due", newFirst, 1)
		}
	}
	return nil
}

// workChanges are what a transaction's PutWork calls changed, for
// settleWork: each family's rows before its first change, and the members
// and deadlines some family gained or lost.
type workChanges struct {
	holdsBefore map[rescreen.FamilyID]map[string]bool
	dueBefore   map[rescreen.FamilyID]map[deadlineKey]bool
	persons     map[string]bool      // members whose holds changed
	keys        map[deadlineKey]bool // deadlines that changed
}

// note records one PutWork's change of the family's rows.
func (c *workChanges) note(id rescreen.FamilyID, oldHolds, newHolds map[string]bool, oldKeys, newKeys map[deadlineKey]bool) {
	if c.holdsBefore == nil {
		*c = workChanges{
			holdsBefore: map[rescreen.FamilyID]map[string]bool{},
			dueBefore:   map[rescreen.FamilyID]map[deadlineKey]bool{},
			persons:     map[string]bool{},
			keys:        map[deadlineKey]bool{},
		}
	}
	if _, ok := c.holdsBefore[id]; !ok {
		c.holdsBefore[id], c.dueBefore[id] = oldHolds, oldKeys
	}
	for p := range symmetricDifference(oldHolds, newHolds) {
		c.persons[p] = true
	}
	for k := range symmetricDifference(oldKeys, newKeys) {
		c.keys[k] = true
	}
}

func symmetricDifference[K comparable](a, b map[K]bool) map[K]bool {
	out := map[K]bool{}
	for k := range a {
		if !b[k] {
			out[k] = true
		}
	}
	for k := range b {
		if !a[k] {
			out[k] = true
		}
	}
	return out
}

// settleWork moves the counters of held members and of deadlines by what
// the transaction's PutWork calls changed, just before it commits. A
// member is held before the transaction if a family it did not change
// holds the member now, or a family it changed held the member before its
// first change; and held after if any family holds the member now. The
// same goes for a deadline, a member's clock and due date. The rows of
// all the families that hold the members concerned are read in a few
// queries.
func (tx *Tx) settleWork(ctx context.Context) error {
	c := tx.changes
	tx.changes = workChanges{}
	err := settleCount(ctx, tx, c.persons, c.holdsBefore, func(p string) string { return p },
		`SELECT person, family_id FROM work_holds WHERE person IN `,
		func(r rowScanner) (p string, f rescreen.FamilyID, err error) {
			err = r.Scan(&p, &f)
			return p, f, err
		},
		func(string) (string, string) { return "held_members", "" })
	if err != nil {
		return err
	}
	return settleCount(ctx, tx, c.keys, c.dueBefore, func(k deadlineKey) string { return k.person },
		`SELECT person, clock, due, family_id FROM work_deadlines WHERE person IN `,
		func(r rowScanner) (k deadlineKey, f rescreen.FamilyID, err error) {
			err = r.Scan(&k.person, &k.clock, &k.due, &f)
			return k, f, err
		},
		func(k deadlineKey) (string, string) { return "due", k.due + "|" + k.clock })
}

// settleCount moves the counter of each changed key (a member, or a
// deadline) by whether some family held it before the transaction and
// holds it now, for settleWork. before has the rows of the changed
// families before their first change; query (ending in "IN ") reads
// the rows, a key and a family each, of the members of the keys, which
// person gives; counter names a key's counter.
func settleCount[K comparable](ctx context.Context, tx *Tx, changed map[K]bool, before map[rescreen.FamilyID]map[K]bool,
	person func(K) string, query string, scan func(rowScanner) (K, rescreen.FamilyID, error), counter func(K) (string, string)) error {
	if len(changed) == 0 {
		return nil
	}
	heldBefore, heldAfter, persons := map[K]bool{}, map[K]bool{}, map[string]bool{}
	for _, keys := range before {
		for k := range keys {
			heldBefore[k] = true
		}
	}
	for k := range changed {
		persons[person(k)] = true
	}
	err := inChunks(slices.Sorted(maps.Keys(persons)), func(args []any, in string) error {
		rows, err := tx.query(ctx, query+`(`+in+`)`, args...)
		if err != nil {
			return translate("put work", err)
		}
		defer rows.Close()
		for rows.Next() {
			k, f, err := scan(rows)
			if err != nil {
				return translate("put work", err)
			}
			heldAfter[k] = true
			if _, changed := before[f]; !changed {
				heldBefore[k] = true
			}
		}
		return translate("put work", rows.Err())
	})
	if err != nil {
		return err
	}
	for k := range changed {
		delta := 0
		switch {
		case heldAfter[k] && !heldBefore[k]:
			delta = 1
		case !heldAfter[k] && heldBefore[k]:
			delta = -1
		}
		if delta != 0 {
			dim, value := counter(k)
			tx.count(dim, value, delta)
		}
	}
	return nil
}

// work returns the family's holds and deadlines as stored.
func (tx *Tx) work(ctx context.Context, id rescreen.FamilyID) (map[string]bool, []DeadlineRow, error) {
	if holds, ok := tx.pre.holds.get(id); ok {
		if dls, ok := tx.pre.deadlines.get(id); ok {
			if holds == nil {
				holds = map[string]bool{}
			}
			return holds, dls, nil
		}
	}
	holds := map[string]bool{}
	rows, err := tx.query(ctx, `SELECT person FROM work_holds WHERE family_id = ?`, id)
	if err != nil {
		return nil, nil, translate("put work", err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, nil, translate("put work", err)
		}
		holds[p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, translate("put work", err)
	}
	rows, err = tx.query(ctx, `SELECT person, clock, title, due, status FROM work_deadlines WHERE family_id = ?`, id)
	if err != nil {
		return nil, nil, translate("put work", err)
	}
	defer rows.Close()
	var dls []DeadlineRow
	for rows.Next() {
		var d DeadlineRow
		if err := rows.Scan(&d.Person, &d.Clock, &d.Title, &d.Due, &d.Status); err != nil {
			return nil, nil, translate("put work", err)
		}
		dls = append(dls, d)
	}
	return holds, dls, translate("put work", rows.Err())
}

// exists reports whether the query returns a row.
func (tx *Tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := tx.queryRow(ctx, query+` LIMIT 1`, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, translate("put work", err)
}

// count adds delta to a counter. The deltas are summed in the
// transaction and written once per counter when it commits (flushCounts):
// a family's derivation moves several counters, an import derives
// thousands of families per transaction, and on PostgreSQL every
// statement is a round trip. Nothing reads the counters inside a write
// transaction.
func (tx *Tx) count(dim, value string, delta int) {
	if tx.counts == nil {
		tx.counts = map[countKey]int{}
	}
	tx.counts[countKey{dim, value}] += delta
}

type countKey struct{ dim, value string }

// flushCounts writes the transaction's counter deltas, in key order; a
// counter that reaches zero is removed, so that the ranges the dashboard
// reads hold only what counts.
func (tx *Tx) flushCounts(ctx context.Context) error {
	keys := make([]countKey, 0, len(tx.counts))
	for k, d := range tx.counts {
		if d != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].dim != keys[j].dim {
			return keys[i].dim < keys[j].dim
		}
		return keys[i].value < keys[j].value
	})
	for _, k := range keys {
		delta := tx.counts[k]
		if _, err := tx.exec(ctx, `INSERT INTO stat_counts (dim, value, n) VALUES (?, ?, ?) ON CONFLICT (dim, value) DO UPDATE SET n = stat_counts.n + excluded.n`, k.dim, k.value, delta); err != nil {
			return translate("count", err)
		}
		if delta < 0 {
			if _, err := tx.exec(ctx, `DELETE FROM stat_counts WHERE dim = ? AND value = ? AND n = 0`, k.dim, k.value); err != nil {
				return translate("count", err)
			}
		}
	}
	tx.counts = nil
	return nil
}

func set(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// deadlineKey is what makes a deadline one: a member's clock and due date.
type deadlineKey struct{ person, clock, due string }

func deadlineKeys(ds []DeadlineRow) map[deadlineKey]bool {
	m := make(map[deadlineKey]bool, len(ds))
	for _, d := range ds {
		m[deadlineKey{d.Person, d.Clock, d.Due}] = true
	}
	return m
}

// sameDeadlines reports whether two lists hold the same rows, in any order.
func sameDeadlines(a, b []DeadlineRow) bool {
	if len(a) != len(b) {
		return false
	}
	cmp := func(x, y DeadlineRow) int {
		return strings.Compare(x.Person+"\x00"+x.Clock+"\x00"+x.Due+"\x00"+x.Status+"\x00"+x.Title, y.Person+"\x00"+y.Clock+"\x00"+y.Due+"\x00"+y.Status+"\x00"+y.Title)
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.Equal(a, b)
}

// firstDue returns the earliest due date of the deadlines.
func firstDue(ds []DeadlineRow) (string, bool) {
	if len(ds) == 0 {
		return "", false
	}
	first := ds[0].Due
	for _, d := range ds[1:] {
		first = min(first, d.Due)
	}
	return first, true
}

// StatsQuery gives the days the counts depend on.
type StatsQuery struct {
	Today     string // YYYY-MM-DD: a deadline due before it is overdue
	BornAfter string // YYYY-MM-DD: a person born after it is under five
}

// StatsRow is the raw counts; app puts them in order.
type StatsRow struct {
	Families, Persons         int
	Stages, Outcomes          map[string]int
	Countries                 []rescreen.CountryCount // most members first
	HeldFamilies, HeldMembers int
	UnderFive                 int
	Overdue, OverdueFamilies  int
	OverdueByClock            []rescreen.OverdueCount // most deadlines first
}

// Stats counts, in one read transaction so that the numbers agree, the
// families by stage and by outcome, the members by country, the persons
// under five, the holds in force and the overdue deadlines. Nothing is
// decoded and no table is read twice: the stages, outcomes and countries
// are each one pass over an index that covers them (some 10 ms per 100,000
// rows), the young children a range of the birth-date index, and the holds
// and overdue deadlines the counters PutWork keeps.
func (db *DB) Stats(ctx context.Context, q StatsQuery) (StatsRow, error) {
	out := StatsRow{Stages: map[string]int{}, Outcomes: map[string]int{}}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, translate("stats", err)
	}
	defer tx.Rollback()
	each := func(query string, fn func(*sql.Rows) error, args ...any) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return translate("stats", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return translate("stats", err)
			}
		}
		return translate("stats", rows.Err())
	}
	counts := func(into map[string]int, total *int) func(*sql.Rows) error {
		return func(rows *sql.Rows) error {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			into[k] = n
			if total != nil {
				*total += n
			}
			return nil
		}
	}
	if err := each(`SELECT stage, COUNT(*) FROM families GROUP BY stage`, counts(out.Stages, &out.Families)); err != nil {
		return out, err
	}
	if err := each(`SELECT outcome, COUNT(*) FROM determinations GROUP BY outcome`, counts(out.Outcomes, nil)); err != nil {
		return out, err
	}
	err = each(`SELECT country, COUNT(*) FROM persons GROUP BY country ORDER BY 2 DESC, 1`, func(rows *sql.Rows) error {
		var c rescreen.CountryCount
		if err := rows.Scan(&c.Country, &c.Persons); err != nil {
			return err
		}
		out.Countries = append(out.Countries, c)
		out.Persons += c.Persons
		return nil
	})
	if err != nil {
		return out, err
	}
	// A birth date is text in ISO order; an unknown one is '', after
	// nothing.
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM persons WHERE birth_date > ?`, q.BornAfter).Scan(&out.UnderFive); err != nil {
		return out, translate("stats", err)
	}
	counter := `COALESCE((SELECT n FROM stat_counts WHERE dim = ? AND value = ''), 0)`
	if err := tx.QueryRowContext(ctx, `SELECT `+counter+`, `+counter, "held_families", "held_members").Scan(&out.HeldFamilies, &out.HeldMembers); err != nil {
		return out, translate("stats", err)
	}
	// The 'due' counters are keyed YYYY-MM-DD|CLOCK, so those before
	// today's date are exactly the deadlines due before today.
	titles := map[string]string{}
	err = each(`SELECT clock, title FROM work_clocks`, func(rows *sql.Rows) error {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return err
		}
		titles[c] = t
		return nil
	})
	if err != nil {
		return out, err
	}
	err = each(`SELECT substr(value, instr(value, '|') + 1) AS clock, SUM(n) FROM stat_counts WHERE dim = 'due' AND value < ? GROUP BY clock ORDER BY 2 DESC, 1`, func(rows *sql.Rows) error {
		var c rescreen.OverdueCount
		if err := rows.Scan(&c.Clock, &c.Deadlines); err != nil {
			return err
		}
		c.Title = titles[c.Clock]
		out.OverdueByClock = append(out.OverdueByClock, c)
		out.Overdue += c.Deadlines
		return nil
	}, q.Today)
	if err != nil {
		return out, err
	}
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM stat_counts WHERE dim = 'first_due' AND value < ?`, q.Today).Scan(&out.OverdueFamilies)
	return out, translate("stats", err)
}
