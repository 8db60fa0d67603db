package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
	"rescreen/sqlstore/storetest"
)

// The store's contract, checked on each database the run has: SQLite
// always, PostgreSQL when RESCREEN_TEST_POSTGRES names one. The service's
// tests (package app) drive every write path through the store as well,
// on whichever database storetest gives them.

// eachStore runs fn on a new store of each database.
func eachStore(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, name string)) {
	t.Helper()
	names := map[string]func(testing.TB) string{
		"sqlite": func(tb testing.TB) string { return tb.TempDir() + "/contract.db" },
	}
	if base := storetest.PostgresURL(); base != "" {
		names["postgres"] = func(tb testing.TB) string { return storetest.NewSchema(tb, base) }
	}
	for _, d := range []string{"sqlite", "postgres"} {
		name, ok := names[d]
		if !ok {
			continue
		}
		t.Run(d, func(t *testing.T) {
			n := name(t)
			db, err := sqlstore.Open(context.Background(), n)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if db.Dialect() != d {
				t.Fatalf("dialect %s, want %s", db.Dialect(), d)
			}
			fn(t, db, n)
		})
	}
}

var t0 = time.Date(2018, 7, 26, 12, 0, 0, 0, time.UTC)

func family(id string) sqlstore.FamilyRow {
	return sqlstore.FamilyRow{ID: rescreen.FamilyID(id), Source: "CBP_E3", SourceID: "S-" + id, Stage: rescreen.Stage("IDENTIFIED"),
		Version: 1, CreatedAt: t0, UpdatedAt: t0}
}

// TestContractWritesQueue: writers on many goroutines each append audit
// events; every write commits, the chain's sequence has no gap and no
// double, and each event's previous hash is the hash before it.
func TestContractWritesQueue(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const writers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					errs <- db.WithTx(ctx, func(tx *sqlstore.Tx) error {
						id := fmt.Sprintf("F-%d-%d", w, i)
						if err := tx.InsertFamily(ctx, family(id)); err != nil {
							return err
						}
						return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: t0, Actor: "test", Action: "family.create", FamilyID: rescreen.FamilyID(id), Subject: id})
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var seqs []int64
		prev := rescreen.GenesisHash
		err := db.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
			seqs = append(seqs, e.Seq)
			if e.PrevHash != prev {
				return fmt.Errorf("event %d follows %s, want %s", e.Seq, e.PrevHash, prev)
			}
			prev = e.Hash
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seqs) != writers*each || seqs[0] != 1 || seqs[len(seqs)-1] != writers*each {
			t.Fatalf("sequence %v, want 1 to %d", seqs, writers*each)
		}
	})
}

// TestContractRollback: a transaction whose function fails leaves
// nothing behind.
func TestContractRollback(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-1")); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, &rescreen.AuditEvent{At: t0, Actor: "test", Action: "family.create", FamilyID: "F-1", Subject: "F-1"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("WithTx: %v", err)
		}
		if _, err := db.FamilyRow(ctx, "F-1"); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
			t.Errorf("family after rollback: %v", err)
		}
		if seq, _, err := db.AuditHead(ctx); err != nil || seq != 0 {
			t.Errorf("audit head after rollback: %d %v", seq, err)
		}
	})
}

// TestContractRowsKnownOnlyOnceCommitted: a rule-set version and a
// report key that a transaction wrote are taken as stored by later
// transactions only if it committed; a rolled-back one is written again,
// so a determination can refer to the version and the report find its
// key.
func TestContractRowsKnownOnlyOnceCommitted(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		k := sqlstore.ReportFactsKey{AsOf: "2026-11-23", RuleVersion: "v-test", Definitions: "d1"}
		det := func(id string) sqlstore.DeterminationRow {
			return sqlstore.DeterminationRow{FamilyID: rescreen.FamilyID(id), Version: "v-test", AsOf: "2026-11-23",
				Outcome: "PENDING", ResultHash: "h", Format: "json", Result: []byte(`{}`)}
		}
		write := func(id string, fail error) error {
			return db.WithTx(ctx, func(tx *sqlstore.Tx) error {
				if err := tx.InsertFamily(ctx, family(id)); err != nil {
					return err
				}
				if err := tx.PutRuleVersion(ctx, "v-test", []byte(`{}`), t0); err != nil {
					return err
				}
				if err := tx.PutDetermination(ctx, det(id)); err != nil {
					return err
				}
				if err := tx.PutReportFacts(ctx, rescreen.FamilyID(id), k, []byte(`{"n":1}`)); err != nil {
					return err
				}
				return fail
			})
		}
		boom := errors.New("boom")
		if err := write("F-1", boom); !errors.Is(err, boom) {
			t.Fatalf("rolled-back write: %v", err)
		}
		for _, id := range []string{"F-1", "F-2"} {
			if err := write(id, nil); err != nil {
				t.Fatalf("write %s after the rollback: %v", id, err)
			}
		}
		fams, matching, err := db.ReportFactsCount(ctx, k)
		if err != nil || fams != 2 || matching != 2 {
			t.Errorf("report facts: %d families, %d matching, %v; want 2, 2", fams, matching, err)
		}
		for _, id := range []rescreen.FamilyID{"F-1", "F-2"} {
			if d, ok, err := db.Determination(ctx, id); err != nil || !ok || d.Version != "v-test" {
				t.Errorf("determination of %s: %+v %v %v", id, d, ok, err)
			}
		}
	})
}

// TestContractFamilyUnits: the units a family's records name are replaced
// as a set, duplicates and order aside, and writing the same set again
// leaves them as they are.
func TestContractFamilyUnits(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.InsertFamily(ctx, family("F-1")) }); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ put, want []string }{
			{[]string{"office:b", "office:a", "office:b"}, []string{"office:a", "office:b"}},
			{[]string{"office:a", "office:b"}, []string{"office:a", "office:b"}},
			{[]string{"shelter:c"}, []string{"shelter:c"}},
			{nil, nil},
			{[]string{"org:d"}, []string{"org:d"}},
		} {
			if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.PutFamilyUnits(ctx, "F-1", tc.put) }); err != nil {
				t.Fatalf("put %v: %v", tc.put, err)
			}
			got, err := db.FamilyUnits(ctx, "F-1")
			if err != nil || !slices.Equal(got["F-1"], tc.want) {
				t.Errorf("after putting %v: units %v %v, want %v", tc.put, got["F-1"], err, tc.want)
			}
			// The policy's one query gives the same, and that the family is.
			one, found, err := db.UnitsOfFamily(ctx, "F-1")
			if err != nil || !found || !slices.Equal(one, tc.want) {
				t.Errorf("after putting %v: UnitsOfFamily %v %v %v, want %v", tc.put, one, found, err, tc.want)
			}
		}
		if units, found, err := db.UnitsOfFamily(ctx, "F-none"); err != nil || found || units != nil {
			t.Errorf("unknown family: %v %v %v, want not found", units, found, err)
		}
	})
}

// TestContractHeldInserts: inserts sent together (held until the next
// other statement or the commit) are seen by the transaction's next read,
// keep their order and their row numbers across more rows than are held at
// once, and a held insert that fails fails the transaction even when the
// statement it was sent before takes the error for its own and goes on.
func TestContractHeldInserts(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const n = 2600 // more than one flush's worth
		rowids := map[int64]bool{}
		for round := range 2 {
			err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
				id := rescreen.FamilyID(fmt.Sprintf("F-%d", round))
				if err := tx.InsertFamily(ctx, family(string(id))); err != nil {
					return err
				}
				for i := range n {
					rowid, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: fmt.Sprintf("R-%d-%d", round, i), Kind: rescreen.KindPersons,
						Source: "CBP_E3", SourceID: fmt.Sprintf("P-%d-%d", round, i), FamilyID: id, PersonID: rescreen.PersonID(fmt.Sprintf("R-%d-%d", round, i)), Batch: "B", Data: []byte(`{}`)})
					if err != nil {
						return err
					}
					if rowids[rowid] {
						return fmt.Errorf("row number %d given twice", rowid)
					}
					rowids[rowid] = true
					if err := tx.AppendAudit(ctx, &rescreen.AuditEvent{At: t0, Actor: "test", Action: "record.create", FamilyID: id, Subject: fmt.Sprint(i)}); err != nil {
						return err
					}
				}
				recs, err := tx.FamilyRecords(ctx, id)
				if err != nil || len(recs) != n {
					return fmt.Errorf("the transaction reads %d of its %d records: %v", len(recs), n, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var seqs []int64
		if err := db.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
			seqs = append(seqs, e.Seq)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(seqs) != 2*n || !slices.IsSorted(seqs) || seqs[0] != 1 || seqs[len(seqs)-1] != 2*n {
			t.Errorf("audit sequence: %d events from %v to %v", len(seqs), seqs[:1], seqs[len(seqs)-1:])
		}

		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-late")); err != nil {
				return err
			}
			// A key on record already: refused when sent.
			if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: "R-dup", Kind: rescreen.KindPersons, Source: "CBP_E3", SourceID: "P-0-0",
				FamilyID: "F-late", Batch: "B", Data: []byte(`{}`)}); err != nil {
				return err
			}
			_, _, _ = tx.FamilyByID(ctx, "F-late") // the error ignored
			return nil
		})
		if rescreen.ErrorCode(err) != rescreen.ECONFLICT {
			t.Errorf("held duplicate: %v, want a conflict", err)
		}
		if _, err := db.FamilyRow(ctx, "F-late"); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
			t.Errorf("family of the failed transaction: %v, want not found", err)
		}
	})
}

// TestContractTouchFamilies: touching many families at once bumps each
// one's version once and marks each dirty, however the families are split
// into statements, and touches no other family.
func TestContractTouchFamilies(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		var ids []rescreen.FamilyID
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for i := range 301 {
				id := rescreen.FamilyID(fmt.Sprintf("F-%03d", i))
				ids = append(ids, id)
				if err := tx.InsertFamily(ctx, family(string(id))); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		touched := ids[:299] // 256 + 16 + 16 + 4 + 4 + 1 + 1 + 1
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			return tx.TouchFamilies(ctx, touched, t0.Add(time.Hour), true, true)
		}); err != nil {
			t.Fatal(err)
		}
		dirty, err := db.DirtyFamilyIDs(ctx, "", 1000)
		if err != nil || !slices.Equal(dirty, touched) {
			t.Errorf("dirty: %d families %v, want the %d touched", len(dirty), err, len(touched))
		}
		// In chunks after the last one: the same families, in order.
		var chunks []rescreen.FamilyID
		for after := rescreen.FamilyID(""); ; {
			c, err := db.DirtyFamilyIDs(ctx, after, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(c) == 0 {
				break
			}
			chunks = append(chunks, c...)
			after = c[len(c)-1]
		}
		if !slices.Equal(chunks, touched) {
			t.Errorf("dirty in chunks of 100: %d families, want the %d touched", len(chunks), len(touched))
		}
		for i, id := range ids {
			f, err := db.FamilyRow(ctx, id)
			want := int64(2)
			if i >= len(touched) {
				want = 1
			}
			if err != nil || f.Version != want {
				t.Errorf("%s: version %d %v, want %d", id, f.Version, err, want)
			}
		}
	})
}

// TestContractPrefetch: rows read ahead for many families answer the
// transaction's reads only while they are what the database has: after a
// write to a family's row, determination or units, the transaction reads
// what it wrote; a family with no determination reads as none.
func TestContractPrefetch(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		det := func(id, outcome string) sqlstore.DeterminationRow {
			return sqlstore.DeterminationRow{FamilyID: rescreen.FamilyID(id), Version: "v-test", AsOf: "2026-11-23",
				Outcome: outcome, ResultHash: "h-" + outcome, Format: "json", Result: []byte(`{}`)}
		}
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for _, id := range []string{"F-1", "F-2"} {
				if err := tx.InsertFamily(ctx, family(id)); err != nil {
					return err
				}
			}
			if err := tx.PutRuleVersion(ctx, "v-test", []byte(`{}`), t0); err != nil {
				return err
			}
			return tx.PutDetermination(ctx, det("F-1", "PENDING"))
		}); err != nil {
			t.Fatal(err)
		}
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.Prefetch(ctx, []rescreen.FamilyID{"F-1", "F-2", "F-none"}); err != nil {
				return err
			}
			if f, ok, err := tx.FamilyByID(ctx, "F-1"); err != nil || !ok || f.Version != 1 {
				return fmt.Errorf("prefetched F-1: %+v %v %v", f, ok, err)
			}
			if _, ok, err := tx.FamilyByID(ctx, "F-none"); err != nil || ok {
				return fmt.Errorf("prefetched family that does not exist: found %v, %v", ok, err)
			}
			if d, ok, err := tx.Determination(ctx, "F-1"); err != nil || !ok || d.Outcome != "PENDING" {
				return fmt.Errorf("prefetched determination: %+v %v %v", d, ok, err)
			}
			if _, ok, err := tx.Determination(ctx, "F-2"); err != nil || ok {
				return fmt.Errorf("F-2 has no determination, read %v %v", ok, err)
			}
			if err := tx.TouchFamily(ctx, "F-1", t0.Add(time.Hour), true, true); err != nil {
				return err
			}
			if f, _, err := tx.FamilyByID(ctx, "F-1"); err != nil || f.Version != 2 || !f.Dirty {
				return fmt.Errorf("F-1 after the touch: %+v %v", f, err)
			}
			if err := tx.PutDetermination(ctx, det("F-2", "REMOVAL_MAY_PROCEED")); err != nil {
				return err
			}
			if d, ok, err := tx.Determination(ctx, "F-2"); err != nil || !ok || d.Outcome != "REMOVAL_MAY_PROCEED" {
				return fmt.Errorf("F-2 after its determination was written: %+v %v %v", d, ok, err)
			}
			if err := tx.PutFamilyUnits(ctx, "F-2", []string{"office:x"}); err != nil {
				return err
			}
			// Putting the same units again writes nothing; other ones
			// replace them, which needs the transaction to see the first.
			if err := tx.PutFamilyUnits(ctx, "F-2", []string{"office:y"}); err != nil {
				return err
			}
			units, _, err := tx.FamilyUnitsOf(ctx, "F-2")
			if err != nil || !slices.Equal(units, []string{"office:y"}) {
				return fmt.Errorf("F-2's units: %v %v", units, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestContractPrefetchReplaced: a transaction that replaces a prefetched
// family's units, queue and outreach rows twice leaves the second rows
// alone in the database (the second replace deletes what the first
// wrote, as the transaction remembers it), and a person record added to
// a prefetched family is among its own.
func TestContractPrefetchReplaced(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			return tx.InsertFamily(ctx, family("F-1"))
		}); err != nil {
			t.Fatal(err)
		}
		row := func(appt string) sqlstore.QueueRow {
			return sqlstore.QueueRow{FamilyID: "F-1", Person: "A:P-1", Remedy: "REVIEW", PersonID: "P-1", State: "WAITING",
				ElectedOn: "2026-11-02", ApptID: appt}
		}
		out := func(lang string) sqlstore.OutreachRow {
			return sqlstore.OutreachRow{Person: "A:P-1", PersonID: "P-1", Reasons: []rescreen.OutreachReason{"NO_CONTACT"},
				Since: "2026-11-01", Language: lang}
		}
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.Prefetch(ctx, []rescreen.FamilyID{"F-1"}); err != nil {
				return err
			}
			steps := []struct {
				unit, appt, lang string
			}{{"office:x", "", "es"}, {"office:y", "APPT-1", "qu"}, {"office:y", "APPT-1", "qu"}}
			for _, st := range steps {
				if err := tx.PutFamilyUnits(ctx, "F-1", []string{st.unit}); err != nil {
					return err
				}
				if err := tx.PutQueue(ctx, "F-1", []sqlstore.QueueRow{row(st.appt)}); err != nil {
					return err
				}
				if err := tx.PutOutreach(ctx, "F-1", []sqlstore.OutreachRow{out(st.lang)}); err != nil {
					return err
				}
			}
			if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: "P-9", Kind: rescreen.KindPersons, Source: "ORR_UAC", SourceID: "P-9",
				FamilyID: "F-1", Batch: "B", Data: []byte(`{}`)}); err != nil {
				return err
			}
			if err := tx.PutPerson(ctx, sqlstore.PersonRow{ID: "P-9", FamilyID: "F-1", Role: "CHILD", Name: "Ana"}, false); err != nil {
				return err
			}
			own, err := tx.FamilyPersonIDs(ctx, "F-1")
			if err != nil || !own["P-9"] {
				return fmt.Errorf("F-1's own persons after an insert: %v %v", own, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for unit, want := range map[string]int{"": 1, "office:x": 0, "office:y": 1} {
			q := sqlstore.QueueQuery{Today: "2026-11-23", Limit: 10, Reach: sqlstore.Reach{On: unit != "", Units: []string{unit}}}
			rows, err := db.Queue(ctx, q)
			if err != nil || len(rows) != want {
				t.Fatalf("queue of unit %q: %d rows %v, want %d", unit, len(rows), err, want)
			}
			if want == 1 && rows[0].ApptID != "APPT-1" {
				t.Errorf("queue of unit %q: %+v, want the second row", unit, rows[0])
			}
		}
		items, err := db.Outreach(ctx, sqlstore.OutreachQuery{Limit: 10})
		if err != nil || len(items) != 1 || items[0].Language != "qu" {
			t.Fatalf("outreach: %+v %v, want the second row alone", items, err)
		}
	})
}

// TestContractBulkMarks: custody kinds set for many persons at once, and
// stale-link marks cleared for many records at once, across more than
// one statement's worth of ids, land on exactly the rows named, with
// their own values; a mark whose count moved since it was read stays.
func TestContractBulkMarks(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const n = 1203
		kinds := []string{"ORR", "ICE_DETENTION", "RELEASED"}
		want := map[rescreen.PersonID]string{}
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-1")); err != nil {
				return err
			}
			for i := range n {
				id := fmt.Sprintf("P-%04d", i)
				if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: id, Kind: rescreen.KindPersons, Source: "CBP_E3", SourceID: id,
					FamilyID: "F-1", PersonID: rescreen.PersonID(id), Batch: "B", Data: []byte(`{}`)}); err != nil {
					return err
				}
				if err := tx.PutPerson(ctx, sqlstore.PersonRow{ID: rescreen.PersonID(id), FamilyID: "F-1", Role: "CHILD", Name: id}, false); err != nil {
					return err
				}
				if i%5 != 4 { // every fifth person keeps no custody
					want[rescreen.PersonID(id)] = kinds[i%3]
				}
			}
			return tx.SetCustodies(ctx, want)
		}); err != nil {
			t.Fatal(err)
		}
		persons, err := db.Persons(ctx, sqlstore.Query{Limit: n + 1})
		if err != nil || len(persons) != n {
			t.Fatalf("persons: %d %v", len(persons), err)
		}
		for _, p := range persons {
			if p.Custody != want[p.ID] {
				t.Fatalf("%s: custody %q, want %q", p.ID, p.Custody, want[p.ID])
			}
		}

		// Write some records again, so that their marks count 2; read the
		// marks; write a few once more; clear what was read.
		rewrite := func(from, step int, data string) {
			if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
				for i := from; i < n; i += step {
					id := fmt.Sprintf("P-%04d", i)
					if _, err := tx.UpdateRecord(ctx, sqlstore.RecordRow{ID: id, Kind: rescreen.KindPersons, Source: "CBP_E3", SourceID: id,
						FamilyID: "F-1", PersonID: rescreen.PersonID(id), Batch: "B", Data: []byte(data)}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		rewrite(0, 2, `{"given_names":"Ana"}`)
		read := staleLinks(t, db)
		rewrite(1, 7, `{"given_names":"Eva"}`)
		var cleared int
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			var err error
			cleared, err = tx.ClearStaleLinks(ctx, read)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		left := staleLinks(t, db)
		for i := range n {
			id := fmt.Sprintf("P-%04d", i)
			if moved := i%7 == 1; moved != (left[id] > 0) {
				t.Fatalf("%s: mark %d after the clear (read %d)", id, left[id], read[id])
			}
		}
		if cleared != n-len(left) {
			t.Errorf("cleared %d marks, %d of %d left", cleared, len(left), n)
		}
	})
}

// TestContractHeldUpserts: a determination, facts and report contribution
// written twice for a family in one transaction, and a stage set twice,
// leave the last of each, whether or not a read came between.
func TestContractHeldUpserts(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		k := sqlstore.ReportFactsKey{AsOf: "2026-11-23", RuleVersion: "v-test", Definitions: "d1"}
		det := func(id, outcome string) sqlstore.DeterminationRow {
			return sqlstore.DeterminationRow{FamilyID: rescreen.FamilyID(id), Version: "v-test", AsOf: "2026-11-23",
				Outcome: outcome, ResultHash: "h-" + outcome, Format: "json", Result: []byte(`{"o":"` + outcome + `"}`)}
		}
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for _, id := range []string{"F-1", "F-2"} {
				if err := tx.InsertFamily(ctx, family(id)); err != nil {
					return err
				}
			}
			if err := tx.PutRuleVersion(ctx, "v-test", []byte(`{}`), t0); err != nil {
				return err
			}
			buf := []byte(`{"n":1}`)
			for i, outcome := range []string{"PENDING", "REMOVAL_MAY_PROCEED", "PROTECTED"} {
				for _, id := range []rescreen.FamilyID{"F-1", "F-2"} {
					if err := tx.PutDetermination(ctx, det(string(id), outcome)); err != nil {
						return err
					}
					buf[5] = byte('1' + i) // the caller reuses its buffer
					if err := tx.PutReportFacts(ctx, id, k, buf); err != nil {
						return err
					}
					if err := tx.SetDerived(ctx, id, rescreen.Stage(outcome)); err != nil {
						return err
					}
				}
				if i == 1 { // a read between the writes
					if d, _, err := tx.Determination(ctx, "F-2"); err != nil || d.Outcome != outcome {
						return fmt.Errorf("read between the writes: %+v %v", d, err)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []rescreen.FamilyID{"F-1", "F-2"} {
			d, ok, err := db.Determination(ctx, id)
			if err != nil || !ok || d.Outcome != "PROTECTED" || string(d.Result) != `{"o":"PROTECTED"}` {
				t.Errorf("%s: determination %+v %v %v", id, d, ok, err)
			}
			f, err := db.FamilyRow(ctx, id)
			if err != nil || f.Stage != "PROTECTED" || f.Dirty {
				t.Errorf("%s: stage %q dirty %v, %v", id, f.Stage, f.Dirty, err)
			}
		}
		fams, matching, err := db.ReportFactsCount(ctx, k)
		if err != nil || fams != 2 || matching != 2 {
			t.Errorf("report facts: %d families, %d matching, %v", fams, matching, err)
		}
	})
}

// TestContractErrors: the database's errors reach the service as the
// same codes on both: a duplicate is a conflict, a missing reference is
// invalid, and the append-only tables refuse changes.
func TestContractErrors(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-1")); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: t0, Actor: "test", Action: "family.create", FamilyID: "F-1", Subject: "F-1"})
		}); err != nil {
			t.Fatal(err)
		}
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.InsertFamily(ctx, family("F-1")) })
		if rescreen.ErrorCode(err) != rescreen.ECONFLICT {
			t.Errorf("duplicate family: %v, want conflict", err)
		}
		err = db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: "R-1", Kind: rescreen.KindPersons, Source: "CBP_E3", SourceID: "P-1",
				FamilyID: "NO-SUCH-FAMILY", Batch: "B", Data: []byte(`{}`)})
			return err
		})
		if rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("record of a family that does not exist: %v, want invalid", err)
		}
		for _, q := range []string{`UPDATE audit_events SET actor = 'x'`, `DELETE FROM audit_events`} {
			err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, q) })
			if err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
		if seq, _, err := db.AuditHead(ctx); err != nil || seq != 1 {
			t.Errorf("audit head after refused changes: %d %v", seq, err)
		}
	})
}

// TestContractOrder: text is ordered by its bytes on both databases
// (upper case before lower case, digits before letters, accents last),
// as the keyset pages need.
func TestContractOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		ids := []string{"b", "B", "a", "A", "1", "é", "Z", "a-1", "a_1", "a1"}
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for _, id := range ids {
				if err := tx.InsertFamily(ctx, family(id)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var got []string
		after := ""
		for {
			page, err := db.FamilyIDs(ctx, sqlstore.Query{After: after, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, f := range page {
				got = append(got, string(f.ID))
			}
			after = string(page[len(page)-1].ID)
		}
		want := slices.Clone(ids)
		slices.Sort(want) // Go compares strings by bytes
		if !slices.Equal(got, want) {
			t.Errorf("families in pages of 3: %q, want %q", got, want)
		}
	})
}

// TestContractNameSearch: whole words and prefixes, every group matched,
// and quotes in a word kept inert.
func TestContractNameSearch(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		people := map[string]string{"P-1": "jorge zuniga", "P-2": "jorgelina perez", "P-3": "o'brien jorge"}
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-1")); err != nil {
				return err
			}
			for _, id := range []string{"P-1", "P-2", "P-3"} {
				n, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: id, Kind: rescreen.KindPersons, Source: "CBP_E3", SourceID: id, FamilyID: "F-1",
					PersonID: rescreen.PersonID(id), Batch: "B", Data: []byte(`{}`)})
				if err != nil {
					return err
				}
				if err := tx.PutPerson(ctx, sqlstore.PersonRow{ID: rescreen.PersonID(id), FamilyID: "F-1", Role: "PARENT", Name: people[id]}, false); err != nil {
					return err
				}
				if err := tx.PutNameSearch(ctx, n, rescreen.PersonID(id), people[id], false); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		find := func(q [][]sqlstore.NameTerm) []string {
			t.Helper()
			hits, err := db.NameHits(ctx, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range hits {
				out = append(out, string(h.Person.ID))
			}
			slices.Sort(out)
			return out
		}
		for name, c := range map[string]struct {
			q    [][]sqlstore.NameTerm
			want []string
		}{
			"whole word":     {[][]sqlstore.NameTerm{{{Word: "jorge"}}}, []string{"P-1", "P-3"}},
			"prefix":         {[][]sqlstore.NameTerm{{{Word: "jorge", Prefix: true}}}, []string{"P-1", "P-2", "P-3"}},
			"both groups":    {[][]sqlstore.NameTerm{{{Word: "jorge"}}, {{Word: "zun", Prefix: true}, {Word: "perez"}}}, []string{"P-1"}},
			"either term":    {[][]sqlstore.NameTerm{{{Word: "zuniga"}, {Word: "perez"}}}, []string{"P-1", "P-2"}},
			"quote in word":  {[][]sqlstore.NameTerm{{{Word: "o'brien"}}}, []string{"P-3"}},
			"markup and ops": {[][]sqlstore.NameTerm{{{Word: `") OR ("a`}, {Word: `x' | 'jorge`}}}, nil},
			"nothing":        {[][]sqlstore.NameTerm{{{Word: "maria"}}}, nil},
		} {
			if got := find(c.q); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		// The person list's filter by name words (prefixes of every word).
		ps, err := db.Persons(ctx, sqlstore.Query{NameTokens: []string{"jor", "zun"}, Limit: 10})
		if err != nil || len(ps) != 1 || ps[0].ID != "P-1" {
			t.Errorf("persons by name tokens: %+v %v", ps, err)
		}
	})
}

// TestContractMigrationsOnce: opening a store again applies nothing
// twice and keeps what it holds.
func TestContractMigrationsOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, name string) {
		ctx := context.Background()
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.InsertFamily(ctx, family("F-1")) }); err != nil {
			t.Fatal(err)
		}
		again, err := sqlstore.Open(ctx, name)
		if err != nil {
			t.Fatalf("open again: %v", err)
		}
		defer again.Close()
		if _, err := again.FamilyRow(ctx, "F-1"); err != nil {
			t.Errorf("family after opening again: %v", err)
		}
		cases, err := again.CourtCases(ctx)
		if err != nil || len(cases) != 3 {
			t.Fatalf("court cases: %d %v", len(cases), err)
		}
	})
}

// TestContractUserWithRoles: the user and the roles in one query are the
// user and the roles read apart, for a user with no role, one, and two;
// an unknown id is not found.
func TestContractUserWithRoles(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		users := map[string][]access.Assignment{
			"u-none": nil,
			"u-one":  {{Role: "ASYLUM_OFFICER", Scope: "ALL"}},
			"u-two":  {{Role: "ORR_OFFICER", Scope: "UNITS", Units: []string{"orr:a", "orr:b"}}, {Role: "ASYLUM_OFFICER", Scope: "UNITS", Units: []string{"asylum:x"}}},
		}
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for id, roles := range users {
				if err := tx.InsertUser(ctx, sqlstore.UserRow{ID: id, Name: "name-" + id, Display: "D " + id, Hash: "h", CreatedAt: t0}); err != nil {
					return err
				}
				if err := tx.SetRoles(ctx, id, roles); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for id, set := range users {
			u, roles, found, err := db.UserWithRoles(ctx, id)
			if err != nil || !found {
				t.Fatalf("%s: found %v, err %v", id, found, err)
			}
			wantU, _, err := db.UserByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			wantR, err := db.Roles(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(u) != fmt.Sprint(wantU) {
				t.Errorf("%s: user %+v, want %+v", id, u, wantU)
			}
			if fmt.Sprint(roles) != fmt.Sprint(wantR) || len(roles) != len(set) {
				t.Errorf("%s: roles %+v, want %+v (%d)", id, roles, wantR, len(set))
			}
		}
		if _, _, found, err := db.UserWithRoles(ctx, "u-nobody"); err != nil || found {
			t.Errorf("unknown user: found %v, err %v", found, err)
		}
	})
}

// TestContractChunkReads: the derivation's reads of a chunk of families
// (their rows and records, and which have a link in force) give what the
// reads of one family at a time give, across the 500 families a query
// takes, with an id that is not there left out.
func TestContractChunkReads(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const n = 1003
		ids := make([]rescreen.FamilyID, 0, n+1)
		rec := func(f, k int) string { return fmt.Sprintf("R-%04d-%d", f, k) }
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for i := range n {
				id := rescreen.FamilyID(fmt.Sprintf("F-%04d", i))
				ids = append(ids, id)
				if err := tx.InsertFamily(ctx, family(string(id))); err != nil {
					return err
				}
				for k := range 1 + i%3 {
					if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: rec(i, k), Kind: rescreen.KindScreenings, Source: "MANUAL",
						SourceID: rec(i, k), FamilyID: id, Batch: "B", Data: []byte(fmt.Sprintf(`{"n":%d}`, k))}); err != nil {
						return err
					}
				}
			}
			for _, l := range []struct {
				id          string
				left, right int
				state       rescreen.LinkState
			}{
				{"L-1", 1, 2, rescreen.LinkLinked},
				{"L-2", 601, 601, rescreen.LinkConfirmed},
				{"L-3", 700, 701, rescreen.LinkRejected},
				{"L-4", 1001, 3, rescreen.LinkLinked},
				{"L-5", 502, 999, rescreen.LinkReview},
			} {
				c := &rescreen.LinkCandidate{ID: l.id, State: l.state, UpdatedAt: t0, LinkScore: rescreen.LinkScore{Kind: rescreen.LinkSamePerson,
					Left:  rescreen.LinkEnd{RecordID: rec(l.left, 0), FamilyID: ids[l.left]},
					Right: rescreen.LinkEnd{RecordID: rec(l.right, 0), FamilyID: ids[l.right]}}}
				if l.left == l.right {
					c.Right.RecordID = rec(l.right, 1)
				}
				if err := tx.PutLinkCandidate(ctx, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ask := append(slices.Clone(ids), "F-none")
		fams, recs, err := db.FamiliesRecords(ctx, ask)
		if err != nil {
			t.Fatal(err)
		}
		linked, err := db.FamiliesWithLinksInForce(ctx, ask)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fams["F-none"]; ok || len(fams) != n {
			t.Errorf("%d families, want %d and not F-none", len(fams), n)
		}
		sortRecs := func(rs []sqlstore.RecordRow) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.ID+"|"+string(r.FamilyID)+"|"+string(r.Data))
			}
			slices.Sort(out)
			return out
		}
		for _, id := range ids {
			f, rows, err := db.Family(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(fams[id]) != fmt.Sprint(f) {
				t.Errorf("%s: row %+v, want %+v", id, fams[id], f)
			}
			if got, want := sortRecs(recs[id]), sortRecs(rows); !slices.Equal(got, want) {
				t.Errorf("%s: records %v, want %v", id, got, want)
			}
			ls, err := db.LinksInForce(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if linked[id] != (len(ls) > 0) {
				t.Errorf("%s: linked %v, but %d links in force", id, linked[id], len(ls))
			}
		}
		if len(linked) != 5 { // F-0001, F-0002, F-0601, F-1001, F-0003
			t.Errorf("linked families %v, want 5", linked)
		}
	})
}

// TestContractWorkCounters: the dashboard's counters of held families and
// members and of overdue deadlines agree with the work rows, whatever
// sequence of PutWork calls made them: families that share members (as
// the families of a unit do), a family changed twice in one transaction,
// with and without its rows prefetched, and transactions rolled back.
func TestContractWorkCounters(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const families = 10
		ids := make([]rescreen.FamilyID, families)
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for i := range ids {
				ids[i] = rescreen.FamilyID(fmt.Sprintf("F-%02d", i))
				if err := tx.InsertFamily(ctx, family(string(ids[i]))); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		type work struct {
			holds []string
			dls   []sqlstore.DeadlineRow
		}
		model := map[rescreen.FamilyID]work{}
		rng := rand.New(rand.NewPCG(8, 23))
		persons := []string{"A:1", "A:2", "A:3", "B:1", "B:2", "C:1"}
		randomWork := func() work {
			var w work
			for _, p := range persons {
				if rng.IntN(3) == 0 {
					w.holds = append(w.holds, p)
				}
				for _, clock := range []string{"T-1", "T-2"} {
					if rng.IntN(4) == 0 {
						due := fmt.Sprintf("2026-0%d-01", 1+rng.IntN(3))
						w.dls = append(w.dls, sqlstore.DeadlineRow{Person: p, Clock: clock, Title: "clock " + clock, Due: due, Status: "OPEN"})
					}
				}
			}
			return w
		}
		want := func() sqlstore.StatsRow {
			var out sqlstore.StatsRow
			members, keys := map[string]bool{}, map[string]bool{}
			byClock := map[string]map[string]bool{}
			for _, w := range model {
				if len(w.holds) > 0 {
					out.HeldFamilies++
				}
				for _, p := range w.holds {
					members[p] = true
				}
				if len(w.dls) > 0 {
					out.OverdueFamilies++
				}
				for _, d := range w.dls {
					k := d.Person + "|" + d.Clock + "|" + d.Due
					keys[k] = true
					if byClock[d.Clock] == nil {
						byClock[d.Clock] = map[string]bool{}
					}
					byClock[d.Clock][k] = true
				}
			}
			out.HeldMembers, out.Overdue = len(members), len(keys)
			for _, c := range slices.Sorted(maps.Keys(byClock)) {
				out.OverdueByClock = append(out.OverdueByClock, rescreen.OverdueCount{Clock: c, Title: "clock " + c, Deadlines: len(byClock[c])})
			}
			slices.SortStableFunc(out.OverdueByClock, func(a, b rescreen.OverdueCount) int { return b.Deadlines - a.Deadlines })
			return out
		}
		for round := range 60 {
			next := maps.Clone(model)
			rollback := rng.IntN(5) == 0
			err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
				if rng.IntN(2) == 0 {
					if err := tx.Prefetch(ctx, ids); err != nil {
						return err
					}
				}
				for range 1 + rng.IntN(4) {
					id := ids[rng.IntN(3+min(round, families-3))]
					w := randomWork()
					if rng.IntN(6) == 0 {
						w = work{} // the family no longer holds anything
					}
					if err := tx.PutWork(ctx, id, w.holds, w.dls); err != nil {
						return err
					}
					next[id] = w
				}
				if rollback {
					return errors.New("rolled back")
				}
				return nil
			})
			switch {
			case rollback && err == nil, !rollback && err != nil:
				t.Fatalf("round %d: rollback %v, error %v", round, rollback, err)
			case !rollback:
				model = next
			}
			got, err := db.Stats(ctx, sqlstore.StatsQuery{Today: "9999-12-31", BornAfter: "9999-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			w := want()
			if got.HeldFamilies != w.HeldFamilies || got.HeldMembers != w.HeldMembers || got.Overdue != w.Overdue ||
				got.OverdueFamilies != w.OverdueFamilies || !slices.Equal(got.OverdueByClock, w.OverdueByClock) {
				t.Fatalf("round %d: counters\n%+v %+v %d %d %+v\nwant\n%+v %+v %d %d %+v", round,
					got.HeldFamilies, got.HeldMembers, got.Overdue, got.OverdueFamilies, got.OverdueByClock,
					w.HeldFamilies, w.HeldMembers, w.Overdue, w.OverdueFamilies, w.OverdueByClock)
			}
		}
	})
}
