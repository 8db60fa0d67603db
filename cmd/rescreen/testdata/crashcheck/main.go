// Command crashcheck reads a store (a SQLite file or a postgres:// URL)
// that the crash tests (cmd/rescreen/crash_test.go) killed rescreen on,
// and prints as JSON what the tests check: whether the audit chain and the records agree, the
// families' versions and derivation, how often each record was written,
// and, with -state FILE, writes everything an import writes or derives to
// FILE as sorted lines with ids replaced by natural keys, for comparing two
// stores.
//
// It is a program of its own, built without the race detector, because it
// reads every row of the store: in the race-instrumented test process that
// reading took several times longer than the kills it checks.
//
//	crashcheck [-state FILE [-same-ids]] [-allow-dirty] [-tagged PREFIX] DB
package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// report is what crashcheck prints.
type report struct {
	// HasAudit is false for a store whose migrations never made the
	// audit log (a kill before it); nothing else is filled in then.
	HasAudit bool `json:"has_audit"`
	// Problems are the disagreements between the audit chain, the records
	// and the families, one sentence each (at most 20, and a count).
	Problems []string `json:"problems"`
	// Records and Keys count the records and their distinct natural keys.
	Records int `json:"records"`
	Keys    int `json:"keys"`
	// Rewritten counts the records that more than one audit event wrote.
	Rewritten int `json:"rewritten"`
	// Stale, Persons and Models count the person records marked for
	// re-scoring of their links, the person records, and the linkage
	// models stored.
	Stale   int `json:"stale"`
	Persons int `json:"persons"`
	Models  int `json:"models"`
	Dirty   int `json:"dirty"`
	// Tagged holds the records whose source id starts with -tagged, by
	// key, and TaggedEvents how many audit events wrote each key with that
	// prefix, on record or not.
	Tagged       map[string]string `json:"tagged,omitempty"`
	TaggedEvents map[string]int    `json:"tagged_events,omitempty"`
}

func main() {
	state := flag.String("state", "", "write the store's state as lines to this file")
	sameIDs := flag.Bool("same-ids", false, "keep the columns that hash ids (the stores compared share their ids)")
	allowDirty := flag.Bool("allow-dirty", false, "families may wait for their derivation (an import cut off)")
	tagged := flag.String("tagged", "", "report the records whose source id starts with this prefix")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: crashcheck [-state FILE [-same-ids]] [-allow-dirty] [-tagged PREFIX] DB")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *state, *sameIDs, *allowDirty, *tagged); err != nil {
		fmt.Fprintln(os.Stderr, "crashcheck:", err)
		os.Exit(1)
	}
}

func run(path, state string, sameIDs, allowDirty bool, tagged string) error {
	postgres := strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
	driver, dsn := "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	tables := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if postgres {
		driver, dsn = "pgx", path
		tables = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	} else if _, err := os.Stat(path); err != nil {
		return json.NewEncoder(os.Stdout).Encode(report{})
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// A kill in the first migrations can leave a store without the
	// tables of the later ones.
	has := func(table string) (bool, error) {
		var n int
		err := db.QueryRow(tables, table).Scan(&n)
		return n > 0, err
	}
	var r report
	if ok, err := has("audit_events"); err != nil || !ok {
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(r)
	}
	r.HasAudit = true
	problems := 0
	problem := func(format string, args ...any) {
		if problems++; problems <= 20 {
			r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
		}
	}
	if tagged != "" {
		r.Tagged, r.TaggedEvents = map[string]string{}, map[string]int{}
	}
	perFamily, err := replayAudit(db, &r, problem, tagged)
	if err != nil {
		return err
	}
	if err := checkFamilies(db, &r, perFamily, allowDirty, problem); err != nil {
		return err
	}
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT kind || ':' || source || ':' || source_id),
		COUNT(CASE WHEN kind = 'persons' THEN 1 END) FROM records`).Scan(&r.Records, &r.Keys, &r.Persons); err != nil {
		return err
	}
	for table, n := range map[string]*int{"link_stale": &r.Stale, "link_models": &r.Models} {
		ok, err := has(table)
		if err != nil {
			return err
		}
		if ok {
			if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(n); err != nil {
				return err
			}
		}
	}
	if problems > 20 {
		r.Problems = append(r.Problems, fmt.Sprintf("... %d problems in all", problems))
	}
	if state != "" {
		lines, err := storeState(db, sameIDs)
		if err != nil {
			return err
		}
		if err := os.WriteFile(state, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// replayAudit replays every event of the audit chain that wrote records
// (an import chunk, a new family, a change, a notice: their After is the
// list of records written, their Before the versions they replaced) and
// checks that the replay is the records table exactly: every record on
// record was written by an event, with its current content as the newest
// event wrote it; no event wrote a record that is not on record; each
// event's Before is the version the replay held at that point, so no
// version was written without its event. It returns the count of such
// events per family.
func replayAudit(db *sql.DB, r *report, problem func(string, ...any), tagged string) (map[string]int64, error) {
	type written struct {
		Kind   string          `json:"kind"`
		Record json.RawMessage `json:"record"`
	}
	type header struct {
		Source   string `json:"source"`
		SourceID string `json:"source_id"`
	}
	keyOf := func(w written) (string, string, bool) {
		var h header
		if w.Kind == "" || json.Unmarshal(w.Record, &h) != nil || h.Source == "" || h.SourceID == "" {
			return "", "", false
		}
		return w.Kind + ":" + h.Source + ":" + h.SourceID, h.SourceID, true
	}
	perFamily := map[string]int64{}
	events := map[string]int{}
	replay := map[string]string{}
	rows, err := db.Query(`SELECT seq, action, family_id, before, after FROM audit_events ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var action, family string
		var before, after []byte
		if err := rows.Scan(&seq, &action, &family, &before, &after); err != nil {
			return nil, err
		}
		var ws []written
		if len(after) == 0 || after[0] != '[' || json.Unmarshal(after, &ws) != nil || len(ws) == 0 {
			continue
		}
		if _, _, ok := keyOf(ws[0]); !ok {
			continue
		}
		perFamily[family]++
		var bs []written
		if len(before) > 0 {
			if err := json.Unmarshal(before, &bs); err != nil {
				problem("audit event %d (%s): before is not a list of records: %v", seq, action, err)
			}
		}
		replaced := map[string]bool{}
		for _, b := range bs {
			k, _, ok := keyOf(b)
			if !ok {
				problem("audit event %d (%s): a record before without its key", seq, action)
				continue
			}
			replaced[k] = true
			if cur, ok := replay[k]; !ok || cur != string(b.Record) {
				problem("audit event %d (%s): %s before is not the version the chain wrote last", seq, action, k)
			}
		}
		for _, w := range ws {
			k, sid, ok := keyOf(w)
			if !ok {
				problem("audit event %d (%s): a record after without its key", seq, action)
				continue
			}
			if _, had := replay[k]; had && !replaced[k] {
				problem("audit event %d (%s): %s written again without the version it replaced", seq, action, k)
			}
			replay[k] = string(w.Record)
			if events[k]++; events[k] == 2 {
				r.Rewritten++
			}
			if tagged != "" && strings.HasPrefix(sid, tagged) {
				r.TaggedEvents[k]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = db.Query(`SELECT kind, source, source_id, data FROM records`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, src, sid, data string
		if err := rows.Scan(&kind, &src, &sid, &data); err != nil {
			return nil, err
		}
		k := kind + ":" + src + ":" + sid
		cur, ok := replay[k]
		switch {
		case !ok:
			problem("record %s is on record without an audit event that wrote it", k)
		case cur != data:
			problem("record %s differs from the version its last audit event wrote", k)
		}
		delete(replay, k)
		if tagged != "" && strings.HasPrefix(sid, tagged) {
			r.Tagged[k] = data
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k := range replay {
		problem("the audit chain wrote %s, which is not on record", k)
	}
	return perFamily, nil
}

// checkFamilies checks what every change keeps true of the families: none
// waits for its derivation (a change derives in its own transaction; an
// import's derivation ends before the import does), each is at the version
// its record-writing audit events give it (one per change), and each
// person record has its one row in the persons projection.
func checkFamilies(db *sql.DB, r *report, perFamily map[string]int64, allowDirty bool, problem func(string, ...any)) error {
	rows, err := db.Query(`SELECT id, version, dirty FROM families`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var version, dirty int64
		if err := rows.Scan(&id, &version, &dirty); err != nil {
			return err
		}
		if dirty != 0 {
			r.Dirty++
			if !allowDirty {
				problem("family %s waits for its derivation", id)
			}
		}
		if got := perFamily[id]; got != version {
			problem("family %s is at version %d, its audit events wrote %d versions", id, version, got)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var orphans, missing int
	if err := db.QueryRow(`SELECT
		(SELECT COUNT(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = p.id AND r.kind = 'persons')),
		(SELECT COUNT(*) FROM records r WHERE r.kind = 'persons' AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = r.id))`).Scan(&orphans, &missing); err != nil {
		return err
	}
	if orphans+missing > 0 {
		problem("the persons projection has %d rows without their record, and %d person records have no row", orphans, missing)
	}
	return nil
}

// stateQueries read everything an import writes or derives, table by
// table: the records, their search projections, the families with their
// stage and version, determinations, the decision log, the snapshots and
// report facts, the work lists, the dashboard counters and the linkage.
// Columns that tell when or by which run something was written (times,
// batch and change ids, audit sequence numbers) are left out: a store
// built by several runs differs from one built by a single run only there.
var stateQueries = []struct{ table, query string }{
	{"families", `SELECT id, source, source_id, stage, version, dirty FROM families`},
	{"records", `SELECT id, kind, source, source_id, family_id, person_id, data FROM records`},
	{"persons", `SELECT * FROM persons`},
	{"identifiers", `SELECT * FROM identifiers`},
	{"name_search", `SELECT person_id, words FROM name_search`},
	{"name_words", `SELECT * FROM name_words`},
	{"determinations", `SELECT family_id, version, as_of, outcome, result_hash, format, result FROM determinations`},
	{"decisions", `SELECT family_id, ROW_NUMBER() OVER (PARTITION BY family_id ORDER BY seq) AS n, actor, version, as_of, inputs_hash, outcome, previous, result FROM decisions`},
	{"rule_versions", `SELECT version, params FROM rule_versions`},
	{"family_facts", `SELECT * FROM family_facts`},
	{"report_facts", `SELECT * FROM report_facts`},
	{"report_keys", `SELECT * FROM report_keys`},
	{"family_units", `SELECT * FROM family_units`},
	{"work_holds", `SELECT * FROM work_holds`},
	{"work_deadlines", `SELECT * FROM work_deadlines`},
	{"work_clocks", `SELECT * FROM work_clocks`},
	{"stat_counts", `SELECT * FROM stat_counts`},
	{"schedule_queue", `SELECT * FROM schedule_queue`},
	{"schedule_queue_units", `SELECT * FROM schedule_queue_units`},
	{"outreach", `SELECT * FROM outreach`},
	{"link_candidates", `SELECT id, kind, left_record, right_record, left_family, right_family, probability, weight, fields, model, state, decided_by, reason FROM link_candidates`},
	{"link_decisions", `SELECT c.kind, c.left_record, c.right_record, ROW_NUMBER() OVER (PARTITION BY d.candidate ORDER BY d.seq) AS n, d.state, d.previous, d.actor, d.reason FROM link_decisions d JOIN link_candidates c ON c.id = d.candidate`},
	{"link_models", `SELECT id, model FROM link_models`},
}

// idHashes are the columns, and the member of a decision's summary, that
// hash values holding the records' ids: two stores whose ids differ differ
// there, so they are compared only between stores of the same ids.
var idHashes = map[string]bool{"result_hash": true, "inputs_hash": true}

var resultHashMember = regexp.MustCompile(`"result_hash":"[0-9a-f]*"`)

// storeState reads the store as sorted lines, one per row of stateQueries,
// with every id replaced by its natural key (KIND:SOURCE:SOURCE_ID, which
// two stores of the same records share whatever ids each assigned). With
// sameIDs the columns that hash ids are kept; otherwise they are left out.
func storeState(db *sql.DB, sameIDs bool) ([]string, error) {
	keys := map[string]string{}
	rows, err := db.Query(`SELECT id, kind, source, source_id FROM records`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, kind, src, sid string
		if err := rows.Scan(&id, &kind, &src, &sid); err != nil {
			rows.Close()
			return nil, err
		}
		keys[id] = kind + ":" + src + ":" + sid
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	name := func(id string) (string, bool) {
		k, ok := keys[id]
		return k, ok
	}
	var lines []string
	for _, q := range stateQueries {
		rows, err := db.Query(q.query)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return nil, err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			var line strings.Builder
			line.WriteString(q.table)
			for i, c := range cols {
				if idHashes[c] && !sameIDs {
					continue
				}
				var b []byte
				switch v := vals[i].(type) {
				case nil:
					b = []byte("NULL")
				case []byte:
					b = v
				case string:
					b = []byte(v)
				default:
					b = fmt.Append(nil, v)
				}
				b = replaceIDs(b, name)
				if !sameIDs && q.table == "decisions" && c == "result" {
					b = resultHashMember.ReplaceAll(b, []byte(`"result_hash":"?"`))
				}
				fmt.Fprintf(&line, "\t%s=%q", c, b)
			}
			lines = append(lines, line.String())
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.Strings(lines)
	return lines, nil
}

// replaceIDs replaces rescreen's own ids in b (F-…, P-…, R-…, B-…, L-…,
// CA-…: a prefix of one or two capitals, a hyphen, then 23 characters of
// time-ordered base 32) with what name returns for them, or PREFIX-? for an
// id it does not know (a batch, a change, a link candidate). It looks for
// no word boundary, because the binary forms (compact determinations, fact
// snapshots) put an id right after a length byte that may be a letter; for
// the same reason a two-letter prefix that is not an id is tried as a
// letter and a one-letter prefix.
func replaceIDs(b []byte, name func(id string) (string, bool)) []byte {
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	body := func(c byte) bool { return upper(c) || c >= '0' && c <= '9' }
	var out bytes.Buffer
	last := 0
	for i := 1; i+23 < len(b); i++ {
		if b[i] != '-' || !upper(b[i-1]) {
			continue
		}
		ok := true
		for _, c := range b[i+1 : i+24] {
			if !body(c) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		start := i - 1
		if i >= 2 && upper(b[i-2]) {
			start = i - 2
		}
		end := i + 24
		k, found := name(string(b[start:end]))
		if !found && start == i-2 {
			if k, found = name(string(b[i-1 : end])); found {
				start = i - 1
			}
		}
		if !found {
			k = string(b[start:i]) + "-?"
		}
		out.Write(b[last:start])
		out.WriteString(k)
		last = end
		i = end - 1
	}
	if last == 0 {
		return b
	}
	out.Write(b[last:])
	return out.Bytes()
}
