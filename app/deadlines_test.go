package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"rescreen"
)

// TestDeadlinesAgreeWithTheDossiers lists every view page by page and
// compares it with the deadlines read from each family's expanded
// determination, on several days.
func TestDeadlinesAgreeWithTheDossiers(t *testing.T) {
	s := mustSyntheticClass(t, 200)
	ctx := context.Background()
	ds := dossiers(t, s)
	type row struct {
		fam     rescreen.FamilyID
		person  rescreen.Ref
		clock   string
		due     rescreen.Date
		overdue bool
	}
	key := func(r row) string { return fmt.Sprintf("%s|%s|%s|%s|%v", r.due, r.fam, r.person, r.clock, r.overdue) }
	total := 0
	for _, today := range []rescreen.Date{rescreen.NewDate(2018, 11, 20), rescreen.NewDate(2019, 1, 15), rescreen.NewDate(2019, 6, 1)} {
		for _, view := range []string{rescreen.DeadlinesOverdue, rescreen.DeadlinesDueSoon, rescreen.DeadlinesOpen} {
			var want []string
			for _, d := range ds {
				if d.Determination == nil {
					continue
				}
				for _, p := range d.Determination.Persons {
					for _, dl := range p.Deadlines {
						if (dl.Status != "OPEN" && dl.Status != "MISSED") || dl.Due.IsZero() {
							continue
						}
						r := row{d.FamilyID, p.Person, dl.ID, dl.Due, dl.Status == "MISSED" || dl.Due.Before(today)}
						switch {
						case view == rescreen.DeadlinesOverdue && !r.overdue:
							continue
						case view == rescreen.DeadlinesDueSoon && (dl.Status != "OPEN" || dl.Due.Before(today) || dl.Due.After(today.AddDays(14))):
							continue
						}
						want = append(want, key(r))
					}
				}
			}
			slices.Sort(want)
			var got []string
			f := rescreen.DeadlineFilter{View: view, Today: today, Limit: 7}
			for pages := 0; ; pages++ {
				page, err := s.Deadlines(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range page.Items {
					got = append(got, key(row{it.FamilyID, it.Person, it.Clock, it.Due, it.Overdue}))
				}
				if page.Next == "" {
					break
				}
				if pages > 10000 {
					t.Fatal("the pages do not end")
				}
				f.After = page.Next
			}
			if !slices.IsSorted(got) {
				t.Errorf("%s %s: not in due-date order", view, today)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s as of %s: %d deadlines, the dossiers have %d", view, today, len(got), len(want))
			}
			total += len(want)
		}
	}
	if total == 0 {
		t.Fatal("the class has no open or missed deadline: the test proves nothing")
	}
	for _, bad := range []rescreen.DeadlineFilter{{View: "late"}, {View: "soon", Within: 400}, {View: "open", Limit: 501}, {View: "open", After: "!!"}} {
		if _, err := s.Deadlines(ctx, bad); rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
