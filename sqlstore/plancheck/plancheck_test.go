package plancheck

import (
	"context"
	"testing"

	"rescreen/sqlstore/storetest"
)

func TestCheckFindsWholeReads(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testCheck(t, func(stmts []string) ([]Finding, error) { return CheckSQLite(context.Background(), stmts) })
	})
	if base := storetest.PostgresURL(); base != "" {
		t.Run("postgres", func(t *testing.T) {
			testCheck(t, func(stmts []string) ([]Finding, error) { return CheckPostgres(context.Background(), base, stmts) })
		})
	}
}

func testCheck(t *testing.T, check func([]string) ([]Finding, error)) {
	stmts := []string{
		// A lookup by a column with no index reads every record.
		`SELECT id FROM records WHERE data = ?`,
		// The same through an alias, and through a join.
		`SELECT r.id FROM records r WHERE r.batch = ?`,
		`SELECT f.id FROM families f JOIN records r ON r.family_id = f.id WHERE r.data = ?`,
		// A page in an order no index gives is sorted whole, LIMIT or not.
		`SELECT family_id FROM work_deadlines ORDER BY title LIMIT ?`,
		// A list of values for an IN, built for one or many: one statement.
		`SELECT id FROM records WHERE data IN (?, ?, ?)`,
		`SELECT id FROM records WHERE data IN (?)`,
	}
	fine := []string{
		`SELECT id FROM records WHERE id = ?`,
		`SELECT person_id, value FROM identifiers WHERE person_id IN (?, ?) AND kind = 'A_NUMBER' ORDER BY person_id, value`,
		// A walk in an index's order that a LIMIT stops.
		`SELECT id FROM families ORDER BY id LIMIT ?`,
		`SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`,
		// Small tables, virtual tables, lists of values and subqueries.
		`SELECT name FROM users`,
		`SELECT person_id FROM name_search WHERE name_search MATCH ?`,
		`INSERT INTO work_holds (family_id, person) VALUES (?, ?), (?, ?)`,
		`SELECT COUNT(*) FROM (SELECT 1 FROM records LIMIT 1) AS one`,
		// A whole read by design.
		`SELECT record_id, marks FROM link_stale`,
		// A statement that does not prepare is left to fail where it runs.
		`SELECT FROM nowhere`,
	}
	got, err := check(append(append([]string{}, stmts...), fine...))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{`SELECT id FROM records WHERE data IN (?)`: true}
	for _, q := range stmts[:4] {
		want[q] = true
	}
	found := map[string]bool{}
	for _, f := range got {
		found[f.Statement] = true
		if !want[f.Statement] {
			t.Errorf("found %q (plan %q); it does not read a whole large table", f.Statement, f.Plan)
		}
		if f.Plan == "" {
			t.Errorf("%q: no plan", f.Statement)
		}
	}
	for q := range want {
		if !found[q] {
			t.Errorf("did not find %q", q)
		}
	}
	// The IN list of three and that of one are one finding, as IN (?).
	if !found[`SELECT id FROM records WHERE data IN (?)`] || found[`SELECT id FROM records WHERE data IN (?, ?, ?)`] {
		t.Errorf("an IN list should be reported once, as IN (?): %v", found)
	}
}
