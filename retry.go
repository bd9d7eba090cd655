package vendorkit

import (
	"time"
)

// RetryPolicy says when and how long to wait before retrying. A zero field
// means "the default" (see DefaultRetryPolicy).
type RetryPolicy struct {
	// MaxAttempts is the number of attempts, the first included; 1 disables
	// retries. Default 3.
	MaxAttempts int
	// BaseWait is the backoff base: attempt n waits rand[0,1) × min(MaxWait,
	// BaseWait × 2^n) ("full jitter"). Default 500 ms.
	BaseWait time.Duration
	// RateLimitBaseWait replaces BaseWait after a rate-limit answer that
	// carried no Retry-After. Default 1 s.
	RateLimitBaseWait time.Duration
	// MaxWait caps one backoff wait. Default 20 s.
	MaxWait time.Duration
	// MaxRetryAfter is the longest Retry-After the client sleeps on. A longer
	// one is not clamped: the call returns at once with an error matching
	// ErrRateLimited whose RetryAfter tells the caller when to reschedule.
	// Default 60 s.
	MaxRetryAfter time.Duration
	// AttemptTimeout bounds one attempt: connecting (10 s at most), then
	// sending the request, waiting for the answer and reading its body. On
	// a transport given with WithHTTPClient or WithTransport it is a context
	// timeout per attempt; on vendorkit's own transport the connection
	// enforces it from the last write of the request. The overall deadline
	// is the caller's context. Default 30 s.
	AttemptTimeout time.Duration
	// Budget is a per-vendor token bucket shared by every client of one
	// *Client: a retry costs RetryCost tokens (TimeoutRetryCost after a
	// timeout) and a success refunds SuccessRefund. With the bucket empty no
	// retry is made, so a fleet of jobs does not hammer a vendor through an
	// outage. Defaults 500, 5, 10, 1.
	Budget           int
	RetryCost        int
	TimeoutRetryCost int
	SuccessRefund    int
}

// DefaultRetryPolicy returns the defaults: 3 attempts, full-jitter backoff
// from 500 ms (1 s after a 429) capped at 20 s, Retry-After honoured up to
// 60 s, 30 s per attempt, and a retry budget of 500 tokens (retry 5, timeout
// retry 10, success refund 1).
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:       3,
		BaseWait:          500 * time.Millisecond,
		RateLimitBaseWait: time.Second,
		MaxWait:           20 * time.Second,
		MaxRetryAfter:     60 * time.Second,
		AttemptTimeout:    30 * time.Second,
		Budget:            500,
		RetryCost:         5,
		TimeoutRetryCost:  10,
		SuccessRefund:     1,
	}
}

// withDefaults fills zero fields from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setD := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&p.MaxAttempts, d.MaxAttempts)
	setD(&p.BaseWait, d.BaseWait)
	setD(&p.RateLimitBaseWait, d.RateLimitBaseWait)
	setD(&p.MaxWait, d.MaxWait)
	setD(&p.MaxRetryAfter, d.MaxRetryAfter)
	setD(&p.AttemptTimeout, d.AttemptTimeout)
	set(&p.Budget, d.Budget)
	set(&p.RetryCost, d.RetryCost)
	set(&p.TimeoutRetryCost, d.TimeoutRetryCost)
	set(&p.SuccessRefund, d.SuccessRefund)
	return p
}
