package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"rescreen"
)

// writeLock is the key of the PostgreSQL advisory lock that every write
// transaction holds until it ends. The audit chain is one sequence of
// events, each hashing the one before, so writes are made one at a time,
// as SQLite makes them; reads never wait for it.
const writeLock = 0x7265736372 // "rescr"

// openPostgres opens the PostgreSQL database of the URL: one pool for
// reads and writes. The database must compare text by bytes (the "C"
// collation), as SQLite does: the store's keyset pages, its sorted lists
// and its reports depend on that order.
func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %v", err) // the error masks a password
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	h := &handle{DB: pool, d: postgresDialect}
	db := &DB{write: h, read: h, path: url, dialect: postgresDialect}
	var collate string
	if err := pool.QueryRowContext(ctx, `SELECT datcollate FROM pg_database WHERE datname = current_database()`).Scan(&collate); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open PostgreSQL database: %w", translate("open", err))
	}
	if collate != "C" && collate != "POSIX" {
		pool.Close()
		return nil, fmt.Errorf("the PostgreSQL database has the collation %q; rescreen needs \"C\" (CREATE DATABASE ... TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'; see docs/deploy.md)", collate)
	}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Redacted returns a database name fit for a message or a log: a
// PostgreSQL URL without its password.
func Redacted(name string) string {
	if !IsPostgres(name) {
		return name
	}
	u, err := neturl.Parse(name)
	if err != nil {
		return "postgres://(a URL that cannot be parsed)"
	}
	return u.Redacted()
}

// lockWrites makes a write transaction wait for the one before it to
// end (PostgreSQL only: SQLite's single writer connection already does).
func (db *DB) lockWrites(ctx context.Context, tx *dtx) error {
	if db.dialect != postgresDialect {
		return nil
	}
	_, err := tx.Tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock)
	return err
}

// translatePostgres turns PostgreSQL's errors into rescreen errors by
// their SQLSTATE codes, and a database that cannot be reached into
// EUNAVAILABLE; nil for any other error.
func translatePostgres(op string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return &rescreen.Error{Code: rescreen.ECONFLICT, Op: op, Err: err, Message: "the record is already on record"}
		case pe.Code == "23503": // foreign_key_violation
			return &rescreen.Error{Code: rescreen.EINVALID, Op: op, Err: err, Message: "the record refers to a record that does not exist"}
		case pe.Code == "40001" || pe.Code == "40P01" || pe.Code == "55P03": // serialization, deadlock, lock not available
			return &rescreen.Error{Code: rescreen.EINTERNAL, Op: op, Err: err, Message: "the database is busy"}
		case strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "53300":
			// connection exceptions, the server shutting down or starting,
			// too many connections
			return unavailable(op, err)
		}
		return nil
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err) || isClosedConn(err) {
		return unavailable(op, err)
	}
	return nil
}

func unavailable(op string, err error) error {
	return &rescreen.Error{Code: rescreen.EUNAVAILABLE, Op: op, Err: err, Message: "The database cannot be reached just now; try again in a moment."}
}

// isClosedConn reports the errors of a connection the server closed
// under a statement (a restart), which pgconn gives without a type.
func isClosedConn(err error) bool {
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "unexpected EOF") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "connection reset by peer") || strings.Contains(s, "failed to connect")
}
