package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/exchange"
)

// multiFlag collects a flag given several times.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func cmdImport(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "import", "import [flags] FILE|DIR...\n\nImports JSON exchange documents and CSV files (one kind per file, named after the kind,\nsuch as persons.csv, or read through a --mapping). A file with any invalid record imports\nnothing and every problem is printed as file:line: field: what is wrong.")
	var mappings multiFlag
	fs.Var(&mappings, "mapping", "a CSV column mapping file (JSON); may be given once per kind")
	skip := fs.Bool("skip-invalid", false, "import the valid records and write the invalid ones' problems to --rejects")
	rejects := fs.String("rejects", "rejects.txt", "with --skip-invalid: file for the problems of the rejected records")
	link := fs.Bool("link", true, "after the import, look for the same person among the stored person records: pairs scored at or above --link-upper are linked, those at or above --link-lower wait for review")
	lower := fs.Float64("link-lower", rescreen.DefaultLinkThresholds.Lower, "match probability from which a pair waits for review")
	upper := fs.Float64("link-upper", rescreen.DefaultLinkThresholds.Upper, "match probability from which a pair is linked automatically")
	progress := fs.String("progress", envOr(e, "progress", "auto"), "progress display: auto (a bar on a terminal, lines otherwise), bar, lines or none")
	chunk := fs.Int("chunk-records", 5000, "records written per transaction: fewer hold the database's writer for less time, while a server answers others")
	cfg.params = &paramsFlags{}
	cfg.params.bind(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &exitError{2, errors.New("import: name at least one file or directory")}
	}
	if *chunk < 1 {
		return &exitError{2, fmt.Errorf("import: --chunk-records %d: give a number of records of at least 1", *chunk)}
	}
	var maps []*exchange.Mapping
	for _, p := range mappings {
		m, err := exchange.LoadMapping(p)
		if err != nil {
			return err
		}
		maps = append(maps, m)
	}
	inputs, err := exchange.Inputs(fs.Args(), maps)
	if err != nil {
		return err
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	pr := newProgress(e.stderr, *progress, "import")
	start := time.Now()
	opt := app.ImportOptions{SkipInvalid: *skip, Progress: pr.update, ChunkRecords: *chunk}
	if *link {
		opt.Link = &rescreen.LinkThresholds{Lower: *lower, Upper: *upper}
	}
	sum, err := s.Import(cfg.context(ctx), inputs, opt)
	pr.done()
	if sum != nil && len(sum.Problems) > 0 {
		if *skip && err == nil {
			if werr := app.WriteRejects(*rejects, sum.Problems); werr != nil {
				return werr
			}
			fmt.Fprintf(e.stderr, "%d records rejected; their problems are in %s\n", sum.Rejected, *rejects)
		} else {
			for _, p := range sum.Problems {
				fmt.Fprintln(e.stderr, p.Error())
			}
			if sum.Rejected > len(sum.Problems) {
				fmt.Fprintf(e.stderr, "... and more: %d records have problems\n", sum.Rejected)
			}
		}
	}
	if err != nil {
		if rescreen.ErrorCode(err) == rescreen.EINVALID && sum != nil && sum.Rejected > 0 {
			return &exitError{1, fmt.Errorf("import: %d of %d records have problems; nothing was imported", sum.Rejected, sum.Read)}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "imported batch %s in %s: %d records read, %d created, %d updated, %d unchanged, %d rejected\n",
		sum.Batch, time.Since(start).Round(time.Millisecond), sum.Read, sum.Created, sum.Updated, sum.Unchanged, sum.Rejected)
	if l := sum.Links; l != nil {
		fmt.Fprintf(e.stdout, "linkage: %d pairs of person records scored at or above %g: %d linked, %d waiting for review\n", l.Scored, *lower, l.Linked, l.Review)
	}
	return nil
}

func cmdExport(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "export", "export [flags]\n\nWrites every record of the registry in the exchange format, in a canonical order:\nexport, import into an empty store and export again gives identical output.\nWith --as USER it writes what that user may see: only the families in the\nuser's scope, with A-numbers, minors' names and birth dates and interview\nnotes masked or left out as for the user's roles.")
	out := fs.String("out", "-", "output: a .json file, - for standard output, or with --format csv a directory")
	format := fs.String("format", "json", "json or csv")
	as := fs.String("as", "", "write the export as this user may see it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	if *as != "" {
		p, err := s.PrincipalOf(ctx, *as)
		if err != nil {
			return err
		}
		ctx = access.NewContext(ctx, p)
	}
	switch *format {
	case "csv":
		if *out == "-" {
			return &exitError{2, errors.New("export: --format csv needs --out DIRECTORY")}
		}
		cw, err := exchange.NewCSVWriter(*out)
		if err != nil {
			return err
		}
		if err := s.Export(ctx, cw); err != nil {
			cw.Close()
			return err
		}
		return cw.Close()
	case "json":
		var w io.Writer = e.stdout
		var f *os.File
		if *out != "-" {
			if f, err = createAtomic(*out); err != nil {
				return err
			}
			w = f
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		jw := exchange.NewJSONWriter(bw)
		if err := s.Export(ctx, jw); err != nil {
			jw.Close()
			return err
		}
		if err := jw.Close(); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if f != nil {
			return commitAtomic(f, *out)
		}
		return nil
	}
	return &exitError{2, fmt.Errorf("export: unknown format %q (json or csv)", *format)}
}

// createAtomic creates a temporary file beside path; commitAtomic renames it
// into place, so that a crash never leaves a half-written output.
func createAtomic(path string) (*os.File, error) {
	return os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
}

func commitAtomic(f *os.File, path string) error {
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// progress shows how far a long command has come: a redrawn bar on a
// terminal, plain lines every 10% otherwise.
type progress struct {
	w       io.Writer
	mode    string
	label   string
	start   time.Time
	last    time.Time
	lastPct int
	shown   bool
}

func newProgress(w io.Writer, mode, label string) *progress {
	if mode == "auto" {
		mode = "lines"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				mode = "bar"
			}
		}
	}
	return &progress{w: w, mode: mode, label: label, start: time.Now(), lastPct: -10}
}

func (p *progress) update(done, total int64) {
	if p.mode == "none" || total <= 0 {
		return
	}
	pct := int(done * 100 / total)
	now := time.Now()
	switch p.mode {
	case "bar":
		if now.Sub(p.last) < 100*time.Millisecond && pct != 100 {
			return
		}
		p.last = now
		const width = 30
		n := pct * width / 100
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %s", p.label, strings.Repeat("#", n), strings.Repeat(".", width-n), pct, time.Since(p.start).Round(time.Second))
		p.shown = true
	default:
		if pct/10 == p.lastPct/10 {
			return
		}
		fmt.Fprintf(p.w, "%s: %d%% (%s)\n", p.label, pct/10*10, time.Since(p.start).Round(time.Millisecond))
	}
	p.lastPct = pct
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
