package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/web"
)

// The roles of the route table, by letter: A asylum officer, I ICE
// officer, O ORR case manager, C class counsel, M monitor, D
// administrator.
var roleLetters = map[byte]access.Role{
	'A': access.AsylumOfficer, 'I': access.ICEOfficer, 'O': access.ORRCaseManager,
	'C': access.ClassCounsel, 'M': access.Monitor, 'D': access.Admin,
}

// routeTable is the access policy written out by hand from the roles'
// descriptions: for every route, the roles that may use it on records in
// their scope ("*" for everyone, signed in or not). Out of scope, no role
// may use a route about one family, and a list never shows a family out
// of scope. A route registered without a row here fails the test, and so
// does a row without a route.
var routeTable = map[string]string{
	"GET /api/v1/families":                "AIOC",
	"POST /api/v1/families":               "IC",
	"GET /api/v1/families/{id}":           "AIOC",
	"POST /api/v1/families/{id}/changes":  "AIOC", // the service then checks each kind of record changed
	"GET /api/v1/families/{id}/decisions": "AIOC",
	"GET /api/v1/persons":                 "AIOC",
	"POST /api/v1/persons/query":          "AIOC",
	"POST /api/v1/families/query":         "AIOC",
	"POST /api/v1/families/{id}/split":    "IC",
	"GET /api/v1/persons/{id}":            "AIOC",
	"POST /api/v1/persons/{id}/split":     "IC",
	"GET /api/v1/links":                   "AIC",
	"GET /api/v1/links/{id}":              "AIC",
	"POST /api/v1/links/{id}/decision":    "IC",
	"GET /api/v1/rules":                   "AIOCMD",
	"GET /api/v1/families/{id}/audit":     "AIOC",
	"GET /api/v1/audit/head":              "AIOCMD",
	"GET /api/v1/audit/verify":            "AIOCMD",
	"GET /api/openapi.json":               "*",
	"GET /healthz":                        "*",
	"GET /metrics":                        "AIOCMD",
	"GET /{$}":                            "AIOCMD", // a monitor or an administrator is sent to the dashboard
	"GET /families/{id}":                  "AIOC",
	"GET /dashboard":                      "AIOCMD",
	"GET /report":                         "AIOCMD",
	"GET /report/{file}":                  "AIOCMD",
	"GET /search":                         "AIOC",
	"POST /search":                        "AIOC",
	"GET /rules":                          "AIOCMD",
	"GET /links":                          "AIC",
	"GET /links/{id}":                     "AIC",
	"POST /links/{id}/decision":           "IC",
	"POST /persons/{id}/split":            "IC",
	"POST /families/{id}/split":           "IC",
	"GET /families/{id}/screenings/new":   "A",
	"POST /families/{id}/screenings":      "A",
	"GET /families/{id}/elections/new":    "C",
	"POST /families/{id}/elections":       "C",
	"GET /static/{file}":                  "*",
	"POST /language":                      "*",
	"GET /tasks":                          "AIOC",
	"GET /sign-in":                        "*",
	"POST /sign-in":                       "*",
	"POST /sign-out":                      "AIOCMD",
	"GET /families/{id}/audit":            "AIOC",

	// Scheduling: the SCREENINGS group.
	"GET /api/v1/schedule":                                  "AIC",
	"GET /api/v1/families/{id}/schedule-plan":               "AIC",
	"POST /api/v1/families/{id}/appointments":               "A",
	"POST /api/v1/families/{id}/appointments/{appointment}": "A",
	"GET /schedule":                                  "AIC",
	"GET /families/{id}/appointments/new":            "A",
	"POST /families/{id}/appointments":               "A",
	"GET /families/{id}/appointments/{appointment}":  "A",
	"POST /families/{id}/appointments/{appointment}": "A",

	// Notices and outreach: the CONTACT group.
	"POST /families/{id}/notices":                   "C",
	"POST /families/{id}/notices/{notice}/delivery": "C",
	"GET /families/{id}/documents/{sha256}":         "OC",
	"POST /families/{id}/contacts":                  "C",
	"GET /outreach":                                 "OC",

	// The court's record: the COURT group, of no one family. Class counsel
	// and the administrator keep it; officers and the monitor read it.
	"GET /court":                            "AIOCMD",
	"POST /court/approvals":                 "CD",
	"POST /court/objections":                "CD",
	"GET /court/objections/{objection}":     "AIOCMD",
	"POST /court/objections/{objection}":    "CD",
	"GET /deadlines":                        "AIOCMD",
	"POST /deadlines":                       "CD",
	"GET /deadlines/{deadline}":             "AIOCMD",
	"POST /deadlines/{deadline}/ledger":     "CD",
	"POST /deadlines/{deadline}/completion": "CD",
}

// world is a registry of four families: two in the units of the table's
// users (in, in2) and two in nobody's (out, out2), a link waiting for
// review between the parents of each pair, and one user per role whose
// unit scope reaches in and in2.
type world struct {
	svc        *app.Service
	srv        *web.Server
	fam        map[string]rescreen.FamilyID // in, in2, out, out2
	person     map[string]string            // the parent's record id, by family
	link       map[string]string            // in, out
	users      map[access.Role]string
	childNames map[string]string // the child's full name, by family
	court      map[string]string // the ids of the court's record by path parameter ({objection}, {deadline}); see addCourtRecord
}

const worldPassword = "a long enough password"

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "test")
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := app.New(db)
	s.Now = func() time.Time { return time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC) }
	s.NewID = app.CounterIDs()
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	if s.Rules, err = rules.NewEngine(rules.Params{}); err != nil {
		t.Fatal(err)
	}
	w := &world{svc: s, fam: map[string]rescreen.FamilyID{}, person: map[string]string{}, link: map[string]string{},
		users: map[access.Role]string{}, childNames: map[string]string{}}
	units := map[string][4]string{ // office, facility, shelter, organisation
		"in": {"ZHN", "ELP-SPC", "TX-QUETZAL", "ACLU"}, "in2": {"ZHN", "ELP-SPC", "TX-QUETZAL", "ACLU"},
		"out": {"ZLA", "FLR-PIC", "AZ-CAMPBELL", "KIND"}, "out2": {"ZLA", "FLR-PIC", "AZ-CAMPBELL", "KIND"},
	}
	for _, name := range []string{"in", "in2", "out", "out2"} {
		u := units[name]
		sid := "F-" + strings.ToUpper(name)
		fam := rescreen.Ref("MANUAL:" + sid)
		parent := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-P"}, Family: fam, Role: rescreen.RoleParent,
			GivenNames: "Marta", FirstSurname: "Quispe" + strings.ToUpper(name), BirthDate: rescreen.MustDate("1985-04-02"), Country: "GT"}
		child := rescreen.Person{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-C"}, Family: fam, Role: rescreen.RoleChild,
			GivenNames: "Niño" + strings.ToUpper(name), FirstSurname: "Quispe" + strings.ToUpper(name), BirthDate: rescreen.MustDate("2012-09-10"), Country: "GT"}
		no := false
		d := &rescreen.Dataset{
			Families: []rescreen.Family{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid}}},
			Persons:  []rescreen.Person{parent, child},
			Identifiers: []rescreen.Identifier{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-CA"}, Person: child.Key(),
				Kind: rescreen.IDANumber, Value: "A20" + map[string]string{"in": "1", "in2": "2", "out": "3", "out2": "4"}[name] + "456789"}},
			Custody: []rescreen.Custody{
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-K1"}, Person: parent.Key(), Kind: rescreen.CustodyICE, Start: rescreen.MustDate("2018-05-20"), Facility: u[1]},
				{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-K2"}, Person: child.Key(), Kind: rescreen.CustodyORRShelter, Start: rescreen.MustDate("2018-05-22"), Facility: u[2]},
			},
			Screenings: []rescreen.Screening{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-S"}, Person: parent.Key(), Kind: rescreen.CredibleFear,
				Occasion: rescreen.OccasionInitial, On: rescreen.MustDate("2018-06-01"), Result: "NEGATIVE", Final: &no, WhileSeparated: new(bool), Office: u[0],
				Notes: "NOTES-" + name}},
			Counsel: []rescreen.Counsel{{Meta: rescreen.Meta{Source: "MANUAL", SourceID: sid + "-L"}, Family: fam, Role: "CLASS_COUNSEL", Name: "Counsel " + name, Organization: u[3]}},
		}
		*d.Screenings[0].WhileSeparated = true
		dos, err := s.CreateFamily(ctx, d)
		if err != nil {
			t.Fatalf("family %s: %v", name, err)
		}
		w.fam[name] = dos.FamilyID
		w.childNames[name] = child.FullName()
		row, ok, err := db.RecordByKey(ctx, rescreen.KindPersons, "MANUAL", sid+"-P")
		if err != nil || !ok {
			t.Fatalf("parent of %s: %v %v", name, ok, err)
		}
		w.person[name] = row.ID
	}
	for _, pair := range [][2]string{{"in", "in2"}, {"out", "out2"}} {
		sc := rescreen.LinkScore{Kind: rescreen.LinkSamePerson, Left: rescreen.LinkEnd{RecordID: w.person[pair[0]]}, Right: rescreen.LinkEnd{RecordID: w.person[pair[1]]},
			Probability: 0.7, Model: "m", Fields: []rescreen.FieldComparison{{Field: "first_surname", Left: "Quispe", Right: "Quispe", Level: 3, Label: "exact"}}}
		if _, err := s.ProposeLinks(ctx, []rescreen.LinkScore{sc}, rescreen.DefaultLinkThresholds); err != nil {
			t.Fatal(err)
		}
		q, err := s.LinkQueue(ctx, rescreen.LinkFilter{Family: w.fam[pair[0]]})
		if err != nil || len(q) != 1 {
			t.Fatalf("link of %s: %v %v", pair[0], q, err)
		}
		w.link[pair[0]] = q[0].ID
	}
	scopes := map[access.Role]access.Assignment{
		access.AsylumOfficer:  {Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{"office:zhn"}},
		access.ICEOfficer:     {Role: access.ICEOfficer, Scope: access.Unit, Units: []string{"facility:ELP-SPC"}},
		access.ORRCaseManager: {Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:TX-QUETZAL"}},
		access.ClassCounsel:   {Role: access.ClassCounsel, Scope: access.Unit, Units: []string{"org:ACLU"}},
		access.Monitor:        {Role: access.Monitor, Scope: access.All},
		access.Admin:          {Role: access.Admin, Scope: access.All},
	}
	for role, a := range scopes {
		name := strings.ToLower(strings.ReplaceAll(string(role), "_", "-"))
		if _, err := s.AddUser(ctx, name, "", worldPassword, []access.Assignment{a}); err != nil {
			t.Fatal(err)
		}
		w.users[role] = name
	}
	if w.srv, err = web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Notices: s, Court: s, Now: s.Now}); err != nil {
		t.Fatal(err)
	}
	return w
}

// session signs the role's user in and returns the cookie and CSRF token.
func (w *world) session(t *testing.T, role access.Role) (*http.Cookie, string) {
	t.Helper()
	sess, err := w.svc.SignIn(context.Background(), w.users[role], worldPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: "rescreen_session", Value: sess.Token}, sess.CSRF
}

// target fills a route's path in with the records of the scope side.
func (w *world) target(path, side string) string {
	switch {
	case strings.HasPrefix(path, "/api/v1/persons/{id}") || strings.HasPrefix(path, "/persons/{id}"):
		path = strings.Replace(path, "{id}", w.person[side], 1)
	case strings.HasPrefix(path, "/api/v1/links/{id}") || strings.HasPrefix(path, "/links/{id}"):
		path = strings.Replace(path, "{id}", w.link[side], 1)
	default:
		path = strings.Replace(path, "{id}", string(w.fam[side]), 1)
	}
	path = strings.Replace(path, "{file}", "style.css", 1)
	for param, id := range w.court {
		path = strings.Replace(path, param, id, 1)
	}
	return strings.Replace(path, "{$}", "", 1)
}

// TestEveryRouteEveryRole tries every registered route as every role, on
// records in the role's scope and out of it, and checks the answer
// against routeTable: allowed is anything but 401 and 403; refused is 403
// (401 signed out). Lists must not show a family out of scope, and no
// answer out of scope may carry that family's child's name or interview
// notes.
func TestEveryRouteEveryRole(t *testing.T) {
	w := newWorld(t)
	w.addCourtRecord(t)
	routes := w.srv.Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		if _, ok := routeTable[key]; !ok {
			t.Errorf("route %s (%s) has no row in the access table", key, r.Policy)
		}
	}
	for key := range routeTable {
		if !seen[key] {
			t.Errorf("the access table has a row for %s, which is not a route", key)
		}
	}
	for _, role := range access.Roles {
		cookie, csrf := w.session(t, role)
		for _, r := range routes {
			key := r.Method + " " + r.Path
			allowed := routeTable[key] == "*"
			for i := range len(routeTable[key]) {
				allowed = allowed || roleLetters[routeTable[key][i]] == role
			}
			perFamily := strings.Contains(r.Path, "{id}")
			for _, side := range []string{"in", "out"} {
				if side == "out" && !perFamily && r.Method != "GET" {
					continue
				}
				c, token := cookie, csrf
				if key == "POST /sign-out" || key == "POST /sign-in" {
					c, token = w.session(t, role) // a session of its own to end
				}
				req := httptest.NewRequest(r.Method, w.target(r.Path, side), strings.NewReader("x=1"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if strings.HasPrefix(r.Path, "/api/") {
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("X-CSRF-Token", token)
				req.AddCookie(c)
				rec := httptest.NewRecorder()
				w.srv.ServeHTTP(rec, req)
				body := rec.Body.String()
				want := allowed && (side == "in" || !perFamily || routeTable[key] == "*")
				refused := rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized
				if key == "POST /sign-in" {
					refused = rec.Code == http.StatusForbidden // 401 is the refused password
				}
				if want == refused {
					t.Errorf("%s as %s on %s records: %d, want allowed %v\n%.300s", key, role, side, rec.Code, want, body)
				}
				if rec.Code >= 500 {
					t.Errorf("%s as %s on %s records: %d\n%.500s", key, role, side, rec.Code, body)
				}
				// In scope, what the role has no need of is masked or
				// left out: an ICE officer sees no child's name or
				// A-number and no interview notes; an ORR case manager
				// no interview notes.
				for _, f := range []string{"in", "in2"} {
					if (role == access.ICEOfficer || role == access.ORRCaseManager) && strings.Contains(body, "NOTES-"+f) {
						t.Errorf("%s as %s shows the interview notes of family %s", key, role, f)
					}
					if role == access.ICEOfficer && (strings.Contains(body, w.childNames[f]) || strings.Contains(body, "A20"+map[string]string{"in": "1", "in2": "2"}[f]+"456789")) {
						t.Errorf("%s as %s shows a child's name or A-number of family %s:\n%.3000s", key, role, f, body)
					}
					if (role == access.Monitor || role == access.Admin) && (strings.Contains(body, "Quispe") || strings.Contains(body, "NOTES-")) {
						t.Errorf("%s as %s shows personal data", key, role)
					}
				}
				for _, f := range []string{"out", "out2"} {
					id := string(w.fam[f])
					if strings.Contains(body, `href="/families/`+id+`"`) || strings.Contains(body, `"id":"`+id+`"`) || strings.Contains(body, `"family_id":"`+id+`"`) ||
						strings.Contains(body, w.childNames[f]) || strings.Contains(body, "NOTES-"+f) || strings.Contains(body, "Quispe"+strings.ToUpper(f)) {
						t.Errorf("%s as %s on %s records leaks family %s:\n%.500s", key, role, side, f, body)
					}
				}
			}
		}
	}
}

// TestNoSignInNoAccess: signed out, every route but the public ones
// answers 401 (the API) or sends to the sign-in page.
func TestNoSignInNoAccess(t *testing.T) {
	w := newWorld(t)
	for _, r := range w.srv.Routes() {
		key := r.Method + " " + r.Path
		req := httptest.NewRequest(r.Method, w.target(r.Path, "in"), strings.NewReader("{}"))
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		switch {
		case routeTable[key] == "*":
			if rec.Code == http.StatusForbidden || (rec.Code == http.StatusUnauthorized && key != "POST /sign-in") {
				t.Errorf("public %s: %d", key, rec.Code)
			}
		case strings.HasPrefix(r.Path, "/api/") || r.Path == "/metrics":
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s signed out: %d, want 401", key, rec.Code)
			}
		case r.Method == "GET":
			if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/sign-in?next=") {
				t.Errorf("%s signed out: %d to %q, want the sign-in page", key, rec.Code, loc)
			}
		default:
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s signed out: %d, want 401", key, rec.Code)
			}
		}
	}
}
