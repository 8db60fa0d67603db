package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"rescreen/app"
	"rescreen/exchange"
	"rescreen/rules"
	"rescreen/synth"
)

// BenchmarkImportClass imports the default synthetic class (about 57,000
// records of every kind) into an empty store; one op is one whole import.
func BenchmarkImportClass(b *testing.B) {
	dir := b.TempDir()
	cw, err := exchange.NewCSVWriter(filepath.Join(dir, "class"))
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.Generate(synth.DefaultConfig(), cw.WriteDataset); err != nil {
		b.Fatal(err)
	}
	cw.Close()
	inputs, err := exchange.Inputs([]string{filepath.Join(dir, "class")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	records := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := mustService(b)
		sum, err := s.Import(context.Background(), inputs, app.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		records = sum.Created
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkImportDir imports the exchange files in $RESCREEN_BENCH_DIR into
// an empty store; one op is one whole import. For profiling large imports.
func BenchmarkImportDir(b *testing.B) {
	dir := os.Getenv("RESCREEN_BENCH_DIR")
	if dir == "" {
		b.Skip("set RESCREEN_BENCH_DIR to a directory of exchange files")
	}
	inputs, err := exchange.Inputs([]string{dir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	records := 0
	eng, err := rules.NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		s := mustService(b)
		s.Rules = eng // every family is evaluated, as the command line does
		sum, err := s.Import(context.Background(), inputs, app.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		records = sum.Created
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
