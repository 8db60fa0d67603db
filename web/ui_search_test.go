package web

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"rescreen"
)

// Search is the fake's search: exact and prefix matches on folded name
// words, A-numbers in any format and identifier values. The phonetic and
// fuzzy tiers are the real service's (tested in app); pages that show
// their reasons use cannedSearch.
func (f *fakeFamilies) Search(ctx context.Context, query string, limit int) (*rescreen.SearchResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return nil, err
	}
	q := strings.TrimSpace(query)
	if q == "" || len([]rune(q)) > 200 {
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "q", Msg: "is empty or too long"}}}).AsError("fake.Search")
	}
	res := &rescreen.SearchResult{Query: q, Kind: rescreen.SearchByName, Hits: []rescreen.SearchHit{}}
	if strings.ContainsFunc(q, unicode.IsDigit) {
		res.Kind = rescreen.SearchByID
		anum, _ := rescreen.NormalizeANumber(q)
		for _, id := range f.sortedIDs() {
			d := f.dossiers[id]
			for _, x := range d.Records.Identifiers {
				if x.Value != q && x.Value != anum {
					continue
				}
				for i := range d.Records.Persons {
					if p := &d.Records.Persons[i]; p.Key() == x.Person {
						r := rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldANumber, Term: q, Found: x.Value}
						res.Hits = append(res.Hits, rescreen.SearchHit{FamilyID: id, PersonID: rescreen.PersonID(p.ID), Name: p.FullName(),
							Role: p.Role, BirthDate: p.BirthDate, Country: p.Country, Stage: d.Stage, Level: rescreen.MatchExact, Reasons: []rescreen.MatchReason{r}})
					}
				}
			}
		}
		return res, nil
	}
	terms := rescreen.NameTokens(q)
	if len(terms) == 0 {
		return nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "q", Msg: "has no letters"}}}).AsError("fake.Search")
	}
	for _, id := range f.sortedIDs() {
		d := f.dossiers[id]
		for i := range d.Records.Persons {
			p := &d.Records.Persons[i]
			hit := rescreen.SearchHit{FamilyID: id, PersonID: rescreen.PersonID(p.ID), Name: p.FullName(), Role: p.Role,
				BirthDate: p.BirthDate, Country: p.Country, Stage: d.Stage, Level: rescreen.MatchExact}
			ok := true
			for _, t := range terms {
				found := false
				for _, fld := range []struct {
					f rescreen.MatchField
					s string
				}{{rescreen.FieldGivenNames, p.GivenNames}, {rescreen.FieldFirstSurname, p.FirstSurname}, {rescreen.FieldSecondSurname, p.SecondSurname}} {
					for _, w := range strings.Fields(rescreen.Fold(fld.s)) {
						if found || !strings.HasPrefix(w, t) {
							continue
						}
						l := rescreen.MatchExact
						if w != t {
							l, hit.Level = rescreen.MatchPrefix, rescreen.MatchPrefix
						}
						hit.Reasons = append(hit.Reasons, rescreen.MatchReason{Level: l, Field: fld.f, Term: t, Found: w})
						found = true
					}
				}
				ok = ok && found
			}
			if ok {
				res.Hits = append(res.Hits, hit)
			}
		}
	}
	if limit > 0 && len(res.Hits) > limit {
		res.Hits, res.More = res.Hits[:limit], true
	}
	return res, nil
}

// cannedSearch answers every search with one result, to show reasons of
// every kind.
type cannedSearch struct {
	*fakeFamilies
	res *rescreen.SearchResult
	err error
}

func (c cannedSearch) Search(ctx context.Context, q string, limit int) (*rescreen.SearchResult, error) {
	if c.err != nil {
		return nil, c.err
	}
	r := *c.res
	r.Query = q
	return &r, nil
}

func newCannedEnv(t *testing.T, res *rescreen.SearchResult, fail error) *testEnv {
	t.Helper()
	env := newEnv(t)
	srv, err := NewServer(Config{Families: cannedSearch{env.fam, res, fail}, Audit: env.audit, Rules: &fakeRules{fam: env.fam}, Links: env.links, Auth: env.auth, Access: env.auth,
		Logger: slog.New(slog.DiscardHandler), Version: "test-1"})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = srv
	return env
}

func TestUISearchForm(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/search", "")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `<label for="q">Name, A-number or agency id</label>`) ||
		!strings.Contains(body, `<input id="q" name="q" type="search" value=""`) || strings.Contains(body, "<caption>") {
		t.Fatalf("the empty search page: %d\n%s", w.Code, body)
	}
	// The dashboard carries the same box.
	if !strings.Contains(env.do(t, "GET", "/dashboard", "").Body.String(), `<form method="post" action="/search" role="search">`) {
		t.Error("the dashboard has no search box")
	}
}

func TestUISearchByNameAndANumber(t *testing.T) {
	env := newEnv(t)
	w := env.search(t, "MARÍA pérez", "")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("search: %d\n%s", w.Code, body)
	}
	for _, want := range []string{
		`value="MARÍA pérez"`,
		"<caption>Names that match “MARÍA pérez”: 1, the best matches first</caption>",
		`<tr><th scope="row"><a href="/families/` + string(env.family) + `">María José Pérez</a>`,
		`<br><span class="note">Parent, born 1990-03-04, GT<br>Family ` + string(env.family) + `: Identified</span></th>`,
		"<li>Exact match on the given names: maria for maria</li><li>Exact match on the first surname: perez for perez</li>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the search page lacks %s", want)
		}
	}
	for _, q := range []string{"A-012-345-678", "012345678", "12345678"} {
		body := env.search(t, q, "").Body.String()
		if !strings.Contains(body, "<caption>Records with the id “"+q+"”: 1</caption>") || !strings.Contains(body, "<li>A-number A012345678</li>") {
			t.Errorf("%s: not found\n%s", q, body)
		}
	}
	if body := env.search(t, "Zzyzx", "").Body.String(); !strings.Contains(body, "<td colspan=\"2\">Nothing matches.</td>") {
		t.Error("a search that finds nothing does not say so")
	}
}

// TestUISearchReasons shows a reason of every kind, in both languages.
func TestUISearchReasons(t *testing.T) {
	hit := func(name string, rs ...rescreen.MatchReason) rescreen.SearchHit {
		return rescreen.SearchHit{FamilyID: "F00001", PersonID: "P-1", Name: name, Role: rescreen.RoleParent, Stage: rescreen.StageContacted, Level: rs[len(rs)-1].Level, Reasons: rs}
	}
	res := &rescreen.SearchResult{Kind: rescreen.SearchByName, More: true, Hits: []rescreen.SearchHit{
		hit("Ana Jiménez", rescreen.MatchReason{Level: rescreen.MatchPhonetic, Field: rescreen.FieldFirstSurname, Term: "ximenez", Found: "Jiménez"}),
		hit("Juana Xuc", rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldFirstSurname, Term: "shuc", Found: "Shuc", Variant: true}),
		hit("María López", rescreen.MatchReason{Level: rescreen.MatchFuzzy, Field: rescreen.FieldSecondSurname, Term: "lpoez", Found: "López"}),
		hit("Pedro Chuc", rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldIdentifier, Found: "UAC778899", Kind: "ORR_UAC_ID"}),
		hit("Pedro Chuc", rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldSourceID, Found: "UAC-2018-5521", Kind: "persons", Source: rescreen.SourceORR}),
		{FamilyID: "F00002", Stage: rescreen.StageIdentified, Level: rescreen.MatchExact, Reasons: []rescreen.MatchReason{{Level: rescreen.MatchExact, Field: rescreen.FieldSourceID, Found: "F-5", Kind: "families", Source: rescreen.SourceCBP}}},
	}}
	env := newCannedEnv(t, res, nil)
	want := map[string][]string{
		"en": {
			"Phonetic match on the first surname: ximenez for Jiménez",
			"Exact match on the first surname: shuc for Shuc (a recorded name variant)",
			"Close spelling on the second surname: lpoez for López",
			"ORR UAC id UAC778899",
			"id of a person record from ORR_UCPORTAL: UAC-2018-5521",
			">The family&#39;s own record</a>",
			"<br><span class=\"note\">Family F00002: Identified</span>",
			"Only the best 6 matches are shown",
		},
		"es": {
			"Coincidencia fonética en el primer apellido: ximenez por Jiménez",
			"Coincidencia exacta en el primer apellido: shuc por Shuc (una variante de nombre registrada)",
			"Grafía parecida en el segundo apellido: lpoez por López",
			"Identificador UAC de ORR UAC778899",
			"identificador de un registro de persona de ORR_UCPORTAL: UAC-2018-5521",
			">El registro de la familia</a>",
			"Familia F00001: Contactada",
			"Solo se muestran las 6 mejores coincidencias",
			"<title>Búsqueda · rescreen</title>",
		},
	}
	for _, lang := range languages {
		code, body := searchIn(t, env, "x", lang)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", lang, code)
		}
		if m := missingKeyRE.FindString(body); m != "" {
			t.Errorf("%s shows the key %s", lang, m)
		}
		for _, w := range want[lang] {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page lacks %q", lang, w)
			}
		}
	}
}

// TestUISearchHostileInput: the query is shown inert wherever it is
// echoed, and an empty, over-long or refused query is reported next to
// the box in the page's language, with a 400.
func TestUISearchHostileInput(t *testing.T) {
	env := newEnv(t)
	for _, q := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `'; DROP TABLE families; --`, "A-012<b>345</b>"} {
		w := env.search(t, q, "")
		body := w.Body.String()
		if strings.Contains(body, q) {
			t.Errorf("%q appears unescaped", q)
		}
		if !strings.Contains(body, html.EscapeString(q)) && w.Code == http.StatusOK {
			t.Errorf("%q: the escaped query is missing", q)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img") || strings.Contains(body, "<b>") {
			t.Errorf("%q: markup from the query is live", q)
		}
	}
	for _, tt := range []struct{ q, lang, want string }{
		{"", "en", "Type a name, an A-number or an agency id."},
		{"   ", "es", "Escriba un nombre, un número A o un identificador de agencia."},
		{strings.Repeat("<b>", 100), "en", "The search is too long: at most 200 characters."},
		{"!!!", "es", "Un nombre necesita letras; un número A o un identificador, cifras."},
		{"a b c d e f g h i", "en", "A name of at most 8 words, please."},
		{"\xff\xfe", "en", "This search cannot be run"},
	} {
		code, body := searchIn(t, env, tt.q, tt.lang)
		if code != http.StatusBadRequest {
			t.Errorf("%q: %d", tt.q, code)
		}
		if !strings.Contains(body, `<strong id="q-problem" class="error" role="alert">`+tt.want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%q (%s): no message next to the box\n%s", tt.q, tt.lang, body)
		}
		if strings.Contains(body, "<b>") {
			t.Errorf("%q: markup from the query is live", tt.q)
		}
	}
	// A query the service refuses for a reason the page does not know is
	// reported with the service's own words.
	refusing := newCannedEnv(t, nil, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "q", Msg: "is <not> searchable"}}}).AsError("test"))
	if code, body := searchIn(t, refusing, "maria", "en"); code != http.StatusBadRequest || !strings.Contains(body, "This search cannot be run (is &lt;not&gt; searchable)") {
		t.Errorf("a refused search: %d\n%s", code, body)
	}
	env.fam.fail = errDatabaseDown
	if w := env.search(t, "maria", ""); w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "10.0.0.5") {
		t.Errorf("a failing store: %d", w.Code)
	}
}

// kindValues lists the kinds of record, which the search page labels.
func kindValues() []string {
	out := make([]string, len(rescreen.Kinds))
	for i, k := range rescreen.Kinds {
		out[i] = string(k)
	}
	return out
}

// search posts the search form, in the language given ("" for the
// default), as the page's form does.
func (e *testEnv) search(t *testing.T, q, lang string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/search", strings.NewReader(url.Values{"q": {q}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	}
	return serve(e, req)
}

func searchIn(t *testing.T, env *testEnv, q, lang string) (int, string) {
	t.Helper()
	w := env.search(t, q, lang)
	return w.Code, w.Body.String()
}
