package vendorkit_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vendorkit/vendorkit"
)

func TestErrorCategory(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&vendorkit.APIError{StatusCode: 404}, "not_found"},
		{fmt.Errorf("woofed: get contact: %w", &vendorkit.APIError{StatusCode: 422}), "bad_request"},
		{&vendorkit.APIError{StatusCode: 200, Kinds: []error{vendorkit.ErrUnauthorized}}, "unauthorized"},
		{&vendorkit.APIError{StatusCode: 503, Kinds: []error{vendorkit.ErrRateLimited}}, "rate_limited"},
		{&vendorkit.APIError{StatusCode: 502}, "server"},
		{&vendorkit.APIError{StatusCode: 418}, "other"},
		{fmt.Errorf("x: %w", context.Canceled), "canceled"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("x: %w", vendorkit.ErrInvalidArgument), "invalid_argument"},
		{fmt.Errorf("x: %w", vendorkit.ErrInsecureURL), "insecure_url"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, "network"},
		{fmt.Errorf("x: %w", vendorkit.ErrAttemptTimeout), "timeout"},
		{fmt.Errorf("x: %w", vendorkit.ErrMalformedResponse), "malformed_response"},
		{fmt.Errorf("x: %w", vendorkit.ErrRedirectRefused), "redirect_refused"},
		{fmt.Errorf("x: %w", vendorkit.ErrTransport), "network"},
		{errors.New("something else"), "other"},
	} {
		assert.Equal(t, tc.want, vendorkit.ErrorCategory(tc.err), "%v", tc.err)
	}
}

func TestWaitKindString(t *testing.T) {
	assert.Equal(t, "retry", vendorkit.WaitRetry.String())
	assert.Equal(t, "limiter", vendorkit.WaitLimiter.String())
}
