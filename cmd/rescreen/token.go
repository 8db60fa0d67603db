package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"rescreen/access"
)

const tokenUsage = `usage: rescreen token add USER --group GROUP:read|change [--group ...] [--expires YYYY-MM-DD]
       rescreen token revoke ID

An API token acts for its user, limited to the groups given; the user's roles
and scopes still decide. Groups: ` + "IDENTITY, MINORS, CUSTODY, SCREENINGS, SCREENING_NOTES, ELECTIONS, CONTACT, RETURNS, STATUS, LINKS, COUNTS, RULES, USERS, AUDIT, CHAIN, COURT" + `.
The token is printed once; the store keeps only its hash.`

// groupsFlag collects --group entries.
type groupsFlag []access.Need

func (g *groupsFlag) String() string { return fmt.Sprint(*g) }

func (g *groupsFlag) Set(v string) error {
	name, level, ok := strings.Cut(v, ":")
	n := access.Need{Group: access.Group(strings.ToUpper(name))}
	switch strings.ToLower(level) {
	case "read":
		n.Level = access.Read
	case "change", "write":
		n.Level = access.Write
	default:
		ok = false
	}
	if !ok {
		return fmt.Errorf("%q is not GROUP:read or GROUP:change", v)
	}
	*g = append(*g, n)
	return nil
}

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, tokenUsage)
		if len(args) == 0 {
			return &exitError{2, errors.New("token: say add or revoke")}
		}
		return nil
	}
	sub := args[0]
	if sub != "add" && sub != "revoke" {
		fmt.Fprintln(e.stderr, tokenUsage)
		return &exitError{2, fmt.Errorf("token: unknown subcommand %q", sub)}
	}
	fs, cfg := newFlags(e, "token "+sub, "token "+sub+" [flags]")
	fs.Usage = func() { fmt.Fprintln(e.stderr, tokenUsage); fs.PrintDefaults() }
	var groups groupsFlag
	expires := ""
	if sub == "add" {
		fs.Var(&groups, "group", "GROUP:read or GROUP:change; repeat for several")
		fs.StringVar(&expires, "expires", "", "the last day the token works, YYYY-MM-DD (default: until revoked)")
	}
	rest := args[1:]
	what := ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		what, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return &exitError{2, err}
	}
	if what == "" {
		fmt.Fprintln(e.stderr, tokenUsage)
		return &exitError{2, fmt.Errorf("token %s: say which user or token", sub)}
	}
	var until time.Time
	if expires != "" {
		d, err := time.Parse("2006-01-02", expires)
		if err != nil {
			return &exitError{2, fmt.Errorf("token add: --expires %q is not YYYY-MM-DD", expires)}
		}
		until = d.AddDate(0, 0, 1) // through the whole of the last day, UTC
	}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		return err
	}
	defer closeDB()
	ctx = cfg.context(ctx)
	if sub == "revoke" {
		if err := s.RevokeToken(ctx, what); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %s revoked\n", what)
		return nil
	}
	id, token, err := s.AddToken(ctx, what, groups, until)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %s for %s\n%s\n(shown once: send it as the header Authorization: Bearer TOKEN)\n", id, strings.ToLower(what), token)
	return nil
}
