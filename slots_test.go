package vendorkit

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitQueued waits until n requests wait in s's line.
func waitQueued(t *testing.T, s *slots, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.queue) == n
	}, 5*time.Second, time.Millisecond)
}

// TestSlotsFirstComeFirstServed: with the cap reached, waiters get the
// released slots in the order they came, and a newcomer queues behind them.
func TestSlotsFirstComeFirstServed(t *testing.T) {
	s := newSlots(2)
	ctx := context.Background()
	require.NoError(t, s.acquire(ctx))
	require.NoError(t, s.acquire(ctx))

	got := make(chan int, 5)
	for i := range 5 {
		go func() {
			if s.acquire(ctx) == nil {
				got <- i
			}
		}()
		waitQueued(t, s, i+1)
	}
	for i := range 5 {
		s.release()
		assert.Equal(t, i, <-got, "released slot %d", i)
	}
	assert.Equal(t, int64(2), s.held.Load(), "two of the five still hold theirs")
	s.release()
	s.release()
	assert.Zero(t, s.held.Load())
	assert.Zero(t, s.waiting.Load())
	require.NoError(t, s.acquire(ctx), "free again")
}

// TestSlotsWaitEndsWithContext: a waiter whose context ends leaves the
// line without a slot; the ones behind it keep their place.
func TestSlotsWaitEndsWithContext(t *testing.T) {
	s := newSlots(1)
	require.NoError(t, s.acquire(context.Background()))

	ctx, cancel := context.WithCancel(context.Background())
	gave := make(chan error, 1)
	go func() { gave <- s.acquire(ctx) }()
	waitQueued(t, s, 1)
	next := make(chan error, 1)
	go func() { next <- s.acquire(context.Background()) }()
	waitQueued(t, s, 2)

	cancel()
	require.ErrorIs(t, <-gave, context.Canceled)
	waitQueued(t, s, 1)
	s.release()
	require.NoError(t, <-next, "the slot goes to the one still waiting")
	assert.Equal(t, int64(1), s.held.Load())
	s.release()
	assert.Zero(t, s.held.Load())
	assert.Zero(t, s.waiting.Load())
}

// TestSlotsUnderLoad: many requests with random deadlines never hold more
// than the cap, lose no slot and leave nobody waiting (run it with -race).
func TestSlotsUnderLoad(t *testing.T) {
	for _, max := range []int{1, 3} {
		s := newSlots(max)
		var inside, most atomic.Int64
		var served, gaveUp atomic.Int64
		var wg sync.WaitGroup
		for range 32 {
			wg.Go(func() {
				for range 200 {
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(200))*time.Microsecond)
					if s.acquire(ctx) != nil {
						gaveUp.Add(1)
						cancel()
						continue
					}
					n := inside.Add(1)
					for {
						m := most.Load()
						if n <= m || most.CompareAndSwap(m, n) {
							break
						}
					}
					if rand.IntN(4) == 0 {
						time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
					}
					inside.Add(-1)
					s.release()
					served.Add(1)
					cancel()
				}
			})
		}
		wg.Wait()
		assert.LessOrEqual(t, most.Load(), int64(max), "never more in flight than the cap")
		assert.Equal(t, int64(32*200), served.Load()+gaveUp.Load())
		assert.Positive(t, served.Load())
		assert.Zero(t, s.held.Load(), "every slot given back")
		assert.Zero(t, s.waiting.Load())
		assert.Empty(t, s.queue)
		require.NoError(t, s.acquire(context.Background()), "still usable")
	}
}

// TestSlotsNoLostWakeUp: requests that wait without a deadline are all
// served: a release that raced a newcomer's queueing still reaches it.
func TestSlotsNoLostWakeUp(t *testing.T) {
	for _, max := range []int{1, 2} {
		s := newSlots(max)
		var served atomic.Int64
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for range 300 {
					if err := s.acquire(context.Background()); err != nil {
						t.Error(err)
						return
					}
					served.Add(1)
					s.release()
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("cap %d: %d of %d served, the rest wait for a slot nobody hands over", max, served.Load(), 16*300)
		}
		assert.Equal(t, int64(16*300), served.Load())
		assert.Zero(t, s.held.Load())
	}
}

// TestSlotsReleaseRacingAWaiter: a request that queues after a release
// looked for waiters, and before it gave its slot back, gets that slot.
func TestSlotsReleaseRacingAWaiter(t *testing.T) {
	s := newSlots(1)
	require.NoError(t, s.acquire(context.Background()))
	got := make(chan error, 1)
	s.raceHook = func() {
		s.raceHook = nil
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			got <- s.acquire(ctx)
		}()
		waitQueued(t, s, 1)
	}
	s.release()
	require.NoError(t, <-got, "the waiter that came in between gets the slot")
	assert.Equal(t, int64(1), s.held.Load())
}
