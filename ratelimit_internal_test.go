package vendorkit

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestDocumentedRateIsNotAdapted(t *testing.T) {
	l := newLocalLimiter(Limit{Rate: rate.Limit(5), Burst: 1}, nil, 0)
	l.Observe(429, http.Header{}, time.Second)
	assert.Nil(t, l.adaptive.Load())
	assert.Greater(t, l.pauseUntil.Load(), time.Now().UnixNano(), "a 429's Retry-After still pauses")
}

func TestAcquireHonoursPauseAndContext(t *testing.T) {
	l := newLocalLimiter(Limit{MaxInFlight: 1}, nil, 0)
	l.Observe(429, http.Header{}, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := l.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	l = newLocalLimiter(Limit{MaxInFlight: 1}, nil, 0)
	release, err := l.Acquire(context.Background())
	require.NoError(t, err)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	_, err = l.Acquire(ctx2)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the only slot is taken")
	release()
	release() // idempotent
	r2, err := l.Acquire(context.Background())
	require.NoError(t, err)
	r2()

	for _, reset := range []string{"30", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10), strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10)} {
		l = newLocalLimiter(Limit{}, nil, 0)
		l.Observe(200, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}, 0)
		assert.WithinDuration(t, time.Now().Add(30*time.Second), time.Unix(0, l.pauseUntil.Load()), 2*time.Second, reset)
	}
}

func TestWaitScaleRemovesPauses(t *testing.T) {
	l := newLocalLimiter(Limit{}, func(time.Duration) time.Duration { return 0 }, 0)
	l.Observe(429, http.Header{}, time.Hour)
	assert.Zero(t, l.pauseUntil.Load())
}

// On synctest's fake clock: the time measured is the limiter's waiting,
// not the machine's scheduling.
func TestWaitScaleRemovesAdaptivePace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocalLimiter(Limit{}, func(time.Duration) time.Duration { return 0 }, 0)
		l.Observe(429, http.Header{}, 0)
		require.NotNil(t, l.adaptive.Load())
		start := time.Now()
		for range 20 {
			release, err := l.Acquire(context.Background())
			require.NoError(t, err)
			release()
		}
		assert.Less(t, time.Since(start), 500*time.Millisecond, "20 slots at ~1/s would take 20 s")
	})
}

// A wait scale f between 0 and 1 shrinks the adaptive pace itself: slots
// scale(1/rate) apart. It used to scale only the sleep, so a waiter napped
// in ever smaller steps (about 1 400 timers per slot at f = 0.01) towards a
// slot still 1/rate away, then went without taking it: one long wait, then
// no pace at all, and the CPU spent on timers (the soak, WithWaitScale(0.01),
// crawled; issue 12.8).
func TestWaitScaleShrinksAdaptivePace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		scale := func(d time.Duration) time.Duration { return d / 100 }
		l := newLocalLimiter(Limit{}, scale, 0)
		l.adaptive.Store(&pacer{rate: 10, scale: scale})
		release, err := l.Acquire(context.Background())
		require.NoError(t, err)
		release()
		for i := range 100 {
			start := time.Now()
			release, err := l.Acquire(context.Background())
			require.NoError(t, err)
			release()
			// 100 ms / 100 on the fake clock.
			require.Equal(t, time.Millisecond, time.Since(start), "slot %d", i+2)
		}
	})
}
