package access

import (
	"strings"
	"testing"
)

// A family with its child in a Houston shelter, its parent detained in El
// Paso and screened by the Houston asylum office, represented by ACLU
// counsel, assigned to officer "ao-7".
var family = &Resource{Family: "F-1", Units: []string{"shelter:TX-SWK-QUETZAL", "facility:ELP-SPC", "office:ZHN", "org:ACLU"}, Assigned: []string{"ao-7"}}

// Another family, in nobody's units here.
var other = &Resource{Family: "F-2", Units: []string{"shelter:AZ-SWK-CAMPBELL", "facility:FLR-PIC", "office:ZLA", "org:KIND"}}

func user(name string, a ...Assignment) Principal { return Principal{User: name, Roles: a} }

// TestDecideTable: every role, in scope and out of it, for every group at
// both levels. The expected answers are the policy written out by hand
// from the roles' descriptions, not computed from grants.
func TestDecideTable(t *testing.T) {
	in := map[Role]Principal{
		AsylumOfficer:  user("ao-1", Assignment{AsylumOfficer, Unit, []string{"office:ZHN"}}),
		ICEOfficer:     user("ice-1", Assignment{ICEOfficer, Unit, []string{"facility:ELP-SPC"}}),
		ORRCaseManager: user("orr-1", Assignment{ORRCaseManager, Unit, []string{"shelter:TX-SWK-QUETZAL"}}),
		ClassCounsel:   user("cc-1", Assignment{ClassCounsel, Unit, []string{"org:ACLU"}}),
		Monitor:        user("mon-1", Assignment{Monitor, All, nil}),
		Admin:          user("adm-1", Assignment{Admin, All, nil}),
	}
	// What each role may do with a family in its scope: R read, W change.
	want := map[Role]map[Group]string{
		AsylumOfficer:  {Identity: "R", Custody: "R", Screenings: "W", ScreeningNotes: "W", Elections: "R", Status: "R", Links: "R", AuditLog: "R"},
		ICEOfficer:     {Identity: "R", Custody: "W", Screenings: "R", Status: "R", Links: "W", AuditLog: "R"},
		ORRCaseManager: {Identity: "R", Custody: "W", Contact: "R", Status: "R", AuditLog: "R"},
		ClassCounsel:   {Identity: "R", Custody: "R", Screenings: "R", ScreeningNotes: "R", Elections: "W", Contact: "W", Returns: "W", Status: "R", Links: "W", AuditLog: "R"},
		Monitor:        {},
		Admin:          {},
	}
	// And with no family: counts, rules, users, the chain.
	wantNone := map[Role]map[Group]string{
		AsylumOfficer:  {Counts: "R", Rules: "R", Chain: "R"},
		ICEOfficer:     {Counts: "R", Rules: "R", Chain: "R"},
		ORRCaseManager: {Counts: "R", Rules: "R", Chain: "R"},
		ClassCounsel:   {Counts: "R", Rules: "R", Chain: "R"},
		Monitor:        {Counts: "R", Rules: "R", Chain: "R"},
		Admin:          {Counts: "R", Rules: "W", Users: "W", Chain: "R"},
	}
	allows := func(s string, l Level) bool { return (s == "R" && l == Read) || (s == "W" && l <= Write && l > None) }
	for _, role := range Roles {
		p := in[role]
		for _, g := range Groups {
			for _, l := range []Level{Read, Write} {
				if got, w := Decide(p, Need{g, l}, family).Allow, allows(want[role][g], l) && !familyless(g); got != w {
					t.Errorf("%s %s %s of a family in scope: allow %v, want %v", role, verb(l), g, got, w)
				}
				if Decide(p, Need{g, l}, other).Allow && !familyless(g) {
					t.Errorf("%s may %s %s of a family outside its scope", role, verb(l), g)
				}
				if got, w := Decide(p, Need{g, l}, nil).Allow, allows(wantNone[role][g], l); got != w {
					t.Errorf("%s %s %s without a family: allow %v, want %v", role, verb(l), g, got, w)
				}
			}
		}
	}
}

// TestScopes: Own reaches the families assigned to the user, Unit those
// naming one of its units, All every family; several roles add up; nobody
// signed in gets nothing.
func TestScopes(t *testing.T) {
	need := Need{Screenings, Write}
	if !Decide(user("ao-7", Assignment{AsylumOfficer, Own, nil}), need, family).Allow {
		t.Error("own scope: the assigned officer is refused")
	}
	if Decide(user("ao-8", Assignment{AsylumOfficer, Own, nil}), need, family).Allow {
		t.Error("own scope: an officer not assigned is allowed")
	}
	if !Decide(user("hq", Assignment{AsylumOfficer, All, nil}), need, other).Allow {
		t.Error("all scope is refused")
	}
	// One agency's officer never reaches another agency's unit by naming
	// the same id under another kind.
	if Decide(user("ice-2", Assignment{ICEOfficer, Unit, []string{"office:ZHN"}}), Need{Custody, Read}, other).Allow {
		t.Error("an ICE officer of the Houston office reached a Los Angeles family")
	}
	both := user("x", Assignment{ORRCaseManager, Unit, []string{"shelter:AZ-SWK-CAMPBELL"}}, Assignment{ClassCounsel, Unit, []string{"org:ACLU"}})
	if d := Decide(both, Need{Elections, Write}, family); !d.Allow || d.Role != ClassCounsel {
		t.Errorf("two roles: %+v", d)
	}
	if d := Decide(both, Need{Elections, Write}, other); d.Allow || !strings.Contains(d.Reason, "outside the scope") {
		t.Errorf("two roles, neither reaching: %+v", d)
	}
	if d := Decide(Principal{}, Need{Counts, Read}, nil); d.Allow || d.Reason != "not signed in" {
		t.Errorf("nobody: %+v", d)
	}
	if d := Decide(user("ao-7", Assignment{AsylumOfficer, All, nil}), Need{Identity, Read}, nil); d.Allow || !strings.Contains(d.Reason, "needs a family") {
		t.Errorf("personal data without a family: %+v", d)
	}
	if d := Decide(user("mon", Assignment{Monitor, All, nil}), Need{Identity, Read}, family); d.Allow || !strings.Contains(d.Reason, "no role") {
		t.Errorf("the monitor reads identities: %+v", d)
	}
}

func TestAssignmentCheck(t *testing.T) {
	for _, a := range []Assignment{
		{AsylumOfficer, Unit, []string{"office:ZHN"}}, {Monitor, All, nil}, {ICEOfficer, Own, nil},
	} {
		if err := a.Check(); err != nil {
			t.Errorf("%+v: %v", a, err)
		}
	}
	for _, a := range []Assignment{
		{"JUDGE", All, nil}, {AsylumOfficer, Unit, nil}, {AsylumOfficer, All, []string{"office:ZHN"}},
		{AsylumOfficer, "SOME", nil}, {AsylumOfficer, Unit, []string{"ZHN"}},
	} {
		if err := a.Check(); err == nil {
			t.Errorf("%+v passes", a)
		}
	}
}
