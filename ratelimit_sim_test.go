package vendorkit

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"golang.org/x/time/rate"
)

// stormSim runs workers against a token-bucket vendor (perSecond, burst,
// 429 with Retry-After in whole seconds) on synctest's clock.
func stormSim(t *testing.T, newL func() Limiter, perSecond float64, burst, workers int, d time.Duration) (ok, refused int, secs [][2]int) {
	return vendorSim(t, newL, func() func() time.Duration {
		srv := rate.NewLimiter(rate.Limit(perSecond), burst)
		return func() time.Duration {
			res := srv.Reserve()
			if dl := res.Delay(); dl > 0 {
				res.Cancel()
				return dl
			}
			return 0
		}
	}, workers, d)
}

// windowSim runs workers against a fixed-window vendor: limit requests per
// window, the rest refused with a Retry-After of the whole seconds left in
// the window and no rate-limit headers (Rails' rack-attack by default).
func windowSim(t *testing.T, newL func() Limiter, limit int, window time.Duration, workers int, d time.Duration) (ok, refused int, secs [][2]int) {
	return vendorSim(t, newL, func() func() time.Duration {
		start := time.Now()
		var mu sync.Mutex
		cur, used := time.Duration(-1), 0
		return func() time.Duration {
			mu.Lock()
			defer mu.Unlock()
			since := time.Since(start)
			if w := since / window; w != cur {
				cur, used = w, 0
			}
			if used < limit {
				used++
				return 0
			}
			return (cur+1)*window - since
		}
	}, workers, d)
}

// vendorSim runs workers against a vendor whose admit answers 0 to accept
// a request or the wait before the next would be (answered 429 with a
// Retry-After of it in whole seconds), on synctest's clock.
func vendorSim(t *testing.T, newL func() Limiter, newVendor func() func() time.Duration, workers int, d time.Duration) (ok, refused int, secs [][2]int) {
	synctest.Test(t, func(t *testing.T) {
		l := newL()
		admit := newVendor()
		start := time.Now()
		var mu sync.Mutex
		secs = make([][2]int, int(d/time.Second))
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for ctx.Err() == nil {
					release, err := l.Acquire(ctx)
					if err != nil {
						return
					}
					time.Sleep(time.Millisecond)
					i := int(time.Since(start) / time.Second)
					if dl := admit(); dl > 0 {
						release()
						h := http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(dl.Seconds())))}}
						l.Observe(429, h, time.Duration(math.Ceil(dl.Seconds()))*time.Second)
						mu.Lock()
						refused++
						if i < len(secs) {
							secs[i][1]++
						}
						mu.Unlock()
						continue
					}
					release()
					l.Observe(200, nil, 0)
					mu.Lock()
					ok++
					if i < len(secs) {
						secs[i][0]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
	return
}

// TestAdaptivePaceUnderStorm runs the learned pace against a vendor that
// allows 100 requests/s (burst 10) and answers the rest 429 with a
// Retry-After of 1 s, 50 workers, on synctest's clock: the targets of
// issue 13 for one process, on the algorithm alone (bench/cmd/storm shows
// them on sockets, and for a fleet).
func TestAdaptivePaceUnderStorm(t *testing.T) {
	ok, refused, secs := stormSim(t, func() Limiter { return newLocalLimiter(Limit{}, nil, 0) }, 100, 10, 50, 60*time.Second)
	sum := func(from, to int) (n int) {
		for _, s := range secs[from:to] {
			n += s[0]
		}
		return n
	}
	t.Logf("accepted and refused per second: %v", secs)
	// The first 20 s pay two paused seconds (the first burst, the end of
	// the slow start) and the climb: bench/README.md §2 says why 0.90 is
	// out of reach for any learner that starts open and waits out every
	// Retry-After. 0.89 here. (The 0.85 of the morning of 2026-11-30
	// counted the requests that waiters already queued for a pace slot
	// sent during the pause, which the vendor had asked to wait.)
	assert.GreaterOrEqual(t, float64(sum(0, 20))/2000, 0.87, "goodput over the first 20 s")
	assert.GreaterOrEqual(t, float64(sum(20, 60))/4000, 0.95, "goodput at steady state")
	assert.LessOrEqual(t, float64(refused)/float64(ok+refused), 0.05, "attempts wasted on 429")
	cuts := 0
	for _, s := range secs[20:] {
		if s[1] > 0 {
			cuts++
		}
	}
	assert.LessOrEqual(t, cuts, 2, "refusals at steady state: at most one probe every 20 s")
}

// TestAdaptivePaceUnderFixedWindow: the learned pace against a fixed
// window (100 requests a second, no rate-limit headers), 50 workers. The
// token-bucket bound alone saw each window as a burst and no rate, and cut
// the pace at every window (bench: 4 % of the limit).
func TestAdaptivePaceUnderFixedWindow(t *testing.T) {
	for _, window := range []time.Duration{time.Second, 10 * time.Second} {
		t.Run(window.String(), func(t *testing.T) {
			limit := int(100 * window.Seconds())
			ok, refused, secs := windowSim(t, func() Limiter { return newLocalLimiter(Limit{}, nil, 0) }, limit, window, 50, 120*time.Second)
			late := 0
			for _, s := range secs[60:] {
				late += s[0]
			}
			t.Logf("accepted and refused per second: %v", secs)
			assert.GreaterOrEqual(t, float64(late)/6000, 0.85, "goodput over the second minute")
			assert.LessOrEqual(t, float64(refused)/float64(ok+refused), 0.05, "attempts wasted on 429")
		})
	}
}
