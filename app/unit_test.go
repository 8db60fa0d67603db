package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/rules"
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// unitFixture holds a family recorded by three agencies, as in 2018 they
// would have been: the border agency's family (a mother and her son, both
// screened negative under the settlement), the shelter agency's (its own
// record of the mother, and her daughter, whom nobody has interviewed),
// and the detention agency's (its record of the mother alone, under the
// same A-number).
type unitFixture struct {
	s                 *app.Service
	ctx               context.Context
	cbp, orr, ice     rescreen.FamilyID
	mother, orrMother string // record ids
	iceMother         string
}

func person(src rescreen.Source, sid, fam string, role rescreen.Role, given, born string) rescreen.Person {
	return rescreen.Person{Meta: rescreen.Meta{Source: src, SourceID: sid}, Family: rescreen.NewRef(src, fam), Role: role,
		GivenNames: given, FirstSurname: "Tzoc", SecondSurname: "Ixcoy", BirthDate: rescreen.MustDate(born), Country: "GT",
		Languages: []string{"quc", "es"}, EntryDate: rescreen.NewDate(2018, 6, 2), EntryKind: rescreen.EntryBetweenPorts,
		UnfitOrDanger: no(), CriminalHistory: no(), CommunicableDisease: no(), ActiveWarrant: no(), SubjectToEO13841: no(),
		LacksCapacity: no(), DoraPlaintiff: no()}
}

func screening(sid string, person rescreen.Ref, occ rescreen.Occasion, res rescreen.ScreeningResult, decided rescreen.Date) rescreen.Screening {
	s := rescreen.Screening{Meta: rescreen.Meta{Source: rescreen.SourceUSCIS, SourceID: sid}, Person: person, Kind: rescreen.CredibleFear,
		Occasion: occ, On: decided.AddDays(-3), DecidedOn: decided, Result: res, Final: yes(), WhileSeparated: yes()}
	if occ != rescreen.OccasionInitial {
		s.WhileSeparated = no()
	}
	if occ == rescreen.OccasionSettlement {
		s.ReliesOnInconsistency, s.Counsel, s.Mode = no(), "IN_PERSON", "IN_PERSON"
	}
	return s
}

func newUnitFixture(t *testing.T) *unitFixture {
	t.Helper()
	s := mustService(t)
	s.Now = func() time.Time { return time.Date(2019, 1, 15, 9, 0, 0, 0, time.UTC) }
	eng, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Rules = eng
	f := &unitFixture{s: s, ctx: rescreen.WithActor(context.Background(), "reviewer:3")}
	create := func(d *rescreen.Dataset) rescreen.FamilyID {
		t.Helper()
		dos, err := s.CreateFamily(f.ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return dos.FamilyID
	}
	cbp := rescreen.SourceCBP
	mother, son := rescreen.NewRef(cbp, "P-1"), rescreen.NewRef(cbp, "P-2")
	f.cbp = create(&rescreen.Dataset{
		Families: []rescreen.Family{{Meta: rescreen.Meta{Source: cbp, SourceID: "FAM-1"}}},
		Persons: []rescreen.Person{
			person(cbp, "P-1", "FAM-1", rescreen.RoleParent, "Juana", "1985-04-12"),
			person(cbp, "P-2", "FAM-1", rescreen.RoleChild, "Mateo", "2008-05-10"),
		},
		Identifiers: []rescreen.Identifier{{Meta: rescreen.Meta{Source: cbp, SourceID: "ID-1"}, Person: mother, Kind: "A_NUMBER", Value: "A-212-345-678"}},
		Separations: []rescreen.Separation{{Meta: rescreen.Meta{Source: cbp, SourceID: "S-1"}, Family: rescreen.NewRef(cbp, "FAM-1"), Parent: mother, Child: son,
			On: rescreen.NewDate(2018, 6, 3), PlaceKind: rescreen.EntryBetweenPorts, Agency: "CBP", Reason: rescreen.ReasonProsecution, ChildCustody: rescreen.CustodyORRShelter}},
		Custody: []rescreen.Custody{
			{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "C-1"}, Person: mother, Kind: rescreen.CustodyICE, Start: rescreen.NewDate(2018, 6, 4), End: rescreen.NewDate(2018, 7, 20)},
			{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "C-2"}, Person: mother, Kind: rescreen.CustodyFamily, Start: rescreen.NewDate(2018, 7, 20)},
			{Meta: rescreen.Meta{Source: rescreen.SourceORR, SourceID: "C-3"}, Person: son, Kind: rescreen.CustodyORRShelter, Start: rescreen.NewDate(2018, 6, 4), End: rescreen.NewDate(2018, 7, 20)},
			{Meta: rescreen.Meta{Source: rescreen.SourceORR, SourceID: "C-4"}, Person: son, Kind: rescreen.CustodyFamily, Start: rescreen.NewDate(2018, 7, 20)},
		},
		Proceedings: []rescreen.Proceeding{{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "O-1"}, Person: mother, Kind: rescreen.ProcExpedited,
			Opened: rescreen.NewDate(2018, 6, 20), Status: "ACTIVE"}},
		Screenings: []rescreen.Screening{
			screening("CF-1", mother, rescreen.OccasionInitial, rescreen.ResultNegative, rescreen.NewDate(2018, 6, 18)),
			screening("R-1", mother, rescreen.OccasionSettlement, rescreen.ResultNegative, rescreen.NewDate(2018, 11, 28)),
			screening("R-2", son, rescreen.OccasionChildOwn, rescreen.ResultNegative, rescreen.NewDate(2018, 11, 29)),
		},
	})
	orr := rescreen.SourceORR
	orrMother, daughter := rescreen.NewRef(orr, "UAC-PARENT-88"), rescreen.NewRef(orr, "UAC-91")
	om := person(orr, "UAC-PARENT-88", "ORR-FAM-7", rescreen.RoleParent, "Juana Maria", "1985-04-12")
	om.Languages = nil // the shelter did not record them: the border agency's record has them
	f.orr = create(&rescreen.Dataset{
		Families: []rescreen.Family{{Meta: rescreen.Meta{Source: orr, SourceID: "ORR-FAM-7"}}},
		Persons:  []rescreen.Person{om, person(orr, "UAC-91", "ORR-FAM-7", rescreen.RoleChild, "Rosa", "2012-02-01")},
		Separations: []rescreen.Separation{{Meta: rescreen.Meta{Source: orr, SourceID: "S-9"}, Family: rescreen.NewRef(orr, "ORR-FAM-7"), Parent: orrMother, Child: daughter,
			On: rescreen.NewDate(2018, 6, 3), PlaceKind: rescreen.EntryBetweenPorts, Agency: "CBP", Reason: rescreen.ReasonProsecution, ChildCustody: rescreen.CustodyORRShelter}},
		Custody: []rescreen.Custody{
			{Meta: rescreen.Meta{Source: orr, SourceID: "C-9"}, Person: daughter, Kind: rescreen.CustodyORRShelter, Start: rescreen.NewDate(2018, 6, 4)},
		},
	})
	ice := rescreen.SourceICE
	f.ice = create(&rescreen.Dataset{
		Families:    []rescreen.Family{{Meta: rescreen.Meta{Source: ice, SourceID: "EARM-FAM-3"}}},
		Persons:     []rescreen.Person{person(ice, "EID-5501", "EARM-FAM-3", rescreen.RoleParent, "Juana", "1985-04-12")},
		Identifiers: []rescreen.Identifier{{Meta: rescreen.Meta{Source: ice, SourceID: "ID-5501"}, Person: rescreen.NewRef(ice, "EID-5501"), Kind: "A_NUMBER", Value: "A-212-345-678"}},
	})
	id := func(src rescreen.Source, sid string) string {
		row, ok, err := s.DB.RecordByKey(f.ctx, rescreen.KindPersons, src, sid)
		if err != nil || !ok {
			t.Fatalf("person %s:%s: %v %v", src, sid, ok, err)
		}
		return row.ID
	}
	f.mother, f.orrMother, f.iceMother = id(cbp, "P-1"), id(orr, "UAC-PARENT-88"), id(ice, "EID-5501")
	return f
}

func (f *unitFixture) outcome(t *testing.T, id rescreen.FamilyID) (rescreen.Outcome, *rescreen.Dossier) {
	t.Helper()
	dos, err := f.s.GetFamily(f.ctx, id)
	if err != nil || dos.Determination == nil {
		t.Fatalf("family %s: no determination (%v)", id, err)
	}
	return dos.Determination.Outcome, dos
}

func (f *unitFixture) link(t *testing.T, a, b string, p float64) rescreen.LinkCandidate {
	t.Helper()
	if _, err := f.s.ProposeLinks(f.ctx, []rescreen.LinkScore{{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: a}, Right: rescreen.LinkEnd{RecordID: b},
		Probability: p, Weight: 9, Model: "test"}}, rescreen.DefaultLinkThresholds); err != nil {
		t.Fatal(err)
	}
	q, err := f.s.LinkQueue(f.ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkLinked, rescreen.LinkReview}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range q {
		if (c.Left.RecordID == a && c.Right.RecordID == b) || (c.Left.RecordID == b && c.Right.RecordID == a) {
			return c
		}
	}
	t.Fatalf("no candidate for %s and %s", a, b)
	return rescreen.LinkCandidate{}
}

// TestUnitEvaluation: records that links join are evaluated as one family.
// The border agency's family alone lets removal proceed (mother and son
// screened negative); linked to the shelter agency's record of the
// mother, the unit has a daughter nobody has interviewed, and the
// family's removal is held; the mother's languages, which only the border
// agency recorded, serve the merged person. Rejecting the link (a split)
// brings back each family's own outcome, and undoing the rejection joins
// them again; every step is in the decision log.
func TestUnitEvaluation(t *testing.T) {
	f := newUnitFixture(t)
	if o, _ := f.outcome(t, f.cbp); o != rescreen.OutcomeRemovalMay {
		t.Fatalf("the border agency's family alone: %s, want REMOVAL_MAY_PROCEED", o)
	}
	orrAlone, _ := f.outcome(t, f.orr)
	if orrAlone == rescreen.OutcomeRemovalMay {
		t.Fatal("the shelter's family alone, with a child never interviewed, lets removal proceed")
	}
	c := f.link(t, f.mother, f.orrMother, 0.999)
	if c.State != rescreen.LinkLinked {
		t.Fatalf("link state %s", c.State)
	}
	for _, fam := range []rescreen.FamilyID{f.cbp, f.orr} {
		o, dos := f.outcome(t, fam)
		if o == rescreen.OutcomeRemovalMay || o == rescreen.OutcomeNotCovered {
			t.Fatalf("family %s in a unit with a child never interviewed: %s", fam, o)
		}
		if len(dos.Unit) != 2 || (dos.Unit[0] != f.cbp && dos.Unit[1] != f.cbp) {
			t.Fatalf("unit %v", dos.Unit)
		}
		persons := map[string]bool{}
		for _, p := range dos.Determination.Persons {
			persons[string(p.Person)] = true
		}
		if len(persons) != 3 || !persons["CBP_E3:P-1"] || !persons["CBP_E3:P-2"] || !persons["ORR_UCPORTAL:UAC-91"] {
			t.Fatalf("family %s: the unit's persons are %v, want the mother once and both children", fam, persons)
		}
	}
	// Split: the reviewer rejects the link.
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkReject, "the shelter's Juana Maria is the aunt"); err != nil {
		t.Fatal(err)
	}
	if o, dos := f.outcome(t, f.cbp); o != rescreen.OutcomeRemovalMay || len(dos.Unit) != 0 {
		t.Fatalf("after the split: %s, unit %v", o, dos.Unit)
	}
	if o, _ := f.outcome(t, f.orr); o != orrAlone {
		t.Fatalf("the shelter's family after the split: %s, want %s as before", o, orrAlone)
	}
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkUndo, "rejected in error"); err != nil {
		t.Fatal(err)
	}
	if o, _ := f.outcome(t, f.cbp); o == rescreen.OutcomeRemovalMay {
		t.Fatal("undoing the split did not join the families again")
	}
	ds, err := f.s.Decisions(f.ctx, f.cbp)
	if err != nil || len(ds) != 4 {
		t.Fatalf("decision log %d entries, want 4 (created, linked, split, joined again): %v", len(ds), err)
	}
	if ds[1].InputsHash == ds[0].InputsHash || ds[2].InputsHash != ds[0].InputsHash {
		t.Fatal("the decision log's inputs hash must follow the links applied")
	}
	rep, err := f.s.VerifyAudit(f.ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

// TestUnconfirmedLinkNeverLiftsProtection: an automatic same-person link
// that would let removal proceed only by merging two records (the
// detention agency's record of the mother, under her A-number) does not
// stand until a reviewer confirms it; the family goes to manual review in
// the meantime, and confirming the link applies it.
func TestUnconfirmedLinkNeverLiftsProtection(t *testing.T) {
	f := newUnitFixture(t)
	c := f.link(t, f.mother, f.iceMother, 0.995)
	if c.State != rescreen.LinkLinked {
		t.Fatalf("link state %s", c.State)
	}
	for _, fam := range []rescreen.FamilyID{f.cbp, f.ice} {
		if o, _ := f.outcome(t, fam); o == rescreen.OutcomeRemovalMay || o == rescreen.OutcomeNotCovered {
			t.Fatalf("family %s on an unconfirmed merge: %s", fam, o)
		}
	}
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkConfirm, "same A-number, same birth date, EARM record checked"); err != nil {
		t.Fatal(err)
	}
	for _, fam := range []rescreen.FamilyID{f.cbp, f.ice} {
		if o, _ := f.outcome(t, fam); o != rescreen.OutcomeRemovalMay {
			t.Fatalf("family %s after the merge was confirmed: %s, want REMOVAL_MAY_PROCEED", fam, o)
		}
	}
}

// TestChangeInOneFamilyReachesTheUnit: a change recorded in one family is
// evaluated for every family of its unit, in the same transaction.
func TestChangeInOneFamilyReachesTheUnit(t *testing.T) {
	f := newUnitFixture(t)
	c := f.link(t, f.mother, f.orrMother, 0.999)
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkConfirm, "ORR intake names the same mother"); err != nil {
		t.Fatal(err)
	}
	if o, _ := f.outcome(t, f.cbp); o == rescreen.OutcomeRemovalMay {
		t.Fatal("joined with a child never interviewed, yet removal may proceed")
	}
	// The daughter's own interview, negative, recorded in the shelter's
	// family: every member of the unit has now finished.
	sc := screening("R-9", rescreen.NewRef(rescreen.SourceORR, "UAC-91"), rescreen.OccasionChildOwn, rescreen.ResultNegative, rescreen.NewDate(2018, 12, 20))
	if _, err := f.s.ApplyChanges(f.ctx, f.orr, 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &sc}}); err != nil {
		t.Fatal(err)
	}
	for _, fam := range []rescreen.FamilyID{f.cbp, f.orr} {
		if o, _ := f.outcome(t, fam); o != rescreen.OutcomeRemovalMay {
			t.Fatalf("family %s after the daughter's interview: %s, want REMOVAL_MAY_PROCEED", fam, o)
		}
	}
	// With the merge undone (back to the model's unconfirmed link), the
	// outcome rests on the model alone, and removal may not proceed.
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkUndo, "confirmed before the ORR file was checked"); err != nil {
		t.Fatal(err)
	}
	for _, fam := range []rescreen.FamilyID{f.cbp, f.orr} {
		if o, _ := f.outcome(t, fam); o == rescreen.OutcomeRemovalMay {
			t.Fatalf("family %s lets removal proceed on an unconfirmed merge", fam)
		}
	}
}

// TestSplit: a reviewer takes a family out of its unit, or a record out of
// the person it was merged into; each split rejects exactly the links
// that joined them, with the reason, and the units are evaluated again.
func TestSplit(t *testing.T) {
	f := newUnitFixture(t)
	orrLink := f.link(t, f.mother, f.orrMother, 0.999)
	iceLink := f.link(t, f.mother, f.iceMother, 0.999)
	if _, dos := f.outcome(t, f.cbp); len(dos.Unit) != 3 {
		t.Fatalf("unit %v, want three families", dos.Unit)
	}
	// Bad input changes nothing.
	if _, err := f.s.SplitFamily(f.ctx, f.orr, ""); !isCode(err, rescreen.EINVALID) {
		t.Fatalf("split without a reason: %v", err)
	}
	if _, err := f.s.SplitFamily(f.ctx, "F-NONE", "x"); !isCode(err, rescreen.ENOTFOUND) {
		t.Fatalf("split of a family not on record: %v", err)
	}
	got, err := f.s.SplitFamily(f.ctx, f.orr, "the shelter's family is another mother's")
	if err != nil || len(got) != 1 || got[0].ID != orrLink.ID || got[0].State != rescreen.LinkRejected {
		t.Fatalf("split family: %+v %v", got, err)
	}
	if _, dos := f.outcome(t, f.orr); len(dos.Unit) != 0 {
		t.Fatalf("the shelter's family is still in unit %v", dos.Unit)
	}
	if _, dos := f.outcome(t, f.cbp); len(dos.Unit) != 2 {
		t.Fatalf("the border agency's unit %v, want it and the detention agency's", dos.Unit)
	}
	if _, err := f.s.SplitFamily(f.ctx, f.orr, "again"); !isCode(err, rescreen.ECONFLICT) {
		t.Fatalf("split of a family in no unit: %v", err)
	}
	got, err = f.s.SplitPerson(f.ctx, f.iceMother, "EARM record is of her sister")
	if err != nil || len(got) != 1 || got[0].ID != iceLink.ID {
		t.Fatalf("split person: %+v %v", got, err)
	}
	o, dos := f.outcome(t, f.cbp)
	if len(dos.Unit) != 0 || o != rescreen.OutcomeRemovalMay {
		t.Fatalf("after both splits: %s in unit %v", o, dos.Unit)
	}
	_, hist, err := f.s.LinkHistory(f.ctx, iceLink.ID)
	if err != nil || len(hist) != 2 || hist[1].State != rescreen.LinkRejected || !strings.Contains(hist[1].Reason, "sister") || hist[1].Actor != "reviewer:3" {
		t.Fatalf("history %+v %v", hist, err)
	}
	rep, err := f.s.VerifyAudit(f.ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

// TestMergedRecordsThatDisagree: two records of one person that give a
// fact differently leave it unknown, and the rules ask for it instead of
// one agency's word being taken over the other's. The detention agency
// found the mother unfit; the border agency's record says she is not.
func TestMergedRecordsThatDisagree(t *testing.T) {
	f := newUnitFixture(t)
	row, _, err := f.s.DB.RecordByKey(f.ctx, rescreen.KindPersons, rescreen.SourceICE, "EID-5501")
	if err != nil {
		t.Fatal(err)
	}
	p := person(rescreen.SourceICE, "EID-5501", "EARM-FAM-3", rescreen.RoleParent, "Juana", "1985-04-12")
	p.UnfitOrDanger = yes()
	if _, err := f.s.ApplyChanges(f.ctx, row.FamilyID, 0, []rescreen.Change{{Kind: rescreen.KindPersons, Record: &p}}); err != nil {
		t.Fatal(err)
	}
	c := f.link(t, f.mother, f.iceMother, 0.995)
	if _, err := f.s.DecideLink(f.ctx, c.ID, app.LinkConfirm, "same A-number, same birth date"); err != nil {
		t.Fatal(err)
	}
	o, dos := f.outcome(t, f.cbp)
	if o != rescreen.OutcomeNeedsInfo || len(dos.Determination.Missing) == 0 {
		t.Fatalf("merged records disagreeing on fitness: %s, missing %v; want NEEDS_INFORMATION", o, dos.Determination.Missing)
	}
	found := false
	for _, m := range dos.Determination.Missing {
		found = found || strings.Contains(m, "unfit_or_danger")
	}
	if !found {
		t.Fatalf("missing %v does not ask for the fitness finding", dos.Determination.Missing)
	}
}
