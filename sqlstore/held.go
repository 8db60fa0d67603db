package sqlstore

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"rescreen"
)

// Held inserts. A write transaction sends most of its statements one at a
// time, and on PostgreSQL each is a round trip to the server while the
// write lock is held: an import of a class spent most of its time waiting
// on them. The inserts whose result nothing in the transaction reads
// before its next other statement (a record, its projections, its audit
// event) are therefore held back and sent together, as multi-row INSERT
// statements, just before the transaction's next other statement, or its
// commit, or once heldMax rows are waiting.
//
// What a transaction reads is therefore what it wrote, as before: every
// read and every other write runs after the held rows are in. Rows go in
// by table in the order of rank (a family before its records, a record
// before the rows that refer to it), and within a table in the order they
// were held, so the audit chain's events keep their sequence. A held
// insert that fails fails at the flush, with the operation's name, and the
// transaction rolls back as any failed statement makes it.

// heldMax is the number of held rows that makes a transaction send them.
const heldMax = 2048

// heldSizes are the numbers of rows in one multi-row statement, largest
// first: a group of rows is sent as statements of these sizes, so that each
// table has a few statement texts, each prepared once.
var heldSizes = []int{256, 64, 16, 4, 1}

// heldSize is the number of rows of the next statement that sends rows
// of them: the largest of heldSizes that is not more.
func heldSize(rows int) int {
	for _, size := range heldSizes {
		if size <= rows {
			return size
		}
	}
	return heldSizes[len(heldSizes)-1]
}

// insertShape is an INSERT statement of one row taken apart:
// head "INSERT INTO t (a, b) VALUES ", row "(?, ?)", tail " ON CONFLICT DO
// NOTHING", a replacing upsert's or "", and the statement of each size in
// heldSizes.
type insertShape struct {
	head, row, tail string
	args            int
	multi           map[int]string
	// replace marks an upsert that replaces every column but the first,
	// its key: "ON CONFLICT (a) DO UPDATE SET b = excluded.b, …". One
	// statement cannot take a key twice, so a second row held for a key
	// takes the place of the first, which is what running both in turn
	// would leave.
	replace bool
}

var shapes sync.Map // statement -> *insertShape

// shapeOf takes apart a single-row INSERT statement written with "?"
// placeholders only.
func shapeOf(q string) (*insertShape, error) {
	if s, ok := shapes.Load(q); ok {
		return s.(*insertShape), nil
	}
	i := strings.Index(q, " VALUES (")
	if !strings.HasPrefix(q, "INSERT INTO ") || i < 0 {
		return nil, fmt.Errorf("held insert: not a single-row INSERT: %s", q)
	}
	j := strings.IndexByte(q[i:], ')')
	if j < 0 {
		return nil, fmt.Errorf("held insert: not a single-row INSERT: %s", q)
	}
	row := q[i+len(" VALUES ") : i+j+1]
	tail := q[i+j+1:]
	head := q[:i+len(" VALUES ")]
	replace := false
	if t := strings.TrimSpace(tail); t != "" && t != "ON CONFLICT DO NOTHING" {
		if replace = replacing(head, tail); !replace {
			return nil, fmt.Errorf("held insert: only a plain insert, ON CONFLICT DO NOTHING or an upsert that replaces every column but its key can be held: %s", q)
		}
	}
	s := &insertShape{head: head, row: row, tail: tail, args: strings.Count(row, "?"), multi: map[int]string{}, replace: replace}
	if strings.ContainsAny(row, "'\"") || s.args == 0 {
		return nil, fmt.Errorf("held insert: the row must be of placeholders: %s", q)
	}
	for _, n := range heldSizes {
		var b strings.Builder
		b.WriteString(s.head)
		for k := range n {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		b.WriteString(tail)
		s.multi[n] = b.String()
	}
	v, _ := shapes.LoadOrStore(q, s)
	return v.(*insertShape), nil
}

// replacing reports whether tail, after head "INSERT INTO t (a, b, c)
// VALUES ", is exactly "ON CONFLICT (a) DO UPDATE SET b = excluded.b, c =
// excluded.c", spacing aside.
func replacing(head, tail string) bool {
	open, end := strings.IndexByte(head, '('), strings.LastIndexByte(head, ')')
	if open < 0 || end < open {
		return false
	}
	cols := strings.Split(head[open+1:end], ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	if len(cols) < 2 {
		return false
	}
	sets := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		sets = append(sets, c+" = excluded."+c)
	}
	want := "ON CONFLICT (" + cols[0] + ") DO UPDATE SET " + strings.Join(sets, ", ")
	return strings.Join(strings.Fields(tail), " ") == want
}

// heldGroup is the rows held for one statement.
type heldGroup struct {
	shape *insertShape
	op    string // names the operation in an error
	rank  int
	args  []any
	rows  int
	keys  map[string]int // a replacing upsert's rows by key
}

// held are a transaction's held inserts, and the families' stages set by
// their derivations (setDerivedLater).
type held struct {
	groups []*heldGroup
	byQ    map[string]*heldGroup
	stages map[rescreen.FamilyID]rescreen.Stage
	rows   int
}

// insertLater holds the insert q of one row with args until the
// transaction's next statement or commit. rank orders the tables: lower
// first. op names the operation should the insert fail.
func (tx *Tx) insertLater(ctx context.Context, op string, rank int, q string, args ...any) error {
	s, err := shapeOf(q)
	if err != nil {
		return err
	}
	if len(args) != s.args {
		return fmt.Errorf("held insert %s: %d arguments for %d placeholders", op, len(args), s.args)
	}
	// The caller may reuse its buffers once the call returns.
	for i, a := range args {
		if b, ok := a.([]byte); ok && b != nil {
			args[i] = bytes.Clone(b)
		}
	}
	if tx.held.byQ == nil {
		tx.held.byQ = map[string]*heldGroup{}
	}
	g, ok := tx.held.byQ[q]
	if !ok {
		g = &heldGroup{shape: s, op: op, rank: rank}
		tx.held.byQ[q] = g
		tx.held.groups = append(tx.held.groups, g)
	}
	if s.replace {
		// By the key's text, so that a FamilyID and a string of the same
		// key are one key, as they are to the database.
		key := fmt.Sprint(args[0])
		if row, ok := g.keys[key]; ok {
			copy(g.args[row*s.args:], args)
			return nil
		}
		if g.keys == nil {
			g.keys = map[string]int{}
		}
		g.keys[key] = g.rows
	}
	g.args = append(g.args, args...)
	g.rows++
	tx.held.rows++
	if tx.held.rows >= heldMax {
		return tx.flushHeld(ctx)
	}
	return nil
}

// flushHeld sends the held rows.
func (tx *Tx) flushHeld(ctx context.Context) error {
	if tx.held.rows == 0 {
		return nil
	}
	groups, stages := tx.held.groups, tx.held.stages
	slices.SortStableFunc(groups, func(a, b *heldGroup) int { return a.rank - b.rank })
	tx.held = held{}
	for _, g := range groups {
		if err := tx.sendGroup(ctx, g); err != nil {
			// The rows are lost to this transaction: it must not commit,
			// even should a caller take the error for its own statement's
			// and go on.
			tx.heldErr = err
			return err
		}
	}
	if err := tx.sendStages(ctx, stages); err != nil {
		tx.heldErr = err
		return err
	}
	return nil
}

// setDerivedLater holds SetDerived's update of a family: the families
// whose derivations a transaction stores get their stages in one update
// per stage, after the held inserts.
func (tx *Tx) setDerivedLater(ctx context.Context, id rescreen.FamilyID, stage rescreen.Stage) error {
	if tx.held.stages == nil {
		tx.held.stages = map[rescreen.FamilyID]rescreen.Stage{}
	}
	if _, ok := tx.held.stages[id]; !ok {
		tx.held.rows++
	}
	tx.held.stages[id] = stage
	if tx.held.rows >= heldMax {
		return tx.flushHeld(ctx)
	}
	return nil
}

// sendStages sets the families' stages and clears their dirty marks, in
// statements of heldSizes families, families in order within a stage.
func (tx *Tx) sendStages(ctx context.Context, stages map[rescreen.FamilyID]rescreen.Stage) error {
	by := map[rescreen.Stage][]rescreen.FamilyID{}
	for id, st := range stages {
		by[st] = append(by[st], id)
	}
	for _, st := range slices.Sorted(maps.Keys(by)) {
		ids := by[st]
		slices.Sort(ids)
		for len(ids) > 0 {
			n := heldSize(len(ids))
			args := make([]any, 0, n+1)
			args = append(args, st)
			for _, id := range ids[:n] {
				args = append(args, id)
			}
			if _, err := tx.execNow(ctx, `UPDATE families SET stage = ?, dirty = 0 WHERE id IN (`+placeholders(n)+`)`, args...); err != nil {
				return translate("set derived", err)
			}
			ids = ids[n:]
		}
	}
	return nil
}

// sendGroup sends one group's rows in statements of heldSizes rows.
func (tx *Tx) sendGroup(ctx context.Context, g *heldGroup) error {
	args := g.args
	for rows := g.rows; rows > 0; {
		n := heldSize(rows)
		k := n * g.shape.args
		if _, err := tx.execNow(ctx, g.shape.multi[n], args[:k]...); err != nil {
			return translate(g.op, err)
		}
		args, rows = args[k:], rows-n
	}
	return nil
}

// The ranks of held inserts: a table's rows go in before those of a
// table of a higher rank, which may refer to them.
const (
	rankFamilies = iota
	rankRecords
	rankOthers
)

// rowIDs hands out the row numbers of the records a transaction inserts,
// so that a record's insert can be held while its name-search entries,
// keyed by the number, are written.
type rowIDs struct {
	next    int64   // SQLite: the next number
	block   []int64 // PostgreSQL: numbers drawn from the sequence
	started bool    // SQLite: next was read from the table
	drawn   int     // PostgreSQL: blocks drawn, each larger than the last
}

// recordRowID returns the row number of the next record the transaction
// inserts. On SQLite it is one more than the largest (what SQLite itself
// would give: writes are one at a time, so no other writer takes it
// meanwhile). On PostgreSQL it comes from the column's own sequence, in
// blocks that grow from 16 to 1,024 numbers within a transaction, so
// that a small change leaves few numbers unused.
func (tx *Tx) recordRowID(ctx context.Context) (int64, error) {
	r := &tx.rowids
	if tx.tx.d != postgresDialect {
		if !r.started {
			if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(rowid), 0) FROM records`).Scan(&r.next); err != nil {
				return 0, translate("record row number", err)
			}
			r.next++
			r.started = true
		}
		n := r.next
		r.next++
		return n, nil
	}
	if len(r.block) == 0 {
		size := min(16<<r.drawn, 1024)
		rows, err := tx.query(ctx, `SELECT nextval(pg_get_serial_sequence('records', 'rowid')) FROM generate_series(1, ?)`, size)
		if err != nil {
			return 0, translate("record row number", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			if err := rows.Scan(&n); err != nil {
				return 0, translate("record row number", err)
			}
			r.block = append(r.block, n)
		}
		if err := rows.Err(); err != nil || len(r.block) == 0 {
			return 0, translate("record row number", fmt.Errorf("no row number drawn: %v", err))
		}
		r.drawn++
	}
	n := r.block[0]
	r.block = r.block[1:]
	return n, nil
}
