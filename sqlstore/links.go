package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"rescreen"
)

const candidateSelect = `SELECT c.id, c.kind, c.left_record, c.right_record, c.left_family, c.right_family,
	c.probability, c.weight, c.fields, c.model, c.state,
	COALESCE(c.decided_by, ''), COALESCE(c.decided_at, ''), COALESCE(c.reason, ''), c.updated_at,
	l.source, l.source_id, r.source, r.source_id
	FROM link_candidates c JOIN records l ON l.id = c.left_record JOIN records r ON r.id = c.right_record`

func scanCandidate(row rowScanner) (rescreen.LinkCandidate, bool, error) {
	var c rescreen.LinkCandidate
	var fields, decidedAt, updatedAt string
	var ls, lsid, rs, rsid string
	err := row.Scan(&c.ID, &c.Kind, &c.Left.RecordID, &c.Right.RecordID, &c.Left.FamilyID, &c.Right.FamilyID,
		&c.Probability, &c.Weight, &fields, &c.Model, &c.State, &c.DecidedBy, &decidedAt, &c.Reason, &updatedAt,
		&ls, &lsid, &rs, &rsid)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, translate("link candidate", err)
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return c, false, rescreen.WrapError(rescreen.EINTERNAL, "link candidate", err, "")
	}
	c.Left.Key = rescreen.NewRef(rescreen.Source(ls), lsid)
	c.Right.Key = rescreen.NewRef(rescreen.Source(rs), rsid)
	if decidedAt != "" {
		c.DecidedAt = parseTime(decidedAt)
	}
	c.UpdatedAt = parseTime(updatedAt)
	return c, true, nil
}

// LinkCandidate returns the candidate with the id.
func (tx *Tx) LinkCandidate(ctx context.Context, id string) (rescreen.LinkCandidate, bool, error) {
	return scanCandidate(tx.queryRow(ctx, candidateSelect+` WHERE c.id = ?`, id))
}

// LinkCandidate returns the candidate with the id.
func (db *DB) LinkCandidate(ctx context.Context, id string) (rescreen.LinkCandidate, bool, error) {
	return scanCandidate(db.read.QueryRowContext(ctx, candidateSelect+` WHERE c.id = ?`, id))
}

// LinkCandidateByPair returns the candidate of the kind between the two
// records, in the order given.
func (tx *Tx) LinkCandidateByPair(ctx context.Context, kind rescreen.LinkKind, left, right string) (rescreen.LinkCandidate, bool, error) {
	return scanCandidate(tx.queryRow(ctx, candidateSelect+` WHERE c.kind = ? AND c.left_record = ? AND c.right_record = ?`, kind, left, right))
}

// PutLinkCandidate inserts or replaces the candidate.
func (tx *Tx) PutLinkCandidate(ctx context.Context, c *rescreen.LinkCandidate) error {
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "put link candidate", err, "")
	}
	var decidedAt any
	if !c.DecidedAt.IsZero() {
		decidedAt = formatTime(c.DecidedAt)
	}
	_, err = tx.exec(ctx, `INSERT INTO link_candidates (id, kind, left_record, right_record, left_family, right_family,
		probability, weight, fields, model, state, decided_by, decided_at, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, left_record = excluded.left_record, right_record = excluded.right_record,
		left_family = excluded.left_family, right_family = excluded.right_family, probability = excluded.probability, weight = excluded.weight,
		fields = excluded.fields, model = excluded.model, state = excluded.state, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
		reason = excluded.reason, updated_at = excluded.updated_at`,
		c.ID, c.Kind, c.Left.RecordID, c.Right.RecordID, c.Left.FamilyID, c.Right.FamilyID, c.Probability, c.Weight, string(fields),
		c.Model, c.State, nullString(c.DecidedBy), decidedAt, nullString(c.Reason), formatTime(c.UpdatedAt))
	return translate("put link candidate", err)
}

// AppendLinkDecision adds an entry to a candidate's history and sets its
// sequence number.
func (tx *Tx) AppendLinkDecision(ctx context.Context, d *rescreen.LinkDecision) error {
	err := tx.queryRow(ctx, `INSERT INTO link_decisions (candidate, state, previous, actor, at, reason) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`,
		d.Candidate, d.State, nullString(string(d.Previous)), d.Actor, formatTime(d.At), nullString(d.Reason)).Scan(&d.Seq)
	return translate("append link decision", err)
}

// LinkQuery selects candidates: by state (all when empty), by family (all
// when empty), after a keyset cursor, up to a limit, most probable first.
type LinkQuery struct {
	States []rescreen.LinkState
	Family rescreen.FamilyID
	After  string // the id of the last candidate of the previous page
	Limit  int
}

// LinkCandidates returns the candidates the query selects, ordered by
// descending probability and id.
func (db *DB) LinkCandidates(ctx context.Context, q LinkQuery) ([]rescreen.LinkCandidate, error) {
	var where []string
	var args []any
	if len(q.States) > 0 {
		where = append(where, `c.state IN (?`+strings.Repeat(`, ?`, len(q.States)-1)+`)`)
		for _, s := range q.States {
			args = append(args, s)
		}
	}
	if q.Family != "" {
		where = append(where, `(c.left_family = ? OR c.right_family = ?)`)
		args = append(args, q.Family, q.Family)
	}
	if q.After != "" {
		where = append(where, `(c.probability, c.id) < (SELECT probability, id FROM link_candidates WHERE id = ?)`)
		args = append(args, q.After)
	}
	query := candidateSelect
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY c.probability DESC, c.id DESC LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.read.QueryContext(ctx, query, args...)
	return scanCandidates(rows, err, "link candidates")
}

// scanCandidates reads every candidate of a query's rows, and closes them.
func scanCandidates(rows *sql.Rows, err error, what string) ([]rescreen.LinkCandidate, error) {
	if err != nil {
		return nil, translate(what, err)
	}
	defer rows.Close()
	var out []rescreen.LinkCandidate
	for rows.Next() {
		c, _, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, translate(what, rows.Err())
}

// LinkDecisions returns the candidate's history, oldest first.
func (db *DB) LinkDecisions(ctx context.Context, candidate string) ([]rescreen.LinkDecision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT seq, candidate, state, COALESCE(previous, ''), actor, at, COALESCE(reason, '') FROM link_decisions WHERE candidate = ? ORDER BY seq`, candidate)
	if err != nil {
		return nil, translate("link decisions", err)
	}
	defer rows.Close()
	var out []rescreen.LinkDecision
	for rows.Next() {
		var d rescreen.LinkDecision
		var at string
		if err := rows.Scan(&d.Seq, &d.Candidate, &d.State, &d.Previous, &d.Actor, &at, &d.Reason); err != nil {
			return nil, translate("link decisions", err)
		}
		d.At = parseTime(at)
		out = append(out, d)
	}
	return out, translate("link decisions", rows.Err())
}

// LastLinkDecision returns the newest entry of the candidate's history.
func (tx *Tx) LastLinkDecision(ctx context.Context, candidate string) (rescreen.LinkDecision, error) {
	var d rescreen.LinkDecision
	var at string
	err := tx.queryRow(ctx, `SELECT seq, candidate, state, COALESCE(previous, ''), actor, at, COALESCE(reason, '') FROM link_decisions WHERE candidate = ? ORDER BY seq DESC LIMIT 1`, candidate).
		Scan(&d.Seq, &d.Candidate, &d.State, &d.Previous, &d.Actor, &at, &d.Reason)
	if err != nil {
		return d, translate("link decisions", err)
	}
	d.At = parseTime(at)
	return d, nil
}

// linksInForceQuery selects the candidates in force (LINKED or CONFIRMED)
// with an end in the family, each once.
const linksInForceQuery = candidateSelect + ` WHERE c.state IN ('LINKED', 'CONFIRMED') AND c.left_family = ?
	UNION ALL ` + candidateSelect + ` WHERE c.state IN ('LINKED', 'CONFIRMED') AND c.right_family = ? AND c.left_family <> ?`

func linksInForce(ctx context.Context, q querier, family rescreen.FamilyID) ([]rescreen.LinkCandidate, error) {
	rows, err := q.QueryContext(ctx, linksInForceQuery, family, family, family)
	return scanCandidates(rows, err, "links in force")
}

// LinksInForce returns the candidates in force (LINKED or CONFIRMED) with
// an end in the family.
func (tx *Tx) LinksInForce(ctx context.Context, family rescreen.FamilyID) ([]rescreen.LinkCandidate, error) {
	return linksInForce(ctx, txQuerier{tx}, family)
}

// LinksInForce returns the candidates in force (LINKED or CONFIRMED) with
// an end in the family.
func (db *DB) LinksInForce(ctx context.Context, family rescreen.FamilyID) ([]rescreen.LinkCandidate, error) {
	return linksInForce(ctx, db.read, family)
}

// FamilyRecords returns the family's records.
func (db *DB) FamilyRecords(ctx context.Context, id rescreen.FamilyID) ([]RecordRow, error) {
	return queryRecords(ctx, db.read, recordSelect+` WHERE family_id = ? ORDER BY kind, source, source_id`, id)
}
