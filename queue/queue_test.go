package queue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/crow"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/queue"
	"github.com/vendorkit/vendorkit/qwoty"
	"github.com/vendorkit/vendorkit/woodpecker"
	"github.com/vendorkit/vendorkit/woofed"
)

var now = time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)

// apiErr is a vendor's answer as the core builds it.
func apiErr(status int, retryAfter time.Duration, kinds ...error) *vendorkit.APIError {
	return &vendorkit.APIError{Vendor: "deskwoot", Method: "GET", Host: "deskwoot.com", Path: "/api/v1/conversations",
		StatusCode: status, RetryAfter: retryAfter, Kinds: kinds}
}

// wrapped is how a facade returns an error: with its own context.
func wrapped(err error) error { return fmt.Errorf("deskwoot: get conversation: %w", err) }

func TestDecide(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		action   queue.Action
		category error
		at       time.Duration // RetryAt: At - now
	}{
		{"nil", nil, queue.Done, nil, 0},

		// Every generic category, as the core returns it.
		{"ErrRateLimited 429 Retry-After", apiErr(429, 90*time.Second), queue.RetryAt, vendorkit.ErrRateLimited, 90 * time.Second},
		{"ErrRateLimited 429 without Retry-After", apiErr(429, 0), queue.Retry, vendorkit.ErrRateLimited, 0},
		{"ErrRateLimited vendor code on a 200", apiErr(200, 5*time.Second, vendorkit.ErrRateLimited), queue.RetryAt, vendorkit.ErrRateLimited, 5 * time.Second},
		{"ErrServer 503 Retry-After", apiErr(503, 2*time.Minute), queue.RetryAt, vendorkit.ErrServer, 2 * time.Minute},
		{"ErrServer 500", apiErr(500, 0), queue.Retry, vendorkit.ErrServer, 0},
		{"ErrServer 502", apiErr(502, 0), queue.Retry, vendorkit.ErrServer, 0},
		{"ErrUnauthorized 401", apiErr(401, 0), queue.GiveUp, vendorkit.ErrUnauthorized, 0},
		{"ErrForbidden 403", apiErr(403, 0), queue.GiveUp, vendorkit.ErrForbidden, 0},
		{"ErrNotFound 404", apiErr(404, 0), queue.GiveUp, vendorkit.ErrNotFound, 0},
		{"ErrConflict 409", apiErr(409, 0), queue.GiveUp, vendorkit.ErrConflict, 0},
		{"ErrBadRequest 400", apiErr(400, 0), queue.GiveUp, vendorkit.ErrBadRequest, 0},
		{"ErrBadRequest 422", apiErr(422, 0), queue.GiveUp, vendorkit.ErrBadRequest, 0},
		{"ErrUnauthorized in Kinds of a Woodpecker 200", apiErr(200, 0, vendorkit.ErrUnauthorized), queue.GiveUp, vendorkit.ErrUnauthorized, 0},
		{"a 401 with a Retry-After is still permanent", apiErr(401, time.Minute), queue.GiveUp, vendorkit.ErrUnauthorized, 0},
		{"ErrInvalidArgument", fmt.Errorf("woofed: get contact: %w: id must be positive", vendorkit.ErrInvalidArgument), queue.GiveUp, vendorkit.ErrInvalidArgument, 0},
		{"ErrInsecureURL", fmt.Errorf("woofed: base URL: %w", vendorkit.ErrInsecureURL), queue.GiveUp, vendorkit.ErrInsecureURL, 0},
		{"bare ErrRateLimited sentinel", vendorkit.ErrRateLimited, queue.Retry, vendorkit.ErrRateLimited, 0},
		{"bare ErrServer sentinel", vendorkit.ErrServer, queue.Retry, vendorkit.ErrServer, 0},
		{"bare ErrUnauthorized sentinel", vendorkit.ErrUnauthorized, queue.GiveUp, vendorkit.ErrUnauthorized, 0},
		{"bare ErrForbidden sentinel", vendorkit.ErrForbidden, queue.GiveUp, vendorkit.ErrForbidden, 0},
		{"bare ErrNotFound sentinel", vendorkit.ErrNotFound, queue.GiveUp, vendorkit.ErrNotFound, 0},
		{"bare ErrConflict sentinel", vendorkit.ErrConflict, queue.GiveUp, vendorkit.ErrConflict, 0},
		{"bare ErrBadRequest sentinel", vendorkit.ErrBadRequest, queue.GiveUp, vendorkit.ErrBadRequest, 0},

		// Failures without a usable answer (*vendorkit.RequestError).
		{"ErrTransport", reqErr(vendorkit.ErrTransport, vendorkit.MayHaveRun, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, nil),
			queue.Retry, vendorkit.ErrTransport, 0},
		{"ErrTransport not sent", reqErr(vendorkit.ErrTransport, vendorkit.NotSent, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, nil),
			queue.Retry, vendorkit.ErrTransport, 0},
		{"ErrAttemptTimeout", reqErr(vendorkit.ErrAttemptTimeout, vendorkit.MayHaveRun, context.DeadlineExceeded, nil),
			queue.Retry, vendorkit.ErrAttemptTimeout, 0},
		{"ErrMalformedResponse", reqErr(vendorkit.ErrMalformedResponse, vendorkit.Applied, errors.New("empty body"), nil),
			queue.GiveUp, vendorkit.ErrMalformedResponse, 0},
		{"ErrRedirectRefused", reqErr(vendorkit.ErrRedirectRefused, vendorkit.Refused, errors.New("307 to another origin"), nil),
			queue.GiveUp, vendorkit.ErrRedirectRefused, 0},
		{"caller's deadline after a 429 with Retry-After", reqErr(nil, vendorkit.Refused, context.DeadlineExceeded, apiErr(429, 7*time.Second)),
			queue.RetryAt, vendorkit.ErrRateLimited, 7 * time.Second},
		{"caller's deadline after a 503", reqErr(nil, vendorkit.MayHaveRun, context.DeadlineExceeded, apiErr(503, 0)),
			queue.Retry, vendorkit.ErrServer, 0},
		{"caller's cancel", reqErr(nil, vendorkit.NotSent, context.Canceled, nil), queue.Retry, context.Canceled, 0},

		// Statuses outside the categories.
		{"408", apiErr(408, 0), queue.Retry, nil, 0},
		{"410", apiErr(410, 0), queue.GiveUp, nil, 0},
		{"3xx answer", apiErr(302, 0), queue.Retry, nil, 0},

		// The context.
		{"deadline", fmt.Errorf("deskwoot: list: %w", context.DeadlineExceeded), queue.Retry, context.DeadlineExceeded, 0},
		{"canceled", fmt.Errorf("deskwoot: list: %w", context.Canceled), queue.Retry, context.Canceled, 0},

		// Transport failures and unknown errors.
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, queue.Retry, nil, 0},
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, queue.Retry, nil, 0},
		{"unexpected EOF", io.ErrUnexpectedEOF, queue.Retry, nil, 0},
		{"unknown", errors.New("something else"), queue.Retry, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, err := range []error{tt.err, wrapWhenSet(tt.err)} {
				d := queue.DecideAt(err, now)
				assert.Equal(t, tt.action, d.Action, "%v", d)
				assert.Equal(t, tt.category, d.Category)
				assert.Equal(t, err, d.Err)
				if tt.action == queue.RetryAt {
					assert.Equal(t, now.Add(tt.at), d.At)
					assert.Equal(t, tt.at, d.Delay(now))
					assert.False(t, d.Failure(), "the vendor asked to come back later: not a failure")
				} else {
					assert.True(t, d.At.IsZero())
					assert.Zero(t, d.Delay(now))
				}
				if tt.action == queue.Done {
					assert.Empty(t, d.Reason)
					assert.False(t, d.Failure())
				} else {
					assert.NotEmpty(t, d.Reason)
				}
				if tt.action == queue.Retry || tt.action == queue.GiveUp {
					assert.True(t, d.Failure())
				}
			}
		})
	}
}

// reqErr is a failure without a usable answer, as the core builds it.
func reqErr(kind error, outcome vendorkit.Outcome, cause error, last *vendorkit.APIError) *vendorkit.RequestError {
	return &vendorkit.RequestError{Vendor: "woofed", Operation: "CreateDeal", Method: "POST", Host: "crm.example.com", Path: "/api/v1/accounts/1/deals",
		Kind: kind, Outcome: outcome, Err: cause, Last: last}
}

// TestDecideOutcome: every decision says what the failed call may have
// done, as vendorkit.WriteOutcome does.
func TestDecideOutcome(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want vendorkit.Outcome
	}{
		{"success", nil, vendorkit.Applied},
		{"refused before sending", fmt.Errorf("x: %w", vendorkit.ErrInvalidArgument), vendorkit.NotSent},
		{"dial failed", reqErr(vendorkit.ErrTransport, vendorkit.NotSent, syscall.ECONNREFUSED, nil), vendorkit.NotSent},
		{"401", apiErr(401, 0), vendorkit.Refused},
		{"422", apiErr(422, 0), vendorkit.Refused},
		{"429", apiErr(429, time.Second), vendorkit.Refused},
		{"500", apiErr(500, 0), vendorkit.MayHaveRun},
		{"reset after sending", reqErr(vendorkit.ErrTransport, vendorkit.MayHaveRun, syscall.ECONNRESET, nil), vendorkit.MayHaveRun},
		{"accepted, answer unreadable", reqErr(vendorkit.ErrMalformedResponse, vendorkit.Applied, io.ErrUnexpectedEOF, nil), vendorkit.Applied},
		{"not from vendorkit", errors.New("something else"), vendorkit.MayHaveRun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := queue.DecideAt(tt.err, now)
			assert.Equal(t, tt.want, d.Outcome)
			assert.Equal(t, vendorkit.WriteOutcome(tt.err), d.Outcome)
		})
	}
}

func wrapWhenSet(err error) error {
	if err == nil {
		return nil
	}
	return wrapped(err)
}

// TestDecideVendorSentinels: every vendor sentinel decides as its generic
// category.
func TestDecideVendorSentinels(t *testing.T) {
	tests := []struct {
		sentinel error
		action   queue.Action
		category error
	}{
		{woodpecker.ErrInvalidAPIKey, queue.GiveUp, vendorkit.ErrUnauthorized},
		{woodpecker.ErrAPIAddonRequired, queue.GiveUp, vendorkit.ErrUnauthorized},
		{woodpecker.ErrPlanUpgradeRequired, queue.GiveUp, vendorkit.ErrUnauthorized},
		{woodpecker.ErrHQKeyRequired, queue.GiveUp, vendorkit.ErrForbidden},
		{woodpecker.ErrInvalidCompanyID, queue.GiveUp, vendorkit.ErrBadRequest},
		{woodpecker.ErrCompanyNotFound, queue.GiveUp, vendorkit.ErrNotFound},
		{woodpecker.ErrCompanyInactive, queue.GiveUp, vendorkit.ErrConflict},
		{woodpecker.ErrAlreadySubscribed, queue.GiveUp, vendorkit.ErrConflict},
		{woodpecker.ErrProspectNotFound, queue.GiveUp, vendorkit.ErrNotFound},
		{deskwoot.ErrMissingScope, queue.GiveUp, vendorkit.ErrForbidden},
		{deskwoot.ErrPlanRequired, queue.GiveUp, vendorkit.ErrForbidden},
		{woofed.ErrValidation, queue.GiveUp, vendorkit.ErrBadRequest},
		{woofed.ErrInvalidSearch, queue.GiveUp, vendorkit.ErrBadRequest},
		{qwoty.ErrPaymentTermInUse, queue.GiveUp, vendorkit.ErrConflict},
		{qwoty.ErrAPINameTaken, queue.GiveUp, vendorkit.ErrConflict},
		{qwoty.ErrUnsuccessful, queue.GiveUp, vendorkit.ErrBadRequest},
		{crow.ErrSubdomainNotFound, queue.GiveUp, vendorkit.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.sentinel.Error(), func(t *testing.T) {
			// As a decoder builds it: the vendor's status, the sentinel in Kinds.
			e := apiErr(200, 0, tt.sentinel)
			d := queue.DecideAt(wrapped(e), now)
			assert.Equal(t, tt.action, d.Action)
			assert.Equal(t, tt.category, d.Category)
		})
	}
}

// TestDecideStoredError: an *APIError a queue stored as JSON and read back
// decides as the original.
func TestDecideStoredError(t *testing.T) {
	for _, orig := range []*vendorkit.APIError{
		apiErr(429, 30*time.Second), apiErr(401, 0), apiErr(200, 0, woodpecker.ErrCompanyInactive), apiErr(503, 0),
	} {
		b, err := json.Marshal(orig)
		require.NoError(t, err)
		var back vendorkit.APIError
		require.NoError(t, json.Unmarshal(b, &back))
		want, got := queue.DecideAt(orig, now), queue.DecideAt(&back, now)
		assert.Equal(t, want.Action, got.Action, string(b))
		assert.Equal(t, want.Category, got.Category, string(b))
		assert.Equal(t, want.At, got.At, string(b))
	}
}

// TestDecideReasonHoldsNoErrorText: the reason is safe to record anywhere;
// the vendor's message (which may echo data) stays in Err.
func TestDecideReasonHoldsNoErrorText(t *testing.T) {
	e := apiErr(401, 0)
	e.Message = "Invalid token dw_secret"
	d := queue.DecideAt(e, now)
	assert.NotContains(t, d.Reason, "dw_secret")
	assert.NotContains(t, d.String(), "dw_secret")
}

func TestActionString(t *testing.T) {
	assert.Equal(t, "done", queue.Done.String())
	assert.Equal(t, "retry", queue.Retry.String())
	assert.Equal(t, "retry-at", queue.RetryAt.String())
	assert.Equal(t, "give-up", queue.GiveUp.String())
	assert.Equal(t, "Action(9)", queue.Action(9).String())
	assert.Equal(t, "retry-at 2026-01-02T15:05:35Z (rate limited: the vendor asked to retry after 1m30s)",
		queue.DecideAt(apiErr(429, 90*time.Second), now).String())
}
