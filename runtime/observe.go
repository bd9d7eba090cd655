package runtime

// This file reports calls to the kit's vendorkit.Observer. transport.go
// calls into it at four points only — Do, the start of an attempt, the
// limiter's wait, and checkRetry — and only when the kit has an observer,
// so a kit without one pays a nil check per call.

import (
	"context"
	"net/http"
	"time"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
)

// WithOperation returns a context whose calls report op, the facade method
// ("GetContact"), to the kit's observer as Call.Operation. Vendor packages
// call it first thing in each method. Until some Client in the process has
// an observer it returns ctx itself, allocating nothing.
func WithOperation(ctx context.Context, op string) context.Context {
	if !core.Observing.Load() {
		return ctx
	}
	return context.WithValue(ctx, core.OperationKey{}, op)
}

// obsKey carries a call's *callObs from Do to its attempts.
type obsKey struct{}

// callObs is the observation of one call. Attempts of a call run one after
// the other, so its fields need no lock.
type callObs struct {
	obs        vendorkit.Observer
	call       vendorkit.Call
	attempt    vendorkit.Attempt
	attemptCtx context.Context
	open       bool // an attempt has started and not ended
}

// observedDo is Do with the observer told: CallStart, the call, CallEnd.
func (e *Endpoint) observedDo(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	co := &callObs{obs: e.obs, call: vendorkit.Call{
		Vendor: e.cfg.Vendor, Method: req.Method, Host: req.URL.Host, Path: req.URL.Path, Start: time.Now(),
	}}
	co.call.Operation, _ = ctx.Value(core.OperationKey{}).(string)
	ctx = e.obs.CallStart(ctx, &co.call)
	resp, err := e.do(req.WithContext(context.WithValue(ctx, obsKey{}, co)), co)

	c := &co.call
	c.Duration = time.Since(c.Start)
	c.Attempts = co.attempt.N
	c.Err, c.Category = err, vendorkit.ErrorCategory(err)
	if resp != nil {
		c.StatusCode, c.RequestID = resp.StatusCode, e.requestID(resp.Header)
	} else if co.attempt.StatusCode != 0 {
		c.StatusCode, c.RequestID = co.attempt.StatusCode, co.attempt.RequestID
	}
	c.RetryBudget = e.budget.Tokens()
	e.obs.CallEnd(ctx, c)
	return resp, err
}

// observing returns the call's observation when ctx is an observed call's.
func (e *Endpoint) observing(ctx context.Context) *callObs {
	if e.obs == nil {
		return nil
	}
	co, _ := ctx.Value(obsKey{}).(*callObs)
	return co
}

// attemptStart opens the call's next attempt, unless one is open (a
// redirect is part of its attempt), and returns the attempt's context.
func (co *callObs) attemptStart(ctx context.Context) context.Context {
	if !co.open {
		co.open = true
		co.attempt = vendorkit.Attempt{N: co.attempt.N + 1, Start: time.Now()}
		co.attemptCtx = co.obs.AttemptStart(ctx, &co.call, &co.attempt)
	}
	return co.attemptCtx
}

func (co *callObs) waited(kind vendorkit.WaitKind, d time.Duration) {
	co.obs.Wait(co.attemptCtx, &co.call, vendorkit.Wait{Kind: kind, Attempt: co.attempt.N, Duration: d})
}

// observedCheckRetry is checkRetry with the attempt's end and the retry
// wait reported.
func (st *callState) observedCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	second := st.handled // the same attempt again, after readSuccessBody
	retry, rerr := st.checkRetry(ctx, resp, err)
	co := st.co
	if co == nil || second {
		// An attempt is reported once; a success body cut short is
		// reported as the success its status said (the retry that
		// follows is its own attempt).
		return retry, rerr
	}
	if !co.open { // the attempt failed before reaching the transport
		co.attemptStart(ctx)
	}
	co.attemptEnd(st.e, resp, err, st.verdict, retry, time.Since(co.attempt.Start))
	if retry {
		co.waited(vendorkit.WaitRetry, st.wait)
	}
	return retry, rerr
}

// attemptEnd tells the observer how the open attempt ended, d after it
// started: with err, or with resp and the verdict on it; retry says whether
// another attempt follows.
func (co *callObs) attemptEnd(e *Endpoint, resp *http.Response, err error, v Verdict, retry bool, d time.Duration) {
	a := &co.attempt
	a.Duration, a.Retry = d, retry
	a.Err, a.StatusCode, a.RequestID, a.Category = err, 0, "", ""
	switch {
	case err != nil:
		a.Category = vendorkit.ErrorCategory(err)
	case resp != nil:
		a.StatusCode, a.RequestID = resp.StatusCode, e.requestID(resp.Header)
		a.Category = verdictCategory(v, resp.StatusCode)
	}
	co.obs.AttemptEnd(co.attemptCtx, &co.call, a)
	co.open = false
}

// verdictCategory names an answer's category as vendorkit.ErrorCategory
// would name its error, without building one.
func verdictCategory(v Verdict, status int) string {
	switch {
	case v == Success:
		return ""
	case v == RateLimited || status == http.StatusTooManyRequests:
		return "rate_limited"
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return "bad_request"
	case status == http.StatusUnauthorized:
		return "unauthorized"
	case status == http.StatusForbidden:
		return "forbidden"
	case status == http.StatusNotFound:
		return "not_found"
	case status == http.StatusConflict:
		return "conflict"
	case status >= 500:
		return "server"
	}
	return "other"
}
