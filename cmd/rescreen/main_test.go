package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"rescreen"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// TestQuickStart follows the README: synthesize, import twice, keep the
// head, verify, export, and serve.
func TestQuickStart(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "200", "--format", "csv", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err := runCmd(t, env, "import", class)
	if err != nil || !strings.Contains(out, "0 updated, 0 unchanged, 0 rejected") {
		t.Fatalf("first import: %v\n%s%s", err, out, stderr)
	}
	out, _, err = runCmd(t, env, "import", class)
	if err != nil || !strings.Contains(out, " 0 created, 0 updated") {
		t.Fatalf("second import changed something: %v\n%s", err, out)
	}
	head, _, err := runCmd(t, env, "audit", "head")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, env, "audit", "verify", "--head", strings.Fields(head)[0])
	if err != nil || !strings.HasPrefix(out, "audit chain OK") {
		t.Fatalf("verify: %v %s", err, out)
	}
	if _, _, err := runCmd(t, env, "audit", "verify", "--head", strings.Repeat("0f", 32)); exitCode(err) != 3 {
		t.Fatalf("verify against an unknown head: %v, want exit code 3", err)
	}
	exp := filepath.Join(dir, "export.json")
	if _, stderr, err := runCmd(t, env, "export", "--out", exp); err != nil {
		t.Fatal(err, stderr)
	}
	// A bad file: exit code 1, every problem with file and line, nothing imported.
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "persons.csv"), []byte("source,source_id,family,role,given_names\nNGO,1,NGO:NOPE,PARENT,Ana\nNGO,2,NGO:NOPE,AUNT,\n"), 0o644)
	_, stderr, err = runCmd(t, env, "import", bad)
	if exitCode(err) != 1 || !strings.Contains(stderr, "persons.csv:2: family:") || !strings.Contains(stderr, "persons.csv:3: role:") || !strings.Contains(stderr, "persons.csv:3: given_names: is required") {
		t.Fatalf("bad import: %v\n%s", err, stderr)
	}
	exp2 := filepath.Join(dir, "export2.json")
	runCmd(t, env, "export", "--out", exp2)
	a, _ := os.ReadFile(exp)
	b, _ := os.ReadFile(exp2)
	if !bytes.Equal(a, b) {
		t.Fatal("a rejected import changed the export")
	}

	// A user and an API token to call the server with.
	if _, stderr, err := runCmd(t, env, "user", "add", "ops", "--role", "CLASS_COUNSEL:ALL"); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err = runCmd(t, env, "token", "add", "ops", "--group", "IDENTITY:read", "--group", "STATUS:read", "--group", "ELECTIONS:read", "--group", "SCREENINGS:read")
	tm := regexp.MustCompile(`\n(rst_\S+)\n`).FindStringSubmatch(out)
	if err != nil || tm == nil {
		t.Fatalf("token add: %q %v %s", out, err, stderr)
	}

	// serve on a free port, read the health and a family, stop cleanly.
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"rescreen", "serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on ") {
		t.Fatalf("serve printed %q, %v", line, err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	client := &http.Client{Timeout: 10 * time.Second, Transport: bearer{tm[1]}}
	resp, err := http.Get(base + "/api/v1/families?limit=1")
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a call without a token: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = client.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = client.Get(base + "/api/v1/families?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []struct{ ID string } `json:"items"`
	}
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if len(page.Items) != 1 {
		t.Fatalf("families page: %+v", page)
	}
	resp, err = client.Get(base + "/api/v1/families/" + page.Items[0].ID)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("family: %v %v", resp, err)
	}
	var dos struct {
		Determination *struct {
			Outcome string `json:"outcome"`
		} `json:"determination"`
	}
	json.NewDecoder(resp.Body).Decode(&dos)
	resp.Body.Close()
	if dos.Determination == nil || dos.Determination.Outcome == "" {
		t.Fatal("the imported family has no determination")
	}
	resp, err = client.Get(base + "/families/" + page.Items[0].ID)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("family page: %v %v", resp, err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(html, []byte(`class="outcome outcome-`+dos.Determination.Outcome+`"`)) || !bytes.Contains(html, []byte("What would lift it")) {
		t.Fatalf("the family page does not show the determination:\n%.2000s", html)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("serve returned %v after cancel", err)
	}
}

func TestHelpAndUnknownCommands(t *testing.T) {
	for _, c := range commands() {
		if _, stderr, err := runCmd(t, nil, c.name, "--help"); err != nil || !strings.Contains(stderr, "usage: rescreen") {
			t.Errorf("%s --help: %v %q", c.name, err, stderr)
		}
	}
	if _, _, err := runCmd(t, nil, "frobnicate"); exitCode(err) != 2 {
		t.Errorf("unknown command: %v, want exit code 2", err)
	}
	out, _, err := runCmd(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "rescreen ") {
		t.Errorf("version: %q %v", out, err)
	}
}

func TestProgressLinesAndBar(t *testing.T) {
	var lines bytes.Buffer
	p := newProgress(&lines, "auto", "import") // a buffer is no terminal: lines
	for done := int64(0); done <= 1000; done += 50 {
		p.update(done, 1000)
	}
	p.done()
	got := strings.Count(lines.String(), "\n")
	if got != 11 || !strings.HasPrefix(lines.String(), "import: 0% (") || !strings.Contains(lines.String(), "import: 100% (") {
		t.Fatalf("lines mode printed %d lines:\n%s", got, lines.String())
	}
	var bar bytes.Buffer
	p = newProgress(&bar, "bar", "import")
	p.update(1000, 1000)
	p.done()
	if !strings.HasPrefix(bar.String(), "\rimport [##############################] 100%") || !strings.HasSuffix(bar.String(), "\n") {
		t.Fatalf("bar mode printed %q", bar.String())
	}
	var none bytes.Buffer
	p = newProgress(&none, "none", "import")
	p.update(500, 1000)
	p.done()
	if none.Len() != 0 {
		t.Fatalf("none mode printed %q", none.String())
	}
}

// TestRulesCommands evaluates a file without a store, prints the rule book,
// rejects a bad case file with its line, and compares two rule sets over a
// stored class.
func TestRulesCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": filepath.Join(dir, "data")}
	class := filepath.Join(dir, "class.json")
	if _, stderr, err := runCmd(t, env, "synth", "--families", "300", "--out", class); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err := runCmd(t, env, "rules", "eval", "--as-of", "2018-12-01", class)
	if err != nil {
		t.Fatal(err, stderr)
	}
	var results []struct {
		Outcome string `json:"outcome"`
		Persons []struct {
			Hold struct {
				Held          bool   `json:"held"`
				LiftCondition string `json:"lift_condition"`
			} `json:"hold"`
		} `json:"persons"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil || len(results) != 300 {
		t.Fatalf("rules eval printed %d results, %v", len(results), err)
	}
	for _, r := range results {
		for _, p := range r.Persons {
			if p.Hold.Held && p.Hold.LiftCondition == "" {
				t.Fatalf("a held member without a lift condition in %+v", r)
			}
		}
	}
	out, _, err = runCmd(t, env, "rules", "eval", "--as-of", "2018-12-01", "--explain", class)
	if err != nil || !strings.Contains(out, "F-10") {
		t.Fatalf("rules eval --explain: %v\n%.500s", err, out)
	}
	out, _, err = runCmd(t, env, "rules", "book", "--format", "html")
	if err != nil || !strings.Contains(out, "<html") || !strings.Contains(out, "cfg.interview_trigger") {
		t.Fatalf("rules book: %v %.300s", err, out)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\"format\":\"rescreen-exchange\",\"version\":1,\n\"families\":[\n{\"source\":\"NGO\",\"source_id\":\"F1\",\"colour\":\"red\"}\n]}\n"), 0o644)
	if _, stderr, err := runCmd(t, env, "rules", "eval", bad); exitCode(err) != 1 || !strings.Contains(stderr, "bad.json:3: colour: is not a field of families") {
		t.Fatalf("bad case file: %v %s", err, stderr)
	}
	if _, _, err := runCmd(t, env, "rules", "eval", "--param", "cfg.partial_waiver=SOMETIMES", class); err == nil || !strings.Contains(err.Error(), "cfg.partial_waiver") {
		t.Fatalf("a bad parameter value: %v", err)
	}

	// Import (which evaluates every family), then what-if.
	if _, stderr, err := runCmd(t, env, "import", class); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err = runCmd(t, env, "rules", "whatif", "--as-of", "2018-12-01", "--json", "--param", "cfg.r_p5_action=FLAG", "--param", "cfg.partial_waiver=HOLD_ALL")
	if err != nil {
		t.Fatal(err, stderr)
	}
	var rep struct {
		Families int `json:"families"`
		Changed  int `json:"changed"`
		Changes  []struct {
			From, To string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Families != 300 || rep.Changed != len(rep.Changes) {
		t.Fatalf("whatif: %+v %v\n%.500s", rep, err, out)
	}
	same, _, err := runCmd(t, env, "rules", "whatif", "--as-of", "2018-12-01", "--json", "--param", "cfg.partial_waiver=MANUAL_REVIEW")
	if err != nil || !strings.Contains(same, `"changed": 0`) {
		t.Fatalf("whatif with the default value changed outcomes: %v %.300s", err, same)
	}
}

// TestSynthViews writes the agency views of a small class and checks that
// every view has its mapping and that the truth names every record.
func TestSynthViews(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "views")
	_, stderr, err := runCmd(t, nil, "synth", "--families", "50", "--seed", "7", "--format", "views", "--out", dir)
	if err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	if !strings.Contains(stderr, "50 families") {
		t.Fatalf("summary: %s", stderr)
	}
	records := 0
	for _, v := range []string{"cbp_e3", "ice_earm", "orr_ucportal", "uscis_global", "eoir"} {
		data, err := os.ReadFile(filepath.Join(dir, v+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		records += strings.Count(string(data), "\n") - 1
		if _, err := os.Stat(filepath.Join(dir, v+".mapping")); err != nil {
			t.Fatal(err)
		}
	}
	truth, err := os.ReadFile(filepath.Join(dir, "truth_records.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(truth), "\n") - 1; n != records || records == 0 {
		t.Fatalf("%d records in the views, %d in the truth", records, n)
	}
	if _, _, err := runCmd(t, nil, "synth", "--format", "views"); err == nil {
		t.Fatal("views to standard output accepted")
	}
}

// bearer sends every request with an API token.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}
