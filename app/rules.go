package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"

	"rescreen"
	"rescreen/rules"
	"rescreen/sqlstore"
)

// Evaluator applies the settlement's rules to one family's records as of a
// date. *rules.Engine is the one the program uses.
type Evaluator interface {
	Evaluate(d *rescreen.Dataset, asOf rescreen.Date) *rules.Result
	Version() string
	Values() rules.Params
}

// evaluate runs the rules on the family's records and, when the result
// differs from the stored one, stores it and appends it to the decision log,
// inside the caller's transaction: the change that caused the evaluation and
// its decision commit together or not at all (V-2, H-6).
func (s *Service) evaluate(ctx context.Context, tx *sqlstore.Tx, id rescreen.FamilyID, rows []sqlstore.RecordRow, d *rescreen.Dataset, cause string) error {
	if s.Rules == nil {
		return nil
	}
	now := s.Now().UTC()
	res := s.Rules.Evaluate(d, rescreen.DateOf(now))
	res.FamilyID = string(id)
	result, err := json.Marshal(res)
	if err != nil {
		return rescreen.WrapError(rescreen.EINTERNAL, "evaluate", err, "")
	}
	hash := resultHash(res)
	prev, found, err := tx.Determination(ctx, id)
	if err != nil {
		return err
	}
	if found && prev.ResultHash == hash && prev.Version == res.Version {
		return nil
	}
	if !s.versionStored[res.Version] {
		params, _ := json.Marshal(s.Rules.Values())
		if err := tx.PutRuleVersion(ctx, res.Version, params, now); err != nil {
			return err
		}
		if s.versionStored == nil {
			s.versionStored = map[string]bool{}
		}
		s.versionStored[res.Version] = true
	}
	seq, err := tx.AuditHeadSeq(ctx)
	if err != nil {
		return err
	}
	asOf := res.AsOf.String()
	if err := tx.PutDetermination(ctx, sqlstore.DeterminationRow{FamilyID: id, Version: res.Version, AsOf: asOf,
		Outcome: string(res.Outcome), ResultHash: hash, Result: result}); err != nil {
		return err
	}
	return tx.AppendDecision(ctx, sqlstore.DecisionRow{FamilyID: id, At: now, Actor: rescreen.ActorFrom(ctx), Cause: cause,
		Version: res.Version, AsOf: asOf, AuditSeq: seq, InputsHash: inputsHash(rows), Outcome: string(res.Outcome),
		Previous: prev.Outcome, Result: result})
}

// resultHash identifies a result by its content without its as-of date, so
// that evaluating unchanged facts on a later day logs nothing new unless
// something in the result (a deadline's status, a rule coming into force)
// changed.
func resultHash(r *rules.Result) string {
	c := *r
	c.AsOf = rescreen.Date{}
	b, _ := json.Marshal(&c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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

// Determination returns the family's stored determination, or ENOTFOUND.
func (s *Service) Determination(ctx context.Context, id rescreen.FamilyID) (*rules.Result, error) {
	row, ok, err := s.DB.Determination(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s has no determination", id)
	}
	var r rules.Result
	if err := json.Unmarshal(row.Result, &r); err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "determination", err, "")
	}
	return &r, nil
}

