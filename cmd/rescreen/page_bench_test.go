package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/web"
)

// BenchmarkFamilyPage measures the family page, GET /families/{id},
// rendered server-side through the whole handler (middleware, routing,
// the session's lookup, the access policy's check and the access log's
// append to the audit chain, the store's reads, the determination
// expanded from its compact form, the template) one request at a time, for families drawn at random from
// the whole store, and reports the 50th and 99th percentiles and the
// maximum of the requests' times. The store is the one at
// RESCREEN_PAGE_STORE (a data directory holding rescreen.db, as
// `rescreen import --data-dir` writes it), else a synthetic class of
// RESCREEN_BENCH_FAMILIES families (default 100,000) built once under the
// temporary directory. Families evaluated under another rule-set version
// are evaluated again first, as the server does at start.
//
//	RESCREEN_PAGE_STORE=/path/to/data go test ./cmd/rescreen -run '^$' -bench FamilyPage -benchtime 5000x
func BenchmarkFamilyPage(b *testing.B) {
	ctx := rescreen.WithActor(context.Background(), "bench")
	var s *app.Service
	if dir := os.Getenv("RESCREEN_PAGE_STORE"); dir != "" {
		db, err := sqlstore.Open(ctx, filepath.Join(dir, "rescreen.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		s = app.New(db)
	} else {
		n := 100000
		if v, err := strconv.Atoi(os.Getenv("RESCREEN_BENCH_FAMILIES")); err == nil && v > 0 {
			n = v
		}
		s = benchStore(b, n)
	}
	eng, err := rules.NewEngine(nil)
	if err != nil {
		b.Fatal(err)
	}
	s.Rules = eng
	if _, err := s.MarkOutdated(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DeriveDirty(ctx, "benchmark start"); err != nil {
		b.Fatal(err)
	}
	var ids []rescreen.FamilyID
	for after := ""; ; {
		page, err := s.ListFamilies(ctx, rescreen.Filter{Limit: 500, After: after})
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
	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s})
	if err != nil {
		b.Fatal(err)
	}
	// Signed in as class counsel over every family: each request pays the
	// session's lookup, the policy's check and the access log's append
	// to the audit chain.
	const user, password = "bench-counsel", "a benchmark's password"
	if _, err := s.AddUser(ctx, user, "", password, []access.Assignment{{Role: access.ClassCounsel, Scope: access.All}}); err != nil && rescreen.ErrorCode(err) != rescreen.ECONFLICT {
		b.Fatal(err)
	}
	sess, err := s.SignIn(ctx, user, password, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	cookie := &http.Cookie{Name: "rescreen_session", Value: sess.Token}
	// In English the page shows the rules' explanations as written; in
	// Spanish it translates each one (the first sight of a sentence cuts
	// it into phrases; after that the cache answers).
	for _, lang := range []string{"en", "es"} {
		b.Run(lang, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			times := make([]time.Duration, 0, b.N)
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", "/families/"+string(ids[r.IntN(len(ids))]), nil)
				req.AddCookie(cookie)
				req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
				size += w.Body.Len()
			}
			b.StopTimer()
			slices.Sort(times)
			q := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
			b.ReportMetric(float64(size)/float64(len(times)), "bytes/page")
			b.ReportMetric(float64(len(ids)), "families")
		})
	}
}
