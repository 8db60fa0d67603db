package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rescreen"
)

// StaleLinks returns the person records whose links were not scored
// against their current data, each with its count of marks (triggers on
// records set them, migration 0007). Hand the map back to ClearStaleLinks
// once the records are scored.
func (db *DB) StaleLinks(ctx context.Context) (map[string]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT record_id, marks FROM link_stale`)
	if err != nil {
		return nil, translate("stale links", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, translate("stale links", err)
		}
		out[id] = n
	}
	return out, translate("stale links", rows.Err())
}

// HasStaleLinks reports whether any person record waits to have its links
// scored, without reading them all.
func (db *DB) HasStaleLinks(ctx context.Context) (bool, error) {
	var one int
	err := db.read.QueryRowContext(ctx, `SELECT 1 FROM link_stale LIMIT 1`).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, translate("stale links", err)
}

// ClearStaleLinks removes the marks of the records, but only those whose
// count is still the one read: a record written since it was read keeps
// its mark. It returns how many marks it removed.
func (tx *Tx) ClearStaleLinks(ctx context.Context, marks map[string]int64) (int, error) {
	// A statement per count and chunk of records, not one per record:
	// nearly every record has one mark.
	n := 0
	err := byValue(marks, func(m int64, ids []string) error {
		return inChunks(ids, func(args []any, in string) error {
			res, err := tx.exec(ctx, `DELETE FROM link_stale WHERE marks = ? AND record_id IN (`+in+`)`, append([]any{m}, args...)...)
			if err != nil {
				return translate("clear stale links", err)
			}
			k, err := res.RowsAffected()
			n += int(k)
			return translate("clear stale links", err)
		})
	})
	return n, err
}

// UndecidedLinks returns the candidates of the kind that no person has
// decided (REVIEW or LINKED).
func (tx *Tx) UndecidedLinks(ctx context.Context, kind rescreen.LinkKind) ([]rescreen.LinkCandidate, error) {
	rows, err := tx.query(ctx, candidateSelect+` WHERE c.state IN (?, ?) AND c.kind = ? ORDER BY c.id`, rescreen.LinkReview, rescreen.LinkLinked, kind)
	return scanCandidates(rows, err, "undecided links")
}

// PutLinkModel stores a trained linkage model (its JSON) under its version;
// storing a version again makes it the current model once more.
func (tx *Tx) PutLinkModel(ctx context.Context, id string, at time.Time, model []byte) error {
	// Deleted and inserted, so that a model stored again gets a new row
	// number and is the current one.
	if _, err := tx.exec(ctx, `DELETE FROM link_models WHERE id = ?`, id); err != nil {
		return translate("put link model", err)
	}
	_, err := tx.exec(ctx, `INSERT INTO link_models (id, created_at, model) VALUES (?, ?, ?)`, id, formatTime(at), string(model))
	return translate("put link model", err)
}

// LinkModel returns the current linkage model: the one stored last, with
// its version. It returns ENOTFOUND when no model has been stored.
func (db *DB) LinkModel(ctx context.Context) (string, []byte, error) {
	var id, model string
	// rowid breaks ties of a fixed clock; a model stored again has a new
	// rowid.
	err := db.read.QueryRowContext(ctx, `SELECT id, model FROM link_models ORDER BY created_at DESC, rowid DESC LIMIT 1`).Scan(&id, &model)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, rescreen.Errorf(rescreen.ENOTFOUND, "no linkage model is stored")
	}
	if err != nil {
		return "", nil, translate("link model", err)
	}
	return id, []byte(model), nil
}
