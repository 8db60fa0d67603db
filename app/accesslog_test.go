package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"rescreen"
	"rescreen/app"
)

// TestAccessLogUnderConcurrentReads: many readers logging at once each
// get their own event in the chain, exactly once, every call returns only
// after its event is committed, and the chain verifies.
func TestAccessLogUnderConcurrentReads(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "officer")
	const readers, each = 32, 20
	var wg sync.WaitGroup
	errs := make(chan error, readers*each)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				route := fmt.Sprintf("/families/{id}#%d-%d", r, i)
				if err := s.LogAccess(ctx, rescreen.AccessEvent{Method: "GET", Route: route, Status: 200}); err != nil {
					errs <- err
					return
				}
				// Committed before the call returned: a read sees it.
				if !hasAccess(t, s, route) {
					errs <- fmt.Errorf("event %s not in the chain after LogAccess returned", route)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]int{}
	if err := s.DB.EachAuditEvent(ctx, func(e *rescreen.AuditEvent) error {
		if e.Action == "access.view" {
			seen[e.Subject]++
			if e.Actor != "officer" {
				t.Errorf("event %d: actor %q, want officer", e.Seq, e.Actor)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != readers*each {
		t.Errorf("%d distinct access events, want %d", len(seen), readers*each)
	}
	for route, n := range seen {
		if n != 1 {
			t.Errorf("%s logged %d times", route, n)
		}
	}
	rep, err := s.VerifyAudit(ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit verify: %+v, %v", rep, err)
	}
}

// hasAccess reports whether the chain holds an access event for route.
func hasAccess(t *testing.T, s *app.Service, route string) bool {
	t.Helper()
	found := false
	err := s.DB.EachAuditEvent(context.Background(), func(e *rescreen.AuditEvent) error {
		found = found || e.Subject == route
		return nil
	})
	return err == nil && found
}

// TestAccessLogFailureReachesEveryCaller: when the store cannot commit,
// every caller whose event was in the failed batch gets the error, none
// waits forever, and none is told its access was logged.
func TestAccessLogFailureReachesEveryCaller(t *testing.T) {
	s := mustService(t)
	ctx := rescreen.WithActor(context.Background(), "officer")
	if err := s.LogAccess(ctx, rescreen.AccessEvent{Method: "GET", Route: "/before", Status: 200}); err != nil {
		t.Fatal(err)
	}
	s.DB.Close()
	var wg sync.WaitGroup
	var failed sync.Map
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.LogAccess(ctx, rescreen.AccessEvent{Method: "GET", Route: fmt.Sprintf("/after/%d", i), Status: 200})
			failed.Store(i, err != nil)
		}()
	}
	wg.Wait()
	for i := range 16 {
		if v, _ := failed.Load(i); v != true {
			t.Errorf("caller %d: no error from a closed store", i)
		}
	}
}
