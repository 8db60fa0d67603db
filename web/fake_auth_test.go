package web

import (
	"context"
	"slices"
	"sync"

	"rescreen"
	"rescreen/access"
)

// allToken is the API token the test environment sends when a request
// carries no credentials of its own: a user with every role over every
// family, so that the tests of other behaviour are not about access.
const allToken = "rst_all"

// fakeAuth is the AuthService and AccessService of the tests: users by
// name with a fixed password, sessions and tokens in maps, units of the
// families set by hand, and the access log kept in memory.
type fakeAuth struct {
	fam   *fakeFamilies
	links *fakeLinks

	mu       sync.Mutex
	users    map[string]access.Principal // by name; the password is "pw-" + name
	sessions map[string]*rescreen.Session
	tokens   map[string]access.Principal
	units    map[rescreen.FamilyID][]string
	log      []rescreen.AccessEvent
	actors   []string
	n        int
}

func newFakeAuth(fam *fakeFamilies, links *fakeLinks) *fakeAuth {
	all := access.Principal{User: "tester"}
	for _, r := range access.Roles {
		all.Roles = append(all.Roles, access.Assignment{Role: r, Scope: access.All})
	}
	return &fakeAuth{fam: fam, links: links, users: map[string]access.Principal{},
		sessions: map[string]*rescreen.Session{}, tokens: map[string]access.Principal{allToken: all},
		units: map[rescreen.FamilyID][]string{}}
}

func (a *fakeAuth) addUser(p access.Principal) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users[p.User] = p
}

func (a *fakeAuth) SignIn(ctx context.Context, name, password, from string) (*rescreen.Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.users[name]
	if !ok || password != "pw-"+name {
		return nil, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "The name or the password is not right, or the account is locked.")
	}
	a.n++
	s := &rescreen.Session{Token: "sess-" + name + "-" + string(rune('a'+a.n)), CSRF: "csrf-" + name + string(rune('a'+a.n)), Principal: p}
	a.sessions[s.Token] = s
	return s, nil
}

func (a *fakeAuth) SessionFor(ctx context.Context, token string) (*rescreen.Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[token]
	if !ok {
		return nil, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Your session has ended: sign in again.")
	}
	out := *s
	out.Token = ""
	return &out, nil
}

func (a *fakeAuth) SignOut(ctx context.Context, token string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, token)
	return nil
}

func (a *fakeAuth) TokenPrincipal(ctx context.Context, token string) (access.Principal, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p, ok := a.tokens[token]
	if !ok {
		return access.Principal{}, "", rescreen.Errorf(rescreen.EUNAUTHENTICATED, "The API token is not valid.")
	}
	return p, "T-" + token, nil
}

// Resource knows every family id, as the links' fakes name families the
// fake registry does not hold; an unknown family is the handler's 404.
func (a *fakeAuth) Resource(ctx context.Context, id rescreen.FamilyID) (*access.Resource, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &access.Resource{Family: string(id), Units: slices.Clone(a.units[id])}, nil
}

// PersonFamily finds the person in the fake registry, else as the record
// of an end of a fake link.
func (a *fakeAuth) PersonFamily(ctx context.Context, id rescreen.PersonID) (rescreen.FamilyID, error) {
	_, f, err := a.fam.GetPerson(context.Background(), id)
	if err == nil {
		return f, nil
	}
	a.links.mu.Lock()
	defer a.links.mu.Unlock()
	for _, c := range a.links.candidates {
		for _, e := range []rescreen.LinkEnd{c.Left, c.Right} {
			if e.RecordID == string(id) {
				return e.FamilyID, nil
			}
		}
	}
	return "", err
}

func (a *fakeAuth) LinkFamilies(ctx context.Context, id string) ([]rescreen.FamilyID, error) {
	c, _, err := a.links.LinkHistory(context.Background(), id)
	if err != nil {
		return nil, err
	}
	return []rescreen.FamilyID{c.Left.FamilyID, c.Right.FamilyID}, nil
}

func (a *fakeAuth) LogAccess(ctx context.Context, e rescreen.AccessEvent) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = append(a.log, e)
	a.actors = append(a.actors, rescreen.ActorFrom(ctx))
	return nil
}

func (a *fakeAuth) AuditLog(ctx context.Context, id rescreen.FamilyID, before int64, limit int) ([]rescreen.AuditEvent, error) {
	if _, err := a.fam.GetFamily(context.Background(), id); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []rescreen.AuditEvent
	for i := len(a.log) - 1; i >= 0; i-- {
		if a.log[i].Family == id {
			out = append(out, rescreen.AuditEvent{Seq: int64(i + 1), Actor: a.actors[i], Action: "access.view", FamilyID: id, Subject: a.log[i].Route})
		}
	}
	return out, nil
}
