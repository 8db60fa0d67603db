package app_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/linkage"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/synth"
)

// benchFamilies is the size of the store the dashboard and search
// benchmarks read: RESCREEN_BENCH_FAMILIES, default 100,000.
func benchFamilies() int {
	if v, err := strconv.Atoi(os.Getenv("RESCREEN_BENCH_FAMILIES")); err == nil && v > 0 {
		return v
	}
	return 100000
}

// evaluatedStore returns a service on a store of a synthetic class of n
// families, every one evaluated under the default rules, as the command
// line's import leaves it. The store is built once under the system's
// temporary directory (minutes at 100,000 families) and reused by later
// runs; delete the directory to rebuild it.
func evaluatedStore(b *testing.B, n int) *app.Service {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(os.TempDir(), "rescreen-bench-evaluated-"+strconv.Itoa(n))
	dbPath := filepath.Join(dir, "rescreen.db")
	done := filepath.Join(dir, "complete")
	eng, err := rules.NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		class := filepath.Join(dir, "class")
		cw, err := exchange.NewCSVWriter(class)
		if err != nil {
			b.Fatal(err)
		}
		cfg := synth.DefaultConfig()
		cfg.Families = n
		if err := synth.Generate(cfg, cw.WriteDataset); err != nil {
			b.Fatal(err)
		}
		if err := cw.Close(); err != nil {
			b.Fatal(err)
		}
		db, err := sqlstore.Open(ctx, dbPath)
		if err != nil {
			b.Fatal(err)
		}
		s := app.New(db)
		s.Rules = eng
		inputs, err := exchange.Inputs([]string{class}, nil)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := s.Import(ctx, inputs, app.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.Logf("built a store of %d evaluated families in %s", n, time.Since(start).Round(time.Second))
		db.Close()
		os.RemoveAll(class)
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s := app.New(db)
	s.Rules = eng
	return s
}

// BenchmarkStats measures the dashboard's counts on a store of
// RESCREEN_BENCH_FAMILIES evaluated families (default 100,000); one op is
// one Stats call, as one view of the dashboard makes.
func BenchmarkStats(b *testing.B) {
	s := evaluatedStore(b, benchFamilies())
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if st.Families != benchFamilies() || st.HeldFamilies == 0 {
		b.Fatalf("the store's counts: %+v", st)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Stats(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch measures searches of each kind on the same store: a
// common name as typed, misspelled names (phonetic and fuzzy tiers), an
// A-number in another format, and an agency's source id.
func BenchmarkSearch(b *testing.B) {
	s := evaluatedStore(b, benchFamilies())
	ctx := context.Background()
	page, err := s.ListPersons(ctx, rescreen.Filter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatal("no person", err)
	}
	p, _, err := s.GetPerson(ctx, page.Items[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	anums, err := s.DB.ANumbers(ctx, []rescreen.PersonID{page.Items[0].ID})
	if err != nil || len(anums[page.Items[0].ID]) == 0 {
		b.Fatal("the first person has no A-number", err)
	}
	a := anums[page.Items[0].ID][0] // A012345678
	sur := []rune(rescreen.Fold(p.FirstSurname))
	if len(sur) > 3 {
		sur[1], sur[2] = sur[2], sur[1]
	}
	for _, q := range []struct{ name, q string }{
		{"exact", p.GivenNames + " " + p.FirstSurname},
		{"phonetic", "Ximenes"},
		{"fuzzy", rescreen.Fold(p.GivenNames) + " " + string(sur)},
		{"a-number", a[1:4] + "-" + a[4:7] + "-" + a[7:]},
		{"source-id", p.SourceID},
	} {
		b.Run(q.name, func(b *testing.B) {
			r, err := s.Search(ctx, q.q, 0)
			if err != nil {
				b.Fatal(err)
			}
			if len(r.Hits) == 0 {
				b.Fatalf("%q finds nothing", q.q)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.Search(ctx, q.q, 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Hits)), "hits")
		})
	}
}

// BenchmarkSearchLargeVocabulary measures the phonetic and fuzzy tiers
// against a vocabulary of 200,000 distinct name words (the synthetic
// class's names use a few hundred; a national class with its misspellings
// has many more), where the fuzzy tier compares the query's words with
// every word of about their length.
func BenchmarkSearchLargeVocabulary(b *testing.B) {
	s := mustSearchClass(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var words []sqlstore.NameWord
	for len(words) < 200000 {
		n := 3 + r.IntN(9)
		w := make([]byte, n)
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		words = append(words, sqlstore.NameWord{Word: string(w), Key: linkage.Phonetic(string(w))})
	}
	if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.PutNameWords(ctx, words) }); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"Maria Lpoez", "Ximenes", "Juana Tsul"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				res, err := s.Search(ctx, q, 0)
				if err != nil || len(res.Hits) == 0 {
					b.Fatal(q, err)
				}
			}
		})
	}
}
