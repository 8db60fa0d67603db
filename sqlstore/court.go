package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"rescreen"
)

// The court's record (migration 0015): cases, approvals, objections and
// court-order deadlines with their ledgers. Package app decides what may
// be written; these functions only read and write rows.

func nullDate(d rescreen.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// scanDate parses a stored date; NULL or "" is the zero date.
func scanDate(s sql.NullString, what string) (rescreen.Date, error) {
	if !s.Valid || s.String == "" {
		return rescreen.Date{}, nil
	}
	d, err := rescreen.ParseDate(s.String)
	if err != nil {
		return d, rescreen.WrapError(rescreen.EINTERNAL, what, err, "")
	}
	return d, nil
}

// CourtCases returns the cases in their order, without approvals.
func (db *DB) CourtCases(ctx context.Context) ([]rescreen.CourtCase, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, title, court, docket FROM court_cases ORDER BY position`)
	if err != nil {
		return nil, translate("court cases", err)
	}
	defer rows.Close()
	var out []rescreen.CourtCase
	for rows.Next() {
		var c rescreen.CourtCase
		if err := rows.Scan(&c.ID, &c.Title, &c.Court, &c.Docket); err != nil {
			return nil, translate("court cases", err)
		}
		out = append(out, c)
	}
	return out, translate("court cases", rows.Err())
}

// CourtCaseExists reports whether the case is on record.
func (tx *Tx) CourtCaseExists(ctx context.Context, id string) (bool, error) {
	return tx.exists(ctx, `SELECT 1 FROM court_cases WHERE id = ?`, id)
}

const approvalSelect = `SELECT a.id, a.case_id, a.kind, a.approved_on, a.order_ref, a.entered_by, a.entered_at,
	COALESCE(a.corrects, ''), a.correction, COALESCE((SELECT b.id FROM court_approvals b WHERE b.corrects = a.id), '')
	FROM court_approvals a`

func scanApproval(row rowScanner) (rescreen.Approval, error) {
	var a rescreen.Approval
	var on sql.NullString
	var at string
	if err := row.Scan(&a.ID, &a.Case, &a.Kind, &on, &a.Order, &a.EnteredBy, &at, &a.Corrects, &a.Correction, &a.CorrectedBy); err != nil {
		return a, err
	}
	a.EnteredAt = parseTime(at)
	var err error
	a.On, err = scanDate(on, "approval")
	return a, err
}

// Approvals returns every approval entry, in the order entered.
func (db *DB) Approvals(ctx context.Context) ([]rescreen.Approval, error) {
	rows, err := db.read.QueryContext(ctx, approvalSelect+` ORDER BY a.entered_at, a.id`)
	if err != nil {
		return nil, translate("approvals", err)
	}
	defer rows.Close()
	var out []rescreen.Approval
	for rows.Next() {
		a, err := scanApproval(rows)
		if err != nil {
			return nil, translate("approvals", err)
		}
		out = append(out, a)
	}
	return out, translate("approvals", rows.Err())
}

// ApprovalInForce returns the case's approval of the kind that no later
// entry corrects.
func (tx *Tx) ApprovalInForce(ctx context.Context, caseID string, kind rescreen.ApprovalKind) (rescreen.Approval, bool, error) {
	a, err := scanApproval(tx.queryRow(ctx, approvalSelect+` WHERE a.case_id = ? AND a.kind = ?
		AND NOT EXISTS (SELECT 1 FROM court_approvals b WHERE b.corrects = a.id)`, caseID, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, translate("approval", err)
	}
	return a, true, nil
}

// InsertApproval appends an approval entry.
func (tx *Tx) InsertApproval(ctx context.Context, a *rescreen.Approval) error {
	_, err := tx.exec(ctx, `INSERT INTO court_approvals (id, case_id, kind, approved_on, order_ref, entered_by, entered_at, corrects, correction)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Case, a.Kind, a.On.String(), a.Order, a.EnteredBy, formatTime(a.EnteredAt), nullString(a.Corrects), a.Correction)
	return translate("insert approval", err)
}

// personKey selects the source key of the person record a row of the
// table names.
func personKey(table string) string {
	return `COALESCE((SELECT r.source || ':' || r.source_id FROM records r WHERE r.id = ` + table + `.person_id), '')`
}

var objectionSelect = `SELECT id, case_id, COALESCE(person_id, ''), ` + personKey("court_objections") + `, COALESCE(family_id, ''), name, received_on, channel, language,
	summary, counsel, forwarded_on, COALESCE(ruling, ''), ruling_on, ruling_order, entered_by, entered_at, updated_at, version
	FROM court_objections`

func scanObjection(row rowScanner) (rescreen.Objection, error) {
	var o rescreen.Objection
	var received, forwarded, ruled sql.NullString
	var at, up string
	if err := row.Scan(&o.ID, &o.Case, &o.Person, &o.PersonKey, &o.Family, &o.Name, &received, &o.Channel, &o.Language,
		&o.Summary, &o.Counsel, &forwarded, &o.Ruling, &ruled, &o.RulingOrder, &o.EnteredBy, &at, &up, &o.Version); err != nil {
		return o, err
	}
	o.EnteredAt, o.UpdatedAt = parseTime(at), parseTime(up)
	var err error
	if o.ReceivedOn, err = scanDate(received, "objection"); err != nil {
		return o, err
	}
	if o.ForwardedOn, err = scanDate(forwarded, "objection"); err != nil {
		return o, err
	}
	o.RulingOn, err = scanDate(ruled, "objection")
	return o, err
}

// Objections returns every objection, the latest received first.
func (db *DB) Objections(ctx context.Context) ([]rescreen.Objection, error) {
	rows, err := db.read.QueryContext(ctx, objectionSelect+` ORDER BY received_on DESC, id DESC`)
	if err != nil {
		return nil, translate("objections", err)
	}
	defer rows.Close()
	var out []rescreen.Objection
	for rows.Next() {
		o, err := scanObjection(rows)
		if err != nil {
			return nil, translate("objections", err)
		}
		out = append(out, o)
	}
	return out, translate("objections", rows.Err())
}

// Objection returns one objection.
func (db *DB) Objection(ctx context.Context, id string) (rescreen.Objection, bool, error) {
	o, err := scanObjection(db.read.QueryRowContext(ctx, objectionSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	return o, err == nil, translate("objection", err)
}

// Objection returns one objection, in the transaction.
func (tx *Tx) Objection(ctx context.Context, id string) (rescreen.Objection, bool, error) {
	o, err := scanObjection(tx.queryRow(ctx, objectionSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	return o, err == nil, translate("objection", err)
}

// InsertObjection adds an objection at version 1.
func (tx *Tx) InsertObjection(ctx context.Context, o *rescreen.Objection) error {
	_, err := tx.exec(ctx, `INSERT INTO court_objections (id, case_id, person_id, family_id, name, received_on, channel, language,
		summary, counsel, forwarded_on, ruling, ruling_on, ruling_order, entered_by, entered_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		o.ID, o.Case, nullString(string(o.Person)), nullString(string(o.Family)), o.Name, o.ReceivedOn.String(), o.Channel, o.Language,
		o.Summary, o.Counsel, nullDate(o.ForwardedOn), nullString(string(o.Ruling)), nullDate(o.RulingOn), o.RulingOrder,
		o.EnteredBy, formatTime(o.EnteredAt), formatTime(o.UpdatedAt))
	return translate("insert objection", err)
}

// UpdateObjection writes an objection's forwarding and ruling and counts
// its version up, if its version is still o.Version; otherwise ECONFLICT.
func (tx *Tx) UpdateObjection(ctx context.Context, o *rescreen.Objection) error {
	res, err := tx.exec(ctx, `UPDATE court_objections SET forwarded_on = ?, ruling = ?, ruling_on = ?, ruling_order = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		nullDate(o.ForwardedOn), nullString(string(o.Ruling)), nullDate(o.RulingOn), o.RulingOrder, formatTime(o.UpdatedAt), o.ID, o.Version)
	if err != nil {
		return translate("update objection", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return translate("update objection", err)
	} else if n != 1 {
		return rescreen.Errorf(rescreen.ECONFLICT, "objection %s changed since version %d", o.ID, o.Version)
	}
	o.Version++
	return nil
}

// CourtDeadlineQuery selects court-order deadlines: those about no family,
// and, if Families, those about a family the reach allows.
type CourtDeadlineQuery struct {
	Families bool
	Reach    Reach
}

var courtDeadlineSelect = `SELECT id, title, case_id, order_ref, order_on, COALESCE(family_id, ''), COALESCE(person_id, ''), ` + personKey("court_deadlines") + `,
	start_on, length, unit, completed_on, entered_by, entered_at FROM court_deadlines`

func scanCourtDeadline(row rowScanner) (rescreen.CourtDeadline, error) {
	var d rescreen.CourtDeadline
	var orderOn, start, completed sql.NullString
	var at string
	if err := row.Scan(&d.ID, &d.Title, &d.Case, &d.Order, &orderOn, &d.Family, &d.Person, &d.PersonKey, &start, &d.Length, &d.Unit, &completed, &d.EnteredBy, &at); err != nil {
		return d, err
	}
	d.EnteredAt = parseTime(at)
	var err error
	if d.OrderOn, err = scanDate(orderOn, "court deadline"); err != nil {
		return d, err
	}
	if d.Start, err = scanDate(start, "court deadline"); err != nil {
		return d, err
	}
	d.CompletedOn, err = scanDate(completed, "court deadline")
	return d, err
}

// CourtDeadlines returns the deadlines the query selects, each with its
// ledger, in the order entered.
func (db *DB) CourtDeadlines(ctx context.Context, q CourtDeadlineQuery) ([]rescreen.CourtDeadline, error) {
	where := `family_id IS NULL`
	var args []any
	if q.Families {
		if rw, ra := q.Reach.where("family_id"); rw != "" {
			where = `(family_id IS NULL OR ` + rw + `)`
			args = ra
		} else {
			where = `1 = 1`
		}
	}
	return courtDeadlines(ctx, db.read, where, args...)
}

// CourtDeadline returns one deadline with its ledger.
func (db *DB) CourtDeadline(ctx context.Context, id string) (rescreen.CourtDeadline, bool, error) {
	ds, err := courtDeadlines(ctx, db.read, `id = ?`, id)
	if err != nil || len(ds) == 0 {
		return rescreen.CourtDeadline{}, false, err
	}
	return ds[0], true, nil
}

// CourtDeadline returns one deadline with its ledger, in the transaction.
func (tx *Tx) CourtDeadline(ctx context.Context, id string) (rescreen.CourtDeadline, bool, error) {
	ds, err := courtDeadlines(ctx, txQuerier{tx}, `id = ?`, id)
	if err != nil || len(ds) == 0 {
		return rescreen.CourtDeadline{}, false, err
	}
	return ds[0], true, nil
}

func courtDeadlines(ctx context.Context, q querier, where string, args ...any) ([]rescreen.CourtDeadline, error) {
	rows, err := q.QueryContext(ctx, courtDeadlineSelect+` WHERE `+where+` ORDER BY entered_at, id`, args...)
	if err != nil {
		return nil, translate("court deadlines", err)
	}
	var out []rescreen.CourtDeadline
	at := map[string]int{}
	for rows.Next() {
		d, err := scanCourtDeadline(rows)
		if err != nil {
			rows.Close()
			return nil, translate("court deadlines", err)
		}
		at[d.ID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, translate("court deadlines", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT deadline_id, n, kind, from_on, to_on, COALESCE(entry, 0), granted_on, days, months, until_on,
		reason, authority, entered_by, entered_at FROM court_deadline_entries
		WHERE deadline_id IN (SELECT id FROM court_deadlines WHERE `+where+`) ORDER BY deadline_id, n`, args...)
	if err != nil {
		return nil, translate("court deadline ledger", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, enteredAt string
		var e rescreen.LedgerEntry
		var from, to, on, until sql.NullString
		if err := rows.Scan(&id, &e.N, &e.Kind, &from, &to, &e.Entry, &on, &e.Days, &e.Months, &until,
			&e.Reason, &e.Authority, &e.EnteredBy, &enteredAt); err != nil {
			return nil, translate("court deadline ledger", err)
		}
		e.EnteredAt = parseTime(enteredAt)
		for _, f := range []struct {
			d *rescreen.Date
			s sql.NullString
		}{{&e.From, from}, {&e.To, to}, {&e.On, on}, {&e.Until, until}} {
			if *f.d, err = scanDate(f.s, "court deadline ledger"); err != nil {
				return nil, err
			}
		}
		i, ok := at[id]
		if !ok {
			continue
		}
		out[i].Ledger = append(out[i].Ledger, e)
	}
	return out, translate("court deadline ledger", rows.Err())
}

// InsertCourtDeadline adds a deadline (its ledger empty).
func (tx *Tx) InsertCourtDeadline(ctx context.Context, d *rescreen.CourtDeadline) error {
	_, err := tx.exec(ctx, `INSERT INTO court_deadlines (id, title, case_id, order_ref, order_on, family_id, person_id, start_on, length, unit,
		completed_on, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.Title, d.Case, d.Order, d.OrderOn.String(), nullString(string(d.Family)), nullString(string(d.Person)),
		d.Start.String(), d.Length, d.Unit, nullDate(d.CompletedOn), d.EnteredBy, formatTime(d.EnteredAt))
	return translate("insert court deadline", err)
}

// AppendLedgerEntry appends entry e.N to the deadline's ledger; the
// store refuses a number out of order.
func (tx *Tx) AppendLedgerEntry(ctx context.Context, id string, e *rescreen.LedgerEntry) error {
	var entry any
	if e.Entry != 0 {
		entry = e.Entry
	}
	_, err := tx.exec(ctx, `INSERT INTO court_deadline_entries (deadline_id, n, kind, from_on, to_on, entry, granted_on, days, months, until_on,
		reason, authority, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, e.N, e.Kind, nullDate(e.From), nullDate(e.To), entry, nullDate(e.On), e.Days, e.Months, nullDate(e.Until),
		e.Reason, e.Authority, e.EnteredBy, formatTime(e.EnteredAt))
	return translate("append ledger entry", err)
}

// SetCourtDeadlineCompleted records the day a deadline was met (the zero
// date clears it).
func (tx *Tx) SetCourtDeadlineCompleted(ctx context.Context, id string, on rescreen.Date) error {
	_, err := tx.exec(ctx, `UPDATE court_deadlines SET completed_on = ? WHERE id = ?`, nullDate(on), id)
	return translate("complete court deadline", err)
}

// FamilyUnitsOf reports whether the family is on record and returns the
// units its records name, in the transaction (the access checks of a
// change read what the change sees).
func (tx *Tx) FamilyUnitsOf(ctx context.Context, id rescreen.FamilyID) ([]string, bool, error) {
	if ok, err := tx.exists(ctx, `SELECT 1 FROM families WHERE id = ?`, id); err != nil || !ok {
		return nil, false, err
	}
	rows, err := tx.query(ctx, `SELECT unit FROM family_units WHERE family_id = ? ORDER BY unit`, id)
	if err != nil {
		return nil, false, translate("family units", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, false, translate("family units", err)
		}
		out = append(out, u)
	}
	return out, true, translate("family units", rows.Err())
}
