package e2e

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/synth"
	"rescreen/web"
)

// classFamilies is the size of the synthetic class the tests import: enough
// for a list to page and for a family of every outcome, small enough to
// import in about a tenth of a second.
const classFamilies = 60

// today is the service's clock. It is fixed so that determinations,
// deadlines and the screenshots come out the same on every run; it falls
// after the settlement's final approval (2018-11-15) and the synthetic
// class's re-interviews.
var today = time.Date(2019, 6, 3, 9, 0, 0, 0, time.UTC)

// site is the application under test.
type site struct {
	URL string       // http://127.0.0.1:PORT, no trailing slash
	Svc *app.Service // to read what the browser changed
	Fam scenarioFamily
}

// scenarioFamily is the family the officer's scenario works on: one parent
// and one child, both held while the parent's settlement review is pending.
type scenarioFamily struct {
	ID            rescreen.FamilyID
	Parent, Child rescreen.Person
}

// startSite imports a synthetic class into a fresh store and serves the
// real UI on a loopback port, as `rescreen serve` does (same server, same
// rules engine with its default parameters), until the test ends.
func startSite(t *testing.T) *site {
	t.Helper()
	ctx := rescreen.WithActor(context.Background(), "e2e")
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := app.New(db)
	s.Now = func() time.Time { return today }
	s.NewID = app.CounterIDs()
	if s.Rules, err = rules.NewEngine(rules.Params{}); err != nil {
		t.Fatal(err)
	}

	cfg := synth.DefaultConfig()
	cfg.Families = classFamilies
	var buf bytes.Buffer
	jw := exchange.NewJSONWriter(&buf)
	n := 0
	err = synth.Generate(cfg, func(d *rescreen.Dataset) error {
		if err := jw.WriteDataset(d); err != nil {
			return err
		}
		if n++; n == reviewFamily {
			return jw.WriteDataset(detentionRecord(d.Persons[0]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := jw.Close(); err != nil {
		t.Fatal(err)
	}
	class := filepath.Join(t.TempDir(), "class.json")
	if err := os.WriteFile(class, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, err := exchange.Inputs([]string{class}, nil)
	if err != nil {
		t.Fatal(err)
	}
	th := rescreen.DefaultLinkThresholds
	if _, err := s.Import(ctx, inputs, app.ImportOptions{Link: &th}); err != nil {
		t.Fatal(err)
	}

	// The officer of the tests: an asylum officer who is also class
	// counsel, over every family, so that one user can walk through
	// screenings, elections and the review of links.
	s.HashParams = access.HashParams{Memory: 64, Time: 1, Threads: 1}
	if _, err := s.AddUser(ctx, officerName, "E2E Officer", officerPassword, []access.Assignment{
		{Role: access.AsylumOfficer, Scope: access.All}, {Role: access.ClassCounsel, Scope: access.All}}); err != nil {
		t.Fatal(err)
	}

	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Court: s, Version: "e2e", Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{URL: srv.URL, Svc: s, Fam: findScenarioFamily(t, s)}
}

// The user the tests sign in as.
const (
	officerName     = "ao-e2e"
	officerPassword = "correct horse battery staple"
)

// reviewFamily is the class's family (counted from 1) whose first parent
// the detention agency also holds a record of, with too little in common
// to link without a reviewer.
const reviewFamily = 2

// detentionRecord returns the detention agency's own record of a person,
// in a family of its own, as such systems hold them: the name without
// accents or a second surname, and no birth date. Linkage finds it but
// queues it for review rather than linking it, so that the review queue
// has a pair to show.
func detentionRecord(p rescreen.Person) *rescreen.Dataset {
	fam := rescreen.Family{Meta: rescreen.Meta{Source: rescreen.SourceICE, SourceID: "FAM-" + p.SourceID}}
	dup := p
	dup.Meta = rescreen.Meta{Source: rescreen.SourceICE, SourceID: "SUBJ-" + p.SourceID}
	dup.Family = fam.Key()
	dup.GivenNames, dup.FirstSurname, dup.SecondSurname = unaccent(p.GivenNames), unaccent(p.FirstSurname), ""
	dup.BirthDate = rescreen.Date{}
	return &rescreen.Dataset{Families: []rescreen.Family{fam}, Persons: []rescreen.Person{dup}}
}

// findScenarioFamily picks, from the class, the first family of one parent
// and one child whose outcome is PENDING with both held, whose parent
// awaits the settlement review, and whose parent's name can be misspelled
// (see misspell) for the search to forgive. Picking
// by these facts rather than by id keeps the scenario meaningful if the
// generator changes.
func findScenarioFamily(t *testing.T, s *app.Service) scenarioFamily {
	t.Helper()
	ctx := context.Background()
	page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: classFamilies})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range page.Items {
		if f.Parents != 1 || f.Children != 1 {
			continue
		}
		d, err := s.GetFamily(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Determination == nil || d.Determination.Outcome != rescreen.OutcomePending || len(d.Unit) > 0 {
			continue
		}
		held := true
		for _, p := range d.Determination.Persons {
			held = held && p.Hold.Held
		}
		var fam scenarioFamily
		for _, p := range d.Records.Persons {
			if p.Role.IsAdult() {
				fam.Parent = p
			} else {
				fam.Child = p
			}
		}
		awaiting := false
		for _, sc := range d.Records.Screenings {
			awaiting = awaiting || (sc.Person == fam.Parent.Key() && sc.Occasion == rescreen.OccasionSettlement && sc.Result == rescreen.ResultPending)
		}
		if held && awaiting && misspell(fam.Parent) != fam.Parent.GivenNames+" "+fam.Parent.FirstSurname {
			fam.ID = f.ID
			return fam
		}
	}
	t.Fatalf("the synthetic class of %d families has no family for the scenario (one parent and one child, both held while the parent's settlement review is pending)", classFamilies)
	return scenarioFamily{}
}

// misspell writes a person's given names and first surname as a clerk
// might have heard them: without accents, and with one letter of the
// surname swapped for one that sounds alike (Zúniga as Suniga).
func misspell(p rescreen.Person) string {
	surname := unaccent(p.FirstSurname)
	for _, sw := range soundAlike {
		if i := strings.Index(strings.ToLower(surname), sw[0]); i >= 0 {
			repl := sw[1]
			if unicode.IsUpper(rune(surname[i])) {
				repl = strings.ToUpper(repl[:1]) + repl[1:]
			}
			surname = surname[:i] + repl + surname[i+len(sw[0]):]
			break
		}
	}
	return unaccent(p.GivenNames) + " " + surname
}

// unaccent drops the accents of Spanish letters, as English-only systems
// did.
func unaccent(s string) string {
	return strings.Map(func(r rune) rune {
		if b, ok := unaccented[r]; ok {
			return b
		}
		return r
	}, s)
}

var unaccented = map[rune]rune{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n',
	'Á': 'A', 'É': 'E', 'Í': 'I', 'Ó': 'O', 'Ú': 'U', 'Ü': 'U', 'Ñ': 'N',
}

// soundAlike are letters Spanish speakers say alike, in lower case; the
// first the surname has is swapped.
var soundAlike = [][2]string{{"z", "s"}, {"v", "b"}, {"b", "v"}, {"ll", "y"}, {"s", "z"}, {"j", "h"}}
