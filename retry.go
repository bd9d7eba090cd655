package vendorkit

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
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

// backoff returns the full-jitter wait before retry n (0 for the first retry):
// rand[0,1) × min(max, base × 2^n).
func backoff(base, max time.Duration, n int) time.Duration {
	ceiling := base
	for i := 0; i < n && ceiling < max; i++ {
		ceiling *= 2
	}
	if ceiling > max {
		ceiling = max
	}
	return time.Duration(rand.Float64() * float64(ceiling))
}

// ParseRetryAfter reads a Retry-After header value, in delta-seconds or as an
// HTTP-date relative to now. A negative delay or a date in the past gives 0.
// ok is false when the value is absent or malformed.
func ParseRetryAfter(value string, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0, true
		}
		const maxSecs = int64((1<<63 - 1) / int64(time.Second))
		if secs > maxSecs {
			secs = maxSecs
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// budget is the retry token bucket of one vendor. It is lock-free: a
// success refunds on every call.
type budget struct {
	tokens atomic.Int64
	max    int64
}

func newBudget(max int) *budget {
	b := &budget{max: int64(max)}
	b.tokens.Store(int64(max))
	return b
}

// take withdraws cost tokens, reporting false (and withdrawing nothing) when
// the bucket holds fewer.
func (b *budget) take(cost int) bool {
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

// refund returns n tokens, up to the bucket's size.
func (b *budget) refund(n int) {
	for {
		t := b.tokens.Load()
		if t >= b.max || b.tokens.CompareAndSwap(t, min(b.max, t+int64(n))) {
			return
		}
	}
}

// Tokens returns the tokens left, for tests and metrics.
func (b *budget) Tokens() int { return int(b.tokens.Load()) }
