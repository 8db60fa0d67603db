package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"rescreen"
	"rescreen/sqlstore"
)

const backupUsage = `usage: rescreen backup --out FILE [--db PATH | --data-dir DIR] [--quick] [--json]

Writes a consistent copy of the SQLite database to FILE while the server goes
on serving and writing: the copy holds the database as of one commit. FILE
must not exist; the copy is written under a temporary name beside it, synced,
and checked before it gets its name, so a crash never leaves a half backup
under FILE. The check opens the copy read-only, runs SQLite's integrity check
(and the foreign key check; --quick runs the quicker quick_check only) and
verifies its audit chain. The command prints the audit head the backup holds:
compare it with rescreen audit head, or keep it to verify a restore against.
The database is opened read-only and no migration is applied, so a newer
rescreen can back up the database of the server it is about to replace.

A PostgreSQL database is backed up with pg_dump: see docs/deploy.md.

Exit status: 0 the backup is written and verified; 2 a usage error (an
existing FILE, a missing database, a PostgreSQL URL); 3 the backup is written
but its audit chain is broken (as rescreen audit verify); 1 anything else,
and then no file named FILE was written.

flags:`

// cmdBackup writes an online backup of the SQLite database.
func cmdBackup(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "backup", "backup --out FILE [flags]")
	out := fs.String("out", "", "the backup file to write; it must not exist (required)")
	quick := fs.Bool("quick", false, "check the copy with quick_check instead of the full integrity and foreign key check (for a very large registry)")
	asJSON := fs.Bool("json", false, "print what the backup holds as JSON")
	fs.Usage = func() { fmt.Fprintln(e.stderr, backupUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	switch {
	case fs.NArg() > 0:
		return &exitError{2, fmt.Errorf("backup: unexpected argument %q", fs.Arg(0))}
	case *out == "":
		fs.Usage()
		return &exitError{2, errors.New("backup: --out is required")}
	case sqlstore.IsPostgres(cfg.database()):
		return &exitError{2, errors.New("backup: --db is a PostgreSQL URL: PostgreSQL is backed up with pg_dump (pg_dump -Fc) and restored with pg_restore, then checked with rescreen audit verify; see docs/deploy.md, section Backups")}
	}
	start := time.Now()
	info, err := sqlstore.Backup(ctx, cfg.database(), *out, sqlstore.BackupOptions{Quick: *quick})
	if err != nil {
		return backupError("backup", err)
	}
	if *asJSON {
		if err := writeSnapshotJSON(e, info, ""); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stdout, "backup written: %s (%d bytes, %d families, schema %s) in %s\n", info.Path, info.Bytes, info.Families, info.Schema, time.Since(start).Round(time.Millisecond))
		writeSnapshotChecks(e, info, *quick)
	}
	if !info.Chain.OK() {
		return &exitError{3, fmt.Errorf("backup: the audit chain of the database is broken at event %d (%s); the backup is kept as a faithful copy: run rescreen audit verify", info.Chain.Problem.Seq, info.Chain.Problem.Reason)}
	}
	return nil
}

const restoreUsage = `usage: rescreen restore --from FILE [--db PATH | --data-dir DIR] [--force] [--json]

Puts a backup made by rescreen backup in place as the SQLite database, while
the server is stopped. Before anything is written, the backup is checked: the
integrity check and the foreign key check, its audit chain, and a schema this
program knows (a backup of an older rescreen is fine: the server applies the
newer migrations when it starts). A database at the target is replaced only
with --force, and only if no process has it open; it is kept beside the
restored file as PATH.replaced-TIME, never deleted. Its write-ahead log is
folded into it first, so no stale log is left beside the restored database.
The copy is written under a temporary name, synced and compared with the
backup before it gets its name.

Run it as the user the server runs as, so that the restored file is the
server's: a replaced database's owner and mode are kept.

A PostgreSQL database is restored with pg_restore: see docs/deploy.md.

Exit status: 0 restored; 2 a usage error or a refusal that changed nothing
(a database at the target without --force, a server using it, a backup of a
newer rescreen, a PostgreSQL URL); 3 the backup's audit chain is broken and
nothing was restored; 1 anything else.

flags:`

// cmdRestore puts a backup in place of the SQLite database.
func cmdRestore(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "restore", "restore --from FILE [flags]")
	from := fs.String("from", "", "the backup file to restore (required)")
	force := fs.Bool("force", false, "replace a database at the target (it is kept as PATH.replaced-TIME)")
	asJSON := fs.Bool("json", false, "print what was restored as JSON")
	fs.Usage = func() { fmt.Fprintln(e.stderr, restoreUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	switch {
	case fs.NArg() > 0:
		return &exitError{2, fmt.Errorf("restore: unexpected argument %q", fs.Arg(0))}
	case *from == "":
		fs.Usage()
		return &exitError{2, errors.New("restore: --from is required")}
	case sqlstore.IsPostgres(cfg.database()):
		return &exitError{2, errors.New("restore: --db is a PostgreSQL URL: PostgreSQL is restored with pg_restore from a pg_dump -Fc file, then checked with rescreen audit verify; see docs/deploy.md, section Backups")}
	}
	ri, err := sqlstore.Restore(ctx, *from, cfg.database(), sqlstore.RestoreOptions{Force: *force})
	if err != nil {
		if ri.Integrity == "ok" && !ri.Chain.OK() {
			return &exitError{3, fmt.Errorf("restore: %w", err)}
		}
		return backupError("restore", err)
	}
	if *asJSON {
		return writeSnapshotJSON(e, ri.SnapshotInfo, ri.Replaced)
	}
	fmt.Fprintf(e.stdout, "restored %s to %s (%d bytes, %d families, schema %s)\n", *from, ri.Path, ri.Bytes, ri.Families, ri.Schema)
	writeSnapshotChecks(e, ri.SnapshotInfo, false)
	if ri.Replaced != "" {
		fmt.Fprintf(e.stdout, "the database it replaced is kept as %s\n", ri.Replaced)
	}
	fmt.Fprintln(e.stdout, "start the server; it applies the migrations of this version that the backup lacks")
	return nil
}

// backupError gives the store's refusals (bad input, a conflict, a missing
// file) the usage exit status, and everything else status 1.
func backupError(op string, err error) error {
	switch rescreen.ErrorCode(err) {
	case rescreen.EINVALID, rescreen.ENOTFOUND, rescreen.ECONFLICT:
		return &exitError{2, fmt.Errorf("%s: %w", op, err)}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// writeSnapshotChecks prints the integrity result and the audit chain's
// verification in the words of rescreen audit verify.
func writeSnapshotChecks(e env, info sqlstore.SnapshotInfo, quick bool) {
	check := "integrity check and foreign key check"
	if quick {
		check = "quick check"
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", check, info.Integrity)
	if info.Chain.OK() {
		at := info.HeadAt
		if at == "" {
			at = "no events"
		}
		fmt.Fprintf(e.stdout, "audit chain OK: %d events, head %s (seq %d, %s)\n", info.Chain.Events, info.Chain.Head, info.Chain.HeadSeq, at)
	} else {
		fmt.Fprintf(e.stdout, "audit chain BROKEN at event %d: %s\n%d events verified before it\n", info.Chain.Problem.Seq, info.Chain.Problem.Reason, info.Chain.Events)
	}
	if len(info.Newer) > 0 {
		fmt.Fprintf(e.stdout, "schema: written by a newer rescreen (%s)\n", strings.Join(info.Newer, ", "))
	}
}

// snapshotJSON is the --json form of a backup or a restore.
type snapshotJSON struct {
	Path      string               `json:"path"`
	Bytes     int64                `json:"bytes"`
	Families  int64                `json:"families"`
	Schema    string               `json:"schema"`
	Newer     []string             `json:"newer_migrations,omitempty"`
	Integrity string               `json:"integrity"`
	Chain     rescreen.ChainReport `json:"audit_chain"`
	HeadAt    string               `json:"head_at,omitempty"`
	Replaced  string               `json:"replaced,omitempty"`
}

func writeSnapshotJSON(e env, info sqlstore.SnapshotInfo, replaced string) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(snapshotJSON{Path: info.Path, Bytes: info.Bytes, Families: info.Families, Schema: info.Schema, Newer: info.Newer,
		Integrity: info.Integrity, Chain: info.Chain, HeadAt: info.HeadAt, Replaced: replaced})
}
