package runtime

import (
	"net/http"
	"time"

	"github.com/vendorkit/vendorkit/internal/core"
)

// PauseError returns the error a vendorkit.Limiter's Acquire gives to refuse
// a request because the vendor asked to wait longer than the client sleeps
// on (RetryPolicy.MaxRetryAfter): the Endpoint turns it into an
// *vendorkit.APIError that matches vendorkit.ErrRateLimited, with
// RetryAfter set to wait and nothing sent, so that a job scheduler
// reschedules the call. For authors of limiters (package redislimit).
func PauseError(wait time.Duration) error { return &core.PausedError{Wait: wait} }

// VendorPause is how long a vendor's answer asks every request of its
// credential to wait: a 429's Retry-After, or the time until
// X-RateLimit-Reset when X-RateLimit-Remaining is 0 (seconds, a Unix time,
// or a Unix time in milliseconds; the IETF draft's RateLimit-Remaining and
// RateLimit-Reset too), or a second after a 429 that names no wait (no
// Retry-After header; "Retry-After: 0" asks for none); at most an hour, 0
// for none. Limiters call it from Observe.
func VendorPause(status int, h http.Header, retryAfter time.Duration) time.Duration {
	return core.VendorPause(status, h, retryAfter)
}
