package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// pgServer is a PostgreSQL server of the test's own (scripts/pg-test),
// which the test may stop and start again.
type pgServer struct {
	script, dir, url string
}

// startPostgres starts a PostgreSQL server for one test. Without
// Debian's postgresql package the test is skipped, and fails with CI set.
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl"); len(m) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("PostgreSQL is not installed (.ci/run installs Debian's postgresql package)")
		}
		t.Skip("PostgreSQL is not installed")
	}
	script, err := filepath.Abs("../../scripts/pg-test")
	if err != nil {
		t.Fatal(err)
	}
	// The server's socket lives in the directory, whose path must be short.
	dir, err := os.MkdirTemp("", "rpg")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgServer{script: script, dir: dir}
	t.Cleanup(func() {
		p.run(t, "stop")
		os.RemoveAll(dir)
	})
	out := p.run(t, "start")
	_, url, ok := strings.Cut(strings.TrimSpace(out), "=")
	if !ok {
		t.Fatalf("pg-test start printed %q", out)
	}
	p.url = url
	return p
}

func (p *pgServer) run(t *testing.T, cmd string) string {
	t.Helper()
	var out, errb bytes.Buffer
	c := exec.Command(p.script, cmd, p.dir)
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		t.Fatalf("pg-test %s: %v\n%s", cmd, err, errb.String())
	}
	return out.String()
}

// TestServerOutlivesPostgresRestart: a server on PostgreSQL under read
// load answers 503, with Retry-After and the code "unavailable", while
// the database is down, and recovers by itself when it is back: reads and
// writes succeed again without restarting the server, and no request got
// any answer but 200 or 503.
func TestServerOutlivesPostgresRestart(t *testing.T) {
	pg := startPostgres(t)
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": dir, "RESCREEN_DB": pg.url}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "20", "--out", class); err != nil {
		t.Fatalf("synth: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", class); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "user", "add", "ops", "--role", "CLASS_COUNSEL:ALL"); err != nil {
		t.Fatalf("user add: %v\n%s", err, stderr)
	}
	out, stderr, err := runCmd(t, env, "token", "add", "ops", "--group", "STATUS:read", "--group", "IDENTITY:change", "--group", "MINORS:read")
	if err != nil {
		t.Fatalf("token add: %v\n%s", err, stderr)
	}
	token := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "rst_") {
			token = strings.TrimSpace(l)
		}
	}
	if token == "" {
		t.Fatalf("no token in %q", out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- run(ctx, []string{"rescreen", "serve", "--addr", addr}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	base := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) (int, http.Header, []byte, error) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b, err
	}
	// Wait for the server to answer (a bounded number of tries).
	var code int
	for range 200 {
		if code, _, _, err = get("/healthz"); err == nil && code == http.StatusOK {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != http.StatusOK {
		t.Fatalf("the server never became ready: %d %v", code, err)
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	code, _, body, err := get("/api/v1/families?limit=5")
	if err != nil || code != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list.Items) == 0 {
		t.Fatalf("families: %d %v %s", code, err, body)
	}
	family := "/api/v1/families/" + list.Items[0].ID

	// Readers keep asking while the database goes down and comes back.
	stop := make(chan struct{})
	var mu sync.Mutex
	seen := map[int]int{}
	var readErrs []error
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				code, _, _, err := get(family)
				mu.Lock()
				if err != nil {
					readErrs = append(readErrs, err)
				} else {
					seen[code]++
				}
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		})
	}

	pg.run(t, "pause")
	var hdr http.Header
	for range 400 {
		if code, hdr, body, err = get(family); err == nil && code == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if code != http.StatusServiceUnavailable {
		t.Fatalf("with the database down: %d %v %s, want 503", code, err, body)
	}
	var eb struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(body, &eb) != nil || eb.Error.Code != "unavailable" || !strings.Contains(eb.Error.Message, "database") || hdr.Get("Retry-After") == "" {
		t.Errorf("the 503's answer: %s, Retry-After %q", body, hdr.Get("Retry-After"))
	}
	if code, _, _, _ := get("/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz with the database down: %d, want 503", code)
	}

	pg.run(t, "resume")
	for range 400 {
		if code, _, body, err = get(family); err == nil && code == http.StatusOK {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if code != http.StatusOK {
		t.Fatalf("after the database came back: %d %v %s, want 200", code, err, body)
	}
	close(stop)
	wg.Wait()
	for c, n := range seen {
		if c != http.StatusOK && c != http.StatusServiceUnavailable {
			t.Errorf("%d answers with status %d during the restart", n, c)
		}
	}
	if len(readErrs) > 0 {
		t.Errorf("%d requests failed without an answer, the first: %v", len(readErrs), readErrs[0])
	}
	if seen[http.StatusServiceUnavailable] == 0 || seen[http.StatusOK] == 0 {
		t.Errorf("answers during the restart: %v, want both 200 and 503", seen)
	}

	// Writes go through after the recovery, and the audit chain holds.
	if code, _, body, err := get("/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("/healthz after the restart: %d %v %s", code, err, body)
	}
	head := func() string {
		out, stderr, err := runCmd(t, env, "audit", "head")
		if err != nil {
			t.Fatalf("audit head: %v\n%s", err, stderr)
		}
		return strings.TrimSpace(out)
	}
	before := head()
	more := filepath.Join(dir, "more.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "25", "--seed", "99", "--out", more); err != nil {
		t.Fatalf("synth: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, env, "import", more); err != nil {
		t.Fatalf("import after the restart: %v\n%s", err, stderr)
	}
	if after := head(); after == before {
		t.Errorf("the audit head did not move with an import after the restart: %s", after)
	}
	if out, stderr, err := runCmd(t, env, "audit", "verify"); err != nil {
		t.Fatalf("audit verify after the restart: %v\n%s%s", err, out, stderr)
	}
}
