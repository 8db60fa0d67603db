package sqlstore

import (
	"context"
	"maps"
	"slices"
	"strings"

	"rescreen"
)

// QueueRow is one row of the scheduling queue (migration 0014): a person
// owed a review or an interview, as the family was last derived.
type QueueRow struct {
	FamilyID    rescreen.FamilyID
	Person      string // SOURCE:SOURCE_ID
	Remedy      string
	PersonID    string
	State       string
	Occasion    string
	Reinterview bool
	ElectedOn   string // YYYY-MM-DD, or "" when no Option A election was received
	InterviewOn string
	ApptID      string
	ApptOn      string
	ApptTime    string
	ApptMode    string
	Language    string
	Location    string
	Custody     string
	Facility    string
	Detained    bool
	Counsel     string
	// units are the units the row's entries in schedule_queue_units were
	// written under, one per line.
	units string

	// Read from the persons projection by Queue, for the name and its
	// masking; not stored in the queue.
	Name      string
	Role      string
	BirthDate string
}

// noElection is the wait key of a row with no election received: it sorts
// after every date, so those rows come last.
const noElection = "~"

func (r *QueueRow) waitKey() string {
	if r.ElectedOn == "" {
		return noElection
	}
	return r.ElectedOn
}

var queueColumnList = []string{"family_id", "person", "remedy", "person_id", "state", "occasion", "reinterview", "wait_key", "interview_on",
	"booked", "appt_id", "appt_on", "appt_time", "appt_mode", "language", "location", "custody", "facility", "detained", "counsel", "units"}

var queueColumns = strings.Join(queueColumnList, ", ")

func scanQueue(sc rowScanner, r *QueueRow, extra ...any) error {
	var waitKey string
	var booked bool
	dst := []any{&r.FamilyID, &r.Person, &r.Remedy, &r.PersonID, &r.State, &r.Occasion, &r.Reinterview, &waitKey, &r.InterviewOn,
		&booked, &r.ApptID, &r.ApptOn, &r.ApptTime, &r.ApptMode, &r.Language, &r.Location, &r.Custody, &r.Facility, &r.Detained, &r.Counsel, &r.units}
	if err := sc.Scan(append(dst, extra...)...); err != nil {
		return err
	}
	if waitKey != noElection {
		r.ElectedOn = waitKey
	}
	return nil
}

// PutQueue replaces the family's rows of the scheduling queue with rows,
// and their entries by unit (migration 0017) with one per row and unit of
// the family as family_units holds them, inside the transaction that
// derives the family, after its units are written. Rows and units equal
// to those stored write nothing.
func (tx *Tx) PutQueue(ctx context.Context, id rescreen.FamilyID, rows []QueueRow) error {
	old, err := tx.queueOf(ctx, id)
	if err != nil || (len(old) == 0 && len(rows) == 0) {
		return err
	}
	units, err := tx.familyUnits(ctx, "put queue", id)
	if err != nil {
		return err
	}
	joined := strings.Join(units, "\n")
	if slices.EqualFunc(old, rows, sameQueueRow) && old[0].units == joined {
		return nil
	}
	after := slices.Clone(rows)
	for i := range after {
		after[i].FamilyID, after[i].units = id, joined
	}
	tx.pre.queue.put(id, after)
	for i := range old {
		r := &old[i]
		if r.units == "" {
			continue
		}
		for _, u := range strings.Split(r.units, "\n") {
			_, err := tx.exec(ctx, `DELETE FROM schedule_queue_units WHERE unit = ? AND booked = ? AND wait_key = ? AND family_id = ? AND person = ? AND remedy = ?`,
				u, r.ApptID != "", r.waitKey(), id, r.Person, r.Remedy)
			if err != nil {
				return translate("put queue", err)
			}
		}
	}
	if len(old) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM schedule_queue WHERE family_id = ?`, id); err != nil {
			return translate("put queue", err)
		}
	}
	for i := range rows {
		r := &rows[i]
		err := tx.insertLater(ctx, "put queue", rankOthers, `INSERT INTO schedule_queue (`+queueColumns+`) VALUES (`+placeholders(len(queueColumnList))+`)`,
			id, r.Person, r.Remedy, r.PersonID, r.State, r.Occasion, r.Reinterview, r.waitKey(), r.InterviewOn,
			r.ApptID != "", r.ApptID, r.ApptOn, r.ApptTime, r.ApptMode, r.Language, r.Location, r.Custody, r.Facility, r.Detained, r.Counsel, joined)
		if err != nil {
			return err
		}
		for _, u := range units {
			err := tx.insertLater(ctx, "put queue", rankOthers, `INSERT INTO schedule_queue_units (unit, booked, wait_key, family_id, person, remedy) VALUES (?, ?, ?, ?, ?, ?)`,
				u, r.ApptID != "", r.waitKey(), id, r.Person, r.Remedy)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// strings runs a query of one text column in the transaction; op names
// the operation in an error.
func (tx *Tx) strings(ctx context.Context, op, query string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, translate(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, s)
	}
	return out, translate(op, rows.Err())
}

// sameQueueRow compares what two rows queue, apart from their units.
func sameQueueRow(a, b QueueRow) bool {
	a.Name, a.Role, a.BirthDate, a.units = "", "", "", ""
	b.Name, b.Role, b.BirthDate, b.units = "", "", "", ""
	return a == b
}

// queueOf returns the family's queue rows in primary-key order, the order
// in which the service builds them.
func (tx *Tx) queueOf(ctx context.Context, id rescreen.FamilyID) ([]QueueRow, error) {
	if rows, ok := tx.pre.queue.get(id); ok {
		return rows, nil
	}
	rows, err := tx.query(ctx, `SELECT `+queueColumns+` FROM schedule_queue WHERE family_id = ? ORDER BY person, remedy`, id)
	if err != nil {
		return nil, translate("put queue", err)
	}
	defer rows.Close()
	var out []QueueRow
	for rows.Next() {
		var r QueueRow
		if err := scanQueue(rows, &r); err != nil {
			return nil, translate("put queue", err)
		}
		out = append(out, r)
	}
	return out, translate("put queue", rows.Err())
}

// FamilyPersonIDs returns the ids of the person records that belong to the
// family itself (not to another family of its unit).
func (tx *Tx) FamilyPersonIDs(ctx context.Context, id rescreen.FamilyID) (map[string]bool, error) {
	if ids, ok := tx.pre.persons.get(id); ok {
		return maps.Clone(ids), nil
	}
	rows, err := tx.query(ctx, `SELECT id FROM persons WHERE family_id = ?`, id)
	if err != nil {
		return nil, translate("family persons", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, translate("family persons", err)
		}
		out[p] = true
	}
	return out, translate("family persons", rows.Err())
}

// QueueQuery selects rows of the scheduling queue: those whose pending
// interview, if any, is after Today; with an appointment booked, without,
// or both (Booked nil); in the queue's order (the longest wait first,
// then family, person and remedy) after a keyset cursor.
type QueueQuery struct {
	Today    string // YYYY-MM-DD
	Booked   *bool
	After    [4]string // wait key, family, person, remedy of the last row of the previous page
	HasAfter bool
	Limit    int
	Reach    Reach // the families the caller may see
}

// QueueCursor returns the cursor that starts the page after r.
func QueueCursor(r *QueueRow) [4]string {
	return [4]string{r.waitKey(), string(r.FamilyID), r.Person, r.Remedy}
}

// Queue returns the rows the query selects, each with the person's name,
// role and birth date from the persons projection. Over every family it
// reads schedule_queue's order; within a reach of units, the first rows
// of each unit's ranges of schedule_queue_units (booked and not),
// merged: a row of the page's first Limit is among the first Limit of
// every range it is in.
func (db *DB) Queue(ctx context.Context, q QueueQuery) ([]QueueRow, error) {
	if !q.Reach.On {
		return db.queue(ctx, q, "")
	}
	booked := []bool{false, true}
	if q.Booked != nil {
		booked = []bool{*q.Booked}
	}
	var out []QueueRow
	seen := map[[3]string]bool{}
	for _, u := range q.Reach.Units {
		for _, b := range booked {
			uq := q
			uq.Booked = &b
			rows, err := db.queue(ctx, uq, u)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				k := [3]string{string(r.FamilyID), r.Person, r.Remedy}
				if !seen[k] {
					seen[k] = true
					out = append(out, r)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b QueueRow) int {
		ka, kb := QueueCursor(&a), QueueCursor(&b)
		return slices.Compare(ka[:], kb[:])
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// queue reads a page of the queue in order: of every family, or of those
// of one unit.
func (db *DB) queue(ctx context.Context, q QueueQuery, unit string) ([]QueueRow, error) {
	where := []string{`(q.interview_on = '' OR q.interview_on > ?)`}
	args := []any{q.Today}
	k := "q" // the table whose order is read
	from := `schedule_queue q`
	if unit != "" {
		k = "u"
		from = `schedule_queue_units u JOIN schedule_queue q ON q.family_id = u.family_id AND q.person = u.person AND q.remedy = u.remedy`
		where = append(where, `u.unit = ?`)
		args = append(args, unit)
	}
	if q.Booked != nil {
		where = append(where, k+`.booked = ?`)
		args = append(args, *q.Booked)
	}
	if q.HasAfter {
		where = append(where, `(`+k+`.wait_key, `+k+`.family_id, `+k+`.person, `+k+`.remedy) > (?, ?, ?, ?)`)
		args = append(args, q.After[0], q.After[1], q.After[2], q.After[3])
	}
	cols := "q." + strings.Join(queueColumnList, ", q.")
	query := `SELECT ` + cols + `, COALESCE(p.name, ''), COALESCE(p.role, ''), COALESCE(p.birth_date, '')
		FROM ` + from + ` LEFT JOIN persons p ON p.id = q.person_id
		WHERE ` + strings.Join(where, ` AND `) + `
		ORDER BY ` + k + `.wait_key, ` + k + `.family_id, ` + k + `.person, ` + k + `.remedy LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("queue", err)
	}
	defer rows.Close()
	var out []QueueRow
	for rows.Next() {
		var r QueueRow
		if err := scanQueue(rows, &r, &r.Name, &r.Role, &r.BirthDate); err != nil {
			return nil, translate("queue", err)
		}
		out = append(out, r)
	}
	return out, translate("queue", rows.Err())
}
