package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/exchange"
	"rescreen/sqlstore"
	"rescreen/synth"
	"rescreen/web"
)

// benchStore returns a store holding a synthetic class of n families,
// building it once under the system's temporary directory and reusing it
// in later runs (delete the directory to rebuild).
func benchStore(b *testing.B, n int) *app.Service {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "rescreen-bench-"+strconv.Itoa(n))
	dbPath := filepath.Join(dir, "rescreen.db")
	done := filepath.Join(dir, "complete")
	ctx := context.Background()
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		class := filepath.Join(dir, "class.json")
		cfg := synth.DefaultConfig()
		cfg.Families = n
		if err := writeSynth(ctx, env{getenv: os.Getenv, stdout: io.Discard, stderr: io.Discard}, cfg, class, "json", false); err != nil {
			b.Fatal(err)
		}
		db, err := sqlstore.Open(ctx, dbPath)
		if err != nil {
			b.Fatal(err)
		}
		inputs, err := exchange.Inputs([]string{class}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := app.New(db).Import(ctx, inputs, app.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		db.Close()
		os.Remove(class)
		os.WriteFile(done, nil, 0o644)
	}
	db, err := sqlstore.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return app.New(db)
}

// BenchmarkGetFamilyHTTP measures GET /api/v1/families/{id} over loopback
// HTTP with keep-alive, on a store of RESCREEN_BENCH_FAMILIES families
// (default 100,000), from as many client goroutines as GOMAXPROCS.
func BenchmarkGetFamilyHTTP(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("RESCREEN_BENCH_FAMILIES")); err == nil && v > 0 {
		n = v
	}
	s := benchStore(b, n)
	var ids []rescreen.FamilyID
	for after := ""; len(ids) < 20000; {
		page, err := s.ListFamilies(context.Background(), rescreen.Filter{Limit: 500, After: after})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range page.Items {
			ids = append(ids, f.ID)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			resp, err := client.Get(srv.URL + "/api/v1/families/" + string(ids[r.IntN(len(ids))]))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
