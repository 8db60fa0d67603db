package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// Sign-in limits: after MaxFailedSignIns failed sign-ins in a row an
// account is locked for LockoutFor; a session ends after SessionIdle
// without use and SessionMax after it began, whichever comes first.
const (
	MaxFailedSignIns = 5
	LockoutFor       = 15 * time.Minute
	SessionIdle      = 30 * time.Minute
	SessionMax       = 12 * time.Hour
)

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// userAudit is what the audit log keeps of a user: never the password or
// its hash.
type userAudit struct {
	Name     string              `json:"name"`
	Display  string              `json:"display,omitempty"`
	Roles    []access.Assignment `json:"roles,omitempty"`
	Disabled bool                `json:"disabled,omitempty"`
}

// AddUser creates a user with a password and roles, in one audited
// transaction. The name is lower-cased; every problem is reported at once.
func (s *Service) AddUser(ctx context.Context, name, display, password string, roles []access.Assignment) (sqlstore.UserRow, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	var probs []rescreen.FieldError
	if !userNameRE.MatchString(name) {
		probs = append(probs, rescreen.FieldError{Field: "name", Msg: "2 to 63 of a-z, 0-9, dot, dash and underscore, beginning with a letter or digit"})
	}
	if len(display) > 200 {
		probs = append(probs, rescreen.FieldError{Field: "display", Msg: "at most 200 characters"})
	}
	if err := access.CheckPassword(password); err != nil {
		probs = append(probs, rescreen.FieldError{Field: "password", Msg: err.Error()})
	}
	if len(roles) == 0 {
		probs = append(probs, rescreen.FieldError{Field: "roles", Msg: "a user needs at least one role"})
	}
	seen := map[access.Role]bool{}
	roles = slices.Clone(roles)
	for i := range roles {
		roles[i].Units = slices.Clone(roles[i].Units)
		for j, u := range roles[i].Units {
			roles[i].Units[j] = access.NormUnit(u)
		}
	}
	for i, a := range roles {
		if err := a.Check(); err != nil {
			probs = append(probs, rescreen.FieldError{Field: fmt.Sprintf("roles[%d]", i), Msg: strings.TrimPrefix(err.Error(), "access: ")})
		}
		if seen[a.Role] {
			probs = append(probs, rescreen.FieldError{Field: fmt.Sprintf("roles[%d]", i), Msg: fmt.Sprintf("role %s is given twice", a.Role)})
		}
		seen[a.Role] = true
	}
	if len(probs) > 0 {
		return sqlstore.UserRow{}, (&rescreen.ValidationError{Problems: probs}).AsError("add user")
	}
	hash, err := access.HashPassword(password, s.hashParams())
	if err != nil {
		return sqlstore.UserRow{}, rescreen.WrapError(rescreen.EINTERNAL, "add user", err, "")
	}
	u := sqlstore.UserRow{ID: s.NewID("U"), Name: name, Display: display, Hash: hash, CreatedAt: s.Now().UTC()}
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.InsertUser(ctx, u); err != nil {
			return err
		}
		if err := tx.SetRoles(ctx, u.ID, roles); err != nil {
			return err
		}
		after, _ := json.Marshal(userAudit{Name: name, Display: display, Roles: roles})
		return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: u.CreatedAt, Actor: rescreen.ActorFrom(ctx), Action: "user.add", Subject: "user:" + name, After: after})
	})
	return u, err
}

// hashParams are the password hash's parameters: the service's, else the
// default.
func (s *Service) hashParams() access.HashParams {
	if s.HashParams != (access.HashParams{}) {
		return s.HashParams
	}
	return access.DefaultHashParams
}

// Session is a signed-in user's session (see rescreen.Session).
type Session = rescreen.Session

var (
	dummyOnce sync.Once
	dummyHash string
)

// errSignIn is the one answer to a refused sign-in, whatever the reason:
// an unknown name, a wrong password, a disabled or locked account.
var errSignIn = rescreen.Errorf(rescreen.EUNAUTHENTICATED, "The name or the password is not right, or the account is locked.")

// SignIn checks a name and password and opens a session. A refused
// sign-in says nothing of why (the log does): the name unknown, the
// password wrong, the account disabled or locked all answer the same,
// after the same work, so that names cannot be guessed. Every sign-in,
// refused or not, and every lockout, is audited.
func (s *Service) SignIn(ctx context.Context, name, password, from string) (*Session, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	now := s.Now().UTC()
	var out *Session
	var refused error
	err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		out, refused = nil, nil
		u, found, err := tx.UserByName(ctx, name)
		if err != nil {
			return err
		}
		audit := func(action, why string) error {
			after, _ := json.Marshal(map[string]string{"from": from, "why": why})
			return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: "user:" + name, Action: action, Subject: "user:" + name, After: after})
		}
		if !found {
			dummyOnce.Do(func() { dummyHash, _ = access.HashPassword("not a password of anyone", s.hashParams()) })
			_ = access.VerifyPassword(dummyHash, password)
			refused = errSignIn
			if !userNameRE.MatchString(name) {
				return nil // nothing worth a line in the chain
			}
			return audit("user.signin.refused", "unknown name")
		}
		verr := access.VerifyPassword(u.Hash, password)
		switch {
		case !u.DisabledAt.IsZero():
			refused = errSignIn
			return audit("user.signin.refused", "disabled")
		case u.LockedUntil.After(now):
			refused = errSignIn
			return audit("user.signin.refused", "locked")
		case verr != nil:
			refused = errSignIn
			failed := u.Failed + 1
			var until time.Time
			if failed >= MaxFailedSignIns {
				until = now.Add(LockoutFor)
			}
			if err := tx.SetSignInState(ctx, u.ID, failed, until); err != nil {
				return err
			}
			if err := audit("user.signin.refused", "wrong password"); err != nil {
				return err
			}
			if !until.IsZero() {
				return audit("user.locked", fmt.Sprintf("%d failed sign-ins; locked until %s", failed, until.Format(time.RFC3339)))
			}
			return nil
		}
		if err := tx.SetSignInState(ctx, u.ID, 0, time.Time{}); err != nil {
			return err
		}
		if access.NeedsRehash(u.Hash, s.hashParams()) {
			if h, err := access.HashPassword(password, s.hashParams()); err == nil {
				if err := tx.SetUserHash(ctx, u.ID, h); err != nil {
					return err
				}
			}
		}
		roles, err := tx.Roles(ctx, u.ID)
		if err != nil {
			return err
		}
		token, csrf := randomToken(), randomToken()
		row := sqlstore.SessionRow{IDHash: tokenHash(token), UserID: u.ID, CSRF: csrf, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionMax)}
		if err := tx.InsertSession(ctx, row); err != nil {
			return err
		}
		out = &Session{Token: token, CSRF: csrf, Principal: access.Principal{User: u.Name, Roles: roles}, ExpiresAt: row.ExpiresAt}
		return audit("user.signin", "")
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	return out, nil
}

// SessionFor returns the session of a cookie's token, with its principal
// read afresh (a role taken away takes effect at once); a token unknown,
// ended, expired, idle too long or of a disabled user is
// EUNAUTHENTICATED. The session's last use is recorded.
func (s *Service) SessionFor(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Sign in to continue.")
	}
	row, found, err := s.DB.Session(ctx, tokenHash(token))
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	if !found || !row.EndedAt.IsZero() || !now.Before(row.ExpiresAt) || now.Sub(row.SeenAt) >= SessionIdle {
		return nil, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Your session has ended: sign in again.")
	}
	u, roles, ok, err := s.DB.UserWithRoles(ctx, row.UserID)
	if err != nil {
		return nil, err
	}
	if !ok || !u.DisabledAt.IsZero() {
		return nil, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Your session has ended: sign in again.")
	}
	if now.Sub(row.SeenAt) >= time.Minute {
		if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.TouchSession(ctx, row.IDHash, now) }); err != nil {
			return nil, err
		}
	}
	return &Session{CSRF: row.CSRF, Principal: access.Principal{User: u.Name, Roles: roles}, ExpiresAt: row.ExpiresAt}, nil
}

// SignOut ends the session of the token, audited.
func (s *Service) SignOut(ctx context.Context, token string) error {
	row, found, err := s.DB.Session(ctx, tokenHash(token))
	if err != nil || !found {
		return err
	}
	now := s.Now().UTC()
	return s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.EndSession(ctx, row.IDHash, now); err != nil {
			return err
		}
		u, _, err := tx.UserByID(ctx, row.UserID)
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: "user:" + u.Name, Action: "user.signout", Subject: "user:" + u.Name})
	})
}

// DisableUser stops a user from signing in and ends their sessions.
func (s *Service) DisableUser(ctx context.Context, name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	now := s.Now().UTC()
	return s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		u, found, err := tx.UserByName(ctx, name)
		if err != nil {
			return err
		}
		if !found {
			return rescreen.Errorf(rescreen.ENOTFOUND, "no user %q", name)
		}
		if !u.DisabledAt.IsZero() {
			return rescreen.Errorf(rescreen.ECONFLICT, "user %q is already disabled", name)
		}
		if err := tx.DisableUser(ctx, u.ID, now); err != nil {
			return err
		}
		if err := tx.EndUserSessions(ctx, u.ID, now); err != nil {
			return err
		}
		after, _ := json.Marshal(userAudit{Name: name, Disabled: true})
		return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: rescreen.ActorFrom(ctx), Action: "user.disable", Subject: "user:" + name, After: after})
	})
}

// randomToken returns 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("app: no randomness: " + err.Error()))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session id or an API token.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// APIToken is a token's use: its principal, and the groups it may use,
// each at most at its level; the user's roles still decide (see Allows).
type APIToken struct {
	ID        string
	Principal access.Principal
	Groups    []access.Need
}

// Allows reports whether the token covers what a request needs: the
// token's own limit, checked before the user's roles.
func (t *APIToken) Allows(need access.Need) bool {
	for _, g := range t.Groups {
		if g.Group == need.Group && g.Level >= need.Level {
			return true
		}
	}
	return false
}

// AddToken issues an API token for the user, limited to the groups given
// (each with its level) and, if expires is not zero, until then. The
// token is returned once; the store keeps only its hash. Audited.
func (s *Service) AddToken(ctx context.Context, userName string, groups []access.Need, expires time.Time) (id, token string, err error) {
	userName = strings.ToLower(strings.TrimSpace(userName))
	var probs []rescreen.FieldError
	if len(groups) == 0 {
		probs = append(probs, rescreen.FieldError{Field: "groups", Msg: "a token needs at least one group"})
	}
	for i, g := range groups {
		if !slices.Contains(access.Groups, g.Group) || g.Level < access.Read || g.Level > access.Write {
			probs = append(probs, rescreen.FieldError{Field: fmt.Sprintf("groups[%d]", i), Msg: fmt.Sprintf("%q at level %d is not a group and level", g.Group, g.Level)})
		}
	}
	now := s.Now().UTC()
	if !expires.IsZero() && !expires.After(now) {
		probs = append(probs, rescreen.FieldError{Field: "expires", Msg: "must be in the future"})
	}
	if len(probs) > 0 {
		return "", "", (&rescreen.ValidationError{Problems: probs}).AsError("add token")
	}
	token = "rst_" + randomToken()
	id = s.NewID("T")
	err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		u, found, err := tx.UserByName(ctx, userName)
		if err != nil {
			return err
		}
		if !found || !u.DisabledAt.IsZero() {
			return rescreen.Errorf(rescreen.ENOTFOUND, "no active user %q", userName)
		}
		if err := tx.InsertToken(ctx, sqlstore.TokenRow{ID: id, UserID: u.ID, Hash: tokenHash(token), Groups: groups, CreatedAt: now, ExpiresAt: expires}); err != nil {
			return err
		}
		after, _ := json.Marshal(map[string]any{"token": id, "user": userName, "groups": groups, "expires": expires})
		return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: rescreen.ActorFrom(ctx), Action: "token.add", Subject: "user:" + userName, After: after})
	})
	if err != nil {
		return "", "", err
	}
	return id, token, nil
}

// TokenFor returns the use of an API token: EUNAUTHENTICATED when it is
// unknown, revoked, expired or its user disabled.
func (s *Service) TokenFor(ctx context.Context, token string) (*APIToken, error) {
	refused := rescreen.Errorf(rescreen.EUNAUTHENTICATED, "The API token is not valid.")
	if !strings.HasPrefix(token, "rst_") || len(token) > 100 {
		return nil, refused
	}
	t, found, err := s.DB.TokenByHash(ctx, tokenHash(token))
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	if !found || !t.RevokedAt.IsZero() || (!t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)) {
		return nil, refused
	}
	u, roles, ok, err := s.DB.UserWithRoles(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if !ok || !u.DisabledAt.IsZero() {
		return nil, refused
	}
	return &APIToken{ID: t.ID, Principal: access.Principal{User: u.Name, Roles: roles}, Groups: t.Groups}, nil
}

// RevokeToken revokes a token by its id, audited.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	now := s.Now().UTC()
	return s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
		t, found, err := tx.TokenByID(ctx, id)
		if err != nil {
			return err
		}
		if !found {
			return rescreen.Errorf(rescreen.ENOTFOUND, "no token %s", id)
		}
		if !t.RevokedAt.IsZero() {
			return rescreen.Errorf(rescreen.ECONFLICT, "token %s is already revoked", id)
		}
		if err := tx.RevokeToken(ctx, id, now); err != nil {
			return err
		}
		after, _ := json.Marshal(map[string]string{"token": id})
		return tx.AppendAudit(ctx, &rescreen.AuditEvent{At: now, Actor: rescreen.ActorFrom(ctx), Action: "token.revoke", Subject: "token:" + id, After: after})
	})
}

// TokenPrincipal returns the principal of an API token, limited to the
// token's groups.
func (s *Service) TokenPrincipal(ctx context.Context, token string) (access.Principal, string, error) {
	t, err := s.TokenFor(ctx, token)
	if err != nil {
		return access.Principal{}, "", err
	}
	p := t.Principal
	p.Limit = slices.Clone(t.Groups)
	if p.Limit == nil {
		p.Limit = []access.Need{}
	}
	return p, t.ID, nil
}

// PrincipalOf returns the principal of an active user by name, for work
// done on the user's behalf outside a request (an export made for them).
func (s *Service) PrincipalOf(ctx context.Context, name string) (access.Principal, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	u, found, err := s.DB.UserByName(ctx, name)
	if err != nil {
		return access.Principal{}, err
	}
	if !found || !u.DisabledAt.IsZero() {
		return access.Principal{}, rescreen.Errorf(rescreen.ENOTFOUND, "no active user %q", name)
	}
	roles, err := s.DB.Roles(ctx, u.ID)
	if err != nil {
		return access.Principal{}, err
	}
	return access.Principal{User: u.Name, Roles: roles}, nil
}
