package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// dialect is the SQL a database speaks. The store's statements are
// written once, in the SQL both databases share, with SQLite's "?"
// placeholders; a handle rewrites them for PostgreSQL (see docs/design.md,
// "PostgreSQL"). What the two do not share (the name search's full-text
// index, the migrations) is written per dialect.
type dialect uint8

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// String names the dialect.
func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// rebound caches the PostgreSQL form of each statement: the store uses a
// few hundred distinct ones.
var rebound sync.Map // string -> string

// rewrite returns the statement in the dialect's SQL. For PostgreSQL:
// each "?" becomes "$1", "$2", … in order, and "?N" becomes "$N"; a
// question mark inside a string literal, a quoted name or a comment is
// left alone. SQLite's table hint "NOT INDEXED" is dropped, and instr is
// PostgreSQL's strpos.
func (d dialect) rewrite(q string) string {
	if d != postgresDialect {
		return q
	}
	if s, ok := rebound.Load(q); ok {
		return s.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				b.WriteString(q[i:])
				i = len(q)
				continue
			}
			b.WriteString(q[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i - 1
			}
			b.WriteString(q[i : i+j+1])
			i += j
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	s := b.String()
	s = strings.ReplaceAll(s, " NOT INDEXED", "")
	s = strings.ReplaceAll(s, "instr(", "strpos(")
	rebound.Store(q, s)
	return s
}

// handle is a pool of connections to the store's database that takes
// the store's statements and gives them to the database in its dialect.
type handle struct {
	*sql.DB
	d dialect

	// On SQLite, the statements run outside a transaction are prepared
	// once and kept: database/sql then prepares each on a connection the
	// first time it runs there, instead of on every call, which cost a
	// fifth of a read's time. PostgreSQL's driver keeps its own cache.
	stmts  sync.Map // string -> *sql.Stmt
	nstmts atomic.Int32
}

// maxCachedStmts bounds the statements a handle keeps: the store's own are
// a few hundred; a statement built with a varying number of placeholders
// beyond the bound runs unprepared.
const maxCachedStmts = 1024

// stmt returns the handle's prepared statement for q, or nil when
// statements are not kept (PostgreSQL) or the cache is full.
func (h *handle) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := h.kept(q); ok {
		return st, nil
	}
	saw(q)
	if h.d != sqliteDialect {
		return nil, nil
	}
	if !h.keeps() {
		return nil, nil
	}
	st, err := h.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := h.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	h.nstmts.Add(1)
	return st, nil
}

// kept returns the handle's prepared statement for q if it keeps one.
func (h *handle) kept(q string) (*sql.Stmt, bool) {
	st, ok := h.stmts.Load(q)
	if !ok {
		return nil, false
	}
	return st.(*sql.Stmt), true
}

// keeps reports whether the handle keeps statements: on SQLite, until the
// bound.
func (h *handle) keeps() bool {
	return h.d == sqliteDialect && h.nstmts.Load() < maxCachedStmts
}

// Close closes the kept statements and the database.
func (h *handle) Close() error {
	h.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return h.DB.Close()
}

// args returns the arguments as the dialect takes them: PostgreSQL has
// no implicit cast from a boolean to the integer flags, so true and false
// are given as 1 and 0, as SQLite stores them.
func (d dialect) args(args []any) []any {
	if d != postgresDialect {
		return args
	}
	for i, a := range args {
		if _, ok := a.(bool); ok {
			out := make([]any, len(args))
			copy(out, args)
			for j := i; j < len(out); j++ {
				if b, ok := out[j].(bool); ok {
					out[j] = boolInt(b)
				}
			}
			return out
		}
	}
	return args
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (h *handle) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := h.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return h.DB.ExecContext(ctx, h.d.rewrite(q), h.d.args(args)...)
}

func (h *handle) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := h.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return h.DB.QueryContext(ctx, h.d.rewrite(q), h.d.args(args)...)
}

func (h *handle) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := h.stmt(ctx, q)
	if err != nil || st == nil {
		// A statement that does not prepare fails again here, with its
		// error on the row as database/sql gives it.
		return h.DB.QueryRowContext(ctx, h.d.rewrite(q), h.d.args(args)...)
	}
	return st.QueryRowContext(ctx, args...)
}

// BeginTx starts a transaction whose statements are rewritten too.
func (h *handle) BeginTx(ctx context.Context, opts *sql.TxOptions) (*dtx, error) {
	tx, err := h.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &dtx{Tx: tx, d: h.d}, nil
}

// dtx is a transaction that takes the store's statements, as handle does.
type dtx struct {
	*sql.Tx
	d dialect
}

func (t *dtx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	saw(q)
	return t.Tx.ExecContext(ctx, t.d.rewrite(q), t.d.args(args)...)
}

func (t *dtx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	saw(q)
	return t.Tx.QueryContext(ctx, t.d.rewrite(q), t.d.args(args)...)
}

func (t *dtx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	saw(q)
	return t.Tx.QueryRowContext(ctx, t.d.rewrite(q), t.d.args(args)...)
}

func (t *dtx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	saw(q)
	return t.Tx.PrepareContext(ctx, t.d.rewrite(q))
}
