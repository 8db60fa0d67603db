package rules

import (
	"bytes"
	"encoding/json"
	"html/template"
	"os"
	"regexp"
	"strings"
	"testing"

	"rescreen"
)

// ruleIDs matches the rule ids of settlement.md: COV-1 to COV-25 (and
// COV-9a) but not the rule-set names COV-2018-06, V-, R-P, R-C, F-, H-, W,
// D- and T- ids.
var ruleIDs = regexp.MustCompile(`\b(?:COV-\d{1,2}a?|V-\d+|R-P\d+|R-C\d+|F-\d{1,2}|H-\d+|W\d{1,2}|D-\d+|T-\d{1,2})\b`)

// TestBookCoversSpec checks that every rule id of settlement.md sections 3
// to 5 is in the rule book, skipping none.
func TestBookCoversSpec(t *testing.T) {
	b, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	spec := string(b)
	start, end := strings.Index(spec, "\n## 3."), strings.Index(spec, "\n## 6.")
	if start < 0 || end < start {
		t.Fatal("settlement.md has no sections 3 to 5")
	}
	ids := map[string]bool{}
	for _, id := range ruleIDs.FindAllString(spec[start:end], -1) {
		ids[id] = true
	}
	// 94 ids: COV-1..25 and COV-9a, V-1..2, R-P1..9, R-C1..7, F-1..12,
	// H-1..6, W1..10, D-1..8, T-1..5 and T-10..18.
	if len(ids) < 94 {
		t.Fatalf("only %d rule ids found in sections 3 to 5; the parser is broken", len(ids))
	}
	book := map[string]Rule{}
	for _, r := range mustEngine(t, nil).Rules() {
		if _, dup := book[r.ID]; dup {
			t.Errorf("rule %s appears twice", r.ID)
		}
		book[r.ID] = r
	}
	for id := range ids {
		r, ok := book[id]
		if !ok {
			t.Errorf("settlement.md rule %s is not in the rule book", id)
			continue
		}
		if r.Title == "" || r.Text == "" || len(r.Citations) == 0 {
			t.Errorf("rule %s lacks a title, text or citation", id)
		}
		switch r.Status {
		case "CONFIRMED", "REPORTED", "INTERPRETATION":
		default:
			t.Errorf("rule %s has status %q", id, r.Status)
		}
		if !r.Encoded && r.NotEncodedReason == "" {
			t.Errorf("rule %s is not encoded and says not why", id)
		}
	}
	for _, p := range paramDefs {
		for _, id := range p.Rules {
			if _, ok := book[id]; !ok {
				t.Errorf("parameter %s governs unknown rule %s", p.Name, id)
			}
		}
		if p.Description == "" || p.Source == "" {
			t.Errorf("parameter %s lacks a description or source", p.Name)
		}
	}
}

// TestAppendixKeys checks that every config switch of the Appendix is a
// parameter with the Appendix's default.
func TestAppendixKeys(t *testing.T) {
	b, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	spec := string(b)
	app := spec[strings.Index(spec, "## Appendix"):]
	keys := regexp.MustCompile("`(cfg\\.[a-z0-9_.]+)`").FindAllStringSubmatch(app, -1)
	for _, k := range keys {
		name := k[1]
		// "cfg.cov2018.exclude_criminal` / `_disease` / `_interior" and
		// ".require_negative_or_order" are written as suffixes of the key
		// before them.
		if _, ok := paramIndex[name]; !ok {
			t.Errorf("Appendix key %s is not a parameter", name)
		}
	}
	for _, suffix := range []string{"cfg.cov2018.exclude_disease", "cfg.cov2018.exclude_interior", "cfg.cov2018s.require_negative_or_order",
		"cfg.cov2018s.no_prior_interview", "cfg.cov2019.gets_2018_procedures", "cfg.any_positive_keeps_all", "cfg.weekend_roll", "cfg.t1_anchor"} {
		if _, ok := paramIndex[suffix]; !ok {
			t.Errorf("Appendix key %s is not a parameter", suffix)
		}
	}
	defaults := map[string]string{
		"cfg.cov2018.exclude_criminal": "true", "cfg.cov2018.custody_on_or_after": "2018-06-26", "cfg.cov2018s.guardians": "MANUAL_REVIEW",
		"cfg.cov2023.window_inclusive": "true", "cfg.interview_trigger": "ALL_ELIGIBLE", "cfg.r_p5_action": "BLOCK",
		"cfg.ij_review_available": "UNKNOWN", "cfg.child_no_claim_as": "NEGATIVE", "cfg.f8_mixed_fail_waive": "REMOVAL_MAY_PROCEED",
		"cfg.partial_waiver": "MANUAL_REVIEW", "cfg.family_unit_scope": "SEPARATED_MEMBERS", "cfg.any_positive_keeps_all": "true",
		"cfg.case_concluded_at": "FINAL_ADMIN_DECISION", "cfg.invalid_form_action": "TREAT_AS_NOT_RETURNED", "cfg.day_type": "CALENDAR",
		"cfg.weekend_roll": "NONE", "cfg.t1_anchor": "2018-11-15", "cfg.t2_days": "", "cfg.t15_anchor_late_members": "MANUAL_REVIEW",
		"cfg.t17_six_month_scope": "PER_PERSON_EXPIRY",
	}
	for k, v := range defaults {
		if p := paramIndex[k]; p == nil || p.Default != v {
			t.Errorf("%s default %v, want %q (Appendix)", k, p, v)
		}
	}
}

func TestVersion(t *testing.T) {
	a, b := mustEngine(t, nil), mustEngine(t, nil)
	if a.Version() != b.Version() || len(a.Version()) != 64 {
		t.Errorf("versions %q and %q", a.Version(), b.Version())
	}
	c := mustEngine(t, Params{"cfg.r_p5_action": "FLAG"})
	if c.Version() == a.Version() {
		t.Error("a parameter value does not change the version")
	}
	d := mustEngine(t, Params{"cfg.r_p5_action": "BLOCK"})
	if d.Version() != a.Version() {
		t.Error("setting a parameter to its default changes the version")
	}
	// A rule's text is part of the version.
	saved := book[0].text
	book[0].text += " (changed)"
	e := mustEngine(t, nil)
	book[0].text = saved
	if e.Version() == a.Version() {
		t.Error("a rule's text does not change the version")
	}
	// The in-force date of the 2018 settlement's rules follows the parameter.
	for _, r := range mustEngine(t, Params{"cfg.cov2018s.in_force_from": "PRELIMINARY_APPROVAL"}).Rules() {
		if r.ID == "R-P1" && r.From != day("2018-10-09") {
			t.Errorf("R-P1 in force from %s", r.From)
		}
	}
}

func TestWriteBook(t *testing.T) {
	e := mustEngine(t, Params{"cfg.t17_order_date": "2025-09-01"})
	var md, page bytes.Buffer
	if err := e.WriteBook(&md, "markdown"); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteBook(&page, "html"); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		if !strings.Contains(md.String(), "### "+r.ID+": ") {
			t.Errorf("markdown book lacks %s", r.ID)
		}
		if !strings.Contains(page.String(), `id="`+r.ID+`"`) {
			t.Errorf("html book lacks %s", r.ID)
		}
	}
	for _, p := range e.ParamDefs() {
		if !strings.Contains(md.String(), "`"+p.Name+"`") || !strings.Contains(page.String(), p.Name) {
			t.Errorf("book lacks parameter %s", p.Name)
		}
	}
	for _, want := range []string{e.Version(), "| `cfg.t17_order_date` | — | 2025-09-01 |", "Encoded: no.", "001_b9785a4cd5c48d70.txt"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown book lacks %q", want)
		}
	}
	if !strings.HasPrefix(page.String(), "<!DOCTYPE html>") || !strings.Contains(page.String(), "<style>") || strings.Contains(page.String(), "<script") {
		t.Error("the html book is not a self-contained page")
	}
	if _, err := template.New("").Parse(page.String()); err != nil {
		t.Errorf("html book does not parse: %v", err)
	}
	if err := e.WriteBook(&md, "pdf"); err == nil || !strings.Contains(err.Error(), "markdown or html") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestWriteExplanation(t *testing.T) {
	r := mustEngine(t, nil).Evaluate(baseFamily().parentNegative("R-1", "P-1", "2018-11-28").childResult("R-2", "P-2", "POSITIVE", "2018-11-29").dataset(), day(asOf2019))
	var b bytes.Buffer
	if err := WriteExplanation(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Outcome: STAYS", "Person CBP_E3:P-1 (PARENT)", "Hold: HELD under H-4", "Lifted when: lifted when the asylum case of CBP_E3:P-2 concludes",
		"[MET] COV-2: The person entered", "Sources: settlement.md COV-2", "COV-2018-S: COVERED", "PARENT_REVIEW_AND_INTERVIEW: DETERMINED_NEGATIVE",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q", want)
		}
	}
	if err := WriteExplanation(&b, nil); err == nil {
		t.Error("no error for a nil result")
	}
}

// TestEvaluateDegenerate feeds inputs no importer would produce; Evaluate
// must neither panic nor release anyone.
func TestEvaluateDegenerate(t *testing.T) {
	e := mustEngine(t, nil)
	asOf := day(asOf2019)
	twoFamilies := negNegFamily().dataset()
	twoFamilies.Families = append(twoFamilies.Families, rescreen.Family{Meta: rescreen.Meta{Source: "MANUAL", SourceID: "F-2"}})
	noFamily := negNegFamily().dataset()
	noFamily.Families = nil
	foreign := negNegFamily().dataset()
	foreign.Elections = append(foreign.Elections, rescreen.Election{Meta: rescreen.Meta{Source: "CLASS_COUNSEL", SourceID: "E-9"}, Person: pref("NOBODY"), Choice: "B_RETURN"})
	for name, tt := range map[string]struct {
		d    *rescreen.Dataset
		want Outcome
	}{
		"nil":              {nil, OutcomeNeedsInfo},
		"empty":            {&rescreen.Dataset{}, OutcomeNeedsInfo},
		"family only":      {newFamily().dataset(), OutcomeNotCovered},
		"two families":     {twoFamilies, OutcomeManualReview},
		"no family record": {noFamily, OutcomeNeedsInfo},
		"foreign election": {foreign, OutcomeManualReview},
	} {
		r := e.Evaluate(tt.d, asOf)
		if isFailed(r) {
			t.Errorf("%s: evaluation failed: %s", name, r.Criteria[0].Detail)
		}
		if r.Outcome != tt.want {
			t.Errorf("%s: outcome %s, want %s", name, r.Outcome, tt.want)
		}
		checkInvariants(t, name, r)
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSplitFamilies(t *testing.T) {
	a := negNegFamily().dataset()
	b := sc10()
	for i := range b.d.Families {
		b.d.Families[i].SourceID = "F-0"
	}
	for i := range b.d.Persons {
		b.d.Persons[i].SourceID = "Q" + b.d.Persons[i].SourceID
		b.d.Persons[i].Family = rescreen.NewRef("MANUAL", "F-0")
	}
	var all rescreen.Dataset
	all.Families = append(append(all.Families, a.Families...), b.d.Families...)
	all.Persons = append(append(all.Persons, a.Persons...), b.d.Persons...)
	all.Separations = append(all.Separations, a.Separations...)
	all.Screenings = append(all.Screenings, a.Screenings...)
	all.Custody = append(all.Custody, a.Custody...)
	all.Proceedings = append(all.Proceedings, a.Proceedings...)
	// A record that reaches no family is dropped.
	all.Screenings = append(all.Screenings, rescreen.Screening{Meta: rescreen.Meta{Source: "USCIS_GLOBAL", SourceID: "X"}, Person: pref("NOBODY")})
	// A short reference resolves against the record's own source.
	all.Contacts = append(all.Contacts, rescreen.ContactAttempt{Meta: rescreen.Meta{Source: "CBP_E3", SourceID: "K-1"}, Person: "P-1"})
	parts := SplitFamilies(&all)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	if parts[0].Families[0].SourceID != "F-0" || parts[1].Families[0].SourceID != "F-1" {
		t.Errorf("families not in key order: %s, %s", parts[0].Families[0].SourceID, parts[1].Families[0].SourceID)
	}
	if len(parts[0].Screenings) != 0 || len(parts[1].Screenings) != len(a.Screenings) || len(parts[1].Persons) != 2 || len(parts[1].Contacts) != 1 {
		t.Errorf("records not split by family: %d, %d screenings, %d persons, %d contacts", len(parts[0].Screenings), len(parts[1].Screenings), len(parts[1].Persons), len(parts[1].Contacts))
	}
	got := mustEngine(t, nil).Evaluate(parts[1], day(asOf2019))
	if got.Outcome != OutcomeRemovalMay {
		t.Errorf("split family outcome %s", got.Outcome)
	}
	if SplitFamilies(nil) != nil {
		t.Error("SplitFamilies(nil) is not nil")
	}
}
