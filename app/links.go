package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/linkage"
	"rescreen/sqlstore"
)

// LinkSummary counts what ProposeLinks did.
type LinkSummary struct {
	Scored  int `json:"scored"`  // pairs handed in
	Linked  int `json:"linked"`  // new or risen pairs now LINKED
	Review  int `json:"review"`  // new or changed pairs now waiting for review
	Dropped int `json:"dropped"` // undecided pairs that fell below the lower threshold
	Kept    int `json:"kept"`    // pairs a person decided, whose decision stands
	Ignored int `json:"ignored"` // new pairs below the lower threshold, not kept
}

// linkAudit is what the audit log keeps of a candidate's change of state.
type linkAudit struct {
	Candidate   string             `json:"candidate"`
	Kind        rescreen.LinkKind  `json:"kind"`
	Left        rescreen.Ref       `json:"left"`
	Right       rescreen.Ref       `json:"right"`
	State       rescreen.LinkState `json:"state"`
	Probability float64            `json:"match_probability"`
	Reason      string             `json:"reason,omitempty"`
}

// ProposeLinks keeps scored pairs of person records, as the linkage model
// gives them: a new pair at or above the upper threshold is LINKED, one at
// or above the lower threshold waits for REVIEW, one below is not kept. A
// pair scored again gets its new score and the state its score calls for,
// unless a person decided it (CONFIRMED or REJECTED): that decision stands.
// Every change of state is recorded in the candidate's history and audited,
// in one transaction with the scores; bad input changes nothing.
func (s *Service) ProposeLinks(ctx context.Context, scores []rescreen.LinkScore, th rescreen.LinkThresholds) (LinkSummary, error) {
	if err := checkScores(scores, th); err != nil {
		return LinkSummary{Scored: len(scores)}, err
	}
	var sum LinkSummary
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		sum, err = s.proposeLinks(ctx, tx, scores, th, rescreen.ActorFrom(ctx), s.Now().UTC())
		return err
	})
	return sum, err
}

// checkScores names every problem of scored pairs and thresholds.
func checkScores(scores []rescreen.LinkScore, th rescreen.LinkThresholds) error {
	var probs []rescreen.FieldError
	if !(th.Lower >= 0 && th.Lower <= th.Upper && th.Upper <= 1) {
		probs = append(probs, rescreen.FieldError{Field: "thresholds", Msg: fmt.Sprintf("need 0 <= lower (%g) <= upper (%g) <= 1", th.Lower, th.Upper)})
	}
	for i := range scores {
		sc := &scores[i]
		field := func(f string) string { return fmt.Sprintf("scores[%d].%s", i, f) }
		if !slices.Contains(rescreen.LinkKind("").Values(), string(sc.Kind)) {
			probs = append(probs, rescreen.FieldError{Field: field("kind"), Msg: fmt.Sprintf("%q is not SAME_PERSON or PARENT_CHILD", sc.Kind)})
		}
		if math.IsNaN(sc.Probability) || sc.Probability < 0 || sc.Probability > 1 {
			probs = append(probs, rescreen.FieldError{Field: field("match_probability"), Msg: "must be between 0 and 1"})
		}
		if math.IsNaN(sc.Weight) || math.IsInf(sc.Weight, 0) {
			probs = append(probs, rescreen.FieldError{Field: field("match_weight"), Msg: "must be a number"})
		}
		if sc.Left.RecordID == "" || sc.Right.RecordID == "" || sc.Left.RecordID == sc.Right.RecordID {
			probs = append(probs, rescreen.FieldError{Field: field("right.record_id"), Msg: "a link needs two different person records"})
		}
		if sc.Model == "" {
			probs = append(probs, rescreen.FieldError{Field: field("model"), Msg: "the model's version is required"})
		}
	}
	if len(probs) > 0 {
		return (&rescreen.ValidationError{Problems: probs}).AsError("propose links")
	}
	return nil
}

// proposeLinks keeps checked scores in tx, as ProposeLinks describes.
func (s *Service) proposeLinks(ctx context.Context, tx *sqlstore.Tx, scores []rescreen.LinkScore, th rescreen.LinkThresholds, actor string, now time.Time) (LinkSummary, error) {
	sum := LinkSummary{Scored: len(scores)}
	err := func() error {
		for i := range scores {
			sc := scores[i]
			if err := s.resolveEnds(ctx, tx, &sc, i); err != nil {
				return err
			}
			want := rescreen.LinkDropped
			switch {
			case sc.Probability >= th.Upper:
				want = rescreen.LinkLinked
			case sc.Probability >= th.Lower:
				want = rescreen.LinkReview
			}
			cur, found, err := tx.LinkCandidateByPair(ctx, sc.Kind, sc.Left.RecordID, sc.Right.RecordID)
			if err != nil {
				return err
			}
			if !found && want == rescreen.LinkDropped {
				sum.Ignored++
				continue
			}
			c := cur
			if !found {
				c = rescreen.LinkCandidate{ID: s.NewID("L")}
			}
			prev := c.State
			c.LinkScore, c.UpdatedAt = sc, now
			if prev.Decided() {
				sum.Kept++
			} else {
				c.State = want
			}
			if err := tx.PutLinkCandidate(ctx, &c); err != nil {
				return err
			}
			if c.State == prev {
				continue
			}
			switch c.State {
			case rescreen.LinkLinked:
				sum.Linked++
			case rescreen.LinkReview:
				sum.Review++
			case rescreen.LinkDropped:
				sum.Dropped++
			}
			if err := s.recordLinkChange(ctx, tx, &c, prev, actor, now, "scored by model "+sc.Model); err != nil {
				return err
			}
		}
		return nil
	}()
	return sum, err
}

// resolveEnds checks that both ends of a scored pair are stored person
// records and fills in their keys and families from the store; the order
// of a SAME_PERSON pair is made canonical, so that a pair is one candidate
// whichever way it was scored.
func (s *Service) resolveEnds(ctx context.Context, tx *sqlstore.Tx, sc *rescreen.LinkScore, i int) error {
	if sc.Kind == rescreen.LinkSamePerson && sc.Right.RecordID < sc.Left.RecordID {
		sc.Left, sc.Right = sc.Right, sc.Left
		for k := range sc.Fields {
			sc.Fields[k].Left, sc.Fields[k].Right = sc.Fields[k].Right, sc.Fields[k].Left
		}
	}
	for _, e := range []struct {
		side string
		end  *rescreen.LinkEnd
	}{{"left", &sc.Left}, {"right", &sc.Right}} {
		side, end := e.side, e.end
		row, ok, err := tx.RecordByID(ctx, end.RecordID)
		if err != nil {
			return err
		}
		if !ok || row.Kind != rescreen.KindPersons {
			return (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: fmt.Sprintf("scores[%d].%s.record_id", i, side),
				Msg: fmt.Sprintf("%s is not a stored person record", end.RecordID)}}}).AsError("propose links")
		}
		end.Key, end.FamilyID = rescreen.NewRef(row.Source, row.SourceID), row.FamilyID
	}
	return nil
}

// recordLinkChange appends the change of a candidate's state to its
// history and to the audit log, under the left record's family.
func (s *Service) recordLinkChange(ctx context.Context, tx *sqlstore.Tx, c *rescreen.LinkCandidate, prev rescreen.LinkState, actor string, now time.Time, reason string) error {
	if err := tx.AppendLinkDecision(ctx, &rescreen.LinkDecision{Candidate: c.ID, State: c.State, Previous: prev, Actor: actor, At: now, Reason: reason}); err != nil {
		return err
	}
	entry := func(st rescreen.LinkState) json.RawMessage {
		if st == "" {
			return nil
		}
		b, _ := json.Marshal(linkAudit{Candidate: c.ID, Kind: c.Kind, Left: c.Left.Key, Right: c.Right.Key, State: st, Probability: c.Probability, Reason: reason})
		return b
	}
	if err := tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: actor, Action: "link." + strings.ToLower(string(c.State)),
		FamilyID: c.Left.FamilyID, Subject: c.ID, Before: entry(prev), After: entry(c.State)}); err != nil {
		return err
	}
	if !prev.Joins() && !c.State.Joins() {
		return nil
	}
	// The link joined or parted records, or a reviewer confirmed a link in
	// force (a merge the model made counts only once confirmed when it
	// would let removal proceed): the units of its two ends are evaluated
	// again in this transaction. Parting one link splits a unit into at
	// most the units of its two ends, so these cover every family the
	// change touched.
	return s.deriveAll(ctx, tx, []rescreen.FamilyID{c.Left.FamilyID, c.Right.FamilyID}, "link "+c.ID+" "+strings.ToLower(string(c.State)))
}

// Link decisions a reviewer can make.
const (
	LinkConfirm = "CONFIRM" // the two records are linked
	LinkReject  = "REJECT"  // they are not; for a link in force, this splits what it joined
	LinkUndo    = "UNDO"    // back to the state before the last change
)

// DecideLink records a reviewer's decision on a candidate: CONFIRM, REJECT
// (a reason is required) or UNDO (back to the state before its last change;
// a reason is required). The decision is appended to the candidate's
// history and audited in one transaction; nothing is ever deleted.
func (s *Service) DecideLink(ctx context.Context, id, decision, reason string) (*rescreen.LinkCandidate, error) {
	var probs []rescreen.FieldError
	switch decision {
	case LinkConfirm:
	case LinkReject, LinkUndo:
		if reason == "" {
			probs = append(probs, rescreen.FieldError{Field: "reason", Msg: "a reason is required to " + strings.ToLower(decision) + " a link"})
		}
	default:
		probs = append(probs, rescreen.FieldError{Field: "decision", Msg: fmt.Sprintf("%q is not CONFIRM, REJECT or UNDO", decision)})
	}
	if len(reason) > 2000 {
		probs = append(probs, rescreen.FieldError{Field: "reason", Msg: "at most 2000 characters"})
	}
	if len(probs) > 0 {
		return nil, (&rescreen.ValidationError{Problems: probs}).AsError("decide link")
	}
	actor := rescreen.ActorFrom(ctx)
	now := s.Now().UTC()
	var out rescreen.LinkCandidate
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		c, ok, err := tx.LinkCandidate(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return rescreen.Errorf(rescreen.ENOTFOUND, "link candidate %s not found", id)
		}
		prev := c.State
		switch decision {
		case LinkConfirm:
			c.State = rescreen.LinkConfirmed
		case LinkReject:
			c.State = rescreen.LinkRejected
		case LinkUndo:
			last, err := tx.LastLinkDecision(ctx, id)
			if err != nil {
				return err
			}
			if last.Previous == "" {
				return rescreen.Errorf(rescreen.ECONFLICT, "link candidate %s has no earlier state to return to", id)
			}
			c.State = last.Previous
		}
		if c.State == prev {
			return rescreen.Errorf(rescreen.ECONFLICT, "link candidate %s is already %s", id, prev)
		}
		c.DecidedBy, c.DecidedAt, c.Reason, c.UpdatedAt = actor, now, reason, now
		if err := tx.PutLinkCandidate(ctx, &c); err != nil {
			return err
		}
		if err := s.recordLinkChange(ctx, tx, &c, prev, actor, now, reason); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// LinkQueue returns candidates most probable first: by default those
// waiting for review.
func (s *Service) LinkQueue(ctx context.Context, f rescreen.LinkFilter) ([]rescreen.LinkCandidate, error) {
	q := sqlstore.LinkQuery{States: f.States, Family: f.Family, After: f.After, Limit: f.Limit}
	if q.Limit == 0 {
		q.Limit = 50
	}
	if q.Limit < 1 || q.Limit > maxLimit {
		return nil, rescreen.Errorf(rescreen.EINVALID, "limit: must be between 1 and %d", maxLimit)
	}
	for _, st := range q.States {
		if !slices.Contains(rescreen.LinkState("").Values(), string(st)) {
			return nil, rescreen.Errorf(rescreen.EINVALID, "state: %q is not a link state", st)
		}
	}
	if len(q.States) == 0 {
		q.States = []rescreen.LinkState{rescreen.LinkReview}
	}
	if _, err := reach(ctx, access.Need{Group: access.Links, Level: access.Read}); err != nil {
		return nil, err
	}
	out, err := s.DB.LinkCandidates(ctx, q)
	if err == nil {
		out, err = s.scopeLinks(ctx, out)
	}
	if out == nil {
		out = []rescreen.LinkCandidate{}
	}
	return out, err
}

// scopeLinks keeps the candidates both of whose families the request's
// principal may read links and identities of, and masks the compared
// values of a record whose person it may not identify (a minor, for a
// role without MINORS). A page may hold fewer candidates than the limit;
// never one out of scope.
func (s *Service) scopeLinks(ctx context.Context, cs []rescreen.LinkCandidate) ([]rescreen.LinkCandidate, error) {
	ids := make([]rescreen.FamilyID, 0, 2*len(cs))
	for _, c := range cs {
		ids = append(ids, c.Left.FamilyID, c.Right.FamilyID)
	}
	lvs, err := s.levelsOf(ctx, ids)
	if err != nil || lvs == nil {
		return cs, err
	}
	kept := cs[:0]
	for _, c := range cs {
		ok := true
		for _, f := range []rescreen.FamilyID{c.Left.FamilyID, c.Right.FamilyID} {
			ok = ok && canRead(lvs[f], access.Links) && canRead(lvs[f], access.Identity)
		}
		if !ok {
			continue
		}
		if err := s.maskLink(ctx, &c, lvs); err != nil {
			return nil, err
		}
		kept = append(kept, c)
	}
	return kept, nil
}

// maskLink masks the values of the candidate's ends whose persons lvs
// may not identify.
func (s *Service) maskLink(ctx context.Context, c *rescreen.LinkCandidate, lvs map[rescreen.FamilyID]levels) error {
	today := rescreen.DateOf(s.Now().UTC())
	for side, end := range []rescreen.LinkEnd{c.Left, c.Right} {
		row, ok, err := s.DB.Record(ctx, end.RecordID)
		if err != nil {
			return err
		}
		var p rescreen.Person
		if ok {
			if err := json.Unmarshal(row.Data, &p); err != nil {
				return rescreen.WrapError(rescreen.EINTERNAL, "mask link", err, "")
			}
		}
		if ok && !identityHidden(lvs[end.FamilyID], p.Role, p.BirthDate, today) {
			continue
		}
		fields := slices.Clone(c.Fields)
		for i := range fields {
			v := &fields[i].Left
			if side == 1 {
				v = &fields[i].Right
			}
			switch {
			case strings.Contains(fields[i].Field, "name"):
				*v = Initials(*v)
			case fields[i].Field == "birth_date":
				*v = ""
			case fields[i].Field == "country" || fields[i].Field == "sex" || fields[i].Field == "role":
			default:
				*v = MaskANumber(*v)
			}
		}
		c.Fields = fields
	}
	return nil
}

// LinkHistory returns the candidate and every change of its state, oldest
// first.
func (s *Service) LinkHistory(ctx context.Context, id string) (*rescreen.LinkCandidate, []rescreen.LinkDecision, error) {
	c, ok, err := s.DB.LinkCandidate(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, rescreen.Errorf(rescreen.ENOTFOUND, "link candidate %s not found", id)
	}
	hist, err := s.DB.LinkDecisions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	lvs, err := s.levelsOf(ctx, []rescreen.FamilyID{c.Left.FamilyID, c.Right.FamilyID})
	if err == nil && lvs != nil {
		err = s.maskLink(ctx, &c, lvs)
	}
	return &c, hist, err
}

// vetoed reports whether a pair's own evidence rules out one person: given
// names that do not agree at all, or birth dates that do not agree at all.
// The model weighs evidence, and a model trained on a store with few
// duplicates can learn that relatives' shared surnames mean one person;
// siblings, twins and parents with their children must never be proposed
// as one person on that account.
func vetoed(ex *linkage.Explanation) bool {
	for _, f := range ex.Fields {
		if f.Level == 0 && (f.Field == "given_names" || f.Field == "birth_date") {
			return true
		}
	}
	return false
}

// LinkPersons looks for the same person among the stored person records:
// it reads every person record with its A-numbers, lets the linkage engine
// block, train a model on the store's own records (no labels) and score,
// and hands the pairs at or above the lower threshold to ProposeLinks. The
// model's version is the SHA-256 of its parameters. In the same
// transaction it stores the model, for Rescore, and clears the stale marks
// of the records, having scored them all (see Rescore for what that drops).
func (s *Service) LinkPersons(ctx context.Context, th rescreen.LinkThresholds) (LinkSummary, error) {
	return s.scorePersons(ctx, th, true, nil)
}

// personTable reads every person record, with its first A-number, as a
// table for the linkage engine, in the order of the records' keys.
func (s *Service) personTable(ctx context.Context) (*linkage.Table, error) {
	date, err := linkage.ParseDateLayout("YYYY-MM-DD")
	if err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "link persons", err, "")
	}
	t := &linkage.Table{Name: "persons", Mapping: linkage.Mapping{
		{Name: "given_names", Kind: linkage.KindGiven},
		{Name: "first_surname", Kind: linkage.KindSurname},
		{Name: "second_surname", Kind: linkage.KindSurname},
		{Name: "birth_date", Kind: linkage.KindDate, Layout: date},
		{Name: "a_number", Kind: linkage.KindANumber},
		{Name: "country", Kind: linkage.KindPlace},
	}, Values: make([][]string, 6)}
	var ids []rescreen.PersonID
	err = s.DB.EachRecord(ctx, rescreen.KindPersons, func(row sqlstore.RecordRow) error {
		var p rescreen.Person
		if err := json.Unmarshal(row.Data, &p); err != nil {
			return rescreen.WrapError(rescreen.EINTERNAL, "link persons", err, "")
		}
		t.IDs = append(t.IDs, row.ID)
		t.Lines = append(t.Lines, int32(len(t.IDs)))
		bd := ""
		if !p.BirthDate.IsZero() {
			bd = p.BirthDate.String()
		}
		for c, v := range []string{p.GivenNames, p.FirstSurname, p.SecondSurname, bd, "", p.Country} {
			t.Values[c] = append(t.Values[c], v)
		}
		ids = append(ids, rescreen.PersonID(row.ID))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) < 2 {
		return t, nil
	}
	anums, err := s.DB.ANumbers(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		if a := anums[id]; len(a) > 0 {
			t.Values[4][i] = a[0]
		}
	}
	return t, nil
}
