package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"rescreen"
)

// ReportFactsKey names the report facts a report can use: those made as of
// its date, under its rule set and its definitions.
type ReportFactsKey struct {
	AsOf        string
	RuleVersion string
	Definitions string
}

// reportKey returns the id of k in report_keys, made if need be.
func (tx *Tx) reportKey(ctx context.Context, k ReportFactsKey) (int64, error) {
	if id, ok := tx.reportKeys[k]; ok {
		return id, nil
	}
	if id, ok := tx.db.reportKeys.Load(k); ok {
		return id.(int64), nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO report_keys (as_of, rule_version, definitions) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		k.AsOf, k.RuleVersion, k.Definitions); err != nil {
		return 0, translate("report key", err)
	}
	var id int64
	if err := tx.queryRow(ctx, `SELECT id FROM report_keys WHERE as_of = ? AND rule_version = ? AND definitions = ?`,
		k.AsOf, k.RuleVersion, k.Definitions).Scan(&id); err != nil {
		return 0, translate("report key", err)
	}
	if tx.reportKeys == nil {
		tx.reportKeys = map[ReportFactsKey]int64{}
	}
	tx.reportKeys[k] = id
	return id, nil
}

// PutReportFacts stores a family's contribution to the status report as
// of a date, replacing the one it had; a nil body marks a family whose
// report the unit's evaluation makes.
func (tx *Tx) PutReportFacts(ctx context.Context, id rescreen.FamilyID, k ReportFactsKey, body []byte) error {
	key, err := tx.reportKey(ctx, k)
	if err != nil {
		return err
	}
	return tx.insertLater(ctx, "put report facts", rankOthers, `INSERT INTO report_facts (family_id, key_id, body) VALUES (?, ?, ?)
		ON CONFLICT (family_id) DO UPDATE SET key_id = excluded.key_id, body = excluded.body`, id, key, body)
}

// PutReportFactsIf stores a family's contribution, as PutReportFacts does,
// for a contribution computed outside the transaction: only if the family
// is still at the version it was evaluated at and not awaiting derivation,
// has no row for the key already (a derivation since wrote one, which
// knows better), and, for a body, is joined to no other family by a link in
// force (a family of a unit has no body; a link's derivation does not
// change the family's version). It reports whether it stored the row.
func (tx *Tx) PutReportFactsIf(ctx context.Context, id rescreen.FamilyID, version int64, k ReportFactsKey, body []byte) (bool, error) {
	key, err := tx.reportKey(ctx, k)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `INSERT INTO report_facts (family_id, key_id, body)
		SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM families WHERE id = ?1 AND version = ?4 AND dirty = 0)
		AND NOT EXISTS (SELECT 1 FROM report_facts WHERE family_id = ?1 AND key_id = ?2)
		AND (?5 = 0 OR NOT EXISTS (SELECT 1 FROM link_candidates WHERE state IN ('LINKED', 'CONFIRMED')
			AND left_family <> right_family AND (left_family = ?1 OR right_family = ?1)))
		ON CONFLICT (family_id) DO UPDATE SET key_id = excluded.key_id, body = excluded.body`,
		id, key, body, version, body != nil)
	if err != nil {
		return false, translate("put report facts", err)
	}
	n, err := res.RowsAffected()
	return n > 0, translate("put report facts", err)
}

// DeleteReportFacts removes a family's contribution (a service without
// rules stores none, and one stored before must not outlive a change).
func (tx *Tx) DeleteReportFacts(ctx context.Context, id rescreen.FamilyID) error {
	_, err := tx.exec(ctx, `DELETE FROM report_facts WHERE family_id = ?`, id)
	return translate("delete report facts", err)
}

// readKey returns the id of k, or 0 when no row was ever made for it.
func readKey(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, k ReportFactsKey) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM report_keys WHERE as_of = ? AND rule_version = ? AND definitions = ?`,
		k.AsOf, k.RuleVersion, k.Definitions).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, translate("report key", err)
}

// ReportFactsCount returns the number of families and the number of
// report facts that match k, from one snapshot.
func (db *DB) ReportFactsCount(ctx context.Context, k ReportFactsKey) (families, matching int, err error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, 0, translate("report facts count", err)
	}
	defer tx.Rollback()
	key, err := readKey(ctx, tx, k)
	if err != nil {
		return 0, 0, err
	}
	err = tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM families), (SELECT count(*) FROM report_facts WHERE key_id = ?)`, key).
		Scan(&families, &matching)
	return families, matching, translate("report facts count", err)
}

// EachReportFacts calls fn with the contributions that match k, in batches
// of up to batch bodies, from one consistent snapshot; each batch is fn's
// to keep. It returns, from the same snapshot, the families the report
// must evaluate itself: those whose row is of a unit (no body), those
// whose row has another key, and those with no row. When fewer than
// minShare of the families have a matching row, it returns ok false
// without calling fn: evaluating every family is then the shorter way.
//
// The bodies are read in one pass over the table; the families to
// evaluate come from the index on the key. A family with no row at all is
// one not derived since the table came (rows are never deleted): if those
// are all awaiting derivation, the index of dirty families finds them;
// otherwise (a store whose rows are still being filled) a slower query of
// every family does.
func (db *DB) EachReportFacts(ctx context.Context, k ReportFactsKey, batch int, minShare float64, fn func(bodies [][]byte) error) (evaluate []rescreen.FamilyID, ok bool, err error) {
	if batch < 1 {
		batch = 1
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, translate("each report facts", err)
	}
	defer tx.Rollback()
	key, err := readKey(ctx, tx, k)
	if err != nil || key == 0 {
		return nil, false, err
	}
	var families, rowsAll, matching int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM families), (SELECT count(*) FROM report_facts),
		(SELECT count(*) FROM report_facts WHERE key_id = ?)`, key).Scan(&families, &rowsAll, &matching); err != nil {
		return nil, false, translate("each report facts", err)
	}
	if float64(matching) < minShare*float64(families) {
		return nil, false, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT body FROM report_facts NOT INDEXED WHERE key_id = ? AND body IS NOT NULL`, key)
	if err != nil {
		return nil, false, translate("each report facts", err)
	}
	defer rows.Close()
	ends := make([]int, 0, batch)
	var buf []byte
	flush := func() error {
		out := make([][]byte, len(ends))
		all := append([]byte(nil), buf...) // one copy per batch, cut into the bodies
		for i, a := 0, 0; i < len(ends); i++ {
			out[i] = all[a:ends[i]:ends[i]]
			a = ends[i]
		}
		ends, buf = ends[:0], buf[:0]
		return fn(out)
	}
	for rows.Next() {
		var body sql.RawBytes
		if err := rows.Scan(&body); err != nil {
			return nil, false, translate("each report facts", err)
		}
		buf = append(buf, body...)
		ends = append(ends, len(buf))
		if len(ends) == batch {
			if err := flush(); err != nil {
				return nil, false, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, translate("each report facts", err)
	}
	rows.Close()
	if len(ends) > 0 {
		if err := flush(); err != nil {
			return nil, false, err
		}
	}
	add := func(id rescreen.FamilyID) error {
		evaluate = append(evaluate, id)
		return nil
	}
	// Units, and rows of another key (the index on the key, both sides).
	err = eachID(ctx, tx, `SELECT family_id FROM report_facts WHERE key_id = ? AND body IS NULL`, add, key)
	if err == nil {
		err = eachID(ctx, tx, `SELECT family_id FROM report_facts WHERE key_id < ? UNION ALL SELECT family_id FROM report_facts WHERE key_id > ?`, add, key, key)
	}
	if err == nil && rowsAll < families {
		n := len(evaluate)
		err = eachID(ctx, tx, `SELECT id FROM families f WHERE dirty = 1 AND NOT EXISTS (SELECT 1 FROM report_facts r WHERE r.family_id = f.id)`, add)
		if err == nil && rowsAll+len(evaluate)-n < families {
			evaluate = evaluate[:n]
			err = eachID(ctx, tx, `SELECT id FROM families f WHERE NOT EXISTS (SELECT 1 FROM report_facts r WHERE r.family_id = f.id)`, add)
		}
	}
	if err != nil {
		return nil, false, err
	}
	return evaluate, true, nil
}

// MissingReportFacts returns the families with no report facts that match k.
func (db *DB) MissingReportFacts(ctx context.Context, k ReportFactsKey) ([]rescreen.FamilyID, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, translate("missing report facts", err)
	}
	defer tx.Rollback()
	key, err := readKey(ctx, tx, k)
	if err != nil {
		return nil, err
	}
	var out []rescreen.FamilyID
	err = eachID(ctx, tx, `SELECT id FROM families f WHERE NOT EXISTS (SELECT 1 FROM report_facts r WHERE r.family_id = f.id AND r.key_id = ?)`,
		func(id rescreen.FamilyID) error {
			out = append(out, id)
			return nil
		}, key)
	return out, err
}

// FamilyFacts returns one family's stored facts, as EachFacts gives them,
// with the family's version they were read with.
func (db *DB) FamilyFacts(ctx context.Context, id rescreen.FamilyID) (FactsRow, error) {
	r := FactsRow{FamilyID: id}
	var dirty bool
	var layout, data sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT f.dirty, f.version, x.layout, x.data FROM families f LEFT JOIN family_facts x ON x.family_id = f.id WHERE f.id = ?`, id).
		Scan(&dirty, &r.Version, &layout, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, rescreen.Errorf(rescreen.ENOTFOUND, "family %s is not on record", id)
	}
	if err != nil {
		return r, translate("family facts", err)
	}
	r.Stale, r.Layout, r.Data = dirty, layout.String, data.String
	return r, nil
}

// UnitFamilies returns the families joined to another family by a link in
// force (LINKED or CONFIRMED): the families of units.
func (db *DB) UnitFamilies(ctx context.Context) (map[rescreen.FamilyID]bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT left_family, right_family FROM link_candidates
		WHERE state IN ('LINKED', 'CONFIRMED') AND left_family <> right_family`)
	if err != nil {
		return nil, translate("unit families", err)
	}
	defer rows.Close()
	out := map[rescreen.FamilyID]bool{}
	for rows.Next() {
		var a, b rescreen.FamilyID
		if err := rows.Scan(&a, &b); err != nil {
			return nil, translate("unit families", err)
		}
		out[a], out[b] = true, true
	}
	return out, translate("unit families", rows.Err())
}
