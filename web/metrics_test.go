package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestMetricsExposition(t *testing.T) {
	env := newEnv(t)
	env.do(t, "GET", "/api/v1/families/"+string(env.family), "")
	env.do(t, "GET", "/api/v1/families/"+string(env.family), "")
	env.do(t, "GET", "/api/v1/families/F99999", "")
	env.do(t, "GET", "/no/such/thing", "")
	env.do(t, "BREW", "/api/v1/families", "")

	w := env.do(t, "GET", "/metrics", "")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		"# TYPE http_requests_total counter",
		`http_requests_total{route="/api/v1/families/{id}",method="GET",code="200"} 2`,
		`http_requests_total{route="/api/v1/families/{id}",method="GET",code="404"} 1`,
		`http_requests_total{route="unmatched",method="GET",code="404"} 1`,
		`http_requests_total{route="unmatched",method="OTHER",code="405"} 1`,
		"# TYPE http_request_duration_seconds histogram",
		`http_request_duration_seconds_bucket{route="/api/v1/families/{id}",le="+Inf"} 3`,
		`http_request_duration_seconds_count{route="/api/v1/families/{id}"} 3`,
		"# TYPE go_goroutines gauge",
		"# TYPE go_memstats_heap_alloc_bytes gauge",
		"# TYPE process_start_time_seconds gauge",
		`rescreen_build_info{version="test-1",goversion="go`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s\n%s", want, body)
		}
	}
	if strings.Contains(body, "F99999") || strings.Contains(body, string(env.family)) {
		t.Error("a raw path (with an id) became a label")
	}
	// Every sample line is "name{labels} value" or "name value".
	line := regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ([-+0-9.eE]+|NaN|\+Inf)$`)
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "#") && !line.MatchString(l) {
			t.Errorf("malformed sample line %q", l)
		}
	}
	// Buckets are cumulative.
	bucket := regexp.MustCompile(`http_request_duration_seconds_bucket\{route="/api/v1/families/\{id\}",le="[^"]+"\} (\d+)`)
	prev := "0"
	for _, m := range bucket.FindAllStringSubmatch(body, -1) {
		if len(m[1]) < len(prev) || (len(m[1]) == len(prev) && m[1] < prev) {
			t.Errorf("bucket counts go down: %s after %s", m[1], prev)
		}
		prev = m[1]
	}
}

func TestQuoteLabel(t *testing.T) {
	if got := quote("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("quote = %s", got)
	}
}
