package rescreen

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on text fields. Names are short; notes and narratives may be long,
// but never so long that one record can exhaust memory.
const (
	maxShortText = 200
	maxLongText  = 20000
)

var longTextFields = map[string]bool{"notes": true, "narrative": true, "description": true, "outcome": true, "basis": true, "legal_basis": true}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,127}$`)

// IsCountry reports whether code is an ISO 3166-1 alpha-2 code.
func IsCountry(code string) bool {
	return len(code) == 2 && strings.Contains(countryCodes, " "+code+" ")
}

// IsLanguage reports whether code has the form of an ISO 639-1 or 639-3 code.
func IsLanguage(code string) bool {
	if len(code) < 2 || len(code) > 3 {
		return false
	}
	for _, c := range code {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// NormalizeANumber returns the A-number in its stored form, "A" followed by
// nine digits, accepting the forms agencies write ("A-012-345-678",
// "012345678", "A12345678").
func NormalizeANumber(s string) (string, error) {
	var digits []byte
	for i, c := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case c == 'A' && i == 0:
		case c >= '0' && c <= '9':
			digits = append(digits, byte(c))
		case c == '-' || c == ' ' || c == '.':
		default:
			return "", fmt.Errorf("%q is not an A-number (A followed by 8 or 9 digits)", s)
		}
	}
	if len(digits) < 8 || len(digits) > 9 {
		return "", fmt.Errorf("%q is not an A-number (A followed by 8 or 9 digits)", s)
	}
	return "A" + strings.Repeat("0", 9-len(digits)) + string(digits), nil
}

// Normalize brings a record's values into their stored form: surrounding
// space trimmed, codes in their canonical case, A-numbers as A and 9 digits,
// references in their full SOURCE:SOURCE_ID form. It is applied before
// Validate, so that the same fact written two ways is stored once.
func Normalize(k Kind, r Record) {
	for _, f := range Fields(k) {
		switch f.Type {
		case TypeString, TypeEnum, TypeRef:
			v := f.value(r)
			s := strings.TrimSpace(v.String())
			switch {
			case f.Type == TypeEnum || f.Check == "country":
				s = strings.ToUpper(s)
			case f.Check == "language":
				s = strings.ToLower(s)
			}
			v.SetString(s)
		case TypeList:
			if f.Check == "language" {
				v := f.value(r)
				for i := 0; i < v.Len(); i++ {
					v.Index(i).SetString(strings.ToLower(strings.TrimSpace(v.Index(i).String())))
				}
			}
		}
	}
	m := r.Header()
	for _, f := range Fields(k) {
		if f.Type == TypeRef || f.Type == TypeRefList {
			refs := f.Refs(r)
			if len(refs) == 0 {
				continue
			}
			out := make([]Ref, len(refs))
			for i, ref := range refs {
				out[i] = ref.Resolve(m.Source)
			}
			f.SetRefs(r, out)
		}
	}
	if id, ok := r.(*Identifier); ok && id.Kind == IDANumber {
		if v, err := NormalizeANumber(id.Value); err == nil {
			id.Value = v
		}
	}
}

// Validate checks one record and returns every problem found, each naming
// its field. It checks required fields, controlled lists, codes, dates,
// text, and the rules that tie a kind's fields together; that references
// point at existing records is checked where the records are resolved.
func Validate(k Kind, r Record) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	for _, f := range Fields(k) {
		if f.Required && !f.IsSet(r) {
			add(f.Name, "is required")
			continue
		}
		switch f.Type {
		case TypeString:
			s := f.value(r).String()
			if f.Name == "id" && s != "" && !idPattern.MatchString(s) {
				add(f.Name, "%q is not a valid id (letters, digits and . _ : / # -, at most 128)", s)
				continue
			}
			if msg := checkText(s, longTextFields[f.Name]); msg != "" {
				add(f.Name, "%s", msg)
			}
			if f.Check == "country" && s != "" && !IsCountry(s) {
				add(f.Name, "%q is not an ISO 3166-1 alpha-2 country code", s)
			}
			if f.Check == "language" && s != "" && !IsLanguage(s) {
				add(f.Name, "%q is not an ISO 639 language code", s)
			}
		case TypeEnum:
			s := f.value(r).String()
			if s != "" && !isValue(f.Values, s) {
				add(f.Name, "%q is not one of %s", s, strings.Join(f.Values, ", "))
			}
		case TypeDate:
			d := f.value(r).Interface().(Date)
			if !d.IsZero() && (d.Year < 1900 || d.Year > 2100) {
				add(f.Name, "%s is outside 1900-2100", d)
			}
		case TypeList:
			v := f.value(r)
			for i := 0; i < v.Len(); i++ {
				s := v.Index(i).String()
				if f.Check == "language" && !IsLanguage(s) {
					add(f.Name, "%q is not an ISO 639 language code", s)
				} else if msg := checkText(s, false); msg != "" {
					add(f.Name, "%s", msg)
				}
			}
		case TypeRef, TypeRefList:
			for _, ref := range f.Refs(r) {
				src, sid := ref.Split()
				if src == "" || sid == "" {
					add(f.Name, "%q is not a reference of the form SOURCE:SOURCE_ID", string(ref))
				} else if msg := checkText(sid, false); msg != "" {
					add(f.Name, "%s", msg)
				}
			}
		}
	}
	errs = append(errs, checkKind(r)...)
	return errs
}

func checkText(s string, long bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	limit := maxShortText
	if long {
		limit = maxLongText
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Sprintf("is %d characters long; at most %d are allowed", n, limit)
	}
	for _, c := range s {
		if unicode.IsControl(c) && !(long && (c == '\n' || c == '\t' || c == '\r')) {
			return fmt.Sprintf("contains the control character %U", c)
		}
	}
	return ""
}

// checkKind holds the rules that tie a kind's fields together.
func checkKind(r Record) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	notBefore := func(field string, later, earlier Date, what string) {
		if !later.IsZero() && !earlier.IsZero() && later.Before(earlier) {
			add(field, "%s is before %s %s", later, what, earlier)
		}
	}
	switch v := r.(type) {
	case *Person:
		notBefore("entry_date", v.EntryDate, v.BirthDate, "the date of birth")
		notBefore("task_force_decision_on", v.TaskForceDecisionOn, v.TaskForceClaimOn, "the claim date")
	case *Identifier:
		if v.Kind == IDANumber && v.Value != "" {
			if _, err := NormalizeANumber(v.Value); err != nil {
				add("value", "%s", err.Error())
			}
		}
	case *Relationship:
		if v.From != "" && v.From == v.To {
			add("to", "a person cannot be related to themselves")
		}
	case *Separation:
		if v.Parent != "" && v.Parent == v.Child {
			add("child", "the child and the parent are the same record")
		}
	case *Custody:
		notBefore("end", v.End, v.Start, "the start")
	case *Proceeding:
		notBefore("decided_on", v.DecidedOn, v.Opened, "the opening date")
		notBefore("appeals_exhausted_on", v.AppealsExhausted, v.DecidedOn, "the decision date")
	case *Screening:
		notBefore("decided_on", v.DecidedOn, v.On, "the interview date")
		if v.PsychStateConsidered != nil && *v.PsychStateConsidered && v.ReliesOnInconsistency == nil {
			add("relies_on_inconsistency", "must be recorded when psych_state_considered is")
		}
	case *Election:
		if v.SignerRole != "" && v.SignerRole != SignerNone && v.SignedOn.IsZero() {
			add("signed_on", "is required on a signed form")
		}
		notBefore("received_on", v.ReceivedOn, v.SignedOn, "the signing date")
		notBefore("sent_on", v.SentOn, v.SignedOn, "the signing date")
	case *Counsel:
		notBefore("to", v.To, v.From, "the first day")
	case *ReturnRequest:
		notBefore("decision_on", v.DecisionOn, v.SubmittedOn, "the submission date")
		notBefore("arrived_on", v.ArrivedOn, v.SubmittedOn, "the submission date")
	case *Benefit:
		notBefore("ends_on", v.EndsOn, v.StartsOn, "the first day")
	case *Appointment:
		if v.Time != "" && !validClock(v.Time) {
			add("time", "%q is not a time of day as HH:MM (24-hour)", v.Time)
		}
		notBefore("on", v.On, v.ScheduledOn, "the day it was made")
		if v.State == AppointmentHeld && v.Screening == "" {
			add("screening", "is required when the appointment was held: the screening it led to")
		}
	case *Notice:
		if v.Mode == DeliveryReadAloud && v.Interpreter == "" {
			add("interpreter", "is required for a notice read aloud: who read it")
		}
		if v.Document != "" && !isSHA256Hex(v.Document) {
			add("document_sha256", "must be 64 lower-case hexadecimal digits")
		}
	}
	return errs
}

// validClock reports whether s is a time of day written HH:MM, 00:00 to 23:59.
func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return (s[0]-'0')*10+s[1]-'0' < 24 && s[3] < '6'
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
