package sqlstore

import (
	"context"
	"errors"
	"sync"
)

// Group commit of changes. Every change takes the one writer (the audit
// chain is one sequence), so under concurrent changes each waits for
// those before it, and each pays alone for what a transaction costs
// whatever it holds: the begin, the write lock, the audit head, the
// counters and the commit. WithGroupTx lets the changes that queue
// meanwhile share one transaction.
//
// A shared transaction runs the callers' functions one after another, as
// separate transactions would, each seeing what those before it wrote.
// If every function succeeds and the commit does too, every caller gets
// nil. If any function fails, or the transaction fails before its commit
// is sent, nothing of it is kept, and each caller's function runs again
// alone, in a transaction of its own, so that each caller gets the answer
// its change alone would have got: one caller's bad change never undoes
// another's. Only a failure of the commit itself, whose outcome the store
// cannot know, goes to every caller of the group without a retry, as it
// would to the caller of a single transaction.
//
// A function given to WithGroupTx must therefore be safe to run twice:
// it may keep nothing between runs but what it computes afresh. Every
// caller returns only once its own change is committed or has failed.

// maxGroup bounds the callers one shared transaction serves.
const maxGroup = 64

type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupWait
	writing bool
}

type groupWait struct {
	ctx    context.Context
	fn     func(tx *Tx) error
	done   chan error
	leader chan struct{} // closed when this caller is to run the next group
}

// WithGroupTx runs fn in a write transaction that it may share with the
// functions of other callers waiting at the same time; see above. Alone,
// a caller runs at once, with no wait for company.
func (db *DB) WithGroupTx(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g := &db.group
	w := &groupWait{ctx: ctx, fn: fn, done: make(chan error, 1), leader: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	if g.writing {
		g.mu.Unlock()
		select {
		case err := <-w.done:
			return err
		case <-w.leader:
		}
	} else {
		g.writing = true
		g.mu.Unlock()
	}
	// This caller runs the group: take the queue (its own function is in
	// it, since a caller is made leader only while queued), run it,
	// answer everyone, and hand over to the next caller queued, if any.
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	db.runGroup(batch)
	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].leader)
	} else {
		g.writing = false
	}
	g.mu.Unlock()
	return <-w.done
}

// runGroup runs the functions of a group and answers each caller.
func (db *DB) runGroup(batch []*groupWait) {
	live := batch[:0:0]
	for _, w := range batch {
		// A caller that gave up while queued is answered at once.
		if err := w.ctx.Err(); err != nil {
			w.done <- err
			continue
		}
		live = append(live, w)
	}
	if len(live) == 1 {
		live[0].done <- db.WithTx(live[0].ctx, live[0].fn)
		return
	}
	if len(live) == 0 {
		return
	}
	// The shared transaction outlives any one caller's wish to stop; a
	// caller that stops makes its own function fail, and the group then
	// runs alone, one by one.
	committing, err := db.withTx(context.WithoutCancel(live[0].ctx), func(tx *Tx) error {
		for _, w := range live {
			if err := w.fn(tx); err != nil {
				return errGroupMember
			}
		}
		return nil
	})
	if err == nil || committing {
		for _, w := range live {
			w.done <- err
		}
		return
	}
	for _, w := range live {
		w.done <- db.WithTx(w.ctx, w.fn)
	}
}

// errGroupMember is the error of a shared transaction one of whose
// functions failed; the functions then run alone.
var errGroupMember = errors.New("a change of the group failed")

// GroupWaiting returns how many callers of WithGroupTx wait for their
// turn: the depth of the writer's queue, not counting the group running.
func (db *DB) GroupWaiting() int {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	return len(db.group.queue)
}
