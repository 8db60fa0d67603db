package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/synth"
)

// mustSyntheticClass imports a synthetic class of n families, evaluated
// under the default rules, into a fresh service.
func mustSyntheticClass(tb testing.TB, n int) *app.Service {
	tb.Helper()
	s := mustService(tb)
	eng, err := rules.NewEngine(nil)
	if err != nil {
		tb.Fatal(err)
	}
	s.Rules = eng
	importSyntheticClass(tb, s, n)
	return s
}

// importSyntheticClass writes a synthetic class of n families (the default
// seed) as CSV and imports it into s, under s's rules and clock.
func importSyntheticClass(tb testing.TB, s *app.Service, n int) {
	tb.Helper()
	dir := tb.TempDir()
	cw, err := exchange.NewCSVWriter(filepath.Join(dir, "class"))
	if err != nil {
		tb.Fatal(err)
	}
	cfg := synth.DefaultConfig()
	cfg.Families = n
	if err := synth.Generate(cfg, cw.WriteDataset); err != nil {
		tb.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		tb.Fatal(err)
	}
	inputs, err := exchange.Inputs([]string{filepath.Join(dir, "class")}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Import(rescreen.WithActor(context.Background(), "test"), inputs, app.ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
}

// dossiers reads every family in full, the slow way the dashboard must not.
func dossiers(tb testing.TB, s *app.Service) []*rescreen.Dossier {
	tb.Helper()
	ctx := context.Background()
	var out []*rescreen.Dossier
	f := rescreen.Filter{Limit: 500}
	for {
		page, err := s.ListFamilies(ctx, f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, sum := range page.Items {
			d, err := s.GetFamily(ctx, sum.ID)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, d)
		}
		if page.Next == "" {
			return out
		}
		f.After = page.Next
	}
}

// expectedStats counts from the expanded dossiers what Stats counts in SQL:
// an independent path to the same numbers.
func expectedStats(ds []*rescreen.Dossier, today rescreen.Date) rescreen.Stats {
	want := rescreen.Stats{AsOf: today, Families: len(ds)}
	stages, outcomes := map[string]int{}, map[string]int{}
	countries := map[string]int{}
	held := map[rescreen.Ref]bool{}
	type dl struct {
		person     rescreen.Ref
		clock, due string
	}
	overdue := map[dl]bool{}
	overdueFam := map[rescreen.FamilyID]bool{}
	byClock := map[string]map[dl]bool{}
	titles := map[string]string{}
	for _, d := range ds {
		stages[string(d.Stage)]++
		for i := range d.Records.Persons {
			p := &d.Records.Persons[i]
			want.Persons++
			countries[p.Country]++
			if !p.BirthDate.IsZero() && p.BirthDate.AgeOn(today) < 5 {
				want.UnderFive++
			}
		}
		if d.Determination == nil {
			want.NotEvaluated++
			continue
		}
		outcomes[string(d.Determination.Outcome)]++
		familyHeld := false
		for _, p := range d.Determination.Persons {
			if p.Hold.Held {
				held[p.Person] = true
				familyHeld = true
			}
			for _, x := range p.Deadlines {
				if x.Status == "MISSED" || (x.Status == "OPEN" && !x.Due.IsZero() && x.Due.Before(today)) {
					k := dl{p.Person, x.ID, x.Due.String()}
					overdue[k] = true
					overdueFam[d.FamilyID] = true
					if byClock[x.ID] == nil {
						byClock[x.ID] = map[dl]bool{}
					}
					byClock[x.ID][k] = true
					titles[x.ID] = min(titles[x.ID], x.Title)
					if titles[x.ID] == "" {
						titles[x.ID] = x.Title
					}
				}
			}
		}
		if familyHeld {
			want.HeldFamilies++
		}
	}
	want.HeldMembers = len(held)
	want.Overdue, want.OverdueFamilies = len(overdue), len(overdueFam)
	for _, v := range rescreen.Stage("").Values() {
		want.Stages = append(want.Stages, rescreen.Count{Value: v, N: stages[v]})
	}
	for _, v := range []string{"PENDING", "NEEDS_INFORMATION", "MANUAL_REVIEW", "STAYS", "REMOVAL_MAY_PROCEED", "NOT_COVERED"} {
		want.Outcomes = append(want.Outcomes, rescreen.Count{Value: v, N: outcomes[v]})
	}
	want.Countries = []rescreen.CountryCount{}
	for k, n := range countries {
		want.Countries = append(want.Countries, rescreen.CountryCount{Country: k, Persons: n})
	}
	slices.SortFunc(want.Countries, func(a, b rescreen.CountryCount) int {
		if a.Persons != b.Persons {
			return b.Persons - a.Persons
		}
		return compareStrings(a.Country, b.Country)
	})
	want.OverdueByClock = []rescreen.OverdueCount{}
	for k, m := range byClock {
		want.OverdueByClock = append(want.OverdueByClock, rescreen.OverdueCount{Clock: k, Title: titles[k], Deadlines: len(m)})
	}
	slices.SortFunc(want.OverdueByClock, func(a, b rescreen.OverdueCount) int {
		if a.Deadlines != b.Deadlines {
			return b.Deadlines - a.Deadlines
		}
		return compareStrings(a.Clock, b.Clock)
	})
	return want
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestStatsAgreeWithTheDossiers counts a synthetic class with the SQL
// aggregates and again from every family's expanded determination and
// records, on the day of the import and on later days, when open deadlines
// have fallen due and children have grown.
func TestStatsAgreeWithTheDossiers(t *testing.T) {
	s := mustSyntheticClass(t, 300)
	ds := dossiers(t, s)
	for _, day := range []time.Time{
		time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC), // the import's day
		time.Date(2019, 6, 30, 9, 0, 0, 0, time.UTC),
		time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC),
	} {
		s.Now = func() time.Time { return day }
		today := rescreen.DateOf(day)
		got, err := s.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := expectedStats(ds, today)
		t.Logf("%s: %+v", today, got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("as of %s:\n got %+v\nwant %+v", today, got, want)
		}
		if day.Year() == 2018 && (got.HeldFamilies == 0 || got.UnderFive == 0 || got.NotEvaluated != 0 || len(got.Countries) < 2) {
			t.Errorf("as of %s the class should have holds, young children, several countries and every family evaluated: %+v", today, got)
		}
		if day.Year() == 2021 && got.Overdue == 0 {
			t.Errorf("as of %s no deadline is overdue: %+v", today, got)
		}
	}
}

// TestStatsFollowChanges: a family's holds and counts change in the
// transaction that changes its records, and a family created without rules
// is counted as not evaluated.
func TestStatsFollowChanges(t *testing.T) {
	s := mustService(t)
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Families != 0 || st.Persons != 0 || len(st.Stages) != 6 || len(st.Outcomes) != 6 || st.Countries == nil {
		t.Fatalf("empty store: %+v", st)
	}
	// Without rules nothing is evaluated, so nothing is held.
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Families != 1 || st.Persons != 2 || st.NotEvaluated != 1 || st.HeldFamilies != 0 || st.Stages[0] != (rescreen.Count{Value: "IDENTIFIED", N: 1}) {
		t.Fatalf("one family without rules: %+v", st)
	}
	if len(st.Countries) != 1 || st.Countries[0] != (rescreen.CountryCount{Country: "GT", Persons: 2}) {
		t.Fatalf("countries %+v", st.Countries)
	}
	// The child was born 2012-07-01: six on the service's day.
	if st.UnderFive != 0 {
		t.Fatalf("under five: %d", st.UnderFive)
	}
	s.Now = func() time.Time { return time.Date(2017, 6, 30, 0, 0, 0, 0, time.UTC) }
	if st, _ = s.Stats(ctx); st.UnderFive != 1 {
		t.Fatalf("the day before the fifth birthday, under five: %d", st.UnderFive)
	}
	s.Now = func() time.Time { return time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC) }
	if st, _ = s.Stats(ctx); st.UnderFive != 0 {
		t.Fatalf("on the fifth birthday, under five: %d", st.UnderFive)
	}
}

// TestStatsHoldsFollowTheDetermination: evaluating the family with rules
// holds its members; the dashboard counts the holds the family page shows.
func TestStatsHoldsFollowTheDetermination(t *testing.T) {
	s := mustService(t)
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	ctx := context.Background()
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	ds := dossiers(t, s)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := expectedStats(ds, rescreen.DateOf(s.Now()))
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("got %+v\nwant %+v", st, want)
	}
	if st.HeldFamilies != 1 || st.HeldMembers == 0 || st.NotEvaluated != 0 {
		t.Fatalf("a separated family under the rules is held: %+v", st)
	}
}

// TestStatsCountersFollowUnitsAndRuleChanges: the counters of holds and
// deadlines follow every change of a family's determination, through a
// unit whose families share members (counted once), its split and its
// undoing, and a change of the rule set that re-derives the class.
func TestStatsCountersFollowUnitsAndRuleChanges(t *testing.T) {
	f := newUnitFixture(t)
	check := func(step string) {
		t.Helper()
		got, err := f.s.Stats(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := expectedStats(dossiers(t, f.s), rescreen.DateOf(f.s.Now())); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", step, got, want)
		}
	}
	check("three families")
	c := f.link(t, f.mother, f.orrMother, 0.999)
	check("the border and shelter families joined")
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkReject, "not her"); err != nil {
		t.Fatal(err)
	}
	check("split")
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkUndo, "in error"); err != nil {
		t.Fatal(err)
	}
	check("joined again")
	f.link(t, f.mother, f.iceMother, 0.999)
	check("all three joined")
	// Time passes: deadlines fall due without any write.
	f.s.Now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	check("years later")

	s := mustSyntheticClass(t, 200)
	check2 := func(step string) {
		t.Helper()
		got, err := s.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := expectedStats(dossiers(t, s), rescreen.DateOf(s.Now())); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", step, got, want)
		}
	}
	check2("imported")
	before, _ := s.Stats(context.Background())
	for _, params := range []rules.Params{{"cfg.removed_member_counts_as": "OUTSIDE_UNIT", "cfg.partial_waiver": "HOLD_ALL"}, nil} {
		eng, err := rules.NewEngine(params)
		if err != nil {
			t.Fatal(err)
		}
		s.Rules = eng
		s.Now = func() time.Time { return time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC) }
		if _, err := s.MarkOutdated(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeriveDirty(context.Background(), "rules changed"); err != nil {
			t.Fatal(err)
		}
		check2("after a change of rules " + fmt.Sprint(params))
	}
	// The re-derivations must have moved the counters, or the test proved
	// nothing about taking counts away.
	if after, _ := s.Stats(context.Background()); reflect.DeepEqual(before.OverdueByClock, after.OverdueByClock) && before.HeldMembers == after.HeldMembers {
		t.Errorf("the changes of rules changed neither holds nor deadlines: %+v", after)
	} else {
		t.Logf("held members %d -> %d, overdue %v -> %v", before.HeldMembers, after.HeldMembers, before.OverdueByClock, after.OverdueByClock)
	}
}
