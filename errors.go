package vendorkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vendorkit/vendorkit/internal/core"
)

// Generic error categories. An *APIError matches the category of its HTTP
// status with errors.Is; vendor packages define narrower sentinels (see
// runtime.NewSentinel) that match one of these too.
var (
	// ErrBadRequest matches 400 and 422 answers: the request was refused as invalid.
	ErrBadRequest = errors.New("vendorkit: bad request")
	// ErrUnauthorized matches 401 answers: the credential is missing, wrong or revoked.
	ErrUnauthorized = errors.New("vendorkit: unauthorized")
	// ErrForbidden matches 403 answers: the credential is valid but lacks access.
	ErrForbidden = errors.New("vendorkit: forbidden")
	// ErrNotFound matches 404 answers.
	ErrNotFound = errors.New("vendorkit: not found")
	// ErrConflict matches 409 answers.
	ErrConflict = errors.New("vendorkit: conflict")
	// ErrRateLimited matches 429 answers and the vendors' own rate-limit codes.
	// The APIError's RetryAfter says when to try again, when the vendor said so.
	ErrRateLimited = errors.New("vendorkit: rate limited")
	// ErrServer matches 5xx answers.
	ErrServer = errors.New("vendorkit: server error")

	// ErrInvalidArgument is wrapped by every error raised before a request is
	// sent because an argument (token, id, base URL, payload field) is invalid.
	// Such errors are never *APIError.
	ErrInvalidArgument = core.ErrInvalidArgument
	// ErrInsecureURL is wrapped when a base URL is not https (plain http is
	// accepted for loopback hosts only, for tests).
	ErrInsecureURL = errors.New("vendorkit: insecure URL")
)

// categories lists the generic categories, for APIError.Is.
var categories = []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}

// APIError is a vendor's answer that is not a success: a non-2xx status, or a
// 2xx whose body the vendor uses to report an error (Woodpecker v1).
//
// Branch on it with errors.Is against the generic categories (ErrNotFound, …)
// or a vendor's sentinels, and with errors.As to read the fields. It marshals
// to JSON so that a job queue can store it. The text of Error is meant for
// people and is not contractual; it names the method, host and path, never the
// query string, which can carry personal data.
type APIError struct {
	// Vendor is the vendor package name: "woofed", "qwoty", "woodpecker",
	// "deskwoot" or "crow".
	Vendor string `json:"vendor"`
	// Operation is the facade method that failed, e.g. "GetContact", when known.
	Operation string `json:"operation,omitempty"`
	// Method, Host and Path locate the request; the query string is never kept.
	Method string `json:"method"`
	Host   string `json:"host"`
	Path   string `json:"path"`
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int `json:"status_code"`
	// Code is the vendor's machine-readable code when it sends one
	// (e.g. Woodpecker "E_SESSION").
	Code string `json:"code,omitempty"`
	// Message is the vendor's human-readable explanation, or a summary of it.
	Message string `json:"message,omitempty"`
	// Fields holds per-field validation messages when the vendor sends them.
	Fields map[string][]string `json:"fields,omitempty"`
	// RequestID is the vendor's request id, from the vendor's request-id header.
	RequestID string `json:"request_id,omitempty"`
	// RetryAfter is how long the vendor asked to wait before the next try
	// (Retry-After on 429 and 503). Zero when it did not say.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// Attempts counts the HTTP attempts made, retries included.
	Attempts int `json:"attempts,omitempty"`
	// Header is the response header of the last attempt.
	Header http.Header `json:"header,omitempty"`
	// Body is the raw response body, capped at 64 KiB (runtime.MaxErrorBody),
	// with the call's credential replaced by "[REDACTED]" wherever the
	// vendor echoed it.
	Body []byte `json:"body,omitempty"`
	// Truncated reports that Body is not the whole answer: it was longer
	// than the cap, or its reading was cut (connection lost, timeout).
	Truncated bool `json:"truncated,omitempty"`
	// Outcome says what the call may have done on the vendor's side,
	// counting every attempt (a 404 after a 500 that was retried may have
	// run); see WriteOutcome.
	Outcome Outcome `json:"outcome,omitempty"`
	// Kinds are extra sentinels this error matches, set by the vendor's error
	// decoder (e.g. woodpecker.ErrCompanyInactive). A generic category in Kinds
	// replaces the category that StatusCode implies: a Woodpecker 200 carrying
	// E_SESSION is ErrUnauthorized, not a success.
	Kinds []error `json:"-"`
}

// categoryNames names the generic categories in an APIError's JSON form, so
// that an error stored by a job queue still matches its category (and not
// only the one its StatusCode implies) once read back.
var categoryNames = map[error]string{
	ErrBadRequest: "bad_request", ErrUnauthorized: "unauthorized", ErrForbidden: "forbidden",
	ErrNotFound: "not_found", ErrConflict: "conflict", ErrRateLimited: "rate_limited", ErrServer: "server",
}

// apiErrorJSON is APIError's JSON form: its fields plus the names of the
// generic categories it matches.
type apiErrorJSON struct {
	apiErrorFields
	Categories []string `json:"categories,omitempty"`
}

type apiErrorFields APIError // APIError's fields without its methods

// MarshalJSON writes the error with the generic categories it matches
// ("categories": ["unauthorized"]), which Kinds alone would lose.
func (e *APIError) MarshalJSON() ([]byte, error) {
	v := apiErrorJSON{apiErrorFields: apiErrorFields(*e)}
	for _, c := range categories {
		if e.Is(c) {
			v.Categories = append(v.Categories, categoryNames[c])
		}
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads what MarshalJSON wrote; the categories come back as
// Kinds, so errors.Is matches them as before. Vendor sentinels do not come
// back: branch on Code after a round trip.
func (e *APIError) UnmarshalJSON(b []byte) error {
	var v apiErrorJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = APIError(v.apiErrorFields)
	for _, name := range v.Categories {
		for c, n := range categoryNames {
			if n == name {
				e.AddKind(c)
			}
		}
	}
	return nil
}

// Error describes the failure for people. Its text is not contractual.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Vendor)
	if e.Operation != "" {
		b.WriteString(": ")
		b.WriteString(e.Operation)
	}
	fmt.Fprintf(&b, ": %s %s%s: %d", e.Method, e.Host, e.Path, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" ")
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Category returns the generic category the error belongs to (ErrNotFound, …),
// or nil for a status outside the mapped ones.
func (e *APIError) Category() error {
	for _, k := range e.Kinds {
		for _, c := range categories {
			if k == c || errors.Is(k, c) {
				return c
			}
		}
	}
	return statusCategory(e.StatusCode)
}

// statusCategory maps an HTTP status to its generic category, or nil.
func statusCategory(status int) error {
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return ErrBadRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}
	return nil
}

// Is reports whether target is the error's category or one of its Kinds.
func (e *APIError) Is(target error) bool {
	if c := e.Category(); c != nil && c == target {
		return true
	}
	for _, k := range e.Kinds {
		if k == target {
			return true
		}
	}
	return false
}

// AddKind records that the error also matches k; see Kinds.
func (e *APIError) AddKind(k error) {
	for _, have := range e.Kinds {
		if have == k {
			return
		}
	}
	e.Kinds = append(e.Kinds, k)
}

// invalidArgf returns an error that wraps ErrInvalidArgument.
func invalidArgf(format string, args ...any) error { return core.InvalidArgf(format, args...) }
