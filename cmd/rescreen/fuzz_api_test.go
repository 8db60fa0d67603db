package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/web"
)

// apiFuzzRoutes are the API routes that read a client's body or query,
// as FuzzAPIService sends them. {family} is a family of the store, {person}
// its first person ({person_key} its source key, {person_source} and
// {person_source_id} its parts), {appointment} an
// appointment booked for that person
// and {link} a link candidate; inputs may hold the same placeholders.
var apiFuzzRoutes = []struct {
	method, path string
	query        bool
}{
	{"POST", "/api/v1/families", false},
	{"POST", "/api/v1/families/{family}/changes", false},
	{"POST", "/api/v1/families/query", false},
	{"POST", "/api/v1/persons/query", false},
	{"POST", "/api/v1/families/{family}/split", false},
	{"POST", "/api/v1/persons/{person}/split", false},
	{"POST", "/api/v1/links/{link}/decision", false},
	{"POST", "/api/v1/families/{family}/appointments", false},
	{"POST", "/api/v1/families/{family}/appointments/{appointment}", false},
	{"GET", "/api/v1/families", true},
	{"GET", "/api/v1/persons", true},
	{"GET", "/api/v1/schedule", true},
	{"GET", "/api/v1/links", true},
	{"GET", "/api/v1/families/{family}/schedule-plan", true},
}

// FuzzAPIService is web's FuzzAPIRequest against the real service and
// store: arbitrary bytes go to every API route that reads a body or a
// query, with a token of a user who holds every role, so that what the
// decoders let through reaches the service's validation, access checks
// and transactions. The answer is a 2xx, or a 4xx with a JSON error body
// that has a code and a message; never a 5xx. A refused request changes
// no family and no link.
//
// The store is made once per fuzzing process (importing a small synthetic
// class takes a second), so what an accepted request changed stays for the
// inputs after it; each input is answered on its own terms all the same.
func FuzzAPIService(f *testing.F) {
	dir := f.TempDir()
	dataDir := filepath.Join(dir, "data")
	env := map[string]string{"RESCREEN_DATA_DIR": dataDir}
	class := filepath.Join(dir, "class.json")
	for _, args := range [][]string{{"synth", "--families", "4", "--out", class}, {"import", class}} {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"rescreen"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), &out, &out); err != nil {
			f.Fatal(err, out.String())
		}
	}
	ctx := rescreen.WithActor(context.Background(), "fuzz")
	cfg := &config{dataDir: dataDir, actor: "fuzz", params: &paramsFlags{}}
	s, closeDB, err := cfg.open(ctx, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(closeDB)
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	var roles []access.Assignment
	for _, r := range access.Roles {
		roles = append(roles, access.Assignment{Role: r, Scope: access.All})
	}
	if _, err := s.AddUser(ctx, "everyone", "", "a long enough password", roles); err != nil {
		f.Fatal(err)
	}
	var needs []access.Need
	for _, g := range access.Groups {
		needs = append(needs, access.Need{Group: g, Level: access.Write})
	}
	_, token, err := s.AddToken(ctx, "everyone", needs, s.Now().AddDate(1, 0, 0))
	if err != nil {
		f.Fatal(err)
	}
	logs := &bytes.Buffer{}
	srv, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Notices: s, Court: s,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: s.Now})
	if err != nil {
		f.Fatal(err)
	}
	fam, person, appointment := bookOne(ctx, f, s)
	d, err := s.GetFamily(ctx, fam)
	if err != nil {
		f.Fatal(err)
	}
	link := "L-NONE"
	if cs, err := s.LinkQueue(ctx, rescreen.LinkFilter{}); err == nil && len(cs) > 0 {
		link = cs[0].ID
	}
	p := d.Records.Persons[slices.IndexFunc(d.Records.Persons, func(p rescreen.Person) bool { return p.ID == person })]
	paths := strings.NewReplacer("{family}", string(fam), "{person}", person, "{person_key}", string(p.Key()),
		"{person_source}", string(p.Source), "{person_source_id}", p.SourceID,
		"{appointment}", appointment, "{link}", link)

	// state is what a change could alter, as JSON: every family's
	// summary (a change moves its updated_at), the seeded family's
	// version, and every link candidate with its state. Page views are
	// audited, so the audit chain grows on refused requests too.
	state := func(t *testing.T) string {
		fams, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.GetFamily(ctx, fam)
		if err != nil {
			t.Fatal(err)
		}
		links, err := s.LinkQueue(ctx, rescreen.LinkFilter{States: []rescreen.LinkState{rescreen.LinkReview, rescreen.LinkConfirmed, rescreen.LinkRejected, rescreen.LinkLinked, rescreen.LinkDropped}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal([]any{fams.Items, d.Version, links})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	f.Add(uint8(1), []byte(`{"version":0,"changes":[{"kind":"persons","record":{"source":"CBP_E3","source_id":"F0000001-M1","birth_date":"2019-02-30"}}]}`))
	f.Add(uint8(0), []byte(`{"families":[{"source":"CBP_E3","source_id":"F-9"}],"persons":[{"source":"CBP_E3","source_id":"P-9","family":"CBP_E3:F-9","role":"PARENT","given_names":"Ana"}]}`))
	f.Fuzz(func(t *testing.T, route uint8, input []byte) {
		rt := apiFuzzRoutes[int(route)%len(apiFuzzRoutes)]
		path := paths.Replace(rt.path)
		input = []byte(paths.Replace(string(input))) // seeds name the store's ids by placeholder
		var req *http.Request
		if rt.query {
			req = httptest.NewRequest(rt.method, path, nil)
			req.URL.RawQuery = string(input)
		} else {
			req = httptest.NewRequest(rt.method, path, bytes.NewReader(input))
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+token)
		before := state(t)
		logs.Reset()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: %d with a body that is not JSON:\n%s", rt.method, path, w.Code, w.Body)
		}
		if w.Code >= 200 && w.Code < 300 {
			return
		}
		if w.Code < 400 || w.Code >= 500 {
			t.Fatalf("%s %s %q: status %d\n%s\nlog:\n%s", rt.method, path, input, w.Code, w.Body, logs)
		}
		var b struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil || b.Error.Code == "" || b.Error.Message == "" {
			t.Fatalf("%s %s: %d without an error code and message\n%s", rt.method, path, w.Code, w.Body)
		}
		if after := state(t); after != before {
			t.Fatalf("%s %s %q was refused (%d %s) but changed the store", rt.method, path, input, w.Code, b.Error.Code)
		}
	})
}

// bookOne books an appointment for the first person of the store whom the
// rules owe a review or an interview, on the first business day after
// today that can be booked, and returns the family, the person and the
// appointment.
func bookOne(ctx context.Context, tb testing.TB, s *app.Service) (rescreen.FamilyID, string, string) {
	tb.Helper()
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 100})
	if err != nil {
		tb.Fatal(err)
	}
	today := rescreen.DateOf(s.Now())
	for _, fs := range page.Items {
		d, err := s.GetFamily(ctx, fs.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range d.Records.Persons {
			for day := 1; day <= 10; day++ {
				b, err := s.Schedule(ctx, rescreen.AppointmentRequest{FamilyID: fs.ID, PersonID: rescreen.PersonID(p.ID), On: today.AddDays(day), Time: "09:30",
					Officer: "AO Rivera", Office: "Houston Asylum Office", Mode: "IN_PERSON", Place: "Room 4", LanguageConfirmed: true})
				if err == nil {
					return fs.ID, p.ID, b.Appointment.ID
				}
				if !strings.Contains(err.Error(), "on: ") {
					break // not the day: this person cannot be booked
				}
			}
		}
	}
	tb.Fatal("no person of the synthetic class could be booked")
	return "", "", ""
}
