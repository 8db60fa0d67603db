package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/sqlstore"
)

func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": dir}
	out, stderr, err := runCmd(t, env, "user", "add", "Ana", "--role", "ASYLUM_OFFICER:UNIT:office:ZHN,office:ZLA", "--role", "monitor:all", "--display", "Ana Officer")
	if err != nil {
		t.Fatal(err, stderr)
	}
	m := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if !strings.Contains(out, "user ana added with 2 role(s)") || m == nil {
		t.Fatalf("add: %q", out)
	}
	// The printed password signs in, with both roles.
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "rescreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := app.New(db)
	sess, err := s.SignIn(context.Background(), "ana", m[1], "test")
	if err != nil || len(sess.Principal.Roles) != 2 || sess.Principal.Roles[0].Units[1] != "office:ZLA" {
		t.Fatalf("sign in with the printed password: %+v %v", sess, err)
	}
	db.Close()
	out, _, err = runCmd(t, env, "user", "list")
	if err != nil || !strings.Contains(out, "ana\tactive\tASYLUM_OFFICER:UNIT:office:ZHN,office:ZLA MONITOR:ALL") {
		t.Fatalf("list: %q %v", out, err)
	}
	if out, _, err = runCmd(t, env, "user", "disable", "ana"); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %q %v", out, err)
	}
	out, _, _ = runCmd(t, env, "user", "list")
	if !strings.Contains(out, "ana\tdisabled ") {
		t.Fatalf("list after disable: %q", out)
	}
	// Bad input: a clear error, nothing written, exit code 2 for usage.
	for _, args := range [][]string{
		{"user", "add", "bob", "--role", "JUDGE:ALL"},
		{"user", "add", "bob", "--role", "ICE_OFFICER:UNIT"},
		{"user", "add", "--role", "MONITOR:ALL"},
		{"user", "frobnicate"},
	} {
		_, stderr, err := runCmd(t, env, args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%v: %v (exit %d) %s", args, err, exitCode(err), stderr)
		}
	}
	if _, _, err := runCmd(t, env, "user", "add", "ana", "--role", "MONITOR:ALL"); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Errorf("a taken name: %v", err)
	}
	out, _, _ = runCmd(t, env, "user", "list")
	if strings.Count(out, "\n") != 1 {
		t.Errorf("refused users were written: %q", out)
	}
}

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"RESCREEN_DATA_DIR": dir}
	if _, stderr, err := runCmd(t, env, "user", "add", "cc", "--role", "CLASS_COUNSEL:UNIT:org:ACLU"); err != nil {
		t.Fatal(err, stderr)
	}
	out, stderr, err := runCmd(t, env, "token", "add", "cc", "--group", "status:read", "--group", "ELECTIONS:change", "--expires", "2999-12-31")
	m := regexp.MustCompile(`token (T-\S+) for cc\n(rst_\S+)\n`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("add: %q %v %s", out, err, stderr)
	}
	db, err := sqlstore.Open(context.Background(), filepath.Join(dir, "rescreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := app.New(db)
	tok, err := s.TokenFor(context.Background(), m[2])
	if err != nil || tok.Principal.User != "cc" || len(tok.Groups) != 2 {
		t.Fatalf("the printed token: %+v %v", tok, err)
	}
	if out, _, err := runCmd(t, env, "token", "revoke", m[1]); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %q %v", out, err)
	}
	if _, err := s.TokenFor(context.Background(), m[2]); rescreen.ErrorCode(err) != rescreen.EUNAUTHENTICATED {
		t.Fatalf("a revoked token: %v", err)
	}
	for _, args := range [][]string{
		{"token", "add", "cc", "--group", "STATUS"},
		{"token", "add", "cc", "--group", "STATUS:read", "--expires", "tomorrow"},
		{"token", "add", "--group", "STATUS:read"},
		{"token", "mint"},
	} {
		if _, _, err := runCmd(t, env, args...); exitCode(err) != 2 {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, _, err := runCmd(t, env, "token", "add", "cc", "--group", "GODMODE:read"); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("an unknown group: %v", err)
	}
}
