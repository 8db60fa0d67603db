package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"rescreen"
	"rescreen/app"
)

func cmdReport(ctx context.Context, e env, args []string) error {
	usage := "usage: rescreen report status [flags]"
	if len(args) == 0 || args[0] != "status" {
		fmt.Fprintln(e.stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return nil
		}
		return &exitError{2, errors.New("report: say status")}
	}
	fs, cfg := newFlags(e, "report status", "report status [flags]\n\nMakes the court status report: every family of the store evaluated as of the date and counted\nby the fixed definitions of docs/report-definitions.md. With --out it writes\nstatus-report-DATE.json, .csv and .pdf (.es.pdf with --lang es) into the directory and prints\neach file's SHA-256; without it, it prints one form to standard output. The report names its\nsnapshot (the audit chain's head), so the same store, date and rule set give the same bytes.")
	asOf := fs.String("as-of", "", "count as of this date, from 1900-01-01 to today (default: today)")
	out := fs.String("out", "", "write the report's files into this directory")
	format := fs.String("format", "csv", "the form printed without --out: csv, json or pdf")
	lang := fs.String("lang", "en", "the language of the PDF: en or es")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	// Today is the service's (app.New's clock, in UTC), as on the pages,
	// and a date no report is made as of is refused as the pages refuse
	// it, before the store is opened.
	today := rescreen.DateOf(time.Now().UTC())
	date := today
	if *asOf != "" {
		var err error
		if date, err = parseAsOf(*asOf); err != nil {
			return err
		}
	}
	if err := app.CheckReportDate(date, today); err != nil {
		return &exitError{2, fmt.Errorf("--as-of: %s", rescreen.ErrorMessage(err))}
	}
	pdf := rescreen.ReportPDF
	switch *lang {
	case "en":
	case "es":
		pdf = rescreen.ReportPDFSpanish
	default:
		return &exitError{2, fmt.Errorf("report status: unknown language %q for --lang (en or es)", *lang)}
	}
	var printed rescreen.ReportFormat
	if *out == "" {
		switch *format {
		case "csv", "json":
			printed = rescreen.ReportFormat(*format)
		case "pdf":
			printed = pdf
		default:
			return &exitError{2, fmt.Errorf("report status: unknown format %q (csv, json or pdf)", *format)}
		}
	}
	eng, err := (&paramsFlags{}).engine(cfg.dataDir)
	if err != nil {
		return err
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	rep, err := s.StatusReport(ctx, eng, date, runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	if *out == "" {
		return rep.WriteFormat(e.stdout, printed)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, f := range []rescreen.ReportFormat{rescreen.ReportJSON, rescreen.ReportCSV, pdf} {
		name := filepath.Join(*out, f.FileName(date))
		if err := writeReportFile(name, func(w *os.File) error { return rep.WriteFormat(w, f) }); err != nil {
			return err
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(e.stdout, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	fmt.Fprintf(e.stdout, "as of %s; snapshot: audit event %d, %s\n", date, rep.Snapshot.AuditSeq, rep.Snapshot.AuditHash)
	return nil
}

// writeReportFile writes a file whole or not at all: into a temporary file
// beside it, synced, then renamed over the name.
func writeReportFile(name string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
