package rescreen

import (
	"context"
	"time"

	"rescreen/access"
)

// Session is a signed-in user's session: the token for the cookie (the
// store keeps only its hash; set only when the session opens), the CSRF
// token every form of the session carries, and the principal.
type Session struct {
	Token     string
	CSRF      string
	Principal access.Principal
	ExpiresAt time.Time
}

// AuthService signs users in and out and says who makes a request.
type AuthService interface {
	// SignIn checks a name and a password and opens a session; every
	// refusal is the same EUNAUTHENTICATED. from is the client's address,
	// for the audit log.
	SignIn(ctx context.Context, name, password, from string) (*Session, error)
	// SessionFor returns the session of a cookie's token, or
	// EUNAUTHENTICATED.
	SessionFor(ctx context.Context, token string) (*Session, error)
	// SignOut ends the session of the token.
	SignOut(ctx context.Context, token string) error
	// TokenPrincipal returns the principal of an API token, its Limit set
	// to the token's groups, and the token's id; or EUNAUTHENTICATED.
	TokenPrincipal(ctx context.Context, token string) (access.Principal, string, error)
}

// AccessEvent is one entry of the access log: who read or called what,
// through which route, with what answer. It goes into the audit chain.
type AccessEvent struct {
	Family FamilyID // the family the request touched, if one
	Method string
	Route  string // the route's pattern, never the path or the query
	Status int
	Token  string // the API token's id, for a call made with one
	Denied string // the reason, when the policy refused the request
}

// AccessService tells the access policy what it needs to know of the
// records a request names, and keeps the access log.
type AccessService interface {
	// Resource returns the family's units for the policy, or ENOTFOUND.
	Resource(ctx context.Context, id FamilyID) (*access.Resource, error)
	// PersonFamily returns the family of a person record, or ENOTFOUND.
	PersonFamily(ctx context.Context, id PersonID) (FamilyID, error)
	// LinkFamilies returns the families of a link candidate's two
	// records, or ENOTFOUND.
	LinkFamilies(ctx context.Context, id string) ([]FamilyID, error)
	// LogAccess appends the access to the audit chain, with the
	// request's principal as the actor.
	LogAccess(ctx context.Context, e AccessEvent) error
	// AuditLog returns the family's audit events, changes and accesses,
	// newest first, at most limit (0 means 200) before the sequence
	// number before (0: from the newest).
	AuditLog(ctx context.Context, id FamilyID, before int64, limit int) ([]AuditEvent, error)
}
