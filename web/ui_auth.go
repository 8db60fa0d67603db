package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"rescreen"
)

// signinLimiter refuses sign-ins from an address after too many failures
// in a window, whatever the accounts tried: the per-account lockout
// (app.MaxFailedSignIns) stops guessing one password, this stops trying
// one password on many accounts. It is kept in memory: a restart forgets
// it, and the per-account lockout, which is stored, still holds.
type signinLimiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

// Per address: at most signinMaxFails failed sign-ins in signinWindow.
const (
	signinMaxFails = 20
	signinWindow   = 15 * time.Minute
)

func newSigninLimiter() *signinLimiter { return &signinLimiter{fails: map[string][]time.Time{}} }

// allowed reports whether the address may try to sign in now.
func (l *signinLimiter) allowed(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(addr, now)) < signinMaxFails
}

// failed records a failure of the address.
func (l *signinLimiter) failed(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[addr] = append(l.recent(addr, now), now)
	if len(l.fails) > 100000 { // a flood of addresses: forget the oldest state
		clear(l.fails)
	}
}

func (l *signinLimiter) recent(addr string, now time.Time) []time.Time {
	ts := l.fails[addr]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= signinWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, addr)
		return nil
	}
	l.fails[addr] = ts
	return ts
}

// signInView is the data of the sign-in page.
type signInView struct {
	Next    string
	Name    string
	Refused bool
	Limited bool
}

// uiSignInForm answers GET /sign-in.
func (s *Server) uiSignInForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin.html", signInView{Next: localPath(r.URL.Query().Get("next"))}, "signin.title")
}

// uiSignIn answers POST /sign-in: a good name and password open a new
// session (a cookie the user held before is ended, never reused, so a
// planted session id cannot become a signed-in one) and go to the page
// asked for; anything else shows the form again with one message for
// every refusal.
func (s *Server) uiSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.EINVALID, "%s", s.cats[language(r)].text("signin.bad")))
		return
	}
	v := signInView{Next: localPath(r.PostForm.Get("next")), Name: r.PostForm.Get("name")}
	if len(v.Name) > 100 {
		v.Name = v.Name[:100]
	}
	addr, now := clientAddr(r), s.now()
	if !s.signins.allowed(addr, now) {
		v.Limited = true
		s.render(w, r, http.StatusTooManyRequests, "signin.html", v, "signin.title")
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		_ = s.auth.SignOut(r.Context(), c.Value)
	}
	sess, err := s.auth.SignIn(r.Context(), v.Name, r.PostForm.Get("password"), addr)
	if err != nil {
		if rescreen.ErrorCode(err) != rescreen.EUNAUTHENTICATED {
			s.uiError(w, r, err)
			return
		}
		s.signins.failed(addr, now)
		clearSessionCookie(w)
		v.Refused = true
		s.render(w, r, http.StatusUnauthorized, "signin.html", v, "signin.title")
		return
	}
	// A browser session's cookie, without an expiry of its own: the
	// server ends the session (idle, absolute, sign-out), and the browser
	// forgets it when it closes.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, Secure: secureCookie(r),
		SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// uiSignOut answers POST /sign-out.
func (s *Server) uiSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.auth.SignOut(r.Context(), c.Value); err != nil {
			s.uiError(w, r, err)
			return
		}
	}
	clearSessionCookie(w)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

// auditView is the data of a family's audit page.
type auditView struct {
	Family rescreen.FamilyID
	Events []rescreen.AuditEvent
	Older  int64 // the before of the next page; 0 on the last
}

// uiFamilyAudit answers GET /families/{id}/audit: the family's audit
// events, changes and accesses, newest first, 100 a page.
func (s *Server) uiFamilyAudit(w http.ResponseWriter, r *http.Request) {
	id := rescreen.FamilyID(r.PathValue("id"))
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	evs, err := s.access.AuditLog(r.Context(), id, before, 100)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	v := auditView{Family: id, Events: evs}
	if len(evs) == 100 {
		v.Older = evs[len(evs)-1].Seq
	}
	s.render(w, r, http.StatusOK, "audit.html", v, "audit.title", id)
}

// apiFamilyAudit answers GET /api/v1/families/{id}/audit.
func (s *Server) apiFamilyAudit(w http.ResponseWriter, r *http.Request) {
	id := rescreen.FamilyID(r.PathValue("id"))
	q := r.URL.Query()
	before, limit := int64(0), 0
	var err error
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 1 {
			s.apiError(w, r, rescreen.Errorf(rescreen.EINVALID, "before: must be a sequence number"))
			return
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil {
			s.apiError(w, r, rescreen.Errorf(rescreen.EINVALID, "limit: must be a number"))
			return
		}
	}
	evs, err := s.access.AuditLog(r.Context(), id, before, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, auditPage{Items: evs})
}

// auditPage is the answer of GET /api/v1/families/{id}/audit.
type auditPage struct {
	Items []rescreen.AuditEvent `json:"items"`
}
