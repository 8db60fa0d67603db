package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"rescreen"
	"rescreen/sqlstore"
)

// TestContractANumbersOfTheWholeRegistry: the linkage asks for the
// A-numbers of every person at once; a registry of more persons than a
// statement takes parameters (32,766 on SQLite, 65,535 on PostgreSQL)
// gets them all, those at the edges of each chunk asked for included.
func TestContractANumbersOfTheWholeRegistry(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		const n = 70000
		ids := make([]rescreen.PersonID, n)
		for i := range ids {
			ids[i] = rescreen.PersonID(fmt.Sprintf("P-%06d", i))
		}
		// Persons with A-numbers at the first and last place, at both
		// sides of chunk boundaries, and one with two A-numbers.
		with := []int{0, 1, 499, 500, 501, 32765, 32766, 32767, 65535, 65536, n - 1}
		want := map[rescreen.PersonID][]string{}
		if err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.InsertFamily(ctx, family("F-1")); err != nil {
				return err
			}
			for k, i := range with {
				values := []string{fmt.Sprintf("A2%08d", k)}
				if i == 500 {
					values = append(values, "A199999999")
				}
				for j, v := range values {
					rid := fmt.Sprintf("R-%d-%d", i, j)
					if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: rid, Kind: rescreen.KindIdentifiers, Source: "CBP_E3",
						SourceID: rid, FamilyID: "F-1", PersonID: ids[i], Batch: "B", Data: []byte(`{}`)}); err != nil {
						return err
					}
					if err := tx.PutIdentifier(ctx, rid, ids[i], "A_NUMBER", v, false); err != nil {
						return err
					}
				}
				slices.Sort(values)
				want[ids[i]] = values
			}
			// Another kind of identifier is not an A-number.
			if _, err := tx.InsertRecord(ctx, sqlstore.RecordRow{ID: "R-UAC", Kind: rescreen.KindIdentifiers, Source: "ORR_UCPORTAL",
				SourceID: "R-UAC", FamilyID: "F-1", PersonID: ids[2], Batch: "B", Data: []byte(`{}`)}); err != nil {
				return err
			}
			return tx.PutIdentifier(ctx, "R-UAC", ids[2], "ORR_UAC_ID", "10000000", false)
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.ANumbers(ctx, ids)
		if err != nil {
			t.Fatalf("A-numbers of %d persons: %v", n, err)
		}
		if len(got) != len(want) {
			t.Errorf("A-numbers of %d persons, want %d: %v", len(got), len(want), got)
		}
		for id, w := range want {
			if !slices.Equal(got[id], w) {
				t.Errorf("%s: %q, want %q", id, got[id], w)
			}
		}
		if got, err := db.ANumbers(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("A-numbers of no one: %v %v", got, err)
		}
	})
}
