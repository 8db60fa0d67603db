package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/sqlstore"
	"rescreen/sqlstore/storetest"
	"rescreen/synth"
)

// mustService returns a service on a fresh database with a fixed clock and
// counting ids. The database is a file so that the read pool sees the
// writer's commits as in production.
func mustService(tb testing.TB) *app.Service {
	tb.Helper()
	s := app.New(storetest.Open(tb))
	s.Now = func() time.Time { return time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC) }
	s.NewID = app.CounterIDs()
	return s
}

const sampleJSON = `{"format":"rescreen-exchange","version":1,
"families":[
{"source":"CBP_E3","source_id":"FAM-1"}
],
"persons":[
{"source":"CBP_E3","source_id":"P-1","family":"FAM-1","role":"PARENT","given_names":"María José","first_surname":"López","second_surname":"García","sex":"FEMALE","birth_date":"1990-03-04","country":"GT","languages":["mam","es"]},
{"source":"CBP_E3","source_id":"P-2","family":"FAM-1","role":"CHILD","given_names":"<script>alert(1)</script>","first_surname":"'; DROP TABLE families; --","birth_date":"2012-07-01","country":"GT"}
],
"identifiers":[
{"source":"CBP_E3","source_id":"ID-1","person":"P-1","kind":"A_NUMBER","value":"A-012-345-678"}
],
"separations":[
{"source":"CBP_E3","source_id":"SEP-1","family":"FAM-1","parent":"P-1","child":"P-2","on":"2018-05-20","place_kind":"BETWEEN_PORTS","reason":"PROSECUTION_REFERRAL"}
],
"custody":[
{"source":"ICE_EARM","source_id":"C-1","person":"CBP_E3:P-1","kind":"ICE_DETENTION","start":"2018-05-21"},
{"source":"ORR_UCPORTAL","source_id":"C-2","person":"CBP_E3:P-2","kind":"ORR_SHELTER","start":"2018-05-22"}
],
"screenings":[
{"source":"USCIS_GLOBAL","source_id":"S-1","person":"CBP_E3:P-1","kind":"CREDIBLE_FEAR","occasion":"INITIAL","on":"2018-06-01","result":"NEGATIVE","final":true,"while_separated":true}
]}
`

func writeFile(tb testing.TB, name, body string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func importPaths(tb testing.TB, s *app.Service, opt app.ImportOptions, paths ...string) (*app.ImportSummary, error) {
	tb.Helper()
	inputs, err := exchange.Inputs(paths, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Import(rescreen.WithActor(context.Background(), "test"), inputs, opt)
}

func export(tb testing.TB, s *app.Service) []byte {
	tb.Helper()
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	if err := s.Export(context.Background(), jw); err != nil {
		tb.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func counts(tb testing.TB, s *app.Service) map[string]int64 {
	tb.Helper()
	c, err := s.DB.Counts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestImportIsIdempotent(t *testing.T) {
	s := mustService(t)
	p := writeFile(t, "class.json", sampleJSON)
	sum, err := importPaths(t, s, app.ImportOptions{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 8 || sum.Read != 8 {
		t.Fatalf("first import: read %d created %d, want 8 and 8", sum.Read, sum.Created)
	}
	before := counts(t, s)
	first := export(t, s)
	sum, err = importPaths(t, s, app.ImportOptions{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 8 {
		t.Fatalf("second import: created %d updated %d unchanged %d, want 0 0 8", sum.Created, sum.Updated, sum.Unchanged)
	}
	after := counts(t, s)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d rows before the second import, %d after", k, v, after[k])
		}
	}
	if !bytes.Equal(first, export(t, s)) {
		t.Error("the export changed after importing the same file again")
	}
}

func TestExportRoundTripIsByteIdentical(t *testing.T) {
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	first := export(t, s)
	s2 := mustService(t)
	if _, err := importPaths(t, s2, app.ImportOptions{}, writeFile(t, "export.json", string(first))); err != nil {
		t.Fatal(err)
	}
	second := export(t, s2)
	if !bytes.Equal(first, second) {
		t.Fatalf("export differs after a round trip:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
	// The CSV form round-trips too.
	dir := t.TempDir()
	cw, err := exchange.NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(context.Background(), cw); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	s3 := mustService(t)
	if _, err := importPaths(t, s3, app.ImportOptions{}, dir); err != nil {
		t.Fatal(err)
	}
	if third := export(t, s3); !bytes.Equal(first, third) {
		t.Fatalf("export differs after a CSV round trip:\n%s\n%s", first, third)
	}
}

func TestHostileNamesAreStoredUnchanged(t *testing.T) {
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	page, err := s.ListPersons(context.Background(), rescreen.Filter{Role: rescreen.RoleChild})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("got %d children, want 1", len(page.Items))
	}
	p, _, err := s.GetPerson(context.Background(), page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.GivenNames != "<script>alert(1)</script>" || p.FirstSurname != "'; DROP TABLE families; --" {
		t.Fatalf("names changed: %q %q", p.GivenNames, p.FirstSurname)
	}
	if c := counts(t, s); c["families"] != 1 {
		t.Fatalf("families: %d rows, want 1", c["families"])
	}
}

func TestBadFileChangesNothingAndReportsEveryError(t *testing.T) {
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	before := export(t, s)
	beforeCounts := counts(t, s)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "persons.csv"), []byte(
		"source,source_id,family,role,given_names,birth_date,country\n"+
			"ORR_UCPORTAL,U-1,CBP_E3:FAM-1,CHILD,Ana,2015-02-30,GT\n"+ // line 2: no such date
			"ORR_UCPORTAL,U-2,CBP_E3:FAM-1,NIECE,Luis,2014-01-01,GT\n"+ // line 3: bad role
			"ORR_UCPORTAL,U-3,CBP_E3:FAM-9,CHILD,Eva,2014-01-01,XX\n"+ // line 4: no family, bad country
			"ORR_UCPORTAL,U-4,CBP_E3:FAM-1,CHILD,Sofía,2016-05-05,GT\n"), 0o644) // line 5: fine
	sum, err := importPaths(t, s, app.ImportOptions{}, dir)
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("error %v, want an invalid-input error", err)
	}
	file := filepath.Join(dir, "persons.csv")
	want := []string{
		file + ":2: birth_date: \"2015-02-30\" is not a date of the form 2006-01-02",
		file + ":3: role: \"NIECE\" is not one of PARENT, LEGAL_GUARDIAN, CHILD, SIBLING, OTHER",
		file + ":4: country: \"XX\" is not an ISO 3166-1 alpha-2 country code",
		file + ":4: family: family CBP_E3:FAM-9 is neither in the input (before this record) nor on record",
	}
	var got []string
	for _, p := range sum.Problems {
		got = append(got, p.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !bytes.Equal(before, export(t, s)) {
		t.Fatal("a bad file changed the store")
	}
	after := counts(t, s)
	for k, v := range beforeCounts {
		if after[k] != v {
			t.Errorf("%s: %d rows before, %d after", k, v, after[k])
		}
	}

	// With SkipInvalid the valid row goes in and the rejects are counted.
	sum, err = importPaths(t, s, app.ImportOptions{SkipInvalid: true}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 1 || sum.Rejected != 3 {
		t.Fatalf("skip-invalid: created %d rejected %d, want 1 and 3", sum.Created, sum.Rejected)
	}
}

func TestJSONErrorsNameTheLine(t *testing.T) {
	s := mustService(t)
	bad := strings.Replace(sampleJSON, `"result":"NEGATIVE"`, `"result":"NEGATIVO","mood":"x"`, 1)
	p := writeFile(t, "bad.json", bad)
	sum, err := importPaths(t, s, app.ImportOptions{}, p)
	if err == nil {
		t.Fatal("a bad document imported")
	}
	var got []string
	for _, pr := range sum.Problems {
		got = append(got, pr.Error())
	}
	want := []string{
		p + ":20: mood: is not a field of screenings",
		p + ":20: result: \"NEGATIVO\" is not one of POSITIVE, NEGATIVE, PENDING, NO_CLAIM",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c := counts(t, s); c["audit_events"] != 0 || len(c) != 1 {
		t.Fatalf("a bad document changed the store: %v", c)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	setup := func(t *testing.T) *app.Service {
		s := mustService(t)
		if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
			t.Fatal(err)
		}
		d, err := s.ListFamilies(context.Background(), rescreen.Filter{})
		if err != nil || len(d.Items) != 1 {
			t.Fatal(err, d)
		}
		// Two more events: a change and another change.
		for i, res := range []rescreen.ScreeningResult{rescreen.ResultPending, rescreen.ResultNegative} {
			_, err := s.ApplyChanges(context.Background(), d.Items[0].ID, 0, []rescreen.Change{{Kind: rescreen.KindScreenings,
				Record: &rescreen.Screening{Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: "S-2"}, Person: "CBP_E3:P-1",
					Kind: rescreen.CredibleFear, Occasion: rescreen.OccasionSettlement, Result: res, On: rescreen.NewDate(2018, 11, 10+i)}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		rep, err := s.VerifyAudit(context.Background(), "")
		if err != nil || !rep.OK() || rep.Events != 3 {
			t.Fatalf("fresh chain: %+v %v", rep, err)
		}
		return s
	}
	tamper := func(t *testing.T, s *app.Service, stmts ...string) {
		err := s.DB.WithTx(context.Background(), func(tx *sqlstore.Tx) error {
			drop := []string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}
			if s.DB.Dialect() == "postgres" {
				drop = []string{"ALTER TABLE audit_events DISABLE TRIGGER USER"}
			}
			for _, q := range append(drop, stmts...) {
				if err := tx.Exec(context.Background(), q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		stmts   []string
		wantSeq int64
	}{
		{"edited actor", []string{`UPDATE audit_events SET actor = 'someone else' WHERE seq = 2`}, 2},
		{"edited content", []string{`UPDATE audit_events SET after = CAST(replace(CAST(after AS TEXT), 'PENDING', 'POSITIVE') AS BLOB) WHERE seq = 2`}, 2},
		{"edited and rehashed", []string{`UPDATE audit_events SET actor = 'x', hash = '` + strings.Repeat("ab", 32) + `' WHERE seq = 2`}, 2},
		{"deleted", []string{`DELETE FROM audit_events WHERE seq = 2`}, 3},
		{"inserted", []string{`UPDATE audit_events SET seq = seq + 1 WHERE seq >= 2`,
			`INSERT INTO audit_events (seq, at, actor, action, family_id, subject, prev_hash, hash) SELECT 2, at, actor, action, family_id, subject, hash, hash FROM audit_events WHERE seq = 1`}, 2},
	}
	if os.Getenv(storetest.EnvURL) != "" { // PostgreSQL's names for the casts
		tests[1].stmts[0] = `UPDATE audit_events SET after = convert_to(replace(convert_from(after, 'UTF8'), 'PENDING', 'POSITIVE'), 'UTF8') WHERE seq = 2`
	}
	// The last UPDATE above shifts rows one by one; do it from the top down.
	tests[4].stmts[0] = `UPDATE audit_events SET seq = seq + 10 WHERE seq >= 2`
	tests[4].stmts = append(tests[4].stmts[:1], `UPDATE audit_events SET seq = seq - 9 WHERE seq >= 12`, tests[4].stmts[1])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup(t)
			tamper(t, s, tt.stmts...)
			rep, err := s.VerifyAudit(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.Problem.Seq != tt.wantSeq {
				t.Fatalf("report %+v, want a problem at event %d", rep, tt.wantSeq)
			}
		})
	}
	t.Run("cut off newest, caught by kept head", func(t *testing.T) {
		s := setup(t)
		_, head, err := s.AuditHead(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tamper(t, s, `DELETE FROM audit_events WHERE seq = 3`)
		if rep, _ := s.VerifyAudit(context.Background(), ""); !rep.OK() {
			t.Fatalf("without the head a cut chain verifies on its own: %+v", rep)
		}
		rep, err := s.VerifyAudit(context.Background(), head)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() {
			t.Fatal("a chain cut off after the kept head verified")
		}
	})
	t.Run("append-only triggers", func(t *testing.T) {
		s := setup(t)
		err := s.DB.WithTx(context.Background(), func(tx *sqlstore.Tx) error {
			return tx.Exec(context.Background(), `DELETE FROM audit_events WHERE seq = 1`)
		})
		if err == nil {
			t.Fatal("the store let an audit event be deleted")
		}
	})
}

func TestChangesAreAuditedWithBeforeAndAfter(t *testing.T) {
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	page, _ := s.ListFamilies(context.Background(), rescreen.Filter{Name: "lopez"})
	if len(page.Items) != 1 {
		t.Fatalf("search by folded name found %d families", len(page.Items))
	}
	id := page.Items[0].ID
	d, err := s.GetFamily(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ctx := rescreen.WithActor(context.Background(), "officer:7")
	scr := d.Records.Screenings[0]
	scr.Result = rescreen.ResultPositive
	if _, err := s.ApplyChanges(ctx, id, d.Version+1, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &scr}}); rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		t.Fatalf("stale version: %v, want a conflict", err)
	}
	d2, err := s.ApplyChanges(ctx, id, d.Version, []rescreen.Change{{Kind: rescreen.KindScreenings, Record: &scr}})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Version != d.Version+1 || d2.Records.Screenings[0].Result != rescreen.ResultPositive {
		t.Fatalf("after the change: version %d result %s", d2.Version, d2.Records.Screenings[0].Result)
	}
	var last *rescreen.AuditEvent
	s.DB.EachAuditEvent(context.Background(), func(e *rescreen.AuditEvent) error { last = e; return nil })
	if last.Actor != "officer:7" || last.FamilyID != id || !bytes.Contains(last.Before, []byte(`"NEGATIVE"`)) || !bytes.Contains(last.After, []byte(`"POSITIVE"`)) {
		t.Fatalf("audit event %+v lacks who, the family, or before and after", last)
	}
	// A change that touches another family's records is refused whole.
	other := &rescreen.Dataset{Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-X"}}}}
	created, err := s.CreateFamily(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 {
		t.Fatalf("a new family is at version %d, want 1", created.Version)
	}
	_, err = s.ApplyChanges(ctx, id, 0, []rescreen.Change{{Kind: rescreen.KindPersons, Record: &rescreen.Person{
		Meta: rescreen.Meta{Source: "MANUAL", SourceID: "X-1"}, Family: "MANUAL:F-X", Role: rescreen.RoleChild, GivenNames: "Ana"}}})
	if rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Fatalf("cross-family change: %v, want invalid", err)
	}
}

func TestRandomIDsAreUniqueAndOrdered(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	newID := app.RandomIDs()
	for i := 0; i < 100000; i++ {
		id := newID("R")
		if seen[id] || id <= prev || len(id) != 25 {
			t.Fatalf("id %d %q after %q (repeated, out of order or of the wrong length)", i, id, prev)
		}
		seen[id] = true
		prev = id
	}
}

func TestNameSearch(t *testing.T) {
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, writeFile(t, "class.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	find := func(name string) int {
		t.Helper()
		page, err := s.ListPersons(ctx, rescreen.Filter{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}
	for _, q := range []string{"María José López", "maria jose lopez", "MARIA LOP", "jos garc", "Lopez", `"; DROP`} {
		if n := find(q); n != 1 {
			t.Errorf("%q found %d persons, want 1", q, n)
		}
	}
	for _, q := range []string{"maria perez", "aria", `xyz*" OR "a`, "NEAR(maria lopez)"} {
		if n := find(q); n != 0 {
			t.Errorf("%q found %d persons, want 0", q, n)
		}
	}
	// A name variant is found too, and replacing it forgets the old spelling.
	page, _ := s.ListFamilies(ctx, rescreen.Filter{})
	alias := &rescreen.NameVariant{Meta: rescreen.Meta{Source: "ICE_EARM", SourceID: "N-1"}, Person: "CBP_E3:P-1", Kind: "SPELLING_VARIANT", GivenNames: "Maria", FirstSurname: "Lopes"}
	if _, err := s.ApplyChanges(ctx, page.Items[0].ID, 0, []rescreen.Change{{Kind: rescreen.KindNames, Record: alias}}); err != nil {
		t.Fatal(err)
	}
	if n := find("lopes"); n != 1 {
		t.Fatalf("the variant spelling found %d persons", n)
	}
	alias2 := *alias
	alias2.FirstSurname = "Lopec"
	if _, err := s.ApplyChanges(ctx, page.Items[0].ID, 0, []rescreen.Change{{Kind: rescreen.KindNames, Record: &alias2}}); err != nil {
		t.Fatal(err)
	}
	if find("lopes") != 0 || find("lopec") != 1 {
		t.Fatal("replacing a name variant did not replace its words in the search")
	}
}

// TestSyntheticClassRoundTrip exports a synthetic class with records of
// every kind, imports the export into an empty store and exports again.
func TestSyntheticClassRoundTrip(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 300
	class := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, class)
	s := mustService(t)
	if _, err := importPaths(t, s, app.ImportOptions{}, class); err != nil {
		t.Fatal(err)
	}
	first := export(t, s)
	kinds := 0
	for _, k := range rescreen.Kinds {
		if bytes.Contains(first, []byte("\n\""+string(k)+"\":[")) {
			kinds++
		}
	}
	if kinds != len(rescreen.Kinds) {
		t.Fatalf("the export holds %d kinds of record, want all %d", kinds, len(rescreen.Kinds))
	}
	s2 := mustService(t)
	if _, err := importPaths(t, s2, app.ImportOptions{}, writeFile(t, "export.json", string(first))); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, export(t, s2)) {
		t.Fatal("the synthetic class's export differs after a round trip")
	}
}

// TestImportCustodyMatchesAcrossPaths: the current custody of each person
// (the search's projection of the latest episode) comes out the same from
// an import into an empty store, which works it out as it goes and writes
// it once per person per chunk, in chunks that split a person's episodes,
// and from an import into a store that has records already, which reads
// each person's episodes back from the store.
func TestImportCustodyMatchesAcrossPaths(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Families = 80
	class := filepath.Join(t.TempDir(), "class.json")
	writeSynthClass(t, cfg, class)
	custody := func(s *app.Service) map[string]rescreen.CustodyKind {
		out := map[string]rescreen.CustodyKind{}
		f := rescreen.Filter{Limit: 100}
		for {
			page, err := s.ListPersons(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				out[p.Name+"|"+p.BirthDate.String()+"|"+string(p.Role)] = p.Custody
			}
			if page.Next == "" {
				return out
			}
			f.After = page.Next
		}
	}
	empty := mustService(t)
	if _, err := importPaths(t, empty, app.ImportOptions{ChunkRecords: 37}, class); err != nil {
		t.Fatal(err)
	}
	seeded := mustService(t)
	if _, err := importPaths(t, seeded, app.ImportOptions{}, writeFile(t, "seed.json", sampleJSON)); err != nil {
		t.Fatal(err)
	}
	if _, err := importPaths(t, seeded, app.ImportOptions{ChunkRecords: 37}, class); err != nil {
		t.Fatal(err)
	}
	a, b := custody(empty), custody(seeded)
	held := 0
	for k, v := range a {
		if v != "" {
			held++
		}
		if b[k] != v {
			t.Errorf("%s: custody %q from an empty store, %q from a seeded one", k, v, b[k])
		}
	}
	if len(a) == 0 || held < len(a)/2 || len(b) <= len(a) {
		t.Errorf("%d persons (%d with custody) from an empty store, %d from a seeded one (with the seed's)", len(a), held, len(b))
	}
}
