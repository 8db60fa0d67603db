package sqlstore

import (
	"context"
	"database/sql"

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
// the members held) and its open and missed deadlines.
func (tx *Tx) PutWork(ctx context.Context, id rescreen.FamilyID, holds []string, deadlines []DeadlineRow) error {
	if _, err := tx.exec(ctx, `DELETE FROM work_holds WHERE family_id = ?`, id); err != nil {
		return translate("put work", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM work_deadlines WHERE family_id = ?`, id); err != nil {
		return translate("put work", err)
	}
	for _, p := range holds {
		// A unit's evaluation can name a member twice only by mistake; the
		// hold is one either way.
		if _, err := tx.exec(ctx, `INSERT OR IGNORE INTO work_holds (family_id, person) VALUES (?, ?)`, id, p); err != nil {
			return translate("put work", err)
		}
	}
	for _, d := range deadlines {
		if _, err := tx.exec(ctx, `INSERT INTO work_deadlines (family_id, person, clock, title, due, status) VALUES (?, ?, ?, ?, ?, ?)`,
			id, d.Person, d.Clock, d.Title, d.Due, d.Status); err != nil {
			return translate("put work", err)
		}
	}
	return nil
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
// families by stage and by outcome, the members and families by country,
// the persons under five, the holds in force and the overdue deadlines.
// Every count is an aggregate over a projection, most of them over an
// index that covers it; nothing is decoded.
func (db *DB) Stats(ctx context.Context, q StatsQuery) (StatsRow, error) {
	out := StatsRow{Stages: map[string]int{}, Outcomes: map[string]int{}}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, translate("stats", err)
	}
	defer tx.Rollback()
	counts := func(query string, into map[string]int, total *int) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return translate("stats", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return translate("stats", err)
			}
			into[k] = n
			if total != nil {
				*total += n
			}
		}
		return translate("stats", rows.Err())
	}
	if err := counts(`SELECT stage, COUNT(*) FROM families GROUP BY stage`, out.Stages, &out.Families); err != nil {
		return out, err
	}
	if err := counts(`SELECT outcome, COUNT(*) FROM determinations GROUP BY outcome`, out.Outcomes, nil); err != nil {
		return out, err
	}
	// One pass over the persons gives the countries and the young
	// children. A birth date is text in ISO order, and an unknown one is
	// '', which is after nothing.
	rows, err := tx.QueryContext(ctx, `SELECT country, COUNT(*), COUNT(DISTINCT family_id), SUM(birth_date > ?) FROM persons GROUP BY country ORDER BY 2 DESC, 1`, q.BornAfter)
	if err != nil {
		return out, translate("stats", err)
	}
	for rows.Next() {
		var c rescreen.CountryCount
		var young int
		if err := rows.Scan(&c.Country, &c.Persons, &c.Families, &young); err != nil {
			rows.Close()
			return out, translate("stats", err)
		}
		out.Countries = append(out.Countries, c)
		out.Persons += c.Persons
		out.UnderFive += young
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, translate("stats", err)
	}
	// A unit's families each store the unit's determination, so a member
	// of a unit is counted once by reference.
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT family_id), COUNT(DISTINCT person) FROM work_holds`).Scan(&out.HeldFamilies, &out.HeldMembers); err != nil {
		return out, translate("stats", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT clock, MIN(title), COUNT(DISTINCT person || '|' || due), COUNT(DISTINCT family_id) FROM work_deadlines WHERE due < ? GROUP BY clock ORDER BY 3 DESC, 1`, q.Today)
	if err != nil {
		return out, translate("stats", err)
	}
	for rows.Next() {
		var c rescreen.OverdueCount
		if err := rows.Scan(&c.Clock, &c.Title, &c.Deadlines, &c.Families); err != nil {
			rows.Close()
			return out, translate("stats", err)
		}
		out.OverdueByClock = append(out.OverdueByClock, c)
		out.Overdue += c.Deadlines
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, translate("stats", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT family_id) FROM work_deadlines WHERE due < ?`, q.Today).Scan(&out.OverdueFamilies)
	return out, translate("stats", err)
}
