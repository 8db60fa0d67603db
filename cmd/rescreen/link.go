package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"rescreen/exchange"
	"rescreen/linkage"
)

const linkUsage = `link [flags] FILE [FILE...]

Finds the records of the same person: in one CSV file (dedupe) or across
several (link; only pairs of records from different files are compared,
unless --dedupe). The model is trained on the files themselves, without
labels. It writes the scored pairs (left_id, right_id, match_probability,
match_weight, linked, pair_weight, decision, and each field's level and
weight) and the clusters (one row per record with its cluster).

The clustering is collective: a pair joins two persons only if their
records agree as a whole and include no two relatives of one family group
(see @family below). match_weight is then the clustering's: decision
"chain" marks a pair linked through other records (its weight that of the
weakest link), "apart-family" and "apart-mean" a pair kept apart although
its own comparison (pair_weight) passed the threshold. --pairwise clusters
by connected components of the pairs' own weights instead.

Columns are mapped to kinds with --mapping, as column=kind[:layout] entries
separated by commas, or @FILE for a file of them (one per line):

  rec_id=id,given_name=given,surname=surname,date_of_birth=date:YYYYMMDD,soc_sec_id=identifier,postcode=place

Kinds: id, given, surname, fullname, date (layout of YYYY YY MM M MMM DD D,
or a Go layout such as 2006-01-02), identifier, anumber, place, text,
ignore. An entry may end in @scope when the column describes not the
record's own person: @family for a value shared by the persons met
together (an apprehension event id, a family unit id, the event's date and
place), @parent for a parent the record names (a fullname, and the text of
its relationship after it), @event for the record's own event (a booking's
facility and date). Give one --mapping for all files or one per file, in order. Without
one, common column names (given_name, first_name, surname, last_name, name,
dob, date_of_birth, soc_sec_id, ssn, a_number, postcode, zip, city, address,
email, id, rec_id...) are recognised, date layouts are detected, other
columns are ignored, and the mapping used is printed.

--explain ID1 ID2 (or ID1,ID2) prints why two records scored as they did,
field by field, instead of writing files; an id may be written FILE:ID.
--save-model keeps the trained model, and --model scores new files of the
same columns with it instead of training again.`

func cmdLink(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var mappings multiFlag
	fs.Var(&mappings, "mapping", "column mapping: col=kind[:layout],... or @FILE; once for all files or once per file")
	pairsOut := fs.String("pairs", "pairs.csv", `file for the scored pairs ("-": standard output)`)
	clustersOut := fs.String("clusters", "clusters.csv", `file for the clusters ("-": standard output, "none": not written)`)
	threshold := fs.Float64("threshold", 0.5, "match probability at or above which two records are linked")
	minProb := fs.Float64("min-probability", 0, "least match probability of the pairs written (default: the threshold)")
	oneToOne := fs.Bool("one-to-one", false, "link each record to at most one record of each other file (greedy by probability)")
	dedupe := fs.Bool("dedupe", false, "with several files, also compare records within each file")
	pairwise := fs.Bool("pairwise", false, "cluster by connected components of the pairs' own weights, not collectively")
	parentOut := fs.String("parent-child", "", `also find parents and children among the persons and write their pairs of records to this file ("-": standard output)`)
	explain := fs.String("explain", "", "ID1 ID2 or ID1,ID2: explain the score of two records and write nothing")
	maxBlock := fs.Int("max-block", 500, "largest block of records compared; larger blocks are skipped and counted")
	maxPairs := fs.Int64("max-pairs", 0, "comparison budget (default: 2,000,000 or 50 per record, whichever is more)")
	encoding := fs.String("encoding", "utf-8", "encoding of the files: utf-8 or windows-1252")
	delimiter := fs.String("delimiter", ",", "field separator of the files (one character; \\t for a tab)")
	seed := fs.Uint64("seed", 1, "seed of the random sampling in training")
	modelIn := fs.String("model", "", "score with this saved model (JSON, from --save-model) instead of training one")
	modelOut := fs.String("save-model", "", "write the trained model to this file (JSON)")
	verbose := fs.Bool("v", false, "print the trained model and the blocking rules' counts")
	quiet := fs.Bool("q", false, "print nothing but errors")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: rescreen %s\n\nflags:\n", linkUsage)
		fs.PrintDefaults()
	}
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	var explainIDs []string
	if *explain != "" {
		explainIDs = strings.FieldsFunc(*explain, func(r rune) bool { return r == ',' || r == ' ' })
		if len(explainIDs) == 1 && len(files) > 0 {
			explainIDs = append(explainIDs, files[0])
			files = files[1:]
		}
		if len(explainIDs) != 2 {
			return &exitError{2, errors.New("link: --explain takes two record ids: --explain ID1 ID2")}
		}
	}
	if len(files) == 0 {
		fs.Usage()
		return &exitError{2, errors.New("link: name at least one CSV file")}
	}
	if len(mappings) > 1 && len(mappings) != len(files) {
		return &exitError{2, fmt.Errorf("link: %d mappings for %d files: give one for all files or one per file", len(mappings), len(files))}
	}
	comma, err := parseDelimiter(*delimiter)
	if err != nil {
		return &exitError{2, err}
	}
	if *threshold <= 0 || *threshold >= 1 {
		return &exitError{2, fmt.Errorf("link: --threshold %g: want a probability between 0 and 1", *threshold)}
	}
	if *minProb < 0 || *minProb >= 1 {
		return &exitError{2, fmt.Errorf("link: --min-probability %g: want a probability from 0 to 1", *minProb)}
	}
	say := func(format string, a ...any) {
		if !*quiet {
			fmt.Fprintf(e.stderr, format+"\n", a...)
		}
	}

	var tables []*linkage.Table
	for i, path := range files {
		var m linkage.Mapping
		if len(mappings) > 0 {
			spec := mappings[0]
			if len(mappings) > 1 {
				spec = mappings[i]
			}
			if m, err = readMapping(spec); err != nil {
				return &exitError{2, fmt.Errorf("link: --mapping for %s: %w", path, err)}
			}
		}
		start := time.Now()
		t, err := readTable(path, m, linkage.CSVOptions{Comma: comma, Encoding: *encoding})
		if err != nil {
			return err
		}
		how := "given"
		if m == nil {
			how = "detected"
		}
		say("%s: %d records read in %.2fs; mapping (%s) %s", path, t.Len(), time.Since(start).Seconds(), how, t.Mapping)
		if len(t.Ignored) > 0 {
			say("%s: columns not used: %s", path, strings.Join(t.Ignored, ", "))
		}
		tables = append(tables, t)
	}

	opt := linkage.Options{
		Threshold:   *threshold,
		Keep:        *minProb,
		MaxBlock:    *maxBlock,
		MaxPairs:    *maxPairs,
		OneToOne:    *oneToOne,
		Pairwise:    *pairwise,
		ParentChild: *parentOut != "",
		Dedupe:      *dedupe,
		Train:       linkage.TrainOptions{Seed: *seed},
	}
	if !*quiet {
		opt.Progress = func(s string) { fmt.Fprintln(e.stderr, s) }
	}
	if *modelIn != "" {
		b, err := os.ReadFile(*modelIn)
		if err != nil {
			return err
		}
		opt.Model = &linkage.Model{}
		if err := json.Unmarshal(b, opt.Model); err != nil {
			return fmt.Errorf("%s: not a saved model: %w", *modelIn, err)
		}
	}
	res, err := linkage.Link(tables, opt)
	if err != nil {
		if *modelIn != "" {
			return fmt.Errorf("%s: %w", *modelIn, err)
		}
		return err
	}
	if *modelOut != "" {
		b, err := json.MarshalIndent(res.Model, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*modelOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	for _, w := range res.Data.Warnings {
		say("warning: %s", w)
	}
	if *verbose {
		fmt.Fprint(e.stderr, res.Model.String())
		if res.Train != nil {
			fmt.Fprint(e.stderr, res.Train.String())
		}
		if res.Families != nil {
			fmt.Fprint(e.stderr, res.Families.Model.String())
		}
	}
	if *verbose || !*quiet {
		var dropped int64
		for _, st := range res.Blocking {
			dropped += st.Dropped
			if *verbose {
				state := ""
				if st.Skipped {
					state = " (skipped: over the comparison budget)"
				}
				fmt.Fprintf(e.stderr, "rule %-34s %9d new pairs of %9d, largest block %d, %d blocks over the cap (%d pairs)%s\n",
					st.Rule, st.Pairs, st.Raw, st.Largest, st.Capped, st.Dropped, state)
			}
		}
		if dropped > 0 {
			say("blocks over --max-block %d held %d pairs that were not compared (other rules may have found some)", *maxBlock, dropped)
		}
	}

	if explainIDs != nil {
		a, err := findRecord(res.Data, explainIDs[0], -1)
		if err != nil {
			return err
		}
		b, err := findRecord(res.Data, explainIDs[1], res.Data.Source(a))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s (%s line %d) and %s (%s line %d)\n", res.Data.ID(a), tables[res.Data.Source(a)].Name, res.Data.Line(a),
			res.Data.ID(b), tables[res.Data.Source(b)].Name, res.Data.Line(b))
		fmt.Fprint(e.stdout, res.Explain(a, b).String())
		if res.Families != nil {
			fmt.Fprintln(e.stdout)
			fmt.Fprint(e.stdout, res.Families.Explain(res, a, b).String())
		}
		return nil
	}

	if err := writeOutput(*pairsOut, e.stdout, func(w io.Writer) error { return writePairs(w, res) }); err != nil {
		return err
	}
	clusters := 0
	if *clustersOut != "none" && *clustersOut != "" {
		if err := writeOutput(*clustersOut, e.stdout, func(w io.Writer) error {
			var err error
			clusters, err = writeClusters(w, res)
			return err
		}); err != nil {
			return err
		}
	}
	if res.Families != nil {
		var rows int
		if err := writeOutput(*parentOut, e.stdout, func(w io.Writer) error {
			var err error
			rows, err = writeParentPairs(w, res)
			return err
		}); err != nil {
			return err
		}
		say("%d parent-child pairs of persons, %d pairs of records written to %s", len(res.Families.Pairs), rows, *parentOut)
	}
	linked := 0
	for _, p := range res.Pairs {
		if p.Linked {
			linked++
		}
	}
	say("%d comparisons; %d pairs written to %s, %d linked at %g; %d clusters of two records or more", res.Comparisons, len(res.Pairs), *pairsOut, linked, *threshold, clusters)
	return nil
}

// parseInterleaved parses flags given before, between and after the
// positional arguments, which it returns.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func parseDelimiter(s string) (rune, error) {
	if s == `\t` || s == "tab" {
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || size != len(s) || r == '"' || r == '\r' || r == '\n' {
		return 0, fmt.Errorf("link: --delimiter %q: want one character other than a quote or a newline", s)
	}
	return r, nil
}

// readMapping parses a mapping, or reads it from the file after @.
func readMapping(spec string) (linkage.Mapping, error) {
	if path, ok := strings.CutPrefix(spec, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		spec = string(b)
	}
	return linkage.ParseMapping(spec)
}

func readTable(path string, m linkage.Mapping, opt linkage.CSVOptions) (*linkage.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return linkage.ReadCSV(f, path, m, opt)
}

// findRecord finds the record with an id, written ID or FILE:ID. When the
// id is in several files, it prefers a file other than avoid.
func findRecord(d *linkage.Dataset, id string, avoid int) (int, error) {
	recs := d.Find(id)
	if len(recs) == 0 {
		if file, rid, ok := strings.Cut(id, ":"); ok {
			for _, r := range d.Find(rid) {
				name := d.Tables[d.Source(r)].Name
				if name == file || filepath.Base(name) == file || strconv.Itoa(d.Source(r)+1) == file {
					recs = append(recs, r)
				}
			}
		}
	}
	switch {
	case len(recs) == 0:
		return 0, &exitError{2, fmt.Errorf("link: no record has the id %q", id)}
	case len(recs) == 1:
		return recs[0], nil
	}
	for _, r := range recs {
		if d.Source(r) != avoid {
			return r, nil
		}
	}
	return recs[0], nil
}

// writeOutput writes to a file, or to standard output for "-".
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writePairs writes the scored pairs: ids, probability, weight, whether
// the pair was linked, and each field's level and weight.
func writePairs(w io.Writer, res *linkage.Result) error {
	d := res.Data
	multi := len(d.Tables) > 1
	cw := csv.NewWriter(w)
	head := []string{"left_id", "right_id", "match_probability", "match_weight", "linked", "pair_weight", "decision"}
	if multi {
		head = append(head, "left_file", "right_file")
	}
	for _, f := range d.Fields {
		head = append(head, "level_"+f.Name, "weight_"+f.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, len(head))
	var ws []float64
	for _, p := range res.Pairs {
		a, b := int(p.A), int(p.B)
		row = append(row[:0], exchange.GuardCell(d.ID(a)), exchange.GuardCell(d.ID(b)), strconv.FormatFloat(p.Probability(), 'g', 6, 64),
			strconv.FormatFloat(float64(p.Weight), 'f', 3, 32), strconv.FormatBool(p.Linked),
			strconv.FormatFloat(float64(p.Score), 'f', 3, 32), p.Decision.String())
		if multi {
			row = append(row, exchange.GuardCell(d.Tables[d.Source(a)].Name), exchange.GuardCell(d.Tables[d.Source(b)].Name))
		}
		ws = res.FieldWeights(p, ws)
		for k, f := range d.Fields {
			l := p.Level(k)
			name := "missing"
			if l >= 0 {
				name = f.Levels[l]
			}
			row = append(row, name, strconv.FormatFloat(ws[k], 'f', 3, 64))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeClusters writes one row per record: its cluster (numbered from 1
// in the order of the records), id and file. It returns the number of
// clusters of two records or more.
func writeClusters(w io.Writer, res *linkage.Result) (int, error) {
	d := res.Data
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"cluster_id", "id", "file", "cluster_size"}); err != nil {
		return 0, err
	}
	number := make(map[int32]int)
	size := make(map[int32]int)
	for _, c := range res.Cluster {
		size[c]++
	}
	big := 0
	for r, c := range res.Cluster {
		n, ok := number[c]
		if !ok {
			n = len(number) + 1
			number[c] = n
			if size[c] > 1 {
				big++
			}
		}
		if err := cw.Write([]string{strconv.Itoa(n), exchange.GuardCell(d.ID(r)), exchange.GuardCell(d.Tables[d.Source(r)].Name), strconv.Itoa(size[c])}); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return big, cw.Error()
}

// writeParentPairs writes one row per pair of records of a parent and a
// child: the records' ids and files, the probability and weight of the
// persons' pair, the persons (each named by the id of its first record),
// and each field's level and weight. It returns the number of rows.
func writeParentPairs(w io.Writer, res *linkage.Result) (int, error) {
	d, fs := res.Data, res.Families
	cw := csv.NewWriter(w)
	head := []string{"parent_id", "child_id", "probability", "weight", "parent_person", "child_person", "parent_file", "child_file"}
	for _, f := range fs.FieldNames() {
		head = append(head, "level_"+f, "weight_"+f)
	}
	if err := cw.Write(head); err != nil {
		return 0, err
	}
	rows := 0
	row := make([]string, 0, len(head))
	var ws []float64
	for _, p := range fs.Pairs {
		ws = fs.FieldWeights(p, ws)
		prob, weight := strconv.FormatFloat(p.Probability(), 'g', 6, 64), strconv.FormatFloat(float64(p.Weight), 'f', 3, 32)
		for _, a := range fs.Members(p.Parent) {
			for _, b := range fs.Members(p.Child) {
				row = append(row[:0], exchange.GuardCell(d.ID(int(a))), exchange.GuardCell(d.ID(int(b))), prob, weight,
					exchange.GuardCell(d.ID(int(p.Parent))), exchange.GuardCell(d.ID(int(p.Child))),
					exchange.GuardCell(d.Tables[d.Source(int(a))].Name), exchange.GuardCell(d.Tables[d.Source(int(b))].Name))
				for k := range ws {
					name := "missing"
					if l := p.Level(k); l >= 0 {
						name = fs.Model.Fields[k].Levels[l]
					}
					row = append(row, name, strconv.FormatFloat(ws[k], 'f', 3, 64))
				}
				if err := cw.Write(row); err != nil {
					return rows, err
				}
				rows++
			}
		}
	}
	cw.Flush()
	return rows, cw.Error()
}
