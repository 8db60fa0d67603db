package main

import (
	"context"
	"path/filepath"
	"testing"

	"rescreen/sqlstore"
)

// TestImportAgainLinksWhatACutImportLeft: an import whose linkage did not
// run (cut off by a kill after its last chunk, or run with --link=false)
// is completed by running it again: the person records are scored and no
// longer marked for re-scoring, and a linkage model is stored.
func TestImportAgainLinksWhatACutImportLeft(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": dir}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "40", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", "--link=false", class); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err := runCmd(t, env, "import", class)
	if err != nil {
		t.Fatal(err, stderr)
	}
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "rescreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	marks, err := db.StaleLinks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 0 {
		t.Errorf("after the import ran again (%q), %d person records are still marked for re-scoring", out, len(marks))
	}
}
