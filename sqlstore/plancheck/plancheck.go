// Package plancheck asks the database how it would run each statement the
// store ran during a package's tests, and reports those that read a whole
// large table: a statement that scans for want of an index costs nothing
// in a test's small store and minutes in a registry of a million
// families. A package's TestMain calls Main, which runs the tests and
// then the check, on SQLite and, when the tests have a PostgreSQL
// database (storetest.EnvURL), on PostgreSQL too.
package plancheck

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"rescreen/sqlstore"
	"rescreen/sqlstore/storetest"
)

// small are the tables whose size does not grow with the registry: the
// users, their roles, tokens and sessions, configuration, bookkeeping and
// the court's orders and objections.
var small = map[string]bool{
	"schema_migrations": true, "users": true, "user_roles": true, "api_tokens": true, "sessions": true,
	"rule_sets": true, "link_models": true, "report_keys": true, "import_batches": true,
	"court_cases": true, "court_deadlines": true, "court_deadline_entries": true, "court_approvals": true, "court_objections": true,
	"stat_counts": true, "work_clocks": true,
}

// whole are the statements meant to read a whole large table, each named
// by a fragment of its text, with the reason.
var whole = []struct{ fragment, why string }{
	{"FROM audit_events ORDER BY seq", "the audit chain's verification and export read every event, in order"},
	{"SELECT kind, COUNT(*) FROM records GROUP BY kind", "Counts, a census the tests take before and after a change"},
	{"SELECT COUNT(*) FROM audit_events", "Counts, as above"},
	{"SELECT count(*) FROM documents", "DocumentCount, a census the tests take"},
	{"SELECT count(*) FROM outreach o", "the outreach page's total: an index-only count of the families to reach, a tenth of a registry (0.4 s cold, 102,000 rows, at a million families)"},
	{"SELECT family_id, unit FROM family_units ORDER BY family_id, unit", "an export for a principal reads every family's units once, instead of once per family"},
	{"SELECT record_id, marks FROM link_stale", "the re-scoring of links reads every mark: the marks are its work"},
	{"UPDATE families SET dirty = 1 WHERE dirty = 0 AND NOT EXISTS", "at start-up after the rule set in force changed, every family is looked at once"},
	{"FROM family_facts WHERE layout <>", "at start-up after the facts' layout changed, every family is looked at once"},
	{"SELECT (SELECT count(*) FROM families)", "the report and the what-if count the families they are about to read every one of"},
	{"SELECT family_id, layout, data FROM family_facts", "the what-if reads every family's facts"},
	{"SELECT body FROM report_facts NOT INDEXED", "the report reads every family's contribution"},
	{"SELECT id FROM families WHERE dirty = 1", "the index of dirty families holds only the families awaiting derivation"},
	{"SELECT id FROM families f WHERE dirty = 1", "as above"},
	{"SELECT stage, COUNT(*) FROM families GROUP BY stage", "the dashboard's counts: one pass over an index that covers them, about 10 ms per 100,000 rows; counters kept by the derivation would make them constant"},
	{"SELECT outcome, COUNT(*) FROM determinations GROUP BY outcome", "as above"},
	{"SELECT country, COUNT(*) FROM persons GROUP BY country", "as above"},
	{"SELECT id FROM families f WHERE NOT EXISTS (SELECT 1 FROM report_facts", "the report of a store whose contributions are still being written: every family, once (docs/design.md)"},
}

var (
	scanLine   = regexp.MustCompile(`(?m)^SCAN (\w+)(.*)$`)
	tableRef   = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?`)
	limitWord  = regexp.MustCompile(`(?i)\bLIMIT\b`)
	manyMarks  = regexp.MustCompile(`IN \(\?(?:, \?)+\)`)
	manyValues = regexp.MustCompile(`(\((?:\?, )*\?\))(?:, \((?:\?, )*\?\))+`)
	seqScan    = regexp.MustCompile(`^Seq Scan on (\w+)`)
	indexScan  = regexp.MustCompile(`^Index (?:Only )?Scan (?:Backward )?using \w+ on (\w+)`)
	sortNode   = regexp.MustCompile(`(?m)^(?:->\s*)?(?:Incremental )?Sort\b`)
	subquery   = regexp.MustCompile(`(?m)^(?:CO-ROUTINE|MATERIALIZE) (\w+)`)
)

// keywords that can follow a table name where an alias might stand.
var keywords = map[string]bool{"WHERE": true, "ORDER": true, "GROUP": true, "LEFT": true, "JOIN": true, "INNER": true,
	"ON": true, "SET": true, "LIMIT": true, "VALUES": true, "USING": true, "AS": true, "SELECT": true, "DEFAULT": true}

// Finding is a statement that reads a whole large table, with its plan
// on the database of the dialect ("sqlite" or "postgres").
type Finding struct {
	Dialect   string
	Statement string
	Plan      string
}

// Main runs a package's tests and then, if they passed, the check: a
// finding fails the package, with the statement and its plan.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		code = report(os.Stderr)
	}
	os.Exit(code)
}

func report(w io.Writer) int {
	ctx := context.Background()
	stmts := sqlstore.Statements()
	fs, err := CheckSQLite(ctx, stmts)
	if err == nil && storetest.PostgresURL() != "" {
		var more []Finding
		more, err = CheckPostgres(ctx, storetest.PostgresURL(), stmts)
		fs = append(fs, more...)
	}
	if err != nil {
		fmt.Fprintln(w, "query-plan check:", err)
		return 1
	}
	for _, f := range fs {
		fmt.Fprintf(w, "query-plan check (%s): this statement reads a whole large table; add an index, or name it in plancheck's whole reads with the reason:\n%s\nplan:\n%s\n", f.Dialect, f.Statement, f.Plan)
	}
	if len(fs) > 0 {
		return 1
	}
	return 0
}

// CheckSQLite explains the statements on a new SQLite store.
func CheckSQLite(ctx context.Context, stmts []string) ([]Finding, error) {
	dir, err := os.MkdirTemp("", "plancheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	return check(ctx, filepath.Join(dir, "plan.db"), stmts)
}

// CheckPostgres explains the statements on a new store in a schema of its
// own in the PostgreSQL database of base.
func CheckPostgres(ctx context.Context, base string, stmts []string) ([]Finding, error) {
	name, drop, err := storetest.Schema(base)
	if err != nil {
		return nil, err
	}
	fs, err := check(ctx, name, stmts)
	if derr := drop(); err == nil {
		err = derr
	}
	return fs, err
}

// check explains every statement on a new store of the name, with the
// current schema, and returns those whose plan scans a large table (not
// to a LIMIT in the table's order) and are not whole reads by design. A
// statement the database does not take (a test's deliberate mistake, or
// one written for the other database) is left to fail where it runs.
func check(ctx context.Context, name string, stmts []string) ([]Finding, error) {
	db, err := sqlstore.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var out []Finding
	done := map[string]bool{}
	for _, q := range stmts {
		// A statement built for n values is one statement for the plan.
		q = manyValues.ReplaceAllString(manyMarks.ReplaceAllString(q, "IN (?)"), "$1")
		if done[q] {
			continue
		}
		done[q] = true
		plan, err := db.Explain(ctx, q)
		if err != nil {
			continue
		}
		if scansWhole(db.Dialect(), q, plan) && !isWhole(q) {
			out = append(out, Finding{Dialect: db.Dialect(), Statement: q, Plan: plan})
		}
	}
	return out, nil
}

// scansWhole reports whether a plan reads the whole of a large table: on
// SQLite a SCAN of the table (or of its alias in the statement), not of a
// virtual table, a subquery or a list of values; on PostgreSQL a Seq
// Scan, which with sequential scans made a last resort means no index
// serves. A walk in the table's or an index's order that a LIMIT stops
// (no sort in the plan) is not one.
func scansWhole(dialect, q, plan string) bool {
	if limitWord.MatchString(q) && !strings.Contains(plan, "USE TEMP B-TREE") && !sortNode.MatchString(plan) {
		return false
	}
	if dialect == "postgres" {
		for _, t := range pgWholeScans(plan) {
			if !small[t] {
				return true
			}
		}
		return false
	}
	alias := map[string]string{}
	for _, m := range tableRef.FindAllStringSubmatch(q, -1) {
		alias[m[1]] = m[1]
		if m[2] != "" && !keywords[strings.ToUpper(m[2])] {
			alias[m[2]] = m[1]
		}
	}
	// A subquery's rows are scanned under its own name, which may be an
	// alias of a table too.
	for _, m := range subquery.FindAllStringSubmatch(plan, -1) {
		delete(alias, m[1])
	}
	for _, m := range scanLine.FindAllStringSubmatch(plan, -1) {
		t, ok := alias[m[1]]
		if !ok || small[t] || strings.Contains(m[2], "VIRTUAL TABLE") {
			continue
		}
		return true
	}
	return false
}

// pgWholeScans returns the tables a PostgreSQL plan reads whole: by a Seq
// Scan, or by an index scan with no Index Cond (every entry of the index,
// which PostgreSQL prefers to a sequential scan made a last resort).
func pgWholeScans(plan string) []string {
	var out []string
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		l = strings.TrimPrefix(l, "-> ")
		l = strings.TrimSpace(l)
		if m := seqScan.FindStringSubmatch(l); m != nil {
			out = append(out, m[1])
			continue
		}
		m := indexScan.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		cond := false
		for _, p := range lines[i+1:] {
			if strings.HasPrefix(p, "->") {
				break
			}
			if strings.HasPrefix(p, "Index Cond:") {
				cond = true
			}
		}
		if !cond {
			out = append(out, m[1])
		}
	}
	return out
}

func isWhole(q string) bool {
	for _, w := range whole {
		if strings.Contains(q, w.fragment) {
			return true
		}
	}
	return false
}
