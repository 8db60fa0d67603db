package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if every < 0 {
		return &exitError{2, fmt.Errorf("serve: --rescore-every %s is negative", every)}
	}
	log := newLogger(e)
	s, closeDB, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer closeDB()
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
	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Logger: log, Version: buildVersion(), Ready: s.DB.Ping, Now: s.Now})
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

// rescore scores again the links of the person records changed since they
// were scored, and logs what changed. A failure is logged, not returned:
// the registry serves without fresh links, and the next run tries again.
func rescore(ctx context.Context, s *app.Service, log *slog.Logger) {
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
		fmt.Fprintln(e.stderr, "usage: rescreen demo [flags]\n\nGenerates the default synthetic class, imports it into a new SQLite store and serves it.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	if *dir == "" {
		d, err := os.MkdirTemp("", "rescreen-demo-")
		if err != nil {
			return err
		}
		*dir = d
	} else if entries, err := os.ReadDir(*dir); err == nil && len(entries) > 0 {
		return &exitError{2, fmt.Errorf("demo: %s is not empty; the demo starts from an empty data directory", *dir)}
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		return err
	}
	classFile := filepath.Join(*dir, "class.json")
	cfg := synth.DefaultConfig()
	cfg.Families = *families
	if err := writeSynth(ctx, e, cfg, classFile, "json", false); err != nil {
		return err
	}
	c := &config{dataDir: *dir, actor: "demo", params: &paramsFlags{}}
	log := newLogger(e)
	s, closeDB, err := c.open(ctx, log)
	if err != nil {
		return err
	}
	defer closeDB()
	inputs, err := exchange.Inputs([]string{classFile}, nil)
	if err != nil {
		return err
	}
	th := rescreen.DefaultLinkThresholds
	sum, err := s.Import(c.context(ctx), inputs, app.ImportOptions{Link: &th})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: %d records of a synthetic class imported into %s in %s\n", sum.Created, c.database(), time.Since(start).Round(time.Millisecond))
	return serve(ctx, e, s, *addr, defaultRescoreEvery, log)
}
