package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// signIn signs the user in through the sign-in form and returns the
// session cookie and the page's CSRF token.
func (e *testEnv) signIn(t *testing.T, name string) (*http.Cookie, string) {
	t.Helper()
	w := e.postSignIn(t, name, "pw-"+name, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d\n%s", name, w.Code, w.Body)
	}
	var c *http.Cookie
	for _, k := range w.Result().Cookies() {
		if k.Name == sessionCookie {
			c = k
		}
	}
	if c == nil || c.Value == "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie: %+v", c)
	}
	req := httptest.NewRequest("GET", "/rules", nil)
	req.AddCookie(c)
	body := serve(e, req).Body.String()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on a signed-in page:\n%s", body)
	}
	return c, m[1]
}

func (e *testEnv) postSignIn(t *testing.T, name, password string, cookie *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(url.Values{"name": {name}, "password": {password}, "next": {"/rules"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-No-Auth", "1")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return serve(e, req)
}

func allRoles(name string, scope access.Scope) access.Principal {
	p := access.Principal{User: name}
	for _, r := range access.Roles {
		p.Roles = append(p.Roles, access.Assignment{Role: r, Scope: scope})
	}
	return p
}

// TestCSRF: a session's state-changing request without the session's
// token, or with another session's, is refused and changes nothing; with
// it, it goes through. An API token's request needs none.
func TestCSRF(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(allRoles("ana", access.All))
	env.auth.addUser(allRoles("eve", access.All))
	c, token := env.signIn(t, "ana")
	_, other := env.signIn(t, "eve")
	target := "/families/" + string(env.family) + "/split"
	for name, tok := range map[string]string{"no token": "", "another session's token": other, "a made-up token": "x" + token} {
		form := url.Values{"reason": {"wrong family"}}
		if tok != "" {
			form.Set("csrf", tok)
		}
		req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		w := serve(env, req)
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "did not come from this site") {
			t.Errorf("%s: %d\n%.500s", name, w.Code, w.Body)
		}
	}
	req := httptest.NewRequest("POST", target, strings.NewReader(url.Values{"reason": {"wrong family"}, "csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	if w := serve(env, req); w.Code == http.StatusForbidden || w.Code == http.StatusUnauthorized {
		t.Errorf("with the session's token: %d\n%.500s", w.Code, w.Body)
	}
	// The API with a session needs the token in a header.
	req = httptest.NewRequest("POST", "/api/v1/families/"+string(env.family)+"/changes", strings.NewReader(`{"changes":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(c)
	if w := serve(env, req); w.Code != http.StatusForbidden {
		t.Errorf("API call of a session without X-CSRF-Token: %d", w.Code)
	}
	req = httptest.NewRequest("POST", "/api/v1/families/"+string(env.family)+"/changes", strings.NewReader(`{"changes":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", token)
	req.AddCookie(c)
	if w := serve(env, req); w.Code != http.StatusBadRequest {
		t.Errorf("API call of a session with X-CSRF-Token: %d, want 400 for no changes", w.Code)
	}
	// An API token is not sent by a browser on its own: no CSRF token.
	if w := env.do(t, "POST", "/api/v1/families/"+string(env.family)+"/changes", `{"changes":[]}`); w.Code != http.StatusBadRequest {
		t.Errorf("API call with an API token: %d, want 400 for no changes", w.Code)
	}
}

// TestEveryPostFormCarriesTheToken: every form that posts, on every page
// a signed-in user opens, carries the session's CSRF token.
func TestEveryPostFormCarriesTheToken(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(allRoles("ana", access.All))
	c, token := env.signIn(t, "ana")
	id := string(env.family)
	forms := 0
	for _, path := range []string{"/", "/families/" + id, "/families/" + id + "/screenings/new", "/families/" + id + "/elections/new",
		"/links/L-1", "/links", "/search", "/dashboard", "/tasks", "/rules", "/families/" + id + "/audit"} {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c)
		w := serve(env, req)
		if w.Code != http.StatusOK {
			t.Errorf("%s: %d", path, w.Code)
			continue
		}
		body := w.Body.String()
		for _, m := range regexp.MustCompile(`(?s)<form method="post".*?</form>`).FindAllString(body, -1) {
			forms++
			if !strings.Contains(m, `<input type="hidden" name="csrf" value="`+token+`">`) {
				t.Errorf("%s: a form without the CSRF token:\n%s", path, m)
			}
		}
	}
	if forms < 15 {
		t.Errorf("only %d forms seen", forms)
	}
}

// TestSessionFixation: a session id planted before sign-in is never the
// one after it, and a session the browser held before is ended by a new
// sign-in; sign-out ends the session.
func TestSessionFixation(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(allRoles("ana", access.All))
	planted := &http.Cookie{Name: sessionCookie, Value: "planted-by-someone"}
	w := env.postSignIn(t, "ana", "pw-ana", planted)
	var got string
	for _, k := range w.Result().Cookies() {
		if k.Name == sessionCookie {
			got = k.Value
		}
	}
	if w.Code != http.StatusSeeOther || got == "" || got == planted.Value {
		t.Fatalf("sign-in with a planted id: %d, cookie %q", w.Code, got)
	}
	old := &http.Cookie{Name: sessionCookie, Value: got}
	w = env.postSignIn(t, "ana", "pw-ana", old)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d", w.Code)
	}
	req := httptest.NewRequest("GET", "/rules", nil)
	req.AddCookie(old)
	if w := serve(env, req); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/sign-in") {
		t.Errorf("the session before the second sign-in still works: %d", w.Code)
	}
	c, token := env.signIn(t, "ana")
	req = httptest.NewRequest("POST", "/sign-out", strings.NewReader("csrf="+url.QueryEscape(token)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	if w := serve(env, req); w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", w.Code)
	}
	req = httptest.NewRequest("GET", "/rules", nil)
	req.AddCookie(c)
	if w := serve(env, req); w.Code != http.StatusSeeOther {
		t.Errorf("a signed-out session still works: %d", w.Code)
	}
}

// TestSignInRefusals: a wrong password gets the one message and no
// cookie; after signinMaxFails failures an address is turned away even
// with the right password, while another address is not.
func TestSignInRefusals(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(allRoles("ana", access.All))
	w := env.postSignIn(t, "ana", "wrong", nil)
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "The name or the password is not right") || len(w.Result().Cookies()) > 0 && w.Result().Cookies()[0].Value != "" {
		t.Fatalf("wrong password: %d %v", w.Code, w.Result().Cookies())
	}
	for range signinMaxFails {
		env.postSignIn(t, "nobody", "x", nil)
	}
	if w := env.postSignIn(t, "ana", "pw-ana", nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d", signinMaxFails, w.Code)
	}
	req := httptest.NewRequest("POST", "/sign-in", strings.NewReader("name=ana&password=pw-ana"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-No-Auth", "1")
	req.RemoteAddr = "198.51.100.7:4000"
	if w := serve(env, req); w.Code != http.StatusSeeOther {
		t.Errorf("another address: %d", w.Code)
	}
}

// TestTokenScope: an API token answers only within its groups, a bad
// token is refused at once, and the access log records the token.
func TestTokenScope(t *testing.T) {
	env := newEnv(t)
	p := allRoles("svc", access.All)
	p.Limit = []access.Need{{Group: access.Status, Level: access.Read}}
	env.auth.tokens["rst_status"] = p
	get := func(path, token string) int {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return serve(env, req).Code
	}
	fam := "/api/v1/families/" + string(env.family)
	if c := get(fam+"/decisions", "rst_status"); c != http.StatusOK {
		t.Errorf("decisions within the token's groups: %d", c)
	}
	for _, path := range []string{fam, "/api/v1/families", "/api/v1/links", "/api/v1/rules"} {
		if c := get(path, "rst_status"); c != http.StatusForbidden {
			t.Errorf("%s outside the token's groups: %d", path, c)
		}
	}
	for _, bad := range []string{"rst_unknown", ""} {
		if c := get(fam, bad); c != http.StatusUnauthorized {
			t.Errorf("token %q: %d", bad, c)
		}
	}
	req := httptest.NewRequest("GET", fam, nil)
	req.Header.Set("Authorization", "Basic YTpi")
	if c := serve(env, req).Code; c != http.StatusUnauthorized {
		t.Errorf("basic auth: %d", c)
	}
	var logged, denied bool
	for _, e := range env.auth.log {
		logged = logged || e.Route == "/api/v1/families/{id}/decisions" && e.Token == "T-rst_status" && e.Family == env.family && e.Status == 200
		denied = denied || e.Route == "/api/v1/families/{id}" && e.Denied != "" && e.Status == http.StatusForbidden
	}
	if !logged || !denied {
		t.Errorf("access log: %+v", env.auth.log)
	}
}

// TestAccessLogOfPages: opening a family's page is logged with the user
// as the actor and the route, never the path; a page about no family is
// not.
func TestAccessLogOfPages(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(allRoles("ana", access.All))
	c, _ := env.signIn(t, "ana")
	before := len(env.auth.log)
	for _, path := range []string{"/families/" + string(env.family), "/rules"} {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(c)
		serve(env, req)
	}
	got := env.auth.log[before:]
	if len(got) != 1 || got[0].Route != "/families/{id}" || got[0].Family != env.family || env.auth.actors[before] != "user:ana" {
		t.Fatalf("access log: %+v %v", got, env.auth.actors[before:])
	}
	req := httptest.NewRequest("GET", "/families/"+string(env.family)+"/audit", nil)
	req.AddCookie(c)
	body := serve(env, req).Body.String()
	if !strings.Contains(body, "/families/{id}") || !strings.Contains(body, "user:ana") {
		t.Errorf("the audit page lacks the access:\n%s", body)
	}
}

// TestForbiddenPage: a refusal says so in the reader's language and
// names no reason that would reveal another family.
func TestForbiddenPage(t *testing.T) {
	env := newEnv(t)
	env.auth.addUser(access.Principal{User: "mon", Roles: []access.Assignment{{Role: access.Monitor, Scope: access.All}}})
	c, _ := env.signIn(t, "mon")
	req := httptest.NewRequest("GET", "/families/"+string(env.family), nil)
	req.AddCookie(c)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: "es"})
	w := serve(env, req)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "No puede ver ni hacer esto") {
		t.Errorf("%d\n%s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), string(rescreen.RoleChild)) {
		t.Error("the refusal shows family data")
	}
}
