package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"rescreen"
)

// Mapping tells how to read an agency's CSV export as records of one kind:
// which column holds which field, values to translate, fields every row
// shares, and the date layout the agency writes.
//
// A mapping file is JSON:
//
//	{
//	  "kind": "persons",
//	  "columns": {"source_id": "UAC ID", "given_names": "First Name", "birth_date": "DOB"},
//	  "constants": {"source": "ORR_UCPORTAL", "role": "CHILD"},
//	  "values": {"sex": {"M": "MALE", "F": "FEMALE"}},
//	  "date_layout": "01/02/2006"
//	}
//
// Fields not named in columns are read from a column of the field's own
// name when there is one; other columns of the file are ignored.
type Mapping struct {
	Kind       rescreen.Kind                `json:"kind"`
	Columns    map[string]string            `json:"columns,omitempty"`
	Constants  map[string]string            `json:"constants,omitempty"`
	Values     map[string]map[string]string `json:"values,omitempty"`
	DateLayout string                       `json:"date_layout,omitempty"`
	Comma      string                       `json:"comma,omitempty"`
	file       string
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseMapping(b, path)
}

// ParseMapping checks the contents of a mapping file; file names it in
// errors. The file is one JSON object and nothing after it, so that a
// second object pasted below the first is not silently ignored.
func ParseMapping(b []byte, file string) (*Mapping, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, rescreen.FieldError{File: file, Msg: "not a mapping: " + jsonMsg(err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, rescreen.FieldError{File: file, Msg: "not a mapping: the file goes on after the mapping's JSON object"}
	}
	m.file = file
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Mapping) check() error {
	bad := func(field, format string, args ...any) error {
		return rescreen.FieldError{File: m.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if _, ok := rescreen.ParseKind(string(m.Kind)); !ok {
		return bad("kind", "%q is not a kind of record (the kinds are %s)", m.Kind, kindList())
	}
	for _, part := range []map[string]string{m.Columns, m.Constants} {
		for field := range part {
			if _, ok := rescreen.FieldByName(m.Kind, field); !ok {
				return bad(field, "is not a field of %s", m.Kind)
			}
		}
	}
	for field := range m.Values {
		if _, ok := rescreen.FieldByName(m.Kind, field); !ok {
			return bad("values."+field, "is not a field of %s", m.Kind)
		}
	}
	if utf8.RuneCountInString(m.Comma) > 1 {
		return bad("comma", "must be one character")
	}
	if r, _ := utf8.DecodeRuneInString(m.Comma); m.Comma != "" && !validComma(r) {
		return bad("comma", "%q cannot separate columns (a quote, a line break or an unprintable character)", m.Comma)
	}
	return nil
}

// validComma reports whether encoding/csv accepts r as the separator of
// columns; checking it here names the mapping's field instead of failing
// on the first row of the CSV file.
func validComma(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}

// column returns the column that holds field.
func (m *Mapping) column(field string) string {
	if m != nil {
		if c, ok := m.Columns[field]; ok {
			return c
		}
	}
	return field
}

// KindFromFileName returns the kind a CSV file holds by its name, such as
// persons.csv or 2018-06-persons.csv.
func KindFromFileName(path string) (rescreen.Kind, bool) {
	base := strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".csv")
	for _, k := range rescreen.Kinds {
		if base == string(k) || strings.HasSuffix(base, "-"+string(k)) || strings.HasSuffix(base, "_"+string(k)) {
			return k, true
		}
	}
	return "", false
}

// ReadCSV reads records of one kind from a CSV file with a header row. m may
// be nil: the header then names the exchange fields themselves and an
// unknown column is an error (it is most likely a misspelt field).
//
// A cell that CSVWriter guarded against formula injection is read back as
// it was before the guard: one leading single quote is dropped when the
// text after the quotes starts with =, +, -, @, a tab or a carriage
// return. This applies to every file, since a spreadsheet or another
// agency's exporter guards cells the same way.
func ReadCSV(r io.Reader, file string, kind rescreen.Kind, m *Mapping, fn func(Item) error, bad Problems) error {
	if m != nil && m.Kind != kind {
		return rescreen.FieldError{File: file, Msg: fmt.Sprintf("the mapping is for %s, the file holds %s", m.Kind, kind)}
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	if m != nil && m.Comma != "" {
		cr.Comma, _ = utf8.DecodeRuneInString(m.Comma)
	}
	header, err := cr.Read()
	header = append([]string(nil), header...) // the reader reuses its slice
	if err == io.EOF {
		return rescreen.FieldError{File: file, Line: 1, Msg: "the file is empty; a CSV file starts with a header row"}
	}
	if err != nil {
		return csvError(file, err)
	}
	colIndex := map[string]int{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return rescreen.FieldError{File: file, Line: 1, Field: fmt.Sprintf("column %d", i+1), Msg: "the header is not valid UTF-8"}
		}
		h = strings.TrimSpace(h)
		if _, dup := colIndex[h]; dup {
			return rescreen.FieldError{File: file, Line: 1, Field: h, Msg: "the column appears twice in the header"}
		}
		colIndex[h] = i
	}
	fields := rescreen.Fields(kind)
	type binding struct {
		f   rescreen.Field
		col int    // -1 when the value is a constant
		val string // the constant
		tr  map[string]string
	}
	var binds []binding
	used := map[int]bool{}
	for _, f := range fields {
		b := binding{f: f, col: -1}
		if m != nil {
			b.tr = m.Values[f.Name]
			if c, ok := m.Constants[f.Name]; ok {
				b.val = c
				binds = append(binds, b)
				continue
			}
		}
		col := m.column(f.Name)
		if i, ok := colIndex[col]; ok {
			b.col = i
			used[i] = true
			binds = append(binds, b)
		} else if m != nil && m.Columns[f.Name] != "" {
			return rescreen.FieldError{File: file, Line: 1, Field: f.Name,
				Msg: fmt.Sprintf("the mapping names column %q, which is not in the header", col)}
		}
	}
	if m == nil {
		for h, i := range colIndex {
			if !used[i] {
				return rescreen.FieldError{File: file, Line: 1, Field: h, Msg: fmt.Sprintf("is not a field of %s (give a mapping to read an agency's own columns)", kind)}
			}
		}
	}
	layout := ""
	if m != nil {
		layout = m.DateLayout
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				if err := bad(rescreen.FieldError{File: file, Line: pe.StartLine, Msg: fmt.Sprintf("the row has %d columns, the header has %d", len(row), len(header))}); err != nil {
					return err
				}
				continue
			}
			return csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		rec := rescreen.NewRecord(kind)
		ok := true
		failed := map[string]bool{}
		for _, b := range binds {
			v := b.val
			if b.col >= 0 {
				v = row[b.col]
			}
			if !utf8.ValidString(v) {
				ok = false
				failed[b.f.Name] = true
				if err := bad(rescreen.FieldError{File: file, Line: line, Field: header[b.col], Msg: "is not valid UTF-8 (save the file as UTF-8)"}); err != nil {
					return err
				}
				continue
			}
			if b.col >= 0 {
				v = unguardCell(v)
			}
			v = strings.TrimSpace(v)
			if t, found := b.tr[v]; found {
				// A translation is trimmed like a cell, so that " MALE "
				// in a mapping means MALE and the value reads back the
				// same from an export.
				v = strings.TrimSpace(t)
			}
			if err := b.f.Set(rec, v, layout); err != nil {
				ok = false
				failed[b.f.Name] = true
				name := b.f.Name
				if b.col >= 0 && header[b.col] != b.f.Name {
					name = fmt.Sprintf("%s (column %q)", b.f.Name, header[b.col])
				}
				if err := bad(rescreen.FieldError{File: file, Line: line, Field: name, Msg: err.Error()}); err != nil {
					return err
				}
			}
		}
		if ok {
			if err := fn(Item{Kind: kind, Record: rec, File: file, Line: line}); err != nil {
				return err
			}
		} else if err := reportRest(kind, rec, failed, file, line, bad); err != nil {
			return err
		}
	}
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rescreen.FieldError{File: file, Line: pe.Line, Field: fmt.Sprintf("column %d", pe.Column), Msg: pe.Err.Error()}
	}
	return rescreen.FieldError{File: file, Msg: err.Error()}
}

// CSVWriter writes records as one CSV file per kind in a directory, each
// with a header row of the exchange field names.
//
// Exports are opened in spreadsheets, and a spreadsheet runs a cell that
// starts with =, +, -, @, a tab or a carriage return as a formula, so a
// name like =HYPERLINK("http://x") typed into an agency's system could
// reach a user's machine as a live link or command. CSVWriter therefore
// writes such a cell with a leading single quote, which makes the
// spreadsheet show it as text (OWASP's guidance on CSV injection). A cell
// that already starts with quotes before one of those characters gets one
// more, so that ReadCSV, which drops one, gives back exactly what was
// written. The guard changes no date, boolean or enumerated value, since
// none of them can start with those characters, and the exchange format has
// no numeric columns: a value such as "-2" or "+1 202 555 0100" is free text
// (an id or a telephone number), so the guarded cell is what a spreadsheet
// should show.
type CSVWriter struct {
	dir   string
	files map[rescreen.Kind]*csvFile
	err   error
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
}

// NewCSVWriter returns a writer into dir, which it creates if needed.
func NewCSVWriter(dir string) (*CSVWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &CSVWriter{dir: dir, files: map[rescreen.Kind]*csvFile{}}, nil
}

// Write adds one record to its kind's file.
func (cw *CSVWriter) Write(kind rescreen.Kind, rec rescreen.Record) error {
	if cw.err != nil {
		return cw.err
	}
	cf := cw.files[kind]
	fields := rescreen.Fields(kind)
	if cf == nil {
		f, err := os.Create(filepath.Join(cw.dir, string(kind)+".csv"))
		if err != nil {
			cw.err = err
			return err
		}
		b := bufio.NewWriterSize(f, 1<<16)
		cf = &csvFile{f: f, b: b, w: csv.NewWriter(b)}
		cw.files[kind] = cf
		header := make([]string, len(fields))
		for i, fl := range fields {
			header[i] = fl.Name
		}
		cf.w.Write(header)
	}
	row := make([]string, len(fields))
	for i := range fields {
		row[i] = guardCell(fields[i].Get(rec))
	}
	return cf.w.Write(row)
}

// needsGuard reports whether a spreadsheet could take the cell s, once any
// leading single quotes are dropped, for a formula.
func needsGuard(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// guardCell returns s as CSVWriter writes it: with a leading single quote
// when needsGuard(s).
func guardCell(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

// GuardCell is guardCell for other writers of CSV meant for people (the
// link command's pairs and clusters): text a spreadsheet would run as a
// formula gets a leading single quote. Numbers must not pass through it.
func GuardCell(s string) string { return guardCell(s) }

// unguardCell undoes guardCell. A cell that starts with a formula character
// itself was not written by CSVWriter and is left as it is.
func unguardCell(s string) string {
	if strings.HasPrefix(s, "'") && needsGuard(s) {
		return s[1:]
	}
	return s
}

// WriteDataset adds every record of d.
func (cw *CSVWriter) WriteDataset(d *rescreen.Dataset) error {
	return d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error { return cw.Write(k, r) })
}

// Close flushes and closes every file.
func (cw *CSVWriter) Close() error {
	err := cw.err
	kinds := make([]string, 0, len(cw.files))
	for k := range cw.files {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		cf := cw.files[rescreen.Kind(k)]
		cf.w.Flush()
		if e := cf.w.Error(); e != nil && err == nil {
			err = e
		}
		if e := cf.b.Flush(); e != nil && err == nil {
			err = e
		}
		if e := cf.f.Close(); e != nil && err == nil {
			err = e
		}
	}
	return err
}

// reportRest validates what could be read of a record that had unreadable
// fields, so that every problem of the record is reported at once.
func reportRest(kind rescreen.Kind, rec rescreen.Record, failed map[string]bool, file string, line int, bad Problems) error {
	rescreen.Normalize(kind, rec)
	for _, fe := range rescreen.Validate(kind, rec) {
		if failed[fe.Field] {
			continue
		}
		fe.File, fe.Line = file, line
		if err := bad(fe); err != nil {
			return err
		}
	}
	return nil
}
