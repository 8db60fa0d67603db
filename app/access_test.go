package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/synth"
)

// scopedStore holds two families: ELP, whose parent is held at the ELP
// facility, whose child (a minor, with an A-number and an alias) is in a
// Houston shelter, and whose parent's interview carries notes; and FLR,
// the same in places nobody of the tests covers.
func scopedStore(t *testing.T) (*app.Service, map[string]rescreen.FamilyID) {
	t.Helper()
	s := mustService(t)
	ctx := context.Background()
	fams := map[string]rescreen.FamilyID{}
	for _, place := range []string{"ELP", "FLR"} {
		fam := rescreen.Ref("MANUAL:F-" + place)
		parent := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-P"}, Family: fam, Role: rescreen.RoleParent,
			GivenNames: "Rosa Elena", FirstSurname: "Tzul" + place, BirthDate: rescreen.MustDate("1988-01-15")}
		child := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-C"}, Family: fam, Role: rescreen.RoleChild,
			GivenNames: "Yesenia", FirstSurname: "Tzul" + place, BirthDate: rescreen.MustDate("2011-07-30")}
		d := &rescreen.Dataset{
			Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-" + place}, Notes: "family notes " + place}},
			Persons:  []rescreen.Person{parent, child},
			Names: []rescreen.NameVariant{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-N"}, Person: child.Key(), Kind: "ALIAS",
				GivenNames: "Yesi" + place}},
			Identifiers: []rescreen.Identifier{
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-PA"}, Person: parent.Key(), Kind: rescreen.IDANumber, Value: "A111222333"},
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-CA"}, Person: child.Key(), Kind: rescreen.IDANumber, Value: "A444555666"},
			},
			Custody: []rescreen.Custody{
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-K1"}, Person: parent.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"), Facility: place + "-SPC"},
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-K2"}, Person: child.Key(), Kind: rescreen.CustodyORRShelter, Start: rescreen.MustDate("2018-05-22"), Facility: "shelter " + place},
			},
			Screenings: []rescreen.Screening{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: place + "-S"}, Person: parent.Key(), Kind: rescreen.CredibleFear,
				Occasion: rescreen.OccasionInitial, On: rescreen.MustDate("2018-06-01"), Result: "NEGATIVE", Office: "Z" + place, Officer: "ao-" + strings.ToLower(place),
				Notes: "she feared for the child " + place}},
		}
		dos, err := s.CreateFamily(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		fams[place] = dos.FamilyID
	}
	return s, fams
}

func as(user string, roles ...access.Assignment) context.Context {
	return access.NewContext(context.Background(), access.Principal{User: user, Roles: roles})
}

var (
	iceELP     = access.Assignment{Role: access.ICEOfficer, Scope: access.Unit, Units: []string{"facility:ELP-SPC"}}
	orrELP     = access.Assignment{Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:SHELTER ELP"}}
	asylumOwn  = access.Assignment{Role: access.AsylumOfficer, Scope: access.Own}
	counselAll = access.Assignment{Role: access.ClassCounsel, Scope: access.All}
)

// TestUnitsOfAFamily: the units come from the records, written as the
// policy compares them.
func TestUnitsOfAFamily(t *testing.T) {
	s, fams := scopedStore(t)
	res, err := s.Resource(context.Background(), fams["ELP"])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Units, " "); got != "facility:ELP-SPC office:ZELP shelter:SHELTER ELP user:ao-elp" {
		t.Fatalf("units: %q", got)
	}
	if _, err := s.Resource(context.Background(), "F-NOPE"); rescreen.ErrorCode(err) != rescreen.ENOTFOUND {
		t.Fatalf("unknown family: %v", err)
	}
}

// TestMaskedDossier: an ICE officer reads the family in the officer's
// facility with the child's name as initials, no birth date, the child's
// A-number masked and alias gone, and no interview notes; the parent as
// recorded. An ORR case manager sees the child but no notes and no
// screenings. Counsel sees everything.
func TestMaskedDossier(t *testing.T) {
	s, fams := scopedStore(t)
	dos, err := s.GetFamily(as("ice-1", iceELP), fams["ELP"])
	if err != nil {
		t.Fatal(err)
	}
	r := dos.Records
	var parent, child rescreen.Person
	for _, p := range r.Persons {
		if p.Role == rescreen.RoleChild {
			child = p
		} else {
			parent = p
		}
	}
	if child.GivenNames != "Y." || child.FirstSurname != "T." || !child.BirthDate.IsZero() {
		t.Errorf("the child as ICE sees it: %+v", child)
	}
	if parent.GivenNames != "Rosa Elena" || parent.BirthDate.IsZero() {
		t.Errorf("the parent as ICE sees it: %+v", parent)
	}
	for _, id := range r.Identifiers {
		if id.Person == child.Key() && id.Value != "A-XXX-XX5-666" || id.Person == parent.Key() && id.Value != "A111222333" {
			t.Errorf("identifier as ICE sees it: %+v", id)
		}
	}
	if len(r.Names) != 0 || len(r.Screenings) != 1 || r.Screenings[0].Notes != "" || r.Families[0].Notes != "" {
		t.Errorf("aliases %v, screenings %+v, family notes %q", r.Names, r.Screenings, r.Families[0].Notes)
	}

	dos, err = s.GetFamily(as("orr-1", orrELP), fams["ELP"])
	if err != nil {
		t.Fatal(err)
	}
	if len(dos.Records.Screenings) != 0 || !strings.Contains(fmtPersons(dos.Records.Persons), "Yesenia") || len(dos.Records.Names) != 1 {
		t.Errorf("ORR's view: screenings %+v, persons %+v", dos.Records.Screenings, dos.Records.Persons)
	}

	dos, err = s.GetFamily(as("cc-1", counselAll), fams["ELP"])
	if err != nil {
		t.Fatal(err)
	}
	if dos.Records.Screenings[0].Notes == "" || dos.Records.Identifiers[0].Value+dos.Records.Identifiers[1].Value != "A444555666A111222333" {
		t.Errorf("counsel's view is masked: %+v", dos.Records)
	}
}

// TestMaskWithTheCheckedUnits: a read is masked with the units its
// request's policy check was allowed on (carried in the context), not
// with units read again; a resource of another family does not count.
func TestMaskWithTheCheckedUnits(t *testing.T) {
	s, fams := scopedStore(t)
	child := func(ctx context.Context) bool {
		dos, err := s.GetFamily(ctx, fams["ELP"])
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(fmtPersons(dos.Records.Persons), "Yesenia")
	}
	ctx := as("orr-1", orrELP)
	if !child(ctx) {
		t.Fatal("the ORR case manager of the child's shelter does not see the child")
	}
	other := access.WithResources(ctx, []*access.Resource{{Family: string(fams["FLR"])}})
	if !child(other) {
		t.Error("another family's resource changed the mask")
	}
	checked := access.WithResources(ctx, []*access.Resource{{Family: string(fams["ELP"]), Units: []string{"facility:ELP-SPC"}}})
	if child(checked) {
		t.Error("the units the check was allowed on (not the shelter's) did not decide the mask")
	}
}

// TestListsKeepToTheReach: lists, search and deadlines show only the
// families the principal reaches, and mask as the dossier does; a role
// without the group is refused.
func TestListsKeepToTheReach(t *testing.T) {
	s, fams := scopedStore(t)
	ctx := as("ice-1", iceELP)
	page, err := s.ListFamilies(ctx, rescreen.Filter{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != fams["ELP"] {
		t.Fatalf("families as ICE: %+v %v", page, err)
	}
	if got := strings.Join(page.Items[0].Names, ", "); !strings.Contains(got, "Rosa Elena TzulELP") || !strings.Contains(got, "Y. T.") || strings.Contains(got, "Yesenia") {
		t.Errorf("names as ICE: %s", got)
	}
	persons, err := s.ListPersons(ctx, rescreen.Filter{Name: "tzul"})
	if err != nil || len(persons.Items) != 2 {
		t.Fatalf("persons as ICE: %+v %v", persons, err)
	}
	for _, p := range persons.Items {
		if p.Role == rescreen.RoleChild && (p.Name != "Y. T." || !p.BirthDate.IsZero() || p.ANumbers[0] != "A-XXX-XX5-666") {
			t.Errorf("the child as ICE lists it: %+v", p)
		}
	}
	res, err := s.Search(ctx, "Yesenia Tzul", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.FamilyID != fams["ELP"] || strings.Contains(h.Name, "Yesenia") {
			t.Errorf("a hit as ICE: %+v", h)
		}
	}
	if res, err := s.Search(ctx, "A444555666", 0); err != nil || len(res.Hits) != 1 {
		t.Errorf("A-number search as ICE: %+v %v", res, err)
	}
	// Own scope: the officer named in the screening of FLR only.
	mine, err := s.ListFamilies(as("ao-flr", asylumOwn), rescreen.Filter{})
	if err != nil || len(mine.Items) != 1 || mine.Items[0].ID != fams["FLR"] {
		t.Fatalf("own families: %+v %v", mine, err)
	}
	if _, err := s.ListFamilies(as("mon", access.Assignment{Role: access.Monitor, Scope: access.All}), rescreen.Filter{}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Errorf("a monitor listing families: %v", err)
	}
}

// TestDeadlinesKeepToTheReach: on a synthetic class, the deadlines a
// shelter's case manager lists are some of the class's, each of a family
// that names the shelter; a shelter nobody names lists none.
func TestDeadlinesKeepToTheReach(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 200
	class := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, class)
	s := mustService(t)
	var err error
	if s.Rules, err = rules.NewEngine(rules.Params{}); err != nil {
		t.Fatal(err)
	}
	if _, err := importPaths(t, s, app.ImportOptions{}, class); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.DeriveDirty(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	all, err := s.Deadlines(ctx, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Limit: 500})
	if err != nil || len(all.Items) == 0 {
		t.Fatalf("the class's deadlines: %d %v", len(all.Items), err)
	}
	// The shelter of the first family with a deadline.
	units, err := s.DB.FamilyUnits(ctx, all.Items[0].FamilyID)
	if err != nil {
		t.Fatal(err)
	}
	shelter := ""
	for _, u := range units[all.Items[0].FamilyID] {
		if strings.HasPrefix(u, "shelter:") {
			shelter = u
		}
	}
	if shelter == "" {
		t.Fatalf("family %s names no shelter: %v", all.Items[0].FamilyID, units)
	}
	orr := as("orr-1", access.Assignment{Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{shelter}})
	mine, err := s.Deadlines(orr, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Items) == 0 || len(mine.Items) >= len(all.Items) {
		t.Errorf("deadlines of %s: %d of %d, want some but not all", shelter, len(mine.Items), len(all.Items))
	}
	for _, d := range mine.Items {
		u, err := s.DB.FamilyUnits(ctx, d.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(u[d.FamilyID], shelter) {
			t.Errorf("a deadline of family %s, which does not name %s", d.FamilyID, shelter)
		}
	}
	none, err := s.Deadlines(as("orr-2", access.Assignment{Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:NONE"}}),
		rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen})
	if err != nil || len(none.Items) != 0 {
		t.Errorf("deadlines of a shelter nobody names: %+v %v", none, err)
	}

	// "My team's" for the case manager is the shelter's list; an officer
	// of every family has no team.
	team, err := s.Deadlines(orr, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Whose: rescreen.DeadlinesTeam, Limit: 500})
	if err != nil || !slices.Equal(team.Items, mine.Items) {
		t.Errorf("the case manager's team's deadlines: %d, want the shelter's %d (%v)", len(team.Items), len(mine.Items), err)
	}
	// "Mine" for an officer of every family is the families naming the
	// officer: some of the class's, each naming the user.
	officer := ""
	for _, d := range all.Items {
		u, err := s.DB.FamilyUnits(ctx, d.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range u[d.FamilyID] {
			if strings.HasPrefix(x, "user:") {
				officer = strings.TrimPrefix(x, "user:")
			}
		}
		if officer != "" {
			break
		}
	}
	if officer == "" {
		t.Fatal("no family with a deadline names an officer")
	}
	ao := as(officer, access.Assignment{Role: access.AsylumOfficer, Scope: access.All})
	own, err := s.Deadlines(ao, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Whose: rescreen.DeadlinesMine, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Items) == 0 || len(own.Items) >= len(all.Items) {
		t.Errorf("deadlines of officer %s: %d of %d, want some but not all", officer, len(own.Items), len(all.Items))
	}
	for _, d := range own.Items {
		u, err := s.DB.FamilyUnits(ctx, d.FamilyID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(u[d.FamilyID], "user:"+officer) {
			t.Errorf("officer %s's deadline of family %s, which does not name the officer", officer, d.FamilyID)
		}
	}
	everyone, err := s.Deadlines(ao, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Whose: rescreen.DeadlinesAll, Limit: 500})
	if err != nil || len(everyone.Items) != len(all.Items) {
		t.Errorf("everyone's deadlines for an officer of all families: %d of %d (%v)", len(everyone.Items), len(all.Items), err)
	}
	// Refused: a team for a user without units, "mine" without a user,
	// an unknown choice.
	for name, c := range map[string]struct {
		ctx   context.Context
		whose string
	}{
		"team without units": {ao, rescreen.DeadlinesTeam},
		"mine without user":  {ctx, rescreen.DeadlinesMine},
		"unknown":            {ao, "theirs"},
	} {
		_, err := s.Deadlines(c.ctx, rescreen.DeadlineFilter{View: rescreen.DeadlinesOpen, Whose: c.whose})
		if rescreen.ErrorCode(err) != rescreen.EINVALID || !strings.Contains(err.Error(), "whose") {
			t.Errorf("%s: %v, want EINVALID naming whose", name, err)
		}
	}
}

// TestWritesKeepToTheGroups: a change is refused for a kind of record the
// principal may not change in the family, and allowed otherwise; a family
// is created only within the creator's reach.
func TestWritesKeepToTheGroups(t *testing.T) {
	s, fams := scopedStore(t)
	scr := &rescreen.Screening{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "ELP-S2"}, Person: "MANUAL:ELP-P", Kind: rescreen.CredibleFear,
		Occasion: rescreen.OccasionSettlement, Result: rescreen.ResultPending}
	_, err := s.ApplyChanges(as("ice-1", iceELP), fams["ELP"], 0, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: scr}})
	if rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Fatalf("ICE adding a screening: %v", err)
	}
	cus := &rescreen.Custody{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "ELP-K3"}, Person: "MANUAL:ELP-P", Kind: rescreen.CustodyReleased, Start: rescreen.MustDate("2018-07-01")}
	if _, err := s.ApplyChanges(as("ice-1", iceELP), fams["ELP"], 0, []rescreen.Change{{Kind: rescreen.KindCustody, Record: cus}}); err != nil {
		t.Fatalf("ICE releasing the parent: %v", err)
	}
	cus2 := *cus
	cus2.SourceID, cus2.Person = "FLR-K3", "MANUAL:FLR-P"
	if _, err := s.ApplyChanges(as("ice-1", iceELP), fams["FLR"], 0, []rescreen.Change{{Kind: rescreen.KindCustody, Record: &cus2}}); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Fatalf("ICE changing a family of another facility: %v", err)
	}
	fam := rescreen.Family{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-NEW"}}
	p := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "NEW-P"}, Family: fam.Key(), Role: rescreen.RoleParent, GivenNames: "Ana"}
	k := rescreen.Custody{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "NEW-K"}, Person: p.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-06-01"), Facility: "FLR-SPC"}
	d := &rescreen.Dataset{Families: []rescreen.Family{fam}, Persons: []rescreen.Person{p}, Custody: []rescreen.Custody{k}}
	if _, err := s.CreateFamily(as("ice-1", iceELP), d); rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
		t.Fatalf("ICE creating a family held elsewhere: %v", err)
	}
	d.Custody[0].Facility = "ELP-SPC"
	if _, err := s.CreateFamily(as("ice-1", iceELP), d); err != nil {
		t.Fatalf("ICE creating a family held at its facility: %v", err)
	}
}

// TestExportForAUser: an export made for a user holds only the families
// in the user's scope, masked as the user's dossier is; JSON and CSV
// alike.
func TestExportForAUser(t *testing.T) {
	s, _ := scopedStore(t)
	ctx := as("ice-1", iceELP)
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	if err := s.Export(ctx, jw); err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cw, err := exchange.NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(ctx, cw); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		csv.Write(b)
	}
	for name, out := range map[string]string{"json": buf.String(), "csv": csv.String()} {
		for _, leak := range []string{"TzulFLR", "Yesenia", "YesiELP", "A444555666", "she feared", "family notes", "2011-07-30"} {
			if strings.Contains(out, leak) {
				t.Errorf("the %s export for ICE holds %q", name, leak)
			}
		}
		for _, want := range []string{"Rosa Elena", "TzulELP", "A-XXX-XX5-666", "A111222333", "ELP-SPC"} {
			if !strings.Contains(out, want) {
				t.Errorf("the %s export for ICE lacks %q", name, want)
			}
		}
	}
	// The process's own export is whole.
	if full := export(t, s); !bytes.Contains(full, []byte("she feared for the child FLR")) || !bytes.Contains(full, []byte("A444555666")) {
		t.Error("the full export is masked")
	}
}

func fmtPersons(ps []rescreen.Person) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.FullName())
	}
	return strings.Join(names, "; ")
}

// TestChangesDoNotProbeOutOfScope: a change that refers to a person of a
// family out of the writer's scope is answered exactly as one that refers
// to a person not on record, and a record whose key is on record there
// does not name that family, so that the change API cannot probe for
// persons and the families they belong to; nothing is written. In scope,
// and for the process's own calls, the answer names the family.
func TestChangesDoNotProbeOutOfScope(t *testing.T) {
	s, fams := scopedStore(t)
	counsel := as("cc-1", access.Assignment{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"facility:ELP-SPC"}})
	officer := as("ao-elp", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:ZELP"}})
	n := 0
	change := func(who context.Context, k rescreen.Kind, rec rescreen.Record) []string {
		t.Helper()
		before := familyVersion(t, s, fams["ELP"]) + familyVersion(t, s, fams["FLR"])
		_, err := s.ApplyChanges(who, fams["ELP"], 0, []rescreen.Change{{Kind: k, Record: rec}})
		if rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Fatalf("%T: %v, want EINVALID", rec, err)
		}
		if after := familyVersion(t, s, fams["ELP"]) + familyVersion(t, s, fams["FLR"]); after != before {
			t.Errorf("%T: a refused change changed a family", rec)
		}
		return append(fieldsOf(err), rescreen.ErrorMessage(err))
	}
	contact := func(person rescreen.Ref) *rescreen.ContactAttempt {
		n++
		return &rescreen.ContactAttempt{Meta: rescreen.Meta{Source: "MANUAL", SourceID: fmt.Sprintf("PROBE-%d", n)}, Person: person,
			On: rescreen.MustDate("2018-11-01"), Channel: "PHONE", Language: "es", Outcome: "REACHED", By: "counsel-1"}
	}
	norm := func(got []string, ref string) string {
		return strings.ReplaceAll(strings.Join(got, "|"), ref, "REF")
	}

	out := change(counsel, rescreen.KindContacts, contact("MANUAL:FLR-P"))
	missing := change(counsel, rescreen.KindContacts, contact("MANUAL:NO-SUCH"))
	if norm(out, "MANUAL:FLR-P") != norm(missing, "MANUAL:NO-SUCH") || strings.Contains(strings.Join(out, " "), string(fams["FLR"])) {
		t.Errorf("a person out of scope: %q\na person not on record: %q", out, missing)
	}
	rel := func(to rescreen.Ref) *rescreen.Relationship {
		n++
		return &rescreen.Relationship{Meta: rescreen.Meta{Source: "MANUAL", SourceID: fmt.Sprintf("PROBE-%d", n)}, From: "MANUAL:ELP-P", To: to,
			Kind: "PARENT_OF", Evidence: "DNA"}
	}
	if a, b := change(counsel, rescreen.KindRelationships, rel("MANUAL:FLR-C")), change(counsel, rescreen.KindRelationships, rel("MANUAL:NO-SUCH")); norm(a, "MANUAL:FLR-C") != norm(b, "MANUAL:NO-SUCH") {
		t.Errorf("a relationship to a child out of scope: %q\nto a child not on record: %q", a, b)
	}
	// The key of FLR's screening, given again for ELP's parent.
	sc := &rescreen.Screening{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "FLR-S"}, Person: "MANUAL:ELP-P", Kind: rescreen.CredibleFear,
		Occasion: rescreen.OccasionInitial, On: rescreen.MustDate("2018-06-01"), Result: "NEGATIVE", Office: "ZELP"}
	if got := strings.Join(change(officer, rescreen.KindScreenings, sc), " "); strings.Contains(got, string(fams["FLR"])) || !strings.Contains(got, "another family") {
		t.Errorf("a key on record in a family out of scope: %q", got)
	}

	// In scope, and for the process, the family is named.
	all := as("cc-all", counselAll)
	for who, ctx := range map[string]context.Context{"counsel of every family": all, "the process": context.Background()} {
		if got := strings.Join(change(ctx, rescreen.KindContacts, contact("MANUAL:FLR-P")), " "); !strings.Contains(got, string(fams["FLR"])) {
			t.Errorf("%s: %q, want the family named", who, got)
		}
	}
}

// familyVersion returns the family's version.
func familyVersion(t *testing.T, s *app.Service, id rescreen.FamilyID) int64 {
	t.Helper()
	dos, err := s.GetFamily(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return dos.Version
}
