package sqlstore_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"rescreen"
	"rescreen/sqlstore"
	"rescreen/sqlstore/storetest"
)

// mustOpen opens a new store: SQLite, or PostgreSQL when the run names
// one (package storetest).
func mustOpen(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return storetest.Open(tb)
}

func mustTx(tb testing.TB, db *sqlstore.DB, fn func(tx *sqlstore.Tx) error) {
	tb.Helper()
	if err := db.WithTx(context.Background(), fn); err != nil {
		tb.Fatal(err)
	}
}

func staleLinks(tb testing.TB, db *sqlstore.DB) map[string]int64 {
	tb.Helper()
	m, err := db.StaleLinks(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestStaleLinkTriggers checks that every write of a person record, or of
// an identifier record, marks the person's links stale, that a rewrite
// with the same data does not, and that a mark counts the writes.
func TestStaleLinkTriggers(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	now := time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC)
	rec := func(id string, kind rescreen.Kind, person, data string) sqlstore.RecordRow {
		return sqlstore.RecordRow{ID: id, Kind: kind, Source: "MANUAL", SourceID: id, FamilyID: "F1", PersonID: rescreen.PersonID(person), Batch: "b", Data: []byte(data)}
	}
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.InsertFamily(ctx, sqlstore.FamilyRow{ID: "F1", Source: "MANUAL", SourceID: "F1", Stage: rescreen.StageIdentified, Version: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		for _, r := range []sqlstore.RecordRow{
			rec("F1", rescreen.KindFamilies, "", `{}`),
			rec("P1", rescreen.KindPersons, "P1", `{"given_names":"Ana"}`),
			rec("P2", rescreen.KindPersons, "P2", `{"given_names":"Eva"}`),
			rec("S1", rescreen.KindScreenings, "P1", `{}`),
		} {
			if _, err := tx.InsertRecord(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if got, want := staleLinks(t, db), map[string]int64{"P1": 1, "P2": 1}; !maps.Equal(got, want) {
		t.Fatalf("after inserting persons and a screening: %v, want %v", got, want)
	}
	read := staleLinks(t, db)
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		// P1 is written again after its mark was read: it stays marked.
		if _, err := tx.UpdateRecord(ctx, rec("P1", rescreen.KindPersons, "P1", `{"given_names":"Ana María"}`)); err != nil {
			return err
		}
		n, err := tx.ClearStaleLinks(ctx, read)
		if n != 1 {
			t.Errorf("cleared %d marks, want 1 (P2's)", n)
		}
		return err
	})
	if got, want := staleLinks(t, db), map[string]int64{"P1": 2}; !maps.Equal(got, want) {
		t.Fatalf("a record written after its mark was read: %v, want %v", got, want)
	}
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.ClearStaleLinks(ctx, staleLinks(t, db))
		return err
	})
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		// The same data again, and another kind of record: nothing to score.
		if _, err := tx.UpdateRecord(ctx, rec("P1", rescreen.KindPersons, "P1", `{"given_names":"Ana María"}`)); err != nil {
			return err
		}
		_, err := tx.UpdateRecord(ctx, rec("S1", rescreen.KindScreenings, "P1", `{"result":"POSITIVE"}`))
		return err
	})
	if got := staleLinks(t, db); len(got) != 0 {
		t.Fatalf("unchanged person and a screening marked %v", got)
	}
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.InsertRecord(ctx, rec("I1", rescreen.KindIdentifiers, "P1", `{"value":"A-012-345-678"}`))
		return err
	})
	if got, want := staleLinks(t, db), map[string]int64{"P1": 1}; !maps.Equal(got, want) {
		t.Fatalf("a new identifier: %v, want %v", got, want)
	}
	mustTx(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.UpdateRecord(ctx, rec("I1", rescreen.KindIdentifiers, "P2", `{"value":"A-012-345-678"}`))
		return err
	})
	if got, want := staleLinks(t, db), map[string]int64{"P1": 2, "P2": 1}; !maps.Equal(got, want) {
		t.Fatalf("an identifier moved to another person: %v, want %v", got, want)
	}
}

// TestLinkModel checks that the model stored last is the current one,
// also when a version is stored again under the same clock.
func TestLinkModel(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	if _, _, err := db.LinkModel(ctx); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Fatalf("no model yet: %v", err)
	}
	now := time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"m1", "m2", "m1"} {
		mustTx(t, db, func(tx *sqlstore.Tx) error {
			return tx.PutLinkModel(ctx, id, now, []byte(`{"Lambda":0.01,"v":"`+id+`"}`))
		})
		got, body, err := db.LinkModel(ctx)
		if err != nil || got != id || string(body) != `{"Lambda":0.01,"v":"`+id+`"}` {
			t.Fatalf("after storing %s: %s %s %v", id, got, body, err)
		}
	}
}
