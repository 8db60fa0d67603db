package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGetFamily measures GET /api/v1/families/{id} through the whole
// handler (middleware, routing, encoding) over the in-memory fake, so it
// shows the cost of the web layer alone; the store's cost is measured in
// sqlstore.
func BenchmarkGetFamily(b *testing.B) {
	env := newEnv(b)
	target := "/api/v1/families/" + string(env.family)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", target, nil)
		w := httptest.NewRecorder()
		env.serveHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
