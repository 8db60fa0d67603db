// Package sqlstore keeps the registry in SQL: SQLite (embedded, the
// default) or PostgreSQL (a postgres:// URL), through the same code. It
// holds no business rules:
// package app decides what to write and sqlstore writes it, one explicit
// transaction at a time, with the audit event inside the transaction.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"rescreen"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// DB is an open store. On SQLite: one writer connection, where writes
// queue in Go rather than fail with "database is locked", and a pool of
// readers. On PostgreSQL: one pool, whose write transactions queue on a
// lock of their own (see WithTx).
type DB struct {
	write   *handle
	read    *handle
	path    string
	dialect dialect

	// Rows that, once committed, are never changed or deleted, so that a
	// write transaction need not write or look them up again: the rule-set
	// versions recorded (string -> bool) and the ids of report keys
	// (ReportFactsKey -> int64). Filled after a commit only.
	ruleVersions sync.Map
	reportKeys   sync.Map
}

// IsPostgres reports whether a database name is a PostgreSQL URL
// (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgres(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// Dialect names the store's database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.String() }

// pragmas: busy_timeout first, so that enabling WAL waits for a lock instead
// of failing; foreign keys are off by default in SQLite; synchronous=NORMAL
// is durable across a process crash in WAL mode (only a power loss can cost
// the last transactions, never consistency); cache_size gives each
// connection a 256 MiB page cache instead of SQLite's 2 MiB, because the
// unique and search indexes of a large registry outgrow the default and
// every insert then reads its index pages from the file.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-262144)&_txlock=immediate"

// Open opens the store and applies the embedded migrations: the
// PostgreSQL database of a postgres:// URL, else the SQLite database at
// path (created if need be), or an in-memory one for ":memory:".
func Open(ctx context.Context, path string) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path)
	}
	db := &DB{path: path}
	if path == ":memory:" {
		// Every new connection to :memory: is a new, empty database, so reads
		// and writes share the single connection.
		w, err := sql.Open("sqlite", "file::memory:?"+strings.ReplaceAll(pragmas, "_pragma=journal_mode(WAL)&", ""))
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		db.write = &handle{DB: w}
		db.read = db.write
	} else {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
		w, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1)
		// Readers keep a smaller page cache of their own: the operating
		// system's cache is shared by all of them. They read pages with
		// system calls rather than by mapping the file: every page view
		// appends to the audit chain, so the file grows all the time, and
		// each reader then unmapped and mapped gigabytes again, which under
		// load cost a third of the reads' throughput (docs/benchmarks.md,
		// 2026-11-23).
		r, err := sql.Open("sqlite", strings.Replace(dsn, "cache_size(-262144)", "cache_size(-32768)", 1)+"&mode=ro")
		if err != nil {
			w.Close()
			return nil, err
		}
		// Idle readers are kept, all of them: closing one throws away its
		// page cache and its mapping, and opening one reads the schema
		// again, which under load cost more than the reads themselves.
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		db.write, db.read = &handle{DB: w}, &handle{DB: r}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// migrate applies the embedded migrations in name order, each in its own
// transaction, recording each by name. It refuses a database that has a
// migration this binary does not know: an older binary must not write to a
// newer schema.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/"+db.dialect.String()+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known := map[string]bool{}
	for _, n := range names {
		known[filepath.Base(n)] = true
	}
	applied := map[string]bool{}
	rows, err := db.write.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		applied[n] = true
		if !known[n] {
			rows.Close()
			return fmt.Errorf("migrate: the database has migration %s, which this program does not know; use a newer rescreen", n)
		}
	}
	rows.Close()
	for _, n := range names {
		base := filepath.Base(n)
		if applied[base] {
			continue
		}
		body, err := migrationFiles.ReadFile(n)
		if err != nil {
			return err
		}
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := db.lockWrites(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
		// Another process may have applied it while this one waited.
		var done int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, base).Scan(&done); err != nil || done > 0 {
			tx.Rollback()
			if err != nil {
				return fmt.Errorf("migrate %s: %w", base, err)
			}
			continue
		}
		if _, err := tx.Tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, base, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Tx is a write transaction. Every change and its audit event go through
// one Tx, so a crash leaves all of the change or none of it.
type Tx struct {
	tx       *dtx
	stmts    map[string]*sql.Stmt
	h        *handle  // the writer, whose kept statements the transaction uses
	missed   []string // statements prepared for this transaction alone
	headSeq  int64
	headHash string
	headRead bool
	// reportKeys are the ids of report_keys rows this transaction has
	// looked up or made (report.go), and ruleVersions the rule-set
	// versions it recorded; both go to the DB's caches once it commits.
	reportKeys   map[ReportFactsKey]int64
	ruleVersions []string
	db           *DB
	// counts are the counter deltas written at commit (stats.go).
	counts map[countKey]int
	// held are the inserts not sent yet, heldErr the error of a send
	// that failed (held.go).
	held    held
	heldErr error
	rowids  rowIDs      // the row numbers of records to insert (held.go)
	pre     familyState // rows read ahead for many families (prefetch.go)
	// changes are the work rows PutWork changed, settled at commit
	// (stats.go).
	changes workChanges
}

// WithTx runs fn in a write transaction and commits if fn returns nil.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate("begin", err)
	}
	if err := db.lockWrites(ctx, stx); err != nil {
		stx.Rollback()
		return translate("begin", err)
	}
	tx := &Tx{tx: stx, h: db.write, db: db}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := tx.settleWork(ctx); err != nil {
		stx.Rollback()
		return err
	}
	if err := tx.sendHeld(ctx); err != nil {
		stx.Rollback()
		return err
	}
	if err := tx.flushCounts(ctx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return translate("commit", err)
	}
	for k, id := range tx.reportKeys {
		db.reportKeys.Store(k, id)
	}
	for _, v := range tx.ruleVersions {
		db.ruleVersions.Store(v, true)
	}
	// The statements this transaction had to prepare for itself are kept
	// for the next ones, now that the writer's connection is free. A
	// statement that fails to prepare here is simply not kept.
	for _, q := range tx.missed {
		db.write.stmt(ctx, q)
	}
	return nil
}

// translate turns driver errors into rescreen errors by their codes, never
// by their text.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &rescreen.Error{Code: rescreen.ENOTFOUND, Op: op, Err: err, Message: "not found"}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &rescreen.Error{Code: rescreen.ECONFLICT, Op: op, Err: err, Message: "the record is already on record"}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &rescreen.Error{Code: rescreen.EINVALID, Op: op, Err: err, Message: "the record refers to a record that does not exist"}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &rescreen.Error{Code: rescreen.EINTERNAL, Op: op, Err: err, Message: "the database is busy"}
		}
	}
	var re *rescreen.Error
	if errors.As(err, &re) {
		return err
	}
	if e := translatePostgres(op, err); e != nil {
		return e
	}
	return &rescreen.Error{Code: rescreen.EINTERNAL, Op: op, Err: err}
}

const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}
