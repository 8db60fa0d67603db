package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"rescreen"
)

// bookRules serves a rule book the test writes.
type bookRules struct {
	*fakeRules
	book *rescreen.RuleBook
	err  error
}

func (b bookRules) RuleBook(ctx context.Context) (*rescreen.RuleBook, error) { return b.book, b.err }

func newBookEnv(t *testing.T, book *rescreen.RuleBook, err error) *testEnv {
	t.Helper()
	env := newEnv(t)
	srv, e := NewServer(Config{Families: env.fam, Audit: env.audit, Rules: bookRules{&fakeRules{fam: env.fam}, book, err}, Links: env.links,
		Logger: slog.New(slog.DiscardHandler), Version: "test-1"})
	if e != nil {
		t.Fatal(e)
	}
	env.srv = srv
	return env
}

// testBook has rules of two sets, of every status, encoded or not, with
// and without dates of effect, and parameters of every kind, one of them
// changed from its default.
func testBook() *rescreen.RuleBook {
	return &rescreen.RuleBook{
		Version: "v-abc123",
		Rules: []rescreen.Rule{
			{ID: "COV-1", RuleSet: "COV-2018-06", Title: "Separated parents", Text: "A parent <separated> from a child.", Status: "CONFIRMED",
				Citations: []string{"ECF 82", "settlement.md COV-1"}, From: rescreen.MustDate("2018-06-26"), Encoded: true, Params: []string{"cfg.day_type"}},
			{ID: "COV-5", RuleSet: "COV-2018-06", Title: "Criminal history", Status: "REPORTED", Citations: []string{"EFE, July 2018"},
				From: rescreen.MustDate("2018-06-26"), Until: rescreen.MustDate("2018-12-31"), Encoded: true},
			{ID: "T-9", RuleSet: "COV-2023", Title: "Benefits period", Status: "INTERPRETATION", Encoded: false, NotEncodedReason: "needs the benefits agency's data"},
		},
		Params: []rescreen.RuleParam{
			{Name: "cfg.day_type", Default: "CALENDAR", Values: []string{"CALENDAR", "BUSINESS"}, Kind: "ENUM", Description: "How days are counted.", Rules: []string{"COV-1", "X-99"}, Source: "settlement.md section 5"},
			{Name: "cfg.exclude_criminal", Default: "true", Kind: "BOOL", Rules: []string{"COV-5"}},
			{Name: "cfg.t17_order", Default: "", Kind: "DATE"},
			{Name: "cfg.grace_days", Default: "0", Kind: "INT"},
		},
		Values: map[string]string{"cfg.day_type": "BUSINESS", "cfg.exclude_criminal": "true", "cfg.t17_order": "", "cfg.grace_days": "0"},
	}
}

func TestUIRuleBook(t *testing.T) {
	env := newBookEnv(t, testBook(), nil)
	w := env.do(t, "GET", "/rules", "")
	if w.Code != http.StatusOK {
		t.Fatalf("rules: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"<title>Rule book · rescreen</title>",
		"Rules: 3 (encoded: 2).",
		"<code>v-abc123</code>",
		`<a href="#set-COV-2018-06">Rule set COV-2018-06</a>`,
		`<h2 id="set-COV-2023">Rule set COV-2023</h2>`,
		"<caption>The rules of COV-2018-06 (2)</caption>",
		`<tr id="rule-COV-1"><th scope="row">COV-1</th>`,
		"<strong>Separated parents</strong><br>A parent &lt;separated&gt; from a child.",
		"<td>Confirmed</td>", "<td>Reported</td>", "<td>Unconfirmed (interpretation)</td>",
		"<ul><li>ECF 82</li><li>settlement.md COV-1</li></ul>",
		"<td>From 2018-06-26</td>", "<td>From 2018-06-26 to 2018-12-31</td>", "<td>Always</td>",
		"<td>yes</td>", "<td>no: needs the benefits agency&#39;s data</td>",
		`<a href="#param-cfg.day_type"><code>cfg.day_type</code></a>`,
		// The parameters, with the values allowed and the one in force.
		`<tr id="param-cfg.day_type"><th scope="row"><code>cfg.day_type</code><br>How days are counted.</th>`,
		"<td>Choice</td>", "<td>CALENDAR, BUSINESS</td>", "<td><code>CALENDAR</code></td>",
		"<td><strong><code>BUSINESS</code></strong> (not the default)</td>",
		// A governed rule links to its row; one the book lacks does not.
		`<a href="#rule-COV-1">COV-1</a>, X-99</td>`,
		"<td>Yes or no</td>", "<td>true, false</td>", "<td>any date</td>", "<td>any whole number</td>",
		"<caption>Parameters (4), with the values allowed and the value in force</caption>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the rule book lacks %s", want)
		}
	}
	if strings.Contains(body, "<separated>") {
		t.Error("a rule's text is shown as markup")
	}
}

func TestUIRuleBookBilingual(t *testing.T) {
	env := newEnv(t) // the fake's one-rule book
	for _, lang := range languages {
		code, body := bodyOf(t, env, "/rules", lang)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", lang, code)
		}
		if m := missingKeyRE.FindString(body); m != "" {
			t.Errorf("%s shows the key %s", lang, m)
		}
		if !strings.Contains(body, `<tr id="rule-F-1"><th scope="row">F-1</th>`) || !strings.Contains(body, "<td>MANUAL_REVIEW, HOLD_ALL</td>") {
			t.Errorf("%s: the rule or the parameter is missing", lang)
		}
	}
	_, body := bodyOf(t, env, "/rules", "es")
	for _, want := range []string{"<title>Reglamento · rescreen</title>", "Reglas: 1 (codificadas: 1).", "<td>Confirmada</td>", "Conjunto de reglas COV-2018-S", "<td>Opción</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Spanish rule book lacks %q", want)
		}
	}
}

func TestUIRuleBookError(t *testing.T) {
	env := newBookEnv(t, nil, errDatabaseDown)
	if w := env.do(t, "GET", "/rules", ""); w.Code != http.StatusInternalServerError {
		t.Fatalf("a failing rule book: %d", w.Code)
	}
}
