package notice

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"rescreen"
)

// Data carries the facts a notice prints. Which fields a kind needs is
// fixed per kind (see Render); the others may stay empty. Text fields are
// printed as given: they are never read as template markup.
type Data struct {
	// The person the notice or form is for.
	Name        string        `json:"name"`
	ANumber     string        `json:"a_number"`
	DateOfBirth rescreen.Date `json:"date_of_birth"`

	// IssuedOn is the date of the notice. It is printed and recorded as the
	// PDF's creation date; nothing is taken from the clock.
	IssuedOn rescreen.Date `json:"issued_on"`
	// Reference identifies the delivery (a notice or delivery id); it is
	// printed in every footer.
	Reference string `json:"reference"`

	// Class counsel, whom members contact and send election forms to (W6).
	CounselName    string `json:"counsel_name"`
	CounselPhone   string `json:"counsel_phone"`
	CounselEmail   string `json:"counsel_email"`
	CounselAddress string `json:"counsel_address"`

	// Class notice: the date to return the election form by, and the date by
	// which class counsel choose the cases of removed parents (D-4, T-1).
	RespondBy        rescreen.Date `json:"respond_by"`
	ReturnRequestsBy rescreen.Date `json:"return_requests_by"`

	// Election form. A blank form leaves these empty, and the boxes and lines
	// are filled in by hand; a returned form is rendered for the record with
	// the recorded values (R-SYS-7).
	Choice       rescreen.Choice     `json:"choice"`
	SignerRole   rescreen.SignerRole `json:"signer_role"`
	Signer       string              `json:"signer"`
	SignedOn     rescreen.Date       `json:"signed_on"`
	ReadLanguage string              `json:"read_language"` // ISO 639 code (W3)
	ReadAloud    *bool               `json:"read_aloud"`
	Interpreter  string              `json:"interpreter"`

	// Interview scheduling. InterviewTime is local time at the place, in
	// 24-hour form ("09:30"). Either a place or a telephone line is needed.
	InterviewDate       rescreen.Date `json:"interview_date"`
	InterviewTime       string        `json:"interview_time"`
	InterviewPlace      string        `json:"interview_place"`
	InterviewPhone      string        `json:"interview_phone"`
	InterpreterLanguage string        `json:"interpreter_language"` // ISO 639 code
	CounselNotified     *bool         `json:"counsel_notified"`
	RescheduleContact   string        `json:"reschedule_contact"`

	// Determination notice: the result of the settlement screening and the
	// date it was decided.
	Result    rescreen.ScreeningResult `json:"result"`
	DecidedOn rescreen.Date            `json:"decided_on"`
}

// fieldKind says how a field is checked and printed.
type fieldKind int

const (
	kindText fieldKind = iota
	kindDate
	kindTime
	kindBool
	kindLang
	kindEnum
)

// fieldSpec describes one field as templates see it: Key is its name in
// templates and errors (the JSON name), raw reads its value.
type fieldSpec struct {
	key  string
	kind fieldKind
	enum []string
	raw  func(d *Data) string
}

func dateRaw(f func(d *Data) rescreen.Date) func(d *Data) string {
	return func(d *Data) string { return f(d).String() }
}

func boolRaw(f func(d *Data) *bool) func(d *Data) string {
	return func(d *Data) string {
		switch b := f(d); {
		case b == nil:
			return ""
		case *b:
			return "yes"
		}
		return "no"
	}
}

// fieldSpecs lists every field in the order of Data.
var fieldSpecs = []fieldSpec{
	{key: "name", raw: func(d *Data) string { return d.Name }},
	{key: "a_number", raw: func(d *Data) string { return d.ANumber }},
	{key: "date_of_birth", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.DateOfBirth })},
	{key: "issued_on", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.IssuedOn })},
	{key: "reference", raw: func(d *Data) string { return d.Reference }},
	{key: "counsel_name", raw: func(d *Data) string { return d.CounselName }},
	{key: "counsel_phone", raw: func(d *Data) string { return d.CounselPhone }},
	{key: "counsel_email", raw: func(d *Data) string { return d.CounselEmail }},
	{key: "counsel_address", raw: func(d *Data) string { return d.CounselAddress }},
	{key: "respond_by", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.RespondBy })},
	{key: "return_requests_by", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.ReturnRequestsBy })},
	{key: "choice", kind: kindEnum, enum: rescreen.Choice("").Values(), raw: func(d *Data) string { return string(d.Choice) }},
	{key: "signer_role", kind: kindEnum, enum: rescreen.SignerRole("").Values(), raw: func(d *Data) string { return string(d.SignerRole) }},
	{key: "signer", raw: func(d *Data) string { return d.Signer }},
	{key: "signed_on", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.SignedOn })},
	{key: "read_language", kind: kindLang, raw: func(d *Data) string { return d.ReadLanguage }},
	{key: "read_aloud", kind: kindBool, raw: boolRaw(func(d *Data) *bool { return d.ReadAloud })},
	{key: "interpreter", raw: func(d *Data) string { return d.Interpreter }},
	{key: "interview_date", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.InterviewDate })},
	{key: "interview_time", kind: kindTime, raw: func(d *Data) string { return d.InterviewTime }},
	{key: "interview_place", raw: func(d *Data) string { return d.InterviewPlace }},
	{key: "interview_phone", raw: func(d *Data) string { return d.InterviewPhone }},
	{key: "interpreter_language", kind: kindLang, raw: func(d *Data) string { return d.InterpreterLanguage }},
	{key: "counsel_notified", kind: kindBool, raw: boolRaw(func(d *Data) *bool { return d.CounselNotified })},
	{key: "reschedule_contact", raw: func(d *Data) string { return d.RescheduleContact }},
	{key: "result", kind: kindEnum, enum: rescreen.ScreeningResult("").Values(), raw: func(d *Data) string { return string(d.Result) }},
	{key: "decided_on", kind: kindDate, raw: dateRaw(func(d *Data) rescreen.Date { return d.DecidedOn })},
}

var specByKey = func() map[string]*fieldSpec {
	m := make(map[string]*fieldSpec, len(fieldSpecs))
	for i := range fieldSpecs {
		m[fieldSpecs[i].key] = &fieldSpecs[i]
	}
	return m
}()

// values holds one render's field values: raw for conditions, shown for
// printing in the notice's language.
type values struct {
	raw   map[string]string
	shown map[string]string
}

// flatten keeps a value on one line: a newline in a name must not open a
// paragraph of its own.
func flatten(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f'
	}), " ")
}

// read checks d's fields and prints them with the terms of one language.
// It reports every problem, not only the first.
func (d *Data) read(t terms) (values, []rescreen.FieldError) {
	v := values{raw: map[string]string{}, shown: map[string]string{}}
	var probs []rescreen.FieldError
	bad := func(key, format string, args ...any) {
		probs = append(probs, rescreen.FieldError{Field: key, Msg: fmt.Sprintf(format, args...)})
	}
	for i := range fieldSpecs {
		f := &fieldSpecs[i]
		raw := flatten(strings.TrimSpace(f.raw(d)))
		v.raw[f.key] = raw
		if raw == "" {
			v.shown[f.key] = ""
			continue
		}
		switch f.kind {
		case kindText:
			v.shown[f.key] = raw
		case kindBool:
			v.shown[f.key] = t.get(raw)
		case kindEnum:
			if !slices.Contains(f.enum, raw) {
				bad(f.key, "%q is not one of %s", raw, strings.Join(f.enum, ", "))
				continue
			}
			v.shown[f.key] = t.get(f.key + "." + raw)
		case kindLang:
			if !rescreen.IsLanguage(raw) {
				bad(f.key, "%q is not an ISO 639 language code", raw)
				continue
			}
			v.shown[f.key] = t.language(raw)
		case kindDate:
			s, ok := t.date(raw)
			if !ok {
				bad(f.key, "not a valid date")
				continue
			}
			v.shown[f.key] = s
		case kindTime:
			s, ok := t.time(raw)
			if !ok {
				bad(f.key, "%q is not a time of the form 15:04", raw)
				continue
			}
			v.shown[f.key] = s
		}
	}
	return v, probs
}

// parseClock reads "15:04" (or "9:30") into hour and minute.
func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(s, ":")
	if !found || len(ms) != 2 || len(hs) < 1 || len(hs) > 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || hs[0] == '+' || hs[0] == '-' {
		return 0, 0, false
	}
	return h, m, true
}
