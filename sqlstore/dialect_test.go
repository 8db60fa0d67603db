package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestStatementCacheIsBounded: statements run outside a transaction are
// kept prepared up to the bound, and past it still run, unprepared, with
// the right answers; a statement that does not prepare is an error and
// is not kept.
func TestStatementCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kept := db.read.nstmts.Load()
	for i := range maxCachedStmts + 100 {
		var got int
		if err := db.read.QueryRowContext(ctx, fmt.Sprintf("SELECT ? + %d", i), 1).Scan(&got); err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
		if got != i+1 {
			t.Fatalf("statement %d: got %d, want %d", i, got, i+1)
		}
	}
	if n := db.read.nstmts.Load(); n != maxCachedStmts {
		t.Errorf("%d statements kept (%d before), want the bound %d", n, kept, maxCachedStmts)
	}
	// A kept statement runs again, on any connection of the pool.
	for range 20 {
		var got int
		if err := db.read.QueryRowContext(ctx, "SELECT ? + 0", 41).Scan(&got); err != nil || got != 41 {
			t.Fatalf("kept statement: %d, %v", got, err)
		}
	}
	if _, err := db.read.QueryContext(ctx, "SELECT FROM nowhere"); err == nil {
		t.Error("a statement that does not prepare ran")
	}
	if err := db.read.QueryRowContext(ctx, "SELECT FROM nowhere").Scan(new(int)); err == nil {
		t.Error("a row of a statement that does not prepare scanned")
	}
}
