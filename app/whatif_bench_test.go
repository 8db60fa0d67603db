package app_test

import (
	"context"
	"os"
	"runtime"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
)

// BenchmarkWhatIf compares two rule sets over the store at
// $RESCREEN_BENCH_DB; one op is one pass over the whole class.
func BenchmarkWhatIf(b *testing.B) {
	path := os.Getenv("RESCREEN_BENCH_DB")
	if path == "" {
		b.Skip("set RESCREEN_BENCH_DB to a store to compare rule sets over")
	}
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a, _ := rules.NewEngine(nil)
	bb, err := rules.NewEngine(rules.Params{"cfg.removed_member_counts_as": "OUTSIDE_UNIT"})
	if err != nil {
		b.Fatal(err)
	}
	s := app.New(db)
	for i := 0; i < b.N; i++ {
		rep, err := s.WhatIf(context.Background(), a, bb, rescreen.NewDate(2018, 12, 1), runtime.GOMAXPROCS(0))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Families), "families")
	}
}
