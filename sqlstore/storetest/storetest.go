// Package storetest gives tests a new, empty store: SQLite in the test's
// temporary directory, or, when RESCREEN_TEST_POSTGRES names a PostgreSQL
// database (postgres://...), a schema of its own in that database, dropped
// when the test ends. The same tests thus check the store's contract on
// both databases: `go test ./...` on SQLite, and with the variable set on
// PostgreSQL (see scripts/pg-test and .ci/run).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"rescreen/sqlstore"
)

// EnvURL is the variable that names the PostgreSQL test database.
const EnvURL = "RESCREEN_TEST_POSTGRES"

// PostgresURL returns the PostgreSQL test database's URL, "" if none.
func PostgresURL() string { return os.Getenv(EnvURL) }

// Name returns the name of a new, empty database for the test: a file
// path, or a postgres:// URL whose search path is a new schema.
func Name(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	if base == "" {
		return filepath.Join(tb.TempDir(), "test.db")
	}
	return NewSchema(tb, base)
}

// NewSchema makes a schema in the PostgreSQL database of base, drops it
// when the test ends, and returns base with the schema as its search path.
func NewSchema(tb testing.TB, base string) string {
	tb.Helper()
	name, drop, err := Schema(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvURL, err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Error(err)
		}
	})
	return name
}

// Schema makes a schema in the PostgreSQL database of base and returns
// base with the schema as its search path, and the function that drops it.
func Schema(base string) (string, func() error, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() error {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// Open opens a new, empty store for the test and closes it when the test
// ends.
func Open(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), Name(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
