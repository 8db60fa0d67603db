// Package web speaks HTTP for rescreen: a JSON API under /api/v1 for class
// counsel's tools and agency systems, a small HTML UI for people, and the
// operational endpoints /healthz and /metrics.
//
// The package holds no business rules. Every handler parses the request,
// calls one method of a root service interface and writes one response, so
// that the CLI and the tests reach the same logic through the same
// contracts. Errors are mapped to HTTP statuses in exactly one table
// (errors.go), and every route is registered in routes.go, where the OpenAPI
// document and its coverage test can see them.
package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"rescreen"
)

// Config holds what the server needs from the outside world. The services
// arrive as root interfaces so that web never depends on the store or on
// app, and tests can hand in fakes.
type Config struct {
	// Families reads and changes families; required.
	Families rescreen.FamilyService
	// Audit reads the audit chain; required.
	Audit rescreen.AuditService
	// Rules reads the rule book and the decision log; required.
	Rules rescreen.RulesService
	// Links keeps the links between person records and the reviewers'
	// decisions; required.
	Links rescreen.LinkService
	// Auth signs users in and says who makes a request; required.
	Auth rescreen.AuthService
	// Access tells the access policy about families and keeps the access
	// log; required.
	Access rescreen.AccessService
	// Reports makes the court status report for the dashboard and
	// /report. Nil leaves the report out: the dashboard has no section
	// for it and /report answers 404.
	Reports rescreen.ReportService
	// Notices issues notices, gives their documents back and keeps the
	// outreach queue. Nil leaves the notices and outreach pages out: their
	// routes answer 404, and the family page shows no notices section.
	Notices rescreen.NoticeService
	// Court keeps the court's record: the cases and their approvals, the
	// objections, and the deadlines entered from court orders. Nil leaves
	// /court and /deadlines out (their routes answer 404) and the tasks
	// page without its block of court-order deadlines.
	Court rescreen.CourtService
	// Logger receives the access log and the details of internal errors.
	// Nil discards them, which suits tests but not production.
	Logger *slog.Logger
	// Version is reported in the build info metric; empty means "dev".
	Version string
	// Ready reports whether the server can do its work, typically by
	// pinging the database; /healthz answers 503 while it fails. Nil means
	// always ready.
	Ready func(ctx context.Context) error
	// Now is the clock of "today" on the pages (the deadlines' as-of date,
	// "not in the future" on the forms); nil means time.Now. It should be
	// the service's clock.
	Now func() time.Time
}

// Server is the HTTP front end. It is safe for concurrent use; everything it
// holds is either immutable after NewServer or guarded (the metrics).
type Server struct {
	families rescreen.FamilyService
	audit    rescreen.AuditService
	rules    rescreen.RulesService
	links    rescreen.LinkService
	auth     rescreen.AuthService
	access   rescreen.AccessService
	reports  rescreen.ReportService
	notices  rescreen.NoticeService
	court    rescreen.CourtService
	signins  *signinLimiter
	log      *slog.Logger
	version  string
	ready    func(ctx context.Context) error
	now      func() time.Time

	mux     *http.ServeMux
	routes  []route // every registered route, in registration order
	handler http.Handler

	metrics *metrics
	pages   map[string]map[string]*template.Template // by language, then page
	cats    map[string]catalog
	src     map[string]*sourceCatalog // translations of the rules' English, by language
	css     staticFile
	openapi []byte
	started time.Time
}

// NewServer checks the configuration, parses the templates, builds the
// OpenAPI document and composes the middleware chain, all once, so that a
// broken template or schema stops the boot rather than a user's request.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Families == nil {
		return nil, errors.New("web: Config.Families is required")
	}
	if cfg.Audit == nil {
		return nil, errors.New("web: Config.Audit is required")
	}
	if cfg.Rules == nil {
		return nil, errors.New("web: Config.Rules is required")
	}
	if cfg.Links == nil {
		return nil, errors.New("web: Config.Links is required")
	}
	if cfg.Auth == nil {
		return nil, errors.New("web: Config.Auth is required")
	}
	if cfg.Access == nil {
		return nil, errors.New("web: Config.Access is required")
	}
	s := &Server{
		families: cfg.Families,
		audit:    cfg.Audit,
		rules:    cfg.Rules,
		links:    cfg.Links,
		auth:     cfg.Auth,
		access:   cfg.Access,
		reports:  cfg.Reports,
		notices:  cfg.Notices,
		court:    cfg.Court,
		signins:  newSigninLimiter(),
		log:      cfg.Logger,
		version:  cfg.Version,
		ready:    cfg.Ready,
		now:      cfg.Now,
		mux:      http.NewServeMux(),
		started:  time.Now(),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.version == "" {
		s.version = "dev"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ready == nil {
		s.ready = func(context.Context) error { return nil }
	}
	var err error
	if s.css, err = loadStatic("static/style.css", "text/css; charset=utf-8"); err != nil {
		return nil, err
	}
	if s.cats, err = loadCatalogs(files); err != nil {
		return nil, err
	}
	if s.src, err = loadSourceCatalogs(files); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(s.cats, s.src); err != nil {
		return nil, err
	}
	s.registerRoutes()
	s.metrics = newMetrics(s.version)
	if s.openapi, err = s.buildOpenAPI(); err != nil {
		return nil, err
	}
	s.handler = chain(http.HandlerFunc(s.dispatch),
		s.track,
		s.requestID,
		s.accessLog,
		s.observe,
		securityHeaders,
		s.recoverPanic,
		s.crossOrigin,
		s.authenticate,
		s.logAccess,
	)
	return s, nil
}

// ServeHTTP makes the Server an http.Handler, so that cmd/rescreen can hand
// it to an http.Server and tests to httptest without a listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// route is one registered method and pattern, with its access policy.
// Keeping the list lets the OpenAPI test compare the document with what is
// really served, and the access test try every route.
type route struct {
	Method string
	Path   string
	policy policy
}

// handle registers h for "METHOD /path" under its access policy and
// remembers the route. All routes go through here, so none can be served
// without being listed or without a policy.
func (s *Server) handle(pattern string, pol policy, h http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("web: route pattern must be \"METHOD /path\": " + pattern)
	}
	if pol.kind == 0 || (pol.kind > kindSignedIn && pol.need.Level == 0) {
		panic("web: route without a policy: " + pattern)
	}
	if pol.kind >= kindFamily && !strings.Contains(path, "{id}") {
		panic("web: a family's route needs an {id}: " + pattern)
	}
	s.routes = append(s.routes, route{Method: method, Path: path, policy: pol})
	s.mux.HandleFunc(pattern, s.authorize(pol, h))
}

// RouteInfo is one route and its access policy in words.
type RouteInfo struct {
	Method, Path, Policy string
}

// Routes lists every route the server answers, with its policy.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteInfo{Method: r.Method, Path: r.Path, Policy: r.policy.String()}
	}
	return out
}

// dispatch hands the request to the mux. The mux's own 404 and 405 answers
// are plain text; dispatch replaces them with a JSON error under /api/ and
// an HTML page elsewhere, and records the matched pattern for the log and
// the metrics, which must never see raw paths (they carry ids).
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if info := infoFrom(r.Context()); info != nil {
		info.route = routeLabel(pattern)
	}
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// No pattern matched: run the mux's fallback into a recorder only to
	// learn whether it is a 404 or a 405 (and the Allow header).
	rec := &discardWriter{header: http.Header{}}
	h.ServeHTTP(rec, r)
	switch rec.code {
	case http.StatusMethodNotAllowed:
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.fail(w, r, rescreen.Errorf(codeMethod, "The method %s is not allowed here.", r.Method))
	default:
		s.fail(w, r, rescreen.Errorf(rescreen.ENOTFOUND, "There is nothing at this address."))
	}
}

// fail answers with an error in the form the client expects: JSON for the
// API, an HTML page for the UI.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.uiError(w, r, err)
}

// isAPI reports whether the request is for the JSON API (or /healthz and
// /metrics, whose clients are machines).
func isAPI(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/metrics"
}

// routeLabel turns a mux pattern such as "GET /api/v1/families/{id}" into
// the label "/api/v1/families/{id}"; unmatched requests share one label so
// that scanners cannot blow up the metrics' cardinality.
func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// discardWriter records a status and headers and drops the body.
type discardWriter struct {
	header http.Header
	code   int
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}

// writeBuffered writes a fully rendered body; rendering into a buffer first
// means a failure can still become a clean error response.
func writeBuffered(w http.ResponseWriter, status int, contentType string, body *bytes.Buffer) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = body.WriteTo(w)
}
