package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"rescreen"
	"rescreen/app"
	"rescreen/report"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/synth"
)

// BenchmarkStatusReportFromFacts times the status report as of a day for
// which every family's contribution is stored (what the derivation and the
// server's daily refresh leave), over RESCREEN_REPORT_FAMILIES families
// (default 100,000). The store is built once, under the system's temporary
// directory, and kept for later runs: its families carry, in turn, the real
// contributions of 20,000 synthetic families evaluated by the rules as of
// the day (the report's cost is reading and summing the rows, which does
// not depend on whose they are); one family in a thousand has no
// contribution and is evaluated from its records. Run:
//
//	RESCREEN_REPORT_FAMILIES=1000000 go test ./app -run '^$' -bench StatusReportFromFacts -benchtime 5x
func BenchmarkStatusReportFromFacts(b *testing.B) {
	n := 100000
	if v := os.Getenv("RESCREEN_REPORT_FAMILIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("RESCREEN_REPORT_FAMILIES=%q: want a number of at least 1000", v)
		}
	}
	ctx := rescreen.WithActor(context.Background(), "bench")
	eng, err := rules.NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	asOf := rescreen.NewDate(2026, 11, 22)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("rescreen-report-bench-%d-%s", n, report.DefinitionsVersion))
	path := filepath.Join(dir, "store.db")
	if _, err := os.Stat(path); err != nil {
		if err := buildReportStore(ctx, dir, path, n, eng, asOf); err != nil {
			os.RemoveAll(dir)
			b.Fatal(err)
		}
	}
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := app.New(db)
	s.Rules = eng
	workers := runtime.GOMAXPROCS(0)
	var rep *report.Report
	b.ResetTimer()
	for b.Loop() {
		if rep, err = s.StatusReport(ctx, eng, asOf, workers); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if v, _ := rep.Get("SR-1", ""); v != int64(n) {
		b.Fatalf("SR-1 = %d, want %d", v, n)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "families/s")
}

// buildReportStore writes n families with report facts for asOf: the
// families' rows and contributions only, and, for one family in a
// thousand, its records in place of a contribution.
func buildReportStore(ctx context.Context, dir, path string, n int, eng *rules.Engine, asOf rescreen.Date) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var bodies [][]byte
	var sample []*rescreen.Dataset
	cfg := synth.DefaultConfig()
	cfg.Families = 20000
	err := synth.Generate(cfg, func(d *rescreen.Dataset) error {
		bodies = append(bodies, report.Contribution(d, eng.Evaluate(d, asOf), asOf))
		if len(sample) < n/1000 && len(bodies)%7 == 0 {
			c := &rescreen.Dataset{}
			_ = d.EachRecord(func(_ rescreen.Kind, r rescreen.Record) error { c.Add(r); return nil })
			sample = append(sample, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	key := sqlstore.ReportFactsKey{AsOf: asOf.String(), RuleVersion: eng.Version(), Definitions: report.DefinitionsVersion}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	const chunk = 50000
	for first := 0; first < n-len(sample); first += chunk {
		err := db.WithTx(ctx, func(tx *sqlstore.Tx) error {
			for i := first; i < min(first+chunk, n-len(sample)); i++ {
				id := rescreen.FamilyID(fmt.Sprintf("F-%012d", i))
				if err := tx.InsertFamily(ctx, sqlstore.FamilyRow{ID: id, Source: rescreen.SourceSynth, SourceID: string(id),
					Stage: rescreen.StageIdentified, Version: 1, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				if err := tx.PutReportFacts(ctx, id, key, bodies[i%len(bodies)]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	s := app.New(db)
	s.Rules = eng
	s.Now = func() time.Time { return now }
	for _, d := range sample {
		if _, err := s.CreateFamily(ctx, d); err != nil {
			return err
		}
	}
	// The families created carry contributions as of their derivation:
	// mark them as a change would, so that the report evaluates them.
	return db.WithTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.Exec(ctx, `UPDATE report_facts SET key_id = 0 WHERE family_id IN (SELECT id FROM families WHERE source <> 'SYNTHETIC')`)
	})
}
