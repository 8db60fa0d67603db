package web

// registerRoutes lists every route the server answers. It is the one place
// to read the whole surface. Each route goes through s.handle, which records
// it, so the OpenAPI test can check that the document and this list agree.
// The UI index uses "/{$}" because a bare "/" would match every unknown path
// and swallow the 404s.
func (s *Server) registerRoutes() {
	// JSON API.
	s.handle("GET /api/v1/families", s.apiFamilyList)
	s.handle("POST /api/v1/families", s.apiFamilyCreate)
	s.handle("GET /api/v1/families/{id}", s.apiFamilyGet)
	s.handle("POST /api/v1/families/{id}/changes", s.apiFamilyChanges)
	s.handle("GET /api/v1/families/{id}/decisions", s.apiFamilyDecisions)
	s.handle("GET /api/v1/persons", s.apiPersonList)
	s.handle("POST /api/v1/families/{id}/split", s.apiFamilySplit)
	s.handle("GET /api/v1/persons/{id}", s.apiPersonGet)
	s.handle("POST /api/v1/persons/{id}/split", s.apiPersonSplit)
	s.handle("GET /api/v1/links", s.apiLinkList)
	s.handle("GET /api/v1/links/{id}", s.apiLinkGet)
	s.handle("POST /api/v1/links/{id}/decision", s.apiLinkDecide)
	s.handle("GET /api/v1/rules", s.apiRuleBook)
	s.handle("GET /api/v1/audit/head", s.apiAuditHead)
	s.handle("GET /api/v1/audit/verify", s.apiAuditVerify)
	s.handle("GET /api/openapi.json", s.apiOpenAPI)

	// Operations.
	s.handle("GET /healthz", s.healthz)
	s.handle("GET /metrics", s.serveMetrics)

	// HTML UI.
	s.handle("GET /{$}", s.uiFamilyList)
	s.handle("GET /families/{id}", s.uiFamilyView)
	s.handle("GET /dashboard", s.uiDashboard)
	s.handle("GET /search", s.uiSearch)
	s.handle("GET /rules", s.uiRules)
	s.handle("GET /links", s.uiLinkList)
	s.handle("GET /links/{id}", s.uiLinkView)
	s.handle("POST /links/{id}/decision", s.uiLinkDecide)
	s.handle("POST /persons/{id}/split", s.uiPersonSplit)
	s.handle("POST /families/{id}/split", s.uiFamilySplit)
	s.handle("GET /families/{id}/screenings/new", s.uiScreeningNew)
	s.handle("POST /families/{id}/screenings", s.uiScreeningCreate)
	s.handle("GET /families/{id}/elections/new", s.uiElectionNew)
	s.handle("POST /families/{id}/elections", s.uiElectionCreate)
	s.handle("GET /static/{file}", s.uiStatic)
	s.handle("POST /language", s.uiLanguage)
	s.handle("GET /tasks", s.uiTasks)
}
