package sqlstore

import "context"

// ChangeMarker returns the sequence number of the newest audit event that
// records a change to the registry (any event but the access log's). It
// moves with every committed change and never with a read, so it keys a
// cache of what is computed from the whole registry; it is one row,
// kept by a trigger on the audit chain (migration 0016).
func (db *DB) ChangeMarker(ctx context.Context) (int64, error) {
	var seq int64
	err := db.read.QueryRowContext(ctx, `SELECT audit_seq FROM change_marker WHERE id = 1`).Scan(&seq)
	return seq, translate("change marker", err)
}
