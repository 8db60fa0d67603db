package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"rescreen"
	"rescreen/exchange"
	"rescreen/rules"
)

// paramsFlags binds the flags that choose the rule set's parameters: a
// parameters file (JSON object of name to value) and single overrides.
type paramsFlags struct {
	file      string
	overrides multiFlag
}

func (p *paramsFlags) bind(fs *flag.FlagSet, e env) {
	fs.StringVar(&p.file, "params", envOr(e, "params", ""), "parameters file: a JSON object of parameter name to value (default: params.json in the data directory, if present)")
	fs.Var(&p.overrides, "param", "NAME=VALUE: set one parameter (may be repeated; see rescreen rules book)")
}

// readParams reads a parameters file.
func readParams(path string) (rules.Params, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var p rules.Params
	if err := dec.Decode(&p); err != nil {
		return nil, rescreen.FieldError{File: path, Msg: "not a parameters file (a JSON object of name to string value): " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	return p, nil
}

// engine builds the rule engine from the parameters file (given, or the
// data directory's params.json if there is one) and the overrides.
func (p *paramsFlags) engine(dataDir string) (*rules.Engine, error) {
	params := rules.Params{}
	file := p.file
	if file == "" && dataDir != "" {
		if _, err := os.Stat(filepath.Join(dataDir, "params.json")); err == nil {
			file = filepath.Join(dataDir, "params.json")
		}
	}
	if file != "" {
		fp, err := readParams(file)
		if err != nil {
			return nil, err
		}
		params = fp
	}
	for _, o := range p.overrides {
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			return nil, &exitError{2, fmt.Errorf("--param %q: write NAME=VALUE", o)}
		}
		params[k] = v
	}
	eng, err := rules.NewEngine(params)
	if err != nil {
		if file != "" {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, err
	}
	return eng, nil
}

func cmdRules(ctx context.Context, e env, args []string) error {
	usage := "usage: rescreen rules eval [flags] FILE... | rescreen rules book [flags] | rescreen rules whatif [flags]"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return &exitError{2, errors.New("rules: say eval, book or whatif")}
	}
	switch args[0] {
	case "eval":
		return cmdRulesEval(ctx, e, args[1:])
	case "book":
		return cmdRulesBook(ctx, e, args[1:])
	case "whatif":
		return cmdRulesWhatIf(ctx, e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(e.stderr, usage)
		return nil
	}
	fmt.Fprintln(e.stderr, usage)
	return &exitError{2, fmt.Errorf("rules: unknown subcommand %q", args[0])}
}

func parseAsOf(s string) (rescreen.Date, error) {
	if s == "" {
		return rescreen.DateOf(time.Now()), nil
	}
	d, err := rescreen.ParseDate(s)
	if err != nil {
		return d, &exitError{2, fmt.Errorf("--as-of: %w", err)}
	}
	return d, nil
}

func cmdRulesEval(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("rules eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var pf paramsFlags
	pf.bind(fs, e)
	asOf := fs.String("as-of", "", "evaluate as of this date, 2018-06-21 (default: today)")
	explain := fs.Bool("explain", false, "print a readable explanation instead of JSON")
	var mappings multiFlag
	fs.Var(&mappings, "mapping", "a CSV column mapping file, as for import")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: rescreen rules eval [flags] FILE|DIR...\n\nEvaluates the families of exchange files (as import reads them) without a store and prints\ntheir determinations as JSON, or as text with --explain.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &exitError{2, errors.New("rules eval: name at least one file")}
	}
	date, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	eng, err := pf.engine("")
	if err != nil {
		return err
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
	d, problems, err := readDataset(inputs)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(e.stderr, p.Error())
		}
		return &exitError{1, fmt.Errorf("rules eval: %d problems in the input; nothing was evaluated", len(problems))}
	}
	var results []*rules.Result
	for _, fam := range rules.SplitFamilies(d) {
		if err := ctx.Err(); err != nil {
			return err
		}
		results = append(results, eng.Evaluate(fam, date))
	}
	if *explain {
		for _, r := range results {
			if err := rules.WriteExplanation(e.stdout, r); err != nil {
				return err
			}
		}
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if results == nil {
		results = []*rules.Result{}
	}
	return enc.Encode(results)
}

// readDataset reads, normalizes and validates every record of the inputs,
// as the first pass of an import does, and checks that references point at
// records of the input.
func readDataset(inputs []exchange.Input) (*rescreen.Dataset, []rescreen.FieldError, error) {
	d := &rescreen.Dataset{}
	var problems []rescreen.FieldError
	keys := map[string]bool{}
	bad := func(fe rescreen.FieldError) error {
		problems = append(problems, fe)
		return nil
	}
	for _, in := range inputs {
		err := in.Read(nil, func(it exchange.Item) error {
			rescreen.Normalize(it.Kind, it.Record)
			probs := rescreen.Validate(it.Kind, it.Record)
			key := string(it.Kind) + "|" + string(it.Record.Header().Key())
			if keys[key] {
				probs = append(probs, rescreen.FieldError{Field: "source_id", Msg: fmt.Sprintf("%s appears twice", it.Record.Header().Key())})
			}
			for _, f := range rescreen.Fields(it.Kind) {
				for _, ref := range f.Refs(it.Record) {
					if !keys[string(f.RefKind)+"|"+string(ref)] {
						probs = append(probs, rescreen.FieldError{Field: f.Name, Msg: fmt.Sprintf("%s is not in the input before this record", ref)})
					}
				}
			}
			for _, p := range probs {
				p.File, p.Line = it.File, it.Line
				problems = append(problems, p)
			}
			if len(probs) == 0 {
				keys[key] = true
				d.Add(it.Record)
			}
			return nil
		}, bad)
		if err != nil {
			return nil, nil, err
		}
	}
	return d, problems, nil
}

func cmdRulesBook(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("rules book", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var pf paramsFlags
	pf.bind(fs, e)
	format := fs.String("format", "markdown", "markdown or html")
	dataDir := fs.String("data-dir", envOr(e, "data-dir", "rescreen-data"), "data directory (for its params.json)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: rescreen rules book [flags]\n\nPrints the rule book: every rule with its text, sources, status and dates, and every\nparameter with the value in force.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	eng, err := pf.engine(*dataDir)
	if err != nil {
		return err
	}
	if *format != "markdown" && *format != "html" {
		return &exitError{2, fmt.Errorf("rules book: unknown format %q (markdown or html)", *format)}
	}
	return eng.WriteBook(e.stdout, *format)
}

func cmdRulesWhatIf(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "rules whatif", "rules whatif [flags]\n\nRe-evaluates every family of the store under two rule sets and reports how many change\noutcome, and which. Rule set A is the deployment's (params.json in the data directory,\nor the first --ruleset); rule set B is the second --ruleset, or A with the --param overrides.")
	var rulesets multiFlag
	fs.Var(&rulesets, "ruleset", "a parameters file; give it twice to compare two files")
	var overrides multiFlag
	fs.Var(&overrides, "param", "NAME=VALUE: a parameter of rule set B (may be repeated)")
	asOf := fs.String("as-of", "", "evaluate as of this date (default: today)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	date, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	if len(rulesets) > 2 {
		return &exitError{2, errors.New("rules whatif: at most two --ruleset files")}
	}
	a := paramsFlags{}
	if len(rulesets) > 0 {
		a.file = rulesets[0]
	}
	b := paramsFlags{file: a.file, overrides: overrides}
	if len(rulesets) == 2 {
		b.file = rulesets[1]
	}
	if len(rulesets) < 2 && len(overrides) == 0 {
		return &exitError{2, errors.New("rules whatif: give a second --ruleset or at least one --param for rule set B")}
	}
	engA, err := a.engine(cfg.dataDir)
	if err != nil {
		return err
	}
	engB, err := b.engine(cfg.dataDir)
	if err != nil {
		return err
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	if os.Getenv("GOGC") == "" {
		// One pass over every family's facts allocates their bytes as it
		// reads them and keeps little: collecting less often takes a tenth
		// off the pass at a million families for twice the memory (340 to
		// 660 MiB; docs/benchmarks.md). GOGC, if set, decides instead.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	start := time.Now()
	rep, err := s.WhatIf(ctx, engA, engB, date, runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(e.stdout, "what-if as of %s: %d families evaluated in %s; %d change outcome\n", date, rep.Families, time.Since(start).Round(time.Millisecond), rep.Changed)
	fmt.Fprintf(e.stdout, "rule set A %s\nrule set B %s\n", rep.VersionA, rep.VersionB)
	var ts []string
	for t := range rep.Transitions {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	for _, t := range ts {
		fmt.Fprintf(e.stdout, "  %6d  %s\n", rep.Transitions[t], t)
	}
	for _, c := range rep.Changes {
		fmt.Fprintf(e.stdout, "%s\t%s -> %s\n", c.FamilyID, c.From, c.To)
	}
	return nil
}
