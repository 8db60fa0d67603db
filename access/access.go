// Package access decides who may read or change what. Government officers
// of three agencies, plaintiffs' lawyers and the court's monitor share one
// system that holds children's records: every request is checked here,
// in one place, against the user's roles, each role's scope and the field
// groups the request touches. The package is pure: it reads no storage
// and knows nothing of HTTP; the service resolves a request's family and
// its units, then asks Decide.
package access

import (
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
	Identity       Group = "IDENTITY"        // names, dates of birth, A-numbers, relationships
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
)

// Groups lists every field group.
var Groups = []Group{Identity, Custody, Screenings, ScreeningNotes, Elections, Contact, Returns, Status, Links, Counts, Rules, Users, AuditLog, Chain}

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
		Identity: Read, Custody: Read, Screenings: Write, ScreeningNotes: Write, Elections: Read,
		Status: Read, Links: Read, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read,
	},
	ICEOfficer: {
		Identity: Read, Custody: Write, Screenings: Read, Status: Read, Links: Write, Rules: Read, Counts: Read,
		AuditLog: Read, Chain: Read,
	},
	ORRCaseManager: {
		Identity: Read, Custody: Write, Contact: Read, Status: Read, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read,
	},
	ClassCounsel: {
		Identity: Read, Custody: Read, Screenings: Read, ScreeningNotes: Read, Elections: Write,
		Contact: Write, Returns: Write, Status: Read, Links: Write, Rules: Read, Counts: Read, AuditLog: Read, Chain: Read,
	},
	Monitor: {Counts: Read, Rules: Read, Chain: Read},
	Admin:   {Users: Write, Rules: Write, Counts: Read, Chain: Read},
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

// Principal is who makes a request.
type Principal struct {
	User  string
	Roles []Assignment
}

// Resource is the family a request touches, by what the policy needs: the
// units its records name and the users assigned to it. A request that
// touches no family (a count, the rule book) has a nil Resource.
type Resource struct {
	Family   string
	Units    []string
	Assigned []string
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
// only for the groups that hold none: counts, rules, users and the audit
// chain's hashes; any other group without a family is denied, so that a
// route that forgets to name its family cannot list everyone's records,
// and those four groups with a family are denied too (a route wrongly
// declared).
func Decide(p Principal, need Need, res *Resource) Decision {
	if need.Level == None {
		return Decision{Reason: "the request names no access level"}
	}
	if p.User == "" {
		return Decision{Reason: "not signed in"}
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
				return Decision{Allow: true, Role: a.Role, Reason: fmt.Sprintf("%s may %s %s", a.Role, verb(need.Level), need.Group)}
			}
			continue
		}
		if reaches(a, p.User, res) {
			return Decision{Allow: true, Role: a.Role, Reason: fmt.Sprintf("%s may %s %s of family %s (%s scope)", a.Role, verb(need.Level), need.Group, res.Family, a.Scope)}
		}
	}
	switch {
	case !granted:
		return Decision{Reason: fmt.Sprintf("no role of %s may %s %s", p.User, verb(need.Level), need.Group)}
	case res == nil:
		return Decision{Reason: fmt.Sprintf("%s holds personal data and needs a family", need.Group)}
	}
	return Decision{Reason: fmt.Sprintf("family %s is outside the scope of %s", res.Family, p.User)}
}

// familyless reports whether a group holds no personal data of a family.
func familyless(g Group) bool {
	return g == Counts || g == Rules || g == Users || g == Chain
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
		return slices.Contains(res.Assigned, user)
	}
	return false
}

func verb(l Level) string {
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
