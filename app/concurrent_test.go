package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/synth"
)

// TestConcurrentChangesEachKeptOnce: changes sent at once by many callers,
// who queue for the one writer, are each kept exactly once, in the family
// they name, with one version step each; a change with a stale version
// gets its conflict and takes no other change down with it; and the
// audit chain verifies.
func TestConcurrentChangesEachKeptOnce(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 12
	class := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, class)
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, class); err != nil {
		t.Fatal(err)
	}
	ctx := rescreen.WithActor(context.Background(), "officer:9")
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 100})
	if err != nil || len(page.Items) < 6 {
		t.Fatalf("families: %d %v", len(page.Items), err)
	}
	type fam struct {
		id      rescreen.FamilyID
		person  rescreen.Ref
		version int64
	}
	var fams []fam
	for _, it := range page.Items {
		d, err := s.GetFamily(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Records.Persons) > 0 {
			p := d.Records.Persons[0]
			fams = append(fams, fam{it.ID, rescreen.Ref(string(p.Source) + ":" + p.SourceID), d.Version})
		}
	}

	const callers, each = 16, 6
	var mu sync.Mutex
	kept := map[rescreen.FamilyID]int{}
	var wg sync.WaitGroup
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				f := fams[(c*each+i)%len(fams)]
				stale := (c+i)%5 == 0
				version := int64(0)
				if stale {
					version = f.version + 1000
				}
				scr := &rescreen.Screening{Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: fmt.Sprintf("CONC-%d-%d", c, i)},
					Person: f.person, Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, Result: rescreen.ResultPending,
					On: rescreen.NewDate(2026, 11, 1+i)}
				_, err := s.ApplyChanges(ctx, f.id, version, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: scr}})
				switch {
				case stale && rescreen.ErrorCode(err) != rescreen.ECONFLICT:
					t.Errorf("caller %d change %d, stale version: %v, want a conflict", c, i, err)
				case !stale && err != nil:
					t.Errorf("caller %d change %d: %v", c, i, err)
				case !stale:
					mu.Lock()
					kept[f.id]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, f := range fams {
		d, err := s.GetFamily(ctx, f.id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, scr := range d.Records.Screenings {
			if strings.HasPrefix(scr.SourceID, "CONC-") {
				n++
			}
		}
		if n != kept[f.id] || d.Version != f.version+int64(kept[f.id]) {
			t.Errorf("family %s: %d new screenings, version %d; want %d and %d", f.id, n, d.Version, kept[f.id], f.version+int64(kept[f.id]))
		}
	}
	rep, err := s.VerifyAudit(ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit verify: %+v, %v", rep, err)
	}
}
