package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
	"rescreen/sqlstore"
)

// TestServeRescoresAtStartUp imports a class without linkage, which leaves
// every person record's links stale, and checks that serve scores them
// before it listens, storing the model it trained.
func TestServeRescoresAtStartUp(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "100", "--format", "csv", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if out, stderr, err := runCmd(t, env, "import", "--link=false", class); err != nil {
		t.Fatal(err, out, stderr)
	}
	state := func() (int, error) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, filepath.Join(dir, "data", "rescreen.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		marks, err := db.StaleLinks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = db.LinkModel(ctx)
		return len(marks), err
	}
	if n, err := state(); n < 100 || rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Fatalf("after an import without linkage: %d stale records, model: %v", n, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"rescreen", "serve", "--addr", "127.0.0.1:0", "--rescore-every", "0"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on ") {
		t.Fatalf("serve printed %q, %v", line, err)
	}
	go io.Copy(io.Discard, pr)
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if n, err := state(); n != 0 || err != nil {
		t.Fatalf("after serve started: %d stale records, model: %v", n, err)
	}
}

// TestServeRescoreEvery checks that a bad interval is refused before
// anything starts.
func TestServeRescoreEvery(t *testing.T) {
	env := map[string]string{"RESCREEN_DATA_DIR": t.TempDir()}
	if _, _, err := runCmd(t, env, "serve", "--rescore-every", "-1s"); exitCode(err) != 2 {
		t.Errorf("a negative interval: %v, want exit code 2", err)
	}
	env["RESCREEN_RESCORE_EVERY"] = "often"
	if _, _, err := runCmd(t, env, "serve"); exitCode(err) != 2 {
		t.Errorf("RESCREEN_RESCORE_EVERY=often: %v, want exit code 2", err)
	}
}
