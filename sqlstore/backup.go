package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"rescreen"
)

// Backups of the SQLite store are made online, while a server writes to
// the same database: VACUUM INTO runs on a read connection, inside one read
// transaction, so the copy holds the database as of one commit, and in WAL
// mode the writer goes on meanwhile. A backup is written under a temporary
// name, synced, checked (integrity and the audit chain) and only then given
// its name, so that a crash never leaves a half backup that looks whole.
//
// PostgreSQL is backed up with pg_dump (docs/deploy.md): its own tool makes
// a consistent dump of a live database, and a copy of its files would not
// be one.

// SnapshotInfo describes a database file: what an operator compares after a
// backup and before a restore.
type SnapshotInfo struct {
	Path     string
	Bytes    int64
	Families int64
	// Schema is the newest migration applied to the file.
	Schema string
	// Newer lists the migrations applied to the file that this program
	// does not know: the file was written by a newer rescreen.
	Newer []string
	// Integrity is "ok", or the first problems SQLite's integrity check
	// found.
	Integrity string
	// Chain is the result of verifying the file's audit chain; its Head and
	// HeadSeq are the newest event the file holds.
	Chain rescreen.ChainReport
	// HeadAt is the time of the newest audit event as stored (RFC 3339 in
	// UTC), or "" for an empty chain.
	HeadAt string
}

// errPostgresBackup is the answer to a backup or restore of PostgreSQL.
func errPostgresBackup(dsn string) error {
	if !IsPostgres(dsn) {
		return nil
	}
	return rescreen.Errorf(rescreen.EINVALID, "a PostgreSQL database is backed up with pg_dump and restored with pg_restore, not by rescreen: see docs/deploy.md, section Backups")
}

// checkDatabaseFile refuses names that cannot be an existing database
// file; field names the flag or field the name came from.
func checkDatabaseFile(field, path string) error {
	if path == "" || path == ":memory:" {
		return rescreen.Errorf(rescreen.EINVALID, "%s: give the path of a SQLite database file", field)
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return rescreen.Errorf(rescreen.ENOTFOUND, "%s: %s does not exist", field, path)
	case err != nil:
		return rescreen.WrapError(rescreen.EINVALID, field, err, "cannot read "+path)
	case st.IsDir():
		return rescreen.Errorf(rescreen.EINVALID, "%s: %s is a directory, not a database file", field, path)
	}
	return nil
}

// backupConn is what a backup needs of a connection pool: the store's own
// pools and a plain *sql.DB both have it.
type backupConn interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// openReadOnly opens the SQLite file at path for reading only, with the
// extra DSN parameters, and checks that it is a SQLite database by reading
// its schema. It applies no migrations and writes nothing.
func openReadOnly(ctx context.Context, field, path, extra string) (*sql.DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)" + extra
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, field, err, "cannot open "+path)
	}
	var n int
	if err := r.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n); err != nil {
		r.Close()
		var se *sqlite.Error
		if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_NOTADB || se.Code()&0xff == sqlite3.SQLITE_CORRUPT) {
			return nil, rescreen.Errorf(rescreen.EINVALID, "%s: %s is not a rescreen database (not a SQLite file, or damaged)", field, path)
		}
		return nil, rescreen.WrapError(rescreen.EINTERNAL, field, err, "cannot read "+path)
	}
	return r, nil
}

// BackupOptions tune a backup.
type BackupOptions struct {
	// Quick checks the copy with PRAGMA quick_check instead of the full
	// integrity check, which also compares every index with its table and
	// checks the foreign keys; on a large registry the full check takes
	// minutes.
	Quick bool
}

// Backup writes a consistent copy of the SQLite database at dbPath to out,
// which must not exist, while a server goes on writing to the database. It
// opens the database read-only and applies no migrations, so a newer
// rescreen can back up the database of a server it is about to replace. See
// DB.Backup for how the copy is written and checked.
func Backup(ctx context.Context, dbPath, out string, opt BackupOptions) (SnapshotInfo, error) {
	if err := errPostgresBackup(dbPath); err != nil {
		return SnapshotInfo{}, err
	}
	if err := checkDatabaseFile("db", dbPath); err != nil {
		return SnapshotInfo{}, err
	}
	if err := checkNewFile(out, dbPath); err != nil {
		return SnapshotInfo{}, err
	}
	r, err := openReadOnly(ctx, "db", dbPath, "")
	if err != nil {
		return SnapshotInfo{}, err
	}
	defer r.Close()
	return backupFrom(ctx, r, dbPath, out, opt)
}

// Backup writes a consistent copy of the database to out, which must not
// exist, while writers go on. The copy is written under a temporary name in
// out's directory, synced, opened read-only and checked: its integrity, and
// that its audit chain's newest event is the same event in this database.
// Only then does it get its name (never replacing a file that appeared
// meanwhile), and the directory is synced. The file is readable by its owner
// only, because it holds the whole registry.
//
// A copy whose audit chain does not verify is still kept, because it is a
// faithful copy: the returned info's Chain says where the chain breaks, and
// the caller must raise the alarm.
func (db *DB) Backup(ctx context.Context, out string, opt BackupOptions) (SnapshotInfo, error) {
	if err := errPostgresBackup(db.path); err != nil {
		return SnapshotInfo{}, err
	}
	if err := checkNewFile(out, db.path); err != nil {
		return SnapshotInfo{}, err
	}
	return backupFrom(ctx, db.read, db.path, out, opt)
}

// backupFrom copies the database that src reads into out, as DB.Backup
// describes.
func backupFrom(ctx context.Context, src backupConn, dbPath, out string, opt BackupOptions) (SnapshotInfo, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return SnapshotInfo{}, rescreen.WrapError(rescreen.EINVALID, "out", err, "cannot write in "+filepath.Dir(out))
	}
	tmpName := tmp.Name()
	kept := false
	defer func() {
		if !kept {
			os.Remove(tmpName)
		}
	}()
	// VACUUM INTO writes into an empty file; the temporary file was made
	// empty and exclusively ours, with mode 0600.
	if err := tmp.Close(); err != nil {
		return SnapshotInfo{}, rescreen.WrapError(rescreen.EINTERNAL, "backup", err, "cannot write "+tmpName)
	}
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return SnapshotInfo{}, rescreen.WrapError(rescreen.EINTERNAL, "backup", err, "copying the database failed")
	}
	// SQLite does not sync the file VACUUM INTO writes.
	if err := syncFile(tmpName); err != nil {
		return SnapshotInfo{}, rescreen.WrapError(rescreen.EINTERNAL, "backup", err, "cannot sync "+tmpName)
	}
	info, err := checkSnapshot(ctx, tmpName, opt.Quick)
	if err != nil {
		return info, err
	}
	if info.Chain.HeadSeq > 0 {
		// The copy's newest event must be the same event here: a copy of
		// another database, or of a chain that was since rewritten, is not
		// a backup of this one.
		var hash string
		err := src.QueryRowContext(ctx, `SELECT hash FROM audit_events WHERE seq = ?`, info.Chain.HeadSeq).Scan(&hash)
		if err != nil || hash != info.Chain.Head {
			return info, rescreen.WrapError(rescreen.EINTERNAL, "backup", err, fmt.Sprintf("the copy's newest audit event (seq %d) is not the database's event %d; the copy was not kept", info.Chain.HeadSeq, info.Chain.HeadSeq))
		}
	}
	if err := linkNew(tmpName, out); err != nil {
		return info, err
	}
	kept = true
	os.Remove(tmpName)
	if err := syncDir(filepath.Dir(out)); err != nil {
		return info, rescreen.WrapError(rescreen.EINTERNAL, "backup", err, "cannot sync the directory of "+out)
	}
	info.Path = out
	return info, nil
}

// checkNewFile refuses an output name that exists, names the database
// itself, or lies in a directory that does not exist.
func checkNewFile(out, dbPath string) error {
	if out == "" {
		return rescreen.Errorf(rescreen.EINVALID, "out: give the name of the backup file")
	}
	if _, err := os.Lstat(out); err == nil {
		return rescreen.Errorf(rescreen.ECONFLICT, "out: %s already exists; a backup never replaces a file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return rescreen.WrapError(rescreen.EINVALID, "out", err, "cannot check "+out)
	}
	if dbPath != "" && dbPath != ":memory:" {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			if filepath.Clean(out) == filepath.Clean(dbPath+suffix) {
				return rescreen.Errorf(rescreen.EINVALID, "out: %s is a file of the database itself", out)
			}
		}
	}
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return rescreen.Errorf(rescreen.ENOTFOUND, "out: the directory %s does not exist", dir)
	case err != nil:
		return rescreen.WrapError(rescreen.EINVALID, "out", err, "cannot read the directory "+dir)
	case !st.IsDir():
		return rescreen.Errorf(rescreen.EINVALID, "out: %s is not a directory", dir)
	}
	return nil
}

// CheckSnapshot checks a backup file without changing it: it must be a
// SQLite database that passes the integrity check (quick_check when quick),
// with no write-ahead log beside it. It returns what the file holds,
// including the verification of its audit chain; a broken chain is reported
// in the info, not as an error. A damaged file is EINTERNAL with the
// problems SQLite found.
func CheckSnapshot(ctx context.Context, path string, quick bool) (SnapshotInfo, error) {
	if err := errPostgresBackup(path); err != nil {
		return SnapshotInfo{}, err
	}
	if err := checkDatabaseFile("from", path); err != nil {
		return SnapshotInfo{}, err
	}
	return checkSnapshot(ctx, path, quick)
}

func checkSnapshot(ctx context.Context, path string, quick bool) (SnapshotInfo, error) {
	info := SnapshotInfo{Path: path}
	st, err := os.Stat(path)
	if err != nil {
		return info, rescreen.WrapError(rescreen.EINVALID, "check", err, "cannot read "+path)
	}
	info.Bytes = st.Size()
	// A file opened as immutable is read as it is, without its WAL; a WAL
	// beside it means the file is a live database, or a copy of one taken
	// without its last transactions.
	if wst, err := os.Stat(path + "-wal"); err == nil && wst.Size() > 0 {
		return info, rescreen.Errorf(rescreen.EINVALID, "%s has a write-ahead log beside it (%s-wal): it is a live database or an incomplete copy of one; make a backup of it with rescreen backup", path, path)
	}
	// immutable: nothing else writes a backup file, and SQLite then takes
	// no locks and makes no -shm or -wal file beside it.
	snap, err := openReadOnly(ctx, "check", path, "&immutable=1")
	if err != nil {
		return info, err
	}
	defer snap.Close()
	if info.Integrity, err = integrity(ctx, snap, quick); err != nil {
		return info, err
	}
	if info.Integrity != "ok" {
		return info, rescreen.Errorf(rescreen.EINTERNAL, "%s is damaged: the integrity check found: %s", path, info.Integrity)
	}
	if info.Schema, info.Newer, err = schemaVersion(ctx, snap, path); err != nil {
		return info, err
	}
	if err := snap.QueryRowContext(ctx, `SELECT COUNT(*) FROM families`).Scan(&info.Families); err != nil {
		return info, rescreen.WrapError(rescreen.EINVALID, "check", err, path+" is not a rescreen database")
	}
	if info.Chain, info.HeadAt, err = verifyChain(ctx, snap); err != nil {
		return info, err
	}
	return info, nil
}

// verifyChain verifies the audit chain the connection reads, with the
// verifier rescreen audit verify uses (app.VerifyAudit), and returns the
// report and the newest event's time as stored ("" for an empty chain).
func verifyChain(ctx context.Context, c backupConn) (rescreen.ChainReport, string, error) {
	rows, err := c.QueryContext(ctx, `SELECT seq, at, actor, action, family_id, subject, before, after, prev_hash, hash FROM audit_events ORDER BY seq`)
	if err != nil {
		return rescreen.ChainReport{}, "", rescreen.WrapError(rescreen.EINVALID, "check", err, "the audit events cannot be read")
	}
	defer rows.Close()
	v := rescreen.NewChainVerifier("")
	var at string
	for rows.Next() {
		var e rescreen.AuditEvent
		var before, after []byte
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.FamilyID, &e.Subject, &before, &after, &e.PrevHash, &e.Hash); err != nil {
			return rescreen.ChainReport{}, "", rescreen.WrapError(rescreen.EINTERNAL, "check", err, "the audit events cannot be read")
		}
		e.At, e.Before, e.After = parseTime(at), before, after
		if !v.Add(&e) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return rescreen.ChainReport{}, "", rescreen.WrapError(rescreen.EINTERNAL, "check", err, "the audit events cannot be read")
	}
	rep := v.Finish()
	if !rep.OK() {
		at = ""
	}
	return rep, at, nil
}

// integrity runs SQLite's integrity check (or quick check) and, for the
// full check, the foreign key check; it returns "ok" or the first problems.
func integrity(ctx context.Context, c backupConn, quick bool) (string, error) {
	pragma := `PRAGMA integrity_check(20)`
	if quick {
		pragma = `PRAGMA quick_check(20)`
	}
	// SQLite answers some damage with an error instead of a report.
	damaged := func(err error) (string, error) {
		var se *sqlite.Error
		if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB) {
			return err.Error(), nil
		}
		return "", rescreen.WrapError(rescreen.EINTERNAL, "integrity check", err, "the integrity check could not run")
	}
	rows, err := c.QueryContext(ctx, pragma)
	if err != nil {
		return damaged(err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return damaged(err)
		}
		problems = append(problems, line)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return damaged(err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return strings.Join(problems, "; "), nil
	}
	if quick {
		return "ok", nil
	}
	rows, err = c.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return damaged(err)
	}
	defer rows.Close()
	n := 0
	problems = problems[:0]
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return damaged(err)
		}
		if n < 20 {
			problems = append(problems, fmt.Sprintf("row %d of %s refers to a missing row of %s", rowid.Int64, table, parent))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return damaged(err)
	}
	if n > 0 {
		return fmt.Sprintf("%d rows refer to missing rows: %s", n, strings.Join(problems, "; ")), nil
	}
	return "ok", nil
}

// schemaVersion returns the newest migration applied to the database and
// those this program does not know.
func schemaVersion(ctx context.Context, c backupConn, path string) (string, []string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/sqlite/*.sql")
	if err != nil {
		return "", nil, err
	}
	known := map[string]bool{}
	for _, n := range names {
		known[filepath.Base(n)] = true
	}
	rows, err := c.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return "", nil, rescreen.WrapError(rescreen.EINVALID, "check", err, path+" is not a rescreen database (it has no migrations)")
	}
	defer rows.Close()
	var applied, newer []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", nil, rescreen.WrapError(rescreen.EINTERNAL, "check", err, "")
		}
		applied = append(applied, n)
		if !known[n] {
			newer = append(newer, n)
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, rescreen.WrapError(rescreen.EINTERNAL, "check", err, "")
	}
	if len(applied) == 0 {
		return "", nil, rescreen.Errorf(rescreen.EINVALID, "%s is not a rescreen database (it has no migrations)", path)
	}
	sort.Strings(applied)
	sort.Strings(newer)
	return applied[len(applied)-1], newer, nil
}

// RestoreOptions tune a restore.
type RestoreOptions struct {
	// Force replaces a target that holds a database. The database it
	// replaces is kept beside it, renamed, never deleted.
	Force bool
	// Now names the kept database; time.Now if nil.
	Now func() time.Time
}

// RestoreInfo says what a restore did.
type RestoreInfo struct {
	SnapshotInfo
	// Replaced is the name the replaced database was given, or "".
	Replaced string
}

// Restore puts the backup from in place as the database at to, which no
// process may have open. It checks the backup first (integrity, foreign
// keys, audit chain, a schema this program knows) and refuses one that
// fails. A target that holds a database is replaced only with Force: it is
// first brought to one file (its write-ahead log folded in, which also
// proves no other process has it open) and renamed to to.replaced-TIME.
// The copy is written under a temporary name, synced, compared with the
// backup byte for byte by its SHA-256, and then given its name. A restore
// never leaves the old database's write-ahead log beside the restored file,
// where SQLite would apply it to the wrong database.
func Restore(ctx context.Context, from, to string, opt RestoreOptions) (RestoreInfo, error) {
	var ri RestoreInfo
	if err := errPostgresBackup(to); err != nil {
		return ri, err
	}
	if to == "" || to == ":memory:" {
		return ri, rescreen.Errorf(rescreen.EINVALID, "db: give the path of the database file to restore to")
	}
	if err := checkDatabaseFile("from", from); err != nil {
		return ri, err
	}
	if st, err := os.Stat(to); err == nil {
		if fst, err2 := os.Stat(from); err2 == nil && os.SameFile(st, fst) {
			return ri, rescreen.Errorf(rescreen.EINVALID, "from: %s is the database itself", from)
		}
		if st.IsDir() {
			return ri, rescreen.Errorf(rescreen.EINVALID, "db: %s is a directory, not a database file", to)
		}
	}
	info, err := CheckSnapshot(ctx, from, false)
	ri.SnapshotInfo = info
	if err != nil {
		return ri, err
	}
	if !info.Chain.OK() {
		return ri, rescreen.Errorf(rescreen.EINVALID, "from: the audit chain of %s is broken at event %d (%s); it is not restored", from, info.Chain.Problem.Seq, info.Chain.Problem.Reason)
	}
	if len(info.Newer) > 0 {
		return ri, rescreen.Errorf(rescreen.EINVALID, "from: %s was written by a newer rescreen (it has migration %s, which this program does not know); restore it with that version", from, info.Newer[0])
	}
	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return ri, rescreen.WrapError(rescreen.EINVALID, "db", err, "cannot create the directory "+dir)
	}
	occupied, err := holdsDatabase(to)
	if err != nil {
		return ri, err
	}
	if occupied && !opt.Force {
		return ri, rescreen.Errorf(rescreen.ECONFLICT, "db: %s holds a database; stop the server and pass --force to replace it (it is kept as %s.replaced-TIME)", to, filepath.Base(to))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(to)+".restore-*")
	if err != nil {
		return ri, rescreen.WrapError(rescreen.EINVALID, "db", err, "cannot write in "+dir)
	}
	tmpName := tmp.Name()
	kept := false
	defer func() {
		if !kept {
			os.Remove(tmpName)
		}
	}()
	if err := copySynced(tmp, from); err != nil {
		return ri, err
	}
	if occupied {
		if err := quiesce(ctx, to); err != nil {
			return ri, err
		}
		if st, err := os.Stat(to); err == nil {
			matchOwner(tmpName, st)
		}
		now := time.Now
		if opt.Now != nil {
			now = opt.Now
		}
		ri.Replaced = to + ".replaced-" + now().UTC().Format("20060102T150405Z")
		if _, err := os.Lstat(ri.Replaced); err == nil {
			return ri, rescreen.Errorf(rescreen.ECONFLICT, "db: %s already exists; try again in a second", ri.Replaced)
		}
		// The main file last: until it moves, the target is whole.
		for _, suffix := range []string{"-journal", "-wal", "-shm", ""} {
			if err := os.Rename(to+suffix, ri.Replaced+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return ri, rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot move "+to+suffix+" aside")
			}
		}
	} else {
		// An empty file, or the empty side files of one, are not a database.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(to + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return ri, rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot remove the empty "+to+suffix)
			}
		}
	}
	if err := linkNew(tmpName, to); err != nil {
		return ri, err
	}
	kept = true
	os.Remove(tmpName)
	if err := syncDir(dir); err != nil {
		return ri, rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot sync the directory "+dir)
	}
	ri.Path = to
	return ri, nil
}

// holdsDatabase reports whether anything of a database is at path: a
// non-empty file, a hot journal or a write-ahead log.
func holdsDatabase(path string) (bool, error) {
	for _, suffix := range []string{"", "-wal", "-journal"} {
		st, err := os.Lstat(path + suffix)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return false, rescreen.WrapError(rescreen.EINVALID, "db", err, "cannot check "+path+suffix)
		case st.Size() > 0 || !st.Mode().IsRegular():
			return true, nil
		}
	}
	return false, nil
}

// quiesce brings the database at path to one file, folding its write-ahead
// log into it, which SQLite does only when no other connection has the
// database open: a running server makes it fail, and the restore stops. A
// file that is not a database is left as it is, to be moved aside whole.
func quiesce(ctx context.Context, path string) error {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(2000)"
	c, err := sql.Open("sqlite", dsn)
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot open "+path)
	}
	defer c.Close()
	var mode string
	err = c.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode)
	var se *sqlite.Error
	switch {
	case errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED):
		return rescreen.Errorf(rescreen.ECONFLICT, "db: %s is in use by another process (a running server?); stop it before restoring", path)
	case errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB:
		return nil
	case err != nil:
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot prepare "+path+" to be replaced")
	case mode != "delete":
		return rescreen.Errorf(rescreen.ECONFLICT, "db: %s is in use by another process (a running server?); stop it before restoring", path)
	}
	return nil
}

// copySynced copies the file from into f, syncs and closes f, and reads f
// back to compare its SHA-256 with the one of what was read.
func copySynced(f *os.File, from string) error {
	src, err := os.Open(from)
	if err != nil {
		f.Close()
		return rescreen.WrapError(rescreen.EINVALID, "from", err, "cannot read "+from)
	}
	defer src.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), src); err != nil {
		f.Close()
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "copying "+from+" failed")
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot sync "+f.Name())
	}
	if err := f.Close(); err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot write "+f.Name())
	}
	back, err := os.Open(f.Name())
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot read back "+f.Name())
	}
	defer back.Close()
	h2 := sha256.New()
	if _, err := io.Copy(h2, back); err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "restore", err, "cannot read back "+f.Name())
	}
	if string(h.Sum(nil)) != string(h2.Sum(nil)) {
		return rescreen.Errorf(rescreen.EINTERNAL, "restore: the copy of %s differs from it when read back; the disk may be failing", from)
	}
	return nil
}

// matchOwner gives the file the mode and, where the process may, the owner
// of the database it replaces, so that the server's user can open it.
func matchOwner(name string, old os.FileInfo) {
	os.Chmod(name, old.Mode().Perm())
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		os.Chown(name, int(st.Uid), int(st.Gid))
	}
}

// linkNew gives the file tmp the name final, which must not exist: a hard
// link fails rather than replace a file that appeared since it was checked.
// On a file system without hard links it renames, after checking again.
func linkNew(tmp, final string) error {
	err := os.Link(tmp, final)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return rescreen.Errorf(rescreen.ECONFLICT, "%s appeared meanwhile; it was left as it is", final)
	}
	if _, err := os.Lstat(final); err == nil {
		return rescreen.Errorf(rescreen.ECONFLICT, "%s appeared meanwhile; it was left as it is", final)
	}
	if err := os.Rename(tmp, final); err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "rename", err, "cannot name the file "+final)
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
