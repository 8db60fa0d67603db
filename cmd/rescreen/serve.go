package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/sqlstore"
	"rescreen/synth"
	"rescreen/web"
)

func cmdServe(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "serve", "serve [flags]")
	addr := fs.String("addr", envOr(e, "addr", "localhost:8080"), "address to listen on")
	every, err := time.ParseDuration(envOr(e, "rescore-every", defaultRescoreEvery.String()))
	if err != nil {
		return &exitError{2, fmt.Errorf("serve: RESCREEN_RESCORE_EVERY: %w", err)}
	}
	fs.DurationVar(&every, "rescore-every", every, "how often to score again the links of person records changed since they were scored (0: only at start-up)")
	cfg.params = &paramsFlags{}
	cfg.params.bind(fs, e)
	counsel := bindClassCounsel(fs, e)
	profileAddr := fs.String("profile-addr", envOr(e, "profile-addr", ""), "serve Go's runtime profiles (pprof) on this loopback address, such as 127.0.0.1:6060 (default: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if every < 0 {
		return &exitError{2, fmt.Errorf("serve: --rescore-every %s is negative", every)}
	}
	if err := checkNoticeTemplates(); err != nil {
		return err
	}
	log := newLogger(e)
	if *profileAddr != "" {
		_, stop, err := startProfiling(*profileAddr, log)
		if err != nil {
			return &exitError{2, fmt.Errorf("serve: %w", err)}
		}
		defer stop()
	}
	s, closeDB, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer closeDB()
	s.ClassCounsel = counsel.value()
	return serve(ctx, e, s, *addr, every, log)
}

// defaultRescoreEvery is how often the server scores again the links of
// changed person records. A run with nothing stale costs one query; one
// with something stale reads and scores every person record, which takes
// seconds in a large registry, so it is not run after every change.
const defaultRescoreEvery = 30 * time.Second

func newLogger(e env) *slog.Logger {
	level := slog.LevelInfo
	if e.getenv("RESCREEN_LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// serve derives whatever a crash left stale and scores again the links of
// changed person records, then serves HTTP until ctx ends, re-scoring every
// rescoreEvery (0: never) meanwhile, and shuts down cleanly.
func serve(ctx context.Context, e env, s *app.Service, addr string, rescoreEvery time.Duration, log *slog.Logger) error {
	if n, err := s.MarkOutdated(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("the rule set in force changed; families to evaluate again", "families", n)
	}
	if n, err := s.DeriveDirty(ctx, "start-up"); err != nil {
		return err
	} else if n > 0 {
		log.Info("recomputed stale families", "families", n)
	}
	rescore(ctx, s, log)
	defer gcPercent(serveGCPercent)()
	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Notices: s, Court: s, Logger: log, Version: buildVersion(), Ready: s.DB.Ping, Now: s.Now})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(e.stdout, "listening on http://%s\n", ln.Addr())
	if rescoreEvery > 0 {
		// The loop ends, and is waited for, before the store is closed.
		loopCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			rescoreLoop(loopCtx, s, rescoreEvery, log)
		}()
		defer func() {
			stop()
			<-done
		}()
	}
	{
		// The report facts for today are filled in the background; the
		// loop ends, and is waited for, before the store is closed.
		loopCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			reportFactsLoop(loopCtx, s, log)
		}()
		defer func() {
			stop()
			<-done
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rescoreLoop re-scores person links every interval until ctx ends.
func rescoreLoop(ctx context.Context, s *app.Service, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rescore(ctx, s, log)
	}
}

// reportFactsLoop stores each family's contribution to the status report
// as of today, at start and whenever the day changes, so that the report
// as of today sums stored rows instead of evaluating every family. A
// failure is logged and tried again at the next check.
func reportFactsLoop(ctx context.Context, s *app.Service, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	var done rescreen.Date
	for {
		if today := rescreen.DateOf(s.Now().UTC()); today != done {
			n, err := s.RefreshReportFacts(ctx, today)
			switch {
			case err != nil:
				if ctx.Err() == nil {
					log.Error("storing the report facts failed", "as_of", today.String(), "err", err)
				}
			default:
				done = today
				if n > 0 {
					log.Info("stored the report facts", "as_of", today.String(), "families", n)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// rescore scores again the links of the person records changed since they
// were scored, and logs what changed. A failure is logged, not returned:
// the registry serves without fresh links, and the next run tries again.
func rescore(ctx context.Context, s *app.Service, log *slog.Logger) {
	// The run reads every person record, a heap of gigabytes at a million
	// families: at the server's percentage it would grow five times that.
	defer gcPercent(100)()
	sum, err := s.Rescore(rescreen.WithActor(ctx, "rescore"), rescreen.DefaultLinkThresholds)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			log.Error("re-scoring person links failed", "err", err)
		}
	case sum.Linked+sum.Review+sum.Dropped > 0:
		log.Info("re-scored person links", "scored", sum.Scored, "linked", sum.Linked, "review", sum.Review,
			"dropped", sum.Dropped, "kept", sum.Kept)
	}
}

// serveGCPercent is the garbage collector's percentage (GOGC) while the
// server answers requests. Its live heap is small (the page caches are
// SQLite's, outside Go's heap), and a read allocates its records' JSON
// and lets it go: at 100 the collector took a fifth of a read's CPU
// (docs/benchmarks.md, 2026-11-23, "Scans found by the plan check", has
// what 400 gains and costs).
const serveGCPercent = 400

// gcPercent sets the garbage collector's percentage, unless the GOGC
// environment variable decides it, and returns the function that puts
// back the one before.
func gcPercent(pct int) (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(pct)
	return func() { debug.SetGCPercent(old) }
}

func cmdSynth(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := synth.DefaultConfig()
	families := fs.Int("families", def.Families, "number of families (the default is the 2018 class, settlement.md section 7)")
	seed := fs.Uint64("seed", def.Seed, "random seed; the same seed gives the same class")
	out := fs.String("out", "-", "output: a .json file, - for standard output, or with --format csv or views a directory")
	format := fs.String("format", "json", "json, csv, or views: the records five agency systems would hold about the class, each with its own columns and errors, with the truth beside them (for rescreen link)")
	stats := fs.Bool("stats", false, "print the class's figures to standard error")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: rescreen synth [flags]\n\nWrites a reproducible synthetic class of separated families in the exchange format.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := def
	cfg.Families, cfg.Seed = *families, *seed
	return writeSynth(ctx, e, cfg, *out, *format, *stats)
}

// writeSynth generates the class into out.
func writeSynth(ctx context.Context, e env, cfg synth.Config, out, format string, stats bool) error {
	var w interface {
		WriteDataset(*rescreen.Dataset) error
		Close() error
	}
	var f *os.File
	switch format {
	case "views":
		if out == "-" {
			return &exitError{2, errors.New("synth: --format views needs --out DIRECTORY")}
		}
		st, err := synth.WriteViews(out, cfg, synth.ViewConfig{Seed: cfg.Seed})
		if err != nil {
			return err
		}
		total := 0
		for _, n := range st.Records {
			total += n
		}
		fmt.Fprintf(e.stderr, "synth: %d families, %d persons, %d parent-child pairs; %d agency records in %s\n", st.Families, st.Persons, st.ParentChild, total, out)
		return nil
	case "csv":
		if out == "-" {
			return &exitError{2, errors.New("synth: --format csv needs --out DIRECTORY")}
		}
		cw, err := exchange.NewCSVWriter(out)
		if err != nil {
			return err
		}
		w = cw
	case "json":
		dst := e.stdout
		if out != "-" {
			var err error
			if f, err = createAtomic(out); err != nil {
				return err
			}
			dst = f
		}
		w = exchange.NewJSONWriter(dst)
	default:
		return &exitError{2, fmt.Errorf("synth: unknown format %q (json or csv)", format)}
	}
	var st synth.Stats
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		if stats {
			st.Add(d)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return w.WriteDataset(d)
	})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
		return err
	}
	if f != nil {
		if err := commitAtomic(f, out); err != nil {
			return err
		}
	}
	if stats {
		fmt.Fprintln(e.stderr, st.String())
	}
	return nil
}

func cmdDemo(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", envOr(e, "addr", "localhost:8080"), "address to listen on")
	dir := fs.String("data-dir", envOr(e, "demo_dir", ""), "an empty or new directory for the demo's data (default: a new temporary directory)")
	families := fs.Int("families", synth.DefaultConfig().Families, "number of families in the synthetic class")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: rescreen demo [flags]\n\nGenerates the default synthetic class, imports it into a new SQLite store, adds one user\nper role, prints their passwords and serves it.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkNoticeTemplates(); err != nil {
		return err
	}
	c, err := demoDataDir(*dir)
	if err != nil {
		return err
	}
	log := newLogger(e)
	s, closeDB, users, err := setUpDemo(ctx, e, c, *families, log)
	if err != nil {
		return err
	}
	defer closeDB()
	s.ClassCounsel = demoClassCounsel
	printDemoUsers(e.stdout, users, *addr)
	return serve(ctx, e, s, *addr, defaultRescoreEvery, log)
}

// demoDataDir returns the demo's configuration on dir: a new temporary
// directory if dir is empty, else dir, which must be empty or new. The demo
// never reuses a store, so its users and their passwords are new on every
// run and are printed once.
func demoDataDir(dir string) (*config, error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "rescreen-demo-")
		if err != nil {
			return nil, err
		}
		dir = d
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, &exitError{2, fmt.Errorf("demo: %s is not empty; the demo starts from an empty data directory", dir)}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &config{dataDir: dir, actor: "demo", params: &paramsFlags{}}, nil
}

// setUpDemo generates a synthetic class of the given number of families,
// imports and links it into a new store in c's data directory, and adds
// one user per role. The caller closes the store.
func setUpDemo(ctx context.Context, e env, c *config, families int, log *slog.Logger) (*app.Service, func(), []demoUser, error) {
	start := time.Now()
	classFile := filepath.Join(c.dataDir, "class.json")
	cfg := synth.DefaultConfig()
	cfg.Families = families
	if err := writeSynth(ctx, e, cfg, classFile, "json", false); err != nil {
		return nil, nil, nil, err
	}
	s, closeDB, err := c.open(ctx, log)
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*app.Service, func(), []demoUser, error) {
		closeDB()
		return nil, nil, nil, err
	}
	inputs, err := exchange.Inputs([]string{classFile}, nil)
	if err != nil {
		return fail(err)
	}
	th := rescreen.DefaultLinkThresholds
	sum, err := s.Import(c.context(ctx), inputs, app.ImportOptions{Link: &th})
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "demo: %d records of a synthetic class imported into %s in %s\n", sum.Created, c.database(), time.Since(start).Round(time.Millisecond))
	users, err := addDemoUsers(c.context(ctx), s)
	if err != nil {
		return fail(err)
	}
	return s, closeDB, users, nil
}

// demoUser is a user the demo made, with the password it was given.
type demoUser struct {
	Name     string
	Role     access.Assignment
	Families int // how many families the role's scope reaches
	Password string
}

// addDemoUsers adds one user per role. The unit-scoped roles get the unit
// of their kind that the most families' records name, so that each of them
// sees a caseload: an asylum office, a DHS facility, an ORR shelter. A kind
// the class does not name (a very small class) leaves the role with the Own
// scope, which reaches no synthetic family. Each password is random.
func addDemoUsers(ctx context.Context, s *app.Service) ([]demoUser, error) {
	busiest, total, err := busiestUnits(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	specs := []struct {
		name, display string
		role          access.Role
		kind          string // the kind of unit of a Unit scope; "" for All
	}{
		{"asylum", "Demo asylum officer", access.AsylumOfficer, "office"},
		{"ice", "Demo ICE officer", access.ICEOfficer, "facility"},
		{"orr", "Demo ORR case manager", access.ORRCaseManager, "shelter"},
		{"counsel", "Demo class counsel", access.ClassCounsel, ""},
		{"monitor", "Demo monitor", access.Monitor, ""},
		{"admin", "Demo administrator", access.Admin, ""},
	}
	users := make([]demoUser, 0, len(specs))
	for _, sp := range specs {
		u := demoUser{Name: sp.name, Role: access.Assignment{Role: sp.role, Scope: access.All}, Families: total, Password: generatedPassword()}
		if sp.kind != "" {
			u.Role.Scope, u.Families = access.Own, 0
			if b, ok := busiest[sp.kind]; ok {
				u.Role = access.Assignment{Role: sp.role, Scope: access.Unit, Units: []string{b.unit}}
				u.Families = b.families
			}
		}
		if _, err := s.AddUser(ctx, u.Name, sp.display, u.Password, []access.Assignment{u.Role}); err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, nil
}

// unitCount is a unit and the number of families whose records name it.
type unitCount struct {
	unit     string
	families int
}

// busiestUnits returns, for each kind of unit (office, facility, shelter,
// org, user), the unit the most families name, the first by name on a
// tie; and the number of families.
func busiestUnits(ctx context.Context, db *sqlstore.DB) (map[string]unitCount, int, error) {
	const page = 500
	counts := map[string]int{}
	total := 0
	for after := ""; ; {
		rows, err := db.FamilyIDs(ctx, sqlstore.Query{After: after, Limit: page})
		if err != nil {
			return nil, 0, err
		}
		ids := make([]rescreen.FamilyID, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		units, err := db.FamilyUnits(ctx, ids...)
		if err != nil {
			return nil, 0, err
		}
		for _, us := range units {
			for _, u := range us {
				counts[u]++
			}
		}
		total += len(rows)
		if len(rows) < page {
			break
		}
		after = string(rows[len(rows)-1].ID)
	}
	best := map[string]unitCount{}
	for u, n := range counts {
		kind, _, _ := strings.Cut(u, ":")
		if b, ok := best[kind]; !ok || n > b.families || n == b.families && u < b.unit {
			best[kind] = unitCount{u, n}
		}
	}
	return best, total, nil
}

// printDemoUsers prints the demo's users with their passwords, and where
// to sign in.
func printDemoUsers(w io.Writer, users []demoUser, addr string) {
	fmt.Fprintf(w, "demo: one user per role; sign in at %s with these passwords (new on every run, shown only here):\n", signInURL(addr))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  USER\tROLE\tSCOPE\tFAMILIES\tPASSWORD")
	for _, u := range users {
		scope := string(u.Role.Scope)
		if len(u.Role.Units) > 0 {
			scope += " " + strings.Join(u.Role.Units, ",")
		}
		reach := strconv.Itoa(u.Families)
		if u.Role.Role == access.Monitor || u.Role.Role == access.Admin {
			reach = "counts only"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", u.Name, u.Role.Role, scope, reach, u.Password)
	}
	tw.Flush()
}

// signInURL returns the sign-in page's URL on the address the server will
// listen on; with port 0 the port is known only once it listens.
func signInURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "0" {
		return "/sign-in on the address below"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/sign-in"
}
