package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rescreen"
)

// fuzzRoutes are the API's routes that read what a client sends: the JSON
// bodies (decodeJSON) and the lists' query strings. {family}, {person} and
// {appointment} stand for the seeded family's, its first person's and an
// appointment booked on it when the environment is made, {person_key} for
// that person's source key ({person_source} and {person_source_id} for its
// parts); inputs may hold the same placeholders.
var fuzzRoutes = []struct {
	method, path string
	query        bool // the input is the query string, not the body
}{
	{"POST", "/api/v1/families", false},
	{"POST", "/api/v1/families/{family}/changes", false},
	{"POST", "/api/v1/families/query", false},
	{"POST", "/api/v1/persons/query", false},
	{"POST", "/api/v1/families/{family}/split", false},
	{"POST", "/api/v1/persons/{person}/split", false},
	{"POST", "/api/v1/links/L-1/decision", false},
	{"POST", "/api/v1/families/{family}/appointments", false},
	{"POST", "/api/v1/families/{family}/appointments/{appointment}", false},
	{"GET", "/api/v1/families", true},
	{"GET", "/api/v1/persons", true},
	{"GET", "/api/v1/schedule", true},
	{"GET", "/api/v1/links", true},
	{"GET", "/api/v1/families/{family}/schedule-plan", true},
}

// fuzzEnv is a test environment with a family, a person and a booked
// appointment to send requests about. Making the server costs some 100 ms
// (templates, catalogues), so one is made per fuzzing process and its
// fakes are put back to their first state before every input.
type fuzzEnv struct {
	*testEnv
	person, appointment string
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	e := &fuzzEnv{testEnv: newEnv(tb)}
	e.reset(tb)
	return e
}

// reset gives the fakes a fresh registry: the seeded family, with an
// appointment booked for its first person, and the one link candidate.
func (e *fuzzEnv) reset(tb testing.TB) {
	tb.Helper()
	fam := newFakeFamilies()
	d, err := fam.CreateFamily(context.Background(), sampleDataset("FAM-1", "María José", "Pérez"))
	if err != nil {
		tb.Fatal(err)
	}
	b, err := fam.Schedule(context.Background(), rescreen.AppointmentRequest{FamilyID: d.FamilyID, PersonID: rescreen.PersonID(d.Records.Persons[0].ID),
		Occasion: rescreen.OccasionSettlement, On: rescreen.MustDate("2026-12-01"), Time: "09:00"})
	if err != nil {
		tb.Fatal(err)
	}
	e.family, e.person, e.appointment = d.FamilyID, d.Records.Persons[0].ID, b.Appointment.ID
	e.fam.mu.Lock()
	e.fam.dossiers, e.fam.next, e.fam.sched = fam.dossiers, fam.next, fam.sched
	e.fam.lastChanges = nil
	e.fam.mu.Unlock()
	links := newFakeLinks()
	e.links.mu.Lock()
	e.links.candidates, e.links.history = links.candidates, links.history
	e.links.mu.Unlock()
	e.auth.mu.Lock()
	e.auth.log = nil
	e.auth.mu.Unlock()
	e.logs.mu.Lock()
	e.logs.buf.Reset()
	e.logs.mu.Unlock()
}

// state is what the fakes hold, as JSON: a request that is refused must
// leave it as it was.
func (e *fuzzEnv) state(tb testing.TB) string {
	tb.Helper()
	e.fam.mu.Lock()
	fam, err := json.Marshal(e.fam.dossiers)
	e.fam.mu.Unlock()
	if err != nil {
		tb.Fatal(err)
	}
	e.links.mu.Lock()
	links, err := json.Marshal([]any{e.links.candidates, e.links.history})
	e.links.mu.Unlock()
	if err != nil {
		tb.Fatal(err)
	}
	return string(fam) + string(links)
}

// FuzzAPIRequest sends arbitrary bytes to every API route that decodes a
// body or a query string, with the all-powerful token, through the whole
// handler (middleware included). Whatever the input, the answer is a 2xx
// with a JSON body, or a 4xx whose JSON error body has a code and a
// message, each listed problem saying what is wrong; never a 5xx. A
// refused request changes nothing the services hold.
func FuzzAPIRequest(f *testing.F) {
	f.Add(uint8(0), []byte(`{"families":[{"source":"CBP_E3","source_id":"F-9"}],"persons":[{"source":"CBP_E3","source_id":"P-9","family":"CBP_E3:F-9","role":"PARENT","given_names":"Ana"}]}`))
	f.Add(uint8(1), []byte(`{"version":0,"changes":[{"kind":"screenings","record":{"source":"MANUAL","source_id":"S-1","person":"{person_key}","kind":"CREDIBLE_FEAR","occasion":"SETTLEMENT_REVIEW","on":"2026-11-01","result":"POSITIVE"}}]}`))
	f.Add(uint8(2), []byte(`{"name":"María","a_number":"A012345678","limit":5}`))
	f.Add(uint8(4), []byte(`{"reason":"not the same family"}`))
	f.Add(uint8(6), []byte(`{"decision":"CONFIRM","reason":"same A-number"}`))
	f.Add(uint8(7), []byte(`{"version":0,"person":"{person}","occasion":"SETTLEMENT_REVIEW","on":"2026-12-02","time":"10:00","mode":"IN_PERSON"}`))
	f.Add(uint8(8), []byte(`{"action":"RESCHEDULE","booking":{"on":"2026-12-03","time":"11:00"},"reason":"officer ill"}`))
	f.Add(uint8(9), []byte(`country=GT&limit=2&after=x`))
	f.Add(uint8(11), []byte(`limit=0&scheduled=maybe`))
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, input []byte) {
		e.reset(t)
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		ids := strings.NewReplacer("{family}", string(e.family), "{person}", e.person, "{person_key}", "CBP_E3:FAM-1-P1",
			"{person_source}", "CBP_E3", "{person_source_id}", "FAM-1-P1", "{appointment}", e.appointment)
		path := ids.Replace(rt.path)
		input = []byte(ids.Replace(string(input))) // seeds name the ids by placeholder
		var req *http.Request
		if rt.query {
			req = httptest.NewRequest(rt.method, path, nil)
			req.URL.RawQuery = string(input)
		} else {
			req = httptest.NewRequest(rt.method, path, bytes.NewReader(input))
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		before := e.state(t)
		e.serveHTTP(w, req)
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s %s: %d with Content-Type %q", rt.method, path, w.Code, ct)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: %d with a body that is not JSON:\n%s", rt.method, path, w.Code, w.Body)
		}
		switch {
		case w.Code >= 200 && w.Code < 300:
			return
		case w.Code >= 400 && w.Code < 500:
		default:
			t.Fatalf("%s %s %q: status %d\n%s\nlog:\n%s", rt.method, path, input, w.Code, w.Body, e.logs)
		}
		var b errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil || b.Error.Code == "" || b.Error.Message == "" {
			t.Fatalf("%s %s: %d without an error code and message: %v\n%s", rt.method, path, w.Code, err, w.Body)
		}
		if statusOf[b.Error.Code] != w.Code {
			t.Fatalf("%s %s: status %d for code %q", rt.method, path, w.Code, b.Error.Code)
		}
		for _, p := range b.Error.Problems {
			if p.Msg == "" {
				t.Fatalf("%s %s: a problem without a message: %s", rt.method, path, w.Body)
			}
			if p.Field == "" && isObject(input) && !rt.query {
				t.Fatalf("%s %s %q: a problem of a JSON object names no field: %s", rt.method, path, input, w.Body)
			}
		}
		if after := e.state(t); after != before {
			t.Fatalf("%s %s %q was refused (%d %s) but changed what the services hold", rt.method, path, input, w.Code, b.Error.Code)
		}
	})
}

// FuzzDecodeBody decodes arbitrary bytes as the two bodies whose records
// are decoded field by field: a new family (datasetBody) and a family's
// changes (changesBody). A body is refused with a ValidationError whose
// every problem says what is wrong; an accepted body, written back as
// JSON, decodes to the same body.
func FuzzDecodeBody(f *testing.F) {
	f.Add(false, []byte(`{"families":[{"source":"CBP_E3","source_id":"F-9"}],"persons":[{"source":"CBP_E3","source_id":"P-9","family":"CBP_E3:F-9","role":"PARENT","birth_date":"1990-02-03","languages":["es","mam"]}]}`))
	f.Add(true, []byte(`{"version":3,"changes":[{"kind":"persons","record":{"source":"CBP_E3","source_id":"P-9","alias_of":["CBP_E3:P-1"]}}]}`))
	f.Add(true, []byte(`{"version":-1,"changes":[{"kind":"nope","record":{}},{"kind":"persons","record":{"birth_date":"2019-02-30","x":1}}]}`))
	f.Fuzz(func(t *testing.T, changes bool, input []byte) {
		var v interface {
			json.Unmarshaler
		}
		if changes {
			v = &changesBody{}
		} else {
			v = &datasetBody{}
		}
		if err := v.UnmarshalJSON(input); err != nil {
			var ve *rescreen.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("%T %v is not a ValidationError with problems", err, err)
			}
			for _, p := range ve.Problems {
				if p.Msg == "" {
					t.Fatalf("problem without a message: %+v", ve.Problems)
				}
			}
			return
		}
		var out []byte
		var err error
		switch b := v.(type) {
		case *changesBody:
			out, err = json.Marshal(map[string]any{"version": b.Version, "changes": b.Changes})
		case *datasetBody:
			out, err = json.Marshal(&b.Dataset)
		}
		if err != nil {
			t.Fatalf("an accepted body cannot be written: %v", err)
		}
		var again interface{ json.Unmarshaler }
		if changes {
			again = &changesBody{}
		} else {
			again = &datasetBody{}
		}
		if err := again.UnmarshalJSON(out); err != nil {
			t.Fatalf("%s is accepted, but written as %s it is refused: %v", input, out, err)
		}
		var out2 []byte
		switch b := again.(type) {
		case *changesBody:
			out2, _ = json.Marshal(map[string]any{"version": b.Version, "changes": b.Changes})
		case *datasetBody:
			out2, _ = json.Marshal(&b.Dataset)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("%s reads as\n%s\nthen as\n%s", input, out, out2)
		}
	})
}

// isObject reports whether b is one well-formed JSON object, whose every
// problem can be named by its member.
func isObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Valid(b) && json.Unmarshal(b, &m) == nil && m != nil
}

// TestDecodeJSONNamesTheField: a value refused by a field's own decoding (a
// date) is named by its path, as a type mismatch is (found by fuzzing the
// API: the error said what was wrong but not where).
func TestDecodeJSONNamesTheField(t *testing.T) {
	e := newFuzzEnv(t)
	for _, tc := range []struct{ path, body, field string }{
		{"/api/v1/families/" + string(e.family) + "/appointments", `{"version":0,"person":"x","on":"12/02/2026"}`, "on"},
		{"/api/v1/families/" + string(e.family) + "/appointments/" + e.appointment, `{"action":"RESCHEDULE","booking":{"time":"10:00","on":"2026-02-30"}}`, "booking.on"},
		{"/api/v1/families/" + string(e.family) + "/appointments", `{"version":"1","on":"2026-12-02"}`, "version"},
		// A repeated member whose first value is refused (found by
		// FuzzAPIRequest: the last value alone decodes differently, so
		// the field went unnamed).
		{"/api/v1/families/" + string(e.family) + "/appointments", `{"on":0,"on":""}`, "on"},
		{"/api/v1/families/" + string(e.family) + "/appointments/" + e.appointment, `{"action":"RESCHEDULE","booking":{"on":1,"on":"2026-12-02"}}`, "booking.on"},
	} {
		w := e.do(t, "POST", tc.path, tc.body)
		d := apiErr(t, w, http.StatusBadRequest, rescreen.EINVALID)
		if !hasProblem(d, tc.field) {
			t.Errorf("%s: problems %+v do not name %s", tc.body, d.Problems, tc.field)
		}
	}
}

// TestEmptyMemberNameIsNamed: a member with an empty name is refused
// naming it as "" (found by FuzzAPIRequest: the problem named no field).
func TestEmptyMemberNameIsNamed(t *testing.T) {
	e := newFuzzEnv(t)
	for _, tc := range []struct{ path, body, field string }{
		{"/api/v1/families/query", `{"":0}`, `""`},
		{"/api/v1/links/L-1/decision", `{"decision":"CONFIRM","":1}`, `""`},
		{"/api/v1/families", `{"":[]}`, `""`},
		{"/api/v1/families/" + string(e.family) + "/changes", `{"version":0,"changes":[{"kind":"persons","record":{"":1}}]}`, `changes[0].record.""`},
	} {
		d := apiErr(t, e.do(t, "POST", tc.path, tc.body), http.StatusBadRequest, rescreen.EINVALID)
		if !hasProblem(d, tc.field) {
			t.Errorf("%s %s: problems %+v do not name %s", tc.path, tc.body, d.Problems, tc.field)
		}
	}
}
