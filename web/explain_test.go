package web

import (
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"rescreen"
	"rescreen/rules"
	"rescreen/synth"
)

func spanish(t *testing.T) *sourceCatalog {
	t.Helper()
	src, err := loadSourceCatalogs(files)
	if err != nil {
		t.Fatal(err)
	}
	sc := src["es"]
	if sc == nil {
		t.Fatal("no Spanish source catalogue")
	}
	return sc
}

// TestSourceCatalogComplete fails on a fixed phrase of the rules' source,
// a rule, a rule's reason for not being encoded or a parameter's
// description that the Spanish catalogue does not translate, and on a
// catalogue entry that no longer matches anything the rules write.
func TestSourceCatalogComplete(t *testing.T) {
	sc := spanish(t)
	want := rulePhrases(t)
	e, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		for _, s := range []string{r.Title, r.Text, r.NotEncodedReason} {
			if s != "" {
				want[s] = "book"
			}
		}
	}
	for _, p := range e.ParamDefs() {
		if p.Description != "" {
			want[p.Description] = "book"
		}
	}
	var missing []string
	for s, cat := range want {
		if _, ok := sc.m[s]; !ok {
			missing = append(missing, cat+": "+s)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("not translated: locales/es/source/%q", m)
	}
	for k := range sc.m {
		if _, ok := want[k]; !ok && placeholders(k) == 0 {
			t.Errorf("stale: the Spanish source catalogue translates %q, which the rules no longer write", k)
		}
	}
	if len(want) < 900 {
		t.Errorf("only %d phrases found in the rules' source and book: the reader of the source is broken", len(want))
	}
}

// explanations calls fn with every text an evaluation of the synthetic
// class writes, as the family page shows it: criterion tests and details,
// hold reasons and lift conditions, deadline titles and details.
func explanations(t *testing.T, families int, fn func(kind, s string, vals rescreen.TextValues)) {
	t.Helper()
	e, err := rules.NewEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	asOfs := []rescreen.Date{rescreen.MustDate("2018-07-15"), rescreen.MustDate("2019-06-01"), rescreen.MustDate("2026-11-01")}
	crit := func(cs []rescreen.Criterion) {
		for _, c := range cs {
			fn("test", c.Test, nil)
			fn("detail", c.Detail, c.DetailValues)
		}
	}
	err = synth.Generate(synth.Config{Families: families, Seed: synth.DefaultSeed}, func(d *rescreen.Dataset) error {
		for _, asOf := range asOfs {
			r := e.Evaluate(d, asOf)
			crit(r.Criteria)
			for _, p := range r.Persons {
				crit(p.StateCriteria)
				for _, c := range p.Coverage {
					crit(c.Criteria)
				}
				for _, c := range p.Remedies {
					crit(c.Criteria)
				}
				for _, c := range p.Elections {
					crit(c.Criteria)
				}
				fn("reason", p.Hold.Reason, p.Hold.ReasonValues)
				fn("lift", p.Hold.LiftCondition, p.Hold.LiftValues)
				for _, dl := range p.Deadlines {
					fn("title", dl.Title, nil)
					fn("deadline", dl.Detail, dl.DetailValues)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExplanationsTranslated translates every explanation the rules write
// for a synthetic class at three dates (the injunction, the first year,
// today) and fails on any text with English left in it. It also checks the
// value marks: each is inside its text, in order, and what they mark is
// kept as it is in the translation.
func TestExplanationsTranslated(t *testing.T) {
	families := 3000
	if testing.Short() {
		families = 300
	}
	sc := spanish(t)
	texts, whole, bad := 0, 0, 0
	patterns := map[string]int{}
	explanations(t, families, func(kind, s string, vals rescreen.TextValues) {
		if s == "" {
			return
		}
		texts++
		if !wellFormed(s, vals) {
			t.Fatalf("%s %q: value marks %v do not fit the text", kind, s, vals)
		}
		got, ok := sc.translate(s, vals)
		if !ok {
			bad++
			if bad <= 20 {
				t.Errorf("%s not wholly translated:\n  en: %s\n  es: %s", kind, s, got)
			}
			return
		}
		for i := 0; i < len(vals); i += 2 {
			v := s[vals[i]:vals[i+1]]
			if _, phrase := sc.m[v]; !phrase && !strings.Contains(got, v) {
				t.Errorf("%s: the value %q is lost in the translation %q", kind, v, got)
			}
		}
		if _, ok := sc.m[s]; ok {
			whole++
			return
		}
		if p := pattern(s, vals); p != "" {
			if _, ok := sc.m[p]; ok {
				whole++
				return
			}
			patterns[p]++
		}
	})
	if bad > 0 {
		t.Errorf("%d of %d texts have English left in them", bad, texts)
	}
	t.Logf("%d texts: %d translated whole (%.1f%%), the rest phrase by phrase; %d patterns have no whole translation",
		texts, whole, 100*float64(whole)/float64(texts), len(patterns))
}

// pattern is the text with each value written {1}, {2}, …
func pattern(s string, vals rescreen.TextValues) string {
	if len(vals) == 0 {
		return ""
	}
	var b strings.Builder
	at := int32(0)
	for i := 0; i < len(vals); i += 2 {
		b.WriteString(s[at:vals[i]])
		b.WriteString("{" + itoa(i/2+1) + "}")
		at = vals[i+1]
	}
	b.WriteString(s[at:])
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestTranslateForms(t *testing.T) {
	sc := &sourceCatalog{m: map[string]string{}, trie: &phraseNode{}, cache: map[string]string{}}
	for k, v := range map[string]string{
		"Born ":            "Nacido el ",
		", aged ":          ", con edad de ",
		" when separated.": " al ser separado.",
		"Born {1}, aged {2} when separated on {3}.": "Nacido el {1}; tenía {2} años al ser separado el {3}.",
		"Option A (stay and seek relief)":           "Opción A (quedarse y pedir protección)",
		" chose ":                                   " eligió ",
		"The member is held.":                       "El miembro está suspendido.",
	} {
		sc.m[k] = v
		if placeholders(k) == 0 {
			sc.trie.add(k)
		}
	}
	cases := []struct {
		s    string
		vals rescreen.TextValues
		want string
		ok   bool
	}{
		// A sentence without values, whole.
		{"The member is held.", nil, "El miembro está suspendido.", true},
		// A pattern, its values reordered as the translation says.
		{"Born 2004-03-19, aged 14 when separated on 2018-06-10.", rescreen.TextValues{5, 15, 22, 24, 43, 53},
			"Nacido el 2004-03-19; tenía 14 años al ser separado el 2018-06-10.", true},
		// No pattern: the runs between values phrase by phrase.
		{"Born 2004-03-19, aged 14 when separated.", rescreen.TextValues{5, 15, 22, 24},
			"Nacido el 2004-03-19, con edad de 14 al ser separado.", true},
		// A run made of two phrases, and a value that is itself a phrase.
		{"Ana chose Option A (stay and seek relief)", rescreen.TextValues{0, 3, 10, 41},
			"Ana eligió Opción A (quedarse y pedir protección)", true},
		// A name that happens to contain a phrase's words is a value: kept.
		{"Born  chose Born", rescreen.TextValues{5, 16}, "Nacido el  chose Born", true},
		// English the catalogue lacks stays, and the text is reported.
		{"Born 2004-03-19, the member was unknown.", rescreen.TextValues{5, 15},
			"Nacido el 2004-03-19, the member was unknown.", false},
		// A value that reads like a placeholder is written as it is.
		{"Born {2}, aged {1} when separated on 2018-06-10.", rescreen.TextValues{5, 8, 15, 18, 37, 47},
			"Nacido el {2}; tenía {1} años al ser separado el 2018-06-10.", true},
		// Marks that do not fit the text: all of it read as phrases.
		{"Born  chose ", rescreen.TextValues{9, 3}, "Nacido el  eligió ", true},
	}
	for _, c := range cases {
		got, ok := sc.translate(c.s, c.vals)
		if got != c.want || ok != c.ok {
			t.Errorf("translate(%q, %v) = %q, %v; want %q, %v", c.s, c.vals, got, ok, c.want, c.ok)
		}
		if got := sc.explain(c.s, c.vals); got != c.want {
			t.Errorf("explain(%q) = %q; want %q", c.s, got, c.want)
		}
	}
	var en *sourceCatalog
	if got := en.explain("The member is held.", nil); got != "The member is held." {
		t.Errorf("English explain = %q", got)
	}
}

func TestSourceCatalogRejectsBadPatterns(t *testing.T) {
	for _, bad := range []string{
		`{"Born {1} on {2}.": "Nacido el {1}."}`,
		`{"Born {1} on {2}.": "Nacido el {1} el {1}."}`,
		`{"Born ": ""}`,
	} {
		fsys := fstest.MapFS{"locales/es/source/x.json": {Data: []byte(bad)}}
		if _, err := loadSourceCatalogs(fsys); err == nil {
			t.Errorf("%s: loaded", bad)
		}
	}
}
