package web

import "rescreen/access"

// registerRoutes lists every route the server answers, each with its
// access policy (auth.go). It is the one place to read the whole surface. Each route goes through s.handle, which records
// it, so the OpenAPI test can check that the document and this list agree.
// The UI index uses "/{$}" because a bare "/" would match every unknown path
// and swallow the 404s.
func (s *Server) registerRoutes() {
	// JSON API.
	s.handle("GET /api/v1/families", list(access.Identity, access.Read), s.apiFamilyList)
	s.handle("POST /api/v1/families", list(access.Identity, access.Write), s.apiFamilyCreate)
	s.handle("GET /api/v1/families/{id}", family(access.Identity, access.Read), s.apiFamilyGet)
	s.handle("POST /api/v1/families/{id}/changes", family(access.Identity, access.Read), s.apiFamilyChanges)
	s.handle("GET /api/v1/families/{id}/decisions", family(access.Status, access.Read), s.apiFamilyDecisions)
	s.handle("GET /api/v1/persons", list(access.Identity, access.Read), s.apiPersonList)
	s.handle("POST /api/v1/persons/query", list(access.Identity, access.Read), s.apiPersonList)
	s.handle("POST /api/v1/families/query", list(access.Identity, access.Read), s.apiFamilyList)
	s.handle("POST /api/v1/families/{id}/split", family(access.Links, access.Write), s.apiFamilySplit)
	s.handle("GET /api/v1/persons/{id}", person(access.Identity, access.Read), s.apiPersonGet)
	s.handle("POST /api/v1/persons/{id}/split", person(access.Links, access.Write), s.apiPersonSplit)
	s.handle("GET /api/v1/links", list(access.Links, access.Read), s.apiLinkList)
	s.handle("GET /api/v1/links/{id}", link(access.Links, access.Read), s.apiLinkGet)
	s.handle("POST /api/v1/links/{id}/decision", link(access.Links, access.Write), s.apiLinkDecide)
	s.handle("GET /api/v1/schedule", list(access.Screenings, access.Read), s.apiSchedule)
	s.handle("GET /api/v1/families/{id}/schedule-plan", family(access.Screenings, access.Read), s.apiSchedulePlan)
	s.handle("POST /api/v1/families/{id}/appointments", family(access.Screenings, access.Write), s.apiAppointmentCreate)
	s.handle("POST /api/v1/families/{id}/appointments/{appointment}", family(access.Screenings, access.Write), s.apiAppointmentChange)
	s.handle("GET /api/v1/rules", about(access.Rules, access.Read), s.apiRuleBook)
	s.handle("GET /api/v1/families/{id}/audit", family(access.AuditLog, access.Read), s.apiFamilyAudit)
	s.handle("GET /api/v1/audit/head", about(access.Chain, access.Read), s.apiAuditHead)
	s.handle("GET /api/v1/audit/verify", about(access.Chain, access.Read), s.apiAuditVerify)
	s.handle("GET /api/openapi.json", public(), s.apiOpenAPI)

	// Operations.
	s.handle("GET /healthz", public(), s.healthz)
	s.handle("GET /metrics", about(access.Counts, access.Read), s.serveMetrics)

	// HTML UI.
	s.handle("GET /{$}", signedIn(), s.uiFamilyList)
	s.handle("GET /families/{id}", family(access.Identity, access.Read), s.uiFamilyView)
	s.handle("GET /dashboard", about(access.Counts, access.Read), s.uiDashboard)
	s.handle("GET /report", about(access.Counts, access.Read), s.uiReport)
	s.handle("GET /report/{file}", about(access.Counts, access.Read), s.uiReportFile)
	s.handle("GET /search", list(access.Identity, access.Read), s.uiSearch)
	s.handle("POST /search", list(access.Identity, access.Read), s.uiSearch)
	s.handle("GET /rules", about(access.Rules, access.Read), s.uiRules)
	s.handle("GET /links", list(access.Links, access.Read), s.uiLinkList)
	s.handle("GET /links/{id}", link(access.Links, access.Read), s.uiLinkView)
	s.handle("POST /links/{id}/decision", link(access.Links, access.Write), s.uiLinkDecide)
	s.handle("POST /persons/{id}/split", person(access.Links, access.Write), s.uiPersonSplit)
	s.handle("POST /families/{id}/split", family(access.Links, access.Write), s.uiFamilySplit)
	s.handle("GET /families/{id}/screenings/new", family(access.Screenings, access.Write), s.uiScreeningNew)
	s.handle("POST /families/{id}/screenings", family(access.Screenings, access.Write), s.uiScreeningCreate)
	s.handle("GET /families/{id}/elections/new", family(access.Elections, access.Write), s.uiElectionNew)
	s.handle("POST /families/{id}/elections", family(access.Elections, access.Write), s.uiElectionCreate)
	s.handle("GET /static/{file}", public(), s.uiStatic)
	s.handle("POST /language", public(), s.uiLanguage)
	s.handle("GET /tasks", list(access.Status, access.Read), s.uiTasks)
	// Scheduling: the queue lists families whose screenings the user may
	// read; booking is a change of the family's screenings.
	s.handle("GET /schedule", list(access.Screenings, access.Read), s.uiSchedule)
	s.handle("GET /families/{id}/appointments/new", family(access.Screenings, access.Write), s.uiAppointmentNew)
	s.handle("POST /families/{id}/appointments", family(access.Screenings, access.Write), s.uiAppointmentCreate)
	s.handle("GET /families/{id}/appointments/{appointment}", family(access.Screenings, access.Write), s.uiAppointmentEdit)
	s.handle("POST /families/{id}/appointments/{appointment}", family(access.Screenings, access.Write), s.uiAppointmentChange)
	// The court's record: no one family's, so COURT with no family; the
	// service masks objectors and leaves out deadlines about families the
	// user does not reach.
	s.handle("GET /court", about(access.Court, access.Read), s.uiCourt)
	s.handle("POST /court/approvals", about(access.Court, access.Write), s.uiApprovalCreate)
	s.handle("POST /court/objections", about(access.Court, access.Write), s.uiObjectionCreate)
	s.handle("GET /court/objections/{objection}", about(access.Court, access.Read), s.uiObjectionView)
	s.handle("POST /court/objections/{objection}", about(access.Court, access.Write), s.uiObjectionUpdate)
	s.handle("GET /deadlines", about(access.Court, access.Read), s.uiDeadlines)
	s.handle("POST /deadlines", about(access.Court, access.Write), s.uiDeadlineCreate)
	s.handle("GET /deadlines/{deadline}", about(access.Court, access.Read), s.uiDeadlineView)
	s.handle("POST /deadlines/{deadline}/ledger", about(access.Court, access.Write), s.uiLedgerAppend)
	s.handle("POST /deadlines/{deadline}/completion", about(access.Court, access.Write), s.uiDeadlineComplete)
	s.handle("GET /sign-in", public(), s.uiSignInForm)
	s.handle("POST /sign-in", public(), s.uiSignIn)
	s.handle("POST /sign-out", signedIn(), s.uiSignOut)
	s.handle("GET /families/{id}/audit", family(access.AuditLog, access.Read), s.uiFamilyAudit)
	s.handle("POST /families/{id}/notices", family(access.Contact, access.Write), s.uiNoticeIssue)
	s.handle("POST /families/{id}/notices/{notice}/delivery", family(access.Contact, access.Write), s.uiNoticeDelivery)
	s.handle("GET /families/{id}/documents/{sha256}", family(access.Contact, access.Read), s.uiNoticeDocument)
	s.handle("POST /families/{id}/contacts", family(access.Contact, access.Write), s.uiContactCreate)
	s.handle("GET /outreach", list(access.Contact, access.Read), s.uiOutreach)
}
