package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"rescreen/access"
)

const userUsage = `usage: rescreen user add NAME --role ROLE:SCOPE[:UNIT,UNIT...] [--role ...] [--display TEXT] [--password-stdin]
       rescreen user list
       rescreen user disable NAME

Roles: ASYLUM_OFFICER, ICE_OFFICER, ORR_CASE_MANAGER, CLASS_COUNSEL, MONITOR, ADMIN.
Scopes: OWN (the families assigned to the user), UNIT (the families whose records
name one of the units, each KIND:ID such as office:ZHN, facility:ELP-SPC,
shelter:TX-SWK-QUETZAL, org:ACLU) or ALL. Example:

  rescreen user add ana --role ASYLUM_OFFICER:UNIT:office:ZHN

Without --password-stdin a password is generated and printed once; with it, the
first line of standard input is the password (at least 12 characters).`

// rolesFlag collects --role entries.
type rolesFlag []access.Assignment

func (r *rolesFlag) String() string { return fmt.Sprint(*r) }

func (r *rolesFlag) Set(v string) error {
	role, rest, _ := strings.Cut(v, ":")
	scope, units, _ := strings.Cut(rest, ":")
	a := access.Assignment{Role: access.Role(strings.ToUpper(role)), Scope: access.Scope(strings.ToUpper(scope))}
	if units != "" {
		// Units are KIND:ID, separated by commas.
		a.Units = strings.Split(units, ",")
	}
	if err := a.Check(); err != nil {
		return err
	}
	*r = append(*r, a)
	return nil
}

func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, userUsage)
		if len(args) == 0 {
			return &exitError{2, errors.New("user: say add, list or disable")}
		}
		return nil
	}
	sub := args[0]
	fs, cfg := newFlags(e, "user "+sub, "user "+sub+" [flags]")
	fs.Usage = func() { fmt.Fprintln(e.stderr, userUsage); fs.PrintDefaults() }
	var roles rolesFlag
	display := ""
	fromStdin := false
	if sub == "add" {
		fs.Var(&roles, "role", "ROLE:SCOPE[:UNIT,...]; repeat for several roles")
		fs.StringVar(&display, "display", "", "the user's full name, as shown")
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	}
	rest := args[1:]
	name := ""
	if (sub == "add" || sub == "disable") && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return &exitError{2, err}
	}
	if (sub == "add" || sub == "disable") && name == "" {
		fmt.Fprintln(e.stderr, userUsage)
		return &exitError{2, fmt.Errorf("user %s: the user's name is required", sub)}
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	ctx = cfg.context(ctx)
	switch sub {
	case "add":
		password := ""
		if fromStdin {
			line, err := bufio.NewReader(e.stdin).ReadString('\n')
			if err != nil && line == "" {
				return &exitError{2, errors.New("user add: no password on standard input")}
			}
			password = strings.TrimRight(line, "\r\n")
		} else {
			password = generatedPassword()
		}
		u, err := s.AddUser(ctx, name, display, password, roles)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s added with %d role(s)\n", u.Name, len(roles))
		if !fromStdin {
			fmt.Fprintf(e.stdout, "password: %s\n(shown once: hand it over by a safe channel)\n", password)
		}
		return nil
	case "list":
		users, err := s.DB.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			rs, err := s.DB.Roles(ctx, u.ID)
			if err != nil {
				return err
			}
			var parts []string
			for _, a := range rs {
				p := string(a.Role) + ":" + string(a.Scope)
				if len(a.Units) > 0 {
					p += ":" + strings.Join(a.Units, ",")
				}
				parts = append(parts, p)
			}
			state := "active"
			if !u.DisabledAt.IsZero() {
				state = "disabled " + u.DisabledAt.Format("2006-01-02")
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", u.Name, state, strings.Join(parts, " "))
		}
		return nil
	case "disable":
		if err := s.DisableUser(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s disabled; their sessions are ended\n", strings.ToLower(name))
		return nil
	}
	fmt.Fprintln(e.stderr, userUsage)
	return &exitError{2, fmt.Errorf("user: unknown subcommand %q", sub)}
}

// generatedPassword returns 26 random base32 characters (130 bits).
func generatedPassword() string { return rand.Text() }
