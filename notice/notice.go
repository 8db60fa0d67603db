// Package notice renders the settlement's notices and election forms to PDF
// from values handed in; it never reads the store, so its output depends on
// its arguments alone and the same notice always has the same SHA-256.
//
// # Kinds, languages and versions
//
// A notice is chosen by kind (CLASS_NOTICE, ELECTION_FORM,
// INTERVIEW_SCHEDULING, DETERMINATION_NOTICE), language (an ISO 639 code)
// and version. Each written text is an embedded file,
// templates/KIND.LANG.vN.txt (kind in lower case), and each language has a
// terms file, templates/terms.LANG.txt, with its date format, month names
// and the words for controlled values. A language is added, or a text
// revised, by adding files: a new version never replaces an old one, so a
// notice delivered under version 1 can be rendered again exactly as it was.
//
// Only English and Spanish are written. For any other language, including
// the Mayan languages many families speak, Render returns an error wrapping
// ErrNoWrittenTemplate: the service then delivers the notice by having an
// interpreter read a written version aloud, and records that delivery (the
// language, the interpreter, and the written version that was read).
//
// # Markup
//
// A template is read line by line. Lines starting with # are comments. Plain
// lines form paragraphs; a blank line ends one. Lines starting with @ are
// directives:
//
//	@pagelabel Page {page} of {pages}    footer page label (required)
//	@footer TEXT                         footer text; kind, language, version
//	                                     and reference are appended
//	@subject TEXT                        PDF subject
//	@title TEXT                          the title (required)
//	@heading TEXT
//	@paragraph TEXT                      the same as a plain line
//	@small TEXT                          fine print
//	@bullet TEXT                         a list item
//	@box COND | TEXT                     a checkbox, ticked if COND holds;
//	                                     "@box | TEXT" is always empty
//	@field LABEL | VALUE                 a label:value line; consecutive fields
//	                                     form one list; an empty value prints a
//	                                     line to write on
//	@sign LABEL | DATE LABEL             signature and date lines
//	@space POINTS
//	@pagebreak
//	@if COND / @else / @end              conditional part
//	@keep / @endkeep                     keep on one page if it fits on one
//
// Plain lines right after a paragraph, @small, @bullet or @box continue it.
// In TEXT, **bold** switches to bold type and {field} prints a field of Data
// by its JSON name ({name}, {date_of_birth}); {{ is a literal brace. COND is
// "field" (not empty), "!field" (empty), or "field=VALUE" / "field!=VALUE"
// for controlled fields (choice=A_REMAIN) and yes/no fields (read_aloud=yes).
//
// Field values are inserted after the markup is parsed, as plain text on one
// line: a value holding ** or { or a newline prints as those characters.
package notice

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"rescreen"
	"rescreen/pdfdoc"
)

// Kind is a kind of notice.
type Kind string

// Kinds of notice.
const (
	// ClassNotice tells separated parents and children what the settlement
	// gives them, who is in the class, how to reach class counsel, and the
	// dates that matter.
	ClassNotice Kind = "CLASS_NOTICE"
	// ElectionForm is one member's form: Option A or Option B (W1-W6).
	ElectionForm Kind = "ELECTION_FORM"
	// InterviewScheduling gives the date, time and place of a settlement
	// interview (R-P2, R-C2).
	InterviewScheduling Kind = "INTERVIEW_SCHEDULING"
	// DeterminationNotice gives the result of a settlement screening and
	// what it means for the family (F, H rules).
	DeterminationNotice Kind = "DETERMINATION_NOTICE"
)

// ErrNoWrittenTemplate means there is no written text of the notice in the
// language asked for. The notice is then read aloud by an interpreter.
var ErrNoWrittenTemplate = errors.New("no written template in this language")

// kindSpec says which fields a kind cannot do without.
type kindSpec struct {
	required []string
	// anyOf lists groups of fields of which at least one is needed.
	anyOf [][]string
	// results, if set, are the results the notice can give.
	results []rescreen.ScreeningResult
}

var kindSpecs = map[Kind]kindSpec{
	ClassNotice:  {required: []string{"issued_on", "counsel_name", "counsel_phone"}},
	ElectionForm: {required: []string{"name", "a_number", "date_of_birth"}},
	InterviewScheduling: {
		required: []string{"name", "a_number", "interview_date", "interview_time", "interpreter_language"},
		anyOf:    [][]string{{"interview_place", "interview_phone"}},
	},
	DeterminationNotice: {
		required: []string{"name", "a_number", "result", "decided_on"},
		// A pending screening has no result to give notice of.
		results: []rescreen.ScreeningResult{rescreen.ResultPositive, rescreen.ResultNegative, rescreen.ResultNoClaim},
	},
}

//go:embed templates/*.txt
var files embed.FS

type library struct {
	templates map[Kind]map[string]map[int]*tmpl // kind, language, version
	terms     map[string]terms
}

var lib struct {
	once sync.Once
	l    *library
	err  error
}

func load() (*library, error) {
	lib.once.Do(func() { lib.l, lib.err = parseFiles(files) })
	return lib.l, lib.err
}

// Check parses every template and terms file. The server calls it at start,
// so that a broken template stops the boot rather than a user's request.
func Check() error {
	_, err := load()
	return err
}

func parseFiles(fsys fs.FS) (*library, error) {
	l := &library{templates: map[Kind]map[string]map[int]*tmpl{}, terms: map[string]terms{}}
	names, err := fs.Glob(fsys, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, path := range names {
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(path, "templates/")
		parts := strings.Split(strings.TrimSuffix(name, ".txt"), ".")
		if len(parts) == 2 && parts[0] == "terms" && rescreen.IsLanguage(parts[1]) {
			t, err := parseTerms(name, string(b))
			if err != nil {
				errs = append(errs, err)
			}
			l.terms[parts[1]] = t
			continue
		}
		kind := Kind(strings.ToUpper(parts[0]))
		version := 0
		if len(parts) == 3 && strings.HasPrefix(parts[2], "v") {
			version, _ = strconv.Atoi(parts[2][1:])
		}
		if _, ok := kindSpecs[kind]; !ok || version < 1 || !rescreen.IsLanguage(parts[1]) {
			errs = append(errs, fmt.Errorf("%s: want KIND.LANG.vN.txt or terms.LANG.txt", name))
			continue
		}
		t, err := parseTemplate(name, string(b))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.kind, t.lang, t.version = kind, parts[1], version
		if l.templates[kind] == nil {
			l.templates[kind] = map[string]map[int]*tmpl{}
		}
		if l.templates[kind][t.lang] == nil {
			l.templates[kind][t.lang] = map[int]*tmpl{}
		}
		l.templates[kind][t.lang][version] = t
	}
	for kind, byLang := range l.templates {
		for lang := range byLang {
			if l.terms[lang] == nil {
				errs = append(errs, fmt.Errorf("%s in %s: no terms.%s.txt", kind, lang, lang))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("notice: %w", err)
	}
	return l, nil
}

// Kinds returns the kinds of notice, sorted.
func Kinds() []Kind {
	return slices.Sorted(maps.Keys(kindSpecs))
}

// Languages returns the languages the kind is written in, sorted.
func Languages(kind Kind) []string {
	l, err := load()
	if err != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.templates[kind]))
}

// Latest returns the newest version of the kind written in lang; ok is false
// if there is none.
func Latest(kind Kind, lang string) (version int, ok bool) {
	l, err := load()
	if err != nil || len(l.templates[kind][lang]) == 0 {
		return 0, false
	}
	return slices.Max(slices.Collect(maps.Keys(l.templates[kind][lang]))), true
}

// Render renders version of the kind's written text in lang, filled in from
// data, and returns the PDF and the hex SHA-256 of its bytes.
//
// Errors are *rescreen.Error values: EINVALID for an unknown kind or for
// missing or malformed data (the message names every field at fault; the
// cause is a *rescreen.ValidationError), and ENOTFOUND if the text does not
// exist. If lang has no written text of the kind at all, the error wraps
// ErrNoWrittenTemplate: the notice must then be read aloud by an
// interpreter, and the service records that delivery instead of a PDF.
func Render(kind Kind, lang string, version int, data Data) (pdf []byte, sha256hex string, err error) {
	const op = "notice.Render"
	l, err := load()
	if err != nil {
		return nil, "", rescreen.WrapError(rescreen.EINTERNAL, op, err, "")
	}
	spec, ok := kindSpecs[kind]
	if !ok {
		return nil, "", &rescreen.Error{Code: rescreen.EINVALID, Op: op, Message: fmt.Sprintf("unknown notice kind %q", kind)}
	}
	byLang := l.templates[kind][lang]
	if len(byLang) == 0 {
		return nil, "", rescreen.WrapError(rescreen.ENOTFOUND, op, ErrNoWrittenTemplate,
			fmt.Sprintf("the %s is not written in language %q", kind, lang))
	}
	t := byLang[version]
	if t == nil {
		return nil, "", &rescreen.Error{Code: rescreen.ENOTFOUND, Op: op,
			Message: fmt.Sprintf("the %s in language %q has no version %d", kind, lang, version)}
	}
	v, probs := data.read(l.terms[lang])
	for _, p := range spec.check(kind, v) {
		// A malformed value is reported once, as malformed.
		if !slices.ContainsFunc(probs, func(q rescreen.FieldError) bool { return q.Field == p.Field }) {
			probs = append(probs, p)
		}
	}
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b rescreen.FieldError) int { return cmp.Compare(fieldIndex(a.Field), fieldIndex(b.Field)) })
		return nil, "", (&rescreen.ValidationError{Problems: probs}).AsError(op)
	}
	pdf, sum, err := t.build(v).Render()
	if err != nil {
		return nil, "", rescreen.WrapError(rescreen.EINTERNAL, op, err, "")
	}
	return pdf, sum, nil
}

func fieldIndex(key string) int {
	return slices.IndexFunc(fieldSpecs, func(f fieldSpec) bool { return f.key == key })
}

// check reports the fields the kind needs and lacks.
func (s kindSpec) check(kind Kind, v values) []rescreen.FieldError {
	var probs []rescreen.FieldError
	for _, k := range s.required {
		if v.raw[k] == "" {
			probs = append(probs, rescreen.FieldError{Field: k, Msg: fmt.Sprintf("required for the %s", kind)})
		}
	}
	for _, group := range s.anyOf {
		if !slices.ContainsFunc(group, func(k string) bool { return v.raw[k] != "" }) {
			probs = append(probs, rescreen.FieldError{Field: group[0],
				Msg: fmt.Sprintf("the %s needs one of %s", kind, strings.Join(group, ", "))})
		}
	}
	if r := v.raw["result"]; s.results != nil && r != "" && !slices.Contains(s.results, rescreen.ScreeningResult(r)) {
		probs = append(probs, rescreen.FieldError{Field: "result", Msg: fmt.Sprintf("the %s cannot give the result %s", kind, r)})
	}
	return probs
}

// build turns the template and the values into a document.
func (t *tmpl) build(v values) *pdfdoc.Document {
	footer := []string{}
	if f := plain(t.footer, v); f != "" {
		footer = append(footer, f)
	}
	// The footer names the exact text, so a printed page can be traced to
	// the template and the delivery it came from.
	footer = append(footer, fmt.Sprintf("%s %s v%d", t.kind, t.lang, t.version))
	if ref := v.shown["reference"]; ref != "" {
		footer = append(footer, ref)
	}
	opts := pdfdoc.Options{
		Subject:   plain(t.subject, v),
		PageLabel: t.pageLabel,
		Footer:    strings.Join(footer, " · "),
	}
	if d, err := rescreen.ParseDate(v.raw["issued_on"]); err == nil && !d.IsZero() {
		opts.Created = d.Time()
	}
	b := &builder{doc: pdfdoc.New(opts), v: v}
	b.nodes(t.body)
	b.flush()
	return b.doc
}

type builder struct {
	doc    *pdfdoc.Document
	v      values
	fields []pdfdoc.Field
}

func (b *builder) flush() {
	if len(b.fields) > 0 {
		b.doc.Fields(b.fields...)
		b.fields = nil
	}
}

func (b *builder) nodes(ns []node) {
	for _, n := range ns {
		switch n.kind {
		case nodeIf:
			if n.cond.test(b.v) {
				b.nodes(n.then)
			} else {
				b.nodes(n.orElse)
			}
			continue
		case nodeField:
			b.fields = append(b.fields, pdfdoc.Field{Label: plain(n.label, b.v), Value: plain(n.text, b.v)})
			continue
		case nodeKeep:
			b.flush()
			b.doc.Keep(func() {
				b.nodes(n.then)
				b.flush()
			})
			continue
		}
		b.flush()
		switch n.kind {
		case nodeTitle:
			b.doc.Title(plain(n.text, b.v))
		case nodeHeading:
			b.doc.Heading(plain(n.text, b.v))
		case nodeParagraph:
			b.doc.RichParagraph(spans(n.text, b.v)...)
		case nodeSmall:
			b.doc.Small(plain(n.text, b.v))
		case nodeBullet:
			b.doc.Bullet(spans(n.text, b.v)...)
		case nodeBox:
			b.doc.Checkbox(n.cond.test(b.v), spans(n.text, b.v)...)
		case nodeSign:
			b.doc.Signature(plain(n.text, b.v), plain(n.label, b.v))
		case nodeSpace:
			b.doc.Space(n.space)
		case nodePageBreak:
			b.doc.PageBreak()
		}
	}
}

// spans fills in the pieces; a value keeps the weight of its place.
func spans(ps []piece, v values) []pdfdoc.Span {
	out := make([]pdfdoc.Span, 0, len(ps))
	for _, p := range ps {
		text := p.lit
		if p.key != "" {
			text = v.shown[p.key]
		}
		out = append(out, pdfdoc.Span{Text: text, Bold: p.bold})
	}
	return out
}

func plain(ps []piece, v values) string {
	var sb strings.Builder
	for _, s := range spans(ps, v) {
		sb.WriteString(s.Text)
	}
	return strings.TrimSpace(sb.String())
}
