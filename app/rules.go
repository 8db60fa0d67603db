package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"

	"rescreen"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/snapshot"
	"rescreen/sqlstore"
)

// Evaluator applies the settlement's rules to one family's records as of a
// date. *rules.Engine is the one the program uses.
type Evaluator interface {
	Evaluate(d *rescreen.Dataset, asOf rescreen.Date) *rules.Result
	Outcome(d *rescreen.Dataset, asOf rescreen.Date) rules.Outcome
	Version() string
	Values() rules.Params
	Rules() []rescreen.Rule
	ParamDefs() []rescreen.RuleParam
}

// RuleBook returns the rule set in force. A service without rules has an
// empty book under the version "none".
func (s *Service) RuleBook(ctx context.Context) (*rescreen.RuleBook, error) {
	if s.Rules == nil {
		return &rescreen.RuleBook{Version: "none", Rules: []rescreen.Rule{}, Params: []rescreen.RuleParam{}, Values: map[string]string{}}, nil
	}
	return &rescreen.RuleBook{Version: s.Rules.Version(), Rules: s.Rules.Rules(), Params: s.Rules.ParamDefs(), Values: s.Rules.Values()}, nil
}

// compactRules is an Evaluator that also gives its results in the rules'
// compact form and reads them back; *rules.Engine is one. Its results are
// stored in that form, about a fifth of the JSON's size; another
// Evaluator's are stored as JSON.
type compactRules interface {
	EvaluateCompact(d *rescreen.Dataset, asOf rescreen.Date) *rules.Compact
	DecodeCompact(b []byte) (*rules.Compact, error)
}

// evaluation is a family's result under the rules, encoded and ready to
// store: computing it needs no transaction, so bulk derivation can compute
// on every core while one writer stores.
type evaluation struct {
	version string
	asOf    rescreen.Date
	outcome rescreen.Outcome
	format  string // "compact" or "json"
	result  []byte // the result without its as-of date
	hash    string // SHA-256 of result
	summary []byte // the decision log's summary
	inputs  string // SHA-256 of the records evaluated
	// data are the records evaluated (the unit's, for a family of a
	// unit), which the scheduling queue projects (putQueue).
	data *rescreen.Dataset
	// report is the family's contribution to the status report as of
	// asOf (report.Contribution); nil for a family of a unit, which the
	// report evaluates with its unit.
	report []byte
	// persons are the members' part of the result, expanded once where
	// the evaluation is computed (on every core in bulk derivation), for
	// the projections the writer stores (putWork).
	persons []rescreen.PersonDetermination
}

// compute evaluates the family's records as of today and encodes the
// result. It returns nil when the service has no rules.
func (s *Service) compute(id rescreen.FamilyID, rows []sqlstore.RecordRow, d *rescreen.Dataset) (*evaluation, error) {
	if s.Rules == nil {
		return nil, nil
	}
	today := rescreen.DateOf(s.Now().UTC())
	// The stored result leaves out its as-of date, which has its own
	// column: then its hash identifies it by content, and evaluating
	// unchanged facts on a later day logs nothing unless something in the
	// result (a deadline's status, a rule set coming into force) changed.
	// One encoding serves both the hash and the row.
	ev := &evaluation{asOf: today, inputs: inputsHash(rows), data: d}
	var sum decisionSummary
	if cr, ok := s.Rules.(compactRules); ok {
		c := cr.EvaluateCompact(d, today)
		det := c.Expand()
		ev.report, ev.persons = report.Contribution(d, det, today), det.Persons
		c.SetAsOf(rescreen.Date{})
		result, err := c.AppendBinary(nil)
		if err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "evaluate", err, "")
		}
		ev.version, ev.outcome, ev.format, ev.result = c.Version(), c.Outcome(), "compact", result
		sum = decisionSummary{Outcome: c.Outcome(), Missing: c.MissingCount()}
		for _, m := range c.Members() {
			sum.Members = append(sum.Members, memberSummary{Person: m.Person, State: m.State, Held: m.Held, HoldRule: m.HoldRule})
		}
	} else {
		res := s.Rules.Evaluate(d, today)
		ev.report, ev.persons = report.Contribution(d, res, today), res.Persons
		res.FamilyID = string(id)
		res.AsOf = rescreen.Date{}
		result, err := json.Marshal(res)
		if err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "evaluate", err, "")
		}
		ev.version, ev.outcome, ev.format, ev.result = res.Version, res.Outcome, "json", result
		sum = summarize(res)
	}
	h := sha256.Sum256(ev.result)
	ev.hash = hex.EncodeToString(h[:])
	sum.ResultHash = ev.hash
	var err error
	if ev.summary, err = json.Marshal(sum); err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "evaluate", err, "")
	}
	return ev, nil
}

// determination expands a stored result. A result in the compact form
// made under another rule-set version than the one in force (the server
// re-derives those at start, so this is rare) cannot be expanded; the
// family's records are then evaluated as of today instead, and the result
// says so by its version and date.
func (s *Service) determination(id rescreen.FamilyID, det sqlstore.DeterminationRow, records func() (*rescreen.Dataset, error)) (*rescreen.Determination, error) {
	asOf, err := rescreen.ParseDate(det.AsOf)
	if err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "determination", err, "")
	}
	if det.Format != "compact" {
		out := &rescreen.Determination{}
		if err := json.Unmarshal(det.Result, out); err != nil {
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "determination", err, "")
		}
		out.AsOf = asOf
		return out, nil
	}
	if cr, ok := s.Rules.(compactRules); ok {
		c, err := cr.DecodeCompact(det.Result)
		switch {
		case err == nil:
			c.SetAsOf(asOf)
			out := c.Expand()
			out.FamilyID = string(id)
			return out, nil
		case !errors.Is(err, rules.ErrStale):
			return nil, rescreen.WrapError(rescreen.EINTERNAL, "determination", err, "")
		}
	}
	if s.Rules == nil {
		return nil, nil
	}
	d, err := records()
	if err != nil {
		return nil, err
	}
	out := s.Rules.Evaluate(d, rescreen.DateOf(s.Now().UTC()))
	out.FamilyID = string(id)
	return out, nil
}

// store keeps an evaluation when it differs from the family's stored one:
// the new determination and a decision-log entry, inside the caller's
// transaction, so that the change that caused the evaluation and its
// decision commit together or not at all (V-2, H-6).
func (s *Service) store(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, ev *evaluation, cause string) error {
	if ev == nil {
		return nil
	}
	prev, found, err := tx.Determination(ctx, id)
	if err != nil {
		return err
	}
	if found && prev.ResultHash == ev.hash && prev.Version == ev.version {
		return nil
	}
	now := s.Now().UTC()
	// Inside the transaction, every time: a version remembered outside it
	// could outlive a rolled-back insert and leave decisions pointing at
	// nothing.
	params, _ := json.Marshal(s.Rules.Values())
	if err := tx.PutRuleVersion(ctx, ev.version, params, now); err != nil {
		return err
	}
	seq, err := tx.AuditHeadSeq(ctx)
	if err != nil {
		return err
	}
	asOf := ev.asOf.String()
	if err := tx.PutDetermination(ctx, sqlstore.DeterminationRow{FamilyID: id, Version: ev.version, AsOf: asOf,
		Outcome: string(ev.outcome), ResultHash: ev.hash, Format: ev.format, Result: ev.result}); err != nil {
		return err
	}
	return tx.AppendDecision(ctx, sqlstore.DecisionRow{FamilyID: id, At: now, Actor: rescreen.ActorFrom(ctx), Cause: cause,
		Version: ev.version, AsOf: asOf, AuditSeq: seq, InputsHash: ev.inputs, Outcome: string(ev.outcome),
		Previous: prev.Outcome, Result: ev.summary})
}

// decisionSummary is what the decision log keeps of a result: the outcome,
// each member's state and hold, and the hash of the full result. The full
// result, with its explanation of every criterion (tens of kilobytes), is
// kept for the current determination only; the engine is deterministic, so
// an earlier one is evaluated again from the rule-set version and the
// inputs, and its hash checked against the one logged here.
type decisionSummary struct {
	Outcome    rescreen.Outcome `json:"outcome"`
	ResultHash string           `json:"result_hash"`
	Missing    int              `json:"missing,omitempty"`
	Members    []memberSummary  `json:"members"`
}

type memberSummary struct {
	Person   rescreen.Ref         `json:"person"`
	State    rescreen.MemberState `json:"state"`
	Held     bool                 `json:"held"`
	HoldRule string               `json:"hold_rule,omitempty"`
}

func summarize(r *rules.Result) decisionSummary {
	s := decisionSummary{Outcome: r.Outcome, Missing: len(r.Missing), Members: make([]memberSummary, len(r.Persons))}
	for i, p := range r.Persons {
		s.Members[i] = memberSummary{Person: p.Person, State: p.State, Held: p.Hold.Held, HoldRule: p.Hold.Rule}
	}
	return s
}

// inputsHash is the SHA-256 of the family's records as evaluated: each
// record's kind and canonical JSON, in key order.
func inputsHash(rows []sqlstore.RecordRow) string {
	sorted := append([]sqlstore.RecordRow(nil), rows...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Kind != sorted[j].Kind {
			return sorted[i].Kind < sorted[j].Kind
		}
		if sorted[i].Source != sorted[j].Source {
			return sorted[i].Source < sorted[j].Source
		}
		return sorted[i].SourceID < sorted[j].SourceID
	})
	h := sha256.New()
	for _, r := range sorted {
		h.Write([]byte(r.Kind))
		h.Write([]byte{0})
		h.Write(r.Data)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Decisions returns the family's decision log, oldest first.
func (s *Service) Decisions(ctx context.Context, id rescreen.FamilyID) ([]rescreen.Decision, error) {
	rows, err := s.DB.Decisions(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		if _, _, err := s.DB.Family(ctx, id); err != nil {
			return nil, err
		}
	}
	out := make([]rescreen.Decision, len(rows))
	for i, r := range rows {
		out[i] = rescreen.Decision{At: r.At, Actor: r.Actor, Cause: r.Cause, Version: r.Version, AsOf: r.AsOf,
			AuditSeq: r.AuditSeq, InputsHash: r.InputsHash, Outcome: rescreen.Outcome(r.Outcome), Previous: rescreen.Outcome(r.Previous)}
	}
	return out, nil
}

// WhatIfChange is one family whose outcome differs between two rule sets.
type WhatIfChange struct {
	FamilyID rescreen.FamilyID `json:"family_id"`
	From     rules.Outcome     `json:"from"`
	To       rules.Outcome     `json:"to"`
}

// WhatIfReport compares the outcomes of the whole stored class under two
// rule sets.
type WhatIfReport struct {
	AsOf        rescreen.Date  `json:"as_of"`
	VersionA    string         `json:"version_a"`
	VersionB    string         `json:"version_b"`
	Families    int            `json:"families"`
	Changed     int            `json:"changed"`
	Transitions map[string]int `json:"transitions"` // "FROM -> TO": families
	OutcomesA   map[string]int `json:"outcomes_a"`
	OutcomesB   map[string]int `json:"outcomes_b"`
	Changes     []WhatIfChange `json:"changes"`
}

// WhatIf re-evaluates every stored family under rule sets a and b as of
// the date and reports how many change outcome, and which. It reads each
// family's facts (see eachFamilyFacts), evaluates on every core, and
// writes nothing.
func (s *Service) WhatIf(ctx context.Context, a, b Evaluator, asOf rescreen.Date, workers int) (*WhatIfReport, error) {
	workers = max(workers, 1)
	rep := &WhatIfReport{AsOf: asOf, VersionA: a.Version(), VersionB: b.Version(),
		Transitions: map[string]int{}, OutcomesA: map[string]int{}, OutcomesB: map[string]int{}}
	type verdict struct {
		id   rescreen.FamilyID
		a, b rules.Outcome
	}
	verdicts := make([][]verdict, workers)
	err := s.eachFamilyFacts(ctx, workers, func(w int, id rescreen.FamilyID, d *rescreen.Dataset) error {
		verdicts[w] = append(verdicts[w], verdict{id: id, a: a.Outcome(d, asOf), b: b.Outcome(d, asOf)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, vs := range verdicts {
		for _, v := range vs {
			rep.Families++
			rep.OutcomesA[string(v.a)]++
			rep.OutcomesB[string(v.b)]++
			if v.a != v.b {
				rep.Changed++
				rep.Transitions[string(v.a)+" -> "+string(v.b)]++
				rep.Changes = append(rep.Changes, WhatIfChange{FamilyID: v.id, From: v.a, To: v.b})
			}
		}
	}
	sort.Slice(rep.Changes, func(i, j int) bool { return rep.Changes[i].FamilyID < rep.Changes[j].FamilyID })
	return rep, nil
}

// eachFamilyFacts calls fn for every stored family, on workers
// goroutines (fn's first argument says which, so each may keep its own
// state), with the family's records as the rules read them: its facts in
// their compact form, or the records themselves when the facts are
// missing, of another layout or older than the family's last change (the
// unit's records, for a family of a unit: recordsAsEvaluated). The
// dataset is reused once fn returns. It stops at the first error.
func (s *Service) eachFamilyFacts(ctx context.Context, workers int, fn func(w int, id rescreen.FamilyID, d *rescreen.Dataset) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan []sqlstore.FactsRow, 2*workers)
	errs := make(chan error, workers)
	layout := snapshot.Version()
	for w := range workers {
		go func() {
			var d rescreen.Dataset
			var err error
			for rows := range jobs {
				for _, r := range rows {
					if err != nil {
						break // drain the queue so the scan is not left waiting
					}
					fd := &d
					if r.Layout != layout || r.Stale || snapshot.DecodeString(r.Data, fd) != nil {
						if fd, _, err = s.recordsAsEvaluated(ctx, r.FamilyID); err != nil {
							cancel()
							break
						}
					}
					if err = fn(w, r.FamilyID, fd); err != nil {
						cancel()
					}
				}
			}
			errs <- err
		}()
	}
	scanErr := s.DB.EachFacts(ctx, 256, func(rows []sqlstore.FactsRow) error {
		select {
		case jobs <- rows:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	var firstErr error
	for range workers {
		if err := <-errs; err != nil && firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return firstErr
	}
	return scanErr
}
