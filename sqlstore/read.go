package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"rescreen"
)

// Family returns the family row and every record of the family.
func (db *DB) Family(ctx context.Context, id rescreen.FamilyID) (FamilyRow, []RecordRow, error) {
	f, ok, err := scanFamily(db.read.QueryRowContext(ctx, familySelect+` WHERE id = ?`, id))
	if err != nil {
		return f, nil, err
	}
	if !ok {
		return f, nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
	}
	recs, err := queryRecords(ctx, db.read, recordSelect+` WHERE family_id = ?`, id)
	return f, recs, err
}

// Record returns the record with the id.
func (db *DB) Record(ctx context.Context, id string) (RecordRow, bool, error) {
	return scanRecord(db.read.QueryRowContext(ctx, recordSelect+` WHERE id = ?`, id))
}

// Query selects families or persons. Name tokens are matched by prefix;
// every token must begin a word of one name of the person.
type Query struct {
	NameTokens []string
	ANumber    string
	Country    string
	Custody    string
	Stage      string
	Role       string
	After      string
	Limit      int
	Reach      Reach // the families the caller may see
}

func (q Query) personWhere(db *DB) (string, []any) {
	var where []string
	var args []any
	if len(q.NameTokens) > 0 {
		// Every word must begin a word of one name of the person (the
		// record's own name or one name variant). The words are folded
		// letters and digits, so quoting them is enough to keep them inert.
		terms := make([][]NameTerm, len(q.NameTokens))
		for i, t := range q.NameTokens {
			terms[i] = []NameTerm{{Word: t, Prefix: true}}
		}
		cond, arg := db.nameMatch(terms)
		where = append(where, `p.id IN (SELECT person_id FROM name_search ns WHERE `+cond+`)`)
		args = append(args, arg)
	}
	if q.ANumber != "" {
		where = append(where, `p.id IN (SELECT person_id FROM identifiers WHERE value = ?)`)
		args = append(args, q.ANumber)
	}
	if q.Country != "" {
		where = append(where, `p.country = ?`)
		args = append(args, q.Country)
	}
	if q.Custody != "" {
		where = append(where, `p.custody = ?`)
		args = append(args, q.Custody)
	}
	if q.Role != "" {
		where = append(where, `p.role = ?`)
		args = append(args, q.Role)
	}
	return strings.Join(where, " AND "), args
}

// FamilyIDs returns one page of the ids of families matching q, in id order.
func (db *DB) FamilyIDs(ctx context.Context, q Query) ([]FamilyRow, error) {
	pw, args := q.personWhere(db)
	var where []string
	if pw != "" {
		where = append(where, `f.id IN (SELECT p.family_id FROM persons p WHERE `+pw+`)`)
	}
	if q.Stage != "" {
		where = append(where, `f.stage = ?`)
		args = append(args, q.Stage)
	}
	if rw, ra := q.Reach.where("f.id"); rw != "" {
		where = append(where, rw)
		args = append(args, ra...)
	}
	if q.After != "" {
		where = append(where, `f.id > ?`)
		args = append(args, q.After)
	}
	query := `SELECT f.id, f.source, f.source_id, f.stage, f.version, f.dirty, f.created_at, f.updated_at FROM families f`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY f.id LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("list families", err)
	}
	defer rows.Close()
	var out []FamilyRow
	for rows.Next() {
		f, _, err := scanFamily(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, translate("list families", rows.Err())
}

// Persons returns one page of persons matching q, in id order.
func (db *DB) Persons(ctx context.Context, q Query) ([]PersonRow, error) {
	where, args := q.personWhere(db)
	if q.Stage != "" {
		if where != "" {
			where += " AND "
		}
		where += `p.family_id IN (SELECT id FROM families WHERE stage = ?)`
		args = append(args, q.Stage)
	}
	if rw, ra := q.Reach.where("p.family_id"); rw != "" {
		if where != "" {
			where += " AND "
		}
		where += rw
		args = append(args, ra...)
	}
	if q.After != "" {
		if where != "" {
			where += " AND "
		}
		where += `p.id > ?`
		args = append(args, q.After)
	}
	query := `SELECT p.id, p.family_id, p.role, p.name, p.birth_date, p.country, p.custody FROM persons p`
	if where != "" {
		query += ` WHERE ` + where
	}
	query += ` ORDER BY p.id LIMIT ?`
	args = append(args, q.Limit)
	return db.queryPersons(ctx, query, args...)
}

// FamilyPersons returns the persons of the families.
func (db *DB) FamilyPersons(ctx context.Context, ids []rescreen.FamilyID) ([]PersonRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return db.queryPersons(ctx, `SELECT p.id, p.family_id, p.role, p.name, p.birth_date, p.country, p.custody FROM persons p WHERE p.family_id IN (`+placeholders(len(ids))+`) ORDER BY p.family_id, p.role DESC, p.id`, args...)
}

func (db *DB) queryPersons(ctx context.Context, query string, args ...any) ([]PersonRow, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("list persons", err)
	}
	defer rows.Close()
	var out []PersonRow
	for rows.Next() {
		var p PersonRow
		if err := rows.Scan(&p.ID, &p.FamilyID, &p.Role, &p.Name, &p.BirthDate, &p.Country, &p.Custody); err != nil {
			return nil, translate("list persons", err)
		}
		out = append(out, p)
	}
	return out, translate("list persons", rows.Err())
}

// ANumbers returns the A-numbers of the persons, by person, asked for
// maxIn at a time (the linkage asks for every person of the registry).
func (db *DB) ANumbers(ctx context.Context, ids []rescreen.PersonID) (map[rescreen.PersonID][]string, error) {
	out := map[rescreen.PersonID][]string{}
	err := inChunks(ids, func(args []any, in string) error {
		return collectPairs(ctx, db.read, "a-numbers", out, `SELECT person_id, value FROM identifiers WHERE person_id IN (`+in+`) AND kind = 'A_NUMBER' ORDER BY person_id, value`, args...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachRecord calls fn for every record of the kind in canonical order
// (source, then source id), for export.
func (db *DB) EachRecord(ctx context.Context, kind rescreen.Kind, fn func(RecordRow) error) error {
	rows, err := db.read.QueryContext(ctx, recordSelect+` WHERE kind = ? ORDER BY source, source_id`, kind)
	if err != nil {
		return translate("export", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, _, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return translate("export", rows.Err())
}

// EachAuditEvent calls fn for every audit event in sequence order.
func (db *DB) EachAuditEvent(ctx context.Context, fn func(*rescreen.AuditEvent) error) error {
	return db.eachAudit(ctx, fn, auditSelect+` ORDER BY seq`)
}

const auditSelect = `SELECT seq, at, actor, action, family_id, subject, before, after, prev_hash, hash FROM audit_events`

// eachAudit calls fn with each audit event the query (auditSelect and its
// conditions) returns.
func (db *DB) eachAudit(ctx context.Context, fn func(*rescreen.AuditEvent) error, query string, args ...any) error {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return translate("audit", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e rescreen.AuditEvent
		var at string
		var before, after []byte
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.FamilyID, &e.Subject, &before, &after, &e.PrevHash, &e.Hash); err != nil {
			return translate("audit", err)
		}
		e.At, e.Before, e.After = parseTime(at), before, after
		if err := fn(&e); err != nil {
			return err
		}
	}
	return translate("audit", rows.Err())
}

// AuditHead returns the newest event's sequence number and hash; an empty
// chain has sequence 0 and the genesis hash.
func (db *DB) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, rescreen.GenesisHash, nil
	}
	return seq, hash, translate("audit head", err)
}

// Counts returns the number of rows of each kind of record.
func (db *DB) Counts(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	rows, err := db.read.QueryContext(ctx, `SELECT kind, COUNT(*) FROM records GROUP BY kind`)
	if err != nil {
		return nil, translate("counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, translate("counts", err)
		}
		out[k] = n
	}
	var n int64
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events`).Scan(&n); err != nil {
		return nil, translate("counts", err)
	}
	out["audit_events"] = n
	return out, translate("counts", rows.Err())
}

// RecordByKey returns the record of the kind with the source key.
func (db *DB) RecordByKey(ctx context.Context, kind rescreen.Kind, src rescreen.Source, sid string) (RecordRow, bool, error) {
	return scanRecord(db.read.QueryRowContext(ctx, recordSelect+` WHERE kind = ? AND source = ? AND source_id = ?`, kind, src, sid))
}

// Empty reports whether the store holds no records at all; import uses it to
// skip look-ups that cannot find anything.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM records LIMIT 1) AS one`).Scan(&n)
	return n == 0, translate("empty", err)
}

// Determination returns the family's stored determination, if any.
func (db *DB) Determination(ctx context.Context, id rescreen.FamilyID) (DeterminationRow, bool, error) {
	var d DeterminationRow
	err := db.read.QueryRowContext(ctx, `SELECT family_id, version, as_of, outcome, result_hash, format, result FROM determinations WHERE family_id = ?`, id).
		Scan(&d.FamilyID, &d.Version, &d.AsOf, &d.Outcome, &d.ResultHash, &d.Format, &d.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	return d, err == nil, translate("determination", err)
}

// Decisions returns the decision log of the family, oldest first.
func (db *DB) Decisions(ctx context.Context, id rescreen.FamilyID) ([]DecisionRow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT family_id, at, actor, cause, version, as_of, audit_seq, inputs_hash, outcome, COALESCE(previous, ''), result FROM decisions WHERE family_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, translate("decisions", err)
	}
	defer rows.Close()
	var out []DecisionRow
	for rows.Next() {
		var d DecisionRow
		var at string
		if err := rows.Scan(&d.FamilyID, &at, &d.Actor, &d.Cause, &d.Version, &d.AsOf, &d.AuditSeq, &d.InputsHash, &d.Outcome, &d.Previous, &d.Result); err != nil {
			return nil, translate("decisions", err)
		}
		d.At = parseTime(at)
		out = append(out, d)
	}
	return out, translate("decisions", rows.Err())
}

// FactsRow is one family's facts as EachFacts reads them. Layout and Data
// are empty when the family has no facts stored, and Stale is true when
// the family changed after they were written: then its records are the
// facts.
type FactsRow struct {
	FamilyID rescreen.FamilyID
	Layout   string
	Data     string // the encoded facts (bytes, held as a string so that decoding need not copy them)
	Stale    bool
	Version  int64 // the family's version (FamilyFacts only)
}

// EachFacts calls fn with every family's stored facts, in batches of up to
// batch families, from one consistent snapshot of the store. Each batch is
// fn's to keep. The facts are read in the order they are stored, which is
// one sequential pass over their table; families without facts come last,
// with an empty layout.
func (db *DB) EachFacts(ctx context.Context, batch int, fn func([]FactsRow) error) error {
	if batch < 1 {
		batch = 1
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return translate("each facts", err)
	}
	defer tx.Rollback()
	// The first statement fixes the snapshot the others read.
	stale := map[rescreen.FamilyID]bool{}
	if err := eachID(ctx, tx, `SELECT id FROM families WHERE dirty = 1`, func(id rescreen.FamilyID) error {
		stale[id] = true
		return nil
	}); err != nil {
		return err
	}
	var families, facts int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM families), (SELECT count(*) FROM family_facts)`).Scan(&families, &facts); err != nil {
		return translate("each facts", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT family_id, layout, data FROM family_facts`)
	if err != nil {
		return translate("each facts", err)
	}
	defer rows.Close()
	out := make([]FactsRow, 0, batch)
	ends := make([]int, 0, batch)
	var buf []byte
	flush := func() error {
		// The rows are cut from one copy of buf.
		all := string(buf)
		for i, a := 0, 0; i < len(out); i++ {
			out[i].Data = all[a:ends[i]]
			a = ends[i]
		}
		err := fn(out)
		out, ends, buf = make([]FactsRow, 0, batch), ends[:0], buf[:0]
		return err
	}
	add := func(r FactsRow, data []byte) error {
		buf = append(buf, data...)
		ends = append(ends, len(buf))
		out = append(out, r)
		if len(out) == batch {
			return flush()
		}
		return nil
	}
	var layout string // the layouts are few: keep one string of each
	for rows.Next() {
		var r FactsRow
		var lay, data sql.RawBytes
		if err := rows.Scan(&r.FamilyID, &lay, &data); err != nil {
			return translate("each facts", err)
		}
		if string(lay) != layout {
			layout = string(lay)
		}
		r.Layout, r.Stale = layout, stale[r.FamilyID]
		if err := add(r, data); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return translate("each facts", err)
	}
	rows.Close()
	if facts != families {
		err := eachID(ctx, tx, `SELECT id FROM families f WHERE NOT EXISTS (SELECT 1 FROM family_facts x WHERE x.family_id = f.id)`, func(id rescreen.FamilyID) error {
			return add(FactsRow{FamilyID: id, Stale: stale[id]}, nil)
		})
		if err != nil {
			return err
		}
	}
	if len(out) > 0 {
		return flush()
	}
	return nil
}

// eachID calls fn with each id the query returns.
func eachID(ctx context.Context, tx querier, query string, fn func(rescreen.FamilyID) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return translate("each facts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id rescreen.FamilyID
		if err := rows.Scan(&id); err != nil {
			return translate("each facts", err)
		}
		if err := fn(id); err != nil {
			return err
		}
	}
	return translate("each facts", rows.Err())
}

// DirtyFamilyIDs returns up to limit families whose derived state is
// stale, in id order, after the id given ("" for the first).
func (db *DB) DirtyFamilyIDs(ctx context.Context, after rescreen.FamilyID, limit int) ([]rescreen.FamilyID, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM families WHERE dirty = 1 AND id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, translate("dirty families", err)
	}
	defer rows.Close()
	var out []rescreen.FamilyID
	for rows.Next() {
		var id rescreen.FamilyID
		if err := rows.Scan(&id); err != nil {
			return nil, translate("dirty families", err)
		}
		out = append(out, id)
	}
	return out, translate("dirty families", rows.Err())
}

// AuditHeadAt returns the audit chain's last event: its sequence number,
// hash and time (as stored, RFC 3339 in UTC); an empty chain gives 0, the
// genesis hash and "".
func (db *DB) AuditHeadAt(ctx context.Context) (int64, string, string, error) {
	var seq int64
	var hash, at string
	err := db.read.QueryRowContext(ctx, `SELECT seq, hash, at FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, rescreen.GenesisHash, "", nil
	}
	return seq, hash, at, translate("audit head", err)
}

// FamiliesRecords returns the families with the ids and their records,
// for a chunk of the derivation: two queries for each maxIn families
// instead of two for each family. The families are read before their
// records, so the records are at least as new as the version read with
// them. A family that is not there is not in the map.
func (db *DB) FamiliesRecords(ctx context.Context, ids []rescreen.FamilyID) (map[rescreen.FamilyID]FamilyRow, map[rescreen.FamilyID][]RecordRow, error) {
	fams := make(map[rescreen.FamilyID]FamilyRow, len(ids))
	recs := make(map[rescreen.FamilyID][]RecordRow, len(ids))
	err := inChunks(ids, func(args []any, in string) error {
		rows, err := db.read.QueryContext(ctx, familySelect+` WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return translate("families", err)
		}
		for rows.Next() {
			f, _, err := scanFamily(rows)
			if err != nil {
				rows.Close()
				return err
			}
			fams[f.ID] = f
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return translate("families", err)
		}
		rs, err := queryRecords(ctx, db.read, recordSelect+` WHERE family_id IN (`+in+`)`, args...)
		for _, r := range rs {
			recs[r.FamilyID] = append(recs[r.FamilyID], r)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return fams, recs, nil
}

// FamiliesWithLinksInForce returns which of the families have a link in
// force (LINKED or CONFIRMED) with an end in them: one query for each maxIn.
func (db *DB) FamiliesWithLinksInForce(ctx context.Context, ids []rescreen.FamilyID) (map[rescreen.FamilyID]bool, error) {
	out := map[rescreen.FamilyID]bool{}
	err := inChunks(ids, func(args []any, in string) error {
		return eachID(ctx, db.read, `SELECT left_family FROM link_candidates WHERE left_family IN (`+in+`) AND state IN ('LINKED', 'CONFIRMED')
			UNION SELECT right_family FROM link_candidates WHERE right_family IN (`+in+`) AND state IN ('LINKED', 'CONFIRMED')`,
			func(id rescreen.FamilyID) error { out[id] = true; return nil }, append(args, args...)...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
