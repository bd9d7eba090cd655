package vendorkit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit describes a vendor's documented client-side rate limit. The zero
// Limit is open: nothing is paced until the vendor answers 429, after which
// every client sharing the limiter waits out the vendor's Retry-After.
type Limit struct {
	// Rate is the sustained request rate; 0 means unlimited.
	Rate rate.Limit
	// Burst is how many requests may go at once at the start; default 1
	// when Rate is set.
	Burst int
	// MaxInFlight caps concurrent requests (Woodpecker processes one request
	// at a time per key); 0 means no cap.
	MaxInFlight int
}

// PerMinute returns a Limit of n requests per minute, paced evenly with a
// burst of at most burst requests.
func PerMinute(n, burst int) Limit {
	return Limit{Rate: rate.Limit(float64(n) / 60), Burst: burst}
}

// Limiter paces the requests of the clients that share it. Attempts, retries
// included, call Acquire before they are sent and Observe with the answer.
// The default implementation is in-process; package redislimit provides one
// shared by many processes.
type Limiter interface {
	// Acquire blocks until a request may be sent, or ctx is done. The
	// returned release function must be called once the response headers
	// have arrived (or the attempt failed).
	Acquire(ctx context.Context) (release func(), err error)
	// Observe lets the limiter adapt to an answer: a 429's Retry-After, or
	// X-RateLimit-Remaining: 0 with X-RateLimit-Reset.
	Observe(status int, header http.Header, retryAfter time.Duration)
}

// localLimiter is the in-process Limiter: a token bucket, an in-flight cap
// and a pause set by the vendor's rate-limit answers.
type localLimiter struct {
	bucket *rate.Limiter // nil when open
	slots  chan struct{} // nil when uncapped
	scale  func(time.Duration) time.Duration

	mu         sync.Mutex
	pauseUntil time.Time
}

func newLocalLimiter(l Limit, scale func(time.Duration) time.Duration) *localLimiter {
	ll := &localLimiter{scale: scale}
	if l.Rate > 0 {
		burst := l.Burst
		if burst <= 0 {
			burst = 1
		}
		ll.bucket = rate.NewLimiter(l.Rate, burst)
	}
	if l.MaxInFlight > 0 {
		ll.slots = make(chan struct{}, l.MaxInFlight)
	}
	return ll
}

func noop() {}

func (l *localLimiter) Acquire(ctx context.Context) (func(), error) {
	l.mu.Lock()
	pause := time.Until(l.pauseUntil)
	l.mu.Unlock()
	if pause > 0 {
		if err := sleepCtx(ctx, pause); err != nil {
			return nil, err
		}
	}
	if l.bucket != nil {
		if err := l.bucket.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("rate limiter: %w", err)
		}
	}
	if l.slots == nil {
		return noop, nil
	}
	select {
	case l.slots <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-l.slots }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (l *localLimiter) Observe(status int, h http.Header, retryAfter time.Duration) {
	var pause time.Duration
	switch {
	case status == http.StatusTooManyRequests && retryAfter > 0:
		pause = retryAfter
	case h != nil && h.Get("X-RateLimit-Remaining") == "0":
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && reset > 0 {
			// Either seconds until reset or a Unix time; tell them apart by size.
			if reset > 1_000_000_000 {
				pause = time.Until(time.Unix(reset, 0))
			} else {
				pause = time.Duration(reset) * time.Second
			}
		}
	}
	if l.scale != nil {
		pause = l.scale(pause)
	}
	if pause <= 0 {
		return
	}
	if pause > time.Hour {
		pause = time.Hour
	}
	until := time.Now().Add(pause)
	l.mu.Lock()
	if until.After(l.pauseUntil) {
		l.pauseUntil = until
	}
	l.mu.Unlock()
}

// sleepCtx waits d or until ctx is done, returning ctx.Err() in that case.
func sleepCtx(ctx context.Context, d time.Duration) error {
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
