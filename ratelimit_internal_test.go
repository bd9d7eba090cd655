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
	got := make(chan error, 1)
	go func() {
		r, err := l.Acquire(context.Background()) // waits for the slot
		if err == nil {
			r()
		}
		got <- err
	}()
	release()
	require.NoError(t, <-got, "a waiter takes the slot once it is released")
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

// TestWaitScaleOpensTheQuotaGate: a quota reported spent holds requests
// until its reset, a wait like any other the limiter makes, so a wait
// scale of 0 (vendorkittest.NoSleep) holds none: a test of a fake that
// reports its quota must not sit out the reset.
func TestWaitScaleOpensTheQuotaGate(t *testing.T) {
	for _, remaining := range []string{"0", "1"} {
		l := newLocalLimiter(Limit{}, func(time.Duration) time.Duration { return 0 }, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		held := make([]func(), 0, 3)
		for range 2 {
			release, err := l.Acquire(ctx)
			require.NoError(t, err)
			held = append(held, release)
		}
		l.Observe(http.StatusOK, http.Header{"X-Ratelimit-Remaining": {remaining}, "X-Ratelimit-Reset": {"30"}}, 0)
		start := time.Now()
		release, err := l.Acquire(ctx)
		require.NoError(t, err, "remaining %s: the gate held the request until the reset", remaining)
		assert.Less(t, time.Since(start), time.Second, remaining)
		for _, r := range append(held, release) {
			r()
		}
		cancel()
	}
}

// A quota the vendor reports admits only as many requests in flight as it
// has left: the others wait for an answer or a release, not for the reset
// (the vendor has counted some of those in flight already). None left
// pauses until the reset.
func TestQuotaHoldsRequestsToWhatIsLeft(t *testing.T) {
	quota := func(remaining int) http.Header {
		return http.Header{"X-Ratelimit-Remaining": {strconv.Itoa(remaining)}, "X-Ratelimit-Reset": {"30"}}
	}
	for _, lim := range []Limit{{}, {Rate: 100, Burst: 10}, {MaxInFlight: 5}} {
		t.Run(lim.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := newLocalLimiter(lim, nil, 0)
				var releases []func()
				for range 3 {
					release, err := l.Acquire(context.Background())
					require.NoError(t, err)
					releases = append(releases, release)
				}
				l.Observe(http.StatusOK, quota(3), 0)
				admitted := make(chan func())
				go func() {
					release, err := l.Acquire(context.Background())
					if err == nil {
						admitted <- release
					}
				}()
				synctest.Wait()
				select {
				case <-admitted:
					t.Fatal("3 left, 3 in flight: a fourth went")
				default:
				}
				releases[0]() // its answer said 3 left, counting those in flight
				release := <-admitted
				assert.Zero(t, l.pauseUntil.Load(), "no pause while some is left")
				release()
				l.Observe(http.StatusOK, quota(0), 0)
				assert.WithinDuration(t, time.Now().Add(30*time.Second), time.Unix(0, l.pauseUntil.Load()), time.Second, "none left: the reset")
				for _, r := range releases[1:] {
					r()
				}
				assert.Zero(t, l.gate.InFlight())
				assert.False(t, l.idle(), "paused")
				// After the reset the gate is open until the next report.
				time.Sleep(31 * time.Second)
				for range 4 {
					release, err := l.Acquire(context.Background())
					require.NoError(t, err)
					defer release()
				}
			})
		})
	}
}

// A request waiting for its pace slot when a vendor's pause begins waits
// the pause out too, and takes no slot meanwhile: before, the waiters
// already queued went on through the pause (a second of silence asked for
// by the vendor's Retry-After) and drew more 429s.
func TestPauseHoldsRequestsAlreadyWaitingForAPaceSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocalLimiter(Limit{}, nil, 0)
		l.adaptive.Store(&pacer{rate: 10})
		start := time.Now()
		sent := make(chan time.Duration, 5)
		for range 5 {
			go func() {
				release, err := l.Acquire(context.Background())
				if err == nil {
					release()
					sent <- time.Since(start)
				}
			}()
		}
		time.Sleep(150 * time.Millisecond) // two have gone (0 and 100 ms); three wait
		// A pause that leaves the pace as it is: the quota is spent.
		l.Observe(http.StatusOK, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1"}}, 0)
		var got []time.Duration
		for range 5 {
			got = append(got, <-sent)
		}
		assert.Equal(t, []time.Duration{0, 100 * time.Millisecond}, got[:2])
		for _, d := range got[2:] {
			assert.GreaterOrEqual(t, d, 1150*time.Millisecond, "sent during the pause")
		}
		// The pace's slots were not spent during the pause: the three go
		// 100 ms apart once it ends.
		assert.Equal(t, 1150*time.Millisecond, got[2])
		assert.Equal(t, 1250*time.Millisecond, got[3])
		assert.Equal(t, 1350*time.Millisecond, got[4])
	})
}

// A 429 whose quota headers say none is left is the quota's: the gate and
// the pause hold the requests, and the pace learns nothing from it. A 429
// with some quota left comes from another limit, and teaches the pace.
func TestQuotaRefusalTeachesNoPace(t *testing.T) {
	quota := func(remaining int) http.Header {
		return http.Header{"X-Ratelimit-Remaining": {strconv.Itoa(remaining)}, "X-Ratelimit-Reset": {"5"}}
	}
	l := newLocalLimiter(Limit{}, nil, 0)
	l.Observe(http.StatusTooManyRequests, quota(0), 5*time.Second)
	assert.Nil(t, l.adaptive.Load(), "the quota's refusal")
	assert.Greater(t, l.pauseUntil.Load(), time.Now().Add(4*time.Second).UnixNano(), "paused until the reset")
	l.Observe(http.StatusTooManyRequests, quota(7), time.Second)
	assert.NotNil(t, l.adaptive.Load(), "another limit's refusal")
}

// TestAcquireAllocatesNothing: a request's way through the in-process
// limiter, capped or not, allocates nothing while it need not wait (every
// Woodpecker call takes a slot; two allocations per call cost about 1.5 %
// of a loopback call, bench/README.md §1b).
func TestAcquireAllocatesNothing(t *testing.T) {
	for _, l := range []Limit{{}, {MaxInFlight: 1}, {MaxInFlight: 4}} {
		ll := newLocalLimiter(l, nil, 0)
		ctx := context.Background()
		h := http.Header{"Content-Type": {"application/json"}}
		allocs := testing.AllocsPerRun(100, func() {
			release, err := ll.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			release()
			ll.Observe(http.StatusOK, h, 0)
		})
		assert.Zero(t, allocs, l.String())
		assert.Zero(t, ll.gate.InFlight(), l.String())
	}
}
