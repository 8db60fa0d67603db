package web

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"rescreen"
)

// chain wraps h in the middleware, the first listed outermost. The chain is
// composed once, in NewServer, so every route gets the same treatment.
//
// The order matters: track must come first because the log and the metrics
// read what it records; recovery comes last, next to the handlers, so that a
// panic turns into a 500 that the log, the metrics and the security headers
// all still see.
func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// reqInfo is what the middleware learn about one request. The mux fills in
// route after matching; the recorder keeps the status the handler wrote.
type reqInfo struct {
	id    string
	route string
	start time.Time
	rec   *recorder
}

type infoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	info, _ := ctx.Value(infoKey{}).(*reqInfo)
	return info
}

// requestIDFrom returns the request's id, or "" outside the middleware.
func requestIDFrom(ctx context.Context) string {
	if info := infoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// routeOf returns the matched route pattern of the request.
func routeOf(r *http.Request) string {
	if info := infoFrom(r.Context()); info != nil && info.route != "" {
		return info.route
	}
	return "unmatched"
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (to flush or to
// set deadlines) through the recorder.
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// wrote reports whether the response has started, after which no error
// page can replace it.
func (rw *recorder) wrote() bool { return rw.status != 0 }

// code returns the status sent, 200 if the handler wrote nothing at all.
func (rw *recorder) code() int {
	if rw.status == 0 {
		return http.StatusOK
	}
	return rw.status
}

// track starts the per-request record that requestID, the access log and
// the metrics share, so that all three report the same status and route.
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &reqInfo{start: time.Now(), rec: &recorder{ResponseWriter: w}}
		next.ServeHTTP(info.rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
	})
}

// goodRequestID accepts an incoming X-Request-Id only if it is short and
// plain, because it ends up in logs and response headers.
var goodRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID gives every request an id, taken from a proxy's X-Request-Id if
// it sent a sane one, and echoes it, so a user can quote it and an operator
// can find the request in the log.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !goodRequestID.MatchString(id) {
			id = rand.Text()
		}
		if info := infoFrom(r.Context()); info != nil {
			info.id = id
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r)
	})
}

// accessLog writes one line per request. It logs the route pattern, never
// the path or the query: paths carry ids, and the UI's search query carries
// names and A-numbers, which must not collect in logs.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		info := infoFrom(r.Context())
		if info == nil {
			return
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", info.id),
			slog.String("method", methodLabel(r.Method)),
			slog.String("route", routeOf(r)),
			slog.Int("status", info.rec.code()),
			slog.Int64("bytes", info.rec.bytes),
			slog.Duration("duration", time.Since(info.start)))
	})
}

// observe counts the request in the metrics once it is done.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if info := infoFrom(r.Context()); info != nil {
			s.metrics.observe(routeOf(r), methodLabel(r.Method), info.rec.code(), time.Since(info.start))
		}
	})
}

// securityHeaders sets the headers every response carries. The UI uses no
// scripts, frames or foreign resources, so the policy can be this strict;
// no-referrer keeps ids and search terms out of other sites' logs.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverPanic turns a panic in a handler into a 500, logged with its stack
// and the request id, so that one bad request cannot take the process down
// or leave the client without an answer. http.ErrAbortHandler is passed on,
// because it is the way to abort a response on purpose.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic",
				slog.String("request_id", requestIDFrom(r.Context())),
				slog.String("route", routeOf(r)),
				slog.Any("panic", v),
				slog.String("stack", string(debug.Stack())))
			if info := infoFrom(r.Context()); info != nil && info.rec.wrote() {
				return // too late for an error page; the client sees a cut response
			}
			s.fail(w, r, rescreen.Errorf(rescreen.EINTERNAL, "panic"))
		}()
		next.ServeHTTP(w, r)
	})
}

// methodLabel keeps the method label to the methods HTTP defines, so that
// made-up methods cannot create new time series or log values.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// crossOrigin refuses a state-changing request that a browser sends from
// another site (by its Sec-Fetch-Site or Origin header): a page elsewhere
// cannot make a signed-in officer's browser record a screening, confirm a
// link or change a language. Requests without those headers (API clients
// such as curl) and same-origin requests pass; GET and HEAD always pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	var cop http.CrossOriginProtection
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := cop.Check(r); err != nil {
			err := rescreen.Errorf(rescreen.EFORBIDDEN, "%s", s.cats[language(r)].text("error.crossSite"))
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.apiError(w, r, err)
			} else {
				s.uiError(w, r, err)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}
