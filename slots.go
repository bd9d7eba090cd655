package vendorkit

import (
	"context"
	"sync"
	"sync/atomic"
)

// slots caps the requests a limiter has in flight (Limit.MaxInFlight). It
// is a first-come, first-served semaphore whose free slot is taken with one
// compare-and-swap while nobody waits: the buffered channel it replaces
// took a channel send and a receive per request, about 180 ns, on every
// Woodpecker call (whose key serves one request at a time). Waiters queue
// in order and a released slot is handed to the first of them; a request
// that comes while others wait queues behind them. The zero slots is not
// usable: make one with newSlots.
type slots struct {
	max     int64
	held    atomic.Int64 // slots taken, handed-over ones included
	waiting atomic.Int64 // waiters queued, or about to queue (under mu)

	mu    sync.Mutex
	queue []*slotWaiter

	raceHook func() // tests: runs in release between its look for waiters and the slot's return
}

// slotWaiter is a request waiting for a slot.
type slotWaiter struct {
	ready   chan struct{} // closed when a slot is handed over
	granted bool          // a slot was handed over (mu)
}

func newSlots(n int) *slots { return &slots{max: int64(n)} }

// tryTake takes a free slot, if any.
func (s *slots) tryTake() bool {
	for {
		n := s.held.Load()
		if n >= s.max {
			return false
		}
		if s.held.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// acquire takes a slot, waiting in line for one until ctx is done.
func (s *slots) acquire(ctx context.Context) error {
	if s.waiting.Load() == 0 && s.tryTake() {
		return nil
	}
	s.mu.Lock()
	// Counted before looking, so that a release that frees a slot after
	// the look below sees a waiter and hands the slot over (release).
	s.waiting.Add(1)
	if len(s.queue) == 0 && s.tryTake() {
		s.waiting.Add(-1)
		s.mu.Unlock()
		return nil
	}
	w := &slotWaiter{ready: make(chan struct{})}
	s.queue = append(s.queue, w)
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	if w.granted { // handed a slot as ctx ended: pass it on
		s.mu.Unlock()
		s.release()
		return ctx.Err()
	}
	for i, q := range s.queue {
		if q == w {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			break
		}
	}
	s.waiting.Add(-1)
	s.mu.Unlock()
	return ctx.Err()
}

// release gives a slot back: to the first waiter, if any.
func (s *slots) release() {
	if s.waiting.Load() == 0 {
		if s.raceHook != nil {
			s.raceHook()
		}
		s.held.Add(-1)
		if s.waiting.Load() == 0 {
			return
		}
		// A waiter queued meanwhile: the slot freed above may be its.
		s.mu.Lock()
		if len(s.queue) > 0 && s.tryTake() {
			s.handOver()
		}
		s.mu.Unlock()
		return
	}
	s.mu.Lock()
	if len(s.queue) > 0 {
		s.handOver() // the slot goes on: held stays
	} else {
		s.held.Add(-1)
	}
	s.mu.Unlock()
}

// handOver gives a taken slot to the first waiter; s.mu is held.
func (s *slots) handOver() {
	w := s.queue[0]
	s.queue[0] = nil
	s.queue = s.queue[1:]
	s.waiting.Add(-1)
	w.granted = true
	close(w.ready)
}
