package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfficerScenario follows an officer through the UI, as issue 5
// describes it: find a family by a misspelled name, open it, read the
// determination and the removal hold, record a negative re-interview for
// the parent (first with mistakes, which the form shows next to the
// fields) and a positive one for the child, see the family outcome become
// "remains together" with the hold explained, switch to Spanish and read
// the same page in Spanish, and submit a form with errors in Spanish.
func TestOfficerScenario(t *testing.T) {
	needChromium(t) // before the site, so that a machine without Chromium skips at once
	site := startSite(t)
	b := newBrowser(t, site.URL)
	shot := newShots(t, b)
	en, es := catalogue(t, "en"), catalogue(t, "es")
	fam := site.Fam
	parent, child := fam.Parent.FullName(), fam.Child.FullName()

	// Signed out, the site asks for a sign-in; a wrong password is
	// refused with the one message every refusal gets; the right one
	// comes back to the page asked for.
	b.open("open the families page signed out", "/")
	b.wantText("the sign-in page", "h1", en.text("signin.heading"))
	b.load("sign in with a wrong password", http.StatusUnauthorized,
		chromedp.SetValue(chromedp.ID("name"), officerName),
		chromedp.SetValue(chromedp.ID("password"), "not the password"),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type=submit]`)))
	b.wantText("the refused sign-in", "[role=alert]", en.text("signin.refused"))
	shot.take("sign-in", false)
	b.load("sign in", http.StatusOK,
		chromedp.SetValue(chromedp.ID("password"), officerPassword),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type=submit]`)))
	b.wantText("the families page", "h1", en.text("families.title"))
	b.wantText("the families page", "header", en.text("signin.as", officerName))
	if got := b.attr("the families page", "html", "lang"); got != "en" {
		t.Fatalf("the families page is in %q, want en", got)
	}

	// Search by the parent's name as a clerk might have heard it:
	// Jorge Suniga for Jorge Zúniga.
	name := misspell(fam.Parent)
	t.Logf("family %s: searching %q for %s", fam.ID, name, parent)
	b.open("open the search", "/search")
	b.load("search the family by a misspelled name", http.StatusOK,
		chromedp.SetValue(chromedp.ID("q"), name),
		chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)),
	)
	link := fmt.Sprintf(`table a[href="/families/%s"]`, fam.ID)
	if !b.has("the search's results", link) {
		b.fail("the search's results", fmt.Errorf("searching %q does not list family %s (%s)", name, fam.ID, parent))
	}
	shot.take("search", false)

	b.load("open the family", http.StatusOK, chromedp.Click(chromedp.CSS(link)))
	b.wantText("the family page", "h1", en.text("family.heading", fam.ID))
	b.wantText("the family's members", "#members ~ table", parent, child)
	b.wantText("the determination", ".outcome.outcome-PENDING", en.text("enum.outcome.PENDING"))
	b.wantText("the removal hold banner", ".banner-hold", en.text("family.hold.banner"), en.text("family.hold.lift"))

	// The parent's negative re-interview, first with an impossible date
	// and without saying whether the decision relies on inconsistencies
	// with the first interview (R-P5).
	screeningLink := fmt.Sprintf(`a[href="/families/%s/screenings/new"]`, fam.ID)
	b.load("open the screening form", http.StatusOK, chromedp.Click(chromedp.CSS(screeningLink)))
	b.wantText("the screening form", "h1", en.text("forms.screening.heading", fam.ID))
	b.do("fill in the parent's re-interview, with mistakes",
		chromedp.SetValue(chromedp.ID("person"), string(fam.Parent.Key())),
		chromedp.SetValue(chromedp.ID("occasion"), "SETTLEMENT_REVIEW"),
		chromedp.SetValue(chromedp.ID("kind"), "CREDIBLE_FEAR"),
		chromedp.SetValue(chromedp.ID("on"), "2019-02-30"),
		chromedp.SetValue(chromedp.ID("result"), "NEGATIVE"),
		chromedp.SetValue(chromedp.ID("decided_on"), "2019-05-21"),
		chromedp.Click(chromedp.ID("final")),
		chromedp.SetValue(chromedp.ID("counsel_presence"), "IN_PERSON"),
	)
	b.load("submit the form with mistakes", http.StatusUnprocessableEntity, submitScreening)
	b.wantText("the form's summary of problems", "#form-errors", en.text("forms.errors.heading"))
	b.wantFieldError("the impossible date", "on", en.text("forms.err.date"))
	b.wantFieldError("the missing answer on inconsistencies", "relies_on_inconsistency", en.text("forms.err.reliesRequired"))
	shot.take("screening-form-errors", true)
	if got := b.attr("the refused form", "#decided_on", "value"); got != "2019-05-21" {
		b.fail("the refused form", fmt.Errorf("the decision date reads %q, want it kept as typed", got))
	}
	b.do("correct the mistakes",
		chromedp.SetValue(chromedp.ID("on"), "2019-05-20"),
		chromedp.Click(chromedp.ID("relies_on_inconsistency-no")),
	)
	b.load("record the parent's negative re-interview", http.StatusOK, submitScreening)
	b.wantText("the family page after the parent's re-interview", "#screenings ~ table",
		en.text("enum.occasion.SETTLEMENT_REVIEW"), en.text("enum.result.NEGATIVE"), "2019-05-20")

	// The child's own interview, positive.
	b.load("open the screening form for the child", http.StatusOK, chromedp.Click(chromedp.CSS(screeningLink)))
	b.do("fill in the child's interview",
		chromedp.SetValue(chromedp.ID("person"), string(fam.Child.Key())),
		chromedp.SetValue(chromedp.ID("occasion"), "CHILD_INTERVIEW"),
		chromedp.SetValue(chromedp.ID("kind"), "CREDIBLE_FEAR"),
		chromedp.SetValue(chromedp.ID("on"), "2019-05-22"),
		chromedp.SetValue(chromedp.ID("result"), "POSITIVE"),
		chromedp.SetValue(chromedp.ID("decided_on"), "2019-05-24"),
		chromedp.Click(chromedp.ID("final")),
		chromedp.SetValue(chromedp.ID("counsel_presence"), "IN_PERSON"),
	)
	b.load("record the child's positive interview", http.StatusOK, submitScreening)

	// The family now remains together (F-1), and the page says why the
	// parent, whose own review was negative, is still held: a negative
	// parent of a positive child stays until the child's case concludes
	// (F-2, held under H-4).
	b.wantText("the new outcome", ".outcome.outcome-STAYS", en.text("enum.outcome.STAYS"))
	b.wantText("the removal hold banner", ".banner-hold", en.text("family.hold.banner"), en.text("family.hold.lift"))
	const f2 = "A NEGATIVE parent of a positive child: the parent stays until the child's asylum case concludes (F-2)."
	b.wantRow("the parent's hold", "#determination ~ table", parent,
		en.text("enum.memberState.NEGATIVE"), en.text("family.held", "H-4"), f2)
	b.wantRow("the child's hold", "#determination ~ table", child,
		en.text("enum.memberState.POSITIVE"), en.text("family.held", "F-1"))
	shot.take("family", true)

	b.load("switch to Spanish", http.StatusOK,
		chromedp.SetValue(chromedp.ID("lang"), "es"),
		chromedp.Click(chromedp.CSS(`form.lang button[type=submit]`)),
	)
	if got := b.attr("the family page in Spanish", "html", "lang"); got != "es" {
		b.fail("the family page in Spanish", fmt.Errorf(`html lang=%q, want "es"`, got))
	}
	// The language form brings the user back to the same page.
	b.wantText("the family page in Spanish", "h1", es.text("family.heading", fam.ID))
	b.wantText("the determination in Spanish", "#determination", es.text("family.determination"))
	b.wantText("the outcome in Spanish", ".outcome.outcome-STAYS", es.text("enum.outcome.STAYS"))
	b.wantText("the removal hold banner in Spanish", ".banner-hold", es.text("family.hold.banner"))
	b.wantRow("the parent's hold in Spanish", "#determination ~ table", parent,
		es.text("enum.memberState.NEGATIVE"), es.text("family.held", "H-4"))
	// The rules' own explanation of the hold, in Spanish: the sentence the
	// rules write in English, as the Spanish source catalogue gives it.
	b.wantRow("the reason for the parent's hold in Spanish", "#determination ~ table", parent, sourceText(t, "es", f2))
	b.wantText("the rules' reasoning in Spanish", "#why", es.text("why.heading"))
	b.wantText("the screenings in Spanish", "#screenings ~ table", es.text("enum.occasion.SETTLEMENT_REVIEW"), es.text("enum.result.POSITIVE"))
	shot.take("family-es", true)

	// A form sent empty, in Spanish: every required field says so, in
	// Spanish, next to itself.
	b.load("open the screening form in Spanish", http.StatusOK, chromedp.Click(chromedp.CSS(screeningLink)))
	b.load("submit the empty form", http.StatusUnprocessableEntity, submitScreening)
	b.wantText("the summary in Spanish", "#form-errors", es.text("forms.errors.heading"))
	b.wantFieldError("the member, in Spanish", "person", es.text("forms.err.person"))
	b.wantFieldError("the interview date, in Spanish", "on", es.text("forms.err.required"))
	b.wantFieldError("the result, in Spanish", "result", es.text("forms.err.choose"))
}

// submitScreening presses the screening form's visible button.
var submitScreening = chromedp.Click(chromedp.CSS(`form.record button[type=submit][value=record]:not([hidden])`))

// messages is one language's message catalogue, read from web/locales, so
// that the tests check the pages against the words the catalogues give
// rather than copies of them.
type messages map[string]string

func catalogue(t *testing.T, lang string) messages {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "web", "locales", lang, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no message catalogue for %s: %v", lang, err)
	}
	m := messages{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, (*map[string]string)(&m)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return m
}

// sourceText returns the translation of a text the rules write in
// English, from the language's source catalogues (web/locales/LANG/source).
func sourceText(t *testing.T, lang, english string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "web", "locales", lang, "source", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no source catalogue for %s: %v", lang, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if v, ok := m[english]; ok {
			return v
		}
	}
	t.Fatalf("the %s source catalogue does not translate %q", lang, english)
	return ""
}

// text formats a message as the server does. A key the catalogue lacks
// yields a text no page shows, so the check that uses it fails.
func (m messages) text(key string, args ...any) string {
	f, ok := m[key]
	if !ok {
		return "[missing message " + key + "]"
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}
