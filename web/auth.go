package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"html"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"rescreen"
	"rescreen/access"
)

// sessionCookie names the cookie of a signed-in user's session.
const sessionCookie = "rescreen_session"

// policyKind says what a route touches, and so how its need is checked.
type policyKind uint8

const (
	kindPublic   policyKind = iota + 1 // anyone, signed in or not: the sign-in page, static files, health
	kindSignedIn                       // any signed-in user: the index, signing out
	kindNone                           // no family: counts, the rule book, the chain (a familyless group)
	kindList                           // many families: the service filters by the principal's reach
	kindFamily                         // the family {id}
	kindPerson                         // the family of the person record {id}
	kindLink                           // both families of the link candidate {id}
)

// policy is what a route requires. Every route is registered with one (see
// handle); the access test enumerates them.
type policy struct {
	kind policyKind
	need access.Need
}

func public() policy   { return policy{kind: kindPublic} }
func signedIn() policy { return policy{kind: kindSignedIn} }
func about(g access.Group, l access.Level) policy {
	return policy{kind: kindNone, need: access.Need{Group: g, Level: l}}
}
func list(g access.Group, l access.Level) policy {
	return policy{kind: kindList, need: access.Need{Group: g, Level: l}}
}
func family(g access.Group, l access.Level) policy {
	return policy{kind: kindFamily, need: access.Need{Group: g, Level: l}}
}
func person(g access.Group, l access.Level) policy {
	return policy{kind: kindPerson, need: access.Need{Group: g, Level: l}}
}
func link(g access.Group, l access.Level) policy {
	return policy{kind: kindLink, need: access.Need{Group: g, Level: l}}
}

// String describes the policy for the route table of the docs and tests.
func (p policy) String() string {
	switch p.kind {
	case kindPublic:
		return "public"
	case kindSignedIn:
		return "signed in"
	}
	kinds := map[policyKind]string{kindNone: "no family", kindList: "a list", kindFamily: "a family", kindPerson: "a person's family", kindLink: "a link's families"}
	return p.need.Level.Verb() + " " + string(p.need.Group) + " of " + kinds[p.kind]
}

// who is what authentication learned of a request.
type who struct {
	principal access.Principal
	session   *rescreen.Session // set for a session's request
	token     string            // the id of the request's API token
	family    rescreen.FamilyID // the family the route touched, for the access log
	denied    string            // the policy's reason, when it refused
}

type whoKey struct{}

func whoFrom(ctx context.Context) *who {
	w, _ := ctx.Value(whoKey{}).(*who)
	return w
}

// authenticate learns who makes the request: the user of a session
// cookie, or of an API token sent as "Authorization: Bearer rst_...". A
// token that is not valid is refused at once (a machine should know); a
// session cookie that is no longer valid is removed and the request goes
// on signed out, so the page can ask the user to sign in again.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := &who{}
		ctx := context.WithValue(r.Context(), whoKey{}, id)
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				s.fail(w, r.WithContext(ctx), rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Send an API token as \"Authorization: Bearer TOKEN\"."))
				return
			}
			p, tokenID, err := s.auth.TokenPrincipal(ctx, strings.TrimSpace(token))
			if err != nil {
				s.fail(w, r.WithContext(ctx), err)
				return
			}
			id.principal, id.token = p, tokenID
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, err := s.auth.SessionFor(ctx, c.Value)
			switch {
			case err == nil:
				id.principal, id.session = sess.Principal, sess
			case rescreen.ErrorCode(err) == rescreen.EUNAUTHENTICATED:
				clearSessionCookie(w)
			default:
				s.fail(w, r.WithContext(ctx), err)
				return
			}
		}
		if id.principal.User != "" {
			ctx = access.NewContext(ctx, id.principal)
			ctx = rescreen.WithActor(ctx, "user:"+id.principal.User)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authorize wraps a route's handler in its policy: a signed-in user is
// needed but for public routes; a session's state-changing request must
// carry the session's CSRF token; the family the route touches is
// resolved and the policy asked (access.Decide) before the handler runs.
// A refusal is a 401 (not signed in) or a 403, with the reason in the
// audit log.
func (s *Server) authorize(pol policy, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if pol.kind == kindPublic {
			h(w, r)
			return
		}
		id := whoFrom(r.Context())
		if id == nil || id.principal.User == "" {
			s.unauthenticated(w, r)
			return
		}
		if id.session != nil && !safeMethod(r.Method) {
			if !s.csrfOK(w, r, id.session.CSRF) {
				s.fail(w, r, rescreen.Errorf(rescreen.EFORBIDDEN, "%s", s.cats[language(r)].text("error.csrf")))
				return
			}
		}
		reason, rs, err := s.check(r, pol, id)
		if err != nil {
			s.fail(w, r, err)
			return
		} else if reason != "" {
			id.denied = reason
			s.fail(w, r, rescreen.Errorf(rescreen.EFORBIDDEN, "%s", s.cats[language(r)].text("error.forbidden")))
			return
		}
		if len(rs) > 0 && safeMethod(r.Method) {
			// A read is masked with the units it was allowed on; a change
			// may move the family between units, so its answer is masked
			// with the units read after it.
			r = r.WithContext(access.WithResources(r.Context(), rs))
		}
		h(w, r)
	}
}

// check asks the policy; it returns the reason of a refusal, or an error
// when the family cannot be resolved (ENOTFOUND for an unknown id), and
// the families it allowed, with their units.
func (s *Server) check(r *http.Request, pol policy, id *who) (string, []*access.Resource, error) {
	p := id.principal
	var fams []rescreen.FamilyID
	switch pol.kind {
	case kindSignedIn:
		return "", nil, nil
	case kindNone:
		if d := access.Decide(p, pol.need, nil); !d.Allow {
			return d.Reason, nil, nil
		}
		return "", nil, nil
	case kindList:
		if !p.Reach(pol.need).Any {
			return access.Decide(p, pol.need, nil).Reason, nil, nil
		}
		return "", nil, nil
	case kindFamily:
		fams = []rescreen.FamilyID{rescreen.FamilyID(r.PathValue("id"))}
	case kindPerson:
		f, err := s.access.PersonFamily(r.Context(), rescreen.PersonID(r.PathValue("id")))
		if err != nil {
			return "", nil, err
		}
		fams = []rescreen.FamilyID{f}
	case kindLink:
		fs, err := s.access.LinkFamilies(r.Context(), r.PathValue("id"))
		if err != nil {
			return "", nil, err
		}
		fams = fs
	default:
		return "the route has no policy", nil, nil
	}
	rs := make([]*access.Resource, 0, len(fams))
	for _, f := range fams {
		res, err := s.access.Resource(r.Context(), f)
		if err != nil {
			return "", nil, err
		}
		id.family = f
		if d := access.Decide(p, pol.need, res); !d.Allow {
			return d.Reason, nil, nil
		}
		rs = append(rs, res)
	}
	return "", rs, nil
}

// unauthenticated answers a request that needs a signed-in user: a 401
// for the API, the sign-in page for a page (it comes back here after).
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		s.apiError(w, r, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "Sign in, or send an API token as \"Authorization: Bearer TOKEN\"."))
		return
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(localPath(r.URL.Path)), http.StatusSeeOther)
		return
	}
	s.uiError(w, r, rescreen.Errorf(rescreen.EUNAUTHENTICATED, "%s", s.cats[language(r)].text("error.signedOut")))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfOK reports whether the request carries the session's CSRF token, in
// the form field "csrf" or the header X-CSRF-Token.
func (s *Server) csrfOK(w http.ResponseWriter, r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// postForm matches the opening tag of a form that posts; withCSRF puts the
// session's token in each. The pages' own forms are the only markup that
// can match: anything a user typed is escaped before it reaches the page.
var postForm = regexp.MustCompile(`<form method="post"[^>]*>`)

func withCSRF(page []byte, token string) []byte {
	if token == "" {
		return page
	}
	field := []byte(`<input type="hidden" name="csrf" value="` + html.EscapeString(token) + `">`)
	return postForm.ReplaceAllFunc(page, func(tag []byte) []byte {
		return append(append(bytes.Clone(tag), '\n'), field...)
	})
}

// logAccess appends the request to the access log in the audit chain when
// it touched a family, called the API, or was refused by the policy. It
// runs after the handler, so the status is the one sent.
func (s *Server) logAccess(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		id, info := whoFrom(r.Context()), infoFrom(r.Context())
		if id == nil || info == nil || id.principal.User == "" {
			return
		}
		route := routeOf(r)
		api := strings.HasPrefix(route, "/api/")
		switch {
		case id.denied != "", api:
		case id.family == "", !safeMethod(r.Method):
			return // a page about no family, or a change, which its own event records
		}
		e := rescreen.AccessEvent{Family: id.family, Method: methodLabel(r.Method), Route: route, Status: info.rec.code(), Token: id.token, Denied: id.denied}
		// The request is answered; the log must not fail with it if the
		// client went away, so it gets a context of its own.
		ctx := context.WithoutCancel(r.Context())
		if err := s.access.LogAccess(ctx, e); err != nil {
			s.log.ErrorContext(ctx, "access log", "request_id", info.id, "error", err.Error())
		}
	})
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// secureCookie reports whether the session cookie is marked Secure, sent
// only over HTTPS: always, but to a server reached on the loopback
// interface over plain HTTP (the demo, the tests), where browsers would
// not keep it. A server reached from elsewhere over plain HTTP therefore
// cannot keep anyone signed in: it must sit behind TLS.
func secureCookie(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip == nil || !ip.IsLoopback()
}

// clientAddr returns the client's address for the audit of a sign-in.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
