package exchange

import (
	"encoding/csv"
	"fmt"
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
		var res readResult
		fn, bad := res.collect()
		if err := ReadCSV(strings.NewReader(body), "f.csv", rescreen.KindPersons, nil, fn, bad); err != nil {
			checkNamesFile(t, err, "f.csv")
			return
		}
		checkRead(t, &res, "f.csv", 2)
		roundTripCSV(t, rescreen.KindPersons, res.items)
	})
}

func FuzzReadJSON(f *testing.F) {
	f.Add(`{"format":"rescreen-exchange","version":1,"families":[{"source":"CBP_E3","source_id":"F1"}]}`)
	f.Add(`{"format":"rescreen-exchange","persons":[{"given_names":1}]}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		var res readResult
		fn, bad := res.collect()
		if err := ReadJSON(strings.NewReader(body), "f.json", fn, bad); err != nil {
			checkNamesFile(t, err, "f.json")
			return
		}
		checkRead(t, &res, "f.json", 1)
		roundTripJSON(t, res.items)
	})
}

// formulaCells are the cells a spreadsheet would run, and their
// neighbours that it would not. back is what ReadCSV gives back: it trims
// spaces, so a tab or carriage return that led a value is lost, as it was
// before the guard.
var formulaCells = []struct {
	name, value, cell, back string
}{
	{"hyperlink formula", `=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`, `=HYPERLINK("http://x")`},
	{"plus", "+1", "'+1", "+1"},
	{"minus with arithmetic", "-2+3", "'-2+3", "-2+3"},
	{"at function", "@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"},
	{"tab-led", "\t=1+1", "'\t=1+1", "=1+1"},
	{"carriage-return-led", "\rcalc", "'\rcalc", "calc"},
	{"telephone number", "+1 202 555 0100", "'+1 202 555 0100", "+1 202 555 0100"},
	{"plain value", "Ana", "Ana", "Ana"},
	{"formula character inside", "Ana=1", "Ana=1", "Ana=1"},
	{"apostrophe before a letter", "'Ana", "'Ana", "'Ana"},
	{"already quoted formula", "'=1+1", "''=1+1", "'=1+1"},
	{"quotes only", "''", "''", "''"},
	{"empty", "", "", ""},
}

// guardedPerson is a person whose given names are v; its other fields are
// an ISO date, an enumerated value and a reference, which the guard leaves
// alone.
func guardedPerson(i int, v string) *rescreen.Person {
	return &rescreen.Person{
		Meta:       rescreen.Meta{Source: rescreen.SourceORR, SourceID: fmt.Sprintf("U-%d", i)},
		Family:     "CBP_E3:F1",
		Role:       rescreen.RoleChild,
		GivenNames: v,
		BirthDate:  rescreen.NewDate(2012, 7, 1),
	}
}

func writeGuarded(t *testing.T, dir string) {
	t.Helper()
	cw, err := NewCSVWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range formulaCells {
		if err := cw.Write(rescreen.KindPersons, guardedPerson(i, tt.value)); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCSVWriterGuardsFormulas(t *testing.T) {
	dir := t.TempDir()
	writeGuarded(t, dir)
	f, err := os.Open(filepath.Join(dir, "persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != len(formulaCells)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(formulaCells)+1)
	}
	for i, tt := range formulaCells {
		t.Run(tt.name, func(t *testing.T) {
			row := rows[i+1]
			if got := row[col["given_names"]]; got != tt.cell {
				t.Errorf("cell %q, want %q", got, tt.cell)
			}
			if got := row[col["birth_date"]]; got != "2012-07-01" {
				t.Errorf("birth_date %q, want the ISO date as it is", got)
			}
			if row[col["role"]] != "CHILD" || row[col["family"]] != "CBP_E3:F1" {
				t.Errorf("role %q, family %q changed", row[col["role"]], row[col["family"]])
			}
		})
	}
}

func TestCSVGuardRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeGuarded(t, dir)
	f, err := os.Open(filepath.Join(dir, "persons.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []*rescreen.Person
	err = ReadCSV(f, "persons.csv", rescreen.KindPersons, nil, func(it Item) error {
		got = append(got, it.Record.(*rescreen.Person))
		return nil
	}, func(fe rescreen.FieldError) error {
		t.Errorf("problem: %v", fe)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(formulaCells) {
		t.Fatalf("read %d persons, want %d", len(got), len(formulaCells))
	}
	for i, tt := range formulaCells {
		t.Run(tt.name, func(t *testing.T) {
			p := got[i]
			if p.GivenNames != tt.back {
				t.Errorf("given names %q, want %q", p.GivenNames, tt.back)
			}
			if p.BirthDate != rescreen.NewDate(2012, 7, 1) || p.Role != rescreen.RoleChild || p.Family != "CBP_E3:F1" {
				t.Errorf("read %+v", p)
			}
		})
	}
}

func TestCSVReaderLeavesUnguardedFormulas(t *testing.T) {
	// A file this writer did not write may hold a formula as it is, or a
	// leading quote that is part of a name: both are read unchanged.
	body := "source,source_id,family,role,given_names\n" +
		"CBP_E3,1,F1,PARENT,=1+1\n" +
		"CBP_E3,2,F1,PARENT,'Ana\n"
	items, probs, err := readAll(t, body, nil)
	if err != nil || len(probs) > 0 || len(items) != 2 {
		t.Fatalf("items %d, problems %v, err %v", len(items), probs, err)
	}
	for i, want := range []string{"=1+1", "'Ana"} {
		if got := items[i].Record.(*rescreen.Person).GivenNames; got != want {
			t.Errorf("row %d: given names %q, want %q", i+1, got, want)
		}
	}
}
