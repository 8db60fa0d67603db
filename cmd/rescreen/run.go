package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"rescreen"
	"rescreen/app"
	"rescreen/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// env is the process environment as the commands see it.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve the web UI and the JSON API", cmdServe},
		{"import", "import agency records (JSON or CSV) into the registry", cmdImport},
		{"export", "export the registry in the exchange format", cmdExport},
		{"audit", "verify the audit chain (audit verify), print its head (audit head) or a family's events (audit log)", cmdAudit},
		{"backup", "write a verified copy of the SQLite database while the server runs (backup --out FILE)", cmdBackup},
		{"restore", "put a backup in place of the SQLite database, the server stopped (restore --from FILE)", cmdRestore},
		{"user", "add, list or disable users (user add NAME --role ROLE:SCOPE[:UNITS])", cmdUser},
		{"token", "issue or revoke API tokens (token add USER --group GROUP:read|change)", cmdToken},
		{"rules", "evaluate families (rules eval), print the rule book (rules book), compare rule sets (rules whatif)", cmdRules},
		{"report", "make the court status report as of a date (report status)", cmdReport},
		{"synth", "write a synthetic class in the exchange format", cmdSynth},
		{"link", "find the same person in CSV files: dedupe one file or link several", cmdLink},
		{"demo", "generate, import and serve a synthetic class", cmdDemo},
		{"version", "print the version", cmdVersion},
	}
}

// run is the whole program; main only maps its error to an exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) < 2 || args[1] == "-h" || args[1] == "--help" || args[1] == "help" {
		usage(stderr)
		if len(args) < 2 {
			return &exitError{2, errors.New("no command given")}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[1] {
			err := c.run(ctx, e, args[2:])
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	usage(stderr)
	return &exitError{2, fmt.Errorf("unknown command %q", args[1])}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rescreen COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun rescreen COMMAND --help for the flags of a command.")
	fmt.Fprintln(w, "Every flag can also be set by an environment variable RESCREEN_<FLAG> (for example RESCREEN_DATA_DIR).")
}

// config is what the commands share: where the data lives and who acts.
type config struct {
	dataDir string
	dbPath  string
	actor   string
	params  *paramsFlags // the rule set's parameters, for commands that evaluate
}

// newFlags returns a flag set whose defaults come from RESCREEN_* variables,
// and the shared config bound to it.
func newFlags(e env, name, synopsis string) (*flag.FlagSet, *config) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := &config{}
	fs.StringVar(&cfg.dataDir, "data-dir", envOr(e, "data-dir", "rescreen-data"), "directory of the database and other data")
	fs.StringVar(&cfg.dbPath, "db", envOr(e, "db", ""), "SQLite database file, or a postgres:// URL (default: rescreen.db in the data directory)")
	fs.StringVar(&cfg.actor, "actor", envOr(e, "actor", defaultActor(e)), "who is acting, for the audit log")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: rescreen %s\n\nflags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, cfg
}

func envOr(e env, flagName, def string) string {
	if v := e.getenv("RESCREEN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))); v != "" {
		return v
	}
	return def
}

func defaultActor(e env) string {
	if u := e.getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

func (c *config) database() string {
	if c.dbPath != "" {
		return c.dbPath
	}
	return filepath.Join(c.dataDir, "rescreen.db")
}

// open opens the store and the service.
func (c *config) open(ctx context.Context, log *slog.Logger) (*app.Service, func(), error) {
	db, err := sqlstore.Open(ctx, c.database())
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", sqlstore.Redacted(c.database()), err)
	}
	s := app.New(db)
	if log != nil {
		s.Log = log
	}
	if c.params != nil {
		eng, err := c.params.engine(c.dataDir)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		s.Rules = eng
	}
	return s, func() { db.Close() }, nil
}

func (c *config) context(ctx context.Context) context.Context {
	return rescreen.WithActor(ctx, c.actor)
}

func cmdVersion(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintln(e.stderr, "usage: rescreen version\n\nPrints the version of this program.") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "rescreen", buildVersion())
	return nil
}

func cmdAudit(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "log" {
		return cmdAuditLog(ctx, e, args[1:])
	}
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "usage: rescreen audit verify [--head HASH] | rescreen audit head | rescreen audit log --family ID")
			return nil
		}
		fmt.Fprintln(e.stderr, "usage: rescreen audit verify [--head HASH] | rescreen audit head | rescreen audit log --family ID")
		return &exitError{2, errors.New("audit: say verify, head or log")}
	}
	sub := args[0]
	fs, cfg := newFlags(e, "audit "+sub, "audit "+sub+" [flags]")
	head := ""
	asJSON := false
	if sub == "verify" {
		fs.StringVar(&head, "head", "", "a head hash kept elsewhere; the chain must contain it (detects cut-off events)")
		fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	if sub == "head" {
		seq, hash, err := s.AuditHead(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %d\n", hash, seq)
		return nil
	}
	rep, err := s.VerifyAudit(ctx, head)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else if rep.OK() {
		fmt.Fprintf(e.stdout, "audit chain OK: %d events, head %s (seq %d)\n", rep.Events, rep.Head, rep.HeadSeq)
	} else {
		fmt.Fprintf(e.stdout, "audit chain BROKEN at event %d: %s\n%d events verified before it\n", rep.Problem.Seq, rep.Problem.Reason, rep.Events)
	}
	if !rep.OK() {
		return &exitError{3, fmt.Errorf("audit chain broken at event %d", rep.Problem.Seq)}
	}
	return nil
}
