package core

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// QuotaGate counts a limiter's requests in flight and, once the vendor
// reports its quota (see Quota), admits a request only while fewer are in
// flight than the quota has left, until its reset. The vendor has counted
// some of the requests in flight and not others, so what they leave is
// known only as they are answered: a request held at the gate goes as
// soon as an answer or a release makes room. Without it every request in
// flight when the quota ran out drew a 429; pausing until the reset as soon
// as the quota left fell to the requests in flight instead gave up what
// those already counted had left (about a fifth of a one-second window on
// loopback). The zero QuotaGate is open; it is safe for concurrent use.
type QuotaGate struct {
	inFlight atomic.Int64
	active   atomic.Bool // a quota was reported; until then Enter takes no lock

	// Scale, when set, scales the time until a reported quota's reset, as
	// the limiter's other waits are (vendorkit.WithWaitScale: 0 in tests
	// holds no request). Set it before the gate is used.
	Scale func(time.Duration) time.Duration

	mu      sync.Mutex
	left    int64         // the quota left, as last reported
	until   time.Time     // its reset
	changed chan struct{} // closed when room may have come; nil until waited on
}

// InFlight returns the requests admitted and not yet released.
func (g *QuotaGate) InFlight() int64 { return g.inFlight.Load() }

// Enter admits one request, waiting for room while the quota reported is
// spent by the requests in flight, until its reset or ctx is done.
func (g *QuotaGate) Enter(ctx context.Context) error {
	if !g.active.Load() {
		g.inFlight.Add(1)
		return nil
	}
	for {
		g.mu.Lock()
		now := time.Now()
		if !now.Before(g.until) {
			g.active.Store(false) // the quota has reset: open until the next report
		}
		if !g.active.Load() || g.inFlight.Load() < g.left {
			g.inFlight.Add(1)
			g.mu.Unlock()
			return nil
		}
		if g.changed == nil {
			g.changed = make(chan struct{})
		}
		changed, wait := g.changed, g.until.Sub(now)
		g.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-changed:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		t.Stop()
	}
}

// Leave releases a request admitted by Enter.
func (g *QuotaGate) Leave() {
	g.inFlight.Add(-1)
	if g.active.Load() {
		g.mu.Lock()
		g.wake()
		g.mu.Unlock()
	}
}

// Observe records the quota an answer reports, if any, reading its
// headers once for the limiter's Observe: it returns the pause the answer
// asks for (VendorPause's) and whether the quota is spent — a 429 that
// says so is the quota's, not a rate to learn.
func (g *QuotaGate) Observe(status int, h http.Header, retryAfter time.Duration) (pause time.Duration, spent bool) {
	left, reset, ok := Quota(h)
	spent = ok && left == 0
	if ok {
		g.mu.Lock()
		wait := min(reset, time.Hour)
		if g.Scale != nil {
			wait = g.Scale(wait)
		}
		g.left, g.until = left, time.Now().Add(wait)
		g.active.Store(true)
		g.wake()
		g.mu.Unlock()
	}
	return vendorPause(status, h, retryAfter, ok, left, reset), spent
}

// wake lets the waiters look again; g.mu is held.
func (g *QuotaGate) wake() {
	if g.changed != nil {
		close(g.changed)
		g.changed = nil
	}
}
