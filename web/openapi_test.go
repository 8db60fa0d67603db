package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"rescreen"
)

// documented reports whether the route belongs in the OpenAPI document:
// the API itself and the two operational endpoints machines call.
func documented(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/metrics"
}

func TestOpenAPICoversRoutes(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/api/openapi.json", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	decode(t, w, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}

	registered := map[string]bool{}
	for _, r := range env.srv.routes {
		key := strings.ToLower(r.Method) + " " + r.Path
		registered[key] = true
		if !documented(r.Path) {
			continue
		}
		if _, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is registered but not in the OpenAPI document", r.Method, r.Path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !registered[method+" "+path] {
				t.Errorf("the OpenAPI document lists %s %s, which is not registered", strings.ToUpper(method), path)
			}
		}
	}
	if len(env.srv.routes) < 10 {
		t.Errorf("only %d routes recorded; is s.handle bypassed?", len(env.srv.routes))
	}
}

func TestOpenAPIRecordSchemasFollowFields(t *testing.T) {
	env := newEnv(t)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties           map[string]map[string]any `json:"properties"`
				Required             []string                  `json:"required"`
				AdditionalProperties *bool                     `json:"additionalProperties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	decode(t, env.do(t, "GET", "/api/openapi.json", ""), &doc)
	schemas := doc.Components.Schemas
	for _, k := range rescreen.Kinds {
		s, ok := schemas[recordName(k)]
		if !ok {
			t.Errorf("no schema for %s", k)
			continue
		}
		if s.AdditionalProperties == nil || *s.AdditionalProperties {
			t.Errorf("%s: additional properties are allowed, but the API refuses them", k)
		}
		for _, f := range rescreen.Fields(k) {
			p, ok := s.Properties[f.Name]
			if !ok {
				t.Errorf("%s.%s is not in the schema", k, f.Name)
				continue
			}
			if f.Required != slices.Contains(s.Required, f.Name) {
				t.Errorf("%s.%s: required is %v in the fields but not in the schema", k, f.Name, f.Required)
			}
			if f.Type == rescreen.TypeEnum {
				enum, _ := p["enum"].([]any)
				if len(enum) != len(f.Values) {
					t.Errorf("%s.%s: enum has %d values, want %d", k, f.Name, len(enum), len(f.Values))
				}
			}
		}
		if len(s.Properties) != len(rescreen.Fields(k)) {
			t.Errorf("%s: %d properties for %d fields", k, len(s.Properties), len(rescreen.Fields(k)))
		}
		// The Dataset's member for the kind must be its name, or the
		// decoder and the schema would disagree with the exchange format.
		if _, ok := schemas["Dataset"].Properties[string(k)]; !ok {
			t.Errorf("Dataset has no member %q", k)
		}
	}
	for _, name := range []string{"Dossier", "FamilyPage", "PersonPage", "PersonResponse", "ChainReport", "AuditHead", "Error", "ChangesRequest", "Change", "Health"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("no schema %s", name)
		}
	}
}

// TestDatasetMembersAreKinds pins the assumption the dataset decoder makes:
// the JSON member holding each kind is named after the kind.
func TestDatasetMembersAreKinds(t *testing.T) {
	var d rescreen.Dataset
	for _, k := range rescreen.Kinds {
		r := rescreen.NewRecord(k)
		r.Header().Source, r.Header().SourceID = rescreen.SourceManual, "x"
		d.Add(r)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(mustJSON(t, d)), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range rescreen.Kinds {
		if _, ok := m[string(k)]; !ok {
			t.Errorf("Dataset encodes %s under another name", k)
		}
	}
	if len(m) != len(rescreen.Kinds) {
		t.Errorf("Dataset has %d members for %d kinds", len(m), len(rescreen.Kinds))
	}
}
