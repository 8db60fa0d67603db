package app

import (
	"context"
	"runtime"
	"sync"
	"time"

	"rescreen"
	"rescreen/report"
	"rescreen/snapshot"
	"rescreen/sqlstore"
)

// StatusReport makes the court status report as of a date: every stored
// family evaluated by the rules as of that date, counted by package
// report's fixed definitions, on every core. It writes nothing.
//
// A family derived as of that date under the same rule set has its
// contribution to the report stored beside its determination
// (report_facts); the report sums those and evaluates only the others
// (families of a unit, families derived on another day, families whose
// records changed since) from their facts, or from their records when
// the facts are missing or stale. When most families lack a contribution
// for the date (a report of a past day), every family is evaluated.
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
	key := sqlstore.ReportFactsKey{AsOf: asOf.String(), RuleVersion: eng.Version(), Definitions: report.DefinitionsVersion}
	t, ok, err := s.reportFromFacts(ctx, eng, asOf, key, workers)
	if err == nil && !ok {
		t, err = s.reportByEvaluation(ctx, eng, asOf, workers)
	}
	if err != nil {
		return nil, err
	}
	rep := t.Report("Status report", snap, eng.Version())
	if err := s.addCourtRows(ctx, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// unitFamily is a family of a unit (one with a link in force to another
// family) evaluated for the report: the unit's families are counted on one
// tally after the scan, so that its members count once
// (report.Tally.AddUnit).
type unitFamily struct {
	d *rescreen.Dataset
	r *rescreen.Determination
}

// addUnits counts the units' families on the first tally and merges the
// others into it.
func addUnits(tallies []*report.Tally, units [][]unitFamily) *report.Tally {
	for w, us := range units {
		for _, u := range us {
			tallies[0].AddUnit(u.d, u.r)
		}
		if w > 0 {
			tallies[0].Merge(tallies[w])
		}
	}
	return tallies[0]
}

// reportByEvaluation evaluates every family as of the date.
func (s *Service) reportByEvaluation(ctx context.Context, eng Evaluator, asOf rescreen.Date, workers int) (*report.Tally, error) {
	inUnit, err := s.DB.UnitFamilies(ctx)
	if err != nil {
		return nil, err
	}
	tallies := make([]*report.Tally, workers)
	units := make([][]unitFamily, workers)
	for w := range tallies {
		tallies[w] = report.NewTally(asOf)
	}
	err = s.eachFamilyFacts(ctx, workers, func(w int, id rescreen.FamilyID, d *rescreen.Dataset) error {
		res := eng.Evaluate(d, asOf)
		if inUnit[id] {
			units[w] = append(units[w], unitFamily{cloneDataset(d), res})
		} else {
			tallies[w].Add(d, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return addUnits(tallies, units), nil
}

// reportFromFacts sums the stored contributions for the date and
// evaluates the families that have none. When fewer than four fifths of
// the families have one, it returns ok false, and the report evaluates
// every family instead.
func (s *Service) reportFromFacts(ctx context.Context, eng Evaluator, asOf rescreen.Date, key sqlstore.ReportFactsKey, workers int) (t *report.Tally, ok bool, err error) {
	tallies := make([]*report.Tally, workers)
	for w := range tallies {
		tallies[w] = report.NewTally(asOf)
	}
	jobs := make(chan [][]byte, 2*workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for bodies := range jobs {
				for _, b := range bodies {
					if err := tallies[w].AddContribution(b); err != nil && errs[w] == nil {
						errs[w] = rescreen.WrapError(rescreen.EINTERNAL, "status report", err, "")
					}
				}
			}
		}()
	}
	evaluate, ok, err := s.DB.EachReportFacts(ctx, key, 512, 0.8, func(bodies [][]byte) error {
		select {
		case jobs <- bodies:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil || !ok {
		return nil, false, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, false, err
		}
	}
	// The families without a contribution, evaluated one by one.
	var inUnit map[rescreen.FamilyID]bool
	if len(evaluate) > 0 {
		if inUnit, err = s.DB.UnitFamilies(ctx); err != nil {
			return nil, false, err
		}
	}
	units := make([][]unitFamily, workers)
	next := make(chan rescreen.FamilyID)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				if errs[w] != nil {
					continue
				}
				d, err := s.familyFacts(ctx, id)
				if err != nil {
					errs[w] = err
					continue
				}
				res := eng.Evaluate(d, asOf)
				if inUnit[id] {
					units[w] = append(units[w], unitFamily{d, res})
				} else {
					tallies[w].Add(d, res)
				}
			}
		}()
	}
	for _, id := range evaluate {
		next <- id
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, false, err
		}
	}
	return addUnits(tallies, units), true, nil
}

// familyFacts reads one family's records as the rules read them: its facts,
// or its records when the facts are missing, of another layout or stale.
func (s *Service) familyFacts(ctx context.Context, id rescreen.FamilyID) (*rescreen.Dataset, error) {
	r, err := s.DB.FamilyFacts(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &rescreen.Dataset{}
	if r.Layout == snapshot.Version() && !r.Stale && snapshot.DecodeString(r.Data, d) == nil {
		return d, nil
	}
	d, _, err = s.recordsAsEvaluated(ctx, id)
	return d, err
}

// recordsAsEvaluated reads the records the derivation evaluates for a
// family, from the records themselves: its own, or, for a family of a unit,
// the unit's as one family (with the same choice of merges the derivation
// makes: unitDerivation), so that a family awaiting derivation is counted
// with its unit, members once. It also returns the family's version.
func (s *Service) recordsAsEvaluated(ctx context.Context, id rescreen.FamilyID) (*rescreen.Dataset, int64, error) {
	fr, recs, err := s.DB.Family(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	u, err := unitOf(ctx, s.DB, id)
	if err != nil {
		return nil, 0, err
	}
	if u.single() {
		d, err := datasetOf(recs)
		return d, fr.Version, err
	}
	by, all, err := unitRecords(ctx, s.DB, u)
	if err != nil {
		return nil, 0, err
	}
	_, d, err := s.unitDerivation(id, fr.Version, u, by, all)
	return d, fr.Version, err
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

// putReportFacts stores the family's contribution to the status report
// as of the day it was evaluated, in the transaction that stores its
// determination; without rules, it removes any it had.
func (s *Service) putReportFacts(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, ev *evaluation) error {
	if ev == nil {
		return tx.DeleteReportFacts(ctx, id)
	}
	return tx.PutReportFacts(ctx, id, sqlstore.ReportFactsKey{AsOf: ev.asOf.String(), RuleVersion: ev.version,
		Definitions: report.DefinitionsVersion}, ev.report)
}

// RefreshReportFacts stores, for every family without one, its
// contribution to the status report as of asOf under the rules in force,
// evaluated from its facts on every core and written a chunk per
// transaction; a family changed meanwhile is left to its own derivation.
// It touches nothing but the report facts, which are derived state: the
// determinations and the decision log follow changes and the rules' own
// schedule, not this. The server runs it at start and when the day
// changes, so that the report as of today sums stored contributions. It
// returns the number of families it stored.
func (s *Service) RefreshReportFacts(ctx context.Context, asOf rescreen.Date) (int, error) {
	if s.Rules == nil {
		return 0, nil
	}
	key := sqlstore.ReportFactsKey{AsOf: asOf.String(), RuleVersion: s.Rules.Version(), Definitions: report.DefinitionsVersion}
	ids, err := s.DB.MissingReportFacts(ctx, key)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	inUnit, err := s.DB.UnitFamilies(ctx)
	if err != nil {
		return 0, err
	}
	type row struct {
		id      rescreen.FamilyID
		version int64
		body    []byte
	}
	workers := runtime.GOMAXPROCS(0)
	stored := 0
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 2000)]
		ids = ids[len(chunk):]
		rows := make([]row, len(chunk))
		errs := make([]error, workers)
		next := make(chan int)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if errs[w] != nil {
						continue
					}
					id := chunk[i]
					f, err := s.DB.FamilyFacts(ctx, id)
					if err != nil {
						errs[w] = err
						continue
					}
					rows[i] = row{id: id, version: f.Version}
					if inUnit[id] {
						continue // a unit's families have no body: the report evaluates the unit
					}
					if f.Stale {
						rows[i].version = -1 // awaiting derivation, which stores its contribution
						continue
					}
					d := &rescreen.Dataset{}
					if f.Layout != snapshot.Version() || snapshot.DecodeString(f.Data, d) != nil {
						// Facts of another layout: the records themselves.
						if d, rows[i].version, err = s.recordsAsEvaluated(ctx, id); err != nil {
							errs[w] = err
							continue
						}
					}
					rows[i].body = report.Contribution(d, s.Rules.Evaluate(d, asOf), asOf)
				}
			}()
		}
		for i := range chunk {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return stored, err
			}
		}
		err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for _, r := range rows {
				if r.version < 0 {
					continue
				}
				ok, err := tx.PutReportFactsIf(ctx, r.id, r.version, key, r.body)
				if err != nil {
					return err
				}
				if ok {
					stored++
				}
			}
			return nil
		})
		if err != nil {
			return stored, err
		}
	}
	return stored, nil
}
