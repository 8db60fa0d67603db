package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"rescreen"
)

// FamilyRow is a family as stored.
type FamilyRow struct {
	ID        rescreen.FamilyID
	Source    rescreen.Source
	SourceID  string
	Stage     rescreen.Stage
	Version   int64
	Dirty     bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RecordRow is one record as stored: its keys and its canonical JSON.
type RecordRow struct {
	ID       string
	Kind     rescreen.Kind
	Source   rescreen.Source
	SourceID string
	FamilyID rescreen.FamilyID
	PersonID rescreen.PersonID // "" when the record is about no one person
	Batch    string
	Data     []byte
}

// PersonRow is the search projection of a person record.
type PersonRow struct {
	ID        rescreen.PersonID
	FamilyID  rescreen.FamilyID
	Role      rescreen.Role
	Name      string
	BirthDate string
	Country   string
	Custody   string
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// FamilyByKey returns the family with the source key.
func (tx *Tx) FamilyByKey(ctx context.Context, src rescreen.Source, sid string) (FamilyRow, bool, error) {
	return scanFamily(tx.queryRow(ctx, familySelect+` WHERE source = ? AND source_id = ?`, src, sid))
}

// FamilyByID returns the family with the id.
func (tx *Tx) FamilyByID(ctx context.Context, id rescreen.FamilyID) (FamilyRow, bool, error) {
	if _, ok := tx.pre.families.get(id); ok {
		f, found := tx.pre.families.val[id]
		return f, found, nil
	}
	return scanFamily(tx.queryRow(ctx, familySelect+` WHERE id = ?`, id))
}

const familySelect = `SELECT id, source, source_id, stage, version, dirty, created_at, updated_at FROM families`

type rowScanner interface{ Scan(...any) error }

func scanFamily(row rowScanner) (FamilyRow, bool, error) {
	var f FamilyRow
	var created, updated string
	err := row.Scan(&f.ID, &f.Source, &f.SourceID, &f.Stage, &f.Version, &f.Dirty, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, translate("family", err)
	}
	f.CreatedAt, f.UpdatedAt = parseTime(created), parseTime(updated)
	return f, true, nil
}

// InsertFamily adds a family.
// The insert is held (held.go).
func (tx *Tx) InsertFamily(ctx context.Context, f FamilyRow) error {
	tx.pre.families.forget(f.ID)
	return tx.insertLater(ctx, "insert family", rankFamilies, `INSERT INTO families (id, source, source_id, stage, version, dirty, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.Source, f.SourceID, f.Stage, f.Version, boolInt(f.Dirty), formatTime(f.CreatedAt), formatTime(f.UpdatedAt))
}

// TouchFamily records a change to the family: with bump its version grows
// by one, and dirty marks that its derived state must be recomputed.
func (tx *Tx) TouchFamily(ctx context.Context, id rescreen.FamilyID, at time.Time, bump, dirty bool) error {
	return tx.TouchFamilies(ctx, []rescreen.FamilyID{id}, at, bump, dirty)
}

// TouchFamilies is TouchFamily for many families, in few statements.
func (tx *Tx) TouchFamilies(ctx context.Context, ids []rescreen.FamilyID, at time.Time, bump, dirty bool) error {
	for _, id := range ids {
		tx.pre.families.forget(id)
	}
	for len(ids) > 0 {
		n := heldSize(len(ids))
		args := []any{bump, formatTime(at), dirty}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		if _, err := tx.exec(ctx, `UPDATE families SET version = version + ?, updated_at = ?, dirty = CASE WHEN ? = 1 THEN 1 ELSE dirty END WHERE id IN (`+placeholders(n)+`)`, args...); err != nil {
			return translate("touch family", err)
		}
		ids = ids[n:]
	}
	return nil
}

// SetDerived stores the family's derived state and clears its dirty mark.
func (tx *Tx) SetDerived(ctx context.Context, id rescreen.FamilyID, stage rescreen.Stage) error {
	tx.pre.families.forget(id)
	return tx.setDerivedLater(ctx, id, stage)
}

// MarkOutdated marks dirty every family whose determination was not made
// under the rule-set version, or that has none, and returns how many it
// marked.
func (tx *Tx) MarkOutdated(ctx context.Context, version string) (int64, error) {
	tx.forgetAll()
	res, err := tx.exec(ctx, `UPDATE families SET dirty = 1 WHERE dirty = 0 AND NOT EXISTS (SELECT 1 FROM determinations d WHERE d.family_id = families.id AND d.version = ?)`, version)
	if err != nil {
		return 0, translate("mark outdated", err)
	}
	n, err := res.RowsAffected()
	return n, translate("mark outdated", err)
}

// MarkFactsOutdated marks dirty every family whose stored facts are of
// another layout than the one given, and returns how many it marked.
func (tx *Tx) MarkFactsOutdated(ctx context.Context, layout string) (int64, error) {
	tx.forgetAll()
	res, err := tx.exec(ctx, `UPDATE families SET dirty = 1 WHERE dirty = 0 AND id IN (SELECT family_id FROM family_facts WHERE layout <> ?)`, layout)
	if err != nil {
		return 0, translate("mark facts outdated", err)
	}
	n, err := res.RowsAffected()
	return n, translate("mark facts outdated", err)
}

const recordSelect = `SELECT id, kind, source, source_id, family_id, COALESCE(person_id, ''), batch, data FROM records`

func scanRecord(row rowScanner) (RecordRow, bool, error) {
	var r RecordRow
	err := row.Scan(&r.ID, &r.Kind, &r.Source, &r.SourceID, &r.FamilyID, &r.PersonID, &r.Batch, &r.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, translate("record", err)
	}
	return r, true, nil
}

// RecordByKey returns the record of the kind with the source key.
func (tx *Tx) RecordByKey(ctx context.Context, kind rescreen.Kind, src rescreen.Source, sid string) (RecordRow, bool, error) {
	return scanRecord(tx.queryRow(ctx, recordSelect+` WHERE kind = ? AND source = ? AND source_id = ?`, kind, src, sid))
}

// RecordByID returns the record with the id, of any kind.
func (tx *Tx) RecordByID(ctx context.Context, id string) (RecordRow, bool, error) {
	return scanRecord(tx.queryRow(ctx, recordSelect+` WHERE id = ?`, id))
}

// InsertRecord adds a record and returns its row number, which keys the
// record's entries in the search indexes. The insert is held (held.go).
func (tx *Tx) InsertRecord(ctx context.Context, r RecordRow) (int64, error) {
	n, err := tx.recordRowID(ctx)
	if err != nil {
		return 0, err
	}
	return n, tx.insertLater(ctx, "insert record", rankRecords, `INSERT INTO records (rowid, id, kind, source, source_id, family_id, person_id, batch, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n, r.ID, r.Kind, r.Source, r.SourceID, r.FamilyID, nullString(string(r.PersonID)), r.Batch, r.Data)
}

// UpdateRecord replaces a record's document (its keys never change) and
// returns its row number.
func (tx *Tx) UpdateRecord(ctx context.Context, r RecordRow) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `UPDATE records SET person_id = ?, batch = ?, data = ? WHERE id = ? RETURNING rowid`, nullString(string(r.PersonID)), r.Batch, r.Data, r.ID).Scan(&n)
	return n, translate("update record", err)
}

// FamilyRecords returns every record of the family.
func (tx *Tx) FamilyRecords(ctx context.Context, id rescreen.FamilyID) ([]RecordRow, error) {
	return queryRecords(ctx, txQuerier{tx}, recordSelect+` WHERE family_id = ? ORDER BY kind, source, source_id`, id)
}

// PersonRecords returns the records of the kind about the person.
func (tx *Tx) PersonRecords(ctx context.Context, id rescreen.PersonID, kind rescreen.Kind) ([]RecordRow, error) {
	return queryRecords(ctx, txQuerier{tx}, recordSelect+` WHERE person_id = ? AND kind = ?`, id, kind)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryRecords(ctx context.Context, q querier, query string, args ...any) ([]RecordRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("records", err)
	}
	defer rows.Close()
	var out []RecordRow
	for rows.Next() {
		r, _, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, translate("records", rows.Err())
}

// PutPerson writes the search projection of a person, replacing any earlier one.
func (tx *Tx) PutPerson(ctx context.Context, p PersonRow, replace bool) error {
	q := `INSERT INTO persons (id, family_id, role, name, birth_date, country, custody) VALUES (?, ?, ?, ?, ?, ?, ?)`
	if replace {
		q = `INSERT INTO persons (id, family_id, role, name, birth_date, country, custody) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET family_id = excluded.family_id, role = excluded.role, name = excluded.name,
			birth_date = excluded.birth_date, country = excluded.country, custody = excluded.custody`
	}
	if !replace {
		tx.pre.persons.forget(p.FamilyID)
		return tx.insertLater(ctx, "put person", rankOthers, q, p.ID, p.FamilyID, p.Role, p.Name, p.BirthDate, p.Country, p.Custody)
	}
	// A replaced person may have moved from another family.
	tx.pre.persons = prefetched[map[string]bool]{}
	_, err := tx.exec(ctx, q, p.ID, p.FamilyID, p.Role, p.Name, p.BirthDate, p.Country, p.Custody)
	return translate("put person", err)
}

// PutNameSearch indexes the folded name words of a person or name variant
// record for search, replacing what the record had indexed before.
func (tx *Tx) PutNameSearch(ctx context.Context, recordRowID int64, person rescreen.PersonID, words string, replace bool) error {
	if replace {
		if _, err := tx.exec(ctx, `DELETE FROM name_search WHERE rowid = ?`, recordRowID); err != nil {
			return translate("name search", err)
		}
	}
	return tx.insertLater(ctx, "name search", rankOthers, `INSERT INTO name_search (rowid, person_id, words) VALUES (?, ?, ?)`, recordRowID, person, words)
}

// SetCustody stores the person's current custody kind.
func (tx *Tx) SetCustody(ctx context.Context, id rescreen.PersonID, custody string) error {
	_, err := tx.exec(ctx, `UPDATE persons SET custody = ? WHERE id = ?`, custody, id)
	return translate("set custody", err)
}

// SetCustodies stores the current custody kind of many persons (an
// import's), in a statement per kind and chunk of persons rather than one
// per person.
func (tx *Tx) SetCustodies(ctx context.Context, kinds map[rescreen.PersonID]string) error {
	return byValue(kinds, func(custody string, ids []rescreen.PersonID) error {
		return inChunks(ids, func(args []any, in string) error {
			_, err := tx.exec(ctx, `UPDATE persons SET custody = ? WHERE id IN (`+in+`)`, append([]any{custody}, args...)...)
			return translate("set custody", err)
		})
	})
}

// byValue calls fn for each value of m, in order, with its keys, in order.
func byValue[K ~string, V cmp.Ordered](m map[K]V, fn func(v V, keys []K) error) error {
	keys := map[V][]K{}
	for k, v := range m {
		keys[v] = append(keys[v], k)
	}
	for _, v := range slices.Sorted(maps.Keys(keys)) {
		if err := fn(v, slices.Sorted(slices.Values(keys[v]))); err != nil {
			return err
		}
	}
	return nil
}

// PutIdentifier writes the lookup projection of an identifier record.
func (tx *Tx) PutIdentifier(ctx context.Context, recordID string, person rescreen.PersonID, kind rescreen.IdentifierKind, value string, replace bool) error {
	if replace {
		if _, err := tx.exec(ctx, `DELETE FROM identifiers WHERE record_id = ?`, recordID); err != nil {
			return translate("put identifier", err)
		}
	}
	return tx.insertLater(ctx, "put identifier", rankOthers, `INSERT INTO identifiers (value, kind, record_id, person_id) VALUES (?, ?, ?, ?)`, value, kind, recordID, person)
}

// StartBatch records the start of an import batch.
func (tx *Tx) StartBatch(ctx context.Context, id, actor string, at time.Time, files any) error {
	b, err := json.Marshal(files)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO import_batches (id, actor, started_at, files) VALUES (?, ?, ?, ?)`, id, actor, formatTime(at), string(b))
	return translate("start batch", err)
}

// FinishBatch records an import batch's summary.
func (tx *Tx) FinishBatch(ctx context.Context, id string, summary any) error {
	b, err := json.Marshal(summary)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE import_batches SET summary = ? WHERE id = ?`, string(b), id)
	return translate("finish batch", err)
}

// AppendAudit appends the event to the chain: it sets the event's sequence
// number, previous hash and hash. The single writer connection serialises
// appends, so the chain cannot fork.
func (tx *Tx) AppendAudit(ctx context.Context, e *rescreen.AuditEvent) error {
	if err := tx.readHead(ctx); err != nil {
		return err
	}
	e.Seq = tx.headSeq + 1
	e.PrevHash = tx.headHash
	e.At = e.At.UTC()
	e.Hash = e.ComputeHash()
	err := tx.insertLater(ctx, "append audit", rankOthers, `INSERT INTO audit_events (seq, at, actor, action, family_id, subject, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, formatTime(e.At), e.Actor, e.Action, e.FamilyID, e.Subject, nullBytes(e.Before), nullBytes(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return err
	}
	tx.headSeq, tx.headHash = e.Seq, e.Hash
	return nil
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Exec runs a statement in the transaction; for tests that tamper with the
// store on purpose.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) error {
	tx.forgetAll()
	if err := tx.sendHeld(ctx); err != nil {
		return err
	}
	// Past the dialect's rewriting but not Statements: a tampering is not
	// one of the store's statements, whose plans the tests check.
	_, err := tx.tx.Tx.ExecContext(ctx, tx.tx.d.rewrite(q), tx.tx.d.args(args)...)
	return err
}

// maxIn is how many values a store's IN list takes at most: a statement
// holds at most 32,766 parameters on SQLite and 65,535 on PostgreSQL, and
// callers ask for a whole registry's.
const maxIn = 500

// inChunks calls fn with each run of at most maxIn of the ids, as the
// statement's arguments, and the placeholders of an IN list of them.
func inChunks[T ~string](ids []T, fn func(args []any, in string) error) error {
	for start := 0; start < len(ids); start += maxIn {
		chunk := ids[start:min(start+maxIn, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := fn(args, placeholders(len(chunk))); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// stmt returns the transaction's prepared statement for q. Preparing once
// per transaction instead of once per call saves a quarter of an import's
// time: parsing SQL is that costly next to executing it. On SQLite the
// writer keeps the statements across transactions too, which saves an
// eighth of a small change's time.
//
// On PostgreSQL it returns nil: the statement then runs on the transaction
// directly, and pgx prepares it once per connection and keeps it (its
// statement cache). A statement prepared through database/sql would be
// prepared on the server and deallocated again at the end of every
// transaction, two round trips more per statement, while the write lock
// is held.
func (tx *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := tx.stmts[q]; ok {
		return st, nil
	}
	if tx.tx.d == postgresDialect {
		return nil, nil // run on tx.tx, which records it for Statements
	}
	var st *sql.Stmt
	if kept, ok := tx.h.kept(q); ok {
		// Prepared on the writer's connection by an earlier transaction.
		st = tx.tx.Tx.StmtContext(ctx, kept)
	} else {
		var err error
		if st, err = tx.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		if tx.h.keeps() {
			tx.missed = append(tx.missed, q)
		}
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = st
	return st, nil
}

// exec, query and queryRow run a statement in the transaction, after the
// held inserts (held.go).
func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := tx.sendHeld(ctx); err != nil {
		return nil, err
	}
	return tx.execNow(ctx, q, args...)
}

// sendHeld sends the held inserts, or returns the error of a flush that
// failed before.
func (tx *Tx) sendHeld(ctx context.Context) error {
	if tx.heldErr != nil {
		return tx.heldErr
	}
	return tx.flushHeld(ctx)
}

func (tx *Tx) execNow(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.tx.ExecContext(ctx, q, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := tx.sendHeld(ctx); err != nil {
		return nil, err
	}
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.tx.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// errRow is a row whose Scan reports a preparation error.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	if err := tx.sendHeld(ctx); err != nil {
		return errRow{err}
	}
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	if st == nil {
		return tx.tx.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

type txQuerier struct{ tx *Tx }

func (q txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.tx.query(ctx, query, args...)
}

// DeterminationRow is a family's current determination.
type DeterminationRow struct {
	FamilyID   rescreen.FamilyID
	Version    string
	AsOf       string
	Outcome    string
	ResultHash string
	Format     string // "json" or "compact" (the rules' binary form)
	Result     []byte
}

// DecisionRow is one entry of the decision log.
type DecisionRow struct {
	FamilyID   rescreen.FamilyID
	At         time.Time
	Actor      string
	Cause      string
	Version    string
	AsOf       string
	AuditSeq   int64
	InputsHash string
	Outcome    string
	Previous   string
	Result     []byte
}

// PutRuleVersion records the parameters of a rule-set version the first
// time it is used.
// A version already recorded by a committed transaction of this process,
// or by this transaction, is not written again.
func (tx *Tx) PutRuleVersion(ctx context.Context, version string, params []byte, at time.Time) error {
	if _, ok := tx.db.ruleVersions.Load(version); ok || slices.Contains(tx.ruleVersions, version) {
		return nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO rule_versions (version, params, first_used) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, version, string(params), formatTime(at)); err != nil {
		return translate("rule version", err)
	}
	tx.ruleVersions = append(tx.ruleVersions, version)
	return nil
}

// Determination returns the family's stored determination.
func (tx *Tx) Determination(ctx context.Context, id rescreen.FamilyID) (DeterminationRow, bool, error) {
	if _, ok := tx.pre.dets.get(id); ok {
		d, found := tx.pre.dets.val[id]
		return d, found, nil
	}
	var d DeterminationRow
	err := tx.queryRow(ctx, `SELECT family_id, version, as_of, outcome, result_hash, format, result FROM determinations WHERE family_id = ?`, id).
		Scan(&d.FamilyID, &d.Version, &d.AsOf, &d.Outcome, &d.ResultHash, &d.Format, &d.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, translate("determination", err)
}

// PutDetermination stores the family's current determination.
func (tx *Tx) PutDetermination(ctx context.Context, d DeterminationRow) error {
	tx.pre.dets.forget(d.FamilyID)
	// On SQLite JSON is kept as text, the binary form as a blob; the
	// column is a blob on PostgreSQL, whose text may not hold a zero byte.
	var result any = d.Result
	if d.Format == "" || d.Format == "json" {
		d.Format = "json"
		if tx.tx.d == sqliteDialect {
			result = string(d.Result)
		}
	}
	return tx.insertLater(ctx, "put determination", rankOthers, `INSERT INTO determinations (family_id, version, as_of, outcome, result_hash, format, result) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (family_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, outcome = excluded.outcome,
		result_hash = excluded.result_hash, format = excluded.format, result = excluded.result`,
		d.FamilyID, d.Version, d.AsOf, d.Outcome, d.ResultHash, d.Format, result)
}

// PutFacts stores the family's records in the compact form named by
// layout (package snapshot), replacing what was there.
func (tx *Tx) PutFacts(ctx context.Context, id rescreen.FamilyID, layout string, data []byte) error {
	return tx.insertLater(ctx, "put facts", rankOthers, `INSERT INTO family_facts (family_id, layout, data) VALUES (?, ?, ?)
		ON CONFLICT (family_id) DO UPDATE SET layout = excluded.layout, data = excluded.data`, id, layout, data)
}

// AppendDecision adds an entry to the decision log.
func (tx *Tx) AppendDecision(ctx context.Context, d DecisionRow) error {
	return tx.insertLater(ctx, "append decision", rankOthers, `INSERT INTO decisions (family_id, at, actor, cause, version, as_of, audit_seq, inputs_hash, outcome, previous, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.FamilyID, formatTime(d.At), d.Actor, d.Cause, d.Version, d.AsOf, d.AuditSeq, d.InputsHash, d.Outcome, nullString(d.Previous), string(d.Result))
}

// AuditHeadSeq returns the sequence number of the newest audit event as
// this transaction sees it.
func (tx *Tx) AuditHeadSeq(ctx context.Context) (int64, error) {
	err := tx.readHead(ctx)
	return tx.headSeq, err
}

// readHead reads the newest audit event's sequence number and hash, once
// per transaction: the transaction holds the write lock, so only its own
// appends move the head after that, and they keep it. A derivation asks
// for the head for every family it stores; a read there would send the
// held rows of each family alone.
func (tx *Tx) readHead(ctx context.Context) error {
	if tx.headRead {
		return nil
	}
	err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&tx.headSeq, &tx.headHash)
	if errors.Is(err, sql.ErrNoRows) {
		tx.headSeq, tx.headHash = 0, rescreen.GenesisHash
	} else if err != nil {
		return translate("audit head", err)
	}
	tx.headRead = true
	return nil
}
