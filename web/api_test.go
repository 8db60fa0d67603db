package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"rescreen"
)

func TestNewServerRequiresServices(t *testing.T) {
	fam := newFakeFamilies()
	rules := &fakeRules{fam: fam}
	if _, err := NewServer(Config{Audit: &fakeAudit{}, Rules: rules}); err == nil {
		t.Error("NewServer without Families succeeded")
	}
	if _, err := NewServer(Config{Families: fam, Rules: rules}); err == nil {
		t.Error("NewServer without Audit succeeded")
	}
	if _, err := NewServer(Config{Families: fam, Audit: &fakeAudit{}}); err == nil {
		t.Error("NewServer without Rules succeeded")
	}
	if _, err := NewServer(Config{Families: fam, Audit: &fakeAudit{}, Rules: rules}); err == nil {
		t.Error("a server without link service")
	}
	if _, err := NewServer(Config{Families: fam, Audit: &fakeAudit{}, Rules: rules, Links: newFakeLinks()}); err == nil {
		t.Error("NewServer accepted a config without Auth")
	}
	auth := newFakeAuth(fam, newFakeLinks())
	if _, err := NewServer(Config{Families: fam, Audit: &fakeAudit{}, Rules: rules, Links: newFakeLinks(), Auth: auth}); err == nil {
		t.Error("NewServer accepted a config without Access")
	}
	if _, err := NewServer(Config{Families: fam, Audit: &fakeAudit{}, Rules: rules, Links: newFakeLinks(), Auth: auth, Access: auth}); err != nil {
		t.Errorf("NewServer with defaults: %v", err)
	}
}

func TestAPIRuleBookAndDecisions(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/api/v1/rules", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"id":"F-1"`) || !strings.Contains(w.Body.String(), `"cfg.partial_waiver":"MANUAL_REVIEW"`) {
		t.Fatalf("rule book: %d %s", w.Code, w.Body)
	}
	w = env.do(t, "GET", "/api/v1/families/"+string(env.family)+"/decisions", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"outcome":"PENDING"`) {
		t.Fatalf("decisions: %d %s", w.Code, w.Body)
	}
	w = env.do(t, "GET", "/api/v1/families/F-NOPE/decisions", "")
	if w.Code != http.StatusNotFound {
		t.Fatalf("decisions of an unknown family: %d %s", w.Code, w.Body)
	}
}

func TestAPIFamilyList(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "POST", "/api/v1/families/query", `{"name":"mar","stage":"determined","custody":"orr_shelter","role":"PARENT","country":"gt","a_number":"A-012-345-678","limit":10}`)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	want := rescreen.Filter{Name: "mar", Stage: rescreen.StageDetermined, Custody: rescreen.CustodyORRShelter,
		Role: rescreen.RoleParent, Country: "GT", ANumber: "A012345678", Limit: 10}
	if env.fam.lastFilter != want {
		t.Errorf("filter = %+v, want %+v", env.fam.lastFilter, want)
	}

	w = env.do(t, "GET", "/api/v1/families", "")
	var page rescreen.Page[rescreen.FamilySummary]
	decode(t, w, &page)
	if len(page.Items) != 1 || page.Items[0].ID != env.family || page.Next != "" {
		t.Errorf("page = %+v", page)
	}
	if env.fam.lastFilter.Limit != defaultLimit {
		t.Errorf("default limit = %d, want %d", env.fam.lastFilter.Limit, defaultLimit)
	}

	// A name or an A-number in the address is refused, whatever else
	// the query holds.
	for _, q := range []string{"name=mar", "a_number=A012345678&stage=DETERMINED"} {
		w = env.do(t, "GET", "/api/v1/families?"+q, "")
		if d := apiErr(t, w, http.StatusBadRequest, "invalid"); !strings.Contains(d.Message, "never sent in an address") {
			t.Errorf("%s: %s", q, d.Message)
		}
	}
	w = env.do(t, "POST", "/api/v1/persons/query", `{"name":"x","color":"red"}`)
	apiErr(t, w, http.StatusBadRequest, "invalid")

	// An empty result is an empty list, not null.
	w = env.do(t, "POST", "/api/v1/families/query", `{"name":"nobody"}`)
	if !strings.Contains(w.Body.String(), `"items":[]`) {
		t.Errorf("empty page = %s", w.Body)
	}
}

func TestAPIListParamErrors(t *testing.T) {
	env := newEnv(t)
	tests := []struct {
		name, query, field string
	}{
		{"unknown stage", "stage=FINISHED", "stage"},
		{"unknown custody", "custody=JAIL", "custody"},
		{"unknown role", "role=UNCLE", "role"},
		{"limit zero", "limit=0", "limit"},
		{"limit too big", "limit=501", "limit"},
		{"limit not a number", "limit=ten", "limit"},
		{"bad country", "country=XX", "country"},
		{"bad a-number", "a_number=12", "a_number"},
		{"unknown parameter", "coutry=GT", "coutry"},
		{"repeated parameter", "stage=ELECTED&stage=CONTACTED", "stage"},
		{"overlong name", "name=" + strings.Repeat("a", 201), "name"},
	}
	for _, path := range []string{"/api/v1/families", "/api/v1/persons"} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				d := apiErr(t, env.do(t, "GET", path+"?"+tt.query, ""), http.StatusBadRequest, rescreen.EINVALID)
				if !hasProblem(d, tt.field) {
					t.Errorf("problems %+v do not name %q", d.Problems, tt.field)
				}
			})
		}
	}
}

func TestAPIPagination(t *testing.T) {
	env := newEnv(t)
	for i := 2; i <= 7; i++ {
		if _, err := env.fam.CreateFamily(t.Context(), sampleDataset(fmt.Sprintf("FAM-%d", i), "Rosa", "López")); err != nil {
			t.Fatal(err)
		}
	}
	var got []rescreen.FamilyID
	after := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		w := env.do(t, "GET", "/api/v1/families?limit=3&after="+url.QueryEscape(after), "")
		var page rescreen.Page[rescreen.FamilySummary]
		decode(t, w, &page)
		if len(page.Items) > 3 {
			t.Fatalf("page of %d items with limit 3", len(page.Items))
		}
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if len(got) != 7 {
		t.Fatalf("paged through %d families, want 7: %v", len(got), got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("ids not in keyset order: %v", got)
		}
	}
}

func TestAPIFamilyGet(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/api/v1/families/"+string(env.family), "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	var d rescreen.Dossier
	decode(t, w, &d)
	if d.FamilyID != env.family || len(d.Records.Persons) != 2 || d.Version != 1 {
		t.Errorf("dossier = %+v", d)
	}
	if got := d.Records.Separations[0].On.String(); got != "2018-06-21" {
		t.Errorf("separation date = %q", got)
	}

	d2 := apiErr(t, env.do(t, "GET", "/api/v1/families/F99999", ""), http.StatusNotFound, rescreen.ENOTFOUND)
	if d2.Message != "No family has the id F99999." {
		t.Errorf("message = %q", d2.Message)
	}
}

func TestAPIFamilyCreate(t *testing.T) {
	env := newEnv(t)
	body := mustJSON(t, sampleDataset("FAM-NEW", "Juan", "García"))
	w := env.do(t, "POST", "/api/v1/families", body)
	if w.Code != http.StatusCreated {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var d rescreen.Dossier
	decode(t, w, &d)
	if loc := w.Header().Get("Location"); loc != "/api/v1/families/"+string(d.FamilyID) {
		t.Errorf("Location = %q for %s", loc, d.FamilyID)
	}
	if got := env.do(t, "GET", w.Header().Get("Location"), ""); got.Code != http.StatusOK {
		t.Errorf("GET Location: %d", got.Code)
	}

	t.Run("conflict", func(t *testing.T) {
		apiErr(t, env.do(t, "POST", "/api/v1/families", body), http.StatusConflict, rescreen.ECONFLICT)
	})
	t.Run("service validation problems are listed", func(t *testing.T) {
		bad := sampleDataset("FAM-BAD", "Juan", "García")
		bad.Persons[0].Country = "ZZ"
		d := apiErr(t, env.do(t, "POST", "/api/v1/families", mustJSON(t, bad)), http.StatusBadRequest, rescreen.EINVALID)
		if !hasProblem(d, "country") {
			t.Errorf("problems = %+v", d.Problems)
		}
	})
	t.Run("two families", func(t *testing.T) {
		two := sampleDataset("FAM-A", "Juan", "García")
		two.Families = append(two.Families, rescreen.Family{Meta: rescreen.Meta{Source: rescreen.SourceCBP, SourceID: "FAM-B"}})
		d := apiErr(t, env.do(t, "POST", "/api/v1/families", mustJSON(t, two)), http.StatusBadRequest, rescreen.EINVALID)
		if !hasProblem(d, "families") {
			t.Errorf("problems = %+v", d.Problems)
		}
	})
}

func TestStrictDecoding(t *testing.T) {
	env := newEnv(t)
	famURL := "/api/v1/families/" + string(env.family) + "/changes"
	screening := `{"source":"USCIS_GLOBAL","source_id":"SC9","person":"CBP_E3:FAM-1-P1","kind":"CREDIBLE_FEAR","occasion":"SETTLEMENT_REVIEW","result":"PENDING"}`
	tests := []struct {
		name, url, body string
		fields          []string
	}{
		{"unknown top-level field in a change request", famURL, `{"version":1,"changes":[],"force":true}`, []string{"force"}},
		{"unknown field in a record", famURL, `{"version":1,"changes":[{"kind":"screenings","record":{"source":"USCIS_GLOBAL","source_id":"X","resultt":"PENDING"}}]}`, []string{"changes[0].record.resultt"}},
		{"field names are case-sensitive", famURL, `{"version":1,"changes":[{"kind":"screenings","record":{"Result":"PENDING"}}]}`, []string{"changes[0].record.Result"}},
		{"wrong type names its path", famURL, `{"version":1,"changes":[` + screening + `,{"kind":"screenings","record":{"result":7}}]}`, []string{"changes[0].kind", "changes[1].record.result"}},
		{"bad date names its path", famURL, `{"version":1,"changes":[{"kind":"custody","record":{"start":"2018-02-30"}}]}`, []string{"changes[0].record.start"}},
		{"bool given as string", famURL, `{"version":1,"changes":[{"kind":"screenings","record":{"final":"yes"}}]}`, []string{"changes[0].record.final"}},
		{"unknown kind", famURL, `{"version":1,"changes":[{"kind":"pets","record":{}}]}`, []string{"changes[0].kind"}},
		{"unknown field in a change", famURL, `{"version":1,"changes":[{"kind":"custody","record":{},"why":"x"}]}`, []string{"changes[0].why"}},
		{"missing version", famURL, `{"changes":[{"kind":"custody","record":{}}]}`, []string{"version"}},
		{"negative version", famURL, `{"version":-1,"changes":[{"kind":"custody","record":{}}]}`, []string{"version"}},
		{"fractional version", famURL, `{"version":1.5,"changes":[{"kind":"custody","record":{}}]}`, []string{"version"}},
		{"no changes", famURL, `{"version":1,"changes":[]}`, []string{"changes"}},
		{"record not an object", famURL, `{"version":1,"changes":[{"kind":"custody","record":[1]}]}`, []string{"changes[0].record"}},
		{"body not an object", famURL, `[1,2]`, []string{""}},
		{"syntax error", famURL, `{"version":1,`, []string{""}},
		{"trailing data", famURL, `{"version":1,"changes":[]} {}`, []string{""}},
		{"empty body", famURL, ` `, []string{""}},
		{"unknown kind in a dataset", "/api/v1/families", `{"families":[{"source":"CBP_E3","source_id":"X"}],"pets":[]}`, []string{"pets"}},
		{"unknown field in a dataset record", "/api/v1/families", `{"families":[{"source":"CBP_E3","source_id":"X"}],"persons":[{"source":"CBP_E3","source_id":"P","nickname":"Chepe"}]}`, []string{"persons[0].nickname"}},
		{"dataset kind not a list", "/api/v1/families", `{"families":{"source":"CBP_E3"}}`, []string{"families"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := apiErr(t, env.do(t, "POST", tt.url, tt.body), http.StatusBadRequest, rescreen.EINVALID)
			for _, f := range tt.fields {
				if !hasProblem(d, f) {
					t.Errorf("problems %+v do not name %q", d.Problems, f)
				}
			}
		})
	}
	if env.fam.lastChanges != nil {
		t.Error("a rejected body reached the service")
	}
}

func TestAPIFamilyChanges(t *testing.T) {
	env := newEnv(t)
	target := "/api/v1/families/" + string(env.family) + "/changes"
	body := `{"version":1,"changes":[{"kind":"screenings","record":{"source":"USCIS_GLOBAL","source_id":"SC9","person":"CBP_E3:FAM-1-P1","kind":"CREDIBLE_FEAR","occasion":"SETTLEMENT_REVIEW","on":"2024-02-01","result":"PENDING","final":false}}]}`
	w := env.do(t, "POST", target, body)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var d rescreen.Dossier
	decode(t, w, &d)
	if d.Version != 2 || len(d.Records.Screenings) != 2 {
		t.Errorf("dossier after change: version %d, %d screenings", d.Version, len(d.Records.Screenings))
	}
	if env.fam.lastVersion != 1 || len(env.fam.lastChanges) != 1 {
		t.Fatalf("service got version %d, %d changes", env.fam.lastVersion, len(env.fam.lastChanges))
	}
	sc, ok := env.fam.lastChanges[0].Record.(*rescreen.Screening)
	if !ok || env.fam.lastChanges[0].Kind != rescreen.KindScreenings {
		t.Fatalf("change decoded as %T", env.fam.lastChanges[0].Record)
	}
	if sc.On.String() != "2024-02-01" || sc.Final == nil || *sc.Final || sc.Result != rescreen.ResultPending {
		t.Errorf("screening = %+v", sc)
	}

	t.Run("stale version", func(t *testing.T) {
		apiErr(t, env.do(t, "POST", target, body), http.StatusConflict, rescreen.ECONFLICT)
	})
	t.Run("unknown family", func(t *testing.T) {
		apiErr(t, env.do(t, "POST", "/api/v1/families/F99999/changes", body), http.StatusNotFound, rescreen.ENOTFOUND)
	})
}

func TestBodyLimits(t *testing.T) {
	env := newEnv(t)
	t.Run("too large", func(t *testing.T) {
		big := `{"families":[{"source":"CBP_E3","source_id":"X","notes":"` + strings.Repeat("x", maxBody) + `"}]}`
		apiErr(t, env.do(t, "POST", "/api/v1/families", big), http.StatusRequestEntityTooLarge, codeTooLarge)
	})
	t.Run("not declared as JSON", func(t *testing.T) {
		// A cross-site form can post text/plain without a preflight; the
		// API must not take it.
		req := httptest.NewRequest("POST", "/api/v1/families", strings.NewReader(mustJSON(t, sampleDataset("FAM-T", "Juan", "García"))))
		req.Header.Set("Content-Type", "text/plain")
		apiErr(t, serve(env, req), http.StatusUnsupportedMediaType, codeMediaType)
	})
}

func TestAPIPersons(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/api/v1/persons?role=child", "")
	var page rescreen.Page[rescreen.PersonSummary]
	decode(t, w, &page)
	if len(page.Items) != 1 || page.Items[0].Role != rescreen.RoleChild || page.Items[0].FamilyID != env.family {
		t.Fatalf("persons = %+v", page)
	}
	id := page.Items[0].ID

	w = env.do(t, "GET", "/api/v1/persons/"+string(id), "")
	var got struct {
		Person   rescreen.Person   `json:"person"`
		FamilyID rescreen.FamilyID `json:"family_id"`
	}
	decode(t, w, &got)
	if got.Person.GivenNames != "Ana" || got.FamilyID != env.family {
		t.Errorf("person = %+v", got)
	}
	apiErr(t, env.do(t, "GET", "/api/v1/persons/nobody", ""), http.StatusNotFound, rescreen.ENOTFOUND)
}

func TestAPIAudit(t *testing.T) {
	env := newEnv(t)
	var head auditHead
	decode(t, env.do(t, "GET", "/api/v1/audit/head", ""), &head)
	if head.Seq != 42 || head.Hash != env.audit.hash {
		t.Errorf("head = %+v", head)
	}

	var ok rescreen.ChainReport
	w := env.do(t, "GET", "/api/v1/audit/verify?head="+head.Hash, "")
	decode(t, w, &ok)
	if w.Code != http.StatusOK || !ok.OK() {
		t.Errorf("verify with own head: %d %+v", w.Code, ok)
	}

	// A broken chain is still a 200: the report carries the finding.
	var broken rescreen.ChainReport
	w = env.do(t, "GET", "/api/v1/audit/verify?head="+strings.Repeat("0", 64), "")
	decode(t, w, &broken)
	if w.Code != http.StatusOK || broken.OK() {
		t.Errorf("verify with foreign head: %d %+v", w.Code, broken)
	}

	apiErr(t, env.do(t, "GET", "/api/v1/audit/verify?head=xyz", ""), http.StatusBadRequest, rescreen.EINVALID)
	apiErr(t, env.do(t, "GET", "/api/v1/audit/verify?since=3", ""), http.StatusBadRequest, rescreen.EINVALID)

	env.audit.fail = errDatabaseDown
	apiErr(t, env.do(t, "GET", "/api/v1/audit/head", ""), http.StatusInternalServerError, rescreen.EINTERNAL)
	apiErr(t, env.do(t, "GET", "/api/v1/audit/verify", ""), http.StatusInternalServerError, rescreen.EINTERNAL)
}

func TestErrorStatusTable(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"invalid", rescreen.Errorf(rescreen.EINVALID, "bad"), 400, "invalid"},
		{"not found", rescreen.Errorf(rescreen.ENOTFOUND, "gone"), 404, "not_found"},
		{"conflict", rescreen.Errorf(rescreen.ECONFLICT, "stale"), 409, "conflict"},
		{"forbidden", rescreen.Errorf(rescreen.EFORBIDDEN, "no"), 403, "forbidden"},
		{"too large", rescreen.Errorf(codeTooLarge, "big"), 413, codeTooLarge},
		{"internal", rescreen.Errorf(rescreen.EINTERNAL, "boom"), 500, "internal"},
		{"unknown code", rescreen.Errorf("teapot", "I am a teapot"), 500, "internal"},
		{"plain error", errDatabaseDown, 500, "internal"},
		{"wrapped", fmt.Errorf("app: %w", rescreen.Errorf(rescreen.ENOTFOUND, "gone")), 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t)
			env.fam.fail = tt.err
			d := apiErr(t, env.do(t, "GET", "/api/v1/families/"+string(env.family), ""), tt.status, tt.code)
			if tt.status == 500 && d.Message != genericMessage {
				t.Errorf("500 message = %q, want the generic one", d.Message)
			}
		})
	}
}

func TestInternalErrorIsNotShown(t *testing.T) {
	env := newEnv(t)
	env.fam.fail = rescreen.WrapError(rescreen.EINTERNAL, "sqlstore.GetFamily", errDatabaseDown, "")
	for _, target := range []string{"/api/v1/families/" + string(env.family), "/families/" + string(env.family), "/"} {
		w := env.do(t, "GET", target, "")
		if w.Code != http.StatusInternalServerError {
			t.Fatalf("%s: status %d", target, w.Code)
		}
		if strings.Contains(w.Body.String(), "10.0.0.5") || strings.Contains(w.Body.String(), "sqlstore") {
			t.Errorf("%s: the internal error leaked:\n%s", target, w.Body)
		}
		if !strings.Contains(w.Body.String(), genericMessage) {
			t.Errorf("%s: no generic message:\n%s", target, w.Body)
		}
		id := w.Header().Get("X-Request-Id")
		if id == "" || !strings.Contains(w.Body.String(), id) {
			t.Errorf("%s: the body does not quote the request id %q", target, id)
		}
	}
	logs := env.logs.String()
	if !strings.Contains(logs, "connection refused") || !strings.Contains(logs, `"request_id"`) {
		t.Errorf("the log lacks the cause or the request id:\n%s", logs)
	}
}

func TestHostileNamesJSON(t *testing.T) {
	for _, name := range hostileNames {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t)
			w := env.do(t, "POST", "/api/v1/families", mustJSON(t, sampleDataset("FAM-H", name, name)))
			if w.Code != http.StatusCreated {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var d rescreen.Dossier
			decode(t, env.do(t, "GET", w.Header().Get("Location"), ""), &d)
			if got := d.Records.Persons[0].GivenNames; got != name {
				t.Errorf("given names = %q, want %q", got, name)
			}
			var page rescreen.Page[rescreen.FamilySummary]
			decode(t, env.do(t, "GET", "/api/v1/families?limit=500", ""), &page)
			found := false
			for _, f := range page.Items {
				for _, n := range f.Names {
					found = found || strings.HasPrefix(n, name)
				}
			}
			if !found {
				t.Errorf("the name is not in the list unchanged: %+v", page.Items)
			}
		})
	}
}

var hostileNames = []string{
	`<script>alert(1)</script>`,
	`'; DROP TABLE families; --`,
	`"><img src=x onerror=alert(1)>`,
	`Zoë Ñúñez 李`,
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	env := newEnv(t)
	apiErr(t, env.do(t, "GET", "/api/v1/nothing", ""), http.StatusNotFound, rescreen.ENOTFOUND)
	w := env.do(t, "DELETE", "/api/v1/families", "")
	apiErr(t, w, http.StatusMethodNotAllowed, codeMethod)
	if allow := w.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q", allow)
	}
	w = env.do(t, "GET", "/no/such/page", "")
	if w.Code != http.StatusNotFound || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("UI 404: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}

func TestHealthz(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/healthz", "")
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != `{"status":"ok"}` {
		t.Errorf("ready: %d %s", w.Code, w.Body)
	}
	env.ready = errors.New("ping: database is locked")
	w = env.do(t, "GET", "/healthz", "")
	if w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "locked") {
		t.Errorf("not ready: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(env.logs.String(), "database is locked") {
		t.Error("the readiness failure is not logged")
	}
}

func TestPanicRecovery(t *testing.T) {
	env := newEnv(t)
	env.fam.panic = true
	apiErr(t, env.do(t, "GET", "/api/v1/families", ""), http.StatusInternalServerError, rescreen.EINTERNAL)
	w := env.do(t, "GET", "/", "")
	if w.Code != http.StatusInternalServerError || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("UI panic: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if w.Header().Get("Content-Security-Policy") == "" {
		t.Error("the panic response lacks the security headers")
	}
	if !strings.Contains(env.logs.String(), "deliberate panic") {
		t.Error("the panic is not logged")
	}
}

func TestMiddlewareHeaders(t *testing.T) {
	env := newEnv(t)
	for _, target := range []string{"/", "/api/v1/families", "/healthz", "/nowhere"} {
		w := env.do(t, "GET", target, "")
		h := w.Header()
		if !strings.HasPrefix(h.Get("Content-Security-Policy"), "default-src 'self'") ||
			h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Referrer-Policy") != "no-referrer" ||
			h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: security headers missing: %v", target, h)
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", target)
		}
	}

	req := newRequest("GET", "/healthz")
	req.Header.Set("X-Request-Id", "proxy-123")
	w := serve(env, req)
	if got := w.Header().Get("X-Request-Id"); got != "proxy-123" {
		t.Errorf("incoming request id not kept: %q", got)
	}
	req = newRequest("GET", "/healthz")
	req.Header.Set("X-Request-Id", "<bad id>")
	if got := serve(env, req).Header().Get("X-Request-Id"); got == "<bad id>" || got == "" {
		t.Errorf("a bad incoming request id was kept: %q", got)
	}
}

func TestAccessLogKeepsNamesOut(t *testing.T) {
	env := newEnv(t)
	env.do(t, "GET", "/?name=Xochitl&a_number=A987654321", "")
	env.do(t, "GET", "/api/v1/families?name=Xochitl", "")
	env.do(t, "GET", "/families/"+string(env.family), "")
	logs := env.logs.String()
	for _, secret := range []string{"Xochitl", "987654321", string(env.family)} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`"route":"/{$}"`, `"route":"/api/v1/families"`, `"route":"/families/{id}"`, `"status":200`, `"method":"GET"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
}
