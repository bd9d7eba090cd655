package vendorkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Generic error categories. An *APIError matches the category of its HTTP
// status with errors.Is; vendor packages define narrower sentinels (see
// NewSentinel) that match one of these too.
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
	ErrInvalidArgument = errors.New("vendorkit: invalid argument")
	// ErrInsecureURL is wrapped when a base URL is not https (plain http is
	// accepted for loopback hosts only, for tests).
	ErrInsecureURL = errors.New("vendorkit: insecure URL")
)

// categories lists the generic categories, for APIError.Is.
var categories = []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}

// MaxErrorBody caps how many bytes of an error response are read and kept in
// APIError.Body.
const MaxErrorBody = 64 << 10

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
	// Body is the raw response body, capped at MaxErrorBody bytes.
	Body []byte `json:"body,omitempty"`
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
	return StatusCategory(e.StatusCode)
}

// StatusCategory maps an HTTP status to its generic category, or nil.
func StatusCategory(status int) error {
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

// Sentinel is a vendor-specific error value that also matches a generic
// category: errors.Is(woodpecker.ErrCompanyInactive, vendorkit.ErrConflict)
// is true, and so is errors.Is(apiErr, vendorkit.ErrConflict) for an
// *APIError whose Kinds hold it.
type Sentinel struct {
	msg      string
	category error
}

// NewSentinel returns a sentinel with the given text that matches category.
func NewSentinel(msg string, category error) *Sentinel {
	return &Sentinel{msg: msg, category: category}
}

// Error returns the sentinel's text.
func (s *Sentinel) Error() string { return s.msg }

// Is reports whether target is the sentinel's category.
func (s *Sentinel) Is(target error) bool { return target == s.category }

// Unwrap returns the sentinel's category.
func (s *Sentinel) Unwrap() error { return s.category }

// SetOperation records the facade operation on err when it is an *APIError,
// and returns err unchanged otherwise. Vendor packages call it so that
// APIError.Operation names the method the caller invoked.
func SetOperation(err error, op string) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Operation == "" {
		apiErr.Operation = op
	}
	return err
}

// invalidArgf returns an error that wraps ErrInvalidArgument.
func invalidArgf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)
}

// DecodeErrorBody fills e.Code, e.Message and e.Fields from the common JSON
// error shapes, leniently: it reads "error", "errors", "message", "msg",
// "detail", "title", "code" and "details", each as a string, a list or an
// object, and falls back to a trimmed snippet of a non-JSON body. It never
// fails; vendor decoders call it first and refine what it found.
func DecodeErrorBody(e *APIError) {
	body := e.Body
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		if e.Message == "" {
			e.Message = Snippet(body)
		}
		return
	}
	text := func(keys ...string) string {
		for _, k := range keys {
			if raw, ok := m[k]; ok {
				if s := flattenJSON(raw, e); s != "" {
					return s
				}
			}
		}
		return ""
	}
	if e.Code == "" {
		e.Code = text("code", "error_code")
	}
	if e.Message == "" {
		e.Message = text("error", "errors", "message", "msg", "detail", "title")
		if d := text("details"); d != "" {
			if e.Message != "" {
				e.Message += ": " + d
			} else {
				e.Message = d
			}
		}
	}
}

// maxErrorDepth bounds how deep flattenJSON descends into nested lists:
// each level scans its sub-tree once, so a hostile, deeply nested body costs
// at most this many scans.
const maxErrorDepth = 8

// flattenJSON renders a JSON value as one line of text: a string as is, a list
// joined with "; ", an object of field → messages as "field msg" and recorded
// in e.Fields.
func flattenJSON(raw json.RawMessage, e *APIError) string {
	return flattenDepth(raw, e, 0)
}

func flattenDepth(raw json.RawMessage, e *APIError, depth int) string {
	raw = json.RawMessage(bytes.TrimSpace(raw))
	if len(raw) == 0 || depth > maxErrorDepth {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			parts := make([]string, 0, len(list))
			for _, item := range list {
				if p := flattenDepth(item, e, depth+1); p != "" {
					parts = append(parts, p)
				}
			}
			return strings.Join(parts, "; ")
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			return FieldErrors(obj, e)
		}
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// FieldErrors records a Rails-style {"field": ["msg", …]} object in e.Fields
// and returns it as one line ("email is invalid; phone is blank"), with the
// fields in sorted order.
func FieldErrors(obj map[string]json.RawMessage, e *APIError) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		var msgs []string
		var one string
		switch {
		case json.Unmarshal(obj[k], &msgs) == nil:
		case json.Unmarshal(obj[k], &one) == nil:
			msgs = []string{one}
		default:
			continue
		}
		if e.Fields == nil {
			e.Fields = make(map[string][]string)
		}
		e.Fields[k] = append(e.Fields[k], msgs...)
		for _, msg := range msgs {
			parts = append(parts, k+" "+msg)
		}
	}
	return strings.Join(parts, "; ")
}

// Snippet returns a short, single-line, printable excerpt of a non-JSON body
// (an HTML error page, say) for an error message: the <title> when there is
// one, else the start of the body, without invalid UTF-8 or control
// characters, cut at 200 bytes on a character boundary. It accepts any bytes.
func Snippet(body []byte) string {
	s := strings.ToValidUTF8(string(body), "")
	// asciiLower keeps byte offsets (strings.ToLower does not for some
	// letters, such as "İ"), so positions found in it index s.
	if i := strings.Index(asciiLower(s), "<title>"); i >= 0 {
		rest := s[i+len("<title>"):]
		if j := strings.Index(asciiLower(rest), "</title>"); j >= 0 {
			s = rest[:j]
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// asciiLower lower-cases ASCII letters only, byte for byte.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
