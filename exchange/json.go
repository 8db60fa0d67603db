// Package exchange reads and writes the exchange format: the records of
// every kind as one JSON document or as one CSV file per kind, with a
// mapping that lets an agency's own CSV export be read as it is.
//
// Readers never stop at the first bad record: they report every problem as
// file:line: field: what is wrong and let the caller decide whether to apply
// nothing (the default of import) or only the valid records.
package exchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"rescreen"
)

// Format and Version identify an exchange document.
const (
	Format  = "rescreen-exchange"
	Version = 1
)

// Item is one record read from an input, with where it was found.
type Item struct {
	Kind   rescreen.Kind
	Record rescreen.Record
	File   string
	Line   int
}

// Problems is the callback for records that cannot be read. Reading goes on
// after a problem; returning an error stops it.
type Problems func(rescreen.FieldError) error

// lineCounter remembers where the newlines of a stream are, so that a byte
// offset reported by the JSON decoder can be turned into a line number
// without holding the whole input in memory.
type lineCounter struct {
	r    io.Reader
	off  int64
	base int     // newlines before the first remembered one
	nls  []int64 // offsets of remembered newlines, ascending
}

func (lc *lineCounter) Read(p []byte) (int, error) {
	n, err := lc.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			lc.nls = append(lc.nls, lc.off+int64(i))
		}
	}
	lc.off += int64(n)
	return n, err
}

// line returns the 1-based line of the byte at off.
func (lc *lineCounter) line(off int64) int {
	i := sort.Search(len(lc.nls), func(i int) bool { return lc.nls[i] >= off })
	return lc.base + i + 1
}

// forget drops newlines before off; later queries are all at or after off.
func (lc *lineCounter) forget(off int64) {
	i := sort.Search(len(lc.nls), func(i int) bool { return lc.nls[i] >= off })
	if i > 4096 {
		lc.base += i
		lc.nls = append(lc.nls[:0], lc.nls[i:]...)
	}
}

// ReadJSON reads an exchange document and calls fn for every record that
// could be decoded. Records that cannot be decoded are reported to bad with
// their line; the document's structure must be sound, or ReadJSON returns an
// error naming the line where it broke.
//
// A byte-order mark at the start is skipped, as ReadCSV skips it: editors
// on Windows write one, and JSON itself does not allow it.
func ReadJSON(r io.Reader, file string, fn func(Item) error, bad Problems) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	lc := &lineCounter{r: br}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	structural := func(msg string) error {
		return rescreen.FieldError{File: file, Line: lc.line(dec.InputOffset()), Msg: msg}
	}
	tok, err := dec.Token()
	if err == io.EOF {
		return rescreen.FieldError{File: file, Line: 1, Msg: "the file is empty"}
	}
	if err != nil {
		return structural("not JSON: " + jsonMsg(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return structural("an exchange document is a JSON object")
	}
	seenFormat := false
	lastRank := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return structural("not JSON: " + jsonMsg(err))
		}
		key, _ := tok.(string)
		switch key {
		case "format", "version":
			var v any
			if err := dec.Decode(&v); err != nil {
				return structural("not JSON: " + jsonMsg(err))
			}
			if key == "format" && v != Format {
				return structural(fmt.Sprintf("format: is %v, want %q", v, Format))
			}
			if key == "version" && fmt.Sprint(v) != fmt.Sprint(Version) {
				return structural(fmt.Sprintf("version: is %v, this program reads version %d", v, Version))
			}
			seenFormat = seenFormat || key == "format"
			continue
		}
		kind, ok := rescreen.ParseKind(key)
		if !ok {
			return structural(fmt.Sprintf("%q is not a kind of record (the kinds are %s)", key, kindList()))
		}
		if kindRank(kind) <= lastRank {
			return structural(fmt.Sprintf("%q comes after a kind it may not follow; list the kinds in the order %s, each once", key, kindList()))
		}
		lastRank = kindRank(kind)
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return structural(fmt.Sprintf("%s: must be an array of records", key))
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return structural("not JSON: " + jsonMsg(err))
			}
			start := dec.InputOffset() - int64(len(raw))
			line := lc.line(start)
			lc.forget(start)
			rec, errs := DecodeRecord(kind, raw)
			if len(errs) > 0 {
				failed := map[string]bool{}
				for _, fe := range errs {
					failed[fe.Field] = true
					fe.File, fe.Line = file, line
					if err := bad(fe); err != nil {
						return err
					}
				}
				if rec != nil {
					if err := reportRest(kind, rec, failed, file, line, bad); err != nil {
						return err
					}
				}
				continue
			}
			if err := fn(Item{Kind: kind, Record: rec, File: file, Line: line}); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return structural("not JSON: " + jsonMsg(err))
		}
	}
	if _, err := dec.Token(); err != nil {
		return structural("not JSON: " + jsonMsg(err))
	}
	if !seenFormat {
		return rescreen.FieldError{File: file, Line: 1, Field: "format", Msg: fmt.Sprintf("is missing; an exchange document starts with \"format\": %q", Format)}
	}
	return nil
}

func jsonMsg(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return "the document ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// kindRank is the position of the kind in rescreen.Kinds, from 1. Records
// may refer only to kinds of lower rank, so reading in rank order resolves
// every reference on the way.
func kindRank(k rescreen.Kind) int {
	for i, kk := range rescreen.Kinds {
		if kk == k {
			return i + 1
		}
	}
	return 0
}

func kindList() string {
	s := make([]string, len(rescreen.Kinds))
	for i, k := range rescreen.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// DecodeRecord decodes one record of the kind from its JSON object and
// reports every field that is unknown or of the wrong type, by name. It does
// not Validate the record.
func DecodeRecord(kind rescreen.Kind, raw []byte) (rescreen.Record, []rescreen.FieldError) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, []rescreen.FieldError{{Msg: "a record must be a JSON object"}}
	}
	rec := rescreen.NewRecord(kind)
	var errs []rescreen.FieldError
	known := map[string]bool{}
	for _, f := range rescreen.Fields(kind) {
		known[f.Name] = true
		v, ok := obj[f.Name]
		if !ok || string(v) == "null" {
			continue
		}
		if msg := setJSON(&f, rec, v); msg != "" {
			errs = append(errs, rescreen.FieldError{Field: f.Name, Msg: msg})
		}
	}
	var unknown []string
	for k := range obj {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs = append(errs, rescreen.FieldError{Field: k, Msg: fmt.Sprintf("is not a field of %s", kind)})
	}
	return rec, errs
}

func setJSON(f *rescreen.Field, rec rescreen.Record, v json.RawMessage) string {
	switch f.Type {
	case rescreen.TypeBool:
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			return "must be true, false or null"
		}
		if b {
			_ = f.Set(rec, "true", "")
		} else {
			_ = f.Set(rec, "false", "")
		}
		return ""
	case rescreen.TypeList, rescreen.TypeRefList:
		var l []string
		if err := json.Unmarshal(v, &l); err != nil {
			return "must be an array of strings"
		}
		for _, s := range l {
			if strings.Contains(s, ";") {
				return fmt.Sprintf("%q: an element may not contain ';'", s)
			}
		}
		_ = f.Set(rec, strings.Join(l, ";"), "")
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "must be a string"
	}
	if err := f.Set(rec, s, ""); err != nil {
		return err.Error()
	}
	return ""
}

// JSONWriter writes an exchange document. Records may come in any order of
// kinds; each kind's records are kept in a temporary file until Close puts
// the document together, so memory stays flat however large the output.
type JSONWriter struct {
	w     io.Writer
	parts map[rescreen.Kind]*part
	err   error
}

type part struct {
	f   *os.File
	buf *bufio.Writer
	n   int
}

// NewJSONWriter returns a writer of an exchange document to w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	return &JSONWriter{w: w, parts: map[rescreen.Kind]*part{}}
}

// Write adds one record.
func (jw *JSONWriter) Write(kind rescreen.Kind, rec rescreen.Record) error {
	if jw.err != nil {
		return jw.err
	}
	p := jw.parts[kind]
	if p == nil {
		f, err := os.CreateTemp("", "rescreen-export-*")
		if err != nil {
			jw.err = err
			return err
		}
		p = &part{f: f, buf: bufio.NewWriterSize(f, 1<<16)}
		jw.parts[kind] = p
	}
	b, err := MarshalRecord(rec)
	if err != nil {
		jw.err = err
		return err
	}
	if p.n > 0 {
		p.buf.WriteString(",\n")
	}
	p.buf.Write(b)
	p.n++
	return nil
}

// WriteDataset adds every record of d.
func (jw *JSONWriter) WriteDataset(d *rescreen.Dataset) error {
	return d.EachRecord(func(k rescreen.Kind, r rescreen.Record) error { return jw.Write(k, r) })
}

// Close writes the document to the underlying writer and removes the
// temporary files. It does not close the underlying writer.
func (jw *JSONWriter) Close() error {
	defer func() {
		for _, p := range jw.parts {
			p.f.Close()
			os.Remove(p.f.Name())
		}
	}()
	if jw.err != nil {
		return jw.err
	}
	bw := bufio.NewWriterSize(jw.w, 1<<16)
	fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d", Format, Version)
	for _, k := range rescreen.Kinds {
		p := jw.parts[k]
		if p == nil {
			continue
		}
		if err := p.buf.Flush(); err != nil {
			return err
		}
		if _, err := p.f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		fmt.Fprintf(bw, ",\n%q:[\n", string(k))
		if _, err := io.Copy(bw, p.f); err != nil {
			return err
		}
		bw.WriteString("\n]")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// MarshalRecord returns the canonical JSON of a record: fields in the
// format's order, unknown values left out, no HTML escaping (the exchange
// format is not HTML; a name such as <script> is stored as it is).
func MarshalRecord(rec rescreen.Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
