package linkage

import (
	"errors"
	"strings"
	"testing"

	"rescreen"
)

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping("rec_id=id, given_name=given,surname=last_name ,date_of_birth=date:YYYYMMDD,\nsoc_sec_id=identifier\n# a comment\npostcode=postcode,a=anumber,b=fullname,c=text,d=ignore,e=date:02/01/2006")
	if err != nil {
		t.Fatal(err)
	}
	want := "rec_id=id,given_name=given,surname=surname,date_of_birth=date:YYYYMMDD,soc_sec_id=identifier,postcode=place,a=anumber,b=fullname,c=text,d=ignore,e=date:DD/MM/YYYY"
	if got := m.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if m2, err := ParseMapping(m.String()); err != nil || m2.String() != want {
		t.Errorf("round trip: %v %v", m2, err)
	}
	scoped := "id=id,event_id=identifier@family,event_date=date:MM/DD/YYYY@family,parent_name=fullname@parent,relationship=text@parent,facility=place@event"
	m, err = ParseMapping(scoped)
	if err != nil || m.String() != scoped || m[1].Scope != ScopeFamily || m[3].Scope != ScopeParent || m[5].Scope != ScopeEvent || m[0].Scope != ScopePerson {
		t.Errorf("scopes: %v %v", m, err)
	}
	bad := []struct{ in, want string }{
		{"", "names no column"},
		{"given_name", "write column=kind"},
		{"=given", "write column=kind"},
		{"a=nombre", `unknown kind "nombre"`},
		{"a=given:YYYY", "only a date takes a layout"},
		{"a=date:QQ", "unknown token"},
		{"a=date:MM-DD", "needs exactly one year"},
		{"a=date:YYYY-MM-MM", "appears twice"},
		{"a=date:YYYY-DD", "a day needs a month"},
		{"a=date:YYYYMD", "needs a separator"},
		{"a=given,a=surname", "already mapped"},
		{"a=id,b=id", "at most one"},
		{"a=given@family", "takes no scope"},
		{"a=date@parent", "a parent column is a full name"},
		{"a=identifier@household", `unknown scope "household"`},
		{"a=identifier@family,a=identifier", "already mapped"},
	}
	for _, c := range bad {
		if _, err := ParseMapping(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseMapping(%q): %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

func TestDateLayout(t *testing.T) {
	cases := []struct {
		layout, value string
		want          Date
		ok            bool
	}{
		{"YYYYMMDD", "19560409", NewDate(1956, 4, 9), true},
		{"YYYYMMDD", "1956049", Date{}, false},
		{"YYYYMMDD", "19561309", NewDate(1956, 0, 9), true}, // month 13: unknown
		{"YYYY-MM-DD", "1971-06-24", NewDate(1971, 6, 24), true},
		{"YYYY-MM-DD", " 1971-6-4 ", NewDate(1971, 6, 4), true},
		{"YYYY-MM-DD", "1971-06-24 00:00:00", NewDate(1971, 6, 24), true},
		{"YYYY-MM-DD", "1971-06-24T10:00Z", NewDate(1971, 6, 24), true},
		{"YYYY-MM-DD", "1971-06-24x", Date{}, false},
		{"DD/MM/YYYY", "04/03/2010", NewDate(2010, 3, 4), true},
		{"MM/DD/YYYY", "04/03/2010", NewDate(2010, 4, 3), true},
		{"D/M/YYYY", "4/3/2010", NewDate(2010, 3, 4), true},
		{"DD/MM/YY", "04/03/10", NewDate(2010, 3, 4), true},
		{"DD/MM/YY", "04/03/85", NewDate(1985, 3, 4), true},
		{"D MMM YYYY", "4 Mar 2010", NewDate(2010, 3, 4), true},
		{"D MMM YYYY", "4 marzo 2010", NewDate(2010, 3, 4), true},
		{"DD-MMM-YYYY", "04-ENE-2010", NewDate(2010, 1, 4), true},
		{"D MMM YYYY", "4 Foo 2010", Date{}, false},
		{"2006-01-02", "2010-03-04", NewDate(2010, 3, 4), true},
		{"02/01/2006", "04/03/2010", NewDate(2010, 3, 4), true},
		{"YYYY", "1985", NewDate(1985, 0, 0), true},
		{"YYYY-MM", "1985-07", NewDate(1985, 7, 0), true},
		{"YYYY-MM-DD", "", Date{}, false},
		{"YYYY-MM-DD", "0000-01-01", Date{}, false},
	}
	for _, c := range cases {
		l, err := ParseDateLayout(c.layout)
		if err != nil {
			t.Fatalf("%s: %v", c.layout, err)
		}
		got, ok := l.Parse(c.value)
		if got != c.want || ok != c.ok {
			t.Errorf("%s %q: got %+v %v, want %+v %v", c.layout, c.value, got, ok, c.want, c.ok)
		}
	}
}

func TestDetectDateLayout(t *testing.T) {
	cases := []struct {
		values []string
		want   string
	}{
		{[]string{"19560409", "19081128", ""}, "YYYYMMDD"},
		{[]string{"1971-06-24", "1971-05-24"}, "YYYY-MM-DD"},
		{[]string{"04/03/2010", "12/31/1999"}, "MM/DD/YYYY"},
		{[]string{"04/03/2010", "31/12/1999"}, "DD/MM/YYYY"},
		{[]string{"4 Mar 2010"}, "D MMM YYYY"},
		{nil, "YYYY-MM-DD"},
	}
	for _, c := range cases {
		if got := DetectDateLayout(c.values).String(); got != c.want {
			t.Errorf("%q: got %s, want %s", c.values, got, c.want)
		}
	}
}

func TestDetectMapping(t *testing.T) {
	header := []string{"rec_id", "given_name", "surname", "street_number", "address_1", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id", "age", "blocking_number", "cluster", "Fecha de Nacimiento", "A-Number", "occupation"}
	m, ignored := DetectMapping(header, [][]string{{"", "", "", "", "", "", "", "", "19560409", "", "", "", "", "21/06/1985"}})
	want := "rec_id=id,given_name=given,surname=surname,street_number=text,address_1=text,suburb=place,postcode=place,state=place,date_of_birth=date:YYYYMMDD,soc_sec_id=identifier,Fecha de Nacimiento=date:DD/MM/YYYY,A-Number=anumber"
	if m.String() != want {
		t.Errorf("got  %s\nwant %s", m, want)
	}
	if strings.Join(ignored, ",") != "age,blocking_number,cluster,occupation" {
		t.Errorf("ignored %v", ignored)
	}
	// Splink's historical_50k and pseudopeople's census columns.
	m, ignored = DetectMapping([]string{"unique_id", "cluster", "full_name", "first_and_surname", "first_name", "middle_initial", "surname", "dob", "birth_place", "postcode_fake", "gender", "simulant_id", "street_name"}, nil)
	want = "unique_id=id,first_name=given,middle_initial=given,surname=surname,dob=date:YYYY-MM-DD,birth_place=place,postcode_fake=place,street_name=text"
	if m.String() != want || strings.Join(ignored, ",") != "cluster,full_name,first_and_surname,gender,simulant_id" {
		t.Errorf("got  %s, ignored %v\nwant %s", m, ignored, want)
	}
}

func readString(t *testing.T, name, body, mapping string, opt CSVOptions) (*Table, error) {
	t.Helper()
	var m Mapping
	if mapping != "" {
		var err error
		if m, err = ParseMapping(mapping); err != nil {
			t.Fatal(err)
		}
	}
	return ReadCSV(strings.NewReader(body), name, m, opt)
}

func TestReadCSV(t *testing.T) {
	tb, err := readString(t, "a.csv", "\xef\xbb\xbfid, first_name, last_name, dob\n1, Ana , Pérez, 1990-01-02\n2,Juan,,\n", "", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 2 || tb.IDs[1] != "2" || tb.Lines[1] != 3 || tb.Values[1][0] != "Ana" || tb.Mapping.String() != "id=id,first_name=given,last_name=surname,dob=date:YYYY-MM-DD" {
		t.Errorf("%+v", tb)
	}
	// Without an id column, records are numbered by line.
	tb, err = readString(t, "b.csv", "name;dob\nAna Pérez;1990\n\nJuan;1991\n", "name=fullname,dob=date:YYYY", CSVOptions{Comma: ';'})
	if err != nil || strings.Join(tb.IDs, ",") != "2,4" {
		t.Fatalf("%v %v", tb, err)
	}
	tb, err = readString(t, "c.csv", "id,name\n1,Jos\xe9 P\x92rez\n", "id=id,name=fullname", CSVOptions{Encoding: "windows-1252"})
	if err != nil || tb.Values[1][0] != "José P’rez" {
		t.Fatalf("%v %v", tb, err)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct {
		name, body, mapping string
		opt                 CSVOptions
		want                string
	}{
		{"empty", "", "", CSVOptions{}, "f.csv: empty file"},
		{"only a BOM", "\xef\xbb\xbf", "", CSVOptions{}, "f.csv: empty file"},
		{"header only", "id,given_name\n", "", CSVOptions{}, "f.csv:1: no records after the header line"},
		{"ragged", "id,given_name\n1,Ana\n2,Juan,extra\n", "", CSVOptions{}, "f.csv:3: column 3: the row has 3 fields, the header 2"},
		{"short row", "id,given_name,surname\n1,Ana\n", "", CSVOptions{}, "f.csv:2: surname: the row has 2 fields, the header 3"},
		{"bare quote", "id,given_name\n1,An\"a\n", "", CSVOptions{}, "f.csv:2: column 5: bare \" in non-quoted-field"},
		{"latin-1", "id,given_name\n1,Jos\xe9\n", "", CSVOptions{}, "f.csv:2: given_name: not valid UTF-8 (byte 0xe9 at byte 4"},
		{"latin-1 header", "id,nom\xe9\n1,Ana\n", "id=id", CSVOptions{}, "f.csv:1: column 2: not valid UTF-8"},
		{"missing column", "id,given_name\n1,Ana\n", "id=id,surname=surname", CSVOptions{}, `f.csv:1: surname: the mapping names column "surname", which is not in the header (columns: id, given_name)`},
		{"column twice", "id,given_name,given_name\n1,Ana,Eva\n", "id=id,given_name=given", CSVOptions{}, `f.csv:1: given_name: the header names column "given_name" twice (columns 2 and 3)`},
		{"nothing recognised", "a,b\n1,2\n", "", CSVOptions{}, "f.csv:1: no column has a name this program recognises"},
		{"empty id", "id,given_name\n,Ana\n", "", CSVOptions{}, "f.csv:2: id: the id is empty"},
		{"repeated id", "id,given_name\n7,Ana\n7,Eva\n", "", CSVOptions{}, `f.csv:3: id: id "7" is repeated (first on line 2)`},
		{"unknown encoding", "id\n1\n", "", CSVOptions{Encoding: "ebcdic"}, `f.csv: unknown encoding "ebcdic"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readString(t, "f.csv", c.body, c.mapping, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			var fe rescreen.FieldError
			if !errors.As(err, &fe) || fe.File != "f.csv" {
				t.Errorf("%T %+v is not a FieldError naming the file", err, err)
			}
		})
	}
}

// FuzzReadCSV reads arbitrary bytes as a CSV file, detected or through a
// mapping, and links what it reads: nothing may panic, every error must
// name the file, and a table read must be consistent.
func FuzzReadCSV(f *testing.F) {
	f.Add("rec_id, given_name, surname, date_of_birth, soc_sec_id, postcode\nrec-1-org, mitchell, green, 19560409, 1804974, 2119\nrec-1-dup-0, mitchel, greene, 19560490, 1804947, 2119\nrec-2-org, harley, mccarthy, 19080419, 6089216, 3165\n", "", false)
	f.Add("unique_id,first_name,surname,dob,city,email,cluster\n0,Robert,Alan,1971-06-24,,robert255@smith.net,0\n1,Robert,Allen,1971-05-24,,roberta25@smith.net,0\n2,Rob,Allen,1971-06-24,London,roberta25@smith.net,0\n", "", false)
	f.Add("num,nombre,apellidos,fecha_nac,anum\nb1,María Guadalupe,Jiménez López,04/03/2010,A-012-345-678\nb2,José,Xuc,21/06/1985,\n", "num=id,nombre=given,apellidos=surname,fecha_nac=date:DD/MM/YYYY,anum=anumber", false)
	f.Add("id,name\n1,\"Ana, \"\"la\"\" Pérez\"\n2,Ana Perez\n", "id=id,name=fullname", false)
	f.Add("id,given_name\n1,Jos\xe9\n2,\x92Ana\n", "", true)
	f.Add("id,given_name\n1,Ana\n2,Juan,extra\n", "", false)
	f.Add("\xef\xbb\xbf", "", false)
	f.Add("a\n\"", "a=text", false)
	f.Fuzz(func(t *testing.T, body, mapping string, latin1 bool) {
		var m Mapping
		if mapping != "" {
			var err error
			if m, err = ParseMapping(mapping); err != nil {
				return
			}
		}
		opt := CSVOptions{}
		if latin1 {
			opt.Encoding = "windows-1252"
		}
		tb, err := ReadCSV(strings.NewReader(body), "fuzz.csv", m, opt)
		if err != nil {
			var fe rescreen.FieldError
			if !errors.As(err, &fe) || fe.File != "fuzz.csv" {
				t.Fatalf("%v does not name the file", err)
			}
			return
		}
		if len(tb.Values) != len(tb.Mapping) || len(tb.Lines) != tb.Len() {
			t.Fatalf("inconsistent table %+v", tb)
		}
		for _, col := range tb.Values {
			if len(col) != tb.Len() {
				t.Fatalf("column of %d values for %d records", len(col), tb.Len())
			}
		}
		if tb.Len() > 200 {
			return
		}
		res, err := Link([]*Table{tb}, Options{Keep: 0.01, Train: TrainOptions{USamples: 2000}})
		if err != nil {
			return // no field to compare
		}
		for _, p := range res.Pairs {
			if pr := p.Probability(); !(pr >= 0 && pr <= 1) {
				t.Fatalf("probability %v", pr)
			}
		}
		for r := 0; r < res.Data.Len() && r < 3; r++ {
			_ = res.Explain(0, r).String()
		}
	})
}

// FuzzParseMapping: any string either fails to parse or gives a mapping
// that writes itself back to the same mapping.
func FuzzParseMapping(f *testing.F) {
	for _, s := range []string{
		"rec_id=id,given_name=given,surname=surname,date_of_birth=date:YYYYMMDD,soc_sec_id=identifier,postcode=place",
		"a=date:02/01/2006", "a=date:D MMM YYYY", "a=date:2-Jan-06", "a=date", "x=fullname\n# c\ny=text",
		"a=date:YYYYMD", "a=given,a=given", "a=date:MMMMMM", "=", ",,,", "a=date:YY:MM",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMapping(s)
		if err != nil {
			return
		}
		m2, err := ParseMapping(m.String())
		if err != nil {
			t.Fatalf("%q parses, but its String %q does not: %v", s, m.String(), err)
		}
		if m2.String() != m.String() {
			t.Fatalf("%q: %q then %q", s, m.String(), m2.String())
		}
		for _, c := range m {
			if c.Layout != nil {
				c.Layout.Parse("2010-03-04")
				c.Layout.Parse(s)
			}
		}
	})
}
