package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// TestFamilyPageExplainsInBothLanguages opens a family evaluated by the
// real rules, in English and in Spanish, and checks the rules' reasoning:
// every test the rules made is on the page, in English as the rules wrote
// it and in Spanish as the source catalogue gives it, with no English
// test left on the Spanish page; and the hold's reason is shown in English
// and translated in Spanish.
func TestFamilyPageExplainsInBothLanguages(t *testing.T) {
	w := newWorld(t)
	ctx := rescreen.WithActor(context.Background(), "test")
	d, err := w.svc.GetFamily(ctx, w.fam["in"])
	if err != nil || d.Determination == nil {
		t.Fatalf("the family has no determination: %v", err)
	}
	es := map[string]string{}
	files, _ := filepath.Glob(filepath.Join("locales", "es", "source", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &es); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]bool{}
	add := func(cs []rescreen.Criterion) {
		for _, c := range cs {
			tests[c.Test] = true
		}
	}
	add(d.Determination.Criteria)
	var reasons []string // reasons without values
	var runs []string    // the first phrase of a reason with values
	for _, p := range d.Determination.Persons {
		add(p.StateCriteria)
		for _, c := range p.Coverage {
			add(c.Criteria)
		}
		for _, r := range p.Remedies {
			add(r.Criteria)
		}
		if p.Hold.Reason != "" && len(p.Hold.ReasonValues) == 0 {
			reasons = append(reasons, p.Hold.Reason)
		} else if v := p.Hold.ReasonValues; len(v) > 0 && v[0] >= 12 {
			runs = append(runs, p.Hold.Reason[:v[0]])
		}
	}
	if len(tests) < 10 || len(reasons)+len(runs) == 0 {
		t.Fatalf("%d tests and %d reasons: the family does not exercise the page", len(tests), len(reasons)+len(runs))
	}
	cookie, _ := w.session(t, access.ClassCounsel)
	page := func(lang string) string {
		req := httptest.NewRequest("GET", "/families/"+string(w.fam["in"]), nil)
		req.AddCookie(cookie)
		req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", lang, rec.Code)
		}
		return rec.Body.String()
	}
	en, sp := page("en"), page("es")
	for _, s := range []string{`<h2 id="why">Why: the rules&#39; reasoning</h2>`, "<details>", "<summary>"} {
		if !strings.Contains(en, s) {
			t.Errorf("the English page lacks %q", s)
		}
	}
	if !strings.Contains(sp, `<h2 id="why">Por qué: el razonamiento de las reglas</h2>`) {
		t.Error("the Spanish page lacks the reasoning's heading")
	}
	for test := range tests {
		if !strings.Contains(en, html.EscapeString(test)) {
			t.Errorf("the English page lacks the test %q", test)
		}
		if strings.Contains(sp, html.EscapeString(test)) {
			t.Errorf("the Spanish page shows the test %q in English", test)
		}
		if !strings.Contains(sp, html.EscapeString(es[test])) {
			t.Errorf("the Spanish page lacks the translation %q of %q", es[test], test)
		}
	}
	for _, r := range reasons {
		if !strings.Contains(en, html.EscapeString(r)) || strings.Contains(sp, html.EscapeString(r)) {
			t.Errorf("the hold's reason %q is not shown in English and translated in Spanish", r)
		}
	}
	for _, r := range runs {
		if !strings.Contains(en, html.EscapeString(r)) || strings.Contains(sp, html.EscapeString(r)) {
			t.Errorf("the hold's reason beginning %q is not shown in English and translated in Spanish", r)
		}
	}
}
