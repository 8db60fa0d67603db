package app

import (
	"context"
	"encoding/json"
	"fmt"

	"rescreen"
	"rescreen/sqlstore"
)

// outcomeValues are the family outcomes in the order the dashboard shows
// them: the open ones first, the final ones last.
var outcomeValues = []rescreen.Outcome{
	rescreen.OutcomePending, rescreen.OutcomeNeedsInfo, rescreen.OutcomeManualReview,
	rescreen.OutcomeStays, rescreen.OutcomeRemovalMay, rescreen.OutcomeNotCovered,
}

// Stats returns the registry's counts as of today (the service's clock),
// for the dashboard.
//
// Overdue work is counted from the deadlines of each family's current
// determination, as the rules computed them on the day the family was last
// evaluated: a deadline that was MISSED then, or OPEN with a due date that
// has passed since, is overdue today. The rules are not run again for the
// count (a family is evaluated again when its records change, and the
// server re-derives every family when the rule set changes), so a deadline
// met by an act not yet on record still counts as overdue: which is the
// point of showing it. The determination itself is kept in the rules'
// binary form, which SQL cannot read and which would cost an expansion per
// family per view, so the transaction that stores it also projects the
// holds and the open and missed deadlines into tables of their own
// (migration 0008) and keeps counters of them (0009), which the dashboard
// reads as a few rows; the other counts are one pass each over a covering
// index (34 ms in all on 100,000 families, BenchmarkStats).
func (s *Service) Stats(ctx context.Context) (rescreen.Stats, error) {
	today := rescreen.DateOf(s.Now().UTC())
	// Under five on today: born after the day five years before, compared
	// as text so that 29 February needs no special case (AgeOn agrees).
	bornAfter := fmt.Sprintf("%04d-%02d-%02d", today.Year-5, today.Month, today.Day)
	row, err := s.DB.Stats(ctx, sqlstore.StatsQuery{Today: today.String(), BornAfter: bornAfter})
	if err != nil {
		return rescreen.Stats{}, err
	}
	st := rescreen.Stats{
		AsOf: today, Families: row.Families, Persons: row.Persons, Countries: row.Countries,
		HeldFamilies: row.HeldFamilies, HeldMembers: row.HeldMembers, UnderFive: row.UnderFive,
		Overdue: row.Overdue, OverdueFamilies: row.OverdueFamilies, OverdueByClock: row.OverdueByClock,
	}
	for _, v := range rescreen.Stage("").Values() {
		st.Stages = append(st.Stages, rescreen.Count{Value: v, N: row.Stages[v]})
		delete(row.Stages, v)
	}
	evaluated := 0
	for _, v := range outcomeValues {
		st.Outcomes = append(st.Outcomes, rescreen.Count{Value: string(v), N: row.Outcomes[string(v)]})
		evaluated += row.Outcomes[string(v)]
		delete(row.Outcomes, string(v))
	}
	// A value the code does not know (a stage or outcome of a newer
	// release, read by an older one) is still counted, after the others.
	for v, n := range row.Stages {
		st.Stages = append(st.Stages, rescreen.Count{Value: v, N: n})
	}
	for v, n := range row.Outcomes {
		st.Outcomes = append(st.Outcomes, rescreen.Count{Value: v, N: n})
		evaluated += n
	}
	st.NotEvaluated = max(0, st.Families-evaluated)
	if st.Countries == nil {
		st.Countries = []rescreen.CountryCount{}
	}
	if st.OverdueByClock == nil {
		st.OverdueByClock = []rescreen.OverdueCount{}
	}
	return st, nil
}

// putWork projects the removal holds in force and the open and missed
// deadlines of a family's evaluation into the tables the dashboard counts,
// inside the transaction that stores the evaluation. A service without
// rules stores none.
func (s *Service) putWork(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, ev *evaluation) error {
	if ev == nil {
		return nil
	}
	persons, err := s.evaluatedPersons(ev)
	if err != nil {
		return err
	}
	var holds []string
	var dls []sqlstore.DeadlineRow
	for i := range persons {
		p := &persons[i]
		if p.Hold.Held {
			holds = append(holds, string(p.Person))
		}
		for _, d := range p.Deadlines {
			switch {
			case d.Status == "MISSED":
			case d.Status == "OPEN" && !d.Due.IsZero():
			default:
				continue
			}
			dls = append(dls, sqlstore.DeadlineRow{Person: string(p.Person), Clock: d.ID, Title: d.Title, Due: d.Due.String(), Status: d.Status})
		}
	}
	if err := s.putQueue(ctx, tx, id, ev, persons); err != nil { // the scheduling queue (schedule.go)
		return err
	}
	return tx.PutWork(ctx, id, holds, dls)
}

// evaluatedPersons reads each member's part of an encoded evaluation.
func (s *Service) evaluatedPersons(ev *evaluation) ([]rescreen.PersonDetermination, error) {
	if ev.persons != nil {
		return ev.persons, nil
	}
	if ev.format == "compact" {
		cr, ok := s.Rules.(compactRules)
		if !ok {
			return nil, rescreen.Errorf(rescreen.EINTERNAL, "a compact result without compact rules")
		}
		c, err := cr.DecodeCompact(ev.result)
		if err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "work", err, "")
		}
		return c.Expand().Persons, nil
	}
	var res struct {
		Persons []rescreen.PersonDetermination `json:"persons"`
	}
	if err := json.Unmarshal(ev.result, &res); err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "work", err, "")
	}
	return res.Persons, nil
}
