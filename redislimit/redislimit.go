package redislimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/internal/core"
	"github.com/vendorkit/vendorkit/runtime"
)

// Factory builds the limiters of one Redis deployment. Its Limiter method is
// what vendorkit.WithLimiterFactory takes. A Factory is safe for concurrent
// use; it starts no goroutine and holds nothing to close.
type Factory struct {
	rdb      redis.UniversalClient
	prefix   string
	timeout  time.Duration
	lease    time.Duration
	horizon  time.Duration
	idleTTL  time.Duration
	maxPause time.Duration
	probe    time.Duration
	logger   *slog.Logger
	now      func() time.Time // tests: a clock passed to the scripts; nil: Redis TIME

	deadlines bool // rdb's sockets honour a context's deadline (ContextTimeoutEnabled)

	down      atomic.Bool  // Redis failed; limiters use their in-process fallback
	nextProbe atomic.Int64 // while down: Unix ns after which one call tries Redis again
}

// Option configures a Factory; see New.
type Option func(*Factory) error

// WithPrefix sets the prefix of every Redis key (default "vendorkit:rl:"),
// e.g. to separate environments sharing one Redis. It may not hold braces:
// they would move the hash tag that keeps a limiter's keys in one Redis
// Cluster slot.
func WithPrefix(p string) Option {
	return func(f *Factory) error {
		if strings.ContainsAny(p, "{}") {
			return fmt.Errorf("redislimit: WithPrefix: %w: %q holds a brace, which would move the keys' hash tag (Redis Cluster)", vendorkit.ErrInvalidArgument, p)
		}
		f.prefix = p
		return nil
	}
}

// WithTimeout bounds each Redis call (default 200 ms). A call that fails or
// takes longer sends the limiter to its in-process fallback. The bound holds
// whatever the client's options, although go-redis ignores a context's
// deadline on its sockets unless ContextTimeoutEnabled is set: see New.
func WithTimeout(d time.Duration) Option {
	return func(f *Factory) error {
		if d <= 0 {
			return fmt.Errorf("redislimit: WithTimeout: %w: %s is not positive", vendorkit.ErrInvalidArgument, d)
		}
		f.timeout = d
		return nil
	}
}

// WithLease sets how long an in-flight slot is held without renewal
// (default 10 s). A process renews the leases it holds every half lease, so
// a request may last longer; a process that dies holds its slots for at
// most one lease.
func WithLease(d time.Duration) Option {
	return func(f *Factory) error {
		if d < 10*time.Millisecond {
			return fmt.Errorf("redislimit: WithLease: %w: %s is shorter than 10ms", vendorkit.ErrInvalidArgument, d)
		}
		f.lease = d
		return nil
	}
}

// WithIdleTTL sets how long the learned pace of an idle key stays in Redis
// (default 1 h). The other keys expire as soon as they hold nothing.
func WithIdleTTL(d time.Duration) Option {
	return func(f *Factory) error {
		if d < time.Second {
			return fmt.Errorf("redislimit: WithIdleTTL: %w: %s is shorter than 1s", vendorkit.ErrInvalidArgument, d)
		}
		f.idleTTL = d
		return nil
	}
}

// WithMaxPause sets the longest vendor pause Acquire sleeps on (default
// 60 s, vendorkit.DefaultRetryPolicy's MaxRetryAfter; set it to your
// RetryPolicy's). During a longer one Acquire fails at once with
// runtime.PauseError, which the client reports as an error matching
// vendorkit.ErrRateLimited with RetryAfter set, so that a job scheduler
// reschedules the call. 0 sleeps on any pause.
func WithMaxPause(d time.Duration) Option {
	return func(f *Factory) error { f.maxPause = d; return nil }
}

// WithLogger sets the logger of the fallback: one Warn when Redis is lost,
// one Info when it is back — never one per request.
func WithLogger(l *slog.Logger) Option {
	return func(f *Factory) error {
		if l == nil {
			return fmt.Errorf("redislimit: WithLogger: %w: nil logger", vendorkit.ErrInvalidArgument)
		}
		f.logger = l
		return nil
	}
}

// New returns a Factory on rdb: a *redis.Client, a Sentinel-backed
// failover client or a *redis.ClusterClient (each limiter's keys share one
// hash slot). The caller owns rdb and closes it.
//
// Set ContextTimeoutEnabled in rdb's options. Without it go-redis ignores a
// context's deadline on its sockets, so that a stalled Redis would hold
// each call for the client's ReadTimeout (3 s by default) instead of
// WithTimeout's bound: the factory then runs each call on a goroutine of
// its own, given up at the timeout, which costs a goroutine switch per
// call (28 µs on the 2-core VM of bench/README.md §4).
// (rdb.WithTimeout would set the socket timeouts at no cost, but its clone
// drops rdb's hooks, instrumentation included.)
func New(rdb redis.UniversalClient, opts ...Option) (*Factory, error) {
	if rdb == nil {
		return nil, fmt.Errorf("redislimit: %w: nil Redis client", vendorkit.ErrInvalidArgument)
	}
	f := &Factory{
		rdb:      rdb,
		prefix:   "vendorkit:rl:",
		timeout:  200 * time.Millisecond,
		lease:    10 * time.Second,
		horizon:  time.Second,
		idleTTL:  time.Hour,
		maxPause: vendorkit.DefaultRetryPolicy().MaxRetryAfter,
		probe:    time.Second,
		logger:   slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(f); err != nil {
			return nil, err
		}
	}
	f.deadlines = honoursDeadlines(rdb)
	return f, nil
}

// Limiter returns the fleet-wide limiter of key with the vendor's Limit;
// pass it to vendorkit.WithLimiterFactory. key is the one the client
// builds: vendor, credential fingerprint and the vendor's extra key parts
// (never a secret).
//
//   - A documented rate (Limit.Rate, Burst) is a GCRA limit in Redis: a
//     waiting request reserves its slot in one round trip and sleeps until
//     it comes due, up to a second ahead; then it asks Redis whether a
//     vendor's pause began meanwhile (a second round trip, for waiting
//     requests only) and, if one did, waits it out first.
//   - An in-flight cap (Limit.MaxInFlight) is a set of leases in Redis,
//     renewed while held; a crashed process's slot frees itself within one
//     lease (WithLease).
//   - A vendor's pause (a 429's Retry-After, X-RateLimit-Remaining: 0 with
//     X-RateLimit-Reset, a second after a refusal that names no wait, such
//     as Woodpecker's E_TOO_MANY_REQUESTS) seen by one process holds for
//     the whole fleet. A quota the vendor reports with some left holds
//     each process's requests in flight to what is left (another
//     process's may still spend it, and draw a 429).
//   - An open Limit (no documented rate) learns the vendor's pace from its
//     refusals, fleet-wide, with the steps vendorkit's in-process limiter
//     takes in one process (a slow start, the limit measured at each
//     refusal, a cubic just under it; see bench/README.md for the figures).
//
// When Redis fails or is slower than WithTimeout, the limiter falls back to
// vendorkit's in-process limiter for the same Limit (each process then
// holds the limit on its own), and the factory tries Redis again once a
// second; no request fails because Redis did.
func (f *Factory) Limiter(key string, l vendorkit.Limit) vendorkit.Limiter {
	// Braces would move the hash tag; the key holds none in practice. An
	// empty tag is no tag: Redis Cluster would hash each key whole.
	if key == "" {
		key = "()"
	}
	tag := "{" + strings.NewReplacer("{", "(", "}", ")").Replace(key) + "}"
	lim := &limiter{
		f:     f,
		limit: l,
		local: vendorkit.NewLimiter(l, f.maxPause),
		keys:  []string{f.prefix + tag + ":t", f.prefix + tag + ":p", f.prefix + tag + ":a", f.prefix + tag + ":s"},
		turn:  make(chan struct{}, 1),
	}
	lim.release = lim.gate.Leave
	lim.adaptive = l.Rate <= 0
	if l.Rate > 0 {
		lim.interval = float64(time.Second/time.Microsecond) / float64(l.Rate)
		lim.burst = max(l.Burst, 1)
	}
	return lim
}

// limiter is one key's fleet-wide Limiter.
type limiter struct {
	f        *Factory
	limit    vendorkit.Limit
	local    vendorkit.Limiter // the fallback; it also sees every answer
	keys     []string          // t, p, a, s (see scripts.go)
	interval float64           // µs between requests at the documented rate; 0: none
	burst    int
	adaptive bool           // no documented rate: learn the pace
	pending  atomic.Int64   // successes not yet recorded in Redis
	turn     chan struct{}  // the one local waiter that polls a full in-flight cap
	gate     core.QuotaGate // this process's requests in flight, held to the quota the vendor reports
	release  func()         // an uncapped request's release: gate.Leave
}

// Acquire implements vendorkit.Limiter.
func (l *limiter) Acquire(ctx context.Context) (func(), error) {
	if !l.f.useRedis() {
		return l.local.Acquire(ctx)
	}
	step, polls := "1", 0
	id := ""
	if l.limit.MaxInFlight > 0 {
		id = strconv.FormatUint(rand.Uint64(), 36)
	}
	defer func() { l.leaveTurn(polls) }()
	for {
		res, err := l.acquire(ctx, step, id)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			l.f.fail(err)
			return l.local.Acquire(ctx)
		}
		l.f.ok()
		code, wait := res[0], time.Duration(res[1])*time.Microsecond
		switch code {
		case 0: // admitted
			if err := core.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			if wait > 0 && l.pausedMeanwhile(ctx) {
				continue // the slot waited for is lost; the pause comes first
			}
			// The vendor's quota holds this process's requests; another
			// process's may still spend what is left, and draw a 429.
			if err := l.gate.Enter(ctx); err != nil {
				if l.limit.MaxInFlight > 0 {
					l.returnLease(id)
				}
				return nil, err
			}
			if l.limit.MaxInFlight > 0 {
				return l.holdLease(id), nil
			}
			return l.release, nil
		case 1: // reserved beyond the horizon: come back, spread out; a
			// learned pace may rise meanwhile, so ask again soon
			if l.adaptive {
				wait = min(wait, 200*time.Millisecond)
			}
			if err := core.Sleep(ctx, wait+jitter(50*time.Millisecond)); err != nil {
				return nil, err
			}
		case 2: // the vendor's pause
			if l.f.maxPause > 0 && wait > l.f.maxPause {
				return nil, runtime.PauseError(wait)
			}
			if err := core.Sleep(ctx, wait+jitter(20*time.Millisecond)); err != nil {
				return nil, err
			}
			step = "1" // a new rate slot after the pause
		case 3: // in-flight cap full: one local waiter polls, the others queue
			if polls == 0 {
				select {
				case l.turn <- struct{}{}:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
			polls++
			if err := core.Sleep(ctx, min(wait, pollGap())); err != nil {
				return nil, err
			}
		case 4:
			return nil, fmt.Errorf("redislimit: the wait for a slot (%s) would pass the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
		case 5: // rate slot reserved; the lease comes next
			if err := core.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			step = "2"
		}
		if code != 3 && polls > 0 {
			l.leaveTurn(polls)
			polls = 0
		}
	}
}

// pausedMeanwhile reports whether the vendor's pause began while a request
// waited for its reserved rate slot (another process saw a 429): the request
// then goes back to Acquire's loop, which waits the pause out. Redis being
// unreachable here is no pause: the request goes.
func (l *limiter) pausedMeanwhile(ctx context.Context) bool {
	now := l.f.clock()
	left, err := call(ctx, l.f, func(ctx context.Context) (int64, error) {
		return pauseScript.Run(ctx, l.f.rdb, l.keys[1:2], now).Int64()
	})
	if err != nil {
		if ctx.Err() == nil { // not the caller's cancellation: Redis failed
			l.f.fail(err)
		}
		return false
	}
	return left > 0
}

// horizon is how far ahead a waiter may reserve its rate slot: a second for
// a documented rate; 100 ms for a learned pace, so that a vendor's pause
// or a cut catches the requests not yet due (a reserved slot is sent
// without asking Redis again).
func (l *limiter) horizon() time.Duration {
	if l.adaptive {
		return min(l.f.horizon, 100*time.Millisecond)
	}
	return l.f.horizon
}

// leaveTurn hands the local polling turn to the next waiter.
func (l *limiter) leaveTurn(polls int) {
	if polls > 0 {
		<-l.turn
	}
}

func (l *limiter) acquire(ctx context.Context, step, id string) ([]int64, error) {
	deadline := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		deadline = max(0, time.Until(dl).Microseconds())
	}
	succ := l.pending.Swap(0)
	args := []any{l.f.clock(), strconv.FormatFloat(l.interval, 'f', 3, 64), l.burst, flag(l.adaptive), succ,
		l.limit.MaxInFlight, l.f.lease.Microseconds(), id, l.horizon().Microseconds(), l.f.idleTTL.Milliseconds(),
		deadline, step}
	v, err := call(ctx, l.f, func(ctx context.Context) ([]int64, error) {
		return acquireScript.Run(ctx, l.f.rdb, l.keys, args...).Int64Slice()
	})
	if err != nil {
		l.pending.Add(succ) // not recorded: next time
		return nil, err
	}
	if len(v) < 2 {
		return nil, fmt.Errorf("redislimit: acquire script returned %d values", len(v))
	}
	return v, nil
}

// holdLease returns the release of the lease id the script just granted;
// the lease is renewed every half lease while held.
func (l *limiter) holdLease(id string) func() {
	var mu sync.Mutex
	done := false
	var timer *time.Timer
	renew := func() {}
	renew = func() {
		now := l.f.clock()
		_, _ = call(context.Background(), l.f, func(ctx context.Context) (any, error) {
			return nil, renewScript.Run(ctx, l.f.rdb, l.keys[3:], now, l.f.lease.Microseconds(), id).Err()
		})
		mu.Lock()
		defer mu.Unlock()
		if !done {
			timer = time.AfterFunc(l.f.lease/2, renew)
		}
	}
	timer = time.AfterFunc(l.f.lease/2, renew)
	var once sync.Once
	return func() {
		once.Do(func() {
			l.gate.Leave()
			mu.Lock()
			done = true
			timer.Stop()
			mu.Unlock()
			l.returnLease(id)
		})
	}
}

// returnLease gives the lease id back to Redis; one that cannot be given
// back expires on its own.
func (l *limiter) returnLease(id string) {
	_, err := call(context.Background(), l.f, func(ctx context.Context) (int64, error) {
		return l.f.rdb.ZRem(ctx, l.keys[3], id).Result()
	})
	if err != nil {
		l.f.fail(err)
	}
}

// Observe implements vendorkit.Limiter. A success is counted locally and
// recorded with the next Acquire (no round trip of its own); a rate-limit
// refusal or a vendor pause is written to Redis at once.
func (l *limiter) Observe(status int, h http.Header, retryAfter time.Duration) {
	l.local.Observe(status, h, retryAfter)
	// A 429 with the quota spent is the quota's, not a rate to learn.
	pause, spent := l.gate.Observe(status, h, retryAfter)
	limited := status == http.StatusTooManyRequests && !spent
	if l.adaptive && status >= 200 && status < 400 {
		l.pending.Add(1)
	}
	if (!limited || !l.adaptive) && pause <= 0 {
		return
	}
	if !l.f.useRedis() {
		return
	}
	succ := l.pending.Swap(0)
	args := []any{l.f.clock(), pause.Microseconds(), flag(l.adaptive), flag(limited), succ, l.f.idleTTL.Milliseconds()}
	_, err := call(context.Background(), l.f, func(ctx context.Context) (any, error) {
		return nil, observeScript.Run(ctx, l.f.rdb, l.keys[:3], args...).Err()
	})
	if err != nil {
		l.pending.Add(succ)
		l.f.fail(err)
		return
	}
	l.f.ok()
}

// call runs one Redis call within the factory's timeout. go-redis ignores a
// context's deadline on its sockets unless ContextTimeoutEnabled is set, so
// that a stalled Redis (not a dead one: its connections stay open) would
// hold each call for the client's ReadTimeout, 3 s by default. Without that
// option the call runs on a goroutine of its own and is given up at the
// timeout: the goroutine ends at the client's ReadTimeout, and what the
// call may still do in Redis later is what any timed-out call may do (a
// rate slot taken and unused, a lease that expires on its own).
func call[T any](ctx context.Context, f *Factory, do func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if f.deadlines {
		return do(ctx)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := do(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// honoursDeadlines reports whether rdb's sockets honour a context's
// deadline (go-redis's ContextTimeoutEnabled); for a client of another
// kind, no.
func honoursDeadlines(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return false
}

// useRedis reports whether a call should go to Redis: always while it
// works; once it has failed, one call a second (a probe).
func (f *Factory) useRedis() bool {
	if !f.down.Load() {
		return true
	}
	next := f.nextProbe.Load()
	now := time.Now().UnixNano()
	return now >= next && f.nextProbe.CompareAndSwap(next, now+f.probe.Nanoseconds())
}

// fail records a failed Redis call: the first one since Redis last worked
// is logged.
func (f *Factory) fail(err error) {
	f.nextProbe.Store(time.Now().Add(f.probe).UnixNano())
	if f.down.CompareAndSwap(false, true) {
		f.logger.Warn("redislimit: Redis unreachable; limiting each process on its own until it is back", "err", errText(err))
	}
}

// ok records a successful Redis call, logging the return of Redis.
func (f *Factory) ok() {
	if f.down.Load() && f.down.CompareAndSwap(true, false) {
		f.logger.Info("redislimit: Redis reachable again; limits are fleet-wide again")
	}
}

func errText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within the timeout"
	}
	return err.Error()
}

// clock is the time passed to the scripts: 0 (Redis TIME) unless a test
// set one.
func (f *Factory) clock() int64 {
	if f.now == nil {
		return 0
	}
	return f.now().UnixMicro()
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pollGap is the wait between polls of a full in-flight cap, 2 to 6 ms at
// random: a slot freed by another process is taken soon, and no process
// polls faster than the others (a backoff that restarts with each local
// waiter let one process win slot after slot).
func pollGap() time.Duration {
	return 2*time.Millisecond + jitter(4*time.Millisecond)
}

// jitter is a random wait in [0, d), so that waiters released together do
// not call Redis together.
func jitter(d time.Duration) time.Duration { return rand.N(d) }
