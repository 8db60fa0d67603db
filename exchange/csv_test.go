package exchange

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rescreen"
)

func readAll(t *testing.T, body string, m *Mapping) ([]Item, []string, error) {
	t.Helper()
	var items []Item
	var probs []string
	err := ReadCSV(strings.NewReader(body), "f.csv", rescreen.KindPersons, m, func(it Item) error {
		items = append(items, it)
		return nil
	}, func(fe rescreen.FieldError) error {
		probs = append(probs, fe.Error())
		return nil
	})
	return items, probs, err
}

func TestMappingReadsAnAgencyExport(t *testing.T) {
	dir := t.TempDir()
	mp := filepath.Join(dir, "orr.json")
	os.WriteFile(mp, []byte(`{"kind":"persons","columns":{"source_id":"UAC ID","given_names":"First Name","first_surname":"Last Name","birth_date":"DOB","family":"Family"},
"constants":{"source":"ORR_UCPORTAL","role":"CHILD"},"values":{"sex":{"F":"FEMALE","M":"MALE"}},"date_layout":"01/02/2006"}`), 0o644)
	m, err := LoadMapping(mp)
	if err != nil {
		t.Fatal(err)
	}
	body := "\ufeffUAC ID,First Name,Last Name,DOB,sex,Family,Shelter\nU-1,Ana,Pérez,07/01/2012,F,CBP_E3:F1,Casa Padre\n"
	items, probs, err := readAll(t, body, m)
	if err != nil || len(probs) > 0 || len(items) != 1 {
		t.Fatalf("items %d, problems %v, err %v", len(items), probs, err)
	}
	p := items[0].Record.(*rescreen.Person)
	if p.Source != "ORR_UCPORTAL" || p.SourceID != "U-1" || p.Role != "CHILD" || p.BirthDate.String() != "2012-07-01" || p.Sex != "FEMALE" || p.FirstSurname != "Pérez" || items[0].Line != 2 {
		t.Fatalf("read %+v at line %d", p, items[0].Line)
	}

	// A mapping naming a column the file lacks is an error naming it.
	_, _, err = readAll(t, "UAC ID,First Name\nU-1,Ana\n", m)
	if err == nil || !strings.Contains(err.Error(), `f.csv:1: family: the mapping names column "Family", which is not in the header`) {
		t.Fatalf("missing column: %v", err)
	}
}

func TestBadMappingFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"kind":    `{"kind":"people"}`,
		"field":   `{"kind":"persons","columns":{"nickname":"Nick"}}`,
		"unknown": `{"kind":"persons","colums":{}}`,
		"json":    `{"kind":`,
	} {
		p := filepath.Join(dir, name+".json")
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := LoadMapping(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v does not name the file", name, err)
		}
	}
}

func TestCSVReaderReportsBadRows(t *testing.T) {
	body := "source,source_id,family,role,given_names\n" +
		"CBP_E3,1,F1,PARENT,Ana\n" +
		"CBP_E3,2,F1,PARENT\n" + // ragged
		"CBP_E3,3,F1,PARENT,\xff\xfe\n" + // not UTF-8
		"CBP_E3,4,F1,PARENT,Eva\n"
	items, probs, err := readAll(t, body, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"f.csv:3: the row has 4 columns, the header has 5", "f.csv:4: given_names: is not valid UTF-8 (save the file as UTF-8)"}
	if strings.Join(probs, "\n") != strings.Join(want, "\n") || len(items) != 2 {
		t.Fatalf("items %d problems:\n%s", len(items), strings.Join(probs, "\n"))
	}
	if _, _, err := readAll(t, "", nil); err == nil || !strings.Contains(err.Error(), "f.csv:1: the file is empty") {
		t.Fatalf("empty file: %v", err)
	}
	if _, _, err := readAll(t, "source,source_id,nickname\n", nil); err == nil || !strings.Contains(err.Error(), "f.csv:1: nickname: is not a field of persons") {
		t.Fatalf("unknown column: %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("source,source_id,family,role,given_names\nCBP_E3,1,F1,PARENT,Ana\n")
	f.Add("a,b\n\"unterminated\n")
	f.Add("\ufeffsource\n,,,\n")
	f.Fuzz(func(t *testing.T, body string) {
		_ = ReadCSV(strings.NewReader(body), "f.csv", rescreen.KindPersons, nil, func(Item) error { return nil }, func(rescreen.FieldError) error { return nil })
	})
}

func FuzzReadJSON(f *testing.F) {
	f.Add(`{"format":"rescreen-exchange","version":1,"families":[{"source":"CBP_E3","source_id":"F1"}]}`)
	f.Add(`{"format":"rescreen-exchange","persons":[{"given_names":1}]}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		_ = ReadJSON(strings.NewReader(body), "f.json", func(Item) error { return nil }, func(rescreen.FieldError) error { return nil })
	})
}
