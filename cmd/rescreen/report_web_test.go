package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/web"
)

// TestReportDownloadsAreTheCommandsFiles: the files the server offers on
// /report are, byte for byte, the files `rescreen report status` writes
// for the same store and date.
func TestReportDownloadsAreTheCommandsFiles(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	env := map[string]string{"RESCREEN_DATA_DIR": dataDir}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "150", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", class); err != nil {
		t.Fatal(err, stderr)
	}
	// The server, over the same store, with the rules the command uses;
	// its user is added first, since adding one is a change the reports'
	// snapshot would name.
	ctx := rescreen.WithActor(context.Background(), "test")
	cfg := &config{dataDir: dataDir, actor: "test", params: &paramsFlags{}}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	const password = "a long enough password"
	if _, err := s.AddUser(ctx, "monitor", "", password, []access.Assignment{{Role: access.Monitor, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}
	sess, err := s.SignIn(ctx, "monitor", password, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "out")
	for _, args := range [][]string{{"--out", out}, {"--out", out, "--lang", "es"}} {
		if _, stderr, err := runCmd(t, env, append([]string{"report", "status", "--as-of", "2019-06-01"}, args...)...); err != nil {
			t.Fatal(err, stderr)
		}
	}
	for _, f := range rescreen.ReportFormats {
		name := f.FileName(rescreen.MustDate("2019-06-01"))
		want, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/report/"+name, nil)
		req.AddCookie(&http.Cookie{Name: "rescreen_session", Value: sess.Token})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d\n%s", name, rec.Code, rec.Body)
		}
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("%s: the server's file (%d bytes) is not the command's (%d bytes)", name, rec.Body.Len(), len(want))
		}
	}
}
