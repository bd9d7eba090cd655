// Package queue tells a job queue what to do with a job whose vendorkit call
// failed: retry it at the time the vendor asked for, retry it after the
// queue's own backoff, or give up on it for good. It knows vendorkit's error
// categories and nothing of any queue, so the same mapping serves Asynq,
// River, a home-grown queue or a cron loop; the adapter is a few lines (see
// examples/asynq for Asynq's).
//
//	d := queue.Decide(err)
//	switch d.Action {
//	case queue.Done:
//		// success
//	case queue.RetryAt:
//		// the vendor said when: reschedule at d.At, not earlier and not
//		// in a sleeping worker; this is not a failure of the job
//	case queue.Retry:
//		// transient: the queue's backoff and retry limit apply
//	case queue.GiveUp:
//		// permanent: dead-letter the job with d.Reason
//	}
//
// A job that repeats a write must first know whether the write it repeats
// may already have run: a job that is retried after a timeout or a 5xx
// checks the vendor's state before writing again, or uses the vendor's
// upsert (see the README's worker section).
package queue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vendorkit/vendorkit"
)

// Action is what the queue should do with the job.
type Action int

// The actions, from a success to a permanent failure.
const (
	// Done: the call succeeded (the error was nil).
	Done Action = iota
	// Retry: a transient failure; retry after the queue's own backoff,
	// within its retry limit.
	Retry
	// RetryAt: the vendor said when to come back (Decision.At). Retry then,
	// not before: an earlier try is refused again, or not even sent while
	// the client knows the credential is paused.
	RetryAt
	// GiveUp: retrying cannot succeed without a change (a revoked token, a
	// missing record, an invalid payload); Decision.Reason says why.
	GiveUp
)

// String returns the action's name: "done", "retry", "retry-at", "give-up".
func (a Action) String() string {
	switch a {
	case Done:
		return "done"
	case Retry:
		return "retry"
	case RetryAt:
		return "retry-at"
	case GiveUp:
		return "give-up"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// Decision is what to do with a job after an error.
type Decision struct {
	// Action is what to do.
	Action Action
	// At is when to retry, for RetryAt: the time of the decision plus the
	// vendor's Retry-After. Zero otherwise.
	At time.Time
	// Category is the error category that decided: one of vendorkit's
	// (vendorkit.ErrRateLimited, vendorkit.ErrUnauthorized, …),
	// context.DeadlineExceeded or context.Canceled; nil for a success and
	// for an error of no known category (which is retried).
	Category error
	// Reason says in a few words why, for the job's record and logs, e.g.
	// "unauthorized: the credential is missing, wrong or revoked". It holds
	// no secret and no part of the error text.
	Reason string
	// Err is the error decided on.
	Err error
	// Outcome is what the failed call may have done on the vendor's side
	// (vendorkit.WriteOutcome): NotSent or Refused, the vendor did not act;
	// MayHaveRun, it may have; Applied, it did (Done, and a malformed
	// answer to an accepted request). A job that retries a write that is
	// not idempotent after MayHaveRun or Applied checks the vendor's state
	// first, or uses the vendor's upsert.
	Outcome vendorkit.Outcome
}

// Delay returns how long to wait from now before the retry: At - now for
// RetryAt (never negative), 0 for the other actions.
func (d Decision) Delay(now time.Time) time.Duration {
	if d.Action != RetryAt {
		return 0
	}
	return max(0, d.At.Sub(now))
}

// Failure reports whether the attempt should count against the job's retry
// limit and error rate: a job the vendor merely asked to come back later
// (RetryAt) has not failed, nor has a successful one.
func (d Decision) Failure() bool { return d.Action == Retry || d.Action == GiveUp }

// String describes the decision for logs, e.g.
// "retry-at 2026-01-02T15:04:05Z (rate limited: …)".
func (d Decision) String() string {
	switch d.Action {
	case Done:
		return "done"
	case RetryAt:
		return fmt.Sprintf("retry-at %s (%s)", d.At.UTC().Format(time.RFC3339Nano), d.Reason)
	}
	return fmt.Sprintf("%s (%s)", d.Action, d.Reason)
}

// Decide maps err to a decision, with time.Now as the time of the decision;
// see DecideAt.
func Decide(err error) Decision { return DecideAt(err, time.Now()) }

// rule is one row of the mapping: an error category, what it decides, and
// why. The first matching row wins.
type rule struct {
	category error
	action   Action
	reason   string
}

// rules is the mapping, in order. ErrRateLimited and ErrServer become
// RetryAt when the vendor sent a Retry-After (DecideAt handles that).
var rules = []rule{
	// Refused before anything was sent: the same call fails the same way.
	{vendorkit.ErrInvalidArgument, GiveUp, "invalid argument: refused before sending"},
	{vendorkit.ErrInsecureURL, GiveUp, "insecure URL: refused before sending"},
	// Answers the client will not use, whatever the status: sending again
	// gets the same.
	{vendorkit.ErrRedirectRefused, GiveUp, "redirect refused: the vendor sent the request elsewhere"},
	{vendorkit.ErrMalformedResponse, GiveUp, "malformed response: the vendor's answer is not what its API promises"},
	// The vendor's answers.
	{vendorkit.ErrRateLimited, Retry, "rate limited"},
	{vendorkit.ErrUnauthorized, GiveUp, "unauthorized: the credential is missing, wrong or revoked"},
	{vendorkit.ErrForbidden, GiveUp, "forbidden: the credential lacks access (scope, plan or role)"},
	{vendorkit.ErrNotFound, GiveUp, "not found"},
	{vendorkit.ErrConflict, GiveUp, "conflict: the record's state refuses the change"},
	{vendorkit.ErrBadRequest, GiveUp, "bad request: the vendor refused the payload"},
	{vendorkit.ErrServer, Retry, "vendor server error"},
	// No answer: the connection failed, or an attempt ran out of time.
	{vendorkit.ErrAttemptTimeout, Retry, "attempt timed out"},
	{vendorkit.ErrTransport, Retry, "transport failure: no complete answer"},
	// The caller's context: an attempt that ran out of time may succeed
	// later; a cancelled one (a worker shutting down) must run again.
	{context.DeadlineExceeded, Retry, "deadline exceeded"},
	{context.Canceled, Retry, "canceled"},
}

// DecideAt maps err to a decision taken at now (At = now + RetryAfter):
//
//   - nil: Done;
//   - vendorkit.ErrInvalidArgument, ErrInsecureURL (refused before
//     sending), ErrRedirectRefused, ErrMalformedResponse, ErrUnauthorized
//     (401), ErrForbidden (403), ErrNotFound (404), ErrConflict (409),
//     ErrBadRequest (400, 422) and any other 4xx *vendorkit.APIError but
//     408: GiveUp — a vendor's own sentinels (woodpecker.ErrCompanyInactive,
//     …) decide as their category;
//   - ErrRateLimited, or ErrServer (a 503), with APIError.RetryAfter > 0:
//     RetryAt now + RetryAfter — the vendor's time exactly, no jitter;
//     without a RetryAfter: Retry;
//   - ErrServer (5xx), a 408, ErrAttemptTimeout, ErrTransport,
//     context.DeadlineExceeded, context.Canceled and any error of no known
//     category: Retry, bounded by the queue's retry limit.
//
// The first that matches decides: a call that ended on the caller's
// deadline while the vendor's last answer was a 429 with Retry-After
// (a *vendorkit.RequestError with Last) is RetryAt. Outcome is set on
// every decision. An *APIError read back from JSON (as a queue stores it)
// decides as the original did.
func DecideAt(err error, now time.Time) Decision {
	d := decide(err, now)
	d.Outcome = vendorkit.WriteOutcome(err)
	return d
}

func decide(err error, now time.Time) Decision {
	if err == nil {
		return Decision{Action: Done}
	}
	var apiErr *vendorkit.APIError
	isAPI := errors.As(err, &apiErr)
	for _, r := range rules {
		if !errors.Is(err, r.category) {
			continue
		}
		d := Decision{Action: r.action, Category: r.category, Reason: r.reason, Err: err}
		if isAPI && apiErr.RetryAfter > 0 && (r.category == vendorkit.ErrRateLimited || r.category == vendorkit.ErrServer) {
			d.Action, d.At = RetryAt, now.Add(apiErr.RetryAfter)
			d.Reason += fmt.Sprintf(": the vendor asked to retry after %s", apiErr.RetryAfter)
		}
		return d
	}
	if isAPI {
		// A status outside the mapped categories.
		s := apiErr.StatusCode
		if s >= 400 && s < 500 && s != http.StatusRequestTimeout {
			return Decision{Action: GiveUp, Reason: fmt.Sprintf("refused by the vendor (%d)", s), Err: err}
		}
		return Decision{Action: Retry, Reason: fmt.Sprintf("unexpected answer from the vendor (%d)", s), Err: err}
	}
	return Decision{Action: Retry, Reason: "transient or unknown failure", Err: err}
}
