package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"rescreen"
	"rescreen/sqlstore"
)

// TestDocumentsAreContentAddressedAndWriteOnce: a document is stored under
// the SHA-256 of its bytes, once however often it is put, read back byte
// for byte, and never updated or deleted.
func TestDocumentsAreContentAddressedAndWriteOnce(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	body := []byte("%PDF-1.7 a notice in Spanish: José Ñúñez")
	sum := sha256.Sum256(body)
	want := hex.EncodeToString(sum[:])
	at := time.Date(2018, 11, 19, 9, 0, 0, 0, time.UTC)
	for range 2 {
		mustTx(t, db, func(tx *sqlstore.Tx) error {
			key, err := tx.PutDocument(ctx, "application/pdf", body, at)
			if err == nil && key != want {
				t.Errorf("key %s, want %s", key, want)
			}
			return err
		})
	}
	if n, err := db.DocumentCount(ctx); err != nil || n != 1 {
		t.Fatalf("%d documents after putting the same bytes twice: %v", n, err)
	}
	d, err := db.Document(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Bytes, body) || d.MediaType != "application/pdf" || !d.CreatedAt.Equal(at) || d.SHA256 != want {
		t.Fatalf("read back %+v", d)
	}
	if _, err := db.Document(ctx, "00"+want[2:]); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Fatalf("unknown document: %v", err)
	}
	err = db.WithTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.PutDocument(ctx, "application/pdf", nil, at)
		return err
	})
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("an empty document: %v", err)
	}
	for _, q := range []string{
		`UPDATE documents SET bytes = x'00', size = 1`,
		`UPDATE documents SET media_type = 'text/plain'`,
		`DELETE FROM documents`,
	} {
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, q) })
		if err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	if d2, err := db.Document(ctx, want); err != nil || !bytes.Equal(d2.Bytes, body) {
		t.Fatalf("after the refused changes: %v", err)
	}
}
