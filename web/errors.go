package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"rescreen"
)

// Codes that only HTTP has. They travel in a *rescreen.Error like the
// domain codes, so that one table decides every status.
const (
	codeTooLarge   = "too_large"              // the body exceeds maxBody
	codeMediaType  = "unsupported_media_type" // the body is not JSON
	codeMethod     = "method_not_allowed"     // the path exists, the method does not
	genericMessage = "An internal error occurred."
	codeAbandoned  = "abandoned" // the client went away before the answer
)

// statusAbandoned answers a request whose client went away before it was
// answered: nobody reads it, and the metrics and the access log tell it
// from a failure of the server's (the status nginx uses for the same).
const statusAbandoned = 499

// statusOf is the one table from error code to HTTP status. Any code not in
// it, including rescreen.EINTERNAL and codes invented later without a
// decision here, becomes a 500 with a generic message, and its details go to
// the log only: an unknown error must never be shown as the client's fault.
var statusOf = map[string]int{
	rescreen.EINVALID:         http.StatusBadRequest,
	rescreen.ENOTFOUND:        http.StatusNotFound,
	rescreen.ECONFLICT:        http.StatusConflict,
	rescreen.EFORBIDDEN:       http.StatusForbidden,
	rescreen.EUNAUTHENTICATED: http.StatusUnauthorized,
	rescreen.EUNAVAILABLE:     http.StatusServiceUnavailable,
	codeTooLarge:              http.StatusRequestEntityTooLarge,
	codeMediaType:             http.StatusUnsupportedMediaType,
	codeMethod:                http.StatusMethodNotAllowed,
}

// errorBody is the JSON form of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail carries a stable code, a message that is safe to show, and,
// for invalid input, every problem found, each naming its field. RequestID
// lets a user quote the error so an operator can find it in the log.
type errorDetail struct {
	Code      string                `json:"code"`
	Message   string                `json:"message"`
	Problems  []rescreen.FieldError `json:"problems,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
}

// describe decides status, code, safe message and problems for err, and
// logs it. Internal errors are logged in full at error level with the
// request id; client errors only by code, since their messages may quote
// the input (names, A-numbers) and the log must not collect them.
func (s *Server) describe(r *http.Request, err error) (int, errorDetail) {
	code := rescreen.ErrorCode(err)
	status, known := statusOf[code]
	d := errorDetail{Code: code, Message: rescreen.ErrorMessage(err), RequestID: requestIDFrom(r.Context())}
	if !known && errors.Is(r.Context().Err(), context.Canceled) {
		// The client closed the connection (or the server is stopping)
		// while the request waited or ran, and the work failed for that:
		// the store's call ends with the request's context. That is not
		// the server failing, and must not page an operator.
		d.Code, d.Message = codeAbandoned, "The request was abandoned before it was answered."
		s.log.InfoContext(r.Context(), "request abandoned",
			slog.String("request_id", d.RequestID),
			slog.String("route", routeOf(r)),
			slog.String("error", err.Error()))
		return statusAbandoned, d
	}
	if !known {
		status = http.StatusInternalServerError
		d.Code, d.Message = rescreen.EINTERNAL, genericMessage
		s.log.ErrorContext(r.Context(), "request failed",
			slog.String("request_id", d.RequestID),
			slog.String("route", routeOf(r)),
			slog.String("code", code),
			slog.String("error", err.Error()))
		return status, d
	}
	if d.Message == "" || d.Message == genericMessage {
		d.Message = http.StatusText(status) + "."
	}
	var ve *rescreen.ValidationError
	if code == rescreen.EINVALID && errors.As(err, &ve) {
		d.Problems = ve.Problems
	}
	if status == http.StatusServiceUnavailable {
		s.log.WarnContext(r.Context(), "database unavailable",
			slog.String("request_id", d.RequestID),
			slog.String("route", routeOf(r)),
			slog.String("error", err.Error()))
		return status, d
	}
	s.log.DebugContext(r.Context(), "request refused",
		slog.String("request_id", d.RequestID),
		slog.String("route", routeOf(r)),
		slog.String("code", code))
	return status, d
}

// apiError writes err as a JSON error.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.describe(r, err)
	retryLater(w, status)
	writeJSON(w, status, errorBody{Error: d})
}

// invalid returns an EINVALID error carrying the problems, the form every
// request-parsing failure takes.
func invalid(op string, problems ...rescreen.FieldError) error {
	ve := &rescreen.ValidationError{Problems: problems}
	return ve.AsError(op)
}

// retryLater tells the client of a 503 when to try again: the database
// comes back by itself, and the server reconnects without a restart.
func retryLater(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
}
