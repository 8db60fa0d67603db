package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"rescreen"
)

// RecordSchema returns the JSON Schema (draft 2020-12) of one kind's
// records, derived from the kind's field descriptions.
func RecordSchema(kind rescreen.Kind) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range rescreen.Fields(kind) {
		p := map[string]any{"description": f.Doc}
		switch f.Type {
		case rescreen.TypeString:
			p["type"] = "string"
			if f.Check == "country" {
				p["pattern"] = "^[A-Z]{2}$"
			}
			if f.Check == "language" {
				p["pattern"] = "^[a-z]{2,3}$"
			}
		case rescreen.TypeEnum:
			p["type"] = "string"
			p["enum"] = f.Values
		case rescreen.TypeDate:
			p["type"] = []string{"string", "null"}
			p["pattern"] = `^\d{4}-\d{2}-\d{2}$`
		case rescreen.TypeBool:
			p["type"] = []string{"boolean", "null"}
		case rescreen.TypeRef:
			p["type"] = "string"
			p["description"] = f.Doc + fmt.Sprintf(" (a reference to %s: SOURCE:SOURCE_ID, or SOURCE_ID of the same source)", f.RefKind)
		case rescreen.TypeList, rescreen.TypeRefList:
			items := map[string]any{"type": "string"}
			if f.Check == "language" {
				items["pattern"] = "^[a-z]{2,3}$"
			}
			p["type"] = "array"
			p["items"] = items
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	return map[string]any{
		"type":                 "object",
		"description":          rescreen.KindDocs[kind],
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

// JSONSchema returns the JSON Schema of an exchange document.
func JSONSchema() []byte {
	props := map[string]any{
		"format":  map[string]any{"const": Format},
		"version": map[string]any{"const": Version},
	}
	defs := map[string]any{}
	for _, k := range rescreen.Kinds {
		defs[string(k)] = RecordSchema(k)
		props[string(k)] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/$defs/" + string(k)}}
	}
	doc := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "rescreen-exchange-v1",
		"title":                "rescreen exchange document, version 1",
		"type":                 "object",
		"required":             []string{"format", "version"},
		"properties":           props,
		"additionalProperties": false,
		"$defs":                defs,
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n')
}

// FieldTables returns the Markdown tables of every kind's fields, for
// docs/import-format.md.
func FieldTables() []byte {
	var b bytes.Buffer
	for _, k := range rescreen.Kinds {
		fmt.Fprintf(&b, "### %s\n\n%s File name: `%s.csv`.\n\n", k, rescreen.KindDocs[k], k)
		b.WriteString("| field | type | required | meaning |\n|---|---|---|---|\n")
		for _, f := range rescreen.Fields(k) {
			typ := string(f.Type)
			switch f.Type {
			case rescreen.TypeEnum:
				typ = "one of " + strings.Join(f.Values, ", ")
			case rescreen.TypeRef:
				typ = "reference to " + string(f.RefKind)
			case rescreen.TypeRefList:
				typ = "references to " + string(f.RefKind) + ", separated by `;` in CSV"
			case rescreen.TypeList:
				typ = "list, separated by `;` in CSV"
			case rescreen.TypeDate:
				typ = "date, 2018-06-21"
			case rescreen.TypeBool:
				typ = "true, false, or empty for unknown"
			}
			req := ""
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, typ, req, f.Doc)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
