package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"rescreen"
)

// The OpenAPI document is built in Go at start-up rather than kept as a
// hand-written file, because a file drifts: the record schemas come from
// rescreen.Fields, the envelopes from the Go types the handlers encode, and
// TestOpenAPICoversRoutes compares the paths with the routes registered in
// routes.go.

// schema is one JSON Schema (2020-12, as OpenAPI 3.1 uses) object.
type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

// recordName is the component name of a kind's record: its Go type's name
// (Screening, EvidenceItem), which reads better in generated clients than
// the kind's plural.
func recordName(k rescreen.Kind) string {
	return reflect.TypeOf(rescreen.NewRecord(k)).Elem().Name()
}

// recordSchema describes a kind's record from its field descriptions, the
// same ones the importer and the validators use. Records are strict on
// input, so additional properties are refused.
func recordSchema(k rescreen.Kind) schema {
	props := schema{}
	var required []string
	for _, f := range rescreen.Fields(k) {
		var p schema
		switch f.Type {
		case rescreen.TypeEnum:
			p = schema{"type": "string", "enum": f.Values}
		case rescreen.TypeDate:
			p = schema{"type": []string{"string", "null"}, "format": "date", "examples": []string{"2018-06-21"}}
		case rescreen.TypeBool:
			p = schema{"type": "boolean"}
		case rescreen.TypeList:
			p = schema{"type": "array", "items": schema{"type": "string"}}
		case rescreen.TypeRef:
			p = schema{"type": "string"}
		case rescreen.TypeRefList:
			p = schema{"type": "array", "items": schema{"type": "string"}}
		default:
			p = schema{"type": "string"}
		}
		doc := f.Doc
		switch {
		case f.RefKind != "":
			doc += fmt.Sprintf("; a reference SOURCE:SOURCE_ID to a record of %s (SOURCE: may be left out for the record's own source)", f.RefKind)
		case f.Check == "country":
			doc += "; an ISO 3166-1 alpha-2 code"
		case f.Check == "language":
			doc += "; ISO 639 codes"
		}
		if doc != "" {
			p["description"] = doc
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := schema{
		"type":                 "object",
		"description":          rescreen.KindDocs[k],
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// datasetSchema describes a Dataset: one list per kind, named after it.
func datasetSchema() schema {
	props := schema{}
	for _, k := range rescreen.Kinds {
		props[string(k)] = schema{"type": "array", "items": ref(recordName(k)), "description": rescreen.KindDocs[k]}
	}
	return schema{
		"type":                 "object",
		"description":          "Records of every kind, in the exchange format. A new family's dataset holds exactly one family.",
		"properties":           props,
		"additionalProperties": false,
	}
}

// changeSchema describes one change as one variant per kind, so that the
// kind decides the record's schema and exactly one variant matches.
func changeSchema() schema {
	var variants []schema
	for _, k := range rescreen.Kinds {
		variants = append(variants, schema{
			"type": "object",
			"properties": schema{
				"kind":   schema{"const": string(k)},
				"record": ref(recordName(k)),
			},
			"required":             []string{"kind", "record"},
			"additionalProperties": false,
		})
	}
	return schema{"description": "A record to add, or to replace the record with the same kind, source and source id.", "oneOf": variants}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[rescreen.Date]()
	enumType = reflect.TypeFor[rescreen.Enum]()
)

// typeSchemas derives schemas from Go types through their JSON tags, for the
// envelopes the handlers encode. Types in named become references.
type typeSchemas struct {
	named map[reflect.Type]string
}

func (g *typeSchemas) of(t reflect.Type) schema {
	if name, ok := g.named[t]; ok {
		return ref(name)
	}
	return g.inline(t)
}

func (g *typeSchemas) inline(t reflect.Type) schema {
	switch {
	case t == timeType:
		return schema{"type": "string", "format": "date-time"}
	case t == dateType:
		return schema{"type": "string", "format": "date"}
	case t.Kind() == reflect.String && t.Implements(enumType):
		return schema{"type": "string", "enum": reflect.Zero(t).Interface().(rescreen.Enum).Values()}
	}
	switch t.Kind() {
	case reflect.String:
		return schema{"type": "string"}
	case reflect.Bool:
		return schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return schema{"type": "number"}
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.Slice:
		return schema{"type": []string{"array", "null"}, "items": g.of(t.Elem())}
	case reflect.Map:
		return schema{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		props := schema{}
		var required []string
		g.fields(t, props, &required)
		s := schema{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	panic("web: no schema for type " + t.String())
}

// fields adds the JSON members of struct t. A member without omitempty or
// omitzero is always present in responses, so it is listed as required.
func (g *typeSchemas) fields(t reflect.Type, props schema, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			g.fields(sf.Type, props, required)
			continue
		}
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		props[name] = g.of(sf.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// components returns every schema the document refers to.
func components() schema {
	g := &typeSchemas{named: map[reflect.Type]string{}}
	out := schema{}
	for _, k := range rescreen.Kinds {
		g.named[reflect.TypeOf(rescreen.NewRecord(k)).Elem()] = recordName(k)
		out[recordName(k)] = recordSchema(k)
	}
	g.named[reflect.TypeFor[rescreen.Dataset]()] = "Dataset"
	out["Dataset"] = datasetSchema()
	out["Change"] = changeSchema()
	out["ChangesRequest"] = schema{
		"type": "object",
		"properties": schema{
			"version": schema{"type": "integer", "minimum": 0, "description": "The family version the client last saw; a stale version is refused with 409 conflict. 0 skips the check."},
			"changes": schema{"type": "array", "minItems": 1, "items": ref("Change")},
		},
		"required":             []string{"version", "changes"},
		"additionalProperties": false,
	}
	out["LinkDecisionRequest"] = schema{
		"type": "object",
		"properties": schema{
			"decision": schema{"type": "string", "enum": []string{"CONFIRM", "REJECT", "UNDO"}},
			"reason":   schema{"type": "string", "maxLength": 2000, "description": "Why; required to reject or undo."},
		},
		"required":             []string{"decision"},
		"additionalProperties": false,
	}
	out["SplitRequest"] = schema{
		"type":                 "object",
		"properties":           schema{"reason": schema{"type": "string", "minLength": 1, "maxLength": 2000, "description": "Why the records are not one person or one family."}},
		"required":             []string{"reason"},
		"additionalProperties": false,
	}
	out["Health"] = schema{
		"type":       "object",
		"properties": schema{"status": schema{"type": "string", "enum": []string{"ok", "unavailable"}}},
		"required":   []string{"status"},
	}
	derived := []struct {
		name string
		t    reflect.Type
	}{
		{"Dossier", reflect.TypeFor[rescreen.Dossier]()},
		{"FamilySummary", reflect.TypeFor[rescreen.FamilySummary]()},
		{"PersonSummary", reflect.TypeFor[rescreen.PersonSummary]()},
		{"FamilyPage", reflect.TypeFor[rescreen.Page[rescreen.FamilySummary]]()},
		{"PersonPage", reflect.TypeFor[rescreen.Page[rescreen.PersonSummary]]()},
		{"PersonResponse", reflect.TypeFor[personResponse]()},
		{"AuditHead", reflect.TypeFor[auditHead]()},
		{"AuditPage", reflect.TypeFor[auditPage]()},
		{"ListQuery", reflect.TypeFor[listQuery]()},
		{"ChainReport", reflect.TypeFor[rescreen.ChainReport]()},
		{"RuleBook", reflect.TypeFor[rescreen.RuleBook]()},
		{"Decision", reflect.TypeFor[rescreen.Decision]()},
		{"LinkCandidate", reflect.TypeFor[rescreen.LinkCandidate]()},
		{"LinkResponse", reflect.TypeFor[linkResponse]()},
		{"QueueItem", reflect.TypeFor[rescreen.QueueItem]()},
		{"QueuePage", reflect.TypeFor[rescreen.Page[rescreen.QueueItem]]()},
		{"SchedulePlan", reflect.TypeFor[rescreen.SchedulePlan]()},
		{"AppointmentRequest", reflect.TypeFor[rescreen.AppointmentRequest]()},
		{"AppointmentChange", reflect.TypeFor[rescreen.AppointmentChange]()},
		{"Booking", reflect.TypeFor[rescreen.Booking]()},
		{"ChainProblem", reflect.TypeFor[rescreen.ChainProblem]()},
		{"FieldError", reflect.TypeFor[rescreen.FieldError]()},
		{"Error", reflect.TypeFor[errorBody]()},
		{"ErrorDetail", reflect.TypeFor[errorDetail]()},
	}
	for _, d := range derived {
		g.named[d.t] = d.name
	}
	for _, d := range derived {
		out[d.name] = g.inline(d.t)
	}
	codes := slices.Sorted(maps.Keys(statusOf))
	codes = append(codes, rescreen.EINTERNAL)
	out["ErrorDetail"].(schema)["properties"].(schema)["code"] = schema{"type": "string", "enum": codes}
	return out
}

// filterParamDocs describes the list filters; parseFilter's parameter list
// must match it, which buildOpenAPI checks.
var filterParamDocs = map[string]schema{
	"country": {"description": "Country of nationality, ISO 3166-1 alpha-2.", "schema": schema{"type": "string", "pattern": "^[A-Za-z]{2}$"}},
	"custody": {"description": "The kind of the latest custody episode.", "schema": schema{"type": "string", "enum": rescreen.CustodyKind("").Values()}},
	"stage":   {"description": "The family's stage.", "schema": schema{"type": "string", "enum": rescreen.Stage("").Values()}},
	"role":    {"description": "A member's role.", "schema": schema{"type": "string", "enum": rescreen.Role("").Values()}},
	"limit":   {"description": "Page size.", "schema": schema{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}},
	"after":   {"description": "The cursor from the previous page's next.", "schema": schema{"type": "string", "maxLength": maxQueryText}},
}

func filterParameters() ([]schema, error) {
	var out []schema
	for _, name := range filterParams {
		doc, ok := filterParamDocs[name]
		if !ok {
			return nil, fmt.Errorf("web: query parameter %q is not documented", name)
		}
		p := schema{"name": name, "in": "query", "required": false}
		maps.Copy(p, doc)
		out = append(out, p)
	}
	if len(out) != len(filterParamDocs) {
		return nil, fmt.Errorf("web: documented query parameters do not match filterParams")
	}
	return out, nil
}

func pathID(what string) schema {
	return schema{"name": "id", "in": "path", "required": true, "description": "The " + what + "'s id.", "schema": schema{"type": "string"}}
}

func jsonContent(s schema) schema {
	return schema{"application/json": schema{"schema": s}}
}

// responses builds an operation's responses: the success, then one entry
// per error status, each described by the same Error schema.
func responses(status int, desc string, body schema, errs ...int) schema {
	out := schema{strconv.Itoa(status): schema{"description": desc, "content": jsonContent(body)}}
	for _, code := range append(errs, http.StatusInternalServerError) {
		out[strconv.Itoa(code)] = schema{"description": http.StatusText(code), "content": jsonContent(ref("Error"))}
	}
	return out
}

// buildOpenAPI returns the document served at /api/openapi.json.
func (s *Server) buildOpenAPI() ([]byte, error) {
	filters, err := filterParameters()
	if err != nil {
		return nil, err
	}
	const (
		bad, forbidden, missing, conflict = http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict
		tooLarge, mediaType               = http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType
	)
	body := func(name, desc string) schema {
		return schema{"required": true, "description": desc, "content": jsonContent(ref(name))}
	}
	created := responses(http.StatusCreated, "The family was created.", ref("Dossier"), bad, forbidden, conflict, tooLarge, mediaType)
	created["201"].(schema)["headers"] = schema{"Location": schema{"description": "The new family's URL.", "schema": schema{"type": "string"}}}

	paths := schema{
		"/api/v1/families": schema{
			"get": schema{
				"operationId": "listFamilies", "summary": "List families matching the filters, one page at a time.",
				"parameters": filters,
				"responses":  responses(http.StatusOK, "A page of families.", ref("FamilyPage"), bad, forbidden),
			},
			"post": schema{
				"operationId": "createFamily", "summary": "Create a family from a dataset holding exactly one family and its records.",
				"requestBody": body("Dataset", "The new family's records in the exchange format."),
				"responses":   created,
			},
		},
		"/api/v1/families/query": schema{
			"post": schema{
				"operationId": "queryFamilies", "summary": "List families matching the filters, names and A-numbers among them, which are never sent in an address. name matches any name token of a member by prefix, ignoring case and accents; a_number takes any usual form (A-012-345-678, 012345678).",
				"requestBody": body("ListQuery", "The filters."),
				"responses":   responses(http.StatusOK, "A page of families.", ref("FamilyPage"), bad, forbidden, tooLarge, mediaType),
			},
		},
		"/api/v1/persons/query": schema{
			"post": schema{
				"operationId": "queryPersons", "summary": "List persons matching the filters, names and A-numbers among them (see queryFamilies).",
				"requestBody": body("ListQuery", "The filters."),
				"responses":   responses(http.StatusOK, "A page of persons.", ref("PersonPage"), bad, forbidden, tooLarge, mediaType),
			},
		},
		"/api/v1/families/{id}": schema{
			"get": schema{
				"operationId": "getFamily", "summary": "Everything on record about one family.",
				"parameters": []schema{pathID("family")},
				"responses":  responses(http.StatusOK, "The family's dossier.", ref("Dossier"), forbidden, missing),
			},
		},
		"/api/v1/families/{id}/changes": schema{
			"post": schema{
				"operationId": "applyChanges", "summary": "Add or replace records of a family in one transaction.",
				"parameters":  []schema{pathID("family")},
				"requestBody": body("ChangesRequest", "The version the client saw and the records to add or replace."),
				"responses":   responses(http.StatusOK, "The family's dossier after the change.", ref("Dossier"), bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/families/{id}/split": schema{
			"post": schema{
				"operationId": "splitFamily", "summary": "Take the family out of the unit links joined it to: every link in force between its records and another family's is rejected with the reason; audited, each undoable.",
				"parameters":  []schema{pathID("family")},
				"requestBody": body("SplitRequest", "Why the families are not one."),
				"responses":   responses(http.StatusOK, "The links rejected.", schema{"type": "array", "items": ref("LinkCandidate")}, bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/families/{id}/decisions": schema{
			"get": schema{
				"operationId": "familyDecisions", "summary": "The family's decision log: every evaluation that changed its determination, oldest first.",
				"parameters": []schema{pathID("family")},
				"responses":  responses(http.StatusOK, "The decisions.", schema{"type": "array", "items": ref("Decision")}, forbidden, missing),
			},
		},
		"/api/v1/links": schema{
			"get": schema{
				"operationId": "listLinks", "summary": "Candidate links between person records, most probable first: by default those waiting for review.",
				"parameters": []schema{
					{"name": "state", "in": "query", "description": "Link states, comma-separated or repeated; REVIEW when absent.", "schema": schema{"type": "string"}},
					{"name": "family", "in": "query", "description": "Only candidates with a record in this family.", "schema": schema{"type": "string"}},
					{"name": "after", "in": "query", "description": "The id of the last candidate of the previous page.", "schema": schema{"type": "string"}},
					{"name": "limit", "in": "query", "description": "Page size, 1 to 500; 50 when absent.", "schema": schema{"type": "integer", "minimum": 1, "maximum": 500}},
				},
				"responses": responses(http.StatusOK, "The candidates.", schema{"type": "array", "items": ref("LinkCandidate")}, bad, forbidden),
			},
		},
		"/api/v1/links/{id}": schema{
			"get": schema{
				"operationId": "getLink", "summary": "One candidate link with each field's comparison, and the history of its state.",
				"parameters": []schema{pathID("link candidate")},
				"responses":  responses(http.StatusOK, "The candidate and its history.", ref("LinkResponse"), forbidden, missing),
			},
		},
		"/api/v1/links/{id}/decision": schema{
			"post": schema{
				"operationId": "decideLink", "summary": "Confirm, reject (with a reason) or undo (with a reason) a candidate link; audited, never deleted.",
				"parameters":  []schema{pathID("link candidate")},
				"requestBody": body("LinkDecisionRequest", "The decision and its reason."),
				"responses":   responses(http.StatusOK, "The candidate after the decision.", ref("LinkCandidate"), bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/schedule": schema{
			"get": schema{
				"operationId": "schedulingQueue", "summary": "Persons owed a review, a child's interview or a re-interview not yet held, the longest wait since the Option A election first; as each family was last evaluated, waits counted to today.",
				"parameters": []schema{
					{"name": "scheduled", "in": "query", "description": "yes: only those with an appointment booked; no: only those without; absent: everyone.", "schema": schema{"type": "string", "enum": []string{"yes", "no"}}},
					{"name": "after", "in": "query", "description": "The cursor from the previous page's next.", "schema": schema{"type": "string", "maxLength": maxQueryText}},
					{"name": "limit", "in": "query", "description": "Page size.", "schema": schema{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}},
				},
				"responses": responses(http.StatusOK, "A page of the queue.", ref("QueuePage"), bad, forbidden),
			},
		},
		"/api/v1/families/{id}/schedule-plan": schema{
			"get": schema{
				"operationId": "schedulePlan", "summary": "What booking a member needs: what the rules owe them, their languages, whether counsel is on record, their appointments, the W9 clock, and the federal holidays ahead.",
				"parameters": []schema{pathID("family"),
					{"name": "person", "in": "query", "required": true, "description": "The id of a person record of the family.", "schema": schema{"type": "string"}}},
				"responses": responses(http.StatusOK, "The plan.", ref("SchedulePlan"), bad, forbidden, missing),
			},
		},
		"/api/v1/families/{id}/appointments": schema{
			"post": schema{
				"operationId": "bookAppointment", "summary": "Book a review or an interview for a member: on a business day from today, with a place or a line by mode; with notify_counsel, a scheduling notice to each counsel of record in the same change.",
				"parameters":  []schema{pathID("family")},
				"requestBody": body("AppointmentRequest", "The booking."),
				"responses":   responses(http.StatusCreated, "The appointment and the notices to counsel (an empty list to a caller who may not read CONTACT).", ref("Booking"), bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/families/{id}/appointments/{appointment}": schema{
			"post": schema{
				"operationId": "changeAppointment", "summary": "Reschedule (with the new booking), cancel (with a reason) or mark as not attended (from its day) an appointment still SCHEDULED.",
				"parameters": []schema{pathID("family"),
					{"name": "appointment", "in": "path", "required": true, "description": "The appointment record's id.", "schema": schema{"type": "string"}}},
				"requestBody": body("AppointmentChange", "The change."),
				"responses":   responses(http.StatusOK, "The appointment after the change, and the notices to counsel it wrote (an empty list to a caller who may not read CONTACT).", ref("Booking"), bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/rules": schema{
			"get": schema{
				"operationId": "ruleBook", "summary": "The rule book in force: every rule with its sources, status and dates, every parameter and its value.",
				"responses": responses(http.StatusOK, "The rule book.", ref("RuleBook"), forbidden),
			},
		},
		"/api/v1/persons": schema{
			"get": schema{
				"operationId": "listPersons", "summary": "List persons matching the filters, one page at a time.",
				"parameters": filters,
				"responses":  responses(http.StatusOK, "A page of persons.", ref("PersonPage"), bad, forbidden),
			},
		},
		"/api/v1/persons/{id}": schema{
			"get": schema{
				"operationId": "getPerson", "summary": "One person's record and the id of their family.",
				"parameters": []schema{pathID("person")},
				"responses":  responses(http.StatusOK, "The person.", ref("PersonResponse"), forbidden, missing),
			},
		},
		"/api/v1/persons/{id}/split": schema{
			"post": schema{
				"operationId": "splitPerson", "summary": "Take the person record out of the person it was merged into: every same-person link in force with it is rejected with the reason; audited, each undoable.",
				"parameters":  []schema{pathID("person")},
				"requestBody": body("SplitRequest", "Why the records are not one person."),
				"responses":   responses(http.StatusOK, "The links rejected.", schema{"type": "array", "items": ref("LinkCandidate")}, bad, forbidden, missing, conflict, tooLarge, mediaType),
			},
		},
		"/api/v1/families/{id}/audit": schema{
			"get": schema{
				"operationId": "familyAudit", "summary": "The family's audit events, changes and accesses, newest first. Who may not read every group of the family sees no record contents (before and after).",
				"parameters": []schema{pathID("family"),
					{"name": "before", "in": "query", "description": "Only events before this sequence number, for the next page.", "schema": schema{"type": "integer", "minimum": 1}},
					{"name": "limit", "in": "query", "description": "Page size, 1 to 1000; 200 when absent.", "schema": schema{"type": "integer", "minimum": 1, "maximum": 1000}},
				},
				"responses": responses(http.StatusOK, "The events.", ref("AuditPage"), bad, forbidden, missing),
			},
		},
		"/api/v1/audit/head": schema{
			"get": schema{
				"operationId": "auditHead", "summary": "The newest audit event's sequence number and hash, to keep outside the system.",
				"responses": responses(http.StatusOK, "The head of the chain.", ref("AuditHead"), forbidden),
			},
		},
		"/api/v1/audit/verify": schema{
			"get": schema{
				"operationId": "verifyAudit", "summary": "Recompute the audit chain. The answer is 200 whether or not the chain holds; the report's problem says where it breaks.",
				"parameters": []schema{{
					"name": "head", "in": "query", "required": false,
					"description": "A head hash kept earlier; the chain must contain it, which reveals cut-off events.",
					"schema":      schema{"type": "string", "pattern": "^[0-9a-f]{64}$"},
				}},
				"responses": responses(http.StatusOK, "The verification report.", ref("ChainReport"), bad, forbidden),
			},
		},
		"/api/openapi.json": schema{
			"get": schema{
				"operationId": "openAPI", "summary": "This document.",
				"responses": schema{"200": schema{"description": "The OpenAPI 3.1 document.", "content": jsonContent(schema{"type": "object"})}},
			},
		},
		"/healthz": schema{
			"get": schema{
				"operationId": "health", "summary": "Whether the server can reach its database.",
				"responses": schema{
					"200": schema{"description": "Ready.", "content": jsonContent(ref("Health"))},
					"503": schema{"description": "Not ready; the reason is in the server's log.", "content": jsonContent(ref("Health"))},
				},
			},
		},
		"/metrics": schema{
			"get": schema{
				"operationId": "metrics", "summary": "Request counts, latencies and runtime figures in the Prometheus text format.",
				"responses": schema{"200": schema{"description": "Metrics.", "content": schema{"text/plain": schema{"schema": schema{"type": "string"}}}}},
			},
		},
	}
	doc := schema{
		"openapi": "3.1.0",
		"info": schema{
			"title":       "rescreen API",
			"version":     s.version,
			"description": "The registry of the Ms. L. v. ICE family-separation settlement. Errors have the form {\"error\":{\"code\",\"message\",\"problems\"}}; the code is stable, the message safe to show. Every call needs an API token (rescreen token add), sent as \"Authorization: Bearer TOKEN\"; the token's groups and its user's roles and scopes decide what it may read and change, and what it may not read is masked or left out. Every call is recorded in the audit chain.",
		},
		"security":   []schema{{"bearer": []string{}}},
		"paths":      paths,
		"components": schema{"schemas": components(), "securitySchemes": schema{"bearer": schema{"type": "http", "scheme": "bearer", "description": "An API token made by rescreen token add."}}},
	}
	return json.MarshalIndent(doc, "", "  ")
}
