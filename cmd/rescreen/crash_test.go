package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"rescreen/access"
)

// The crash tests kill the real rescreen binary with SIGKILL at random
// moments: an import, and a server under write load. A process killed so
// gets no chance to clean up, as when the kernel's OOM killer, a fault of
// the program or an operator's kill -9 ends it; only what the database had
// committed survives. The tests check that what survives is whole: every
// committed change with its audit event, nothing half-applied, nothing
// doubled, an audit chain that verifies, and an import that, run again,
// ends where a clean import of the same file ends.
//
// RESCREEN_CRASH_KILLS=N sets the number of kills of the import and of the
// server on SQLite (default 12 each; the server on PostgreSQL gets half as
// many); RESCREEN_CRASH_SEED=S replays the random choices of a run whose
// seed the log printed (the moments fall on the same delays, which on a
// machine under other load need not be the same points of the work).

// crashBuild builds the package pkg (relative to this directory) into a
// binary named name, without the race detector: the tests run rescreen as a
// separate process, and an instrumented binary would be many times slower
// without testing anything more (the race detector watches the test
// process, not the children it kills). The store checker is built the same
// way, because it reads every row of a store after every round.
func crashBuild(t *testing.T, pkg, name string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build %s: %v", pkg, err)
	}
	bin := filepath.Join(t.TempDir(), name)
	start := time.Now()
	cmd := exec.Command(goTool, "build", "-o", bin, pkg)
	cmd.Env = crashEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	t.Logf("built %s in %s", name, time.Since(start).Round(time.Millisecond))
	return bin
}

// crashEnv is the environment of the processes under test: the test's own,
// without any RESCREEN_ variable (a database or data directory named there
// must not be what the test kills), with a fixed actor.
func crashEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RESCREEN_") {
			env = append(env, kv)
		}
	}
	return append(env, "RESCREEN_ACTOR=cli:crash-test")
}

// crashCommand is exec.Command with the environment of crashEnv.
func crashCommand(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = crashEnv()
	return cmd
}

// crashRand returns the test's random source, seeded from
// RESCREEN_CRASH_SEED or else from the clock, and logs the seed.
func crashRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("RESCREEN_CRASH_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("RESCREEN_CRASH_SEED=%q: %v", v, err)
		}
		seed = s
	}
	t.Logf("seed %d (RESCREEN_CRASH_SEED=%d replays this run's choices)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x6b696c6c39))
}

// crashKills is the number of kills a test makes: RESCREEN_CRASH_KILLS, or def.
func crashKills(t *testing.T, def int) int {
	t.Helper()
	v := os.Getenv("RESCREEN_CRASH_KILLS")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("RESCREEN_CRASH_KILLS=%q: want a positive number", v)
	}
	return n
}

// child is a rescreen process under test.
type child struct {
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{}
	err    error // the process's end, once done is closed
}

// syncBuffer is a buffer that a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startChild starts the binary with args. The test's cleanup kills it if
// it still runs.
func startChild(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	c := &child{cmd: crashCommand(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	c.cmd.Env = crashEnv()
	c.cmd.Stdout, c.cmd.Stderr = c.stdout, c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", strings.Join(args, " "), err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// kill sends SIGKILL and waits for the process to end. It reports whether
// the signal ended it; if not, the process had finished before, and c.err
// tells how. It never fails the test itself, so that a caller with
// goroutines still running can stop them first.
func (c *child) kill() bool {
	select {
	case <-c.done:
	default:
		c.cmd.Process.Signal(syscall.SIGKILL) // fails only if it has just ended
		<-c.done
	}
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// endedBefore fails the test for a process that ended on its own where a
// kill was meant to end it.
func (c *child) endedBefore(t *testing.T) {
	t.Helper()
	t.Fatalf("%s ended before its kill: %v\n%s%s", strings.Join(c.cmd.Args[1:], " "), c.err, c.stdout.String(), c.stderr.String())
}

// wait waits for the process to finish on its own and fails the test if
// it did not succeed.
func (c *child) wait(t *testing.T) {
	t.Helper()
	<-c.done
	if c.err != nil {
		t.Fatalf("%s: %v\n%s%s", strings.Join(c.cmd.Args[1:], " "), c.err, c.stdout.String(), c.stderr.String())
	}
}

// exitStatus is a finished command's exit status (0 for no error, -1 for
// an error that is no exit).
func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// auditVerify runs rescreen audit verify on the database.
func auditVerify(t *testing.T, bin, path string) {
	t.Helper()
	out, err := crashCommand(bin, "audit", "verify", "--db", path).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "audit chain OK") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}

// inspection is what testdata/crashcheck found in a store: see its report
// type for each field.
type inspection struct {
	HasAudit     bool              `json:"has_audit"`
	Problems     []string          `json:"problems"`
	Records      int               `json:"records"`
	Keys         int               `json:"keys"`
	Rewritten    int               `json:"rewritten"`
	Stale        int               `json:"stale"`
	Persons      int               `json:"persons"`
	Dirty        int               `json:"dirty"`
	Tagged       map[string]string `json:"tagged"`
	TaggedEvents map[string]int    `json:"tagged_events"`
}

// inspect runs the store checker on the database at path, with its flags,
// and fails the test if it found the audit chain, the records and the
// families in disagreement.
func inspect(t *testing.T, checker, path string, flags ...string) inspection {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := crashCommand(checker, append(flags, path)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("crashcheck %s: %v\n%s", path, err, errb.String())
	}
	var in inspection
	if err := json.Unmarshal(out.Bytes(), &in); err != nil {
		t.Fatalf("crashcheck printed %.200q: %v", out.String(), err)
	}
	for _, p := range in.Problems {
		t.Errorf("%s: %s", filepath.Base(path), p)
	}
	return in
}

// diffLines describes how two sorted lists of lines differ: the count of
// lines only in each, and the first few of them.
func diffLines(want, got []string) string {
	var onlyWant, onlyGot []string
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || (i < len(want) && want[i] < got[j]):
			onlyWant = append(onlyWant, want[i])
			i++
		case i == len(want) || got[j] < want[i]:
			onlyGot = append(onlyGot, got[j])
			j++
		default:
			i++
			j++
		}
	}
	if len(onlyWant) == 0 && len(onlyGot) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows only in the clean import, %d only in the crashed one", len(onlyWant), len(onlyGot))
	show := func(label string, ls []string) {
		for k, l := range ls {
			if k == 5 {
				fmt.Fprintf(&b, "\n  %s: ... %d more", label, len(ls)-5)
				break
			}
			if len(l) > 400 {
				l = l[:400] + "…"
			}
			fmt.Fprintf(&b, "\n  %s: %s", label, l)
		}
	}
	show("clean", onlyWant)
	show("crashed", onlyGot)
	return b.String()
}

// TestSurvivesKill9 kills the rescreen binary with SIGKILL at random
// moments: an import (importUnderKills), and a server under write load on
// SQLite and on PostgreSQL (serverUnderKills). The binary and the store
// checker are built once for all three.
func TestSurvivesKill9(t *testing.T) {
	bin := crashBuild(t, ".", "rescreen")
	checker := crashBuild(t, "./testdata/crashcheck", "crashcheck")
	rng := crashRand(t)
	kills := crashKills(t, 12)
	t.Run("import", func(t *testing.T) {
		importUnderKills(t, bin, checker, rng, kills)
	})
	t.Run("server-sqlite", func(t *testing.T) {
		serverUnderKills(t, bin, checker, rng, filepath.Join(t.TempDir(), "rescreen.db"), kills)
	})
	// PostgreSQL runs the same rounds, half as many: its server is the
	// test's own (scripts/pg-test, skipped without Debian's postgresql
	// unless CI is set), which the kills never touch.
	t.Run("server-postgres", func(t *testing.T) {
		pg := startPostgres(t)
		serverUnderKills(t, bin, checker, rng, pg.url, max(1, kills/2))
	})
}

// importUnderKills kills rescreen import at random moments of its work
// (reading, writing chunks, deriving, linking), several times in a row on
// the same store, then runs it to completion. After the kills the store
// must hold whole chunks only (the audit chain and the records agree);
// after the completing run it must equal a store that a single clean run
// of the same file made, row for row in every table the import writes or
// derives, with no record doubled, and the chain must verify. Half the
// rounds import the synthetic class as an agency sends it (CSV, no
// rescreen ids: the stores' ids differ and are compared by natural key),
// the other half an export of it (JSON with ids: the stores are compared
// byte for byte, hashes included).
func importUnderKills(t *testing.T, bin, checker string, rng *rand.Rand, kills int) {
	dir := t.TempDir()

	csvClass := filepath.Join(dir, "class-csv")
	if out, err := crashCommand(bin, "synth", "--families", "200", "--format", "csv", "--out", csvClass).CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	type input struct {
		name    string
		path    string
		sameIDs bool
		clean   []byte        // the state of a clean import
		took    time.Duration // how long the clean import took
		records int
	}
	// Chunks of 500 records make ten transactions of the class's 4,700
	// records, so that the kills fall between and within many of them.
	importArgs := func(db, path string) []string {
		return []string{"import", "--db", db, "--progress", "none", "--chunk-records", "500", path}
	}
	cleanImport := func(in *input) {
		db := filepath.Join(dir, "clean-"+in.name+".db")
		start := time.Now()
		c := startChild(t, bin, importArgs(db, in.path)...)
		c.wait(t)
		in.took = time.Since(start)
		m := regexp.MustCompile(`: (\d+) records read, (\d+) created,`).FindStringSubmatch(c.stdout.String())
		if m == nil || m[1] != m[2] {
			t.Fatalf("the clean import of %s: %s", in.name, c.stdout.String())
		}
		in.records, _ = strconv.Atoi(m[1])
		auditVerify(t, bin, db)
		in.clean = storeState(t, checker, db, db+".state", in.sameIDs)
		t.Logf("clean import of %s: %d records in %s", in.name, in.records, in.took.Round(time.Millisecond))
	}
	// A chunk size of no record is refused before the store is touched.
	if out, err := crashCommand(bin, "import", "--db", filepath.Join(dir, "refused.db"), "--chunk-records", "0", csvClass).CombinedOutput(); exitStatus(err) != 2 || !strings.Contains(string(out), "--chunk-records 0") {
		t.Errorf("import --chunk-records 0: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "refused.db")); !os.IsNotExist(err) {
		t.Errorf("a refused import made the store: %v", err)
	}
	csvIn := &input{name: "csv", path: csvClass}
	cleanImport(csvIn)
	jsonIn := &input{name: "json-with-ids", path: filepath.Join(dir, "class.json"), sameIDs: true}
	if out, err := crashCommand(bin, "export", "--db", filepath.Join(dir, "clean-csv.db"), "--out", jsonIn.path).CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	cleanImport(jsonIn)

	killed, round := 0, 0
	for killed < kills {
		round++
		if round > 2*kills+10 {
			t.Fatalf("%d kills in %d rounds: the imports keep finishing before their kill", killed, round-1)
		}
		in := csvIn
		if round%2 == 0 {
			in = jsonIn
		}
		db := filepath.Join(dir, fmt.Sprintf("round%d.db", round))
		// One to three kills in a row on the same store, each of an import
		// that the kill before cut off, as an operator re-running a failed
		// import would see it.
		want := min(1+(round-1)%3, kills-killed)
		var moments []string
		for n := 0; n < want; {
			delay := time.Duration(rng.Int64N(int64(in.took)))
			start := time.Now()
			c := startChild(t, bin, importArgs(db, in.path)...)
			select {
			case <-c.done:
			case <-time.After(delay):
			}
			if !c.kill() {
				if c.err != nil {
					c.endedBefore(t)
				}
				// It finished first: the store is complete, and the rest of
				// the round checks it all the same. A whole import from an
				// empty store that was faster than the clean one narrows
				// the moments to draw from.
				if n == 0 {
					in.took = min(in.took, time.Since(start))
				}
				moments = append(moments, fmt.Sprintf("%s (finished first)", delay.Round(time.Millisecond)))
				break
			}
			n++
			killed++
			moments = append(moments, delay.Round(time.Millisecond).String())
		}
		roundStart := time.Now()

		// What the kills left: whole chunks, each with its audit events (a
		// kill before the migrations made the audit log leaves nothing to
		// check).
		if inspect(t, checker, db, "-allow-dirty").HasAudit {
			auditVerify(t, bin, db)
		}

		// The import run again completes it.
		c := startChild(t, bin, importArgs(db, in.path)...)
		c.wait(t)
		if !strings.Contains(c.stdout.String(), fmt.Sprintf(": %d records read,", in.records)) {
			t.Fatalf("round %d: the completing import: %s", round, c.stdout.String())
		}
		auditVerify(t, bin, db)
		got := inspect(t, checker, db)
		if got.Records != in.records || got.Keys != in.records {
			t.Errorf("round %d: %d records under %d natural keys, want the file's %d", round, got.Records, got.Keys, in.records)
		}
		if got.Rewritten != 0 {
			t.Errorf("round %d: %d records were written by more than one audit event", round, got.Rewritten)
		}
		// The completing import links too, even when the kills left it
		// nothing to write: no person record may stay marked for
		// re-scoring (the state compared below holds the linkage model).
		if got.Stale > 0 {
			t.Fatalf("round %d: after the completing import %d of %d person records are marked for re-scoring", round, got.Stale, got.Persons)
		}
		if d := diffStates(in.clean, storeState(t, checker, db, db+".state", in.sameIDs)); d != "" {
			t.Fatalf("round %d (%s): the store after the kills and the completing import differs from a clean import: %s", round, in.name, d)
		}
		if t.Failed() {
			t.FailNow()
		}

		t.Logf("round %d (%s): killed after %s; completed and checked in %s", round, in.name, strings.Join(moments, ", "), time.Since(roundStart).Round(time.Millisecond))
		// And once complete, running it again changes nothing.
		if round == 1 {
			c := startChild(t, bin, importArgs(db, in.path)...)
			c.wait(t)
			if !strings.Contains(c.stdout.String(), " 0 created, 0 updated, ") {
				t.Errorf("the import run again on the complete store: %s", c.stdout.String())
			}
		}
	}
	t.Logf("%d kills in %d rounds", killed, round)
}

// storeState writes the whole state of the store at path to file with the
// checker, and returns it.
func storeState(t *testing.T, checker, path, file string, sameIDs bool) []byte {
	t.Helper()
	flags := []string{"-state", file}
	if sameIDs {
		flags = append(flags, "-same-ids")
	}
	inspect(t, checker, path, flags...)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// diffStates describes how two states differ, or returns "".
func diffStates(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	return diffLines(strings.Split(string(want), "\n"), strings.Split(string(got), "\n"))
}

// waitListening waits for serve to print its address and returns it.
func waitListening(t *testing.T, c *child) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if line, _, ok := strings.Cut(c.stdout.String(), "\n"); ok {
			addr, found := strings.CutPrefix(line, "listening on ")
			if !found {
				t.Fatalf("serve printed %q", line)
			}
			return addr
		}
		select {
		case <-c.done:
			t.Fatalf("serve ended: %v\n%s", c.err, c.stderr.String())
		case <-deadline:
			t.Fatalf("serve did not listen within a minute\n%s", c.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// loadWrite is one write a client sent to the server under load.
type loadWrite struct {
	tag    string   // unique to the write, in its records' source ids
	family string   // the family's id, for a change; "" for a new family
	keys   []string // the records it writes, KIND:SOURCE:SOURCE_ID
	want   map[string]string
	// acked: the server answered 2xx and the whole answer was read, with
	// the records in it. Such a write must be on record for good.
	acked bool
	// cut: the connection failed before the whole answer came.
	cut bool
	// present is what the first check after the write's kill found, for a
	// write whose answer was lost: whatever it was, it must stay so.
	present *bool
}

// serverUnderKills runs rescreen serve on the database db (a SQLite file
// or a postgres:// URL) while clients write through the API (changes that
// add a screening and its evidence in one request, and new families with a
// parent), kills the server with SIGKILL at a random moment, checks the
// store and restarts the server on it, again and again. Every write the
// server acknowledged must be on record exactly once, with what was sent;
// a write whose answer was lost is on record whole or not at all, never
// doubled; the audit chain agrees with the records and verifies; no family
// waits for its derivation; and the restarted server serves the
// acknowledged writes.
func serverUnderKills(t *testing.T, bin, checker string, rng *rand.Rand, db string, kills int) {
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		out, err := crashCommand(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	class := filepath.Join(dir, "class.json")
	run("synth", "--families", "30", "--out", class)
	run("import", "--db", db, "--progress", "none", "--link=false", class)
	userArgs := []string{"user", "add", "load", "--db", db}
	for _, r := range access.Roles {
		userArgs = append(userArgs, "--role", string(r)+":ALL")
	}
	run(userArgs...)
	tokenArgs := []string{"token", "add", "load", "--db", db}
	for _, g := range access.Groups {
		tokenArgs = append(tokenArgs, "--group", string(g)+":change")
	}
	token := ""
	for _, l := range strings.Split(run(tokenArgs...), "\n") {
		if strings.HasPrefix(l, "rst_") {
			token = strings.TrimSpace(l)
		}
	}
	if token == "" {
		t.Fatal("token add printed no token")
	}

	// The parents the changes screen, with their families, read from the
	// server once it runs.
	type parent struct{ family, key string }
	var parents []parent

	client := &http.Client{Timeout: 30 * time.Second}
	var refused atomic.Int64 // writes the server answered with an error
	// send posts a write and reports whether the server acknowledged it.
	send := func(base string, w *loadWrite, body string) bool {
		path := "/api/v1/families"
		if w.family != "" {
			path += "/" + w.family + "/changes"
		}
		req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
		if err != nil {
			return false
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			w.cut = true
			return false
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			w.cut = true
			return false
		}
		if resp.StatusCode/100 != 2 {
			if refused.Add(1) <= 5 {
				t.Errorf("%s: %d %s", w.tag, resp.StatusCode, b)
			}
			return false
		}
		var d struct {
			Records map[string][]struct {
				Source   string `json:"source"`
				SourceID string `json:"source_id"`
			} `json:"records"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Errorf("%s: the answer is not a family: %v", w.tag, err)
			return false
		}
		got := map[string]bool{}
		for kind, rs := range d.Records {
			for _, r := range rs {
				got[kind+":"+r.Source+":"+r.SourceID] = true
			}
		}
		for _, k := range w.keys {
			if !got[k] {
				t.Errorf("%s: the acknowledged family lacks %s", w.tag, k)
				return false
			}
		}
		return true
	}
	// write makes the i-th write of writer g during kill k. Its records'
	// source ids hold its tag; the source is MANUAL, as for records keyed in
	// by hand.
	write := func(base string, k, g, i int) *loadWrite {
		tag := fmt.Sprintf("crash-K%02d-W%d-%04d", k, g, i)
		w := &loadWrite{tag: tag, want: map[string]string{}}
		var body []byte
		var err error
		if i%4 == 3 {
			fam, per := "MANUAL:"+tag+"-F", "MANUAL:"+tag+"-P"
			w.keys = []string{"families:" + fam, "persons:" + per}
			// A name and a birth day of its own, so that linkage finds no
			// one else in the new parent.
			h := fnv.New64a()
			h.Write([]byte(tag))
			r := rand.New(rand.NewPCG(h.Sum64(), 0))
			word := func() string {
				b := []byte{byte('A' + r.IntN(26))}
				for range 5 + r.IntN(4) {
					b = append(b, byte('a'+r.IntN(26)))
				}
				return string(b)
			}
			given, surname := word(), word()
			born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(50*365)).Format("2006-01-02")
			w.want["persons:"+per] = given
			body, err = json.Marshal(map[string]any{
				"families": []any{map[string]any{"source": "MANUAL", "source_id": tag + "-F"}},
				"persons": []any{map[string]any{"source": "MANUAL", "source_id": tag + "-P", "family": fam, "role": "PARENT",
					"given_names": given, "first_surname": surname, "birth_date": born, "languages": []string{"es"}}},
			})
		} else {
			p := parents[(g*7+i)%len(parents)]
			w.family = p.family
			scr, ev := "MANUAL:"+tag+"-S", "MANUAL:"+tag+"-E"
			w.keys = []string{"screenings:" + scr, "evidence:" + ev}
			w.want["screenings:"+scr] = "interview notes of " + tag
			w.want["evidence:"+ev] = "testimony of " + tag
			result := []string{"POSITIVE", "NEGATIVE"}[i%2]
			body, err = json.Marshal(map[string]any{"version": 0, "changes": []any{
				map[string]any{"kind": "screenings", "record": map[string]any{"source": "MANUAL", "source_id": tag + "-S", "person": p.key,
					"kind": "CREDIBLE_FEAR", "occasion": "SETTLEMENT_REVIEW", "on": "2019-01-15", "result": result, "notes": "interview notes of " + tag}},
				map[string]any{"kind": "evidence", "record": map[string]any{"source": "MANUAL", "source_id": tag + "-E", "person": p.key,
					"screening": scr, "kind": "TESTIMONY", "description": "testimony of " + tag}},
			}})
		}
		if err != nil {
			t.Errorf("%s: %v", tag, err)
			return w
		}
		w.acked = send(base, w, string(body))
		return w
	}

	var all []*loadWrite
	acked, lostPresent, lostAbsent := 0, 0, 0
	// checkStore checks the store as a kill left it, the server down:
	// every write made so far is on record as its answer says.
	checkStore := func(label string) {
		t.Helper()
		got := inspect(t, checker, db, "-tagged", "crash-")
		onRecord, events := got.Tagged, got.TaggedEvents
		for _, w := range all {
			have := 0
			for _, key := range w.keys {
				if data, ok := onRecord[key]; ok {
					have++
					if want := w.want[key]; want != "" && !strings.Contains(data, want) {
						t.Errorf("%s: %s is on record without what %s sent (%q): %s", label, key, w.tag, want, data)
					}
					if e := events[key]; e != 1 {
						t.Errorf("%s: %s of %s was written by %d audit events, want 1", label, key, w.tag, e)
					}
				} else if e := events[key]; e != 0 {
					t.Errorf("%s: %s of %s is not on record but %d audit events wrote it", label, key, w.tag, e)
				}
			}
			switch {
			case have != 0 && have != len(w.keys):
				t.Errorf("%s: %s is half applied: %d of its %d records on record", label, w.tag, have, len(w.keys))
			case w.acked && have == 0:
				t.Errorf("%s: %s was acknowledged and is lost", label, w.tag)
			case !w.acked && w.present == nil:
				p := have > 0
				w.present = &p
				if p {
					lostPresent++
				} else {
					lostAbsent++
				}
			case !w.acked && *w.present != (have > 0):
				t.Errorf("%s: %s, whose answer was lost, was on record %v after its kill and is %v now", label, w.tag, *w.present, have > 0)
			}
		}
	}

	started := time.Now()
	srv := startChild(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	base := waitListening(t, srv)
	startup := time.Since(started) // how long the last start-up took
	startupKills := 0
	get := func(path string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return resp.StatusCode, b
	}

	// The parents the changes screen, with their families.
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if code, b := get("/api/v1/families?limit=100"); code != http.StatusOK || json.Unmarshal(b, &list) != nil {
		t.Fatalf("families: %d %s", code, b)
	}
	for _, f := range list.Items {
		var d struct {
			Records struct {
				Persons []struct {
					Source   string `json:"source"`
					SourceID string `json:"source_id"`
					Role     string `json:"role"`
				} `json:"persons"`
			} `json:"records"`
		}
		if code, b := get("/api/v1/families/" + f.ID); code != http.StatusOK || json.Unmarshal(b, &d) != nil {
			t.Fatalf("family %s: %d %s", f.ID, code, b)
		}
		for _, p := range d.Records.Persons {
			if p.Role == "PARENT" {
				parents = append(parents, parent{family: f.ID, key: p.Source + ":" + p.SourceID})
			}
		}
	}
	if len(parents) < 10 {
		t.Fatalf("%d parents in the class", len(parents))
	}
	const writers = 4
	for k := 1; k <= kills; k++ {
		// Write until the kill.
		stop := make(chan struct{})
		logs := make([][]*loadWrite, writers)
		var wg sync.WaitGroup
		for g := range writers {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					w := write(base, k, g, i)
					logs[g] = append(logs[g], w)
					if w.cut {
						return // the server is gone
					}
				}
			})
		}
		delay := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		time.Sleep(delay)
		killed := srv.kill()
		close(stop)
		wg.Wait()
		if !killed {
			srv.endedBefore(t)
		}
		n, a := 0, 0
		for _, l := range logs {
			for _, w := range l {
				all = append(all, w)
				n++
				if w.acked {
					a++
				}
			}
		}

		// The store as the kill left it.
		checkStore(fmt.Sprintf("kill %d", k))
		acked += a
		if t.Failed() {
			t.Fatalf("kill %d after %s of load: %d writes, %d acknowledged", k, delay.Round(time.Millisecond), n, a)
		}

		// Every third round also kills a server during its start-up, in
		// which it derives the families left dirty and scores the links of
		// the new parents before it listens: at a moment within the time
		// the last start-up took.
		if k%3 == 0 {
			d := time.Duration(rng.Int64N(int64(startup)))
			s := startChild(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
			select {
			case <-s.done:
			case <-time.After(d):
			}
			if !s.kill() {
				s.endedBefore(t)
			}
			startupKills++
			checkStore(fmt.Sprintf("kill in the start-up after kill %d", k))
			if t.Failed() {
				t.FailNow()
			}
		}

		// Restart on the same store: it serves the acknowledged writes, and
		// the chain verifies while it runs.
		started = time.Now()
		srv = startChild(t, bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
		base = waitListening(t, srv)
		startup = time.Since(started)
		auditVerify(t, bin, db)
		if code, b := get("/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz after the restart: %d %s", code, b)
		}
		for _, w := range slices.Backward(all) {
			if w.acked && w.family != "" {
				code, b := get("/api/v1/families/" + w.family)
				if code != http.StatusOK || !bytes.Contains(b, []byte(`"source_id":"`+w.tag+`-S"`)) {
					t.Fatalf("after the restart, family %s: %d, without the acknowledged %s", w.family, code, w.tag)
				}
				break
			}
		}
		t.Logf("kill %d after %s of load: %d writes, %d acknowledged", k, delay.Round(time.Millisecond), n, a)
	}
	srv.kill()
	t.Logf("%d kills under load and %d in the start-up: %d writes, %d acknowledged and kept; of those whose answer was lost, %d on record whole, %d not at all",
		kills, startupKills, len(all), acked, lostPresent, lostAbsent)
	if acked < kills {
		t.Errorf("only %d writes acknowledged in %d rounds of load", acked, kills)
	}
}
