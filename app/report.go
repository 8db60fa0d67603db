package app

import (
	"context"
	"time"

	"rescreen"
	"rescreen/report"
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
	// A unit is evaluated once per family of it; its families are counted
	// on one tally after the scan, so that its members count once
	// (report.Tally.AddUnit).
	type unitFamily struct {
		d *rescreen.Dataset
		r *rescreen.Determination
	}
	tallies := make([]*report.Tally, workers)
	units := make([][]unitFamily, workers)
	for w := range tallies {
		tallies[w] = report.NewTally(asOf)
	}
	err = s.eachFamilyFacts(ctx, workers, func(w int, _ rescreen.FamilyID, d *rescreen.Dataset) error {
		res := eng.Evaluate(d, asOf)
		if len(d.Families) > 1 {
			units[w] = append(units[w], unitFamily{cloneDataset(d), res})
		} else {
			tallies[w].Add(d, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for w, us := range units {
		for _, u := range us {
			tallies[0].AddUnit(u.d, u.r)
		}
		if w > 0 {
			tallies[0].Merge(tallies[w])
		}
	}
	return tallies[0].Report("Status report", snap, eng.Version()), nil
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
