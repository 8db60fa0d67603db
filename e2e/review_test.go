package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMatchReview takes a pair from the review queue: the detention
// agency's record of a parent, without accents, second surname or birth
// date, against the border record. The reviewer reads the two records side
// by side with each field's weight, tries to reject the link without a
// reason (the browser refuses an empty box; the server a reason of spaces,
// with the message next to the box), then rejects it with one,
// and finds the decision in the link's history.
func TestMatchReview(t *testing.T) {
	needChromium(t)
	site := startSite(t)
	b := newBrowser(t, site.URL)
	shot := newShots(t, b)
	en := catalogue(t, "en")

	b.signIn("/links", officerName, officerPassword)
	b.open("open the review queue", "/links")
	b.wantText("the review queue", "h1", en.text("links.title"))
	b.wantText("the review queue", "table", "ICE_EARM:SUBJ-", en.text("enum.linkState.REVIEW"))
	shot.take("links", false)
	link := `table a[href^="/links/"]`
	id := strings.TrimPrefix(b.attr("the review queue", link, "href"), "/links/")
	b.load("open the pair", http.StatusOK, chromedp.Click(chromedp.CSS(link)))
	b.wantText("the pair", "h1", en.text("link.heading", id))
	b.wantText("the two records side by side", "#fields ~ table thead",
		en.text("link.col.left"), en.text("link.col.right"), "ICE_EARM:SUBJ-")
	// Every compared field has a weight, and the missing birth date shows
	// as missing rather than as a disagreement.
	weights := evaluate[[]string](b, "the fields' weights",
		`[...document.querySelectorAll("#fields ~ table tbody td.num")].map(td => td.innerText.trim())`)
	if len(weights) < 3 {
		b.fail("the fields' weights", fmt.Errorf("%d fields compared, want the names, sex and country at least", len(weights)))
	}
	b.wantText("the missing birth date", "#fields ~ table tbody", en.text("link.missing"))
	shot.take("link", true)

	reject := `form:has(input[name=decision][value=REJECT])`
	reason := b.attr("the reject form", reject+" textarea", "id")
	// The browser itself refuses an empty reason (the box is required);
	// a reason of spaces passes it, and the server refuses it.
	if !evaluate[bool](b, "the empty reason", fmt.Sprintf(`document.getElementById(%q).validity.valueMissing`, reason)) {
		b.fail("the empty reason", fmt.Errorf("the browser would send the form without a reason"))
	}
	b.load("reject with a reason of spaces", http.StatusUnprocessableEntity,
		chromedp.SetValue(chromedp.ID(reason), "   "),
		chromedp.Click(chromedp.CSS(reject+" button[type=submit]")))
	b.wantText("the refusal", "[role=alert]", en.text("link.refused"))
	b.wantFieldError("the missing reason", reason, en.text("link.error.reasonRequired"))

	const why = "Different person: the detention record's A-number belongs to another family."
	b.load("reject with a reason", http.StatusOK,
		chromedp.SetValue(chromedp.ID(reason), why),
		chromedp.Click(chromedp.CSS(reject+" button[type=submit]")))
	b.wantText("the pair's new state", "dl.facts", en.text("enum.linkState.REJECTED"))
	b.wantText("the pair's history", "#history ~ table", en.text("enum.linkState.REJECTED"), "e2e", why)
}
