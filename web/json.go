package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"rescreen"
)

// maxBody bounds every request body. A family's dossier is a few hundred
// kilobytes at most; 4 MiB leaves room for a large family while a client
// cannot make the server buffer gigabytes.
const maxBody = 4 << 20

// maxProblems bounds the problems listed in one error response, because a
// 4 MiB body of bad records would otherwise produce an answer larger than
// the request.
const maxProblems = 100

// writeJSON writes v as the whole response. It marshals before writing, so
// a value that cannot be encoded becomes a clean 500 instead of half a body.
// Responses carry personal data, so nothing may cache them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"` + genericMessage + `"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// decodeJSON reads the request body into v. The body must be declared as
// JSON (a browser cannot send that cross-site without a preflight, which
// keeps forged form posts out), at most maxBody long, a single JSON value,
// and free of fields v does not know. Types that need field paths in their
// errors implement json.Unmarshaler and return a *rescreen.ValidationError.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	const op = "web.decodeJSON"
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return rescreen.Errorf(codeMediaType, "The request body must be JSON (Content-Type: application/json).")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return rescreen.Errorf(codeTooLarge, "The request body is larger than %d bytes.", maxBody)
		}
		return rescreen.WrapError(rescreen.EINVALID, op, err, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return invalid(op, rescreen.FieldError{Msg: "the request body is empty"})
	}
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return invalid(op, rescreen.FieldError{Msg: jsonMessage(err, "")})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ve *rescreen.ValidationError
		if errors.As(err, &ve) {
			return ve.AsError(op)
		}
		field := errorField(err)
		if field == "" {
			field = memberPath(reflect.TypeOf(v), data, err.Error())
		}
		return invalid(op, rescreen.FieldError{Field: field, Msg: jsonMessage(err, "")})
	}
	return nil
}

// memberPath finds the member of the JSON object data that gives a value of
// type t the error whose text is want, by decoding the members one at a
// time, and returns its path (booking.on); "" when none does. encoding/json
// names the field of a type mismatch, but not that of an error returned by
// a field's own UnmarshalJSON, such as a date's, and an error must name its
// field.
func memberPath(t reflect.Type, data []byte, want string) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return ""
	}
	for _, m := range objectMembers(data) {
		one, _ := json.Marshal(map[string]json.RawMessage{m.name: m.value})
		if err := json.Unmarshal(one, reflect.New(t).Interface()); err == nil || err.Error() != want {
			continue
		}
		if ft, ok := jsonField(t, m.name); ok {
			if sub := memberPath(ft, m.value, want); sub != "" {
				return memberName(m.name) + "." + sub
			}
		}
		return memberName(m.name)
	}
	return ""
}

// jsonMember is one name and value of a JSON object.
type jsonMember struct {
	name  string
	value json.RawMessage
}

// objectMembers lists the members of the JSON object data in the order they
// appear, repeated names included (a map would keep only the last one, and
// the error may come from an earlier one); nil if data is not an object.
func objectMembers(data []byte) []jsonMember {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []jsonMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		name, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return out
		}
		out = append(out, jsonMember{name, value})
	}
	return out
}

// jsonField returns the type of the field of struct t that encoding/json
// fills from the member name: by its tag's name, or its own name, exactly
// or else ignoring case, looking into embedded structs.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	var fold reflect.Type
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if tag == "-" || !sf.IsExported() && !sf.Anonymous {
			continue
		}
		if sf.Anonymous && tag == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if f, ok := jsonField(ft, name); ok {
					return f, true
				}
			}
			continue
		}
		if tag == "" {
			tag = sf.Name
		}
		if tag == name {
			return sf.Type, true
		}
		if fold == nil && strings.EqualFold(tag, name) {
			fold = sf.Type
		}
	}
	return fold, fold != nil
}

// errorField names the field a decoding error is about, if the json package
// says.
func errorField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	if name, ok := unknownField(err); ok {
		return memberName(name)
	}
	return ""
}

// memberName is how a problem names a member of a JSON object: by its
// name, or as "" when the name is empty, so that the problem still says
// which member it is about.
func memberName(name string) string {
	if name == "" {
		return `""`
	}
	return name
}

// unknownField extracts the name from the json package's unknown-field
// error, which has no type of its own.
func unknownField(err error) (string, bool) {
	const prefix = `json: unknown field "`
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, `"`) {
		return "", false
	}
	return strings.TrimSuffix(strings.TrimPrefix(msg, prefix), `"`), true
}

// jsonMessage turns a decoding error into a sentence without Go type names;
// want, if set, says what the value should have been.
func jsonMessage(err error, want string) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("is not valid JSON (at byte %d)", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "is not valid JSON (it ends too early)"
	case errors.As(err, &te):
		if want != "" {
			return "must be " + want
		}
		return "must not be a JSON " + te.Value
	}
	if _, ok := unknownField(err); ok {
		return "is not a known field"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// problems accumulates field errors up to maxProblems.
type problems []rescreen.FieldError

func (p *problems) add(field, format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, rescreen.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	} else if len(*p) == maxProblems {
		*p = append(*p, rescreen.FieldError{Msg: "more problems were found but are not listed"})
	}
}

// invalid returns the problems as an EINVALID error, or nil if there are
// none.
func (p problems) invalid(op string) error {
	if len(p) == 0 {
		return nil
	}
	return invalid(op, p...)
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &rescreen.ValidationError{Problems: p}
}

// joinPath appends a member name to a JSON path such as changes[0].record.
func joinPath(path, name string) string {
	if path == "" {
		return memberName(name)
	}
	return path + "." + memberName(name)
}

// members splits a JSON object into its members and reports every member
// whose name known rejects. Decoding member by member is what lets every
// problem name its full path, which encoding/json does not do for unknown
// fields or for errors returned by a field's own UnmarshalJSON (dates).
func members(raw json.RawMessage, path string, known func(string) bool, p *problems) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		p.add(path, "must be a JSON object")
		return nil, false
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	ok := true
	for _, name := range names {
		if !known(name) {
			p.add(joinPath(path, name), "is not a known field")
			ok = false
		}
	}
	return m, ok
}

// fieldWant says in words what JSON a field of the type takes.
var fieldWant = map[rescreen.FieldType]string{
	rescreen.TypeString:  "a string",
	rescreen.TypeEnum:    "a string",
	rescreen.TypeDate:    "a date string of the form 2006-01-02",
	rescreen.TypeBool:    "true or false",
	rescreen.TypeList:    "a list of strings",
	rescreen.TypeRef:     "a reference string of the form SOURCE:SOURCE_ID",
	rescreen.TypeRefList: "a list of references of the form SOURCE:SOURCE_ID",
}

// decodeRecord decodes one record of the kind strictly. Every member is
// checked on its own first, so that all problems of the record are reported
// at once and each names its path (changes[0].record.result); only a record
// free of problems is then decoded as a whole.
func decodeRecord(kind rescreen.Kind, raw json.RawMessage, path string, p *problems) rescreen.Record {
	known := func(name string) bool { _, ok := rescreen.FieldByName(kind, name); return ok }
	m, ok := members(raw, path, known, p)
	if m == nil {
		return nil
	}
	for _, f := range rescreen.Fields(kind) {
		v, present := m[f.Name]
		if !present {
			continue
		}
		one, _ := json.Marshal(map[string]json.RawMessage{f.Name: v})
		if err := json.Unmarshal(one, rescreen.NewRecord(kind)); err != nil {
			p.add(joinPath(path, f.Name), "%s", jsonMessage(err, fieldWant[f.Type]))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	rec := rescreen.NewRecord(kind)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		field := path
		if f := errorField(err); f != "" {
			field = joinPath(path, f)
		}
		p.add(field, "%s", jsonMessage(err, ""))
		return nil
	}
	return rec
}

// datasetBody is the body of POST /api/v1/families: a rescreen.Dataset in
// the exchange format, decoded strictly record by record.
type datasetBody struct {
	rescreen.Dataset
}

// UnmarshalJSON decodes the dataset, naming every problem by its path
// (persons[2].birth_date). Member names of a Dataset are the kinds' names.
func (d *datasetBody) UnmarshalJSON(data []byte) error {
	var p problems
	known := func(name string) bool { _, ok := rescreen.ParseKind(name); return ok }
	m, _ := members(data, "", known, &p)
	for _, k := range rescreen.Kinds {
		raw, ok := m[string(k)]
		if !ok {
			continue
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			p.add(string(k), "must be a list of %s records", k)
			continue
		}
		for i, e := range elems {
			if rec := decodeRecord(k, e, fmt.Sprintf("%s[%d]", k, i), &p); rec != nil {
				d.Add(rec)
			}
		}
	}
	if m != nil && len(d.Families) != 1 && len(p) == 0 {
		p.add("families", "must hold exactly one family, not %d", len(d.Families))
	}
	return p.err()
}

// changesBody is the body of POST /api/v1/families/{id}/changes.
type changesBody struct {
	// Version is the family version the client saw; 0 skips the check.
	// It is required so that a client opts out of the check knowingly.
	Version int64
	Changes []rescreen.Change
}

// UnmarshalJSON decodes the envelope and every change's record with the
// record type NewRecord gives for the change's kind.
func (c *changesBody) UnmarshalJSON(data []byte) error {
	var p problems
	oneOf := func(names ...string) func(string) bool {
		return func(n string) bool { return slices.Contains(names, n) }
	}
	m, _ := members(data, "", oneOf("version", "changes"), &p)
	if m == nil {
		return p.err()
	}
	if raw, ok := m["version"]; !ok {
		p.add("version", "is required (0 skips the version check)")
	} else if err := json.Unmarshal(raw, &c.Version); err != nil {
		p.add("version", "must be a whole number")
	} else if c.Version < 0 {
		p.add("version", "must not be negative")
	}
	var elems []json.RawMessage
	if raw, ok := m["changes"]; !ok {
		p.add("changes", "is required")
	} else if err := json.Unmarshal(raw, &elems); err != nil {
		p.add("changes", "must be a list of changes")
	} else if len(elems) == 0 {
		p.add("changes", "must list at least one change")
	}
	for i, e := range elems {
		path := fmt.Sprintf("changes[%d]", i)
		cm, _ := members(e, path, oneOf("kind", "record"), &p)
		if cm == nil {
			continue
		}
		var name string
		kind, known := rescreen.Kind(""), false
		if raw, ok := cm["kind"]; !ok {
			p.add(path+".kind", "is required")
		} else if err := json.Unmarshal(raw, &name); err != nil {
			p.add(path+".kind", "must be a string")
		} else if kind, known = rescreen.ParseKind(name); !known {
			p.add(path+".kind", "%q is not a kind of record", name)
		}
		raw, ok := cm["record"]
		if !ok {
			p.add(path+".record", "is required")
			continue
		}
		if !known {
			continue
		}
		if rec := decodeRecord(kind, raw, path+".record", &p); rec != nil {
			c.Changes = append(c.Changes, rescreen.Change{Kind: kind, Record: rec})
		}
	}
	return p.err()
}
