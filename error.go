// Package rescreen is the vocabulary of the system: the facts the registry
// keeps about separated families (families, persons, identifiers, separation
// events, custody, screenings, elections and the rest), the error type every
// layer speaks, and the service contracts the front ends call.
//
// The package imports only the standard library so that every other package,
// pure or not, can depend on it.
package rescreen

import (
	"errors"
	"fmt"
)

// Error codes. Web, the CLI and the tests branch on these; the table from code
// to HTTP status lives in package web.
const (
	EINVALID   = "invalid"   // the input breaks a rule of the format or the domain
	ENOTFOUND  = "not_found" // no such record, or one the caller may not see
	ECONFLICT  = "conflict"  // the change collides with the stored state
	EFORBIDDEN = "forbidden" // the caller may not do this
	EINTERNAL  = "internal"  // anything else: a bug or an outage, logged in full
	// EUNAVAILABLE: the database cannot be reached just now (a restart, a
	// network fault); the same request may succeed in a moment.
	EUNAVAILABLE = "unavailable"
	// EUNAUTHENTICATED: the caller is not signed in, or the name, password,
	// session or token was not accepted (which of them is never said).
	EUNAUTHENTICATED = "unauthenticated"
)

// Error is the one error type of the system. Message is safe to show to the
// user: it never carries SQL, stack traces or another person's data. Err keeps
// the cause for the log.
type Error struct {
	Code    string
	Message string
	Op      string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error that keeps err as its cause; op names the
// operation for the log.
func WrapError(code, op string, err error, msg string) *Error {
	return &Error{Code: code, Op: op, Err: err, Message: msg}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of err: the message of its *Error, or
// a generic text for internal errors, whose details belong in the log only.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		switch e.Code {
		case EINVALID, ENOTFOUND, ECONFLICT, EFORBIDDEN, EUNAVAILABLE:
			return e.Message
		}
	}
	return "An internal error occurred."
}

// FieldError is one problem with one field of one input record. File and
// Line locate the record in its input; Field is the field's name in the
// exchange format (or the CSV column it was mapped from).
type FieldError struct {
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
}

// Error formats the problem as file:line: field: what is wrong.
func (fe FieldError) Error() string {
	s := ""
	if fe.File != "" {
		s = fe.File + ":"
	}
	if fe.Line > 0 {
		s += fmt.Sprintf("%d:", fe.Line)
	}
	if s != "" {
		s += " "
	}
	if fe.Field != "" {
		s += fe.Field + ": "
	}
	return s + fe.Msg
}

// ValidationError collects every problem found in an input; nothing of the
// input is applied when it is returned.
type ValidationError struct {
	Problems []FieldError
}

func (v *ValidationError) Error() string {
	switch len(v.Problems) {
	case 0:
		return "invalid input"
	case 1:
		return v.Problems[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", v.Problems[0].Error(), len(v.Problems)-1)
}

// AsError wraps the validation problems as an EINVALID *Error.
func (v *ValidationError) AsError(op string) error {
	return &Error{Code: EINVALID, Op: op, Message: v.Error(), Err: v}
}
