// Package access decides who may read or change what. Government officers
// of three agencies, plaintiffs' lawyers and the court's monitor share one
// system that holds children's records: every request is checked here,
// in one place, against the user's roles, each role's scope and the field
// groups the request touches. The package is pure: it reads no storage
// and knows nothing of HTTP; the service resolves a request's family and
// its units, then asks Decide.
package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Role is what a user does in the settlement's process.
type Role string

// The roles.
const (
	AsylumOfficer  Role = "ASYLUM_OFFICER"   // screenings and interviews for an office's caseload
	ICEOfficer     Role = "ICE_OFFICER"      // custody, removal status and the removal hold; not interview notes
	ORRCaseManager Role = "ORR_CASE_MANAGER" // children in the manager's shelters, and their families' status
	ClassCounsel   Role = "CLASS_COUNSEL"    // class members, elections, notices, return requests
	Monitor        Role = "MONITOR"          // reports and counts only, no personal data
	Admin          Role = "ADMIN"            // users, roles, parameters; no case content
)

// Roles lists every role.
var Roles = []Role{AsylumOfficer, ICEOfficer, ORRCaseManager, ClassCounsel, Monitor, Admin}

// Scope is how far a role reaches.
type Scope string

// The scopes.
const (
	Own  Scope = "OWN"  // the families assigned to the user
	Unit Scope = "UNIT" // the families whose records name one of the user's units (an office, a facility, a shelter, a counsel's organisation)
	All  Scope = "ALL"  // every family
)

// Group is a group of fields that is read or written together.
type Group string

// The field groups.
const (
	Identity       Group = "IDENTITY"        // adults' names, dates of birth and A-numbers; relationships
	Minors         Group = "MINORS"          // children's names, dates of birth and A-numbers
	Custody        Group = "CUSTODY"         // custody, proceedings, separations
	Screenings     Group = "SCREENINGS"      // screening results and dates
	ScreeningNotes Group = "SCREENING_NOTES" // interview notes, evidence and testimony
	Elections      Group = "ELECTIONS"       // election forms
	Contact        Group = "CONTACT"         // contact attempts, notices, counsel
	Returns        Group = "RETURNS"         // return requests
	Status         Group = "STATUS"          // the determination: outcome, holds, deadlines
	Links          Group = "LINKS"           // linkage candidates and decisions
	Counts         Group = "COUNTS"          // aggregate counts and reports, no personal data
	Rules          Group = "RULES"           // the rule book and its parameters
	Users          Group = "USERS"           // users, roles and tokens
	AuditLog       Group = "AUDIT"           // a family's audit events, with the records they changed
	Chain          Group = "CHAIN"           // the audit chain's head and its verification: hashes only
	Court          Group = "COURT"           // the cases, their approvals, objections and court-order deadlines
)

// Groups lists every field group.
var Groups = []Group{Identity, Minors, Custody, Screenings, ScreeningNotes, Elections, Contact, Returns, Status, Links, Counts, Rules, Users, AuditLog, Chain, Court}

// Level is how a role may use a group.
type Level uint8

// The levels, each including the one before.
const (
	None Level = iota
	Read
	Write
)

// grants is the policy: what each role may do with each group. A group a
// role does not list is None.
var grants = map[Role]map[Group]Level{
	AsylumOfficer: {
		Identity: Read, Minors: Read, Custody: Read, Screenings: Write, ScreeningNotes: Write, Elections: Read,
		Status: Read, Links: Read, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read, Court: Read,
	},
	ICEOfficer: {
		Identity: Write, Custody: Write, Screenings: Read, Status: Read, Links: Write, Rules: Read, Counts: Read,
		AuditLog: Read, Chain: Read, Court: Read,
	},
	ORRCaseManager: {
		Identity: Read, Minors: Read, Custody: Write, Contact: Read, Status: Read, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read,
		Court: Read,
	},
	ClassCounsel: {
		Identity: Write, Minors: Read, Custody: Read, Screenings: Read, ScreeningNotes: Read, Elections: Write,
		Contact: Write, Returns: Write, Status: Read, Links: Write, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read,
		Court: Write,
	},
	Monitor: {Counts: Read, Rules: Read, Chain: Read, Court: Read},
	Admin:   {Users: Write, Rules: Write, Counts: Read, Chain: Read, Court: Write},
}

// Grant returns what the role may do with the group.
func Grant(r Role, g Group) Level { return grants[r][g] }

// Assignment is one of a user's roles with its scope and, for the Unit
// scope, the units it covers (such as "office:ZLA", "facility:ELP-SPC",
// "shelter:TX-SWK-QUETZAL", "org:ACLU").
type Assignment struct {
	Role  Role
	Scope Scope
	Units []string
}

// Principal is who makes a request: a user, the user's roles and, for a
// request made with an API token, the token's limit.
type Principal struct {
	User  string
	Roles []Assignment
	// Limit, when not nil, is the API token's: the groups it may use,
	// each at most at its level, whatever the roles allow.
	Limit []Need
}

// Resource is the family a request touches, by what the policy needs: the
// units its records name, among them "user:NAME" for each user its
// records name as the officer or the counsel working on it (what the Own
// scope reaches). A request that touches no family (a count, the rule
// book) has a nil Resource.
type Resource struct {
	Family string
	Units  []string
}

// Need is what a request does: a level of a group.
type Need struct {
	Group Group `json:"group"`
	Level Level `json:"level"` // 1 read, 2 change
}

// Decision is the answer, with the reason in plain words for the audit
// log and the error page.
type Decision struct {
	Allow  bool
	Role   Role // the role that allowed it
	Reason string
}

// Decide says whether the principal may do what the request needs with the
// resource. A role allows it when it grants the group at the level needed
// and, for a family, reaches it by its scope: All reaches every family,
// Unit a family whose records name one of its units, Own a family assigned
// to the user. Personal data of no family (a nil resource) is allowed
// only for the groups that hold none: counts, rules, users, the audit
// chain's hashes and the court's record; any other group without a family
// is denied, so that a route that forgets to name its family cannot list
// everyone's records, and those five groups with a family are denied too
// (a route wrongly declared).
func Decide(p Principal, need Need, res *Resource) Decision {
	if need.Level == None {
		return Decision{Reason: "the request names no access level"}
	}
	if p.User == "" {
		return Decision{Reason: "not signed in"}
	}
	if !p.limitAllows(need) {
		return Decision{Reason: fmt.Sprintf("the API token does not cover %s at the level %s", need.Group, need.Level.Verb())}
	}
	if res != nil && familyless(need.Group) {
		// A route that passes a family for counts or the rule book is
		// wrongly declared: refuse rather than guess.
		return Decision{Reason: fmt.Sprintf("%s is not about one family", need.Group)}
	}
	granted := false
	for _, a := range p.Roles {
		if Grant(a.Role, need.Group) < need.Level {
			continue
		}
		granted = true
		if res == nil {
			if familyless(need.Group) {
				return Decision{Allow: true, Role: a.Role, Reason: fmt.Sprintf("%s may %s %s", a.Role, need.Level.Verb(), need.Group)}
			}
			continue
		}
		if reaches(a, p.User, res) {
			return Decision{Allow: true, Role: a.Role, Reason: fmt.Sprintf("%s may %s %s of family %s (%s scope)", a.Role, need.Level.Verb(), need.Group, res.Family, a.Scope)}
		}
	}
	switch {
	case !granted:
		return Decision{Reason: fmt.Sprintf("no role of %s may %s %s", p.User, need.Level.Verb(), need.Group)}
	case res == nil:
		return Decision{Reason: fmt.Sprintf("%s holds personal data and needs a family", need.Group)}
	}
	return Decision{Reason: fmt.Sprintf("family %s is outside the scope of %s", res.Family, p.User)}
}

// familyless reports whether a group holds no personal data of a family.
// COURT is the court's own record (the cases, their approvals, the
// objections filed and the deadlines the orders set): the service still
// masks an objector's identity and leaves out a deadline about a family
// the principal does not reach.
func familyless(g Group) bool {
	return g == Counts || g == Rules || g == Users || g == Chain || g == Court
}

func reaches(a Assignment, user string, res *Resource) bool {
	switch a.Scope {
	case All:
		return true
	case Unit:
		for _, u := range a.Units {
			if slices.Contains(res.Units, u) {
				return true
			}
		}
	case Own:
		return slices.Contains(res.Units, OwnUnit(user))
	}
	return false
}

// OwnUnit is the unit by which a family's records name a user, and which
// the Own scope reaches.
func OwnUnit(user string) string { return UnitOf("user", user) }

func (p Principal) limitAllows(need Need) bool {
	if p.Limit == nil {
		return true
	}
	for _, l := range p.Limit {
		if l.Group == need.Group && l.Level >= need.Level {
			return true
		}
	}
	return false
}

// Level returns what the principal may do with a group of the family: the
// most any role that reaches the family grants, within the token's limit.
// The service masks or removes what is below Read.
func (p Principal) Level(g Group, res *Resource) Level {
	best := None
	for _, a := range p.Roles {
		if l := Grant(a.Role, g); l > best && res != nil && reaches(a, p.User, res) {
			best = l
		}
	}
	for best > None && !p.limitAllows(Need{Group: g, Level: best}) {
		best--
	}
	return best
}

// Reach is how far a principal's list of families may go for a need: every
// family, or the families whose records name one of Units. A principal
// none of whose roles grants the need reaches nothing (Any false).
type Reach struct {
	Any   bool
	All   bool
	Units []string
}

// Reach returns which families a list for the need may show; the service
// filters lists by it, since a list touches many families at once.
func (p Principal) Reach(need Need) Reach {
	var r Reach
	if p.User == "" || need.Level == None || !p.limitAllows(need) {
		return r
	}
	for _, a := range p.Roles {
		if Grant(a.Role, need.Group) < need.Level {
			continue
		}
		r.Any = true
		switch a.Scope {
		case All:
			r.All = true
		case Unit:
			r.Units = append(r.Units, a.Units...)
		case Own:
			r.Units = append(r.Units, OwnUnit(p.User))
		}
	}
	if r.All {
		r.Units = nil
	}
	slices.Sort(r.Units)
	r.Units = slices.Compact(r.Units)
	return r
}

// Teams returns the units of the principal's Unit-scoped roles that
// allow the need: the offices, facilities, shelters or organisations the
// user works for, sorted and each once ("my team's" work).
func (p Principal) Teams(need Need) []string {
	if p.User == "" || need.Level == None || !p.limitAllows(need) {
		return nil
	}
	var out []string
	for _, a := range p.Roles {
		if a.Scope == Unit && Grant(a.Role, need.Group) >= need.Level {
			out = append(out, a.Units...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Verb names the level in the words of a reason: "read" or "change".
func (l Level) Verb() string {
	if l == Write {
		return "change"
	}
	return "read"
}

// Check reports the problems of an assignment: an unknown role or scope, a
// Unit scope without units, units outside the Unit scope, or a unit not
// written KIND:ID.
func (a Assignment) Check() error {
	var probs []string
	if !slices.Contains(Roles, a.Role) {
		probs = append(probs, fmt.Sprintf("role %q is not one of %v", a.Role, Roles))
	}
	switch a.Scope {
	case Own, All:
		if len(a.Units) > 0 {
			probs = append(probs, fmt.Sprintf("scope %s takes no units", a.Scope))
		}
	case Unit:
		if len(a.Units) == 0 {
			probs = append(probs, "scope UNIT needs at least one unit")
		}
	default:
		probs = append(probs, fmt.Sprintf("scope %q is not OWN, UNIT or ALL", a.Scope))
	}
	for _, u := range a.Units {
		if k, id, ok := strings.Cut(u, ":"); !ok || k == "" || id == "" {
			probs = append(probs, fmt.Sprintf("unit %q is not written KIND:ID", u))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("access: %s", strings.Join(probs, "; "))
	}
	return nil
}

type principalKey struct{}

// NewContext returns a context that carries the principal of a request.
func NewContext(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal a request carries. ok is false for a
// call made in the process itself (the command line, the background
// jobs), which the service trusts; every request the server answers for
// a user carries one.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

type resourcesKey struct{}

// WithResources returns ctx carrying the resources the policy was asked
// about for a read (the families a GET touches, with their units), so
// that the service masks the answer with the units the request was
// allowed on instead of reading them again.
func WithResources(ctx context.Context, rs []*Resource) context.Context {
	return context.WithValue(ctx, resourcesKey{}, rs)
}

// ResourceFrom returns the resource of the family that ctx carries, if
// any (WithResources).
func ResourceFrom(ctx context.Context, family string) (*Resource, bool) {
	rs, _ := ctx.Value(resourcesKey{}).([]*Resource)
	for _, r := range rs {
		if r.Family == family {
			return r, true
		}
	}
	return nil, false
}

// UnitOf writes a unit as the policy compares it: the kind in lower case,
// a colon, and the id with its spaces collapsed, upper-cased but for a
// user's name, which is lower-cased like user names. An empty id gives "".
func UnitOf(kind, id string) string {
	id = strings.Join(strings.Fields(id), " ")
	if id == "" {
		return ""
	}
	kind = strings.ToLower(strings.TrimSpace(kind))
	if kind == "user" {
		return kind + ":" + strings.ToLower(id)
	}
	return kind + ":" + strings.ToUpper(id)
}

// NormUnit writes a unit given as KIND:ID the way UnitOf does; a unit
// without a colon is returned as it is (Check reports it).
func NormUnit(u string) string {
	kind, id, ok := strings.Cut(u, ":")
	if !ok {
		return u
	}
	if n := UnitOf(kind, id); n != "" {
		return n
	}
	return u
}
