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
	srv, e := NewServer(Config{Families: env.fam, Audit: env.audit, Rules: bookRules{&fakeRules{fam: env.fam}, book, err}, Links: env.links, Auth: env.auth, Access: env.auth,
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
		`<a href="#set-COV-2018-06">Rule set COV-2018-06</a> (2)`,
		`<h2 id="set-COV-2023">Rule set COV-2023</h2>`,
		`<article id="rule-COV-1" aria-labelledby="rule-COV-1-title">`,
		`<h3 id="rule-COV-1-title">COV-1: Separated parents</h3>`,
		"<p>A parent &lt;separated&gt; from a child.</p>",
		"<dt>Status</dt><dd>Confirmed</dd>", "<dd>Reported</dd>", "<dd>Unconfirmed (interpretation)</dd>",
		"<dt>Sources</dt><dd>ECF 82; settlement.md COV-1</dd>",
		"<dt>In effect</dt><dd>From 2018-06-26</dd>", "<dd>From 2018-06-26 to 2018-12-31</dd>", "<dd>Always</dd>",
		"<dt>Encoded</dt><dd>yes</dd>", "<dd>no: needs the benefits agency&#39;s data</dd>",
		`<dt>Parameters read</dt><dd><a href="#param-cfg.day_type"><code>cfg.day_type</code></a></dd>`,
		// The parameters, with the values allowed and the one in force.
		`<article id="param-cfg.day_type" aria-labelledby="param-cfg.day_type-title">`,
		`<h3 id="param-cfg.day_type-title"><code>cfg.day_type</code></h3>`,
		"<p>How days are counted.</p>",
		"<dt>Kind</dt><dd>Choice</dd>", "<dt>Allowed values</dt><dd>CALENDAR, BUSINESS</dd>", "<dt>Default</dt><dd><code>CALENDAR</code></dd>",
		"<dt>In force</dt><dd><strong><code>BUSINESS</code></strong> (not the default)</dd>",
		// A governed rule links to its article; one the book lacks does not.
		`<dt>Rules</dt><dd><a href="#rule-COV-1">COV-1</a>, X-99</dd>`,
		"<dt>Source</dt><dd>settlement.md section 5</dd>",
		"<dd>Yes or no</dd>", "<dd>true, false</dd>", "<dd>any date</dd>", "<dd>any whole number</dd>",
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
		if !strings.Contains(body, `<h3 id="rule-F-1-title">F-1: Any positive member keeps the family</h3>`) || !strings.Contains(body, "<dd>MANUAL_REVIEW, HOLD_ALL</dd>") {
			t.Errorf("%s: the rule or the parameter is missing", lang)
		}
	}
	_, body := bodyOf(t, env, "/rules", "es")
	for _, want := range []string{"<title>Reglamento · rescreen</title>", "Reglas: 1 (codificadas: 1).", "<dt>Estado</dt><dd>Confirmada</dd>", "Conjunto de reglas COV-2018-S", "<dd>Opción</dd>"} {
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
