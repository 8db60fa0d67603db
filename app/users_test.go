package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
)

const goodPassword = "a long enough password"

func userService(t *testing.T) (*app.Service, *time.Time) {
	t.Helper()
	s := mustService(t)
	now := time.Date(2019, 1, 15, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	return s, &now
}

func TestAddUser(t *testing.T) {
	s, _ := userService(t)
	ctx := rescreen.WithActor(context.Background(), "cli:admin")
	roles := []access.Assignment{{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:ZHN"}}}
	u, err := s.AddUser(ctx, " Ana.Officer ", "Ana Officer", goodPassword, roles)
	if err != nil || u.Name != "ana.officer" || !strings.HasPrefix(u.Hash, "$argon2id$") {
		t.Fatalf("add: %+v %v", u, err)
	}
	if _, err := s.AddUser(ctx, "ana.officer", "", goodPassword, roles); !isCode(err, rescreen.ECONFLICT) {
		t.Fatalf("a taken name: %v", err)
	}
	// Every problem at once, nothing written.
	before, _ := s.DB.Users(ctx)
	_, err = s.AddUser(ctx, "<b>", "", "short", []access.Assignment{{Role: "JUDGE", Scope: access.All}, {Role: "JUDGE", Scope: access.All}})
	if !isCode(err, rescreen.EINVALID) {
		t.Fatalf("bad user: %v", err)
	}
	var ve *rescreen.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("not a validation error: %v", err)
	}
	fields := map[string]bool{}
	for _, p := range ve.Problems {
		fields[p.Field] = true
	}
	for _, f := range []string{"name", "password", "roles[0]", "roles[1]"} {
		if !fields[f] {
			t.Errorf("the error does not name %s: %v", f, ve.Problems)
		}
	}
	if after, _ := s.DB.Users(ctx); len(after) != len(before) {
		t.Error("a refused user was written")
	}
	// The audit log keeps the user and the roles, never the password.
	rep, err := s.VerifyAudit(ctx, "")
	if err != nil || !rep.OK() {
		t.Fatalf("audit: %+v %v", rep, err)
	}
	events := auditEvents(t, s)
	found := false
	for _, e := range events {
		if e.Action == "user.add" {
			found = strings.Contains(string(e.After), "office:ZHN")
		}
		if strings.Contains(string(e.After), goodPassword) || strings.Contains(string(e.After), "argon2") {
			t.Errorf("the audit log holds the password or its hash: %s", e.After)
		}
	}
	if !found {
		t.Error("no user.add event with the roles")
	}
}

func TestSignInAndSessions(t *testing.T) {
	s, now := userService(t)
	ctx := rescreen.WithActor(context.Background(), "cli:admin")
	roles := []access.Assignment{{Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:ACLU"}}}
	if _, err := s.AddUser(ctx, "lee", "", goodPassword, roles); err != nil {
		t.Fatal(err)
	}
	sess, err := s.SignIn(ctx, "LEE", goodPassword, "127.0.0.1")
	if err != nil || sess.Token == "" || sess.CSRF == "" || sess.Principal.User != "lee" || len(sess.Principal.Roles) != 1 || sess.Principal.Roles[0].Units[0] != "org:ACLU" {
		t.Fatalf("sign in: %+v %v", sess, err)
	}
	got, err := s.SessionFor(ctx, sess.Token)
	if err != nil || got.Principal.User != "lee" || got.CSRF != sess.CSRF {
		t.Fatalf("session: %+v %v", got, err)
	}
	// A second sign-in is a new session: the id changes at every sign-in.
	sess2, _ := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1")
	if sess2.Token == sess.Token || sess2.CSRF == sess.CSRF {
		t.Error("two sign-ins share a session id")
	}
	// Idle too long: ended.
	*now = now.Add(SessionIdleForTest + time.Second)
	if _, err := s.SessionFor(ctx, sess.Token); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Fatalf("an idle session: %v", err)
	}
	// Used within the idle time, it lasts until its absolute end, and not
	// a minute longer.
	sess3, _ := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1")
	start := *now
	for {
		*now = now.Add(20 * time.Minute)
		_, err := s.SessionFor(ctx, sess3.Token)
		if err == nil && now.Sub(start) >= app.SessionMax {
			t.Fatal("a session outlived its absolute end")
		}
		if err != nil {
			if now.Sub(start) < app.SessionMax {
				t.Fatalf("a session in use ended after %s: %v", now.Sub(start), err)
			}
			break
		}
	}
	// Signing out ends it; a made-up token is refused.
	sess4, _ := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1")
	if err := s.SignOut(ctx, sess4.Token); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{sess4.Token, "made-up", "", strings.Repeat("x", 200)} {
		if _, err := s.SessionFor(ctx, tok); !isCode(err, rescreen.EUNAUTHENTICATED) {
			t.Errorf("token %.10q: %v", tok, err)
		}
	}
	// Disabling a user ends their sessions and refuses their sign-in.
	sess5, _ := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1")
	if err := s.DisableUser(ctx, "lee"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionFor(ctx, sess5.Token); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Errorf("a disabled user's session: %v", err)
	}
	if _, err := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1"); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Errorf("a disabled user signs in: %v", err)
	}
}

// SessionIdleForTest is the idle limit the test steps past.
const SessionIdleForTest = app.SessionIdle

func TestLockout(t *testing.T) {
	s, now := userService(t)
	ctx := rescreen.WithActor(context.Background(), "cli:admin")
	if _, err := s.AddUser(ctx, "kim", "", goodPassword, []access.Assignment{{Role: access.Monitor, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}
	wrong := func() error { _, err := s.SignIn(ctx, "kim", "not the password at all", "10.0.0.9"); return err }
	for i := 0; i < app.MaxFailedSignIns; i++ {
		if err := wrong(); !isCode(err, rescreen.EUNAUTHENTICATED) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// Locked: the right password is refused too, with the same answer as
	// an unknown name.
	_, locked := s.SignIn(ctx, "kim", goodPassword, "10.0.0.9")
	_, unknown := s.SignIn(ctx, "nobody", goodPassword, "10.0.0.9")
	if !isCode(locked, rescreen.EUNAUTHENTICATED) || locked.Error() != unknown.Error() {
		t.Fatalf("locked %v, unknown %v", locked, unknown)
	}
	// After the lockout, the right password works and resets the count.
	*now = now.Add(app.LockoutFor + time.Second)
	if _, err := s.SignIn(ctx, "kim", goodPassword, "10.0.0.9"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if err := wrong(); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "kim", goodPassword, "10.0.0.9"); err != nil {
		t.Fatalf("one failure after a success locks: %v", err)
	}
	// Every refusal and the lockout are in the audit chain.
	events := auditEvents(t, s)
	counts := map[string]int{}
	for _, e := range events {
		counts[e.Action]++
	}
	if counts["user.signin.refused"] != app.MaxFailedSignIns+3 || counts["user.locked"] != 1 || counts["user.signin"] != 2 {
		t.Fatalf("audit actions %v", counts)
	}
}

// auditEvents reads the whole audit chain.
func auditEvents(t *testing.T, s *app.Service) []rescreen.AuditEvent {
	t.Helper()
	var out []rescreen.AuditEvent
	if err := s.DB.EachAuditEvent(context.Background(), func(e *rescreen.AuditEvent) error { out = append(out, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAPITokens(t *testing.T) {
	s, now := userService(t)
	ctx := rescreen.WithActor(context.Background(), "cli:admin")
	if _, err := s.AddUser(ctx, "ice-1", "", goodPassword, []access.Assignment{{Role: access.ICEOfficer, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}
	id, tok, err := s.AddToken(ctx, "ICE-1", []access.Need{{Group: access.Status, Level: access.Read}}, now.Add(24*time.Hour))
	if err != nil || !strings.HasPrefix(tok, "rst_") || id == "" {
		t.Fatalf("add: %q %q %v", id, tok, err)
	}
	got, err := s.TokenFor(ctx, tok)
	if err != nil || got.Principal.User != "ice-1" || got.ID != id {
		t.Fatalf("use: %+v %v", got, err)
	}
	// The token limits what the user's roles allow.
	if !got.Allows(access.Need{Group: access.Status, Level: access.Read}) || got.Allows(access.Need{Group: access.Custody, Level: access.Write}) ||
		got.Allows(access.Need{Group: access.Status, Level: access.Write}) {
		t.Error("Allows does not follow the token's groups")
	}
	// The store keeps only the hash.
	if _, plain, err := s.DB.TokenByHash(ctx, tok); err != nil || plain {
		t.Fatalf("the token is stored in plain: %v %v", plain, err)
	}
	// Expired, revoked, unknown, a disabled user's: refused.
	*now = now.Add(25 * time.Hour)
	if _, err := s.TokenFor(ctx, tok); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Errorf("an expired token: %v", err)
	}
	id2, tok2, _ := s.AddToken(ctx, "ice-1", []access.Need{{Group: access.Custody, Level: access.Write}}, time.Time{})
	if err := s.RevokeToken(ctx, id2); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, id2); !isCode(err, rescreen.ECONFLICT) {
		t.Errorf("revoking twice: %v", err)
	}
	if _, err := s.TokenFor(ctx, tok2); !isCode(err, rescreen.EUNAUTHENTICATED) {
		t.Errorf("a revoked token: %v", err)
	}
	_, tok3, _ := s.AddToken(ctx, "ice-1", []access.Need{{Group: access.Counts, Level: access.Read}}, time.Time{})
	if _, err := s.TokenFor(ctx, tok3); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableUser(ctx, "ice-1"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{tok3, "rst_made-up", "Bearer x", ""} {
		if _, err := s.TokenFor(ctx, bad); !isCode(err, rescreen.EUNAUTHENTICATED) {
			t.Errorf("%.12q: %v", bad, err)
		}
	}
	// Bad requests: every problem named, nothing written.
	if _, _, err := s.AddToken(ctx, "nobody", []access.Need{{Group: "GODMODE", Level: 9}}, now.Add(-time.Hour)); !isCode(err, rescreen.EINVALID) ||
		!strings.Contains(err.Error(), "groups[0]") {
		t.Errorf("bad token: %v", err)
	}
	if _, _, err := s.AddToken(ctx, "nobody", []access.Need{{Group: access.Counts, Level: access.Read}}, time.Time{}); !isCode(err, rescreen.ENOTFOUND) {
		t.Errorf("a token for nobody: %v", err)
	}
	actions := map[string]int{}
	for _, e := range auditEvents(t, s) {
		actions[e.Action]++
		if strings.Contains(string(e.After), tok) {
			t.Error("the audit log holds a token")
		}
	}
	if actions["token.add"] != 3 || actions["token.revoke"] != 1 {
		t.Errorf("audit %v", actions)
	}
}

// TestSignInRehashes: a password hashed with weaker parameters than the
// service's is hashed again at the next good sign-in, and still signs in
// after; a wrong password changes nothing.
func TestSignInRehashes(t *testing.T) {
	s, _ := userService(t)
	ctx := rescreen.WithActor(context.Background(), "cli:admin")
	if _, err := s.AddUser(ctx, "lee", "", goodPassword, []access.Assignment{{Role: access.ClassCounsel, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}
	hash := func() string {
		u, found, err := s.DB.UserByName(ctx, "lee")
		if err != nil || !found {
			t.Fatalf("user: %v %v", found, err)
		}
		return u.Hash
	}
	old := hash()
	stronger := access.HashParams{Memory: 128, Time: 2, Threads: 1}
	s.HashParams = stronger
	if !access.NeedsRehash(old, stronger) {
		t.Fatal("the test's parameters do not call for a new hash")
	}
	if _, err := s.SignIn(ctx, "lee", "not the password", "127.0.0.1"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if hash() != old {
		t.Error("a wrong password changed the hash")
	}
	if _, err := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	now := hash()
	if now == old || access.NeedsRehash(now, stronger) {
		t.Errorf("after a good sign-in the hash %q is not of the service's parameters", now)
	}
	if _, err := s.SignIn(ctx, "lee", goodPassword, "127.0.0.1"); err != nil {
		t.Fatalf("sign-in with the new hash: %v", err)
	}
}
