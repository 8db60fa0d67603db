package web

import (
	"cmp"
	"context"
	"slices"
	"strings"
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
	// fail, when set, is returned once by the next decision or split, as
	// if the store had refused it.
	fail error
}

// takeFail returns and clears the planted error; the caller holds mu.
func (f *fakeLinks) takeFail() error {
	err := f.fail
	f.fail = nil
	return err
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
		if slices.Contains(states, c.State) && (q.Family == "" || c.Left.FamilyID == q.Family || c.Right.FamilyID == q.Family) {
			out = append(out, *c)
		}
	}
	// Most probable first, then by id descending, after the cursor: the
	// store's keyset order.
	before := func(a, b *rescreen.LinkCandidate) int {
		return cmp.Or(cmp.Compare(b.Probability, a.Probability), strings.Compare(b.ID, a.ID))
	}
	slices.SortFunc(out, func(a, b rescreen.LinkCandidate) int { return before(&a, &b) })
	if a, ok := f.candidates[q.After]; ok {
		out = slices.DeleteFunc(out, func(c rescreen.LinkCandidate) bool { return before(&c, a) <= 0 })
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
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
	if err := f.takeFail(); err != nil {
		return nil, err
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
	case "UNDO":
		if reason == "" {
			return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "a reason is required to undo a link"}}}).AsError("decide link")
		}
		h := f.history[id]
		if len(h) == 0 || h[len(h)-1].Previous == "" {
			return nil, rescreen.Errorf(rescreen.ECONFLICT, "link candidate %s has no earlier state to return to", id)
		}
		st = h[len(h)-1].Previous
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
	if err := f.takeFail(); err != nil {
		return nil, err
	}
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
