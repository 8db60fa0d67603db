package app

import (
	"context"
	"time"

	"rescreen"
	"rescreen/report"
	"rescreen/snapshot"
	"rescreen/sqlstore"
)

// StatusReport makes the court status report as of a date: every stored
// family evaluated by the rules as of that date from its facts (the
// records themselves when the facts are missing or stale), counted by
// package report's fixed definitions, on every core. It writes nothing.
//
// The report names its snapshot: the audit chain's head when the report
// began. The families are read after it, so a change committed while the
// report runs may be in it; a report for the court is made on a store no
// one is changing (a copy, or out of hours), and then the same date and
// snapshot give the same report, byte for byte.
func (s *Service) StatusReport(ctx context.Context, eng Evaluator, asOf rescreen.Date, workers int) (*report.Report, error) {
	if eng == nil {
		return nil, rescreen.Errorf(rescreen.EINVALID, "status report: no rules are configured")
	}
	if workers < 1 {
		workers = 1
	}
	seq, hash, at, err := s.DB.AuditHeadAt(ctx)
	if err != nil {
		return nil, err
	}
	snap := report.Snapshot{AuditSeq: seq, AuditHash: hash}
	if at != "" {
		if snap.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "status report", err, "")
		}
		snap.At = snap.At.UTC()
	}
	// A unit's families are counted on the collector's tally, one at a
	// time, so that its members are counted once (report.Tally.AddUnit).
	type unitFamily struct {
		d *rescreen.Dataset
		r *rescreen.Determination
	}
	type batch struct {
		units []unitFamily
		err   error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan []sqlstore.FactsRow, 2*workers)
	out := make(chan batch, 2*workers)
	tallies := make([]*report.Tally, workers)
	done := make(chan struct{})
	layout := snapshot.Version()
	for w := range workers {
		tallies[w] = report.NewTally(asOf)
		go func(t *report.Tally) {
			defer func() { done <- struct{}{} }()
			var d rescreen.Dataset
			for rows := range jobs {
				var b batch
				for _, r := range rows {
					fd := &d
					if r.Layout != layout || r.Stale || snapshot.DecodeString(r.Data, fd) != nil {
						var recs []sqlstore.RecordRow
						if _, recs, b.err = s.DB.Family(ctx, r.FamilyID); b.err == nil {
							fd, b.err = datasetOf(recs)
						}
						if b.err != nil {
							break
						}
					}
					res := eng.Evaluate(fd, asOf)
					if len(fd.Families) > 1 {
						b.units = append(b.units, unitFamily{cloneDataset(fd), res})
						continue
					}
					t.Add(fd, res)
				}
				out <- b
			}
		}(tallies[w])
	}
	go func() {
		for range workers {
			<-done
		}
		close(out)
	}()
	var scanErr error
	go func() {
		defer close(jobs)
		scanErr = s.DB.EachFacts(ctx, 256, func(rows []sqlstore.FactsRow) error {
			select {
			case jobs <- rows:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	units := report.NewTally(asOf)
	var firstErr error
	for b := range out {
		if b.err != nil {
			if firstErr == nil {
				firstErr = b.err
				cancel()
			}
			continue
		}
		for _, u := range b.units {
			units.AddUnit(u.d, u.r)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if scanErr != nil {
		return nil, scanErr
	}
	for _, t := range tallies {
		units.Merge(t)
	}
	return units.Report("Status report", snap, eng.Version()), nil
}

// cloneDataset copies a dataset whose slices a worker reuses (the
// records themselves are never written again, so they are shared).
func cloneDataset(d *rescreen.Dataset) *rescreen.Dataset {
	c := &rescreen.Dataset{}
	_ = d.EachRecord(func(_ rescreen.Kind, r rescreen.Record) error {
		c.Add(r)
		return nil
	})
	return c
}
