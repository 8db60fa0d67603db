package web

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"net/http"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// durationBuckets are the upper bounds, in seconds, of the request duration
// histogram. They are Prometheus's defaults: a list lookup takes
// milliseconds, a large import seconds, and both must land in a bucket.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests for /metrics. It is written by hand in the
// Prometheus text format because three metric families do not justify a
// client library and its dependencies (style guide §19).
type metrics struct {
	version string
	start   time.Time

	mu        sync.Mutex
	requests  map[requestKey]uint64
	durations map[string]*histogram // by route
}

type requestKey struct {
	route, method string
	code          int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	count  uint64
}

func newMetrics(version string) *metrics {
	return &metrics{
		version:   version,
		start:     time.Now(),
		requests:  map[requestKey]uint64{},
		durations: map[string]*histogram{},
	}
}

// observe counts one finished request. Labels are bounded by construction:
// route is a registered pattern or "unmatched", method one of HTTP's own.
func (m *metrics) observe(route, method string, code int, d time.Duration) {
	sec := d.Seconds()
	i, _ := slices.BinarySearch(durationBuckets, sec)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, code}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets)+1)}
		m.durations[route] = h
	}
	h.counts[i]++
	h.sum += sec
	h.count++
}

// runtimeSamples are read through runtime/metrics, which unlike
// runtime.ReadMemStats does not stop the world on every scrape.
var runtimeSamples = []struct{ metric, name, help, typ string }{
	{"/sched/goroutines:goroutines", "go_goroutines", "Number of goroutines that currently exist.", "gauge"},
	{"/memory/classes/heap/objects:bytes", "go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", "gauge"},
	{"/gc/cycles/total:gc-cycles", "go_gc_cycles_total", "Completed garbage collection cycles.", "counter"},
}

// write renders every metric in the Prometheus text exposition format
// (version 0.0.4), with series sorted so that scrapes diff cleanly.
func (m *metrics) write(buf *bytes.Buffer) {
	m.mu.Lock()
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		return cmp.Or(strings.Compare(a.route, b.route), strings.Compare(a.method, b.method), cmp.Compare(a.code, b.code))
	})
	counts := make([]uint64, len(keys))
	for i, k := range keys {
		counts[i] = m.requests[k]
	}
	routes := make([]string, 0, len(m.durations))
	hists := map[string]histogram{}
	for r, h := range m.durations {
		routes = append(routes, r)
		hists[r] = histogram{counts: slices.Clone(h.counts), sum: h.sum, count: h.count}
	}
	m.mu.Unlock()
	slices.Sort(routes)

	header(buf, "http_requests_total", "HTTP requests handled, by route pattern, method and status code.", "counter")
	for i, k := range keys {
		fmt.Fprintf(buf, "http_requests_total{route=%s,method=%s,code=\"%d\"} %d\n", quote(k.route), quote(k.method), k.code, counts[i])
	}

	header(buf, "http_request_duration_seconds", "Time to handle an HTTP request, by route pattern.", "histogram")
	for _, r := range routes {
		h := hists[r]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(buf, "http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(r), formatFloat(le), cum)
		}
		cum += h.counts[len(durationBuckets)]
		fmt.Fprintf(buf, "http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(r), cum)
		fmt.Fprintf(buf, "http_request_duration_seconds_sum{route=%s} %s\n", quote(r), formatFloat(h.sum))
		fmt.Fprintf(buf, "http_request_duration_seconds_count{route=%s} %d\n", quote(r), h.count)
	}

	samples := make([]rtmetrics.Sample, len(runtimeSamples))
	for i, rs := range runtimeSamples {
		samples[i].Name = rs.metric
	}
	rtmetrics.Read(samples)
	for i, rs := range runtimeSamples {
		header(buf, rs.name, rs.help, rs.typ)
		fmt.Fprintf(buf, "%s %s\n", rs.name, sampleValue(samples[i].Value))
	}

	header(buf, "process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", "gauge")
	fmt.Fprintf(buf, "process_start_time_seconds %s\n", formatFloat(float64(m.start.UnixNano())/1e9))

	header(buf, "rescreen_build_info", "Always 1; the labels say which build is running.", "gauge")
	fmt.Fprintf(buf, "rescreen_build_info{version=%s,goversion=%s} 1\n", quote(m.version), quote(runtime.Version()))
}

func header(buf *bytes.Buffer, name, help, typ string) {
	fmt.Fprintf(buf, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// quote writes a label value with the escapes the text format requires.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func sampleValue(v rtmetrics.Value) string {
	switch v.Kind() {
	case rtmetrics.KindUint64:
		return strconv.FormatUint(v.Uint64(), 10)
	case rtmetrics.KindFloat64:
		return formatFloat(v.Float64())
	}
	return "NaN" // the metric is not supported by this Go version
}

// serveMetrics answers GET /metrics.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	s.metrics.write(&buf)
	w.Header().Set("Cache-Control", "no-store")
	writeBuffered(w, http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", &buf)
}
