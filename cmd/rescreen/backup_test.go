package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/sqlstore"
)

// backupClass imports a synthetic class of n families, without linking,
// into the database at path, and returns the path's environment for the
// command line.
func backupClass(t *testing.T, dir string, n int) (map[string]string, string) {
	t.Helper()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class")
	if _, stderr, err := runCmd(t, env, "synth", "--families", strconv.Itoa(n), "--format", "csv", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", "--link=false", class); err != nil {
		t.Fatal(err, stderr)
	}
	return env, filepath.Join(dir, "data", "rescreen.db")
}

// backupNow is the clock of the services that read families in the round
// trip, so that what a page computes as of today is the same on both sides.
func backupNow() time.Time { return time.Date(2019, 3, 1, 12, 0, 0, 0, time.UTC) }

func dossierJSON(t *testing.T, d *rescreen.Dossier) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writtenChange is one change a writer committed: the actor that names
// its audit events, the family, and the family as it read right after.
type writtenChange struct {
	actor   string
	family  rescreen.FamilyID
	dossier string
	created bool
}

// TestBackupWhileWriting takes backups with rescreen backup while writers
// change the registry through the service, restores each with rescreen
// restore, and checks that the copy holds the source exactly as of the
// copy's audit head: every audit event up to it, equal; every family as it
// was when that event was written; no change after it, not even a part of
// one (each change writes two records, in one transaction).
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	_, src := backupClass(t, dir, 60)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := app.New(db)
	s.Now = backupNow
	if _, err := s.DeriveDirty(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	importHead, _, err := s.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 500})
	if err != nil || len(page.Items) != 60 {
		t.Fatalf("list families: %d %v", len(page.Items), err)
	}
	initial := map[rescreen.FamilyID]string{}
	var owned [3][]rescreen.FamilyID
	for i, f := range page.Items {
		d, err := s.GetFamily(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		initial[f.ID] = dossierJSON(t, d)
		if len(d.Records.Persons) >= 2 && i%2 == 0 {
			owned[i%3] = append(owned[i%3], f.ID)
		}
	}

	// Three writers, each the only one to change its families: two
	// persons' notes in one change, and every fourth change a new family.
	// Each writer appends to its own log; the logs are read once the
	// writers have stopped.
	var (
		logs [3][]writtenChange
		done atomic.Int64
		stop = make(chan struct{})
		wg   sync.WaitGroup
		errs = make(chan error, 3)
	)
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				actor := fmt.Sprintf("test:w%d-%d", g, i)
				wctx := rescreen.WithActor(ctx, actor)
				var ch writtenChange
				if i%4 == 3 {
					d, err := s.CreateFamily(wctx, backupDataset(fmt.Sprintf("BK-%d-%d", g, i)))
					if err != nil {
						errs <- fmt.Errorf("%s: %w", actor, err)
						return
					}
					ch = writtenChange{actor: actor, family: d.FamilyID, created: true}
				} else {
					fam := owned[g][i%len(owned[g])]
					d, err := s.GetFamily(wctx, fam)
					if err != nil {
						errs <- err
						return
					}
					var changes []rescreen.Change
					for j := range 2 {
						p := d.Records.Persons[j]
						p.Notes = fmt.Sprintf("%s person %d", actor, j)
						changes = append(changes, rescreen.Change{Kind: rescreen.KindPersons, Record: &p})
					}
					if _, err := s.ApplyChanges(wctx, fam, 0, changes); err != nil {
						errs <- fmt.Errorf("%s: %w", actor, err)
						return
					}
					ch = writtenChange{actor: actor, family: fam}
				}
				// Only this writer changes the family, so this is the
				// family as the change left it.
				d, err := s.GetFamily(ctx, ch.family)
				if err != nil {
					errs <- err
					return
				}
				b, err := json.Marshal(d)
				if err != nil {
					errs <- err
					return
				}
				ch.dossier = string(b)
				logs[g] = append(logs[g], ch)
				done.Add(1)
			}
		}()
	}
	waitFor := func(n int64) {
		for done.Load() < n {
			select {
			case err := <-errs:
				close(stop)
				wg.Wait()
				t.Fatal(err)
			case <-time.After(time.Millisecond):
			}
		}
	}

	waitFor(20)
	var backups []string
	for k := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", k))
		stdout, stderr, err := runCmd(t, nil, "backup", "--db", src, "--out", out)
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("backup %d: %v\n%s%s", k, err, stdout, stderr)
		}
		if !strings.HasPrefix(stdout, "backup written: "+out) || !strings.Contains(stdout, "integrity check and foreign key check: ok\naudit chain OK: ") {
			t.Errorf("backup %d printed:\n%s", k, stdout)
		}
		backups = append(backups, out)
		waitFor(done.Load() + 10)
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}

	// The source's events, and which of them each change wrote.
	var events []rescreen.AuditEvent
	seqsOf := map[string][]int64{}
	if err := db.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
		events = append(events, *e)
		seqsOf[e.Actor] = append(seqsOf[e.Actor], e.Seq)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.VerifyAudit(ctx, ""); err != nil || !rep.OK() {
		t.Fatalf("the source's chain: %+v %v", rep, err)
	}

	for k, b := range backups {
		t.Run(fmt.Sprintf("backup-%d", k), func(t *testing.T) {
			info, err := sqlstore.CheckSnapshot(ctx, b, false)
			if err != nil || info.Integrity != "ok" || !info.Chain.OK() {
				t.Fatalf("check: %+v %v", info, err)
			}
			head := info.Chain.HeadSeq
			if head <= importHead || head >= int64(len(events)) {
				t.Fatalf("the backup's head %d is not between the import's %d and the end %d: no write was both in and after it", head, importHead, len(events))
			}
			if info.Chain.Head != events[head-1].Hash || info.Chain.Events != head {
				t.Fatalf("the backup's head %d %s is not the source's event %s", head, info.Chain.Head, events[head-1].Hash)
			}
			restored := filepath.Join(t.TempDir(), "restored.db")
			stdout, stderr, err := runCmd(t, nil, "restore", "--from", b, "--db", restored)
			if err != nil || !strings.Contains(stdout, fmt.Sprintf("(seq %d, ", head)) {
				t.Fatalf("restore: %v\n%s%s", err, stdout, stderr)
			}
			rdb, err := sqlstore.Open(ctx, restored)
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
			rs := app.New(rdb)
			rs.Now = backupNow

			// Every event up to the head, equal; none after it.
			i := 0
			if err := rdb.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
				if i >= len(events) || !sameEvent(e, &events[i]) {
					return fmt.Errorf("event %d differs from the source's", e.Seq)
				}
				i++
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if int64(i) != head {
				t.Fatalf("the restored store has %d events, its head is %d", i, head)
			}

			// Each family as the last change within the head left it.
			want := map[rescreen.FamilyID]string{}
			for id, d := range initial {
				want[id] = d
			}
			for g := range 3 {
				for _, ch := range logs[g] {
					seqs := seqsOf[ch.actor]
					if len(seqs) == 0 {
						t.Fatalf("change %s wrote no audit event", ch.actor)
					}
					in := 0
					for _, q := range seqs {
						if q <= head {
							in++
						}
					}
					switch {
					case in == len(seqs):
						want[ch.family] = ch.dossier
					case in > 0:
						t.Errorf("change %s is cut by the head %d: events %v", ch.actor, head, seqs)
					}
				}
			}
			for g := range 3 {
				for _, ch := range logs[g] {
					if _, ok := want[ch.family]; !ok && ch.created {
						if _, err := rs.GetFamily(ctx, ch.family); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
							t.Errorf("family %s, created after the head, is in the backup: %v", ch.family, err)
						}
					}
				}
			}
			if info.Families != int64(len(want)) {
				t.Errorf("the backup holds %d families, want %d", info.Families, len(want))
			}
			for id, w := range want {
				d, err := rs.GetFamily(ctx, id)
				if err != nil {
					t.Errorf("family %s: %v", id, err)
					continue
				}
				if got := dossierJSON(t, d); got != w {
					t.Errorf("family %s differs from the source's as of the head:\n got %s\nwant %s", id, got, w)
				}
			}
			if rep, err := rs.VerifyAudit(ctx, info.Chain.Head); err != nil || !rep.OK() {
				t.Errorf("the restored chain: %+v %v", rep, err)
			}
		})
	}
}

func sameEvent(a, b *rescreen.AuditEvent) bool {
	return a.Seq == b.Seq && a.At.Equal(b.At) && a.Actor == b.Actor && a.Action == b.Action && a.FamilyID == b.FamilyID &&
		a.Subject == b.Subject && bytes.Equal(a.Before, b.Before) && bytes.Equal(a.After, b.After) && a.PrevHash == b.PrevHash && a.Hash == b.Hash
}

// backupDataset is one small family with two persons.
func backupDataset(sid string) *rescreen.Dataset {
	src := rescreen.SourceNGO
	fam := rescreen.NewRef(src, sid)
	d := &rescreen.Dataset{}
	d.Families = []rescreen.Family{{Meta: rescreen.Meta{Source: src, SourceID: sid}}}
	d.Persons = []rescreen.Person{
		{Meta: rescreen.Meta{Source: src, SourceID: sid + "-P1"}, Family: fam, Role: rescreen.RoleParent, GivenNames: "Rosa", FirstSurname: "López",
			BirthDate: rescreen.MustDate("1990-03-04"), Country: "GT"},
		{Meta: rescreen.Meta{Source: src, SourceID: sid + "-P2"}, Family: fam, Role: rescreen.RoleChild, GivenNames: "Ana", FirstSurname: "López",
			BirthDate: rescreen.MustDate("2012-01-15"), Country: "GT"},
	}
	return d
}

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestBackupRefuses: bad input gets a clear error, naming what is wrong,
// and changes nothing.
func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	env, src := backupClass(t, dir, 20)
	srcBytes, _ := os.ReadFile(src)
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o755)
	existing := filepath.Join(outDir, "existing.db")
	os.WriteFile(existing, []byte("an older backup"), 0o600)
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database at all, but long enough to have a header of a hundred bytes or so; still text, though."), 0o600)

	// An unwritable directory: the process's own user is refused by the
	// directory's mode, and root (who ignores modes) by a read-only /sys.
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o500)
	if os.Geteuid() == 0 {
		locked = "/sys"
	}

	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"existing output file", []string{"--db", src, "--out", existing}, 2, "out: " + existing + " already exists"},
		{"output is the database", []string{"--db", src, "--out", src}, 2, "already exists"},
		{"missing database", []string{"--db", filepath.Join(dir, "missing.db"), "--out", filepath.Join(outDir, "b.db")}, 2, "db: " + filepath.Join(dir, "missing.db") + " does not exist"},
		{"missing data directory", []string{"--data-dir", filepath.Join(dir, "nodata"), "--out", filepath.Join(outDir, "b.db")}, 2, "does not exist"},
		{"database is a directory", []string{"--db", outDir, "--out", filepath.Join(outDir, "b.db")}, 2, "is a directory"},
		{"not a database", []string{"--db", notDB, "--out", filepath.Join(outDir, "b.db")}, 2, "is not a rescreen database"},
		{"missing output directory", []string{"--db", src, "--out", filepath.Join(dir, "nope", "b.db")}, 2, "out: the directory " + filepath.Join(dir, "nope") + " does not exist"},
		{"unwritable directory", []string{"--db", src, "--out", filepath.Join(locked, "b.db")}, 2, "out: cannot write in " + locked},
		{"PostgreSQL", []string{"--db", "postgres://rescreen@localhost:5432/rescreen", "--out", filepath.Join(outDir, "b.db")}, 2, "pg_dump"},
		{"no output", []string{"--db", src}, 2, "--out is required"},
		{"stray argument", []string{"--db", src, "--out", filepath.Join(outDir, "b.db"), "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := listDir(t, outDir)
			stdout, stderr, err := runCmd(t, env, append([]string{"backup"}, tt.args...)...)
			if exitCode(err) != tt.code || err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("exit %d, %v; want exit %d and %q\n%s%s", exitCode(err), err, tt.code, tt.msg, stdout, stderr)
			}
			if after := listDir(t, outDir); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Errorf("the output directory changed: %v, was %v", after, before)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "an older backup" {
		t.Error("the existing file was changed")
	}
	if b, _ := os.ReadFile(src); !bytes.Equal(b, srcBytes) {
		t.Error("the database was changed")
	}
	for _, n := range []string{filepath.Join(dir, "missing.db"), filepath.Join(dir, "nodata")} {
		if _, err := os.Stat(n); err == nil {
			t.Errorf("%s was created", n)
		}
	}
	if os.Geteuid() != 0 {
		if names := listDir(t, locked); len(names) != 0 {
			t.Errorf("the unwritable directory holds %v", names)
		}
	}
}

// TestBackupBrokenChain: a database whose audit chain was edited is backed
// up (the copy is faithful) with exit status 3; the backup is not restored.
func TestBackupBrokenChain(t *testing.T) {
	dir := t.TempDir()
	_, src := backupClass(t, dir, 10)
	// Someone with the file drops the guard and edits history.
	tamper(t, src, `DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'someone else' WHERE seq = 4`)
	out := filepath.Join(dir, "b.db")
	stdout, _, err := runCmd(t, nil, "backup", "--db", src, "--out", out)
	if exitCode(err) != 3 || !strings.Contains(stdout, "audit chain BROKEN at event 4") {
		t.Fatalf("backup of a broken chain: exit %d %v\n%s", exitCode(err), err, stdout)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("the backup was not kept: %v", err)
	}
	target := filepath.Join(dir, "restored", "rescreen.db")
	_, _, err = runCmd(t, nil, "restore", "--from", out, "--db", target)
	if exitCode(err) != 3 || !strings.Contains(err.Error(), "audit chain of "+out+" is broken at event 4") {
		t.Fatalf("restore of a broken chain: exit %d %v", exitCode(err), err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("a backup with a broken chain was restored")
	}
}

// tamper opens the SQLite file directly, past the store, and runs stmt.
func tamper(t *testing.T, path, stmt string) {
	t.Helper()
	c, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

// TestRestore: a restore checks the backup first, refuses to replace a
// database without --force or while it is open, keeps what it replaces,
// and never leaves the old database's write-ahead log beside the new one.
func TestRestore(t *testing.T) {
	dir := t.TempDir()
	_, src := backupClass(t, dir, 15)
	backup := filepath.Join(dir, "b.db")
	if _, stderr, err := runCmd(t, nil, "backup", "--db", src, "--out", backup); err != nil {
		t.Fatal(err, stderr)
	}
	ctx := context.Background()
	info, err := sqlstore.CheckSnapshot(ctx, backup, false)
	if err != nil {
		t.Fatal(err)
	}

	// A target whose last transactions are still in its write-ahead log,
	// as a crash leaves it: the files copied while the database is open.
	target := filepath.Join(dir, "srv", "rescreen.db")
	os.Mkdir(filepath.Dir(target), 0o750)
	live, err := sqlstore.Open(ctx, filepath.Join(dir, "live", "rescreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	ls := app.New(live)
	if _, err := ls.CreateFamily(rescreen.WithActor(ctx, "test"), backupDataset("OLD-1")); err != nil {
		t.Fatal(err)
	}
	oldSeq, oldHash, _ := ls.AuditHead(ctx)
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, "live", "rescreen.db") + suffix)
		if err != nil || (suffix == "-wal" && len(b) == 0) {
			t.Fatalf("copy %s: %d bytes, %v", suffix, len(b), err)
		}
		os.WriteFile(target+suffix, b, 0o640)
	}
	live.Close()
	targetBytes, _ := os.ReadFile(target)

	fixed := func() []string { return listDir(t, filepath.Dir(target)) }
	before := fixed()

	t.Run("a database there, no --force", func(t *testing.T) {
		_, _, err := runCmd(t, nil, "restore", "--from", backup, "--db", target)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "holds a database; stop the server and pass --force") {
			t.Fatalf("exit %d %v", exitCode(err), err)
		}
	})
	t.Run("the database is open", func(t *testing.T) {
		other := filepath.Join(dir, "srv2", "rescreen.db")
		open, err := sqlstore.Open(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		defer open.Close()
		before := listDir(t, filepath.Dir(other))
		_, _, err = runCmd(t, nil, "restore", "--from", backup, "--db", other, "--force")
		if exitCode(err) != 2 || !strings.Contains(err.Error(), "is in use by another process") {
			t.Fatalf("exit %d %v", exitCode(err), err)
		}
		if after := listDir(t, filepath.Dir(other)); strings.Join(after, ",") != strings.Join(before, ",") {
			t.Fatalf("a refused restore changed the directory: %v, was %v", after, before)
		}
	})

	bad := func(name, stmt string) string {
		p := filepath.Join(dir, name)
		b, _ := os.ReadFile(backup)
		os.WriteFile(p, b, 0o600)
		if stmt != "" {
			tamper(t, p, stmt)
		}
		return p
	}
	damaged := bad("damaged.db", "")
	{
		b, _ := os.ReadFile(damaged)
		// Pages in the middle of the file: records, not the schema.
		for i := len(b) / 2; i < len(b)/2+4*4096 && i < len(b); i++ {
			b[i] = 0x5a
		}
		os.WriteFile(damaged, b, 0o600)
	}
	refusals := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing backup", []string{"--from", filepath.Join(dir, "none.db"), "--db", target, "--force"}, 2, "from: " + filepath.Join(dir, "none.db") + " does not exist"},
		{"a backup of a newer rescreen", []string{"--from", bad("newer.db", `INSERT INTO schema_migrations VALUES ('9999_future.sql', '2030-01-01T00:00:00Z')`), "--db", target, "--force"}, 2, "written by a newer rescreen (it has migration 9999_future.sql"},
		{"a damaged backup", []string{"--from", damaged, "--db", target, "--force"}, 1, "damaged"},
		{"the database onto itself", []string{"--from", target, "--db", target, "--force"}, 2, "is the database itself"},
		{"PostgreSQL", []string{"--from", backup, "--db", "postgresql://localhost/rescreen"}, 2, "pg_restore"},
		{"no backup named", []string{"--db", target}, 2, "--from is required"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, nil, append([]string{"restore"}, tt.args...)...)
			if exitCode(err) != tt.code || err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("exit %d %v; want exit %d and %q", exitCode(err), err, tt.code, tt.msg)
			}
		})
	}
	if after := fixed(); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("a refused restore changed the directory: %v, was %v", after, before)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, targetBytes) {
		t.Fatal("a refused restore changed the database")
	}

	stdout, stderr, err := runCmd(t, nil, "restore", "--from", backup, "--db", target, "--force")
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, stderr)
	}
	m := regexp.MustCompile(`kept as (\S+)\n`).FindStringSubmatch(stdout)
	if m == nil || !strings.HasPrefix(m[1], target+".replaced-") {
		t.Fatalf("restore printed:\n%s", stdout)
	}
	if _, err := os.Stat(target + "-wal"); err == nil {
		t.Fatal("a write-ahead log was left beside the restored database")
	}
	got, err := sqlstore.CheckSnapshot(ctx, target, false)
	if err != nil || got.Chain != info.Chain || got.Families != info.Families {
		t.Fatalf("restored: %+v %v, want %+v", got, err, info)
	}
	if rb, _ := os.ReadFile(target); !bytes.Equal(rb, mustRead(t, backup)) {
		t.Fatal("the restored file is not the backup")
	}
	// The replaced database lost nothing, not even what was only in its log.
	old, err := sqlstore.CheckSnapshot(ctx, m[1], false)
	if err != nil || old.Chain.HeadSeq != oldSeq || old.Chain.Head != oldHash || old.Families != 1 {
		t.Fatalf("the replaced database: %+v %v, want head %d %s", old, err, oldSeq, oldHash)
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
		t.Errorf("the restored file's mode is %v, want the replaced one's 0640", st.Mode().Perm())
	}
	// The server opens it, and the chain verifies.
	out, _, err := runCmd(t, nil, "audit", "verify", "--db", target, "--head", info.Chain.Head)
	if err != nil || !strings.HasPrefix(out, "audit chain OK") {
		t.Fatalf("audit verify of the restored database: %v %s", err, out)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
