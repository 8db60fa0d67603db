package linkage

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"rescreen"
)

// A Table is one input file read through a Mapping: the records' ids and
// the raw values of the mapped columns. It is the input of NewDataset.
type Table struct {
	// Name names the file in messages and in the output.
	Name string
	// Mapping is the mapping used, detected if none was given.
	Mapping Mapping
	// Ignored lists the header's columns that the mapping does not use.
	Ignored []string
	// IDs holds each record's id: the id column's value, or the record's
	// line number when the mapping has no id column.
	IDs []string
	// Lines holds the line of the file on which each record starts.
	Lines []int32
	// Values holds the raw values, trimmed: Values[c][r] is the value of
	// the mapping's column c in record r.
	Values [][]string
}

// Len returns the number of records.
func (t *Table) Len() int { return len(t.IDs) }

// CSVOptions are the settings of ReadCSV. The zero value reads
// comma-separated UTF-8.
type CSVOptions struct {
	// Comma is the field separator; 0 means ','.
	Comma rune
	// Encoding is "utf-8" (the default; a byte sequence that is not UTF-8
	// is an error) or "windows-1252" (also "latin1", "cp1252"), in which
	// fields that are not valid UTF-8 are decoded as Windows-1252, the
	// encoding of spreadsheets saved on Windows in Spanish or English.
	Encoding string
}

// detectRows is how many rows DetectMapping and DetectDateLayout see.
const detectRows = 2000

// ReadCSV reads a CSV file with a header line. name is the file's name,
// used only in errors. Values are trimmed of surrounding spaces. If m is
// nil, the mapping is detected from the header and the first rows (see
// DetectMapping); a Date column of m without a layout gets one detected
// from its values.
//
// Every problem is reported as a rescreen.FieldError naming the file, the
// line and the column: an empty file, a mapping naming a column that is not
// in the header (or a header naming a mapped column twice), a row with
// more or fewer fields than the header, a quote out of place, a byte
// sequence that is not UTF-8, an empty or repeated id, and a file with no
// record. ReadCSV never panics on any input.
func ReadCSV(r io.Reader, name string, m Mapping, opt CSVOptions) (*Table, error) {
	latin1 := false
	switch strings.ToLower(strings.ReplaceAll(opt.Encoding, "-", "")) {
	case "", "utf8":
	case "windows1252", "cp1252", "latin1", "iso88591":
		latin1 = true
	default:
		return nil, rescreen.FieldError{File: name, Msg: fmt.Sprintf("unknown encoding %q (want utf-8 or windows-1252)", opt.Encoding)}
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	fail := func(line int, col, msg string) error {
		return rescreen.FieldError{File: name, Line: line, Field: col, Msg: msg}
	}
	parseErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return fail(pe.Line, "column "+strconv.Itoa(pe.Column), pe.Err.Error())
		}
		var fe rescreen.FieldError
		if errors.As(err, &fe) {
			return fe
		}
		return rescreen.FieldError{File: name, Msg: err.Error()}
	}

	head, err := cr.Read()
	if err == io.EOF {
		return nil, fail(0, "", "empty file: expected a header line naming the columns")
	}
	if err != nil {
		return nil, parseErr(err)
	}
	header := make([]string, len(head))
	for i, h := range head {
		h, err := decodeField(h, latin1)
		if err != nil {
			return nil, fail(1, "column "+strconv.Itoa(i+1), err.Error())
		}
		header[i] = strings.TrimSpace(h)
	}
	cr.FieldsPerRecord = len(header)

	// The first rows are kept to detect the mapping or the date layouts.
	var first [][]string
	var firstLines []int
	readRow := func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				// Name the first missing column, or the first extra one.
				col := "column " + strconv.Itoa(len(header)+1)
				if len(rec) < len(header) {
					col = header[len(rec)]
				}
				return nil, 0, fail(pe.StartLine, col, fmt.Sprintf("the row has %d fields, the header %d", len(rec), len(header)))
			}
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		return rec, line, nil
	}
	needDetect := m == nil
	for _, c := range m {
		if c.Kind == KindDate && c.Layout == nil {
			needDetect = true
		}
	}
	if needDetect {
		for len(first) < detectRows {
			rec, line, err := readRow()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, parseErr(err)
			}
			first = append(first, append([]string(nil), rec...))
			firstLines = append(firstLines, line)
		}
	}

	t := &Table{Name: name}
	if m == nil {
		m, t.Ignored = DetectMapping(header, first)
		if !m.compared() {
			return nil, fail(1, "", fmt.Sprintf("no column has a name this program recognises (columns: %s); give a mapping such as given_name=given,surname=surname,dob=date:YYYY-MM-DD", strings.Join(header, ", ")))
		}
	} else {
		m = append(Mapping(nil), m...)
	}
	// Where each mapped column is, and which columns are not used.
	pos := make([]int, len(m))
	keyCol := -1
	for i, c := range m {
		pos[i] = -1
		for j, h := range header {
			if h != c.Name {
				continue
			}
			if pos[i] >= 0 {
				return nil, fail(1, c.Name, fmt.Sprintf("the header names column %q twice (columns %d and %d)", h, pos[i]+1, j+1))
			}
			pos[i] = j
		}
		if pos[i] < 0 {
			return nil, fail(1, c.Name, fmt.Sprintf("the mapping names column %q, which is not in the header (columns: %s)", c.Name, strings.Join(header, ", ")))
		}
		if c.Kind == KindKey {
			keyCol = i
		}
		if c.Kind == KindDate && c.Layout == nil {
			var vals []string
			for _, r := range first {
				vals = append(vals, r[pos[i]])
			}
			m[i].Layout = DetectDateLayout(vals)
		}
	}
	if t.Ignored == nil {
		for j, h := range header {
			if !containsInt(pos, j) {
				t.Ignored = append(t.Ignored, h)
			}
		}
	}
	t.Mapping = m
	t.Values = make([][]string, len(m))
	seen := map[string]int32{}

	add := func(rec []string, line int) error {
		n := len(t.IDs)
		for i, c := range m {
			v, err := decodeField(strings.TrimSpace(rec[pos[i]]), latin1)
			if err != nil {
				return fail(line, c.Name, err.Error())
			}
			t.Values[i] = append(t.Values[i], v)
		}
		id := strconv.Itoa(line)
		if keyCol >= 0 {
			id = t.Values[keyCol][n]
			if id == "" {
				return fail(line, m[keyCol].Name, "the id is empty")
			}
			if l, dup := seen[id]; dup {
				return fail(line, m[keyCol].Name, fmt.Sprintf("id %q is repeated (first on line %d)", id, l))
			}
			seen[id] = int32(line)
		}
		t.IDs = append(t.IDs, id)
		t.Lines = append(t.Lines, int32(line))
		return nil
	}
	for k, rec := range first {
		if err := add(rec, firstLines[k]); err != nil {
			return nil, err
		}
	}
	for {
		rec, line, err := readRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, parseErr(err)
		}
		if err := add(rec, line); err != nil {
			return nil, err
		}
	}
	if len(t.IDs) == 0 {
		return nil, fail(1, "", "no records after the header line")
	}
	return t, nil
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// decodeField checks that s is UTF-8, or decodes it from Windows-1252 when
// latin1 is set. Strings from encoding/csv are fresh, so a valid field is
// returned as is.
func decodeField(s string, latin1 bool) (string, error) {
	if utf8.ValidString(s) {
		return s, nil
	}
	if !latin1 {
		i := 0
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return "", fmt.Errorf("not valid UTF-8 (byte 0x%02x at byte %d of the value); if the file was saved as Windows-1252 or Latin-1, convert it to UTF-8 or give that encoding", s[i], i+1)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = windows1252(s[i])
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), nil
}
