package sqlstore

import (
	"context"
	"strings"

	"rescreen"
)

// DeadlineQuery selects rows of work_deadlines: overdue ones (MISSED, or
// OPEN and due before Today), or open ones due from Today to Until, or
// all; ordered by due date, family, person and clock, after a keyset
// cursor.
type DeadlineQuery struct {
	Overdue  bool
	Today    string // YYYY-MM-DD
	Until    string // YYYY-MM-DD; empty: no bound
	OnlyOpen bool
	After    [4]string // due, family, person, clock of the last row of the previous page
	HasAfter bool
	Limit    int
	Reach    Reach // the families the caller may see
	// Narrow, when On, keeps only the families of its units as well: the
	// user's own ("mine") or the user's units ("my team's").
	Narrow Reach
}

// Deadlines returns the deadlines the query selects.
func (db *DB) Deadlines(ctx context.Context, q DeadlineQuery) ([]rescreen.DeadlineItem, error) {
	var where []string
	var args []any
	switch {
	case q.Overdue:
		where = append(where, `(status = 'MISSED' OR (status = 'OPEN' AND due < ?))`)
		args = append(args, q.Today)
	case q.OnlyOpen:
		where = append(where, `status = 'OPEN' AND due >= ?`)
		args = append(args, q.Today)
		if q.Until != "" {
			where = append(where, `due <= ?`)
			args = append(args, q.Until)
		}
	}
	if rw, ra := q.Reach.where("family_id"); rw != "" {
		where = append(where, rw)
		args = append(args, ra...)
	}
	if rw, ra := q.Narrow.where("family_id"); rw != "" {
		where = append(where, rw)
		args = append(args, ra...)
	}
	if q.HasAfter {
		where = append(where, `(due, family_id, person, clock) > (?, ?, ?, ?)`)
		args = append(args, q.After[0], q.After[1], q.After[2], q.After[3])
	}
	query := `SELECT family_id, person, clock, title, due, status FROM work_deadlines`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY due, family_id, person, clock LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("deadlines", err)
	}
	defer rows.Close()
	var out []rescreen.DeadlineItem
	for rows.Next() {
		var d rescreen.DeadlineItem
		var due string
		if err := rows.Scan(&d.FamilyID, &d.Person, &d.Clock, &d.Title, &due, &d.Status); err != nil {
			return nil, translate("deadlines", err)
		}
		if d.Due, err = rescreen.ParseDate(due); err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "deadlines", err, "")
		}
		d.Overdue = d.Status == "MISSED" || due < q.Today
		out = append(out, d)
	}
	return out, translate("deadlines", rows.Err())
}
