package deskwoot_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
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
// refuses anything over a token bucket of the same rate.
//
// Scaling the rate does not scale the delays between the client's send and
// the fake's count (scheduling on a loaded 2-core machine under -race). At
// the real 1/s even a server bucket of one token tolerates 1 s of such delay,
// so the fake's burst is set to the same 1 s at the scaled rate (50 tokens).
// With 0.1 s of slack (6000/min, burst 10) this machine's scheduling delays
// alone produced 429s.
const (
	scaledPerMinute = 3000
	burstCalls      = 200
)

func burst(t *testing.T, clientPerMinute, clientBurst int, kitOpts ...vendorkit.Option) (refused, failed int64, elapsed time.Duration, srv *deskwoottest.Server) {
	t.Helper()
	srv = deskwoottest.NewServer(t, deskwoottest.WithRateLimit(scaledPerMinute, scaledPerMinute/60))
	kit, err := vendorkit.New(kitOpts...)
	require.NoError(t, err)
	c, err := deskwoot.New(kit, srv.Token(), deskwoot.WithBaseURL(srv.URL()), deskwoot.WithAccountID(srv.AccountID()),
		deskwoot.WithRateLimit(clientPerMinute, clientBurst))
	require.NoError(t, err)

	ctx := context.Background()
	var fails atomic.Int64
	var wg sync.WaitGroup
	// Every call waits at the gate, so that all are issued at once even when
	// the machine is slow to start goroutines (otherwise the first 429's
	// pause can catch the late ones and hide that nothing paced them).
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
	start := time.Now()
	close(gate)
	wg.Wait()
	return int64(srv.RateLimit().Refused()), fails.Load(), time.Since(start), srv
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
// fail.
func TestBurstWithoutPacingIsRefused(t *testing.T) {
	refused, failed, _, _ := burst(t, 0, 0, vendorkit.WithRetry(vendorkit.RetryPolicy{MaxAttempts: 1}))
	t.Logf("unpaced: %d answered 429, %d calls failed", refused, failed)
	assert.Greater(t, refused, int64(50))
	assert.Equal(t, refused, failed)
}

func TestDefaultLimitIsSixtyPerMinute(t *testing.T) {
	assert.InDelta(t, 1.0, float64(deskwoot.DefaultLimit().Rate), 1e-9, "one request per second")
	assert.Equal(t, 1, deskwoot.DefaultLimit().Burst)
	// Worst case in any 60-second window: burst + 60·rate − 1 requests.
	assert.LessOrEqual(t, deskwoot.DefaultLimit().Burst+int(60*float64(deskwoot.DefaultLimit().Rate))-1, 60)
}
