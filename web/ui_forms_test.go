package web

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rescreen"
)

// The sample family (fake_test.go): the parent María José Pérez
// (CBP_E3:FAM-1-P1, born 1990-03-04, speaks es and mam) and her child Ana
// (CBP_E3:FAM-1-P2, born 2012-01-15), at version 1.
const (
	parentRef = "CBP_E3:FAM-1-P1"
	childRef  = "CBP_E3:FAM-1-P2"
)

// postForm posts a urlencoded form in the language given.
func (e *testEnv) postForm(tb testing.TB, target string, vals url.Values, lang string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest("POST", target, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	w := httptest.NewRecorder()
	e.serveHTTP(w, req)
	return w
}

func (e *testEnv) getIn(tb testing.TB, target, lang string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	w := httptest.NewRecorder()
	e.serveHTTP(w, req)
	return w
}

// parentReReview is a valid negative settlement re-review of the parent
// that relies on inconsistencies and records R-P5's consideration, with
// one evidence item.
func parentReReview() url.Values {
	return url.Values{
		"version": {"1"}, "evidence_rows": {"2"}, "action": {"record"},
		"person": {parentRef}, "occasion": {"SETTLEMENT_REVIEW"}, "kind": {"CREDIBLE_FEAR"},
		"on": {"2018-10-22"}, "result": {"NEGATIVE"}, "decided_on": {"2018-10-29"}, "final": {"yes"},
		"officer": {"J. Ortiz"}, "office": {"Houston"}, "mode": {"IN_PERSON"},
		"counsel_presence": {"PHONE"}, "interpreter_language": {" MAM "},
		"relies_on_inconsistency": {"yes"}, "psych_state_considered": {"yes"},
		"notes":           {"Counsel joined by phone.\nAge < 14 noted for the child."},
		"evidence-0-kind": {"TESTIMONY"}, "evidence-0-description": {"Sister's testimony about the threats"},
		"evidence-0-submitted_on": {"2018-10-20"}, "evidence-0-language": {"es"}, "evidence-0-submitter": {"Class counsel"},
		// Row 2 left blank: skipped.
		"evidence-1-kind": {""}, "evidence-1-description": {"  "},
	}
}

// childElection is a valid Option A election for the child, signed by her
// mother.
func childElection() url.Values {
	return url.Values{
		"version": {"1"}, "person": {childRef}, "choice": {"A_REMAIN"},
		"signer_role": {"PARENT"}, "signer": {"María José Pérez"}, "signed_on": {"2018-09-10"},
		"language": {"es"}, "read_aloud": {"yes"}, "interpreter": {"mam"},
		"channel": {"EMAIL"}, "sent_on": {"2018-09-11"}, "recipient": {"ACLU"}, "received_on": {"2018-09-12"},
		"form_version": {"2018-09"}, "form_ref": {"SHEET-77"},
	}
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// fieldMessage returns the message shown next to the field, checking that
// the control points at it, or "" if there is none.
func fieldMessage(tb testing.TB, body, field string) string {
	tb.Helper()
	m := regexp.MustCompile(`<span class="field-msg" id="` + regexp.QuoteMeta(field) + `-error">([^<]*)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	ctl := regexp.MustCompile(`<(input|select|textarea)[^>]* id="` + regexp.QuoteMeta(field) + `"[^>]*>`).FindString(body)
	describedBy := regexp.MustCompile(`aria-describedby="([^"]*)"`).FindStringSubmatch(ctl)
	if !strings.Contains(ctl, `aria-invalid="true"`) || describedBy == nil || !slices.Contains(strings.Fields(describedBy[1]), field+"-error") {
		tb.Errorf("the control %s does not point at its message: %s", field, ctl)
	}
	if !strings.Contains(body, `<a href="#`+field+`">`) {
		tb.Errorf("the summary does not link to %s", field)
	}
	return html.UnescapeString(m[1])
}

// msgText returns the catalogue's message up to its first argument, the
// part of it that any use shows.
func msgText(tb testing.TB, env *testEnv, lang, key string) string {
	tb.Helper()
	m, ok := env.srv.cats[lang][key]
	if !ok {
		tb.Fatalf("%s lacks %s", lang, key)
	}
	if i := strings.Index(m, "%"); i >= 0 {
		m = m[:i]
	}
	return m
}

// screenings returns how many screenings and evidence items the family has.
func (e *testEnv) counts(tb testing.TB) (screenings, evidence, elections int) {
	tb.Helper()
	d, err := e.fam.GetFamily(tb.Context(), e.family)
	if err != nil {
		tb.Fatal(err)
	}
	return len(d.Records.Screenings), len(d.Records.Evidence), len(d.Records.Elections)
}

// assertNothingWritten checks that the service was never asked to change
// the family.
func assertNothingWritten(tb testing.TB, env *testEnv) {
	tb.Helper()
	if env.fam.lastChanges != nil {
		tb.Errorf("the service received changes: %+v", env.fam.lastChanges)
	}
	if s, e, el := env.counts(tb); s != 1 || e != 0 || el != 1 {
		tb.Errorf("the family now has %d screenings, %d evidence items, %d elections", s, e, el)
	}
}

// labelled checks that every visible control has a label.
var controlRE = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
var idRE = regexp.MustCompile(` id="([^"]+)"`)

func assertLabelled(tb testing.TB, body string) {
	tb.Helper()
	n := 0
	for _, c := range controlRE.FindAllString(body, -1) {
		if strings.Contains(c, `type="hidden"`) {
			continue
		}
		m := idRE.FindStringSubmatch(c)
		if m == nil {
			tb.Errorf("control without an id: %s", c)
			continue
		}
		n++
		if !strings.Contains(body, `<label for="`+m[1]+`">`) {
			tb.Errorf("control %s has no label", m[1])
		}
	}
	if n < 10 {
		tb.Errorf("only %d controls found", n)
	}
}

func TestFormsRenderInBothLanguages(t *testing.T) {
	env := newEnv(t)
	fam := string(env.family)
	cases := []struct {
		path string
		want map[string][]string
	}{
		{"/families/" + fam + "/screenings/new", map[string][]string{
			"en": {"<title>New screening, family " + fam, `<label for="person">Person interviewed (required)</label>`,
				"Settlement review", "By phone", "Psychological evaluation", `<legend>Item 1</legend>`,
				"The psychological state at the first interview was considered", `aria-describedby="occasion-hint"`},
			"es": {"<title>Nueva entrevista, familia " + fam, `<label for="person">Persona entrevistada (obligatorio)</label>`,
				"Revisión del acuerdo", "Por teléfono", "Evaluación psicológica", `<legend>Elemento 1</legend>`,
				"Se tuvo en cuenta el estado psicológico en la primera entrevista", `aria-describedby="occasion-hint"`},
		}},
		{"/families/" + fam + "/elections/new", map[string][]string{
			"en": {"<title>New election form, family " + fam, `<label for="signer_role">Signed by (required)</label>`,
				"Option B: return without screening", "Email", "A child under 14", `aria-describedby="signer_role-hint"`},
			"es": {"<title>Nuevo formulario de elección, familia " + fam, `<label for="signer_role">Firmado por (obligatorio)</label>`,
				"Opción B: regresar sin entrevista", "Correo electrónico", "Por un menor de 14 años", `aria-describedby="signer_role-hint"`},
		}},
	}
	for _, c := range cases {
		for _, lang := range languages {
			w := env.getIn(t, c.path, lang)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", lang, c.path, w.Code, body)
			}
			for _, want := range append(c.want[lang],
				`<html lang="`+lang+`">`,
				`<input type="hidden" name="version" value="1">`,
				`<option value="`+parentRef+`">María José Pérez (`,
				`<option value="`+childRef+`">Ana Pérez (`,
				`<fieldset>`, `<legend>`, ` novalidate>`,
			) {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s lacks %q", lang, c.path, want)
				}
			}
			if m := missingKeyRE.FindString(body); m != "" {
				t.Errorf("%s %s shows the key %s", lang, c.path, m)
			}
			if strings.Contains(body, "<script") {
				t.Errorf("%s %s uses a script", lang, c.path)
			}
			if strings.Contains(body, `id="form-errors"`) || strings.Contains(body, "aria-invalid") {
				t.Errorf("%s %s shows errors before anything was submitted", lang, c.path)
			}
			assertLabelled(t, body)
		}
	}

	// ?person= chooses the member in advance.
	body := env.getIn(t, "/families/"+fam+"/elections/new?person="+url.QueryEscape(childRef), "en").Body.String()
	if !strings.Contains(body, `<option value="`+childRef+`" selected>`) {
		t.Error("?person= does not choose the member")
	}
	// The family page links to both forms.
	body = env.getIn(t, "/families/"+fam, "es").Body.String()
	for _, want := range []string{`href="/families/` + fam + `/screenings/new"`, `href="/families/` + fam + `/elections/new"`, "Registrar un formulario de elección"} {
		if !strings.Contains(body, want) {
			t.Errorf("the family page lacks %q", want)
		}
	}
	if w := env.getIn(t, "/families/F99999/screenings/new", "en"); w.Code != http.StatusNotFound {
		t.Errorf("a missing family's form: %d", w.Code)
	}
}

func TestScreeningRecordsParentReReview(t *testing.T) {
	env := newEnv(t)
	w := env.postForm(t, "/families/"+string(env.family)+"/screenings", parentReReview(), "en")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d\n%s", w.Code, w.Body)
	}
	if loc := w.Header().Get("Location"); loc != "/families/"+string(env.family)+"#screenings" {
		t.Errorf("Location = %q", loc)
	}
	if env.fam.lastVersion != 1 {
		t.Errorf("applied at version %d, want the form's 1", env.fam.lastVersion)
	}
	ch := env.fam.lastChanges
	if len(ch) != 2 || ch[0].Kind != rescreen.KindScreenings || ch[1].Kind != rescreen.KindEvidence {
		t.Fatalf("changes = %+v", ch)
	}
	sc := ch[0].Record.(*rescreen.Screening)
	yes := func(b *bool) bool { return b != nil && *b }
	if sc.Source != rescreen.SourceManual || sc.SourceID == "" || sc.ID != sc.SourceID || !strings.HasPrefix(sc.ID, "R-") {
		t.Errorf("screening keys: %+v", sc.Meta)
	}
	if sc.Person != parentRef || sc.Occasion != rescreen.OccasionSettlement || sc.Kind != rescreen.CredibleFear ||
		sc.Result != rescreen.ResultNegative || !yes(sc.Final) ||
		sc.On != rescreen.MustDate("2018-10-22") || sc.DecidedOn != rescreen.MustDate("2018-10-29") ||
		sc.Officer != "J. Ortiz" || sc.Office != "Houston" || sc.Mode != "IN_PERSON" || sc.Counsel != "PHONE" ||
		sc.Interpreter != "mam" || !yes(sc.ReliesOnInconsistency) || !yes(sc.PsychStateConsidered) ||
		!strings.Contains(sc.Notes, "Age < 14") {
		t.Errorf("screening = %+v", sc)
	}
	if probs := rescreen.Validate(rescreen.KindScreenings, sc); len(probs) > 0 {
		t.Errorf("the service would refuse the screening: %v", probs)
	}
	ev := ch[1].Record.(*rescreen.EvidenceItem)
	if ev.Screening != sc.Key() || ev.Person != parentRef || ev.Kind != "TESTIMONY" || ev.Source != rescreen.SourceManual ||
		ev.SourceID == sc.SourceID || ev.SubmittedOn != rescreen.MustDate("2018-10-20") || ev.Language != "es" ||
		ev.Submitter != "Class counsel" || ev.Description != "Sister's testimony about the threats" {
		t.Errorf("evidence item = %+v", ev)
	}
	if s, e, _ := env.counts(t); s != 2 || e != 1 {
		t.Errorf("the family has %d screenings and %d evidence items", s, e)
	}

	// A child's own interview that does not rely on inconsistencies needs
	// no R-P5 record, and a scheduled (pending) one may lie in the future.
	child := url.Values{"version": {"2"}, "person": {childRef}, "occasion": {"CHILD_INTERVIEW"}, "kind": {"CREDIBLE_FEAR"},
		"on": {"2099-01-05"}, "result": {"PENDING"}, "counsel_presence": {"IN_PERSON"}}
	if w := env.postForm(t, "/families/"+string(env.family)+"/screenings", child, "en"); w.Code != http.StatusSeeOther {
		t.Fatalf("scheduled child interview: %d\n%s", w.Code, w.Body)
	}
	if sc := env.fam.lastChanges[0].Record.(*rescreen.Screening); sc.Final != nil || sc.ReliesOnInconsistency != nil || sc.PsychStateConsidered != nil || !sc.DecidedOn.IsZero() {
		t.Errorf("unrecorded facts were invented: %+v", sc)
	}
}

func TestScreeningRP5RefusedWithoutPsychState(t *testing.T) {
	for _, psych := range []string{"", "absent"} {
		env := newEnv(t)
		v := parentReReview()
		if psych == "absent" {
			v.Del("psych_state_considered")
		} else {
			v.Set("psych_state_considered", "")
		}
		w := env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "en")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", w.Code)
		}
		if got, want := fieldMessage(t, body, "psych_state_considered"), msgText(t, env, "en", "forms.err.psychRequired"); got != want {
			t.Errorf("message next to the psych-state field = %q, want %q", got, want)
		}
		if n := strings.Count(body, `class="field-msg"`); n != 1 {
			t.Errorf("%d messages shown, want only the R-P5 one", n)
		}
		assertNothingWritten(t, env)
		// The input comes back as typed.
		for _, want := range []string{`value="J. Ortiz"`, `<option value="SETTLEMENT_REVIEW" selected>`, `value=" MAM "`,
			`id="relies_on_inconsistency" name="relies_on_inconsistency" value="yes" checked`, "Sister&#39;s testimony about the threats</textarea>",
			`<title>Error: new screening`} {
			if !strings.Contains(body, want) {
				t.Errorf("the refused form lacks %q", want)
			}
		}
	}
}

// TestScreeningChecks: each case breaks one field of a valid form.
func TestScreeningChecks(t *testing.T) {
	cases := []struct {
		name, field, key string
		change           func(url.Values)
	}{
		{"no person", "person", "forms.err.person", func(v url.Values) { v.Del("person") }},
		{"person of another family", "person", "forms.err.person", func(v url.Values) { v.Set("person", "CBP_E3:FAM-9-P1") }},
		{"unknown occasion", "occasion", "forms.err.choose", func(v url.Values) { v.Set("occasion", "WHENEVER") }},
		{"child interview for a parent", "occasion", "forms.err.childInterviewAdult", func(v url.Values) { v.Set("occasion", "CHILD_INTERVIEW") }},
		{"no kind", "kind", "forms.err.choose", func(v url.Values) { v.Set("kind", "") }},
		{"no interview date", "on", "forms.err.required", func(v url.Values) { v.Del("on") }},
		{"interview date as written in the U.S.", "on", "forms.err.date", func(v url.Values) { v.Set("on", "10/22/2018") }},
		{"interview date without leading zeros", "on", "forms.err.date", func(v url.Values) { v.Set("on", "2018-1-2") }},
		{"decision in the future", "decided_on", "forms.err.future", func(v url.Values) { v.Set("decided_on", today().AddDays(3).String()) }},
		{"decision before the interview", "decided_on", "forms.err.decidedBeforeInterview", func(v url.Values) { v.Set("decided_on", "2018-10-21") }},
		{"decision date on a pending screening", "decided_on", "forms.err.decidedPending", func(v url.Values) { v.Set("result", "PENDING"); v.Set("final", "") }},
		{"decided but finality not said", "final", "forms.err.choose", func(v url.Values) { v.Del("final") }},
		{"pending and final", "final", "forms.err.finalPending", func(v url.Values) { v.Set("result", "PENDING"); v.Del("decided_on") }},
		{"counsel presence missing on a settlement review", "counsel_presence", "forms.err.choose", func(v url.Values) { v.Del("counsel_presence") }},
		{"counsel presence not a choice", "counsel_presence", "forms.err.choose", func(v url.Values) { v.Set("counsel_presence", "CARRIER_PIGEON") }},
		{"interpreter not a language code", "interpreter_language", "forms.err.language", func(v url.Values) { v.Set("interpreter_language", "Spanish") }},
		{"negative without saying whether it relies", "relies_on_inconsistency", "forms.err.reliesRequired", func(v url.Values) {
			v.Del("relies_on_inconsistency")
			v.Del("psych_state_considered")
		}},
		{"psych state without relies", "relies_on_inconsistency", "forms.err.reliesForPsych", func(v url.Values) {
			v.Set("result", "POSITIVE")
			v.Del("relies_on_inconsistency")
		}},
		{"control character in the officer", "officer", "forms.err.control", func(v url.Values) { v.Set("officer", "J.\x07Ortiz") }},
		{"evidence without a kind", "evidence-0-kind", "forms.err.choose", func(v url.Values) { v.Del("evidence-0-kind") }},
		{"evidence without a description", "evidence-0-description", "forms.err.required", func(v url.Values) { v.Del("evidence-0-description") }},
		{"evidence submitted in the future", "evidence-0-submitted_on", "forms.err.future", func(v url.Values) { v.Set("evidence-0-submitted_on", today().AddDays(1).String()) }},
		{"second evidence row half filled", "evidence-1-kind", "forms.err.choose", func(v url.Values) { v.Set("evidence-1-submitter", "Counsel") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv(t)
			v := parentReReview()
			c.change(v)
			w := env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "en")
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", w.Code)
			}
			got := fieldMessage(t, w.Body.String(), c.field)
			if want := msgText(t, env, "en", c.key); got == "" || !strings.HasPrefix(got, want) {
				t.Errorf("message next to %s = %q, want %q…", c.field, got, want)
			}
			assertNothingWritten(t, env)
		})
	}
}

func TestScreeningAddEvidenceRow(t *testing.T) {
	env := newEnv(t)
	v := parentReReview()
	v.Set("action", "add_evidence")
	v.Set("officer", "") // an error the added row must not report yet
	w := env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "en")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	for _, want := range []string{`id="evidence-2-kind"`, `<legend>Item 3</legend>`, `name="evidence_rows" value="3"`, "Sister&#39;s testimony"} {
		if !strings.Contains(body, want) {
			t.Errorf("after adding a row the form lacks %q", want)
		}
	}
	if strings.Contains(body, `class="field-msg"`) {
		t.Error("adding a row reported errors")
	}
	assertNothingWritten(t, env)

	// The rows stop at the limit, whatever the form claims.
	v.Set("evidence_rows", "100000")
	body = env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "en").Body.String()
	if n := strings.Count(body, `<legend>Item `); n != maxEvidence {
		t.Errorf("%d rows, want at most %d", n, maxEvidence)
	}
	if strings.Contains(body, `value="add_evidence"`) {
		t.Error("the add button is offered at the limit")
	}
}

func TestElectionRecordsAndUnder14(t *testing.T) {
	env := newEnv(t)
	path := "/families/" + string(env.family) + "/elections"

	// Ana, born 2012-01-15, is 6 on 2018-09-10: she cannot sign for herself.
	v := childElection()
	v.Set("signer_role", "SELF")
	v.Set("signer", "Ana Pérez")
	w := env.postForm(t, path, v, "en")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a 6-year-old signing for herself: %d", w.Code)
	}
	want := fmt.Sprintf(env.srv.cats["en"]["forms.err.under14"], "Ana Pérez", 6, "2018-09-10")
	if got := fieldMessage(t, w.Body.String(), "signer_role"); got != want {
		t.Errorf("message next to the signer = %q, want %q", got, want)
	}
	assertNothingWritten(t, env)

	// Signed by her mother, the form is recorded with every field.
	w = env.postForm(t, path, childElection(), "en")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/families/"+string(env.family)+"#elections" {
		t.Fatalf("valid election: %d %q\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	if len(env.fam.lastChanges) != 1 || env.fam.lastVersion != 1 {
		t.Fatalf("changes %+v at version %d", env.fam.lastChanges, env.fam.lastVersion)
	}
	e := env.fam.lastChanges[0].Record.(*rescreen.Election)
	if e.Source != rescreen.SourceManual || e.ID != e.SourceID || e.Person != childRef || e.Choice != rescreen.ChoiceRemain ||
		e.SignerRole != rescreen.SignerParent || e.Signer != "María José Pérez" || e.SignedOn != rescreen.MustDate("2018-09-10") ||
		e.Language != "es" || e.ReadAloud == nil || !*e.ReadAloud || e.Interpreter != "mam" || e.Channel != "EMAIL" ||
		e.SentOn != rescreen.MustDate("2018-09-11") || e.Recipient != "ACLU" || e.ReceivedOn != rescreen.MustDate("2018-09-12") ||
		e.FormVersion != "2018-09" || e.FormRef != "SHEET-77" {
		t.Errorf("election = %+v", e)
	}
	if probs := rescreen.Validate(rescreen.KindElections, e); len(probs) > 0 {
		t.Errorf("the service would refuse the election: %v", probs)
	}
}

// TestElectionAgeOnSigningDay: the age is taken on the day of signing, so
// the day before the 14th birthday is refused and the birthday accepted.
func TestElectionAgeOnSigningDay(t *testing.T) {
	for _, c := range []struct {
		signed string
		ok     bool
	}{{"2018-09-09", false}, {"2018-09-10", true}} {
		env := newEnv(t)
		ds := sampleDataset("FAM-14", "Luis", "Mam")
		ds.Persons[1].BirthDate = rescreen.MustDate("2004-09-10")
		d, err := env.fam.CreateFamily(t.Context(), ds)
		if err != nil {
			t.Fatal(err)
		}
		v := childElection()
		v.Set("person", "CBP_E3:FAM-14-P2")
		v.Set("signer_role", "SELF")
		v.Set("signed_on", c.signed)
		v.Set("sent_on", c.signed)
		w := env.postForm(t, "/families/"+string(d.FamilyID)+"/elections", v, "en")
		if got := w.Code == http.StatusSeeOther; got != c.ok {
			t.Errorf("signed %s: status %d\n%s", c.signed, w.Code, w.Body)
		}
	}
}

func TestElectionChecks(t *testing.T) {
	cases := []struct {
		name, field, key string
		change           func(url.Values)
	}{
		{"no choice", "choice", "forms.err.choose", func(v url.Values) { v.Del("choice") }},
		{"made-up choice", "choice", "forms.err.choose", func(v url.Values) { v.Set("choice", "C_MAYBE") }},
		{"no signer role", "signer_role", "forms.err.choose", func(v url.Values) { v.Del("signer_role") }},
		{"signed without a name", "signer", "forms.err.required", func(v url.Values) { v.Del("signer") }},
		{"signed without a date", "signed_on", "forms.err.required", func(v url.Values) { v.Del("signed_on") }},
		{"no language", "language", "forms.err.required", func(v url.Values) { v.Del("language") }},
		{"language not a code", "language", "forms.err.language", func(v url.Values) { v.Set("language", "Español") }},
		{"read aloud not said", "read_aloud", "forms.err.choose", func(v url.Values) { v.Del("read_aloud") }},
		{"received before signed", "received_on", "forms.err.beforeSigned", func(v url.Values) { v.Set("received_on", "2018-09-01") }},
		{"received before sent", "received_on", "forms.err.beforeSent", func(v url.Values) { v.Set("sent_on", "2018-09-12"); v.Set("received_on", "2018-09-11") }},
		{"sent in the future", "sent_on", "forms.err.future", func(v url.Values) { v.Set("sent_on", today().AddDays(1).String()) }},
		{"unknown channel", "channel", "forms.err.choose", func(v url.Values) { v.Set("channel", "TELEPATHY") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv(t)
			v := childElection()
			c.change(v)
			w := env.postForm(t, "/families/"+string(env.family)+"/elections", v, "en")
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", w.Code)
			}
			got := fieldMessage(t, w.Body.String(), c.field)
			if want := msgText(t, env, "en", c.key); got == "" || !strings.HasPrefix(got, want) {
				t.Errorf("message next to %s = %q, want %q…", c.field, got, want)
			}
			assertNothingWritten(t, env)
		})
	}
}

func TestFormsHostileInput(t *testing.T) {
	script := `<script>alert(1)</script>`
	long := strings.Repeat("x", 5000)
	t.Run("screening", func(t *testing.T) {
		env := newEnv(t)
		v := parentReReview()
		v.Set("officer", script)
		v.Set("office", long)
		v.Set("on", "2018-02-30")
		v.Set("notes", `"><img src=x onerror=alert(1)>`)
		v.Set("evidence-0-description", "</textarea><script>alert(2)</script>")
		w := env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "en")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", w.Code)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img") || strings.Contains(body, "</textarea><script") {
			t.Error("hostile markup is live in the page")
		}
		for _, want := range []string{`value="&lt;script&gt;alert(1)&lt;/script&gt;"`, `value="2018-02-30"`, `value="` + long + `"`,
			"&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the hostile input is not shown back inert: %.80s", want)
			}
		}
		for field, key := range map[string]string{"officer": "forms.err.markup", "office": "forms.err.tooLong", "on": "forms.err.date",
			"notes": "forms.err.markup", "evidence-0-description": "forms.err.markup"} {
			if got := fieldMessage(t, body, field); !strings.HasPrefix(got, msgText(t, env, "en", key)) {
				t.Errorf("%s: message %q, want %s", field, got, key)
			}
		}
		if !strings.Contains(fieldMessage(t, body, "office"), "(this has 5000)") {
			t.Error("the length message does not say how long the value is")
		}
		assertNothingWritten(t, env)
	})
	t.Run("election", func(t *testing.T) {
		env := newEnv(t)
		v := childElection()
		v.Set("signer", `"><img src=x onerror=alert(1)>`)
		v.Set("recipient", long)
		v.Set("signed_on", "2018-02-30")
		v.Set("person", script)
		w := env.postForm(t, "/families/"+string(env.family)+"/elections", v, "en")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || strings.Contains(body, "<img") || strings.Contains(body, "<script>") {
			t.Fatalf("status %d, or live markup", w.Code)
		}
		for _, f := range []string{"signer", "recipient", "signed_on", "person"} {
			if fieldMessage(t, body, f) == "" {
				t.Errorf("no message next to %s", f)
			}
		}
		assertNothingWritten(t, env)
	})
	t.Run("body too large", func(t *testing.T) {
		env := newEnv(t)
		v := parentReReview()
		v.Set("notes", strings.Repeat("x", maxFormBody))
		w := env.postForm(t, "/families/"+string(env.family)+"/screenings", v, "es")
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "demasiado grande") {
			t.Errorf("status %d\n%.300s", w.Code, w.Body)
		}
		assertNothingWritten(t, env)
	})
}

func TestFormsStaleVersion(t *testing.T) {
	for _, c := range []struct {
		path string
		form url.Values
	}{{"screenings", parentReReview()}, {"elections", childElection()}} {
		env := newEnv(t)
		// Someone else records a contact meanwhile: the family moves to version 2.
		other := &rescreen.ContactAttempt{Meta: rescreen.Meta{Source: rescreen.SourceManual, SourceID: "X-1"}, Person: parentRef}
		if _, err := env.fam.ApplyChanges(t.Context(), env.family, 1, []rescreen.Change{{Kind: rescreen.KindContacts, Record: other}}); err != nil {
			t.Fatal(err)
		}
		path := "/families/" + string(env.family) + "/" + c.path
		before := clone(c.form)
		w := env.postForm(t, path, c.form, "en")
		body := w.Body.String()
		if w.Code != http.StatusConflict {
			t.Fatalf("%s: status %d, want 409", c.path, w.Code)
		}
		want := fmt.Sprintf(env.srv.cats["en"]["forms.err.conflict"], 1, 2)
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("%s: no conflict message\n%s", c.path, body)
		}
		if !strings.Contains(body, `<input type="hidden" name="version" value="2">`) {
			t.Errorf("%s: the form does not carry the current version", c.path)
		}
		if n := strings.Count(body, `id="form-errors"`); n != 1 {
			t.Errorf("%s: %d boxes carry the anchor the form posts to, want 1", c.path, n)
		}
		if s, e, el := env.counts(t); s != 1 || e != 0 || el != 1 {
			t.Errorf("%s: something was written: %d %d %d", c.path, s, e, el)
		}
		if !strings.Contains(body, `value="`+html.EscapeString(before.Get("signed_on")+before.Get("officer"))+`"`) {
			t.Errorf("%s: the input was not kept", c.path)
		}
		// A form without a usable version is refused, the problem in the
		// summary (the field is hidden, nothing to point at).
		c.form.Set("version", "latest")
		w = env.postForm(t, path, c.form, "en")
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(w.Body.String()), "<li>"+env.srv.cats["en"]["forms.err.version"]+"</li>") {
			t.Errorf("%s: a form without a version: %d", c.path, w.Code)
		}
		// Submitted again, from the page now shown, it is recorded.
		c.form.Set("version", "2")
		if w := env.postForm(t, path, c.form, "en"); w.Code != http.StatusSeeOther {
			t.Fatalf("%s: resubmitted: %d", c.path, w.Code)
		}
	}
}

func TestFormsServiceProblemsNextToFields(t *testing.T) {
	env := newEnv(t)
	env.fam.applyFail = (&rescreen.ValidationError{Problems: []rescreen.FieldError{
		{Field: "changes[0].record.office", Msg: "is not an office on record"},
		{Field: "changes[0].record.counsel_presence", Msg: "is required"},
		{Field: "changes[1].record.description", Msg: "repeats an item on record"},
		{Field: "changes[0].record.source_id", Msg: "is taken"},
	}}).AsError("fake")
	w := env.postForm(t, "/families/"+string(env.family)+"/screenings", parentReReview(), "es")
	body := w.Body.String()
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", w.Code)
	}
	for field, want := range map[string]string{
		"office":                 "Rechazado por el registro: is not an office on record",
		"counsel_presence":       env.srv.cats["es"]["forms.err.required"],
		"evidence-0-description": "Rechazado por el registro: repeats an item on record",
	} {
		if got := fieldMessage(t, body, field); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if !strings.Contains(body, "<li>Rechazado por el registro: changes[0].record.source_id: is taken</li>") {
		t.Error("a problem with no field of the form is not in the summary")
	}

	// Any other failure is not the form's to show.
	env.fam.applyFail = errDatabaseDown
	if w := env.postForm(t, "/families/"+string(env.family)+"/screenings", parentReReview(), "en"); w.Code != http.StatusInternalServerError {
		t.Errorf("a store failure: %d", w.Code)
	}
}

// msgPattern turns a catalogue message into a pattern matching any use of it.
func msgPattern(m string) *regexp.Regexp {
	parts := verbRE.Split(m, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile(`^` + strings.Join(parts, `.*`) + `$`)
}

var fieldMsgRE = regexp.MustCompile(`<span class="field-msg" id="[^"]+">([^<]*)</span>`)

// TestFormsMessagesInSpanish: in Spanish, every message next to a field is
// one of the Spanish catalogue's, and none is English.
func TestFormsMessagesInSpanish(t *testing.T) {
	env := newEnv(t)
	var es, en []*regexp.Regexp
	for k, m := range env.srv.cats["es"] {
		if strings.HasPrefix(k, "forms.err.") {
			es = append(es, msgPattern(m))
			en = append(en, msgPattern(env.srv.cats["en"][k]))
		}
	}
	matches := func(res []*regexp.Regexp, s string) bool {
		for _, re := range res {
			if re.MatchString(s) {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	check := func(name, path string, v url.Values) {
		w := env.postForm(t, path, v, "es")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", name, w.Code)
		}
		msgs := fieldMsgRE.FindAllStringSubmatch(body, -1)
		if len(msgs) == 0 {
			t.Fatalf("%s: no messages", name)
		}
		for _, m := range msgs {
			text := html.UnescapeString(m[1])
			seen[text] = true
			if !matches(es, text) || matches(en, text) {
				t.Errorf("%s: %q is not a Spanish message", name, text)
			}
		}
		for _, want := range []string{"El formulario no se registró", "<title>Error: nue", `<html lang="es">`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: lacks %q", name, want)
			}
		}
		if m := missingKeyRE.FindString(body); m != "" {
			t.Errorf("%s: shows the key %s", name, m)
		}
	}
	scr := "/families/" + string(env.family) + "/screenings"
	el := "/families/" + string(env.family) + "/elections"

	v := parentReReview()
	v.Del("psych_state_considered")
	v.Set("officer", "<b>x</b>")
	v.Set("office", strings.Repeat("y", 5000))
	v.Set("on", "2018-02-30")
	v.Set("interpreter_language", "spanish")
	v.Set("evidence-0-submitted_on", today().AddDays(1).String())
	v.Set("evidence-1-kind", "DOCUMENT")
	v.Set("version", "")
	check("screening", scr, v)

	v = parentReReview()
	v.Set("occasion", "CHILD_INTERVIEW")
	v.Set("decided_on", "2018-10-01")
	v.Set("result", "NOPE")
	v.Set("person", "")
	v.Set("officer", "a\x00b")
	check("screening 2", scr, v)

	v = parentReReview()
	v.Set("result", "PENDING")
	v.Del("relies_on_inconsistency")
	check("pending screening", scr, v)

	v = childElection()
	v.Set("signer_role", "SELF")
	v.Set("received_on", "2018-09-01")
	v.Set("language", "")
	v.Del("read_aloud")
	check("election", el, v)

	v = childElection()
	v.Set("sent_on", "2018-09-12")
	v.Set("received_on", "2018-09-11")
	v.Set("signed_on", "1850-01-01")
	check("election 2", el, v)

	if len(seen) < 15 {
		t.Errorf("only %d distinct messages were checked: %v", len(seen), seen)
	}
}

// today is the server's today under the default clock, which the tests use.
func today() rescreen.Date { return rescreen.DateOf(time.Now().UTC()) }
