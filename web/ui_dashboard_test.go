package web

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"rescreen"
)

// Stats counts the fake's families the way the contract says: as of the
// fake's day, from the dossiers and their determinations.
func (f *fakeFamilies) Stats(ctx context.Context) (rescreen.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return rescreen.Stats{}, err
	}
	today := rescreen.DateOf(f.now)
	st := rescreen.Stats{AsOf: today, Countries: []rescreen.CountryCount{}, OverdueByClock: []rescreen.OverdueCount{}}
	stages, outcomes := map[string]int{}, map[string]int{}
	countries := map[string]*rescreen.CountryCount{}
	var order []string
	clocks := map[string]*rescreen.OverdueCount{}
	var clockOrder []string
	for _, id := range f.sortedIDs() {
		d := f.dossiers[id]
		st.Families++
		stages[string(d.Stage)]++
		for i := range d.Records.Persons {
			p := &d.Records.Persons[i]
			st.Persons++
			c := countries[p.Country]
			if c == nil {
				c = &rescreen.CountryCount{Country: p.Country}
				countries[p.Country] = c
				order = append(order, p.Country)
			}
			c.Persons++
			if !p.BirthDate.IsZero() && p.BirthDate.AgeOn(today) < 5 {
				st.UnderFive++
			}
		}
		if d.Determination == nil {
			st.NotEvaluated++
			continue
		}
		outcomes[string(d.Determination.Outcome)]++
		held, overdue := false, false
		for _, p := range d.Determination.Persons {
			if p.Hold.Held {
				held = true
				st.HeldMembers++
			}
			for _, x := range p.Deadlines {
				if x.Status == "MISSED" || (x.Status == "OPEN" && x.Due.Before(today)) {
					overdue = true
					st.Overdue++
					c := clocks[x.ID]
					if c == nil {
						c = &rescreen.OverdueCount{Clock: x.ID, Title: x.Title}
						clocks[x.ID] = c
						clockOrder = append(clockOrder, x.ID)
					}
					c.Deadlines++
				}
			}
		}
		if held {
			st.HeldFamilies++
		}
		if overdue {
			st.OverdueFamilies++
		}
	}
	for _, v := range rescreen.Stage("").Values() {
		st.Stages = append(st.Stages, rescreen.Count{Value: v, N: stages[v]})
	}
	for _, v := range enumValues["outcome"] {
		st.Outcomes = append(st.Outcomes, rescreen.Count{Value: v, N: outcomes[v]})
	}
	for _, c := range order {
		st.Countries = append(st.Countries, *countries[c])
	}
	slices.SortStableFunc(st.Countries, func(a, b rescreen.CountryCount) int {
		return cmp.Or(cmp.Compare(b.Persons, a.Persons), strings.Compare(a.Country, b.Country))
	})
	for _, c := range clockOrder {
		st.OverdueByClock = append(st.OverdueByClock, *clocks[c])
	}
	return st, nil
}

func bodyOf(t *testing.T, env *testEnv, target, lang string) (int, string) {
	t.Helper()
	req := newRequest("GET", target)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	w := serve(env, req)
	return w.Code, w.Body.String()
}

// heldDetermination is a determination holding both members of the sample
// family, with a deadline of the parent's that fell due before the fake's
// day and one that has not.
func heldDetermination(d *rescreen.Dossier) *rescreen.Determination {
	p := d.Records.Persons
	return &rescreen.Determination{Outcome: rescreen.OutcomePending, Persons: []rescreen.PersonDetermination{
		{Person: p[0].Key(), Hold: rescreen.Hold{Held: true, Rule: "H-1"}, Deadlines: []rescreen.Deadline{
			{ID: "T-2", Title: "Interview <within> 10 days", Due: rescreen.MustDate("2018-06-01"), Status: "OPEN"},
			{ID: "T-3", Title: "Later", Due: rescreen.MustDate("2019-01-01"), Status: "OPEN"},
		}},
		{Person: p[1].Key(), Hold: rescreen.Hold{Held: true, Rule: "H-1"}},
	}}
}

func TestUIDashboard(t *testing.T) {
	env := newEnv(t)
	// A second family of another country, evaluated and held; a third with
	// a child under five on the fake's day (2018-06-21).
	d, err := env.fam.CreateFamily(t.Context(), sampleDataset("FAM-2", "Rosa", "López"))
	if err != nil {
		t.Fatal(err)
	}
	env.fam.dossiers[d.FamilyID].Determination = heldDetermination(d)
	young := sampleDataset("FAM-3", "Juana", "Xuc")
	young.Persons[1].BirthDate = rescreen.MustDate("2016-01-01")
	young.Persons[0].Country, young.Persons[1].Country = "HN", "HN"
	if _, err := env.fam.CreateFamily(t.Context(), young); err != nil {
		t.Fatal(err)
	}
	w := env.do(t, "GET", "/dashboard", "")
	if w.Code != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"<title>Dashboard · rescreen</title>",
		"Counts as of 2018-06-21.",
		"<dt>Families</dt><dd>3</dd>",
		"<dt>Members</dt><dd>6</dd>",
		"<dt>Removal holds in force</dt><dd>families: 1; members held: 2</dd>",
		"<dt>Children under five</dt><dd>1</dd>",
		"<dt>Overdue deadlines</dt><dd>deadlines: 1; families: 1</dd>",
		"<dt>Not evaluated yet</dt><dd>2</dd>",
		// Stages, linked to the list of families at that stage.
		`<tr><th scope="row"><a href="/?stage=IDENTIFIED">Identified</a></th><td class="num">3</td></tr>`,
		`<tr><th scope="row"><a href="/?stage=ELECTED">Election received</a></th><td class="num">0</td></tr>`,
		`<tr><th scope="row">Pending</th><td class="num">1</td></tr>`,
		`<tr><th scope="row"><a href="/?country=GT">GT</a></th><td class="num">4</td></tr>`,
		`<tr><th scope="row"><a href="/?country=HN">HN</a></th><td class="num">2</td></tr>`,
		// The overdue deadline, its title inert.
		`<tr><th scope="row">T-2</th><td>Interview &lt;within&gt; 10 days</td><td class="num">1</td></tr>`,
		// Each chart is an image with a title and a description of every bar.
		`<svg role="img" aria-labelledby="chart-stages-title chart-stages-desc"`,
		`<title id="chart-stages-title">Families by stage</title>`,
		`<desc id="chart-stages-desc">Identified: 3; Contacted: 0; Election received: 0;`,
		`<desc id="chart-outcomes-desc">Pending: 1;`,
		"Not evaluated yet: 2</desc>",
		`<desc id="chart-countries-desc">GT: 4; HN: 2</desc>`,
		"<caption>Families by stage, as a table</caption>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %s", want)
		}
	}
	if strings.Contains(body, "T-3") {
		t.Error("a deadline not yet due is shown as overdue")
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
		t.Error("the dashboard uses a script or an inline style, which the policy forbids")
	}
	// The bars are drawn to scale: the largest is the full length, a
	// zero is none.
	bars := regexp.MustCompile(`<rect x="0" y="\d+" width="(\d+)"`).FindAllStringSubmatch(body, -1)
	widths := map[string]int{}
	for _, b := range bars {
		widths[b[1]]++
	}
	if widths[fmt.Sprint(chartBarMax)] == 0 || widths["0"] == 0 {
		t.Errorf("bar widths %v: no full bar or no empty one", widths)
	}
}

// TestUIDashboardBilingual renders the dashboard in every language with
// real counts: no key shows in place of a message, the Spanish page is in
// Spanish, and the numbers are the same.
func TestUIDashboardBilingual(t *testing.T) {
	env := newEnv(t)
	for _, lang := range languages {
		code, body := bodyOf(t, env, "/dashboard", lang)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", lang, code)
		}
		if m := missingKeyRE.FindString(body); m != "" {
			t.Errorf("%s shows the key %s", lang, m)
		}
		if !strings.Contains(body, `<html lang="`+lang+`">`) {
			t.Errorf("%s: the page does not say its language", lang)
		}
	}
	_, body := bodyOf(t, env, "/dashboard", "es")
	for _, want := range []string{"<title>Panel · rescreen</title>", "Cifras al 2018-06-21.", "<dt>Familias</dt><dd>1</dd>",
		"<dt>Miembros</dt><dd>2</dd>", "Familias por etapa", "Identificada", "Elección recibida", "Aún sin evaluar", "Ningún plazo está vencido."} {
		if !strings.Contains(body, want) {
			t.Errorf("the Spanish dashboard lacks %q", want)
		}
	}
}

func TestUIDashboardCountryChartGroupsTheRest(t *testing.T) {
	env := newEnv(t)
	for i, c := range []string{"MX", "HN", "SV", "NI", "CR", "PA", "CO", "EC", "PE", "VE", "CU", "BR"} {
		ds := sampleDataset(fmt.Sprintf("FAM-C%d", i), "Ana", "Pérez")
		ds.Persons[0].Country, ds.Persons[1].Country = c, ""
		if _, err := env.fam.CreateFamily(t.Context(), ds); err != nil {
			t.Fatal(err)
		}
	}
	body := env.do(t, "GET", "/dashboard", "").Body.String()
	desc := regexp.MustCompile(`<desc id="chart-countries-desc">([^<]*)</desc>`).FindStringSubmatch(body)
	if desc == nil {
		t.Fatal("no country chart")
	}
	if n := strings.Count(desc[1], ";") + 1; n != chartCountries+1 || !strings.HasSuffix(desc[1], "Other countries: 4") {
		t.Errorf("country chart: %d bars: %s", n, html.UnescapeString(desc[1]))
	}
	// The table lists every country, and the members with none.
	if !strings.Contains(body, `<tr><th scope="row">Not recorded</th><td class="num">12</td></tr>`) ||
		!strings.Contains(body, `<a href="/?country=VE">VE</a>`) {
		t.Error("the country table does not list every country")
	}
}

func TestUIDashboardError(t *testing.T) {
	env := newEnv(t)
	env.fam.fail = errDatabaseDown
	w := env.do(t, "GET", "/dashboard", "")
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "10.0.0.5") {
		t.Fatalf("a failing store: %d\n%s", w.Code, w.Body)
	}
}
