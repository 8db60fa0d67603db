package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"rescreen"
	"rescreen/sqlstore"
)

// TestContractGroupCommit: changes that queue while the writer is busy
// share one transaction, each seeing those before it; when one of them
// fails, nothing of the shared transaction is kept and each runs again
// alone, so that the failing caller alone gets an error and every other
// change is kept exactly once; a caller that gives up while queued is
// answered and its change never runs. The audit chain verifies after
// all of it.
func TestContractGroupCommit(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ string) {
		ctx := context.Background()
		errFive := rescreen.Errorf(rescreen.ECONFLICT, "change five is refused")
		events := 0

		// round queues n changes behind one that holds the writer, then
		// lets them go. Change i inserts family prefix-i and appends an
		// event; fail names the change that fails, cancel the one whose
		// caller gives up while queued.
		round := func(prefix string, n, fail, cancel int) (errs []error, runs []int, txs []*sqlstore.Tx) {
			errs, runs, txs = make([]error, n), make([]int, n), make([]*sqlstore.Tx, n)
			var mu sync.Mutex
			change := func(i int) func(tx *sqlstore.Tx) error {
				return func(tx *sqlstore.Tx) error {
					mu.Lock()
					runs[i]++
					txs[i] = tx
					mu.Unlock()
					id := fmt.Sprintf("%s-%02d", prefix, i)
					if err := tx.InsertFamily(ctx, family(id)); err != nil {
						return err
					}
					if err := tx.AppendAudit(ctx, &rescreen.AuditEvent{At: t0, Actor: "test", Action: "family.create", FamilyID: rescreen.FamilyID(id), Subject: id}); err != nil {
						return err
					}
					if i == fail {
						return errFive
					}
					return nil
				}
			}
			started, release := make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[0] = db.WithGroupTx(ctx, func(tx *sqlstore.Tx) error {
					close(started)
					<-release
					return change(0)(tx)
				})
			}()
			<-started
			cctx, stop := context.WithCancel(ctx)
			for i := 1; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := ctx
					if i == cancel {
						c = cctx
					}
					errs[i] = db.WithGroupTx(c, change(i))
				}()
			}
			for db.GroupWaiting() < n-1 {
				runtime.Gosched()
			}
			stop()
			close(release)
			wg.Wait()
			return errs, runs, txs
		}

		// Every change succeeds: the queued ones share a transaction.
		errs, runs, txs := round("G", 10, -1, -1)
		for i, err := range errs {
			if err != nil || runs[i] != 1 {
				t.Fatalf("change %d: %v after %d runs", i, err, runs[i])
			}
			if i > 1 && txs[i] != txs[1] {
				t.Errorf("change %d ran in a transaction of its own; the queued changes should share one", i)
			}
		}
		if txs[1] == txs[0] {
			t.Errorf("the change that held the writer shared its transaction with those queued after it began")
		}
		events += 10

		// Change five fails, and change seven's caller gives up while
		// queued: five alone gets an error, seven its context's, and
		// the others are kept once each.
		errs, runs, _ = round("H", 10, 5, 7)
		for i, err := range errs {
			switch {
			case i == 5:
				if !errors.Is(err, errFive) {
					t.Errorf("change five: %v, want its own error", err)
				}
			case i == 7:
				if !errors.Is(err, context.Canceled) || runs[i] != 0 {
					t.Errorf("change seven, given up: %v after %d runs", err, runs[i])
				}
			default:
				if err != nil {
					t.Errorf("change %d: %v, want it kept", i, err)
				}
				// A change queued before five ran in the shared
				// transaction and again alone; one after it, alone only.
				if most := map[bool]int{true: 1, false: 2}[i == 0]; runs[i] < 1 || runs[i] > most {
					t.Errorf("change %d ran %d times, want 1 to %d", i, runs[i], most)
				}
				events++
			}
		}
		for i := range 10 {
			id := rescreen.FamilyID(fmt.Sprintf("H-%02d", i))
			_, err := db.FamilyRow(ctx, id)
			if kept := err == nil; kept != (i != 5 && i != 7) {
				t.Errorf("family %s kept %v (%v)", id, kept, err)
			}
		}

		v := rescreen.NewChainVerifier("")
		if err := db.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
			v.Add(e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if r := v.Finish(); r.Problem != nil || r.Events != int64(events) {
			t.Errorf("audit chain: %d events, problem %+v; want %d events and none", r.Events, r.Problem, events)
		}
	})
}
