package app_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"rescreen"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/sqlstore"
)

// hookedEngine runs hook once, the first time the family is evaluated
// with Evaluate (RefreshReportFacts and the report call Evaluate; the
// derivation calls EvaluateCompact, promoted from the engine).
type hookedEngine struct {
	*rules.Engine
	family rescreen.FamilyID
	once   sync.Once
	hook   func()
}

func (h *hookedEngine) Evaluate(d *rescreen.Dataset, asOf rescreen.Date) *rules.Result {
	if len(d.Families) > 0 && rescreen.FamilyID(d.Families[0].ID) == h.family && h.hook != nil {
		h.once.Do(h.hook)
	}
	return h.Engine.Evaluate(d, asOf)
}

// TestRefreshDuringALinkKeepsTheUnit: a link that joins two families while
// the day's refresh of report contributions runs must not leave a
// single-family contribution in place of the unit's row (the link's
// derivation does not move the family's version), or the unit's members
// would count twice and its hold by the family's own outcome.
func TestRefreshDuringALinkKeepsTheUnit(t *testing.T) {
	ctx := rescreen.WithActor(context.Background(), "test")
	s := mustService(t)
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	importSyntheticClass(t, s, 40)
	// The next day: the server refreshes every family's contribution.
	s.Now = func() time.Time { return time.Date(2018, 11, 21, 9, 0, 0, 0, time.UTC) }
	day2 := rescreen.NewDate(2018, 11, 21)

	fams, err := s.DB.FamilyIDs(ctx, sqlstore.Query{Limit: 2})
	if err != nil || len(fams) < 2 {
		t.Fatalf("families: %v", err)
	}
	var people [2]string
	for i, f := range fams[:2] {
		_, rows, err := s.DB.Family(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Kind == rescreen.KindPersons {
				people[i] = r.ID
				break
			}
		}
	}
	h := &hookedEngine{Engine: eng, family: fams[0].ID}
	h.hook = func() {
		// A reviewer's (or the rescore loop's) link, committed while the
		// refresh works.
		if _, err := s.ProposeLinks(ctx, []rescreen.LinkScore{{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: people[0]},
			Right: rescreen.LinkEnd{RecordID: people[1]}, Probability: 0.999, Weight: 12, Model: "test"}}, rescreen.DefaultLinkThresholds); err != nil {
			t.Error(err)
		}
	}
	s.Rules = h
	if _, err := s.RefreshReportFacts(ctx, day2); err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	if links, err := s.DB.LinksInForce(ctx, fams[0].ID); err != nil || len(links) != 1 {
		t.Fatalf("the two families are not joined: %d links (%v)", len(links), err)
	}
	got, err := s.StatusReport(ctx, eng, day2, 2)
	if err != nil {
		t.Fatal(err)
	}
	got.Snapshot = report.Snapshot{}
	want, err := s.StatusReportByEvaluation(ctx, eng, day2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if g := reportJSON(t, got); !bytes.Equal(g, want) {
		for _, id := range []string{"SR-1", "SR-3", "SR-12", "SR-13", "SR-16"} {
			for _, r := range got.Rows {
				if r.ID == id {
					t.Logf("from contributions %s %q = %d", r.ID, r.Group, r.Value)
				}
			}
		}
		t.Errorf("the report from stored contributions differs from the evaluated one after a link made during the refresh:\n%s\n---\n%s", g, want)
	}
}

// TestDirtyFamilyOfAUnitCountsWithItsUnit: a family of a unit awaiting
// derivation (an import's chunk written, its DeriveDirty not yet run) is
// evaluated with its unit's records, so its members are not counted a
// second time beside the unit's.
func TestDirtyFamilyOfAUnitCountsWithItsUnit(t *testing.T) {
	ctx := rescreen.WithActor(context.Background(), "test")
	s := mustService(t)
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	importSyntheticClass(t, s, 20)
	fams, err := s.DB.FamilyIDs(ctx, sqlstore.Query{Limit: 2})
	if err != nil || len(fams) < 2 {
		t.Fatalf("families: %v", err)
	}
	var people [2]string
	for i, f := range fams[:2] {
		_, rows, err := s.DB.Family(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Kind == rescreen.KindPersons {
				people[i] = r.ID
				break
			}
		}
	}
	if _, err := s.ProposeLinks(ctx, []rescreen.LinkScore{{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: people[0]},
		Right: rescreen.LinkEnd{RecordID: people[1]}, Probability: 0.999, Weight: 12, Model: "test"}}, rescreen.DefaultLinkThresholds); err != nil {
		t.Fatal(err)
	}
	records := func() int64 {
		r, err := s.StatusReport(ctx, eng, rescreen.DateOf(s.Now()), 2)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, x := range r.Rows {
			if x.ID == "SR-16" && strings.HasSuffix(x.Group, " records") {
				n += x.Value
			}
		}
		return n
	}
	before := records()
	if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.Exec(ctx, `UPDATE families SET dirty = 1 WHERE id = ?`, fams[1].ID)
	}); err != nil {
		t.Fatal(err)
	}
	if after := records(); after != before {
		t.Errorf("SR-16 counts %d person records with one family of the unit awaiting derivation, %d before", after, before)
	}
}
