package vendorkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vendorkit/vendorkit/internal/core"
)

// Failures that carry no vendor answer. A *RequestError matches one of them
// with errors.Is (none when the caller's context ended the call: it matches
// context.Canceled or context.DeadlineExceeded instead) and wraps the
// underlying error, so errors.As still reaches a *net.OpError, say.
var (
	// ErrTransport matches a call that got no complete answer: the
	// connection could not be made, was reset or closed mid-answer, or TLS
	// failed. Idempotent calls were retried first.
	ErrTransport = errors.New("vendorkit: transport failure")
	// ErrAttemptTimeout matches a call whose last attempt ran past
	// RetryPolicy.AttemptTimeout (not the caller's deadline, which matches
	// context.DeadlineExceeded). The underlying error may match
	// context.DeadlineExceeded too: test ErrAttemptTimeout first.
	ErrAttemptTimeout = errors.New("vendorkit: attempt timed out")
	// ErrMalformedResponse matches a success answer whose body is not what
	// the vendor's API promises: empty, not JSON, or JSON of the wrong shape
	// where a record is due.
	ErrMalformedResponse = errors.New("vendorkit: malformed response")
	// ErrRedirectRefused matches a redirect the client does not follow: a
	// 307 or 308 that would re-send a request body to another origin, a
	// malformed Location, or more than 10 redirects.
	ErrRedirectRefused = errors.New("vendorkit: redirect refused")
)

// Outcome says what a failed call may have done on the vendor's side; see
// WriteOutcome.
type Outcome int

const (
	// OutcomeUnknown is the zero Outcome: the error did not come from a
	// vendorkit call. WriteOutcome never returns it.
	OutcomeUnknown Outcome = iota
	// NotSent: the request never reached the vendor (refused argument,
	// failed dial, limiter pause, context ended before sending). Safe to
	// send again.
	NotSent
	// Refused: the vendor answered and did not act (4xx, 429, a 503 with
	// Retry-After, a redirect that was not followed). Sending it again
	// needs a reason: a fixed request, or the wait of a 429.
	Refused
	// MayHaveRun: the request reached the vendor and no answer says whether
	// it acted (5xx, connection lost after sending, timeout). Check the
	// vendor's state, or use the vendor's upsert, before sending it again.
	MayHaveRun
	// Applied: the vendor accepted the request (2xx), but its answer could
	// not be read or decoded. Do not send it again.
	Applied
)

var outcomeNames = [...]string{"unknown", "not_sent", "refused", "may_have_run", "applied"}

// String returns the outcome's name: "not_sent", "refused", "may_have_run",
// "applied" or "unknown".
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "Outcome(" + strconv.Itoa(int(o)) + ")"
	}
	return outcomeNames[o]
}

// MarshalText writes the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads what MarshalText wrote.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if n == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("vendorkit: unknown outcome %q", b)
}

// WriteOutcome tells a job what a call that returned err may have done on
// the vendor's side, which matters for writes: NotSent and Refused mean the
// vendor did not act, MayHaveRun that it may have, Applied that it did. A
// nil err is Applied. An error from outside vendorkit counts as MayHaveRun,
// the safe assumption. The README's worker section says what a job should
// do in each case.
func WriteOutcome(err error) Outcome {
	if err == nil {
		return Applied
	}
	var reqErr *RequestError
	if errors.As(err, &reqErr) && reqErr.Outcome != OutcomeUnknown {
		return reqErr.Outcome
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if apiErr.Outcome != OutcomeUnknown {
			return apiErr.Outcome
		}
		return Outcome(core.StatusOutcome(apiErr.StatusCode, apiErr.RetryAfter > 0))
	}
	if errors.Is(err, ErrInvalidArgument) || errors.Is(err, ErrInsecureURL) {
		return NotSent
	}
	return MayHaveRun
}

// RequestError is a call that ended without a vendor answer the SDK could
// use: the connection failed, an attempt timed out, the caller's context
// ended, a redirect was refused, or a success body could not be read. Kind
// is the category it matches with errors.Is; Unwrap yields the underlying
// error and, when the vendor had answered before the call ended (a 503 being
// retried when the deadline came), Last, so that
//
//	errors.Is(err, context.DeadlineExceeded) && errors.As(err, &apiErr)
//
// both hold. Its text, like APIError's, is not contractual; it names the
// method, host and path, never the query string.
type RequestError struct {
	// Vendor and Operation name the vendor package and facade method.
	Vendor    string `json:"vendor"`
	Operation string `json:"operation,omitempty"`
	// Method, Host and Path locate the request.
	Method string `json:"method"`
	Host   string `json:"host"`
	Path   string `json:"path"`
	// Attempts counts the HTTP attempts made.
	Attempts int `json:"attempts,omitempty"`
	// Kind is ErrTransport, ErrAttemptTimeout, ErrMalformedResponse,
	// ErrRedirectRefused, or nil (the caller's context ended the call, or
	// the credential source failed).
	Kind error `json:"-"`
	// Outcome says what the call may have done; see WriteOutcome.
	Outcome Outcome `json:"outcome"`
	// Last is the vendor's last answer, when there was one before the call
	// ended.
	Last *APIError `json:"last,omitempty"`
	// Err is the underlying error; its text is redacted of query strings
	// and the call's credential.
	Err error `json:"-"`
}

// Error describes the failure for people.
func (e *RequestError) Error() string {
	var b strings.Builder
	if e.Vendor != "" {
		b.WriteString(e.Vendor)
		b.WriteString(": ")
	}
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(e.Method)
	b.WriteString(" ")
	b.WriteString(e.Host)
	b.WriteString(e.Path)
	b.WriteString(": ")
	if e.Attempts > 1 {
		b.WriteString("after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts: ")
	}
	switch {
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	}
	if l := e.Last; l != nil {
		b.WriteString(" (last answer: ")
		b.WriteString(strconv.Itoa(l.StatusCode))
		if t := http.StatusText(l.StatusCode); t != "" {
			b.WriteString(" ")
			b.WriteString(t)
		}
		if l.Code != "" {
			b.WriteString(": ")
			b.WriteString(l.Code)
		}
		if l.RequestID != "" {
			b.WriteString(", request id ")
			b.WriteString(l.RequestID)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is the error's Kind.
func (e *RequestError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the underlying error and the last answer, when there was one.
func (e *RequestError) Unwrap() []error {
	switch {
	case e.Err != nil && e.Last != nil:
		return []error{e.Err, e.Last}
	case e.Last != nil:
		return []error{e.Last}
	case e.Err != nil:
		return []error{e.Err}
	}
	return nil
}

// Timeout reports whether the call ended on a timeout, the attempt's or the
// caller's deadline, as net.Error does.
func (e *RequestError) Timeout() bool {
	return e.Kind == ErrAttemptTimeout || errors.Is(e.Err, context.DeadlineExceeded)
}

// The outcomes core.StatusOutcome returns are vendorkit's (a mismatch does
// not compile).
const _ = uint(NotSent-core.NotSent) + uint(core.NotSent-NotSent) +
	uint(Refused-core.Refused) + uint(core.Refused-Refused) +
	uint(MayHaveRun-core.MayHaveRun) + uint(core.MayHaveRun-MayHaveRun)
