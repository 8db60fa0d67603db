package sqlstore

import (
	"context"
	"slices"
	"strings"

	"rescreen"
)

// OutreachRow is one person of the outreach queue, as the derivation
// projects it from the family's records.
type OutreachRow struct {
	FamilyID      rescreen.FamilyID
	Person        rescreen.Ref
	PersonID      rescreen.PersonID
	Reasons       []rescreen.OutreachReason
	Since         string // YYYY-MM-DD
	Language      string
	Attempts      int
	LastOn        string // YYYY-MM-DD; "" without an attempt
	LastChannel   string
	LastOutcome   string
	NoticeID      string
	NoticeKind    string
	NoticeOutcome string
}

// PutOutreach replaces the family's rows of the outreach queue. Rows that
// did not change are left alone, so a derivation that changes nothing of
// the queue writes nothing.
func (tx *Tx) PutOutreach(ctx context.Context, id rescreen.FamilyID, rows []OutreachRow) error {
	old, err := tx.outreachOf(ctx, id)
	if err != nil {
		return err
	}
	if slices.EqualFunc(old, rows, sameOutreach) {
		return nil
	}
	after := slices.Clone(rows)
	for i := range after {
		after[i].FamilyID = id
	}
	tx.pre.outreach.put(id, after)
	// A family new to the queue has no rows to delete, and a statement
	// here would send the held rows of the families before it.
	if len(old) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM outreach WHERE family_id = ?`, id); err != nil {
			return translate("put outreach", err)
		}
	}
	for _, r := range rows {
		err := tx.insertLater(ctx, "put outreach", rankOthers, `INSERT INTO outreach (family_id, person, person_id, reasons, since, language, attempts, last_on, last_channel, last_outcome, notice_id, notice_kind, notice_outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, r.Person, r.PersonID, joinReasons(r.Reasons), r.Since, r.Language, r.Attempts, r.LastOn, r.LastChannel, r.LastOutcome,
			r.NoticeID, r.NoticeKind, r.NoticeOutcome)
		if err != nil {
			return err
		}
	}
	return nil
}

func sameOutreach(a, b OutreachRow) bool {
	return a.Person == b.Person && a.PersonID == b.PersonID && slices.Equal(a.Reasons, b.Reasons) && a.Since == b.Since &&
		a.Language == b.Language && a.Attempts == b.Attempts && a.LastOn == b.LastOn && a.LastChannel == b.LastChannel &&
		a.LastOutcome == b.LastOutcome && a.NoticeID == b.NoticeID && a.NoticeKind == b.NoticeKind && a.NoticeOutcome == b.NoticeOutcome
}

func joinReasons(rs []rescreen.OutreachReason) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitReasons(s string) []rescreen.OutreachReason {
	var out []rescreen.OutreachReason
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, rescreen.OutreachReason(r))
		}
	}
	return out
}

const outreachColumns = `o.family_id, o.person, o.person_id, o.reasons, o.since, o.language, o.attempts, o.last_on, o.last_channel, o.last_outcome, o.notice_id, o.notice_kind, o.notice_outcome`

// outreachOf returns the family's rows in the order they were projected
// (by person).
func (tx *Tx) outreachOf(ctx context.Context, id rescreen.FamilyID) ([]OutreachRow, error) {
	if rows, ok := tx.pre.outreach.get(id); ok {
		return rows, nil
	}
	rows, err := tx.query(ctx, `SELECT `+outreachColumns+` FROM outreach o WHERE o.family_id = ? ORDER BY o.person`, id)
	if err != nil {
		return nil, translate("outreach", err)
	}
	defer rows.Close()
	var out []OutreachRow
	for rows.Next() {
		r, err := scanOutreach(rows)
		if err != nil {
			return nil, translate("outreach", err)
		}
		out = append(out, r)
	}
	return out, translate("outreach", rows.Err())
}

// scanOutreach reads a row of outreachColumns.
func scanOutreach(sc rowScanner) (OutreachRow, error) {
	var r OutreachRow
	var reasons string
	err := sc.Scan(&r.FamilyID, &r.Person, &r.PersonID, &reasons, &r.Since, &r.Language, &r.Attempts, &r.LastOn,
		&r.LastChannel, &r.LastOutcome, &r.NoticeID, &r.NoticeKind, &r.NoticeOutcome)
	r.Reasons = splitReasons(reasons)
	return r, err
}

// OutreachQuery selects a page of the outreach queue: the longest
// unreached first (by since, then family and person), after a keyset
// cursor, within a reach.
type OutreachQuery struct {
	After    [3]string // since, family, person of the last row of the previous page
	HasAfter bool
	Limit    int
	Reach    Reach
}

// OutreachItem is a row of the queue with what the persons projection
// knows of the person: name, role and birth date, for the page and its
// masking.
type OutreachItem struct {
	OutreachRow
	Name      string
	Role      rescreen.Role
	BirthDate string
}

// Outreach returns the page of the queue the query selects.
func (db *DB) Outreach(ctx context.Context, q OutreachQuery) ([]OutreachItem, error) {
	var where []string
	var args []any
	if rw, ra := q.Reach.where("o.family_id"); rw != "" {
		where = append(where, rw)
		args = append(args, ra...)
	}
	if q.HasAfter {
		where = append(where, `(o.since, o.family_id, o.person) > (?, ?, ?)`)
		args = append(args, q.After[0], q.After[1], q.After[2])
	}
	// The page is chosen first and only its rows are joined with the
	// persons: a reach of thousands of families then costs one sort of
	// their queue rows, not a person look-up for each.
	page := `SELECT * FROM outreach o`
	if len(where) > 0 {
		page += ` WHERE ` + strings.Join(where, ` AND `)
	}
	page += ` ORDER BY o.since, o.family_id, o.person LIMIT ?`
	args = append(args, q.Limit)
	query := `SELECT ` + outreachColumns + `, coalesce(p.name, ''), coalesce(p.role, ''), coalesce(p.birth_date, '')
		FROM (` + page + `) o LEFT JOIN persons p ON p.id = o.person_id ORDER BY o.since, o.family_id, o.person`
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("outreach", err)
	}
	defer rows.Close()
	var out []OutreachItem
	for rows.Next() {
		var r OutreachItem
		var reasons string
		if err := rows.Scan(&r.FamilyID, &r.Person, &r.PersonID, &reasons, &r.Since, &r.Language, &r.Attempts, &r.LastOn,
			&r.LastChannel, &r.LastOutcome, &r.NoticeID, &r.NoticeKind, &r.NoticeOutcome, &r.Name, &r.Role, &r.BirthDate); err != nil {
			return nil, translate("outreach", err)
		}
		r.Reasons = splitReasons(reasons)
		out = append(out, r)
	}
	return out, translate("outreach", rows.Err())
}

// OutreachCount returns the number of persons on the queue within the
// reach.
func (db *DB) OutreachCount(ctx context.Context, r Reach) (int, error) {
	query := `SELECT count(*) FROM outreach o`
	rw, args := r.where("o.family_id")
	if rw != "" {
		query += ` WHERE ` + rw
	}
	var n int
	err := db.read.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, translate("outreach", err)
}
