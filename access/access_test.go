package access

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// A family with its child in a Houston shelter, its parent detained in El
// Paso and screened by the Houston asylum office, represented by ACLU
// counsel, assigned to officer "ao-7".
var family = &Resource{Family: "F-1", Units: []string{"shelter:TX-SWK-QUETZAL", "facility:ELP-SPC", "office:ZHN", "org:ACLU", "user:ao-7"}}

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
		AsylumOfficer:  {Identity: "R", Minors: "R", Custody: "R", Screenings: "W", ScreeningNotes: "W", Elections: "R", Status: "R", Links: "R", AuditLog: "R"},
		ICEOfficer:     {Identity: "W", Custody: "W", Screenings: "R", Status: "R", Links: "W", AuditLog: "R"},
		ORRCaseManager: {Identity: "R", Minors: "R", Custody: "W", Contact: "R", Status: "R", AuditLog: "R"},
		ClassCounsel:   {Identity: "W", Minors: "R", Custody: "R", Screenings: "R", ScreeningNotes: "R", Elections: "W", Contact: "W", Returns: "W", Status: "R", Links: "W", AuditLog: "R"},
		Monitor:        {},
		Admin:          {},
	}
	// And with no family: counts, rules, users, the chain, the court's
	// record (class counsel and the administrator enter approvals,
	// objections and court-order deadlines; officers and the monitor read
	// them).
	wantNone := map[Role]map[Group]string{
		AsylumOfficer:  {Counts: "R", Rules: "R", Chain: "R", Court: "R"},
		ICEOfficer:     {Counts: "R", Rules: "R", Chain: "R", Court: "R"},
		ORRCaseManager: {Counts: "R", Rules: "R", Chain: "R", Court: "R"},
		ClassCounsel:   {Counts: "R", Rules: "R", Chain: "R", Court: "W"},
		Monitor:        {Counts: "R", Rules: "R", Chain: "R", Court: "R"},
		Admin:          {Counts: "R", Rules: "W", Users: "W", Chain: "R", Court: "W"},
	}
	allows := func(s string, l Level) bool { return (s == "R" && l == Read) || (s == "W" && l <= Write && l > None) }
	for _, role := range Roles {
		p := in[role]
		for _, g := range Groups {
			for _, l := range []Level{Read, Write} {
				if got, w := Decide(p, Need{g, l}, family).Allow, allows(want[role][g], l) && !familyless(g); got != w {
					t.Errorf("%s %s %s of a family in scope: allow %v, want %v", role, l.Verb(), g, got, w)
				}
				if Decide(p, Need{g, l}, other).Allow && !familyless(g) {
					t.Errorf("%s may %s %s of a family outside its scope", role, l.Verb(), g)
				}
				if got, w := Decide(p, Need{g, l}, nil).Allow, allows(wantNone[role][g], l); got != w {
					t.Errorf("%s %s %s without a family: allow %v, want %v", role, l.Verb(), g, got, w)
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

// TestCourtGroup: the court's record is about no one family. Class counsel
// and the administrator change it, officers and the monitor read it,
// whatever their scope; a route that passes a family for it is refused,
// and an API token limits it like any group.
func TestCourtGroup(t *testing.T) {
	for _, tt := range []struct {
		p     Principal
		level Level
	}{
		{user("cc", Assignment{ClassCounsel, Unit, []string{"org:KIND"}}), Write},
		{user("adm", Assignment{Admin, All, nil}), Write},
		{user("mon", Assignment{Monitor, All, nil}), Read},
		{user("ao", Assignment{AsylumOfficer, Own, nil}), Read},
		{user("ice", Assignment{ICEOfficer, Unit, []string{"facility:FLR-PIC"}}), Read},
		{user("orr", Assignment{ORRCaseManager, Unit, []string{"shelter:AZ-SWK-CAMPBELL"}}), Read},
	} {
		for _, l := range []Level{Read, Write} {
			if got := Decide(tt.p, Need{Court, l}, nil).Allow; got != (l <= tt.level) {
				t.Errorf("%s %s COURT: allow %v, want %v", tt.p.User, l.Verb(), got, l <= tt.level)
			}
		}
		if d := Decide(tt.p, Need{Court, Read}, family); d.Allow || !strings.Contains(d.Reason, "not about one family") {
			t.Errorf("%s: COURT with a family: %+v", tt.p.User, d)
		}
		if r := tt.p.Reach(Need{Court, tt.level}); !r.Any {
			t.Errorf("%s reaches no court record", tt.p.User)
		}
	}
	p := user("cc-3", Assignment{ClassCounsel, All, nil})
	p.Limit = []Need{{Court, Read}}
	if d := Decide(p, Need{Court, Write}, nil); d.Allow || !strings.Contains(d.Reason, "token") {
		t.Errorf("a read-only token changed the court's record: %+v", d)
	}
	if d := Decide(p, Need{Court, Read}, nil); !d.Allow {
		t.Errorf("a court token refused: %s", d.Reason)
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

// TestLevelAndReach: the level of a group on one family is the best of the
// roles that reach it, within an API token's limit; a list reaches the
// units of the roles that grant the need, every family under an All
// scope, nothing without a grant.
func TestLevelAndReach(t *testing.T) {
	p := user("Mix-1",
		Assignment{ClassCounsel, Unit, []string{"org:KIND"}},
		Assignment{ICEOfficer, Unit, []string{"facility:ELP-SPC"}},
		Assignment{AsylumOfficer, Own, nil})
	if got := p.Level(ScreeningNotes, family); got != None {
		t.Errorf("notes of a family reached only as ICE: %d, want None", got)
	}
	if got := p.Level(Minors, family); got != None {
		t.Errorf("minors of a family reached only as ICE: %d, want None", got)
	}
	if got := p.Level(Custody, family); got != Write {
		t.Errorf("custody as ICE: %d, want Write", got)
	}
	if got := p.Level(Elections, other); got != Write {
		t.Errorf("elections of a KIND family as counsel: %d, want Write", got)
	}
	mine := &Resource{Family: "F-3", Units: []string{OwnUnit("mix-1")}}
	if got := p.Level(ScreeningNotes, mine); got != Write {
		t.Errorf("notes of the user's own family: %d, want Write", got)
	}
	if got := p.Level(Identity, nil); got != None {
		t.Errorf("identity of no family: %d, want None", got)
	}
	r := p.Reach(Need{Identity, Read})
	if !r.Any || r.All || strings.Join(r.Units, ",") != "facility:ELP-SPC,org:KIND,user:mix-1" {
		t.Errorf("reach for identity: %+v", r)
	}
	if r := p.Reach(Need{Returns, Write}); !r.Any || strings.Join(r.Units, ",") != "org:KIND" {
		t.Errorf("reach for returns: %+v", r)
	}
	if r := p.Reach(Need{Users, Read}); r.Any {
		t.Errorf("reach for users without a grant: %+v", r)
	}
	if r := user("m", Assignment{Monitor, All, nil}, Assignment{ORRCaseManager, All, nil}).Reach(Need{Identity, Read}); !r.Any || !r.All || r.Units != nil {
		t.Errorf("reach under ALL: %+v", r)
	}
	if r := (Principal{}).Reach(Need{Counts, Read}); r.Any {
		t.Errorf("nobody reaches %+v", r)
	}
}

// TestTokenLimit: an API token narrows what its user's roles allow, and
// never widens it.
func TestTokenLimit(t *testing.T) {
	p := user("cc-2", Assignment{ClassCounsel, All, nil})
	p.Limit = []Need{{Status, Read}, {Elections, Read}}
	if d := Decide(p, Need{Status, Read}, family); !d.Allow {
		t.Errorf("status read within the limit refused: %s", d.Reason)
	}
	if d := Decide(p, Need{Elections, Write}, family); d.Allow || !strings.Contains(d.Reason, "token") {
		t.Errorf("elections write beyond the limit: %+v", d)
	}
	if d := Decide(p, Need{Identity, Read}, family); d.Allow {
		t.Errorf("identity outside the limit allowed")
	}
	if got := p.Level(Elections, family); got != Read {
		t.Errorf("elections level under the limit: %d, want Read", got)
	}
	if got := p.Level(Identity, family); got != None {
		t.Errorf("identity level under the limit: %d, want None", got)
	}
	q := user("mon-2", Assignment{Monitor, All, nil})
	q.Limit = []Need{{Identity, Write}}
	if d := Decide(q, Need{Identity, Read}, family); d.Allow {
		t.Errorf("a token widened a monitor's rights")
	}
	if r := p.Reach(Need{Identity, Read}); r.Any {
		t.Errorf("reach beyond the token: %+v", r)
	}
}

func TestContext(t *testing.T) {
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("a bare context carries a principal")
	}
	p := user("ao-1", Assignment{AsylumOfficer, All, nil})
	got, ok := FromContext(NewContext(context.Background(), p))
	if !ok || got.User != "ao-1" {
		t.Fatalf("principal not carried: %+v %v", got, ok)
	}
}

// TestTeams: a user's teams are the units of the unit-scoped roles that
// allow the need, once each; an All or Own scope, a role that does not
// allow the need and a token that limits it add none.
func TestTeams(t *testing.T) {
	p := Principal{User: "ana", Roles: []Assignment{
		{Role: AsylumOfficer, Scope: Unit, Units: []string{"office:ZLA", "office:ZNY"}},
		{Role: ORRCaseManager, Scope: Unit, Units: []string{"shelter:S-1", "office:ZLA"}},
		{Role: Monitor, Scope: Unit, Units: []string{"office:ZSF"}},
		{Role: ICEOfficer, Scope: All},
		{Role: ClassCounsel, Scope: Own},
	}}
	status := Need{Group: Status, Level: Read}
	if got := p.Teams(status); !slices.Equal(got, []string{"office:ZLA", "office:ZNY", "shelter:S-1"}) {
		t.Errorf("teams for reading status: %v", got)
	}
	if got := p.Teams(Need{Group: Screenings, Level: Write}); !slices.Equal(got, []string{"office:ZLA", "office:ZNY"}) {
		t.Errorf("teams for recording screenings: %v", got)
	}
	if got := p.Teams(Need{Group: Status, Level: None}); got != nil {
		t.Errorf("teams for no need: %v", got)
	}
	p.Limit = []Need{{Group: Counts, Level: Read}}
	if got := p.Teams(status); got != nil {
		t.Errorf("teams through a token limited to counts: %v", got)
	}
	if got := (Principal{Roles: p.Roles}).Teams(status); got != nil {
		t.Errorf("teams without a user: %v", got)
	}
}

// A context carries the resources a read was allowed on, by family.
func TestResourcesInContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := ResourceFrom(ctx, "F-1"); ok {
		t.Fatal("a bare context carries a resource")
	}
	a := &Resource{Family: "F-1", Units: []string{"asylum:x"}}
	b := &Resource{Family: "F-2"}
	ctx = WithResources(ctx, []*Resource{a, b})
	if r, ok := ResourceFrom(ctx, "F-1"); !ok || r != a {
		t.Errorf("F-1: %v %v", r, ok)
	}
	if r, ok := ResourceFrom(ctx, "F-2"); !ok || r != b {
		t.Errorf("F-2: %v %v", r, ok)
	}
	if r, ok := ResourceFrom(ctx, "F-3"); ok {
		t.Errorf("F-3: %v, want none", r)
	}
}
