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

	"rescreen"
)

// linkGet fetches a page in a language.
func linkGet(tb testing.TB, env *testEnv, target, lang string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	return w
}

// linkPost posts a form as a browser on this site would, in a language.
func linkPost(tb testing.TB, env *testEnv, target, lang string, form url.Values) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest("POST", target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	return w
}

// addLink puts a candidate in the fake, with the history entry of its
// proposal.
func addLink(env *testEnv, id string, st rescreen.LinkState, p float64) *rescreen.LinkCandidate {
	c := &rescreen.LinkCandidate{ID: id, State: st, LinkScore: rescreen.LinkScore{
		Kind: rescreen.LinkSamePerson, Probability: p, Model: "m1",
		Left:  rescreen.LinkEnd{RecordID: "R-" + id + "a", Key: rescreen.Ref("CBP_E3:" + id + "a"), FamilyID: rescreen.FamilyID("F-" + id)},
		Right: rescreen.LinkEnd{RecordID: "R-" + id + "b", Key: rescreen.Ref("ORR_UACP:" + id + "b"), FamilyID: rescreen.FamilyID("F-" + id + "x")},
	}}
	env.links.candidates[id] = c
	env.links.history[id] = []rescreen.LinkDecision{{Seq: 1, Candidate: id, State: st, Actor: "import"}}
	return c
}

// queueIDs returns the links a queue page lists, in order.
var queueRowRE = regexp.MustCompile(`<th scope="row"><a href="/links/([^"]+)">`)

func queueIDs(body string) []string {
	var out []string
	for _, m := range queueRowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestUILinkQueue(t *testing.T) {
	env := newEnv(t)
	addLink(env, "L-2", rescreen.LinkLinked, 0.995)
	addLink(env, "L-3", rescreen.LinkReview, 0.6)
	addLink(env, "L-4", rescreen.LinkReview, 0.9)

	// The review state by default, most probable first.
	w := linkGet(t, env, "/links", "en")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("queue: %d\n%s", w.Code, body)
	}
	if got := queueIDs(body); !slices.Equal(got, []string{"L-4", "L-1", "L-3"}) {
		t.Errorf("queue lists %v, want the REVIEW links most probable first", got)
	}
	for _, want := range []string{
		`<html lang="en">`,
		`<title>Match review · rescreen</title>`,
		`<th scope="col">Match probability</th>`,
		`<code>CBP_E3:P-1</code><br>family <a href="/families/F-1">F-1</a>`,
		`<code>ICE_EARM:S-9</code><br>family <a href="/families/F-2">F-2</a>`,
		`<td>Same person</td><td class="num">0.800</td><td>Waiting for review</td>`,
		`<option value="REVIEW" selected>Waiting for review</option>`,
		`<label for="state">State</label>`,
		`<label for="family">Family (optional)</label>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the English queue lacks %s", want)
		}
	}

	// The same queue in Spanish.
	w = linkGet(t, env, "/links", "es")
	body = w.Body.String()
	for _, want := range []string{
		`<html lang="es">`,
		`<h1>Revisión de coincidencias</h1>`,
		`<td>Misma persona</td><td class="num">0.800</td><td>Pendiente de revisión</td>`,
		`<th scope="col">Probabilidad de coincidencia</th>`,
		`familia <a href="/families/F-1">F-1</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the Spanish queue lacks %s", want)
		}
	}
	if m := missingKeyRE.FindString(body); m != "" || strings.Contains(body, "Waiting for review") {
		t.Errorf("the Spanish queue shows %q or English", m)
	}

	// A filter by state and by family.
	w = linkGet(t, env, "/links?state=linked&utm_source=x", "en")
	if got := queueIDs(w.Body.String()); w.Code != http.StatusOK || !slices.Equal(got, []string{"L-2"}) {
		t.Errorf("state=linked: %d %v", w.Code, got)
	}
	if f := env.links.lastFilter; !slices.Equal(f.States, []rescreen.LinkState{rescreen.LinkLinked}) {
		t.Errorf("filter %+v", f)
	}
	if !strings.Contains(w.Body.String(), `<option value="LINKED" selected>`) {
		t.Error("the filter does not show the state chosen")
	}
	w = linkGet(t, env, "/links?state=REVIEW&family=F-L-3x", "en")
	if got := queueIDs(w.Body.String()); !slices.Equal(got, []string{"L-3"}) || env.links.lastFilter.Family != "F-L-3x" {
		t.Errorf("family filter: %v %+v", got, env.links.lastFilter)
	}

	// A state that does not exist is refused on the page.
	w = linkGet(t, env, "/links?state=MAYBE", "en")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `role="alert"`) || !strings.Contains(w.Body.String(), `&#34;MAYBE&#34; is not one of`) {
		t.Errorf("state=MAYBE: %d\n%s", w.Code, w.Body)
	}
	if len(queueIDs(w.Body.String())) != 0 {
		t.Error("a refused filter still lists links")
	}
}

func TestUILinkQueuePages(t *testing.T) {
	env := newEnv(t)
	var want []string // most probable first
	for i := 9; i >= 1; i-- {
		id := fmt.Sprintf("L-5%d", i)
		addLink(env, id, rescreen.LinkReview, 0.705+float64(i)/50)
		want = append(want, id)
	}
	want = slices.Insert(want, 5, "L-1") // L-1 is 0.8, between L-55 and L-54
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	var seen []string
	target, pages := "/links?limit=3", 0
	for ; target != ""; pages++ {
		if pages > 5 {
			t.Fatal("the pages do not end")
		}
		w := linkGet(t, env, target, "en")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, w.Code)
		}
		if env.links.lastFilter.Limit != 4 {
			t.Errorf("%s asked for %d links, want a page and one more", target, env.links.lastFilter.Limit)
		}
		body := w.Body.String()
		seen = append(seen, queueIDs(body)...)
		if pages > 0 && !strings.Contains(body, `<a href="/links?limit=3">First page</a>`) {
			t.Errorf("page %d has no way back to the first", pages+1)
		}
		target = ""
		if m := next.FindStringSubmatch(body); m != nil {
			target = html.UnescapeString(m[1])
			if !strings.Contains(target, "limit=3") || !strings.Contains(target, "after=") {
				t.Errorf("next page %q loses the page size or the cursor", target)
			}
		}
	}
	if !slices.Equal(seen, want) || pages != 4 {
		t.Errorf("%d pages listed %v, want %v", pages, seen, want)
	}
}

// richLink is a candidate with a field of each kind of outcome.
func richLink(env *testEnv) *rescreen.LinkCandidate {
	c := addLink(env, "L-7", rescreen.LinkReview, 0.93)
	c.Weight = 6.25
	c.Model = "persons-2024-05"
	c.Fields = []rescreen.FieldComparison{
		{Field: "given_names", Left: "ANA LUCIA", Right: "ANA LUCIA", Level: 4, Label: "exact", Weight: 8.1},
		{Field: "birth_date", Left: "2010-03-04", Right: "2010-04-03", Level: 2, Label: "day and month swapped", Weight: 2.05},
		{Field: "a_number", Left: "", Right: "A012345678", Level: -1, Label: "missing", Weight: 0},
		{Field: "country", Left: "GT", Right: "HN", Level: 0, Label: "different", Weight: -4.5},
	}
	env.links.history["L-7"] = append(env.links.history["L-7"], rescreen.LinkDecision{Seq: 2, Candidate: "L-7",
		State: rescreen.LinkConfirmed, Previous: rescreen.LinkReview, Actor: "counsel-1", Reason: "same mother <i>named</i>"},
		rescreen.LinkDecision{Seq: 3, Candidate: "L-7", State: rescreen.LinkReview, Previous: rescreen.LinkConfirmed, Actor: "counsel-2", Reason: "confirmed by mistake"})
	return c
}

func TestUILinkPage(t *testing.T) {
	env := newEnv(t)
	richLink(env)
	w := linkGet(t, env, "/links/L-7", "en")
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("link page: %d\n%s", w.Code, body)
	}
	// Row by row: the field, both values, the level and the signed weight
	// with its bar; evidence against is a hollow bar left of the axis.
	rows := []struct{ field, left, right, label, weight, bar string }{
		{"Given names", "ANA LUCIA", "ANA LUCIA", "exact", "&#43;8.10", `<rect x="52" y="3" width="50" height="10" fill="currentColor"/>`},
		{"Date of birth", "2010-03-04", "2010-04-03", "day and month swapped", "&#43;2.05", `<rect x="52" y="3" width="13" height="10" fill="currentColor"/>`},
		{"A-number", `<span class="note">(missing)</span>`, "A012345678", "missing", "&#43;0.00", `<rect x="52" y="3" width="0" height="10"`},
		{"Country", "GT", "HN", "different", "−4.50", `<rect x="24" y="3.5" width="28" height="9" fill="none" stroke="currentColor"`},
	}
	for _, r := range rows {
		re := regexp.MustCompile(`<tr><th scope="row">` + regexp.QuoteMeta(r.field) + `</th>\s*<td>` + regexp.QuoteMeta(r.left) +
			`</td>\s*<td>` + regexp.QuoteMeta(r.right) + `</td>\s*<td><span>` + regexp.QuoteMeta(r.label) +
			`</span></td>\s*<td class="num">` + regexp.QuoteMeta(r.weight) + ` <svg[^>]*aria-hidden="true"[^>]*>` + regexp.QuoteMeta(r.bar))
		if !re.MatchString(body) {
			t.Errorf("the row of %s is not as expected (%s, %s, %s, %s)", r.field, r.left, r.right, r.label, r.weight)
		}
	}
	for _, want := range []string{
		`<title>Link L-7 · rescreen</title>`,
		`<dt>Match probability</dt><dd>0.930</dd>`,
		`<th scope="row" colspan="4">Total match weight</th><td class="num">&#43;6.25</td>`,
		`<code>persons-2024-05</code>`,
		`<code>CBP_E3:L-7a</code><br>family <a href="/families/F-L-7">F-L-7</a>`,
		`<code>ORR_UACP:L-7b</code><br>family <a href="/families/F-L-7x">F-L-7x</a>`,
		// The history: who, when, from which state to which, why; markup
		// in a reason is shown inert.
		`<td>counsel-1</td><td>Waiting for review</td><td>Confirmed</td><td>same mother &lt;i&gt;named&lt;/i&gt;</td>`,
		`<td>counsel-2</td><td>Confirmed</td><td>Waiting for review</td><td>confirmed by mistake</td>`,
		// The forms of a link under review, each reason labelled; undo,
		// because the last change has a state to return to.
		`<label for="reason-confirm">Reason (optional)</label>`,
		`<label for="reason-reject">Reason (required)</label>`,
		`<textarea id="reason-reject" name="reason" rows="2" cols="40" maxlength="2000" required>`,
		`<label for="reason-undo">Reason (required)</label>`,
		`<input type="hidden" name="decision" value="UNDO">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the link page lacks %s", want)
		}
	}
	if strings.Contains(body, "/split") {
		t.Error("a link not in force offers a split")
	}
	if strings.Contains(body, `<span lang="en">`) {
		t.Error("the English page marks English text as foreign")
	}

	// In Spanish the engine's level names stay English, marked as such.
	w = linkGet(t, env, "/links/L-7", "es")
	body = w.Body.String()
	for _, want := range []string{
		`<html lang="es">`,
		`<tr><th scope="row">Fecha de nacimiento</th>`,
		`<td><span lang="en">day and month swapped</span></td>`,
		`<td><span lang="en">exact</span></td>`,
		`<label for="reason-reject">Motivo (obligatorio)</label>`,
		`<td>counsel-1</td><td>Pendiente de revisión</td><td>Confirmado</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the Spanish link page lacks %s", want)
		}
	}
	if m := missingKeyRE.FindString(body); m != "" {
		t.Errorf("the Spanish link page shows the key %s", m)
	}

	// Hostile values from an agency's record are shown inert.
	body = linkGet(t, env, "/links/L-1", "en").Body.String()
	if !strings.Contains(body, `<td>&lt;b&gt;López&lt;/b&gt;</td>`) || strings.Contains(body, "<b>López</b>") {
		t.Error("a record's markup is not escaped")
	}

	// An unknown link is a 404 page, in either language.
	for _, lang := range languages {
		if w := linkGet(t, env, "/links/L-404", lang); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `<html lang="`+lang+`">`) {
			t.Errorf("%s: unknown link: %d", lang, w.Code)
		}
	}
}

func TestUILinkDecisions(t *testing.T) {
	env := newEnv(t)
	l1 := env.links.candidates["L-1"]
	post := func(decision, reason string) *httptest.ResponseRecorder {
		return linkPost(t, env, "/links/L-1/decision", "en", url.Values{"decision": {decision}, "reason": {reason}})
	}
	seeOther := func(w *httptest.ResponseRecorder, what string) {
		t.Helper()
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/links/L-1" {
			t.Fatalf("%s: %d to %q\n%s", what, w.Code, w.Header().Get("Location"), w.Body)
		}
	}
	last := func() rescreen.LinkDecision {
		h := env.links.history["L-1"]
		return h[len(h)-1]
	}

	seeOther(post("CONFIRM", ""), "confirm")
	if l1.State != rescreen.LinkConfirmed || last().Previous != rescreen.LinkReview {
		t.Fatalf("after confirm: %s, history %+v", l1.State, last())
	}
	// A confirmed link offers undo, reject and the splits, not confirm.
	body := linkGet(t, env, "/links/L-1", "en").Body.String()
	for _, want := range []string{`id="reason-undo"`, `id="reason-reject"`, `action="/persons/R-2/split"`, `action="/families/F-2/split"`} {
		if !strings.Contains(body, want) {
			t.Errorf("a confirmed link's page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="reason-confirm"`) {
		t.Error("a confirmed link offers to confirm it")
	}

	seeOther(post("undo", "  confirmed the wrong pair  "), "undo")
	if l1.State != rescreen.LinkReview || last().Reason != "confirmed the wrong pair" {
		t.Fatalf("after undo: %s, %+v", l1.State, last())
	}
	seeOther(post("REJECT", "different mothers"), "reject")
	if l1.State != rescreen.LinkRejected || last().Reason != "different mothers" || last().Previous != rescreen.LinkReview {
		t.Fatalf("after reject: %s, %+v", l1.State, last())
	}
	if n := len(env.links.history["L-1"]); n != 4 {
		t.Errorf("history has %d entries, want 4", n)
	}

	// An unknown link.
	if w := post("CONFIRM", ""); w.Code != http.StatusSeeOther {
		t.Errorf("confirming the rejected link: %d", w.Code)
	}
	w := linkPost(t, env, "/links/L-404/decision", "en", url.Values{"decision": {"CONFIRM"}})
	if w.Code != http.StatusNotFound {
		t.Errorf("unknown link: %d", w.Code)
	}
}

func TestUILinkDecisionRefused(t *testing.T) {
	env := newEnv(t)
	l1 := env.links.candidates["L-1"]
	unchanged := func(what string) {
		t.Helper()
		if l1.State != rescreen.LinkReview || len(env.links.history["L-1"]) != 1 {
			t.Errorf("%s changed the link: %s, %d history entries", what, l1.State, len(env.links.history["L-1"]))
		}
	}

	// A rejection without a reason: 422, the message next to the reason
	// field, in the page's language, and nothing changed.
	for lang, msg := range map[string]string{"en": "Give a reason", "es": "Indique un motivo"} {
		w := linkPost(t, env, "/links/L-1/decision", lang, url.Values{"decision": {"REJECT"}, "reason": {"   "}})
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: reject without a reason: %d\n%s", lang, w.Code, body)
		}
		re := regexp.MustCompile(`<label for="reason-reject">[^<]*</label>\s*<br><strong class="field-error" id="reason-reject-error">` + msg +
			`[^<]*</strong>\s*<br><textarea id="reason-reject" name="reason"[^>]* aria-invalid="true" aria-describedby="reason-reject-error">`)
		if !re.MatchString(body) {
			t.Errorf("%s: the message is not next to the reject form's reason:\n%s", lang, body)
		}
		if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, `<a href="#reason-reject">`) {
			t.Errorf("%s: the page does not say at the top that nothing was done", lang)
		}
		if strings.Contains(body, `id="reason-confirm-error"`) {
			t.Errorf("%s: the problem is shown on the confirm form too", lang)
		}
		unchanged("a rejection without a reason")
	}

	// A conflict (another reviewer got there first): 409, the typed reason
	// kept, escaped, with the message next to it.
	env.links.fail = rescreen.Errorf(rescreen.ECONFLICT, "link candidate L-1 changed")
	w := linkPost(t, env, "/links/L-1/decision", "en", url.Values{"decision": {"REJECT"}, "reason": {"not her <script>x</script>"}})
	body := w.Body.String()
	if w.Code != http.StatusConflict {
		t.Fatalf("conflict: %d", w.Code)
	}
	if !strings.Contains(body, `id="reason-reject-error">This decision does not apply to the link as it stands now (Waiting for review).`) ||
		!strings.Contains(body, `aria-describedby="reason-reject-error">not her &lt;script&gt;x&lt;/script&gt;</textarea>`) {
		t.Errorf("conflict: message or reason not kept:\n%s", body)
	}
	unchanged("a conflict")

	// A refusal the page has no words for: the service's own, in English,
	// marked as English on a Spanish page.
	env.links.fail = (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "reason", Msg: "names a person"}}}).AsError("decide link")
	w = linkPost(t, env, "/links/L-1/decision", "es", url.Values{"decision": {"REJECT"}, "reason": {"Rosa"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="reason-reject-error"><span lang="en">reason: names a person</span>`) ||
		!strings.Contains(w.Body.String(), `>Rosa</textarea>`) {
		t.Errorf("other refusal: %d\n%s", w.Code, w.Body)
	}

	// A decision already taken: the form is no longer on the page, so the
	// message is at the top.
	l1.State = rescreen.LinkConfirmed
	w = linkPost(t, env, "/links/L-1/decision", "en", url.Values{"decision": {"CONFIRM"}})
	if w.Code != http.StatusConflict || !regexp.MustCompile(`role="alert">\s*<p><strong>Nothing was changed.</strong></p>\s*<p>This decision does not apply to the link as it stands now \(Confirmed\)`).MatchString(w.Body.String()) {
		t.Errorf("already confirmed: %d\n%s", w.Code, w.Body)
	}
	l1.State = rescreen.LinkReview

	// Forged and oversized posts.
	req := httptest.NewRequest("POST", "/links/L-1/decision", strings.NewReader("decision=CONFIRM"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := serve(env, req); w.Code != http.StatusForbidden {
		t.Errorf("a cross-site post: %d", w.Code)
	}
	unchanged("a cross-site post")
	w = linkPost(t, env, "/links/L-1/decision", "en", url.Values{"decision": {"REJECT"}, "reason": {strings.Repeat("x", maxReviewBody)}})
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized post: %d", w.Code)
	}
	unchanged("an oversized post")
}

func TestUILinkSplits(t *testing.T) {
	for _, tt := range []struct{ name, path, formID string }{
		{"person", "/persons/R-2/split", "split-person-right"},
		{"family", "/families/F-2/split", "split-family-right"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t)
			l1 := env.links.candidates["L-1"]
			l1.State = rescreen.LinkLinked

			// The link page offers the split, with the link to come back to.
			body := linkGet(t, env, "/links/L-1", "en").Body.String()
			if !regexp.MustCompile(`<form method="post" action="` + tt.path + `">\s*<fieldset>\s*<legend>[^<]+</legend>\s*<input type="hidden" name="link" value="L-1">`).MatchString(body) {
				t.Fatalf("no %s split form:\n%s", tt.name, body)
			}

			// Without a reason: refused next to the field, nothing changed.
			w := linkPost(t, env, tt.path, "en", url.Values{"link": {"L-1"}})
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="reason-`+tt.formID+`-error">Give a reason`) {
				t.Errorf("split without a reason: %d\n%s", w.Code, w.Body)
			}
			if l1.State != rescreen.LinkLinked {
				t.Fatalf("a refused split changed the link: %s", l1.State)
			}

			w = linkPost(t, env, tt.path, "en", url.Values{"link": {"L-1"}, "reason": {"another mother"}})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/links/L-1" {
				t.Fatalf("split: %d to %q\n%s", w.Code, w.Header().Get("Location"), w.Body)
			}
			if h := env.links.history["L-1"]; l1.State != rescreen.LinkRejected || h[len(h)-1].Reason != "another mother" {
				t.Fatalf("after the split: %s %+v", l1.State, h)
			}
			if strings.Contains(linkGet(t, env, "/links/L-1", "en").Body.String(), "/split") {
				t.Error("a rejected link still offers splits")
			}

			// Nothing left in force: a conflict, said at the top.
			w = linkPost(t, env, tt.path, "es", url.Values{"link": {"L-1"}, "reason": {"otra vez"}})
			if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Aquí no hay ningún vínculo vigente que separar") {
				t.Errorf("split again: %d\n%s", w.Code, w.Body)
			}
		})
	}

	// A split posted from elsewhere goes back to the queue.
	env := newEnv(t)
	env.links.candidates["L-1"].State = rescreen.LinkConfirmed
	w := linkPost(t, env, "/families/F-1/split", "en", url.Values{"reason": {"wrong family"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/links" {
		t.Errorf("split without a link: %d to %q", w.Code, w.Header().Get("Location"))
	}
}
