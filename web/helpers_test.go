package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"rescreen"
)

// testEnv is a server over fakes, with its log captured.
type testEnv struct {
	srv    *Server
	fam    *fakeFamilies
	audit  *fakeAudit
	links  *fakeLinks
	auth   *fakeAuth
	logs   *syncBuffer
	ready  error
	family rescreen.FamilyID // the family seeded by newEnv
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newEnv(tb testing.TB) *testEnv {
	tb.Helper()
	env := &testEnv{
		fam:   newFakeFamilies(),
		audit: &fakeAudit{seq: 42, hash: strings.Repeat("ab", 32)},
		links: newFakeLinks(),
		logs:  &syncBuffer{},
	}
	env.auth = newFakeAuth(env.fam, env.links)
	srv, err := NewServer(Config{
		Families: env.fam,
		Audit:    env.audit,
		Rules:    &fakeRules{fam: env.fam},
		Links:    env.links,
		Auth:     env.auth,
		Access:   env.auth,
		Logger:   slog.New(slog.NewJSONHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version:  "test-1",
		Ready:    func(ctxt context.Context) error { return env.ready },
	})
	if err != nil {
		tb.Fatal(err)
	}
	env.srv = srv
	d, err := env.fam.CreateFamily(context.Background(), sampleDataset("FAM-1", "María José", "Pérez"))
	if err != nil {
		tb.Fatal(err)
	}
	env.family = d.FamilyID
	return env
}

// do sends a request through the whole handler, middleware included. A
// non-empty body is sent as JSON.
func (e *testEnv) do(tb testing.TB, method, target, body string) *httptest.ResponseRecorder {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.serveHTTP(w, req)
	return w
}

// serveHTTP serves the request through the whole handler; a request with
// no credentials of its own is sent with the all-powerful test token.
func (e *testEnv) serveHTTP(w http.ResponseWriter, req *http.Request) {
	if _, err := req.Cookie(sessionCookie); err != nil && req.Header.Get("Authorization") == "" && req.Header.Get("X-No-Auth") == "" {
		req.Header.Set("Authorization", "Bearer "+allToken)
	}
	req.Header.Del("X-No-Auth")
	e.srv.ServeHTTP(w, req)
}

// decode unmarshals a JSON response into v.
func decode(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("Content-Type = %q, want JSON; body:\n%s", ct, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		tb.Fatalf("decode %s: %v", w.Body, err)
	}
}

// apiErr decodes an error response and checks its status and code.
func apiErr(tb testing.TB, w *httptest.ResponseRecorder, status int, code string) errorDetail {
	tb.Helper()
	if w.Code != status {
		tb.Fatalf("status = %d, want %d; body:\n%s", w.Code, status, w.Body)
	}
	var b errorBody
	decode(tb, w, &b)
	if b.Error.Code != code {
		tb.Fatalf("code = %q, want %q; body:\n%s", b.Error.Code, code, w.Body)
	}
	if b.Error.Message == "" {
		tb.Fatalf("error without a message: %s", w.Body)
	}
	return b.Error
}

// hasProblem reports whether the error names the field.
func hasProblem(d errorDetail, field string) bool {
	for _, p := range d.Problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func newRequest(method, target string) *http.Request {
	return httptest.NewRequest(method, target, nil)
}

func serve(env *testEnv, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	return w
}
