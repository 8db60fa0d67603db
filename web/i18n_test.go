package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"rescreen"
)

// enumValues are the values of each enum type the templates label with
// enum "TYPE"; a type used in a template but missing here fails the test.
var enumValues = map[string][]string{
	"role":           rescreen.Role("").Values(),
	"sex":            rescreen.Sex("").Values(),
	"stage":          rescreen.Stage("").Values(),
	"custody":        rescreen.CustodyKind("").Values(),
	"agency":         rescreen.Agency("").Values(),
	"reason":         rescreen.SeparationReason("").Values(),
	"screeningKind":  rescreen.ScreeningKind("").Values(),
	"occasion":       rescreen.Occasion("").Values(),
	"result":         rescreen.ScreeningResult("").Values(),
	"counsel":        rescreen.CounselPresence("").Values(),
	"choice":         rescreen.Choice("").Values(),
	"signer":         rescreen.SignerRole("").Values(),
	"outcome":        {"PENDING", "STAYS", "REMOVAL_MAY_PROCEED", "MANUAL_REVIEW", "NEEDS_INFORMATION", "NOT_COVERED"},
	"contactOutcome": rescreen.ContactOutcome("").Values(),
	"returnState":    rescreen.ReturnState("").Values(),
	"memberState":    {"PENDING", "POSITIVE", "IN_240", "NEGATIVE", "WAIVED", "NO_CLAIM", "MANUAL_REVIEW", "NEEDS_INFORMATION", "NOT_IN_UNIT", "REMOVED"},
	"matchLevel":     rescreen.MatchLevel("").Values(),
	"matchField":     rescreen.MatchField("").Values(),
	"idKind":         rescreen.IdentifierKind("").Values(),
	"recordKind":     kindValues(),
	"ruleStatus":     {"CONFIRMED", "REPORTED", "INTERPRETATION"},
	"paramKind":      {"BOOL", "DATE", "ENUM", "INT"},
	"linkState":      rescreen.LinkState("").Values(),
	"linkKind":       rescreen.LinkKind("").Values(),
	"linkField":      {"given_names", "first_surname", "second_surname", "birth_date", "a_number", "country"},
	"interviewMode":  rescreen.InterviewMode("").Values(),
	"evidenceKind":   rescreen.EvidenceKind("").Values(),
	"channel":        rescreen.Channel("").Values(),
	"criterion":      {string(rescreen.CriterionMet), string(rescreen.CriterionNotMet), string(rescreen.CriterionUnknown)},
	"coverage": {string(rescreen.Covered), string(rescreen.NotCovered), string(rescreen.CoverageManualReview),
		string(rescreen.CoverageNeedsInfo), string(rescreen.CoverageNotInForce)},
	"approvalKind":     rescreen.ApprovalKind("").Values(),
	"objectionChannel": rescreen.ObjectionChannel("").Values(),
	"ruling":           rescreen.Ruling("").Values(),
	"deadlineUnit":     rescreen.DeadlineUnit("").Values(),
	"deadlineUnitOne":  rescreen.DeadlineUnit("").Values(),
	"ledgerKind":       rescreen.LedgerKind("").Values(),
	"deadlineState":    rescreen.DeadlineStateValues,
	"remedy": {string(rescreen.RemedyParentReview), string(rescreen.RemedyChildInterview), string(rescreen.RemedyReturnRequest),
		string(rescreen.Remedy2023Benefits), string(rescreen.RemedyNone), string(rescreen.RemedyManualReview)},

	// Scheduling.
	"appointmentState": rescreen.AppointmentState("").Values(),
	"waitState":        {rescreen.WaitWaiting, rescreen.WaitInterviewed, rescreen.WaitInterviewedBefore, rescreen.WaitNotReceived},
	"location":         {"IN_US", "REMOVED", "UNKNOWN"},
	"remedyState": {"OWED", "INTERVIEW_OWED", "REVIEW_OWED", "SCHEDULED", "NONCOMPLIANT", "NONCOMPLIANT_FLAGGED", "NOT_FINAL",
		"NEEDS_INFORMATION", "MANUAL_REVIEW", "WAIVED", "DETERMINED_POSITIVE", "DETERMINED_NEGATIVE", "DETERMINED_NEGATIVE_IJ_REVIEW_MANUAL",
		"POSITIVE_EARLIER", "NO_CLAIM"},

	// Notices and outreach.
	"noticeKind":      rescreen.NoticeKind("").Values(),
	"deliveryMode":    rescreen.DeliveryMode("").Values(),
	"deliveryOutcome": rescreen.DeliveryOutcome("").Values(),
	"outreachReason":  rescreen.OutreachReason("").Values(),
}

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs returns a message's format verbs, their indexes made explicit, in
// sorted order: two languages must take the same arguments.
func verbs(s string) []string {
	var out []string
	n := 0
	for _, v := range verbRE.FindAllString(s, -1) {
		if v == "%%" {
			continue
		}
		if !strings.HasPrefix(v, "%[") {
			n++
			v = "%[" + string(rune('0'+n)) + "]" + v[1:]
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// TestCatalogsComplete fails on a key one language has and another lacks,
// an empty message, messages whose arguments differ between languages, a
// key a template uses that no catalogue has, and an enum value without a
// label.
func TestCatalogsComplete(t *testing.T) {
	cats, err := loadCatalogs(files)
	if err != nil {
		t.Fatal(err)
	}
	base := cats[languages[0]]
	for _, lang := range languages {
		c := cats[lang]
		for k, v := range c {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
			if _, ok := base[k]; !ok {
				t.Errorf("%s has %q, %s lacks it", lang, k, languages[0])
			}
		}
		for k, v := range base {
			w, ok := c[k]
			if !ok {
				t.Errorf("%s lacks %q", lang, k)
				continue
			}
			if a, b := verbs(v), verbs(w); !slices.Equal(a, b) {
				t.Errorf("%q takes %v in %s but %v in %s", k, a, languages[0], b, lang)
			}
		}
	}
	// Every key and enum type a template or the Go code names.
	used := 0
	check := func(file, src string, keyRE, enumRE *regexp.Regexp) {
		for _, m := range keyRE.FindAllStringSubmatch(src, -1) {
			used++
			for _, lang := range languages {
				if _, ok := cats[lang][m[1]]; !ok {
					t.Errorf("%s uses %q, which %s lacks", file, m[1], lang)
				}
			}
		}
		for _, m := range enumRE.FindAllStringSubmatch(src, -1) {
			vals, ok := enumValues[m[1]]
			if !ok {
				t.Errorf("%s labels enum %q, which the test does not know", file, m[1])
			}
			for _, v := range vals {
				for _, lang := range languages {
					if _, ok := cats[lang]["enum."+m[1]+"."+v]; !ok {
						t.Errorf("%s lacks a label for %s %s", lang, m[1], v)
					}
				}
			}
		}
	}
	tplKey, tplEnum := regexp.MustCompile(`\bt "([^"]+)"`), regexp.MustCompile(`\benum "([^"]+)"`)
	names, _ := fs.Glob(files, "templates/*.html")
	for _, name := range names {
		b, _ := fs.ReadFile(files, name)
		check(name, string(b), tplKey, tplEnum)
	}
	goKey := regexp.MustCompile(`(?:\bc|\bcat|\])\.text\("([a-zA-Z][a-zA-Z0-9.]*)"`)
	goEnum := regexp.MustCompile(`enumLabel\("([a-zA-Z]+)"`)
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		check(e.Name(), string(b), goKey, goEnum)
	}
	if used < 50 {
		t.Errorf("the templates use %d message keys: are they still read?", used)
	}
}

var missingKeyRE = regexp.MustCompile(`\[[a-z]+\.[a-zA-Z.]+\]`)

// TestPagesInEachLanguage renders the pages in every language: no key is
// shown in place of a message, the page says which language it is in,
// and the Spanish pages are in Spanish.
func TestPagesInEachLanguage(t *testing.T) {
	env := newEnv(t)
	pages := []string{"/", "/families/" + string(env.family), "/families/F-404", "/?limit=x"}
	for _, lang := range languages {
		for _, p := range pages {
			req := httptest.NewRequest("GET", p, nil)
			req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
			w := httptest.NewRecorder()
			env.serveHTTP(w, req)
			body := w.Body.String()
			if m := missingKeyRE.FindString(body); m != "" {
				t.Errorf("%s %s shows the key %s", lang, p, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) || w.Header().Get("Content-Language") != lang {
				t.Errorf("%s %s does not say its language", lang, p)
			}
		}
	}
	req := httptest.NewRequest("GET", "/families/"+string(env.family), nil)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: "es"})
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	for _, want := range []string{"<h2 id=\"members\">Miembros</h2>", "Remisión a enjuiciamiento", "Albergue de ORR", "2018-06-21", "<title>Familia " + string(env.family)} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("the Spanish family page lacks %q", want)
		}
	}
}

// TestLanguageChoice: the browser's languages choose until the user does;
// the choice is remembered in a cookie, and the form goes back to the page
// it was on, never to another site.
func TestLanguageChoice(t *testing.T) {
	env := newEnv(t)
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	if !strings.Contains(w.Body.String(), `<html lang="es">`) {
		t.Error("Accept-Language es-MX did not give Spanish")
	}
	post := func(form string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/language", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		env.serveHTTP(w, req)
		return w
	}
	w = post("lang=es&return=%2Ffamilies%2F" + string(env.family) + "%3Fx%3D1")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/families/"+string(env.family)+"?x=1" {
		t.Fatalf("choose Spanish: %d to %q", w.Code, w.Header().Get("Location"))
	}
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Name != langCookie || c[0].Value != "es" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].MaxAge < 30*24*3600 {
		t.Fatalf("cookie %+v", c)
	}
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""} {
		if w := post("lang=en&return=" + bad); w.Header().Get("Location") != "/" {
			t.Errorf("return %q led to %q", bad, w.Header().Get("Location"))
		}
	}
	if w := post("lang=xx"); w.Code != http.StatusBadRequest {
		t.Errorf("an unknown language: %d", w.Code)
	}
}

// TestCrossSitePostsRefused: a state-changing request a browser sends
// from another site is refused, on the pages and the API alike, and
// nothing reaches the handler; a same-origin one and an API client's pass.
func TestCrossSitePostsRefused(t *testing.T) {
	env := newEnv(t)
	for _, target := range []string{"/language", "/families/" + string(env.family) + "/screenings", "/api/v1/links/L-1/decision"} {
		req := httptest.NewRequest("POST", target, strings.NewReader("lang=es"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		w := httptest.NewRecorder()
		env.serveHTTP(w, req)
		if w.Code != http.StatusForbidden || len(w.Result().Cookies()) != 0 {
			t.Errorf("cross-site POST %s: %d", target, w.Code)
		}
	}
	req := httptest.NewRequest("POST", "/language", strings.NewReader("lang=es&return=/"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	if w.Code != http.StatusSeeOther {
		t.Errorf("same-origin POST /language: %d", w.Code)
	}
}
