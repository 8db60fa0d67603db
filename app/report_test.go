package app_test

import (
	"bytes"
	"context"
	"testing"

	"rescreen"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/sqlstore"
)

func reportJSON(t *testing.T, r *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReportFromStoredContributions: the status report as of the day the
// families were derived sums their stored contributions, and must be the
// report that evaluating every family gives, byte for byte: with a unit of
// linked families, after a change to a family, with families marked dirty
// (their contribution is gone until they are derived again), and under
// another rule set (whose report evaluates everything).
func TestReportFromStoredContributions(t *testing.T) {
	ctx := rescreen.WithActor(context.Background(), "test")
	s := mustService(t)
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	importSyntheticClass(t, s, 250)
	today := rescreen.DateOf(s.Now())
	key := sqlstore.ReportFactsKey{AsOf: today.String(), RuleVersion: eng.Version(), Definitions: report.DefinitionsVersion}
	families, matching, err := s.DB.ReportFactsCount(ctx, key)
	if err != nil || families != 250 || matching != 250 {
		t.Fatalf("after the import %d families, %d contributions for %s (%v); want 250 of each", families, matching, today, err)
	}

	// The reference: every family evaluated, no contribution read.
	evaluated := func() []byte {
		t.Helper()
		b, err := s.StatusReportByEvaluation(ctx, eng, today, 2)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	check := func(step string) {
		t.Helper()
		r, err := s.StatusReport(ctx, eng, today, 2)
		if err != nil {
			t.Fatal(err)
		}
		r.Snapshot = report.Snapshot{}
		if got, want := reportJSON(t, r), evaluated(); !bytes.Equal(got, want) {
			t.Errorf("%s: the report from contributions differs from the evaluated one:\n%s\n---\n%s", step, got, want)
		}
	}
	check("after the import")

	// A unit: two families joined by a same-person link the model made.
	fams, err := s.DB.FamilyIDs(ctx, sqlstore.Query{Limit: 5})
	if err != nil || len(fams) < 5 {
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
	if links, err := s.DB.LinksInForce(ctx, fams[0].ID); err != nil || len(links) != 1 {
		t.Fatalf("the two families are not joined: %d links in force (%v)", len(links), err)
	}
	if _, matching, _ = s.DB.ReportFactsCount(ctx, key); matching != 250 {
		t.Errorf("a unit's families keep a row (without a body): %d rows, want 250", matching)
	}
	check("with a unit")

	// A change to a family: its contribution is written again.
	f := fams[2].ID
	dos, err := s.GetFamily(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	person := dos.Records.Persons[0].Key()
	sc := &rescreen.Screening{Meta: rescreen.Meta{Source: rescreen.SourceUSCIS, SourceID: "REPORT-TEST-1"}, Person: person,
		Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, On: rescreen.NewDate(2018, 11, 2),
		Result: rescreen.ResultNegative, DecidedOn: rescreen.NewDate(2018, 11, 5), Officer: "AO-1"}
	if _, err := s.ApplyChanges(ctx, f, dos.Version, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: sc}}); err != nil {
		t.Fatal(err)
	}
	check("after a change")

	// Dirty families lose their contribution and are evaluated.
	if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.Exec(ctx, `UPDATE families SET dirty = 1 WHERE id IN (?, ?)`, fams[3].ID, fams[4].ID)
	}); err != nil {
		t.Fatal(err)
	}
	if _, matching, _ = s.DB.ReportFactsCount(ctx, key); matching != 248 {
		t.Errorf("after marking two families dirty, %d contributions, want 248", matching)
	}
	check("with dirty families")

	// Another day: nothing stored matches until the day's contributions
	// are stored (what the server does each day); the report is the same
	// either way, and the refresh skips the families awaiting derivation.
	later := rescreen.NewDate(2019, 6, 1)
	before, err := s.StatusReport(ctx, eng, later, 2)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.RefreshReportFacts(ctx, later)
	if err != nil || n != 248 {
		t.Fatalf("the refresh stored %d contributions (%v), want 248: all but the two dirty families", n, err)
	}
	if n, err := s.RefreshReportFacts(ctx, later); err != nil || n != 0 {
		t.Errorf("a second refresh stored %d (%v), want 0", n, err)
	}
	laterKey := sqlstore.ReportFactsKey{AsOf: later.String(), RuleVersion: eng.Version(), Definitions: report.DefinitionsVersion}
	if _, matching, _ := s.DB.ReportFactsCount(ctx, laterKey); matching != 248 {
		t.Errorf("%d contributions as of %s, want 248", matching, later)
	}
	after, err := s.StatusReport(ctx, eng, later, 2)
	if err != nil {
		t.Fatal(err)
	}
	before.Snapshot, after.Snapshot = report.Snapshot{}, report.Snapshot{}
	if a, b := reportJSON(t, before), reportJSON(t, after); !bytes.Equal(a, b) {
		t.Errorf("as of %s the report from stored contributions differs from the evaluated one:\n%s\n---\n%s", later, b, a)
	}
	if v, _ := after.Get("SR-1", ""); v != 250 {
		t.Errorf("SR-1 = %d, want 250", v)
	}

	// Another rule set: nothing stored matches, every family is
	// evaluated, and the result is still a full report.
	other, err := rules.NewEngine(rules.Params{"cfg.removed_member_counts_as": "OUTSIDE_UNIT"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*rules.Engine{other} {
		r, err := s.StatusReport(ctx, e, rescreen.NewDate(2019, 6, 1), 2)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := r.Get("SR-1", ""); v != 250 {
			t.Errorf("SR-1 = %d, want 250", v)
		}
	}
}
