package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"rescreen"
	"rescreen/linkage"
	"rescreen/sqlstore"
)

// Rescore scores again the links of the person records written since
// their links were last scored: records that triggers on the records table
// marked stale when a person record, or an identifier record of the person,
// was created or changed (by import, CreateFamily or ApplyChanges). With
// nothing stale it returns at once, having changed nothing.
//
// Otherwise it reads every person record, as LinkPersons does, because the
// value frequencies and the blocking need them all, and scores them with
// the model LinkPersons stored (it trains and stores one, as LinkPersons
// does, if none is stored or the stored one no longer fits the data). Of
// the pairs, those with a stale record are vetoed as in LinkPersons and
// proposed as in ProposeLinks; an undecided candidate (REVIEW or LINKED)
// of a stale record that was not scored again at or above the lower
// threshold is DROPPED, with its new score, a history entry and an audit
// event. A person's decision (CONFIRMED or REJECTED) is never changed.
// The stale marks it read are cleared in the same transaction; a record
// written while it worked stays stale, for the next run.
func (s *Service) Rescore(ctx context.Context, th rescreen.LinkThresholds) (LinkSummary, error) {
	return s.scorePersons(ctx, th, false, nil)
}

// scorePersons is LinkPersons (full: a model trained afresh, every pair
// proposed) and Rescore (the stored model, the pairs of stale records).
// afterRead, when set, runs after the reads and the scoring, just before
// the transaction: a test writes there to play a change made while a run
// works.
func (s *Service) scorePersons(ctx context.Context, th rescreen.LinkThresholds, full bool, afterRead func()) (LinkSummary, error) {
	if err := checkScores(nil, th); err != nil {
		return LinkSummary{}, err
	}
	// The marks are read before the records: a record marked after this
	// read keeps its mark, so whatever the record reads miss is scored by
	// the next run.
	marks, err := s.DB.StaleLinks(ctx)
	if err != nil {
		return LinkSummary{}, err
	}
	if !full && len(marks) == 0 {
		return LinkSummary{}, nil
	}
	t, err := s.personTable(ctx)
	if err != nil {
		return LinkSummary{}, err
	}
	var run *linkRun
	if len(t.IDs) >= 2 {
		if run, err = s.linkTable(ctx, t, th, full); err != nil {
			return LinkSummary{}, err
		}
	}
	var scores []rescreen.LinkScore
	if run != nil {
		stale := func(i int32) bool { _, ok := marks[t.IDs[i]]; return ok }
		for _, p := range run.res.Pairs {
			if !full && !stale(p.A) && !stale(p.B) {
				continue
			}
			ex := run.res.Explain(int(p.A), int(p.B))
			if vetoed(ex) {
				continue
			}
			scores = append(scores, linkScore(t, ex, run.version))
		}
	}
	if err := checkScores(scores, th); err != nil {
		return LinkSummary{}, err
	}
	if afterRead != nil {
		afterRead()
	}
	actor, now := rescreen.ActorFrom(ctx), s.Now().UTC()
	var sum LinkSummary
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if sum, err = s.proposeLinks(ctx, tx, scores, th, actor, now); err != nil {
			return err
		}
		n, err := s.dropUnscored(ctx, tx, t, run, marks, scores, th, actor, now)
		if err != nil {
			return err
		}
		sum.Dropped += n
		if run != nil && run.trained {
			b, err := json.Marshal(run.res.Model)
			if err != nil {
				return rescreen.WrapError(rescreen.EINTERNAL, "link persons", err, "")
			}
			if err := tx.PutLinkModel(ctx, run.version, now, b); err != nil {
				return err
			}
		}
		_, err = tx.ClearStaleLinks(ctx, marks)
		return err
	})
	return sum, err
}

// linkRun is the linkage engine's result over the person table, with the
// version of the model that scored it.
type linkRun struct {
	res     *linkage.Result
	version string
	trained bool // the model is new and must be stored
}

// linkTable runs the linkage engine over the person table: with the
// stored model unless full, else (or when there is none, or it does not
// fit the data) with a model trained on the table.
func (s *Service) linkTable(ctx context.Context, t *linkage.Table, th rescreen.LinkThresholds, full bool) (*linkRun, error) {
	opt := linkage.Options{Threshold: th.Lower, Keep: th.Lower}
	if !full {
		id, body, err := s.DB.LinkModel(ctx)
		if err != nil && rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
			return nil, err
		}
		var m linkage.Model
		// A model that does not read or no longer fits (a model saved by
		// an older mapping of the person records) is replaced by one
		// trained afresh, below.
		if err == nil && json.Unmarshal(body, &m) == nil {
			opt.Model = &m
			if res, err := linkage.Link([]*linkage.Table{t}, opt); err == nil {
				return &linkRun{res: res, version: id}, nil
			}
			opt.Model = nil
		}
	}
	res, err := linkage.Link([]*linkage.Table{t}, opt)
	if err != nil {
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "link persons", err, "")
	}
	sum := sha256.Sum256([]byte(res.Model.String()))
	return &linkRun{res: res, version: "linkage:" + hex.EncodeToString(sum[:8]), trained: true}, nil
}

// linkScore is a pair's score as a candidate keeps it.
func linkScore(t *linkage.Table, ex *linkage.Explanation, model string) rescreen.LinkScore {
	sc := rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: t.IDs[ex.Left]}, Right: rescreen.LinkEnd{RecordID: t.IDs[ex.Right]},
		Probability: ex.Probability, Weight: ex.Weight, Model: model}
	for _, f := range ex.Fields {
		sc.Fields = append(sc.Fields, rescreen.FieldComparison{Field: f.Field, Left: f.Left, Right: f.Right, Level: f.Level, Label: f.LevelName, Weight: f.Weight})
	}
	return sc
}

// dropUnscored drops the undecided SAME_PERSON candidates of stale records
// that were not scored again at or above the lower threshold: a pair now
// vetoed, kept apart by the clustering or no longer compared would
// otherwise stay linked or queued on data that has changed. Each gets its
// new score where the records can be compared, and the reason. It returns
// how many it dropped.
func (s *Service) dropUnscored(ctx context.Context, tx *sqlstore.Tx, t *linkage.Table, run *linkRun, marks map[string]int64,
	scores []rescreen.LinkScore, th rescreen.LinkThresholds, actor string, now time.Time) (int, error) {
	again := map[[2]string]bool{}
	for _, sc := range scores {
		if sc.Probability >= th.Lower {
			again[[2]string{sc.Left.RecordID, sc.Right.RecordID}] = true
			again[[2]string{sc.Right.RecordID, sc.Left.RecordID}] = true
		}
	}
	cands, err := tx.UndecidedLinks(ctx, rescreen.LinkSamePerson)
	if err != nil {
		return 0, err
	}
	idx := map[string]int{}
	for i, id := range t.IDs {
		idx[id] = i
	}
	n := 0
	for _, c := range cands {
		_, l := marks[c.Left.RecordID]
		_, r := marks[c.Right.RecordID]
		if !l && !r || again[[2]string{c.Left.RecordID, c.Right.RecordID}] {
			continue
		}
		prev := c.State
		reason := "not scored again"
		a, aok := idx[c.Left.RecordID]
		b, bok := idx[c.Right.RecordID]
		if run != nil && aok && bok {
			ex := run.res.Explain(a, b)
			sc := linkScore(t, ex, run.version)
			c.Probability, c.Weight, c.Fields, c.Model = sc.Probability, sc.Weight, sc.Fields, sc.Model
			reason = "scored by model " + run.version + ": " + dropReason(ex, th)
		}
		c.State, c.UpdatedAt = rescreen.LinkDropped, now
		if err := tx.PutLinkCandidate(ctx, &c); err != nil {
			return n, err
		}
		if err := s.recordLinkChange(ctx, tx, &c, prev, actor, now, reason); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// dropReason says why a pair the model scored was not proposed again.
func dropReason(ex *linkage.Explanation, th rescreen.LinkThresholds) string {
	switch {
	case vetoed(ex):
		return "the given names or the birth dates do not agree at all"
	case len(ex.Rules) == 0:
		return "no blocking rule puts the records together"
	case ex.Probability < th.Lower:
		return fmt.Sprintf("match probability %.4f, below the lower threshold %g", ex.Probability, th.Lower)
	}
	return fmt.Sprintf("kept apart by the clustering (match probability %.4f)", linkage.Probability(ex.Final))
}
