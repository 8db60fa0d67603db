package exchange

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated parts of docs/")

// TestDocsAreCurrent keeps docs/exchange.schema.json and the field tables
// of docs/import-format.md in step with the code.
func TestDocsAreCurrent(t *testing.T) {
	schemaPath := "../docs/exchange.schema.json"
	want := JSONSchema()
	if *update {
		if err := os.WriteFile(schemaPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaPath)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is not current: run go test ./exchange -update", schemaPath)
	}

	docPath := "../docs/import-format.md"
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	begin := []byte("<!-- fields:begin (generated from the code by `go test ./exchange -update`) -->\n")
	end := []byte("<!-- fields:end -->")
	i, j := bytes.Index(doc, begin), bytes.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-fields markers", docPath)
	}
	tables := FieldTables()
	cur := doc[i+len(begin) : j]
	if *update {
		var b bytes.Buffer
		b.Write(doc[:i+len(begin)])
		b.Write(tables)
		b.Write(doc[j:])
		if err := os.WriteFile(docPath, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cur = tables
	}
	if !bytes.Equal(cur, tables) {
		t.Errorf("the field tables of %s are not current: run go test ./exchange -update", docPath)
	}
}
