package sqlstore

import (
	"context"
	"slices"

	"rescreen"
)

// PutFamilyUnits replaces the units the family's records name. When they
// are the units it has, as after most changes, it writes nothing.
func (tx *Tx) PutFamilyUnits(ctx context.Context, id rescreen.FamilyID, units []string) error {
	want := slices.Compact(slices.Sorted(slices.Values(units)))
	have, err := tx.familyUnits(ctx, "family units", id)
	if err != nil {
		return err
	}
	if slices.Equal(have, want) {
		return nil
	}
	tx.pre.units.put(id, want)
	if len(have) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM family_units WHERE family_id = ?`, id); err != nil {
			return translate("family units", err)
		}
	}
	for _, u := range want {
		if err := tx.insertLater(ctx, "family units", rankOthers, `INSERT INTO family_units (unit, family_id) VALUES (?, ?)`, u, id); err != nil {
			return err
		}
	}
	return nil
}

// familyUnits returns the units the family has, in the transaction, in
// order; op names the operation in an error.
func (tx *Tx) familyUnits(ctx context.Context, op string, id rescreen.FamilyID) ([]string, error) {
	if units, ok := tx.pre.units.get(id); ok {
		return units, nil
	}
	return tx.strings(ctx, op, `SELECT unit FROM family_units WHERE family_id = ? ORDER BY unit`, id)
}

// FamilyUnits returns the units of the families, by family.
func (db *DB) FamilyUnits(ctx context.Context, ids ...rescreen.FamilyID) (map[rescreen.FamilyID][]string, error) {
	out := make(map[rescreen.FamilyID][]string, len(ids))
	err := inChunks(ids, func(args []any, in string) error {
		return collectPairs(ctx, db.read, "family units", out, `SELECT family_id, unit FROM family_units WHERE family_id IN (`+in+`) ORDER BY family_id, unit`, args...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UnitsOfFamily returns one family's units, and whether the family
// exists, in one query: the policy's question for every request that
// touches a family.
func (db *DB) UnitsOfFamily(ctx context.Context, id rescreen.FamilyID) ([]string, bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT COALESCE(u.unit, '') FROM families f LEFT JOIN family_units u ON u.family_id = f.id WHERE f.id = ? ORDER BY u.unit`, id)
	if err != nil {
		return nil, false, translate("family units", err)
	}
	defer rows.Close()
	var units []string
	found := false
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, false, translate("family units", err)
		}
		found = true
		if u != "" { // "" is the join's one row for a family of no unit
			units = append(units, u)
		}
	}
	return units, found, translate("family units", rows.Err())
}

// collectPairs adds the (key, value) rows of the query to out, in order;
// op names the read in an error.
func collectPairs[K ~string](ctx context.Context, q querier, op string, out map[K][]string, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return translate(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k K
		var v string
		if err := rows.Scan(&k, &v); err != nil {
			return translate(op, err)
		}
		out[k] = append(out[k], v)
	}
	return translate(op, rows.Err())
}

// Reach limits a list to the families that name one of Units, when On;
// with no units it selects nothing.
type Reach struct {
	On    bool
	Units []string
}

// where returns the condition on the column of a family id, and its
// arguments; "" when the reach is off.
func (r Reach) where(col string) (string, []any) {
	if !r.On {
		return "", nil
	}
	if len(r.Units) == 0 {
		return "1 = 0", nil
	}
	args := make([]any, len(r.Units))
	for i, u := range r.Units {
		args[i] = u
	}
	return col + ` IN (SELECT family_id FROM family_units WHERE unit IN (` + placeholders(len(r.Units)) + `))`, args
}

// FamilyRow returns the family's row without its records, or ENOTFOUND.
func (db *DB) FamilyRow(ctx context.Context, id rescreen.FamilyID) (FamilyRow, error) {
	f, ok, err := scanFamily(db.read.QueryRowContext(ctx, familySelect+` WHERE id = ?`, id))
	if err == nil && !ok {
		err = rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
	}
	return f, err
}

// FamilyAudit returns the family's audit events, newest first: at most
// limit, before the sequence number before (0: from the newest).
func (db *DB) FamilyAudit(ctx context.Context, id rescreen.FamilyID, before int64, limit int) ([]rescreen.AuditEvent, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	out := []rescreen.AuditEvent{}
	err := db.eachAudit(ctx, func(e *rescreen.AuditEvent) error {
		out = append(out, *e)
		return nil
	}, auditSelect+` WHERE family_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`, id, before, limit)
	return out, err
}

// AllFamilyUnits returns the units of every family, for an export made
// for a principal.
func (db *DB) AllFamilyUnits(ctx context.Context) (map[rescreen.FamilyID][]string, error) {
	out := map[rescreen.FamilyID][]string{}
	return out, collectPairs(ctx, db.read, "family units", out, `SELECT family_id, unit FROM family_units ORDER BY family_id, unit`)
}
