// Package core is where package vendorkit and package runtime meet.
//
// vendorkit holds the consumer API (Client, options, APIError); runtime holds
// what vendor packages build on (Endpoint and its helpers) and imports
// vendorkit. vendorkit cannot import runtime, so the state an Endpoint needs
// from a *vendorkit.Client, and the few values both sides must agree on, are
// defined here.
package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/time/rate"
)

// ErrInvalidArgument is vendorkit.ErrInvalidArgument.
var ErrInvalidArgument = errors.New("vendorkit: invalid argument")

// InvalidArgf returns an error that wraps ErrInvalidArgument.
func InvalidArgf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)
}

// Kit is the state of a *vendorkit.Client that endpoints share.
type Kit struct {
	Base          http.RoundTripper // the transport under vendorkit's own
	OwnBase       bool              // Base is vendorkit's pooled transport (its connections bound each attempt)
	CheckRedirect func(*http.Request, []*http.Request) error
	Jar           http.CookieJar
	Logger        *slog.Logger
	UserAgent     string
	WaitScale     float64
	BudgetSize    int
	// Limiter returns the shared limiter of key, creating it with l.
	Limiter func(key string, l Limit) Limiter
	// Observer is the vendorkit.Observer, or nil (core cannot name the type).
	Observer any

	budgets sync.Map // vendor → *Budget
}

// KitOf returns the Kit of a *vendorkit.Client (nil: the default client).
// Package vendorkit sets it in its init.
var KitOf func(kit any) *Kit

// ScaleWait applies vendorkit.WithWaitScale to d.
func (k *Kit) ScaleWait(d time.Duration) time.Duration {
	if k.WaitScale == 1 {
		return d
	}
	return time.Duration(float64(d) * k.WaitScale)
}

// Budget returns the retry budget of vendor.
func (k *Kit) Budget(vendor string) *Budget {
	if v, ok := k.budgets.Load(vendor); ok {
		return v.(*Budget)
	}
	v, _ := k.budgets.LoadOrStore(vendor, NewBudget(k.BudgetSize))
	return v.(*Budget)
}

// Limit mirrors vendorkit.Limit field for field, so that either converts to
// the other.
type Limit struct {
	Rate        rate.Limit
	Burst       int
	MaxInFlight int
}

// Limiter has vendorkit.Limiter's methods.
type Limiter interface {
	Acquire(ctx context.Context) (release func(), err error)
	Observe(status int, header http.Header, retryAfter time.Duration)
}

// PausedError is a limiter's refusal while a vendor's Retry-After longer than
// the client sleeps on runs for its key: the call is not sent.
type PausedError struct{ Wait time.Duration }

func (e *PausedError) Error() string {
	return fmt.Sprintf("the vendor asked to wait %s before the next request", e.Wait.Round(time.Second))
}

// VendorPause (runtime.VendorPause) is how long a vendor's answer asks every
// request of its credential to wait: a 429's Retry-After, or the time until
// the quota's reset when the answer says none is left (see Quota), or
// UnnamedPause after a refusal for rate that names no wait (a 429 with
// neither, Woodpecker's E_TOO_MANY_REQUESTS). At most an hour; 0 for none.
// Limiters call it from Observe.
func VendorPause(status int, h http.Header, retryAfter time.Duration) time.Duration {
	left, reset, ok := Quota(h)
	return vendorPause(status, h, retryAfter, ok, left, reset)
}

// UnnamedPause is the pause after a refusal for rate that names none: a
// second, what a whole-second Retry-After asks at the least, and the
// default retry policy's first wait after a 429 (RateLimitBaseWait).
const UnnamedPause = time.Second

// vendorPause is VendorPause once the answer's quota is read (quota: it
// reports one, with left requests until reset).
func vendorPause(status int, h http.Header, retryAfter time.Duration, quota bool, left int64, reset time.Duration) time.Duration {
	var pause time.Duration
	switch {
	case status == http.StatusTooManyRequests && retryAfter > 0:
		pause = retryAfter
	case quota && left == 0:
		pause = reset
	case status == http.StatusTooManyRequests && len(h["Retry-After"]) == 0:
		// A refusal that names no wait still says the key is over its
		// limit: its requests, the whole fleet's on redislimit, hold off.
		// "Retry-After: 0" asks for none.
		pause = UnnamedPause
	}
	return min(max(pause, 0), time.Hour)
}

// Quota reads the quota a vendor's answer reports: the requests left
// (X-RateLimit-Remaining, or the IETF draft's RateLimit-Remaining) and the
// time until it is renewed (X-RateLimit-Reset or RateLimit-Reset: seconds,
// a Unix time, or a Unix time in milliseconds, told apart by size). ok is
// false unless both are there and readable and the reset is to come.
func Quota(h http.Header) (left int64, reset time.Duration, ok bool) {
	// Canonical keys: no allocation on the hot path, where most answers
	// carry neither header.
	remaining, resets := h["X-Ratelimit-Remaining"], h["X-Ratelimit-Reset"]
	if len(remaining) == 0 {
		remaining, resets = h["Ratelimit-Remaining"], h["Ratelimit-Reset"]
	}
	if len(remaining) == 0 || len(resets) == 0 {
		return 0, 0, false
	}
	left, err := strconv.ParseInt(strings.TrimSpace(remaining[0]), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	reset = untilReset(resets[0])
	if reset <= 0 {
		return 0, 0, false
	}
	return max(left, 0), reset, true
}

// untilReset reads a rate-limit reset: seconds until it, a Unix time, or a
// Unix time in milliseconds, told apart by size; 0 when unreadable.
func untilReset(v string) time.Duration {
	reset, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	switch {
	case err != nil || reset <= 0:
		return 0
	case reset > 100_000_000_000:
		return time.Until(time.UnixMilli(reset))
	case reset > 1_000_000_000:
		return time.Until(time.Unix(reset, 0))
	default:
		return time.Duration(reset) * time.Second
	}
}

// ReadBody reads body until its end, or until limit bytes, as io.ReadAll
// of an io.LimitReader would. An answer that announces its length (size,
// from Content-Length; -1 when unknown) of at most MaxPrealloc is read into
// one buffer of that size, where io.ReadAll would start at 512 bytes and
// grow (copying) every few hundred. A longer one is read as io.ReadAll
// reads, so that a length announced but never sent costs no memory.
func ReadBody(body io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 || size >= limit || size > MaxPrealloc {
		return io.ReadAll(io.LimitReader(body, limit))
	}
	// One byte more than announced: room for the read that meets the end,
	// for a body that does not report it with its last bytes.
	b := make([]byte, 0, size+1)
	for {
		n, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		switch {
		case err == io.EOF:
			return b, nil
		case err != nil:
			return b, err
		case len(b) == cap(b):
			// Longer than announced (possible only on a transport of the
			// caller's): the rest as io.ReadAll would, within limit.
			rest, err := io.ReadAll(io.LimitReader(body, limit-int64(len(b))))
			return append(b, rest...), err
		}
	}
}

// MaxPrealloc is the largest announced body length ReadBody trusts for
// its buffer.
const MaxPrealloc = 1 << 20

// Sleep waits d or until ctx is done, returning ctx.Err() in that case; a
// d of 0 or less returns ctx.Err() at once. Limiters (the in-process one and
// redislimit's) wait with it.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Budget is the retry token bucket of one vendor. It is lock-free: a
// success refunds on every call.
type Budget struct {
	tokens atomic.Int64
	max    int64
}

// NewBudget returns a full bucket of max tokens.
func NewBudget(max int) *Budget {
	b := &Budget{max: int64(max)}
	b.tokens.Store(int64(max))
	return b
}

// Take withdraws cost tokens, reporting false (and withdrawing nothing) when
// the bucket holds fewer.
func (b *Budget) Take(cost int) bool {
	for {
		t := b.tokens.Load()
		if t < int64(cost) {
			return false
		}
		if b.tokens.CompareAndSwap(t, t-int64(cost)) {
			return true
		}
	}
}

// Refund returns n tokens, up to the bucket's size.
func (b *Budget) Refund(n int) {
	for {
		t := b.tokens.Load()
		if t >= b.max || b.tokens.CompareAndSwap(t, min(b.max, t+int64(n))) {
			return
		}
	}
}

// Tokens returns the tokens left, for tests and metrics.
func (b *Budget) Tokens() int { return int(b.tokens.Load()) }

// Static is a credential fixed at construction, already cleaned; endpoints
// precompute its header value. It is a pointer, so that fmt prints an
// address for it when it sits in an unexported field (where fmt cannot call
// its methods), and it formats itself redacted everywhere else.
type Static struct{ token string }

// NewStatic returns token as a credential.
func NewStatic(token string) *Static { return &Static{token: token} }

// Token returns the token.
func (s *Static) Token(context.Context) (string, error) { return s.token, nil }

// Secret returns the token, for the endpoint that sends it.
func (s *Static) Secret() string { return s.token }

// Redacted is how every credential-holding value renders.
const Redacted = "[REDACTED]"

// String returns "vendorkit.StaticToken([REDACTED])".
func (s *Static) String() string { return "vendorkit.StaticToken(" + Redacted + ")" }

// GoString is String, for %#v.
func (s *Static) GoString() string { return s.String() }

// Format writes String for every verb.
func (s *Static) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue logs the credential redacted.
func (s *Static) LogValue() slog.Value { return slog.StringValue(Redacted) }

// CleanToken is vendorkit's token rule (see runtime.CleanToken).
func CleanToken(token string) (string, error) {
	t := strings.TrimSpace(token)
	if t == "" {
		return "", InvalidArgf("empty credential: set the vendor's API token (e.g. from an environment variable)")
	}
	for _, r := range t {
		switch {
		case r == '\r' || r == '\n':
			return "", InvalidArgf("credential contains a CR or LF character: copy the token again without line breaks")
		case unicode.IsSpace(r):
			return "", InvalidArgf("credential contains whitespace: pass the bare token, without a scheme word or spaces")
		case unicode.IsControl(r):
			return "", InvalidArgf("credential contains a control character: copy the token again")
		}
	}
	return t, nil
}

// StripScheme removes the auth scheme word (any case) that vendors' docs
// print in front of a token ("Bearer abc"), when scheme is the one the
// vendor sends; the rest is left for CleanToken. A CR or LF anywhere is
// refused here, so that it cannot hide behind the stripped word, and so is
// the scheme word alone. Errors never contain the token.
func StripScheme(raw, scheme string) (string, error) {
	t := strings.TrimSpace(raw)
	if strings.ContainsAny(t, "\r\n") {
		return "", InvalidArgf("credential contains a CR or LF character: copy the token again without line breaks")
	}
	if scheme == "" {
		return t, nil
	}
	if strings.EqualFold(t, scheme) {
		return "", InvalidArgf("the credential is only the word %s: pass the token itself", scheme)
	}
	if n := len(scheme); len(t) > n && strings.EqualFold(t[:n], scheme) && (t[n] == ' ' || t[n] == '\t') {
		t = strings.TrimLeft(t[n:], " \t")
	}
	return t, nil
}

// Observing is set once any Client has an observer: until then a facade's
// operation name is not even put in the call's context.
var Observing atomic.Bool

// Outcomes, as vendorkit.Outcome numbers them.
const (
	NotSent    = 1
	Refused    = 2
	MayHaveRun = 3
)

// StatusOutcome is what an answer's status says a write did: a 5xx may have
// run, unless a 503 came with Retry-After (the server did not act); any other
// answer was refused (a 2xx that reaches this reports an error, as Woodpecker
// v1 does).
func StatusOutcome(status int, retryAfter bool) int {
	if status >= 500 && !(status == 503 && retryAfter) {
		return MayHaveRun
	}
	return Refused
}

// Context keys of the per-call options set by vendorkit and read by runtime.
type (
	HeadersKey       struct{} // http.Header from vendorkit.WithHeader
	NonIdempotentKey struct{} // bool from vendorkit.NonIdempotent
	ResponseInfoKey  struct{} // *vendorkit.ResponseInfo from vendorkit.CaptureResponse
	OperationKey     struct{} // string from runtime.WithOperation
)
