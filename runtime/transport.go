package runtime

// This file is the whole life of a request, in order:
//
//  1. Endpoint.Do takes the caller's request (never mutated) and hands a
//     shallow copy to go-retryablehttp, which replays the body byte for byte
//     on every attempt.
//  2. Each attempt goes through attemptTransport.RoundTrip: the credential
//     source is asked again (a rotated key is used on the next try), the
//     credential and the vendor's extra headers are set on a clone, but only
//     when the request's origin is the vendor's (never on a redirect to
//     another host); then the limiter admits it.
//  3. checkRetry classifies the answer (the vendor's classifier may read a 2xx
//     body: Woodpecker v1 reports errors with HTTP 200), lets the limiter
//     adapt, and decides whether to retry and how long to wait: Retry-After
//     exactly, or full-jitter backoff; never a write the server may have
//     acted on; never past MaxRetryAfter; never without retry budget.
//  4. Do turns a final non-success answer into *vendorkit.APIError through the vendor's
//     decoder, and records response metadata for successful calls.
//
// Where go-retryablehttp's behaviour does not fit, the code below works
// around it, each time with a comment that says why.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

// Verdict is a vendor classifier's reading of an answer.
type Verdict int

const (
	// Success: return the response to the caller.
	Success Verdict = iota
	// Failure: a final error; no retry.
	Failure
	// RateLimited: the vendor refused for rate; any method may be retried,
	// after Retry-After when the vendor sent one.
	RateLimited
	// Transient: a server-side failure; idempotent requests may be retried,
	// and writes too when the vendor sent Retry-After (it did not act).
	Transient
)

// ClassifyStatus is the default classifier: 1xx–3xx succeed, 429 is
// RateLimited, 500, 502, 503 and 504 are Transient, the rest fail.
func ClassifyStatus(status int) Verdict {
	switch {
	case status < 400:
		return Success
	case status == http.StatusTooManyRequests:
		return RateLimited
	case status == http.StatusInternalServerError, status == http.StatusBadGateway,
		status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return Transient
	}
	return Failure
}

// EndpointConfig binds one vendor's conventions to the core. Vendor packages
// fill it in their New; everything else about a request is the core's job.
type EndpointConfig struct {
	// Vendor is the vendor package name, used in errors, logs and limiter keys.
	Vendor string
	// BaseURL is the vendor's base URL; it is checked with ParseBaseURL and
	// its origin (scheme, host and port) is the only one that ever receives
	// the credential.
	BaseURL string
	// Credential yields the secret on every attempt.
	Credential vendorkit.Credential
	// AuthHeader is the header that carries the credential; default
	// "Authorization".
	AuthHeader string
	// AuthScheme, when set, is written before the credential ("Bearer").
	AuthScheme string
	// Header holds extra headers bound to the vendor's origin like the
	// credential (Woodpecker's x-company-id).
	Header http.Header
	// Decode fills an APIError's Code, Message, Fields and Kinds from its
	// Body and StatusCode. Default DecodeErrorBody.
	Decode func(*vendorkit.APIError)
	// Classify reads an answer; body is the capped body for non-2xx answers
	// and, for 2xx answers, only when InspectBody says so. Default
	// ClassifyStatus.
	Classify func(status int, header http.Header, body []byte) Verdict
	// InspectBody reports whether a 2xx answer's body must be read for
	// Classify. Default never.
	InspectBody func(req *http.Request, resp *http.Response) bool
	// RequestIDHeaders names the headers that carry the vendor's request id;
	// default X-Request-Id.
	RequestIDHeaders []string
	// Limit is the vendor's documented client-side limit; the zero Limit
	// starts open and adapts to 429s.
	Limit vendorkit.Limit
	// LimitKey is an extra part of the limiter key (vendor + credential
	// fingerprint + LimitKey), e.g. a Woodpecker company id.
	LimitKey string
	// Idempotent reports that a POST or PATCH is safe to retry after a 5xx or
	// a timeout (a documented upsert). GET, HEAD, OPTIONS, PUT and DELETE
	// always are.
	Idempotent func(*http.Request) bool
}

// Endpoint is an HTTP doer bound to one vendor, base URL and credential. Its
// Do method suits oapi-codegen's HttpRequestDoer. It is cheap to build (no
// goroutines, no I/O) and safe for concurrent use.
type Endpoint struct {
	kit     *vendorkit.Client
	core    *core.Kit
	cfg     EndpointConfig
	base    *url.URL
	static  string // the static credential, when it is one; for the limiter key and logs
	limiter core.Limiter
	budget  *core.Budget
	attempt *http.Client
	authFmt string // AuthScheme + " ", or ""

	// Precomputed for the hot path (no allocation per request).
	hostWithPort string   // base host with its port, e.g. "api.x.com:443"
	hostNoPort   string   // base host without a default port, or ""
	authValue    []string // the static credential's header value
	uaValue      []string
	states       *sync.Pool         // of *callState
	obs          vendorkit.Observer // the kit's, or nil (observe.go)
}

// NewEndpoint checks cfg and binds it to kit. A nil kit means
// vendorkit.Default(). Errors wrap vendorkit.ErrInvalidArgument or
// vendorkit.ErrInsecureURL.
func NewEndpoint(kit *vendorkit.Client, cfg EndpointConfig) (*Endpoint, error) {
	if kit == nil {
		kit = vendorkit.Default()
	}
	if cfg.Vendor == "" {
		return nil, invalidArgf("endpoint: empty vendor name")
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Vendor, err)
	}
	if cfg.Credential == nil {
		return nil, fmt.Errorf("%s: %w", cfg.Vendor, invalidArgf("no credential"))
	}
	if cfg.AuthHeader == "" {
		cfg.AuthHeader = "Authorization"
	}
	cfg.AuthHeader = http.CanonicalHeaderKey(cfg.AuthHeader)
	for k, vs := range cfg.Header {
		for _, v := range vs {
			if err := checkHeaderValue(k, v); err != nil {
				return nil, fmt.Errorf("%s: %w", cfg.Vendor, err)
			}
		}
	}
	hdr := make(http.Header, len(cfg.Header))
	for k, vs := range cfg.Header {
		ck := http.CanonicalHeaderKey(k)
		hdr[ck] = append(hdr[ck], vs...)
	}
	cfg.Header = hdr
	if cfg.Decode == nil {
		cfg.Decode = DecodeErrorBody
	}
	if len(cfg.RequestIDHeaders) == 0 {
		cfg.RequestIDHeaders = []string{"X-Request-Id"}
	}
	k := core.KitOf(kit)
	if k.Base == nil {
		return nil, fmt.Errorf("%s: %w: the vendorkit.Client is a zero value: build it with vendorkit.New (or pass nil for the default)", cfg.Vendor, vendorkit.ErrInvalidArgument)
	}
	e := &Endpoint{kit: kit, core: k, cfg: cfg, base: base, budget: k.Budget(cfg.Vendor)}
	if cfg.AuthScheme != "" {
		e.authFmt = cfg.AuthScheme + " "
	}
	if s, ok := cfg.Credential.(*core.Static); ok {
		e.static = s.Secret()
	}
	if e.static != "" {
		e.limiter = e.limiterFor(e.static)
	}
	e.init()
	return e, nil
}

// init precomputes what the hot path needs; it runs for NewEndpoint and Derive.
func (e *Endpoint) init() {
	e.hostWithPort = hostPort(e.base)
	e.hostNoPort = ""
	if e.base.Port() == "" || e.hostWithPort == net.JoinHostPort(e.base.Hostname(), defaultPort(e.base.Scheme)) {
		e.hostNoPort = e.base.Hostname()
		if strings.Contains(e.hostNoPort, ":") {
			e.hostNoPort = "[" + e.hostNoPort + "]"
		}
	}
	if e.static != "" {
		e.authValue = []string{e.authFmt + e.static}
	}
	e.uaValue = []string{e.core.UserAgent}
	e.obs, _ = e.core.Observer.(vendorkit.Observer)
	e.attempt = &http.Client{
		// attemptTransport deliberately has no CloseIdleConnections method:
		// go-retryablehttp calls HTTPClient.CloseIdleConnections whenever it
		// gives up or a context ends, which would empty the connection pool
		// that every tenant's client shares.
		Transport: attemptTransport{e},
		// No Timeout here: attemptTransport applies AttemptTimeout itself,
		// for a fraction of http.Client's per-request allocations.
		CheckRedirect: e.checkRedirect,
		Jar:           e.core.Jar,
	}
	e.states = &sync.Pool{New: func() any {
		st := &callState{}
		st.rc.CheckRetry = st.checkRetry
		if e.obs != nil {
			st.rc.CheckRetry = st.observedCheckRetry
		}
		st.rc.Backoff = st.backoff
		st.readBody = st.readSuccessBody
		st.replay = &http.Client{Transport: replayOnce{st}, CheckRedirect: e.checkRedirect, Jar: e.core.Jar}
		// Without an ErrorHandler retryablehttp drops the last response when
		// it gives up (its issue #212); we need it to build the APIError.
		st.rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
		// rc.Logger stays nil: retryablehttp would log URLs with their query
		// strings (its issue #206). checkRetry logs, redacted.
		return st
	}}
}

// ownOrigin reports whether u has the base URL's scheme, host and port,
// without allocating.
func (e *Endpoint) ownOrigin(u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, e.base.Scheme) {
		return false
	}
	return strings.EqualFold(u.Host, e.hostWithPort) || (e.hostNoPort != "" && strings.EqualFold(u.Host, e.hostNoPort))
}

// limiterFor returns the limiter of token, keyed by vendor + token
// fingerprint + LimitKey: clients that share a credential share its limit.
// A static credential's is looked up once, in NewEndpoint; a credential
// source's tokens are looked up on each attempt (tenants whose keys come
// from a secret manager do not share a limit).
func (e *Endpoint) limiterFor(token string) core.Limiter {
	return e.core.Limiter(e.cfg.Vendor+"|"+Fingerprint(token)+"|"+e.cfg.LimitKey, core.Limit(e.cfg.Limit))
}

// Derive returns a cheap copy of e that also sends header (bound to the
// vendor's origin like the credential) and is paced by the limiter of
// limitKey. Woodpecker's ForCompany is built on it.
func (e *Endpoint) Derive(header http.Header, limitKey string) (*Endpoint, error) {
	cfg := e.cfg
	cfg.Header = e.cfg.Header.Clone()
	if cfg.Header == nil {
		cfg.Header = make(http.Header, len(header))
	}
	for k, vs := range header {
		for _, v := range vs {
			if err := checkHeaderValue(k, v); err != nil {
				return nil, fmt.Errorf("%s: %w", cfg.Vendor, err)
			}
		}
		cfg.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	cfg.LimitKey = limitKey
	d := &Endpoint{kit: e.kit, core: e.core, cfg: cfg, base: e.base, static: e.static, budget: e.budget, authFmt: e.authFmt}
	if d.static != "" {
		d.limiter = d.limiterFor(d.static)
	}
	d.init()
	return d, nil
}

// String describes the endpoint without its credential: vendor, base URL
// and the credential's fingerprint.
func (e *Endpoint) String() string {
	if e == nil {
		return "runtime.Endpoint(nil)"
	}
	cred := "credential source"
	if e.static != "" {
		cred = "credential " + Fingerprint(e.static)
	}
	return "runtime.Endpoint{" + e.cfg.Vendor + " " + e.base.Redacted() + ", " + cred + "}"
}

// GoString is String: %#v prints no secret either.
func (e *Endpoint) GoString() string { return e.String() }

// Format writes String for every verb, so that no rendering of an endpoint
// (%v, %+v, %#v, %s, %q, …) holds its credential.
func (e *Endpoint) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.String()) }

// LogValue logs the vendor, base URL and credential fingerprint.
func (e *Endpoint) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	cred := ""
	if e.static != "" {
		cred = Fingerprint(e.static)
	}
	return slog.GroupValue(slog.String("vendor", e.cfg.Vendor), slog.String("base_url", e.base.Redacted()), slog.String("credential", cred))
}

// BaseURL returns a copy of the endpoint's base URL.
func (e *Endpoint) BaseURL() *url.URL {
	u := *e.base
	return &u
}

// Vendor returns the vendor name.
func (e *Endpoint) Vendor() string { return e.cfg.Vendor }

// Limiter returns the limiter that paces this endpoint's static credential,
// or nil for a credential source, whose tokens each have their own.
func (e *Endpoint) Limiter() vendorkit.Limiter { return e.limiter }

// checkHeaderValue rejects header values that would corrupt the request.
func checkHeaderValue(k, v string) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '\r' || c == '\n' || c == 0 {
			return invalidArgf("header %s holds a CR, LF or NUL character", k)
		}
	}
	return nil
}

// callState is what checkRetry and backoff share during one Do. States are
// pooled per endpoint, with their retryablehttp client and its hooks bound
// once, so that a call allocates none of them.
type callState struct {
	rc         retryablehttp.Client
	readBody   retryablehttp.ResponseHandlerFunc // st.readSuccessBody, bound once
	replay     *http.Client                      // e.attempt, but on replayOnce; bound once
	first      *firstAnswer                      // the first attempt's answer, until replayOnce gives it
	e          *Endpoint
	req        *http.Request // the caller's request
	policy     vendorkit.RetryPolicy
	idempotent bool
	handled    bool  // readSuccessBody ran: checkRetry's next call is about the same attempt
	checkErr   error // what checkRetry last returned
	attempts   int
	wait       time.Duration // next backoff, already scaled
	verdict    Verdict
	body       []byte // capped body of the last non-success answer
	truncated  bool   // body is not the whole answer
	retryAfter time.Duration
	hasRetryAt bool     // the answer carried a valid Retry-After (possibly 0)
	co         *callObs // the call's observation, when the kit has an observer
	// last is the last non-success answer that was retried, kept for the
	// error of a call that a deadline or a transport failure ends next.
	last *vendorkit.APIError
	// outcome is what the last attempt may have done on the vendor's side;
	// ran is the strongest of MayHaveRun and Applied that any attempt
	// reached (a retried 500 may have run, whatever comes after).
	outcome, ran vendorkit.Outcome
}

// Do sends req with credentials, retries and rate limiting, and returns the
// response of a successful call. Any other final answer is returned as
// *vendorkit.APIError (the response body is consumed and closed); transport failures
// are wrapped with the vendor, method, host and path, and context errors stay
// matchable with errors.Is. req is never modified.
func (e *Endpoint) Do(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, fmt.Errorf("%s: %w: a request without a URL", e.cfg.Vendor, vendorkit.ErrInvalidArgument)
	}
	if e.obs != nil {
		return e.observedDo(req)
	}
	return e.do(req, nil)
}

// do is Do, reporting to co when it is not nil.
//
// The first attempt of an idempotent call without a body runs outside
// go-retryablehttp's loop, straight on attemptTransport: an answer that
// needs nothing of the loop — a success, classified so, whose body was read
// whole — ends the call there (finishFirst), which spares a loopback GET
// about 3 % (bench/README.md §1b). Any other answer, or error, is handed to
// the loop as its first attempt (replayOnce), so that checkRetry decides on
// it exactly as on one the loop had sent. This departs from DESIGN.md's
// "built on go-retryablehttp where it fits" only in reading "fits" as "a
// call that needs a retry decision": every retry still goes through the
// loop. Calls with debug logging on keep every attempt in the loop, which
// logs them; an observer is told of the first attempt as the loop would
// tell it.
func (e *Endpoint) do(req *http.Request, co *callObs) (*http.Response, error) {
	ctx := req.Context()
	policy := e.kit.RetryPolicy()
	idempotent := isIdempotent(req) || (e.cfg.Idempotent != nil && e.cfg.Idempotent(req))
	if _, no := ctx.Value(core.NonIdempotentKey{}).(bool); no {
		idempotent = false
	}
	var first *firstAnswer
	if idempotent && e.plainFirst(ctx, req) {
		resp, err := attemptTransport{e}.RoundTrip(req)
		var answered time.Time // when the attempt's answer came, for the observer
		if co != nil {
			answered = time.Now()
		}
		if e.finishFirst(ctx, resp, err, policy) {
			if co != nil {
				co.attemptEnd(e, resp, nil, Success, false, answered.Sub(co.attempt.Start))
			}
			e.fillResponseInfo(ctx, resp, 1)
			return resp, nil
		}
		first = &firstAnswer{resp: resp, err: err}
	}
	st := e.states.Get().(*callState)
	defer e.states.Put(st)
	st.reset(e, req, policy, idempotent)
	st.co = co
	st.rc.HTTPClient = e.attempt
	if first != nil {
		st.first = first
		st.rc.HTTPClient = st.replay
	}
	st.rc.RetryMax = policy.MaxAttempts - 1
	// The retry decision, including the wait, is made in checkRetry:
	// retryablehttp's Backoff cannot stop a retry, its default backoff has no
	// jitter, and it sleeps on any Retry-After however long (its issues #247,
	// #295).

	// The body is read once, here, and the caller's closed (as http.Client
	// would): each attempt then reads its own copy of the bytes. Handing
	// retryablehttp the caller's body instead would share an io.ReadSeeker
	// between an attempt and the previous one's still-running write.
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, e.wrapErr(req, 0, fmt.Errorf("reading request body: %w", err))
		}
		body = b
	}
	// retryablehttp sets the Body of the request it is given on each attempt
	// that has one: a request with a body (http.NoBody included) is handed
	// over as a shallow copy without it, so that the caller's stays
	// untouched; one without is never written to.
	in := req
	if req.Body != nil {
		in = req.WithContext(ctx)
		in.Body = nil
	}
	rreq, err := retryablehttp.FromRequest(in)
	if err == nil && body != nil {
		err = rreq.SetBody(body)
	}
	if err != nil {
		return nil, e.wrapErr(req, 0, fmt.Errorf("preparing request: %w", err))
	}
	if idempotent {
		// An idempotent call reads its success body inside the retry loop,
		// so that an answer cut short is retried like a lost connection.
		rreq.SetResponseHandler(st.readBody)
	}
	resp, err := st.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			closeBody(resp)
		}
		var paused *core.PausedError
		if errors.As(err, &paused) {
			return nil, e.pausedAPIError(req, paused, st)
		}
		return nil, e.requestError(st, err)
	}
	if st.verdict != Success {
		return nil, e.apiError(req, resp, st)
	}
	e.fillResponseInfo(ctx, resp, st.attempts)
	return resp, nil
}

// fillResponseInfo fills the *vendorkit.ResponseInfo that ctx carries, if
// any, with the call's final answer.
func (e *Endpoint) fillResponseInfo(ctx context.Context, resp *http.Response, attempts int) {
	if info, ok := ctx.Value(core.ResponseInfoKey{}).(*vendorkit.ResponseInfo); ok {
		info.StatusCode = resp.StatusCode
		info.Header = resp.Header
		info.Attempts = attempts
		info.RequestID = e.requestID(resp.Header)
	}
}

// plainFirst reports whether the first attempt of an idempotent call
// without a body may skip http.Client and go-retryablehttp (see do): the
// client would add nothing to it — there is no cookie jar, no user info in
// the URL to send as Basic auth, no server-side RequestURI to refuse — and
// no attempt is to be logged (checkRetry logs them).
func (e *Endpoint) plainFirst(ctx context.Context, req *http.Request) bool {
	return req.Body == nil && e.core.Jar == nil && req.URL.User == nil && req.RequestURI == "" &&
		!e.core.Logger.Enabled(ctx, slog.LevelDebug)
}

// finishFirst ends a call on its first attempt, made outside the retry
// loop (see do), when the answer needs nothing of the loop: a 2xx that the
// vendor's classifier takes for a success, whose body was read whole while
// the caller's context lasted. It then does what checkRetry and
// readSuccessBody do with such an answer — the limiter observes it, the
// retry budget gets its refund, resp.Body holds the bytes read — and
// reports true. Otherwise it reports false with nothing observed or
// refunded, and resp's body replays whatever was read of it, for the loop.
func (e *Endpoint) finishFirst(ctx context.Context, resp *http.Response, err error, p vendorkit.RetryPolicy) bool {
	if err != nil || resp == nil || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode > 299 || resp.ContentLength > MaxBody {
		return false
	}
	orig, body := resp.Body, []byte{}
	if orig != http.NoBody {
		b, err := core.ReadBody(orig, resp.ContentLength, MaxBody+1)
		if err != nil || len(b) > MaxBody {
			replayPeek(resp, orig, b, err)
			return false
		}
		_ = orig.Close()
		resp.Body, body = newBufferedBody(b), b
	}
	// classify's verdict on this answer, with the body read as the one it
	// would peek at.
	var peeked []byte
	if e.cfg.InspectBody != nil && e.cfg.InspectBody(resp.Request, resp) {
		peeked = body
	}
	if e.verdictOn(resp, peeked) != Success || ctx.Err() != nil {
		return false
	}
	e.observe(resp, resp.StatusCode, 0)
	e.budget.Refund(p.SuccessRefund)
	return true
}

// observe lets the limiter of resp's attempt learn the answer, as status
// (the verdict's: a vendor's rate-limit code on a 200 comes as a 429), when
// it came from the vendor's origin.
func (e *Endpoint) observe(resp *http.Response, status int, retryAfter time.Duration) {
	if resp.Request == nil || !e.ownOrigin(resp.Request.URL) {
		return
	}
	lim := e.limiter
	if a, ok := resp.Request.Context().Value(limiterCtxKey{}).(*sourceAttempt); ok {
		lim = a.lim
	}
	if lim != nil {
		lim.Observe(status, resp.Header, retryAfter)
	}
}

// firstAnswer is the answer (or error) of a call's first attempt, made
// outside the retry loop, that the loop takes as its own first attempt.
type firstAnswer struct {
	resp *http.Response
	err  error
}

// replayOnce is the transport of a loop whose first attempt was made before
// it (see do): it answers the loop's first request with that attempt's
// answer, and sends the others through attemptTransport. Like
// attemptTransport it has no CloseIdleConnections method.
type replayOnce struct{ st *callState }

func (t replayOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	if f := t.st.first; f != nil {
		t.st.first = nil
		return f.resp, f.err
	}
	return attemptTransport{t.st.e}.RoundTrip(req)
}

// reset prepares a pooled state for a new call.
func (st *callState) reset(e *Endpoint, req *http.Request, p vendorkit.RetryPolicy, idempotent bool) {
	st.e, st.req, st.policy, st.idempotent = e, req, p, idempotent
	st.attempts, st.wait, st.verdict, st.handled, st.checkErr = 0, 0, Success, false, nil
	st.body, st.truncated, st.retryAfter, st.hasRetryAt = nil, false, 0, false
	st.last, st.outcome, st.ran = nil, vendorkit.NotSent, vendorkit.OutcomeUnknown
	st.first = nil
}

// setOutcome records what the current attempt may have done.
func (st *callState) setOutcome(o vendorkit.Outcome) {
	st.outcome = o
	if o >= vendorkit.MayHaveRun && o > st.ran {
		st.ran = o
	}
}

// finalOutcome is what the whole call may have done.
func (st *callState) finalOutcome() vendorkit.Outcome { return max(st.outcome, st.ran) }

// isIdempotent reports whether the method may be repeated safely.
func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	return false
}

// checkRetry is retryablehttp's CheckRetry: it runs after every attempt.
func (st *callState) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if st.handled {
		// retryablehttp asks again after the response handler
		// (readSuccessBody), about the same attempt.
		st.handled = false
		switch {
		case err == nil:
			return false, st.checkErr
		case ctx.Err() != nil:
			st.setOutcome(vendorkit.Applied)
			return false, ctx.Err()
		}
		return st.failed(ctx, resp, err)
	}
	st.attempts++
	if ctx.Err() != nil {
		if err != nil && !notSent(err) {
			st.setOutcome(vendorkit.MayHaveRun)
		}
		if resp != nil {
			closeBody(resp)
		}
		return false, ctx.Err()
	}
	retry, err := st.check(ctx, resp, err)
	st.checkErr = err
	return retry, err
}

// check is checkRetry for a new attempt.
func (st *callState) check(ctx context.Context, resp *http.Response, err error) (bool, error) {
	e := st.e
	if err != nil {
		return st.failed(ctx, resp, err)
	}

	if err := st.classify(resp); err != nil {
		if ctx.Err() != nil {
			// The caller's deadline came while the body was read: the
			// error matches it and keeps the answer read so far.
			if resp.StatusCode >= 300 {
				st.setOutcome(statusOutcome(resp.StatusCode, st.hasRetryAt))
				st.last = e.apiError(st.req, resp, st)
			} else {
				st.setOutcome(vendorkit.Applied)
			}
			closeBody(resp)
			return false, ctx.Err()
		}
		// A 2xx body the classifier needed could not be read: like a
		// connection lost mid-answer.
		closeBody(resp)
		return st.failed(ctx, resp, err)
	}
	if st.verdict == Success {
		st.setOutcome(vendorkit.Applied)
	} else {
		st.setOutcome(statusOutcome(resp.StatusCode, st.hasRetryAt))
	}
	// The limiter learns the verdict, not only the status: a vendor's
	// rate-limit code on a 200 or 400 counts as a 429.
	status := resp.StatusCode
	if st.verdict == RateLimited {
		status = http.StatusTooManyRequests
	}
	e.observe(resp, status, st.retryAfter)
	retry := false
	switch st.verdict {
	case Success:
		e.budget.Refund(st.policy.SuccessRefund)
	case RateLimited:
		retry = true
	case Transient:
		// A 503 with Retry-After says the server did not act: writes may retry.
		retry = st.idempotent || st.hasRetryAt
	}
	if retry {
		switch {
		case st.retryAfter > st.policy.MaxRetryAfter:
			// Not slept on, nor clamped: the caller reschedules.
			retry = false
		case st.hasRetryAt:
			st.wait = e.core.ScaleWait(st.retryAfter)
		case st.verdict == RateLimited:
			st.wait = e.core.ScaleWait(backoff(st.policy.RateLimitBaseWait, st.policy.MaxWait, st.attempts-1))
		default:
			st.wait = e.core.ScaleWait(backoff(st.policy.BaseWait, st.policy.MaxWait, st.attempts-1))
		}
	}
	retry = retry && st.spend(st.policy.RetryCost)
	if retry {
		// Kept for the error of a call that a deadline ends during the wait
		// or the next attempt.
		st.last = e.apiError(st.req, resp, st)
	}
	e.logAttempt(ctx, resp, nil, st, retry)
	return retry, nil
}

// failed decides on an attempt that ended without a usable answer: err is a
// transport failure, a refused redirect (resp is the redirect) or a 2xx body
// that could not be read (resp is that answer).
func (st *callState) failed(ctx context.Context, resp *http.Response, err error) (bool, error) {
	e := st.e
	st.verdict = Failure
	switch {
	case resp != nil && resp.StatusCode < 300:
		st.setOutcome(vendorkit.Applied)
	case resp != nil:
		st.setOutcome(vendorkit.Refused)
	case notSent(err):
		st.setOutcome(vendorkit.NotSent)
	default:
		st.setOutcome(vendorkit.MayHaveRun)
	}
	retry := false
	var paused *core.PausedError
	switch {
	case errors.Is(err, vendorkit.ErrInvalidArgument), errors.As(err, &paused), isRedirectErr(err):
	case st.idempotent:
		retry = isTransientNetErr(err)
	default:
		// A write is retried only when it cannot have reached the server.
		retry = notSent(err)
	}
	cost := st.policy.RetryCost
	if isTimeout(err) {
		cost = st.policy.TimeoutRetryCost
	}
	if !retry || !st.spend(cost) {
		e.logAttempt(ctx, resp, err, st, false)
		return false, err
	}
	st.wait = e.core.ScaleWait(backoff(st.policy.BaseWait, st.policy.MaxWait, st.attempts-1))
	e.logAttempt(ctx, resp, err, st, true)
	return true, nil
}

// readSuccessBody is the response handler of idempotent calls: it reads a
// success body whole (up to MaxBody) inside the retry loop, bounded by the
// attempt's timeout, so that a body cut short is retried. A body over
// MaxBody is left for the decoder to refuse.
func (st *callState) readSuccessBody(resp *http.Response) error {
	st.handled = true
	if st.verdict != Success || resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	if _, ok := resp.Body.(*BufferedBody); ok {
		return nil
	}
	orig := resp.Body
	b, err := core.ReadBody(orig, resp.ContentLength, MaxBody+1)
	if err != nil {
		_ = orig.Close()
		return fmt.Errorf("reading response body: %w", err)
	}
	if len(b) > MaxBody {
		replayPeek(resp, orig, b, nil) // left for the decoder to refuse
		return nil
	}
	_ = orig.Close()
	resp.Body = newBufferedBody(b)
	return nil
}

// MaxBody caps a success body: a vendor answer larger than this is refused
// rather than read into memory.
const MaxBody = 64 << 20

// BufferedBody is a success body already read whole by Endpoint.Do (the
// body of an idempotent call). Decoders use Bytes instead of reading it.
type BufferedBody struct {
	bytes.Reader
	b []byte
}

// newBufferedBody returns b as a response body (one allocation).
func newBufferedBody(b []byte) *BufferedBody {
	bb := &BufferedBody{b: b}
	bb.Reset(b)
	return bb
}

// Bytes returns the whole body.
func (b *BufferedBody) Bytes() []byte { return b.b }

// Close does nothing: the connection was released when the body was read.
func (b *BufferedBody) Close() error { return nil }

// spend takes retry budget, unless this was the last attempt anyway.
func (st *callState) spend(cost int) bool {
	return st.attempts < st.policy.MaxAttempts && st.e.budget.Take(cost)
}

// backoff is retryablehttp's Backoff: the wait checkRetry decided on.
func (st *callState) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return st.wait
}

// classify reads the answer's verdict, Retry-After and, when needed, its
// body. It fails only when a 2xx body the classifier needs could not be read
// (or any body, when the caller's context ended): a non-2xx body cut short
// is classified by its status and flagged as truncated.
func (st *callState) classify(resp *http.Response) error {
	e := st.e
	st.body, st.truncated = nil, false
	st.retryAfter, st.hasRetryAt = 0, false
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		st.retryAfter, st.hasRetryAt = ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	var peeked []byte // at most MaxErrorBody+1 bytes; the body is left whole
	var err error
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	switch {
	case !ok:
		peeked, err = peekBody(resp, st.policy.AttemptTimeout)
		if err != nil {
			st.verdict = ClassifyStatus(resp.StatusCode)
			st.body, st.truncated = finishErrorBody(resp, st.policy.AttemptTimeout)
			if st.req.Context().Err() != nil {
				return err // the caller's deadline, not the attempt's
			}
		}
	case e.cfg.InspectBody != nil && e.cfg.InspectBody(resp.Request, resp):
		if resp.Body == nil || resp.Body == http.NoBody {
			peeked = []byte{}
			break
		}
		orig := resp.Body
		// On vendorkit's own transport the connection's deadline bounds
		// this read as it bounds every success body (progressConn): no
		// timer is needed for it.
		timeout := st.policy.AttemptTimeout
		if e.core.OwnBase {
			timeout = 0
		}
		peeked, err = readPeek(orig, resp.ContentLength, timeout)
		if err == nil && len(peeked) <= MaxErrorBody {
			// The peek read the whole body: keep it for the decoder, so that
			// it is neither copied again (readSuccessBody) nor read through
			// a replaying reader.
			_ = orig.Close()
			resp.Body = newBufferedBody(peeked)
			break
		}
		replayPeek(resp, orig, peeked, err)
		if err != nil {
			return err
		}
	}
	st.verdict = e.verdictOn(resp, peeked)
	if st.verdict != Success && st.body == nil {
		st.body, st.truncated = finishErrorBody(resp, st.policy.AttemptTimeout)
	}
	if st.verdict == RateLimited && !st.hasRetryAt {
		st.retryAfter, st.hasRetryAt = ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return nil
}

// verdictOn is the vendor's verdict on resp, given the start of its body
// that was peeked at (nil when the body was not inspected): the classifier
// sees at most MaxErrorBody bytes of an error answer, and no body of a 2xx
// too long to be an error report.
func (e *Endpoint) verdictOn(resp *http.Response, peeked []byte) Verdict {
	if e.cfg.Classify == nil {
		return ClassifyStatus(resp.StatusCode)
	}
	body := peeked
	if len(body) > MaxErrorBody {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			body = nil
		} else {
			body = body[:MaxErrorBody]
		}
	}
	return e.cfg.Classify(resp.StatusCode, resp.Header, body)
}

// peekedBody is a response body whose start was read for the classifier:
// it replays those bytes, then the rest of the original.
type peekedBody struct {
	io.Reader
	orig io.ReadCloser
	err  error // the error that ended the peek, if any
}

func (p *peekedBody) Close() error { return p.orig.Close() }

// peekBody reads up to MaxErrorBody+1 bytes of resp's body for the
// classifier and leaves the body whole (resp.Body replays them). A body that
// does not arrive within timeout is cut short, so a server that drips its
// answer cannot hold the call; the error says so (an attempt timeout, not
// net/http's "read on closed response body"). A body cut short replays what
// was read, then the error.
func peekBody(resp *http.Response, timeout time.Duration) ([]byte, error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return []byte{}, nil
	}
	orig := resp.Body
	b, err := readPeek(orig, resp.ContentLength, timeout)
	replayPeek(resp, orig, b, err)
	return b, err
}

// readPeek reads up to MaxErrorBody+1 bytes of body, whose announced
// length is size (-1: unknown), within timeout (see peekBody).
func readPeek(body io.ReadCloser, size int64, timeout time.Duration) ([]byte, error) {
	var timedOut atomic.Bool
	if timeout > 0 {
		t := time.AfterFunc(timeout, func() { timedOut.Store(true); _ = body.Close() })
		defer t.Stop()
	}
	b, err := core.ReadBody(body, size, MaxErrorBody+1)
	if err != nil && timedOut.Load() {
		err = errBodyTimeout
	}
	return b, err
}

// replayPeek makes resp.Body replay b, the start of orig that readPeek read
// (ended by err), then the rest of orig.
func replayPeek(resp *http.Response, orig io.ReadCloser, b []byte, err error) {
	p := &peekedBody{Reader: io.MultiReader(bytes.NewReader(b), orig), orig: orig, err: err}
	if err != nil {
		p.Reader = io.MultiReader(bytes.NewReader(b), errReader{err})
	}
	resp.Body = p
}

// errBodyTimeout ends a body that did not arrive within the attempt timeout.
var errBodyTimeout = &timeoutError{"body not received within the attempt timeout"}

// timeoutError is a net.Error that reports a timeout.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string   { return e.msg }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// finishErrorBody reads an unreturned answer's body up to MaxErrorBody,
// drains a little more so that a small answer's connection can be reused,
// closes it, and returns what it read (also left replayable in resp.Body)
// and whether that is less than the whole body (over the cap, or cut).
func finishErrorBody(resp *http.Response, timeout time.Duration) ([]byte, bool) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return []byte{}, false
	}
	if _, ok := resp.Body.(*peekedBody); !ok {
		_, _ = peekBody(resp, timeout)
	}
	p := resp.Body.(*peekedBody)
	b, err := io.ReadAll(io.LimitReader(p.Reader, MaxErrorBody))
	truncated := err != nil || p.err != nil
	if !truncated && len(b) == MaxErrorBody {
		n, _ := io.CopyN(io.Discard, p.Reader, 1)
		truncated = n > 0
	}
	if p.err == nil {
		_, _ = io.CopyN(io.Discard, p.orig, 4<<10)
	}
	_ = p.orig.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return b, truncated
}

// apiError builds the final *vendorkit.APIError of a call and closes resp's body.
func (e *Endpoint) apiError(req *http.Request, resp *http.Response, st *callState) *vendorkit.APIError {
	body, truncated := st.body, st.truncated
	if body == nil {
		body, truncated = finishErrorBody(resp, st.policy.AttemptTimeout)
	}
	closeBody(resp)
	// A vendor that echoes the credential ("Invalid token <tok>") must not
	// put it in the error's text, JSON or logs.
	body = redactSecret(body, e.tokenOf(resp))
	apiErr := &vendorkit.APIError{
		Vendor:     e.cfg.Vendor,
		Method:     req.Method,
		Host:       req.URL.Host,
		Path:       req.URL.Path,
		StatusCode: resp.StatusCode,
		RequestID:  e.requestID(resp.Header),
		RetryAfter: st.retryAfter,
		Attempts:   st.attempts,
		Header:     errorHeader(resp.Header),
		Body:       body,
		Truncated:  truncated,
		Outcome:    st.finalOutcome(),
	}
	e.cfg.Decode(apiErr)
	switch {
	case st.verdict == RateLimited:
		apiErr.AddKind(vendorkit.ErrRateLimited)
	case st.hasRetryAt && st.retryAfter > st.policy.MaxRetryAfter:
		// A 503 that asks for more than the client sleeps on: a scheduler
		// must reschedule it, so it is a rate limit as well as a server
		// error.
		if c := apiErr.Category(); c != nil {
			apiErr.AddKind(c)
		}
		apiErr.AddKind(vendorkit.ErrRateLimited)
	}
	return apiErr
}

// pausedAPIError is the error of a call the limiter did not send because a
// vendor's Retry-After longer than MaxRetryAfter is still running for its
// credential: a 429 in all but the round trip, so that callers reschedule it
// like any other (errors.Is ErrRateLimited, RetryAfter set).
func (e *Endpoint) pausedAPIError(req *http.Request, p *core.PausedError, st *callState) error {
	return &vendorkit.APIError{
		Vendor:     e.cfg.Vendor,
		Method:     req.Method,
		Host:       req.URL.Host,
		Path:       req.URL.Path,
		StatusCode: http.StatusTooManyRequests,
		Message:    "not sent: " + p.Error(),
		// The time left, rounded up to the millisecond: a scheduler that
		// reschedules at RetryAfter comes back when the pause ends, never
		// before it (rounding to the second could send it back up to half a
		// second early, to be refused again).
		RetryAfter: p.Wait.Truncate(time.Millisecond) + time.Millisecond,
		Attempts:   st.attempts - 1,
		Kinds:      []error{vendorkit.ErrRateLimited},
		Outcome:    max(vendorkit.NotSent, st.ran),
	}
}

// errorHeader is the response header kept in an APIError, which may be
// logged or stored in a job queue: without the cookies a vendor sets.
func errorHeader(h http.Header) http.Header {
	if _, ok := h["Set-Cookie"]; !ok {
		return h
	}
	h = h.Clone()
	h.Del("Set-Cookie")
	return h
}

func (e *Endpoint) requestID(h http.Header) string {
	for _, name := range e.cfg.RequestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// wrapErr describes a failure before the request could be handed to the
// retry loop (its body could not be read, say).
func (e *Endpoint) wrapErr(req *http.Request, attempts int, err error) error {
	st := &callState{e: e, req: req, attempts: attempts, outcome: vendorkit.NotSent}
	return e.requestError(st, err)
}

// requestError describes a call that ended without a usable vendor answer,
// with its category, what it may have done, the last answer when there was
// one, and a text without query strings or the credential. The caller's
// context error stays matchable with errors.Is, whatever error it caused.
func (e *Endpoint) requestError(st *callState, err error) error {
	req := st.req
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	re := &vendorkit.RequestError{
		Vendor:   e.cfg.Vendor,
		Method:   req.Method,
		Host:     req.URL.Host,
		Path:     req.URL.Path,
		Attempts: st.attempts,
		Outcome:  st.finalOutcome(),
		Last:     st.last,
	}
	var cred *credentialError
	ctxErr := req.Context().Err()
	switch {
	case ctxErr != nil:
		if !errors.Is(err, ctxErr) {
			err = &redactedError{msg: ctxErr.Error() + ": " + err.Error(), errs: []error{ctxErr, err}}
		}
	case errors.As(err, &cred), errors.Is(err, vendorkit.ErrInvalidArgument):
	case isRedirectErr(err):
		re.Kind = vendorkit.ErrRedirectRefused
	case isTimeout(err):
		re.Kind = vendorkit.ErrAttemptTimeout
	default:
		re.Kind = vendorkit.ErrTransport
	}
	re.Err = &redactedError{msg: redactSecretText(redactText(err.Error()), e.static), errs: []error{err}}
	return re
}

// statusOutcome is what an answer's status says a write did: a 5xx may have
// run (unless a 503 came with Retry-After: the server did not act), anything
// else was refused, 2xx included (a 2xx classified as a failure reports an
// error, as Woodpecker v1 does).
func statusOutcome(status int, retryAfter bool) vendorkit.Outcome {
	return vendorkit.Outcome(core.StatusOutcome(status, retryAfter))
}

// checkRedirect refuses a 307 or 308 that would re-send a request body to
// another origin (the credential is never sent there, but the body — a
// contact's data — would be), then applies WithHTTPClient's CheckRedirect,
// or else net/http's limit of 10 redirects, with a typed error.
func (e *Endpoint) checkRedirect(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1]
	if r := req.Response; r != nil && (r.StatusCode == http.StatusTemporaryRedirect || r.StatusCode == http.StatusPermanentRedirect) &&
		req.ContentLength != 0 && !sameOrigin(req.URL, prev.URL) {
		return &redirectError{msg: fmt.Sprintf("%d redirect of a %s with a body to another origin (%s) not followed", r.StatusCode, req.Method, req.URL.Host)}
	}
	if e.core.CheckRedirect != nil {
		return e.core.CheckRedirect(req, via)
	}
	if len(via) >= 10 {
		return &redirectError{msg: "stopped after 10 redirects"}
	}
	return nil
}

// sameOrigin reports whether a and b have the same scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

// redirectError is a redirect the client refused to follow.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// isRedirectErr reports a refused redirect: ours, or net/http's malformed
// Location (which wraps no error value).
func isRedirectErr(err error) bool {
	var r *redirectError
	return errors.As(err, &r) || strings.Contains(err.Error(), "failed to parse Location header")
}

// credentialError is a credential source's failure: the request was not sent.
type credentialError struct{ err error }

func (e *credentialError) Error() string { return "credential: " + e.err.Error() }
func (e *credentialError) Unwrap() error { return e.err }

// notSentError marks an attempt that ended before the request was handed to
// the transport (the limiter's wait ended, a header was refused).
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// tokenOf returns the credential an answer's request carried, for redaction.
func (e *Endpoint) tokenOf(resp *http.Response) string {
	if e.static != "" || resp == nil || resp.Request == nil {
		return e.static
	}
	if a, ok := resp.Request.Context().Value(limiterCtxKey{}).(*sourceAttempt); ok {
		return a.token
	}
	return ""
}

// minSecret is the shortest credential redacted from text: a shorter one
// would blank out ordinary words.
const minSecret = 6

// redactSecret replaces every occurrence of secret in body.
func redactSecret(body []byte, secret string) []byte {
	if len(secret) < minSecret || !bytes.Contains(body, []byte(secret)) {
		return body
	}
	return bytes.ReplaceAll(body, []byte(secret), []byte("[REDACTED]"))
}

// redactSecretText replaces every occurrence of secret in s.
func redactSecretText(s, secret string) string {
	if len(secret) < minSecret {
		return s
	}
	return strings.ReplaceAll(s, secret, "[REDACTED]")
}

// logAttempt logs one attempt at Debug, redacted.
func (e *Endpoint) logAttempt(ctx context.Context, resp *http.Response, err error, st *callState, retry bool) {
	l := e.core.Logger
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("vendor", e.cfg.Vendor),
		slog.Int("attempt", st.attempts),
	}
	if resp != nil && resp.Request != nil {
		attrs = append(attrs,
			slog.String("method", resp.Request.Method),
			slog.String("host", resp.Request.URL.Host),
			slog.String("path", resp.Request.URL.Path),
			slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		attrs = append(attrs, slog.String("error", redactText(err.Error())))
	}
	if e.static != "" {
		attrs = append(attrs, slog.String("credential", Fingerprint(e.static)))
	}
	if retry {
		attrs = append(attrs, slog.Duration("wait", st.wait))
	}
	msg := "vendorkit: attempt done"
	if retry {
		msg = "vendorkit: retrying"
	}
	l.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
}

// attemptTransport runs one attempt: credential, extra headers, limiter.
type attemptTransport struct{ e *Endpoint }

// RoundTrip never modifies req: it sets headers on a copy and closes req's
// body on every error path, as http.RoundTripper requires.
func (t attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := t.e
	ctx := req.Context()
	co := e.observing(ctx)
	if co != nil {
		ctx = co.attemptStart(ctx)
	}
	ownOrigin := e.ownOrigin(req.URL)
	// Credentials go only to the vendor's own origin: a redirect to another
	// host (or port, or scheme) gets none of them, nor the limiter's pacing.
	auth, lim := e.authValue, e.limiter
	if ownOrigin && auth == nil {
		raw, err := e.cfg.Credential.Token(ctx)
		if err == nil {
			raw, err = core.StripScheme(raw, e.cfg.AuthScheme)
		}
		if err == nil {
			raw, err = CleanToken(raw)
		}
		if err != nil {
			closeReqBody(req)
			return nil, &credentialError{err}
		}
		auth = []string{e.authFmt + raw}
		// The limiter and the token ride on the request's context so that
		// checkRetry feeds the same limiter and errors redact the token.
		lim = e.limiterFor(raw)
		ctx = context.WithValue(ctx, limiterCtxKey{}, &sourceAttempt{lim: lim, token: raw})
	}
	// Waiting for the limiter counts against the caller's deadline, not the
	// attempt's timeout.
	release := func() {}
	if ownOrigin {
		var t0 time.Time
		if co != nil {
			t0 = time.Now()
		}
		r, err := lim.Acquire(ctx)
		if co != nil {
			co.waited(vendorkit.WaitLimiter, time.Since(t0))
		}
		if err != nil {
			closeReqBody(req)
			return nil, &notSentError{err}
		}
		release = r
	}
	// The per-attempt timeout, unless the caller's deadline comes first. On
	// vendorkit's own transport the connections enforce it instead (see
	// progressConn), sparing a context and a timer per request: they cost
	// 3–5 % of a loopback GET (bench/README.md).
	var cancel context.CancelFunc
	if d := e.kit.RetryPolicy().AttemptTimeout; d > 0 && !e.core.OwnBase {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > d {
			ctx, cancel = context.WithTimeout(ctx, d)
		}
	}
	out := req.WithContext(ctx)
	out.Header = make(http.Header, len(req.Header)+2+len(e.cfg.Header))
	for k, v := range req.Header {
		out.Header[k] = v
	}
	if ownOrigin {
		out.Header[e.cfg.AuthHeader] = auth // canonical since NewEndpoint
		for k, v := range e.cfg.Header {
			out.Header[k] = v
		}
		if h, ok := ctx.Value(core.HeadersKey{}).(http.Header); ok {
			for k, vs := range h {
				for _, v := range vs {
					if err := checkHeaderValue(k, v); err != nil {
						release()
						closeReqBody(req)
						if cancel != nil {
							cancel()
						}
						return nil, &notSentError{err}
					}
				}
				out.Header[k] = vs
			}
		}
	}
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = e.uaValue
	}
	resp, err := e.core.Base.RoundTrip(out)
	release()
	if cancel != nil {
		if err != nil || resp.Body == nil {
			cancel()
		} else {
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		}
	}
	return resp, err
}

// limiterCtxKey carries a *sourceAttempt from RoundTrip to checkRetry.
type limiterCtxKey struct{}

// sourceAttempt is the token a credential source gave for one attempt, and
// its limiter.
type sourceAttempt struct {
	lim   core.Limiter
	token string
}

// cancelOnClose ends an attempt's timeout context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func closeReqBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// closeBody drains a little of an unreturned body, so small answers keep
// their connection alive, and closes it.
func closeBody(resp *http.Response) {
	if resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}

// isTimeout reports a timeout of the network or of the attempt.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// notSent reports an error raised before any byte of the request reached the
// server: dialing failed (refused, unreachable, DNS).
func notSent(err error) bool {
	var ns *notSentError
	var cred *credentialError
	if errors.As(err, &ns) || errors.As(err, &cred) || errors.Is(err, vendorkit.ErrInvalidArgument) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isTransientNetErr reports a network failure worth retrying for an
// idempotent request: anything but a failed certificate check, a redirect
// loop or a request the transport refused to send.
func isTransientNetErr(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) {
		return false
	}
	// An allow-list: anything else (a malformed Location header, a refused
	// request) fails the same way on every try.
	var op *net.OpError
	if errors.As(err, &op) || isTimeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// net/http's own words for a connection lost mid-request, which wrap no
	// error value.
	s := err.Error()
	for _, lost := range []string{"server closed idle connection", "connection reset", "broken pipe", "GOAWAY", "http2: stream error", "transport connection broken"} {
		if strings.Contains(s, lost) {
			return true
		}
	}
	return false
}

// queryInText matches the query string of a URL quoted in an error text
// (net/http's errors quote a redirect's Location header whole).
var queryInText = regexp.MustCompile("\\?[^\\s\"'`]*")

// redactText removes query strings from an error text: they can carry
// e-mail addresses (Woodpecker's search=email=…) or keys.
func redactText(s string) string {
	if !strings.Contains(s, "?") {
		return s
	}
	return queryInText.ReplaceAllString(s, "?…")
}

// redactedError is an error whose text was redacted; errors.Is and As still
// see the original.
type redactedError struct {
	msg  string
	errs []error
}

func (r *redactedError) Error() string   { return r.msg }
func (r *redactedError) Unwrap() []error { return r.errs }
