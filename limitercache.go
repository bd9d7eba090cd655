package vendorkit

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// defaultLimiterTTL is how long a Client keeps the limiter of a key nobody
// uses (WithLimiterTTL).
const defaultLimiterTTL = 10 * time.Minute

// limiterCache holds a Client's limiters, one per key (vendor, credential
// fingerprint, the vendor's extra key parts).
//
// Many tenants: a limiter unused for the TTL whose state is that of a new
// one (no request in flight, no vendor pause running, its burst refilled) is
// dropped; a sweep runs when a limiter is created, at most once per half
// TTL, so the cache holds the keys used within about one TTL and sweeping
// costs nothing while no new key comes. A learned pace (open limits) is lost
// with it. A vendor client still holding a dropped limiter puts it back on
// its next request, or uses the key's new limiter if one was made meanwhile:
// a key never has two.
//
// The rule for two clients of one key with different Limits: the stricter
// of each field applies to both — the lower rate (an open limit is the least
// strict) with its burst, the lower in-flight cap — and the change is logged
// at Warn; a later, looser Limit is logged once and otherwise ignored. The
// vendors' own defaults never differ for one key; this only happens when an
// option such as deskwoot.WithRateLimit gives one client another limit.
type limiterCache struct {
	m         sync.Map   // key → *cachedLimiter
	mu        sync.Mutex // creation, sweeps, revival: one limiter per key
	ttl       time.Duration
	lastSweep time.Time
	now       func() time.Time // tests; nil: time.Now
}

func (lc *limiterCache) clock() time.Time {
	if lc.now != nil {
		return lc.now()
	}
	return time.Now()
}

// get returns the limiter of key for a client whose documented limit is l.
func (lc *limiterCache) get(c *Client, key string, l Limit) Limiter {
	if v, ok := lc.m.Load(key); ok {
		if w := v.(*cachedLimiter); w.box.Load().asked == l {
			return w
		}
	}
	// Created under a lock, so that a factory (a Redis limiter, say) is
	// called once per key, not once per racing caller.
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if v, ok := lc.m.Load(key); ok {
		w := v.(*cachedLimiter)
		w.meet(l)
		return w
	}
	now := lc.clock()
	lc.sweep(now)
	w := &cachedLimiter{cache: lc, c: c, key: key}
	w.box.Store(&limiterBox{lim: c.newLimiter(key, l), limit: l, asked: l})
	w.last.Store(now.UnixNano())
	lc.m.Store(key, w)
	return w
}

// sweep drops the limiters idle for the TTL. lc.mu is held.
func (lc *limiterCache) sweep(now time.Time) {
	ttl := lc.ttl
	if ttl <= 0 {
		ttl = defaultLimiterTTL
	}
	if now.Sub(lc.lastSweep) < ttl/2 {
		return
	}
	lc.lastSweep = now
	cutoff := now.Add(-ttl).UnixNano()
	lc.m.Range(func(k, v any) bool {
		w := v.(*cachedLimiter)
		if w.last.Load() > cutoff || !isIdle(w.box.Load().lim) {
			return true
		}
		// Mark first, then check again: a request that came meanwhile
		// keeps it.
		w.evicted.Store(true)
		if w.last.Load() > cutoff {
			w.evicted.Store(false)
			return true
		}
		lc.m.Delete(k)
		return true
	})
}

// revive returns the limiter a dropped one's holder must use: the key's
// current one, or the dropped one put back.
func (lc *limiterCache) revive(w *cachedLimiter) *cachedLimiter {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if v, ok := lc.m.Load(w.key); ok {
		return v.(*cachedLimiter)
	}
	w.evicted.Store(false)
	lc.m.Store(w.key, w)
	return w
}

// len counts the cached limiters (tests).
func (lc *limiterCache) len() int {
	n := 0
	lc.m.Range(func(any, any) bool { n++; return true })
	return n
}

// isIdle reports whether a limiter's state is that of a new one. Only the
// in-process limiter is asked: others keep their state elsewhere (Redis).
func isIdle(l Limiter) bool {
	if ll, ok := l.(*localLimiter); ok {
		return ll.idle()
	}
	return true
}

// cachedLimiter is the Limiter a Client hands out for a key: the key's
// limiter, its last use, and whether the cache dropped it.
type cachedLimiter struct {
	cache   *limiterCache
	c       *Client
	key     string
	box     atomic.Pointer[limiterBox]
	last    atomic.Int64 // Unix ns of the last use
	evicted atomic.Bool
	warned  atomic.Bool // a looser Limit was ignored and logged
}

// limiterBox is a limiter with the Limit it enforces and the last Limit a
// client asked for (so that asking again costs no lock).
type limiterBox struct {
	lim          Limiter
	limit, asked Limit
}

// current returns the key's limiter, put back in the cache if it was
// dropped.
func (w *cachedLimiter) current() Limiter {
	if w.evicted.Load() {
		return w.cache.revive(w).box.Load().lim
	}
	return w.box.Load().lim
}

// Acquire implements Limiter. It marks the limiter used.
func (w *cachedLimiter) Acquire(ctx context.Context) (func(), error) {
	w.last.Store(w.cache.clock().UnixNano())
	return w.current().Acquire(ctx)
}

// Observe implements Limiter. It does not read the clock again: the
// answer's request marked the limiter used when it was acquired, and a
// pause it sets keeps the limiter (isIdle).
func (w *cachedLimiter) Observe(status int, h http.Header, retryAfter time.Duration) {
	w.current().Observe(status, h, retryAfter)
}

// meet applies the rule for a client asking the key for l (see
// limiterCache). The cache's lock is held.
func (w *cachedLimiter) meet(l Limit) {
	box := w.box.Load()
	if box.asked == l {
		return
	}
	strict := stricter(box.limit, l)
	if strict == box.limit {
		w.box.Store(&limiterBox{lim: box.lim, limit: box.limit, asked: l})
		if !w.warned.Swap(true) {
			w.c.kit.Logger.Warn("vendorkit: a client asked for a looser rate limit than another client of the same credential; the stricter one applies",
				"key", w.key, "limit", box.limit.String(), "ignored", l.String())
		}
		return
	}
	w.c.kit.Logger.Warn("vendorkit: clients of one credential give different rate limits; the stricter applies to all of them",
		"key", w.key, "was", box.limit.String(), "now", strict.String())
	w.box.Store(&limiterBox{lim: w.c.newLimiter(w.key, strict), limit: strict, asked: l})
}

// stricter combines two Limits field by field: the lower rate (0, open, is
// the least strict) with its burst, the lower in-flight cap (0: none).
func stricter(a, b Limit) Limit {
	out := a
	switch {
	case a.Rate == 0 || (b.Rate > 0 && b.Rate < a.Rate):
		out.Rate, out.Burst = b.Rate, b.Burst
	case b.Rate == a.Rate && b.Burst < a.Burst:
		out.Burst = b.Burst
	}
	if a.MaxInFlight == 0 || (b.MaxInFlight > 0 && b.MaxInFlight < a.MaxInFlight) {
		out.MaxInFlight = b.MaxInFlight
	}
	return out
}
