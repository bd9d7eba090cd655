package vendorkit

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/vendorkit/vendorkit/internal/core"
)

// Observer is told about every call that vendor clients built on a Client
// make: its start and end, each HTTP attempt, and each wait (retry backoff,
// rate limiter). Package otel implements it with OpenTelemetry traces and
// metrics; install one with WithObserver.
//
// Methods run synchronously on the calling goroutine, so they must be quick
// and safe for concurrent use. The events carry no credential, header, query
// string or body: only vendor, operation, method, host, path, statuses,
// error categories, request ids and durations. A Client without an observer
// pays nothing for this hook (bench/README.md).
type Observer interface {
	// CallStart is called when a vendor client's method sends its request.
	// The returned context is the one its attempts run with (a tracer puts
	// the call's span in it); return ctx when there is nothing to add.
	CallStart(ctx context.Context, call *Call) context.Context
	// CallEnd is called once the call has its final result; call's result
	// fields are set. ctx is CallStart's.
	CallEnd(ctx context.Context, call *Call)
	// AttemptStart is called before each HTTP attempt, before the rate
	// limiter admits it. The returned context is the attempt's (the base
	// transport, e.g. otelhttp, sees it).
	AttemptStart(ctx context.Context, call *Call, attempt *Attempt) context.Context
	// AttemptEnd is called when the attempt's answer is classified, with
	// the retry decision. ctx is AttemptStart's.
	AttemptEnd(ctx context.Context, call *Call, attempt *Attempt)
	// Wait is called for each wait: before a retry (the backoff or the
	// vendor's Retry-After, about to be slept) and after the rate limiter
	// admitted an attempt (how long it held it). ctx is the attempt's.
	Wait(ctx context.Context, call *Call, wait Wait)
}

// Call is one logical call of a vendor client's method, retries included.
// The fields above Duration are set at CallStart, the others at CallEnd.
type Call struct {
	// Vendor is the vendor package name ("woofed", …).
	Vendor string
	// Operation is the facade method ("GetContact"); empty when the call
	// did not come through a facade method that names itself.
	Operation string
	// Method, Host and Path locate the request; never the query string.
	Method, Host, Path string
	// Start is when the call began.
	Start time.Time

	// Duration is the call's whole time: attempts, limiter and retry waits.
	Duration time.Duration
	// StatusCode is the last answer's HTTP status; 0 when none came.
	StatusCode int
	// Attempts counts the HTTP attempts made.
	Attempts int
	// RequestID is the vendor's request id of the last answer, if any.
	RequestID string
	// Err is the call's error (an *APIError for a vendor's refusal); nil on
	// success.
	Err error
	// Category is ErrorCategory(Err): "" on success.
	Category string
	// RetryBudget is the vendor's retry budget left (tokens) at the end.
	RetryBudget int
}

// Attempt is one HTTP attempt of a Call.
type Attempt struct {
	// N is the attempt's number, from 1.
	N int
	// Start is when the attempt began (before the limiter's wait).
	Start time.Time
	// Duration is the attempt's time, the limiter's wait included.
	Duration time.Duration
	// StatusCode is the answer's HTTP status; 0 when none came.
	StatusCode int
	// Category is the answer's or the error's category ("rate_limited",
	// "server", "network", …; see ErrorCategory); "" for a success.
	Category string
	// Err is the transport error of an attempt that got no answer.
	Err error
	// RequestID is the vendor's request id of the answer, if any.
	RequestID string
	// Retry reports that another attempt follows, after a Wait.
	Retry bool
}

// WaitKind says what a Wait waited for.
type WaitKind int

const (
	// WaitRetry is the pause before a retry: the backoff, or the vendor's
	// Retry-After.
	WaitRetry WaitKind = iota + 1
	// WaitLimiter is the time the client-side rate limiter held an attempt.
	WaitLimiter
)

// String returns "retry" or "limiter".
func (k WaitKind) String() string {
	switch k {
	case WaitRetry:
		return "retry"
	case WaitLimiter:
		return "limiter"
	}
	return "unknown"
}

// Wait is one wait of a call.
type Wait struct {
	Kind WaitKind
	// Attempt is the attempt the wait follows (WaitRetry) or precedes
	// (WaitLimiter).
	Attempt  int
	Duration time.Duration
}

// NopObserver does nothing; embed it to implement only some of Observer's
// methods.
type NopObserver struct{}

// CallStart returns ctx.
func (NopObserver) CallStart(ctx context.Context, _ *Call) context.Context { return ctx }

// CallEnd does nothing.
func (NopObserver) CallEnd(context.Context, *Call) {}

// AttemptStart returns ctx.
func (NopObserver) AttemptStart(ctx context.Context, _ *Call, _ *Attempt) context.Context { return ctx }

// AttemptEnd does nothing.
func (NopObserver) AttemptEnd(context.Context, *Call, *Attempt) {}

// Wait does nothing.
func (NopObserver) Wait(context.Context, *Call, Wait) {}

// WithObserver installs o, told about every call of the vendor clients
// built on the Client (see Observer). Several observers can be combined by
// one that calls each.
func WithObserver(o Observer) Option {
	return func(c *Client) error {
		if o == nil {
			return invalidArgf("WithObserver: nil Observer")
		}
		c.kit.Observer = o
		core.Observing.Store(true)
		return nil
	}
}

// ErrorCategory names err's category for metrics and logs: "" for nil, the
// generic categories as APIError's JSON writes them ("bad_request",
// "unauthorized", "forbidden", "not_found", "conflict", "rate_limited",
// "server"), "invalid_argument" and "insecure_url" for calls refused before
// sending, "canceled" and "timeout" for context errors (even when the
// error also carries the last answer) and ErrAttemptTimeout, "network" for
// ErrTransport, "malformed_response", "redirect_refused", and "other".
func ErrorCategory(err error) string {
	if err == nil {
		return ""
	}
	var reqErr *RequestError
	if errors.As(err, &reqErr) {
		switch reqErr.Kind {
		case ErrTransport:
			return "network"
		case ErrAttemptTimeout:
			return "timeout"
		case ErrMalformedResponse:
			return "malformed_response"
		case ErrRedirectRefused:
			return "redirect_refused"
		}
	}
	var apiErr *APIError
	if reqErr == nil && errors.As(err, &apiErr) {
		if c := apiErr.Category(); c != nil {
			return categoryNames[c]
		}
		return "other"
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, ErrAttemptTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrInvalidArgument):
		return "invalid_argument"
	case errors.Is(err, ErrInsecureURL):
		return "insecure_url"
	case errors.Is(err, ErrMalformedResponse):
		return "malformed_response"
	case errors.Is(err, ErrRedirectRefused):
		return "redirect_refused"
	case errors.Is(err, ErrTransport):
		return "network"
	case errors.As(err, &netErr):
		if netErr.Timeout() {
			return "timeout"
		}
		return "network"
	}
	for _, c := range categories {
		if errors.Is(err, c) {
			return categoryNames[c]
		}
	}
	return "other"
}
