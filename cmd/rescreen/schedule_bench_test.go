package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/app"
	"rescreen/rules"
	"rescreen/sqlstore"
	"rescreen/web"
)

// BenchmarkSchedulePage measures the scheduling queue's page, GET
// /schedule, through the whole handler (session, policy, access log, the
// queue's read with the principal's reach, the masking, the template), one
// request at a time, and reports the 50th and 99th percentiles and the
// maximum. It reads the store at RESCREEN_PAGE_STORE (a data directory
// holding rescreen.db), else a synthetic class of RESCREEN_BENCH_FAMILIES
// families (default 100,000) built under the temporary directory; families
// whose derivation is stale are derived first, as the server does at
// start, and the time it took is logged. RESCREEN_QUEUE_ASOF=YYYY-MM-DD
// evaluates the store as of that day instead of today.
//
// The cases: class counsel over every family, the first page and a page
// drawn at random from the whole queue (by its cursors), and the
// unscheduled filter; and asylum officers whose scope is one asylum
// office, whose reach filters the queue: the office with the most persons
// on the queue and the one with the fewest.
//
//	RESCREEN_PAGE_STORE=/path/to/data RESCREEN_QUEUE_ASOF=2018-12-14 go test ./cmd/rescreen -run '^$' -bench SchedulePage -benchtime 2000x
func BenchmarkSchedulePage(b *testing.B) {
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
	start := time.Now()
	// RESCREEN_QUEUE_ASOF sets the service's today: a store of a class
	// whose interviews are long over, evaluated today, has nobody waiting,
	// so the benchmark evaluates it as of a day when the class was
	// waiting. Families last evaluated on another day are derived again.
	if v := os.Getenv("RESCREEN_QUEUE_ASOF"); v != "" {
		asOf, err := rescreen.ParseDate(v)
		if err != nil {
			b.Fatal(err)
		}
		s.Now = func() time.Time { return asOf.Time().Add(15 * time.Hour) }
		err = s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error {
			return tx.Exec(ctx, `UPDATE families SET dirty = 1 WHERE id IN (SELECT family_id FROM determinations WHERE as_of <> ?)`, asOf.String())
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.MarkOutdated(ctx); err != nil {
		b.Fatal(err)
	}
	n, err := s.DeriveDirty(ctx, "benchmark start")
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("derived %d families in %s", n, time.Since(start).Round(time.Millisecond))

	// Every page's cursor, and the queue's length, read as the process.
	cursors := []string{""}
	rows := 0
	offices := map[string]int{} // queue rows by asylum office
	for after := ""; ; {
		page, err := s.SchedulingQueue(ctx, rescreen.QueueFilter{Limit: 500, After: after})
		if err != nil {
			b.Fatal(err)
		}
		rows += len(page.Items)
		for _, it := range page.Items {
			res, err := s.Resource(ctx, it.FamilyID)
			if err != nil {
				b.Fatal(err)
			}
			for _, u := range res.Units {
				if strings.HasPrefix(u, "office:") {
					offices[u]++
				}
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	for after := ""; ; {
		page, err := s.SchedulingQueue(ctx, rescreen.QueueFilter{Limit: 50, After: after})
		if err != nil {
			b.Fatal(err)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
		cursors = append(cursors, after)
	}
	// The office with the most rows on the queue, and the one with the
	// fewest.
	var big, small string
	for u, n := range offices {
		if big == "" || n > offices[big] || (n == offices[big] && u < big) {
			big = u
		}
		if small == "" || n < offices[small] || (n == offices[small] && u < small) {
			small = u
		}
	}
	b.Logf("%d persons on the queue, %d pages; by office %v", rows, len(cursors), offices)

	h, err := web.NewServer(web.Config{Families: s, Audit: s, Rules: s, Links: s, Auth: s, Access: s, Reports: app.NewReports(s), Notices: s, Now: s.Now})
	if err != nil {
		b.Fatal(err)
	}
	signIn := func(user string, a access.Assignment) *http.Cookie {
		const password = "a benchmark's password"
		if _, err := s.AddUser(ctx, user, "", password, []access.Assignment{a}); err != nil && rescreen.ErrorCode(err) != rescreen.ECONFLICT {
			b.Fatal(err)
		}
		sess, err := s.SignIn(ctx, user, password, "127.0.0.1")
		if err != nil {
			b.Fatal(err)
		}
		return &http.Cookie{Name: "rescreen_session", Value: sess.Token}
	}
	counsel := signIn("bench-counsel", access.Assignment{Role: access.ClassCounsel, Scope: access.All})
	officer := signIn("bench-officer", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{big}})
	smallOfficer := signIn("bench-officer-small", access.Assignment{Role: access.AsylumOfficer, Scope: access.Unit, Units: []string{small}})
	r := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name   string
		cookie *http.Cookie
		target func() string
	}{
		{"counsel-first", counsel, func() string { return "/schedule" }},
		{"counsel-random-page", counsel, func() string {
			c := cursors[r.IntN(len(cursors))]
			if c == "" {
				return "/schedule"
			}
			return "/schedule?after=" + url.QueryEscape(c)
		}},
		{"counsel-unscheduled", counsel, func() string { return "/schedule?scheduled=no" }},
		{"officer-first", officer, func() string { return "/schedule" }},
		{"officer-small-office", smallOfficer, func() string { return "/schedule" }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			size := 0
			for b.Loop() {
				req := httptest.NewRequest("GET", tc.target(), nil)
				req.AddCookie(tc.cookie)
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d\n%.500s", w.Code, w.Body)
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
			b.ReportMetric(float64(rows), "queued")
		})
	}
}
