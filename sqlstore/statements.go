package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// seen holds the distinct statement texts the store has run in this
// process, up to maxSeen, for Statements. On PostgreSQL every statement
// passes here, so a text already seen costs one lock-free lookup.
var (
	seen  sync.Map // string -> struct{}
	nseen atomic.Int32
)

// maxSeen bounds the texts kept: the store's own statements are a few
// hundred, and those built with a varying number of placeholders more.
const maxSeen = 8192

// saw records a statement text the store is about to run.
func saw(q string) {
	if _, ok := seen.Load(q); ok || nseen.Load() >= maxSeen {
		return
	}
	if _, loaded := seen.LoadOrStore(q, struct{}{}); !loaded {
		nseen.Add(1)
	}
}

// Statements returns, sorted, the distinct statement texts the store has
// run in this process (at most 8,192), as written for SQLite. The
// query-plan check (package sqlstore/plancheck) asks the database how it
// would run each, after a package's tests have run the store's
// statements, so that a statement that reads a whole large table for want
// of an index fails the tests that ran it instead of a large registry.
func Statements() []string {
	var out []string
	seen.Range(func(q, _ any) bool {
		out = append(out, q.(string))
		return true
	})
	slices.Sort(out)
	return out
}

// Explain returns how the database would run the statement, one step a
// line, for the query-plan check: SQLite's EXPLAIN QUERY PLAN; on
// PostgreSQL the generic plan of the prepared statement (the plan made
// without the arguments' values) with sequential scans made a last resort,
// so that a plan still holding one means no index serves the statement.
func (db *DB) Explain(ctx context.Context, q string) (string, error) {
	if db.dialect != postgresDialect {
		rows, err := db.read.DB.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, make([]any, strings.Count(q, "?"))...)
		if err != nil {
			return "", err
		}
		return planLines(rows, func(rows *sql.Rows) (string, error) {
			var id, parent, notused int
			var detail string
			err := rows.Scan(&id, &parent, &notused, &detail)
			return detail, err
		})
	}
	conn, err := db.read.DB.Conn(ctx)
	if err != nil {
		return "", err
	}
	// The settings are the connection's: it is marked bad (first, the
	// deferred calls running in turn from the last) so that closing it
	// does not give it back to the pool with them.
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	for _, set := range []string{`SET enable_seqscan = off`, `SET plan_cache_mode = force_generic_plan`} {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			return "", err
		}
	}
	if _, err := conn.ExecContext(ctx, `PREPARE plancheck AS `+db.dialect.rewrite(q)); err != nil {
		return "", err
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = 'plancheck'`).Scan(&n); err != nil {
		return "", err
	}
	args := strings.TrimSuffix(strings.Repeat("NULL, ", n), ", ")
	if n > 0 {
		args = "(" + args + ")"
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN EXECUTE plancheck`+args)
	if err != nil {
		return "", err
	}
	return planLines(rows, func(rows *sql.Rows) (string, error) {
		var line string
		err := rows.Scan(&line)
		return line, err
	})
}

// planLines joins the lines of a plan, closing rows.
func planLines(rows *sql.Rows, scan func(*sql.Rows) (string, error)) (string, error) {
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		line, err := scan(rows)
		if err != nil {
			return "", err
		}
		b.WriteString(strings.TrimSpace(line))
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}
