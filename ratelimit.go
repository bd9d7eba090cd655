package vendorkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/vendorkit/vendorkit/internal/core"
)

// Limit describes a vendor's documented client-side rate limit. The zero
// Limit is open: nothing is paced until the vendor answers 429, after which
// every client sharing the limiter waits out the vendor's Retry-After and
// then keeps to a pace learned from the answers. Whatever the Limit, a
// vendor that reports its quota (X-RateLimit-Remaining and -Reset) is held
// to it: no more requests in flight than it has left, none once it is
// spent, until the reset.
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

// String renders l for logs, e.g. "1/s burst 1" or "open, 1 in flight".
func (l Limit) String() string {
	s := "open"
	if l.Rate > 0 {
		s = fmt.Sprintf("%.4g/s burst %d", float64(l.Rate), max(l.Burst, 1))
	}
	if l.MaxInFlight > 0 {
		s += fmt.Sprintf(", %d in flight", l.MaxInFlight)
	}
	return s
}

// Limiter paces the requests of the clients that share it. Attempts, retries
// included, call Acquire before they are sent and Observe with the answer.
// The default implementation is in-process; package redislimit provides one
// shared by many processes.
type Limiter interface {
	// Acquire blocks until a request may be sent, or ctx is done. The
	// returned release function must be called exactly once, when the
	// response headers have arrived (or the attempt failed): the limiter
	// counts the requests in flight by it.
	Acquire(ctx context.Context) (release func(), err error)
	// Observe lets the limiter adapt to an answer: a 429's Retry-After (a
	// second when it names none: runtime.VendorPause), or the quota it
	// reports (X-RateLimit-Remaining with X-RateLimit-Reset): none left
	// pauses until the reset; some left admits only as many requests in
	// flight. A vendor's rate-limit code in another status (Woodpecker's
	// E_TOO_MANY_REQUESTS) comes as a 429.
	Observe(status int, header http.Header, retryAfter time.Duration)
}

// localLimiter is the in-process Limiter: a token bucket, an in-flight cap,
// a pause set by the vendor's rate-limit answers and, once the vendor has
// refused for rate, an adaptive pace.
//
// The adaptive pace is what "start open and adapt" means for vendors that
// publish no numbers: open until the vendor first refuses for rate, then a
// pace learned from the answers — a slow start, a measure of the limit at
// each refusal, and a cubic that stays just under it and probes above it
// now and then (core.Pace has the steps and why). Without it every client
// waits out the same Retry-After and then stampedes again (research figures
// in DESIGN.md: 5 % goodput for stock go-retryablehttp under a 429 storm).
// Package redislimit runs the same steps on state shared in Redis.
type localLimiter struct {
	bucket   *rate.Limiter // nil when open
	slots    *slots        // nil when uncapped
	scale    func(time.Duration) time.Duration
	maxPause time.Duration // RetryPolicy.MaxRetryAfter

	// pauseUntil (Unix nanoseconds, 0 for never) and adaptive are read
	// without the lock on every request.
	pauseUntil atomic.Int64
	adaptive   atomic.Pointer[pacer] // nil until the first rate-limit answer
	gate       core.QuotaGate        // requests in flight, held to the quota a vendor reports
	release    func()                // a request's release: gate.Leave, and the slot when capped

	mu    sync.Mutex // guards pace
	pace  *core.Pace // the learned pace (times in µs since epoch); nil with a documented rate
	epoch time.Time  // the monotonic origin of pace's clock
}

// newLocalLimiter returns the in-process limiter for l. scale is
// WithWaitScale's (nil for none); a pause longer than maxPause is not waited
// out (0: any pause is).
func newLocalLimiter(l Limit, scale func(time.Duration) time.Duration, maxPause time.Duration) *localLimiter {
	ll := &localLimiter{scale: scale, maxPause: maxPause, epoch: time.Now()}
	if l.Rate > 0 {
		burst := l.Burst
		if burst <= 0 {
			burst = 1
		}
		ll.bucket = rate.NewLimiter(l.Rate, burst)
	} else {
		ll.pace = new(core.Pace)
	}
	ll.gate.Scale = scale
	ll.release = ll.gate.Leave
	if l.MaxInFlight > 0 {
		ll.slots = newSlots(l.MaxInFlight)
		// One function for every request, as the Limiter's contract
		// (release exactly once) allows: a guard against a second call
		// would cost two allocations per request.
		ll.release = func() { ll.gate.Leave(); ll.slots.release() }
	}
	return ll
}

// NewLimiter returns the in-process Limiter a Client builds for l by
// default (without WithWaitScale), for a WithLimiterFactory that falls back
// to it: package redislimit does when Redis is unreachable. A vendor pause
// longer than maxPause (RetryPolicy.MaxRetryAfter) is refused at once with
// a runtime.PauseError rather than slept on; 0 sleeps any pause.
func NewLimiter(l Limit, maxPause time.Duration) Limiter {
	return newLocalLimiter(l, nil, maxPause)
}

// idle reports whether l's state is that of a new limiter: nothing in
// flight, no vendor pause running, its burst refilled (see limiterCache).
func (l *localLimiter) idle() bool {
	return l.gate.InFlight() == 0 &&
		l.pauseUntil.Load() < time.Now().UnixNano() &&
		(l.bucket == nil || l.bucket.Tokens() >= float64(l.bucket.Burst()))
}

func (l *localLimiter) Acquire(ctx context.Context) (func(), error) {
	for {
		if err := l.waitPause(ctx); err != nil {
			return nil, err
		}
		if l.bucket != nil {
			if err := l.bucket.Wait(ctx); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				// rate.Limiter refuses at once a wait that would pass the deadline.
				return nil, fmt.Errorf("rate limiter: the wait for a slot would pass the context deadline: %w", context.DeadlineExceeded)
			}
		}
		if adaptive := l.adaptive.Load(); adaptive != nil {
			if err := adaptive.wait(ctx, l.paused); err == errPaused {
				continue
			} else if err != nil {
				return nil, err
			}
		}
		if l.slots != nil {
			if err := l.slots.acquire(ctx); err != nil {
				return nil, err
			}
		}
		if err := l.gate.Enter(ctx); err != nil {
			l.freeSlot()
			return nil, err
		}
		if l.paused() {
			// A vendor's pause began while this request waited: its slot is
			// lost, and the pause comes first. Sent now, the request would
			// draw a 429 and lengthen the pause.
			l.gate.Leave()
			l.freeSlot()
			continue
		}
		return l.release, nil
	}
}

// freeSlot gives back an in-flight slot, if l caps them.
func (l *localLimiter) freeSlot() {
	if l.slots != nil {
		l.slots.release()
	}
}

// paused reports whether a vendor's pause is running.
func (l *localLimiter) paused() bool {
	until := l.pauseUntil.Load()
	return until != 0 && until > time.Now().UnixNano()
}

// waitPause waits out the vendor's pause, if one is running. A pause the
// client would not sleep on as a Retry-After is not slept on here either:
// it fails at once with a *core.PausedError, so that a job scheduler can
// reschedule the call.
func (l *localLimiter) waitPause(ctx context.Context) error {
	until := l.pauseUntil.Load()
	if until == 0 {
		return nil
	}
	pause := time.Until(time.Unix(0, until))
	if pause <= 0 {
		return nil
	}
	if l.maxPause > 0 && pause > l.maxPause {
		return &core.PausedError{Wait: pause}
	}
	return core.Sleep(ctx, pause)
}

func (l *localLimiter) Observe(status int, h http.Header, retryAfter time.Duration) {
	pause, spent := l.gate.Observe(status, h, retryAfter)
	if l.scale != nil {
		pause = l.scale(pause)
	}
	if status != http.StatusTooManyRequests || !spent {
		// A 429 with the quota spent is the quota's (its gate and pause
		// hold the requests); any other teaches the pace.
		l.adapt(status, pause)
	}
	if pause <= 0 {
		return
	}
	until := time.Now().Add(pause).UnixNano()
	for {
		old := l.pauseUntil.Load()
		if until <= old || l.pauseUntil.CompareAndSwap(old, until) {
			return
		}
	}
}

// adapt keeps the learned pace (see core.Pace) and the pacer in step.
func (l *localLimiter) adapt(status int, pause time.Duration) {
	if l.pace == nil {
		return // a documented rate is authoritative; 429s only pause it
	}
	ok := status >= 200 && status < 400
	if !ok && status != http.StatusTooManyRequests {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Since(l.epoch).Microseconds()
	if ok {
		l.pace.Succeeded(now, 1)
	} else if !l.pace.Refused(now, pause.Microseconds()) {
		return
	}
	if l.pace.Rate == 0 {
		return
	}
	if adaptive := l.adaptive.Load(); adaptive != nil {
		adaptive.setLimit(l.pace.Rate)
	} else {
		l.adaptive.Store(&pacer{rate: l.pace.Rate, scale: l.scale})
	}
}

// pacer spaces requests 1/rate apart. Unlike rate.Limiter's reservations, a
// waiter takes no slot in advance: it sleeps until the next free slot and
// tries again, so a change of rate applies at once to everyone waiting.
type pacer struct {
	mu    sync.Mutex
	rate  float64 // requests per second
	next  time.Time
	scale func(time.Duration) time.Duration // WithWaitScale; nil means 1
}

func (p *pacer) setLimit(r float64) {
	p.mu.Lock()
	p.rate = max(r, 0.1)
	p.mu.Unlock()
}

// errPaused is pacer.wait's answer when a vendor's pause began while the
// caller waited: it took no slot.
var errPaused = errors.New("paused by the vendor")

// wait takes the next free slot, unless paused reports a vendor's pause
// when one comes free: then it returns errPaused, having taken none (the
// slots of waiters that went on through a pause would push the pace's
// next slot far ahead).
func (p *pacer) wait(ctx context.Context, paused func() bool) error {
	for {
		if err := ctx.Err(); err != nil {
			return err // a caller whose context has ended takes no slot
		}
		if paused() {
			return errPaused
		}
		p.mu.Lock()
		now := time.Now()
		if !now.Before(p.next) {
			gap := time.Duration(float64(time.Second) / p.rate)
			if p.scale != nil {
				// WithWaitScale scales the pace itself: the slots are
				// scale(gap) apart. Scaling only the sleep would leave
				// the slots 1/rate apart in real time and wake the
				// waiter 1/f times per slot to find it still taken.
				gap = p.scale(gap)
			}
			if now.Sub(p.next) > gap { // idle: no credit for the past
				p.next = now
			}
			p.next = p.next.Add(gap)
			p.mu.Unlock()
			return nil
		}
		d := p.next.Sub(now)
		p.mu.Unlock()
		if err := core.Sleep(ctx, d); err != nil {
			return err
		}
	}
}
