package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"rescreen"
)

// DocumentRow is a stored document: the bytes of a rendered notice or form,
// keyed by their SHA-256.
type DocumentRow struct {
	SHA256    string // lower-case hex
	MediaType string
	Bytes     []byte
	CreatedAt time.Time
}

// PutDocument stores the document unless the same bytes are stored
// already, and returns their SHA-256. The key is computed here from the
// bytes, never taken from the caller, so a row can only ever hold the
// bytes its key names; putting the same bytes again changes nothing.
func (tx *Tx) PutDocument(ctx context.Context, mediaType string, b []byte, at time.Time) (string, error) {
	if len(b) == 0 {
		return "", rescreen.Errorf(rescreen.EINVALID, "a document has no bytes")
	}
	sum := sha256.Sum256(b)
	key := hex.EncodeToString(sum[:])
	_, err := tx.exec(ctx, `INSERT INTO documents (sha256, media_type, size, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		key, mediaType, len(b), b, formatTime(at))
	if err != nil {
		return "", translate("put document", err)
	}
	return key, nil
}

// Document returns the document with the hash, or ENOTFOUND.
func (db *DB) Document(ctx context.Context, sha string) (DocumentRow, error) {
	var d DocumentRow
	var created string
	err := db.read.QueryRowContext(ctx, `SELECT sha256, media_type, bytes, created_at FROM documents WHERE sha256 = ?`, sha).
		Scan(&d.SHA256, &d.MediaType, &d.Bytes, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return d, rescreen.Errorf(rescreen.ENOTFOUND, "document %s not found", sha)
	}
	if err != nil {
		return d, translate("document", err)
	}
	d.CreatedAt = parseTime(created)
	return d, nil
}

// DocumentCount returns the number of documents stored.
func (db *DB) DocumentCount(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n)
	return n, translate("documents", err)
}
