package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"rescreen"
)

// apiFamilyList answers GET /api/v1/families.
func (s *Server) apiFamilyList(w http.ResponseWriter, r *http.Request) {
	f, err := listFilter(w, r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.families.ListFamilies(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNilItems(page))
}

// apiFamilyCreate answers POST /api/v1/families. The Location header points
// at the new family, so a client need not build the URL itself.
func (s *Server) apiFamilyCreate(w http.ResponseWriter, r *http.Request) {
	var body datasetBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.families.CreateFamily(r.Context(), &body.Dataset)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/families/"+url.PathEscape(string(d.FamilyID)))
	writeJSON(w, http.StatusCreated, d)
}

// apiFamilyGet answers GET /api/v1/families/{id}.
func (s *Server) apiFamilyGet(w http.ResponseWriter, r *http.Request) {
	d, err := s.families.GetFamily(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// apiFamilyChanges answers POST /api/v1/families/{id}/changes.
func (s *Server) apiFamilyChanges(w http.ResponseWriter, r *http.Request) {
	var body changesBody
	if err := decodeJSON(w, r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.families.ApplyChanges(r.Context(), rescreen.FamilyID(r.PathValue("id")), body.Version, body.Changes)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// apiPersonList answers GET /api/v1/persons and POST /api/v1/persons/query.
func (s *Server) apiPersonList(w http.ResponseWriter, r *http.Request) {
	f, err := listFilter(w, r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.families.ListPersons(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNilItems(page))
}

// personResponse is the body of GET /api/v1/persons/{id}: the person and
// the family they belong to, which the Person record only names by its
// source key.
type personResponse struct {
	Person   *rescreen.Person  `json:"person"`
	FamilyID rescreen.FamilyID `json:"family_id"`
}

// apiPersonGet answers GET /api/v1/persons/{id}.
func (s *Server) apiPersonGet(w http.ResponseWriter, r *http.Request) {
	p, fid, err := s.families.GetPerson(r.Context(), rescreen.PersonID(r.PathValue("id")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, personResponse{Person: p, FamilyID: fid})
}

// auditHead is the body of GET /api/v1/audit/head. The court monitor keeps
// the hash elsewhere and later passes it to verify, which is what reveals a
// chain whose newest events were cut off.
type auditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// apiRuleBook answers GET /api/v1/rules: every rule, every parameter and
// the values in force.
func (s *Server) apiRuleBook(w http.ResponseWriter, r *http.Request) {
	book, err := s.rules.RuleBook(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, book)
}

// apiFamilyDecisions answers GET /api/v1/families/{id}/decisions: the
// family's decision log.
func (s *Server) apiFamilyDecisions(w http.ResponseWriter, r *http.Request) {
	ds, err := s.rules.Decisions(r.Context(), rescreen.FamilyID(r.PathValue("id")))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if ds == nil {
		ds = []rescreen.Decision{}
	}
	writeJSON(w, http.StatusOK, ds)
}

// apiAuditHead answers GET /api/v1/audit/head.
func (s *Server) apiAuditHead(w http.ResponseWriter, r *http.Request) {
	seq, hash, err := s.audit.AuditHead(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, auditHead{Seq: seq, Hash: hash})
}

// hashPattern is the form of an audit hash: hex SHA-256.
var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// apiAuditVerify answers GET /api/v1/audit/verify. A broken chain is a
// finding, not a failed request, so the report comes back with 200 either
// way and says itself whether the chain holds.
func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var p problems
	for name := range q {
		if name != "head" {
			p.add(name, "is not a known query parameter")
		}
	}
	head := q.Get("head")
	if len(q["head"]) > 1 {
		p.add("head", "is given more than once")
	} else if head != "" && !hashPattern.MatchString(head) {
		p.add("head", "must be 64 lower-case hexadecimal digits")
	}
	if err := p.invalid("web.apiAuditVerify"); err != nil {
		s.apiError(w, r, err)
		return
	}
	report, err := s.audit.VerifyAudit(r.Context(), head)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, report)
}

// apiOpenAPI answers GET /api/openapi.json with the document built at
// start-up.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(s.openapi)
}

// readyTimeout bounds the readiness check, so that a hung database makes
// /healthz fail rather than hang the orchestrator's probe.
const readyTimeout = 3 * time.Second

// healthz answers GET /healthz. The reason for a failure goes to the log
// only; the probe needs the status, not the database's error text.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "request_id", requestIDFrom(r.Context()), "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// nonNilItems makes an empty page encode as "items": [] rather than null,
// which clients iterating over items should not have to guard against.
func nonNilItems[T any](p rescreen.Page[T]) rescreen.Page[T] {
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}
