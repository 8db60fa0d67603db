package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"rescreen"
)

const auditLogUsage = `usage: rescreen audit log --family ID [--limit N] [--before SEQ] [--json]

Prints the family's audit events, newest first: the changes to its records and
the access log (access.view, access.api, access.denied). One event a line:
sequence number, time (UTC), actor, action, subject and the first 12 characters
of the event's hash. With --json, one JSON object a line, with every field of
the event (the records it changed, the full hashes). To read further back, pass
the smallest sequence number printed as --before.

flags:`

// cmdAuditLog prints one family's audit events. It reads the store as the
// process itself, with no principal, so it shows the records every event
// changed: the command line is for whoever holds the database file.
func cmdAuditLog(ctx context.Context, e env, args []string) error {
	fs, cfg := newFlags(e, "audit log", "audit log --family ID [flags]")
	family := fs.String("family", "", "the family's id (required)")
	limit := fs.Int("limit", 200, "at most this many events, 1 to 1000")
	before := fs.Int64("before", 0, "only events with a sequence number below this one (0: from the newest)")
	asJSON := fs.Bool("json", false, "print JSON lines of the full events")
	fs.Usage = func() { fmt.Fprintln(e.stderr, auditLogUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	switch {
	case *family == "":
		fs.Usage()
		return &exitError{2, errors.New("audit log: --family is required")}
	case fs.NArg() > 0:
		return &exitError{2, fmt.Errorf("audit log: unexpected argument %q", fs.Arg(0))}
	case *limit < 1 || *limit > 1000:
		return &exitError{2, fmt.Errorf("audit log: --limit %d: must be between 1 and 1000", *limit)}
	case *before < 0:
		return &exitError{2, fmt.Errorf("audit log: --before %d is negative", *before)}
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	evs, err := s.AuditLog(ctx, rescreen.FamilyID(*family), *before, *limit)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for i := range evs {
			if err := enc.Encode(&evs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := writeAuditLines(e, evs); err != nil {
		return err
	}
	if len(evs) == *limit {
		fmt.Fprintf(e.stderr, "audit log: more events may follow: --before %d\n", evs[len(evs)-1].Seq)
	}
	return nil
}

// writeAuditLines prints the events in aligned columns.
func writeAuditLines(e env, evs []rescreen.AuditEvent) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, ev := range evs {
		subject := ev.Subject
		if subject == "" {
			subject = "-"
		}
		hash := ev.Hash
		if len(hash) > 12 {
			hash = hash[:12]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", ev.Seq, ev.At.UTC().Format(time.RFC3339), printable(ev.Actor), printable(ev.Action), printable(subject), hash)
	}
	return tw.Flush()
}

// printable replaces control characters, so that a stored actor or subject
// can neither break the one-event-a-line output nor send escape sequences
// to the terminal.
func printable(v string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, v)
}
