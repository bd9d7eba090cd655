package core

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Many requests through one gate never have more in flight than the quota
// last reported, and all of them go once room comes.
func TestQuotaGateHoldsConcurrentRequests(t *testing.T) {
	var g QuotaGate
	require.NoError(t, g.Enter(context.Background()))
	g.Observe(http.StatusOK, http.Header{"X-Ratelimit-Remaining": {"5"}, "X-Ratelimit-Reset": {"60"}}, 0)
	g.Leave()
	var peak atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				if err := g.Enter(context.Background()); err != nil {
					t.Error(err)
					return
				}
				n := g.InFlight()
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(50 * time.Microsecond)
				g.Leave()
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(5), "in flight at once")
	assert.Equal(t, int64(5), peak.Load(), "the quota was used")
	assert.Zero(t, g.InFlight())
}

// A held request gives up with its context, and the gate opens at the
// reset (on synctest's clock).
func TestQuotaGateContextAndReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g QuotaGate
		g.Observe(http.StatusOK, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1"}}, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		require.ErrorIs(t, g.Enter(ctx), context.DeadlineExceeded)
		assert.Zero(t, g.InFlight(), "a request that gave up is not in flight")
		start := time.Now()
		require.NoError(t, g.Enter(context.Background()))
		assert.Equal(t, time.Second-20*time.Millisecond, time.Since(start), "held until the reset")
		g.Leave()
	})
}
