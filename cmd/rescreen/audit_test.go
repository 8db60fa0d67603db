package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/sqlstore"
)

// TestAuditLog imports a small class, changes one family through the
// service and reads the family's events back with rescreen audit log.
func TestAuditLog(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "3", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", class); err != nil {
		t.Fatal(err, stderr)
	}
	fam := changeOneFamily(t, filepath.Join(dir, "data", "rescreen.db"))

	out, stderr, err := runCmd(t, env, "audit", "log", "--family", string(fam))
	if err != nil {
		t.Fatal(err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the import and the change, newest first:\n%s", out)
	}
	change := strings.Fields(lines[0])
	if len(change) != 6 || change[2] != "test:clerk" || change[3] != "family.change" || len(change[5]) != 12 {
		t.Fatalf("the change's line: %q", lines[0])
	}
	if f := strings.Fields(lines[1]); f[3] != "import" {
		t.Fatalf("the import's line: %q", lines[1])
	}

	// --json: the full events, the records the change replaced among them.
	out, _, err = runCmd(t, env, "audit", "log", "--family", string(fam), "--json")
	if err != nil {
		t.Fatal(err)
	}
	var evs []rescreen.AuditEvent
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev rescreen.AuditEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		evs = append(evs, ev)
	}
	if len(evs) != 2 || evs[0].Action != "family.change" || evs[0].FamilyID != fam || len(evs[0].Hash) != 64 ||
		!strings.HasPrefix(evs[0].Hash, change[5]) || evs[0].Before == nil || !strings.Contains(string(evs[0].After), "a note from the test") {
		t.Fatalf("json: %s", out)
	}

	// Paging: --limit says more may follow, and --before gives the rest.
	out, stderr, err = runCmd(t, env, "audit", "log", "--family", string(fam), "--limit", "1")
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(stderr, "--before "+strconv.FormatInt(evs[0].Seq, 10)) {
		t.Fatalf("--limit 1: %v %q %q", err, out, stderr)
	}
	out, _, err = runCmd(t, env, "audit", "log", "--family", string(fam), "--before", strconv.FormatInt(evs[0].Seq, 10))
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, " import ") {
		t.Fatalf("--before: %v %q", err, out)
	}

	// An unknown family is not found (exit code 1, like every refused
	// command); a bad invocation is a usage error (exit code 2).
	_, _, err = runCmd(t, env, "audit", "log", "--family", "F-NOSUCHFAMILY")
	if rescreen.ErrorCode(err) != rescreen.ENOTFOUND || exitCode(err) != 1 || !strings.Contains(err.Error(), "family F-NOSUCHFAMILY not found") {
		t.Fatalf("an unknown family: %v (exit %d)", err, exitCode(err))
	}
	for _, args := range [][]string{
		{"audit", "log"},
		{"audit", "log", "--family", string(fam), "--limit", "0"},
		{"audit", "log", "--family", string(fam), "--before", "-1"},
		{"audit", "log", "--family", string(fam), "extra"},
	} {
		if _, _, err := runCmd(t, env, args...); exitCode(err) != 2 {
			t.Errorf("%v: %v (exit %d), want exit code 2", args, err, exitCode(err))
		}
	}
	if _, _, err := runCmd(t, env, "audit", "log", "--help"); err != nil {
		t.Errorf("--help: %v", err)
	}
	// The chain still verifies after the change.
	if out, _, err := runCmd(t, env, "audit", "verify"); err != nil || !strings.HasPrefix(out, "audit chain OK") {
		t.Fatalf("verify: %v %q", err, out)
	}
}

// changeOneFamily adds a note to a person of the first family, as the
// actor test:clerk, and returns the family's id.
func changeOneFamily(t *testing.T, path string) rescreen.FamilyID {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "test:clerk")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := app.New(db)
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list families: %+v %v", page, err)
	}
	fam := page.Items[0].ID
	dos, err := s.GetFamily(ctx, fam)
	if err != nil || len(dos.Records.Persons) == 0 {
		t.Fatalf("get family: %v", err)
	}
	p := dos.Records.Persons[0]
	p.Notes = "a note from the test"
	if _, err := s.ApplyChanges(ctx, fam, 0, []rescreen.Change{{Kind: rescreen.KindPersons, Record: &p}}); err != nil {
		t.Fatal(err)
	}
	return fam
}
