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

// TestOfficerScenario follows an officer through the UI: find a family by
// a misspelled name, open it, read its determination and the removal hold,
// switch to Spanish and read the same page in Spanish, then run a search
// with a bad A-number and read the error next to the search.
func TestOfficerScenario(t *testing.T) {
	needChromium(t) // before the site, so that a machine without Chromium skips at once
	site := startSite(t)
	b := newBrowser(t, site.URL)
	en, es := catalogue(t, "en"), catalogue(t, "es")
	fam := site.Fam

	b.open("open the families page", "/")
	b.wantText("the families page", "h1", en.text("families.title"))
	if got := b.attr("the families page", "html", "lang"); got != "en" {
		t.Fatalf("the families page is in %q, want en", got)
	}

	// Search by the parent's name as an English-only system wrote it,
	// without accents: Zuniga for Zúniga.
	name := misspell(fam.Parent)
	b.load("search the family by a misspelled name", http.StatusOK,
		chromedp.SetValue(chromedp.ID("name"), name),
		chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)),
	)
	b.wantText("the search's results", "table caption", en.text("families.matching"))
	link := fmt.Sprintf(`table a[href="/families/%s"]`, fam.ID)
	if !b.has("the search's results", link) {
		b.fail("the search's results", fmt.Errorf("searching %q does not list family %s (%s)", name, fam.ID, fam.Parent.FullName()))
	}

	b.load("open the family", http.StatusOK, chromedp.Click(chromedp.CSS(link)))
	b.wantText("the family page", "h1", en.text("family.heading", fam.ID))
	b.wantText("the family's members", "#members ~ table", fam.Parent.FullName(), fam.Child.FullName())
	b.wantText("the determination", ".outcome.outcome-PENDING", en.text("enum.outcome.PENDING"))
	b.wantText("the removal hold banner", ".banner-hold", en.text("family.hold.banner"), en.text("family.hold.lift"))

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
	b.wantText("the determination in Spanish", ".outcome.outcome-PENDING", es.text("enum.outcome.PENDING"))
	b.wantText("the removal hold banner in Spanish", ".banner-hold", es.text("family.hold.banner"), es.text("family.hold.lift"))
	b.wantText("the members in Spanish", "#members", es.text("family.members"))

	// A form with an error: the A-number is too short. The page answers
	// 400, keeps what was typed, and says which field is wrong, still in
	// Spanish.
	b.open("open the families page in Spanish", "/")
	b.load("search with a bad A-number", http.StatusBadRequest,
		chromedp.SetValue(chromedp.ID("a_number"), "A12"),
		chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)),
	)
	b.wantText("the search's error", `[role=alert]`, es.text("families.error"), "a_number")
	if got := b.attr("the search's error", "#a_number", "value"); got != "A12" {
		b.fail("the search's error", fmt.Errorf("the A-number field holds %q after the error, want what was typed", got))
	}
}

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
