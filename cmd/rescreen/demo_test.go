package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/sqlstore"
)

// TestDemo runs the demo on a small class, reads the users it prints up
// to "listening on", stops it, and checks the store: one user per role,
// each signing in with the printed password, and the unit-scoped roles
// reaching families of their unit.
func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		args := []string{"rescreen", "demo", "--families", "40", "--addr", "127.0.0.1:0", "--data-dir", dir}
		errc <- run(ctx, args, func(string) string { return "" }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	row := regexp.MustCompile(`^  (\S+)\s+(\S+)\s+(UNIT|ALL|OWN)\b.*\s(\S+)$`)
	passwords := map[string]string{}
	var printed strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		printed.WriteString(line + "\n")
		if strings.HasPrefix(line, "listening on ") {
			break
		}
		if m := row.FindStringSubmatch(line); m != nil && m[1] != "USER" {
			passwords[m[1]] = m[4]
		}
	}
	go io.Copy(io.Discard, pr)
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("demo: %v\n%s", err, printed.String())
	}
	out := printed.String()
	if !strings.Contains(out, "demo: one user per role; sign in at /sign-in on the address below") || len(passwords) != 6 {
		t.Fatalf("the demo printed:\n%s", out)
	}

	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "rescreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := app.New(db)
	users, err := db.Users(context.Background())
	if err != nil || len(users) != 6 {
		t.Fatalf("users: %+v %v", users, err)
	}
	want := map[string]struct {
		role access.Role
		unit string // the kind of unit of a Unit scope; "" for All
	}{
		"asylum":  {access.AsylumOfficer, "office:"},
		"ice":     {access.ICEOfficer, "facility:"},
		"orr":     {access.ORRCaseManager, "shelter:"},
		"counsel": {access.ClassCounsel, ""},
		"monitor": {access.Monitor, ""},
		"admin":   {access.Admin, ""},
	}
	seen := map[string]bool{}
	for _, u := range users {
		w, ok := want[u.Name]
		if !ok {
			t.Errorf("an unexpected user %q", u.Name)
			continue
		}
		pwd := passwords[u.Name]
		if len(pwd) < 16 || seen[pwd] {
			t.Errorf("%s: the password %q is short or shared", u.Name, pwd)
		}
		seen[pwd] = true
		sess, err := s.SignIn(context.Background(), u.Name, pwd, "test")
		if err != nil {
			t.Errorf("%s signs in with the printed password: %v", u.Name, err)
			continue
		}
		roles := sess.Principal.Roles
		if len(roles) != 1 || roles[0].Role != w.role {
			t.Errorf("%s: roles %+v, want %s", u.Name, roles, w.role)
			continue
		}
		a := roles[0]
		switch {
		case w.unit == "" && a.Scope != access.All:
			t.Errorf("%s: scope %s, want ALL", u.Name, a.Scope)
		case w.unit != "" && (a.Scope != access.Unit || len(a.Units) != 1 || !strings.HasPrefix(a.Units[0], w.unit)):
			t.Errorf("%s: %s %v, want one %s unit", u.Name, a.Scope, a.Units, w.unit)
		}
		// The officers, the case manager and counsel list families; the
		// monitor and the administrator see counts, never a family.
		pctx := access.NewContext(context.Background(), sess.Principal)
		page, err := s.ListFamilies(pctx, rescreen.Filter{Limit: 5})
		switch w.role {
		case access.Monitor, access.Admin:
			if rescreen.ErrorCode(err) != rescreen.EFORBIDDEN {
				t.Errorf("%s lists families: %d, %v", u.Name, len(page.Items), err)
			}
		default:
			if err != nil || len(page.Items) == 0 {
				t.Errorf("%s reaches no family: %v", u.Name, err)
			}
		}
	}
}

func TestSignInURL(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"localhost:8080", "http://localhost:8080/sign-in"},
		{":8080", "http://localhost:8080/sign-in"},
		{"0.0.0.0:9000", "http://localhost:9000/sign-in"},
		{"[::1]:8080", "http://[::1]:8080/sign-in"},
		{"127.0.0.1:0", "/sign-in on the address below"},
	} {
		if got := signInURL(tt.addr); got != tt.want {
			t.Errorf("signInURL(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
