package deskwoot_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vendorkit/vendorkit"
	"github.com/vendorkit/vendorkit/deskwoot"
	"github.com/vendorkit/vendorkit/deskwoot/deskwoottest"
)

// The documented limit is 60 requests/minute per token. These tests scale it
// by 50 on both sides (3000/min = 50/s) so that they take seconds: the client
// paces at the scaled rate with the default's burst of 1, and the fake
// refuses anything over a token bucket of the same rate, with a burst of
// one second at that rate (50 tokens: at the real 1/s a bucket of one token
// is one second).
//
// The bursts run under testing/synctest, the client talking to the fake
// through its in-process Transport: the client's limiter and the fake's
// bucket read the same fake clock, which moves only when every goroutine
// waits. On real clocks the test measured the machine: on a loaded 2-core
// machine under -race a starved process ran its overdue timers together
// and the fake, stamping arrivals on its own wall clock, saw them bunched
// (6 × 429 with this 1 s bucket). Nothing here is loosened: the same bucket,
// the same counts, the same floor and ceiling on the elapsed time.
const (
	scaledPerMinute = 3000
	burstCalls      = 200
)

func burst(t *testing.T, clientPerMinute, clientBurst int, kitOpts ...vendorkit.Option) (refused, failed int64, elapsed time.Duration, srv *deskwoottest.Server) {
	t.Helper()
	// Outside the bubble: the fake's listener goroutines block on the
	// network, which synctest does not count as waiting.
	srv = deskwoottest.NewServer(t, deskwoottest.WithRateLimit(scaledPerMinute, scaledPerMinute/60))
	var fails atomic.Int64
	synctest.Test(t, func(t *testing.T) {
		kit, err := vendorkit.New(append(kitOpts, vendorkit.WithTransport(srv.Transport()))...)
		require.NoError(t, err)
		c, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithAccountID(srv.AccountID()),
			deskwoot.WithRateLimit(clientPerMinute, clientBurst))
		require.NoError(t, err)

		ctx := context.Background()
		var wg sync.WaitGroup
		// Every call waits at the gate, so that all are issued at once.
		gate := make(chan struct{})
		for range burstCalls {
			wg.Go(func() {
				<-gate
				if _, err := c.Me(ctx); err != nil {
					fails.Add(1)
					if !errors.Is(err, vendorkit.ErrRateLimited) {
						t.Errorf("unexpected error: %v", err)
					}
				}
			})
		}
		synctest.Wait() // all at the gate
		start := time.Now()
		close(gate)
		wg.Wait()
		elapsed = time.Since(start)
	})
	return int64(srv.RateLimit().Refused()), fails.Load(), elapsed, srv
}

func TestBurstAtTheLimitGetsNo429(t *testing.T) {
	refused, failed, elapsed, srv := burst(t, scaledPerMinute, 1)
	rate := float64(scaledPerMinute) / 60
	floor := time.Duration(float64(burstCalls-1) / rate * float64(time.Second))
	t.Logf("%d concurrent calls at %d/min: %d answered 429, %d lost, %v elapsed, floor %v (%.2f× floor)",
		burstCalls, scaledPerMinute, refused, failed, elapsed.Round(time.Millisecond), floor, elapsed.Seconds()/floor.Seconds())
	assert.Zero(t, refused, "no 429 answers")
	assert.Zero(t, failed, "no call lost")
	assert.Equal(t, burstCalls, srv.RateLimit().Admitted())
	assert.Equal(t, burstCalls, srv.Count("GET", "/v1/me"), "one request per call: nothing was retried")
	// The client may not beat the limit's floor (that would be a pacing
	// bug); the upper bound only catches stalls such as 429 pauses.
	assert.GreaterOrEqual(t, elapsed, floor-50*time.Millisecond)
	assert.Less(t, elapsed, 3*floor)
}

// TestBurstWithoutPacingIsRefused is the control: the same burst from a
// client that does not pace is refused by the fake, so the test above can
// fail. The client's limiter is one that never waits (not even on the
// fake's Retry-After), so that all calls reach the fake at the same instant
// of the fake clock: exactly the fake's burst gets through.
func TestBurstWithoutPacingIsRefused(t *testing.T) {
	refused, failed, _, _ := burst(t, 0, 0, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}),
		vendorkit.WithLimiterFactory(func(string, vendorkit.Limit) vendorkit.Limiter { return unpaced{} }))
	t.Logf("unpaced: %d answered 429, %d calls failed", refused, failed)
	assert.Greater(t, refused, int64(50))
	assert.Equal(t, int64(burstCalls-scaledPerMinute/60), refused, "all but the fake's burst")
	assert.Equal(t, refused, failed)
}

// unpaced is a Limiter that admits every request at once.
type unpaced struct{}

func (unpaced) Acquire(context.Context) (func(), error) { return func() {}, nil }
func (unpaced) Observe(int, http.Header, time.Duration) {}

func TestDefaultLimitIsSixtyPerMinute(t *testing.T) {
	assert.InDelta(t, 1.0, float64(deskwoot.DefaultLimit().Rate), 1e-9, "one request per second")
	assert.Equal(t, 1, deskwoot.DefaultLimit().Burst)
	// Worst case in any 60-second window: burst + 60·rate − 1 requests.
	assert.LessOrEqual(t, deskwoot.DefaultLimit().Burst+int(60*float64(deskwoot.DefaultLimit().Rate))-1, 60)
}
