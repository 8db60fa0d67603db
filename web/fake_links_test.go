package web

import (
	"context"
	"slices"
	"sync"

	"rescreen"
)

// fakeLinks is an in-memory LinkService keeping to the contract's error
// codes.
type fakeLinks struct {
	mu         sync.Mutex
	candidates map[string]*rescreen.LinkCandidate
	history    map[string][]rescreen.LinkDecision
	lastFilter rescreen.LinkFilter
}

func newFakeLinks() *fakeLinks {
	f := &fakeLinks{candidates: map[string]*rescreen.LinkCandidate{}, history: map[string][]rescreen.LinkDecision{}}
	f.candidates["L-1"] = &rescreen.LinkCandidate{ID: "L-1", State: rescreen.LinkReview, LinkScore: rescreen.LinkScore{
		Kind: rescreen.LinkSamePerson, Probability: 0.8, Model: "m1",
		Left:   rescreen.LinkEnd{RecordID: "R-1", Key: "CBP_E3:P-1", FamilyID: "F-1"},
		Right:  rescreen.LinkEnd{RecordID: "R-2", Key: "ICE_EARM:S-9", FamilyID: "F-2"},
		Fields: []rescreen.FieldComparison{{Field: "surname", Left: "<b>López</b>", Right: "Lopez", Level: 7, Label: "close", Weight: 5.2}},
	}}
	f.history["L-1"] = []rescreen.LinkDecision{{Seq: 1, Candidate: "L-1", State: rescreen.LinkReview, Actor: "import"}}
	return f
}

func (f *fakeLinks) LinkQueue(ctx context.Context, q rescreen.LinkFilter) ([]rescreen.LinkCandidate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastFilter = q
	states := q.States
	if len(states) == 0 {
		states = []rescreen.LinkState{rescreen.LinkReview}
	}
	var out []rescreen.LinkCandidate
	for _, c := range f.candidates {
		if slices.Contains(states, c.State) {
			out = append(out, *c)
		}
	}
	return out, nil
}

func (f *fakeLinks) LinkHistory(ctx context.Context, id string) (*rescreen.LinkCandidate, []rescreen.LinkDecision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candidates[id]
	if !ok {
		return nil, nil, rescreen.Errorf(rescreen.ENOTFOUND, "link candidate %s not found", id)
	}
	cc := *c
	return &cc, append([]rescreen.LinkDecision(nil), f.history[id]...), nil
}

func (f *fakeLinks) DecideLink(ctx context.Context, id, decision, reason string) (*rescreen.LinkCandidate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.candidates[id]
	if !ok {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "link candidate %s not found", id)
	}
	var st rescreen.LinkState
	switch decision {
	case "CONFIRM":
		st = rescreen.LinkConfirmed
	case "REJECT":
		st = rescreen.LinkRejected
		if reason == "" {
			return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "a reason is required to reject a link"}}}).AsError("decide link")
		}
	default:
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "decision", Msg: "not CONFIRM, REJECT or UNDO"}}}).AsError("decide link")
	}
	if c.State == st {
		return nil, rescreen.Errorf(rescreen.ECONFLICT, "link candidate %s is already %s", id, st)
	}
	f.history[id] = append(f.history[id], rescreen.LinkDecision{Seq: int64(len(f.history[id]) + 1), Candidate: id, State: st, Previous: c.State, Actor: rescreen.ActorFrom(ctx), Reason: reason})
	c.State, c.Reason = st, reason
	cc := *c
	return &cc, nil
}

func (f *fakeLinks) split(ctx context.Context, reason string, match func(c *rescreen.LinkCandidate) bool) ([]rescreen.LinkCandidate, error) {
	if reason == "" {
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "a reason is required to split"}}}).AsError("split")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []rescreen.LinkCandidate
	for id, c := range f.candidates {
		if c.State.Joins() && match(c) {
			f.history[id] = append(f.history[id], rescreen.LinkDecision{Seq: int64(len(f.history[id]) + 1), Candidate: id, State: rescreen.LinkRejected, Previous: c.State, Actor: rescreen.ActorFrom(ctx), Reason: reason})
			c.State, c.Reason = rescreen.LinkRejected, reason
			out = append(out, *c)
		}
	}
	if len(out) == 0 {
		return nil, rescreen.Errorf(rescreen.ECONFLICT, "no link in force to split")
	}
	return out, nil
}

func (f *fakeLinks) SplitPerson(ctx context.Context, recordID, reason string) ([]rescreen.LinkCandidate, error) {
	return f.split(ctx, reason, func(c *rescreen.LinkCandidate) bool {
		return c.Kind == rescreen.LinkSamePerson && (c.Left.RecordID == recordID || c.Right.RecordID == recordID)
	})
}

func (f *fakeLinks) SplitFamily(ctx context.Context, id rescreen.FamilyID, reason string) ([]rescreen.LinkCandidate, error) {
	return f.split(ctx, reason, func(c *rescreen.LinkCandidate) bool {
		return c.Left.FamilyID != c.Right.FamilyID && (c.Left.FamilyID == id || c.Right.FamilyID == id)
	})
}
