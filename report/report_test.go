package report

import (
	"bytes"
	"strings"
	"testing"

	"rescreen"
)

var asOf = rescreen.MustDate("2019-06-01")

func meta(src rescreen.Source, id string) rescreen.Meta {
	return rescreen.Meta{Source: src, SourceID: id}
}

func person(src rescreen.Source, id string, role rescreen.Role, born, country string) rescreen.Person {
	p := rescreen.Person{Meta: meta(src, id), Role: role, GivenNames: id, Country: country}
	if born != "" {
		p.BirthDate = rescreen.MustDate(born)
	}
	return p
}

func covered(ref rescreen.Ref, role rescreen.Role, loc string, held bool) rescreen.PersonDetermination {
	return rescreen.PersonDetermination{Person: ref, Role: role, Location: loc,
		Coverage: []rescreen.Coverage{{RuleSet: "COV-2018-06", Status: rescreen.NotCovered}, {RuleSet: "COV-2018-S", Status: rescreen.Covered}},
		Hold:     rescreen.Hold{Held: held}}
}

var yes = true

// fixtures are three families and a unit of two, whose every count is
// worked out by hand in TestFixtureCounts.
func fixtures() (ds []*rescreen.Dataset, rs []*rescreen.Determination) {
	// A: a removed parent, negative on review, and a child under five in
	// the U.S., still waiting for the interview the election asked for.
	p1 := person("CBP_E3", "A-P", rescreen.RoleParent, "1985-02-03", "GT")
	c1 := person("CBP_E3", "A-C", rescreen.RoleChild, "2015-01-01", "GT")
	a := &rescreen.Dataset{
		Families: []rescreen.Family{{Meta: meta("CBP_E3", "A")}},
		Persons:  []rescreen.Person{p1, c1},
		Elections: []rescreen.Election{
			{Meta: meta("CLASS_COUNSEL", "A-E1"), Person: p1.Key(), Choice: rescreen.ChoiceRemain, ReceivedOn: rescreen.MustDate("2019-01-10")},
			{Meta: meta("CLASS_COUNSEL", "A-E2"), Person: c1.Key(), Choice: rescreen.ChoiceRemain, ReceivedOn: rescreen.MustDate("2019-01-12")},
		},
		Screenings: []rescreen.Screening{
			{Meta: meta("USCIS", "A-S1"), Person: p1.Key(), Occasion: rescreen.OccasionSettlement, On: rescreen.MustDate("2019-01-20"),
				Result: rescreen.ResultNegative, DecidedOn: rescreen.MustDate("2019-01-25"), Final: &yes},
			// The first interview, in 2018, is not a settlement review.
			{Meta: meta("USCIS", "A-S0"), Person: p1.Key(), Occasion: rescreen.OccasionInitial, On: rescreen.MustDate("2018-05-20"),
				Result: rescreen.ResultNegative, DecidedOn: rescreen.MustDate("2018-05-21")},
		},
	}
	ra := &rescreen.Determination{Outcome: rescreen.OutcomeStays, Persons: []rescreen.PersonDetermination{
		covered(p1.Key(), rescreen.RoleParent, "REMOVED", false),
		covered(c1.Key(), rescreen.RoleChild, "IN_US", true),
	}}
	ra.Persons[1].Deadlines = []rescreen.Deadline{{ID: "T-2", Title: "Orientation and interview begin after the election", Status: "MISSED"},
		{ID: "W9", Title: "Wait from the election to the decision", Status: "OPEN"}}

	// B: a parent in two source lists under two names (merged into one
	// person), who validly waived; the family may be removed; a return
	// request, and one not yet submitted.
	p2 := person("ICE_EARM", "B-P", rescreen.RoleParent, "1990-07-07", "HN")
	c2 := person("ICE_EARM", "B-C", rescreen.RoleChild, "2010-03-03", "HN")
	b := &rescreen.Dataset{
		Families: []rescreen.Family{{Meta: meta("ICE_EARM", "B")}},
		Persons:  []rescreen.Person{p2, c2},
		Names:    []rescreen.NameVariant{{Meta: meta("CLASS_COUNSEL", "B-P9#linked-name"), Person: p2.Key(), GivenNames: "Otro Nombre"}},
		Elections: []rescreen.Election{
			{Meta: meta("CLASS_COUNSEL", "B-E1"), Person: p2.Key(), Choice: rescreen.ChoiceReturn, ReceivedOn: rescreen.MustDate("2019-02-01")},
			{Meta: meta("CLASS_COUNSEL", "B-E2"), Person: c2.Key(), Choice: rescreen.ChoiceReturn, ReceivedOn: rescreen.MustDate("2019-07-01")}, // after the date
		},
		ReturnRequests: []rescreen.ReturnRequest{
			{Meta: meta("CLASS_COUNSEL", "B-R1"), Parent: p2.Key(), State: "GOV_DENIED", SubmittedOn: rescreen.MustDate("2019-03-01")},
			{Meta: meta("CLASS_COUNSEL", "B-R2"), Parent: p2.Key(), State: "DRAFT"},
		},
	}
	rb := &rescreen.Determination{Outcome: rescreen.OutcomeRemovalMay, Persons: []rescreen.PersonDetermination{
		covered(p2.Key(), rescreen.RoleParent, "IN_US", false),
		covered(c2.Key(), rescreen.RoleChild, "IN_US", false),
	}}
	rb.Persons[0].Elections = []rescreen.ElectionCheck{{Election: "CLASS_COUNSEL:B-E1", Choice: "B_RETURN", Validity: "VALID"}}

	// C: nobody covered; nobody unsettled either.
	p3 := person("ORR_UAC", "C-P", rescreen.RoleParent, "1980-01-01", "SV")
	c := &rescreen.Dataset{Families: []rescreen.Family{{Meta: meta("ORR_UAC", "C")}}, Persons: []rescreen.Person{p3}}
	rc := &rescreen.Determination{Outcome: rescreen.OutcomeNotCovered, Persons: []rescreen.PersonDetermination{
		{Person: p3.Key(), Role: rescreen.RoleParent, Location: "IN_US", Coverage: []rescreen.Coverage{{RuleSet: "COV-2018-S", Status: rescreen.NotCovered}}}}}
	return []*rescreen.Dataset{a, b, c}, []*rescreen.Determination{ra, rb, rc}
}

// unit is two families that links join: one dataset, evaluated once per
// family, with the same members.
func unit() (*rescreen.Dataset, *rescreen.Determination) {
	p := person("CBP_E3", "U-P", rescreen.RoleParent, "1979-09-09", "")
	k := person("CBP_E3", "U-C", rescreen.RoleChild, "2017-02-02", "GT")
	d := &rescreen.Dataset{Families: []rescreen.Family{{Meta: meta("CBP_E3", "U1")}, {Meta: meta("ORR_UAC", "U2")}}, Persons: []rescreen.Person{p, k}}
	r := &rescreen.Determination{Outcome: rescreen.OutcomePending, Persons: []rescreen.PersonDetermination{
		covered(p.Key(), rescreen.RoleParent, "UNKNOWN", true), covered(k.Key(), rescreen.RoleChild, "IN_US", true)}}
	return d, r
}

func build(t *testing.T, workers int) *Report {
	t.Helper()
	ds, rs := fixtures()
	tallies := make([]*Tally, workers)
	for i := range tallies {
		tallies[i] = NewTally(asOf)
	}
	for i := range ds {
		tallies[i%workers].Add(ds[i], rs[i])
	}
	ud, ur := unit()
	tallies[0].AddUnit(ud, ur)
	tallies[0].AddUnit(ud, ur) // the unit's second family
	tallies[0].Add(&rescreen.Dataset{}, nil)
	for _, o := range tallies[1:] {
		tallies[0].Merge(o)
	}
	return tallies[0].Report("Status report", Snapshot{AuditSeq: 42, AuditHash: "abc"}, "v1")
}

func TestFixtureCounts(t *testing.T) {
	rep := build(t, 1)
	want := []struct {
		id, group string
		n         int64
	}{
		{"SR-1", "", 6}, // A, B, C, the unit's two families, one not evaluated
		{"SR-2", "", 4}, // A, B and the unit's two families
		{"SR-3", "", 6}, // A's two, B's two, the unit's two once
		{"SR-3", "parents", 3},
		{"SR-3", "children", 3},
		{"SR-4", "parents REMOVED", 1},
		{"SR-4", "parents IN_US", 1},
		{"SR-4", "parents UNKNOWN", 1},
		{"SR-4", "children IN_US", 3},
		{"SR-5", "", 2},        // A's child (4) and the unit's child (2); B's is 9
		{"SR-6", "GT", 3},      // A's two and the unit's child
		{"SR-6", "HN", 2},      // B's two
		{"SR-6", "unknown", 1}, // the unit's parent
		{"SR-7", "", 3},        // A's two and B's parent; B's child's came after the date
		{"SR-7", "A_REMAIN", 2},
		{"SR-7", "B_RETURN", 1},
		{"SR-8", "", 1},
		{"SR-9", "SETTLEMENT_REVIEW", 1}, // the 2018 interview is not counted
		{"SR-10", "SETTLEMENT_REVIEW NEGATIVE", 1},
		{"SR-11", "done count", 1},
		{"SR-11", "done median", 10}, // 2019-01-10 to 2019-01-20
		{"SR-11", "waiting count", 1},
		{"SR-11", "waiting max", 140}, // 2019-01-12 to 2019-06-01
		{"SR-12", "STAYS", 1},
		{"SR-12", "REMOVAL_MAY_PROCEED", 1},
		{"SR-12", "NOT_COVERED", 1},
		{"SR-12", "PENDING", 2},
		{"SR-12", "NOT_EVALUATED", 1},
		{"SR-12", "MANUAL_REVIEW", 0},
		{"SR-13", "families", 3}, // A and the unit's two families
		{"SR-13", "members", 3},  // A's child and the unit's two, once
		{"SR-14", "", 1},         // the draft was never submitted
		{"SR-14", "GOV_DENIED", 1},
		{"SR-15", "", 1},
		{"SR-15", "T-2 Orientation and interview begin after the election", 1},
		{"SR-16", "CBP_E3 records", 4},
		{"SR-16", "CBP_E3 counted", 4},
		{"SR-16", "ICE_EARM records", 2},
		{"SR-16", "CLASS_COUNSEL records", 1},
		{"SR-16", "CLASS_COUNSEL merged", 1},
	}
	for _, w := range want {
		got, ok := rep.Get(w.id, w.group)
		if !ok || got != w.n {
			t.Errorf("%s [%s] = %d (present %v), want %d", w.id, w.group, got, ok, w.n)
		}
	}
	if n, _ := rep.Get("SR-3", "membership unsettled"); n != 0 {
		t.Errorf("%d unsettled memberships; the fixtures have none", n)
	}
	if _, ok := rep.Get("SR-16", "ORR_UAC counted"); ok {
		t.Error("an uncovered person's record counted as a member")
	}
}

// TestSameInputSameBytes: the report is the same, byte for byte, in JSON
// and CSV, whatever the number of workers and the order of the families.
func TestSameInputSameBytes(t *testing.T) {
	var first [2][]byte
	for i, workers := range []int{1, 2, 3} {
		rep := build(t, workers)
		var j, c bytes.Buffer
		if err := rep.WriteJSON(&j); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteCSV(&c); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = [2][]byte{j.Bytes(), c.Bytes()}
			continue
		}
		if !bytes.Equal(j.Bytes(), first[0]) || !bytes.Equal(c.Bytes(), first[1]) {
			t.Fatalf("%d workers give other bytes", workers)
		}
	}
	csv := string(first[1])
	if !strings.HasPrefix(csv, "as_of,audit_seq,audit_hash,rule_set_version,definitions_version,id,metric,group,value\n") ||
		!strings.Contains(csv, "2019-06-01,42,abc,v1,"+DefinitionsVersion+",SR-1,families in the registry,,6\n") {
		t.Errorf("CSV:\n%s", csv)
	}
}

func TestWaitStatistics(t *testing.T) {
	rows := waitRows("done", []int{5, 1, 9, 3, 7, 2, 8, 4, 6, 10})
	want := map[string]int64{"done count": 10, "done median": 5, "done p90": 9, "done max": 10}
	for _, r := range rows {
		if want[r.Group] != r.Value {
			t.Errorf("%s = %d, want %d", r.Group, r.Value, want[r.Group])
		}
	}
	if rows := waitRows("waiting", nil); len(rows) != 1 || rows[0].Value != 0 {
		t.Errorf("no waits: %v", rows)
	}
	if rows := waitRows("one", []int{7}); rows[1].Value != 7 || rows[2].Value != 7 || rows[3].Value != 7 {
		t.Errorf("one wait: %v", rows)
	}
}
