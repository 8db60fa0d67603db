package sqlstore

import (
	"context"

	"rescreen"
)

// PutFamilyUnits replaces the units the family's records name.
func (tx *Tx) PutFamilyUnits(ctx context.Context, id rescreen.FamilyID, units []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM family_units WHERE family_id = ?`, id); err != nil {
		return translate("family units", err)
	}
	for _, u := range units {
		if _, err := tx.exec(ctx, `INSERT OR IGNORE INTO family_units (unit, family_id) VALUES (?, ?)`, u, id); err != nil {
			return translate("family units", err)
		}
	}
	return nil
}

// FamilyUnits returns the units of the families, by family.
func (db *DB) FamilyUnits(ctx context.Context, ids ...rescreen.FamilyID) (map[rescreen.FamilyID][]string, error) {
	out := make(map[rescreen.FamilyID][]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.read.QueryContext(ctx, `SELECT family_id, unit FROM family_units WHERE family_id IN (`+placeholders(len(chunk))+`) ORDER BY family_id, unit`, args...)
		if err != nil {
			return nil, translate("family units", err)
		}
		for rows.Next() {
			var id rescreen.FamilyID
			var u string
			if err := rows.Scan(&id, &u); err != nil {
				rows.Close()
				return nil, translate("family units", err)
			}
			out[id] = append(out[id], u)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, translate("family units", err)
		}
	}
	return out, nil
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
		return "0", nil
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
	rows, err := db.read.QueryContext(ctx, `SELECT seq, at, actor, action, family_id, subject, before, after, prev_hash, hash FROM audit_events WHERE family_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`, id, before, limit)
	if err != nil {
		return nil, translate("family audit", err)
	}
	defer rows.Close()
	out := []rescreen.AuditEvent{}
	for rows.Next() {
		var e rescreen.AuditEvent
		var at string
		var b, a []byte
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.FamilyID, &e.Subject, &b, &a, &e.PrevHash, &e.Hash); err != nil {
			return nil, translate("family audit", err)
		}
		e.At, e.Before, e.After = parseTime(at), b, a
		out = append(out, e)
	}
	return out, translate("family audit", rows.Err())
}

// AllFamilyUnits returns the units of every family, for an export made
// for a principal.
func (db *DB) AllFamilyUnits(ctx context.Context) (map[rescreen.FamilyID][]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT family_id, unit FROM family_units ORDER BY family_id, unit`)
	if err != nil {
		return nil, translate("family units", err)
	}
	defer rows.Close()
	out := map[rescreen.FamilyID][]string{}
	for rows.Next() {
		var id rescreen.FamilyID
		var u string
		if err := rows.Scan(&id, &u); err != nil {
			return nil, translate("family units", err)
		}
		out[id] = append(out[id], u)
	}
	return out, translate("family units", rows.Err())
}
