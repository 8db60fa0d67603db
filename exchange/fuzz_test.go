package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
)

// readResult is what a reader gave: the records it accepted, with their
// lines, and the problems it reported.
type readResult struct {
	items    []Item
	problems []rescreen.FieldError
}

// collect returns the callbacks of a reader that keep what they are given
// in res.
func (res *readResult) collect() (func(Item) error, Problems) {
	return func(it Item) error {
			res.items = append(res.items, it)
			return nil
		}, func(fe rescreen.FieldError) error {
			res.problems = append(res.problems, fe)
			return nil
		}
}

// checkNamesFile fails unless err is a rescreen.FieldError naming file, as
// the readers promise for every error ("file:line: field: what is wrong").
func checkNamesFile(t *testing.T, err error, file string) {
	t.Helper()
	var fe rescreen.FieldError
	if !errors.As(err, &fe) || fe.File != file || fe.Msg == "" {
		t.Fatalf("%T %q is not a FieldError naming %s with a message", err, err, file)
	}
}

// checkRead checks what a reader of file gave: every problem names the file
// and a line from first on, with a message; every record is of a known
// kind, on a line from first on, lines never going back.
func checkRead(t *testing.T, res *readResult, file string, first int) {
	t.Helper()
	for _, p := range res.problems {
		if p.File != file || p.Line < first || p.Msg == "" {
			t.Fatalf("problem %+v does not name %s, a line from %d, and what is wrong", p, file, first)
		}
	}
	last := 0
	for _, it := range res.items {
		if it.File != file || it.Line < first || it.Line < last {
			t.Fatalf("record of %s at line %d after line %d, want %s from line %d", it.File, it.Line, last, file, first)
		}
		if _, ok := rescreen.ParseKind(string(it.Kind)); !ok || it.Record == nil {
			t.Fatalf("record of kind %q: %#v", it.Kind, it.Record)
		}
		last = it.Line
	}
}

// canonical is the records' canonical JSON, one per line, for comparing
// what two readers gave.
func canonical(t *testing.T, items []Item) string {
	t.Helper()
	var b strings.Builder
	for _, it := range items {
		j, err := MarshalRecord(it.Record)
		if err != nil {
			t.Fatalf("%s record of line %d cannot be written: %v", it.Kind, it.Line, err)
		}
		b.WriteString(string(it.Kind) + " " + string(j) + "\n")
	}
	return b.String()
}

// roundTripCSV writes the records (all of kind) with CSVWriter and reads
// the file back with the exchange names: it must give the same records
// without a problem.
func roundTripCSV(t *testing.T, kind rescreen.Kind, items []Item) {
	t.Helper()
	if len(items) == 0 {
		return
	}
	dir := t.TempDir()
	cw, err := NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := cw.Write(kind, it.Record); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := cw.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	path := filepath.Join(dir, string(kind)+".csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back readResult
	fn, bad := back.collect()
	if err := ReadCSV(bytes.NewReader(b), path, kind, nil, fn, bad); err != nil || len(back.problems) > 0 {
		t.Fatalf("the written file is not read back: %v %v\n%s", err, back.problems, b)
	}
	if got, want := canonical(t, back.items), canonical(t, items); got != want {
		t.Fatalf("read back differently:\n%s\nwant\n%s\nfile:\n%s", got, want, b)
	}
}

// roundTripJSON writes the records with JSONWriter and reads the document
// back: it must give the same records, in the same order, without a
// problem.
func roundTripJSON(t *testing.T, items []Item) {
	t.Helper()
	var buf bytes.Buffer
	jw := NewJSONWriter(&buf)
	for _, it := range items {
		if err := jw.Write(it.Kind, it.Record); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if err := jw.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	var back readResult
	fn, bad := back.collect()
	if err := ReadJSON(bytes.NewReader(buf.Bytes()), "back.json", fn, bad); err != nil || len(back.problems) > 0 {
		t.Fatalf("the written document is not read back: %v %v\n%s", err, back.problems, buf.Bytes())
	}
	if got, want := canonical(t, back.items), canonical(t, items); got != want {
		t.Fatalf("read back differently:\n%s\nwant\n%s\ndocument:\n%s", got, want, buf.Bytes())
	}
}

// FuzzMapping reads a mapping file and a CSV file through it, as import
// and rules eval do with --mapping. A mapping is refused with an error
// naming the mapping file, or it writes itself back as JSON to the same
// mapping. Reading the CSV through it reports every problem with the CSV
// file and line, and the records it accepts are written by CSVWriter and
// read back, with the exchange names and no mapping, to the same records.
func FuzzMapping(f *testing.F) {
	f.Add([]byte(`{"kind":"persons","columns":{"source_id":"UAC ID","given_names":"First Name","first_surname":"Last Name","birth_date":"DOB","family":"Family"},"constants":{"source":"ORR_UCPORTAL","role":"CHILD"},"values":{"sex":{"F":"FEMALE","M":"MALE"}},"date_layout":"01/02/2006"}`),
		"\ufeffUAC ID,First Name,Last Name,DOB,sex,Family,Shelter\nU-1,Ana,Pérez,07/01/2012,F,CBP_E3:F1,Casa Padre\n")
	f.Add([]byte(`{"kind":"families","constants":{"source":"CBP_E3"},"comma":";"}`), "source_id;notes\nF1;=HYPERLINK(\"x\")\n")
	f.Add([]byte(`{"kind":"persons"} {"kind":"families"}`), "source,source_id\n")
	f.Add([]byte(`{"kind":"persons","comma":"\""}`), "a\n")
	f.Fuzz(func(t *testing.T, mapping []byte, body string) {
		m, err := ParseMapping(mapping, "m.json")
		if err != nil {
			checkNamesFile(t, err, "m.json")
			return
		}
		j, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("the mapping cannot be written: %v", err)
		}
		m2, err := ParseMapping(j, "m2.json")
		if err != nil {
			t.Fatalf("%s is accepted, but written as %s it is not: %v", mapping, j, err)
		}
		if j2, _ := json.Marshal(m2); !bytes.Equal(j, j2) || m2.Kind != m.Kind {
			t.Fatalf("%s written as %s reads back as %s", mapping, j, j2)
		}
		var res readResult
		fn, bad := res.collect()
		if err := ReadCSV(strings.NewReader(body), "f.csv", m.Kind, m, fn, bad); err != nil {
			checkNamesFile(t, err, "f.csv")
			return
		}
		checkRead(t, &res, "f.csv", 2)
		roundTripCSV(t, m.Kind, res.items)
	})
}

// TestMappingFileIsOneObject: what follows the mapping's object is refused,
// naming the file, instead of being ignored (a second mapping pasted below
// the first would otherwise be silently dropped).
func TestMappingFileIsOneObject(t *testing.T) {
	for _, body := range []string{
		`{"kind":"persons"} {"kind":"families"}`,
		`{"kind":"persons"},`,
		"{\"kind\":\"persons\"}\n]",
	} {
		_, err := ParseMapping([]byte(body), "m.json")
		if err == nil || err.Error() != "m.json: not a mapping: the file goes on after the mapping's JSON object" {
			t.Errorf("%s: %v", body, err)
		}
	}
	if _, err := ParseMapping([]byte("{\"kind\":\"persons\"}\r\n\t \n"), "m.json"); err != nil {
		t.Errorf("white space after the object: %v", err)
	}
}

// TestMappingCommaMustSeparate: a separator encoding/csv cannot use is
// refused by the mapping, naming its comma field, rather than on the first
// row of every CSV file read through it.
func TestMappingCommaMustSeparate(t *testing.T) {
	for _, c := range []string{`"\""`, `"\n"`, `"\r"`, `"\u0000"`, `"\ufffd"`, "\"\xff\""} {
		_, err := ParseMapping([]byte(`{"kind":"persons","comma":`+c+`}`), "m.json")
		var fe rescreen.FieldError
		if !errors.As(err, &fe) || fe.File != "m.json" || fe.Field != "comma" {
			t.Errorf("comma %s: %v", c, err)
		}
	}
	for _, c := range []string{`";"`, `"\t"`, `"|"`, `"·"`} {
		if _, err := ParseMapping([]byte(`{"kind":"persons","comma":`+c+`}`), "m.json"); err != nil {
			t.Errorf("comma %s: %v", c, err)
		}
	}
}

// TestReadJSONSkipsByteOrderMark: a document saved with a byte-order mark
// reads as the same document without one, with the same lines.
func TestReadJSONSkipsByteOrderMark(t *testing.T) {
	doc := "{\"format\":\"rescreen-exchange\",\"version\":1,\n\"families\":[\n{\"source\":\"CBP_E3\",\"source_id\":\"F1\"}]}"
	var plain, bom readResult
	fn, bad := plain.collect()
	if err := ReadJSON(strings.NewReader(doc), "f.json", fn, bad); err != nil {
		t.Fatal(err)
	}
	fn, bad = bom.collect()
	if err := ReadJSON(strings.NewReader("\ufeff"+doc), "f.json", fn, bad); err != nil {
		t.Fatalf("with a byte-order mark: %v", err)
	}
	if len(bom.items) != 1 || bom.items[0].Line != 3 || canonical(t, bom.items) != canonical(t, plain.items) {
		t.Fatalf("with a byte-order mark: %+v", bom.items)
	}
}

// TestMappingTranslationsAreTrimmed: a translated value is trimmed like a
// cell, so " FEMALE " in a mapping's values means FEMALE, and the record
// is written and read back as it was read (found by FuzzMapping).
func TestMappingTranslationsAreTrimmed(t *testing.T) {
	m, err := ParseMapping([]byte(`{"kind":"persons","constants":{"source":"CBP_E3","role":"PARENT","family":"CBP_E3:F1"},"values":{"given_names":{"A":" Ana "},"sex":{"F":" FEMALE "}}}`), "m.json")
	if err != nil {
		t.Fatal(err)
	}
	var res readResult
	fn, bad := res.collect()
	if err := ReadCSV(strings.NewReader("source_id,given_names,sex\nP1,A,F\n"), "f.csv", rescreen.KindPersons, m, fn, bad); err != nil || len(res.problems) > 0 {
		t.Fatal(err, res.problems)
	}
	if p := res.items[0].Record.(*rescreen.Person); p.GivenNames != "Ana" || p.Sex != "FEMALE" {
		t.Fatalf("read %q %q", p.GivenNames, p.Sex)
	}
	roundTripCSV(t, rescreen.KindPersons, res.items)
}
